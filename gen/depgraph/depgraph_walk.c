/* depgraph_walk.c: the paths to a package (`wbgen why`) and the subset around it (`wbgen graph
 * --subset`), see depgraph.h. */
#include <stdlib.h>
#include <string.h>

#include "depgraph/depgraph.h"

/* Simple paths can be exponentially many, and a search for them can take exponential time even
 * when they are few: it stops after this many edges examined. */
unsigned long depgraph_why_budget = 2000000;

struct why_state {
	const struct depgraph *g;
	const struct depgraph_why_opts *o;
	size_t target;
	long *dist;             /* fewest followed edges from a node to the target, -1: none */
	unsigned char *on_path;
	size_t *path, depth;    /* the edges from the root so far */
	unsigned long steps;
	struct depgraph_why *w;
};

static int followed(const struct why_state *s, const struct depgraph_edge *e)
{
	return e->from == DEPGRAPH_ROOT || !s->o->types || (s->o->types & (1u << e->type));
}

/* dist[] by a breadth-first walk backwards from the target over followed edges. */
static void distances(struct why_state *s)
{
	const struct depgraph *g = s->g;
	size_t *queue = xcalloc(g->n + 1, sizeof(*queue)), head = 0, tail = 0, i;

	for (i = 0; i < g->n; i++)
		s->dist[i] = -1;
	s->dist[s->target] = 0;
	queue[tail++] = s->target;
	while (head < tail) {
		size_t v = queue[head++];

		for (i = 0; i < g->nodes[v].nin; i++) {
			const struct depgraph_edge *e = &g->edges[g->nodes[v].in[i]];

			if (followed(s, e) && s->dist[e->from] < 0) {
				s->dist[e->from] = s->dist[v] + 1;
				queue[tail++] = e->from;
			}
		}
	}
	free(queue);
}

static void found(struct why_state *s)
{
	struct depgraph_why *w = s->w;

	w->total++;
	if (s->o->limit && w->n >= s->o->limit)
		return;
	GROW(w->paths, w->alloc, w->n + 1);
	w->paths[w->n].n = s->depth;
	w->paths[w->n].edges = xcalloc(s->depth + 1, sizeof(size_t));
	memcpy(w->paths[w->n].edges, s->path, s->depth * sizeof(size_t));
	w->n++;
}

/* qsort has no context argument: the search whose edges are being ordered */
static const struct why_state *sort_state;

/* Nearer the target first (so a path is found in as many steps as it is long, however many
 * cycles the graph has), then in the file's order. */
static int nearer(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long dx = sort_state->dist[sort_state->g->edges[x].to], dy = sort_state->dist[sort_state->g->edges[y].to];

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Extend the path at node v (depth edges so far, the first from the root). */
static void walk(struct why_state *s, size_t v)
{
	const struct depgraph_node *k = &s->g->nodes[v];
	size_t i, *out;

	if (v == s->target) {
		found(s);
		return;
	}
	out = xcalloc(k->nout + 1, sizeof(*out));
	memcpy(out, k->out, k->nout * sizeof(*out));
	QSORT(out, k->nout, nearer);
	s->on_path[v] = 1;
	for (i = 0; i < k->nout && !s->w->incomplete; i++) {
		const struct depgraph_edge *e = &s->g->edges[out[i]];
		long below = (long)s->depth; /* edges below the top-level one once e is added */

		if (++s->steps > depgraph_why_budget) {
			s->w->incomplete = 1;
			break;
		}
		if (!followed(s, e) || s->dist[e->to] < 0 || s->on_path[e->to])
			continue;
		if (s->o->max_depth >= 0 && below + s->dist[e->to] > s->o->max_depth)
			continue;
		s->path[s->depth++] = out[i];
		walk(s, e->to);
		s->depth--;
	}
	s->on_path[v] = 0;
	free(out);
}

void depgraph_why(const struct depgraph *g, size_t target, const struct depgraph_why_opts *opts,
		  struct depgraph_why *w)
{
	struct why_state s;

	memset(w, 0, sizeof(*w));
	memset(&s, 0, sizeof(s));
	s.g = g;
	s.o = opts;
	s.target = target;
	s.w = w;
	s.dist = xcalloc(g->n + 1, sizeof(*s.dist));
	s.on_path = xcalloc(g->n + 1, 1);
	s.path = xcalloc(g->n + 1, sizeof(*s.path));
	distances(&s);
	sort_state = &s;
	if (target != DEPGRAPH_ROOT && s.dist[DEPGRAPH_ROOT] >= 0)
		walk(&s, DEPGRAPH_ROOT);
	sort_state = NULL;
	free(s.dist);
	free(s.on_path);
	free(s.path);
}

void depgraph_why_release(struct depgraph_why *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->paths[i].edges);
	free(w->paths);
	memset(w, 0, sizeof(*w));
}

/* Mark with bit in mark[] everything reachable from the targets, forwards (out edges) or backwards. */
static void reach(const struct depgraph *g, const size_t *targets, size_t ntargets, int forwards,
		  unsigned char *mark, unsigned char bit)
{
	size_t *todo = xcalloc(g->n + 1, sizeof(*todo)), n = 0, i;

	for (i = 0; i < ntargets; i++)
		if (!(mark[targets[i]] & bit)) {
			mark[targets[i]] |= bit;
			todo[n++] = targets[i];
		}
	while (n > 0) {
		const struct depgraph_node *k = &g->nodes[todo[--n]];
		size_t ne = forwards ? k->nout : k->nin;

		for (i = 0; i < ne; i++) {
			const struct depgraph_edge *e = &g->edges[forwards ? k->out[i] : k->in[i]];
			size_t next = forwards ? e->to : e->from;

			if (!(mark[next] & bit)) {
				mark[next] |= bit;
				todo[n++] = next;
			}
		}
	}
	free(todo);
}

void depgraph_subset(const struct depgraph *g, const size_t *targets, size_t ntargets, unsigned char *keep)
{
	size_t i;

	/* apart: a node needed by a target that also needs one (an install cycle) is both, which is
	 * fine, but walking the two directions through one mark would stop each at the other's nodes */
	reach(g, targets, ntargets, 1, keep, 1);
	reach(g, targets, ntargets, 0, keep, 2);
	for (i = 0; i < g->n; i++)
		keep[i] = keep[i] != 0;
	if (g->n > 0)
		keep[DEPGRAPH_ROOT] = 1;
}
