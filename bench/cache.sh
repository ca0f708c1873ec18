#!/bin/bash
# bench/cache.sh: the shared build cache (wbgen resolve --build-cache). Two trees that share most of
# their packages, the second built with the cache the first filled, and a clean rebuild of one tree
# with a warm cache: the wall time of make and the number of wheels built, each beside the same build
# without a cache. See docs/benchmarks.md (this script rewrites its results section).
#
# usage: bench/cache.sh [--n N] [--sleep S] [--jobs J] [--no-write]
#
# The trees: bench/shapes.py's realistic shape with N projects (default 150; tinybuild, backends,
# plugins, a wide layer, a long tail), served as a file:// index. Tree A asks for the first 80 % of
# the projects, tree B for the last 80 %: they share 60 % of what is asked, and the backends. Every
# build_wheel sleeps S seconds times the project's weight (default 0: a package's cost is then
# wbgen's phases, venvs, installs and two PEP 517 hook processes). make -jJ (default: the CPU count).
# Every make runs in a fresh OUTDIR after its resolve (not timed), with discovered.json copied from a
# first build, so that no run waits for discovery.
#
# Environment: WBGEN (default: the in-tree ./wbgen, else build-dev/wbgen), BENCH_WORK (default
# bench/.cache/cache), TARGET_PYTHON (default /usr/bin/python3).

set -eu -o pipefail
export LC_ALL=C
unset WBGEN_BUILD_CACHE MAKEFLAGS MFLAGS MAKELEVEL

top=$(cd "$(dirname "$0")/.." && pwd)
bench=cache.sh
. "$top/bench/lib.sh"
n=150
sleep=0
jobs=$(nproc)
write=1
while [ $# -gt 0 ]; do
	case $1 in
	--n) n=$2; shift ;;
	--sleep) sleep=$2; shift ;;
	--jobs) jobs=$2; shift ;;
	--no-write) write=0 ;;
	-h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "cache.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

T0=$(date +%s)
load0=$(load)
PY=/usr/bin/python3
TARGET_PYTHON=${TARGET_PYTHON:-/usr/bin/python3}
bench_workdir "$top/bench/.cache/cache"
bench_wbgen
if [ -z "${WBGEN_PKGDATADIR:-}" ] && [ ! -f "$(dirname "$WBGEN")/rules/wbgen.mk" ]; then
	export WBGEN_PKGDATADIR=$top/rules
fi

# ---- the index and the two requirement sets
key=$(cat "$top/bench/shapes.py" "$top/e2e/fixtures/mkindex.py" "$top/e2e/fixtures/tinybuild.py" \
	| { cat; echo "shape=realistic n=$n sleep=$sleep"; } | sha256sum | cut -c1-12)
idx=$W/index-$n-$sleep-$key
if [ ! -d "$idx" ]; then
	say "building the index: realistic, $n projects, sleep $sleep, into $idx"
	"$PY" -B "$top/e2e/fixtures/mkindex.py" "$top/bench/shapes.py" "$idx" --if-missing \
		--param shape=realistic --param n="$n" --param sleep="$sleep" >&2
fi
"$PY" -B "$top/bench/shapes.py" --requirements shape=realistic n="$n" >"$W/all.txt"
total=$(wc -l <"$W/all.txt")
part=$(( total * 8 / 10 ))
head -n "$part" "$W/all.txt" >"$W/a.txt"
tail -n "$part" "$W/all.txt" >"$W/b.txt"

