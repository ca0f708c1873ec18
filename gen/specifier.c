/* specifier.c: PEP 440 specifiers like packaging 23.0's Specifier and SpecifierSet (see specifier.h).
 *
 * Wildcard and ~= matching work on strings, as packaging does (_version_split, _pad_version),
 * so that its quirks carry over: ~=1.2.c1 means >=1.2.c1,==1.2.*, but ~=1.2rc1 means ==1.*.
 */
#include <stdlib.h>
#include <string.h>

#include "specifier.h"

static const struct {
	const char *s;
	enum spec_op op;
} ops[] = {
	/* "===" before "==": the regex tries "==" first, but then no version can follow */
	{ "===", SPEC_ARBITRARY },
	{ "~=", SPEC_COMPATIBLE },
	{ "==", SPEC_EQ },
	{ "!=", SPEC_NE },
	{ "<=", SPEC_LE },
	{ ">=", SPEC_GE },
	{ "<", SPEC_LT },
	{ ">", SPEC_GT },
};

static const char *op_str(enum spec_op op)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (ops[i].op == op)
			return ops[i].s;
	BUG("unknown specifier operator %d", (int)op);
}

static size_t keyword(const char *p, const char *end, const char *const *kw)
{
	size_t i;

	for (i = 0; kw[i]; i++) {
		size_t n = strlen(kw[i]);

		if ((size_t)(end - p) >= n && !ascii_strncasecmp(p, kw[i], n))
			return n;
	}
	return 0;
}

/* Optional "[-_.]?(KEYWORD)[-_.]?[0-9]*" group of the specifier regex. */
static void letter_group(const char **p, const char *end, const char *const *kw)
{
	const char *q = *p;
	size_t n;

	if (q < end && pep440_is_sep(*q))
		q++;
	n = keyword(q, end, kw);
	if (!n)
		return;
	q += n;
	if (q < end && pep440_is_sep(*q))
		q++;
	pep440_digits(&q, end);
	*p = q;
}

/* Match the version part of the specifier regex for op at p (after the operator, including the
 * leading \s*), greedily. Returns the end of the match or NULL; sets *vstart past the spaces. */
static const char *match_version(enum spec_op op, const char *p, const char *end, const char **vstart,
				 int *wildcard)
{
	static const char *const pre_kw[] = { "alpha", "beta", "preview", "pre", "a", "b", "c", "rc", NULL };
	static const char *const post_kw[] = { "post", "rev", "r", NULL };
	static const char *const dev_kw[] = { "dev", NULL };
	size_t nrel = 1;

	*wildcard = 0;
	p = pep440_skip_space(p, end);
	*vstart = p;
	if (op == SPEC_ARBITRARY) {
		while (p < end && *p != ';' && *p != ')' && !pep440_space_len(p, end))
			p++;
		return p;
	}
	if (p < end && (*p == 'v' || *p == 'V'))
		p++;
	if (!pep440_digits(&p, end))
		return NULL;
	if (p + 1 < end && *p == '!' && ascii_isdigit((unsigned char)p[1])) {
		p++;
		pep440_digits(&p, end);
	}
	while (p + 1 < end && *p == '.' && ascii_isdigit((unsigned char)p[1])) {
		p++;
		pep440_digits(&p, end);
		nrel++;
	}
	if (op == SPEC_COMPATIBLE && nrel < 2)
		return NULL;
	if ((op == SPEC_EQ || op == SPEC_NE) && p + 1 < end && p[0] == '.' && p[1] == '*') {
		*wildcard = 1;
		return p + 2;
	}
	letter_group(&p, end, pre_kw);
	if (p + 1 < end && *p == '-' && ascii_isdigit((unsigned char)p[1])) {
		p++;
		pep440_digits(&p, end);
	} else {
		letter_group(&p, end, post_kw);
	}
	letter_group(&p, end, dev_kw);
	if ((op == SPEC_EQ || op == SPEC_NE) && p + 1 < end && *p == '+'
	    && ascii_isalnum((unsigned char)p[1])) {
		p++;
		for (;;) {
			while (p < end && ascii_isalnum((unsigned char)*p))
				p++;
			if (p + 1 < end && pep440_is_sep(*p) && ascii_isalnum((unsigned char)p[1]))
				p++;
			else
				break;
		}
	}
	return p;
}

