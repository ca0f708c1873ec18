# resolve-rules.sh: `wbgen resolve` against the local index, one check per resolution rule
# (e2e/fixtures/scenarios/resolve.json, basic.json): the highest version, constraints,
# requires-python (index and PKG-INFO), pre-releases, yanked files, sdists, markers and
# extras, where the install requirements came from, build-system defaults, one version per
# project, conflicts, unknown projects and requirements that match nothing.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
src=$(index_build resolve)
basic=$(index_build basic)

# A copy of the index with rp-pkginfo 2.0's requires-python only in its PKG-INFO (the
# index pages no longer say it).
cp -R "$src" "$TMP/idx"
"$PY" - "$TMP/idx" <<'PYEOF'
import json, re, sys
d = sys.argv[1] + "/simple/rp-pkginfo/"
h = open(d + "index.html").read()
h = re.sub(r'(rp_pkginfo-2\.0\.tar\.gz#sha256=[0-9a-f]+") data-requires-python="[^"]*"', r"\1", h)
open(d + "index.html", "w").write(h)
j = json.load(open(d + "index.json"))
for f in j["files"]:
    if f["filename"] == "rp_pkginfo-2.0.tar.gz":
        del f["requires-python"]
open(d + "index.json", "w").write(json.dumps(j))
PYEOF
index_serve "$TMP/idx"
URL=$INDEX_URL
index_serve "$basic"
BURL=$INDEX_URL
export PY URL BURL
CACHE=$TMP/cache
n=0

# res OUT ARGS...: resolve into $TMP/OUT against the resolve index.
res() {
	_o=$1
	shift
	rm -rf "${TMP:?}/$_o"
	"$WBGEN" resolve --python "$PY" --cache-dir "$CACHE" -o "$TMP/$_o" --index-url "${IDX:-$URL}" "$@"
}
# pins OUT: "name==version" of every package of the plan, one a line, sorted.
pins() {
	"$PY" -c 'import json, sys
for p in json.load(open(sys.argv[1] + "/plan.json"))["packages"]: print(p["name"] + "==" + p["version"])' "$TMP/$1"
}
# q OUT EXPR: print a Python expression of the plan (p), packages by name (k).
q() {
	"$PY" -c 'import json, sys
p = json.load(open(sys.argv[1] + "/plan.json")); k = {x["name"]: x for x in p["packages"]}
r = eval(sys.argv[2]); print(r if isinstance(r, str) else json.dumps(r, sort_keys=True))' "$TMP/$1" "$2"
}
# has OUT NAME==VERSION...: the plan holds exactly these versions of these projects.
has() {
	_o=$1
	shift
	pins "$_o" >"$TMP/$_o.pins"
	for _p; do
		grep -qx "$_p" "$TMP/$_o.pins" || { echo "missing $_p in:"; cat "$TMP/$_o.pins"; return 1; }
	done
}
# lacks OUT NAME: no version of NAME in the plan.
lacks() {
	! pins "$1" | grep -q "^$2=="
}
# eq EXPECTED COMMAND...: COMMAND prints EXPECTED.
eq() {
	_e=$1
	shift
	_g=$("$@") || return 1
	[ "$_g" = "$_e" ] || { echo "got: $_g"; echo "expected: $_e"; return 1; }
}
# chk OUT "PIN..." ARGS...: resolve ARGS into OUT; the plan has each PIN.
chk() {
	_o=$1 _p=$2
	shift 2
	res "$_o" "$@" && has "$_o" $_p
}
# err OUT PATTERN ARGS...: resolving fails (exit 1) with one line on stderr that matches
# the grep -E PATTERN, and leaves no plan.json.
err() {
	_o=$1 _p=$2
	shift 2
	set +e
	res "$_o" "$@" 2>"$TMP/$_o.err"
	_rc=$?
	set -e
	cat "$TMP/$_o.err" >&2
	[ "$_rc" -eq 1 ] || { echo "exit $_rc"; return 1; }
	[ "$(wc -l <"$TMP/$_o.err")" -eq 1 ] || { echo "not one line"; return 1; }
	grep -Eq -- "$_p" "$TMP/$_o.err" || { echo "no match for $_p"; return 1; }
	[ ! -e "$TMP/$_o/plan.json" ] || { echo "plan.json written"; return 1; }
}

