/* marker.c: PEP 508 environment markers (see marker.h), a port of packaging 23.0's
 * _tokenizer.py, _parser.py (marker part) and markers.py. */
#include <stdlib.h>
#include <string.h>

#include "marker.h"
#include "names.h"
#include "specifier.h"
#include "version.h"

/* Deeper nesting is refused rather than risking the C stack (packaging's recursion fails near 480). */
#define MAX_DEPTH 400

enum mop { OP_LT, OP_LE, OP_EQ, OP_NE, OP_GE, OP_GT, OP_COMPAT, OP_ARBITRARY, OP_IN, OP_NOT_IN };

static const char *const op_names[] = {
	[OP_LT] = "<", [OP_LE] = "<=", [OP_EQ] = "==", [OP_NE] = "!=", [OP_GE] = ">=", [OP_GT] = ">",
	[OP_COMPAT] = "~=", [OP_ARBITRARY] = "===", [OP_IN] = "in", [OP_NOT_IN] = "not in",
};

/* One side of a comparison: a variable (var >= 0, s its canonical name) or a string value. */
struct operand {
	int var;
	char *s;
	size_t len;
};

struct term {
	struct marker *m;
	int or_before; /* the boolean operator before this term is 'or' (else 'and'; unused for the first) */
};

struct marker {
	int is_list;
	/* a comparison */
	struct operand lhs, rhs;
	enum mop op;
	/* a list */
	struct term *terms;
	size_t n, alloc;
};

static const char *const var_names[MV__COUNT + 1] = {
	[MV_PYTHON_VERSION] = "python_version",
	[MV_PYTHON_FULL_VERSION] = "python_full_version",
	[MV_OS_NAME] = "os_name",
	[MV_SYS_PLATFORM] = "sys_platform",
	[MV_PLATFORM_RELEASE] = "platform_release",
	[MV_PLATFORM_SYSTEM] = "platform_system",
	[MV_PLATFORM_VERSION] = "platform_version",
	[MV_PLATFORM_MACHINE] = "platform_machine",
	[MV_PLATFORM_PYTHON_IMPLEMENTATION] = "platform_python_implementation",
	[MV_IMPLEMENTATION_NAME] = "implementation_name",
	[MV_IMPLEMENTATION_VERSION] = "implementation_version",
	[MV_EXTRA] = "extra",
};

/* packaging's VARIABLE token, legacy spellings included. */
static const struct {
	const char *text;
	int var;
} var_tokens[] = {
	{ "python_version", MV_PYTHON_VERSION },
	{ "python_full_version", MV_PYTHON_FULL_VERSION },
	{ "os_name", MV_OS_NAME },
	{ "os.name", MV_OS_NAME },
	{ "sys_platform", MV_SYS_PLATFORM },
	{ "sys.platform", MV_SYS_PLATFORM },
	{ "platform_release", MV_PLATFORM_RELEASE },
	{ "platform_system", MV_PLATFORM_SYSTEM },
	{ "platform_version", MV_PLATFORM_VERSION },
	{ "platform.version", MV_PLATFORM_VERSION },
	{ "platform_machine", MV_PLATFORM_MACHINE },
	{ "platform.machine", MV_PLATFORM_MACHINE },
	{ "platform_python_implementation", MV_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "platform.python_implementation", MV_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "python_implementation", MV_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "implementation_name", MV_IMPLEMENTATION_NAME },
	{ "implementation_version", MV_IMPLEMENTATION_VERSION },
	{ "extra", MV_EXTRA },
};

/* ---- environments */

void marker_env_init(struct marker_env *env)
{
	size_t i;

	for (i = 0; i < MV__COUNT; i++)
		env->values[i] = NULL;
}

void marker_env_release(struct marker_env *env)
{
	size_t i;

	for (i = 0; i < MV__COUNT; i++)
		free(env->values[i]);
	marker_env_init(env);
}

void marker_env_set(struct marker_env *env, enum marker_var var, const char *value)
{
	if ((int)var < 0 || var >= MV__COUNT)
		BUG("bad marker variable %d", (int)var);
	free(env->values[var]);
	env->values[var] = xstrdup(value);
}

int marker_env_set_name(struct marker_env *env, const char *name, const char *value)
{
	int var = marker_var_lookup(name, strlen(name));

	if (var < 0 || var == MV_EXTRA)
		return -1;
	marker_env_set(env, (enum marker_var)var, value);
	return 0;
}

