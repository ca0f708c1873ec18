/* step_run.c: a run of the build, `wbgen step run` (the outer make's recipe): the locks it waits
 * for, the inner makes it runs while the plan changes, their records in the trace, the run's start
 * and its summary (see step_state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <glob.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "fsutil.h"
#include "run_command.h"
#include "sha256.h"
#include "step_cache.h"
#include "step_launch.h"
#include "step_state.h"
#include "trace.h"
#include "strlist.h"
#include "util.h"

/* inner makes of one run: far more than discovery needs (one per layer of new requirements) */
#define MAX_RUNS 50

int step_begin(void)
{
	int fd = step_lock("logs/.lock");
	struct step_counts c;
	json_t *a = json_array();

	memset(&c, 0, sizeof(c));
	step_counts_write(&c);
	step_failures_write(a);
	json_decref(a);
	close(fd);
	return EXIT_OK;
}

/* Take path's lock, waiting with a message (what) when another process holds it. */
static int lock_or_wait(const char *path, const char *what)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		die("cannot open '%s':", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			die("cannot lock '%s':", path);
		{
			/* a resolve writes "resolve PID" into the build lock while it holds it */
			struct buf who = BUF_INIT;

			if (buf_read_file(&who, path) == 0 && starts_with(who.s, "resolve "))
				what = "a wbgen resolve";
			fprintf(stderr, "wbgen: waiting for %s in this directory (%s)\n", what, path);
			buf_release(&who);
		}
		while (flock(fd, LOCK_EX) < 0)
			if (errno != EINTR)
				die("cannot lock '%s':", path);
	}
	return fd;
}

/* The digest of the Makefile (empty when it cannot be read): a re-resolve that changed the plan
 * changed it. */
static void makefile_digest(struct buf *out)
{
	buf_setlen(out, 0);
	if (sha256_file_hex("Makefile", out) < 0)
		buf_setlen(out, 0);
}

/* -k in the MAKEFLAGS the outer make passes to its recipe. */
static int keep_going(void)
{
	const char *f = getenv("MAKEFLAGS");
	size_t n;

	if (!f)
		return 0;
	n = strcspn(f, " ");
	if (f[0] == '-')
		return 0; /* no single-letter flags: the word holds long options only */
	return memchr(f, 'k', n) != NULL;
}

/* make's -j from the MAKEFLAGS the outer make passes: N for -jN, 0 for -j (no limit), else 1. */
static long make_jobs(void)
{
	const char *f = getenv("MAKEFLAGS"), *w;
	long n = 1;

	for (w = f; w && *w; w += strcspn(w, " ")) {
		size_t len;

		w += strspn(w, " ");
		len = strcspn(w, " ");
		if (len == 2 && starts_with(w, "--"))
			break; /* variable assignments follow */
		if (len >= 2 && w[0] == '-' && w[1] == 'j') {
			char num[24];

			if (len == 2)
				return 0;
			if (len - 2 >= sizeof(num))
				continue;
			memcpy(num, w + 2, len - 2);
			num[len - 2] = '\0';
			if (parse_int_range(num, 1, 1000000, &n) < 0)
				n = 1;
		}
	}
	return n;
}

static void trace_record(json_t *rec)
{
	if (mkdir_parents(TRACE_FILE) < 0 || trace_append(TRACE_FILE, rec) < 0)
		warn("cannot append to '%s': %s", TRACE_FILE, strerror(errno));
	json_decref(rec);
}

/* Where this run's records start in the trace (its size before the run), -1 outside a run. */
static off_t run_trace_from = -1;
/* A trace past this size is moved to TRACE_OLD when a run starts (one earlier generation kept). */
#define TRACE_ROTATE (64L << 20)
#define TRACE_OLD "logs/trace.1.jsonl"

/* The run's name in the trace (WBGEN_RUN, which its phases inherit) and its start record. */
static void trace_run_begin(char **argv)
{
	struct buf goals = BUF_INIT;
	double now = trace_now();
	char *run = xasprintf("%.0f-%ld", now, (long)getpid());
	struct stat st;
	size_t i;

	run_trace_from = 0;
	if (stat(TRACE_FILE, &st) == 0) {
		run_trace_from = st.st_size;
		if (st.st_size > TRACE_ROTATE && rename(TRACE_FILE, TRACE_OLD) == 0)
			run_trace_from = 0;
	}

	for (i = 1; argv[i]; i++)
		if (!strchr(argv[i], '=') && argv[i][0] != '-')
			buf_addf(&goals, "%s%s", goals.len ? " " : "", argv[i]);
	if (setenv("WBGEN_RUN", run, 1) < 0)
		die("setenv:");
	trace_record(json_pack("{s:s, s:s, s:f, s:I, s:s}", "ev", "run", "run", run, "start", now, "jobs",
			       (json_int_t)make_jobs(), "goals", goals.s ? goals.s : ""));
	free(run);
	buf_release(&goals);
}

