/* trace.h: the build's trace, OUTDIR/logs/trace.jsonl: one JSON object a line, appended by every
 * phase (`wbgen step`) and by the outer make's driver (`wbgen step run`), read by `wbgen report`
 * and by the summary at the end of make. A record is one write(2) on an O_APPEND descriptor, so the
 * lines of concurrent phases never interleave and a killed process leaves whole lines; the reader
 * skips a line that does not parse (a torn tail after the machine itself went down). The records
 * are described in docs/file-formats.md. */
#ifndef WBGEN_TRACE_H
#define WBGEN_TRACE_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "buf.h"
#include "strlist.h"

#define TRACE_FILE "logs/trace.jsonl"

/* Append rec (borrowed) to path as one line, in one write. 0, or -1 with errno. */
int trace_append(const char *path, json_t *rec);
/* The wall-clock time in seconds since the epoch (microsecond resolution). */
double trace_now(void);

enum trace_outcome {
	TRACE_BUILT,      /* the phase ran and made its target */
	TRACE_UP_TO_DATE, /* its inputs were unchanged: it only touched its target */
	TRACE_DEFERRED,   /* it found a prerequisite missing or the plan changed: no target */
	TRACE_FAILED,
	TRACE_CACHED,     /* it took its target's wheel from the build cache (the cached phase) */
	TRACE_KILLED      /* it began and never ended (the read side's verdict, never written) */
};

struct trace_phase {
	char *run;            /* the make run (WBGEN_RUN of `wbgen step run`), "" outside one */
	long pass;            /* which inner make of the run, from 1 (0 outside a run) */
	char *id;             /* NAME-VERSION */
	char *name, *version; /* the package's, "" when the records lack them */
	char *phase;          /* unpack, build-system, discover, backend, build, deps, publish, prebuilt, settings */
	long pid;
	double start, end;    /* seconds since the epoch; a killed phase ends at its run's last record */
	double user, sys;     /* CPU seconds of the phase's process and the children it waited for */
	long maxrss_kb;       /* peak resident set of the largest of them, KiB */
	enum trace_outcome outcome;
	struct strlist deps;  /* the NAME-VERSION ids of the wheels the phase installs (its DEP arguments) */
};

struct trace_run {
	char *run;
	double start, end;    /* end: of its end record, else of its last record (a killed make) */
	long jobs;            /* make's -j: 0 for no limit */
	long passes;          /* inner makes recorded */
	int status;           /* the outer make's status, -1 when the run has no end record */
	char *goals;
};

struct trace {
	struct trace_phase *ph; /* in the order they began */
	size_t n, alloc;
	struct trace_run *runs; /* in the order they started */
	size_t nruns, aruns;
	size_t skipped;         /* lines that were not a record */
};

void trace_init(struct trace *t);
void trace_release(struct trace *t);
/* Read the trace at path into t (emptied first): its lines that start at byte offset from or
 * later (0: all of it; a run's records: the file's size when the run began). 0; -1 with err when the file cannot be read (a missing file too). */
int trace_load(struct trace *t, const char *path, off_t from, struct buf *err);
/* "built", "up-to-date", "deferred", "failed", "cached", "killed"; trace_outcome_parse is its inverse (-1 unknown). */
const char *trace_outcome_name(enum trace_outcome o);
int trace_outcome_parse(const char *s);
/* The run named run, or the last one when run is NULL; NULL when there is none. */
const struct trace_run *trace_run_find(const struct trace *t, const char *run);

#endif
