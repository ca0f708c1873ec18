#!/bin/bash
# bench/realtree.sh: wbgen on a REAL tree: 117 pure-Python distributions rebuilt as sdists from
# Debian 12's python3-* packages, each built by its real backend (setuptools, flit_core,
# hatchling, poetry-core; the backends built from their sdists too), against a serial loop,
# `pip wheel --no-binary :all:` and the bound. See docs/benchmarks.md (this script rewrites its
# results section).
#
# usage: bench/realtree.sh [--runs N] [--parts "wbgen clean serial pip bound"] [--no-write]
#                          [--rebuild-tree]
#
# --runs N: runs of each timed part (default 3; medians reported). --parts: a subset (the
# bound needs a wbgen build: it uses the cold run's plan and wheels, and makes one if wbgen
# is not among the parts). --rebuild-tree: download the .debs again and regenerate the sdists
# and the index (otherwise they are kept in the work directory, keyed by the package list and
# the generator). Environment: WBGEN (default: the in-tree ./wbgen, else build-dev/wbgen),
# BENCH_WORK (default bench/.cache/realtree). Needs Debian's archive (apt-get download) the
# first time only; never PyPI. Times here (2 CPUs, one run each, a loaded machine): the tree
# 5-25 s the first time, wbgen cold 3-3.5 min, after make clean 2 min, serial 4 min, pip wheel
# about 20 min, the bound 3 min; --runs 3 triples each.
#
# The package list, bench/realtree-packages.txt, was chosen with the generator's own closure
# check: every backend and what it needs, then the Debian packages whose distributions are
# built by flit_core, hatchling and poetry-core (taken in name order until about 17, 8 and 6),
# then well-known setuptools-built libraries (requests, jinja2, pytest, sphinx's helpers,
# ipython's dependencies, ...) with their install closures, while the count of setuptools
# builds stayed at or under 85. Packages with compiled code, with a backend other than those
# four, or whose requirements do not close within Debian 12 are left out (WORK/tree/dropped.txt).

set -eu -o pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
bench=realtree.sh
. "$top/bench/lib.sh"
runs=3
parts="wbgen clean serial pip bound"
write=1
rebuild=0
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--parts) parts=$2; shift ;;
	--no-write) write=0 ;;
	--rebuild-tree) rebuild=1 ;;
	-h|--help) sed -n '2,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "realtree.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*|0) echo "realtree.sh: --runs wants a count" >&2; exit 2 ;; esac
for p in $parts; do
	case $p in wbgen|clean|serial|pip|bound) ;; *) echo "realtree.sh: unknown part '$p'" >&2; exit 2 ;; esac
