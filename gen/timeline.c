/* timeline.c: slots, critical path and figures of one run of the trace (see timeline.h). */
#include <stdlib.h>
#include <string.h>

#include "timeline.h"
#include "util.h"

/* A phase of a package in the run: its runs added up. */
struct node {
	const char *id, *phase;
	double weight;
	size_t last;      /* its last run (index into items) */
	double dist;      /* the heaviest chain ending with it */
	long pred;        /* the node before it on that chain, -1 */
	int state;        /* 0 new, 1 on the stack, 2 done */
};

struct graph {
	struct node *v;
	size_t n;
};

static int item_cmp(const void *a, const void *b)
{
	const struct timeline_item *x = a, *y = b;

	if (x->ph->start != y->ph->start)
		return x->ph->start < y->ph->start ? -1 : 1;
	return x->ph->end < y->ph->end ? -1 : x->ph->end > y->ph->end;
}

static int node_cmp(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->phase, y->phase);
}

static long node_find(const struct graph *g, const char *id, const char *phase)
{
	struct node key, *hit;

	memset(&key, 0, sizeof(key));
	key.id = id;
	key.phase = phase;
	hit = bsearch(&key, g->v, g->n, sizeof(*g->v), node_cmp);
	return hit ? (long)(hit - g->v) : -1;
}

/* Lowest free slot for each item, in start order. */
static void place(struct timeline *tl)
{
	double *busy = NULL; /* when each slot frees */
	size_t alloc = 0, i;
	int s;

	for (i = 0; i < tl->n; i++) {
		const struct trace_phase *p = tl->items[i].ph;

		for (s = 0; s < tl->nslots && busy[s] > p->start + 1e-6; s++)
			;
		if (s == tl->nslots) {
			GROW(busy, alloc, (size_t)tl->nslots + 1);
			tl->nslots++;
		}
		busy[s] = p->end;
		tl->items[i].slot = s;
	}
	free(busy);
}

static void graph_build(struct graph *g, struct timeline *tl)
{
	size_t i, k = 0;

	g->v = xcalloc(tl->n + 1, sizeof(*g->v));
	for (i = 0; i < tl->n; i++) {
		g->v[i].id = tl->items[i].ph->id;
		g->v[i].phase = tl->items[i].ph->phase;
		g->v[i].last = i;
		g->v[i].weight = tl->items[i].ph->end - tl->items[i].ph->start;
	}
	QSORT(g->v, tl->n, node_cmp);
	/* merge the runs of one phase: items are in start order, so the larger index is the later run */
	for (i = 0; i < tl->n; i++) {
		if (k > 0 && node_cmp(&g->v[k - 1], &g->v[i]) == 0) {
			g->v[k - 1].weight += g->v[i].weight;
			if (g->v[i].last > g->v[k - 1].last)
				g->v[k - 1].last = g->v[i].last;
			continue;
		}
		g->v[k++] = g->v[i];
	}
	g->n = k;
	for (i = 0; i < g->n; i++)
		g->v[i].pred = -1;
}

static double dist(struct graph *g, const struct timeline *tl, size_t v);

/* Relax v's chain through the node (id, phase), when it ran. */
static void via(struct graph *g, const struct timeline *tl, size_t v, const char *id, const char *phase)
{
	long u = node_find(g, id, phase);
	double d;

	if (u < 0 || (size_t)u == v)
		return;
	d = dist(g, tl, (size_t)u);
	if (g->v[v].pred < 0 || d > g->v[v].dist) {
		g->v[v].dist = d;
		g->v[v].pred = u;
	}
}