# ---- versions
ok "the highest version: 1.10 above 1.2, pre-releases left out" chk hv "hv==1.10" hv
ok "a specifier caps it" chk hv2 "hv==1.2" 'hv<1.10'
ok "a pre-release when the specifier names one" chk hv3 "hv==2.0b1" 'hv>=2.0a1'
# PEP 440: pre-releases are accepted "for version specifiers where there is no final or
# post release that satisfies the version specifier". packaging before 26 (so Debian's pip
# 23.0.1) falls back only for an empty specifier (pypa/packaging#856, fixed by #897), so
# resolve-pip.sh leaves this case out.
ok "a pre-release when it is the only match" chk hv4 "hv==2.0b1" 'hv>1.10'
ok "2.0b1 is below 2: nothing matches >=2" err hv4b "no version of 'hv' satisfies 'hv>=2'" 'hv>=2'
ok "only pre-releases exist: the highest" chk op "only-pre==1.0b2" only-pre
ok "--pre allows pre-releases everywhere" chk hv5 "hv==2.0b1" --pre hv
test_expect_success "--pre in a requirements file" 'printf -- "--pre\nhv\n" >"$TMP/pre.txt"'
ok "... is honoured" chk hv6 "hv==2.0b1" -r "$TMP/pre.txt"
ok "a dependency naming a pre-release gets it" chk pu "pre-user==1.0 hv==2.0b1" pre-user
ok "a top-level pre-release requirement and another on the same project" chk pu2 "hv==2.0b1" pre-user 'hv>=1'

# ---- constraints
printf 'hv<1.5\n# a comment\nunrelated-project==9\n' >"$TMP/c1.txt"
printf -- '-c c1.txt\nhv\n' >"$TMP/r1.txt"
printf 'hv!=1.2, <1.5\n' >"$TMP/c2.txt"
ok "a -c file lowers the choice" chk c1 "hv==1.2" -c "$TMP/c1.txt" hv
ok "the constraint is recorded in the plan" eq "hv<1.5" q c1 'k["hv"]["constraint"]'
ok "-c inside a -r file" chk c2 "hv==1.2" -r "$TMP/r1.txt"
ok "two constraint files combine" chk c3 "hv==1.0" -c "$TMP/c1.txt" -c "$TMP/c2.txt" hv
ok "... one constraint made of both in the plan" eq "hv!=1.2,<1.5" q c3 'k["hv"]["constraint"]'
ok "a constraint on a project nobody requires adds nothing" lacks c1 unrelated-project
ok "constraints apply to dependencies too" chk c4 "hv==1.2 hv-user==1.0" -c "$TMP/c1.txt" hv-user
ok "a dependency that contradicts a constraint: names both, with the chain" err c4b \
	"requirement 'hv>=2\.0b1' \(from pre-user 1\.0 \[install\] <- command line:1\) conflicts with the constraint 'hv<1\.5' \(.*/c1\.txt:1\)" \
	-c "$TMP/c1.txt" pre-user
ok "constraints.txt lists the install closure" chk c5 "ext-user==1.0" ext-user
ok "... sorted, nothing else" eq "$(printf 'dep-a==1.0\next==1.0\next-user==1.0')" cat "$TMP/c5/constraints.txt"
printf 'hv>=5\n' >"$TMP/c3.txt"
ok "a constraint that excludes every version: names both" err c6 \
	"requirement 'hv' \(from command line:1\) conflicts with the constraint 'hv>=5' \(.*/c3\.txt:1\)" -c "$TMP/c1.txt" -c "$TMP/c3.txt" hv
