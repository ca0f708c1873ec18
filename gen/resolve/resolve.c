/* resolve.c: flat, deterministic resolution (see resolve.h): the rounds, the projects by name,
 * each round's demands, and the plan made of the result. resolve_int.h lists the other parts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "names.h"
#include "resolve/resolve_int.h"
#include "url.h"
#include "version.h"

/* ---- projects by name */

static size_t hash_name(const char *s)
{
	size_t h = 1469598103934665603ULL & SIZE_MAX;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (1099511628211ULL & SIZE_MAX);
	return h;
}

static void rehash(struct resolver *r)
{
	size_t i;

	free(r->hash);
	r->nhash = r->nhash ? r->nhash * 2 : 256;
	r->hash = xcalloc(r->nhash, sizeof(*r->hash));
	for (i = 0; i < r->np; i++) {
		size_t h = hash_name(r->p[i].name) & (r->nhash - 1);

		while (r->hash[h])
			h = (h + 1) & (r->nhash - 1);
		r->hash[h] = i + 1;
	}
}

size_t resolve_proj_get(struct resolver *r, const char *canonical)
{
	size_t h;
	struct proj *p;

	if (r->np * 2 >= r->nhash)
		rehash(r);
	h = hash_name(canonical) & (r->nhash - 1);
	while (r->hash[h]) {
		if (strcmp(r->p[r->hash[h] - 1].name, canonical) == 0)
			return r->hash[h] - 1;
		h = (h + 1) & (r->nhash - 1);
	}
	GROW(r->p, r->ap, r->np + 1);
	p = &r->p[r->np];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(canonical);
	p->chosen = -1;
	p->via = -1;
	project_page_init(&p->pg);
	sdist_info_init(&p->info);
	resolve_proj_settings(r, p);
	r->hash[h] = ++r->np;
	return r->np - 1;
}

static void reqs_free(struct requirement *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		requirement_release(&v[i]);
	free(v);
}

void resolve_proj_forget_inspection(struct proj *p)
{
	sdist_info_release(&p->info);
	reqs_free(p->breq, p->nbreq);
	reqs_free(p->dreq, p->ndreq);
	p->breq = p->dreq = NULL;
	p->nbreq = p->ndreq = 0;
	free(p->sdist_path);
	free(p->sdist_sha256);
	free(p->sdist_url);
	p->sdist_path = p->sdist_sha256 = p->sdist_url = NULL;
	p->build_tag = 0;
	p->inspected = 0;
}

static void proj_release(struct proj *p)
{
	size_t i;

	free(p->name);
	resolve_proj_settings_release(&p->set);
	project_page_release(&p->pg);
	for (i = 0; i < p->nc; i++) {
		version_release(&p->c[i].v);
		free(p->c[i].vstr);
		free(p->c[i].pkginfo_rp);
	}
	free(p->c);
	resolve_proj_forget_inspection(p);
	free(p->cons);
	strlist_release(&p->hashes);
	free(p->dem);
	strlist_release(&p->extras);
	strlist_release(&p->prev_extras);
}

/* ---- demands of one round */

static void add_extra(struct strlist *l, const char *extra)
{
	char *c = name_canonicalize(extra);

	if (strlist_find(l, c) < 0)
		strlist_add_owned(l, c);
	else
		free(c);
}

