# outdir.sh: one OUTDIR under stress: two `wbgen resolve` at once (the second waits, both succeed,
# the files are those of one run), a full disk under `wbgen resolve`, under `make` and under the
# cache (a small tmpfs; skipped with a message when it cannot be mounted): a clear error, nothing
# half-written kept, and the next run completes with the same result; credentials from the index
# URL and from netrc never written anywhere in OUTDIR nor printed.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
HOME=$TMP/home
export HOME
mkdir -p "$HOME"
unset NETRC WBGEN_INDEX_URL http_proxy https_proxy all_proxy
idx=$(index_build interrupt)

res() {
	_o=$1
	shift
	"$WBGEN" resolve --python "$PY" --cache-dir "${CACHE:-$_o.cache}" -o "$_o" --index-url "${URL:-$INDEX_URL}" "$@" top
}
mk() { timeout 300 make -C "$1" --no-print-directory -j8 2>&1; }
resolve_state() {
	(cd "$1" && cat plan.json graph.json build-order.json constraints.txt resolve-args.json Makefile &&
		for f in work/*/pkg.json; do echo "== $f"; cat "$f"; done && sha256sum sdists-repo/downloads/*)
}
build_state() {
	(cd "$1" && find wheels-repo -type f | sort | xargs sha256sum && ls -A wheels-repo/downloads mirror &&
		cat plan.json graph.json build-order.json)
}
# the sdists in OUTDIR all match the index's manifest
sdists_verify() {
	"$PY" - "$1" "$idx" <<'PYEOF'
import hashlib, json, os, sys
o, idx = sys.argv[1], sys.argv[2]
m = {f["filename"]: f["sha256"] for p in json.load(open(idx + "/manifest.json"))["projects"].values() for f in p["files"]}
d = o + "/sdists-repo/downloads"
for f in os.listdir(d) if os.path.isdir(d) else []:
    assert f in m, "unexpected file " + f
    assert hashlib.sha256(open(d + "/" + f, "rb").read()).hexdigest() == m[f], "corrupt " + f
PYEOF
}
no_plan() { for f in plan.json graph.json build-order.json constraints.txt; do test ! -e "$1/$f" || return 1; done; }
no_temps() { ! find "$1" -name '*.tmp.*' | grep -q .; }

# ---- two resolves at once: the first holds OUTDIR (its first page answers after 2 s), the second waits
index_serve "$idx" --fault '/simple/top/=delay,seconds=2,times=2'
O=$TMP/two
ok "reference resolve" res "$O"
resolve_state "$O" >"$TMP/two.ref"
rm -rf "$O" "$O.cache"
before=$(index_count /simple/top/)
res "$O" 2>"$TMP/a.err" &
a=$!
i=0
while [ "$(index_count /simple/top/)" -eq "$before" ] && [ "$i" -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
res "$O" 2>"$TMP/b.err" &
b=$!
ra=0
rb=0
wait "$a" || ra=$?
wait "$b" || rb=$?
ok "two resolves at once: both succeed" test "$ra" -eq 0 -a "$rb" -eq 0
ok "... the second says it waits for the first" grep -q "^wbgen: waiting for another wbgen resolve in $O" "$TMP/b.err"
test_expect_success "... the first did not wait" '! grep -q waiting "$TMP/a.err"'
resolve_state "$O" >"$TMP/two.got"
test_expect_success "... the files are those of a single resolve" \
	'cmp "$TMP/two.ref" "$TMP/two.got" || { diff "$TMP/two.ref" "$TMP/two.got" | head; false; }'
ok "... no temporary file left" no_temps "$O"
index_serve "$idx"

# ---- a full disk
F=$TMP/full
mkdir -p "$F"
if mount -t tmpfs -o size=16m wbgen-e2e-full "$F" 2>"$TMP/mount.err"; then
	at_exit "umount -l '$F'"
	full=1
else
	full=0
	echo "# cannot mount a tmpfs ($(head -n 1 "$TMP/mount.err")): the disk-full checks are skipped"
fi
# fill N: leave about N bytes free on the tmpfs
fill() {
	rm -f "$F/filler"
	_avail=$(df --output=avail -B1 "$F" | tail -n 1 | tr -d ' ')
	[ "$_avail" -le "$1" ] || fallocate -l $((_avail - $1)) "$F/filler"
}
# one line on stderr, saying the disk is full
one_line_enospc() { test "$(wc -l <"$1")" -eq 1 && grep -q "No space left on device" "$1"; }

if [ "$full" = 1 ]; then
	# reference build outside the tmpfs
	R=$TMP/ref
	test_expect_success "reference resolve and build" 'res "$R" && make -C "$R" --no-print-directory -j8 >/dev/null'
	build_state "$R" >"$TMP/ref.build"

	# resolve with 0, 8 KiB, 32 KiB free in OUTDIR
	for free in 0 8192 32768; do
		rm -rf "$F/o"
		fill "$free"
		fails 1 "resolve with ${free} bytes free: fails" res "$F/o" --cache-dir "$TMP/c-$free"
		cp "$TMP/err" "$TMP/full.err"
		ok "... one line: no space left on device" one_line_enospc "$TMP/full.err"
		test_expect_success "... no plan file, no temporary file, every sdist kept verifies" \
			'no_plan "$F/o" && no_temps "$F/o"'
		ok "... every sdist kept verifies" sdists_verify "$F/o"
	done
	rm -f "$F/filler"
	ok "with space again, the resolve completes" res "$F/o" --cache-dir "$TMP/c-again"

	# make with 0, 64 KiB, 256 KiB free, then with space again: the reference's mirror
	for free in 0 65536 262144; do
		fill "$free"
		fails 2 "make with ${free} bytes free: fails" mk "$F/o"
		cp "$TMP/out" "$TMP/mk.out"
		ok "... the failure says no space left on device" grep -q "No space left on device" "$TMP/mk.out"
		ok "... every wheel and mirror page is complete (sha256 as recorded), no temporary file" "$PY" - "$F/o" <<'PYEOF'
import glob, hashlib, os, re, sys
o = sys.argv[1]
stamps = {}
for st in glob.glob(o + "/work/*/wheel.stamp"):
    kv = dict(l.split(" ", 1) for l in open(st).read().splitlines())
    stamps[kv["wheel"]] = kv["sha256"]
for w in os.listdir(o + "/wheels-repo/downloads") if os.path.isdir(o + "/wheels-repo/downloads") else []:
    assert w.endswith(".whl") and ".tmp" not in w, w
    h = hashlib.sha256(open(o + "/wheels-repo/downloads/" + w, "rb").read()).hexdigest()
    assert stamps.get(w, h) == h, "wheel %s does not match its stamp" % w
for page in glob.glob(o + "/wheels-repo/simple/*/index.html"):
    for f, h in re.findall(r'href="([^"#]+)#sha256=([0-9a-f]+)"', open(page).read()):
        p = os.path.join(os.path.dirname(page), f)
        assert hashlib.sha256(open(p, "rb").read()).hexdigest() == h, p
for d, _, files in os.walk(o + "/wheels-repo"):
    assert not [f for f in files if ".tmp" in f], (d, files)
PYEOF
	done
	rm -f "$F/filler"
	ok "with space again, make completes" mk "$F/o"
	build_state "$F/o" >"$TMP/full.build"
	ok "... with the reference's mirror, wheels and plan" cmp "$TMP/ref.build" "$TMP/full.build"
	rm -rf "$F/o"

	# the cache on a full disk: the resolve still works (the cache is an optimisation), with warnings
	fill 0
	rc=0
	CACHE=$F/cache res "$TMP/cfull" 2>"$TMP/cfull.err" || rc=$?
	ok "a full cache directory: resolve succeeds" test "$rc" -eq 0
	ok "... warning that cache entries cannot be written" grep -q "^wbgen: warning: cannot write the cache entry .*No space left on device" "$TMP/cfull.err"
	test_expect_success "... no half-written cache entry" '! find "$F" -name "*.tmp*" | grep -q .'
	rm -f "$F/filler"
else
	test_skip "a full disk: no tmpfs"
fi

# ---- credentials: in the index URL and in netrc; never in OUTDIR, logs or output
index_serve "$idx" --auth wbuser:s3cr3t-pw
P=$INDEX_PORT
printf 'machine 127.0.0.1\nlogin wbuser\npassword s3cr3t-pw\n' >"$TMP/netrc"
NETRC=$TMP/netrc
export NETRC
test_expect_success "credentials in the URL (and netrc for the build's re-resolve): resolve" \
	'"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cred1.cache" -o "$TMP/cred1" --index-url "http://wbuser:s3cr3t-pw@127.0.0.1:$P/simple/" top \
	>"$TMP/cred1.out" 2>&1'
test_expect_success "... and make" 'make -C "$TMP/cred1" --no-print-directory -j8 V=1 >>"$TMP/cred1.out" 2>&1'
test_expect_success "... the index saw the user" 'grep -q "wbuser:\*\*\*" "$INDEX_LOG"'
URL="http://127.0.0.1:$P/simple/"
test_expect_success "credentials from netrc only: resolve" \
	'"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cred2.cache" -o "$TMP/cred2" --index-url "$URL" -v top \
	>"$TMP/cred2.out" 2>&1'
test_expect_success "... and make" 'make -C "$TMP/cred2" --no-print-directory -j8 V=1 >>"$TMP/cred2.out" 2>&1'
for d in cred1 cred2; do
	ok "$d: every wheel built" test "$(ls "$TMP/$d/wheels-repo/downloads" | wc -l)" -eq 13
	test_expect_success "$d: the password is in no file of OUTDIR (logs, plan files, graph.json, resolve-args.json, Makefile...)" \
		'! grep -rl "s3cr3t" "$TMP/$d"'
	test_expect_success "$d: nor in the cache" '! grep -rl "s3cr3t" "$TMP/$d.cache"'
	test_expect_success "$d: nor in the output of resolve and make" '! grep -n "s3cr3t" "$TMP/$d.out"'
	test_expect_success "$d: the user name is not written in the plan files either" \
		'! grep -l "wbuser" "$TMP/$d"/plan.json "$TMP/$d"/graph.json "$TMP/$d"/build-order.json "$TMP/$d"/resolve-args.json "$TMP/$d"/Makefile'
done
unset NETRC
rm -rf "$TMP/cred3" "$TMP/cred3.cache"
test_expect_success "credentials in the URL without netrc: resolve" \
	'"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cred3.cache" -o "$TMP/cred3" --index-url "http://wbuser:s3cr3t-pw@127.0.0.1:$P/simple/" top \
	>"$TMP/cred3.out" 2>&1'
rc=0
make -C "$TMP/cred3" --no-print-directory -j8 >>"$TMP/cred3.out" 2>&1 || rc=$?
test_expect_success "... make: whatever happens to the re-resolve, no password anywhere" \
	'! grep -rl "s3cr3t" "$TMP/cred3" "$TMP/cred3.out"'

done_testing
