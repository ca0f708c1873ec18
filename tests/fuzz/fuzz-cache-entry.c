/* fuzz-cache-entry.c: the JSON of a build cache entry (gen/cache.h, cache_entry_parse), which an HTTP
 * cache serves. An entry that parses, written back with cache_entry_json, parses to the same entry. */
#include "cache.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cache_entry e, e2;
	struct buf err = BUF_INIT, out = BUF_INIT;

	cache_entry_init(&e);
	cache_entry_init(&e2);
	if (cache_entry_parse((const char *)data, size, &e, &err) == 0) {
		cache_entry_json(&e, &out);
		FUZZ_CHECK(cache_entry_parse(out.s, out.len, &e2, &err) == 0, "reparse", out.s, err.s);
		FUZZ_CHECK(strcmp(e.key, e2.key) == 0 && strcmp(e.name, e2.name) == 0 &&
			   strcmp(e.version, e2.version) == 0 && strcmp(e.wheel, e2.wheel) == 0 &&
			   strcmp(e.sha256, e2.sha256) == 0 && strcmp(e.key_text, e2.key_text) == 0,
			   "fields", out.s, "");
		FUZZ_CHECK(e.size == e2.size && e.created == e2.created, "numbers", out.s, "");
		FUZZ_CHECK(!strchr(e.wheel, '/') && e.wheel[0] != '.', "a wheel name that stays in its directory",
			   e.wheel, "");
	}
	cache_entry_release(&e);
	cache_entry_release(&e2);
	buf_release(&err);
	buf_release(&out);
	return 0;
}
