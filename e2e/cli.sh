# cli.sh: the command line surface: help, version, unknown commands and options.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"

test_expect_success "--version prints the version" '"$WBGEN" --version | grep -q "^wbgen [0-9]"'
test_expect_success "--help lists the commands" '"$WBGEN" --help | grep -q "^  help "'
test_expect_success "help help shows usage" '"$WBGEN" help help | grep -q "^usage: wbgen help"'
test_expect_success "help target shows usage" '"$WBGEN" help target | grep -q "^usage: wbgen target"'
fails 2 "unknown command exits 2" "$WBGEN" frobnicate
test_expect_success "unknown command error is one line naming it" \
	'"$WBGEN" frobnicate 2>&1 | { read -r l; ! read -r _ && case $l in *"frobnicate"*) true;; *) false;; esac; }'
fails 2 "unknown top-level option exits 2" "$WBGEN" --frobnicate
fails 2 "help on an unknown command exits 2" "$WBGEN" help frobnicate
fails 2 "no command at all exits 2" "$WBGEN"
test_expect_success "stdout write errors are reported" '! "$WBGEN" --help >/dev/full 2>/dev/null'

mancheck() {
	"$WBGEN" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ { if (on) exit }' >"$TMP/cmds"
	[ -s "$TMP/cmds" ] || return 1
	while read -r c; do
		sed 's/\\-/-/g' "$WBGEN_SRCDIR/docs/wbgen.1" | grep -q "^\.B wbgen $c" ||
			{ echo "docs/wbgen.1 lacks '$c'"; return 1; }
	done <"$TMP/cmds"
}
ok "the man page describes every command" mancheck

done_testing
