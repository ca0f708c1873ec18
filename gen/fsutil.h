/* fsutil.h: file-system helpers: directories, atomic writes, absolute paths, removing a tree. */
#ifndef WBGEN_FSUTIL_H
#define WBGEN_FSUTIL_H

#include <stddef.h>

/* Create every missing directory of path's parent (the last component is not created). 0 or -1 (errno). */
int mkdir_parents(const char *path);
/* Create directory path and its missing parents. 0 or -1 (errno). */
int mkdir_p(const char *path, unsigned mode);
/* How write_file() writes. */
enum write_flags {
	WRITE_NOSYNC = 1,    /* no fsync: for files a reader verifies anyway (caches that carry their digest) */
	WRITE_IF_CHANGED = 2 /* leave an identical file untouched (its mtime too, which make relies on) */
};
/* Write data to path atomically: a temporary file in the same directory, fsync (unless
 * WRITE_NOSYNC), rename. Creates missing parent directories. 0, or -1 with errno set
 * (nothing is left behind). */
int write_file(const char *path, const void *data, size_t len, unsigned flags);
/* write_file() with fsync and no other flag. */
int write_file_atomic(const char *path, const void *data, size_t len);
/* Non-zero when the file at path holds exactly data[0..len). */
int file_equals(const char *path, const void *data, size_t len);
/* Write all of data[0..len) to fd, retrying short writes and EINTR. 0, or -1 with errno set. */
int write_all(int fd, const void *data, size_t len);
/* Non-zero when path exists (any type). */
int path_exists(const char *path);
/* How link_or_copy() places a file. */
enum place_flags {
	PLACE_COPY = 1, /* copy even where a hard link would do */
	PLACE_KEEP = 2  /* leave an existing dst as it is (and return 1) */
};
/* Make dst (replaced if present, unless PLACE_KEEP) the content of src: a hard link of src, else (another file
 * system, link() refused, PLACE_COPY) a copy written to a temporary file and renamed. Creates
 * dst's missing parent directories. No fsync (see fsutil_sync()). 1 when linked, 0 when copied,
 * -1 with errno set (nothing left at dst). src must never be rewritten in place afterwards:
 * replace it by rename. */
int link_or_copy(const char *src, const char *dst, unsigned flags);
/* How many files write_file() and link_or_copy() have put in place in this process (an
 * unchanged file left alone by WRITE_IF_CHANGED does not count). */
unsigned long fsutil_files_placed(void);
/* Flush the file system holding path to disk (syncfs). 0, or -1 with errno set. */
int fsutil_sync(const char *path);
/* Make path absolute against the current directory (no symlink resolution, which would break a
 * venv's python). Newly allocated, or NULL with errno set when the current directory is gone. */
char *path_absolute(const char *path);
/* Remove path and everything under it (no symlinks followed). 0, or -1 (errno). */
int remove_tree(const char *path);

#endif
