/* fuzz-specifier.c: PEP 440 specifier sets (gen/specifier.h). Input: a specifier set, optionally
 * followed by a newline and a version to test against it. A set that parses formats to a string that
 * parses to a set formatting the same and accepting the same version. */
#include "fuzz.h"
#include "specifier.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	size_t restlen;
	char *text = fuzz_split(data, size, '\n', &rest, &restlen), *vs = fuzz_str(rest, restlen);
	struct specset s, t;
	struct buf out = BUF_INIT, out2 = BUF_INIT, err = BUF_INIT;
	const char *p = text;

	if (specset_parse(text, &s, &err) == 0) {
		int pre;

		specset_format(&s, &out);
		FUZZ_CHECK(specset_parse(out.s, &t, &err) == 0, "reparse", text, out.s);
		specset_format(&t, &out2);
		FUZZ_CHECK(strcmp(out.s, out2.s) == 0, "format", out.s, out2.s);
		FUZZ_CHECK(s.n == t.n, "clause count", out.s, out2.s);
		for (pre = -1; pre <= 1; pre++)
			FUZZ_CHECK(specset_contains_str(&s, vs, pre) == specset_contains_str(&t, vs, pre),
				   "contains", out.s, vs);
		(void)specset_names_prerelease(&s);
		specset_merge(&t, &s);
		FUZZ_CHECK(t.n == s.n, "merge with itself", out.s, out2.s);
		specset_release(&t);
	}
	specset_release(&s);
	(void)specifier_scan(&p);
	free(text);
	free(vs);
	buf_release(&out);
	buf_release(&out2);
	buf_release(&err);
	return 0;
}
