/* resolve_sdist.c: the newly chosen sdists: downloaded (all in flight at once, sha256-verified,
 * reused when already there), checked against --hash, inspected, their requirements parsed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "resolve_impl.h"
#include "sha256.h"

/* ---- downloading and inspecting the chosen sdists */

static int parse_reqs(struct resolver *r, const struct proj *p, char *const *texts, size_t n, size_t stride,
		      struct requirement **out, size_t *nout, const char *what)
{
	size_t i;

	*out = xcalloc(n + 1, sizeof(**out));
	*nout = 0;
	for (i = 0; i < n; i++) {
		struct buf e = BUF_INIT;
		const char *t = *(char *const *)((const char *)texts + i * stride);

		requirement_init(&(*out)[i]);
		if (requirement_parse(t, &(*out)[i], &e) < 0) {
			buf_addf(r->err, "%s %s: %s: %s", p->name, resolve_chosen_version(p), what, e.s);
			buf_release(&e);
			requirement_release(&(*out)[i]);
			return -1;
		}
		buf_release(&e);
		(*nout)++;
	}
	return 0;
}

static int inspect_one(struct resolver *r, struct proj *p)
{
	const struct cand *c = &p->c[p->chosen];
	struct buf e = BUF_INIT;
	int rc = -1;

	if (sdist_inspect(p->sdist_path, &p->info, &e) < 0) {
		buf_addf(r->err, "%s %s: sdist '%s': %s", p->name, c->vstr, c->sdist->filename, e.s);
		goto out;
	}
	if (p->info.name) {
		char *n = name_canonicalize(p->info.name);

		if (strcmp(n, p->name) != 0)
			warn("%s %s: PKG-INFO names the project '%s'", p->name, c->vstr, p->info.name);
		free(n);
	}
	if (p->info.requires_python) {
		struct specset rp;

		specset_init(&rp);
		buf_reset(&e);
		if (specset_parse(p->info.requires_python, &rp, &e) == 0 && !specset_contains(&rp, &r->pyver, 1)) {
			/* the index did not say it; the sdist does: reject this version and choose again */
			p->c[p->chosen].rp_ok = 0;
			specset_release(&rp);
			resolve_proj_forget_inspection(p);
			p->chosen = -1;
			rc = 0;
			goto out;
		}
		specset_release(&rp);
	}
	rc = 0;
out:
	buf_release(&e);
	return rc;
}

static int fetch_metadata(struct resolver *r, size_t *which, size_t nw)
{
	struct fetch *q = xcalloc(nw + 1, sizeof(*q));
	struct fetch **pq = xcalloc(nw + 1, sizeof(*pq));
	char **urls = xcalloc(nw + 1, sizeof(*urls));
	size_t i;
	int rc = 0;

	for (i = 0; i < nw; i++) {
		const struct cand *c = &r->p[which[i]].c[r->p[which[i]].chosen];

		urls[i] = xasprintf("%s.metadata", c->meta_wheel->url);
		fetch_init(&q[i], urls[i]);
		q[i].sha256 = c->meta_wheel->metadata_sha256;
		q[i].cacheable = 1;
		pq[i] = &q[i];
	}
	fetcher_run(r->o->fetcher, pq, nw);
	for (i = 0; i < nw && rc == 0; i++) {
		struct proj *p = &r->p[which[i]];
		struct buf e = BUF_INIT;

		if (!q[i].ok) {
			/* the metadata is an optimisation: without it the package stays dynamic */
			warn("%s %s: cannot get the wheel metadata: %s", p->name, resolve_chosen_version(p), q[i].error);
		} else if (sdist_info_deps_from_metadata(&p->info, q[i].body.s, q[i].body.len, DEPS_WHEEL_METADATA, &e) < 0) {
			warn("%s %s: bad wheel metadata: %s", p->name, resolve_chosen_version(p), e.s);
		}
		buf_release(&e);
	}
	for (i = 0; i < nw; i++) {
		fetch_release(&q[i]);
		free(urls[i]);
	}
	free(q);
	free(pq);
	free(urls);
	return rc;
}

/* pip's hash-checking mode: the sdist must match one of the --hash values given for its project. */
static int check_hash(struct resolver *r, const struct proj *p)
{
	const struct cand *c = &p->c[p->chosen];

	if (p->hashes.n) {
		if (strlist_find(&p->hashes, p->sdist_sha256) >= 0)
			return 0;
		buf_addf(r->err, "%s %s: sdist '%s' has sha256 %s, which matches no --hash given for '%s' (%s:%zu)",
			 p->name, c->vstr, c->sdist->filename, p->sdist_sha256, p->name, p->hash_entry->file,
			 p->hash_entry->line);
		return -1;
	}
	if (!r->require_hashes)
		return 0;
	buf_addf(r->err, "%s %s: hash-checking mode (--require-hashes, or a --hash on any requirement) needs a --hash "
		 "for every package, and none is given for '%s' (", p->name, c->vstr, p->name);
	resolve_add_chain(r, p->via, r->err);
	buf_addch(r->err, ')');
	return -1;
}

