/* fsutil.c: file-system helpers (see fsutil.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "buf.h"
#include "util.h"

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
