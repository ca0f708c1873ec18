# publish.sh: `wbgen publish` into a static PEP 503 mirror that pip can install from; concurrent
# publishes, re-publishing, a killed publish.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"

PY=/usr/bin/python3
MIR=$TMP/mirror

# mkwheels DIR NAME:VERSION[:REQUIRES_PYTHON[:SALT]]...: minimal valid wheels (METADATA, WHEEL, RECORD)
mkwheels() {
	"$PY" -B - "$@" <<'PYEOF'
import base64, hashlib, os, re, sys, zipfile
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for spec in sys.argv[2:]:
    parts = spec.split(":")
    name, version = parts[0], parts[1]
    rp = parts[2] if len(parts) > 2 else ""
    salt = parts[3] if len(parts) > 3 else ""
    dist = re.sub(r"[-_.]+", "_", name).lower()
    info = "%s-%s.dist-info" % (dist, version)
    meta = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)
    if rp:
        meta += "Requires-Python: %s\n" % rp
    files = [("%s/__init__.py" % dist, ("VALUE = %r\n" % (version + salt)).encode()),
             (info + "/METADATA", (meta + "\n").encode()),
             (info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: publish.sh\nRoot-Is-Purelib: true\nTag: py3-none-any\n")]
    rec = "".join("%s,sha256=%s,%d\n" % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode(), len(d))
                  for n, d in files) + info + "/RECORD,,\n"
    files.append((info + "/RECORD", rec.encode()))
    with zipfile.ZipFile(os.path.join(out, "%s-%s-py3-none-any.whl" % (dist, version)), "w") as zf:
        for n, d in files:
            zf.writestr(zipfile.ZipInfo(n, (1980, 1, 1, 0, 0, 0)), d)
PYEOF
}

# check_mirror DIR [NAME==VERSION]...: every page parses, lists existing files with the right hashes,
# sorted; the root lists every project directory; the given wheels are all listed
check_mirror() {
	"$PY" -B - "$@" <<'PYEOF'
import hashlib, html.parser, os, re, sys
root = os.path.join(sys.argv[1], "simple")

class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))

def page(path):
    text = open(path, encoding="utf-8").read()
    assert text.startswith("<!DOCTYPE html>\n") and text.endswith("</html>\n"), "truncated page " + path
    p = Links()
    p.feed(text)
    return p.links

def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()

projects = sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "index.html")))
rootlinks = [l["href"] for l in page(os.path.join(root, "index.html"))]
assert rootlinks == [p + "/" for p in projects], (rootlinks, projects)
listed = set()
for proj in projects:
    d = os.path.join(root, proj)
    links = page(os.path.join(d, "index.html"))
    names = [l["href"].split("#")[0] for l in links]
    assert names == sorted(names), names
    wheels = sorted(f for f in os.listdir(d) if f.endswith(".whl") and not f.startswith("."))
    assert names == wheels, (proj, names, wheels)
    for l in links:
        fn, frag = l["href"].split("#")
        assert frag == "sha256=" + sha(os.path.join(d, fn)), fn
        md = os.path.join(d, fn + ".metadata")
        if os.path.exists(md):
            assert l["data-core-metadata"] == l["data-dist-info-metadata"] == "sha256=" + sha(md), fn
            text = open(md).read()
        else:
            assert "data-core-metadata" not in l and "data-dist-info-metadata" not in l, fn
            import zipfile
            with zipfile.ZipFile(os.path.join(d, fn)) as zf:
                text = zf.read([n for n in zf.namelist() if n.endswith(".dist-info/METADATA")][0]).decode()
        m = re.search(r"^Requires-Python: (.*)$", text, re.M)
        assert l.get("data-requires-python") == (m.group(1) if m else None), fn
        v = re.search(r"^Version: (.*)$", text, re.M).group(1)
        listed.add("%s==%s" % (proj, v))
missing = set(sys.argv[2:]) - listed
assert not missing, sorted(missing)
PYEOF
}

# stamp DIR: every path with its mtime and size, to see that nothing changed
stamp() {
	find "$1" -printf '%p %T@ %s %i\n' | sort
}

