"""bench: the analyses of bench/cluster-model.sh (the scale model of docs/cluster.md).

    cluster_model.py strace OUTDIR DIR [ID,...]   DIR's PHASE.ID.PID strace files -> JSON on stdout
    cluster_model.py depth GRAPH           the longest chain of build requirements in graph.json
    cluster_model.py lock FILE...          strace -ttt -T of `wbgen publish` -> the locks' hold times
    cluster_model.py sample FILE           every 0.1 s, the srun and wbgen-step processes' memory
    cluster_model.py rss FILE              those samples -> JSON
    cluster_model.py report RESULTS RUNS   the markdown report from bench/cluster-model.sh's results

File-system operations, from `strace -f -y` of one phase's process and its children (syscall
names as on x86-64 Linux): "open" (open, openat, openat2, creat), "stat" (stat, lstat,
newfstatat, statx, access, faccessat, readlink: name lookups; an fstat of an open descriptor is
not counted), "readdir" (getdents64), "change" (mkdir, rmdir, rename, unlink, link, symlink,
utimensat, chmod: the namespace and attribute changes), "lock" (flock, and fcntl's F_SETLK,
F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW), "sync" (fsync, fdatasync, syncfs), "exec" (execve), and the
bytes written to regular files (write, pwrite64, writev, copy_file_range, sendfile to a
descriptor naming a path that is not under /dev, /proc or /sys). Each is counted where it lands:
"out" when the path is under OUTDIR (a relative path resolved from its directory descriptor,
which strace -y names, or else taken as OUTDIR's: the phases run there), "other" elsewhere (the
interpreter, wbgen's programs, the system).
"""

import glob
import json
import os
import re
import signal
import statistics as st
import sys
import time

CATS = {
    "open": {"open", "openat", "openat2", "creat"},
    "stat": {"stat", "lstat", "newfstatat", "statx", "access", "faccessat", "faccessat2",
             "readlink", "readlinkat"},
    "readdir": {"getdents64"},
    "change": {"mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "unlink",
               "unlinkat", "link", "linkat", "symlink", "symlinkat", "utimensat", "chmod",
               "fchmodat"},
    "lock": {"flock", "fcntl"},
    "sync": {"fsync", "fdatasync", "syncfs"},
    "exec": {"execve"},
}
CAT_OF = {name: cat for cat, names in CATS.items() for name in names}
WRITES = {"write", "pwrite64", "writev", "copy_file_range", "sendfile"}
LOCK_CMDS = ("F_SETLK", "F_SETLKW", "F_OFD_SETLK", "F_OFD_SETLKW")
META = ("open", "stat", "readdir", "change", "lock", "sync", "exec")

LINE = re.compile(r"^(\d+)\s+(?:<\.\.\. (\w+) resumed>(.*)|(\w+)\((.*))$")
RET = re.compile(r"\)\s+=\s+(-?\d+)")
FD_PATH = re.compile(r"^\s*(\d+)<([^>]*)>")


def file_fd(args):
    """Whether a call's first argument is a descriptor of a regular file's path."""
    m = FD_PATH.match(args)
    if not m:
        return False
    p = m.group(2)
    return p.startswith("/") and not p.startswith(("/dev/", "/proc/", "/sys/"))


def area(args, out):
    """'out' when the call's path (its first string argument; a relative one resolved from its
    directory descriptor, and for a descriptor alone that descriptor's path) is under OUTDIR."""
    m = re.search(r'"((?:[^"\\]|\\.)*)"', args)
    if m and m.group(1).startswith("/"):
        path = m.group(1)
    else:
        d = re.match(r"^\s*(?:AT_FDCWD|\d+)<([^>]*)>", args)
        path = d.group(1) if d else out if m else ""  # a relative path alone: the phases run in OUTDIR
    return "out" if path == out or path.startswith(out + "/") else "other"


