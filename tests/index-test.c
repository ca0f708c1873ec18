/* index-test.c: PEP 691 JSON and PEP 503 HTML project pages. */
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "tap.h"

#define H64A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define H64B "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
#define H64b "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char *str_or_null(const char *s)
{
	return s ? s : "(null)";
}

static void test_json(void)
{
	static const char page[] =
		"{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"foo-bar\", \"files\": ["
		"{\"filename\": \"foo_bar-1.0.tar.gz\", \"url\": \"../../files/foo_bar-1.0.tar.gz#frag\","
		" \"hashes\": {\"sha256\": \"" H64B "\", \"md5\": \"x\"}, \"requires-python\": \">=3.8\","
		" \"yanked\": false, \"size\": 1234, \"upload-time\": \"2024-01-02T03:04:05.000000Z\"},"
		"{\"filename\": \"foo_bar-1.1-py3-none-any.whl\", \"url\": \"https://cdn.example/w/foo_bar-1.1-py3-none-any.whl\","
		" \"hashes\": {}, \"requires-python\": null, \"yanked\": \"broken build\","
		" \"core-metadata\": {\"sha256\": \"" H64A "\"}},"
		"{\"filename\": \"foo_bar-1.2.tar.gz\", \"url\": \"foo_bar-1.2.tar.gz\", \"hashes\": {},"
		" \"yanked\": true, \"dist-info-metadata\": true}"
		"]}";
	struct project_page pg;
	struct buf err = BUF_INIT;
	int r;

	project_page_init(&pg);
	r = index_parse(&pg, "application/vnd.pypi.simple.v1+json", page, strlen(page),
			"http://127.0.0.1:8080/simple/foo-bar/", &err);
	is_int(r, 0, "JSON page parses");
	is_str(err.s, "", "no error text");
	is_int((long long)pg.nfiles, 3, "three files");
	is_str(pg.api_version, "1.1", "api version");
	if (pg.nfiles == 3) {
		is_str(pg.files[0].url, "http://127.0.0.1:8080/files/foo_bar-1.0.tar.gz", "relative url resolved, fragment dropped");
		is_str(pg.files[0].sha256, H64b, "sha256 lowercased");
		is_str(pg.files[0].requires_python, ">=3.8", "requires-python");
		is_int(pg.files[0].yanked, 0, "not yanked");
		is_int(pg.files[0].size, 1234, "size");
		is_str(pg.files[0].upload_time, "2024-01-02T03:04:05.000000Z", "upload-time");
		is_str(pg.files[1].sha256, NULL, "no sha256 when hashes is empty");
		is_str(pg.files[1].requires_python, NULL, "null requires-python");
		ok(pg.files[1].yanked && strcmp(pg.files[1].yanked_reason, "broken build") == 0, "yanked with reason");
		ok(pg.files[1].has_metadata && strcmp(str_or_null(pg.files[1].metadata_sha256), H64A) == 0,
		   "core-metadata with hash");
		is_int(pg.files[1].size, -1, "unknown size");
		ok(pg.files[2].yanked && strcmp(pg.files[2].yanked_reason, "") == 0, "yanked: true");
		ok(pg.files[2].has_metadata && !pg.files[2].metadata_sha256, "dist-info-metadata: true (older name)");
		is_str(pg.files[2].url, "http://127.0.0.1:8080/simple/foo-bar/foo_bar-1.2.tar.gz", "url relative to the page");
	}
	project_page_release(&pg);
}

