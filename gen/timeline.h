/* timeline.h: one make run of the trace (gen/trace.h) laid out for a picture: each phase on a job
 * slot, the critical path, and the figures that say how good the schedule was.
 *
 * The critical path is the heaviest chain of phases through the build's prerequisite graph, each
 * phase weighing what it took in this run (all its runs, when discovery made it run again). The
 * graph is the one the generated Makefile gives make, rebuilt from the trace itself: a phase's
 * own earlier phases, and for the environment phases the wheels of the packages they install (the
 * DEP ids each phase records). No schedule of the run's work could end sooner than the bound, the
 * larger of the critical path and the total work divided among the -j slots. */
#ifndef WBGEN_TIMELINE_H
#define WBGEN_TIMELINE_H

#include <stddef.h>

#include "trace.h"

struct timeline_item {
	const struct trace_phase *ph; /* borrowed from the trace */
	int slot;                     /* the job slot it ran on, from 0 (the lowest free when it began) */
	int critical;                 /* on the critical path */
};

struct timeline {
	struct timeline_item *items;  /* the run's phases, by start time */
	size_t n;
	int nslots;                   /* slots used */
	long jobs;                    /* make's -j (0: no limit) */
	double t0, t1;                /* the run's start and end (seconds since the epoch) */
	double wall;                  /* t1 - t0 */
	double work;                  /* the phases' durations added up */
	double critical;              /* the critical path's length */
	double bound;                 /* max(critical, work / jobs); critical when jobs is 0 */
	double idle;                  /* slot time unused: jobs (or nslots) * wall - work, at least 0 */
	size_t *path;                 /* indices into items of the critical path, first to last (for a
	                               * phase that ran more than once, its last run) */
	size_t npath;
};

/* Lay out run r of trace t (both borrowed; t must outlive tl). */
void timeline_build(struct timeline *tl, const struct trace *t, const struct trace_run *r);
void timeline_release(struct timeline *tl);

#endif
