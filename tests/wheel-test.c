/* wheel-test.c: RECORD parsing and checking, entry points, path safety, shebangs, launchers, relpath,
 * RECORD targets, and replacing an installed distribution in a scratch environment. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "sha256.h"
#include "wheel/wheel.h"
#include "wheel/wheel_int.h"
#include "tap.h"

static void test_record_parse(void)
{
	static const struct {
		const char *text;
		int ok;
		size_t rows;
		const char *path0, *hash0, *size0, *path_last;
	} cases[] = {
		{ "a.py,sha256=AAA,3\nx.dist-info/RECORD,,\n", 1, 2, "a.py", "sha256=AAA", "3", "x.dist-info/RECORD" },
		{ "a.py,sha256=AAA,3\r\nb.py,sha256=BBB,\r\n", 1, 2, "a.py", "sha256=AAA", "3", "b.py" },
		{ "\"a,b.py\",sha256=AAA,3\n", 1, 1, "a,b.py", "sha256=AAA", "3", "a,b.py" },
		{ "\"a\"\"q.py\",sha256=AAA,3", 1, 1, "a\"q.py", "sha256=AAA", "3", "a\"q.py" },
		{ "a.py,sha256=AAA,3\n\nb.py,,\n", 1, 2, "a.py", "sha256=AAA", "3", "b.py" },
		{ "", 1, 0, NULL, NULL, NULL, NULL },
		{ "a.py,sha256=AAA\n", 0, 0, NULL, NULL, NULL, NULL },
		{ "a.py,sha256=AAA,3,4\n", 0, 0, NULL, NULL, NULL, NULL },
		{ "a.py,sha256=AAA,x3\n", 0, 0, NULL, NULL, NULL, NULL },
		{ "a.py,AAA,3\n", 0, 0, NULL, NULL, NULL, NULL },
		{ ",sha256=AAA,3\n", 0, 0, NULL, NULL, NULL, NULL },
		{ "\"a.py,sha256=AAA,3\n", 0, 0, NULL, NULL, NULL, NULL },
		{ "a\"b.py,sha256=AAA,3\n", 0, 0, NULL, NULL, NULL, NULL },
		{ "a.py,sha256=AAA,3\na.py,sha256=AAA,3\n", 0, 0, NULL, NULL, NULL, NULL },
	};
	static const struct {
		const char *text;
		size_t len;
	} nul[] = {
		{ "a.py\0x,sha256=AAA,3\n", 20 },
		{ "\0,,\n", 4 },
		{ "\"a\0\",,\n", 7 },
		{ "a.py,sha256=A\0,3\n", 17 },
		{ "a.py,,3\0\n", 9 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct record r;
		struct buf err = BUF_INIT;
		int rc;

		record_init(&r);
		rc = record_parse(cases[i].text, strlen(cases[i].text), &r, &err);
		is_int(rc == 0, cases[i].ok, "record_parse %zu accepts=%d (%s)", i, cases[i].ok, err.s);
		if (!rc && cases[i].ok) {
			is_int((long long)r.nr, (long long)cases[i].rows, "record_parse %zu rows", i);
			if (r.nr) {
				is_str(r.v[0].path, cases[i].path0, "record_parse %zu path", i);
				is_str(r.v[0].hash, cases[i].hash0, "record_parse %zu hash", i);
				is_str(r.v[0].size, cases[i].size0, "record_parse %zu size", i);
				is_str(r.v[r.nr - 1].path, cases[i].path_last, "record_parse %zu last path", i);
				ok(record_find(&r, cases[i].path0) == &r.v[0], "record_find %zu", i);
			}
		}
		if (!cases[i].ok)
			ok(err.len > 0 && !strchr(err.s, '\n'), "record_parse %zu one-line error: %s", i, err.s);
		record_release(&r);
		buf_release(&err);
	}
	/* found by fuzzing (tests/fuzz/fuzz-record): a NUL byte in a field used to cut it short,
	 * so the row for "a.py\0x" described "a.py" and "\0,," gave an empty path */
	for (i = 0; i < ARRAY_SIZE(nul); i++) {
		struct record r;
		struct buf err = BUF_INIT;

		int rc;

		record_init(&r);
		rc = record_parse(nul[i].text, nul[i].len, &r, &err);
		ok(rc < 0 && strstr(err.s, "NUL byte"), "record_parse refuses NUL byte %zu: %s", i, err.s);
		record_release(&r);
		buf_release(&err);
	}
}

