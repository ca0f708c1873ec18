/* fuzz-requirement.c: PEP 508 requirements (gen/requirement.h). A requirement that parses formats to
 * a string that parses to a requirement formatting the same and applying the same in the example
 * environment (when its string literals can be written back, see fuzz_pep508_round_trips). */
#include "fuzz.h"
#include "requirement.h"

static struct marker_env env;

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	marker_env_fill_example(&env);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const extras[] = { "test", "Doc_s" };
	char *text = fuzz_str(data, size);
	struct requirement r, t;
	struct buf out = BUF_INIT, out2 = BUF_INIT, err = BUF_INIT;

	int parsed = requirement_parse(text, &r, &err) == 0;

	if (parsed) {
		(void)requirement_applies(&r, &env, NULL, 0, NULL);
		(void)requirement_has_extra(&r, "test");
		requirement_format(&r, &out);
	}
	if (parsed && fuzz_pep508_round_trips(text, size)) {
		buf_reset(&err);
		FUZZ_CHECK(requirement_parse(out.s, &t, &err) == 0, "reparse", out.s, err.s);
		requirement_format(&t, &out2);
		FUZZ_CHECK(strcmp(out.s, out2.s) == 0, "format", out.s, out2.s);
		FUZZ_CHECK(strcmp(r.canonical_name, t.canonical_name) == 0, "name", r.canonical_name, t.canonical_name);
		FUZZ_CHECK(requirement_applies(&r, &env, extras, 2, NULL) == requirement_applies(&t, &env, extras, 2, NULL),
			   "applies", text, out.s);
		requirement_release(&t);
	}
	requirement_release(&r);
	free(text);
	buf_release(&out);
	buf_release(&out2);
	buf_release(&err);
	return 0;
}
