/* version.h: PEP 440 versions, parsed, normalised, formatted and ordered exactly like
 * python3-packaging 23.0's packaging.version.Version.
 *
 * Numbers are kept as decimal digit strings (leading zeros removed), so that components of
 * any size parse and compare like Python ints. A struct version owns all its storage;
 * the fields are read-only for users of this module.
 */
#ifndef WBGEN_VERSION_H
#define WBGEN_VERSION_H

#include <stddef.h>

#include "buf.h"

/* A non-negative integer of any size: n decimal digits without leading zeros ("0" for zero). */
struct vnum {
	const char *d;
	size_t n;
};

/* One segment of a local version label, lowercased; numeric segments hold their digits as written. */
struct vlocal {
	const char *s;
	size_t n;
	int numeric;
};

struct version {
	char *store;              /* owned: every d / s pointer below points into it */
	struct vnum epoch;
	struct vnum *release;     /* owned array of nrelease (>= 1) numbers, trailing zeros kept */
	size_t nrelease;
	char pre_l;               /* 0 (no pre-release), 'a', 'b' or 'r' (rc) */
	struct vnum pre;
	int has_post;
	struct vnum post;
	int has_dev;
	struct vnum dev;
	struct vlocal *local;     /* owned array of nlocal segments; nlocal == 0: no local label */
	size_t nlocal;
};

/* Set v to an empty value that version_release accepts (not a valid version). */
void version_init(struct version *v);
/* Parse s like packaging's Version(s) (surrounding whitespace, 'v', any case and separators).
 * Returns 0, or -1 when s is not a valid version (no message); *out is always left releasable. */
int version_parse(const char *s, struct version *out);
/* Same as version_parse for the len bytes at s (which need not be NUL-terminated). */
int version_parse_n(const char *s, size_t len, struct version *out);
/* Free the storage of v; v is then empty (version_init state). */
void version_release(struct version *v);
/* Make dst (not initialised, or released) an independent copy of src. */
void version_copy(struct version *dst, const struct version *src);

/* Total order of packaging's _cmpkey: <0, 0 or >0. 1.0 == 1.0.0; local labels count. */
int version_cmp(const struct version *a, const struct version *b);
/* version_cmp of the public versions (local labels ignored). */
int version_cmp_public(const struct version *a, const struct version *b);
/* Compare Version(a.base_version) with Version(b.base_version): epoch and release only. */
int version_cmp_base(const struct version *a, const struct version *b);
/* Compare two numbers like Python ints: <0, 0, >0. */
int vnum_cmp(struct vnum a, struct vnum b);

/* Append the canonical form (str(Version)) to out. */
void version_format(const struct version *v, struct buf *out);
/* Append the public version (str(Version) without "+local") to out. */
void version_format_public(const struct version *v, struct buf *out);
/* Append the base version (epoch and release only, Version.base_version) to out. */
void version_format_base(const struct version *v, struct buf *out);
/* Append packaging.utils.canonicalize_version(v): like version_format, but with trailing ".0"
 * release components removed when strip_trailing_zero is set. */
void version_format_canonical(const struct version *v, int strip_trailing_zero, struct buf *out);

/* Version.is_prerelease: has a pre-release or a dev-release segment. */
int version_is_prerelease(const struct version *v);
/* Version.is_postrelease. */
int version_is_postrelease(const struct version *v);
/* Version.is_devrelease. */
int version_is_devrelease(const struct version *v);
/* Non-zero when v has a local version label. */
int version_has_local(const struct version *v);

/* A PEP 440 separator: '-', '_' or '.'. */
int pep440_is_sep(int c);
/* Consume a run of ASCII digits at *p (before end); return its length (0 if none). */
size_t pep440_digits(const char **p, const char *end);
/* Python's whitespace (str.isspace, regex \s) in UTF-8: the length of the character at p
 * (before end) when it is whitespace, else 0. */
size_t pep440_space_len(const char *p, const char *end);
/* Skip whitespace forwards from p; return the first non-space position (or end). */
const char *pep440_skip_space(const char *p, const char *end);
/* Skip whitespace backwards from end (not before start); return the new end. */
const char *pep440_rskip_space(const char *start, const char *end);

#endif
