/* buf.h: the one growable byte buffer used wherever text is built.
 *
 * A struct buf is always NUL-terminated (b->s is never NULL after buf_init, pointing at
 * a static "" until the first write), so b->s can be handed to any C string function.
 * It may also hold binary data with embedded NULs; b->len is authoritative.
 */
#ifndef WBGEN_BUF_H
#define WBGEN_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

struct buf {
	char *s;
	size_t len;
	size_t alloc; /* 0 while s points at the static empty string */
};

#define BUF_INIT { buf_empty, 0, 0 }
extern char buf_empty[];

/* Set up an empty buffer (no allocation). */
void buf_init(struct buf *b);
/* Free the contents; the buffer is empty and reusable afterwards. */
void buf_release(struct buf *b);
/* Make room for at least 'extra' more bytes. */
void buf_grow(struct buf *b, size_t extra);
/* Truncate to 'len' bytes (len <= b->len). */
void buf_setlen(struct buf *b, size_t len);
#define buf_reset(b) buf_setlen((b), 0)
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
ATTR_PRINTF(2, 3) void buf_addf(struct buf *b, const char *fmt, ...);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Append s with the shell's single quoting, so that sh reads it back as one word. */
void buf_add_shquoted(struct buf *b, const char *s);
/* Take the contents as a malloc'd string (never NULL); the buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len);
/* Remove trailing ASCII whitespace. */
void buf_rtrim(struct buf *b);

/* Read a whole file into b (appending). Returns 0, or -1 with errno set. */
int buf_read_file(struct buf *b, const char *path);
/* Read a whole stream into b (appending). Returns 0, or -1 with errno set. */
int buf_read_fd(struct buf *b, int fd);

#endif
