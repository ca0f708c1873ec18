/* step_state.c: progress, failures, stamps and discovery shared by the phases (see step_state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <glob.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "discovered.h"
#include "fsutil.h"
#include "sha256.h"
#include "step_state.h"
#include "step_trace.h"
#include "trace.h"
#include "strlist.h"
#include "utf8.h"
#include "util.h"

#define PROGRESS "logs/.progress"
#define FAILURES "failures.json"
/* inner makes of one run: far more than discovery needs (one per layer of new requirements) */
#define MAX_RUNS 50

/* flock path (created), returning the descriptor. */
static int lock_file(const char *path)
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

/* started only grows, so the [k/T] lines never count backwards: a phase that printed its line and
 * was then deferred runs again, and is counted in reruns (T grows by one) instead. */
struct counts {
	unsigned long started, built, up_to_date, failed, deferred, reruns;
};

static void counts_read(struct counts *c)
{
	struct buf b = BUF_INIT;

	memset(c, 0, sizeof(*c));
	if (buf_read_file(&b, PROGRESS) == 0 &&
	    sscanf(b.s, "%lu %lu %lu %lu %lu %lu", &c->started, &c->built, &c->up_to_date, &c->failed, &c->deferred,
		   &c->reruns) != 6)
		memset(c, 0, sizeof(*c));
	buf_release(&b);
}

static void counts_write(const struct counts *c)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "%lu %lu %lu %lu %lu %lu\n", c->started, c->built, c->up_to_date,
			 c->failed, c->deferred, c->reruns);

	if (write_file(PROGRESS, line, (size_t)n, WRITE_NOSYNC) < 0)
		die("cannot write '%s':", PROGRESS);
}

/* "[k/T] " of the progress lines: T is the plan's phase count plus the phases that run again. */
static void add_count(struct buf *line, const struct counts *c)
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
	struct counts c;
	int fd = lock_file("logs/.lock");
	struct buf line = BUF_INIT;

	counts_read(&c);
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
	case STEP_FAILED:
		c.failed++;
		step_trace_outcome(TRACE_FAILED);
		break;
	}
	counts_write(&c);
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
	struct counts c;
	int fd = lock_file("logs/.lock");
	struct buf line = BUF_INIT;

	step_trace_outcome(TRACE_DEFERRED);
	counts_read(&c);
	c.deferred++;
	/* a phase that ran and then found the plan changed runs again in the next make */
	if (shown == 2)
		c.reruns++;
	counts_write(&c);
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

static json_t *failures_load(void)
{
	json_t *v = json_load_file(FAILURES, 0, NULL), *a = json_object_get(v, "failures");

	if (json_is_array(a)) {
		json_incref(a);
		json_decref(v);
		return a;
	}
	json_decref(v);
	return json_array();
}

static void failures_write(json_t *a)
{
	json_t *v = json_pack("{s:O}", "failures", a);
	char *t = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct buf b = BUF_INIT;

	buf_adds(&b, t);
	buf_addch(&b, '\n');
	if (write_file(FAILURES, b.s, b.len, 0) < 0)
		die("cannot write '%s':", FAILURES);
	buf_release(&b);
	free(t);
	json_decref(v);
}

