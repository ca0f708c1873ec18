/* wheel_amend.c: a built wheel given a build tag and extra .dist-info files (see wheel.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "fsutil.h"
#include "names.h"
#include "sha256.h"
#include "wheel/wheel.h"
#include "util.h"

char *wheel_name_with_build(const char *filename, const char *build)
{
	struct wheel_name wn = { 0 };
	struct buf err = BUF_INIT;
	const char *b = build ? build : "", *vend, *tags, *p;
	char *r = NULL;
	int dashes = 0;

	/* NAME-VERSION[-BUILD]-PY-ABI-PLAT.whl, where no field holds a '-' */
	if (wheel_name_parse(filename, &wn, &err) == 0) {
		vend = strchr(strchr(filename, '-') + 1, '-');
		tags = vend + 1;
		for (p = tags; *p; p++)
			dashes += *p == '-';
		if (dashes == 3)
			tags = strchr(tags, '-') + 1;
		r = xasprintf("%.*s%s%s-%s", (int)(vend - filename), filename, *b ? "-" : "", b, tags);
	}
	wheel_name_release(&wn);
	buf_release(&err);
	return r;
}

/* WHEEL with its Build: header set to build (removed when build is NULL or ""). */
static void wheel_file_text(const char *text, size_t len, const char *build, struct buf *out)
{
	const char *p = text, *end = text + len;
	size_t hdr_end = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (n >= 6 && ascii_strncasecmp(p, "Build:", 6) == 0) {
			p += n;
			continue;
		}
		buf_add(out, p, n);
		if (n > 0 && !(n == 1 || (n == 2 && p[0] == '\r')))
			hdr_end = out->len;
		p += n;
	}
	buf_setlen(out, hdr_end);
	if (out->len && out->s[out->len - 1] != '\n')
		buf_addch(out, '\n');
	if (build && *build)
		buf_addf(out, "Build: %s\n", build);
}

static void record_row_for(struct buf *rec, const char *path, const void *data, size_t len)
{
	unsigned char d[SHA256_DIGEST_SIZE];
	struct buf h = BUF_INIT;
	struct sha256 c;
	char size[32];

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, d);
	buf_adds(&h, "sha256=");
	sha256_b64url(d, &h);
	snprintf(size, sizeof(size), "%zu", len);
	record_add_row(rec, path, h.s, size);
	buf_release(&h);
}

static int write_member(struct archive *w, struct archive_entry *e, const void *data, size_t len)
{
	if (archive_write_header(w, e) != ARCHIVE_OK)
		return -1;
	if (len && archive_write_data(w, data, len) != (la_ssize_t)len)
		return -1;
	return archive_write_finish_entry(w) == ARCHIVE_OK ? 0 : -1;
}

static struct archive *open_wheel(const char *path, struct buf *err)
{
	struct archive *a = archive_read_new();

