/* depgraph.c: the dependency graph and its loaders from plan.json and graph.json (see depgraph.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "depgraph/depgraph.h"
#include "fsutil.h"
#include "names.h"

void depgraph_init(struct depgraph *g)
{
	memset(g, 0, sizeof(*g));
}

void depgraph_release(struct depgraph *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		struct depgraph_node *k = &g->nodes[i];

		free(k->key);
		free(k->name);
		free(k->version);
		free(k->download_url);
		free(k->constraint);
		free(k->out);
		free(k->in);
	}
	free(g->nodes);
	for (i = 0; i < g->nedges; i++) {
		free(g->edges[i].req);
		free(g->edges[i].origin);
	}
	free(g->edges);
	free(g->by_key);
	depgraph_init(g);
}

size_t depgraph_add_node(struct depgraph *g, const char *name, const char *version)
{
	struct depgraph_node *k;

	GROW(g->nodes, g->alloc, g->n + 1);
	k = &g->nodes[g->n];
	memset(k, 0, sizeof(*k));
	k->key = *name ? xasprintf("%s==%s", name, version) : xstrdup("");
	k->name = xstrdup(name);
	k->version = xstrdup(version);
	k->download_url = xstrdup("");
	return g->n++;
}

void depgraph_add_edge(struct depgraph *g, size_t from, size_t to, enum req_type type, const char *req,
		       const char *origin)
{
	struct depgraph_node *f = &g->nodes[from], *t = &g->nodes[to];
	struct depgraph_edge *e;

	GROW(g->edges, g->aedges, g->nedges + 1);
	e = &g->edges[g->nedges];
	e->from = from;
	e->to = to;
	e->type = type;
	e->req = xstrdup(req);
	e->origin = origin ? xstrdup(origin) : NULL;
	GROW(f->out, f->aout, f->nout + 1);
	f->out[f->nout++] = g->nedges;
	GROW(t->in, t->ain, t->nin + 1);
	t->in[t->nin++] = g->nedges;
	g->nedges++;
}

/* qsort has no context argument: the graph being indexed, set around the one call */
static const struct depgraph *sort_graph;

static int key_cmp(const void *a, const void *b)
{
	return strcmp(sort_graph->nodes[*(const size_t *)a].key, sort_graph->nodes[*(const size_t *)b].key);
}

int depgraph_index(struct depgraph *g, struct buf *err)
{
	size_t i;

	free(g->by_key);
	g->by_key = xcalloc(g->n + 1, sizeof(*g->by_key));
	for (i = 0; i < g->n; i++)
		g->by_key[i] = i;
	sort_graph = g;
	QSORT(g->by_key, g->n, key_cmp);
	sort_graph = NULL;
	for (i = 1; i < g->n; i++)
		if (strcmp(g->nodes[g->by_key[i - 1]].key, g->nodes[g->by_key[i]].key) == 0) {
			buf_addf(err, "package '%s' is listed twice", g->nodes[g->by_key[i]].key);
			return -1;
		}
	return 0;
}

long depgraph_find_key(const struct depgraph *g, const char *key)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->nodes[g->by_key[mid]].key, key);

		if (c == 0)
			return (long)g->by_key[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

size_t depgraph_find_name(const struct depgraph *g, const char *name, size_t **out)
{
	size_t i, n = 0, alloc = 0;

	*out = NULL;
	for (i = 0; i < g->n; i++)
		if (i != DEPGRAPH_ROOT && name_cmp(g->nodes[i].name, name) == 0) {
			GROW(*out, alloc, n + 1);
			(*out)[n++] = i;
		}
	return n;
}

int req_type_from_name(const char *s)
{
	int t;

	for (t = REQ_TOPLEVEL; t <= REQ_BUILD_SDIST; t++)
		if (strcmp(s, req_type_name((enum req_type)t)) == 0)
			return t;
	return -1;
}

/* ---- reading: every message names the file and the place in it ("packages[3]") */

struct reader {
	const char *what;  /* the file */
	struct buf *err;
};

/* The string at o[key] into *out: NULL when absent (an error when required) or null (when
 * nullable); any other type is an error. 0 or -1. */
static int get_str(struct reader *r, const json_t *o, const char *where, const char *key, int required,
		   const char **out)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return 0;
	}
	if (!required && (!v || json_is_null(v)))
		return 0;
	buf_addf(r->err, "%s: %s: '%s' %s", r->what, where, key, v ? "is not a string" : "is missing");
	return -1;
}

/* The array at o[key] into *out (NULL when absent and not required). 0 or -1. */
static int get_array(struct reader *r, const json_t *o, const char *where, const char *key, int required,
		     const json_t **out)
{
	const json_t *v = json_object_get(o, key);

	*out = v;
	if (json_is_array(v) || (!v && !required))
		return 0;
	buf_addf(r->err, "%s: %s: '%s' %s", r->what, where, key, v ? "is not an array" : "is missing");
	return -1;
}

