/* wheel.c: the pure pieces of wheel installation (see wheel.h). */
#include <stdlib.h>
#include <string.h>

#include "wheel/wheel.h"
#include "util.h"

void record_init(struct record *r)
{
	memset(r, 0, sizeof(*r));
}

void record_release(struct record *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		free(r->v[i].path);
		free(r->v[i].hash);
		free(r->v[i].size);
	}
	free(r->v);
	record_init(r);
}

/* One CSV field at *p (ends at ',', '\n', "\r\n" or end); *p is left on the terminator. */
static int parse_csv_field(const char **p, const char *end, struct buf *out)
{
	const char *s = *p;

	buf_reset(out);
	if (s < end && *s == '"') {
		s++;
		for (;;) {
			if (s >= end)
				return -1;
			if (*s == '"') {
				if (s + 1 < end && s[1] == '"') {
					buf_addch(out, '"');
					s += 2;
					continue;
				}
				s++;
				break;
			}
			buf_addch(out, *s++);
		}
		if (s < end && *s != ',' && *s != '\n' && *s != '\r')
			return -1;
	} else {
		while (s < end && *s != ',' && *s != '\n' && *s != '\r') {
			if (*s == '"')
				return -1;
			buf_addch(out, *s++);
		}
	}
	*p = s;
	return 0;
}

static int size_valid(const char *s)
{
	if (!*s)
		return 1;
	for (; *s; s++)
		if (!ascii_isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct record_entry *)a)->path, ((const struct record_entry *)b)->path);
}

int record_parse(const char *text, size_t len, struct record *r, struct buf *err)
{
	const char *p = text, *end = text + len;
	struct buf f[3] = { BUF_INIT, BUF_INIT, BUF_INIT }, extra = BUF_INIT;
	unsigned line = 0;
	int ret = 0;
	size_t k;

	while (p < end) {

		line++;
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			p += *p == '\r' ? 2 : 1;
			continue;
		}
		for (k = 0; k < 3; k++)
			buf_reset(&f[k]);
		for (k = 0;; k++) {
			if (parse_csv_field(&p, end, k < 3 ? &f[k] : &extra)) {
				buf_addf(err, "bad RECORD line %u: unbalanced quote", line);
				ret = -1;
				goto out;
			}
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			break;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		else if (p < end) {
			buf_addf(err, "bad RECORD line %u: stray carriage return", line);
			ret = -1;
			goto out;
		}
		if (memchr(f[0].s, '\0', f[0].len) || memchr(f[1].s, '\0', f[1].len) || memchr(f[2].s, '\0', f[2].len)) {
			buf_addf(err, "bad RECORD line %u: NUL byte", line);
			ret = -1;
			goto out;
		}
		if (k != 2 || !f[0].len) {
			buf_addf(err, "bad RECORD line %u: expected path,hash,size", line);
			ret = -1;
			goto out;
		}
		if (!size_valid(f[2].s) || (f[1].len && !strchr(f[1].s, '='))) {
			buf_addf(err, "bad RECORD line %u for '%s': bad hash or size", line, f[0].s);
			ret = -1;
			goto out;
		}
		GROW(r->v, r->alloc, r->nr + 1);
		r->v[r->nr].path = xstrdup(f[0].s);
		r->v[r->nr].hash = xstrdup(f[1].s);
		r->v[r->nr].size = xstrdup(f[2].s);
		r->nr++;
	}
	if (r->nr)
		QSORT(r->v, r->nr, cmp_entry);
	for (k = 1; k < r->nr; k++) {
		if (strcmp(r->v[k - 1].path, r->v[k].path) == 0) {
			buf_addf(err, "RECORD lists '%s' twice", r->v[k].path);
			ret = -1;
			goto out;
		}
	}
out:
	buf_release(&f[0]);
	buf_release(&f[1]);
	buf_release(&f[2]);
	buf_release(&extra);
	return ret;
}

const struct record_entry *record_find(const struct record *r, const char *path)
{
	struct record_entry key = { (char *)path, NULL, NULL };

	if (!r->nr)
		return NULL;
	return bsearch(&key, r->v, r->nr, sizeof(*r->v), cmp_entry);
}

int record_check(const struct record_entry *e, const char *b64_sha256, unsigned long long size,
		 struct buf *err)
{
	const char *eq = strchr(e->hash, '=');
	uint64_t want;

