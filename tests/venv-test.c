/* venv-test.c: venv facts from a query answer, pyvenv.cfg text, the layout venv_create makes. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "venv.h"
#include "tap.h"

static json_t *answer_v(const char *base_exe, const char *purelib, int lib64, const char *version,
		       const char *version_short)
{
	json_error_t jerr;
	json_t *a = json_pack_ex(&jerr, 0,
				 "{s:i, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:{s:s, s:s, s:s, s:s, s:s}}}",
				 "wbgen_query", 1, "executable", "/opt/py/bin/python3",
				 "venv", "base_executable", base_exe, "real_executable", "/opt/py/bin/python3.11",
				 "base_prefix", "/opt/py", "prefix", "/opt/py", "version", version,
				 "version_short", version_short, "lib64", lib64, "scheme", "venv",
				 "paths", "purelib", purelib, "platlib", purelib, "scripts", "bin", "data", "",
				 "include", "include/python3.11");

	if (!a)
		BUG("json_pack: %s", jerr.text);
	return a;
}

static json_t *answer(const char *base_exe, const char *purelib, int lib64)
{
	return answer_v(base_exe, purelib, lib64, "3.11.7", "3.11");
}

static void test_facts(void)
{
	static const struct {
		const char *base_exe, *purelib;
		int ok;
	} cases[] = {
		{ "/opt/py/bin/python3", "lib/python3.11/site-packages", 1 },
		{ "python3", "lib/python3.11/site-packages", 0 },
		{ "/opt/py/bin/python3", "/abs/site-packages", 0 },
		{ "/opt/py/bin/python3", "../lib/site-packages", 0 },
	};
	struct venv_facts f;
	struct buf err = BUF_INIT, cfg = BUF_INIT;
	json_t *a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		a = answer(cases[i].base_exe, cases[i].purelib, 1);
		buf_reset(&err);
		is_int(venv_facts_from_answer(a, &f, &err) == 0, cases[i].ok, "venv_facts_from_answer %zu (%s)", i,
		       err.s);
		json_decref(a);
	}
	{
		static const struct {
			const char *v, *vs;
			int ok, gitignore;
		} vers[] = {
			{ "2.7.18", "2.7", 0, 0 }, { "3.2.5", "3.2", 0, 0 }, { "3.3.0", "3.3", 1, 0 },
			{ "3.12.1", "3.12", 1, 0 }, { "3.13.0", "3.13", 1, 1 }, { "4.0.0", "4.0", 1, 1 },
			{ "3.x", "3.x", 0, 0 }, { "3", "3", 0, 0 },
		};

		for (i = 0; i < ARRAY_SIZE(vers); i++) {
			a = answer_v("/opt/py/bin/python3", "lib/python3.11/site-packages", 1, vers[i].v, vers[i].vs);
			buf_reset(&err);
			is_int(venv_facts_from_answer(a, &f, &err) == 0, vers[i].ok, "python %s has venv: %d (%s)",
			       vers[i].v, vers[i].ok, err.s);
			if (vers[i].ok)
				is_int(f.gitignore, vers[i].gitignore, "python %s: .gitignore %d", vers[i].v,
				       vers[i].gitignore);
			json_decref(a);
		}
	}
	a = json_pack("{s:i, s:s}", "wbgen_query", 1, "executable", "/x");
	buf_reset(&err);
	ok(venv_facts_from_answer(a, &f, &err) == -1 && err.len, "an answer without venv facts is refused (old cache)");
	json_decref(a);

	a = answer("/opt/py/bin/python3", "lib/python3.11/site-packages", 1);
	if (venv_facts_from_answer(a, &f, &err) == 0) {
		venv_cfg_text(&f, "/work/env", &cfg);
		is_str(cfg.s,
		       "home = /opt/py/bin\n"
		       "include-system-site-packages = false\n"
		       "version = 3.11.7\n"
		       "executable = /opt/py/bin/python3.11\n"
		       "command = /opt/py/bin/python3 -m venv --without-pip /work/env\n",
		       "pyvenv.cfg as CPython 3.11's venv writes it");
	}
	json_decref(a);
	{
		/* the wheel store's key: the same for the same layout, another for another */
		struct buf k1 = BUF_INIT, k2 = BUF_INIT, k3 = BUF_INIT;

		a = answer("/opt/py/bin/python3", "lib/python3.11/site-packages", 1);
		if (venv_facts_from_answer(a, &f, &err) == 0)
			venv_layout_key(&f, &k1);
		json_decref(a);
		a = answer("/usr/bin/python3", "lib/python3.11/site-packages", 1);
		if (venv_facts_from_answer(a, &f, &err) == 0)
			venv_layout_key(&f, &k2);
		json_decref(a);
		a = answer("/usr/bin/python3", "lib/python3.11/dist-packages", 1);
		if (venv_facts_from_answer(a, &f, &err) == 0)
			venv_layout_key(&f, &k3);
		json_decref(a);
		ok(k1.len == strlen("python-3.11-") + 12 && starts_with(k1.s, "python-3.11-"), "store key '%s'", k1.s);
		is_str(k2.s, k1.s, "store key: another interpreter of the same layout shares it");
		ok(strcmp(k3.s, k1.s) != 0, "store key: another layout has another (%s)", k3.s);
		buf_release(&k1);
		buf_release(&k2);
		buf_release(&k3);
	}
	buf_release(&err);
	buf_release(&cfg);
}

