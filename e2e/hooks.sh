# hooks.sh: `wbgen hook` and `wbgen build-wheel` on fixture sdists, in environments made with
# `python3 -m venv --without-pip` and wheels unpacked by e2e/fixtures/pep517.py install.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
PEP517="$INDEX_FIXTURES/pep517.py"
unset SOURCE_DATE_EPOCH MAKEFLAGS MFLAGS MAKELEVEL || true

cat >"$TMP/hooks.json" <<'JSON'
{"projects": [
 {"name": "tinybuild", "versions": [{"version": "1.0", "build": "backend", "backend": "tinybuild"}]},
 {"name": "dyn", "versions": [{"version": "1.0", "dynamic_build_requires": ["plain>=1.0", "extra-thing"]}]},
 {"name": "broken", "versions": [{"version": "1.0", "fail": "deliberate failure"}]},
 {"name": "wheel", "versions": [{"version": "0.38.4", "build": "debian-wheel"}]},
 {"name": "setuptools", "versions": [{"version": "66.1.1", "build": "debian-setuptools"}]},
 {"name": "st-cfg", "versions": [{"version": "1.0", "build": "setuptools-cfg"}]},
 {"name": "st-pyproject", "versions": [{"version": "2.0", "build": "setuptools-pyproject"}]},
 {"name": "rq-tb", "versions": [{"version": "1.0", "metadata_version": "2.2",
  "requires_dist": ["plain>=1.0,<2", "Other_Thing[B,a] ; python_version >= '3'", "byurl @ https://example.org/byurl-1.0.tar.gz"],
  "extras": {"Fast_Mode": ["speedy>=2; sys_platform == 'linux' or os_name == 'nt'", "quick"],
             "more": ["much; python_version >= '3.7' and os_name == 'posix'"]}}]},
 {"name": "rq-cfg", "versions": [{"version": "1.0", "build": "setuptools-cfg", "metadata_version": "2.2",
  "requires_dist": ["plain>=1.0", "Other_Thing[a]; python_version >= '3'"],
  "extras": {"Fast_Mode": ["speedy>=2; sys_platform == 'linux' or os_name == 'nt'", "quick"]}}]},
 {"name": "rq-pp", "versions": [{"version": "1.0", "build": "setuptools-pyproject",
  "requires_dist": ["plain~=1.0", "other-thing; python_version >= '3'"],
  "extras": {"Fast_Mode": ["speedy>=2; sys_platform == 'linux' or os_name == 'nt'", "quick"],
             "more": ["much; python_version >= '3.7' and os_name == 'posix'"]}}]},
 {"name": "rq-tbpp", "versions": [{"version": "1.0",
  "requires_dist": ["plain"], "extras": {"x": ["xdep[fast]>=1; python_version < '4'"]}}]}
]}
JSON
IDX=$(index_build "$TMP/hooks.json")
mkdir "$TMP/src"
for f in "$IDX"/packages/*/*.tar.gz; do
	tar -xzf "$f" -C "$TMP/src"
done
S=$TMP/src

# mkenv DIR [WHEEL]...: a venv without pip, the wheels unpacked into its site-packages
mkenv() {
	_env=$1
	shift
	"$PY" -m venv --without-pip "$_env"
	for _w; do
		"$PY" -B "$PEP517" install "$_w" "$(echo "$_env"/lib/python3*/site-packages)" >/dev/null
	done
}

# fails_keep: fails, keeping the command's stderr in $TMP/last for the checks that follow
fails_keep() {
	fails "$@"
	cp "$TMP/err" "$TMP/last"
}

mkenv "$TMP/env0"
W=$TMP/wheels

# ---- the self-bootstrapping backend (backend-path)
ok "hook get_requires_for_build_wheel with backend-path" "$WBGEN" hook --env "$TMP/env0" --src "$S/tinybuild-1.0" \
	--backend tinybuild --backend-path . get_requires_for_build_wheel "$TMP/r0.json"
ok "its result is JSON with an empty list" "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1])); assert d == {"hook": "get_requires_for_build_wheel", "return": []}, d' "$TMP/r0.json"
test_expect_success "build-wheel prints the wheel's filename" \
	'"$WBGEN" build-wheel --env "$TMP/env0" --src "$S/tinybuild-1.0" --backend tinybuild \
	--backend-path . --out "$W" --log "$TMP/logs/tinybuild/build.log" --expect tinybuild==1.0 >"$TMP/name" && test "$(cat "$TMP/name")" = tinybuild-1.0-py3-none-any.whl'
