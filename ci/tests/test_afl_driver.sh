#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The AFL++ driver (fuzz/common/afl_driver.c) under afl-fuzz, in both of its
# modes: "direct" (AFL_KILL_SIGNAL=SIGUSR2, the child answers afl-fuzz
# itself) and "classic" (AFL++'s persistent loop: AFL_KILL_SIGNAL unset,
# and COVEMON_AFL_CLASSIC=1 with it set). A probe target crashes on inputs
# starting with "CR", hangs on "HN" and aborts if LLVMFuzzerInitialize did not
# run first. For each mode: afl-fuzz exits cleanly, every child ran in the
# expected mode, stability is 100 %, there are crashes and hangs, every
# crash file starts with "CR" and crashes the probe when run standalone,
# every hang file starts with "HN" (a status out of step with its input
# would show up as misattributed or bogus crashes). Also the probe alone:
# a file runs once, a missing file is exit 2.
# Usage: ci/tests/test_afl_driver.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${COVEMON_AFL_DRIVER_TEST_SECONDS:-6}

for tool in afl-clang-fast afl-fuzz; do
	command -v "$tool" >/dev/null || { echo "test_afl_driver: $tool not found (apt-get install afl++)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "  FAIL: $*"
	fail=1
}

cat >"$tmp/probe.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
static int ready;
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ready = 1;
	return 0;
}
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		abort();
	}
	if (size > 1 && data[0] == 'C' && data[1] == 'R') {
		abort();
	}
	if (size > 1 && data[0] == 'H' && data[1] == 'N') {
		for (volatile int spin = 1; spin;) {
		}
	}
	return 0;
}
EOF
# The driver without edge counters, as the afl preset builds it: its own
# branches (the first input against the others) would count as unstable.
cc -O2 -c -o "$tmp/afl_driver.o" "$ROOT/fuzz/common/afl_driver.c"
AFL_QUIET=1 afl-clang-fast -O2 -o "$tmp/probe" "$tmp/probe.c" "$tmp/afl_driver.o"
mkdir "$tmp/in"
printf 'AAAA' >"$tmp/in/a"

# The probe alone: no fork server, each file once.
"$tmp/probe" "$tmp/in/a" || bad "standalone run of a clean file exited $?"
printf 'CRASH' >"$tmp/crash"
rc=0
"$tmp/probe" "$tmp/crash" 2>/dev/null || rc=$?
[ "$rc" -eq 134 ] || bad "standalone run of a crashing file exited $rc, not 134 (SIGABRT)"
rc=0
"$tmp/probe" "$tmp/missing" 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || bad "a missing file exited $rc, not 2"

stat_of() { awk -v k="$1" '$1 == k { print $3 }' "$2"; }

run_mode() { # run_mode NAME EXPECTED_MODE ENV_ARGS... (as env(1) takes them)
	local name=$1 want=$2
	shift 2
	local out="$tmp/out-$name" log="$tmp/modes-$name"
	local rc=0
	env "$@" AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_TRY_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
		COVEMON_AFL_DRIVER_LOG="$log" \
		timeout $((SECONDS_EACH + 60)) afl-fuzz -i "$tmp/in" -o "$out" -t 50 -V "$SECONDS_EACH" \
		-s 1 -- "$tmp/probe" >"$tmp/afl-$name.log" 2>&1 || rc=$?
	local st="$out/default/fuzzer_stats"
	if [ "$rc" -ne 0 ] || [ ! -f "$st" ]; then
		bad "$name: afl-fuzz exited $rc"
		tail -5 "$tmp/afl-$name.log"
		return
	fi
	local modes
	modes=$(sort -u "$log" | paste -sd, -)
	[ "$modes" = "$want" ] || bad "$name: children ran in mode(s) '$modes', expected '$want'"
	local execs stability crashes hangs rate
	execs=$(stat_of execs_done "$st")
	stability=$(stat_of stability "$st")
	crashes=$(stat_of saved_crashes "$st")
	hangs=$(stat_of saved_hangs "$st")
	rate=$(stat_of execs_per_sec "$st")
	[ "${execs:-0}" -gt 1000 ] || bad "$name: only ${execs:-0} executions"
	[ "$stability" = "100.00%" ] || bad "$name: stability $stability"
	[ "${crashes:-0}" -ge 1 ] || bad "$name: no crash found"
	[ "${hangs:-0}" -ge 1 ] || bad "$name: no hang found"
	local f n=0
	for f in "$out"/default/crashes/id:*; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		[ "$(head -c2 "$f")" = CR ] || bad "$name: crash $(basename "$f") does not start with CR"
		rc=0
		"$tmp/probe" "$f" 2>/dev/null || rc=$?
		[ "$rc" -eq 134 ] || bad "$name: crash $(basename "$f") exits $rc standalone"
	done
	for f in "$out"/default/hangs/id:*; do
		[ -e "$f" ] || continue
		[ "$(head -c2 "$f")" = HN ] || bad "$name: hang $(basename "$f") does not start with HN"
	done
	echo "  $name: $execs executions, ${rate%.*} exec/s, $crashes crash(es) ($n files), $hangs hang(s), stability $stability, modes $modes"
}

run_mode direct direct AFL_KILL_SIGNAL=12
run_mode classic classic -u AFL_KILL_SIGNAL
run_mode classic-forced classic AFL_KILL_SIGNAL=12 COVEMON_AFL_CLASSIC=1

# A child outlives afl-fuzz only until it reads the end of its request pipe.
left() { ps -eo stat=,args= | awk -v p="$tmp/probe" '$1 !~ /^Z/ && $2 == p' | wc -l; }
for _ in $(seq 50); do
	[ "$(left)" -eq 0 ] && break
	sleep 0.1
done
if [ "$(left)" -ne 0 ]; then
	ps -eo pid=,ppid=,stat=,etime=,args= | awk -v p="$tmp/probe" '$5 == p'
	bad "probe processes left running"
	pkill -9 -f "$tmp/probe" || true
fi
[ $fail -eq 0 ] && echo "test_afl_driver: ok"
exit $fail
