/* run-command-test.c: child processes: exit codes, signals, failed starts with their errno, the
 * environment, redirection, the working directory, resource usage, functions run in the child. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "buf.h"
#include "fsutil.h"
#include "run_command.h"
#include "tap.h"

/* Run sh -c script; its stdout into out (when non-NULL). What run_command/pipe_command returns. */
static int sh(const char *script, struct child_process *cp, struct buf *out)
{
	const char *argv[] = { "sh", "-c", script, NULL };

	cp->argv = argv;
	return out ? pipe_command(cp, out, NULL) : run_command(cp);
}

static void test_exit_codes(void)
{
	static const struct {
		const char *script;
		int code, exited, sig;
	} t[] = {
		{ "exit 0", 0, 1, 0 },
		{ "exit 3", 3, 1, 0 },
		{ "exit 255", 255, 1, 0 },
		{ "kill -TERM $$", 128 + SIGTERM, 0, SIGTERM },
		{ "kill -KILL $$", 128 + SIGKILL, 0, SIGKILL },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct child_process cp;

		child_process_init(&cp);
		is_int(sh(t[i].script, &cp, NULL), t[i].code, "'%s': its code", t[i].script);
		is_int(WIFEXITED(cp.status), t[i].exited, "'%s': exited", t[i].script);
		is_int(WIFSIGNALED(cp.status) ? WTERMSIG(cp.status) : 0, t[i].sig, "'%s': its signal", t[i].script);
		is_int(cp.pid, -1, "'%s': no child left", t[i].script);
	}
}

static int fail_setup(void *data)
{
	errno = *(int *)data;
	return -1;
}

/* A program that cannot run fails the start with the exec's errno, never as an exit status 127. */
static void test_exec_failure(void)
{
	char dir[] = "/tmp/run-command-test.XXXXXX";
	char *plain;
	static const char *const missing[] = { "/nonexistent/wbgen-no-such-program", NULL };
	static const char *const unknown[] = { "wbgen-no-such-program-on-path", NULL };
	const char *notexec[2] = { NULL, NULL };
	const char *sh_argv[] = { "sh", "-c", "exit 0", NULL };
	struct child_process cp;
	int e = EPERM;

	child_process_init(&cp);
	cp.argv = missing;
	ok(run_command(&cp) == -1 && errno == ENOENT, "a missing file: -1 with ENOENT");
	is_int(cp.pid, -1, "... the child was reaped");

	child_process_init(&cp);
	cp.argv = unknown;
	ok(run_command(&cp) == -1 && errno == ENOENT, "a name not on PATH: -1 with ENOENT");

	if (!mkdtemp(dir))
		BUG("mkdtemp:");
	plain = xasprintf("%s/plain", dir);
	if (write_file(plain, "#!/bin/sh\n", 10, 0) < 0)
		BUG("cannot write '%s':", plain);
	notexec[0] = plain;
	child_process_init(&cp);
	cp.argv = notexec;
	ok(run_command(&cp) == -1 && errno == EACCES, "a file without execute permission: -1 with EACCES");

	child_process_init(&cp);
	cp.argv = sh_argv;
	cp.dir = "/nonexistent/dir";
	ok(run_command(&cp) == -1 && errno == ENOENT, "a missing directory: -1 with chdir's ENOENT");

	child_process_init(&cp);
	cp.argv = sh_argv;
	cp.setup = fail_setup;
	cp.data = &e;
	ok(run_command(&cp) == -1 && errno == EPERM, "a failed setup: -1 with its errno");

	child_process_init(&cp);
	cp.argv = sh_argv;
	cp.program = "/nonexistent/wbgen-no-such-program";
	ok(run_command(&cp) == -1 && errno == ENOENT, "program, not argv[0], is what runs");
	unlink(plain);
	rmdir(dir);
	free(plain);
}