int step_begin(void)
{
	int fd = lock_file("logs/.lock");
	struct counts c;
	json_t *a = json_array();

	memset(&c, 0, sizeof(c));
	counts_write(&c);
	failures_write(a);
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
	struct sigaction ign, old_int, old_quit;
	int st;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		die("fork:");
	if (pid == 0) {
		execvp(argv[0], argv);
		die("cannot run '%s':", argv[0]);
	}
	/* Ctrl-C reaches make too: wait for it, then summarise */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid:");
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	*signalled = !WIFEXITED(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The temporary files of targets that a killed make left (a phase writes its target as
 * TARGET.tmp.XXXXXX, then renames it). Called holding the make lock: no phase of this directory
 * is running. The mirror's pages and the build's scratch directories have their own cleanup. */
static void remove_stale_targets(void)
{
	static const char *const pats[] = { "mirror/*.tmp.??????", "work/*/*.tmp.??????", "logs/*.tmp.??????" };
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
	struct counts c;

	mk = lock_or_wait(".wbgen-make.lock", "another make");
	fd = lock_or_wait(".wbgen.lock", "a wbgen resolve");
	close(fd);
	remove_stale_targets();
	step_begin();
	trace_run_begin(argv);
	for (;;) {
		makefile_digest(&before);
		trace_pass(runs + 1, 0, -1);
		r = inner_make(argv, &signalled);
		runs++;
		trace_pass(runs, 1, r);
		makefile_digest(&after);
		fd = lock_file("logs/.lock");
		counts_read(&c);
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
	qsort(v, n, sizeof(*v), by_duration);
	for (i = 0; i < n && i < 3; i++)
		buf_addf(slow, "%s%s %s %s %.1f s", i ? ", " : "", v[i]->phase, v[i]->name, v[i]->version,
			 v[i]->end - v[i]->start);
	free(v);
	trace_release(&t);
	buf_release(&err);
}

int step_end(const char *status)
{
	int fd = lock_file("logs/.lock");
	long st = 1;
	struct counts c;
	struct buf wall = BUF_INIT, slow = BUF_INIT;
	unsigned long ran;
	json_t *a, *e;
	size_t i;

	counts_read(&c);
	a = failures_load();
	close(fd);
	if (parse_int_range(status, 0, 255, &st) < 0)
		st = 1;
	run_times(&wall, &slow);
	if (slow.len)
		printf("wbgen: slowest: %s\n", slow.s);
	ran = c.started - (c.reruns < c.started ? c.reruns : c.started);
	printf("wbgen: %lu phase%s run%s: built %lu, up to date %lu, failed %lu\n", ran, ran == 1 ? "" : "s", wall.s,
	       c.built, c.up_to_date, (unsigned long)json_array_size(a));
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

void step_record_failure(const char *name, const char *version, const char *phase, const char *log, int status,
			 const char *msg)
{
	int fd = lock_file("logs/.lock");
	json_t *a = failures_load(), *out = json_array(), *e;
	struct counts c;
	size_t i;

	step_trace_outcome(TRACE_FAILED);
	json_array_foreach(a, i, e)
		if (strcmp(json_string_value(json_object_get(e, "name")) ?: "", name) != 0 ||
		    strcmp(json_string_value(json_object_get(e, "phase")) ?: "", phase) != 0)
			json_array_append(out, e);
	json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "name", name, "version", version,
					     "phase", phase, "log", log, "status", status, "message", msg, "run",
					     getenv("WBGEN_INNER") ?: ""));
	failures_write(out);
	counts_read(&c);
	c.failed++;
	counts_write(&c);
	json_decref(a);
	json_decref(out);
	close(fd);
}

int step_failed_in_run(const char *name, const char *phase)
{
	const char *run = getenv("WBGEN_INNER");
	int fd, found = 0;
	json_t *a, *e;
	size_t i;

	if (!run || !*run)
		return 0;
	fd = lock_file("logs/.lock");
	a = failures_load();
	close(fd);
	json_array_foreach(a, i, e)
		if (strcmp(json_string_value(json_object_get(e, "name")) ?: "", name) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "phase")) ?: "", phase) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "run")) ?: "", run) == 0)
			found = 1;
	json_decref(a);
	return found;
}

void step_tail(const char *path, int n, struct buf *out)
{
	struct buf b = BUF_INIT;
	size_t start;
	int lines = 0;

	if (buf_read_file(&b, path) < 0 || b.len == 0) {
		buf_release(&b);
		return;
	}
	start = b.len;
	if (b.s[start - 1] == '\n')
		start--;
	while (start > 0 && lines < n) {
		start--;
		if (b.s[start] == '\n')
			lines++;
	}
	if (b.s[start] == '\n')
		start++;
	while (start < b.len) {
		char *nl = memchr(b.s + start, '\n', b.len - start);
		size_t end = nl ? (size_t)(nl - b.s) : b.len;

		buf_adds(out, "    ");
		buf_add_printable(out, b.s + start, end - start);
		buf_addch(out, '\n');
		start = end + 1;
	}
	buf_release(&b);
}

