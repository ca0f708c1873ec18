/* wheel_extract.c: reading a wheel's zip into a staging directory (see wheel_int.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "fsutil.h"
#include "sha256.h"
#include "unpack/unpack.h"
#include "wheel/wheel_int.h"
#include "util.h"

mode_t wheel_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove the tree at path (symlinks not followed). */
void wheel_remove_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void wheel_remove_dead(const char *dir, const char *prefix, const char *prefix2)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct buf path = BUF_INIT;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *p = de->d_name, *dash;
		char *pid_s;
		long pid;

		if (starts_with(p, prefix))
			p += strlen(prefix);
		else if (prefix2 && starts_with(p, prefix2))
			p += strlen(prefix2);
		else
			continue;
		if (!(dash = strchr(p, '-')))
			continue;
		pid_s = xstrndup(p, (size_t)(dash - p));
		if (parse_int_range(pid_s, 1, 0x7fffffffL, &pid) == 0 && kill((pid_t)pid, 0) == -1 && errno == ESRCH) {
			buf_reset(&path);
			buf_addf(&path, "%s/%s", dir, de->d_name);
			wheel_remove_tree(path.s);
		}
		free(pid_s);
	}
	closedir(d);
	buf_release(&path);
}

static int cmp_member(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->name, ((const struct member *)b)->name);
}

/* The member called name (j->m is sorted once extracted), or NULL. */
const struct member *wheel_job_member(const struct wheel_job *j, const char *name)
{
	struct member key;

	if (!j->nm)
		return NULL;
	key.name = (char *)name;
	return bsearch(&key, j->m, j->nm, sizeof(*j->m), cmp_member);
}

