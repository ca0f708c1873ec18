#!/bin/bash
# bench/overhead.sh: wbgen's own cost on large trees: `wbgen resolve` writing the Makefile of
# 1,000 and 10,000 packages from a warm cache (and its peak memory), and a no-op `make` (everything
# up to date) on those Makefiles. See docs/benchmarks.md (this script rewrites its results section).
#
# usage: bench/overhead.sh [--runs N] [--sizes "N..."] [--server nginx|file] [--no-write]
#
# The trees are bench/shapes.py's realistic shape (backends, a wide layer, a long tail), sdists
# only, served by nginx on 127.0.0.1 (--server file: a file:// index, no server, no HTTP cache).
# Nothing is built: building 10,000 wheels takes hours here, so the completed build of the no-op
# make is faked (bench/fake_built.py: every target written, in build order, with the content
# make reads). --runs N: timed runs of each (default and minimum 5).
#
# Environment: WBGEN (default: the in-tree ./wbgen, else build-dev/wbgen), BENCH_WORK (default
# bench/.cache/overhead), TARGET_PYTHON (default /usr/bin/python3).

set -eu -o pipefail
export LC_ALL=C
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost

top=$(cd "$(dirname "$0")/.." && pwd)
bench=overhead.sh
. "$top/bench/lib.sh"
runs=5
sizes="1000 10000"
server=nginx
write=1
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--sizes) sizes=$2; shift ;;
	--server) server=$2; shift ;;
	--no-write) write=0 ;;
	-h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "overhead.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*) runs=0 ;; esac
[ "$runs" -ge 5 ] || { echo "overhead.sh: --runs must be at least 5" >&2; exit 2; }

T0=$(date +%s)
load0=$(load)
PY=/usr/bin/python3
TARGET_PYTHON=${TARGET_PYTHON:-/usr/bin/python3}
bench_workdir "$top/bench/.cache/overhead"
# ---- wbgen, built from this tree
bench_wbgen
# an out-of-tree build has no rules/ beside the binary: the Makefiles must include the source's
if [ -z "${WBGEN_PKGDATADIR:-}" ] && [ ! -f "$(dirname "$WBGEN")/rules/wbgen.mk" ]; then
	export WBGEN_PKGDATADIR=$top/rules
fi
TIME=/usr/bin/time
[ -x "$TIME" ] || die "/usr/bin/time is missing (apt-get install time): it gives the peak memory"

# ---- nginx on the indexes' parent directory (each index under /NAME/simple/)
SRV_PID=
SRV_DIR=$W/server
cleanup() {
	if [ -n "$SRV_PID" ]; then
		kill -TERM "$SRV_PID" 2>/dev/null || true
		wait "$SRV_PID" 2>/dev/null || true
		SRV_PID=
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
NGINX=$(command -v nginx || true)
[ -n "$NGINX" ] || [ ! -x /usr/sbin/nginx ] || NGINX=/usr/sbin/nginx
if [ "$server" = nginx ] && [ -z "$NGINX" ]; then
	say "nginx is not installed (apt-get install nginx-light): a file:// index instead"
	server=file
fi
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_nginx() { # start_nginx PORT (the same configuration as bench/resolve.sh, rooted at $W)
	local port=$1 _
	rm -rf "$SRV_DIR"
	mkdir -p "$SRV_DIR/tmp"
	{
		[ "$(id -u)" != 0 ] || echo "user root;"
		cat <<EOF
worker_processes 1;
pid $SRV_DIR/nginx.pid;
error_log $SRV_DIR/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $SRV_DIR/tmp/body;
	proxy_temp_path $SRV_DIR/tmp/proxy;
	fastcgi_temp_path $SRV_DIR/tmp/fastcgi;
	uwsgi_temp_path $SRV_DIR/tmp/uwsgi;
	scgi_temp_path $SRV_DIR/tmp/scgi;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 60;
	keepalive_requests 100000;
	absolute_redirect off;
	etag on;
	types {
		text/html html;
		application/vnd.pypi.simple.v1+json json;
		text/plain metadata;
	}
	default_type application/octet-stream;
	map \$http_accept \$simple_page {
		default index.html;
		"~*application/vnd\.pypi\.simple\.(v1|latest)\+json" index.json;
	}
	server {
		listen 127.0.0.1:$port;
		root $W;
		location ~ ^/[^/]+/simple/ {
			index \$simple_page index.html;
			add_header Vary Accept always;
			add_header Cache-Control "max-age=0" always;
		}
		location ~ ^/[^/]+/packages/ {
			add_header Cache-Control "max-age=31536000, immutable";
		}
	}
}
EOF
	} >"$SRV_DIR/nginx.conf"
	"$NGINX" -p "$SRV_DIR" -c "$SRV_DIR/nginx.conf" -e "$SRV_DIR/error.log" -g 'daemon off;' \
		</dev/null >>"$SRV_DIR/stderr.log" 2>&1 &
	SRV_PID=$!
	for _ in $(seq 100); do
		port_open "$port" && return 0
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.05
	done
	SRV_PID=
	return 1
}
server_version="none (file:// index)"
if [ "$server" = nginx ]; then
	PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	start_nginx "$PORT" || die "nginx did not start ($(tail -n 1 "$SRV_DIR/error.log" 2>/dev/null || true))"
	server_version=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
