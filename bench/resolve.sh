#!/bin/bash
# bench/resolve.sh: time `wbgen resolve` cold and warm against a synthetic index of
# 2,000 projects served on 127.0.0.1, next to pip's resolver on the same index.
# See docs/benchmarks.md (this script rewrites its results section).
#
# usage: bench/resolve.sh [--runs N] [--no-write] [--server nginx|serve.py]
#                         [--projects N] [--versions M] [--top T] [--seed S] [--serve]
#
# --runs N: timed runs of each pip variant (default and minimum 5); wbgen's variants,
# cheaper and noisier, get 2N.  --serve only builds and serves the index (for
# profiling), printing the URL and the requirements file, until interrupted.
#
# Environment: WBGEN (default build-dev/wbgen, rebuilt with make when build-dev
# exists), BENCH_WORK (default build-dev/bench: the index, caches, logs), PIP_PYTHON
# (the interpreter whose pip is timed: default /usr/bin/python3 when its pip has
# --report, else python3 on PATH), TARGET_PYTHON (default /usr/bin/python3), HYPERFINE
# (its path; empty: time with a shell loop).

set -eu -o pipefail
export LC_ALL=C
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost

top=$(cd "$(dirname "$0")/.." && pwd)
bench=resolve.sh
. "$top/bench/lib.sh"
runs=5
write=1
serve_only=0
server=
n=2000
m=10
ntop=10
seed=1
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--no-write) write=0 ;;
	--serve) serve_only=1 ;;
	--server) server=$2; shift ;;
	--projects) n=$2; shift ;;
	--versions) m=$2; shift ;;
	--top) ntop=$2; shift ;;
	--seed) seed=$2; shift ;;
	-h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "resolve.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*) runs=0 ;; esac
if [ "$runs" -lt 5 ]; then
	echo "resolve.sh: --runs must be at least 5 (medians of 5 or more)" >&2
	exit 2
fi

T0=$(date +%s)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
PY=/usr/bin/python3
TARGET_PYTHON=${TARGET_PYTHON:-/usr/bin/python3}
bench_workdir "$top/build-dev/bench"

# ---- wbgen, built from this tree
bench_wbgen

# ---- pip: Debian's if it has --report, else the one on PATH
if [ -z "${PIP_PYTHON:-}" ]; then
	PIP_PYTHON=/usr/bin/python3
	if ! "$PIP_PYTHON" -m pip install --help 2>/dev/null | grep -q -- '--report'; then
		PIP_PYTHON=$(command -v python3)
		say "Debian's pip lacks --report: using $PIP_PYTHON -m pip"
	fi
fi
# a clean pip: no user or site configuration, no PIP_* from the environment
for v in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
	PIP_ROOT_USER_ACTION=ignore PIP_BREAK_SYSTEM_PACKAGES=1 PYTHONDONTWRITEBYTECODE=1
pip_version=$("$PIP_PYTHON" -m pip --version | awk '{print $2}')

# ---- the index: built once per (generator, parameters), then reused
key=$(cat "$top/bench/scenario.py" "$top/e2e/fixtures/mkindex.py" "$top/e2e/fixtures/tinybuild.py" \
	| { cat; echo "n=$n m=$m seed=$seed"; } | sha256sum | cut -c1-12)
INDEX=$W/index-$n-$m-$seed-$key
if [ ! -d "$INDEX" ]; then
	say "building the index: $n projects x $m versions (sdist + wheel + PEP 658 metadata each) into $INDEX"
	t=$(date +%s)
	"$PY" -B "$top/e2e/fixtures/mkindex.py" "$top/bench/scenario.py" "$INDEX" --if-missing \
		--param n="$n" --param m="$m" --param seed="$seed"
	say "  built in $(( $(date +%s) - t )) s"
	for old in "$W/index-$n-$m-$seed"-*; do
		[ "$old" = "$INDEX" ] || [ ! -d "$old" ] || rm -rf "$old"
	done
fi
nfiles=$(find "$INDEX/packages" -type f | wc -l)
isize=$(du -sm "$INDEX" | cut -f1)
REQS=$W/requirements.txt
"$PY" -B "$top/bench/scenario.py" --requirements n="$n" m="$m" seed="$seed" top="$ntop" >"$REQS"

