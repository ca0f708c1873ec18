# store.sh: the wheel store (`wbgen install --store DIR`): each wheel laid out and byte-compiled once,
# environments made of hard links to its entries; the same tree as a plain install; entries made by
# concurrent installs, killed installs, damaged entries; --copy.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"

PY=${REF_PYTHON:-/usr/bin/python3}
export XDG_CACHE_HOME="$TMP/cache"
FIX="$WBGEN_SRCDIR/e2e/fixtures"
ST=$(ls /usr/share/python-wheels/setuptools-*.whl 2>/dev/null | head -n 1 || true)
PIPW=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$ST" ] || [ -z "$PIPW" ]; then
	echo "1..0 # SKIP Debian's setuptools and pip wheels (python3-setuptools-whl, python3-pip-whl) are missing"
	exit 0
fi
S="$TMP/store"
newenv() { "$WBGEN" venv --python "$PY" "$1"; }
# the store's entries (their directories), one a line
entries() { find "$S" -mindepth 2 -maxdepth 2 -type d ! -name '.*' | sort; }
# same_tree A B: envcompare.py of two environments (their pyvenv.cfg's own paths put aside)
same_tree() {
	sed -i "s|$1|ENV|" "$1/pyvenv.cfg"; sed -i "s|$2|ENV|" "$2/pyvenv.cfg"
	"$PY" "$FIX/envcompare.py" "$1" "$2"; rc=$?
	sed -i "s|ENV|$1|" "$1/pyvenv.cfg"; sed -i "s|ENV|$2|" "$2/pyvenv.cfg"
	return $rc
}
sp() { echo "$1"/lib/python3*/site-packages; }

# ---- two environments from the store: one entry per wheel, files hard-linked to it
newenv "$TMP/a"; newenv "$TMP/b"; newenv "$TMP/p"
ok "install into a from an empty store" "$WBGEN" install --store "$S" --env "$TMP/a" "$ST" "$PIPW"
test_expect_success "one entry per wheel, named by its sha256" \
	'test "$(find "$S" -mindepth 2 -maxdepth 2 -type d ! -name ".*" | wc -l)" = 2 &&
	test -d "$S"/*/"$(sha256sum "$ST" | cut -c1-64)"'
test_expect_success "install into b: the same entries" \
	'"$WBGEN" install --store "$S" --env "$TMP/b" "$ST" "$PIPW" && test "$(find "$S" -mindepth 2 -maxdepth 2 -type d ! -name ".*" | wc -l)" = 2'
test_expect_success "a's and b's files are one inode, the entry's" \
	'f=setuptools/__init__.py; e=$(echo "$S"/*/"$(sha256sum "$ST" | cut -c1-64)"/tree/lib/python3*/site-packages/$f);
	i=$(stat -c %i "$e"); test "$(stat -c %i "$TMP/a"/lib/python3*/site-packages/$f)" = "$i" &&
	test "$(stat -c %i "$TMP/b"/lib/python3*/site-packages/$f)" = "$i" && test "$(stat -c %h "$e")" -ge 3'
test_expect_success "the byte-code is linked too" \
	'test "$(stat -c %h "$TMP/a"/lib/python3*/site-packages/setuptools/__pycache__/__init__.cpython-*.pyc)" -ge 3'
ok "every .py has a valid .pyc, listed in RECORD" "$TMP/b/bin/python" "$FIX/pycheck.py" "$TMP/b"
test_expect_success "scripts are each environment's own (not linked)" \
	'head -n 1 "$TMP/a/bin/pip" | grep -qx "#!$TMP/a/bin/python" &&
	head -n 1 "$TMP/b/bin/pip" | grep -qx "#!$TMP/b/bin/python" && test "$(stat -c %h "$TMP/b/bin/pip")" = 1'
"$WBGEN" install --env "$TMP/p" "$ST" "$PIPW"
ok "the same tree as a plain wbgen install" same_tree "$TMP/b" "$TMP/p"
test_expect_success "the environment works: pip runs, setuptools.build_meta imports" \
	'"$TMP/b/bin/pip" --version >/dev/null &&
	"$TMP/b/bin/python" -c "import setuptools.build_meta"'
test_expect_success "imports write no byte-code into the store's directories" \
	'touch "$S.mark"; env -u PYTHONDONTWRITEBYTECODE "$TMP/b/bin/python" -c "import setuptools, pip._internal" &&
	! find "$S" -newer "$S.mark" | grep -q .'
test_expect_success "no temporary directory left in the store" '! find "$S" -name ".tmp-*" | grep -q .'

# ---- --copy: the same tree, no shared inode, the byte-code still valid (mtimes kept)
newenv "$TMP/c"
ok "--copy" "$WBGEN" install --store "$S" --copy --env "$TMP/c" "$ST"
test_expect_success "--copy: nothing linked" '! find "$TMP/c/lib" -type f -links +1 | grep -q .'
ok "--copy: every .pyc valid" "$TMP/c/bin/python" "$FIX/pycheck.py" "$TMP/c"