# resolve OUTDIR REQS [--build-cache DIR]
resolve() {
	local o=$1 reqs=$2
	shift 2
	rm -rf "$o"
	mkdir -p "$o"
	[ ! -f "$W/discovered.json" ] || cp "$W/discovered.json" "$o/"
	"$WBGEN" resolve --python "$TARGET_PYTHON" --cache-dir "$W/hc" -o "$o" --index-url "file://$idx/simple/" \
		-r "$reqs" "$@" 2>"$o.resolve.err" || { cat "$o.resolve.err" >&2; die "resolve failed"; }
}
# timed_make OUTDIR [ARG...]: make -jJ; sets WALL (seconds), BUILT (build phases that built a
# wheel), HITS (cached phases), PKGS (packages of the plan)
timed_make() {
	local o=$1 t0 t1
	shift
	t0=$(date +%s.%N)
	make -C "$o" --no-print-directory -j"$jobs" "$@" >"$o.make.out" 2>&1 || { tail -n 20 "$o.make.out" >&2; die "make failed in $o"; }
	t1=$(date +%s.%N)
	WALL=$(echo "$t1 - $t0" | bc)
	run=$(sed -n 's/^{"ev":"run","run":"\([^"]*\)".*/\1/p' "$o/logs/trace.jsonl" | tail -n 1)
	BUILT=$(grep -c "^{\"ev\":\"phase\",\"run\":\"$run\",.*\"phase\":\"build\",.*\"outcome\":\"built\"" "$o/logs/trace.jsonl" || true)
	HITS=$(grep -c "^{\"ev\":\"phase\",\"run\":\"$run\",.*\"phase\":\"cached\",.*\"outcome\":\"cached\"" "$o/logs/trace.jsonl" || true)
	PKGS=$(ls -d "$o"/work/*/ | wc -l)
}
rows=
row() { rows="$rows| $1 | $PKGS | $BUILT | $HITS | $(printf '%.1f' "$WALL") |
"; say "$1: $PKGS packages, $BUILT built, $HITS from the cache, $(printf '%.1f' "$WALL") s"; }

# a first build of everything, for discovered.json (not timed)
if [ ! -f "$W/discovered.json" ]; then
	say "a first build of every project, for discovered.json"
	resolve "$W/warm" "$W/all.txt"
	timed_make "$W/warm"
	[ ! -f "$W/warm/discovered.json" ] || cp "$W/warm/discovered.json" "$W/"
fi

C=$W/C
rm -rf "$C"
resolve "$W/a0" "$W/a.txt"
timed_make "$W/a0"
row "tree A, no cache"
resolve "$W/b0" "$W/b.txt"
timed_make "$W/b0"
row "tree B, no cache"
resolve "$W/a1" "$W/a.txt" --build-cache "$C"
timed_make "$W/a1"
row "tree A, empty cache (stores every wheel)"
resolve "$W/b1" "$W/b.txt" --build-cache "$C"
timed_make "$W/b1"
row "tree B, the cache tree A filled"
for w in "$W"/b0/wheels-repo/downloads/*.whl; do
	cmp -s "$w" "$W/b1/wheels-repo/downloads/${w##*/}" || die "tree B's ${w##*/} differs with the cache"
done
make -s -C "$W/a0" clean
timed_make "$W/a0"
row "tree A again after make clean, no cache"
make -s -C "$W/a1" clean
timed_make "$W/a1"
row "tree A again after make clean, warm cache"
entries=$("$WBGEN" cache size "$C" | cut -d' ' -f1)
bytes=$("$WBGEN" cache size "$C" | sed -n 's/^[0-9]* entr[a-z]*, \([0-9]*\) bytes.*/\1/p')

bench_machine
T1=$(date +%s)
report=$W/report.md
cat >"$report" <<EOF
Run $(date -u +%Y-%m-%d) on $cpu ($(nproc) CPUs, $mem), wbgen $commit, \`make -j$jobs\`, realistic
shape with $n projects (tree A: $(wc -l <"$W/a.txt") requirements, tree B: $(wc -l <"$W/b.txt"), $(( part * 2 - total )) in common),
build_wheel sleeping ${sleep} s times each project's weight; load before $load0, after $(load); the script
took $((T1 - T0)) s. Every wheel of tree B built with the cache is byte-identical to its build without one.
The cache held $entries entries, $bytes bytes, at the end.

| build | packages | wheels built | from the cache | make wall (s) |
|---|---|---|---|---|
$rows
Reproduce: \`bench/cache.sh --n $n --sleep $sleep --jobs $jobs\`.
EOF
cat "$report"
[ "$write" = 0 ] || bench_write_results "$report" cache
