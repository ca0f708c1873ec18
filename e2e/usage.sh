# usage.sh: every command of both programs: --help prints the usage on stdout and exits 0; an
# unknown option, a missing value and a bad value are usage errors (exit 2) in one line naming what
# was wrong. Run in a sanitizer build (./configure --enable-sanitizers), a leak report on any of
# these paths fails the check (docs/testing.md).
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"

STEP=$(dirname "$WBGEN")/wbgen-step

# A sanitizer's report in the last run's stderr.
no_report() {
	! grep -q 'Sanitizer' "$TMP/u.err" || { echo "a sanitizer report:"; cat "$TMP/u.err"; return 1; }
}

# shows_usage PROGRAM ARG...: exits 0 with the usage on stdout and nothing on stderr.
shows_usage() {
	"$@" >"$TMP/u.out" 2>"$TMP/u.err" || { echo "exit $?"; cat "$TMP/u.err"; return 1; }
	no_report || return 1
	[ ! -s "$TMP/u.err" ] || { echo "stderr:"; cat "$TMP/u.err"; return 1; }
	grep -q '^usage: wbgen ' "$TMP/u.out" || { echo "no usage line:"; cat "$TMP/u.out"; return 1; }
}

# exits_2 PROGRAM ARG...: exits 2 without a sanitizer report (its output in $TMP/u.out, $TMP/u.err).
exits_2() {
	set +e
	"$@" >"$TMP/u.out" 2>"$TMP/u.err"
	rc=$?
	set -e
	no_report || return 1
	[ "$rc" -eq 2 ] || { echo "exit $rc, expected 2"; cat "$TMP/u.err"; return 1; }
}

# usage_error WORD PROGRAM ARG...: exits 2 with one line on stderr that holds WORD, nothing on stdout.
usage_error() {
	word=$1
	shift
	exits_2 "$@" || return 1
	[ "$(wc -l <"$TMP/u.err")" -eq 1 ] || { echo "not one line:"; cat "$TMP/u.err"; return 1; }
	grep -qF -- "$word" "$TMP/u.err" || { echo "'$word' not named:"; cat "$TMP/u.err"; return 1; }
	[ ! -s "$TMP/u.out" ] || { echo "stdout:"; cat "$TMP/u.out"; return 1; }
}

# usage_on_stderr PROGRAM ARG...: exits 2 with the usage on stderr, nothing on stdout.
usage_on_stderr() {
	exits_2 "$@" || return 1
	grep -q '^usage: wbgen ' "$TMP/u.err" && [ ! -s "$TMP/u.out" ]
}

# same_usage CMD: `wbgen help CMD` prints what `wbgen CMD --help` does.
same_usage() {
	"$WBGEN" help "$1" >"$TMP/u.help" && "$WBGEN" "$1" --help >"$TMP/u.out" && cmp "$TMP/u.help" "$TMP/u.out"
}

