#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""./covemon attack: the attack catalogue.

Reads each attacks/scenarios/aNN_*.c header (Threat, Class, Attacker), runs
the scenarios from the host build (one process each), and prints a table of
id, class, attacker, result and time. Exit 1 when any scenario fails, 2 on
bad usage.
    attacks.py [NAME | --list | --class N] [--bin PATH]
"""
import argparse, os, re, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCEN = os.path.join(ROOT, "attacks", "scenarios")


def catalogue():
    out = []
    for name in sorted(os.listdir(SCEN)):
        m = re.match(r"(a\d\d)_([a-z0-9_]+)\.c$", name)
        if not m:
            continue
        text = open(os.path.join(SCEN, name), encoding="utf-8").read(4000)
        def field(key):
            f = re.search(r"\*\s*" + key + r":\s*(.+?)(?:\n \* [A-Z][a-z ]+:|\n \*/)", text, re.S)
            return re.sub(r"\s*\n\s*\*\s*", " ", f.group(1)).strip() if f else ""
        cls = field("Class")
        out.append({"id": m.group(1), "test": name[:-2], "cls": int(cls) if cls.isdigit() else 0,
                    "attacker": field("Attacker"), "threat": field("Threat")})
    return out


def main():
    ap = argparse.ArgumentParser(prog="covemon attack")
    ap.add_argument("name", nargs="?", help="a scenario id (a07) or file name")
    ap.add_argument("--list", action="store_true", help="print the catalogue, run nothing")
    ap.add_argument("--class", dest="cls", type=int, help="only attack class N (1-16)")
    ap.add_argument("--emit-seeds", metavar="DIR",
                    help="also write each scenario's calls as a fuzz seed DIR/attack-<id>.bin")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "host", "attacks", "attack_scenarios"))
    a = ap.parse_args()
    cat = catalogue()
    if a.cls is not None:
        if not 1 <= a.cls <= 16:
            ap.error("--class takes 1..16")
        cat = [c for c in cat if c["cls"] == a.cls]
    if a.name:
        cat = [c for c in cat if a.name in (c["id"], c["test"]) or c["test"].startswith(a.name)]
        if not cat:
            ap.error("no scenario named %s (try --list)" % a.name)
    if a.list:
        print("%-5s %-5s %-20s %s" % ("id", "class", "attacker", "threat"))
        for c in cat:
            print("%-5s %-5d %-20s %s" % (c["id"], c["cls"], c["attacker"][:20], c["threat"][:90]))
        classes = sorted({c["cls"] for c in cat})
        print("%d scenarios, classes %s" % (len(cat), ",".join(map(str, classes))))
        return 0
    if not os.access(a.bin, os.X_OK):
        print("attack: %s is missing (./covemon build host)" % a.bin, file=sys.stderr)
        return 2
    failed = 0
    print("%-5s %-5s %-20s %-7s %8s" % ("id", "class", "attacker", "result", "time"))
    for c in cat:
        t0 = time.time()
        env = dict(os.environ)
        if a.emit_seeds:
            os.makedirs(a.emit_seeds, exist_ok=True)
            env["COVEMON_ATTACK_SEED"] = os.path.join(a.emit_seeds, "attack-%s.bin" % c["id"])
        p = subprocess.run([a.bin, "--run", "attack." + c["test"]], capture_output=True, text=True,
                           env=env)
        dt = time.time() - t0
        ok = p.returncode == 0
        failed += not ok
        print("%-5s %-5d %-20s %-7s %7.2fs" % (c["id"], c["cls"], c["attacker"][:20],
                                               "pass" if ok else "FAIL", dt))
        if not ok:
            sys.stdout.write("".join("      " + l + "\n" for l in (p.stdout + p.stderr).splitlines()[-12:]))
    print("%d passed, %d failed" % (len(cat) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
