/* fetch.c: concurrent downloads with retries and a revalidating cache (see fetch.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "fetch.h"
#include "fsutil.h"
#include "url.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void fetch_options_default(struct fetch_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->max_parallel = 16;
	opt->max_attempts = 5;
	opt->connect_timeout = 15;
	opt->low_speed_time = 30;
	opt->total_seconds = 300;
	opt->backoff_base = 0.5;
	opt->max_page_bytes = (size_t)64 << 20;
}

int fetcher_init(struct fetcher *f, const struct fetch_options *opt)
{
	memset(f, 0, sizeof(*f));
	f->opt = *opt;
	if (f->opt.max_parallel < 1)
		f->opt.max_parallel = 1;
	if (f->opt.max_attempts < 1)
		f->opt.max_attempts = 1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	f->multi = curl_multi_init();
	f->share = curl_share_init();
	if (!f->multi || !f->share)
		return -1;
	curl_share_setopt(f->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(f->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->opt.max_parallel);
	/* curl opens the netrc file for every transfer: when it does not exist, that is one failing
	 * open per request (without HOME curl asks getpwuid(): left to curl) */
	{
		const char *home = getenv("HOME");
		char *path = f->opt.netrc ? xstrdup(f->opt.netrc) : home && *home ? xasprintf("%s/.netrc", home) : NULL;
		struct stat st;

		f->netrc_missing = path && stat(path, &st) < 0 && errno == ENOENT;
		free(path);
	}
	return 0;
}

void fetcher_release(struct fetcher *f)
{
	if (f->multi)
		curl_multi_cleanup(f->multi);
	if (f->share)
		curl_share_cleanup(f->share);
	curl_global_cleanup();
	memset(f, 0, sizeof(*f));
}

void fetch_init(struct fetch *q, const char *url)
{
	memset(q, 0, sizeof(*q));
	q->url = url;
	buf_init(&q->body);
	buf_init(&q->cached_body);
}

static void discard_tmp(struct fetch *q)
{
	if (q->out) {
		fclose(q->out);
		q->out = NULL;
	}
	if (q->tmp) {
		unlink(q->tmp);
		free(q->tmp);
		q->tmp = NULL;
	}
}

void fetch_release(struct fetch *q)
{
	discard_tmp(q);
	if (q->easy)
		curl_easy_cleanup(q->easy);
	curl_slist_free_all(q->headers);
	buf_release(&q->body);
	buf_release(&q->cached_body);
	free(q->content_type);
	free(q->error);
	free(q->etag);
	free(q->last_modified);
	free(q->cache_path);
	free(q->file_cache);
	free(q->cached_type);
	memset(q, 0, sizeof(*q));
}

ATTR_PRINTF(2, 3) static void fail(struct fetch *q, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	size_t i;

	url_redact_to(&b, q->url);
	buf_adds(&b, ": ");
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	for (i = 0; i < b.len; i++)
		if ((unsigned char)b.s[i] < 0x20 || b.s[i] == 0x7f)
			b.s[i] = ' ';
	free(q->error);
	q->error = buf_detach(&b, NULL);
	q->ok = 0;
	q->state = FETCH_DONE;
	discard_tmp(q);
}

/* ---- the cache: one file per (Accept, URL): a JSON header line, then the body */

static char *cache_path_for(const struct fetcher *f, const struct fetch *q)
{
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_SIZE];
	struct buf hex = BUF_INIT;
	char *p;

	sha256_init(&c);
	if (q->accept)
		sha256_update(&c, q->accept, strlen(q->accept));
	sha256_update(&c, "\n", 1);
	sha256_update(&c, q->url, strlen(q->url));
	sha256_final(&c, d);
	sha256_hex(d, &hex);
	p = xasprintf("%s/http/%.2s/%s", f->opt.cache_dir, hex.s, hex.s + 2);
	buf_release(&hex);
	return p;
}

