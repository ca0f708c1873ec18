/* trace.c: append to and read the build's trace (see trace.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "trace.h"
#include "util.h"

int trace_append(const char *path, json_t *rec)
{
	char *s = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct buf line = BUF_INIT;
	ssize_t w;
	int fd, saved;

	if (!s) {
		errno = EINVAL;
		return -1;
	}
	buf_adds(&line, s);
	buf_addch(&line, '\n');
	free(s);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		buf_release(&line);
		return -1;
	}
	/* one write: O_APPEND places it whole at the end, whatever other phases append */
	do
		w = write(fd, line.s, line.len);
	while (w < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	if (w >= 0 && (size_t)w != line.len) {
		w = -1;
		saved = ENOSPC; /* a short write leaves a torn line, which readers skip */
	}
	buf_release(&line);
	errno = saved;
	return w < 0 ? -1 : 0;
}

double trace_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)(ts.tv_nsec / 1000) / 1e6;
}

static const char *const outcome_names[] = { "built", "up-to-date", "deferred", "failed", "cached", "killed" };

const char *trace_outcome_name(enum trace_outcome o)
{
	return outcome_names[o];
}

int trace_outcome_parse(const char *s)
{
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(outcome_names); i++)
		if (strcmp(s, outcome_names[i]) == 0)
			return (int)i;
	return -1;
}

void trace_init(struct trace *t)
{
	memset(t, 0, sizeof(*t));
}

void trace_release(struct trace *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct trace_phase *p = &t->ph[i];

		free(p->run);
		free(p->id);
		free(p->name);
		free(p->version);
		free(p->phase);
		strlist_release(&p->deps);
	}
	free(t->ph);
	for (i = 0; i < t->nruns; i++) {
		free(t->runs[i].run);
		free(t->runs[i].goals);
	}
	free(t->runs);
	trace_init(t);
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static double num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static long lnum(json_t *o, const char *key)
{
	return (long)json_number_value(json_object_get(o, key));
}

static struct trace_run *run_get(struct trace *t, const char *run)
{
	size_t i;

	for (i = t->nruns; i-- > 0;)
		if (strcmp(t->runs[i].run, run) == 0)
			return &t->runs[i];
	return NULL;
}

static struct trace_run *run_add(struct trace *t, const char *run)
{
	struct trace_run *r;

	GROW(t->runs, t->aruns, t->nruns + 1);
	r = &t->runs[t->nruns++];
	memset(r, 0, sizeof(*r));
	r->run = xstrdup(run);
	r->jobs = 1;
	r->status = -1;
	return r;
}

/* The run a record belongs to, made when its start record is missing (a trace cut short). */
static struct trace_run *run_of(struct trace *t, const char *run, double when)
{
	struct trace_run *r = run_get(t, run);

	if (!r) {
		r = run_add(t, run);
		r->start = when;
	}
	if (when > r->end)
		r->end = when;
	return r;
}

/* The phase that began with the same run, pid, package and phase and has not ended. */
static struct trace_phase *open_phase(struct trace *t, const char *run, long pid, const char *id, const char *phase)
{
	size_t i;

	for (i = t->n; i-- > 0;) {
		struct trace_phase *p = &t->ph[i];

		if (p->outcome == TRACE_KILLED && p->pid == pid && strcmp(p->run, run) == 0 &&
		    strcmp(p->id, id) == 0 && strcmp(p->phase, phase) == 0)
			return p;
	}
	return NULL;
}

static struct trace_phase *phase_add(struct trace *t, json_t *o, const char *run, const char *id, const char *phase)
{
	struct trace_phase *p;

	GROW(t->ph, t->alloc, t->n + 1);
	p = &t->ph[t->n++];
	memset(p, 0, sizeof(*p));
	p->run = xstrdup(run);
	p->id = xstrdup(id);
	p->phase = xstrdup(phase);
	p->name = xstrdup(str(o, "name") ?: "");
	p->version = xstrdup(str(o, "version") ?: "");
	p->pass = lnum(o, "pass");
	p->pid = lnum(o, "pid");
	p->start = num(o, "start");
	p->end = p->start;
	p->outcome = TRACE_KILLED;
	return p;
}

