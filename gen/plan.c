/* plan.c: the resolved plan and its files (see plan.h, docs/file-formats.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jsonw.h"
#include "plan.h"

void plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
}

void plan_release(struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		struct plan_pkg *k = &p->pkgs[i];

		free(k->name);
		free(k->version);
		free(k->constraint);
		free(k->sdist_filename);
		free(k->sdist_url);
		free(k->sdist_sha256);
		free(k->sdist_path);
		free(k->index_url);
		free(k->index_sha256);
		sdist_info_release(&k->info);
		strlist_release(&k->extras);
		for (j = 0; j < k->nedges; j++)
			free(k->edges[j].req);
		free(k->edges);
	}
	free(p->pkgs);
	for (i = 0; i < p->ntop; i++) {
		free(p->top[i].req);
		free(p->top[i].origin);
	}
	free(p->top);
	json_decref(p->target);
	strlist_release(&p->index_urls);
	plan_init(p);
}

const char *req_type_name(enum req_type t)
{
	static const char *const names[] = { "toplevel", "install", "build-system", "build-backend", "build-sdist" };

	return names[t];
}

static json_t *strlist_json(const struct strlist *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static const char *source_type(const struct plan_pkg *k)
{
	return k->source_type ? k->source_type : "sdist";
}

static char *pkg_key(const struct plan_pkg *k)
{
	return xasprintf("%s==%s", k->name, k->version);
}

static json_t *edges_json(const struct plan *p, const struct plan_edge *e, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		char *key = pkg_key(&p->pkgs[e[i].to]);

		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "key", key, "req_type", req_type_name(e[i].type),
						   "req", e[i].req));
		free(key);
	}
	return a;
}

json_t *plan_to_json(const struct plan *p)
{
	json_t *root = json_object(), *pkgs = json_array(), *top = json_array();
	size_t i, j;

	json_object_set_new(root, "wbgen_plan", json_integer(1));
	json_object_set(root, "target", p->target ? p->target : json_null());
	json_object_set_new(root, "index_urls", strlist_json(&p->index_urls));
	for (i = 0; i < p->ntop; i++)
		json_array_append_new(top, json_pack("{s:s, s:s, s:s}", "req", p->top[i].req, "origin", p->top[i].origin,
						     "name", p->pkgs[p->top[i].to].name));
	json_object_set_new(root, "toplevel", top);
	for (i = 0; i < p->n; i++) {
		const struct plan_pkg *k = &p->pkgs[i];
		json_t *o = json_object(), *bs = json_object(), *deps, *dist;

		json_object_set_new(o, "name", json_string(k->name));
		json_object_set_new(o, "version", json_string(k->version));
		json_object_set_new(o, "constraint", k->constraint ? json_string(k->constraint) : json_null());
		dist = json_pack("{s:s, s:s, s:s, s:s}", "filename", k->sdist_filename, "url", k->sdist_url, "sha256",
				 k->sdist_sha256, "path", k->sdist_path);
		if (k->pre_built) {
			json_object_set_new(o, "sdist", json_null());
			json_object_set_new(o, "wheel", dist);
		} else {
			json_object_set_new(dist, "topdir", json_string(k->info.topdir ? k->info.topdir : ""));
			json_object_set_new(o, "sdist", dist);
		}
		json_object_set_new(o, "pre_built", json_boolean(k->pre_built));
		json_object_set_new(o, "source_url_type", json_string(source_type(k)));
		json_object_set_new(o, "build_tag", k->build_tag ? json_integer(k->build_tag) : json_null());
		json_object_set_new(o, "requires_python",
				    k->info.requires_python ? json_string(k->info.requires_python) : json_null());
		if (k->pre_built) {
			json_decref(bs);
			json_object_set_new(o, "build_system", json_null());
		} else {
			json_object_set_new(bs, "requires", strlist_json(&k->info.build_requires));
			json_object_set_new(bs, "build_backend", json_string(k->info.build_backend));
			json_object_set_new(bs, "backend_path", strlist_json(&k->info.backend_path));
			json_object_set_new(bs, "default", json_boolean(k->info.build_system_default));
			json_object_set_new(o, "build_system", bs);
		}
		json_object_set_new(o, "install_requires_source", json_string(deps_source_name(k->info.deps_source)));
		if (k->info.deps_source == DEPS_DYNAMIC) {
			deps = json_null();
		} else {
			deps = json_array();
			for (j = 0; j < k->info.ndeps; j++) {
				const struct dep *d = &k->info.deps[j];

				json_array_append_new(deps, d->extra ? json_pack("{s:s, s:s}", "req", d->req, "extra", d->extra)
								     : json_pack("{s:s}", "req", d->req));
			}
		}
		json_object_set_new(o, "install_requires", deps);
		json_object_set_new(o, "extras", strlist_json(&k->extras));
		json_object_set_new(o, "edges", edges_json(p, k->edges, k->nedges));
		json_array_append_new(pkgs, o);
	}
	json_object_set_new(root, "packages", pkgs);
	return root;
}

json_t *plan_graph_json(const struct plan *p)
{
	json_t *g = json_object(), *root = json_object(), *edges = json_array();
	size_t i;

	for (i = 0; i < p->ntop; i++) {
		char *key = pkg_key(&p->pkgs[p->top[i].to]);

		json_array_append_new(edges, json_pack("{s:s, s:s, s:s}", "key", key, "req_type", "toplevel", "req",
						       p->top[i].req));
		free(key);
	}
	json_object_set_new(root, "download_url", json_string(""));
	json_object_set_new(root, "pre_built", json_false());
	json_object_set_new(root, "version", json_string("0"));
	json_object_set_new(root, "canonicalized_name", json_string(""));
	json_object_set_new(root, "constraint", json_string(""));
	json_object_set_new(root, "edges", edges);
	json_object_set_new(g, "", root);
	for (i = 0; i < p->n; i++) {
		const struct plan_pkg *k = &p->pkgs[i];
		char *key = pkg_key(k);

		json_object_set_new(g, key, json_pack("{s:s, s:b, s:s, s:s, s:s, s:o}", "download_url",
						      k->index_url ? k->index_url : k->sdist_url, "pre_built", k->pre_built,
						      "version", k->version, "canonicalized_name",
						      k->name, "constraint", k->constraint ? k->constraint : "",
						      "edges", edges_json(p, k->edges, k->nedges)));
		free(key);
	}
	return g;
}

/* ---- build order: DFS post-order over "needs" = build requirements and their install closure */

