/* unpack.h: reading sdists (tar.gz, tar.bz2, tar.xz, zip) with libarchive, and extracting them safely.
 *
 * Extraction policy (unpack_extract_at, unpack_sdist), one rule per hostile case:
 * - The archive must hold one top-level directory; its content lands in the destination (the top
 *   directory's own name does not matter). A leading "./" is ignored, "//" and "." components are
 *   collapsed. Members outside that directory, absolute names, '..' components, names that are not valid
 *   UTF-8 or contain control characters (C0, DEL, C1) are refused.
 * - Symbolic links are kept when they stay inside the tree: the target must be relative, its '..'
 *   components must all come first and must not climb above the tree's root (e.g. "../LICENSE" in
 *   "pkg/LICENSE" is fine, "../../x" there is not, and "a/../b" is refused because 'a' might itself be a
 *   link). Hard links must name a regular file extracted earlier in the tree. Every other link is refused.
 * - Device files, FIFOs, sockets and unknown member types are refused.
 * - Permissions: regular files 0755 when the owner-execute bit is set, else 0644; directories 0755;
 *   setuid, setgid and sticky bits are dropped. Owners are never restored.
 * - Times: files and links keep the archive's mtime (build backends may compare them); directories listed
 *   in the archive get theirs once every member is written; the destination directory itself gets the
 *   time of extraction (so make sees it newer than the sdist); patched files get the time of patching.
 * - Paths are opened component by component from a directory descriptor with O_NOFOLLOW: no member is
 *   ever written through a symbolic link, whether it pre-existed or came earlier in the same archive (a
 *   member under a link is refused).
 * - Duplicates: a member repeating an earlier non-directory name replaces it (last one wins, as with
 *   tar); a repeated directory merges; a directory and a non-directory with the same name are refused.
 *   Two names that differ only in ASCII case (e.g. "README" and "readme", or "Pkg/a" and "pkg/b") are
 *   refused, so the tree extracts the same on case-insensitive file systems.
 * - Limits (struct unpack_limits, 0 disables one): member count, size of one file, total size, and the
 *   ratio of the unpacked size to the archive's size (a decompression bomb), the latter checked only
 *   once the unpacked size exceeds UNPACK_RATIO_FREE. Sizes are counted as the data is read, whatever
 *   the headers claim.
 * - Durability: nothing is fsynced (a source tree can be unpacked again); the rename makes the tree
 *   appear whole to other processes, not after a power loss.
 */
#ifndef WBGEN_UNPACK_H
#define WBGEN_UNPACK_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

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

/* Default limits of an extraction (documented in `wbgen help unpack`). */
#define UNPACK_DEFAULT_MAX_FILES 100000
#define UNPACK_DEFAULT_MAX_FILE_SIZE ((uint64_t)1 << 30)
#define UNPACK_DEFAULT_MAX_TOTAL ((uint64_t)4 << 30)
#define UNPACK_DEFAULT_MAX_RATIO 200
/* Unpacked sizes up to this are never refused for their compression ratio. */
#define UNPACK_RATIO_FREE ((uint64_t)64 << 20)

/* Limits of one extraction; 0 means no limit. */
struct unpack_limits {
	uint64_t max_files;     /* members, of every type */
	uint64_t max_file_size; /* bytes of one regular file */
	uint64_t max_total;     /* bytes of all regular files */
	uint64_t max_ratio;     /* unpacked bytes / archive bytes */
};

/* Set l to the default limits, then apply $WBGEN_UNPACK_LIMITS: KEY=N items separated by spaces or
 * commas, KEY one of files, file-size, size, ratio (0 disables that limit); a bad item is ignored
 * with a warning. The same limits apply to wheels (wheel_extract). */
void unpack_limits_init(struct unpack_limits *l);

/* Extract the archive at path, following the policy above, so that the content of its top-level
 * directory lands in the directory open as dirfd (which should be new and empty; the caller keeps
 * dirfd). Returns 0, or -1 with a one-line reason in err; on failure whatever was written stays in
 * dirfd for the caller to remove. */
int unpack_extract_at(const char *path, int dirfd, const struct unpack_limits *lim, struct buf *err);

/* What unpack_sdist() does besides extracting. */
struct unpack_options {
	struct unpack_limits limits;
	const char *const *patches; /* applied in this order with patch -p1 (borrowed) */
	size_t npatches;
	int force;       /* replace an existing dest instead of refusing */
	const char *log; /* when not NULL, patch's output is written to this file (borrowed) */
};

/* Set o to the default limits, no patch, no force, no log. */
void unpack_options_init(struct unpack_options *o);

/* Extract the sdist at path into the new directory dest, atomically: into a temporary directory
 * ".BASENAME.unpack-XXXXXX" beside dest, then the patches are applied there in order
 * (`patch -p1 --batch --forward --no-backup-if-mismatch -i FILE`, cwd = the tree), then it is renamed
 * to dest. dest must not exist unless o->force, which replaces it (file, link or tree) in one
 * rename. Missing parents of dest are created. Returns 0, or -1 with a one-line reason in err (a patch
 * that fails is named, followed by patch's output on the next lines, or by the log path when o->log);
 * on failure dest is untouched and no temporary directory is left. */
int unpack_sdist(const char *path, const char *dest, const struct unpack_options *o, struct buf *err);

/* Set it (from a signal handler) to make a running extraction or patch stop: unpack_sdist() then kills
 * patch, removes its temporary directory and fails with "interrupted". */
extern volatile sig_atomic_t unpack_interrupted;

/* Remove path: a file or link is unlinked, a directory removed recursively without following any
 * symbolic link. 0, or -1 with errno set (ENOENT is not an error). */
int unpack_remove_tree(const char *path);

#endif
