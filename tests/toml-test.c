/* toml-test.c: unit tests for the TOML reader (gen/toml/toml.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "tap.h"
#include "toml/toml.h"

/* Documents and their value as compact JSON (ASCII, keys in document order). */
static const struct {
	const char *doc;
	const char *json;
} valid[] = {
	/* documents without values */
	{ "", "{}" },
	{ "\n\n  \t\n", "{}" },
	{ "# just a comment", "{}" },
	{ "# comment\r\n\r\n", "{}" },
	/* strings */
	{ "a = \"basic\"", "{\"a\":\"basic\"}" },
	{ "a = \"tab\there\"", "{\"a\":\"tab\\there\"}" },
	{ "a = \"\\b\\t\\n\\f\\r\\\"\\\\\"", "{\"a\":\"\\b\\t\\n\\f\\r\\\"\\\\\"}" },
	{ "a = \"\\u00e9\\u00E9\\U0001F600\"", "{\"a\":\"\\u00E9\\u00E9\\uD83D\\uDE00\"}" },
	{ "a = \"\\U0010FFFF\\uE000\\uD7FF\"", "{\"a\":\"\\uDBFF\\uDFFF\\uE000\\uD7FF\"}" },
	{ "a = \"\\u0000\"", "{\"a\":\"\\u0000\"}" },
	{ "a = \"caf\xc3\xa9\"", "{\"a\":\"caf\\u00E9\"}" },
	{ "a = 'C:\\Users\\'", "{\"a\":\"C:\\\\Users\\\\\"}" },
	{ "a = ''", "{\"a\":\"\"}" },
	{ "a = \"\"", "{\"a\":\"\"}" },
	{ "a = \"\"\"\nfirst\nsecond\"\"\"", "{\"a\":\"first\\nsecond\"}" },
	{ "a = \"\"\"\r\nfirst\r\nsecond\"\"\"", "{\"a\":\"first\\nsecond\"}" },
	{ "a = \"\"\"\n\nx\"\"\"", "{\"a\":\"\\nx\"}" },
	{ "a = \"\"\"one \\\n    two \\   \n\n  three\"\"\"", "{\"a\":\"one two three\"}" },
	{ "a = \"\"\"\\\n\"\"\"", "{\"a\":\"\"}" },
	{ "a = \"\"\"x\"\"\"\"", "{\"a\":\"x\\\"\"}" },
	{ "a = \"\"\"x\"\"\"\"\"", "{\"a\":\"x\\\"\\\"\"}" },
	{ "a = \"\"\"a\"b\"\"c\"\"\"", "{\"a\":\"a\\\"b\\\"\\\"c\"}" },
	{ "a = \"\"\"\"\"\"", "{\"a\":\"\"}" },
	{ "a = '''\nraw \\n\n'''", "{\"a\":\"raw \\\\n\\n\"}" },
	{ "a = '''x''''", "{\"a\":\"x'\"}" },
	{ "a = '''x'''''", "{\"a\":\"x''\"}" },
	{ "a = '''it's'''", "{\"a\":\"it's\"}" },
	/* integers */
	{ "a = 0\nb = +0\nc = -0\nd = 42\ne = +17\nf = -17",
	  "{\"a\":0,\"b\":0,\"c\":0,\"d\":42,\"e\":17,\"f\":-17}" },
	{ "a = 1_000\nb = 5_349_221\nc = 1_2_3", "{\"a\":1000,\"b\":5349221,\"c\":123}" },
	{ "a = 9223372036854775807\nb = -9223372036854775808",
	  "{\"a\":9223372036854775807,\"b\":-9223372036854775808}" },
	{ "a = 0xDEADBEEF\nb = 0xdead_beef\nc = 0o755\nd = 0b1101_0110\ne = 0x7FFFFFFFFFFFFFFF\nf = 0x00",
	  "{\"a\":3735928559,\"b\":3735928559,\"c\":493,\"d\":214,\"e\":9223372036854775807,\"f\":0}" },
	/* floats */
	{ "a = 1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\ng = 6.626e-34\nh = 224_617.445_991",
	  "{\"a\":1.0,\"b\":3.1415000000000002,\"c\":-0.01,\"d\":4.9999999999999996e22,\"e\":1000000.0,"
	  "\"f\":-0.02,\"g\":6.6259999999999998e-34,\"h\":224617.44599099999}" },
	{ "a = -0.0\nb = +0.0\nc = 0e0", "{\"a\":-0.0,\"b\":0.0,\"c\":0.0}" },
	{ "a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan",
	  "{\"a\":\"inf\",\"b\":\"inf\",\"c\":\"-inf\",\"d\":\"nan\",\"e\":\"nan\",\"f\":\"nan\"}" },
	{ "a = 1e400\nb = -1e400\nc = 1e-400", "{\"a\":\"inf\",\"b\":\"-inf\",\"c\":0.0}" },
	/* booleans */
	{ "a = true\nb = false", "{\"a\":true,\"b\":false}" },
	/* dates and times */
	{ "a = 1979-05-27T07:32:00Z", "{\"a\":\"1979-05-27T07:32:00Z\"}" },
	{ "a = 1979-05-27t07:32:00z", "{\"a\":\"1979-05-27T07:32:00Z\"}" },
	{ "a = 1979-05-27 00:32:00.999999-07:00", "{\"a\":\"1979-05-27T00:32:00.999999-07:00\"}" },
	{ "a = 1979-05-27T00:32:00.1234567891+05:30", "{\"a\":\"1979-05-27T00:32:00.1234567891+05:30\"}" },
	{ "a = 1979-05-27T07:32:00", "{\"a\":\"1979-05-27T07:32:00\"}" },
	{ "a = 1979-05-27", "{\"a\":\"1979-05-27\"}" },
	{ "a = 1979-05-27 # the space is no separator here", "{\"a\":\"1979-05-27\"}" },
	{ "a = 07:32:00\nb = 00:32:00.5", "{\"a\":\"07:32:00\",\"b\":\"00:32:00.5\"}" },
	{ "a = 2000-02-29\nb = 2024-02-29\nc = 0000-01-01",
	  "{\"a\":\"2000-02-29\",\"b\":\"2024-02-29\",\"c\":\"0000-01-01\"}" },
	/* arrays */
	{ "a = []\nb = [ ]\nc = [1,]\nd = [1, 2, 3]", "{\"a\":[],\"b\":[],\"c\":[1],\"d\":[1,2,3]}" },
	{ "a = [1, 'x', 2.5, [true], {b = 1}]", "{\"a\":[1,\"x\",2.5,[true],{\"b\":1}]}" },
	{ "a = [ # comment\n  1, # one\n\n  2 # two\n  , # comma\n] # end", "{\"a\":[1,2]}" },
	{ "a = [[[]]]", "{\"a\":[[[]]]}" },
	/* keys */
	{ "bare_key-1 = 1\n\"quoted key\" = 2\n'literal key' = 3\n1234 = 4\n\"\" = 5",
	  "{\"bare_key-1\":1,\"quoted key\":2,\"literal key\":3,\"1234\":4,\"\":5}" },
	{ "a.b.c = 1\na . \"b\" . 'd' = 2", "{\"a\":{\"b\":{\"c\":1,\"d\":2}}}" },
	{ "\"a.b\" = 1\na.b = 2", "{\"a.b\":1,\"a\":{\"b\":2}}" },
	{ "3.14159 = 'pi'", "{\"3\":{\"14159\":\"pi\"}}" },
	{ "true = 1\ninf = 2", "{\"true\":1,\"inf\":2}" },
	{ "\"\\u00e9\" = 1", "{\"\\u00E9\":1}" },
	{ "z = 1\ny = 2\nx = 3", "{\"z\":1,\"y\":2,\"x\":3}" },
	/* inline tables */
	{ "a = {}\nb = { }", "{\"a\":{},\"b\":{}}" },
	{ "a = { x = 1, y.z = 2, y.w = 3 }", "{\"a\":{\"x\":1,\"y\":{\"z\":2,\"w\":3}}}" },
	{ "a = { b = [\n 1,\n 2 ] }", "{\"a\":{\"b\":[1,2]}}" },
	{ "a = {b = {c = {}}}", "{\"a\":{\"b\":{\"c\":{}}}}" },
	/* tables */
	{ "[a]\nx = 1\n[b]\ny = 2", "{\"a\":{\"x\":1},\"b\":{\"y\":2}}" },
	{ "[ a . \"b\" . 'c' ] # comment\nx = 1", "{\"a\":{\"b\":{\"c\":{\"x\":1}}}}" },
	{ "[a.b]\nx = 1\n[a]\ny = 2", "{\"a\":{\"b\":{\"x\":1},\"y\":2}}" },
	{ "[fruit]\napple.color = 'red'\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
	  "{\"fruit\":{\"apple\":{\"color\":\"red\",\"taste\":{\"sweet\":true},\"texture\":{\"smooth\":true}}}}" },
	{ "a.b.c = 1\n[a.d]\ne = 2", "{\"a\":{\"b\":{\"c\":1},\"d\":{\"e\":2}}}" },
	{ "[a.b.c]\n[a]\nb.d = 1", "{\"a\":{\"b\":{\"c\":{},\"d\":1}}}" },
	/* arrays of tables */
	{ "[[p]]\nn = 1\n[[p]]\n[[p]]\nn = 3", "{\"p\":[{\"n\":1},{},{\"n\":3}]}" },
	{ "[[f]]\nn = 'a'\n[f.p]\nc = 1\n[[f.v]]\nn = 'x'\n[[f.v]]\nn = 'y'\n[[f]]\nn = 'b'\n[[f.v]]\nn = 'z'",
	  "{\"f\":[{\"n\":\"a\",\"p\":{\"c\":1},\"v\":[{\"n\":\"x\"},{\"n\":\"y\"}]},"
	  "{\"n\":\"b\",\"v\":[{\"n\":\"z\"}]}]}" },
	{ "[[a]]\n[a.b]\n[[a]]\n[a.b]", "{\"a\":[{\"b\":{}},{\"b\":{}}]}" },
	{ "[[a.b]]\nx = 1\n[a]\ny = 2", "{\"a\":{\"b\":[{\"x\":1}],\"y\":2}}" },
	{ "[[a]]\nb.c = 1\n[[a]]\nb.c = 2", "{\"a\":[{\"b\":{\"c\":1}},{\"b\":{\"c\":2}}]}" },
	/* a pyproject.toml */
	{ "[build-system]\nrequires = [\"setuptools>=61\", \"wheel\"]\nbuild-backend = \"setuptools.build_meta\"\n\n"
	  "[project]\nname = \"demo\"\ndynamic = [\"version\"]\ndependencies = [\n  \"requests>=2\",\n]\n\n"
	  "[project.optional-dependencies]\ntest = [\"pytest\"]\n\n"
	  "[tool.setuptools.packages.find]\nwhere = [\"src\"]\n",
	  "{\"build-system\":{\"requires\":[\"setuptools>=61\",\"wheel\"],\"build-backend\":\"setuptools.build_meta\"},"
	  "\"project\":{\"name\":\"demo\",\"dynamic\":[\"version\"],\"dependencies\":[\"requests>=2\"],"
	  "\"optional-dependencies\":{\"test\":[\"pytest\"]}},"
	  "\"tool\":{\"setuptools\":{\"packages\":{\"find\":{\"where\":[\"src\"]}}}}}" },
};

