# rules.sh: the generated Makefile can be read (issue #13): each package has one block, found by
# searching its name, that lists its targets with their prerequisites; those are exactly the rules
# make builds with (its database, `make -p`) and the edges the plan asks for (graph.json: the
# build environment is the install closure of the build requirements); `make -n NAME` prints the
# recipes; the make you type does not read the rules, make -n/-q do. On the bundled example
# (backend edges, dynamic install requirements) and on a tree with pre-built packages and settings.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
PY=/usr/bin/python3
FIX=${WBGEN_SRCDIR:-.}/e2e/fixtures
idx=$(index_build "${WBGEN_SRCDIR:-.}/examples/scenario.py")
O=$TMP/o
R=${WBGEN_SRCDIR:-.}/examples
"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -o "$O" --index-url "file://$idx/simple/" \
	-r "$R/requirements.txt" -c "$R/constraints.txt" 2>"$TMP/res.err" || { cat "$TMP/res.err" >&2; exit 1; }
# built, so that discovery put setuptools' backend requirement (wheel) into the plan
test_expect_success "the example builds" \
	'make -C "$O" --no-print-directory -j3 >"$O.make" 2>&1 || { tail "$O.make"; exit 1; }'

# block OUTDIR P: P's block (from its "# ---- NAME VERSION" line to the blank line after it)
block() { awk -v h="# ---- $(echo "$2" | sed 's/-\([^-]*\)$/ \1/') " \
	'index($0, h) == 1 { on = 1 } on && $0 == "" { exit } on' "$1/Makefile"; }
