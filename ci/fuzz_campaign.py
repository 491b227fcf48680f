#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""covemon fuzz campaigns: run, replay, report, bench (and a selftest).

  fuzz_campaign.py run TARGET [--time S] [--jobs N] [--engine libfuzzer|afl] [--dir DIR] [--quiet]
  fuzz_campaign.py replay FILE|DIR... [--target T] [--trace] [--minimize]
  fuzz_campaign.py report CAMPAIGN_DIR
  fuzz_campaign.py bench TARGET... [--seconds S] [--engine libfuzzer|afl|both]
  fuzz_campaign.py selftest

Called by ./covemon; usable on its own. Python 3 standard library only.
fuzz/README.md describes the layout and the workflow. Exit status: 0 success
(no crash), 1 a crash was found / reproduced (or a step failed), 2 bad usage
or a missing prerequisite (binary, tool), 130 interrupted (Ctrl-C; whatever
was produced so far is kept).

Design notes
- libFuzzer engine: N independent libFuzzer processes that share one corpus
  directory (each one picks up the others' finds through libFuzzer's default
  -reload=1), not -fork=N. Reasons: every worker prints the ordinary
  "#N NEW/REDUCE/pulse ... cov: ... exec/s: ..." status lines and its own
  final stats, which this runner parses; a worker that hits a crash is
  restarted by the runner with the remaining time, so a campaign keeps going
  after a crash and every artifact goes through one triage (replay, signature,
  dedup); and nothing is left outside the campaign directory (-fork keeps its
  job corpora in /tmp and ignores crashes only with -ignore_crashes). The cost:
  the live "coverage" is the best single worker's cov (workers converge
  through the shared corpus); `report` gives the merged source coverage.
- Crash signature: the oracle message (the "covemon-oracle:" line without
  "at operation N", with its numbers and addresses masked), else a monitor
  panic message, else the sanitizer error kind plus the top 3 in-project
  stack frames (function names; sanitizer, libc, libFuzzer and replay-driver
  frames ignored), else the UBSan source location, else how the process
  died. Crashes are deduplicated by signature; the directory name is the
  first 10 hex digits of its SHA-1.
