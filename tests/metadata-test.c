/* metadata-test.c: unit tests for gen/metadata.c. */
#include <stdlib.h>
#include <string.h>

#include "metadata.h"
#include "tap.h"

/* Refused input: the whole one-line error expected. */
static const struct {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *err;
} bad[] = {
	{ "", 0, "line 1: no header fields" },
	{ "\n\nName: x\n", 0, "line 1: no header fields" },
	{ "Name: x\nnocolon\nVersion: 1\n", 0, "line 2: malformed header line 'nocolon'" },
	{ "Name: x\r\nA b: c\r\n", 0, "line 2: malformed header line 'A b: c'" },
	{ "Name: x\rA\x01: c\r", 0, "line 2: malformed header line 'A\\x01: c'" },
	{ " lead: x\nName: x\n", 0, "line 1: continuation line before any field ' lead: x'" },
	{ "Name: x\n:value\n", 0, "line 2: empty field name ':value'" },
	{ "From someone\nName: x\n", 0, "line 1: unexpected envelope line 'From someone'" },
	{ "Name: x\nFrom x", 0, "line 2: unexpected envelope line 'From x'" },
	{ "Name: x\n\xc3\x84: 1\n", 0, "line 2: malformed header line '\xc3\x84: 1'" },
	{ "Name: x\nSummary: \xff\n", 0, "line 2: invalid UTF-8 (byte 0xff)" },
	{ "Name: x\r\n\r\nbody \xc0\x80", 0, "line 3: invalid UTF-8 (byte 0xc0)" },
	{ "Name: \xed\xa0\x80\n", 0, "line 1: invalid UTF-8 (byte 0xed)" },
	{ "Name: \xf4\x90\x80\x80\n", 0, "line 1: invalid UTF-8 (byte 0xf4)" },
	{ "Name: \xe2\x82", 0, "line 1: invalid UTF-8 (byte 0xe2)" },
	{ "Name: x\nSummary: a\0b\n", 19, "line 2: NUL byte" },
	{ "Metadata-Version: 2.x\n", 0, "line 1: malformed Metadata-Version '2.x'" },
	{ "Metadata-Version: 2\n", 0, "line 1: malformed Metadata-Version '2'" },
	{ "Metadata-Version: 2.1.0\n", 0, "line 1: malformed Metadata-Version '2.1.0'" },
	{ "Metadata-Version:\n", 0, "line 1: malformed Metadata-Version ''" },
	{ "Metadata-Version: 3.0\n", 0, "line 1: unsupported Metadata-Version '3.0'" },
	{ "Metadata-Version: 2.1\nmetadata-version: 2.1\n", 0, "line 2: repeated Metadata-Version '2.1'" },
	{ "Name: x\nA long line without a colon that goes on and on and on beyond sixty bytes\n", 0,
	  "line 2: malformed header line 'A long line without a colon that goes on and on and on beyon...'" },
};

/* Accepted input: "name=value|name=value|..." with values (unfolded), then the body. */
static const struct {
	const char *in;
	const char *fields;
	const char *body;
} good[] = {
	{ "Name: foo", "Name=foo", "" },
	{ "Name: foo\n", "Name=foo", "" },
	{ "Name:foo  \n", "Name=foo", "" },
	{ "Name:\t \tfoo\n\n", "Name=foo", "" },
	{ "Name: foo\n\n\n", "Name=foo", "\n" },
	{ "name: a\nNAME: b\n", "name=a|NAME=b", "" },
	{ "Requires-Dist: a\r\n  ; extra == 'x'\r\nB: 2\r\n", "Requires-Dist=a  ; extra == 'x'|B=2", "" },
	{ "A: 1\n   \nB: 2\n", "A=1|B=2", "" },
	{ "A:\n 2.2\n", "A=2.2", "" },
	{ "A: 1\rB: 2\r\rbody\r", "A=1|B=2", "body\r" },
	{ "A:: 1\n", "A=: 1", "" },
	{ "A: 1\n\nFrom x\nnocolon\n", "A=1", "From x\nnocolon\n" },
	{ "X-Weird!~: v\n", "X-Weird!~=v", "" },
	{ "From:me\n", "From=me", "" },
	{ "A: a\xe2\x80\xa8" "B: b\n", "A=a\xe2\x80\xa8" "B: b", "" },
	{ "Description: first\n        second\n          indented\n        \n        after blank\n",
	  "Description=first\nsecond\n  indented\n\nafter blank", "" },
	{ "Description: first\n       |second\n       |  indented\n       |\n       |last\n",
	  "Description=first\nsecond\n  indented\n\nlast", "" },
	{ "Description: first\n        |second\n        |\n        |    code\n",
	  "Description=first\nsecond\n\n    code", "" },
	{ "Description: first\n        |table|\n        plain\n",
	  "Description=first\n|table|\nplain", "" },
	{ "Description: a\n  b\n\tc\n", "Description=a\nb\nc", "" },
	{ "Description: a\r\n        b\r\n", "Description=a\nb", "" },
};

