/* resolve_sdist.c: the newly chosen sdists: downloaded (all in flight at once, sha256-verified,
 * reused when already there), checked against --hash, inspected, their requirements parsed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mirror.h"
#include "names.h"
#include "resolve/resolve_int.h"
#include "settings/settings.h"
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
	const struct settings_package *sp = r->o->settings ? settings_find(r->o->settings, p->name) : NULL;

	if (sdist_inspect_in(p->sdist_path, sp ? sp->build_dir : NULL, &p->info, &e) < 0) {
		buf_addf(r->err, "%s %s: sdist '%s': %s", p->name, c->vstr, strrchr(p->sdist_path, '/') + 1, e.s);
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
			free(p->c[p->chosen].pkginfo_rp);
			p->c[p->chosen].pkginfo_rp = xstrdup(p->info.requires_python);
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

/* A pre-built package: its wheel's METADATA gives the install requirements; nothing is built. */
static int inspect_wheel(struct resolver *r, struct proj *p)
{
	struct buf md = BUF_INIT, e = BUF_INIT;
	int rc = 0;

	if (wheel_metadata_read(p->sdist_path, &md, &e) < 0 ||
	    sdist_info_deps_from_metadata(&p->info, md.s, md.len, DEPS_WHEEL_METADATA, &e) < 0) {
		buf_addf(r->err, "%s %s: pre-built wheel '%s': %s", p->name, resolve_chosen_version(p),
			 p->c[p->chosen].wheel->filename, e.s);
		rc = -1;
	}
	buf_release(&md);
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
		buf_addf(r->err, "%s %s: %s '%s' has sha256 %s, which matches no --hash given for '%s' (%s:%zu)",
			 p->name, c->vstr, p->set.pre_built ? "wheel" : "sdist", strrchr(p->sdist_path, '/') + 1,
			 p->sdist_sha256, p->name, p->hash_entry->file,
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

/* The last path component of url (without query or fragment), or NULL when it is not a usable file name. */
static char *url_basename(const char *url)
{
	size_t end = strcspn(url, "?#"), start = end;

	while (start > 0 && url[start - 1] != '/')
		start--;
	return xstrndup(url + start, end - start);
}

static int file_name_ok(const char *s)
{
	return *s && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && !strchr(s, '/') && !strchr(s, '\\');
}

/* Where the chosen version of p comes from: the index file, download_source.url, or for a pre-built
 * package its wheel. Sets p->sdist_path (and p->sdist_url, p->build_tag) and *url, *sha256 (borrowed;
 * sha256 NULL when nothing is known to check). 0, or -1 with r->err. */
static int choose_source(struct resolver *r, struct proj *p, const char **url, const char **sha256)
{
	const struct cand *c = &p->c[p->chosen];
	const struct dist_file *f = resolve_cand_file(p, c);
	struct settings_effective e;
	struct buf err = BUF_INIT;
	char *fname = NULL;
	int rc = -1;

	memset(&e, 0, sizeof(e));
	if (r->o->settings && settings_effective(r->o->settings, p->name, c->vstr, &e, &err) < 0) {
		buf_addf(r->err, "%s", err.s);
		goto out;
	}
	if (r->o->settings && e.pre_built != p->set.pre_built) {
		/* the version is chosen among wheels or sdists before its version entry is known */
		buf_addf(r->err, "%s %s: variants.%s.versions.%s.pre_built differs from the variant's pre_built, which "
			 "alone decides whether a package is pre-built (%s)", p->name, c->vstr, e.variant, c->vstr,
			 e.pkg->file ? e.pkg->file : "settings");
		goto out;
	}
	p->build_tag = e.build_tag;
	*url = f->url;
	*sha256 = f->sha256;
	if (p->set.pre_built) {
		p->sdist_path = xasprintf("%s/prebuilt/%s", r->o->outdir, f->filename);
		rc = 0;
		goto out;
	}
	if (e.url) {
		p->sdist_url = xstrdup(e.url);
		fname = e.destination_filename ? xstrdup(e.destination_filename) : url_basename(e.url);
		if (!file_name_ok(fname)) {
			buf_addf(r->err, "%s %s: download_source: '%s' does not name a file to save the sdist as%s",
				 p->name, c->vstr, e.destination_filename ? e.destination_filename : e.url,
				 e.destination_filename ? "" : " (set destination_filename)");
			goto out;
		}
		*url = p->sdist_url;
		*sha256 = NULL;
	} else if (!c->sdist) {
		buf_addf(r->err, "%s %s: the index has no sdist of this version (chosen from the wheel '%s', "
			 "include_wheels) and download_source.url is not set", p->name, c->vstr, f->filename);
		goto out;
	} else {
		fname = xstrdup(f->filename);
	}
	p->sdist_path = xasprintf("%s/sdists-repo/downloads/%s", r->o->outdir, fname);
	rc = 0;
out:
	free(fname);
	settings_effective_release(&e);
	buf_release(&err);
	return rc;
}

int resolve_download_and_inspect(struct resolver *r, int *changed)
{
	size_t *which = NULL, nw = 0, aw = 0, i, k, nq = 0, nd = 0;
	struct fetch *q;
	struct fetch **pq;
	struct proj **qp;
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
	qp = xcalloc(nw, sizeof(*qp));
	/* each file already in OUTDIR and verifying is kept; else it comes from the cache's verified
	 * copy (a hard link) or from its URL (into the cache, then linked) */
	for (i = 0; i < nw && rc == 0; i++) {
		struct proj *p = &r->p[which[i]];
		const char *url, *sha;

		resolve_proj_forget_inspection(p);
		if (choose_source(r, p, &url, &sha) < 0) {
			rc = -1;
			break;
		}
		/* a download_source file already there is reused, as fromager does */
		if (!sha && p->sdist_url && access(p->sdist_path, F_OK) == 0)
			continue;
		fetch_init(&q[nq], url);
		q[nq].dest = p->sdist_path;
		q[nq].sha256 = sha;
		q[nq].keep = sha != NULL;
		pq[nq] = &q[nq];
		qp[nq++] = p;
	}
	if (nq && rc == 0)
		fetcher_run(r->o->fetcher, pq, nq);
	for (i = 0; i < nq; i++) {
		struct proj *p = qp[i];

		if (rc == 0 && !q[i].ok) {
			buf_addf(r->err, "cannot download '%s': %s", q[i].dest, q[i].error);
			rc = -1;
		} else if (rc == 0 && q[i].sha256) {
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
	free(qp);
	if (nd && r->o->verbose)
		fprintf(stderr, "wbgen: downloaded %zu file%s\n", nd, nd == 1 ? "" : "s");
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
		if (rc == 0 && p->set.pre_built)
			rc = inspect_wheel(r, p);
		else if (rc == 0)
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
		if (!p->set.pre_built && resolve_override_build_requires(r, p, &p->info) < 0)
			rc = -1;
		else if (parse_reqs(r, p, p->info.build_requires.v, p->info.build_requires.n, sizeof(char *), &p->breq,
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
