/* toml.h: a TOML 1.0.0 reader producing jansson values (for pyproject.toml).
 *
 * Mapping of TOML values to JSON:
 *   table, inline table      -> object, keys in document order (keys may contain NUL with jansson >= 2.14)
 *   array, array of tables   -> array
 *   string                   -> string (UTF-8, may contain NUL bytes: use json_string_length)
 *   integer                  -> integer (the whole signed 64-bit range; anything outside is an error)
 *   float                    -> real; jansson cannot hold infinities or NaN, so inf, +inf and -inf become
 *                               the strings "inf" and "-inf", nan, +nan and -nan the string "nan"; a finite
 *                               literal too large for a double (1e400) is an infinity too
 *   boolean                  -> true / false
 *   offset date-time         -> string "YYYY-MM-DDTHH:MM:SS[.fraction]Z" or "...+HH:MM" / "...-HH:MM"
 *   local date-time          -> string "YYYY-MM-DDTHH:MM:SS[.fraction]"
 *   local date               -> string "YYYY-MM-DD"
 *   local time               -> string "HH:MM:SS[.fraction]"
 * Dates and times keep the digits as written (the fraction unchanged, all its digits); the separator
 * between date and time ('T', 't' or a space) is written 'T', and 'z' is written 'Z'. Day numbers are
 * checked against the month and leap years; like Python's tomllib, a leap second (:60) is rejected.
 *
 * Beyond the grammar the reader enforces the spec's rules on tables as Python's tomllib does: no table
 * or key defined twice, no [table] header for a table already created by a header or by dotted keys
 * in another section, no extension of inline tables or static arrays (by headers, [[...]] or dotted
 * keys). Nesting of arrays and tables deeper than TOML_MAX_DEPTH levels is rejected.
 * CRLF line endings are accepted (and read as LF inside multi-line strings); the text must be UTF-8
 * (a byte order mark is not accepted, as in tomllib).
 */
#ifndef WBGEN_TOML_H
#define WBGEN_TOML_H

#include <stddef.h>

#include <jansson.h>

/* Deepest nesting of arrays and tables (the root table is level 0). */
#define TOML_MAX_DEPTH 128

/* Where and why a document was rejected: 1-based line and column (in characters) of the offending
 * position, and a one-line lowercase message. line and column are 0 when no position applies
 * (a file that cannot be read). */
struct toml_error {
	int line;
	int column;
	char msg[160];
};

/* Options for toml_parse_ex. */
enum toml_options {
	/* Every scalar becomes {"type": T, "value": S} as in the toml-test suite: T is one of string,
	 * integer, float, bool, datetime, datetime-local, date-local, time-local and S a string (the
	 * integer in decimal, the float as "%.17g" or inf/-inf/nan, true/false, dates as above). */
	TOML_TAGGED = 1,
};

/* Parse the TOML document text[0..len) (need not be NUL-terminated). Returns a new reference to the
 * root object, or NULL with *err filled in (err may be NULL). */
json_t *toml_parse(const char *text, size_t len, struct toml_error *err);
/* toml_parse with options (a combination of enum toml_options). */
json_t *toml_parse_ex(const char *text, size_t len, unsigned options, struct toml_error *err);
/* Read and parse the file at path. Returns a new reference, or NULL with *err filled in. */
json_t *toml_parse_file(const char *path, struct toml_error *err);

#endif
