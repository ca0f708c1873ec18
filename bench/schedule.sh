#!/bin/bash
# bench/schedule.sh: how close `make -jN` of a generated Makefile comes to the physical limit,
# on synthetic trees of three shapes (bench/shapes.py) whose backends burn CPU or sleep for a
# known time, next to fromager's two strategies computed from the same graph and costs
# (bench/schedule_model.py). See docs/benchmarks.md (this script rewrites its results section).
#
# usage: bench/schedule.sh [--runs N] [--burn "SPEC..."] [--sleep "SPEC..."] [--plan "SPEC..."]
#                          [--depth D] [--quick] [--keep] [--no-write] [--section NAME]
#                          [--part cpu|sleep]
#
# A SPEC is SHAPE:N:COST:J[,J...]: shape (wide, deep, realistic), packages, the seconds each
# build_wheel burns (--burn) or sleeps (--sleep) (realistic: a base, times a weight per
# package), and the -j values. --plan trees are only resolved and checked (no-op make on a
# faked completed build, bench/fake_built.py) and modelled: too large to build here.
# --part cpu: only the CPU-burning trees, --part sleep: only the sleeping trees and the plan-only
# ones; each writes its own results section ("cpu", "sleep") and takes under 10 minutes here with
# the default 5 runs (the whole default set, without --part, about twice that).
# --runs N: builds of each tree at each -j (default 5, medians reported);
# --depth D: the chains of the deep shape (default 10); --quick: small trees (a smoke test);
# --keep: keep every build's directory; --section NAME: write the results between the markers
# "bench/schedule.sh NAME results" of docs/benchmarks.md instead of the default ones.
#
# Environment: WBGEN (default: the in-tree ./wbgen, else build-dev/wbgen, rebuilt with make),
# BENCH_WORK (default bench/.cache/schedule), CC, TARGET_PYTHON (default /usr/bin/python3).

set -eu -o pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
bench=schedule.sh
. "$top/bench/lib.sh"
runs=5
part=
burn_trees="wide:50:0.5:2 deep:50:0.5:2 realistic:50:0.5:2"
sleep_trees="wide:100:1.5:4,16 deep:100:1.5:16 realistic:200:0.75:16"
plan_trees="realistic:2000:0.2:16"
depth=10
keep=0
write=1
quick=0
section=
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--burn) burn_trees=$2; shift ;;
	--sleep) sleep_trees=$2; shift ;;
	--plan) plan_trees=$2; shift ;;
	--depth) depth=$2; shift ;;
	--quick) quick=1 ;;
	--keep) keep=1 ;;
	--no-write) write=0 ;;
	--section) section=$2; shift ;;
	--part) part=$2; shift ;;
	-h|--help) sed -n '2,26s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "schedule.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $part in
'') ;;
cpu) sleep_trees= plan_trees= section=${section:-cpu} ;;
sleep) burn_trees= section=${section:-sleep} ;;
*) echo "schedule.sh: --part wants cpu or sleep, not '$part'" >&2; exit 2 ;;
esac
if [ "$quick" = 1 ]; then
	burn_trees="wide:12:0.2:2 deep:12:0.2:2"
	sleep_trees="realistic:30:0.5:4,16"
	plan_trees="realistic:300:0.2:16"
	depth=4
	write=0
fi
case $runs in ''|*[!0-9]*|0) echo "schedule.sh: --runs wants a count" >&2; exit 2 ;; esac

T0=$(date +%s)
load0=$(load)
PY=/usr/bin/python3
TARGET_PYTHON=${TARGET_PYTHON:-/usr/bin/python3}
bench_workdir "$top/bench/.cache/schedule"
cores=$(nproc)

# ---- wbgen, built from this tree
bench_wbgen
# the recipes run $(WBGEN_STEP) (wbgen-step, next to wbgen) when the Makefile has it, else $(WBGEN) step
WBGEN_STEP_REAL=
[ ! -x "$(dirname "$WBGEN")/wbgen-step" ] || WBGEN_STEP_REAL=$(dirname "$WBGEN")/wbgen-step
MAKE_VERSION=$(make --version | sed -n 1p)

