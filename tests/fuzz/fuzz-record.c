/* fuzz-record.c: wheel RECORD files (gen/wheel/wheel.h, record_parse). The rows of a RECORD that parses,
 * written back with record_add_row, parse to the same rows. */
#include "fuzz.h"
#include "wheel/wheel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r, r2;
	struct buf err = BUF_INIT, out = BUF_INIT;
	size_t i;

	record_init(&r);
	record_init(&r2);
	if (record_parse((const char *)data, size, &r, &err) == 0) {
		for (i = 0; i < r.nr; i++)
			record_add_row(&out, r.v[i].path, r.v[i].hash, r.v[i].size);
		FUZZ_CHECK(record_parse(out.s, out.len, &r2, &err) == 0, "reparse", out.s, err.s);
		FUZZ_CHECK(r.nr == r2.nr, "row count", out.s, "");
		for (i = 0; i < r.nr; i++) {
			FUZZ_CHECK(strcmp(r.v[i].path, r2.v[i].path) == 0, "path", r.v[i].path, r2.v[i].path);
			FUZZ_CHECK(strcmp(r.v[i].hash, r2.v[i].hash) == 0, "hash", r.v[i].hash, r2.v[i].hash);
			FUZZ_CHECK(strcmp(r.v[i].size, r2.v[i].size) == 0, "size", r.v[i].size, r2.v[i].size);
			FUZZ_CHECK(record_find(&r, r.v[i].path) == &r.v[i], "find", r.v[i].path, "");
		}
	}
	record_release(&r);
	record_release(&r2);
	buf_release(&err);
	buf_release(&out);
	return 0;
}
