/* marker.h: PEP 508 environment markers, parsed, formatted and evaluated exactly like
 * python3-packaging 23.0's packaging.markers.Marker, quirks included (str() of "((a or b)) and c",
 * a comparison of two variables or two strings). Deliberate differences: text after a complete
 * marker is an error (as in packaging >= 23.2); \N{name} escapes in strings are refused; more
 * than 400 nested parentheses are refused; extra names are lowercased in ASCII only; non-ASCII
 * characters count as word characters for the tokenizer's \b (this changes error messages only).
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
 * The tokenizer and marker grammar as cursors over a whole source string, shared with
 * requirement.c (which parses a marker after ';'). Positions are byte offsets into src.
 * A syntax error is appended to err as "MESSAGE at column N[ (from column M)]", the columns
 * counting characters from 1, like packaging's ParserSyntaxError message and span.
 */

/* Parse a marker expression starting at *pos (packaging's _parse_marker: trailing text is left
 * for the caller); advances *pos. Returns 0 with a new tree in *out, -1 on a syntax error,
 * -2 on another error (a bad string literal); the message is appended to err. */
int marker_parse_at(const char *src, size_t *pos, struct marker **out, struct buf *err);
/* Apply packaging's _normalize_extra_values to a top-level tree: in its first comparison, a value
 * compared with 'extra' is PEP 503 normalised (this changes str() only). */
void marker_normalize_extra(struct marker *m);
/* The position after the whitespace (spaces and tabs) at pos. */
size_t pep508_skip_ws(const char *src, size_t pos);
/* Non-zero at packaging's END token: the end of src or a final newline. */
int pep508_at_end(const char *src, size_t pos);
/* If an IDENTIFIER token (name or extra) starts at pos, store its end and return non-zero. */
int pep508_identifier(const char *src, size_t pos, size_t *end);
/* Append a syntax error for src's span [start, end] to err (see above). */
ATTR_PRINTF(5, 6) void pep508_syntax_error(struct buf *err, const char *src, size_t start, size_t end,
					  const char *fmt, ...);
/* If a quoted string token starts at pos: 1 with its value (Python escapes decoded) appended to out
 * and *end just after the closing quote; -1 for a bad literal, the reason appended to err (may be
 * NULL); 0 when no string token starts at pos. */
int pep508_string(const char *src, size_t pos, size_t *end, struct buf *out, struct buf *err);
/* Append s to out in single quotes, control characters escaped as \xHH (for messages). */
void pep508_quote(struct buf *out, const char *s);
/* pep508_quote of s[0..n), which may contain NUL bytes. */
void pep508_quote_mem(struct buf *out, const char *s, size_t n);

#endif
