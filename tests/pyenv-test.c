/* pyenv-test.c: finding the interpreter, running the query, its errors, and the answer cache
 * (with the real /usr/bin/python3). */
#include "config.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "pyenv.h"
#include "tap.h"

#define PYTHON "/usr/bin/python3"

static char tmpdir[] = "/tmp/wbgen-pyenv-test.XXXXXX";

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0 || chmod(path, mode) != 0)
		die("cannot write '%s':", path);
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void copy_file(const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	int fd;

	if (buf_read_file(&b, from) != 0)
		die("cannot read '%s':", from);
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, b.s, b.len) != (ssize_t)b.len || close(fd) != 0)
		die("cannot write '%s':", to);
	buf_release(&b);
}

static void test_find(void)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	char *plain = tmp_path("plain");
	char *missing = tmp_path("missing");
	int r;

	r = pyenv_find("sh", &out, &err);
	ok(r == 0 && ends_with(out.s, "/sh"), "sh found on PATH: %s", out.s);
	buf_reset(&out);
	r = pyenv_find("wbgen-no-such-python", &out, &err);
	ok(r < 0 && strstr(err.s, "'wbgen-no-such-python' not found on PATH"), "missing name: %s", err.s);
	buf_reset(&err);
	write_file(plain, "x", 0644);
	r = pyenv_find(plain, &out, &err);
	ok(r < 0 && strstr(err.s, "is not an executable file"), "not executable: %s", err.s);
	buf_reset(&err);
	r = pyenv_find(missing, &out, &err);
	ok(r < 0 && strstr(err.s, "not found"), "missing path: %s", err.s);
	buf_reset(&err);
	r = pyenv_find(tmpdir, &out, &err);
	ok(r < 0 && strstr(err.s, "is not an executable file"), "a directory: %s", err.s);
	free(plain);
	free(missing);
	buf_release(&out);
	buf_release(&err);
}

static void test_failures(void)
{
	static const struct {
		const char *script, *want;
	} t[] = {
		{ "#!/bin/sh\nexit 3\n", "failed (exit status 3)" },
		{ "#!/bin/sh\necho first >&2; echo 'boom: it broke' >&2; exit 1\n", "failed (exit status 1): boom: it broke" },
		{ "#!/bin/sh\nkill -9 $$\n", "killed by signal 9" },
		{ "#!/bin/sh\necho not json\n", "bad output" },
		{ "#!/bin/sh\necho '{\"wbgen_query\": 2}'\n", "bad output" },
		{ "#!/bin/sh\necho '{\"wbgen_query\": 1, \"markers\": {}}'\n", "bad output" },
	};
	char *path = tmp_path("fake-python");
	struct buf err = BUF_INIT;
	struct pyenv pe;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int r;

		write_file(path, t[i].script, 0755);
		buf_reset(&err);
		r = pyenv_load(&pe, path, tmpdir, &err);
		ok(r < 0 && strstr(err.s, t[i].want) && strstr(err.s, path) &&
			   !strchr(err.s, '\n'),
		   "fake interpreter %zu: %s", i, err.s);
		ok(pe.executable == NULL && pe.tags.nr == 0, "fake interpreter %zu: nothing left in pyenv", i);
	}
	free(path);
	buf_release(&err);
}

static char *dump(const struct pyenv *pe)
{
	json_t *j = pyenv_to_json(pe);
	char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);

	json_decref(j);
	return s;
}

