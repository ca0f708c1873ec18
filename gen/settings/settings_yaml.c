/* settings_yaml.c: libyaml's event stream to a tree of nodes, with YAML 1.1 scalar resolution. */
#include <string.h>

#include <yaml.h>

#include "settings/settings_int.h"

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

struct anchor {
	char *name;
	struct ynode *node;
};

struct yparse {
	struct ydoc *d;
	struct ynode **stack;
	size_t depth, stack_alloc;
	struct anchor *anchors;
	size_t nanchors, anchors_alloc;
};

void ydoc_init(struct ydoc *d)
{
	d->all = NULL;
	d->n = d->alloc = 0;
	d->root = NULL;
}

void ydoc_release(struct ydoc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->all[i]->text);
		free(d->all[i]->kids);
		free(d->all[i]);
	}
	free(d->all);
	ydoc_init(d);
}

struct ynode *ynode_get(const struct ynode *m, const char *key)
{
	size_t i;

	if (!m || m->kind != YN_MAP)
		return NULL;
	for (i = 0; i + 1 < m->n; i += 2)
		if (m->kids[i]->kind == YN_SCALAR && !strcmp(m->kids[i]->text, key))
			return m->kids[i + 1];
	return NULL;
}

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

/* Digits and underscores, at least one digit; advances *p. */
static int digits_(const char **p)
{
	int any = 0;

	while (ascii_isdigit(**p) || **p == '_') {
		any |= ascii_isdigit(**p);
		(*p)++;
	}
	return any;
}

static int is_float(const char *s)
{
	const char *p = s;

	if (*p == '-' || *p == '+')
		p++;
	if (one_of(p, (const char *const[]){ ".inf", ".Inf", ".INF", NULL }))
		return 1;
	if (p == s && one_of(p, (const char *const[]){ ".nan", ".NaN", ".NAN", NULL }))
		return 1;
	if (*p == '.') {
		p++;
		if (!digits_(&p))
			return 0;
	} else {
		if (!ascii_isdigit(*p) || !digits_(&p) || *p != '.')
			return 0;
		p++;
		digits_(&p);
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p != '-' && *p != '+')
			return 0;
		p++;
		while (ascii_isdigit(*p))
			p++;
		if (!ascii_isdigit(p[-1]))
			return 0;
	}
	return *p == '\0';
}

static enum yscalar int_type(const char *s)
{
	const char *p = s;

	if (*p == '-' || *p == '+')
		p++;
	if (p[0] == '0' && p[1] == '\0')
		return YS_INT;
	if (p[0] >= '1' && p[0] <= '9') {
		const char *q = p;

		digits_(&q);
		if (*q == '\0')
			return YS_INT;
		if (*q == ':') {
			/* sexagesimal: 1:30 */
			while (*q == ':') {
				q++;
				if (!ascii_isdigit(*q))
					return YS_STR;
				q++;
				if (ascii_isdigit(*q))
					q++;
			}
			return *q ? YS_STR : YS_INT_OTHER;
		}
		return YS_STR;
	}
	if (p[0] == '0' && (p[1] == 'b' || p[1] == 'x')) {
		const char *q = p + 2;
		int hex = p[1] == 'x';

		if (!*q)
			return YS_STR;
		for (; *q; q++)
			if (!(*q == '_' || *q == '0' || *q == '1' ||
			      (hex && (ascii_isdigit(*q) || (ascii_tolower(*q) >= 'a' && ascii_tolower(*q) <= 'f')))))
				return YS_STR;
		return YS_INT_OTHER;
	}
	if (p[0] == '0') {
		const char *q = p + 1;

		for (; *q; q++)
			if (!((*q >= '0' && *q <= '7') || *q == '_'))
				return YS_STR;
		return YS_INT_OTHER;
	}
	return YS_STR;
}

/* PyYAML's implicit resolvers for a plain scalar (YAML 1.1). */
static void resolve_plain(struct ynode *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL };
	static const char *const falses[] = { "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL };

	if (one_of(n->text, nulls)) {
		n->type = YS_NULL;
	} else if (one_of(n->text, trues)) {
		n->type = YS_BOOL;
		n->bool_value = 1;
	} else if (one_of(n->text, falses)) {
		n->type = YS_BOOL;
		n->bool_value = 0;
	} else if (is_float(n->text)) {
		n->type = YS_FLOAT;
	} else {
		n->type = int_type(n->text);
	}
}

static struct ynode *new_node(struct ydoc *d, enum ynode_kind kind, const yaml_mark_t *mark)
{
	struct ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->line = (unsigned long)mark->line + 1;
	n->col = (unsigned long)mark->column + 1;
	GROW(d->all, d->alloc, d->n + 1);
	d->all[d->n++] = n;
	return n;
}

static void add_anchor(struct yparse *ps, const yaml_char_t *name, struct ynode *n)
{
	if (!name)
		return;
	GROW(ps->anchors, ps->anchors_alloc, ps->nanchors + 1);
	ps->anchors[ps->nanchors].name = xstrdup((const char *)name);
	ps->anchors[ps->nanchors].node = n;
	ps->nanchors++;
}

