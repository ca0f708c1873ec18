#!/bin/bash
# bench/build.sh: what building costs besides the backends: the time of each of wbgen's
# own phases per package (`make -j1` of a flat tree of tiny packages whose backend does
# almost nothing), next to the usual way of making a build environment (python3 -m venv +
# pip install), and how much `make -j2` gains over `make -j1` when each build burns a fixed
# amount of CPU. See docs/benchmarks.md (this script rewrites its results section).
#
# usage: bench/build.sh [--runs N] [--jruns N] [--packages N] [--jpackages N] [--burn S]
#                       [--helpers H] [--pip-samples K] [--diagnostics] [--keep] [--no-write]
#
# --runs N: timed `make -j1` builds of the overhead tree (default and minimum 5);
# --jruns N: builds each of -j1 and -j2 of the burning tree (default and minimum 3);
# --packages N (40) and --jpackages N (60): the sizes of the two trees; --burn S (0.2):
# CPU seconds each package's build_wheel burns in the second tree; --helpers H (2): build
# requirements besides the backend, so each environment holds 1 + H wheels; --pip-samples
# K (5): environments made the usual way for the comparison, per variant;
# --diagnostics: 3 more -j1 builds of the first tree with fsync made a no-op (LD_PRELOAD);
# --keep: keep every build's output directory (BENCH_WORK/runs/) instead of removing them.
#
# Environment: WBGEN (default: the in-tree ./wbgen, else build-dev/wbgen, rebuilt with
# make), BENCH_WORK (default build-dev/bench-build: indexes, outputs, logs), CC (for the
# timing wrapper, default cc), TARGET_PYTHON (default /usr/bin/python3).

set -eu -o pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
bench=build.sh
. "$top/bench/lib.sh"
runs=5
jruns=3
n1=40
n2=60
burn=0.2
helpers=2
pip_samples=5
diag=0
keep=0
write=1
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--jruns) jruns=$2; shift ;;
	--packages) n1=$2; shift ;;
	--jpackages) n2=$2; shift ;;
	--burn) burn=$2; shift ;;
	--helpers) helpers=$2; shift ;;
	--pip-samples) pip_samples=$2; shift ;;
	--no-write) write=0 ;;
	--diagnostics) diag=1 ;;
	--keep) keep=1 ;;
	-h|--help) sed -n '2,22s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "build.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
for v in "$runs" "$jruns" "$n1" "$n2" "$helpers" "$pip_samples"; do
	case $v in ''|*[!0-9]*) echo "build.sh: '$v' is not a count" >&2; exit 2 ;; esac
done
if [ "$runs" -lt 5 ] || [ "$jruns" -lt 3 ] || [ "$n1" -lt 1 ] || [ "$n2" -lt 2 ] || [ "$pip_samples" -lt 1 ]; then
	echo "build.sh: --runs must be at least 5, --jruns at least 3 (medians), the trees not empty" >&2
	exit 2
fi
case $burn in ''|*[!0-9.]*|*.*.*) echo "build.sh: --burn wants seconds, not '$burn'" >&2; exit 2 ;; esac

T0=$(date +%s)
load0=$(load)
PY=/usr/bin/python3
TARGET_PYTHON=${TARGET_PYTHON:-/usr/bin/python3}
bench_workdir "$top/build-dev/bench-build"

# ---- wbgen, built from this tree
bench_wbgen
# the recipes' program (the Makefile's WBGEN_STEP), beside wbgen in a build tree
WBGEN_STEP_BIN=${WBGEN_STEP_BIN:-$WBGEN-step}
[ -x "$WBGEN_STEP_BIN" ] || die "'$WBGEN_STEP_BIN' is not an executable"
MAKE_VERSION=$(make --version | sed -n 1p)

# ---- the timing wrapper (bench/timed-wbgen.c, shared with schedule.sh and overhead.sh):
# `make WBGEN_STEP=timed-wbgen` runs every phase through it; it runs $WBGEN_REAL (wbgen-step)
# and appends "PHASE ID DEP START_NS END_NS USER_US SYS_US STATUS RESTARTS" to $WBGEN_TIMES.
TW=$W/timed-wbgen
"${CC:-cc}" -O2 -o "$TW" "$top/bench/timed-wbgen.c" || die "cannot compile bench/timed-wbgen.c"

