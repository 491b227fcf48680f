#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Replays every file under the given directories through a replay build of a
# fuzz target, one process per file, and prints a verdict per failing file
# and a closing "N passed, N failed" line. Missing directories count as empty.
# Usage: fuzz-replay.sh REPLAY_BINARY DIR...
set -uo pipefail
bin=${1:?usage: fuzz-replay.sh REPLAY_BINARY DIR...}
shift
passed=0
failed=0
for dir in "$@"; do
	[ -d "$dir" ] || continue
	while IFS= read -r -d '' f; do
		case "$(basename "$f")" in README* | *.md | *.txt) continue ;; esac
		if out=$("$bin" "$f" 2>&1); then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL: $f"
			printf '%s\n' "$out" | tail -n 30
		fi
	done < <(find "$dir" -type f -print0 | sort -z)
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