# ---- the server
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

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The bench's own tools, from Debian, when they are missing and apt-get can run (as root).
bench_tools=
command -v nginx >/dev/null || bench_tools="$bench_tools nginx-light"
command -v hyperfine >/dev/null || bench_tools="$bench_tools hyperfine"
if [ -n "$bench_tools" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
	echo "bench: installing$bench_tools" >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $bench_tools >/dev/null ||
		echo "bench: could not install$bench_tools; falling back" >&2
fi
NGINX=$(command -v nginx || true)
[ -n "$NGINX" ] || [ ! -x /usr/sbin/nginx ] || NGINX=/usr/sbin/nginx
if [ -z "$server" ]; then
	if [ -n "$NGINX" ]; then server=nginx; else server=serve.py; fi
fi

start_nginx() {
	local port=$1
	rm -rf "$SRV_DIR"
	mkdir -p "$SRV_DIR/tmp"
	{
		# root runs workers as nobody by default: keep our own user
		[ "$(id -u)" != 0 ] || echo "user root;"
		cat <<EOF
worker_processes 1;
pid $SRV_DIR/nginx.pid;
error_log $SRV_DIR/error.log warn;
events { worker_connections 1024; }
http {
	log_format bench '\$request_method\t\$uri\t\$status\t\$http_accept\t\$http_if_none_match\t-\t\$body_bytes_sent';
	access_log $SRV_DIR/access.log bench;
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
	# PEP 691 negotiation: the JSON form when the client accepts it, else HTML
	map \$http_accept \$simple_page {
		default index.html;
		"~*application/vnd\.pypi\.simple\.(v1|latest)\+json" index.json;
	}
	server {
		listen 127.0.0.1:$port;
		root $INDEX;
		location /simple/ {
			index \$simple_page index.html;
			add_header Vary Accept always;
			add_header Cache-Control "max-age=0" always;
		}
		location /packages/ {
			add_header Cache-Control "max-age=31536000, immutable";
		}
	}
}
EOF
	} >"$SRV_DIR/nginx.conf"
	"$NGINX" -p "$SRV_DIR" -c "$SRV_DIR/nginx.conf" -e "$SRV_DIR/error.log" -g 'daemon off;' \
		</dev/null >>"$SRV_DIR/stderr.log" 2>&1 &
	SRV_PID=$!
	SRV_LOG=$SRV_DIR/access.log
	local _
	for _ in $(seq 100); do
		port_open "$port" && return 0
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.05
	done
	SRV_PID=
	return 1
}

start_servepy() {
	rm -rf "$SRV_DIR"
	mkdir -p "$SRV_DIR"
	"$PY" -B "$top/e2e/fixtures/serve.py" --root "$INDEX" --port-file "$SRV_DIR/port" \
		--log "$SRV_DIR/access.log" --parent-pid $$ --lifetime 1200 </dev/null >"$SRV_DIR/stderr.log" 2>&1 &
	SRV_PID=$!
	SRV_LOG=$SRV_DIR/access.log
	local _
	for _ in $(seq 200); do
		[ -s "$SRV_DIR/port" ] && { PORT=$(cat "$SRV_DIR/port"); return 0; }
		sleep 0.05
	done
	return 1
}

server_note=
if [ "$server" = nginx ]; then
	[ -n "$NGINX" ] || die "--server nginx: nginx is not installed (apt-get install nginx-light)"
	started=0
	for _ in 1 2 3; do
		PORT=$(free_port)
		if start_nginx "$PORT"; then started=1; break; fi
	done
	if [ $started = 0 ]; then
		say "nginx did not start ($(tail -n 1 "$SRV_DIR/error.log" 2>/dev/null || true)); falling back to serve.py"
		server=serve.py
	fi
elif [ "$server" != serve.py ]; then
	die "--server wants nginx or serve.py, not '$server'"
fi
if [ "$server" = serve.py ]; then
	[ -n "$NGINX" ] || server_note="nginx is not installed (apt-get install nginx-light): "
	server_note="${server_note}serving with e2e/fixtures/serve.py, a single-threaded Python server; the timings include its latency"
	say "NOTE: $server_note"
	start_servepy || die "serve.py did not start: $(cat "$SRV_DIR/stderr.log")"
	server_version="serve.py (Python $("$PY" -c 'import platform; print(platform.python_version())'))"
else
	server_version=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
fi
URL=http://127.0.0.1:$PORT/simple/
say "index: $URL ($server_version), $nfiles files, $isize MB; requirements: $(wc -l <"$REQS") top-level in $REQS"
if [ "$serve_only" = 1 ]; then
	say "serving until interrupted; the log is $SRV_LOG"
	echo "$URL $REQS"
	wait "$SRV_PID" || true
	exit 0
fi

# ---- request counting from the server log
log_mark() { wc -l <"$SRV_LOG"; }
# log_count FROM: "N requests (a x 200, b x 304, c other), K kB" for the lines after FROM
log_count() {
	sleep 0.1 # nginx writes its log line after the response
	tail -n +"$(( $1 + 1 ))" "$SRV_LOG" | awk -F'\t' '
		{ n++; if ($3 == 200) a++; else if ($3 == 304) b++; else c++; if (NF >= 7) kb += $7 }
		END { printf "%d requests (%d x 200, %d x 304, %d other)", n, a, b, c
		      if (kb) printf ", %.0f kB", kb / 1024; printf "\n" }'
}

# ---- commands
WB_OUT=$W/wbgen-out
WB_CACHE=$W/wbgen-cache
WB_OUT2=$W/wbgen-out2
PIP_CACHE=$W/pip-cache
PIP_REPORT=$W/pip-report.json
wb_cmd="'$WBGEN' resolve -r '$REQS' --index-url '$URL' --python '$TARGET_PYTHON' -o '$WB_OUT' --cache-dir '$WB_CACHE'"
wb_cmd2="'$WBGEN' resolve -r '$REQS' --index-url '$URL' --python '$TARGET_PYTHON' -o '$WB_OUT2' --cache-dir '$WB_CACHE'"
pip_cmd="'$PIP_PYTHON' -m pip install --dry-run --ignore-installed --quiet --report '$PIP_REPORT' --index-url '$URL' --trusted-host 127.0.0.1 --cache-dir '$PIP_CACHE' -r '$REQS'"
# (pip caches HTTP only for https and trusted hosts: --trusted-host gives it its cache)

# once each, cold then warm, with the server log: counts and a correctness check
counted() { # counted LABEL COMMAND
	local mark out
	mark=$(log_mark)
	if ! out=$(sh -c "$2" 2>&1); then
		say "$out"
		die "$1 failed: $2"
	fi
	printf '%s' "$(log_count "$mark")"
}
say "one counted run of each (the server log gives the requests)"
rm -rf "$WB_OUT" "$WB_CACHE" "$WB_OUT2" "$PIP_CACHE"
req_wb_cold=$(counted "wbgen cold" "$wb_cmd")
req_wb_warm=$(counted "wbgen warm" "$wb_cmd")
req_wb_warm2=$(counted "wbgen warm cache, empty output" "$wb_cmd2")
req_pip_cold=$(counted "pip cold" "$pip_cmd")
req_pip_warm=$(counted "pip warm" "$pip_cmd")
npk=$(grep -c '==' "$WB_OUT/constraints.txt" || true)
npk_plan=$("$PY" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["packages"]))' "$WB_OUT/plan.json")
agree=$("$PY" - "$WB_OUT/constraints.txt" "$PIP_REPORT" <<'EOF'
import json, re, sys
canon = lambda n: re.sub(r"[-_.]+", "-", n).lower()
wb = {}
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if "==" in line:
        name, ver = line.split("==", 1)
        wb[canon(name)] = ver.strip()
pip = {canon(i["metadata"]["name"]): i["metadata"]["version"]
       for i in json.load(open(sys.argv[2]))["install"]}
diff = sorted(k for k in pip if wb.get(k) != pip[k])
only_wb = sorted(set(wb) - set(pip))
s = "%d packages from pip, %d from wbgen; %d differ" % (len(pip), len(wb), len(diff))
if diff:
    s += " (" + ", ".join("%s: pip %s, wbgen %s" % (k, pip[k], wb.get(k, "-")) for k in diff[:5]) + ")"
if only_wb:
    s += "; only in wbgen's plan: " + ", ".join(only_wb[:5]) + ("..." if len(only_wb) > 5 else "")
print(s)
EOF
)
say "  wbgen cold: $req_wb_cold"
say "  wbgen warm: $req_wb_warm"
say "  wbgen warm cache, empty output dir: $req_wb_warm2"
say "  pip cold: $req_pip_cold"
say "  pip warm: $req_pip_warm"
say "  versions: $agree"