"""

import argparse
import csv
import datetime
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROG = "fuzz_campaign"
ROOT = Path(__file__).resolve().parent.parent
TICK = 5.0  # seconds between progress lines / stats.csv rows
REPLAY_TIMEOUT = 30.0  # seconds one replay may take before it counts as a hang
LF_TIMEOUT = 10  # libFuzzer -timeout= (seconds per input)
MINIMIZE_TIME = 60.0  # seconds per crash minimisation
WORKER_GRACE = 30.0  # seconds past the budget before workers are stopped by force

STOP = threading.Event()  # set by Ctrl-C / SIGTERM
_interrupts = [0]


class UsageError(Exception):
    """Bad flags, targets or files, or a missing prerequisite: exit 2."""


def build_dir():
    # COVEMON_BUILD_DIR lets tests point the tool at another build tree.
    return Path(os.environ.get("COVEMON_BUILD_DIR") or ROOT / "build")


def rel(p):
    """A path relative to the current directory when it is below it."""
    p = Path(p)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def log(msg, quiet=False):
    if not quiet:
        print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


def utc_stamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def utc_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------ targets ---

def known_targets():
    return sorted(p.stem for p in (ROOT / "fuzz" / "targets").glob("*.c"))


def check_target(t):
    targets = known_targets()
    if t not in targets:
        raise UsageError(f"unknown target '{t}' (known: {' '.join(targets) or 'none'})")
    return t


BIN_KINDS = {
    # kind: (sub-path under the build dir, preset that builds it)
    "libfuzzer": ("fuzz/fuzz/fuzz_{t}", "fuzz"),
    "bench": ("fuzz/fuzz/bench_{t}", "fuzz"),
    "afl": ("afl/fuzz/fuzz_{t}", "afl"),
    "host": ("host/fuzz/fuzz_{t}", "host"),
    "coverage": ("coverage/fuzz/fuzz_{t}", "coverage"),
    "fuzz-text": ("host/fuzz/fuzz-text", "host"),
}


def bin_path(kind, target=""):
    sub, _ = BIN_KINDS[kind]
    return build_dir() / sub.format(t=target)


def have_bin(kind, target=""):
    p = bin_path(kind, target)
    return p.is_file() and os.access(p, os.X_OK)


def need_bin(kind, target=""):
    if not have_bin(kind, target):
        preset = BIN_KINDS[kind][1]
        raise UsageError(
            f"{rel(bin_path(kind, target))} is missing; build it with "
            f"`cmake --preset {preset} && cmake --build build/{preset}` (from {ROOT})")
    return bin_path(kind, target)


def need_tool(*names, package=None):
    for n in names:
        p = shutil.which(n)
        if p:
            return p
    hint = f" (apt-get install {package})" if package else ""
    raise UsageError(f"{names[0]} not found{hint}")


def seed_files(target):
    d = ROOT / "fuzz" / "corpus" / target
    return sorted(p for p in d.iterdir() if p.is_file() and not skip_name(p.name)) \
        if d.is_dir() else []


def traced_target(target):
    """Targets that run operations through the harness engine (fuzz_execute),
    which prints a per-operation trace under COVEMON_FUZZ_TRACE=1."""
    try:
        return "fuzz_execute" in (ROOT / "fuzz" / "targets" / f"{target}.c").read_text()
    except OSError:
        return False


def dict_file(target):
    p = ROOT / "fuzz" / "dict" / f"{target}.dict"
    return p if p.is_file() else None


def skip_name(name):
    """Files that are not inputs when a directory is walked."""
    return (name.startswith("README") or name.startswith(".") or name.endswith(".md")
            or name.endswith(".txt"))


# -------------------------------------------------------- subprocesses ---

def sanitizer_env(extra=None):
    """Environment for replays: stack traces for UBSan and for abort()."""
    env = dict(os.environ)
    asan = "handle_abort=1:detect_leaks=1:symbolize=1:print_summary=1"
    ubsan = "print_stacktrace=1:halt_on_error=1:print_summary=1"
    env["ASAN_OPTIONS"] = asan + (":" + env["ASAN_OPTIONS"] if env.get("ASAN_OPTIONS") else "")
    env["UBSAN_OPTIONS"] = ubsan + (":" + env["UBSAN_OPTIONS"] if env.get("UBSAN_OPTIONS") else "")
    sym = shutil.which("llvm-symbolizer")
    if sym and "ASAN_SYMBOLIZER_PATH" not in env:
        env["ASAN_SYMBOLIZER_PATH"] = sym
    if extra:
        env.update(extra)
    return env


CHILDREN = []  # every process started here (each leads its own session)


def spawn(cmd, **kw):
    """subprocess.Popen in a new session, remembered for a forced quit."""
    p = subprocess.Popen(cmd, start_new_session=True, **kw)
    CHILDREN.append(p)
    return p


def kill_children():
    for p in CHILDREN:
        if p.poll() is None:
            killpg(p, signal.SIGKILL)


def killpg(proc, sig):
    """Signals the process group of a child started with start_new_session."""
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def run_capture(cmd, env=None, cwd=None, timeout=None, stop_aware=False, abort_on_timeout=False):
    """Runs cmd (its own session), output (stdout+stderr) into a temp file.
    Returns (rc, text, timed_out, interrupted). rc is None when killed."""
    with tempfile.TemporaryFile() as out:
        try:
            p = spawn(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                      env=env, cwd=cwd)
        except OSError as e:
            return 127, f"cannot run {cmd[0]}: {e}\n", False, False
        t0 = time.monotonic()
        timed_out = interrupted = False
        while True:
            try:
                p.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                pass
            if stop_aware and STOP.is_set():
                interrupted = True
            elif timeout is not None and time.monotonic() - t0 > timeout:
                timed_out = True
            else:
                continue
            if timed_out and abort_on_timeout:
                # ASan with handle_abort=1 prints where the input hangs.
                killpg(p, signal.SIGABRT)
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            if p.poll() is None:
                killpg(p, signal.SIGKILL)
                p.wait()
            break
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        rc = p.returncode
        return rc, text, timed_out, interrupted


# ----------------------------------------------------- crash signatures ---

ORACLE_RE = re.compile(r"^[ \t]*covemon-oracle: (.*?)\s*$", re.M)
OP_INDEX_RE = re.compile(r" at operation \d+")
PANIC_RE = re.compile(r"^[ \t]*covemon: monitor panic: (.*?)\s*$", re.M)
ASAN_RE = re.compile(r"ERROR: AddressSanitizer: (.*)$", re.M)
LSAN_RE = re.compile(r"ERROR: LeakSanitizer: detected memory leaks", re.M)
LIBFUZZER_RE = re.compile(r"ERROR: libFuzzer: (.*)$", re.M)
UBSAN_RE = re.compile(r"^(?P<loc>[^\s:]+):(?P<line>\d+)(?::\d+)?: runtime error: (?P<msg>.*)$", re.M)
FRAME_RE = re.compile(r"^\s*#(?P<n>\d+)\s+0x[0-9a-fA-F]+\s+(?:in\s+(?P<fn>.+?)\s+)?(?P<loc>\(.*\)|\S+)\s*$")
BUILDID_RE = re.compile(r"\s*\(BuildId: [0-9a-fA-F]+\)\s*$")
CLONE_SUFFIX_RE = re.compile(r"\.(?:part|constprop|isra|cold|lto_priv|localalias)(?:\.\d+)*")

IGNORED_FN_PREFIXES = (
    "__asan", "__ubsan", "__sanitizer", "__interceptor", "___interceptor", "__interception",
    "__lsan", "__msan", "__tsan", "__libc", "__GI_", "_start", "fuzzer::", "std::", "__gnu_cxx",
    "__cxa", "__pthread", "pthread_", "__lll", "__assert", "__fortify", "__run_exit_handlers",
    "__memcpy", "__memmove", "__memset", "__strlen", "__nss", "_dl_", "__sigaction",
)
IGNORED_FNS = {
    "main", "replay_file", "raise", "abort", "gsignal", "exit", "malloc", "calloc", "realloc",
    "free", "memcpy", "memmove", "memset", "memcmp", "bcmp", "strlen", "strcmp", "strncmp",
    "strcpy", "strncpy", "printf", "fprintf", "vfprintf", "snprintf", "vsnprintf", "sprintf",
    "operator new", "operator delete",
}
EXTERNAL_PATH_MARKS = (
    "/usr/", "compiler-rt", "libsanitizer", "sanitizer_common", "/lib/x86_64-linux-gnu",
    "/lib64/", "libc.so", "libc-", "sysdeps", "glibc", "llvm-toolchain", "libFuzzer",
    "/fuzzer/Fuzzer", "libstdc++", "ld-linux", "/nptl/", "/csu/", "/stdlib/",
)
PROJECT_DIRS = ("monitor", "host-shim", "fuzz", "firmware", "attacks", "testing")
DRIVER_FILES = ("replay_main.c", "bench_main.c")


def _norm_text(s):
    s = re.sub(r"0x[0-9a-fA-F]+", "0x?", s)
    s = re.sub(r"(?<![\w?])-?\d+(?![\w])", "N", s)
    return re.sub(r"\s+", " ", s).strip()


def _path_in_project(path):
    if any(m in path for m in EXTERNAL_PATH_MARKS):
        return False
    if path.startswith(str(ROOT) + "/"):
        return True
    p = path if path.startswith("/") else "/" + path.lstrip("./")
    return any(f"/{d}/" in p for d in PROJECT_DIRS)


def parse_frame(line):
    """(function or None, location, is_in_project) for a stack-frame line, or None."""
    line = BUILDID_RE.sub("", line.rstrip())
    m = FRAME_RE.match(line)
    if not m:
        return None
    fn = m.group("fn")
    loc = m.group("loc")
    if fn:
        fn = CLONE_SUFFIX_RE.sub("", fn.strip())
    if not fn:
        return (None, loc, False)
    if fn.startswith(IGNORED_FN_PREFIXES) or fn in IGNORED_FNS:
        return (fn, loc, False)
    if loc.startswith("("):  # (module+0xoffset): no debug info
        module = loc[1:].split("+", 1)[0]
        return (fn, loc, _path_in_project(module))
    path = re.sub(r"(:\d+)+$", "", loc)
    if os.path.basename(path) in DRIVER_FILES:
        return (fn, loc, False)
    return (fn, loc, _path_in_project(path))


def first_stack(text, start=0):
    """The frames of the first stack trace at or after offset start."""
    frames = []
    for line in text[start:].splitlines():
        f = FRAME_RE.match(BUILDID_RE.sub("", line.rstrip()))
        if f:
            if frames and f.group("n") == "0":
                break  # a second stack ("allocated by thread T0 here:")
            frames.append(parse_frame(line))
        elif frames:
            break
    return frames


def project_frames(frames, n=3):
    out = []
    for fn, _loc, inproj in frames:
        if inproj and fn and (not out or out[-1] != fn):
            out.append(fn)
        if len(out) == n:
            break
    return out


def signature_of(text, rc=None, timed_out=False):
    """The dedup signature of one crash report (see the module docstring).
    Returns None when the text shows no failure and rc is 0/None."""
    m = ORACLE_RE.search(text)
    if m:
        # Addresses, TVM ids, harts and offsets masked: one missing check found
        # through many pages is one crash, not one per page.
        return "covemon-oracle: " + _norm_text(OP_INDEX_RE.sub("", m.group(1), count=1))
    m = PANIC_RE.search(text)
    if m:
        return "covemon: monitor panic: " + _norm_text(m.group(1))
    if timed_out:
        return f"timeout (no exit within {REPLAY_TIMEOUT:.0f} s)"
    # The earliest sanitizer / libFuzzer header decides the kind and the stack.
    heads = []
    for rx, kind_of in (
        (ASAN_RE, lambda mm: _norm_text(re.split(r" on | at pc | \(pc |: ", mm.group(1))[0])),
        (LSAN_RE, lambda mm: "memory-leak"),
        (LIBFUZZER_RE, lambda mm: _norm_text(re.split(r" after | \(|: ", mm.group(1))[0])),
        (UBSAN_RE, lambda mm: "ubsan " + _norm_text(re.split(r": |, ", mm.group("msg"))[0])),
    ):
        mm = rx.search(text)
        if mm:
            heads.append((mm.start(), kind_of(mm), mm))
    if heads:
        heads.sort(key=lambda h: h[0])
        pos, kind, mm = heads[0]
        # A UBSan error reported by libFuzzer's deadly-signal handler: keep the UBSan kind.
        if kind in ("deadly signal", "ABRT") and any(h[1].startswith("ubsan ") for h in heads):
            pos, kind, mm = next(h for h in heads if h[1].startswith("ubsan "))
        frames = project_frames(first_stack(text, pos))
        if frames:
            return f"{kind} in {' < '.join(frames)}"
        if kind.startswith("ubsan "):
            return f"{kind} at {os.path.basename(mm.group('loc'))}:{mm.group('line')}"
        return f"{kind} (no in-project frames)"
    if rc is None:
        return None
    if rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = f"signal {-rc}"
        return f"killed by {name} (no sanitizer report)"
    if rc != 0:
        return f"exit status {rc} (no sanitizer report)"
    return None


def sig_hash(sig):
    return hashlib.sha1(sig.encode("utf-8")).hexdigest()[:10]


class CrashBook:
    """Unique crashes by signature: the first input, every duplicate."""

    def __init__(self):
        self.entries = {}  # signature -> dict
        self.lock = threading.Lock()

    def add(self, sig, path, report="", note=""):
        """Records one crashing input; returns (entry, is_new)."""
        with self.lock:
            e = self.entries.get(sig)
            if e is not None:
                e["inputs"].append(str(path))
                return e, False
            e = {"signature": sig, "hash": sig_hash(sig), "inputs": [str(path)],
                 "report": report, "note": note, "dir": None, "minimized": None,
                 "min_note": ""}
            self.entries[sig] = e
            return e, True

    def __len__(self):
        with self.lock:
            return len(self.entries)

    def list(self):
        with self.lock:
            return list(self.entries.values())


# ------------------------------------------------------------- triage ---

class Verdict:
    def __init__(self, kind, signature=None, output="", note="", rc=None):
        self.kind = kind  # "ok" | "crash" | "unreadable"
        self.signature = signature
        self.output = output
        self.note = note
        self.rc = rc


def check_readable(path):
    """None when path is a readable regular file, else why not."""
    p = Path(path)
    try:
        if not p.exists():
            return "no such file or directory" if not p.is_symlink() else "dangling symlink"
        if not p.is_file():
            return "not a regular file"
        with open(p, "rb") as f:
            f.read(1)
    except OSError as e:
        return e.strerror or str(e)
    return None


def replay_one(target, path, trace=False, timeout=REPLAY_TIMEOUT, libfuzzer_fallback=False):
    """Replays one file with the replay build; returns a Verdict."""
    why = check_readable(path)
    if why:
        return Verdict("unreadable", note=why)
    extra = {"COVEMON_FUZZ_TRACE": "1"} if trace else None
    if have_bin("host", target):
        cmd = [str(bin_path("host", target)), str(path)]
    else:  # no replay build: the libFuzzer binary runs a file once as well
        cmd = [str(need_bin("libfuzzer", target)), str(path)]
    rc, out, timed_out, _ = run_capture(cmd, env=sanitizer_env(extra), timeout=timeout,
                                        abort_on_timeout=True)
    if not timed_out and rc == 0:
        v = Verdict("ok", output=out, rc=rc)
        if libfuzzer_fallback and have_bin("libfuzzer", target):
            # Found by the fuzzer but quiet in the replay build: try the fuzzing build.
            rc2, out2, to2, _ = run_capture([str(bin_path("libfuzzer", target)), str(path)],
                                            env=sanitizer_env(), timeout=timeout,
                                            abort_on_timeout=True)
            if to2 or rc2 != 0:
                sig = signature_of(out2, rc2, to2)
                return Verdict("crash", sig, out2, "reproduces only with the libFuzzer build "
                               f"({rel(bin_path('libfuzzer', target))})", rc2)
        return v
    if not timed_out and rc == 2 and re.search(r"^replay: (cannot open|.* is unreadable)", out, re.M):
        return Verdict("unreadable", output=out, note=out.strip().splitlines()[-1], rc=rc)
    sig = signature_of(out, rc, timed_out) or f"exit status {rc}"
    return Verdict("crash", sig, out, rc=rc)


def decode_text(target, path):
    """The text form of a sequence input, or (None, why)."""
    if target != "sequence":
        extra = " (the trace shows its operations as executed)" if traced_target(target) else ""
        return None, f"no text form for target {target}{extra}"
    if not have_bin("fuzz-text"):
        return None, f"{rel(bin_path('fuzz-text'))} is missing (host build)"
    rc, out, _, _ = run_capture([str(bin_path("fuzz-text")), "decode", str(path)], timeout=30)
    if rc != 0:
        return None, out.strip() or f"fuzz-text exited {rc}"
    return out, ""


def minimize(target, src, dst, time_budget=MINIMIZE_TIME):
    """Shrinks a crashing input with the libFuzzer build (-minimize_crash);
    returns (ok, note)."""
    if not have_bin("libfuzzer", target):
        return False, f"{rel(bin_path('libfuzzer', target))} is missing: not minimized"
    dst = Path(dst)
    try:
        dst.unlink()
    except FileNotFoundError:
        pass
    with tempfile.TemporaryDirectory(prefix="covemon-min-") as cwd:
        cmd = [str(bin_path("libfuzzer", target)), "-minimize_crash=1", "-runs=10000",
               f"-timeout={LF_TIMEOUT}", f"-exact_artifact_path={dst.resolve()}",
               str(Path(src).resolve())]
        rc, out, timed_out, interrupted = run_capture(cmd, env=sanitizer_env(), cwd=cwd,
                                                      timeout=time_budget, stop_aware=True)
    if "did not crash" in out:
        return False, "the libFuzzer build does not reproduce this crash: not minimized"
    if not dst.is_file():
        why = "interrupted" if interrupted else f"libFuzzer exited {rc}"
        return False, f"minimization produced nothing ({why})"
    n0, n1 = Path(src).stat().st_size, dst.stat().st_size
    extra = " (stopped at the time limit)" if timed_out else " (interrupted)" if interrupted else ""
    return True, f"{n0} -> {n1} bytes{extra}"


# ------------------------------------------------------- stats parsing ---

LF_STATUS_RE = re.compile(
    r"^#(?P<n>\d+)\s+(?P<ev>[A-Za-z_]+)\s+cov: (?P<cov>\d+) ft: (?P<ft>\d+) "
    r"corp: (?P<corp>\d+)/\S+.*?exec/s: (?P<eps>\d+)")
LF_FINAL_RE = re.compile(r"^stat::number_of_executed_units: (\d+)")
LF_ARTIFACT_RE = re.compile(r"Test unit written to (.+?)\s*$")


def parse_lf_line(line):
    """dict(n, ev, cov, ft, corp, eps) for a libFuzzer status line, else None."""
    m = LF_STATUS_RE.match(line)
    if not m:
        return None
    d = m.groupdict()
    return {k: (d[k] if k == "ev" else int(d[k])) for k in d}


def parse_afl_stats(text):
    """key -> value from an AFL++ fuzzer_stats file."""
    out = {}
    for line in text.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    return out


def parse_afl_plot(text):
    """The last row of an AFL++ plot_data file as a dict (names from its header)."""
    header, last = None, None
    for line in text.splitlines():
        if line.startswith("#"):
            header = [h.strip() for h in line[1:].split(",")]
        elif line.strip():
            last = [c.strip() for c in line.split(",")]
    if not header or not last or len(last) < len(header):
        return None
    return dict(zip(header, last))


def num(v, default=0.0):
    """A finite float from a stats field ("66.15%", "inf" early in AFL runs)."""
    try:
        f = float(str(v).rstrip("%"))
    except (TypeError, ValueError):
        return default
    return f if f == f and abs(f) != float("inf") else default


# ------------------------------------------------------------- engines ---

class LibFuzzerWorker:
    def __init__(self, idx, campaign):
        self.idx = idx
        self.c = campaign
        self.log_path = campaign.dir / "logs" / f"worker-{idx}.log"
        self.proc = None
        self.readpos = 0
        self.partial = b""
        self.runs = 0
        self.done_execs = 0
        self.cur = {"n": 0, "cov": 0, "ft": 0, "corp": 0, "eps": 0}
        self.final_execs = None
        self.inited = False
        self.best_cov = 0
        self.fail_streak = 0
        self.restarts = 0
        self.last_eps = 0
        self.state = "new"  # running | finished | failed
        self.error = ""

    def cmd(self, seconds):
        c = self.c
        cmd = [str(bin_path("libfuzzer", c.target)), f"-max_total_time={max(1, int(seconds))}",
               "-print_final_stats=1", "-use_value_profile=1", f"-timeout={LF_TIMEOUT}",
               f"-artifact_prefix={c.raw_dir}/"]
        d = dict_file(c.target)
        if d:
            cmd.append(f"-dict={d}")
        cmd.append(str(c.corpus_dir))
        return cmd

    def start(self, seconds):
        self.runs += 1
        self.cur = {"n": 0, "cov": 0, "ft": 0, "corp": 0, "eps": 0}
        self.final_execs = None
        self.inited = False
        self.run_artifacts = 0
        cmd = self.cmd(seconds)
        with open(self.log_path, "ab") as f:
            f.write(f"=== {utc_iso()} run {self.runs}: {' '.join(cmd)}\n".encode())
            f.flush()
            self.proc = spawn(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                              cwd=str(self.c.dir))
        self.state = "running"

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self.readpos)
                data = f.read()
                self.readpos = f.tell()
        except OSError:
            return
        lines = (self.partial + data).split(b"\n")
        self.partial = lines.pop()
        for raw in lines:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            st = parse_lf_line(line)
            if st:
                self.cur.update({k: st[k] for k in ("n", "cov", "ft", "corp", "eps")})
                self.best_cov = max(self.best_cov, st["cov"])
                if st["ev"] == "INITED":
                    self.inited = True
                continue
            m = LF_FINAL_RE.match(line)
            if m:
                self.final_execs = int(m.group(1))
                continue
            m = LF_ARTIFACT_RE.search(line)
            if m:
                self.run_artifacts += 1
                self.c.submit_artifact(Path(m.group(1)))

    def poll(self):
        if self.state != "running":
            return
        self.read_log()
        rc = self.proc.poll()
        if rc is None:
            return
        self.read_log()
        self.done_execs += self.final_execs if self.final_execs is not None else self.cur["n"]
        self.last_eps = self.cur["eps"] or self.last_eps
        self.cur["n"] = 0
        self.cur["eps"] = 0
        remaining = self.c.deadline - time.monotonic()
        if STOP.is_set():
            self.state = "finished"
        elif rc == 0 or remaining < 2:
            self.state = "finished"
        elif self.inited:
            self.fail_streak = 0
            self.restarts += 1
            if self.restarts == 1:
                self.c.note(f"worker {self.idx} stopped on a crash (exit {rc}); it is restarted "
                            "with the remaining time after every crash")
            self.start(remaining)
        elif self.run_artifacts:
            # It crashed before fuzzing: on an input of the corpus, so every restart would too.
            self.state = "failed"
            self.error = (f"crashed on an input of the corpus while loading it (the crash is "
                          f"listed above); log: {rel(self.log_path)}")
            self.c.note(f"worker {self.idx} crashed while loading the corpus (an input there "
                        "crashes; see the crashes below); not restarted")
        else:
            self.fail_streak += 1
            if self.fail_streak >= 3:
                self.state = "failed"
                self.error = tail_file(self.log_path, 15)
                self.c.note(f"worker {self.idx} failed to start 3 times (exit {rc}); "
                            f"see {rel(self.log_path)}")
            else:
                time.sleep(0.5)
                self.start(remaining)

    def stop(self):
        if self.state == "running" and self.proc.poll() is None:
            killpg(self.proc, signal.SIGINT)

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            killpg(self.proc, signal.SIGKILL)
            self.proc.wait()

    def execs(self):
        return self.done_execs + self.cur["n"]


def tail_file(path, n):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 16384))
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-n:])
    except OSError:
        return ""


class LibFuzzerEngine:
    name = "libfuzzer"
    cov_label = "cov"

    def __init__(self, campaign):
        self.c = campaign
        self.workers = [LibFuzzerWorker(i, campaign) for i in range(campaign.jobs)]

    def describe(self):
        return f"libFuzzer, {self.c.jobs} worker process(es) sharing {rel(self.c.corpus_dir)}"

    def start(self):
        self.c.raw_dir.mkdir(parents=True, exist_ok=True)
        for w in self.workers:
            w.start(self.c.time)

    def poll(self):
        for w in self.workers:
            w.poll()

    def done(self):
        return all(w.state in ("finished", "failed") for w in self.workers)

    def started_ok(self):
        return any(w.inited or w.done_execs for w in self.workers)

    def stop(self, wait=10.0):
        for w in self.workers:
            w.stop()
        t0 = time.monotonic()
        while time.monotonic() - t0 < wait and any(
                w.proc is not None and w.proc.poll() is None for w in self.workers):
            time.sleep(0.1)
        for w in self.workers:
            w.kill()
            if w.state == "running":
                w.poll()
                w.state = "finished"

    def scan_artifacts(self):
        try:
            for e in os.scandir(self.c.raw_dir):
                if e.is_file() and e.name.split("-", 1)[0] in ("crash", "leak", "timeout", "oom"):
                    self.c.submit_artifact(Path(e.path))
        except OSError:
            pass

    def snapshot(self, final=False):
        running = [w for w in self.workers if w.state == "running" or final]
        return {
            "execs": sum(w.execs() for w in self.workers),
            # a worker's exec/s is its run's average; a restarted one reports 0 until its
            # first status line: its previous run's figure stands in until then
            "eps": sum(w.cur["eps"] or w.last_eps for w in running),
            "restarts": sum(w.restarts for w in self.workers),
            "coverage": max([w.best_cov for w in self.workers] or [0]),
            "corpus": count_files(self.c.corpus_dir),
            "running": len(running),
        }

    def corpus_files(self):
        return [p for p in sorted(self.c.corpus_dir.iterdir()) if p.is_file()]

    def errors(self):
        return [(f"worker {w.idx}", w.error) for w in self.workers if w.state == "failed"]


def count_files(d):
    try:
        return sum(1 for e in os.scandir(d) if e.is_file())
    except OSError:
        return 0


def cmplog_binary(target, mode, quiet):
    """The CmpLog binary for afl-fuzz -c, or (None, why). The afl preset's
    binaries are not CmpLog-instrumented (AFL_LLVM_CMPLOG is a compile-time
    switch), so `-c 0` or `-c build/afl/fuzz/fuzz_T` would run a CmpLog stage
    that sees no comparisons. auto: build the target once more with
    AFL_LLVM_CMPLOG=1 into build/afl-cmplog (same preset, other directory)."""
    if mode == "off":
        return None, "CmpLog off (--cmplog off)"
    if mode != "auto":
        p = Path(mode)
        if not (p.is_file() and os.access(p, os.X_OK)):
            raise UsageError(f"--cmplog {mode}: not an executable file")
        return p, f"CmpLog binary {rel(p)}"
    bdir = build_dir() / "afl-cmplog"
    binary = bdir / "fuzz" / f"fuzz_{target}"
    env = dict(os.environ, AFL_LLVM_CMPLOG="1", AFL_QUIET="1")
    steps = []
    if not (bdir / "CMakeCache.txt").is_file():
        steps.append(["cmake", "--preset", "afl", "-B", str(bdir)])
    steps.append(["cmake", "--build", str(bdir), "--target", f"fuzz_{target}"])
    if not shutil.which("cmake"):
        return None, "CmpLog off: cmake not found to build the CmpLog binary"
    log(f"building the CmpLog binary {rel(binary)} (AFL_LLVM_CMPLOG=1)", quiet)
    for cmd in steps:
        rc, out, _, interrupted = run_capture(cmd, env=env, cwd=str(ROOT), timeout=900,
                                              stop_aware=True)
        if rc != 0 or interrupted:
            tail = "\n".join(out.strip().splitlines()[-5:])
            return None, f"CmpLog off: building {rel(binary)} failed:\n{tail}"
    if not binary.is_file():
        return None, f"CmpLog off: {rel(binary)} was not produced"
    return binary, f"CmpLog binary {rel(binary)} (built with AFL_LLVM_CMPLOG=1)"


class StatsdListener:
    """Receives AFL++'s StatsD gauges (AFL_STATSD=1, dogstatsd tags) on a
    local UDP port: "fuzzing.<metric>:<value>|g|#banner:<name>,...". The only
    live source of AFL++ figures: its files are rewritten once a minute."""

    LINE_RE = re.compile(r"^fuzzing\.(\w+):([^|]+)\|g(?:\|#(.*))?$")

    def __init__(self):
        import socket
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.3)
        self.port = self.sock.getsockname()[1]
        self.values = {}
        self.lock = threading.Lock()
        self.closed = False
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.closed:
            try:
                data = self.sock.recv(65536)
            except OSError:
                continue
            self.feed(data.decode("utf-8", "replace"))

    def feed(self, text):
        for line in text.splitlines():
            m = self.LINE_RE.match(line.strip())
            if not m:
                continue
            tags = dict(t.split(":", 1) for t in (m.group(3) or "").split(",") if ":" in t)
            with self.lock:
                self.values.setdefault(tags.get("banner", ""), {})[m.group(1)] = m.group(2)

    def get(self, banner):
        with self.lock:
            return dict(self.values.get(banner, {}))

    def close(self):
        self.closed = True
        self.thread.join(timeout=2)
        self.sock.close()


def afl_env():
    """The environment of every afl-fuzz run. AFL_KILL_SIGNAL=SIGUSR2: a kill
    the targets' driver can catch, which lets it answer afl-fuzz itself
    (fuzz/common/afl_driver.c: "direct" mode, 2.5 times the executions of
    AFL++'s persistent loop on a cheap target); under SIGKILL it keeps to
    AFL++'s loop."""
    return dict(os.environ, AFL_SKIP_CPUFREQ="1", AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1",
                AFL_NO_UI="1", AFL_TRY_AFFINITY="1", AFL_SKIP_CRASHES="1",
                AFL_KILL_SIGNAL=str(int(signal.SIGUSR2)))


class AFLEngine:
    name = "afl"
    cov_label = "edges"

    def __init__(self, campaign, cmplog_mode):
        self.c = campaign
        self.out = campaign.dir / "afl"
        self.seeds = campaign.dir / "seeds"
        self.names = ["main"] + [f"s{i}" for i in range(1, campaign.jobs)]
        self.procs = {}
        self.cmplog_mode = cmplog_mode
        self.cmplog_note = ""
        self.failed = {}
        self.last = {}
        self.statsd = None

    def describe(self):
        return (f"AFL++ persistent, main + {self.c.jobs - 1} secondary instance(s); "
                f"{self.cmplog_note}")

    def env(self):
        env = afl_env()
        if self.statsd:
            env.update(AFL_STATSD="1", AFL_STATSD_HOST="127.0.0.1",
                       AFL_STATSD_PORT=str(self.statsd.port), AFL_STATSD_TAGS_FLAVOR="dogstatsd")
        return env

    def start(self):
        afl = need_tool("afl-fuzz", package="afl++")
        cmplog, self.cmplog_note = cmplog_binary(self.c.target, self.cmplog_mode, self.c.quiet)
        if STOP.is_set():
            return
        self.seeds.mkdir(parents=True, exist_ok=True)
        for f in seed_files(self.c.target):
            shutil.copy2(f, self.seeds / f.name)
        self.c.deadline = time.monotonic() + self.c.time  # the cmplog build took time
        try:
            self.statsd = StatsdListener()
        except OSError as e:
            self.c.note(f"no live AFL++ figures (StatsD listener: {e}); fuzzer_stats is "
                        "rewritten once a minute")
        for name in self.names:
            role = ["-M", name] if name == "main" else ["-S", name]
            if name == "main" and cmplog:
                role += ["-c", str(cmplog)]
            cmd = [afl, "-i", str(self.seeds), "-o", str(self.out), *role, "-T", name,
                   "-V", str(max(1, int(self.c.time)))]
            d = dict_file(self.c.target)
            if d:
                cmd += ["-x", str(d)]
            cmd += ["--", str(bin_path("afl", self.c.target))]
            logp = self.c.dir / "logs" / f"afl-{name}.log"
            with open(logp, "ab") as f:
                f.write(f"=== {utc_iso()}: {' '.join(cmd)}\n".encode())
                f.flush()
                self.procs[name] = spawn(cmd, stdin=subprocess.DEVNULL, stdout=f,
                                         stderr=subprocess.STDOUT, env=self.env(),
                                         cwd=str(self.c.dir))
            if name == "main" and len(self.names) > 1:
                time.sleep(0.5)  # let the main instance create the output directory

    def poll(self):
        for name, p in self.procs.items():
            rc = p.poll()
            if rc is not None and rc != 0 and name not in self.failed and not STOP.is_set():
                logp = self.c.dir / "logs" / f"afl-{name}.log"
                self.failed[name] = tail_file(logp, 15)
                self.c.note(f"afl-fuzz instance {name} exited {rc}; see {rel(logp)}")

    def done(self):
        return all(p.poll() is not None for p in self.procs.values())

    def started_ok(self):
        return any((self.out / n / "fuzzer_stats").is_file() for n in self.names)

    def stop(self, wait=15.0):
        for p in self.procs.values():
            if p.poll() is None:
                killpg(p, signal.SIGINT)
        t0 = time.monotonic()
        while time.monotonic() - t0 < wait and not self.done():
            time.sleep(0.1)
        for p in self.procs.values():
            if p.poll() is None:
                killpg(p, signal.SIGKILL)
                p.wait()
        if self.statsd:
            self.statsd.close()

    def scan_artifacts(self):
        for name in self.names:
            d = self.out / name / "crashes"
            try:
                for e in os.scandir(d):
                    if e.is_file() and e.name.startswith("id:"):
                        self.c.submit_artifact(Path(e.path))
            except OSError:
                pass

    def instance_stats(self, name):
        """Live figures from StatsD; fuzzer_stats once it is newer (AFL++ 4.04
        rewrites fuzzer_stats and plot_data only every 60 s, and at exit)."""
        st = {}
        sd = self.statsd.get(name) if self.statsd else None
        if sd:
            st = {"execs": num(sd.get("execs_done")), "eps": num(sd.get("execs_per_sec")),
                  "edges": num(sd.get("edges_found")), "corpus": num(sd.get("corpus_count")),
                  "hangs": num(sd.get("saved_hangs"))}
        d = self.out / name
        try:
            s = parse_afl_stats((d / "fuzzer_stats").read_text(errors="replace"))
        except OSError:
            s = None
        if s is None and not st:
            try:  # no StatsD: plot_data (written after the first minute)
                plot = parse_afl_plot((d / "plot_data").read_text(errors="replace"))
            except OSError:
                plot = None
            if plot:
                st = {"execs": num(plot.get("total_execs")), "eps": num(plot.get("execs_per_sec")),
                      "edges": num(plot.get("edges_found")), "corpus": num(plot.get("corpus_count")),
                      "hangs": num(plot.get("saved_hangs"))}
        if s is not None:
            if num(s.get("execs_done")) >= st.get("execs", 0):
                st = {"execs": num(s.get("execs_done")), "eps": num(s.get("execs_per_sec")),
                      "edges": num(s.get("edges_found")), "corpus": num(s.get("corpus_count")),
                      "hangs": num(s.get("saved_hangs"))}
            st["total_edges"] = num(s.get("total_edges"))
        if st:
            self.last[name] = st
        return self.last.get(name, {})

    def snapshot(self, final=False):
        sts = [self.instance_stats(n) for n in self.names]
        running = [n for n, p in self.procs.items() if p.poll() is None]
        return {
            "execs": int(sum(s.get("execs", 0) for s in sts)),
            "eps": sum(s.get("eps", 0) for s in sts if s) if running or final else 0,
            "coverage": int(max([s.get("edges", 0) for s in sts] or [0])),
            "corpus": int(max([s.get("corpus", 0) for s in sts] or [0])),
            "running": len(running),
            "hangs": int(sum(s.get("hangs", 0) for s in sts)),
            "total_edges": int(max([s.get("total_edges", 0) for s in sts] or [0])),
        }

    def corpus_files(self):
        """Unique queue entries of all instances (by content)."""
        seen, out = set(), []
        for n in self.names:
            q = self.out / n / "queue"
            if not q.is_dir():
                continue
            for p in sorted(q.iterdir()):
                if p.is_file() and p.name.startswith("id:"):
                    try:
                        h = hashlib.sha1(p.read_bytes()).digest()
                    except OSError:
                        continue
                    if h not in seen:
                        seen.add(h)
                        out.append(p)
        return out

    def errors(self):
        return list(self.failed.items())


# ------------------------------------------------------------ campaign ---

class Campaign:
    def __init__(self, args):
        self.target = args.target
        self.time = args.time
        self.jobs = args.jobs
        self.quiet = args.quiet
        self.engine_name = args.engine
        self.minimize_time = args.minimize_time
        self.dir = Path(args.dir) if args.dir else ROOT / "fuzz" / "work" / f"{self.target}-{utc_stamp()}"
        self.dir = self.dir.resolve()
        self.corpus_dir = self.dir / "corpus"
        self.crash_dir = self.dir / "crashes"
        self.raw_dir = self.crash_dir / "raw"
        self.book = CrashBook()
        self.seen = set()
        self.triage_q = queue.Queue()
        self.tty = sys.stderr.isatty()
        self.progress_open = False
        self.started_utc = None
        self.deadline = None
        self.stats_rows = 0
        self.engine = (LibFuzzerEngine(self) if args.engine == "libfuzzer"
                       else AFLEngine(self, args.cmplog))

    # messages that interrupt the progress line
    def note(self, msg):
        if self.quiet:
            return
        if self.progress_open:
            sys.stderr.write("\n")
            self.progress_open = False
        log(msg)

    def progress(self, line):
        if self.quiet:
            return
        if self.tty:
            sys.stderr.write("\r\033[K" + line)
            self.progress_open = True
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def end_progress(self):
        if self.progress_open:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.progress_open = False

    def submit_artifact(self, path):
        try:
            path = Path(path).resolve()
        except OSError:
            return
        if path in self.seen or not path.is_file():
            return
        self.seen.add(path)
        self.triage_q.put(path)

    def triage_loop(self):
        while True:
            path = self.triage_q.get()
            if path is None:
                return
            try:
                self.triage(path)
            except Exception as e:  # keep the campaign going; say what happened
                self.note(f"triage of {rel(path)} failed: {e}")
            finally:
                self.triage_q.task_done()

    def triage(self, path):
        v = replay_one(self.target, path, libfuzzer_fallback=True)
        if v.kind == "unreadable":
            return
        if v.kind == "ok":
            sig = f"not reproducible ({path.name.split('-', 1)[0].split(',', 1)[0]})"
            note = "neither the replay build nor the libFuzzer build fails on this input"
        else:
            sig, note = v.signature, v.note
        e, new = self.book.add(sig, path, v.output, note)
        if new:
            d = self.crash_dir / e["hash"]
            d.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, d / "input")
            e["dir"] = str(d)
            text, _ = decode_text(self.target, d / "input")
            if text is not None:
                (d / "input.txt").write_text(text)
            write_crash_report(self, e)
            self.note(f"new crash [{e['hash']}] {sig}")

    def write_json(self, status, final=None):
        data = {
            "version": 1, "target": self.target, "engine": self.engine_name, "jobs": self.jobs,
            "time_budget_s": self.time, "dir": str(self.dir), "root": str(ROOT),
            "build_dir": str(build_dir()), "started_utc": self.started_utc, "status": status,
            "corpus_dir": str(self.corpus_dir) if self.engine_name == "libfuzzer" else None,
            "afl_dir": str(self.dir / "afl") if self.engine_name == "afl" else None,
        }
        if final:
            data.update(final)
        tmp = self.dir / "campaign.json.tmp"
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        os.replace(tmp, self.dir / "campaign.json")

    def run(self):
        t = self.target
        need_bin("libfuzzer" if self.engine_name == "libfuzzer" else "afl", t)
        if not have_bin("host", t):
            log(f"warning: {rel(bin_path('host', t))} is missing; crashes are replayed with "
                "the libFuzzer build", self.quiet)
        if self.engine_name == "afl":
            need_tool("afl-fuzz", package="afl++")
        seeds = seed_files(t)
        if not seeds:
            raise UsageError(f"no seeds in fuzz/corpus/{t}/")
        if self.dir.exists() and not self.dir.is_dir():
            raise UsageError(f"--dir {rel(self.dir)} exists and is not a directory")
        if self.dir.exists() and any(self.dir.iterdir()):
            raise UsageError(f"{rel(self.dir)} exists and is not empty; choose another --dir")
        for d in (self.crash_dir, self.dir / "logs"):
            d.mkdir(parents=True, exist_ok=True)
        if self.engine_name == "libfuzzer":  # AFL++ copies its seeds itself
            self.corpus_dir.mkdir(parents=True, exist_ok=True)
            for s in seeds:
                shutil.copy2(s, self.corpus_dir / s.name)
        self.started_utc = utc_iso()
        self.write_json("running")
        csv_path = self.dir / "stats.csv"
        with open(csv_path, "w", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow(
                ["time", "execs_per_sec", "coverage", "corpus", "crashes"])

        log(f"campaign {rel(self.dir)}: target {t}, {self.time:g} s, {self.jobs} job(s), "
            f"engine {self.engine_name}", self.quiet)
        triage_thread = threading.Thread(target=self.triage_loop, daemon=True)
        triage_thread.start()
        t0 = time.monotonic()
        self.deadline = t0 + self.time
        interrupted = False
        snap = {"execs": 0, "eps": 0, "coverage": 0, "corpus": len(seeds), "running": 0}
        try:
            try:
                self.engine.start()
            except UsageError:
                self.write_json("failed")
                raise
            t0 = self.deadline - self.time
            self.note(f"engine: {self.engine.describe()}")
            next_tick = t0 + TICK
            while True:
                if STOP.is_set():
                    interrupted = True
                    break
                self.engine.poll()
                self.engine.scan_artifacts()
                now = time.monotonic()
                if now >= next_tick:
                    snap = self.engine.snapshot()
                    self.tick(csv_path, now - t0, snap)
                    next_tick += TICK
                if self.engine.done():
                    break
                if now > self.deadline + WORKER_GRACE:
                    self.note("time budget exceeded; stopping the engine")
                    break
                STOP.wait(0.2)
        finally:
            if STOP.is_set():
                interrupted = True
                self.note("interrupted: stopping the engine, keeping everything")
            self.engine.stop()
        elapsed = time.monotonic() - t0
        self.engine.poll()
        self.engine.scan_artifacts()
        self.triage_q.join()
        self.triage_q.put(None)
        snap = self.engine.snapshot(final=True)
        self.tick(csv_path, elapsed, snap, final=True)
        self.end_progress()

        errors = self.engine.errors()
        if not self.engine.started_ok() and not interrupted and not len(self.book):
            for who, text in errors:
                print(f"{PROG}: {who} failed:\n{text}", file=sys.stderr)
            self.write_json("failed")
            print(f"{PROG}: the {self.engine_name} engine did not start; logs in "
                  f"{rel(self.dir / 'logs')}", file=sys.stderr)
            return 2

        # Minimise one input per unique crash; write the reports.
        crashes = self.book.list()
        for e in crashes:
            if e["dir"] is None:
                continue
            d = Path(e["dir"])
            if STOP.is_set():
                e["min_note"] = ("not minimized (interrupted); run: fuzz_campaign.py replay "
                                 f"--target {t} --minimize {rel(d / 'input')}")
            elif e["signature"].startswith(("timeout", "not reproducible")):
                e["min_note"] = "not minimized (not a reproducible crash)"
            else:
                self.note(f"minimizing [{e['hash']}] (up to {self.minimize_time:g} s)")
                ok, why = minimize(t, d / "input", d / "minimized", self.minimize_time)
                e["min_note"] = why
                if ok:
                    e["minimized"] = str(d / "minimized")
                    mv = replay_one(t, d / "minimized")
                    if mv.kind != "crash":
                        e["min_note"] += "; the replay build does not fail on it"
                    elif mv.signature != e["signature"]:
                        e["min_note"] += f"; it crashes differently: {mv.signature}"
                    else:
                        e["min_note"] += "; same signature"
                    text, _ = decode_text(t, d / "minimized")
                    if text is not None:
                        (d / "minimized.txt").write_text(text)
            write_crash_report(self, e)

        final = {
            "status": "interrupted" if interrupted else "finished",
            "finished_utc": utc_iso(), "elapsed_s": round(elapsed, 1),
            "total_execs": snap["execs"],
            "avg_execs_per_sec": round(snap["execs"] / elapsed) if elapsed > 0 else 0,
            "coverage": snap["coverage"], "coverage_kind": self.engine.cov_label,
            "corpus": len(self.engine.corpus_files()),
            "crashes": [{"hash": e["hash"], "signature": e["signature"], "dir": e["dir"],
                         "inputs": len(e["inputs"])} for e in crashes],
        }
        self.write_json(final["status"], final)
        summary = self.summary(final, snap, errors)
        print(summary)
        (self.dir / "summary.txt").write_text(summary + "\n")
        if interrupted:
            return 130
        return 1 if crashes else 0

    def tick(self, csv_path, t, snap, final=False):
        ncrash = len(self.book)
        with open(csv_path, "a", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow(
                [f"{t:.1f}", int(snap["eps"]), snap["coverage"], snap["corpus"], ncrash])
        self.stats_rows += 1
        if final:
            return
        mm, ss = divmod(int(t), 60)
        self.progress(f"[{mm:02d}:{ss:02d}/{int(self.time)}s] {snap['running']}/{self.jobs} "
                      f"running | {int(snap['eps'])} exec/s | {self.engine.cov_label} "
                      f"{snap['coverage']} | corpus {snap['corpus']} | crashes {ncrash}"
                      + (f" | restarts {snap['restarts']}" if snap.get("restarts") else ""))

    def summary(self, final, snap, errors):
        lines = ["covemon fuzz campaign summary"]
        row = lambda k, v: lines.append(f"  {k:<16}{v}")
        row("target", self.target)
        row("engine", self.engine.describe())
        row("jobs", self.jobs)
        row("time", f"{self.time:g} s budget, {final['elapsed_s']:.1f} s elapsed"
            + (" (interrupted)" if final["status"] == "interrupted" else ""))
        row("total execs", final["total_execs"])
        row("average exec/s", f"{final['avg_execs_per_sec']} (total execs / elapsed, all jobs)")
        if self.engine_name == "afl":
            te = snap.get("total_edges")
            row("coverage", f"{final['coverage']} edges" + (f" of {te}" if te else "")
                + " (afl edges_found, best instance)")
            if snap.get("hangs"):
                row("hangs", f"{snap['hangs']} (afl hangs/, not triaged)")
        else:
            row("coverage", f"cov {final['coverage']} (libFuzzer cov, best worker; "
                "`report` merges source coverage)")
            if snap.get("restarts"):
                row("restarts", f"{snap['restarts']} worker restart(s) after crashes")
        row("corpus", f"{final['corpus']} inputs"
            + (" (unique across instances)" if self.engine_name == "afl" else ""))
        crashes = final["crashes"]
        row("unique crashes", len(crashes))
        for e in self.book.list():
            lines.append(f"    [{e['hash']}] {e['signature']}")
            lines.append(f"        {rel(e['dir'])}/  ({len(e['inputs'])} input(s))")
            if e["minimized"]:
                lines.append(f"        minimized: {e['min_note']}")
            elif e["min_note"]:
                lines.append(f"        {e['min_note']}")
        for who, text in errors:
            lines.append(f"  problem: {who} failed; last log lines:")
            lines += ["    " + x for x in text.splitlines()]
        row("campaign dir", rel(self.dir))
        row("stats", rel(self.dir / "stats.csv"))
        row("next", f"python3 {rel(Path(__file__))} report {rel(self.dir)}")
        return "\n".join(lines)


def write_crash_report(c, e):
    if not e["dir"]:
        return
    d = Path(e["dir"])
    t = c.target
    inputs = e["inputs"]
    lines = [
        f"signature: {e['signature']}",
        f"hash:      {e['hash']}",
        f"target:    {t} (engine {c.engine_name}, campaign {c.dir})",
        f"input:     input (copy of {inputs[0]}, {Path(d / 'input').stat().st_size} bytes)",
    ]
    if e["note"]:
        lines.append(f"note:      {e['note']}")
    if e["minimized"]:
        lines.append(f"minimized: minimized ({e['min_note']})")
    elif e["min_note"]:
        lines.append(f"minimized: {e['min_note']}")
    if len(inputs) > 1:
        lines.append(f"also found as ({len(inputs) - 1}):")
        lines += [f"  {p}" for p in inputs[1:200]]
        if len(inputs) > 201:
            lines.append(f"  ... {len(inputs) - 201} more")
    lines += [
        "reproduce:",
        f"  {bin_path('host', t)} {d / 'input'}",
        f"  python3 {ROOT / 'ci' / 'fuzz_campaign.py'} replay --target {t} --trace {d / 'input'}",
    ]
    if t == "sequence":
        lines.append("text form: input.txt" + (", minimized.txt" if e["minimized"] else ""))
    lines += ["", "--- replay output ---", e["report"].rstrip()]
    (d / "report.txt").write_text("\n".join(lines) + "\n")


# -------------------------------------------------------------- replay ---

def infer_target(path):
    """The target a file belongs to, from its path: fuzz/{corpus,regressions}/<t>/
    or a campaign directory (campaign.json)."""
    p = Path(path).resolve()
    targets = set(known_targets())
    parts = p.parts
    for i in range(len(parts) - 1):
        if parts[i] in ("corpus", "regressions") and parts[i + 1] in targets and \
                i > 0 and parts[i - 1] == "fuzz":
            return parts[i + 1]
    for d in [p] + list(p.parents):
        cj = d / "campaign.json"
        if cj.is_file():
            try:
                t = json.loads(cj.read_text()).get("target")
            except (OSError, ValueError):
                return None
            return t if t in targets else None
    return None


def expand_inputs(paths):
    """Files to replay: files as given, directories walked recursively."""
    out = []
    for a in paths:
        p = Path(a)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(x for x in dirnames if not x.startswith("."))
                for name in sorted(filenames):
                    if not skip_name(name):
                        out.append(Path(dirpath) / name)
        else:
            out.append(p)
    return out


def indent(text, n=4, limit=None):
    lines = text.rstrip().splitlines()
    more = 0
    if limit and len(lines) > limit:
        more = len(lines) - limit
        lines = lines[:limit]
    out = "\n".join(" " * n + x for x in lines)
    if more:
        out += f"\n{' ' * n}... ({more} more lines)"
    return out


def report_excerpt(output):
    """The sanitizer / oracle report part of a replay's output, without ASan's
    shadow-byte dump."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if (line.startswith(("covemon-oracle:", "covemon: monitor panic", "=====", "AddressSanitizer"))
                or "runtime error:" in line or "ERROR:" in line):
            lines = lines[i:]
            break
    out, skipping = [], False
    for line in lines:
        if line.startswith("Shadow bytes around the buggy address"):
            skipping = True
        elif skipping and re.match(r"^==\d+==", line):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out)


def cmd_replay(a):
    if a.target:
        check_target(a.target)
    files = expand_inputs(a.paths)
    if not files:
        raise UsageError("no input files found in " + " ".join(a.paths))
    counts = {"ok": 0, "crash": 0, "unreadable": 0}
    plan = []
    for f in files:
        if a.target:
            plan.append((f, a.target, "given"))
        else:
            t = infer_target(f)
            plan.append((f, t or "sequence", "from the path" if t else "default"))
    groups = {}
    for _, t, how in plan:
        groups[(t, how)] = groups.get((t, how), 0) + 1
    for (t, how), n in groups.items():
        print(f"replay: target {t} ({how}): {n} file(s)", file=sys.stderr)
    for f, target, _ in plan:
        if STOP.is_set():
            print(f"{PROG}: interrupted", file=sys.stderr)
            break
        v = replay_one(target, f, trace=a.trace, timeout=a.timeout)
        counts[v.kind] += 1
        if v.kind == "ok":
            print(f"{f}: ok", flush=True)
        elif v.kind == "unreadable":
            print(f"{f}: unreadable ({v.note})", flush=True)
        else:
            print(f"{f}: CRASH {v.signature}", flush=True)
            if v.note:
                print(f"    note: {v.note}")
        if a.trace and v.kind != "unreadable":
            text, why = decode_text(target, f)
            print("  --- text form ---")
            print(indent(text if text is not None else why, 4))
            print("  --- trace (COVEMON_FUZZ_TRACE=1) ---" if traced_target(target)
                  else f"  --- output (no per-operation trace for target {target}) ---")
            print(indent(v.output or "(no output)", 4))
        elif v.kind == "crash":
            print("  --- report ---")
            print(indent(report_excerpt(v.output), 4, limit=120))
        if v.kind == "crash" and a.minimize and not STOP.is_set():
            dst = Path(str(f) + ".min")
            ok, why = minimize(target, f, dst, a.minimize_time)
            if ok:
                mv = replay_one(target, dst)
                same = ("same signature" if mv.signature == v.signature else
                        f"crashes differently: {mv.signature}" if mv.kind == "crash" else
                        "the replay build does not fail on it")
                print(f"    minimized: {dst} ({why}; {same})")
                if target == "sequence":
                    text, _ = decode_text(target, dst)
                    if text is not None:
                        print(indent(text, 6))
            else:
                print(f"    minimize: {why}")
    n = sum(counts.values())
    print(f"replay: {n} file(s): {counts['ok']} ok, {counts['crash']} crash, "
          f"{counts['unreadable']} unreadable")
    if STOP.is_set():
        return 130
    if counts["crash"]:
        return 1
    if counts["unreadable"]:
        return 2
    return 0


# -------------------------------------------------------------- report ---

def llvm_tool(name):
    """llvm-<name> matching the coverage build's clang when possible."""
    major = None
    cache = build_dir() / "coverage" / "CMakeCache.txt"
    try:
        m = re.search(r"^CMAKE_C_COMPILER:\w+=(.*)$", cache.read_text(), re.M)
        if m:
            rc, out, _, _ = run_capture([m.group(1).strip(), "--version"], timeout=20)
            v = re.search(r"clang version (\d+)", out)
            major = v.group(1) if v else None
    except OSError:
        pass
    names = ([f"{name}-{major}"] if major else []) + [name]
    return need_tool(*names, package="llvm")


def ere_escape(s):
    """Escapes a literal for LLVM's POSIX-ERE regex engine."""
    return re.sub(r"([.\[\]()*+?{}|^$\\])", r"\\\1", s)


def only_regex(files, keep):
    """-ignore-filename-regex matching every file for which keep() is false."""
    drop = sorted(f for f in files if not keep(f))
    if not drop:
        return None
    return "^(" + "|".join(ere_escape(f) for f in drop) + ")$"


def coverage_totals(llvm_cov, binary, prof, ignore):
    cmd = [llvm_cov, "export", "-summary-only", str(binary), f"-instr-profile={prof}"]
    if ignore:
        cmd.append(f"-ignore-filename-regex={ignore}")
    rc, out, _, _ = run_capture(cmd, timeout=300)
    if rc != 0:
        raise RuntimeError(f"llvm-cov export failed: {out.strip()[:500]}")
    # llvm-cov may print warnings before the JSON.
    data = json.loads(out[out.index("{"):])
    d = data["data"][0]
    return d["totals"], [f["filename"] for f in d["files"]]


def cmd_report(a):
    cdir = Path(a.dir).resolve()
    cj = cdir / "campaign.json"
    if not cj.is_file():
        raise UsageError(f"{rel(cdir)} is not a campaign directory (no campaign.json)")
    try:
        meta = json.loads(cj.read_text())
    except ValueError as e:
        raise UsageError(f"{rel(cj)}: not valid JSON ({e})")
    target = meta.get("target")
    check_target(target)
    binary = need_bin("coverage", target)
    profdata_tool = llvm_tool("llvm-profdata")
    llvm_cov = llvm_tool("llvm-cov")

    # The campaign corpus (libFuzzer's shared corpus or the AFL queues), unique by content.
    candidates = []
    if (cdir / "corpus").is_dir():
        candidates += [p for p in sorted((cdir / "corpus").iterdir()) if p.is_file()]
    for q in sorted((cdir / "afl").glob("*/queue")):
        candidates += [p for p in sorted(q.iterdir()) if p.is_file() and p.name.startswith("id:")]
    files, seen = [], set()
    for p in candidates:
        try:
            h = hashlib.sha1(p.read_bytes()).digest()
        except OSError:
            continue
        if h not in seen:
            seen.add(h)
            files.append(p)
    if not files:
        raise UsageError(f"{rel(cdir)} has no corpus to measure")

    cov = cdir / "cov"
    out_dir = cdir / "report"
    shutil.rmtree(cov, ignore_errors=True)
    cov.mkdir(parents=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, LLVM_PROFILE_FILE=str(cov / "%p.profraw"))
    print(f"report: running {rel(binary)} over {len(files)} corpus input(s)", file=sys.stderr)
    failed = []
    batch = 200
    for i in range(0, len(files), batch):
        if STOP.is_set():
            return 130
        chunk = files[i:i + batch]
        rc, _, _, _ = run_capture([str(binary)] + [str(f) for f in chunk], env=env, timeout=600,
                                  stop_aware=True)
        if rc != 0:
            # A crashing or hanging input loses that process's profile: one by one.
            for f in chunk:
                rc1, _, _, _ = run_capture([str(binary), str(f)], env=env, timeout=60,
                                           stop_aware=True)
                if rc1 != 0:
                    failed.append(f)
    raws = sorted(cov.glob("*.profraw"))
    if not raws:
        raise RuntimeError("no profiles were written (is the coverage build instrumented?)")
    prof = cov / "merged.profdata"
    rc, out, _, _ = run_capture([profdata_tool, "merge", "-sparse", *map(str, raws), "-o", str(prof)],
                                timeout=600)
    if rc != 0:
        raise RuntimeError(f"llvm-profdata merge failed: {out.strip()[:500]}")

    _, all_files = coverage_totals(llvm_cov, binary, prof, None)
    in_monitor = lambda f: "/monitor/" in f
    in_src = lambda f: "/monitor/src/" in f
    ign_mon = only_regex(all_files, in_monitor)
    ign_src = only_regex(all_files, in_src)
    mon_files = [f for f in all_files if in_monitor(f)]
    if not mon_files:
        raise RuntimeError("the coverage build has no monitor/ sources")

    html = out_dir / "html"
    shutil.rmtree(html, ignore_errors=True)
    cmd = [llvm_cov, "show", str(binary), f"-instr-profile={prof}", "-format=html",
           f"-output-dir={html}", "-show-line-counts-or-regions"]
    if ign_mon:
        cmd.append(f"-ignore-filename-regex={ign_mon}")
    rc, out, _, _ = run_capture(cmd, timeout=600)
    if rc != 0:
        raise RuntimeError(f"llvm-cov show failed: {out.strip()[:500]}")

    cmd = [llvm_cov, "report", str(binary), f"-instr-profile={prof}"]
    rc, table, _, _ = run_capture(cmd + ([f"-ignore-filename-regex={ign_mon}"] if ign_mon else []),
                                  timeout=300)
    if rc != 0:
        raise RuntimeError(f"llvm-cov report failed: {table.strip()[:500]}")
    src_line = ""
    src_totals = None
    if any(in_src(f) for f in all_files):
        src_totals, _ = coverage_totals(llvm_cov, binary, prof, ign_src)
        rc, src_table, _, _ = run_capture(cmd + ([f"-ignore-filename-regex={ign_src}"] if ign_src else []),
                                          timeout=300)
        src_line = next((x for x in src_table.splitlines() if x.startswith("TOTAL")), "")
    mon_totals, _ = coverage_totals(llvm_cov, binary, prof, ign_mon)

    def pct(tot, k):
        return f"{tot[k]['percent']:.2f}% ({tot[k]['covered']}/{tot[k]['count']})"

    summary = [f"coverage of monitor/ by the corpus of {cdir} (target {target}, "
               f"{len(files)} inputs, {meta.get('engine')})"]
    if src_totals:
        summary.append(f"monitor/src TOTAL: lines {pct(src_totals, 'lines')}, functions "
                       f"{pct(src_totals, 'functions')}, regions {pct(src_totals, 'regions')}"
                       + (f", branches {pct(src_totals, 'branches')}" if 'branches' in src_totals else ""))
        summary.append(f"monitor/src llvm-cov TOTAL line: {src_line.strip()}")
    else:
        summary.append(f"monitor/src: not linked into fuzz_{target} (no monitor/src files covered)")
    summary.append(f"monitor/ TOTAL: lines {pct(mon_totals, 'lines')}, functions "
                   f"{pct(mon_totals, 'functions')}, regions {pct(mon_totals, 'regions')}")
    if failed:
        summary.append(f"{len(failed)} corpus input(s) crashed or hung in the coverage build "
                       "(their profiles are missing): " + ", ".join(rel(f) for f in failed[:10]))
    summary += ["", "per-file (monitor/):", table.rstrip()]
    text = "\n".join(summary) + "\n"
    (out_dir / "summary.txt").write_text(text)
    print(text)

    png = out_dir / "progress.png"
    plot_note = plot_progress(cdir / "stats.csv", png, meta)
    print(f"html:     {rel(html / 'index.html')}")
    print(f"summary:  {rel(out_dir / 'summary.txt')}")
    print(f"plot:     {plot_note}")
    return 0


def plot_progress(stats, png, meta):
    gp = shutil.which("gnuplot")
    if not stats.is_file():
        return f"skipped ({rel(stats)} is missing)"
    rows = 0
    with open(stats) as f:
        rows = max(0, sum(1 for _ in f) - 1)
    if rows == 0:
        return f"skipped ({rel(stats)} has no rows)"
    if not gp:
        return "skipped (gnuplot not installed: apt-get install gnuplot-nox)"
    rc, terms, _, _ = run_capture([gp, "-e", "set terminal"], timeout=30)
    term = ("pngcairo size 1000,500" if "pngcairo" in terms else
            "png size 1000,500" if re.search(r"^\s*png\s", terms, re.M) else None)
    if not term:
        return "skipped (this gnuplot has no PNG terminal)"
    label = "edges (afl)" if meta.get("engine") == "afl" else "cov (libFuzzer)"
    title = f"{meta.get('target')} campaign ({meta.get('engine')}, {meta.get('jobs')} jobs)"
    script = "\n".join([
        f"set terminal {term}",
        f"set output '{png}'",
        "set datafile separator ','",
        f"set title '{title}'",
        "set xlabel 'seconds'",
        f"set ylabel 'coverage: {label}'",
        "set y2label 'exec/s'",
        "set ytics nomirror", "set y2tics", "set grid", "set key left top",
        f"plot '{stats}' every ::1 using 1:3 with lines lw 2 title 'coverage' axes x1y1, "
        f"'' every ::1 using 1:2 with lines lw 1 title 'exec/s' axes x1y2",
    ])
    with tempfile.NamedTemporaryFile("w", suffix=".gp", delete=False) as f:
        f.write(script + "\n")
        sp = f.name
    try:
        rc, out, _, _ = run_capture([gp, sp], timeout=60)
    finally:
        os.unlink(sp)
    if rc != 0 or not png.is_file():
        return f"skipped (gnuplot failed: {out.strip()[:200]})"
    return rel(png)


# --------------------------------------------------------------- bench ---

AFL_BENCH_SEEDS = (1, 2, 3)


def bench_afl_once(afl, binary, seeds, seconds, rng_seed, replay=None):
    """One afl-fuzz run of SECONDS from the seed corpus with a fixed random
    seed: (exec/s, execs done) or (None, why). With REPLAY (the replay
    mutator's shared object) afl-fuzz mutates nothing: it executes the seeds
    themselves, round robin (fuzz/common/afl_replay_mutator.c)."""
    tmp = Path(tempfile.mkdtemp(prefix="covemon-afl-bench-"))
    try:
        (tmp / "in").mkdir()
        for s in seeds:
            shutil.copy2(s, tmp / "in" / s.name)
        env = afl_env()
        if replay:
            env.update(AFL_CUSTOM_MUTATOR_LIBRARY=str(replay), AFL_CUSTOM_MUTATOR_ONLY="1",
                       AFL_DISABLE_TRIM="1", COVEMON_AFL_REPLAY_DIR=str(tmp / "in"))
        cmd = [afl, "-i", str(tmp / "in"), "-o", str(tmp / "out"), "-V", str(int(seconds)),
               "-s", str(rng_seed), "--", str(binary)]
        rc, out, _, interrupted = run_capture(cmd, env=env, timeout=seconds + 120, stop_aware=True)
        if interrupted:
            return None, "interrupted"
        st = tmp / "out" / "default" / "fuzzer_stats"
        if not st.is_file():
            tail = "\n".join(out.strip().splitlines()[-5:])
            return None, f"afl-fuzz produced no fuzzer_stats (exit {rc}):\n{tail}"
        s = parse_afl_stats(st.read_text())
        return num(s.get("execs_per_sec")), num(s.get("execs_done"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_afl(target, seconds, replay):
    """Two figures for TARGET, each the median of runs with the random seeds
    AFL_BENCH_SEEDS: ((exec/s, what was run) or (None, why)) for the seed
    corpus replayed through afl-fuzz, then for afl-fuzz fuzzing from it.

    The first is the benchmark: a fixed workload, the same files the
    libFuzzer figure loops over, so it measures the target and the handoff.
    The second is what a campaign sees at its start, and it measures where
    afl-fuzz's mutations lead as much as the target: within seconds the
    sequence target's inputs grow to several promotes of large images, one
    seed's run can be 1.6 times another's, and afl-fuzz also steers by the
    execution times it measures, so even a fixed seed does not repeat a run."""
    seeds = seed_files(target)
    if not seeds:
        raise UsageError(f"no seeds in fuzz/corpus/{target}/")
    binary = need_bin("afl", target)
    fixed = bench_afl_median(binary, seeds, seconds, replay=replay,
                             what=f"the {len(seeds)} seed(s) replayed round robin")
    if fixed[0] is None:
        return fixed, (None, "not run")
    return fixed, bench_afl_median(binary, seeds, seconds, what="fuzzing from the seeds")


def bench_afl_median(binary, seeds, seconds, replay=None, what=None):
    """One afl-fuzz run per seed of AFL_BENCH_SEEDS: (median exec/s, what was
    run) or (None, why)."""
    afl = need_tool("afl-fuzz", package="afl++")
    rates = []
    for rng_seed in AFL_BENCH_SEEDS:
        eps, why = bench_afl_once(afl, binary, seeds, seconds, rng_seed, replay)
        if eps is None:
            return None, why
        rates.append(eps)
    each = ", ".join(f"-s {k}: {r:.0f}" for k, r in zip(AFL_BENCH_SEEDS, rates))
    head = f"{what}, " if what else ""
    return statistics.median(rates), f"{head}median of {len(rates)} runs of {seconds:g} s; {each}"


EMPTY_TARGET = """#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return size > 1 && data[0] == 'c' && data[1] == 'v';
}
"""


def build_afl_bench_tools(tmp):
    """Builds into TMP what the AFL++ bench needs besides the targets: the
    empty target (with the targets' driver, fuzz/common/afl_driver.c, without
    edge counters as the afl preset builds it) and the replay mutator.
    Returns (empty target, mutator) or raises BenchError."""
    cc = need_tool("afl-clang-fast", package="afl++")
    plain = need_tool("cc", "clang", package="gcc")
    common = ROOT / "fuzz" / "common"
    (tmp / "empty.c").write_text(EMPTY_TARGET)
    steps = [
        ([plain, "-O2", "-c", "-o", str(tmp / "afl_driver.o"), str(common / "afl_driver.c")], None),
        ([cc, "-O2", "-o", str(tmp / "empty"), str(tmp / "empty.c"), str(tmp / "afl_driver.o")],
         dict(os.environ, AFL_QUIET="1")),
        ([plain, "-O2", "-shared", "-fPIC", "-o", str(tmp / "replay.so"),
          str(common / "afl_replay_mutator.c")], None),
    ]
    for cmd, env in steps:
        rc, out, _, _ = run_capture(cmd, env=env, timeout=120)
        if rc != 0:
            raise BenchError(f"building {Path(cmd[-1]).name} failed (exit {rc}): "
                             f"{out.strip()[-300:]}")
    return tmp / "empty", tmp / "replay.so"


class BenchError(Exception):
    pass


def cmd_bench(a):
    for t in a.targets:
        check_target(t)
    engines = ["libfuzzer", "afl"] if a.engine == "both" else [a.engine]
    if "afl" in engines:
        need_tool("afl-fuzz", package="afl++")
    for t in a.targets:
        need_bin("bench" if "libfuzzer" in engines else "afl", t)
        if "afl" in engines:
            need_bin("afl", t)
    rc = 0
    tools = Path(tempfile.mkdtemp(prefix="covemon-afl-tools-"))
    try:
        for engine in engines:
            rc |= bench_engine(a, engine, tools)
            if STOP.is_set():
                return 130
    finally:
        shutil.rmtree(tools, ignore_errors=True)
    return rc


def bench_engine(a, engine, tools):
    """The figures of one engine for every target: 0, or 1 when one failed."""
    secs = a.seconds if a.seconds else (10.0 if engine == "libfuzzer" else 20.0)
    if secs <= 0:
        raise UsageError("--seconds must be positive")
    rc = 0
    handoff = None  # seconds per execution afl-fuzz needs for an empty target
    replay = None
    if engine == "afl":
        try:
            empty, replay = build_afl_bench_tools(tools)
        except BenchError as e:
            print(f"afl bench tools (empty target, replay mutator): {e}")
            return 1
        eps, note = bench_afl_median(empty, seed_files(a.targets[0]), secs)
        if eps is None:
            print(f"(empty target): afl bench failed: {note}")
            rc = 1
        else:
            print(f"(empty target): {eps:.0f} exec/s (AFL++ persistent, 1 instance, {note}; "
                  f"the handoff alone, {1e6 / eps:.1f} us per execution)", flush=True)
            handoff = 1.0 / eps
    for t in a.targets:
        if STOP.is_set():
            return rc
        if engine == "libfuzzer":
            files = [str(f) for f in seed_files(t)][:256]
            if not files:
                print(f"{t}: no seeds in fuzz/corpus/{t}/")
                rc = 1
                continue
            r, out, _, _ = run_capture([str(bin_path("bench", t)), f"{secs:g}", *files],
                                       timeout=secs + 60, stop_aware=True)
            m = re.search(r"(\d+) exec/s", out)
            if r != 0 or not m:
                print(f"{t}: bench failed (exit {r}): {out.strip()[-300:]}")
                rc = 1
                continue
            print(f"{t}: {m.group(1)} exec/s (libFuzzer build, ASan+UBSan, 1 core, "
                  f"{len(files)} seed(s), {secs:g} s)", flush=True)
            continue
        for label, (eps, note) in zip((t, f"{t}, live"), bench_afl(t, secs, replay)):
            if eps is None:
                print(f"{label}: afl bench failed: {note}")
                rc = 1
                break
            own = f"; {(1.0 / eps - handoff) * 1e6:.1f} us per input beyond the handoff" \
                if handoff and eps < 1.0 / handoff else ""
            print(f"{label}: {eps:.0f} exec/s (AFL++ persistent, 1 instance, {note}{own})",
                  flush=True)
    return rc


# ------------------------------------------------------------ selftest ---

CANNED = {
    "oracle_a": """INFO: Seed: 1
Running: crash-1
covemon-oracle: I3 G-stage integrity violated at operation 5: a table outside memory
==8424== ERROR: libFuzzer: deadly signal
    #0 0x5613887ffce1 in __sanitizer_print_stack_trace (/w/build/fuzz/fuzz/fuzz_sequence+0xe8ce1) (BuildId: 37ae)
    #1 0x561388772638 in fuzzer::PrintStackTrace() (/w/build/fuzz/fuzz/fuzz_sequence+0x5b638) (BuildId: 37ae)
    #6 0x7f00e9164471 in abort stdlib/./stdlib/abort.c:79:7
    #7 0x561388830ebc in fuzz_fail /w/fuzz/common/exec.c:179:2
""",
    "oracle_b": """covemon-oracle: I3 G-stage integrity violated at operation 17: a table outside memory
""",
    "oracle_c": """covemon-oracle: I1 host isolation violated at operation 2: a host store reached protected memory
""",
    "oracle_addr_a": """covemon-oracle: I2 TVM isolation violated at operation 9: TVM 1's tables reach monitor memory 0x80001000
""",
    "oracle_addr_b": """covemon-oracle: I2 TVM isolation violated at operation 3: TVM 2's tables reach monitor memory 0x80012000
""",
    "oracle_addr_c": """covemon-oracle: I2 TVM isolation violated at operation 3: TVM 2 reaches confidential page 0x81c00000 it does not own
""",
    "asan_gcc": """=================================================================
==8419==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000016 at pc 0x55ec2a50234f bp 0x7fffb69f7910 sp 0x7fffb69f7908
READ of size 1 at 0x602000000016 thread T0
    #0 0x7f9c4c8b89cf in __interceptor_memcpy ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:827
    #1 0x55ec2a50234e in fdt_read_prop /work/main/monitor/lib/fdt.c:88
    #2 0x55ec2a5024e6 in fdt_find_node.part.0 /work/main/monitor/lib/fdt.c:140
    #3 0x55ec2a5027e6 in LLVMFuzzerTestOneInput /work/main/fuzz/targets/fdt.c:17
    #4 0x55ec2a502b14 in replay_file /work/main/fuzz/common/replay_main.c:48
    #5 0x55ec2a502cc5 in main /work/main/fuzz/common/replay_main.c:63
    #6 0x7f9c4be45249 in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58

0x602000000016 is located 2 bytes to the right of 4-byte region [0x602000000010,0x602000000014)
allocated by thread T0 here:
    #0 0x7f9c4c8b89cf in __interceptor_malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69
    #1 0x55ec2a502aa4 in replay_file /work/main/fuzz/common/replay_main.c:45

SUMMARY: AddressSanitizer: heap-buffer-overflow /work/main/monitor/lib/fdt.c:88 in fdt_read_prop
""",
    # The same bug from the libFuzzer (clang) build: other addresses, inlined frames, BuildIds.
    "asan_clang": """==77==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6020000000f6 at pc 0x1 bp 0x2 sp 0x3
READ of size 1 at 0x6020000000f6 thread T0
    #0 0x4f3c2a in __asan_memcpy (/w/build/fuzz/fuzz/fuzz_fdt+0x4f3c2a) (BuildId: 1234abcd)
    #1 0x55d1 in fdt_read_prop /src/covemon/monitor/lib/fdt.c:88:9
    #2 0x55d1 in fdt_find_node /src/covemon/monitor/lib/fdt.c:140:3
    #3 0x55d2 in LLVMFuzzerTestOneInput /src/covemon/fuzz/targets/fdt.c:17:2
    #4 0x55d3 in fuzzer::Fuzzer::ExecuteCallback(unsigned char const*, unsigned long) (/w/build/fuzz/fuzz/fuzz_fdt+0x422f3) (BuildId: 1234abcd)
""",
    "asan_other": """==78==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020000000f6 at pc 0x1 bp 0x2 sp 0x3
    #0 0x55d1 in tvm_destroy /work/main/monitor/src/tvm.c:300:9
    #1 0x55d1 in covh_handle /work/main/monitor/src/covh.c:40:3
    #2 0x55d2 in mon_ecall /work/main/monitor/src/dispatch.c:17:2
    #3 0x55d2 in shim_mon_ecall /work/main/host-shim/src/monitor.c:17:2
""",
    "ubsan_stack": """/work/main/monitor/src/gstage.c:77:20: runtime error: shift exponent 64 is too large for 64-bit type 'uint64_t'
    #0 0x55 in gstage_walk /work/main/monitor/src/gstage.c:77
    #1 0x55 in gstage_map /work/main/monitor/src/gstage.c:120
    #2 0x55 in covh_map /work/main/monitor/src/covh.c:300
    #3 0x55 in mon_ecall /work/main/monitor/src/dispatch.c:80
SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /work/main/monitor/src/gstage.c:77:20 in
""",
    "ubsan_nostack": """monitor/src/gstage.c:77:20: runtime error: shift exponent 65 is too large for 64-bit type 'uint64_t'
SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior monitor/src/gstage.c:77:20 in
""",
    "leak": """=================================================================
==9==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 64 byte(s) in 1 object(s) allocated from:
    #0 0x7f in malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69
    #1 0x55 in shim_world_new /work/main/host-shim/src/world.c:50
    #2 0x55 in world_for /work/main/fuzz/common/exec.c:400
    #3 0x55 in fuzz_execute /work/main/fuzz/common/exec.c:440
""",
    "panic": """covemon: monitor panic: hal_mon_map of a range that is not RAM
AddressSanitizer:DEADLYSIGNAL
==1==ERROR: AddressSanitizer: ABRT on unknown address 0x0000000020e4
    #0 0x7f in __pthread_kill_implementation nptl/pthread_kill.c:44
""",
    "abrt_stack": """AddressSanitizer:DEADLYSIGNAL
==8420==ERROR: AddressSanitizer: ABRT on unknown address 0x0000000020e4 (pc 0x7f bp 0x7f sp 0x7f T0)
    #0 0x7f1ff1aa8eec in __pthread_kill_implementation nptl/pthread_kill.c:44
    #1 0x7f1ff1a59fb1 in __GI_raise ../sysdeps/posix/raise.c:26
    #2 0x7f1ff1a44471 in __GI_abort stdlib/abort.c:79
    #3 0x558d54483754 in shim_world_hart /work/main/host-shim/src/world.c:173
    #4 0x558d54483801 in fuzz_execute /work/main/fuzz/common/exec.c:19
    #5 0x558d54483b14 in replay_file /work/main/fuzz/common/replay_main.c:48
""",
}


def selftest():
    import unittest

    class T(unittest.TestCase):
        def sig(self, k, rc=1):
            return signature_of(CANNED[k], rc)

        def test_oracle_strips_operation_index(self):
            self.assertEqual(self.sig("oracle_a"),
                             "covemon-oracle: I3 G-stage integrity violated: a table outside memory")
            self.assertEqual(self.sig("oracle_a"), self.sig("oracle_b"))
            self.assertNotEqual(self.sig("oracle_a"), self.sig("oracle_c"))

        def test_oracle_masks_addresses_and_ids(self):
            self.assertEqual(self.sig("oracle_addr_a"),
                             "covemon-oracle: I2 TVM isolation violated: TVM N's tables reach "
                             "monitor memory 0x?")
            self.assertEqual(self.sig("oracle_addr_a"), self.sig("oracle_addr_b"))
            self.assertNotEqual(self.sig("oracle_addr_a"), self.sig("oracle_addr_c"))

        def test_asan_top3_project_frames(self):
            self.assertEqual(self.sig("asan_gcc"), "heap-buffer-overflow in fdt_read_prop < "
                             "fdt_find_node < LLVMFuzzerTestOneInput")

        def test_same_bug_two_builds(self):
            self.assertEqual(self.sig("asan_gcc"), self.sig("asan_clang"))

        def test_different_bug(self):
            self.assertEqual(self.sig("asan_other"),
                             "heap-use-after-free in tvm_destroy < covh_handle < mon_ecall")

        def test_ubsan(self):
            self.assertEqual(self.sig("ubsan_stack"), "ubsan shift exponent N is too large for "
                             "N-bit type 'uint64_t' in gstage_walk < gstage_map < covh_map")
            self.assertEqual(self.sig("ubsan_nostack"), "ubsan shift exponent N is too large for "
                             "N-bit type 'uint64_t' at gstage.c:77")

        def test_leak_panic_abort(self):
            self.assertEqual(self.sig("leak"),
                             "memory-leak in shim_world_new < world_for < fuzz_execute")
            self.assertEqual(self.sig("panic"),
                             "covemon: monitor panic: hal_mon_map of a range that is not RAM")
            self.assertEqual(self.sig("abrt_stack"),
                             "ABRT in shim_world_hart < fuzz_execute")

        def test_no_report(self):
            self.assertIsNone(signature_of("replay: x: ok (3 bytes)\n", 0))
            self.assertEqual(signature_of("", -11), "killed by SIGSEGV (no sanitizer report)")
            self.assertEqual(signature_of("", 1), "exit status 1 (no sanitizer report)")
            self.assertTrue(signature_of("", 0, timed_out=True).startswith("timeout"))

        def test_dedup(self):
            book = CrashBook()
            order = ["oracle_a", "oracle_b", "asan_gcc", "asan_clang", "oracle_c", "asan_other",
                     "oracle_b", "leak", "ubsan_stack", "ubsan_nostack"]
            news = [book.add(self.sig(k), f"/tmp/{k}-{i}")[1] for i, k in enumerate(order)]
            self.assertEqual(news, [True, False, True, False, True, True, False, True, True, True])
            self.assertEqual(len(book), 7)
            e = book.entries[self.sig("oracle_a")]
            self.assertEqual(e["inputs"], ["/tmp/oracle_a-0", "/tmp/oracle_b-1", "/tmp/oracle_b-6"])
            self.assertEqual(e["hash"], sig_hash(e["signature"]))
            self.assertEqual(len(e["hash"]), 10)
            self.assertEqual(len({x["hash"] for x in book.list()}), 7)

        def test_frame_parsing(self):
            f = parse_frame("    #4 0x55d3 in fuzzer::Fuzzer::ExecuteCallback(unsigned char const*, "
                            "unsigned long) (/w/fuzz_fdt+0x422f3) (BuildId: 1234abcd)")
            self.assertEqual(f[0], "fuzzer::Fuzzer::ExecuteCallback(unsigned char const*, unsigned long)")
            self.assertFalse(f[2])
            f = parse_frame("    #3 0x7f00e917a04f  (/lib/x86_64-linux-gnu/libc.so.6+0x3c04f)")
            self.assertEqual(f[0], None)
            self.assertTrue(parse_frame("    #1 0x5 in gstage_walk monitor/src/gstage.c:77:3")[2])
            self.assertFalse(parse_frame("    #1 0x5 in raise signal/../sysdeps/posix/raise.c:26:13")[2])

        def test_libfuzzer_status_lines(self):
            st = parse_lf_line("#12\tNEW    cov: 421 ft: 3119 corp: 7/2919b lim: 624 exec/s: 0 "
                               "rss: 34Mb L: 510/624 MS: 1 CopyPart-")
            self.assertEqual((st["n"], st["ev"], st["cov"], st["corp"], st["eps"]),
                             (12, "NEW", 421, 7, 0))
            st = parse_lf_line("#1048576\tpulse  cov: 900 ft: 5000 corp: 1200/98Kb exec/s: 17476 rss: 400Mb")
            self.assertEqual((st["n"], st["ev"], st["eps"]), (1048576, "pulse", 17476))
            self.assertEqual(parse_lf_line("#9\tINITED cov: 419 ft: 3088 corp: 5/1928b exec/s: 0 rss: 34Mb")["ev"],
                             "INITED")
            self.assertIsNone(parse_lf_line("INFO: Seed: 289887108"))

        def test_afl_files(self):
            plot = ("# relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs, "
                    "map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, "
                    "edges_found\n5, 0, 3, 100, 90, 10, 60.00%, 0, 0, 2, 30000.5, 150000, 400\n"
                    "10, 1, 98, 206, 131, 0, 66.15%, 1, 0, 4, 31700.86, 235760, 469\n")
            p = parse_afl_plot(plot)
            self.assertEqual((num(p["execs_per_sec"]), num(p["edges_found"]), num(p["corpus_count"])),
                             (31700.86, 469, 206))
            s = parse_afl_stats("execs_done        : 235760\nedges_found       : 469\n")
            self.assertEqual(s["edges_found"], "469")
            self.assertEqual(num("inf"), 0.0)
            self.assertEqual(num("66.15%"), 66.15)

        def test_statsd_lines(self):
            lst = StatsdListener.__new__(StatsdListener)
            lst.values, lst.lock = {}, threading.Lock()
            lst.feed("fuzzing.execs_done:314793|g|#banner:s1,afl_version:++4.04c\n"
                     "fuzzing.edges_found:476|g|#banner:s1,afl_version:++4.04c\n"
                     "fuzzing.execs_per_sec:52448.02|g|#banner:main,afl_version:++4.04c\n"
                     "garbage\n")
            self.assertEqual(lst.get("s1"), {"execs_done": "314793", "edges_found": "476"})
            self.assertEqual(lst.get("main"), {"execs_per_sec": "52448.02"})

        def test_ignore_regex(self):
            files = ["/w/monitor/src/tvm.c", "/w/host-shim/src/hal.c", "/w/fuzz/common/exec.c",
                     "/w/monitor/lib/fdt.c", "/w/c++/a+b.c"]
            rx = only_regex(files, lambda f: "/monitor/" in f)
            self.assertEqual(rx, r"^(/w/c\+\+/a\+b\.c|/w/fuzz/common/exec\.c|/w/host-shim/src/hal\.c)$")
            self.assertIsNone(only_regex(files[:1], lambda f: True))
            for f in files:
                self.assertEqual(bool(re.match(rx, f)), "/monitor/" not in f)

    suite = unittest.defaultTestLoader.loadTestsFromTestCase(T)
    res = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    return 0 if res.wasSuccessful() else 1


# ----------------------------------------------------------------- CLI ---

class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def positive_float(s):
    try:
        v = float(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {s!r}")
    if not v > 0:
        raise argparse.ArgumentTypeError(f"must be > 0: {s!r}")
    return v


def positive_int(s):
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {s!r}")
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {s!r}")
    return v


def make_parser():
    p = Parser(prog="fuzz_campaign.py", description="covemon fuzz campaigns (see fuzz/README.md)",
               epilog="exit status: 0 ok / no crash, 1 crash found or reproduced, 2 bad usage or "
                      "missing prerequisite, 130 interrupted")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    r = sub.add_parser("run", help="run a fuzz campaign")
    r.add_argument("target", metavar="TARGET")
    r.add_argument("--time", type=positive_float, default=600.0, metavar="S",
                   help="time budget in seconds (default 600)")
    r.add_argument("--jobs", type=positive_int, default=2, metavar="N",
                   help="parallel fuzzer processes (default 2)")
    r.add_argument("--engine", choices=["libfuzzer", "afl"], default="libfuzzer")
    r.add_argument("--dir", metavar="CAMPAIGN_DIR",
                   help="campaign directory (default fuzz/work/<target>-<UTC timestamp>)")
    r.add_argument("--quiet", action="store_true", help="no live progress on stderr")
    r.add_argument("--cmplog", default="auto", metavar="auto|off|BINARY",
                   help="afl: CmpLog binary for the main instance (default auto: build "
                        "build/afl-cmplog with AFL_LLVM_CMPLOG=1)")
    r.add_argument("--minimize-time", type=positive_float, default=MINIMIZE_TIME, metavar="S",
                   help=f"seconds per crash minimisation (default {MINIMIZE_TIME:g})")

    r = sub.add_parser("replay", help="replay inputs through the replay build")
    r.add_argument("paths", nargs="+", metavar="FILE|DIR")
    r.add_argument("--target", metavar="T",
                   help="target (default: from the path, fuzz/{corpus,regressions}/<t>/ or a "
                        "campaign directory, else sequence)")
    r.add_argument("--trace", action="store_true",
                   help="COVEMON_FUZZ_TRACE=1: show the text form and per-operation trace")
    r.add_argument("--minimize", action="store_true", help="shrink crashing inputs into FILE.min")
    r.add_argument("--minimize-time", type=positive_float, default=MINIMIZE_TIME, metavar="S")
    r.add_argument("--timeout", type=positive_float, default=REPLAY_TIMEOUT, metavar="S",
                   help=f"seconds before a replay counts as a hang (default {REPLAY_TIMEOUT:g})")

    r = sub.add_parser("report", help="coverage report of a campaign corpus")
    r.add_argument("dir", metavar="CAMPAIGN_DIR")

    r = sub.add_parser("bench", help="exec/s of fuzz targets")
    r.add_argument("targets", nargs="+", metavar="TARGET")
    r.add_argument("--seconds", type=positive_float, metavar="S",
                   help="seconds per target (default 10 for libfuzzer; afl: 20 per run, "
                        "median of three runs with fixed random seeds)")
    r.add_argument("--engine", choices=["libfuzzer", "afl", "both"], default="libfuzzer")

    sub.add_parser("selftest", help="unit tests of signature extraction and dedup")
    return p


def on_signal(signum, _frame):
    _interrupts[0] += 1
    STOP.set()
    if _interrupts[0] == 1:
        print(f"\n{PROG}: interrupted: stopping, keeping everything produced so far "
              "(Ctrl-C twice more to force quit)", file=sys.stderr, flush=True)
    elif _interrupts[0] >= 3:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        raise KeyboardInterrupt


def main(argv=None):
    args = make_parser().parse_args(argv)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        if args.cmd == "run":
            check_target(args.target)
            return Campaign(args).run()
        if args.cmd == "replay":
            return cmd_replay(args)
        if args.cmd == "report":
            return cmd_report(args)
        if args.cmd == "bench":
            return cmd_bench(args)
        if args.cmd == "selftest":
            return selftest()
    except UsageError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        kill_children()
        print(f"{PROG}: forced quit (fuzzers killed; the campaign directory is kept)",
              file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `... | head`: stop writing, quietly
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        return 141
    except (RuntimeError, OSError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        if os.environ.get("COVEMON_DEBUG"):
            raise
        return 1
    except Exception as e:  # a bug in this tool: say so briefly
        kill_children()
        if os.environ.get("COVEMON_DEBUG"):
            raise
        print(f"{PROG}: internal error: {type(e).__name__}: {e} "
              "(COVEMON_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
