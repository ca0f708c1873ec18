/* resolve_int.h: internal to the resolver (included only by the .c files of gen/resolve/ and by its unit
 * test): its state, and the functions its parts share. resolve.c runs the rounds, keeps the projects, builds
 * each round's demands and turns the result into the plan; resolve_choose.c reads the index pages and
 * chooses versions; resolve_sdist.c downloads, verifies and inspects the chosen sdists; resolve_explain.c
 * words the failures; resolve_settings.c applies the package settings. */
#ifndef WBGEN_RESOLVE_INT_H
#define WBGEN_RESOLVE_INT_H

#include <stddef.h>

#include "buf.h"
#include "index.h"
#include "inspect.h"
#include "plan.h"
#include "reqfile/reqfile.h"
#include "requirement.h"
#include "resolve/resolve.h"
#include "specifier.h"
#include "strlist.h"
#include "version.h"

/* One version of a project, as the index pages list it. */
struct cand {
	struct version v;
	char *vstr;                         /* canonical */
	const struct dist_file *sdist;      /* the sdist used for this version, or NULL */
	const struct dist_file *meta_wheel; /* a compatible wheel with PEP 658 metadata, or NULL */
	long wheel_rank;
	const struct dist_file *wheel;      /* the best wheel for the target (include_wheels, pre_built), or NULL */
	long wheel_best;                    /* its rank */
	int foreign_wheels;                 /* wheels of this version exist, none for the target */
	int cooldown;                       /* files skipped by min_release_age: 1 too recent, 2 no upload time */
	int rp_ok;                          /* requires-python admits the target */
	char *pkginfo_rp;                   /* the sdist's PKG-INFO requires-python that excludes the target
					     * when the index did not say it, or NULL */
};

/* What the package settings (gen/settings/settings.h) say about resolving a project; fromager's defaults
 * when there are none. */
struct proj_settings {
	char *index_url;                    /* resolver_dist.sdist_server_url, or for a pre-built package the
					     * variant's wheel_server_url (ending with '/'); NULL: the global indexes */
	int include_sdists, include_wheels, ignore_platform;
	int pre_built;                      /* the variant's pre_built: the wheel is taken, not built */
	long min_age_days;                  /* min_release_age in effect; 0: none */
	int download_url;                   /* download_source.url is set */
};

/* A project, from the moment anything names it; it lives until the resolution ends. */
struct proj {
	char *name;                         /* canonical */
	struct proj_settings set;
	int prefetch;                       /* named by the previous plan: its page is fetched in the first wave */
	int page;                           /* 0 not fetched, 1 fetched, -1 no such project */
	struct project_page pg;             /* files of every index */
	struct cand *c;                     /* highest version first */
	size_t nc;
	long chosen;                        /* index into c, or -1 */
	unsigned changes;                   /* how often the choice changed */
	int inspected;                      /* the chosen sdist is downloaded and inspected */
	struct sdist_info info;
	struct requirement *breq, *dreq;    /* parsed info.build_requires and info.deps */
	size_t nbreq, ndreq;
	char *sdist_path, *sdist_sha256;   /* the downloaded sdist, or for a pre-built package the wheel */
	char *sdist_url;                    /* where it came from (download_source.url), or NULL: the index file */
	int build_tag;                      /* from the changelog (settings_effective) */
	const struct reqfile_entry **cons;  /* the constraints on this project */
	size_t ncons, acons;
	struct strlist hashes;              /* sha256 digests allowed by --hash (lowercase hex) */
	const struct reqfile_entry *hash_entry; /* the first entry that gave them */
	/* state of the current round */
	int reachable;
	long via;                           /* the demand through which it was first reached */
	size_t *dem;
	size_t ndem, adem;
	struct strlist extras, prev_extras;
};

/* One requirement met in the current round, and who asked for it. */
struct demand {
	const struct requirement *req;
	long parent;                        /* project index, -1 for the top */
	enum req_type type;
	const char *origin;                 /* file:line for the top */
};

