#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Fails when a tracked C file differs from what .clang-format makes of it.
# With --fix, reformats them instead.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
mapfile -t files < <(git ls-files -co --exclude-standard '*.c' '*.h' 2>/dev/null)
[ ${#files[@]} -gt 0 ] || { echo "check-format: no C files found" >&2; exit 1; }
if [ "${1:-}" = "--fix" ]; then
	clang-format -i "${files[@]}"
	exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}"; then
	echo "check-format: run ci/check-format.sh --fix" >&2
	exit 1
fi
echo "check-format: ${#files[@]} files formatted"
