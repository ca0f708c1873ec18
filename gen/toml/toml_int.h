/* toml_int.h: internal to the toml module (included only by the .c files of gen/toml/ and by its unit
 * test). The functions below are defined in toml_lex.c; toml.c parses the document with them.
 *
 * The parser state both files share, and the lexical layer of the TOML reader: positions and
 * error messages, whitespace and comments, keys, strings and escapes, numbers, dates and times,
 * the UTF-8 check of the input. The cursor functions read at ps->p and advance it past what they
 * matched; on error they record the first message in ps->err and return -1. The text parsed is
 * a NUL-terminated copy of the input, so they may peek ahead byte by byte: a NUL stops any match.
 */
#ifndef WBGEN_TOML_INT_H
#define WBGEN_TOML_INT_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "toml/toml.h"

/* Open addressing map from container to its flags. Containers live until the parse ends. */
struct flagmap {
	const json_t **keys;
	unsigned *vals;
	size_t n, cap;
};

struct keypart {
	char *s;
	size_t len;
};

struct key {
	struct keypart *v;
	size_t n, alloc;
};

struct parser {
	const char *start, *p, *end;
	unsigned options;
	struct toml_error *err;
	struct flagmap flags;
	json_t **pending; /* tables made by dotted keys in this section, explicit from the next header */
	size_t npending, apending;
	json_t *root;
	json_t *cur; /* the table of the current section */
	int cur_depth;
};

/* Non-zero when the cursor is past the last byte of the text. */
static inline int toml_at_end(const struct parser *ps)
{
	return ps->p >= ps->end;
}

/* Record an error at position at with its line and column (the first error wins); returns -1. */
ATTR_PRINTF(3, 4) int toml_fail(struct parser *ps, const char *at, const char *fmt, ...);
/* toml_fail with "unexpected C, expected <expected>", C describing the character at p. */
int toml_unexpected(struct parser *ps, const char *p, const char *expected);
/* A key part for a message, written to out and returned: at most 40 bytes, controls escaped. */
const char *toml_keyname(const struct keypart *k, char out[64]);
/* Non-zero for a character of a bare key (A-Z a-z 0-9 - _). */
int toml_is_bare(int c);
/* Skip spaces and tabs. */
void toml_skip_ws(struct parser *ps);
/* Skip a comment if one starts at the cursor, up to its newline; -1 on a control character in it. */
int toml_skip_comment(struct parser *ps);
/* Skip whitespace, newlines and comments (between array elements). */
int toml_skip_array_ws(struct parser *ps);
/* A string (cursor on its opening quote; multi-line only when allow_multi), decoded into out. */
int toml_parse_string(struct parser *ps, struct buf *out, int allow_multi);
/* A dotted key, its parts appended to k (the caller releases k); whitespace after it is skipped. */
int toml_parse_key(struct parser *ps, struct key *k);
/* Free the parts of k; it is empty and reusable afterwards. */
void toml_key_release(struct key *k);
/* plain as the value, or (with TOML_TAGGED) {"type": type, "value": value[0..len)}; steals plain. */
json_t *toml_tagged(struct parser *ps, const char *type, const char *value, size_t len, json_t *plain);
/* A new string value of b's bytes, tagged as type when TOML_TAGGED. */
json_t *toml_make_string(struct parser *ps, const char *type, const struct buf *b);
/* A date, date-time or time: 1 when one was read into *out (a new reference), 0 if none. */
int toml_parse_datetime(struct parser *ps, json_t **out);
/* An integer or a float (inf, nan too): 1 when one was read into *out (a new reference), 0 if none. */
int toml_parse_number(struct parser *ps, json_t **out);
/* Copy s[0..len) to out, CRLF as LF; returns -1, or the offset of the first byte that is not strict UTF-8. */
long toml_check_utf8_copy(const unsigned char *s, size_t len, struct buf *out);

#endif
