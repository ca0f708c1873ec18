/* reqfile-probe.c: reqset_load() for tests/diff-reqfile.py.
 *
 * Each request line is "r PATH" or "c PATH" (a requirements or constraints file); the answer
 * line is "error" or "ok " and, in hex, one line per item: "entry\tTEXT\tFILE\tLINE\tC\tHASHES"
 * (C is 1 for constraints, HASHES comma-separated), "index\tURL", "extra\tURL", "host\tNAME",
 * "nobinary\tVALUE", "pre", "require-hashes", "prefer-binary". With -v the error message is
 * printed instead of "error".
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "reqfile/reqfile.h"

static void dump(const struct reqset *set, struct buf *out)
{
	size_t i, k;

	for (i = 0; i < set->nr; i++) {
		const struct reqfile_entry *e = &set->entries[i];

		buf_addf(out, "entry\t%s\t%s\t%zu\t%d\t", e->text, e->file, e->line, e->constraint);
		for (k = 0; k < e->hashes.n; k++)
			buf_addf(out, "%s%s", k ? "," : "", e->hashes.v[k]);
		buf_addch(out, '\n');
	}
	if (set->index_url)
		buf_addf(out, "index\t%s\n", set->index_url);
	for (k = 0; k < set->extra_index_urls.n; k++)
		buf_addf(out, "extra\t%s\n", set->extra_index_urls.v[k]);
	for (k = 0; k < set->trusted_hosts.n; k++)
		buf_addf(out, "host\t%s\n", set->trusted_hosts.v[k]);
	for (k = 0; k < set->no_binary.n; k++)
		buf_addf(out, "nobinary\t%s\n", set->no_binary.v[k]);
	if (set->pre)
		buf_adds(out, "pre\n");
	if (set->require_hashes)
		buf_adds(out, "require-hashes\n");
	if (set->prefer_binary)
		buf_adds(out, "prefer-binary\n");
}

int main(int argc, char **argv)
{
	struct buf line = BUF_INIT, err = BUF_INIT, out = BUF_INIT;
	int verbose = argc > 1 && !strcmp(argv[1], "-v");
	int c;

	for (;;) {
		struct reqset set;
		size_t i;

		buf_reset(&line);
		for (c = getchar(); c != EOF && c != '\n'; c = getchar())
			buf_addch(&line, c);
		if (c == EOF && !line.len)
			break;
		if (line.len < 3 || (line.s[0] != 'r' && line.s[0] != 'c') || line.s[1] != ' ')
			die("bad request '%s'", line.s);
		reqset_init(&set);
		if (reqset_load(&set, line.s + 2, line.s[0] == 'c', &err)) {
			if (verbose)
				printf("%s\n", err.s);
			else
				printf("error\n");
		} else {
			buf_reset(&out);
			dump(&set, &out);
			printf("ok ");
			for (i = 0; i < out.len; i++)
				printf("%02x", (unsigned char)out.s[i]);
			putchar('\n');
		}
		reqset_release(&set);
	}
	buf_release(&line);
	buf_release(&err);
	buf_release(&out);
	if (fflush(stdout) || ferror(stdout))
		die("cannot write to stdout:");
	return 0;
}
