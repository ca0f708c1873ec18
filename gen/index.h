/* index.h: project pages of a package index (PEP 503 HTML, PEP 691 JSON), parsed into
 * the list of files a project offers. Fetching is elsewhere (gen/fetch.h); this module
 * only turns a page body into data, resolving relative URLs against the page URL. */
#ifndef WBGEN_INDEX_H
#define WBGEN_INDEX_H

#include <stddef.h>

#include "buf.h"

/* One file of a project page. Strings are owned by the struct; optional ones are NULL. */
struct dist_file {
	char *filename;        /* the file's name, from the URL's last path component */
	char *url;             /* absolute URL without fragment */
	char *sha256;          /* lowercase hex digest, or NULL when the index gives none */
	char *requires_python; /* the raw data-requires-python / requires-python value */
	int yanked;            /* PEP 592 */
	char *yanked_reason;   /* may be "" when yanked without a reason */
	int has_metadata;      /* PEP 658/714: {url}.metadata exists */
	char *metadata_sha256; /* its digest, when given */
	long long size;        /* PEP 700 size in bytes, -1 when unknown */
	char *upload_time;     /* PEP 700 upload-time (ISO 8601), or NULL */
};

struct project_page {
	char *url;             /* the page URL the files were resolved against */
	char *api_version;     /* "1.1" etc. from the JSON meta or the HTML meta tag; NULL if absent */
	struct dist_file *files;
	size_t nfiles, alloc;
};

#define INDEX_JSON_TYPE "application/vnd.pypi.simple.v1+json"
#define INDEX_HTML_TYPE "application/vnd.pypi.simple.v1+html"
/* The Accept header wbgen sends: JSON preferred, HTML accepted. */
#define INDEX_ACCEPT INDEX_JSON_TYPE ", " INDEX_HTML_TYPE ";q=0.2, text/html;q=0.01"

/* Set up an empty page (no allocation). */
void project_page_init(struct project_page *pg);
/* Free the page's contents. */
void project_page_release(struct project_page *pg);

/* Parse a PEP 691 JSON body. Returns 0, or -1 with a one-line reason in err. */
int index_parse_json(struct project_page *pg, const char *body, size_t len, const char *page_url, struct buf *err);
/* Parse a PEP 503 HTML body (tolerant of real-world HTML). Returns 0, or -1 with a reason in err. */
int index_parse_html(struct project_page *pg, const char *body, size_t len, const char *page_url, struct buf *err);
/* Parse by Content-Type (JSON for the PEP 691 JSON type or application/json, HTML otherwise). */
int index_parse(struct project_page *pg, const char *content_type, const char *body, size_t len,
		const char *page_url, struct buf *err);
/* Seconds since the epoch of a PEP 700 upload-time: an ISO 8601 date-time with a time zone
 * ("2020-01-01T00:00:00.123456Z", "...+02:00"). 0, or -1 when s is not one. */
int index_upload_time(const char *s, long long *out);
/* Decode HTML character references (&amp; &#39; &#x27; and the common named ones) in s[0..len). */
void html_unescape_to(struct buf *out, const char *s, size_t len);

#endif
