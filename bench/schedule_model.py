"""bench: the scheduling model of bench/schedule.sh: bounds, fromager's strategies, and the report.

    python3 bench/schedule_model.py report RUNS.tsv        (markdown on stdout)
    python3 bench/schedule_model.py model MAKEFILE COSTS.json KIND J CORES

The build graph is read from the generated Makefile (docs/makefile.md): package P needs
the wheels of P.sys and P.backend (its build environment: build requirements and their
install closures) before its own build. The known cost of P is what its build_wheel burns
or sleeps (COSTS.json, from bench/shapes.py --costs). With J jobs and CORES CPUs, the
usable parallelism is min(J, CORES) for CPU-burning trees and J for sleeping ones.

- lower bound: max(critical path, total work / usable), the known costs only;
- fromager's serial bootstrap (depth-first, one build at a time): the total work;
- fromager's build-parallel: rounds, the topological generations of the build graph
  (round k holds the packages whose build requirements are all in earlier rounds), each
  round's builds run on `usable` workers in build order (greedy: each build to the first
  free worker) and the next round starts when the round's slowest build is done;
- with wbgen's measured phases (a run's times file, from bench/timed-wbgen.c): the bound
  max(critical path of the phase graph with the measured durations, sum of the phases'
  wall times / usable, sum of their CPU times / CORES), and the same two fromager
  strategies with each package costing its phases' measured wall time.
"""

import json
import re
import statistics as st
import sys
from collections import defaultdict

PHASES = ["unpack", "build-system", "discover", "backend", "build", "publish"]


def read_graph(makefile):
    """(packages in build order, {P: [build deps]}) from a generated Makefile."""
    text = open(makefile, encoding="utf-8").read()
    m = re.search(r"^WBGEN_PACKAGES := ((?:.*\\\n)*.*)$", text, re.M)
    pkgs = m.group(1).replace("\\\n", " ").split()
    deps = {p: [] for p in pkgs}
    for m in re.finditer(r"^(\S+)\.(sys|backend) := ?(.*)$", text, re.M):
        if m.group(1) in deps:
            deps[m.group(1)] += m.group(3).split()
    return pkgs, deps


def known_costs(pkgs, costs_json):
    """{P: seconds} from shapes.py's {name: seconds} (P is NAME-VERSION)."""
    c = json.load(open(costs_json))
    out = {}
    for p in pkgs:
        name = p.rsplit("-", 1)[0]
        out[p] = float(c.get(name, 0))
    return out


def critical_path(pkgs, deps, cost):
    fin = {}
    for p in pkgs:  # build order: every dependency first
        fin[p] = max([fin[d] for d in deps[p]] or [0]) + cost[p]
    return max(fin.values())


def generations(pkgs, deps):
    gen = {}
    for p in pkgs:
        gen[p] = 1 + max([gen[d] for d in deps[p]] or [-1])
    rounds = defaultdict(list)
    for p in pkgs:
        rounds[gen[p]].append(p)
    return [rounds[k] for k in sorted(rounds)]


def makespan(durations, workers):
    """Greedy list scheduling in the given order on `workers` workers."""
    free = [0.0] * max(1, min(workers, len(durations) or 1))
    for d in durations:
        i = free.index(min(free))
        free[i] += d
    return max(free) if durations else 0.0


def rounds_time(rounds, cost, workers):
    return sum(makespan([cost[p] for p in r], workers) for r in rounds)


def model(pkgs, deps, cost, usable):
    cp = critical_path(pkgs, deps, cost)
    total = sum(cost.values())
    rounds = generations(pkgs, deps)
    return {"cp": cp, "total": total, "bound": max(cp, total / usable), "serial": total,
            "rounds": len(rounds), "parallel": rounds_time(rounds, cost, usable),
            "widest": max(len(r) for r in rounds)}