/* One record; 0, or -1 when it is not one (skipped). */
static int add_record(struct trace *t, json_t *o)
{
	const char *ev = str(o, "ev"), *run = str(o, "run"), *id = str(o, "id"), *phase = str(o, "phase");
	struct trace_run *r;
	struct trace_phase *p;
	json_t *d;
	size_t i;
	int oc;

	if (!ev || !run)
		return -1;
	if (strcmp(ev, "run") == 0) {
		r = run_get(t, run);
		if (!r)
			r = run_add(t, run);
		r->start = r->end = num(o, "start");
		r->jobs = lnum(o, "jobs");
		free(r->goals);
		r->goals = xstrdup(str(o, "goals") ?: "");
		return 0;
	}
	if (strcmp(ev, "pass") == 0) {
		r = run_of(t, run, num(o, "end"));
		if (lnum(o, "pass") > r->passes)
			r->passes = lnum(o, "pass");
		return 0;
	}
	if (strcmp(ev, "run-end") == 0) {
		r = run_of(t, run, num(o, "end"));
		r->end = num(o, "end");
		r->status = (int)lnum(o, "status");
		return 0;
	}
	if (!id || !phase)
		return -1;
	if (strcmp(ev, "begin") == 0) {
		run_of(t, run, num(o, "start"));
		phase_add(t, o, run, id, phase);
		return 0;
	}
	if (strcmp(ev, "phase") != 0 || (oc = trace_outcome_parse(str(o, "outcome"))) < 0 || oc == TRACE_KILLED)
		return -1;
	run_of(t, run, num(o, "end"));
	p = open_phase(t, run, lnum(o, "pid"), id, phase);
	if (!p)
		p = phase_add(t, o, run, id, phase);
	p->start = num(o, "start");
	p->end = num(o, "end");
	if (p->end < p->start)
		p->end = p->start;
	p->user = num(o, "user");
	p->sys = num(o, "sys");
	p->maxrss_kb = lnum(o, "maxrss_kb");
	p->outcome = (enum trace_outcome)oc;
	json_array_foreach(json_object_get(o, "deps"), i, d)
		if (json_is_string(d))
			strlist_add(&p->deps, json_string_value(d));
	return 0;
}

/* The bytes of path from offset from on. */
static int read_from(const char *path, off_t from, struct buf *b)
{
	char chunk[65536];
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (from > 0 && lseek(fd, from, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
		buf_add(b, chunk, (size_t)r);
	}
	close(fd);
	return 0;
}

int trace_load(struct trace *t, const char *path, off_t from, struct buf *err)
{
	struct buf b = BUF_INIT;
	size_t pos = 0, i;

	trace_release(t);
	/* the byte before from: a newline there means a line starts at from */
	if (read_from(path, from > 0 ? from - 1 : 0, &b) < 0) {
		buf_addf(err, "cannot read '%s': %s", path, strerror(errno));
		buf_release(&b);
		return -1;
	}
	/* the first line that starts at or after from */
	if (from > 0) {
		char *nl = memchr(b.s, '\n', b.len);

		pos = nl ? (size_t)(nl - b.s) + 1 : b.len;
	}
	while (pos < b.len) {
		char *nl = memchr(b.s + pos, '\n', b.len - pos);
		size_t end = nl ? (size_t)(nl - b.s) : b.len;
		json_t *o = NULL;

		/* a line without its newline was cut short */
		if (nl)
			o = json_loadb(b.s + pos, end - pos, 0, NULL);
		if (end > pos && (!json_is_object(o) || add_record(t, o) < 0))
			t->skipped++;
		json_decref(o);
		pos = end + 1;
	}
	buf_release(&b);
	/* a phase that never ended stops where its run's record stops */
	for (i = 0; i < t->n; i++) {
		struct trace_phase *p = &t->ph[i];
		const struct trace_run *r = p->outcome == TRACE_KILLED ? run_get(t, p->run) : NULL;

		if (r && r->end > p->start)
			p->end = r->end;
	}
	return 0;
}

const struct trace_run *trace_run_find(const struct trace *t, const char *run)
{
	size_t i;

	if (!run)
		return t->nruns ? &t->runs[t->nruns - 1] : NULL;
	for (i = t->nruns; i-- > 0;)
		if (strcmp(t->runs[i].run, run) == 0)
			return &t->runs[i];
	return NULL;
}