static void test_real(void)
{
	char *cache = tmp_path("cache/sub"), *copy = tmp_path("python3-copy"), *link = tmp_path("python3-link");
	char *real = realpath(PYTHON, NULL);
	struct buf err = BUF_INIT, file = BUF_INIT, file2 = BUF_INIT;
	struct pyenv pe, pe2;
	char *first, *second;
	struct timeval tv[2];
	size_t i;

	if (!ok(pyenv_load(&pe, PYTHON, NULL, &err) == 0, "query %s", PYTHON)) {
		diag("%s", err.s);
		return;
	}
	ok(!pe.from_cache, "no cache: asked the interpreter");
	is_str(pe.executable, PYTHON, "executable as given");
	is_str(pe.target, real, "target: its real path");
	ok(pe.note == NULL, "no note");
	is_str(pe.version, pe.markers.values[MV_PYTHON_FULL_VERSION], "version is python_full_version");
	ok(starts_with(pe.version, "3."), "version %s", pe.version);
	for (i = 0; i < MV__COUNT; i++)
		ok(pe.markers.values[i] != NULL, "marker %s = '%s'", marker_var_name(i),
		   pe.markers.values[i] ? pe.markers.values[i] : "(null)");
	is_str(pe.markers.values[MV_IMPLEMENTATION_NAME], "cpython", "implementation_name");
	ok(pe.tags.nr > 100, "%zu tags", pe.tags.nr);
	ok(tag_list_rank(&pe.tags, "py3-none-any") > 0, "py3-none-any supported");
	ok(tag_list_rank(&pe.tags, "py3-none-any") > tag_list_rank(&pe.tags, "py3-none-linux_x86_64") ||
		   tag_list_rank(&pe.tags, "py3-none-linux_x86_64") < 0,
	   "a platform tag is preferred to 'any'");
	first = dump(&pe);

	/* the answer survives a JSON round trip through pyenv_from_answer */
	pyenv_init(&pe2);
	ok(pyenv_from_answer(&pe2, pe.answer, &err) == 0, "answer reloaded");
	pe2.executable = xstrdup(pe.executable);
	pe2.target = xstrdup(pe.target);
	second = dump(&pe2);
	is_str(second, first, "reloaded answer describes the same interpreter");
	free(second);
	pyenv_release(&pe2);
	pyenv_release(&pe);

	/* cache: miss, then hit; the cache file is where pyenv_cache_path says */
	ok(pyenv_load(&pe, PYTHON, cache, &err) == 0 && !pe.from_cache, "first cached load asks the interpreter");
	pyenv_release(&pe);
	if (pyenv_cache_path(cache, PYTHON, &file, &err) != 0)
		BUG("%s", err.s);
	ok(access(file.s, R_OK) == 0, "cache file %s", file.s);
	is_int(count_files(cache), 1, "one file in the cache (no temporary left)");
	ok(pyenv_load(&pe, PYTHON, cache, &err) == 0 && pe.from_cache, "second load comes from the cache");
	second = dump(&pe);
	is_str(second, first, "cached answer describes the same interpreter");
	free(second);
	pyenv_release(&pe);

	/* same real path, same cache file */
	if (symlink(PYTHON, link) != 0)
		die("symlink:");
	ok(pyenv_cache_path(cache, link, &file2, &err) == 0, "cache path of a symlink");
	is_str(file2.s, file.s, "a symlink shares its target's cache file");
	buf_reset(&file2);

	/* an answer cached by an older query (version 2, no "target"): asked again */
	{
		json_t *doc = json_load_file(file.s, 0, NULL);

		json_object_set_new(json_object_get(doc, "key"), "query_version", json_integer(2));
		json_object_del(json_object_get(doc, "answer"), "target");
		if (!doc || json_dump_file(doc, file.s, 0) != 0)
			BUG("cannot rewrite '%s'", file.s);
		json_decref(doc);
	}
	ok(pyenv_load(&pe, PYTHON, cache, &err) == 0 && !pe.from_cache, "an older query's answer is not used");
	is_str(pe.target, real, "... the new answer names the target");
	pyenv_release(&pe);
	ok(pyenv_load(&pe, PYTHON, cache, &err) == 0 && pe.from_cache && json_object_get(pe.answer, "target"),
	   "... and replaced the old one");
	pyenv_release(&pe);

	/* corrupt cache file: asked again and rewritten */
	write_file(file.s, "{ not json", 0644);
	ok(pyenv_load(&pe, PYTHON, cache, &err) == 0 && !pe.from_cache, "corrupt cache entry ignored");
	pyenv_release(&pe);
	ok(pyenv_load(&pe, PYTHON, cache, &err) == 0 && pe.from_cache, "and rewritten");
	pyenv_release(&pe);

	/* a copy of the interpreter: its own entry, invalidated when its mtime changes */
	copy_file(PYTHON, copy);
	ok(pyenv_cache_path(cache, copy, &file2, &err) == 0 && strcmp(file2.s, file.s) != 0,
	   "a copy has its own cache file");
	ok(pyenv_load(&pe, copy, cache, &err) == 0 && !pe.from_cache, "copy: asked");
	pyenv_release(&pe);
	ok(pyenv_load(&pe, copy, cache, &err) == 0 && pe.from_cache, "copy: cached");
	pyenv_release(&pe);
	tv[0].tv_sec = tv[1].tv_sec = 1000000000;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	if (utimes(copy, tv) != 0)
		die("utimes:");
	ok(pyenv_load(&pe, copy, cache, &err) == 0 && !pe.from_cache, "copy with a new mtime: asked again");
	pyenv_release(&pe);
	is_int(count_files(cache), 2, "two files in the cache");

	/* "#!" wrappers are never cached */
	{
		char *wrapper = tmp_path("wrapper"), *text = xasprintf("#!/bin/sh\nexec %s \"$@\"\n", PYTHON);

		write_file(wrapper, text, 0755);
		ok(pyenv_load(&pe, wrapper, cache, &err) == 0 && !pe.from_cache, "wrapper: asked");
		is_str(pe.executable, wrapper, "wrapper: given");
		is_str(pe.target, real, "wrapper: the target is the interpreter it runs");
		ok(pe.note == NULL, "wrapper: no note");
		pyenv_release(&pe);
		ok(pyenv_load(&pe, wrapper, cache, &err) == 0 && !pe.from_cache, "wrapper: asked again");
		pyenv_release(&pe);
		is_int(count_files(cache), 2, "wrapper answers not cached (its target's is)");
		free(wrapper);
		free(text);
	}
	if (err.len)
		diag("last error: %s", err.s);
	free(first);
	free(cache);
	free(copy);
	free(link);
	free(real);
	buf_release(&err);
	buf_release(&file);
	buf_release(&file2);
}

