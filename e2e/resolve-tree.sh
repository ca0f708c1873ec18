# resolve-tree.sh: `wbgen resolve` on the tree scenario: the diamond, the build chain
# three backends deep, the install cycle, fromager's files, determinism (repeated runs,
# network delays on different pages, a warm cache) and the reuse of verified sdists.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
tree=$(index_build tree)
index_serve "$tree"
URL=$INDEX_URL
LOG1=$INDEX_LOG
PORT1=$INDEX_PORT
FILES="plan.json graph.json build-order.json constraints.txt"

# res OUT CACHE URL ARGS...
res() {
	_o=$1 _c=$2 _u=$3
	shift 3
	"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/$_c" -o "$TMP/$_o" --index-url "$_u" "$@"
}
# q OUT EXPR: a Python expression over the plan (p), packages by name (k), graph (g),
# build order (o: list of dist names).
q() {
	"$PY" -c 'import json, sys
d = sys.argv[1]
p = json.load(open(d + "/plan.json")); k = {x["name"]: x for x in p["packages"]}
g = json.load(open(d + "/graph.json")); o = [x["dist"] for x in json.load(open(d + "/build-order.json"))]
def closure(n):
    seen, todo = {n}, [n]
    while todo:
        for e in k[todo.pop()]["edges"]:
            m = e["key"].split("==")[0]
            if e["req_type"] == "install" and m not in seen:
                seen.add(m)
                todo.append(m)
    return seen
r = eval("(" + sys.argv[2] + ")"); print(r if isinstance(r, str) else json.dumps(r, sort_keys=True))' "$TMP/$1" "$2"
}
eq() {
	_e=$1
	shift
	_g=$("$@") || return 1
	[ "$_g" = "$_e" ] || { echo "got: $_g"; echo "expected: $_e"; return 1; }
}
# same A B: the four files of A and B are byte-identical, once B's port is A's.
same() {
	for _f in $FILES; do
		sed "s/127\.0\.0\.1:$3\//127.0.0.1:$PORT1\//g" "$TMP/$2/$_f" >"$TMP/cmp"
		cmp "$TMP/$1/$_f" "$TMP/cmp" || return 1
	done
}

ok "tree-root resolves" res a c1 "$URL" tree-root
ok "diamond: one diamond-bottom, the highest that fits both sides" eq '["1.1"]' \
	q a '[x["version"] for x in p["packages"] if x["name"] == "diamond-bottom"]'
ok "diamond: both sides point at it" eq '["diamond-bottom==1.1", "diamond-bottom==1.1"]' \
	q a '[e["key"] for n in ("diamond-left", "diamond-right") for e in k[n]["edges"] if e["req_type"] == "install"]'
ok "diamond: the requirements as written" eq '["diamond-bottom>=1.0", "diamond-bottom<2"]' \
	q a '[e["req"] for n in ("diamond-left", "diamond-right") for e in k[n]["edges"] if e["req_type"] == "install"]'
ok "build chain: chain-app -> backend-c -> backend-b -> tinybuild" eq \
	'[["backend-c==1.0"], ["backend-b==1.0"], ["tinybuild==1.0"], []]' \
	q a '[[e["key"] for e in k[n]["edges"] if e["req_type"] == "build-system"] for n in ("chain-app", "backend-c", "backend-b", "tinybuild")]'
ok "build chain: the build order builds it bottom up" eq true \
	q a 'o.index("tinybuild") < o.index("backend-b") < o.index("backend-c") < o.index("chain-app")'
ok "build order: every package once" eq true q a 'sorted(o) == sorted(k) and len(o) == len(set(o))'
ok "build order: after its build requirements and their install closure" eq '[]' q a '
[(n, m) for n in k for e in k[n]["edges"] if e["req_type"].startswith("build")
 for m in closure(e["key"].split("==")[0]) if o.index(m) > o.index(n)]'
ok "install cycle: a -> b -> c -> a, all in the plan" eq '["cycle-b==1.0", "cycle-c==1.0", "cycle-a==1.0"]' \
	q a '[e["key"] for n in ("cycle-a", "cycle-b", "cycle-c") for e in k[n]["edges"] if e["req_type"] == "install"]'
