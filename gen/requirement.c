/* requirement.c: PEP 508 dependency specifiers (see requirement.h), a port of packaging 23.0's
 * _parser.py (requirement part) and requirements.py, with the URL checks of Python 3.11's urllib. */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "pep508.h"
#include "requirement.h"

void requirement_init(struct requirement *r)
{
	r->text = NULL;
	r->name = NULL;
	r->canonical_name = NULL;
	r->extras = NULL;
	r->nextras = 0;
	specset_init(&r->spec);
	r->url = NULL;
	r->marker = NULL;
}

void requirement_release(struct requirement *r)
{
	size_t i;

	free(r->text);
	free(r->name);
	free(r->canonical_name);
	for (i = 0; i < r->nextras; i++)
		free(r->extras[i]);
	free(r->extras);
	specset_release(&r->spec);
	free(r->url);
	marker_free(r->marker);
	requirement_init(r);
}

/* ---- URL checks: Requirement.__init__ with urllib.parse.urlparse / urlunparse of Python 3.11 */

/* ipaddress.IPv4Address(s[0..n)) accepts it. */
static int is_ipv4(const char *s, size_t n)
{
	size_t i = 0, start, octets = 0;

	for (;;) {
		unsigned value = 0;

		start = i;
		while (i < n && s[i] != '.') {
			if (!ascii_isdigit((unsigned char)s[i]) || i - start >= 3)
				return 0;
			value = value * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		if (i == start || value > 255 || (s[start] == '0' && i - start > 1))
			return 0;
		octets++;
		if (i == n)
			break;
		i++;
	}
	return octets == 4;
}

static int is_hextet(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > 4)
		return 0;
	for (i = 0; i < n; i++)
		if (!ascii_isdigit((unsigned char)s[i]) && !strchr("abcdefABCDEF", s[i]))
			return 0;
	return 1;
}

/* ipaddress.IPv6Address(s[0..n)) accepts it (scope id included). */
static int is_ipv6(const char *s, size_t n)
{
	const char *pct = memchr(s, '%', n);
	struct {
		const char *s;
		size_t n;
	} part[11];
	size_t nparts = 0, i, b = 0, last, skip = (size_t)-1;

	if (pct) {
		size_t sn = n - (size_t)(pct + 1 - s);

		if (!sn || memchr(pct + 1, '%', sn))
			return 0;
		n = (size_t)(pct - s);
	}
	if (!n)
		return 0;
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == ':') {
			if (nparts == 10)
				return 0;
			part[nparts].s = s + b;
			part[nparts].n = i - b;
			nparts++;
			b = i + 1;
		}
	}
	if (nparts < 3)
		return 0;
	last = nparts - 1;
	if (memchr(part[last].s, '.', part[last].n)) {
		/* an IPv4 tail stands for two hextets */
		if (!is_ipv4(part[last].s, part[last].n))
			return 0;
		part[last].s = "0";
		part[last].n = 1;
		part[nparts] = part[last];
		last = nparts++;
	}
	if (nparts > 9)
		return 0;
	for (i = 1; i < last; i++) {
		if (!part[i].n) {
			if (skip != (size_t)-1)
				return 0;
			skip = i;
		}
	}
	if (skip != (size_t)-1) {
		size_t hi = skip, lo = nparts - skip - 1;

		if (!part[0].n && --hi)
			return 0;
		if (!part[last].n && --lo)
			return 0;
		if (hi + lo + 1 > 8)
			return 0;
	} else if (nparts != 8 || !part[0].n || !part[last].n) {
		return 0;
	}
	for (i = 0; i < nparts; i++) {
		if (i == skip || (skip != (size_t)-1 && !part[i].n && (i == 0 || i == last)))
			continue;
		if (!is_hextet(part[i].s, part[i].n))
			return 0;
	}
	return 1;
}

