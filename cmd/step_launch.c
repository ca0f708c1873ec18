/* step_launch.c: heavy phases through srun (see step_launch.h, docs/cluster.md). */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "run_command.h"
#include "sharedfs.h"
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

/* The launched phase's job, "JOBID STEPID NODE", written on the node when it starts. */
static char *job_path(const char *log)
{
	return xasprintf("%s.job", log);
}

/* srun's standard error, kept while it runs (then shown, and read for why a launch failed). */
static char *srun_err_path(const char *log)
{
	return xasprintf("%s.srun", log);
}

/* Cancel the jobs an earlier make in this OUTDIR left (it was killed with its wbgen-steps, which
 * could not cancel theirs: a pending job then gets its node and holds it, idle). They are the
 * jobs named wbgen:* whose working directory is OUTDIR: two makes never share an OUTDIR (its
 * lock), so none of them is another make's. */
static void cancel_leftovers(const char *cwd)
{
	struct child_process cp;
	struct strlist ids = STRLIST_INIT;
	struct buf out = BUF_INIT, list = BUF_INIT;
	struct passwd *pw = getpwuid(getuid());
	const char *argv[] = { "squeue", "-h", "-u", pw ? pw->pw_name : "root", "-o", "%i %j %Z", NULL };
	const char *line;
	size_t n, i;

	child_process_init(&cp);
	cp.argv = argv;
	cp.no_stdin = 1;
	cp.no_stderr = 1;
	if (pipe_command(&cp, &out, NULL) != 0) {
		buf_release(&out);
		return; /* no Slurm here: the phases will say so */
	}
	for (line = out.s; *line; line += n + (line[n] == '\n')) {
		const char *name, *dir;
		size_t idn;

		n = strcspn(line, "\n");
		idn = strcspn(line, " \n");
		name = line + idn + (line[idn] == ' ');
		dir = name + strcspn(name, " \n");
		if (*dir == ' ' && starts_with(name, "wbgen:") && (size_t)(line + n - (dir + 1)) == strlen(cwd) &&
		    strncmp(dir + 1, cwd, strlen(cwd)) == 0)
			strlist_add_owned(&ids, xstrndup(line, idn));
	}
	if (ids.n) {
		const char **cancel = xcalloc(ids.n + 3, sizeof(*cancel));

		cancel[0] = "scancel";
		cancel[1] = "--quiet";
		for (i = 0; i < ids.n; i++) {
			cancel[i + 2] = ids.v[i];
			buf_addf(&list, "%s%s", i ? " " : "", ids.v[i]);
		}
		fprintf(stderr, "wbgen: cancelling %zu job%s an earlier make left in this OUTDIR: %s\n", ids.n,
			ids.n == 1 ? "" : "s", list.s);
		child_process_init(&cp);
		cp.argv = cancel;
		cp.no_stdin = 1;
		cp.out = 2;
		if (run_command(&cp) != 0)
			error("step: scancel %s failed", list.s);
		free(cancel);
	}
	strlist_release(&ids);
	buf_release(&list);
	buf_release(&out);
}

void step_launch_prepare(void)
{
	const char *l = getenv("WBGEN_LAUNCHER");
	struct buf why = BUF_INIT;
	enum sharedfs_verdict v;
	char *cwd;

	if (!l || !*l)
		return;
	cwd = getcwd(NULL, 0);
	if (!cwd)
		die("cannot get the current directory:");
	v = sharedfs_check(".", &why);
	if (v == SHAREDFS_REFUSED)
		die("'%s' cannot be the OUTDIR of a build on a cluster: %s (docs/cluster.md; make WBGEN_LAUNCHER= "
		    "builds here)", cwd, why.s);
	if (v == SHAREDFS_LOCAL)
		fprintf(stderr, "wbgen: warning: OUTDIR '%s': %s\n", cwd, why.s);
	buf_release(&why);
	cancel_leftovers(cwd);
	free(cwd);
}

/* This node's name, for messages. */
static const char *node_name(void)
{
	static char host[256];

	if (!host[0] && gethostname(host, sizeof(host) - 1) < 0)
		snprintf(host, sizeof(host), "?");
	return host;
}

void step_launch_arrive(void)
{
	const char *in = getenv("WBGEN_LAUNCHED"), *dir = getenv("WBGEN_LAUNCH_DIR");
	char *cwd;

	if (!in || !*in || !dir || !*dir)
		return;
	cwd = getcwd(NULL, 0);
	if (!cwd || strcmp(cwd, dir) != 0)
		die("step: OUTDIR '%s' is not on node %s at the same path (the phase runs in '%s'): every node must "
		    "mount OUTDIR's file system at the same path (docs/cluster.md)", dir, node_name(),
		    cwd ? cwd : "?");
	if (!path_exists("plan.json"))
		die("step: '%s' on node %s is not the OUTDIR made by wbgen resolve (no plan.json): every node "
		    "must mount OUTDIR's file system at the same path (docs/cluster.md)", dir, node_name());
	free(cwd);
}