/* A wrapper whose answer names another target (sed over the real answer): when that target is not
 * usable on its own, the wrapper itself is the target, with a note. */
static void test_target_fallback(void)
{
	static const struct {
		const char *target, *note;
	} t[] = {
		{ "null", "names no executable of its own" },
		{ "\"\"", "names no executable of its own" },
		{ "\"relative/python\"", "which is not an executable file" },
		{ "\"@/missing\"", "which is not an executable file" },
		{ "\"@/failing\"", "which does not run on its own (python interpreter '@/failing' failed (exit status 3))" },
		{ "\"@/other\"", "whose marker environment or tags differ when run on its own" },
		{ "\"@/good\"", NULL },
	};
	char *wrapper = tmp_path("fallback"), *failing = tmp_path("failing"), *other = tmp_path("other");
	char *good = tmp_path("good"), *text;
	struct buf err = BUF_INIT, want = BUF_INIT, tgt = BUF_INIT;
	struct pyenv pe;
	size_t i;

	write_file(failing, "#!/bin/sh\nexit 3\n", 0755);
	text = xasprintf("#!/bin/sh\n%s \"$@\" | sed 's/\"os_name\": \"posix\"/\"os_name\": \"other\"/'\n", PYTHON);
	write_file(other, text, 0755);
	free(text);
	text = xasprintf("#!/bin/sh\nexec %s \"$@\"\n", PYTHON);
	write_file(good, text, 0755);
	free(text);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		const char *p;

		buf_reset(&tgt);
		for (p = t[i].target; *p; p++)
			if (*p == '@')
				buf_adds(&tgt, tmpdir);
			else
				buf_addch(&tgt, *p);
		text = xasprintf("#!/bin/sh\n%s \"$@\" | sed 's|\"target\": \"[^\"]*\"|\"target\": %s|'\n", PYTHON,
				 tgt.s);
		write_file(wrapper, text, 0755);
		free(text);
		buf_reset(&err);
		if (!ok(pyenv_load(&pe, wrapper, tmpdir, &err) == 0, "target %s: loaded", tgt.s)) {
			diag("%s", err.s);
			continue;
		}
		if (!t[i].note) {
			is_str(pe.target, good, "target %s: used", tgt.s);
			ok(pe.note == NULL, "target %s: no note", tgt.s);
		} else {
			buf_reset(&want);
			for (p = t[i].note; *p; p++)
				if (*p == '@')
					buf_adds(&want, tmpdir);
				else
					buf_addch(&want, *p);
			is_str(pe.target, wrapper, "target %s: the wrapper is used", tgt.s);
			ok(pe.note && strstr(pe.note, want.s) && strstr(pe.note, wrapper), "target %s: note '%s'",
			   tgt.s, pe.note ? pe.note : "(null)");
		}
		pyenv_release(&pe);
	}
	free(wrapper);
	free(failing);
	free(other);
	free(good);
	buf_release(&err);
	buf_release(&want);
	buf_release(&tgt);
}

static void test_default_cache_dir(void)
{
	struct buf b = BUF_INIT;
	char *xdg = getenv("XDG_CACHE_HOME") ? xstrdup(getenv("XDG_CACHE_HOME")) : NULL;
	char *home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;

	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	ok(pyenv_default_cache_dir(&b) == 0, "XDG_CACHE_HOME set");
	is_str(b.s, "/x/cache/wbgen", "cache dir from XDG_CACHE_HOME");
	buf_reset(&b);
	setenv("XDG_CACHE_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	ok(pyenv_default_cache_dir(&b) == 0, "relative XDG_CACHE_HOME ignored");
	is_str(b.s, "/home/u/.cache/wbgen", "cache dir from HOME");
	buf_reset(&b);
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	ok(pyenv_default_cache_dir(&b) < 0, "no cache dir without HOME");
	if (xdg)
		setenv("XDG_CACHE_HOME", xdg, 1);
	if (home)
		setenv("HOME", home, 1);
	free(xdg);
	free(home);
	buf_release(&b);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int main(void)
{
	int ret;

	if (access(PYTHON, X_OK) != 0)
		skip_all(PYTHON " not available");
	if (!mkdtemp(tmpdir))
		die("mkdtemp:");
	plan_no_plan();
	test_find();
	test_failures();
	test_real();
	test_target_fallback();
	test_default_cache_dir();
	ret = done_testing();
	if (nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		diag("cannot remove %s", tmpdir);
	return ret;
}
