#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The monitor core must stay portable C over hal.h (DESIGN.md section 2).
# Fails when monitor/ (outside monitor/tests/, which are host programs)
#   - contains inline assembly,
#   - uses CSR instructions or fences by name,
#   - includes anything but freestanding C headers and its own headers,
#   - selects code by target (#if on HOST, __riscv, __x86_64__ ...).
# Usage: check-monitor.sh DIR | --self-test
set -euo pipefail

freestanding='float.h|iso646.h|limits.h|stdalign.h|stdarg.h|stdbool.h|stddef.h|stdint.h|stdnoreturn.h'

check_dir() {
	local dir=$1 bad=0 files
	files=$(find "$dir" -type f \( -name '*.c' -o -name '*.h' \) -not -path '*/tests/*' | sort)
	[ -n "$files" ] || { echo "check-monitor: no C files under $dir" >&2; return 2; }
	# shellcheck disable=SC2086
	if grep -nE '(^|[^A-Za-z0-9_])(asm|__asm__|__asm)[[:space:]]*(volatile|__volatile__)?[[:space:]]*(\(|\{)' $files; then
		echo "check-monitor: inline assembly in the monitor core (use hal.h)" >&2; bad=1
	fi
	# shellcheck disable=SC2086
	if grep -nE '"[[:space:]]*(csrr|csrw|csrs|csrc|csrrw|csrrs|csrrc|csrwi|csrsi|csrci|sfence|hfence|fence\.i|mret|sret|wfi)[[:space:]]' $files; then
		echo "check-monitor: CSR or privileged instruction text in the monitor core" >&2; bad=1
	fi
	# shellcheck disable=SC2086
	if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' $files | grep -vE "<($freestanding)>"; then
		echo "check-monitor: non-freestanding system header in the monitor core" >&2; bad=1
	fi
	# shellcheck disable=SC2086
	if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' $files | grep -vE '#[[:space:]]*include[[:space:]]*"(covemon/|\.\./|[A-Za-z0-9_]+\.h")'; then
		echo "check-monitor: include of a header outside the monitor" >&2; bad=1
	fi
	# shellcheck disable=SC2086
	if grep -nE '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif)[[:space:]].*(HOST|SHIM|FIRMWARE|__riscv|__x86_64__|__linux__|__amd64__)' $files; then
		echo "check-monitor: target-selected code in the monitor core (choose at link time)" >&2; bad=1
	fi
	return $bad
}

self_test() {
	local tmp rc=0
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	mkdir -p "$tmp/ok/include/covemon"
	printf '#pragma once\n#include <stdint.h>\n#include "covemon/hal.h"\nint f(void);\n' >"$tmp/ok/include/covemon/a.h"
	check_dir "$tmp/ok" >/dev/null 2>&1 || { echo "self-test: clean tree rejected"; rc=1; }
	local -A cases=(
		[asm]='void f(void) { asm volatile("nop"); }'
		[csr]='const char *s = "csrw mstatus, a0";'
		[libc]='#include <stdio.h>'
		[foreign]='#include "shim/world.h"'
		[ifdef]='#ifdef __riscv
#endif'
	)
	for name in "${!cases[@]}"; do
		mkdir -p "$tmp/$name"
		printf '%s\n' "${cases[$name]}" >"$tmp/$name/x.c"
		if check_dir "$tmp/$name" >/dev/null 2>&1; then
			echo "self-test: violation '$name' not caught"; rc=1
		fi
	done
	[ $rc -eq 0 ] && echo "check-monitor self-test: 1 clean tree accepted, ${#cases[@]} violations caught"
	return $rc
}

case "${1:-}" in
--self-test) self_test ;;
"") echo "usage: $0 DIR | --self-test" >&2; exit 2 ;;
*) check_dir "$1" && echo "check-monitor: $1 is portable C over hal.h" ;;
esac