/* The input escaped for a test name (one line); a static buffer reused by each call. */
static const char *esc(const char *s)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	for (; *s; s++) {
		if (*s == '\n')
			buf_adds(&b, "\\n");
		else if (*s == '\r')
			buf_adds(&b, "\\r");
		else if ((unsigned char)*s < 0x20 || *s == '#')
			buf_addf(&b, "\\x%02x", (unsigned char)*s);
		else
			buf_addch(&b, *s);
	}
	return b.s;
}

static void split_check(const struct metadata *md, const char *want, const char *in)
{
	struct buf got = BUF_INIT;
	size_t i;

	for (i = 0; i < md->nr; i++)
		buf_addf(&got, "%s%s=%s", i ? "|" : "", md->fields[i].name, md->fields[i].value);
	is_str(got.s, want, "fields of '%s'", esc(in));
	buf_release(&got);
}

static void test_tables(void)
{
	struct buf err = BUF_INIT;
	struct metadata md;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].in);
		int rc = metadata_parse(bad[i].in, len, &md, &err);

		is_int(rc, -1, "refused: '%s'", esc(bad[i].in));
		is_str(err.s, bad[i].err, "error message for '%s'", esc(bad[i].in));
		is_int((long long)md.nr, 0, "nothing left after error for '%s'", esc(bad[i].in));
		metadata_release(&md);
	}
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		int rc = metadata_parse(good[i].in, strlen(good[i].in), &md, &err);

		is_int(rc, 0, "accepted: '%s'", esc(good[i].in));
		if (rc)
			diag("error: %s", err.s);
		split_check(&md, good[i].fields, good[i].in);
		is_str(md.body, good[i].body, "body of '%s'", esc(good[i].in));
		is_int((long long)md.body_len, (long long)strlen(good[i].body), "body length of '%s'", esc(good[i].in));
		metadata_release(&md);
	}
	buf_release(&err);
}

static const char pkg_info[] =
	"Metadata-Version: 2.2\n"
	"Name: example-pkg\n"
	"Version: 1.0\n"
	"Dynamic: license\n"
	"dynamic:  Requires-Dist \n"
	"Requires-Python: >=3.8\n"
	"Requires-Dist: requests>=2\n"
	"Provides-Extra: test\n"
	"requires-dist: pytest; extra == \"test\"\n"
	"REQUIRES-DIST: tomli;\n"
	"  python_version < \"3.11\"\n"
	"\n"
	"The long description.\n";