def count_file(path, out):
    """{area: {cat: n}}, bytes written, calls that failed, from one strace -f -y file."""
    c = {"out": dict.fromkeys(META, 0), "other": dict.fromkeys(META, 0)}
    written = 0
    failed = 0
    pending = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        m = LINE.match(line.rstrip("\n"))
        if not m:
            continue
        pid = m.group(1)
        if m.group(2):  # <... NAME resumed>: only the write's return value is left
            name, rest = m.group(2), m.group(3)
            if name in WRITES and pending.pop((pid, name), False):
                r = RET.search(rest)
                if r and int(r.group(1)) > 0:
                    written += int(r.group(1))
            continue
        name, args = m.group(4), m.group(5)
        unfinished = args.endswith("<unfinished ...>")
        if name in WRITES:
            if file_fd(args):
                if unfinished:
                    pending[(pid, name)] = True
                else:
                    r = RET.search(args)
                    if r and int(r.group(1)) > 0:
                        written += int(r.group(1))
            continue
        cat = CAT_OF.get(name)
        if cat is None:
            continue
        if name == "fcntl" and not any(k in args for k in LOCK_CMDS):
            continue
        if name in ("newfstatat", "statx") and '""' in args and "AT_EMPTY_PATH" in args:
            continue  # an fstat of an open descriptor: no lookup
        c[area(args, out)][cat] += 1
        r = RET.search(args)
        if r and int(r.group(1)) < 0:
            failed += 1
    return c, written, failed


def cmd_strace(out, d, only=None):
    """Counts by phase kind; only: the NAME-VERSION ids to count (default: every package)."""
    out = os.path.realpath(out)
    npkg = len(only) if only else len(json.load(open(os.path.join(out, "plan.json")))["packages"])
    kinds = {}
    for f in sorted(glob.glob(os.path.join(d, "*.*.*"))):
        phase, _, rest = os.path.basename(f).partition(".")
        if only and rest.rsplit(".", 1)[0] not in only:
            continue
        c, written, failed = count_file(f, out)
        k = kinds.setdefault(phase, {"n": 0, "out": dict.fromkeys(META, 0),
                                     "other": dict.fromkeys(META, 0), "written": 0, "failed": 0,
                                     "out_meta": []})
        k["n"] += 1
        for a in ("out", "other"):
            for cat in META:
                k[a][cat] += c[a][cat]
        k["written"] += written
        k["failed"] += failed
        k["out_meta"].append(sum(c["out"].values()))
    for k in kinds.values():
        k["out_meta_median"] = st.median(k["out_meta"])
        del k["out_meta"]
    json.dump({"packages": npkg, "phases": kinds}, sys.stdout, indent=1)


def cmd_lock(files):
    """Hold times (s) of root.lock and the project's lock: close() after flock() returned."""
    holds = {"root": [], "project": []}
    for f in files:
        fds, got = {}, {}
        for line in open(f, encoding="utf-8", errors="replace"):
            m = re.match(r"^(?:\d+ +)?(\d+\.\d+) (\w+)\((.*)\)\s+=\s+(-?\d+).*?(?:<(\d+\.\d+)>)?$", line.strip())
            if not m:
                continue
            t, name, args, ret = float(m.group(1)), m.group(2), m.group(3), int(m.group(4))
            dur = float(m.group(5) or 0)
            if name == "openat" and ret >= 0 and args.rstrip().split(",")[1].strip().strip('"').endswith(".lock"):
                path = args.split(",")[1].strip().strip('"')
                fds[ret] = "root" if path.endswith("/root.lock") else "project"
            elif name == "flock" and ret == 0 and "LOCK_EX" in args:
                fd = int(args.split(",")[0])
                if fd in fds:
                    got[fd] = t + dur
            elif name == "close":
                fd = int(args.split(",")[0])
                if fd in got:
                    holds[fds[fd]].append(t - got.pop(fd))
                    fds.pop(fd, None)
    json.dump({k: sorted(v) for k, v in holds.items()}, sys.stdout)


def cmd_depth(path):
    """The longest chain of build requirements in graph.json, in packages."""
    g = json.load(open(path))
    depth = {}
    for start in g:
        stack = [(start, False)]
        while stack:
            k, done = stack.pop()
            deps = [e["key"] for e in g[k]["edges"] if e["req_type"] != "toplevel"]
            if done:
                depth[k] = 1 + max([depth.get(q, 0) for q in deps] or [0])
            elif k not in depth:
                depth[k] = 0  # on the stack: a cycle through k counts it once
                stack.append((k, True))
                stack.extend((q, False) for q in deps if q not in depth)
    print(max(v for k, v in depth.items() if k))


