/* metadata.c: core metadata files (see metadata.h). */
#include <stdlib.h>
#include <string.h>

#include "metadata.h"
#include "utf8.h"

/* Line number (1-based) of byte offset off, counting "\r\n", "\r" and "\n" as line ends. */
static size_t line_of(const char *s, size_t len, size_t off)
{
	size_t i, line = 1;

	for (i = 0; i < off; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
			line++;
	}
	return line;
}

/* Append an excerpt of s[0..n) for an error message: at most 60 bytes, non-printable bytes as \xHH. */
static void add_excerpt(struct buf *b, const char *s, size_t n)
{
	size_t i, max = n > 60 ? 60 : n;

	for (i = 0; i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\')
			buf_addf(b, "\\x%02x", c);
		else
			buf_addch(b, c);
	}
	if (max < n)
		buf_adds(b, "...");
}

static int fail(struct buf *err, size_t line, const char *what, const char *s, size_t n)
{
	buf_reset(err);
	buf_addf(err, "line %zu: %s", line, what);
	if (s) {
		buf_adds(err, " '");
		add_excerpt(err, s, n);
		buf_addch(err, '\'');
	}
	return -1;
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int is_name_char(int c)
{
	return c >= 0x21 && c <= 0x7e && c != ':';
}

/* RFC 822 unfolding: drop the line breaks, keep the rest; then trim blanks at both ends. */
static char *unfold(const char *raw)
{
	struct buf b = BUF_INIT;
	const char *p;

	for (p = raw; *p; p++) {
		if (*p != '\r' && *p != '\n' && (b.len || !is_blank(*p)))
			buf_addch(&b, *p);
	}
	while (b.len && is_blank(b.s[b.len - 1]))
		buf_setlen(&b, b.len - 1);
	return buf_detach(&b, NULL);
}

/* Length of the line starting at s (up to end), without its line break; *next is set past the break. */
static size_t line_len(const char *s, const char *end, const char **next)
{
	const char *p = s;
	size_t n;

	while (p < end && *p != '\r' && *p != '\n')
		p++;
	n = (size_t)(p - s);
	if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
		p += 2;
	else if (p < end)
		p++;
	*next = p;
	return n;
}

/* Length of the legacy pipe prefix (7 or 8 spaces then '|') at the start of s, or 0. */
static size_t pipe_prefix(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && i < 8 && s[i] == ' ')
		i++;
	if ((i == 7 || i == 8) && i < n && s[i] == '|')
		return i + 1;
	return 0;
}

/* The Description value: continuation lines lose their legacy indentation (see metadata.h). */
static char *unfold_description(const char *raw)
{
	struct buf b = BUF_INIT;
	const char *end = raw + strlen(raw), *p, *next;
	size_t n;
	int piped = 1, first;

	n = line_len(raw, end, &next);
	if (next == end)
		return xstrdup(raw);
	for (p = next; p < end; p = next) {
		n = line_len(p, end, &next);
		if (!pipe_prefix(p, n))
			piped = 0;
	}
	first = 1;
	for (p = raw; p < end; p = next) {
		size_t skip = 0;

		n = line_len(p, end, &next);
		if (!first) {
			buf_addch(&b, '\n');
			if (piped) {
				skip = pipe_prefix(p, n);
			} else if (n >= 8 && !memcmp(p, "        ", 8)) {
				skip = 8;
			} else {
				while (skip < n && is_blank(p[skip]))
					skip++;
			}
		}
		buf_add(&b, p + skip, n - skip);
		first = 0;
	}
	return buf_detach(&b, NULL);
}

static void add_field(struct metadata *md, const char *name, size_t name_len, struct buf *raw, size_t line)
{
	struct metadata_field *f;

	while (raw->len && (raw->s[raw->len - 1] == '\r' || raw->s[raw->len - 1] == '\n'))
		buf_setlen(raw, raw->len - 1);
	GROW(md->fields, md->alloc, md->nr + 1);
	f = &md->fields[md->nr++];
	f->name = xstrndup(name, name_len);
	f->raw = buf_detach(raw, NULL);
	if (!ascii_strcasecmp(f->name, "Description"))
		f->value = unfold_description(f->raw);
	else
		f->value = unfold(f->raw);
	f->line = line;
}

static int parse_version_field(struct metadata *md, const struct metadata_field *f, struct buf *err)
{
	const char *p = f->value;
	long major = 0, minor = 0;
	int digits = 0;

	if (md->version_major >= 0)
		return fail(err, f->line, "repeated Metadata-Version", f->value, strlen(f->value));
	while (ascii_isdigit(*p) && major < 1000) {
		major = major * 10 + (*p++ - '0');
		digits++;
	}
	if (!digits || *p++ != '.')
		goto bad;
	digits = 0;
	while (ascii_isdigit(*p) && minor < 1000) {
		minor = minor * 10 + (*p++ - '0');
		digits++;
	}
	if (!digits || *p)
		goto bad;
	if (major > 2)
		return fail(err, f->line, "unsupported Metadata-Version", f->value, strlen(f->value));
	md->version_major = (int)major;
	md->version_minor = (int)minor;
	return 0;
bad:
	return fail(err, f->line, "malformed Metadata-Version", f->value, strlen(f->value));
}

