/* marker-test.c: unit tests for gen/marker.c (parsing, str(), evaluation, environments). */
#include <string.h>

#include "marker.h"
#include "tap.h"

/* str(Marker(in)), or the error message when out is NULL. */
static const struct {
	const char *in, *out, *error;
} parse_cases[] = {
	{ "os_name == 'posix'", "os_name == \"posix\"", NULL },
	{ "  os_name=='posix'  ", "os_name == \"posix\"", NULL },
	{ "'posix' == os_name", "\"posix\" == os_name", NULL },
	{ "os.name == 'a' and sys.platform == 'b'", "os_name == \"a\" and sys_platform == \"b\"", NULL },
	{ "platform.python_implementation == 'x' or python_implementation == 'y'",
	  "platform_python_implementation == \"x\" or platform_python_implementation == \"y\"", NULL },
	{ "platform.version in 'x'", "platform_version in \"x\"", NULL },
	{ "python_version >= '3' and (os_name == 'a' or os_name == 'b')",
	  "python_version >= \"3\" and (os_name == \"a\" or os_name == \"b\")", NULL },
	{ "(os_name == 'a')", "os_name == \"a\"", NULL },
	{ "(os_name == 'a') and os_name == 'b'", "os_name == \"a\" and os_name == \"b\"", NULL },
	/* packaging before pypa/packaging#1316 dropped the parentheses of a doubly parenthesised
	 * group, changing its meaning; wbgen keeps them (found by fuzz-marker in CI) */
	{ "((os_name == 'a' or os_name == 'b')) and os_name == 'c'",
	  "(os_name == \"a\" or os_name == \"b\") and os_name == \"c\"", NULL },
	{ "((os_name >= 'a' or os_name == 'b')) and os_name == 'a' or os_name == 'c'",
	  "(os_name >= \"a\" or os_name == \"b\") and os_name == \"a\" or os_name == \"c\"", NULL },
	{ "os_name == 'x' and (((os_name >= 'a' or os_name == 'b')))",
	  "os_name == \"x\" and (os_name >= \"a\" or os_name == \"b\")", NULL },
	{ "((os_name == 'a' or os_name == 'b'))", "os_name == \"a\" or os_name == \"b\"", NULL },
	{ "os_name not  in 'abc'", "os_name not in \"abc\"", NULL },
	{ "'a'in extra", "\"a\" in extra", NULL },
	{ "os_name=='a'and os_name=='b'", "os_name == \"a\" and os_name == \"b\"", NULL },
	{ "extra == 'Foo_Bar.baz'", "extra == \"foo-bar-baz\"", NULL },
	{ "'Foo_Bar' == extra", "\"foo-bar\" == extra", NULL },
	/* every comparison of extra with a value is normalised, at any depth (pypa/packaging#1246;
	 * packaging 23.0 normalised the first top-level one only) */
	{ "os_name == 'a' and extra == 'Foo_Bar'", "os_name == \"a\" and extra == \"foo-bar\"", NULL },
	{ "(extra == 'Fo._Ba')", "extra == \"fo-ba\"", NULL },
	{ "os_name == 'a' or (os_name == 'b' and 'X_Y' == extra)", "os_name == \"a\" or (os_name == \"b\" and \"x-y\" == extra)", NULL },
	{ "extra == os_name", "extra == os_name", NULL },
	{ "os_name == \"it's\"", "os_name == \"it's\"", NULL },
	{ "os_name == 'say \"hi\"'", "os_name == \"say \"hi\"\"", NULL },
	{ "os_name == '\\x41\\u00e9\\101\\n\\d'", "os_name == \"A\xc3\xa9" "A\n\\d\"", NULL },
	{ "os_name ===  'a'", "os_name === \"a\"", NULL },
	{ "os_name == 'a'\n", "os_name == \"a\"", NULL },
	{ "", NULL, "invalid marker '': expected a marker variable or quoted string at column 1" },
	{ "os_name", NULL, "expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in at column 8" },
	{ "os_name = 'a'", NULL, "expected marker operator" },
	{ "os_name notin 'a'", NULL, "expected marker operator" },
	{ "os_name not'a'", NULL, "expected whitespace after 'not' at column 12" },
	{ "os_name not 'a'", NULL, "expected 'in' after 'not' at column 13" },
	{ "(os_name == 'a'", NULL, "expected closing RIGHT_PARENTHESIS at column 16 (from column 1)" },
	{ "os_name == 'a' garbage", NULL, "expected end of marker expression at column 16" },
	{ "os_name == 'a' andos_name == 'b'", NULL, "expected end of marker expression" },
	{ "os_name == 'a", NULL, "expected a marker variable or quoted string at column 12" },
	{ "platform.release == 'a'", NULL, "expected a marker variable or quoted string at column 1" },
	{ "os_name == 'a\\'", NULL, "invalid string literal" },
	{ "os_name == '\\x4'", NULL, "truncated escape sequence" },
	{ "os_name == '\\N{DASH}'", NULL, "not supported" },
	{ "os_name == 'a\rb'", NULL, "invalid string literal 'a\\x0db': unterminated string literal" },
	{ "os_name == 'a\nb'", NULL, "invalid string literal 'a\\x0ab': unterminated string literal" },
	{ "python_version > \"3\" é", NULL, "expected end of marker expression at column 22" },
};

