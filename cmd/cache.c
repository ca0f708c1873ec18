/* cache.c: `wbgen cache`: the shared build cache's entries listed, sized, pruned, verified, and the
 * entries of an HTTP(S) cache fetched for a build (gen/cache.h, docs/makefile.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "cache.h"
#include "cmds.h"
#include "fetch.h"
#include "fsutil.h"
#include "parse_options.h"
#include "sha256.h"
#include "strlist.h"
#include "util.h"

static const char usage[] =
	"usage: wbgen cache list [DIR]\n"
	"       wbgen cache size [DIR]\n"
	"       wbgen cache prune (--older-than DAYS | --max-size SIZE) [DIR]\n"
	"       wbgen cache verify [DIR]\n"
	"       wbgen cache fetch [--keys FILE] URL DIR [KEY...]\n"
	"\n"
	"The shared build cache of `wbgen resolve --build-cache` (docs/makefile.md, \"The build cache\";\n"
	"its layout in docs/file-formats.md). DIR is the cache directory: the argument, else\n"
	"--build-cache, else $WBGEN_BUILD_CACHE.\n"
	"\n"
	"  list    one line per entry: name, version, wheel, size, created (UTC), key\n"
	"  size    the number of entries and their bytes\n"
	"  prune   remove the entries older than DAYS days, or the oldest ones until the cache\n"
	"          holds at most SIZE bytes (K, M, G, T: powers of 1024); also the temporaries of\n"
	"          writers that were killed (an hour old, or DAYS)\n"
	"  verify  hash every entry's wheel again; the damaged ones are named, exit 1\n"
	"  fetch   (the build's) the entries of the keys (and those listed in FILE) from the cache at\n"
	"          URL into the directory DIR, the wheels checked against their entries; credentials\n"
	"          as for indexes (the URL's, or netrc)\n"
	"\n";

struct entry {
	char *key, *json;
	struct cache_entry e;
	int bad;
	char *why;
};

struct entries {
	struct entry *v;
	size_t n, alloc;
	const char *dir;
};

static int collect(const char *key, const char *json, long long mtime, void *data)
{
	struct entries *l = data;
	struct entry *x;
	struct buf err = BUF_INIT;

	GROW(l->v, l->alloc, l->n + 1);
	x = &l->v[l->n++];
	memset(x, 0, sizeof(*x));
	x->key = xstrdup(key);
	x->json = xstrdup(json);
	cache_entry_init(&x->e);
	if (cache_entry_read(json, &x->e, &err) < 0) {
		x->bad = 1;
		x->why = buf_detach(&err, NULL);
		x->e.created = mtime;
	} else if (!x->e.created) {
		x->e.created = mtime;
	}
	buf_release(&err);
	return 0;
}

static void entries_release(struct entries *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].json);
		free(l->v[i].why);
		cache_entry_release(&l->v[i].e);
	}
	free(l->v);
}

static int by_created(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->e.created != y->e.created)
		return x->e.created < y->e.created ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int by_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->e.name ? x->e.name : "", y->e.name ? y->e.name : "");

	if (!c)
		c = strcmp(x->e.version ? x->e.version : "", y->e.version ? y->e.version : "");
	return c ? c : by_created(a, b);
}

/* Every entry of dir; -1 (reported) when dir is no cache. */
static int load(const char *dir, struct entries *l)
{
	memset(l, 0, sizeof(*l));
	l->dir = dir;
	if (cache_scan(dir, collect, l) < 0) {
		if (errno == ENOENT && path_exists(dir))
			return 0; /* an empty cache: nothing stored yet */
		return error("cache: cannot read the cache '%s':", dir);
	}
	return 0;
}

static void when(long long t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, n, "?");
}

