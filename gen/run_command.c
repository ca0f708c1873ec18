/* run_command.c: child processes started and waited for (see run_command.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "run_command.h"
#include "util.h"

extern char **environ;

void child_process_init(struct child_process *cp)
{
	memset(cp, 0, sizeof(*cp));
	cp->dir_fd = -1;
	cp->pid = -1;
}

/* In the child: report errno to the parent through the error pipe and end. */
ATTR_NORETURN static void child_fail(int errfd)
{
	int e = errno;

	/* should the write fail, the parent sees the exit status alone */
	e = write(errfd, &e, sizeof(e)) < 0;
	_exit(127);
}

/* In the child: make descriptor target what redirect says (see the in/out/err fields). pipe_end
 * is the child's end of the pipe made for it. */
static int child_redirect(int target, int redirect, int null, int pipe_end)
{
	int fd = redirect;

	if (null) {
		fd = open("/dev/null", target ? O_WRONLY : O_RDONLY);
		if (fd < 0)
			return -1;
	} else if (redirect < 0) {
		fd = pipe_end;
	} else if (redirect == 0) {
		return 0;
	}
	if (fd != target && dup2(fd, target) < 0)
		return -1;
	if (null && fd != target)
		close(fd);
	return 0;
}

ATTR_NORETURN static void child_start(struct child_process *cp, int errfd, pid_t parent, int pin, int pout,
				      int perr)
{
	const char *const *e;
	size_t i;

#ifdef __linux__
	if (cp->die_with_parent) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			child_fail(errfd);
		/* the parent died before prctl: nobody is left to kill us */
		if (getppid() != parent)
			_exit(127);
	}
#else
	(void)parent;
#endif
	if (child_redirect(0, cp->in, cp->no_stdin, pin) < 0 || child_redirect(1, cp->out, cp->no_stdout, pout) < 0)
		child_fail(errfd);
	if (cp->stderr_to_stdout ? dup2(1, 2) < 0 : child_redirect(2, cp->err, cp->no_stderr, perr) < 0)
		child_fail(errfd);
	for (i = 0; i < cp->nr_close_fds; i++)
		if (cp->close_fds[i] > 2 && cp->close_fds[i] != errfd)
			close(cp->close_fds[i]);
	if (cp->dir && chdir(cp->dir) < 0)
		child_fail(errfd);
	if (cp->dir_fd >= 0 && fchdir(cp->dir_fd) < 0)
		child_fail(errfd);
	if (cp->envp)
		environ = (char **)cp->envp;
	for (e = cp->env; e && *e; e++)
		if (strchr(*e, '=') ? putenv((char *)*e) != 0 : unsetenv(*e) < 0)
			child_fail(errfd);
	if (cp->setup && cp->setup(cp->data) < 0)
		child_fail(errfd);
	if (cp->fn) {
		close(errfd);
		exit(cp->fn(cp->data));
	}
	{
		const char *prog = cp->program ? cp->program : cp->argv[0];

		if (strchr(prog, '/'))
			execv(prog, (char *const *)cp->argv);
		else
			execvp(prog, (char *const *)cp->argv);
	}
	child_fail(errfd);
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

static void ignore_interrupts(struct child_process *cp)
{
	struct sigaction ign;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &cp->old_int);
	sigaction(SIGQUIT, &ign, &cp->old_quit);
	cp->ignoring = 1;
}

static void restore_interrupts(struct child_process *cp)
{
	if (!cp->ignoring)
		return;
	sigaction(SIGINT, &cp->old_int, NULL);
	sigaction(SIGQUIT, &cp->old_quit, NULL);
	cp->ignoring = 0;
}

/* A wait was interrupted: pass the interruption on to the child when the caller says so. */
static void on_eintr(struct child_process *cp)
{
	if (cp->interrupted && *cp->interrupted && !cp->killed && cp->pid > 0)
		cp->killed = kill(cp->pid, SIGTERM) == 0;
}

