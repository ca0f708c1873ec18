/* run_command.h: starting a child process and waiting for it, in the manner of git's run-command.h.
 *
 * A struct child_process says what to run (a program, or a function of ours in a forked child),
 * with what (environment, working directory, standard descriptors, descriptors to close) and how
 * to wait (SIGINT and SIGQUIT ignored meanwhile, a SIGTERM for the child when a flag says that we
 * were interrupted). start_command forks; the child applies, in this order, the parent-death signal,
 * stdin, stdout, stderr, close_fds, the directory, the environment and setup, then execs (or runs
 * fn). Anything of that which fails in the child, the exec included, is reported to the parent
 * through a close-on-exec pipe: start_command then reaps the child and fails with the child's errno,
 * so a program that cannot be run is never mistaken for one that ran and exited 127.
 * finish_command waits (EINTR-safe) with wait4, and keeps the wait status and the child's resource
 * usage. Nothing here prints or exits: the caller words the error.
 *
 * Descriptors given in in/out/err stay the caller's (never closed here; open them O_CLOEXEC so
 * that other children do not inherit them); pipes made here (-1) give the parent's end in the
 * field, which the caller closes (pipe_command does). Standard I/O streams are flushed before
 * the fork, so that nothing buffered is written twice. */
#ifndef WBGEN_RUN_COMMAND_H
#define WBGEN_RUN_COMMAND_H

#include <signal.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "buf.h"

struct child_process {
	const char *const *argv;    /* the program and its arguments, NULL-terminated (borrowed) */
	const char *program;        /* the file executed, NULL: argv[0]; without a '/' it is looked
	                             * up in PATH (the child's, when envp or env changes it) */
	int (*fn)(void *data);      /* instead of an exec: the child returns from fork, runs fn(data)
	                             * and exits with its value (exit(3), so stdio is flushed) */
	int (*setup)(void *data);   /* run in the child just before the exec or fn; -1 with errno
	                             * fails the start */
	void *data;                 /* for fn and setup */
	char *const *envp;          /* the child's whole environment, NULL: ours (borrowed) */
	const char *const *env;     /* then changed: "NAME=VALUE" set, "NAME" removed (borrowed) */
	const char *dir;            /* the child's working directory, NULL: ours */
	int dir_fd;                 /* or a directory descriptor (fchdir), -1: none */
	/* the child's stdin, stdout and stderr: 0 ours; -1 a pipe, whose parent end start_command
	 * puts here; another number: that descriptor (stdout 2 is our stderr) */
	int in, out, err;
	unsigned no_stdin:1, no_stdout:1, no_stderr:1; /* /dev/null instead */
	unsigned stderr_to_stdout:1; /* stderr goes where stdout goes (one pipe for both) */
	unsigned die_with_parent:1; /* Linux: the child gets SIGKILL when this process dies */
	unsigned ignore_interrupts:1; /* SIGINT and SIGQUIT ignored here from the fork to the end of
	                             * the wait: the terminal sends them to the child as well, whose
	                             * end we wait for (as system(3) does) */
	const int *close_fds;       /* descriptors closed in the child after the redirections (make's
	                             * jobserver pipe), nr_close_fds of them; ours are never closed */
	size_t nr_close_fds;
	volatile sig_atomic_t *interrupted; /* non-NULL: when a wait here is interrupted by a signal
	                             * and *interrupted is set, the child gets one SIGTERM (it may be
	                             * outside the process group the signal reached) */

	/* results */
	pid_t pid;                  /* the child, while it runs (-1 before, after, and when the start
	                             * failed; still set when waiting for it failed) */
	int status;                 /* its wait status (WIFEXITED, WTERMSIG ...) */
	struct rusage ru;           /* its resource usage (and its waited-for children's), from wait4 */

	/* private */
	unsigned killed:1, ignoring:1;
	struct sigaction old_int, old_quit;
};

/* Set up an empty child_process: nothing redirected, no directory (no allocation). */
void child_process_init(struct child_process *cp);
/* Start cp. 0; or -1 with errno when a pipe, the fork, or the child's preparation or exec failed
 * (the child is then reaped, and the pipes made for it closed). */
int start_command(struct child_process *cp);
/* Wait for cp's child: its exit status, 128+N when signal N killed it (cp->status and cp->ru set);
 * -1 with errno when waiting failed. */
int finish_command(struct child_process *cp);
/* start_command, then finish_command: what finish_command returns, or -1 with errno. */
int run_command(struct child_process *cp);
/* Run cp with its stdout appended to out and its stderr to err, read together (either may be
 * NULL: that stream is redirected as cp says; a stream that cannot be read is read no further).
 * What run_command returns. */
int pipe_command(struct child_process *cp, struct buf *out, struct buf *err);

#endif