static void test_json_errors(void)
{
	static const struct {
		const char *body;
		const char *want; /* substring of the error */
	} bad[] = {
		{ "{\"meta\": {\"api-version\": \"2.0\"}, \"files\": []}", "unsupported index API version '2.0'" },
		{ "{\"files\": [", "invalid JSON at line 1" },
		{ "[]", "no 'files' array" },
		{ "{\"files\": [{\"filename\": 3, \"url\": \"x\"}]}", "file 0 has no string 'filename'" },
		{ "{\"files\": [{\"filename\": \"../evil.tar.gz\", \"url\": \"x\", \"hashes\": {}}]}", "unsafe file name" },
		{ "{\"files\": [{\"filename\": \"a.tar.gz\", \"url\": \"a\", \"hashes\": {\"sha256\": \"zz\"}}]}", "malformed sha256" },
		{ "{\"files\": [{\"filename\": \"a.tar.gz\", \"url\": \"a\", \"hashes\": []}]}", "'hashes' is not an object" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct project_page pg;
		struct buf err = BUF_INIT;
		int r;

		project_page_init(&pg);
		r = index_parse_json(&pg, bad[i].body, strlen(bad[i].body), "http://h/simple/a/", &err);
		ok(r < 0 && strstr(err.s, bad[i].want), "bad JSON page %zu: %s", i, bad[i].want);
		if (!(r < 0 && strstr(err.s, bad[i].want)))
			diag("error was '%s'", err.s);
		buf_release(&err);
		project_page_release(&pg);
	}
}

static void test_html(void)
{
	static const char page[] =
		"<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\">"
		"<title>Links for foo</title></head><body>\n"
		"<!-- <a href=\"commented-1.0.tar.gz\">commented</a> -->\n"
		"<h1>Links for foo</h1>\n"
		"<a href=\"../../packages/foo-1.0.tar.gz#sha256=" H64B "\" data-requires-python=\"&gt;=3.8,&lt;4\">foo-1.0.tar.gz</a><br/>\n"
		"<A HREF='foo-1.1.zip' data-yanked=\"\">foo-1.1.zip</A>\n"
		"<a href=foo-1.2.tar.gz data-yanked=\"bad &amp; broken &#8212; &#x27;x&#x27;\" data-dist-info-metadata=\"sha256=" H64A "\">x</a>\n"
		"<a href=\"foo%2Bbar-1.3.tar.gz#md5=abc\" data-core-metadata=\"true\">foo+bar-1.3.tar.gz</a>\n"
		"<a name=\"anchor-without-href\">nothing</a>\n"
		"<base href=\"https://mirror.example/dl/\">\n"
		"<a href=\"foo-1.4.tar.gz\" data-core-metadata=\"false\">foo-1.4.tar.gz</a>\n"
		"</body></html>\n";
	struct project_page pg;
	struct buf err = BUF_INIT;
	int r;

	project_page_init(&pg);
	r = index_parse(&pg, "text/html; charset=utf-8", page, strlen(page), "http://127.0.0.1:1/simple/foo/", &err);
	is_int(r, 0, "HTML page parses");
	is_str(err.s, "", "no error text");
	is_int((long long)pg.nfiles, 5, "five links (comment and href-less anchor skipped)");
	is_str(pg.api_version, "1.0", "repository version from the meta tag");
	if (pg.nfiles == 5) {
		is_str(pg.files[0].filename, "foo-1.0.tar.gz", "filename from the url");
		is_str(pg.files[0].url, "http://127.0.0.1:1/packages/foo-1.0.tar.gz", "relative href resolved");
		is_str(pg.files[0].sha256, H64b, "sha256 fragment");
		is_str(pg.files[0].requires_python, ">=3.8,<4", "data-requires-python unescaped");
		ok(pg.files[1].yanked && strcmp(pg.files[1].yanked_reason, "") == 0, "data-yanked without reason");
		is_str(pg.files[1].filename, "foo-1.1.zip", "uppercase tag and single quotes");
		is_str(pg.files[2].yanked_reason, "bad & broken \xe2\x80\x94 'x'", "entities in the yank reason");
		is_str(pg.files[2].metadata_sha256, H64A, "data-dist-info-metadata with a hash");
		is_str(pg.files[2].url, "http://127.0.0.1:1/simple/foo/foo-1.2.tar.gz", "unquoted href");
		is_str(pg.files[3].filename, "foo+bar-1.3.tar.gz", "percent-decoded file name");
		is_str(pg.files[3].sha256, NULL, "md5 fragment is not a sha256");
		ok(pg.files[3].has_metadata && !pg.files[3].metadata_sha256, "data-core-metadata=true");
		is_str(pg.files[4].url, "https://mirror.example/dl/foo-1.4.tar.gz", "<base href> honoured");
		is_int(pg.files[4].has_metadata, 0, "data-core-metadata=false");
	}
	project_page_release(&pg);
	buf_release(&err);
}

static void test_unescape(void)
{
	struct buf b = BUF_INIT;

	{
		static const char in[] = "&amp;&lt;&gt;&quot;&#39;&#x41;&unknown; & &#;";

		html_unescape_to(&b, in, strlen(in));
	}
	is_str(b.s, "&<>\"'A&unknown; & &#;", "html entities");
	buf_release(&b);
}

static void test_upload_time(void)
{
	static const struct {
		const char *in;
		int rc;
		long long want;
	} t[] = {
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "2020-01-01T00:00:00.000000Z", 0, 1577836800 },
		{ "2020-01-01T00:00:00Z", 0, 1577836800 },
		{ "2020-01-01T02:00:00+02:00", 0, 1577836800 },
		{ "2019-12-31T22:30:00-0130", 0, 1577836800 },
		{ "2000-02-29T12:00:00Z", 0, 951825600 },
		{ "2099-01-01T00:00:00+00:00", 0, 4070908800 },
		{ "1969-12-31T23:59:59Z", 0, -1 },
		{ "2020-01-01 00:00:00z", 0, 1577836800 },
		{ "2020-01-01T00:00:00", -1, 0 },
		{ "2020-01-01", -1, 0 },
		{ "2020-13-01T00:00:00Z", -1, 0 },
		{ "2020-01-01T24:00:00Z", -1, 0 },
		{ "2020-01-01T00:00:00Zx", -1, 0 },
		{ "20-01-01T00:00:00Z", -1, 0 },
		{ "", -1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		long long got = 0;
		int rc = index_upload_time(t[i].in, &got);

		is_int(rc, t[i].rc, "upload-time '%s' %s", t[i].in, t[i].rc ? "refused" : "parses");
		if (rc == 0 && t[i].rc == 0)
			is_int(got, t[i].want, "upload-time '%s' is %lld", t[i].in, t[i].want);
	}
}

int main(void)
{
	plan_no_plan();
	test_json();
	test_json_errors();
	test_html();
	test_unescape();
	test_upload_time();
	return done_testing();
}
