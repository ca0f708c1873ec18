#!/bin/bash
# bench/rules.sh: the generated Makefile of a large tree with its rules written out (one block per
# package, issue #13) against the rules $(eval)'d by wbgen.mk (wbgen at --base): the Makefile's
# size, a no-op make and its parts, make's peak memory. See docs/benchmarks.md (this script
# rewrites its results section).
#
# usage: bench/rules.sh [--base REV] [--size N] [--runs N] [--no-write]
#
# --base REV: the commit to compare with (default 5b09775, the last one with $(eval)'d rules),
# built once from `git archive` into BENCH_WORK/base-REV. --size N: projects of bench/shapes.py's
# realistic tree (default 10000; the index is built once, a few minutes at 10,000). Both wbgens
# resolve the same index (file://, warm cache) into directories of their own, made to look built
# by bench/fake_built.py (every target written, newest last, as after a real build); then
# --runs N times (default 7, at least 3), alternating base and new so that a load change hits
# both: `make` (the outer make, `wbgen step run`, the inner make), the inner make alone
# (`make WBGEN_INNER=1`), `make -q`, and two parts: `make help` (the outer make: it reads the
# Makefile but, in the new layout, skips the rules) and `make WBGEN_INNER=1 help` (every rule
# read, no target looked at). Wall, CPU and peak RSS from /usr/bin/time; with valgrind, the
# instructions of `make -q` and `make help` (callgrind: the same on a loaded machine).
#
# Environment: WBGEN (default: the in-tree ./wbgen, else build-dev/wbgen), BENCH_WORK (default
# bench/.cache/rules), TARGET_PYTHON (default /usr/bin/python3).

set -eu -o pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
bench=rules.sh
. "$top/bench/lib.sh"
base=5b09775
size=10000
runs=7
write=1
while [ $# -gt 0 ]; do
	case $1 in
	--base) base=$2; shift ;;
	--size) size=$2; shift ;;
	--runs) runs=$2; shift ;;
	--no-write) write=0 ;;
	-h|--help) sed -n '2,22s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "rules.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*) runs=0 ;; esac
[ "$runs" -ge 3 ] || { echo "rules.sh: --runs must be at least 3" >&2; exit 2; }

T0=$(date +%s)
PY=/usr/bin/python3
TARGET_PYTHON=${TARGET_PYTHON:-/usr/bin/python3}
TIME=/usr/bin/time
[ -x "$TIME" ] || die "/usr/bin/time is missing (apt-get install time): it gives the peak memory"
bench_workdir "$top/bench/.cache/rules"
bench_wbgen
new_rules=$(dirname "$WBGEN")/rules
[ -f "$new_rules/wbgen.mk" ] || new_rules=$top/rules

# ---- the base: built once from its sources
bench_base "$base"
index=$(bench_realistic_index "$size")
res() { # res LABEL WBGEN RULES: resolve into $W/out-LABEL and fake the build
	local out=$W/out-$1
	rm -rf "$out"
	WBGEN_PKGDATADIR=$3 "$2" resolve -r "$index.requirements.txt" --index-url "file://$index/simple/" \
		--python "$TARGET_PYTHON" --cache-dir "$W/cache" -o "$out" >/dev/null 2>"$W/res-$1.err" ||
		die "$1: wbgen resolve failed: $(tail -n 3 "$W/res-$1.err")"
	"$PY" -B "$top/bench/fake_built.py" "$out" >&2
	make -C "$out" -q || die "$1: make -q: the faked build is not up to date"
	make -C "$out" >"$W/noop-$1.out" 2>&1 || die "$1: make failed: $(tail -n 3 "$W/noop-$1.out")"
	grep -q ' 0 phases run' "$W/noop-$1.out" || die "$1: the no-op make ran something"
}
say "resolving $size packages with $base_rev and with this tree (warm cache after the first)"
res base "$B/wbgen" "$B/rules"
res new "$WBGEN" "$new_rules"
cmp -s <(make -C "$W/out-base" -pq WBGEN_INNER=1 | "$PY" -B "$top/e2e/fixtures/make_rules.py") \
	<(make -C "$W/out-new" -pq WBGEN_INNER=1 | "$PY" -B "$top/e2e/fixtures/make_rules.py") ||
	die "the two Makefiles do not give make the same targets and prerequisites"

