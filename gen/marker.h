/* marker.h: PEP 508 environment markers, parsed, formatted and evaluated exactly like
 * python3-packaging 23.0's packaging.markers.Marker, quirks included (str() of "((a or b)) and c",
 * a comparison of two variables or two strings). Deliberate differences: text after a complete
 * marker is an error (as in packaging >= 23.2); more than 400 nested parentheses are refused;
 * extra names are lowercased in ASCII only. The tokens, string literals and their differences are
 * in pep508.h.
 *
 * struct marker_env is the contract between gen/pyenv.c, which fills it once from the
 * target interpreter, and the marker evaluator. 'extra' is not part of it: the extras
 * requested for a package are passed at evaluation time.
 */
#ifndef WBGEN_MARKER_H
#define WBGEN_MARKER_H

#include <stddef.h>

#include "buf.h"

enum marker_var {
	MV_PYTHON_VERSION,
	MV_PYTHON_FULL_VERSION,
	MV_OS_NAME,
	MV_SYS_PLATFORM,
	MV_PLATFORM_RELEASE,
	MV_PLATFORM_SYSTEM,
	MV_PLATFORM_VERSION,
	MV_PLATFORM_MACHINE,
	MV_PLATFORM_PYTHON_IMPLEMENTATION,
	MV_IMPLEMENTATION_NAME,
	MV_IMPLEMENTATION_VERSION,
	MV__COUNT
};

/* The variable 'extra' in a marker; its value comes from marker_eval's argument. */
#define MV_EXTRA MV__COUNT

/* The marker variables of one interpreter; each value is an owned string (never NULL once filled). */
struct marker_env {
	char *values[MV__COUNT];
};

/* A parsed marker (opaque): an 'and'/'or' list of comparisons and parenthesised lists. */
struct marker;

/* Set every value of env to NULL (no allocation). */
void marker_env_init(struct marker_env *env);
/* Free the values of env; env is in its marker_env_init state afterwards. */
void marker_env_release(struct marker_env *env);
/* Set one variable to a copy of value. */
void marker_env_set(struct marker_env *env, enum marker_var var, const char *value);
/* Set a variable by its PEP 508 name (e.g. "sys_platform"); 0, or -1 for an unknown name. */
int marker_env_set_name(struct marker_env *env, const char *name, const char *value);
/* Fill every value of env that is still NULL with a copy of a fixed CPython 3.11 on x86_64 Linux
 * environment (for tests and examples; real runs ask the target interpreter, see pyenv.h). */
void marker_env_fill_example(struct marker_env *env);
/* The PEP 508 name of a variable (MV_EXTRA gives "extra"); a static string. */
const char *marker_var_name(int var);
/* The variable called name[0..len) (canonical names only, not the legacy dotted ones): an enum
 * marker_var, MV_EXTRA, or -1. */
int marker_var_lookup(const char *name, size_t len);

/* Parse a whole marker string like packaging's Marker(s). Returns 0 and a new tree in *out
 * (caller frees with marker_free), or -1 with a one-line message appended to err (may be NULL). */
int marker_parse(const char *s, struct marker **out, struct buf *err);
/* Free a tree from marker_parse or marker_parse_at (NULL allowed). */
void marker_free(struct marker *m);
/* Append str(Marker): packaging 23.0's canonical form (double quotes, single spaces). */
void marker_format(const struct marker *m, struct buf *out);
/* Evaluate m like Marker.evaluate(env + {"extra": extra}) (extra NULL means ""): 1 true, 0 false,
 * or -1 with a one-line reason appended to err (may be NULL) where packaging raises: a version
 * comparison on a value that is not a version, '~=' or '===' on values that are not a specifier,
 * an undefined variable (a comparison of two strings names its right side as the variable).
 * env values that are NULL are errors too. */
int marker_eval(const struct marker *m, const struct marker_env *env, const char *extra,
		struct buf *err);

/*
 * The marker grammar as a cursor over a whole source string, for requirement.c (which parses a
 * marker after ';'). Positions are byte offsets into src; syntax errors are worded as in pep508.h.
 */

/* Parse a marker expression starting at *pos (packaging's _parse_marker: trailing text is left
 * for the caller); advances *pos. Returns 0 with a new tree in *out, -1 on a syntax error,
 * -2 on another error (a bad string literal); the message is appended to err. */
int marker_parse_at(const char *src, size_t *pos, struct marker **out, struct buf *err);
/* Apply packaging's _normalize_extra_values to a tree: in every comparison of 'extra' with a string
 * value, at any depth, the value is PEP 503 normalised (this changes str() only; evaluation
 * normalises both sides anyway). This is packaging as fixed by pypa/packaging#1246 (2026);
 * packaging 23.0 normalised only the first comparison of the top level, so that str() of
 * '(extra == "A")' was 'extra == "A"', which parses to 'extra == "a"' (found by fuzz-marker). */
void marker_normalize_extra(struct marker *m);

#endif
