/* resolve.h: flat resolution of a requirement set into a plan (fromager's semantics, made
 * deterministic). See docs/architecture.md, "Resolution".
 *
 * Each round: every project reachable from the top-level requirements through the chosen
 * versions' build-system and install requirements gets its index pages (all in flight at
 * once), then the highest version that satisfies every requirement on it and every
 * constraint (and requires-python, the pre-release and yanked rules, and the presence of an
 * sdist); the sdists of newly chosen versions are downloaded (concurrently, sha256-verified)
 * and inspected. Rounds repeat until nothing changes, so the result does not depend on
 * network timing or on the order in which requirements were met. */
#ifndef WBGEN_RESOLVE_H
#define WBGEN_RESOLVE_H

#include "buf.h"
#include "discovered.h"
#include "fetch.h"
#include "plan.h"
#include "pyenv.h"
#include "reqfile/reqfile.h"
#include "strlist.h"

struct settings;

struct resolve_options {
	struct strlist index_urls;  /* the index and the extra indexes, in order (each ends with '/') */
	int pre;                    /* allow pre-releases everywhere (--pre) */
	const struct pyenv *target; /* the target interpreter: markers, tags, python version */
	const char *outdir;         /* sdists go to OUTDIR/sdists-repo/downloads */
	struct fetcher *fetcher;
	int verbose;                /* progress on stderr */
	int max_rounds;             /* give up when the choices do not settle (default 100) */
	const struct discovered *discovered; /* requirements found at build time, or NULL */
	const struct settings *settings; /* per-package settings (gen/settings/settings.h), or NULL */
	long min_release_age;       /* days a release must have been public, for packages whose settings do
				     * not say (resolver_dist.min_release_age); 0: no limit */
	long long now;              /* "now" for min_release_age, seconds since the epoch (0: time()) */
};

/* Fill the defaults (empty index list, 100 rounds). */
void resolve_options_init(struct resolve_options *o);
/* Free the options' own lists. */
void resolve_options_release(struct resolve_options *o);
/* Resolve reqs under cons into plan. Returns 0, or -1 with a one-line explanation in err
 * (conflicts name both requirements and the chains that brought them in; a requirement
 * that matches nothing lists the versions and why each was rejected). */
int resolve(const struct resolve_options *o, const struct reqset *reqs, const struct reqset *cons,
	    struct plan *plan, struct buf *err);

#endif
