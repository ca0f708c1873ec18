/* resolve_choose.c: a round's choices: the index pages of newly reached projects (all in flight
 * at once), their candidate versions, and the highest version that fits every demand. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "resolve/resolve_int.h"
#include "url.h"

/* ---- index pages and candidates */

static int sdist_pref(const char *filename)
{
	if (ends_with(filename, ".tar.gz"))
		return 0;
	if (ends_with(filename, ".zip"))
		return 1;
	return 2;
}

/* The candidate for version v, created (unsorted) when new. */
static struct cand *cand_get(struct proj *p, size_t *alloc, const struct version *v)
{
	size_t i;
	struct buf b = BUF_INIT;

	for (i = 0; i < p->nc; i++)
		if (version_cmp(&p->c[i].v, v) == 0)
			return &p->c[i];
	GROW(p->c, *alloc, p->nc + 1);
	memset(&p->c[p->nc], 0, sizeof(p->c[p->nc]));
	version_copy(&p->c[p->nc].v, v);
	version_format(v, &b);
	p->c[p->nc].vstr = buf_detach(&b, NULL);
	p->c[p->nc].wheel_rank = -1;
	p->c[p->nc].wheel_best = -1;
	p->c[p->nc].rp_ok = 1;
	return &p->c[p->nc++];
}

static int cand_cmp_desc(const void *a, const void *b)
{
	return version_cmp(&((const struct cand *)b)->v, &((const struct cand *)a)->v);
}

const struct dist_file *resolve_cand_file(const struct proj *p, const struct cand *c)
{
	if (p->set.pre_built)
		return c->wheel;
	if (c->sdist)
		return c->sdist;
	return p->set.include_wheels ? c->wheel : NULL;
}

static void add_wheel(struct resolver *r, struct proj *p, size_t *alloc, const struct dist_file *f)
{
	struct buf e = BUF_INIT;
	struct wheel_name w;
	struct version v;
	char *wn;
	long rank;
	int cool;
	struct cand *c;

	version_init(&v);
	if (wheel_name_parse(f->filename, &w, &e) < 0) {
		buf_release(&e);
		return;
	}
	wn = name_canonicalize(w.name);
	if (strcmp(wn, p->name) != 0 || version_parse(w.version, &v) < 0)
		goto out;
	rank = tag_list_best_rank(&r->o->target->tags, w.tags);
	if (rank >= 0 && f->has_metadata) {
		c = cand_get(p, alloc, &v);
		if (c->wheel_rank < 0 || rank < c->wheel_rank) {
			c->wheel_rank = rank;
			c->meta_wheel = f;
		}
	}
	if (!p->set.pre_built && !p->set.include_wheels)
		goto out;
	c = cand_get(p, alloc, &v);
	if (p->set.ignore_platform && !p->set.pre_built && rank < 0)
		rank = LONG_MAX; /* any wheel, the target's first */
	if (rank < 0) {
		c->foreign_wheels = 1;
		goto out;
	}
	if ((cool = resolve_cooldown(r, p, f)) != 0) {
		c->cooldown |= cool;
		goto out;
	}
	if (!c->wheel || (c->wheel->yanked && !f->yanked) || (c->wheel->yanked == f->yanked && rank < c->wheel_best)) {
		c->wheel = f;
		c->wheel_best = rank;
	}
out:
	free(wn);
	wheel_name_release(&w);
	version_release(&v);
	buf_release(&e);
}

static void build_candidates(struct resolver *r, struct proj *p)
{
	size_t i, alloc = 0;

	for (i = 0; i < p->pg.nfiles; i++) {
		const struct dist_file *f = &p->pg.files[i];
		struct buf e = BUF_INIT;
		struct sdist_name s;
		struct version v;
		struct cand *c;
		int cool;

		if (ends_with(f->filename, ".whl")) {
			add_wheel(r, p, &alloc, f);
			continue;
		}
		if (p->set.pre_built || !p->set.include_sdists)
			continue;
		version_init(&v);
		if (sdist_name_parse(f->filename, p->name, &s, &e) == 0) {
			if (version_parse(s.version, &v) == 0) {
				c = cand_get(p, &alloc, &v);
				if ((cool = resolve_cooldown(r, p, f)) != 0)
					c->cooldown |= cool;
				else if (!c->sdist || (c->sdist->yanked && !f->yanked) ||
					 (c->sdist->yanked == f->yanked && sdist_pref(f->filename) < sdist_pref(c->sdist->filename)))
					c->sdist = f;
			}
			sdist_name_release(&s);
		}
		version_release(&v);
		buf_release(&e);
	}
	for (i = 0; i < p->nc; i++) {
		struct cand *c = &p->c[i];
		const struct dist_file *f = resolve_cand_file(p, c);
		struct specset rp;
		struct buf e = BUF_INIT;

		if (!f || !f->requires_python)
			continue;
		specset_init(&rp);
		/* an unparsable requires-python is ignored, as pip does */
		if (specset_parse(f->requires_python, &rp, &e) == 0)
			c->rp_ok = specset_contains(&rp, &r->pyver, 1);
		specset_release(&rp);
		buf_release(&e);
	}
	if (p->nc > 1)
		QSORT(p->c, p->nc, cand_cmp_desc);
}

