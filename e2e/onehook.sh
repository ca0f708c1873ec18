# onehook.sh: one hook process per package. On the bundled example (setuptools asks for wheel):
# a cold build runs each package's get_requires_for_build_wheel once (a deferred discovery's
# answer is reused); once the plan knows every answer (discovered.json "answered"), a build runs
# both hooks in the build's own process and no discovery hook; WBGEN_HOOK_PROCESSES=2 keeps the two
# processes; every path gives byte-identical wheels; an answer the plan has wrong is found by the
# one-process build, recorded, resolved again, and the build goes on.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
idx=$(index_build "${WBGEN_SRCDIR:-.}/examples/scenario.py")
O=$TMP/o
R=${WBGEN_SRCDIR:-.}/examples
res() { "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -o "$O" --index-url "file://$idx/simple/" \
	-r "$R/requirements.txt" -c "$R/constraints.txt"; }
mk() { make -C "$O" --no-print-directory V=1 "$@" >"$TMP/mout" 2>"$TMP/merr"; }
wheels() { (cd "$O/wheels-repo/downloads" && sha256sum ./*.whl); }
# how many get_requires_for_build_wheel processes the last make ran (for package $1: all when empty)
hooks() { grep -c "^wbgen hook .*--src work/${1:-}.*get_requires_for_build_wheel" "$TMP/mout" || true; }
# how many builds asked the backend in their own process
checked() { grep -c "^wbgen build-wheel .*--src work/${1:-}.*--check-requires" "$TMP/mout" || true; }
builds() { grep -c "^wbgen build-wheel " "$TMP/mout" || true; }

ok "resolve" res
ok "cold build" mk -j2
wheels >"$TMP/cold"
ok "... 8 wheels" test "$(wc -l <"$TMP/cold")" = 8
ok "... each get_requires hook ran once, the deferred ones' answers reused" test "$(hooks)" = 8
ok "... colors (deferred for wheel) asked once" test "$(hooks colors-1.2)" = 1
ok "... no build asked again" test "$(checked)" = 0
ok "... every answer recorded, the empty ones too" "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1] + "/discovered.json"))
got = set((a["name"], a["version"]) for a in d["answered"] if a["req_type"] == "build-backend")
strip = lambda v: v[:-2] if v.endswith(".0") else v  # versions canonical: no trailing .0 (none here has two)
got = set((n, strip(v)) for n, v in got)
want = set((p["name"], strip(p["version"])) for p in json.load(open(sys.argv[1] + "/plan.json"))["packages"])
assert got == want, (got ^ want)' "$O"
ok "... make -q: built" mk -q

test_expect_success "make clean, make: the plan knows every answer" 'make -C "$O" clean >/dev/null'
ok "... builds" mk -j2
ok "... no get_requires hook process" test "$(hooks)" = 0
ok "... each of the 8 builds asked the backend in its own process" test "$(checked)/$(builds)" = 8/8
wheels >"$TMP/now"
ok "... the same wheels, byte for byte" cmp "$TMP/now" "$TMP/cold"
test_expect_success "... nothing deferred" '! grep -q deferred "$TMP/mout"'
ok "... make -q: built" mk -q
mk -j2
ok "... a second make runs nothing" test "$(builds)" = 0

test_expect_success "make clean, make WBGEN_HOOK_PROCESSES=2: two processes" 'make -C "$O" clean >/dev/null'
ok "... builds" mk -j2 WBGEN_HOOK_PROCESSES=2
ok "... a get_requires hook process per package, no checked build" test "$(hooks)/$(checked)" = 8/0
wheels >"$TMP/now"
ok "... the same wheels, byte for byte" cmp "$TMP/now" "$TMP/cold"

# an answer the plan has wrong: colors is said to ask for nothing
"$PY" - "$O/discovered.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["requirements"] = [r for r in d["requirements"] if not (r["name"] == "colors" and r["req_type"] == "build-backend")]
json.dump(d, open(sys.argv[1], "w"), indent=2)
EOF
ok "a wrong answer in discovered.json: resolve" res
test_expect_success "... colors' build environment lacks wheel" \
	'! grep -q "^colors-1.2.backend := .*wheel" "$O/Makefile"'
make -C "$O" clean >/dev/null
ok "... make clean, make" mk -j2
ok "... the build found it, deferred, resolved again" grep -q "deferred *colors 1.2" "$TMP/mout"
ok "... colors asked once, in its build" test "$(hooks colors-1.2)/$(checked colors-1.2)" = 0/1
ok "... built after re-resolving, without asking again" test "$(grep -c "^wbgen build-wheel .*--src work/colors-1.2" "$TMP/mout")" = 2
ok "... the answer is back in discovered.json" grep -q '"req": "wheel"' "$O/discovered.json"
wheels >"$TMP/now"
ok "... the same wheels, byte for byte" cmp "$TMP/now" "$TMP/cold"
ok "... make -q: built" mk -q

done_testing