commands=$("$WBGEN" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ { if (on) exit }')
[ -n "$commands" ] || { echo "Bail out! no command list in wbgen --help"; exit 1; }

# ---- every command, both programs
for c in $commands; do
	ok "$c --help" shows_usage "$WBGEN" "$c" --help
	ok "$c -h" shows_usage "$WBGEN" "$c" -h
	ok "help $c" same_usage "$c"
	ok "$c: an unknown option" usage_error "'--no-such-option'" "$WBGEN" "$c" --no-such-option
	ok "$c: an unknown option before --help" usage_error "'--no-such-option'" \
		"$WBGEN" "$c" --no-such-option --help
done
ok "wbgen-step --help" shows_usage "$STEP" --help
ok "wbgen-step: an unknown option" usage_error "'--no-such-option'" "$STEP" --no-such-option

# ---- --help after lists grew
ok "resolve -r FILE --help" shows_usage "$WBGEN" resolve -r req.txt -c c.txt req --help
ok "unpack --patch P ARG --help" shows_usage "$WBGEN" unpack --patch p a.tar.gz --help
ok "install WHEEL --help" shows_usage "$WBGEN" install a.whl --help
ok "hook --backend-path P --help" shows_usage "$WBGEN" hook --backend-path p --config-setting a=b --help
ok "build-wheel --dist-info-file --help" shows_usage "$WBGEN" build-wheel --dist-info-file a=b --setenv A=1 --help
ok "publish WHEEL --help" shows_usage "$WBGEN" publish a.whl --help
ok "why NAME --help" shows_usage "$WBGEN" why colors --help

# ---- a missing value, the last argument
ok "resolve -r" usage_error "'-r'" "$WBGEN" resolve req -r
ok "resolve --requirement" usage_error "'--requirement'" "$WBGEN" resolve --requirement
ok "why --limit" usage_error "'--limit'" "$WBGEN" why --limit
ok "graph --subset" usage_error "'--subset'" "$WBGEN" graph --subset
ok "report --run" usage_error "'--run'" "$WBGEN" report --run
ok "target --python" usage_error "'--python'" "$WBGEN" target --python
ok "venv --cache-dir" usage_error "'--cache-dir'" "$WBGEN" venv "$TMP/v" --cache-dir
ok "unpack --patch" usage_error "'--patch'" "$WBGEN" unpack a.tar.gz "$TMP/u" --patch
ok "install --env" usage_error "'--env'" "$WBGEN" install a.whl --env
ok "hook --backend-path" usage_error "'--backend-path'" "$WBGEN" hook --backend-path a --backend-path
ok "build-wheel --out" usage_error "'--out'" "$WBGEN" build-wheel --dist-info-file a=b --out
ok "publish --mirror" usage_error "'--mirror'" "$WBGEN" publish a.whl --mirror

# ---- a bad value, with lists already grown
ok "resolve --jobs 0" usage_error "--jobs" "$WBGEN" resolve -r a -c b req --jobs 0
ok "resolve --min-release-age x" usage_error "--min-release-age" "$WBGEN" resolve -r a --min-release-age x
ok "resolve --pre=1" usage_error "'--pre'" "$WBGEN" resolve -r a --pre=1
ok "why --limit x" usage_error "--limit" "$WBGEN" why --limit x colors
ok "why --requirement-type runtime" usage_error "'runtime'" "$WBGEN" why --requirement-type install \
	--requirement-type runtime colors
ok "why: a third argument" usage_error "'c'" "$WBGEN" why a b c
ok "graph --format svg" usage_error "'svg'" "$WBGEN" graph --format svg
ok "report --format bogus" usage_error "'bogus'" "$WBGEN" report --format bogus
ok "report: an argument" usage_error "'x'" "$WBGEN" report x
ok "target: an argument" usage_error "'x'" "$WBGEN" target x
ok "venv: two directories" usage_error "'b'" "$WBGEN" venv a b
ok "unpack --max-files lots" usage_error "--max-files" "$WBGEN" unpack --patch p --max-files lots a b
ok "unpack --max-size 1Q" usage_error "--max-size" "$WBGEN" unpack --patch p --max-size 1Q a b
ok "unpack: three arguments" usage_error "'c'" "$WBGEN" unpack --patch p a b c
ok "install --record-installer ''" usage_error "--record-installer" "$WBGEN" install --env "$TMP/e" \
	--record-installer '' a.whl
ok "install --no-compile --store" usage_error "--no-compile" "$WBGEN" install --env "$TMP/e" --no-compile \
	--store "$TMP/s" a.whl
ok "hook --config-setting nokey" usage_error "--config-setting" "$WBGEN" hook --backend-path a \
	--config-setting nokey
ok "hook --setenv X" usage_error "--setenv" "$WBGEN" hook --config-setting a=b --setenv X
ok "hook --source-date-epoch soon" usage_error "--source-date-epoch" "$WBGEN" hook --setenv A=1 \
	--source-date-epoch soon
ok "hook: a third argument" usage_error "'c'" "$WBGEN" hook --backend-path p a b c
ok "build-wheel --build-tag x" usage_error "--build-tag" "$WBGEN" build-wheel --dist-info-file a=b --build-tag x
ok "build-wheel --dist-info-file a" usage_error "--dist-info-file" "$WBGEN" build-wheel --dist-info-file a=b \
	--dist-info-file a
ok "build-wheel --expect x" usage_error "--expect" "$WBGEN" build-wheel --env e --src s --out "$TMP/o" \
	--dist-info-file a=b --backend-path p --expect x
ok "build-wheel: an argument" usage_error "'x'" "$WBGEN" build-wheel --dist-info-file a=b x
ok "help: two commands" usage_error "'b'" "$WBGEN" help a b

# ---- what must be given, missing (the lists grown)
ok "resolve without requirements" usage_error "nothing to resolve" "$WBGEN" resolve -c c.txt --extra-index-url u
ok "why without NAME" usage_error "which package" "$WBGEN" why --requirement-type install
ok "venv without DIR" usage_error "no environment directory" "$WBGEN" venv --no-cache
ok "unpack with one argument" usage_error "SDIST and DESTDIR" "$WBGEN" unpack --patch p a.tar.gz
ok "install without wheels" usage_error "no wheel given" "$WBGEN" install --env "$TMP/e"
ok "install without --env" usage_error "--env" "$WBGEN" install a.whl
ok "hook without --env" usage_error "--env" "$WBGEN" hook --backend-path p --src s get_requires_for_build_wheel o
ok "hook: an unknown hook" usage_error "build_everything" "$WBGEN" hook --backend-path p --env e --src s \
	build_everything o
ok "hook build_wheel without --out-dir" usage_error "--out-dir" "$WBGEN" hook --backend-path p --env e --src s \
	build_wheel o
ok "build-wheel without --out" usage_error "--out" "$WBGEN" build-wheel --dist-info-file a=b --env e --src s
ok "publish without wheels" usage_error "WHEEL" "$WBGEN" publish --mirror "$TMP/m"
ok "publish without --mirror" usage_error "--mirror" "$WBGEN" publish a.whl b.whl
ok "wbgen-step without arguments: the usage on stderr, exit 2" usage_on_stderr "$STEP"
ok "step with a phase only: the usage on stderr, exit 2" usage_on_stderr "$WBGEN" step build

done_testing
