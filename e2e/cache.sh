# cache.sh: the shared build cache (wbgen resolve --build-cache, docs/makefile.md "The build cache"):
# two output directories building overlapping trees at once with one directory cache; a third tree
# whose packages all come from the cache (no build phase runs, wheels byte-identical to a build
# without a cache); each input of a key changed in turn gives a miss for the packages whose build
# closure holds it and only those (the sdist, a patch, a build setting, a build dependency's
# wheel, the interpreter); damaged entries refused, reported and rebuilt; a kill while storing
# leaves no entry; an HTTP cache (with credentials from netrc); `wbgen cache list/size/prune/verify`;
# without --build-cache the Makefile has no trace of the cache.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS WBGEN_BUILD_CACHE
PY=/usr/bin/python3
idx=$(index_build cache)
idx2=$(index_build cache other=1)
URL="file://$idx/simple/"
C=$TMP/C
S0=$TMP/settings0
mkdir -p "$S0/settings" "$S0/patches"

# res OUTDIR [OPTION...] REQ: resolve against the fixture index, with the settings of $S (default
# $S0: none) and the cache $CACHE (default $C; CACHE=none: no cache)
res() {
	_o=$1
	shift
	_s=${S:-$S0}
	set -- --settings-file "$_s/settings.yaml" --settings-dir "$_s/settings" --patches-dir "$_s/patches" "$@"
	[ "${CACHE:-}" = none ] || set -- --build-cache "${CACHE:-$C}" "$@"
	"$WBGEN" resolve --python "${RPY:-$PY}" --cache-dir "$TMP/hc" -o "$_o" --index-url "${RURL:-$URL}" "$@"
}
# mk OUTDIR [ARG...]: make -j3, output in OUTDIR.out
mk() {
	_o=$1
	shift
	make -C "$_o" --no-print-directory -j3 "$@" >"$_o.out" 2>&1 || { tail -n 30 "$_o.out"; return 1; }
}
# the packages of OUTDIR whose phase PHASE began (build) or ended with outcome cached, sorted
began() { sed -n "s/^{\"ev\":\"begin\",.*\"name\":\"\([^\"]*\)\",\"version\":\"[^\"]*\",\"phase\":\"$2\",.*/\1/p" "$1/logs/trace.jsonl" | sort -u | tr '\n' ' '; }
cached() { sed -n 's/^{"ev":"phase",.*"name":"\([^"]*\)",.*"phase":"cached",.*"outcome":"cached".*/\1/p' "$1/logs/trace.jsonl" | sort | tr '\n' ' '; }
# same_wheels A B: every wheel of OUTDIR A is in OUTDIR B, byte for byte
same_wheels() {
	for _w in "$1"/wheels-repo/downloads/*.whl; do
		cmp "$_w" "$2/wheels-repo/downloads/${_w##*/}" || return 1
	done
}
# the key of package ID in OUTDIR, and the paths of its entry in cache DIR
key_of() { sed -n 's/^key //p' "$1/work/$2/cache.key"; }
entry_json() { _k=$(key_of "$2" "$3") && echo "$1/v1/$(echo "$_k" | cut -c1-2)/$_k.json"; }
entry_wheel() { _k=$(key_of "$2" "$3") && ls "$1/v1/$(echo "$_k" | cut -c1-2)/$_k/"*.whl; }
# report OUTDIR LIST: the names in cache-report.json's LIST (hits, stored, refused), sorted
report() { "$PY" -c 'import json, sys
print(" ".join(sorted(e["name"] for e in json.load(open(sys.argv[1]))[sys.argv[2]])), end=" ")' "$1/cache-report.json" "$2"; }

# ---- without a cache: references, and a Makefile that does not know of one
CACHE=none
ok "resolve app-a without a cache" res "$TMP/ref-a" app-a
ok "... and app-b" res "$TMP/ref-b" app-b
CACHE=
test_expect_success "... its Makefile and work/ never mention a cache" \
	'! grep -q "WBGEN_BUILD_CACHE\\|WBGEN_CACHE\\|cache\\." "$TMP/ref-a/Makefile" && ! ls "$TMP"/ref-a/work/*/cache.inputs 2>/dev/null'
ok "make builds app-a without a cache" mk "$TMP/ref-a"
ok "... and app-b" mk "$TMP/ref-b"
test_expect_success "... the summary has no cache count" \
	'grep -q "^wbgen: [0-9]* phases run in [0-9.]* s: built [0-9]*, up to date" "$TMP/ref-a.out"'
test_expect_success "WBGEN_BUILD_CACHE at make time does nothing to a Makefile without a cache" \
	'rm -rf "$TMP/ref-a/wheels-repo" "$TMP/ref-a/work"/*/wheel.stamp && WBGEN_BUILD_CACHE=$TMP/nowhere mk "$TMP/ref-a" &&
	test ! -e "$TMP/nowhere" && test ! -e "$TMP/ref-a/cache.mk" && test "$(cached "$TMP/ref-a")" = ""'

# ---- two trees at once, one cache
ok "resolve app-a with --build-cache" res "$TMP/a" app-a
ok "resolve app-b with WBGEN_BUILD_CACHE" env WBGEN_BUILD_CACHE="$C" \
	"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/hc" -o "$TMP/b" --index-url "$URL" \
	--settings-file "$S0/settings.yaml" --settings-dir "$S0/settings" --patches-dir "$S0/patches" app-b
test_expect_success "... the Makefile names the cache, the re-resolve keeps it" \
	'grep -q "^WBGEN_BUILD_CACHE ?= $C\$" "$TMP/b/Makefile" && grep -q "\"--build-cache\"" "$TMP/b/resolve-args.json"'
test_expect_success "both trees built at once with the same cache" \
	'{ mk "$TMP/a" & pa=$!; mk "$TMP/b" & pb=$!; wait $pa && wait $pb; }'
ok "... app-a's wheels are byte-identical to a build without a cache" same_wheels "$TMP/ref-a" "$TMP/a"
ok "... app-b's too" same_wheels "$TMP/ref-b" "$TMP/b"
ok "... every entry is whole" "$WBGEN" cache verify "$C"
test_expect_success "... one entry per package of the two trees" 'test "$("$WBGEN" cache list "$C" | wc -l)" = 8'
test_expect_success "... cache-report.json lists what each stored" \
	'test -n "$(report "$TMP/a" stored)$(report "$TMP/b" stored)" && test "$(report "$TMP/a" refused)" = " "'

ok "a third tree, app-b, from the same cache" res "$TMP/c" app-b
ok "... make" mk "$TMP/c"
test_expect_success "... every wheel came from the cache: no build phase ran" \
	'test "$(began "$TMP/c" build)" = "" && test "$(began "$TMP/c" unpack)" = "" &&
	test "$(cached "$TMP/c")" = "app-b backend-c helper-p lib-y lib-z tinybuild "'
ok "... the summary counts them" grep -q "^wbgen: [0-9]* phases run in [0-9.]* s: built [0-9]*, from cache 6, up to date" "$TMP/c.out"
ok "... the trace records the cached phases with outcome cached" grep -q '"phase":"cached",.*"outcome":"cached"' "$TMP/c/logs/trace.jsonl"
test_expect_success "... cache-report.json lists the hits with their key and source" \
	'test "$(report "$TMP/c" hits)" = "app-b backend-c helper-p lib-y lib-z tinybuild " &&
	grep -q "\"key\": \"$(key_of "$TMP/c" lib-y-1.0)\"" "$TMP/c/cache-report.json" &&
	grep -q "\"source\": \"$C\"" "$TMP/c/cache-report.json"'
ok "... the wheels are byte-identical to a build without a cache" same_wheels "$TMP/ref-b" "$TMP/c"
ok "... and published" test -f "$TMP/c/wheels-repo/simple/lib-y/index.html"
test_expect_success "... lib-z's install requirements (dynamic) read from the wheel by its deps phase" \
	'test "$(began "$TMP/c" deps)" = "lib-z " && test -f "$TMP/c/work/lib-z-1.0/deps.stamp" &&
	grep -q "^dynamic 1$" "$TMP/c/work/lib-z-1.0/wheel.stamp"'
ok "make again: nothing runs" mk "$TMP/c"
test_expect_success "... no lookup, no phase" \
	'grep -q "^wbgen: 0 phases run" "$TMP/c.out" && test "$(report "$TMP/c" hits)" = " "'
ok "make -q: up to date" make -C "$TMP/c" -q
ok "make clean, make: from the cache again" sh -c 'make -C "$1" -s clean && make -C "$1" -s -j3 >"$1.out"' - "$TMP/c"
test_expect_success "... no build phase ran" \
	'test "$(began "$TMP/c" build)" = "" && grep -q "from cache 6," "$TMP/c.out"'
test_expect_success "the cache gone, every pkg.json touched: nothing is built (the stamps hold the keys)" \
	'mv "$C" "$C.away" && touch "$TMP"/c/work/*/pkg.json && mk "$TMP/c"; r=$?; mv "$C.away" "$C" && test $r = 0 &&
	test "$(began "$TMP/c" build)" = "" && grep -q "built [0-9]*, from cache 0, up to date [1-9]" "$TMP/c.out" &&
	test ! -e "$C.away"'
test_expect_success "make -n shows the cached recipes of the last run" \
	'make -C "$TMP/c" -n -B lib-y >"$TMP/n.out" && grep -q "wbgen-step cached lib-y-1.0$" "$TMP/n.out" &&
	! grep -q "wbgen-step build lib-y-1.0" "$TMP/n.out"'
test_expect_success "make WBGEN_BUILD_CACHE= turns the cache off: a build, nothing stored" \
	'res "$TMP/off" app-b 2>/dev/null && n=$(find "$C" -name "*.json" | wc -l) &&
	mk "$TMP/off" WBGEN_BUILD_CACHE= && test "$(cached "$TMP/off")" = "" &&
	test "$(began "$TMP/off" build)" = "app-b backend-c helper-p lib-y lib-z tinybuild " &&
	test "$(find "$C" -name "*.json" | wc -l)" = "$n" && ! grep -q "from cache" "$TMP/off.out"'

# ---- each input of a key, changed in turn: a miss for the packages whose build closure holds it
# miss NAME OUTDIR BUILT: make OUTDIR; the packages built are BUILT, the others came from the cache
miss() {
	mk "$2" || return 1
	[ "$(began "$2" build)" = "$3" ] || { echo "built: $(began "$2" build), expected $3"; return 1; }
	for _p in app-a backend-c helper-p lib-x lib-y tinybuild; do
		case " $3" in *" $_p "*) continue ;; esac
		case " $(cached "$2")" in *" $_p "*) ;; *) echo "$_p not from the cache: $(cached "$2")"; return 1 ;; esac
	done
}
ok "app-a again, every input the same: all from the cache" res "$TMP/same" app-a
ok "... make" miss same "$TMP/same" ""
RURL="file://$idx2/simple/"
ok "the sdist: lib-x 1.0 with other bytes" res "$TMP/sdist" app-a
RURL=
ok "... a miss for lib-x only" miss sdist "$TMP/sdist" "lib-x "
S=$TMP/s-patch
mkdir -p "$S/settings" "$S/patches/lib_x"
cat >"$S/patches/lib_x/01-more.patch" <<'EOF'
--- a/lib_x/__init__.py
+++ b/lib_x/__init__.py
@@ -1,2 +1,3 @@
 """fixture package lib-x."""
 __version__ = "1.0"
