/* unpack.h: reading sdists (tar.gz, tar.bz2, zip, ...) with libarchive. */
#ifndef WBGEN_UNPACK_H
#define WBGEN_UNPACK_H

#include <stddef.h>

#include "buf.h"

/* The largest member unpack_read_top_members() loads into memory. */
#define UNPACK_MEMBER_MAX ((size_t)16 << 20)

/* Read the regular files named names[0..n) that sit directly in the archive's top-level
 * directory (e.g. "PKG-INFO" matches "foo-1.0/PKG-INFO"), without unpacking anything.
 * out[i] receives the content of names[i] and found[i] is set to 1 when it exists.
 * *topdir (when not NULL) receives the top-level directory name (caller frees), NULL
 * when the archive has none. Returns 0, or -1 with a one-line reason in err (unreadable
 * or corrupt archive, member larger than UNPACK_MEMBER_MAX). */
int unpack_read_top_members(const char *path, const char *const *names, size_t n, struct buf *out, int *found,
			     char **topdir, struct buf *err);

#endif
