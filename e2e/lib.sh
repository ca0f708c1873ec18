# lib.sh: the prologue every e2e test sources, a small test library in the manner of git's
# t/test-lib.sh. Strict shell, a private scratch directory removed on exit, the C locale, and
# assertions that print TAP (docs/testing.md has how to run one test):
#
#   test_expect_success 'DESC' 'BODY'    BODY, a shell string, must exit 0
#   test_expect_exit CODE 'DESC' 'BODY'  BODY must exit with status CODE
#   ok DESC COMMAND...                   COMMAND must exit 0
#   fails CODE DESC COMMAND...           COMMAND must exit with status CODE
#   test_skip REASON                     an assertion that cannot run here, as a TAP skip
#
# A BODY is eval'ed in a subshell of the test script: it sees the script's variables and
# functions without exporting them; its assignments, cd and exit stay inside it. It runs
# without set -e (its status is its last command's: chain with &&) and with set -u.
# An assertion's stdout and stderr go to $TMP/out and $TMP/err once it has finished, so a
# body or command still reads the previous assertion's output there (last_out, last_err);
# copy them to keep them past the next assertion.
#
# Options, on the command line (sh e2e/x.sh -v) or in WBGEN_TEST_OPTS (for make check):
#   -v, --verbose     show each assertion's body or command and its output (as TAP comments)
#   -i, --immediate   stop at the first failing assertion, keeping $TMP, and say where it is
#   -x                trace the bodies and commands with set -x (implies -v)
#   --run=LIST        run only the assertions numbered in LIST (1,4-6,9-: numbers and ranges);
#                     the others print "ok N # skip"; the code between assertions always runs
set -eu
LC_ALL=C
export LC_ALL
: "${WBGEN:?WBGEN must name the wbgen binary (set by make check)}"

test_usage_() {
	echo "usage: $0 [-v | --verbose] [-i | --immediate] [-x] [--run=N,M-K,...]"
}
test_verbose=
test_immediate=
test_trace=
test_run=
set -f
# shellcheck disable=SC2086 # WBGEN_TEST_OPTS is a list of words
for test_arg in ${WBGEN_TEST_OPTS:-} "$@"; do
	case $test_arg in
	-v | --verbose) test_verbose=t ;;
	-i | --immediate) test_immediate=t ;;
	-x) test_trace=t test_verbose=t ;;
	--run=*)
		test_run=${test_arg#--run=}
		test_ifs_=$IFS IFS=,
		for test_r in $test_run; do
			case $test_r in
			'' | - | *[!0-9-]* | *-*-*)
				echo "$0: --run: '$test_r' is not a number or a range N-M" >&2
				exit 2
				;;
			esac
		done
		IFS=$test_ifs_
		;;
	-h | --help)
		test_usage_
		exit 0
		;;
	*)
		echo "$0: unknown option '$test_arg'" >&2
		test_usage_ >&2
		exit 2
		;;
	esac
done
set +f

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wbgen-e2e.XXXXXX")
wbgen_exit_hooks=
test_keep_tmp=
trap 'set +e; eval "$wbgen_exit_hooks"; [ -n "$test_keep_tmp" ] || rm -rf "$TMP"' EXIT

# at_exit COMMAND: run the shell string COMMAND on exit, before $TMP goes
# (the last registered runs first).
at_exit() {
	wbgen_exit_hooks="$1; $wbgen_exit_hooks"
}
trap 'exit 130' INT TERM

tap_n=0
tap_failed=0
# a single quote, for bodies (themselves in single quotes) that need one
# shellcheck disable=SC2034 # used by the tests
SQ="'"

# test_selected_ N: whether --run lets assertion N run.
test_selected_() {
	[ -n "$test_run" ] || return 0
	test_ifs_=$IFS IFS=,
	# shellcheck disable=SC2086 # a list, split at the commas
	set -- "$1" $test_run
	IFS=$test_ifs_
	test_i_=$1
	shift
	for test_r; do
		case $test_r in
		*-*)
			test_lo_=${test_r%-*} test_hi_=${test_r#*-}
			[ "$test_i_" -lt "${test_lo_:-1}" ] || [ "$test_i_" -gt "${test_hi_:-$test_i_}" ] || return 0
			;;
		*) [ "$test_i_" -ne "$test_r" ] || return 0 ;;
		esac
	done
	return 1
}

