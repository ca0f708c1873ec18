/* specifier.h: PEP 440 version specifiers and specifier sets, matching python3-packaging
 * 23.0's packaging.specifiers.Specifier / SpecifierSet (syntax, validity, str(), contains, filter).
 *
 * prereleases arguments follow packaging: -1 means "default rules" (None), 0 False, 1 True.
 * With the default rules a pre-release version is accepted only when a specifier of the set
 * names one (==, >=, <=, ~= or === with a pre-release version); an empty set accepts none.
 * === compares the candidate's canonical string case-insensitively (packaging 23.0 coerces it to
 * a Version first). An === clause whose text is not a version names no pre-release (packaging
 * raises InvalidVersion there, a bug). Versions and specifiers are ASCII: the non-ASCII letters
 * that re.IGNORECASE lets packaging accept are refused.
 */
#ifndef WBGEN_SPECIFIER_H
#define WBGEN_SPECIFIER_H

#include <stddef.h>

#include "buf.h"
#include "version.h"

enum spec_op {
	SPEC_COMPATIBLE, /* ~= */
	SPEC_EQ,         /* == */
	SPEC_NE,         /* != */
	SPEC_LE,         /* <= */
	SPEC_GE,         /* >= */
	SPEC_LT,         /* <  */
	SPEC_GT,         /* >  */
	SPEC_ARBITRARY,  /* === */
};

/* One clause such as ">=1.0" (all fields owned, read-only for users). */
struct specifier {
	enum spec_op op;
	char *text;              /* the version as written, whitespace stripped (for str()) */
	char *canon;             /* packaging's _canonical_spec version: equal clauses are deduplicated */
	int wildcard;            /* ==X.* or !=X.* */
	int has_version;         /* version is valid (false only for === with a non-PEP 440 string) */
	struct version version;  /* text parsed (without ".*" when wildcard) */
};

struct specset {
	struct specifier *specs; /* owned array of n clauses, without duplicates, in insertion order */
	size_t n, alloc;
};

/* Set up an empty set (no allocation). The empty set matches every final release. */
void specset_init(struct specset *s);
/* Free the clauses of s; s is empty afterwards. */
void specset_release(struct specset *s);
/* Parse a comma-separated list like SpecifierSet(text) into *out (which this initialises).
 * Returns 0, or -1 with a one-line reason quoting the bad clause appended to err (err may be NULL);
 * *out is empty (releasable) after a failure. */
int specset_parse(const char *text, struct specset *out, struct buf *err);
/* Parse one clause like Specifier(text) (len bytes at spec, surrounding whitespace allowed, no
 * comma splitting) and add it to s unless an equal clause is present. Returns 0, or -1 with a
 * reason appended to err (may be NULL). Markers use this: Specifier(op + rhs).contains(lhs, True)
 * is specset_init + specset_add + specset_contains(..., 1). */
int specset_add(struct specset *s, const char *spec, size_t len, struct buf *err);
/* dst &= src (SpecifierSet.__and__): add src's clauses that dst lacks. */
void specset_merge(struct specset *dst, const struct specset *src);
/* Make dst (not initialised) an independent copy of src. */
void specset_copy(struct specset *dst, const struct specset *src);

/* Non-zero when s has no clause. */
int specset_is_empty(const struct specset *s);
/* SpecifierSet.prereleases with no override: 1 when some clause names a pre-release,
 * 0 otherwise, -1 (None) for the empty set. */
int specset_names_prerelease(const struct specset *s);
/* SpecifierSet.contains(v, prereleases): 1 or 0. */
int specset_contains(const struct specset *s, const struct version *v, int prereleases);
/* The same for a version string: 1, 0, or -1 when version is not a valid version
 * (packaging raises InvalidVersion; === compares the normalised string, like packaging 23.0). */
int specset_contains_str(const struct specset *s, const char *version, int prereleases);
/* SpecifierSet.filter(v[0..n), prereleases): stores the indices of the kept versions in
 * out_idx (room for n), in order, and returns how many were kept. With clauses it keeps what
 * specset_contains accepts (packaging 23.0 then never falls back to pre-releases); without any,
 * the final releases, or with prereleases -1 all the pre-releases when there is nothing else. */
size_t specset_filter(const struct specset *s, const struct version *const *v, size_t n,
		      int prereleases, size_t *out_idx);
/* Append str(SpecifierSet): the clauses as written, sorted, joined with ','. */
void specset_format(const struct specset *s, struct buf *out);

/* Cursor for the PEP 508 parser: if a specifier clause (packaging's tokenizer SPECIFIER token,
 * operator then version, no leading whitespace) starts at *p, advance *p past it and return 0;
 * otherwise return -1 and leave *p alone. The clause text can then go to specset_add. */
int specifier_scan(const char **p);
/* Append str(Specifier) of one clause (operator and version as written). */
void specifier_format(const struct specifier *sp, struct buf *out);
/* Specifier.contains(v, prereleases) for a single clause: 1 or 0. */
int specifier_contains(const struct specifier *sp, const struct version *v, int prereleases);

#endif