# timed LABEL RUN ARGS...: wall, peak RSS (kB), user, system appended to $W/LABEL-RUN.times
timed() {
	local label=$1 run=$2
	shift 2
	"$TIME" -f '%e %M %U %S' -o "$W/time.out" make -C "$W/out-$label" "$@" >/dev/null 2>&1 ||
		[ "$run" = help ] || [ "$run" = parse ] || die "$label: make $* failed"
	tail -n 1 "$W/time.out" >>"$W/$label-$run.times"
}
rm -f "$W"/*.times
for k in $(seq "$runs"); do
	say "run $k of $runs (load $(load))"
	for label in base new; do
		timed "$label" noop
		timed "$label" inner WBGEN_INNER=1
		timed "$label" q -q
		timed "$label" help help
		timed "$label" parse WBGEN_INNER=1 help
	done
done
# instructions (deterministic, unlike the times on a loaded machine): one callgrind run of each
instr() { # instr LABEL RUN ARGS...: make's instructions appended to $W/LABEL-RUN.instr
	local label=$1 run=$2
	shift 2
	valgrind --tool=callgrind --callgrind-out-file=/dev/null make -C "$W/out-$label" "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : //p' >"$W/$label-$run.instr"
}
rm -f "$W"/*.instr
if command -v valgrind >/dev/null; then
	say "instructions (valgrind --tool=callgrind, a minute or two each)"
	for label in base new; do
		instr "$label" q -q
		instr "$label" help help
	done
else
	say "valgrind is not installed (apt-get install valgrind): no instruction counts"
fi

bench_machine
cmdline="bench/rules.sh"
[ "$base" = 5b09775 ] || cmdline="$cmdline --base $base"
[ "$size" = 10000 ] || cmdline="$cmdline --size $size"
[ "$runs" = 7 ] || cmdline="$cmdline --runs $runs"
report=$W/report.md
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs ($cpu), $mem RAM, Linux $(uname -r);"
	echo "wbgen $commit against $base_rev (CFLAGS \`$cflags\`), $(make --version | sed -n 1p); load $(load) at the end."
	echo
	echo "Reproduce: \`autoreconf -fi && ./configure -q && make -j2 && $cmdline\`"
	echo
	"$PY" -B - "$W" "$runs" "$size" "$base_rev" <<'EOF'
import os, statistics as st, sys
W, runs, size, rev = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

def col(name, k):
    return [float(line.split()[k]) for line in open(os.path.join(W, name + ".times"))]

def med(v, fmt="%.2f s"):
    return (fmt % st.median(v)) + (" (%s-%s)" % (fmt % min(v), fmt % max(v))).replace(" s-", "-")

def cpu(name):
    return [a + b for a, b in zip(col(name, 2), col(name, 3))]

for label in ("base", "new"):
    mk = os.path.join(W, "out-" + label, "Makefile")
    data = open(mk, "rb").read()
    globals()[label + "_size"] = (len(data), data.count(b"\n"))
print("%s packages; medians (min-max) of %d runs, base and new alternating; /usr/bin/time (10 ms)." % (size, runs))
print()
print("| | %s: rules $(eval)'d by wbgen.mk | new: rules in the Makefile |" % rev)
print("|---|---|---|")
print("| Makefile | %.1f MB, %d lines | %.1f MB, %d lines |" % (base_size[0] / 1e6, base_size[1], new_size[0] / 1e6, new_size[1]))
for run, label in [("noop", "no-op `make` (outer make + `wbgen step run` + inner make)"),
                   ("inner", "the inner make alone (`make WBGEN_INNER=1`)"),
                   ("q", "`make -q`"),
                   ("help", "the outer make's part (`make help`: reads the Makefile)"),
                   ("parse", "reading the rules (`make WBGEN_INNER=1 help`: no target looked at)")]:
    b, n = "base-" + run, "new-" + run
    print("| %s: wall | %s | %s |" % (label, med(col(b, 0)), med(col(n, 0))))
    print("| CPU (user + system) | %s | %s |" % (med(cpu(b)), med(cpu(n))))
    print("| peak RSS | %.0f MiB | %.0f MiB |" % (max(col(b, 1)) / 1024, max(col(n, 1)) / 1024))
    if os.path.exists(os.path.join(W, b + ".instr")):
        ib, inew = (int(open(os.path.join(W, x + ".instr")).read()) for x in (b, n))
        print("| instructions (callgrind) | %.2f G | %.2f G (%+.0f %%) |" % (ib / 1e9, inew / 1e9, 100.0 * (inew - ib) / ib))
EOF
	echo
	echo "Bench wall time $(( $(date +%s) - T0 )) s."
} >"$report"
echo
cat "$report"
if [ "$write" = 1 ]; then
	bench_write_results "$report" "bench/rules.sh results"
fi
