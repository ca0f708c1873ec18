#!/bin/bash
# bench/instructions.sh: does a change make wbgen's own work slower? The instructions (callgrind:
# the same count on a loaded machine, unlike times) of wbgen at --base and of this tree, on the
# same inputs: `wbgen resolve` of a large tree, the no-op `make` of that tree (every process:
# the outer make, `wbgen-step run`, the inner make), and single phases of the bundled example
# (a phase's start-up and its C work; the Python a phase runs is the same for both and left out).
# See docs/benchmarks.md (this script rewrites its results section).
#
# usage: bench/instructions.sh [--base REV] [--size N] [--no-write]
#
# --base REV: the commit to compare with (default e5c3bee, before issue #14's restructuring), built
# once from `git archive` into BENCH_WORK/base-REV. --size N: projects of bench/shapes.py's
# realistic tree (default 1000). Needs valgrind.
#
# Environment: WBGEN (default: the in-tree ./wbgen, else build-dev/wbgen), BENCH_WORK (default
# bench/.cache/instructions), TARGET_PYTHON (default /usr/bin/python3).

set -eu -o pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
bench=instructions.sh
. "$top/bench/lib.sh"
base=e5c3bee
size=1000
write=1
while [ $# -gt 0 ]; do
	case $1 in
	--base) base=$2; shift ;;
	--size) size=$2; shift ;;
	--no-write) write=0 ;;
	-h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "instructions.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

