/* version.c: PEP 440 versions like packaging 23.0's Version (see version.h).
 *
 * The parser follows packaging's VERSION_PATTERN (matched with re.IGNORECASE between \s*
 * anchors). Its optional groups are taken greedily and keywords longest first: no input has a
 * second way to match that the regex would prefer, so this gives the regex's groups.
 */
#include <stdlib.h>
#include <string.h>

#include "version.h"

static const char zero[] = "0";

size_t pep440_space_len(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t left = (size_t)(end - p);

	if (!left)
		return 0;
	/* str.isspace(): ASCII whitespace, the information separators, and Unicode spaces */
	if ((u[0] >= '\t' && u[0] <= '\r') || (u[0] >= 0x1c && u[0] <= 0x1f) || u[0] == ' ')
		return 1;
	if (left >= 2 && u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0))
		return 2;
	if (left < 3)
		return 0;
	if (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80)
		return 3;
	if (u[0] == 0xe2 && u[1] == 0x80
	    && ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf))
		return 3;
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f)
		return 3;
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

const char *pep440_skip_space(const char *p, const char *end)
{
	size_t n = pep440_space_len(p, end);

	while (n) {
		p += n;
		n = pep440_space_len(p, end);
	}
	return p;
}

const char *pep440_rskip_space(const char *start, const char *end)
{
	size_t back = 1;

	while (back <= 3 && back <= (size_t)(end - start)) {
		if (pep440_space_len(end - back, end) == back) {
			end -= back;
			back = 1;
		} else {
			back++;
		}
	}
	return end;
}

void version_init(struct version *v)
{
	memset(v, 0, sizeof(*v));
	v->epoch.d = zero;
	v->epoch.n = 1;
}

void version_release(struct version *v)
{
	free(v->store);
	free(v->release);
	free(v->local);
	version_init(v);
}

int pep440_is_sep(int c)
{
	return c == '-' || c == '_' || c == '.';
}

size_t pep440_digits(const char **p, const char *end)
{
	const char *s = *p;

	while (*p < end && ascii_isdigit((unsigned char)**p))
		(*p)++;
	return (size_t)(*p - s);
}

static struct vnum mknum(const char *s, size_t n)
{
	struct vnum r;

	while (n > 1 && *s == '0') {
		s++;
		n--;
	}
	r.d = s;
	r.n = n;
	return r;
}

/* Match one of the keywords (sorted longest first where one is a prefix of another). */
static size_t keyword(const char *p, const char *end, const char *const *kw, size_t *which)
{
	size_t i;

	for (i = 0; kw[i]; i++) {
		size_t n = strlen(kw[i]);

		if ((size_t)(end - p) >= n && !ascii_strncasecmp(p, kw[i], n)) {
			*which = i;
			return n;
		}
	}
	return 0;
}

static const char *const pre_kw[] = { "preview", "alpha", "beta", "pre", "rc", "a", "b", "c", NULL };
static const char pre_norm[] = { 'r', 'a', 'b', 'r', 'r', 'a', 'b', 'r' };
static const char *const post_kw[] = { "post", "rev", "r", NULL };

/* Optional "[-_.]?KEYWORD[-_.]?digits*" group at *p; on a match set *num (implicit 0). */
static int letter_group(const char **p, const char *end, const char *const *kw, size_t *which,
			struct vnum *num)
{
	const char *q = *p;
	size_t n;

	if (q < end && pep440_is_sep(*q))
		q++;
	n = keyword(q, end, kw, which);
	if (!n)
		return 0;
	q += n;
	if (q < end && pep440_is_sep(*q))
		q++;
	n = pep440_digits(&q, end);
	*num = n ? mknum(q - n, n) : mknum(zero, 1);
	*p = q;
	return 1;
}

/* The local label after '+' (*p points into out->store): segments of [a-z0-9] separated by one
 * of "-_.", lowercased in place. Returns 0, or -1 when a segment is empty. */
