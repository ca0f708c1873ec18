/* names.c: project names and distribution filenames (see names.h). */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "version.h"

static int is_sep(int c)
{
	return c == '-' || c == '_' || c == '.';
}

int name_is_valid(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || !ascii_isalnum((unsigned char)name[0]) || !ascii_isalnum((unsigned char)name[len - 1]))
		return 0;
	for (i = 0; i < len; i++)
		if (!ascii_isalnum((unsigned char)name[i]) && !is_sep(name[i]))
			return 0;
	return 1;
}

static void name_normalise_to(struct buf *out, const char *name, size_t len, int sep)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (is_sep(name[i])) {
			while (i + 1 < len && is_sep(name[i + 1]))
				i++;
			buf_addch(out, sep);
		} else {
			buf_addch(out, ascii_tolower((unsigned char)name[i]));
		}
	}
}

void name_canonicalize_to(struct buf *out, const char *name, size_t len)
{
	name_normalise_to(out, name, len, '-');
}

char *name_canonicalize(const char *name)
{
	struct buf b = BUF_INIT;

	name_canonicalize_to(&b, name, strlen(name));
	return buf_detach(&b, NULL);
}

int name_cmp(const char *a, const char *b)
{
	char *ca = name_canonicalize(a), *cb = name_canonicalize(b);
	int r = strcmp(ca, cb);

	free(ca);
	free(cb);
	return r;
}

/* The normalised form of the version s[0..len) appended to out; -1 when it is not a PEP 440 version. */
static int version_normalise_to(struct buf *out, const char *s, size_t len)
{
	struct version v;
	int ret = version_parse_n(s, len, &v);

	if (!ret)
		version_format(&v, out);
	version_release(&v);
	return ret;
}

static int has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

void wheel_name_release(struct wheel_name *w)
{
	free(w->name);
	free(w->version);
	free(w->build);
	free(w->build_num);
	free(w->build_rest);
	free(w->tags);
	memset(w, 0, sizeof(*w));
}

static int wheel_fail(struct wheel_name *w, struct buf *err, const char *why, const char *filename)
{
	wheel_name_release(w);
	buf_reset(err);
	buf_addf(err, "invalid wheel filename '%s': %s", filename, why);
	return -1;
}

int wheel_name_parse(const char *filename, struct wheel_name *out, struct buf *err)
{
	const char *dash[5], *p, *name, *ver, *tags;
	size_t len = strlen(filename), stem, n = 0, i;
	struct buf b = BUF_INIT;

	memset(out, 0, sizeof(*out));
	if (!ends_with(filename, ".whl"))
		return wheel_fail(out, err, "extension must be '.whl'", filename);
	if (has_non_ascii(filename))
		return wheel_fail(out, err, "non-ASCII characters", filename);
	stem = len - 4;
	for (i = 0; i < stem; i++) {
		if (filename[i] != '-')
			continue;
		if (n == ARRAY_SIZE(dash))
			return wheel_fail(out, err, "wrong number of parts", filename);
		dash[n++] = filename + i;
	}
	if (n != 4 && n != 5)
		return wheel_fail(out, err, "wrong number of parts", filename);

	name = filename;
	for (p = name; p < dash[0]; p++)
		if (!ascii_isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			return wheel_fail(out, err, "invalid project name", filename);
	for (p = name; p + 1 < dash[0]; p++)
		if (p[0] == '_' && p[1] == '_')
			return wheel_fail(out, err, "invalid project name", filename);
	name_canonicalize_to(&b, name, dash[0] - name);
	out->name = buf_detach(&b, NULL);

	ver = dash[0] + 1;
	if (version_normalise_to(&b, ver, dash[1] - ver)) {
		buf_release(&b);
		return wheel_fail(out, err, "invalid version", filename);
	}
	out->version = buf_detach(&b, NULL);

	if (n == 5) {
		const char *build = dash[1] + 1, *end = dash[2], *d;

		if (build == end || !ascii_isdigit((unsigned char)*build))
			return wheel_fail(out, err, "invalid build number", filename);
		out->build = xstrndup(build, end - build);
		for (d = build; d < end && ascii_isdigit((unsigned char)*d); d++)
			;
		p = build;
		while (p + 1 < d && *p == '0')
			p++;
		out->build_num = xstrndup(p, d - p);
		out->build_rest = xstrndup(d, end - d);
	}

	tags = dash[n - 3] + 1;
	for (p = tags; p < filename + stem; p++)
		buf_addch(&b, ascii_tolower((unsigned char)*p));
	out->tags = buf_detach(&b, NULL);
	return 0;
}

int wheel_build_cmp(const struct wheel_name *a, const struct wheel_name *b)
{
	size_t la, lb;
	int r;

	if (!a->build_num || !b->build_num)
		return (a->build_num != NULL) - (b->build_num != NULL);
	la = strlen(a->build_num);
	lb = strlen(b->build_num);
	if (la != lb)
		return la < lb ? -1 : 1;
	r = strcmp(a->build_num, b->build_num);
	if (!r)
		r = strcmp(a->build_rest, b->build_rest);
	return r < 0 ? -1 : r > 0;
}

void sdist_name_release(struct sdist_name *s)
{
	free(s->name);
	free(s->version);
	memset(s, 0, sizeof(*s));
}

static int sdist_fail(struct sdist_name *s, struct buf *err, const char *why, const char *filename)
{
	sdist_name_release(s);
	buf_reset(err);
	buf_addf(err, "invalid sdist filename '%s': %s", filename, why);
	return -1;
}

/* Archive extensions of sdists, longest first among those sharing a suffix. */
static const char *const legacy_exts[] = {
	".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.lzma", ".tlz", ".tar.lz",
	".tar", ".zip",
};

static const char *find_ext(const char *filename, size_t len)
{
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(legacy_exts); i++) {
		n = strlen(legacy_exts[i]);
		if (len > n && ascii_strcasecmp(filename + len - n, legacy_exts[i]) == 0)
			return legacy_exts[i];
	}
	return NULL;
}