elif [ "$server" != file ]; then
	die "--server wants nginx or file, not '$server'"
fi

# timed NAME COMMAND...: wall seconds, peak RSS (kB), user and system seconds appended to $W/NAME.times
timed() {
	local name=$1
	shift
	"$TIME" -f '%e %M %U %S' -o "$W/time.out" "$@" >/dev/null 2>"$W/$name.err" || {
		cat "$W/$name.err" >&2
		die "$name failed: $*"
	}
	tail -n 1 "$W/time.out" >>"$W/$name.times"
}
nofsync=
if printf 'int fsync(int f) { (void)f; return 0; }\nint fdatasync(int f) { (void)f; return 0; }\n' >"$W/nofsync.c" &&
   "${CC:-cc}" -shared -fPIC -O2 -o "$W/nofsync.so" "$W/nofsync.c" 2>/dev/null; then
	nofsync=$W/nofsync.so
fi

rm -f "$W"/*.times
: >"$W/sizes"
for n in $sizes; do
	index=$(bench_realistic_index "$n")
	if [ "$server" = nginx ]; then url=http://127.0.0.1:$PORT/$(basename "$index")/simple/; else url=file://$index/simple/; fi
	out=$W/out-$n cache=$W/cache-$n
	res=("$WBGEN" resolve -r "$index.requirements.txt" --index-url "$url" --python "$TARGET_PYTHON" --cache-dir "$cache" -o)
	la=$(load)
	say "$n packages (load $la): cold resolve"
	rm -rf "$out" "$out"-[ef]* "$cache"
	timed "cold-$n" "${res[@]}" "$out"
	npk=$("$PY" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["packages"]))' "$out/plan.json")
	er=$runs
	say "  warm cache, empty output directory ($er runs)"
	# (each into a directory of its own, all removed at the end: ext4 allocates inodes slowly next
	# to many recently deleted ones, so removing one output just before the next would slow it)
	for k in $(seq "$er"); do timed "warm-empty-$n" "${res[@]}" "$out-e$k"; done
	say "  warm cache, output present and unchanged ($runs runs)"
	for _ in $(seq "$runs"); do timed "warm-same-$n" "${res[@]}" "$out"; done
	if [ -n "$nofsync" ]; then
		say "  diagnostic: warm cache, empty output, fsync a no-op ($er runs)"
		for k in $(seq "$er"); do LD_PRELOAD=$nofsync timed "nofsync-$n" "${res[@]}" "$out-f$k"; done
	fi
	lb=$(load)
	say "  fake build, then no-op make ($runs runs each of make, the inner make alone, make -q)"
	"$PY" -B "$top/bench/fake_built.py" "$out" >&2
	# a first run reads everything into the page cache
	make -C "$out" >"$W/noop-$n.out" 2>&1 || die "make -C $out failed: $(tail -n 3 "$W/noop-$n.out")"
	for _ in $(seq "$runs"); do
		timed "noop-$n" make -C "$out"
		timed "inner-$n" make -C "$out" WBGEN_INNER=1
		timed "q-$n" make -C "$out" -q
	done
	make -C "$out" >"$W/noop-$n.out" 2>&1
	grep -q ' 0 phases run' "$W/noop-$n.out" || die "the no-op make of $out ran something: $(cat "$W/noop-$n.out")"
	make -C "$out" -q || die "make -q: the faked build of $out is not up to date"
	echo "$n $npk $(wc -c <"$out/Makefile") $(find "$out/work" -name '*.mk' | wc -l) $la|$lb|$(load)" >>"$W/sizes"
done
for n in $sizes; do rm -rf "$W/out-$n" "$W/out-$n"-[ef]*; done
cleanup
load1=$(load)

bench_machine
cmdline="bench/overhead.sh"
[ "$runs" = 5 ] || cmdline="$cmdline --runs $runs"
[ "$sizes" = "1000 10000" ] || cmdline="$cmdline --sizes \"$sizes\""
[ "$server" = nginx ] || cmdline="$cmdline --server $server"
report=$W/report.md
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs ($cpu), $mem RAM, Linux $(uname -r);"
	echo "wbgen $commit (CFLAGS \`$cflags\`), $(make --version | sed -n 1p), server $server_version."
	echo
	echo "Reproduce: \`autoreconf -fi && ./configure -q && make -j2 && $cmdline\`"
	echo
	"$PY" -B - "$W" "$runs" "$nofsync" <<'EOF'
import os, statistics as st, sys
W, runs, nofsync = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def col(name, k=0, scale=1.0):
    path = os.path.join(W, name + ".times")
    return [float(line.split()[k]) * scale for line in open(path)] if os.path.exists(path) else []

def fmt(v, unit="s"):
    if not v:
        return "-"
    return "%.2f %s (%.2f-%.2f)" % (st.median(v), unit, min(v), max(v))

rows = [line.strip().split(None, 4) for line in open(os.path.join(W, "sizes"))]
print("Medians (min-max) of %d runs (the cold resolve: one); times from `/usr/bin/time` (10 ms resolution). Peak memory: the maximum resident set size (`/usr/bin/time`)." % runs)
print()
print("| packages (in the plan) | Makefile | load before / after resolve / after make | run | wall | CPU (user + system) | peak memory | target |")
print("|---|---|---|---|---|---|---|---|")
for n, npk, mk, nmk, loads in rows:
    la, lb, lc = loads.split("|")
    first = "%s (%s) | %d kB | %s / %s / %s" % (n, npk, int(mk) // 1024, la, lb, lc)
    big = int(n) >= 10000
    lines = [
        ("`wbgen resolve`, cold: empty cache, empty output", "cold-%s" % n, ""),
        ("`wbgen resolve`, warm cache, empty output (writes the Makefile, the plan, %s sdists and pkg.json files)" % npk,
         "warm-empty-%s" % n, "< 2 s" if big else ""),
        ("`wbgen resolve`, warm cache, output present and unchanged", "warm-same-%s" % n, ""),
    ]
    if nofsync:
        lines.append(("diagnostic: warm cache, empty output, fsync a no-op (LD_PRELOAD)", "nofsync-%s" % n, ""))
    for i, (label, name, target) in enumerate(lines):
        v, rss = col(name, 0), col(name, 1, 1 / 1024)
        cpu = [a + b for a, b in zip(col(name, 2), col(name, 3))]
        t = ""
        if target:
            t = target + ": " + ("met" if v and st.median(v) < float(target.split()[1]) else "**not met**")
            t += " (CPU alone: %s)" % ("under" if cpu and st.median(cpu) < float(target.split()[1]) else "over")
        print("| %s | %s | %s | %s | %s | %s |" % (first if i == 0 else " | | ", label, fmt(v), fmt(cpu),
              "%.0f MiB" % max(rss) if rss else "-", t))
    for i, (label, name, target) in enumerate([
        ("no-op `make` (everything up to date: the outer make, `wbgen step run`, the inner make)", "noop-%s" % n,
         "< 3 s" if big else "< 0.3 s"),
        ("the inner make alone (`make WBGEN_INNER=1`%s)" % (": reads %s fragments" % nmk if nmk != "0" else ""),
         "inner-%s" % n, ""),
        ("`make -q` (the same rules, nothing run)" if nmk == "0" else
         "`make -q` (no fragments read, every package taken as known)", "q-%s" % n, ""),
    ]):
        v = col(name, 0)
        cpu = [a + b for a, b in zip(col(name, 2), col(name, 3))]
        t = ""
        if target:
            t = target + ": " + ("met" if st.median(v) < float(target.split()[1]) else "**not met**")
            t += " (CPU alone: %s)" % ("under" if cpu and st.median(cpu) < float(target.split()[1]) else "over")
        print("| | | | %s | %s | %s | %s | %s |" % (label, fmt(v), fmt(cpu),
              "%.0f MiB" % (max(col(name, 1)) / 1024), t))
EOF
	echo
	echo "Bench wall time $(( $(date +%s) - T0 )) s; load average at the start $load0, at the end $load1."
} >"$report"
echo
cat "$report"
if [ "$write" = 1 ]; then
	bench_write_results "$report" "bench/overhead.sh results"
fi
