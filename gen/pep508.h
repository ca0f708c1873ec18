/* pep508.h: the lexical layer of PEP 508 shared by markers (marker.c) and requirements
 * (requirement.c): packaging 23.0's tokenizer rules as cursors over a whole source string,
 * Python string literals, and the wording of syntax errors. Deliberate differences: \N{name}
 * escapes in strings are refused; non-ASCII characters outside a few ranges of spaces,
 * punctuation and symbols count as word characters for the tokenizer's \b (this changes error
 * messages only).
 *
 * Positions are byte offsets into src, a NUL-terminated string. A syntax error is appended to err
 * as "MESSAGE at column N[ (from column M)]", the columns counting characters from 1, like
 * packaging's ParserSyntaxError message and span.
 */
#ifndef WBGEN_PEP508_H
#define WBGEN_PEP508_H

#include <stddef.h>

#include "buf.h"

/* Non-zero when the regex \b holds at pos: one side of it is a word character, the other not. */
int pep508_at_boundary(const char *src, size_t pos);
/* Non-zero when the literal word (e.g. "and") starts at pos with \b on both sides. */
int pep508_word_token(const char *src, size_t pos, const char *word);
/* The position after the whitespace (spaces and tabs) at pos. */
size_t pep508_skip_ws(const char *src, size_t pos);
/* Non-zero at packaging's END token: the end of src or a final newline. */
int pep508_at_end(const char *src, size_t pos);
/* If an IDENTIFIER token (name or extra) starts at pos, store its end and return non-zero. */
int pep508_identifier(const char *src, size_t pos, size_t *end);
/* If a QUOTED_STRING token starts at pos: 1 with its value (Python escapes decoded, as UTF-8)
 * appended to out and *end just after the closing quote; -1 for a bad literal, the reason appended
 * to err (may be NULL) and out holding a partial value the caller releases; 0 when none starts at pos. */
int pep508_string(const char *src, size_t pos, size_t *end, struct buf *out, struct buf *err);
/* Append a syntax error for src's span [start, end] to err (may be NULL); see above. */
ATTR_PRINTF(5, 6) void pep508_syntax_error(struct buf *err, const char *src, size_t start, size_t end,
					  const char *fmt, ...);
/* Append s to out in single quotes, control characters escaped as \xHH (for messages). */
void pep508_quote(struct buf *out, const char *s);
/* pep508_quote of s[0..n), which may contain NUL bytes. */
void pep508_quote_mem(struct buf *out, const char *s, size_t n);

#endif
