# isolation-env.sh: a build cannot change its own environment (gen/hook.c: ENV bind-mounted
# read-only in a mount namespace of the hook's own), so environments that share files through hard
# links stay as they were. The backend e2e/fixtures/robackend.py, installed in the environment, tries
# in get_requires_for_build_wheel and build_wheel to write an installed file (its own module), to
# make a new file in site-packages and to remove one (its RECORD): each must fail with EROFS (30),
# the environment must be the same byte for byte afterwards, and the source tree and TMPDIR must stay
# writable. Through `wbgen hook` directly, with WBGEN_BUILD_NETWORK=1, as nobody, and through make.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
unset WBGEN_BUILD_NETWORK

if ! unshare -m true 2>/dev/null && ! unshare -U -r -m true 2>/dev/null; then
	test_skip "this system allows no mount namespace (unshare fails): builds run with a writable environment"
	done_testing
	exit
fi

# the environment's files: names, types, modes, modification times and contents
snap() {
	(cd "$1" && find . -printf '%y %m %T@ %p\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
# attempts LOG HOOK: the three writes into site-packages failed with EROFS, the source tree and
# TMPDIR were written, and no warning
attempts() {
	for a in write-existing create remove; do
		grep -qx "robackend: $2 $a errno=30" "$1" || { echo "$2 $a did not fail with EROFS"; return 1; }
	done
	for a in src-write tmp-write; do
		grep -qx "robackend: $2 $a ok" "$1" || { echo "$2 $a failed"; return 1; }
	done
	! grep "warning" "$1"
}

# robackend 1.0 (builds itself: backend-path ["."]) and rocheck 1.0, built by it
R=$TMP/src/robackend-1.0
S=$TMP/src/rocheck-1.0
mkdir -p "$R" "$S"
cp "${WBGEN_SRCDIR:-.}/e2e/fixtures/robackend.py" "$R/"
cat >"$R/pyproject.toml" <<'TOML'
[project]
name = "robackend"
version = "1.0"

[build-system]
requires = []
build-backend = "robackend"
backend-path = ["."]
TOML
echo 'X = 1' >"$S/rocheck.py"
cat >"$S/pyproject.toml" <<'TOML'
[project]
name = "rocheck"
version = "1.0"

[build-system]
requires = ["robackend"]
build-backend = "robackend"
TOML

"$WBGEN" venv --python "$PY" "$TMP/benv"
ok "robackend builds itself" "$WBGEN" build-wheel --env "$TMP/benv" --src "$R" --backend robackend --backend-path . \
	--log "$TMP/self.log" --out "$TMP/bw"
ok "... its empty environment could not be written either" grep -qx "robackend: build_wheel create errno=30" "$TMP/self.log"
"$WBGEN" venv --python "$PY" "$TMP/env"
"$WBGEN" install --env "$TMP/env" "$TMP/bw/robackend-1.0-py3-none-any.whl"
SP=$(echo "$TMP"/env/lib/python3*/site-packages)
ok "robackend is installed in the environment" test -f "$SP/robackend.py" -a -f "$SP/robackend-1.0.dist-info/RECORD"
snap "$TMP/env" >"$TMP/env.before"

hook() { # NAME HOOK [OUTDIR]: run HOOK of rocheck in $TMP/env, log $TMP/NAME.log
	"$WBGEN" hook --env "$TMP/env" --src "$S" --backend robackend --log "$TMP/$1.log" ${3:+--out-dir "$3"} \
		"$2" "$TMP/$1.json"
}
ok "get_requires_for_build_wheel runs" hook gr get_requires_for_build_wheel
ok "... its writes into site-packages failed with EROFS, the source tree and TMPDIR were written" \
	attempts "$TMP/gr.log" get_requires
ok "build_wheel builds the wheel" hook bw build_wheel "$TMP/whl"
ok "... its writes into site-packages failed with EROFS, the source tree and TMPDIR were written" \
	attempts "$TMP/bw.log" build_wheel
test_expect_success "... the wheel says so too" '"$PY" -c "import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sys.stdout.write(z.read(\"rocheck-1.0.dist-info/robackend-attempts.txt\").decode())" "$TMP/whl/rocheck-1.0-py3-none-any.whl" | grep -qx "robackend: build_wheel write-existing errno=30"'
ok "... the source tree holds the backend's file" grep -qx "written by build_wheel" "$S/ro-src-probe.txt"
snap "$TMP/env" >"$TMP/env.after"
ok "the environment is unchanged, byte for byte" cmp "$TMP/env.before" "$TMP/env.after"
test_expect_success "... and no mount is left behind" '! grep -F " $TMP/" /proc/self/mountinfo'

ok "WBGEN_BUILD_NETWORK=1: build_wheel builds" env WBGEN_BUILD_NETWORK=1 "$WBGEN" hook --env "$TMP/env" --src "$S" \
	--backend robackend --log "$TMP/net.log" --out-dir "$TMP/netwhl" build_wheel "$TMP/net.json"
ok "... the environment is still read-only" attempts "$TMP/net.log" build_wheel
snap "$TMP/env" >"$TMP/env.after"
ok "... and unchanged" cmp "$TMP/env.before" "$TMP/env.after"

# as an unprivileged user (nobody): the mount namespace is made inside a user namespace, and the
# read-only remount keeps the flags the kernel locks there
NR=$TMP/nobody
asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$NR" "$@"; }
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && asnobody test -x "$WBGEN" &&
	asnobody test -r "$WBGEN_PKGDATADIR/pep517_hook.py" && asnobody unshare -U -r -m true 2>/dev/null; then
	mkdir -p "$NR"
	cp -R "$S" "$NR/src"
	chown -R 65534:65534 "$NR"
	chmod 755 "$TMP"
	asnobody "$WBGEN" venv --python "$PY" "$NR/env"
	asnobody "$WBGEN" install --env "$NR/env" "$TMP/bw/robackend-1.0-py3-none-any.whl"
	snap "$NR/env" >"$TMP/nobody.before"
	for net in 0 1; do
		ok "as nobody (WBGEN_BUILD_NETWORK=$net): build_wheel builds" asnobody env WBGEN_BUILD_NETWORK=$net \
			"$WBGEN" hook --env "$NR/env" --src "$NR/src" --backend robackend --log "$NR/bw$net.log" \
			--out-dir "$NR/whl$net" build_wheel "$NR/bw$net.json"
		ok "... the environment was read-only" attempts "$NR/bw$net.log" build_wheel
		snap "$NR/env" >"$TMP/nobody.after"
		ok "... and is unchanged" cmp "$TMP/nobody.before" "$TMP/nobody.after"
	done
else
	test_skip "as an unprivileged user: needs root, setpriv, a wbgen that nobody can run, and user namespaces"
fi

# the same through make: an index with both sdists; rocheck's build environment gets robackend's
# wheel built from its sdist
"$PY" - "$TMP/scen.json" "$R" "$S" <<'PYEOF'
import json, os, sys
out, srcs = sys.argv[1], sys.argv[2:]
projects = []
for src in srcs:
    name, version = os.path.basename(src).rsplit("-", 1)
    files = {n: open(os.path.join(src, n)).read() for n in sorted(os.listdir(src)) if n.endswith((".py", ".toml"))}
    projects.append({"name": name, "versions": [{"version": version, "build": "raw", "files": files,
                                                 "pyproject": False}]})
json.dump({"projects": projects}, open(out, "w"))
PYEOF
rm -f "$S/ro-src-probe.txt"
idx=$(index_build "$TMP/scen.json")
index_serve "$idx"
M=$TMP/m
ok "resolve rocheck" "$WBGEN" resolve --python "$PY" --cache-dir "$TMP/c" -o "$M" --index-url "$INDEX_URL" rocheck
ok "make builds it" make -C "$M" --no-print-directory
ok "... the wheel is published" test -f "$M/wheels-repo/simple/rocheck/rocheck-1.0-py3-none-any.whl"
ok "... its build could not write its environment" attempts "$M/logs/rocheck-1.0/build.log" build_wheel
MSP=$(echo "$M"/work/rocheck-1.0/env/lib/python3*/site-packages)
ok "... the environment's robackend is the one from the sdist" cmp "$MSP/robackend.py" "$R/robackend.py"
test_expect_success "... its RECORD is there, no new file" 'test -f "$MSP"/robackend-1.0.dist-info/RECORD &&
	test ! -e "$MSP"/robackend-was-here.txt'

done_testing
