"""owntime.py TRACE: where a build's time goes, from an strace of make (processes only).

usage: strace -f -qq --seccomp-bpf -s 512 -ttt -e trace=execve,exit_group,clone,clone3,fork,vfork \
           -e signal=none -o TRACE make -jN
       python3 bench/owntime.py TRACE [--json]

Every process is followed from its execve (or its fork, for a forked child that execs nothing) to its
exit_group. A phase is a wbgen-step process (the recipe); a hook is an interpreter running
pep517_hook.py (the backend's work, wbgen's only in name), counted in the phase whose descendant it
is; everything else a phase runs (wbgen's own
code, the byte-compilation of a new store entry, the re-resolves of discovery) is wbgen's own time.
Prints per phase kind: count, wall seconds in all, the hooks' seconds inside, and wbgen's own
seconds; then wbgen's own time per package (the own seconds over the packages with a build phase).
"""
import json
import re
import sys

LINE = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(.*)$")


def parse(path):
    procs = {}  # pid -> dict(start, end, argv0, args)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            pid, t, rest = int(m.group(1)), float(m.group(2)), m.group(3)
            if rest.startswith("execve(") and "= 0" in rest.rsplit(")", 1)[-1] or (
                    rest.startswith("execve(") and rest.endswith("= 0")):
                args = re.findall(r'"((?:[^"\\]|\\.)*)"', rest.split("[", 1)[1] if "[" in rest else "")
                p = procs.setdefault(pid, {})
                p.update(start=p.get("start", t), exec_at=t, argv=args)
            elif rest.startswith("<... execve resumed>") and rest.endswith("= 0"):
                p = procs.setdefault(pid, {})
                p.setdefault("start", t)
            elif rest.startswith("execve("):
                # unfinished: the call returns later (resumed), or failed; argv is here
                args = re.findall(r'"((?:[^"\\]|\\.)*)"', rest.split("[", 1)[1] if "[" in rest else "")
                p = procs.setdefault(pid, {})
                p.setdefault("pending_argv", args)
                p.setdefault("pending_at", t)
            elif re.match(r"(clone3?|v?fork)\(", rest) or rest.startswith("<... clone"):
                m2 = re.search(r"= (\d+)$", rest)
                if m2:
                    child = procs.setdefault(int(m2.group(1)), {})
                    child["parent"] = pid
                    child.setdefault("start", t)
            elif rest.startswith("exit_group(") or rest.startswith("+++ exited"):
                p = procs.setdefault(pid, {})
                p["end"] = t
    for p in procs.values():
        if "argv" not in p and "pending_argv" in p:
            p["argv"], p["start"] = p["pending_argv"], p["pending_at"]
    return procs


def step_of(procs, pid):
    """The wbgen-step pid that pid descends from (itself included), or None."""
    seen = 0
    while pid in procs and seen < 64:
        argv = procs[pid].get("argv") or []
        if argv and argv[0].endswith("wbgen-step"):
            return pid
        pid = procs[pid].get("parent")
        seen += 1
    return None


def main():
    procs = parse(sys.argv[1])
    steps, inside = [], {}
    hooks = []
    for pid, p in procs.items():
        argv = p.get("argv") or []
        if "start" not in p or "end" not in p or not argv:
            continue
        if argv[0].endswith("wbgen-step") and len(argv) >= 3 and argv[1] != "run":
            steps.append((pid, p["start"], p["end"], argv[1], argv[2]))
        elif any(a.endswith("pep517_hook.py") for a in argv[1:2]):
            hooks.append((p["start"], p["end"]))
            sp = step_of(procs, p.get("parent"))
            inside[sp] = inside.get(sp, 0.0) + p["end"] - p.get("exec_at", p["start"])
    kinds = {}
    packages = set()
    for pid, s, e, phase, pkg in steps:
        inside_s = inside.get(pid, 0.0)
        k = kinds.setdefault(phase, [0, 0.0, 0.0])
        k[0] += 1
        k[1] += e - s
        k[2] += inside_s
        if phase in ("build", "prebuilt"):
            packages.add(pkg)
    own = sum(k[1] - k[2] for k in kinds.values())
    out = {"phases": {ph: {"count": k[0], "wall": round(k[1], 3), "hooks": round(k[2], 3),
                           "own": round(k[1] - k[2], 3)} for ph, k in sorted(kinds.items())},
           "packages": len(packages), "own": round(own, 3),
           "own_per_package_ms": round(1000 * own / max(1, len(packages)), 1),
           "hook_processes": len(hooks), "hooks": round(sum(e - s for s, e in hooks), 3)}
    if sys.argv[2:] == ["--json"]:
        print(json.dumps(out, indent=1))
        return
    print("%-14s %6s %9s %9s %9s" % ("phase", "count", "wall s", "hooks s", "own s"))
    for ph, k in out["phases"].items():
        print("%-14s %6d %9.2f %9.2f %9.2f" % (ph, k["count"], k["wall"], k["hooks"], k["own"]))
    print("hook processes: %d, %.2f s; wbgen's own time: %.2f s, %.1f ms per package (%d packages)"
          % (out["hook_processes"], out["hooks"], out["own"], out["own_per_package_ms"], out["packages"]))


if __name__ == "__main__":
    main()
