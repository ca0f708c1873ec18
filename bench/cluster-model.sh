#!/bin/bash
# bench/cluster-model.sh: the measured figures of the scale model of docs/cluster.md (issue #15):
# what a 10,000-package tree costs make's host, a Slurm controller, the shared file system and
# the mirror. Prints a table and rewrites the results section of docs/cluster.md.
#
# usage: bench/cluster-model.sh [--parts "resolve noop phases slurm make lock"] [--runs N]
#                               [--no-write]
#
# Parts (each keeps its figures in BENCH_WORK/results/, so a part run alone updates the report):
#   resolve  `wbgen resolve` of bench/shapes.py's realistic tree of 10,000 projects (file:// index,
#            built once): cold, warm cache into an empty output, warm into the unchanged output.
#   noop     that output made to look built (bench/fake_built.py), then the no-op `make`.
#   phases   a 60-package realistic tree built with `make -j2`: each phase kind's wall and CPU from
#            logs/trace.jsonl; built again with every phase under strace (a WBGEN_STEP wrapper):
#            its file-system operations per phase kind and per package.
#   slurm    a one-node Slurm (e2e/slurm/cluster.sh, as root): `srun -n1 true` in a row, as jobs and
#            as steps of an allocation; 200 at once, 8 and 32 at a time (jobs/s, slurmctld's CPU
#            per job); a waiting srun's memory; the 60-package tree built through srun with the
#            local side of each heavy phase under strace and its processes' memory sampled.
#   make     how many recipes one make starts per second: 10,000 phony targets running `true`,
#            and `wbgen-step --version`, at -j32 (wall; make's own CPU from perf stat --no-inherit).
#   lock     the mirror's locks: `wbgen publish` into a mirror of 100 and of 10,000 projects;
#            how long the root page's lock is held (strace -ttt of flock and close).
# --runs N: timed runs of resolve, noop and make (default 5, at least 3; medians). --parts "": no
# measurement, the report from the figures kept.
#
# Environment: WBGEN (default: the in-tree ./wbgen, else build-dev/wbgen), BENCH_WORK (default
# bench/.cache/cluster-model), TARGET_PYTHON (default /usr/bin/python3). Needs /usr/bin/time,
# strace, and for the slurm part root and Debian's Slurm (installed by cluster.sh).

set -eu -o pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
bench=cluster-model.sh
. "$top/bench/lib.sh"
parts="resolve noop phases slurm make lock"
runs=5
write=1
while [ $# -gt 0 ]; do
	case $1 in
	--parts) parts=$2; shift ;;
	--runs) runs=$2; shift ;;
	--no-write) write=0 ;;
	-h|--help) sed -n '2,30s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "cluster-model.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*) runs=0 ;; esac
[ "$runs" -ge 3 ] || { echo "cluster-model.sh: --runs must be at least 3" >&2; exit 2; }
for p in $parts; do
	case $p in resolve|noop|phases|slurm|make|lock) ;; *) echo "cluster-model.sh: unknown part '$p'" >&2; exit 2 ;; esac