/* Load a cache entry into q (etag, last_modified, cached_body, cached_type); 0 when found and intact. */
static int cache_load(struct fetch *q)
{
	struct buf raw = BUF_INIT, hex = BUF_INIT;
	const char *nl;
	json_t *meta = NULL;
	unsigned char d[SHA256_DIGEST_SIZE];
	struct sha256 c;
	char *red;
	int r = -1, same;

	if (buf_read_file(&raw, q->cache_path) < 0)
		goto out;
	nl = memchr(raw.s, '\n', raw.len);
	if (!nl)
		goto out;
	meta = json_loadb(raw.s, (size_t)(nl - raw.s), 0, NULL);
	if (!json_is_object(meta) || !json_is_string(json_object_get(meta, "sha256")) ||
	    !json_is_string(json_object_get(meta, "url")))
		goto out;
	red = url_redacted(q->url);
	same = strcmp(json_string_value(json_object_get(meta, "url")), red) == 0;
	free(red);
	if (!same)
		goto out;
	sha256_init(&c);
	sha256_update(&c, nl + 1, raw.len - (size_t)(nl + 1 - raw.s));
	sha256_final(&c, d);
	sha256_hex(d, &hex);
	if (strcmp(hex.s, json_string_value(json_object_get(meta, "sha256"))) != 0)
		goto out;
	buf_reset(&q->cached_body);
	buf_add(&q->cached_body, nl + 1, raw.len - (size_t)(nl + 1 - raw.s));
	free(q->etag);
	free(q->last_modified);
	free(q->cached_type);
	q->etag = json_is_string(json_object_get(meta, "etag")) ?
		  xstrdup(json_string_value(json_object_get(meta, "etag"))) : NULL;
	q->last_modified = json_is_string(json_object_get(meta, "last_modified")) ?
			   xstrdup(json_string_value(json_object_get(meta, "last_modified"))) : NULL;
	q->cached_type = json_is_string(json_object_get(meta, "content_type")) ?
			 xstrdup(json_string_value(json_object_get(meta, "content_type"))) : NULL;
	r = 0;
out:
	json_decref(meta);
	buf_release(&raw);
	buf_release(&hex);
	return r;
}

/* Write the response as the cache entry, atomically. Failure only costs a later transfer. */
static void cache_store(struct fetch *q, const char *etag, const char *last_modified)
{
	json_t *meta = json_object();
	struct buf hex = BUF_INIT, entry = BUF_INIT;
	unsigned char d[SHA256_DIGEST_SIZE];
	struct sha256 c;
	char *line, *red = url_redacted(q->url);

	sha256_init(&c);
	sha256_update(&c, q->body.s, q->body.len);
	sha256_final(&c, d);
	sha256_hex(d, &hex);
	/* the entry's name hashes the full URL; the file itself never holds credentials */
	json_object_set_new(meta, "url", json_string(red));
	json_object_set_new(meta, "sha256", json_string(hex.s));
	if (etag)
		json_object_set_new(meta, "etag", json_string(etag));
	if (last_modified)
		json_object_set_new(meta, "last_modified", json_string(last_modified));
	if (q->content_type)
		json_object_set_new(meta, "content_type", json_string(q->content_type));
	line = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(meta);
	free(red);
	buf_release(&hex);
	if (!line)
		return;
	buf_adds(&entry, line);
	buf_addch(&entry, '\n');
	buf_add(&entry, q->body.s, q->body.len);
	free(line);
	/* no fsync: an entry carries its digest and a damaged one is ignored */
	if (write_file(q->cache_path, entry.s, entry.len, WRITE_NOSYNC) < 0)
		warn("cannot write the cache entry '%s':", q->cache_path);
	buf_release(&entry);
}

/* ---- transfers */

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct fetch *q = ud;
	size_t n = size * nmemb;

	q->received += n;
	if (q->out) {
		if (fwrite(data, 1, n, q->out) != n)
			return 0;
		sha256_update(&q->hash, data, n);
		return n;
	}
	if (q->body.len + n > q->max_body)
		return 0;
	buf_add(&q->body, data, n);
	return n;
}

