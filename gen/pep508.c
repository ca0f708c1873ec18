/* pep508.c: the lexical layer of PEP 508 (see pep508.h), a port of packaging 23.0's
 * _tokenizer.py rules and of ast.literal_eval for one quoted string. */
#include <string.h>

#include "pep508.h"
#include "utf8.h"

/* ---- tokens */

/* The character at s, NUL-terminated: a byte that does not start valid UTF-8 stands for itself. */
static unsigned long char_at(const unsigned char *s)
{
	unsigned long cp;

	return utf8_decode(s, strnlen((const char *)s, 4), &cp) ? cp : s[0];
}

/* A word character for the regex \b: Python's Unicode \w (str.isalnum() or '_'), approximated
 * above ASCII by ranges of spaces, punctuation and symbols; the rest counts as letters. */
static int is_word(unsigned long c)
{
	static const struct {
		unsigned long lo, hi;
	} nonword[] = {
		{ 0x80, 0xa9 }, { 0xab, 0xb1 }, { 0xb4, 0xb4 }, { 0xb6, 0xb8 }, { 0xbb, 0xbb }, { 0xbf, 0xbf },
		{ 0xd7, 0xd7 }, { 0xf7, 0xf7 }, { 0x1680, 0x1680 }, { 0x180e, 0x180e }, { 0x2000, 0x206f },
		{ 0x20a0, 0x20cf }, { 0x2190, 0x23ff }, { 0x2500, 0x2775 }, { 0x2794, 0x27bf },
		{ 0x2e00, 0x2e7f }, { 0x3000, 0x3004 }, { 0x3008, 0x3020 }, { 0xe000, 0xf8ff },
		{ 0xfeff, 0xfeff }, { 0xff01, 0xff0f }, { 0xff1a, 0xff20 }, { 0xff3b, 0xff40 },
		{ 0xff5b, 0xff65 }, { 0x1f000, 0x1faff },
	};
	size_t i;

	if (c < 0x80)
		return ascii_isalnum((int)c) || c == '_';
	for (i = 0; i < ARRAY_SIZE(nonword); i++)
		if (c >= nonword[i].lo && c <= nonword[i].hi)
			return 0;
	return 1;
}

int pep508_at_boundary(const char *src, size_t pos)
{
	int before = 0, after;

	if (pos > 0) {
		size_t b = pos - 1;

		while (b > 0 && pos - b < 4 && ((unsigned char)src[b] & 0xc0) == 0x80)
			b--;
		before = is_word(char_at((const unsigned char *)src + b));
	}
	after = src[pos] && is_word(char_at((const unsigned char *)src + pos));
	return before != after;
}

int pep508_word_token(const char *src, size_t pos, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(src + pos, word, n) && pep508_at_boundary(src, pos) && pep508_at_boundary(src, pos + n);
}

size_t pep508_skip_ws(const char *src, size_t pos)
{
	while (src[pos] == ' ' || src[pos] == '\t')
		pos++;
	return pos;
}

int pep508_at_end(const char *src, size_t pos)
{
	return !src[pos] || (src[pos] == '\n' && !src[pos + 1]);
}

int pep508_identifier(const char *src, size_t pos, size_t *end)
{
	size_t e = pos;

	if (!ascii_isalnum((unsigned char)src[pos]) || !pep508_at_boundary(src, pos))
		return 0;
	e++;
	while (ascii_isalnum((unsigned char)src[e]) || src[e] == '.' || src[e] == '_' || src[e] == '-')
		e++;
	/* the regex backtracks until the trailing \b holds; pos + 1 always satisfies it or nothing does */
	while (e > pos + 1 && !pep508_at_boundary(src, e))
		e--;
	if (!pep508_at_boundary(src, e))
		return 0;
	*end = e;
	return 1;
}

/* ---- error messages */

/* Characters (not bytes) before pos, counted from 1: packaging counts str positions. */
static size_t column(const char *src, size_t pos)
{
	size_t i, col = 1;

	for (i = 0; i < pos; i++)
		if (((unsigned char)src[i] & 0xc0) != 0x80)
			col++;
	return col;
}

void pep508_syntax_error(struct buf *err, const char *src, size_t start, size_t end, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	buf_vaddf(err, fmt, ap);
	va_end(ap);
	buf_addf(err, " at column %zu", column(src, end));
	if (start < end)
		buf_addf(err, " (from column %zu)", column(src, start));
}

/* Append s[0..n) with control characters (and NUL) escaped as \\xHH. */
static void add_escaped(struct buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			buf_addf(out, "\\x%02x", (unsigned char)s[i]);
		else
			buf_addch(out, s[i]);
	}
}

void pep508_quote_mem(struct buf *out, const char *s, size_t n)
{
	buf_addch(out, '\'');
	add_escaped(out, s, n);
	buf_addch(out, '\'');
}

void pep508_quote(struct buf *out, const char *s)
{
	pep508_quote_mem(out, s, strlen(s));
}

/* ---- string literals: ast.literal_eval of one quoted string */

static int hexval(int c)
{
	if (ascii_isdigit(c))
		return c - '0';
	c = ascii_tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode the body s[0..n) of a quoted string with Python's escapes into out.
 * Returns NULL or a static reason. */
static const char *decode_literal(const char *s, size_t n, struct buf *out)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i++];
		unsigned long cp;
		size_t k, digits;

		if (c == '\n' || c == '\r')
			return "unterminated string literal";
		if (c != '\\') {
			buf_addch(out, c);
			continue;
		}
		if (i == n)
			return "unterminated string literal";
		c = (unsigned char)s[i++];
		switch (c) {
		case '\n':
			break;
		case '\r':
			if (i < n && s[i] == '\n')
				i++;
			break;
		case '\\': case '\'': case '"':
			buf_addch(out, c);
			break;
		case 'a': buf_addch(out, '\a'); break;
		case 'b': buf_addch(out, '\b'); break;
		case 'f': buf_addch(out, '\f'); break;
		case 'n': buf_addch(out, '\n'); break;
		case 'r': buf_addch(out, '\r'); break;
		case 't': buf_addch(out, '\t'); break;
		case 'v': buf_addch(out, '\v'); break;
		case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
			cp = c - '0';
			for (k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
				cp = cp * 8 + (unsigned long)(s[i++] - '0');
			buf_add_utf8(out, cp);
			break;
		case 'x': case 'u': case 'U':
			digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			cp = 0;
			for (k = 0; k < digits; k++) {
				if (i >= n || hexval((unsigned char)s[i]) < 0)
					return "truncated escape sequence";
				cp = cp * 16 + (unsigned long)hexval((unsigned char)s[i++]);
			}
			if (cp > 0x10ffff)
				return "illegal unicode character";
			buf_add_utf8(out, cp);
			break;
		case 'N':
			return "named unicode escapes (\\N{...}) are not supported";
		default:
			buf_addch(out, '\\');
			buf_addch(out, c);
			break;
		}
	}
	return NULL;
}

int pep508_string(const char *src, size_t pos, size_t *end, struct buf *out, struct buf *err)
{
	const char *close, *why;
	size_t len;

	if (src[pos] != '\'' && src[pos] != '"')
		return 0;
	close = strchr(src + pos + 1, src[pos]);
	if (!close)
		return 0;
	len = (size_t)(close - (src + pos + 1));
	why = decode_literal(src + pos + 1, len, out);
	if (why) {
		if (err) {
			buf_adds(err, "invalid string literal ");
			add_escaped(err, src + pos, len + 2);
			buf_addf(err, ": %s", why);
		}
		return -1;
	}
	*end = pos + len + 2;
	return 1;
}
