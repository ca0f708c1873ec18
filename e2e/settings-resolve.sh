# settings-resolve.sh: what fromager's per-package settings change in `wbgen resolve`
# (docs/settings.md, "In the resolver"), against the local indexes of
# e2e/fixtures/scenarios/settings.json and settings-alt.json: resolver_dist (the index of a
# package, which files make a version, min_release_age from PEP 700 upload times),
# project_override on the build requirements, download_source, pre_built wheels, the build tag,
# and the errors.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
idx=$(index_build settings)
index_serve "$idx"
URL=$INDEX_URL
BASE=$INDEX_BASE
alt=$(index_build settings-alt)
index_serve "$alt"
ALT=$INDEX_URL
CACHE=$TMP/cache
export PY

# set CASE NAME: the YAML on stdin becomes $TMP/CASE/settings/NAME.yaml.
set_() {
	mkdir -p "$TMP/$1/settings"
	cat >"$TMP/$1/settings/$2.yaml"
}
# res CASE ARGS...: resolve with CASE's settings into $TMP/CASE/out.
res() {
	_c=$1
	shift
	mkdir -p "$TMP/$_c/settings"
	rm -rf "${TMP:?}/$_c/out"
	"$WBGEN" resolve --python "$PY" --cache-dir "$CACHE" -o "$TMP/$_c/out" --index-url "$URL" \
		--settings-file "$TMP/$_c/settings.yaml" --settings-dir "$TMP/$_c/settings" \
		--patches-dir "$TMP/$_c/patches" "$@"
}
# q CASE FILE EXPR: a Python expression of OUT/FILE (j); for plan.json, k: packages by name,
# for build-order.json, b: entries by dist.
q() {
	"$PY" -c 'import json, sys
j = json.load(open(sys.argv[1])); k = {}; b = {}
if isinstance(j, dict) and "packages" in j: k = {x["name"]: x for x in j["packages"]}
if isinstance(j, list): b = {x["dist"]: x for x in j}
r = eval(sys.argv[2]); print(r if isinstance(r, str) else json.dumps(r, sort_keys=True))' "$TMP/$1/out/$2" "$3"
}
# eq EXPECTED COMMAND...: COMMAND prints EXPECTED.
eq() {
	_e=$1
	shift
	_g=$("$@") || return 1
	[ "$_g" = "$_e" ] || { echo "got: $_g"; echo "expected: $_e"; return 1; }
}
# pin CASE NAME: the version of NAME in the plan.
pin() {
	q "$1" plan.json "k[\"$2\"][\"version\"]"
}
# err CASE PATTERN ARGS...: resolving fails (exit 1), stderr matches PATTERN, no plan.json.
err() {
	_c=$1 _p=$2
	shift 2
	set +e
	res "$_c" "$@" 2>"$TMP/$_c.err"
	_rc=$?
	set -e
	cat "$TMP/$_c.err" >&2
	[ "$_rc" -eq 1 ] || { echo "exit $_rc"; return 1; }
	grep -Eq -- "$_p" "$TMP/$_c.err" || { echo "no match for $_p"; return 1; }
	[ ! -e "$TMP/$_c/out/plan.json" ] || { echo "plan.json written"; return 1; }
}

# ---- resolver_dist.min_release_age (PEP 700 upload-time of the JSON pages)
ok "no settings: the newest st-lib" res plain st-app
ok "... is 2.0" eq 2.0 pin plain st-lib
ok "--min-release-age 7: 2.0 was uploaded too recently, 1.0 is chosen" res age1 --min-release-age 7 st-app
ok "... 1.0" eq 1.0 pin age1 st-lib
set_ age2 st-lib <<'Y'
resolver_dist:
  min_release_age: 7
Y
ok "the package's min_release_age" res age2 st-app
ok "... 1.0" eq 1.0 pin age2 st-lib
set_ age3 st-lib <<'Y'
resolver_dist:
  min_release_age: 0
Y
ok "a package's min_release_age 0 overrides --min-release-age" res age3 --min-release-age 7 st-app
ok "... 2.0" eq 2.0 pin age3 st-lib
ok "a pin on the recent version: the cooldown says why" err age4 \
	"no version of 'st-lib' satisfies 'st-lib==2\.0'.*2\.0 \(uploaded less than 7 days ago, min_release_age\)" \
	--min-release-age 7 st-lib==2.0