test_expect_success "the wheel is in WHEELDIR and nothing else is" \
	'test "$(ls -A "$W")" = tinybuild-1.0-py3-none-any.whl'
test_expect_success "the source tree has no bytecode (PYTHONDONTWRITEBYTECODE)" \
	'! find "$S/tinybuild-1.0" -name __pycache__ | grep -q .'
touch -d @1000000000 "$W/tinybuild-1.0-py3-none-any.whl"
cp "$W/tinybuild-1.0-py3-none-any.whl" "$TMP/tb-first.whl"
test_expect_success "an identical rebuild keeps the old file and its mtime" \
	'"$WBGEN" build-wheel --env "$TMP/env0" --src "$S/tinybuild-1.0" --backend tinybuild \
	--backend-path . --out "$W" 2>"$TMP/e1" && test "$(stat -c %Y "$W/tinybuild-1.0-py3-none-any.whl")" = 1000000000 &&
	grep -q unchanged "$TMP/e1"'
test_expect_success "another SOURCE_DATE_EPOCH gives other bytes, replaced with a note" \
	'"$WBGEN" build-wheel --env "$TMP/env0" --src "$S/tinybuild-1.0" \
	--backend tinybuild --backend-path . --source-date-epoch 1500000000 --out "$W" 2>"$TMP/e2" &&
	grep -q "replaced" "$TMP/e2" && ! cmp -s "$W/tinybuild-1.0-py3-none-any.whl" "$TMP/tb-first.whl"'
test_expect_success "the default SOURCE_DATE_EPOCH gives back the first bytes" \
	'"$WBGEN" build-wheel --env "$TMP/env0" --src "$S/tinybuild-1.0" \
	--backend tinybuild --backend-path . --out "$W" 2>/dev/null && cmp "$W/tinybuild-1.0-py3-none-any.whl" "$TMP/tb-first.whl"'
fails_keep 1 "--expect with another version fails" "$WBGEN" build-wheel --env "$TMP/env0" --src "$S/tinybuild-1.0" \
	--backend tinybuild --backend-path . --out "$TMP/w-expect" --expect tinybuild==2.0
test_expect_success "... saying what was built and expected" \
	'grep -q "built .tinybuild 1.0. .*expected .tinybuild==2.0." "$TMP/last"'
test_expect_success "... and leaving no wheel behind" 'test -z "$(ls -A "$TMP/w-expect")"'
ok "--expect compares normalised names and versions" "$WBGEN" build-wheel --env "$TMP/env0" --src "$S/tinybuild-1.0" \
	--backend tinybuild --backend-path . --out "$TMP/w-expect" --expect TinyBuild==1.0.0
fails_keep 2 "--expect without == is a usage error" "$WBGEN" build-wheel --env "$TMP/env0" --src "$S/tinybuild-1.0" \
	--out "$TMP/w-expect" --expect tinybuild
fails_keep 1 "a backend-path leaving the source tree is refused" "$WBGEN" hook --env "$TMP/env0" --src "$S/tinybuild-1.0" \
	--backend tinybuild --backend-path ../dyn-1.0 get_requires_for_build_wheel "$TMP/r.json"
test_expect_success "... with a one-line reason" \
	'grep -q "backend-path entry .\.\./dyn-1\.0. leaves the source root" "$TMP/last"'
fails_keep 1 "a backend not loaded from backend-path is refused" "$WBGEN" hook --env "$TMP/env0" --src "$S/tinybuild-1.0" \
	--backend json --backend-path . get_requires_for_build_wheel "$TMP/r.json"
test_expect_success "... saying so" 'grep -q "was not loaded from backend-path" "$TMP/last"'

# ---- a user of the backend: dynamic build requirements, metadata
mkenv "$TMP/env1" "$W/tinybuild-1.0-py3-none-any.whl"
test_expect_success "dynamic build requirements come back from get_requires_for_build_wheel" \
	'"$WBGEN" hook --env "$TMP/env1" --src "$S/dyn-1.0" \
	--backend tinybuild get_requires_for_build_wheel "$TMP/r1.json" && "$PY" -c "import json, sys
