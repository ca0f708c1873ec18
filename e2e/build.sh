# build.sh: the generated Makefile builds a whole tree (e2e/fixtures/scenarios/build.py: backend chains,
# dynamic build requirements, diamonds, setuptools, dynamic install requirements) from sdists served over
# HTTP, and keeps the promises of docs/makefile.md: every planned package gets a wheel that pip installs
# from the mirror; from-scratch builds are reproducible; a built tree is up to date (make -q, no phase on a
# second make); touching one sdist rebuilds that package only; a backend rebuilt to identical bytes rebuilds
# nothing else, a new backend release rebuilds exactly the packages whose build environments hold it;
# make -k builds everything that does not need a failing package (a static build requirement, a backend
# found by discovery); kill -9 at any moment loses nothing; make NAME builds NAME and all it needs.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

# the builds below are ours, not the enclosing make check's
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
PY=/usr/bin/python3
SCEN="${WBGEN_SRCDIR:-.}/e2e/fixtures/scenarios/build.py"
MAKE_TIMEOUT=${MAKE_TIMEOUT:-300}
KILL_TRIALS=${KILL_TRIALS:-10}
KILL_SEED=${KILL_SEED:-4}

"$PY" -B "$SCEN" >"$TMP/reqs.txt"
"$PY" -B "$SCEN" small=1 >"$TMP/reqs-small.txt"
idx=$(index_build build)
idx_bump=$(index_build build bump=chain-b3)
idx_fail=$(index_build build fail=fail-helper)
idx_small=$(index_build build small=1)
idx_small_fail=$(index_build build small=1 fail=dbk-a)
# the main index is served through a symbolic link, so that a new release can appear at the same URL
ln -s "$idx" "$TMP/idx"
index_serve "$TMP/idx"
URL=$INDEX_URL
index_serve "$idx_fail"
URL_FAIL=$INDEX_URL
index_serve "$idx_small"
URL_SMALL=$INDEX_URL
index_serve "$idx_small_fail"
URL_SMALL_FAIL=$INDEX_URL

cat >"$TMP/h.py" <<'EOF'
import hashlib, json, os, re, sys

PHASE = re.compile(r"^\[(\d+)/(\d+)\] +(\S+) +(\S+) (\S+)( \(up to date\))?$")


