/* step_trace.h: a phase's records in the build's trace (gen/trace.h): "begin" when it starts,
 * "phase" when it ends, with its outcome, CPU time, peak memory and the run and inner make it
 * belongs to ($WBGEN_RUN and $WBGEN_PASS, set by `wbgen step run`). A phase that dies ends with
 * outcome "failed" (an exit handler); one that is killed leaves only its "begin". */
#ifndef WBGEN_STEP_TRACE_H
#define WBGEN_STEP_TRACE_H

#include <stddef.h>

#include "trace.h"

/* Record the start of phase of package id (NAME-VERSION, with name and version), whose DEP
 * arguments are deps; the end is recorded by step_trace_end or, on exit, as failed. */
void step_trace_begin(const char *id, const char *name, const char *version, const char *phase, char **deps,
		      size_t ndeps);
/* What happened to the phase so far (the last event wins; failed stays). */
void step_trace_outcome(enum trace_outcome o);
/* Record the end: the outcome set, else built for status 0 and failed otherwise. */
void step_trace_end(int status);

#endif
