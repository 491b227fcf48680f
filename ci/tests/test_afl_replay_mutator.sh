#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The replay mutator of the AFL++ bench (fuzz/common/afl_replay_mutator.c)
# under afl-fuzz, with the bench's settings (AFL_CUSTOM_MUTATOR_ONLY,
# AFL_DISABLE_TRIM). A probe target (with our driver, in direct mode) writes
# every input it runs to a log. Checks: afl-fuzz exits cleanly; the probe
# ran nothing but the replay directory's files (afl-fuzz mutated nothing);
# after afl-fuzz's calibration of its seeds (the same files), the runs are a
# strict cycle over the files in name order, even though the files differ
# in size and speed, which afl-fuzz's scheduler would weigh; dot files and
# directories are skipped. Without
# COVEMON_AFL_REPLAY_DIR, or with a directory holding no usable file,
# afl-fuzz stops with the mutator's message.
# Usage: ci/tests/test_afl_replay_mutator.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${COVEMON_AFL_REPLAY_TEST_SECONDS:-4}

for tool in afl-clang-fast afl-fuzz; do
	command -v "$tool" >/dev/null || { echo "test_afl_replay_mutator: $tool not found (apt-get install afl++)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "  FAIL: $*"
	fail=1
}

# The probe: one line per input (its bytes, which are printable here); the
# "slow" input spins a little, so that a scheduler by speed would show.
cat >"$tmp/probe.c" <<'EOF'
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static int log_fd = -1;
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_fd = open(getenv("PROBE_LOG"), O_WRONLY | O_CREAT | O_APPEND, 0644);
	return 0;
}
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[256];
	size_t n = size < sizeof(line) - 1 ? size : sizeof(line) - 1;
	memcpy(line, data, n);
	line[n] = '\n';
	if (write(log_fd, line, n + 1) < 0) {
		abort();
	}
	if (size >= 4 && !memcmp(data, "slow", 4)) {
		for (volatile int spin = 0; spin < 20000; spin++) {
		}
	}
	return 0;
}
EOF
cc -O2 -c -o "$tmp/afl_driver.o" "$ROOT/fuzz/common/afl_driver.c"
AFL_QUIET=1 afl-clang-fast -O2 -o "$tmp/probe" "$tmp/probe.c" "$tmp/afl_driver.o"
cc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$tmp/replay.so" "$ROOT/fuzz/common/afl_replay_mutator.c"

mkdir "$tmp/in" "$tmp/replay" "$tmp/empty"
# (Five, created out of name order: the directory's own order is unlikely
# to be a rotation of the name order.)
printf 'five' >"$tmp/replay/e-five"
printf 'three' >"$tmp/replay/a-three"
printf 'slow-two-with-more-bytes' >"$tmp/replay/c-slow"
printf 'four' >"$tmp/replay/d-four"
printf 'one' >"$tmp/replay/b-one"
printf 'hidden' >"$tmp/replay/.dot"
mkdir "$tmp/replay/subdir"
cp "$tmp/replay"/?-* "$tmp/in/"
printf 'x' >"$tmp/empty/.only-a-dot-file"

run() { # run NAME REPLAY_DIR|-: afl-fuzz with the mutator; exit status in $rc
	local name=$1 dir=$2
	local -a env_dir=(COVEMON_AFL_REPLAY_DIR="$dir")
	[ "$dir" = - ] && env_dir=(-u COVEMON_AFL_REPLAY_DIR)
	rc=0
	env "${env_dir[@]}" PROBE_LOG="$tmp/log-$name" AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_TRY_AFFINITY=1 \
		AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_KILL_SIGNAL=12 \
		AFL_CUSTOM_MUTATOR_LIBRARY="$tmp/replay.so" AFL_CUSTOM_MUTATOR_ONLY=1 AFL_DISABLE_TRIM=1 \
		timeout $((SECONDS_EACH + 60)) afl-fuzz -i "$tmp/in" -o "$tmp/out-$name" -V "$SECONDS_EACH" \
		-s 1 -- "$tmp/probe" >"$tmp/afl-$name.log" 2>&1 || rc=$?
}

run replay "$tmp/replay"
if [ "$rc" -ne 0 ]; then
	bad "afl-fuzz exited $rc"
	tail -5 "$tmp/afl-replay.log"
else
	log="$tmp/log-replay"
	counts=$(sort "$log" | uniq -c | awk '{ print $2 "=" $1 }' | paste -sd' ' -)
	others=$(grep -v -x -e one -e three -e slow-two-with-more-bytes -e four -e five "$log" | sort -u | head -3 | paste -sd'|' - || true)
	[ -z "$others" ] && echo "  ran only the replay files" || bad "ran inputs that are not the replay files: $others"
	# After afl-fuzz's calibration of its seeds (the same five files), a
	# strict cycle in name order: a-three, b-one, c-slow, d-four, e-five.
	breaks=$(awk 'BEGIN { split("three one slow-two-with-more-bytes four five", c, " ") }
		NR == 101 { for (k = 1; k <= 5; k++) if (c[k] == $0) at = k - 1 }
		NR > 100 { if ($0 != c[(at + NR - 101) % 5 + 1]) bad++ }
		END { print NR <= 3100 ? "too few runs (" NR ")" : bad + 0 }' "$log")
	[ "$breaks" = 0 ] || bad "not round robin in name order: $breaks break(s) of the cycle ($counts)"
	echo "  replay: $counts; breaks of the cycle after the first 100 runs: $breaks"
fi

for case in missing:- empty:"$tmp/empty"; do
	name=${case%%:*}
	run "$name" "${case#*:}"
	if [ "$rc" -eq 0 ]; then
		bad "$name: afl-fuzz ran without a usable replay directory"
	elif ! grep -q "covemon replay mutator: " "$tmp/afl-$name.log"; then
		bad "$name: afl-fuzz stopped (exit $rc) without the mutator's message"
		tail -3 "$tmp/afl-$name.log"
	else
		echo "  $name: afl-fuzz stops: $(grep -o 'covemon replay mutator: .*' "$tmp/afl-$name.log" | head -1)"
	fi
done
[ $fail -eq 0 ] && echo "test_afl_replay_mutator: ok"
exit $fail