d = json.load(open(sys.argv[1])); assert d[\"return\"] == [\"plain>=1.0\", \"extra-thing\"], d" "$TMP/r1.json"'
test_expect_success "prepare_metadata_for_build_wheel returns the dist-info directory" \
	'"$WBGEN" hook --env "$TMP/env1" --src "$S/dyn-1.0" \
	--backend tinybuild --out-dir "$TMP/md" prepare_metadata_for_build_wheel "$TMP/r2.json" &&
	grep -q "\"return\": \"dyn-1.0.dist-info\"" "$TMP/r2.json" && grep -q "^Name: dyn$" "$TMP/md/dyn-1.0.dist-info/METADATA"'
fails_keep 2 "prepare_metadata without --out-dir is a usage error" "$WBGEN" hook --env "$TMP/env1" --src "$S/dyn-1.0" \
	prepare_metadata_for_build_wheel "$TMP/r.json"
ok "build-wheel of the user, given the prepared metadata" "$WBGEN" build-wheel --env "$TMP/env1" --src "$S/dyn-1.0" \
	--backend tinybuild --out "$W" --expect dyn==1.0 --metadata-dir "$TMP/md/dyn-1.0.dist-info"

# ---- a deliberately failing build
fails_keep 1 "a failing build exits 1" "$WBGEN" build-wheel --env "$TMP/env1" --src "$S/broken-1.0" --backend tinybuild \
	--out "$TMP/w-broken" --log "$TMP/logs/broken/build.log"
test_expect_success "... with one line naming the hook, the tree, the reason and the log" \
	'test "$(wc -l <"$TMP/last")" -eq 1 &&
	grep -q "build_wheel hook failed in .*broken-1.0.*deliberate failure (log: .*broken/build.log)" "$TMP/last"'
ok "... the traceback is in the log" grep -q "^Traceback" "$TMP/logs/broken/build.log"
test_expect_success "... and WHEELDIR is left empty" 'test -z "$(ls -A "$TMP/w-broken")"'

# ---- setuptools building itself (backend-path), then setuptools users
ok "build-wheel of wheel (tinybuild backend)" "$WBGEN" build-wheel --env "$TMP/env1" --src "$S/wheel-0.38.4" \
	--backend tinybuild --out "$W" --log "$TMP/logs/wheel.log"
mkenv "$TMP/env2" "$W/wheel-0.38.4-py3-none-any.whl"
test_expect_success "setuptools asks for wheel through get_requires_for_build_wheel" \
	'"$WBGEN" hook --env "$TMP/env2" --src "$S/setuptools-66.1.1" \
	--backend setuptools.build_meta --backend-path . --log "$TMP/logs/st.log" get_requires_for_build_wheel "$TMP/r3.json" && grep -q "\"wheel\"" "$TMP/r3.json"'
ok "setuptools builds itself from its tree (backend-path)" "$WBGEN" build-wheel --env "$TMP/env2" \
	--src "$S/setuptools-66.1.1" --backend setuptools.build_meta --backend-path . --out "$W" \
	--log "$TMP/logs/st.log" --expect setuptools==66.1.1
ok "its output went to the log" grep -q "adding 'setuptools-66.1.1.dist-info/METADATA'" "$TMP/logs/st.log"
mkenv "$TMP/env3" "$W/wheel-0.38.4-py3-none-any.whl" "$W/setuptools-66.1.1-py3-none-any.whl"
ok "a setup.cfg project builds with the legacy default backend" "$WBGEN" build-wheel --env "$TMP/env3" \
	--src "$S/st_cfg-1.0" --out "$W" --log "$TMP/logs/st-cfg.log" --expect st-cfg==1.0
ok "a pyproject project builds with setuptools.build_meta" "$WBGEN" build-wheel --env "$TMP/env3" \
	--src "$S/st_pyproject-2.0" --backend setuptools.build_meta --out "$W" --expect st_pyproject==2.0
test_expect_success "setuptools honours SOURCE_DATE_EPOCH: a second build is byte-identical" \
	'"$WBGEN" build-wheel --env "$TMP/env3" \
	--src "$S/st_cfg-1.0" --out "$TMP/w-again" >/dev/null 2>&1 && cmp "$TMP/w-again/st_cfg-1.0-py3-none-any.whl" "$W/st_cfg-1.0-py3-none-any.whl"'
test_expect_success "the wheels install and import" \
	'mkdir "$TMP/site" && for w in "$W"/*.whl; do "$PY" -B "$PEP517" install "$w" "$TMP/site" >/dev/null || exit 1; done &&
	PYTHONPATH="$TMP/site" "$PY" -c "import tinybuild, dyn, st_cfg, st_pyproject"'

# ---- --expect-requires: METADATA's Requires-Dist against the plan's install_requires
# planreqs SRC OUT: install_requires as the plan has it (docs/file-formats.md): PKG-INFO's
# Requires-Dist when its Metadata-Version is 2.2 or later, else [project] (dependencies, then
# each optional-dependencies group in file order, with "extra")
planreqs() {
	"$PY" -c 'import email.parser, json, sys, tomllib
src, out = sys.argv[1:3]
pi = email.parser.Parser().parse(open(src + "/PKG-INFO"))
if tuple(map(int, pi["Metadata-Version"].split("."))) >= (2, 2):
    reqs = [{"req": r} for r in pi.get_all("Requires-Dist") or []]
else:
    p = tomllib.load(open(src + "/pyproject.toml", "rb"))["project"]
    reqs = [{"req": r} for r in p.get("dependencies", [])]
    for e, rs in p.get("optional-dependencies", {}).items():
        reqs += [{"req": r, "extra": e} for r in rs]
json.dump(reqs, open(out, "w"), indent=1)' "$1" "$2"
}
planreqs "$S/rq_tb-1.0" "$TMP/rq-tb.json"
planreqs "$S/rq_cfg-1.0" "$TMP/rq-cfg.json"
planreqs "$S/rq_pp-1.0" "$TMP/rq-pp.json"
planreqs "$S/rq_tbpp-1.0" "$TMP/rq-tbpp.json"
test_expect_success "(the plan's requirements of the static PKG-INFO come from PKG-INFO, of [project] with extras)" \
	'grep -q "extra ==" "$TMP/rq-tb.json" && ! grep -q "\"extra\":" "$TMP/rq-tb.json" && grep -q "\"extra\": \"Fast_Mode\"" "$TMP/rq-pp.json"'
ok "tinybuild, static PKG-INFO: the wheel's requirements are the plan's" "$WBGEN" build-wheel --env "$TMP/env1" \
	--src "$S/rq_tb-1.0" --backend tinybuild --out "$TMP/w-rq" --expect rq-tb==1.0 --expect-requires "$TMP/rq-tb.json"
ok "tinybuild, [project] with optional-dependencies" "$WBGEN" build-wheel --env "$TMP/env1" \
	--src "$S/rq_tbpp-1.0" --backend tinybuild --out "$TMP/w-rq" --expect-requires "$TMP/rq-tbpp.json"
ok "setuptools (setup.cfg), static PKG-INFO, extras written 'extra == \"fast_mode\"'" "$WBGEN" build-wheel \
	--env "$TMP/env3" --src "$S/rq_cfg-1.0" --out "$TMP/w-rq" --log "$TMP/logs/rq-cfg.log" --expect-requires "$TMP/rq-cfg.json"
ok "setuptools, [project] with optional-dependencies (markers, an extra name to normalise)" "$WBGEN" build-wheel \
	--env "$TMP/env3" --src "$S/rq_pp-1.0" --backend setuptools.build_meta --out "$TMP/w-rq" \
	--log "$TMP/logs/rq-pp.log" --expect-requires "$TMP/rq-pp.json"
test_expect_success "(setuptools wrote the extras its own way)" \
	'"$PY" -c "import glob, sys, zipfile; sys.stdout.write(zipfile.ZipFile(glob.glob(sys.argv[1] + \"/rq_pp-1.0-*.whl\")[0]).read(\"rq_pp-1.0.dist-info/METADATA\").decode())" "$TMP/w-rq" |
	grep -q "^Requires-Dist: speedy.*or os_name.*) and extra == .fast.mode.$"'
echo null >"$TMP/rq-null.json"
ok "null (dynamic): nothing checked" "$WBGEN" build-wheel --env "$TMP/env1" --src "$S/dyn-1.0" --backend tinybuild \
	--out "$TMP/w-rq" --expect-requires "$TMP/rq-null.json"
test_expect_success "an equivalent spelling of the plan's requirements matches" '"$PY" -c "import json, sys
r = json.load(open(sys.argv[1]))
r.reverse()
for e in r:
    e[\"req\"] = e[\"req\"].replace(\"Other_Thing[B,a]\", \"other.thing [ a , b ]\").replace(\"<2,>=1.0\", \"<2, >=1.0\").replace(\"plain>=1.0,<2\", \"PLAIN <2,>=1.0\")
r.append(r[0])
json.dump(r, open(sys.argv[1], \"w\"))" "$TMP/rq-tb.json" && cat "$TMP/rq-tb.json"'
ok "... order, case, spaces and duplicates ignored" "$WBGEN" build-wheel --env "$TMP/env1" \
	--src "$S/rq_tb-1.0" --backend tinybuild --out "$TMP/w-rq" --expect-requires "$TMP/rq-tb.json"
# forge: requirements missing from the wheel, requirements the plan lacks, and different ones
rqforge() {
	"$PY" -c 'import json, sys
r = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(r, open(sys.argv[2], "w"))' "$@"
}
rqfail() {
	_what=$1 _json=$2 _src=$3 _pat=$4
	rm -rf "$TMP/w-forged"
	_b=
	case $_src in *_tb*) _b="--backend tinybuild" _env=$TMP/env1 ;; *) _b="--backend setuptools.build_meta" _env=$TMP/env3 ;; esac
	fails_keep 1 "$_what" "$WBGEN" build-wheel --env "$_env" --src "$S/$_src" $_b --out "$TMP/w-forged" \
		--log "$TMP/logs/forged.log" --expect-requires "$_json"
	test_expect_success "... in one line naming the package and the difference" \
		'test "$(wc -l <"$TMP/last")" -eq 1 && grep -q -- "$_pat" "$TMP/last" || { cat "$TMP/last"; false; }'
	test_expect_success "... and no wheel is moved into WHEELDIR" 'test -z "$(ls -A "$TMP/w-forged")"'
}
rqforge "$TMP/rq-pp.json" "$TMP/f1.json" 'r.append({"req": "forged>=1"})'
rqfail "a requirement of the plan missing from the wheel" "$TMP/f1.json" rq_pp-1.0 \
	"'rq-pp 1.0': the wheel's METADATA lacks the requirement 'forged>=1' of the plan"
rqforge "$TMP/rq-pp.json" "$TMP/f2.json" 'del r[0]'
# (setuptools 66 writes the old form "plain (~=1.0)"; it is compared parsed)
rqfail "a requirement of the wheel the plan lacks" "$TMP/f2.json" rq_pp-1.0 \
	"'rq-pp 1.0': the wheel's METADATA has the requirement 'plain (~=1.0)', which the plan lacks"
rqforge "$TMP/rq-pp.json" "$TMP/f3.json" 'r[-1]["extra"] = "Fast_Mode"'
rqfail "a requirement under another extra" "$TMP/f3.json" rq_pp-1.0 \
	"lacks the requirement 'much; python_version >= '3.7' and os_name == 'posix'' (extra 'Fast_Mode') of the plan"
rqforge "$TMP/rq-tbpp.json" "$TMP/f4.json" 'r[1]["req"] = "xdep[fast]>=1; python_version < \"5\""'
rqfail "another marker" "$TMP/f4.json" rq_tbpp-1.0 "lacks the requirement 'xdep\[fast\]>=1; python_version < \"5\"' (extra 'x')"
rqforge "$TMP/rq-tbpp.json" "$TMP/f5.json" 'del r[1]["extra"]'
rqfail "an optional requirement taken as unconditional" "$TMP/f5.json" rq_tbpp-1.0 "lacks the requirement 'xdep"
rqforge "$TMP/rq-tbpp.json" "$TMP/f6.json" 'r[1]["req"] = "xdep[fast,other]>=1; python_version < \"4\""'
rqfail "other extras" "$TMP/f6.json" rq_tbpp-1.0 "lacks the requirement 'xdep\[fast,other\]"
rqforge "$TMP/rq-tbpp.json" "$TMP/f7.json" 'r[0]["req"] = "plain>=0"'
rqfail "a specifier the wheel lacks" "$TMP/f7.json" rq_tbpp-1.0 "'rq-tbpp 1.0': the wheel's METADATA lacks the requirement 'plain>=0'"
rqforge "$TMP/rq-tbpp.json" "$TMP/f8.json" 'r[0]["req"] = "plain @ https://example.org/plain.tar.gz"'
rqfail "a URL the wheel lacks" "$TMP/f8.json" rq_tbpp-1.0 "lacks the requirement 'plain @ https"
rqforge "$TMP/rq-tb.json" "$TMP/f9.json" 'r[:] = [e for e in r if "byurl" not in e["req"]] + [{"req": "byurl @ https://example.org/other.tar.gz"}]'
rqfail "another URL" "$TMP/f9.json" rq_tb-1.0 "lacks the requirement 'byurl @ https://example.org/other.tar.gz'"
echo '[]' >"$TMP/f10.json"
rqfail "an empty plan list against a wheel with requirements" "$TMP/f10.json" rq_tbpp-1.0 "has the requirement 'plain'"
for bad in '{"req": "x"}' '[{"req": "x ~~ 1"}]' '[{"extra": "a"}]' '[{"req": "x", "extra": "a b"}]' '[1]' 'nonsense'; do
	printf '%s\n' "$bad" >"$TMP/bad.json"
	fails_keep 2 "a bad --expect-requires file exits 2 before building: $bad" "$WBGEN" build-wheel --env "$TMP/env1" \
		--src "$S/rq_tbpp-1.0" --backend tinybuild --out "$TMP/w-bad" --expect-requires "$TMP/bad.json"
	test_expect_success "... in one line naming the file" \
		'test "$(wc -l <"$TMP/last")" -eq 1 && grep -q "expect-requires .*bad.json" "$TMP/last" &&
		! test -e "$TMP/w-bad"'
done

# ---- a hand-written backend probing what the hook sees
M=$TMP/mini
mkdir -p "$M"
cat >"$M/mini_backend.py" <<'PYEOF'
import base64, hashlib, json, os, sys, zipfile

def _open_fds():
    fds = []
    for fd in range(3, 64):
        try:
            os.fstat(fd)
            fds.append(fd)
        except OSError:
            pass
    return fds

def get_requires_for_build_wheel(config_settings=None):
    data = {"cwd": os.getcwd(), "env": dict(os.environ), "stdin": sys.stdin.read(),
            "config": config_settings, "executable": sys.executable, "prefix": sys.prefix,
            "fds": _open_fds(), "version": list(sys.version_info[:2])}
    with open((config_settings or {}).get("probe", "probe.json"), "w") as f:
        json.dump(data, f)
    print("mini: stdout line")
    return sorted(config_settings or {})

def _wheel(directory, name, metaname):
    meta = ("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n\n" % metaname).encode()
    with zipfile.ZipFile(os.path.join(directory, name), "w") as zf:
        zf.writestr("mini-1.0.dist-info/METADATA", meta)
        zf.writestr("mini-1.0.dist-info/RECORD", "")
    return name

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    cs = config_settings or {}
    with open("build-args.json", "w") as f:
        json.dump({"wheel_directory": wheel_directory, "metadata_directory": metadata_directory}, f)
    if cs.get("count") == "0":
        return "mini-1.0-py3-none-any.whl"
    name = _wheel(wheel_directory, "mini-1.0-py3-none-any.whl", cs.get("metaname", "mini"))
    if cs.get("count") == "2":
        _wheel(wheel_directory, "mini-1.0-1-py3-none-any.whl", "mini")
    return name
PYEOF
test_expect_success "hook with config settings, a log and make variables" \
	'echo data | MAKEFLAGS=" -j4 --jobserver-auth=fifo:/tmp/x" \
	MAKELEVEL=1 PYTHONPATH=/nowhere MINE=kept WBGEN_PASSENV=MINE HOME=/root-ish "$WBGEN" hook --env "$TMP/env0" --src "$M" \
	--backend mini_backend --backend-path . --config-setting b=1 --config-setting a=x=y --config-setting b=2 \
	--log "$TMP/mini.log" get_requires_for_build_wheel "$TMP/r4.json"'
ok "what the hook saw" "$PY" -c 'import json, os, sys
m, r, env = sys.argv[1:4]
p = json.load(open(m + "/probe.json"))
e = p["env"]
assert p["cwd"] == os.path.realpath(m), p["cwd"]
assert p["stdin"] == "", "stdin was readable"
assert p["config"] == {"a": "x=y", "b": ["1", "2"]}, p["config"]
assert json.load(open(r))["return"] == ["a", "b"]
assert e["SOURCE_DATE_EPOCH"] == "315532800", e
assert e["PYTHONHASHSEED"] == "0" and e["PYTHONDONTWRITEBYTECODE"] == "1" and e["PYTHONNOUSERSITE"] == "1", e
assert e["VIRTUAL_ENV"] == env and e["PATH"].startswith(env + "/bin:"), e
assert e["HOME"] != "/root-ish" and e["TMPDIR"] and not os.path.exists(e["HOME"]), "private HOME/TMPDIR not removed"
for k in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PYTHONPATH", "WBGEN_PKGDATADIR"):
    assert k not in e, k
assert e["MINE"] == "kept", e
assert os.path.realpath(p["prefix"]) == os.path.realpath(env), p["prefix"]' "$M" "$TMP/r4.json" "$TMP/env0"
ok "the hook's stdout went to the log" grep -q "^mini: stdout line" "$TMP/mini.log"
test_expect_success "--jobserver passes make's variables on" \
	'MAKEFLAGS=" -j4 --jobserver-auth=fifo:/tmp/x" MAKELEVEL=1 \
	"$WBGEN" hook --env "$TMP/env0" --src "$M" --backend mini_backend --backend-path . --jobserver \
	get_requires_for_build_wheel "$TMP/r5.json" && grep -q "\"MAKEFLAGS\": \" -j4 --jobserver-auth=fifo:/tmp/x\"" "$M/probe.json" &&
	grep -q "\"MAKELEVEL\": \"1\"" "$M/probe.json"'
test_expect_success "the caller's SOURCE_DATE_EPOCH wins" \
	'SOURCE_DATE_EPOCH=1234 "$WBGEN" hook --env "$TMP/env0" --src "$M" \
	--backend mini_backend --backend-path . --source-date-epoch 99 get_requires_for_build_wheel "$TMP/r6.json" &&
	grep -q "\"SOURCE_DATE_EPOCH\": \"1234\"" "$M/probe.json"'
test_expect_success "a missing prepare_metadata hook: unsupported" \
	'"$WBGEN" hook --env "$TMP/env0" --src "$M" --backend mini_backend \
	--backend-path . --out-dir "$TMP/md2" prepare_metadata_for_build_wheel "$TMP/r7.json" && "$PY" -c "import json, sys
d = json.load(open(sys.argv[1])); assert d == {\"hook\": \"prepare_metadata_for_build_wheel\", \"return\": None, \"unsupported\": True}, d" "$TMP/r7.json"'
test_expect_success "a missing get_requires_for_build_sdist hook: [] by default" \
	'"$WBGEN" hook --env "$TMP/env0" --src "$M" \
	--backend mini_backend --backend-path . get_requires_for_build_sdist "$TMP/r8.json" && grep -q "\"default\": true" "$TMP/r8.json"'
fails_keep 1 "a missing build_sdist hook fails" "$WBGEN" hook --env "$TMP/env0" --src "$M" --backend mini_backend \
	--backend-path . --out-dir "$TMP/sd" build_sdist "$TMP/r9.json"
ok "... saying so" grep -q "has no build_sdist hook" "$TMP/last"
fails_keep 1 "two wheels from one build_wheel fail" "$WBGEN" build-wheel --env "$TMP/env0" --src "$M" \
	--backend mini_backend --backend-path . --config-setting count=2 --out "$TMP/w-mini"
ok "... saying so" grep -q "made 2 wheels, expected exactly one" "$TMP/last"
fails_keep 1 "no wheel from build_wheel fails" "$WBGEN" build-wheel --env "$TMP/env0" --src "$M" \
	--backend mini_backend --backend-path . --config-setting count=0 --out "$TMP/w-mini"
ok "... saying so" grep -q "made 0 wheels" "$TMP/last"
fails_keep 1 "a wheel whose METADATA names another project fails" "$WBGEN" build-wheel --env "$TMP/env0" --src "$M" \
	--backend mini_backend --backend-path . --config-setting metaname=other --out "$TMP/w-mini"
ok "... saying so" grep -q "holds METADATA for .other 1.0." "$TMP/last"
test_expect_success "build_wheel gets metadata_directory from --metadata-dir, absolute" \
	'"$WBGEN" build-wheel --env "$TMP/env0" \
	--src "$M" --backend mini_backend --backend-path . --metadata-dir "$TMP/md/dyn-1.0.dist-info" --out "$TMP/w-mini" >/dev/null &&
	grep -q "\"metadata_directory\": \"$TMP/md/dyn-1.0.dist-info\"" "$M/build-args.json" && rm "$TMP/w-mini"/*.whl'
test_expect_success "... and None without it" \
	'"$WBGEN" build-wheel --env "$TMP/env0" --src "$M" --backend mini_backend --backend-path . \
	--out "$TMP/w-mini" >/dev/null && grep -q "\"metadata_directory\": null" "$M/build-args.json" && rm "$TMP/w-mini"/*.whl'
# a live build holds a flock on its directory (PIDs are reused, so the name's PID proves nothing):
# the one named after this shell but unlocked is stale, the locked one is live
mkdir -p "$TMP/w-mini/.wbgen-build.999999999.abcdef/wheel" "$TMP/w-mini/.wbgen-build.$$.stale" \
	"$TMP/w-mini/.wbgen-build.1.keep"
flock "$TMP/w-mini/.wbgen-build.1.keep" sleep 60 &
holder=$!
sleep 0.3
fails_keep 1 "(a failing build into a WHEELDIR with stale private directories)" "$WBGEN" build-wheel --env "$TMP/env0" \
	--src "$M" --backend mini_backend --backend-path . --config-setting count=0 --out "$TMP/w-mini"
test_expect_success "killed runs' private directories are removed, a live one's kept" \
	'! test -e "$TMP/w-mini/.wbgen-build.999999999.abcdef" &&
	! test -e "$TMP/w-mini/.wbgen-build.$$.stale" && test -d "$TMP/w-mini/.wbgen-build.1.keep"'
kill "$holder" 2>/dev/null || :
wait "$holder" 2>/dev/null || :
rmdir "$TMP/w-mini/.wbgen-build.1.keep"
test_expect_success "no leftovers in WHEELDIR after failures" 'test -z "$(ls -A "$TMP/w-mini")"'

# make's jobserver reaches the hook only with --jobserver ('+' recipes, make -j2: both recipes
# run with the jobserver's descriptors open in wbgen)
cat >"$TMP/jobs.mk" <<'MKEOF'
all: with without
with:
	+"$(WBGEN)" hook --env "$(ENV)" --src "$(SRC)" --backend mini_backend --backend-path . --jobserver \
		--config-setting probe=with.json get_requires_for_build_wheel "$(OUT)/with.json"
without:
	+"$(WBGEN)" hook --env "$(ENV)" --src "$(SRC)" --backend mini_backend --backend-path . \
		--config-setting probe=without.json get_requires_for_build_wheel "$(OUT)/without.json"
MKEOF
ok "two hooks under make -j2" make -s -j2 -f "$TMP/jobs.mk" WBGEN="$WBGEN" ENV="$TMP/env0" SRC="$M" OUT="$TMP"
ok "only the --jobserver hook sees MAKEFLAGS and the jobserver descriptors" "$PY" -c 'import json, re, sys
w = json.load(open(sys.argv[1] + "/with.json"))
wo = json.load(open(sys.argv[1] + "/without.json"))
m = re.search(r"--jobserver-(?:auth|fds)=(\d+),(\d+)", w["env"].get("MAKEFLAGS", ""))
assert m, w["env"]
fds = {int(m.group(1)), int(m.group(2))}
assert fds <= set(w["fds"]), (fds, w["fds"])
assert "MAKEFLAGS" not in wo["env"] and "MAKELEVEL" not in wo["env"], wo["env"]
assert not fds & set(wo["fds"]), (fds, wo["fds"])' "$M"

# the helper on the oldest interpreter it supports, when one is at hand
PY37=${WBGEN_TEST_PYTHON37:-}
[ -n "$PY37" ] || PY37=$(ls "$HOME"/.pyenv/versions/3.7*/bin/python3.7 2>/dev/null | head -n 1) || true
if [ -n "$PY37" ] && [ -x "$PY37" ] && "$PY37" -m venv --without-pip "$TMP/env37" 2>/dev/null; then
	test_expect_success "the helper runs on Python 3.7" \
		'"$WBGEN" hook --env "$TMP/env37" --src "$M" --backend mini_backend --backend-path . \
		--config-setting probe=py37.json get_requires_for_build_wheel "$TMP/r37.json" && grep -q "\"version\": \[3, 7\]" "$M/py37.json"'
	ok "... and builds a wheel there" "$WBGEN" build-wheel --env "$TMP/env37" --src "$M" --backend mini_backend \
		--backend-path . --out "$TMP/w37" --expect mini==1.0
else
	ok "the helper runs on Python 3.7 # SKIP no Python 3.7 (set WBGEN_TEST_PYTHON37)" true
fi
ok "the helper parses as Python 3.7" "$PY" -c 'import ast, sys
ast.parse(open(sys.argv[1]).read(), feature_version=(3, 7))' "${WBGEN_PKGDATADIR:-$WBGEN_SRCDIR/rules}/pep517_hook.py"

# ---- usage
fails_keep 2 "hook without --env" "$WBGEN" hook --src "$M" get_requires_for_build_wheel "$TMP/r.json"
fails_keep 2 "an unknown hook" "$WBGEN" hook --env "$TMP/env0" --src "$M" build_everything "$TMP/r.json"
fails_keep 2 "a bad config setting" "$WBGEN" hook --env "$TMP/env0" --src "$M" --config-setting nokey \
	get_requires_for_build_wheel "$TMP/r.json"
fails_keep 1 "an environment without python" "$WBGEN" hook --env "$TMP/nowhere" --src "$M" get_requires_for_build_wheel "$TMP/r.json"
ok "... named in the error" grep -q "no python in the environment" "$TMP/last"
fails_keep 1 "a missing source tree" "$WBGEN" hook --env "$TMP/env0" --src "$TMP/nosrc" get_requires_for_build_wheel "$TMP/r.json"
ok "... named in the error" grep -q "source tree .*nosrc. is not a directory" "$TMP/last"
test_expect_success "help texts" \
	'"$WBGEN" hook --help | grep -q "^usage: wbgen hook" && "$WBGEN" build-wheel --help | grep -q -- "--expect-requires FILE"'

done_testing
