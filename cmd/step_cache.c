/* step_cache.c: the build cache in the build (see step_cache.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cache.h"
#include "datadir.h"
#include "fsutil.h"
#include "names.h"
#include "run_command.h"
#include "sha256.h"
#include "step_cache.h"
#include "step_stamp.h"
#include "strlist.h"
#include "util.h"

#define EVENTS "logs/cache-events.jsonl"
#define REPORT "cache-report.json"
#define CACHE_MK "cache.mk"

const char *step_cache_where(void)
{
	const char *v = getenv("WBGEN_BUILD_CACHE");

	return v && *v ? v : NULL;
}

/* Where the entries are read: the directory, or the stage of a URL cache. */
static const char *read_dir(void)
{
	const char *w = step_cache_where();

	return w && cache_is_url(w) ? STEP_CACHE_STAGE : w;
}

/* The cache as the report names it: a URL without its credentials (newly allocated). */
static char *shown(void)
{
	const char *w = step_cache_where(), *p = w ? strstr(w, "://") : NULL, *at, *slash;

	if (!p)
		return xstrdup(w ? w : "");
	p += 3;
	slash = p + strcspn(p, "/");
	at = memchr(p, '@', (size_t)(slash - p));
	if (!at)
		return xstrdup(w);
	return xasprintf("%.*s%s", (int)(p - w), w, at + 1);
}

/* One event of the run (hit, stored, refused), appended in one write. */
static void event(const char *ev, const char *name, const char *version, const char *key, const char *msg)
{
	char *src = shown(), *t;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "event", ev, "name", name, "version", version, "key", key,
			      "source", src);
	int fd;

	if (msg)
		json_object_set_new(o, "message", json_string(msg));
	t = json_dumps(o, JSON_COMPACT);
	if (!t)
		xalloc_die("out of memory");
	if (mkdir_parents(EVENTS) == 0 && (fd = open(EVENTS, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) >= 0) {
		struct buf line = BUF_INIT;

		buf_addf(&line, "%s\n", t);
		if (write_all(fd, line.s, line.len) < 0)
			warn("cannot write '%s': %s", EVENTS, strerror(errno));
		close(fd);
		buf_release(&line);
	}
	free(t);
	free(src);
	json_decref(o);
}

/* "machinery VERSION pep517_hook.py SHA256": what of wbgen makes a wheel (cache.h). */
static void machinery(struct buf *out)
{
	char *dir = wbgen_datadir(), *hook = xasprintf("%s/pep517_hook.py", dir);
	struct buf sha = BUF_INIT;

	if (sha256_file_hex(hook, &sha) < 0)
		die("cannot read '%s':", hook);
	buf_addf(out, "%s pep517_hook.py %s", WBGEN_BUILD_MACHINERY, sha.s);
	buf_release(&sha);
	free(dir);
	free(hook);
}

char *step_cache_current(const char *id)
{
	char *path = xasprintf("work/%s/cache.key", id), *key = NULL;

	if (step_stamp_get(path, "key", &key) < 0)
		key = NULL;
	free(path);
	return key;
}

