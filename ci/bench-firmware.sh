#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# ./covemon bench firmware: figures of the M-mode image on QEMU virt.
#   - time from reset to the next stage's first instruction: a probe payload
#     (assembled here) reads the time CSR first thing and prints it; QEMU runs
#     with -icount so the figure counts emulated time, not host noise;
#   - retired instructions (minstret) of a run_tvm_vcpu -> guest ecall ->
#     exit round trip and of promote_to_tvm per MiB of guest memory: the
#     demo hypervisor's bench mode (firmware/payloads/hypervisor/bench.c)
#     reads instret around its calls, with -icount as well, on one hart;
#   - the image's text/data/bss;
#   - lines of C and assembly in the trusted base (monitor + firmware).
# Fails when a payload does not report its figures.
# Usage: bench-firmware.sh [FIRMWARE.elf [BENCH-PAYLOAD.elf]]
#        (the payload defaults to hypervisor-bench.elf of the firmware's build)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fw=${1:-$root/build/firmware/firmware/covemon.elf}
bench=${2:-$(dirname "$fw")/payloads/hypervisor/hypervisor-bench.elf}
[ -f "$fw" ] || { echo "bench-firmware: no image at $fw (./covemon build firmware)" >&2; exit 1; }
[ -f "$bench" ] || { echo "bench-firmware: no bench payload at $bench (./covemon build firmware)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The probe: rdtime, then print it in hex with the legacy console, then SRST shutdown.
cat >"$tmp/probe.S" <<'ASM'
	.section .text
	.globl _start
_start:
	rdtime	s0
	rdinstret s2
	call	hex
	mv	s0, s2
	call	hex
	li	a0, 0
	li	a1, 0
	li	a6, 0
	li	a7, 0x53525354
	ecall
3:	j	3b
hex:	mv	s3, ra
	li	s1, 60
1:	srl	a0, s0, s1
	andi	a0, a0, 15
	li	t0, 10
	blt	a0, t0, 2f
	addi	a0, a0, 'a' - '0' - 10
2:	addi	a0, a0, '0'
	li	a7, 1
	ecall
	addi	s1, s1, -4
	bgez	s1, 1b
	li	a0, '\n'
	li	a7, 1
	ecall
	mv	ra, s3
	ret
ASM
riscv64-unknown-elf-gcc -march=rv64imac_zicsr -mabi=lp64 -nostdlib -static \
	-Wl,-Ttext=0x80200000 -o "$tmp/probe.elf" "$tmp/probe.S" || exit 1
# Five boots; the median (the firmware polls the UART, so a few instructions vary).
ticks=() insns=()
for _ in 1 2 3 4 5; do
	out=$(timeout 60 qemu-system-riscv64 -M virt -m 256M -smp 1 -nographic -monitor none \
		-serial stdio -icount shift=0 -bios "$fw" -kernel "$tmp/probe.elf" 2>&1 | tr -d '\r')
	nums=$(grep -E '^[0-9a-f]{16}$' <<<"$out")
	[ "$(wc -l <<<"$nums")" = 2 ] || { echo "bench-firmware: the probe payload printed no figures" >&2; printf '%s\n' "$out" >&2; exit 1; }
	ticks+=($((16#$(sed -n 1p <<<"$nums"))))
	insns+=($((16#$(sed -n 2p <<<"$nums"))))
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
t=$(median "${ticks[@]}")
n=$(median "${insns[@]}")
echo "firmware figures ($(basename "$fw"), QEMU $(qemu-system-riscv64 --version | head -1 | awk '{print $4}'))"
printf '  reset to the next stage'"'"'s first instruction: %d instructions retired (minstret), %d timer ticks = %d.%03d ms of emulated time (-icount shift=0, median of 5)\n' \
	"$n" "$t" $((t / 10000)) $(((t / 10) % 1000))

# The bench payload: one boot (under -icount every figure is the same from
# run to run; the payload keeps the least and the median of its repetitions).
out=$(timeout 300 qemu-system-riscv64 -M virt -m 256M -smp 1 -nographic -monitor none \
	-serial stdio -icount shift=0 -bios "$fw" -kernel "$bench" 2>&1 | tr -d '\r')
rc=$?
figure() {
	awk -v name="$1" '$1 == "bench-figure" && $2 == name && $3 ~ /^[0-9]+$/ { print $3; exit }' <<<"$out"
}
sbi=$(figure sbi_call_min)
rt_min=$(figure round_trip_min)
rt_med=$(figure round_trip_median)
rt_max=$(figure round_trip_max)
rt_n=$(figure round_trips)
p1=$(figure promote_1mib)
p2=$(figure promote_2mib)
p4=$(figure promote_4mib)
if [ "$rc" != 0 ] || [ -z "$sbi" ] || [ -z "$rt_min" ] || [ -z "$rt_med" ] || [ -z "$rt_max" ] ||
	[ -z "$rt_n" ] || [ -z "$p1" ] || [ -z "$p2" ] || [ -z "$p4" ]; then
	echo "bench-firmware: the bench payload $(basename "$bench") did not report its figures (QEMU exited $rc)" >&2
	printf '%s\n' "$out" >&2
	exit 1
fi
per_mib=$(((p4 - p1) / 3))
printf '  run_tvm_vcpu -> guest ecall -> exit round trip: %d instructions retired (minstret), median of %d (min %d, max %d); host ecall to its return, the guest'"'"'s DBCN console_write_byte forwarded as the exit (-icount shift=0, -smp 1)\n' \
	"$rt_med" "$rt_n" "$rt_min" "$rt_max"
printf '  for scale, a host SBI call the monitor answers (Base get_spec_version): %d instructions retired (minstret), least of %d\n' \
	"$sbi" "$rt_n"
printf '  promote_to_tvm per MiB of guest memory: %d instructions retired (minstret), from %d (1 MiB), %d (2 MiB), %d (4 MiB) with every guest page mapped (least of 3 each; per MiB = (4 MiB - 1 MiB) / 3; fixed part %d)\n' \
	"$per_mib" "$p1" "$p2" "$p4" $((p1 - per_mib))
read -r text data bss _ < <(riscv64-unknown-elf-size "$fw" | awk 'NR == 2')
printf '  image: text %d B, data %d B, bss %d B (bss: stacks, FDT copy, the monitor data region)\n' "$text" "$data" "$bss"
python3 - "$root" <<'PY'
import os, re, sys
root = sys.argv[1]
def count(paths, exts):
    n = 0
    for base in paths:
        for d, _, files in os.walk(os.path.join(root, base)):
            if "/tests" in d or "payloads" in d or "fidelity" in d:
                continue
            for f in files:
                if os.path.splitext(f)[1] in exts:
                    text = open(os.path.join(d, f), errors="replace").read()
                    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
                    n += sum(1 for l in text.splitlines()
                             if l.strip() and not l.strip().startswith(("//", "#", "*")) or l.strip().startswith(("#include", "#define", "#if")))
    return n
mon_c = count(["monitor/src", "monitor/lib", "monitor/include"], {".c", ".h"})
fw_c = count(["firmware"], {".c", ".h"})
fw_s = count(["firmware"], {".S"})
print(f"  trusted base: {mon_c + fw_c} lines of C (monitor {mon_c}, firmware {fw_c}), {fw_s} lines of assembly")
PY