void marker_env_fill_example(struct marker_env *env)
{
	static const char *const example[MV__COUNT] = {
		[MV_PYTHON_VERSION] = "3.11",
		[MV_PYTHON_FULL_VERSION] = "3.11.2",
		[MV_OS_NAME] = "posix",
		[MV_SYS_PLATFORM] = "linux",
		[MV_PLATFORM_RELEASE] = "6.1.0-18-amd64",
		[MV_PLATFORM_SYSTEM] = "Linux",
		[MV_PLATFORM_VERSION] = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
		[MV_PLATFORM_MACHINE] = "x86_64",
		[MV_PLATFORM_PYTHON_IMPLEMENTATION] = "CPython",
		[MV_IMPLEMENTATION_NAME] = "cpython",
		[MV_IMPLEMENTATION_VERSION] = "3.11.2",
	};
	size_t i;

	for (i = 0; i < MV__COUNT; i++)
		if (!env->values[i])
			env->values[i] = xstrdup(example[i]);
}

const char *marker_var_name(int var)
{
	if (var < 0 || var > MV_EXTRA)
		BUG("bad marker variable %d", var);
	return var_names[var];
}

int marker_var_lookup(const char *name, size_t len)
{
	int i;

	for (i = 0; i <= MV_EXTRA; i++)
		if (strlen(var_names[i]) == len && !memcmp(var_names[i], name, len))
			return i;
	return -1;
}

/* ---- tokens */

