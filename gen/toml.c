/* toml.c: TOML 1.0.0 reader (see toml.h). The table rules follow Python's tomllib: a flag per
 * container says whether it was defined explicitly (by a header, or by dotted keys of an earlier
 * section) or is frozen (an inline table or a static array, with everything in it). */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "toml.h"

enum { F_FROZEN = 1, F_EXPLICIT = 2 };

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

static size_t ptr_hash(const json_t *v, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)v;

	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

static size_t flag_slot(const struct flagmap *m, const json_t *v)
{
	size_t i = ptr_hash(v, m->cap);

	while (m->keys[i] && m->keys[i] != v)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static unsigned flags_get(const struct flagmap *m, const json_t *v)
{
	size_t i;

	if (!m->cap)
		return 0;
	i = flag_slot(m, v);
	return m->keys[i] ? m->vals[i] : 0;
}

static void flags_add(struct flagmap *m, const json_t *v, unsigned f)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct flagmap old = *m;
		size_t j;

		m->cap = old.cap ? old.cap * 2 : 64;
		m->keys = xcalloc(m->cap, sizeof(*m->keys));
		m->vals = xcalloc(m->cap, sizeof(*m->vals));
		for (j = 0; j < old.cap; j++) {
			if (old.keys[j]) {
				i = flag_slot(m, old.keys[j]);
				m->keys[i] = old.keys[j];
				m->vals[i] = old.vals[j];
			}
		}
		free(old.keys);
		free(old.vals);
	}
	i = flag_slot(m, v);
	if (!m->keys[i]) {
		m->keys[i] = v;
		m->vals[i] = 0;
		m->n++;
	}
	m->vals[i] |= f;
}

static void key_release(struct key *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->v[i].s);
	free(k->v);
	k->v = NULL;
	k->n = k->alloc = 0;
}

/* Object access by (key, length): embedded NULs need jansson 2.14. */
static json_t *obj_get(const json_t *obj, const struct keypart *k)
{
#if JANSSON_VERSION_HEX >= 0x020e00
	return json_object_getn(obj, k->s, k->len);
#else
	return json_object_get(obj, k->s);
#endif
}

static void obj_set(json_t *obj, const struct keypart *k, json_t *v)
{
#if JANSSON_VERSION_HEX >= 0x020e00
	if (json_object_setn_new_nocheck(obj, k->s, k->len, v))
#else
	if (json_object_set_new_nocheck(obj, k->s, v))
#endif
		die("out of memory");
}

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
ATTR_PRINTF(3, 4) static int fail(struct parser *ps, const char *at, const char *fmt, ...)
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
static const char *keyname(const struct keypart *k, char out[64])
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

static int unexpected(struct parser *ps, const char *p, const char *expected)
{
	char d[16];

	return fail(ps, p, "unexpected %s, expected %s", describe(ps, p, d), expected);
}

static int is_ctrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static int is_bare(int c)
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

static int at_end(const struct parser *ps)
{
	return ps->p >= ps->end;
}

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

static int skip_comment(struct parser *ps)
{
	if (at_end(ps) || *ps->p != '#')
		return 0;
	for (ps->p++; !at_end(ps) && *ps->p != '\n'; ps->p++)
		if (is_ctrl((unsigned char)*ps->p) && *ps->p != '\t')
			return fail(ps, ps->p, "control character U+%04X in comment", (unsigned char)*ps->p);
	return 0;
}

/* Whitespace, newlines and comments (between array elements). */
static int skip_array_ws(struct parser *ps)
{
	for (;;) {
		while (*ps->p == ' ' || *ps->p == '\t' || (*ps->p == '\n' && !at_end(ps)))
			ps->p++;
		if (at_end(ps) || *ps->p != '#')
			return 0;
		if (skip_comment(ps))
			return -1;
	}
}