static void test_record_check(void)
{
	struct buf b64 = BUF_INIT, err = BUF_INIT, row = BUF_INIT;
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_SIZE];
	struct record r;
	char good[80];
	static const struct {
		const char *hash, *size;
		int ok;
		const char *msg;
	} cases[] = {
		{ NULL, "5", 1, NULL },
		{ NULL, "", 1, NULL },
		{ NULL, "6", 0, "size mismatch" },
		{ "sha256=AAAA", "5", 0, "hash mismatch" },
		{ "md5=AAAA", "5", 0, "unsupported algorithm 'md5'" },
		{ "", "", 0, "no hash" },
	};
	size_t i;

	sha256_init(&c);
	sha256_update(&c, "hello", 5);
	sha256_final(&c, d);
	sha256_b64url(d, &b64);
	is_str(b64.s, "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ", "sha256_b64url of 'hello' (hashlib)");
	snprintf(good, sizeof(good), "sha256=%s", b64.s);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct record_entry e = { (char *)"pkg/a.py", (char *)(cases[i].hash ? cases[i].hash : good),
					  (char *)cases[i].size };
		int rc;

		buf_reset(&err);
		rc = record_check(&e, b64.s, 5, &err);
		is_int(rc == 0, cases[i].ok, "record_check %zu", i);
		if (cases[i].msg)
			ok(strstr(err.s, cases[i].msg) && strstr(err.s, "'pkg/a.py'"), "record_check %zu says '%s': %s",
			   i, cases[i].msg, err.s);
	}

	/* rows written by record_add_row parse back */
	record_add_row(&row, "a,\"b\".py", good, "5");
	record_add_row(&row, "x.dist-info/RECORD", NULL, NULL);
	is_str(row.s, "\"a,\"\"b\"\".py\",sha256=LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ,5\nx.dist-info/RECORD,,\n",
	       "record_add_row quotes");
	record_init(&r);
	buf_reset(&err);
	ok(record_parse(row.s, row.len, &r, &err) == 0 && r.nr == 2, "record_add_row output parses");
	if (r.nr == 2) {
		is_str(r.v[0].path, "a,\"b\".py", "round trip path");
		is_str(r.v[1].hash, "", "round trip empty hash");
	}
	record_release(&r);
	buf_release(&b64);
	buf_release(&err);
	buf_release(&row);
}