# ---- the indexes: built once per (generator, parameters), then reused
make_index() { # make_index N BURN: the index directory on stdout
	local key dir
	key=$(cat "$top/bench/build_scenario.py" "$top/e2e/fixtures/mkindex.py" "$top/e2e/fixtures/tinybuild.py" \
		| { cat; echo "n=$1 helpers=$helpers burn=$2"; } | sha256sum | cut -c1-12)
	dir=$W/index-$1-$helpers-$2-$key
	if [ ! -d "$dir" ]; then
		say "building the index: $1 packages, $helpers helpers, burn $2 s, into $dir"
		"$PY" -B "$top/e2e/fixtures/mkindex.py" "$top/bench/build_scenario.py" "$dir" --if-missing \
			--param n="$1" --param helpers="$helpers" --param burn="$2" >&2
		for old in "$W/index-$1-$helpers-$2"-*; do
			[ "$old" = "$dir" ] || [ ! -d "$old" ] || rm -rf "$old"
		done
	fi
	"$PY" -B "$top/bench/build_scenario.py" --requirements n="$1" >"$dir.requirements.txt"
	echo "$dir"
}
INDEX1=$(make_index "$n1" 0)
INDEX2=$(make_index "$n2" "$burn")

# Every build gets a directory of its own under $R, removed only at the end (unless --keep):
# ext4 allocates inodes slowly next to many recently deleted ones (recently_deleted() in
# find_inode_bit), so removing one build's tree just before the next would slow the next.
R=$W/runs
rm -rf "$R"
mkdir -p "$R"

# one build: resolve into OUT (not timed here), then `make -jJ` through the wrapper.
# build INDEX OUT J TIMES: the wall time of make in ns on stdout; its output in OUT.make.log
build() {
	local index=$1 out=$2 j=$3 times=$4 t0 t1
	[ ! -e "$out" ] || die "$out exists"
	rm -f "$times"
	"$WBGEN" resolve -r "$index.requirements.txt" --index-url "file://$index/simple/" \
		--python "$TARGET_PYTHON" -o "$out" --cache-dir "$W/cache" >"$out.resolve.log" 2>&1 ||
		die "wbgen resolve failed (see $out.resolve.log)"
	t0=$(date +%s%N)
	WBGEN_REAL=$WBGEN_STEP_BIN WBGEN_TIMES=$times make -C "$out" -j"$j" WBGEN_STEP="$TW" >"$out.make.log" 2>&1 ||
		die "make -j$j failed in $out (see $out.make.log)"
	t1=$(date +%s%N)
	echo $(( t1 - t0 ))
}

# ---- 1. wbgen's own phases, per package: make -j1, the backend doing almost nothing
say "1. overhead: $runs builds of $n1 packages with make -j1 (load $(load))"
load1a=$(load)
: >"$W/overhead.walls"
for r in $(seq "$runs"); do
	wall=$(build "$INDEX1" "$R/overhead-$r" 1 "$W/overhead-$r.times")
	echo "$wall" >>"$W/overhead.walls"
	say "  run $r: make -j1 $(awk -v t="$wall" 'BEGIN { printf "%.2f", t / 1e9 }') s"
done
load1b=$(load)
# diagnostic: the same with fsync() and fdatasync() made no-ops (an LD_PRELOAD shim)
nofsync_runs=0
if [ "$diag" = 1 ] &&
   printf 'int fsync(int f) { (void)f; return 0; }\nint fdatasync(int f) { (void)f; return 0; }\n' >"$W/nofsync.c" &&
   "${CC:-cc}" -shared -fPIC -O2 -o "$W/nofsync.so" "$W/nofsync.c" 2>/dev/null; then
	nofsync_runs=3
	say "   diagnostic: $nofsync_runs builds with fsync a no-op (LD_PRELOAD)"
	for r in $(seq "$nofsync_runs"); do
		LD_PRELOAD=$W/nofsync.so build "$INDEX1" "$R/nofsync-$r" 1 "$W/nofsync-$r.times" >/dev/null
	done
fi
# the build requirements of every package, as wbgen built them: the same wheels for pip
wheels=()
for w in "$R/overhead-1/wheels-repo/downloads/tinybuild-"*.whl "$R/overhead-1/wheels-repo/downloads/bench_helper_"*.whl; do
	[ -f "$w" ] && wheels+=("$w")
done
[ "${#wheels[@]}" = $(( helpers + 1 )) ] || die "expected $(( helpers + 1 )) build-requirement wheels, found ${#wheels[@]}"

