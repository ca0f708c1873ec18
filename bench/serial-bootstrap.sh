#!/bin/bash
# bench/serial-bootstrap.sh: the straightforward way to build a tree of wheels from source, for
# bench/alternatives.sh: a serial loop over build-order.json that, for each package, creates a
# venv, pip-installs its build requirements (from the wheels built so far) and builds its wheel
# with pip (no build isolation: the venv is the build environment).
#
# usage: bench/serial-bootstrap.sh PLANDIR WORKDIR [--with-pip]
#
# PLANDIR: a directory written by `wbgen resolve` (build-order.json, plan.json, the Makefile;
# after a build, the Makefile also holds the requirements found by get_requires_for_build_wheel,
# which a bootstrap script must install too). The sdists are taken from the index (the
# source_url of build-order.json). The wheels go to WORKDIR/wheels/, the venvs to WORKDIR/envs/.
# Each venv gets the exact build requirements of the package (name==version, --no-deps: the
# plan's install closure, so pip does not resolve), its fastest form:
#   python3 -m venv --without-pip ENV; python3 -m pip --python ENV/bin/python install ...
#   python3 -m pip --python ENV/bin/python wheel --no-build-isolation --no-deps ...
# --with-pip: `python3 -m venv ENV` and ENV/bin/pip instead (what a user types; ensurepip puts
# pip and setuptools into every venv). Environment: TARGET_PYTHON (default /usr/bin/python3).

set -eu -o pipefail
export LC_ALL=C
[ $# -ge 2 ] || { echo "usage: serial-bootstrap.sh PLANDIR WORKDIR [--with-pip]" >&2; exit 2; }
plan=$1 work=$2 withpip=0
[ "${3:-}" != --with-pip ] || withpip=1
PY=${TARGET_PYTHON:-/usr/bin/python3}
for v in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore \
	PIP_NO_CACHE_DIR=1 SOURCE_DATE_EPOCH=315532800
mkdir -p "$work/wheels" "$work/envs"
wheels=$(cd "$work/wheels" && pwd)

# one line per package, in build order: NAME VERSION SDIST_PATH BUILD_REQUIREMENT==VERSION...
/usr/bin/python3 -B - "$plan" <<'EOF' >"$work/order.txt"
import json, os, re, sys
from urllib.parse import unquote, urlparse
plan = sys.argv[1]
text = open(os.path.join(plan, "Makefile"), encoding="utf-8").read()
need = {}
for m in re.finditer(r"^(\S+)\.(sys|backend) := ?(.*)$", text, re.M):
    need.setdefault(m.group(1), []).extend(m.group(3).split())
ver = {}
for m in re.finditer(r"^(\S+)\.(name|version) := (.*)$", text, re.M):
    ver.setdefault(m.group(1), {})[m.group(2)] = m.group(3)
for e in json.load(open(os.path.join(plan, "build-order.json"))):
    key = "%s-%s" % (e["dist"], e["version"])
    url = urlparse(e["source_url"])
    if url.scheme != "file":
        sys.exit("serial-bootstrap.sh: %s: not a file:// sdist" % e["source_url"])
    reqs = ["%s==%s" % (ver[q]["name"], ver[q]["version"]) for q in need.get(key, [])]
    print(e["dist"], e["version"], unquote(url.path), *reqs)
EOF

n=0
while read -r name version sdist reqs; do
	n=$(( n + 1 ))
	env=$work/envs/$name-$version
	rm -rf "$env"
	if [ "$withpip" = 1 ]; then
		"$PY" -m venv "$env"
		pip=("$env/bin/pip")
	else
		"$PY" -m venv --without-pip "$env"
		pip=("$PY" -m pip --python "$env/bin/python")
	fi
	if [ -n "$reqs" ]; then
		# shellcheck disable=SC2086
		"${pip[@]}" install --quiet --no-index --no-deps --find-links "$wheels" $reqs ||
			{ echo "serial-bootstrap.sh: $name $version: pip install $reqs failed" >&2; exit 1; }
	fi
	"${pip[@]}" wheel --quiet --no-build-isolation --no-deps --no-index --find-links "$wheels" \
		-w "$wheels" "$sdist" >"$env.log" 2>&1 ||
		{ cat "$env.log" >&2; echo "serial-bootstrap.sh: $name $version: pip wheel failed" >&2; exit 1; }
done <"$work/order.txt"
echo "serial-bootstrap.sh: $n packages built into $wheels" >&2
