# sharedfs.sh: with a launcher (docs/cluster.md), OUTDIR's file system must be one the nodes can
# share. `wbgen resolve --launcher slurm` and every make with WBGEN_LAUNCHER refuse one whose
# flock() is local to each node (here an NFS mount with local_lock=flock: the test shows wbgen a
# mount table that says so, /proc/self/mountinfo bound over in a mount namespace of its own) and
# say when it is a local one; and a launched phase refuses a node where OUTDIR or the interpreter
# is not at the same path. No Slurm is needed: the launched phase is run as srun would run it.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
idx=$(index_build trace)
URL="file://$idx/simple/"
W=$(cd "$TMP" && pwd -P)/w
mkdir "$W"
res() { _o=$1; shift; "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -o "$_o" --index-url "$URL" "$@"; }

# mountinfo TYPE OPTIONS: this machine's mount table with a mount of TYPE on $W, in $TMP/mountinfo
mountinfo() {
	{ cat /proc/self/mountinfo; echo "999 1 0:999 / $W rw,relatime shared:999 - $1 nas:/export $2"; } \
		>"$TMP/mountinfo"
}
# faked COMMAND...: COMMAND in a mount namespace of its own that sees $TMP/mountinfo as its mount
# table (exec keeps the process, so /proc/self is the one bound over)
faked() {
	unshare -m sh -c 'mount --bind "$0" /proc/$$/mountinfo && exec "$@"' "$TMP/mountinfo" "$@"
}

mountinfo nfs4 rw,vers=4.2,local_lock=none
if ! faked grep -q "0:999 / $W " /proc/self/mountinfo 2>"$TMP/unshare.err"; then
	echo "1..0 # SKIP no mount namespace here (unshare -m, mount --bind): $(head -n 1 "$TMP/unshare.err")"
	exit 0
fi

ok "NFSv4 (local_lock=none): resolve --launcher slurm takes it" faked "$WBGEN" resolve --python "$PY" \
	--cache-dir "$TMP/cache" -o "$W/a" --index-url "$URL" top --launcher slurm
test_expect_success "... and says nothing of it" '! grep -q "warning\|OUTDIR" "$TMP/err"'

mountinfo nfs rw,vers=3,hard,proto=tcp,local_lock=flock,addr=10.0.0.1
fails 1 "NFS with local_lock=flock: resolve --launcher slurm refuses it" faked "$WBGEN" resolve --python "$PY" \
	--cache-dir "$TMP/cache" -o "$W/b" --index-url "$URL" top --launcher slurm
test_expect_success "... in one line naming OUTDIR, the reason and the mount" \
	'test "$(wc -l <"$TMP/err")" = 1 &&
	grep -qx "wbgen: .$W/b. cannot be the OUTDIR of a build on a cluster: its flock() is local to each node (mounted with local_lock=flock): mount it with local_lock=none and a lock manager, or NFSv4 (nfs nas:/export on $W) (docs/cluster.md)" "$TMP/err"'
ok "... writing no plan and no Makefile" test ! -e "$W/b/Makefile" -a ! -e "$W/b/plan.json"
ok "without --launcher the file system is not looked at" faked "$WBGEN" resolve --python "$PY" \
	--cache-dir "$TMP/cache" -o "$W/c" --index-url "$URL" top
test_expect_success "... and nothing is said" '! grep -q "warning\|OUTDIR" "$TMP/err"'

# a make with the launcher on that file system: the outer make's `wbgen-step run` refuses to start
ok "a Makefile resolved without the launcher" faked "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" \
	-o "$W/d" --index-url "$URL" top
STEP=$(sed -n 's/^WBGEN_STEP := //p' "$W/d/Makefile")
# what make WBGEN_LAUNCHER=srun runs first, in that mount table
run_faked() { (cd "$W/d" && export WBGEN_LAUNCHER=srun && faked "$STEP" run make --no-print-directory WBGEN_INNER=1); }
fails 1 "make WBGEN_LAUNCHER=srun refuses it (wbgen-step run)" run_faked
test_expect_success "... saying why, and that make WBGEN_LAUNCHER= builds here" \
	'grep -q "^wbgen: .$W/d. cannot be the OUTDIR of a build on a cluster: its flock() is local to each node.*make WBGEN_LAUNCHER= builds here)$" "$TMP/err"'
ok "... nothing ran" test ! -e "$W/d/logs/trace.jsonl"

# on this machine's real file system: a local one is said, not refused
O=$TMP/o
ok "this machine's own file system: resolve --launcher slurm takes it" res "$O" top --launcher slurm
test_expect_success "... saying it is a local file system" \
	'grep -q "^wbgen: warning: OUTDIR .*: it is a local file system (.*): nodes other than this machine see it only if this machine serves it to them at the same path" "$TMP/err"'

# a launched phase on a node that does not see OUTDIR at the same path (slurmstepd then starts the
# task in /tmp), that sees another directory there, or lacks the interpreter
ok "make -j3 builds the tree here (WBGEN_LAUNCHER=)" make -C "$O" --no-print-directory -j3 WBGEN_LAUNCHER=
launched() { _d=$1; shift; (cd "$_d" && WBGEN_LAUNCHED=1 WBGEN_LAUNCH_DIR=$O "$STEP" "$@"); }
fails 1 "a launched phase where OUTDIR is not (the task runs in /tmp)" launched /tmp build top-1.0
ok "... says so" grep -q "^wbgen: step: OUTDIR '$O' is not on node .* at the same path (the phase runs in '/tmp'): every node must mount OUTDIR's file system at the same path" "$TMP/err"
mkdir "$TMP/other"
fails 1 "a launched phase where another directory is at OUTDIR's path" \
	sh -c 'cd "$1" && WBGEN_LAUNCHED=1 WBGEN_LAUNCH_DIR=$1 exec "$2" build top-1.0' sh "$TMP/other" "$STEP"
ok "... says so" grep -q "^wbgen: step: '$TMP/other' on node .* is not the OUTDIR made by wbgen resolve (no plan.json)" "$TMP/err"
cp -a "$O" "$TMP/o2"
sed -i 's|"python": *"[^"]*"|"python": "/no/such/python3"|' "$TMP/o2/work/top-1.0/pkg.json"
fails 1 "a launched phase on a node without the target interpreter" \
	sh -c 'cd "$1" && WBGEN_LAUNCHED=1 WBGEN_LAUNCH_DIR=$1 exec "$2" build top-1.0' sh "$TMP/o2" "$STEP"
ok "... says so" grep -q "^wbgen: step: the target interpreter '/no/such/python3' is not on node .*: it must be at the same path on every node" "$TMP/err"
ok "... and leaves the phase's target alone" test -s "$TMP/o2/work/top-1.0/wheel.stamp"

done_testing
