# fetch.sh: the HTTP client (gen/fetch.c) through tests/fetch-probe against e2e/fixtures/serve.py:
# concurrency, retries and their limits, timeouts, hash-verified atomic downloads, the revalidating
# cache, --offline, credentials (URL and netrc) and redirects, file:// URLs.
# Evidence comes from the probe's output and the server's request log, never from timing.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PROBE=${WBGEN_TESTS_BUILDDIR:?}/fetch-probe
# no test may read the user's ~/.netrc or go through a proxy
HOME=$TMP/home
export HOME
unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY
mkdir -p "$HOME"

# probe ARGS...: the probe with a bound on its run time (a broken test must not hang); its
# output is kept in $TMP/last and $TMP/last.err for the checks that follow
probe() {
	rc=0
	timeout 60 "$PROBE" "$@" >"$TMP/last" 2>"$TMP/last.err" || rc=$?
	# under --enable-sanitizers a leak also exits 1, like a failed request: make it stand out
	if grep -Eq 'Sanitizer|runtime error' "$TMP/last.err"; then
		rc=99
	fi
	cat "$TMP/last"
	cat "$TMP/last.err" >&2
	return "$rc"
}

# A small static tree: pages under simple/, files under packages/x/.
ROOT=$TMP/root
mkdir -p "$ROOT/simple" "$ROOT/packages/x"
printf '<a href="p01/">p01</a>\n' >"$ROOT/simple/index.html"
for name in p01 p02 p03 p04 p05 chg r503 ra radate e500 reset slow auth \
	$(seq -f 'par-%02g' 1 24) $(seq -f 'many-%02g' 1 40); do
	mkdir -p "$ROOT/simple/$name"
	printf '<a href="../../packages/x/%s-1.0.tar.gz">%s-1.0.tar.gz</a>\n' "$name" "$name" \
		>"$ROOT/simple/$name/index.html"
done
printf '{"meta": {"api-version": "1.1"}, "name": "p01", "files": []}\n' >"$ROOT/simple/p01/index.json"
seq 1 50000 >"$ROOT/packages/x/big.bin"
printf 'small file\n' >"$ROOT/packages/x/small.bin"
cp "$ROOT/packages/x/big.bin" "$ROOT/packages/x/bad.bin"
BIG_SHA=$(sha256sum <"$ROOT/packages/x/big.bin" | cut -d' ' -f1)
SMALL_SHA=$(sha256sum <"$ROOT/packages/x/small.bin" | cut -d' ' -f1)
BAD_SHA=$BIG_SHA

cat >"$TMP/faults.json" <<'EOF'
{"faults": [{"path": "/simple/radate/", "kind": "status", "status": 429,
             "retry_after": "Wed, 21 Oct 2099 07:28:00 GMT"}]}
EOF
index_serve "$ROOT" --faults "$TMP/faults.json" \
	--fault '/simple/r503/=status,status=503,times=2' \
	--fault '/simple/ra/=status,status=503,retry_after=100' \
	--fault '/simple/e500/=status,status=500' \
	--fault '/simple/reset/=reset,times=1' \
	--fault '/simple/slow/=delay,seconds=5' \
	--fault '/simple/par-*=delay,seconds=0.3' \
	--fault '/packages/x/big.bin=truncate,times=1' \
	--fault '/packages/x/bad.bin=wrong-hash' \
	--fault '/packages/x/reset.bin=reset'
U=$INDEX_URL
B=$INDEX_BASE
LOG=$INDEX_LOG

# log_mark: remember the log's length; since_mark: the lines logged after it
log_mark() { mark=$(wc -l <"$LOG"); }
# The slow/ handler logs when its 5 s delay ends, long after the client gave up: its lines land
# in whatever step runs then, so they are left out.
since_mark() { tail -n "+$((mark + 1))" "$LOG" | awk -F '\t' '$2 != "/simple/slow/"'; }
# count_since PATH [STATUS]: requests for PATH (with STATUS) since the mark
count_since() {
	since_mark | awk -F '\t' -v p="$1" -v s="${2:-}" '$2 == p && (s == "" || $3 == s)' | wc -l
}
# since_where AWK: the number of lines since the mark that the awk condition AWK selects
since_where() { since_mark | awk -F '\t' "$1" | wc -l; }
# out_has REGEX: the last probe's stdout has a matching line
out_has() { grep -Eq "$1" "$TMP/last"; }
stat_is() { grep -q "^stats .*\\b$1\\b" "$TMP/last"; }