static void test_entry_points(void)
{
	static const char text[] =
		"# comment\n"
		"[console_scripts]\n"
		"foo = foo.cli:main\n"
		"  bar=bar:Cls.run [extra1, extra2]  \n"
		"; another comment\n"
		"\n"
		"[gui_scripts]\n"
		"baz = baz\n"
		"[distutils.commands]\n"
		"x-y = pkg.mod:cmd\n";
	static const struct {
		const char *group, *name, *module, *attr;
	} want[] = {
		{ "console_scripts", "foo", "foo.cli", "main" },
		{ "console_scripts", "bar", "bar", "Cls.run" },
		{ "gui_scripts", "baz", "baz", NULL },
		{ "distutils.commands", "x-y", "pkg.mod", "cmd" },
	};
	static const char *const bad[] = {
		"foo = foo:main\n",                     /* no section */
		"[console_scripts\nfoo = foo:main\n",   /* unclosed section */
		"[console_scripts]\nfoo foo:main\n",    /* no '=' */
		"[console_scripts]\n = foo:main\n",     /* no name */
		"[console_scripts]\nfoo = 1foo:main\n", /* bad module */
		"[console_scripts]\nfoo = foo:ma-in\n", /* bad attr */
		"[console_scripts]\nfoo = foo..x:main\n",
		"[console_scripts]\nfoo = foo:\n",
	};
	struct entry_points eps;
	struct buf err = BUF_INIT;
	size_t i;

	entry_points_init(&eps);
	ok(entry_points_parse(text, &eps, &err) == 0, "entry_points_parse accepts the sample (%s)", err.s);
	is_int((long long)eps.nr, (long long)ARRAY_SIZE(want), "entry_points_parse count");
	for (i = 0; i < eps.nr && i < ARRAY_SIZE(want); i++) {
		is_str(eps.v[i].group, want[i].group, "entry point %zu group", i);
		is_str(eps.v[i].name, want[i].name, "entry point %zu name", i);
		is_str(eps.v[i].module, want[i].module, "entry point %zu module", i);
		is_str(eps.v[i].attr, want[i].attr, "entry point %zu attr", i);
	}
	entry_points_release(&eps);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		buf_reset(&err);
		entry_points_init(&eps);
		ok(entry_points_parse(bad[i], &eps, &err) == -1 && err.len && !strchr(err.s, '\n'),
		   "entry_points_parse rejects bad %zu: %s", i, err.s);
		entry_points_release(&eps);
	}
	buf_release(&err);
}

