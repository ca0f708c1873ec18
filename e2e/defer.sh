# defer.sh: discovery without make restarts (docs/makefile.md, "Discovery inside make: deferral and
# the outer loop"), on the small build tree (e2e/fixtures/scenarios/build.py small=1), where dbk-c's
# get_requires_for_build_wheel asks for dbk-b, dbk-b's for dbk-a and dbk-a's for dyn-helper:
# - a cold build defers dbk-c and what needs it (dyn-app) while every unrelated package is built
#   in the same inner make, and the outer make runs the inner one again until the plan stops
#   changing: every wheel, make -q 0, no makefile fragment;
# - every rule exists before discovery: make -n shows dyn-app's build on the cold plan;
# - a tree whose backend requirements are all known to the plan (the discovered.json of an earlier
#   build) is built by one inner make, with the same wheels; so is a second build after resolving
#   again; make NAME defers and finishes the same way;
# - a failure without -k stops the outer loop even when the plan changed; make -k then goes on.
# The inner makes are counted through make's MAKE variable (the outer make's recipe runs $(MAKE)).
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
PY=/usr/bin/python3
SCEN="${WBGEN_SRCDIR:-.}/e2e/fixtures/scenarios/build.py"
MAKE_TIMEOUT=${MAKE_TIMEOUT:-300}

"$PY" -B "$SCEN" small=1 >"$TMP/reqs.txt"
idx=$(index_build build small=1)
index_serve "$idx"
URL=$INDEX_URL

cat >"$TMP/count-make" <<'EOF'
#!/bin/sh
echo run >>"${WBGEN_TEST_RUNS:?}"
exec make "$@"
EOF
chmod +x "$TMP/count-make"

resolve() {
	"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -r "$TMP/reqs.txt" --index-url "$URL" -o "$1"
}
# mk NAME OUT [ARG...]: make -j4 in OUT, its output in $TMP/NAME.log, its inner makes counted in $TMP/NAME.runs
mk() {
	_name=$1
	_out=$2
	shift 2
	: >"$TMP/$_name.runs"
	if WBGEN_TEST_RUNS="$TMP/$_name.runs" timeout "$MAKE_TIMEOUT" make -C "$_out" -j4 MAKE="$TMP/count-make" "$@" \
		>"$TMP/$_name.log" 2>&1; then
		return 0
	else
		_rc=$?
		tail -n 40 "$TMP/$_name.log"
		return "$_rc"
	fi
}
runs() { wc -l <"$TMP/$1.runs" | tr -d ' '; }
# every package of OUT's plan (17 of them) is in the mirror
all_mirrored() {
	"$PY" -c 'import json, os, sys
o = sys.argv[1]
pk = json.load(open(o + "/plan.json"))["packages"]
miss = [p["name"] for p in pk if not os.path.exists("%s/mirror/%s-%s.stamp" % (o, p["name"], p["version"]))]
assert not miss and len(pk) == 17, (len(pk), miss)' "$1"
}

C=$TMP/cold
ok "small tree: resolve" resolve "$C"
test_expect_success "... the plan does not know dbk-b yet" '! grep -q "\"dbk-b\"" "$C/plan.json"'
test_expect_success "... make -n shows dyn-app's build, whose backend is not discovered yet" \
	'make -C "$C" -n >"$TMP/n.log" 2>&1 && grep -q "step build dyn-app-1.0 dbk-c-1.0" "$TMP/n.log"'
ok "cold make -j4" mk cold "$C"
# the output of the first inner make: up to the outer make's first "make again"
sed '/^wbgen: the plan changed during the build/q' "$TMP/cold.log" >"$TMP/cold.first"
ok "... the first inner make deferred dbk-c for its new build requirement" grep -q \
	"deferred *dbk-c 1.0 (new build requirement dbk-b>=1.0: the build goes on after re-resolving)" "$TMP/cold.first"
for p in tinybuild chain-b1 chain-b2 chain-b3 chain-rt chain-app dia-top dia-left dia-right dia-bottom lib-01 lib-02; do
	ok "... and published $p in that same run" grep -Eq "^\[[0-9]+/[0-9]+\] publish +$p " "$TMP/cold.first"
done
test_expect_success "... but built neither dbk-c nor dyn-app, which needs it" \
	'! grep -Eq "^\[[0-9]+/[0-9]+\] build +(dbk-c|dyn-app) " "$TMP/cold.first"'