test_expect_success "install cycle: in constraints.txt" \
	'grep -c "^cycle-[abc]==1.0$" "$TMP/a/constraints.txt" | grep -qx 3'
ok "setuptools users get the PEP 517 default or their [build-system]" eq \
	'[["setuptools>=40.8.0"], "setuptools.build_meta:__legacy__", "setuptools.build_meta"]' \
	q a '[k["st-legacy"]["build_system"]["requires"], k["st-legacy"]["build_system"]["build_backend"], k["st-cfg"]["build_system"]["build_backend"]]'
ok "dynamic packages are marked so" eq '["dyn-deps", "setuptools", "st-cfg", "st-legacy"]' \
	q a 'sorted(n for n in k if k[n]["install_requires_source"] == "dynamic")'
ok "static PKG-INFO 2.2 and [project] sources" eq '["pkg-info", "pyproject"]' \
	q a '[k["lib-01"]["install_requires_source"], k["lib-02"]["install_requires_source"] if "lib-02" in k else k["lib-04"]["install_requires_source"]]'
ok "graph.json: fromager's shape" eq true q a '
g[""]["edges"] == [{"key": "tree-root==1.0", "req_type": "toplevel", "req": "tree-root"}] and
all(set(v) == {"download_url", "pre_built", "version", "canonicalized_name", "constraint", "edges"} for v in g.values()) and
sorted(g) == sorted([""] + [n + "==" + k[n]["version"] for n in k])'
ok "build-order.json: fromager's fields" eq true q a '
all({"req", "constraint", "dist", "version", "prebuilt", "source_url", "source_url_type"} <= set(x) and x["source_url_type"] == "sdist"
    for x in json.load(open(d + "/build-order.json")))'
ok "every sdist is downloaded and its sha256 is the index's" "$PY" -c 'import hashlib, json, sys
d, m = sys.argv[1], json.load(open(sys.argv[2] + "/manifest.json"))
want = {f["filename"]: f["sha256"] for pr in m["projects"].values() for f in pr["files"]}
for x in json.load(open(d + "/plan.json"))["packages"]:
    s = x["sdist"]
    assert s["sha256"] == want[s["filename"]], s
    assert hashlib.sha256(open(d + "/" + s["path"], "rb").read()).hexdigest() == s["sha256"], s
' "$TMP/a" "$tree"
ok "nothing else in sdists-repo/downloads" eq "$(q a 'len(k)')" eval 'ls "$TMP/a/sdists-repo/downloads" | wc -l'

# ---- determinism
ok "a second cold run" res b c2 "$URL" tree-root
ok "... gives byte-identical files" same a b "$PORT1"
ok "one download at a time (--jobs 1), cold" res j1 cj1 "$URL" --jobs 1 tree-root
ok "... gives byte-identical files" same a j1 "$PORT1"
n_before=$(wc -l <"$LOG1")
ok "a warm run (same cache, fresh output)" res c c1 "$URL" tree-root
ok "... gives byte-identical files" same a c "$PORT1"
ok "... takes the sdists from the cache (no download)" eq 0 eval \
	'tail -n +$((n_before + 1)) "$LOG1" | grep -c "^GET	/packages/" || true'
# each sdist in sdists-repo is a hard link of the cache's verified copy, named by its digest
ok "... each sdist a hard link of the cache's copy" "$PY" - "$TMP/c" "$TMP/c1" <<'PYEOF'
import hashlib, os, sys
out, cache = sys.argv[1], sys.argv[2]
d = out + "/sdists-repo/downloads"
names = sorted(os.listdir(d))
assert names, "no sdists"
for n in names:
    h = hashlib.sha256(open(os.path.join(d, n), "rb").read()).hexdigest()
    c = os.path.join(cache, "files", "sha256", h[:2], h[2:])
    assert os.path.samefile(os.path.join(d, n), c), (n, c)
PYEOF
test_expect_success "... revalidates pages instead of transferring them" \
	'tail -n +$((n_before + 1)) "$LOG1" | awk -F "\t" "\$2 ~ /^\/simple\// { n++; if (\$3 == 304) m++ } END { exit !(n > 0 && m == n) }"'
