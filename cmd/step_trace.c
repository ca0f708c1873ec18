/* step_trace.c: a phase's begin and end records in the build's trace (see step_trace.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <jansson.h>

#include "step_trace.h"
#include "util.h"

static struct {
	pid_t pid;           /* the phase's process (children inherit the exit handler) */
	int open, has_outcome;
	enum trace_outcome outcome;
	double start;
	json_t *rec;         /* the fields both records share */
	json_t *deps;
} cur;

static double tv_seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

static void record(json_t *rec)
{
	static int warned;

	if (trace_append(TRACE_FILE, rec) < 0 && !warned) {
		warn("cannot append to '%s': %s", TRACE_FILE, strerror(errno));
		warned = 1;
	}
}

static void end_record(enum trace_outcome o)
{
	struct rusage self, kids;
	json_t *rec;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	rec = json_deep_copy(cur.rec);
	json_object_set_new(rec, "ev", json_string("phase"));
	json_object_set_new(rec, "start", json_real(cur.start));
	json_object_set_new(rec, "end", json_real(trace_now()));
	json_object_set_new(rec, "outcome", json_string(trace_outcome_name(o)));
	json_object_set_new(rec, "user", json_real(tv_seconds(&self.ru_utime) + tv_seconds(&kids.ru_utime)));
	json_object_set_new(rec, "sys", json_real(tv_seconds(&self.ru_stime) + tv_seconds(&kids.ru_stime)));
	json_object_set_new(rec, "maxrss_kb", json_integer(self.ru_maxrss > kids.ru_maxrss ? self.ru_maxrss
											    : kids.ru_maxrss));
	json_object_set(rec, "deps", cur.deps);
	record(rec);
	json_decref(rec);
	cur.open = 0;
}

static void at_exit(void)
{
	if (cur.open && getpid() == cur.pid)
		end_record(TRACE_FAILED);
}

void step_trace_begin(const char *id, const char *name, const char *version, const char *phase, char **deps,
		      size_t ndeps)
{
	const char *run = getenv("WBGEN_RUN"), *pass = getenv("WBGEN_PASS");
	long npass = 0;
	json_t *rec;
	size_t i;

	if (!pass || parse_int_range(pass, 0, 1000000, &npass) < 0)
		npass = 0;
	cur.pid = getpid();
	cur.start = trace_now();
	cur.rec = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:I}", "ev", "begin", "run", run ? run : "",
			    "pass", (int)npass, "id", id, "name", name, "version", version, "phase", phase, "pid",
			    (json_int_t)cur.pid);
	cur.deps = json_array();
	for (i = 0; i < ndeps; i++)
		json_array_append_new(cur.deps, json_string(deps[i]));
	rec = json_deep_copy(cur.rec);
	json_object_set_new(rec, "start", json_real(cur.start));
	record(rec);
	json_decref(rec);
	cur.open = 1;
	atexit(at_exit);
}

void step_trace_outcome(enum trace_outcome o)
{
	if (cur.has_outcome && cur.outcome == TRACE_FAILED)
		return;
	cur.outcome = o;
	cur.has_outcome = 1;
}

void step_trace_end(int status)
{
	if (!cur.open)
		return;
	end_record(cur.has_outcome ? cur.outcome : status == 0 ? TRACE_BUILT : TRACE_FAILED);
	json_decref(cur.rec);
	json_decref(cur.deps);
	cur.rec = cur.deps = NULL;
}
