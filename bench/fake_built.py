"""bench: make an OUTDIR written by `wbgen resolve` look completely built, without building.

    python3 bench/fake_built.py OUTDIR

For the no-op `make` benchmarks (bench/overhead.sh, bench/schedule.sh) on trees too large
to build here. It writes every target of every package of the Makefile's WBGEN_PACKAGES
(docs/makefile.md: work/P/src.stamp, build-system.stamp, discover.stamp, backend.stamp,
wheel.stamp, deps.stamp for dynamic packages, and mirror/P.stamp), with placeholder
fingerprints, and gives them increasing mtimes in build order, each target newer than its
prerequisites: so make finds everything up to date and runs no phase, as after a real build
(make reads only the Makefile and stats the targets; no phase reads the placeholders in a
no-op run).
The sdists and pkg.json files written by the resolve are left as they are (older).
"""

import os
import re
import sys
import time


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: fake_built.py OUTDIR")
    out = argv[1]
    text = open(os.path.join(out, "Makefile"), encoding="utf-8").read()
    m = re.search(r"^WBGEN_PACKAGES := ((?:.*\\\n)*.*)$", text, re.M)
    if not m:
        sys.exit("fake_built.py: %s/Makefile has no WBGEN_PACKAGES" % out)
    pkgs = m.group(1).replace("\\\n", " ").split()
    dynamic = set(re.findall(r"^(\S+)\.dynamic := 1$", text, re.M))
    os.makedirs(os.path.join(out, "mirror"), exist_ok=True)
    fp = "fingerprint " + "0" * 64 + "\n"
    # mtimes: one tick (1 us) per file, in the order of the phases, starting after every
    # file the resolve wrote (the Makefile, the pkg.json files, the sdists), ending in the past
    newest = os.stat(os.path.join(out, "Makefile")).st_mtime_ns
    for dirpath, _, names in os.walk(out):
        for n in names:
            newest = max(newest, os.stat(os.path.join(dirpath, n)).st_mtime_ns)
    tick = 1000
    files = []
    for p in pkgs:
        w = os.path.join(out, "work", p)
        os.makedirs(w, exist_ok=True)
        files += [(os.path.join(w, "src.stamp"), fp),
                  (os.path.join(w, "build-system.stamp"), fp),
                  (os.path.join(w, "discover.stamp"), fp),
                  (os.path.join(w, "backend.stamp"), fp),
                  (os.path.join(w, "wheel.stamp"), fp + "wheel fake.whl\nsha256 " + "0" * 64 + "\n")]
        if p in dynamic:
            files.append((os.path.join(w, "deps.stamp"), fp))
        files.append((os.path.join(out, "mirror", p + ".stamp"), fp))
    t = newest + 10 ** 6
    while t + tick * len(files) >= time.time_ns():
        time.sleep(0.01)
    for path, content in files:
        with open(path, "w", encoding="utf-8") as f:
            f.write(content)
        os.utime(path, ns=(t, t))
        t += tick
    print("fake_built.py: %d packages, %d files in %s" % (len(pkgs), len(files), out))


if __name__ == "__main__":
    main(sys.argv)
