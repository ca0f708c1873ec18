# resolve-pip.sh: pip's choice of versions (pip install --dry-run --report, every package
# from its sdist) agrees with wbgen's plan on the fixture scenarios, for the install
# closure. pip runs without build isolation (the fixture backends are put on PYTHONPATH,
# setuptools is Debian's): build environments do not change what gets installed, and it
# keeps the test fast. Packages whose install requirements are dynamic in the plan may
# bring in more in pip's answer; everything wbgen did resolve must match.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
PIP=
for cand in "$PY" "$(command -v python3 || true)"; do
	[ -n "$cand" ] || continue
	if "$cand" -m pip install --help 2>/dev/null | grep -q -- '--report'; then
		PIP=$cand
		break
	fi
done
if [ -z "$PIP" ]; then
	echo "1..0 # SKIP no pip with 'install --report' ($PY -m pip, python3 -m pip)"
	exit 0
fi

basic=$(index_build basic)
rsv=$(index_build resolve)
tree=$(index_build tree)
mkdir -p "$TMP/mods"
for b in backend-b backend-c; do
	tar -xzf "$tree/packages/$b/${b%-*}_${b#*-}-1.0.tar.gz" -C "$TMP/mods"
done
PYPATH="${WBGEN_SRCDIR:-.}/e2e/fixtures:$TMP/mods/backend_b-1.0:$TMP/mods/backend_c-1.0"
n=0

# agree DESC DIR ARGS...: resolve ARGS with wbgen and with pip against DIR; compare.
agree() {
	_d=$1 _dir=$2
	shift 2
	n=$((n + 1))
	index_serve "$_dir"
	set +e
	"$WBGEN" resolve --python "$PY" --cache-dir "$TMP/cache" -o "$TMP/w$n" --index-url "$INDEX_URL" "$@" \
		>"$TMP/w$n.out" 2>&1 &&
	env PYTHONPATH="$PYPATH" PIP_CONFIG_FILE=/dev/null PIP_NO_INPUT=1 "$PIP" -m pip install -q --dry-run \
		--ignore-installed --report "$TMP/p$n.json" --index-url "$INDEX_URL" --no-binary :all: \
		--no-build-isolation --no-cache-dir --disable-pip-version-check --retries 0 --timeout 20 "$@" \
		>"$TMP/p$n.out" 2>&1
	_rc=$?
	set -e
	index_stop "$INDEX_PID"
	if [ "$_rc" -ne 0 ]; then
		test_expect_success "$_d: a resolver failed" 'cat "$TMP/w$n.out" "$TMP/p$n.out"; false'
		return 0
	fi
	ok "$_d" "$PY" - "$TMP/w$n" "$TMP/p$n.json" <<'PYEOF'
import json, re, sys
from packaging.version import Version
canon = lambda s: re.sub(r"[-_.]+", "-", s).lower()
plan = json.load(open(sys.argv[1] + "/plan.json"))
report = json.load(open(sys.argv[2]))
pip = {canon(i["metadata"]["name"]): str(Version(i["metadata"]["version"])) for i in report["install"]}
k = {p["name"]: p for p in plan["packages"]}
closure = dict(l.strip().split("==") for l in open(sys.argv[1] + "/constraints.txt"))
bad = ["%s: wbgen %s, pip %s" % (n, v, pip.get(n)) for n, v in sorted(closure.items()) if pip.get(n) != v]
dynamic = [n for n in closure if k[n]["install_requires_source"] == "dynamic"]
extra = sorted(set(pip) - set(closure))
if extra and not dynamic:
    bad.append("pip installs more with no dynamic package in the plan: %s" % extra)
for n in extra:
    if n in k and k[n]["version"] != pip[n]:
        bad.append("%s: wbgen %s (build only), pip %s" % (n, k[n]["version"], pip[n]))
print("wbgen:", sorted(closure.items()), "\npip:", sorted(pip.items()))
sys.exit("; ".join(bad) if bad else 0)
PYEOF
}

printf 'hv<1.5\n' >"$TMP/c1.txt"
agree "basic: extras, a zip and a dashed sdist, an HTML-only page, a pinned yanked version, a bz2 sdist" "$basic" \
	'foo.bar[fast]' zope.thing legacy-page 'six_ish==1.5' win-only
agree "resolve: versions, requires-python, yanked, sdists, extras, metadata sources" "$rsv" \
	pre-user hv-user rp rp-html rp-pkginfo yk nosd only-pre 'ext[all]' ext-user 'ext-pp[x]' \
	src-pkginfo src-pyproject src-wheel src-dyn Dotted.Name_x
agree "resolve: a constraints file" "$rsv" -c "$TMP/c1.txt" hv-user
agree "resolve: --pre" "$rsv" --pre hv
if "$PIP" -c 'import setuptools' 2>/dev/null; then
	agree "tree: tree-root (diamond, build chain, cycle, setuptools users)" "$tree" tree-root
else
	test_skip "tree: $PIP cannot import setuptools, which the setuptools users need without build isolation"
fi

done_testing