struct order_state {
	const struct plan *p;
	unsigned char *mark;  /* 0 new, 1 on the stack, 2 placed */
	size_t *order, n;
	size_t *stamp;        /* closure visit stamps */
	size_t gen;
	size_t *stack;        /* the DFS path, for cycle messages */
	size_t *via;          /* via[j]: the build requirement of stack[j] being placed */
	size_t depth;
	struct buf *err;
};

static int place(struct order_state *s, size_t i);

/* Collect i and its install closure (by stamps), then place each member. */
static int place_closure(struct order_state *s, size_t start)
{
	size_t *todo = NULL, ntodo = 0, atodo = 0, *members = NULL, nm = 0, am = 0, j;
	size_t gen = ++s->gen;
	int r = 0;

	GROW(todo, atodo, 1);
	todo[ntodo++] = start;
	s->stamp[start] = gen;
	while (ntodo > 0) {
		size_t k = todo[--ntodo];
		const struct plan_pkg *pk = &s->p->pkgs[k];

		GROW(members, am, nm + 1);
		members[nm++] = k;
		for (j = 0; j < pk->nedges; j++) {
			size_t t = pk->edges[j].to;

			if (pk->edges[j].type != REQ_INSTALL || s->stamp[t] == gen)
				continue;
			s->stamp[t] = gen;
			GROW(todo, atodo, ntodo + 1);
			todo[ntodo++] = t;
		}
	}
	s->via[s->depth - 1] = start;
	for (j = 0; j < nm && r == 0; j++)
		r = place(s, members[j]);
	free(todo);
	free(members);
	return r;
}

static int place(struct order_state *s, size_t i)
{
	const struct plan_pkg *k = &s->p->pkgs[i];
	size_t j;

	if (s->mark[i] == 2)
		return 0;
	if (s->mark[i] == 1) {
		size_t from = s->depth;

		while (from > 0 && s->stack[from - 1] != i)
			from--;
		/* "a 1.0 builds with b 1.0, which installs c 1.0; c 1.0 builds with a 1.0" */
		buf_adds(s->err, "build cycle: ");
		for (j = from ? from - 1 : 0; j < s->depth; j++) {
			const struct plan_pkg *x = &s->p->pkgs[s->stack[j]], *y = &s->p->pkgs[s->via[j]];
			size_t next = j + 1 < s->depth ? s->stack[j + 1] : i;

			buf_addf(s->err, "%s%s %s builds with %s %s", j > (from ? from - 1 : 0) ? "; " : "", x->name,
				 x->version, y->name, y->version);
			if (s->via[j] != next)
				buf_addf(s->err, ", which installs %s %s", s->p->pkgs[next].name, s->p->pkgs[next].version);
		}
		return -1;
	}
	s->mark[i] = 1;
	s->stack[s->depth++] = i;
	for (j = 0; j < k->nedges; j++) {
		enum req_type t = k->edges[j].type;

		if (t == REQ_BUILD_SYSTEM || t == REQ_BUILD_BACKEND || t == REQ_BUILD_SDIST)
			if (place_closure(s, k->edges[j].to) < 0)
				return -1;
	}
	s->depth--;
	s->mark[i] = 2;
	s->order[s->n++] = i;
	return 0;
}

size_t *plan_build_order(const struct plan *p, struct buf *err)
{
	struct order_state s;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.p = p;
	s.err = err;
	s.mark = xcalloc(p->n + 1, 1);
	s.order = xcalloc(p->n + 1, sizeof(*s.order));
	s.stamp = xcalloc(p->n + 1, sizeof(*s.stamp));
	s.stack = xcalloc(p->n + 1, sizeof(*s.stack));
	s.via = xcalloc(p->n + 1, sizeof(*s.via));
	for (i = 0; i < p->n; i++)
		if (place(&s, i) < 0) {
			free(s.order);
			s.order = NULL;
			break;
		}
	free(s.mark);
	free(s.stamp);
	free(s.stack);
	free(s.via);
	return s.order;
}

