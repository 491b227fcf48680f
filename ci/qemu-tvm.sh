#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The demo hypervisor (firmware/payloads/hypervisor) on covemon's firmware:
# it promotes a VM to a TVM, runs its two vCPUs, serves their exits and
# destroys the TVM. Passes when QEMU exits 0 (the payload's SRST with reason
# "none", sent only when every check passed) and the console shows each
# stage of the TVM's life.
# Usage: qemu-tvm.sh FIRMWARE.elf PAYLOAD.elf SMP [QEMU-ARG...]
#        (extra arguments go to QEMU, e.g. -cpu rv64,x-epmp=true)
set -uo pipefail
usage="usage: qemu-tvm.sh FIRMWARE.elf PAYLOAD.elf SMP [QEMU-ARG...]"
fw=${1:?$usage}
payload=${2:?$usage}
smp=${3:?$usage}
shift 3
for f in "$fw" "$payload"; do
	[ -f "$f" ] || { echo "qemu-tvm: missing $f (./covemon build firmware)" >&2; exit 1; }
done
out=$(timeout 45 qemu-system-riscv64 -M virt -m 256M -smp "$smp" -nographic -monitor none \
	-serial stdio -bios "$fw" -kernel "$payload" "$@" 2>&1)
rc=$?
printf '%s\n' "$out"
fail=0
expect() {
	grep -qF -- "$1" <<<"$out" || { echo "qemu-tvm: the console never showed '$1'" >&2; fail=1; }
}
expect 'hypervisor: promote_to_tvm: TVM '
expect '[tvm vcpu0] hello from a confidential VM'
expect 'guest: MMIO device id'
expect 'hypervisor: doorbell: the shared page says'
expect 'guest: timer interrupt after WFI'
expect '[tvm vcpu1] hello from vCPU 1'
expect 'guest: all steps passed, shutting down'
expect 'hypervisor: destroy_tvm: TVM '
expect ' is gone '
expect 'hypervisor: PASS'
if [ "$rc" != 0 ]; then
	echo "qemu-tvm: QEMU exited $rc, not 0 (124 = timeout)" >&2
	fail=1
fi
[ $fail = 0 ] && echo "qemu-tvm: a TVM was created, ran on $smp hart(s) and was destroyed"
exit $fail