/* _check_bracketed_netloc: 0 when the bracketed host is acceptable. */
static int check_bracketed_netloc(const char *netloc, size_t n)
{
	const char *at = NULL, *hp, *open, *host, *close;
	size_t i, hn;

	for (i = 0; i < n; i++)
		if (netloc[i] == '@')
			at = netloc + i;
	hp = at ? at + 1 : netloc;
	hn = n - (size_t)(hp - netloc);
	open = memchr(hp, '[', hn);
	if (open) {
		if (open != hp)
			return -1;
		host = open + 1;
		close = memchr(host, ']', hn - 1);
		if (close) {
			if (close + 1 < hp + hn && close[1] != ':')
				return -1;
			hn = (size_t)(close - host);
		} else {
			hn = hn - 1;
		}
	} else {
		host = hp;
		close = memchr(hp, ':', hn);
		if (close)
			hn = (size_t)(close - hp);
	}
	if (hn && host[0] == 'v') {
		/* \Av[a-fA-F0-9]+\..+\Z */
		for (i = 1; i < hn && (ascii_isdigit((unsigned char)host[i]) || strchr("abcdefABCDEF", host[i])); i++)
			;
		return i > 1 && i + 1 < hn && host[i] == '.' ? 0 : -1;
	}
	if (is_ipv4(host, hn) || !is_ipv6(host, hn))
		return -1;
	return 0;
}

/* Returns 0 when packaging 23.0 accepts url, else -1 with the reason appended to err. */
static int check_url(const char *url, struct buf *err)
{
	struct buf u = BUF_INIT, again = BUF_INIT;
	const char *s = url, *rest, *colon, *netloc = "", *query = NULL, *fragment = NULL, *p;
	char *scheme = NULL;
	size_t netlen = 0, restlen, querylen = 0, i;
	int r = 0;

	while (*s && (unsigned char)*s <= 0x20)
		s++;
	for (; *s; s++)
		if (*s != '\t' && *s != '\r' && *s != '\n')
			buf_addch(&u, *s);
	rest = u.s;
	colon = strchr(u.s, ':');
	if (colon && colon > u.s && ascii_isalpha((unsigned char)u.s[0])) {
		for (p = u.s; p < colon; p++)
			if (!ascii_isalnum((unsigned char)*p) && !strchr("+-.", *p))
				break;
		if (p == colon) {
			scheme = xstrndup(u.s, (size_t)(colon - u.s));
			for (i = 0; scheme[i]; i++)
				scheme[i] = (char)ascii_tolower((unsigned char)scheme[i]);
			rest = colon + 1;
		}
	}
	restlen = strlen(rest);
	if (starts_with(rest, "//")) {
		netloc = rest + 2;
		netlen = strcspn(netloc, "/?#");
		rest = netloc + netlen;
		restlen = strlen(rest);
		if (!memchr(netloc, '[', netlen) != !memchr(netloc, ']', netlen) ||
		    (memchr(netloc, '[', netlen) && check_bracketed_netloc(netloc, netlen))) {
			if (err) {
				buf_adds(err, "invalid IPv6 URL ");
				pep508_quote(err, url);
			}
			r = -1;
			goto out;
		}
	}
	p = memchr(rest, '#', restlen);
	if (p) {
		fragment = p + 1;
		restlen = (size_t)(p - rest);
	}
	p = memchr(rest, '?', restlen);
	if (p) {
		query = p + 1;
		querylen = restlen - (size_t)(query - rest);
		restlen = (size_t)(p - rest);
	}
	if (scheme && !strcmp(scheme, "file")) {
		/* urlunparse must give the URL back unchanged */
		buf_adds(&again, "file:");
		if (netlen || restlen < 2 || strncmp(rest, "//", 2)) {
			buf_adds(&again, "//");
			buf_add(&again, netloc, netlen);
			if (restlen && rest[0] != '/')
				buf_addch(&again, '/');
		}
		buf_add(&again, rest, restlen);
		if (querylen) {
			buf_addch(&again, '?');
			buf_add(&again, query, querylen);
		}
		if (fragment && *fragment) {
			buf_addch(&again, '#');
			buf_adds(&again, fragment);
		}
		if (strcmp(again.s, url)) {
			if (err) {
				buf_adds(err, "invalid URL ");
				pep508_quote(err, url);
				buf_adds(err, ": a file URL must be in normal form");
			}
			r = -1;
		}
	} else if (!scheme || !*scheme || !netlen) {
		if (err) {
			buf_adds(err, "invalid URL ");
			pep508_quote(err, url);
			buf_adds(err, !scheme ? ": no scheme" : ": no host");
		}
		r = -1;
	}
out:
	free(scheme);
	buf_release(&u);
	buf_release(&again);
	return r;
}

/* ---- the parser: _parse_requirement and friends */

struct rparser {
	const char *src;
	size_t pos;
	struct buf *err;
	struct requirement *out;
	struct buf spec; /* the specifier text, as _parse_version_many builds it */
};