static int wait_child(struct child_process *cp)
{
	while (wait4(cp->pid, &cp->status, 0, &cp->ru) < 0) {
		if (errno != EINTR)
			return -1;
		on_eintr(cp);
	}
	cp->pid = -1;
	return 0;
}

int start_command(struct child_process *cp)
{
	int errpipe[2], pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	int child_errno = 0, saved;
	pid_t parent = getpid();
	ssize_t n;

	if (!cp->fn && (!cp->argv || !cp->argv[0]))
		BUG("start_command without a program");
	cp->killed = 0;
	if (pipe2(errpipe, O_CLOEXEC) < 0)
		return -1;
	if ((cp->in < 0 && !cp->no_stdin && pipe2(pin, O_CLOEXEC) < 0) ||
	    (cp->out < 0 && !cp->no_stdout && pipe2(pout, O_CLOEXEC) < 0) ||
	    (cp->err < 0 && !cp->no_stderr && !cp->stderr_to_stdout && pipe2(perr, O_CLOEXEC) < 0))
		goto fail;
	fflush(NULL);
	cp->pid = fork();
	if (cp->pid < 0)
		goto fail;
	if (cp->pid == 0) {
		close(errpipe[0]);
		child_start(cp, errpipe[1], parent, pin[0], pout[1], perr[1]);
	}
	if (cp->ignore_interrupts)
		ignore_interrupts(cp);
	close(errpipe[1]);
	while ((n = read(errpipe[0], &child_errno, sizeof(child_errno))) < 0 && errno == EINTR)
		on_eintr(cp);
	close(errpipe[0]);
	if (n == (ssize_t)sizeof(child_errno)) {
		saved = child_errno;
		wait_child(cp);
		restore_interrupts(cp);
		cp->pid = -1;
		close_pair(pin);
		close_pair(pout);
		close_pair(perr);
		errno = saved;
		return -1;
	}
	if (pin[0] >= 0) {
		close(pin[0]);
		cp->in = pin[1];
	}
	if (pout[1] >= 0) {
		close(pout[1]);
		cp->out = pout[0];
	}
	if (perr[1] >= 0) {
		close(perr[1]);
		cp->err = perr[0];
	}
	return 0;
fail:
	saved = errno;
	close_pair(errpipe);
	close_pair(pin);
	close_pair(pout);
	close_pair(perr);
	cp->pid = -1;
	errno = saved;
	return -1;
}

int finish_command(struct child_process *cp)
{
	int r = wait_child(cp), saved = errno;

	restore_interrupts(cp);
	if (r < 0) {
		errno = saved;
		return -1;
	}
	if (WIFEXITED(cp->status))
		return WEXITSTATUS(cp->status);
	return 128 + WTERMSIG(cp->status);
}

int run_command(struct child_process *cp)
{
	if (start_command(cp) < 0)
		return -1;
	return finish_command(cp);
}

int pipe_command(struct child_process *cp, struct buf *out, struct buf *err)
{
	struct pollfd pfd[2];
	struct buf *to[2] = { out, err };
	int i, open_fds = 0;

	if (out)
		cp->out = -1;
	if (err)
		cp->err = -1;
	if (start_command(cp) < 0)
		return -1;
	pfd[0].fd = out ? cp->out : -1;
	pfd[1].fd = err ? cp->err : -1;
	for (i = 0; i < 2; i++) {
		pfd[i].events = POLLIN;
		open_fds += pfd[i].fd >= 0;
	}
	while (open_fds) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR) {
				on_eintr(cp);
				continue;
			}
			break;
		}
		for (i = 0; i < 2; i++) {
			char chunk[8192];
			ssize_t n;

			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(pfd[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR) {
				on_eintr(cp);
				continue;
			}
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
				continue;
			}
			buf_add(to[i], chunk, (size_t)n);
		}
	}
	for (i = 0; i < 2; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	return finish_command(cp);
}
