/* hook.c: run one PEP 517 hook through the helper script in a clean child process. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "datadir.h"
#include "fsutil.h"
#include "hook.h"
#include "run_command.h"
#include "strlist.h"
#include "util.h"

extern char **environ;

#define DEFAULT_SOURCE_DATE_EPOCH "315532800"

static const char *const hook_names[] = {
	"get_requires_for_build_wheel", "get_requires_for_build_sdist", "get_requires_for_build_editable",
	"prepare_metadata_for_build_wheel", "prepare_metadata_for_build_editable",
	"build_wheel", "build_sdist", "build_editable",
};

static const char *const passenv[] = {
	"PATH", "LANG", "LANGUAGE", "TZ", "USER", "LOGNAME",
	"CC", "CXX", "CPP", "CFLAGS", "CXXFLAGS", "CPPFLAGS", "LDFLAGS", "LDSHARED", "AR", "ARFLAGS",
	"PKG_CONFIG", "PKG_CONFIG_PATH", "SOURCE_DATE_EPOCH",
};

static const char *const makeenv[] = { "MAKEFLAGS", "MFLAGS", "MAKELEVEL" };

void hook_opts_init(struct hook_opts *o)
{
	memset(o, 0, sizeof(*o));
}

int hook_name_valid(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hook_names); i++)
		if (strcmp(name, hook_names[i]) == 0)
			return 1;
	return 0;
}

char *hook_helper_path(void)
{
	char *dir = wbgen_datadir(), *r = xasprintf("%s/pep517_hook.py", dir);

	free(dir);
	return r;
}

static const char *env_value(char *const *env, const char *name)
{
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

static int name_in(const char *var, size_t len, const char *const *names, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (strlen(names[i]) == len && memcmp(var, names[i], len) == 0)
			return 1;
	return 0;
}

static int in_passenv_list(const char *list, const char *var, size_t len)
{
	const char *p = list;

	while (p && *p) {
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		n = strcspn(p, " \t,");
		if (n == len && n && memcmp(p, var, n) == 0)
			return 1;
		p += n;
	}
	return 0;
}

static void env_add(char ***env, size_t *nr, size_t *alloc, char *entry)
{
	GROW(*env, *alloc, *nr + 2);
	(*env)[(*nr)++] = entry;
	(*env)[*nr] = NULL;
}

char **hook_env_build(char *const *parent, const struct hook_opts *o, const char *home, const char *tmp)
{
	char **env = NULL;
	size_t nr = 0, alloc = 0;
	const char *extra = env_value(parent, "WBGEN_PASSENV");
	const char *path = env_value(parent, "PATH");
	const char *sde = env_value(parent, "SOURCE_DATE_EPOCH");
	char *const *e;
	size_t i;

	GROW(env, alloc, 1);
	env[0] = NULL;
	for (e = parent; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		size_t len;

		if (!eq)
			continue;
		len = (size_t)(eq - *e);
		if (name_in(*e, len, (const char *const[]){ "PATH", "SOURCE_DATE_EPOCH" }, 2))
			continue; /* set below */
		if (name_in(*e, len, makeenv, ARRAY_SIZE(makeenv))) {
			if (o->jobserver)
				env_add(&env, &nr, &alloc, xstrdup(*e));
			continue;
		}
		if (name_in(*e, len, passenv, ARRAY_SIZE(passenv)) || (len > 3 && starts_with(*e, "LC_")) ||
		    in_passenv_list(extra, *e, len))
			env_add(&env, &nr, &alloc, xstrdup(*e));
	}
	env_add(&env, &nr, &alloc, xasprintf("PATH=%s/bin%s%s", o->env, path ? ":" : "", path ? path : ""));
	env_add(&env, &nr, &alloc, xasprintf("VIRTUAL_ENV=%s", o->env));
	env_add(&env, &nr, &alloc, xasprintf("HOME=%s", home));
	env_add(&env, &nr, &alloc, xasprintf("TMPDIR=%s", tmp));
	if (!sde || !*sde)
		sde = o->source_date_epoch ? o->source_date_epoch : DEFAULT_SOURCE_DATE_EPOCH;
	env_add(&env, &nr, &alloc, xasprintf("SOURCE_DATE_EPOCH=%s", sde));
	env_add(&env, &nr, &alloc, xstrdup("PYTHONHASHSEED=0"));
	env_add(&env, &nr, &alloc, xstrdup("PYTHONDONTWRITEBYTECODE=1"));
	env_add(&env, &nr, &alloc, xstrdup("PYTHONNOUSERSITE=1"));
	if (o->src) {
		/* the sdist's tree is no part of a git work tree around it: backends that ask git which
		 * files to take (poetry-core, setuptools-scm, hatch-vcs) must not see OUTDIR's repository
		 * and its .gitignore (poetry-core built an empty wheel under an ignored OUTDIR) */
		char *abs = path_absolute(o->src), *slash;

		if (!abs) {
			hook_env_free(env);
			return NULL;
		}
		slash = strrchr(abs, '/');
		if (slash && slash != abs)
			*slash = '\0';
		env_add(&env, &nr, &alloc, xasprintf("GIT_CEILING_DIRECTORIES=%s", abs));
		free(abs);
	}
	for (i = 0; i < o->nr_setenv; i++) {
		const char *eq = strchr(o->setenv[i], '=');
		size_t len = eq ? (size_t)(eq - o->setenv[i]) : 0, j;

		if (!len)
			continue;
		for (j = 0; j < nr; j++)
			if (strncmp(env[j], o->setenv[i], len + 1) == 0)
				break;
		if (j < nr) {
			free(env[j]);
			env[j] = xstrdup(o->setenv[i]);
		} else {
			env_add(&env, &nr, &alloc, xstrdup(o->setenv[i]));
		}
	}
	return env;
}

