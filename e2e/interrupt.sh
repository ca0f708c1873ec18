# interrupt.sh (make check-slow): kill -9 and SIGINT at random moments of `wbgen resolve` and of
# `make -j8` on a small tree served over HTTP (scenario `interrupt`), then run the same command again
# to completion: the result must equal an uninterrupted run's (resolve: plan.json, graph.json,
# build-order.json, constraints.txt, resolve-args.json, the Makefile, every pkg.json and the sdists;
# make: the mirror's files and their sha256s, the wheels, plan.json, graph.json, build-order.json),
# with no temporary file left in the mirror or the downloads, and `make -q` answering 0; a killed resolve
# leaves `.wbgen-resolved` only next to a complete plan. Every other trial keeps the cache (its sdists
# then hard-linked into OUTDIR).
#
# The signal goes to the whole process group (make, wbgen step, the hooks' interpreters), as a
# Ctrl-C or a killed CI job does. Trials are drawn from a fixed seed (WBGEN_INTERRUPT_SEED), their
# number from WBGEN_INTERRUPT_MAKE (28) and WBGEN_INTERRUPT_RESOLVE (22); every command runs under a
# timeout, and the whole run must fit in WBGEN_INTERRUPT_BUDGET seconds (900).
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
SEED=${WBGEN_INTERRUPT_SEED:-20261126}
NMAKE=${WBGEN_INTERRUPT_MAKE:-28}
NRES=${WBGEN_INTERRUPT_RESOLVE:-22}
BUDGET=${WBGEN_INTERRUPT_BUDGET:-900}
start=$(date +%s)

idx=$(index_build interrupt)
index_serve "$idx"
O=$TMP/o
C=$TMP/cache

res() { timeout 120 "$WBGEN" resolve --python "$PY" --cache-dir "$C" -o "$O" --index-url "$INDEX_URL" top; }
mk() { timeout 300 make -C "$O" --no-print-directory -j8 "$@"; }
fresh() { rm -rf "$O" "$C"; }

