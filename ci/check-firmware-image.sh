#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Checks the linked M-mode image: no segment is both writable and
# executable, code and read-only data end on a page boundary before anything
# writable starts (so a PMP or MMU could keep them apart), the stack canary
# support is linked in, and no writable function pointer is in the image
# (STYLE.md: handler tables are static const):
#   - every writable section with contents (.data, .sdata, ...) is read as
#     8-byte aligned values; none may point into an executable section;
#   - no relocation (an image linked with --emit-relocs, or dynamic ones)
#     may store a code address into a writable section.
# .bss and .mondata are NOBITS: all zero in the image, so nothing to scan
# there; a pointer written at run time is out of reach of this check.
# Usage: check-firmware-image.sh IMAGE.elf
#        check-firmware-image.sh --self-test   (builds images with and without
#        a writable function pointer and checks that only the bad one fails)
set -uo pipefail
usage="usage: check-firmware-image.sh IMAGE.elf | --self-test"
img=${1:?$usage}

# Writable function pointers in ELF64 little-endian IMAGE (stdout: findings).
writable_code_pointers() {
	python3 - "$1" <<'PY'
import struct, sys

SHT_SYMTAB, SHT_NOBITS, SHT_RELA, SHT_REL = 2, 8, 4, 9
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 0x1, 0x2, 0x4
STT_FUNC, STT_SECTION, STT_FILE = 2, 3, 4

data = open(sys.argv[1], "rb").read()
if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
    sys.exit("not an ELF64 little-endian file")
shoff, = struct.unpack_from("<Q", data, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
secs = []
for i in range(shnum):
    name, typ, flags, addr, off, size, link, info, _, entsize = struct.unpack_from(
        "<IIQQQQIIQQ", data, shoff + i * shentsize)
    secs.append(dict(name=name, type=typ, flags=flags, addr=addr, off=off, size=size,
                     link=link, info=info, entsize=entsize))
def cstr(off):
    return data[off:data.index(b"\0", off)].decode(errors="replace")
for s in secs:
    s["name"] = cstr(secs[shstrndx]["off"] + s["name"])

alloc = lambda s: s["flags"] & SHF_ALLOC
code = [s for s in secs if alloc(s) and s["flags"] & SHF_EXECINSTR]
writable = [s for s in secs if alloc(s) and s["flags"] & SHF_WRITE]

syms = []
for s in secs:
    if s["type"] != SHT_SYMTAB:
        continue
    strtab = secs[s["link"]]["off"]
    for i in range(s["size"] // 24):
        name, info, _, shndx, value, size = struct.unpack_from("<IBBHQQ", data, s["off"] + 24 * i)
        syms.append(dict(name=cstr(strtab + name), type=info & 0xF, shndx=shndx, value=value, size=size))
    break

def in_code(a):
    return next((s for s in code if s["addr"] <= a < s["addr"] + s["size"]), None)
def containing(a, sec, want=None):
    """The symbol of section @sec holding address @a: sized ones first."""
    idx = secs.index(sec)
    cand = [y for y in syms if y["shndx"] == idx and y["name"] and y["value"] <= a
            and y["type"] not in (STT_SECTION, STT_FILE) and (want is None or y["type"] == want)]
    for y in cand:
        if a < y["value"] + y["size"]:
            return y["name"]
    best = max(cand, key=lambda y: y["value"], default=None)
    if best is None:
        return "?"
    return best["name"] + ("+0x%x" % (a - best["value"]) if a != best["value"] else "")
def slot(s, a):
    return "%s+0x%x (%s)" % (s["name"], a - s["addr"], containing(a, s))

found = 0
etype, = struct.unpack_from("<H", data, 0x10)
for s in writable:
    # Addresses mean nothing in a relocatable object (ET_REL): relocations only.
    if s["type"] == SHT_NOBITS or etype == 1:
        continue
    blob = data[s["off"]:s["off"] + s["size"]]
    for a in range((s["addr"] + 7) & ~7, s["addr"] + s["size"] - 7, 8):
        v, = struct.unpack_from("<Q", blob, a - s["addr"])
        c = in_code(v)
        if c:
            print("%s holds 0x%x, code in %s (%s): a writable function pointer"
                  % (slot(s, a), v, c["name"], containing(v, c, STT_FUNC)))
            found += 1
for r in secs:
    if r["type"] not in (SHT_RELA, SHT_REL):
        continue
    size = 24 if r["type"] == SHT_RELA else 16
    symsec = secs[r["link"]] if r["link"] else None
    for i in range(r["size"] // size):
        off, info = struct.unpack_from("<QQ", data, r["off"] + size * i)
        addend = struct.unpack_from("<q", data, r["off"] + size * i + 16)[0] if size == 24 else 0
        # The slot: section sh_info at an offset (ET_REL) or an address (linked images).
        if r["info"]:
            ws = secs[r["info"]]
            where = ws["addr"] + off if etype == 1 else off
            if ws not in writable:
                continue
        else:
            where = off
            ws = next((w for w in writable if w["addr"] <= where < w["addr"] + w["size"]), None)
            if ws is None:
                continue
        sym = None
        if symsec and info >> 32:
            name, sinfo, _, shndx, value, _ = struct.unpack_from(
                "<IBBHQQ", data, symsec["off"] + 24 * (info >> 32))
            sym = dict(name=cstr(secs[symsec["link"]]["off"] + name), type=sinfo & 0xF,
                       sec=secs[shndx] if shndx < len(secs) else None, value=value)
        dest = (sym["value"] if sym else 0) + addend
        if sym and (sym["type"] == STT_FUNC or sym["sec"] in code):
            what = sym["name"] or sym["sec"]["name"]
        elif in_code(dest):
            what = "0x%x" % dest
        else:
            continue
        print("%s: relocation type %d stores the code address of %s: a writable function pointer"
              % (slot(ws, where), info & 0xFFFFFFFF, what))
        found += 1
sys.exit(1 if found else 0)
PY
}
# --self-test: the check must fail on an image with a writable function
# pointer (in .data, in .sdata, as a relocation) and pass on one without.
self_test() {
	local dir cc=riscv64-unknown-elf-gcc ok=1 out
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' RETURN
	cat >"$dir/image.c" <<'C'
/* A firmware-like image: a read-only handler table (allowed) and, with
 * WRITABLE_HOOK, a function pointer in writable data (not allowed). */
unsigned long __stack_chk_guard = 0x5ec;
void __stack_chk_fail(void);
void _start(void);
void __stack_chk_fail(void)
{
	for (;;) {
	}
}
static void handler(void)
{
}
static void (*const table[])(void) = { handler };
#ifdef WRITABLE_HOOK
void (*volatile hook)(void) = handler;
#endif
void _start(void)
{
	table[0]();
#ifdef WRITABLE_HOOK
	hook();
#endif
	__stack_chk_fail();
}
C
	cat >"$dir/image.ld" <<'LD'
ENTRY(_start)
SECTIONS
{
	. = 0x80000000;
	.text : { *(.text .text.*) }
	. = ALIGN(4096);
	_fw_rx_end = .;
	.rodata : { *(.rodata .rodata.* .srodata .srodata.*) }
	. = ALIGN(4096);
	.data : { *(.data .data.* .sdata .sdata.*) }
	.bss (NOLOAD) : { *(.bss .bss.* .sbss .sbss.* COMMON) }
}
LD
	local flags=(-march=rv64imac_zicsr -mabi=lp64 -mcmodel=medany -O1 -ffreestanding -nostdlib
		-fno-pic -static -Wl,-T,"$dir/image.ld")
	"$cc" "${flags[@]}" -o "$dir/clean.elf" "$dir/image.c" &&
		"$cc" "${flags[@]}" -DWRITABLE_HOOK -msmall-data-limit=0 -o "$dir/data.elf" "$dir/image.c" &&
		"$cc" "${flags[@]}" -DWRITABLE_HOOK -msmall-data-limit=8 -Wl,-q -o "$dir/sdata-relocs.elf" \
			"$dir/image.c" &&
		"$cc" "${flags[@]}" -c -o "$dir/clean.o" "$dir/image.c" &&
		"$cc" "${flags[@]}" -DWRITABLE_HOOK -c -o "$dir/hook.o" "$dir/image.c" ||
		{ echo "check-firmware-image: self-test: cannot build the test images" >&2; return 1; }
	# expect NAME STATUS PATTERN... CMD...: CMD exits STATUS and prints every PATTERN.
	expect() {
		local name=$1 want=$2 pats=() rc
		shift 2
		while [ "$1" != -- ]; do pats+=("$1"); shift; done
		shift
		out=$("$@" 2>&1)
		rc=$?
		local p miss=""
		for p in "${pats[@]}"; do grep -qF -- "$p" <<<"$out" || miss="$miss '$p'"; done
		if [ "$rc" != "$want" ] || [ -n "$miss" ]; then
			echo "check-firmware-image: self-test: $name: exit $rc (want $want), missing:${miss:- none}" >&2
			printf '%s\n' "$out" >&2
			ok=0
		else
			echo "check-firmware-image: self-test: $name: exit $rc as expected"
		fi
	}
	expect "image without a writable function pointer" 0 "no writable function pointer" -- \
		"$0" "$dir/clean.elf"
	expect "pointer in .data" 1 ".data+0x" "(hook)" "(handler)" "writable function pointer" -- \
		"$0" "$dir/data.elf"
	expect "small-data pointer (.sdata), linked with --emit-relocs" 1 ".data+0x" "(hook)" \
		"relocation type 2 stores the code address of handler" -- "$0" "$dir/sdata-relocs.elf"
	expect "relocatable object with the pointer" 1 "(hook)" "stores the code address of" -- \
		writable_code_pointers "$dir/hook.o"
	expect "relocatable object without it" 0 -- writable_code_pointers "$dir/clean.o"
	[ $ok = 1 ]
}
if [ "$img" = --self-test ]; then
	self_test
	exit
fi
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
if ! found=$(writable_code_pointers "$img"); then
	while read -r line; do
		echo "check-firmware-image: $line" >&2
	done <<<"${found:-cannot read $img}"
	fail=1
fi
[ $fail = 0 ] && echo "check-firmware-image: $img: no W+X segment, code page-aligned before data, canaries linked, no writable function pointer"
exit $fail