/* Run `wbgen resolve` again, as resolve-args.json says, its output appended to log. */
static int resolve_again(const char *log, struct buf *err)
{
	json_t *v = json_load_file("resolve-args.json", 0, NULL), *args = json_object_get(v, "argv");
	const char *cwd = json_string_value(json_object_get(v, "cwd"));
	json_int_t now = json_integer_value(json_object_get(v, "time"));
	char *nowtext = now > 0 ? xasprintf("%lld", (long long)now) : NULL;
	const char **argv;
	size_t i, n = json_array_size(args);
	int status, r = -1;
	pid_t pid;

	if (!cwd || !json_is_array(args)) {
		buf_adds(err, "resolve-args.json is missing or unreadable: run wbgen resolve again");
		json_decref(v);
		free(nowtext);
		return -1;
	}
	argv = xcalloc(n + 3, sizeof(*argv));
	argv[0] = "wbgen";
	argv[1] = "resolve";
	for (i = 0; i < n; i++)
		if (!(argv[i + 2] = json_string_value(json_array_get(args, i)))) {
			buf_adds(err, "resolve-args.json: an argument is not a string");
			goto out;
		}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		die("fork:");
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY), fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (in < 0 || fd < 0 || dup2(in, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || chdir(cwd) < 0)
			_exit(127);
		setenv("WBGEN_LOCK_HELD", "1", 1);
		/* min_release_age is measured from the first resolve's time */
		if (nowtext)
			setenv("WBGEN_RESOLVE_TIME", nowtext, 1);
		else
			unsetenv("WBGEN_RESOLVE_TIME");
		/* wbgen itself: the Makefile exports WBGEN (this may be wbgen-step) */
		execv(getenv("WBGEN") && *getenv("WBGEN") ? getenv("WBGEN") : "/proc/self/exe", (char **)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid:");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		r = 0;
	else
		buf_addf(err, "resolving the discovered requirements failed (wbgen resolve, run in %s): see the log", cwd);
out:
	free(argv);
	free(nowtext);
	json_decref(v);
	return r;
}

/* Non-zero when the plan was made from the current discovered.json (see cmd/resolve.c). */
static int resolved_current(void)
{
	struct buf d = BUF_INIT, m = BUF_INIT;
	int r;

	if (sha256_file_hex("discovered.json", &d) < 0)
		buf_adds(&d, "none");
	buf_addch(&d, '\n');
	r = buf_read_file(&m, ".wbgen-resolved") == 0 && strcmp(m.s, d.s) == 0;
	buf_release(&d);
	buf_release(&m);
	return r;
}

/* Write discovered.json's new text cur, which adds an answer and no requirement, and record that
 * the plan (made from the old one) is current: the resolver does not read the answers. */
static void entries_of(const struct discovered *d, const char *name, const struct version *v, const char *req_type,
		       struct strlist *out);

static int record_answer(const struct buf *cur, struct buf *err)
{
	struct buf d = BUF_INIT;
	int r = -1;

	if (write_file("discovered.json", cur->s, cur->len, WRITE_IF_CHANGED) < 0) {
		buf_addf(err, "cannot write discovered.json: %s", strerror(errno));
	} else if (sha256_file_hex("discovered.json", &d) < 0) {
		buf_addf(err, "cannot read discovered.json: %s", strerror(errno));
	} else {
		buf_addch(&d, '\n');
		if (write_file(".wbgen-resolved", d.s, d.len, WRITE_IF_CHANGED) < 0)
			buf_addf(err, "cannot write .wbgen-resolved: %s", strerror(errno));
		else
			r = 0;
	}
	buf_release(&d);
	return r;
}

int step_discovered_known(const char *name, const char *version, const char *req_type, struct strlist *reqs)
{
	struct discovered d;
	struct version want;
	struct buf err = BUF_INIT;
	int fd = lock_file(".wbgen.lock"), r = 0;

	discovered_init(&d);
	version_init(&want);
	if (discovered_load(&d, "discovered.json", &err) == 0 && version_parse(version, &want) == 0 &&
	    discovered_answered(&d, name, version, req_type) && path_exists("plan.json") && resolved_current()) {
		entries_of(&d, name, &want, req_type, reqs);
		r = 1;
	}
	close(fd);
	buf_release(&err);
	version_release(&want);
	discovered_release(&d);
	return r;
}

/* The sorted requirement texts of name==version's entries of req_type in d. */
static void entries_of(const struct discovered *d, const char *name, const struct version *v, const char *req_type,
		       struct strlist *out)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].name, name) == 0 && version_cmp(&d->v[i].v, v) == 0 &&
		    strcmp(req_type_name(d->v[i].type), req_type) == 0)
			strlist_add(out, d->v[i].req.text);
	strlist_sort(out);
}