int step_cache_key(const char *id, json_t *pkg, char **deps, size_t ndeps, struct buf *err)
{
	char *target = xasprintf("work/%s/cache.key", id), *inputs = xasprintf("work/%s/cache.inputs", id);
	char *python = NULL;
	struct buf text = BUF_INIT, key = BUF_INIT, mach = BUF_INIT, all = BUF_INIT;
	struct strlist env = STRLIST_INIT;
	size_t i;
	int r = -1;

	if (json_is_true(json_object_get(pkg, "pre_built"))) {
		/* a pre-built wheel is its own key */
		const char *sha = json_string_value(json_object_get(pkg, "wheel_sha256"));

		if (!sha) {
			buf_addf(err, "work/%s/pkg.json has no wheel_sha256", id);
			goto out;
		}
		buf_addf(&key, "sha256:%s", sha);
	} else {
		if (step_stamp_get(inputs, "python", &python) < 0) {
			buf_addf(err, "%s has no python line (run wbgen resolve again)", inputs);
			goto out;
		}
		for (i = 0; i < ndeps; i++) {
			const char *dash = strrchr(deps[i], '-');
			char *k = step_cache_current(deps[i]);

			if (!k || !dash) {
				buf_addf(err, "no cache key for %s (work/%s/cache.key)", deps[i], deps[i]);
				free(k);
				goto out;
			}
			strlist_add_owned(&env, xasprintf("%.*s %s %s", (int)(dash - deps[i]), deps[i], dash + 1, k));
			free(k);
		}
		machinery(&mach);
		if (cache_key_text(pkg, mach.s, python, &env, &text, err) < 0)
			goto out;
		cache_key_of(text.s, &key);
	}
	buf_addf(&all, "key %s\n%s", key.s, text.s ? text.s : "");
	if (file_equals(target, all.s, all.len)) {
		if (utimensat(AT_FDCWD, target, NULL, 0) < 0)
			die("cannot touch '%s':", target);
	} else if (write_file(target, all.s, all.len, WRITE_NOSYNC) < 0) {
		die("cannot write '%s':", target);
	}
	r = 0;
out:
	free(target);
	free(inputs);
	free(python);
	buf_release(&text);
	buf_release(&key);
	buf_release(&mach);
	buf_release(&all);
	strlist_release(&env);
	return r;
}

/* A damaged entry: removed (moved aside first), reported, recorded. */
static void refuse(const char *dir, const char *name, const char *version, const char *key, const char *why,
		   struct buf *msg)
{
	buf_addf(msg, "build cache: refused the entry %.16s... of %s %s (%s): %s; removed, the package is built", key,
		 name, version, dir, why);
	if (cache_discard(dir, key) < 0)
		warn("cannot remove the damaged cache entry %s from '%s': %s", key, dir, strerror(errno));
	event("refused", name, version, key, msg->s);
}

/* Whether file is a wheel's name for the project name: an entry whose record names another
 * project's wheel (a crossed or damaged record) is refused like a damaged one. */
static int is_wheel_of(const char *file, const char *name, struct buf *why)
{
	struct wheel_name wn;
	struct buf e = BUF_INIT;
	int r = wheel_name_parse(file, &wn, &e) == 0 && name_cmp(wn.name, name) == 0;

	if (!r)
		buf_addf(why, "its wheel %s is not a wheel of %s%s%s", file, name, e.len ? ": " : "", e.len ? e.s : "");
	if (!e.len)
		wheel_name_release(&wn);
	buf_release(&e);
	return r;
}

int step_cache_take(const char *name, const char *version, const char *key, struct buf *file, struct buf *sha,
		    struct buf *err)
{
	const char *dir = read_dir();
	char *json = cache_entry_path(dir, key), *src = NULL, *dst = NULL;
	struct cache_entry e;
	struct buf why = BUF_INIT;
	int r = -1;

	cache_entry_init(&e);
	if (cache_entry_read(json, &e, &why) < 0 || !is_wheel_of(e.wheel, name, &why))
		goto refused;
	src = cache_wheel_path(dir, key, e.wheel);
	dst = xasprintf("wheels-repo/downloads/%s", e.wheel);
	buf_setlen(sha, 0);
	if (cache_copy(src, dst, 1, sha, &why) < 0)
		goto refused;
	if (strcmp(sha->s, e.sha256) != 0) {
		unlink(dst);
		buf_addf(&why, "its wheel %s does not have the sha256 of its record", e.wheel);
		goto refused;
	}
	buf_adds(file, e.wheel);
	event("hit", name, version, key, NULL);
	r = 0;
	goto out;
refused:
	refuse(dir, name, version, key, why.s, err);
	buf_adds(err, " by the next make");
out:
	cache_entry_release(&e);
	buf_release(&why);
	free(json);
	free(src);
	free(dst);
	return r;
}