# ---- concurrency
log_mark
ok "24 slow pages with --jobs 4 all succeed" probe --jobs 4 $(seq -f "${U}par-%02g/" 1 24)
test_expect_success "one line per request, all ok, no retries" \
	'test "$(grep -c "^ok 200 net " "$TMP/last")" -eq 24 && grep -q "retries=0" "$TMP/last"'
ok "each page requested once" test "$(since_mark | grep -c '/simple/par-')" -eq 24
inflight_max() { since_mark | awk -F '\t' '$8 > m { m = $8 } END { print m + 0 }'; }
ok "--jobs 4 is never exceeded (server's in-flight count)" test "$(inflight_max)" -le 4
ok "--jobs 4 requests are really in flight together" test "$(inflight_max)" -eq 4
log_mark
ok "--jobs 1 makes the transfers sequential" probe --jobs 1 $(seq -f "${U}par-%02g/" 1 3)
ok "--jobs 1: one request in flight at a time" test "$(inflight_max)" -eq 1
log_mark
ok "40 pages at the default bound" probe $(seq -f "${U}many-%02g/" 1 40)
test_expect_success "40 pages: 40 answers, 40 requests" \
	'test "$(grep -c "^ok 200 net " "$TMP/last")" -eq 40 && test "$(since_mark | grep -c /simple/many-)" -eq 40'
ok "the default bound (16) is respected" test "$(inflight_max)" -le 16

# ---- retries
log_mark
ok "503 twice, then 200: succeeds" probe --attempts 5 "${U}r503/"
ok "the two retries are counted" stat_is retries=2
test_expect_success "the server saw 2 failures and 1 success" \
	'test "$(count_since /simple/r503/ 503)" -eq 2 && test "$(count_since /simple/r503/ 200)" -eq 1'

log_mark
fails 1 "500 forever: gives up" probe --attempts 3 "${U}e500/"
ok "500 forever: one line naming the URL, the status and the attempts" \
	out_has "^fail 500 ${U}e500/: HTTP 500 \\(gave up after 3 attempts\\)\$"
ok "500 forever: exactly 3 requests" test "$(count_since /simple/e500/)" -eq 3

log_mark
fails 1 "Retry-After beyond --total: gives up at once" probe --attempts 5 --total 20 "${U}ra/"
ok "Retry-After: the error says why" out_has "^fail 503 ${U}ra/: HTTP 503, and Retry-After asks to wait 100 s"
test_expect_success "Retry-After: one request, no retry" \
	'test "$(count_since /simple/ra/)" -eq 1 && grep -q "retries=0" "$TMP/last"'

log_mark
fails 1 "429 with a Retry-After date far ahead: gives up at once" probe --attempts 5 "${U}radate/"
ok "Retry-After date: the error says why" \
	out_has "^fail 429 ${U}radate/: HTTP 429, and Retry-After asks to wait [0-9]+ s, beyond the time limit"
ok "Retry-After date: one request" test "$(count_since /simple/radate/)" -eq 1

log_mark
ok "connection reset once: retried and succeeds" probe "${U}reset/"
ok "reset: counted as a retry" stat_is retries=1
test_expect_success "reset: the server saw the reset and the retry" \
	'test "$(count_since /simple/reset/ 0)" -eq 1 && test "$(count_since /simple/reset/ 200)" -eq 1'

log_mark
ok "truncated body once: retried, file complete and verified" \
	probe "${B}packages/x/big.bin=$TMP/dl/big.bin=$BIG_SHA"