# ---- the timing wrapper (bench/timed-wbgen.c): one line per phase into $WBGEN_TIMES
TW=$W/timed-wbgen
"${CC:-cc}" -O2 -o "$TW" "$top/bench/timed-wbgen.c" || die "cannot compile bench/timed-wbgen.c"
# make's passes: each inner make (the outer make runs $(MAKE)) and any restart of it (GNU make
# re-executes argv[0]) append a line
CM=$W/count-make
cat >"$CM" <<EOF
#!/bin/bash
printf '%s\n' "\$(date +%s%N)" >>"\${MAKE_PASSES:?}"
exec -a "\$0" $(command -v make) "\$@"
EOF
chmod +x "$CM"
# what make's command line overrides so that every phase runs through the wrapper
if [ -n "$WBGEN_STEP_REAL" ]; then tw_vars=(WBGEN_STEP="$TW"); else tw_vars=(WBGEN="$TW"); fi

# ---- the indexes: built once per (generator, parameters), then reused
make_index() { # make_index KIND SHAPE N COST: the index directory on stdout
	local key dir params="shape=$2 n=$3 depth=$depth $1=$4"
	key=$(cat "$top/bench/shapes.py" "$top/e2e/fixtures/mkindex.py" "$top/e2e/fixtures/tinybuild.py" \
		| { cat; echo "$params"; } | sha256sum | cut -c1-12)
	dir=$W/index-$1-$2-$3-$4-$key
	if [ ! -d "$dir" ]; then
		say "building the index: $params, into $dir"
		"$PY" -B "$top/e2e/fixtures/mkindex.py" "$top/bench/shapes.py" "$dir" --if-missing \
			--param shape="$2" --param n="$3" --param depth="$depth" --param "$1=$4" >&2
		for old in "$W/index-$1-$2-$3-$4"-*; do
			[ "$old" = "$dir" ] || [ ! -d "$old" ] || rm -rf "$old"
		done
	fi
	# shellcheck disable=SC2086
	"$PY" -B "$top/bench/shapes.py" --requirements $params >"$dir.requirements.txt"
	# shellcheck disable=SC2086
	"$PY" -B "$top/bench/shapes.py" --costs $params >"$dir.costs.json"
	echo "$dir"
}

R=$W/runs
rm -rf "$R"
mkdir -p "$R"
TSV=$W/runs.tsv
: >"$TSV"

resolve() { # resolve INDEX OUT: the wall time in ns on stdout
	local t0 t1
	t0=$(date +%s%N)
	"$WBGEN" resolve -r "$1.requirements.txt" --index-url "file://$1/simple/" \
		--python "$TARGET_PYTHON" -o "$2" --cache-dir "$W/cache" >"$2.resolve.log" 2>&1 ||
		die "wbgen resolve failed (see $2.resolve.log)"
	t1=$(date +%s%N)
	echo $(( t1 - t0 ))
}

# one build: resolve into OUT (not timed), then `make -jJ` through the wrappers
build() { # build KIND SHAPE N COST J RUN
	local index out times t0 t1 l0 l1 passes
	index=$(make_index "$1" "$2" "$3" "$4")
	out=$R/$1-$2-$3-j$5-$6
	times=$out.times
	resolve "$index" "$out" >/dev/null
	rm -f "$times" "$out.passes"
	l0=$(load)
	t0=$(date +%s%N)
	MAKE_PASSES=$out.passes WBGEN_REAL=${WBGEN_STEP_REAL:-$WBGEN} WBGEN_TIMES=$times \
		make -C "$out" -j"$5" MAKE="$CM" "${tw_vars[@]}" \
		>"$out.make.log" 2>&1 || die "make -j$5 failed in $out (see $out.make.log)"
	t1=$(date +%s%N)
	l1=$(load)
	passes=$(wc -l <"$out.passes")
	printf 'type=build\tkind=%s\tshape=%s\tn=%s\tcost=%s\tj=%s\trun=%s\twall=%s\tt0=%s\tt1=%s\ttimes=%s\tmakefile=%s\tcosts=%s\tpasses=%s\tload0=%s\tload1=%s\tcores=%s\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" $(( t1 - t0 )) "$t0" "$t1" "$times" "$out/Makefile" "$index.costs.json" \
		"$passes" "$l0" "$l1" "$cores" >>"$TSV"
	say "  $2 $3, $1 $4 s, make -j$5, run $6: $(awk -v t=$(( t1 - t0 )) 'BEGIN { printf "%.2f", t / 1e9 }') s, $passes passes (load $l0 / $l1)"
}

# nsec COMMAND...: its wall time in ns on stdout
nsec() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(( t1 - t0 )); }
join() { local IFS=,; echo "$*"; }