# block_rules: the rules of a block on stdin, continuations joined, as make_rules.py prints them
block_rules() { sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' | "$PY" -c 'import sys
for line in sys.stdin:
    if line.startswith(("#", "ifdef", "endif")) or " :=" in line or ":" not in line:
        continue
    target, _, rest = line.partition(":")
    normal, _, order = rest.partition("|")
    print("%s: %s | %s" % (target, " ".join(normal.split()), " ".join(order.split())))' | sort; }
# db OUTDIR: make's rules for the phase targets (the settings' pkg.json rules, whose prerequisites
# make finds with $(wildcard), are checked on their own)
db() { make -C "$1" --no-print-directory -pq WBGEN_INNER=1 2>/dev/null | "$PY" -B "$FIX/make_rules.py" "work/" "mirror/" |
	grep -v "/pkg.json: "; }
# rules_of: block_rules, phase targets only
rules_of() { block_rules | grep -e "^work/" -e "^mirror/" | grep -v "/pkg.json: "; }

test_expect_success "searching colors finds its block" 'grep -n "^# ---- colors 1.2 -" "$O/Makefile"'
block "$O" colors-1.2 >"$TMP/colors.block"
test_expect_success "... which holds its variables and its targets" \
	'grep -qx "colors-1.2.sys := setuptools-66.1.1" "$TMP/colors.block" &&
	grep -q "^work/colors-1.2/wheel.stamp: " "$TMP/colors.block" && grep -q "^mirror/colors-1.2.stamp: " "$TMP/colors.block"'
block_rules <"$TMP/colors.block" >"$TMP/colors.rules"
ok "... its prerequisites: backend.stamp waits for wheel's, and for its mirror stamp (order-only)" grep -qx \
	"work/colors-1.2/backend.stamp: work/colors-1.2/discover.stamp work/colors-1.2/build-system.stamp work/wheel-0.38.4/wheel.stamp | mirror/wheel-0.38.4.stamp" \
	"$TMP/colors.rules"
ok "... and, setuptools being dynamic, its deps stamp" \
	grep -q 'work/setuptools-66.1.1/deps.stamp' "$TMP/colors.block"

db "$O" >"$TMP/db"
test_expect_success "make's database has a rule per phase (WBGEN_NPHASES)" '
	test "$(wc -l <"$TMP/db")" = "$(sed -n "s/^WBGEN_NPHASES := //p" "$O/Makefile")"'
: >"$TMP/differ"
for p in $(sed -n 's/^\([^ ]*\)\.name := .*/\1/p' "$O/Makefile"); do
	block "$O" "$p" | rules_of >"$TMP/b"
	grep -e "^work/$p/" -e "^mirror/$p.stamp:" "$TMP/db" | diff - "$TMP/b" >>"$TMP/differ" || echo "$p" >>"$TMP/differ"
done
test_expect_success "each package's block lists exactly the rules make has for its targets" '! grep . "$TMP/differ"'
rules_of <"$O/Makefile" >"$TMP/all"
ok "... and the blocks together are every rule of a phase target" diff "$TMP/db" "$TMP/all"

# the edges graph.json asks for: build-system.stamp waits for the wheels of the install closure of
# the build-system requirements, backend.stamp for those of the backend requirements (minus the
# first), and for the deps stamps of the dynamic ones among them
cat >"$TMP/expect.py" <<'EOF'
import json, sys
out = sys.argv[1]
g = {k: v for k, v in json.load(open(out + "/graph.json")).items() if k}
plan = {"%s-%s" % (p["name"], p["version"]): p for p in json.load(open(out + "/plan.json"))["packages"]}
pid = lambda key: key.replace("==", "-")

def closure(keys):
    seen, todo = set(), list(keys)
    while todo:
        k = todo.pop()
        if k not in seen:
            seen.add(k)
            todo += [e["key"] for e in g[k]["edges"] if e["req_type"] == "install"]
    return sorted(pid(k) for k in seen)

def env(p, kind, rest):
    dyn = [q for q in kind if plan[q]["install_requires_source"] == "dynamic"]
    w = " ".join(["work/%s/wheel.stamp" % q for q in kind] + ["work/%s/deps.stamp" % q for q in dyn])
    return " ".join(rest + ([w] if w else [])), " ".join("mirror/%s.stamp" % q for q in kind)

rules = []
for key, node in g.items():
    p = pid(key)
    sysreq = closure(e["key"] for e in node["edges"] if e["req_type"] == "build-system")
    backend = [q for q in closure(e["key"] for e in node["edges"] if e["req_type"] == "build-backend") if q not in sysreq]
    w, s = "work/" + p + "/", plan[p]["sdist"]["path"]
    rules += [(w + "src.stamp", s + " " + w + "pkg.json", ""),
              (w + "build-system.stamp",) + env(p, sysreq, [w + "pkg.json"]),
              (w + "discover.stamp", w + "src.stamp " + w + "build-system.stamp", ""),
              (w + "backend.stamp",) + env(p, backend, [w + "discover.stamp", w + "build-system.stamp"]),
              (w + "wheel.stamp", w + "src.stamp " + w + "backend.stamp", ""),
              ("mirror/%s.stamp" % p, w + "wheel.stamp", "")]
    if plan[p]["install_requires_source"] == "dynamic":
        rules.append((w + "deps.stamp", w + "wheel.stamp", ""))
for r in sorted("%s: %s | %s" % r for r in rules):
    print(r)
EOF
"$PY" -B "$TMP/expect.py" "$O" >"$TMP/expect"
ok "the Makefile's edges are the plan's (graph.json)" diff "$TMP/expect" "$TMP/all"

test_expect_success "make -n -B colors prints its recipes" 'make -C "$O" --no-print-directory -nB colors >"$O.n"'
test_expect_success "... the unpack, the environments with their wheels, the build and the publish" '
	grep -q "step unpack colors-1.2$" "$O.n" && grep -q "step build-system colors-1.2 setuptools-66.1.1$" "$O.n" &&
	grep -q "step backend colors-1.2 setuptools-66.1.1 wheel-0.38.4$" "$O.n" &&
	grep -q "step build colors-1.2 setuptools-66.1.1 wheel-0.38.4$" "$O.n" && grep -q "step publish colors-1.2$" "$O.n" &&
	grep -q "step deps setuptools-66.1.1$" "$O.n" && ! grep -q "hello-app" "$O.n"'
test_expect_success "the make you type does not read the rules" '
	make -C "$O" --no-print-directory -p help 2>/dev/null | "$PY" -B "$FIX/make_rules.py" work/ mirror/ >"$O.outer" &&
	! grep -q . "$O.outer"'

# pre-built packages and settings: e2e/fixtures/scenarios/settings.json (e2e/settings-resolve.sh)
S=$TMP/s
mkdir -p "$S/settings"
printf 'variants:\n  cpu:\n    pre_built: true\n' >"$S/settings/st-pre.yaml"
printf 'project_override:\n  update_build_requires: ["st-extra>=2"]\n' >"$S/settings/St_BR.yaml"
idx2=$(index_build settings)
ok "resolve with settings and a pre-built package" "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" \
	-o "$S/out" --index-url "file://$idx2/simple/" --settings-file "$S/settings.yaml" --settings-dir "$S/settings" \
	--patches-dir "$S/patches" st-pre st-br
block "$S/out" st-pre-1.0 >"$TMP/pre.block"
test_expect_success "a pre-built package's block: its wheel and its publish" '
	test "$(grep -c "^[^#]*: " "$TMP/pre.block")" = 2 &&
	grep -qx "work/st-pre-1.0/wheel.stamp: prebuilt/st_pre-1.0-py3-none-any.whl work/st-pre-1.0/pkg.json" "$TMP/pre.block" &&
	grep -qx "mirror/st-pre-1.0.stamp: work/st-pre-1.0/wheel.stamp" "$TMP/pre.block"'
test_expect_success "... with the prebuilt recipe" \
	'make -C "$S/out" --no-print-directory -nB mirror/st-pre-1.0.stamp | grep -q "step prebuilt st-pre-1.0$"'
ok "a built package's pkg.json depends on its settings files" \
	grep -qx 'work/st-br-1.0/pkg.json: $(call wbgen-settings-files,st-br-1.0,st_br)' "$S/out/Makefile"
test_expect_success "... make finds them" 'make -C "$S/out" --no-print-directory -pq WBGEN_INNER=1 2>/dev/null |
	"$PY" -B "$FIX/make_rules.py" work/st-br-1.0/pkg.json | grep -qx "work/st-br-1.0/pkg.json: $S/settings/St_BR.yaml $S/settings | "'
db "$S/out" >"$TMP/db2"
rules_of <"$S/out/Makefile" >"$TMP/all2"
ok "... and the blocks are what make has" diff "$TMP/db2" "$TMP/all2"

# an OUTDIR written by a wbgen before this layout: a clear message, not a broken build
sed '/^WBGEN_BUILD :=/d' "$O/Makefile" >"$TMP/old.mk"
fails 2 "a Makefile of an older wbgen is refused" make -C "$O" -f "$TMP/old.mk" --no-print-directory -q
cp "$TMP/err" "$TMP/old.err"
ok "... saying to resolve again" grep -q "written by an older wbgen: run wbgen resolve again" "$TMP/old.err"

done_testing
