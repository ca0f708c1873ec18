# python.sh: the target interpreter is resolved once to the real executable. A wrapper script (as
# pyenv, asdf and conda put on PATH) given as --python runs for resolve's query only: the Makefile,
# every pkg.json and the build environments name the interpreter it runs, and no phase runs it.
# A venv's python stands for its base interpreter, a symbolic link chain for its end; a wrapper
# whose interpreter cannot be used on its own is used as given, with a note.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"

PY=/usr/bin/python3
REAL=$(readlink -f "$PY")
export XDG_CACHE_HOME="$TMP/xdg"
idx=$(index_build basic)
URL="file://$idx/simple/"
LOG=$TMP/wrapper.log
W=$TMP/bin/python3
mkdir -p "$TMP/bin"
printf '#!/bin/sh\necho ran >>"%s"\nexec %s "$@"\n' "$LOG" "$PY" >"$W"
chmod +x "$W"
runs() { if [ -f "$LOG" ]; then wc -l <"$LOG"; else echo 0; fi; }
res() { _o=$1; _py=$2; shift 2; "$WBGEN" resolve --python "$_py" --cache-dir "$TMP/cache" -o "$_o" --index-url "$URL" "$@"; }
# pyget FILE EXPR: print EXPR of the JSON document d in FILE
printf '#!%s\nimport json, sys\nd = json.load(open(sys.argv[1]))\nprint(eval(sys.argv[2]))\n' "$PY" >"$TMP/pyget"
chmod +x "$TMP/pyget"
PATH=$TMP:$PATH

# (a) a wrapper script
test_expect_success "target: given and used" '"$WBGEN" target --python "$W" >"$TMP/t.txt" &&
	grep -qx "given: $W" "$TMP/t.txt" && grep -qx "executable: $REAL" "$TMP/t.txt" && ! grep -q "^note:" "$TMP/t.txt"'
test_expect_success "... in the JSON too" '"$WBGEN" target --python "$W" --json >"$TMP/t.json" &&
	test "$(pyget "$TMP/t.json" "d[\"given\"], d[\"executable\"], \"note\" in d")" = "($SQ$W$SQ, $SQ$REAL$SQ, False)"'
rm -f "$LOG"
O=$TMP/o
ok "resolve with the wrapper" res "$O" "$W" foo.bar
ok "... ran it once (the query)" test "$(runs)" = 1
ok "... the Makefile's WBGEN_PYTHON is the real interpreter" grep -qx "WBGEN_PYTHON := $REAL" "$O/Makefile"
ok "... and says what was given" grep -qF "# the interpreter that --python $W runs" "$O/Makefile"
test_expect_success "... every pkg.json's python is it" 'n=0; for f in "$O"/work/*/pkg.json; do
	test "$(pyget "$f" "d[\"python\"]")" = "$REAL" || exit 1; n=$((n + 1)); done; test $n -ge 3'
test_expect_success "... plan.json records both" \
	'test "$(pyget "$O/plan.json" "d[\"target\"][\"executable\"], d[\"target\"][\"given\"]")" = "($SQ$REAL$SQ, $SQ$W$SQ)"'
test_expect_success "... resolve-args.json keeps what was given" \
	'pyget "$O/resolve-args.json" "d[\"argv\"]" | grep -qF "$W"'
ok "make builds the tree" make -C "$O" --no-print-directory -j2
test_expect_success "... every wheel" \
	'ls "$O"/wheels-repo/simple/foo-bar/foo_bar-1.1-*.whl "$O"/wheels-repo/simple/six-ish/*.whl "$O"/wheels-repo/simple/tinybuild/*.whl'
ok "... and no phase ran the wrapper" test "$(runs)" = 1
test_expect_success "... the build environments are the real interpreter's" \
	'n=0; for f in "$O"/work/*/env/pyvenv.cfg; do
	grep -qx "executable = $REAL" "$f" && grep -qx "home = ${REAL%/*}" "$f" || exit 1; n=$((n + 1)); done; test $n -ge 1'
test_expect_success "... no log names the wrapper" '! grep -rqF "$W" "$O/logs"'
test_expect_success "a second make runs nothing, nor the wrapper" \
	'make -C "$O" --no-print-directory -j2 | grep -q "^wbgen: 0 phases run" && test "$(wc -l <"$LOG")" = 1'
