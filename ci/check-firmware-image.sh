#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Checks the linked M-mode image: no segment is both writable and
# executable, code and read-only data end on a page boundary before anything
# writable starts (so a PMP or MMU could keep them apart), and the stack
# canary support is linked in. Usage: check-firmware-image.sh IMAGE.elf
set -uo pipefail
img=${1:?usage: check-firmware-image.sh IMAGE.elf}
[ -f "$img" ] || { echo "check-firmware-image: no image at $img" >&2; exit 1; }
readelf=riscv64-unknown-elf-readelf
nm=riscv64-unknown-elf-nm
fail=0
segs=$("$readelf" -lW "$img" | awk '$1 == "LOAD"')
[ -n "$segs" ] || { echo "check-firmware-image: no LOAD segments in $img" >&2; exit 1; }
while read -r _ _ vaddr _ _ _ flags _; do
	if [[ $flags == *W* && $flags == *E* ]]; then
		echo "check-firmware-image: segment at $vaddr is writable and executable ($flags)" >&2
		fail=1
	fi
done <<<"$(awk '{ f = ""; for (i = 7; i < NF; i++) f = f $i; print $1, $2, $3, $4, $5, $6, f, $NF }' <<<"$segs")"
rx_end=$("$nm" "$img" | awk '$3 == "_fw_rx_end" { print $1 }')
data=$("$readelf" -SW "$img" | awk '{ for (i = 1; i < NF; i++) if ($i == ".data") print $(i + 2) }')
if [ -z "$rx_end" ] || [ -z "$data" ] || [ $((16#$rx_end & 0xfff)) -ne 0 ] ||
	[ $((16#$data)) -lt $((16#$rx_end)) ]; then
	echo "check-firmware-image: code does not end on a page before .data (_fw_rx_end $rx_end, .data $data)" >&2
	fail=1
fi
syms=$("$nm" "$img")
for sym in __stack_chk_guard __stack_chk_fail; do
	grep -q " $sym\$" <<<"$syms" || { echo "check-firmware-image: $sym missing (stack protector off?)" >&2; fail=1; }
done
[ $fail = 0 ] && echo "check-firmware-image: $img: no W+X segment, code page-aligned before data, canaries linked"
exit $fail