static void test_path_safe(void)
{
	static const struct {
		const char *path;
		int dir_ok, safe;
	} cases[] = {
		{ "pkg/__init__.py", 0, 1 },
		{ "pkg-1.0.dist-info/RECORD", 0, 1 },
		{ "a", 0, 1 },
		{ "..a/b..", 0, 1 },
		{ "pkg/", 1, 1 },
		{ "pkg/", 0, 0 },
		{ "", 0, 0 },
		{ "/etc/passwd", 0, 0 },
		{ "../x", 0, 0 },
		{ "a/../../x", 0, 0 },
		{ "a/..", 0, 0 },
		{ "a/../", 1, 0 },
		{ "a//b", 0, 0 },
		{ "./a", 0, 0 },
		{ "a/./b", 0, 0 },
		{ "a\\..\\b", 0, 0 },
		{ "/", 1, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		is_int(wheel_path_safe(cases[i].path, cases[i].dir_ok), cases[i].safe, "wheel_path_safe('%s', %d)",
		       cases[i].path, cases[i].dir_ok);
}

static void test_shebang(void)
{
	static const struct {
		const char *in, *out; /* out NULL: untouched */
	} cases[] = {
		{ "#!python\nprint(1)\n", "#!/env/bin/python\nprint(1)\n" },
		{ "#!pythonw -E\r\nx\n", "#!/env/bin/python\nx\n" },
		{ "#!python", "#!/env/bin/python\n" },
		{ "#!/usr/bin/python\nx\n", NULL },
		{ "#! python\nx\n", NULL },
		{ "echo hi\n", NULL },
		{ "", NULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT;
		int r = wheel_fix_shebang(cases[i].in, strlen(cases[i].in), "/env/bin/python", &out);

		is_int(r, cases[i].out != NULL, "wheel_fix_shebang %zu rewrites", i);
		if (cases[i].out)
			is_str(out.s, cases[i].out, "wheel_fix_shebang %zu text", i);
		else
			is_int((long long)out.len, 0, "wheel_fix_shebang %zu leaves out alone", i);
		buf_release(&out);
	}
}

static void test_launcher(void)
{
	struct entry_point ep = { (char *)"console_scripts", (char *)"foo", (char *)"foo.cli", (char *)"Cls.main" };
	struct buf out = BUF_INIT, err = BUF_INIT, longpy = BUF_INIT;
	int i;

	ok(wheel_launcher("/e/bin/python", &ep, &out, &err) == 0, "wheel_launcher");
	is_str(out.s,
	       "#!/e/bin/python\n"
	       "# -*- coding: utf-8 -*-\n"
	       "import re\n"
	       "import sys\n"
	       "from foo.cli import Cls\n"
	       "if __name__ == '__main__':\n"
	       "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
	       "    sys.exit(Cls.main())\n",
	       "wheel_launcher text (distlib's template)");
	buf_reset(&out);
	ok(wheel_launcher("/my env/bin/python", &ep, &out, &err) == 0 &&
		   starts_with(out.s, "#!/bin/sh\n'''exec' \"/my env/bin/python\" \"$0\" \"$@\"\n' '''# -*- coding"),
	   "wheel_launcher: a path with a space uses the /bin/sh form");
	buf_adds(&longpy, "/");
	for (i = 0; i < 120; i++)
		buf_addch(&longpy, 'x');
	buf_adds(&longpy, "/python");
	buf_reset(&out);
	ok(wheel_launcher(longpy.s, &ep, &out, &err) == 0 && starts_with(out.s, "#!/bin/sh\n'''exec' /x"),
	   "wheel_launcher: a shebang longer than 127 bytes uses the /bin/sh form");
	ep.attr = NULL;
	buf_reset(&out);
	ok(wheel_launcher("/e/bin/python", &ep, &out, &err) == -1 && strstr(err.s, "'foo = foo.cli'"),
	   "wheel_launcher: no callable is an error: %s", err.s);
	buf_release(&out);
	buf_release(&err);
	buf_release(&longpy);
}

static void test_relpath(void)
{
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
		{ "lib/python3.11/site-packages", "lib/python3.11/site-packages/pkg/a.py", "pkg/a.py" },
		{ "lib/python3.11/site-packages", "bin/foo", "../../../bin/foo" },
		{ "lib/python3.11/site-packages", "lib/python3.11/site-packagesx/a", "../site-packagesx/a" },
		{ "lib/python3.11/site-packages", "lib64/python3.11/site-packages/a", "../../../lib64/python3.11/site-packages/a" },
		{ "lib/python3.11/site-packages", "include/site/python3.11/p/h.h", "../../../include/site/python3.11/p/h.h" },
		{ "lib/python3.11/site-packages", "share/x", "../../../share/x" },
		{ "", "share/x", "share/x" },
		{ "a", "a/b", "b" },
		{ "a/b", "a/c", "../c" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT;

		wheel_relpath(cases[i].from, cases[i].to, &out);
		is_str(out.s, cases[i].want, "wheel_relpath('%s', '%s')", cases[i].from, cases[i].to);
		buf_release(&out);
	}
}

static void test_record_target(void)
{
	static const char sp[] = "lib/python3.11/site-packages";
	static const struct {
		const char *libdir, *path, *want; /* want NULL: refused */
	} cases[] = {
		{ sp, "pkg/a.py", "lib/python3.11/site-packages/pkg/a.py" },
		{ sp, "../../../bin/foo", "bin/foo" },
		{ sp, "./pkg//a.py", "lib/python3.11/site-packages/pkg/a.py" },
		{ sp, "pkg/../b.py", "lib/python3.11/site-packages/b.py" },
		{ sp, "../../../share/x/../y", "share/y" },
		{ sp, "../../../../outside", NULL },
		{ sp, "../../../..", NULL },
		{ sp, "../../..", NULL },
		{ sp, "../../../bin/../../x", NULL },
		{ sp, "/env/bin/foo", "bin/foo" },
		{ sp, "/env/lib/../bin/foo", "bin/foo" },
		{ sp, "/env/../x", NULL },
		{ sp, "/envx/bin/foo", NULL },
		{ sp, "/env", NULL },
		{ sp, "/env/", NULL },
		{ sp, "/etc/passwd", NULL },
		{ "", "a/b", "a/b" },
		{ "", "../a", NULL },
		{ "", "", NULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT;
		int rc = wheel_record_target("/env", cases[i].libdir, cases[i].path, &out);

		is_int(rc == 0, cases[i].want != NULL, "wheel_record_target('%s', '%s') accepts=%d", cases[i].libdir,
		       cases[i].path, cases[i].want != NULL);
		if (cases[i].want)
			is_str(out.s, cases[i].want, "wheel_record_target('%s', '%s')", cases[i].libdir, cases[i].path);
		else
			ok(out.len == 0, "wheel_record_target('%s', '%s') leaves out alone", cases[i].libdir, cases[i].path);
		buf_release(&out);
	}
	/* a root given with a trailing slash */
	{
		struct buf out = BUF_INIT;

		ok(wheel_record_target("/env/", sp, "/env/bin/x", &out) == 0 && strcmp(out.s, "bin/x") == 0,
		   "wheel_record_target: root with a trailing slash");
		buf_release(&out);
	}
	/* the inverse of wheel_relpath for every target in the environment */
	{
		static const char *const to[] = { "bin/foo", "lib/python3.11/site-packages/p/a.py", "share/x/y",
						  "lib/python3.11/x" };

		for (i = 0; i < ARRAY_SIZE(to); i++) {
			struct buf rel = BUF_INIT, out = BUF_INIT;

			wheel_relpath(sp, to[i], &rel);
			ok(wheel_record_target("/env", sp, rel.s, &out) == 0, "record_target(relpath('%s')) accepted", to[i]);
			is_str(out.s, to[i], "record_target(relpath('%s')) round trip", to[i]);
			buf_release(&rel);
			buf_release(&out);
		}
	}
}

static void put(const char *root, const char *rel, const char *text)
{
	struct buf p = BUF_INIT;

	buf_addf(&p, "%s/%s", root, rel);
	if (mkdir_parents(p.s) || write_file(p.s, text, strlen(text), WRITE_NOSYNC))
		diag("cannot write '%s': %s", p.s, strerror(errno));
	buf_release(&p);
}

static int there(const char *root, const char *rel)
{
	struct buf p = BUF_INIT;
	struct stat st;
	int r;

	buf_addf(&p, "%s/%s", root, rel);
	r = lstat(p.s, &st) == 0;
	buf_release(&p);
	return r;
}

#define SP "lib/python3.11/site-packages"

/* An environment holding foo 1.0 (and bar, which must be left alone). */
static void make_env(const char *root, const char *extra_row)
{
	struct buf rec = BUF_INIT;

	put(root, SP "/foo/__init__.py", "");
	put(root, SP "/foo/old.py", "");
	put(root, SP "/foo/__pycache__/old.cpython-311.pyc", "");
	put(root, SP "/foo/__pycache__/__init__.cpython-311.pyc", "");
	put(root, SP "/foo/gone/deep/x.txt", "");
	put(root, SP "/foo_bar.py", "");
	put(root, "share/foo/readme", "");
	put(root, "bin/foo-cli", "");
	put(root, "bin/python", "");
	put(root, SP "/bar/__init__.py", "");
	put(root, SP "/bar-1.0.dist-info/RECORD", "bar/__init__.py,,\n");
	buf_adds(&rec, "foo/__init__.py,,\nfoo/old.py,,\nfoo/gone/deep/x.txt,,\nfoo_bar.py,,\n"
		       "../../../share/foo/readme,,\n../../../bin/foo-cli,,\nFoo-1.0.dist-info/METADATA,,\n"
		       "Foo-1.0.dist-info/RECORD,,\n");
	if (extra_row)
		buf_addf(&rec, "%s,,\n", extra_row);
	put(root, SP "/Foo-1.0.dist-info/METADATA", "Name: Foo\n");
	put(root, SP "/Foo-1.0.dist-info/RECORD", rec.s);
	buf_release(&rec);
}

static void test_removal(void)
{
	char tmpl[] = "/tmp/wheel-test-XXXXXX";
	char *root = mkdtemp(tmpl);
	struct wheel_env env;
	struct wheel_job job;
	struct removal rm;
	struct buf err = BUF_INIT, outside = BUF_INIT;
	static const char *const gone[] = {
		SP "/foo/old.py", SP "/foo/__pycache__", SP "/foo/gone", SP "/foo_bar.py", "share/foo",
		SP "/Foo-1.0.dist-info",
	};
	static const char *const kept[] = {
		SP "/foo/__init__.py", "bin/foo-cli", "bin/python", SP "/bar/__init__.py", SP "/bar-1.0.dist-info/RECORD",
		"share",
	};
	size_t i;

	if (!root) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	memset(&env, 0, sizeof(env));
	env.root = root;
	env.purelib = env.platlib = (char *)SP;
	memset(&job, 0, sizeof(job));
	job.distinfo = (char *)"foo-2.0.dist-info";
	job.ni = job.ai = 2;
	job.inst = xcalloc(2, sizeof(*job.inst));
	job.inst[0].dest = (char *)SP "/foo/__init__.py";
	job.inst[1].dest = (char *)"bin/foo-cli";

	/* refused rows: nothing is removed */
	buf_addf(&outside, "%s-outside", root);
	put(outside.s, "x", "");
	{
		struct buf link = BUF_INIT;

		buf_addf(&link, "%s/" SP "/link", root);
		make_env(root, NULL);
		ok(symlink(outside.s, link.s) == 0, "symlink to outside");
		buf_release(&link);
	}
	{
		const char *bad[] = { "../../../../x", "link/x", "/etc/passwd", NULL };
		struct buf row = BUF_INIT;

		buf_addf(&row, "%s/x", outside.s);
		bad[3] = row.s;
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			make_env(root, bad[i]);
			removal_init(&rm);
			buf_reset(&err);
			ok(removal_plan(&rm, &env, &job, 1, &err) != 0, "removal_plan refuses RECORD row '%s'", bad[i]);
			ok(strstr(err.s, bad[i]) != NULL && !strchr(err.s, '\n'), "the error names '%s': %s", bad[i], err.s);
			removal_release(&rm);
			ok(there(root, SP "/foo/old.py") && there(outside.s, "x"), "row '%s': nothing removed", bad[i]);
		}
		buf_release(&row);
	}

	make_env(root, NULL);
	removal_init(&rm);
	buf_reset(&err);
	ok(removal_plan(&rm, &env, &job, 1, &err) == 0, "removal_plan: %s", err.s);
	is_int((long long)rm.n, 1, "one installed distribution found (Foo, for foo)");
	if (rm.n == 1) {
		is_str(rm.v[0].distinfo, SP "/Foo-1.0.dist-info", "its .dist-info");
		is_int((long long)rm.v[0].files.n, 8, "its RECORD's rows");
	}
	ok(removal_run(&rm, &env, 0, &err) == 0, "removal_run, files: %s", err.s);
	ok(there(root, SP "/Foo-1.0.dist-info/RECORD"), "the old .dist-info stays until the new files are in");
	ok(!there(root, SP "/foo/old.py") && there(root, SP "/foo/__init__.py"), "old files removed, replaced ones kept");
	ok(removal_run(&rm, &env, 1, &err) == 0, "removal_run, .dist-info: %s", err.s);
	for (i = 0; i < ARRAY_SIZE(gone); i++)
		ok(!there(root, gone[i]), "'%s' removed", gone[i]);
	for (i = 0; i < ARRAY_SIZE(kept); i++)
		ok(there(root, kept[i]), "'%s' kept", kept[i]);
	removal_release(&rm);

	/* nothing installed under the name: nothing planned */
	job.distinfo = (char *)"baz-1.0.dist-info";
	removal_init(&rm);
	ok(removal_plan(&rm, &env, &job, 1, &err) == 0 && rm.n == 0, "removal_plan: nothing named baz");
	removal_release(&rm);

	free(job.inst);
	wheel_remove_tree(root);
	wheel_remove_tree(outside.s);
	buf_release(&outside);
	buf_release(&err);
}

int main(void)
{
	plan_no_plan();
	test_record_parse();
	test_record_check();
	test_entry_points();
	test_path_safe();
	test_shebang();
	test_launcher();
	test_relpath();
	test_record_target();
	test_removal();
	return done_testing();
}