/* The indexes project p is looked up in: its settings' index, else the global ones. */
static size_t proj_indexes(const struct resolver *r, const struct proj *p, const char *const **urls)
{
	if (p->set.index_url) {
		*urls = (const char *const *)&p->set.index_url;
		return 1;
	}
	*urls = (const char *const *)r->o->index_urls.v;
	return r->o->index_urls.n;
}

int resolve_fetch_pages(struct resolver *r, int *changed)
{
	size_t i, j, n = 0;
	size_t *which = NULL, nw = 0, aw = 0, *first;
	struct fetch *q;
	struct fetch **pq;
	char **urls;
	int rc = 0;

	for (i = 0; i < r->np; i++)
		if ((r->p[i].reachable || r->p[i].prefetch) && r->p[i].page == 0) {
			GROW(which, aw, nw + 1);
			which[nw++] = i;
		}
	if (!nw)
		return 0;
	*changed = 1;
	first = xcalloc(nw + 1, sizeof(*first));
	for (i = 0; i < nw; i++) {
		const char *const *idx;

		first[i] = n;
		n += proj_indexes(r, &r->p[which[i]], &idx);
	}
	first[nw] = n;
	q = xcalloc(n ? n : 1, sizeof(*q));
	pq = xcalloc(n ? n : 1, sizeof(*pq));
	urls = xcalloc(n ? n : 1, sizeof(*urls));
	for (i = 0; i < nw; i++) {
		const char *const *idx;
		size_t nidx = proj_indexes(r, &r->p[which[i]], &idx);

		for (j = 0; j < nidx; j++) {
			size_t k = first[i] + j;

			/* a file:// index is a static tree: its pages are index.html files */
			urls[k] = xasprintf("%s%s/%s", idx[j], r->p[which[i]].name,
					    starts_with(idx[j], "file:") ? "index.html" : "");
			fetch_init(&q[k], urls[k]);
			q[k].accept = INDEX_ACCEPT;
			q[k].cacheable = 1;
			pq[k] = &q[k];
		}
	}
	if (r->o->verbose)
		fprintf(stderr, "wbgen: fetching %zu index page%s\n", n, n == 1 ? "" : "s");
	fetcher_run(r->o->fetcher, pq, n);
	for (i = 0; i < nw && rc == 0; i++) {
		struct proj *p = &r->p[which[i]];
		int found = 0, failed = 0;

		for (j = first[i]; j < first[i + 1] && rc == 0 && !failed; j++) {
			struct fetch *f = &q[j];
			struct buf e = BUF_INIT;

			if (!f->ok && (f->status == 404 || f->status == 410))
				continue;
			if (!p->reachable && (!f->ok || index_parse(&p->pg, f->content_type, f->body.s, f->body.len,
								   urls[j], &e) < 0)) {
				/* a prefetch that went wrong costs nothing: asked again if it turns out to be needed */
				failed = 1;
			} else if (!p->reachable) {
				found = 1;
			} else if (!f->ok) {
				buf_addf(r->err, "cannot get the index page of '%s': %s", p->name, f->error);
				rc = -1;
			} else if (index_parse(&p->pg, f->content_type, f->body.s, f->body.len, urls[j], &e) < 0) {
				char *red = url_redacted(urls[j]);

				buf_addf(r->err, "bad index page '%s': %s", red, e.s);
				free(red);
				rc = -1;
			} else {
				found = 1;
			}
			buf_release(&e);
		}
		p->prefetch = 0;
		if (failed) {
			project_page_release(&p->pg);
			project_page_init(&p->pg);
			continue;
		}
		p->page = found ? 1 : -1;
		if (found)
			build_candidates(r, p);
	}
	for (i = 0; i < n; i++) {
		fetch_release(&q[i]);
		free(urls[i]);
	}
	free(q);
	free(pq);
	free(urls);
	free(which);
	free(first);
	return rc;
}

