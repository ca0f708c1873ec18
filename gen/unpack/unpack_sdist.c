/* unpack_sdist.c: an sdist extracted into a temporary directory, patched, renamed into place
 * (see unpack.h); unpack.c does the extraction itself. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "run_command.h"
#include "strlist.h"
#include "unpack/unpack.h"

void unpack_options_init(struct unpack_options *o)
{
	unpack_limits_init(&o->limits);
	o->patches = NULL;
	o->npatches = 0;
	o->force = 0;
	o->log = NULL;
}

static int remove_at(int dfd, const char *name)
{
	struct strlist names = STRLIST_INIT;
	struct dirent *de;
	DIR *d;
	size_t i;
	int fd, saved;

	if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	/* read the whole listing first: removing while reading may skip entries */
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strlist_add(&names, de->d_name);
	for (i = 0; i < names.n; i++)
		if (remove_at(fd, names.v[i]) < 0)
			break;
	saved = errno;
	closedir(d);
	if (i < names.n) {
		strlist_release(&names);
		errno = saved;
		return -1;
	}
	strlist_release(&names);
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int unpack_remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path);
}

/* Run patch on one file in the tree open as treefd; its merged stdout and stderr go to out. The
 * exit status, 128+N when signal N killed it (*sig = N, else 0), 127 when it cannot run (why in
 * out); -1 with err when it could not be waited for or we were interrupted. */
static int run_patch(int treefd, const char *patch, struct buf *out, int *sig, struct buf *err)
{
	const char *argv[] = { "patch", "-p1", "--batch", "--forward", "--no-backup-if-mismatch", "-i", patch, NULL };
	/* patch's behaviour must not depend on the caller's environment */
	static const char *const env[] = { "POSIXLY_CORRECT", "VERSION_CONTROL", "PATCH_VERSION_CONTROL",
					   "SIMPLE_BACKUP_SUFFIX", "PATCH_GET", NULL };
	struct child_process cp;
	int r;

	child_process_init(&cp);
	cp.argv = argv;
	cp.env = env;
	cp.dir_fd = treefd;
	cp.no_stdin = 1;
	cp.stderr_to_stdout = 1;
	/* interrupted: stop patch, whose group may not have had the signal */
	cp.interrupted = &unpack_interrupted;
	*sig = 0;
	r = pipe_command(&cp, out, NULL);
	if (r < 0 && cp.pid < 0) {
		buf_addf(out, "cannot run 'patch': %s\n", strerror(errno));
		r = 127;
	} else if (r < 0) {
		buf_addf(err, "cannot wait for patch: %s", strerror(errno));
		return -1;
	}
	if (unpack_interrupted) {
		buf_addf(err, "interrupted while applying patch '%s'", patch);
		return -1;
	}
	if (WIFSIGNALED(cp.status))
		*sig = WTERMSIG(cp.status);
	return r;
}

/* Apply o's patches in order to the tree open as treefd. */
static int apply_patches(const char *sdist, int treefd, const struct unpack_options *o, char **abs, struct buf *err)
{
	struct buf log = BUF_INIT, out = BUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; i < o->npatches && r == 0; i++) {
		int status, sig;

		buf_reset(&out);
		if ((status = run_patch(treefd, abs[i], &out, &sig, err)) < 0) {
			r = -1;
			break;
		}
		buf_addf(&log, "== patch -p1 --batch --forward --no-backup-if-mismatch -i %s\n", abs[i]);
		buf_add(&log, out.s, out.len);
		if (status == 0)
			continue;
		r = -1;
		if (status == 127 && !sig) {
			buf_rtrim(&out);
			buf_addf(err, "cannot apply patch '%s': %s", o->patches[i], out.s);
			break;
		}
		buf_addf(err, "patch '%s' does not apply to '%s' (", o->patches[i], sdist);
		if (!sig)
			buf_addf(err, "exit status %d)", status);
		else
			buf_addf(err, "killed by signal %d)", sig);
		if (o->log) {
			buf_addf(err, ", see '%s'", o->log);
		} else {
			const char *s = out.s;

			buf_rtrim(&out);
			while (*s) {
				const char *nl = strchrnul(s, '\n');

				buf_adds(err, "\n  ");
				buf_add(err, s, (size_t)(nl - s));
				s = *nl ? nl + 1 : nl;
			}
		}
	}
	if (o->log && write_file(o->log, log.s, log.len, WRITE_NOSYNC) < 0 && r == 0) {
		buf_addf(err, "cannot write '%s': %s", o->log, strerror(errno));
		r = -1;
	}
	buf_release(&log);
	buf_release(&out);
	return r;
}

/* A name beside dest: DIR/.BASE.what-XXXXXX (a template for mkdtemp). */
static char *sibling_template(const char *dest, const char *what)
{
	char *d = xstrdup(dest), *slash, *t;
	size_t len = strlen(d);

	while (len > 1 && d[len - 1] == '/')
		d[--len] = '\0';
	slash = strrchr(d, '/');
	if (slash)
		t = xasprintf("%.*s/.%s.%s-XXXXXX", (int)(slash - d), d, slash + 1, what);
	else
		t = xasprintf(".%s.%s-XXXXXX", d, what);
	free(d);
	return t;
}