# test_begin_ DESC: number the next assertion; false (having printed the skip) if --run leaves it out.
test_begin_() {
	tap_n=$((tap_n + 1))
	test_selected_ "$tap_n" && return 0
	echo "ok $tap_n # skip $1 (--run)"
	return 1
}

# test_end_ CODE RC DESC SHOWN: report assertion $tap_n, which exited RC and was to exit CODE;
# SHOWN (its body or command) and its output are printed on failure and under -v.
test_end_() {
	mv -f "$TMP/test.out" "$TMP/out" 2>/dev/null || : >"$TMP/out"
	mv -f "$TMP/test.err" "$TMP/err" 2>/dev/null || : >"$TMP/err"
	if [ "$1" -eq "$2" ]; then
		echo "ok $tap_n - $3"
		[ -n "$test_verbose" ] || return 0
	elif [ "$1" -eq 0 ]; then
		echo "not ok $tap_n - $3"
	else
		echo "not ok $tap_n - $3 (exit $2, expected $1)"
	fi
	printf '%s\n' "$4" | sed 's/^/#	/'
	sed 's/^/# out: /' "$TMP/out"
	sed 's/^/# err: /' "$TMP/err"
	[ "$1" -ne "$2" ] || return 0
	tap_failed=$((tap_failed + 1))
	[ -n "$test_immediate" ] || return 0
	echo "# -i: stopped at the first failure, assertion $tap_n; the scratch directory is kept: $TMP"
	echo "1..$tap_n"
	test_keep_tmp=t
	exit 1
}

# test_eval_ BODY: run the shell string BODY in a subshell with no positional parameters, output
# to $TMP/test.out and test.err.
test_eval_() {
	if (
		test_body_=$1
		set --
		eval "${test_trace:+set -x
}$test_body_"
	) >"$TMP/test.out" 2>"$TMP/test.err"; then
		test_rc_=0
	else
		test_rc_=$?
	fi
}

# test_cmd_ COMMAND...: run COMMAND in this shell (a function may set variables), output as test_eval_.
test_cmd_() {
	if {
		[ -z "$test_trace" ] || set -x
		"$@"
		{
			test_rc_=$?
			set +x
		} 2>/dev/null
	} >"$TMP/test.out" 2>"$TMP/test.err"; then :; fi
}

# test_expect_success DESC BODY: the shell string BODY passes when it exits 0.
test_expect_success() {
	[ $# -eq 2 ] || { echo "test_expect_success: want DESC BODY, got $# arguments" >&2; exit 2; }
	test_begin_ "$1" || return 0
	test_eval_ "$2"
	test_end_ 0 "$test_rc_" "$1" "$2"
}

# test_expect_exit CODE DESC BODY: the shell string BODY must exit with status CODE.
test_expect_exit() {
	[ $# -eq 3 ] || { echo "test_expect_exit: want CODE DESC BODY, got $# arguments" >&2; exit 2; }
	test_begin_ "$2" || return 0
	test_eval_ "$3"
	test_end_ "$1" "$test_rc_" "$2" "$3"
}

# ok DESCRIPTION COMMAND...: run COMMAND; it passes when it exits 0.
ok() {
	test_desc_=$1
	shift
	test_begin_ "$test_desc_" || return 0
	test_cmd_ "$@"
	test_end_ 0 "$test_rc_" "$test_desc_" "$*"
}

# fails CODE DESCRIPTION COMMAND...: COMMAND must exit with status CODE.
fails() {
	test_code_=$1
	test_desc_=$2
	shift 2
	test_begin_ "$test_desc_" || return 0
	test_cmd_ "$@"
	test_end_ "$test_code_" "$test_rc_" "$test_desc_" "$*"
}

# test_skip REASON: an assertion that cannot run here (a missing tool or privilege).
test_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

# The last assertion's stderr/stdout, for checks with grep.
last_err() { cat "$TMP/err"; }
last_out() { cat "$TMP/out"; }

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