/* The value of a header of the last response, or NULL (borrowed from curl). */
static const char *response_header(CURL *easy, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return h->value;
}

static int is_transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
}

/* q->tmp := target.tmp.XXXXXX, created (with target's missing parents); its descriptor or -1 (errno). */
static int create_tmp(struct fetch *q, const char *target)
{
	int fd;

	free(q->tmp);
	q->tmp = xasprintf("%s.tmp.XXXXXX", target);
	fd = mkstemp(q->tmp);
	if (fd < 0 && errno == ENOENT && mkdir_parents(target) == 0) {
		free(q->tmp);
		q->tmp = xasprintf("%s.tmp.XXXXXX", target);
		fd = mkstemp(q->tmp);
	}
	return fd;
}

/* Prepare q's handle and output for one attempt, to end within left_ms. 0, or -1 after fail(). */
static int attempt_setup(struct fetcher *f, struct fetch *q, long left_ms)
{
	buf_reset(&q->body);
	q->received = 0;
	q->max_body = f->opt.max_page_bytes;
	q->errbuf[0] = '\0';
	if (!q->easy) {
		q->easy = curl_easy_init();
		if (!q->easy) {
			fail(q, "cannot initialise libcurl");
			return -1;
		}
		curl_easy_setopt(q->easy, CURLOPT_URL, q->url);
		curl_easy_setopt(q->easy, CURLOPT_SHARE, f->share);
		curl_easy_setopt(q->easy, CURLOPT_PRIVATE, (char *)q);
		curl_easy_setopt(q->easy, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(q->easy, CURLOPT_WRITEDATA, q);
		curl_easy_setopt(q->easy, CURLOPT_ERRORBUFFER, q->errbuf);
		curl_easy_setopt(q->easy, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(q->easy, CURLOPT_MAXREDIRS, 10L);
		curl_easy_setopt(q->easy, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(q->easy, CURLOPT_CONNECTTIMEOUT, f->opt.connect_timeout);
		curl_easy_setopt(q->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(q->easy, CURLOPT_LOW_SPEED_TIME, f->opt.low_speed_time);
		curl_easy_setopt(q->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
		/* over HTTP/2, streams on one connection rather than a connection per request */
		curl_easy_setopt(q->easy, CURLOPT_PIPEWAIT, 1L);
		/* files are hashed as served: no transparent decoding (pip asks for identity too) */
		if (!q->dest)
			curl_easy_setopt(q->easy, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(q->easy, CURLOPT_USERAGENT, "wbgen/" PACKAGE_VERSION);
		if (!f->netrc_missing) {
			curl_easy_setopt(q->easy, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
			if (f->opt.netrc)
				curl_easy_setopt(q->easy, CURLOPT_NETRC_FILE, f->opt.netrc);
		}
		/* redirects may leave the host: never send credentials along */
		curl_easy_setopt(q->easy, CURLOPT_UNRESTRICTED_AUTH, 0L);
		curl_easy_setopt(q->easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
		curl_easy_setopt(q->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		/* TLS peers are always verified (curl's default, never turned off); a private CA is
		 * trusted through the variables OpenSSL and the curl tool read */
		if (getenv("SSL_CERT_FILE") && *getenv("SSL_CERT_FILE"))
			curl_easy_setopt(q->easy, CURLOPT_CAINFO, getenv("SSL_CERT_FILE"));
		if (getenv("SSL_CERT_DIR") && *getenv("SSL_CERT_DIR"))
			curl_easy_setopt(q->easy, CURLOPT_CAPATH, getenv("SSL_CERT_DIR"));
		if (q->accept) {
			char *h = xasprintf("Accept: %s", q->accept);

			q->headers = curl_slist_append(q->headers, h);
			free(h);
		}
		if (q->etag) {
			char *h = xasprintf("If-None-Match: %s", q->etag);

			q->headers = curl_slist_append(q->headers, h);
			free(h);
		}
		if (q->last_modified) {
			char *h = xasprintf("If-Modified-Since: %s", q->last_modified);

			q->headers = curl_slist_append(q->headers, h);
			free(h);
		}
		curl_easy_setopt(q->easy, CURLOPT_HTTPHEADER, q->headers);
	}
	curl_easy_setopt(q->easy, CURLOPT_TIMEOUT_MS, left_ms);
	if (q->dest) {
		int fd;

		discard_tmp(q);
		fd = create_tmp(q, q->dest);
		if (fd < 0) {
			fail(q, "cannot create '%s': %s", q->tmp, strerror(errno));
			return -1;
		}
		/* mkstemp makes it 0600; the file is meant to be shared like any download */
		if (fchmod(fd, 0644) < 0) {
			close(fd);
			fail(q, "cannot create '%s': %s", q->tmp, strerror(errno));
			return -1;
		}
		q->out = fdopen(fd, "wb");
		if (!q->out) {
			close(fd);
			fail(q, "cannot open '%s': %s", q->tmp, strerror(errno));
			return -1;
		}
		sha256_init(&q->hash);
	}
	return 0;
}

/* Finish a download to dest: flush, verify the digest, rename into place; for a keep request,
 * then link (or copy) it into the cache. */
static void finish_dest(struct fetcher *f, struct fetch *q)
{
	unsigned char d[SHA256_DIGEST_SIZE];
	struct buf hex = BUF_INIT;
	FILE *out = q->out;

	q->out = NULL;
	/* no fsync: a download is verified against its digest whenever it is reused */
	if (fflush(out) != 0) {
		fclose(out);
		fail(q, "cannot write '%s': %s", q->tmp, strerror(errno));
		return;
	}
	if (fclose(out) != 0) {
		fail(q, "cannot write '%s': %s", q->tmp, strerror(errno));
		return;
	}
	sha256_final(&q->hash, d);
	sha256_hex(d, &hex);
	if (q->sha256 && ascii_strcasecmp(hex.s, q->sha256) != 0) {
		fail(q, "sha256 mismatch: expected %s, got %s", q->sha256, hex.s);
		buf_release(&hex);
		return;
	}
	buf_release(&hex);
	if (rename(q->tmp, q->dest) < 0) {
		fail(q, "cannot rename '%s' to '%s': %s", q->tmp, q->dest, strerror(errno));
		return;
	}
	free(q->tmp);
	q->tmp = NULL;
	/* the cache only saves a later download: a failure to store the file is a warning; a file
	 * already there (another run's) stays: it is verified whenever it is used */
	if (q->file_cache &&
	    link_or_copy(q->dest, q->file_cache, PLACE_KEEP | (f->opt.copy_files ? PLACE_COPY : 0)) < 0)
		warn("cannot store '%s' in the cache as '%s': %s", q->dest, q->file_cache, strerror(errno));
	q->ok = 1;
	q->state = FETCH_DONE;
}

static void finish_body(struct fetch *q)
{
	unsigned char d[SHA256_DIGEST_SIZE];
	struct buf hex = BUF_INIT;
	struct sha256 c;

	if (q->sha256) {
		sha256_init(&c);
		sha256_update(&c, q->body.s, q->body.len);
		sha256_final(&c, d);
		sha256_hex(d, &hex);
		if (ascii_strcasecmp(hex.s, q->sha256) != 0) {
			fail(q, "sha256 mismatch: expected %s, got %s", q->sha256, hex.s);
			buf_release(&hex);
			return;
		}
		buf_release(&hex);
	}
	q->ok = 1;
	q->state = FETCH_DONE;
}

/* Schedule another attempt after a backoff (or the server's Retry-After), or give up with reason. */
static void retry_or_fail(struct fetcher *f, struct fetch *q, double t0, const char *reason)
{
	double delay = f->opt.backoff_base, t = now(), left = t0 + f->opt.total_seconds - t;
	const char *s = q->attempts == 1 ? "" : "s";
	int i;

	for (i = 1; i < q->attempts && delay < 8; i++)
		delay *= 2;
	if (delay > 8)
		delay = 8;
	if (q->attempts >= f->opt.max_attempts) {
		fail(q, "%s (gave up after %d attempt%s)", reason, q->attempts, s);
		return;
	}
	if (q->retry_after >= 0) {
		if ((double)q->retry_after > left) {
			fail(q, "%s, and Retry-After asks to wait %ld s, beyond the time limit (gave up after %d attempt%s)",
			     reason, q->retry_after, q->attempts, s);
			return;
		}
		delay = (double)q->retry_after;
	}
	if (delay > left) {
		fail(q, "%s (gave up after %d attempt%s: time limit of %g s reached)", reason, q->attempts, s,
		     f->opt.total_seconds);
		return;
	}
	f->retries++;
	discard_tmp(q);
	q->state = FETCH_WAITING;
	q->not_before = t + delay;
}

static void on_done(struct fetcher *f, struct fetch *q, CURLcode rc, double t0)
{
	long status = 0;
	char *ct = NULL;
	curl_off_t retry_after = 0;

	curl_easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(q->easy, CURLINFO_CONTENT_TYPE, &ct);
	f->transfers++;
	f->bytes += q->received;
	q->status = status;
	q->retry_after = -1;
	if (rc != CURLE_OK) {
		char *reason;

		if (rc == CURLE_WRITE_ERROR && !q->out) {
			fail(q, "response larger than %zu bytes", f->opt.max_page_bytes);
			return;
		}
		if (rc == CURLE_FILE_COULDNT_READ_FILE) {
			/* a file:// index: a missing file is what a 404 is to HTTP */
			fail(q, "no such file");
			q->status = 404;
			return;
		}
		reason = xasprintf("%s%s%s", curl_easy_strerror(rc), q->errbuf[0] ? ": " : "", q->errbuf);
		if (is_transient(rc))
			retry_or_fail(f, q, t0, reason);
		else
			fail(q, "%s", reason);
		free(reason);
		return;
	}
	if (status == 0 && starts_with(q->url, "file:"))
		status = q->status = 200;
	if (status == 304 && q->have_cache) {
		f->not_modified++;
		buf_reset(&q->body);
		buf_add(&q->body, q->cached_body.s, q->cached_body.len);
		free(q->content_type);
		q->content_type = q->cached_type ? xstrdup(q->cached_type) : NULL;
		q->from_cache = 1;
		q->status = 200;
		finish_body(q);
		return;
	}
	if (status == 429 || status >= 500) {
		char *reason = xasprintf("HTTP %ld", status);

		/* both forms (seconds, HTTP date) are parsed by curl; 0 when absent */
		if (curl_easy_getinfo(q->easy, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0)
			q->retry_after = retry_after > 86400 ? 86400 : (long)retry_after;
		retry_or_fail(f, q, t0, reason);
		free(reason);
		return;
	}
	if (status < 200 || status >= 300) {
		fail(q, "HTTP %ld", status);
		return;
	}
	free(q->content_type);
	q->content_type = ct ? xstrdup(ct) : NULL;
	if (q->out) {
		finish_dest(f, q);
		return;
	}
	finish_body(q);
	if (q->ok && q->cache_path)
		cache_store(q, response_header(q->easy, "ETag"), response_header(q->easy, "Last-Modified"));
}

/* Start q's next attempt, unless the time limit of the run (started at t0) is reached. */
static void start(struct fetcher *f, struct fetch *q, double t0)
{
	double left = t0 + f->opt.total_seconds - now();
	long ms;

	if (left <= 0) {
		fail(q, "time limit of %g s reached before %s", f->opt.total_seconds,
		     q->attempts ? "the next attempt" : "the transfer could start");
		return;
	}
	q->attempts++;
	/* the time left in ms, at least 1, and within a long (compared as a double: clang warns otherwise) */
	ms = left * 1000 < 1 ? 1 : left * 1000 >= (double)(LONG_MAX / 2) ? LONG_MAX / 2 : (long)(left * 1000);
	if (attempt_setup(f, q, ms) < 0)
		return;
	if (curl_multi_add_handle(f->multi, q->easy) != CURLM_OK) {
		fail(q, "cannot start the transfer");
		return;
	}
	q->state = FETCH_RUNNING;
}

/* 1 when the file at path has the sha256 (hex, any case), 0 when it has another, -1 when it
 * cannot be read (missing). */
static int file_matches(const char *path, const char *sha256)
{
	struct buf hex = BUF_INIT;
	int same = -1;

	if (sha256_file_hex(path, &hex) == 0)
		same = ascii_strcasecmp(hex.s, sha256) == 0;
	buf_release(&hex);
	return same;
}

/* Answer a download from dest when it is already there and verifies; remove it when it does not. */
static int dest_reuse(struct fetcher *f, struct fetch *q)
{
	int same = q->sha256 ? file_matches(q->dest, q->sha256) : -1;

	if (same < 0)
		return 0;
	if (!same) {
		/* a later reader must not take it as the verified file, whatever happens next */
		if (unlink(q->dest) < 0 && errno != ENOENT)
			fail(q, "cannot remove '%s', which does not match its sha256: %s", q->dest, strerror(errno));
		return 0;
	}
	f->cache_hits++;
	q->from_cache = 1;
	q->status = 200;
	q->ok = 1;
	q->state = FETCH_DONE;
	return 1;
}

/* A keep request's file in the cache: files/sha256/XX/REST of its lowercase digest, or NULL. */
static char *file_cache_path(const struct fetcher *f, const struct fetch *q)
{
	char hex[65];
	size_t i;

	if (!q->keep || !q->sha256 || !f->opt.cache_dir || starts_with(q->url, "file:") || strlen(q->sha256) != 64)
		return NULL;
	for (i = 0; i < 64; i++) {
		int c = ascii_tolower((unsigned char)q->sha256[i]);

		if (!ascii_isdigit(c) && (c < 'a' || c > 'f'))
			return NULL;
		hex[i] = (char)c;
	}
	hex[64] = '\0';
	return xasprintf("%s/files/sha256/%.2s/%s", f->opt.cache_dir, hex, hex + 2);
}

/* Answer a keep request from the cache's copy when it verifies: dest becomes a link (or copy)
 * of it. A copy that does not verify is removed. */
static int file_cache_reuse(struct fetcher *f, struct fetch *q)
{
	int same = q->file_cache ? file_matches(q->file_cache, q->sha256) : -1;

	if (same < 0)
		return 0;
	if (!same) {
		/* damaged: a later request must not find it again */
		if (unlink(q->file_cache) < 0 && errno != ENOENT)
			warn("cannot remove the damaged cache file '%s':", q->file_cache);
		return 0;
	}
	if (link_or_copy(q->file_cache, q->dest, f->opt.copy_files ? PLACE_COPY : 0) < 0) {
		/* removed in the meantime (found damaged by another run sharing the cache): download */
		if (errno == ENOENT && !path_exists(q->file_cache))
			return 0;
		fail(q, "cannot place '%s' from the cache '%s': %s", q->dest, q->file_cache, strerror(errno));
		return 1;
	}
	f->cache_hits++;
	q->from_cache = 1;
	q->status = 200;
	q->ok = 1;
	q->state = FETCH_DONE;
	return 1;
}

/* Answer q from the cache or dest when possible, else queue it. */
static void prepare(struct fetcher *f, struct fetch *q)
{
	f->requests++;
	q->state = FETCH_WAITING;
	q->ok = 0;
	q->status = 0;
	q->from_cache = 0;
	q->attempts = 0;
	q->not_before = 0;
	q->retry_after = -1;
	free(q->error);
	q->error = NULL;
	free(q->cache_path);
	q->cache_path = NULL;
	free(q->file_cache);
	q->file_cache = NULL;
	if (q->dest) {
		if (dest_reuse(f, q) || q->state == FETCH_DONE)
			return;
		q->file_cache = file_cache_path(f, q);
		if (file_cache_reuse(f, q))
			return;
		if (f->opt.offline && !starts_with(q->url, "file:"))
			fail(q, "'%s' is not downloaded yet, and --offline forbids the download", q->dest);
		return;
	}
	if (q->cacheable && f->opt.cache_dir && !starts_with(q->url, "file:")) {
		q->cache_path = cache_path_for(f, q);
		if (cache_load(q) < 0) {
			free(q->etag);
			free(q->last_modified);
			q->etag = q->last_modified = NULL;
			buf_release(&q->cached_body);
		} else if (!f->opt.offline) {
			q->have_cache = 1;
		} else {
			f->cache_hits++;
			buf_add(&q->body, q->cached_body.s, q->cached_body.len);
			q->content_type = q->cached_type ? xstrdup(q->cached_type) : NULL;
			q->from_cache = 1;
			q->status = 200;
			finish_body(q);
			return;
		}
	}
	if (f->opt.offline && !starts_with(q->url, "file:"))
		fail(q, "not in the cache, and --offline forbids the download");
}

/* The multi handle itself failed: end every unfinished request with that reason. */
static void abort_all(struct fetcher *f, struct fetch **reqs, size_t n, CURLMcode mc)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct fetch *q = reqs[i];

		if (q->state == FETCH_RUNNING)
			curl_multi_remove_handle(f->multi, q->easy);
		if (q->state != FETCH_DONE)
			fail(q, "transfer aborted: %s", curl_multi_strerror(mc));
	}
}

size_t fetcher_run(struct fetcher *f, struct fetch **reqs, size_t n)
{
	double t0 = now();
	size_t i, failed = 0, lo = 0, running = 0;

	for (i = 0; i < n; i++)
		prepare(f, reqs[i]);
	/* requests start in order: those before lo are all started or done, so each pass looks at
	 * the running ones and the next few, not at all n (thousands in a wave) */
	for (;;) {
		double t = now(), wake = t + 1;
		size_t waiting = 0;
		int still, msgs, finished = 0, ms;
		CURLMcode mc;
		CURLMsg *m;

		while (lo < n && reqs[lo]->state != FETCH_WAITING)
			lo++;
		for (i = lo; i < n; i++) {
			struct fetch *q = reqs[i];

			if (q->state != FETCH_WAITING)
				continue;
			if (q->not_before > t) {
				if (q->not_before < wake)
					wake = q->not_before;
				waiting++;
				continue;
			}
			if (running >= (size_t)f->opt.max_parallel) {
				/* the rest waits for a slot: a transfer's end wakes the loop */
				waiting++;
				break;
			}
			start(f, q, t0);
			if (q->state == FETCH_RUNNING)
				running++;
		}
		if (!running && !waiting)
			break;
		if (running) {
			mc = curl_multi_perform(f->multi, &still);
			if (mc != CURLM_OK) {
				abort_all(f, reqs, n, mc);
				break;
			}
			while ((m = curl_multi_info_read(f->multi, &msgs))) {
				struct fetch *q = NULL;

				if (m->msg != CURLMSG_DONE)
					continue;
				curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&q);
				curl_multi_remove_handle(f->multi, m->easy_handle);
				running--;
				on_done(f, q, m->data.result, t0);
				if (q->state == FETCH_WAITING)
					lo = 0; /* to be retried: before lo, maybe */
				finished++;
			}
			if (finished)
				continue;
		}
		ms = (int)((wake - now()) * 1000);
		mc = curl_multi_poll(f->multi, NULL, 0, ms < 0 ? 0 : ms > 1000 ? 1000 : ms, NULL);
		if (mc != CURLM_OK) {
			abort_all(f, reqs, n, mc);
			break;
		}
	}
	for (i = 0; i < n; i++) {
		struct fetch *q = reqs[i];

		/* the connections stay in the multi handle's pool; the easy handles are not needed */
		if (q->easy) {
			curl_easy_cleanup(q->easy);
			q->easy = NULL;
		}
		curl_slist_free_all(q->headers);
		q->headers = NULL;
		if (!q->ok)
			failed++;
	}
	return failed;
}