static int parse_local(const char **p, const char *end, struct version *out)
{
	size_t alloc = 0;

	for (;;) {
		const char *start = *p, *q;
		struct vlocal *l;

		while (*p < end && ascii_isalnum((unsigned char)**p))
			(*p)++;
		if (*p == start)
			return -1;
		GROW(out->local, alloc, out->nlocal + 1);
		l = &out->local[out->nlocal++];
		l->numeric = 1;
		for (q = start; q < *p; q++) {
			if (!ascii_isdigit((unsigned char)*q))
				l->numeric = 0;
			out->store[q - out->store] = (char)ascii_tolower((unsigned char)*q);
		}
		if (l->numeric) {
			struct vnum v = mknum(start, (size_t)(*p - start));

			l->s = v.d;
			l->n = v.n;
		} else {
			l->s = start;
			l->n = (size_t)(*p - start);
		}
		if (*p + 1 < end && pep440_is_sep(**p) && ascii_isalnum((unsigned char)(*p)[1]))
			(*p)++;
		else
			return 0;
	}
}

int version_parse_n(const char *s, size_t len, struct version *out)
{
	static const char *const dev_kw[] = { "dev", NULL };
	const char *p, *end, *start;
	size_t n, which, alloc = 0;

	version_init(out);
	out->store = xmalloc(len + 1);
	memcpy(out->store, s, len);
	out->store[len] = '\0';
	end = out->store + len;
	p = pep440_skip_space(out->store, end);
	end = pep440_rskip_space(p, end);

	if (p < end && (*p == 'v' || *p == 'V'))
		p++;
	start = p;
	n = pep440_digits(&p, end);
	if (!n)
		goto bad;
	if (p < end && *p == '!') {
		out->epoch = mknum(start, n);
		start = ++p;
		if (!pep440_digits(&p, end))
			goto bad;
	}
	for (;;) {
		GROW(out->release, alloc, out->nrelease + 1);
		out->release[out->nrelease++] = mknum(start, (size_t)(p - start));
		if (!(p + 1 < end && *p == '.' && ascii_isdigit((unsigned char)p[1])))
			break;
		start = ++p;
		pep440_digits(&p, end);
	}
	if (letter_group(&p, end, pre_kw, &which, &out->pre))
		out->pre_l = pre_norm[which];
	/* post: "-N" first, then the lettered form */
	if (p + 1 < end && *p == '-' && ascii_isdigit((unsigned char)p[1])) {
		start = ++p;
		n = pep440_digits(&p, end);
		out->post = mknum(start, n);
		out->has_post = 1;
	} else if (letter_group(&p, end, post_kw, &which, &out->post)) {
		out->has_post = 1;
	}
	if (letter_group(&p, end, dev_kw, &which, &out->dev))
		out->has_dev = 1;
	if (p < end && *p == '+') {
		p++;
		if (parse_local(&p, end, out))
			goto bad;
	}
	if (p != end)
		goto bad;
	return 0;
bad:
	version_release(out);
	return -1;
}

int version_parse(const char *s, struct version *out)
{
	return version_parse_n(s, strlen(s), out);
}

void version_copy(struct version *dst, const struct version *src)
{
	struct buf b = BUF_INIT;

	if (!src->nrelease) {
		version_init(dst);
		return;
	}
	version_format(src, &b);
	if (version_parse_n(b.s, b.len, dst))
		BUG("canonical version '%s' does not parse", b.s);
	buf_release(&b);
}

int vnum_cmp(struct vnum a, struct vnum b)
{
	int r;

	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	r = memcmp(a.d, b.d, a.n);
	return (r > 0) - (r < 0);
}

static int vnum_is_zero(struct vnum a)
{
	return a.n == 1 && a.d[0] == '0';
}

static size_t release_len_nz(const struct version *v)
{
	size_t n = v->nrelease;

	while (n > 0 && vnum_is_zero(v->release[n - 1]))
		n--;
	return n;
}

/* Epoch and release with trailing zeros ignored. */
static int base_cmp(const struct version *a, const struct version *b)
{
	size_t na = release_len_nz(a), nb = release_len_nz(b), i;
	int r = vnum_cmp(a->epoch, b->epoch);

	if (r)
		return r;
	for (i = 0; i < na && i < nb; i++) {
		r = vnum_cmp(a->release[i], b->release[i]);
		if (r)
			return r;
	}
	return (na > nb) - (na < nb);
}

/* The _pre key: -1 for -Infinity (dev-only), +1 for +Infinity (final or post), 0 for a letter. */
static int pre_rank(const struct version *v)
{
	if (!v->pre_l && !v->has_post && v->has_dev)
		return -1;
	if (!v->pre_l)
		return 1;
	return 0;
}