mkwheels "$TMP/w" foo-bar:1.0 foo-bar:2.0:">=3.8" zope.thing:4.1 plain:0.1:"<4,>=3.7"
ok "publish some wheels" "$WBGEN" publish --mirror "$MIR" "$TMP/w"/*.whl
ok "the mirror is complete and correct" check_mirror "$MIR" foo-bar==1.0 foo-bar==2.0 zope-thing==4.1 plain==0.1
ok "one directory per canonical name" test -f "$MIR/simple/zope-thing/zope_thing-4.1-py3-none-any.whl"
ok "requires-python is escaped in the page" grep -q 'data-requires-python="&lt;4,&gt;=3.7"' "$MIR/simple/plain/index.html"
test_expect_success "pip downloads from it" \
	'"$PY" -m pip download --no-deps --no-cache-dir --disable-pip-version-check \
	--index-url "file://$MIR/simple/" -d "$TMP/dl" "foo.bar>=2" "zope-thing" && ls "$TMP/dl" | sort | tr "\n" " " |
	grep -q "^foo_bar-2.0-py3-none-any.whl zope_thing-4.1-py3-none-any.whl $"'
test_expect_success "pip installs from it" '"$PY" -m pip install --no-deps --no-cache-dir --disable-pip-version-check \
	--index-url "file://$MIR/simple/" --target "$TMP/site" "foo-bar==1.0" plain >/dev/null &&
	PYTHONPATH="$TMP/site" "$PY" -c "import foo_bar, plain; assert foo_bar.VALUE == \"1.0\""'

P=$TMP/pep658
test_expect_success "publish --pep658 extracts METADATA and announces it" \
	'"$WBGEN" publish --mirror "$P" --pep658 "$TMP/w"/*.whl &&
	test -f "$P/simple/plain/plain-0.1-py3-none-any.whl.metadata" &&
	grep -q "data-core-metadata=\"sha256=" "$P/simple/plain/index.html"'
ok "... correctly" check_mirror "$P" foo-bar==1.0 foo-bar==2.0 zope-thing==4.1 plain==0.1
test_expect_success "pip uses the .metadata files (name spelt as in METADATA)" \
	'"$PY" -m pip download --no-deps --no-cache-dir \
	--disable-pip-version-check --index-url "file://$P/simple/" -d "$TMP/dl2" "zope.thing" >"$TMP/pip.out" &&
	grep -q "zope_thing-4.1-py3-none-any.whl.metadata" "$TMP/pip.out" && ls "$TMP/dl2/zope_thing-4.1-py3-none-any.whl"'

stamp "$MIR" >"$TMP/before"
ok "re-publishing identical wheels succeeds" "$WBGEN" publish --mirror "$MIR" "$TMP/w"/*.whl
test_expect_success "... and changes nothing, mtimes included" 'stamp "$MIR" | diff "$TMP/before" -'

mkwheels "$TMP/w2" foo-bar:1.0::rebuilt
test_expect_success "a different wheel of the same name replaces the old one" \
	'"$WBGEN" publish --mirror "$MIR" "$TMP/w2/foo_bar-1.0-py3-none-any.whl" 2>"$TMP/note" &&
	grep -q "replaced" "$TMP/note" && cmp "$TMP/w2/foo_bar-1.0-py3-none-any.whl" "$MIR/simple/foo-bar/foo_bar-1.0-py3-none-any.whl"'
ok "... and the page has its new hash" check_mirror "$MIR" foo-bar==1.0 foo-bar==2.0

# ---- errors
printf 'not a zip' >"$TMP/bad-1.0-py3-none-any.whl"
fails 1 "a file that is not a zip is refused" "$WBGEN" publish --mirror "$MIR" "$TMP/bad-1.0-py3-none-any.whl"
test_expect_success "... and not listed" '! test -e "$MIR/simple/bad" || ! grep -q bad- "$MIR/simple/bad/index.html"'
cp "$TMP/w/plain-0.1-py3-none-any.whl" "$TMP/notawheelname.whl"
fails 1 "a bad wheel filename is refused" "$WBGEN" publish --mirror "$MIR" "$TMP/notawheelname.whl"
cp "$TMP/w/plain-0.1-py3-none-any.whl" "$TMP/other-0.1-py3-none-any.whl"
fails 1 "a wheel whose METADATA names another project is refused" "$WBGEN" publish --mirror "$MIR" "$TMP/other-0.1-py3-none-any.whl"
fails 2 "publish without --mirror" "$WBGEN" publish "$TMP/w/plain-0.1-py3-none-any.whl"
fails 2 "publish without wheels" "$WBGEN" publish --mirror "$MIR"
ok "the mirror is still correct" check_mirror "$MIR"

# ---- concurrent publishes: 6 projects x 6 versions, each wheel published by its own process,
# plus whole-project publishes at the same time
set --
for p in alpha beta gamma delta eps zeta; do
	for v in 1.0 1.1 1.2 2.0 2.1 3.0; do
		set -- "$@" "$p:$v"
	done
done
mkwheels "$TMP/many" "$@"
C=$TMP/concurrent
pids=
for w in "$TMP/many"/*.whl; do
	"$WBGEN" publish --mirror "$C" "$w" 2>>"$TMP/conc.err" &
	pids="$pids $!"
done
for p in alpha gamma zeta; do
	"$WBGEN" publish --mirror "$C" "$TMP/many/$p"-*.whl 2>>"$TMP/conc.err" &
	pids="$pids $!"
done
conc_failed=0
for pid in $pids; do
	wait "$pid" || conc_failed=$((conc_failed + 1))
done
ok "concurrent publishes all succeed" test "$conc_failed" -eq 0
all=$(for a; do echo "${a%%:*}==${a#*:}"; done)
# shellcheck disable=SC2086 # one NAME==VERSION per word
ok "concurrent publishes leave a complete, correct mirror" check_mirror "$C" $all
test_expect_success "... with 36 wheels in 6 projects" 'test "$(ls "$C"/simple/*/*.whl | wc -l)" -eq 36 &&
	test "$(grep -c "<a href" "$C/simple/index.html")" -eq 6'
