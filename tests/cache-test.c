/* cache-test.c: the build cache's keys (which pkg.json changes change the key text, and which do
 * not), the interpreter's identity, and entries stored, looked up, refused when damaged, discarded,
 * scanned and pruned in a temporary directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "fixture.h"
#include "fsutil.h"
#include "tap.h"

static const char base[] =
	"{\"wbgen_pkg\": 1, \"name\": \"colors\", \"version\": \"1.2\","
	" \"sdist\": \"sdists-repo/downloads/colors-1.2.tar.gz\", \"sdist_sha256\": \"%s\","
	" \"python\": \"%s\", \"build_backend\": \"setuptools.build_meta\", \"backend_path\": [],"
	" \"install_requires\": [], \"settings\": %s,"
	" \"patches\": [%s], \"config_settings\": {}, \"env\": [%s], \"build_dir\": null, \"build_tag\": 0,"
	" \"exclusive_build\": %s, \"cpu_cores_per_job\": %s, \"memory_per_job_gb\": 1.0}";

/* A pkg.json: its sdist digest, interpreter path, settings, patches, env, exclusive_build, cores. */
struct pkg {
	const char *sdist, *python, *settings, *patches, *env, *exclusive, *cores;
};

static const struct pkg ref = { "aa", "/usr/bin/python3.11", "null",
				"{\"path\": \"/src/p/colors/01.patch\", \"sha256\": \"p1\"}", "", "false", "1" };

static void key_text(const struct pkg *k, const char *python, const char *const *env, struct buf *out)
{
	struct strlist l = STRLIST_INIT;
	struct buf text = BUF_INIT, err = BUF_INIT;
	json_t *v;

	buf_addf(&text, base, k->sdist, k->python, k->settings, k->patches, k->env, k->exclusive, k->cores);
	v = json_loads(text.s, 0, NULL);
	if (!v)
		BUG("bad fixture JSON: %s", text.s);
	for (; env && *env; env++)
		strlist_add(&l, *env);
	if (cache_key_text(v, "1 pep517_hook.py h", python, &l, out, &err) < 0)
		BUG("cache_key_text: %s", err.s);
	json_decref(v);
	strlist_release(&l);
	buf_release(&text);
	buf_release(&err);
}

/* ref with one field changed: 's'dist, 'p'ython, se't'tings, pa't'ches, 'e'nv, e'x'clusive, 'c'ores */
static struct pkg changed(char field, const char *value)
{
	struct pkg k = ref;

	switch (field) {
	case 's': k.sdist = value; break;
	case 'p': k.python = value; break;
	case 't': k.settings = value; break;
	case 'a': k.patches = value; break;
	case 'e': k.env = value; break;
	case 'x': k.exclusive = value; break;
	case 'c': k.cores = value; break;
	}
	return k;
}

static void test_keys(void)
{
	static const char *const env1[] = { "setuptools 66.1.1 k1", "wheel 0.38.4 k2", NULL };
	static const char *const env1r[] = { "wheel 0.38.4 k2", "setuptools 66.1.1 k1", NULL };
	static const char *const env2[] = { "setuptools 66.1.1 k1", "wheel 0.38.4 k3", NULL };
	/* each row: ref with field set to value (field 0: none), the interpreter's identity, the
	 * environment's keys; same: the key must stay */
	static const struct {
		const char *what;
		char field;
		const char *value, *python;
		const char *const *env;
		int same;
	} t[] = {
		{ "the same inputs", 0, NULL, "py", env1, 1 },
		{ "the env in another order", 0, NULL, "py", env1r, 1 },
		{ "the interpreter at another path, the same identity", 'p', "/opt/py/bin/python3.11", "py", env1, 1 },
		{ "the patch in another directory", 'a', "{\"path\": \"/other/colors/01.patch\", \"sha256\": \"p1\"}",
		  "py", env1, 1 },
		{ "exclusive_build (scheduling)", 'x', "true", "py", env1, 1 },
		{ "cpu_cores_per_job (scheduling)", 'c', "8", "py", env1, 1 },
		{ "another sdist", 's', "ab", "py", env1, 0 },
		{ "a patch changed", 'a', "{\"path\": \"/src/p/colors/01.patch\", \"sha256\": \"p2\"}", "py", env1, 0 },
		{ "a patch added", 'a', "{\"path\": \"/src/p/colors/01.patch\", \"sha256\": \"p1\"}, "
					"{\"path\": \"/src/p/colors/02.patch\", \"sha256\": \"p3\"}", "py", env1, 0 },
		{ "an env setting", 'e', "[\"A\", \"1\"]", "py", env1, 0 },
		{ "the settings", 't', "{\"changelog\": [\"x\"]}", "py", env1, 0 },
		{ "another interpreter", 0, NULL, "py2", env1, 0 },
		{ "a build dependency's key", 0, NULL, "py", env2, 0 },
		{ "no build dependency", 0, NULL, "py", NULL, 0 },
	};
	struct buf want = BUF_INIT, got = BUF_INIT, k1 = BUF_INIT, k2 = BUF_INIT;
	size_t i;

	key_text(&ref, "py", env1, &want);
	ok(starts_with(want.s, "wbgen-build-cache 1\nmachinery 1 pep517_hook.py h\nname colors\nversion 1.2\n"
			       "sdist aa\npatch 01.patch p1\nsettings "),
	   "the key text's lines, in order");
	ok(ends_with(want.s, "\npython py\nenv setuptools 66.1.1 k1\nenv wheel 0.38.4 k2\n"),
	   "... the interpreter, then the environment's keys sorted by name");
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct pkg k = changed(t[i].field, t[i].value);

		buf_setlen(&got, 0);
		buf_setlen(&k1, 0);
		buf_setlen(&k2, 0);
		key_text(&k, t[i].python, t[i].env, &got);
		cache_key_of(want.s, &k1);
		cache_key_of(got.s, &k2);
		is_int(strcmp(k1.s, k2.s) == 0, t[i].same, "%s: %s key", t[i].what, t[i].same ? "the same" : "another");
		is_int(strcmp(got.s, want.s) == 0, t[i].same, "... %s key text", t[i].same ? "the same" : "another");
	}
	buf_release(&want);
	buf_release(&got);
	buf_release(&k1);
	buf_release(&k2);
}