static void add_utf8(struct buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		buf_addch(b, (int)cp);
	} else if (cp < 0x800) {
		buf_addch(b, 0xc0 | (cp >> 6));
		buf_addch(b, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		buf_addch(b, 0xe0 | (cp >> 12));
		buf_addch(b, 0x80 | ((cp >> 6) & 0x3f));
		buf_addch(b, 0x80 | (cp & 0x3f));
	} else {
		buf_addch(b, 0xf0 | (cp >> 18));
		buf_addch(b, 0x80 | ((cp >> 12) & 0x3f));
		buf_addch(b, 0x80 | ((cp >> 6) & 0x3f));
		buf_addch(b, 0x80 | (cp & 0x3f));
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
		skip_ws(ps);
		if (at_end(ps) || *ps->p != '\n')
			return fail(ps, bs, "a line-ending backslash must be followed by a newline only");
		while (*ps->p == ' ' || *ps->p == '\t' || (*ps->p == '\n' && !at_end(ps)))
			ps->p++;
		return 0;
	}
	switch (at_end(ps) ? 0 : *ps->p) {
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
				return fail(ps, bs, "escape '\\%c' needs %d hexadecimal digits", *ps->p, ndig);
			cp = cp * 16 + (uint32_t)hex_val((unsigned char)q[i]);
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail(ps, bs, "escape '%.*s' is not a unicode scalar value", ndig + 2, bs);
		add_utf8(out, cp);
		ps->p = q + ndig;
		return 0;
	default:
		if (at_end(ps))
			return fail(ps, ps->p, "unterminated string");
		if (is_ctrl((unsigned char)*ps->p))
			return fail(ps, bs, "invalid escape '\\' followed by %s", describe(ps, ps->p, d));
		return fail(ps, bs, "invalid escape '\\%s'", describe(ps, ps->p, d) + 1);
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

		if (at_end(ps))
			return fail(ps, open, "unterminated string");
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
			return fail(ps, ps->p, "control character U+%04X in string", c);
		buf_addch(out, c);
		ps->p++;
	}
}

/* Any string (ps->p on the opening quote). Multi-line ones only when allow_multi. */
static int parse_string(struct parser *ps, struct buf *out, int allow_multi)
{
	const char *open = ps->p;
	char q = *ps->p;

	if (allow_multi && ps->p[1] == q && ps->p[2] == q) {
		ps->p += 3;
		if (*ps->p == '\n' && !at_end(ps))
			ps->p++;
		return parse_string_body(ps, out, q, 1, open);
	}
	ps->p++;
	return parse_string_body(ps, out, q, 0, open);
}

static int parse_key_part(struct parser *ps, struct key *k)
{
	struct buf b = BUF_INIT;

	if (!at_end(ps) && is_bare((unsigned char)*ps->p)) {
		const char *s = ps->p;

		while (is_bare((unsigned char)*ps->p))
			ps->p++;
		buf_add(&b, s, (size_t)(ps->p - s));
	} else if (!at_end(ps) && (*ps->p == '"' || *ps->p == '\'')) {
		if (parse_string(ps, &b, 0)) {
			buf_release(&b);
			return -1;
		}
	} else {
		return unexpected(ps, ps->p, "a key");
	}
	GROW(k->v, k->alloc, k->n + 1);
	k->v[k->n].len = b.len;
	k->v[k->n].s = buf_detach(&b, NULL);
	k->n++;
	return 0;
}

/* A dotted key; whitespace after it is skipped. */
static int parse_key(struct parser *ps, struct key *k)
{
	for (;;) {
		if (parse_key_part(ps, k))
			return -1;
		skip_ws(ps);
		if (*ps->p != '.')
			return 0;
		ps->p++;
		skip_ws(ps);
	}
}

static json_t *tagged(struct parser *ps, const char *type, const char *value, size_t len, json_t *plain)
{
	json_t *o;

	if (!(ps->options & TOML_TAGGED))
		return plain;
	json_decref(plain);
	o = json_object();
	if (!o || json_object_set_new(o, "type", json_string(type)) ||
	    json_object_set_new(o, "value", json_stringn_nocheck(value, len)))
		die("out of memory");
	return o;
}