/* marker_eval against the example environment (CPython 3.11.2, linux, x86_64). */
static const struct {
	const char *marker, *extra;
	int want;
} eval_cases[] = {
	{ "python_version >= '3.8'", NULL, 1 },
	{ "'3.8' <= python_version", NULL, 1 },
	{ "python_version < '3.8'", NULL, 0 },
	{ "'3.8' > python_version", NULL, 0 },
	{ "python_version > '3.9'", NULL, 1 },      /* versions, not strings: 3.11 > 3.9 */
	{ "python_version > '3.9' and os_name == 'posix'", NULL, 1 },
	{ "python_full_version == '3.11.*'", NULL, 1 },
	{ "python_full_version != '3.11.*'", NULL, 0 },
	{ "python_full_version ~= '3.10'", NULL, 1 },
	{ "python_full_version === '3.11.2'", NULL, 1 },
	{ "python_version === '3.11.0'", NULL, 0 },
	{ "python_version == '3.11.0'", NULL, 1 },
	{ "python_full_version < '3.11.3a1'", NULL, 1 }, /* prereleases allowed */
	{ "sys_platform == 'linux' and platform_machine == 'x86_64'", NULL, 1 },
	{ "sys_platform == 'win32' or platform_machine == 'x86_64'", NULL, 1 },
	{ "sys_platform == 'win32' or platform_machine == 'arm64' and os_name == 'posix'", NULL, 0 },
	{ "(sys_platform == 'win32' or platform_machine == 'x86_64') and os_name == 'posix'", NULL, 1 },
	{ "sys_platform != 'linux'", NULL, 0 },
	{ "'linux' != sys_platform", NULL, 0 },
	{ "'lin' in sys_platform", NULL, 1 },
	{ "sys_platform in 'linux2'", NULL, 1 },
	{ "sys_platform not in 'win32 cygwin'", NULL, 1 },
	{ "'' in sys_platform", NULL, 1 },
	{ "platform_system < 'Windows'", NULL, 1 },  /* Python string order */
	{ "'Windows' > platform_system", NULL, 1 },
	{ "platform_system > 'linux'", NULL, 0 },    /* 'L' < 'l' */
	{ "implementation_name == 'cpython' and platform_python_implementation == 'CPython'", NULL, 1 },
	{ "extra == 'test'", NULL, 0 },
	{ "extra == 'test'", "test", 1 },
	{ "'test' == extra", "test", 1 },
	{ "extra == 'Foo_Bar'", "foo-bar", 1 },
	{ "extra == 'foo.bar'", "FOO__BAR", 1 },
	{ "extra == ''", NULL, 1 },
	{ "os_name == 'a' or extra == 'Foo.Bar'", "foo_bar", 1 },
	/* errors: a version comparison on a non-version, ~= / === on non-specifiers, unknown variables */
	{ "platform_release >= '5.0'", NULL, -1 },
	{ "os_name == '1.0'", NULL, -1 },
	{ "os_name ~= 'posix'", NULL, -1 },
	{ "python_version ~= '3'", NULL, -1 },
	{ "os_name === 'posix'", NULL, -1 },
	{ "os_name === 'a b'", NULL, -1 },
	{ "'a' == 'b'", NULL, -1 },
	/* an error anywhere counts, even where the result is already known */
	{ "os_name == 'posix' or platform_release >= '5'", NULL, -1 },
	/* both sides variables: the right one is compared by its name */
	{ "os_name == os_name", NULL, 0 },
	{ "os_name < python_version", NULL, 1 },
	/* two strings: the right one names the variable */
	{ "'posix' == 'os_name'", NULL, 1 },
	{ "'3.8' < 'python_version'", NULL, 1 },
	{ "python_version == '3.11' and '3.8' > 'python_version'", NULL, 0 },
	{ "python_version >= ' 3.8 '", NULL, 1 },
	{ "os_name < 'posix\\x00'", NULL, 1 },     /* NUL characters are kept */
	{ "os_name == 'posix\\0'", NULL, 0 },
	{ "'\\0' in 'a\\0b' or os_name == 'posix'", NULL, -1 },
	{ "python_version === '3.11\\0'", NULL, 0 },
	{ "python_version == '3.11\\0'", NULL, 0 },
	{ "python_version < '=3.12'", NULL, 1 },     /* "<" + "=3.12" is the specifier "<=3.12" */
	{ "os_name == '=posix'", NULL, -1 },       /* "===posix": os_name must then be a version */
	{ "os_name != '=posix'", NULL, 1 },        /* "!==posix" is not a specifier: strings */
	{ "python_version == '3.11,>1'", NULL, 0 }, /* not one specifier: strings */
};

/* s with control characters escaped, for test names (one static buffer per call site is enough). */
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

