# faults.sh: the network faults that e2e/fetch.sh and e2e/resolve-bad.sh do not cover, through
# tests/fetch-probe and `wbgen resolve` against e2e/fixtures/serve.py: a connection reset in the
# middle of the body, a stall, a Content-Length that lies either way, a 503 with Retry-After,
# redirect loops, and HTTPS with a certificate nobody vouches for (TLS verification is on).
# Transient faults are retried; the others fail with one clear line; no file that failed
# verification is kept, and no temporary file either.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PROBE=${WBGEN_TESTS_BUILDDIR:?}/fetch-probe
PY=/usr/bin/python3
HOME=$TMP/home
export HOME
unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE
mkdir -p "$HOME"

probe() {
	rc=0
	timeout 60 "$PROBE" "$@" >"$TMP/last" 2>"$TMP/last.err" || rc=$?
	if grep -Eq 'Sanitizer|runtime error' "$TMP/last.err"; then
		rc=99
	fi
	cat "$TMP/last" "$TMP/last.err"
	return "$rc"
}
out_has() { grep -Eq "$1" "$TMP/last"; }
stat_is() { grep -q "^stats .*\\b$1\\b" "$TMP/last"; }
# empty DIR: nothing at all in DIR (no file, no temporary)
empty() { test -z "$(ls -A "$1" 2>/dev/null)"; }

ROOT=$TMP/root
mkdir -p "$ROOT/simple/p01" "$ROOT/packages/x"
printf '<a href="../../packages/x/a-1.0.tar.gz">a-1.0.tar.gz</a>\n' >"$ROOT/simple/p01/index.html"
seq 1 50000 >"$ROOT/packages/x/big.bin"
for f in rb1 rb st1 st short long long1 ra; do cp "$ROOT/packages/x/big.bin" "$ROOT/packages/x/$f.bin"; done
SHA=$(sha256sum <"$ROOT/packages/x/big.bin" | cut -d' ' -f1)
index_serve "$ROOT" \
	--fault '/packages/x/rb1.bin=reset-body,times=1' \
	--fault '/packages/x/rb.bin=reset-body' \
	--fault '/packages/x/st1.bin=stall,seconds=4,times=1' \
	--fault '/packages/x/st.bin=stall,seconds=4' \
	--fault '/packages/x/short.bin=wrong-length,delta=-100' \
	--fault '/packages/x/long.bin=wrong-length,delta=100' \
	--fault '/packages/x/long1.bin=wrong-length,delta=100,times=1' \
	--fault '/packages/x/ra.bin=status,status=503,retry_after=1,times=2' \
	--fault '/simple/loop/=redirect,location=/simple/loop/' \
	--fault '/simple/ping/=redirect,location=/simple/pong/,status=301' \
	--fault '/simple/pong/=redirect,location=/simple/ping/,status=307'
B=$INDEX_BASE
U=$INDEX_URL
count() { index_count "$@" | tr -d ' '; }

# ---- reset in the middle of the body
ok "reset mid-body once: retried, the file verifies" probe "${B}packages/x/rb1.bin=$TMP/d1/f.bin=$SHA"
ok "... counted as one retry" stat_is retries=1
test_expect_success "... the server reset once and then answered" \
	'test "$(count /packages/x/rb1.bin 0)" -eq 1 && test "$(count /packages/x/rb1.bin 200)" -eq 1'
test_expect_success "... only the verified file is there" \
	'test "$(ls -A "$TMP/d1")" = f.bin && cmp -s "$TMP/d1/f.bin" "$ROOT/packages/x/big.bin"'
fails 1 "reset mid-body every time: gives up" probe --attempts 3 "${B}packages/x/rb.bin=$TMP/d2/f.bin=$SHA"
ok "... one line naming the URL and the attempts" out_has "^fail [0-9]+ ${B}packages/x/rb.bin: .*\\(gave up after 3 attempts\\)\$"
ok "... three requests" test "$(count /packages/x/rb.bin)" -eq 3
ok "... nothing kept, no temporary file" empty "$TMP/d2"