static json_t *make_string(struct parser *ps, const char *type, const struct buf *b)
{
	json_t *v = json_stringn_nocheck(b->s, b->len);

	if (!v)
		die("out of memory");
	return tagged(ps, type, b->s, b->len, v);
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
static int parse_datetime(struct parser *ps, json_t **out)
{
	const char *p = ps->p;
	const char *type;
	struct buf b = BUF_INIT;
	int y, mo, d, oh, om;
	size_t n;

	if (match_num(p, 4, 0, 9999, &y) && p[4] == '-' && match_num(p + 5, 2, 1, 12, &mo) &&
	    p[7] == '-' && match_num(p + 8, 2, 1, 31, &d)) {
		if (d > days_in_month(y, mo))
			return fail(ps, p, "invalid date '%.10s'", p);
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
	*out = make_string(ps, type, &b);
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
		die("out of memory");
	if (!(ps->options & TOML_TAGGED))
		return j;
	snprintf(s, sizeof(s), "%lld", (long long)v);
	return tagged(ps, "integer", s, strlen(s), j);
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
		die("out of memory");
	return tagged(ps, "float", s, strlen(s), j);
}

/* An integer or a float at ps->p: 1 when one was read into *out, 0 when none is there. */
static int parse_number(struct parser *ps, json_t **out)
{
	const char *s = ps->p, *p = ps->p;
	int base = 0, neg = 0, isfloat = 0;
	int (*isdig)(int) = NULL;
	uint64_t v = 0, limit;
	size_t n, i;
	struct buf b = BUF_INIT;

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
			return fail(ps, s, "integer '%.*s' does not fit in 64 bits", (int)(ps->p - s), s);
		v = v * (unsigned)base + dv;
	}
	if (neg)
		*out = make_integer(ps, v == UINT64_C(1) << 63 ? INT64_MIN : -(int64_t)v);
	else
		*out = make_integer(ps, (int64_t)v);
	return 1;
}

static int parse_value(struct parser *ps, int depth, json_t **out);

static int check_depth(struct parser *ps, const char *at, int depth)
{
	if (depth > TOML_MAX_DEPTH)
		return fail(ps, at, "nesting deeper than %d levels", TOML_MAX_DEPTH);
	return 0;
}

static int parse_array(struct parser *ps, int depth, json_t **out)
{
	json_t *arr, *v;

	if (check_depth(ps, ps->p, depth))
		return -1;
	arr = json_array();
	if (!arr)
		die("out of memory");
	ps->p++;
	if (skip_array_ws(ps))
		goto fail;
	if (*ps->p == ']') {
		ps->p++;
		*out = arr;
		return 0;
	}
	for (;;) {
		if (parse_value(ps, depth + 1, &v))
			goto fail;
		if (json_array_append_new(arr, v))
			die("out of memory");
		if (skip_array_ws(ps))
			goto fail;
		if (*ps->p == ']')
			break;
		if (*ps->p != ',') {
			unexpected(ps, ps->p, "',' or ']' in array");
			goto fail;
		}
		ps->p++;
		if (skip_array_ws(ps))
			goto fail;
		if (*ps->p == ']')
			break;
	}
	ps->p++;
	*out = arr;
	return 0;
fail:
	json_decref(arr);
	return -1;
}

static json_t *new_table(struct parser *ps, const char *at, int depth)
{
	json_t *t;

	if (check_depth(ps, at, depth))
		return NULL;
	t = json_object();
	if (!t)
		die("out of memory");
	return t;
}

/* Is this value a container (for freezing)? */
static int is_container(const json_t *v, unsigned options)
{
	if (json_is_array(v))
		return 1;
	if (!json_is_object(v))
		return 0;
	/* a tagged scalar is an object too, recognisable by its string "type" */
	return !(options & TOML_TAGGED) || !json_is_string(json_object_get(v, "type"));
}

static int parse_key_value(struct parser *ps, struct key *k, int depth, json_t **v)
{
	if (parse_key(ps, k))
		return -1;
	if (*ps->p != '=')
		return unexpected(ps, ps->p, "'=' after a key");
	ps->p++;
	skip_ws(ps);
	return parse_value(ps, depth + (int)k->n, v);
}

static int parse_inline_table(struct parser *ps, int depth, json_t **out)
{
	char kn[64];
	json_t *tab, *v = NULL, *node, *child;
	struct key k = { NULL, 0, 0 };
	const char *kat;
	size_t i;

	if (check_depth(ps, ps->p, depth))
		return -1;
	tab = json_object();
	if (!tab)
		die("out of memory");
	ps->p++;
	skip_ws(ps);
	if (*ps->p == '}') {
		ps->p++;
		*out = tab;
		return 0;
	}
	for (;;) {
		kat = ps->p;
		if (parse_key_value(ps, &k, depth, &v))
			goto fail;
		node = tab;
		for (i = 0; i + 1 < k.n; i++) {
			child = obj_get(node, &k.v[i]);
			if (!child) {
				child = new_table(ps, kat, depth + (int)i + 1);
				if (!child)
					goto fail;
				obj_set(node, &k.v[i], child);
			} else if (!json_is_object(child) || !is_container(child, ps->options)) {
				fail(ps, kat, "key '%s' is not a table", keyname(&k.v[i], kn));
				goto fail;
			} else if (flags_get(&ps->flags, child) & F_FROZEN) {
				fail(ps, kat, "cannot add keys to inline table '%s'", keyname(&k.v[i], kn));
				goto fail;
			}
			node = child;
		}
		if (obj_get(node, &k.v[k.n - 1])) {
			fail(ps, kat, "duplicate key '%s'", keyname(&k.v[k.n - 1], kn));
			goto fail;
		}
		if (is_container(v, ps->options))
			flags_add(&ps->flags, v, F_FROZEN);
		obj_set(node, &k.v[k.n - 1], v);
		v = NULL;
		key_release(&k);
		skip_ws(ps);
		if (*ps->p == '}')
			break;
		if (*ps->p != ',') {
			unexpected(ps, ps->p, "',' or '}' in inline table");
			goto fail;
		}
		ps->p++;
		skip_ws(ps);
	}
	ps->p++;
	*out = tab;
	return 0;
fail:
	json_decref(v);
	key_release(&k);
	json_decref(tab);
	return -1;
}

static int parse_value(struct parser *ps, int depth, json_t **out)
{
	const char *p = ps->p;
	int r;

	if (at_end(ps))
		return unexpected(ps, p, "a value");
	switch (*p) {
	case '"':
	case '\'': {
		struct buf b = BUF_INIT;

		if (parse_string(ps, &b, 1)) {
			buf_release(&b);
			return -1;
		}
		*out = make_string(ps, "string", &b);
		buf_release(&b);
		return 0;
	}
	case 't':
		if (!strncmp(p, "true", 4)) {
			ps->p += 4;
			*out = tagged(ps, "bool", "true", 4, json_true());
			return 0;
		}
		break;
	case 'f':
		if (!strncmp(p, "false", 5)) {
			ps->p += 5;
			*out = tagged(ps, "bool", "false", 5, json_false());
			return 0;
		}
		break;
	case '[':
		return parse_array(ps, depth, out);
	case '{':
		return parse_inline_table(ps, depth, out);
	}
	r = parse_datetime(ps, out);
	if (r)
		return r < 0 ? -1 : 0;
	r = parse_number(ps, out);
	if (r)
		return r < 0 ? -1 : 0;
	if (!strncmp(p, "inf", 3) || !strncmp(p, "nan", 3) ||
	    ((*p == '+' || *p == '-') && (!strncmp(p + 1, "inf", 3) || !strncmp(p + 1, "nan", 3)))) {
		int sign = *p == '-' ? -1 : 1;

		if (*p == '+' || *p == '-')
			p++;
		ps->p = p + 3;
		*out = make_float(ps, *p == 'n' ? NAN : sign * INFINITY);
		return 0;
	}
	return unexpected(ps, p, "a value");
}

static void finalize_pending(struct parser *ps)
{
	size_t i;

	for (i = 0; i < ps->npending; i++)
		flags_add(&ps->flags, ps->pending[i], F_EXPLICIT);
	ps->npending = 0;
}

/* key = value in the current section. */
static int key_value_rule(struct parser *ps)
{
	char kn[64];
	struct key k = { NULL, 0, 0 };
	const char *kat = ps->p;
	json_t *v = NULL, *node = ps->cur, *child;
	unsigned f;
	size_t i;

	if (parse_key_value(ps, &k, ps->cur_depth, &v))
		goto fail;
	for (i = 0; i + 1 < k.n; i++) {
		child = obj_get(node, &k.v[i]);
		if (!child) {
			child = new_table(ps, kat, ps->cur_depth + (int)i + 1);
			if (!child)
				goto fail;
			obj_set(node, &k.v[i], child);
		} else {
			f = flags_get(&ps->flags, child);
			if (f & F_EXPLICIT) {
				fail(ps, kat, "cannot add to table '%s' with dotted keys: it is defined elsewhere",
				     keyname(&k.v[i], kn));
				goto fail;
			}
			if (f & F_FROZEN) {
				fail(ps, kat, "cannot add keys to inline table or array '%s'", keyname(&k.v[i], kn));
				goto fail;
			}
			if (!json_is_object(child) || !is_container(child, ps->options)) {
				fail(ps, kat, "key '%s' is not a table", keyname(&k.v[i], kn));
				goto fail;
			}
		}
		GROW(ps->pending, ps->apending, ps->npending + 1);
		ps->pending[ps->npending++] = child;
		node = child;
	}
	if (obj_get(node, &k.v[k.n - 1])) {
		fail(ps, kat, "duplicate key '%s'", keyname(&k.v[k.n - 1], kn));
		goto fail;
	}
	if (is_container(v, ps->options))
		flags_add(&ps->flags, v, F_FROZEN);
	obj_set(node, &k.v[k.n - 1], v);
	key_release(&k);
	return 0;
fail:
	json_decref(v);
	key_release(&k);
	return -1;
}

/* Walk (creating tables) to the parent of the last part of a header key; *depth follows. */
static json_t *header_parent(struct parser *ps, const struct key *k, const char *kat, int *depth)
{
	char kn[64];
	json_t *node = ps->root, *child;
	size_t i;

	*depth = 0;
	for (i = 0; i + 1 < k->n; i++) {
		child = obj_get(node, &k->v[i]);
		if (!child) {
			child = new_table(ps, kat, *depth + 1);
			if (!child)
				return NULL;
			obj_set(node, &k->v[i], child);
		}
		if (flags_get(&ps->flags, child) & F_FROZEN) {
			fail(ps, kat, "cannot extend inline table or array '%s'", keyname(&k->v[i], kn));
			return NULL;
		}
		(*depth)++;
		if (json_is_array(child)) {
			child = json_array_get(child, json_array_size(child) - 1);
			(*depth)++;
		}
		if (!child || !json_is_object(child) || !is_container(child, ps->options)) {
			fail(ps, kat, "key '%s' is not a table", keyname(&k->v[i], kn));
			return NULL;
		}
		node = child;
	}
	return node;
}

/* [table] or [[array]] header; ps->p on the first '['. */
static int header_rule(struct parser *ps)
{
	char kn[64];
	struct key k = { NULL, 0, 0 };
	int array = ps->p[1] == '[';
	const char *kat;
	json_t *parent, *t;
	const struct keypart *last;
	unsigned f;
	int depth;

	finalize_pending(ps);
	ps->p += array ? 2 : 1;
	skip_ws(ps);
	kat = ps->p;
	if (parse_key(ps, &k))
		goto fail;
	if (array ? (ps->p[0] != ']' || ps->p[1] != ']') : *ps->p != ']') {
		unexpected(ps, ps->p, array ? "']]' after an array of tables header" : "']' after a table header");
		goto fail;
	}
	ps->p += array ? 2 : 1;
	parent = header_parent(ps, &k, kat, &depth);
	if (!parent)
		goto fail;
	last = &k.v[k.n - 1];
	t = obj_get(parent, last);
	f = t ? flags_get(&ps->flags, t) : 0;
	if (f & F_FROZEN) {
		fail(ps, kat, "cannot extend inline table or array '%s'", keyname(last, kn));
		goto fail;
	}
	if (array) {
		json_t *arr = t, *elem;

		if (!arr) {
			if (check_depth(ps, kat, depth + 1))
				goto fail;
			arr = json_array();
			if (!arr)
				die("out of memory");
			obj_set(parent, last, arr);
		} else if (!json_is_array(arr)) {
			fail(ps, kat, "key '%s' is already defined and is not an array of tables", keyname(last, kn));
			goto fail;
		}
		flags_add(&ps->flags, arr, F_EXPLICIT);
		elem = new_table(ps, kat, depth + 2);
		if (!elem)
			goto fail;
		if (json_array_append_new(arr, elem))
			die("out of memory");
		ps->cur = elem;
		ps->cur_depth = depth + 2;
	} else {
		if (f & F_EXPLICIT) {
			fail(ps, kat, "table '%s' is defined twice", keyname(last, kn));
			goto fail;
		}
		if (!t) {
			t = new_table(ps, kat, depth + 1);
			if (!t)
				goto fail;
			obj_set(parent, last, t);
		} else if (!json_is_object(t) || !is_container(t, ps->options)) {
			fail(ps, kat, "key '%s' is already defined and is not a table", keyname(last, kn));
			goto fail;
		}
		flags_add(&ps->flags, t, F_EXPLICIT);
		ps->cur = t;
		ps->cur_depth = depth + 1;
	}
	key_release(&k);
	return 0;
fail:
	key_release(&k);
	return -1;
}

static int parse_document(struct parser *ps)
{
	for (;;) {
		skip_ws(ps);
		if (at_end(ps))
			return 0;
		if (*ps->p == '\n') {
			ps->p++;
			continue;
		}
		if (is_bare((unsigned char)*ps->p) || *ps->p == '"' || *ps->p == '\'') {
			if (key_value_rule(ps))
				return -1;
		} else if (*ps->p == '[') {
			if (header_rule(ps))
				return -1;
		} else if (*ps->p != '#') {
			return unexpected(ps, ps->p, "a key, a table header or a comment");
		}
		skip_ws(ps);
		if (skip_comment(ps))
			return -1;
		if (at_end(ps))
			return 0;
		if (*ps->p != '\n')
			return unexpected(ps, ps->p, "a newline or a comment after a statement");
		ps->p++;
	}
}

/* Check that text is UTF-8 (no overlong forms, no surrogates) and copy it with CRLF turned into LF.
 * Returns the offset of the first bad byte, or -1. */
static long check_utf8_copy(const unsigned char *s, size_t len, struct buf *out)
{
	size_t i = 0, n, j;
	uint32_t cp;

	buf_grow(out, len);
	while (i < len) {
		unsigned char c = s[i];

		if (c < 0x80) {
			if (!(c == '\r' && i + 1 < len && s[i + 1] == '\n'))
				buf_addch(out, c);
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return (long)i;
		}
		if (len - i <= n)
			return (long)i;
		for (j = 1; j <= n; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return (long)i;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (long)i;
		buf_add(out, s + i, n + 1);
		i += n + 1;
	}
	return -1;
}

json_t *toml_parse_ex(const char *text, size_t len, unsigned options, struct toml_error *err)
{
	struct parser ps;
	struct buf copy = BUF_INIT;
	long bad;
	int r;

	memset(&ps, 0, sizeof(ps));
	ps.err = err;
	ps.options = options;
	if (err)
		memset(err, 0, sizeof(*err));
	bad = check_utf8_copy((const unsigned char *)text, len, &copy);
	if (bad >= 0) {
		ps.start = text;
		ps.end = text + len;
		fail(&ps, text + bad, "invalid UTF-8 byte 0x%02X", (unsigned char)text[bad]);
		buf_release(&copy);
		return NULL;
	}
	ps.start = ps.p = copy.s;
	ps.end = copy.s + copy.len;
	ps.root = ps.cur = json_object();
	if (!ps.root)
		die("out of memory");
	r = parse_document(&ps);
	free(ps.flags.keys);
	free(ps.flags.vals);
	free(ps.pending);
	buf_release(&copy);
	if (r) {
		json_decref(ps.root);
		return NULL;
	}
	return ps.root;
}

json_t *toml_parse(const char *text, size_t len, struct toml_error *err)
{
	return toml_parse_ex(text, len, 0, err);
}

json_t *toml_parse_file(const char *path, struct toml_error *err)
{
	struct buf b = BUF_INIT;
	json_t *v;

	if (buf_read_file(&b, path)) {
		if (err) {
			memset(err, 0, sizeof(*err));
			snprintf(err->msg, sizeof(err->msg), "cannot read '%s': %s", path, strerror(errno));
		}
		buf_release(&b);
		return NULL;
	}
	v = toml_parse_ex(b.s, b.len, 0, err);
	buf_release(&b);
	return v;
}
