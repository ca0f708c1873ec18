/* mirror.c: the static PEP 503 mirror: pages, wheel METADATA, publishing under flock. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "metadata.h"
#include "mirror.h"
#include "names.h"
#include "sha256.h"
#include "strlist.h"
#include "util.h"

void html_escape_to(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default: buf_addch(out, *s);
		}
	}
}

void url_path_escape_to(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (ascii_isalnum(c) || strchr("-._~+!", c))
			buf_addch(out, c);
		else
			buf_addf(out, "%%%02X", c);
	}
}

static int cmp_file(const void *a, const void *b)
{
	const struct mirror_file *const *x = a, *const *y = b;

	return strcmp((*x)->filename, (*y)->filename);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void page_head(struct buf *out, const char *title)
{
	buf_adds(out, "<!DOCTYPE html>\n<html>\n  <head>\n"
		 "    <meta name=\"pypi:repository-version\" content=\"1.0\">\n    <title>");
	html_escape_to(out, title);
	buf_adds(out, "</title>\n  </head>\n  <body>\n");
}

void mirror_project_page(struct buf *out, const char *name, const struct mirror_file *files, size_t nr)
{
	const struct mirror_file **sorted = xreallocarray(NULL, nr ? nr : 1, sizeof(*sorted));
	struct buf title = BUF_INIT;
	size_t i;

	for (i = 0; i < nr; i++)
		sorted[i] = &files[i];
	QSORT(sorted, nr, cmp_file);
	buf_addf(&title, "Links for %s", name);
	page_head(out, title.s);
	buf_adds(out, "    <h1>");
	html_escape_to(out, title.s);
	buf_adds(out, "</h1>\n");
	for (i = 0; i < nr; i++) {
		const struct mirror_file *f = sorted[i];
		struct buf href = BUF_INIT;

		url_path_escape_to(&href, f->filename);
		buf_addf(&href, "#sha256=%s", f->sha256);
		buf_adds(out, "    <a href=\"");
		html_escape_to(out, href.s);
		buf_adds(out, "\"");
		if (f->requires_python) {
			buf_adds(out, " data-requires-python=\"");
			html_escape_to(out, f->requires_python);
			buf_adds(out, "\"");
		}
		if (f->metadata_sha256)
			buf_addf(out, " data-dist-info-metadata=\"sha256=%s\" data-core-metadata=\"sha256=%s\"",
				 f->metadata_sha256, f->metadata_sha256);
		buf_adds(out, ">");
		html_escape_to(out, f->filename);
		buf_adds(out, "</a><br>\n");
		buf_release(&href);
	}
	buf_adds(out, "  </body>\n</html>\n");
	buf_release(&title);
	free(sorted);
}

void mirror_root_page(struct buf *out, const char *const *names, size_t nr)
{
	const char **sorted = xreallocarray(NULL, nr ? nr : 1, sizeof(*sorted));
	size_t i;

	for (i = 0; i < nr; i++)
		sorted[i] = names[i];
	QSORT(sorted, nr, cmp_str);
	page_head(out, "Simple index");
	for (i = 0; i < nr; i++) {
		buf_adds(out, "    <a href=\"");
		url_path_escape_to(out, sorted[i]);
		buf_adds(out, "/\">");
		html_escape_to(out, sorted[i]);
		buf_adds(out, "</a><br>\n");
	}
	buf_adds(out, "  </body>\n</html>\n");
	free(sorted);
}

int wheel_metadata_read(const char *path, struct buf *out, struct buf *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int found = 0, r, ret = -1;

	buf_reset(err);
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		buf_addf(err, "cannot open the wheel '%s': %s", path, archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		const char *slash = name ? strchr(name, '/') : NULL;
		const void *data;
		size_t len;
		la_int64_t off;

		if (!slash || strcmp(slash, "/METADATA") != 0 || (size_t)(slash - name) < 11 ||
		    strncmp(slash - 10, ".dist-info", 10) != 0)
			continue;
		if (found++) {
			buf_addf(err, "wheel '%s' has more than one .dist-info/METADATA", path);
			goto out;
		}
		while ((r = archive_read_data_block(a, &data, &len, &off)) == ARCHIVE_OK)
			buf_add(out, data, len);
		if (r != ARCHIVE_EOF) {
			buf_addf(err, "cannot read '%s' in the wheel '%s': %s", name, path, archive_error_string(a));
			goto out;
		}
	}
	if (r != ARCHIVE_EOF) {
		buf_addf(err, "cannot read the wheel '%s': %s", path, archive_error_string(a));
		goto out;
	}
	if (!found) {
		buf_addf(err, "wheel '%s' has no .dist-info/METADATA", path);
		goto out;
	}
	ret = 0;
out:
	archive_read_free(a);
	return ret;
}

int files_identical(const char *a, const char *b)
{
	int fa = open(a, O_RDONLY | O_CLOEXEC), fb = -1, same = 0;
	char ba[65536], bb[65536];
	struct stat sa, sb;

	if (fa < 0)
		return 0;
	fb = open(b, O_RDONLY | O_CLOEXEC);
	if (fb < 0 || fstat(fa, &sa) < 0 || fstat(fb, &sb) < 0 || sa.st_size != sb.st_size)
		goto out;
	if (sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino) {
		same = 1;
		goto out;
	}
	for (;;) {
		ssize_t na = read(fa, ba, sizeof(ba)), nb, got = 0;

		if (na < 0)
			goto out;
		while (got < na) {
			nb = read(fb, bb + got, (size_t)(na - got));
			if (nb <= 0)
				goto out;
			got += nb;
		}
		if (memcmp(ba, bb, (size_t)na) != 0)
			goto out;
		if (na == 0) {
			same = read(fb, bb, 1) == 0;
			goto out;
		}
	}
out:
	close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

/* Copy src to the new file dst (which must not exist), fsync'd. 0 or -1 (errno). */
static int copy_file(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), outfd, e;
	char b[65536];
	ssize_t n;

	if (in < 0)
		return -1;
	outfd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (outfd < 0) {
		e = errno;
		close(in);
		errno = e;
		return -1;
	}
	while ((n = read(in, b, sizeof(b))) > 0)
		if (write_all(outfd, b, (size_t)n) < 0)
			goto fail;
	if (n < 0 || fsync(outfd) < 0)
		goto fail;
	close(in);
	if (close(outfd) < 0) {
		e = errno;
		unlink(dst);
		errno = e;
		return -1;
	}
	return 0;
