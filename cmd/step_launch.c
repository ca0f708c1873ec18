/* step_launch.c: heavy phases through srun (see step_launch.h, docs/cluster.md). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "run_command.h"
#include "step_launch.h"
#include "step_state.h"
#include "strlist.h"
#include "util.h"

/* The phases that run Python: environments, hooks, builds. */
static const char *const heavy[] = { "build-system", "discover", "backend", "build", "deps" };

/* How long the launching side waits for the launched phase's files to show on the shared file
 * system (attribute caching), in tenths of a second. */
#define VISIBLE_WAIT 100

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

int step_launch_wanted(const char *phase)
{
	const char *l = getenv("WBGEN_LAUNCHER"), *in = getenv("WBGEN_LAUNCHED");
	size_t i;

	if (!l || !*l || (in && *in))
		return 0;
	if (strcmp(l, "srun") != 0)
		die("step: unknown launcher WBGEN_LAUNCHER='%s' (srun, or empty for none)", l);
	for (i = 0; i < ARRAY_SIZE(heavy); i++)
		if (strcmp(heavy[i], phase) == 0)
			return 1;
	return 0;
}

static char *outcome_path(const char *log)
{
	return xasprintf("%s.launched", log);
}

/* The job's size from pkg.json: --cpus-per-task, --mem (MB, rounded up), --exclusive. */
static void job_size(const json_t *pkg, struct strlist *args)
{
	json_int_t cores = json_integer_value(json_object_get(pkg, "cpu_cores_per_job"));
	const json_t *mem = json_object_get(pkg, "memory_per_job_gb");

	if (cores >= 1)
		strlist_add_owned(args, xasprintf("--cpus-per-task=%lld", (long long)cores));
	if (json_is_number(mem) && json_number_value(mem) > 0 && json_number_value(mem) < 1e6) {
		double want = json_number_value(mem) * 1024.0;
		long long mb = (long long)want;

		if ((double)mb < want)
			mb++;
		strlist_add_owned(args, xasprintf("--mem=%lld", mb));
	}
	if (json_is_true(json_object_get(pkg, "exclusive_build")))
		strlist_add(args, "--exclusive");
}

/* $WBGEN_SRUN_FLAGS, split at white space (resolve's --srun-option refuses options with any). */
static void srun_flags(struct strlist *args)
{
	const char *p = getenv("WBGEN_SRUN_FLAGS");

	while (p && *p) {
		size_t n;

		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (n)
			strlist_add_owned(args, xstrndup(p, n));
		p += n;
	}
}

/* Wait (bounded) until path shows on the shared file system: 0, or -1 when it did not. */
static int visible(const char *path, int tries)
{
	struct timespec ts = { 0, 100000000L };
	int i;

	for (i = 0; !path_exists(path); i++) {
		if (i >= tries)
			return -1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* The launched phase's outcome ("STATUS TARGET\n", TARGET 1 when it left its target), waiting for
 * it when the launch succeeded, and then for the target: 0 with *status, or -1 when there is none. */
static int read_outcome(const char *path, int wait, const char *target, long *status)
{
	struct buf b = BUF_INIT;
	char *sp;
	int r = -1;

	if (visible(path, wait ? VISIBLE_WAIT : 0) == 0 && buf_read_file(&b, path) == 0 &&
	    (sp = strchr(b.s, ' ')) != NULL) {
		*sp = '\0';
		r = parse_int_range(b.s, 0, 255, status);
		if (r == 0 && sp[1] == '1' && target && visible(target, VISIBLE_WAIT) < 0) {
			error("step: '%s' was made on the node but does not show here", target);
			*status = EXIT_FAILURE_USER;
		}
	}
	buf_release(&b);
	return r;
}

static int launcher_failed(const struct step_launch *l, int status, const char *why)
{
	char *msg = xasprintf("the launcher failed: %s (the phase did not finish on its node)", why);

	if (l->target && unlink(l->target) < 0 && errno != ENOENT)
		die("cannot remove '%s':", l->target);
	fprintf(stderr, "FAILED: %s %s %s: %s\n  log: %s\n", l->phase, l->name, l->version, msg, l->log);
	step_record_failure(l->name, l->version, l->phase, l->log, status, msg, why);
	free(msg);
	return EXIT_FAILURE_USER;
}

/* srun in a process group of its own: the terminal's Ctrl-C reaches us, not srun (one SIGINT only
 * makes srun print its status); we pass it on as the SIGTERM that cancels the step. */
static int own_group(void *data)
{
	(void)data;
	return setpgid(0, 0);
}

int step_launch(const struct step_launch *l)
{
	struct strlist args = STRLIST_INIT;
	struct child_process cp;
	struct sigaction sa, old_int, old_term;
	const char *env[] = { "WBGEN_LAUNCHED=1", NULL };
	char *self = realpath("/proc/self/exe", NULL), *outcome = outcome_path(l->log), *why, *base;
	const char **argv;
	long status;
	size_t i;
	int r;

	if (!self)
		die("cannot find this program (/proc/self/exe):");
	if (unlink(outcome) < 0 && errno != ENOENT)
		die("cannot remove '%s':", outcome);
	strlist_add(&args, "srun");
	strlist_add(&args, "-n1");
	strlist_add(&args, "-N1");
	strlist_add_owned(&args, xasprintf("--job-name=wbgen:%s:%s", l->phase, l->id));
	job_size(l->pkg, &args);
	srun_flags(&args);
	strlist_add(&args, "--");
	strlist_add(&args, self);
	/* wbgen-step takes the phase first, wbgen the command "step" */
	base = strrchr(self, '/');
	if (strcmp(base ? base + 1 : self, "wbgen-step") != 0)
		strlist_add(&args, "step");
	for (i = 1; l->argv[i]; i++)
		strlist_add(&args, l->argv[i]);
	argv = xcalloc(args.n + 1, sizeof(*argv));
	for (i = 0; i < args.n; i++)
		argv[i] = args.v[i];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	child_process_init(&cp);
	cp.argv = argv;
	cp.env = env;
	cp.no_stdin = 1;
	cp.setup = own_group;
	cp.interrupted = &interrupted;
	if (start_command(&cp) < 0) {
		why = xasprintf("cannot run srun: %s", strerror(errno));
		r = -1;
	} else {
		if (interrupted)
			kill(cp.pid, SIGTERM);
		r = finish_command(&cp);
		if (r < 0)
			die("waitpid:");
		why = xasprintf("srun exited %d", r);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);

	if (read_outcome(outcome, r == 0, l->target, &status) == 0)
		r = (int)status;
	else
		r = launcher_failed(l, r < 0 ? 127 : r, why);
	free(why);
	free(argv);
	strlist_release(&args);
	free(outcome);
	free(self);
	return r;
}

void step_launch_done(const char *log, const char *target, int status)
{
	char *path, *text;
	const char *in = getenv("WBGEN_LAUNCHED");
	int fd = -1;

	if (!in || !*in)
		return;
	if (target) {
		fd = open(target, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && fsync(fd) < 0)
			error("cannot sync '%s':", target);
	}
	path = outcome_path(log);
	text = xasprintf("%d %d\n", status, fd >= 0);
	if (fd >= 0)
		close(fd);
	if (write_file_atomic(path, text, strlen(text)) < 0)
		error("cannot write '%s':", path);
	free(text);
	free(path);
}