int resolve_collect_hashes(struct resolver *r, const struct reqset *set)
{
	size_t i, j;

	for (i = 0; i < set->nr; i++) {
		const struct reqfile_entry *e = &set->entries[i];
		struct proj *p;
		size_t usable = 0, pi;

		if (!e->hashes.n)
			continue;
		r->require_hashes = 1;
		pi = resolve_proj_get(r, e->req.canonical_name); /* may move r->p */
		p = &r->p[pi];
		for (j = 0; j < e->hashes.n; j++) {
			const char *h = e->hashes.v[j];

			if (!starts_with(h, "sha256:"))
				continue;
			usable++;
			if (strlist_find(&p->hashes, h + 7) < 0)
				strlist_add(&p->hashes, h + 7);
		}
		if (!usable) {
			buf_addf(r->err, "%s:%zu: '%s' has no sha256 --hash, the only kind wbgen checks", e->file, e->line,
				 e->text);
			return -1;
		}
		if (!p->hash_entry)
			p->hash_entry = e;
	}
	return 0;
}

int resolve_download_and_inspect(struct resolver *r, int *changed)
{
	size_t *which = NULL, nw = 0, aw = 0, i, k, nd = 0;
	struct fetch *q;
	struct fetch **pq;
	int rc = 0;

	for (i = 0; i < r->np; i++)
		if (r->p[i].reachable && r->p[i].chosen >= 0 && !r->p[i].inspected) {
			GROW(which, aw, nw + 1);
			which[nw++] = i;
		}
	if (!nw)
		return 0;
	*changed = 1;
	q = xcalloc(nw, sizeof(*q));
	pq = xcalloc(nw, sizeof(*pq));
	/* each sdist already in OUTDIR and verifying is kept; else it comes from the cache's verified
	 * copy (a hard link) or from the index (into the cache, then linked) */
	for (i = 0; i < nw; i++) {
		struct proj *p = &r->p[which[i]];
		const struct cand *c = &p->c[p->chosen];

		resolve_proj_forget_inspection(p);
		p->sdist_path = xasprintf("%s/sdists-repo/downloads/%s", r->o->outdir, c->sdist->filename);
		fetch_init(&q[i], c->sdist->url);
		q[i].dest = p->sdist_path;
		q[i].sha256 = c->sdist->sha256;
		q[i].keep = 1;
		pq[i] = &q[i];
	}
	fetcher_run(r->o->fetcher, pq, nw);
	for (i = 0; i < nw; i++) {
		struct proj *p = &r->p[which[i]];

		if (!q[i].ok) {
			if (rc == 0)
				buf_addf(r->err, "cannot download '%s': %s", q[i].dest, q[i].error);
			rc = -1;
		} else if (q[i].sha256) {
			/* verified against it */
			p->sdist_sha256 = xstrdup(q[i].sha256);
			for (k = 0; p->sdist_sha256[k]; k++)
				p->sdist_sha256[k] = (char)ascii_tolower((unsigned char)p->sdist_sha256[k]);
		}
		nd += !q[i].from_cache;
		fetch_release(&q[i]);
	}
	free(q);
	free(pq);
	if (nd && r->o->verbose)
		fprintf(stderr, "wbgen: downloaded %zu sdist%s\n", nd, nd == 1 ? "" : "s");
	for (i = 0; i < nw && rc == 0; i++) {
		struct proj *p = &r->p[which[i]];
		struct buf hex = BUF_INIT;

		if (!p->sdist_sha256) {
			if (sha256_file_hex(p->sdist_path, &hex) < 0) {
				buf_addf(r->err, "cannot read '%s': %s", p->sdist_path, strerror(errno));
				rc = -1;
				break;
			}
			p->sdist_sha256 = buf_detach(&hex, NULL);
		}
		rc = check_hash(r, p);
		if (rc == 0)
			rc = inspect_one(r, p);
	}
	if (rc == 0) {
		size_t nm = 0;

		/* dynamic install requirements: a wheel's PEP 658 metadata of the same version */
		for (i = 0; i < nw; i++) {
			struct proj *p = &r->p[which[i]];

			if (p->chosen >= 0 && p->info.deps_source == DEPS_DYNAMIC && p->c[p->chosen].meta_wheel)
				which[nm++] = which[i];
		}
		if (nm)
			rc = fetch_metadata(r, which, nm);
	}
	for (i = 0; i < r->np && rc == 0; i++) {
		struct proj *p = &r->p[i];

		if (!p->reachable || p->chosen < 0 || p->inspected || !p->sdist_path)
			continue;
		if (parse_reqs(r, p, p->info.build_requires.v, p->info.build_requires.n, sizeof(char *), &p->breq,
			       &p->nbreq, "build requirement") < 0 ||
		    (p->info.ndeps && parse_reqs(r, p, &p->info.deps[0].req, p->info.ndeps, sizeof(struct dep),
						 &p->dreq, &p->ndreq, "install requirement") < 0))
			rc = -1;
		else
			p->inspected = 1;
	}
	free(which);
	return rc;
}
