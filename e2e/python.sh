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
ok "target: given and used" sh -c '"$1" target --python "$2" >"$4/t.txt" &&
	grep -qx "given: $2" "$4/t.txt" && grep -qx "executable: $3" "$4/t.txt" && ! grep -q "^note:" "$4/t.txt"' \
	- "$WBGEN" "$W" "$REAL" "$TMP"
ok "... in the JSON too" sh -c '"$1" target --python "$2" --json >"$3/t.json" &&
	test "$(pyget "$3/t.json" "d[\"given\"], d[\"executable\"], \"note\" in d")" = "('"'"'$2'"'"', '"'"'$4'"'"', False)"' \
	- "$WBGEN" "$W" "$TMP" "$REAL"
rm -f "$LOG"
O=$TMP/o
ok "resolve with the wrapper" res "$O" "$W" foo.bar
ok "... ran it once (the query)" test "$(runs)" = 1
ok "... the Makefile's WBGEN_PYTHON is the real interpreter" grep -qx "WBGEN_PYTHON := $REAL" "$O/Makefile"
ok "... and says what was given" grep -qF "# the interpreter that --python $W runs" "$O/Makefile"
ok "... every pkg.json's python is it" sh -c 'n=0; for f in "$1"/work/*/pkg.json; do
	test "$(pyget "$f" "d[\"python\"]")" = "$2" || exit 1; n=$((n + 1)); done; test $n -ge 3' - "$O" "$REAL"
ok "... plan.json records both" sh -c 'test "$(pyget "$1/plan.json" "d[\"target\"][\"executable\"], d[\"target\"][\"given\"]")" = "('"'"'$2'"'"', '"'"'$3'"'"')"' \
	- "$O" "$REAL" "$W"
ok "... resolve-args.json keeps what was given" sh -c 'pyget "$1/resolve-args.json" "d[\"argv\"]" | grep -qF "$2"' - "$O" "$W"
ok "make builds the tree" make -C "$O" --no-print-directory -j2
ok "... every wheel" sh -c 'ls "$1"/wheels-repo/simple/foo-bar/foo_bar-1.1-*.whl "$1"/wheels-repo/simple/six-ish/*.whl "$1"/wheels-repo/simple/tinybuild/*.whl' - "$O"
ok "... and no phase ran the wrapper" test "$(runs)" = 1
ok "... the build environments are the real interpreter's" sh -c 'n=0; for f in "$1"/work/*/env/pyvenv.cfg; do
	grep -qx "executable = $2" "$f" && grep -qx "home = ${2%/*}" "$f" || exit 1; n=$((n + 1)); done; test $n -ge 1' - "$O" "$REAL"
ok "... no log names the wrapper" sh -c '! grep -rqF "$2" "$1/logs"' - "$O" "$W"
ok "a second make runs nothing, nor the wrapper" sh -c 'make -C "$1" --no-print-directory -j2 | grep -q "^wbgen: 0 phases run" && test "$(wc -l <"$2")" = 1' \
	- "$O" "$LOG"
ok "resolving again with the interpreter itself: the same Makefile but for the comment" sh -c '
	grep -v "^# the interpreter that" "$1/Makefile" >"$1.mk1" && cp -r "$1/work" "$1.work1" &&
	"$2" resolve --python "$3" --cache-dir "$4" -o "$1" --index-url "$5" foo.bar &&
	cmp "$1.mk1" "$1/Makefile" && diff -r "$1.work1" "$1/work" >/dev/null' - "$O" "$WBGEN" "$REAL" "$TMP/cache" "$URL"
ok "... so make has nothing to do" make -C "$O" --no-print-directory -q

# (b) a venv's python stands for its base interpreter (a symlink venv, and one with --copies)
"$PY" -m venv --without-pip "$TMP/venv"
"$PY" -m venv --without-pip --copies "$TMP/venvc"
for v in venv venvc; do
	ok "$v: target uses the base interpreter" sh -c '"$1" target --python "$2" >"$4/v.txt" &&
		grep -qx "given: $2" "$4/v.txt" && grep -qx "executable: $3" "$4/v.txt"' - "$WBGEN" "$TMP/$v/bin/python" "$REAL" "$TMP"
	ok "$v: resolve records it" sh -c 'res() { "$1" resolve --python "$2" --cache-dir "$4.cache" -o "$4" --index-url "$5" foo.bar; };
		res "$@" && grep -qx "WBGEN_PYTHON := $3" "$4/Makefile" && grep -qF "\"python\": \"$3\"" "$4/work/foo-bar-1.1/pkg.json"' \
		- "$WBGEN" "$TMP/$v/bin/python" "$REAL" "$TMP/o-$v" "$URL"
done

# (c) a chain of symbolic links, given relative to the current directory
ln -s "$PY" "$TMP/bin/link1"
ln -s link1 "$TMP/bin/link2"
ln -s "$W" "$TMP/bin/wlink"
ok "a symlink chain resolves to its end" sh -c 'cd "$2/bin" && "$1" target --python ./link2 >"$2/l.txt" &&
	grep -qx "given: ./link2" "$2/l.txt" && grep -qx "executable: $3" "$2/l.txt"' - "$WBGEN" "$TMP" "$REAL"
ok "a symlink to the wrapper resolves to what it runs" sh -c '"$1" target --python "$2/bin/wlink" | grep -qx "executable: $3"' \
	- "$WBGEN" "$TMP" "$REAL"
ok "a name on PATH: found, then resolved" sh -c 'PATH="$2/bin:$PATH" "$1" target --python link2 >"$2/p.txt" &&
	grep -qx "given: $2/bin/link2" "$2/p.txt" && grep -qx "executable: $3" "$2/p.txt"' - "$WBGEN" "$TMP" "$REAL"

# (d) a wrapper whose interpreter is not usable on its own: used as given, with a note
printf '#!/bin/sh\nexit 3\n' >"$TMP/bin/broken"
printf '#!/bin/sh\n%s "$@" | sed "s|\\"target\\": \\"[^\\"]*\\"|\\"target\\": \\"%s\\"|"\n' "$PY" "$TMP/bin/broken" >"$TMP/bin/odd"
chmod +x "$TMP/bin/broken" "$TMP/bin/odd"
ok "a target that does not run on its own: the wrapper is used, with a note" sh -c '"$1" target --python "$2/bin/odd" >"$2/o.txt" &&
	grep -qx "executable: $2/bin/odd" "$2/o.txt" && grep -q "^note: .*does not run on its own" "$2/o.txt"' - "$WBGEN" "$TMP"
ok "... resolve warns and records the wrapper" sh -c '"$1" resolve --python "$2/bin/odd" --cache-dir "$2/cache" -o "$2/o-odd" \
	--index-url "$3" foo.bar 2>"$2/odd.err" && grep -q "^wbgen: warning: .*does not run on its own" "$2/odd.err" &&
	grep -qx "WBGEN_PYTHON := $2/bin/odd" "$2/o-odd/Makefile"' - "$WBGEN" "$TMP" "$URL"
ok "a wrapper that is no Python fails as before" sh -c '! "$1" target --python "$2/bin/broken" 2>"$2/b.err" &&
	grep -q "failed (exit status 3)" "$2/b.err"' - "$WBGEN" "$TMP"

done_testing