/* The state of one resolve() call. */
struct resolver {
	int require_hashes;                 /* hash-checking mode: every sdist needs a matching --hash */
	const struct resolve_options *o;
	const struct reqset *reqs, *cons;
	struct proj *p;
	size_t np, ap;
	size_t *hash;                       /* open addressing: project index + 1, 0 empty */
	size_t nhash;
	struct demand *d;
	size_t nd, ad;
	struct version pyver;
	long long now;                      /* seconds since the epoch when the resolution started */
	char **origins;                     /* "file:line" of each reqs entry */
	struct buf *err;
};

/* resolve.c */

/* The index of the project named canonical, created when new (which may move r->p). */
size_t resolve_proj_get(struct resolver *r, const char *canonical);
/* Free what the inspection of p's chosen sdist filled in; p->inspected becomes 0. */
void resolve_proj_forget_inspection(struct proj *p);

/* resolve_choose.c */

/* The file that makes candidate c of p a candidate (the sdist; a wheel with include_wheels and no
 * sdist; the wheel of a pre-built package), or NULL when it has none. */
const struct dist_file *resolve_cand_file(const struct proj *p, const struct cand *c);

/* Fetch the index pages of the reachable projects not fetched yet and build their candidates;
 * sets *changed when there were any. Returns 0, or -1 with r->err. */
int resolve_fetch_pages(struct resolver *r, int *changed);
/* Merge the specifiers of demands dem[0..n) (and p's constraints when with_cons) into s. */
void resolve_merge_specs(const struct resolver *r, const struct proj *p, const size_t *dem, size_t n, int with_cons,
			 struct specset *s);
/* The index in p->c of the best candidate for demands dem[0..n) and the constraints: all of them
 * (con NULL and with_cons), none (!with_cons) or only con; -1 when none fits. A pin (== or ===)
 * in any of them admits yanked files, as in pip. */
long resolve_choose(const struct resolver *r, const struct proj *p, const size_t *dem, size_t n, int with_cons,
		    const struct reqfile_entry *con);
/* Choose a version of every reachable project, setting *changed when a choice or the extras asked
 * of a project changed; a project that no version fits keeps its choice, and the first one is
 * explained in failure unless that is non-empty. Returns 0, or -1 with r->err when the index has
 * no such project. */
int resolve_choose_all(struct resolver *r, int *changed, struct buf *failure);

/* resolve_sdist.c */

/* Collect the sha256 --hash values of set's entries into their projects, entering hash-checking
 * mode when there are any. Returns 0, or -1 with r->err for an entry with no sha256 --hash. */
int resolve_collect_hashes(struct resolver *r, const struct reqset *set);
/* Download and inspect the sdists of reachable projects whose choice is not inspected yet, and
 * parse their requirements (PEP 658 wheel metadata fills in dynamic install requirements); sets
 * *changed when there were any. A version whose PKG-INFO requires-python excludes the target is
 * no longer chosen. Returns 0, or -1 with r->err. */
int resolve_download_and_inspect(struct resolver *r, int *changed);

/* resolve_settings.c */

/* Fill p->set from the package settings of p->name (fromager's defaults when there are none). */
void resolve_proj_settings(const struct resolver *r, struct proj *p);
/* Free what resolve_proj_settings allocated. */
void resolve_proj_settings_release(struct proj_settings *ps);
/* Does min_release_age keep file f of p out? 0 no, 1 uploaded too recently, 2 no (valid) upload time. */
int resolve_cooldown(const struct resolver *r, const struct proj *p, const struct dist_file *f);
/* Rewrite info->build_requires as fromager's project_override does (update_build_requires,
 * remove_build_requires). 0, or -1 with r->err. */
int resolve_override_build_requires(const struct resolver *r, const struct proj *p, struct sdist_info *info);

/* resolve_explain.c */

/* p's chosen version (canonical, owned by p), or "?". */
const char *resolve_chosen_version(const struct proj *p);
/* Append to out the chain that brought in demand di: "bar 1.0 [install] <- requirements.txt:3". */
void resolve_add_chain(const struct resolver *r, long di, struct buf *out);
/* Append to out why no version of p fits its demands: the one requirement that matches nothing
 * (with the versions and why each was rejected), or conflicts with a constraint, or the pair
 * that conflict. */
void resolve_explain_failure(const struct resolver *r, const struct proj *p, struct buf *out);
/* Append to err that the rounds did not settle, naming the projects whose choice keeps changing. */
void resolve_unsettled(struct resolver *r, struct buf *err);

#endif
