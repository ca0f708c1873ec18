/* jsonw.c: jansson's indented JSON text, written directly (see jsonw.h). */
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "util.h"

static void indent(struct buf *out, int depth)
{
	buf_addch(out, '\n');
	while (depth-- > 0)
		buf_add(out, "  ", 2);
}

/* jansson's escapes: '"', '\\', \b \f \n \r \t, other bytes below 0x20 as \u00XX; UTF-8 as is */
static void add_string(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, run = 0;

	buf_addch(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[6];
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(out, s + run, i - run);
		run = i + 1;
		e[0] = '\\';
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			n = 6;
		}
		buf_add(out, e, n);
	}
	buf_add(out, s + run, len - run);
	buf_addch(out, '"');
}

static int dump(const json_t *v, int depth, struct buf *out)
{
	size_t i, n;
	void *it;

	switch (json_typeof(v)) {
	case JSON_NULL:
		buf_add(out, "null", 4);
		return 0;
	case JSON_TRUE:
		buf_add(out, "true", 4);
		return 0;
	case JSON_FALSE:
		buf_add(out, "false", 5);
		return 0;
	case JSON_INTEGER:
		buf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	case JSON_STRING:
		add_string(out, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_ARRAY:
		n = json_array_size(v);
		buf_addch(out, '[');
		for (i = 0; i < n; i++) {
			if (i)
				buf_addch(out, ',');
			indent(out, depth + 1);
			if (dump(json_array_get(v, i), depth + 1, out) < 0)
				return -1;
		}
		if (n)
			indent(out, depth);
		buf_addch(out, ']');
		return 0;
	case JSON_OBJECT:
		buf_addch(out, '{');
		it = json_object_iter((json_t *)v);
		for (i = 0; it; i++, it = json_object_iter_next((json_t *)v, it)) {
			if (i)
				buf_addch(out, ',');
			indent(out, depth + 1);
			add_string(out, json_object_iter_key(it), json_object_iter_key_len(it));
			buf_add(out, ": ", 2);
			if (dump(json_object_iter_value(it), depth + 1, out) < 0)
				return -1;
		}
		if (i)
			indent(out, depth);
		buf_addch(out, '}');
		return 0;
	default:
		return -1;
	}
}

void jsonw_add(struct buf *out, const json_t *v)
{
	size_t len0 = out->len;
	char *t;

	if ((json_is_array(v) || json_is_object(v)) && dump(v, 0, out) == 0)
		return;
	buf_setlen(out, len0);
	t = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	if (!t)
		xalloc_die("out of memory");
	buf_adds(out, t);
	free(t);
}