int sdist_name_parse(const char *filename, const char *project, struct sdist_name *out, struct buf *err)
{
	size_t len = strlen(filename), stem, i;
	const char *sep = NULL;
	struct buf b = BUF_INIT;

	memset(out, 0, sizeof(*out));
	if (has_non_ascii(filename))
		return sdist_fail(out, err, "non-ASCII characters", filename);
	if (!project) {
		if (ends_with(filename, ".tar.gz"))
			out->ext = ".tar.gz";
		else if (ends_with(filename, ".zip"))
			out->ext = ".zip";
		else
			return sdist_fail(out, err, "extension must be '.tar.gz' or '.zip'", filename);
		stem = len - strlen(out->ext);
		for (i = 0; i < stem; i++)
			if (filename[i] == '-')
				sep = filename + i;
		if (!sep)
			return sdist_fail(out, err, "no '-' between name and version", filename);
	} else {
		char *want = name_canonicalize(project);

		out->ext = find_ext(filename, len);
		if (!out->ext) {
			free(want);
			return sdist_fail(out, err, "unknown archive extension", filename);
		}
		stem = len - strlen(out->ext);
		for (i = 0; i < stem && !sep; i++) {
			if (filename[i] != '-')
				continue;
			buf_reset(&b);
			name_canonicalize_to(&b, filename, i);
			if (strcmp(b.s, want) == 0)
				sep = filename + i;
		}
		free(want);
		buf_release(&b);
		if (!sep) {
			sdist_fail(out, err, "", filename);
			buf_addf(err, "does not start with the project name '%s'", project);
			return -1;
		}
	}
	name_canonicalize_to(&b, filename, sep - filename);
	out->name = buf_detach(&b, NULL);
	if (version_normalise_to(&b, sep + 1, filename + stem - (sep + 1))) {
		buf_release(&b);
		return sdist_fail(out, err, "invalid version", filename);
	}
	out->version = buf_detach(&b, NULL);
	return 0;
}

void dist_name_escape_to(struct buf *out, const char *name)
{
	name_normalise_to(out, name, strlen(name), '_');
}

static char *dist_filename(const char *name, const char *version, const char *build, const char *tail)
{
	struct buf b = BUF_INIT;

	dist_name_escape_to(&b, name);
	buf_addch(&b, '-');
	if (version_normalise_to(&b, version, strlen(version))) {
		buf_release(&b);
		return NULL;
	}
	if (build)
		buf_addf(&b, "-%s", build);
	buf_adds(&b, tail);
	return buf_detach(&b, NULL);
}

char *sdist_filename(const char *name, const char *version)
{
	return dist_filename(name, version, NULL, ".tar.gz");
}

char *wheel_filename(const char *name, const char *version, const char *build, const char *tags)
{
	char *tail = xasprintf("-%s.whl", tags);
	char *r = dist_filename(name, version, build, tail);

	free(tail);
	return r;
}