/* Attach a finished node to the open container, or make it the root. */
static int attach(struct yparse *ps, struct ynode *n, const char *path, struct buf *err)
{
	struct ynode *top;
	size_t i;

	if (!ps->depth) {
		ps->d->root = n;
		return 0;
	}
	top = ps->stack[ps->depth - 1];
	if (top->kind == YN_MAP && top->n % 2 == 0 && n->kind == YN_SCALAR) {
		for (i = 0; i + 1 < top->n; i += 2)
			if (top->kids[i]->kind == YN_SCALAR && !strcmp(top->kids[i]->text, n->text)) {
				buf_addf(err, "%s:%lu:%lu: duplicate key '%s' (first at line %lu)", path, n->line,
					 n->col, n->text, top->kids[i]->line);
				return -1;
			}
	}
	GROW(top->kids, top->alloc, top->n + 1);
	top->kids[top->n++] = n;
	return 0;
}

static int check_tag(const yaml_char_t *tag, const char *want, const yaml_mark_t *m, const char *path,
		     struct buf *err)
{
	const char *t = (const char *)tag;

	if (!t || !strcmp(t, "!"))
		return 0;
	if (starts_with(t, YAML_TAG_PREFIX) && (!want || !strcmp(t + strlen(YAML_TAG_PREFIX), want)))
		return 0;
	buf_addf(err, "%s:%lu:%lu: unsupported tag '%s'", path, (unsigned long)m->line + 1,
		 (unsigned long)m->column + 1, t);
	return -1;
}

static int on_scalar(struct yparse *ps, yaml_event_t *ev, const char *path, struct buf *err)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	struct ynode *n;

	if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
		buf_addf(err, "%s:%lu:%lu: NUL character in a scalar", path, (unsigned long)ev->start_mark.line + 1,
			 (unsigned long)ev->start_mark.column + 1);
		return -1;
	}
	if (check_tag(ev->data.scalar.tag, NULL, &ev->start_mark, path, err) < 0)
		return -1;
	n = new_node(ps->d, YN_SCALAR, &ev->start_mark);
	n->text = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
	n->type = YS_STR;
	if (tag && starts_with(tag, YAML_TAG_PREFIX)) {
		if (strcmp(tag + strlen(YAML_TAG_PREFIX), "str"))
			resolve_plain(n);
	} else if (!tag && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		resolve_plain(n);
	}
	add_anchor(ps, ev->data.scalar.anchor, n);
	return attach(ps, n, path, err);
}

static int on_event(struct yparse *ps, yaml_event_t *ev, int *ndocs, const char *path, struct buf *err)
{
	struct ynode *n;
	size_t i;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*ndocs > 1) {
			buf_addf(err, "%s:%lu:%lu: expected a single document in the stream", path,
				 (unsigned long)ev->start_mark.line + 1, (unsigned long)ev->start_mark.column + 1);
			return -1;
		}
		return 0;
	case YAML_SCALAR_EVENT:
		return on_scalar(ps, ev, path, err);
	case YAML_ALIAS_EVENT:
		for (i = ps->nanchors; i-- > 0;)
			if (!strcmp(ps->anchors[i].name, (const char *)ev->data.alias.anchor))
				return attach(ps, ps->anchors[i].node, path, err);
		buf_addf(err, "%s:%lu:%lu: found undefined alias '%s'", path, (unsigned long)ev->start_mark.line + 1,
			 (unsigned long)ev->start_mark.column + 1, (const char *)ev->data.alias.anchor);
		return -1;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int seq = ev->type == YAML_SEQUENCE_START_EVENT;
		const yaml_char_t *tag = seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag;

		if (check_tag(tag, seq ? "seq" : "map", &ev->start_mark, path, err) < 0)
			return -1;
		n = new_node(ps->d, seq ? YN_SEQ : YN_MAP, &ev->start_mark);
		/* the anchor is registered when the node is complete: no cycles */
		n->text = seq ? (ev->data.sequence_start.anchor ? xstrdup((const char *)ev->data.sequence_start.anchor) : NULL)
			      : (ev->data.mapping_start.anchor ? xstrdup((const char *)ev->data.mapping_start.anchor) : NULL);
		GROW(ps->stack, ps->stack_alloc, ps->depth + 1);
		ps->stack[ps->depth++] = n;
		return 0;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = ps->stack[--ps->depth];
		if (n->text) {
			add_anchor(ps, (const yaml_char_t *)n->text, n);
			free(n->text);
			n->text = NULL;
		}
		return attach(ps, n, path, err);
	default:
		return 0;
	}
}

int ydoc_parse(struct ydoc *d, const char *path, const char *text, size_t len, struct buf *err)
{
	struct yparse ps = { d, NULL, 0, 0, NULL, 0, 0 };
	yaml_parser_t parser;
	yaml_event_t ev;
	int ndocs = 0, ret = 0, done = 0;
	size_t i;

	if (!yaml_parser_initialize(&parser))
		xalloc_die("out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			buf_addf(err, "%s:%lu:%lu: %s", path, (unsigned long)parser.problem_mark.line + 1,
				 (unsigned long)parser.problem_mark.column + 1,
				 parser.problem ? parser.problem : "invalid YAML");
			if (parser.context)
				buf_addf(err, " (%s at line %lu)", parser.context,
					 (unsigned long)parser.context_mark.line + 1);
			ret = -1;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		ret = on_event(&ps, &ev, &ndocs, path, err);
		yaml_event_delete(&ev);
		if (ret < 0)
			break;
	}
	yaml_parser_delete(&parser);
	for (i = 0; i < ps.nanchors; i++)
		free(ps.anchors[i].name);
	free(ps.anchors);
	free(ps.stack);
	return ret;
}
