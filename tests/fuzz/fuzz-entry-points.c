/* fuzz-entry-points.c: entry_points.txt (gen/wheel/wheel.h, entry_points_parse), and the console-script
 * launcher written for each entry point that parses. */
#include "fuzz.h"
#include "wheel/wheel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size);
	struct entry_points eps;
	struct buf err = BUF_INIT, out = BUF_INIT;
	size_t i;

	entry_points_init(&eps);
	if (entry_points_parse(text, &eps, &err) == 0)
		for (i = 0; i < eps.nr; i++) {
			FUZZ_CHECK(eps.v[i].group && eps.v[i].name && eps.v[i].module, "fields", text, "");
			buf_reset(&out);
			(void)wheel_launcher("/usr/bin/python3", &eps.v[i], &out, &err);
		}
	entry_points_release(&eps);
	free(text);
	buf_release(&err);
	buf_release(&out);
	return 0;
}