# process start-up: wbgen (every phase is one wbgen process) next to a static-free C program
say "   start-up of a wbgen process (40 runs each of wbgen --version and the wrapper's own /bin/true)"
rm -f "$W/startup.times"
for _ in $(seq 40); do
	WBGEN_REAL=$WBGEN WBGEN_TIMES=$W/startup.times "$TW" --version >/dev/null
	WBGEN_REAL=$WBGEN_STEP_BIN WBGEN_TIMES=$W/startup-step.times "$TW" --version >/dev/null
	WBGEN_REAL=/bin/true WBGEN_TIMES=$W/startup.times "$TW" true >/dev/null
done
nlibs=$(ldd "$WBGEN" 2>/dev/null | grep -c '=>' || true)
# the same start-up without wbgen's code: an empty main() linked with wbgen's libraries
linklibs=$(sed -n 's/^\(CURL_LIBS\|LIBARCHIVE_LIBS\|JANSSON_LIBS\) = //p' "$(dirname "$WBGEN")/Makefile" 2>/dev/null | tr '\n' ' ')
[ -n "${linklibs// /}" ] || linklibs="-lcurl -larchive -ljansson"
printf 'int main(void) { return 0; }\n' >"$W/empty.c"
# shellcheck disable=SC2086
if "${CC:-cc}" -O2 -o "$W/empty-linked" "$W/empty.c" -Wl,--no-as-needed $linklibs 2>/dev/null; then
	for _ in $(seq 40); do
		WBGEN_REAL=$W/empty-linked WBGEN_TIMES=$W/startup.times "$TW" empty-linked >/dev/null
	done
fi
# and without libcurl (which the phases use only when discovery has to resolve something new)
nocurl=$(printf '%s\n' $linklibs | grep -v -- '-lcurl' | tr '\n' ' ')
# shellcheck disable=SC2086
if "${CC:-cc}" -O2 -o "$W/empty-nocurl" "$W/empty.c" -Wl,--no-as-needed $nocurl 2>/dev/null; then
	for _ in $(seq 40); do
		WBGEN_REAL=$W/empty-nocurl WBGEN_TIMES=$W/startup.times "$TW" empty-nocurl >/dev/null
	done
fi

# the usual way: a venv and pip, per package, with the same wheels
say "   the usual way: $pip_samples environments per variant (load $(load))"
for v in PIP_CONFIG_FILE PIP_DISABLE_PIP_VERSION_CHECK PIP_NO_INPUT PIP_ROOT_USER_ACTION; do unset "$v"; done
for v in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore
pip_version=$("$TARGET_PYTHON" -m pip --version | awk '{print $2}')
load_pip_a=$(load)
rm -f "$W/pip-venv.times" "$W/pip-install.times" "$W/lean-venv.times" "$W/lean-install.times"
for k in $(seq "$pip_samples"); do
	# (a) what a user types: a venv with pip in it, then that pip
	ENV=$R/pip-env-$k
	WBGEN_REAL=$TARGET_PYTHON WBGEN_TIMES=$W/pip-venv.times "$TW" -m venv "$ENV" >/dev/null ||
		die "python3 -m venv failed"
	WBGEN_REAL=$ENV/bin/pip WBGEN_TIMES=$W/pip-install.times "$TW" install --quiet --no-deps --no-index \
		"${wheels[@]}" >/dev/null || die "pip install failed"
	# (b) the lean way: no pip in the venv; the system's pip installs into it (pip >= 22.3)
	ENV=$R/lean-env-$k
	WBGEN_REAL=$TARGET_PYTHON WBGEN_TIMES=$W/lean-venv.times "$TW" -m venv --without-pip "$ENV" >/dev/null ||
		die "python3 -m venv --without-pip failed"
	WBGEN_REAL=$TARGET_PYTHON WBGEN_TIMES=$W/lean-install.times "$TW" -m pip --python "$ENV/bin/python" \
		install --quiet --no-deps --no-index "${wheels[@]}" >/dev/null || die "pip --python install failed"
done
# (a venv with pip holds about 1,700 files: removed now rather than with the rest at the end)
rm -rf "$R"/pip-env-*
load_pip_b=$(load)

# ---- 2. make -j2 against make -j1, each build_wheel burning $burn s of CPU
say "2. parallelism: $jruns builds each of $n2 packages with make -j1 and -j2, burn $burn s (load $(load))"
load2a=$(load)
: >"$W/j.walls"
for r in $(seq "$jruns"); do
	# alternate the order, so that a drift of the load does not favour one
	if [ $(( r % 2 )) = 1 ]; then order="1 2"; else order="2 1"; fi
	for j in $order; do
		wall=$(build "$INDEX2" "$R/j$j-$r" "$j" "$W/j$j-$r.times")
		echo "$j $r $wall" >>"$W/j.walls"
		say "  run $r: make -j$j $(awk -v t="$wall" 'BEGIN { printf "%.2f", t / 1e9 }') s (load $(load))"
	done