# ---- a stall: headers and half the body, then silence
ok "a stall once: the low-speed limit cuts it, the retry succeeds" probe --low-speed-time 1 "${B}packages/x/st1.bin=$TMP/d3/f.bin=$SHA"
ok "... counted as one retry" stat_is retries=1
test_expect_success "... only the verified file is there" 'test "$(ls -A "$TMP/d3")" = f.bin'
fails 1 "a stall every time: gives up" probe --attempts 2 --low-speed-time 1 "${B}packages/x/st.bin=$TMP/d4/f.bin=$SHA"
ok "... with a timeout error naming the URL" out_has "^fail [0-9]+ ${B}packages/x/st.bin: (Timeout was reached|Transferred a partial file).*\\(gave up after 2 attempts\\)\$"
ok "... nothing kept" empty "$TMP/d4"

# ---- Content-Length that lies
fails 1 "Content-Length shorter than the body: the short file fails verification" \
	probe "${B}packages/x/short.bin=$TMP/d5/f.bin=$SHA"
ok "... a sha256 mismatch naming the URL" out_has "^fail 200 ${B}packages/x/short.bin: sha256 mismatch: expected $SHA"
ok "... nothing kept" empty "$TMP/d5"
fails 1 "Content-Length longer than the body: a partial transfer, retried, then given up" \
	probe --attempts 2 "${B}packages/x/long.bin=$TMP/d6/f.bin=$SHA"
ok "... the error says so" out_has "^fail [0-9]+ ${B}packages/x/long.bin: .*\\(gave up after 2 attempts\\)\$"
ok "... nothing kept" empty "$TMP/d6"
ok "Content-Length longer than the body once: the retry succeeds" probe "${B}packages/x/long1.bin=$TMP/d7/f.bin=$SHA"
test_expect_success "... counted as one retry, the file verifies" \
	'grep -q "retries=1" "$TMP/last" && test "$(sha256sum <"$TMP/d7/f.bin" | cut -d" " -f1)" = "$SHA"'

# ---- 503 with Retry-After
ok "503 with Retry-After: 1, twice: waits, retries, succeeds" probe --attempts 5 "${B}packages/x/ra.bin=$TMP/d8/f.bin=$SHA"
test_expect_success "... two retries, three requests" \
	'grep -q "retries=2" "$TMP/last" && test "$(count /packages/x/ra.bin)" -eq 3'

# ---- redirect loops
fails 1 "a redirect to itself: fails" probe "${U}loop/"
ok "... one line saying the redirects never end" out_has "^fail 30[0-9] ${U}loop/: .*[Rr]edirects"
ok "... not retried: 11 requests (10 redirects followed)" test "$(count /simple/loop/)" -eq 11
fails 1 "a two-step redirect loop: fails" probe "${U}ping/"
ok "... with the same error" out_has "^fail 30[0-9] ${U}ping/: .*[Rr]edirects"
ok "... a bounded number of requests" test "$(($(count /simple/ping/) + $(count /simple/pong/)))" -eq 11

# ---- wbgen resolve through faults: what is transient resolves, the rest fails clearly, nothing kept
idx=$(index_build resolve)
res() {
	_o=$1
	shift
	"$WBGEN" resolve --python "$PY" --cache-dir "$_o.cache" -o "$_o" "$@" 2>"$_o.err"
}
# no sdist, plan or temporary file of a failed run
nothing_kept() {
	! ls "$1/sdists-repo/downloads" 2>/dev/null | grep -q "^$2" &&
		! find "$1" -name '*.tmp*' -o -name '.*tmp*' | grep -q . &&
		test ! -e "$1/plan.json" && test ! -e "$1/graph.json"
}
index_serve "$idx" --fault '/packages/hv/*=reset-body,times=1' --fault '/packages/dep-a/*=wrong-length,delta=7,times=1' \
	--fault '/simple/hv/=status,status=503,retry_after=1,times=1'
ok "resolve: a reset mid-sdist, a short body and a 503 once each: resolves" res "$TMP/r1" --index-url "$INDEX_URL" hv dep-a
test_expect_success "... the sdists verify against the index" 'cd "$TMP/r1/sdists-repo/downloads" && for f in *; do
	test "$(sha256sum <"$f" | cut -d" " -f1)" = "$("$PY" -c "import json, sys
