# isolation.sh: builds run without the network by default (gen/hook.c: a network namespace of their
# own), WBGEN_BUILD_NETWORK=1 opts out. A small in-tree backend (e2e/fixtures/netbackend.py) connects
# to the test index on 127.0.0.1 in build_wheel and writes a wheel only when that worked: under
# isolation the build fails, with the opt-out it succeeds; `wbgen build-wheel` directly and a whole
# `make` of a package built by it.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
unset WBGEN_BUILD_NETWORK

if ! unshare -n true 2>/dev/null && ! unshare -U -n -r true 2>/dev/null; then
	test_skip "this system allows no network namespace (unshare fails): builds run with the network"
	done_testing
	exit
fi

idx=$(index_build basic)
index_serve "$idx"

# the source tree: netcheck 1.0, built by the in-tree backend, which reads the address to reach
# from NETCHECK_ADDR (passed through WBGEN_PASSENV)
S=$TMP/src/netcheck-1.0
mkdir -p "$S"
cp "${WBGEN_SRCDIR:-.}/e2e/fixtures/netbackend.py" "$S/"
cat >"$S/pyproject.toml" <<'TOML'
[build-system]
requires = []
build-backend = "netbackend"
backend-path = ["."]
TOML
"$WBGEN" venv --python "$PY" "$TMP/env"
NETCHECK_ADDR=127.0.0.1:$INDEX_PORT
WBGEN_PASSENV=NETCHECK_ADDR
export NETCHECK_ADDR WBGEN_PASSENV
bw() { "$WBGEN" build-wheel --env "$TMP/env" --src "$S" --backend netbackend --backend-path . --log "$TMP/$1.log" --out "$TMP/$1"; }

ok "the index is reachable from here" "$PY" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5).close()' "$INDEX_PORT"
fails 1 "by default, a build that connects to the index fails" bw iso
ok "... the backend could not connect" grep -q "netbackend: cannot connect to 127.0.0.1:$INDEX_PORT" "$TMP/iso.log"
test_expect_success "... no wheel" '! ls "$TMP/iso"/*.whl 2>/dev/null'
test_expect_success "... no isolation warning in the log" '! grep -q "cannot isolate" "$TMP/iso.log"'
ok "... the loopback of its own namespace works" grep -q "netbackend: loopback ok" "$TMP/iso.log"
test_expect_success "WBGEN_BUILD_NETWORK=1: the same build succeeds" 'WBGEN_BUILD_NETWORK=1 "$WBGEN" build-wheel \
	--env "$TMP/env" --src "$S" --backend netbackend --backend-path . --log "$TMP/net.log" --out "$TMP/net"'
ok "... it reached the index" grep -q "netbackend: connected" "$TMP/net.log"
ok "... and built its wheel" test -f "$TMP/net/netcheck-1.0-py3-none-any.whl"
test_expect_success "WBGEN_BUILD_NETWORK=0 is not an opt-out" \
	'! WBGEN_BUILD_NETWORK=0 "$WBGEN" build-wheel --env "$TMP/env" --src "$S" \
	--backend netbackend --backend-path . --log "$TMP/zero.log" --out "$TMP/zero" 2>/dev/null'

# as an unprivileged user (nobody): the hook gets a user namespace too, with its uid mapped
NR=$TMP/nobody
asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$NR" "$@"; }
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && asnobody test -x "$WBGEN" &&
	asnobody test -r "$WBGEN_PKGDATADIR/pep517_hook.py" && asnobody unshare -U -n true 2>/dev/null; then
	mkdir -p "$NR"
	cp -R "$S" "$NR/src"
	chown -R 65534:65534 "$NR"
	chmod 755 "$TMP"
	ok "as nobody: a venv" asnobody "$WBGEN" venv --python "$PY" "$NR/env"
	test_expect_success "as nobody: the build that connects to the index fails" '! asnobody "$WBGEN" build-wheel \
		--env "$NR/env" --src "$NR/src" --backend netbackend --backend-path . --log "$NR/iso.log" --out "$NR/iso"'
	test_expect_success "... it could not connect, its loopback works, no warning" \
		'grep -q "netbackend: cannot connect" "$NR/iso.log" &&
		grep -q "netbackend: loopback ok" "$NR/iso.log" && ! grep -q "warning" "$NR/iso.log"'
	ok "as nobody with WBGEN_BUILD_NETWORK=1: built" asnobody env WBGEN_BUILD_NETWORK=1 "$WBGEN" build-wheel \
		--env "$NR/env" --src "$NR/src" --backend netbackend --backend-path . --log "$NR/net.log" --out "$NR/net"
	ok "... it reached the index" grep -q "netbackend: connected" "$NR/net.log"
else
	test_skip "as an unprivileged user: needs root, setpriv, a wbgen that nobody can run, and user namespaces"
fi

# the same through make: an index whose netcheck sdist is built by that backend
"$PY" - "$TMP/scen.json" "$S" <<'PYEOF'
import json, sys
out, src = sys.argv[1], sys.argv[2]
files = {n: open(src + "/" + n).read() for n in ("netbackend.py", "pyproject.toml")}
json.dump({"projects": [{"name": "netcheck", "versions": [{"version": "1.0", "build": "raw", "files": files,
           "pyproject": False}]}]}, open(out, "w"))
PYEOF
nidx=$(index_build "$TMP/scen.json")
index_serve "$nidx"
NETCHECK_ADDR=127.0.0.1:$INDEX_PORT
mkr() { "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/c" -o "$1" --index-url "$INDEX_URL" netcheck; }
ok "resolve netcheck" mkr "$TMP/m1"
fails 2 "make: the build that reaches for the network fails" make -C "$TMP/m1" --no-print-directory
cat "$TMP/out" "$TMP/err" >"$TMP/m1.out"
ok "... the failure names the build phase" grep -q "FAILED: build netcheck 1.0" "$TMP/m1.out"
ok "... and its log says the connection failed" grep -q "netbackend: cannot connect" "$TMP/m1/logs/netcheck-1.0/build.log"
ok "resolve again, elsewhere" mkr "$TMP/m2"
ok "make with WBGEN_BUILD_NETWORK=1: built" env WBGEN_BUILD_NETWORK=1 make -C "$TMP/m2" --no-print-directory
ok "... the wheel is published" test -f "$TMP/m2/wheels-repo/simple/netcheck/netcheck-1.0-py3-none-any.whl"

done_testing
