/* unpack-test.c: reading top-level members of sdists (tar.gz, tar.bz2, zip). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "unpack.h"
#include "tap.h"

struct member {
	const char *path;
	const char *data; /* NULL: a directory */
};

static char tmpdir[] = "/tmp/wbgen-archive-test-XXXXXX";

static char *write_archive(const char *name, int zip, int bz2, const struct member *m, size_t n)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	struct archive *a = archive_write_new();
	size_t i;

	if (zip) {
		archive_write_set_format_zip(a);
	} else {
		archive_write_set_format_pax_restricted(a);
		if (bz2)
			archive_write_add_filter_bzip2(a);
		else
			archive_write_add_filter_gzip(a);
	}
	if (archive_write_open_filename(a, path) != ARCHIVE_OK)
		BUG("cannot write %s: %s", path, archive_error_string(a));
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, m[i].path);
		archive_entry_set_filetype(e, m[i].data ? AE_IFREG : AE_IFDIR);
		archive_entry_set_perm(e, m[i].data ? 0644 : 0755);
		archive_entry_set_size(e, m[i].data ? (la_int64_t)strlen(m[i].data) : 0);
		archive_write_header(a, e);
		if (m[i].data)
			archive_write_data(a, m[i].data, strlen(m[i].data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
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

int main(void)
{
	static const struct member sdist[] = {
		{ "foo-1.0", NULL },
		{ "foo-1.0/sub/PKG-INFO", "wrong one" },
		{ "foo-1.0/PKG-INFO", "Metadata-Version: 2.2\nName: foo\n" },
		{ "foo-1.0/pyproject.toml", "[build-system]\n" },
		{ "other/setup.py", "outside the top directory" },
	};
	static const struct member dotted[] = {
		{ "./foo-2.0/PKG-INFO", "dotted" },
	};
	static const struct member none[] = {
		{ "foo-3.0/README", "x" },
	};
	char *p;
	FILE *f;

	plan_no_plan();
	if (!mkdtemp(tmpdir))
		BUG("mkdtemp");
	p = write_archive("foo-1.0.tar.gz", 0, 0, sdist, ARRAY_SIZE(sdist));
	check("tar.gz", p, 0, "foo-1.0", sdist[2].data, sdist[3].data, NULL);
	free(p);
	p = write_archive("foo-1.0.tar.bz2", 0, 1, sdist, ARRAY_SIZE(sdist));
	check("tar.bz2", p, 0, "foo-1.0", sdist[2].data, sdist[3].data, NULL);
	free(p);
	p = write_archive("foo-1.0.zip", 1, 0, sdist, ARRAY_SIZE(sdist));
	check("zip", p, 0, "foo-1.0", sdist[2].data, sdist[3].data, NULL);
	free(p);
	p = write_archive("foo-2.0.tar.gz", 0, 0, dotted, ARRAY_SIZE(dotted));
	check("./ prefix", p, 0, "foo-2.0", "dotted", NULL, NULL);
	free(p);
	p = write_archive("foo-3.0.tar.gz", 0, 0, none, ARRAY_SIZE(none));
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
		char *good = write_archive("cut.tar.gz", 0, 0, sdist, ARRAY_SIZE(sdist));

		if (truncate(good, 60) < 0)
			BUG("truncate");
		check("truncated", good, -1, NULL, NULL, NULL, "cut.tar.gz");
		free(good);
	}
	p = xasprintf("%s/missing.tar.gz", tmpdir);
	check("missing file", p, -1, NULL, NULL, NULL, "cannot open archive");
	free(p);
	{
		char *cmd = xasprintf("rm -rf '%s'", tmpdir);

		if (system(cmd) != 0)
			diag("could not remove %s", tmpdir);
		free(cmd);
	}
	return done_testing();
}
