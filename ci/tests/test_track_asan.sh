#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# ASan through the tracking callbacks (host-shim/src/track.c, ASan builds):
# the probe (host-shim/tests/track_asan_probe.c, compiled as the libFuzzer
# build compiles the monitor) makes one bad access per mode. Each must end
# in an AddressSanitizer report of the right kind whose first frame outside
# ASan's runtime is the probe function that made the access, not a tracking
# callback (they pass the check on as a tail call); "none" must run clean.
# Usage: ci/tests/test_track_asan.sh PROBE (build/fuzz/host-shim/track_asan_probe)
set -uo pipefail
probe=${1:?usage: test_track_asan.sh PROBE}
[ -x "$probe" ] || { echo "test_track_asan: no probe at $probe (./covemon build fuzz)" >&2; exit 2; }
fail=0

out=$("$probe" none 2>&1) || { echo "  FAIL: a clean run exited $?: $out"; fail=1; }

check() { # check MODE KIND FUNCTION
	local mode=$1 kind=$2 fn=$3 out rc=0 first
	out=$(ASAN_OPTIONS=symbolize=1 "$probe" "$mode" 2>&1) || rc=$?
	first=$(grep -oE '^ +#[0-9]+ 0x[0-9a-f]+ in [A-Za-z_0-9]+' <<<"$out" | awk '{print $4}' |
		grep -v -m1 '^__asan_')
	if [ "$rc" -eq 0 ]; then
		echo "  FAIL: $mode: no report"
		fail=1
	elif ! grep -q "ERROR: AddressSanitizer: $kind" <<<"$out"; then
		echo "  FAIL: $mode: not a $kind report:"
		grep -m3 -E 'ERROR|SUMMARY' <<<"$out"
		fail=1
	elif [ "$first" != "$fn" ]; then
		echo "  FAIL: $mode: the first frame outside ASan is '$first', not $fn"
		grep -m4 -E '^ +#' <<<"$out"
		fail=1
	else
		echo "  $mode: $kind in $fn"
	fi
}
check store heap-buffer-overflow probe_store
check load heap-buffer-overflow probe_load
check increment heap-use-after-free probe_increment
check copy heap-buffer-overflow probe_copy
[ $fail -eq 0 ] && echo "test_track_asan: ok"
exit $fail
