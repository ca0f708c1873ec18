/* marker-probe.c: PEP 508 requirements and markers on stdin/stdout for tests/diff-requirements.py.
 *
 * One request per line, one answer per line. In requests and answers, backslash, newline, tab and
 * carriage return are written \\, \n, \t and \r; fields are separated by real tabs.
 *
 *   marker-probe req      REQUIREMENT -> OK <tab> name=.. extras=.. spec=.. url=.. marker=.. str=..
 *   marker-probe marker   MARKER      -> OK <tab> str(Marker)
 *   marker-probe eval     MARKER <tab> EXTRA <tab> 11 environment values (enum marker_var order)
 *                                     -> True | False
 * Any failure answers ERROR <tab> message.
 * The lexical layer (gen/pep508.h), for tests/diff-pep508.py:
 *   marker-probe string   SOURCE      -> OK <tab> value <tab> end | ERROR | NONE (no string at 0)
 *   marker-probe ident    POS <tab> SOURCE -> end | NONE (no identifier at byte POS)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "marker.h"
#include "pep508.h"
#include "requirement.h"

static void unescape(struct buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			buf_addch(out, s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i] == 'r' ? '\r' : s[i]);
		} else {
			buf_addch(out, s[i]);
		}
	}
}

static void put_n(struct buf *out, const char *s, size_t n)
{
	const char *end = s + n;

	for (; s < end; s++) {
		if (*s == '\\')
			buf_adds(out, "\\\\");
		else if (*s == '\n')
			buf_adds(out, "\\n");
		else if (*s == '\t')
			buf_adds(out, "\\t");
		else if (*s == '\r')
			buf_adds(out, "\\r");
		else
			buf_addch(out, *s);
	}
}

static void put(struct buf *out, const char *s)
{
	put_n(out, s, strlen(s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void do_req(const char *in, struct buf *out)
{
	struct requirement r;
	struct buf err = BUF_INIT, tmp = BUF_INIT;
	char **sorted;
	size_t i;

	if (requirement_parse(in, &r, &err)) {
		buf_adds(out, "ERROR\t");
		put(out, err.s);
		buf_release(&err);
		return;
	}
	buf_adds(out, "OK\tname=");
	put(out, r.name);
	buf_adds(out, "\textras=");
	sorted = xreallocarray(NULL, r.nextras + 1, sizeof(*sorted));
	if (r.nextras)
		memcpy(sorted, r.extras, r.nextras * sizeof(*sorted));
	QSORT(sorted, r.nextras, cmp_str);
	for (i = 0; i < r.nextras; i++) {
		if (i)
			buf_addch(out, ',');
		put(out, sorted[i]);
	}
	free(sorted);
	buf_adds(out, "\tspec=");
	specset_format(&r.spec, &tmp);
	put(out, tmp.s);
	buf_reset(&tmp);
	buf_adds(out, "\turl=");
	put(out, r.url ? r.url : "-");
	buf_adds(out, "\tmarker=");
	if (r.marker)
		marker_format(r.marker, &tmp);
	else
		buf_adds(&tmp, "-");
	put_n(out, tmp.s, tmp.len);
	buf_reset(&tmp);
	buf_adds(out, "\tstr=");
	requirement_format(&r, &tmp);
	put_n(out, tmp.s, tmp.len);
	buf_release(&tmp);
	requirement_release(&r);
}

static void do_marker(const char *in, struct buf *out)
{
	struct marker *m;
	struct buf err = BUF_INIT, tmp = BUF_INIT;

	if (marker_parse(in, &m, &err)) {
		buf_adds(out, "ERROR\t");
		put(out, err.s);
		buf_release(&err);
		return;
	}
	marker_format(m, &tmp);
	buf_adds(out, "OK\t");
	put_n(out, tmp.s, tmp.len);
	buf_release(&tmp);
	marker_free(m);
}

static void do_eval(const char *line, struct buf *out)
{
	struct buf field[2 + MV__COUNT], err = BUF_INIT;
	struct marker_env env;
	struct marker *m;
	const char *p = line;
	size_t i;
	int v;

	for (i = 0; i < ARRAY_SIZE(field); i++) {
		const char *tab = strchr(p, '\t');
		size_t n = tab ? (size_t)(tab - p) : strlen(p);

		buf_init(&field[i]);
		unescape(&field[i], p, n);
		p += n;
		if (*p)
			p++;
	}
	marker_env_init(&env);
	for (i = 0; i < MV__COUNT; i++)
		marker_env_set(&env, (enum marker_var)i, field[2 + i].s);
	if (marker_parse(field[0].s, &m, &err)) {
		v = -1;
	} else {
		v = marker_eval(m, &env, field[1].s, &err);
		marker_free(m);
	}
	if (v < 0) {
		buf_adds(out, "ERROR\t");
		put(out, err.s);
	} else {
		buf_adds(out, v ? "True" : "False");
	}
	buf_release(&err);
	marker_env_release(&env);
	for (i = 0; i < ARRAY_SIZE(field); i++)
		buf_release(&field[i]);
}

static void do_string(const char *in, struct buf *out)
{
	struct buf v = BUF_INIT;
	size_t end = 0;
	int r = pep508_string(in, 0, &end, &v, NULL);

	if (r > 0) {
		buf_adds(out, "OK\t");
		put_n(out, v.s, v.len);
		buf_addf(out, "\t%zu", end);
	} else {
		buf_adds(out, r < 0 ? "ERROR" : "NONE");
	}
	buf_release(&v);
}

static void do_ident(const char *line, struct buf *out)
{
	const char *tab = strchr(line, '\t');
	struct buf src = BUF_INIT;
	size_t pos = 0, end;
	const char *p;

	for (p = line; tab && p < tab; p++)
		pos = pos * 10 + (size_t)(*p - '0');
	if (tab)
		unescape(&src, tab + 1, strlen(tab + 1));
	if (tab && pos <= src.len && pep508_identifier(src.s, pos, &end))
		buf_addf(out, "%zu", end);
	else
		buf_adds(out, "NONE");
	buf_release(&src);
}

int main(int argc, char **argv)
{
	struct buf line = BUF_INIT, in = BUF_INIT, out = BUF_INIT;
	int c;

	if (argc != 2 || (strcmp(argv[1], "req") && strcmp(argv[1], "marker") && strcmp(argv[1], "eval") &&
			  strcmp(argv[1], "string") && strcmp(argv[1], "ident"))) {
		fprintf(stderr, "usage: marker-probe req|marker|eval|string|ident\n");
		return 2;
	}
	for (;;) {
		c = getchar();
		if (c != EOF && c != '\n') {
			buf_addch(&line, c);
			continue;
		}
		if (c == EOF && !line.len)
			break;
		buf_reset(&in);
		buf_reset(&out);
		if (!strcmp(argv[1], "eval")) {
			do_eval(line.s, &out);
		} else if (!strcmp(argv[1], "ident")) {
			do_ident(line.s, &out);
		} else {
			unescape(&in, line.s, line.len);
			if (!strcmp(argv[1], "req"))
				do_req(in.s, &out);
			else if (!strcmp(argv[1], "string"))
				do_string(in.s, &out);
			else
				do_marker(in.s, &out);
		}
		buf_addch(&out, '\n');
		fwrite(out.s, 1, out.len, stdout);
		buf_reset(&line);
		if (c == EOF)
			break;
	}
	buf_release(&line);
	buf_release(&in);
	buf_release(&out);
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