def canon(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def graph(out):
    with open(os.path.join(out, "graph.json")) as f:
        g = json.load(f)
    return {k: v for k, v in g.items() if k}


def buildenv(g, key):
    """The keys installed in KEY's build environment: its build-system and backend requirements
    with their install closure."""
    todo = [e["key"] for e in g[key]["edges"] if e["req_type"] in ("build-system", "build-backend")]
    seen = set()
    while todo:
        k = todo.pop()
        if k in seen:
            continue
        seen.add(k)
        todo += [e["key"] for e in g[k]["edges"] if e["req_type"] == "install"]
    return seen


def needs(g, key):
    """The packages whose build needs KEY's wheel, directly or through another build."""
    out = set()
    changed = True
    while changed:
        changed = False
        for k in g:
            if k not in out and buildenv(g, k) & (out | {key}):
                out.add(k)
                changed = True
    return out


def wheels(out):
    """{(name, version): filename} of the built wheels."""
    d = os.path.join(out, "wheels-repo", "downloads")
    res = {}
    for fn in sorted(os.listdir(d)):
        if fn.endswith(".whl"):
            parts = fn[:-4].split("-")
            res[(canon(parts[0]), parts[1])] = fn
    return res


def plan_keys(out):
    with open(os.path.join(out, "plan.json")) as f:
        return {(canon(p["name"]), p["version"]) for p in json.load(f)["packages"]}


def phases(log):
    """(phase, name, version, up_to_date) of every progress line."""
    res = []
    with open(log, errors="replace") as f:
        for line in f:
            m = PHASE.match(line.rstrip("\n"))
            if m:
                res.append((m.group(3), canon(m.group(4)), m.group(5), bool(m.group(6))))
    return res


def fail(msg):
    print(msg)
    sys.exit(1)


cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "all-wheels":
    # OUT MANIFEST_DIR: the plan holds every project of the index, each has its wheel, no wheel is extra
    out, idx = args
    with open(os.path.join(idx, "manifest.json")) as f:
        projects = set(json.load(f)["projects"])
    plan = plan_keys(out)
    got = set(wheels(out))
    if {n for n, _ in plan} != projects:
        fail("plan %s\nindex %s" % (sorted(n for n, _ in plan), sorted(projects)))
    if plan != got:
        fail("without a wheel: %s\nnot planned: %s" % (sorted(plan - got), sorted(got - plan)))
    print(len(plan), "packages, each with its wheel")
elif cmd == "snapshot":
    # OUT: every file of the mirror, and the sha256 of every wheel
    out = args[0]
    top = os.path.join(out, "wheels-repo")
    files = []
    for dirpath, dirnames, filenames in os.walk(top):
        files += [os.path.relpath(os.path.join(dirpath, fn), out) for fn in filenames]
    for path in sorted(files):
        print("file", path)
    for key, fn in sorted(wheels(out).items()):
        with open(os.path.join(top, "downloads", fn), "rb") as f:
            print("sha256", fn, hashlib.sha256(f.read()).hexdigest())
elif cmd == "no-phases":
    # LOG: no phase ran
    ph = phases(args[0])
    if ph:
        fail("phases ran: %s" % ph)
elif cmd in ("only", "only-ran"):
    # LOG NAME PHASE...: every progress line is NAME's (only-ran: every phase that was not up to
    # date), and each PHASE really ran for it
    log, name, want = args[0], args[1], args[2:]
    ph = phases(log)
    others = [p for p in ph if p[1] != name and (cmd == "only" or not p[3])]
    if others:
        fail("other packages' phases: %s" % others)
    ran = {p[0] for p in ph if not p[3]}
    if not set(want) <= ran:
        fail("%s: ran %s, expected at least %s" % (name, sorted(ran), want))
elif cmd == "rebuilt-exactly":
    # LOG OUT NAME==VERSION: the packages whose build really ran are KEY and the packages whose build
    # environment holds it; no other package's phase really ran
    log, out, key = args
    g = graph(out)
    if key not in g:
        fail("%s not in graph.json" % key)
    users = {k for k in g if key in buildenv(g, k)}
    expected = {canon(k.split("==")[0]) for k in users | {key}}
    ph = phases(log)
    built = {p[1] for p in ph if p[0] == "build" and not p[3]}
    ran = {p[1] for p in ph if not p[3]}
    print("expected", sorted(expected))
    if built != expected:
        fail("built %s, expected %s" % (sorted(built), sorted(expected)))
    if not ran <= expected:
        fail("phases of others ran: %s" % sorted(ran - expected))
elif cmd == "keep-going":
    # OUT NAME==VERSION LOG: after make -k with KEY failing, every package whose build does not
    # need it has its wheel, KEY and those that need it have none; failures.json names KEY's build
    # and its log, which the output of make names too
    out, key, log = args
    g = graph(out)
    blocked = needs(g, key) | {key}
    got = set(wheels(out))
    for k in sorted(g):
        n, v = k.split("==")
        has = (canon(n), v) in got
        if has == (k in blocked):
            fail("%s: wheel %s (blocked by %s: %s)" % (k, has, key, k in blocked))
    with open(os.path.join(out, "failures.json")) as f:
        failures = json.load(f)["failures"]
    name, version = key.split("==")
    mine = [x for x in failures if canon(x["name"]) == name and x["version"] == version
            and x["phase"] == "build"]
    if not mine:
        fail("failures.json: %s" % failures)
    for x in failures:
        if (canon(x["name"]), x["version"]) in got:
            fail("failures.json names %s, which was built" % x)
    logpath = mine[0]["log"]
    full = logpath if os.path.isabs(logpath) else os.path.join(out, logpath)
    if not os.path.isfile(full):
        fail("no log %s" % full)
    if mine[0]["status"] == 0:
        fail("status 0 in %s" % mine[0])
    with open(log, errors="replace") as f:
        text = f.read()
    if logpath not in text:
        fail("make's output does not name %s" % logpath)
    print(len(g) - len(blocked), "built,", sorted(blocked), "not")
elif cmd == "goal":
    # OUT NAME==VERSION NOTNEEDED...: after make NAME, NAME's wheel and those of everything it needs
    # (its install closure and what their builds need) are there; the NOTNEEDED packages have none
    out, key, notneeded = args[0], args[1], args[2:]
    g = graph(out)
    need, todo = set(), [key]
    while todo:
        k = todo.pop()
        if k in need:
            continue
        need.add(k)
        todo += [e["key"] for e in g[k]["edges"] if e["req_type"] == "install"]
        todo += sorted(buildenv(g, k))
    got = set(wheels(out))
    missing = sorted(k for k in need if tuple(k.split("==")) not in got)
    if missing:
        fail("without a wheel: %s" % missing)
    extra = sorted(n for n in notneeded if any(w[0] == n for w in got))
    if extra:
        fail("built but not needed: %s" % extra)
    print(len(need), "needed, all built")
elif cmd == "modules":
    # REQS: the import names of the requirements' projects
    for line in open(args[0]):
        name = re.split(r"[\[<>=!~; ]", line.strip(), 1)[0]
        if name:
            print(re.sub(r"[-_.]+", "_", name).lower())
else:
    fail("h.py: unknown command " + cmd)
EOF
h() { "$PY" -B "$TMP/h.py" "$@"; }

# resolve OUT REQS URL
resolve() {
	"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -r "$2" --index-url "$3" -o "$1"
}
# mk LOG OUT [ARG...]: make -j8 in OUT, its output in LOG (and on failure on standard output)
mk() {
	_log=$1
	_out=$2
	shift 2
	if timeout "$MAKE_TIMEOUT" make -C "$_out" -j8 "$@" >"$_log" 2>&1; then
		return 0
	else
		_rc=$?
		tail -n 40 "$_log"
		return "$_rc"
	fi
}
# scratch N: a from-scratch resolve and build into $TMP/out, its results kept in $TMP/runN.*
scratch() {
	rm -rf "$TMP/tree"
	resolve "$TMP/tree" "$TMP/reqs.txt" "$URL" &&
		mk "$TMP/run$1.log" "$TMP/tree" &&
		cp "$TMP/tree/graph.json" "$TMP/run$1.graph" &&
		cp "$TMP/tree/build-order.json" "$TMP/run$1.order" &&
		h snapshot "$TMP/tree" >"$TMP/run$1.snap"
}
OUT=$TMP/tree

# ---- three from-scratch builds
ok "resolve and make -j8 (run 1)" scratch 1
ok "... every project of the index is planned and has its wheel" h all-wheels "$OUT" "$idx"
ok "... the summary line says nothing failed" grep -q "^wbgen: .*failed 0" "$TMP/run1.log"
ok "... failures.json lists no failure" "$PY" -c 'import json, sys
assert json.load(open(sys.argv[1]))["failures"] == []' "$OUT/failures.json"
ok "run 2 from scratch" scratch 2
ok "run 3 from scratch" scratch 3
same3() { cmp "$TMP/run1.$1" "$TMP/run2.$1" && cmp "$TMP/run1.$1" "$TMP/run3.$1"; }
ok "runs 1, 2 and 3: the same graph.json" same3 graph
ok "... the same build-order.json" same3 order
ok "... the same mirror files and wheel sha256s" same3 snap
ok "... the snapshot lists every wheel with its sha256" test "$(grep -c '^sha256 ' "$TMP/run1.snap")" -eq 37

# ---- pip installs the tree from the mirror
h modules "$TMP/reqs.txt" >"$TMP/modules"
ok "a fresh venv" "$PY" -m venv "$TMP/venv"
ok "pip installs the requirements from the mirror (wheels only)" "$TMP/venv/bin/python" -m pip install \
	--disable-pip-version-check --no-cache-dir --only-binary :all: \
	--index-url "file://$OUT/wheels-repo/simple/" -r "$TMP/reqs.txt"
for m in $(cat "$TMP/modules") dyn_only lib_04; do
	ok "... import $m" "$TMP/venv/bin/python" -c "import $m"
done

# ---- up to date
ok "make -q: up to date" make -q -C "$OUT"
ok "a second make" mk "$TMP/again.log" "$OUT"
ok "... runs no phase" h no-phases "$TMP/again.log"
ok "... builds nothing" grep -q "^wbgen: .*built 0," "$TMP/again.log"

# ---- one sdist touched: that package only
# touch_make FILE LOG: touch OUT/FILE, then make
touch_make() { touch "$OUT/$1" && mk "$2" "$OUT"; }
same_mirror() { h snapshot "$OUT" | cmp - "$1"; }
ok "touch lib-06's sdist, make" touch_make sdists-repo/downloads/lib_06-1.1.tar.gz "$TMP/touch.log"
ok "... only lib-06's phases, its unpack and build ran" h only "$TMP/touch.log" lib-06 unpack build
ok "... the mirror is unchanged" same_mirror "$TMP/run3.snap"
ok "... make -q: up to date" make -q -C "$OUT"

# ---- a backend rebuilt to the same bytes: nothing else
ok "touch chain-b2's sdist (the backend of chain-b3), make" \
	touch_make sdists-repo/downloads/chain_b2-1.0.tar.gz "$TMP/b2.log"
ok "... its wheel was really built again; no other package's phase ran (they may be checked: up to date)" \
	h only-ran "$TMP/b2.log" chain-b2 unpack build
ok "... to the same bytes" same_mirror "$TMP/run3.snap"
ok "... make -q: up to date" make -q -C "$OUT"

# ---- a new release of a backend (chain-b3 1.1) at the same index URL: its users are rebuilt, no other
ln -sfn "$idx_bump" "$TMP/idx"
ok "the index has chain-b3 1.1: wbgen resolve again into the same directory" \
	resolve "$OUT" "$TMP/reqs.txt" "$URL"
ok "... the plan pins chain-b3 1.1" grep -q '"chain-b3==1.1"' "$OUT/graph.json"
ok "... make" mk "$TMP/bump.log" "$OUT"
ok "... exactly chain-b3 and the packages whose build environments hold it were built" \
	h rebuilt-exactly "$TMP/bump.log" "$OUT" chain-b3==1.1
ok "... make -q: up to date" make -q -C "$OUT"
ok "... another make" mk "$TMP/bump2.log" "$OUT"
ok "... runs no phase" h no-phases "$TMP/bump2.log"
ln -sfn "$idx" "$TMP/idx"

# ---- make -k with a failing build requirement
F=$TMP/fail
ok "fail=fail-helper: resolve" resolve "$F" "$TMP/reqs.txt" "$URL_FAIL"
fails 2 "... make -k exits 2" mk "$TMP/fail.log" "$F" -k
ok "... every package whose build does not need fail-helper has its wheel, failures.json and the output name its build log" \
	h keep-going "$F" fail-helper==1.0 "$TMP/fail.log"
fails 1 "... make -q: not up to date" make -q -C "$F"

# ---- make -k when a backend found by discovery fails (the small tree: dbk-c's hook asks for dbk-b,
# dbk-b's for dbk-a): dbk-a, dbk-b, dbk-c and dyn-app cannot be built, the rest is
F=$TMP/fail-small
ok "small, fail=dbk-a: resolve" resolve "$F" "$TMP/reqs-small.txt" "$URL_SMALL_FAIL"
fails 2 "... make -k exits 2" mk "$TMP/fail-small.log" "$F" -k
ok "... every package whose build does not need dbk-a has its wheel, failures.json and the output name its build log" \
	h keep-going "$F" dbk-a==1.0 "$TMP/fail-small.log"

# ---- kill -9 at random moments (the small tree: 17 projects)
K=$TMP/kill
ok "small tree: resolve" resolve "$K" "$TMP/reqs-small.txt" "$URL_SMALL"
ok "... the reference build, uninterrupted" mk "$TMP/kref.log" "$K"
h snapshot "$K" >"$TMP/kref.snap"
ok "... 17 wheels" test "$(grep -c '^sha256 ' "$TMP/kref.snap")" -eq 17
# A kill between the discover phase's update of discovered.json and the re-resolve that follows it leaves
# a discovered.json that holds the new requirement and a plan that lacks it; make must still plan it.
leftover() {
	rm -rf "$K"
	resolve "$K" "$TMP/reqs-small.txt" "$URL_SMALL" || return 1
	cat >"$K/discovered.json" <<'JSON'
{
  "wbgen_discovered": 1,
  "requirements": [
    {
      "name": "dbk-c",
      "version": "1.0",
      "req_type": "build-backend",
      "req": "dbk-b>=1.0"
    }
  ]
}
JSON
}
ok "small tree: resolved, then discovered.json as a kill after its update leaves it" leftover
ok "... make" mk "$TMP/leftover.log" "$K"
test_expect_success "... the same mirror as the uninterrupted build (dbk-b and what it needs built)" \
	'"$PY" -B "$TMP/h.py" snapshot "$K" | diff - "$TMP/kref.snap"'
# trial I DELAY: from scratch, make -j8 in its own process group, kill -9 the group after DELAY seconds, then
# make -j8 again: the same mirror, make -q 0
trial() {
	rm -rf "$K"
	resolve "$K" "$TMP/reqs-small.txt" "$URL_SMALL" || return 1
	setsid make -C "$K" -j8 >"$TMP/kill$1.log" 2>&1 </dev/null &
	_pid=$!
	_pgid=$(ps -o pgid= -p "$_pid" | tr -d ' ')
	sleep "$2"
	if [ "$_pgid" != "$_pid" ]; then
		echo "make is not a process group leader ($_pid in $_pgid)"
		kill -9 "$_pid"
		wait "$_pid"
		return 1
	fi
	# (no "--": dash's kill takes none)
	if kill -9 "-$_pgid"; then
		echo "$1" >>"$TMP/killed"
	else
		echo "(make had finished)"
	fi
	wait "$_pid" || true
	mk "$TMP/kill$1.after.log" "$K" || return 1
	h snapshot "$K" | diff - "$TMP/kref.snap" || return 1
	make -q -C "$K" || { echo "make -q: $?"; return 1; }
}
awk -v n="$KILL_TRIALS" -v seed="$KILL_SEED" 'BEGIN { srand(seed); for (i = 1; i <= n; i++) printf "%d %.2f\n", i, 0.1 + 2.9 * rand() }' \
	>"$TMP/delays"
while read -r i delay; do
	ok "kill -9 after ${delay}s ($i/$KILL_TRIALS), make again: the same mirror, up to date" trial "$i" "$delay"
done <"$TMP/delays"
: >>"$TMP/killed"
ok "... most trials killed a running make" test "$(wc -l <"$TMP/killed")" -ge $((KILL_TRIALS / 2))

# ---- one goal: make NAME
N=$TMP/goal
ok "small tree: resolve" resolve "$N" "$TMP/reqs-small.txt" "$URL_SMALL"
ok "... make dia-top" mk "$TMP/goal.log" "$N" dia-top
ok "... dia-top and all it needs are built; chain-app and dyn-app are not" \
	h goal "$N" dia-top==1.0 chain-app dyn-app
ok "... make -q dia-top: up to date" make -q -C "$N" dia-top
fails 1 "... make -q: not all" make -q -C "$N"

done_testing
