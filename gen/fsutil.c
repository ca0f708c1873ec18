/* fsutil.c: file-system helpers (see fsutil.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "buf.h"
#include "util.h"

static unsigned long placed;

static int mkdir_upto(char *p, size_t end, unsigned mode)
{
	size_t i;

	for (i = 1; i <= end; i++) {
		char c = p[i];

		if (c != '/' && c != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			p[i] = c;
			return -1;
		}
		p[i] = c;
		if (c == '\0')
			break;
	}
	return 0;
}

int mkdir_parents(const char *path)
{
	char *p = xstrdup(path);
	char *slash = strrchr(p, '/');
	int r = 0;

	if (slash && slash != p) {
		*slash = '\0';
		/* usually the parent exists or only it is missing: one call instead of one per level */
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			r = mkdir_upto(p, strlen(p), 0777);
	}
	free(p);
	return r;
}

int mkdir_p(const char *path, unsigned mode)
{
	char *p = xstrdup(path);
	int r = mkdir_upto(p, strlen(p), mode);

	free(p);
	return r;
}

int file_equals(const char *path, const void *data, size_t len)
{
	struct buf b = BUF_INIT;
	int same = buf_read_file(&b, path) == 0 && b.len == len && memcmp(b.s, data, len) == 0;

	buf_release(&b);
	return same;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	return write_file(path, data, len, 0);
}

int write_file(const char *path, const void *data, size_t len, unsigned flags)
{
	char *tmp;
	const char *s = data;
	int fd, saved;

	if ((flags & WRITE_IF_CHANGED) && file_equals(path, data, len))
		return 0;
	tmp = xasprintf("%s.tmp.XXXXXX", path);
	if (mkdir_parents(path) < 0) {
		free(tmp);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	if (write_all(fd, s, len) < 0)
		goto fail;
	if (fchmod(fd, 0644) < 0 || (!(flags & WRITE_NOSYNC) && fsync(fd) < 0))
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	placed++;
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return -1;
}

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* dst.tmp.XXXXXX, a copy of src, renamed to dst. */
static int copy_into(const char *src, const char *dst)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", dst), *data = xmalloc(65536);
	int in = -1, out = -1, saved;
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		goto fail;
	out = mkstemp(tmp);
	if (out < 0 && errno == ENOENT && mkdir_parents(dst) == 0) {
		/* a failed mkstemp() may leave its template changed */
		free(tmp);
		tmp = xasprintf("%s.tmp.XXXXXX", dst);
		out = mkstemp(tmp);
	}
	if (out < 0)
		goto fail;
	while ((n = read(in, data, 65536)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail_tmp;
		}
		if (write_all(out, data, (size_t)n) < 0)
			goto fail_tmp;
	}
	if (fchmod(out, 0644) < 0)
		goto fail_tmp;
	saved = close(out);
	out = -1;
	if (saved < 0 || rename(tmp, dst) < 0)
		goto fail_tmp;
	close(in);
	free(tmp);
	free(data);
	return 0;
fail_tmp:
	saved = errno;
	unlink(tmp);
	errno = saved;
fail:
	saved = errno;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	free(tmp);
	free(data);
	errno = saved;
	return -1;
}

int link_or_copy(const char *src, const char *dst, unsigned flags)
{
	int tries;

	if (flags & PLACE_COPY) {
		if ((flags & PLACE_KEEP) && path_exists(dst))
			return 1;
		goto copy;
	}
	for (tries = 0; tries < 3; tries++) {
		if (link(src, dst) == 0) {
			placed++;
			return 1;
		}
		if (errno == EEXIST) {
			if (flags & PLACE_KEEP)
				return 1;
			if (unlink(dst) < 0 && errno != ENOENT)
				return -1;
		} else if (errno == ENOENT && path_exists(src)) {
			if (mkdir_parents(dst) < 0)
				return -1;
		} else {
			break;
		}
	}
	if (errno == ENOENT)
		return -1;
copy:
	/* another file system (EXDEV), or one without hard links (EPERM, ENOTSUP, EMLINK, ...) */
	if (copy_into(src, dst) < 0)
		return -1;
	placed++;
	return 0;
}

unsigned long fsutil_files_placed(void)
{
	return placed;
}

int fsutil_sync(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r, saved;

	if (fd < 0)
		return -1;
	r = syncfs(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

char *path_absolute(const char *path)
{
	char *cwd, *r;

	if (path[0] == '/')
		return xstrdup(path);
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return NULL;
	r = xasprintf("%s/%s", cwd, path);
	free(cwd);
	return r;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

int remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
