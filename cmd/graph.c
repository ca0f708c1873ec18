/* graph.c: `wbgen why` and `wbgen graph`: questions about a resolved graph (plan.json or
 * fromager's graph.json), answered from the file alone. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "depgraph/depgraph.h"
#include "fsutil.h"
#include "jsonw.h"
#include "names.h"
#include "parse_options.h"
#include "util.h"

#define PLAN_HELP \
	"\n" \
	"PLAN is a plan.json written by 'wbgen resolve', a graph.json (wbgen's or fromager's), or\n" \
	"a directory holding one: DIR/plan.json, else DIR/graph.json (default: the current\n" \
	"directory). Only plan.json knows where a top-level requirement came from (FILE:LINE).\n"

static const char usage_why[] =
	"usage: wbgen why [--json] [--limit N] [--depth N] [--requirement-type TYPE]... NAME [PLAN]\n"
	"\n"
	"Show why package NAME is in the graph: every chain of requirements from a top-level\n"
	"requirement to it, one block per chain, each step with its requirement type (toplevel,\n"
	"install, build-system, build-backend, build-sdist) and the requirement as written:\n"
	"\n"
	"  colors 1.2 is needed through 2 paths:\n"
	"\n"
	"    (toplevel) app 1.0  <- requirements.txt:3 \"app[all]\"\n"
	"      -[install \"colors>=1.0\"]-> colors 1.2\n"
	"\n"
	"    (toplevel) app 1.0  <- requirements.txt:3 \"app[all]\"\n"
	"      -[build-system \"tool\"]-> tool 2.0\n"
	"      -[install \"colors\"]-> colors 1.2\n"
	"\n"
	"At each package the requirements nearest to NAME come first. A chain never passes through\n"
	"a package twice (install requirements may form cycles).\n"
	"NAME is compared after PEP 503 normalisation; a graph holding several versions of it\n"
	"gets one section per version. Exit status 1 when NAME is not in the graph.\n"
	"\n";

static const char usage_graph[] =
	"usage: wbgen graph [--format dot|json] [--subset NAME] [-o FILE] [PLAN]\n"
	"\n"
	"Print the dependency graph of the plan.\n"
	"\n";

/* Load the graph named by the optional PLAN argument; dies on failure. */
static void load(struct depgraph *g, const char *plan)
{
	struct buf err = BUF_INIT;

	depgraph_init(g);
	if (depgraph_load(g, plan ? plan : ".", &err) < 0)
		die("%s", err.s);
	buf_release(&err);
}

/* The nodes named name (any spelling), at least one, into *out; dies naming the graph otherwise. */
static size_t find(const struct depgraph *g, const char *cmd, const char *name, const char *plan, size_t **out)
{
	char *canon = name_canonicalize(name);
	size_t n = depgraph_find_name(g, canon, out);

	if (!n)
		die("%s: '%s' is not in the graph of '%s'", cmd, canon, plan ? plan : ".");
	free(canon);
	return n;
}

/* ---- why */

static void why_text(const struct depgraph *g, size_t target, const struct depgraph_why *w,
		     const struct depgraph_why_opts *o, struct buf *out)
{
	const struct depgraph_node *t = &g->nodes[target];
	size_t i, j;

	if (!w->total) {
		buf_addf(out, "%s %s: no path from the top-level requirements%s%s\n", t->name, t->version,
			 o->types || o->max_depth >= 0 ? " within --depth and --requirement-type" : "",
			 w->incomplete ? " found before the search stopped" : "");
		return;
	}
	buf_addf(out, "%s %s is needed through %s%zu path%s:\n", t->name, t->version, w->incomplete ? "at least " : "",
		 w->total, w->total == 1 ? "" : "s");
	for (i = 0; i < w->n; i++) {
		const struct depgraph_path *p = &w->paths[i];
		const struct depgraph_edge *top = &g->edges[p->edges[0]];
		const struct depgraph_node *k = &g->nodes[top->to];

		buf_addf(out, "\n  (toplevel) %s %s  <- ", k->name, k->version);
		if (top->origin)
			buf_addf(out, "%s ", top->origin);
		buf_addf(out, "\"%s\"\n", top->req);
		for (j = 1; j < p->n; j++) {
			const struct depgraph_edge *e = &g->edges[p->edges[j]];

			buf_addf(out, "    -[%s \"%s\"]-> %s %s\n", req_type_name(e->type), e->req, g->nodes[e->to].name,
				 g->nodes[e->to].version);
		}
	}
	if (w->total > w->n)
		buf_addf(out, "\n  ... and %s%zu more path%s (%s)\n", w->incomplete ? "at least " : "", w->total - w->n,
			 w->total - w->n == 1 ? "" : "s",
			 w->incomplete ? "the search stopped: too many paths" : "--limit 0 shows them all");
	else if (w->incomplete)
		buf_adds(out, "\n  ... and maybe more (the search stopped: too many paths)\n");
}

static json_t *why_json(const struct depgraph *g, size_t target, const struct depgraph_why *w)
{
	json_t *paths = json_array();
	size_t i, j;

	for (i = 0; i < w->n; i++) {
		json_t *steps = json_array();

		for (j = 0; j < w->paths[i].n; j++) {
			const struct depgraph_edge *e = &g->edges[w->paths[i].edges[j]];
			json_t *s = json_pack("{s:s, s:s, s:s, s:s}", "from", g->nodes[e->from].key, "to", g->nodes[e->to].key,
					      "req_type", req_type_name(e->type), "req", e->req);

			if (e->origin)
				json_object_set_new(s, "origin", json_string(e->origin));
			json_array_append_new(steps, s);
		}
		json_array_append_new(paths, steps);
	}
	return json_pack("{s:s, s:s, s:o, s:I, s:b}", "key", g->nodes[target].key, "version", g->nodes[target].version,
			 "paths", paths, "total", (json_int_t)w->total, "complete", !w->incomplete);
}

