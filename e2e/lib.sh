# lib.sh: the prologue every e2e test sources. Strict shell, a private scratch
# directory removed on exit, the C locale, and a tiny TAP emitter.
set -eu
LC_ALL=C
export LC_ALL
: "${WBGEN:?WBGEN must name the wbgen binary (set by make check)}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wbgen-e2e.XXXXXX")
wbgen_exit_hooks=
trap 'set +e; eval "$wbgen_exit_hooks"; rm -rf "$TMP"' EXIT

# at_exit COMMAND: run the shell string COMMAND on exit, before $TMP goes
# (the last registered runs first).
at_exit() {
	wbgen_exit_hooks="$1; $wbgen_exit_hooks"
}
trap 'exit 130' INT TERM

tap_n=0
tap_failed=0

# ok DESCRIPTION COMMAND...: run COMMAND; it passes when it exits 0.
ok() {
	desc=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@" >"$TMP/out" 2>"$TMP/err"; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc"
		sed 's/^/# out: /' "$TMP/out"
		sed 's/^/# err: /' "$TMP/err"
		tap_failed=$((tap_failed + 1))
	fi
}

# fails CODE DESCRIPTION COMMAND...: COMMAND must exit with status CODE.
fails() {
	code=$1
	desc=$2
	shift 2
	tap_n=$((tap_n + 1))
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	set -e
	if [ "$rc" -eq "$code" ]; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc (exit $rc, expected $code)"
		sed 's/^/# err: /' "$TMP/err"
		tap_failed=$((tap_failed + 1))
	fi
}

# The last command's stderr/stdout, for checks with grep.
last_err() { cat "$TMP/err"; }
last_out() { cat "$TMP/out"; }

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