printf 'yk==2.0\n' >"$TMP/c4.txt"
ok "a constraint pinning a yanked version admits it" chk c7 "yk==2.0" -c "$TMP/c4.txt" yk

# ---- requires-python
ok "requires-python from the index (data-requires-python)" chk rp "rp==1.0" rp
ok "requires-python from an HTML-only page" chk rph "rp-html==1.0" rp-html
ok "requires-python found only in PKG-INFO: the next version" chk rpp "rp-pkginfo==1.0" rp-pkginfo
ok "... and the plan records it" eq ">=3" q rpp 'k["rp-pkginfo"]["requires_python"]'
ok "requires-python excludes a pinned version: an error listing why" err rp2 \
	"no version of 'rp'.*2\.0 \(requires-python >=3\.99\)" 'rp==2.0'

# ---- yanked files, missing sdists
ok "a yanked file is skipped" chk yk "yk==1.0" yk
ok "a yanked file is taken when pinned with ==" chk yk2 "yk==2.0" 'yk==2.0'
ok "a yanked file is taken when pinned with ===" chk yk3 "yk==2.0" 'yk===2.0'
ok "a yanked file is not taken by >=" err yk4 "no version of 'yk'.*2\.0 \(yanked: do not use\)" 'yk>=2'
ok "a version without an sdist is skipped" chk nosd "nosd==1.0" nosd
ok "a version with only a wheel is rejected by name" err nosd2 "no version of 'nosd'.*2\.0 \(no sdist\)" 'nosd>=2'

# ---- markers and extras
ok "a false marker on a top-level requirement drops it" chk mk "hv==1.10" hv 'dep-w; sys_platform == "win32"'
ok "... and the project is not in the plan" lacks mk dep-w
ok "an extra pulls its requirements" chk ex "ext==1.0 dep-a==1.0" 'ext[a]'
ok "... but not the others'" lacks ex dep-b
ok "extras of extras (ext[all] needs ext[a])" chk ex2 "ext==1.0 dep-a==1.0 dep-b==1.0" 'ext[all]'
ok "... with no edge from ext to itself" eq '["dep-a==1.0", "dep-b==1.0", "tinybuild==1.0"]' q ex2 'sorted(e["key"] for e in k["ext"]["edges"])'
ok "... and the plan lists the extras requested" eq '["a", "all"]' q ex2 'k["ext"]["extras"]'
ok "an extra whose requirement has a false marker" chk ex3 "ext==1.0" 'ext[win]'
ok "... drops it" lacks ex3 dep-w
ok "no extras: no extra requirements" chk ex4 "ext==1.0" ext
ok "... none" eq 2 eval 'pins ex4 | wc -l'
ok "extras requested through a dependency" chk ex5 "ext-user==1.0 ext==1.0 dep-a==1.0" ext-user
ok "extras by a non-normalised name" chk ex6 "ext==1.0 dep-a==1.0" 'EXT[A]'
ok "optional-dependencies of [project]" chk ex7 "ext-pp==1.0 dep-c==1.0" 'ext-pp[x]'
ok "... from the pyproject source" eq pyproject q ex7 'k["ext-pp"]["install_requires_source"]'
ok "... and a false python_version marker in [project].dependencies" lacks ex7 dep-w
ok "extras from two requirements merge" chk ex8 "ext-pp==1.0 dep-c==1.0 dep-w==1.0" 'ext-pp[x]' 'ext-pp[y]'
ok "an unknown extra is ignored" chk ex9 "ext==1.0" 'ext[nosuch]'

# ---- install requirements: static or dynamic
ok "sources of install requirements" chk src "src-pkginfo==1.0 src-pyproject==1.0 src-wheel==1.0 src-dyn==1.0 dep-a==1.0 dep-b==1.0 dep-c==1.0" \
	src-pkginfo src-pyproject src-wheel src-dyn
