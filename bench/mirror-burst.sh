#!/bin/bash
# bench/mirror-burst.sh: many new projects published at once into a large mirror (the root page's
# lock, docs/cluster.md "The scale model"): N wheels of N new projects, P `wbgen publish` at a time,
# into a mirror that already has M projects; wall time, publishes per second, and how many times
# the root page was written (strace counts the renames onto simple/index.html).
#
# usage: bench/mirror-burst.sh [--wbgen PATH]... [-n N] [-p P] [-m M]
# Each --wbgen is measured on a fresh copy of the same mirror (default: the in-tree ./wbgen).
set -eu -o pipefail
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
n=200 p=8 m=10000 wbgens=()
while [ $# -gt 0 ]; do
	case $1 in
	--wbgen) wbgens+=("$2"); shift 2 ;;
	-n) n=$2; shift 2 ;;
	-p) p=$2; shift 2 ;;
	-m) m=$2; shift 2 ;;
	*) echo "usage: $0 [--wbgen PATH]... [-n N] [-p P] [-m M]" >&2; exit 2 ;;
	esac
done
[ ${#wbgens[@]} -gt 0 ] || wbgens=("$top/wbgen")
W=$(mktemp -d /tmp/mirror-burst.XXXXXX)
trap 'rm -rf "$W"' EXIT
python3 - "$W" "$n" "$m" <<'PY'
import base64, hashlib, os, sys, zipfile
w, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(w + "/wheels")
for i in range(n):
    name = "burst%05d" % i
    dist = "%s-1.0.dist-info" % name
    files = {name + "/__init__.py": b"", dist + "/METADATA": ("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % name).encode(),
             dist + "/WHEEL": b"Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    rec = "".join("%s,sha256=%s,%d\n" % (k, base64.urlsafe_b64encode(hashlib.sha256(v).digest()).rstrip(b"=").decode(), len(v))
                  for k, v in files.items()) + dist + "/RECORD,,\n"
    files[dist + "/RECORD"] = rec.encode()
    with zipfile.ZipFile("%s/wheels/%s-1.0-py3-none-any.whl" % (w, name), "w") as z:
        for k, v in files.items():
            z.writestr(k, v)
os.makedirs(w + "/base/simple")
for i in range(m):
    d = "%s/base/simple/fake-%05d" % (w, i)
    os.mkdir(d)
    open(d + "/index.html", "w").write("<!DOCTYPE html>\n")
PY
printf '| wbgen | projects before | new projects, at a time | wall | publishes/s | root page writes |\n|---|---|---|---|---|---|\n'
for wb in "${wbgens[@]}"; do
	rm -rf "$W/mir" && cp -a "$W/base" "$W/mir"
	start=$(date +%s.%N)
	ls "$W"/wheels/*.whl | strace -f -qq -e trace=rename,renameat,renameat2 -o "$W/st" \
		xargs -P "$p" -n 1 "$wb" publish --mirror "$W/mir" >/dev/null 2>&1
	end=$(date +%s.%N)
	writes=$(grep -c 'simple/\.\?index\.html\|simple/index.html"' "$W/st" || true)
	listed=$(grep -c '<a href="burst' "$W/mir/simple/index.html")
	[ "$listed" = "$n" ] || { echo "mirror-burst: the root page lists $listed of $n new projects" >&2; exit 1; }
	echo "| $wb | $m | $n, $p | $(echo "$end - $start" | bc | xargs printf '%.1f') s | $(echo "$n / ($end - $start)" | bc -l | xargs printf '%.1f') | $writes |"
done
