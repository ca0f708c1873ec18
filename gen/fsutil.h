/* fsutil.h: file-system helpers: directories, atomic writes. */
#ifndef WBGEN_FSUTIL_H
#define WBGEN_FSUTIL_H

#include <stddef.h>

/* Create every missing directory of path's parent (the last component is not created). 0 or -1 (errno). */
int mkdir_parents(const char *path);
/* Create directory path and its missing parents. 0 or -1 (errno). */
int mkdir_p(const char *path, unsigned mode);
/* Write data to path atomically: a temporary file in the same directory, fsync, rename.
 * Creates missing parent directories. 0, or -1 with errno set (nothing is left behind). */
int write_file_atomic(const char *path, const void *data, size_t len);
/* Non-zero when path exists (any type). */
int path_exists(const char *path);

#endif