/* Write data to a new file at path (mode 0666 or 0777 less the umask, exec forcing +x). */
int wheel_write_new(const char *path, const void *data, size_t len, int exec, struct buf *err)
{
	int fd;
	const char *p = data;

	if (mkdir_parents(path)) {
		buf_addf(err, "cannot create the directory of '%s': %s", path, strerror(errno));
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		buf_addf(err, "cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	if (write_all(fd, p, len) < 0) {
		buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (exec && fchmod(fd, (0777 & ~wheel_umask()) | 0111)) {
		buf_addf(err, "cannot chmod '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (close(fd)) {
		buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* What a wheel's extraction has written so far, against the limits of sdists (gen/unpack/unpack.h). */
struct wheel_count {
	struct unpack_limits lim;
	uint64_t total, archive_size;
	const char *wheel;
};

static int over_limit(struct wheel_count *c, const struct member *m, struct buf *err)
{
	const struct unpack_limits *l = &c->lim;

	if (l->max_file_size && m->size > l->max_file_size)
		buf_addf(err, "'%s' in '%s' is larger than %llu bytes (WBGEN_UNPACK_LIMITS file-size)", m->name,
			 c->wheel, (unsigned long long)l->max_file_size);
	else if (l->max_total && c->total > l->max_total)
		buf_addf(err, "'%s' unpacks to more than %llu bytes (WBGEN_UNPACK_LIMITS size)", c->wheel,
			 (unsigned long long)l->max_total);
	else if (l->max_ratio && c->total > UNPACK_RATIO_FREE && c->total / l->max_ratio > c->archive_size)
		buf_addf(err, "'%s' unpacks to more than %llu times its size, a decompression bomb? "
			 "(WBGEN_UNPACK_LIMITS ratio)", c->wheel, (unsigned long long)l->max_ratio);
	else
		return 0;
	return -1;
}

/* Copy the current archive entry's data to path, hashing it into m, within c's limits. */
static int extract_member(struct archive *a, const char *path, struct member *m, struct wheel_count *count,
			  struct buf *err)
{
	char block[65536];
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_SIZE];
	struct buf b64 = BUF_INIT;
	la_ssize_t got;
	int fd;

	if (mkdir_parents(path)) {
		buf_addf(err, "cannot create the directory of '%s': %s", path, strerror(errno));
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		buf_addf(err, "cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	sha256_init(&c);
	m->size = 0;
	while ((got = archive_read_data(a, block, sizeof(block))) > 0) {
		sha256_update(&c, block, (size_t)got);
		m->size += (size_t)got;
		count->total += (uint64_t)got;
		if (over_limit(count, m, err)) {
			close(fd);
			return -1;
		}
		if (write_all(fd, block, (size_t)got) < 0) {
			buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (got < 0) {
		buf_addf(err, "corrupt member '%s': %s", m->name, archive_error_string(a));
		close(fd);
		return -1;
	}
	if (m->exec && fchmod(fd, (0777 & ~wheel_umask()) | 0111)) {
		buf_addf(err, "cannot chmod '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (close(fd)) {
		buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	sha256_final(&c, d);
	sha256_b64url(d, &b64);
	if (b64.len >= sizeof(m->hash))
		BUG("sha256 base64 too long");
	memcpy(m->hash, b64.s, b64.len + 1);
	buf_release(&b64);
	return 0;
}

int wheel_extract(struct wheel_job *j, struct buf *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct buf path = BUF_INIT;
	struct stat st;
	struct wheel_count count;
	int rc, ret = -1;

	unpack_limits_init(&count.lim);
	count.total = 0;
	count.archive_size = stat(j->path, &st) == 0 && st.st_size > 0 ? (uint64_t)st.st_size : 0;
	count.wheel = j->path;
	archive_read_support_format_zip_seekable(a);
	if (archive_read_open_filename(a, j->path, 65536) != ARCHIVE_OK) {
		buf_addf(err, "cannot open '%s': %s", j->path, archive_error_string(a));
		archive_read_free(a);
		return -1;
	}
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(e);
		unsigned type = archive_entry_filetype(e);
		struct member *m;

		if (!name || !wheel_path_safe(name, type == AE_IFDIR)) {
			buf_addf(err, "unsafe path '%s' in '%s'", name ? name : "(none)", j->path);
			goto out;
		}
		if (type == AE_IFDIR)
			continue;
		if (type != AE_IFREG || archive_entry_hardlink(e) || archive_entry_symlink(e)) {
			buf_addf(err, "'%s' in '%s' is not a regular file", name, j->path);
			goto out;
		}
		if (count.lim.max_files && j->nm >= count.lim.max_files) {
			buf_addf(err, "'%s' has more than %llu files (WBGEN_UNPACK_LIMITS files)", j->path,
				 (unsigned long long)count.lim.max_files);
			goto out;
		}
		GROW(j->m, j->am, j->nm + 1);
		m = &j->m[j->nm++];
		memset(m, 0, sizeof(*m));
		m->name = xstrdup(name);
		m->exec = (archive_entry_mode(e) & 0111) != 0;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", j->raw, name);
		if (lstat(path.s, &st) == 0) {
			buf_addf(err, "'%s' appears twice in '%s'", name, j->path);
			goto out;
		}
		if (extract_member(a, path.s, m, &count, err))
			goto out;
	}
	if (rc != ARCHIVE_EOF) {
		buf_addf(err, "corrupt wheel '%s': %s", j->path, archive_error_string(a));
		goto out;
	}
	if (j->nm)
		QSORT(j->m, j->nm, cmp_member);
	ret = 0;
out:
	archive_read_free(a);
	buf_release(&path);
	return ret;
}

/* Read member name of j (from its raw copy) into out. */
int wheel_read_member(const struct wheel_job *j, const char *name, struct buf *out, struct buf *err)
{
	struct buf path = BUF_INIT;
	int ret = 0;

	buf_addf(&path, "%s/%s", j->raw, name);
	if (buf_read_file(out, path.s)) {
		buf_addf(err, "cannot read '%s' of '%s': %s", name, j->path, strerror(errno));
		ret = -1;
	}
	buf_release(&path);
	return ret;
}