/* The phases a phase of the generated Makefile waits for (rules/wbgen.mk). */
static void preds(struct graph *g, const struct timeline *tl, size_t v)
{
	const struct node *n = &g->v[v];
	const struct trace_phase *p = tl->items[n->last].ph;
	const char *ph = n->phase, *id = n->id;
	size_t i;

	via(g, tl, v, id, "settings");
	if (strcmp(ph, "discover") == 0 || strcmp(ph, "build") == 0)
		via(g, tl, v, id, "unpack");
	if (strcmp(ph, "discover") == 0 || strcmp(ph, "backend") == 0)
		via(g, tl, v, id, "build-system");
	if (strcmp(ph, "backend") == 0)
		via(g, tl, v, id, "discover");
	if (strcmp(ph, "build") == 0)
		via(g, tl, v, id, "backend");
	if (strcmp(ph, "deps") == 0 || strcmp(ph, "publish") == 0) {
		via(g, tl, v, id, "build");
		via(g, tl, v, id, "prebuilt");
		via(g, tl, v, id, "cached");
	}
	if (strcmp(ph, "build-system") != 0 && strcmp(ph, "backend") != 0)
		return;
	for (i = 0; i < p->deps.n; i++) {
		via(g, tl, v, p->deps.v[i], "build");
		via(g, tl, v, p->deps.v[i], "prebuilt");
		via(g, tl, v, p->deps.v[i], "cached");
		via(g, tl, v, p->deps.v[i], "deps");
		via(g, tl, v, p->deps.v[i], "publish");
	}
}

/* The heaviest chain ending with v, its own weight included (a cycle, which make would have
 * refused, counts as no predecessor). */
static double dist(struct graph *g, const struct timeline *tl, size_t v)
{
	struct node *n = &g->v[v];

	if (n->state == 1)
		return 0;
	if (n->state == 2)
		return n->dist;
	n->state = 1;
	n->dist = 0;
	preds(g, tl, v);
	n->dist += n->weight;
	n->state = 2;
	return n->dist;
}

static void critical_path(struct timeline *tl)
{
	struct graph g;
	size_t i, best = 0, k;
	long v;

	if (tl->n == 0)
		return;
	graph_build(&g, tl);
	for (i = 0; i < g.n; i++)
		if (dist(&g, tl, i) > g.v[best].dist)
			best = i;
	tl->critical = g.v[best].dist;
	for (v = (long)best; v >= 0; v = g.v[v].pred)
		tl->npath++;
	tl->path = xcalloc(tl->npath, sizeof(*tl->path));
	k = tl->npath;
	for (v = (long)best; v >= 0; v = g.v[v].pred) {
		tl->path[--k] = g.v[v].last;
		for (i = 0; i < tl->n; i++)
			if (strcmp(tl->items[i].ph->id, g.v[v].id) == 0 && strcmp(tl->items[i].ph->phase, g.v[v].phase) == 0)
				tl->items[i].critical = 1;
	}
	free(g.v);
}

void timeline_build(struct timeline *tl, const struct trace *t, const struct trace_run *r)
{
	size_t i;
	double slots;

	memset(tl, 0, sizeof(*tl));
	tl->items = xcalloc(t->n + 1, sizeof(*tl->items));
	for (i = 0; i < t->n; i++)
		if (strcmp(t->ph[i].run, r->run) == 0)
			tl->items[tl->n++].ph = &t->ph[i];
	QSORT(tl->items, tl->n, item_cmp);
	tl->jobs = r->jobs;
	tl->t0 = r->start;
	tl->t1 = r->end;
	for (i = 0; i < tl->n; i++) {
		const struct trace_phase *p = tl->items[i].ph;

		tl->work += p->end - p->start;
		if (p->start < tl->t0)
			tl->t0 = p->start;
		if (p->end > tl->t1)
			tl->t1 = p->end;
	}
	tl->wall = tl->t1 - tl->t0;
	place(tl);
	critical_path(tl);
	tl->bound = tl->critical;
	if (tl->jobs > 0 && tl->work / (double)tl->jobs > tl->bound)
		tl->bound = tl->work / (double)tl->jobs;
	slots = (double)(tl->jobs > 0 ? tl->jobs : tl->nslots);
	tl->idle = slots * tl->wall - tl->work;
	if (tl->idle < 0)
		tl->idle = 0;
}

void timeline_release(struct timeline *tl)
{
	free(tl->items);
	free(tl->path);
	memset(tl, 0, sizeof(*tl));
}
