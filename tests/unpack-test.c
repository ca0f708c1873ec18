/* unpack-test.c: reading top-level members of sdists (tar.gz, tar.bz2, zip), and safe extraction:
 * archives written with libarchive, good ones and each hostile kind. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "fixture.h"
#include "fsutil.h"
#include "unpack/unpack.h"
#include "tap.h"

static char tmpdir[] = "/tmp/wbgen-archive-test-XXXXXX";

static char *write_archive(const char *name, const struct fixture_member *m, size_t n)
{
	char *path = xasprintf("%s/%s", tmpdir, name);

	fixture_archive(path, m, n);
	return path;
}

static const char *const names[] = { "PKG-INFO", "pyproject.toml", "setup.py" };

static void check(const char *what, const char *path, int want_r, const char *want_top, const char *want_pkg,
		  const char *want_toml, const char *want_err)
{
	struct buf out[3] = { BUF_INIT, BUF_INIT, BUF_INIT }, err = BUF_INIT;
	int found[3];
	char *top = NULL;
	int r = unpack_read_top_members(path, names, 3, out, found, &top, &err);
	size_t i;

	is_int(r, want_r, "%s: result", what);
	if (want_r == 0) {
		is_str(top, want_top, "%s: top directory", what);
		is_str(found[0] ? out[0].s : NULL, want_pkg, "%s: PKG-INFO", what);
		is_str(found[1] ? out[1].s : NULL, want_toml, "%s: pyproject.toml", what);
		is_int(found[2], 0, "%s: setup.py absent", what);
	} else {
		ok(strstr(err.s, want_err) != NULL, "%s: error mentions '%s'", what, want_err);
		if (!strstr(err.s, want_err))
			diag("error was '%s'", err.s);
	}
	free(top);
	for (i = 0; i < 3; i++)
		buf_release(&out[i]);
	buf_release(&err);
}

static void test_read_top(void)
{
	static const struct fixture_member sdist[] = {
		{ "foo-1.0", NULL },
		{ "foo-1.0/sub/PKG-INFO", "wrong one" },
		{ "foo-1.0/PKG-INFO", "Metadata-Version: 2.2\nName: foo\n" },
		{ "foo-1.0/pyproject.toml", "[build-system]\n" },
		{ "other/setup.py", "outside the top directory" },
	};
	static const struct fixture_member dotted[] = {
		{ "./foo-2.0/PKG-INFO", "dotted" },
	};
	static const struct fixture_member none[] = {
		{ "foo-3.0/README", "x" },
	};
	char *p;
	FILE *f;

	p = write_archive("foo-1.0.tar.gz", sdist, ARRAY_SIZE(sdist));
	check("tar.gz", p, 0, "foo-1.0", sdist[2].data, sdist[3].data, NULL);
	free(p);
	p = write_archive("foo-1.0.tar.bz2", sdist, ARRAY_SIZE(sdist));
	check("tar.bz2", p, 0, "foo-1.0", sdist[2].data, sdist[3].data, NULL);
	free(p);
	p = write_archive("foo-1.0.zip", sdist, ARRAY_SIZE(sdist));
	check("zip", p, 0, "foo-1.0", sdist[2].data, sdist[3].data, NULL);
	free(p);
	p = write_archive("foo-2.0.tar.gz", dotted, ARRAY_SIZE(dotted));
	check("./ prefix", p, 0, "foo-2.0", "dotted", NULL, NULL);
	free(p);
	p = write_archive("foo-3.0.tar.gz", none, ARRAY_SIZE(none));
	check("no metadata", p, 0, "foo-3.0", NULL, NULL, NULL);
	free(p);
	p = xasprintf("%s/garbage.tar.gz", tmpdir);
	f = fopen(p, "wb");
	fputs("this is not an archive at all, not even close\n", f);
	fclose(f);
	check("garbage", p, -1, NULL, NULL, NULL, "garbage.tar.gz");
	free(p);
	{
		/* a gzip stream cut in the middle */
		char *good = write_archive("cut.tar.gz", sdist, ARRAY_SIZE(sdist));

		if (truncate(good, 60) < 0)
			BUG("truncate");
		check("truncated", good, -1, NULL, NULL, NULL, "cut.tar.gz");
		free(good);
	}
	p = xasprintf("%s/missing.tar.gz", tmpdir);
	check("missing file", p, -1, NULL, NULL, NULL, "cannot open archive");
	free(p);
}


/* ---- extraction */

enum fmt { TGZ, TBZ2, TXZ, ZIP, USTAR_GZ };

/* One archive member: type 'f' file, 'd' directory, 'l' symlink and 'h' hard link (data is the
 * target), 'c' character device, 'b' block device, 'p' FIFO, 's' socket, 'z' size bytes of zeros. */
struct xm {
	const char *path;
	char type;
	const char *data;
	unsigned mode;
	uint64_t size;
};

#define MTIME 1000000000

