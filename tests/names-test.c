/* names-test.c: project names, wheel and sdist filenames. */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "tap.h"

static void test_names(void)
{
	static const struct {
		const char *in, *canon;
		int valid;
	} t[] = {
		{ "requests", "requests", 1 },
		{ "Foo_Bar", "foo-bar", 1 },
		{ "foo.-_bar", "foo-bar", 1 },
		{ "a", "a", 1 },
		{ "-foo", "-foo", 0 },
		{ "foo_", "foo-", 0 },
		{ "foo bar", "foo bar", 0 },
		{ "", "", 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		char *c = name_canonicalize(t[i].in);

		is_str(c, t[i].canon, "canonicalize '%s'", t[i].in);
		is_int(name_is_valid(t[i].in, strlen(t[i].in)), t[i].valid, "validity of '%s'", t[i].in);
		free(c);
	}
	ok(name_cmp("Foo.Bar", "foo-bar") == 0 && name_cmp("foo-bar", "Foo.Bar") == 0, "name_cmp equal both ways");
	ok(name_cmp("foo", "foo-bar") < 0 && name_cmp("foo-bar", "foo") > 0, "name_cmp ordered both ways");
}

static const struct {
	const char *file;
	int ok;
	const char *name, *version, *build_num, *build_rest, *tags;
} wheels[] = {
	{ "foo-1.0-py3-none-any.whl", 1, "foo", "1.0", NULL, NULL, "py3-none-any" },
	{ "Foo_Bar-2.0-1-py2.py3-none-any.whl", 1, "foo-bar", "2.0", "1", "", "py2.py3-none-any" },
	{ "foo.bar-1.0-007abc-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", 1, "foo-bar", "1.0",
	  "7", "abc", "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64" },
	{ "foo-1.0-0-py3-none-any.whl", 1, "foo", "1.0", "0", "", "py3-none-any" },
	{ "foo-1.0-000_x-py3-none-any.whl", 1, "foo", "1.0", "0", "_x", "py3-none-any" },
	{ "foo-1.0-123456789012345678901234567890-py3-none-any.whl", 1, "foo", "1.0",
	  "123456789012345678901234567890", "", "py3-none-any" },
	{ "-1.0-py3-none-any.whl", 1, "", "1.0", NULL, NULL, "py3-none-any" },
	{ "_a_-1.0-py3-none-any.whl", 1, "-a-", "1.0", NULL, NULL, "py3-none-any" },
	{ "foo-1.0-PY3-NONE-Any.whl", 1, "foo", "1.0", NULL, NULL, "py3-none-any" },
	{ "foo-1.0-py3.-none-any.whl", 1, "foo", "1.0", NULL, NULL, "py3.-none-any" },
	{ "foo-1.0RC1-py3-none-any.whl", 1, "foo", "1.0rc1", NULL, NULL, "py3-none-any" },
	{ "foo-2!01.0.post_2+LOCAL_x-py3-none-any.whl", 1, "foo", "2!1.0.post2+local.x", NULL, NULL, "py3-none-any" },
	{ "foo-abc-py3-none-any.whl", 0, NULL, NULL, NULL, NULL, NULL },
	{ "foo--py3-none-any.whl", 0, NULL, NULL, NULL, NULL, NULL },
	{ "foo-1.0-py3-none-any.zip", 0, NULL, NULL, NULL, NULL, NULL },
	{ "foo-1.0-py3-none-any.WHL", 0, NULL, NULL, NULL, NULL, NULL },
	{ "foo-1.0-py3-none.whl", 0, NULL, NULL, NULL, NULL, NULL },
	{ "foo-1.0-1-2-py3-none-any.whl", 0, NULL, NULL, NULL, NULL, NULL },
	{ "foo__bar-1.0-py3-none-any.whl", 0, NULL, NULL, NULL, NULL, NULL },
	{ "foo+bar-1.0-py3-none-any.whl", 0, NULL, NULL, NULL, NULL, NULL },
	{ "foo-1.0-abc-py3-none-any.whl", 0, NULL, NULL, NULL, NULL, NULL },
	{ "foo-1.0--py3-none-any.whl", 0, NULL, NULL, NULL, NULL, NULL },
	{ "caf\xc3\xa9-1.0-py3-none-any.whl", 0, NULL, NULL, NULL, NULL, NULL },
	{ ".whl", 0, NULL, NULL, NULL, NULL, NULL },
};

static void test_wheels(void)
{
	struct buf err = BUF_INIT;
	struct wheel_name w;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(wheels); i++) {
		int r = wheel_name_parse(wheels[i].file, &w, &err);

		if (!is_int(r == 0, wheels[i].ok, "wheel '%s' %s", wheels[i].file,
			    wheels[i].ok ? "accepted" : "rejected")) {
			diag("error: %s", err.s);
			continue;
		}
		if (r) {
			ok(strstr(err.s, wheels[i].file) != NULL && !strchr(err.s, '\n'),
			   "error for '%s' is one line quoting it: %s", wheels[i].file, err.s);
			ok(!w.name && !w.tags, "rejected '%s' leaves nothing allocated", wheels[i].file);
			continue;
		}
		is_str(w.name, wheels[i].name, "wheel '%s' name", wheels[i].file);
		is_str(w.version, wheels[i].version, "wheel '%s' version", wheels[i].file);
		is_str(w.build_num, wheels[i].build_num, "wheel '%s' build number", wheels[i].file);
		is_str(w.build_rest, wheels[i].build_rest, "wheel '%s' build rest", wheels[i].file);
		is_str(w.tags, wheels[i].tags, "wheel '%s' tags", wheels[i].file);
		wheel_name_release(&w);
	}
	buf_release(&err);
}

