/* index.c: PEP 503 / PEP 691 project pages (see index.h). */
#include <string.h>

#include <jansson.h>

#include "index.h"
#include "sha256.h"
#include "url.h"
#include "utf8.h"

void project_page_init(struct project_page *pg)
{
	memset(pg, 0, sizeof(*pg));
}

static void dist_file_release(struct dist_file *f)
{
	free(f->filename);
	free(f->url);
	free(f->sha256);
	free(f->requires_python);
	free(f->yanked_reason);
	free(f->metadata_sha256);
	free(f->upload_time);
}

void project_page_release(struct project_page *pg)
{
	size_t i;

	for (i = 0; i < pg->nfiles; i++)
		dist_file_release(&pg->files[i]);
	free(pg->files);
	free(pg->url);
	free(pg->api_version);
	project_page_init(pg);
}

static struct dist_file *page_add(struct project_page *pg)
{
	struct dist_file *f;

	GROW(pg->files, pg->alloc, pg->nfiles + 1);
	f = &pg->files[pg->nfiles++];
	memset(f, 0, sizeof(*f));
	f->size = -1;
	return f;
}

/* A file name that is safe to use as a path component. */
static int filename_ok(const char *s)
{
	return *s && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && !strchr(s, '/') && !strchr(s, '\\');
}

static char *lower_hex(const char *s)
{
	char *d = xstrdup(s), *p;

	for (p = d; *p; p++)
		*p = (char)ascii_tolower((unsigned char)*p);
	return d;
}

/* "1.x" with major 1 is understood; a higher major is refused as PEP 691 asks. */
static int check_api_version(const char *v, struct buf *err)
{
	if (!v)
		return 0;
	if (!starts_with(v, "1.") && strcmp(v, "1") != 0) {
		buf_addf(err, "unsupported index API version '%s' (wbgen understands 1.x)", v);
		return -1;
	}
	return 0;
}

/* ---- PEP 691 JSON */

static int json_file(struct project_page *pg, json_t *jf, size_t i, struct buf *err)
{
	json_t *name = json_object_get(jf, "filename"), *url = json_object_get(jf, "url");
	json_t *hashes = json_object_get(jf, "hashes"), *rp = json_object_get(jf, "requires-python");
	json_t *yanked = json_object_get(jf, "yanked"), *size = json_object_get(jf, "size");
	json_t *md = json_object_get(jf, "core-metadata"), *up = json_object_get(jf, "upload-time");
	json_t *sha;
	struct dist_file *f;
	const char *frag;
	char *abs;

	if (!json_is_object(jf) || !json_is_string(name) || !json_is_string(url)) {
		buf_addf(err, "file %zu has no string 'filename' and 'url'", i);
		return -1;
	}
	if (!filename_ok(json_string_value(name))) {
		buf_addf(err, "unsafe file name '%s'", json_string_value(name));
		return -1;
	}
	abs = url_resolve(pg->url, json_string_value(url));
	if (!abs) {
		buf_addf(err, "file '%s' has a malformed url", json_string_value(name));
		return -1;
	}
	f = page_add(pg);
	f->filename = xstrdup(json_string_value(name));
	f->url = url_split_fragment(abs, &frag);
	free(abs);
	if (hashes && !json_is_object(hashes)) {
		buf_addf(err, "file '%s': 'hashes' is not an object", f->filename);
		return -1;
	}
	sha = json_object_get(hashes, "sha256");
	if (json_is_string(sha) && sha256_hex_valid(json_string_value(sha)))
		f->sha256 = lower_hex(json_string_value(sha));
	else if (sha) {
		buf_addf(err, "file '%s': malformed sha256 hash", f->filename);
		return -1;
	}
	if (json_is_string(rp))
		f->requires_python = xstrdup(json_string_value(rp));
	if (json_is_string(yanked)) {
		f->yanked = 1;
		f->yanked_reason = xstrdup(json_string_value(yanked));
	} else if (json_is_true(yanked)) {
		f->yanked = 1;
		f->yanked_reason = xstrdup("");
	}
	if (!md)
		md = json_object_get(jf, "dist-info-metadata");
	if (json_is_true(md)) {
		f->has_metadata = 1;
	} else if (json_is_object(md)) {
		json_t *msha = json_object_get(md, "sha256");

		f->has_metadata = 1;
		if (json_is_string(msha) && sha256_hex_valid(json_string_value(msha)))
			f->metadata_sha256 = lower_hex(json_string_value(msha));
	}
	if (json_is_integer(size) && json_integer_value(size) >= 0)
		f->size = json_integer_value(size);
	if (json_is_string(up))
		f->upload_time = xstrdup(json_string_value(up));
	return 0;
}