+MORE = 1
EOF
ok "a patch for lib-x" res "$TMP/patch" app-a
ok "... a miss for lib-x only" miss patch "$TMP/patch" "lib-x "
ok "... its key text names the patch" grep -q "^patch 01-more.patch [0-9a-f]*$" "$TMP/patch/work/lib-x-1.0/cache.key"
S=$TMP/s-setting
mkdir -p "$S/settings" "$S/patches"
printf 'env:\n  LIBX_FLAG: "1"\n' >"$S/settings/lib_x.yaml"
ok "a build setting of lib-x (env)" res "$TMP/setting" app-a
ok "... a miss for lib-x only" miss setting "$TMP/setting" "lib-x "
test_expect_success "... the key texts differ in their settings line only" \
	'diff "$TMP/same/work/lib-x-1.0/cache.key" "$TMP/setting/work/lib-x-1.0/cache.key" | grep "^[<>]" | cut -c3- |
	cut -d" " -f1 | sort -u | tr "\n" " " | grep -qx "key settings "'
S=$TMP/s-dep
mkdir -p "$S/settings" "$S/patches"
printf 'changelog:\n  "1.0":\n    - "rebuilt"\n' >"$S/settings/backend_c.yaml"
ok "a build dependency's wheel: backend-c rebuilt with a build tag (a changelog entry)" res "$TMP/dep" app-a
ok "... a miss for backend-c and lib-y, whose build environment holds it" miss dep "$TMP/dep" "backend-c lib-y "
S=$TMP/s-pre
mkdir -p "$S/settings" "$S/patches"
printf 'variants:\n  cpu:\n    pre_built: true\n' >"$S/settings/helper_p.yaml"
ok "a wheel of a build environment pre-built (settings pre_built)" res "$TMP/pre" app-a
test_expect_success "... a miss for lib-y only: helper-p is taken from the index, the others from the cache" \
	'mk "$TMP/pre" && test "$(began "$TMP/pre" build)" = "lib-y " && test "$(began "$TMP/pre" prebuilt)" = "helper-p " &&
	test "$(cached "$TMP/pre")" = "app-a backend-c lib-x tinybuild "'