ok "a file without upload-time is not a candidate under a cooldown" err age5 \
	"st-notime.*1\.0 \(no upload time on the index, which min_release_age needs\)" --min-release-age 1 st-notime
ok "an HTML page (no upload times) neither" err age6 "st-html.*no upload time" --min-release-age 1 st-html
ok "without a cooldown the HTML project resolves" res age7 st-html st-notime
# a build's re-resolve measures the age from the first resolve's time (resolve-args.json "time",
# passed back as WBGEN_RESOLVE_TIME); a resolve without a cooldown records no time
ok "resolve-args.json records the time a cooldown was measured from" \
	eq "true" q age1 resolve-args.json 'isinstance(j.get("time"), int) and j["time"] > 1700000000'
ok "... and none without a cooldown" eq "null" q plain resolve-args.json 'j.get("time")'
# res_at TIME CASE ARGS...: res with WBGEN_RESOLVE_TIME=TIME
res_at() {
	WBGEN_RESOLVE_TIME=$1
	export WBGEN_RESOLVE_TIME
	shift
	_r=0
	res "$@" || _r=$?
	unset WBGEN_RESOLVE_TIME
	return $_r
}
ok "WBGEN_RESOLVE_TIME (2099-02-01): st-lib 2.0 is a month old then" \
	res_at 4073587200 age8 --min-release-age 7 st-app
ok "... 2.0 chosen" eq 2.0 pin age8 st-lib
ok "... and that time recorded" eq 4073587200 q age8 resolve-args.json 'str(j["time"])'

# ---- resolver_dist.sdist_server_url
set_ idx1 st-lib <<Y
resolver_dist:
  sdist_server_url: $ALT
Y
ok "sdist_server_url: st-lib comes from the other index" res idx1 st-app
ok "... 3.0, which only that index has" eq 3.0 pin idx1 st-lib
ok "... downloaded from it" eq "${ALT%simple/}packages/st-lib/st_lib-3.0.tar.gz" q idx1 plan.json 'k["st-lib"]["sdist"]["url"]'
ok "... graph.json's download_url is that file" eq "${ALT%simple/}packages/st-lib/st_lib-3.0.tar.gz" \
	q idx1 graph.json 'j["st-lib==3.0"]["download_url"]'
ok "... the other packages still come from --index-url" eq "${BASE}packages/st-app/st_app-1.0.tar.gz" \
	q idx1 plan.json 'k["st-app"]["sdist"]["url"]'

# ---- resolver_dist.include_sdists / include_wheels
ok "by default a version with only a wheel is no candidate: 1.0" res wo1 st-wheelonly
ok "... 1.0" eq 1.0 pin wo1 st-wheelonly
set_ wo2 st-wheelonly <<'Y'
resolver_dist:
  include_wheels: true
Y
ok "include_wheels: 2.0 (a wheel only) is the candidate, but there is no sdist to build" err wo2 \
	"st-wheelonly 2\.0: the index has no sdist of this version \(chosen from the wheel 'st_wheelonly-2\.0-py3-none-any\.whl', include_wheels\) and download_source\.url is not set" \
	st-wheelonly
set_ wo3 st-wheelonly <<Y
resolver_dist:
  include_sdists: false
  include_wheels: true
download_source:
  url: "${BASE}packages/st-src/st_src-1.0.tar.gz"
  destination_filename: "\${canonicalized_name}-\${version}.tar.gz"
Y
ok "include_wheels with download_source.url: the version from the wheel, the source from the URL" res wo3 st-wheelonly
ok "... 2.0" eq 2.0 pin wo3 st-wheelonly
ok "... saved under destination_filename" test -f "$TMP/wo3/out/sdists-repo/downloads/st-wheelonly-2.0.tar.gz"
set_ wo4 st-wheelonly <<'Y'
resolver_dist:
  include_sdists: false
Y
ok "include_sdists false, no wheels: nothing is a candidate" err wo4 \
	"no version of 'st-wheelonly'.*2\.0 \(include_sdists and include_wheels are both false\)" st-wheelonly
set_ wo5 st-wheelonly <<Y
resolver_dist:
  include_wheels: true
download_source:
  url: "${BASE}packages/st-wheelonly/st_wheelonly-2.0-py3-none-any.whl.metadata"
  destination_filename: "st-wheelonly-\${version}.tar.gz"