	if (!e->hash[0] || !eq) {
		buf_addf(err, "RECORD has no hash for '%s'", e->path);
		return -1;
	}
	if ((size_t)(eq - e->hash) != 6 || strncmp(e->hash, "sha256", 6) != 0) {
		buf_addf(err, "RECORD hash of '%s' uses an unsupported algorithm '%.*s'", e->path,
			 (int)(eq - e->hash), e->hash);
		return -1;
	}
	if (strcmp(eq + 1, b64_sha256) != 0) {
		buf_addf(err, "RECORD hash mismatch for '%s': expected %s, got sha256=%s", e->path, e->hash,
			 b64_sha256);
		return -1;
	}
	if (e->size[0] && (parse_u64(e->size, &want) || want != size)) {
		buf_addf(err, "RECORD size mismatch for '%s': expected %s, got %llu", e->path, e->size, size);
		return -1;
	}
	return 0;
}

static void csv_quoted(struct buf *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(out, s);
		return;
	}
	buf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(out, '"');
		buf_addch(out, *s);
	}
	buf_addch(out, '"');
}

void record_add_row(struct buf *out, const char *path, const char *hash, const char *size)
{
	csv_quoted(out, path);
	buf_addch(out, ',');
	if (hash)
		csv_quoted(out, hash);
	buf_addch(out, ',');
	if (size)
		csv_quoted(out, size);
	buf_addch(out, '\n');
}

void entry_points_init(struct entry_points *eps)
{
	memset(eps, 0, sizeof(*eps));
}

void entry_points_release(struct entry_points *eps)
{
	size_t i;

	for (i = 0; i < eps->nr; i++) {
		free(eps->v[i].group);
		free(eps->v[i].name);
		free(eps->v[i].module);
		free(eps->v[i].attr);
	}
	free(eps->v);
	entry_points_init(eps);
}

