/* depgraph.h: the dependency graph read back from a plan: wbgen's plan.json or fromager's
 * graph.json (docs/file-formats.md), one type for both, and what `wbgen why` and `wbgen graph`
 * ask of it: every chain from the top-level requirements to a package, the subset around a
 * package (fromager's `graph subset`), and the graph as graph.json or Graphviz DOT. */
#ifndef WBGEN_DEPGRAPH_H
#define WBGEN_DEPGRAPH_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "plan.h"

/* nodes[DEPGRAPH_ROOT] is the root: its edges are the top-level requirements */
#define DEPGRAPH_ROOT 0

struct depgraph_edge {
	size_t from, to;     /* indices into nodes */
	enum req_type type;
	char *req;           /* the requirement as written */
	char *origin;        /* a top-level requirement's FILE:LINE (plan.json only), else NULL */
};

struct depgraph_node {
	char *key;           /* "name==version"; "" for the root */
	char *name;          /* canonical (PEP 503); "" for the root */
	char *version;       /* "0" for the root, as fromager writes it */
	char *download_url;  /* "" when unknown */
	char *constraint;    /* NULL when the file has none (fromager's files may lack the key) */
	int pre_built;
	size_t *out, nout, aout; /* indices into edges, in the file's order */
	size_t *in, nin, ain;
};

struct depgraph {
	struct depgraph_node *nodes; /* the root first, then the file's order */
	size_t n, alloc;
	struct depgraph_edge *edges;
	size_t nedges, aedges;
	size_t *by_key;      /* node indices sorted by key (depgraph_index()) */
};

/* Set up an empty graph (no allocation, no root). */
void depgraph_init(struct depgraph *g);
/* Free the graph; it is empty afterwards. */
void depgraph_release(struct depgraph *g);
/* Add a node (strings copied; name and version as given, key "name==version", "" for the root
 * when name is ""). Returns its index. Call depgraph_index() before looking keys up. */
size_t depgraph_add_node(struct depgraph *g, const char *name, const char *version);
/* Add an edge from -> to (req and origin copied; origin may be NULL). */
void depgraph_add_edge(struct depgraph *g, size_t from, size_t to, enum req_type type, const char *req,
		       const char *origin);
/* Sort the key index after nodes were added. Returns 0, or -1 with err naming a key found twice. */
int depgraph_index(struct depgraph *g, struct buf *err);
/* The node whose key is key, or -1 (needs depgraph_index()). */
long depgraph_find_key(const struct depgraph *g, const char *key);
/* The nodes named name (compared after PEP 503 normalisation), in node order, into out (malloc'd, caller frees; NULL when
 * none). Returns how many. */
size_t depgraph_find_name(const struct depgraph *g, const char *name, size_t **out);
/* The req_type named s ("install", ...), or -1. */
int req_type_from_name(const char *s);

/* Fill an empty g from doc (borrowed): a plan.json (it has "wbgen_plan") or a graph.json (it has
 * the root key ""). what names the file in messages. Returns 0, or -1 with a one-line err (a wrong
 * type, an unknown req_type, an edge to a key that is not a node, an unknown plan version). */
int depgraph_from_json(struct depgraph *g, const json_t *doc, const char *what, struct buf *err);
/* Fill an empty g from path: a plan.json or graph.json file, or a directory holding one
 * (DIR/plan.json, else DIR/graph.json). Returns 0, or -1 with err. */
int depgraph_load(struct depgraph *g, const char *path, struct buf *err);

/* What depgraph_why() follows. */
struct depgraph_why_opts {
	unsigned types;      /* bit (1 << req_type) for each edge type followed below the top; 0: all */
	long max_depth;      /* most edges below the top-level one; -1: no limit */
	size_t limit;        /* paths kept (the others are only counted); 0: no limit */
};

/* One chain from the root to the package: edge indices, the first a top-level requirement. */
struct depgraph_path {
	size_t *edges;
	size_t n;
};

struct depgraph_why {
	struct depgraph_path *paths; /* the first opts.limit paths found */
	size_t n, alloc;
	size_t total;        /* paths found, the kept ones included */
	int incomplete;      /* the search stopped at its step budget: total is a lower bound */
};

/* Every simple path (no node twice) from the root to target within opts, depth first: at each
 * node the edges to packages nearer the target first, then in the file's order. w is filled from empty; free it with depgraph_why_release(). */
void depgraph_why(const struct depgraph *g, size_t target, const struct depgraph_why_opts *opts,
		  struct depgraph_why *w);
/* Free the paths of w and empty it. */
void depgraph_why_release(struct depgraph_why *w);
/* The search budget of depgraph_why(), in edges examined (tests lower it). */
extern unsigned long depgraph_why_budget;

/* Mark in keep[g->n] (zeroed by the caller) fromager's subset around the targets: the targets,
 * everything they need (transitively, every edge type) and everything that needs them
 * (transitively), the root among those. The root is always marked. */
void depgraph_subset(const struct depgraph *g, const size_t *targets, size_t ntargets, unsigned char *keep);

/* The graph as fromager's graph.json (new reference): the root, then the nodes in g's order, with
 * the edges between kept nodes; keep NULL keeps every node. A node without a constraint has no
 * "constraint" key. */
json_t *depgraph_to_json(const struct depgraph *g, const unsigned char *keep);
/* Append the graph as Graphviz DOT to out (keep as for depgraph_to_json()): nodes "name==version",
 * edges labelled with the requirement and styled by req_type (docs/wbgen.1). */
void depgraph_dot(const struct depgraph *g, const unsigned char *keep, struct buf *out);

#endif
