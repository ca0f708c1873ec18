/* specifier-test.c: PEP 440 specifier sets (validity, str(), contains, filter, merge, scan). */
#include <stdlib.h>
#include <string.h>

#include "specifier.h"
#include "tap.h"

/* SpecifierSet(in): str() and prereleases (-1 None, 0, 1), or NULL when invalid */
static const struct {
	const char *in, *want;
	int pre;
} set_cases[] = {
	{ "", "", -1 },
	{ " , ,", "", -1 },
	{ ">=1.0, <2", "<2,>=1.0", 0 },
	{ " >= 1.0 ", ">=1.0", 0 },
	{ ">=1.0,,<2", "<2,>=1.0", 0 },
	{ ">=1.0-RC1", ">=1.0-RC1", 1 },
	{ "==1.0,==1.0.0", "==1.0", 0 },
	{ "==1.0.0,==1.0", "==1.0.0", 0 },
	{ "~=1.0,~=1.0.0", "~=1.0,~=1.0.0", 0 },
	{ "==1.0.*,==1.0.0.*", "==1.0.*,==1.0.0.*", 0 },
	{ "===1.0,===1.0.0", "===1.0", 0 },
	{ "=== foo", "===foo", 0 }, /* packaging raises InvalidVersion for .prereleases here */
	{ "===", "===", 0 },         /* (a packaging 23.0 bug): wbgen counts them as no */
	{ "==1.0+abc", "==1.0+abc", 0 },
	{ "!=1.0a1", "!=1.0a1", 0 },
	{ "<1.0a1", "<1.0a1", 0 },
	{ "<=1.0a1", "<=1.0a1", 1 },
	{ "~=1.0.dev1", "~=1.0.dev1", 1 },
	{ "==1.0.*", "==1.0.*", 0 },
	{ "==v1!1.0.*", "==v1!1.0.*", 0 },
	{ "~=1", NULL, 0 },
	{ "~=1.0.*", NULL, 0 },
	{ "==1.0a1.*", NULL, 0 },
	{ "==1.0+abc.*", NULL, 0 },
	{ ">=1.0+abc", NULL, 0 },
	{ "~=1.0+abc", NULL, 0 },
	{ "<=1.0.*", NULL, 0 },
	{ "1.0", NULL, 0 },
	{ ">=", NULL, 0 },
	{ "=>1.0", NULL, 0 },
	{ "== 1.0 1", NULL, 0 },
	{ "===1.0 1", NULL, 0 },
	{ ">=1.0;", NULL, 0 },
	{ ">=1.0,foo", NULL, 0 },
};

