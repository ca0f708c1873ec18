# target.sh: `wbgen target` against the interpreter configure found.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"

# A real interpreter binary: "#!" wrappers (such as pyenv shims) are never cached.
PY=${REF_PYTHON:-/usr/bin/python3}
export XDG_CACHE_HOME="$TMP/cache"

test_expect_success "the configured python3 describes itself" \
	'"$WBGEN" target --python "${WBGEN_TEST_PYTHON:-python3}" | grep -q "^  py3-none-any$"'

test_expect_success "text output lists markers and tags" '"$WBGEN" target --python "$PY" >"$TMP/t.txt" &&
	grep -q "^  python_full_version: [0-9]" "$TMP/t.txt" && grep -q "^  py3-none-any$" "$TMP/t.txt"'
test_expect_success "text output shows the interpreter given and the one used (its real path)" '
	grep -qx "given: $PY" "$TMP/t.txt" && grep -qx "executable: $(readlink -f "$PY")" "$TMP/t.txt"'
test_expect_success "the answer was cached under XDG_CACHE_HOME" 'ls "$TMP/cache"/wbgen/python-*.json'
test_expect_success "--json is valid JSON with markers and tags" \
	'"$WBGEN" target --python="$PY" --json >"$TMP/t.json" &&
	"$PY" -c "import json, sys; d = json.load(open(sys.argv[1])); assert d[\"tags\"][-1] == \"py30-none-any\", d; assert d[\"markers\"][\"implementation_name\"]" "$TMP/t.json"'
ok "--json: given and executable" "$PY" -c 'import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["given"] == sys.argv[2] and d["executable"] == os.path.realpath(sys.argv[2]) and "note" not in d, d' "$TMP/t.json" "$PY"
printf '#!/bin/sh\nexec %s "$@"\n' "$PY" >"$TMP/wrapper"
chmod +x "$TMP/wrapper"
test_expect_success "a wrapper script: given, and the interpreter it runs used" \
	'"$WBGEN" target --python "$TMP/wrapper" >"$TMP/w.txt" &&
	grep -qx "given: $TMP/wrapper" "$TMP/w.txt" && grep -qx "executable: $(readlink -f "$PY")" "$TMP/w.txt"'
test_expect_success "--no-cache and --cache-dir" \
	'"$WBGEN" target --python "$PY" --no-cache --cache-dir "$TMP/other" >/dev/null &&
	! test -e "$TMP/other" && "$WBGEN" target --python "$PY" --cache-dir "$TMP/other" >/dev/null && ls "$TMP"/other/python-*.json'
test_expect_success "cached and uncached answers agree" \
	'"$WBGEN" target --python "$PY" --json >"$TMP/a" && "$WBGEN" target --python "$PY" --no-cache --json >"$TMP/b" && cmp "$TMP/a" "$TMP/b"'
test_expect_success "default interpreter: python3 on PATH" '"$WBGEN" target --no-cache | grep -q "^given: .*/python3$"'
test_expect_success "--help shows usage" '"$WBGEN" target --help | grep -q "^usage: wbgen target"'
fails 2 "unknown option exits 2" "$WBGEN" target --frobnicate
test_expect_success "unknown option error names it" \
	'"$WBGEN" target --frobnicate 2>&1 | grep -q "unknown option .--frobnicate."'
fails 2 "--python without a value exits 2" "$WBGEN" target --python
fails 2 "a stray argument exits 2" "$WBGEN" target stray
fails 1 "a missing interpreter exits 1" "$WBGEN" target --python wbgen-no-such-python
test_expect_success "a missing interpreter is one line naming it" \
	'"$WBGEN" target --python wbgen-no-such-python 2>&1 | { read -r l; ! read -r _ && case $l in *"wbgen-no-such-python"*"not found"*) true;; *) false;; esac; }'
printf '#!/bin/sh\necho oops >&2\nexit 4\n' >"$TMP/bad-python"
chmod +x "$TMP/bad-python"
fails 1 "a failing interpreter exits 1" "$WBGEN" target --python "$TMP/bad-python"
test_expect_success "a failing interpreter's error quotes its stderr" \
	'"$WBGEN" target --python "$TMP/bad-python" 2>&1 | grep -q "failed (exit status 4): oops"'

done_testing