test_expect_success "... and no temporary files" '! find "$C" -name "*.tmp*" | grep -q .'

# ---- the root page's rewrites coalesce: a publish that finds the root lock held leaves its mark
# (.locks/root.stale) to the holder instead of waiting its turn
R=$TMP/coalesce
ok "a first publish makes the mirror" "$WBGEN" publish --mirror "$R" "$TMP/many/alpha-1.0-py3-none-any.whl"
flock -o "$R/.locks/root.lock" sleep 30 &
holder=$!
at_exit 'kill '"$holder"' 2>/dev/null'
test_expect_success "... another publish, the root lock held, does not wait for it" \
	'i=0; until ! flock -n "$R/.locks/root.lock" true; do i=$((i + 1)); test $i -lt 100 || exit 1; sleep 0.1; done &&
	timeout 10 "$WBGEN" publish --mirror "$R" "$TMP/many/beta-1.0-py3-none-any.whl"'
ok "... its project page is there" grep -q "beta-1.0-py3-none-any.whl" "$R/simple/beta/index.html"
ok "... and the root page is marked stale, not yet rewritten" \
	sh -c 'test -e "$1/.locks/root.stale" && ! grep -q beta "$1/simple/index.html"' sh "$R"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null || :
ok "the next publish rewrites it with both" "$WBGEN" publish --mirror "$R" "$TMP/many/gamma-1.0-py3-none-any.whl"
test_expect_success "... every project listed, no mark left" \
	'test "$(grep -c "<a href" "$R/simple/index.html")" -eq 3 && test ! -e "$R/.locks/root.stale"'
ok "... a correct mirror" check_mirror "$R" alpha==1.0 beta==1.0 gamma==1.0

# ---- a publish killed at various moments never leaves a broken page
K=$TMP/killed
kill_ok=0
i=0
while [ "$i" -lt 10 ]; do
	"$WBGEN" publish --mirror "$K" "$TMP/many"/*.whl 2>/dev/null &
	kpid=$!
	sleep "0.0$i"
	kill -9 "$kpid" 2>/dev/null || true
	wait "$kpid" 2>/dev/null || true
	if [ -d "$K/simple" ] && [ -f "$K/simple/index.html" ]; then
		# every page present is whole and lists only files that are there, with the right hashes;
		# a wheel may be present but not listed yet
		"$PY" -B - "$K" <<'PYEOF' || kill_ok=$((kill_ok + 1))
import hashlib, os, sys
root = os.path.join(sys.argv[1], "simple")
for d in os.listdir(root):
    page = os.path.join(root, d, "index.html")
    if not os.path.isfile(page):
        continue
    text = open(page).read()
    assert text.endswith("</html>\n"), page
    for line in text.splitlines():
        if "<a href=" in line:
            fn, h = line.split('"')[1].split("#sha256=")
            assert hashlib.sha256(open(os.path.join(root, d, fn), "rb").read()).hexdigest() == h, fn
assert open(os.path.join(root, "index.html")).read().endswith("</html>\n")
PYEOF
	fi
	i=$((i + 1))
done
ok "killed publishes (10 trials) never left a broken page" test "$kill_ok" -eq 0
ok "publishing again completes the mirror" "$WBGEN" publish --mirror "$K" "$TMP/many"/*.whl
# shellcheck disable=SC2086
ok "... correctly" check_mirror "$K" $all
test_expect_success "help text" '"$WBGEN" publish --help | grep -q "^usage: wbgen publish"'

done_testing