fail:
	e = errno;
	close(in);
	close(outfd);
	unlink(dst);
	errno = e;
	return -1;
}

/* Put src at dst atomically: a hard link (or a copy) under a temporary name, then rename. */
static int place_file(const char *src, const char *dir, const char *base, const char *dst, struct buf *err)
{
	char *tmp = xasprintf("%s/.%s.tmp.%ld", dir, base, (long)getpid());
	int ret = -1;

	unlink(tmp);
	if (link(src, tmp) < 0 && copy_file(src, tmp) < 0) {
		buf_addf(err, "cannot copy '%s' to '%s': %s", src, tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, dst) < 0) {
		buf_addf(err, "cannot rename '%s' to '%s': %s", tmp, dst, strerror(errno));
		unlink(tmp);
		goto out;
	}
	ret = 0;
out:
	free(tmp);
	return ret;
}

/* Every writer of a mirror directory holds its lock: a temporary file found there by the lock's
 * holder was left by a writer that died (kill -9). */
static void remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".tmp.")) {
			char *p = xasprintf("%s/%s", dir, de->d_name);

			unlink(p);
			free(p);
		}
	closedir(d);
}

/* The lock of a mirror directory (MIRROR/simple or MIRROR/simple/NAME) lives outside what the
 * mirror serves: MIRROR/.locks/root.lock or MIRROR/.locks/p-NAME.lock. With wait 0, -2 when
 * another process holds it. */
static int lock_dir(const char *dir, int root, int wait, struct buf *err)
{
	const char *slash = strrchr(dir, '/');
	char *locks = root ? xasprintf("%s/../.locks", dir) : xasprintf("%s/../../.locks", dir);
	char *path = root ? xasprintf("%s/root.lock", locks) : xasprintf("%s/p-%s.lock", locks, slash ? slash + 1 : dir);
	int fd;

	if (mkdir_p(locks, 0755) < 0) {
		buf_addf(err, "cannot make '%s': %s", locks, strerror(errno));
		free(locks);
		free(path);
		return -1;
	}
	free(locks);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		buf_addf(err, "cannot open the lock '%s': %s", path, strerror(errno));
		free(path);
		return -1;
	}
	while (flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) < 0) {
		if (!wait && errno == EWOULDBLOCK) {
			close(fd);
			free(path);
			return -2;
		}
		if (errno != EINTR) {
			buf_addf(err, "cannot lock '%s': %s", path, strerror(errno));
			close(fd);
			free(path);
			return -1;
		}
	}
	free(path);
	remove_stale_temps(dir);
	return fd;
}