done
load2b=$(load)

# ---- the figures
bench_machine
cmdline="bench/build.sh"
[ "$runs" = 5 ] || cmdline="$cmdline --runs $runs"
[ "$jruns" = 3 ] || cmdline="$cmdline --jruns $jruns"
[ "$diag" = 0 ] || cmdline="$cmdline --diagnostics"
[ "$n1 $n2 $burn $helpers $pip_samples" = "40 60 0.2 2 5" ] ||
	cmdline="$cmdline --packages $n1 --jpackages $n2 --burn $burn --helpers $helpers --pip-samples $pip_samples"

report=$W/report.md
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs ($cpu), $mem RAM, Linux $(uname -r);"
	echo "wbgen $commit (CFLAGS \`$cflags\`, $nlibs shared libraries), $MAKE_VERSION, Python $("$TARGET_PYTHON" -c 'import platform; print(platform.python_version())') ($TARGET_PYTHON), pip $pip_version."
	echo "Index: \`file://\` (no server); each package's build environment holds $(( helpers + 1 )) wheels (tinybuild and $helpers helpers, one module each)."
	echo
	echo "Reproduce: \`autoreconf -fi && ./configure -q && make -j2 && $cmdline\`"
	echo
	"$PY" -B - "$W" "$runs" "$jruns" "$n1" "$n2" "$burn" "$helpers" "$pip_samples" "$nofsync_runs" \
		"$load1a" "$load1b" "$load_pip_a" "$load_pip_b" "$load2a" "$load2b" "$linklibs" "$nocurl" "$nlibs" <<'EOF'
import os, re, statistics as st, sys
from collections import defaultdict

W = sys.argv[1]
runs, jruns, n1, n2 = (int(x) for x in sys.argv[2:6])
burn, helpers, pip_samples, nofsync_runs = float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
load1a, load1b, loadpa, loadpb, load2a, load2b, linklibs, nocurl, nlibs = sys.argv[10:19]
PHASES = ["unpack", "build-system", "discover", "backend", "build", "publish"]

def read(path):
    """[("step", ARG1, ARG2, wall_ms, cpu_ms)] of a times file (the wrapper runs wbgen-step,
    whose first two arguments are the phase and the package)."""
    out = []
    for line in open(path):
        a1, a2, a3, t0, t1, us, sy, rc = line.split()[:8]
        if rc != "0":
            sys.exit("build.sh: %s: %s %s %s exited %s" % (path, a1, a2, a3, rc))
        out.append(("step", a1, a2, (int(t1) - int(t0)) / 1e6, (int(us) + int(sy)) / 1e3))
    return out

def med(v):
    return st.median(v) if v else float("nan")

def phases(path, only_pkgs=True):
    """{phase: {pkg: (wall_ms, cpu_ms)}} of the `wbgen step` lines."""
    d = defaultdict(dict)
    for a1, a2, a3, wall, cpu in read(path):
        if a1 != "step" or a2 not in PHASES:
            continue
        if only_pkgs and not a3.startswith("bench-pkg-"):
            continue
        d[a2][a3] = (wall, cpu)
    return d

def ms(x):
    return "%.1f ms" % x

# ---- 1. overhead
TARGET = "env + install + publish (build-system + backend + publish)"
GROUPS = {p: [p] for p in PHASES}
GROUPS[TARGET] = ["build-system", "backend", "publish"]
GROUPS["all six phases"] = PHASES

def overhead(prefix, nruns):
    """metric -> [median over the packages of one run], for wall and CPU."""
    wall, cpu = defaultdict(list), defaultdict(list)
    for r in range(1, nruns + 1):
        d = phases(os.path.join(W, "%s-%d.times" % (prefix, r)))
        pkgs = sorted(d["build"])
        if len(pkgs) != n1:
            sys.exit("build.sh: %s run %d built %d packages, not %d" % (prefix, r, len(pkgs), n1))
        for name, ph in GROUPS.items():
            wall[name].append(med([sum(d[x][p][0] for x in ph) for p in pkgs]))
            cpu[name].append(med([sum(d[x][p][1] for x in ph) for p in pkgs]))
    return wall, cpu

