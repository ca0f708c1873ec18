/* tap.h: a minimal Test Anything Protocol emitter for the unit tests.
 *
 * Each test program calls plan_no_plan() (or plan(n)), then ok()/is_str()/is_int(),
 * and returns done_testing(). Output goes to stdout, read by automake's tap-driver.sh.
 */
#ifndef WBGEN_TAP_H
#define WBGEN_TAP_H

#include "util.h"

/* Announce the number of tests up front. */
void plan(int n);
/* Print the plan at the end instead (done_testing). */
void plan_no_plan(void);
/* Skip the whole program with a reason ("1..0 # SKIP reason") and exit 0. */
ATTR_NORETURN void skip_all(const char *reason);
/* Record one test; returns cond. */
ATTR_PRINTF(2, 3) int ok(int cond, const char *fmt, ...);
/* Compare strings (NULL allowed); prints both on failure. */
ATTR_PRINTF(3, 4) int is_str(const char *got, const char *want, const char *fmt, ...);
/* Compare integers; prints both on failure. */
ATTR_PRINTF(3, 4) int is_int(long long got, long long want, const char *fmt, ...);
/* Print a diagnostic line ("# ..."). */
ATTR_PRINTF(1, 2) void diag(const char *fmt, ...);
/* Print the trailing plan if needed; return the exit status (0 when all passed). */
int done_testing(void);

#endif