/* Match an operator at p; returns its length (0 if none). */
static size_t match_op(const char *p, const char *end, enum spec_op *op)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		size_t n = strlen(ops[i].s);

		if ((size_t)(end - p) >= n && !memcmp(p, ops[i].s, n)) {
			*op = ops[i].op;
			return n;
		}
	}
	return 0;
}

int specifier_scan(const char **p)
{
	const char *s = *p, *end = s + strlen(s), *vstart, *e;
	enum spec_op op;
	size_t n = match_op(s, end, &op);
	int wildcard;

	if (!n)
		return -1;
	e = match_version(op, s + n, end, &vstart, &wildcard);
	if (!e)
		return -1;
	*p = e;
	return 0;
}

void specset_init(struct specset *s)
{
	s->specs = NULL;
	s->n = 0;
	s->alloc = 0;
}

static void specifier_release(struct specifier *sp)
{
	free(sp->text);
	free(sp->canon);
	version_release(&sp->version);
}

void specset_release(struct specset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		specifier_release(&s->specs[i]);
	free(s->specs);
	specset_init(s);
}

static void specifier_copy(struct specifier *dst, const struct specifier *src)
{
	*dst = *src;
	dst->text = xstrdup(src->text);
	dst->canon = xstrdup(src->canon);
	version_copy(&dst->version, &src->version);
}

/* packaging.utils.canonicalize_version of a string (unchanged when it is not a version). */
static char *canonicalize(const char *s, size_t n, int strip_trailing_zero)
{
	struct version v;
	struct buf b = BUF_INIT;

	if (version_parse_n(s, n, &v))
		return xstrndup(s, n);
	version_format_canonical(&v, strip_trailing_zero, &b);
	version_release(&v);
	return buf_detach(&b, NULL);
}

/* Why the clause at s (stripped, n bytes) does not parse, for the error message. */
static const char *diagnose(const char *s, size_t n)
{
	const char *end = s + n, *v;
	enum spec_op op;
	size_t len = match_op(s, end, &op), vn;
	struct version ver;
	int wild, bad, r;

	if (!len)
		return "expected an operator (~= == != <= >= < > ===)";
	v = pep440_skip_space(s + len, end);
	vn = (size_t)(end - v);
	if (!vn)
		return "expected a version after the operator";
	wild = vn >= 2 && v[vn - 2] == '.' && v[vn - 1] == '*';
	if (wild && op != SPEC_EQ && op != SPEC_NE)
		return "'.*' is only allowed with == and !=";
	bad = version_parse_n(v, wild ? vn - 2 : vn, &ver);
	if (bad)
		return "invalid version";
	r = 0;
	if (wild && (ver.pre_l || ver.has_post || ver.has_dev || ver.nlocal))
		r = 1;
	else if (ver.nlocal && op != SPEC_EQ && op != SPEC_NE)
		r = 2;
	else if (op == SPEC_COMPATIBLE && ver.nrelease < 2)
		r = 3;
	version_release(&ver);
	switch (r) {
	case 1:
		return "'.*' must directly follow the release numbers";
	case 2:
		return "local versions are only allowed with == and !=";
	case 3:
		return "~= needs a release of at least two numbers";
	}
	return "invalid version";
}

/* Parse the stripped clause s[0..n) into *sp; 0 or -1. */
static int specifier_parse(const char *s, size_t n, struct specifier *sp)
{
	const char *end = s + n, *vstart, *e;
	size_t len = match_op(s, end, &sp->op);

	if (!len)
		return -1;
	e = match_version(sp->op, s + len, end, &vstart, &sp->wildcard);
	if (!e || pep440_skip_space(e, end) != end)
		return -1;
	sp->text = xstrndup(vstart, (size_t)(e - vstart));
	sp->canon = canonicalize(vstart, (size_t)(e - vstart), sp->op != SPEC_COMPATIBLE);
	sp->has_version = !version_parse_n(vstart, (size_t)(e - vstart) - (sp->wildcard ? 2 : 0),
					  &sp->version);
	if (!sp->has_version && sp->op != SPEC_ARBITRARY)
		BUG("specifier version '%s' does not parse", sp->text);
	return 0;
}

static int specset_has(const struct specset *s, const struct specifier *sp)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->specs[i].op == sp->op && !strcmp(s->specs[i].canon, sp->canon))
			return 1;
	return 0;
}

