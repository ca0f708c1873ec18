/* utf8.h: strict UTF-8 decoding, validation and encoding, and text made printable.
 *
 * "Valid" means what Python's strict "utf-8" codec accepts: shortest form only, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF. Callers with a looser or stricter rule (U+FFFD for
 * bad character references, a stray byte standing for itself) keep it on top of these.
 */
#ifndef WBGEN_UTF8_H
#define WBGEN_UTF8_H

#include <stddef.h>

#include "buf.h"

/* Length (1 to 4) of the valid sequence at s[0..n), its code point in *cp; 0 when the
 * sequence is invalid or truncated by n (also when n is 0), *cp then untouched. Bytes past
 * the first one that is not a continuation byte are never read. */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp);
/* Offset of the first byte of s[0..len) that does not start a valid sequence, or len. */
size_t utf8_invalid_at(const unsigned char *s, size_t len);
/* Append cp (at most U+10FFFF, else BUG) encoded. A surrogate is written as its three bytes
 * (Python's "surrogatepass"): callers that accept only scalar values check first. */
void buf_add_utf8(struct buf *b, unsigned long cp);
/* Append s[0..n) as one printable line: control bytes (below 0x20, 0x7f) and bytes that are
 * not part of valid UTF-8 are written \xNN, the rest is copied. */
void buf_add_printable(struct buf *b, const char *s, size_t n);

#endif