static void test_parse(void)
{
	struct buf name = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		struct marker *m = NULL;
		struct buf out = BUF_INIT, err = BUF_INIT;
		int r = marker_parse(parse_cases[i].in, &m, &err);

		if (parse_cases[i].out) {
			if (!r)
				marker_format(m, &out);
			is_str(r ? err.s : out.s, parse_cases[i].out, "str(Marker(%s))", show(&name, parse_cases[i].in));
		} else {
			ok(r == -1 && !m && strstr(err.s, parse_cases[i].error) && !strpbrk(err.s, "\n\r"),
			   "marker %s fails with one line: %s",
			   show(&name, parse_cases[i].in), show(&out, err.s));
		}
		marker_free(m);
		buf_release(&out);
		buf_release(&err);
	}
	buf_release(&name);
}

static void test_roundtrip(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		struct marker *m = NULL, *m2 = NULL;
		struct buf a = BUF_INIT, b = BUF_INIT;

		if (!parse_cases[i].out || strchr(parse_cases[i].out, '\n') || strchr(parse_cases[i].in, '\n') || strstr(parse_cases[i].in, "((") ||
		    strstr(parse_cases[i].in, "hi"))
			continue;
		if (marker_parse(parse_cases[i].in, &m, NULL) == 0) {
			marker_format(m, &a);
			ok(marker_parse(a.s, &m2, NULL) == 0, "str() of %s parses again", parse_cases[i].in);
			if (m2)
				marker_format(m2, &b);
			is_str(b.s, a.s, "str() of %s is stable", parse_cases[i].in);
		}
		marker_free(m);
		marker_free(m2);
		buf_release(&a);
		buf_release(&b);
	}
}

static void test_eval(void)
{
	struct marker_env env;
	size_t i;

	marker_env_init(&env);
	marker_env_fill_example(&env);
	for (i = 0; i < ARRAY_SIZE(eval_cases); i++) {
		struct marker *m = NULL;
		struct buf err = BUF_INIT;
		int r = marker_parse(eval_cases[i].marker, &m, &err);

		if (!r)
			r = marker_eval(m, &env, eval_cases[i].extra, &err);
		else
			r = -2;
		is_int(r, eval_cases[i].want, "eval %s (extra %s)%s%s", eval_cases[i].marker,
		       eval_cases[i].extra ? eval_cases[i].extra : "''", err.len ? ": " : "", err.s);
		if (r == -1)
			ok(err.len > 0 && !strchr(err.s, '\n'), "one-line error for %s", eval_cases[i].marker);
		marker_free(m);
		buf_release(&err);
	}
	marker_env_release(&env);
}

static void test_env(void)
{
	struct marker_env env;
	struct marker *m = NULL;
	int i;

	marker_env_init(&env);
	for (i = 0; i <= MV_EXTRA; i++)
		is_int(marker_var_lookup(marker_var_name(i), strlen(marker_var_name(i))), i, "variable %s",
		       marker_var_name(i));
	is_int(marker_var_lookup("os.name", 7), -1, "dotted names are not canonical");
	is_int(marker_env_set_name(&env, "sys_platform", "win32"), 0, "set sys_platform by name");
	is_int(marker_env_set_name(&env, "extra", "x"), -1, "extra is not an environment value");
	is_int(marker_env_set_name(&env, "nope", "x"), -1, "unknown variable");
	ok(marker_parse("sys_platform == 'win32'", &m, NULL) == 0, "parse");
	is_int(marker_eval(m, &env, NULL, NULL), 1, "value set by name is used");
	marker_free(m);
	ok(marker_parse("os_name == 'nt'", &m, NULL) == 0, "parse");
	is_int(marker_eval(m, &env, NULL, NULL), -1, "a variable that is not set is an error");
	marker_env_fill_example(&env);
	is_str(env.values[MV_SYS_PLATFORM], "win32", "fill_example keeps values already set");
	is_int(marker_eval(m, &env, NULL, NULL), 0, "filled");
	marker_env_set(&env, MV_OS_NAME, "nt");
	is_int(marker_eval(m, &env, NULL, NULL), 1, "marker_env_set replaces a value");
	marker_free(m);
	marker_env_release(&env);
	ok(env.values[MV_OS_NAME] == NULL, "released environment is empty");
}

static void test_depth(void)
{
	struct buf b = BUF_INIT, err = BUF_INIT;
	struct marker *m = NULL;
	int i;

	for (i = 0; i < 400; i++)
		buf_addch(&b, '(');
	buf_adds(&b, "os_name == 'a'");
	for (i = 0; i < 400; i++)
		buf_addch(&b, ')');
	ok(marker_parse(b.s, &m, NULL) == 0, "400 nested parentheses");
	marker_free(m);
	buf_reset(&b);
	for (i = 0; i < 401; i++)
		buf_addch(&b, '(');
	buf_adds(&b, "os_name == 'a'");
	for (i = 0; i < 401; i++)
		buf_addch(&b, ')');
	ok(marker_parse(b.s, &m, &err) == -1 && strstr(err.s, "nested too deeply"), "401 are refused");
	buf_release(&b);
	buf_release(&err);
}

int main(void)
{
	plan_no_plan();
	test_parse();
	test_depth();
	test_roundtrip();
	test_eval();
	test_env();
	return done_testing();
}