static char *write_x(const char *name, enum fmt fmt, const struct xm *m, size_t n)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	struct archive *a = archive_write_new();
	size_t i;

	switch (fmt) {
	case ZIP:
		archive_write_set_format_zip(a);
		break;
	case USTAR_GZ:
		archive_write_set_format_gnutar(a);
		archive_write_add_filter_gzip(a);
		break;
	default:
		archive_write_set_format_pax_restricted(a);
		if (fmt == TBZ2)
			archive_write_add_filter_bzip2(a);
		else if (fmt == TXZ)
			archive_write_add_filter_xz(a);
		else
			archive_write_add_filter_gzip(a);
	}
	if (archive_write_open_filename(a, path) != ARCHIVE_OK)
		BUG("cannot write %s: %s", path, archive_error_string(a));
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		unsigned ft = AE_IFREG;
		la_int64_t size = 0;
		int r;

		archive_entry_set_pathname(e, m[i].path);
		switch (m[i].type) {
		case 'd': ft = AE_IFDIR; break;
		case 'l': ft = AE_IFLNK; archive_entry_set_symlink(e, m[i].data); break;
		case 'h': archive_entry_set_hardlink(e, m[i].data); break;
		case 'c': ft = AE_IFCHR; archive_entry_set_rdev(e, 0x103); break;
		case 'b': ft = AE_IFBLK; archive_entry_set_rdev(e, 0x800); break;
		case 'p': ft = AE_IFIFO; break;
		case 's': ft = AE_IFSOCK; break;
		case 'z': size = (la_int64_t)m[i].size; break;
		default: size = (la_int64_t)strlen(m[i].data); break;
		}
		archive_entry_set_filetype(e, ft);
		archive_entry_set_perm(e, m[i].mode ? m[i].mode : ft == AE_IFDIR ? 0755 : 0644);
		archive_entry_set_size(e, size);
		archive_entry_set_mtime(e, MTIME, 0);
		r = archive_write_header(a, e);
		if (r < ARCHIVE_WARN)
			diag("writing '%s' in %s: %s", m[i].path, name, archive_error_string(a));
		if (m[i].type == 'f') {
			archive_write_data(a, m[i].data, strlen(m[i].data));
		} else if (m[i].type == 'z') {
			static char zeros[65536];
			uint64_t left = m[i].size;

			while (left) {
				size_t k = left < sizeof(zeros) ? (size_t)left : sizeof(zeros);

				archive_write_data(a, zeros, k);
				left -= k;
			}
		}
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return path;
}

/* A fresh empty directory under tmpdir. */
static char *fresh_dir(const char *name)
{
	char *d = xasprintf("%s/%s", tmpdir, name);

	if (mkdir(d, 0755) < 0)
		BUG("mkdir %s: %s", d, strerror(errno));
	return d;
}

/* Extract into a fresh directory; the result of unpack_extract_at, the error in err. */
static int extract(const char *archive, const char *dir, const struct unpack_limits *lim, struct buf *err)
{
	struct unpack_limits dflt;
	int fd = open(dir, O_RDONLY | O_DIRECTORY), r;

	if (fd < 0)
		BUG("open %s", dir);
	unpack_limits_init(&dflt);
	r = unpack_extract_at(archive, fd, lim ? lim : &dflt, err);
	close(fd);
	return r;
}

static void expect_refused(const char *what, const struct xm *m, size_t n, enum fmt fmt,
			   const struct unpack_limits *lim, const char *want)
{
	static int serial;
	char *name = xasprintf("hostile-%d.ar", ++serial), *dname = xasprintf("hostile-%d", serial);
	char *archive = write_x(name, fmt, m, n), *dir = fresh_dir(dname);
	struct buf err = BUF_INIT;
	int r = extract(archive, dir, lim, &err);

	is_int(r, -1, "%s: refused", what);
	ok(strstr(err.s, want) != NULL, "%s: error mentions \"%s\"", what, want);
	if (!strstr(err.s, want))
		diag("error was '%s'", err.s);
	ok(!strchr(err.s, '\n'), "%s: the error is one line", what);
	buf_release(&err);
	free(archive);
	free(dir);
	free(name);
	free(dname);
}

/* What a path in the extracted tree must be: 'f' file with content data and mode, 'l' link to data,
 * 'd' directory, '-' absent. */
struct want {
	const char *path;
	char type;
	const char *data;
	unsigned mode;
};

