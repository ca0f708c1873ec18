/* mirror-test.c: PEP 503 pages of the static mirror, escaping, file comparison. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "mirror.h"
#include "tap.h"

static void test_project_page(void)
{
	/* the second filename is odd on purpose, to see both escapes */
	struct mirror_file f[] = {
		{ "foo_bar-1.0-py3-none-any.whl", "aa", NULL, NULL },
		{ "foo_bar-1.0%loc-py3-none-any.whl", "bb", ">=3.8,<4", "cc" },
	};
	struct mirror_file r[] = { f[1], f[0] };
	struct buf a = BUF_INIT, b = BUF_INIT;

	mirror_project_page(&a, "foo-bar", f, 2);
	mirror_project_page(&b, "foo-bar", r, 2);
	is_str(a.s, b.s, "the page does not depend on the order given");
	ok(strstr(a.s, ">foo_bar-1.0%loc") < strstr(a.s, ">foo_bar-1.0-py3"), "files sorted bytewise ('%%' < '-')");
	ok(strstr(a.s, "href=\"foo_bar-1.0%25loc-py3-none-any.whl#sha256=bb\"") != NULL, "href percent-encoded");
	ok(strstr(a.s, "data-requires-python=\"&gt;=3.8,&lt;4\"") != NULL, "requires-python HTML-escaped");
	ok(strstr(a.s, " data-dist-info-metadata=\"sha256=cc\" data-core-metadata=\"sha256=cc\">") != NULL,
	   "both metadata attributes");
	ok(strstr(a.s, "href=\"foo_bar-1.0-py3-none-any.whl#sha256=aa\">") != NULL, "no attributes when absent");
	ok(strstr(a.s, "<title>Links for foo-bar</title>") != NULL && starts_with(a.s, "<!DOCTYPE html>\n"),
	   "title and doctype");
	buf_release(&a);
	buf_release(&b);

	mirror_project_page(&a, "empty", NULL, 0);
	ok(strstr(a.s, "<a ") == NULL && ends_with(a.s, "</html>\n"), "an empty project page is well formed");
	buf_release(&a);
}

static void test_golden(void)
{
	struct mirror_file f[] = {
		{ "foo_bar-1.0+loc-py3-none-any.whl", "bb", ">=3.8,<4", "cc" },
		{ "foo_bar-1.0-py3-none-any.whl", "aa", NULL, NULL },
	};
	static const char want[] =
		"<!DOCTYPE html>\n<html>\n  <head>\n"
		"    <meta name=\"pypi:repository-version\" content=\"1.0\">\n"
		"    <title>Links for foo-bar</title>\n  </head>\n  <body>\n"
		"    <h1>Links for foo-bar</h1>\n"
		"    <a href=\"foo_bar-1.0+loc-py3-none-any.whl#sha256=bb\" data-requires-python=\"&gt;=3.8,&lt;4\""
		" data-dist-info-metadata=\"sha256=cc\" data-core-metadata=\"sha256=cc\">"
		"foo_bar-1.0+loc-py3-none-any.whl</a><br>\n"
		"    <a href=\"foo_bar-1.0-py3-none-any.whl#sha256=aa\">foo_bar-1.0-py3-none-any.whl</a><br>\n"
		"  </body>\n</html>\n";
	struct buf a = BUF_INIT;

	mirror_project_page(&a, "foo-bar", f, 2);
	is_str(a.s, want, "project page, golden ('+' < '-' bytewise, '+' kept in hrefs)");
	buf_release(&a);
}

static void test_root_page(void)
{
	const char *names[] = { "zope-thing", "a", "foo-bar" };
	const char *rev[] = { "foo-bar", "zope-thing", "a" };
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *pa, *pf, *pz;

	mirror_root_page(&a, names, 3);
	mirror_root_page(&b, rev, 3);
	is_str(a.s, b.s, "root page does not depend on the order given");
	pa = strstr(a.s, "<a href=\"a/\">a</a><br>\n");
	pf = strstr(a.s, "<a href=\"foo-bar/\">foo-bar</a><br>\n");
	pz = strstr(a.s, "<a href=\"zope-thing/\">zope-thing</a><br>\n");
	ok(pa && pf && pz && pa < pf && pf < pz, "root page links sorted, with trailing slashes");
	ok(strstr(a.s, "<title>Simple index</title>") != NULL, "root page title");
	buf_release(&a);
	buf_release(&b);
}

static void test_escapes(void)
{
	static const struct {
		const char *in, *html, *url;
	} t[] = {
		{ "plain-1.0_x.whl", "plain-1.0_x.whl", "plain-1.0_x.whl" },
		{ "a&b<c>\"'", "a&amp;b&lt;c&gt;&quot;&#39;", "a%26b%3Cc%3E%22%27" },
		{ "1!2+3~", "1!2+3~", "1!2+3~" },
		{ "sp ace/#?", "sp ace/#?", "sp%20ace%2F%23%3F" },
		{ "", "", "" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct buf h = BUF_INIT, u = BUF_INIT;

		html_escape_to(&h, t[i].in);
		url_path_escape_to(&u, t[i].in);
		is_str(h.s, t[i].html, "html escape of '%s'", t[i].in);
		is_str(u.s, t[i].url, "url escape of '%s'", t[i].in);
		buf_release(&h);
		buf_release(&u);
	}
}

static void test_identical(void)
{
	char dir[] = "/tmp/wbgen-mirror-test.XXXXXX";
	char *a, *b, *c, *big, *big2;
	struct buf data = BUF_INIT;
	size_t i;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	a = xasprintf("%s/a", dir);
	b = xasprintf("%s/b", dir);
	c = xasprintf("%s/c", dir);
	big = xasprintf("%s/big", dir);
	big2 = xasprintf("%s/big2", dir);
	write_file(a, "hello", 5, WRITE_NOSYNC);
	write_file(b, "hello", 5, WRITE_NOSYNC);
	write_file(c, "hellp", 5, WRITE_NOSYNC);
	for (i = 0; i < 200000; i++)
		buf_addch(&data, (int)('a' + i % 26));
	write_file(big, data.s, data.len, WRITE_NOSYNC);
	data.s[150000] = '!';
	write_file(big2, data.s, data.len, WRITE_NOSYNC);
	ok(files_identical(a, b) && files_identical(b, a), "same bytes are identical (both orders)");
	ok(!files_identical(a, c) && !files_identical(c, a), "different bytes are not (both orders)");
	ok(files_identical(a, a), "a file is identical to itself");
	ok(!files_identical(big, big2) && !files_identical(big2, big), "a difference past the first block");
	ok(!files_identical(a, big), "different sizes");
	ok(!files_identical(a, "/nonexistent/x") && !files_identical("/nonexistent/x", a), "a missing file");
	unlink(a);
	unlink(b);
	unlink(c);
	unlink(big);
	unlink(big2);
	rmdir(dir);
	free(a);
	free(b);
	free(c);
	free(big);
	free(big2);
	buf_release(&data);
}

int main(void)
{
	plan_no_plan();
	test_project_page();
	test_golden();
	test_root_page();
	test_escapes();
	test_identical();
	return done_testing();
}