static int add_demand(struct resolver *r, const struct requirement *req, long parent, enum req_type type,
		      const char *origin, size_t **queue, size_t *nq, size_t *aq)
{
	size_t pi, i;
	struct proj *p;

	if (req->url) {
		buf_addf(r->err, "'%s': direct URL requirements are not supported, wbgen builds from an index (",
			 req->text);
		if (parent < 0)
			buf_adds(r->err, origin);
		else
			buf_addf(r->err, "%s %s", r->p[parent].name, resolve_chosen_version(&r->p[parent]));
		buf_addch(r->err, ')');
		return -1;
	}
	GROW(r->d, r->ad, r->nd + 1);
	r->d[r->nd].req = req;
	r->d[r->nd].parent = parent;
	r->d[r->nd].type = type;
	r->d[r->nd].origin = origin;
	pi = resolve_proj_get(r, req->canonical_name);
	p = &r->p[pi];
	GROW(p->dem, p->adem, p->ndem + 1);
	p->dem[p->ndem++] = r->nd;
	for (i = 0; i < req->nextras; i++)
		add_extra(&p->extras, req->extras[i]);
	if (!p->reachable) {
		p->reachable = 1;
		p->via = (long)r->nd;
		GROW(*queue, *aq, *nq + 1);
		(*queue)[(*nq)++] = pi;
	}
	r->nd++;
	return 0;
}

/* Does requirement req of project p apply (markers, for the extras p was asked for)? 1, 0, -1 */
static int dep_applies(struct resolver *r, const struct proj *p, const struct requirement *req, const char *extra)
{
	struct buf e = BUF_INIT;
	int v;

	if (extra) {
		char *c = name_canonicalize(extra);
		long found = strlist_find(&p->prev_extras, c);

		free(c);
		if (found < 0)
			return 0;
		v = req->marker ? marker_eval(req->marker, &r->o->target->markers, extra, &e) : 1;
	} else {
		v = requirement_applies(req, &r->o->target->markers, (const char *const *)p->prev_extras.v,
					p->prev_extras.n, &e);
	}
	if (v < 0)
		buf_addf(r->err, "%s %s: cannot evaluate the marker of '%s': %s", p->name, resolve_chosen_version(p),
			 req->text, e.s);
	buf_release(&e);
	return v;
}

/* The requirements that building package pi at its chosen version turned up (discovered.json). */
static int add_discovered(struct resolver *r, size_t pi, size_t **queue, size_t *nq, size_t *aq)
{
	const struct discovered *d = r->o->discovered;
	size_t i;

	for (i = 0; d && i < d->n; i++) {
		const struct discovered_req *e = &d->v[i];
		const struct proj *p = &r->p[pi];
		struct buf me = BUF_INIT;
		int v;

		if (p->chosen < 0 || strcmp(e->name, p->name) != 0 || version_cmp(&e->v, &p->c[p->chosen].v) != 0)
			continue;
		/* a package whose install requirements were static has them from its metadata already */
		if (e->type == REQ_INSTALL && p->info.deps_source != DEPS_DYNAMIC)
			continue;
		if (e->type == REQ_INSTALL) {
			v = dep_applies(r, p, &e->req, NULL);
		} else {
			v = requirement_applies(&e->req, &r->o->target->markers, NULL, 0, &me);
			if (v < 0)
				buf_addf(r->err, "%s %s: cannot evaluate the marker of '%s': %s", p->name,
					 resolve_chosen_version(p), e->req.text, me.s);
			buf_release(&me);
		}
		if (v < 0 || (v && add_demand(r, &e->req, (long)pi, e->type, NULL, queue, nq, aq) < 0))
			return -1;
	}
	return 0;
}