/* ---- choosing a version */

static int is_pinned(const struct specset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if ((s->specs[i].op == SPEC_EQ && !s->specs[i].wildcard) || s->specs[i].op == SPEC_ARBITRARY)
			return 1;
	return 0;
}

void resolve_merge_specs(const struct resolver *r, const struct proj *p, const size_t *dem, size_t n, int with_cons,
			struct specset *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		specset_merge(s, &r->d[dem[i]].req->spec);
	if (with_cons)
		for (i = 0; i < p->ncons; i++)
			specset_merge(s, &p->cons[i]->req.spec);
}

/* Highest eligible candidate matching s; pinned allows yanked files. -1 when none. */
static long best_match(const struct resolver *r, const struct proj *p, const struct specset *s, int pinned)
{
	const struct version **v = xcalloc(p->nc + 1, sizeof(*v));
	size_t *idx = xcalloc(p->nc + 1, sizeof(*idx)), *map = xcalloc(p->nc + 1, sizeof(*map));
	size_t i, n = 0, got;
	long best = -1;

	for (i = 0; i < p->nc; i++) {
		const struct cand *c = &p->c[i];
		const struct dist_file *f = resolve_cand_file(p, c);

		if (!f || !c->rp_ok || (f->yanked && !pinned))
			continue;
		map[n] = i;
		v[n++] = &c->v;
	}
	got = specset_filter(s, v, n, r->o->pre ? 1 : -1, idx);
	if (!got && !r->o->pre)
		got = specset_filter(s, v, n, 1, idx); /* only pre-releases match: take them */
	if (got)
		best = (long)map[idx[0]];
	free(v);
	free(idx);
	free(map);
	return best;
}

long resolve_choose(const struct resolver *r, const struct proj *p, const size_t *dem, size_t n, int with_cons,
		       const struct reqfile_entry *con)
{
	struct specset s;
	int pinned = 0;
	size_t i;
	long best;

	specset_init(&s);
	resolve_merge_specs(r, p, dem, n, with_cons && !con, &s);
	for (i = 0; i < n; i++)
		pinned |= is_pinned(&r->d[dem[i]].req->spec);
	if (con) {
		specset_merge(&s, &con->req.spec);
		pinned |= is_pinned(&con->req.spec);
	} else if (with_cons) {
		for (i = 0; i < p->ncons; i++)
			pinned |= is_pinned(&p->cons[i]->req.spec);
	}
	best = best_match(r, p, &s, pinned);
	specset_release(&s);
	return best;
}

/* ---- a round's choices */

static int extras_changed(const struct proj *p)
{
	size_t i;

	if (p->extras.n != p->prev_extras.n)
		return 1;
	for (i = 0; i < p->extras.n; i++)
		if (strlist_find(&p->prev_extras, p->extras.v[i]) < 0)
			return 1;
	return 0;
}

int resolve_choose_all(struct resolver *r, int *changed, struct buf *failure)
{
	long *next = xcalloc(r->np + 1, sizeof(*next));
	size_t i;

	for (i = 0; i < r->np; i++)
		next[i] = r->p[i].chosen;
	for (i = 0; i < r->np; i++) {
		struct proj *p = &r->p[i];
		long best;

		if (!p->reachable)
			continue;
		if (p->page < 0) {
			if (p->set.index_url) {
				char *red = url_redacted(p->set.index_url);

				buf_addf(r->err, "no such project '%s' on the index '%s' (its settings' %s; ", p->name, red,
					 p->set.pre_built ? "wheel_server_url" : "sdist_server_url");
				free(red);
			} else {
				buf_addf(r->err, "no such project '%s' on the index (", p->name);
			}
			resolve_add_chain(r, p->via, r->err);
			buf_addch(r->err, ')');
			free(next);
			return -1;
		}
		if (extras_changed(p))
			*changed = 1;
		best = resolve_choose(r, p, p->dem, p->ndem, 1, NULL);
		if (best < 0) {
			if (!failure->len)
				resolve_explain_failure(r, p, failure);
			continue;
		}
		next[i] = best;
	}
	/* the demands of this round point into the requirements of the chosen versions: change
	 * the choices only once every project has been looked at */
	for (i = 0; i < r->np; i++)
		if (next[i] != r->p[i].chosen) {
			resolve_proj_forget_inspection(&r->p[i]);
			r->p[i].chosen = next[i];
			r->p[i].changes++;
			*changed = 1;
		}
	free(next);
	return 0;
}
