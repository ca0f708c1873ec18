# bench/lib.sh: what the bench scripts share, sourced by them after they set `top` (the source
# tree) and `bench` (the script's name, for messages).

say() { printf '%s\n' "$*" >&2; }
die() { say "$bench: $*"; exit 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# bench_workdir DEFAULT: W is $BENCH_WORK, else DEFAULT; made, and absolute.
bench_workdir() {
	W=${BENCH_WORK:-$1}
	mkdir -p "$W"
	W=$(cd "$W" && pwd)
}

# bench_wbgen: WBGEN is $WBGEN, else this tree's in-tree build (as the README makes it), else its
# build-dev/ build; wbgen and wbgen-step are made up to date first.
bench_wbgen() {
	if [ -z "${WBGEN:-}" ]; then
		if [ -f "$top/Makefile" ]; then
			make -s -C "$top" wbgen wbgen-step >&2 || die "make wbgen failed"
			WBGEN=$top/wbgen
		elif [ -f "$top/build-dev/Makefile" ]; then
			make -s -C "$top/build-dev" wbgen wbgen-step >&2 || die "make wbgen failed"
			WBGEN=$top/build-dev/wbgen
		else
			die "no build: run 'autoreconf -fi && ./configure && make' in $top first (or set WBGEN)"
		fi
	fi
	[ -x "$WBGEN" ] || die "'$WBGEN' is not an executable"
}

# bench_write_results REPORT TAG [DOC]: REPORT replaces what stands between "<!-- begin TAG -->" and
# "<!-- end TAG -->" in DOC (default docs/benchmarks.md; a temporary file, then renamed).
bench_write_results() {
	local doc=${3:-docs/benchmarks.md}
	/usr/bin/python3 - "$top/$doc" "$1" "$2" "$bench" <<'PYEOF' || exit 1
import os, sys
doc, rep, tag, bench = sys.argv[1:5]
begin, end = "<!-- begin %s -->" % tag, "<!-- end %s -->" % tag
text = open(doc, encoding="utf-8").read()
i, j = text.find(begin), text.find(end)
if i < 0 or j < i:
    sys.exit("%s: %s lacks the markers %s ... %s" % (bench, doc, begin, end))
new = text[:i + len(begin)] + "\n" + open(rep, encoding="utf-8").read() + text[j:]
with open(doc + ".tmp", "w", encoding="utf-8") as f:
    f.write(new)
os.replace(doc + ".tmp", doc)
PYEOF
	say "wrote the results into $doc"
}

# bench_machine: what a report's header says about the build measured and the machine: commit (the
# last commit of wbgen's sources, "+ local changes" when they differ from it), cflags (of $WBGEN's
# build), cpu, mem.
bench_machine() {
	commit=$(git -C "$top" log -1 --format=%h -- gen cmd rules configure.ac Makefile.am 2>/dev/null || echo unknown)
	[ -z "$(git -C "$top" status --porcelain -- gen cmd rules 2>/dev/null)" ] || commit="$commit + local changes"
	cflags=$(sed -n 's/^CFLAGS = //p' "$(dirname "$WBGEN")/Makefile" 2>/dev/null || true)
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
}

# bench_realistic_index N: the index of bench/shapes.py's realistic shape with N projects (sdists
# only), built once into $W per (generator, size) and reused (10,000: a few minutes), its directory on
# stdout, with the requirements of every project beside it (DIR.requirements.txt). Needs W and PY.
bench_realistic_index() {
	local key dir
	key=$(cat "$top/bench/shapes.py" "$top/e2e/fixtures/mkindex.py" "$top/e2e/fixtures/tinybuild.py" \
		| { cat; echo "shape=realistic n=$1"; } | sha256sum | cut -c1-12)
	dir=$W/index-realistic-$1-$key
	if [ ! -d "$dir" ]; then
		say "building the index: realistic, $1 projects, into $dir"
		"$PY" -B "$top/e2e/fixtures/mkindex.py" "$top/bench/shapes.py" "$dir" --if-missing \
			--param shape=realistic --param n="$1" >&2
		for old in "$W/index-realistic-$1"-*; do
			[ "$old" = "$dir" ] || [ ! -d "$old" ] || rm -rf "$old"
		done
	fi
	"$PY" -B "$top/bench/shapes.py" --requirements shape=realistic n="$1" >"$dir.requirements.txt"
	echo "$dir"
}

# bench_base REV: wbgen at commit REV, built once from `git archive` into $W/base-REV (needs W);
# sets base_rev (its short hash) and B (the build: $B/wbgen, $B/wbgen-step, $B/rules).
bench_base() {
	base_rev=$(git -C "$top" rev-parse --short "$1") || die "no commit '$1'"
	B=$W/base-$base_rev
	if [ ! -x "$B/wbgen" ] || [ ! -x "$B/wbgen-step" ]; then
		say "building wbgen $base_rev into $B"
		rm -rf "$B"
		mkdir -p "$B"
		git -C "$top" archive "$base_rev" | tar -x -C "$B"
		(cd "$B" && autoreconf -fi >/dev/null 2>&1 && ./configure -q && make -j"$(nproc)" wbgen wbgen-step >/dev/null) ||
			die "cannot build $base_rev in $B"
	fi
}
