/* step_progress.c: the run's counts (logs/.progress) and the phases' progress lines (see
 * step_state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fsutil.h"
#include "step_state.h"
#include "step_trace.h"
#include "util.h"

#define PROGRESS "logs/.progress"

int step_lock(const char *path)
{
	int fd;

	if (mkdir_parents(path) < 0)
		die("cannot create the directory of '%s':", path);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die("cannot open '%s':", path);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			die("cannot lock '%s':", path);
	return fd;
}

void step_counts_read(struct step_counts *c)
{
	struct buf b = BUF_INIT;

	memset(c, 0, sizeof(*c));
	if (buf_read_file(&b, PROGRESS) == 0 &&
	    sscanf(b.s, "%lu %lu %lu %lu %lu %lu %lu", &c->started, &c->built, &c->up_to_date, &c->failed,
		   &c->deferred, &c->reruns, &c->cached) != 7)
		memset(c, 0, sizeof(*c));
	buf_release(&b);
}

void step_counts_write(const struct step_counts *c)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "%lu %lu %lu %lu %lu %lu %lu\n", c->started, c->built, c->up_to_date,
			 c->failed, c->deferred, c->reruns, c->cached);

	if (write_file(PROGRESS, line, (size_t)n, WRITE_NOSYNC) < 0)
		die("cannot write '%s':", PROGRESS);
}

/* "[k/T] " of the progress lines: T is the plan's phase count plus the phases that run again. */
static void add_count(struct buf *line, const struct step_counts *c)
{
	const char *total = getenv("WBGEN_NPHASES");
	uint64_t t;

	if (total && parse_u64(total, &t) == 0)
		buf_addf(line, "[%lu/%lu] ", c->started, (unsigned long)t + c->reruns);
	else
		buf_addf(line, "[%lu/?] ", c->started);
}

static int verbose(void)
{
	return getenv("WBGEN_VERBOSE") && strcmp(getenv("WBGEN_VERBOSE"), "1") == 0;
}

void step_progress(const char *phase, const char *name, const char *version, enum step_event ev)
{
	struct step_counts c;
	int fd = step_lock("logs/.lock");
	struct buf line = BUF_INIT;

	step_counts_read(&c);
	switch (ev) {
	case STEP_STARTED:
		c.started++;
		break;
	case STEP_UP_TO_DATE:
		c.started++;
		c.up_to_date++;
		step_trace_outcome(TRACE_UP_TO_DATE);
		break;
	case STEP_DONE:
		c.built++;
		step_trace_outcome(TRACE_BUILT);
		break;
	case STEP_CACHED:
		c.cached++;
		step_trace_outcome(TRACE_CACHED);
		break;
	case STEP_FAILED:
		c.failed++;
		step_trace_outcome(TRACE_FAILED);
		break;
	}
	step_counts_write(&c);
	/* an up-to-date phase is counted, shown only with V=1; the line is written under the lock, so
	 * that parallel jobs' lines reach stdout in the order of their counts */
	if (ev == STEP_STARTED || (ev == STEP_UP_TO_DATE && verbose())) {
		add_count(&line, &c);
		buf_addf(&line, "%-12s %s %s%s\n", phase, name, version, ev == STEP_UP_TO_DATE ? " (up to date)" : "");
		/* one write: lines of parallel jobs do not interleave */
		fflush(stdout);
		if (write_all(1, line.s, line.len) < 0)
			die("cannot write to stdout:");
	}
	close(fd);
	buf_release(&line);
}

void step_deferred(const char *phase, const char *name, const char *version, const char *why, int shown)
{
	struct step_counts c;
	int fd = step_lock("logs/.lock");
	struct buf line = BUF_INIT;

	step_trace_outcome(TRACE_DEFERRED);
	step_counts_read(&c);
	c.deferred++;
	/* a phase that ran and then found the plan changed runs again in the next make */
	if (shown == 2)
		c.reruns++;
	step_counts_write(&c);
	if (shown || verbose()) {
		add_count(&line, &c);
		buf_addf(&line, "%-12s %s %s (%s%s%s)\n", "deferred", name, version, shown ? "" : phase,
			 shown ? "" : ": ", why);
		fflush(stdout);
		if (write_all(1, line.s, line.len) < 0)
			die("cannot write to stdout:");
	}
	close(fd);
	buf_release(&line);
}