static int same_list(const struct strlist *a, const struct strlist *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

int step_discovered_update(const char *name, const char *version, const char *req_type,
			   const struct strlist *reqs, const char *log, struct buf *news, struct buf *err)
{
	struct discovered old, nu;
	struct version want;
	struct strlist had = STRLIST_INIT, have = STRLIST_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *j = NULL;
	char *text = NULL;
	struct buf cur = BUF_INIT;
	int fd = lock_file(".wbgen.lock"), r = -1;
	size_t i;

	discovered_init(&old);
	discovered_init(&nu);
	version_init(&want);
	if (discovered_load(&old, "discovered.json", err) < 0)
		goto out;
	if (version_parse(version, &want) < 0) {
		buf_addf(err, "invalid version '%s'", version);
		goto out;
	}
	for (i = 0; i < old.answered.n; i++)
		strlist_add(&nu.answered, old.answered.v[i]);
	if (discovered_answer(&nu, name, version, req_type, err) < 0)
		goto out;
	for (i = 0; i < old.n; i++) {
		const struct discovered_req *e = &old.v[i];

		if (strcmp(e->name, name) == 0 && version_cmp(&e->v, &want) == 0 &&
		    strcmp(req_type_name(e->type), req_type) == 0)
			continue;
		if (discovered_add(&nu, e->name, e->version, req_type_name(e->type), e->req.text, err) < 0)
			goto out;
	}
	for (i = 0; i < reqs->n; i++)
		if (discovered_add(&nu, name, version, req_type, reqs->v[i], err) < 0) {
			buf_addf(err, " (returned for %s %s)", name, version);
			goto out;
		}
	entries_of(&old, name, &want, req_type, &had);
	entries_of(&nu, name, &want, req_type, &have);
	for (i = 0; i < have.n; i++)
		if (strlist_find(&had, have.v[i]) < 0)
			buf_addf(news, "%s%s", news->len ? ", " : "", have.v[i]);
	j = discovered_to_json(&nu);
	text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	buf_adds(&cur, text);
	buf_addch(&cur, '\n');
	if (same_list(&had, &have) && path_exists("plan.json") && resolved_current()) {
		/* what the plan was made from: nothing to resolve. A first answer is recorded (the
		 * resolver does not read which answers there are: the plan stays current) */
		if (!discovered_answered(&old, name, version, req_type) && record_answer(&cur, err) < 0)
			goto out;
		r = 0;
		goto out;
	}
	if (write_file("discovered.json", cur.s, cur.len, WRITE_IF_CHANGED) < 0) {
		buf_addf(err, "cannot write discovered.json: %s", strerror(errno));
		goto out;
	}
	if (sha256_file_hex("Makefile", &before) < 0)
		buf_setlen(&before, 0);
	if (resolve_again(log, err) < 0)
		goto out;
	if (sha256_file_hex("Makefile", &after) < 0)
		buf_setlen(&after, 0);
	r = strcmp(before.s, after.s) != 0;
out:
	close(fd);
	free(text);
	json_decref(j);
	buf_release(&cur);
	buf_release(&before);
	buf_release(&after);
	strlist_release(&had);
	strlist_release(&have);
	version_release(&want);
	discovered_release(&old);
	discovered_release(&nu);
	return r;
}
