# graph.sh: `wbgen why` and `wbgen graph` on a plan resolved from the graph scenario (colors
# needed through install, build-system and build-backend requirements, an install cycle) and on a
# hand-written fromager graph.json (e2e/fixtures/fromager-graph.json).
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
FROMAGER="${WBGEN_SRCDIR:-.}/e2e/fixtures/fromager-graph.json"
idx=$(index_build graph)

# same EXPECTED-FILE COMMAND...: COMMAND succeeds and prints exactly the file's text
same() {
	_e=$1
	shift
	"$@" >"$TMP/got" || return 1
	diff -u "$_e" "$TMP/got"
}

# dotcheck FILE GRAPH.JSON: FILE is DOT (the subset of what wbgen writes) whose nodes are
# GRAPH.JSON's keys and whose edges are its edges; and dot(1) reads it, when installed.
dotcheck() {
	"$PY" - "$1" "$2" <<'PYEOF' || return 1
import json, re, sys
text, g = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
lines = text.split("\n")
assert lines[0] == "digraph wbgen {" and lines[-2] == "}" and lines[-1] == "", "frame"
q = r'"((?:[^"\\]|\\.)*)"'
attrs = r'\[((?:[a-z]+=(?:%s|[a-z]+) ?)*)\];' % q
ids, edges = {}, []
for l in lines[1:-2]:
    if l == "\tnode [shape=box];":
        continue
    m = re.fullmatch(r"\t(n\d+) " + attrs, l)
    if m:
        label = re.search(r'label=' + q, m.group(2)).group(1)
        ids[m.group(1)] = "" if label == "top-level requirements" else label
        continue
    m = re.fullmatch(r"\t(n\d+) -> (n\d+) " + attrs, l)
    assert m, "not DOT wbgen writes: %r" % l
    a = m.group(3)
    req = re.search(r'label=' + q, a).group(1).replace('\\"', '"').replace("\\\\", "\\")
    cls = re.search(r'class=' + q, a).group(1)
    edges.append((ids[m.group(1)], ids[m.group(2)], cls, req))
assert sorted(ids.values()) == sorted(g), (sorted(ids.values()), sorted(g))
want = [(k, e["key"], e["req_type"], e["req"]) for k in g for e in g[k]["edges"]]
assert sorted(edges) == sorted(want), (edges, want)
PYEOF
	if command -v dot >/dev/null 2>&1; then
		dot -Tsvg "$1" >/dev/null
	fi
}

# ---- a plan from the scenario: requirements.txt:2 app, :3 cyc-b; cyc-b's backend asked for
# colors (discovered.json), so the plan has a build-backend edge too
mkdir -p "$TMP/o"
printf '# the application\napp\ncyc-b\n' >"$TMP/requirements.txt"
cat >"$TMP/o/discovered.json" <<'EOF'
{"wbgen_discovered": 1, "requirements": [{"name": "cyc-b", "version": "1.0", "req_type": "build-backend", "req": "colors"}]}
EOF
test_expect_success "resolve the graph scenario" \
	'cd "$TMP" && "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -o o \
	--index-url "file://$idx/simple/" -r requirements.txt'
ok "the plan has a build-backend edge (docs/file-formats.md)" "$PY" -c 'import json, sys
p = json.load(open(sys.argv[1]))
assert [e for k in p["packages"] for e in k["edges"] if e["req_type"] == "build-backend"] == \
    [{"key": "colors==1.2", "req_type": "build-backend", "req": "colors"}]' "$TMP/o/plan.json"