int index_parse_json(struct project_page *pg, const char *body, size_t len, const char *page_url, struct buf *err)
{
	json_error_t jerr;
	json_t *root, *meta, *files, *jf;
	size_t i;
	int r = 0;

	free(pg->url);
	pg->url = xstrdup(page_url);
	root = json_loadb(body, len, 0, &jerr);
	if (!root) {
		buf_addf(err, "invalid JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
		return -1;
	}
	meta = json_object_get(root, "meta");
	files = json_object_get(root, "files");
	if (!json_is_object(root) || !json_is_array(files)) {
		buf_adds(err, "not a PEP 691 project page (no 'files' array)");
		json_decref(root);
		return -1;
	}
	if (json_is_string(json_object_get(meta, "api-version"))) {
		pg->api_version = xstrdup(json_string_value(json_object_get(meta, "api-version")));
		if (check_api_version(pg->api_version, err) < 0) {
			json_decref(root);
			return -1;
		}
	}
	json_array_foreach(files, i, jf) {
		r = json_file(pg, jf, i, err);
		if (r < 0)
			break;
	}
	json_decref(root);
	return r;
}

/* ---- PEP 503 HTML */

static const struct {
	const char *name;
	const char *text;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" }, { "nbsp", "\xc2\xa0" },
};

/* Decode one character reference at s[0] == '&'; returns its length, or 0 if it is none. */
static size_t html_entity(struct buf *out, const char *s, size_t len)
{
	size_t i, n;

	if (len >= 3 && s[1] == '#') {
		int hex = s[2] == 'x' || s[2] == 'X';
		unsigned long cp = 0;

		for (i = hex ? 3 : 2; i < len && i < 16; i++) {
			int c = (unsigned char)s[i];
			int d = ascii_isdigit(c) ? c - '0' : hex && (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;

			if (d < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (i == (size_t)(hex ? 3 : 2))
			return 0;
		/* what an HTML parser does with NUL, surrogates and numbers past Unicode */
		if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			cp = 0xfffd;
		buf_add_utf8(out, cp);
		return i < len && s[i] == ';' ? i + 1 : i;
	}
	for (i = 0; i < ARRAY_SIZE(entities); i++) {
		n = strlen(entities[i].name);
		if (len > n + 1 && memcmp(s + 1, entities[i].name, n) == 0 && s[n + 1] == ';') {
			buf_adds(out, entities[i].text);
			return n + 2;
		}
	}
	return 0;
}

void html_unescape_to(struct buf *out, const char *s, size_t len)
{
	size_t i, n;

	for (i = 0; i < len; i++) {
		if (s[i] == '&' && (n = html_entity(out, s + i, len - i)) > 0)
			i += n - 1;
		else
			buf_addch(out, s[i]);
	}
}

struct tag {
	char name[16];
	/* attributes as decoded name/value pairs, names lowercased */
	struct buf names[12], values[12];
	int has_value[12];
	size_t nattrs;
};

static int is_html_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Parse a start tag at s[0] == '<'; fills t and returns the length through '>', or 0. */
static size_t parse_tag(const char *s, size_t len, struct tag *t)
{
	size_t i = 1, n = 0;

	t->nattrs = 0;
	while (i < len && (ascii_isalnum((unsigned char)s[i]))) {
		if (n + 1 < sizeof(t->name))
			t->name[n++] = (char)ascii_tolower((unsigned char)s[i]);
		i++;
	}
	t->name[n] = '\0';
	if (n == 0)
		return 0;
	for (;;) {
		size_t ns, ne;
		struct buf *nb, *vb;

		while (i < len && (is_html_space((unsigned char)s[i]) || s[i] == '/'))
			i++;
		if (i >= len)
			return 0;
		if (s[i] == '>')
			return i + 1;
		ns = i;
		while (i < len && !is_html_space((unsigned char)s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/')
			i++;
		ne = i;
		if (ne == ns) {
			i++;
			continue;
		}
		if (t->nattrs < ARRAY_SIZE(t->names)) {
			size_t k;

			nb = &t->names[t->nattrs];
			vb = &t->values[t->nattrs];
			buf_reset(nb);
			buf_reset(vb);
			for (k = ns; k < ne; k++)
				buf_addch(nb, ascii_tolower((unsigned char)s[k]));
			t->has_value[t->nattrs] = 0;
			t->nattrs++;
		} else {
			nb = vb = NULL;
		}
		while (i < len && is_html_space((unsigned char)s[i]))
			i++;
		if (i < len && s[i] == '=') {
			size_t vs, ve;

			i++;
			while (i < len && is_html_space((unsigned char)s[i]))
				i++;
			if (i < len && (s[i] == '"' || s[i] == '\'')) {
				char q = s[i++];

				vs = i;
				while (i < len && s[i] != q)
					i++;
				if (i >= len)
					return 0;
				ve = i++;
			} else {
				vs = i;
				while (i < len && !is_html_space((unsigned char)s[i]) && s[i] != '>')
					i++;
				ve = i;
			}
			if (vb) {
				html_unescape_to(vb, s + vs, ve - vs);
				t->has_value[t->nattrs - 1] = 1;
			}
		}
	}
}

static const char *tag_attr(const struct tag *t, const char *name, int *present)
{
	size_t i;

	for (i = 0; i < t->nattrs; i++) {
		if (strcmp(t->names[i].s, name) == 0) {
			if (present)
				*present = 1;
			return t->values[i].s;
		}
	}
	if (present)
		*present = 0;
	return NULL;
}

static void tag_release(struct tag *t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t->names); i++) {
		buf_release(&t->names[i]);
		buf_release(&t->values[i]);
	}
}

static int html_anchor(struct project_page *pg, const char *base, const struct tag *t, struct buf *err)
{
	const char *href = tag_attr(t, "href", NULL), *frag, *v;
	struct dist_file *f;
	struct buf name = BUF_INIT;
	char *abs;
	int present;

	if (!href || !*href)
		return 0;
	abs = url_resolve(base, href);
	if (!abs) {
		buf_addf(err, "malformed link '%s'", href);
		return -1;
	}
	url_basename_to(&name, abs);
	if (!filename_ok(name.s)) {
		buf_addf(err, "link '%s' has no usable file name", href);
		buf_release(&name);
		free(abs);
		return -1;
	}
	f = page_add(pg);
	f->filename = buf_detach(&name, NULL);
	f->url = url_split_fragment(abs, &frag);
	if (frag && starts_with(frag, "sha256=") && sha256_hex_valid(frag + 7))
		f->sha256 = lower_hex(frag + 7);
	free(abs);
	v = tag_attr(t, "data-requires-python", NULL);
	if (v && *v)
		f->requires_python = xstrdup(v);
	v = tag_attr(t, "data-yanked", &present);
	if (present) {
		f->yanked = 1;
		f->yanked_reason = xstrdup(v);
	}
	v = tag_attr(t, "data-core-metadata", &present);
	if (!present)
		v = tag_attr(t, "data-dist-info-metadata", &present);
	if (present && strcmp(v, "false") != 0) {
		f->has_metadata = 1;
		if (starts_with(v, "sha256=") && sha256_hex_valid(v + 7))
			f->metadata_sha256 = lower_hex(v + 7);
	}
	return 0;
}

int index_parse_html(struct project_page *pg, const char *body, size_t len, const char *page_url, struct buf *err)
{
	struct tag t;
	char *base = xstrdup(page_url);
	size_t i = 0, n;
	int r = 0;

	memset(&t, 0, sizeof(t));
	for (n = 0; n < ARRAY_SIZE(t.names); n++) {
		buf_init(&t.names[n]);
		buf_init(&t.values[n]);
	}
	free(pg->url);
	pg->url = xstrdup(page_url);
	while (i < len) {
		const char *lt = memchr(body + i, '<', len - i);

		if (!lt)
			break;
		i = (size_t)(lt - body);
		if (len - i >= 4 && memcmp(lt, "<!--", 4) == 0) {
			const char *end = NULL;
			size_t k;

			for (k = i + 4; k + 3 <= len; k++)
				if (memcmp(body + k, "-->", 3) == 0) {
					end = body + k;
					break;
				}
			i = end ? (size_t)(end - body) + 3 : len;
			continue;
		}
		n = parse_tag(lt, len - i, &t);
		if (!n) {
			i++;
			continue;
		}
		i += n;
		if (strcmp(t.name, "base") == 0 && tag_attr(&t, "href", NULL)) {
			char *nb = url_resolve(base, tag_attr(&t, "href", NULL));

			if (nb) {
				free(base);
				base = nb;
			}
		} else if (strcmp(t.name, "meta") == 0 && tag_attr(&t, "name", NULL) &&
			   strcmp(tag_attr(&t, "name", NULL), "pypi:repository-version") == 0 &&
			   tag_attr(&t, "content", NULL)) {
			free(pg->api_version);
			pg->api_version = xstrdup(tag_attr(&t, "content", NULL));
			r = check_api_version(pg->api_version, err);
		} else if (strcmp(t.name, "a") == 0) {
			r = html_anchor(pg, base, &t, err);
		}
		if (r < 0)
			break;
	}
	tag_release(&t);
	free(base);
	return r;
}

int index_parse(struct project_page *pg, const char *content_type, const char *body, size_t len,
		const char *page_url, struct buf *err)
{
	if (content_type && (ascii_strncasecmp(content_type, INDEX_JSON_TYPE, strlen(INDEX_JSON_TYPE)) == 0 ||
			     ascii_strncasecmp(content_type, "application/json", 16) == 0))
		return index_parse_json(pg, body, len, page_url, err);
	return index_parse_html(pg, body, len, page_url, err);
}

/* ---- PEP 700 upload-time */

static int digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

int index_upload_time(const char *s, long long *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;

	if (digits(&s, 4, &y) < 0 || *s++ != '-' || digits(&s, 2, &mo) < 0 || *s++ != '-' || digits(&s, 2, &d) < 0)
		return -1;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (digits(&s, 2, &h) < 0 || *s++ != ':' || digits(&s, 2, &mi) < 0 || *s++ != ':' || digits(&s, 2, &sec) < 0)
		return -1;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (digits(&s, 2, &oh) < 0)
			return -1;
		if (*s == ':')
			s++;
		if (digits(&s, 2, &om) < 0)
			return -1;
	} else {
		return -1; /* PEP 700: an ISO 8601 date-time with a time zone */
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	return 0;
}