/* Documents that must be rejected: where (1-based line and column, in characters) and part of the message. */
static const struct {
	const char *doc;
	int line, column;
	const char *msg;
} invalid[] = {
	/* statements */
	{ "a", 1, 2, "expected '=' after a key" },
	{ "a =", 1, 4, "unexpected end of input, expected a value" },
	{ "a = \n1", 1, 5, "unexpected U+000A, expected a value" },
	{ "= 1", 1, 1, "expected a key, a table header or a comment" },
	{ "a = 1 b = 2", 1, 7, "unexpected 'b', expected a newline" },
	{ "a = 1\n  !", 2, 3, "unexpected '!'" },
	{ "a = 1\n\xc3\xa9 = 2", 2, 1, "unexpected '\xc3\xa9'" },
	{ "a = tru", 1, 5, "unexpected 't', expected a value" },
	{ "a = truex", 1, 9, "unexpected 'x'" },
	{ "a.\nb = 1", 1, 3, "expected a key" },
	{ "a..b = 1", 1, 3, "expected a key" },
	{ "\"\"\"a\"\"\" = 1", 1, 3, "expected '=' after a key" },
	/* strings */
	{ "a = \"abc", 1, 5, "unterminated string" },
	{ "a = 'abc", 1, 5, "unterminated string" },
	{ "a = \"\"\"abc\"\"", 1, 5, "unterminated string" },
	{ "a = '''abc", 1, 5, "unterminated string" },
	{ "a = \"a\nb\"", 1, 7, "control character U+000A in string" },
	{ "a = 'a\nb'", 1, 7, "control character U+000A in string" },
	{ "a = \"\\q\"", 1, 6, "invalid escape '\\q'" },
	{ "a = \"\xc3\xa9\\x41\"", 1, 7, "invalid escape '\\x'" },
	{ "a = \"\\e\"", 1, 6, "invalid escape '\\e'" },
	{ "a = \"\\ \"", 1, 6, "invalid escape" },
	{ "a = \"\\u12\"", 1, 6, "needs 4 hexadecimal digits" },
	{ "a = \"\\U0001F60\"", 1, 6, "needs 8 hexadecimal digits" },
	{ "a = \"\\uD800\"", 1, 6, "'\\uD800' is not a unicode scalar value" },
	{ "a = \"\\uDFFF\"", 1, 6, "not a unicode scalar value" },
	{ "a = \"\\U00110000\"", 1, 6, "not a unicode scalar value" },
	{ "a = \"\"\"x \\ y\"\"\"", 1, 10, "line-ending backslash" },
	{ "a = \"\x01\"", 1, 6, "control character U+0001 in string" },
	{ "a = \"\x7f\"", 1, 6, "control character U+007F in string" },
	{ "a = '\x1f'", 1, 6, "control character U+001F in string" },
	{ "a = \"\"\"\x0b\"\"\"", 1, 8, "control character U+000B in string" },
	{ "a = '''a\rb'''", 1, 9, "control character U+000D in string" },
	{ "a = \"x\ry\"", 1, 7, "control character U+000D in string" },
	{ "a = \"\"\"x\"\"\"\"\"\"", 1, 14, "unexpected '\"'" },
	/* comments and line ends */
	{ "# \x01", 1, 3, "control character U+0001 in comment" },
	{ "a = 1 # \x7f", 1, 9, "control character U+007F in comment" },
	{ "a = 1\rb = 2", 1, 6, "unexpected U+000D" },
	{ "a = 1\r\nb = \"\\q\"\r\n", 2, 6, "invalid escape" },
	/* UTF-8 */
	{ "a = \"\xff\"", 1, 6, "invalid UTF-8 byte 0xFF" },
	{ "a = 1\nb = \"\xc0\x80\"", 2, 6, "invalid UTF-8 byte 0xC0" },
	{ "a = \"\xed\xa0\x80\"", 1, 6, "invalid UTF-8 byte 0xED" },
	{ "a = \"\xf4\x90\x80\x80\"", 1, 6, "invalid UTF-8 byte 0xF4" },
	{ "a = \"\xe2\x82\"", 1, 6, "invalid UTF-8 byte 0xE2" },
	{ "# \x80", 1, 3, "invalid UTF-8 byte 0x80" },
	{ "\xef\xbb\xbf" "a = 1", 1, 1, "unexpected '\xef\xbb\xbf'" },
	/* integers */
	{ "a = 01", 1, 6, "unexpected '1'" },
	{ "a = 0_1", 1, 6, "unexpected '_'" },
	{ "a = 1__2", 1, 6, "unexpected '_'" },
	{ "a = 1_", 1, 6, "unexpected '_'" },
	{ "a = _1", 1, 5, "expected a value" },
	{ "a = 9223372036854775808", 1, 5, "integer '9223372036854775808' does not fit in 64 bits" },
	{ "a = -9223372036854775809", 1, 5, "does not fit in 64 bits" },
	{ "a = 0x8000000000000000", 1, 5, "integer '0x8000000000000000' does not fit in 64 bits" },
	{ "a = 0b1_0000000000000000000000000000000000000000000000000000000000000000", 1, 5, "does not fit" },
	{ "a = 0X10", 1, 6, "unexpected 'X'" },
	{ "a = +0x10", 1, 7, "unexpected 'x'" },
	{ "a = 0x", 1, 6, "unexpected 'x'" },
	{ "a = 0b2", 1, 6, "unexpected 'b'" },
	{ "a = 0o8", 1, 6, "unexpected 'o'" },
	/* floats */
	{ "a = 1.", 1, 6, "unexpected '.'" },
	{ "a = .5", 1, 5, "expected a value" },
	{ "a = 1.e5", 1, 6, "unexpected '.'" },
	{ "a = 1e", 1, 6, "unexpected 'e'" },
	{ "a = 1e_5", 1, 6, "unexpected 'e'" },
	{ "a = 01.5", 1, 6, "unexpected '1'" },
	{ "a = Inf", 1, 5, "expected a value" },
	{ "a = infinity", 1, 8, "unexpected 'i'" },
	/* dates */
	{ "a = 1979-02-29", 1, 5, "invalid date '1979-02-29'" },
	{ "a = 1900-02-29", 1, 5, "invalid date" },
	{ "a = 2024-04-31", 1, 5, "invalid date" },
	{ "a = 1979-13-01", 1, 9, "unexpected '-'" },
	{ "a = 1979-05-27T24:00:00", 1, 15, "unexpected 'T'" },
	{ "a = 1979-05-27T07:32:60", 1, 15, "unexpected 'T'" },
	{ "a = 07:32", 1, 6, "unexpected '7'" },
	{ "a = 1979-05-27T07:32:00+24:00", 1, 24, "unexpected '+'" },
	{ "a = 1979-05-27T07:32:00.", 1, 24, "unexpected '.'" },
	{ "a = 1979-05-27  07:32:00", 1, 17, "unexpected '0'" },
	/* arrays */
	{ "a = [", 1, 6, "expected a value" },
	{ "a = [1", 1, 7, "expected ',' or ']' in array" },
	{ "a = [1 2]", 1, 8, "expected ',' or ']' in array" },
	{ "a = [,]", 1, 6, "expected a value" },
	{ "a = [1,,]", 1, 8, "expected a value" },
	{ "a = [\n# \x01\n]", 2, 3, "control character U+0001 in comment" },
	/* inline tables */
	{ "a = {", 1, 6, "expected a key" },
	{ "a = {b = 1,}", 1, 12, "expected a key" },
	{ "a = {b = 1\n}", 1, 11, "expected ',' or '}' in inline table" },
	{ "a = {\nb = 1}", 1, 6, "expected a key" },
	{ "a = {b = 1, b = 2}", 1, 13, "duplicate key 'b'" },
	{ "a = {b = 1, b.c = 2}", 1, 13, "key 'b' is not a table" },
	{ "a = {b = {c = 1}, b.d = 2}", 1, 19, "cannot add keys to inline table 'b'" },
	{ "a = {b = [], b.c = 2}", 1, 14, "key 'b' is not a table" },
	/* keys and tables defined twice */
	{ "a = 1\nb = 2\na = 3", 3, 1, "duplicate key 'a'" },
	{ "a = 1\n'a' = 2", 2, 1, "duplicate key 'a'" },
	{ "\"\\n\" = 1\n\"\\n\" = 2", 2, 1, "duplicate key '\\x0a'" },
	{ "a.b = 1\na.b.c = 2", 2, 1, "key 'b' is not a table" },
	{ "a.b = 1\na = 2", 2, 1, "duplicate key 'a'" },
	{ "[a]\n[a]", 2, 2, "table 'a' is defined twice" },
	{ "[a]\nb = 1\n[c]\n[ a ]", 4, 3, "table 'a' is defined twice" },
	{ "[a.b]\n[a]\n[a]", 3, 2, "table 'a' is defined twice" },
	{ "a = 1\n[a]", 2, 2, "key 'a' is already defined and is not a table" },
	{ "a = 1\n[a.b]", 2, 2, "key 'a' is not a table" },
	{ "[a]\nb = 1\n[a.b]", 3, 2, "key 'b' is already defined and is not a table" },
	/* dotted keys against headers */
	{ "a.b = 1\n[a]", 2, 2, "table 'a' is defined twice" },
	{ "[a]\nb.c = 1\n[a.b]", 3, 2, "table 'b' is defined twice" },
	{ "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 1, "cannot add to table 'c' with dotted keys" },
	{ "[x]\n[x.y]\n[x]", 3, 2, "table 'x' is defined twice" },
	/* inline tables and static arrays are closed */
	{ "a = {b = 1}\na.c = 2", 2, 1, "cannot add keys to inline table or array 'a'" },
	{ "a = {b = 1}\n[a]", 2, 2, "cannot extend inline table or array 'a'" },
	{ "a = {b = {}}\n[a.b]", 2, 2, "cannot extend inline table or array 'a'" },
	{ "a = {b = {}}\n[a.b.c]", 2, 2, "cannot extend inline table or array 'a'" },
	{ "a = [1]\n[[a]]", 2, 3, "cannot extend inline table or array 'a'" },
	{ "a = []\n[[a]]", 2, 3, "cannot extend inline table or array 'a'" },
	{ "a = [{b = 1}]\n[a.c]", 2, 2, "cannot extend inline table or array 'a'" },
	{ "[[a]]\nb = {}\n[a.b.c]", 3, 2, "cannot extend inline table or array 'b'" },
	/* arrays of tables */
	{ "[[a]]\n[a]", 2, 2, "table 'a' is defined twice" },
	{ "[a]\n[[a]]", 2, 3, "key 'a' is already defined and is not an array of tables" },
	{ "[[a]]\n[a.b]\n[a.b]", 3, 2, "table 'b' is defined twice" },
	{ "[[a.b]]\n[a]\nb.y = 2", 3, 1, "cannot add to table 'b' with dotted keys" },
	{ "[[a]]\nb.c = 1\n[a.b]", 3, 2, "table 'b' is defined twice" },
	/* headers */
	{ "[a", 1, 3, "expected ']' after a table header" },
	{ "[a]]", 1, 4, "unexpected ']'" },
	{ "[[a]", 1, 4, "expected ']]' after an array of tables header" },
	{ "[[a] ]", 1, 4, "expected ']]'" },
	{ "[ [a]]", 1, 3, "unexpected '[', expected a key" },
	{ "[]", 1, 2, "unexpected ']', expected a key" },
	{ "[a.]", 1, 4, "expected a key" },
	{ "[a] b = 1", 1, 5, "unexpected 'b', expected a newline" },
};

/* A document as a one-line test label. */
static const char *label(const char *doc, char out[48])
{
	size_t i, n = 0;

	for (i = 0; doc[i] && n < 40; i++) {
		if (doc[i] == '\n') {
			out[n++] = '\\';
			out[n++] = 'n';
		} else {
			out[n++] = (unsigned char)doc[i] < 0x20 ? '?' : doc[i];
		}
	}
	out[n] = '\0';
	return out;
}

static char *dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(17));

	return s ? s : xstrdup("(dump failed)");
}

