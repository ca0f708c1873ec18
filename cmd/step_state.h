/* step_state.h: what the phases of one make run share in OUTDIR (the current directory), the
 * internal header of the step files: the progress count (step_progress.c), failures.json
 * (step_failures.c), the run and its outer make's recipe (step_run.c), and discovery:
 * discovered.json updated and the plan resolved again under OUTDIR's lock (step_discover.c). The
 * phases themselves are in step.c, their stamps in step_stamp.h. */
#ifndef WBGEN_STEP_STATE_H
#define WBGEN_STEP_STATE_H

#include <jansson.h>

#include "buf.h"
#include "strlist.h"

/* ---- step_progress.c: logs/.progress, written under logs/.lock */

enum step_event {
	STEP_STARTED,    /* the phase runs: "[k/T] phase name version" */
	STEP_UP_TO_DATE, /* its inputs are unchanged: only its target was touched */
	STEP_DONE,       /* it ran and succeeded */
	STEP_CACHED,     /* it ran and took the wheel from the build cache */
	STEP_FAILED
};

/* The run's counts. started only grows, so the [k/T] lines never count backwards: a phase that
 * printed its line and was then deferred runs again, and is counted in reruns (T grows by one)
 * instead. */
struct step_counts {
	unsigned long started, built, up_to_date, failed, deferred, reruns, cached;
};

/* flock path (created, with its directory), returning the descriptor to close. Dies when it cannot. */
int step_lock(const char *path);
/* The counts of logs/.progress (all 0 when it is missing or unreadable); the caller holds logs/.lock. */
void step_counts_read(struct step_counts *c);
/* Write logs/.progress; the caller holds logs/.lock. */
void step_counts_write(const struct step_counts *c);
/* Count the event (under logs/.lock) and print the progress line for STARTED and UP_TO_DATE.
 * T is $WBGEN_NPHASES (the plan's phase count, exported by the Makefile). */
void step_progress(const char *phase, const char *name, const char *version, enum step_event ev);
/* Count a deferred phase. shown 0: it found a prerequisite missing, one that was deferred
 * (printed only with WBGEN_VERBOSE=1); 1: it found what the plan lacked, and the plan was resolved
 * again (printed with why); 2: the same, after its progress line was printed (uncounted: it runs
 * again in the next make). */
void step_deferred(const char *phase, const char *name, const char *version, const char *why, int shown);

/* ---- step_failures.c: failures.json, written under logs/.lock */

/* The "failures" array of failures.json (a new reference; empty when it is missing or unreadable). */
json_t *step_failures_load(void);
/* Write failures.json with the array a (borrowed). */
void step_failures_write(json_t *a);
/* Add a failure to failures.json (replacing one of the same package and phase) and count it;
 * launcher: why the launcher failed the phase (step_launch.h), or NULL. */
void step_record_failure(const char *name, const char *version, const char *phase, const char *log, int status,
			 const char *msg, const char *launcher);
/* Non-zero when name's phase failed earlier in this make run ($WBGEN_INNER, set by the outer
 * make): a later inner make of the run does not try it again. */
int step_failed_in_run(const char *name, const char *phase);
/* The last n lines of the file at path, each indented by four spaces, into out. */
void step_tail(const char *path, int n, struct buf *out);

/* ---- step_run.c: the run */

/* Start a run: zero the counts, empty failures.json. */
int step_begin(void);
/* End a run: print the summary (and the failures); returns the exit status given as text. */
int step_end(const char *status);
/* The outer make's recipe: wait for another make (.wbgen-make.lock, held throughout) and for a
 * running resolve (.wbgen.lock), start the run's count, run argv (the inner make), again while a
 * run changed the Makefile (discovery resolved again; not after a failure without -k, nor after a
 * signal), print the summary. Returns the last inner make's status. */
int step_run(char **argv);

/* ---- step_discover.c: discovery, under OUTDIR/.wbgen.lock */

/* 1 when discovered.json records name==version's req_type answer and the plan was made from it
 * (reqs then gets the answer's requirement texts, sorted), else 0. */
int step_discovered_known(const char *name, const char *version, const char *req_type, struct strlist *reqs);
/* Replace the discovered.json entries of name==version of req_type by reqs (and record that it
 * answered, an empty answer too). When that changes
 * them, or the plan was not made from the current discovered.json (a resolve was interrupted),
 * run `wbgen resolve` again with the arguments of resolve-args.json (its output appended to log):
 * it rewrites the plan, the Makefile and the packages' pkg.json.
 * The requirements of reqs that were not recorded before are added to news ("a, b").
 * Returns 1 when the Makefile changed (the running make's rules are out of date), 0 when it did
 * not, -1 with err. */
int step_discovered_update(const char *name, const char *version, const char *req_type,
			   const struct strlist *reqs, const char *log, struct buf *news, struct buf *err);

#endif