done
has() { case " $parts " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

T0=$(date +%s)
PY=/usr/bin/python3
TARGET_PYTHON=${TARGET_PYTHON:-/usr/bin/python3}
TIME=/usr/bin/time
[ -x "$TIME" ] || die "/usr/bin/time is missing (apt-get install time)"
command -v strace >/dev/null || die "strace is missing (apt-get install strace)"
bench_workdir "$top/bench/.cache/cluster-model"
bench_wbgen
STEP=$(dirname "$WBGEN")/wbgen-step
if [ -z "${WBGEN_PKGDATADIR:-}" ] && [ ! -f "$(dirname "$WBGEN")/rules/wbgen.mk" ]; then
	export WBGEN_PKGDATADIR=$top/rules
fi
R=$W/results
mkdir -p "$R"
N=10000

# note KEY VALUE...: one figure of a part, kept in $R/PART.txt (KEY VALUE, a line each)
note() { local k=$1; shift; printf '%s %s\n' "$k" "$*" >>"$R/$part.txt"; }
begin_part() { part=$1; rm -f "$R/$part"-*; : >"$R/$part.txt"; note load_before "$(load)"; note date "$(date -u '+%H:%M')"; say "== $part (load $(load))"; }
end_part() { note load_after "$(load)"; }
# timed FILE CMD...: wall, peak RSS (kB), user, system appended to FILE
timed() {
	local f=$1
	shift
	"$TIME" -f '%e %M %U %S' -o "$W/time.out" "$@" >/dev/null 2>"$W/timed.err" || die "failed: $* ($(tail -n 3 "$W/timed.err"))"
	tail -n 1 "$W/time.out" >>"$f"
}
resolve_cmd() { # resolve_cmd INDEX: in RES, the command resolving the index's every project (-o OUT to add)
	RES=("$WBGEN" resolve -r "$1.requirements.txt" --index-url "file://$1/simple/" --python "$TARGET_PYTHON"
		--cache-dir "$W/cache")
}
resolve_into() { # resolve_into OUT INDEX [OPTION...]
	resolve_cmd "$2"
	"${RES[@]}" -o "$1" "${@:3}"
}

# ---- resolve and the no-op make at 10,000
big=$W/out-$N
if has resolve; then
	begin_part resolve
	index=$(bench_realistic_index "$N")
	rm -rf "$W/cache" "$big" "$W/out-empty"
	resolve_cmd "$index"
	timed "$R/resolve-cold.times" "${RES[@]}" -o "$big"
	for _ in $(seq "$runs"); do
		rm -rf "$W/out-empty"
		timed "$R/resolve-empty.times" "${RES[@]}" -o "$W/out-empty"
		timed "$R/resolve-unchanged.times" "${RES[@]}" -o "$big"
	done
	rm -rf "$W/out-empty"
	note packages "$("$PY" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["packages"]))' "$big/plan.json")"
	note makefile "$(wc -c <"$big/Makefile") $(wc -l <"$big/Makefile")"
	note depth "$("$PY" -B "$top/bench/cluster_model.py" depth "$big/graph.json")"
	note phases "$(make -C "$big" -n WBGEN_INNER=1 all 2>/dev/null | grep -c 'wbgen-step [a-z-]* ' || true)"
	end_part
fi
if has noop; then
	[ -f "$big/Makefile" ] || die "no $big: run the resolve part first"
	begin_part noop
	"$PY" -B "$top/bench/fake_built.py" "$big" >&2
	make -C "$big" -q || die "make -q: the faked build is not up to date"
	for _ in $(seq "$runs"); do
		timed "$R/noop-make.times" make -C "$big"
		timed "$R/noop-inner.times" make -C "$big" WBGEN_INNER=1
	done
	end_part
fi

# ---- a small tree, built: the phases' costs and file-system operations
small=60
SMALL_INDEX=
small_index() { [ -n "$SMALL_INDEX" ] || SMALL_INDEX=$(bench_realistic_index "$small"); }
# The WBGEN_STEP wrapper: every phase but `run` under strace, one file per phase (PHASE.ID.PID).
SYSCALLS=open,openat,openat2,creat,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat
SYSCALLS=$SYSCALLS,mkdir,mkdirat,rmdir,rename,renameat,renameat2,unlink,unlinkat,link,linkat,symlink,symlinkat
SYSCALLS=$SYSCALLS,utimensat,chmod,fchmodat,flock,fcntl,fsync,fdatasync,syncfs,getdents64,execve
SYSCALLS=$SYSCALLS,write,pwrite64,writev,copy_file_range,sendfile
write_wrapper() { # write_wrapper DIR: $W/step-strace, tracing into DIR
	mkdir -p "$1"
	cat >"$W/step-strace" <<EOF
#!/bin/sh
case \$1 in run|-*) exec '$STEP' "\$@" ;; esac
exec strace -f -qq -y --seccomp-bpf -e signal=none -e trace=$SYSCALLS -o "$1/\$1.\$2.\$\$" '$STEP' "\$@"
EOF
	chmod +x "$W/step-strace"
}
if has phases; then
	begin_part phases
	small_index
	rm -rf "$W/small-local" "$W/small-traced" "$W/strace-local"
	resolve_into "$W/small-local" "$SMALL_INDEX" >/dev/null 2>"$W/res.err" || die "resolve: $(tail -n 3 "$W/res.err")"
	timed "$R/phases-build.times" make -C "$W/small-local" -j2
	cp "$W/small-local/logs/trace.jsonl" "$R/phases-trace.jsonl"
	write_wrapper "$W/strace-local"
	resolve_into "$W/small-traced" "$SMALL_INDEX" >/dev/null 2>"$W/res.err" || die "resolve: $(tail -n 3 "$W/res.err")"
	timed "$R/phases-traced.times" make -C "$W/small-traced" -j2 WBGEN_STEP="$W/step-strace"
	"$PY" -B "$top/bench/cluster_model.py" strace "$W/small-traced" "$W/strace-local" >"$R/phases-fsops.json"
	note packages "$small"
	# a real backend: examples/ (setuptools 66.1.1 builds colors and greeting), from scratch
	"$PY" -B "$top/e2e/fixtures/mkindex.py" --if-missing "$top/examples/scenario.py" "$W/example-index" >/dev/null
	rm -rf "$W/example" "$W/strace-example"
	"$WBGEN" resolve --python /usr/bin/python3 -r "$top/examples/requirements.txt" -c "$top/examples/constraints.txt" \
		--index-url "file://$W/example-index/simple/" --cache-dir "$W/cache" -o "$W/example" >/dev/null 2>"$W/res.err" ||
		die "resolve examples/: $(tail -n 3 "$W/res.err")"
	write_wrapper "$W/strace-example"
	make -C "$W/example" -j2 WBGEN_STEP="$W/step-strace" >/dev/null 2>&1 || die "make: examples/ failed"
	real_ids=$(cd "$W/example/work" && printf '%s\n' colors-* greeting-* | paste -sd, -)
	note real_ids "$real_ids"
	cp "$W/example/logs/trace.jsonl" "$R/phases-real-trace.jsonl"
	"$PY" -B "$top/bench/cluster_model.py" strace "$W/example" "$W/strace-example" "$real_ids" >"$R/phases-fsops-real.json"
	end_part