test_expect_success "... its key is its wheel's sha256, in its dependents' key texts" \
	'grep -qx "key sha256:[0-9a-f]\{64\}" "$TMP/pre/work/helper-p-1.0/cache.key" &&
	grep -qx "env helper-p 1.0 $(key_of "$TMP/pre" helper-p-1.0)" "$TMP/pre/work/lib-y-1.0/cache.key"'
unset S
PY312=$(ls /root/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 2>/dev/null | head -n 1) || true
if [ -n "$PY312" ]; then
	RPY=$PY312
	ok "another interpreter ($PY312)" res "$TMP/py312" app-a
	RPY=
	ok "... a miss for every package" miss py312 "$TMP/py312" "app-a backend-c helper-p lib-x lib-y tinybuild "
	ok "... its key text names it" grep -q "^python cpython 3.12" "$TMP/py312/work/lib-x-1.0/cache.key"
else
	test_skip "no pyenv python 3.12"
	test_skip "no pyenv python 3.12"
	test_skip "no pyenv python 3.12"
fi

# ---- damaged entries: refused, reported, removed, rebuilt
# damaged NAME HOW: damage lib-x's entry (HOW: flip, cut, json), build app-a in a new OUTDIR
damaged() {
	case $2 in
	flip) _f=$(entry_wheel "$C" "$TMP/same" lib-x-1.0) && "$PY" -c 'import sys