cat >"$TMP/why-colors" <<'EOF'
colors 1.2 is needed through 7 paths:

  (toplevel) app 1.0  <- requirements.txt:2 "app"
    -[install "colors>=1.0"]-> colors 1.2

  (toplevel) app 1.0  <- requirements.txt:2 "app"
    -[build-system "tool"]-> tool 2.0
    -[build-system "colors<2"]-> colors 1.2

  (toplevel) app 1.0  <- requirements.txt:2 "app"
    -[build-system "tool"]-> tool 2.0
    -[install "colors"]-> colors 1.2

  (toplevel) app 1.0  <- requirements.txt:2 "app"
    -[install "cyc-a"]-> cyc-a 1.0
    -[install "cyc-b"]-> cyc-b 1.0
    -[install "colors!=1.1"]-> colors 1.2

  (toplevel) app 1.0  <- requirements.txt:2 "app"
    -[install "cyc-a"]-> cyc-a 1.0
    -[install "cyc-b"]-> cyc-b 1.0
    -[build-backend "colors"]-> colors 1.2

  (toplevel) cyc-b 1.0  <- requirements.txt:3 "cyc-b"
    -[install "colors!=1.1"]-> colors 1.2

  (toplevel) cyc-b 1.0  <- requirements.txt:3 "cyc-b"
    -[build-backend "colors"]-> colors 1.2
EOF
test_expect_success "why colors: every path, through install, build-system and build-backend requirements" \
	'cd "$TMP/o" && same "$TMP/why-colors" "$WBGEN" why colors --limit 0'
ok "... PLAN as the plan.json file, NAME in any spelling" \
	same "$TMP/why-colors" "$WBGEN" why --limit=0 Colors "$TMP/o/plan.json"
# the blocks of the full answer that pass a filter (awk's paragraph mode: a block a record)
# blocks HEADER AWK-CONDITION
blocks() {
	echo "$1"
	awk 'BEGIN { RS = "" } NR > 1 && ('"$2"') { printf "\n%s\n", $0 }' "$TMP/why-colors"
}
{
	blocks "colors 1.2 is needed through 7 paths:" 'NR <= 3'
	printf '\n  ... and 5 more paths (--limit 0 shows them all)\n'
} >"$TMP/why-colors-2"
ok "--limit 2: the first two, the others counted" same "$TMP/why-colors-2" "$WBGEN" why --limit 2 colors "$TMP/o"
blocks "colors 1.2 is needed through 3 paths:" '!/-\[build/' >"$TMP/why-colors-install"
ok "--requirement-type install" same "$TMP/why-colors-install" "$WBGEN" why --requirement-type install colors "$TMP/o"
blocks "colors 1.2 is needed through 3 paths:" 'gsub(/-\[/, "&") <= 1' >"$TMP/why-colors-depth"
ok "--depth 1" same "$TMP/why-colors-depth" "$WBGEN" why --depth 1 colors "$TMP/o"
cat >"$TMP/why-cyc-a" <<'EOF'
cyc-a 1.0 is needed through 2 paths:

  (toplevel) app 1.0  <- requirements.txt:2 "app"
    -[install "cyc-a"]-> cyc-a 1.0

  (toplevel) cyc-b 1.0  <- requirements.txt:3 "cyc-b"
    -[install "cyc-a"]-> cyc-a 1.0
EOF
ok "why in an install cycle: no package twice in a chain" same "$TMP/why-cyc-a" "$WBGEN" why cyc-a "$TMP/o"
cat >"$TMP/why-cyc-b" <<'EOF'
cyc-b 1.0 is needed through 2 paths:

  (toplevel) cyc-b 1.0  <- requirements.txt:3 "cyc-b"

  (toplevel) app 1.0  <- requirements.txt:2 "app"
    -[install "cyc-a"]-> cyc-a 1.0
    -[install "cyc-b"]-> cyc-b 1.0
EOF
ok "why a top-level package also needed by another" same "$TMP/why-cyc-b" "$WBGEN" why cyc-b "$TMP/o"
printf 'app 1.0 is needed through 1 path:\n\n  (toplevel) app 1.0  <- requirements.txt:2 "app"\n' >"$TMP/why-app"
ok "why a top-level package" same "$TMP/why-app" "$WBGEN" why app "$TMP/o"
fails 1 "why a package that is not in the graph" "$WBGEN" why no_such.pkg "$TMP/o"
cp "$TMP/err" "$TMP/unknown.err"
test_expect_success "... says so in one line" \
	'test "$(cat "$TMP/unknown.err")" = "wbgen: why: ${SQ}no-such-pkg$SQ is not in the graph of $SQ$TMP/o$SQ"'
