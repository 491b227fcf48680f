#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Self-check of ci/fuzz_campaign.py (about 20 s): replay verdicts and exit
# codes on an empty file, random bytes, a seed, a missing path and a mixed
# directory; a crash verdict through a stand-in replay binary (a shell script,
# nothing is built); a 10-second libFuzzer campaign on fdt; usage errors; and
# the tool's own unit tests of crash signatures and dedup (selftest).
# Needs build/host (replay + fuzz-text) and build/fuzz (libFuzzer) builds.
# Prints "N passed, N failed"; exits non-zero when a check fails.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOL=(python3 "$ROOT/ci/fuzz_campaign.py")
BUILD=${COVEMON_BUILD_DIR:-$ROOT/build}
unset COVEMON_BUILD_DIR COVEMON_FUZZ_TRACE

passed=0
failed=0
ok() {
	passed=$((passed + 1))
	echo "ok   $1"
}
bad() {
	failed=$((failed + 1))
	echo "FAIL $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | tail -n 25 | sed 's/^/     | /'
}

for b in "$BUILD/host/fuzz/fuzz_sequence" "$BUILD/host/fuzz/fuzz_fdt" "$BUILD/fuzz/fuzz/fuzz_fdt"; do
	if [ ! -x "$b" ]; then
		echo "test_fuzz_campaign: $b is missing (build the host and fuzz presets first)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/covemon-fc-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# out/rc of the last call
run() {
	out=$("$@" 2>&1)
	rc=$?
}

# check NAME WANT_RC PATTERN...: the last call exited WANT_RC, printed every
# PATTERN (grep -E) and no Python traceback.
check() {
	local name=$1 want=$2
	shift 2
	if [ "$rc" -ne "$want" ]; then
		bad "$name (exit $rc, want $want)" "$out"
		return
	fi
	if grep -q "Traceback (most recent call last)" <<<"$out"; then
		bad "$name (Python traceback)" "$out"
		return
	fi
	local p
	for p in "$@"; do
		if ! grep -Eq -- "$p" <<<"$out"; then
			bad "$name (no match for: $p)" "$out"
			return
		fi
	done
	ok "$name"
}

seed=$(find "$ROOT/fuzz/corpus/sequence" -type f | sort | head -n 1)
: >"$TMP/empty.bin"
python3 -c 'import random, sys; r = random.Random(20240601)
sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(512)))' >"$TMP/random.bin"
mkdir -p "$TMP/mixed/sub"
cp "$TMP/empty.bin" "$TMP/random.bin" "$TMP/mixed/"
cp "$seed" "$TMP/mixed/sub/seed.bin"
echo "not an input" >"$TMP/mixed/README.md"

# ---------------------------------------------------------- selftest ---
run "${TOOL[@]}" selftest
check "selftest: crash signatures and dedup" 0 "^OK"

# ------------------------------------------------------------ replay ---
run "${TOOL[@]}" replay "$TMP/empty.bin"
check "replay: empty file is ok" 0 "empty.bin: ok$" "1 ok, 0 crash, 0 unreadable"

run "${TOOL[@]}" replay "$TMP/random.bin"
check "replay: random bytes are ok" 0 "random.bin: ok$"

run "${TOOL[@]}" replay "$seed"
check "replay: a seed is ok" 0 "$(basename "$seed"): .*ok$"

run "${TOOL[@]}" replay "$TMP/does-not-exist"
check "replay: nonexistent path is unreadable, exit 2" 2 \
	"does-not-exist: unreadable \(no such file or directory\)"

run "${TOOL[@]}" replay "$TMP/mixed"
check "replay: mixed directory (README skipped, recursive)" 0 \
	"empty.bin: ok$" "random.bin: ok$" "sub/seed.bin: ok$" "3 file\(s\): 3 ok, 0 crash, 0 unreadable"

run "${TOOL[@]}" replay "$TMP/mixed" "$TMP/does-not-exist"
check "replay: directory plus a missing path, exit 2" 2 "4 file\(s\): 3 ok, 0 crash, 1 unreadable"

run "${TOOL[@]}" replay --trace "$seed"
check "replay --trace: text form and per-operation trace" 0 "text form" "^    version 2 config " "op 0: "