m = json.load(open(sys.argv[1] + \"/manifest.json\"))
print([f[\"sha256\"] for p in m[\"projects\"].values() for f in p[\"files\"] if f[\"filename\"] == sys.argv[2]][0])" "$idx" "$f")" || exit 1; done'
index_serve "$idx" --fault '/packages/hv/*=reset-body'
fails 1 "resolve: an sdist reset mid-body every time: fails" res "$TMP/r2" --index-url "$INDEX_URL" hv
test_expect_success "... one line naming the sdist's URL" \
	'test "$(wc -l <"$TMP/r2.err")" -eq 1 && grep -q "packages/hv/hv-1.10.tar.gz.*gave up" "$TMP/r2.err"'
ok "... nothing kept" nothing_kept "$TMP/r2" hv
index_serve "$idx" --fault '/packages/hv/*=wrong-length,delta=-3'
fails 1 "resolve: an sdist cut short by its Content-Length: fails" res "$TMP/r3" --index-url "$INDEX_URL" hv
test_expect_success "... one line: a sha256 mismatch" \
	'test "$(wc -l <"$TMP/r3.err")" -eq 1 && grep -q "sha256 mismatch" "$TMP/r3.err"'
ok "... nothing kept" nothing_kept "$TMP/r3" hv
index_serve "$idx" --fault '/simple/hv/=redirect,location=/simple/hv/'
fails 1 "resolve: an index page that redirects to itself: fails" res "$TMP/r4" --index-url "$INDEX_URL" hv
test_expect_success "... one line naming the page" \
	'test "$(wc -l <"$TMP/r4.err")" -eq 1 && grep -q "/simple/hv/.*[Rr]edirects" "$TMP/r4.err"'

# ---- TLS: verification is on; a self-signed certificate is refused, not retried; a CA the
# user trusts (SSL_CERT_FILE, read by OpenSSL) is accepted
if command -v openssl >/dev/null && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1; then
	index_serve "$idx" --tls "$TMP/cert.pem:$TMP/key.pem"
	TU=https://127.0.0.1:$INDEX_PORT/simple/
	fails 1 "https with a self-signed certificate: refused" probe --attempts 3 "${TU}hv/"
	ok "... the error says the certificate was not verified" out_has "^fail 0 ${TU}hv/: .*(certificate|SSL)"
	ok "... not retried" stat_is retries=0
	ok "... no request got through" test "$(count /simple/hv/)" -eq 0
	fails 1 "a download over https with a self-signed certificate: refused" probe "https://127.0.0.1:$INDEX_PORT/packages/hv/x=$TMP/tls/x"
	ok "... nothing written" empty "$TMP/tls"
	fails 1 "wbgen resolve against it: fails" res "$TMP/r5" --index-url "$TU" hv
	test_expect_success "... one line naming the URL and the certificate problem" \
		'test "$(wc -l <"$TMP/r5.err")" -eq 1 && grep -q "https://127.0.0.1:[0-9]*/simple/hv/.*certificate" "$TMP/r5.err"'
	ok "with the certificate trusted (SSL_CERT_FILE): the page is fetched" env SSL_CERT_FILE="$TMP/cert.pem" \
		"$PROBE" "${TU}hv/"
	ok "... and wbgen resolve succeeds" env SSL_CERT_FILE="$TMP/cert.pem" "$WBGEN" resolve --python "$PY" \
		--cache-dir "$TMP/r6.cache" -o "$TMP/r6" --index-url "$TU" hv
else
	echo "# skipped the TLS checks: openssl cannot make a certificate"
fi
test_expect_success "gen/fetch.c never turns TLS verification off" \
	'! grep -nE "CURLOPT_SSL_VERIFY(PEER|HOST|STATUS)|CURLOPT_PROXY_SSL_VERIFY|CURLSSLOPT_NO_REVOKE|CURLOPT_SSL_OPTIONS" "${WBGEN_SRCDIR:-.}"/gen/*.c'

done_testing