per_run, per_run_cpu = overhead("overhead", runs)
walls = [int(x) / 1e9 for x in open(os.path.join(W, "overhead.walls"))]
total_pkgs = n1 + helpers + 1

print("#### 1. wbgen's own phases, per package (`make -j1`, %d packages, backend doing almost nothing)" % n1)
print()
print("Load average before / after: %s / %s. Medians over the %d packages of each run, then the median"
      " (min-max) of those over %d runs; CPU is user + system of the phase's processes."
      % (load1a, load1b, n1, runs))
print()
print("| phase | wall, median per package (min-max over runs) | CPU | target |")
print("|---|---|---|---|")
target = TARGET
for name in PHASES + [target, "all six phases"]:
    v = per_run[name]
    t = ""
    if name == target:
        t = "< 50 ms: " + ("met" if med(v) < 50 else "**not met**")
    label = {"build-system": "build-system: fresh venv + install %d wheels" % (helpers + 1),
             "discover": "discover: get_requires_for_build_wheel (a Python start-up)",
             "backend": "backend: nothing to add (fingerprint, stamp)",
             "build": "build: build_wheel (a Python start-up) + wheel checks",
             "publish": "publish: into wheels-repo/simple/",
             "unpack": "unpack: the sdist into work/P/src"}.get(name, "**%s**" % name)
    print("| %s | %s (%.1f-%.1f) | %s | %s |" % (label, ms(med(v)), min(v), max(v), ms(med(per_run_cpu[name])), t))
print()
print("Whole `make -j1` (resolve not included; tinybuild and the helpers built first): median %.2f s"
      " (%.2f-%.2f), %.0f ms per package over the %d in the plan."
      % (med(walls), min(walls), max(walls), 1000 * med(walls) / total_pkgs, total_pkgs))

if nofsync_runs:
    nw, nc = overhead("nofsync", nofsync_runs)
    print("Diagnostic, %d more builds with fsync() a no-op (LD_PRELOAD): env + install + publish %s"
          " (%.1f-%.1f), CPU %s; all six phases %s." % (nofsync_runs, ms(med(nw[TARGET])), min(nw[TARGET]),
          max(nw[TARGET]), ms(med(nc[TARGET])), ms(med(nw["all six phases"]))))
# start-up of one process
su = defaultdict(list)
for a1, a2, a3, wall, cpu in read(os.path.join(W, "startup.times")):
    su[a2].append((wall, cpu))
for a1, a2, a3, wall, cpu in read(os.path.join(W, "startup-step.times")):
    su["step " + a2].append((wall, cpu))
def startup(key):
    v = su.get(key)
    return "%s / %s" % (ms(med([x[0] for x in v])), ms(med([x[1] for x in v]))) if v else "-"
print("Start-up of one process (40 runs each, wall / CPU medians): `wbgen-step --version` (what every phase"
      " runs) %s; `wbgen --version` %s;"
      " an empty `main()` linked with wbgen's libraries (`%s`, %s shared libraries in all) %s;"
      " the same without libcurl (`%s`) %s; /bin/true %s. Every phase is one wbgen process (6 per package)."
      % (startup("step --version"), startup("--version"), " ".join(linklibs.split()), nlibs, startup("empty-linked"),
         " ".join(nocurl.split()), startup("empty-nocurl"), startup("true")))
print()

# the usual way
def col(name):
    return [w for _, _, _, w, _ in read(os.path.join(W, name + ".times"))]
pv, pi, lv, li = col("pip-venv"), col("pip-install"), col("lean-venv"), col("lean-install")
wb_env = med(per_run["build-system"])
print("The same environment work the usual way, %d environments each (load %s / %s): the same %d wheels"
      " (as wbgen built them) into a fresh venv, `--no-deps --no-index`." % (pip_samples, loadpa, loadpb, helpers + 1))
print()
print("| way | venv | install | env + install, median | / wbgen's build-system phase |")
print("|---|---|---|---|---|")
print("| wbgen `step build-system` (above) | | | %s | 1x |" % ms(wb_env))
for label, v, i in [("`python3 -m venv ENV` + `ENV/bin/pip install`", pv, pi),
                    ("`python3 -m venv --without-pip ENV` + `python3 -m pip --python ENV/bin/python install`", lv, li)]:
    tot = med([a + b for a, b in zip(v, i)])
    print("| %s | %s | %s | %s | %.0fx |" % (label, ms(med(v)), ms(med(i)), ms(tot), tot / wb_env))
print()

