# resolve-bad.sh: bad input to `wbgen resolve`: each case is one line on stderr naming the
# culprit, exit status 1, and no plan.json (nor graph.json, build-order.json,
# constraints.txt) that a later run could take as complete; verified sdists may stay.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
src=$(index_build resolve)

# A copy of the index where corrupt-1.0.tar.gz is not an archive (its hashes updated).
cp -R "$src" "$TMP/idx"
"$PY" - "$TMP/idx" <<'PYEOF'
import hashlib, sys
root = sys.argv[1]
path = root + "/packages/corrupt/corrupt-1.0.tar.gz"
old = hashlib.sha256(open(path, "rb").read()).hexdigest()
data = b"\x1f\x8b\x08\x00this is not a gzip stream" * 10
open(path, "wb").write(data)
new = hashlib.sha256(data).hexdigest()
for page in ("index.html", "index.json"):
    p = root + "/simple/corrupt/" + page
    t = open(p).read().replace(old, new).replace('"size": 0', '"size": 0')
    open(p, "w").write(t)
PYEOF
index_serve "$TMP/idx"
URL=$INDEX_URL
k=0

# bad PATTERN ARGS...: resolving ARGS against $URL (or $U) fails as described above, with a
# message matching the grep -E PATTERN.
bad() {
	_p=$1
	shift
	k=$((k + 1))
	_o=$TMP/o$k
	set +e
	"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache$k" -o "$_o" --index-url "${U:-$URL}" "$@" 2>"$_o.err"
	_rc=$?
	set -e
	cat "$_o.err"
	[ "$_rc" -eq 1 ] || { echo "exit $_rc"; return 1; }
	[ "$(wc -l <"$_o.err")" -eq 1 ] || { echo "not one line"; return 1; }
	grep -Eq -- "$_p" "$_o.err" || { echo "no match for $_p"; return 1; }
	for _f in plan.json graph.json build-order.json constraints.txt; do
		[ ! -e "$_o/$_f" ] || { echo "$_f written"; return 1; }
	done
	! find "$_o" -name '*.tmp*' | grep -q . || { echo "temporary files left"; return 1; }
}

printf 'hv\n\ndep-a >= >= 1\n' >"$TMP/r.txt"
printf 'hv<2\nhv[x]<1\n' >"$TMP/c.txt"
printf -- '-c c.txt\nhv\n' >"$TMP/rc.txt"
ok "a malformed requirement line names file:line" bad "r\.txt:3" -r "$TMP/r.txt"
ok "a malformed constraint line names file:line" bad "c\.txt:2" -c "$TMP/c.txt" hv
ok "... also through -c in a requirements file" bad "c\.txt:2" -r "$TMP/rc.txt"
ok "a malformed requirement on the command line" bad "'hv>=>=1'.*command line:2" dep-a 'hv>=>=1'
ok "an unknown project" bad "no such project 'no-such-thing'" no-such-thing
ok "a direct URL requirement" bad "'dep-a @ https://example\.invalid/x\.tar\.gz'.*direct URL" \
	'dep-a @ https://example.invalid/x.tar.gz'
ok "a direct URL in a package's requirements" bad "'dep-a @ https://example\.invalid/dep_a-1\.0\.tar\.gz'.*direct URL.*url-dep 1\.0" url-dep
ok "a malformed requirement in an sdist's metadata names the package" bad "^wbgen: bad-req 1\.0: install requirement: .*'dep-a >= >= 1'" bad-req
ok "a pyproject.toml that does not parse names the sdist" bad "bad-toml 1\.0: sdist 'bad_toml-1\.0\.tar\.gz': pyproject\.toml:[0-9]+" bad-toml
ok "a [build-system] without requires is refused (PEP 518, as pip does)" \
	bad "bs-norequires 1\.0: sdist 'bs_norequires-1\.0\.tar\.gz': pyproject\.toml: \[build-system\] has no requires" bs-norequires