static void test_identity(void)
{
	char *tags[] = { "cp311-cp311-manylinux_2_36_x86_64", "cp311-abi3-manylinux_2_36_x86_64", "py3-none-any" };
	struct buf a = BUF_INIT, b = BUF_INIT;

	cache_python_identity("cpython", "3.11.2", tags, 3, &a);
	ok(starts_with(a.s, "cpython 3.11.2 cp311 cp311-cp311-manylinux_2_36_x86_64 tags:") &&
	   a.len == strlen("cpython 3.11.2 cp311 cp311-cp311-manylinux_2_36_x86_64 tags:") + 64,
	   "identity: implementation, version, ABI, first tag, digest of the tags (%s)", a.s);
	cache_python_identity("cpython", "3.11.2", tags, 2, &b);
	ok(strcmp(a.s, b.s) != 0, "... a tag less: another identity");
	buf_release(&a);
	buf_release(&b);
}

static int count(const char *key, const char *json, long long mtime, void *data)
{
	(void)key;
	(void)json;
	(void)mtime;
	(*(int *)data)++;
	return 0;
}

static void test_store(void)
{
	char *dir = fixture_tmpdir("cache"), *wheel = xasprintf("%s/colors-1.2-py3-none-any.whl", dir);
	char *c = xasprintf("%s/c", dir), *path, *json;
	const char *key = "5c2e8f0b6b6bfa0a1e0c6e2b8f6f3c1d9a7b5e3c1f0d2e4a6b8c0d1e2f3a4b5c";
	struct cache_entry e, got;
	struct buf err = BUF_INIT;
	int n = 0;

	fixture_write(wheel, "not really a wheel, but bytes");
	cache_entry_init(&e);
	e.key = xstrdup(key);
	e.name = xstrdup("colors");
	e.version = xstrdup("1.2");
	e.key_text = xstrdup("wbgen-build-cache 1\n");
	is_int(cache_lookup(c, key, &got, &err), 0, "lookup in an empty cache: a miss");
	is_int(cache_store(c, wheel, &e, &err), 1, "store: stored (%s)", err.s ? err.s : "");
	is_int(cache_store(c, wheel, &e, &err), 0, "store again: there already");
	is_int(cache_lookup(c, key, &got, &err), 1, "lookup: a hit");
	is_str(got.wheel, "colors-1.2-py3-none-any.whl", "... its wheel");
	is_str(got.sha256, e.sha256, "... its sha256");
	is_int((long long)got.size, 29, "... its size");
	cache_entry_release(&got);
	is_int(cache_scan(c, count, &n), 0, "scan");
	is_int(n, 1, "... one entry");

	path = cache_wheel_path(c, key, "colors-1.2-py3-none-any.whl");
	fixture_write(path, "not really a wheel, but BYTES");
	buf_setlen(&err, 0);
	is_int(cache_lookup(c, key, &got, &err), -1, "a byte changed: damaged");
	ok(strstr(err.s, "sha256") != NULL, "... says so (%s)", err.s);
	fixture_write(path, "short");
	buf_setlen(&err, 0);
	is_int(cache_lookup(c, key, &got, &err), -1, "truncated: damaged");
	ok(strstr(err.s, "truncated") != NULL, "... says so (%s)", err.s);
	unlink(path);
	buf_setlen(&err, 0);
	is_int(cache_lookup(c, key, &got, &err), -1, "the wheel missing: damaged");
	json = cache_entry_path(c, key);
	fixture_write(json, "{\"key\":");
	buf_setlen(&err, 0);
	is_int(cache_lookup(c, key, &got, &err), -1, "bad JSON: damaged");
	ok(strstr(err.s, "bad JSON") != NULL, "... says so (%s)", err.s);
	is_int(cache_discard(c, key), 0, "discard");
	ok(!path_exists(json), "... the entry is gone");
	is_int(cache_store(c, wheel, &e, &err), 1, "stored again");
	fixture_write(path, "not really a wheel, but BYTES");
	is_int(cache_store(c, wheel, &e, &err), 0, "... a store of the same key is a no-op once the JSON is there");

	/* a writer killed between the wheel and the JSON: an orphan, which prune removes when old */
	cache_discard(c, key);
	mkdir_parents(path);
	fixture_write(path, "not really a wheel, but bytes");
	is_int(cache_lookup(c, key, &got, &err), 0, "a wheel without its JSON: a miss");
	is_int((long long)cache_remove_stale(c, 3600), 0, "... a young orphan stays");
	is_int((long long)cache_remove_stale(c, 0), 1, "... an old one goes");
	free(path);
	free(json);
	cache_entry_release(&e);
	buf_release(&err);
	fixture_rmtree(dir);
	free(dir);
	free(wheel);
	free(c);
}

int main(void)
{
	plan_no_plan();
	ok(cache_is_url("https://h/c/") && cache_is_url("file:///c") && !cache_is_url("/srv/cache"),
	   "URLs and directories");
	test_keys();
	test_identity();
	test_store();
	return done_testing();
}