/* --requirement-type TYPE: one more type to follow (a bit of depgraph_why_opts.types). */
static int why_type(const struct option *opt, const char *arg)
{
	int t = req_type_from_name(arg);

	if (t < 0)
		return error("why: unknown requirement type '%s' (toplevel, install, build-system, "
			     "build-backend, build-sdist)", arg);
	*(unsigned *)opt->value |= 1u << t;
	return 0;
}

int cmd_why(int argc, char **argv)
{
	struct depgraph_why_opts o = { 0, -1, 10 };
	struct opt_list args = OPT_LIST_INIT;
	long limit = 10;
	int json = 0, ret;
	struct option options[] = {
		OPT_BOOL(0, "json", &json, "print one JSON object (docs/wbgen.1) instead of text"),
		OPT_INTEGER(0, "limit", &limit, "N", 0, LONG_MAX,
			    "show at most N chains per version, count the others\n"
			    "(default 10; 0: all)"),
		OPT_INTEGER(0, "depth", &o.max_depth, "N", 0, LONG_MAX,
			    "only chains with at most N requirements below the top-level one"),
		OPT_CALLBACK(0, "requirement-type", &o.types, "TYPE",
			     "only follow requirements of this type below the top-level one\n"
			     "(repeatable)", why_type),
		OPT_ARGUMENTS(&args, 2, NULL, NULL),
		OPT_TEXT(PLAN_HELP),
		OPT_END(),
	};
	const char *name, *plan;
	struct buf out = BUF_INIT;
	struct depgraph g;
	json_t *doc = NULL, *list = NULL;
	size_t *targets, n, j;

	if (parse_options(argc, argv, usage_why, options, 0, &ret) < 0)
		return ret;
	if (!args.n) {
		error("why: which package? (see 'wbgen help why')");
		parse_options_release(options);
		return EXIT_USAGE;
	}
	o.limit = (size_t)limit;
	name = args.v[0];
	plan = args.n > 1 ? args.v[1] : NULL;
	load(&g, plan);
	n = find(&g, "why", name, plan, &targets);
	if (json) {
		list = json_array();
		doc = json_pack("{s:s, s:o}", "name", g.nodes[targets[0]].name, "packages", list);
	}
	for (j = 0; j < n; j++) {
		struct depgraph_why w;

		depgraph_why(&g, targets[j], &o, &w);
		if (json) {
			json_array_append_new(list, why_json(&g, targets[j], &w));
		} else {
			if (j)
				buf_addch(&out, '\n');
			why_text(&g, targets[j], &w, &o, &out);
		}
		depgraph_why_release(&w);
	}
	if (json) {
		jsonw_add(&out, doc);
		buf_addch(&out, '\n');
		json_decref(doc);
	}
	fwrite(out.s, 1, out.len, stdout);
	buf_release(&out);
	free(targets);
	depgraph_release(&g);
	parse_options_release(options);
	return EXIT_OK;
}

/* ---- graph */

int cmd_graph(int argc, char **argv)
{
	const char *format = "dot", *subset = NULL, *output = NULL, *plan;
	struct opt_list args = OPT_LIST_INIT;
	struct option options[] = {
		OPT_STRING(0, "format", &format, "dot|json",
			   "dot: Graphviz (the default): a node \"name==version\" per package and\n"
			   "one for the top-level requirements; an edge per requirement, labelled\n"
			   "with the requirement and styled by type: toplevel bold, install solid,\n"
			   "build-system dashed blue, build-backend dotted purple, build-sdist\n"
			   "dotted orange (each edge's class attribute is its type). Packages\n"
			   "that are not installed (only built with) are dashed, pre-built ones\n"
			   "parallelograms. Render with: dot -Tsvg -o graph.svg\n"
			   "json: fromager's graph.json format (docs/file-formats.md)"),
		OPT_STRING(0, "subset", &subset, "NAME",
			   "only NAME, everything it needs and everything that needs it (each\n"
			   "transitively, every requirement type), as `fromager graph subset`"),
		OPT_STRING('o', "output", &output, "FILE", "write FILE (atomically) instead of standard output"),
		OPT_ARGUMENTS(&args, 1, NULL, NULL),
		OPT_TEXT(PLAN_HELP),
		OPT_END(),
	};
	unsigned char *keep = NULL;
	struct buf out = BUF_INIT;
	struct depgraph g;
	int ret = EXIT_OK;

	if (parse_options(argc, argv, usage_graph, options, 0, &ret) < 0)
		return ret;
	plan = args.n ? args.v[0] : NULL;
	if (strcmp(format, "dot") != 0 && strcmp(format, "json") != 0) {
		error("graph: unknown format '%s' (dot or json)", format);
		parse_options_release(options);
		return EXIT_USAGE;
	}
	load(&g, plan);
	if (subset) {
		size_t *targets, n = find(&g, "graph", subset, plan, &targets);

		keep = xcalloc(g.n + 1, 1);
		depgraph_subset(&g, targets, n, keep);
		free(targets);
	}
	if (strcmp(format, "dot") == 0) {
		depgraph_dot(&g, keep, &out);
	} else {
		json_t *doc = depgraph_to_json(&g, keep);

		jsonw_add(&out, doc);
		buf_addch(&out, '\n');
		json_decref(doc);
	}
	if (!output)
		fwrite(out.s, 1, out.len, stdout);
	else if (write_file(output, out.s, out.len, 0) < 0) {
		error("graph: cannot write '%s':", output);
		ret = EXIT_FAILURE_USER;
	}
	buf_release(&out);
	free(keep);
	depgraph_release(&g);
	parse_options_release(options);
	return ret;
}
