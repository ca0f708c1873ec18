/* fixture.c: temporary directories, files, archives and package indexes for the unit tests
 * (see fixture.h). */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "fixture.h"
#include "util.h"

char *fixture_tmpdir(const char *name)
{
	const char *t = getenv("TMPDIR");
	char *dir = xasprintf("%s/wbgen-%s.XXXXXX", t && *t == '/' ? t : "/tmp", name);

	if (!mkdtemp(dir))
		die("cannot create a temporary directory '%s':", dir);
	return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int fixture_rmtree(const char *dir)
{
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void fixture_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		die("cannot write '%s':", path);
}

void fixture_archive(const char *path, const struct fixture_member *m, size_t n)
{
	struct archive *a = archive_write_new();
	size_t i;

	if (ends_with(path, ".zip")) {
		archive_write_set_format_zip(a);
	} else {
		archive_write_set_format_pax_restricted(a);
		if (ends_with(path, ".tar.bz2"))
			archive_write_add_filter_bzip2(a);
		else
			archive_write_add_filter_gzip(a);
	}
	if (archive_write_open_filename(a, path) != ARCHIVE_OK)
		die("cannot write '%s': %s", path, archive_error_string(a));
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = m[i].data ? strlen(m[i].data) : 0;

		archive_entry_set_pathname(e, m[i].path);
		archive_entry_set_filetype(e, m[i].data ? AE_IFREG : AE_IFDIR);
		archive_entry_set_perm(e, m[i].data ? 0644 : 0755);
		archive_entry_set_size(e, (la_int64_t)len);
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    (len && archive_write_data(a, m[i].data, len) != (la_ssize_t)len))
			die("cannot write '%s': %s", path, archive_error_string(a));
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		die("cannot write '%s': %s", path, archive_error_string(a));
	archive_write_free(a);
}

const char *fixture_python(void)
{
	const char *p = getenv("INDEX_PYTHON");

	return p && *p ? p : "/usr/bin/python3";
}

int fixture_index(const char *scenario, const char *out)
{
	const char *src = getenv("WBGEN_SRCDIR"), *python = fixture_python();
	char *script, *scen;
	pid_t pid;
	int status, r = -1;

	if (!src || !*src)
		src = ".";
	script = xasprintf("%s/e2e/fixtures/mkindex.py", src);
	scen = xasprintf("%s/e2e/fixtures/scenarios/%s", src, scenario);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork:");
	if (pid == 0) {
		/* stdout is the TAP stream */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execlp(python, python, "-B", script, scen, out, (char *)NULL);
		fprintf(stderr, "cannot run '%s': %s\n", python, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid:");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		r = 0;
	free(script);
	free(scen);
	return r;
}