n_before=$(wc -l <"$LOG1")
# every file of OUTDIR with its inode, mtime and size: an unchanged plan rewrites nothing (the
# directories change: the lock files and the .wbgen-resolving mark come and go)
outstamp() { (cd "$1" && find . -path ./.wbgen-make.lock -prune -o -type f -printf "%p %i %T@ %s\n" | sort); }
outstamp "$TMP/a" >"$TMP/a.stamp"
ok "a run into the same output" res a c1 "$URL" tree-root
test_expect_success "... rewrites no file (same inodes, mtimes and sizes)" \
	'outstamp "$TMP/a" | cmp -s - "$TMP/a.stamp" || { outstamp "$TMP/a" | diff "$TMP/a.stamp" - | head; false; }'
ok "... and leaves no .wbgen-resolving mark" test ! -e "$TMP/a/.wbgen-resolving"
ok "... reuses the verified sdists (no download)" eq 0 eval \
	'tail -n +$((n_before + 1)) "$LOG1" | grep -c "^GET	/packages/" || true'
ok "... and writes the same files" same a c "$PORT1"
ok "... asks for every page in one wave (the previous plan names them)" eq 1 eval \
	'"$WBGEN" resolve -v --python "$PY" --cache-dir "$TMP/c1" -o "$TMP/a" --index-url "$URL" tree-root 2>&1 |
	grep -c "fetching .* index page"'
ok "... and still writes the same files" same a c "$PORT1"
cp -R "$TMP/a" "$TMP/stale"
"$PY" - "$TMP/stale/plan.json" <<'PYEOF'
import json, sys
p = json.load(open(sys.argv[1]))
p["packages"].append(dict(p["packages"][0], name="no-such-project-at-all"))
p["packages"].append(dict(p["packages"][0], name="Not_Canonical"))
json.dump(p, open(sys.argv[1], "w"))
PYEOF
ok "a previous plan naming projects the index does not have" res stale c1 "$URL" tree-root
ok "... changes nothing" same a stale "$PORT1"

ok "--offline with the cache and the sdists present" res a c1 "$URL" --offline tree-root
ok "... writes the same files" same a c "$PORT1"
ok "--offline into a fresh output: the sdists come from the cache" res off0 c1 "$URL" --offline tree-root
ok "... and the files are the same" same a off0 "$PORT1"
cp -R "$TMP/c1" "$TMP/c1-nofiles"
rm -rf "$TMP/c1-nofiles/files"
fails 1 "--offline without the sdists, in OUTDIR or the cache" res off c1-nofiles "$URL" --offline tree-root
cp "$TMP/err" "$TMP/off.err"
test_expect_success "... says which one is missing" \
	'grep -q "sdists-repo/downloads/.*not downloaded yet.*--offline" "$TMP/off.err" && test "$(wc -l <"$TMP/off.err")" -eq 1'

# delays on different pages and files: the order of arrivals changes, the files do not
for spec in '/simple/lib-0*=delay,seconds=0.3' '/simple/diamond-*=delay,seconds=0.3 /packages/backend-b/*=delay,seconds=0.4' \
	'/simple/tree-root/=delay,seconds=0.3 /packages/lib-1*=delay,seconds=0.2 /simple/cycle-c/=delay,seconds=0.3'; do
	set --
	for f in $spec; do
		set -- "$@" --fault "$f"
	done
	index_serve "$tree" "$@"
	dn=d$INDEX_PORT
	ok "delays ($spec): resolves" res "$dn" "c$dn" "$INDEX_URL" tree-root
	ok "delays ($spec): byte-identical files" same a "$dn" "$INDEX_PORT"
	ok "delays ($spec): were injected" grep -q "	delay" "$INDEX_LOG"
	index_stop "$INDEX_PID"
done

