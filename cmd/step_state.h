/* step_state.h: what the phases of one make run share in OUTDIR (the current directory): the
 * progress count (logs/.progress), failures.json, the stamps' "key value" lines, and discovery
 * (discovered.json updated and the plan resolved again, under OUTDIR's lock). */
#ifndef WBGEN_STEP_STATE_H
#define WBGEN_STEP_STATE_H

#include "buf.h"
#include "strlist.h"

enum step_event {
	STEP_STARTED,    /* the phase runs: "[k/T] phase name version" */
	STEP_UP_TO_DATE, /* its inputs are unchanged: only its target was touched */
	STEP_DONE,       /* it ran and succeeded */
	STEP_FAILED
};

/* Count the event (under logs/.lock) and print the progress line for STARTED and UP_TO_DATE.
 * T is $WBGEN_NPHASES (the plan's phase count, exported by the Makefile). */
void step_progress(const char *phase, const char *name, const char *version, enum step_event ev);
/* Count a deferred phase. shown 0: it found a prerequisite missing, one that was deferred
 * (printed only with WBGEN_VERBOSE=1); 1: it found what the plan lacked, and the plan was resolved
 * again (printed with why); 2: the same, after its progress line was printed (uncounted: it runs
 * again in the next make). */
void step_deferred(const char *phase, const char *name, const char *version, const char *why, int shown);
/* Start a run: zero the counts, empty failures.json. */
int step_begin(void);
/* End a run: print the summary (and the failures); returns the exit status given as text. */
int step_end(const char *status);
/* The outer make's recipe: wait for another make (.wbgen-make.lock, held throughout) and for a
 * running resolve (.wbgen.lock), start the run's count, run argv (the inner make), again while a
 * run changed the Makefile (discovery resolved again; not after a failure without -k, nor after a
 * signal), print the summary. Returns the last inner make's status. */
int step_run(char **argv);
/* Add a failure to failures.json (replacing one of the same package and phase) and count it. */
void step_record_failure(const char *name, const char *version, const char *phase, const char *log, int status,
			 const char *msg);
/* Non-zero when name's phase failed earlier in this make run ($WBGEN_INNER, set by the outer
 * make): a later inner make of the run does not try it again. */
int step_failed_in_run(const char *name, const char *phase);
/* The last n lines of the file at path, each indented by four spaces, into out. */
void step_tail(const char *path, int n, struct buf *out);
/* 1 when discovered.json records name==version's req_type answer and the plan was made from it
 * (reqs then gets the answer's requirement texts, sorted), else 0. Under OUTDIR/.wbgen.lock. */
int step_discovered_known(const char *name, const char *version, const char *req_type, struct strlist *reqs);
/* Replace the discovered.json entries of name==version of req_type by reqs (and record that it
 * answered, an empty answer too). When that changes
 * them, or the plan was not made from the current discovered.json (a resolve was interrupted),
 * run `wbgen resolve` again with the arguments of resolve-args.json (its output appended to log):
 * it rewrites the plan, the Makefile and the packages' pkg.json. All under OUTDIR/.wbgen.lock.
 * The requirements of reqs that were not recorded before are added to news ("a, b").
 * Returns 1 when the Makefile changed (the running make's rules are out of date), 0 when it did
 * not, -1 with err. */
int step_discovered_update(const char *name, const char *version, const char *req_type,
			   const struct strlist *reqs, const char *log, struct buf *news, struct buf *err);

#endif
