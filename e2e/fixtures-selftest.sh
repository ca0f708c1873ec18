# fixtures-selftest.sh: the index fixtures themselves: builder, server, faults, builds.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=$INDEX_PYTHON
FX=$INDEX_FIXTURES
JSON=application/vnd.pypi.simple.v1+json

# status_type URL [ACCEPT]: print "CODE CONTENT-TYPE" of a GET.
status_type() {
	if [ $# -gt 1 ]; then
		curl -sS -o /dev/null -w '%{http_code} %{content_type}' -H "Accept: $2" "$1"
	else
		curl -sS -o /dev/null -w '%{http_code} %{content_type}' "$1"
	fi
}

# expect WANT COMMAND...: COMMAND's stdout must be exactly WANT.
expect() {
	want=$1
	shift
	got=$("$@")
	[ "$got" = "$want" ] || { echo "got '$got', want '$want'" >&2; return 1; }
}

# header NAME URL: the value of one response header of a GET.
header() {
	curl -sS -o /dev/null -D - "$2" | tr -d '\r' | sed -n "s/^$1: //Ip"
}

# ---- building
basic=$(index_build basic) || true
tree=$(index_build tree) || true
ok "basic builds" test -f "$basic/simple/foo-bar/index.json"
ok "tree builds" test -f "$tree/simple/tree-root/index.html"
ok "a second build is served from the cache" expect "$basic" index_build basic
test_expect_success "tree has at least 30 projects" \
	'test "$(ls "$tree/simple" | grep -cv "^index")" -ge 30'
test_expect_success "the builder is deterministic" '
	"$PY" -B "$FX/mkindex.py" "$FX/scenarios/basic.json" "$TMP/a" &&
	"$PY" -B "$FX/mkindex.py" "$FX/scenarios/basic.json" "$TMP/b" && diff -r "$TMP/a" "$TMP/b"'
test_expect_success "the generator makes a 50x2 index" '
	"$PY" -B "$FX/mkindex.py" "$FX/scenarios/big.py" "$TMP/big" --param n=50 --param m=2 &&
	test "$(ls "$TMP/big/packages" | wc -l)" -eq 51'
test_expect_success "sdist kinds: PEP 625, zip, bz2, dashed legacy" '
	test -f "$basic/packages/foo-bar/foo_bar-1.0.tar.gz" &&
	test -f "$basic/packages/zope-thing/zope.thing-4.0.zip" &&
	test -f "$basic/packages/win-only/win-only-0.1.tar.bz2" &&
	test -f "$basic/packages/zope-thing/zope-thing-4.1.tar.gz"'
test_expect_success "html-only project has no index.json" \
	'test -f "$basic/simple/legacy-page/index.html" && ! test -e "$basic/simple/legacy-page/index.json"'
test_expect_success "PKG-INFO 2.2 lists Dynamic" \
	'tar -xzOf "$basic/packages/zope-thing/zope-thing-4.1.tar.gz" zope-thing-4.1/PKG-INFO | grep -qx "Dynamic: Requires-Dist"'

# ---- serving: negotiation, hashes, caching
index_serve "$tree"
ok "tree: the whole index is consistent (HTML = JSON = bytes)" "$PY" -B "$FX/verify.py" "$INDEX_URL"
index_serve "$basic"
U=$INDEX_URL
ULOG=$INDEX_LOG
ok "basic: the whole index is consistent" "$PY" -B "$FX/verify.py" "$U"
ok "no Accept gets HTML" expect "200 text/html; charset=utf-8" status_type "${U}foo-bar/"
ok "*/* gets HTML" expect "200 text/html; charset=utf-8" status_type "${U}foo-bar/" "*/*"
ok "v1+json gets JSON" expect "200 $JSON" status_type "${U}foo-bar/" "$JSON"
ok "latest+json gets v1 JSON" expect "200 $JSON" \
	status_type "${U}foo-bar/" "application/vnd.pypi.simple.latest+json"
ok "v1+html gets v1+html" expect "200 application/vnd.pypi.simple.v1+html" \
	status_type "${U}foo-bar/" "application/vnd.pypi.simple.v1+html"
ok "quality values: HTML preferred" expect "200 text/html; charset=utf-8" \
	status_type "${U}foo-bar/" "$JSON; q=0.2, text/html; q=0.5"
ok "quality values: JSON preferred (pip's header)" expect "200 $JSON" status_type "${U}foo-bar/" \
	"$JSON, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"
ok "q=0 refuses a type" expect "200 text/html; charset=utf-8" \
	status_type "${U}foo-bar/" "$JSON; q=0, */*; q=0.1"
ok "nothing acceptable is 406" expect "406 text/plain" status_type "${U}foo-bar/" "application/json"
ok "the root index negotiates too" expect "200 $JSON" status_type "$U" "$JSON"
ok "html-only project answers JSON requests with HTML" expect "200 text/html; charset=utf-8" \
	status_type "${U}legacy-page/" "$JSON"
ok "unknown project is 404" expect "404 text/plain" status_type "${U}no-such-thing/"
ok "unknown file is 404" expect "404 text/plain" status_type "${INDEX_BASE}packages/foo-bar/nope.tar.gz"
ok "non-canonical name redirects" expect "/simple/foo-bar/" header Location "${U}Foo_Bar/"
ok "missing slash redirects" expect "/simple/foo-bar/" header Location "${U}foo-bar"
test_expect_success "JSON page is PEP 691 v1.1" 'curl -sS -H "Accept: $JSON" "${U}foo-bar/" | "$PY" -c "
import json, sys
p = json.load(sys.stdin)
assert p[\"meta\"][\"api-version\"] == \"1.1\" and p[\"name\"] == \"foo-bar\", p
assert p[\"versions\"] == [\"1.0\", \"1.1\", \"1.2\", \"2.0rc1\"], p[\"versions\"]
f = {x[\"filename\"]: x for x in p[\"files\"]}
assert f[\"foo_bar-1.2.tar.gz\"][\"yanked\"] == \"broken build\"
assert f[\"foo_bar-1.0.tar.gz\"][\"yanked\"] is False
assert f[\"foo_bar-1.1-py3-none-any.whl\"][\"core-metadata\"][\"sha256\"]
assert all(\"upload-time\" in x and \"size\" in x and \"sha256\" in x[\"hashes\"] for x in p[\"files\"])
"'
test_expect_success "data-requires-python is HTML-escaped" \
	'curl -sS "${U}legacy-page/" | grep -q "data-requires-python=\"&lt;4,&gt;=3.7\""'
test_expect_success "data-yanked and metadata attributes" 'curl -sS "${U}foo-bar/" > "$TMP/p" &&
	grep -q "data-yanked=\"broken build\"" "$TMP/p" &&
	grep -q "data-core-metadata=\"sha256=" "$TMP/p" && grep -q "data-dist-info-metadata=\"sha256=" "$TMP/p"'
test_expect_success "a file's bytes match the manifest" \
	'test "$(curl -sS "${INDEX_BASE}packages/foo-bar/foo_bar-1.0.tar.gz" | sha256sum | cut -c1-64)" = \
		"$(index_sha256 "$basic" foo_bar-1.0.tar.gz)"'

etag=$(header ETag "${U}six-ish/")
lastmod=$(header Last-Modified "${U}six-ish/")
ok "pages carry an ETag" test -n "$etag"
ok "pages carry Last-Modified" test -n "$lastmod"
ok "If-None-Match revalidates to 304" expect 304 \
	curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "${U}six-ish/"
ok "If-Modified-Since revalidates to 304" expect 304 \
	curl -sS -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $lastmod" "${U}six-ish/"
ok "a stale ETag gets 200" expect 200 \
	curl -sS -o /dev/null -w '%{http_code}' -H 'If-None-Match: "stale"' "${U}six-ish/"
test_expect_success "the JSON form has its own ETag" \
	'test "$(curl -sS -o /dev/null -D - -H "Accept: $JSON" "${U}six-ish/" | tr -d "\r" | sed -n "s/^ETag: //p")" != "$etag"'
test_expect_success "files revalidate too" \
	'e=$(curl -sS -o /dev/null -D - "${INDEX_BASE}packages/speedup/speedup-2.0.tar.gz" | tr -d "\r" | sed -n "s/^ETag: //p") &&
	test "$(curl -sS -o /dev/null -w "%{http_code}" -H "If-None-Match: $e" "${INDEX_BASE}packages/speedup/speedup-2.0.tar.gz")" = 304'
ok "HEAD answers without a body" expect "200 0" \
	curl -sS -I -o /dev/null -w '%{http_code} %{size_download}' "${U}six-ish/"
test_expect_success "the log counts transfers and revalidations" \
	'test "$(index_count /simple/six-ish/ 200)" -ge 3 && test "$(index_count /simple/six-ish/ 304)" -eq 2'
test_expect_success "the log records Accept and If-None-Match" \
	'awk -F "\t" -v e="$etag" "\$3 == 304 && \$5 == e" "$INDEX_LOG" | grep -q .'

# ---- faults
cat >"$TMP/faults.json" <<'EOF'
{"faults": [
 {"path": "/simple/speedup/", "kind": "status", "status": 503, "retry_after": 3, "times": 2},
 {"path": "/simple/tinybuild/", "kind": "status"},
 {"path": "/simple/win-only/", "kind": "reset"},
 {"path": "/simple/zope-thing/", "kind": "delay", "seconds": 3},
 {"path": "/packages/six-ish/*", "kind": "truncate"},
 {"path": "/simple/six-ish/", "kind": "garbage-html"},
 {"path": "/simple/legacy-page/", "kind": "invalid-json"},
 {"path": "/packages/foo-bar/foo_bar-1.0.tar.gz", "kind": "wrong-hash"}
]}
EOF
index_serve "$basic" --faults "$TMP/faults.json" --fault '/simple/foo-bar/=status,status=500,times=1,method=HEAD'
F=$INDEX_URL
ok "fault: 503 with Retry-After" expect 3 header Retry-After "${F}speedup/"
test_expect_success "fault: fails N times then succeeds" '
	test "$(curl -sS -o /dev/null -w "%{http_code}" "${F}speedup/")" = 503 &&
	test "$(curl -sS -o /dev/null -w "%{http_code}" "${F}speedup/")" = 200 &&
	test "$(curl -sS -o /dev/null -w "%{http_code}" "${F}speedup/")" = 200'
ok "fault: plain 500" expect 500 curl -sS -o /dev/null -w '%{http_code}' "${F}tinybuild/"
fails 56 "fault: connection reset" curl -sS -o /dev/null "${F}win-only/"
fails 28 "fault: slow response (delay 3s, client gives up after 1s)" \
	curl -sS -o /dev/null --max-time 1 "${F}zope-thing/"
fails 18 "fault: truncated body" curl -sS -o /dev/null "${INDEX_BASE}packages/six-ish/six_ish-1.0.tar.gz"
test_expect_success "fault: garbage HTML has no usable link" '
	test "$(curl -sS -o "$TMP/g" -w "%{content_type}" "${F}six-ish/")" = "text/html; charset=utf-8" &&
	! grep -q "sha256=[0-9a-f]\{64\}" "$TMP/g"'
test_expect_success "fault: invalid JSON" '
	test "$(curl -sS -o "$TMP/j" -w "%{content_type}" -H "Accept: $JSON" "${F}legacy-page/")" = "$JSON" &&
	! "$PY" -c "import json, sys; json.load(open(sys.argv[1]))" "$TMP/j" 2>/dev/null'
test_expect_success "fault: wrong hash, same size" '
	curl -sS -o "$TMP/w" "${INDEX_BASE}packages/foo-bar/foo_bar-1.0.tar.gz" && test "$(wc -c <"$TMP/w")" -eq "$(wc -c <"$basic/packages/foo-bar/foo_bar-1.0.tar.gz")" &&
	test "$(sha256sum <"$TMP/w" | cut -c1-64)" != "$(sha256sum <"$basic/packages/foo-bar/foo_bar-1.0.tar.gz" | cut -c1-64)"'
test_expect_success "fault: per-method rule hits HEAD only" '
	test "$(curl -sS -I -o /dev/null -w "%{http_code}" "${F}foo-bar/")" = 500 &&
	test "$(curl -sS -o /dev/null -w "%{http_code}" "${F}foo-bar/")" = 200'
test_expect_success "the log names faults; a reset logs status 0" '
	test "$(awk -F "\t" "\$6 == \"status\"" "$INDEX_LOG" | wc -l)" -eq 4 &&
	test "$(index_count /simple/win-only/ 0)" -eq 1'
ok "a second server is independent" expect 200 \
	curl -sS -o /dev/null -w '%{http_code}' "${U}speedup/"

# ---- the synthetic projects really build (PEP 517 hooks, no pip, no network)
V=$TMP/venv/bin/python
B=$TMP/wheels
D=$TMP/deps
P=$tree/packages
ok "a venv without pip" "$PY" -m venv --without-pip "$TMP/venv"
# build SDIST [DEPDIR]...: build through pep517.py with DEPDIRs on sys.path.
build() {
	sdist=$1
	shift
	n=$#
	for d; do
		set -- "$@" --path "$D/$d"
	done
	shift "$n"
	"$V" -B "$FX/pep517.py" build "$P/$sdist" "$B" "$@" >"$TMP/build.json"
}
inst() {
	"$V" -B "$FX/pep517.py" install "$B/$1" "$D/$2"
}
test_expect_success "tinybuild bootstraps itself (backend-path)" \
	'build tinybuild/tinybuild-1.0.tar.gz && inst tinybuild-1.0-py3-none-any.whl tb'
test_expect_success "backend-b builds with tinybuild" \
	'build backend-b/backend_b-1.0.tar.gz tb && inst backend_b-1.0-py3-none-any.whl bb'
test_expect_success "backend-c builds with backend-b" \
	'build backend-c/backend_c-1.0.tar.gz bb && inst backend_c-1.0-py3-none-any.whl bc'
test_expect_success "chain-app builds with backend-c (chain of 3 backends)" \
	'build chain-app/chain_app-1.0.tar.gz bc && inst chain_app-1.0-py3-none-any.whl app'
test_expect_success "dynamic build requirements come from get_requires_for_build_wheel" '
	build dyn-build/dyn_build-1.0.tar.gz tb && grep -q "\"requires\": \[\"build-helper>=1\"\]" "$TMP/build.json"'
test_expect_success "dynamic dependencies land in the wheel METADATA" '
	build dyn-deps/dyn_deps-1.0.tar.gz tb && inst dyn_deps-1.0-py3-none-any.whl dd &&
	grep -qx "Requires-Dist: lib-07" "$D/dd/dyn_deps-1.0.dist-info/METADATA"'
test_expect_success "wheel (from Debian's python3-wheel) builds with tinybuild" \
	'build wheel/wheel-0.38.4.tar.gz tb && inst wheel-0.38.4-py3-none-any.whl wheel'
test_expect_success "setuptools builds itself (backend-path = .) and asks for wheel" '
	build setuptools/setuptools-66.1.1.tar.gz wheel 2>"$TMP/st.err" &&
	grep -q "\"requires\": \[\"wheel\"\]" "$TMP/build.json" &&
	inst setuptools-66.1.1-py3-none-any.whl st'
ok "the rebuilt setuptools imports" expect 66.1.1 "$V" -c \
	'import sys; sys.path.insert(0, sys.argv[1]); import setuptools; print(setuptools.__version__)' "$D/st"
test_expect_success "a setup.cfg project builds with the rebuilt setuptools" \
	'build st-cfg/st_cfg-1.0.tar.gz st wheel 2>/dev/null && inst st_cfg-1.0-py3-none-any.whl cfg'
test_expect_success "a [project] setuptools project builds" \
	'build st-pyproject/st_pyproject-2.0.tar.gz st wheel 2>/dev/null && inst st_pyproject-2.0-py3-none-any.whl pp'
test_expect_success "a setup.py-only project builds (legacy backend)" \
	'build st-legacy/st-legacy-0.5.tar.gz st wheel 2>/dev/null && inst st_legacy-0.5-py3-none-any.whl lg'
ok "the built setup.cfg wheel has the extras" \
	grep -qx "Provides-Extra: extra1" "$D/cfg/st_cfg-1.0.dist-info/METADATA"

# ---- pip against the served index
PIPPY=
for py in "$PY" python3; do
	if "$py" -m pip --version >/dev/null 2>&1; then
		PIPPY=$py
		break
	fi
done
if [ -n "$PIPPY" ]; then
	PIPENV="env PIP_CONFIG_FILE=/dev/null PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1"
	test_expect_success "pip download picks the newest non-yanked final wheel" '
		$PIPENV "$PIPPY" -m pip download -q --no-deps --retries 0 --timeout 10 --index-url "$U" -d "$TMP/dl" foo.bar &&
		test -f "$TMP/dl/foo_bar-1.1-py3-none-any.whl"'
	test_expect_success "pip asked for JSON" \
		'awk -F "\t" "\$2 == \"/simple/foo-bar/\" && \$4 ~ /vnd.pypi.simple.v1\+json/" "$ULOG" | grep -q .'
	test_expect_success "pip download --no-binary builds metadata through the index (tinybuild via isolation)" '
		$PIPENV "$PIPPY" -m pip download -q --no-deps --no-binary :all: --retries 0 --timeout 10 \
			--index-url "$U" -d "$TMP/dl" six_ish &&
		test -f "$TMP/dl/six_ish-1.0.tar.gz"'
else
	test_skip "pip download: neither $PY -m pip nor python3 -m pip is usable"
fi

# orphan_stops: a server whose parent shell has exited must go away by itself.
orphan_stops() {
	sh -c '"$1" -B "$2/serve.py" --root "$3" --port-file "$4/orphan.port" --parent-pid $$ \
		</dev/null >/dev/null 2>&1 & echo $! >"$4/orphan.pid"' sh "$PY" "$FX" "$basic" "$TMP"
	opid=$(cat "$TMP/orphan.pid")
	i=0
	while kill -0 "$opid" 2>/dev/null && [ "$i" -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	! kill -0 "$opid" 2>/dev/null && test -s "$TMP/orphan.port"
}
ok "a server outliving its test shell stops by itself" orphan_stops

index_stop
test_expect_success "servers are gone after index_stop" '! kill -0 "$INDEX_PID" 2>/dev/null'

done_testing
