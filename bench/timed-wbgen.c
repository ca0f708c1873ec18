/*
 * bench/timed-wbgen.c: the timing wrapper of the benchmarks (bench/build.sh, bench/schedule.sh
 * and bench/overhead.sh compile this file). `make WBGEN=timed-wbgen`
 * (and WBGEN_STEP=..., when the Makefile has it) runs every phase through it: it runs
 * $WBGEN_REAL with its own arguments and appends one line to $WBGEN_TIMES:
 *   ARG1 ARG2 ARG3 START_NS END_NS USER_US SYS_US STATUS RESTARTS
 * (CLOCK_REALTIME; the CPU time of the child and all it waited for; RESTARTS is make's
 * MAKE_RESTARTS as the recipe saw it, "-" when unset, so the pass of make that ran the phase).
 * Its own cost is a fork and an exec, outside the measured interval.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *real = getenv("WBGEN_REAL"), *log = getenv("WBGEN_TIMES");
	const char *restarts = getenv("MAKE_RESTARTS");
	struct rusage ru;
	char line[1024];
	long long t0, t1;
	int st, n, fd, rc;
	pid_t pid;

	if (!real || !log) {
		fprintf(stderr, "timed-wbgen: WBGEN_REAL and WBGEN_TIMES must be set\n");
		return 127;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("timed-wbgen: fork");
		return 127;
	}
	if (pid == 0) {
		argv[0] = (char *)real;
		execv(real, argv);
		perror(real);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("timed-wbgen: wait4");
		return 127;
	}
	t1 = now();
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	n = snprintf(line, sizeof(line), "%s %s %s %lld %lld %ld %ld %d %s\n", argc > 1 ? argv[1] : "-",
		     argc > 2 ? argv[2] : "-", argc > 3 ? argv[3] : "-", t0, t1,
		     (long)ru.ru_utime.tv_sec * 1000000L + (long)ru.ru_utime.tv_usec,
		     (long)ru.ru_stime.tv_sec * 1000000L + (long)ru.ru_stime.tv_usec, rc,
		     restarts && *restarts ? restarts : "-");
	if (n < 0 || n >= (int)sizeof(line))
		return 127;
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0 || write(fd, line, (size_t)n) != n) {
		perror(log);
		return 127;
	}
	close(fd);
	return rc;
}
