#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""An independent model of covemon's initial measurements (abi/measure.h).

Writes a covemon-tap manifest for one of a few VM scenarios into a
directory, with the files it names, and prints the MR0 and MR1 that the
rules of measure.h give for that VM, computed here with hashlib from the
scenario's own description (it never reads the manifest back). The shell
tests compare this with `covemon-tap measure` and with the monitor.

    measure_ref.py SCENARIO DIR DTB VCPUS     prints "MR0 hex" and "MR1 hex"
    measure_ref.py records NAME=HEX...        prints the secret records' hex
"""
import hashlib
import os
import struct
import sys

PAGE = 4096
PERM = {"r": 0x2, "w": 0x4, "x": 0x8}
VSSTATUS_KEPT = (1 << 1) | (1 << 5) | (1 << 6) | (1 << 8) | (1 << 18) | (1 << 19) | (3 << 32)
ABI = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
       "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
       "t3", "t4", "t5", "t6"]


def pattern(n, seed):
    return bytes((i * 7 + seed * 31 + (i >> 8)) & 0xFF for i in range(n))


def scenarios(dtb):
    """Each: mode, ranges (gpa, size, perms), files (gpa, name, bytes), the rest."""
    return {
        # One RWX range, a kernel, the FDT, a TAP window: the common case.
        "basic": dict(
            mode="sv39x4",
            ranges=[(0x80000000, 0x10000, "rwx")],
            files=[(0x80001000, "kernel.bin", pattern(6000, 1)), (0x80008000, "guest.dtb", dtb)],
            fdt=0x80008000, entry=0x80001000, regs={"a1": 0x80008000},
            vsatp=0, vsstatus=0, vstvec=0, identity=None, tap=0x8000A000),
        # Ranges out of order with different permissions, a file across two of
        # them, every kind of register name, CSRs the monitor sanitises, an identity.
        "rich": dict(
            mode="sv48x4",
            ranges=[(0x80008000, 0x4000, "r-x"), (0x80000000, 0x8000, "rw"),
                    (0x90000000, 0x2000, "r"), (0x100000000, 0x1000, "rwx")],
            files=[(0x80007800, "kernel.bin", pattern(0x1000, 2)),
                   (0x80002000, "guest.dtb", dtb),
                   (0x90000ffc, "tail.bin", b"\x01\x02\x03\x04\x05\x06\x07\x08")],
            fdt=0x80002000, entry=0x80008000,
            regs={"ra": 1, "sp": 0x80007ff0, "gp": 3, "a0": 0, "a1": 0x80002000, "fp": 8,
                  "x18": 0xFFFFFFFFFFFFFFFF, "t6": 0x1234},
            vsatp=(11 << 60) | 0x55, vsstatus=0xFFFFFFFFFFFFFFFF, vstvec=0x80008003,
            identity=bytes(range(64)), tap=0x80004000),
        # Sv57x4 with a GPA past 2^48 and a vsatp the monitor keeps.
        "sv57": dict(
            mode="sv57x4",
            ranges=[(0x80000000, 0x10000, "rwx"), (0x2000000000000, 0x2000, "rw")],
            files=[(0x80008000, "guest.dtb", dtb), (0x2000000000010, "high.bin", pattern(100, 3))],
            fdt=0x80008000, entry=0x80000000, regs={"a0": 0, "a1": 0x80008000},
            vsatp=(8 << 60) | 0x80123, vsstatus=0x2, vstvec=0x80000000,
            identity=None, tap=0x80001000),
    }


def write_manifest(s, out):
    lines = ["# written by measure_ref.py", "gstage " + s["mode"]]
    lines += ["map 0x%x 0x%x %s" % r for r in s["ranges"]]
    for gpa, name, data in s["files"]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        kind = "fdt" if gpa == s["fdt"] else "load"
        lines.append("%s 0x%x %s" % (kind, gpa, name))
    lines.append("entry 0x%x   # the boot vCPU's sepc" % s["entry"])
    for name, value in s["regs"].items():
        lines.append("reg %s 0x%x" % (name, value))
    lines += ["vsatp 0x%x" % s["vsatp"], "vsstatus 0x%x" % s["vsstatus"],
              "vstvec 0x%x" % s["vstvec"]]
    if s["identity"] is not None:
        with open(os.path.join(out, "identity.bin"), "wb") as f:
            f.write(s["identity"])
        lines.append("identity-file identity.bin")
    lines.append("tap 0x%x" % s["tap"])
    with open(os.path.join(out, "vm.manifest"), "w") as f:
        f.write("\n".join(lines) + "\n")


def mr0(s):
    h = hashlib.sha384()
    for gpa, size, perms in sorted(s["ranges"]):
        perm = sum(PERM[c] for c in perms if c != "-")
        for page in range(gpa, gpa + size, PAGE):
            data = bytearray(PAGE)
            for fgpa, _, fdata in s["files"]:
                for i in range(max(fgpa, page), min(fgpa + len(fdata), page + PAGE)):
                    data[i - page] = fdata[i - fgpa]
            h.update(struct.pack("<QQ", page, perm) + bytes(data))
    return h.hexdigest()


def mr1(s, vcpus):
    x = [0] * 32
    for name, value in s["regs"].items():
        x[8 if name == "fp" else ABI.index(name) if name in ABI else int(name[1:])] = value
    mode = s["vsatp"] >> 60
    vsatp = s["vsatp"] if mode in (0, 8, 9, 10) else 0
    h = hashlib.sha384(b"covemon-mr1-v1")
    h.update(struct.pack("<QQQ", s["entry"], s["fdt"], vcpus))
    h.update(struct.pack("<31Q", *x[1:]))
    h.update(struct.pack("<QQQ", vsatp, s["vsstatus"] & VSSTATUS_KEPT, s["vstvec"] & ~2))
    h.update(s["identity"] or bytes(64))
    return h.hexdigest()


def main(argv):
    if len(argv) >= 2 and argv[1] == "records":
        out = b""
        for arg in argv[2:]:
            name, value = arg.split("=", 1)
            value = bytes.fromhex(value)
            out += struct.pack("<HHQ", 2, 8 + len(value), int(name, 0)) + value
        print(out.hex())
        return 0
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    scenario, out, dtb_path, vcpus = argv[1], argv[2], argv[3], int(argv[4])
    with open(dtb_path, "rb") as f:
        s = scenarios(f.read())[scenario]
    write_manifest(s, out)
    print("MR0", mr0(s))
    print("MR1", mr1(s, vcpus))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