void metadata_init(struct metadata *md)
{
	md->fields = NULL;
	md->nr = md->alloc = 0;
	md->body = NULL;
	md->body_len = 0;
	md->version_major = md->version_minor = -1;
}

void metadata_release(struct metadata *md)
{
	size_t i;

	for (i = 0; i < md->nr; i++) {
		free(md->fields[i].name);
		free(md->fields[i].raw);
		free(md->fields[i].value);
	}
	free(md->fields);
	free(md->body);
	metadata_init(md);
}

static int parse_headers(const char *text, size_t len, struct metadata *md, struct buf *err)
{
	const char *p = text, *end = text + len, *next;
	const char *name = NULL;
	size_t name_len = 0, name_line = 0, lineno = 0, i;
	struct buf raw = BUF_INIT;

	for (; p < end; p = next) {
		size_t n = line_len(p, end, &next);
		size_t k;

		lineno++;
		if (!n) {
			p = next;
			break;
		}
		if (is_blank(*p)) {
			if (!name) {
				buf_release(&raw);
				return fail(err, lineno, "continuation line before any field", p, n);
			}
			buf_add(&raw, p, (size_t)(next - p));
			continue;
		}
		if (n >= 5 && !memcmp(p, "From ", 5)) {
			buf_release(&raw);
			return fail(err, lineno, "unexpected envelope line", p, n);
		}
		for (k = 0; k < n && is_name_char((unsigned char)p[k]); k++)
			;
		if (k == n || p[k] != ':') {
			buf_release(&raw);
			return fail(err, lineno, "malformed header line", p, n);
		}
		if (!k) {
			buf_release(&raw);
			return fail(err, lineno, "empty field name", p, n);
		}
		if (name)
			add_field(md, name, name_len, &raw, name_line);
		name = p;
		name_len = k;
		name_line = lineno;
		for (k++; p + k < next && is_blank(p[k]); k++)
			;
		buf_add(&raw, p + k, (size_t)(next - p - k));
	}
	if (name)
		add_field(md, name, name_len, &raw, name_line);
	buf_release(&raw);
	if (!md->nr)
		return fail(err, lineno ? lineno : 1, "no header fields", NULL, 0);
	md->body_len = (size_t)(end - p);
	md->body = xstrndup(p, md->body_len);
	for (i = 0; i < md->nr; i++) {
		if (!ascii_strcasecmp(md->fields[i].name, "Metadata-Version") &&
		    parse_version_field(md, &md->fields[i], err))
			return -1;
	}
	return 0;
}

int metadata_parse(const char *text, size_t len, struct metadata *out, struct buf *err)
{
	const char *nul;
	size_t bad;

	metadata_init(out);
	buf_reset(err);
	nul = memchr(text, '\0', len);
	if (nul)
		return fail(err, line_of(text, len, (size_t)(nul - text)), "NUL byte", NULL, 0);
	bad = utf8_invalid_at((const unsigned char *)text, len);
	if (bad < len) {
		buf_addf(err, "line %zu: invalid UTF-8 (byte 0x%02x)", line_of(text, len, bad),
			 (unsigned char)text[bad]);
		return -1;
	}
	if (parse_headers(text, len, out, err)) {
		metadata_release(out);
		return -1;
	}
	return 0;
}

const struct metadata_field *metadata_next(const struct metadata *md, const char *field,
					   const struct metadata_field *prev)
{
	size_t i = prev ? (size_t)(prev - md->fields) + 1 : 0;

	for (; i < md->nr; i++) {
		if (!ascii_strcasecmp(md->fields[i].name, field))
			return &md->fields[i];
	}
	return NULL;
}

const char *metadata_get(const struct metadata *md, const char *field)
{
	const struct metadata_field *f = metadata_next(md, field, NULL);

	return f ? f->value : NULL;
}

size_t metadata_get_all(const struct metadata *md, const char *field, const char ***out)
{
	const struct metadata_field *f;
	const char **v = NULL;
	size_t n = 0, alloc = 0;

	for (f = metadata_next(md, field, NULL); f; f = metadata_next(md, field, f)) {
		if (out) {
			GROW(v, alloc, n + 1);
			v[n] = f->value;
		}
		n++;
	}
	if (out)
		*out = v;
	return n;
}

const char *metadata_description(const struct metadata *md)
{
	const char *d = metadata_get(md, "Description");

	if (d)
		return d;
	return md->body_len ? md->body : NULL;
}

int metadata_version_at_least(const struct metadata *md, int major, int minor)
{
	if (md->version_major < 0)
		return 0;
	if (md->version_major != major)
		return md->version_major > major;
	return md->version_minor >= minor;
}

int metadata_is_dynamic(const struct metadata *md, const char *field)
{
	const struct metadata_field *f;

	for (f = metadata_next(md, "Dynamic", NULL); f; f = metadata_next(md, "Dynamic", f)) {
		if (!ascii_strcasecmp(f->value, field))
			return 1;
	}
	return 0;
}