for kind in burn sleep; do
	if [ $kind = burn ]; then trees=$burn_trees; else trees=$sleep_trees; fi
	for spec in $trees; do
		IFS=: read -r shape n cost js <<<"$spec"
		[ -n "$js" ] || die "bad tree '$spec' (SHAPE:N:COST:J[,J...])"
		for r in $(seq "$runs"); do
			for j in ${js//,/ }; do
				build "$kind" "$shape" "$n" "$cost" "$j" "$r"
			done
		done
	done
done

# ---- the trees too large to build: resolve (warm cache: the second of 3 runs on), Makefile, no-op make
for spec in $plan_trees; do
	IFS=: read -r shape n cost js <<<"$spec"
	kind=sleep
	index=$(make_index "$kind" "$shape" "$n" "$cost")
	out=$R/plan-$shape-$n
	say "  $shape $n ($kind $cost s): resolve, fake build, no-op make (load $(load))"
	res=()
	# (each into a directory of its own: ext4 allocates inodes slowly next to recently deleted ones)
	t=$(resolve "$index" "$out") # the first fills the cache
	for r in 1 2 3 4 5; do
		res+=("$(resolve "$index" "$out-r$r")")
	done
	"$PY" -B "$top/bench/fake_built.py" "$out" >&2
	noop=() q=()
	nsec make -C "$out" >/dev/null # (a first run reads the files into the page cache)
	for r in 1 2 3 4 5; do
		noop+=("$(nsec make -C "$out")")
		q+=("$(nsec make -C "$out" -q)")
	done
	make -C "$out" -q || die "make -q: the faked build of $out is not up to date"
	for j in ${js//,/ }; do
		printf 'type=plan\tkind=%s\tshape=%s\tn=%s\tcost=%s\tj=%s\tresolve=%s\tnoop=%s\tq=%s\tmakefile=%s\tcosts=%s\tmksize=%s\tcores=%s\n' \
			"$kind" "$shape" "$n" "$cost" "$j" "$(join "${res[@]}")" "$(join "${noop[@]}")" "$(join "${q[@]}")" \
			"$out/Makefile" "$index.costs.json" "$(wc -c <"$out/Makefile")" "$cores" >>"$TSV"
	done
done
load1=$(load)

# ---- the report
bench_machine
cmdline="bench/schedule.sh"
[ "$runs" = 5 ] || cmdline="$cmdline --runs $runs"
[ -z "$part" ] || cmdline="$cmdline --part $part"
[ "$quick" = 0 ] || cmdline="$cmdline --quick"
if [ "$quick" = 0 ] && [ -z "$part" ]; then
	[ "$burn_trees" = "wide:50:0.5:2 deep:50:0.5:2 realistic:50:0.5:2" ] || cmdline="$cmdline --burn \"$burn_trees\""
	[ "$sleep_trees" = "wide:100:1.5:4,16 deep:100:1.5:16 realistic:200:0.75:16" ] || cmdline="$cmdline --sleep \"$sleep_trees\""
	[ "$plan_trees" = "realistic:2000:0.2:16" ] || cmdline="$cmdline --plan \"$plan_trees\""
	[ "$depth" = 10 ] || cmdline="$cmdline --depth $depth"
fi
[ -z "$section" ] || [ "$section" = "$part" ] || cmdline="$cmdline --section $section"
report=$W/report.md
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $cores CPUs ($cpu), $mem RAM, Linux $(uname -r);"
	echo "wbgen $commit (CFLAGS \`$cflags\`), $MAKE_VERSION, Python $("$TARGET_PYTHON" -c 'import platform; print(platform.python_version())') ($TARGET_PYTHON)."
	echo "Trees: burn $burn_trees; sleep $sleep_trees; plan only $plan_trees (SHAPE:N:COST:J; deep chains of $depth). Index \`file://\`."
	echo
	echo "Reproduce: \`autoreconf -fi && ./configure -q && make -j2 && $cmdline\`"
	echo
	"$PY" -B "$top/bench/schedule_model.py" report "$TSV"
	echo
	echo "Bench wall time $(( $(date +%s) - T0 )) s; load average at the start $load0, at the end $load1."
} >"$report"
echo
cat "$report"
if [ "$write" = 1 ]; then
	bench_write_results "$report" "bench/schedule.sh ${section:+$section }results"
fi
[ "$keep" = 1 ] || rm -rf "$R"