test_expect_success "truncated: the file has the right digest" \
	'test "$(sha256sum <"$TMP/dl/big.bin" | cut -d" " -f1)" = "$BIG_SHA"'
ok "truncated: counted as a retry" stat_is retries=1

log_mark
fails 1 "404: fails" probe --attempts 5 "${U}nosuch/"
ok "404: status 404 in a one-line error" out_has "^fail 404 ${U}nosuch/: HTTP 404\$"
test_expect_success "404: no retry" 'test "$(count_since /simple/nosuch/)" -eq 1 && grep -q "retries=0" "$TMP/last"'

log_mark
fails 1 "no byte for longer than the low-speed limit: fails" probe --attempts 1 --low-speed-time 1 "${U}slow/"
ok "slow: a timeout error naming the URL" out_has "^fail 0 ${U}slow/: Timeout was reached"
fails 1 "a response slower than --total: fails" probe --total 1 "${U}slow/"
ok "--total: the error says the time limit was reached" \
	out_has "^fail 0 ${U}slow/: Timeout was reached: .*time limit of 1 s reached\)\$"

# ---- one failure does not disturb the others
log_mark
fails 1 "a mixed wave: good and bad requests together" probe --attempts 2 --jobs 3 \
	"${U}p01/" "${U}nosuch/" "${U}e500/" "${B}packages/x/reset.bin=$TMP/mix/r.bin" \
	"${B}packages/x/bad.bin=$TMP/mix/bad.bin=$BAD_SHA" "${U}p02/" "${B}packages/x/small.bin=$TMP/mix/s.bin=$SMALL_SHA"
test_expect_success "mixed: the good ones succeed, each failure has its own reason" '
	sed -n 1p "$TMP/last" | grep -q "^ok 200 net " &&
	sed -n 2p "$TMP/last" | grep -q "^fail 404 .*nosuch/: HTTP 404\$" &&
	sed -n 3p "$TMP/last" | grep -q "^fail 500 .*e500/: HTTP 500 (gave up after 2 attempts)\$" &&
	sed -n 4p "$TMP/last" | grep -q "^fail 0 .*reset.bin: .*(gave up after 2 attempts)\$" &&
	sed -n 5p "$TMP/last" | grep -q "^fail 200 .*bad.bin: sha256 mismatch" &&
	sed -n 6p "$TMP/last" | grep -q "^ok 200 net " &&
	sed -n 7p "$TMP/last" | grep -q "^ok 200 net .* $SMALL_SHA " &&
	test "$(wc -l <"$TMP/last")" -eq 8'
test_expect_success "mixed: only the verified file is left" 'test "$(ls -A "$TMP/mix")" = s.bin'

# ---- downloads: verification and atomic replacement
DL=$TMP/dl2
fails 1 "hash mismatch: an error" probe "${B}packages/x/bad.bin=$DL/bad.bin=$BAD_SHA"
ok "hash mismatch: the message names the URL and both digests" \
	out_has "^fail 200 ${B}packages/x/bad.bin: sha256 mismatch: expected $BAD_SHA, got [0-9a-f]{64}\$"
test_expect_success "hash mismatch: nothing at dest, no temporary file" 'test -z "$(ls -A "$DL")"'
printf 'stale\n' >"$DL/bad.bin"
fails 1 "hash mismatch over a stale file" probe "${B}packages/x/bad.bin=$DL/bad.bin=$BAD_SHA"
test_expect_success "the stale file that does not verify is gone too" 'test -z "$(ls -A "$DL")"'

log_mark
ok "download with a digest" probe "${B}packages/x/small.bin=$DL/s.bin=$SMALL_SHA"
ok "downloaded from the network" out_has "^ok 200 net 11 $SMALL_SHA "
ok "a download is readable by all, like any written file" test "$(stat -c %a "$DL/s.bin")" = 644
log_mark
ok "a second download of a verified file" probe "${B}packages/x/small.bin=$DL/s.bin=$SMALL_SHA"
test_expect_success "reused without a request" \
	'grep -q "^ok 200 cache 11 $SMALL_SHA " "$TMP/last" && test "$(count_since /packages/x/small.bin)" -eq 0'