static int cache_list(const char *dir)
{
	struct entries l;
	size_t i;

	if (load(dir, &l) < 0)
		return EXIT_FAILURE_USER;
	QSORT(l.v, l.n, by_name);
	for (i = 0; i < l.n; i++) {
		char t[32];

		when(l.v[i].e.created, t, sizeof(t));
		if (l.v[i].bad)
			printf("? ? ? ? %s %s (damaged: %s)\n", t, l.v[i].key, l.v[i].why);
		else
			printf("%s %s %s %llu %s %s\n", l.v[i].e.name, l.v[i].e.version, l.v[i].e.wheel,
			       (unsigned long long)l.v[i].e.size, t, l.v[i].key);
	}
	entries_release(&l);
	return EXIT_OK;
}

static int cache_size(const char *dir)
{
	struct entries l;
	unsigned long long total = 0;
	size_t i;

	if (load(dir, &l) < 0)
		return EXIT_FAILURE_USER;
	for (i = 0; i < l.n; i++)
		total += l.v[i].e.size;
	printf("%zu entr%s, %llu bytes (%.1f MiB) in %s\n", l.n, l.n == 1 ? "y" : "ies", total,
	       (double)total / (1024.0 * 1024.0), dir);
	entries_release(&l);
	return EXIT_OK;
}

/* SIZE: bytes, or with a K, M, G or T suffix (powers of 1024). */
static int parse_size(const char *s, unsigned long long *out)
{
	static const char units[] = "KMGT";
	char *num = xstrdup(s), *u;
	size_t len = strlen(num);
	unsigned long long mult = 1;
	uint64_t v;
	int r;

	if (len && (u = strchr(units, ascii_tolower(num[len - 1]) - 'a' + 'A')) && *u) {
		mult = 1ULL << (10 * (u - units + 1));
		num[len - 1] = '\0';
	}
	r = parse_u64(num, &v);
	free(num);
	if (r < 0 || v > ~0ULL / mult)
		return -1;
	*out = v * mult;
	return 0;
}

static int cache_prune(const char *dir, long days, const char *max_size)
{
	unsigned long long max = 0, total = 0, freed = 0;
	long long now = (long long)time(NULL), age = days >= 0 ? (long long)days * 86400 : -1;
	unsigned long removed = 0, temps;
	struct entries l;
	size_t i;

	if (max_size && parse_size(max_size, &max) < 0) {
		error("cache: --max-size wants a size like 500M or 20G, not '%s'", max_size);
		return EXIT_USAGE;
	}
	if (load(dir, &l) < 0)
		return EXIT_FAILURE_USER;
	QSORT(l.v, l.n, by_created);
	for (i = 0; i < l.n; i++)
		total += l.v[i].e.size;
	for (i = 0; i < l.n; i++) {
		int old = age >= 0 ? now - l.v[i].e.created >= age : total > max;

		if (!old)
			continue;
		if (cache_discard(dir, l.v[i].key) < 0) {
			warn("cannot remove the entry %s: %s", l.v[i].key, strerror(errno));
			continue;
		}
		removed++;
		freed += l.v[i].e.size;
		total -= l.v[i].e.size;
	}
	temps = cache_remove_stale(dir, age >= 0 && age < 3600 ? age : 3600);
	printf("removed %lu entr%s (%llu bytes) and %lu temporar%s from %s\n", removed, removed == 1 ? "y" : "ies",
	       freed, temps, temps == 1 ? "y" : "ies", dir);
	entries_release(&l);
	return EXIT_OK;
}

static int cache_verify(const char *dir)
{
	struct entries l;
	size_t i, bad = 0;

	if (load(dir, &l) < 0)
		return EXIT_FAILURE_USER;
	for (i = 0; i < l.n; i++) {
		struct cache_entry e;
		struct buf why = BUF_INIT;

		cache_entry_init(&e);
		if (l.v[i].bad || cache_lookup(dir, l.v[i].key, &e, &why) < 0) {
			printf("damaged: %s %s %s: %s\n", l.v[i].key, l.v[i].e.name ? l.v[i].e.name : "?",
			       l.v[i].e.version ? l.v[i].e.version : "?", l.v[i].bad ? l.v[i].why : why.s);
			bad++;
		}
		cache_entry_release(&e);
		buf_release(&why);
	}
	printf("%zu entr%s checked, %zu damaged\n", l.n, l.n == 1 ? "y" : "ies", bad);
	entries_release(&l);
	return bad ? EXIT_FAILURE_USER : EXIT_OK;
}