f = open(sys.argv[1], "r+b"); f.seek(100); b = f.read(1); f.seek(100); f.write(bytes([b[0] ^ 1]))' "$_f" ;;
	cut) _f=$(entry_wheel "$C" "$TMP/same" lib-x-1.0) && truncate -s 200 "$_f" ;;
	json) _f=$(entry_json "$C" "$TMP/same" lib-x-1.0) && truncate -s 30 "$_f" ;;
	esac
	res "$TMP/$1" app-a 2>/dev/null && miss "$1" "$TMP/$1" "lib-x "
}
for how in flip cut json; do
	ok "lib-x's entry damaged ($how): rebuilt" damaged "dmg-$how" "$how"
	test_expect_success "... refused in one line naming the entry and the package" \
		'test "$(grep -c "^wbgen: build cache: refused the entry [0-9a-f]*\.\.\. of lib-x 1.0 " "$TMP/dmg-$how.out")" = 1'
	ok "... reported in cache-report.json" test "$(report "$TMP/dmg-$how" refused)" = "lib-x "
	ok "... the wheel is the right one" same_wheels "$TMP/ref-a" "$TMP/dmg-$how"
	ok "... stored again: the cache verifies" "$WBGEN" cache verify "$C"
done

# ---- a kill while storing: no entry is visible, the next run is fine
K=$TMP/K
for when in temp wheel; do
	CACHE=$K-$when
	ok "resolve into a new cache (kill at '$when')" res "$TMP/kill-$when" app-b
	test_expect_exit 2 "the first store is killed" \
		'WBGEN_TEST_CACHE_KILL=$when make -C "$TMP/kill-$when" --no-print-directory -j1 >"$TMP/kill.out" 2>&1'
	test_expect_success "... the cache has no entry, only leftovers" \
		'test "$("$WBGEN" cache list "$K-$when" | wc -l)" = 0 && test -n "$(find "$K-$when/v1" -type f)"'
	ok "... a tree reading it" res "$TMP/kill-$when-2" app-b
	test_expect_success "... and builds everything" \
		'mk "$TMP/kill-$when-2" && test "$(cached "$TMP/kill-$when-2")" = ""'
	ok "make again in the killed tree" mk "$TMP/kill-$when"
	ok "... the cache verifies" "$WBGEN" cache verify "$K-$when"
	ok "... the wheels are the right ones" same_wheels "$TMP/ref-b" "$TMP/kill-$when"
	CACHE=