# ---- sdists: a corrupt one is downloaded again, a missing one too (from the cache when it has it)
f=$(ls "$TMP/a/sdists-repo/downloads/" | grep '^lib_07')
# rewritten in place: this damages the cache's copy too (the same file), which must be noticed
printf 'garbage' >"$TMP/a/sdists-repo/downloads/$f"
rm -f "$TMP/a/sdists-repo/downloads/diamond_top-1.0.tar.gz"
g=$(ls "$TMP/a/sdists-repo/downloads/" | grep '^lib_08')
rm -f "$TMP/a/sdists-repo/downloads/$g"
h=$(index_sha256 "$tree" "$g")
rm -f "$TMP/c1/files/sha256/$(printf %s "$h" | cut -c1-2)/$(printf %s "$h" | cut -c3-)"
INDEX_LOG=$LOG1
n_before=$(wc -l <"$LOG1")
ok "a corrupt sdist, a missing one, and one missing from OUTDIR and the cache" res a c1 "$URL" tree-root
ok "... the corrupt one and the one not in the cache are downloaded again, and only them" \
	eq "$(printf '%s\n' "/packages/lib-07/$f" "/packages/lib-08/$g" | sort | tr '\n' ' ' | sed 's/ $//')" eval \
	'tail -n +$((n_before + 1)) "$LOG1" | awk -F "\t" "\$2 ~ /^\/packages\// { print \$2 }" | sort | tr "\n" " " | sed "s/ \$//"'
ok "... verified" eq "$(index_sha256 "$tree" "$f")" eval 'sha256sum "$TMP/a/sdists-repo/downloads/$f" | cut -c1-64'
ok "... the missing one verified (from the cache)" eq "$(index_sha256 "$tree" diamond_top-1.0.tar.gz)" eval \
	'sha256sum "$TMP/a/sdists-repo/downloads/diamond_top-1.0.tar.gz" | cut -c1-64'
ok "... the cache's copies are whole again" "$PY" - "$TMP/c1" <<'PYEOF'
import hashlib, os, sys
for d, _, files in os.walk(sys.argv[1] + "/files/sha256"):
    for n in files:
        assert hashlib.sha256(open(os.path.join(d, n), "rb").read()).hexdigest() == os.path.basename(d) + n, n
PYEOF
ok "... and the files are the same" same a c "$PORT1"

# ---- two resolves at once into two outputs, sharing an empty cache: both complete, alike
( res par1 cpar "$URL" tree-root >"$TMP/par1.out" 2>&1; echo $? >"$TMP/par1.rc" ) &
p1=$!
( res par2 cpar "$URL" tree-root >"$TMP/par2.out" 2>&1; echo $? >"$TMP/par2.rc" ) &
p2=$!
wait "$p1" "$p2"
test_expect_success "two resolves sharing a cache at once: both succeed" \
	'test "$(cat "$TMP/par1.rc")" = 0 && test "$(cat "$TMP/par2.rc")" = 0 || { cat "$TMP/par1.out" "$TMP/par2.out"; false; }'
ok "... with the same files" same par1 par2 "$PORT1"
ok "... as a run alone" same a par1 "$PORT1"

# ---- WBGEN_NO_HARDLINKS=1: independent copies (what happens on another file system)
ok "WBGEN_NO_HARDLINKS=1, warm cache, fresh output" env WBGEN_NO_HARDLINKS=1 \
	"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/c1" -o "$TMP/cp" --index-url "$URL" tree-root
ok "... gives byte-identical files" same a cp "$PORT1"
ok "... each sdist a copy, not a link, with the cache's content" "$PY" - "$TMP/cp" "$TMP/c1" <<'PYEOF'
import hashlib, os, sys
out, cache = sys.argv[1], sys.argv[2]
d = out + "/sdists-repo/downloads"
names = sorted(os.listdir(d))
assert names, "no sdists"
for n in names:
    p = os.path.join(d, n)
    h = hashlib.sha256(open(p, "rb").read()).hexdigest()
    c = os.path.join(cache, "files", "sha256", h[:2], h[2:])
    assert not os.path.samefile(p, c) and os.stat(p).st_nlink == 1, n
    assert open(c, "rb").read() == open(p, "rb").read(), n
    assert os.stat(p).st_mode & 0o777 == 0o644, (n, oct(os.stat(p).st_mode))
PYEOF
ok "no temporary files left behind" eq "" eval 'find "$TMP/a" -name "*.tmp*" -o -name ".*tmp*"'

done_testing