# ---- timing: hyperfine when present, else a loop; median in seconds on stdout
HF=${HYPERFINE-$(command -v hyperfine || true)}
timer=${HF:+hyperfine $("$HF" --version | awk '{print $2}')}
timer=${timer:-a shell loop (no hyperfine)}
measure() { # measure NAME PREPARE COMMAND WARMUP RUNS: "median min max" in seconds into $W/NAME.result
	local name=$1 prep=$2 cmd=$3 warmup=$4 runs=$5 t0 t1
	say "timing $name ($runs runs)"
	if [ -n "$HF" ]; then
		local args=(--runs "$runs" --warmup "$warmup" --export-json "$W/$name.json" --style basic)
		[ -z "$prep" ] || args+=(--prepare "$prep")
		"$HF" "${args[@]}" "$cmd" >>"$W/hyperfine.log" 2>&1 || die "hyperfine failed on $name (see $W/hyperfine.log)"
		"$PY" -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f %.4f" % (r["median"], r["min"], r["max"]))' "$W/$name.json" >"$W/$name.result"
	else
		: >"$W/$name.times"
		for _ in $(seq "$warmup"); do sh -c "$prep" && sh -c "$cmd" >/dev/null 2>&1; done
		for _ in $(seq "$runs"); do
			[ -z "$prep" ] || sh -c "$prep"
			t0=$(date +%s%N)
			sh -c "$cmd" >/dev/null 2>&1 || die "$name failed: $cmd"
			t1=$(date +%s%N)
			echo $(( t1 - t0 )) >>"$W/$name.times"
		done
		sort -n "$W/$name.times" | awk '{ v[NR] = $1 / 1e9 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.4f %.4f %.4f\n", m, v[1], v[NR] }' >"$W/$name.result"
	fi
}
: >"$W/hyperfine.log"
wb_runs=$(( runs * 2 ))
measure wbgen-cold "rm -rf '$WB_OUT' '$WB_CACHE'" "$wb_cmd" 0 "$wb_runs"
measure wbgen-warm "" "$wb_cmd" 1 "$wb_runs"
measure wbgen-warm-cache-empty-out "rm -rf '$WB_OUT2'" "$wb_cmd2" 0 "$wb_runs"
# diagnostic: cold with fsync() and fdatasync() made no-ops (an LD_PRELOAD shim)
nofsync=
if command -v cc >/dev/null &&
   printf 'int fsync(int f) { (void)f; return 0; }\nint fdatasync(int f) { (void)f; return 0; }\n' >"$W/nofsync.c" &&
   cc -shared -fPIC -O2 -o "$W/nofsync.so" "$W/nofsync.c" 2>/dev/null; then
	nofsync=1
	measure wbgen-cold-nofsync "rm -rf '$WB_OUT' '$WB_CACHE'" "LD_PRELOAD='$W/nofsync.so' $wb_cmd" 0 "$wb_runs"
	read -r wb_nf wb_nf_min wb_nf_max <"$W/wbgen-cold-nofsync.result"