/* Rename the finished tree tmp to dest: refusing an existing dest, or swapping it out with force. */
static int put_in_place(const char *tmp, const char *dest, int force, struct buf *err)
{
	struct stat st;
	char *old;

	if (!force || (lstat(dest, &st) < 0 && errno == ENOENT)) {
#ifdef RENAME_NOREPLACE
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno != EINVAL && errno != ENOSYS)
			goto fail;
#endif
		if (lstat(dest, &st) == 0) {
			errno = EEXIST;
			goto fail;
		}
		if (rename(tmp, dest) == 0)
			return 0;
		goto fail;
	}
#ifdef RENAME_EXCHANGE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_EXCHANGE) == 0) {
		if (unpack_remove_tree(tmp) < 0)
			warn("cannot remove the replaced '%s' (now '%s'): %s", dest, tmp, strerror(errno));
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS)
		goto fail;
#endif
	old = xasprintf("%s.old", tmp);
	if (rename(dest, old) < 0) {
		free(old);
		goto fail;
	}
	if (rename(tmp, dest) < 0) {
		int saved = errno;

		if (rename(old, dest) < 0)
			warn("cannot put '%s' back from '%s': %s", dest, old, strerror(errno));
		free(old);
		errno = saved;
		goto fail;
	}
	if (unpack_remove_tree(old) < 0)
		warn("cannot remove the replaced '%s' (now '%s'): %s", dest, old, strerror(errno));
	free(old);
	return 0;
fail:
	if (errno == EEXIST || errno == ENOTEMPTY)
		buf_addf(err, "'%s' already exists (use --force to replace it)", dest);
	else
		buf_addf(err, "cannot rename '%s' to '%s': %s", tmp, dest, strerror(errno));
	return -1;
}

int unpack_sdist(const char *path, const char *dest, const struct unpack_options *o, struct buf *err)
{
	char **abs = xcalloc(o->npatches + 1, sizeof(*abs)), *cwd = NULL, *tmp = NULL, *dest_copy = NULL;
	struct stat st;
	size_t i, len;
	int fd = -1, r = -1;

	if (!*dest) {
		buf_addf(err, "the destination directory name is empty");
		goto out;
	}
	/* "out/src/" is "out/src" (the slash would make mkdir_parents create dest itself) */
	len = strlen(dest);
	while (len > 1 && dest[len - 1] == '/')
		len--;
	dest = dest_copy = xstrndup(dest, len);
	if (!o->force && lstat(dest, &st) == 0) {
		buf_addf(err, "'%s' already exists (use --force to replace it)", dest);
		goto out;
	}
	for (i = 0; i < o->npatches; i++) {
		const char *p = o->patches[i];

		if (stat(p, &st) < 0 || access(p, R_OK) < 0) {
			buf_addf(err, "cannot read patch '%s': %s", p, strerror(errno));
			goto out;
		}
		if (!S_ISREG(st.st_mode)) {
			buf_addf(err, "patch '%s' is not a regular file", p);
			goto out;
		}
		if (p[0] == '/') {
			abs[i] = xstrdup(p);
			continue;
		}
		if (!cwd)
			cwd = getcwd(NULL, 0);
		if (!cwd) {
			buf_addf(err, "cannot find the current directory: %s", strerror(errno));
			goto out;
		}
		abs[i] = xasprintf("%s/%s", cwd, p);
	}
	if (mkdir_parents(dest) < 0) {
		buf_addf(err, "cannot create the parent directories of '%s': %s", dest, strerror(errno));
		goto out;
	}
	tmp = sibling_template(dest, "unpack");
	if (!mkdtemp(tmp)) {
		buf_addf(err, "cannot create a temporary directory '%s': %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		buf_addf(err, "cannot open '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (unpack_extract_at(path, fd, &o->limits, err) < 0 || apply_patches(path, fd, o, abs, err) < 0)
		goto out;
	if (unpack_interrupted) {
		buf_addf(err, "interrupted while unpacking '%s'", path);
		goto out;
	}
	/* the tree's own time is now, so that make sees it newer than the sdist */
	if (fchmod(fd, 0755) < 0 || futimens(fd, NULL) < 0) {
		buf_addf(err, "cannot set the permissions of '%s': %s", tmp, strerror(errno));
		goto out;
	}
	r = put_in_place(tmp, dest, o->force, err);
out:
	if (fd >= 0)
		close(fd);
	if (r < 0 && tmp && unpack_remove_tree(tmp) < 0)
		warn("cannot remove '%s': %s", tmp, strerror(errno));
	free(tmp);
	free(cwd);
	free(dest_copy);
	for (i = 0; i < o->npatches; i++)
		free(abs[i]);
	free(abs);
	return r;
}
