# settings.sh: per-package settings (fromager's overrides, docs/settings.md) in the build. Each build
# setting takes effect (env expanded, config_settings, build_dir, patches, MAX_JOBS); pkg.json carries
# them; editing one package's YAML or patch and running make rebuilds that package and what its wheel
# forces, nothing else; a change to a resolver-only key rebuilds nothing; a patch that does not apply
# fails the unpack naming the patch; an unknown key and bad YAML are one-line errors naming file and line.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
PY=/usr/bin/python3
MAKE_TIMEOUT=${MAKE_TIMEOUT:-300}

idx=$(index_build settings-build)
index_serve "$idx"
URL=$INDEX_URL
O=$TMP/ov
OUT=$TMP/build
mkdir -p "$O/settings" "$O/patches/alpha" "$O/patches/alpha-1.0/cpu"
printf 'alpha\nsub\n' >"$TMP/reqs.txt"
# tinybuild's record-lock knob reports how the builds find the build lock
WBGEN_TEST_LOCK=$OUT/.wbgen-build.lock
WBGEN_PASSENV=WBGEN_TEST_LOCK
export WBGEN_TEST_LOCK WBGEN_PASSENV

cat >"$O/settings/alpha.yaml" <<'YAML'
env:
  ALPHA_A: "a-${__version__}"
  ALPHA_B: "${ALPHA_A}+${MAX_JOBS}"
config_settings:
  one: "1"
  many: ["x", "y"]
build_options:
  cpu_cores_per_job: 1
YAML
cat >"$O/settings/sub.yaml" <<'YAML'
build_dir: python
env:
  SUB_X: "${SUB_X_DEFAULT:-dflt}"
YAML
# two patches in name order, one unversioned, one for 1.0 in the variant's folder: 10 needs 01
cat >"$O/patches/alpha/01-first.patch" <<'EOF2'
--- a/alpha/__init__.py
+++ b/alpha/__init__.py
@@ -1,2 +1,3 @@
 """fixture package alpha."""
 __version__ = "1.0"
+FIRST = 1
EOF2
cat >"$O/patches/alpha-1.0/cpu/10-second.patch" <<'EOF2'
--- a/alpha/__init__.py
+++ b/alpha/__init__.py
@@ -1,3 +1,4 @@
 """fixture package alpha."""
 __version__ = "1.0"
 FIRST = 1
+SECOND = 2
EOF2

resolve() {
	"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -r "$TMP/reqs.txt" --index-url "$URL" -o "$OUT" \
		--settings-file "$O/settings.yaml" --settings-dir "$O/settings" --patches-dir "$O/patches" "$@"
}
mk() {
	_log=$1
	shift
	if timeout "$MAKE_TIMEOUT" make -C "$OUT" -j4 "$@" >"$_log" 2>&1; then
		return 0
	else
		_rc=$?
		tail -n 40 "$_log"
		return "$_rc"
	fi
}
# ran LOG: the "phase name" pairs of the phases that really ran, sorted
ran() {
	sed -n 's/^\[[0-9]*\/[0-9]*\] *\([a-z-]*\) *\([^ ]*\) [^ ]*$/\1 \2/p' "$1" | sort
}
# record NAME: the tinybuild-record.json of NAME's wheel
record() {
	"$PY" - "$OUT/wheels-repo/downloads" "$1" <<'EOF2'
import glob, json, sys, zipfile
(whl,) = glob.glob("%s/%s-*.whl" % (sys.argv[1], sys.argv[2]))
with zipfile.ZipFile(whl) as z:
    (n,) = [n for n in z.namelist() if n.endswith(".dist-info/tinybuild-record.json")]
    print(json.dumps(json.loads(z.read(n)), sort_keys=True))
EOF2
}
member() {
	"$PY" - "$OUT/wheels-repo/downloads" "$1" "$2" <<'EOF2'
import glob, sys, zipfile
(whl,) = glob.glob("%s/%s-*.whl" % (sys.argv[1], sys.argv[2]))
with zipfile.ZipFile(whl) as z:
    sys.stdout.write(z.read(sys.argv[3]).decode())
EOF2
}
mtime() { stat -c %Y.%y "$1"; }

