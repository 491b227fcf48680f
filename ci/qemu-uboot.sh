#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Debian's S-mode U-Boot (u-boot-qemu: qemu-riscv64_smode/u-boot.bin) boots on
# covemon's firmware to its prompt, runs `version` and `poweroff`, and QEMU
# exits 0 through SBI SRST. U-Boot uses the firmware's SBI runtime for its
# timer, HSM (secondary harts) and the reset.
# Usage: qemu-uboot.sh FIRMWARE.elf [SMP]
set -uo pipefail
fw=${1:?usage: qemu-uboot.sh FIRMWARE.elf [SMP]}
smp=${2:-2}
uboot=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
for f in "$fw" "$uboot"; do
	[ -f "$f" ] || { echo "qemu-uboot: missing $f (./covemon build firmware; ci/setup.sh)" >&2; exit 1; }
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Keys are typed once the prompt can take them: one to stop autoboot, then the commands.
{
	for _ in $(seq 1 100); do
		grep -q 'Hit any key' "$out" 2>/dev/null && break
		sleep 0.1
	done
	printf ' '
	for _ in $(seq 1 50); do
		grep -q '^=> ' "$out" 2>/dev/null && break
		sleep 0.1
	done
	printf 'version\r'
	sleep 0.5
	printf 'poweroff\r'
	sleep 5
} | timeout 60 qemu-system-riscv64 -M virt -m 256M -smp "$smp" -nographic -monitor none \
	-serial stdio -bios "$fw" -kernel "$uboot" >"$out" 2>&1
rc=${PIPESTATUS[1]}
tr -d '\r' <"$out"
fail=0
grep -q 'covemon sbi: next stage' "$out" || { echo "qemu-uboot: no handover banner" >&2; fail=1; }
grep -q '^=> ' "$out" || { echo "qemu-uboot: U-Boot never showed its prompt" >&2; fail=1; }
grep -q '^U-Boot 20' "$out" || { echo "qemu-uboot: no U-Boot banner" >&2; fail=1; }
grep -q 'riscv64-linux-gnu-gcc\|GCC\|gcc' "$out" || { echo "qemu-uboot: 'version' printed no toolchain line" >&2; fail=1; }
[ "$rc" = 0 ] || { echo "qemu-uboot: QEMU exited $rc, not 0 through poweroff (124 = timeout)" >&2; fail=1; }
[ $fail = 0 ] && echo "qemu-uboot: U-Boot booted on covemon (-smp $smp), ran version and poweroff"
exit $fail
