/* cache.h: the shared build cache (docs/file-formats.md, "The build cache"). A wheel is stored
 * under a key, the sha256 of a text naming every input of its build (the key text: the sdist, the
 * patches, the build side of the settings, the target interpreter, the keys of the wheels of its
 * build environment, the version of wbgen's build machinery). A directory cache holds
 *
 *     DIR/v1/KK/KEY.json         the entry: key, name, version, wheel, sha256, size, created, key_text
 *     DIR/v1/KK/KEY/WHEEL.whl    its wheel
 *     DIR/v1/tmp/                temporaries of writers (a killed writer's are removed by prune)
 *
 * KK is the key's first two hex digits. A writer links the wheel into place first and the JSON
 * last, each with link(2) from a temporary (the first writer wins): an entry is whole once its
 * JSON is there, and a reader checks the wheel against it. An HTTP(S) cache serves the same
 * layout, read only. */
#ifndef WBGEN_CACHE_H
#define WBGEN_CACHE_H

#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "strlist.h"

/* Bump when wbgen changes how it makes a wheel from the same inputs (build-wheel's checks and
 * amendments, the hook runner's protocol, the environment a hook gets): every key changes. */
#define WBGEN_BUILD_MACHINERY "1"

/* One entry of the cache (its JSON). Strings owned. */
struct cache_entry {
	char *key, *name, *version, *wheel, *sha256, *key_text;
	uint64_t size;
	long long created;
};

/* Set up an empty entry (no allocation). */
void cache_entry_init(struct cache_entry *e);
/* Free what e owns; it is empty afterwards. */
void cache_entry_release(struct cache_entry *e);

/* Non-zero when where is a URL (http://, https://, file://): a read-only cache. */
int cache_is_url(const char *where);
/* The key text of a package (docs/file-formats.md) into out (appended): pkg is its pkg.json
 * (borrowed), machinery the "machinery" line's value, python the target interpreter's identity
 * (cache_python_identity), env the "NAME VERSION KEY" of each wheel of its build environment (any
 * order: sorted here). 0, or -1 with err when pkg.json lacks what a key needs. */
int cache_key_text(json_t *pkg, const char *machinery, const char *python, const struct strlist *env,
		   struct buf *out, struct buf *err);
/* The key of a key text: its sha256 in hex, appended to out. */
void cache_key_of(const char *text, struct buf *out);
/* The identity of the target interpreter the wheel tags depend on, one line's value appended to
 * out: implementation, full version, the ABI and the tag most preferred, the sha256 of every
 * supported tag in order. */
void cache_python_identity(const char *impl, const char *version, char *const *tags, size_t ntags,
			   struct buf *out);

/* The path of key's JSON in the cache directory dir (newly allocated). */
char *cache_entry_path(const char *dir, const char *key);
/* The path of key's wheel file named wheel in dir (newly allocated). */
char *cache_wheel_path(const char *dir, const char *key, const char *wheel);
/* Read key's entry in dir and check it: its JSON, its key, its wheel's size and sha256. 1: a good
 * entry (e filled); 0: none; -1: a damaged entry, why in err (one line). */
int cache_lookup(const char *dir, const char *key, struct cache_entry *e, struct buf *err);
/* Parse an entry's JSON, data[0..len), into e (empty before; not checking the wheel). 0, or -1 with
 * err (one line). */
int cache_entry_parse(const char *data, size_t len, struct cache_entry *e, struct buf *err);
/* cache_entry_parse of the file at path. */
int cache_entry_read(const char *path, struct cache_entry *e, struct buf *err);
/* The JSON of entry e (docs/file-formats.md), appended to out. */
void cache_entry_json(const struct cache_entry *e, struct buf *out);
/* Remove key's entry from dir: the JSON and the wheel moved aside into DIR/v1/tmp/, then removed
 * (a reader never sees half of it). 0, or -1 with errno. */
int cache_discard(const char *dir, const char *key);
/* Store the wheel at path (its file name is the wheel's) in dir under e's key, name, version
 * and key text (e's wheel, sha256, size and created are filled here). 1: stored; 0: the entry was
 * there already; -1 with err (a wheel of other bytes under the same key, an I/O error). */
int cache_store(const char *dir, const char *path, struct cache_entry *e, struct buf *err);
/* Copy src to dst (a temporary beside it renamed; fsync when sync), its sha256 in hex appended to
 * sha. 0, or -1 with err. */
int cache_copy(const char *src, const char *dst, int sync, struct buf *sha, struct buf *err);

/* Called for each entry of a directory cache by cache_scan: key, the JSON's path, its mtime. A
 * non-zero return stops the scan and is returned. */
typedef int cache_scan_fn(const char *key, const char *json, long long mtime, void *data);
/* Every entry of dir (DIR/v1/KK/KEY.json), in no order. 0, the callback's non-zero, or -1 (errno)
 * when dir has no v1/ directory. */
int cache_scan(const char *dir, cache_scan_fn *fn, void *data);
/* Remove the temporaries of DIR/v1/tmp/ and the wheel directories without a JSON older than
 * min_age seconds (writers that were killed). Returns how many were removed. */
unsigned long cache_remove_stale(const char *dir, long long min_age);

#endif