Y
ok "a download_source file that is no sdist: the error names the package and the file" err wo5 \
	"st-wheelonly 2\.0: sdist 'st-wheelonly-2\.0\.tar\.gz': " st-wheelonly

# ---- download_source
set_ dl1 st-src <<Y
download_source:
  url: "${BASE}packages/st-src-alt/st_src_alt-\${version}.tar.gz"
  destination_filename: "st_src-\${version}.tar.gz"
Y
ok "download_source.url: the sdist comes from the URL" res dl1 st-src
ok "... its requirements are the downloaded sdist's (st-src-alt requires st-extra)" eq 2.0 pin dl1 st-extra
ok "... plan.json: the URL it came from" eq "${BASE}packages/st-src-alt/st_src_alt-1.0.tar.gz" \
	q dl1 plan.json 'k["st-src"]["sdist"]["url"]'
ok "... the file name from destination_filename" eq "sdists-repo/downloads/st_src-1.0.tar.gz" \
	q dl1 plan.json 'k["st-src"]["sdist"]["path"]'
test_expect_success "... the sha256 of what was downloaded" \
	'[ "$("$PY" -c "import json,sys; print({x[\"name\"]: x for x in json.load(open(sys.argv[1]))[\"packages\"]}[\"st-src\"][\"sdist\"][\"sha256\"])" "$TMP/dl1/out/plan.json")" = "$(sha256sum "$TMP/dl1/out/sdists-repo/downloads/st_src-1.0.tar.gz" | cut -c1-64)" ]'
ok "... build-order.json: source_url_type override" eq override q dl1 build-order.json 'b["st-src"]["source_url_type"]'
test_expect_success "... source_url: the index file it was resolved from, as fromager writes it" \
	'u=$(q dl1 build-order.json "b[\"st-src\"][\"source_url\"]") &&
	case $u in "$BASE"packages/st-src/st_src-1.0.tar.gz#sha256=*) ;; *) echo "$u"; exit 1 ;; esac'
ok "... pkg.json points the build at it" eq "sdists-repo/downloads/st_src-1.0.tar.gz" \
	"$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["sdist"])' "$TMP/dl1/out/work/st-src-1.0/pkg.json"
set_ dl2 st-src <<Y
download_source:
  url: "${BASE}packages/nope/\${version}.tar.gz"
Y
ok "a URL that is not there: the download error names it" err dl2 "cannot download .*1\.0\.tar\.gz" st-src

# ---- project_override: [build-system] requires
ok "without settings: st-br builds with st-extra<2 and st-lib" res br0 st-br
ok "... its build-system edges" eq '["st-extra==1.0", "st-lib==2.0", "tinybuild==1.0"]' \
	q br0 graph.json 'sorted(e["key"] for e in j["st-br==1.0"]["edges"] if e["req_type"] == "build-system")'
set_ br1 St_BR <<'Y'
project_override:
  update_build_requires: ["st-extra>=2"]
  remove_build_requires: [ST.Lib]
Y
ok "update_build_requires / remove_build_requires" res br1 st-br
ok "... plan.json's build requirements as fromager rewrites them (setuptools always in, sorted)" \
	eq '["setuptools", "st-extra>=2", "tinybuild"]' q br1 plan.json 'k["st-br"]["build_system"]["requires"]'
ok "... graph.json's build-system edges follow" eq '["setuptools==70.0", "st-extra==2.0", "tinybuild==1.0"]' \
	q br1 graph.json 'sorted(e["key"] for e in j["st-br==1.0"]["edges"] if e["req_type"] == "build-system")'
ok "... st-lib is no longer in the plan" eq '[]' q br1 plan.json '[n for n in k if n == "st-lib"]'
ok "... build-order.json builds setuptools and st-extra 2.0 before st-br" eq true \
	q br1 build-order.json '(lambda d: d.index("st-br") > max(d.index("setuptools"), d.index("st-extra")))([x["dist"] for x in j]) and b["st-extra"]["version"] == "2.0"'
ok "... the Makefile's build environment" grep -qx 'st-br-1.0.sys := setuptools-70.0 st-extra-2.0 tinybuild-1.0' \
	"$TMP/br1/out/Makefile"

# ---- variants.NAME.pre_built: the wheel from the index, not built
set_ pb1 st-pre <<'Y'
variants:
  cpu:
    pre_built: true
  rocm:
    env:
      A: "1"
