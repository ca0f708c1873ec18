/* fuzz-marker.c: PEP 508 environment markers (gen/marker.h). A marker that parses formats to a
 * string that parses to a marker formatting the same and evaluating the same (when its string
 * literals can be written back, see fuzz_pep508_round_trips). */
#include "fuzz.h"
#include "marker.h"

static struct marker_env env;

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	marker_env_fill_example(&env);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const extras[] = { NULL, "", "test", "Doc-S" };
	char *text = fuzz_str(data, size);
	struct marker *m = NULL, *t = NULL;
	struct buf out = BUF_INIT, out2 = BUF_INIT, err = BUF_INIT;
	size_t i;

	int parsed = marker_parse(text, &m, &err) == 0;

	if (parsed) {
		for (i = 0; i < sizeof(extras) / sizeof(*extras); i++)
			(void)marker_eval(m, &env, extras[i], NULL);
		marker_format(m, &out);
	}
	if (parsed && fuzz_pep508_round_trips(text, size)) {
		buf_reset(&err);
		FUZZ_CHECK(marker_parse(out.s, &t, &err) == 0, "reparse", out.s, err.s);
		marker_format(t, &out2);
		FUZZ_CHECK(strcmp(out.s, out2.s) == 0, "format", out.s, out2.s);
		for (i = 0; i < sizeof(extras) / sizeof(*extras); i++)
			FUZZ_CHECK(marker_eval(m, &env, extras[i], NULL) == marker_eval(t, &env, extras[i], NULL),
				   "eval", text, out.s);
		marker_normalize_extra(m);
		marker_free(t);
	}
	marker_free(m);
	free(text);
	buf_release(&out);
	buf_release(&out2);
	buf_release(&err);
	return 0;
}