static void test_valid(void)
{
	char lb[48];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(valid); i++) {
		struct toml_error err;
		json_t *v = toml_parse(valid[i].doc, strlen(valid[i].doc), &err);
		char *s = v ? dump(v) : xasprintf("ERROR %d:%d %s", err.line, err.column, err.msg);

		is_str(s, valid[i].json, "valid %zu: %s", i, label(valid[i].doc, lb));
		free(s);
		json_decref(v);
	}
}

static void test_invalid(void)
{
	char lb[48];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(invalid); i++) {
		struct toml_error err;
		json_t *v = toml_parse(invalid[i].doc, strlen(invalid[i].doc), &err);

		if (!ok(v == NULL, "invalid %zu rejected: %s", i, label(invalid[i].doc, lb))) {
			json_decref(v);
			continue;
		}
		is_int(err.line, invalid[i].line, "invalid %zu line", i);
		is_int(err.column, invalid[i].column, "invalid %zu column", i);
		if (!ok(strstr(err.msg, invalid[i].msg) != NULL, "invalid %zu message", i))
			diag("got '%s', want '%s'", err.msg, invalid[i].msg);
		ok(!strchr(err.msg, '\n') && err.msg[0] >= 'a' && err.msg[0] <= 'z',
		   "invalid %zu message is one lowercase line", i);
	}
}

