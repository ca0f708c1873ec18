/* version-probe.c: versions and specifiers on stdin/stdout for tests/diff-versions.py.
 *
 * One request per line, fields separated by tabs; in a field "\\", "\t" and "\n" stand for a
 * backslash, a tab and a newline (answers are escaped the same way). Modes (argv[1]):
 *   parse     VERSION            -> canonical \t is_pre \t is_post \t is_dev \t public \t base, or INVALID
 *   cmp       A \t B             -> -1, 0 or 1 (INVALID if either does not parse)
 *   sort      V1 \t V2 ...       -> the indices of a stable sort, space-separated
 *   contains  SPEC \t V \t PRE   -> 1, 0 or INVALID (PRE: -1 default, 0, 1)
 *   clause    SPEC \t V \t PRE   -> Specifier(SPEC).contains(V, PRE): 1, 0 or INVALID
 *   filter    SPEC \t PRE \t V1 \t V2 ...  -> the kept indices, space-separated, or INVALID
 *   specstr   SPEC               -> str(SpecifierSet) \t prereleases (-1/0/1), or INVALID
 *   merge     SPEC1 \t SPEC2     -> str(SpecifierSet(SPEC1) & SpecifierSet(SPEC2)), or INVALID
 *   scan      TEXT               -> the text of the SPECIFIER token at its start, or NOMATCH
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "specifier.h"
#include "version.h"

struct fields {
	char **v;
	size_t n, alloc;
};

static void unescape_into(struct buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			buf_addch(out, s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i]);
		} else {
			buf_addch(out, s[i]);
		}
	}
}

static void split(const char *line, struct fields *f)
{
	const char *p = line;

	f->n = 0;
	for (;;) {
		const char *tab = strchr(p, '\t');
		size_t n = tab ? (size_t)(tab - p) : strlen(p);
		struct buf b = BUF_INIT;

		unescape_into(&b, p, n);
		GROW(f->v, f->alloc, f->n + 1);
		f->v[f->n++] = buf_detach(&b, NULL);
		if (!tab)
			return;
		p = tab + 1;
	}
}

static void put_escaped(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", stdout);
		else if (*s == '\t')
			fputs("\\t", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
}

static void do_parse(struct fields *f)
{
	struct version v;
	struct buf b = BUF_INIT;

	if (version_parse(f->v[0], &v)) {
		puts("INVALID");
		return;
	}
	version_format(&v, &b);
	buf_addf(&b, "\t%d\t%d\t%d\t", version_is_prerelease(&v), version_is_postrelease(&v),
		 version_is_devrelease(&v));
	version_format_public(&v, &b);
	buf_addch(&b, '\t');
	version_format_base(&v, &b);
	fputs(b.s, stdout);
	putchar('\n');
	buf_release(&b);
	version_release(&v);
}

static void do_cmp(struct fields *f)
{
	struct version a, b;
	int ra, rb, c;

	if (f->n != 2)
		die("cmp: expected two fields");
	ra = version_parse(f->v[0], &a);
	rb = version_parse(f->v[1], &b);
	if (ra || rb) {
		puts("INVALID");
	} else {
		c = version_cmp(&a, &b);
		printf("%d\n", (c > 0) - (c < 0));
	}
	version_release(&a);
	version_release(&b);
}

static struct version *sort_base;

static int cmp_idx(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = version_cmp(&sort_base[i], &sort_base[j]);

	if (c)
		return c;
	return (i > j) - (i < j);
}

/* Parse f->v[from..] as versions; -1 if one is invalid. */
static int parse_all(struct fields *f, size_t from, struct version **out)
{
	size_t i, n = f->n - from;
	int bad = 0;

	*out = xreallocarray(NULL, n ? n : 1, sizeof(**out));
	for (i = 0; i < n; i++)
		if (version_parse(f->v[from + i], &(*out)[i]))
			bad = 1;
	return bad ? -1 : 0;
}

static void release_all(struct version *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		version_release(&v[i]);
	free(v);
}

static void put_indices(const size_t *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf(i ? " %zu" : "%zu", idx[i]);
	putchar('\n');
}

static void do_sort(struct fields *f)
{
	struct version *v;
	size_t *idx, i;

	if (parse_all(f, 0, &v)) {
		puts("INVALID");
		release_all(v, f->n);
		return;
	}
	idx = xreallocarray(NULL, f->n, sizeof(*idx));
	for (i = 0; i < f->n; i++)
		idx[i] = i;
	sort_base = v;
	QSORT(idx, f->n, cmp_idx);
	put_indices(idx, f->n);
	free(idx);
	release_all(v, f->n);
}

