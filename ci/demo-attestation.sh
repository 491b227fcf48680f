#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The local-attestation walk-through of `./covemon demo`, on the host shim:
# a TVM owner predicts a VM's registers (covemon-tap measure), seals a secret
# for them (seal, inspect), and the test hypervisor (tap-e2e) promotes the VM
# with that TAP: the guest receives the secret. Then the host cheats twice:
# one changed kernel byte, and a TAP sealed for another platform; both are
# refused with AUTH and no TVM. Exit 0 when all of that happened.
# Usage: ci/demo-attestation.sh [BUILD_DIR]   (default build/host)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/host}
tap=$build/tools/tap/covemon-tap
e2e=$build/tools/tap/tests/tap-e2e
for b in "$tap" "$e2e"; do
	[ -x "$b" ] || { echo "demo-attestation: $b is missing (build the host preset)" >&2; exit 2; }
done
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d" || exit 2
ok=0
step() { printf '\n--- %s\n' "$*"; }
# say CMD...: shows the command (tool names without their build path) on stderr, runs it.
say() {
	local shown=("${@/#$build\/tools\/tap\/tests\//}")
	shown=("${shown[@]/#$build\/tools\/tap\//}")
	{
		printf '$'
		printf ' %q' "${shown[@]}"
		printf '\n'
	} >&2
	"$@"
}

step "the TVM owner describes the VM the hypervisor will build"
"$e2e" fdt guest.dtb 1 0x80000000 4M >/dev/null || exit 1
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 13 + 7) & 0xff for i in range(12000)))' >kernel.bin
cat >vm.manifest <<'M'
gstage sv39x4
map 0x80000000 256K rw          # RAM: FDT, TAP, stack
map 0x80200000 64K rx           # kernel text
load 0x80200000 kernel.bin
fdt 0x80001000 guest.dtb
tap 0x80004000                  # the TAP goes here; its bytes measure as zero
entry 0x80200000
reg a0 0
reg a1 0x80001000
reg sp 0x8003fff0
M
cat vm.manifest
printf %s 'covemon-shim-insecure-dev-root!!' >platform.key # the shim's public dev root
"$tap" keygen -o other-platform.key >/dev/null || exit 1

step "predict the registers the monitor will compute, seal a secret for them"
say "$tap" measure vm.manifest | tee mr.txt || exit 1
say "$tap" seal --key platform.key --measurements mr.txt \
	--secret 1="disk key: correct horse battery staple" -o vm.tap || exit 1
say "$tap" inspect vm.tap || exit 1

step "the hypervisor promotes the VM with the TAP; the guest asks for its secret"
say "$e2e" run vm.manifest --tap vm.tap --buffer 0x80010000 | tee run.txt
hex=$(sed -n 's/^secrets //p' run.txt)
if grep -qx 'promote 0 tvm 1' run.txt && [ -n "$hex" ]; then
	printf 'the guest received: %s\n' \
		"$(python3 -c 'import sys; b=bytes.fromhex(sys.argv[1]); print(b[12:].decode())' "$hex")"
else
	echo "demo-attestation: the TVM did not get its secret" >&2
	ok=1
fi

step "the host changes one byte of the kernel: the TVM is not the one sealed for"
python3 -c 'import sys; b=bytearray(open("kernel.bin","rb").read()); b[100]^=1; open("kernel.bin","wb").write(b)'
say "$e2e" run vm.manifest --tap vm.tap --buffer 0x80010000 | tee bad.txt
grep -qx 'promote -1001' bad.txt && grep -qx 'tvm none' bad.txt || { echo "demo-attestation: not refused" >&2; ok=1; }

step "a TAP sealed for another platform's key"
python3 -c 'import sys; b=bytearray(open("kernel.bin","rb").read()); b[100]^=1; open("kernel.bin","wb").write(b)'
"$tap" seal --key other-platform.key --measurements mr.txt --secret 1=x -o other.tap || exit 1
say "$e2e" run vm.manifest --tap other.tap --buffer 0x80010000 | tee other.txt
grep -qx 'promote -1001' other.txt && grep -qx 'tvm none' other.txt || { echo "demo-attestation: not refused" >&2; ok=1; }
exit $ok
