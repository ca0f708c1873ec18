/* cache.c: the shared build cache: keys, entries, storing and checking (see cache.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "fsutil.h"
#include "sha256.h"
#include "util.h"

#define LAYOUT "v1"

/* pkg.json keys left out of the key's "settings" line: what the "name", "version", "sdist",
 * "patch" and "python" lines say otherwise (paths differ between trees, digests do not), and the
 * pure scheduling fields (how many jobs, an exclusive build: the same wheel either way). */
static const char *const not_build_side[] = {
	"name", "version", "sdist", "sdist_sha256", "python", "patches",
	"exclusive_build", "cpu_cores_per_job", "memory_per_job_gb",
	"pre_built", "wheel", "wheel_sha256", NULL
};

void cache_entry_init(struct cache_entry *e)
{
	memset(e, 0, sizeof(*e));
}

void cache_entry_release(struct cache_entry *e)
{
	free(e->key);
	free(e->name);
	free(e->version);
	free(e->wheel);
	free(e->sha256);
	free(e->key_text);
	cache_entry_init(e);
}

int cache_is_url(const char *where)
{
	return starts_with(where, "http://") || starts_with(where, "https://") || starts_with(where, "file://");
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int cache_key_text(json_t *pkg, const char *machinery, const char *python, const struct strlist *env,
		   struct buf *out, struct buf *err)
{
	const char *name = str(pkg, "name"), *version = str(pkg, "version"), *sdist = str(pkg, "sdist_sha256");
	json_t *side, *patches = json_object_get(pkg, "patches"), *p;
	struct strlist sorted = STRLIST_INIT;
	struct buf h = BUF_INIT;
	char *text;
	size_t i;

	if (!name || !version || !sdist) {
		buf_adds(err, "pkg.json has no name, version or sdist_sha256");
		return -1;
	}
	buf_addf(out, "wbgen-build-cache 1\nmachinery %s\nname %s\nversion %s\nsdist %s\n", machinery, name, version,
		 sdist);
	json_array_foreach(patches, i, p) {
		const char *path = str(p, "path"), *sha = str(p, "sha256"), *base;

		if (!path || !sha) {
			buf_adds(err, "pkg.json: a patch without path or sha256");
			return -1;
		}
		base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		buf_addf(out, "patch %s %s\n", base, sha);
	}
	side = json_deep_copy(pkg);
	for (i = 0; not_build_side[i]; i++)
		json_object_del(side, not_build_side[i]);
	text = json_dumps(side, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	json_decref(side);
	if (!text)
		xalloc_die("out of memory");
	cache_key_of(text, &h);
	free(text);
	buf_addf(out, "settings %s\npython %s\n", h.s, python);
	for (i = 0; i < env->n; i++)
		strlist_add(&sorted, env->v[i]);
	strlist_sort(&sorted);
	for (i = 0; i < sorted.n; i++)
		buf_addf(out, "env %s\n", sorted.v[i]);
	strlist_release(&sorted);
	buf_release(&h);
	return 0;
}

void cache_key_of(const char *text, struct buf *out)
{
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_SIZE];

	sha256_init(&c);
	sha256_update(&c, text, strlen(text));
	sha256_final(&c, d);
	sha256_hex(d, out);
}

void cache_python_identity(const char *impl, const char *version, char *const *tags, size_t ntags,
			   struct buf *out)
{
	struct buf all = BUF_INIT;
	const char *first = ntags ? tags[0] : "none-none-none", *abi = strchr(first, '-');
	size_t i;

	for (i = 0; i < ntags; i++)
		buf_addf(&all, "%s\n", tags[i]);
	buf_addf(out, "%s %s %.*s %s tags:", impl, version, abi ? (int)strcspn(abi + 1, "-") : 4,
		 abi ? abi + 1 : "none", first);
	cache_key_of(all.s ? all.s : "", out);
	buf_release(&all);
}

char *cache_entry_path(const char *dir, const char *key)
{
	return xasprintf("%s/" LAYOUT "/%.2s/%s.json", dir, key, key);
}

char *cache_wheel_path(const char *dir, const char *key, const char *wheel)
{
	return xasprintf("%s/" LAYOUT "/%.2s/%s/%s", dir, key, key, wheel);
}

int cache_entry_parse(const char *data, size_t len, struct cache_entry *e, struct buf *err)
{
	json_error_t je;
	json_t *v = json_loadb(data, len, 0, &je);
	const char *key = str(v, "key"), *wheel = str(v, "wheel"), *sha = str(v, "sha256");
	json_t *size = json_object_get(v, "size"), *created = json_object_get(v, "created");

	if (!v) {
		buf_addf(err, "bad JSON (%s)", je.text);
		return -1;
	}
	if (!key || !wheel || !sha || !str(v, "name") || !str(v, "version") || !json_is_integer(size) ||
	    json_integer_value(size) < 0 || (created && !json_is_integer(created)) || !sha256_hex_valid(sha) ||
	    !*wheel || strchr(wheel, '/') || wheel[0] == '.') {
		buf_adds(err, "bad JSON (a field is missing or wrong)");
		json_decref(v);
		return -1;
	}
	e->key = xstrdup(key);
	e->name = xstrdup(str(v, "name"));
	e->version = xstrdup(str(v, "version"));
	e->wheel = xstrdup(wheel);
	e->sha256 = xstrdup(sha);
	e->key_text = xstrdup(str(v, "key_text") ? str(v, "key_text") : "");
	e->size = (uint64_t)json_integer_value(size);
	e->created = json_integer_value(created);
	json_decref(v);
	return 0;
}

int cache_entry_read(const char *path, struct cache_entry *e, struct buf *err)
{
	struct buf b = BUF_INIT;
	int r;

	if (buf_read_file(&b, path) < 0) {
		buf_addf(err, "cannot read its JSON: %s", strerror(errno));
		buf_release(&b);
		return -1;
	}
	r = cache_entry_parse(b.s, b.len, e, err);
	buf_release(&b);
	return r;
}

void cache_entry_json(const struct cache_entry *e, struct buf *out)
{
	json_t *v = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "wbgen_cache", 1, "key", e->key, "name",
			      e->name, "version", e->version, "wheel", e->wheel, "sha256", e->sha256, "size",
			      (json_int_t)e->size, "created", (json_int_t)e->created, "key_text",
			      e->key_text ? e->key_text : "");
	char *t = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

	if (!t)
		xalloc_die("out of memory");
	buf_addf(out, "%s\n", t);
	free(t);
	json_decref(v);
}