/* SpecifierSet(spec).contains(version, prereleases) */
static const struct {
	const char *spec, *version;
	int pre, want;
} contains_cases[] = {
	{ "", "1.0", -1, 1 },
	{ "", "1.0a1", -1, 0 },
	{ "", "1.0a1", 1, 1 },
	{ ">=1.0", "1.0", -1, 1 },
	{ ">=1.0", "0.9", -1, 0 },
	{ ">=1.0", "2.0a1", -1, 0 },
	{ ">=1.0", "2.0a1", 1, 1 },
	{ ">=1.0a1", "2.0a1", -1, 1 },
	{ ">=1.0a1", "2.0a1", 0, 0 },
	{ ">=1.0a1,!=1.5", "2.0a1", -1, 1 },
	{ "!=1.0a1", "2.0a1", -1, 0 },
	{ ">=1.0", "1.0+local", -1, 1 },
	{ "<=1.0", "1.0+local", -1, 1 },
	{ "==1.0", "1.0+local", -1, 1 },
	{ "==1.0+local", "1.0", -1, 0 },
	{ "==1.0+local", "1.0+LOCAL", -1, 1 },
	{ "==1.0+local", "1.0.0+local", -1, 1 },
	{ "==1.0", "1.0.0", -1, 1 },
	{ "!=1.0", "1.0.0+x", -1, 0 },
	{ "==1.*", "1.5", -1, 1 },
	{ "==1.*", "1", -1, 1 },
	{ "==1.*", "2.0", -1, 0 },
	{ "==1.0.*", "1", -1, 1 },
	{ "==1.0.*", "1.0.5+x", -1, 1 },
	{ "==1.0.*", "1.1", -1, 0 },
	{ "==1.*", "1.0a1", -1, 0 },
	{ "==1.*", "1.0a1", 1, 1 },
	{ "!=1.*", "1.9", -1, 0 },
	{ "!=1.*", "2.0", -1, 1 },
	{ "==1!2.*", "1!2.5", -1, 1 },
	{ "==1!2.0.*", "1!2", -1, 0 }, /* packaging pads only pure-number release prefixes */
	{ "==2.0.*", "2", -1, 1 },
	{ "~=2.2", "2.2", -1, 1 },
	{ "~=2.2", "2.9", -1, 1 },
	{ "~=2.2", "3.0", -1, 0 },
	{ "~=2.2", "2.1", -1, 0 },
	{ "~=2.2.0", "2.2.5", -1, 1 },
	{ "~=2.2.0", "2.3", -1, 0 },
	{ "~=1.4.5a4", "1.4.5", -1, 1 },
	{ "~=1.4.5a4", "1.4.6", -1, 1 },
	{ "~=1.4.5a4", "1.5", -1, 0 },
	{ "~=2.2.post3", "2.3", -1, 1 },
	{ "~=2.2.post3", "3.0", -1, 0 },
	{ "~=1.2.c1", "1.3", -1, 0 },  /* 'c1' is not seen as a suffix: ==1.2.* */
	{ "~=1.2rc1", "1.3", -1, 1 },  /* 'rc1' is: ==1.* */
	{ "~=1.2.r1", "1.2.post1", -1, 1 },
	{ "~=1.2.r1", "1.3", -1, 0 },
	{ "<2.0", "1.9", -1, 1 },
	{ "<2.0", "2.0.dev1", 1, 0 },
	{ "<2.0", "2.0a1", 1, 0 },
	{ "<2.0", "1.9a1", 1, 1 },
	{ "<2.0rc1", "2.0b1", -1, 0 }, /* < never names a pre-release */
	{ "<2.0rc1", "2.0b1", 1, 1 },
	{ "<2.0", "1.9+local", -1, 1 },
	{ ">2.0", "2.0.post1", -1, 0 },
	{ ">2.0", "2.0.1", -1, 1 },
	{ ">2.0", "2.0+local", -1, 0 },
	{ ">2.0", "2.1+local", -1, 1 },
	{ ">2.0.post1", "2.0.post2", -1, 1 },
	{ ">2.0.post1", "2.0.post2+x", -1, 0 },
	{ ">1.0.99999999999999999999998", "1.0.99999999999999999999999", -1, 1 },
	{ "<1.0.99999999999999999999998", "1.0.99999999999999999999999", -1, 0 },
	{ "===1.0", "1.0", -1, 1 },
	{ "===1.0", "1.0.0", -1, 0 },
	{ "===1.0", "1.0+x", -1, 0 },
	{ "===1.0-RC1", "1.0rc1", 1, 0 }, /* packaging 23.0 compares str(Version): '1.0rc1' */
	{ "===1.0RC1", "1.0rc1", 1, 1 },
	{ "===foo", "1.0", 1, 0 },
};

/* SpecifierSet(spec).filter(versions, prereleases): the kept indices */
static const struct {
	const char *spec;
	int pre;
	const char *versions[5];
	const char *want;
} filter_cases[] = {
	{ ">=1.2.3", -1, { "1.2", "1.3", "1.5a1" }, "1" },
	{ ">=1.2.3", -1, { "1.2", "1.5a1" }, "" }, /* no fallback to pre-releases with clauses */
	{ ">=1.2.3", 1, { "1.3", "1.5a1" }, "0 1" },
	{ "", -1, { "1.3", "1.5a1" }, "0" },
	{ "", -1, { "1.5a1", "1.6b1" }, "0 1" },
	{ "", 0, { "1.5a1" }, "" },
	{ "", 1, { "1.3", "1.5a1" }, "0 1" },
	{ ">=1.0a1", -1, { "0.9", "1.0a2", "1.1" }, "1 2" },
	{ "", -1, { NULL }, "" },
};