T0=$(date +%s)
PY=/usr/bin/python3
TARGET_PYTHON=${TARGET_PYTHON:-/usr/bin/python3}
command -v valgrind >/dev/null || die "valgrind is missing (apt-get install valgrind)"
bench_workdir "$top/bench/.cache/instructions"
bench_wbgen
new_rules=$(dirname "$WBGEN")/rules
[ -f "$new_rules/wbgen.mk" ] || new_rules=$top/rules
bench_base "$base"
rm -f "$W"/*.instr

# instr NAME CMD...: the instructions of CMD and of every process it starts, summed, into
# $W/NAME.instr
instr() {
	local name=$1
	shift
	rm -rf "$W/cg"
	mkdir "$W/cg"
	valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$W/cg/%p" "$@" \
		>"$W/$name.out" 2>"$W/$name.err" || die "$name: $* failed: $(grep -v '^==' "$W/$name.err" | tail -n 3)"
	awk '/^totals:/ { s += $2 } END { print s }' "$W"/cg/* >"$W/$name.instr"
}

# ---- a large tree: resolve (warm cache: the second run is measured), then the no-op make
index=$(bench_realistic_index "$size")
resolve() { # resolve LABEL WBGEN RULES
	WBGEN_PKGDATADIR=$3 "$2" resolve -r "$index.requirements.txt" --index-url "file://$index/simple/" \
		--python "$TARGET_PYTHON" --cache-dir "$W/cache" -o "$W/out-$1"
}
for label in base new; do
	if [ $label = base ]; then wb=$B/wbgen rules=$B/rules; else wb=$WBGEN rules=$new_rules; fi
	say "$label: resolve $size packages"
	rm -rf "$W/out-$label"
	resolve $label "$wb" "$rules" >/dev/null 2>&1 || die "$label: wbgen resolve failed"
	rm -rf "$W/out-$label"
	instr "$label-resolve" env WBGEN_PKGDATADIR="$rules" "$wb" resolve -r "$index.requirements.txt" \
		--index-url "file://$index/simple/" --python "$TARGET_PYTHON" --cache-dir "$W/cache" -o "$W/out-$label"
	"$PY" -B "$top/bench/fake_built.py" "$W/out-$label" >&2
	make -C "$W/out-$label" -q || die "$label: make -q: the faked build is not up to date"
	say "$label: no-op make"
	instr "$label-noop" make -C "$W/out-$label"
	grep -q ' 0 phases run' "$W/$label-noop.out" || die "$label: the no-op make ran something"
done
# the same plan, or the comparison means nothing
cmp -s <(grep -v '^WBGEN\(_STEP\|_RULES\|_PKGDATADIR\)\{0,1\} := ' "$W/out-base/Makefile") \
	<(grep -v '^WBGEN\(_STEP\|_RULES\|_PKGDATADIR\)\{0,1\} := ' "$W/out-new/Makefile") ||
	die "the two wbgens wrote different Makefiles: compare $W/out-base/Makefile and $W/out-new/Makefile"

# ---- single phases, on the bundled example built once (by this tree's wbgen)
ex=$W/example
if [ ! -f "$ex/mirror/colors-1.2.stamp" ]; then
	say "building the bundled example into $ex (a minute)"
	"$PY" -B "$top/e2e/fixtures/mkindex.py" --if-missing "$top/examples/scenario.py" "$W/example-index" >/dev/null
	rm -rf "$ex"
	"$WBGEN" resolve --python /usr/bin/python3 -r "$top/examples/requirements.txt" \
		-c "$top/examples/constraints.txt" --index-url "file://$W/example-index/simple/" -o "$ex" >/dev/null 2>&1 ||
		die "cannot resolve the example"
	make -C "$ex" -j"$(nproc)" >"$W/example.out" 2>&1 || die "cannot build the example: see $W/example.out"
fi
mkvar() { sed -n "s/^$1 := //p" "$ex/Makefile"; }
settings=(--settings-file "$(mkvar WBGEN_SETTINGS_FILE)" --settings-dir "$(mkvar WBGEN_SETTINGS_DIR)"
	--patches-dir "$(mkvar WBGEN_PATCHES_DIR)" --variant "$(mkvar WBGEN_VARIANT)")
nphases=$(mkvar WBGEN_NPHASES)
for label in base new; do
	if [ $label = base ]; then step=$B/wbgen-step; else step=$(dirname "$WBGEN")/wbgen-step; fi
	rm -rf "$W/ex-$label"
	cp -a "$ex" "$W/ex-$label"
	say "$label: phases"
	(cd "$W/ex-$label" && export WBGEN_NPHASES="$nphases" &&
		instr "$label-settings" "$step" settings colors-1.2 "${settings[@]}" &&
		instr "$label-publish" "$step" publish colors-1.2 &&
		instr "$label-help" "$step" --help)
done

bench_machine
cmdline="bench/instructions.sh"
[ "$base" = e5c3bee ] || cmdline="$cmdline --base $base"
[ "$size" = 1000 ] || cmdline="$cmdline --size $size"
report=$W/report.md
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs ($cpu), $mem RAM;"
	echo "wbgen $commit against $base_rev (CFLAGS \`$cflags\`), $(make --version | head -n 1)."
	echo
	echo "Reproduce: \`autoreconf -fi && ./configure -q && make -j2 && $cmdline\`"
	echo
	"$PY" - "$W" "$base_rev" "$size" <<'EOF'
import os, sys
W, rev, size = sys.argv[1:4]
def n(name):
    return int(open(os.path.join(W, name + ".instr")).read())
print("Instructions (valgrind --tool=callgrind, every process of the command summed); the base and this")
print("tree on the same inputs (the two Makefiles equal but for the programs' paths).")
print()
print("| | %s | this tree | change |" % rev)
print("|---|---|---|---|")
for key, what in [("resolve", "`wbgen resolve`, %s packages (warm cache)" % size),
                  ("noop", "no-op `make`, %s packages (make, `wbgen-step run`, inner make)" % size),
                  ("settings", "phase `settings colors-1.2` (the example)"),
                  ("publish", "phase `publish colors-1.2` (the example)"),
                  ("help", "`wbgen-step --help` (start-up)")]:
    b, t = n("base-" + key), n("new-" + key)
    print("| %s | %s | %s | %+.2f %% |" % (what, format(b, ","), format(t, ","), 100.0 * (t - b) / b))
EOF
	echo
	echo "Bench wall time $(( $(date +%s) - T0 )) s."
} >"$report"
echo
cat "$report"
if [ "$write" = 1 ]; then
	bench_write_results "$report" "bench/instructions.sh results"
fi