/* The tagged form distinguishes scalar types (what tests/toml-probe prints). */
static void test_tagged(void)
{
	static const struct {
		const char *doc, *json;
	} cases[] = {
		{ "a = 1", "{\"a\":{\"type\":\"integer\",\"value\":\"1\"}}" },
		{ "a = -0x0", "ERROR" },
		{ "a = 1.5", "{\"a\":{\"type\":\"float\",\"value\":\"1.5\"}}" },
		{ "a = -inf", "{\"a\":{\"type\":\"float\",\"value\":\"-inf\"}}" },
		{ "a = 'inf'", "{\"a\":{\"type\":\"string\",\"value\":\"inf\"}}" },
		{ "a = false", "{\"a\":{\"type\":\"bool\",\"value\":\"false\"}}" },
		{ "a = 1979-05-27 07:32:00z", "{\"a\":{\"type\":\"datetime\",\"value\":\"1979-05-27T07:32:00Z\"}}" },
		{ "a = 1979-05-27T07:32:00",
		  "{\"a\":{\"type\":\"datetime-local\",\"value\":\"1979-05-27T07:32:00\"}}" },
		{ "a = 1979-05-27", "{\"a\":{\"type\":\"date-local\",\"value\":\"1979-05-27\"}}" },
		{ "a = 07:32:00", "{\"a\":{\"type\":\"time-local\",\"value\":\"07:32:00\"}}" },
		{ "[t]\ntype = 1\nvalue = 2", "{\"t\":{\"type\":{\"type\":\"integer\",\"value\":\"1\"},"
		  "\"value\":{\"type\":\"integer\",\"value\":\"2\"}}}" },
		{ "a = 1\na.b = 2", "ERROR" },
		{ "a = 'x'\n[a]", "ERROR" },
		{ "a = [{}]\n[a.b]", "ERROR" },
		{ "a = {type = 'x'}\na.value = 1", "ERROR" },
	};
	char lb[48];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		json_t *v = toml_parse_ex(cases[i].doc, strlen(cases[i].doc), TOML_TAGGED, NULL);
		char *s = v ? dump(v) : xstrdup("ERROR");

		is_str(s, cases[i].json, "tagged %zu: %s", i, label(cases[i].doc, lb));
		free(s);
		json_decref(v);
	}
}

