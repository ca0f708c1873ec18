#!/bin/sh
# setup.sh: the first Quick start command. On Debian 12: installs the build
# dependencies that are missing (apt-get), builds wbgen in this checkout, and
# resolves the bundled example (examples/) against a local index, offline.
# Safe to run again: it skips what is done.
set -eu
cd "$(dirname "$0")/.."

# Debian packages wbgen needs to build and test (python3-packaging is the reference
# implementation for the differential tests).
pkgs="gcc make autoconf automake pkg-config libcurl4-openssl-dev libarchive-dev
libjansson-dev libyaml-dev python3 python3-packaging python3-venv python3-wheel
python3-setuptools-whl python3-pip ca-certificates curl"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing:$missing" >&2
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure -q
make -j"$(nproc)"

echo "setup: built ./wbgen; resolving and building the bundled example (examples/)" >&2
python3 e2e/fixtures/mkindex.py --if-missing examples/scenario.py examples/index >/dev/null
# The example's setuptools is Debian's (python3-setuptools-whl), which builds with Debian's python3.
./wbgen resolve --python /usr/bin/python3 -r examples/requirements.txt -c examples/constraints.txt \
	--index-url "file://$PWD/examples/index/simple/" -o examples/out
make -C examples/out -j"$(nproc)"
echo "setup: the wheels are in examples/out/wheels-repo (a PEP 503 mirror under simple/);" >&2
echo "setup: the plan in examples/out (plan.json, graph.json, build-order.json, constraints.txt)" >&2
cat examples/out/constraints.txt
