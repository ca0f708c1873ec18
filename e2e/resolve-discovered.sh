# resolve-discovered.sh: requirements found at build time (OUTDIR/discovered.json) are planned by the
# next `wbgen resolve` as if they had been known up front: backend requirements as build-backend
# edges, install requirements of dynamic packages as install edges; stale or inapplicable entries are
# ignored, a malformed file is a one-line error.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
tree=$(index_build tree)
URL="file://$tree/simple/"

res() { "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -o "$TMP/$1" --index-url "$URL" tree-root; }
# edges OUT NAME==VERSION: "key req_type" of its edges, one a line
edges() {
	"$PY" -c 'import json, sys
for e in json.load(open(sys.argv[1] + "/graph.json"))[sys.argv[2]]["edges"]: print(e["key"], e["req_type"])' "$TMP/$1" "$2"
}
# has_edge OUT NAME==VERSION "KEY TYPE": that edge is there; lacks_edge OUT NAME==VERSION PATTERN: none matches
has_edge() { edges "$1" "$2" >"$TMP/edges" && grep -qx "$3" "$TMP/edges"; }
lacks_edge() { edges "$1" "$2" >"$TMP/edges" && ! grep -q "$3" "$TMP/edges"; }
pins() { "$PY" -c 'import json, sys
print(" ".join(sorted(p["name"] + "==" + p["version"] for p in json.load(open(sys.argv[1] + "/plan.json"))["packages"])))' "$TMP/$1"; }

ok "the tree without discoveries" res a
test_expect_success "... has no build-helper" '! grep -q "build-helper" "$TMP/a/plan.json"'

cp -R "$TMP/a" "$TMP/b"
cat >"$TMP/b/discovered.json" <<'JSON'
{"wbgen_discovered": 1, "requirements": [
 {"name": "dyn-build", "version": "1.0", "req_type": "build-backend", "req": "build-helper>=1"},
 {"name": "dyn_deps", "version": "1.0.0", "req_type": "install", "req": "lib-07"},
 {"name": "dyn-deps", "version": "1.0", "req_type": "install", "req": "lib-08; python_version >= \"3\""},
 {"name": "dyn-deps", "version": "1.0", "req_type": "install", "req": "lib-01; python_version < \"3\""},
 {"name": "dyn-deps", "version": "0.9", "req_type": "install", "req": "lib-14"},
 {"name": "lib-01", "version": "1.1", "req_type": "install", "req": "never-there"}
]}
JSON
ok "with discoveries" res b
ok "... a build-backend edge to the newly planned build-helper" \
	has_edge b dyn-build==1.0 "build-helper==1.1 build-backend"
ok "... build-helper comes before dyn-build in the build order" "$PY" -c 'import json, sys
o = [x["dist"] for x in json.load(open(sys.argv[1] + "/build-order.json"))]
assert o.index("build-helper") < o.index("dyn-build"), o' "$TMP/b"
ok "... install edges of the dynamic package (1.0.0 is 1.0, names normalised)" \
	has_edge b dyn-deps==1.0 "lib-07==1.1 install"
ok "... and the one whose marker is true" has_edge b dyn-deps==1.0 "lib-08==1.1 install"
ok "... a false marker and another version: ignored" lacks_edge b dyn-deps==1.0 "lib-01\|lib-14"
test_expect_success "... a package whose install requirements are static: its entry ignored" \
	'! grep -q never-there "$TMP/b/plan.json"'
ok "... one package more than without" test "$(pins b | wc -w)" -eq "$(($(pins a | wc -w) + 1))"
cp "$TMP/b/plan.json" "$TMP/b.plan"
ok "a second run with the same discoveries" res b
ok "... writes the same plan" cmp "$TMP/b.plan" "$TMP/b/plan.json"

bad() {
	rm -rf "$TMP/c"
	cp -R "$TMP/a" "$TMP/c"
	printf '%s\n' "$1" >"$TMP/c/discovered.json"
	set +e
	res c 2>"$TMP/c.err"
	rc=$?
	set -e
	cat "$TMP/c.err"
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/c.err")" -eq 1 ] && grep -q "discovered.json.*$2" "$TMP/c.err" &&
		[ ! -e "$TMP/c/plan.json" ]
}
ok "malformed JSON: one line naming the file and line, no plan" bad '{"requirements": [' ':[0-9]*:[0-9]*: '
ok "an unknown type" bad '{"requirements": [{"name": "a", "version": "1", "req_type": "run", "req": "b"}]}' \
	"unknown requirement type 'run'"
ok "a bad requirement" bad '{"requirements": [{"name": "a", "version": "1", "req_type": "install", "req": "b>="}]}' \
	"requirement 0"
ok "a missing field" bad '{"requirements": [{"name": "a", "req_type": "install", "req": "b"}]}' "lacks"

done_testing
