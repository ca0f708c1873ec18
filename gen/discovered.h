/* discovered.h: requirements found only at build time — what get_requires_for_build_wheel (or
 * _sdist) returned, and the install requirements of packages whose metadata was dynamic — kept in
 * OUTDIR/discovered.json, so that the next `wbgen resolve` plans them as if they had been known up
 * front (docs/file-formats.md). */
#ifndef WBGEN_DISCOVERED_H
#define WBGEN_DISCOVERED_H

#include <jansson.h>

#include "buf.h"
#include "plan.h"
#include "requirement.h"
#include "strlist.h"
#include "version.h"

struct discovered_req {
	char *name;          /* canonical name of the package that asked */
	char *version;       /* canonical version it asked at */
	struct version v;    /* the same, parsed (1.0 and 1.0.0 are one version) */
	enum req_type type;  /* REQ_BUILD_BACKEND, REQ_BUILD_SDIST or REQ_INSTALL */
	struct requirement req;
};

struct discovered {
	struct discovered_req *v;
	size_t n, alloc;
	struct strlist answered; /* "NAME VERSION REQ_TYPE" (canonical) of every hook answer recorded,
				  * an empty one included: the plan knows what it asked for (sorted) */
};

/* Set up an empty set (no allocation). */
void discovered_init(struct discovered *d);
/* Free the set. */
void discovered_release(struct discovered *d);
/* Add one requirement of package name==version; names and versions are canonicalised.
 * Returns 0, or -1 with a one-line reason in err (bad name, version, type or requirement). */
int discovered_add(struct discovered *d, const char *name, const char *version, const char *type,
		   const char *req, struct buf *err);
/* Record that name==version's req_type answer is in d (an empty answer too). 0, or -1 with err. */
int discovered_answer(struct discovered *d, const char *name, const char *version, const char *type,
		      struct buf *err);
/* Non-zero when d records name==version's req_type answer (names and versions canonical). */
int discovered_answered(const struct discovered *d, const char *name, const char *version, const char *type);
/* Read path into d (appending); a missing file is an empty set. Returns 0 or -1 with err. */
int discovered_load(struct discovered *d, const char *path, struct buf *err);
/* The set as JSON (new reference), entries sorted so the file is stable. */
json_t *discovered_to_json(const struct discovered *d);

#endif