ok "... PKG-INFO 2.2" eq pkg-info q src 'k["src-pkginfo"]["install_requires_source"]'
ok "... [project]" eq pyproject q src 'k["src-pyproject"]["install_requires_source"]'
ok "... PEP 658 wheel metadata" eq wheel-metadata q src 'k["src-wheel"]["install_requires_source"]'
ok "... dynamic" eq dynamic q src 'k["src-dyn"]["install_requires_source"]'
ok "... a dynamic package has no install requirements listed" eq null q src 'k["src-dyn"]["install_requires"]'
ok "... and its requirements are not resolved" lacks src dep-w
ok "... the static ones are edges" eq '[["dep-c==1.0", "install", "dep-c"]]' \
	q src '[[e["key"], e["req_type"], e["req"]] for e in k["src-wheel"]["edges"] if e["req_type"] == "install"]'
ok "... and PKG-INFO 2.1 without [project] data falls back to dynamic" eq dynamic \
	q src 'k["src-dyn"]["install_requires_source"]'

# ---- build systems
ok "build systems" chk bs "bs-setup-py==1.0 bs-nobackend==1.0 bs-notable==1.0 setuptools==70.0 tinybuild==1.0 dep-a==1.0 dep-b==1.0" \
	bs-setup-py bs-nobackend bs-notable
ok "no pyproject.toml: PEP 517 default backend" eq '["setuptools.build_meta:__legacy__", ["setuptools>=40.8.0"], true]' \
	q bs '[k["bs-setup-py"]["build_system"][x] for x in ("build_backend", "requires", "default")]'
ok "[build-system] without build-backend: the legacy backend" eq '["setuptools.build_meta:__legacy__", ["tinybuild", "dep-a"], false]' \
	q bs '[k["bs-nobackend"]["build_system"][x] for x in ("build_backend", "requires", "default")]'
ok "pyproject.toml without [build-system]: the PEP 518 default" eq '["setuptools.build_meta:__legacy__", ["setuptools>=40.8.0"], true]' \
	q bs '[k["bs-notable"]["build_system"][x] for x in ("build_backend", "requires", "default")]'
ok "... and its [project] dependencies count" eq "pyproject" q bs 'k["bs-notable"]["install_requires_source"]'
ok "build-system edges" eq '[["dep-a==1.0", "build-system"], ["tinybuild==1.0", "build-system"]]' \
	q bs 'sorted([e["key"], e["req_type"]] for e in k["bs-nobackend"]["edges"])'
ok "a self-bootstrapping backend has backend-path" eq '[["."], []]' \
	q bs '[k["tinybuild"]["build_system"]["backend_path"], k["tinybuild"]["build_system"]["requires"]]'
test_expect_success "build requirements are not install requirements" \
	'! grep -q "^setuptools==" "$TMP/bs/constraints.txt" && grep -q "^bs-setup-py==1.0$" "$TMP/bs/constraints.txt"'