ok "resolve with the settings" resolve
ok "pkg.json carries alpha's build settings" "$PY" -c '
import json, sys
p = json.load(open(sys.argv[1]))
assert p["env"] == [["ALPHA_A", "a-${__version__}"], ["ALPHA_B", "${ALPHA_A}+${MAX_JOBS}"]], p["env"]
assert p["config_settings"] == {"many": ["x", "y"], "one": "1"}, p["config_settings"]
assert [x["path"].rsplit("/", 1)[1] for x in p["patches"]] == ["01-first.patch", "10-second.patch"], p["patches"]
assert all(x["path"].startswith("/") and len(x["sha256"]) == 64 for x in p["patches"])
assert p["build_dir"] is None and p["build_tag"] == 0 and p["exclusive_build"] is False
assert p["cpu_cores_per_job"] == 1 and p["memory_per_job_gb"] == 1.0
s = p["settings"]
for k in ("resolver_dist", "download_source", "pre_built", "annotations", "wheel_server_url"):
    assert k not in s, k
assert [x["file"] for x in s["patches"]] == ["01-first.patch", "10-second.patch"]
' "$OUT/work/alpha-1.0/pkg.json"
ok "sub's pkg.json has build_dir" grep -q '"build_dir": "python"' "$OUT/work/sub-1.0/pkg.json"
ok "sub's backend was read from python/pyproject.toml at resolve time" \
	grep -q '"build_backend": "tinybuild"' "$OUT/work/sub-1.0/pkg.json"
test_expect_success "the Makefile lists alpha's settings files" \
	'sed -n "/^alpha-1.0.settings :=/,/[^\\\\]\$/p" "$OUT/Makefile" | grep -q "/settings/alpha.yaml"'
ok "make builds everything" mk "$TMP/make1.log" V=1

ok "alpha's env was expanded (version, earlier keys, MAX_JOBS) and config_settings passed" "$PY" -c '
import json, sys
r = json.loads(sys.argv[1])
jobs = r["env"]["MAX_JOBS"]
assert jobs and int(jobs) >= 1, r
assert r["env"]["ALPHA_A"] == "a-1.0", r
assert r["env"]["ALPHA_B"] == "a-1.0+" + jobs, r
assert r["env"]["CMAKE_BUILD_PARALLEL_LEVEL"] == jobs and r["env"]["MAKEFLAGS"] == "-j" + jobs, r
assert r["config_settings"] == {"one": "1", "many": ["x", "y"]}, r
assert int(jobs) <= 4, "make -j4 bounds MAX_JOBS: %s" % jobs
assert r["lock"] == "shared", r
' "$(record alpha)"
ok "discovery got the config settings and the env too" \
	grep -q -- "^wbgen hook .*--config-setting many=x --config-setting many=y .*--setenv ALPHA_B=a-1.0+[0-9]* .*get_requires_for_build_wheel" \
	"$TMP/make1.log"
ok "sub was built in python/ (build_dir), its env default applied" "$PY" -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["cwd"] == "python" and r["env"]["SUB_X"] == "dflt", r
' "$(record sub)"
printf '"""fixture package alpha."""\n__version__ = "1.0"\nFIRST = 1\nSECOND = 2\n' >"$TMP/want-init"
member alpha alpha/__init__.py >"$TMP/got-init" || true
ok "both patches applied in name order" cmp "$TMP/want-init" "$TMP/got-init"
# nothing_ran LOG [ARGS]: make runs no phase
nothing_ran() {
	_l=$1
	shift
	mk "$_l" "$@" && [ -z "$(ran "$_l")" ]
}
ok "a second make runs nothing" nothing_ran "$TMP/make2.log"

# exactly LOG "PHASE NAME"...: the phases that ran are these
exactly() {
	_l=$1
	shift
	printf '%s\n' "$@" | sort >"$TMP/want-ran"
	ran "$_l" >"$TMP/got-ran"
	diff "$TMP/want-ran" "$TMP/got-ran"
}
sleep 1 # a new mtime for the files edited below, on file systems with one-second times

