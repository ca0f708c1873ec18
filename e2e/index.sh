# index.sh: package index fixtures for e2e tests; source it after lib.sh.
#
#   dir=$(index_build basic)              # or tree, or big n=200 m=3, or a path
#   index_serve "$dir" --fault '/simple/foo-bar/=status,status=503,times=1'
#   "$WBGEN" ... --index-url "$INDEX_URL"
#   index_count /simple/foo-bar/          # how many requests the server saw
#
# Servers stop when the test exits (at_exit), when the test shell dies (they
# poll its pid) and after $INDEX_LIFETIME seconds in any case.
# See docs/testing-index.md.

INDEX_PYTHON=${INDEX_PYTHON:-/usr/bin/python3}
INDEX_FIXTURES="${WBGEN_SRCDIR:-.}/e2e/fixtures"
if [ -n "${WBGEN_FIXTURE_CACHE:-}" ]; then
	INDEX_CACHE=$WBGEN_FIXTURE_CACHE
elif [ -n "${WBGEN_TESTS_BUILDDIR:-}" ]; then
	INDEX_CACHE=$(dirname "$WBGEN_TESTS_BUILDDIR")/e2e-fixtures
else
	INDEX_CACHE=$TMP/e2e-fixtures
fi
index_n=0
index_pids=
at_exit index_stop

# index_scenario NAME: the scenario file for a name in e2e/fixtures/scenarios/
# (or NAME itself when it is a path).
index_scenario() {
	case $1 in
	*/*) echo "$1" ;;
	*)
		for _ix_ext in json py; do
			if [ -f "$INDEX_FIXTURES/scenarios/$1.$_ix_ext" ]; then
				echo "$INDEX_FIXTURES/scenarios/$1.$_ix_ext"
				return 0
			fi
		done
		echo "index_scenario: no scenario '$1'" >&2
		return 1 ;;
	esac
}

# index_build SCENARIO [KEY=VALUE]...: build SCENARIO once and print its
# directory.  The result is cached under the build directory, keyed by the
# scenario, its parameters, the fixture code and the Debian inputs.
index_build() {
	_ix_scen=$(index_scenario "$1") || return 1
	shift
	_ix_key=$({
		cat "$_ix_scen" "$INDEX_FIXTURES/mkindex.py" "$INDEX_FIXTURES/tinybuild.py" \
			"$INDEX_FIXTURES/scenario_kit.py"
		printf 'param %s\n' "$@"
		ls -l --time-style=+%s /usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl \
			/usr/lib/python3/dist-packages/wheel-0.38.4.egg-info 2>&1
	} | sha256sum | cut -c1-16)
	_ix_base=${_ix_scen##*/}
	_ix_dir=$INDEX_CACHE/${_ix_base%.*}-$_ix_key
	if [ ! -d "$_ix_dir" ]; then
		mkdir -p "$INDEX_CACHE"
		_ix_n=$#
		for _ix_p; do
			set -- "$@" --param "$_ix_p"
		done
		shift "$_ix_n"
		"$INDEX_PYTHON" -B "$INDEX_FIXTURES/mkindex.py" --if-missing \
			"$_ix_scen" "$_ix_dir" "$@" >&2 || return 1
	fi
	echo "$_ix_dir"
}

# index_serve DIR [serve.py options]...: serve DIR on 127.0.0.1 in the
# background and wait until it accepts connections.  Sets INDEX_URL
# (http://127.0.0.1:PORT/simple/), INDEX_BASE (without simple/), INDEX_PORT,
# INDEX_LOG (the request log) and INDEX_PID.  Call it in the test's own shell,
# not in $(...), so that the variables and the cleanup stay with the test.
index_serve() {
	_ix_dir=$1
	shift
	index_n=$((index_n + 1))
	_ix_pf=$TMP/index.$index_n.port
	INDEX_LOG=$TMP/index.$index_n.log
	: >"$INDEX_LOG"
	"$INDEX_PYTHON" -B "$INDEX_FIXTURES/serve.py" --root "$_ix_dir" --port-file "$_ix_pf" \
		--log "$INDEX_LOG" --parent-pid $$ --lifetime "${INDEX_LIFETIME:-600}" "$@" \
		</dev/null >"$TMP/index.$index_n.err" 2>&1 &
	INDEX_PID=$!
	index_pids="$INDEX_PID $index_pids"
	_ix_i=0
	while [ ! -s "$_ix_pf" ]; do
		if ! kill -0 "$INDEX_PID" 2>/dev/null || [ "$_ix_i" -ge 200 ]; then
			echo "index_serve: the server did not start" >&2
			cat "$TMP/index.$index_n.err" >&2
			index_stop "$INDEX_PID"
			return 1
		fi
		_ix_i=$((_ix_i + 1))
		sleep 0.05
	done
	INDEX_PORT=$(cat "$_ix_pf")
	INDEX_BASE=http://127.0.0.1:$INDEX_PORT/
	INDEX_URL=${INDEX_BASE}simple/
	export INDEX_URL INDEX_BASE INDEX_PORT INDEX_LOG INDEX_PID
}

# index_stop [PID]...: stop the given servers (default: all of this test's).
index_stop() {
	# shellcheck disable=SC2086 # a list of pids, split on purpose
	[ $# -gt 0 ] || set -- $index_pids
	for _ix_pid; do
		kill "$_ix_pid" 2>/dev/null || true
		wait "$_ix_pid" 2>/dev/null || true
		index_pids=$(echo " $index_pids " | sed "s/ $_ix_pid / /; s/^ *//; s/ *\$//")
	done
}

# index_count PATH [STATUS]: how many requests for PATH (with STATUS) the
# last started server logged.
index_count() {
	awk -F '\t' -v p="$1" -v s="${2:-}" '$2 == p && (s == "" || $3 == s)' "$INDEX_LOG" | wc -l
}

# index_sha256 DIR FILENAME: the sha256 the fixture manifest records for FILENAME.
index_sha256() {
	"$INDEX_PYTHON" -c 'import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
print([f["sha256"] for p in m["projects"].values() for f in p["files"] if f["filename"] == sys.argv[2]][0])' "$1" "$2"
}