# what a resolve leaves: the plan files, the build's data, the sdists
resolve_state() {
	(cd "$O" && cat plan.json graph.json build-order.json constraints.txt resolve-args.json Makefile &&
		for f in work/*/pkg.json; do echo "== $f"; cat "$f"; done &&
		ls -A sdists-repo/downloads && sha256sum sdists-repo/downloads/*)
}
# what a build leaves: every file of the mirror and its sha256, the wheels, the plan files
build_state() {
	(cd "$O" && find wheels-repo -type f | sort | xargs sha256sum && ls -A wheels-repo/downloads mirror &&
		cat plan.json graph.json build-order.json)
}

# interrupt SIGNAL DELAY COMMAND...: run COMMAND in its own process group with SIGINT at its
# default (a background job of a script ignores it), send SIGNAL to the group after DELAY seconds,
# and wait until every process of the group is gone
interrupt() {
	_sig=$1
	_delay=$2
	shift 2
	setsid env --default-signal=INT "$@" >"$TMP/int.out" 2>&1 &
	_pid=$!
	sleep "$_delay"
	# (kill -SIG -PGID: dash's kill takes neither "--" nor "-s SIG -PGID")
	kill -"$_sig" -"$_pid" 2>/dev/null || kill -"$_sig" "$_pid" 2>/dev/null || true
	wait "$_pid" 2>/dev/null || true
	_i=0
	while kill -0 -"$_pid" 2>/dev/null; do
		[ "$_i" -lt 200 ] || { echo "process group $_pid survives" >&2; return 1; }
		kill -KILL -"$_pid" 2>/dev/null || true
		_i=$((_i + 1))
		sleep 0.05
	done
}

# no temporary file where the published files are
clean_dirs() {
	! find "$O/wheels-repo" "$O/sdists-repo" "$O/mirror" -name '*.tmp*' -o -name '.*tmp*' -o -name '*.part' 2>/dev/null | grep -q .
}

# ---- the reference: one uninterrupted resolve, then make
fresh
ok "reference: resolve" res
resolve_state >"$TMP/ref.resolve"
ok "reference: make -j8" mk
build_state >"$TMP/ref.build"
ok "reference: 13 wheels" test "$(ls "$O/wheels-repo/downloads" | wc -l)" -eq 13
ref_time=$(($(date +%s) - start))
echo "# reference resolve + build: ${ref_time}s"

# ---- the trials, drawn from the seed: "KIND SIGNAL DELAY" (resolve delays up to 0.6 s, make up to 6 s)
awk -v seed="$SEED" -v nm="$NMAKE" -v nr="$NRES" 'BEGIN {
	srand(seed)
	total = nm + nr
	for (i = 0; i < total; i++) {
		kind = i % 5 < 2 && nr-- > 0 ? "resolve" : nm-- > 0 ? "make" : "resolve"
		sig = rand() < 0.5 ? "KILL" : "INT"
		printf "%s %s %.3f\n", kind, sig, kind == "resolve" ? rand() * 0.6 : rand() * 6
	}
}' >"$TMP/trials"
n=0
late=0
while read -r kind sig delay; do
	n=$((n + 1))
	if [ $(($(date +%s) - start)) -gt "$BUDGET" ]; then
		late=$((late + 1))
		continue
	fi
	# every other trial keeps the cache: its sdists are then hard-linked into OUTDIR, not downloaded
	if [ $((n % 2)) -eq 0 ]; then rm -rf "$O"; else fresh; fi
	t="trial $n: $kind, SIG$sig after ${delay}s"
	if [ "$kind" = resolve ]; then
		interrupt "$sig" "$delay" "$WBGEN" resolve --python "$PY" --cache-dir "$C" -o "$O" --index-url "$INDEX_URL" top ||
			ok "$t: the killed process group ends" false
		# .wbgen-resolved is written last: where it is, everything before it is complete
		if [ -e "$O/.wbgen-resolved" ]; then
			resolve_state >"$TMP/killed.resolve" 2>&1 || true
			ok "$t: .wbgen-resolved only next to a complete plan" cmp -s "$TMP/ref.resolve" "$TMP/killed.resolve"
		fi
		if ! res 2>"$TMP/rerun.err"; then
			test_expect_success "$t: the rerun completes" 'cat "$TMP/rerun.err"; false'
			continue
		fi
		resolve_state >"$TMP/got.resolve" 2>&1 || true
		test_expect_success "$t: rerun completes, same plan, Makefile and sdists" \
			'cmp "$TMP/ref.resolve" "$TMP/got.resolve" || { diff "$TMP/ref.resolve" "$TMP/got.resolve" | head -20; false; }'
		test_expect_success "$t: ... no temporary file or .wbgen-resolving mark left in OUTDIR" \
			'! find "$O" -name "*.tmp.*" -o -name .wbgen-resolving | grep .'
		# every fifth resolve trial also builds, from the state the killed resolve left
		if [ $((n % 5)) -eq 0 ]; then
			mk >"$TMP/mk.out" 2>&1 || true
			build_state >"$TMP/got.build" 2>&1 || true
			ok "$t: ... and the build gives the same mirror" cmp "$TMP/ref.build" "$TMP/got.build"
		fi
	else
		res >/dev/null 2>&1 || true
		interrupt "$sig" "$delay" make -C "$O" --no-print-directory -j8 || ok "$t: the killed process group ends" false
		mk >"$TMP/mk.out" 2>&1 || { test_expect_success "$t: the rerun completes" 'tail -20 "$TMP/mk.out"; false'; continue; }
		build_state >"$TMP/got.build" 2>&1 || true
		test_expect_success "$t: rerun completes, same mirror, wheels, plan and graph" \
			'cmp "$TMP/ref.build" "$TMP/got.build" || { diff "$TMP/ref.build" "$TMP/got.build" | head -20; false; }'
		test_expect_success "$t: ... no temporary file left, make -q answers 0" 'clean_dirs && make -C "$O" -q'
	fi
done <"$TMP/trials"
ok "$n trials ($NMAKE of make, $NRES of resolve), at least 50" test "$n" -ge 50
ok "every trial ran within the budget of ${BUDGET}s ($late skipped)" test "$late" -eq 0
echo "# $n trials in $(($(date +%s) - start))s"

done_testing
