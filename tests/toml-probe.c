/* toml-probe.c: expose the TOML reader to tests/diff-toml.py.
 *
 *   toml-probe FILE    parse FILE
 *   toml-probe --hex   parse each line of stdin, a document in hexadecimal
 *
 * One answer line per document: the value in toml-test's tagged JSON form (TOML_TAGGED, keys in
 * document order), or "ERROR line:column message".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "toml/toml.h"

static void answer(json_t *v, const struct toml_error *err)
{
	char *s;

	if (!v) {
		printf("ERROR %d:%d %s\n", err->line, err->column, err->msg);
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
	if (!s)
		die("cannot encode the result");
	printf("%s\n", s);
	free(s);
	json_decref(v);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int run_hex(void)
{
	struct buf line = BUF_INIT, doc = BUF_INIT;
	struct toml_error err;
	int c;

	while ((c = getchar()) != EOF) {
		size_t i;

		if (c != '\n') {
			buf_addch(&line, c);
			continue;
		}
		if (line.len % 2)
			die("odd number of hex digits");
		for (i = 0; i < line.len; i += 2) {
			int hi = hexval((unsigned char)line.s[i]), lo = hexval((unsigned char)line.s[i + 1]);

			if (hi < 0 || lo < 0)
				die("bad hex digit in '%.20s'", line.s + i);
			buf_addch(&doc, hi * 16 + lo);
		}
		answer(toml_parse_ex(doc.s, doc.len, TOML_TAGGED, &err), &err);
		buf_reset(&line);
		buf_reset(&doc);
	}
	buf_release(&line);
	buf_release(&doc);
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct buf b = BUF_INIT;
	struct toml_error err;

	if (argc == 2 && !strcmp(argv[1], "--hex"))
		return run_hex();
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: toml-probe FILE | toml-probe --hex\n");
		return 2;
	}
	if (buf_read_file(&b, argv[1]))
		die("cannot read '%s':", argv[1]);
	answer(toml_parse_ex(b.s, b.len, TOML_TAGGED, &err), &err);
	buf_release(&b);
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