static void list_dir(const char *dir, struct strlist *out, int want_projects)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (want_projects) {
			char *page = xasprintf("%s/%s/index.html", dir, de->d_name);

			if (path_exists(page))
				strlist_add(out, de->d_name);
			free(page);
		} else if (ends_with(de->d_name, ".whl")) {
			strlist_add(out, de->d_name);
		}
	}
	closedir(d);
	strlist_sort(out);
}

/* Rebuild dir's project page from the wheels present. */
static int write_project_page(const char *dir, const char *name, struct buf *err)
{
	struct strlist files = STRLIST_INIT, owned = STRLIST_INIT;
	struct mirror_file *mf;
	struct buf page = BUF_INIT;
	char *path;
	size_t i;
	int ret = -1;

	list_dir(dir, &files, 0);
	mf = xreallocarray(NULL, files.n ? files.n : 1, sizeof(*mf));
	for (i = 0; i < files.n; i++) {
		struct buf h = BUF_INIT, md = BUF_INIT, e = BUF_INIT;
		struct metadata m;
		char *whl = xasprintf("%s/%s", dir, files.v[i]);
		char *mdpath = xasprintf("%s.metadata", whl);

		memset(&mf[i], 0, sizeof(mf[i]));
		mf[i].filename = files.v[i];
		if (sha256_file_hex(whl, &h) < 0) {
			buf_addf(err, "cannot hash '%s': %s", whl, strerror(errno));
			free(whl);
			free(mdpath);
			buf_release(&h);
			goto out;
		}
		strlist_add_owned(&owned, buf_detach(&h, NULL));
		mf[i].sha256 = owned.v[owned.n - 1];
		if (buf_read_file(&md, mdpath) == 0) {
			unsigned char d[SHA256_DIGEST_SIZE];
			struct sha256 c;

			sha256_init(&c);
			sha256_update(&c, md.s, md.len);
			sha256_final(&c, d);
			sha256_hex(d, &h);
			strlist_add_owned(&owned, buf_detach(&h, NULL));
			mf[i].metadata_sha256 = owned.v[owned.n - 1];
		} else {
			buf_reset(&md);
			if (wheel_metadata_read(whl, &md, &e) < 0)
				buf_reset(&md); /* listed without Requires-Python; publish checked it */
		}
		if (md.len && metadata_parse(md.s, md.len, &m, &e) == 0) {
			const char *rp = metadata_get(&m, "Requires-Python");

			if (rp && *rp) {
				strlist_add(&owned, rp);
				mf[i].requires_python = owned.v[owned.n - 1];
			}
			metadata_release(&m);
		}
		buf_release(&md);
		buf_release(&e);
		free(whl);
		free(mdpath);
	}
	mirror_project_page(&page, name, mf, files.n);
	path = xasprintf("%s/index.html", dir);
	if (write_file(path, page.s, page.len, WRITE_IF_CHANGED) < 0)
		buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
	else
		ret = 0;
	free(path);
out:
	free(mf);
	buf_release(&page);
	strlist_release(&files);
	strlist_release(&owned);
	return ret;
}

/* Rewrite the root page from the project directories, the root lock held. */
static int rewrite_root_page(const char *simple, struct buf *err)
{
	struct strlist names = STRLIST_INIT;
	struct buf page = BUF_INIT;
	char *path = xasprintf("%s/index.html", simple);
	int ret = 0;

	list_dir(simple, &names, 1);
	mirror_root_page(&page, (const char *const *)names.v, names.n);
	if (write_file(path, page.s, page.len, WRITE_IF_CHANGED) < 0) {
		buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
		ret = -1;
	}
	free(path);
	buf_release(&page);
	strlist_release(&names);
	return ret;
}

/* Whether the root page links to project name already (its line as mirror_root_page writes it). */
static int root_lists(const char *simple, const char *name)
{
	struct buf page = BUF_INIT, line = BUF_INIT;
	char *path = xasprintf("%s/index.html", simple);
	int r;

	buf_adds(&line, "    <a href=\"");
	url_path_escape_to(&line, name);
	buf_adds(&line, "/\">");
	r = buf_read_file(&page, path) == 0 && strstr(page.s, line.s) != NULL;
	buf_release(&page);
	buf_release(&line);
	free(path);
	return r;
}