test_expect_success "build-order: backends first" 'test "$("$PY" -c "import json, sys
o = [x[\"dist\"] for x in json.load(open(sys.argv[1]))]
print(o.index(\"tinybuild\") < o.index(\"setuptools\") < o.index(\"bs-setup-py\"), o.index(\"dep-a\") < o.index(\"bs-nobackend\"))" "$TMP/bs/build-order.json")" = "True True"'

# ---- one version per project, conflicts, nothing matching, unknown projects
ok "one version per project: both requirements met by one" chk one "hv==1.2" 'hv>=1' 'hv<1.5' 'hv!=1.0'
count() { pins "$1" | grep -c "^$2=="; }
ok "one entry per project in the plan" eq 1 count one hv
ok "a conflict names both requirements and their chains" err cf \
	"conflicting requirements on 'shared': 'shared<2' \(from cf-a 1\.0 \[install\] <- command line:1\) and 'shared>=2' \(from cf-c 1\.0 \[install\] <- cf-b 1\.0 \[install\] <- command line:2\)" \
	cf-a cf-b
ok "a requirement matching nothing lists the versions and why" err nm \
	"no version of 'hv' satisfies 'hv>=3' \(from command line:1\); available: 2\.0b1 \(does not match\), 1\.10 \(does not match\)" 'hv>=3'
ok "an unknown project" err unk "no such project 'no-such-project' on the index \(command line:1\)" no-such-project
ok "an unknown project deep down names the chain" err unk2 "no such project" dep-a no-such-project2
ok "names with dots and underscores, zip sdist" chk dn "dotted-name-x==1.0" Dotted_Name.X
ok "... the sdist is in sdists-repo/downloads" test -f "$TMP/dn/sdists-repo/downloads/Dotted.Name_x-1.0.zip"

# ---- the basic scenario (HTML and JSON pages, odd sdists)
IDX=$BURL
ok "basic: foo.bar[fast] and zope.thing" chk b1 "foo-bar==1.1 six-ish==1.0 speedup==2.0 zope-thing==4.1 tinybuild==1.0" 'foo.bar[fast]' zope.thing
ok "basic: the marker-gated win-only is absent" lacks b1 win-only
ok "basic: yanked six-ish 1.5 when pinned, a bz2 sdist" chk b2 "six-ish==1.5 win-only==0.1" 'six_ish==1.5' win-only
ok "basic: --pre picks foo.bar 2.0rc1, whose six-ish>=2.0 nothing satisfies" err b3 \
	"no version of 'six-ish' satisfies 'six-ish>=2.0' \(from foo-bar 2\.0rc1 \[install\] <- command line:1\); available: 2\.0\.dev1 \(does not match\), 1\.5 \(yanked\), 1\.0 \(does not match\)" --pre foo.bar
ok "basic: --pre takes six-ish's dev release" chk b3b "six-ish==2.0.dev1" --pre six-ish
ok "basic: a legacy HTML-only page" chk b4 "legacy-page==0.9" legacy-page
nopy() { rm -rf "$TMP/np"; "$WBGEN" resolve --cache-dir "$CACHE" -o "$TMP/np" --index-url "$BURL" six-ish && has np six-ish==1.0; }
ok "without --python: python3 on PATH is the target" nopy
IDX="file://$basic/simple/"
ok "basic through a file:// index (a static tree of index.html pages)" chk bf \
	"foo-bar==1.1 six-ish==1.0 speedup==2.0 zope-thing==4.1 tinybuild==1.0" 'foo.bar[fast]' zope.thing
ok "... an unknown project there is 'no such project'" err bf2 "no such project 'no-such-project' on the index" \
	no-such-project
IDX=$BURL
# hash-checking mode (pip's): --hash pins the sdist's digest, and then every package of the
# plan needs one, build requirements included (they are built from those sdists too)
SIX=$(index_sha256 "$basic" six_ish-1.0.tar.gz)
TB=$(index_sha256 "$basic" tinybuild-1.0.tar.gz)
FOO=$(index_sha256 "$basic" foo_bar-1.0.tar.gz)
BAD=0000000000000000000000000000000000000000000000000000000000000000
printf 'six_ish==1.0 --hash=sha256:%s --hash=sha256:%s\n' "$BAD" "$SIX" >"$TMP/h-ok.txt"
printf 'tinybuild==1.0 --hash=sha256:%s\n' "$TB" >"$TMP/h-c.txt"
printf 'six_ish==1.0 --hash=sha256:%s\n' "$BAD" >"$TMP/h-bad.txt"
printf 'foo.bar==1.0 --hash=sha256:%s\n' "$FOO" >"$TMP/h-mode.txt"
printf 'six_ish==1.0 --hash=sha512:%0128d\n' 0 >"$TMP/h-512.txt"
printf -- '--require-hashes\nsix_ish==1.0\n' >"$TMP/h-req.txt"
ok "--hash: a matching digest among several (the build backend's in a constraints file)" chk h1 \
	"six-ish==1.0 tinybuild==1.0" -r "$TMP/h-ok.txt" -c "$TMP/h-c.txt"
ok "--hash: a digest that does not match names the sdist, both digests and the file:line" err h2 \
	"six-ish 1\.0: sdist 'six_ish-1\.0\.tar\.gz' has sha256 $SIX, which matches no --hash given for 'six-ish' \(.*h-bad\.txt:1\)" \
	-r "$TMP/h-bad.txt"
ok "--hash turns on hash-checking mode: a dependency without one is refused" err h3 \
	"needs a --hash for every package, and none is given for '(six-ish|tinybuild)'" -r "$TMP/h-mode.txt"
ok "--require-hashes without any --hash" err h4 "none is given for 'six-ish' \(.*h-req\.txt:2\)" -r "$TMP/h-req.txt"
ok "--hash with only digests wbgen cannot check" err h5 "has no sha256 --hash, the only kind wbgen checks" \
	-r "$TMP/h-512.txt"

# where the index URL comes from: --index-url, then $WBGEN_INDEX_URL, then the file's -i
envidx() {
	rm -rf "$TMP/ei"
	WBGEN_INDEX_URL=$BURL "$WBGEN" resolve --python "$PY" --cache-dir "$CACHE" -o "$TMP/ei" six-ish &&
		has ei six-ish==1.0
}
ok "the index from \$WBGEN_INDEX_URL" envidx
printf -- '-i %s\nsix-ish\n' "$BURL" >"$TMP/with-i.txt"
fileidx() {
	rm -rf "$TMP/fi"
	"$WBGEN" resolve --python "$PY" --cache-dir "$CACHE" -o "$TMP/fi" -r "$TMP/with-i.txt" && has fi six-ish==1.0
}
ok "the index from the requirements file's -i" fileidx
cliwins() {
	rm -rf "$TMP/cw"
	WBGEN_INDEX_URL=http://127.0.0.1:9/nowhere/ "$WBGEN" resolve --python "$PY" --cache-dir "$CACHE" \
		-o "$TMP/cw" --index-url "$BURL" six-ish && has cw six-ish==1.0
}
ok "--index-url wins over \$WBGEN_INDEX_URL" cliwins

# a private index: credentials from a netrc file, never printed
index_serve "$basic" --auth alice:n3tr3cpw
AURL=$INDEX_URL
printf 'machine 127.0.0.1 login alice password n3tr3cpw\n' >"$TMP/netrc"
chmod 600 "$TMP/netrc"
netrc_ok() {
	rm -rf "$TMP/nr"
	NETRC=$TMP/netrc "$WBGEN" resolve -v --python "$PY" --cache-dir "$TMP/nrcache" -o "$TMP/nr" \
		--index-url "$AURL" foo.bar 2>"$TMP/nr.err" && has nr foo-bar==1.1
}
ok "a private index with credentials from \$NETRC" netrc_ok
test_expect_success "... which appear in no output, cache or message" \
	'! grep -rq n3tr3cpw "$TMP/nr" "$TMP/nrcache" "$TMP/nr.err"'
IDX=$AURL
ok "... without them: a one-line error naming the URL and the status" err nr2 "index page of 'six-ish': .*HTTP 401" \
	six-ish
IDX=$BURL

IDX=$(echo "$BURL" | sed 's|^http://|http://someone:s3cr3t@|')
cred() { res cred -v foo.bar 2>"$TMP/cred.err" && cat "$TMP/cred.err" && has cred foo-bar==1.1; }
ok "credentials in the index URL" cred
test_expect_success "... appear in none of the files nor in the messages" \
	'! grep -rq s3cr3t "$TMP/cred" "$TMP/cred.err"'
ok "... (which name the index)" grep -q "127.0.0.1" "$TMP/cred/graph.json"
IDX=

done_testing
