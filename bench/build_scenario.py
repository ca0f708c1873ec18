"""bench: a flat tree of tiny packages, for bench/build.sh (building, not resolving).

    mkindex.py bench/build_scenario.py OUT --param n=40 --param helpers=2 --param burn=0
    python3 bench/build_scenario.py --requirements n=40

Deterministic for its parameters:

- tinybuild 1.0, the fixture backend (e2e/fixtures/tinybuild.py), bootstrapping
  itself from its own sdist (backend-path = ["."]);
- `helpers` projects bench-helper-K 1.0 (one module each, no dependencies),
  built with tinybuild: build requirements that are not the backend;
- n projects bench-pkg-NNN 1.0, independent of each other (no install
  requirements), each with build-system.requires = ["tinybuild", "bench-helper-0",
  ...]: so every one of them gets a fresh build environment holding 1 + helpers
  wheels. build_wheel spends `burn` seconds of CPU time in a busy loop first
  (tinybuild's `burn` knob; 0: the backend does almost nothing).

--requirements prints the n bench-pkg projects, one a line (the helpers and
tinybuild are in the plan as build requirements only).
"""

import sys


def pkg_name(i):
    return "bench-pkg-%03d" % i


def scenario(n=40, helpers=2, burn=0):
    n, helpers, burn = int(n), int(helpers), float(burn)
    helper_names = ["bench-helper-%d" % k for k in range(helpers)]
    p = [{"name": "tinybuild", "versions": [{"version": "1.0", "build": "backend", "backend": "tinybuild"}]}]
    for h in helper_names:
        p.append({"name": h, "versions": [{"version": "1.0"}]})
    for i in range(n):
        ver = {"version": "1.0", "build_requires": list(helper_names)}
        if burn:
            ver["burn"] = burn
        p.append({"name": pkg_name(i), "versions": [ver]})
    return {"projects": p}


def main(argv):
    if len(argv) < 2 or argv[1] != "--requirements":
        sys.exit("usage: build_scenario.py --requirements [n=N] [helpers=H] [burn=S]")
    params = dict(a.split("=", 1) for a in argv[2:])
    for i in range(int(params.get("n", 40))):
        print(pkg_name(i))


if __name__ == "__main__":
    main(sys.argv)