static int local_cmp(const struct version *a, const struct version *b)
{
	size_t i;
	int r;

	if (!a->nlocal || !b->nlocal)
		return (a->nlocal > 0) - (b->nlocal > 0);
	for (i = 0; i < a->nlocal && i < b->nlocal; i++) {
		const struct vlocal *x = &a->local[i], *y = &b->local[i];

		if (x->numeric != y->numeric)
			return x->numeric ? 1 : -1;
		if (x->numeric) {
			struct vnum nx = { x->s, x->n }, ny = { y->s, y->n };

			r = vnum_cmp(nx, ny);
		} else {
			r = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);
			if (!r)
				r = (x->n > y->n) - (x->n < y->n);
		}
		if (r)
			return r > 0 ? 1 : -1;
	}
	return (a->nlocal > b->nlocal) - (a->nlocal < b->nlocal);
}

/* version_cmp without the local segments (comparing the public versions). */
static int public_cmp(const struct version *a, const struct version *b)
{
	int r = base_cmp(a, b), ra, rb;

	if (r)
		return r;
	ra = pre_rank(a);
	rb = pre_rank(b);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == 0) {
		/* 'a' < 'b' < 'r'(c) is the order of "a" < "b" < "rc" */
		if (a->pre_l != b->pre_l)
			return a->pre_l < b->pre_l ? -1 : 1;
		r = vnum_cmp(a->pre, b->pre);
		if (r)
			return r;
	}
	if (a->has_post != b->has_post)
		return a->has_post ? 1 : -1;
	if (a->has_post) {
		r = vnum_cmp(a->post, b->post);
		if (r)
			return r;
	}
	if (a->has_dev != b->has_dev)
		return a->has_dev ? -1 : 1;
	if (a->has_dev)
		return vnum_cmp(a->dev, b->dev);
	return 0;
}

int version_cmp(const struct version *a, const struct version *b)
{
	int r = public_cmp(a, b);

	return r ? r : local_cmp(a, b);
}

int version_cmp_public(const struct version *a, const struct version *b)
{
	return public_cmp(a, b);
}

int version_cmp_base(const struct version *a, const struct version *b)
{
	return base_cmp(a, b);
}

static void add_num(struct buf *out, struct vnum n)
{
	buf_add(out, n.d, n.n);
}

static void format_base(const struct version *v, size_t nrelease, struct buf *out)
{
	size_t i;

	if (!vnum_is_zero(v->epoch)) {
		add_num(out, v->epoch);
		buf_addch(out, '!');
	}
	for (i = 0; i < nrelease; i++) {
		if (i)
			buf_addch(out, '.');
		add_num(out, v->release[i]);
	}
}

static void format_public_tail(const struct version *v, struct buf *out)
{
	if (v->pre_l) {
		buf_adds(out, v->pre_l == 'r' ? "rc" : v->pre_l == 'a' ? "a" : "b");
		add_num(out, v->pre);
	}
	if (v->has_post) {
		buf_adds(out, ".post");
		add_num(out, v->post);
	}
	if (v->has_dev) {
		buf_adds(out, ".dev");
		add_num(out, v->dev);
	}
}

static void format_local(const struct version *v, struct buf *out)
{
	size_t i;

	for (i = 0; i < v->nlocal; i++) {
		buf_addch(out, i ? '.' : '+');
		buf_add(out, v->local[i].s, v->local[i].n);
	}
}

void version_format(const struct version *v, struct buf *out)
{
	format_base(v, v->nrelease, out);
	format_public_tail(v, out);
	format_local(v, out);
}

void version_format_public(const struct version *v, struct buf *out)
{
	format_base(v, v->nrelease, out);
	format_public_tail(v, out);
}

void version_format_base(const struct version *v, struct buf *out)
{
	format_base(v, v->nrelease, out);
}

void version_format_canonical(const struct version *v, int strip_trailing_zero, struct buf *out)
{
	size_t n = v->nrelease;

	if (strip_trailing_zero) {
		n = release_len_nz(v);
		if (!n)
			n = 1;
	}
	format_base(v, n, out);
	format_public_tail(v, out);
	format_local(v, out);
}

int version_is_prerelease(const struct version *v)
{
	return v->pre_l || v->has_dev;
}

int version_is_postrelease(const struct version *v)
{
	return v->has_post;
}

int version_is_devrelease(const struct version *v)
{
	return v->has_dev;
}

int version_has_local(const struct version *v)
{
	return v->nlocal > 0;
}
