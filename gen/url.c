/* url.c: URL helpers (see url.h). */
#include <string.h>

#include <curl/curl.h>

#include "url.h"

char *url_resolve_curl(const char *base, const char *ref)
{
	CURLU *h = curl_url();
	char *s = NULL, *out = NULL;

	if (!h)
		xalloc_die("out of memory");
	if (curl_url_set(h, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(h, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = xstrdup(s);
	curl_free(s);
	curl_url_cleanup(h);
	return out;
}

/* Plain characters: printable ASCII without space, backslash, quotes or angle brackets. */
static int plain(const char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s > '~' || *s == '\\' || *s == '"' || *s == '<' || *s == '>' || *s == '`' ||
		    *s == '{' || *s == '}' || *s == '|' || *s == '^')
			return 0;
	return 1;
}

/* Length of "http://authority" or "https://authority" at the start of s, or 0. */
static size_t http_origin_len(const char *s)
{
	size_t n;

	if (starts_with(s, "http://"))
		n = 7;
	else if (starts_with(s, "https://"))
		n = 8;
	else
		return 0;
	n += strcspn(s + n, "/?#");
	return s[n] == '/' ? n : 0;
}

/* Does path[0..len) have a "." or ".." segment? */
static int has_dot_segment(const char *path, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && path[j] != '/')
			j++;
		if ((j - i == 1 && path[i] == '.') || (j - i == 2 && path[i] == '.' && path[i + 1] == '.'))
			return 1;
		i = j + 1;
	}
	return 0;
}

/* RFC 3986 5.2.4 on an absolute path (starting with '/'), appended to out. */
static void remove_dot_segments(struct buf *out, const char *path, size_t len)
{
	size_t start = out->len, i = 0;

	while (i < len) {
		size_t j = i + 1;

		while (j < len && path[j] != '/')
			j++;
		/* the segment is path[i+1 .. j) */
		if (j - i == 2 && path[i + 1] == '.') {
			if (j == len)
				buf_addch(out, '/');
		} else if (j - i == 3 && path[i + 1] == '.' && path[i + 2] == '.') {
			size_t k = out->len;

			while (k > start && out->s[k - 1] != '/')
				k--;
			buf_setlen(out, k > start ? k - 1 : start);
			if (j == len)
				buf_addch(out, '/');
		} else {
			buf_add(out, path + i, j - i);
		}
		i = j;
	}
	if (out->len == start)
		buf_addch(out, '/');
}

/* The common cases of index pages, without libcurl's full parser: an absolute http(s) URL
 * without dot segments, or a path (absolute or relative) against an http(s) base. Returns
 * NULL when the case is not one of these. */
static char *resolve_fast(const char *base, const char *ref)
{
	size_t olen = http_origin_len(base), rlen;
	const char *rq, *frag;
	struct buf b = BUF_INIT;

	if (!plain(ref) || !plain(base))
		return NULL;
	rlen = strcspn(ref, "?#");
	rq = ref + rlen;
	frag = strchr(rq, '#');
	/* libcurl drops an empty query or fragment ("x?", "x#"): left to it */
	if ((rq[0] == '?' && (rq[1] == '\0' || rq[1] == '#')) || (frag && frag[1] == '\0'))
		return NULL;
	if (http_origin_len(ref)) {
		size_t ro = http_origin_len(ref);

		if (has_dot_segment(ref + ro, rlen - ro))
			return NULL;
		return xstrdup(ref);
	}
	/* a scheme (a ':' before any '/', '?', '#'), a network path, or only a query or fragment */
	if (!olen || !rlen || ref[strcspn(ref, ":/?#")] == ':' || starts_with(ref, "//"))
		return NULL;
	buf_add(&b, base, olen);
	if (ref[0] == '/') {
		remove_dot_segments(&b, ref, rlen);
	} else {
		size_t blen = olen + strcspn(base + olen, "?#"), dir = blen;
		struct buf path = BUF_INIT;

		while (dir > olen && base[dir - 1] != '/')
			dir--;
		buf_add(&path, base + olen, dir - olen);
		buf_add(&path, ref, rlen);
		remove_dot_segments(&b, path.s, path.len);
		buf_release(&path);
	}
	buf_adds(&b, rq);
	return buf_detach(&b, NULL);
}

char *url_resolve(const char *base, const char *ref)
{
	char *s = resolve_fast(base, ref);

	return s ? s : url_resolve_curl(base, ref);
}

void url_redact_to(struct buf *out, const char *url)
{
	const char *scheme_end = strstr(url, "://");
	const char *auth, *at, *end;

	if (!scheme_end) {
		buf_adds(out, url);
		return;
	}
	auth = scheme_end + 3;
	end = auth + strcspn(auth, "/?#");
	at = memchr(auth, '@', (size_t)(end - auth));
	if (!at) {
		buf_adds(out, url);
		return;
	}
	/* the last '@' of the authority ends the credentials */
	while (memchr(at + 1, '@', (size_t)(end - at - 1)))
		at = memchr(at + 1, '@', (size_t)(end - at - 1));
	buf_add(out, url, (size_t)(auth - url));
	buf_adds(out, "***@");
	buf_adds(out, at + 1);
}

char *url_redacted(const char *url)
{
	struct buf b = BUF_INIT;

	url_redact_to(&b, url);
	return buf_detach(&b, NULL);
}

char *url_without_credentials(const char *url)
{
	const char *scheme_end = strstr(url, "://");
	const char *auth, *at, *end;
	struct buf b = BUF_INIT;

	if (!scheme_end)
		return xstrdup(url);
	auth = scheme_end + 3;
	end = auth + strcspn(auth, "/?#");
	at = memchr(auth, '@', (size_t)(end - auth));
	if (!at)
		return xstrdup(url);
	while (memchr(at + 1, '@', (size_t)(end - at - 1)))
		at = memchr(at + 1, '@', (size_t)(end - at - 1));
	buf_add(&b, url, (size_t)(auth - url));
	buf_adds(&b, at + 1);
	return buf_detach(&b, NULL);
}

char *url_split_fragment(const char *url, const char **fragment)
{
	const char *hash = strchr(url, '#');

	*fragment = hash ? hash + 1 : NULL;
	return xstrndup(url, hash ? (size_t)(hash - url) : strlen(url));
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 32;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void url_unescape_to(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int hi = i + 2 < len ? hexval((unsigned char)s[i + 1]) : -1;
		int lo = i + 2 < len ? hexval((unsigned char)s[i + 2]) : -1;

		if (s[i] == '%' && hi >= 0 && lo >= 0) {
			buf_addch(out, hi * 16 + lo);
			i += 2;
		} else {
			buf_addch(out, s[i]);
		}
	}
}

void url_basename_to(struct buf *out, const char *url)
{
	size_t end = strcspn(url, "?#");
	size_t start = end;

	while (start > 0 && url[start - 1] != '/')
		start--;
	url_unescape_to(out, url + start, end - start);
}