int cache_lookup(const char *dir, const char *key, struct cache_entry *e, struct buf *err)
{
	char *json = cache_entry_path(dir, key), *wheel = NULL;
	struct buf sha = BUF_INIT;
	struct stat st;
	int r = -1;

	cache_entry_init(e);
	if (!path_exists(json)) {
		r = 0;
		goto out;
	}
	if (cache_entry_read(json, e, err) < 0)
		goto out;
	wheel = cache_wheel_path(dir, key, e->wheel);
	if (strcmp(e->key, key) != 0)
		buf_addf(err, "its JSON is for another key (%s)", e->key);
	else if (stat(wheel, &st) < 0)
		buf_addf(err, "its wheel %s is missing", e->wheel);
	else if ((uint64_t)st.st_size != e->size)
		buf_addf(err, "its wheel %s has %lld bytes, not %llu (truncated)", e->wheel, (long long)st.st_size,
			 (unsigned long long)e->size);
	else if (sha256_file_hex(wheel, &sha) < 0)
		buf_addf(err, "cannot read its wheel %s: %s", e->wheel, strerror(errno));
	else if (strcmp(sha.s, e->sha256) != 0)
		buf_addf(err, "its wheel %s does not have the sha256 of its record", e->wheel);
	else
		r = 1;
out:
	if (r < 0)
		cache_entry_release(e);
	free(json);
	free(wheel);
	buf_release(&sha);
	return r;
}

/* DIR/v1/tmp/KEY.HOST.PID.SUFFIX: a writer's temporary (or what it moved aside). */
static char *temp_path(const char *dir, const char *key, const char *suffix)
{
	char host[64] = "host";

	if (gethostname(host, sizeof(host) - 1) < 0 || strchr(host, '/'))
		snprintf(host, sizeof(host), "host");
	host[sizeof(host) - 1] = '\0';
	return xasprintf("%s/" LAYOUT "/tmp/%s.%s.%ld.%s", dir, key, host, (long)getpid(), suffix);
}