static int build_demands(struct resolver *r)
{
	size_t *queue = NULL, nq = 0, aq = 0, qi, i;
	int rc = -1;

	for (i = 0; i < r->np; i++) {
		struct proj *p = &r->p[i];
		struct strlist t = p->prev_extras;

		p->reachable = 0;
		p->via = -1;
		p->ndem = 0;
		p->prev_extras = p->extras;
		p->extras = t;
		strlist_release(&p->extras);
	}
	r->nd = 0;
	for (i = 0; i < r->reqs->nr; i++) {
		const struct reqfile_entry *e = &r->reqs->entries[i];
		struct buf me = BUF_INIT;
		int v;

		if (e->constraint)
			continue;
		v = requirement_applies(&e->req, &r->o->target->markers, NULL, 0, &me);
		if (v < 0)
			buf_addf(r->err, "%s:%zu: cannot evaluate the marker of '%s': %s", e->file, e->line, e->text, me.s);
		buf_release(&me);
		if (v < 0)
			goto out;
		if (v && add_demand(r, &e->req, -1, REQ_TOPLEVEL, r->origins[i], &queue, &nq, &aq) < 0)
			goto out;
	}
	for (qi = 0; qi < nq; qi++) {
		size_t pi = queue[qi];
		size_t nb, nd;

		if (r->p[pi].chosen < 0 || !r->p[pi].inspected)
			continue;
		nb = r->p[pi].nbreq;
		nd = r->p[pi].ndreq;
		for (i = 0; i < nb; i++) {
			const struct requirement *req = &r->p[pi].breq[i];
			struct buf me = BUF_INIT;
			int v = requirement_applies(req, &r->o->target->markers, NULL, 0, &me);

			if (v < 0)
				buf_addf(r->err, "%s %s: cannot evaluate the marker of '%s': %s", r->p[pi].name,
					 resolve_chosen_version(&r->p[pi]), req->text, me.s);
			buf_release(&me);
			if (v < 0 || (v && add_demand(r, req, (long)pi, REQ_BUILD_SYSTEM, NULL, &queue, &nq, &aq) < 0))
				goto out;
		}
		for (i = 0; i < nd; i++) {
			const struct requirement *req = &r->p[pi].dreq[i];
			int v = dep_applies(r, &r->p[pi], req, r->p[pi].info.deps[i].extra);

			if (v < 0 || (v && add_demand(r, req, (long)pi, REQ_INSTALL, NULL, &queue, &nq, &aq) < 0))
				goto out;
		}
		if (add_discovered(r, pi, &queue, &nq, &aq) < 0)
			goto out;
	}
	rc = 0;
out:
	free(queue);
	return rc;
}

/* ---- the plan */

/* qsort has no context argument: the projects being sorted, set around the one call */
static const struct proj *sort_projects;

static int pidx_cmp(const void *a, const void *b)
{
	return strcmp(sort_projects[*(const size_t *)a].name, sort_projects[*(const size_t *)b].name);
}

static void add_edge(struct plan_pkg *k, size_t to, enum req_type type, const char *req)
{
	size_t i;

	for (i = 0; i < k->nedges; i++)
		if (k->edges[i].to == to && k->edges[i].type == type && strcmp(k->edges[i].req, req) == 0)
			return;
	GROW(k->edges, k->alloc, k->nedges + 1);
	k->edges[k->nedges].to = to;
	k->edges[k->nedges].type = type;
	k->edges[k->nedges].req = xstrdup(req);
	k->nedges++;
}