/* The keys to fetch: the arguments and the lines of file. */
static int fetch_keys(const char *file, const char *const *args, int nargs, struct strlist *keys)
{
	struct buf b = BUF_INIT;
	char *line, *next;
	int i;

	for (i = 0; i < nargs; i++)
		strlist_add(keys, args[i]);
	if (file) {
		if (buf_read_file(&b, file) < 0)
			return error("cache: cannot read '%s':", file);
		for (line = b.s; *line; line = next) {
			next = strchr(line, '\n');
			next = next ? (*next = '\0', next + 1) : line + strlen(line);
			if (*line)
				strlist_add(keys, line);
		}
	}
	buf_release(&b);
	for (i = 0; (size_t)i < keys->n; i++)
		if (strlen(keys->v[i]) != 64 || strspn(keys->v[i], "0123456789abcdef") != 64)
			return error("cache: '%s' is not a key (64 hex digits)", keys->v[i]);
	return 0;
}

static int cache_fetch(const char *url, const char *dir, const struct strlist *keys)
{
	struct fetch_options fo;
	struct fetcher f;
	struct fetch *q = xcalloc(keys->n + 1, sizeof(*q)), **reqs = xcalloc(keys->n + 1, sizeof(*reqs));
	struct strlist urls = STRLIST_INIT, dests = STRLIST_INIT, shas = STRLIST_INIT;
	size_t base = strlen(url), i, n = 0, failed = 0;
	int ret = EXIT_OK;

	while (base && url[base - 1] == '/')
		base--;
	fetch_options_default(&fo);
	fo.netrc = getenv("NETRC");
	/* a miss only costs a build: give an unreachable cache less time than an index */
	fo.max_attempts = 2;
	fo.total_seconds = 60;
	if (fetcher_init(&f, &fo) < 0)
		die("cannot initialise libcurl");
	/* the entries' JSON first: a 404 is a miss */
	for (i = 0; i < keys->n; i++) {
		strlist_add_owned(&urls, xasprintf("%.*s/v1/%.2s/%s.json", (int)base, url, keys->v[i], keys->v[i]));
		fetch_init(&q[i], urls.v[i]);
		reqs[i] = &q[i];
	}
	fetcher_run(&f, reqs, keys->n);
	for (i = 0; i < keys->n; i++) {
		char *path = cache_entry_path(dir, keys->v[i]);
		json_t *v = q[i].ok ? json_loadb(q[i].body.s, q[i].body.len, 0, NULL) : NULL;
		const char *wheel = json_string_value(json_object_get(v, "wheel"));
		const char *sha = json_string_value(json_object_get(v, "sha256"));

		/* a cache that cannot be reached: a few lines, not one per package */
		if (!q[i].ok && q[i].status != 404 && failed++ < 3)
			warn("cache: cannot fetch the entry %s: %s", keys->v[i], q[i].error ? q[i].error : "?");
		/* whatever it holds goes to the stage, where the build's lookup checks it */
		if (q[i].ok && write_file(path, q[i].body.s, q[i].body.len, WRITE_NOSYNC) < 0)
			die("cannot write '%s':", path);
		if (wheel && sha && !strchr(wheel, '/') && wheel[0] != '.' && sha256_hex_valid(sha)) {
			strlist_add_owned(&urls, xasprintf("%.*s/v1/%.2s/%s/%s", (int)base, url, keys->v[i],
							   keys->v[i], wheel));
			strlist_add_owned(&dests, cache_wheel_path(dir, keys->v[i], wheel));
			strlist_add(&shas, sha);
			n++;
		}
		json_decref(v);
		free(path);
		fetch_release(&q[i]);
	}
	if (failed > 3)
		warn("cache: %zu more entries could not be fetched (the packages are built)", failed - 3);
	/* then their wheels, each checked against its entry's sha256 */
	for (i = 0; i < n; i++) {
		fetch_init(&q[i], urls.v[keys->n + i]);
		if (mkdir_parents(dests.v[i]) < 0)
			die("cannot create the directory of '%s':", dests.v[i]);
		q[i].dest = dests.v[i];
		q[i].sha256 = shas.v[i];
		reqs[i] = &q[i];
	}
	fetcher_run(&f, reqs, n);
	for (i = 0; i < n; i++) {
		if (!q[i].ok)
			warn("cache: cannot fetch the wheel %s: %s", dests.v[i], q[i].error ? q[i].error : "?");
		fetch_release(&q[i]);
	}
	fetcher_release(&f);
	strlist_release(&urls);
	strlist_release(&dests);
	strlist_release(&shas);
	free(q);
	free(reqs);
	return ret;
}