fails 2 "why an unknown requirement type" "$WBGEN" why --requirement-type runtime colors "$TMP/o"
fails 2 "why without NAME" "$WBGEN" why
mkdir "$TMP/empty"
fails 1 "why in a directory without a plan" "$WBGEN" why colors "$TMP/empty"
cp "$TMP/err" "$TMP/empty.err"
ok "... says so" grep -q "no plan.json or graph.json in '$TMP/empty'" "$TMP/empty.err"
ok "why --json" "$PY" -c 'import json, subprocess, sys
j = json.loads(subprocess.check_output([sys.argv[1], "why", "--json", "--limit", "1", "cyc_A", sys.argv[2]]))
assert j == {"name": "cyc-a", "packages": [{"key": "cyc-a==1.0", "version": "1.0", "total": 2, "complete": True,
    "paths": [[{"from": "", "to": "app==1.0", "req_type": "toplevel", "req": "app", "origin": "requirements.txt:2"},
               {"from": "app==1.0", "to": "cyc-a==1.0", "req_type": "install", "req": "cyc-a"}]]}]}, j
' "$WBGEN" "$TMP/o"
test_expect_success "wbgen help why" '"$WBGEN" help why | grep -q "^usage: wbgen why "'
test_expect_success "wbgen help graph" '"$WBGEN" help graph | grep -q "^usage: wbgen graph "'

ok "graph --format json is graph.json" same "$TMP/o/graph.json" "$WBGEN" graph --format json "$TMP/o"
ok "... read from graph.json too" same "$TMP/o/graph.json" "$WBGEN" graph --format=json "$TMP/o/graph.json"
ok "graph -o FILE" "$WBGEN" graph -o "$TMP/g.dot" "$TMP/o"
ok "... is DOT with the plan's nodes and edges" dotcheck "$TMP/g.dot" "$TMP/o/graph.json"
ok "... the same as on standard output" same "$TMP/g.dot" "$WBGEN" graph "$TMP/o"
test_expect_success "... and no temporary file left" 'test "$(ls "$TMP" | grep -c "g\.dot")" = 1'
ok "graph --subset tool: tool, what it needs and what needs it" "$PY" -c 'import json, subprocess, sys
g = json.loads(subprocess.check_output([sys.argv[1], "graph", "--format", "json", "--subset", "tool", sys.argv[2]]))
assert sorted(g) == ["", "app==1.0", "colors==1.2", "tinybuild==1.0", "tool==2.0"], sorted(g)
assert [e["key"] for e in g[""]["edges"]] == ["app==1.0"], g[""]
assert {e["key"] for e in g["app==1.0"]["edges"]} == {"tinybuild==1.0", "tool==2.0", "colors==1.2"}, g["app==1.0"]
' "$WBGEN" "$TMP/o"
test_expect_success "graph --subset as DOT" '"$WBGEN" graph --subset tool "$TMP/o" >"$TMP/sub.dot" &&
	"$WBGEN" graph --format json --subset tool "$TMP/o" >"$TMP/sub.json"'
ok "... matches the JSON subset" dotcheck "$TMP/sub.dot" "$TMP/sub.json"
fails 1 "graph --subset of a package not in the graph" "$WBGEN" graph --subset nope "$TMP/o"
fails 2 "graph --format svg" "$WBGEN" graph --format svg "$TMP/o"

# ---- fromager's graph.json (no constraint keys, a pre-built package, a build-backend edge)
ok "graph --format json of fromager's graph.json writes it back byte for byte" \
	same "$FROMAGER" "$WBGEN" graph --format json "$FROMAGER"