fi
measure pip-cold "rm -rf '$PIP_CACHE'" "$pip_cmd" 0 "$runs"
measure pip-warm "" "$pip_cmd" 0 "$runs"
read -r wb_cold wb_cold_min wb_cold_max <"$W/wbgen-cold.result"
read -r wb_warm wb_warm_min wb_warm_max <"$W/wbgen-warm.result"
read -r wb_warm2 wb_warm2_min wb_warm2_max <"$W/wbgen-warm-cache-empty-out.result"
read -r pip_cold pip_cold_min pip_cold_max <"$W/pip-cold.result"
read -r pip_warm pip_warm_min pip_warm_max <"$W/pip-warm.result"
cleanup

# ---- the report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
met() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = op == "<" ? v < t : v >= t; print ok ? "met" : "**not met**" }'; }
r_cold=$(ratio "$pip_cold" "$wb_cold")
r_warm=$(ratio "$pip_warm" "$wb_warm")
fmt() { awk -v v="$1" 'BEGIN { printf "%.3f", v }'; }
commit=$(git -C "$top" log -1 --format=%h -- gen cmd configure.ac Makefile.am 2>/dev/null || echo unknown)
[ -z "$(git -C "$top" status --porcelain -- gen cmd 2>/dev/null)" ] || commit="$commit + local changes"
cflags=$(sed -n 's/^CFLAGS = //p' "$top/build-dev/Makefile" 2>/dev/null || true)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
curlv=$(curl-config --version 2>/dev/null || ldd "$WBGEN" | sed -n 's/.*\(libcurl[^ ]*\).*/\1/p' | head -n 1)
cmdline="bench/resolve.sh"
[ "$runs" = 5 ] || cmdline="$cmdline --runs $runs"
[ "$n $m $ntop $seed" = "2000 10 10 1" ] || cmdline="$cmdline --projects $n --versions $m --top $ntop --seed $seed"
[ -z "${server_note}" ] || cmdline="$cmdline --server serve.py"