static void check_link(const char *dir, const char *rel, const char *want)
{
	char path[PATH_MAX], got[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	n = readlink(path, got, sizeof(got) - 1);
	got[n < 0 ? 0 : n] = '\0';
	is_str(n < 0 ? NULL : got, want, "symlink %s", rel);
}

static int is_dir(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_create(void)
{
	char tmpl[] = "/tmp/wbgen-venv-test.XXXXXX", *top = mkdtemp(tmpl);
	char dir[PATH_MAX / 2], path[PATH_MAX];
	struct venv_facts f;
	struct buf err = BUF_INIT, cfg = BUF_INIT, want = BUF_INIT;
	json_t *a;

	if (!top)
		BUG("mkdtemp");
	snprintf(dir, sizeof(dir), "%s/sub/env", top);
	a = answer("/opt/py/bin/python3", "lib/python3.11/site-packages", 1);
	ok(venv_facts_from_answer(a, &f, &err) == 0, "facts");
	ok(venv_create(&f, dir, &err) == 0, "venv_create in a missing parent (%s)", err.s);
	check_link(dir, "bin/python3", "/opt/py/bin/python3");
	check_link(dir, "bin/python", "python3");
	check_link(dir, "bin/python3.11", "python3");
	check_link(dir, "lib64", "lib");
	ok(is_dir(dir, "lib/python3.11/site-packages"), "site-packages exists");
	ok(is_dir(dir, "include/python3.11"), "include/python3.11 exists");
	snprintf(path, sizeof(path), "%s/pyvenv.cfg", dir);
	ok(buf_read_file(&cfg, path) == 0, "pyvenv.cfg readable");
	venv_cfg_text(&f, dir, &want);
	is_str(cfg.s, want.s, "pyvenv.cfg names the absolute directory");
	buf_reset(&err);
	ok(venv_create(&f, dir, &err) == -1 && strstr(err.s, "already exists"), "an existing DIR is refused: %s",
	   err.s);
	snprintf(path, sizeof(path), "%s/sub", top);
	buf_reset(&err);
	ok(venv_create(&f, path, &err) == -1, "an existing parent directory is refused too");
	json_decref(a);

	/* the exename is python3.11: the other names point at it, no lib64 */
	snprintf(dir, sizeof(dir), "%s/env2", top);
	a = answer("/opt/py/bin/python3.11", "lib/python3.11/site-packages", 0);
	buf_reset(&err);
	ok(venv_facts_from_answer(a, &f, &err) == 0 && venv_create(&f, dir, &err) == 0, "venv_create env2 (%s)",
	   err.s);
	check_link(dir, "bin/python3.11", "/opt/py/bin/python3.11");
	check_link(dir, "bin/python", "python3.11");
	check_link(dir, "bin/python3", "python3.11");
	snprintf(path, sizeof(path), "%s/lib64", dir);
	ok(!path_exists(path), "no lib64 when the interpreter says so");
	json_decref(a);

	snprintf(path, sizeof(path), "rm -rf '%s'", top);
	if (system(path) != 0)
		diag("cannot remove %s", top);
	buf_release(&err);
	buf_release(&cfg);
	buf_release(&want);
}

int main(void)
{
	plan_no_plan();
	test_facts();
	test_create();
	return done_testing();
}