/* The boolean at o[key] (false when absent). 0 or -1. */
static int get_bool(struct reader *r, const json_t *o, const char *where, const char *key, int *out)
{
	const json_t *v = json_object_get(o, key);

	*out = json_is_true(v);
	if (!v || json_is_boolean(v))
		return 0;
	buf_addf(r->err, "%s: %s: '%s' is not a boolean", r->what, where, key);
	return -1;
}

static void set_str(char **field, const char *s)
{
	free(*field);
	*field = s ? xstrdup(s) : NULL;
}

/* The edge at where: {key, req_type, req}, its key a package of g. 0, or -1 with err. */
static int read_edge(struct reader *r, struct depgraph *g, size_t from, const json_t *e, const char *where)
{
	const char *key, *type, *req;
	long to;
	int t;

	if (!json_is_object(e)) {
		buf_addf(r->err, "%s: %s is not an object", r->what, where);
		return -1;
	}
	if (get_str(r, e, where, "key", 1, &key) < 0 || get_str(r, e, where, "req_type", 1, &type) < 0 ||
	    get_str(r, e, where, "req", 1, &req) < 0)
		return -1;
	to = depgraph_find_key(g, key);
	if (to < 0 || to == DEPGRAPH_ROOT) {
		buf_addf(r->err, "%s: %s: '%s' is not a package of the graph", r->what, where, key);
		return -1;
	}
	t = req_type_from_name(type);
	if (t < 0) {
		buf_addf(r->err, "%s: %s: unknown req_type '%s'", r->what, where, type);
		return -1;
	}
	depgraph_add_edge(g, from, (size_t)to, (enum req_type)t, req, NULL);
	return 0;
}