Y
ok "pre_built: st-pre is taken as a wheel" res pb1 st-pre
ok "... plan.json: its wheel, no sdist, no build system" \
	eq '[null, "st_pre-1.0-py3-none-any.whl", "prebuilt/st_pre-1.0-py3-none-any.whl", null, true, "prebuilt"]' \
	q pb1 plan.json '[k["st-pre"]["sdist"], k["st-pre"]["wheel"]["filename"], k["st-pre"]["wheel"]["path"], k["st-pre"]["build_system"], k["st-pre"]["pre_built"], k["st-pre"]["source_url_type"]]'
test_expect_success "... downloaded and verified: the plan's sha256 is the file's" \
	'[ "$("$PY" -c "import json,sys; print({x[\"name\"]: x for x in json.load(open(sys.argv[1]))[\"packages\"]}[\"st-pre\"][\"wheel\"][\"sha256\"])" "$TMP/pb1/out/plan.json")" = "$(sha256sum "$TMP/pb1/out/prebuilt/st_pre-1.0-py3-none-any.whl" | cut -c1-64)" ]'
ok "... install requirements from the wheel's METADATA" eq '[{"req": "st-lib"}]' q pb1 plan.json 'k["st-pre"]["install_requires"]'
ok "... its build requirements are not in the plan (st-extra)" eq '["st-lib", "st-pre", "tinybuild"]' \
	q pb1 plan.json 'sorted(k)'
ok "... graph.json marks it pre_built, download_url the wheel" \
	eq "[true, \"${BASE}packages/st-pre/st_pre-1.0-py3-none-any.whl\"]" \
	q pb1 graph.json '[j["st-pre==1.0"]["pre_built"], j["st-pre==1.0"]["download_url"]]'
ok "... graph.json: no edges but its install requirement" eq '[["st-lib==2.0", "install"]]' \
	q pb1 graph.json '[[e["key"], e["req_type"]] for e in j["st-pre==1.0"]["edges"]]'
test_expect_success "... build-order.json: prebuilt, source_url_type prebuilt, source_url the wheel" \
	'u=$(q pb1 build-order.json "\" \".join([str(b[\"st-pre\"][\"prebuilt\"]).lower(), b[\"st-pre\"][\"source_url_type\"], b[\"st-pre\"][\"source_url\"]])") &&
	case $u in "true prebuilt $BASE"packages/st-pre/st_pre-1.0-py3-none-any.whl#sha256=*) ;; *) echo "$u"; exit 1 ;; esac'
test_expect_success "... the Makefile: a prebuilt package, no sdist, two phases" \
	'grep -qx "st-pre-1.0.prebuilt := prebuilt/st_pre-1.0-py3-none-any.whl" "$TMP/pb1/out/Makefile" && ! grep -q "^st-pre-1.0.sdist" "$TMP/pb1/out/Makefile"'
ok "another variant builds it from source" res pb2 --variant rocm st-pre
ok "... from its sdist, with its build requirements" eq '["st_pre-1.0.tar.gz", false, true]' \
	q pb2 plan.json '[k["st-pre"]["sdist"]["filename"], k["st-pre"]["pre_built"], "st-extra" in k]'
set_ pb3 st-pre <<Y
variants:
  cpu:
    pre_built: true
    wheel_server_url: $ALT
Y
ok "wheel_server_url: the wheel comes from that index" res pb3 st-pre
ok "... 5.0, which only it has" eq 5.0 pin pb3 st-pre
set_ pb4 st-foreign <<'Y'
variants:
  cpu:
    pre_built: true
Y
ok "a pre-built package with no wheel for the target: the error names it and why" err pb4 \
	"no version of 'st-foreign' satisfies 'st-foreign' \(from command line:1\); available: 1\.0 \(pre-built: no wheel for the target's tags\)" \
	st-foreign
test_expect_success "make: st-lib built from source, st-pre published as downloaded" \
	'make -C "$TMP/pb1/out" --no-print-directory -j2 >"$TMP/pb1/make.out" 2>&1 || { cat "$TMP/pb1/make.out"; exit 1; }'
ok "... the mirror holds the downloaded wheel, byte for byte" \
	cmp "$TMP/pb1/out/prebuilt/st_pre-1.0-py3-none-any.whl" "$TMP/pb1/out/wheels-repo/simple/st-pre/st_pre-1.0-py3-none-any.whl"
