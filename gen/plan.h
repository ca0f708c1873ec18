/* plan.h: the resolved plan, the one thing `wbgen resolve` hands to the Makefile generator
 * and the phase commands, and its serialisations: OUTDIR/plan.json (wbgen's own format),
 * and fromager's graph.json, build-order.json and constraints.txt (docs/file-formats.md). */
#ifndef WBGEN_PLAN_H
#define WBGEN_PLAN_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "inspect.h"
#include "strlist.h"

/* Edge types as fromager names them. */
enum req_type { REQ_TOPLEVEL, REQ_INSTALL, REQ_BUILD_SYSTEM, REQ_BUILD_BACKEND, REQ_BUILD_SDIST };

struct plan_edge {
	size_t to;          /* index into plan.pkgs */
	enum req_type type;
	char *req;          /* the requirement as written */
};

struct plan_pkg {
	char *name;             /* canonical (PEP 503) */
	char *version;          /* canonical (str(Version)) */
	char *constraint;       /* the constraint that applied, as written, or NULL */
	/* the sdist, or for a pre-built package its wheel */
	char *sdist_filename;
	char *sdist_url;        /* where it was downloaded from (download_source.url or the index), without fragment */
	char *sdist_sha256;     /* verified digest of the downloaded file */
	char *sdist_path;       /* relative to OUTDIR: sdists-repo/downloads/FILE, or prebuilt/FILE */
	int pre_built;          /* settings: the wheel is taken from an index, not built */
	const char *source_type; /* fromager's source_url_type: "sdist", "override" (download_source), "prebuilt" */
	char *index_url;        /* the index file the version was chosen from (fromager's download_url) */
	char *index_sha256;     /* its digest on the index, or NULL */
	int build_tag;          /* the changelog's build tag (gen/settings/settings.h), 0 for none */
	struct sdist_info info; /* build system and static install requirements */
	struct strlist extras;  /* extras requested of it (canonical, sorted) */
	struct plan_edge *edges;
	size_t nedges, alloc;
};

struct plan_top {
	size_t to;
	char *req;              /* as written */
	char *origin;           /* "requirements.txt:3" or "command line" */
};

struct plan {
	struct plan_pkg *pkgs;  /* sorted by name */
	size_t n, alloc;
	struct plan_top *top;
	size_t ntop, atop;
	json_t *target;         /* the target interpreter (pyenv_to_json), owned reference */
	struct strlist index_urls; /* credentials removed */
};

/* Set up an empty plan. */
void plan_init(struct plan *p);
/* Free the plan. */
void plan_release(struct plan *p);
/* "toplevel", "install", "build-system", "build-backend", "build-sdist". */
const char *req_type_name(enum req_type t);
/* The plan as JSON (new reference). */
json_t *plan_to_json(const struct plan *p);
/* fromager's graph.json (new reference). */
json_t *plan_graph_json(const struct plan *p);
/* A build order: every package after the packages its build needs (its build requirements
 * and their install closure), ties broken by name. Returns a malloc'd array of p->n indices,
 * or NULL with err naming a build cycle. */
size_t *plan_build_order(const struct plan *p, struct buf *err);
/* fromager's build-order.json for the given order (new reference). */
json_t *plan_build_order_json(const struct plan *p, const size_t *order);
/* constraints.txt: name==version of every package reachable from the top through install edges. */
void plan_constraints_txt(const struct plan *p, struct buf *out);
/* Write graph.json, build-order.json and constraints.txt into outdir, each atomically, only when
 * changed, without fsync. Returns 0 or -1 with err. */
int plan_write_companions(const struct plan *p, const char *outdir, struct buf *err);
/* Write plan.json into outdir (atomically, only when changed, flushed to disk): its presence
 * says the other files are complete, so it comes after them. Returns 0 or -1 with err. */
int plan_write_plan(const struct plan *p, const char *outdir, struct buf *err);

#endif
