/* pep508-test.c: the lexical layer of PEP 508: word boundaries, words, whitespace, the end, identifiers,
 * string literals with Python's escapes, and the wording of syntax errors and quoted values. */
#include <string.h>

#include "pep508.h"
#include "tap.h"

/* s for a test's description: quoted, control characters escaped (TAP is line-based) */
static const char *q(const char *s)
{
	static struct buf b[2] = { BUF_INIT, BUF_INIT };
	static unsigned k;
	struct buf *o = &b[k++ & 1];

	buf_reset(o);
	pep508_quote(o, s);
	return o->s;
}

static void test_boundary(void)
{
	static const struct {
		const char *src;
		size_t pos;
		int want;
	} t[] = {
		{ "foo", 0, 1 }, { "foo", 3, 1 }, { "foo", 1, 0 }, { "", 0, 0 }, { " ", 0, 0 }, { "  ", 1, 0 },
		{ "a b", 1, 1 }, { "a b", 2, 1 }, { "_a", 1, 0 }, { "a-b", 1, 1 }, { "a-b", 2, 1 }, { "1", 0, 1 },
		{ "'a'", 0, 0 }, { "'a'", 1, 1 },
		/* non-ASCII: letters are word characters, spaces and symbols are not */
		{ "\xc3\xa9", 0, 1 },              /* é */
		{ "\xc3\xa9" "a", 2, 0 },          /* between é and a */
		{ "a\xc3\xa9", 1, 0 },
		{ "a\xc2\xa0" "b", 1, 1 },         /* no-break space */
		{ "a\xc2\xa0" "b", 3, 1 },
		{ "\xe2\x80\x83x", 3, 1 },         /* em space */
		{ "a\xe2\x82\xac", 1, 1 },         /* euro sign */
		{ "\xe2\x82\xac\xe2\x82\xac", 3, 0 },
		{ "\xf0\x9f\x98\x80" "a", 4, 1 },  /* an emoji */
		{ "\xce\xb1\xce\xb2", 2, 0 },      /* alpha beta */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		is_int(pep508_at_boundary(t[i].src, t[i].pos), t[i].want, "\\b in %s at %zu", q(t[i].src), t[i].pos);
}

static void test_words(void)
{
	static const struct {
		const char *src;
		size_t pos;
		const char *word;
		int want;
	} t[] = {
		{ "and x", 0, "and", 1 }, { "andx", 0, "and", 0 }, { "x and", 2, "and", 1 }, { "xand", 1, "and", 0 },
		{ "and_", 0, "and", 0 }, { "an", 0, "and", 0 }, { "in'a'", 0, "in", 1 }, { "notin", 0, "not", 0 },
		{ "not in", 0, "not", 1 }, { "and\xc3\xa9", 0, "and", 0 }, { "and\xc2\xa0", 0, "and", 1 },
		{ "or(", 0, "or", 1 }, { "AND", 0, "and", 0 }, { "", 0, "and", 0 },
	};
	static const struct {
		const char *src;
		size_t pos, want;
	} ws[] = {
		{ " \t x", 0, 3 }, { "x", 0, 0 }, { "\n", 0, 0 }, { "\xc2\xa0", 0, 0 }, { "a  ", 1, 3 }, { "\v", 0, 0 },
	};
	static const struct {
		const char *src;
		size_t pos;
		int want;
	} end[] = {
		{ "", 0, 1 }, { "x", 1, 1 }, { "x\n", 1, 1 }, { "x\n\n", 1, 0 }, { "x\ny", 1, 0 }, { " ", 0, 0 },
		{ "x\r\n", 1, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		is_int(pep508_word_token(t[i].src, t[i].pos, t[i].word), t[i].want, "word '%s' in %s at %zu",
		       t[i].word, q(t[i].src), t[i].pos);
	for (i = 0; i < ARRAY_SIZE(ws); i++)
		is_int((long long)pep508_skip_ws(ws[i].src, ws[i].pos), (long long)ws[i].want,
		       "whitespace skipped in %s from %zu", q(ws[i].src), ws[i].pos);
	for (i = 0; i < ARRAY_SIZE(end); i++)
		is_int(pep508_at_end(end[i].src, end[i].pos), end[i].want, "end of %s at %zu", q(end[i].src),
		       end[i].pos);
}

/* packaging's IDENTIFIER: \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b, backtracking to the last \b */
static void test_identifier(void)
{
	static const struct {
		const char *src;
		size_t pos;
		long want; /* its end, -1 none */
	} t[] = {
		{ "foo", 0, 3 }, { "foo-bar.baz_1", 0, 13 }, { "foo-", 0, 3 }, { "foo--", 0, 3 }, { "foo.", 0, 3 },
		{ "-foo", 0, -1 }, { "_foo", 0, -1 }, { "foo_", 0, 4 }, { "a", 0, 1 }, { "9", 0, 1 }, { "a.", 0, 1 },
		{ "x foo", 2, 5 }, { "xfoo", 1, -1 }, { "foo bar", 0, 3 }, { "foo[bar]", 0, 3 }, { "foo>=1", 0, 3 },
		{ "foo\xc3\xa9", 0, -1 },          /* fooé: no \b after any prefix */
		{ "foo-\xc3\xa9", 0, 4 },          /* foo-é: the \b before é ends it after the dash */
		{ "\xc3\xa9", 0, -1 }, { "", 0, -1 }, { " foo", 0, -1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		size_t e = 12345;
		int r = pep508_identifier(t[i].src, t[i].pos, &e);

		is_int(r ? (long long)e : -1, t[i].want, "identifier in %s at %zu", q(t[i].src), t[i].pos);
	}
}

static void test_string(void)
{
	static const struct {
		const char *src;
		size_t pos;
		int rc;
		const char *value; /* rc 1: the value; rc -1: the error */
		size_t len, end;   /* the value's length in bytes, and the end */
	} t[] = {
		{ "'abc'", 0, 1, "abc", 3, 5 },
		{ "\"a'b\"", 0, 1, "a'b", 3, 5 },
		{ "''", 0, 1, "", 0, 2 },
		{ "x == 'a' and", 5, 1, "a", 1, 8 },
		{ "'\\x41\\x42'", 0, 1, "AB", 2, 10 },
		{ "'\\u00e9'", 0, 1, "\xc3\xa9", 2, 8 },
		{ "'\\U0001F600'", 0, 1, "\xf0\x9f\x98\x80", 4, 12 },
		{ "'\\101\\7\\777'", 0, 1, "A\a\xc7\xbf", 4, 12 },
		{ "'\\0'", 0, 1, "\0", 1, 4 },
		{ "'\\n\\t\\r\\a\\b\\f\\v'", 0, 1, "\n\t\r\a\b\f\v", 7, 16 },
		{ "'\\\\\\\"'", 0, 1, "\\\"", 2, 6 },
		{ "'\\q\\8'", 0, 1, "\\q\\8", 4, 6 },
		{ "'a\\\nb'", 0, 1, "ab", 2, 6 },
		{ "'a\\\r\nb'", 0, 1, "ab", 2, 7 },
		{ "'\\ud800'", 0, 1, "\xed\xa0\x80", 3, 8 },
		{ "'a\\'b'", 0, -1, "invalid string literal 'a\\': unterminated string literal", 0, 0 },
		{ "'\\x4'", 0, -1, "invalid string literal '\\x4': truncated escape sequence", 0, 0 },
		{ "'\\u12'", 0, -1, "invalid string literal '\\u12': truncated escape sequence", 0, 0 },
		{ "'\\U00110000'", 0, -1, "invalid string literal '\\U00110000': illegal unicode character", 0, 0 },
		{ "'\\N{DASH}'", 0, -1,
		  "invalid string literal '\\N{DASH}': named unicode escapes (\\N{...}) are not supported", 0, 0 },
		{ "'a\nb'", 0, -1, "invalid string literal 'a\\x0ab': unterminated string literal", 0, 0 },
		{ "'a\rb'", 0, -1, "invalid string literal 'a\\x0db': unterminated string literal", 0, 0 },
		{ "'x", 0, 0, NULL, 0, 0 },
		{ "x", 0, 0, NULL, 0, 0 },
		{ "", 0, 0, NULL, 0, 0 },
		{ "'a\"", 0, 0, NULL, 0, 0 },
	};
	struct buf out = BUF_INIT, err = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		size_t e = 12345;
		int r;

		buf_reset(&out);
		buf_reset(&err);
		r = pep508_string(t[i].src, t[i].pos, &e, &out, &err);
		is_int(r, t[i].rc, "string literal in %s at %zu", q(t[i].src), t[i].pos);
		if (r == 1) {
			ok(out.len == t[i].len && memcmp(out.s, t[i].value, t[i].len) == 0, "... its value (%zu bytes)",
			   t[i].len);
			is_int((long long)e, (long long)t[i].end, "... its end");
			is_int((long long)err.len, 0, "... no error");
		} else if (r < 0) {
			is_str(err.s, t[i].value, "... the error");
			is_int((long long)e, 12345, "... end untouched");
		} else {
			is_int((long long)(out.len + err.len), 0, "... nothing written");
		}
	}
	buf_reset(&out);
	is_int(pep508_string("'\\x'", 0, &(size_t){ 0 }, &out, NULL), -1, "a bad literal without an error buffer");
	buf_release(&out);
	buf_release(&err);
}

static void test_messages(void)
{
	struct buf b = BUF_INIT;

	pep508_syntax_error(NULL, "abc", 0, 1, "expected %s", "nothing");
	pep508_syntax_error(&b, "abc", 1, 1, "expected %s", "x");
	is_str(b.s, "expected x at column 2", "an error at one position");
	buf_reset(&b);
	pep508_syntax_error(&b, "abc", 0, 2, "bad");
	is_str(b.s, "bad at column 3 (from column 1)", "an error over a span");
	buf_reset(&b);
	buf_adds(&b, "invalid marker: ");
	pep508_syntax_error(&b, "\xc3\xa9\xc3\xa9 x", 4, 5, "expected end");
	is_str(b.s, "invalid marker: expected end at column 4 (from column 3)",
	       "columns count characters, and the message is appended");
	buf_reset(&b);
	pep508_syntax_error(&b, "ab", 2, 2, "at the end");
	is_str(b.s, "at the end at column 3", "an error at the end");
	buf_reset(&b);
	pep508_quote(&b, "abc");
	is_str(b.s, "'abc'", "quote");
	buf_reset(&b);
	pep508_quote(&b, "a\nb\x7f\x1f\xc3\xa9'");
	is_str(b.s, "'a\\x0ab\\x7f\\x1f\xc3\xa9''", "quote escapes control characters only");
	buf_reset(&b);
	pep508_quote_mem(&b, "a\0b", 3);
	is_str(b.s, "'a\\x00b'", "quote_mem escapes NUL bytes");
	buf_reset(&b);
	pep508_quote_mem(&b, "abc", 0);
	is_str(b.s, "''", "quote_mem of nothing");
	buf_release(&b);
}

int main(void)
{
	plan_no_plan();
	test_boundary();
	test_words();
	test_identifier();
	test_string();
	test_messages();
	return done_testing();
}
