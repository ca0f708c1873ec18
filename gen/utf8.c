/* utf8.c: strict UTF-8 (see utf8.h). */
#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned c, lo = 0x80, hi = 0xbf;
	unsigned long v;
	size_t len, k;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	/* The ranges of the second byte exclude overlong forms (E0, F0), surrogates (ED) and
	 * code points above U+10FFFF (F4); C0, C1 and F5..FF never start a valid sequence. */
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	for (k = 1; k < len; k++) {
		unsigned d;

		if (k >= n)
			return 0;
		d = s[k];
		if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xbf))
			return 0;
		v = (v << 6) | (d & 0x3f);
	}
	*cp = v;
	return len;
}

size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0, n;
	unsigned long cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!n)
			return i;
		i += n;
	}
	return len;
}

void buf_add_utf8(struct buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		buf_addch(b, (int)cp);
	} else if (cp < 0x800) {
		buf_addch(b, (int)(0xc0 | cp >> 6));
		buf_addch(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addch(b, (int)(0xe0 | cp >> 12));
		buf_addch(b, (int)(0x80 | (cp >> 6 & 0x3f)));
		buf_addch(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp <= 0x10ffff) {
		buf_addch(b, (int)(0xf0 | cp >> 18));
		buf_addch(b, (int)(0x80 | (cp >> 12 & 0x3f)));
		buf_addch(b, (int)(0x80 | (cp >> 6 & 0x3f)));
		buf_addch(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		BUG("code point 0x%lx above U+10FFFF", cp);
	}
}

void buf_add_printable(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;
	unsigned long cp;

	while (i < n) {
		k = utf8_decode(u + i, n - i, &cp);
		if (k == 0 || (k == 1 && (cp < 0x20 || cp == 0x7f))) {
			buf_addf(b, "\\x%02x", u[i]);
			i++;
		} else {
			buf_add(b, u + i, k);
			i += k;
		}
	}
}