static json_t *nested(const char *open, const char *close, int n, struct toml_error *err)
{
	struct buf b = BUF_INIT;
	json_t *v;
	int i;

	buf_adds(&b, "a = ");
	for (i = 0; i < n; i++)
		buf_adds(&b, open);
	buf_adds(&b, "1");
	for (i = 0; i < n; i++)
		buf_adds(&b, close);
	v = toml_parse(b.s, b.len, err);
	buf_release(&b);
	return v;
}

static void test_depth(void)
{
	struct toml_error err;
	struct buf b = BUF_INIT;
	json_t *v;
	int i;

	v = nested("[", "]", TOML_MAX_DEPTH, &err);
	ok(v != NULL, "arrays nested %d deep", TOML_MAX_DEPTH);
	json_decref(v);
	v = nested("[", "]", TOML_MAX_DEPTH + 1, &err);
	ok(v == NULL && strstr(err.msg, "nesting deeper than 128 levels"), "arrays nested %d deep rejected",
	   TOML_MAX_DEPTH + 1);
	is_int(err.column, 5 + TOML_MAX_DEPTH, "depth error at the first bracket too many");
	v = nested("{b=", "}", TOML_MAX_DEPTH, &err);
	ok(v != NULL, "inline tables nested to depth %d", TOML_MAX_DEPTH);
	json_decref(v);
	v = nested("{b=", "}", TOML_MAX_DEPTH + 1, &err);
	ok(v == NULL && strstr(err.msg, "nesting deeper"), "inline tables nested deeper rejected");
	v = nested("[{b.c=", "}]", 100000, &err);
	ok(v == NULL && strstr(err.msg, "nesting deeper"), "very deep nesting rejected without recursion trouble");

	buf_adds(&b, "[a");
	for (i = 1; i < TOML_MAX_DEPTH + 1; i++)
		buf_adds(&b, ".a");
	buf_adds(&b, "]");
	v = toml_parse(b.s, b.len, &err);
	ok(v == NULL && strstr(err.msg, "nesting deeper"), "header with %d parts rejected", TOML_MAX_DEPTH + 1);
	buf_setlen(&b, b.len - 3);
	buf_adds(&b, "]");
	v = toml_parse(b.s, b.len, &err);
	ok(v != NULL, "header with %d parts accepted", TOML_MAX_DEPTH);
	json_decref(v);
	buf_release(&b);
}