# an env change: alpha is built again (its source tree is kept), nothing else; its discovery is
# known to the plan, so no discover phase runs: the build asks the backend in its own process
ok "make -q: up to date" make -C "$OUT" -q
sed -i 's/ALPHA_A: "a-/ALPHA_A: "A-/' "$O/settings/alpha.yaml"
fails 1 "make -q: not after the edit" make -C "$OUT" -q
ok "after an env edit, make" mk "$TMP/make3.log"
ok "only alpha's build and publish ran (it asks its backend itself)" exactly "$TMP/make3.log" \
	"build alpha" "publish alpha"
test_expect_success "with the new value" 'record alpha | grep -q "\"ALPHA_A\": \"A-1.0\""'

# a resolver-only key (and an annotation) rebuilds nothing
cat >>"$O/settings/alpha.yaml" <<'YAML'
annotations:
  team: "x"
resolver_dist:
  min_release_age: 0
YAML
cp "$OUT/work/alpha-1.0/pkg.json" "$TMP/pkg-before.json"
ok "after a resolver-only edit, make runs no phase" nothing_ran "$TMP/make4.log"
ok "and pkg.json is the same" cmp "$TMP/pkg-before.json" "$OUT/work/alpha-1.0/pkg.json"

# a patch edited: alpha unpacked and built again
sleep 1
sed -i 's/^+SECOND = 2$/+SECOND = 22/' "$O/patches/alpha-1.0/cpu/10-second.patch"
ok "after a patch edit, make" mk "$TMP/make5.log"
ok "only alpha's unpack, build and publish ran" exactly "$TMP/make5.log" \
	"unpack alpha" "build alpha" "publish alpha"
test_expect_success "the wheel has the new patch" 'member alpha alpha/__init__.py | grep -q "^SECOND = 22$"'

# a global setting reaching every package (the variant's changelog would; env cannot): beta's own file
sleep 1
printf 'env:\n  BETA_X: "1"\n' >"$O/settings/beta.yaml"
ok "after a new file for beta, make" mk "$TMP/make6.log"
# (alpha needs beta to install, not to build: it is not rebuilt)
ok "only beta's build and publish ran" exactly "$TMP/make6.log" "build beta" "publish beta"

# build_options: exclusive_build, and jobs limited by the cores and the memory per job
sleep 1
sed -i '/^build_options:$/,+1d' "$O/settings/alpha.yaml"
cat >>"$O/settings/alpha.yaml" <<'YAML'
build_options:
  exclusive_build: true
  cpu_cores_per_job: 1000
  memory_per_job_gb: 100000
YAML
ok "after a build_options edit, make" mk "$TMP/make6b.log"
ok "only alpha's build and publish ran (it asks its backend itself)" exactly "$TMP/make6b.log" \
	"build alpha" "publish alpha"
ok "alpha built alone (the build lock exclusive), with one job" "$PY" -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["lock"] == "exclusive", r
assert r["env"]["MAX_JOBS"] == "1" and r["env"]["MAKEFLAGS"] == "-j1", r
' "$(record alpha)"
test_expect_success "beta's build took the lock shared" 'record beta | grep -q "\"lock\": \"shared\""'

# a changelog entry: the next build tag, in the wheel's name, its WHEEL file and the mirror
sleep 1
printf 'changelog:\n  "1.0":\n    - "first fix"\n' >>"$O/settings/alpha.yaml"
ok "after a changelog entry, make" mk "$TMP/make6c.log"
ok "only alpha's build and publish ran (it asks its backend itself)" exactly "$TMP/make6c.log" \
	"build alpha" "publish alpha"
test_expect_success "the wheel is alpha-1.0-1-py3-none-any.whl, the old one gone" \
	'cd "$OUT/wheels-repo/downloads" && ls alpha-* | tr "\n" " " | grep -qx "alpha-1.0-1-py3-none-any.whl "'
test_expect_success "the mirror has it, and only it" \
	'ls "$OUT/wheels-repo/simple/alpha/" | grep -v "index" | tr "\n" " " | grep -qx "alpha-1.0-1-py3-none-any.whl "'
ok "the mirror's page links it" grep -q 'href="alpha-1.0-1-py3-none-any.whl#sha256=' \
	"$OUT/wheels-repo/simple/alpha/index.html"