static int parse_pre(const char *s)
{
	long r;

	if (parse_int_range(s, -1, 1, &r))
		die("bad prereleases value '%s'", s);
	return (int)r;
}

static void do_contains(struct fields *f)
{
	struct specset s;
	int r;

	if (f->n != 3)
		die("contains: expected three fields");
	if (specset_parse(f->v[0], &s, NULL)) {
		puts("INVALID");
		return;
	}
	r = specset_contains_str(&s, f->v[1], parse_pre(f->v[2]));
	puts(r < 0 ? "INVALID" : r ? "1" : "0");
	specset_release(&s);
}

static void do_clause(struct fields *f)
{
	struct specset s;
	struct version v;

	if (f->n != 3)
		die("clause: expected three fields");
	specset_init(&s);
	if (specset_add(&s, f->v[0], strlen(f->v[0]), NULL) || version_parse(f->v[1], &v)) {
		puts("INVALID");
	} else {
		puts(specifier_contains(&s.specs[0], &v, parse_pre(f->v[2])) ? "1" : "0");
		version_release(&v);
	}
	specset_release(&s);
}

static void do_filter(struct fields *f)
{
	struct specset s;
	struct version *v;
	const struct version **pv;
	size_t *idx, i, n, k;

	if (f->n < 2)
		die("filter: expected at least two fields");
	n = f->n - 2;
	if (specset_parse(f->v[0], &s, NULL)) {
		puts("INVALID");
		return;
	}
	if (parse_all(f, 2, &v)) {
		puts("INVALID");
	} else {
		pv = xreallocarray(NULL, n ? n : 1, sizeof(*pv));
		idx = xreallocarray(NULL, n ? n : 1, sizeof(*idx));
		for (i = 0; i < n; i++)
			pv[i] = &v[i];
		k = specset_filter(&s, pv, n, parse_pre(f->v[1]), idx);
		put_indices(idx, k);
		free(pv);
		free(idx);
	}
	release_all(v, n);
	specset_release(&s);
}

static void do_specstr(struct fields *f)
{
	struct specset s;
	struct buf b = BUF_INIT;

	if (specset_parse(f->v[0], &s, NULL)) {
		puts("INVALID");
		return;
	}
	specset_format(&s, &b);
	put_escaped(b.s);
	printf("\t%d\n", specset_names_prerelease(&s));
	buf_release(&b);
	specset_release(&s);
}

static void do_merge(struct fields *f)
{
	struct specset a, b;
	struct buf out = BUF_INIT;

	if (f->n != 2)
		die("merge: expected two fields");
	if (specset_parse(f->v[0], &a, NULL)) {
		puts("INVALID");
		return;
	}
	if (specset_parse(f->v[1], &b, NULL)) {
		puts("INVALID");
		specset_release(&a);
		return;
	}
	specset_merge(&a, &b);
	specset_format(&a, &out);
	put_escaped(out.s);
	putchar('\n');
	buf_release(&out);
	specset_release(&a);
	specset_release(&b);
}

static void do_scan(struct fields *f)
{
	const char *p = f->v[0];
	struct buf b = BUF_INIT;

	if (specifier_scan(&p)) {
		puts("NOMATCH");
		return;
	}
	buf_add(&b, f->v[0], (size_t)(p - f->v[0]));
	put_escaped(b.s);
	putchar('\n');
	buf_release(&b);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(struct fields *);
	} modes[] = {
		{ "parse", do_parse },
		{ "cmp", do_cmp },
		{ "sort", do_sort },
		{ "contains", do_contains },
		{ "clause", do_clause },
		{ "filter", do_filter },
		{ "specstr", do_specstr },
		{ "merge", do_merge },
		{ "scan", do_scan },
	};
	void (*fn)(struct fields *) = NULL;
	struct fields f = { NULL, 0, 0 };
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t len;

	progname = "version-probe";
	for (i = 0; argc == 2 && i < ARRAY_SIZE(modes); i++)
		if (!strcmp(argv[1], modes[i].name))
			fn = modes[i].fn;
	if (!fn)
		die_code(EXIT_USAGE, "usage: version-probe parse|cmp|sort|contains|clause|filter|specstr|merge|scan");
	while ((len = getline(&line, &cap, stdin)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		split(line, &f);
		fn(&f);
		for (i = 0; i < f.n; i++)
			free(f.v[i]);
	}
	free(line);
	free(f.v);
	if (fclose(stdout))
		die("write error:");
	return 0;
}
