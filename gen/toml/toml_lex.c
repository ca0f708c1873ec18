/* toml_lex.c: the lexical layer of the TOML reader (see toml_int.h): positions and messages,
 * whitespace and comments, keys, strings and escapes, numbers, dates and times, UTF-8 input. */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml/toml_int.h"
#include "utf8.h"

/* Line and column (characters, 1-based) of position at. */
static void locate(const struct parser *ps, const char *at, int *line, int *column)
{
	const char *q;
	long l = 1, c = 1;

	for (q = ps->start; q < at && q < ps->end; q++) {
		if (*q == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)*q & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = l > INT32_MAX ? INT32_MAX : (int)l;
	*column = c > INT32_MAX ? INT32_MAX : (int)c;
}

/* Record an error at position at (the first one wins) and return -1. */
int toml_fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	if (ps->err && !ps->err->msg[0]) {
		locate(ps, at, &ps->err->line, &ps->err->column);
		va_start(ap, fmt);
		vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Quote the character at p for a message: 'c', a code point for controls, or "end of input". */
static const char *describe(const struct parser *ps, const char *p, char out[16])
{
	unsigned char c;
	size_t n = 1;

	if (p >= ps->end)
		return "end of input";
	c = (unsigned char)*p;
	if (c < 0x20 || c == 0x7f) {
		snprintf(out, 16, "U+%04X", c);
		return out;
	}
	if (c >= 0x80)
		while (p + n < ps->end && n < 4 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n++;
	snprintf(out, 16, "'%.*s'", (int)n, p);
	return out;
}

/* A key part for a message: at most 40 bytes, control characters escaped, never a newline. */
const char *toml_keyname(const struct keypart *k, char out[64])
{
	size_t i, n = 0;

	for (i = 0; i < k->len && n < 40; i++) {
		unsigned char c = (unsigned char)k->s[i];

		if (c < 0x20 || c == 0x7f) {
			snprintf(out + n, 64 - n, "\\x%02x", c);
			n += 4;
		} else {
			out[n++] = (char)c;
		}
	}
	if (i < k->len) {
		while (n > 0 && ((unsigned char)k->s[i] & 0xc0) == 0x80) {
			n--;
			i--;
		}
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

int toml_unexpected(struct parser *ps, const char *p, const char *expected)
{
	char d[16];

	return toml_fail(ps, p, "unexpected %s, expected %s", describe(ps, p, d), expected);
}

static int is_ctrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

int toml_is_bare(int c)
{
	return ascii_isalnum(c) || c == '-' || c == '_';
}

static int is_hex(int c)
{
	return ascii_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_val(int c)
{
	if (ascii_isdigit(c))
		return c - '0';
	return ascii_tolower(c) - 'a' + 10;
}

void toml_skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

int toml_skip_comment(struct parser *ps)
{
	if (toml_at_end(ps) || *ps->p != '#')
		return 0;
	for (ps->p++; !toml_at_end(ps) && *ps->p != '\n'; ps->p++)
		if (is_ctrl((unsigned char)*ps->p) && *ps->p != '\t')
			return toml_fail(ps, ps->p, "control character U+%04X in comment", (unsigned char)*ps->p);
	return 0;
}

/* Whitespace, newlines and comments (between array elements). */
int toml_skip_array_ws(struct parser *ps)
{
	for (;;) {
		while (*ps->p == ' ' || *ps->p == '\t' || (*ps->p == '\n' && !toml_at_end(ps)))
			ps->p++;
		if (toml_at_end(ps) || *ps->p != '#')
			return 0;
		if (toml_skip_comment(ps))
			return -1;
	}
}

/* An escape sequence; ps->p is on the backslash. */
static int parse_escape(struct parser *ps, struct buf *out, int multiline)
{
	const char *bs = ps->p;
	const char *q;
	uint32_t cp = 0;
	int i, ndig;
	char d[16];

	ps->p++;
	if (multiline && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')) {
		toml_skip_ws(ps);
		if (toml_at_end(ps) || *ps->p != '\n')
			return toml_fail(ps, bs, "a line-ending backslash must be followed by a newline only");
		while (*ps->p == ' ' || *ps->p == '\t' || (*ps->p == '\n' && !toml_at_end(ps)))
			ps->p++;
		return 0;
	}
	switch (toml_at_end(ps) ? 0 : *ps->p) {
	case 'b': buf_addch(out, '\b'); break;
	case 't': buf_addch(out, '\t'); break;
	case 'n': buf_addch(out, '\n'); break;
	case 'f': buf_addch(out, '\f'); break;
	case 'r': buf_addch(out, '\r'); break;
	case '"': buf_addch(out, '"'); break;
	case '\\': buf_addch(out, '\\'); break;
	case 'u':
	case 'U':
		ndig = *ps->p == 'u' ? 4 : 8;
		q = ps->p + 1;
		for (i = 0; i < ndig; i++) {
			if (q + i >= ps->end || !is_hex((unsigned char)q[i]))
				return toml_fail(ps, bs, "escape '\\%c' needs %d hexadecimal digits", *ps->p, ndig);
			cp = cp * 16 + (uint32_t)hex_val((unsigned char)q[i]);
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return toml_fail(ps, bs, "escape '%.*s' is not a unicode scalar value", ndig + 2, bs);
		buf_add_utf8(out, cp);
		ps->p = q + ndig;
		return 0;
	default:
		if (toml_at_end(ps))
			return toml_fail(ps, ps->p, "unterminated string");
		if (is_ctrl((unsigned char)*ps->p))
			return toml_fail(ps, bs, "invalid escape '\\' followed by %s", describe(ps, ps->p, d));
		return toml_fail(ps, bs, "invalid escape '\\%s'", describe(ps, ps->p, d) + 1);
	}
	ps->p++;
	return 0;
}

/* The body of a string after its opening quote(s) q (and the newline trimmed after ''' or """). */
static int parse_string_body(struct parser *ps, struct buf *out, char q, int multiline, const char *open)
{
	int i;

	for (;;) {
		unsigned char c = (unsigned char)*ps->p;

		if (toml_at_end(ps))
			return toml_fail(ps, open, "unterminated string");
		if (c == q && !multiline) {
			ps->p++;
			return 0;
		}
		if (c == q && ps->p[1] == q && ps->p[2] == q) {
			/* up to two more quotes belong to the string */
			ps->p += 3;
			for (i = 0; i < 2 && *ps->p == q; i++, ps->p++)
				buf_addch(out, q);
			return 0;
		}
		if (c == '\\' && q == '"') {
			if (parse_escape(ps, out, multiline))
				return -1;
			continue;
		}
		if (is_ctrl(c) && c != '\t' && !(multiline && c == '\n'))
			return toml_fail(ps, ps->p, "control character U+%04X in string", c);
		buf_addch(out, c);
		ps->p++;
	}
}

/* Any string (ps->p on the opening quote). Multi-line ones only when allow_multi. */
int toml_parse_string(struct parser *ps, struct buf *out, int allow_multi)
{
	const char *open = ps->p;
	char q = *ps->p;

	if (allow_multi && ps->p[1] == q && ps->p[2] == q) {
		ps->p += 3;
		if (*ps->p == '\n' && !toml_at_end(ps))
			ps->p++;
		return parse_string_body(ps, out, q, 1, open);
	}
	ps->p++;
	return parse_string_body(ps, out, q, 0, open);
}

static int parse_key_part(struct parser *ps, struct key *k)
{
	struct buf b = BUF_INIT;

	if (!toml_at_end(ps) && toml_is_bare((unsigned char)*ps->p)) {
		const char *s = ps->p;

		while (toml_is_bare((unsigned char)*ps->p))
			ps->p++;
		buf_add(&b, s, (size_t)(ps->p - s));
	} else if (!toml_at_end(ps) && (*ps->p == '"' || *ps->p == '\'')) {
		if (toml_parse_string(ps, &b, 0)) {
			buf_release(&b);
			return -1;
		}
	} else {
		return toml_unexpected(ps, ps->p, "a key");
	}
	GROW(k->v, k->alloc, k->n + 1);
	k->v[k->n].len = b.len;
	k->v[k->n].s = buf_detach(&b, NULL);
	k->n++;
	return 0;
}

/* A dotted key; whitespace after it is skipped. */
int toml_parse_key(struct parser *ps, struct key *k)
{
	for (;;) {
		if (parse_key_part(ps, k))
			return -1;
		toml_skip_ws(ps);
		if (*ps->p != '.')
			return 0;
		ps->p++;
		toml_skip_ws(ps);
	}
}

void toml_key_release(struct key *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->v[i].s);
	free(k->v);
	k->v = NULL;
	k->n = k->alloc = 0;
}

json_t *toml_tagged(struct parser *ps, const char *type, const char *value, size_t len, json_t *plain)
{
	json_t *o;

	if (!(ps->options & TOML_TAGGED))
		return plain;
	json_decref(plain);
	o = json_object();
	if (!o || json_object_set_new(o, "type", json_string(type)) ||
	    json_object_set_new(o, "value", json_stringn_nocheck(value, len)))
		xalloc_die("out of memory");
	return o;
}

json_t *toml_make_string(struct parser *ps, const char *type, const struct buf *b)
{
	json_t *v = json_stringn_nocheck(b->s, b->len);

	if (!v)
		xalloc_die("out of memory");
	return toml_tagged(ps, type, b->s, b->len, v);
}

/* Match n digits at p whose value lies in [lo, hi]; the value goes to *out. */
static int match_num(const char *p, int n, int lo, int hi, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!ascii_isdigit((unsigned char)p[i]))
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return v >= lo && v <= hi;
}

/* HH:MM:SS[.fraction] at p; returns its length or 0. */
static size_t match_time(const char *p)
{
	int h, m, s;
	size_t n = 8;

	if (!match_num(p, 2, 0, 23, &h) || p[2] != ':' || !match_num(p + 3, 2, 0, 59, &m) ||
	    p[5] != ':' || !match_num(p + 6, 2, 0, 59, &s))
		return 0;
	if (p[8] == '.' && ascii_isdigit((unsigned char)p[9]))
		for (n = 9; ascii_isdigit((unsigned char)p[n]); n++)
			;
	return n;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* A date, date-time or time at ps->p: 1 when one was read into *out, 0 when none is there. */
int toml_parse_datetime(struct parser *ps, json_t **out)
{
	const char *p = ps->p;
	const char *type;
	struct buf b = BUF_INIT;
	int y, mo, d, oh, om;
	size_t n;

	if (match_num(p, 4, 0, 9999, &y) && p[4] == '-' && match_num(p + 5, 2, 1, 12, &mo) &&
	    p[7] == '-' && match_num(p + 8, 2, 1, 31, &d)) {
		if (d > days_in_month(y, mo))
			return toml_fail(ps, p, "invalid date '%.10s'", p);
		buf_add(&b, p, 10);
		type = "date-local";
		p += 10;
		if ((*p == 'T' || *p == 't' || *p == ' ') && (n = match_time(p + 1))) {
			buf_addch(&b, 'T');
			buf_add(&b, p + 1, n);
			p += 1 + n;
			type = "datetime-local";
			if (*p == 'Z' || *p == 'z') {
				buf_addch(&b, 'Z');
				p++;
				type = "datetime";
			} else if ((*p == '+' || *p == '-') && match_num(p + 1, 2, 0, 23, &oh) && p[3] == ':' &&
				   match_num(p + 4, 2, 0, 59, &om)) {
				buf_add(&b, p, 6);
				p += 6;
				type = "datetime";
			}
		}
	} else if ((n = match_time(p))) {
		buf_add(&b, p, n);
		p += n;
		type = "time-local";
	} else {
		return 0;
	}
	*out = toml_make_string(ps, type, &b);
	buf_release(&b);
	ps->p = p;
	return 1;
}

/* Digits of one base with single underscores between them: the length matched. */
static size_t match_digits(const char *p, int (*isdig)(int))
{
	size_t n = 0;

	if (!isdig((unsigned char)p[0]))
		return 0;
	for (n = 1;; n++) {
		if (isdig((unsigned char)p[n]))
			continue;
		if (p[n] == '_' && isdig((unsigned char)p[n + 1]))
			continue;
		return n;
	}
}

static int is_oct(int c)
{
	return c >= '0' && c <= '7';
}

static int is_bin(int c)
{
	return c == '0' || c == '1';
}

static int is_dec(int c)
{
	return ascii_isdigit(c);
}

static json_t *make_integer(struct parser *ps, int64_t v)
{
	char s[32];
	json_t *j = json_integer((json_int_t)v);

	if (!j)
		xalloc_die("out of memory");
	if (!(ps->options & TOML_TAGGED))
		return j;
	snprintf(s, sizeof(s), "%lld", (long long)v);
	return toml_tagged(ps, "integer", s, strlen(s), j);
}

static json_t *make_float(struct parser *ps, double d)
{
	char s[40];
	json_t *j;

	if (isnan(d))
		snprintf(s, sizeof(s), "nan");
	else if (isinf(d))
		snprintf(s, sizeof(s), "%s", d < 0 ? "-inf" : "inf");
	else
		snprintf(s, sizeof(s), "%.17g", d);
	if (isnan(d) || isinf(d))
		j = json_string(s);
	else
		j = json_real(d);
	if (!j)
		xalloc_die("out of memory");
	return toml_tagged(ps, "float", s, strlen(s), j);
}

/* inf or nan with an optional sign at ps->p: 1 when one was read into *out, 0 when none is there. */
static int parse_inf_nan(struct parser *ps, json_t **out)
{
	const char *p = ps->p;
	int sign = *p == '-' ? -1 : 1;

	if (*p == '+' || *p == '-')
		p++;
	if (strncmp(p, "inf", 3) && strncmp(p, "nan", 3))
		return 0;
	ps->p = p + 3;
	*out = make_float(ps, *p == 'n' ? NAN : sign * INFINITY);
	return 1;
}

/* An integer or a float at ps->p: 1 when one was read into *out, 0 when none is there. */
int toml_parse_number(struct parser *ps, json_t **out)
{
	const char *s = ps->p, *p = ps->p;
	int base = 0, neg = 0, isfloat = 0;
	int (*isdig)(int) = NULL;
	uint64_t v = 0, limit;
	size_t n, i;
	struct buf b = BUF_INIT;

	if (parse_inf_nan(ps, out))
		return 1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b')) {
		isdig = p[1] == 'x' ? is_hex : p[1] == 'o' ? is_oct : is_bin;
		base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2;
		n = match_digits(p + 2, isdig);
		if (n)
			p += 2;
		else
			base = 0;
	}
	if (!base) {
		if (*p == '+' || *p == '-')
			neg = *p++ == '-';
		if (*p == '0')
			n = 1;
		else if ((n = match_digits(p, is_dec)) == 0)
			return 0;
		if (p[n] == '.' && ascii_isdigit((unsigned char)p[n + 1])) {
			isfloat = 1;
			n += 1 + match_digits(p + n + 1, is_dec);
		}
		if (p[n] == 'e' || p[n] == 'E') {
			size_t e = n + 1;

			if (p[e] == '+' || p[e] == '-')
				e++;
			if (ascii_isdigit((unsigned char)p[e])) {
				isfloat = 1;
				n = e + match_digits(p + e, is_dec);
			}
		}
		base = 10;
	}
	ps->p = p + n;
	if (isfloat) {
		char *endp;
		const char *dp = localeconv()->decimal_point;
		double d;

		for (; s < ps->p; s++) {
			if (*s == '.' && dp[0] && strcmp(dp, "."))
				buf_adds(&b, dp);
			else if (*s != '_')
				buf_addch(&b, *s);
		}
		d = strtod(b.s, &endp);
		if (*endp)
			BUG("strtod stopped at '%s' in '%s'", endp, b.s);
		buf_release(&b);
		*out = make_float(ps, d);
		return 1;
	}
	limit = neg ? UINT64_C(1) << 63 : (UINT64_C(1) << 63) - 1;
	for (i = 0; i < n; i++) {
		unsigned dv;

		if (p[i] == '_')
			continue;
		dv = (unsigned)hex_val((unsigned char)p[i]);
		if (v > (limit - dv) / (unsigned)base)
			return toml_fail(ps, s, "integer '%.*s' does not fit in 64 bits", (int)(ps->p - s), s);
		v = v * (unsigned)base + dv;
	}
	if (neg)
		*out = make_integer(ps, v == UINT64_C(1) << 63 ? INT64_MIN : -(int64_t)v);
	else
		*out = make_integer(ps, (int64_t)v);
	return 1;
}

long toml_check_utf8_copy(const unsigned char *s, size_t len, struct buf *out)
{
	size_t i = 0, n;
	unsigned long cp;

	buf_grow(out, len);
	while (i < len) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (!n)
			return (long)i;
		buf_add(out, s + i, n);
		i += n;
	}
	return -1;
}
