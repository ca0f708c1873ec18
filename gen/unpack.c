/* unpack.c: reading sdists with libarchive (see unpack.h). */
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "unpack.h"

static struct archive *open_reader(const char *path, struct buf *err)
{
	struct archive *a = archive_read_new();

	if (!a)
		die("out of memory");
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		buf_addf(err, "cannot open archive '%s': %s", path, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Split "top/rest" : returns the length of top, and points *rest after the slash (NULL if none). */
static size_t first_component(const char *p, const char **rest)
{
	const char *slash;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	slash = strchr(p, '/');
	*rest = slash ? slash + 1 : NULL;
	return slash ? (size_t)(slash - p) : strlen(p);
}

int unpack_read_top_members(const char *path, const char *const *names, size_t n, struct buf *out, int *found,
			     char **topdir, struct buf *err)
{
	struct archive *a = open_reader(path, err);
	struct archive_entry *e;
	char *top = NULL;
	size_t i;
	int r = 0, rc;

	for (i = 0; i < n; i++)
		found[i] = 0;
	if (topdir)
		*topdir = NULL;
	if (!a)
		return -1;
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const char *p = archive_entry_pathname(e), *rest;
		size_t toplen;

		if (!p)
			continue;
		while (p[0] == '.' && p[1] == '/')
			p += 2;
		toplen = first_component(p, &rest);
		if (!top && toplen > 0 && (rest || archive_entry_filetype(e) == AE_IFDIR))
			top = xstrndup(p, toplen);
		if (!top || !rest || strncmp(p, top, toplen) != 0 || top[toplen] != '\0')
			continue;
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		for (i = 0; i < n; i++) {
			la_ssize_t got;
			char block[16384];

			if (found[i] || strcmp(rest, names[i]) != 0)
				continue;
			buf_reset(&out[i]);
			while ((got = archive_read_data(a, block, sizeof(block))) > 0) {
				if (out[i].len + (size_t)got > UNPACK_MEMBER_MAX) {
					buf_addf(err, "'%s' in '%s' is larger than %zu bytes", p, path, UNPACK_MEMBER_MAX);
					r = -1;
					goto out;
				}
				buf_add(&out[i], block, (size_t)got);
			}
			if (got < 0) {
				buf_addf(err, "corrupt archive '%s': %s", path, archive_error_string(a));
				r = -1;
				goto out;
			}
			found[i] = 1;
			break;
		}
	}
	if (rc != ARCHIVE_EOF) {
		buf_addf(err, "corrupt archive '%s': %s", path, archive_error_string(a));
		r = -1;
	}
out:
	archive_read_free(a);
	if (r == 0 && topdir)
		*topdir = top;
	else
		free(top);
	return r;
}
