/* unpack.c: reading and safely extracting sdists with libarchive (see unpack.h for the policy). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "fsutil.h"
#include "unpack/unpack.h"

static struct archive *open_reader(const char *path, struct buf *err)
{
	struct archive *a = archive_read_new();

	if (!a)
		xalloc_die("out of memory");
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	/* pax names are UTF-8: outside a UTF-8 locale libarchive warns and passes the bytes on, which
	 * is what we want (they are validated as UTF-8 by the extractor) */
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

/* ---- safe extraction */

volatile sig_atomic_t unpack_interrupted;

/* Deeper names are refused: they would only serve to exhaust descriptors or PATH_MAX. */
#define NAME_MAX_DEPTH 256
#define NAME_MAX_BYTES 4095

void unpack_limits_init(struct unpack_limits *l)
{
	static const char *const keys[] = { "files", "file-size", "size", "ratio" };
	uint64_t *const fields[] = { &l->max_files, &l->max_file_size, &l->max_total, &l->max_ratio };
	const char *env = getenv("WBGEN_UNPACK_LIMITS"), *p;
	size_t i;

	l->max_files = UNPACK_DEFAULT_MAX_FILES;
	l->max_file_size = UNPACK_DEFAULT_MAX_FILE_SIZE;
	l->max_total = UNPACK_DEFAULT_MAX_TOTAL;
	l->max_ratio = UNPACK_DEFAULT_MAX_RATIO;
	for (p = env; p && *p;) {
		size_t len = strcspn(p, " \t,");
		char *item = xstrndup(p, len), *eq = strchr(item, '=');
		uint64_t v;

		for (i = 0; eq && i < sizeof(keys) / sizeof(*keys); i++)
			if ((size_t)(eq - item) == strlen(keys[i]) && strncmp(item, keys[i], strlen(keys[i])) == 0)
				break;
		if (!eq || i == sizeof(keys) / sizeof(*keys) || parse_u64(eq + 1, &v))
			warn("ignoring '%s' in WBGEN_UNPACK_LIMITS (want files=N, file-size=N, size=N or ratio=N)", item);
		else
			*fields[i] = v;
		free(item);
		p += len;
		p += strspn(p, " \t,");
	}
}

/* 0 when s is valid UTF-8 without control characters (C0, DEL, C1), else -1 with the reason in *why. */
static int check_chars(const char *str, const char **why)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		unsigned c = *s, cp, n, i;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f) {
				*why = "a control character";
				return -1;
			}
			s++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			goto bad;
		}
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				goto bad;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		if (cp <= 0x9f) {
			*why = "a control character";
			return -1;
		}
		s += n + 1;
	}
	return 0;
bad:
	*why = "bytes that are not valid UTF-8";
	return -1;
}

/* Append s for a message: printable bytes as they are, the others as \xNN (all non-ASCII bytes
 * when s is not clean UTF-8). */
static void add_name(struct buf *b, const char *s)
{
	const char *why;
	int clean = check_chars(s, &why) == 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || (c >= 0x80 && !clean))
			buf_addf(b, "\\x%02x", c);
		else
			buf_addch(b, c);
	}
}

/* Normalize the member name raw into out ("top/a/b": no "./", "." or empty component); the number
 * of components, or -1 with the reason in *why. */
static int normalize_name(const char *raw, struct buf *out, const char **why)
{
	const char *p = raw;
	int n = 0;

	buf_reset(out);
	if (check_chars(raw, why))
		return -1;
	if (*p == '/') {
		*why = "an absolute name";
		return -1;
	}
	if (strlen(raw) > NAME_MAX_BYTES) {
		*why = "a name longer than 4095 bytes";
		return -1;
	}
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			*why = "a '..' component";
			return -1;
		}
		if (len && !(len == 1 && p[0] == '.')) {
			if (out->len)
				buf_addch(out, '/');
			buf_add(out, p, len);
			if (++n > NAME_MAX_DEPTH) {
				*why = "a name nested more than 256 levels deep";
				return -1;
			}
		}
		p = *end ? end + 1 : end;
	}
	if (!n) {
		*why = "an empty name";
		return -1;
	}
	return n;
}

/* The set of names created so far, compared without ASCII case (open addressing). */
struct nameset {
	char **slot;
	size_t cap, n;
};

static size_t fold_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (size_t)ascii_tolower((unsigned char)*s)) * 16777619u;
	return h;
}

