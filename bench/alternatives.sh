#!/bin/bash
# bench/alternatives.sh: wbgen against the ways people build a tree of wheels from source today,
# cold, on the example tree (examples/) and on the largest e2e tree (e2e/fixtures/scenarios/tree.py):
#   wbgen:  wbgen resolve && make -j2
#   pip:    pip wheel --no-binary :all: --index-url <the same index> -r requirements (Debian's pip,
#           a fresh cache, build isolation: every build environment installed from the same index,
#           build requirements built from source too)
#   serial: bench/serial-bootstrap.sh: a loop over build-order.json creating a venv, pip-installing
#           the build requirements and building each package, one after the other
# See docs/benchmarks.md (this script rewrites its results section).
#
# usage: bench/alternatives.sh [--runs N] [--trees "example tree"] [--no-write]
#
# --runs N: cold builds of each tree by each tool (default 5, medians reported). --trees example
# and --trees tree each take under 10 minutes here with 5 runs (both, the default, about 12); a
# single tree writes its own results section ("bench/alternatives.sh TREE results").
# Environment: WBGEN (default: the in-tree ./wbgen, else build-dev/wbgen), BENCH_WORK (default
# bench/.cache/alternatives), PIP_PYTHON and TARGET_PYTHON (default /usr/bin/python3: the
# example's setuptools is Debian's).

set -eu -o pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
bench=alternatives.sh
. "$top/bench/lib.sh"
runs=5
trees="example tree"
write=1
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--trees) trees=$2; shift ;;
	--no-write) write=0 ;;
	-h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "alternatives.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*|0) echo "alternatives.sh: --runs wants a count" >&2; exit 2 ;; esac

T0=$(date +%s)
load0=$(load)
PY=/usr/bin/python3
TARGET_PYTHON=${TARGET_PYTHON:-/usr/bin/python3}
PIP_PYTHON=${PIP_PYTHON:-/usr/bin/python3}
bench_workdir "$top/bench/.cache/alternatives"
# ---- wbgen, built from this tree
bench_wbgen
for v in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore
pip_version=$("$PIP_PYTHON" -m pip --version | awk '{print $2}')

# ---- the indexes (rebuilt when the generator changes) and the requirements
make_index() { # make_index NAME SCENARIO: the index directory on stdout
	local key dir
	key=$(cat "$2" "$top/e2e/fixtures/mkindex.py" "$top/e2e/fixtures/tinybuild.py" | sha256sum | cut -c1-12)
	dir=$W/index-$1-$key
	if [ ! -d "$dir" ]; then
		"$PY" -B "$top/e2e/fixtures/mkindex.py" "$2" "$dir" --if-missing >&2
		for old in "$W/index-$1"-*; do [ "$old" = "$dir" ] || [ ! -d "$old" ] || rm -rf "$old"; done
	fi
	echo "$dir"
}

R=$W/runs
rm -rf "$R"
mkdir -p "$R"
: >"$W/results"
ns() { date +%s%N; }
for tree in $trees; do
	case $tree in
	example)
		index=$(make_index example "$top/examples/scenario.py")
		reqs=(-r "$top/examples/requirements.txt" -c "$top/examples/constraints.txt") ;;
	tree)
		index=$(make_index tree "$top/e2e/fixtures/scenarios/tree.py")
		echo tree-root >"$W/tree-requirements.txt"
		reqs=(-r "$W/tree-requirements.txt") ;;
	*) die "unknown tree '$tree' (example, tree)" ;;
	esac
	url=file://$index/simple/
	for r in $(seq "$runs"); do
		d=$R/$tree-$r
		mkdir -p "$d"
		# wbgen: resolve (cold: no cache, no output), then make -j2
		la=$(load)
		t0=$(ns)
		"$WBGEN" resolve --python "$TARGET_PYTHON" "${reqs[@]}" --index-url "$url" -o "$d/wbgen" \
			--cache-dir "$d/wbgen-cache" >"$d/wbgen-resolve.log" 2>&1 || die "wbgen resolve failed ($d/wbgen-resolve.log)"
		t1=$(ns)
		make -C "$d/wbgen" -j2 >"$d/wbgen-make.log" 2>&1 || die "make -j2 failed ($d/wbgen-make.log)"
		t2=$(ns)
		lb=$(load)
		nwb=$(find "$d/wbgen/wheels-repo/downloads" -name '*.whl' | wc -l)
		echo "$tree $r wbgen $(( t2 - t0 )) $(( t1 - t0 )) $nwb - $la|$lb" >>"$W/results"
		say "$tree run $r: wbgen resolve + make -j2 $(( (t2 - t0) / 1000000 )) ms, $nwb wheels (load $la / $lb)"
		# pip wheel, fresh cache
		la=$(load)
		t0=$(ns)
		"$PIP_PYTHON" -m pip wheel --no-binary :all: --index-url "$url" --cache-dir "$d/pip-cache" \
			-w "$d/pip-wheels" "${reqs[@]}" >"$d/pip.log" 2>&1 || die "pip wheel failed ($d/pip.log)"
		t1=$(ns)
		lb=$(load)
		npip=$(find "$d/pip-wheels" -name '*.whl' | wc -l)
		nenv=$(grep -c 'Installing build dependencies' "$d/pip.log" || true)
		echo "$tree $r pip $(( t1 - t0 )) 0 $npip $nenv $la|$lb" >>"$W/results"
		say "$tree run $r: pip wheel $(( (t1 - t0) / 1000000 )) ms, $npip wheels, $nenv build environments (load $la / $lb)"
		# the serial loop, over wbgen's build order (after its build: with the discovered requirements)
		la=$(load)
		t0=$(ns)
		TARGET_PYTHON=$TARGET_PYTHON "$top/bench/serial-bootstrap.sh" "$d/wbgen" "$d/serial" >"$d/serial.log" 2>&1 ||
			die "serial-bootstrap.sh failed ($d/serial.log)"
		t1=$(ns)
		lb=$(load)
		nser=$(find "$d/serial/wheels" -name '*.whl' | wc -l)
		echo "$tree $r serial $(( t1 - t0 )) 0 $nser - $la|$lb" >>"$W/results"
		say "$tree run $r: serial bootstrap $(( (t1 - t0) / 1000000 )) ms, $nser wheels (load $la / $lb)"
	done