printf 'corrupted\n' >"$DL/s.bin"
log_mark
ok "a corrupted file at dest is downloaded again" probe "${B}packages/x/small.bin=$DL/s.bin=$SMALL_SHA"
test_expect_success "and replaced by the verified one" \
	'grep -q "^ok 200 net 11 $SMALL_SHA " "$TMP/last" && test "$(cat "$DL/s.bin")" = "small file" && test "$(ls -A "$DL")" = s.bin'
ok "without a digest, a download replaces dest" probe "${B}packages/x/big.bin=$DL/s.bin"
test_expect_success "the new content is in place, nothing else" \
	'cmp -s "$DL/s.bin" "$ROOT/packages/x/big.bin" && test "$(ls -A "$DL")" = s.bin'

# ---- the cache
C=$TMP/cache
log_mark
ok "cold cache: pages from the network" probe --cache "$C" "${U}p01/" "${U}p02/" "${U}p03/" "${U}chg/"
cp "$TMP/last" "$TMP/cold"
test_expect_success "cold cache: 4 transfers, all 200" \
	'test "$(grep -c "^ok 200 net " "$TMP/last")" -eq 4 && test "$(since_where "\$3 == 200")" -eq 4'
log_mark
ok "warm cache: revalidated" probe --cache "$C" "${U}p01/" "${U}p02/" "${U}p03/" "${U}chg/"
test_expect_success "warm cache: answers from the cache, 4 not modified" \
	'test "$(grep -c "^ok 200 cache " "$TMP/last")" -eq 4 && grep -q "not_modified=4" "$TMP/last"'
test_expect_success "warm cache: every request sent If-None-Match and got 304 (no body)" \
	'test "$(since_mark | wc -l)" -eq 4 && test "$(since_where "\$3 == 304 && \$5 ~ /^\"[0-9a-f]+\"\$/")" -eq 4'
test_expect_success "warm cache: the same bodies and content types as the cold run" \
	'test "$(grep ^ok "$TMP/last" | cut -d" " -f4-)" = "$(grep ^ok "$TMP/cold" | cut -d" " -f4-)"'
printf '<a href="../../packages/x/chg-2.0.tar.gz">chg-2.0.tar.gz</a>\n' >"$ROOT/simple/chg/index.html"
CHG_SHA=$(sha256sum <"$ROOT/simple/chg/index.html" | cut -d' ' -f1)
log_mark
ok "a changed page" probe --cache "$C" "${U}chg/"
test_expect_success "a changed page is fetched again (200 after a conditional request)" \
	'grep -q "^ok 200 net [0-9]* $CHG_SHA " "$TMP/last" &&
	test "$(since_where "\$2 == \"/simple/chg/\" && \$3 == 200 && \$5 != \"-\"")" -eq 1'
ok "revalidating the changed page" probe --cache "$C" "${U}chg/"
ok "the new version is what the cache holds now" out_has "^ok 200 cache [0-9]+ $CHG_SHA "
# corrupt every entry three ways: body changed, header line gone, header not JSON
n=0
for f in "$C"/http/*/*; do
	case $n in
	0) printf 'x' >>"$f" ;;
	1) printf 'no header line' >"$f" ;;
	*) printf '{not json\nbody' >"$f" ;;
	esac
	n=$(((n + 1) % 3))
done
log_mark
ok "corrupt cache entries" probe --cache "$C" "${U}p01/" "${U}p02/" "${U}p03/" "${U}chg/"
test_expect_success "corrupt entries are ignored: full unconditional fetches" \
	'test "$(grep -c "^ok 200 net " "$TMP/last")" -eq 4 && test "$(since_where "\$3 == 200 && \$5 == \"-\"")" -eq 4'
ok "revalidating the rewritten entries" probe --cache "$C" "${U}p01/" "${U}chg/"
ok "corrupt entries were rewritten: both not modified" stat_is not_modified=2
ok "a page in another representation" probe --cache "$C" --accept application/vnd.pypi.simple.v1+json "${U}p01/"
ok "the cache is keyed by Accept too" out_has "^ok 200 net .* application/vnd.pypi.simple.v1\+json\$"
ok "that one is cached as well" probe --cache "$C" --accept application/vnd.pypi.simple.v1+json "${U}p01/"
ok "and revalidated under its own key" out_has "^ok 200 cache .* application/vnd.pypi.simple.v1\+json\$"

# ---- offline
log_mark
fails 1 "--offline: cached pages, one missing page, one missing file" probe --offline --cache "$C" \
	"${U}p01/" "${U}p05/" "${B}packages/x/small.bin=$TMP/off/s.bin=$SMALL_SHA" "${U}chg/"
test_expect_success "--offline: cached pages are served, the missing ones are named" '
	sed -n 1p "$TMP/last" | grep -q "^ok 200 cache " &&
	sed -n 2p "$TMP/last" | grep -q "^fail 0 ${U}p05/: not in the cache, and --offline forbids the download\$" &&
	sed -n 3p "$TMP/last" | grep -q "^fail 0 .*small.bin: .*/off/s.bin'\'' is not downloaded yet, and --offline forbids" &&
	sed -n 4p "$TMP/last" | grep -q "^ok 200 cache "'