/* The edges of node `from` (an array, or NULL for none); where names the node. */
static int read_edges(struct reader *r, struct depgraph *g, size_t from, const json_t *edges, const char *where)
{
	const json_t *e;
	size_t i;

	json_array_foreach(edges, i, e) {
		char *at = xasprintf("%s: edges[%zu]", where, i);
		int rc = read_edge(r, g, from, e, at);

		free(at);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- plan.json */

/* The URL of a package's file: its sdist's, or a pre-built package's wheel's. */
static int plan_url(struct reader *r, const json_t *o, const char *where, const char **url)
{
	const char *key = "sdist";
	const json_t *d = json_object_get(o, key);

	*url = NULL;
	if (!d || json_is_null(d)) {
		key = "wheel";
		d = json_object_get(o, key);
	}
	if (!d || json_is_null(d))
		return 0;
	if (!json_is_object(d)) {
		buf_addf(r->err, "%s: %s: '%s' is not an object", r->what, where, key);
		return -1;
	}
	return get_str(r, d, where, "url", 0, url);
}

static int from_plan(struct reader *r, struct depgraph *g, const json_t *doc)
{
	const json_t *pkgs, *top, *o;
	size_t i;

	if (!json_is_integer(json_object_get(doc, "wbgen_plan")) ||
	    json_integer_value(json_object_get(doc, "wbgen_plan")) != 1) {
		buf_addf(r->err, "%s: unknown plan format (wbgen_plan is not 1)", r->what);
		return -1;
	}
	if (get_array(r, doc, "the plan", "packages", 1, &pkgs) < 0 ||
	    get_array(r, doc, "the plan", "toplevel", 1, &top) < 0)
		return -1;
	depgraph_add_node(g, "", "0");
	set_str(&g->nodes[DEPGRAPH_ROOT].constraint, "");
	json_array_foreach(pkgs, i, o) {
		const char *name, *version, *constraint, *url;
		char *where = xasprintf("packages[%zu]", i);
		struct depgraph_node *k;
		size_t at;
		int pre_built, rc = -1;

		if (!json_is_object(o))
			buf_addf(r->err, "%s: %s is not an object", r->what, where);
		else if (get_str(r, o, where, "name", 1, &name) == 0 && get_str(r, o, where, "version", 1, &version) == 0 &&
			 get_str(r, o, where, "constraint", 0, &constraint) == 0 &&
			 get_bool(r, o, where, "pre_built", &pre_built) == 0 && plan_url(r, o, where, &url) == 0)
			rc = 0;
		free(where);
		if (rc < 0)
			return -1;
		at = depgraph_add_node(g, name, version);
		k = &g->nodes[at];
		set_str(&k->constraint, constraint ? constraint : "");
		set_str(&k->download_url, url ? url : "");
		k->pre_built = pre_built;
	}
	if (depgraph_index(g, r->err) < 0) {
		buf_addf(r->err, " in %s", r->what);
		return -1;
	}
	json_array_foreach(top, i, o) {
		const char *name, *req, *origin;
		char *where = xasprintf("toplevel[%zu]", i);
		size_t *found = NULL;
		int rc = -1;

		if (!json_is_object(o))
			buf_addf(r->err, "%s: %s is not an object", r->what, where);
		else if (get_str(r, o, where, "name", 1, &name) == 0 && get_str(r, o, where, "req", 1, &req) == 0 &&
			 get_str(r, o, where, "origin", 0, &origin) == 0) {
			if (depgraph_find_name(g, name, &found) != 1)
				buf_addf(r->err, "%s: %s: '%s' is not a package of the plan", r->what, where, name);
			else
				rc = 0;
			if (rc == 0)
				depgraph_add_edge(g, DEPGRAPH_ROOT, found[0], REQ_TOPLEVEL, req, origin);
		}
		free(found);
		free(where);
		if (rc < 0)
			return -1;
	}
	json_array_foreach(pkgs, i, o) {
		const json_t *edges;
		char *where = xasprintf("packages[%zu] (%s)", i, g->nodes[i + 1].key);
		int rc = get_array(r, o, where, "edges", 1, &edges);

		if (rc == 0)
			rc = read_edges(r, g, i + 1, edges, where);
		free(where);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- graph.json */

/* A node's name and version: its canonicalized_name and version, else the halves of its key. */
static int graph_node(struct reader *r, struct depgraph *g, const char *key, const json_t *o)
{
	const char *name, *version, *url, *constraint, *eq = strstr(key, "==");
	char *where = xasprintf("'%s'", key), *kname = NULL;
	struct depgraph_node *k;
	size_t at;
	int pre_built, rc = -1;

	if (!json_is_object(o))
		buf_addf(r->err, "%s: %s is not an object", r->what, where);
	else if (get_str(r, o, where, "canonicalized_name", 0, &name) == 0 &&
		 get_str(r, o, where, "version", 0, &version) == 0 &&
		 get_str(r, o, where, "download_url", 0, &url) == 0 &&
		 get_str(r, o, where, "constraint", 0, &constraint) == 0 &&
		 get_bool(r, o, where, "pre_built", &pre_built) == 0)
		rc = 0;
	if (rc == 0 && *key && !eq && (!name || !version)) {
		buf_addf(r->err, "%s: %s: not NAME==VERSION, and no canonicalized_name and version", r->what, where);
		rc = -1;
	}
	free(where);
	if (rc < 0)
		return -1;
	if (!*key) {
		/* the root: "" and "0" whatever it says, but its version written back */
		name = "";
		version = version ? version : "0";
	} else {
		if (!name)
			name = kname = xstrndup(key, (size_t)(eq - key));
		if (!version)
			version = eq + 2;
	}
	at = depgraph_add_node(g, name, version);
	k = &g->nodes[at];
	/* the key is the node's identity, whatever its fields say */
	set_str(&k->key, key);
	set_str(&k->download_url, url ? url : "");
	set_str(&k->constraint, constraint);
	k->pre_built = pre_built;
	free(kname);
	return 0;
}

static int from_graph(struct reader *r, struct depgraph *g, const json_t *doc)
{
	const char *key;
	const json_t *o, *edges;
	size_t i;

	if (graph_node(r, g, "", json_object_get(doc, "")) < 0)
		return -1;
	json_object_foreach((json_t *)doc, key, o)
		if (*key && graph_node(r, g, key, o) < 0)
			return -1;
	if (depgraph_index(g, r->err) < 0) {
		buf_addf(r->err, " in %s", r->what);
		return -1;
	}
	for (i = 0; i < g->n; i++) {
		char *where = xasprintf("'%s'", g->nodes[i].key);
		int rc = get_array(r, json_object_get(doc, g->nodes[i].key), where, "edges", 0, &edges);

		if (rc == 0)
			rc = read_edges(r, g, i, edges, where);
		free(where);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int depgraph_from_json(struct depgraph *g, const json_t *doc, const char *what, struct buf *err)
{
	struct reader r = { what, err };
	int rc;

	if (json_is_object(doc) && json_object_get(doc, "wbgen_plan"))
		rc = from_plan(&r, g, doc);
	else if (json_is_object(doc) && json_object_get(doc, ""))
		rc = from_graph(&r, g, doc);
	else {
		buf_addf(err, "%s: neither a wbgen plan.json (no \"wbgen_plan\") nor a graph.json (no root \"\")", what);
		rc = -1;
	}
	if (rc < 0)
		depgraph_release(g);
	return rc;
}

int depgraph_load(struct depgraph *g, const char *path, struct buf *err)
{
	struct stat st;
	char *file = NULL;
	json_error_t jerr;
	json_t *doc;
	int rc;

	if (stat(path, &st) < 0) {
		buf_addf(err, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		file = xasprintf("%s/plan.json", path);
		if (!path_exists(file)) {
			free(file);
			file = xasprintf("%s/graph.json", path);
		}
		if (!path_exists(file)) {
			buf_addf(err, "no plan.json or graph.json in '%s' (run 'wbgen resolve -o %s' first)", path, path);
			free(file);
			return -1;
		}
		path = file;
	}
	doc = json_load_file(path, 0, &jerr);
	if (!doc) {
		buf_addf(err, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		free(file);
		return -1;
	}
	rc = depgraph_from_json(g, doc, path, err);
	json_decref(doc);
	free(file);
	return rc;
}