ok "WHEEL says Build: 1, RECORD matches every member, the build is recorded as fromager records it" \
	"$PY" - "$OUT/wheels-repo/downloads/alpha-1.0-1-py3-none-any.whl" <<'EOF2'
import base64, csv, hashlib, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
di = "alpha-1.0.dist-info/"
assert "Build: 1\n" in z.read(di + "WHEEL").decode(), z.read(di + "WHEEL")
rows = list(csv.reader(io.StringIO(z.read(di + "RECORD").decode())))
assert sorted(r[0] for r in rows) == sorted(z.namelist()), (rows, z.namelist())
for path, h, size in rows:
    if path == di + "RECORD":
        assert h == "" and size == ""
        continue
    data = z.read(path)
    assert h == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode(), path
    assert int(size) == len(data), path
s = json.loads(z.read(di + "wbgen-build-settings.json"))
assert s["build_tag"] == 1 and s["changelog"] == ["first fix"] and s["name"] == "alpha", s
assert s["build_options"]["exclusive_build"] is True, s
assert [p["file"] for p in s["patches"]] == ["01-first.patch", "10-second.patch"], s
assert "resolver_dist" not in s, s
assert z.read(di + "fromager-build-system-requirements.txt") == b"tinybuild==1.0\n"
assert z.read(di + "fromager-build-backend-requirements.txt") == b""
EOF2
"$PY" -m venv "$TMP/venv" >/dev/null 2>&1
ok "pip installs the tagged wheel from the mirror" "$TMP/venv/bin/pip" install -q --no-cache-dir \
	--index-url "file://$OUT/wheels-repo/simple/" alpha
ok "... patched" "$TMP/venv/bin/python" -c 'import alpha, beta; assert alpha.SECOND == 22'
sleep 1
printf 'changelog:\n  cpu:\n    - "rebuilt everything"\n' >"$O/settings.yaml"
ok "after a global changelog entry, make" mk "$TMP/make6d.log"
test_expect_success "every package rebuilt with the next tag" \
	'cd "$OUT/wheels-repo/downloads" && ls *.whl | tr "\n" " " | grep -qx "alpha-1.0-2-py3-none-any.whl beta-1.0-1-py3-none-any.whl sub-1.0-1-py3-none-any.whl tinybuild-1.0-1-py3-none-any.whl "'
rm -f "$O/settings.yaml"

# errors
sleep 1
cp "$O/settings/alpha.yaml" "$TMP/alpha.yaml.good"
printf 'exclusiv_build: true\n' >>"$O/settings/alpha.yaml"
line=$(wc -l <"$O/settings/alpha.yaml")
fails 2 "an unknown key: make fails" mk "$TMP/make7.log"
ok "naming the file, line and key" grep -q "^FAILED: settings alpha 1.0: .*/alpha.yaml:$line:1: unknown key 'exclusiv_build'$" \
	"$TMP/make7.log"
sleep 1
printf 'env: [a, b\n' >"$O/settings/alpha.yaml"
fails 2 "bad YAML: make fails" mk "$TMP/make8.log"
ok "naming the file and line" grep -q "^FAILED: settings alpha 1.0: .*/settings/alpha.yaml:2:1: did not find" "$TMP/make8.log"
resolve_fails_with() { ! resolve >/dev/null 2>"$TMP/r.err" && grep -q "$1" "$TMP/r.err"; }
ok "resolve says the same" resolve_fails_with "settings/alpha.yaml:2:1: did not find"
cp "$TMP/alpha.yaml.good" "$O/settings/alpha.yaml"
# (a failed resolve removes the plan and the Makefile)
resolve_and_make() { resolve && mk "$1"; }
ok "with the file fixed, resolve and make run again" resolve_and_make "$TMP/make8b.log"
sleep 1
sed -i 's/^ FIRST = 1$/ FIRST = 3/' "$O/patches/alpha-1.0/cpu/10-second.patch"
fails 2 "a patch that does not apply: make fails" mk "$TMP/make9.log"
ok "the unpack of alpha failed, naming the patch" \
	grep -q "^FAILED: unpack alpha 1.0: patch '.*/10-second.patch' does not apply" "$TMP/make9.log"

done_testing