static void nameset_put(char **slot, size_t cap, char *name)
{
	size_t i = fold_hash(name) & (cap - 1);

	while (slot[i])
		i = (i + 1) & (cap - 1);
	slot[i] = name;
}

/* The earlier name equal to name without ASCII case, or NULL after adding a copy of name. */
static const char *nameset_add(struct nameset *set, const char *name)
{
	size_t i;

	if (set->cap) {
		for (i = fold_hash(name) & (set->cap - 1); set->slot[i]; i = (i + 1) & (set->cap - 1))
			if (ascii_strcasecmp(set->slot[i], name) == 0)
				return set->slot[i];
	}
	if ((set->n + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		char **slot = xcalloc(cap, sizeof(*slot));

		for (i = 0; i < set->cap; i++)
			if (set->slot[i])
				nameset_put(slot, cap, set->slot[i]);
		free(set->slot);
		set->slot = slot;
		set->cap = cap;
	}
	nameset_put(set->slot, set->cap, xstrdup(name));
	set->n++;
	return NULL;
}

static void nameset_release(struct nameset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
}

struct dirtime {
	char *rel;
	struct timespec mtime;
};

struct extract {
	const char *archive; /* its path, for messages */
	int rootfd;
	const struct unpack_limits *lim;
	char *top; /* the top-level directory's name */
	uint64_t members, total, archive_size;
	struct nameset names;
	struct dirtime *dirs;
	size_t ndirs, dirs_alloc;
	struct buf *err;
};

/* Report that member name (as given in the archive) is refused; returns -1. */
ATTR_PRINTF(3, 4) static int refuse(struct extract *x, const char *name, const char *fmt, ...)
{
	va_list ap;

	buf_adds(x->err, "refusing member '");
	add_name(x->err, name);
	buf_addf(x->err, "' of '%s': ", x->archive);
	va_start(ap, fmt);
	buf_vaddf(x->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Record rel (below the root) as created, refusing a name that differs from an earlier one only in case. */
static int claim_name(struct extract *x, const char *rel, const char *name)
{
	const char *prev = nameset_add(&x->names, rel);

	if (prev && strcmp(prev, rel) != 0) {
		refuse(x, name, "its name differs only in case from '");
		add_name(x->err, prev);
		buf_adds(x->err, "'");
		return -1;
	}
	return 0;
}

/* Open the directory that holds rel (a normalized name below the root) and point *leaf at rel's last
 * component, never following a link. Missing directories are created (0755) when create. Returns a
 * descriptor to close, or -1 after reporting about member name. */
static int open_parent(struct extract *x, const char *rel, const char **leaf, int create, const char *name)
{
	char *path = xstrdup(rel), *p = path, *slash;
	int fd = dup(x->rootfd);

	if (fd < 0) {
		free(path);
		return refuse(x, name, "%s", strerror(errno));
	}
	while ((slash = strchr(p, '/')) != NULL) {
		int next;

		*slash = '\0';
		next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (claim_name(x, path, name))
				goto fail;
			if (mkdirat(fd, p, 0755) < 0) {
				refuse(x, name, "cannot create directory '%s': %s", path, strerror(errno));
				goto fail;
			}
			next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (next >= 0 && fchmod(next, 0755) < 0) {
				close(next);
				next = -1;
			}
		}
		if (next < 0) {
			if (errno == ELOOP || errno == ENOTDIR) {
				refuse(x, name, "'");
				add_name(x->err, path);
				buf_adds(x->err, "' is not a directory (a link or a file)");
			} else if (errno == ENOENT) {
				refuse(x, name, "'");
				add_name(x->err, path);
				buf_adds(x->err, "' does not exist");
			} else {
				refuse(x, name, "cannot open directory '%s': %s", path, strerror(errno));
			}
			goto fail;
		}
		close(fd);
		fd = next;
		*slash = '/';
		p = slash + 1;
	}
	*leaf = rel + (p - path);
	free(path);
	return fd;
fail:
	close(fd);
	free(path);
	return -1;
}

/* Make room for a non-directory at leaf: an earlier non-directory of that name is removed (the last one wins). */
static int clear_leaf(struct extract *x, int pfd, const char *leaf, const char *name)
{
	struct stat st;

	if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return refuse(x, name, "%s", strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return refuse(x, name, "a directory of the same name came earlier");
	if (unlinkat(pfd, leaf, 0) < 0)
		return refuse(x, name, "cannot replace the earlier member: %s", strerror(errno));
	return 0;
}

static void entry_times(struct archive_entry *e, struct timespec ts[2])
{
	if (archive_entry_mtime_is_set(e)) {
		ts[1].tv_sec = archive_entry_mtime(e);
		ts[1].tv_nsec = archive_entry_mtime_nsec(e);
		if (ts[1].tv_nsec < 0 || ts[1].tv_nsec > 999999999)
			ts[1].tv_nsec = 0;
	} else {
		ts[1].tv_sec = 0;
		ts[1].tv_nsec = UTIME_OMIT;
	}
	ts[0] = ts[1];
}

/* Count got more bytes of member name against the limits. */
static int count_bytes(struct extract *x, uint64_t *file_size, size_t got, const char *name)
{
	const struct unpack_limits *l = x->lim;

	*file_size += got;
	x->total += got;
	if (l->max_file_size && *file_size > l->max_file_size)
		return refuse(x, name, "larger than %llu bytes (see --max-file-size)",
			      (unsigned long long)l->max_file_size);
	if (l->max_total && x->total > l->max_total)
		return refuse(x, name, "the archive unpacks to more than %llu bytes (see --max-size)",
			      (unsigned long long)l->max_total);
	if (l->max_ratio && x->total > UNPACK_RATIO_FREE && x->total / l->max_ratio > x->archive_size)
		return refuse(x, name, "the archive unpacks to more than %llu times its size, a decompression bomb? "
			      "(see --max-ratio)", (unsigned long long)l->max_ratio);
	return 0;
}

static int extract_file(struct extract *x, struct archive *a, struct archive_entry *e, const char *rel,
			const char *name)
{
	const char *leaf;
	int pfd, fd, r = -1;
	uint64_t size = 0;
	struct timespec ts[2];
	la_ssize_t got;
	char *block;

	if (archive_entry_size_is_set(e) && x->lim->max_file_size && archive_entry_size(e) > 0 &&
	    (uint64_t)archive_entry_size(e) > x->lim->max_file_size)
		return refuse(x, name, "larger than %llu bytes (see --max-file-size)",
			      (unsigned long long)x->lim->max_file_size);
	pfd = open_parent(x, rel, &leaf, 1, name);
	if (pfd < 0)
		return -1;
	if (claim_name(x, rel, name) || clear_leaf(x, pfd, leaf, name)) {
		close(pfd);
		return -1;
	}
	fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	close(pfd);
	if (fd < 0)
		return refuse(x, name, "cannot create: %s", strerror(errno));
	block = xmalloc(65536);
	while ((got = archive_read_data(a, block, 65536)) > 0) {
		if (unpack_interrupted) {
			buf_addf(x->err, "interrupted while unpacking '%s'", x->archive);
			goto out;
		}
		if (count_bytes(x, &size, (size_t)got, name))
			goto out;
		if (write_all(fd, block, (size_t)got) < 0) {
			refuse(x, name, "cannot write: %s", strerror(errno));
			goto out;
		}
	}
	if (got < 0) {
		buf_addf(x->err, "corrupt archive '%s': %s", x->archive, archive_error_string(a));
		goto out;
	}
	entry_times(e, ts);
	if (fchmod(fd, (archive_entry_perm(e) & 0100) ? 0755 : 0644) < 0 || futimens(fd, ts) < 0) {
		refuse(x, name, "%s", strerror(errno));
		goto out;
	}
	r = 0;
out:
	free(block);
	if (close(fd) < 0 && r == 0)
		r = refuse(x, name, "cannot write: %s", strerror(errno));
	return r;
}

/* 0 when a link at rel (below the root) pointing at target stays in the tree, else -1 with *why. */
static int check_link_target(const char *rel, const char *target, const char **why)
{
	const char *p = target, *s;
	size_t depth = 0, up = 0;
	int named = 0;

	for (s = rel; *s; s++)
		depth += *s == '/';
	if (!*target) {
		*why = "an empty link target";
		return -1;
	}
	if (check_chars(target, why))
		return -1;
	if (*target == '/') {
		*why = "an absolute link target";
		return -1;
	}
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (named) {
				*why = "a link target with '..' after a name";
				return -1;
			}
			up++;
		} else if (len && !(len == 1 && p[0] == '.')) {
			named = 1;
		}
		p = *end ? end + 1 : end;
	}
	if (up > depth) {
		*why = "a link target outside the tree";
		return -1;
	}
	return 0;
}

static int extract_symlink(struct extract *x, struct archive_entry *e, const char *rel, const char *name)
{
	const char *target = archive_entry_symlink(e), *leaf, *why;
	struct timespec ts[2];
	int pfd;

	if (!target)
		return refuse(x, name, "a link without a target");
	if (check_link_target(rel, target, &why)) {
		refuse(x, name, "%s ('", why);
		add_name(x->err, target);
		buf_adds(x->err, "')");
		return -1;
	}
	pfd = open_parent(x, rel, &leaf, 1, name);
	if (pfd < 0)
		return -1;
	if (claim_name(x, rel, name) || clear_leaf(x, pfd, leaf, name))
		goto fail;
	if (symlinkat(target, pfd, leaf) < 0) {
		refuse(x, name, "cannot create the link: %s", strerror(errno));
		goto fail;
	}
	entry_times(e, ts);
	if (utimensat(pfd, leaf, ts, AT_SYMLINK_NOFOLLOW) < 0 && errno != EOPNOTSUPP) {
		refuse(x, name, "%s", strerror(errno));
		goto fail;
	}
	close(pfd);
	return 0;
fail:
	close(pfd);
	return -1;
}

/* The part of the normalized name n below the top directory, or NULL when n is outside it. */
static const char *below_top(struct extract *x, const char *n)
{
	size_t len = strlen(x->top);

	if (strncmp(n, x->top, len) != 0)
		return NULL;
	if (n[len] == '\0')
		return n + len;
	return n[len] == '/' ? n + len + 1 : NULL;
}

static int extract_hardlink(struct extract *x, const char *target, const char *rel, const char *name)
{
	struct buf norm = BUF_INIT;
	const char *why, *trel, *tleaf, *leaf;
	int tfd = -1, pfd = -1, r = -1;
	struct stat st;

	trel = normalize_name(target, &norm, &why) < 0 ? NULL : below_top(x, norm.s);
	if (!trel || !*trel) {
		refuse(x, name, "a hard link to '");
		add_name(x->err, target);
		buf_adds(x->err, "', outside the tree");
		goto out;
	}
	if (strcmp(trel, rel) == 0) {
		refuse(x, name, "a hard link to itself");
		goto out;
	}
	tfd = open_parent(x, trel, &tleaf, 0, name);
	if (tfd < 0)
		goto out;
	if (fstatat(tfd, tleaf, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
		refuse(x, name, "a hard link to '");
		add_name(x->err, target);
		buf_adds(x->err, "', which is not a regular file extracted earlier");
		goto out;
	}
	pfd = open_parent(x, rel, &leaf, 1, name);
	if (pfd < 0 || claim_name(x, rel, name) || clear_leaf(x, pfd, leaf, name))
		goto out;
	if (linkat(tfd, tleaf, pfd, leaf, 0) < 0) {
		refuse(x, name, "cannot create the hard link: %s", strerror(errno));
		goto out;
	}
	r = 0;
out:
	if (tfd >= 0)
		close(tfd);
	if (pfd >= 0)
		close(pfd);
	buf_release(&norm);
	return r;
}

static int extract_dir(struct extract *x, struct archive_entry *e, const char *rel, const char *name)
{
	const char *leaf;
	struct stat st;
	int pfd, fd;
	struct dirtime *d;

	pfd = open_parent(x, rel, &leaf, 1, name);
	if (pfd < 0)
		return -1;
	if (claim_name(x, rel, name))
		goto fail;
	if (mkdirat(pfd, leaf, 0755) < 0) {
		if (errno != EEXIST) {
			refuse(x, name, "cannot create directory: %s", strerror(errno));
			goto fail;
		}
		if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)) {
			refuse(x, name, "a non-directory of the same name came earlier");
			goto fail;
		}
	}
	fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchmod(fd, 0755) < 0) {
		refuse(x, name, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	close(fd);
	close(pfd);
	if (archive_entry_mtime_is_set(e)) {
		struct timespec ts[2];

		GROW(x->dirs, x->dirs_alloc, x->ndirs + 1);
		d = &x->dirs[x->ndirs++];
		d->rel = xstrdup(rel);
		entry_times(e, ts);
		d->mtime = ts[1];
	}
	return 0;
fail:
	close(pfd);
	return -1;
}

static int extract_entry(struct extract *x, struct archive *a, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e), *hardlink = archive_entry_hardlink(e), *why, *rel;
	unsigned type = archive_entry_filetype(e);
	struct buf norm = BUF_INIT;
	int r = -1;

	if (!name) {
		buf_addf(x->err, "refusing a member of '%s': its name cannot be read", x->archive);
		return -1;
	}
	if (normalize_name(name, &norm, &why) < 0) {
		/* "./" itself: the archive's root, not a member of the tree */
		if (!norm.len && type == AE_IFDIR && !hardlink && strcmp(why, "an empty name") == 0)
			r = 0;
		else
			refuse(x, name, "%s", why);
		goto out;
	}
	if (!x->top) {
		const char *slash = strchr(norm.s, '/');

		if (!slash && (type != AE_IFDIR || hardlink)) {
			refuse(x, name, "not inside a top-level directory");
			goto out;
		}
		x->top = slash ? xstrndup(norm.s, (size_t)(slash - norm.s)) : xstrdup(norm.s);
	}
	rel = below_top(x, norm.s);
	if (!rel) {
		refuse(x, name, "outside the top-level directory '");
		add_name(x->err, x->top);
		buf_adds(x->err, "'");
		goto out;
	}
	if (x->lim->max_files && ++x->members > x->lim->max_files) {
		refuse(x, name, "the archive has more than %llu members (see --max-files)",
		       (unsigned long long)x->lim->max_files);
		goto out;
	}
	if (!*rel) {
		if (type != AE_IFDIR || hardlink)
			refuse(x, name, "the top-level directory is not a directory");
		else
			r = 0;
		goto out;
	}
	if (hardlink) {
		r = extract_hardlink(x, hardlink, rel, name);
		goto out;
	}
	switch (type) {
	case AE_IFREG:
		r = extract_file(x, a, e, rel, name);
		break;
	case AE_IFDIR:
		r = extract_dir(x, e, rel, name);
		break;
	case AE_IFLNK:
		r = extract_symlink(x, e, rel, name);
		break;
	case AE_IFCHR:
	case AE_IFBLK:
		refuse(x, name, "a device file");
		break;
	case AE_IFIFO:
		refuse(x, name, "a FIFO");
		break;
	case AE_IFSOCK:
		refuse(x, name, "a socket");
		break;
	default:
		refuse(x, name, "an unknown member type (0%o)", type);
		break;
	}
out:
	buf_release(&norm);
	return r;
}