# ---- 2. parallelism
jw = defaultdict(list)
for line in open(os.path.join(W, "j.walls")):
    j, r, t = line.split()
    jw[int(j)].append(int(t) / 1e9)
# durations of every phase of every package (tinybuild and the helpers too) in the -j1 runs
dur = defaultdict(list)
work1, cpu1, cpu2, busy2 = [], [], [], []
for r in range(1, jruns + 1):
    d1 = phases(os.path.join(W, "j1-%d.times" % r), only_pkgs=False)
    work1.append(sum(w for ph in d1.values() for w, _ in ph.values()))
    cpu1.append(sum(c for ph in d1.values() for _, c in ph.values()))
    for ph, pk in d1.items():
        for p, (w, _) in pk.items():
            dur[(ph, p)].append(w)
    d2 = phases(os.path.join(W, "j2-%d.times" % r), only_pkgs=False)
    cpu2.append(sum(c for ph in d2.values() for _, c in ph.values()))
    busy2.append(sum(w for ph in d2.values() for w, _ in ph.values()))
dur = {k: med(v) for k, v in dur.items()}
# the phase graph of docs/makefile.md, from the generated Makefile's P.sys and P.backend
text = open(os.path.join(W, "runs", "j1-1", "Makefile")).read()
sysd, bed = {}, {}
for m in re.finditer(r"^(\S+)\.(sys|backend) := ?(.*)$", text, re.M):
    (sysd if m.group(2) == "sys" else bed)[m.group(1)] = m.group(3).split()
memo = {}
def finish(ph, p):
    """Earliest end of phase ph of package p with unlimited CPUs (ms)."""
    k = (ph, p)
    if k in memo:
        return memo[k]
    pre = []
    if ph == "build-system":
        pre = [("publish", q) for q in sysd.get(p, [])]
    elif ph == "discover":
        pre = [("unpack", p), ("build-system", p)]
    elif ph == "backend":
        pre = [("discover", p), ("build-system", p)] + [("publish", q) for q in bed.get(p, [])]
    elif ph == "build":
        pre = [("unpack", p), ("backend", p)]
    elif ph == "publish":
        pre = [("build", p)]
    memo[k] = max([finish(*x) for x in pre] or [0]) + dur.get(k, 0)
    return memo[k]
cp = max(finish("publish", p) for p in sysd) / 1000
work = med(work1) / 1000
bound = max(cp, work / 2)
j1, j2 = med(jw[1]), med(jw[2])
print("#### 2. `make -j2` against `make -j1` (%d packages, build_wheel burning %.2f s of CPU each)" % (n2, burn))
print()
print("Load average before / after: %s / %s. Medians of %d builds each, alternating -j1 and -j2." % (load2a, load2b, jruns))
print()
print("| | wall, median (min-max) |")
print("|---|---|")
print("| `make -j1` | %.2f s (%.2f-%.2f) |" % (j1, min(jw[1]), max(jw[1])))
print("| `make -j2` | %.2f s (%.2f-%.2f) |" % (j2, min(jw[2]), max(jw[2])))
print("| speed-up -j1 / -j2 | **%.2fx** (2 CPUs: at most 2x) |" % (j1 / j2))
print("| total work: the phases of a -j1 build, summed (median) | %.2f s (make's own time between phases: %.2f s) |"
      % (work, j1 - work))
print("| critical path: the longest chain of phases, with the -j1 durations (tinybuild, then a helper, then a package) | %.2f s |" % cp)
print("| lower bound for -j2: max(critical path, total work / 2) | %.2f s |" % bound)
print("| -j2 against that bound | %.0f %% of the ideal (bound / measured) |" % (100 * bound / j2))
print("| CPU time of the phases, summed: -j1 / -j2 (the burn alone: %.1f s) | %.2f s / %.2f s |"
      % (n2 * burn, med(cpu1) / 1000, med(cpu2) / 1000))
print("| phases running at once in a -j2 build, on average (their wall times summed / make's wall time) | %.2f |"
      % (med(busy2) / 1000 / j2))
print("| CPU of the phases in a -j2 build / its wall time | %.2f CPUs busy on average |" % (med(cpu2) / 1000 / j2))
EOF
	echo
	echo "Bench wall time $(( $(date +%s) - T0 )) s; load average at the start $load0, at the end $(load)."
} >"$report"

echo
cat "$report"
if [ "$write" = 1 ]; then
	bench_write_results "$report" "bench/build.sh results"
fi
[ "$keep" = 1 ] || rm -rf "$R"
