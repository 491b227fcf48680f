#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes the seed corpora of the leaf fuzz targets (fdt, insn, crypto).

Deterministic and self-contained (python3 standard library only): the same
files, byte for byte, on every run. The devicetrees come from a small DTB
writer below (Devicetree Specification v0.4, chapter 5), the QEMU virt tree
from the test data in monitor/tests/fdt_qemu_virt_dtb.h; instructions are
assembled from the RISC-V encoding tables; crypto inputs follow the layout
documented at the top of fuzz/targets/crypto.c.

    fuzz/seeds/make-leaf-seeds.py            write fuzz/corpus/{fdt,insn,crypto}/
    fuzz/seeds/make-leaf-seeds.py --check    exit 1 if a file differs or is missing
    fuzz/seeds/make-leaf-seeds.py --out DIR  write DIR/{fdt,insn,crypto}/ instead
"""

import argparse
import os
import re
import struct
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
QEMU_VIRT_HEADER = os.path.join(ROOT, "monitor", "tests", "fdt_qemu_virt_dtb.h")
MAX_SEED = 8 * 1024

# ---------------------------------------------------------------- devicetrees

FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def u32(*vals):
    return b"".join(struct.pack(">I", v) for v in vals)


def u64(*vals):
    return b"".join(struct.pack(">Q", v) for v in vals)


def s(text):
    return text.encode() + b"\0"


def strs(*texts):
    return b"".join(s(t) for t in texts)


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


class Node:
    """A devicetree node: a name, properties (name, bytes) in order, children."""

    def __init__(self, name, props=(), children=()):
        self.name = name
        self.props = list(props)
        self.children = list(children)


def tokens(node, nops=False):
    """The structure-block tokens of @node's subtree, as tuples."""
    out = [("begin", node.name)]
    for name, value in node.props:
        if nops:
            out.append(("nop",))
        out.append(("prop", name, value))
    for child in node.children:
        if nops:
            out.append(("nop",))
        out.extend(tokens(child, nops))
    out.append(("end",))
    return out


class Strings:
    """The strings block: each name once, in order of first use."""

    def __init__(self):
        self.blob = b""
        self.offsets = {}

    def offset(self, name):
        if name not in self.offsets:
            self.offsets[name] = len(self.blob)
            self.blob += s(name)
        return self.offsets[name]


def assemble(toks, strings):
    out = b""
    for t in toks:
        kind = t[0]
        if kind == "begin":
            out += u32(FDT_BEGIN_NODE) + pad4(s(t[1]))
        elif kind == "prop":
            nameoff = t[3] if len(t) > 3 else strings.offset(t[1])
            out += u32(FDT_PROP, len(t[2]), nameoff) + pad4(t[2])
        elif kind == "end":
            out += u32(FDT_END_NODE)
        elif kind == "nop":
            out += u32(FDT_NOP)
        elif kind == "fdt_end":
            out += u32(FDT_END)
        elif kind == "raw":
            out += t[1]
        else:
            raise ValueError(kind)
    return out


def dtb(root=None, toks=None, rsv=(), version=17, last_comp=16, trailer=b"", fixup=None,
        strings_extra=b""):
    """A DTB: header, reservation block, structure block, strings block.

    @toks replaces the tokens of @root (for malformed blobs); FDT_END is
    appended to @root's tokens but not to @toks. @trailer follows the blob
    beyond totalsize. @fixup(header_fields) may change header fields.
    """
    strings = Strings()
    if toks is None:
        toks = tokens(root) + [("fdt_end",)]
    struct_block = assemble(toks, strings)
    strings_block = strings.blob + strings_extra
    rsv_block = b"".join(u64(a, n) for a, n in rsv) + u64(0, 0)
    off_rsv = 40
    off_struct = off_rsv + len(rsv_block)
    off_strings = off_struct + len(struct_block)
    total = off_strings + len(strings_block)
    h = {
        "magic": FDT_MAGIC, "totalsize": total, "off_dt_struct": off_struct,
        "off_dt_strings": off_strings, "off_mem_rsvmap": off_rsv, "version": version,
        "last_comp_version": last_comp, "boot_cpuid_phys": 0,
        "size_dt_strings": len(strings_block), "size_dt_struct": len(struct_block),
    }
    if fixup:
        fixup(h)
    header = u32(h["magic"], h["totalsize"], h["off_dt_struct"], h["off_dt_strings"],
                 h["off_mem_rsvmap"], h["version"], h["last_comp_version"],
                 h["boot_cpuid_phys"], h["size_dt_strings"], h["size_dt_struct"])
    return header + rsv_block + struct_block + strings_block + trailer