	archive_read_support_format_zip_seekable(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		buf_addf(err, "cannot read the wheel '%s': %s", path, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static int read_data(struct archive *a, struct buf *out)
{
	char block[16384];
	la_ssize_t got;

	while ((got = archive_read_data(a, block, sizeof(block))) > 0)
		buf_add(out, block, (size_t)got);
	return got < 0 ? -1 : 0;
}

/* Non-zero when p is DISTINFO/name (distinfo dlen bytes long). */
static int in_distinfo(const char *p, const char *distinfo, size_t dlen, const char *name)
{
	return p && strncmp(p, distinfo, dlen) == 0 && p[dlen] == '/' && strcmp(p + dlen + 1, name) == 0;
}

/* Members are streamed, never held whole in memory (wheels of several GiB exist): a first pass
 * reads RECORD and WHEEL, a second copies the rest. */
int wheel_amend(const char *src, const char *dst, const char *build, const struct wheel_addition *add,
		size_t nadd, struct buf *err)
{
	struct buf recin = BUF_INIT, wheelin = BUF_INIT, wheelpath = BUF_INIT, recout = BUF_INIT;
	struct buf wheel = BUF_INIT, e2 = BUF_INIT, path = BUF_INIT;
	struct archive *a = NULL, *w = NULL;
	struct archive_entry *e;
	char *distinfo = NULL, *tmp = NULL;
	struct record rec;
	time_t mtime = 0;
	size_t dlen = 0, i, j;
	int r = -1, rc;

	record_init(&rec);
	if (!(a = open_wheel(src, err)))
		return -1;
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const char *p = archive_entry_pathname(e), *slash = p ? strchr(p, '/') : NULL;

		if (!slash || slash - p <= 10 || strncmp(slash - 10, ".dist-info", 10) != 0)
			continue;
		if (strcmp(slash, "/RECORD") == 0 && !distinfo) {
			distinfo = xstrndup(p, (size_t)(slash - p));
			dlen = (size_t)(slash - p);
			mtime = archive_entry_mtime(e);
			if (read_data(a, &recin) < 0)
				break;
		} else if (strcmp(slash, "/WHEEL") == 0) {
			buf_setlen(&wheelpath, 0);
			buf_adds(&wheelpath, p);
			buf_setlen(&wheelin, 0);
			if (read_data(a, &wheelin) < 0)
				break;
		}
	}
	if (rc != ARCHIVE_EOF) {
		buf_addf(err, "corrupt wheel '%s': %s", src, archive_error_string(a));
		goto out;
	}
	archive_read_free(a);
	a = NULL;
	if (!distinfo) {
		buf_addf(err, "the wheel '%s' has no .dist-info/RECORD", src);
		goto out;
	}
	if (!wheelpath.len || !in_distinfo(wheelpath.s, distinfo, dlen, "WHEEL")) {
		buf_addf(err, "the wheel '%s' has no %s/WHEEL", src, distinfo);
		goto out;
	}
	if (record_parse(recin.s ? recin.s : "", recin.len, &rec, &e2) < 0) {
		buf_addf(err, "the wheel '%s': RECORD: %s", src, e2.s);
		goto out;
	}
	wheel_file_text(wheelin.s ? wheelin.s : "", wheelin.len, build, &wheel);
	/* RECORD: the rows of the members kept as they are, then the new ones */
	for (i = 0; i < rec.nr; i++) {
		const char *p = rec.v[i].path;
		int skip = in_distinfo(p, distinfo, dlen, "WHEEL") || in_distinfo(p, distinfo, dlen, "RECORD");

		for (j = 0; j < nadd && !skip; j++)
			skip = in_distinfo(p, distinfo, dlen, add[j].name);
		if (!skip)
			record_add_row(&recout, p, rec.v[i].hash, rec.v[i].size);
	}
	record_row_for(&recout, wheelpath.s, wheel.s, wheel.len);
	for (j = 0; j < nadd; j++) {
		buf_setlen(&path, 0);
		buf_addf(&path, "%s/%s", distinfo, add[j].name);
		record_row_for(&recout, path.s, add[j].data, add[j].len);
	}
	buf_setlen(&path, 0);
	buf_addf(&path, "%s/RECORD", distinfo);
	record_add_row(&recout, path.s, NULL, NULL);

	tmp = xasprintf("%s.tmp", dst);
	w = archive_write_new();
	if (archive_write_set_format_zip(w) != ARCHIVE_OK ||
	    archive_write_set_options(w, "zip:compression=deflate") != ARCHIVE_OK ||
	    archive_write_open_filename(w, tmp) != ARCHIVE_OK)
		goto werr;
	if (!(a = open_wheel(src, err)))
		goto out;
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const char *p = archive_entry_pathname(e);
		int skip = in_distinfo(p, distinfo, dlen, "RECORD");
		char block[65536];
		la_ssize_t got;

		for (j = 0; j < nadd && !skip; j++)
			skip = in_distinfo(p, distinfo, dlen, add[j].name);
		if (skip)
			continue;
		if (in_distinfo(p, distinfo, dlen, "WHEEL")) {
			archive_entry_set_size(e, (la_int64_t)wheel.len);
			if (write_member(w, e, wheel.s, wheel.len) < 0)
				goto werr;
			continue;
		}
		if (archive_write_header(w, e) != ARCHIVE_OK)
			goto werr;
		while ((got = archive_read_data(a, block, sizeof(block))) > 0)
			if (archive_write_data(w, block, (size_t)got) != got)
				goto werr;
		if (got < 0) {
			buf_addf(err, "corrupt wheel '%s': %s", src, archive_error_string(a));
			goto out;
		}
		if (archive_write_finish_entry(w) != ARCHIVE_OK)
			goto werr;
	}
	if (rc != ARCHIVE_EOF) {
		buf_addf(err, "corrupt wheel '%s': %s", src, archive_error_string(a));
		goto out;
	}
	for (j = 0; j <= nadd; j++) {
		struct archive_entry *ne = archive_entry_new();
		const char *data = j < nadd ? add[j].data : recout.s;
		size_t len = j < nadd ? add[j].len : recout.len;
		int rr;

		buf_setlen(&path, 0);
		buf_addf(&path, "%s/%s", distinfo, j < nadd ? add[j].name : "RECORD");
		archive_entry_set_pathname(ne, path.s);
		archive_entry_set_filetype(ne, AE_IFREG);
		archive_entry_set_perm(ne, 0644);
		archive_entry_set_mtime(ne, mtime, 0);
		archive_entry_set_size(ne, (la_int64_t)len);
		rr = write_member(w, ne, data, len);
		archive_entry_free(ne);
		if (rr < 0)
			goto werr;
	}
	if (archive_write_close(w) != ARCHIVE_OK)
		goto werr;
	if (rename(tmp, dst) < 0) {
		buf_addf(err, "cannot rename '%s' to '%s': %s", tmp, dst, strerror(errno));
		goto out;
	}
	r = 0;
	goto out;
werr:
	buf_addf(err, "cannot write '%s': %s", tmp, archive_error_string(w));
out:
	if (a)
		archive_read_free(a);
	if (w)
		archive_write_free(w);
	if (r < 0 && tmp)
		unlink(tmp);
	free(tmp);
	free(distinfo);
	record_release(&rec);
	buf_release(&recin);
	buf_release(&wheelin);
	buf_release(&wheelpath);
	buf_release(&recout);
	buf_release(&wheel);
	buf_release(&e2);
	buf_release(&path);
	return r;
}