static void make_plan(struct resolver *r, struct plan *plan)
{
	size_t *order = xcalloc(r->np + 1, sizeof(*order)), *map = xcalloc(r->np + 1, sizeof(*map)), n = 0, i, j;

	for (i = 0; i < r->np; i++)
		if (r->p[i].reachable && r->p[i].chosen >= 0 && r->p[i].inspected)
			order[n++] = i;
	sort_projects = r->p;
	QSORT(order, n, pidx_cmp);
	sort_projects = NULL;
	plan->pkgs = xcalloc(n + 1, sizeof(*plan->pkgs));
	plan->n = plan->alloc = n;
	for (i = 0; i < n; i++) {
		struct proj *p = &r->p[order[i]];
		struct plan_pkg *k = &plan->pkgs[i];
		struct buf cons = BUF_INIT;
		const struct dist_file *f;
		const char *base;

		map[order[i]] = i;
		k->name = xstrdup(p->name);
		k->version = xstrdup(p->c[p->chosen].vstr);
		if (p->ncons == 1) {
			buf_adds(&cons, p->cons[0]->text);
		} else if (p->ncons > 1) {
			/* several constraint lines: one requirement with their specifiers merged */
			struct specset s;

			specset_init(&s);
			for (j = 0; j < p->ncons; j++)
				specset_merge(&s, &p->cons[j]->req.spec);
			buf_adds(&cons, p->cons[0]->req.name);
			specset_format(&s, &cons);
			specset_release(&s);
		}
		k->constraint = cons.len ? buf_detach(&cons, NULL) : NULL;
		buf_release(&cons);
		f = resolve_cand_file(p, &p->c[p->chosen]);
		base = strrchr(p->sdist_path, '/') + 1;
		k->sdist_filename = xstrdup(base);
		/* the files are shared, credentials are not */
		k->sdist_url = url_redacted(p->sdist_url ? p->sdist_url : f->url);
		k->sdist_sha256 = xstrdup(p->sdist_sha256);
		k->sdist_path = xasprintf("%s/%s", p->set.pre_built ? "prebuilt" : "sdists-repo/downloads", base);
		k->pre_built = p->set.pre_built;
		k->source_type = p->set.pre_built ? "prebuilt" : p->set.download_url ? "override" : "sdist";
		k->index_url = url_redacted(f->url);
		k->index_sha256 = f->sha256 ? xstrdup(f->sha256) : NULL;
		k->build_tag = p->build_tag;
		k->info = p->info; /* moved */
		sdist_info_init(&p->info);
		k->extras = p->extras;
		strlist_init(&p->extras);
		strlist_sort(&k->extras);
	}
	for (i = 0; i < r->nd; i++) {
		const struct demand *d = &r->d[i];
		size_t to = resolve_proj_get(r, d->req->canonical_name);

		if (d->parent < 0) {
			GROW(plan->top, plan->atop, plan->ntop + 1);
			plan->top[plan->ntop].to = map[to];
			plan->top[plan->ntop].req = xstrdup(d->req->text);
			plan->top[plan->ntop].origin = xstrdup(d->origin);
			plan->ntop++;
		} else if ((size_t)d->parent != to) {
			/* a package asking for its own extras ("pkg[all]" needs "pkg[a]") gets no
			 * edge to itself: the extras are in the package's "extras" */
			add_edge(&plan->pkgs[map[d->parent]], map[to], d->type, d->req->text);
		}
	}
	plan->target = pyenv_to_json(r->o->target);
	for (i = 0; i < r->o->index_urls.n; i++)
		strlist_add_owned(&plan->index_urls, url_redacted(r->o->index_urls.v[i]));
	free(order);
	free(map);
}

/* ---- the rounds */

void resolve_options_init(struct resolve_options *o)
{
	memset(o, 0, sizeof(*o));
	strlist_init(&o->index_urls);
	o->max_rounds = 100;
}

void resolve_options_release(struct resolve_options *o)
{
	strlist_release(&o->index_urls);
}

/* The projects of the previous plan in OUTDIR (if any) get their pages in the first wave, with
 * the top-level ones: a re-run then waits for one wave of revalidations instead of one per level
 * of the graph. Only pages are fetched early; what is chosen still depends on the requirements
 * alone, so the plan is the same with or without a previous one. The names come from the
 * previous Makefile's WBGEN_PACKAGES (NAME-VERSION words near its top), which costs a few lines
 * of reading where plan.json (megabytes of JSON at 10,000 packages) cost a parse. */
static void prefetch_previous(struct resolver *r)
{
	char *path = xasprintf("%s/Makefile", r->o->outdir), *line = NULL;
	FILE *f = fopen(path, "re");
	size_t cap = 0;
	ssize_t n;
	int in = 0;

	free(path);
	if (!f)
		return;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *p = line, *end = line + n;
		int more = 0;

		if (!in) {
			if (!starts_with(line, "WBGEN_PACKAGES :="))
				continue;
			in = 1;
			p += strlen("WBGEN_PACKAGES :=");
		}
		while (end > p && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		if (end > p && end[-1] == '\\') {
			more = 1;
			end--;
		}
		while (p < end) {
			char *w, *dash;

			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			w = p;
			while (p < end && *p != ' ' && *p != '\t')
				p++;
			dash = p;
			while (dash > w && dash[-1] != '-')
				dash--;
			if (dash - 1 > w && name_is_valid(w, (size_t)(dash - 1 - w))) {
				char *name = xstrndup(w, (size_t)(dash - 1 - w)), *canonical = name_canonicalize(name);

				if (strcmp(canonical, name) == 0) {
					size_t pi = resolve_proj_get(r, canonical);

					if (!r->p[pi].page)
						r->p[pi].prefetch = 1;
				}
				free(canonical);
				free(name);
			}
		}
		if (!more)
			break;
	}
	free(line);
	fclose(f);
}

