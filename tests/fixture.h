/* fixture.h: what the unit tests build on disk: a temporary directory that goes away at the end,
 * text files, sdist-like archives, and package indexes made by e2e/fixtures/mkindex.py. */
#ifndef WBGEN_FIXTURE_H
#define WBGEN_FIXTURE_H

#include <stddef.h>

/* One archive member: data NULL makes a directory. */
struct fixture_member {
	const char *path;
	const char *data;
};

/* Create a fresh directory /tmp/wbgen-NAME.XXXXXX (under $TMPDIR when set); dies on failure.
 * The result is owned by the caller. */
char *fixture_tmpdir(const char *name);
/* Remove dir and everything below it; non-zero when something stayed. */
int fixture_rmtree(const char *dir);
/* Write text to path (dies on failure). */
void fixture_write(const char *path, const char *text);
/* Write an archive of m[0..n) at path: a zip for a name ending in .zip, a bzip2 tar for .tar.bz2,
 * else a gzip tar. Dies on failure. */
void fixture_archive(const char *path, const struct fixture_member *m, size_t n);
/* The Python that runs the fixture scripts, as for e2e/index.sh: $INDEX_PYTHON, else Debian's
 * /usr/bin/python3 (docs/testing-index.md). */
const char *fixture_python(void);
/* Build the index of e2e/fixtures/scenarios/SCENARIO (found under $WBGEN_SRCDIR, else .) into
 * the new directory out with mkindex.py, its output going to stderr. 0, or -1 when it failed. */
int fixture_index(const char *scenario, const char *out);

#endif
