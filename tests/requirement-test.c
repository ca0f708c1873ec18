/* requirement-test.c: unit tests for gen/requirement.c (parsing, str(), URLs, applicability). */
#include <string.h>

#include "requirement.h"
#include "tap.h"

/* A parse and its fields; extras sorted and joined with ','; NULL url / marker: none. */
static const struct {
	const char *in, *name, *canonical, *extras, *spec, *url, *marker, *str;
} ok_cases[] = {
	{ "foo", "foo", "foo", "", "", NULL, NULL, "foo" },
	{ "  Foo.Bar_baz  ", "Foo.Bar_baz", "foo-bar-baz", "", "", NULL, NULL, "Foo.Bar_baz" },
	{ "foo>=1.0", "foo", "foo", "", ">=1.0", NULL, NULL, "foo>=1.0" },
	{ "foo >= 1.0 , < 2", "foo", "foo", "", "<2,>=1.0", NULL, NULL, "foo<2,>=1.0" },
	{ "foo (>=1.0,<2)", "foo", "foo", "", "<2,>=1.0", NULL, NULL, "foo<2,>=1.0" },
	{ "foo( >=1.0 )", "foo", "foo", "", ">=1.0", NULL, NULL, "foo>=1.0" },
	{ "foo==1.0.*", "foo", "foo", "", "==1.0.*", NULL, NULL, "foo==1.0.*" },
	{ "foo>=1,", "foo", "foo", "", ">=1", NULL, NULL, "foo>=1" },
	{ "foo===", "foo", "foo", "", "===", NULL, NULL, "foo===" },
	{ "foo=== ,>1", "foo", "foo", "", "===,>1", NULL, NULL, "foo===,>1" },
	{ "foo[bar]", "foo", "foo", "bar", "", NULL, NULL, "foo[bar]" },
	{ "foo[ b , A,b ] ~= 1.2", "foo", "foo", "A,b", "~=1.2", NULL, NULL, "foo[A,b]~=1.2" },
	{ "foo[]", "foo", "foo", "", "", NULL, NULL, "foo" },
	{ "foo; python_version < '3.8'", "foo", "foo", "", "", NULL, "python_version < \"3.8\"",
	  "foo; python_version < \"3.8\"" },
	{ "foo>=1;extra=='Foo_Bar'", "foo", "foo", "", ">=1", NULL, "extra == \"foo-bar\"",
	  "foo>=1; extra == \"foo-bar\"" },
	/* extra normalised in every comparison, nested too (pypa/packaging#1246; fuzz-marker finding) */
	{ "foo; os_name == 'a' and (extra == 'Foo_Bar' or 'X.Y' == extra)", "foo", "foo", "", "", NULL,
	  "os_name == \"a\" and (extra == \"foo-bar\" or \"x-y\" == extra)",
	  "foo; os_name == \"a\" and (extra == \"foo-bar\" or \"x-y\" == extra)" },
	{ "foo @ https://example.com/foo.whl", "foo", "foo", "", "", "https://example.com/foo.whl", NULL,
	  "foo@ https://example.com/foo.whl" },
	{ "foo[x]@https://h/p ; os_name == 'nt'", "foo", "foo", "x", "", "https://h/p", "os_name == \"nt\"",
	  "foo[x]@ https://h/p ; os_name == \"nt\"" },
	{ "foo @ file:///tmp/foo", "foo", "foo", "", "", "file:///tmp/foo", NULL, "foo@ file:///tmp/foo" },
	{ "foo @ file://host/foo?a#b", "foo", "foo", "", "", "file://host/foo?a#b", NULL,
	  "foo@ file://host/foo?a#b" },
	{ "foo @ file://", "foo", "foo", "", "", "file://", NULL, "foo@ file://" },
	{ "foo @ http://[::1]:8080/x", "foo", "foo", "", "", "http://[::1]:8080/x", NULL,
	  "foo@ http://[::1]:8080/x" },
	{ "foo @ http://[::ffff:1.2.3.4]/x", "foo", "foo", "", "", "http://[::ffff:1.2.3.4]/x", NULL,
	  "foo@ http://[::ffff:1.2.3.4]/x" },
	{ "foo @ git+ssh://git@host/r.git@v1", "foo", "foo", "", "", "git+ssh://git@host/r.git@v1", NULL,
	  "foo@ git+ssh://git@host/r.git@v1" },
	{ "foo @ https://h/x;os_name=='a'", "foo", "foo", "", "", "https://h/x;os_name=='a'", NULL,
	  "foo@ https://h/x;os_name=='a'" },
	{ "foo\n", "foo", "foo", "", "", NULL, NULL, "foo" },
	{ "foo ; ((os_name == 'a' or os_name == 'b')) and os_name == 'c'", "foo", "foo", "", "", NULL,
	  "(os_name == \"a\" or os_name == \"b\") and os_name == \"c\"",
	  "foo; (os_name == \"a\" or os_name == \"b\") and os_name == \"c\"" },
	{ "foo>=1.0 ; os_name=='a' ", "foo", "foo", "", ">=1.0", NULL, "os_name == \"a\"",
	  "foo>=1.0; os_name == \"a\"" },
};

