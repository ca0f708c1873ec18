/* fuzz-metadata.c: core metadata (gen/metadata.h) and the install requirements taken from it
 * (gen/inspect.h, sdist_info_deps_from_metadata). */
#include "fuzz.h"
#include "inspect.h"
#include "metadata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metadata md;
	struct sdist_info si;
	struct buf err = BUF_INIT;
	const char **v = NULL;
	const struct metadata_field *f = NULL;
	size_t n, k = 0;

	if (metadata_parse((const char *)data, size, &md, &err) == 0) {
		n = metadata_get_all(&md, "Requires-Dist", &v);
		while ((f = metadata_next(&md, "requires-dist", f)))
			FUZZ_CHECK(k < n && v[k++] == f->value, "get_all/next", f->value, "");
		FUZZ_CHECK(k == n, "get_all count", "", "");
		free(v);
		(void)metadata_get(&md, "Name");
		(void)metadata_description(&md);
		(void)metadata_version_at_least(&md, 2, 2);
		(void)metadata_is_dynamic(&md, "Requires-Dist");
	}
	metadata_release(&md);
	sdist_info_init(&si);
	buf_reset(&err);
	(void)sdist_info_deps_from_metadata(&si, (const char *)data, size, DEPS_WHEEL_METADATA, &err);
	sdist_info_release(&si);
	buf_release(&err);
	return 0;
}
