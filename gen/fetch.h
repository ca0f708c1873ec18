/* fetch.h: concurrent HTTP(S)/file downloads through the curl multi interface, with
 * retries, an on-disk revalidating cache for index pages, and hash-verified atomic
 * downloads of files.
 *
 * Usage: fetcher_init once; for each wave, fill an array of struct fetch (fetch_init +
 * the request fields), call fetcher_run on all of them, read the results, fetch_release.
 * All requests of one fetcher_run are in flight together, bounded by max_parallel.
 */
#ifndef WBGEN_FETCH_H
#define WBGEN_FETCH_H

#include <stdio.h>

#include <curl/curl.h>

#include "buf.h"
#include "sha256.h"

struct fetch_options {
	int max_parallel;      /* concurrent transfers (default 16) */
	int max_attempts;      /* tries per request on transient errors (default 5) */
	long connect_timeout;  /* seconds (default 15) */
	long low_speed_time;   /* abort a transfer slower than 1 byte/s for this long (default 30) */
	double total_seconds;  /* give up retrying after this much time in one run (default 300) */
	double backoff_base;   /* first retry delay in seconds (default 0.5), doubling, capped at 8 */
	const char *cache_dir; /* HTTP cache directory, or NULL for none */
	const char *netrc;     /* netrc file for credentials, NULL for curl's default (~/.netrc) */
	int offline;           /* serve cacheable requests from the cache only; never touch the network */
	size_t max_page_bytes; /* largest in-memory body (default 64 MiB) */
	int copy_files;        /* place keep requests' dest by copying, never as a hard link */
};

struct fetcher {
	struct fetch_options opt;
	CURLM *multi;
	CURLSH *share;
	int netrc_missing;     /* no netrc file when the fetcher started: curl is not told to look for one */
	/* statistics of all runs */
	unsigned long requests, transfers, not_modified, cache_hits, retries;
	unsigned long long bytes;
};

enum fetch_state { FETCH_WAITING, FETCH_RUNNING, FETCH_DONE };

struct fetch {
	/* ---- request (set by the caller; strings are borrowed and must outlive the run) */
	const char *url;
	const char *accept;    /* Accept header, or NULL */
	const char *dest;      /* write the body to this path (atomically), or NULL to keep it in 'body';
				* an existing dest that matches sha256 is kept without a request, one that
				* does not is removed first; on failure nothing is left at dest */
	const char *sha256;    /* expected hex digest of the body, or NULL */
	int cacheable;         /* use the revalidating cache (pages only, not with dest) */
	int keep;              /* with dest, sha256 and a cache_dir (not for file: URLs): keep the download
				* in the cache too, named by its digest (cache_dir/files/sha256/XX/...), as
				* a hard link of dest (a copy on another file system); a later request for
				* the same digest is answered from it, once verified, by a hard link (or a
				* copy) at its dest */
	/* ---- result */
	int ok;                /* the body (or dest) is complete and verified */
	long status;           /* HTTP status of the final response (200 also for cache hits and file:// URLs) */
	struct buf body;       /* the body when dest is NULL */
	char *content_type;    /* of the response (or cached response), or NULL */
	char *error;           /* one-line reason when !ok (URL redacted), owned */
	int from_cache;        /* served from the cache (304 or offline), or dest was already there and verified,
				* or made from the cache's verified copy (keep) */
	/* ---- private */
	enum fetch_state state;
	int attempts;
	double not_before;
	CURL *easy;
	FILE *out;
	char *tmp;
	struct sha256 hash;
	size_t received;
	size_t max_body;
	struct curl_slist *headers;
	char *etag, *last_modified, *cache_path;
	char *file_cache;      /* keep: the file in the cache, or NULL */
	struct buf cached_body;
	int have_cache;
	char *cached_type;
	long retry_after;
	char errbuf[CURL_ERROR_SIZE];
};

/* Fill opt with the defaults. */
void fetch_options_default(struct fetch_options *opt);
/* Set up a fetcher (curl global state too). 0, or -1 when libcurl cannot start; release f in
 * both cases. */
int fetcher_init(struct fetcher *f, const struct fetch_options *opt);
/* Free the fetcher. */
void fetcher_release(struct fetcher *f);
/* Set up a request for url (borrowed). */
void fetch_init(struct fetch *q, const char *url);
/* Free the request's results and private state. */
void fetch_release(struct fetch *q);
/* Run every request to completion; one request's failure does not affect the others.
 * Transient failures (connection errors, timeouts, 429, 5xx) are retried with backoff or
 * after Retry-After, within max_attempts and total_seconds. Returns the number that
 * failed (see ->ok, ->status, ->error). The easy handles are freed before it returns. */
size_t fetcher_run(struct fetcher *f, struct fetch **reqs, size_t n);

#endif
