/* fuzz-reqfile.c: requirements and constraints files (gen/reqfile/reqfile.h, reqset_load_text). The first
 * byte chooses constraints ('c') or requirements; the rest is the file. Includes are resolved
 * against a directory that does not exist, so relative ones fail without touching the disk. */
#include "fuzz.h"
#include "reqfile/reqfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reqset set;
	struct buf err = BUF_INIT;
	int constraints = size && data[0] == 'c';

	if (size) {
		data++;
		size--;
	}
	reqset_init(&set);
	(void)reqset_load_text(&set, (const char *)data, size, "/nonexistent-wbgen-fuzz/requirements.txt",
			       constraints, &err);
	reqset_release(&set);
	buf_release(&err);
	return 0;
}