static char *strip_dup(const char *s, const char *e)
{
	while (s < e && ascii_isspace((unsigned char)*s))
		s++;
	while (e > s && ascii_isspace((unsigned char)e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* A dotted Python name: identifiers ('_', letters, digits, non-ASCII) separated by single dots. */
static int dotted_name(const char *s)
{
	int start = 1;

	if (!*s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '.') {
			if (start)
				return 0;
			start = 1;
		} else if (c == '_' || ascii_isalpha(c) || c >= 0x80 || (!start && ascii_isdigit(c))) {
			start = 0;
		} else {
			return 0;
		}
	}
	return !start;
}

int entry_points_parse(const char *text, struct entry_points *eps, struct buf *err)
{
	const char *p = text;
	char *group = NULL;
	unsigned line = 0;

	while (*p) {
		const char *nl = strchr(p, '\n'), *e = nl ? nl : p + strlen(p), *s = p, *eq, *colon, *vend;
		struct entry_point ep;

		line++;
		p = nl ? nl + 1 : e;
		while (s < e && ascii_isspace((unsigned char)*s))
			s++;
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			const char *close = memchr(s, ']', (size_t)(e - s));

			if (!close) {
				buf_addf(err, "bad entry_points.txt line %u: '%.*s'", line, (int)(e - s), s);
				free(group);
				return -1;
			}
			free(group);
			group = strip_dup(s + 1, close);
			continue;
		}
		eq = memchr(s, '=', (size_t)(e - s));
		if (!group || !eq) {
			buf_addf(err, "bad entry_points.txt line %u: '%.*s'", line, (int)(e - s), s);
			free(group);
			return -1;
		}
		vend = memchr(eq, '[', (size_t)(e - eq));
		if (!vend)
			vend = e;
		ep.group = xstrdup(group);
		ep.name = strip_dup(s, eq);
		colon = memchr(eq, ':', (size_t)(vend - eq));
		ep.module = strip_dup(eq + 1, colon ? colon : vend);
		ep.attr = colon ? strip_dup(colon + 1, vend) : NULL;
		if (!ep.name[0] || !dotted_name(ep.module) || (ep.attr && !dotted_name(ep.attr))) {
			buf_addf(err, "bad entry point in entry_points.txt line %u: '%.*s'", line, (int)(e - s), s);
			free(ep.group);
			free(ep.name);
			free(ep.module);
			free(ep.attr);
			free(group);
			return -1;
		}
		GROW(eps->v, eps->alloc, eps->nr + 1);
		eps->v[eps->nr++] = ep;
	}
	free(group);
	return 0;
}

int wheel_path_safe(const char *path, int dir_ok)
{
	const char *s = path;
	size_t n = strlen(path);

	if (!n || path[0] == '/' || strchr(path, '\\'))
		return 0;
	if (path[n - 1] == '/') {
		if (!dir_ok)
			return 0;
		n--;
	}
	while (s < path + n) {
		const char *slash = memchr(s, '/', (size_t)(path + n - s));
		size_t len = slash ? (size_t)(slash - s) : (size_t)(path + n - s);

		if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		s += len + 1;
	}
	return 1;
}

int wheel_fix_shebang(const char *data, size_t len, const char *python, struct buf *out)
{
	const char *nl;

	if (len < 8 || memcmp(data, "#!python", 8) != 0)
		return 0;
	nl = memchr(data, '\n', len);
	buf_adds(out, "#!");
	buf_adds(out, python);
	buf_addch(out, '\n');
	if (nl)
		buf_add(out, nl + 1, len - (size_t)(nl + 1 - data));
	return 1;
}

int wheel_launcher(const char *python, const struct entry_point *ep, struct buf *out, struct buf *err)
{
	const char *dot;
	size_t shebang_len = strlen(python) + 3;

	if (!ep->attr) {
		buf_addf(err, "invalid script entry point '%s = %s': no callable", ep->name, ep->module);
		return -1;
	}
	if (!strchr(python, ' ') && shebang_len <= 127) {
		buf_addf(out, "#!%s\n", python);
	} else {
		buf_adds(out, "#!/bin/sh\n'''exec' ");
		if (strchr(python, ' '))
			buf_addf(out, "\"%s\"", python);
		else
			buf_adds(out, python);
		buf_adds(out, " \"$0\" \"$@\"\n' '''");
	}
	dot = strchr(ep->attr, '.');
	buf_addf(out,
		 "# -*- coding: utf-8 -*-\n"
		 "import re\n"
		 "import sys\n"
		 "from %s import %.*s\n"
		 "if __name__ == '__main__':\n"
		 "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
		 "    sys.exit(%s())\n",
		 ep->module, dot ? (int)(dot - ep->attr) : (int)strlen(ep->attr), ep->attr, ep->attr);
	return 0;
}

void wheel_relpath(const char *from, const char *to, struct buf *out)
{
	size_t i = 0, common = 0;
	const char *s;

	/* the longest common prefix ending at a component boundary */
	for (;;) {
		if (from[i] == '\0' && (to[i] == '/' || to[i] == '\0')) {
			common = i;
			break;
		}
		if (from[i] != to[i] || to[i] == '\0')
			break;
		if (from[i] == '/')
			common = i;
		i++;
	}
	s = from + common;
	while (*s == '/')
		s++;
	if (*s) {
		buf_adds(out, "..");
		for (; *s; s++)
			if (*s == '/')
				buf_adds(out, "/..");
		buf_addch(out, '/');
	}
	s = to + common;
	while (*s == '/')
		s++;
	buf_adds(out, s);
}

/* Append one path's components to out (a root-relative path), resolving "." and ".." lexically. */
static int add_components(struct buf *out, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *slash;

			if (!out->len)
				return -1;
			slash = strrchr(out->s, '/');
			buf_setlen(out, slash ? (size_t)(slash - out->s) : 0);
		} else if (n && !(n == 1 && s[0] == '.')) {
			if (out->len)
				buf_addch(out, '/');
			buf_add(out, s, n);
		}
		s += n;
		while (*s == '/')
			s++;
	}
	return 0;
}

int wheel_record_target(const char *root, const char *libdir, const char *path, struct buf *out)
{
	struct buf t = BUF_INIT;
	size_t rl = strlen(root);
	int ret = -1;

	while (rl > 1 && root[rl - 1] == '/')
		rl--;
	if (path[0] == '/') {
		if (strncmp(path, root, rl) != 0 || path[rl] != '/' || add_components(&t, path + rl + 1))
			goto out;
	} else if (add_components(&t, libdir) || add_components(&t, path)) {
		goto out;
	}
	if (!t.len)
		goto out;
	buf_add(out, t.s, t.len);
	ret = 0;
out:
	buf_release(&t);
	return ret;
}