def cpu(i, isa="rv64imafdch"):
    return Node("cpu@%d" % i, [
        ("device_type", s("cpu")), ("reg", u32(i)), ("status", s("okay")),
        ("compatible", s("riscv")), ("riscv,isa", s(isa)), ("mmu-type", s("riscv,sv48")),
    ], [Node("interrupt-controller", [
        ("#interrupt-cells", u32(1)), ("interrupt-controller", b""),
        ("compatible", s("riscv,cpu-intc")), ("phandle", u32(i + 1)),
    ])])


def board(ncpus=4, initrd=(0x84000000, 0x84200000), initrd_cells=2, mem_cells=(2, 2),
          mem_reg=None, extra_root_props=(), extra_nodes=()):
    """A tree shaped like the QEMU virt machine's, small."""
    ac, sc = mem_cells
    if mem_reg is None:
        mem_reg = [(0x80000000, 0x10000000)]
    reg = b""
    for base, size in mem_reg:
        reg += (u64(base) if ac == 2 else u32(base)) + (u64(size) if sc == 2 else u32(size))
    chosen = [("bootargs", s("console=ttyS0 earlycon")),
              ("stdout-path", s("/soc/serial@10000000"))]
    if initrd is not None:
        pack = u64 if initrd_cells == 2 else u32
        chosen += [("linux,initrd-start", pack(initrd[0])),
                   ("linux,initrd-end", pack(initrd[1]))]
    cpus = [cpu(i) for i in range(ncpus)]
    cpus.append(Node("cpu-map", [], [Node("cluster0", [], [
        Node("core%d" % i, [("cpu", u32(i + 1))]) for i in range(ncpus)])]))
    return Node("", [
        ("#address-cells", u32(ac)), ("#size-cells", u32(sc)),
        ("compatible", s("riscv-virtio")), ("model", s("riscv-virtio,qemu")),
    ] + list(extra_root_props), [
        Node("chosen", chosen),
        Node("memory@%x" % mem_reg[0][0], [("device_type", s("memory")), ("reg", reg)]),
        Node("cpus", [("#address-cells", u32(1)), ("#size-cells", u32(0)),
                      ("timebase-frequency", u32(10000000))], cpus),
        Node("soc", [("#address-cells", u32(2)), ("#size-cells", u32(2)),
                     ("compatible", s("simple-bus")), ("ranges", b"")], [
            Node("serial@10000000", [
                ("interrupts", u32(10)), ("clock-frequency", u32(3686400)),
                ("reg", u64(0x10000000, 0x100)), ("compatible", s("ns16550a"))]),
        ]),
    ] + list(extra_nodes))


def nested(depth):
    """A root with a chain of single children, @depth nodes in all."""
    node = Node("leaf", [("reg", u64(0x1000) + u32(0x10))])
    for i in range(depth - 2, 0, -1):
        node = Node("n%d" % i, [("#address-cells", u32(2)), ("#size-cells", u32(1))], [node])
    return Node("", [], [node] if depth > 1 else [])


def qemu_virt():
    """The QEMU virt DTB the unit tests use, or None when the header is absent."""
    try:
        with open(QEMU_VIRT_HEADER) as f:
            text = f.read()
    except OSError:
        return None
    body = text[text.index("{"):text.rindex("}")]
    return bytes(int(x, 16) for x in re.findall(r"0x([0-9a-fA-F]{2})", body))