test_expect_success "... the outer make ran the inner one again after each change of the plan" \
	'n=$(runs cold) && test "$n" -ge 2 &&
	test "$(grep -c "^wbgen: the plan changed during the build" "$TMP/cold.log")" -eq $((n - 1))'
ok "... every package of the final plan (dbk-b, dbk-a, dyn-helper discovered) is in the mirror" all_mirrored "$C"
ok "... the summary says nothing failed" grep -q "^wbgen: .*failed 0$" "$TMP/cold.log"
test_expect_success "... no makefile fragment was written" 'test -z "$(find "$C/work" -name "*.mk")"'
ok "... make -q: up to date" make -q -C "$C"
ok "a second make" mk again "$C"
ok "... one inner make" test "$(runs again)" = 1
ok "... no phase ran" grep -q "^wbgen: 0 phases run" "$TMP/again.log"

K=$TMP/known
known() { mkdir -p "$K" && cp "$C/discovered.json" "$K/" && resolve "$K"; }
ok "a fresh directory with the cold build's discovered.json: resolve" known
ok "... make -j4" mk known "$K"
ok "... one inner make: every backend requirement was known to the plan" test "$(runs known)" = 1
test_expect_success "... nothing deferred" '! grep -q "deferred" "$TMP/known.log"'
ok "... every package in the mirror" all_mirrored "$K"
(cd "$C/wheels-repo/downloads" && sha256sum ./*.whl) >"$TMP/cold.sums"
test_expect_success "... the same wheels as the cold build" \
	'cd "$K/wheels-repo/downloads" && sha256sum ./*.whl | diff - "$TMP/cold.sums"'

ok "the cold build's directory: resolve again" resolve "$C"
ok "... make clean" make -C "$C" clean
ok "... make -j4" mk second "$C"
ok "... one inner make" test "$(runs second)" = 1
ok "... every package in the mirror" all_mirrored "$C"
ok "... make -q: up to date" make -q -C "$C"

G=$TMP/goal
ok "small tree, fresh: resolve" resolve "$G"
ok "... make dyn-app" mk goal "$G" dyn-app
ok "... more than one inner make" test "$(runs goal)" -ge 2
test_expect_success "... dyn-app and its discovered backends are in the mirror" \
	'for p in dyn-app-1.0 dbk-c-1.0 dbk-b-1.0 dbk-a-1.0; do
	test -f "$G/mirror/$p.stamp" || exit 1; done'
ok "... chain-app, which dyn-app does not need, is not" test ! -e "$G/mirror/chain-app-1.0.stamp"
ok "... make -q dyn-app: up to date" make -q -C "$G" dyn-app

# A failure without -k in an inner make that also changed the plan: make stopped, so the outer make does
# not run it again (it says so); make -k afterwards goes on with the new plan. -j1 for a fixed order:
# dbk-c's discovery (which changes the plan) comes before lib-02's build (which fails).
F=$TMP/fail
idx_fail=$(index_build build small=1 fail=lib-02)
index_serve "$idx_fail"
URL=$INDEX_URL
ok "small tree, fail=lib-02: resolve" resolve "$F"
fails 2 "... make -j1 without -k: fails" mk failstop "$F" -j1
ok "... one inner make" test "$(runs failstop)" = 1
test_expect_success "... in which dbk-c's discovery changed the plan" \
	'grep -q "deferred *dbk-c 1.0" "$TMP/failstop.log" &&
	grep -q "\"dbk-b\"" "$F/plan.json"'
ok "... the outer make says why it does not run make again" grep -q \
	"^wbgen: the plan changed during the build ([0-9]* phases deferred), but make failed: not run again" \
	"$TMP/failstop.log"
ok "... and names the failure" grep -q "^wbgen: failed: build lib-02 1.1" "$TMP/failstop.log"
fails 2 "make -k -j4 then: fails again (lib-02)" mk failgo "$F" -k
ok "... more than one inner make" test "$(runs failgo)" -ge 2
test_expect_success "... dyn-app and its discovered backends are in the mirror, lib-02 is not" '
	for p in dyn-app-1.0 dbk-c-1.0 dbk-b-1.0 dbk-a-1.0; do test -f "$F/mirror/$p.stamp" || exit 1; done
	test ! -e "$F/mirror/lib-02-1.1.stamp"'
ok "... lib-02 is the one failure" "$PY" -c 'import json, sys
f = json.load(open(sys.argv[1] + "/failures.json"))["failures"]
assert [(x["name"], x["phase"]) for x in f] == [("lib-02", "build")], f' "$F"

done_testing