/* Parse one clause into *sp; -1 with the reason appended to err (may be NULL). */
static int clause_parse(const char *spec, size_t len, struct specifier *sp, struct buf *err)
{
	const char *end = spec + len, *start = pep440_skip_space(spec, end);

	end = pep440_rskip_space(start, end);
	memset(sp, 0, sizeof(*sp));
	if (specifier_parse(start, (size_t)(end - start), sp)) {
		if (err)
			buf_addf(err, "invalid specifier '%.*s': %s", (int)(end - start), start,
				 diagnose(start, (size_t)(end - start)));
		specifier_release(sp);
		return -1;
	}
	return 0;
}

/* Deduplication order: equal clauses together, the earliest first. */
static int cmp_clause(const void *a, const void *b)
{
	const struct specifier *x = *(const struct specifier *const *)a, *y = *(const struct specifier *const *)b;
	int c;

	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	c = strcmp(x->canon, y->canon);
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* Drop the clauses that equal an earlier one, keeping the order of the others. Sorting keeps this
 * O(n log n): a set of thousands of clauses (a hostile Requires-Python) stays fast. */
static void specset_dedupe(struct specset *s)
{
	const struct specifier **v;
	unsigned char *drop;
	size_t i, j;

	if (s->n < 2)
		return;
	v = xreallocarray(NULL, s->n, sizeof(*v));
	drop = xmalloc(s->n);
	for (i = 0; i < s->n; i++) {
		v[i] = &s->specs[i];
		drop[i] = 0;
	}
	QSORT(v, s->n, cmp_clause);
	for (i = 1; i < s->n; i++)
		if (v[i]->op == v[i - 1]->op && !strcmp(v[i]->canon, v[i - 1]->canon))
			drop[v[i] - s->specs] = 1;
	for (i = j = 0; i < s->n; i++) {
		if (drop[i])
			specifier_release(&s->specs[i]);
		else
			s->specs[j++] = s->specs[i];
	}
	s->n = j;
	free(v);
	free(drop);
}

int specset_add(struct specset *s, const char *spec, size_t len, struct buf *err)
{
	struct specifier sp;

	if (clause_parse(spec, len, &sp, err))
		return -1;
	if (specset_has(s, &sp)) {
		specifier_release(&sp);
		return 0;
	}
	GROW(s->specs, s->alloc, s->n + 1);
	s->specs[s->n++] = sp;
	return 0;
}

int specset_parse(const char *text, struct specset *out, struct buf *err)
{
	const char *p = text;

	specset_init(out);
	for (;;) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		const char *start = pep440_skip_space(p, end);

		if (pep440_rskip_space(start, end) != start) {
			GROW(out->specs, out->alloc, out->n + 1);
			if (clause_parse(start, (size_t)(end - start), &out->specs[out->n], err)) {
				specset_release(out);
				return -1;
			}
			out->n++;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	specset_dedupe(out);
	return 0;
}

void specset_merge(struct specset *dst, const struct specset *src)
{
	size_t i, n = src->n;

	GROW(dst->specs, dst->alloc, dst->n + n);
	for (i = 0; i < n; i++)
		specifier_copy(&dst->specs[dst->n++], &src->specs[i]);
	specset_dedupe(dst);
}

void specset_copy(struct specset *dst, const struct specset *src)
{
	specset_init(dst);
	specset_merge(dst, src);
}

int specset_is_empty(const struct specset *s)
{
	return s->n == 0;
}

/* Specifier.prereleases with no override. */
static int specifier_names_prerelease(const struct specifier *sp)
{
	switch (sp->op) {
	case SPEC_EQ:
	case SPEC_GE:
	case SPEC_LE:
	case SPEC_COMPATIBLE:
	case SPEC_ARBITRARY:
		/* packaging raises InvalidVersion for ===<not a version>: count it as no */
		return sp->has_version && version_is_prerelease(&sp->version);
	default:
		return 0;
	}
}

int specset_names_prerelease(const struct specset *s)
{
	size_t i;

	if (!s->n)
		return -1;
	for (i = 0; i < s->n; i++)
		if (specifier_names_prerelease(&s->specs[i]))
			return 1;
	return 0;
}

struct slice {
	const char *s;
	size_t n;
};

struct slices {
	struct slice *v;
	size_t n, alloc;
};

static void slices_add(struct slices *l, const char *s, size_t n)
{
	GROW(l->v, l->alloc, l->n + 1);
	l->v[l->n].s = s;
	l->v[l->n].n = n;
	l->n++;
}

/* Length of the leading digits when item matches ^([0-9]+)((?:a|b|c|rc)[0-9]+)$, else 0. */
static size_t prefix_split(const char *s, size_t n)
{
	size_t i = 0, d, j;

	while (i < n && ascii_isdigit((unsigned char)s[i]))
		i++;
	d = i;
	if (!d)
		return 0;
	if (i < n && (s[i] == 'a' || s[i] == 'b' || s[i] == 'c'))
		i++;
	else if (i + 1 < n && s[i] == 'r' && s[i + 1] == 'c')
		i += 2;
	else
		return 0;
	j = i;
	while (i < n && ascii_isdigit((unsigned char)s[i]))
		i++;
	return i == n && i > j ? d : 0;
}

/* packaging's _version_split: split on '.', and "1rc2" into "1", "rc2". */
static void version_split(const char *s, size_t n, struct slices *out)
{
	const char *end = s + n;

	for (;;) {
		const char *dot = memchr(s, '.', (size_t)(end - s));
		const char *e = dot ? dot : end;
		size_t d = prefix_split(s, (size_t)(e - s));

		if (d) {
			slices_add(out, s, d);
			slices_add(out, s + d, (size_t)(e - s) - d);
		} else {
			slices_add(out, s, (size_t)(e - s));
		}
		if (!dot)
			return;
		s = dot + 1;
	}
}

static int is_digits(struct slice x)
{
	size_t i;

	if (!x.n)
		return 0;
	for (i = 0; i < x.n; i++)
		if (!ascii_isdigit((unsigned char)x.s[i]))
			return 0;
	return 1;
}

static int slice_eq(struct slice a, struct slice b)
{
	return a.n == b.n && !memcmp(a.s, b.s, a.n);
}

/* Specifier._compare_equal(v, W + ".*"): the prefix match of packaging 23.0. */
static int eq_wildcard(const struct version *v, const char *w, size_t wn)
{
	struct buf np = BUF_INIT;
	char *ns = canonicalize(w, wn, 0), *plus;
	struct slices sp = { NULL, 0, 0 }, ss = { NULL, 0, 0 };
	size_t lrel = 0, rrel = 0, pad, i;
	int r = 1;

	version_format_canonical(v, 1, &np);
	plus = strchr(np.s, '+');
	if (plus)
		buf_setlen(&np, (size_t)(plus - np.s));
	version_split(np.s, np.len, &sp);
	version_split(ns, strlen(ns), &ss);
	while (lrel < sp.n && is_digits(sp.v[lrel]))
		lrel++;
	while (rrel < ss.n && is_digits(ss.v[rrel]))
		rrel++;
	pad = rrel > lrel ? rrel - lrel : 0;
	/* padded = sp[0..lrel) + "0" * pad + sp[lrel..), cut to ss.n items */
	if (sp.n + pad < ss.n)
		r = 0;
	for (i = 0; r && i < ss.n; i++) {
		struct slice item;

		if (i < lrel) {
			item = sp.v[i];
		} else if (i < lrel + pad) {
			item.s = "0";
			item.n = 1;
		} else {
			item = sp.v[i - pad];
		}
		if (!slice_eq(item, ss.v[i]))
			r = 0;
	}
	free(sp.v);
	free(ss.v);
	free(ns);
	buf_release(&np);
	return r;
}

static int is_suffix(struct slice x)
{
	static const char *const suffixes[] = { "dev", "a", "b", "rc", "post" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		size_t n = strlen(suffixes[i]);

		if (x.n >= n && !memcmp(x.s, suffixes[i], n))
			return 1;
	}
	return 0;
}

static int compatible(const struct specifier *sp, const struct version *v)
{
	struct slices items = { NULL, 0, 0 };
	struct buf prefix = BUF_INIT;
	size_t k = 0, i;
	int r;

	if (version_cmp_public(v, &sp->version) < 0)
		return 0;
	version_split(sp->text, strlen(sp->text), &items);
	while (k < items.n && !is_suffix(items.v[k]))
		k++;
	for (i = 0; i + 1 < k; i++) {
		if (i)
			buf_addch(&prefix, '.');
		buf_add(&prefix, items.v[i].s, items.v[i].n);
	}
	r = eq_wildcard(v, prefix.s, prefix.len);
	buf_release(&prefix);
	free(items.v);
	return r;
}

static int arbitrary(const struct specifier *sp, const struct version *v)
{
	struct buf b = BUF_INIT;
	const unsigned char *t = (const unsigned char *)sp->text;
	size_t i = 0;
	int r = 1;

	version_format(v, &b);
	/* str(v).lower() == text.lower(); the only non-ASCII character that lowercases to
	 * ASCII is the Kelvin sign (U+212A), and str(v) is ASCII */
	while (r && *t) {
		int c;

		if (t[0] == 0xe2 && t[1] == 0x84 && t[2] == 0xaa) {
			c = 'k';
			t += 3;
		} else if (t[0] < 0x80) {
			c = ascii_tolower(t[0]);
			t++;
		} else {
			r = 0;
			break;
		}
		if (i >= b.len || ascii_tolower((unsigned char)b.s[i]) != c)
			r = 0;
		i++;
	}
	if (i != b.len)
		r = 0;
	buf_release(&b);
	return r;
}

static int equal(const struct specifier *sp, const struct version *v)
{
	if (sp->wildcard)
		return eq_wildcard(v, sp->text, strlen(sp->text) - 2);
	if (!sp->version.nlocal)
		return version_cmp_public(v, &sp->version) == 0;
	return version_cmp(v, &sp->version) == 0;
}

/* The operator alone (Specifier._compare_*). */
static int compare(const struct specifier *sp, const struct version *v)
{
	const struct version *s = &sp->version;

	switch (sp->op) {
	case SPEC_COMPATIBLE:
		return compatible(sp, v);
	case SPEC_EQ:
		return equal(sp, v);
	case SPEC_NE:
		return !equal(sp, v);
	case SPEC_LE:
		return version_cmp_public(v, s) <= 0;
	case SPEC_GE:
		return version_cmp_public(v, s) >= 0;
	case SPEC_LT:
		if (version_cmp(v, s) >= 0)
			return 0;
		if (!version_is_prerelease(s) && version_is_prerelease(v) && !version_cmp_base(v, s))
			return 0;
		return 1;
	case SPEC_GT:
		if (version_cmp(v, s) <= 0)
			return 0;
		if (!version_is_postrelease(s) && version_is_postrelease(v) && !version_cmp_base(v, s))
			return 0;
		if (version_has_local(v) && !version_cmp_base(v, s))
			return 0;
		return 1;
	case SPEC_ARBITRARY:
		return arbitrary(sp, v);
	}
	BUG("unknown specifier operator %d", (int)sp->op);
}

int specifier_contains(const struct specifier *sp, const struct version *v, int prereleases)
{
	if (prereleases < 0)
		prereleases = specifier_names_prerelease(sp);
	if (version_is_prerelease(v) && !prereleases)
		return 0;
	return compare(sp, v);
}

int specset_contains(const struct specset *s, const struct version *v, int prereleases)
{
	size_t i;

	if (prereleases < 0)
		prereleases = specset_names_prerelease(s) > 0;
	if (version_is_prerelease(v) && !prereleases)
		return 0;
	for (i = 0; i < s->n; i++)
		if (!compare(&s->specs[i], v))
			return 0;
	return 1;
}

int specset_contains_str(const struct specset *s, const char *version, int prereleases)
{
	struct version v;
	int r;

	if (version_parse(version, &v))
		return -1;
	r = specset_contains(s, &v, prereleases);
	version_release(&v);
	return r;
}

size_t specset_filter(const struct specset *s, const struct version *const *v, size_t n,
		      int prereleases, size_t *out_idx)
{
	size_t i, k = 0;

	if (s->n) {
		for (i = 0; i < n; i++)
			if (specset_contains(s, v[i], prereleases))
				out_idx[k++] = i;
		return k;
	}
	/* no clause: final releases, or the pre-releases when there is nothing else */
	for (i = 0; i < n; i++)
		if (prereleases > 0 || !version_is_prerelease(v[i]))
			out_idx[k++] = i;
	if (!k && prereleases < 0)
		for (i = 0; i < n; i++)
			out_idx[k++] = i;
	return k;
}

void specifier_format(const struct specifier *sp, struct buf *out)
{
	buf_adds(out, op_str(sp->op));
	buf_adds(out, sp->text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void specset_format(const struct specset *s, struct buf *out)
{
	char **strs;
	size_t i;

	if (!s->n)
		return;
	strs = xreallocarray(NULL, s->n, sizeof(*strs));
	for (i = 0; i < s->n; i++) {
		struct buf b = BUF_INIT;

		specifier_format(&s->specs[i], &b);
		strs[i] = buf_detach(&b, NULL);
	}
	QSORT(strs, s->n, cmp_str);
	for (i = 0; i < s->n; i++) {
		if (i)
			buf_addch(out, ',');
		buf_adds(out, strs[i]);
		free(strs[i]);
	}
	free(strs);
}
