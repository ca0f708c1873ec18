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
#include "wheel.h"
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

/* Read every member of the zip at path: names, headers and contents, in order. */
struct member {
	struct archive_entry *e;
	struct buf data;
};

static void members_free(struct member *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		archive_entry_free(m[i].e);
		buf_release(&m[i].data);
	}
	free(m);
}

static int read_members(const char *path, struct member **out, size_t *nout, struct buf *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct member *m = NULL;
	size_t n = 0, alloc = 0;
	int rc;

	archive_read_support_format_zip_seekable(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		buf_addf(err, "cannot read the wheel '%s': %s", path, archive_error_string(a));
		archive_read_free(a);
		return -1;
	}
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		char block[16384];
		la_ssize_t got;

		GROW(m, alloc, n + 1);
		m[n].e = archive_entry_clone(e);
		buf_init(&m[n].data);
		n++;
		while ((got = archive_read_data(a, block, sizeof(block))) > 0)
			buf_add(&m[n - 1].data, block, (size_t)got);
		if (got < 0) {
			rc = ARCHIVE_FATAL;
			break;
		}
	}
	if (rc != ARCHIVE_EOF) {
		buf_addf(err, "corrupt wheel '%s': %s", path, archive_error_string(a));
		archive_read_free(a);
		members_free(m, n);
		return -1;
	}
	archive_read_free(a);
	*out = m;
	*nout = n;
	return 0;
}

int wheel_amend(const char *src, const char *dst, const char *build, const struct wheel_addition *add,
		size_t nadd, struct buf *err)
{
	struct member *m = NULL;
	size_t n = 0, i, j;
	const char *distinfo = NULL;
	size_t dlen = 0;
	struct record rec;
	struct buf recout = BUF_INIT, wheel = BUF_INIT, e2 = BUF_INIT, path = BUF_INIT;
	struct archive *w = NULL;
	char *tmp = NULL;
	int r = -1, irec = -1, iwheel = -1;
	time_t mtime = 0;

	record_init(&rec);
	if (read_members(src, &m, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *p = archive_entry_pathname(m[i].e), *slash = p ? strchr(p, '/') : NULL;

		if (slash && strcmp(slash, "/RECORD") == 0 && slash - p > 10 &&
		    strncmp(slash - 10, ".dist-info", 10) == 0) {
			distinfo = p;
			dlen = (size_t)(slash - p);
			irec = (int)i;
			mtime = archive_entry_mtime(m[i].e);
		}
	}
	if (!distinfo) {
		buf_addf(err, "the wheel '%s' has no .dist-info/RECORD", src);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const char *p = archive_entry_pathname(m[i].e);

		if (p && strlen(p) == dlen + 6 && strncmp(p, distinfo, dlen) == 0 && strcmp(p + dlen, "/WHEEL") == 0)
			iwheel = (int)i;
	}
	if (iwheel < 0) {
		buf_addf(err, "the wheel '%s' has no .dist-info/WHEEL", src);
		goto out;
	}
	if (record_parse(m[irec].data.s ? m[irec].data.s : "", m[irec].data.len, &rec, &e2) < 0) {
		buf_addf(err, "the wheel '%s': RECORD: %s", src, e2.s);
		goto out;
	}
	wheel_file_text(m[iwheel].data.s ? m[iwheel].data.s : "", m[iwheel].data.len, build, &wheel);
	/* RECORD: the rows of the members kept as they are, then the new ones */
	for (i = 0; i < rec.nr; i++) {
		const char *p = rec.v[i].path;
		int skip = strncmp(p, distinfo, dlen) == 0 && p[dlen] == '/' &&
			   (strcmp(p + dlen + 1, "WHEEL") == 0 || strcmp(p + dlen + 1, "RECORD") == 0);

		for (j = 0; j < nadd && !skip; j++)
			skip = strncmp(p, distinfo, dlen) == 0 && p[dlen] == '/' && strcmp(p + dlen + 1, add[j].name) == 0;
		if (!skip)
			record_add_row(&recout, p, rec.v[i].hash, rec.v[i].size);
	}
	buf_setlen(&path, 0);
	buf_addf(&path, "%.*s/WHEEL", (int)dlen, distinfo);
	record_row_for(&recout, path.s, wheel.s, wheel.len);
	for (j = 0; j < nadd; j++) {
		buf_setlen(&path, 0);
		buf_addf(&path, "%.*s/%s", (int)dlen, distinfo, add[j].name);
		record_row_for(&recout, path.s, add[j].data, add[j].len);
	}
	buf_setlen(&path, 0);
	buf_addf(&path, "%.*s/RECORD", (int)dlen, distinfo);
	record_add_row(&recout, path.s, NULL, NULL);

	tmp = xasprintf("%s.tmp", dst);
	w = archive_write_new();
	if (archive_write_set_format_zip(w) != ARCHIVE_OK ||
	    archive_write_set_options(w, "zip:compression=deflate") != ARCHIVE_OK ||
	    archive_write_open_filename(w, tmp) != ARCHIVE_OK) {
		buf_addf(err, "cannot write '%s': %s", tmp, archive_error_string(w));
		goto out;
	}
	for (i = 0; i < n; i++) {
		const char *p = archive_entry_pathname(m[i].e);
		int replaced = 0;

		if ((int)i == irec)
			continue;
		for (j = 0; j < nadd; j++)
			replaced |= p && strncmp(p, distinfo, dlen) == 0 && p[dlen] == '/' &&
				    strcmp(p + dlen + 1, add[j].name) == 0;
		if (replaced)
			continue;
		if ((int)i == iwheel) {
			archive_entry_set_size(m[i].e, (la_int64_t)wheel.len);
			if (write_member(w, m[i].e, wheel.s, wheel.len) < 0)
				goto werr;
		} else if (write_member(w, m[i].e, m[i].data.s, m[i].data.len) < 0) {
			goto werr;
		}
	}
	for (j = 0; j <= nadd; j++) {
		struct archive_entry *e = archive_entry_new();
		int rr;

		buf_setlen(&path, 0);
		buf_addf(&path, "%.*s/%s", (int)dlen, distinfo, j < nadd ? add[j].name : "RECORD");
		archive_entry_set_pathname(e, path.s);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_mtime(e, mtime, 0);
		archive_entry_set_size(e, (la_int64_t)(j < nadd ? add[j].len : recout.len));
		rr = write_member(w, e, j < nadd ? add[j].data : recout.s, j < nadd ? add[j].len : recout.len);
		archive_entry_free(e);
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
	if (w)
		archive_write_free(w);
	if (r < 0 && tmp)
		unlink(tmp);
	free(tmp);
	members_free(m, n);
	record_release(&rec);
	buf_release(&recout);
	buf_release(&wheel);
	buf_release(&e2);
	buf_release(&path);
	return r;
}