static void check_tree(const char *what, const char *dir, const struct want *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, w[i].path);
		struct stat st;
		int found = lstat(p, &st) == 0;

		if (w[i].type == '-') {
			ok(!found, "%s: '%s' is absent", what, w[i].path);
		} else if (!found) {
			ok(0, "%s: '%s' exists", what, w[i].path);
		} else if (w[i].type == 'd') {
			ok(S_ISDIR(st.st_mode), "%s: '%s' is a directory", what, w[i].path);
			is_int(st.st_mode & 07777, 0755, "%s: '%s' mode", what, w[i].path);
		} else if (w[i].type == 'l') {
			char target[256];
			ssize_t len = readlink(p, target, sizeof(target) - 1);

			target[len < 0 ? 0 : len] = '\0';
			ok(S_ISLNK(st.st_mode), "%s: '%s' is a link", what, w[i].path);
			is_str(target, w[i].data, "%s: '%s' target", what, w[i].path);
			is_int(st.st_mtime, MTIME, "%s: '%s' keeps its mtime", what, w[i].path);
		} else {
			struct buf b = BUF_INIT;

			ok(S_ISREG(st.st_mode), "%s: '%s' is a file", what, w[i].path);
			if (buf_read_file(&b, p) < 0)
				BUG("read %s", p);
			is_str(b.s, w[i].data, "%s: '%s' content", what, w[i].path);
			is_int(st.st_mode & 07777, w[i].mode, "%s: '%s' mode", what, w[i].path);
			is_int(st.st_mtime, MTIME, "%s: '%s' keeps its mtime", what, w[i].path);
			buf_release(&b);
		}
		free(p);
	}
}

static const struct xm good[] = {
	{ "foo-1.0", 'd', NULL, 0775, 0 },
	{ "foo-1.0/setup.py", 'f', "setup()\n", 04755, 0 },
	{ "foo-1.0/run.sh", 'f', "#!/bin/sh\n", 0700, 0 },
	{ "foo-1.0/PKG-INFO", 'f', "Name: foo\n", 0444, 0 },
	{ "foo-1.0/sticky", 'f', "s", 01666, 0 },
	{ "./foo-1.0/./pkg//__init__.py", 'f', "x = 1\n", 0600, 0 },
	{ "foo-1.0/pkg/sub", 'd', NULL, 02777, 0 },
	{ "foo-1.0/pkg/sub/up", 'l', "../../PKG-INFO", 0, 0 },
	{ "foo-1.0/deep/er/file", 'f', "implicit parents\n", 0, 0 },
	{ "foo-1.0/caf\xc3\xa9.txt", 'f', "utf-8\n", 0, 0 },
	{ "foo-1.0/dup", 'f', "first\n", 0, 0 },
	{ "foo-1.0/dup", 'f', "second\n", 0, 0 },
	{ "foo-1.0/pkg", 'd', NULL, 0, 0 },
	{ "foo-1.0/was-link", 'l', "setup.py", 0, 0 },
	{ "foo-1.0/was-link", 'f', "now a file\n", 0, 0 },
	{ "foo-1.0/hard", 'h', "foo-1.0/setup.py", 0, 0 },
};

static const struct want good_tree[] = {
	{ "setup.py", 'f', "setup()\n", 0755 },
	{ "run.sh", 'f', "#!/bin/sh\n", 0755 },
	{ "PKG-INFO", 'f', "Name: foo\n", 0644 },
	{ "sticky", 'f', "s", 0644 },
	{ "pkg/__init__.py", 'f', "x = 1\n", 0644 },
	{ "pkg", 'd', NULL, 0 },
	{ "pkg/sub", 'd', NULL, 0 },
	{ "pkg/sub/up", 'l', "../../PKG-INFO", 0 },
	{ "deep/er/file", 'f', "implicit parents\n", 0644 },
	{ "deep/er", 'd', NULL, 0 },
	{ "caf\xc3\xa9.txt", 'f', "utf-8\n", 0644 },
	{ "dup", 'f', "second\n", 0644 },
	{ "was-link", 'f', "now a file\n", 0644 },
	{ "hard", 'f', "setup()\n", 0755 },
	{ "foo-1.0", '-', NULL, 0 },
};