int cmd_cache(int argc, char **argv)
{
	const char *cache = NULL, *max_size = NULL, *keys_file = NULL, *what, *dir;
	long days = -1;
	struct opt_list args = OPT_LIST_INIT;
	struct option options[] = {
		OPT_STRING(0, "build-cache", &cache, "DIR", "the cache directory (default: $WBGEN_BUILD_CACHE)"),
		OPT_INTEGER(0, "older-than", &days, "DAYS", 0, 1000000, "prune: the entries older than DAYS days"),
		OPT_STRING(0, "max-size", &max_size, "SIZE", "prune: the oldest entries, down to SIZE bytes"),
		OPT_STRING(0, "keys", &keys_file, "FILE", "fetch: the keys listed in FILE, one a line, too"),
		OPT_ARGUMENTS(&args, 0, NULL, NULL),
		OPT_END(),
	};
	struct strlist keys = STRLIST_INIT;
	int ret = EXIT_USAGE;
	size_t want;

	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
	ret = EXIT_USAGE;
	what = args.n ? args.v[0] : "";
	if (strcmp(what, "fetch") == 0) {
		if (args.n < 3) {
			error("cache: fetch wants URL DIR [KEY...] (see 'wbgen help cache')");
		} else if (fetch_keys(keys_file, args.v + 3, (int)args.n - 3, &keys) == 0) {
			ret = cache_fetch(args.v[1], args.v[2], &keys);
		}
		goto out;
	}
	want = strcmp(what, "list") == 0 || strcmp(what, "size") == 0 || strcmp(what, "prune") == 0 ||
	       strcmp(what, "verify") == 0;
	if (!want) {
		error("cache: %s%s%s (see 'wbgen help cache')", *what ? "unknown subcommand '" : "no subcommand: list, size, prune or verify",
		      what, *what ? "'" : "");
		goto out;
	}
	if (args.n > 2) {
		error("cache: %s wants at most one DIR", what);
		goto out;
	}
	dir = args.n == 2 ? args.v[1] : cache ? cache : getenv("WBGEN_BUILD_CACHE");
	if (!dir || !*dir) {
		error("cache: no cache directory: give DIR, --build-cache or WBGEN_BUILD_CACHE");
		goto out;
	}
	if (cache_is_url(dir)) {
		error("cache: %s works on a directory, not a URL ('%s')", what, dir);
		goto out;
	}
	if (strcmp(what, "prune") == 0 && (days >= 0) == (max_size != NULL)) {
		error("cache: prune wants one of --older-than DAYS and --max-size SIZE");
		goto out;
	}
	if (strcmp(what, "list") == 0)
		ret = cache_list(dir);
	else if (strcmp(what, "size") == 0)
		ret = cache_size(dir);
	else if (strcmp(what, "prune") == 0)
		ret = cache_prune(dir, days, max_size);
	else
		ret = cache_verify(dir);
out:
	strlist_release(&keys);
	parse_options_release(options);
	return ret;
}
