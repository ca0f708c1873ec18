/* marker.c: PEP 508 environment markers (see marker.h), a port of packaging 23.0's
 * _parser.py (marker part) and markers.py; the tokens come from pep508.c. */
#include <stdlib.h>
#include <string.h>

#include "marker.h"
#include "names.h"
#include "pep508.h"
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

	if (pep508_at_boundary(src, pos)) {
		for (i = 0; i < ARRAY_SIZE(var_tokens); i++) {
			size_t n = strlen(var_tokens[i].text);

			if (!strncmp(src + pos, var_tokens[i].text, n) && pep508_at_boundary(src, pos + n)) {
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

	if (pep508_word_token(src, p->pos, "in")) {
		p->pos += 2;
		*op = OP_IN;
		return 0;
	}
	if (pep508_word_token(src, p->pos, "not")) {
		p->pos += 3;
		if (src[p->pos] != ' ' && src[p->pos] != '\t') {
			pep508_syntax_error(p->err, src, p->pos, p->pos, "expected whitespace after 'not'");
			return -1;
		}
		p->pos = pep508_skip_ws(src, p->pos);
		if (!pep508_word_token(src, p->pos, "in")) {
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
		if (pep508_word_token(p->src, p->pos, "or")) {
			is_or = 1;
			p->pos += 2;
		} else if (pep508_word_token(p->src, p->pos, "and")) {
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

static void canonicalize_value(struct operand *o)
{
	struct buf b = BUF_INIT;
	size_t len;
	char *canon;

	name_canonicalize_to(&b, o->s, o->len);
	len = b.len;
	canon = buf_detach(&b, NULL);
	free(o->s);
	set_value(o, canon, len);
}

void marker_normalize_extra(struct marker *m)
{
	size_t i;

	if (m->is_list) {
		for (i = 0; i < m->n; i++)
			marker_normalize_extra(m->terms[i].m);
		return;
	}
	if (m->lhs.var == MV_EXTRA && m->rhs.var < 0)
		canonicalize_value(&m->rhs);
	else if (m->rhs.var == MV_EXTRA && m->lhs.var < 0)
		canonicalize_value(&m->lhs);
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

/* _format_marker(marker, first), with one fix: a one-element list that wraps a list is formatted
 * in its parent's place, keeping the parentheses a nested group needs. packaging before
 * pypa/packaging#1316 (2026) recursed as if at the top, so "((a or b)) and c" became
 * "a or b and c", which evaluates differently. */
static void format_node(const struct marker *m, int first, struct buf *out)
{
	size_t i;

	if (m->is_list && m->n == 1) {
		format_node(m->terms[0].m, first, out);
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
