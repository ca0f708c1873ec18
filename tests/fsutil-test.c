/* fsutil-test.c: atomic writes (write-if-changed keeps the mtime), link_or_copy() both ways, the
 * count of files put in place, absolute paths, removing a tree. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "tap.h"

static char *at(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static int has_content(const char *path, const char *want)
{
	return file_equals(path, want, strlen(want));
}

/* Files whose name holds ".tmp." anywhere under dir (a leftover temporary). */
static int temps_under(const char *dir)
{
	char *cmd = xasprintf("find '%s' -name '*.tmp.*' | grep -q .", dir);
	int r = system(cmd) == 0;

	free(cmd);
	return r;
}

/* path_absolute: an absolute path stays, a relative one is made absolute */
static void test_paths(void)
{
	char *p = path_absolute("/a/b");

	is_str(p, "/a/b", "an absolute path stays");
	free(p);
	p = path_absolute("rel/x");
	ok(p[0] == '/' && ends_with(p, "/rel/x"), "a relative path is made absolute");
	free(p);
}

/* remove_tree: a tree, a file, a missing path */
static void test_remove_tree(const char *dir)
{
	char *p = at(dir, "rm/a/b"), *f = at(dir, "rm/a/b/c.txt"), *top = at(dir, "rm");

	ok(mkdir_p(p, 0755) == 0 && write_file(f, "x", 1, WRITE_NOSYNC) == 0, "a tree to remove");
	ok(remove_tree(f) == 0 && !path_exists(f), "remove_tree of a file");
	ok(remove_tree(top) == 0 && !path_exists(top), "remove_tree of a tree");
	ok(remove_tree(top) == 0, "remove_tree of a missing path");
	free(p);
	free(f);
	free(top);
}