done
test_expect_success "prune removes the killed writer's temporaries" \
	'find "$K-temp/v1/tmp" -type f | grep -q . && touch -d "2 hours ago" "$K-temp"/v1/tmp/* &&
	"$WBGEN" cache prune --max-size 1T "$K-temp" >"$TMP/prune.out" && ! find "$K-temp/v1/tmp" -type f | grep -q . &&
	grep -q "^removed 0 entries (0 bytes) and [1-9][0-9]* temporar" "$TMP/prune.out"'

# ---- an HTTP cache (read only), credentials from netrc
index_serve "$C" --auth cu:cp
ok "resolve with an http:// cache with credentials" res "$TMP/http" --build-cache "http://cu:cp@127.0.0.1:$INDEX_PORT/" app-a
ok "... the Makefile has no credentials" sh -c '! grep -q "cu:cp" "$1/Makefile" "$1/resolve-args.json"' - "$TMP/http"
printf 'machine 127.0.0.1 login cu password cp\n' >"$TMP/netrc"
ok "make with netrc: every wheel from the cache" env NETRC="$TMP/netrc" sh -c 'make -C "$1" -s -j3 >"$1.out" 2>&1' - "$TMP/http"
test_expect_success "... no build phase ran" \
	'test "$(began "$TMP/http" build)" = "" && test "$(cached "$TMP/http")" = "app-a backend-c helper-p lib-x lib-y tinybuild "'
ok "... the wheels are the right ones" same_wheels "$TMP/ref-a" "$TMP/http"
test_expect_success "... the report's source is the URL, without credentials" \
	'grep -q "\"source\": \"http://127.0.0.1:$INDEX_PORT/\"" "$TMP/http/cache-report.json"'
ok "... requests for entries and wheels" test "$(index_count "/v1/$(key_of "$TMP/http" lib-x-1.0 | cut -c1-2)/$(key_of "$TMP/http" lib-x-1.0).json" 200)" -ge 1
test_expect_success "credentials in WBGEN_BUILD_CACHE at make time: from the cache, none in the report" \
	'res "$TMP/http3" --build-cache "http://127.0.0.1:$INDEX_PORT/" app-a 2>/dev/null &&
	WBGEN_BUILD_CACHE="http://cu:cp@127.0.0.1:$INDEX_PORT/" NETRC=$TMP/none mk "$TMP/http3" &&
	test "$(began "$TMP/http3" build)" = "" && ! grep -q "cu:cp" "$TMP/http3/cache-report.json"'
