/* depgraph_out.c: the graph as fromager's graph.json and as Graphviz DOT (see depgraph.h). */
#include <stdlib.h>
#include <string.h>

#include "depgraph/depgraph.h"

static int kept(const unsigned char *keep, size_t i)
{
	return !keep || keep[i];
}

json_t *depgraph_to_json(const struct depgraph *g, const unsigned char *keep)
{
	json_t *doc = json_object();
	size_t i, j;

	for (i = 0; i < g->n; i++) {
		const struct depgraph_node *k = &g->nodes[i];
		json_t *o, *edges;

		if (!kept(keep, i))
			continue;
		edges = json_array();
		for (j = 0; j < k->nout; j++) {
			const struct depgraph_edge *e = &g->edges[k->out[j]];

			if (kept(keep, e->to))
				json_array_append_new(edges, json_pack("{s:s, s:s, s:s}", "key", g->nodes[e->to].key, "req_type",
								       req_type_name(e->type), "req", e->req));
		}
		o = json_pack("{s:s, s:b, s:s, s:s}", "download_url", k->download_url, "pre_built", k->pre_built,
			      "version", k->version, "canonicalized_name", k->name);
		if (k->constraint)
			json_object_set_new(o, "constraint", json_string(k->constraint));
		json_object_set_new(o, "edges", edges);
		json_object_set_new(doc, k->key, o);
	}
	return doc;
}

/* s as the inside of a DOT double-quoted string. */
static void add_dot_str(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addch(out, '\\');
		buf_addch(out, *s == '\n' || *s == '\r' ? ' ' : *s);
	}
}

/* The attributes that tell the edge types apart (docs/wbgen.1, wbgen graph). */
static const char *edge_style(enum req_type t)
{
	static const char *const styles[] = {
		[REQ_TOPLEVEL] = " style=bold",
		[REQ_INSTALL] = "",
		[REQ_BUILD_SYSTEM] = " style=dashed color=blue fontcolor=blue",
		[REQ_BUILD_BACKEND] = " style=dotted color=purple fontcolor=purple",
		[REQ_BUILD_SDIST] = " style=dotted color=darkorange fontcolor=darkorange",
	};

	return styles[t];
}

/* Mark what gets installed: the nodes reached from the root through top-level and install edges. */
static unsigned char *installed(const struct depgraph *g)
{
	unsigned char *mark = xcalloc(g->n + 1, 1);
	size_t *todo = xcalloc(g->n + 1, sizeof(*todo)), n = 0, i;

	if (g->n > 0) {
		mark[DEPGRAPH_ROOT] = 1;
		todo[n++] = DEPGRAPH_ROOT;
	}
	while (n > 0) {
		const struct depgraph_node *k = &g->nodes[todo[--n]];

		for (i = 0; i < k->nout; i++) {
			const struct depgraph_edge *e = &g->edges[k->out[i]];

			if ((e->type == REQ_TOPLEVEL || e->type == REQ_INSTALL) && !mark[e->to]) {
				mark[e->to] = 1;
				todo[n++] = e->to;
			}
		}
	}
	free(todo);
	return mark;
}

void depgraph_dot(const struct depgraph *g, const unsigned char *keep, struct buf *out)
{
	unsigned char *inst = installed(g);
	size_t i, j;

	buf_adds(out, "digraph wbgen {\n\tnode [shape=box];\n");
	for (i = 0; i < g->n; i++) {
		const struct depgraph_node *k = &g->nodes[i];

		if (!kept(keep, i))
			continue;
		if (i == DEPGRAPH_ROOT) {
			buf_addf(out, "\tn%zu [label=\"top-level requirements\" shape=ellipse];\n", i);
			continue;
		}
		buf_addf(out, "\tn%zu [label=\"", i);
		add_dot_str(out, k->key);
		buf_addf(out, "\"%s%s];\n", k->pre_built ? " shape=parallelogram" : "", inst[i] ? "" : " style=dashed");
	}
	for (i = 0; i < g->n; i++) {
		const struct depgraph_node *k = &g->nodes[i];

		if (!kept(keep, i))
			continue;
		for (j = 0; j < k->nout; j++) {
			const struct depgraph_edge *e = &g->edges[k->out[j]];

			if (!kept(keep, e->to))
				continue;
			buf_addf(out, "\tn%zu -> n%zu [label=\"", i, e->to);
			add_dot_str(out, e->req);
			buf_addf(out, "\" class=\"%s\"%s];\n", req_type_name(e->type), edge_style(e->type));
		}
	}
	buf_adds(out, "}\n");
	free(inst);
}
