/* reqfile_int.h: internal to the reqfile module (included only by the .c files of gen/reqfile/ and by its
 * unit test): the context of the line being read, its errors and the parsing of its options (pip's option
 * table, shlex-style splitting, optparse semantics), all in gen/reqfile/reqfile_opts.c;
 * gen/reqfile/reqfile.c reads the files and their lines with them. */
#ifndef WBGEN_REQFILE_INT_H
#define WBGEN_REQFILE_INT_H

#include <stddef.h>

#include "buf.h"
#include "reqfile/reqfile.h"
#include "strlist.h"

struct include_stack;

/* What the options of one line ask for, applied once the whole line is parsed. */
struct line_opts {
	int is_requirement;
	size_t count;             /* options seen */
	struct strlist hashes;    /* --hash, on a requirement line */
	struct strlist includes;  /* pairs: "r" or "c", path */
	char *index_url;          /* the line's last -i */
	struct strlist extra;     /* the line's --extra-index-url */
};

/* Where the line being handled comes from. */
struct ctx {
	struct reqset *set;
	struct include_stack *stack;
	const char *file;
	size_t line;
	int constraint;
	struct buf *err;
};

/* Append s for an error message, quoted, control characters as \xHH, long text cut. */
void reqfile_add_quoted(struct buf *b, const char *s);
/* Set c->err to "MSG 'SUBJECT'[: DETAIL] (file:line)" (subject and detail may be NULL); returns -1. */
int reqfile_fail(struct ctx *c, const char *msg, const char *subject, const char *detail);
/* Parse the options opts of one line like optparse into *lo (set-wide ones straight into c->set). */
int reqfile_parse_options(struct ctx *c, const char *opts, struct line_opts *lo);

#endif
