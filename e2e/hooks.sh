# hooks.sh
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"
done_testing