static void test_accessors(void)
{
	struct buf err = BUF_INIT;
	struct metadata md;
	const char **all = NULL;
	const struct metadata_field *f;
	size_t n;

	if (!ok(!metadata_parse(pkg_info, strlen(pkg_info), &md, &err), "PKG-INFO parses")) {
		diag("error: %s", err.s);
		return;
	}
	is_str(metadata_get(&md, "name"), "example-pkg", "get is case-insensitive");
	is_str(metadata_get(&md, "Requires-Python"), ">=3.8", "get Requires-Python");
	ok(metadata_get(&md, "Summary") == NULL, "get of an absent field is NULL");
	n = metadata_get_all(&md, "Requires-Dist", &all);
	is_int((long long)n, 3, "three Requires-Dist");
	if (n == 3) {
		is_str(all[0], "requests>=2", "Requires-Dist 1");
		is_str(all[1], "pytest; extra == \"test\"", "Requires-Dist 2");
		is_str(all[2], "tomli;  python_version < \"3.11\"", "Requires-Dist 3 unfolded");
	}
	free(all);
	is_int((long long)metadata_get_all(&md, "Provides-Extra", NULL), 1, "count without array");
	all = (const char **)&n;
	is_int((long long)metadata_get_all(&md, "Obsoletes", &all), 0, "no Obsoletes");
	ok(all == NULL, "empty get_all gives NULL");
	f = metadata_next(&md, "requires-dist", NULL);
	ok(f && f->line == 7, "first Requires-Dist on line 7");
	f = metadata_next(&md, "requires-dist", f);
	ok(f && f->line == 9 && !strcmp(f->name, "requires-dist"), "second on line 9, name as written");
	f = metadata_next(&md, "requires-dist", f);
	ok(f && !strcmp(f->raw, "tomli;\n  python_version < \"3.11\""), "raw value keeps the folding");
	f = metadata_next(&md, "requires-dist", f);
	ok(f == NULL, "iteration ends");

	ok(metadata_is_dynamic(&md, "License"), "License is dynamic");
	ok(metadata_is_dynamic(&md, "requires-dist"), "Requires-Dist is dynamic (case, blanks)");
	ok(!metadata_is_dynamic(&md, "Requires-Python"), "Requires-Python is not dynamic");
	ok(!metadata_is_dynamic(&md, "Requires"), "no prefix matching");
	is_str(metadata_description(&md), "The long description.\n", "description from the body");
	metadata_release(&md);
	buf_release(&err);
}

static void test_description(void)
{
	struct buf err = BUF_INIT;
	struct metadata md;
	static const char both[] = "Name: x\nDescription: header\n\nbody\n";
	static const char none[] = "Name: x\n\n";

	if (!metadata_parse(both, strlen(both), &md, &err))
		is_str(metadata_description(&md), "header", "Description field wins over the body");
	metadata_release(&md);
	if (!metadata_parse(none, strlen(none), &md, &err))
		ok(metadata_description(&md) == NULL, "no description");
	metadata_release(&md);
	buf_release(&err);
}

static const struct {
	const char *version; /* NULL: no Metadata-Version field */
	int major, minor;
	int want;
} versions[] = {
	{ "2.2", 2, 2, 1 },
	{ "2.1", 2, 2, 0 },
	{ "2.3", 2, 2, 1 },
	{ "1.2", 2, 2, 0 },
	{ "2.0", 1, 9, 1 },
	{ "2.10", 2, 2, 1 },
	{ "2.10", 2, 11, 0 },
	{ "1.0", 1, 0, 1 },
	{ "1.0", 1, 1, 0 },
	{ "02.02", 2, 2, 1 },
	{ NULL, 1, 0, 0 },
	{ NULL, 0, 0, 0 },
};

static void test_versions(void)
{
	struct buf err = BUF_INIT, text = BUF_INIT;
	struct metadata md;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		buf_reset(&text);
		if (versions[i].version)
			buf_addf(&text, "Metadata-Version: %s\n", versions[i].version);
		buf_adds(&text, "Name: x\n");
		if (metadata_parse(text.s, text.len, &md, &err)) {
			ok(0, "parse with Metadata-Version %s: %s", versions[i].version, err.s);
			continue;
		}
		is_int(metadata_version_at_least(&md, versions[i].major, versions[i].minor), versions[i].want,
		       "Metadata-Version %s at least %d.%d", versions[i].version ? versions[i].version : "(none)",
		       versions[i].major, versions[i].minor);
		metadata_release(&md);
	}
	buf_release(&text);
	buf_release(&err);
}

int main(void)
{
	plan_no_plan();
	test_tables();
	test_accessors();
	test_description();
	test_versions();
	return done_testing();
}
