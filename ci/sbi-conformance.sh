#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Boots the SBI conformance payload (firmware/payloads/sbi-conformance) on an
# SBI implementation and compares its transcript with the expected one.
#
# usage: sbi-conformance.sh FIRMWARE PAYLOAD_ELF [options]
#   --smp N             harts (default 4; expected.txt is for 4)
#   --expected FILE     expected transcript (default: the payload's expected.txt)
#   --known NAME        apply the "#!NAME <line>" known differences of FILE
#                       (the reference implementation's documented deviations)
#   --skip-unless TEXT  exit 77 (skipped) when the console never shows TEXT
#   --timeout S         QEMU's time limit (default 30)
#   --save FILE         write the whole transcript (impl. lines included) to FILE
#   --no-compare        only run and check the transcript's form (regenerating)
#
# Passes (0) when the payload ran to its end marker, QEMU shut down before
# the time limit, every line is well formed with a unique id, and the
# transcript without its impl. lines equals the expected one. Exit 1 on a
# failure, 2 on bad usage, 77 when skipped.
set -uo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
usage() {
	sed -n '5,17p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

[ $# -ge 2 ] || usage
firmware=$1
payload=$2
shift 2
smp=4
expected=$(cd "$here/.." && pwd)/firmware/payloads/sbi-conformance/expected.txt
known=
skip_unless=
limit=30
save=
compare=1
while [ $# -gt 0 ]; do
	case $1 in
	--smp) smp=${2:?}; shift 2 ;;
	--expected) expected=${2:?}; shift 2 ;;
	--known) known=${2:?}; shift 2 ;;
	--skip-unless) skip_unless=${2:?}; shift 2 ;;
	--timeout) limit=${2:?}; shift 2 ;;
	--save) save=${2:?}; shift 2 ;;
	--no-compare) compare=0; shift ;;
	*) usage ;;
	esac
done

fail() {
	echo "sbi-conformance: FAIL: $*" >&2
	exit 1
}

[ -f "$firmware" ] || fail "no firmware image at $firmware"
[ -f "$payload" ] || fail "no payload at $payload (build the firmware preset: ./covemon build firmware)"
[ $compare -eq 0 ] || [ -f "$expected" ] || fail "no expected transcript at $expected"
command -v qemu-system-riscv64 >/dev/null || fail "qemu-system-riscv64 is not installed (ci/setup.sh)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/console.log

timeout "$limit" qemu-system-riscv64 -M virt -m 256M -smp "$smp" -nographic -monitor none \
	-serial stdio -bios "$firmware" -kernel "$payload" </dev/null 2>&1 | tr -d '\r' | cat -v >"$log"
rc=${PIPESTATUS[0]}

show_log() {
	echo "---- console (last 60 lines) ----" >&2
	tail -n 60 "$log" >&2
	echo "---------------------------------" >&2
}

if [ -n "$skip_unless" ] && ! grep -qaF -- "$skip_unless" "$log"; then
	show_log
	echo "sbi-conformance: SKIP: the firmware never printed '$skip_unless'," \
		"so it does not boot S-mode payloads yet" >&2
	exit 77
fi

begin='sbi-conformance: begin'
if ! grep -qaxF "$begin" "$log"; then
	show_log
	fail "the payload never started (no '$begin'; QEMU exit $rc, 124 = timeout)"
fi
# The transcript: the lines between the markers.
awk -v b="$begin" '
	$0 == b { on = 1; next }
	/^sbi-conformance: end \([0-9]+ lines\)$/ { if (on) { exit } }
	on { print }
' "$log" >"$work/transcript"
end_line=$(grep -a -m1 -E '^sbi-conformance: end \([0-9]+ lines\)$' "$log" || true)
if [ -z "$end_line" ]; then
	show_log
	fail "the payload did not reach its end marker (QEMU exit $rc, 124 = timeout)"
fi
[ -z "$save" ] || cp "$work/transcript" "$save"

if grep -qa '^payload: ' "$log"; then
	show_log
	fail "the payload reported an error: $(grep -a -m1 '^payload: ' "$log")"
fi
if [ "$rc" -eq 124 ]; then
	show_log
	fail "QEMU did not exit within ${limit}s: the final SRST shutdown did not work"
fi
[ "$rc" -eq 0 ] || { show_log; fail "QEMU exited $rc"; }

# Form: the payload's own count, "<id> <verdict>" lines, unique ids. Problems
# are collected so that one run shows all of them, the comparison included.
problems=0
problem() {
	echo "sbi-conformance: $*" >&2
	problems=$((problems + 1))
}
lines=$(wc -l <"$work/transcript")
claimed=$(sed -E 's/.*\(([0-9]+) lines\)/\1/' <<<"$end_line")
[ "$lines" -eq "$claimed" ] ||
	problem "the transcript has $lines lines, the payload wrote $claimed (foreign output between the markers?)"
bad=$(grep -anvE '^(impl\.)?[a-z][a-z0-9_]*\.[!-~]+ [ -~]*[!-~]$' "$work/transcript" | head -5)
[ -z "$bad" ] || problem "malformed transcript lines (control bytes shown as ^X):"$'\n'"$bad"
dups=$(cut -d' ' -f1 "$work/transcript" | sort | uniq -d | head -5)
[ -z "$dups" ] || problem "ids written more than once: $dups"

if [ $compare -eq 0 ]; then
	cat "$work/transcript"
	[ $problems -eq 0 ] || fail "$problems problems with the transcript's form"
	echo "sbi-conformance: $lines well-formed lines (not compared)"
	exit 0
fi

# The expected transcript: comments and blank lines dropped; with --known NAME,
# each "#!NAME <line>" replaces the expected line that has the same id.
awk -v known="$known" '
	FNR == NR {
		if (known != "" && index($0, "#!" known " ") == 1) {
			line = substr($0, length(known) + 4)
			split(line, f, " ")
			if (f[1] in subst) {
				print "two known differences for " f[1] > "/dev/stderr"
				bad = 1
			}
			subst[f[1]] = line
		}
		next
	}
	/^[ \t]*(#|$)/ { next }
	/^impl\./ { next }
	{
		if ($1 in seen) {
			print "expected transcript repeats " $1 > "/dev/stderr"
			bad = 1
		}
		seen[$1] = 1
		if ($1 in subst) {
			print subst[$1]
			used[$1] = 1
		} else {
			print
		}
	}
	END {
		for (id in subst) {
			if (!(id in used)) {
				print "known difference for " id " matches no expected line" > "/dev/stderr"
				bad = 1
			}
		}
		exit bad
	}
' "$expected" "$expected" >"$work/expected" || fail "bad expected transcript $expected"
if [ -n "$known" ] && ! grep -q "^#!$known " "$expected"; then
	fail "$expected records no known differences for '$known'"
fi

grep -av '^impl\.' "$work/transcript" >"$work/actual"
if ! diff -u --label expected --label actual "$work/expected" "$work/actual" >"$work/diff"; then
	cat "$work/diff" >&2
	problem "the transcript differs from $expected${known:+ (with the known differences of $known)}" \
		"in $(grep -c '^[-+][^-+]' "$work/diff") lines"
fi
[ $problems -eq 0 ] || fail "$problems problems on $(basename "$firmware")"
echo "sbi-conformance: $(wc -l <"$work/actual") lines match $(basename "$expected")" \
	"${known:+(with the known differences of $known) }on $(basename "$firmware")," \
	"$(grep -c '^impl\.' "$work/transcript") impl. lines not compared"