static const struct {
	const char *in, *error;
} bad_cases[] = {
	{ "", "invalid requirement '': expected package name at the start of dependency specifier at column 1" },
	{ "-foo", "expected package name at the start of dependency specifier at column 1" },
	{ "foo-", "expected end or semicolon (after name and no valid version specifier) at column 4" },
	{ "foo>=", "invalid requirement 'foo>=': expected end or semicolon (after name and no valid version specifier) at column 4" },
	{ "foo >=1 x", "expected end or semicolon (after version specifier) at column 9 (from column 5)" },
	{ "foo[bar", "expected closing RIGHT_BRACKET at column 8 (from column 4)" },
	{ "foo[a b]", "expected comma between extra names at column 7" },
	{ "foo[a,]", "expected extra name after comma at column 7" },
	{ "foo(>=1", "expected closing RIGHT_PARENTHESIS at column 8 (from column 4)" },
	{ "foo~=1", "expected end or semicolon" },
	{ "foo>=1.0+abc", "expected end or semicolon (after version specifier)" },
	{ "foo>=1,,<2", "expected end or semicolon" },
	{ "foo @ ", "expected URL after @ at column 7" },
	{ "foo @ https://h/x x", "expected end or semicolon (after URL and whitespace) at column 19 (from column 7)" },
	{ "foo; os_name == 'a' garbage", "expected end of dependency specifier at column 21" },
	{ "foo; ", "expected a marker variable or quoted string at column 6" },
	{ "foo\tbar", "expected end or semicolon" },
	{ "foo @ /abs/path", "invalid URL '/abs/path': no scheme" },
	{ "foo @ http:///x", "invalid URL 'http:///x': no host" },
	{ "foo @ file:/tmp/x", "invalid URL 'file:/tmp/x'" },
	{ "foo @ FILE:///tmp/x", "invalid URL" },
	{ "foo @ file:///x?", "invalid URL" },
	{ "foo @ file:////x", "invalid URL" },
	{ "foo @ http://[::1/x", "invalid IPv6 URL" },
	{ "foo @ http://[1.2.3.4]/x", "invalid IPv6 URL" },
	{ "foo @ http://[1::2::3]/x", "invalid IPv6 URL" },
	{ "foo===a,b", "invalid requirement 'foo===a,b': " },
	{ "foo; os_name == 'a\\'", "invalid string literal" },
	{ "foo\x01", "expected end or semicolon" },
	{ "foo\xc2\xa0>1.0", "expected end or semicolon (after name and no valid version specifier) at column 4" },
	{ "foo-\xc3\xa9", "expected end or semicolon (after name and no valid version specifier) at column 5" },
};

static const char *show(struct buf *b, const char *s)
{
	buf_reset(b);
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20)
			buf_addf(b, "\\x%02x", (unsigned char)*s);
		else
			buf_addch(b, *s);
	}
	return b->s;
}

static void test_ok(void)
{
	struct buf name = BUF_INIT;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(ok_cases); i++) {
		struct requirement r;
		struct buf err = BUF_INIT, b = BUF_INIT;
		const char *in = show(&name, ok_cases[i].in);

		if (requirement_parse(ok_cases[i].in, &r, &err)) {
			ok(0, "parse %s: %s", in, err.s);
			buf_release(&err);
			continue;
		}
		is_str(r.text, ok_cases[i].in, "%s: text kept", in);
		is_str(r.name, ok_cases[i].name, "%s: name", in);
		is_str(r.canonical_name, ok_cases[i].canonical, "%s: canonical name", in);
		for (j = 0; j < r.nextras; j++) {
			if (j)
				buf_addch(&b, ',');
			buf_adds(&b, r.extras[j]);
		}
		/* extras are kept in order of appearance; the table lists them sorted */
		if (r.nextras == 2 && strcmp(r.extras[0], r.extras[1]) > 0) {
			buf_reset(&b);
			buf_addf(&b, "%s,%s", r.extras[1], r.extras[0]);
		}
		is_str(b.s, ok_cases[i].extras, "%s: extras", in);
		buf_reset(&b);
		specset_format(&r.spec, &b);
		is_str(b.s, ok_cases[i].spec, "%s: specifier", in);
		is_str(r.url, ok_cases[i].url, "%s: url", in);
		buf_reset(&b);
		if (r.marker)
			marker_format(r.marker, &b);
		is_str(r.marker ? b.s : NULL, ok_cases[i].marker, "%s: marker", in);
		buf_reset(&b);
		requirement_format(&r, &b);
		is_str(b.s, ok_cases[i].str, "%s: str()", in);
		requirement_release(&r);
		ok(r.name == NULL && r.nextras == 0 && r.marker == NULL, "%s: released", in);
		buf_release(&b);
		buf_release(&err);
	}
	buf_release(&name);
}