/* Give the directories listed in the archive their mtime, now that nothing is added to them. */
static int set_dir_times(struct extract *x)
{
	size_t i;

	for (i = 0; i < x->ndirs; i++) {
		const char *leaf;
		struct timespec ts[2];
		int pfd = open_parent(x, x->dirs[i].rel, &leaf, 0, x->dirs[i].rel);

		if (pfd < 0)
			return -1;
		ts[0] = ts[1] = x->dirs[i].mtime;
		if (utimensat(pfd, leaf, ts, AT_SYMLINK_NOFOLLOW) < 0) {
			close(pfd);
			return refuse(x, x->dirs[i].rel, "cannot set its time: %s", strerror(errno));
		}
		close(pfd);
	}
	return 0;
}

int unpack_extract_at(const char *path, int dirfd, const struct unpack_limits *lim, struct buf *err)
{
	struct extract x;
	struct archive *a;
	struct archive_entry *e;
	struct stat st;
	size_t i;
	int rc, r = -1;

	memset(&x, 0, sizeof(x));
	x.archive = path;
	x.rootfd = dirfd;
	x.lim = lim;
	x.err = err;
	a = open_reader(path, err);
	if (!a)
		return -1;
	if (stat(path, &st) < 0) {
		buf_addf(err, "cannot read archive '%s': %s", path, strerror(errno));
		goto out;
	}
	x.archive_size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		if (unpack_interrupted) {
			buf_addf(err, "interrupted while unpacking '%s'", path);
			goto out;
		}
		if (extract_entry(&x, a, e))
			goto out;
	}
	if (rc != ARCHIVE_EOF) {
		buf_addf(err, "corrupt archive '%s': %s", path, archive_error_string(a));
		goto out;
	}
	if (!x.top) {
		buf_addf(err, "archive '%s' is empty", path);
		goto out;
	}
	r = set_dir_times(&x);
out:
	archive_read_free(a);
	free(x.top);
	nameset_release(&x.names);
	for (i = 0; i < x.ndirs; i++)
		free(x.dirs[i].rel);
	free(x.dirs);
	return r;
}