fi

# ---- lock: the mirror's root page at 100 and 10,000 projects
if has lock; then
	[ -d "$W/small-local/wheels-repo" ] || die "no built small tree: run the phases part first"
	begin_part lock
	for whl in "$W/small-local/wheels-repo/downloads/"*.whl; do :; done
	[ -f "$whl" ] || die "no wheel in $W/small-local/wheels-repo/downloads"
	pname=$(basename "$whl" | sed 's/-.*//; s/_/-/g')
	for m in 100 "$N"; do
		mir=$W/mirror-$m
		if [ ! -d "$mir/simple" ]; then
			mkdir -p "$mir/simple"
			"$PY" - "$mir/simple" "$m" <<'EOF'
import os, sys
d, m = sys.argv[1], int(sys.argv[2])
for i in range(m):
    p = os.path.join(d, "fake-%05d" % i)
    os.mkdir(p)
    with open(os.path.join(p, "index.html"), "w") as f:
        f.write("<!DOCTYPE html>\n")
EOF
		fi
		for _ in $(seq 20); do
			rm -rf "$mir/simple/$pname"
			timed "$R/lock-publish-$m.times" "$WBGEN" publish --mirror "$mir" "$whl"
		done
		for k in 1 2 3 4 5; do
			rm -rf "$mir/simple/$pname"
			strace -f -qq -ttt -T --seccomp-bpf -e trace=openat,flock,close -o "$W/lock-$m.$k.strace" \
				"$WBGEN" publish --mirror "$mir" "$whl" >/dev/null
			strace -qq -c -S calls -o "$W/lock-$m.$k.count" "$WBGEN" publish --mirror "$mir" "$whl" >/dev/null
		done
		"$PY" -B "$top/bench/cluster_model.py" lock "$W"/lock-"$m".*.strace >"$R/lock-hold-$m.json"
		note "calls_$m" "$(awk '$NF == "total" { print $(NF - 2) }' "$W/lock-$m.1.count")"
		note "root_page_bytes_$m" "$(wc -c <"$mir/simple/index.html")"
	done
	end_part
fi

