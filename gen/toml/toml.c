/* toml.c: TOML 1.0.0 reader (see toml.h): values, tables and the document; the lexical layer is in
 * toml_lex.c. The table rules follow Python's tomllib: a flag per container says whether it was
 * defined explicitly (by a header, or by dotted keys of an earlier section) or is frozen (an inline
 * table or a static array, with everything in it). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "toml/toml.h"
#include "toml/toml_int.h"

enum { F_FROZEN = 1, F_EXPLICIT = 2 };

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
		xalloc_die("out of memory");
}

static int parse_value(struct parser *ps, int depth, json_t **out);

static int check_depth(struct parser *ps, const char *at, int depth)
{
	if (depth > TOML_MAX_DEPTH)
		return toml_fail(ps, at, "nesting deeper than %d levels", TOML_MAX_DEPTH);
	return 0;
}

static int parse_array(struct parser *ps, int depth, json_t **out)
{
	json_t *arr, *v;

	if (check_depth(ps, ps->p, depth))
		return -1;
	arr = json_array();
	if (!arr)
		xalloc_die("out of memory");
	ps->p++;
	if (toml_skip_array_ws(ps))
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
			xalloc_die("out of memory");
		if (toml_skip_array_ws(ps))
			goto fail;
		if (*ps->p == ']')
			break;
		if (*ps->p != ',') {
			toml_unexpected(ps, ps->p, "',' or ']' in array");
			goto fail;
		}
		ps->p++;
		if (toml_skip_array_ws(ps))
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
		xalloc_die("out of memory");
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
	if (toml_parse_key(ps, k))
		return -1;
	if (*ps->p != '=')
		return toml_unexpected(ps, ps->p, "'=' after a key");
	ps->p++;
	toml_skip_ws(ps);
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
		xalloc_die("out of memory");
	ps->p++;
	toml_skip_ws(ps);
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
				toml_fail(ps, kat, "key '%s' is not a table", toml_keyname(&k.v[i], kn));
				goto fail;
			} else if (flags_get(&ps->flags, child) & F_FROZEN) {
				toml_fail(ps, kat, "cannot add keys to inline table '%s'", toml_keyname(&k.v[i], kn));
				goto fail;
			}
			node = child;
		}
		if (obj_get(node, &k.v[k.n - 1])) {
			toml_fail(ps, kat, "duplicate key '%s'", toml_keyname(&k.v[k.n - 1], kn));
			goto fail;
		}
		if (is_container(v, ps->options))
			flags_add(&ps->flags, v, F_FROZEN);
		obj_set(node, &k.v[k.n - 1], v);
		v = NULL;
		toml_key_release(&k);
		toml_skip_ws(ps);
		if (*ps->p == '}')
			break;
		if (*ps->p != ',') {
			toml_unexpected(ps, ps->p, "',' or '}' in inline table");
			goto fail;
		}
		ps->p++;
		toml_skip_ws(ps);
	}
	ps->p++;
	*out = tab;
	return 0;
fail:
	json_decref(v);
	toml_key_release(&k);
	json_decref(tab);
	return -1;
}

static int parse_value(struct parser *ps, int depth, json_t **out)
{
	const char *p = ps->p;
	int r;

	if (toml_at_end(ps))
		return toml_unexpected(ps, p, "a value");
	switch (*p) {
	case '"':
	case '\'': {
		struct buf b = BUF_INIT;

		if (toml_parse_string(ps, &b, 1)) {
			buf_release(&b);
			return -1;
		}
		*out = toml_make_string(ps, "string", &b);
		buf_release(&b);
		return 0;
	}
	case 't':
		if (!strncmp(p, "true", 4)) {
			ps->p += 4;
			*out = toml_tagged(ps, "bool", "true", 4, json_true());
			return 0;
		}
		break;
	case 'f':
		if (!strncmp(p, "false", 5)) {
			ps->p += 5;
			*out = toml_tagged(ps, "bool", "false", 5, json_false());
			return 0;
		}
		break;
	case '[':
		return parse_array(ps, depth, out);
	case '{':
		return parse_inline_table(ps, depth, out);
	}
	r = toml_parse_datetime(ps, out);
	if (r)
		return r < 0 ? -1 : 0;
	r = toml_parse_number(ps, out);
	if (r)
		return r < 0 ? -1 : 0;
	return toml_unexpected(ps, p, "a value");
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
				toml_fail(ps, kat, "cannot add to table '%s' with dotted keys: it is defined elsewhere",
					  toml_keyname(&k.v[i], kn));
				goto fail;
			}
			if (f & F_FROZEN) {
				toml_fail(ps, kat, "cannot add keys to inline table or array '%s'",
					  toml_keyname(&k.v[i], kn));
				goto fail;
			}
			if (!json_is_object(child) || !is_container(child, ps->options)) {
				toml_fail(ps, kat, "key '%s' is not a table", toml_keyname(&k.v[i], kn));
				goto fail;
			}
		}
		GROW(ps->pending, ps->apending, ps->npending + 1);
		ps->pending[ps->npending++] = child;
		node = child;
	}
	if (obj_get(node, &k.v[k.n - 1])) {
		toml_fail(ps, kat, "duplicate key '%s'", toml_keyname(&k.v[k.n - 1], kn));
		goto fail;
	}
	if (is_container(v, ps->options))
		flags_add(&ps->flags, v, F_FROZEN);
	obj_set(node, &k.v[k.n - 1], v);
	toml_key_release(&k);
	return 0;
fail:
	json_decref(v);
	toml_key_release(&k);
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
			toml_fail(ps, kat, "cannot extend inline table or array '%s'", toml_keyname(&k->v[i], kn));
			return NULL;
		}
		(*depth)++;
		if (json_is_array(child)) {
			child = json_array_get(child, json_array_size(child) - 1);
			(*depth)++;
		}
		if (!child || !json_is_object(child) || !is_container(child, ps->options)) {
			toml_fail(ps, kat, "key '%s' is not a table", toml_keyname(&k->v[i], kn));
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
	toml_skip_ws(ps);
	kat = ps->p;
	if (toml_parse_key(ps, &k))
		goto fail;
	if (array ? (ps->p[0] != ']' || ps->p[1] != ']') : *ps->p != ']') {
		toml_unexpected(ps, ps->p, array ? "']]' after an array of tables header" : "']' after a table header");
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
		toml_fail(ps, kat, "cannot extend inline table or array '%s'", toml_keyname(last, kn));
		goto fail;
	}
	if (array) {
		json_t *arr = t, *elem;

		if (!arr) {
			if (check_depth(ps, kat, depth + 1))
				goto fail;
			arr = json_array();
			if (!arr)
				xalloc_die("out of memory");
			obj_set(parent, last, arr);
		} else if (!json_is_array(arr)) {
			toml_fail(ps, kat, "key '%s' is already defined and is not an array of tables",
				  toml_keyname(last, kn));
			goto fail;
		}
		flags_add(&ps->flags, arr, F_EXPLICIT);
		elem = new_table(ps, kat, depth + 2);
		if (!elem)
			goto fail;
		if (json_array_append_new(arr, elem))
			xalloc_die("out of memory");
		ps->cur = elem;
		ps->cur_depth = depth + 2;
	} else {
		if (f & F_EXPLICIT) {
			toml_fail(ps, kat, "table '%s' is defined twice", toml_keyname(last, kn));
			goto fail;
		}
		if (!t) {
			t = new_table(ps, kat, depth + 1);
			if (!t)
				goto fail;
			obj_set(parent, last, t);
		} else if (!json_is_object(t) || !is_container(t, ps->options)) {
			toml_fail(ps, kat, "key '%s' is already defined and is not a table", toml_keyname(last, kn));
			goto fail;
		}
		flags_add(&ps->flags, t, F_EXPLICIT);
		ps->cur = t;
		ps->cur_depth = depth + 1;
	}
	toml_key_release(&k);
	return 0;
fail:
	toml_key_release(&k);
	return -1;
}

static int parse_document(struct parser *ps)
{
	for (;;) {
		toml_skip_ws(ps);
		if (toml_at_end(ps))
			return 0;
		if (*ps->p == '\n') {
			ps->p++;
			continue;
		}
		if (toml_is_bare((unsigned char)*ps->p) || *ps->p == '"' || *ps->p == '\'') {
			if (key_value_rule(ps))
				return -1;
		} else if (*ps->p == '[') {
			if (header_rule(ps))
				return -1;
		} else if (*ps->p != '#') {
			return toml_unexpected(ps, ps->p, "a key, a table header or a comment");
		}
		toml_skip_ws(ps);
		if (toml_skip_comment(ps))
			return -1;
		if (toml_at_end(ps))
			return 0;
		if (*ps->p != '\n')
			return toml_unexpected(ps, ps->p, "a newline or a comment after a statement");
		ps->p++;
	}
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
	bad = toml_check_utf8_copy((const unsigned char *)text, len, &copy);
	if (bad >= 0) {
		ps.start = text;
		ps.end = text + len;
		toml_fail(&ps, text + bad, "invalid UTF-8 byte 0x%02X", (unsigned char)text[bad]);
		buf_release(&copy);
		return NULL;
	}
	ps.start = ps.p = copy.s;
	ps.end = copy.s + copy.len;
	ps.root = ps.cur = json_object();
	if (!ps.root)
		xalloc_die("out of memory");
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