void hook_env_free(char **env)
{
	char **e;

	for (e = env; e && *e; e++)
		free(*e);
	free(env);
}

int hook_jobserver_fds(const char *makeflags, int fds[2])
{
	static const char *const keys[] = { "--jobserver-auth=", "--jobserver-fds=" };
	const char *p, *found = NULL;
	size_t k;

	if (!makeflags)
		return -1;
	/* the last one wins, as in make */
	for (k = 0; k < ARRAY_SIZE(keys); k++)
		for (p = makeflags; (p = strstr(p, keys[k])) != NULL; p += strlen(keys[k]))
			if (!found || p > found)
				found = p + strlen(keys[k]);
	if (!found || !ascii_isdigit((unsigned char)*found))
		return -1;
	{
		char a[16], b[16];
		size_t na = 0, nb = 0;
		long r, w;

		while (ascii_isdigit((unsigned char)*found) && na < sizeof(a) - 1)
			a[na++] = *found++;
		a[na] = 0;
		if (*found++ != ',')
			return -1;
		while (ascii_isdigit((unsigned char)*found) && nb < sizeof(b) - 1)
			b[nb++] = *found++;
		b[nb] = 0;
		if (!nb || parse_int_range(a, 0, 65535, &r) || parse_int_range(b, 0, 65535, &w))
			return -1;
		fds[0] = (int)r;
		fds[1] = (int)w;
	}
	return 0;
}

/* The last non-empty line of path from byte offset 'from' on, into out. */
static void log_last_line(const char *path, off_t from, struct buf *out)
{
	struct buf b = BUF_INIT;
	size_t end, start;

	if (buf_read_file(&b, path) < 0 || (off_t)b.len <= from) {
		buf_release(&b);
		return;
	}
	end = b.len;
	while (end > (size_t)from && ascii_isspace((unsigned char)b.s[end - 1]))
		end--;
	start = end;
	while (start > (size_t)from && b.s[start - 1] != '\n')
		start--;
	if (end - start > 400)
		start = end - 400;
	buf_add(out, b.s + start, end - start);
	buf_release(&b);
}

int hook_network_allowed(void)
{
	const char *v = getenv("WBGEN_BUILD_NETWORK");

	return v && strcmp(v, "1") == 0;
}

/* The rest runs in the forked child, before exec: async-signal-safe calls only. */
static void child_say(const char *a, const char *b, const char *c)
{
	ssize_t r = write(2, a, strlen(a));

	if (b)
		r = write(2, b, strlen(b));
	if (c)
		r = write(2, c, strlen(c));
	(void)r;
}

static int write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A user namespace mapping our uid and gid to themselves, with the namespaces in 'flags' made inside it.
 * 0, or -1 (errno) when the kernel refuses it; a failure to write the maps only warns. */
static int child_userns(int flags, const char *uid_map, const char *gid_map)
{
	if (unshare(CLONE_NEWUSER | flags) < 0)
		return -1;
	if (write_proc("/proc/self/setgroups", "deny") < 0 || write_proc("/proc/self/gid_map", gid_map) < 0 ||
	    write_proc("/proc/self/uid_map", uid_map) < 0)
		child_say("wbgen: warning: cannot map the user into the build's user namespace (", strerror(errno),
			  "); the build is isolated but may fail to write files\n");
	return 0;
}