def read_times(path):
    """{(phase, P): (start_ns, end_ns, cpu_s)} of the phase lines (either `wbgen step PHASE P`
    or `wbgen-step PHASE P`)."""
    out = {}
    for line in open(path):
        f = line.split()
        args, rest = f[:3], f[3:]
        if args[0] == "step":
            args = args[1:]
        if args[0] not in PHASES:
            continue
        t0, t1, us, sy, rc = int(rest[0]), int(rest[1]), int(rest[2]), int(rest[3]), rest[4]
        if rc != "0":
            sys.exit("schedule_model: %s: %s %s exited %s" % (path, args[0], args[1], rc))
        out[(args[0], args[1])] = (t0, t1, (us + sy) / 1e6)
    return out


def measured_model(pkgs, deps, times, usable, cores):
    dur = {k: (v[1] - v[0]) / 1e9 for k, v in times.items()}
    fin = {}

    def finish(ph, p):
        k = (ph, p)
        if k in fin:
            return fin[k]
        if ph == "build-system":
            pre = [("publish", q) for q in deps[p]]
        elif ph == "discover":
            pre = [("unpack", p), ("build-system", p)]
        elif ph == "backend":
            pre = [("discover", p), ("build-system", p)]
        elif ph == "build":
            pre = [("unpack", p), ("backend", p)]
        elif ph == "publish":
            pre = [("build", p)]
        else:
            pre = []
        fin[k] = max([finish(*x) for x in pre] or [0]) + dur.get(k, 0)
        return fin[k]

    for p in pkgs:
        for ph in PHASES:
            finish(ph, p)
    cp = max(finish("publish", p) for p in pkgs)
    wall = sum(dur.values())
    cpu = sum(v[2] for v in times.values())
    per_pkg = {p: sum(dur.get((ph, p), 0) for ph in PHASES) for p in pkgs}
    rounds = generations(pkgs, deps)
    return {"cp": cp, "wall": wall, "cpu": cpu, "bound": max(cp, wall / usable, cpu / cores),
            "serial": sum(per_pkg.values()), "parallel": rounds_time(rounds, per_pkg, usable),
            "per_pkg": per_pkg}


def activity(times, t0, t1, usable):
    """(seconds with no phase running, seconds with fewer than `usable` running, mean running)."""
    ev = []
    for a, b, _ in times.values():
        ev.append((a, 1))
        ev.append((b, -1))
    ev.sort()
    cur, last, zero, under, area = 0, t0, 0, 0, 0
    for t, d in ev + [(t1, 0)]:
        t = min(max(t, t0), t1)
        span = t - last
        if cur == 0:
            zero += span
        if cur < usable:
            under += span
        area += cur * span
        cur += d
        last = t
    tot = max(1, t1 - t0)
    return zero / 1e9, under / 1e9, area / tot


def med(v):
    return st.median(v) if v else float("nan")


def overhead_of_largest(builds):
    """(wall, CPU) seconds per package of wbgen's phases beyond the known cost: medians over the
    packages of the largest sleeping tree built (its runs at its smallest -j)."""
    sl = [r for r in builds if r["kind"] == "sleep"] or builds
    if not sl:
        return float("nan"), float("nan")
    n = max(int(r["n"]) for r in sl)
    sl = [r for r in sl if int(r["n"]) == n]
    j = min(int(r["j"]) for r in sl)
    ov, cpu = [], []
    for r in sl:
        if int(r["j"]) != j:
            continue
        pkgs, _ = read_graph(r["makefile"])
        c = known_costs(pkgs, r["costs"])
        times = read_times(r["times"])
        pp, pc = defaultdict(float), defaultdict(float)
        for (ph, p), (a, b, u) in times.items():
            pp[p] += (b - a) / 1e9
            pc[p] += u
        ov.append(med([pp[p] - c[p] for p in pp]))
        cpu.append(med([pc[p] - (c[p] if r["kind"] == "burn" else 0) for p in pc]))
    return med(ov), med(cpu)