void step_cache_put(const char *id, const char *name, const char *version, const char *key, const char *wheel)
{
	const char *where = step_cache_where();
	char *path = xasprintf("work/%s/cache.key", id);
	struct buf text = BUF_INIT, err = BUF_INIT;
	struct cache_entry e;
	int r;

	cache_entry_init(&e);
	if (!where || cache_is_url(where) || buf_read_file(&text, path) < 0 || !strchr(text.s, '\n'))
		goto out;
	e.key = xstrdup(key);
	e.name = xstrdup(name);
	e.version = xstrdup(version);
	e.key_text = xstrdup(strchr(text.s, '\n') + 1);
	r = cache_store(where, wheel, &e, &err);
	if (r < 0)
		warn("build cache: cannot store %s %s in '%s': %s", name, version, where, err.s);
	else if (r > 0)
		event("stored", name, version, key, NULL);
out:
	cache_entry_release(&e);
	buf_release(&text);
	buf_release(&err);
	free(path);
}

/* The key make runs for: the inner make's options and variables, -k, WBGEN_CACHE_GOALS, and the
 * goal of every key the goals need (rules/wbgen.mk). Its failures are the build's too (the build
 * phase needs its key): they are reported there. */
static void make_keys(char **argv)
{
	struct strlist args = STRLIST_INIT;
	struct buf goals = BUF_INIT;
	struct child_process cp;
	const char **v;
	size_t i;

	strlist_add(&args, argv[0]);
	for (i = 1; argv[i]; i++) {
		if (argv[i][0] == '-' || strchr(argv[i], '='))
			strlist_add(&args, argv[i]);
		else
			buf_addf(&goals, "%s%s", goals.len ? " " : "", argv[i]);
	}
	strlist_add(&args, "-k");
	strlist_add_owned(&args, xasprintf("WBGEN_CACHE_GOALS=%s", goals.len ? goals.s : "all"));
	strlist_add(&args, "wbgen-cache-keys");
	v = xcalloc(args.n + 1, sizeof(*v));
	for (i = 0; i < args.n; i++)
		v[i] = args.v[i];
	child_process_init(&cp);
	cp.argv = v;
	cp.ignore_interrupts = 1;
	if (start_command(&cp) < 0)
		die("cannot run '%s':", argv[0]);
	if (finish_command(&cp) < 0)
		die("waitpid:");
	free(v);
	strlist_release(&args);
	buf_release(&goals);
}

/* NAME and VERSION of a package id, from its pkg.json (else from the id). */
static void id_names(const char *id, char **name, char **version)
{
	char *path = xasprintf("work/%s/pkg.json", id);
	json_t *pkg = json_load_file(path, 0, NULL);
	const char *n = json_string_value(json_object_get(pkg, "name")), *v = json_string_value(json_object_get(pkg, "version"));
	const char *dash = strrchr(id, '-');

	*name = n ? xstrdup(n) : dash ? xstrndup(id, (size_t)(dash - id)) : xstrdup(id);
	*version = v ? xstrdup(v) : xstrdup(dash ? dash + 1 : "");
	json_decref(pkg);
	free(path);
}

/* The entries of keys (ids[i]'s key is keys[i]) staged from a URL cache: `$WBGEN cache fetch`. */
static void fetch_entries(const struct strlist *keys)
{
	const char *wbgen = getenv("WBGEN");
	const char *list = STEP_CACHE_STAGE "/keys";
	struct buf b = BUF_INIT;
	struct child_process cp;
	const char *argv[] = { wbgen, "cache", "fetch", "--keys", list, step_cache_where(), STEP_CACHE_STAGE, NULL };
	size_t i;

	if (!keys->n)
		return;
	if (!wbgen || !*wbgen)
		die("WBGEN is not set (run make in the output directory)");
	for (i = 0; i < keys->n; i++)
		buf_addf(&b, "%s\n", keys->v[i]);
	if (mkdir_p(STEP_CACHE_STAGE, 0755) < 0 || write_file(list, b.s, b.len, WRITE_NOSYNC) < 0)
		die("cannot write '%s':", list);
	child_process_init(&cp);
	cp.argv = argv;
	cp.ignore_interrupts = 1;
	if (start_command(&cp) < 0)
		die("cannot run '%s':", wbgen);
	if (finish_command(&cp) < 0)
		die("waitpid:");
	buf_release(&b);
}

