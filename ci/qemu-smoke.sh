#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Boots a firmware image on qemu-system-riscv64 -M virt and passes when QEMU
# exits 0 through the finisher and the console shows the boot banner.
# Usage: qemu-smoke.sh IMAGE.elf [EXPECTED-TEXT]
set -uo pipefail
img=${1:?usage: qemu-smoke.sh IMAGE.elf [EXPECTED-TEXT]}
want=${2:-covemon firmware}
if [ ! -f "$img" ]; then
	echo "qemu-smoke: no image at $img (build the firmware preset: ./covemon build firmware)" >&2
	exit 1
fi
out=$(timeout 30 qemu-system-riscv64 -M virt -m 256M -smp 1 -nographic -monitor none \
	-serial stdio -bios "$img" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $rc -ne 0 ]; then
	echo "qemu-smoke: QEMU exited $rc (124 = timeout)" >&2
	exit 1
fi
if ! grep -qF "$want" <<<"$out"; then
	echo "qemu-smoke: console did not show '$want'" >&2
	exit 1
fi
echo "qemu-smoke: $img booted and exited 0"
