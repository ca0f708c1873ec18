# slurm.sh: the generated build on a one-node Slurm cluster of its own (e2e/slurm/cluster.sh,
# `make check-slurm`, docs/cluster.md): every heavy phase runs as a Slurm job named after it, the
# light ones here; the wheels are byte-identical to a local build's; two jobs run at once; a job
# cancelled with scancel, an srun killed, a lost node (slurmd and the job's processes killed), a
# node that does not see OUTDIR, a pending job whose srun is killed and jobs left by a killed make:
# each fails its phase in the launcher's name (with srun's own word on it), leaves nothing
# half-written and no job behind, and the next make completes the build. Skipped where Slurm
# cannot start (it says why).
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"
. "${WBGEN_SRCDIR:-.}/e2e/slurm/cluster.sh"

at_exit slurm_stop
if ! slurm_start 2>"$TMP/slurm.err"; then
	sed 's/^/# /' "$TMP/slurm.err"
	echo "1..0 # SKIP Slurm cannot start here: $(grep '^slurm: ' "$TMP/slurm.err" | tail -n 1)"
	exit 0
fi

PY=/usr/bin/python3
idx=$(index_build trace)
URL="file://$idx/simple/"
L=$TMP/local
O=$TMP/o
res() { _o=$1; shift; "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -o "$_o" --index-url "$URL" "$@"; }
mk() { _o=$1; shift; make -C "$_o" --no-print-directory "$@" >"$TMP/mout" 2>"$TMP/merr"; }
# the jobs of the job-completion file named wbgen:*, as "NAME STATE START END" (times in seconds)
jobs() {
	"$PY" -c 'import re, sys, datetime
for l in open(sys.argv[1]):
    f = dict(re.findall(r"(\w+)=(\S*)", l))
    if not f.get("Name", "").startswith("wbgen:"):
        continue
    t = lambda s: int(datetime.datetime.fromisoformat(s).timestamp())
    print(f["Name"], f["JobState"], t(f["StartTime"]), t(f["EndTime"]))' "$SLURM_JOBCOMP"
}
# the heavy phases a build ran, from its trace: "wbgen:PHASE:ID" lines, sorted
heavy() {
	"$PY" -c 'import json, sys
seen = set()
for l in open(sys.argv[1] + "/logs/trace.jsonl"):
    r = json.loads(l)
    if r["ev"] == "phase" and r["phase"] in ("build-system", "discover", "backend", "build", "deps") \
            and r["outcome"] != "up-to-date":
        seen.add("wbgen:%s:%s" % (r["phase"], r["id"]))
print("\n".join(sorted(seen)))' "$1"
}

# the end of the make started in the background ($mkpid, its process group), bounded (two minutes):
# mkrc its status, late 1 when it had to be killed
make_end() {
	late=0
	slurm_wait_exit "$mkpid" 1200 || late=1
	kill -KILL "-$mkpid" 2>/dev/null || :
	mkrc=0
	wait "$mkpid" || mkrc=$?
}

ok "srun runs a job on the test cluster" srun -n1 -N1 true
ok "a local build of the tree (the reference)" res "$L" top
ok "... make -j3 builds it" mk "$L" -j3

ok "resolve --launcher slurm --srun-option" res "$O" top --launcher slurm --srun-option --partition=wbgen
# this machine's file system is a local one: said, not refused (the nodes are this machine)
test_expect_success "... says that OUTDIR is on a local file system" \
	'res "$TMP/x" top --launcher slurm 2>"$TMP/warn" &&
	grep -q "^wbgen: warning: OUTDIR .*: it is a local file system (" "$TMP/warn"'
ok "... the Makefile names the launcher and srun's options" grep -qx 'WBGEN_LAUNCHER := srun' "$O/Makefile"
ok "... ..." grep -qx 'WBGEN_SRUN_FLAGS := --partition=wbgen' "$O/Makefile"
fails 2 "--srun-option wants no spaces" res "$TMP/x" top --launcher slurm --srun-option '--partition=a b'
fails 2 "--srun-option needs --launcher slurm" res "$TMP/x" top --srun-option --partition=wbgen
fails 2 "--launcher knows slurm and none" res "$TMP/x" top --launcher pbs
: >"$SLURM_JOBCOMP"
ok "make -j3 builds the tree through srun" mk "$O" -j3
cp "$TMP/mout" "$TMP/build.out"
jobs >"$TMP/jobs"
heavy "$L" >"$TMP/heavy.local"
test_expect_success "every heavy phase of the local build ran as a Slurm job named after it" \
	'test -s "$TMP/heavy.local" && awk "{ print \$1 }" "$TMP/jobs" | sort -u >"$TMP/names" &&
	diff "$TMP/heavy.local" "$TMP/names"'
test_expect_success "... and completed" '! grep -v " COMPLETED " "$TMP/jobs"'
test_expect_success "... the light phases (unpack, publish) ran here" \
	'! grep -q "^wbgen:\(unpack\|publish\|settings\|prebuilt\):" "$TMP/jobs" &&
	test -s "$O/work/top-1.0/src.stamp" && test -s "$O/mirror/top-1.0.stamp"'
test_expect_success "... the phases' progress lines came back through srun" \
	'grep -q "^\[[0-9]*/[0-9]*\] build  *top 1.0$" "$TMP/build.out"'
test_expect_success "... sized from the job settings (1 core, 1024 MB)" \
	'grep "Name=wbgen:build:top-1.0 " "$SLURM_JOBCOMP" | grep -q "Tres=cpu=1,mem=1G,"'
test_expect_success "the wheels are byte-identical to the local build's" \
	'(cd "$L/wheels-repo/downloads" && ls) >"$TMP/wl" && (cd "$O/wheels-repo/downloads" && ls) >"$TMP/wo" &&
	diff "$TMP/wl" "$TMP/wo" && test -s "$TMP/wl" &&
	while read -r f; do cmp "$L/wheels-repo/downloads/$f" "$O/wheels-repo/downloads/$f" || exit 1; done <"$TMP/wl"'
# the job-completion file has whole seconds: the phases' times recorded on the node (the trace) say
# which jobs overlapped, and the file must agree (to the second)
test_expect_success "two jobs ran at the same time" \
	'"$PY" -c "import json, sys
r = [json.loads(l) for l in open(sys.argv[1] + \"/logs/trace.jsonl\")]
p = [x for x in r if x[\"ev\"] == \"phase\" and x[\"outcome\"] != \"up-to-date\"]
j = dict((l.split()[0], [int(t) for t in l.split()[2:4]]) for l in open(sys.argv[2]))
both = [(a, b) for a in p for b in p if a is not b and a[\"start\"] < b[\"end\"] and b[\"start\"] < a[\"end\"]
        and \"wbgen:%s:%s\" % (a[\"phase\"], a[\"id\"]) in j and \"wbgen:%s:%s\" % (b[\"phase\"], b[\"id\"]) in j]
assert both, p
a, b = [j[\"wbgen:%s:%s\" % (x[\"phase\"], x[\"id\"])] for x in both[0]]
assert a[0] <= b[1] and b[0] <= a[1], (both[0], a, b)" "$O" "$TMP/jobs"'
ok "a second make runs nothing (no job)" mk "$O" -j3
ok "... no job" test "$(jobs | wc -l)" = "$(wc -l <"$TMP/jobs")"
ok "make WBGEN_LAUNCHER= runs the heavy phases here" mk "$O" -j3 -B WBGEN_LAUNCHER= top
ok "... no job" test "$(jobs | wc -l)" = "$(wc -l <"$TMP/jobs")"

# a job cancelled while its build sleeps
O2=$TMP/o2
ok "resolve a second tree with the launcher" res "$O2" top --launcher slurm
# in a process group of its own, stopped at the end whatever happens
setsid make -C "$O2" --no-print-directory -k -j3 >"$TMP/cout" 2>"$TMP/cerr" &
mkpid=$!
at_exit 'kill -TERM -'"$mkpid"' 2>/dev/null'
test_expect_success "the build of slow-a runs as a job" \
	'i=0; until squeue -h -t R -n wbgen:build:slow-a-1.0 -o %i | grep -q .; do
		i=$((i + 1)); test $i -lt 600 || exit 1; sleep 0.1; done'
ok "scancel it" scancel -n wbgen:build:slow-a-1.0
make_end
ok "make -k goes on and fails" test "$mkrc" -ne 0 -a "$late" = 0
cp "$TMP/cerr" "$TMP/cancel.err"
test_expect_success "... the phase failed in the launcher's name" \
	'grep -q "FAILED: build slow-a 1.0: the launcher failed: srun exited [0-9]*" "$TMP/cancel.err"'
ok "... failures.json says so" "$PY" -c 'import json, sys
f = json.load(open(sys.argv[1]))["failures"]
assert [(x["name"], x["phase"]) for x in f] == [("slow-a", "build")], f
assert f[0]["launcher"].startswith("srun exited "), f' "$O2/failures.json"
test_expect_success "... nothing half-written: no target, no wheel, no temporary file" \
	'test ! -e "$O2/work/slow-a-1.0/wheel.stamp" && ! ls "$O2/wheels-repo/downloads" | grep -q "^slow_a" &&
	! find "$O2/work/slow-a-1.0" "$O2/wheels-repo" -name "*.tmp*" | grep -q .'
ok "... the other packages were built (make -k)" test -e "$O2/work/lib-2-1.0/wheel.stamp"
ok "the next make completes the build" mk "$O2" -j3
test_expect_success "... with the same wheels" \
	'(cd "$O2/wheels-repo/downloads" && ls) >"$TMP/w2" && diff "$TMP/wl" "$TMP/w2" &&
	while read -r f; do cmp "$L/wheels-repo/downloads/$f" "$O2/wheels-repo/downloads/$f" || exit 1; done <"$TMP/wl"'
test_expect_success "no job is left" 'test -z "$(squeue -h)"'

# Ctrl-C on make (SIGINT to its process group) while a job runs: the jobs it started are cancelled
O3=$TMP/o3
ok "resolve a third tree with the launcher" res "$O3" top --launcher slurm
setsid make -C "$O3" --no-print-directory -j3 >"$TMP/iout" 2>"$TMP/ierr" &
mkpid=$!
at_exit 'kill -TERM -'"$mkpid"' 2>/dev/null'
test_expect_success "the build of slow-a runs as a job" \
	'i=0; until squeue -h -t R -n wbgen:build:slow-a-1.0 -o %i | grep -q .; do
		i=$((i + 1)); test $i -lt 600 || exit 1; sleep 0.1; done'
kill -INT "-$mkpid"
make_end
ok "Ctrl-C: make stops, failing" test "$mkrc" -ne 0 -a "$late" = 0
test_expect_success "... no job is left running (bounded wait)" \
	'i=0; while test -n "$(squeue -h)"; do i=$((i + 1)); test $i -lt 100 || exit 1; sleep 0.1; done'
ok "... the cancelled job is recorded as such" grep -q "Name=wbgen:build:slow-a-1.0 JobState=CANCELLED" "$SLURM_JOBCOMP"
ok "... no target of slow-a's build" test ! -e "$O3/work/slow-a-1.0/wheel.stamp"
ok "the next make completes the build" mk "$O3" -j3
test_expect_success "... with the same wheels" \
	'(cd "$O3/wheels-repo/downloads" && ls) >"$TMP/w3" && diff "$TMP/wl" "$TMP/w3" &&
	while read -r f; do cmp "$L/wheels-repo/downloads/$f" "$O3/wheels-repo/downloads/$f" || exit 1; done <"$TMP/wl"'

# The launch's own faults, on a tree whose slow-a build sleeps long enough to be caught (its
# settings' env: TINYBUILD_SLEEP), with the same sdists
F=$TMP/f
mkdir -p "$TMP/st/settings" "$TMP/st/patches"
: >"$TMP/st/settings.yaml"
printf 'env:\n  TINYBUILD_SLEEP: "30"\n' >"$TMP/st/settings/slow-a.yaml"
ok "resolve a tree whose slow-a build sleeps 30 s" res "$F" top --launcher slurm \
	--settings-file "$TMP/st/settings.yaml" --settings-dir "$TMP/st/settings" --patches-dir "$TMP/st/patches"
# start make -k in the background and wait until slow-a's build runs as a job
start_make() {
	setsid make -C "$F" --no-print-directory -k -j3 "$@" >"$TMP/fout" 2>"$TMP/ferr" &
	mkpid=$!
	at_exit 'kill -TERM -'"$mkpid"' 2>/dev/null'
}
build_runs() {
	_i=0
	until squeue -h -t R -n wbgen:build:slow-a-1.0 -o %i | grep -q .; do
		_i=$((_i + 1)); test $_i -lt 600 || return 1; sleep 0.1; done
}
# the srun of slow-a's build (its arguments name the job)
srun_pid() { pgrep -o -f -- "^srun .*--job-name=wbgen:build:slow-a-1.0 "; }
launcher_said() {
	"$PY" -c 'import json, sys
f = [x for x in json.load(open(sys.argv[1]))["failures"] if (x["name"], x["phase"]) == ("slow-a", "build")]
assert f and sys.argv[2] in f[0].get("launcher", ""), f
print(f[0]["launcher"])' "$F/failures.json" "$1"
}
nothing_half_written() {
	test ! -e "$F/work/slow-a-1.0/wheel.stamp" && ! ls "$F/wheels-repo/downloads" | grep -q "^slow_a" &&
	! find "$F/work/slow-a-1.0" "$F/wheels-repo" -name "*.tmp*" | grep -q .
}
no_job_left() {
	_i=0; while squeue -h -n "$1" -o %i | grep -q .; do _i=$((_i + 1)); test $_i -lt 200 || return 1; sleep 0.1; done
}

start_make
ok "srun killed: slow-a's build runs as a job" build_runs
ok "... kill -9 its srun" kill -KILL "$(srun_pid)"
make_end
ok "... make -k goes on and fails" test "$mkrc" -ne 0 -a "$late" = 0
test_expect_success "... the phase failed in the launcher's name, saying srun was killed" \
	'grep -q "FAILED: build slow-a 1.0: the launcher failed: srun was killed by signal 9" "$TMP/ferr"'
ok "... failures.json says so" launcher_said "srun was killed by signal 9"
ok "... nothing half-written" nothing_half_written
ok "... no job is left (Slurm ends a step whose srun is gone; the launcher cancels it)" \
	no_job_left wbgen:build:slow-a-1.0
ok "... the other packages were built (make -k)" test -e "$F/work/lib-2-1.0/wheel.stamp"

# the node lost while slow-a builds: slurmd, the step's slurmstepd and the build killed at once;
# srun says "Node failure" when the controller declares the node down (SlurmdTimeout), and exits 0
start_make
ok "node lost: slow-a's build runs as a job again (the rerun)" build_runs
ok "... the node dies" slurm_node_lose
test_expect_success "... the phase fails in the launcher's name once Slurm declares the node lost" \
	'_i=0; until grep -q "FAILED: build slow-a 1.0: the launcher failed" "$TMP/ferr"; do
		_i=$((_i + 1)); test $_i -lt 900 || exit 1; sleep 0.1; done'
ok "... the node comes back" slurm_node_back
make_end
ok "... make -k ends, failing" test "$mkrc" -ne 0 -a "$late" = 0
ok "... failures.json has srun's word: Node failure" launcher_said "Node failure"
test_expect_success "... as does the phase's log" \
	'grep -q "^--- srun, the launcher, said:" "$F/logs/slow-a-1.0/build.log" &&
	grep -q "srun: error: Node failure" "$F/logs/slow-a-1.0/build.log"'
ok "... nothing half-written" nothing_half_written

# a node that does not mount OUTDIR's file system at the same path: its task starts elsewhere
# (slurmstepd goes to /tmp); srun --chdir=/tmp does the same here
test_expect_exit 2 "a node without OUTDIR: the phases launched there fail" \
	'make -C "$F" --no-print-directory -k -j3 WBGEN_SRUN_FLAGS=--chdir=/tmp >"$TMP/cout" 2>"$TMP/cerr"'
test_expect_success "... each saying why, in the launcher's name" \
	'grep -q "FAILED: build slow-a 1.0: the launcher failed: srun exited 1: wbgen: step: OUTDIR .$F. is not on node .* at the same path" "$TMP/cerr"'
ok "... failures.json says so" launcher_said "is not on node"

# a pending job whose srun is killed: Slurm would give it the node later and keep it, idle
ok "a job that fills the node" sh -c 'sbatch -Q -o /dev/null --exclusive -J blocker --wrap "sleep 300" >/dev/null'
test_expect_success "... runs" \
	'_i=0; until squeue -h -t R -n blocker -o %i | grep -q .; do
		_i=$((_i + 1)); test $_i -lt 300 || exit 1; sleep 0.1; done'
start_make
test_expect_success "... a heavy phase's job waits for it" \
	'_i=0; until squeue -h -t PD -o %j | grep -q "^wbgen:"; do
		_i=$((_i + 1)); test $_i -lt 600 || exit 1; sleep 0.1; done'
pending=$(squeue -h -t PD -o '%i %j' | grep ' wbgen:' | head -n 1)
pjob=${pending%% *}
pname=${pending#* }
ok "... kill -9 its srun ($pname, job $pjob)" kill -KILL "$(pgrep -o -f -- "^srun .*--job-name=$pname ")"
test_expect_success "... the launcher cancels the pending job" \
	'_i=0; while squeue -h -j "$pjob" -o %i 2>/dev/null | grep -q .; do
		_i=$((_i + 1)); test $_i -lt 200 || exit 1; sleep 0.1; done'
make_end
ok "... make -k ends, failing" test "$mkrc" -ne 0 -a "$late" = 0
ok "... failures.json says srun was killed" launcher_said "srun was killed by signal 9"
# make killed with all its processes while a job waits: nobody is left to cancel it
start_make
test_expect_success "make killed (SIGKILL to all its processes) while its job waits" \
	'_i=0; until squeue -h -t PD -o %j | grep -q "^wbgen:"; do
		_i=$((_i + 1)); test $_i -lt 600 || exit 1; sleep 0.1; done &&
	kill -KILL "-$mkpid"'
make_end
left=$(squeue -h -t PD -o '%i %j' | grep ' wbgen:' | cut -d' ' -f1 | tr '\n' ' ')
ok "... the job stays queued ($left)" test -n "$left"
ok "... scancel the job that filled the node" scancel -n blocker
rm -f "$TMP/st/settings/slow-a.yaml"
ok "the next make cancels the jobs the killed one left, and completes the build" mk "$F" -j3
test_expect_success "... it said so" \
	'grep -q "^wbgen: cancelling [0-9]* jobs\{0,1\} an earlier make left in this OUTDIR: " "$TMP/merr"'
test_expect_success "... and they are gone" \
	'for j in $left; do ! squeue -h -j "$j" -o %i 2>/dev/null | grep -q . || exit 1; done'
test_expect_success "... with the same wheels" \
	'(cd "$F/wheels-repo/downloads" && ls) >"$TMP/wf" && diff "$TMP/wl" "$TMP/wf" &&
	while read -r f; do cmp "$L/wheels-repo/downloads/$f" "$F/wheels-repo/downloads/$f" || exit 1; done <"$TMP/wl"'

# Inside an allocation (salloc, as a batch script would): each heavy phase is a step of it, not a
# job of its own; and a launch that fails there cancels its step, never the allocation
A=$TMP/a
ok "resolve a tree to build inside an allocation" res "$A" top --launcher slurm
: >"$SLURM_JOBCOMP"
ok "salloc -n2 -J alloc: make -j2 in it builds the tree" \
	salloc -Q -n2 --mem=4G -J alloc sh -c 'make -C "$0" --no-print-directory -j2 >"$1" 2>&1' "$A" "$TMP/aout"
alloc=$(sed -n 's/.*JobId=\([0-9]*\) .*Name=alloc .*/\1/p' "$SLURM_JOBCOMP")
ok "... the allocation is one completed job ($alloc)" test -n "$alloc"
ok "... and the only one: no phase had a job of its own" test "$(jobs | wc -l)" = 0
test_expect_success "... every heavy phase ran as a step of it (their outcomes say JOB.STEP)" \
	'ls "$A"/logs/*/*.log.launched >"$TMP/launched" && test -s "$TMP/launched" &&
	heavy "$A" | wc -l >"$TMP/nheavy" && test "$(wc -l <"$TMP/launched")" -ge "$(cat "$TMP/nheavy")" &&
	while read -r f; do read -r st tg step node <"$f" && test "$st" = 0 &&
		case $step in "$alloc".[0-9]*) ;; *) exit 1 ;; esac || exit 1; done <"$TMP/launched"'
test_expect_success "... the same wheels" \
	'(cd "$A/wheels-repo/downloads" && ls) >"$TMP/wa" && diff "$TMP/wl" "$TMP/wa" &&
	while read -r f; do cmp "$L/wheels-repo/downloads/$f" "$A/wheels-repo/downloads/$f" || exit 1; done <"$TMP/wl"'

A2=$TMP/a2
printf 'env:\n  TINYBUILD_SLEEP: "30"\n' >"$TMP/st/settings/slow-a.yaml"
ok "resolve the slow tree again, to build inside an allocation" res "$A2" top --launcher slurm \
	--settings-file "$TMP/st/settings.yaml" --settings-dir "$TMP/st/settings" --patches-dir "$TMP/st/patches"
setsid salloc -Q -n2 --mem=4G -J alloc2 sh -c 'make -C "$0" --no-print-directory -k -j2 >"$1" 2>&1; echo $? >"$2"' \
	"$A2" "$TMP/a2out" "$TMP/a2rc" 2>"$TMP/a2err" &
mkpid=$!
at_exit 'kill -TERM -'"$mkpid"' 2>/dev/null'
test_expect_success "in the allocation, slow-a's build runs as a step" \
	'_i=0; until squeue -h -s -o %j | grep -qx wbgen:build:slow-a-1.0; do
		_i=$((_i + 1)); test $_i -lt 900 || exit 1; sleep 0.1; done'
ok "... kill -9 its srun" kill -KILL "$(srun_pid)"
make_end
ok "... salloc's make ended (make -k), failing" test "$late" = 0 -a "$(cat "$TMP/a2rc")" -ne 0
test_expect_success "... the phase failed in the launcher's name" \
	'grep -q "FAILED: build slow-a 1.0: the launcher failed: srun was killed by signal 9" "$TMP/a2out"'
test_expect_success "... the allocation was not cancelled: it ended when its make did" \
	'grep -q "Name=alloc2 JobState=COMPLETED" "$SLURM_JOBCOMP"'
ok "... the others were built in it (make -k)" test -e "$A2/work/lib-2-1.0/wheel.stamp"

test_expect_success "no job is left" 'test -z "$(squeue -h)"'

done_testing