done
has() { case " $parts " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

T0=$(date +%s)
load0=$(load)
PY=/usr/bin/python3
bench_workdir "$top/bench/.cache/realtree"
bench_wbgen
for v in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore
export SOURCE_DATE_EPOCH=315532800
# the work directory is in this git checkout, where bench/.cache/ is ignored: poetry-core asks git
# which files are ignored and would leave them all out of its wheels. wbgen's hooks set
# GIT_CEILING_DIRECTORIES themselves; for the serial loop and pip (and wbgen before that fix) the
# work directory is made a repository of its own
[ -e "$W/.git" ] || git init -q "$W" || die "git init $W failed"
pip_version=$("$PY" -m pip --version | awk '{print $2}')
"$PY" -c 'import packaging' 2>/dev/null || die "needs Debian's python3-packaging (apt-get install python3-packaging)"
ns() { date +%s%N; }

# ---- the tree: .debs (cached), sdists and index (rebuilt when the list or the generator changes)
pkglist=$top/bench/realtree-packages.txt
DEBS=$W/debs
TREE=$W/tree
key=$(cat "$pkglist" "$top/bench/realtree.py" "$top/e2e/fixtures/mkindex.py" | sha256sum | cut -c1-12)
if [ "$rebuild" = 1 ]; then
	rm -rf "$DEBS" "$TREE"
fi
if [ ! -f "$TREE/key" ] || [ "$(cat "$TREE/key")" != "$key" ]; then
	t0=$(ns)
	mkdir -p "$DEBS"
	missing=()
	for p in $(sed 's/#.*//' "$pkglist"); do
		ls "$DEBS/${p}"_*.deb >/dev/null 2>&1 || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		say "apt-get download of ${#missing[@]} Debian packages into $DEBS"
		(cd "$DEBS" && apt-get download -q "${missing[@]}" >"$W/apt-download.log" 2>&1) ||
			die "apt-get download failed ($W/apt-download.log; run apt-get update first?)"
	fi
	rm -rf "$TREE"
	"$PY" -B "$top/bench/realtree.py" make "$pkglist" "$DEBS" "$TREE"
	echo "$key" >"$TREE/key"
	say "tree generated in $(( ($(ns) - t0) / 1000000 )) ms"
fi
INDEX=$TREE/index
REQ=$TREE/requirements.txt
ndist=$("$PY" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$TREE/expected.json")
backends=$("$PY" - "$TREE/expected.json" <<'EOF'
import json, sys
by = {}
for e in json.load(open(sys.argv[1])).values():
    k = e["backend"].split(" ")[0]
    by[k] = by.get(k, 0) + 1
print(", ".join("%d %s" % (n, k) for k, n in sorted(by.items(), key=lambda kv: -kv[1])))
EOF
)
say "tree: $ndist distributions ($backends), $(wc -l <"$REQ") top-level requirements"

# ---- the server: e2e/fixtures/serve.py on a free 127.0.0.1 port, stopped on every exit path
SRV=$W/server
SRV_PID=
cleanup() { [ -z "$SRV_PID" ] || kill "$SRV_PID" 2>/dev/null || true; }
trap cleanup EXIT
rm -rf "$SRV"
mkdir -p "$SRV"
"$PY" -B "$top/e2e/fixtures/serve.py" --root "$INDEX" --port-file "$SRV/port" --log "$SRV/access.log" \
	--parent-pid $$ --lifetime 14400 </dev/null >"$SRV/stderr.log" 2>&1 &
SRV_PID=$!
for _ in $(seq 200); do [ -s "$SRV/port" ] && break; sleep 0.05; done
[ -s "$SRV/port" ] || die "serve.py did not start: $(cat "$SRV/stderr.log")"
URL=http://127.0.0.1:$(cat "$SRV/port")/simple/

R=$W/runs
rm -rf "$R"
mkdir -p "$R"
: >"$W/results"
record() { # record PART RUN NANOSECONDS WHEELS LOAD_BEFORE LOAD_AFTER
	echo "$1 $2 $3 $4 $5|$6" >>"$W/results"
	say "$1 run $2: $(( $3 / 1000000 )) ms, $4 wheels (load $5 / $6)"
}
count_whl() { find "$1" -name '*.whl' 2>/dev/null | wc -l; }

# ---- wbgen: cold (empty output, empty cache), then again after `make clean`
wbgen_cold() { # wbgen_cold DIR: resolve + make -j2 into DIR/out, cache DIR/cache
	local d=$1 la t0 t1 t2 lb n
	rm -rf "$d"
	mkdir -p "$d/cache"
	la=$(load)
	t0=$(ns)
	XDG_CACHE_HOME=$d/cache "$WBGEN" resolve --python "$PY" -r "$REQ" --index-url "$URL" -o "$d/out" \
		>"$d/resolve.log" 2>&1 || die "wbgen resolve failed ($d/resolve.log)"
	t1=$(ns)
	XDG_CACHE_HOME=$d/cache make -C "$d/out" -j2 >"$d/make.log" 2>&1 || die "make -j2 failed ($d/make.log)"
	t2=$(ns)
	lb=$(load)
	n=$(count_whl "$d/out/wheels-repo/downloads")
	echo "resolve $2 $(( t1 - t0 ))" >>"$W/results.extra"
	record wbgen "$2" $(( t2 - t0 )) "$n" "$la" "$lb"
}
: >"$W/results.extra"
PLAN=
if has wbgen || has clean || has bound || has serial; then
	nw=$runs
	has wbgen || nw=1
	for r in $(seq "$nw"); do
		wbgen_cold "$R/wbgen-$r" "$r"
	done
	PLAN=$R/wbgen-1/out
	has wbgen || sed -i '/^wbgen /d' "$W/results"
	"$PY" -B "$top/bench/realtree.py" check "$TREE/expected.json" "$PLAN/wheels-repo/downloads" ||
		die "the wheels do not match the reconstructed metadata"
fi
if has clean; then
	for r in $(seq "$runs"); do
		d=$R/wbgen-1
		XDG_CACHE_HOME=$d/cache make -C "$d/out" clean >/dev/null 2>&1 || die "make clean failed"
		la=$(load)
		t0=$(ns)
		XDG_CACHE_HOME=$d/cache make -C "$d/out" -j2 >"$d/make-clean-$r.log" 2>&1 ||
			die "make -j2 after make clean failed ($d/make-clean-$r.log)"
		t1=$(ns)
		record clean "$r" $(( t1 - t0 )) "$(count_whl "$d/out/wheels-repo/downloads")" "$la" "$(load)"
	done
fi

# ---- the serial loop: per package, in build order: a venv, pip install of its build
# requirements (the exact versions, from the wheels built so far), then each hook in its process
serial_run() { # serial_run DIR
	local d=$1 name version sdist backend bpath reqs env src n=0 args
	rm -rf "$d"
	mkdir -p "$d/wheels" "$d/envs" "$d/src"
	"$PY" -B "$top/bench/realtree.py" serial-order "$PLAN" >"$d/order.txt"
	while read -r name version sdist backend bpath reqs; do
		n=$(( n + 1 ))
		env=$d/envs/$name-$version
		"$PY" -m venv --without-pip "$env"
		if [ -n "$reqs" ]; then
			# shellcheck disable=SC2086
			PIP_NO_CACHE_DIR=1 "$PY" -m pip --python "$env/bin/python" install --quiet --no-index --no-deps \
				--find-links "$d/wheels" $reqs >"$env.log" 2>&1 ||
				{ cat "$env.log" >&2; die "serial: $name $version: pip install $reqs failed"; }
		fi
		tar -xzf "$sdist" -C "$d/src"
		src=$d/src/$(basename "$sdist" .tar.gz)
		args=(--backend "$backend")
		[ "$bpath" = - ] || for p in ${bpath//,/ }; do args+=(--backend-path "$p"); done
		(cd "$src" && "$env/bin/python" "$top/rules/pep517_hook.py" "${args[@]}" \
			get_requires_for_build_wheel "$env.requires.json" </dev/null >>"$env.log" 2>&1 &&
			"$env/bin/python" "$top/rules/pep517_hook.py" "${args[@]}" --out-dir "$d/wheels" \
			build_wheel "$env.wheel.json" </dev/null >>"$env.log" 2>&1) ||
			{ tail -n 20 "$env.log" >&2; die "serial: $name $version: the hooks failed"; }
	done <"$d/order.txt"
	[ "$n" -gt 0 ] || die "serial: empty build order"
}
if has serial; then
	for r in $(seq "$runs"); do
		la=$(load)
		t0=$(ns)
		serial_run "$R/serial-$r"
		t1=$(ns)
		record serial "$r" $(( t1 - t0 )) "$(count_whl "$R/serial-$r/wheels")" "$la" "$(load)"
	done
fi

# ---- pip wheel --no-binary :all:, Debian's pip, a fresh cache
if has pip; then
	for r in $(seq "$runs"); do
		d=$R/pip-$r
		rm -rf "$d"
		mkdir -p "$d"
		la=$(load)
		t0=$(ns)
		"$PY" -m pip wheel --no-binary :all: --index-url "$URL" --cache-dir "$d/cache" -w "$d/wheels" \
			-r "$REQ" >"$d/pip.log" 2>&1 || die "pip wheel failed ($d/pip.log)"
		t1=$(ns)
		nenv=$(grep -c 'Installing build dependencies' "$d/pip.log" || true)
		echo "pipenvs $r $nenv" >>"$W/results.extra"
		record pip "$r" $(( t1 - t0 )) "$(count_whl "$d/wheels")" "$la" "$(load)"
	done
fi

# ---- the bound: one process per package running both hooks in a prepared environment, alone
if has bound; then
	la=$(load)
	out=$("$PY" -B "$top/bench/realtree.py" bound "$PLAN" "$PLAN/wheels-repo/downloads" "$W")
	echo "bound 1 $(awk -v n="$(nproc)" '{ printf "%.0f", $1 * 1e9 / n }' <<<"$out") $(awk '{print $2}' <<<"$out") $la|$(load)" >>"$W/results"
	say "bound: sum of the hook processes $(awk '{print $1}' <<<"$out") s over $(awk '{print $2}' <<<"$out") packages (per package: $W/bound.tsv)"
fi

bench_machine
cmdline="bench/realtree.sh"
[ "$runs" = 3 ] || cmdline="$cmdline --runs $runs"
[ "$parts" = "wbgen clean serial pip bound" ] || cmdline="$cmdline --parts \"$parts\""
report=$W/report.md
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs ($cpu), $mem RAM, Linux $(uname -r);"
	echo "wbgen $commit, $(make --version | sed -n 1p), Python $("$PY" -c 'import platform; print(platform.python_version())') ($PY), pip $pip_version. Index served by e2e/fixtures/serve.py on 127.0.0.1."
	echo "Tree: $ndist distributions ($backends) from $(sed 's/#.*//' "$pkglist" | grep -c .) Debian packages, $(wc -l <"$REQ") top-level requirements."
	echo
	echo "Reproduce: \`autoreconf -fi && ./configure -q && make -j2 && $cmdline\`"
	echo
	"$PY" -B - "$W/results" "$W/results.extra" "$(nproc)" <<'EOF'
import statistics as st, sys
from collections import defaultdict
t, wh, loads = defaultdict(list), {}, defaultdict(list)
for line in open(sys.argv[1]):
    part, r, n, nw, ld = line.split(None, 4)
    t[part].append(int(n) / 1e9)
    wh[part] = int(nw)
    loads[part].append(ld.strip().replace("|", " / "))
extra = defaultdict(list)
for line in open(sys.argv[2]):
    k, r, v = line.split()
    extra[k].append(int(v))
med = {k: st.median(v) for k, v in t.items()}
runs = max(len(v) for v in t.values())
print("Wall times, %s; ratios of medians." % ("one run each" if runs == 1 else
      "median (min-max) of %d runs" % runs))
print()
print("| way | wall | / bound | / wbgen cold | wheels | load before / after |")
print("|---|---|---|---|---|---|")
labels = [
    ("wbgen", "wbgen cold: `wbgen resolve` (%s) + `make -j2`, empty output, empty cache"),
    ("clean", "wbgen after `make clean`: `make -j2` (same output, plan kept)"),
    ("serial", "serial loop over build-order.json: a venv, `pip install` the build requirements, each hook in its process"),
    ("pip", "`pip wheel --no-binary :all:`, build isolation, fresh cache (%s build environments)"),
    ("bound", "bound: sum over packages of one process running both hooks, prepared environment, / %s CPUs"),
]
for part, label in labels:
    if part not in t:
        continue
    v = t[part]
    if part == "wbgen":
        label = label % ("resolve %.1f s" % st.median(x / 1e9 for x in extra["resolve"]))
    elif part == "pip":
        label = label % ("/".join(str(x) for x in extra["pipenvs"]))
    elif part == "bound":
        label = label % sys.argv[3]
    rng = " (%.1f-%.1f)" % (min(v), max(v)) if len(v) > 1 else ""
    print("| %s | %.1f s%s | %s | %s | %d | %s |" % (label, med[part], rng,
        "%.2fx" % (med[part] / med["bound"]) if "bound" in med else "-",
        "%.2fx" % (med[part] / med["wbgen"]) if "wbgen" in med else "-", wh[part], "; ".join(loads[part])))
EOF
	echo
	echo "Bench wall time $(( $(date +%s) - T0 )) s; load average at the start $load0, at the end $(load)."
} >"$report"
echo
cat "$report"
if [ "$write" = 1 ]; then
	bench_write_results "$report" "bench/realtree.sh results"
fi
