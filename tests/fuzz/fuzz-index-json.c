/* fuzz-index-json.c: PEP 691 JSON project pages (gen/index.h). Every file found has a name and a
 * URL. */
#include "fuzz.h"
#include "index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct project_page pg;
	struct buf err = BUF_INIT;
	size_t i;

	project_page_init(&pg);
	if (index_parse(&pg, INDEX_JSON_TYPE, (const char *)data, size, "https://pypi.example/simple/foo/", &err) == 0)
		for (i = 0; i < pg.nfiles; i++)
			FUZZ_CHECK(pg.files[i].filename && pg.files[i].url, "file has a name and URL", "", "");
	project_page_release(&pg);
	buf_release(&err);
	return 0;
}
