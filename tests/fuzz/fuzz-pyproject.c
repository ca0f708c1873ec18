/* fuzz-pyproject.c: pyproject.toml as sdist inspection reads it (gen/inspect.c's read_pyproject,
 * a static function, reached by including the source). After a successful read
 * the build backend may be unset (the default is filled in later), everything else is consistent. */
#include "../../gen/inspect.c"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdist_info si;
	struct buf text = BUF_INIT, err = BUF_INIT;
	size_t i;
	int want;

	for (want = 0; want <= 1; want++) {
		sdist_info_init(&si);
		buf_reset(&text);
		buf_add(&text, data, size);
		buf_reset(&err);
		if (read_pyproject(&si, &text, want, &err) == 0) {
			FUZZ_CHECK(si.build_requires.n > 0 || !si.build_system_default, "default requires", "", "");
			for (i = 0; i < si.ndeps; i++)
				FUZZ_CHECK(si.deps[i].req != NULL, "dep", "", "");
			FUZZ_CHECK(want || si.ndeps == 0, "deps only when wanted", "", "");
		}
		sdist_info_release(&si);
	}
	buf_release(&text);
	buf_release(&err);
	return 0;
}