/* A network namespace of our own: as root (or with CAP_SYS_ADMIN) directly, else inside a new user
 * namespace that maps our uid and gid to themselves (*in_userns set). Its loopback is brought up, so
 * a build may still talk to itself. On failure one warning line goes to the log and the build runs
 * as it is. */
static void child_isolate(const char *uid_map, const char *gid_map, int *in_userns)
{
	struct ifreq ifr;
	int s, e;

	if (unshare(CLONE_NEWNET) < 0) {
		e = errno;
		if (child_userns(CLONE_NEWNET, uid_map, gid_map) < 0) {
			child_say("wbgen: warning: cannot isolate the build from the network (unshare: ",
				  strerror(e), "); it runs with network access\n");
			return;
		}
		*in_userns = 1;
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		e = ioctl(s, SIOCSIFFLAGS, &ifr);
		(void)e;
	}
	close(s);
}

unsigned long hook_locked_mount_flags(unsigned long st_flags)
{
	unsigned long ms = 0;

	if (st_flags & ST_NOSUID)
		ms |= MS_NOSUID;
	if (st_flags & ST_NODEV)
		ms |= MS_NODEV;
	if (st_flags & ST_NOEXEC)
		ms |= MS_NOEXEC;
#if defined(ST_NOSYMFOLLOW) && defined(MS_NOSYMFOLLOW)
	if (st_flags & ST_NOSYMFOLLOW)
		ms |= MS_NOSYMFOLLOW;
#endif
	return ms;
}

/* The flags the read-only remount of dir must keep (read in the parent: statvfs is not on the list
 * of async-signal-safe calls). */
static unsigned long env_keep_flags(const char *dir)
{
	struct statvfs sv;

	return statvfs(dir, &sv) == 0 ? hook_locked_mount_flags(sv.f_flag) : 0;
}

/* dir bind-mounted read-only onto itself in a mount namespace of our own (made inside our user
 * namespace when we are in one, else directly, else in a new user namespace), every mount made
 * private first so that nothing propagates back to the caller's namespace. keep: the flags of
 * dir's mount that the remount must keep (env_keep_flags). 0, or -1 with errno set and *step naming
 * what failed. Checked: the mount is read-only afterwards (statfs, a system call). */