static void test_build_order(void)
{
	/* each build tag sorts strictly before the next one */
	static const char *const order[] = { NULL, "0", "1", "1a", "1b", "2", "02x", "10", "99999999999999999999" };
	struct buf err = BUF_INIT;
	struct wheel_name w[ARRAY_SIZE(order)];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		char *f = order[i] ? xasprintf("foo-1.0-%s-py3-none-any.whl", order[i]) :
			xstrdup("foo-1.0-py3-none-any.whl");

		if (wheel_name_parse(f, &w[i], &err))
			BUG("%s", err.s);
		free(f);
	}
	for (i = 0; i < ARRAY_SIZE(order); i++)
		for (j = 0; j < ARRAY_SIZE(order); j++) {
			int want = i < j ? -1 : i > j;

			is_int(wheel_build_cmp(&w[i], &w[j]), want, "build '%s' vs '%s'",
			       order[i] ? order[i] : "(none)", order[j] ? order[j] : "(none)");
		}
	for (i = 0; i < ARRAY_SIZE(order); i++)
		wheel_name_release(&w[i]);
	buf_release(&err);
}

static void test_sdists(void)
{
	static const struct {
		const char *file, *project;
		int ok;
		const char *name, *version, *ext;
	} t[] = {
		{ "foo-1.0.tar.gz", NULL, 1, "foo", "1.0", ".tar.gz" },
		{ "python-dateutil-2.8.2.tar.gz", NULL, 1, "python-dateutil", "2.8.2", ".tar.gz" },
		{ "Foo_Bar-1.0.zip", NULL, 1, "foo-bar", "1.0", ".zip" },
		{ "-1.0.tar.gz", NULL, 1, "", "1.0", ".tar.gz" },
		{ "foo-1.0-1.tar.gz", NULL, 1, "foo-1-0", "1", ".tar.gz" },
		{ "foo-V1.0RC1.zip", NULL, 1, "foo", "1.0rc1", ".zip" },
		{ "foo-1.0-junk.tar.gz", NULL, 0, NULL, NULL, NULL },
		{ "foo-1.0.tar.bz2", NULL, 0, NULL, NULL, NULL },
		{ "foo-1.0.tgz", NULL, 0, NULL, NULL, NULL },
		{ "foo.tar.gz", NULL, 0, NULL, NULL, NULL },
		{ "foo-1.0.TAR.GZ", NULL, 0, NULL, NULL, NULL },
		{ "python-dateutil-2.8.2.tar.gz", "python_dateutil", 1, "python-dateutil", "2.8.2", ".tar.gz" },
		{ "python-dateutil-2.8.2.tar.bz2", "Python-DateUtil", 1, "python-dateutil", "2.8.2", ".tar.bz2" },
		{ "Foo-1.0.TAR.GZ", "foo", 1, "foo", "1.0", ".tar.gz" },
		{ "foo-1.0.tgz", "foo", 1, "foo", "1.0", ".tgz" },
		{ "foo-1.0.tar", "foo", 1, "foo", "1.0", ".tar" },
		{ "foo-1.0.tar.xz", "foo", 1, "foo", "1.0", ".tar.xz" },
		{ "zope.interface-5.0.zip", "zope-interface", 1, "zope-interface", "5.0", ".zip" },
		{ "foo-1.0-1.tar.gz", "foo", 1, "foo", "1.0.post1", ".tar.gz" },
		{ "foo-bar-1.0.tar.gz", "foo", 0, NULL, NULL, NULL },
		{ "bar-1.0.tar.gz", "foo", 0, NULL, NULL, NULL },
		{ "foo-1.0.rar", "foo", 0, NULL, NULL, NULL },
		{ "foo.tar.gz", "foo", 0, NULL, NULL, NULL },
		{ "foobar-1.0.tar.gz", "foo", 0, NULL, NULL, NULL },
	};
	struct buf err = BUF_INIT;
	struct sdist_name s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int r = sdist_name_parse(t[i].file, t[i].project, &s, &err);
		const char *p = t[i].project ? t[i].project : "(none)";

		if (!is_int(r == 0, t[i].ok, "sdist '%s' for %s %s", t[i].file, p, t[i].ok ? "accepted" : "rejected")) {
			diag("error: %s", err.s);
			sdist_name_release(&s);
			continue;
		}
		if (r) {
			ok(strstr(err.s, t[i].file) != NULL && !strchr(err.s, '\n'),
			   "error for '%s' is one line quoting it: %s", t[i].file, err.s);
			continue;
		}
		is_str(s.name, t[i].name, "sdist '%s' name", t[i].file);
		is_str(s.version, t[i].version, "sdist '%s' version", t[i].file);
		is_str(s.ext, t[i].ext, "sdist '%s' extension", t[i].file);
		sdist_name_release(&s);
	}
	buf_release(&err);
}

