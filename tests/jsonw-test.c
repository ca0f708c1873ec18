/* jsonw-test.c: jsonw_add() writes exactly what json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER)
 * writes: hand-picked documents (escapes, empty containers, nesting, integers, UTF-8, a real
 * number), then random trees from a fixed seed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "tap.h"

/* Compare jsonw_add(v) with jansson's own text; also that text already in out is kept. */
static int same_as_jansson(json_t *v, const char *what)
{
	char *want = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	struct buf got = BUF_INIT;
	int r;

	buf_adds(&got, "prefix");
	jsonw_add(&got, v);
	r = ok(want && strncmp(got.s, "prefix", 6) == 0 && strcmp(got.s + 6, want) == 0, "%s", what);
	if (!r)
		diag("want:\n%s\ngot:\n%s", want ? want : "(null)", got.s + 6);
	free(want);
	buf_release(&got);
	return r;
}

static uint64_t rng = 20261126;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

/* A random string: ASCII, control bytes, quotes, backslashes, 2- to 4-byte UTF-8. */
static json_t *rnd_string(void)
{
	static const char *const pieces[] = { "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f",
					      "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac",
					      "\xf0\x9f\x98\x80", "==", "-", "name" };
	struct buf b = BUF_INIT;
	unsigned n = rnd(8), i;
	json_t *s;

	for (i = 0; i < n; i++)
		buf_adds(&b, pieces[rnd(sizeof(pieces) / sizeof(*pieces))]);
	if (rnd(10) == 0)
		buf_add(&b, "x\0y", 3); /* an embedded NUL */
	s = json_stringn(b.s ? b.s : "", b.len);
	buf_release(&b);
	return s;
}

static json_t *rnd_value(int depth)
{
	unsigned k = rnd(depth > 4 ? 5 : 7), i, n;
	json_t *v;

	switch (k) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(rnd(2));
	case 2:
		return json_integer((json_int_t)rnd(2000000) - 1000000);
	case 3:
	case 4:
		return rnd_string();
	case 5:
		v = json_array();
		n = rnd(4);
		for (i = 0; i < n; i++)
			json_array_append_new(v, rnd_value(depth + 1));
		return v;
	default:
		v = json_object();
		n = rnd(4);
		for (i = 0; i < n; i++) {
			json_t *key = rnd_string();

			json_object_setn_new(v, json_string_value(key), json_string_length(key), rnd_value(depth + 1));
			json_decref(key);
		}
		return v;
	}
}

int main(void)
{
	static const char *const docs[] = {
		"{}",
		"[]",
		"{\"a\": []}",
		"{\"a\": {}, \"b\": [{}], \"c\": [[]]}",
		"[1, -2, 0, 9223372036854775807, -9223372036854775808]",
		"[true, false, null]",
		"{\"wbgen_pkg\": 1, \"name\": \"foo-bar\", \"install_requires\": null, \"patches\": []}",
		"{\"s\": \"quote \\\" backslash \\\\ slash / tab \\t nl \\n cr \\r bs \\b ff \\f\"}",
		"{\"ctl\": \"\\u0001\\u001f\\u007f\", \"nul\": \"a\\u0000b\"}",
		"{\"utf8\": \"\\u00e9\\u20ac\\ud83d\\ude00\", \"k\\u00e9y\": \"v\"}",
		"{\"z\": 1, \"a\": 2, \"m\": 3}",
		"[[[[[[\"deep\"]]]]], {\"x\": {\"y\": {\"z\": [1, {\"w\": null}]}}}]",
		"{\"url\": \"https://example.org/p/foo-1.0.tar.gz#sha256=00ff\"}",
	};
	size_t i;
	int k, bad = 0;

	plan_no_plan();
	for (i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
		json_error_t je;
		json_t *v = json_loads(docs[i], JSON_ALLOW_NUL, &je);

		if (!v) {
			ok(0, "parse %s: %s", docs[i], je.text);
			continue;
		}
		same_as_jansson(v, docs[i]);
		json_decref(v);
	}
	{
		/* a real number: left to jansson (its own formatting) */
		json_t *v = json_pack("{s:f, s:[i, f]}", "r", 0.1, "a", 1, 2.5);

		same_as_jansson(v, "a real number: jansson's text");
		json_decref(v);
	}
	for (k = 0; k < 2000; k++) {
		json_t *v = json_object();
		unsigned n = rnd(5), j;

		for (j = 0; j < n; j++) {
			json_t *key = rnd_string();

			json_object_setn_new(v, json_string_value(key), json_string_length(key), rnd_value(1));
			json_decref(key);
		}
		if (rnd(2)) {
			json_t *a = json_array();

			json_array_append_new(a, v);
			json_array_append_new(a, rnd_value(1));
			v = a;
		}
		{
			char *want = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			struct buf got = BUF_INIT;

			jsonw_add(&got, v);
			if (!want || strcmp(got.s, want) != 0) {
				if (!bad)
					diag("random tree %d differs:\nwant:\n%s\ngot:\n%s", k, want ? want : "(null)", got.s);
				bad++;
			}
			free(want);
			buf_release(&got);
		}
		json_decref(v);
	}
	is_int(bad, 0, "2000 random trees: the same text as jansson's");
	return done_testing();
}