done

bench_machine
cmdline="bench/alternatives.sh"
[ "$runs" = 5 ] || cmdline="$cmdline --runs $runs"
[ "$trees" = "example tree" ] || cmdline="$cmdline --trees \"$trees\""
case $trees in *' '*) section= ;; *) section="$trees " ;; esac
report=$W/report.md
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs ($cpu), $mem RAM, Linux $(uname -r);"
	echo "wbgen $commit, $(make --version | sed -n 1p), Python $("$TARGET_PYTHON" -c 'import platform; print(platform.python_version())') ($TARGET_PYTHON), pip $pip_version ($PIP_PYTHON). Index \`file://\`."
	echo
	echo "Reproduce: \`autoreconf -fi && ./configure -q && make -j2 && $cmdline\`"
	echo
	"$PY" -B - "$W/results" <<'EOF'
import statistics as st, sys
from collections import defaultdict
rows = [line.split() for line in open(sys.argv[1])]
t = defaultdict(list)
info = {}
for row in rows:
    tree, r, tool, wall, res, nwh, nenv = row[:7]
    loads = " ".join(row[7:])
    t[(tree, tool)].append((int(wall) / 1e9, int(res) / 1e9, loads))
    info[(tree, tool)] = (int(nwh), nenv)
runs = max(len(v) for v in t.values())
print("Cold builds (no cache, no output), %s; wall times, median (min-max) when more than one run."
      % ("one run each" if runs == 1 else "%d runs each" % runs))
print()
print("| tree | way | wall | / wbgen | wheels | load before / after |")
print("|---|---|---|---|---|---|")
for tree in dict.fromkeys(r[0] for r in rows):
    wb = st.median(x[0] for x in t[(tree, "wbgen")])
    for tool, label in [("wbgen", "`wbgen resolve && make -j2` (resolve: %s)"),
                        ("pip", "`pip wheel --no-binary :all:`, build isolation, fresh cache (%s build environments)"),
                        ("serial", "serial loop over build-order.json: a venv, `pip install` the build requirements, `pip wheel` (plan not included)")]:
        v = t.get((tree, tool))
        if not v:
            continue
        walls = [x[0] for x in v]
        m = st.median(walls)
        if tool == "wbgen":
            label = label % ("%.2f s" % st.median(x[1] for x in v))
        elif tool == "pip":
            label = label % info[(tree, tool)][1]
        rng = " (%.1f-%.1f)" % (min(walls), max(walls)) if len(walls) > 1 else ""
        print("| %s | %s | %.1f s%s | %s | %d | %s |" % (tree, label, m, rng, "1x" if tool == "wbgen" else "%.1fx" % (m / wb),
              info[(tree, tool)][0], "; ".join(x[2].replace("|", " / ") for x in v)))
EOF
	echo
	echo "Bench wall time $(( $(date +%s) - T0 )) s; load average at the start $load0, at the end $(load)."
} >"$report"
echo
cat "$report"
if [ "$write" = 1 ]; then
	bench_write_results "$report" "bench/alternatives.sh ${section}results"
fi