ok "... and st-lib's wheel" test -f "$TMP/pb1/out/wheels-repo/simple/st-lib/st_lib-2.0-py3-none-any.whl"
ok "... st-pre was never unpacked" test ! -e "$TMP/pb1/out/work/st-pre-1.0/src"
ok "... a second make has nothing to do" make -C "$TMP/pb1/out" --no-print-directory -q
set_ pb5 st-extra <<'Y'
variants:
  cpu:
    pre_built: true
Y
ok "a pre-built package in another's build environment" res pb5 st-br
test_expect_success "... make builds st-br with the pre-built st-extra installed" \
	'make -C "$TMP/pb5/out" --no-print-directory -j2 st-br >"$TMP/pb5/make.out" 2>&1 || { cat "$TMP/pb5/make.out"; exit 1; }'
test_expect_success "... st-br's build environment holds that wheel" \
	'ls "$TMP/pb5/out"/work/st-br-1.0/env/lib/python3*/site-packages/st_extra-1.0.dist-info/METADATA'
ok "... and the mirror, byte for byte" \
	cmp "$TMP/pb5/out/prebuilt/st_extra-1.0-py3-none-any.whl" "$TMP/pb5/out/wheels-repo/simple/st-extra/st_extra-1.0-py3-none-any.whl"
set_ pb6 st-lib <<Y
variants:
  cpu:
    pre_built: true
    wheel_server_url: ${BASE}nowhere/
Y
ok "a wheel_server_url without the project: the error names that index" err pb6 \
	"no such project 'st-lib' on the index '${BASE}nowhere/' \(its settings' wheel_server_url; command line:1\)" st-lib
printf 'st-pre==1.0 --hash=sha256:%064d\n' 0 >"$TMP/pbhash.txt"
set_ pb7 st-pre <<'Y'
variants:
  cpu:
    pre_built: true
Y
ok "hash-checking mode checks a pre-built wheel" err pb7 \
	"st-pre 1\.0: wheel 'st_pre-1\.0-py3-none-any\.whl' has sha256 [0-9a-f]{64}, which matches no --hash given for 'st-pre'" \
	-r "$TMP/pbhash.txt"
set_ pb8 st-lib <<'Y'
variants:
  cpu:
    versions:
      "2.0":
        pre_built: true
Y
ok "a version entry's pre_built that differs from the variant's is refused" err pb8 \
	"st-lib 2\.0: variants\.cpu\.versions\.2\.0\.pre_built differs from the variant's pre_built, which alone decides whether a package is pre-built \(.*/settings/st-lib\.yaml\)" \
	st-lib

# ---- changelog: the build tag
set_ bt1 st-lib <<'Y'
changelog:
  "2.0":
    - "rebuilt with a fix"
Y
printf 'changelog:\n  cpu:\n    - "new compiler"\n' >"$TMP/bt1/settings.yaml"
ok "a changelog entry for the version and one in the global file" res bt1 st-app
ok "... plan.json: st-lib's build tag 2, st-app's 1 (the global entry)" eq '[2, 1]' \
	q bt1 plan.json '[k["st-lib"]["build_tag"], k["st-app"]["build_tag"]]'
ok "... fromager writes no build tag into graph.json or build-order.json; neither does wbgen" eq '[]' \
	eval '"$PY" -c "import json, sys
g = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
print(json.dumps(sorted(({k for n in g.values() for k in n} | {k for e in b for k in e}) & {\"build_tag\", \"changelog\"})))" \
		"$TMP/bt1/out/graph.json" "$TMP/bt1/out/build-order.json"'
set_ bt2 st-pre <<'Y'
changelog:
  "1.0": ["x"]
variants:
  cpu:
    pre_built: true
Y
ok "a pre-built package has no build tag" res bt2 st-pre
ok "... null" eq null q bt2 plan.json 'k["st-pre"]["build_tag"]'

# ---- errors of the settings files (the reader's; resolve stops before the index)
set_ bad1 st-lib <<'Y'
resolver_dist:
  min_release_agee: 3
Y
ok "an unknown key: resolve fails naming the file and the key" err bad1 \
	"settings/st-lib\.yaml:2:3: unknown key 'resolver_dist\.min_release_agee'" st-lib
set_ bad2 st-lib <<'Y'
env: [a, b
Y
ok "bad YAML: resolve fails naming the file" err bad2 "settings/st-lib\.yaml:[0-9]+:[0-9]+: " st-lib

done_testing