/* Decode the UTF-8 character at s (lenient: a stray byte stands for itself). */
static unsigned long decode_utf8(const unsigned char *s)
{
	if (s[0] >= 0xc0 && s[0] < 0xe0 && (s[1] & 0xc0) == 0x80)
		return ((s[0] & 0x1fUL) << 6) | (s[1] & 0x3f);
	if (s[0] >= 0xe0 && s[0] < 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80)
		return ((s[0] & 0x0fUL) << 12) | ((s[1] & 0x3fUL) << 6) | (s[2] & 0x3f);
	if (s[0] >= 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80)
		return ((s[0] & 0x07UL) << 18) | ((s[1] & 0x3fUL) << 12) | ((s[2] & 0x3fUL) << 6) | (s[3] & 0x3f);
	return s[0];
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

static int at_boundary(const char *src, size_t pos)
{
	int before = 0, after;

	if (pos > 0) {
		size_t b = pos - 1;

		while (b > 0 && pos - b < 4 && ((unsigned char)src[b] & 0xc0) == 0x80)
			b--;
		before = is_word(decode_utf8((const unsigned char *)src + b));
	}
	after = src[pos] && is_word(decode_utf8((const unsigned char *)src + pos));
	return before != after;
}

/* A literal word token such as 'and' with \b on both sides. */
static int word_token(const char *src, size_t pos, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(src + pos, word, n) && at_boundary(src, pos) && at_boundary(src, pos + n);
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

	if (!ascii_isalnum((unsigned char)src[pos]) || !at_boundary(src, pos))
		return 0;
	e++;
	while (ascii_isalnum((unsigned char)src[e]) || src[e] == '.' || src[e] == '_' || src[e] == '-')
		e++;
	/* the regex backtracks until the trailing \b holds; pos + 1 always satisfies it or nothing does */
	while (e > pos + 1 && !at_boundary(src, e))
		e--;
	if (!at_boundary(src, e))
		return 0;
	*end = e;
	return 1;
}

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

static void add_utf8(struct buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		buf_addch(b, (int)cp);
	} else if (cp < 0x800) {
		buf_addch(b, (int)(0xc0 | (cp >> 6)));
		buf_addch(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addch(b, (int)(0xe0 | (cp >> 12)));
		buf_addch(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addch(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		buf_addch(b, (int)(0xf0 | (cp >> 18)));
		buf_addch(b, (int)(0x80 | ((cp >> 12) & 0x3f)));
		buf_addch(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addch(b, (int)(0x80 | (cp & 0x3f)));
	}
}

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
			add_utf8(out, cp);
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
			add_utf8(out, cp);
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

/* ---- trees */

void marker_free(struct marker *m)
{
	size_t i;

	if (!m)
		return;
	if (m->is_list) {
		for (i = 0; i < m->n; i++)
			marker_free(m->terms[i].m);
		free(m->terms);
	} else {
		free(m->lhs.s);
		free(m->rhs.s);
	}
	free(m);
}

static void set_var(struct operand *o, int var)
{
	o->var = var;
	o->s = xstrdup(var_names[var]);
	o->len = strlen(o->s);
}

static void set_value(struct operand *o, char *s, size_t len)
{
	o->var = -1;
	o->s = s;
	o->len = len;
}

static void list_add(struct marker *list, struct marker *m, int or_before)
{
	GROW(list->terms, list->alloc, list->n + 1);
	list->terms[list->n].m = m;
	list->terms[list->n].or_before = or_before;
	list->n++;
}

/* ---- the parser: _parse_marker, _parse_marker_atom, _parse_marker_item, ... */

struct parser {
	const char *src;
	size_t pos;
	struct buf *err;
};

static int parse_list(struct parser *p, int depth, struct marker **out);

static int parse_var(struct parser *p, struct operand *o)
{
	const char *src = p->src;
	size_t pos = p->pos, end, i;
	struct buf b = BUF_INIT;
	int r;

	if (at_boundary(src, pos)) {
		for (i = 0; i < ARRAY_SIZE(var_tokens); i++) {
			size_t n = strlen(var_tokens[i].text);

			if (!strncmp(src + pos, var_tokens[i].text, n) && at_boundary(src, pos + n)) {
				set_var(o, var_tokens[i].var);
				p->pos = pos + n;
				return 0;
			}
		}
	}
	r = pep508_string(src, pos, &end, &b, p->err);
	if (r > 0) {
		size_t len = b.len;

		set_value(o, buf_detach(&b, NULL), len);
		p->pos = end;
		return 0;
	}
	buf_release(&b);
	if (r < 0)
		return -2;
	pep508_syntax_error(p->err, src, pos, pos, "expected a marker variable or quoted string");
	return -1;
}

static int parse_op(struct parser *p, enum mop *op)
{
	static const struct {
		const char *text;
		enum mop op;
	} ops[] = {
		{ "===", OP_ARBITRARY }, { "==", OP_EQ }, { "~=", OP_COMPAT }, { "!=", OP_NE },
		{ "<=", OP_LE }, { ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT },
	};
	const char *src = p->src;
	size_t i;

	if (word_token(src, p->pos, "in")) {
		p->pos += 2;
		*op = OP_IN;
		return 0;
	}
	if (word_token(src, p->pos, "not")) {
		p->pos += 3;
		if (src[p->pos] != ' ' && src[p->pos] != '\t') {
			pep508_syntax_error(p->err, src, p->pos, p->pos, "expected whitespace after 'not'");
			return -1;
		}
		p->pos = pep508_skip_ws(src, p->pos);
		if (!word_token(src, p->pos, "in")) {
			pep508_syntax_error(p->err, src, p->pos, p->pos, "expected 'in' after 'not'");
			return -1;
		}
		p->pos += 2;
		*op = OP_NOT_IN;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		if (starts_with(src + p->pos, ops[i].text)) {
			p->pos += strlen(ops[i].text);
			*op = ops[i].op;
			return 0;
		}
	}
	pep508_syntax_error(p->err, src, p->pos, p->pos,
			    "expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in");
	return -1;
}

static int parse_item(struct parser *p, struct marker **out)
{
	struct marker *m = xcalloc(1, sizeof(*m));
	int r;

	p->pos = pep508_skip_ws(p->src, p->pos);
	r = parse_var(p, &m->lhs);
	if (r < 0)
		goto fail;
	p->pos = pep508_skip_ws(p->src, p->pos);
	r = parse_op(p, &m->op);
	if (r < 0)
		goto fail;
	p->pos = pep508_skip_ws(p->src, p->pos);
	r = parse_var(p, &m->rhs);
	if (r < 0)
		goto fail;
	p->pos = pep508_skip_ws(p->src, p->pos);
	*out = m;
	return 0;
fail:
	marker_free(m);
	return r;
}

static int parse_atom(struct parser *p, int depth, struct marker **out)
{
	int r;

	p->pos = pep508_skip_ws(p->src, p->pos);
	if (p->src[p->pos] == '(') {
		size_t open = p->pos;

		if (depth >= MAX_DEPTH) {
			pep508_syntax_error(p->err, p->src, open, open, "marker nested too deeply");
			return -1;
		}
		p->pos = pep508_skip_ws(p->src, p->pos + 1);
		r = parse_list(p, depth + 1, out);
		if (r < 0)
			return r;
		p->pos = pep508_skip_ws(p->src, p->pos);
		if (p->src[p->pos] != ')') {
			pep508_syntax_error(p->err, p->src, open, p->pos, "expected closing RIGHT_PARENTHESIS");
			marker_free(*out);
			*out = NULL;
			return -1;
		}
		p->pos++;
	} else {
		r = parse_item(p, out);
		if (r < 0)
			return r;
	}
	p->pos = pep508_skip_ws(p->src, p->pos);
	return 0;
}

static int parse_list(struct parser *p, int depth, struct marker **out)
{
	struct marker *list = xcalloc(1, sizeof(*list)), *atom;
	int r, is_or = 0;

	list->is_list = 1;
	for (;;) {
		r = parse_atom(p, depth, &atom);
		if (r < 0) {
			marker_free(list);
			return r;
		}
		list_add(list, atom, is_or);
		if (word_token(p->src, p->pos, "or")) {
			is_or = 1;
			p->pos += 2;
		} else if (word_token(p->src, p->pos, "and")) {
			is_or = 0;
			p->pos += 3;
		} else {
			break;
		}
	}
	*out = list;
	return 0;
}

int marker_parse_at(const char *src, size_t *pos, struct marker **out, struct buf *err)
{
	struct parser p = { src, *pos, err };
	int r;

	*out = NULL;
	r = parse_list(&p, 0, out);
	if (!r)
		*pos = p.pos;
	return r;
}

void marker_normalize_extra(struct marker *m)
{
	struct marker *first;
	struct operand *o = NULL;
	char *canon;

	if (!m->is_list || !m->n || m->terms[0].m->is_list)
		return;
	first = m->terms[0].m;
	if (first->lhs.var == MV_EXTRA)
		o = &first->rhs;
	else if (first->rhs.var == MV_EXTRA)
		o = &first->lhs;
	if (!o)
		return;
	{
		struct buf b = BUF_INIT;

		name_canonicalize_to(&b, o->s, o->len);
		o->len = b.len;
		canon = buf_detach(&b, NULL);
	}
	free(o->s);
	set_value(o, canon, o->len);
}

int marker_parse(const char *s, struct marker **out, struct buf *err)
{
	size_t pos = 0;
	struct buf why = BUF_INIT;
	int r;

	*out = NULL;
	r = marker_parse_at(s, &pos, out, &why);
	if (!r) {
		pos = pep508_skip_ws(s, pos);
		if (!pep508_at_end(s, pos)) {
			pep508_syntax_error(&why, s, pos, pos, "expected end of marker expression");
			marker_free(*out);
			*out = NULL;
			r = -1;
		}
	}
	if (r) {
		if (err) {
			buf_adds(err, "invalid marker ");
			pep508_quote(err, s);
			buf_addf(err, ": %s", why.s);
		}
		buf_release(&why);
		return -1;
	}
	buf_release(&why);
	marker_normalize_extra(*out);
	return 0;
}

/* ---- str(Marker) */

static void format_operand(const struct operand *o, struct buf *out)
{
	if (o->var >= 0) {
		buf_add(out, o->s, o->len);
	} else {
		buf_addch(out, '"');
		buf_add(out, o->s, o->len);
		buf_addch(out, '"');
	}
}

/* _format_marker(marker, first): note that a one-element list loses its parentheses, even
 * when it wraps a list ("((a or b)) and c" formats as "a or b and c" in packaging 23.0). */
static void format_node(const struct marker *m, int first, struct buf *out)
{
	size_t i;

	if (m->is_list && m->n == 1) {
		format_node(m->terms[0].m, 1, out);
		return;
	}
	if (m->is_list) {
		if (!first)
			buf_addch(out, '(');
		for (i = 0; i < m->n; i++) {
			if (i)
				buf_adds(out, m->terms[i].or_before ? " or " : " and ");
			format_node(m->terms[i].m, 0, out);
		}
		if (!first)
			buf_addch(out, ')');
		return;
	}
	format_operand(&m->lhs, out);
	buf_addf(out, " %s ", op_names[m->op]);
	format_operand(&m->rhs, out);
}

void marker_format(const struct marker *m, struct buf *out)
{
	format_node(m, 1, out);
}

/* ---- evaluation */

static int lookup(const char *key, size_t keylen, const struct marker_env *env, const char *extra,
		  const char **value, struct buf *err)
{
	int var = marker_var_lookup(key, keylen);

	if (var < 0) {
		if (err) {
			buf_adds(err, "undefined marker variable ");
			pep508_quote_mem(err, key, keylen);
		}
		return -1;
	}
	if (var == MV_EXTRA) {
		*value = extra ? extra : "";
		return var;
	}
	if (!env->values[var]) {
		if (err)
			buf_addf(err, "marker variable '%s' is not set", var_names[var]);
		return -1;
	}
	*value = env->values[var];
	return var;
}

static int compare_strings(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);

	if (r)
		return r;
	return an < bn ? -1 : an > bn;
}

static int contains_sub(const char *hay, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	if (nn > hn)
		return 0;
	for (i = 0; i + nn <= hn; i++)
		if (!memcmp(hay + i, needle, nn))
			return 1;
	return 0;
}

/* _eval_op: a version comparison when OP + rhs is a Specifier, else Python's string operators. */
static int eval_op(const char *lhs, size_t ln, enum mop op, const char *rhs, size_t rn, struct buf *err)
{
	struct specset set;
	struct buf spec = BUF_INIT;
	size_t i;
	int r;

	specset_init(&set);
	buf_adds(&spec, op_names[op]);
	buf_add(&spec, rhs, rn);
	/* a NUL is no more part of a version than \x01, which C strings can carry */
	for (i = 0; i < spec.len; i++)
		if (!spec.s[i])
			spec.s[i] = '\x01';
	if (op != OP_IN && op != OP_NOT_IN && !specset_add(&set, spec.s, spec.len, NULL) && set.n == 1) {
		struct version v;

		version_init(&v);
		if (memchr(lhs, '\0', ln) || version_parse(lhs, &v)) {
			if (err) {
				buf_adds(err, "invalid version ");
				pep508_quote_mem(err, lhs, ln);
				buf_adds(err, " for marker comparison ");
				pep508_quote(err, spec.s);
			}
			r = -1;
		} else {
			r = specifier_contains(&set.specs[0], &v, 1) ? 1 : 0;
		}
		version_release(&v);
		specset_release(&set);
		buf_release(&spec);
		return r;
	}
	specset_release(&set);
	buf_release(&spec);
	switch (op) {
	case OP_IN:
		return contains_sub(rhs, rn, lhs, ln);
	case OP_NOT_IN:
		return !contains_sub(rhs, rn, lhs, ln);
	case OP_LT:
		return compare_strings(lhs, ln, rhs, rn) < 0;
	case OP_LE:
		return compare_strings(lhs, ln, rhs, rn) <= 0;
	case OP_EQ:
		return compare_strings(lhs, ln, rhs, rn) == 0;
	case OP_NE:
		return compare_strings(lhs, ln, rhs, rn) != 0;
	case OP_GE:
		return compare_strings(lhs, ln, rhs, rn) >= 0;
	case OP_GT:
		return compare_strings(lhs, ln, rhs, rn) > 0;
	case OP_COMPAT:
	case OP_ARBITRARY:
		break;
	}
	if (err) {
		buf_addf(err, "undefined comparison '%s' on ", op_names[op]);
		pep508_quote_mem(err, lhs, ln);
		buf_adds(err, " and ");
		pep508_quote_mem(err, rhs, rn);
	}
	return -1;
}

static int eval_item(const struct marker *m, const struct marker_env *env, const char *extra, struct buf *err)
{
	const char *lhs, *rhs, *value;
	size_t ln, rn;
	int key, r;
	struct buf a = BUF_INIT, b = BUF_INIT;

	if (m->lhs.var >= 0) {
		key = lookup(m->lhs.s, m->lhs.len, env, extra, &value, err);
		if (key < 0)
			return -1;
		lhs = value;
		ln = strlen(value);
		rhs = m->rhs.s;
		rn = m->rhs.len;
	} else {
		key = lookup(m->rhs.s, m->rhs.len, env, extra, &value, err);
		if (key < 0)
			return -1;
		lhs = m->lhs.s;
		ln = m->lhs.len;
		rhs = value;
		rn = strlen(value);
	}
	if (key == MV_EXTRA) {
		name_canonicalize_to(&a, lhs, ln);
		name_canonicalize_to(&b, rhs, rn);
		lhs = a.s;
		ln = a.len;
		rhs = b.s;
		rn = b.len;
	}
	r = eval_op(lhs, ln, m->op, rhs, rn, err);
	buf_release(&a);
	buf_release(&b);
	return r;
}

/* Every term is evaluated, as packaging does, so that an error anywhere is reported. */
static int eval_node(const struct marker *m, const struct marker_env *env, const char *extra, struct buf *err)
{
	int any = 0, all = 1, v;
	size_t i;

	if (!m->is_list)
		return eval_item(m, env, extra, err);
	for (i = 0; i < m->n; i++) {
		if (i && m->terms[i].or_before) {
			any |= all;
			all = 1;
		}
		v = eval_node(m->terms[i].m, env, extra, err);
		if (v < 0)
			return -1;
		all &= v;
	}
	return any | all;
}

int marker_eval(const struct marker *m, const struct marker_env *env, const char *extra, struct buf *err)
{
	return eval_node(m, env, extra, err);
}