static int child_protect(const char *dir, unsigned long keep, int *in_userns, const char *uid_map,
			 const char *gid_map, const char **step)
{
	struct statfs sfs;

	*step = "unshare";
	if (unshare(CLONE_NEWNS) < 0) {
		int e = errno;

		if (*in_userns || child_userns(CLONE_NEWNS, uid_map, gid_map) < 0) {
			errno = e;
			return -1;
		}
		*in_userns = 1;
	}
	*step = "making the mounts private";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	*step = "bind mount";
	if (mount(dir, dir, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	*step = "read-only remount";
	if (mount(NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) < 0)
		return -1;
	*step = "check";
	if (statfs(dir, &sfs) < 0)
		return -1;
	if (!(sfs.f_flags & ST_RDONLY)) {
		errno = 0;
		return -1;
	}
	return 0;
}

/* The hook's environment made read-only (child_protect); on failure one warning line in the log. */
static void child_protect_env(const char *env, unsigned long keep, int *in_userns, const char *uid_map,
			      const char *gid_map)
{
	const char *step;

	if (child_protect(env, keep, in_userns, uid_map, gid_map, &step) == 0)
		return;
	if (errno == 0) {
		child_say("wbgen: warning: the build's environment is still writable after its read-only remount",
			  "; the build runs as it is\n", NULL);
		return;
	}
	child_say("wbgen: warning: cannot make the build's environment read-only (", step, ": ");
	child_say(strerror(errno), "); the build may write into it\n", NULL);
}

/* What the children of hook_env_protected and hook_run do before they go on (child_protect). */
struct protect_args {
	const char *dir;             /* the directory made read-only */
	unsigned long keep;          /* its mount's flags to keep (env_keep_flags) */
	const char *uid_map, *gid_map;
	int isolate;                 /* hook_run: the network namespace first (child_isolate) */
};

/* The probe: the directory (empty) made read-only, and a file that cannot be made in it. */
static int probe_child(void *data)
{
	const struct protect_args *a = data;
	const char *step;
	int in_userns = 0, fd;

	if (child_protect(a->dir, a->keep, &in_userns, a->uid_map, a->gid_map, &step) < 0)
		return 1;
	fd = openat(AT_FDCWD, a->dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || openat(fd, "probe", O_WRONLY | O_CREAT | O_EXCL, 0600) >= 0 || errno != EROFS)
		return 1;
	return 0;
}

int hook_env_protected(void)
{
	static int cached = -1;
	const char *tmproot = getenv("TMPDIR");
	struct protect_args a = { NULL, 0, NULL, NULL, 0 };
	struct child_process cp;
	char *dir;

	if (cached >= 0)
		return cached;
	cached = 0;
	dir = xasprintf("%s/wbgen-probe.XXXXXX", tmproot && *tmproot ? tmproot : "/tmp");
	if (!mkdtemp(dir)) {
		free(dir);
		return cached;
	}
	a.dir = dir;
	a.keep = env_keep_flags(dir);
	a.uid_map = xasprintf("%ld %ld 1\n", (long)getuid(), (long)getuid());
	a.gid_map = xasprintf("%ld %ld 1\n", (long)getgid(), (long)getgid());
	child_process_init(&cp);
	cp.fn = probe_child;
	cp.data = &a;
	cp.no_stderr = 1;
	cached = run_command(&cp) == 0;
	if (remove_tree(dir) < 0)
		warn("cannot remove '%s':", dir);
	free(dir);
	free((char *)a.uid_map);
	free((char *)a.gid_map);
	return cached;
}

/* The hook's child, in its source tree with its output redirected: the network and the
 * environment's writes taken away (warnings in the log where the kernel refuses). */
static int hook_child_setup(void *data)
{
	const struct protect_args *a = data;
	int in_userns = 0;

	if (a->isolate)
		child_isolate(a->uid_map, a->gid_map, &in_userns);
	child_protect_env(a->dir, a->keep, &in_userns, a->uid_map, a->gid_map);
	return 0;
}

int hook_run(const struct hook_opts *o, const char *name, const char *outfile, struct buf *err)
{
	struct strlist argv = STRLIST_INIT;
	char *uid_map = NULL, *gid_map = NULL;
	struct protect_args pa = { NULL, 0, NULL, NULL, 0 };
	struct child_process cp;
	char *env_abs = NULL, *python = NULL, *helper = NULL, *out_abs = NULL;
	char *outdir_abs = NULL, *mddir_abs = NULL, *check_abs = NULL, *scratch = NULL, *home = NULL, *tmp = NULL, **env = NULL, **args;
	const char *tmproot = getenv("TMPDIR");
	struct hook_opts co = *o;
	off_t log_start = 0;
	int ret = -1, status, fds[2], logfd = -1;
	size_t i;

	buf_reset(err);
	if (!hook_name_valid(name)) {
		buf_addf(err, "unknown PEP 517 hook '%s'", name);
		goto out;
	}
	{
		struct stat st;

		if (stat(o->src, &st) < 0 || !S_ISDIR(st.st_mode)) {
			buf_addf(err, "the source tree '%s' is not a directory", o->src);
			goto out;
		}
	}
	if (!(env_abs = path_absolute(o->env)))
		goto nocwd;
	python = xasprintf("%s/bin/python", env_abs);
	if (access(python, X_OK) < 0) {
		buf_addf(err, "no python in the environment '%s': %s", o->env, strerror(errno));
		goto out;
	}
	helper = o->helper ? xstrdup(o->helper) : hook_helper_path();
	if (access(helper, R_OK) < 0) {
		buf_addf(err, "cannot read the hook helper '%s': %s", helper, strerror(errno));
		goto out;
	}
	if (!(out_abs = path_absolute(outfile)))
		goto nocwd;
	if (o->out_dir && mkdir_p(o->out_dir, 0755) < 0) {
		buf_addf(err, "cannot make '%s': %s", o->out_dir, strerror(errno));
		goto out;
	}
	if (o->log) {
		struct stat st;

		if (mkdir_parents(o->log) < 0) {
			buf_addf(err, "cannot make the directory of the log '%s': %s", o->log, strerror(errno));
			goto out;
		}
		logfd = open(o->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		if (logfd < 0) {
			buf_addf(err, "cannot open the log '%s': %s", o->log, strerror(errno));
			goto out;
		}
		if (fstat(logfd, &st) == 0)
			log_start = st.st_size;
	}
	scratch = xasprintf("%s/wbgen-hook.XXXXXX", tmproot && *tmproot ? tmproot : "/tmp");
	if (!mkdtemp(scratch)) {
		buf_addf(err, "cannot make a private directory '%s': %s", scratch, strerror(errno));
		free(scratch);
		scratch = NULL;
		goto out;
	}
	home = xasprintf("%s/home", scratch);
	tmp = xasprintf("%s/tmp", scratch);
	if (mkdir(home, 0700) < 0 || mkdir(tmp, 0700) < 0) {
		buf_addf(err, "cannot make '%s': %s", home, strerror(errno));
		goto out;
	}
	co.env = env_abs;
	if (!(env = hook_env_build(environ, &co, home, tmp)))
		goto nocwd;

	strlist_add(&argv, python);
	strlist_add(&argv, helper);
	if (o->backend) {
		strlist_add(&argv, "--backend");
		strlist_add(&argv, o->backend);
	}
	for (i = 0; i < o->nr_backend_path; i++) {
		strlist_add(&argv, "--backend-path");
		strlist_add(&argv, o->backend_path[i]);
	}
	for (i = 0; i < o->nr_config; i++) {
		strlist_add(&argv, "--config-setting");
		strlist_add(&argv, o->config[i]);
	}
	if (o->out_dir) {
		if (!(outdir_abs = path_absolute(o->out_dir)))
			goto nocwd;
		strlist_add(&argv, "--out-dir");
		strlist_add(&argv, outdir_abs);
	}
	if (o->check_requires) {
		if (!(check_abs = path_absolute(o->check_requires)))
			goto nocwd;
		strlist_add(&argv, "--check-requires");
		strlist_add(&argv, check_abs);
	}
	if (o->metadata_dir) {
		if (!(mddir_abs = path_absolute(o->metadata_dir)))
			goto nocwd;
		strlist_add(&argv, "--metadata-directory");
		strlist_add(&argv, mddir_abs);
	}
	strlist_add(&argv, name);
	strlist_add(&argv, out_abs);

	args = xreallocarray(NULL, argv.n + 1, sizeof(*args));
	for (i = 0; i < argv.n; i++)
		args[i] = argv.v[i];
	args[argv.n] = NULL;
	if (o->jobserver || hook_jobserver_fds(getenv("MAKEFLAGS"), fds) < 0)
		fds[0] = fds[1] = -1;
	pa.dir = env_abs;
	pa.isolate = !hook_network_allowed();
	pa.keep = env_keep_flags(env_abs);
	uid_map = xasprintf("%ld %ld 1\n", (long)getuid(), (long)getuid());
	gid_map = xasprintf("%ld %ld 1\n", (long)getgid(), (long)getgid());
	pa.uid_map = uid_map;
	pa.gid_map = gid_map;
	child_process_init(&cp);
	cp.argv = (const char *const *)args;
	cp.envp = env;
	cp.dir = o->src;
	cp.no_stdin = 1;
	cp.out = logfd >= 0 ? logfd : 2;
	cp.err = logfd >= 0 ? logfd : 0;
	/* make's jobserver descriptors, when open: not ours */
	cp.close_fds = fds;
	cp.nr_close_fds = 2;
	cp.setup = hook_child_setup;
	cp.data = &pa;
	if (start_command(&cp) < 0) {
		buf_addf(err, "cannot run '%s': %s", python, strerror(errno));
		free(args);
		goto out;
	}
	free(args);
	if (finish_command(&cp) < 0) {
		buf_addf(err, "waiting for the %s hook: %s", name, strerror(errno));
		goto out;
	}
	status = cp.status;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (!path_exists(out_abs)) {
			buf_addf(err, "%s hook in '%s' wrote no result '%s'", name, o->src, outfile);
			goto out;
		}
		ret = 0;
		goto out;
	}
	if (WIFEXITED(status))
		buf_addf(err, "%s hook failed in '%s' (exit status %d)", name, o->src, WEXITSTATUS(status));
	else
		buf_addf(err, "%s hook failed in '%s' (killed by signal %d)", name, o->src,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	if (o->log) {
		struct buf last = BUF_INIT;

		log_last_line(o->log, log_start, &last);
		if (last.len)
			buf_addf(err, ": %s", last.s);
		buf_addf(err, " (log: %s)", o->log);
		buf_release(&last);
	}
	goto out;
nocwd:
	buf_addf(err, "cannot get the current directory: %s", strerror(errno));
out:
	if (scratch && remove_tree(scratch) < 0)
		warn("cannot remove '%s':", scratch);
	if (logfd >= 0)
		close(logfd);
	strlist_release(&argv);
	hook_env_free(env);
	free(env_abs);
	free(python);
	free(helper);
	free(out_abs);
	free(outdir_abs);
	free(mddir_abs);
	free(check_abs);
	free(scratch);
	free(home);
	free(tmp);
	free(uid_map);
	free(gid_map);
	return ret;
}
