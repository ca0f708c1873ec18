/* buf-test.c: struct buf and the util helpers. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

static void test_buf(void)
{
	struct buf b = BUF_INIT;
	char *s;
	size_t len;
	int i;

	is_str(b.s, "", "initial buffer is empty string");
	buf_adds(&b, "abc");
	buf_addch(&b, '-');
	buf_addf(&b, "%d/%s", 42, "x");
	is_str(b.s, "abc-42/x", "adds, addch, addf");
	is_int((long long)b.len, 8, "length tracks content");
	for (i = 0; i < 1000; i++)
		buf_adds(&b, "0123456789");
	is_int((long long)b.len, 10008, "grows past many doublings");
	buf_setlen(&b, 3);
	is_str(b.s, "abc", "setlen truncates");
	buf_adds(&b, " \t\n");
	buf_rtrim(&b);
	is_str(b.s, "abc", "rtrim");
	s = buf_detach(&b, &len);
	is_str(s, "abc", "detach returns the content");
	is_int((long long)len, 3, "detach returns the length");
	is_str(b.s, "", "buffer empty after detach");
	free(s);
	s = buf_detach(&b, NULL);
	is_str(s, "", "detach of an empty buffer gives an allocated empty string");
	free(s);
	buf_add(&b, "a\0b", 3);
	is_int((long long)b.len, 3, "binary data with NUL");
	buf_reset(&b);
	buf_add_shquoted(&b, "it's");
	is_str(b.s, "'it'\\''s'", "shell quoting");
	buf_release(&b);
	buf_release(&b);
	ok(b.s == buf_empty, "release twice is safe");
}

static void test_parse(void)
{
	static const struct {
		const char *in;
		int ret;
		uint64_t val;
	} u64[] = {
		{ "0", 0, 0 },
		{ "42", 0, 42 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -1, 0 },
		{ "", -1, 0 },
		{ "-1", -1, 0 },
		{ "+1", -1, 0 },
		{ "1x", -1, 0 },
		{ " 1", -1, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(u64); i++) {
		uint64_t v = 0;
		int r = parse_u64(u64[i].in, &v);

		ok(r == u64[i].ret && (r < 0 || v == u64[i].val), "parse_u64('%s')", u64[i].in);
	}
	{
		long v;

		ok(parse_int_range("-5", -10, 10, &v) == 0 && v == -5, "parse_int_range negative");
		ok(parse_int_range("11", -10, 10, &v) < 0, "parse_int_range above max");
	}
}

static void test_strings(void)
{
	ok(starts_with("foobar", "foo"), "starts_with");
	ok(!starts_with("fo", "foo"), "starts_with shorter");
	ok(ends_with("foo.tar.gz", ".tar.gz"), "ends_with");
	ok(!ends_with("gz", ".tar.gz"), "ends_with shorter");
	ok(ascii_strcasecmp("ABC", "abc") == 0, "ascii_strcasecmp equal");
	ok(ascii_strcasecmp("abc", "abd") < 0 && ascii_strcasecmp("abd", "ABC") > 0, "ascii_strcasecmp order both ways");
	ok(ascii_strncasecmp("abcX", "ABCy", 3) == 0, "ascii_strncasecmp prefix");
}

int main(void)
{
	plan_no_plan();
	test_buf();
	test_parse();
	test_strings();
	return done_testing();
}
