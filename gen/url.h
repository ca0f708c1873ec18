/* url.h: URL helpers on top of libcurl's URL API. */
#ifndef WBGEN_URL_H
#define WBGEN_URL_H

#include "buf.h"

/* Resolve ref (absolute or relative, RFC 3986) against base. Returns a new string
 * (caller frees) or NULL when either is malformed. The fragment of ref is kept. */
char *url_resolve(const char *base, const char *ref);
/* url_resolve() through libcurl's parser alone (url_resolve takes a faster path for the
 * common cases of index pages and must agree with this; the unit test checks it). */
char *url_resolve_curl(const char *base, const char *ref);
/* Append url to out with any user:password removed, for messages and logs. */
void url_redact_to(struct buf *out, const char *url);
/* url without credentials as a new string (caller frees), for messages. */
char *url_redacted(const char *url);
/* url with any user:password removed altogether (caller frees): what is written for a later run,
 * which finds the credentials again in netrc. */
char *url_without_credentials(const char *url);
/* Split off the fragment: returns a new string with url up to '#' (caller frees) and
 * points *fragment at the text after '#' inside url (NULL when there is none). */
char *url_split_fragment(const char *url, const char **fragment);
/* Append the last path component of url (without query and fragment), percent-decoded. */
void url_basename_to(struct buf *out, const char *url);
/* Append s percent-decoded; invalid escapes are copied as they are. */
void url_unescape_to(struct buf *out, const char *s, size_t len);

#endif
