/* fetch-probe.c: drive gen/fetch.c from the e2e tests.
 * usage: fetch-probe [--cache DIR] [--offline] [--jobs N] [--attempts N] [--total SECONDS]
 *                    [--low-speed-time SECONDS] [--netrc FILE] [--accept TYPE] SPEC...
 * SPEC is URL (body kept in memory, cacheable) or URL=DEST or URL=DEST=SHA256 (download to DEST).
 * Prints one line per SPEC: "ok STATUS cache|net BYTES SHA256 CONTENT-TYPE" (of the body, or of
 * the file at DEST) or "fail STATUS ERROR", then
 * "stats requests=N transfers=N not_modified=N cache_hits=N retries=N". Exits 1 if any failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "sha256.h"

int main(int argc, char **argv)
{
	struct fetch_options opt;
	struct fetcher f;
	struct fetch *q;
	struct fetch **pq;
	const char *accept = NULL;
	char **specs;
	size_t n = 0, i;
	int a;

	fetch_options_default(&opt);
	opt.backoff_base = 0.05;
	specs = xcalloc((size_t)argc, sizeof(*specs));
	for (a = 1; a < argc; a++) {
		long v;

		if (strcmp(argv[a], "--cache") == 0 && a + 1 < argc)
			opt.cache_dir = argv[++a];
		else if (strcmp(argv[a], "--offline") == 0)
			opt.offline = 1;
		else if (strcmp(argv[a], "--jobs") == 0 && a + 1 < argc && parse_int_range(argv[a + 1], 1, 1000, &v) == 0)
			opt.max_parallel = (int)v, a++;
		else if (strcmp(argv[a], "--attempts") == 0 && a + 1 < argc && parse_int_range(argv[a + 1], 1, 100, &v) == 0)
			opt.max_attempts = (int)v, a++;
		else if (strcmp(argv[a], "--total") == 0 && a + 1 < argc && parse_int_range(argv[a + 1], 0, 3600, &v) == 0)
			opt.total_seconds = (double)v, a++;
		else if (strcmp(argv[a], "--low-speed-time") == 0 && a + 1 < argc && parse_int_range(argv[a + 1], 1, 3600, &v) == 0)
			opt.low_speed_time = v, a++;
		else if (strcmp(argv[a], "--netrc") == 0 && a + 1 < argc)
			opt.netrc = argv[++a];
		else if (strcmp(argv[a], "--accept") == 0 && a + 1 < argc)
			accept = argv[++a];
		else if (argv[a][0] == '-')
			die("fetch-probe: bad option '%s'", argv[a]);
		else
			specs[n++] = argv[a];
	}
	q = xcalloc(n, sizeof(*q));
	pq = xcalloc(n, sizeof(*pq));
	for (i = 0; i < n; i++) {
		char *eq = strchr(specs[i], '=');

		if (eq) {
			char *eq2;

			*eq = '\0';
			eq2 = strchr(eq + 1, '=');
			if (eq2)
				*eq2 = '\0';
			fetch_init(&q[i], specs[i]);
			q[i].dest = eq + 1;
			q[i].sha256 = eq2 ? eq2 + 1 : NULL;
		} else {
			fetch_init(&q[i], specs[i]);
			q[i].cacheable = 1;
		}
		q[i].accept = accept;
		pq[i] = &q[i];
	}
	if (fetcher_init(&f, &opt) < 0)
		die("cannot initialise libcurl");
	fetcher_run(&f, pq, n);
	for (i = 0; i < n; i++) {
		if (q[i].ok) {
			unsigned char d[SHA256_DIGEST_SIZE];
			struct buf hex = BUF_INIT, file = BUF_INIT;
			struct sha256 c;
			const struct buf *body = &q[i].body;

			if (q[i].dest) {
				if (buf_read_file(&file, q[i].dest) < 0)
					die("fetch-probe: cannot read '%s':", q[i].dest);
				body = &file;
			}
			sha256_init(&c);
			sha256_update(&c, body->s, body->len);
			sha256_final(&c, d);
			sha256_hex(d, &hex);
			printf("ok %ld %s %zu %s %s\n", q[i].status, q[i].from_cache ? "cache" : "net", body->len,
			       hex.s, q[i].content_type ? q[i].content_type : "-");
			buf_release(&hex);
			buf_release(&file);
		} else {
			printf("fail %ld %s\n", q[i].status, q[i].error);
		}
	}
	printf("stats requests=%lu transfers=%lu not_modified=%lu cache_hits=%lu retries=%lu\n", f.requests,
	       f.transfers, f.not_modified, f.cache_hits, f.retries);
	a = 0;
	for (i = 0; i < n; i++) {
		if (!q[i].ok)
			a = 1;
		fetch_release(&q[i]);
	}
	fetcher_release(&f);
	free(q);
	free(pq);
	free(specs);
	return a;
}
