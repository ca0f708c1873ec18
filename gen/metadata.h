/* metadata.h: core metadata files (PKG-INFO, METADATA) as email.parser's compat32 policy reads them.
 *
 * The core metadata spec defines the format as "what email.parser parses with the compat32
 * policy", so that is what this module follows:
 *   - lines end at "\r\n", "\r" or "\n" (not at the other Unicode line breaks);
 *   - a header line is NAME ":" VALUE, NAME being printable ASCII without space or ':'
 *     (bytes 0x21-0x39, 0x3b-0x7e); names match case-insensitively; repeated fields are kept
 *     in file order;
 *   - a line starting with a space or a tab continues the previous field (a line holding only
 *     whitespace is a continuation line too, not the end of the headers);
 *   - the first empty line ends the headers; everything after it, byte for byte, is the body;
 *   - a field's raw value is compat32's: the text after the colon with leading spaces and tabs
 *     removed, continuation lines appended with their line breaks and indentation, trailing
 *     line-break characters removed (trailing spaces are kept).
 * Where email.parser records a "defect" and carries on, this module refuses the input, because
 * carrying on silently loses fields (a line without a colon makes email.parser take the rest of
 * the file, Requires-Dist included, as the body):
 *   - a header line without a colon or with a name outside the set above;
 *   - a continuation line before the first field;
 *   - a field with an empty name (":value");
 *   - a "From " envelope line (email.parser takes it as the Unix From line or a defect).
 * Also refused: empty input or input without any field, NUL bytes, invalid UTF-8 (the spec
 * requires UTF-8; email.parser on str never sees bytes), a Metadata-Version that is not
 * MAJOR.MINOR, repeated, or of a major version above 2 (the spec says tools must fail then).
 * A missing Metadata-Version is accepted and makes metadata_version_at_least() false.
 * A Content-Type header is not interpreted (no MIME multipart bodies).
 * Errors are one line, "line N: reason 'excerpt'", without a trailing newline, put in err.
 */
#ifndef WBGEN_METADATA_H
#define WBGEN_METADATA_H

#include <stddef.h>

#include "buf.h"

struct metadata_field {
	char *name;  /* as written, case preserved */
	char *raw;   /* compat32's value (see above) */
	/* The value to use. Description: the legacy indentation removed from continuation lines
	 * (see metadata_description()), line breaks kept as "\n". Other fields: line breaks of
	 * continuation lines removed (RFC 822 unfolding), then leading and trailing spaces and
	 * tabs removed. */
	char *value;
	size_t line; /* 1-based line of the field's name */
};

struct metadata {
	struct metadata_field *fields; /* in file order */
	size_t nr, alloc;
	char *body;      /* everything after the empty line ending the headers; "" when none */
	size_t body_len;
	int version_major; /* Metadata-Version, -1 and -1 when absent */
	int version_minor;
};

/* Set up an empty metadata (no allocation). */
void metadata_init(struct metadata *md);
/* Parse text[0..len) into *out (which need not be initialised; on error it is left empty).
 * Returns 0, or -1 with a one-line message put in err (err is reset first). */
int metadata_parse(const char *text, size_t len, struct metadata *out, struct buf *err);
/* Free everything md owns; md is empty and reusable afterwards. */
void metadata_release(struct metadata *md);

/* The value of the first field named 'field' (case-insensitive), or NULL. Borrowed from md. */
const char *metadata_get(const struct metadata *md, const char *field);
/* The next field named 'field' after 'prev' (NULL: the first), or NULL. Borrowed from md. */
const struct metadata_field *metadata_next(const struct metadata *md, const char *field,
					   const struct metadata_field *prev);
/* Count the fields named 'field'; when out is not NULL, *out is set to a newly allocated array
 * of their values in file order (NULL when there are none): the caller frees the array, the
 * strings are borrowed from md. */
size_t metadata_get_all(const struct metadata *md, const char *field, const char ***out);
/* The description: the Description field's value when present (continuation lines with the
 * legacy 7-or-8-spaces-and-'|' prefix on every line lose that prefix; otherwise each loses 8
 * leading spaces, or all its leading blanks when it has fewer), else the body when not empty,
 * else NULL. Borrowed from md. */
const char *metadata_description(const struct metadata *md);
/* Non-zero when Metadata-Version is present and at least major.minor. */
int metadata_version_at_least(const struct metadata *md, int major, int minor);
/* Non-zero when some Dynamic field names 'field' (both compared case-insensitively, the
 * Dynamic value trimmed of spaces and tabs). */
int metadata_is_dynamic(const struct metadata *md, const char *field);

#endif