def proc_read(pid, name):
    try:
        with open("/proc/%s/%s" % (pid, name)) as f:
            return f.read()
    except OSError:
        return ""


def cmd_sample(path):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(path, "w") as f:
        while True:
            now = time.time()
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                comm = proc_read(pid, "comm").strip()
                if comm not in ("srun", "wbgen-step"):
                    continue
                status = proc_read(pid, "status")
                rss = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
                ppid = re.search(r"^PPid:\s+(\d+)", status, re.M)
                pss = re.search(r"^Pss:\s+(\d+)", proc_read(pid, "smaps_rollup"), re.M)
                if rss and ppid:
                    f.write("%.2f %s %s %s %s %s\n" % (now, comm, pid, ppid.group(1), rss.group(1),
                                                     pss.group(1) if pss else 0))
            f.flush()
            time.sleep(0.1)


def cmd_rss(path):
    procs = {}
    srun_parents = set()
    at_once = {}
    for line in open(path):
        t, comm, pid, ppid, rss, pss = line.split()
        p = procs.setdefault(pid, {"comm": comm, "ppid": ppid, "rss": 0, "pss": 0})
        p["rss"] = max(p["rss"], int(rss))
        p["pss"] = max(p["pss"], int(pss))
        if comm == "srun":
            srun_parents.add(ppid)
            at_once[t] = at_once.get(t, 0) + 1
    out = {}
    for pid, p in procs.items():
        kind = p["comm"]
        if kind == "wbgen-step":
            kind = "wbgen-step (launching srun)" if pid in srun_parents else "wbgen-step (other)"
        o = out.setdefault(kind, {"n": 0, "rss": [], "pss": []})
        o["n"] += 1
        o["rss"].append(p["rss"])
        o["pss"].append(p["pss"])
    for o in out.values():
        o["rss_median"], o["rss_max"] = st.median(o["rss"]), max(o["rss"])
        o["pss_median"], o["pss_max"] = st.median(o["pss"]), max(o["pss"])
        del o["rss"], o["pss"]
    out["srun at once (max)"] = max(at_once.values()) if at_once else 0
    json.dump(out, sys.stdout, indent=1)


# ---- the report

def rows(path):
    return [[float(x) for x in line.split()] for line in open(path) if line.strip()]


def med(v, fmt):
    """'median (min-max) unit' of v, fmt a number's format followed by its unit."""
    v = sorted(v)
    num, _, unit = fmt.partition(" ")
    unit = " " + unit if unit else ""
    if len(v) == 1:
        return (num % v[0]) + unit
    return "%s (%s-%s)%s" % (num % st.median(v), num % v[0], num % v[-1], unit)


def p90(v):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]


def notes(R, part):
    d = {}
    p = os.path.join(R, part + ".txt")
    if os.path.exists(p):
        for line in open(p):
            k, _, v = line.rstrip("\n").partition(" ")
            d[k] = v
    return d


def timed_row(R, name, label):
    """| label | wall | CPU | peak RSS | from a timed() file."""
    p = os.path.join(R, name)
    if not os.path.exists(p):
        return None
    r = rows(p)
    return "| %s | %s | %s (%.2f + %.2f) | %.0f MiB |" % (
        label, med([x[0] for x in r], "%.2f s"), med([x[2] + x[3] for x in r], "%.2f s"),
        st.median(x[2] for x in r), st.median(x[3] for x in r), max(x[1] for x in r) / 1024)


def trace_phases(path, ids=None):
    kinds = {}
    for line in open(path):
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if r.get("ev") != "phase" or r.get("outcome") != "built" or (ids and r.get("id") not in ids):
            continue
        k = kinds.setdefault(r["phase"], {"wall": [], "cpu": [], "rss": []})
        k["wall"].append(r["end"] - r["start"])
        k["cpu"].append(r.get("user", 0) + r.get("sys", 0))
        k["rss"].append(r.get("maxrss_kb", 0))
    return kinds


ORDER = ["settings", "unpack", "build-system", "discover", "backend", "build", "deps", "publish", "prebuilt"]