int cache_discard(const char *dir, const char *key)
{
	char *json = cache_entry_path(dir, key), *wdir = xasprintf("%s/" LAYOUT "/%.2s/%s", dir, key, key);
	char *aside = temp_path(dir, key, "damaged.json"), *wside = temp_path(dir, key, "damaged");
	int r = 0;

	if (mkdir_parents(aside) < 0 || (rename(json, aside) < 0 && errno != ENOENT))
		r = -1;
	else if (unlink(aside) < 0 && errno != ENOENT)
		r = -1;
	if (rename(wdir, wside) == 0)
		remove_tree(wside);
	else if (errno != ENOENT)
		r = -1;
	free(json);
	free(wdir);
	free(aside);
	free(wside);
	return r;
}

int cache_copy(const char *src, const char *dst, int sync, struct buf *sha, struct buf *err)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", dst), data[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1;
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_SIZE];
	ssize_t n;

	if (in < 0) {
		buf_addf(err, "cannot open '%s': %s", src, strerror(errno));
		goto fail;
	}
	if (mkdir_parents(dst) < 0 || (out = mkstemp(tmp)) < 0) {
		buf_addf(err, "cannot create a file beside '%s': %s", dst, strerror(errno));
		goto fail;
	}
	sha256_init(&c);
	while ((n = read(in, data, sizeof(data))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_addf(err, "cannot read '%s': %s", src, strerror(errno));
			goto fail;
		}
		sha256_update(&c, data, (size_t)n);
		if (write_all(out, data, (size_t)n) < 0) {
			buf_addf(err, "cannot write '%s': %s", tmp, strerror(errno));
			goto fail;
		}
	}
	if (fchmod(out, 0644) < 0 || (sync && fsync(out) < 0) || close(out) < 0) {
		out = -1;
		buf_addf(err, "cannot write '%s': %s", tmp, strerror(errno));
		goto fail;
	}
	out = -1;
	if (rename(tmp, dst) < 0) {
		buf_addf(err, "cannot rename '%s': %s", tmp, strerror(errno));
		goto fail;
	}
	sha256_final(&c, d);
	sha256_hex(d, sha);
	close(in);
	free(tmp);
	return 0;
fail:
	if (in >= 0)
		close(in);
	if (out >= 0) {
		close(out);
		unlink(tmp);
	}
	free(tmp);
	return -1;
}

/* The test suite's kill while storing (e2e/cache.sh): WBGEN_TEST_CACHE_KILL names the moment. */
static void test_kill(const char *when)
{
	const char *v = getenv("WBGEN_TEST_CACHE_KILL");

	if (v && strcmp(v, when) == 0)
		raise(SIGKILL);
}

/* Link tmp to dst; an existing dst is kept. 1 linked, 0 there already, -1 with errno. */
static int link_new(const char *tmp, const char *dst)
{
	if (link(tmp, dst) == 0)
		return 1;
	return errno == EEXIST ? 0 : -1;
}

int cache_store(const char *dir, const char *path, struct cache_entry *e, struct buf *err)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *tmpw = temp_path(dir, e->key, "whl"), *tmpj = temp_path(dir, e->key, "json");
	char *json = cache_entry_path(dir, e->key), *wheel = NULL;
	struct buf sha = BUF_INIT, other = BUF_INIT, text = BUF_INIT;
	struct stat st;
	int r = -1, placed;

	if (path_exists(json)) {
		r = 0;
		goto out;
	}
	free(e->wheel);
	e->wheel = xstrdup(base);
	wheel = cache_wheel_path(dir, e->key, e->wheel);
	if (cache_copy(path, tmpw, 1, &sha, err) < 0)
		goto out;
	if (stat(tmpw, &st) < 0 || mkdir_parents(wheel) < 0) {
		buf_addf(err, "cannot create the directory of '%s': %s", wheel, strerror(errno));
		goto out;
	}
	free(e->sha256);
	e->sha256 = buf_detach(&sha, NULL);
	e->size = (uint64_t)st.st_size;
	e->created = (long long)time(NULL);
	test_kill("temp");
	placed = link_new(tmpw, wheel);
	if (placed < 0) {
		buf_addf(err, "cannot link '%s': %s", wheel, strerror(errno));
		goto out;
	}
	if (!placed && (sha256_file_hex(wheel, &other) < 0 || strcmp(other.s, e->sha256) != 0)) {
		/* same inputs, other bytes: a build that is not reproducible; the first one stays */
		buf_addf(err, "the cache holds a wheel of other bytes under the same key (%s): the build is not "
			 "reproducible", wheel);
		goto out;
	}
	test_kill("wheel");
	cache_entry_json(e, &text);
	if (write_file(tmpj, text.s, text.len, 0) < 0) {
		buf_addf(err, "cannot write '%s': %s", tmpj, strerror(errno));
		goto out;
	}
	placed = link_new(tmpj, json);
	if (placed < 0) {
		buf_addf(err, "cannot link '%s': %s", json, strerror(errno));
		goto out;
	}
	r = placed;