static void test_bad(void)
{
	struct buf name = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		struct requirement r;
		struct buf err = BUF_INIT;
		int rc = requirement_parse(bad_cases[i].in, &r, &err);

		ok(rc == -1 && strstr(err.s, bad_cases[i].error) && !strchr(err.s, '\n'),
		   "%s is refused: %s", show(&name, bad_cases[i].in), err.s);
		ok(r.name == NULL && r.text == NULL, "%s: nothing left after failure", show(&name, bad_cases[i].in));
		requirement_release(&r);
		buf_release(&err);
	}
	buf_release(&name);
}

static void test_extras_and_applies(void)
{
	static const struct {
		const char *req;
		const char *extras[2];
		size_t n;
		int want;
	} cases[] = {
		{ "foo", { NULL }, 0, 1 },
		{ "foo; extra == 'test'", { NULL }, 0, 0 },
		{ "foo; extra == 'test'", { "test" }, 1, 1 },
		{ "foo; extra == 'test'", { "doc", "Test" }, 2, 1 },
		{ "foo; extra == 'Foo_Bar'", { "foo.bar" }, 1, 1 },
		{ "foo; extra != 'test'", { "test" }, 1, 1 },   /* true for extra "" */
		{ "foo; extra == 'test' and os_name == 'nt'", { "test" }, 1, 0 },
		{ "foo; extra == 'test' or os_name == 'posix'", { NULL }, 0, 1 },
		{ "foo; platform_release >= '5'", { NULL }, 0, -1 },
	};
	struct marker_env env;
	struct requirement r;
	size_t i;

	marker_env_init(&env);
	marker_env_fill_example(&env);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf err = BUF_INIT;

		if (requirement_parse(cases[i].req, &r, &err)) {
			ok(0, "parse %s: %s", cases[i].req, err.s);
			continue;
		}
		is_int(requirement_applies(&r, &env, cases[i].extras, cases[i].n, &err), cases[i].want,
		       "%s applies with %zu extras %s", cases[i].req, cases[i].n, err.s);
		requirement_release(&r);
		buf_release(&err);
	}
	marker_env_release(&env);

	if (requirement_parse("foo[Foo_Bar, doc]", &r, NULL) == 0) {
		ok(requirement_has_extra(&r, "foo-bar"), "has_extra normalises (foo-bar)");
		ok(requirement_has_extra(&r, "FOO.BAR"), "has_extra normalises (FOO.BAR)");
		ok(requirement_has_extra(&r, "Doc"), "has_extra normalises (Doc)");
		ok(!requirement_has_extra(&r, "test"), "has_extra: absent");
		is_str(r.extras[0], "Foo_Bar", "extras kept as written, in order");
		is_str(r.extras[1], "doc", "second extra");
		requirement_release(&r);
	} else {
		ok(0, "parse foo[Foo_Bar, doc]");
	}
}

/* Found by stress-testing the fuzz targets with large inputs: exact duplicate extras were looked for
 * with a linear search per extra, so "foo[e0,...,e24999]" took a minute. */
static void test_many_extras(void)
{
	struct requirement r;
	struct buf text = BUF_INIT, err = BUF_INIT;
	size_t i, n = 20000;

	is_int(requirement_parse("foo[b,a,b,c,a]", &r, &err), 0, "duplicate extras parse %s", err.s);
	if (r.nextras == 3) {
		is_str(r.extras[0], "b", "first extra");
		is_str(r.extras[1], "a", "second extra");
		is_str(r.extras[2], "c", "third extra");
	} else {
		ok(0, "duplicate extras dropped (%zu left)", r.nextras);
	}
	requirement_release(&r);

	buf_adds(&text, "foo[");
	for (i = 0; i < n; i++)
		buf_addf(&text, "e%zu,", (i * 7919) % n);
	buf_adds(&text, "e0,e19999]");
	is_int(requirement_parse(text.s, &r, &err), 0, "%zu distinct extras parse %s", n, err.s);
	is_int((long long)r.nextras, (long long)n, "and are all kept");
	if (r.nextras == n)
		is_str(r.extras[1], "e7919", "in order");
	requirement_release(&r);
	buf_release(&text);
	buf_release(&err);
}

int main(void)
{
	plan_no_plan();
	test_ok();
	test_bad();
	test_extras_and_applies();
	test_many_extras();
	return done_testing();
}