void step_launch_begin(const char *log, const char *python)
{
	const char *in = getenv("WBGEN_LAUNCHED"), *job = getenv("SLURM_JOB_ID"), *st = getenv("SLURM_STEP_ID");
	char *path, *text;

	if (!in || !*in)
		return;
	if (python && access(python, X_OK) < 0)
		die("step: the target interpreter '%s' is not on node %s: it must be at the same path on every "
		    "node (docs/cluster.md)", python, node_name());
	if (!job || !*job)
		return;
	path = job_path(log);
	text = xasprintf("%s %s %s\n", job, st && *st ? st : "-", node_name());
	if (write_file_atomic(path, text, strlen(text)) < 0)
		error("cannot write '%s':", path);
	free(text);
	free(path);
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

/* The launched phase's outcome ("STATUS TARGET JOB.STEP NODE\n", TARGET 1 when it left its
 * target), waiting for it when wait is set, and then for the target: 0 with *status, or -1 when
 * there is none. */
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

/* What srun said on its standard error (kept in a file while it ran): the new job it was given,
 * when it said ("srun: job N queued and waiting for resources"), and the line that says why it
 * failed: the last error of wbgen's own (the launched phase refusing its node), else srun's or
 * slurmstepd's last ("srun: error: Node failure on NODE"). */
struct srun_said {
	char *job, *why, *text;
};

static void srun_said_read(const char *path, struct srun_said *said)
{
	struct buf b = BUF_INIT;
	const char *line, *err = NULL, *own = NULL;
	size_t n, errn = 0, ownn = 0;

	memset(said, 0, sizeof(*said));
	if (buf_read_file(&b, path) < 0)
		return;
	for (line = b.s; *line; line += n + (line[n] == '\n')) {
		const char *p = line + strlen("srun: job ");
		size_t digits;

		n = strcspn(line, "\n");
		if (starts_with(line, "srun: job ") && (digits = strspn(p, "0123456789")) > 0 &&
		    (starts_with(p + digits, " queued") || starts_with(p + digits, " has been allocated"))) {
			free(said->job);
			said->job = xstrndup(p, digits);
		} else if (starts_with(line, "srun: error: ") || starts_with(line, "slurmstepd: error: ")) {
			err = line;
			errn = n;
		} else if ((starts_with(line, "wbgen: ") || starts_with(line, "wbgen-step: ")) &&
			   !strstr(line, ": warning: ")) {
			own = line;
			ownn = n;
		}
	}
	/* a launched phase that refused its node says why better than srun's "task 0: Exited" */
	if (own)
		said->why = xstrndup(own, ownn);
	else if (err)
		said->why = xstrndup(err, errn);
	said->text = buf_detach(&b, NULL);
}

static void srun_said_release(struct srun_said *said)
{
	free(said->job);
	free(said->why);
	free(said->text);
}

/* A launch that failed may leave its job behind: pending (srun was killed while it waited: Slurm
 * then gives the job its node and keeps it, idle) or still running. Cancel it: the step, when it
 * is a step of this allocation (SLURM_JOB_ID here is its job), else the job. Best effort: scancel
 * of a job that has ended says nothing (--quiet). */
static void fence(const char *log, const char *queued)
{
	const char *ours = getenv("SLURM_JOB_ID");
	char *path = job_path(log), *id = NULL;
	struct buf b = BUF_INIT;
	struct child_process cp;
	const char *argv[] = { "scancel", "--quiet", NULL, NULL };

	if (buf_read_file(&b, path) == 0 && b.len) {
		char job[32], step[32];

		if (sscanf(b.s, "%31s %31s", job, step) == 2) {
			if (ours && strcmp(ours, job) == 0)
				id = strcmp(step, "-") != 0 ? xasprintf("%s.%s", job, step) : NULL;
			else
				id = xstrdup(job);
		}
	} else if (queued && !(ours && strcmp(ours, queued) == 0)) {
		id = xstrdup(queued);
	}
	if (id) {
		argv[2] = id;
		child_process_init(&cp);
		cp.argv = argv;
		cp.no_stdin = 1;
		cp.out = 2;
		if (run_command(&cp) < 0)
			error("step: cannot run scancel %s to cancel the failed launch's job:", id);
	}
	free(id);
	buf_release(&b);
	free(path);
}

/* The launch failed: srun's word on it joins the phase's log, its job is cancelled, and the
 * failure is recorded in the launcher's name. */
static int launcher_failed(const struct step_launch *l, int status, const char *why,
			   const struct srun_said *said)
{
	char *reason = said->why ? xasprintf("%s: %s", why, said->why) : xstrdup(why);
	char *msg = xasprintf("the launcher failed: %s (the phase did not finish on its node)", reason);
	FILE *f;

	fence(l->log, said->job);
	if (l->target && unlink(l->target) < 0 && errno != ENOENT)
		die("cannot remove '%s':", l->target);
	if (said->text && *said->text && (f = fopen(l->log, "a")) != NULL) {
		fprintf(f, "--- srun, the launcher, said:\n%s", said->text);
		if (fclose(f) != 0)
			error("cannot write '%s':", l->log);
	}
	fprintf(stderr, "FAILED: %s %s %s: %s\n  log: %s\n", l->phase, l->name, l->version, msg, l->log);
	step_record_failure(l->name, l->version, l->phase, l->log, status, msg, reason);
	free(msg);
	free(reason);
	return EXIT_FAILURE_USER;
}

/* srun in a process group of its own: the terminal's Ctrl-C reaches us, not srun (one SIGINT only
 * makes srun print its status); we pass it on as the SIGTERM that cancels the step. */
static int own_group(void *data)
{
	(void)data;
	return setpgid(0, 0);
}

/* Remove a file of the launch's, if there. */
static void remove_file(const char *path)
{
	if (unlink(path) < 0 && errno != ENOENT)
		die("cannot remove '%s':", path);
}

int step_launch(const struct step_launch *l)
{
	struct strlist args = STRLIST_INIT;
	struct child_process cp;
	struct sigaction sa, old_int, old_term;
	struct srun_said said;
	char *self = realpath("/proc/self/exe", NULL), *outcome = outcome_path(l->log), *why, *base;
	char *errpath = srun_err_path(l->log), *jobpath = job_path(l->log), *cwd = getcwd(NULL, 0), *dirvar;
	const char *env[] = { "WBGEN_LAUNCHED=1", NULL, NULL };
	const char **argv;
	long status;
	size_t i;
	int r, errfd;

	if (!self)
		die("cannot find this program (/proc/self/exe):");
	if (!cwd)
		die("cannot get the current directory:");
	dirvar = xasprintf("WBGEN_LAUNCH_DIR=%s", cwd);
	env[1] = dirvar;
	remove_file(outcome);
	remove_file(jobpath);
	errfd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (errfd < 0)
		die("cannot create '%s':", errpath);
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
	cp.err = errfd;
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
		if (WIFSIGNALED(cp.status))
			why = xasprintf("srun was killed by signal %d", WTERMSIG(cp.status));
		else
			why = xasprintf("srun exited %d", r);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	close(errfd);

	/* what srun and the task wrote to standard error, shown now (srun ran with it in a file) */
	srun_said_read(errpath, &said);
	if (said.text && *said.text) {
		fputs(said.text, stderr);
		fflush(stderr);
	}
	/* a launch that srun says failed (it exits 0 after "Node failure") is not waited for */
	if (read_outcome(outcome, r == 0 && !said.why, l->target, &status) == 0) {
		r = (int)status;
	} else {
		if (r == 0) {
			free(why);
			why = xstrdup("srun exited 0 without the phase's outcome");
		}
		r = launcher_failed(l, r < 0 ? 127 : r, why, &said);
	}
	remove_file(errpath);
	remove_file(jobpath);
	srun_said_release(&said);
	free(why);
	free(argv);
	strlist_release(&args);
	free(outcome);
	free(errpath);
	free(jobpath);
	free(dirvar);
	free(cwd);
	free(self);
	return r;
}

void step_launch_done(const char *log, const char *target, int status)
{
	char *path, *text;
	const char *in = getenv("WBGEN_LAUNCHED"), *job = getenv("SLURM_JOB_ID"), *st = getenv("SLURM_STEP_ID");
	int fd = -1;

	if (!in || !*in)
		return;
	if (target) {
		fd = open(target, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && fsync(fd) < 0)
			error("cannot sync '%s':", target);
	}
	path = outcome_path(log);
	/* and where it ran: JOB.STEP (Slurm's) and the node */
	text = xasprintf("%d %d %s%s%s %s\n", status, fd >= 0, job && *job ? job : "-", st && *st ? "." : "",
			 st && *st ? st : "", node_name());
	if (fd >= 0)
		close(fd);
	if (write_file_atomic(path, text, strlen(text)) < 0)
		error("cannot write '%s':", path);
	free(text);
	free(path);
}
