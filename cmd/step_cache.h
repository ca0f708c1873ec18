/* step_cache.h: the build cache in the build (docs/makefile.md, "The build cache"): the keys
 * (work/ID/cache.key, the cache-key recipe), the lookups of `wbgen step run` that route hits
 * around their build (OUTDIR/cache.mk), the cached phase's copy, the build phase's store, and
 * what the run reports (logs/cache-events.jsonl, then OUTDIR/cache-report.json). The cache itself
 * is gen/cache.h. */
#ifndef WBGEN_STEP_CACHE_H
#define WBGEN_STEP_CACHE_H

#include <jansson.h>

#include "buf.h"

/* Where the staged entries of a URL cache are, in OUTDIR (`wbgen cache fetch` writes them). */
#define STEP_CACHE_STAGE "cache-fetch"

/* $WBGEN_BUILD_CACHE (exported by a Makefile written with a cache), NULL when there is none. */
const char *step_cache_where(void);
/* The cache-key recipe: work/ID/cache.key ("key KEY" then the key text) from pkg (borrowed),
 * work/ID/cache.inputs and the keys of the deps; rewritten when its content changed, else
 * touched. 0, or -1 with err. */
int step_cache_key(const char *id, json_t *pkg, char **deps, size_t ndeps, struct buf *err);
/* The key work/ID/cache.key records (newly allocated), NULL when there is none. */
char *step_cache_current(const char *id);
/* The cached phase: the entry of key (a directory cache, or the entry `wbgen cache fetch` staged)
 * copied to wheels-repo/downloads/, hashed while copied and checked against the entry; its file
 * name into file, its sha256 into sha. 0, or -1 with err (a damaged entry is refused, reported and
 * removed). */
int step_cache_take(const char *name, const char *version, const char *key, struct buf *file, struct buf *sha,
		    struct buf *err);
/* After a build: the wheel (a path) stored in a directory cache under the package's key (a
 * warning when it cannot be). */
void step_cache_put(const char *id, const char *name, const char *version, const char *key, const char *wheel);
/* The driver, before an inner make: look up every package whose wheel.stamp does not hold its
 * current key, and write OUTDIR/cache.mk (P.cached := 1 for the hits and the packages whose wheel
 * came from the cache before). argv0 is the make to run for the keys, args its arguments (the
 * inner make's), goals its goals. */
void step_cache_prepare(char **argv);
/* The start of a run: its cache events emptied. */
void step_cache_begin(void);
/* The end of a run: OUTDIR/cache-report.json from its events; the number of wheels taken from the
 * cache. */
unsigned long step_cache_report(void);

#endif