static void add_extra(struct requirement *r, const char *s, size_t n)
{
	/* the array holds the next power of two of nextras (amortised growth without an alloc field) */
	if (!(r->nextras & (r->nextras - 1)))
		r->extras = xreallocarray(r->extras, r->nextras ? 2 * r->nextras : 1, sizeof(*r->extras));
	r->extras[r->nextras++] = xstrndup(s, n);
}

/* Deduplication order: equal extras together, the earliest first. */
static int cmp_extra(const void *a, const void *b)
{
	char *const *x = *(char *const *const *)a, *const *y = *(char *const *const *)b;
	int c = strcmp(*x, *y);

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* Drop the extras that are exact duplicates of an earlier one, keeping the order of the others;
 * sorting keeps this O(n log n) for a hostile list of thousands of extras. */
static void dedupe_extras(struct requirement *r)
{
	char ***v, **keep;
	size_t i, j;

	if (r->nextras < 2)
		return;
	v = xreallocarray(NULL, r->nextras, sizeof(*v));
	for (i = 0; i < r->nextras; i++)
		v[i] = &r->extras[i];
	QSORT(v, r->nextras, cmp_extra);
	keep = v[0];
	for (i = 1; i < r->nextras; i++) {
		if (strcmp(*v[i], *keep)) {
			keep = v[i];
			continue;
		}
		free(*v[i]);
		*v[i] = NULL;
	}
	free(v);
	for (i = j = 0; i < r->nextras; i++)
		if (r->extras[i])
			r->extras[j++] = r->extras[i];
	r->nextras = j;
}

static int parse_extras(struct rparser *p)
{
	const char *src = p->src;
	size_t open = p->pos, end;

	if (src[p->pos] != '[')
		return 0;
	p->pos = pep508_skip_ws(src, p->pos + 1);
	if (pep508_identifier(src, p->pos, &end)) {
		add_extra(p->out, src + p->pos, end - p->pos);
		p->pos = end;
		for (;;) {
			p->pos = pep508_skip_ws(src, p->pos);
			if (pep508_identifier(src, p->pos, &end)) {
				pep508_syntax_error(p->err, src, p->pos, p->pos, "expected comma between extra names");
				return -1;
			}
			if (src[p->pos] != ',')
				break;
			p->pos = pep508_skip_ws(src, p->pos + 1);
			if (!pep508_identifier(src, p->pos, &end)) {
				pep508_syntax_error(p->err, src, p->pos, p->pos, "expected extra name after comma");
				return -1;
			}
			add_extra(p->out, src + p->pos, end - p->pos);
			p->pos = end;
		}
	}
	p->pos = pep508_skip_ws(src, p->pos);
	if (src[p->pos] != ']') {
		pep508_syntax_error(p->err, src, open, p->pos, "expected closing RIGHT_BRACKET");
		return -1;
	}
	p->pos++;
	dedupe_extras(p->out);
	return 0;
}

static int parse_specifier(struct rparser *p)
{
	const char *src = p->src;
	size_t open = p->pos;
	int paren = src[p->pos] == '(';

	if (paren)
		p->pos++;
	p->pos = pep508_skip_ws(src, p->pos);
	for (;;) {
		const char *q = src + p->pos;

		if (specifier_scan(&q))
			break;
		buf_add(&p->spec, src + p->pos, (size_t)(q - (src + p->pos)));
		p->pos = pep508_skip_ws(src, (size_t)(q - src));
		if (src[p->pos] != ',')
			break;
		buf_addch(&p->spec, ',');
		p->pos = pep508_skip_ws(src, p->pos + 1);
	}
	p->pos = pep508_skip_ws(src, p->pos);
	if (paren) {
		if (src[p->pos] != ')') {
			pep508_syntax_error(p->err, src, open, p->pos, "expected closing RIGHT_PARENTHESIS");
			return -1;
		}
		p->pos++;
	}
	return 0;
}

static int parse_marker_part(struct rparser *p, size_t span_start, const char *after)
{
	int r;

	if (p->src[p->pos] != ';') {
		pep508_syntax_error(p->err, p->src, span_start, p->pos, "expected end or semicolon (after %s)", after);
		return -1;
	}
	p->pos++;
	r = marker_parse_at(p->src, &p->pos, &p->out->marker, p->err);
	if (r)
		return r;
	p->pos = pep508_skip_ws(p->src, p->pos);
	return 0;
}

static int parse_details(struct rparser *p)
{
	const char *src = p->src;
	size_t start;

	if (src[p->pos] == '@') {
		size_t n;

		p->pos = pep508_skip_ws(src, p->pos + 1);
		start = p->pos;
		n = strcspn(src + p->pos, " \t");
		if (!n) {
			pep508_syntax_error(p->err, src, p->pos, p->pos, "expected URL after @");
			return -1;
		}
		p->out->url = xstrndup(src + p->pos, n);
		p->pos += n;
		if (pep508_at_end(src, p->pos))
			return 0;
		/* the URL stops only at whitespace */
		p->pos = pep508_skip_ws(src, p->pos);
		if (pep508_at_end(src, p->pos))
			return 0;
		return parse_marker_part(p, start, "URL and whitespace");
	}
	start = p->pos;
	if (parse_specifier(p))
		return -1;
	p->pos = pep508_skip_ws(src, p->pos);
	if (pep508_at_end(src, p->pos))
		return 0;
	return parse_marker_part(p, start, p->spec.len ? "version specifier" : "name and no valid version specifier");
}

static int parse_requirement(struct rparser *p)
{
	const char *src = p->src;
	size_t end;
	int r;

	p->pos = pep508_skip_ws(src, 0);
	if (!pep508_identifier(src, p->pos, &end)) {
		pep508_syntax_error(p->err, src, p->pos, p->pos,
				    "expected package name at the start of dependency specifier");
		return -1;
	}
	p->out->name = xstrndup(src + p->pos, end - p->pos);
	p->pos = pep508_skip_ws(src, end);
	if (parse_extras(p))
		return -1;
	p->pos = pep508_skip_ws(src, p->pos);
	r = parse_details(p);
	if (r)
		return r;
	if (!pep508_at_end(src, p->pos)) {
		pep508_syntax_error(p->err, src, p->pos, p->pos, "expected end of dependency specifier");
		return -1;
	}
	return 0;
}

int requirement_parse(const char *s, struct requirement *out, struct buf *err)
{
	struct buf why = BUF_INIT;
	struct rparser p = { s, 0, &why, out, BUF_INIT };
	int r;

	requirement_init(out);
	out->text = xstrdup(s);
	r = parse_requirement(&p);
	if (!r && out->url)
		r = check_url(out->url, &why);
	if (!r && specset_parse(p.spec.s, &out->spec, &why))
		r = -1;
	buf_release(&p.spec);
	if (r) {
		if (err) {
			buf_adds(err, "invalid requirement ");
			pep508_quote(err, s);
			buf_addf(err, ": %s", why.s);
		}
		buf_release(&why);
		requirement_release(out);
		return -1;
	}
	buf_release(&why);
	out->canonical_name = name_canonicalize(out->name);
	if (out->marker)
		marker_normalize_extra(out->marker);
	return 0;
}

/* ---- output and evaluation */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void requirement_format(const struct requirement *r, struct buf *out)
{
	size_t i;

	buf_adds(out, r->name);
	if (r->nextras) {
		char **sorted = xreallocarray(NULL, r->nextras, sizeof(*sorted));

		memcpy(sorted, r->extras, r->nextras * sizeof(*sorted));
		QSORT(sorted, r->nextras, cmp_str);
		buf_addch(out, '[');
		for (i = 0; i < r->nextras; i++) {
			if (i)
				buf_addch(out, ',');
			buf_adds(out, sorted[i]);
		}
		buf_addch(out, ']');
		free(sorted);
	}
	specset_format(&r->spec, out);
	if (r->url) {
		buf_adds(out, "@ ");
		buf_adds(out, r->url);
		if (r->marker)
			buf_addch(out, ' ');
	}
	if (r->marker) {
		buf_adds(out, "; ");
		marker_format(r->marker, out);
	}
}

int requirement_has_extra(const struct requirement *r, const char *extra)
{
	size_t i;

	for (i = 0; i < r->nextras; i++)
		if (!name_cmp(r->extras[i], extra))
			return 1;
	return 0;
}

int requirement_applies(const struct requirement *r, const struct marker_env *env,
			const char *const *extras, size_t nextras, struct buf *err)
{
	size_t i;
	int v;

	if (!r->marker)
		return 1;
	v = marker_eval(r->marker, env, "", err);
	for (i = 0; v == 0 && i < nextras; i++)
		v = marker_eval(r->marker, env, extras[i], err);
	return v;
}