def fdt_seeds():
    out = {}
    root_only = Node("")
    out["valid-minimal.dtb"] = dtb(root_only)
    out["valid-board.dtb"] = dtb(board(), rsv=[(0x80000000, 0x200000), (0x88000000, 0x1000)])
    out["valid-initrd32.dtb"] = dtb(board(ncpus=1, initrd_cells=1, mem_cells=(1, 1)))
    out["valid-no-initrd.dtb"] = dtb(board(ncpus=2, initrd=None))
    # Version 16 has no size_dt_struct: the walk finds FDT_END, the strings follow.
    out["valid-v16.dtb"] = dtb(board(ncpus=2), version=16, last_comp=16,
                               fixup=lambda h: h.update(size_dt_struct=0))
    # NOPs before the root, between properties and nodes, after the root.
    toks = [("nop",)] + tokens(board(ncpus=2), nops=True) + [("nop",), ("fdt_end",)]
    out["valid-nops.dtb"] = dtb(toks=toks)
    out["valid-reg-multi.dtb"] = dtb(board(ncpus=1, mem_cells=(2, 2), mem_reg=[
        (0x80000000, 0x8000000), (0x90000000, 0x8000000), (0x100000000, 0x40000000),
        (0xFFFFFFFFFFFFF000, 0x1000)]))
    out["valid-depth16.dtb"] = dtb(nested(16))
    out["valid-rsv-many.dtb"] = dtb(root_only, rsv=[(0x1000 * (i + 1), 0x100) for i in range(20)])
    # Memory without a unit address, "cpu" without one, a node named "cpus@0",
    # duplicate properties (the first wins), an empty property name.
    odd = Node("", [("#address-cells", u32(1)), ("#size-cells", u32(1)), ("", b"x"),
                    ("model", s("first")), ("model", s("second"))], [
        Node("cpus", [("#address-cells", u32(1)), ("#size-cells", u32(0))], [
            Node("cpu", [("device_type", s("cpu")), ("reg", u32(0))]),
            Node("cpu@1", [("device_type", s("cpu")), ("reg", u32(1))]),
            Node("cpu@2", [("device_type", s("cpux")), ("reg", u32(2))]),
            Node("cpux", [("device_type", s("cpu"))]),
        ]),
        Node("cpus@0", []),  # "/cpus" finds the node above: first match in blob order
        Node("memory", [("device_type", s("memory")), ("reg", u32(0x80000000, 0x1000000))]),
        Node("memory@90000000", [("device_type", s("memory")),
                                 ("reg", u32(0x90000000, 0x1000000))]),
        Node("chosen", [("linux,initrd-start", u32(0x100)), ("linux,initrd-end", u64(0x200))]),
    ])
    out["valid-odd-names.dtb"] = dtb(odd)
    # Bytes beyond totalsize: readers must stay inside totalsize.
    out["valid-padded.dtb"] = dtb(board(ncpus=1), trailer=b"\xff" * 64)
    # A property name that is the tail of another string (as dtc shares suffixes).
    shared = [("begin", ""), ("prop", "#address-cells", u32(2)), ("prop", "#size-cells", u32(1)),
              ("begin", "memory@0"), ("prop", "cells", u32(1), 9),
              ("prop", "device_type", s("memory")), ("prop", "reg", u64(0) + u32(0x1000)),
              ("end",), ("end",), ("fdt_end",)]
    out["valid-suffix-names.dtb"] = dtb(toks=shared)
    virt = qemu_virt()
    if virt is not None:
        out["valid-qemu-virt.dtb"] = virt

    # Valid blobs whose contents the readers must refuse.
    bad_chosen = Node("", [], [Node("chosen", [("linux,initrd-start", u64(0x2000)),
                                               ("linux,initrd-end", u64(0x1000))]),
                               Node("memory@0", [("device_type", s("memory")),
                                                 ("reg", u64(0xFFFFFFFFFFFFFFF0) + u32(0x20))])])
    out["content-bad-initrd-reg.dtb"] = dtb(bad_chosen)
    bad_cells = Node("", [("#address-cells", u32(3)), ("#size-cells", u32(1))], [
        Node("memory@0", [("device_type", s("memory")), ("reg", u32(0, 0, 0, 0x1000))]),
        Node("chosen", [("linux,initrd-start", b"\0\0\x10")]),
        Node("bus", [("#address-cells", u32(1)), ("#size-cells", u32(1))], [
            Node("dev@0", [("reg", u32(0, 0x10, 0x20))])]),
    ])
    out["content-bad-cells.dtb"] = dtb(bad_cells)

    # Malformed blobs fdt_init must refuse.
    good = board(ncpus=1)
    out["bad-magic.dtb"] = dtb(good, fixup=lambda h: h.update(magic=0xD00DFEEE))
    out["bad-truncated.dtb"] = dtb(good)[:-8]
    out["bad-depth17.dtb"] = dtb(nested(17))
    after_child = [("begin", ""), ("begin", "a"), ("end",), ("prop", "late", u32(1)), ("end",),
                   ("fdt_end",)]
    out["bad-prop-after-subnode.dtb"] = dtb(toks=after_child)
    out["bad-unterminated-name.dtb"] = dtb(toks=[("begin", ""),
                                                 ("raw", u32(FDT_BEGIN_NODE) + b"abcd")])
    out["bad-no-end.dtb"] = dtb(toks=tokens(good))
    out["bad-unbalanced.dtb"] = dtb(toks=tokens(good) + [("end",), ("fdt_end",)])
    out["bad-nameoff.dtb"] = dtb(toks=[("begin", ""), ("prop", "x", u32(1), 0x1000), ("end",),
                                       ("fdt_end",)])
    out["bad-rsv-wraps.dtb"] = dtb(good, rsv=[(0xFFFFFFFFFFFFFFFF, 2)])
    out["bad-two-roots.dtb"] = dtb(toks=[("begin", ""), ("end",), ("begin", ""), ("end",),
                                         ("fdt_end",)])
    out["bad-named-root.dtb"] = dtb(toks=[("begin", "root"), ("end",), ("fdt_end",)])
    out["bad-v17-junk-after-end.dtb"] = dtb(toks=tokens(good) + [("fdt_end",), ("nop",)])
    out["bad-last-comp.dtb"] = dtb(good, fixup=lambda h: h.update(last_comp_version=18,
                                                                   version=18))
    return out