ok "graph of fromager's graph.json" "$WBGEN" graph -o "$TMP/f.dot" "$FROMAGER"
ok "... is DOT with its nodes and edges" dotcheck "$TMP/f.dot" "$FROMAGER"
test_expect_success "... pre-built, build-only and build-backend are told apart" '
	grep -qx "	n11 \[label=\"flit-core==3.12.0\" shape=parallelogram style=dashed\];" "$TMP/f.dot" &&
	grep -qx "	n4 \[label=\"more-itertools==10.7.0\"\];" "$TMP/f.dot" &&
	grep -qx "	n6 -> n10 \[label=\"wheel\" class=\"build-backend\" style=dotted color=purple fontcolor=purple\];" "$TMP/f.dot"'
cat >"$TMP/why-mi" <<'EOF'
more-itertools 10.7.0 is needed through 1 path:

  (toplevel) imapautofiler 1.14.0  <- "imapautofiler==1.14.0"
    -[install "keyring>=10.0.0"]-> keyring 25.6.0
    -[install "jaraco.classes"]-> jaraco-classes 3.4.0
    -[install "more_itertools"]-> more-itertools 10.7.0
EOF
ok "why on fromager's graph.json" same "$TMP/why-mi" "$WBGEN" why more_itertools "$FROMAGER"
cat >"$TMP/why-wheel" <<'EOF'
wheel 0.46.1 is needed through 1 path:

  (toplevel) imapautofiler 1.14.0  <- "imapautofiler==1.14.0"
    -[install "jinja2>=2.11.2"]-> jinja2 3.1.6
    -[install "MarkupSafe>=2.0"]-> markupsafe 3.0.2
    -[build-backend "wheel"]-> wheel 0.46.1
EOF
ok "... through a build-backend edge" same "$TMP/why-wheel" "$WBGEN" why wheel "$FROMAGER"
printf 'wheel 0.46.1: no path from the top-level requirements within --depth and --requirement-type\n' >"$TMP/why-wheel-2"
ok "... none within --depth 2" same "$TMP/why-wheel-2" "$WBGEN" why --depth 2 wheel "$FROMAGER"
printf 'flit-core 3.12.0 is needed through 8 paths:\n  ... and 7 more paths (--limit 0 shows them all)\n' >"$TMP/flit"
test_expect_success "... all 8 paths to flit-core counted, one shown" \
	'"$WBGEN" why --limit 1 flit-core "$FROMAGER" >"$TMP/flit.out" && same "$TMP/flit" sed -n "1p;\$p" "$TMP/flit.out"'
ok "graph --subset keyring on fromager's graph.json" "$PY" -c 'import json, subprocess, sys
g = json.loads(subprocess.check_output([sys.argv[1], "graph", "--format", "json", "--subset", "keyring", sys.argv[2]]))
assert sorted(g) == ["", "flit-core==3.12.0", "imapautofiler==1.14.0", "jaraco-classes==3.4.0", "keyring==25.6.0",
    "more-itertools==10.7.0", "packaging==25.0", "setuptools-scm==8.3.1", "setuptools==80.8.0"], sorted(g)
assert "constraint" not in g["keyring==25.6.0"]
assert [e["key"] for e in g["imapautofiler==1.14.0"]["edges"]] == \
    ["setuptools==80.8.0", "setuptools-scm==8.3.1", "keyring==25.6.0"], g["imapautofiler==1.14.0"]
' "$WBGEN" "$FROMAGER"
"$PY" -c 'import json, sys
g = json.load(open(sys.argv[1]))
g["keyring==25.6.0"]["edges"][0]["req_type"] = "runtime"
json.dump(g, open(sys.argv[2], "w"))' "$FROMAGER" "$TMP/bad.json"
fails 1 "a graph.json with an unknown req_type" "$WBGEN" graph "$TMP/bad.json"
cp "$TMP/err" "$TMP/bad.err"
test_expect_success "... names the file, the node and the edge" \
	'test "$(cat "$TMP/bad.err")" = "wbgen: $TMP/bad.json: ${SQ}keyring==25.6.0$SQ: edges[0]: unknown req_type ${SQ}runtime$SQ"'

done_testing