static void test_api(void)
{
	static const char doc[] = "a = \"x\\u0000y\"\n\"k\\u0000\" = 1\nb = 2";
	struct toml_error err;
	json_t *v, *s;
	char path[] = "/tmp/toml-test-XXXXXX";
	int fd;

	/* length-bounded input: the text need not be NUL-terminated, and a NUL inside is an error */
	v = toml_parse(doc, strlen(doc) - 6, &err);
	ok(v != NULL && json_object_size(v) == 2, "only len bytes are read");
	s = json_object_get(v, "a");
	ok(json_is_string(s) && json_string_length(s) == 3 && !memcmp(json_string_value(s), "x\0y", 3),
	   "strings keep NUL bytes");
#if JANSSON_VERSION_HEX >= 0x020e00
	ok(json_object_getn(v, "k\0", 2) != NULL, "keys keep NUL bytes");
#endif
	json_decref(v);
	v = toml_parse("a = 1\0", 6, &err);
	ok(v == NULL && err.line == 1 && err.column == 6, "a NUL byte is rejected");
	v = toml_parse("a = 1\n[a]", 9, NULL);
	ok(v == NULL, "err may be NULL");
	v = toml_parse("a = 1", 5, NULL);
	ok(v != NULL && json_integer_value(json_object_get(v, "a")) == 1, "err may be NULL on success");
	json_decref(v);

	/* files */
	fd = mkstemp(path);
	if (fd < 0)
		BUG("mkstemp:");
	if (write(fd, "[project]\nname = 'x'\n", 21) != 21 || close(fd))
		BUG("write:");
	v = toml_parse_file(path, &err);
	s = json_object_get(json_object_get(v, "project"), "name");
	is_str(json_string_value(s), "x", "toml_parse_file reads a file");
	json_decref(v);
	unlink(path);
	v = toml_parse_file(path, &err);
	ok(v == NULL && err.line == 0 && err.column == 0, "missing file: no position");
	ok(strstr(err.msg, "cannot read '") && strstr(err.msg, "No such file"), "missing file message: %s", err.msg);
}

int main(void)
{
	plan_no_plan();
	test_valid();
	test_invalid();
	test_tagged();
	test_depth();
	test_api();
	return done_testing();
}