# ---------------------------------------------------------------- instructions

def i_type(opcode, funct3, rd, rs1, imm):
    return ((imm & 0xFFF) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode


def s_type(opcode, funct3, rs1, rs2, imm):
    return (((imm >> 5) & 0x7F) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | \
        ((imm & 0x1F) << 7) | opcode


def insn_seed(word, high=0, raw=0x80F0E0D0C0B0A090, value=0x1122334455667788):
    """The insn target's input: word, high half of mtinst, device value, register value."""
    return struct.pack("<IIQQ", word, high, raw, value)


def insn_seeds():
    out = {}
    loads = ["lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"]
    for f3, name in enumerate(loads):
        rd = 0 if name == "lb" else 5 + f3  # LB to x0: a load whose value is discarded
        out["load-%s.bin" % name] = insn_seed(i_type(0x03, f3, rd, 10, -8 if f3 & 1 else 16))
    for f3, name in enumerate(["sb", "sh", "sw", "sd"]):
        out["store-%s.bin" % name] = insn_seed(s_type(0x23, f3, 11, 20 + f3, 0x7F0 >> f3))
    # RVC quadrant 0: funct3 in 15:13, rs1' in 9:7, rd'/rs2' in 4:2; quadrant 2: CI/CSS.
    out["c-lw.bin"] = insn_seed((2 << 13) | (1 << 10) | (2 << 7) | (1 << 5) | (3 << 2) | 0)
    out["c-ld.bin"] = insn_seed((3 << 13) | (3 << 10) | (4 << 7) | (2 << 5) | (7 << 2) | 0)
    out["c-sw.bin"] = insn_seed((6 << 13) | (1 << 10) | (5 << 7) | (1 << 5) | (0 << 2) | 0)
    out["c-sd.bin"] = insn_seed((7 << 13) | (7 << 10) | (6 << 7) | (3 << 5) | (4 << 2) | 0)
    out["c-lwsp.bin"] = insn_seed((2 << 13) | (1 << 12) | (15 << 7) | (4 << 2) | 2)
    out["c-ldsp.bin"] = insn_seed((3 << 13) | (1 << 7) | (8 << 2) | 2)
    out["c-swsp.bin"] = insn_seed((6 << 13) | (12 << 7) | (31 << 2) | 2)
    out["c-sdsp.bin"] = insn_seed((7 << 13) | (56 << 7) | (2 << 2) | 2)
    # Transformed values as mtinst holds them (data register a0, offsets zero).
    out["tinst-ld.bin"] = insn_seed((3 << 12) | (10 << 7) | 0x03)
    out["tinst-c-lw.bin"] = insn_seed((2 << 12) | (10 << 7) | 0x01)
    out["tinst-sw.bin"] = insn_seed((10 << 20) | (2 << 12) | 0x23)
    # Rejected.
    out["reject-c-lwsp-x0.bin"] = insn_seed((2 << 13) | (0 << 7) | (4 << 2) | 2)
    out["reject-flw.bin"] = insn_seed(i_type(0x07, 2, 1, 10, 0))
    out["reject-amoadd-w.bin"] = insn_seed((0 << 27) | (5 << 20) | (10 << 15) | (2 << 12) |
                                           (6 << 7) | 0x2F)
    out["reject-zero.bin"] = insn_seed(0)
    out["reject-load-funct3-7.bin"] = insn_seed(i_type(0x03, 7, 5, 10, 0))
    out["reject-store-funct3-4.bin"] = insn_seed(s_type(0x23, 4, 10, 5, 0))
    out["reject-c-fld.bin"] = insn_seed((1 << 13) | (2 << 7) | (3 << 2) | 0)
    out["reject-quadrant1-c-addi.bin"] = insn_seed((0 << 13) | (10 << 7) | (1 << 2) | 1)
    out["reject-tinst-high-bits.bin"] = insn_seed((3 << 12) | (10 << 7) | 0x03, high=1)
    return out


# ---------------------------------------------------------------- crypto

MODE_SHA384, MODE_HMAC, MODE_HKDF, MODE_GCM_SEAL, MODE_GCM_OPEN = range(5)
GCM_IN_PLACE, GCM_FORGE_TAG = 0x1, 0x2
TAMPER_NONE, TAMPER_CT, TAMPER_AAD, TAMPER_TAG = range(4)
HKDF_LONG = 0x8000  # output length bit 15: the long range


def pattern(n, seed):
    """@n deterministic bytes (splitmix64), so seeds do not depend on Python's random."""
    out = bytearray()
    state = seed
    while len(out) < n:
        state = (state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        out += struct.pack("<Q", z ^ (z >> 31))
    return bytes(out[:n])


def gcm_head(mode, aad_len, flags, seed):
    return bytes([mode]) + pattern(32, seed) + pattern(12, seed + 1) + \
        struct.pack("<HB", aad_len, flags)


def crypto_seeds():
    out = {}
    out["sha384.bin"] = bytes([MODE_SHA384]) + struct.pack("<IH", 0x5eed, 200) + \
        pattern(300, 1)
    key = pattern(131, 2)  # longer than a block: hashed first
    out["hmac-long-key.bin"] = bytes([MODE_HMAC]) + struct.pack("<HIH", len(key), 7, 5) + key + \
        pattern(260, 3)
    out["hmac-short-key.bin"] = bytes([MODE_HMAC]) + struct.pack("<HIH", 20, 9, 383) + \
        b"\x0b" * 20 + b"Hi There"
    # RFC 5869 test case 1 sizes (13-byte salt, 22-byte IKM, 10-byte info, 42 bytes out).
    out["hkdf.bin"] = bytes([MODE_HKDF]) + struct.pack("<BBBH", 13, 22, 10, 42) + \
        bytes(range(13)) + b"\x0b" * 22 + bytes(range(0xF0, 0xFA))
    out["hkdf-max.bin"] = bytes([MODE_HKDF]) + struct.pack("<BBBH", 0, 32, 0,
                                                            HKDF_LONG | 255 * 48) + \
        pattern(32, 4)
    out["hkdf-over-limit.bin"] = bytes([MODE_HKDF]) + struct.pack("<BBBH", 4, 4, 4,
                                                                   HKDF_LONG | 255 * 48 + 1) + \
        pattern(12, 5)
    out["gcm-seal.bin"] = gcm_head(MODE_GCM_SEAL, 20, 0, 10) + pattern(20, 12) + pattern(60, 13)
    out["gcm-seal-in-place.bin"] = gcm_head(MODE_GCM_SEAL, 0, GCM_IN_PLACE, 14) + \
        pattern(33, 15)
    tail = pattern(16, 16) + pattern(17, 17) + pattern(77, 18)  # tag, aad, ciphertext
    out["gcm-open-valid.bin"] = gcm_head(MODE_GCM_OPEN, 17, GCM_FORGE_TAG, 20) + \
        struct.pack("<HB", 0, 0) + tail
    out["gcm-open-tampered-ct.bin"] = gcm_head(MODE_GCM_OPEN, 17,
                                               GCM_FORGE_TAG | (TAMPER_CT << 2), 20) + \
        struct.pack("<HB", 40, 0x80) + tail
    out["gcm-open-tampered-aad-in-place.bin"] = gcm_head(
        MODE_GCM_OPEN, 17, GCM_IN_PLACE | GCM_FORGE_TAG | (TAMPER_AAD << 2), 20) + \
        struct.pack("<HB", 3, 1) + tail
    out["gcm-open-tampered-tag-last-bit.bin"] = gcm_head(MODE_GCM_OPEN, 17,
                                                         GCM_FORGE_TAG | (TAMPER_TAG << 2), 20) + \
        struct.pack("<HB", 15, 0x80) + tail
    out["gcm-open-random-tag.bin"] = gcm_head(MODE_GCM_OPEN, 17, 0, 20) + \
        struct.pack("<HB", 0, 0) + tail
    return out


# ---------------------------------------------------------------- driver

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "fuzz", "corpus"),
                    help="corpus root (default: fuzz/corpus)")
    ap.add_argument("--check", action="store_true",
                    help="compare with the files on disk instead of writing")
    args = ap.parse_args()

    bad = 0
    total = 0
    for target, seeds in (("fdt", fdt_seeds()), ("insn", insn_seeds()),
                          ("crypto", crypto_seeds())):
        d = os.path.join(args.out, target)
        if not args.check:
            os.makedirs(d, exist_ok=True)
        for name, blob in sorted(seeds.items()):
            assert len(blob) < MAX_SEED, (target, name, len(blob))
            path = os.path.join(d, name)
            total += 1
            if args.check:
                try:
                    with open(path, "rb") as f:
                        same = f.read() == blob
                except OSError:
                    same = False
                if not same:
                    print("differs or missing: %s" % path)
                    bad += 1
            else:
                with open(path, "wb") as f:
                    f.write(blob)
        print("%s: %d seeds" % (target, len(seeds)))
    if args.check:
        print("%d of %d seeds up to date" % (total - bad, total))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
