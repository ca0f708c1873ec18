/* names.h: project names (PEP 503 / PEP 508). Filename parsing: written by the module owner. */
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

#endif