report=$W/report.md
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs ($cpu), $mem RAM, Linux $(uname -r);"
	echo "wbgen $commit (CFLAGS \`$cflags\`, $curlv), pip $pip_version ($PIP_PYTHON), server $server_version, timer $timer."
	echo "Load average before / after: $load0 / $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates the figures)."
	echo "Index: $n projects x $m versions, $nfiles files ($isize MB); $(wc -l <"$REQS") top-level requirements resolving to $npk packages on install paths, $npk_plan in wbgen's plan with the build backend."
	[ -z "$server_note" ] || echo "**Note: $server_note.**"
	echo
	echo "Reproduce: \`autoreconf -fi && mkdir -p build-dev && cd build-dev && ../configure -q && make -j2 && cd .. && $cmdline\`"
	echo
	echo "Medians of $wb_runs runs for wbgen, $runs for pip."
	echo
	echo "| run | wbgen median (min-max) | pip median (min-max) | pip / wbgen | target | |"
	echo "|---|---|---|---|---|---|"
	echo "| cold: empty caches, empty output | $(fmt "$wb_cold") s ($(fmt "$wb_cold_min")-$(fmt "$wb_cold_max")) | $(fmt "$pip_cold") s ($(fmt "$pip_cold_min")-$(fmt "$pip_cold_max")) | ${r_cold}x | wbgen < 3 s; >= 10x | $(met "$wb_cold" 3 '<'); $(met "$r_cold" 10 '>=') |"
	echo "| warm: caches and output present, nothing changed | $(fmt "$wb_warm") s ($(fmt "$wb_warm_min")-$(fmt "$wb_warm_max")) | $(fmt "$pip_warm") s ($(fmt "$pip_warm_min")-$(fmt "$pip_warm_max")) | ${r_warm}x | wbgen < 0.2 s; >= 10x | $(met "$wb_warm" 0.2 '<'); $(met "$r_warm" 10 '>=') |"
	echo "| wbgen: HTTP cache present, empty output (sdists downloaded again) | $(fmt "$wb_warm2") s ($(fmt "$wb_warm2_min")-$(fmt "$wb_warm2_max")) | | | | |"
	[ -z "$nofsync" ] || echo "| diagnostic: wbgen cold with fsync a no-op (LD_PRELOAD) | $(fmt "$wb_nf") s ($(fmt "$wb_nf_min")-$(fmt "$wb_nf_max")) | | $(ratio "$pip_cold" "$wb_nf")x | | |"
	echo
	echo "Requests per run (server log):"
	echo
	echo "- wbgen cold: $req_wb_cold"
	echo "- wbgen warm: $req_wb_warm"
	echo "- wbgen, HTTP cache present, empty output: $req_wb_warm2"
	echo "- pip cold: $req_pip_cold"
	echo "- pip warm: $req_pip_warm"
	echo
	echo "Versions chosen: $agree."
	echo
	echo "Bench wall time $(( $(date +%s) - T0 )) s."
} >"$report"

echo
cat "$report"
if [ "$write" = 1 ]; then
	bench_write_results "$report" "bench/resolve.sh results"
fi