static char *set_str(const char *in, int *pre)
{
	struct specset s;
	struct buf b = BUF_INIT;

	if (specset_parse(in, &s, NULL))
		return NULL;
	specset_format(&s, &b);
	*pre = specset_names_prerelease(&s);
	specset_release(&s);
	return buf_detach(&b, NULL);
}

static void test_sets(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(set_cases); i++) {
		int pre = -2;
		char *got = set_str(set_cases[i].in, &pre);

		is_str(got, set_cases[i].want, "SpecifierSet('%s')", set_cases[i].in);
		if (got && set_cases[i].want)
			is_int(pre, set_cases[i].pre, "SpecifierSet('%s').prereleases", set_cases[i].in);
		free(got);
	}
}

static void test_contains(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(contains_cases); i++) {
		struct specset s;

		if (specset_parse(contains_cases[i].spec, &s, NULL))
			BUG("'%s' does not parse", contains_cases[i].spec);
		is_int(specset_contains_str(&s, contains_cases[i].version, contains_cases[i].pre),
		       contains_cases[i].want, "'%s' in '%s' (prereleases %d)", contains_cases[i].version,
		       contains_cases[i].spec, contains_cases[i].pre);
		specset_release(&s);
	}
	{
		struct specset s;

		specset_parse(">=1", &s, NULL);
		is_int(specset_contains_str(&s, "1.0-", -1), -1, "an invalid version is reported");
		specset_release(&s);
	}
}

static void test_filter(void)
{
	size_t i, j, n, k;

	for (i = 0; i < ARRAY_SIZE(filter_cases); i++) {
		struct specset s;
		struct version v[5];
		const struct version *pv[5];
		size_t idx[5];
		struct buf got = BUF_INIT;

		if (specset_parse(filter_cases[i].spec, &s, NULL))
			BUG("'%s' does not parse", filter_cases[i].spec);
		for (n = 0; n < 5 && filter_cases[i].versions[n]; n++) {
			if (version_parse(filter_cases[i].versions[n], &v[n]))
				BUG("'%s' does not parse", filter_cases[i].versions[n]);
			pv[n] = &v[n];
		}
		k = specset_filter(&s, pv, n, filter_cases[i].pre, idx);
		for (j = 0; j < k; j++)
			buf_addf(&got, j ? " %zu" : "%zu", idx[j]);
		is_str(got.s, filter_cases[i].want, "filter #%zu with '%s' (prereleases %d)", i,
		       filter_cases[i].spec, filter_cases[i].pre);
		buf_release(&got);
		for (j = 0; j < n; j++)
			version_release(&v[j]);
		specset_release(&s);
	}
}

static void test_errors(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ ">=1.0, ~=1", "invalid specifier '~=1': ~= needs a release of at least two numbers" },
		{ ">=1.0.*", "invalid specifier '>=1.0.*': '.*' is only allowed with == and !=" },
		{ "==1.0a1.*", "invalid specifier '==1.0a1.*': '.*' must directly follow the release numbers" },
		{ "<1.0+abc", "invalid specifier '<1.0+abc': local versions are only allowed with == and !=" },
		{ " 1.0 ", "invalid specifier '1.0': expected an operator (~= == != <= >= < > ===)" },
		{ ">= ", "invalid specifier '>=': expected a version after the operator" },
		{ "==1.0-", "invalid specifier '==1.0-': invalid version" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct specset s;
		struct buf err = BUF_INIT;

		ok(specset_parse(cases[i].in, &s, &err) == -1 && specset_is_empty(&s), "'%s' is refused",
		   cases[i].in);
		is_str(err.s, cases[i].want, "message for '%s'", cases[i].in);
		buf_release(&err);
	}
}