static void test_env(void)
{
	static const char *const env[] = { "RC_SET=one two", "RC_GONE", "RC_LATER=x", "RC_LATER=y", NULL };
	static char *const envp[] = { "RC_ONLY=1", "PATH=/usr/bin:/bin", NULL };
	struct child_process cp;
	struct buf out = BUF_INIT;

	setenv("RC_GONE", "here", 1);
	setenv("RC_KEPT", "kept", 1);
	child_process_init(&cp);
	cp.env = env;
	is_int(sh("echo \"$RC_SET/${RC_GONE-unset}/$RC_KEPT/$RC_LATER\"", &cp, &out), 0, "env: exit 0");
	is_str(out.s, "one two/unset/kept/y\n", "env: set, removed, kept, the last one wins");
	is_str(getenv("RC_GONE"), "here", "env: ours unchanged");

	buf_reset(&out);
	child_process_init(&cp);
	cp.envp = envp;
	is_int(sh("echo \"$RC_ONLY/${RC_KEPT-unset}\"", &cp, &out), 0, "envp: exit 0");
	is_str(out.s, "1/unset\n", "envp: the whole environment");
	buf_release(&out);
}

static void test_redirection(void)
{
	static const struct {
		const char *what, *script;
		unsigned stderr_to_stdout, no_stdin;
		const char *out, *err; /* err NULL: stderr goes where stdout goes */
	} t[] = {
		{ "two pipes", "echo out; echo err >&2", 0, 0, "out\n", "err\n" },
		{ "stderr_to_stdout", "echo a; echo b >&2; echo c", 1, 0, "a\nb\nc\n", NULL },
		{ "no_stdin", "cat; echo end", 0, 1, "end\n", "" },
	};
	char path[] = "/tmp/run-command-test.XXXXXX";
	struct child_process cp;
	struct buf out = BUF_INIT, err = BUF_INIT, file = BUF_INIT;
	int fd = mkstemp(path), p[2];
	ssize_t n;
	size_t i;

	if (fd < 0)
		BUG("mkstemp:");
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		buf_reset(&out);
		buf_reset(&err);
		child_process_init(&cp);
		cp.stderr_to_stdout = t[i].stderr_to_stdout;
		cp.no_stdin = t[i].no_stdin;
		{
			const char *argv[] = { "sh", "-c", t[i].script, NULL };

			cp.argv = argv;
			is_int(pipe_command(&cp, &out, t[i].err ? &err : NULL), 0, "%s: exit 0", t[i].what);
		}
		is_str(out.s, t[i].out, "%s: stdout", t[i].what);
		if (t[i].err)
			is_str(err.s, t[i].err, "%s: stderr", t[i].what);
	}

	child_process_init(&cp);
	cp.out = fd;
	cp.err = fd;
	is_int(sh("echo one; echo two >&2", &cp, NULL), 0, "a descriptor: exit 0");
	ok(fcntl(fd, F_GETFD) >= 0, "... still open here");
	if (buf_read_file(&file, path) < 0)
		BUG("cannot read '%s':", path);
	is_str(file.s, "one\ntwo\n", "... both streams written to it");

	child_process_init(&cp);
	cp.no_stdout = 1;
	cp.stderr_to_stdout = 1;
	is_int(sh("echo lost; echo lost too >&2; test -c /proc/self/fd/1 && test -c /proc/self/fd/2", &cp, NULL), 0,
	       "no_stdout: /dev/null, stderr with it");

	child_process_init(&cp);
	cp.in = -1;
	cp.out = -1;
	{
		const char *argv[] = { "tr", "a-z", "A-Z", NULL };
		char got[16];

		cp.argv = argv;
		ok(start_command(&cp) == 0 && cp.in > 2 && cp.out > 2, "pipes for stdin and stdout");
		if (write(cp.in, "abc\n", 4) != 4)
			BUG("write:");
		close(cp.in);
		n = read(cp.out, got, sizeof(got) - 1);
		got[n > 0 ? n : 0] = '\0';
		close(cp.out);
		is_int(finish_command(&cp), 0, "... exit 0");
		is_str(got, "ABC\n", "... written and read");
	}

	/* a descriptor close_fds names is not inherited */
	if (pipe(p) < 0)
		BUG("pipe:");
	{
		char script[64];

		snprintf(script, sizeof(script), "test -e /proc/self/fd/%d", p[0]);
		child_process_init(&cp);
		is_int(sh(script, &cp, NULL), 0, "an inherited descriptor is open in the child");
		child_process_init(&cp);
		cp.close_fds = p;
		cp.nr_close_fds = 1;
		is_int(sh(script, &cp, NULL), 1, "... unless close_fds names it");
	}
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink(path);
	buf_release(&out);
	buf_release(&err);
	buf_release(&file);
}

