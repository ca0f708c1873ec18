/* requirement.h: PEP 508 dependency specifiers ("name[extras] specifiers ; marker" or
 * "name[extras] @ url ; marker"), parsed and formatted like python3-packaging 23.0's
 * packaging.requirements.Requirement, URL checks included.
 */
#ifndef WBGEN_REQUIREMENT_H
#define WBGEN_REQUIREMENT_H

#include <stddef.h>

#include "buf.h"
#include "marker.h"
#include "specifier.h"

/* A parsed requirement; every field is owned by the struct. */
struct requirement {
	char *text;            /* the original string */
	char *name;            /* the project name as written */
	char *canonical_name;  /* its PEP 503 normalised form */
	char **extras;         /* the extras as written, in order, exact duplicates dropped */
	size_t nextras;
	struct specset spec;   /* empty when there are no specifiers (always empty with a URL) */
	char *url;             /* the URL after '@', or NULL */
	struct marker *marker; /* the marker after ';', or NULL */
};

/* Set r to an empty requirement (no allocation) that requirement_release accepts. */
void requirement_init(struct requirement *r);
/* Parse s like Requirement(s) into *out (which this initialises). Returns 0, or -1 with a one-line
 * message appended to err (may be NULL): "invalid requirement 'S': expected ... at column N";
 * *out is releasable either way. */
int requirement_parse(const char *s, struct requirement *out, struct buf *err);
/* Free the contents of r; r is empty afterwards. */
void requirement_release(struct requirement *r);
/* Append str(Requirement): name, sorted extras, str(SpecifierSet), "@ url", "; marker". */
void requirement_format(const struct requirement *r, struct buf *out);
/* Non-zero when r lists an extra that normalises to the same name as extra. */
int requirement_has_extra(const struct requirement *r, const char *extra);
/* Whether r applies in env when the dependent package was asked for extras[0..nextras):
 * its marker is true with extra "" or with one of those extras (packaging's semantics for
 * Requires-Dist). Returns 1 or 0 (1 when r has no marker), or -1 with a reason appended to err
 * when the marker cannot be evaluated. */
int requirement_applies(const struct requirement *r, const struct marker_env *env,
			const char *const *extras, size_t nextras, struct buf *err);

#endif
