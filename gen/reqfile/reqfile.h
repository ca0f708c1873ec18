/* reqfile.h: requirements and constraints files in pip's syntax (as pip 23.0 reads them).
 *
 * Line processing follows pip's req_file.py step by step:
 *   - the file is UTF-8 (a UTF-8 BOM is skipped; other encodings, NUL bytes and invalid UTF-8
 *     are errors, where pip would guess an encoding); it is split into lines the way Python's
 *     str.splitlines() does (\n, \r\n, \r, \v, \f, \x1c-\x1e, U+0085, U+2028, U+2029);
 *   - a line ending in '\' is joined with the next one, after all backslashes at both of its
 *     ends are removed (pip's line.strip("\\")); a comment line (first non-blank character '#')
 *     ends a continuation and is not joined; the joined line takes the first line's number;
 *   - a comment starts at a '#' at the start of the line or after whitespace and runs to the
 *     end of the line; the whitespace before it goes too; then the line is stripped and
 *     dropped when empty ("whitespace" is Unicode whitespace as Python's str.isspace());
 *   - ${NAME} (NAME of A-Z, 0-9, '_') is replaced by the environment variable's value, unless
 *     it is unset or empty (then the text stays as written);
 *   - the line is cut at the first space-separated token starting with '-': what precedes is
 *     the requirement, what follows is split like shlex.split() and parsed like optparse
 *     (long options may be abbreviated to a unique prefix, "--opt=value" or "--opt value",
 *     "-rFILE" or "-r FILE").
 * Options kept in the result: -i/--index-url/--pypi-url (as in pip, it also forgets the extra
 * index URLs seen before it), --extra-index-url, --pre, --require-hashes, --trusted-host,
 * --prefer-binary and --no-binary (both redundant when every wheel is built from source, kept
 * for completeness), -r/--requirement and -c/--constraint (included files are resolved
 * relative to the directory of the including file as written; as in pip, -r inside a
 * constraints file includes requirements and -c inside a requirements file constraints),
 * --hash=ALGO:HEXDIGEST on requirement lines (sha256, sha384 or sha512; the digest must be
 * hex of the right length, stored lowercase; pip checks neither).
 * Refused with "file:line": -e/--editable, -f/--find-links, --no-index, --only-binary,
 * --use-feature, --install-option, --global-option, unknown or ambiguous options, requirement
 * files given as URLs, options other than --hash on a requirement line and --hash on a line
 * without a requirement (pip ignores both silently), stray arguments after the options (pip
 * ignores them), several -r/-c on one line (pip takes the first), include cycles (pip 23.0
 * recurses forever), direct URLs without a project name, local archives and paths, and
 * requirements that do not parse. Constraints must name a project, without extras or a URL.
 */
#ifndef WBGEN_REQFILE_H
#define WBGEN_REQFILE_H

#include <stddef.h>

#include "buf.h"
#include "requirement.h"
#include "strlist.h"

struct reqfile_entry {
	/* The requirement as pip hands it on: continuation lines joined, comment removed,
	 * ${VAR} expanded, options removed, stripped. */
	char *text;
	/* text parsed; as pip does, text is cut at its first ';' and an empty marker dropped */
	struct requirement req;
	char *file;             /* the file it came from, as opened (relative includes joined) */
	size_t line;            /* 1-based number of its first physical line */
	struct strlist hashes; /* "sha256:<hex>" and the like, in file order */
	int constraint;         /* from a constraints file */
};

struct reqset {
	struct reqfile_entry *entries; /* in file order, includes expanded where they appear */
	size_t nr, alloc;
	char *index_url;                     /* NULL unless -i/--index-url was given (last wins) */
	struct strlist extra_index_urls; /* --extra-index-url, in order */
	struct strlist trusted_hosts;    /* --trusted-host, in order */
	struct strlist no_binary;        /* --no-binary values as written, in order */
	int pre;                             /* --pre */
	int require_hashes;                  /* --require-hashes */
	int prefer_binary;                   /* --prefer-binary */
};

/* Set up an empty set (no allocation). */
void reqset_init(struct reqset *set);
/* Free everything the set owns; it is empty and reusable afterwards. */
void reqset_release(struct reqset *set);
/* Read the requirements file at path (a constraints file when as_constraints) and its
 * includes, appending to set. Returns 0, or -1 with a one-line message ending in
 * "(file:line)" put in err (reset first); the set then holds what was read before the error. */
int reqset_load(struct reqset *set, const char *path, int as_constraints, struct buf *err);
/* Like reqset_load() on text[0..len) already read; 'name' is used in messages and to
 * resolve includes. */
int reqset_load_text(struct reqset *set, const char *text, size_t len, const char *name,
		     int as_constraints, struct buf *err);

#endif