void step_cache_prepare(char **argv)
{
	struct strlist ids = STRLIST_INIT, keys = STRLIST_INIT;
	struct buf mk = BUF_INIT;
	const char *dir = read_dir();
	DIR *d;
	struct dirent *de;
	size_t i;

	make_keys(argv);
	d = opendir("work");
	while (d && (de = readdir(d)) != NULL) {
		char *key, *stamp, *have = NULL, *kf;

		if (de->d_name[0] == '.' || !(key = step_cache_current(de->d_name)))
			continue;
		stamp = xasprintf("work/%s/wheel.stamp", de->d_name);
		kf = xasprintf("work/%s/cache.key", de->d_name);
		if (starts_with(key, "sha256:")) {
			;
		} else if (step_stamp_get(stamp, "cachekey", &have) == 0 && strcmp(have, key) == 0) {
			/* its wheel is the key's (from the cache, or built and stored): no build chain */
			buf_addf(&mk, "%s.cached := 1\n", de->d_name);
		} else if (step_newer(kf, stamp)) {
			strlist_add(&ids, de->d_name);
			strlist_add(&keys, key);
		}
		free(key);
		free(stamp);
		free(kf);
		free(have);
	}
	if (d)
		closedir(d);
	if (cache_is_url(step_cache_where()))
		fetch_entries(&keys);
	for (i = 0; i < ids.n; i++) {
		struct cache_entry e;
		struct buf why = BUF_INIT, msg = BUF_INIT;
		int r = cache_lookup(dir, keys.v[i], &e, &why);

		if (r > 0) {
			buf_addf(&mk, "%s.cached := 1\n", ids.v[i]);
		} else if (r < 0) {
			char *name, *version;

			id_names(ids.v[i], &name, &version);
			refuse(dir, name, version, keys.v[i], why.s, &msg);
			printf("wbgen: %s\n", msg.s);
			free(name);
			free(version);
		}
		cache_entry_release(&e);
		buf_release(&why);
		buf_release(&msg);
	}
	fflush(stdout);
	if (write_file(CACHE_MK, mk.s ? mk.s : "", mk.len, WRITE_NOSYNC) < 0)
		die("cannot write '%s':", CACHE_MK);
	strlist_release(&ids);
	strlist_release(&keys);
	buf_release(&mk);
}

void step_cache_begin(void)
{
	if (unlink(EVENTS) < 0 && errno != ENOENT)
		die("cannot remove '%s':", EVENTS);
	if (path_exists(STEP_CACHE_STAGE) && remove_tree(STEP_CACHE_STAGE) < 0)
		die("cannot remove '%s':", STEP_CACHE_STAGE);
}

unsigned long step_cache_report(void)
{
	json_t *report = json_object(), *lists[3];
	static const char *const names[] = { "hit", "stored", "refused" };
	static const char *const keys[] = { "hits", "stored", "refused" };
	struct buf b = BUF_INIT;
	char *src = shown(), *t, *line, *next;
	size_t i;

	for (i = 0; i < 3; i++)
		lists[i] = json_array();
	if (buf_read_file(&b, EVENTS) == 0) {
		for (line = b.s; *line; line = next) {
			json_t *o;

			next = strchr(line, '\n');
			if (!next)
				break; /* a torn last line */
			*next++ = '\0';
			o = json_loads(line, 0, NULL);
			for (i = 0; o && i < 3; i++)
				if (strcmp(json_string_value(json_object_get(o, "event")) ?: "", names[i]) == 0) {
					json_object_del(o, "event");
					json_array_append(lists[i], o);
				}
			json_decref(o);
		}
	}
	json_object_set_new(report, "cache", json_string(src));
	for (i = 0; i < 3; i++)
		json_object_set(report, keys[i], lists[i]);
	t = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!t)
		xalloc_die("out of memory");
	buf_setlen(&b, 0);
	buf_addf(&b, "%s\n", t);
	if (write_file(REPORT, b.s, b.len, WRITE_NOSYNC) < 0)
		warn("cannot write '%s': %s", REPORT, strerror(errno));
	i = json_array_size(lists[0]);
	json_decref(report);
	json_decref(lists[0]);
	json_decref(lists[1]);
	json_decref(lists[2]);
	free(t);
	free(src);
	buf_release(&b);
	if (remove_tree(STEP_CACHE_STAGE) < 0 && errno != ENOENT)
		warn("cannot remove '%s': %s", STEP_CACHE_STAGE, strerror(errno));
	return i;
}
