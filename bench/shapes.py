"""bench: synthetic trees of build requirements in three shapes, for bench/schedule.sh.

    mkindex.py bench/shapes.py OUT --param shape=realistic --param n=200 --param sleep=1
    python3 bench/shapes.py --requirements shape=realistic n=200
    python3 bench/shapes.py --costs shape=realistic n=200 sleep=1      (JSON: name -> seconds)

Deterministic for its parameters. n counts every project of the tree, tinybuild
included; every project has one version, 1.0, an sdist only, no install
requirements: the structure is made of build requirements alone
(build-system.requires), so a package's build environment is its build
requirements and the graph of the build is the graph below.

- tinybuild 1.0, the fixture backend (e2e/fixtures/tinybuild.py), bootstrapping
  itself (backend-path = ["."]); everything else is built by it or by a backend
  built by it.
- shape=wide (wide and shallow): n - 1 projects `wide-NNNN` built with
  tinybuild and nothing else: two layers.
- shape=deep (deep chains of build requirements): chains of `depth` projects
  `deep-C-LL`; project L of chain C requires project L - 1 of the same chain to
  build (build-system.requires), the first only tinybuild. The projects left over
  when depth does not divide n - 1 are a shorter last chain.
- shape=realistic: a few build backends everyone needs (`bk-0` built by
  tinybuild; `bk-1` built by bk-0, as a backend built with another backend; `bk-2`
  built by tinybuild but needing bk-0 to build, as setuptools needs wheel), two
  plugins (`plug-0` built with bk-0, `plug-1` with bk-1 and plug-0, as
  setuptools-scm or Cython), then a wide layer (`lib-NNNN`, 70 % of the rest,
  each built with one of the backends, picked 50/30/20, and 30 % of them also
  needing a plugin) and a long tail (`app-NNNN`: each also needs 1-2 projects of
  the wide layer or of the tail before it to build, so chains of build
  requirements several deep form).

Costs: build_wheel burns `burn` seconds of CPU time or sleeps `sleep` seconds
(tinybuild's knobs) times a weight: 1 for wide and deep; for realistic a
deterministic weight from {0.25, 0.5, 0.5, 1, 1, 1, 2, 4} (a few expensive
builds, many cheap ones; mean 1.28), and 1 for tinybuild, the backends and the
plugins. --costs prints them (seconds, the knob's value) for the model of
bench/schedule.sh.

--requirements prints every project but tinybuild, one a line (the backends
and the plugins are build requirements of others as well).
"""

import json
import random
import sys

WEIGHTS = [0.25, 0.5, 0.5, 1, 1, 1, 2, 4]


def plan(shape="realistic", n=200, depth=10, seed=1):
    """[(name, backend, [build requirements], weight)] in build order, tinybuild first."""
    n, depth = int(n), int(depth)
    if n < 2:
        raise SystemExit("shapes: n must be at least 2")
    rnd = random.Random("%s-%d-%d-%s" % (shape, n, depth, seed))
    out = [("tinybuild", "tinybuild", [], 1)]
    if shape == "wide":
        for i in range(n - 1):
            out.append(("wide-%04d" % i, "tinybuild", [], 1))
    elif shape == "deep":
        left, c = n - 1, 0
        while left > 0:
            for lv in range(min(depth, left)):
                reqs = ["deep-%02d-%02d" % (c, lv - 1)] if lv else []
                out.append(("deep-%02d-%02d" % (c, lv), "tinybuild", reqs, 1))
            left -= min(depth, left)
            c += 1
    elif shape == "realistic":
        fixed = [("bk-0", "tinybuild", [], 1), ("bk-1", "bk-0", [], 1), ("bk-2", "tinybuild", ["bk-0"], 1),
                 ("plug-0", "bk-0", [], 1), ("plug-1", "bk-1", ["plug-0"], 1)]
        out += fixed[:n - 1]
        rest = n - len(out)
        nwide = (rest * 7 + 9) // 10
        backends = ["bk-0"] * 5 + ["bk-1"] * 3 + ["bk-2"] * 2
        wide = []
        for i in range(nwide):
            reqs = [rnd.choice(["plug-0", "plug-1"])] if rnd.random() < 0.3 else []
            wide.append("lib-%04d" % i)
            out.append((wide[-1], rnd.choice(backends), reqs, rnd.choice(WEIGHTS)))
        tail = []
        for i in range(rest - nwide):
            pool = wide + tail[-20:]
            reqs = sorted(set(rnd.choice(pool) for _ in range(rnd.choice([1, 1, 2])))) if pool else []
            tail.append("app-%04d" % i)
            out.append((tail[-1], rnd.choice(backends), reqs, rnd.choice(WEIGHTS)))
    else:
        raise SystemExit("shapes: unknown shape %r (wide, deep, realistic)" % shape)
    return out


def scenario(shape="realistic", n=200, depth=10, seed=1, burn=0, sleep=0):
    burn, sleep = float(burn), float(sleep)
    projects = []
    for name, backend, reqs, w in plan(shape, n, depth, seed):
        ver = {"version": "1.0"}
        if name == "tinybuild" or name.startswith("bk-"):
            ver.update(build="backend", backend=backend)
        else:
            ver["backend"] = backend
        if reqs:
            ver["build_requires"] = list(reqs)
        if burn:
            ver["burn"] = round(burn * w, 6)
        if sleep:
            ver["sleep"] = round(sleep * w, 6)
        proj = {"name": name, "versions": [ver]}
        if name.startswith("bk-"):
            proj["module"] = name.replace("-", "_")
        projects.append(proj)
    return {"projects": projects}


def main(argv):
    if len(argv) < 2 or argv[1] not in ("--requirements", "--costs"):
        sys.exit("usage: shapes.py --requirements|--costs [shape=S] [n=N] [depth=D] [seed=S] [burn=S] [sleep=S]")
    params = dict(a.split("=", 1) for a in argv[2:])
    knobs = {k: float(params.pop(k, 0)) for k in ("burn", "sleep")}
    rows = plan(**params)
    if argv[1] == "--requirements":
        for name, _, _, _ in rows[1:]:
            print(name)
    else:
        cost = knobs["burn"] + knobs["sleep"]
        json.dump({name: round(cost * w, 6) for name, _, _, w in rows}, sys.stdout, indent=0, sort_keys=True)
        print()


if __name__ == "__main__":
    main(sys.argv)
