/* url.c: URL helpers (see url.h). */
#include <string.h>

#include <curl/curl.h>

#include "url.h"

char *url_resolve(const char *base, const char *ref)
{
	CURLU *h = curl_url();
	char *s = NULL, *out = NULL;

	if (!h)
		die("out of memory");
	if (curl_url_set(h, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(h, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = xstrdup(s);
	curl_free(s);
	curl_url_cleanup(h);
	return out;
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
