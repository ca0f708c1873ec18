/* fuzz-toml.c: TOML documents (gen/toml/toml.h), plain and tagged. A document that parses one way parses
 * the other way too, and both results serialise as JSON. */
#include "fuzz.h"
#include "toml/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct toml_error e1, e2;
	json_t *plain = toml_parse((const char *)data, size, &e1);
	json_t *tagged = toml_parse_ex((const char *)data, size, TOML_TAGGED, &e2);
	char *s;

	FUZZ_CHECK(!plain == !tagged, "plain and tagged agree", plain ? "parsed" : e1.msg, tagged ? "parsed" : e2.msg);
	if (plain) {
		FUZZ_CHECK(json_is_object(plain), "root is a table", "", "");
		s = json_dumps(plain, JSON_ENCODE_ANY | JSON_COMPACT);
		free(s);
		s = json_dumps(tagged, JSON_ENCODE_ANY | JSON_COMPACT);
		free(s);
	} else {
		FUZZ_CHECK(e1.line == e2.line && e1.column == e2.column && strcmp(e1.msg, e2.msg) == 0,
			   "same error", e1.msg, e2.msg);
		FUZZ_CHECK(memchr(e1.msg, '\0', sizeof(e1.msg)) != NULL, "message terminated", "", "");
	}
	json_decref(plain);
	json_decref(tagged);
	return 0;
}