int main(void)
{
	char dir[] = "/tmp/wbgen-fsutil-test.XXXXXX";
	struct stat s1, s2, s3;
	char *src, *dst, *p;
	unsigned long n0;
	int r;

	plan_no_plan();
	if (!mkdtemp(dir))
		return 99;

	/* write_file: parents made, counted only when written, an identical file left alone */
	p = at(dir, "a/b/c.txt");
	n0 = fsutil_files_placed();
	ok(write_file(p, "one\n", 4, WRITE_IF_CHANGED | WRITE_NOSYNC) == 0, "write_file with missing parents");
	ok(has_content(p, "one\n"), "... the content");
	is_int((long long)(fsutil_files_placed() - n0), 1, "... counted as placed");
	{
		struct timespec ts[2] = { { 1000000, 0 }, { 1000000, 0 } };

		utimensat(AT_FDCWD, p, ts, 0);
	}
	stat(p, &s1);
	ok(write_file(p, "one\n", 4, WRITE_IF_CHANGED | WRITE_NOSYNC) == 0, "the same content again");
	stat(p, &s2);
	ok(s1.st_ino == s2.st_ino && s2.st_mtime == 1000000, "... leaves the file (and its mtime) alone");
	is_int((long long)(fsutil_files_placed() - n0), 1, "... not counted");
	ok(write_file(p, "two\n", 4, WRITE_IF_CHANGED) == 0 && has_content(p, "two\n"), "new content replaces it");
	is_int((long long)(fsutil_files_placed() - n0), 2, "... counted");
	free(p);

	/* link_or_copy: a hard link where possible */
	src = at(dir, "cache/f");
	dst = at(dir, "out/sdists/f.tar.gz");
	ok(write_file(src, "payload", 7, WRITE_NOSYNC) == 0, "a cache file");
	n0 = fsutil_files_placed();
	r = link_or_copy(src, dst, 0);
	is_int(r, 1, "link_or_copy links on one file system (parents made)");
	ok(stat(src, &s1) == 0 && stat(dst, &s2) == 0 && s1.st_ino == s2.st_ino && s2.st_nlink == 2,
	   "... the same file");
	is_int((long long)(fsutil_files_placed() - n0), 1, "... counted as placed");
	/* the cache replaces a file by rename: the link keeps the old content */
	ok(write_file(src, "other", 5, WRITE_NOSYNC) == 0, "the cache file replaced by rename");
	ok(has_content(dst, "payload") && has_content(src, "other"), "... the linked file keeps its content");
	stat(dst, &s3);
	is_int((long long)s3.st_nlink, 1, "... and is on its own");

	/* over an existing file: replaced */
	r = link_or_copy(src, dst, 0);
	ok(r == 1 && has_content(dst, "other"), "link_or_copy replaces an existing dst");

	/* PLACE_KEEP: an existing dst stays (linking or copying) */
	{
		char *other = at(dir, "cache/other");

		ok(write_file(other, "keep-me", 7, WRITE_NOSYNC) == 0, "another file");
		ok(link_or_copy(src, other, PLACE_KEEP) == 1 && has_content(other, "keep-me"),
		   "PLACE_KEEP leaves an existing dst alone");
		ok(link_or_copy(src, other, PLACE_KEEP | PLACE_COPY) == 1 && has_content(other, "keep-me"),
		   "... when copying too");
		unlink(other);
		ok(link_or_copy(src, other, PLACE_KEEP) == 1 && has_content(other, "other"), "... and places a missing one");
		free(other);
	}

	/* PLACE_COPY: an independent copy, 0644, through a temporary file */
	unlink(dst);
	r = link_or_copy(src, dst, PLACE_COPY);
	is_int(r, 0, "PLACE_COPY copies");
	ok(stat(src, &s1) == 0 && stat(dst, &s2) == 0 && s1.st_ino != s2.st_ino && s2.st_nlink == 1,
	   "... a different file");
	ok(has_content(dst, "other"), "... with the same content");
	is_int((long long)(s2.st_mode & 0777), 0644, "... mode 0644");
	ok(write_file(src, "third", 5, WRITE_NOSYNC) == 0 && has_content(dst, "other"),
	   "... unaffected when the source is replaced");
	r = link_or_copy(src, dst, PLACE_COPY);
	ok(r == 0 && has_content(dst, "third"), "a copy over an existing dst replaces it");
	{
		struct buf big = BUF_INIT;
		size_t i;
		char *bsrc = at(dir, "cache/big"), *bdst = at(dir, "out2/x/big");

		for (i = 0; i < 200000; i++)
			buf_addch(&big, (char)('a' + i % 23));
		ok(write_file(bsrc, big.s, big.len, WRITE_NOSYNC) == 0 &&
		   link_or_copy(bsrc, bdst, PLACE_COPY) == 0 && file_equals(bdst, big.s, big.len),
		   "a copy of a file larger than the copy buffer (missing parents made)");
		buf_release(&big);
		free(bsrc);
		free(bdst);
	}

	/* another file system (tmpfs, when there is one): link() fails with EXDEV, a copy is made */
	{
		char other[] = "/dev/shm/wbgen-fsutil-test.XXXXXX";
		struct stat d1, d2;

		if (stat("/dev/shm", &d1) == 0 && stat(dir, &d2) == 0 && d1.st_dev != d2.st_dev && mkdtemp(other)) {
			char *osrc = at(other, "f"), *odst = at(dir, "out3/f");

			ok(write_file(osrc, "across", 6, WRITE_NOSYNC) == 0, "a file on another file system");
			r = link_or_copy(osrc, odst, 0);
			is_int(r, 0, "... link_or_copy copies it (EXDEV)");
			ok(has_content(odst, "across") && stat(odst, &s1) == 0 && s1.st_nlink == 1, "... a copy");
			unlink(osrc);
			rmdir(other);
			free(osrc);
			free(odst);
		} else {
			ok(1, "# SKIP no second file system (/dev/shm)");
		}
	}

	/* failures: nothing left behind */
	p = at(dir, "no-such-file");
	errno = 0;
	ok(link_or_copy(p, dst, 0) < 0 && errno == ENOENT, "a missing source: ENOENT");
	ok(has_content(dst, "third"), "... dst untouched");
	errno = 0;
	ok(link_or_copy(p, dst, PLACE_COPY) < 0 && errno == ENOENT, "... when copying too");
	free(p);
	ok(!temps_under(dir), "no temporary file left behind");

	test_paths();
	test_remove_tree(dir);

	ok(fsutil_sync(dir) == 0, "fsutil_sync");
	p = at(dir, "no-such-dir");
	ok(fsutil_sync(p) < 0 && errno == ENOENT, "fsutil_sync of a missing path: ENOENT");
	free(p);

	free(src);
	free(dst);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			diag("could not remove %s", dir);
		free(cmd);
	}
	return done_testing();
}