static void test_good(void)
{
	static const struct {
		const char *what;
		enum fmt fmt;
		size_t n; /* members of good[] used (zip has no hard links) */
	} cases[] = {
		{ "tar.gz", TGZ, ARRAY_SIZE(good) },
		{ "tar.bz2", TBZ2, ARRAY_SIZE(good) },
		{ "tar.xz", TXZ, ARRAY_SIZE(good) },
		{ "gnu tar.gz", USTAR_GZ, ARRAY_SIZE(good) },
		{ "zip", ZIP, ARRAY_SIZE(good) - 1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *name = xasprintf("good-%zu.ar", i), *dname = xasprintf("good-%zu", i);
		char *archive = write_x(name, cases[i].fmt, good, cases[i].n), *dir = fresh_dir(dname);
		struct buf err = BUF_INIT;
		struct stat st, st2;
		char *p;

		is_int(extract(archive, dir, NULL, &err), 0, "%s: extracts", cases[i].what);
		if (err.len)
			diag("error: %s", err.s);
		check_tree(cases[i].what, dir, good_tree, cases[i].n == ARRAY_SIZE(good) ? ARRAY_SIZE(good_tree) : ARRAY_SIZE(good_tree) - 2);
		p = xasprintf("%s/pkg/sub", dir);
		ok(lstat(p, &st) == 0 && st.st_mtime == MTIME, "%s: a listed directory keeps its mtime", cases[i].what);
		free(p);
		if (cases[i].n == ARRAY_SIZE(good)) {
			char *a = xasprintf("%s/hard", dir), *b = xasprintf("%s/setup.py", dir);

			ok(stat(a, &st) == 0 && stat(b, &st2) == 0 && st.st_ino == st2.st_ino, "%s: a hard link", cases[i].what);
			free(a);
			free(b);
		}
		buf_release(&err);
		free(archive);
		free(dir);
		free(name);
		free(dname);
	}
}

#define T "foo-1.0/"
static const struct xm h_abs[] = { { T, 'd', NULL, 0, 0 }, { "/etc/evil", 'f', "x", 0, 0 } };
static const struct xm h_dotdot[] = { { T "a/../../evil", 'f', "x", 0, 0 } };
static const struct xm h_dotdot_end[] = { { T "a", 'd', NULL, 0, 0 }, { T "a/..", 'd', NULL, 0, 0 } };
static const struct xm h_sym_abs[] = { { T "evil", 'l', "/etc/passwd", 0, 0 } };
static const struct xm h_sym_up[] = { { T "a/evil", 'l', "../../x", 0, 0 } };
static const struct xm h_sym_top[] = { { T "evil", 'l', "..", 0, 0 } };
static const struct xm h_sym_mid[] = { { T "d", 'd', NULL, 0, 0 }, { T "evil", 'l', "d/../../x", 0, 0 } };
static const struct xm h_sym_empty[] = { { T "evil", 'l', "", 0, 0 } };
static const struct xm h_through[] = { { T "l", 'l', ".", 0, 0 }, { T "l/x", 'f', "x", 0, 0 } };
static const struct xm h_through_dir[] = { { T "sub/l", 'l', "..", 0, 0 }, { T "sub/l/sub/x", 'f', "x", 0, 0 } };
static const struct xm h_hard_out[] = { { T "evil", 'h', "/etc/passwd", 0, 0 } };
static const struct xm h_hard_other[] = { { T "x", 'f', "x", 0, 0 }, { T "evil", 'h', "bar-1.0/x", 0, 0 } };
static const struct xm h_hard_missing[] = { { T "evil", 'h', T "nothing", 0, 0 } };
static const struct xm h_hard_dir[] = { { T "d", 'd', NULL, 0, 0 }, { T "evil", 'h', T "d", 0, 0 } };
static const struct xm h_hard_link[] = { { T "l", 'l', "x", 0, 0 }, { T "evil", 'h', T "l", 0, 0 } };
static const struct xm h_hard_self[] = { { T "x", 'f', "x", 0, 0 }, { T "x", 'h', T "x", 0, 0 } };
static const struct xm h_chr[] = { { T "null", 'c', NULL, 0, 0 } };
static const struct xm h_blk[] = { { T "sda", 'b', NULL, 0, 0 } };
static const struct xm h_fifo[] = { { T "pipe", 'p', NULL, 0, 0 } };
static const struct xm h_special[] = { { T "special", 'f', "x", 0, 0 } };
static const struct xm h_case[] = { { T "README", 'f', "a", 0, 0 }, { T "readme", 'f', "b", 0, 0 } };
static const struct xm h_case_dir[] = { { T "Pkg/a", 'f', "a", 0, 0 }, { T "pkg/b", 'f', "b", 0, 0 } };
static const struct xm h_case_top[] = { { T "a", 'f', "a", 0, 0 }, { "FOO-1.0/b", 'f', "b", 0, 0 } };
static const struct xm h_two_tops[] = { { T "a", 'f', "a", 0, 0 }, { "bar-1.0/b", 'f', "b", 0, 0 } };
static const struct xm h_no_top[] = { { "setup.py", 'f', "x", 0, 0 } };
static const struct xm h_top_file[] = { { T "a", 'f', "a", 0, 0 }, { "foo-1.0", 'f', "b", 0, 0 } };
static const struct xm h_ctl[] = { { T "a\x1b[31m", 'f', "x", 0, 0 } };
static const struct xm h_del[] = { { T "a\x7f", 'f', "x", 0, 0 } };
static const struct xm h_c1[] = { { T "a\xc2\x85", 'f', "x", 0, 0 } };
static const struct xm h_latin1[] = { { T "caf\xe9", 'f', "x", 0, 0 } };
static const struct xm h_overlong[] = { { T "\xc0\xaf", 'f', "x", 0, 0 } };
static const struct xm h_surrogate[] = { { T "\xed\xa0\x80", 'f', "x", 0, 0 } };
static const struct xm h_newline[] = { { T "a\nb", 'f', "x", 0, 0 } };
static const struct xm h_sym_ctl[] = { { T "l", 'l', "a\tb", 0, 0 } };
static const struct xm h_dir_file[] = { { T "x", 'd', NULL, 0, 0 }, { T "x", 'f', "x", 0, 0 } };
static const struct xm h_file_dir[] = { { T "x", 'f', "x", 0, 0 }, { T "x", 'd', NULL, 0, 0 } };
static const struct xm h_file_parent[] = { { T "x", 'f', "x", 0, 0 }, { T "x/y", 'f', "y", 0, 0 } };
static const struct xm h_big[] = { { T "big", 'f', "0123456789a", 0, 0 } };
static const struct xm h_total[] = { { T "a", 'f', "0123456789", 0, 0 }, { T "b", 'f', "0123456789", 0, 0 } };
static const struct xm h_many[] = { { T, 'd', NULL, 0, 0 }, { T "a", 'f', "", 0, 0 }, { T "b", 'f', "", 0, 0 },
				    { T "c", 'f', "", 0, 0 } };
static const struct xm h_bomb[] = { { T "zeros", 'z', NULL, 0, (uint64_t)70 << 20 } };

/* libarchive writes no FIFO or socket in a zip: write a file and change its mode in the central directory. */
static void zip_special(const char *what, unsigned mode, const char *want)
{
	char *archive = write_x("special.zip", ZIP, h_special, 1), *dir;
	struct buf b = BUF_INIT, err = BUF_INIT;
	size_t i;

	if (buf_read_file(&b, archive) < 0)
		BUG("read %s", archive);
	for (i = 0; i + 46 < b.len; i++)
		if (memcmp(b.s + i, "PK\1\2", 4) == 0)
			break;
	if (i + 46 >= b.len)
		BUG("no central directory in %s", archive);
	b.s[i + 40] = (char)(mode & 0xff);
	b.s[i + 41] = (char)(mode >> 8);
	if (write_file(archive, b.s, b.len, WRITE_NOSYNC) < 0)
		BUG("write %s", archive);
	dir = xasprintf("%s/special-%o", tmpdir, mode);
	if (mkdir(dir, 0755) < 0)
		BUG("mkdir");
	is_int(extract(archive, dir, NULL, &err), -1, "%s: refused", what);
	ok(strstr(err.s, want) != NULL, "%s: error mentions \"%s\"", what, want);
	if (!strstr(err.s, want))
		diag("error was '%s'", err.s);
	buf_release(&b);
	buf_release(&err);
	free(archive);
	free(dir);
}

static void test_hostile(void)
{
	struct unpack_limits small;
	static char deep[300 * 2 + 16], longname[5000];
	struct xm h_deep[1] = { { deep, 'f', "x", 0, 0 } }, h_long[1] = { { longname, 'f', "x", 0, 0 } };
	size_t i;

	expect_refused("absolute name", h_abs, ARRAY_SIZE(h_abs), TGZ, NULL, "'/etc/evil' of '");
	expect_refused("absolute name: reason", h_abs, ARRAY_SIZE(h_abs), TGZ, NULL, "an absolute name");
	expect_refused("'..' in a name", h_dotdot, ARRAY_SIZE(h_dotdot), TGZ, NULL, "a '..' component");
	expect_refused("'..' ending a name", h_dotdot_end, ARRAY_SIZE(h_dotdot_end), TGZ, NULL, "a '..' component");
	expect_refused("'..' in a zip name", h_dotdot, ARRAY_SIZE(h_dotdot), ZIP, NULL, "a '..' component");
	expect_refused("absolute link", h_sym_abs, ARRAY_SIZE(h_sym_abs), TGZ, NULL, "an absolute link target ('/etc/passwd')");
	expect_refused("link climbing out", h_sym_up, ARRAY_SIZE(h_sym_up), TGZ, NULL, "a link target outside the tree");
	expect_refused("link to the tree's parent", h_sym_top, ARRAY_SIZE(h_sym_top), TGZ, NULL, "outside the tree");
	expect_refused("link with '..' after a name", h_sym_mid, ARRAY_SIZE(h_sym_mid), TGZ, NULL, "'..' after a name");
	expect_refused("link with an empty target", h_sym_empty, ARRAY_SIZE(h_sym_empty), TGZ, NULL, "link");
	expect_refused("link in zip climbing out", h_sym_up, ARRAY_SIZE(h_sym_up), ZIP, NULL, "outside the tree");
	expect_refused("member through an earlier link", h_through, ARRAY_SIZE(h_through), TGZ, NULL, "'l' is not a directory");
	expect_refused("member through a link in a subdirectory", h_through_dir, ARRAY_SIZE(h_through_dir), TGZ, NULL,
		       "'sub/l' is not a directory");
	expect_refused("hard link out", h_hard_out, ARRAY_SIZE(h_hard_out), TGZ, NULL, "a hard link to '/etc/passwd', outside the tree");
	expect_refused("hard link to another top", h_hard_other, ARRAY_SIZE(h_hard_other), TGZ, NULL, "outside the tree");
	expect_refused("hard link to nothing", h_hard_missing, ARRAY_SIZE(h_hard_missing), TGZ, NULL, "not a regular file extracted earlier");
	expect_refused("hard link to a directory", h_hard_dir, ARRAY_SIZE(h_hard_dir), TGZ, NULL, "not a regular file");
	expect_refused("hard link to a symlink", h_hard_link, ARRAY_SIZE(h_hard_link), TGZ, NULL, "not a regular file");
	expect_refused("hard link to itself", h_hard_self, ARRAY_SIZE(h_hard_self), TGZ, NULL, "a hard link to itself");
	expect_refused("character device", h_chr, ARRAY_SIZE(h_chr), TGZ, NULL, "a device file");
	expect_refused("block device", h_blk, ARRAY_SIZE(h_blk), TGZ, NULL, "a device file");
	expect_refused("FIFO", h_fifo, ARRAY_SIZE(h_fifo), TGZ, NULL, "a FIFO");
	/* (libarchive reads a FIFO mode in a zip as a regular file: nothing to refuse there) */
	zip_special("socket in zip", 0140644, "a socket");
	zip_special("device in zip", 0020644, "a device file");
	expect_refused("names differing in case", h_case, ARRAY_SIZE(h_case), TGZ, NULL, "'foo-1.0/readme' of '");
	expect_refused("names differing in case: reason", h_case, ARRAY_SIZE(h_case), TGZ, NULL, "differs only in case from 'README'");
	expect_refused("directories differing in case", h_case_dir, ARRAY_SIZE(h_case_dir), TGZ, NULL, "differs only in case from 'Pkg'");
	expect_refused("top directories differing in case", h_case_top, ARRAY_SIZE(h_case_top), TGZ, NULL, "outside the top-level directory");
	expect_refused("two top directories", h_two_tops, ARRAY_SIZE(h_two_tops), TGZ, NULL, "outside the top-level directory 'foo-1.0'");
	expect_refused("no top directory", h_no_top, ARRAY_SIZE(h_no_top), TGZ, NULL, "not inside a top-level directory");
	expect_refused("top directory as a file", h_top_file, ARRAY_SIZE(h_top_file), TGZ, NULL, "the top-level directory is not a directory");
	expect_refused("escape sequence in a name", h_ctl, ARRAY_SIZE(h_ctl), TGZ, NULL, "'foo-1.0/a\\x1b[31m' of '");
	expect_refused("escape sequence: reason", h_ctl, ARRAY_SIZE(h_ctl), TGZ, NULL, "a control character");
	expect_refused("DEL in a name", h_del, ARRAY_SIZE(h_del), TGZ, NULL, "a control character");
	expect_refused("C1 control in a name", h_c1, ARRAY_SIZE(h_c1), TGZ, NULL, "a control character");
	expect_refused("newline in a name", h_newline, ARRAY_SIZE(h_newline), TGZ, NULL, "'foo-1.0/a\\x0ab'");
	expect_refused("Latin-1 name", h_latin1, ARRAY_SIZE(h_latin1), USTAR_GZ, NULL, "'foo-1.0/caf\\xe9' of");
	expect_refused("Latin-1 name: reason", h_latin1, ARRAY_SIZE(h_latin1), USTAR_GZ, NULL, "not valid UTF-8");
	expect_refused("overlong UTF-8", h_overlong, ARRAY_SIZE(h_overlong), USTAR_GZ, NULL, "not valid UTF-8");
	expect_refused("UTF-8 surrogate", h_surrogate, ARRAY_SIZE(h_surrogate), USTAR_GZ, NULL, "not valid UTF-8");
	expect_refused("control character in a link target", h_sym_ctl, ARRAY_SIZE(h_sym_ctl), TGZ, NULL, "a control character ('a\\x09b')");
	expect_refused("directory then file", h_dir_file, ARRAY_SIZE(h_dir_file), TGZ, NULL, "a directory of the same name came earlier");
	expect_refused("file then directory", h_file_dir, ARRAY_SIZE(h_file_dir), TGZ, NULL, "a non-directory of the same name");
	expect_refused("file used as a directory", h_file_parent, ARRAY_SIZE(h_file_parent), TGZ, NULL, "'x' is not a directory");
	for (i = 0; i + 2 < sizeof(deep) - 16; i += 2)
		memcpy(deep + i, "d/", 2);
	memcpy(deep, "foo-1.0/", 8);
	memcpy(deep + i, "f", 2);
	expect_refused("nested too deep", h_deep, 1, TGZ, NULL, "more than 256 levels deep");
	memset(longname, 'n', sizeof(longname) - 1);
	memcpy(longname, "foo-1.0/", 8);
	expect_refused("name too long", h_long, 1, TGZ, NULL, "longer than 4095 bytes");

	unpack_limits_init(&small);
	small.max_file_size = 10;
	expect_refused("file size limit", h_big, ARRAY_SIZE(h_big), TGZ, &small, "larger than 10 bytes (see --max-file-size)");
	expect_refused("file size limit in zip", h_big, ARRAY_SIZE(h_big), ZIP, &small, "larger than 10 bytes");
	unpack_limits_init(&small);
	small.max_total = 15;
	expect_refused("total size limit", h_total, ARRAY_SIZE(h_total), TGZ, &small, "more than 15 bytes (see --max-size)");
	unpack_limits_init(&small);
	small.max_files = 3;
	expect_refused("member count limit", h_many, ARRAY_SIZE(h_many), TGZ, &small, "more than 3 members (see --max-files)");
	expect_refused("decompression bomb", h_bomb, ARRAY_SIZE(h_bomb), TGZ, NULL, "more than 200 times its size");
	expect_refused("decompression bomb in xz", h_bomb, ARRAY_SIZE(h_bomb), TXZ, NULL, "a decompression bomb");
}

/* "./" as a member is the archive's root, skipped; as a file it is refused. */
static void test_dot_root(void)
{
	static const struct xm dotroot[] = { { "./", 'd', NULL, 0, 0 }, { "./foo-1.0/", 'd', NULL, 0, 0 },
					     { "./foo-1.0/a", 'f', "a", 0, 0 } };
	static const struct xm dotfile[] = { { "foo-1.0/a", 'f', "a", 0, 0 }, { ".", 'f', "x", 0, 0 } };
	static const struct want w[] = { { "a", 'f', "a", 0644 } };
	char *a = write_x("dotroot.ar", TGZ, dotroot, ARRAY_SIZE(dotroot)), *d = fresh_dir("dotroot");
	struct buf err = BUF_INIT;

	is_int(extract(a, d, NULL, &err), 0, "a './' member is the archive's root");
	check_tree("'./' root", d, w, ARRAY_SIZE(w));
	buf_release(&err);
	free(a);
	free(d);
	expect_refused("'.' as a file", dotfile, ARRAY_SIZE(dotfile), TGZ, NULL, "an empty name");
}

/* Limits set to 0 are off; limits just at the edge pass. */
static void test_limits_pass(void)
{
	struct unpack_limits l;
	struct buf err = BUF_INIT;
	char *a, *d;

	a = write_x("edge.ar", TGZ, h_many, ARRAY_SIZE(h_many));
	d = fresh_dir("edge");
	unpack_limits_init(&l);
	l.max_files = 4;
	l.max_file_size = 1;
	l.max_total = 1;
	is_int(extract(a, d, &l, &err), 0, "limits at the edge pass");
	free(a);
	free(d);
	a = write_x("off.ar", TGZ, h_bomb, ARRAY_SIZE(h_bomb));
	d = fresh_dir("off");
	memset(&l, 0, sizeof(l));
	is_int(extract(a, d, &l, &err), 0, "limits set to 0 are off (the bomb passes)");
	free(a);
	free(d);
	buf_release(&err);
}

/* A pre-existing link in the destination is never written through. */
static void test_preexisting_link(void)
{
	static const struct xm through[] = { { T "esc/x", 'f', "x", 0, 0 } };
	static const struct xm over[] = { { T "esc", 'f', "replaced", 0, 0 } };
	char *outside = fresh_dir("outside"), *d = fresh_dir("pre"), *link = xasprintf("%s/esc", d);
	char *a = write_x("pre1.ar", TGZ, through, 1), *b = write_x("pre2.ar", TGZ, over, 1), *p;
	struct buf err = BUF_INIT;
	struct stat st;
	DIR *dir;
	int n = 0;

	if (symlink(outside, link) < 0)
		BUG("symlink");
	is_int(extract(a, d, NULL, &err), -1, "a member under a pre-existing link is refused");
	ok(strstr(err.s, "'esc' is not a directory") != NULL, "... saying so");
	buf_reset(&err);
	is_int(extract(b, d, NULL, &err), 0, "a member replacing a pre-existing link");
	ok(lstat(link, &st) == 0 && S_ISREG(st.st_mode), "... replaces the link, not its target");
	dir = opendir(outside);
	while (dir && readdir(dir))
		n++;
	if (dir)
		closedir(dir);
	is_int(n, 2, "nothing was written in the link's target");
	p = xasprintf("%s/x", outside);
	ok(lstat(p, &st) < 0, "no file appeared through the link");
	free(p);
	buf_release(&err);
	free(outside);
	free(d);
	free(link);
	free(a);
	free(b);
}

/* No entry of dir starts with ".", i.e. no temporary directory is left. */
static int no_hidden(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int clean = 1;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			clean = 0;
	closedir(d);
	return clean;
}

static void test_sdist(void)
{
	static const struct xm hostile[] = { { T "ok", 'f', "fine", 0, 0 }, { T "../evil", 'f', "x", 0, 0 } };
	char *a = write_x("sdist.tar.gz", TGZ, good, ARRAY_SIZE(good)), *h = write_x("bad.tar.gz", TGZ, hostile, 2);
	char *area = fresh_dir("area"), *dest = xasprintf("%s/new/src", area), *parent = xasprintf("%s/new", area);
	char *patch = xasprintf("%s/fix.patch", tmpdir), *bad = xasprintf("%s/bad.patch", tmpdir), *p;
	const char *patches[2];
	struct unpack_options o;
	struct buf err = BUF_INIT, b = BUF_INIT;
	struct stat st, sa;

	unpack_options_init(&o);
	is_int(unpack_sdist(a, dest, &o, &err), 0, "unpack_sdist: extracts, creating missing parents");
	p = xasprintf("%s/setup.py", dest);
	ok(stat(p, &st) == 0, "unpack_sdist: the content is in dest");
	free(p);
	ok(stat(dest, &st) == 0 && stat(a, &sa) == 0 && st.st_mtime >= sa.st_mtime && (st.st_mode & 07777) == 0755,
	   "unpack_sdist: dest is 0755 and newer than the sdist");
	ok(no_hidden(parent), "unpack_sdist: no temporary directory left");
	p = xasprintf("%s/slash/", area);
	is_int(unpack_sdist(a, p, &o, &err), 0, "unpack_sdist: dest with a trailing slash");
	p[strlen(p) - 1] = '\0';
	ok(no_hidden(p) && stat(p, &st) == 0, "... is the same directory");
	free(p);
	is_int(unpack_sdist(a, dest, &o, &err), -1, "unpack_sdist: an existing dest is refused");
	ok(strstr(err.s, "already exists (use --force to replace it)") != NULL, "... saying so");
	buf_reset(&err);
	p = xasprintf("%s/stale", dest);
	if (write_file(p, "x", 1, WRITE_NOSYNC) < 0)
		BUG("write");
	o.force = 1;
	is_int(unpack_sdist(a, dest, &o, &err), 0, "unpack_sdist: --force replaces dest");
	ok(lstat(p, &st) < 0, "... and the old tree is gone");
	ok(no_hidden(parent), "... without leaving a temporary");
	free(p);
	o.force = 0;

	p = xasprintf("%s/h", area);
	is_int(unpack_sdist(h, p, &o, &err), -1, "unpack_sdist: a hostile sdist fails");
	free(p);
	ok(strstr(err.s, "'foo-1.0/../evil'") != NULL, "... naming the member");
	ok(no_hidden(area), "... leaving no temporary");
	p = xasprintf("%s/h", area);
	ok(lstat(p, &st) < 0, "... and no dest");
	free(p);
	buf_reset(&err);

	{
		static const char fix[] = "--- a/PKG-INFO\n+++ b/PKG-INFO\n@@ -1 +1 @@\n-Name: foo\n+Name: bar\n";
		static const char wrong[] = "--- a/PKG-INFO\n+++ b/PKG-INFO\n@@ -1 +1 @@\n-Name: baz\n+Name: qux\n";

		if (write_file(patch, fix, strlen(fix), WRITE_NOSYNC) < 0 ||
		    write_file(bad, wrong, strlen(wrong), WRITE_NOSYNC) < 0)
			BUG("write patch");
	}
	patches[0] = patch;
	patches[1] = bad;
	o.patches = patches;
	o.npatches = 1;
	p = xasprintf("%s/patched", area);
	is_int(unpack_sdist(a, p, &o, &err), 0, "unpack_sdist: a patch applies");
	free(p);
	p = xasprintf("%s/patched/PKG-INFO", area);
	buf_read_file(&b, p);
	is_str(b.s, "Name: bar\n", "... and changed the file");
	free(p);
	o.npatches = 2;
	p = xasprintf("%s/unpatched", area);
	is_int(unpack_sdist(a, p, &o, &err), -1, "unpack_sdist: a patch that does not apply fails");
	ok(lstat(p, &st) < 0 && no_hidden(area), "... leaving no dest and no temporary");
	ok(starts_with(err.s, "patch '") && strstr(err.s, "bad.patch' does not apply to '") != NULL, "... naming it");
	ok(strstr(err.s, "\n  ") != NULL, "... followed by patch's output");
	free(p);
	buf_reset(&err);
	o.npatches = 1;
	patches[0] = "/nonexistent/x.patch";
	p = xasprintf("%s/nopatch", area);
	is_int(unpack_sdist(a, p, &o, &err), -1, "unpack_sdist: a missing patch fails");
	ok(strstr(err.s, "cannot read patch '/nonexistent/x.patch'") != NULL, "... naming it");
	free(p);
	buf_release(&err);
	buf_release(&b);
	free(a);
	free(h);
	free(area);
	free(dest);
	free(parent);
	free(patch);
	free(bad);
}

int main(void)
{
	char *cmd;

	plan_no_plan();
	if (!mkdtemp(tmpdir))
		BUG("mkdtemp");
	test_read_top();
	test_good();
	test_hostile();
	test_dot_root();
	test_limits_pass();
	test_preexisting_link();
	test_sdist();
	is_int(unpack_remove_tree(tmpdir), 0, "unpack_remove_tree removes the whole scratch tree");
	ok(!path_exists(tmpdir), "... which is gone");
	if (path_exists(tmpdir)) {
		cmd = xasprintf("rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			diag("could not remove %s", tmpdir);
		free(cmd);
	}
	return done_testing();
}
