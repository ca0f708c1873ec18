"""bench: a synthetic index shaped like a slice of PyPI, for bench/resolve.sh.

    mkindex.py bench/scenario.py OUT --param n=2000 --param m=10 --param seed=1
    python3 bench/scenario.py --requirements n=2000 m=10 seed=1 top=10

Deterministic for (n, m, seed).  It differs from e2e's big.py in what a
benchmark needs:

- Popularity.  Project i depends only on projects with a smaller index (so the
  graph is acyclic), picked with a Zipf-like weight towards low indexes: a few
  projects are depended upon by many (like six, urllib3, typing-extensions), most
  by few.  Fan-out per project: mostly 0-4, a tail to 12.  The closure of one
  "application" is tens to a couple of hundred projects, as on PyPI.
- Versions.  m versions (1.0 1.1 1.2 2.0 ...), the newest sometimes an rc; the
  dependencies drift across versions (old versions lack the newest ones) so that
  the metadata of the version chosen is the one that counts.
- Specifiers that one version can satisfy: lower bounds, exclusions of old
  versions, upper bounds above the newest, ~= on the newest series, so that a
  flat resolver (wbgen) and a backtracking one (pip) must agree.
- Index features: every version has an sdist and a py3-none-any wheel with its
  PEP 658 .metadata (pip resolves from wheels, its fast path, as on PyPI; wbgen
  downloads the sdists), requires-python (a few newest versions need 3.12+, so
  a 3.11 target falls back), false markers (win32) and true ones, extras, a few
  yanked files.
- Everything builds with tinybuild.

--requirements prints the top-level requirements: the `top` highest-index
projects that have dependencies (the "applications"), with a lower bound.
"""

import random
import sys

WORDS = ["alpha", "beta", "core", "data", "net", "py", "sql", "web", "json", "util",
         "async", "crypto", "log", "test", "io", "xml", "yaml", "http", "auth", "cli",
         "cache", "task", "grpc", "proto", "tz", "date", "img", "geo", "ml", "doc"]
SEPS = ["-", "_", "."]
FANOUT = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6, 8, 12]


def version_list(m):
    return ["%d.%d" % (j // 3 + 1, j % 3) for j in range(m)]


def pick_deps(rnd, i, fan):
    """fan distinct indexes below i, weighted towards popular (low) indexes."""
    fan = min(fan, i)
    out = set()
    while len(out) < fan:
        # Pareto-ish: u**3 concentrates mass near 0 while keeping a long tail
        out.add(int(i * rnd.random() ** 3))
    return sorted(out)


def spec_for(rnd, versions, last_final):
    """A specifier that the newest final version satisfies."""
    major = int(last_final.split(".")[0])
    key = lambda v: tuple(int(x) for x in v.split("."))
    older = [v for v in versions if "rc" not in v and key(v) < key(last_final)]
    kind = rnd.random()
    if kind < 0.35:
        return ""
    if kind < 0.65:
        return ">=" + rnd.choice(older or [last_final])
    if kind < 0.75:
        return ">=%s,<%d" % (rnd.choice(older or [last_final]), major + 1)
    if kind < 0.85:
        return "~=%d.0" % major
    if kind < 0.95 and older:
        return "!=" + rnd.choice(older)
    return "<%d" % (major + 1)


def scenario(n=2000, m=10, seed=1):
    rnd = random.Random(seed)
    names = ["%s%s%s%d" % (rnd.choice(WORDS), rnd.choice(SEPS), rnd.choice(WORDS), i)
             for i in range(n)]
    base = version_list(m)
    # per project: which versions exist, the newest final one, and whether it has an extra
    meta = []
    for i in range(n):
        versions = list(base)
        if rnd.random() < 0.15:
            versions[-1] += "rc1"
        finals = [v for v in versions if "rc" not in v]
        last = finals[-1]
        # the newest final needs 3.12 in a few projects: a 3.11 target takes the one before
        py312 = len(finals) > 1 and rnd.random() < 0.03
        yank = None
        if len(finals) > 2 and rnd.random() < 0.03:
            yank = rnd.choice(finals[:-2])
        meta.append({"versions": versions, "last": finals[-2] if py312 else last,
                     "py312": last if py312 else None, "yank": yank,
                     "extra": rnd.random() < 0.1})
    projects = [{"name": "tinybuild",
                 "versions": [{"version": "1.0", "build": "backend", "backend": "tinybuild"}]}]
    for i, name in enumerate(names):
        deps = pick_deps(rnd, i, rnd.choice(FANOUT))
        reqs = []
        for k in deps:
            r = names[k]
            if meta[k]["extra"] and rnd.random() < 0.3:
                r += "[speedups]"
            r += spec_for(rnd, meta[k]["versions"], meta[k]["last"])
            x = rnd.random()
            if x < 0.08:
                r += '; sys_platform == "win32"'
            elif x < 0.16:
                r += '; python_version >= "3.8"'
            reqs.append(r)
        # dependencies drift: version j has the first ceil(len * (j+1)/m) of them
        versions = []
        mv = meta[i]
        nv = len(mv["versions"])
        for j, ver in enumerate(mv["versions"]):
            cut = -(-len(reqs) * (j + 1) // nv)
            v = {"version": ver, "requires_dist": reqs[:cut], "wheel": True}
            if mv["extra"] and i > 0:
                v["extras"] = {"speedups": [names[rnd.randrange(i)]]}
            if ver == mv["py312"]:
                v["requires_python"] = ">=3.12"
            elif rnd.random() < 0.3:
                v["requires_python"] = ">=3.%d" % rnd.randrange(7, 10)
            if ver == mv["yank"]:
                v["yanked"] = "broken build"
            versions.append(v)
        projects.append({"name": name, "versions": versions})
    return {"projects": projects}


def requirements(n=2000, m=10, seed=1, top=10):
    sc = scenario(n=n, m=m, seed=seed)
    out = []
    for p in reversed(sc["projects"][1:]):
        last = p["versions"][-1]
        if not last["requires_dist"]:
            continue
        out.append("%s>=1.0" % p["name"])
        if len(out) == top:
            break
    return sorted(out)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "--requirements":
        sys.exit("usage: scenario.py --requirements [n=N] [m=M] [seed=S] [top=T]")
    kw = {}
    for a in sys.argv[2:]:
        k, _, v = a.partition("=")
        kw[k] = int(v)
    sys.stdout.write("".join(r + "\n" for r in requirements(**kw)))
