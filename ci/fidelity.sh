#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The shim fidelity check: runs the case table of firmware/fidelity/table.c
# on QEMU (the M-mode firmware FIDELITY_ELF, one boot per group of cases,
# with -cpu rv64,x-epmp=true for the Smepmp groups) and on the host shim
# (SHIM_PROGRAM), and compares the two transcripts line by line.
#
# A differing line fails the check unless its case id carries a
# "# known: <case-id>" marker in table.c (a documented QEMU quirk or a shim
# bug reported and awaiting its fix); such lines are listed as tolerated.
# A marker whose case now matches is reported as stale (not a failure).
#
# Usage: fidelity.sh FIDELITY_ELF SHIM_PROGRAM
# Exit status: 0 when the transcripts match (up to known cases), 1 otherwise.
set -uo pipefail

elf=${1:-}
shim=${2:-}
if [ -z "$elf" ] || [ -z "$shim" ] || [ $# -ne 2 ]; then
	echo "usage: fidelity.sh FIDELITY_ELF SHIM_PROGRAM" >&2
	exit 1
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
table=$root/firmware/fidelity/table.c
if [ ! -f "$elf" ]; then
	echo "fidelity: no firmware at $elf (build the firmware preset: ./covemon build firmware)" >&2
	exit 1
fi
if [ ! -x "$shim" ]; then
	echo "fidelity: no shim program at $shim (build the host preset)" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fidelity.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# The group plan comes from the same table, through the shim program.
if ! "$shim" --plan >"$work/plan"; then
	echo "fidelity: $shim --plan failed" >&2
	exit 1
fi
if [ ! -s "$work/plan" ]; then
	echo "fidelity: empty group plan" >&2
	exit 1
fi

# QEMU: one boot per group; the loader device puts the group number where
# the firmware reads it (FID_ARG_ADDR in table.h).
: >"$work/qemu"
while read -r _ group cpu; do
	case $cpu in
	epmp) cpuopt=rv64,x-epmp=true ;;
	*) cpuopt=rv64 ;;
	esac
	timeout 30 qemu-system-riscv64 -M virt -m 128M -smp 1 -cpu "$cpuopt" -nographic \
		-monitor none -serial stdio -bios "$elf" \
		-device loader,addr=0x87fff000,data="$group",data-len=4 \
		</dev/null >"$work/boot" 2>&1
	rc=$?
	tr -d '\r' <"$work/boot" >>"$work/qemu"
	if [ $rc -ne 0 ]; then
		cat "$work/boot" >&2
		echo "fidelity: QEMU exited $rc for group $group (-cpu $cpuopt; 124 = timeout)" >&2
		exit 1
	fi
	if ! grep -qx "fid-end $group" <(tr -d '\r' <"$work/boot"); then
		echo "fidelity: group $group did not finish on QEMU" >&2
		exit 1
	fi
done <"$work/plan"

if ! "$shim" >"$work/shim.raw" 2>"$work/shim.err"; then
	cat "$work/shim.err" >&2
	echo "fidelity: $shim failed" >&2
	exit 1
fi

grep '^fid ' "$work/qemu" >"$work/q" || true
grep '^fid ' "$work/shim.raw" >"$work/s" || true
mapfile -t qlines <"$work/q"
mapfile -t slines <"$work/s"
mapfile -t known < <(grep -o '# known: [A-Za-z0-9_.-]\+' "$table" | awk '{ print $3 }' | sort -u)

is_known() {
	local k
	for k in "${known[@]}"; do
		[ "$k" = "$1" ] && return 0
	done
	return 1
}

if [ ${#qlines[@]} -ne ${#slines[@]} ] || [ ${#qlines[@]} -eq 0 ]; then
	diff -u --label qemu --label shim "$work/q" "$work/s"
	echo "fidelity: QEMU printed ${#qlines[@]} probe lines, the shim ${#slines[@]}" >&2
	exit 1
fi

failures=0
tolerated=0
declare -A differs=()
for i in "${!qlines[@]}"; do
	q=${qlines[$i]}
	s=${slines[$i]}
	read -r _ qid qn _ <<<"$q"
	read -r _ sid sn _ <<<"$s"
	if [ "$qid $qn" != "$sid $sn" ]; then
		echo "fidelity: transcripts out of step at line $((i + 1)): '$qid $qn' vs '$sid $sn'" >&2
		exit 1
	fi
	[ "$q" = "$s" ] && continue
	differs[$qid]=1
	if is_known "$qid"; then
		tolerated=$((tolerated + 1))
		echo "known  qemu: $q"
		echo "       shim: $s"
	else
		failures=$((failures + 1))
		echo "DIFF   qemu: $q"
		echo "       shim: $s"
	fi
done

for k in "${known[@]}"; do
	if ! grep -q "^fid $k #" "$work/q"; then
		echo "fidelity: '# known: $k' names no case in the transcript" >&2
		failures=$((failures + 1))
	elif [ -z "${differs[$k]:-}" ]; then
		echo "fidelity: stale marker: case $k now matches; remove its '# known:' in table.c"
	fi
done

cases=$(awk '{ print $2 }' "$work/q" | sort -u | wc -l)
echo "fidelity: ${#qlines[@]} probes in $cases cases; $tolerated known differences, $failures unexpected"
[ $failures -eq 0 ]