static void test_dir(void)
{
	struct child_process cp;
	struct buf out = BUF_INIT;
	char cwd[4096];
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	child_process_init(&cp);
	cp.dir = "/";
	is_int(sh("pwd", &cp, &out), 0, "dir: exit 0");
	is_str(out.s, "/\n", "dir: the child's working directory");
	ok(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") != 0, "dir: ours unchanged");

	buf_reset(&out);
	child_process_init(&cp);
	cp.dir_fd = fd;
	is_int(sh("pwd", &cp, &out), 0, "dir_fd: exit 0");
	is_str(out.s, "/\n", "dir_fd: the child's working directory");
	close(fd);
	buf_release(&out);
}

static int fn_print(void *data)
{
	printf("%s", (const char *)data);
	return 7;
}

#ifdef __linux__
static int fn_deathsig(void *data)
{
	int sig = 0;

	return prctl(PR_GET_PDEATHSIG, &sig) == 0 && sig == SIGKILL ? 0 : 1;
}
#endif

static void test_fn(void)
{
	struct child_process cp;
	struct buf out = BUF_INIT;

	/* buffered here before the fork: written once, not again by the child's exit */
	printf("# before the fork\n");
	child_process_init(&cp);
	cp.fn = fn_print;
	cp.data = "in the child\n";
	is_int(pipe_command(&cp, &out, NULL), 7, "fn: the child exits with its value");
	is_str(out.s, "in the child\n", "fn: what it printed (stdio flushed at exit), and only that");
	buf_release(&out);
#ifdef __linux__
	child_process_init(&cp);
	cp.fn = fn_deathsig;
	is_int(run_command(&cp), 1, "die_with_parent unset: no parent-death signal");
	child_process_init(&cp);
	cp.fn = fn_deathsig;
	cp.die_with_parent = 1;
	is_int(run_command(&cp), 0, "die_with_parent: SIGKILL when the parent dies");
#endif
}

static void test_rusage(void)
{
	struct child_process cp;
	double cpu;

	child_process_init(&cp);
	is_int(sh("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done", &cp, NULL), 0, "a busy child: exit 0");
	cpu = (double)cp.ru.ru_utime.tv_sec + (double)cp.ru.ru_utime.tv_usec / 1e6 + (double)cp.ru.ru_stime.tv_sec +
	      (double)cp.ru.ru_stime.tv_usec / 1e6;
	ok(cpu > 0.01, "rusage: its CPU time (%.3f s)", cpu);
	ok(cp.ru.ru_maxrss > 0, "rusage: its peak memory (%ld kB)", cp.ru.ru_maxrss);
}

static volatile sig_atomic_t flag;

static void on_alarm(int sig)
{
	flag = 1;
}

static void test_signals(void)
{
	struct child_process cp;
	struct sigaction sa, old;
	struct itimerval it;

	/* ignore_interrupts: a SIGINT while we wait does not end us, and its handling comes back */
	child_process_init(&cp);
	cp.ignore_interrupts = 1;
	{
		const char *argv[] = { "sh", "-c", "kill -INT $PPID; sleep 0.1; exit 4", NULL };

		cp.argv = argv;
		is_int(run_command(&cp), 4, "ignore_interrupts: a SIGINT here while waiting is ignored");
	}
	sigaction(SIGINT, NULL, &old);
	ok(old.sa_handler == SIG_DFL, "... and its handling restored after the wait");

	/* interrupted: a signal handled here (no SA_RESTART) while the flag is set stops the child */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 100000;
	setitimer(ITIMER_REAL, &it, NULL);
	child_process_init(&cp);
	cp.interrupted = &flag;
	is_int(sh("exec sleep 30", &cp, NULL), 128 + SIGTERM, "interrupted: the child gets SIGTERM");
	sigaction(SIGALRM, &old, NULL);
}

int main(void)
{
	plan_no_plan();
	test_exit_codes();
	test_exec_failure();
	test_env();
	test_redirection();
	test_dir();
	test_fn();
	test_rusage();
	test_signals();
	return done_testing();
}