/* The root page lists every project, and rewriting it looks at every project directory (53 ms at
 * 10,000 projects: bench/cluster-model.sh), under one lock: publishes that each took it in turn
 * queued behind one another. So, when the page lacks the project (only then does it change), they
 * coalesce: a publish marks the page stale
 * (MIRROR/.locks/root.stale, after its project page is written) and whoever holds the lock rewrites
 * the page until no mark is left; a publish that finds the lock held leaves its mark to the holder.
 * The holder looks for a mark once more after unlocking: a mark left between its last look and its
 * unlock was left by a publish that found the lock held, which counts on it. */
static int write_root_page(const char *simple, const char *name, struct buf *err)
{
	char *mark = xasprintf("%s/../.locks/root.stale", simple);
	int fd, ret = -1;

	if (root_lists(simple, name)) {
		ret = 0; /* a project the page has: it does not change */
		goto out;
	}
	if (mkdir_parents(mark) < 0 || (fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		buf_addf(err, "cannot mark the root page stale ('%s'): %s", mark, strerror(errno));
		goto out;
	}
	close(fd);
	for (;;) {
		fd = lock_dir(simple, 1, 0, err);
		if (fd == -2) {
			ret = 0; /* the holder rewrites it */
			break;
		}
		if (fd < 0)
			break;
		ret = 0;
		while (ret == 0 && unlink(mark) == 0)
			ret = rewrite_root_page(simple, err);
		if (ret == 0 && errno != ENOENT) {
			buf_addf(err, "cannot remove '%s': %s", mark, strerror(errno));
			ret = -1;
		}
		close(fd);
		if (ret < 0 || !path_exists(mark))
			break;
	}
out:
	free(mark);
	return ret;
}

int mirror_publish(const char *mirror, const char *wheel, unsigned flags, enum mirror_action *action,
		   struct buf *err)
{
	const char *base = strrchr(wheel, '/') ? strrchr(wheel, '/') + 1 : wheel;
	struct wheel_name wn = { 0 };
	struct buf md = BUF_INIT, e = BUF_INIT;
	char *simple = NULL, *dir = NULL, *dst = NULL, *mdpath = NULL, *name = NULL;
	struct metadata m;
	int fd = -1, ret = -1;

	buf_reset(err);
	if (wheel_name_parse(base, &wn, &e) < 0) {
		buf_addf(err, "cannot publish '%s': %s", wheel, e.s);
		goto out;
	}
	if (wheel_metadata_read(wheel, &md, &e) < 0) {
		buf_addf(err, "cannot publish: %s", e.s);
		goto out;
	}
	if (metadata_parse(md.s, md.len, &m, &e) < 0) {
		buf_addf(err, "cannot publish '%s': bad METADATA: %s", wheel, e.s);
		goto out;
	}
	if (!metadata_get(&m, "Name") || name_cmp(metadata_get(&m, "Name"), wn.name) != 0) {
		buf_addf(err, "cannot publish '%s': its METADATA names '%s'", wheel,
			 metadata_get(&m, "Name") ? metadata_get(&m, "Name") : "");
		metadata_release(&m);
		goto out;
	}
	metadata_release(&m);
	name = xstrdup(wn.name);
	simple = xasprintf("%s/simple", mirror);
	dir = xasprintf("%s/%s", simple, name);
	dst = xasprintf("%s/%s", dir, base);
	mdpath = xasprintf("%s.metadata", dst);
	if (mkdir_p(dir, 0755) < 0) {
		buf_addf(err, "cannot make '%s': %s", dir, strerror(errno));
		goto out;
	}
	fd = lock_dir(dir, 0, 1, err);
	if (fd < 0)
		goto out;
	if (files_identical(wheel, dst)) {
		*action = MIRROR_UNCHANGED;
	} else {
		*action = path_exists(dst) ? MIRROR_REPLACED : MIRROR_ADDED;
		if (place_file(wheel, dir, base, dst, err) < 0)
			goto out;
	}
	if ((flags & MIRROR_PEP658) && write_file(mdpath, md.s, md.len, WRITE_IF_CHANGED) < 0) {
		buf_addf(err, "cannot write '%s': %s", mdpath, strerror(errno));
		goto out;
	}
	if (write_project_page(dir, name, err) < 0)
		goto out;
	close(fd);
	fd = -1;
	ret = write_root_page(simple, name, err);
out:
	if (fd >= 0)
		close(fd);
	wheel_name_release(&wn);
	buf_release(&md);
	buf_release(&e);
	free(simple);
	free(dir);
	free(dst);
	free(mdpath);
	free(name);
	return ret;
}