/* The start (end 0) or end (end 1, with the inner make's status) of inner make number pass. */
static void trace_pass(unsigned long pass, int end, int status)
{
	char num[24];

	snprintf(num, sizeof(num), "%lu", pass);
	if (!end) {
		if (setenv("WBGEN_PASS", num, 1) < 0)
			die("setenv:");
		return;
	}
	trace_record(json_pack("{s:s, s:s, s:I, s:f, s:i}", "ev", "pass", "run", getenv("WBGEN_RUN"), "pass",
			       (json_int_t)pass, "end", trace_now(), "status", status));
}

static void trace_run_end(int status)
{
	trace_record(json_pack("{s:s, s:s, s:f, s:i}", "ev", "run-end", "run", getenv("WBGEN_RUN"), "end",
			       trace_now(), "status", status));
}

/* Run the inner make once; its status, 128+N for a signal (*signalled set). */
static int inner_make(char **argv, int *signalled)
{
	struct child_process cp;
	int r;

	child_process_init(&cp);
	cp.argv = (const char *const *)argv;
	/* Ctrl-C reaches make too: wait for it, then summarise */
	cp.ignore_interrupts = 1;
	*signalled = 0;
	if (start_command(&cp) < 0) {
		error("cannot run '%s':", argv[0]);
		return EXIT_FAILURE_USER;
	}
	r = finish_command(&cp);
	if (r < 0)
		die("waitpid:");
	*signalled = !WIFEXITED(cp.status);
	return r;
}

/* The temporary files of targets that a killed make left (a phase writes its target as
 * TARGET.tmp.XXXXXX, then renames it; the cached phase its wheel). Called holding the make lock: no phase of this directory
 * is running. The mirror's pages and the build's scratch directories have their own cleanup. */
static void remove_stale_targets(void)
{
	static const char *const pats[] = { "mirror/*.tmp.??????", "work/*/*.tmp.??????", "logs/*.tmp.??????",
					    "wheels-repo/downloads/*.tmp.??????" };
	size_t i, k;

	for (i = 0; i < sizeof(pats) / sizeof(*pats); i++) {
		glob_t g;

		if (glob(pats[i], GLOB_NOSORT, NULL, &g) != 0)
			continue;
		for (k = 0; k < g.gl_pathc; k++)
			if (unlink(g.gl_pathv[k]) < 0 && errno != ENOENT && errno != EISDIR)
				warn("cannot remove the stale temporary file '%s': %s", g.gl_pathv[k], strerror(errno));
		globfree(&g);
	}
}

int step_run(char **argv)
{
	struct buf before = BUF_INIT, after = BUF_INIT;
	char status[16];
	unsigned long runs = 0, deferred_before = 0, nd;
	int mk, fd, r, signalled, changed;
	struct step_counts c;

	mk = lock_or_wait(".wbgen-make.lock", "another make");
	fd = lock_or_wait(".wbgen.lock", "a wbgen resolve");
	close(fd);
	step_launch_prepare();
	remove_stale_targets();
	step_begin();
	if (step_cache_where())
		step_cache_begin();
	trace_run_begin(argv);
	for (;;) {
		makefile_digest(&before);
		/* the keys, and the hits routed around their build (docs/makefile.md, "The build cache") */
		if (step_cache_where())
			step_cache_prepare(argv);
		trace_pass(runs + 1, 0, -1);
		r = inner_make(argv, &signalled);
		runs++;
		trace_pass(runs, 1, r);
		makefile_digest(&after);
		fd = step_lock("logs/.lock");
		step_counts_read(&c);
		close(fd);
		nd = c.deferred - deferred_before;
		changed = strcmp(before.s, after.s) != 0;
		if (signalled || !changed || (r != 0 && !keep_going())) {
			if (!signalled && nd > 0 && !changed) {
				/* a phase found a prerequisite missing, yet the plan is the same */
				printf("wbgen: %lu phase%s deferred, but the plan did not change\n",
				       nd, nd == 1 ? "" : "s");
				if (r == 0)
					r = 2;
			} else if (!signalled && changed) {
				/* a failure without -k: make stopped, and so does the loop */
				printf("wbgen: the plan changed during the build (%lu phase%s deferred), "
				       "but make failed: not run again (make -k goes on after failures)\n",
				       nd, nd == 1 ? "" : "s");
			}
			break;
		}
		/* bounded: each further run follows a run that changed the plan */
		if (runs >= MAX_RUNS) {
			printf("wbgen: the plan still changed after %lu runs of make: giving up\n", runs);
			r = 2;
			break;
		}
		printf("wbgen: the plan changed during the build (%lu phase%s deferred): make again (run %lu)\n",
		       nd, nd == 1 ? "" : "s", runs + 1);
		deferred_before = c.deferred;
	}
	snprintf(status, sizeof(status), "%d", r > 255 ? 255 : r);
	trace_run_end(r > 255 ? 255 : r);
	if (step_cache_where())
		step_cache_report();
	r = step_end(status);
	buf_release(&before);
	buf_release(&after);
	close(mk);
	return r;
}