static void test_merge(void)
{
	struct specset a, b, c;
	struct buf out = BUF_INIT;

	specset_parse(">=1.0,!=1.5", &a, NULL);
	specset_parse("<2,>=1.0.0", &b, NULL);
	specset_merge(&a, &b);
	specset_format(&a, &out);
	is_str(out.s, "!=1.5,<2,>=1.0", "merge keeps the first of equal clauses");
	specset_copy(&c, &a);
	specset_release(&a);
	specset_release(&b);
	buf_reset(&out);
	specset_format(&c, &out);
	is_str(out.s, "!=1.5,<2,>=1.0", "a copy outlives its source");
	is_int(specset_contains_str(&c, "1.9", -1), 1, "merged set contains 1.9");
	is_int(specset_contains_str(&c, "2.0", -1), 0, "merged set excludes 2.0");
	specset_release(&c);
	specset_init(&c);
	ok(specset_is_empty(&c) && specset_names_prerelease(&c) == -1, "an initialised set is empty");
	specset_release(&c);
	buf_release(&out);
}

/* Found by stress-testing the fuzz targets with large inputs: deduplication compared every clause
 * with every other one, so a set of 50,000 distinct clauses (a 500 kB Requires-Python) took minutes. */
static void test_many_clauses(void)
{
	static const char *const order[] = { "1", "2", "3", "4" };
	struct specset s, t;
	struct buf text = BUF_INIT;
	size_t i, n = 20000;

	specset_parse(">=1,==2,>=1.0,<3,==2.0,!=4,<3.0.0,>=1", &s, NULL);
	is_int((long long)s.n, 4, "duplicates dropped");
	for (i = 0; i < ARRAY_SIZE(order) && i < s.n; i++)
		is_str(s.specs[i].text, order[i], "first occurrences kept in order (%zu)", i);
	specset_release(&s);

	for (i = 0; i < n; i++)
		buf_addf(&text, "%s!=%zu.%zu", i ? "," : "", i, i % 7);
	buf_adds(&text, ",!=0.0.0,!=19999");
	is_int(specset_parse(text.s, &s, NULL), 0, "a set of %zu distinct clauses parses", n);
	is_int((long long)s.n, (long long)n, "and keeps them all");
	is_str(s.specs[n - 1].text, "19999.0", "in order");
	specset_copy(&t, &s);
	specset_merge(&t, &s);
	is_int((long long)t.n, (long long)n, "merging a copy adds nothing");
	is_int(specset_contains_str(&t, "5.5.0", -1), 0, "the merged set excludes 5.5");
	is_int(specset_contains_str(&t, "5.4", -1), 1, "the merged set contains 5.4");
	specset_release(&s);
	specset_release(&t);
	buf_release(&text);
}

static void test_scan(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ ">=1.0; python_version<'3'", ">=1.0" },
		{ "== 1.0.*)", "== 1.0.*" },
		{ "===foo bar", "===foo" },
		{ "=== ;", "=== " },
		{ "~=1.0a1,<2", "~=1.0a1" },
		{ ">=1.0+abc", ">=1.0" },
		{ "==1.0+abc.", "==1.0+abc" },
		{ "<=1!x", "<=1" },
		{ "~=1", NULL },
		{ "foo", NULL },
		{ " >=1", NULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *p = cases[i].in;
		char *got = NULL;

		if (!specifier_scan(&p))
			got = xstrndup(cases[i].in, (size_t)(p - cases[i].in));
		is_str(got, cases[i].want, "specifier token in '%s'", cases[i].in);
		free(got);
	}
}

int main(void)
{
	plan_no_plan();
	test_sets();
	test_contains();
	test_filter();
	test_errors();
	test_merge();
	test_many_clauses();
	test_scan();
	return done_testing();
}