ok "--offline: no request reached the server" test "$(since_mark | wc -l)" -eq 0
probe "${B}packages/x/small.bin=$TMP/dl3/s.bin=$SMALL_SHA" >/dev/null
ok "--offline: a verified download is reused" probe --offline "${B}packages/x/small.bin=$TMP/dl3/s.bin=$SMALL_SHA"

# ---- file:// URLs
ok "file:// page" probe --cache "$C" "file://$ROOT/simple/p01/index.html"
test_expect_success "file:// page: status 200, not cached" \
	'grep -q "^ok 200 net " "$TMP/last" && ! grep -rqs "p01/index.html" "$C"'
ok "file:// download, verified" probe "file://$ROOT/packages/x/small.bin=$TMP/file/s.bin=$SMALL_SHA"
ok "file:// download is in place" cmp -s "$TMP/file/s.bin" "$ROOT/packages/x/small.bin"
fails 1 "file:// missing file" probe "file://$ROOT/packages/x/none.bin=$TMP/file/n.bin"
test_expect_success "file:// missing file: a one-line 'no such file' (status 404, as HTTP), nothing left" \
	'grep -q "^fail 404 file://.*none.bin: no such file$" "$TMP/last" && test "$(wc -l <"$TMP/last")" -eq 2 && test "$(ls -A "$TMP/file")" = s.bin'
ok "file:// in --offline mode" probe --offline "file://$ROOT/simple/p01/index.html"

# ---- credentials
index_serve "$ROOT" --auth user:secret
AU=$INDEX_URL
ALOG=$INDEX_LOG
APORT=$INDEX_PORT
index_serve "$ROOT"
OPORT=$INDEX_PORT
OLOG=$INDEX_LOG
# the authenticated server redirects /simple/away/ to the other server, under another host name
index_serve "$ROOT" --auth user:secret --fault "/simple/away/=redirect,location=http://localhost:$OPORT/simple/p02/" \
	--fault "/simple/near/=redirect,location=/simple/p03/" \
	--fault "/simple/tofile/=redirect,location=file://$ROOT/packages/x/small.bin"
RU=$INDEX_URL
RPORT=$INDEX_PORT
RLOG=$INDEX_LOG
AUTHED=http://user:secret@127.0.0.1:$APORT/simple/
ALL_OUT=$TMP/all-output
: >"$ALL_OUT"
keep() { cat "$TMP/last" "$TMP/last.err" >>"$ALL_OUT"; }

fails 1 "without credentials: 401" probe "${AU}auth/"
ok "401 is not retried" out_has "^fail 401 ${AU}auth/: HTTP 401\$"
ok "credentials in the URL are used" probe --cache "$C" "${AUTHED}auth/"
keep
test_expect_success "the server saw the user" \
	'awk -F "\t" "\$2 == \"/simple/auth/\" && \$3 == 200 && \$7 == \"user:***\"" "$ALOG" | grep -q .'