# ---- make's fork and exec rate
if has make; then
	begin_part make
	for cmd in true "$STEP --version"; do
		key=${cmd##*/}
		key=${key%% *}
		"$PY" - "$N" "$cmd" >"$W/rate.mk" <<'EOF'
import sys
n, cmd = int(sys.argv[1]), sys.argv[2]
names = " ".join("t%d" % i for i in range(n))
print(".PHONY: all " + names)
print("all: " + names)
for i in range(n):
    print("t%d:\n\t@%s" % (i, cmd))
EOF
		for _ in $(seq "$runs"); do
			"$TIME" -f '%e %M %U %S' -o "$W/time.out" \
				perf stat --no-inherit -x, -e task-clock -o "$W/perf.out" make -s -j32 -f "$W/rate.mk" >/dev/null 2>&1 ||
				die "make -f rate.mk failed"
			echo "$(tail -n 1 "$W/time.out") $(awk -F, '$3 == "task-clock" { print $1 / 1000 }' "$W/perf.out")" \
				>>"$R/make-rate-$key.times"
		done
	done
	note recipes "$N"
	end_part
fi

# ---- slurm: srun's start-up, the controller's job rate, a build through srun
if has slurm; then
	[ "$(id -u)" = 0 ] || die "the slurm part needs root (slurmd runs jobs as their user)"
	small_index
	begin_part slurm
	. "$top/e2e/slurm/cluster.sh"
	trap 'slurm_stop' EXIT
	t=$(date +%s%N)
	slurm_start || die "Slurm did not start"
	note start_ms $(( ($(date +%s%N) - t) / 1000000 ))
	note node_cpus "$(sinfo -h -o %c)"
	ctld_pid=$(cat "$SLURM_DIR/slurmctld.pid")
	slurmd_pid=$(cat "$SLURM_DIR/slurmd.pid")
	cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # clock ticks
	note clk_tck "$(getconf CLK_TCK)"
	ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
	srun -n1 true || die "srun -n1 true failed"
		# (wall, peak RSS, user, system of srun)
	for _ in $(seq 30); do "$TIME" -f '%e %M %U %S' -a -o "$R/slurm-job.times" srun -n1 true; done
	salloc -n1 bash -c 'for _ in $(seq 30); do "$0" -f "%e %M %U %S" -a -o "$1" srun -n1 true; done' \
		"$TIME" "$R/slurm-step.times" >/dev/null 2>&1 || die "salloc failed"
	for par in 8 32; do
		c0=$(cpu_of "$ctld_pid") d0=$(cpu_of "$slurmd_pid") j0=$(wc -l <"$SLURM_JOBCOMP")
		t=$(date +%s%N)
		seq 200 | xargs -P "$par" -I{} srun -n1 true 2>"$W/burst.err" || die "200 sruns, $par at a time: some failed"
		note "burst_${par}_ms" "$(ms "$t")"
		note "burst_${par}_queued" "$(grep -c 'queued and waiting for resources' "$W/burst.err" || true)"
		note "burst_${par}_ctld_ticks" $(( $(cpu_of "$ctld_pid") - c0 ))
		note "burst_${par}_slurmd_ticks" $(( $(cpu_of "$slurmd_pid") - d0 ))
		note "burst_${par}_jobs" $(( $(wc -l <"$SLURM_JOBCOMP") - j0 ))
	done
	t=$(date +%s%N)
	salloc -n8 bash -c 'seq 200 | xargs -P 8 -I{} srun -n1 --exact true' >/dev/null 2>&1 || die "salloc: 200 steps failed"
	note burst_steps_8_ms "$(ms "$t")"
	# a waiting srun's memory (and a local wbgen-step's, during the build below)
	srun -n1 sleep 3 &
	sp=$!
	sleep 1.5
	note srun_rss_kb "$(awk '/^VmRSS/ { print $2 }' "/proc/$sp/status")"
	note srun_pss_kb "$(awk '/^Pss:/ { print $2 }' "/proc/$sp/smaps_rollup")"
	note srun_threads "$(awk '/^Threads/ { print $2 }' "/proc/$sp/status")"
	wait "$sp"
	# the small tree through srun, the local side of each phase under strace
	rm -rf "$W/small-srun" "$W/strace-srun"
	resolve_into "$W/small-srun" "$SMALL_INDEX" --launcher slurm >/dev/null 2>"$W/res.err" || die "resolve: $(tail -n 3 "$W/res.err")"
	write_wrapper "$W/strace-srun"
	"$PY" -B "$top/bench/cluster_model.py" sample "$W/rss.samples" &
	sampler=$!
	timed "$R/slurm-build.times" make -C "$W/small-srun" -j8 WBGEN_STEP="$W/step-strace"
	kill "$sampler"
	wait "$sampler" 2>/dev/null || :
	cp "$W/small-srun/logs/trace.jsonl" "$R/slurm-trace.jsonl"
	"$PY" -B "$top/bench/cluster_model.py" rss "$W/rss.samples" >"$R/slurm-rss.json"
	"$PY" -B "$top/bench/cluster_model.py" strace "$W/small-srun" "$W/strace-srun" >"$R/slurm-fsops.json"
	note srun_jobs_of_build "$(grep -c 'wbgen:' "$SLURM_JOBCOMP" || true)"
	slurm_stop
	trap - EXIT
	end_part
fi

# ---- the report
bench_machine
cmdline="bench/cluster-model.sh"
[ "$runs" = 5 ] || cmdline="$cmdline --runs $runs"
report=$W/report.md
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs ($cpu), $mem RAM, Linux $(uname -r);"
	echo "wbgen $commit (CFLAGS \`$cflags\`), $(make --version | sed -n 1p), Slurm $(dpkg-query -W -f '${Version}' slurm-client 2>/dev/null || echo '(not installed)'); strace $(strace -V | sed -n '1s/.* //p')."
	echo
	echo "Reproduce: \`autoreconf -fi && ./configure -q && make -j2 && $cmdline\` (as root, for Slurm)"
	echo
	"$PY" -B "$top/bench/cluster_model.py" report "$R" "$runs"
	echo
	echo "Bench wall time $(( $(date +%s) - T0 )) s (the parts run this time: ${parts:-none})."
} >"$report"
echo
cat "$report"
if [ "$write" = 1 ]; then
	bench_write_results "$report" "bench/cluster-model.sh results" docs/cluster.md
fi