/* After failures: the packages of the plan that have no wheel in the mirror and did not fail
 * themselves (they need something that failed, or were not reached). */
static void not_built(json_t *failures)
{
	struct strlist names = STRLIST_INIT;
	struct buf line = BUF_INIT;
	DIR *d = opendir("work");
	struct dirent *de;
	size_t i, shown = 0;

	while (d && (de = readdir(d)) != NULL) {
		char *stamp, *pkg;
		json_t *e;
		size_t k;
		int failed = 0;

		if (de->d_name[0] == '.')
			continue;
		pkg = xasprintf("work/%s/pkg.json", de->d_name);
		stamp = xasprintf("mirror/%s.stamp", de->d_name);
		json_array_foreach(failures, k, e) {
			char *id = xasprintf("%s-%s", json_string_value(json_object_get(e, "name")) ?: "",
					     json_string_value(json_object_get(e, "version")) ?: "");

			failed |= strcmp(id, de->d_name) == 0;
			free(id);
		}
		if (!failed && path_exists(pkg) && !path_exists(stamp))
			strlist_add(&names, de->d_name);
		free(pkg);
		free(stamp);
	}
	if (d)
		closedir(d);
	strlist_sort(&names);
	for (i = 0; i < names.n && shown < 20; i++, shown++)
		buf_addf(&line, "%s%s", i ? ", " : "", names.v[i]);
	if (names.n > shown)
		buf_addf(&line, " and %zu more", names.n - shown);
	if (names.n)
		printf("wbgen: not built (%zu): %s\n", names.n, line.s);
	buf_release(&line);
	strlist_release(&names);
}

static int by_duration(const void *a, const void *b)
{
	const struct trace_phase *x = *(const struct trace_phase *const *)a, *y = *(const struct trace_phase *const *)b;
	double dx = x->end - x->start, dy = y->end - y->start;

	return dx < dy ? 1 : dx > dy ? -1 : 0;
}

/* From this run's records in the trace: " in W s" (its wall time so far) into wall, and its
 * slowest phases that ran into slow. */
static void run_times(struct buf *wall, struct buf *slow)
{
	const char *run = getenv("WBGEN_RUN");
	const struct trace_run *r;
	struct trace t;
	struct buf err = BUF_INIT;
	const struct trace_phase **v;
	size_t i, n = 0;

	if (!run || run_trace_from < 0)
		return;
	trace_init(&t);
	if (trace_load(&t, TRACE_FILE, run_trace_from, &err) < 0 || !(r = trace_run_find(&t, run))) {
		trace_release(&t);
		buf_release(&err);
		return;
	}
	buf_addf(wall, " in %.1f s", trace_now() - r->start);
	v = xcalloc(t.n + 1, sizeof(*v));
	for (i = 0; i < t.n; i++)
		if (strcmp(t.ph[i].run, run) == 0 && t.ph[i].outcome != TRACE_UP_TO_DATE)
			v[n++] = &t.ph[i];
	QSORT(v, n, by_duration);
	for (i = 0; i < n && i < 3; i++)
		buf_addf(slow, "%s%s %s %s %.1f s", i ? ", " : "", v[i]->phase, v[i]->name, v[i]->version,
			 v[i]->end - v[i]->start);
	free(v);
	trace_release(&t);
	buf_release(&err);
}

int step_end(const char *status)
{
	int fd = step_lock("logs/.lock");
	long st = 1;
	struct step_counts c;
	struct buf wall = BUF_INIT, slow = BUF_INIT, cached = BUF_INIT;
	unsigned long ran;
	json_t *a, *e;
	size_t i;

	step_counts_read(&c);
	a = step_failures_load();
	close(fd);
	if (parse_int_range(status, 0, 255, &st) < 0)
		st = 1;
	run_times(&wall, &slow);
	if (slow.len)
		printf("wbgen: slowest: %s\n", slow.s);
	ran = c.started - (c.reruns < c.started ? c.reruns : c.started);
	if (step_cache_where())
		buf_addf(&cached, " from cache %lu,", c.cached);
	printf("wbgen: %lu phase%s run%s: built %lu,%s up to date %lu, failed %lu\n", ran, ran == 1 ? "" : "s", wall.s,
	       c.built, cached.len ? cached.s : "", c.up_to_date, (unsigned long)json_array_size(a));
	buf_release(&cached);
	buf_release(&wall);
	buf_release(&slow);
	json_array_foreach(a, i, e)
		printf("wbgen: failed: %s %s %s: %s, see %s\n", json_string_value(json_object_get(e, "phase")),
		       json_string_value(json_object_get(e, "name")), json_string_value(json_object_get(e, "version")),
		       json_string_value(json_object_get(e, "message")), json_string_value(json_object_get(e, "log")));
	if (json_array_size(a)) {
		not_built(a);
		printf("wbgen: the failures are listed in failures.json\n");
	}
	else if (st != 0)
		printf("wbgen: make failed (status %ld)\n", st);
	json_decref(a);
	fflush(stdout);
	return (int)st;
}
