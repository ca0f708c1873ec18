# target.sh: `wbgen target` against the interpreter configure found.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"

# A real interpreter binary: "#!" wrappers (such as pyenv shims) are never cached.
PY=${REF_PYTHON:-/usr/bin/python3}
export XDG_CACHE_HOME="$TMP/cache"

ok "the configured python3 describes itself" sh -c '"$WBGEN" target --python "$1" | grep -q "^  py3-none-any$"' - \
	"${WBGEN_TEST_PYTHON:-python3}"

ok "text output lists markers and tags" sh -c '"$WBGEN" target --python "$1" >"$2/t.txt" &&
	grep -q "^  python_full_version: [0-9]" "$2/t.txt" && grep -q "^  py3-none-any$" "$2/t.txt"' - "$PY" "$TMP"
ok "text output shows the interpreter given and the one used (its real path)" sh -c '
	grep -qx "given: $1" "$2/t.txt" && grep -qx "executable: $(readlink -f "$1")" "$2/t.txt"' - "$PY" "$TMP"
ok "the answer was cached under XDG_CACHE_HOME" sh -c 'ls "$1"/wbgen/python-*.json' - "$TMP/cache"
ok "--json is valid JSON with markers and tags" sh -c '"$WBGEN" target --python="$1" --json >"$2/t.json" &&
	"$1" -c "import json, sys; d = json.load(open(sys.argv[1])); assert d[\"tags\"][-1] == \"py30-none-any\", d; assert d[\"markers\"][\"implementation_name\"]" "$2/t.json"' - "$PY" "$TMP"
ok "--json: given and executable" "$PY" -c 'import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["given"] == sys.argv[2] and d["executable"] == os.path.realpath(sys.argv[2]) and "note" not in d, d' "$TMP/t.json" "$PY"
printf '#!/bin/sh\nexec %s "$@"\n' "$PY" >"$TMP/wrapper"
chmod +x "$TMP/wrapper"
ok "a wrapper script: given, and the interpreter it runs used" sh -c '"$WBGEN" target --python "$1" >"$2/w.txt" &&
	grep -qx "given: $1" "$2/w.txt" && grep -qx "executable: $(readlink -f "$3")" "$2/w.txt"' - "$TMP/wrapper" "$TMP" "$PY"
ok "--no-cache and --cache-dir" sh -c '"$WBGEN" target --python "$1" --no-cache --cache-dir "$2/other" >/dev/null &&
	! test -e "$2/other" && "$WBGEN" target --python "$1" --cache-dir "$2/other" >/dev/null && ls "$2"/other/python-*.json' - "$PY" "$TMP"
ok "cached and uncached answers agree" sh -c '"$WBGEN" target --python "$1" --json >"$2/a" && "$WBGEN" target --python "$1" --no-cache --json >"$2/b" && cmp "$2/a" "$2/b"' - "$PY" "$TMP"
ok "default interpreter: python3 on PATH" sh -c '"$WBGEN" target --no-cache | grep -q "^given: .*/python3$"'
ok "--help shows usage" sh -c '"$WBGEN" target --help | grep -q "^usage: wbgen target"'
fails 2 "unknown option exits 2" "$WBGEN" target --frobnicate
ok "unknown option error names it" sh -c '"$WBGEN" target --frobnicate 2>&1 | grep -q "unknown option .--frobnicate."'
fails 2 "--python without a value exits 2" "$WBGEN" target --python
fails 2 "a stray argument exits 2" "$WBGEN" target stray
fails 1 "a missing interpreter exits 1" "$WBGEN" target --python wbgen-no-such-python
ok "a missing interpreter is one line naming it" sh -c \
	'"$WBGEN" target --python wbgen-no-such-python 2>&1 | { read -r l; ! read -r _ && case $l in *"wbgen-no-such-python"*"not found"*) true;; *) false;; esac; }'
printf '#!/bin/sh\necho oops >&2\nexit 4\n' >"$TMP/bad-python"
chmod +x "$TMP/bad-python"
fails 1 "a failing interpreter exits 1" "$WBGEN" target --python "$TMP/bad-python"
ok "a failing interpreter's error quotes its stderr" sh -c '"$WBGEN" target --python "$1" 2>&1 | grep -q "failed (exit status 4): oops"' - "$TMP/bad-python"

done_testing