def report(tsv):
    """The markdown tables of bench/schedule.sh from its RUNS.tsv (key=value fields)."""
    rows = [dict(f.split("=", 1) for f in line.rstrip("\n").split("\t")) for line in open(tsv) if line.strip()]
    builds = [r for r in rows if r["type"] == "build"]
    plans = [r for r in rows if r["type"] == "plan"]
    cores = int(rows[0]["cores"]) if rows else 2
    out = []
    trees = []
    for r in builds:
        key = (r["kind"], r["shape"], r["n"], r["cost"], r["j"])
        if key not in trees:
            trees.append(key)
    t1 = ["| tree | packages (rounds, widest round) | -jN | lower bound max(critical path, work / usable), known costs | "
          "`make -jN`, measured | load before / after | measured / bound | target | "
          "bound with wbgen's phases as measured: max(critical path, wall / usable, CPU / %d cores) | "
          "measured / that | make passes | time with no phase running / fewer than usable |" % cores,
          "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    t2 = ["| tree | -jN | fromager serial | fromager build-parallel | make's lower bound | "
          "with wbgen's phases as measured: serial / build-parallel | `make -jN`, measured | "
          "build-parallel / make (same phases) |",
          "|---|---|---|---|---|---|---|---|"]
    for key in trees:
        kind, shape, n, cost, j = key
        rs = [r for r in builds if (r["kind"], r["shape"], r["n"], r["cost"], r["j"]) == key]
        pkgs, deps = read_graph(rs[0]["makefile"])
        c = known_costs(pkgs, rs[0]["costs"])
        jj = int(j)
        usable = min(jj, cores) if kind == "burn" else jj
        m = model(pkgs, deps, c, usable)
        walls, mm, acts, passes = [], [], [], []
        for r in rs:
            walls.append(int(r["wall"]) / 1e9)
            times = read_times(r["times"])
            mm.append(measured_model(pkgs, deps, times, usable, cores))
            acts.append(activity(times, int(r["t0"]), int(r["t1"]), usable))
            passes.append(int(r["passes"]))
        w = med(walls)
        b2 = med([x["bound"] for x in mm])
        cp2 = med([x["cp"] for x in mm])
        wall2 = med([x["wall"] for x in mm]) / usable
        cpu2 = med([x["cpu"] for x in mm]) / cores
        ser2 = med([x["serial"] for x in mm])
        par2 = med([x["parallel"] for x in mm])
        ratio = w / m["bound"]
        target = ""
        if (kind == "burn" and jj == 2) or (kind == "sleep" and jj <= 16):
            target = "within 10 %: " + ("met" if ratio <= 1.10 else "**not met**")
        loads = "; ".join("%s / %s" % (r["load0"], r["load1"]) for r in rs)
        rng = " (%.1f-%.1f, median of %d)" % (min(walls), max(walls), len(walls)) if len(walls) > 1 else ""
        label = "%s %s, %s %s s" % (shape, kind, "each" if shape != "realistic" else "base", cost)
        t1.append("| %s | %d (%d, %d) | %d | %.1f s (%.1f, %.1f) | %.1f s%s | %s | %.2f | %s | %.1f s (%.1f, %.1f, %.1f) | "
                  "%.2f | %s | %.1f s / %.1f s |"
                  % (label, len(pkgs), m["rounds"], m["widest"], jj, m["bound"], m["cp"], m["total"] / usable,
                     w, rng, loads, ratio, target, b2, cp2, wall2, cpu2, w / b2,
                     "%g" % med(passes), med([a[0] for a in acts]), med([a[1] for a in acts])))
        t2.append("| %s | %d | %.1f s | %.1f s | %.1f s | %.1f s / %.1f s | %.1f s | %.2fx |"
                  % (label, jj, m["serial"], m["parallel"], m["bound"], ser2, par2, w, par2 / w))
    out += t1 + ["", "Against fromager's strategies, computed from the same graph (rounds: the topological "
                 "generations of the build graph, each waiting for its slowest build), with the known costs and "
                 "with each package costing the wall time its phases took in the measured build:", ""] + t2
    out.append("")
    out.append("Per tree: lower bound (critical path, total work / usable), the known costs only. "
               "Phases as measured, median over the runs: per package, the wall time of wbgen's six phases "
               "minus the known cost, and their CPU time:")
    out.append("")
    for key in trees:
        kind, shape, n, cost, j = key
        rs = [r for r in builds if (r["kind"], r["shape"], r["n"], r["cost"], r["j"]) == key]
        pkgs, deps = read_graph(rs[0]["makefile"])
        c = known_costs(pkgs, rs[0]["costs"])
        ov, cpu = [], []
        for r in rs:
            times = read_times(r["times"])
            pp = defaultdict(float)
            pc = defaultdict(float)
            for (ph, p), (a, b, u) in times.items():
                pp[p] += (b - a) / 1e9
                pc[p] += u
            ov.append(med([pp[p] - c[p] for p in pkgs if p in pp]))
            cpu.append(med([pc[p] - (c[p] if kind == "burn" else 0) for p in pkgs if p in pc]))
        out.append("- %s %s %s, -j%s: wbgen's phases per package beyond the known cost: %.0f ms of wall time, "
                   "%.0f ms of CPU (burn excluded)" % (shape, kind, n, j, 1000 * med(ov), 1000 * med(cpu)))
    if plans:
        out.append("")
        out.append("Trees too large to build in this bench's time: resolve, Makefile, no-op make on a faked "
                   "completed build (bench/fake_built.py), and the model from the known costs.")
        out.append("")
        out.append("| tree | packages (rounds, widest) | -jN | `wbgen resolve` (warm cache, empty output), median | Makefile | "
                   "no-op `make`, median (min-max) | `make -q` | lower bound | fromager serial | "
                   "fromager build-parallel | bound with the per-package phases of the largest built tree (CPU-limited) |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in plans:
            pkgs, deps = read_graph(r["makefile"])
            c = known_costs(pkgs, r["costs"])
            jj = int(r["j"])
            m = model(pkgs, deps, c, jj)
            res = [int(x) / 1e9 for x in r["resolve"].split(",")]
            noop = [int(x) / 1e9 for x in r["noop"].split(",")]
            q = [int(x) / 1e9 for x in r["q"].split(",")]
            ovw, ovc = overhead_of_largest(builds)
            c2 = {p: c[p] + ovw for p in pkgs}
            m2 = model(pkgs, deps, c2, jj)
            b2 = max(m2["bound"], len(pkgs) * ovc / cores)
            out.append("| %s %s, base %.2g s | %d (%d, %d) | %d | %.2f s | %d kB | %.2f s (%.2f-%.2f) | %.2f s | "
                       "%.1f s | %.1f s | %.1f s | %.1f s (%.0f ms wall, %.0f ms CPU per package) |"
                       % (r["shape"], r["kind"], float(r["cost"]), len(pkgs), m["rounds"], m["widest"], jj,
                          med(res), int(r["mksize"]) // 1024, med(noop), min(noop), max(noop), med(q),
                          m["bound"], m["serial"], m["parallel"], b2, 1000 * ovw, 1000 * ovc))
    return "\n".join(out)


def main(argv):
    if len(argv) == 3 and argv[1] == "report":
        print(report(argv[2]))
    elif len(argv) == 7 and argv[1] == "model":
        pkgs, deps = read_graph(argv[2])
        c = known_costs(pkgs, argv[3])
        j, cores = int(argv[5]), int(argv[6])
        usable = min(j, cores) if argv[4] == "burn" else j
        print(json.dumps(model(pkgs, deps, c, usable)))
    else:
        sys.exit("usage: schedule_model.py report RUNS.tsv | model MAKEFILE COSTS.json burn|sleep J CORES")


if __name__ == "__main__":
    main(sys.argv)
