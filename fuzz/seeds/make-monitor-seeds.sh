#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Regenerates the binary seeds of the monitor-level targets from the text
# seeds in fuzz/seeds/sequence/*.txt with fuzz-text:
#   sequence: each text seed as is
#   guest:    the seeds that start from a running vCPU
#   call:     every host/guest call line, from each prepared state
#   promote:  a few image geometries with and without patches
#   boot:     the shim's platform on a few worlds, and with a device and a reserved range
#   sequence also gets attack-aNN.bin: each attack scenario's recorded calls
# Usage: make-monitor-seeds.sh [FUZZ_TEXT_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
ft=${1:-build/host/fuzz/fuzz-text}
[ -x "$ft" ] || { echo "make-monitor-seeds: build fuzz-text first (./covemon build host)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p fuzz/corpus/sequence fuzz/corpus/guest fuzz/corpus/call fuzz/corpus/promote

for t in fuzz/seeds/sequence/*.txt; do
	n=$(basename "$t" .txt)
	"$ft" encode "$t" "fuzz/corpus/sequence/$n.bin"
	if head -n 5 "$t" | grep -q '^version 2 config 0x2'; then
		cp "fuzz/corpus/sequence/$n.bin" "fuzz/corpus/guest/$n.bin"
	fi
done

i=0
for cfg in 0x01 0x11 0x21 0x31; do
	grep -hE '^(host|guest) ' fuzz/seeds/sequence/*.txt | sort -u | while IFS= read -r line; do
		printf 'version 2 config %s\n%s\n' "$cfg" "$line" >"$tmp/one.txt"
		"$ft" encode "$tmp/one.txt" "$tmp/one.bin"
		# the call target's input is the encoding without the version byte
		tail -c +2 "$tmp/one.bin" >"fuzz/corpus/call/${cfg}-$(printf '%s' "$line" | cksum | cut -d' ' -f1).bin"
	done
	i=$((i + 1))
done

# every attack scenario's calls, recorded as it runs (ci/attacks.py --emit-seeds)
if [ -x build/host/attacks/attack_scenarios ]; then
	python3 ci/attacks.py --emit-seeds fuzz/corpus/sequence >/dev/null
fi

# promote: pages, vcpus, mode (BUILD_VM's), then 11-byte patches (where, index, value)
printf '\x08\x02\x00' >fuzz/corpus/promote/valid-sv39x4.bin
printf '\x06\x01\x01' >fuzz/corpus/promote/valid-sv48x4.bin
printf '\x06\x04\x02' >fuzz/corpus/promote/valid-sv57x4.bin
# with a TAP carrying MR0 (mode 0x18), and one split across two pages (0x58)
printf '\x04\x01\x18' >fuzz/corpus/promote/tap-mr0.bin
printf '\x04\x01\x58' >fuzz/corpus/promote/tap-mr0-split.bin
printf '\x08\x02\x00\x00\x00\x00\xdf\x00\x00\x20\x00\x00\x00\x00' >fuzz/corpus/promote/root-entry-0-leaf.bin
printf '\x08\x02\x00\x80\x00\x10\xff\x00\x00\x00\x00\x00\x00\x00' >fuzz/corpus/promote/fdt-byte.bin
# boot: world (harts - 1, Smepmp), PMP entries, then 10-byte patches (field, how, value)
mkdir -p fuzz/corpus/boot
printf '\x00\x10' >fuzz/corpus/boot/one-hart.bin
printf '\x07\x10' >fuzz/corpus/boot/four-harts-smepmp.bin
# 2 harts, Smepmp, 32 PMP entries; a private device (4 KiB at 0x10000000, outside
# DRAM) and a reserved range (64 KiB at DRAM + 2 MiB)
printf '\x05\x20\x09\x03\x01\x00\x00\x00\x00\x00\x00\x00\x0a\x00\x00\x00\x00\x10\x00\x00\x00\x00\x0b\x02\x0c\x00\x00\x00\x00\x00\x00\x00\x0f\x03\x01\x00\x00\x00\x00\x00\x00\x00\x10\x01\x00\x00\x20\x00\x00\x00\x00\x00\x11\x04\x10\x00\x00\x00\x00\x00\x00\x00' >fuzz/corpus/boot/device-and-reserved.bin
echo "make-monitor-seeds: $(ls fuzz/corpus/boot | wc -l) boot, $(ls fuzz/corpus/call | wc -l) call, $(ls fuzz/corpus/guest | wc -l) guest, $(ls fuzz/corpus/promote | wc -l) promote, $(ls fuzz/corpus/sequence | wc -l) sequence seeds"
