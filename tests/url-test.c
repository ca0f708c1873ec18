/* url-test.c: joining URLs (the fast path against libcurl's), file:// URLs, credentials in messages
 * and in what is written down, fragments such as #sha256=, file names and percent-decoding. */
#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "tap.h"

static void test_resolve(void)
{
	static const struct {
		const char *base, *ref, *want; /* want NULL: malformed */
	} t[] = {
		/* index pages: relative hrefs against the page URL */
		{ "http://h/simple/foo/", "../bar/", "http://h/simple/bar/" },
		{ "http://h/simple/foo/", "https://other/x.tar.gz#sha256=1", "https://other/x.tar.gz#sha256=1" },
		{ "http://h/simple/foo/", "../../packages/foo/foo-1.0.tar.gz#sha256=ab",
		  "http://h/packages/foo/foo-1.0.tar.gz#sha256=ab" },
		{ "http://h/simple/foo/", "foo-1.0.tar.gz", "http://h/simple/foo/foo-1.0.tar.gz" },
		{ "http://h/simple/foo", "foo-1.0.tar.gz", "http://h/simple/foo-1.0.tar.gz" },
		{ "http://h/simple/foo/", "/packages/x.whl", "http://h/packages/x.whl" },
		{ "http://h:8080/simple/foo/", "//cdn.example/x", "http://cdn.example/x" },
		{ "https://u:p@h/simple/foo/", "x.tar.gz", "https://u:p@h/simple/foo/x.tar.gz" },
		/* RFC 3986 5.4: dot segments, queries, fragments */
		{ "http://a/b/c/d;p?q", "g", "http://a/b/c/g" },
		{ "http://a/b/c/d;p?q", "./g", "http://a/b/c/g" },
		{ "http://a/b/c/d;p?q", "g/", "http://a/b/c/g/" },
		{ "http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y" },
		{ "http://a/b/c/d;p?q", "g?y#s", "http://a/b/c/g?y#s" },
		{ "http://a/b/c/d;p?q", ".", "http://a/b/c/" },
		{ "http://a/b/c/d;p?q", "..", "http://a/b/" },
		{ "http://a/b/c/d;p?q", "../..", "http://a/" },
		{ "http://a/b/c/d;p?q", "../../../g", "http://a/g" },
		{ "http://a/b/c/d;p?q", "/./g", "http://a/g" },
		{ "http://a/b/c/d;p?q", "g.", "http://a/b/c/g." },
		{ "http://a/b/c/d;p?q", "..g", "http://a/b/c/..g" },
		{ "http://a/b/c/d;p?q", "./g/.", "http://a/b/c/g/" },
		{ "http://a/b/c/d;p?q", "g/../h", "http://a/b/c/h" },
		/* a file:// index: a static tree whose pages are index.html files */
		{ "file:///tmp/idx/simple/foo/index.html", "../../packages/foo/foo-1.0.tar.gz#sha256=ab",
		  "file:///tmp/idx/packages/foo/foo-1.0.tar.gz#sha256=ab" },
		{ "file:///tmp/idx/simple/foo/index.html", "/srv/x.tar.gz", "file:///srv/x.tar.gz" },
		{ "file:///tmp/idx/simple/foo/index.html", "https://h/x.whl", "https://h/x.whl" },
		{ "not a url", "x", NULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		char *s = url_resolve(t[i].base, t[i].ref);

		is_str(s, t[i].want, "resolve '%s' against '%s'", t[i].ref, t[i].base);
		free(s);
	}
}

/* The fast path of url_resolve must agree with libcurl's resolution on everything. */
static void test_resolve_fast(void)
{
	static const char *const bases[] = {
		"http://127.0.0.1:8080/simple/foo/", "https://pypi.example/simple/foo/index.html",
		"http://h/simple/foo", "http://h/", "http://h/a/b/c/?q=1#f", "https://u:p@h:1/x/y/",
		"file:///tmp/index/simple/foo/index.html", "http://h/a/./b/../c/", "http://[::1]:8080/simple/foo/",
		"https://h/simple/foo/?", "http://h/a%2Fb/c/", "http://u@h/simple/foo/",
	};
	static const char *const refs[] = {
		"foo-1.0.tar.gz", "../../packages/foo-1.0.tar.gz#sha256=ab", "/packages/x.whl", "./x", "../x",
		"../../../../x", "a/./b/../c", "a/b/..", "a/b/.", ".", "..", "x?y=1#z", "x#frag",
		"https://files.example/packages/ab/cd/foo-1.0.tar.gz#sha256=0f",
		"http://other:8080/a/../b", "HTTP://Other/x", "//cdn.example/x", "?q", "#f", "mailto:x",
		"a:b/c", "x%20y.tar.gz", "a//b", "/", "/a/b/../../..", "https://h", "https://h/",
		"foo bar.tar.gz", "..%2fx",
		/* added with url-test.c */
		"%2e%2e/x", ".../x", "..x/y", "x/..", "x/../..", "x/./", "./", "a/b/../../../c", "g;x=1/../y",
		"x?a/../b", "x#a/../b", "x?#", "x?", "x#", "x?a#", "x?#b", "x??", "x##", "http://h/x?#", "/%7euser/x",
		"a%2Fb", "http://h:80/x", "https://h:443/x",
		"http://Other/x", "http://[::1]/x", "http://[::1]:8080/x", "http://user@h/x", "http://u:p@h/x",
		"http://h/x?y#z", "http://h/x#a#b", "file:///tmp/x", "file:/tmp/x", "x:y", "./x:y", "a/b:c",
		"\xc3\xa9.tar.gz", "x\ty", "x|y", "x^y", "x{y}", "x`y", "x\\y", "",
	};
	size_t i, j, n = 0, bad = 0;

	for (i = 0; i < ARRAY_SIZE(bases); i++)
		for (j = 0; j < ARRAY_SIZE(refs); j++) {
			char *fast = url_resolve(bases[i], refs[j]), *slow = url_resolve_curl(bases[i], refs[j]);

			n++;
			if ((fast == NULL) != (slow == NULL) || (fast && strcmp(fast, slow) != 0)) {
				bad++;
				diag("'%s' + '%s': '%s' vs libcurl '%s'", bases[i], refs[j], fast ? fast : "NULL",
				     slow ? slow : "NULL");
			}
			free(fast);
			free(slow);
		}
	ok(bad == 0, "url_resolve agrees with libcurl on %zu base/reference pairs", n);
}

static void test_credentials(void)
{
	static const struct {
		const char *in, *redacted, *without;
	} t[] = {
		{ "https://user:secret@host/simple/", "https://***@host/simple/", "https://host/simple/" },
		{ "https://token@host:8080/x?y", "https://***@host:8080/x?y", "https://host:8080/x?y" },
		{ "https://host/a@b", "https://host/a@b", "https://host/a@b" },
		{ "https://u:p@ss@host/", "https://***@host/", "https://host/" },
		{ "file:///tmp/x", "file:///tmp/x", "file:///tmp/x" },
		{ "https://u:p@host", "https://***@host", "https://host" },
		{ "https://u:p@host?q=a@b", "https://***@host?q=a@b", "https://host?q=a@b" },
		{ "https://u:p@host#a@b", "https://***@host#a@b", "https://host#a@b" },
		{ "https://host/x?next=a@b#c@d", "https://host/x?next=a@b#c@d", "https://host/x?next=a@b#c@d" },
		{ "https://@host/", "https://***@host/", "https://host/" },
		{ "host/simple/", "host/simple/", "host/simple/" },
		{ "u:p@host/simple/", "u:p@host/simple/", "u:p@host/simple/" },
		{ "", "", "" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		char *s = url_redacted(t[i].in);

		is_str(s, t[i].redacted, "redact '%s'", t[i].redacted);
		free(s);
		s = url_without_credentials(t[i].in);
		is_str(s, t[i].without, "without credentials '%s'", t[i].without);
		free(s);
	}
	buf_adds(&b, "index ");
	url_redact_to(&b, "https://u:p@h/simple/");
	is_str(b.s, "index https://***@h/simple/", "url_redact_to appends");
	buf_release(&b);
}

static void test_fragment(void)
{
	static const struct {
		const char *in, *url, *fragment; /* fragment NULL: none */
	} t[] = {
		{ "https://h/p/foo-1.0.tar.gz#sha256=ab12", "https://h/p/foo-1.0.tar.gz", "sha256=ab12" },
		{ "https://h/p/foo-1.0.tar.gz", "https://h/p/foo-1.0.tar.gz", NULL },
		{ "https://h/p/foo-1.0.tar.gz#", "https://h/p/foo-1.0.tar.gz", "" },
		{ "https://h/p/x?q=1#md5=00#x", "https://h/p/x?q=1", "md5=00#x" },
		{ "#sha256=00", "", "sha256=00" },
		{ "file:///tmp/x.zip#egg=x", "file:///tmp/x.zip", "egg=x" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		const char *frag = "unset";
		char *u = url_split_fragment(t[i].in, &frag);

		is_str(u, t[i].url, "split '%s': the URL", t[i].in);
		is_str(frag, t[i].fragment, "split '%s': the fragment", t[i].in);
		ok(!frag || (frag > t[i].in && frag <= t[i].in + strlen(t[i].in)), "split '%s': points into the input",
		   t[i].in);
		free(u);
	}
}

static void test_basename(void)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "https://h/packages/ab/foo-1.0.tar.gz#sha256=00", "foo-1.0.tar.gz" },
		{ "https://h/packages/foo-1.0.tar.gz?x=/y#z/w", "foo-1.0.tar.gz" },
		{ "https://h/packages/foo%2Bbar-1.0.tar.gz", "foo+bar-1.0.tar.gz" },
		{ "https://h/packages/foo%2fbar", "foo/bar" },
		{ "https://h/packages/", "" },
		{ "file:///tmp/idx/packages/foo/foo-1.0.zip", "foo-1.0.zip" },
		{ "foo-1.0.tar.gz", "foo-1.0.tar.gz" },
		{ "", "" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		buf_reset(&b);
		url_basename_to(&b, t[i].in);
		is_str(b.s, t[i].want, "basename of '%s'", t[i].in);
	}
	buf_release(&b);
}

static void test_unescape(void)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} t[] = {
		{ "a%2Bb%zz%4", 10, "a+b%zz%4" },
		{ "%41%42%43", 9, "ABC" },
		{ "%4a%4A", 6, "JJ" },
		{ "%", 1, "%" },
		{ "%4", 2, "%4" },
		{ "x%41", 4, "xA" },
		{ "%41", 2, "%4" },
		{ "%%41", 4, "%A" },
		{ "%g1%1g", 6, "%g1%1g" },
		{ "%C3%A9", 6, "\xc3\xa9" },
		{ "a+b", 3, "a+b" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		buf_reset(&b);
		url_unescape_to(&b, t[i].in, t[i].len);
		is_str(b.s, t[i].want, "percent-decode '%.*s'", (int)t[i].len, t[i].in);
	}
	buf_reset(&b);
	url_unescape_to(&b, "a%00b", 5);
	ok(b.len == 3 && memcmp(b.s, "a\0b", 3) == 0, "percent-decode '%%00' keeps the NUL byte");
	buf_release(&b);
}

int main(void)
{
	plan_no_plan();
	test_resolve();
	test_resolve_fast();
	test_credentials();
	test_fragment();
	test_basename();
	test_unescape();
	return done_testing();
}
