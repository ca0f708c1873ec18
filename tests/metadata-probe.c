/* metadata-probe.c: metadata_parse() on stdin for tests/diff-metadata.py.
 *
 * Each request line is a metadata file in hex; the answer line is "error", or "ok" followed by
 * " NAMEHEX=RAWHEX" per field in order and " body=BODYHEX" (empty hex strings print as "").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "metadata.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void put_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", (unsigned char)s[i]);
}

int main(void)
{
	struct buf line = BUF_INIT, data = BUF_INIT, err = BUF_INIT;
	int c;

	for (;;) {
		size_t i;

		buf_reset(&line);
		for (c = getchar(); c != EOF && c != '\n'; c = getchar())
			buf_addch(&line, c);
		if (c == EOF && !line.len)
			break;
		buf_reset(&data);
		for (i = 0; i + 1 < line.len; i += 2) {
			int hi = hexval(line.s[i]), lo = hexval(line.s[i + 1]);

			if (hi < 0 || lo < 0)
				die("bad hex in request");
			buf_addch(&data, hi * 16 + lo);
		}
		{
			struct metadata md;

			if (metadata_parse(data.s, data.len, &md, &err)) {
				printf("error\n");
				continue;
			}
			printf("ok");
			for (i = 0; i < md.nr; i++) {
				putchar(' ');
				put_hex(md.fields[i].name, strlen(md.fields[i].name));
				putchar('=');
				put_hex(md.fields[i].raw, strlen(md.fields[i].raw));
			}
			printf(" body=");
			put_hex(md.body, md.body_len);
			putchar('\n');
			metadata_release(&md);
		}
	}
	buf_release(&line);
	buf_release(&data);
	buf_release(&err);
	if (fflush(stdout) || ferror(stdout))
		die("cannot write to stdout:");
	return 0;
}