test_expect_success "resolving again with the interpreter itself: the same Makefile but for the comment" '
	grep -v "^# the interpreter that" "$O/Makefile" >"$O.mk1" && cp -r "$O/work" "$O.work1" &&
	"$WBGEN" resolve --python "$REAL" --cache-dir "$TMP/cache" -o "$O" --index-url "$URL" foo.bar &&
	cmp "$O.mk1" "$O/Makefile" && diff -r "$O.work1" "$O/work" >/dev/null'
ok "... so make has nothing to do" make -C "$O" --no-print-directory -q

# (b) a venv's python stands for its base interpreter (a symlink venv, and one with --copies)
"$PY" -m venv --without-pip "$TMP/venv"
"$PY" -m venv --without-pip --copies "$TMP/venvc"
for v in venv venvc; do
	test_expect_success "$v: target uses the base interpreter" \
		'"$WBGEN" target --python "$TMP/$v/bin/python" >"$TMP/v.txt" &&
		grep -qx "given: $TMP/$v/bin/python" "$TMP/v.txt" && grep -qx "executable: $REAL" "$TMP/v.txt"'
	test_expect_success "$v: resolve records it" \
		'"$WBGEN" resolve --python "$TMP/$v/bin/python" --cache-dir "$TMP/o-$v.cache" \
		-o "$TMP/o-$v" --index-url "$URL" foo.bar && grep -qx "WBGEN_PYTHON := $REAL" "$TMP/o-$v/Makefile" &&
		grep -qF "\"python\": \"$REAL\"" "$TMP/o-$v/work/foo-bar-1.1/pkg.json"'
done

# (c) a chain of symbolic links, given relative to the current directory
ln -s "$PY" "$TMP/bin/link1"
ln -s link1 "$TMP/bin/link2"
ln -s "$W" "$TMP/bin/wlink"
test_expect_success "a symlink chain resolves to its end" \
	'cd "$TMP/bin" && "$WBGEN" target --python ./link2 >"$TMP/l.txt" &&
	grep -qx "given: ./link2" "$TMP/l.txt" && grep -qx "executable: $REAL" "$TMP/l.txt"'
test_expect_success "a symlink to the wrapper resolves to what it runs" \
	'"$WBGEN" target --python "$TMP/bin/wlink" | grep -qx "executable: $REAL"'
test_expect_success "a name on PATH: found, then resolved" \
	'PATH="$TMP/bin:$PATH" "$WBGEN" target --python link2 >"$TMP/p.txt" &&
	grep -qx "given: $TMP/bin/link2" "$TMP/p.txt" && grep -qx "executable: $REAL" "$TMP/p.txt"'

# (d) a wrapper whose interpreter is not usable on its own: used as given, with a note
printf '#!/bin/sh\nexit 3\n' >"$TMP/bin/broken"
printf '#!/bin/sh\n%s "$@" | sed "s|\\"target\\": \\"[^\\"]*\\"|\\"target\\": \\"%s\\"|"\n' "$PY" "$TMP/bin/broken" >"$TMP/bin/odd"
chmod +x "$TMP/bin/broken" "$TMP/bin/odd"
test_expect_success "a target that does not run on its own: the wrapper is used, with a note" \
	'"$WBGEN" target --python "$TMP/bin/odd" >"$TMP/o.txt" &&
	grep -qx "executable: $TMP/bin/odd" "$TMP/o.txt" && grep -q "^note: .*does not run on its own" "$TMP/o.txt"'
test_expect_success "... resolve warns and records the wrapper" \
	'"$WBGEN" resolve --python "$TMP/bin/odd" --cache-dir "$TMP/cache" -o "$TMP/o-odd" \
	--index-url "$URL" foo.bar 2>"$TMP/odd.err" && grep -q "^wbgen: warning: .*does not run on its own" "$TMP/odd.err" &&
	grep -qx "WBGEN_PYTHON := $TMP/bin/odd" "$TMP/o-odd/Makefile"'
test_expect_success "a wrapper that is no Python fails as before" \
	'! "$WBGEN" target --python "$TMP/bin/broken" 2>"$TMP/b.err" &&
	grep -q "failed (exit status 3)" "$TMP/b.err"'

done_testing
