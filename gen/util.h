/* util.h: process-wide error reporting and allocation that dies on failure.
 *
 * Three error levels (git-style):
 *   die(fmt, ...)    fatal user or environment error: prints "wbgen: ..." and exits EXIT_FAILURE_USER.
 *   error(fmt, ...)  prints "wbgen: ..." and returns -1, for code that does not own the process.
 *   BUG(fmt, ...)    a broken invariant: prints file:line and aborts.
 * A format ending in ':' appends ": strerror(errno)".
 */
#ifndef WBGEN_UTIL_H
#define WBGEN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ATTR_NORETURN __attribute__((noreturn))
#else
#define ATTR_PRINTF(f, a)
#define ATTR_NORETURN
#endif

/* Exit codes of the wbgen command; documented in docs/architecture.md and wbgen --help. */
enum wbgen_exit {
	EXIT_OK = 0,
	EXIT_FAILURE_USER = 1, /* bad input, failed resolution, environment problem */
	EXIT_USAGE = 2,        /* unknown command or option, bad arguments */
	EXIT_MISMATCH = 3,     /* build-wheel --check-requires: the backend asked for other
	                        * requirements than the environment was made for; nothing built */
};

/* Program name used as the prefix of every diagnostic ("wbgen"). */
extern const char *progname;

/* Print "wbgen: MESSAGE" to stderr and exit with EXIT_FAILURE_USER. */
ATTR_NORETURN ATTR_PRINTF(1, 2) void die(const char *fmt, ...);
/* Like die() but with an explicit exit code. */
ATTR_NORETURN ATTR_PRINTF(2, 3) void die_code(int code, const char *fmt, ...);
/* Print "wbgen: MESSAGE" to stderr and return -1. */
ATTR_PRINTF(1, 2) int error(const char *fmt, ...);
/* Print "wbgen: warning: MESSAGE" to stderr. */
ATTR_PRINTF(1, 2) void warn(const char *fmt, ...);
/* Report a broken invariant with its source location and abort(). */
ATTR_NORETURN ATTR_PRINTF(3, 4) void bug_fl(const char *file, int line, const char *fmt, ...);
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)

/* Report an allocation that cannot be made (memory exhausted, a size that overflows) like die()
 * and exit: what the x* functions below do, for the allocations they do not make (a library's
 * objects, a buffer's growth). The only way out of the process that gen/ takes. */
ATTR_NORETURN ATTR_PRINTF(1, 2) void xalloc_die(const char *fmt, ...);

/* Allocation: never returns NULL; dies on exhaustion or size overflow. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
/* realloc(p, nmemb * size) with overflow check. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
ATTR_PRINTF(1, 2) char *xasprintf(const char *fmt, ...);
char *xvasprintf(const char *fmt, va_list ap);

/* Grow *p (an array of *alloc elements of size 'size') so that it holds at least 'need'. */
void grow_array(void **p, size_t *alloc, size_t need, size_t size);
#define GROW(arr, alloc, need) grow_array((void **)&(arr), &(alloc), (need), sizeof(*(arr)))

/* qsort(3) of n elements of arr (git's QSORT): nothing for fewer than two, so that an empty array
 * may be NULL (qsort's base may not be, even for no elements). qsort itself is banned (banned.h). */
void sort_array(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
#define QSORT(arr, n, cmp) sort_array((arr), (n), sizeof(*(arr)), (cmp))

/* Bounded integer parsing of a whole string: 0 on success, -1 on junk, sign or overflow. */
int parse_u64(const char *s, uint64_t *out);
int parse_int_range(const char *s, long min, long max, long *out);

/* Non-zero when s starts with prefix / ends with suffix. */
int starts_with(const char *s, const char *prefix);
int ends_with(const char *s, const char *suffix);
/* ASCII-only character classes, independent of the locale. */
int ascii_isspace(int c);
int ascii_isdigit(int c);
int ascii_isalpha(int c);
int ascii_isalnum(int c);
int ascii_tolower(int c);
/* ASCII case-insensitive comparison (locale independent). */
int ascii_strcasecmp(const char *a, const char *b);
int ascii_strncasecmp(const char *a, const char *b, size_t n);

#include "banned.h"

#endif
