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
ok "one entry per wheel, named by its sha256" sh -c 'test "$(find "$1" -mindepth 2 -maxdepth 2 -type d ! -name ".*" | wc -l)" = 2 &&
	test -d "$1"/*/"$(sha256sum "$2" | cut -c1-64)"' - "$S" "$ST"
ok "install into b: the same entries" sh -c '"$WBGEN" install --store "$1" --env "$2" "$3" "$4" && test "$(find "$1" -mindepth 2 -maxdepth 2 -type d ! -name ".*" | wc -l)" = 2' \
	- "$S" "$TMP/b" "$ST" "$PIPW"
ok "a's and b's files are one inode, the entry's" sh -c 'f=setuptools/__init__.py; e=$(echo "$1"/*/"$(sha256sum "$4" | cut -c1-64)"/tree/lib/python3*/site-packages/$f);
	i=$(stat -c %i "$e"); test "$(stat -c %i "$2"/lib/python3*/site-packages/$f)" = "$i" &&
	test "$(stat -c %i "$3"/lib/python3*/site-packages/$f)" = "$i" && test "$(stat -c %h "$e")" -ge 3' - "$S" "$TMP/a" "$TMP/b" "$ST"
ok "the byte-code is linked too" sh -c 'test "$(stat -c %h "$1"/lib/python3*/site-packages/setuptools/__pycache__/__init__.cpython-*.pyc)" -ge 3' - "$TMP/a"
ok "every .py has a valid .pyc, listed in RECORD" "$TMP/b/bin/python" "$FIX/pycheck.py" "$TMP/b"
ok "scripts are each environment's own (not linked)" sh -c 'head -n 1 "$1/bin/pip" | grep -qx "#!$1/bin/python" &&
	head -n 1 "$2/bin/pip" | grep -qx "#!$2/bin/python" && test "$(stat -c %h "$2/bin/pip")" = 1' - "$TMP/a" "$TMP/b"
"$WBGEN" install --env "$TMP/p" "$ST" "$PIPW"
ok "the same tree as a plain wbgen install" same_tree "$TMP/b" "$TMP/p"
ok "the environment works: pip runs, setuptools.build_meta imports" sh -c '"$1/bin/pip" --version >/dev/null &&
	"$1/bin/python" -c "import setuptools.build_meta"' - "$TMP/b"
ok "imports write no byte-code into the store's directories" sh -c 'touch "$2.mark"; env -u PYTHONDONTWRITEBYTECODE "$1/bin/python" -c "import setuptools, pip._internal" &&
	! find "$2" -newer "$2.mark" | grep -q .' - "$TMP/b" "$S"
ok "no temporary directory left in the store" sh -c '! find "$1" -name ".tmp-*" | grep -q .' - "$S"

# ---- --copy: the same tree, no shared inode, the byte-code still valid (mtimes kept)
newenv "$TMP/c"
ok "--copy" "$WBGEN" install --store "$S" --copy --env "$TMP/c" "$ST"
ok "--copy: nothing linked" sh -c '! find "$1/lib" -type f -links +1 | grep -q .' - "$TMP/c"
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
	ok "damaged entry ($how): the install succeeds" sh -c '"$1" install --store "$2" --env "$3" "$4" 2>"$3.err"' \
		- "$WBGEN" "$S" "$TMP/d-$how" "$ST"
	ok "damaged entry ($how): one warning naming the entry" sh -c 'test "$(grep -c "damaged" "$1.err")" = 1 &&
		grep -q "$2" "$1.err"' - "$TMP/d-$how" "$E"
	ok "damaged entry ($how): made again, the environment is right" same_tree "$TMP/d-$how" "$TMP/c"
	ok "damaged entry ($how): its byte-code is valid" "$TMP/d-$how/bin/python" "$FIX/pycheck.py" "$TMP/d-$how"
done
ok "damaged entries leave nothing behind" sh -c '! find "$1" -maxdepth 2 -name ".damaged-*" | grep -q .' - "$S"

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
ok "... two entries, no temporary directory left" sh -c 'test "$(find "$1" -mindepth 2 -maxdepth 2 ! -name ".*" | wc -l)" = 2 &&
	! find "$1" -mindepth 2 -maxdepth 2 -name ".*" ! -name ".lock-*" | grep -q .' - "$S2"
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
ok "... all six share the entry's inodes" sh -c 'test "$(stat -c %h "$1"/lib/python3*/site-packages/setuptools/__init__.py)" -ge 7' - "$TMP/k1"

# ---- killed while an entry is made: no entry appears half-made; the next install finishes the job
S3="$TMP/store3"
for delay in 0.05 0.2 0.5 1; do
	newenv "$TMP/x$delay"
	"$WBGEN" install --store "$S3" --env "$TMP/x$delay" "$PIPW" >/dev/null 2>&1 &
	p=$!
	sleep "$delay"
	kill -9 "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	ok "killed after ${delay}s: every named entry is whole" sh -c 'for e in $(find "$1" -mindepth 2 -maxdepth 2 -type d ! -name ".*"); do
		tail -n 1 "$e/MANIFEST" | grep -qx end || exit 1; done' - "$S3"
done
newenv "$TMP/xr"
ok "killed installs: the next one succeeds" "$WBGEN" install --store "$S3" --env "$TMP/xr" "$PIPW"
ok "... and removed the killed ones' temporary directories" sh -c '! find "$1" -name ".tmp-*" | grep -q .' - "$S3"
ok "... the environment is right" "$TMP/xr/bin/python" "$FIX/pycheck.py" "$TMP/xr"

# ---- errors
fails 2 "--store without a directory" "$WBGEN" install --store "" --env "$TMP/a" "$ST"
ok "a store that cannot be made: one line naming it" sh -c 'touch "$1/file"; "$2" install --store "$1/file/s" --env "$3" "$4" 2>&1 |
	{ read -r l; ! read -r _ && case $l in *"$1/file/s"*) true;; *) false;; esac; }' - "$TMP" "$WBGEN" "$TMP/a" "$ST"

done_testing