def fs_table(d):
    npkg = d["packages"]
    print("| phase | runs | open | stat | readdir | change | lock | sync | exec | in OUTDIR, all | "
          "elsewhere (interpreter, system) | bytes written |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    tot = dict.fromkeys(META, 0.0)
    tot_out = tot_other = tot_w = 0.0
    for k in ORDER:
        if k not in d["phases"]:
            continue
        v = d["phases"][k]
        o = {c: v["out"][c] / npkg for c in META}
        other = sum(v["other"].values()) / npkg
        for c in META:
            tot[c] += o[c]
        tot_out += sum(o.values())
        tot_other += other
        tot_w += v["written"] / npkg
        print("| %s | %d | %s | %.0f | %.0f | %.0f kB |" % (
            k, v["n"], " | ".join("%.1f" % o[c] for c in META), sum(o.values()), other,
            v["written"] / npkg / 1024))
    print("| **a package** | | %s | **%.0f** | %.0f | %.0f kB |" % (
        " | ".join("%.1f" % tot[c] for c in META), tot_out, tot_other, tot_w / 1024))
    print("| **10,000 packages** | | %s | **%.2f M** | %.2f M | %.1f GB |" % (
        " | ".join("%.0f k" % (tot[c] * 10) for c in META), tot_out / 100, tot_other / 100,
        tot_w * 1e4 / 1e9))
    print()
    print("(open ... exec: the calls in OUTDIR, failed ones included; a phase kind's runs over the "
          "packages, so a phase that ran twice, after a deferral, counts twice.)")


def section(title):
    print()
    print("**%s**" % title)
    print()


def report(R, runs):
    rs, nn = notes(R, "resolve"), notes(R, "noop")
    print("Medians (min-max) of %s runs unless said; wall and CPU (user + system) from /usr/bin/time "
          "(10 ms); the load average (1, 5, 15 min) before / after each part: the machine is shared." % runs)
    when = ["%s %s" % (p, notes(R, p)["date"]) for p in ("resolve", "noop", "phases", "lock", "make", "slurm")
            if "date" in notes(R, p)]
    print("Parts measured at (UTC): %s." % ", ".join(when))
    if rs or nn:
        section("`wbgen resolve` and the no-op make at 10,000 packages (bench/shapes.py's realistic "
                "tree, a file:// index)")
        if rs:
            size, lines = rs.get("makefile", "0 0").split()
            print("%s packages in the plan, %s phases (`make -n`), chains of build requirements %s packages "
                  "deep (graph.json); Makefile %.1f MB, %s lines. Load %s / %s."
                  % (rs.get("packages"), rs.get("phases"), rs.get("depth"), int(size) / 1e6, lines,
                     rs.get("load_before"), rs.get("load_after")))
        if nn:
            print("No-op make: load %s / %s." % (nn.get("load_before"), nn.get("load_after")))
        print()
        print("| run | wall | CPU (median user + system) | peak RSS |")
        print("|---|---|---|---|")
        for name, label in [("resolve-cold.times", "`wbgen resolve`, cold (empty cache, empty output; one run)"),
                            ("resolve-empty.times", "`wbgen resolve`, warm cache, empty output"),
                            ("resolve-unchanged.times", "`wbgen resolve`, warm cache, output unchanged"),
                            ("noop-make.times", "no-op `make` (outer make, `wbgen-step run`, inner make)"),
                            ("noop-inner.times", "the inner make alone (`make WBGEN_INNER=1`)")]:
            r = timed_row(R, name, label)
            if r:
                print(r)
    ph = notes(R, "phases")
    tr = os.path.join(R, "phases-trace.jsonl")
    if ph and os.path.exists(tr):
        section("Each phase's cost: the %s-package realistic tree built with `make -j2` "
                "(logs/trace.jsonl; phases that built)" % ph.get("packages"))
        b = rows(os.path.join(R, "phases-build.times"))[0]
        t = rows(os.path.join(R, "phases-traced.times"))[0]
        print("`make -j2`: %.2f s wall, %.2f s CPU; again with every phase under strace: %.2f s. Load %s / %s."
              % (b[0], b[2] + b[3], t[0], ph.get("load_before"), ph.get("load_after")))
        print()
        kinds = trace_phases(tr)
        print("| phase | runs | wall, median (p90) | CPU, median | sum of wall | peak RSS, max |")
        print("|---|---|---|---|---|---|")
        tot_w = tot_c = 0
        for k in ORDER:
            if k not in kinds:
                continue
            v = kinds[k]
            tot_w += st.median(v["wall"])
            tot_c += st.median(v["cpu"])
            print("| %s | %d | %.1f ms (%.1f) | %.1f ms | %.2f s | %.0f MiB |" % (
                k, len(v["wall"]), 1e3 * st.median(v["wall"]), 1e3 * p90(v["wall"]),
                1e3 * st.median(v["cpu"]), sum(v["wall"]), max(v["rss"]) / 1024))
        print("| a package, the medians summed | | %.1f ms | %.1f ms | | |" % (1e3 * tot_w, 1e3 * tot_c))
    fs = os.path.join(R, "phases-fsops.json")
    if os.path.exists(fs):
        d = json.load(open(fs))
        section("File-system operations of each phase (strace -f of the phase and its children; "
                "per package: the phase kind's total / %d packages)" % d["packages"])
        fs_table(d)
    fs = os.path.join(R, "phases-fsops-real.json")
    if os.path.exists(fs):
        d = json.load(open(fs))
        section("The same for %s, built by setuptools 66.1.1 (examples/: a real backend; "
                "the example built from scratch with `make -j2`)" % ph.get("real_ids", "?").replace(",", " and "))
        fs_table(d)
        kinds = trace_phases(os.path.join(R, "phases-real-trace.jsonl"), ph.get("real_ids", "").split(","))
        print()
        print("Their phases' CPU (trace.jsonl, median): %s." % ", ".join(
            "%s %.0f ms" % (k, 1e3 * st.median(kinds[k]["cpu"])) for k in ORDER if k in kinds))
    sl = notes(R, "slurm")
    if sl:
        section("Slurm: one node (e2e/slurm/cluster.sh, %s CPUs claimed), `srun -n1 true`" % sl.get("node_cpus"))
        job = [x[0] * 1e3 for x in rows(os.path.join(R, "slurm-job.times"))]
        step = [x[0] * 1e3 for x in rows(os.path.join(R, "slurm-step.times"))]
        job_cpu = [(x[2] + x[3]) * 1e3 for x in rows(os.path.join(R, "slurm-job.times"))]
        step_cpu = [(x[2] + x[3]) * 1e3 for x in rows(os.path.join(R, "slurm-step.times"))]
        print("Cluster started in %s ms. Load %s / %s." % (sl.get("start_ms"), sl.get("load_before"),
                                                            sl.get("load_after")))
        print()
        print("| what | figure |")
        print("|---|---|")
        print("| a job per srun (no allocation), %d in a row | median %.0f ms, p90 %.0f ms; srun's CPU "
              "%.1f ms (mean: /usr/bin/time counts in 10 ms) |" % (len(job), st.median(job), p90(job), st.mean(job_cpu)))
        print("| a step per srun (inside `salloc -n1`), %d in a row | median %.0f ms, p90 %.0f ms; srun's CPU "
              "%.1f ms (mean) |" % (len(step), st.median(step), p90(step), st.mean(step_cpu)))
        tck = float(sl.get("clk_tck", 100))
        for par in ("8", "32"):
            ms = float(sl["burst_%s_ms" % par])
            jobs = int(sl["burst_%s_jobs" % par])
            print("| 200 jobs, %s at a time (`xargs -P%s srun -n1 true`) | %.1f s: %.1f jobs/s; %d recorded, "
                  "%s of them queued (\"waiting for resources\"); "
                  "slurmctld %.1f ms of CPU a job, slurmd %.1f ms |" % (
                      par, par, ms / 1e3, 200 / (ms / 1e3), jobs, sl.get("burst_%s_queued" % par, "?"),
                      1e3 * int(sl["burst_%s_ctld_ticks" % par]) / tck / 200,
                      1e3 * int(sl["burst_%s_slurmd_ticks" % par]) / tck / 200))
        ms = float(sl["burst_steps_8_ms"])
        print("| 200 steps of one allocation (`salloc -n8`), 8 at a time | %.1f s: %.1f steps/s |" % (
            ms / 1e3, 200 / (ms / 1e3)))
        print("| a waiting `srun` | %s kB resident (%s kB proportional), %s threads |" % (
            sl.get("srun_rss_kb"), sl.get("srun_pss_kb"), sl.get("srun_threads")))
        rp = os.path.join(R, "slurm-rss.json")
        if os.path.exists(rp):
            d = json.load(open(rp))
            for k in sorted(x for x in d if isinstance(d[x], dict)):
                v = d[k]
                print("| %s during the build below (%d processes) | resident: median %.0f kB, max %.0f kB; "
                      "proportional: median %.0f kB |" % (k, v["n"], v["rss_median"], v["rss_max"],
                                                        v["pss_median"]))
            print("| sruns alive at once during the build (max, sampled every 0.1 s) | %d |" % d["srun at once (max)"])
        bt = os.path.join(R, "slurm-build.times")
        if os.path.exists(bt):
            b = rows(bt)[0]
            print("| the %s-package tree through srun, `make -j8`, local side under strace | %.1f s wall; "
                  "%s jobs |" % (ph.get("packages", "60"), b[0], sl.get("srun_jobs_of_build")))
        fs = os.path.join(R, "slurm-fsops.json")
        if os.path.exists(fs):
            d = json.load(open(fs))
            for k in ("build-system", "discover", "backend", "build"):
                if k in d["phases"]:
                    v = d["phases"][k]
                    print("| the local side of a %s phase (wbgen-step + srun): file operations in OUTDIR, "
                          "elsewhere (per phase, mean) | %.1f, %.1f |" % (
                              k, sum(v["out"].values()) / v["n"], sum(v["other"].values()) / v["n"]))
    mk = notes(R, "make")
    if mk:
        section("One make's recipe rate: %s phony targets at `-j32`" % mk.get("recipes"))
        print("Load %s / %s." % (mk.get("load_before"), mk.get("load_after")))
        print()
        print("| recipe | wall | recipes/s | make's own CPU a recipe (perf stat --no-inherit) | "
              "ceiling: 1 / that |")
        print("|---|---|---|---|---|")
        n = int(mk.get("recipes"))
        for key, label in (("true", "`true`"), ("wbgen-step", "`wbgen-step --version`")):
            p = os.path.join(R, "make-rate-%s.times" % key)
            if not os.path.exists(p):
                continue
            r = rows(p)
            wall = [x[0] for x in r]
            own = [x[4] for x in r]
            print("| %s | %s | %.0f | %.0f us | %.0f/s |" % (
                label, med(wall, "%.2f s"), n / st.median(wall), 1e6 * st.median(own) / n,
                n / st.median(own)))
    lk = notes(R, "lock")
    if lk:
        section("The mirror's locks: `wbgen publish` of one wheel (a new project each time)")
        print("Load %s / %s." % (lk.get("load_before"), lk.get("load_after")))
        print()
        print("| projects in the mirror | publish: wall (20 runs) | root.lock held (strace -ttt, 5 runs) | "
              "the project's lock held | system calls | root page | publishes/s under root.lock |")
        print("|---|---|---|---|---|---|---|")
        for m in ("100", "10000"):
            p = os.path.join(R, "lock-publish-%s.times" % m)
            if not os.path.exists(p):
                continue
            r = rows(p)
            h = json.load(open(os.path.join(R, "lock-hold-%s.json" % m)))
            print("| %s | %s | %.2f ms | %.2f ms | %s | %.0f kB | %.0f |" % (
                m, med([x[0] * 1e3 for x in r], "%.0f ms"), 1e3 * st.median(h["root"]),
                1e3 * st.median(h["project"]), lk.get("calls_" + m), int(lk.get("root_page_bytes_" + m)) / 1024,
                1 / st.median(h["root"])))


def main(argv):
    if len(argv) in (4, 5) and argv[1] == "strace":
        cmd_strace(argv[2], argv[3], argv[4].split(",") if len(argv) == 5 else None)
    elif len(argv) >= 3 and argv[1] == "lock":
        cmd_lock(argv[2:])
    elif len(argv) == 3 and argv[1] == "depth":
        cmd_depth(argv[2])
    elif len(argv) == 3 and argv[1] == "sample":
        cmd_sample(argv[2])
    elif len(argv) == 3 and argv[1] == "rss":
        cmd_rss(argv[2])
    elif len(argv) == 4 and argv[1] == "report":
        report(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
