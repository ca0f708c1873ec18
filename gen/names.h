/* names.h: project names (PEP 503 / PEP 508) and distribution filenames (PEP 427 wheels, PEP 625 sdists). */
#ifndef WBGEN_NAMES_H
#define WBGEN_NAMES_H

#include <stddef.h>

#include "buf.h"

/* Non-zero when name[0..len) is a valid PEP 508 project name:
 * ASCII letters/digits at both ends, letters/digits/'-'/'_'/'.' between. */
int name_is_valid(const char *name, size_t len);
/* Append the PEP 503 normalised form of name[0..len) to out: lowercase, runs of '-', '_', '.' become '-'. */
void name_canonicalize_to(struct buf *out, const char *name, size_t len);
/* The PEP 503 normalised form of name, newly allocated (caller frees). */
char *name_canonicalize(const char *name);
/* Compare two names after normalisation (like strcmp). */
int name_cmp(const char *a, const char *b);

/* A parsed wheel filename, {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl.
 * All strings are owned by the struct. */
struct wheel_name {
	char *name;       /* PEP 503 normalised project name (may be "" as packaging allows) */
	char *version;    /* normalised PEP 440 version */
	char *build;      /* the build tag as written, NULL when absent */
	char *build_num;  /* its leading digits as a decimal without leading zeros, NULL when absent */
	char *build_rest; /* what follows those digits ("" when nothing), NULL when absent */
	char *tags;       /* the compressed tag set, lowercased: "py2.py3-none-any" */
};

/* Parse a wheel filename (a basename) exactly as packaging.utils.parse_wheel_filename (23.0) does,
 * restricted to ASCII. Returns 0, or -1 with a one-line message in err (out is then empty). */
int wheel_name_parse(const char *filename, struct wheel_name *out, struct buf *err);
/* Free the strings of w and empty it. */
void wheel_name_release(struct wheel_name *w);
/* Order two wheels by build tag: none < (number, rest), numbers numerically, then rest bytewise. */
int wheel_build_cmp(const struct wheel_name *a, const struct wheel_name *b);

/* A parsed sdist filename. Strings owned by the struct. */
struct sdist_name {
	char *name;    /* PEP 503 normalised project name */
	char *version; /* normalised PEP 440 version */
	const char *ext; /* the archive extension found (static string: ".tar.gz", ".zip", ...) */
};

/* Parse an sdist filename (a basename).
 * With project == NULL: packaging.utils.parse_sdist_filename (23.0)'s rule: ".tar.gz" or ".zip",
 * split at the last '-'. With a project name: also the legacy extensions (.tar.bz2, .tgz, .tar.xz, ...,
 * matched case-insensitively) and the name is the leading part whose normalised form equals
 * project's (so "python-dateutil-2.8.2.tar.gz" parses for "python-dateutil").
 * Returns 0, or -1 with a one-line message in err. */
int sdist_name_parse(const char *filename, const char *project, struct sdist_name *out, struct buf *err);
/* Free the strings of s and empty it. */
void sdist_name_release(struct sdist_name *s);

/* Append the escaped distribution name used in filenames (PEP 427/625): lowercase, runs of '-', '_', '.'
 * become '_'. */
void dist_name_escape_to(struct buf *out, const char *name);
/* Newly allocated "{escaped name}-{normalised version}.tar.gz" (caller frees); NULL when version is invalid. */
char *sdist_filename(const char *name, const char *version);
/* Newly allocated "{escaped name}-{normalised version}(-{build})?-{tags}.whl" (caller frees; build may be
 * NULL); NULL when version is invalid. */
char *wheel_filename(const char *name, const char *version, const char *build, const char *tags);

#endif