static void test_build_filenames(void)
{
	static const struct {
		const char *name, *version, *build, *tags, *sdist, *wheel;
	} t[] = {
		{ "foo", "1.0", NULL, "py3-none-any", "foo-1.0.tar.gz", "foo-1.0-py3-none-any.whl" },
		{ "Foo.Bar--baz", "2.0", "1", "py3-none-any", "foo_bar_baz-2.0.tar.gz",
		  "foo_bar_baz-2.0-1-py3-none-any.whl" },
		{ "foo", "v1.0-1", NULL, "py3-none-any", "foo-1.0.post1.tar.gz", "foo-1.0.post1-py3-none-any.whl" },
		{ "foo", "1.0+LOCAL", "2x", "py3-none-any", "foo-1.0+local.tar.gz", "foo-1.0+local-2x-py3-none-any.whl" },
		{ "zope.interface", "5.0", NULL, "cp311-cp311-linux_x86_64", "zope_interface-5.0.tar.gz",
		  "zope_interface-5.0-cp311-cp311-linux_x86_64.whl" },
	};
	struct buf err = BUF_INIT;
	size_t i;

	ok(sdist_filename("foo", "junk") == NULL, "no sdist filename for an invalid version");
	ok(wheel_filename("foo", "1.0-", NULL, "py3-none-any") == NULL, "no wheel filename for an invalid version");
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		char *s = sdist_filename(t[i].name, t[i].version);
		char *w = wheel_filename(t[i].name, t[i].version, t[i].build, t[i].tags);
		char *canon = name_canonicalize(t[i].name);
		struct wheel_name wn;
		struct sdist_name sn;

		is_str(s, t[i].sdist, "sdist filename of %s %s", t[i].name, t[i].version);
		is_str(w, t[i].wheel, "wheel filename of %s %s", t[i].name, t[i].version);
		if (ok(wheel_name_parse(w, &wn, &err) == 0, "'%s' parses back", w)) {
			is_str(wn.name, canon, "'%s' name round trip", w);
			wheel_name_release(&wn);
		}
		if (ok(sdist_name_parse(s, NULL, &sn, &err) == 0, "'%s' parses back", s)) {
			is_str(sn.name, canon, "'%s' name round trip", s);
			sdist_name_release(&sn);
		}
		free(s);
		free(w);
		free(canon);
	}
	buf_release(&err);
}

int main(void)
{
	plan_no_plan();
	test_names();
	test_wheels();
	test_build_order();
	test_sdists();
	test_build_filenames();
	return done_testing();
}