/* The edge that first brought package i in (the top, or the first edge in package order). */
/* The first edge into each package (the top-level requirements first, then the packages' edges in
 * plan order): its type and requirement, for build-order.json. One pass over the edges. */
static void first_edges(const struct plan *p, const char **type, const char **req)
{
	size_t a, b;

	for (a = 0; a < p->n; a++)
		type[a] = NULL;
	for (a = 0; a < p->ntop; a++)
		if (!type[p->top[a].to]) {
			type[p->top[a].to] = "toplevel";
			req[p->top[a].to] = p->top[a].req;
		}
	for (a = 0; a < p->n; a++)
		for (b = 0; b < p->pkgs[a].nedges; b++) {
			size_t to = p->pkgs[a].edges[b].to;

			if (!type[to]) {
				type[to] = req_type_name(p->pkgs[a].edges[b].type);
				req[to] = p->pkgs[a].edges[b].req;
			}
		}
	for (a = 0; a < p->n; a++)
		if (!type[a]) {
			type[a] = "toplevel";
			req[a] = p->pkgs[a].name;
		}
}

json_t *plan_build_order_json(const struct plan *p, const size_t *order)
{
	json_t *a = json_array();
	const char **type = xcalloc(p->n + 1, sizeof(*type)), **req = xcalloc(p->n + 1, sizeof(*req));
	size_t i;

	first_edges(p, type, req);
	for (i = 0; i < p->n; i++) {
		const struct plan_pkg *k = &p->pkgs[order[i]];
		const char *sha = k->index_sha256;
		char *url;

		/* fromager's source_url: the file the version was resolved from, with the index's fragment */
		if (!sha && strcmp(source_type(k), "override") != 0)
			sha = k->sdist_sha256;
		url = sha ? xasprintf("%s#sha256=%s", k->index_url ? k->index_url : k->sdist_url, sha)
			  : xstrdup(k->index_url ? k->index_url : k->sdist_url);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "type", type[order[i]],
						   "req", req[order[i]],
						   "constraint", k->constraint ? k->constraint : "", "dist", k->name,
						   "version", k->version, "prebuilt", k->pre_built, "source_url", url,
						   "source_url_type", source_type(k)));
		free(url);
	}
	free(type);
	free(req);
	return a;
}

void plan_constraints_txt(const struct plan *p, struct buf *out)
{
	unsigned char *seen = xcalloc(p->n + 1, 1);
	size_t *todo = xcalloc(p->n + 1, sizeof(*todo)), n = 0, i, j;

	for (i = 0; i < p->ntop; i++)
		if (!seen[p->top[i].to]) {
			seen[p->top[i].to] = 1;
			todo[n++] = p->top[i].to;
		}
	while (n > 0) {
		const struct plan_pkg *k = &p->pkgs[todo[--n]];

		for (j = 0; j < k->nedges; j++)
			if (k->edges[j].type == REQ_INSTALL && !seen[k->edges[j].to]) {
				seen[k->edges[j].to] = 1;
				todo[n++] = k->edges[j].to;
			}
	}
	for (i = 0; i < p->n; i++)
		if (seen[i])
			buf_addf(out, "%s==%s\n", p->pkgs[i].name, p->pkgs[i].version);
	free(seen);
	free(todo);
}

static int write_json(const char *outdir, const char *name, json_t *v, unsigned flags, struct buf *err)
{
	char *path = xasprintf("%s/%s", outdir, name);
	struct buf b = BUF_INIT;
	int r = 0;

	jsonw_add(&b, v);
	buf_addch(&b, '\n');
	json_decref(v);
	if (write_file(path, b.s, b.len, WRITE_IF_CHANGED | flags) < 0) {
		buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
		r = -1;
	}
	buf_release(&b);
	free(path);
	return r;
}

int plan_write_companions(const struct plan *p, const char *outdir, struct buf *err)
{
	size_t *order = plan_build_order(p, err);
	struct buf c = BUF_INIT;
	char *path;
	int r;

	if (!order)
		return -1;
	r = write_json(outdir, "graph.json", plan_graph_json(p), WRITE_NOSYNC, err);
	if (r == 0)
		r = write_json(outdir, "build-order.json", plan_build_order_json(p, order), WRITE_NOSYNC, err);
	free(order);
	if (r == 0) {
		plan_constraints_txt(p, &c);
		path = xasprintf("%s/constraints.txt", outdir);
		if (write_file(path, c.s, c.len, WRITE_IF_CHANGED | WRITE_NOSYNC) < 0) {
			buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
			r = -1;
		}
		free(path);
		buf_release(&c);
	}
	return r;
}

int plan_write_plan(const struct plan *p, const char *outdir, struct buf *err)
{
	return write_json(outdir, "plan.json", plan_to_json(p), 0, err);
}