test_expect_success "without credentials: misses, built, nothing stored" \
	'res "$TMP/http2" --build-cache "http://127.0.0.1:$INDEX_PORT/" app-a 2>/dev/null && NETRC=$TMP/none mk "$TMP/http2" &&
	test "$(cached "$TMP/http2")" = "" && same_wheels "$TMP/ref-a" "$TMP/http2"'

# ---- wbgen cache, on the cache of the killed tree: app-b's six entries
K=$K-wheel
O=$TMP/kill-wheel
# age ID DAYS: the entry of ID in $K says it was made DAYS days ago
age() { "$PY" -c 'import json, sys, time
p = sys.argv[1]; e = json.load(open(p)); e["created"] = int(time.time() - float(sys.argv[2]) * 86400)
json.dump(e, open(p, "w"))' "$(entry_json "$K" "$O" "$1")" "$2"; }
ok "cache list" "$WBGEN" cache list "$K"
test_expect_success "... a line per entry: name, version, wheel, size, created, key" \
	'test "$(wc -l <"$TMP/out")" = 6 &&
	grep -q "^lib-y 1.0 lib_y-1.0-py3-none-any.whl [0-9]* 20[0-9-]*T[0-9:]*Z $(key_of "$O" lib-y-1.0)$" "$TMP/out"'
ok "cache size" "$WBGEN" cache size --build-cache "$K"
ok "... 6 entries and their bytes" grep -q "^6 entries, [1-9][0-9]* bytes (.* MiB) in $K$" "$TMP/out"
ok "cache verify, the directory from WBGEN_BUILD_CACHE" env WBGEN_BUILD_CACHE="$K" "$WBGEN" cache verify
ok "... 6 checked" grep -q "^6 entries checked, 0 damaged$" "$TMP/out"
printf 'x' >>"$(entry_wheel "$K" "$O" lib-z-1.0)"
fails 1 "verify finds a damaged entry" "$WBGEN" cache verify "$K"
ok "... and names it" grep -q "^damaged: $(key_of "$O" lib-z-1.0) lib-z 1.0: .*truncated" "$TMP/out"
fails 2 "prune without a limit" "$WBGEN" cache prune "$K"
fails 2 "prune with both limits" "$WBGEN" cache prune --older-than 1 --max-size 1G "$K"
fails 2 "prune with a bad size" "$WBGEN" cache prune --max-size 12Q "$K"
fails 2 "an unknown subcommand" "$WBGEN" cache frob "$K"
fails 2 "no directory" "$WBGEN" cache list
fails 1 "list of a directory that does not exist" "$WBGEN" cache list "$TMP/nowhere"
age app-b-1.0 3
ok "prune --older-than 2: the entry made three days ago goes" "$WBGEN" cache prune --older-than 2 "$K"
test_expect_success "... it alone" \
	'grep -q "^removed 1 entry" "$TMP/out" && test "$("$WBGEN" cache list "$K" | wc -l)" = 5 &&
	! "$WBGEN" cache list "$K" | grep -q "^app-b "'
age lib-y-1.0 1
total=$("$WBGEN" cache size "$K" | sed -n 's/^[0-9]* entries, \([0-9]*\) bytes.*/\1/p')
ysize=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["size"])' "$(entry_json "$K" "$O" lib-y-1.0)")
ok "prune --max-size: the oldest go first" "$WBGEN" cache prune --max-size "$((total - ysize))" "$K"
test_expect_success "... lib-y, the oldest, alone" \
	'test "$("$WBGEN" cache list "$K" | wc -l)" = 4 && ! "$WBGEN" cache list "$K" | grep -q "^lib-y "'
ok "prune --max-size 0" "$WBGEN" cache prune --max-size 0 "$K"
ok "... empty" test "$("$WBGEN" cache size "$K" | cut -d" " -f1)" = 0

done_testing