ok "a corrupt sdist archive names it" bad "corrupt 1\.0: sdist 'corrupt-1\.0\.tar\.gz'" corrupt
ok "a build cycle" bad "build cycle: bc-a 1\.0 builds with bc-b 1\.0; bc-b 1\.0 builds with bc-a 1\.0" bc-a
ok "choices that never settle (no backtracking) name the projects" \
	bad "did not settle after [0-9]+ rounds: the choice of 'osc-p' keeps changing" osc-p
ok "a conflict" bad "conflicting requirements on 'shared'" cf-a cf-b

# a misbehaving index
index_serve "$TMP/idx" --fault '/simple/hv/=status,status=500,retry_after=0'
U=$INDEX_URL
ok "an index page that keeps failing with 500: names the URL and the status" bad "/simple/hv/.*500" hv-user
U=
index_serve "$TMP/idx" --fault '/simple/hv/=invalid-json'
U=$INDEX_URL
ok "an index page with invalid JSON" bad "bad index page '.*/simple/hv/'" hv
U=
index_serve "$TMP/idx" --fault '/simple/hv/=garbage-html'
U=$INDEX_URL
ok "an index page of HTML garbage" bad "bad index page '.*/simple/hv/'" hv
U=
index_serve "$TMP/idx" --fault '/packages/hv/*=wrong-hash'
U=$INDEX_URL
ok "an sdist whose sha256 does not match" bad "hv.*(sha256|hash)" hv
test_expect_success "... is not kept" '! ls "$TMP/o$k"/sdists-repo/downloads/ 2>/dev/null | grep -q "^hv"'
U=
index_serve "$TMP/idx" --fault '/packages/src-wheel/*.metadata=wrong-hash'
test_expect_success "PEP 658 metadata whose hash does not match: the package stays dynamic" '
	"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cm" -o "$TMP/m" --index-url "$INDEX_URL" src-wheel 2>"$TMP/m.err" &&
	grep -q "src-wheel 1.0: cannot get the wheel metadata.*sha256" "$TMP/m.err" &&
	"$PY" -c "import json, sys; k = {p[\"name\"]: p for p in json.load(open(sys.argv[1]))[\"packages\"]}
assert k[\"src-wheel\"][\"install_requires_source\"] == \"dynamic\" and \"dep-c\" not in k, k" "$TMP/m/plan.json"'
index_serve "$TMP/idx" --fault '/simple/hv/=status,status=503,retry_after=0,times=2' \
	--fault '/simple/dep-a/=reset,times=1' --fault '/packages/hv/*=truncate,times=1'
ok "transient 503s, a reset and a truncated sdist: resolves" "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/ct" \
	-o "$TMP/t" --index-url "$INDEX_URL" hv dep-a
test_expect_success "... to the same versions" \
	'test "$(cat "$TMP/t/constraints.txt")" = "$(printf "dep-a==1.0\nhv==1.10")"'

# a failed run after a good one removes the old plan
ok "a good run" "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cg" -o "$TMP/g" --index-url "$URL" hv
fails 1 "then a failing run into the same directory" "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cg" -o "$TMP/g" \
	--index-url "$URL" hv no-such-thing
test_expect_success "... leaves no plan behind" \
	'! ls "$TMP/g" | grep -Eq "plan.json|graph.json|build-order.json|constraints.txt"'
ok "... but keeps the verified sdist" test -f "$TMP/g/sdists-repo/downloads/hv-1.10.tar.gz"
ok "a good run again" "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cg" -o "$TMP/g" --index-url "$URL" hv
fails 1 "then a run with a malformed requirements file" "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cg" \
	-o "$TMP/g" --index-url "$URL" -r "$TMP/r.txt"
ok "... leaves no plan behind either" test ! -e "$TMP/g/plan.json"
fails 2 "no requirements at all is a usage error" "$WBGEN" resolve --python "$PY" -o "$TMP/u"
ok "... and writes nothing" test ! -e "$TMP/u"

done_testing
