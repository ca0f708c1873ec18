/* fuzz-version.c: PEP 440 versions (gen/version.h). A version that parses formats to a string that
 * parses to an equal version and formats the same; the public, base and canonical forms parse too.
 * When the input holds two versions (separated by a newline), their order is antisymmetric. */
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

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void check_pair(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	size_t restlen;
	char *a = fuzz_split(data, size, '\n', &rest, &restlen), *b = fuzz_str(rest, restlen);
	struct version va, vb;

	version_init(&va);
	version_init(&vb);
	if (version_parse(a, &va) == 0 && version_parse(b, &vb) == 0) {
		FUZZ_CHECK(sign(version_cmp(&va, &vb)) == -sign(version_cmp(&vb, &va)), "cmp antisymmetric", a, b);
		FUZZ_CHECK(sign(version_cmp_public(&va, &vb)) == -sign(version_cmp_public(&vb, &va)),
			   "cmp_public antisymmetric", a, b);
		FUZZ_CHECK(sign(version_cmp_base(&va, &vb)) == -sign(version_cmp_base(&vb, &va)),
			   "cmp_base antisymmetric", a, b);
		FUZZ_CHECK(version_cmp(&va, &vb) != 0 || version_cmp_public(&va, &vb) == 0, "equal implies public equal",
			   a, b);
	}
	version_release(&va);
	version_release(&vb);
	free(a);
	free(b);
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
	check_pair(data, size);
	buf_release(&s);
	buf_release(&pub);
	buf_release(&base);
	buf_release(&canon);
	return 0;
}