fails 1 "wrong password in the URL: 401" probe --cache "$C" "http://user:badsecret@127.0.0.1:$APORT/simple/auth/"
keep
ok "the error names the URL without its credentials" out_has "^fail 401 http://\\*\\*\\*@127\\.0\\.0\\.1:$APORT/simple/auth/: HTTP 401\$"
fails 1 "credentials in the URL of an unreachable server" probe --attempts 2 "http://user:secret@127.0.0.1:1/simple/x/"
keep
ok "unreachable: a connection error, redacted" out_has "^fail 0 http://\\*\\*\\*@127\\.0\\.0\\.1:1/simple/x/: .*(gave up after 2 attempts)"
fails 1 "credentials in the URL of a failing download" \
	probe "http://user:secret@127.0.0.1:$APORT/packages/x/small.bin=$TMP/cred/s.bin=$BIG_SHA"
keep
ok "a hash mismatch with credentials in the URL is redacted" out_has "^fail 200 http://\\*\\*\\*@127.*sha256 mismatch"

printf 'machine 127.0.0.1\nlogin user\npassword secret\n' >"$TMP/netrc"
ok "netrc credentials are used" probe --netrc "$TMP/netrc" "${AU}p04/"
keep
test_expect_success "the server saw the netrc user" \
	'awk -F "\t" "\$2 == \"/simple/p04/\" && \$3 == 200 && \$7 == \"user:***\"" "$ALOG" | grep -q .'
cp "$TMP/netrc" "$HOME/.netrc"
ok "the default netrc is \$HOME/.netrc" probe "${AU}p05/"
keep
rm "$HOME/.netrc"
printf 'machine example.org\nlogin user\npassword secret\n' >"$TMP/other-netrc"
fails 1 "a netrc for another machine: 401" probe --netrc "$TMP/other-netrc" "${AU}p05/"
keep

ok "a redirect on the same host keeps the URL's credentials" probe "http://user:secret@127.0.0.1:$RPORT/simple/near/"
keep
ok "a redirect to another host with credentials in the URL" probe "http://user:secret@127.0.0.1:$RPORT/simple/away/"
keep
ok "a redirect to another host with netrc credentials" probe --netrc "$TMP/netrc" "${RU}away/"
keep
printf 'machine 127.0.0.1 login user password secret\nmachine localhost login user\n' >"$TMP/netrc2"
ok "a redirect to a host with a password-less netrc entry" probe --netrc "$TMP/netrc2" "${RU}away/"
keep
fails 1 "a redirect to a file:// URL is refused" probe "http://user:secret@127.0.0.1:$RPORT/simple/tofile/=$TMP/tofile/s.bin"
keep
test_expect_success "redirect to file://: an error, nothing written" \
	'grep -q "^fail .*tofile/: .*[Pp]rotocol" "$TMP/last" && ! test -e "$TMP/tofile/s.bin"'
ok "the redirecting server saw the credentials each time" test \
	"$(awk -F '\t' '$3 ~ /^30/ && $7 == "user:***"' "$RLOG" | wc -l)" -eq 5
ok "the same host got them after the redirect" test \
	"$(awk -F '\t' '$2 == "/simple/p03/" && $3 == 200 && $7 == "user:***"' "$RLOG" | wc -l)" -eq 1
test_expect_success "the other host got the requests, never a password" \
	'test "$(awk -F "\t" "\$2 == \"/simple/p02/\" && \$3 == 200" "$OLOG" | wc -l)" -eq 3 &&
	test "$(awk -F "\t" "\$7 ~ /:/" "$OLOG" | wc -l)" -eq 0'
ok "the other host got its own netrc login only" test \
	"$(awk -F '\t' '$7 == "user"' "$OLOG" | wc -l)" -eq 1
test_expect_success "no output nor error ever showed the password" '! grep -q secret "$ALL_OUT"'
test_expect_success "the cache holds no password" '! grep -rq secret "$C"'

done_testing
