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

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}
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
ok "... the first did not wait" sh -c '! grep -q waiting "$1"' - "$TMP/a.err"
resolve_state "$O" >"$TMP/two.got"
ok "... the files are those of a single resolve" sh -c 'cmp "$1" "$2" || { diff "$1" "$2" | head; false; }' - "$TMP/two.ref" "$TMP/two.got"
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
	ok "reference resolve and build" sh -c 'res() { "$1" resolve --python "$2" --cache-dir "$3.cache" -o "$3" --index-url "$4" top; };
		res "$@" && make -C "$3" --no-print-directory -j8 >/dev/null' - "$WBGEN" "$PY" "$R" "$INDEX_URL"
	build_state "$R" >"$TMP/ref.build"

	# resolve with 0, 8 KiB, 32 KiB free in OUTDIR
	for free in 0 8192 32768; do
		rm -rf "$F/o"
		fill "$free"
		fails 1 "resolve with ${free} bytes free: fails" res "$F/o" --cache-dir "$TMP/c-$free"
		cp "$TMP/err" "$TMP/full.err"
		ok "... one line: no space left on device" one_line_enospc "$TMP/full.err"
		ok "... no plan file, no temporary file, every sdist kept verifies" sh -c \
			'no_plan() { for f in plan.json graph.json build-order.json constraints.txt; do test ! -e "$1/$f" || return 1; done; };
			 no_plan "$1" && ! find "$1" -name "*.tmp.*" | grep -q .' - "$F/o"
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
	ok "... no half-written cache entry" sh -c '! find "$1" -name "*.tmp*" | grep -q .' - "$F"
	rm -f "$F/filler"
else
	skip "a full disk: no tmpfs"
fi

# ---- credentials: in the index URL and in netrc; never in OUTDIR, logs or output
index_serve "$idx" --auth wbuser:s3cr3t-pw
P=$INDEX_PORT
printf 'machine 127.0.0.1\nlogin wbuser\npassword s3cr3t-pw\n' >"$TMP/netrc"
NETRC=$TMP/netrc
export NETRC
ok "credentials in the URL (and netrc for the build's re-resolve): resolve" sh -c \
	'"$1" resolve --python "$2" --cache-dir "$3.cache" -o "$3" --index-url "http://wbuser:s3cr3t-pw@127.0.0.1:$4/simple/" top \
	>"$3.out" 2>&1' - "$WBGEN" "$PY" "$TMP/cred1" "$P"
ok "... and make" sh -c 'make -C "$1" --no-print-directory -j8 V=1 >>"$1.out" 2>&1' - "$TMP/cred1"
ok "... the index saw the user" sh -c 'grep -q "wbuser:\*\*\*" "$1"' - "$INDEX_LOG"
URL="http://127.0.0.1:$P/simple/"
ok "credentials from netrc only: resolve" sh -c 'URL=$2; "$1" resolve --python "$3" --cache-dir "$4.cache" -o "$4" --index-url "$2" -v top \
	>"$4.out" 2>&1' - "$WBGEN" "$URL" "$PY" "$TMP/cred2"
ok "... and make" sh -c 'make -C "$1" --no-print-directory -j8 V=1 >>"$1.out" 2>&1' - "$TMP/cred2"
for d in cred1 cred2; do
	ok "$d: every wheel built" test "$(ls "$TMP/$d/wheels-repo/downloads" | wc -l)" -eq 13
	ok "$d: the password is in no file of OUTDIR (logs, plan files, graph.json, resolve-args.json, Makefile...)" sh -c \
		'! grep -rl "s3cr3t" "$1"' - "$TMP/$d"
	ok "$d: nor in the cache" sh -c '! grep -rl "s3cr3t" "$1.cache"' - "$TMP/$d"
	ok "$d: nor in the output of resolve and make" sh -c '! grep -n "s3cr3t" "$1.out"' - "$TMP/$d"
	ok "$d: the user name is not written in the plan files either" sh -c \
		'! grep -l "wbuser" "$1"/plan.json "$1"/graph.json "$1"/build-order.json "$1"/resolve-args.json "$1"/Makefile' - "$TMP/$d"
done
unset NETRC
rm -rf "$TMP/cred3" "$TMP/cred3.cache"
ok "credentials in the URL without netrc: resolve" sh -c \
	'"$1" resolve --python "$2" --cache-dir "$3.cache" -o "$3" --index-url "http://wbuser:s3cr3t-pw@127.0.0.1:$4/simple/" top \
	>"$3.out" 2>&1' - "$WBGEN" "$PY" "$TMP/cred3" "$P"
rc=0
make -C "$TMP/cred3" --no-print-directory -j8 >>"$TMP/cred3.out" 2>&1 || rc=$?
ok "... make: whatever happens to the re-resolve, no password anywhere" sh -c \
	'! grep -rl "s3cr3t" "$1" "$1.out"' - "$TMP/cred3"

done_testing