int resolve(const struct resolve_options *o, const struct reqset *reqs, const struct reqset *cons,
	    struct plan *plan, struct buf *err)
{
	struct resolver r;
	struct buf failure = BUF_INIT;
	size_t i;
	int round, rc = -1;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.reqs = reqs;
	r.cons = cons;
	r.err = err;
	r.now = o->now ? o->now : (long long)time(NULL);
	version_init(&r.pyver);
	if (version_parse(o->target->version, &r.pyver) < 0) {
		buf_addf(err, "the target interpreter reports an invalid version '%s'", o->target->version);
		goto out;
	}
	r.origins = xcalloc(reqs->nr + 1, sizeof(*r.origins));
	for (i = 0; i < reqs->nr; i++)
		r.origins[i] = xasprintf("%s:%zu", reqs->entries[i].file, reqs->entries[i].line);
	for (i = 0; i < cons->nr + reqs->nr; i++) {
		const struct reqfile_entry *e = i < cons->nr ? &cons->entries[i] : &reqs->entries[i - cons->nr];
		struct buf me = BUF_INIT;
		struct proj *p;
		size_t pi;
		int v;

		if (i >= cons->nr && !e->constraint)
			continue;
		if (e->req.url) {
			buf_addf(err, "%s:%zu: constraint '%s' names a URL, which wbgen cannot honour", e->file, e->line,
				 e->text);
			goto out;
		}
		v = requirement_applies(&e->req, &o->target->markers, NULL, 0, &me);
		if (v < 0)
			buf_addf(err, "%s:%zu: cannot evaluate the marker of '%s': %s", e->file, e->line, e->text, me.s);
		buf_release(&me);
		if (v < 0)
			goto out;
		if (!v)
			continue;
		pi = resolve_proj_get(&r, e->req.canonical_name); /* may move r.p */
		p = &r.p[pi];
		GROW(p->cons, p->acons, p->ncons + 1);
		p->cons[p->ncons++] = e;
	}
	r.require_hashes = reqs->require_hashes;
	if (resolve_collect_hashes(&r, reqs) < 0 || resolve_collect_hashes(&r, cons) < 0)
		goto out;
	prefetch_previous(&r);
	for (round = 1;; round++) {
		int changed = 0;

		if (round > o->max_rounds) {
			resolve_unsettled(&r, err);
			goto out;
		}
		buf_reset(&failure);
		if (build_demands(&r) < 0 || resolve_fetch_pages(&r, &changed) < 0 ||
		    resolve_choose_all(&r, &changed, &failure) < 0)
			goto out;
		if (failure.len && !changed) {
			buf_adds(err, failure.s);
			goto out;
		}
		if (resolve_download_and_inspect(&r, &changed) < 0)
			goto out;
		if (o->verbose)
			fprintf(stderr, "wbgen: round %d: %zu projects known, %zu requirements\n", round, r.np, r.nd);
		if (!changed && !failure.len)
			break;
	}
	make_plan(&r, plan);
	rc = 0;
out:
	buf_release(&failure);
	for (i = 0; i < r.np; i++)
		proj_release(&r.p[i]);
	free(r.p);
	free(r.hash);
	free(r.d);
	if (r.origins)
		for (i = 0; i < reqs->nr; i++)
			free(r.origins[i]);
	free(r.origins);
	version_release(&r.pyver);
	return rc;
}
