/* wheel.h: installing wheels (the binary distribution format, PEP 427 / PEP 491) into a virtual
 * environment. wheel.c holds the pure pieces (RECORD, entry points, shebangs, path safety, the
 * console-script launcher); wheel_install.c reads the zips with libarchive and installs them. */
#ifndef WBGEN_WHEEL_H
#define WBGEN_WHEEL_H

#include <stddef.h>

#include "buf.h"

/* One row of a RECORD file: path, hash ("sha256=..." or ""), size ("" or decimal digits). */
struct record_entry {
	char *path;
	char *hash;
	char *size;
};

struct record {
	struct record_entry *v;
	size_t nr, alloc;
};

/* Set up an empty record (no allocation). */
void record_init(struct record *r);
/* Free every row r owns; it is empty afterwards. */
void record_release(struct record *r);
/* Parse RECORD text (CSV: path,hash,size; "..." quoting with "" escapes) into r, whose rows end up
 * sorted by path. Returns 0, or -1 with a one-line message in err (a bad row, a duplicate path). */
int record_parse(const char *text, size_t len, struct record *r, struct buf *err);
/* The row for path, or NULL (borrowed from r). */
const struct record_entry *record_find(const struct record *r, const char *path);
/* Check a file's sha256 (URL-safe base64, no padding) and size against its row. Returns 0, or -1
 * with a message naming path in err (no hash, another algorithm, a mismatch). */
int record_check(const struct record_entry *e, const char *b64_sha256, unsigned long long size,
		 struct buf *err);
/* Append one RECORD row for path (CSV-quoted where needed) and a newline to out; hash and size
 * may be NULL for empty fields. */
void record_add_row(struct buf *out, const char *path, const char *hash, const char *size);

/* A file added to a wheel's .dist-info directory (wheel_amend); strings borrowed. */
struct wheel_addition {
	const char *name; /* its name in .dist-info */
	const char *data;
	size_t len;
};

/* filename with its build tag replaced by build (removed when NULL or ""), newly allocated; NULL
 * when filename is not a wheel filename. */
char *wheel_name_with_build(const char *filename, const char *build);
/* Write to dst (through dst.tmp and a rename) the wheel src with the Build: field of its WHEEL
 * set to build (removed when NULL or ""), the files add[0..nadd) put in its .dist-info
 * (replacing those of the same name) and RECORD rewritten for them. Other members keep their
 * bytes, order and times. 0, or -1 with a one-line message in err. */
int wheel_amend(const char *src, const char *dst, const char *build, const struct wheel_addition *add,
		size_t nadd, struct buf *err);

/* One entry point of entry_points.txt: "name = module:attr [extras]" in [group]. */
struct entry_point {
	char *group;
	char *name;
	char *module;
	char *attr; /* NULL when the value names only a module */
};

struct entry_points {
	struct entry_point *v;
	size_t nr, alloc;
};

/* Set up an empty list (no allocation). */
void entry_points_init(struct entry_points *eps);
/* Free everything eps owns; it is empty afterwards. */
void entry_points_release(struct entry_points *eps);
/* Parse entry_points.txt (an INI file; '#' and ';' comment lines) into eps (appended).
 * Returns 0, or -1 with a message quoting the bad line in err. */
int entry_points_parse(const char *text, struct entry_points *eps, struct buf *err);

/* Non-zero when path (a zip member name or a RECORD path) is a safe relative path: not empty,
 * not absolute, no backslash, no "", "." or ".." component (a trailing '/' is allowed when dir_ok). */
int wheel_path_safe(const char *path, int dir_ok);
/* If data starts with "#!python", append the script with its first line replaced by
 * "#!PYTHON\n" (as pip does) to out and return 1; otherwise leave out alone and return 0. */
int wheel_fix_shebang(const char *data, size_t len, const char *python, struct buf *out);
/* Append to out the launcher pip (distlib) writes for a console or GUI script calling
 * module:attr with the interpreter python. Returns 0, or -1 with err when the entry point
 * has no callable or bad names. */
int wheel_launcher(const char *python, const struct entry_point *ep, struct buf *out, struct buf *err);
/* Append the relative path from directory 'from' to file 'to' (both relative to one root, '/'
 * separated, already safe) to out, e.g. ("lib/python3.11/site-packages", "bin/x") -> "../../../bin/x". */
void wheel_relpath(const char *from, const char *to, struct buf *out);
/* Append to out where path, a RECORD row of a distribution installed in libdir (relative to the
 * environment root, '/' separated), is relative to root: "." and ".." resolved lexically, an
 * absolute path accepted only under root. Returns 0, or -1 (out untouched) when it leaves the
 * environment or names its root. */
int wheel_record_target(const char *root, const char *libdir, const char *path, struct buf *out);

/* Where things go in an environment, relative to its root (as sysconfig's venv scheme says). */
struct wheel_env {
	char *root;          /* absolute path of the environment */
	char *python;        /* ROOT/bin/python: the shebang of scripts */
	char *purelib, *platlib, *scripts, *data, *include;
	char *version_short; /* "3.11": headers go to include/site/pythonX.Y/NAME, as pip does */
	const char *installer; /* written to INSTALLER (borrowed) */
};

/* Free everything env owns. */
void wheel_env_release(struct wheel_env *env);
/* How wheel_install() gets the wheels' files (wheel_store.c, wheel_entry.c). */
struct wheel_install_opts {
	const char *store;  /* the wheel store's directory for env's layout (absolute), NULL: none */
	const char *python; /* byte-compile the .py files with this interpreter (as pip does), NULL: no .pyc */
	int copy;           /* copy the store's files instead of hard-linking them */
};

/* Install the wheel files paths[0..n) into env. Each wheel is extracted, verified against its
 * RECORD and laid out once as an "entry", byte-compiled with o->python: a private one in a staging
 * directory inside the environment, or, with o->store, the store's entry of the wheel's sha256,
 * made when it is missing or damaged and shared by every environment (its files hard-linked, or
 * copied with o->copy or across file systems). The entry's files and the ones that depend on the
 * environment (#!python scripts, console scripts, INSTALLER, RECORD) are put in a staging tree,
 * then moved into place (each .dist-info last), so a failure writes nothing and an interrupted
 * run is repaired by a retry. Two wheels writing one file is an error. A distribution already
 * installed under the same normalised name (any version) is replaced as by pip install
 * --force-reinstall: the files its RECORD lists are removed (see wheel_uninstall.c for the order).
 * Returns 0, or -1 with a one-line message naming the wheel in err. */
int wheel_install(const struct wheel_env *env, const char *const *paths, size_t n,
		  const struct wheel_install_opts *o, struct buf *err);

#endif