run "${TOOL[@]}" replay
check "replay: no arguments is a usage error" 2 "usage:"

run "${TOOL[@]}" replay --target nosuchtarget "$seed"
check "replay: unknown --target is a usage error" 2 "unknown target"

# A crash verdict without building anything: a stand-in replay binary that
# prints a canned ASan report for inputs starting with "BUG".
fake="$TMP/fakebuild/host/fuzz"
mkdir -p "$fake"
cat >"$fake/fuzz_sequence" <<'EOF'
#!/bin/sh
for f in "$@"; do
	[ -r "$f" ] || { echo "replay: cannot open $f" >&2; exit 2; }
	if [ "$(head -c 3 "$f")" = "BUG" ]; then
		cat >&2 <<'R'
=================================================================
==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000016 at pc 0x1 bp 0x2 sp 0x3
READ of size 1 at 0x602000000016 thread T0
    #0 0x55 in tvm_lookup /src/covemon/monitor/src/tvm.c:40
    #1 0x55 in covh_handle /src/covemon/monitor/src/covh.c:88
    #2 0x55 in mon_ecall /src/covemon/monitor/src/dispatch.c:17
    #3 0x55 in replay_file /src/covemon/fuzz/common/replay_main.c:48
SUMMARY: AddressSanitizer: heap-buffer-overflow /src/covemon/monitor/src/tvm.c:40 in tvm_lookup
==4242==ABORTING
R
		exit 1
	fi
	echo "replay: $f: ok"
done
EOF
chmod +x "$fake/fuzz_sequence"
printf 'BUG and more' >"$TMP/crash.bin"
run env COVEMON_BUILD_DIR="$TMP/fakebuild" "${TOOL[@]}" replay "$TMP/crash.bin" "$TMP/empty.bin"
check "replay: a crash prints its signature and report, exit 1" 1 \
	"crash.bin: CRASH heap-buffer-overflow in tvm_lookup < covh_handle < mon_ecall$" \
	"ERROR: AddressSanitizer" "empty.bin: ok$" "1 ok, 1 crash, 0 unreadable"

# --------------------------------------------------------------- run ---
run "${TOOL[@]}" run nosuchtarget --time 1
check "run: unknown target, exit 2" 2 "unknown target 'nosuchtarget'"

run "${TOOL[@]}" run fdt --jobs 0
check "run: --jobs 0, exit 2" 2 "must be >= 1"

run "${TOOL[@]}" run fdt --time soon
check "run: --time soon, exit 2" 2 "not a number"

run "${TOOL[@]}" run fdt --engine honggfuzz
check "run: unknown engine, exit 2" 2 "invalid choice"

camp="$TMP/campaign"
run "${TOOL[@]}" run fdt --time 10 --jobs 1 --dir "$camp" --quiet
if [ "$rc" -eq 1 ]; then
	rc=0 # a real crash found in 10 s is not a failure of the tool
fi
check "run fdt --time 10 --jobs 1: summary" 0 "covemon fuzz campaign summary" \
	"target +fdt" "total execs +[1-9][0-9]*" "coverage +cov [1-9]" "unique crashes +[0-9]+"
rows=$(($(wc -l <"$camp/stats.csv" 2>/dev/null || echo 1) - 1))
if [ "$rows" -ge 1 ] && head -n 1 "$camp/stats.csv" | grep -q '^time,execs_per_sec,coverage,corpus,crashes$'; then
	ok "run: stats.csv has a header and $rows row(s)"
else
	bad "run: stats.csv missing or empty" "$(cat "$camp/stats.csv" 2>&1)"
fi
if python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
assert d["target"] == "fdt" and d["status"] == "finished" and d["total_execs"] > 0' \
	"$camp/campaign.json" 2>/dev/null; then
	ok "run: campaign.json records the finished campaign"
else
	bad "run: campaign.json" "$(cat "$camp/campaign.json" 2>&1)"
fi

run "${TOOL[@]}" run fdt --time 1 --dir "$camp"
check "run: a non-empty --dir is refused, exit 2" 2 "not empty"

# ------------------------------------------------------------ report ---
run "${TOOL[@]}" report "$TMP/mixed"
check "report: not a campaign directory, exit 2" 2 "no campaign.json"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
