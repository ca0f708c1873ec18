/* buf.c: the growable buffer (see buf.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

char buf_empty[1];

void buf_init(struct buf *b)
{
	b->s = buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->s);
	buf_init(b);
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		xalloc_die("buffer size overflow");
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return;
	if (!b->alloc) {
		b->s = NULL;
	}
	{
		size_t n = b->alloc ? b->alloc : 64;

		while (n < need) {
			if (n > SIZE_MAX / 2) {
				n = need;
				break;
			}
			n *= 2;
		}
		b->s = xreallocarray(b->s, n, 1);
		b->alloc = n;
	}
	b->s[b->len] = '\0';
}

void buf_setlen(struct buf *b, size_t len)
{
	if (len > b->len)
		BUG("buf_setlen beyond length (%zu > %zu)", len, b->len);
	b->len = len;
	if (b->alloc)
		b->s[len] = '\0';
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	if (!n)
		return;
	buf_grow(b, n);
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->s[b->len++] = (char)c;
	b->s[b->len] = '\0';
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		xalloc_die("vsnprintf failed:");
	buf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void buf_add_shquoted(struct buf *b, const char *s)
{
	buf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addch(b, *s);
	}
	buf_addch(b, '\'');
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *s;

	if (len)
		*len = b->len;
	if (!b->alloc)
		s = xstrdup("");
	else
		s = b->s;
	buf_init(b);
	return s;
}

void buf_rtrim(struct buf *b)
{
	size_t n = b->len;

	while (n > 0 && ascii_isspace((unsigned char)b->s[n - 1]))
		n--;
	buf_setlen(b, n);
}

int buf_read_fd(struct buf *b, int fd)
{
	for (;;) {
		ssize_t n;

		buf_grow(b, 8192);
		n = read(fd, b->s + b->len, b->alloc - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			b->s[b->len] = '\0';
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	b->s[b->len] = '\0';
	return 0;
}

int buf_read_file(struct buf *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r, saved;

	if (fd < 0)
		return -1;
	r = buf_read_fd(b, fd);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}
