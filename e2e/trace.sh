# trace.sh: the build's trace (logs/trace.jsonl) and what is made of it: every phase's record
# (times, CPU, memory, outcome, run and pass), phases running at once, a make killed in the middle,
# a failure; the summary's wall time and slowest phases; the [k/T] count never going backwards
# across a deferral; `wbgen report` (HTML, SVG, Chrome trace events) and `make report`, whose figures
# and bars must equal the trace's (e2e/fixtures/tracecheck.py recomputes them).
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
idx=$(index_build trace)
URL="file://$idx/simple/"
O=$TMP/o
CHK="${WBGEN_SRCDIR:-.}/e2e/fixtures/tracecheck.py"
chk() { "$PY" "$CHK" "$@"; }
res() { _o=$1; shift; "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -o "$_o" --index-url "$URL" "$@"; }
mk() { make -C "$O" --no-print-directory "$@" >"$TMP/mout" 2>"$TMP/merr"; }
# the figure ID of the HTML report FILE
fig() { "$PY" -c 'import sys, xml.etree.ElementTree as ET
print("%g" % float([t for t in ET.parse(sys.argv[1]).iter("td") if t.get("id") == sys.argv[2]][0].get("data-value")))' "$1" "$2"; }
# the records of kind EV in the trace of OUTDIR
nrec() { grep -c "^{\"ev\":\"$2\"" "$1/logs/trace.jsonl" || true; }

ok "resolve" res "$O" top
ok "make -j3 builds the tree, discovering a build requirement" mk -j3
ok "... the plan changed during the build" grep -q "the plan changed during the build" "$TMP/mout"
ok "the trace: every line a record, every phase that began ended, with times, CPU and memory" chk trace "$O"
cp "$TMP/out" "$TMP/outcomes"
test_expect_success "... the outcomes are the summary's counts" \
	'b=$(sed -n "s/.*\"built\": \([0-9]*\).*/\1/p" "$TMP/outcomes")
	u=$(sed -n "s/.*\"up-to-date\": \([0-9]*\).*/\1/p" "$TMP/outcomes")
	grep -q "^wbgen: [0-9]* phases run in [0-9.]* s: built $b, up to date ${u:-0}, failed 0$" "$TMP/mout"'
ok "... the deferred phase is recorded as deferred" grep -q '"outcome":"deferred"' "$O/logs/trace.jsonl"
test_expect_success "... one run, its start and end recorded, -j3" \
	'test "$(grep -c "^{\"ev\":\"run\",.*\"jobs\":3,\"goals\":\"all\"}$" "$O/logs/trace.jsonl")" = 1 &&
	test "$(grep -c "^{\"ev\":\"run-end\",.*\"status\":0}$" "$O/logs/trace.jsonl")" = 1'
test_expect_success "... two inner makes (passes), each phase naming its pass" \
	'grep -q "^{\"ev\":\"pass\",.*\"pass\":2," "$O/logs/trace.jsonl" &&
	grep -q "\"pass\":2,\"id\":" "$O/logs/trace.jsonl" && ! grep -q "\"pass\":0," "$O/logs/trace.jsonl"'
ok "... the environment phases name the wheels they install" grep -q '"phase":"build-system".*"deps":\["backend-b-1.0"\]' "$O/logs/trace.jsonl"
ok "... phases ran at the same time" chk overlap "$O"
ok "the [k/T] count never goes backwards, nor past T" chk progress "$TMP/mout"
ok "the summary gives the three slowest phases of the trace" "$PY" -c 'import json, re, sys
r = [json.loads(l) for l in open(sys.argv[1])]
d = sorted((x["end"] - x["start"] for x in r if x["ev"] == "phase" and x["outcome"] != "up-to-date"), reverse=True)
line = [l for l in open(sys.argv[2]) if l.startswith("wbgen: slowest: ")][0]
got = [float(v) for v in re.findall(r" ([0-9.]+) s(?:,|$)", line.strip())]
assert got == sorted(got, reverse=True) and len(got) == 3, line
assert all(abs(g - w) <= 0.051 for g, w in zip(got, d[:3])), (got, d[:3])' "$O/logs/trace.jsonl" "$TMP/mout"
test_expect_success "... and the wall time, as the trace has it" \
	'w=$(sed -n "s/^wbgen: [0-9]* phases run in \([0-9.]*\) s:.*/\1/p" "$TMP/mout")
	"$PY" -c "import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
t = [x[\"end\"] for x in r if x[\"ev\"] == \"run-end\"][0] - [x[\"start\"] for x in r if x[\"ev\"] == \"run\"][0]
assert abs(t - float(sys.argv[2])) < 0.2, (t, sys.argv[2])" "$O/logs/trace.jsonl" "$w"'

ok "make report writes report.html" mk report
ok "... well-formed, its figures and bars the trace's, the critical path a chain" chk report "$O" "$O/report.html"
test_expect_success "... the critical path runs through builds" \
	'grep -A200 "id=\"critical-path\"" "$O/report.html" | grep -q "<td>build [a-z-]* 1.0</td>"'
ok "... -j3: three slots" test "$(fig "$O/report.html" slots)" = 3
ok "wbgen report --format svg: the picture alone" "$WBGEN" report -C "$O" --format svg -o "$TMP/r.svg"
ok "... an SVG document" "$PY" -c 'import sys, xml.etree.ElementTree as ET
assert ET.parse(sys.argv[1]).getroot().tag == "{http://www.w3.org/2000/svg}svg"' "$TMP/r.svg"
ok "wbgen report --format chrome: trace events equal to the trace" "$WBGEN" report -C "$O" --format chrome
ok "... in OUTDIR/trace.json" chk chrome "$O" "$O/trace.json"
test_expect_success "wbgen report -o -: to stdout" '"$WBGEN" report -C "$O" -o - | grep -q "^<!DOCTYPE html>"'
cp "$O/report.html" "$TMP/report.1"

ok "a second make runs nothing" mk -j3
ok "... and is a run of its own in the trace" test "$(nrec "$O" run)" = 2
ok "... whose summary still gives its wall time" grep -q "^wbgen: 0 phases run in [0-9.]* s: built 0" "$TMP/mout"
test_expect_success "... report still shows the run that built" \
	'"$WBGEN" report -C "$O" && test "$(sed -n "s/.*id=\"phases\" data-value=\"\([0-9]*\).*/\1/p" "$O/report.html")" = \
	"$(sed -n "s/.*id=\"phases\" data-value=\"\([0-9]*\).*/\1/p" "$TMP/report.1")"'
test_expect_success "report --list lists both runs" \
	'"$WBGEN" report -C "$O" --list >"$TMP/list" && test "$(wc -l <"$TMP/list")" = 2 &&
	grep -q "  -j3  status 0$" "$TMP/list"'

# a make killed (the whole process group, as kill -9 of a CI job) while a slow build runs
mk clean
setsid make -C "$O" --no-print-directory -j3 >"$TMP/killed.out" 2>&1 &
pid=$!
i=0
until grep -q '"ev":"begin".*"id":"slow-a-1.0".*"phase":"build"' "$O/logs/trace.jsonl" 2>/dev/null || [ $i -ge 600 ]; do
	sleep 0.05; i=$((i + 1))
done
sleep 0.3
kill -KILL -"$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
ok "kill -9 of make during a build: the trace is whole lines, the killed phases only began" chk trace "$O" --killed
run=$(sed -n 's/^{"ev":"run","run":"\([^"]*\)".*/\1/p' "$O/logs/trace.jsonl" | tail -1)
test_expect_success "... the run is listed as killed" '"$WBGEN" report -C "$O" --list | grep -q "^$run .* killed$"'
ok "... its report shows the phases killed" "$WBGEN" report -C "$O" --run "$run" -o "$TMP/killed.html"
ok "... with the trace's figures" chk report "$O" "$TMP/killed.html" "$run"
ok "... at least one phase killed" test "$(fig "$TMP/killed.html" phases-killed)" -ge 1
ok "make again finishes the build" mk -j3
ok "... the trace still parses" chk trace "$O" --killed
ok "... the new run's report" "$WBGEN" report -C "$O"
ok "... with the trace's figures" chk report "$O" "$O/report.html"
ok "... and nothing killed in it" test "$(fig "$O/report.html" phases-killed)" = 0
ok "... make -q" mk -q

# a failure is recorded as such
O2=$TMP/o2
ok "resolve a tree with a package that fails to build" res "$O2" top broken
fails 2 "make -k fails" make -C "$O2" --no-print-directory -k -j3
ok "... the trace records the failed build" grep -q '"id":"broken-1.0".*"phase":"build".*"outcome":"failed"' "$O2/logs/trace.jsonl"
ok "... and the report" "$WBGEN" report -C "$O2"
ok "... counts it" test "$(fig "$O2/report.html" phases-failed)" = 1

fails 1 "report without a trace" "$WBGEN" report -C "$TMP/nowhere"
cp "$TMP/err" "$TMP/err.1"
ok "... says to run make" grep -q "run make in the output directory first" "$TMP/err.1"
fails 1 "report --run of no run" "$WBGEN" report -C "$O" --run 123-456
cp "$TMP/err" "$TMP/err.2"
ok "... names it" grep -q "has no run '123-456'" "$TMP/err.2"
fails 2 "report --format bogus" "$WBGEN" report -C "$O" --format bogus
fails 2 "report --list --run" "$WBGEN" report -C "$O" --list --run x

done_testing