# ---- damaged entries are never used: found, reported, made again
E=$(echo "$S"/*/"$(sha256sum "$ST" | cut -c1-64)")
damage() {
	case $1 in
	changed) f=$(echo "$E"/tree/lib/python3*/site-packages/setuptools/version.py); chmod u+w "$f"; echo "# x" >>"$f" ;;
	missing) rm -f "$E"/tree/lib/python3*/site-packages/setuptools/version.py ;;
	truncated) sed -i '$d' "$E/MANIFEST" ;;
	nomanifest) rm -f "$E/MANIFEST" ;;
	esac
}
for how in changed missing truncated nomanifest; do
	# a fresh entry for each case (the last one made it again)
	newenv "$TMP/d-$how"
	damage $how
	test_expect_success "damaged entry ($how): the install succeeds" \
		'"$WBGEN" install --store "$S" --env "$TMP/d-$how" "$ST" 2>"$TMP/d-$how.err"'
	test_expect_success "damaged entry ($how): one warning naming the entry" \
		'test "$(grep -c "damaged" "$TMP/d-$how.err")" = 1 &&
		grep -q "$E" "$TMP/d-$how.err"'
	ok "damaged entry ($how): made again, the environment is right" same_tree "$TMP/d-$how" "$TMP/c"
	ok "damaged entry ($how): its byte-code is valid" "$TMP/d-$how/bin/python" "$FIX/pycheck.py" "$TMP/d-$how"
done
test_expect_success "damaged entries leave nothing behind" '! find "$S" -maxdepth 2 -name ".damaged-*" | grep -q .'

# ---- concurrent installs sharing an empty store: one entry per wheel, every environment right
S2="$TMP/store2"
pids=
for i in 1 2 3 4 5 6; do
	newenv "$TMP/k$i"
	"$WBGEN" install --store "$S2" --env "$TMP/k$i" "$ST" "$PIPW" >"$TMP/k$i.out" 2>&1 &
	pids="$pids $!"
done
rc=0
for p in $pids; do wait "$p" || rc=1; done
ok "six installs at once into an empty store: all succeed" test $rc = 0
test_expect_success "... two entries, no temporary directory left" \
	'test "$(find "$S2" -mindepth 2 -maxdepth 2 ! -name ".*" | wc -l)" = 2 &&
	! find "$S2" -mindepth 2 -maxdepth 2 -name ".*" ! -name ".lock-*" | grep -q .'
# the same again under strace: each entry is compiled by one install, the others wait for its lock
if command -v strace >/dev/null; then
	S4="$TMP/store4"
	for i in 1 2 3 4; do newenv "$TMP/m$i"; done
	strace -f -qq -e trace=execve -e signal=none -o "$TMP/m.trace" sh -c 'for i in 1 2 3 4; do
		"$1" install --store "$2" --env "$3/m$i" "$4" "$5" & done; wait' - "$WBGEN" "$S4" "$TMP" "$ST" "$PIPW"
	# one compiler run per install that made entries: 1 (one made both) or 2, never one per install
	n=$(grep -c 'execve(.*"-E", "-s", "-S", "-c"' "$TMP/m.trace" || true)
	ok "four installs at once: the two entries compiled by at most two runs ($n)" test "$n" -ge 1 -a "$n" -le 2
fi
for i in 1 6; do
	ok "... environment k$i is right" same_tree "$TMP/k$i" "$TMP/p"
done
test_expect_success "... all six share the entry's inodes" \
	'test "$(stat -c %h "$TMP/k1"/lib/python3*/site-packages/setuptools/__init__.py)" -ge 7'

# ---- killed while an entry is made: no entry appears half-made; the next install finishes the job
S3="$TMP/store3"
for delay in 0.05 0.2 0.5 1; do
	newenv "$TMP/x$delay"
	"$WBGEN" install --store "$S3" --env "$TMP/x$delay" "$PIPW" >/dev/null 2>&1 &
	p=$!
	sleep "$delay"
	kill -9 "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	test_expect_success "killed after ${delay}s: every named entry is whole" \
		'for e in $(find "$S3" -mindepth 2 -maxdepth 2 -type d ! -name ".*"); do
		tail -n 1 "$e/MANIFEST" | grep -qx end || exit 1; done'
done
newenv "$TMP/xr"
ok "killed installs: the next one succeeds" "$WBGEN" install --store "$S3" --env "$TMP/xr" "$PIPW"
test_expect_success "... and removed the killed ones' temporary directories" '! find "$S3" -name ".tmp-*" | grep -q .'
ok "... the environment is right" "$TMP/xr/bin/python" "$FIX/pycheck.py" "$TMP/xr"

# ---- errors
fails 2 "--store without a directory" "$WBGEN" install --store "" --env "$TMP/a" "$ST"
test_expect_success "a store that cannot be made: one line naming it" \
	'touch "$TMP/file"; "$WBGEN" install --store "$TMP/file/s" --env "$TMP/a" "$ST" 2>&1 |
	{ read -r l; ! read -r _ && case $l in *"$TMP/file/s"*) true;; *) false;; esac; }'

done_testing