out:
	unlink(tmpw);
	unlink(tmpj);
	free(tmpw);
	free(tmpj);
	free(json);
	free(wheel);
	buf_release(&sha);
	buf_release(&other);
	buf_release(&text);
	return r;
}

static int is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!s[i] || !strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

/* Call fn for every name in the shard directories TOP/KK/ (KK two hex digits) until it returns
 * non-zero. 0, fn's non-zero, or -1 (errno) when top cannot be read. */
static int each_in_shards(const char *top, int (*fn)(const char *sub, const char *name, void *data), void *data)
{
	DIR *d = opendir(top);
	struct dirent *de;
	int r = 0;

	if (!d)
		return -1;
	while (r == 0 && (de = readdir(d)) != NULL) {
		char *sub;
		DIR *k;
		struct dirent *ke;

		if (strlen(de->d_name) != 2 || !is_hex(de->d_name, 2))
			continue;
		sub = xasprintf("%s/%s", top, de->d_name);
		k = opendir(sub);
		while (k && r == 0 && (ke = readdir(k)) != NULL)
			if (is_hex(ke->d_name, 64))
				r = fn(sub, ke->d_name, data);
		if (k)
			closedir(k);
		free(sub);
	}
	closedir(d);
	return r;
}

struct scan {
	cache_scan_fn *fn;
	void *data;
};

static int scan_one(const char *sub, const char *name, void *data)
{
	struct scan *sc = data;
	char *json, *key;
	struct stat st;
	int r = 0;

	if (strlen(name) != 64 + 5 || !ends_with(name, ".json"))
		return 0;
	json = xasprintf("%s/%s", sub, name);
	key = xstrndup(name, 64);
	if (stat(json, &st) == 0)
		r = sc->fn(key, json, (long long)st.st_mtime, sc->data);
	free(json);
	free(key);
	return r;
}

int cache_scan(const char *dir, cache_scan_fn *fn, void *data)
{
	char *top = xasprintf("%s/" LAYOUT, dir);
	struct scan sc = { fn, data };
	int r = each_in_shards(top, scan_one, &sc);

	free(top);
	return r;
}

/* Remove path (a file or a tree) when it is older than min_age seconds; 1 when removed. */
static int remove_old(const char *path, long long min_age, int tree)
{
	struct stat st;

	if (lstat(path, &st) < 0 || (long long)time(NULL) - (long long)st.st_mtime < min_age)
		return 0;
	return (tree ? remove_tree(path) : unlink(path)) == 0;
}

struct orphans {
	long long min_age;
	unsigned long n;
};

static int orphan_one(const char *sub, const char *name, void *data)
{
	struct orphans *o = data;
	char *p, *json;

	if (strlen(name) != 64)
		return 0;
	p = xasprintf("%s/%s", sub, name);
	json = xasprintf("%s.json", p);
	if (!path_exists(json))
		o->n += (unsigned long)remove_old(p, o->min_age, 1);
	free(p);
	free(json);
	return 0;
}

unsigned long cache_remove_stale(const char *dir, long long min_age)
{
	char *top = xasprintf("%s/" LAYOUT, dir), *tmp = xasprintf("%s/tmp", top);
	unsigned long n = 0;
	DIR *d = opendir(tmp);
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", tmp, de->d_name);
		n += (unsigned long)remove_old(p, min_age, 1);
		free(p);
	}
	if (d)
		closedir(d);
	/* a wheel linked into place whose writer died before the JSON */
	{
		struct orphans o = { min_age, 0 };

		each_in_shards(top, orphan_one, &o);
		n += o.n;
	}
	free(top);
	free(tmp);
	return n;
}
