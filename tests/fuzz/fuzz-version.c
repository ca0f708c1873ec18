/* fuzz-version.c: PEP 440 versions (gen/version.h). A version that parses formats to a string that
 * parses to an equal version and formats the same; the public, base and canonical forms parse too. */
#include "fuzz.h"
#include "version.h"

static void reparse(const char *what, const struct version *v, const char *s, int same)
{
	struct version w;
	struct buf out = BUF_INIT;

	version_init(&w);
	FUZZ_CHECK(version_parse(s, &w) == 0, what, s, "(does not parse)");
	if (same) {
		FUZZ_CHECK(version_cmp(v, &w) == 0 && version_cmp(&w, v) == 0, what, s, "(compares unequal)");
		version_format(&w, &out);
		FUZZ_CHECK(strcmp(out.s, s) == 0, what, s, out.s);
	} else {
		FUZZ_CHECK(version_cmp_base(v, &w) == 0, what, s, "(base differs)");
	}
	buf_release(&out);
	version_release(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct version v, c;
	struct buf s = BUF_INIT, pub = BUF_INIT, base = BUF_INIT, canon = BUF_INIT;

	version_init(&v);
	if (version_parse_n((const char *)data, size, &v) == 0) {
		version_format(&v, &s);
		reparse("format", &v, s.s, 1);
		version_format_public(&v, &pub);
		reparse("format_public", &v, pub.s, 0);
		version_format_base(&v, &base);
		reparse("format_base", &v, base.s, 0);
		version_format_canonical(&v, 1, &canon);
		reparse("format_canonical", &v, canon.s, 0);
		FUZZ_CHECK(version_cmp(&v, &v) == 0, "cmp self", s.s, s.s);
		FUZZ_CHECK((version_cmp_public(&v, &v) == 0), "cmp_public self", s.s, pub.s);
		version_copy(&c, &v);
		FUZZ_CHECK(version_cmp(&c, &v) == 0, "copy", s.s, s.s);
		version_release(&c);
		(void)version_is_prerelease(&v);
		(void)version_is_postrelease(&v);
		(void)version_is_devrelease(&v);
		(void)version_has_local(&v);
	}
	version_release(&v);
	buf_release(&s);
	buf_release(&pub);
	buf_release(&base);
	buf_release(&canon);
	return 0;
}
