# make.sh: the generated Makefile on the bundled example (examples/scenario.py): what `wbgen resolve`
# writes, make -n / -q / help / V=1 / NAME goals, a full build with discovery (setuptools asks for
# wheel), the mirror pip installs from, nothing to do the second time, a failing package under -k,
# an sdist that no longer matches the plan, one make and one resolve at a time, make clean.
# (The big tree, rebuild cases and kill -9 trials are in e2e/build.sh.)
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
idx=$(index_build "${WBGEN_SRCDIR:-.}/examples/scenario.py")
URL="file://$idx/simple/"
O=$TMP/o
R=${WBGEN_SRCDIR:-.}/examples
res() { "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -o "$O" --index-url "$URL" \
	-r "$R/requirements.txt" -c "$R/constraints.txt"; }
mk() { make -C "$O" --no-print-directory "$@" >"$TMP/mout" 2>"$TMP/merr"; }
# phase lines of the last make: "PHASE NAME VERSION"
phases() { sed -n 's/^\[[0-9]*\/[0-9]*\] *//p' "$TMP/mout" | sed 's/  */ /g'; }

ok "resolve writes the build" res
ok "... a Makefile that includes wbgen.mk" grep -q '^include $(WBGEN_RULES)$' "$O/Makefile"
ok "... a pkg.json per package" test -f "$O/work/hello-app-1.0/pkg.json"
ok "... and the arguments to resolve again" grep -q '"--index-url"' "$O/resolve-args.json"
ok "the Makefile names the package's build environment" grep -qx 'colors-1.2.sys := setuptools-66.1.1' "$O/Makefile"

test_expect_success "make help lists the goals and the packages" \
	'make -C "$O" --no-print-directory help | grep -q "^  hello-app 1.0$"'
ok "make -n prints the phases" mk -n
ok "... as wbgen step commands" grep -q "step unpack hello-app-1.0$" "$TMP/mout"
test_expect_success "... and runs none" '! ls "$O"/work/*/src.stamp 2>/dev/null'
fails 1 "make -q says it is not built" mk -q

ok "make -j3 builds the example" mk -j3
ok "... every package of the plan has its wheel" "$PY" -c 'import json, os, sys
o = sys.argv[1]
for p in json.load(open(o + "/plan.json"))["packages"]:
    st = open("%s/work/%s-%s/wheel.stamp" % (o, p["name"], p["version"])).read()
    w = [l.split()[1] for l in st.splitlines() if l.startswith("wheel ")][0]
    assert os.path.exists(o + "/wheels-repo/simple/" + p["name"] + "/" + w), w' "$O"
ok "... setuptools' request for wheel was discovered and planned" grep -q '"req": "wheel"' "$O/discovered.json"
ok "... graph.json has the build-backend edge" "$PY" -c 'import json, sys
g = json.load(open(sys.argv[1] + "/graph.json"))
assert {"key": "wheel==0.38.4", "req_type": "build-backend", "req": "wheel"} in g["setuptools==66.1.1"]["edges"]' "$O"
test_expect_success "... the summary ends the output" \
	'grep -v "^make" "$TMP/mout" | tail -1 | grep -q "^wbgen: [0-9]* phases run in [0-9.]* s: built [0-9]*, up to date [0-9]*, failed 0$" ||
	{ tail -5 "$TMP/mout" >&2; exit 1; }'
test_expect_success "... one progress line per phase run" 'test "$(grep -c "^\[" "$TMP/mout")" -ge 48'
ok "... failures.json is empty" grep -q '"failures": \[\]' "$O/failures.json"

"$PY" -m venv "$TMP/venv" >/dev/null 2>&1
ok "pip installs hello-app from the mirror" "$TMP/venv/bin/pip" install -q --no-cache-dir \
	--index-url "file://$O/wheels-repo/simple/" hello-app
ok "... and it imports" "$TMP/venv/bin/python" -c 'import hello_app, greeting, colors, textwrap_plus'

ok "make -q: built" mk -q
# what a make killed while a phase wrote its target leaves behind (TARGET.tmp.XXXXXX)
for f in mirror/hello-app-1.0.stamp work/hello-app-1.0/wheel.stamp; do : >"$O/$f.tmp.AbC123"; done
ok "a second make runs no phase" mk -j3
ok "... says so" grep -q '^wbgen: 0 phases run' "$TMP/mout"
test_expect_success "... and removed the temporary files a killed make left" \
	'! ls "$O"/mirror/*.tmp.* "$O"/work/*/*.tmp.* 2>/dev/null | grep .'
cp "$O/Makefile" "$TMP/Makefile.1"
cp "$O/graph.json" "$TMP/graph.1"
touch -d '2001-01-01' "$O/Makefile"
ok "resolving again" res
ok "... gives the same Makefile" cmp "$O/Makefile" "$TMP/Makefile.1"
ok "... and leaves it untouched" test "$(stat -c %Y "$O/Makefile")" = "$(date -d 2001-01-01 +%s)"
ok "... and the same graph.json" cmp "$O/graph.json" "$TMP/graph.1"
ok "... so make has nothing to do" mk -q

touch "$O/sdists-repo/downloads/greeting-1.1.tar.gz"
ok "touching one sdist" mk -j3
phases >"$TMP/phases"
ok "... rebuilds that package" grep -qx "build greeting 1.1" "$TMP/phases"
test_expect_success "... and no other" 'test "$(grep -c "^build " "$TMP/phases")" = 1'
test_expect_success "... whose wheel did not change: not republished" '! grep -q "publish greeting" "$TMP/mout"'
ok "V=1 shows the commands" mk V=1 -j3 -B greeting
ok "... the build-wheel command" grep -q "^wbgen build-wheel --env work/greeting-1.1/env" "$TMP/mout"
ok "... and the up-to-date phases" grep -q "(up to date)$" "$TMP/mout"

ok "make clean" mk clean
ok "... removes the wheels" test ! -e "$O/wheels-repo"
ok "... keeps the plan and pkg.json" test -f "$O/plan.json" -a -f "$O/work/colors-1.2/pkg.json"
ok "make colors" mk -j3 colors
ok "... builds colors and its install closure" test -f "$O/mirror/colors-1.2.stamp" -a -f "$O/mirror/textwrap-plus-2.0.stamp"
ok "... not what only hello-app needs" test ! -e "$O/mirror/hello-app-1.0.stamp"

# a package that fails: make -k builds everything else
sd=$O/sdists-repo/downloads/textwrap_plus-2.0.tar.gz
cp "$sd" "$TMP/good.tar.gz"
mk clean
printf 'not an archive' >"$sd"
fails 2 "make -k with a broken sdist fails" mk -k -j3
ok "... naming the phase, the package and the log" grep -q "^FAILED: unpack textwrap-plus 2.0: .*does not match the sha256" "$TMP/merr"
ok "... log: logs/textwrap-plus-2.0/unpack.log" grep -q "log: logs/textwrap-plus-2.0/unpack.log" "$TMP/merr"
ok "... failures.json names it" "$PY" -c 'import json, sys
f = json.load(open(sys.argv[1] + "/failures.json"))["failures"]
assert [(x["name"], x["phase"]) for x in f] == [("textwrap-plus", "unpack")], f' "$O"
ok "... the summary counts it" grep -q "failed 1$" "$TMP/mout"
test_expect_success "... and everything else was built" \
	'for p in tinybuild-1.0 app-backend-1.0 wheel-0.38.4 setuptools-66.1.1 \
	colors-1.2 greeting-1.1 hello-app-1.0; do test -f "$O/mirror/$p.stamp" || exit 1; done'
cp "$TMP/good.tar.gz" "$sd"
ok "with the sdist back, make finishes" mk -j3
phases >"$TMP/phases"
test_expect_success "... building only textwrap-plus" \
	'test "$(grep -c "^build " "$TMP/phases")" = 1 && grep -qx "build textwrap-plus 2.0" "$TMP/phases"'
ok "... failures.json is empty again" grep -q '"failures": \[\]' "$O/failures.json"
ok "... make -q" mk -q

# one make at a time, and resolve waits for make
mk clean
make -C "$O" --no-print-directory -j2 >"$TMP/first" 2>&1 &
first=$!
sleep 0.3
ok "a second make waits for the first" mk -j2
ok "... saying so" grep -q "waiting for another make" "$TMP/merr"
ok "... the first finishes" wait "$first"
ok "... and neither failed" grep -q "failed 0$" "$TMP/first"
mk clean
make -C "$O" --no-print-directory -j2 >"$TMP/first" 2>&1 &
first=$!
sleep 0.3
test_expect_success "wbgen resolve waits for a running make" \
	'res 2>"$TMP/res-err" && grep -q "waiting for the make running" "$TMP/res-err"'
ok "... which finished" wait "$first"
ok "... complete" mk -q

done_testing
