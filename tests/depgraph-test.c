/* depgraph-test.c: the graph read back from plan.json and graph.json, the paths to a package
 * (`wbgen why`), the subset around one and the DOT and graph.json forms, on hand-made graphs. */
#include <stdlib.h>
#include <string.h>

#include "depgraph/depgraph.h"
#include "jsonw.h"
#include "tap.h"

/* A graph from a table: packages a..e at 1.0, edges "from>to:t" (t: i install, b build-system,
 * k build-backend, s build-sdist) separated by spaces, the top-level packages likewise. */
static void make(struct depgraph *g, const char *edges, const char *top)
{
	static const char types[] = "ibks";
	static const enum req_type type_of[] = { REQ_INSTALL, REQ_BUILD_SYSTEM, REQ_BUILD_BACKEND, REQ_BUILD_SDIST };
	struct buf err = BUF_INIT;
	const char *s;
	char name[2] = "a";

	depgraph_init(g);
	depgraph_add_node(g, "", "0");
	for (name[0] = 'a'; name[0] <= 'e'; name[0]++)
		depgraph_add_node(g, name, "1.0");
	if (depgraph_index(g, &err) < 0)
		BUG("%s", err.s);
	for (s = top; *s; s++)
		if (*s != ' ') {
			name[0] = *s;
			depgraph_add_edge(g, DEPGRAPH_ROOT, (size_t)(*s - 'a' + 1), REQ_TOPLEVEL, name, "req.txt:1");
		}
	for (s = edges; *s;) {
		name[0] = s[2];
		depgraph_add_edge(g, (size_t)(s[0] - 'a' + 1), (size_t)(s[2] - 'a' + 1),
				  type_of[strchr(types, s[4]) - types], name, NULL);
		s += 5;
		while (*s == ' ')
			s++;
	}
	buf_release(&err);
}

/* The paths as "a -i-> b -i-> d | a -b-> d", then " (N)" with the total, "+" when incomplete. */
static char *paths_of(const struct depgraph *g, const struct depgraph_why *w)
{
	static const char letter[] = { 't', 'i', 'b', 'k', 's' };
	struct buf out = BUF_INIT;
	size_t i, j;

	for (i = 0; i < w->n; i++) {
		buf_addf(&out, "%s%s", i ? " | " : "", g->nodes[g->edges[w->paths[i].edges[0]].to].name);
		for (j = 1; j < w->paths[i].n; j++) {
			const struct depgraph_edge *e = &g->edges[w->paths[i].edges[j]];

			buf_addf(&out, " -%c-> %s", letter[e->type], g->nodes[e->to].name);
		}
	}
	buf_addf(&out, " (%zu%s)", w->total, w->incomplete ? "+" : "");
	return buf_detach(&out, NULL);
}

static const struct {
	const char *edges, *top;
	char target;
	unsigned types;
	long depth;
	size_t limit;
	const char *want;
} why_cases[] = {
	/* a diamond through an install and a build-system edge */
	{ "a>b:i a>c:i b>d:i c>d:b", "a", 'd', 0, -1, 0, "a -i-> b -i-> d | a -i-> c -b-> d (2)" },
	/* a top-level package: the chain is its requirement alone */
	{ "a>b:i", "a", 'a', 0, -1, 0, "a (1)" },
	/* top-level and needed by another top-level package: the shorter chain first */
	{ "a>c:i", "a c", 'c', 0, -1, 0, "c | a -i-> c (2)" },
	/* an install cycle: never through a package twice */
	{ "a>b:i b>c:i c>a:i c>d:i", "a", 'd', 0, -1, 0, "a -i-> b -i-> c -i-> d (1)" },
	{ "a>b:i b>c:i c>a:i", "a", 'a', 0, -1, 0, "a (1)" },
	{ "a>b:i b>c:i c>a:i", "a b", 'c', 0, -1, 0, "b -i-> c | a -i-> b -i-> c (2)" },
	/* --requirement-type install */
	{ "a>b:i a>c:i b>d:i c>d:b", "a", 'd', 1u << REQ_INSTALL, -1, 0, "a -i-> b -i-> d (1)" },
	{ "a>b:i a>c:i b>d:i c>d:b", "a", 'd', 1u << REQ_BUILD_BACKEND, -1, 0, " (0)" },
	/* --depth */
	{ "a>b:i b>d:i a>d:k", "a", 'd', 0, 1, 0, "a -k-> d (1)" },
	{ "a>b:i b>d:i a>d:k", "a", 'd', 0, 0, 0, " (0)" },
	{ "a>b:i b>d:i a>d:k", "a", 'd', 0, 2, 0, "a -k-> d | a -i-> b -i-> d (2)" },
	/* --limit: the first paths kept, all counted */
	{ "a>b:i a>c:i b>d:i c>d:i b>c:s", "a", 'd', 0, -1, 1, "a -i-> b -i-> d (3)" },
	{ "a>b:i a>c:i b>d:i c>d:i b>c:s", "a", 'd', 0, -1, 0,
	  "a -i-> b -i-> d | a -i-> b -s-> c -i-> d | a -i-> c -i-> d (3)" },
	/* not reachable from the top */
	{ "a>b:i", "a", 'e', 0, -1, 0, " (0)" },
	/* edges to the same package through several requirements are several paths */
	{ "a>b:i a>b:b b>d:i", "a", 'd', 0, -1, 0, "a -i-> b -i-> d | a -b-> b -i-> d (2)" },
};

static void test_why(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(why_cases); i++) {
		struct depgraph_why_opts o = { why_cases[i].types, why_cases[i].depth, why_cases[i].limit };
		struct depgraph g;
		struct depgraph_why w;
		char *got;

		make(&g, why_cases[i].edges, why_cases[i].top);
		depgraph_why(&g, (size_t)(why_cases[i].target - 'a' + 1), &o, &w);
		got = paths_of(&g, &w);
		is_str(got, why_cases[i].want, "why %c in '%s' from '%s' (types %u, depth %ld, limit %zu)",
		       why_cases[i].target, why_cases[i].edges, why_cases[i].top, why_cases[i].types, why_cases[i].depth,
		       why_cases[i].limit);
		free(got);
		depgraph_why_release(&w);
		depgraph_release(&g);
	}
	{
		struct depgraph_why_opts o = { 0, -1, 0 };
		struct depgraph g;
		struct depgraph_why w;
		char *got;

		/* every node links to every later one: many paths, a small budget */
		make(&g, "a>b:i a>c:i a>d:i a>e:i b>c:i b>d:i b>e:i c>d:i c>e:i d>e:i", "a");
		depgraph_why(&g, 5, &o, &w);
		got = paths_of(&g, &w);
		is_str(got, "a -i-> e | a -i-> b -i-> e | a -i-> b -i-> c -i-> e | a -i-> b -i-> c -i-> d -i-> e | "
			    "a -i-> b -i-> d -i-> e | a -i-> c -i-> e | a -i-> c -i-> d -i-> e | a -i-> d -i-> e (8)",
		       "all paths of a complete DAG, the edges nearer the target first");
		free(got);
		depgraph_why_release(&w);
		depgraph_why_budget = 6;
		depgraph_why(&g, 5, &o, &w);
		got = paths_of(&g, &w);
		is_str(got, "a -i-> e | a -i-> b -i-> e | a -i-> b -i-> c -i-> e (3+)",
		       "the search stops at its budget and says so");
		free(got);
		depgraph_why_release(&w);
		depgraph_why_budget = 2000000;
		depgraph_release(&g);
	}
}

static const struct {
	const char *edges, *top;
	char target;
	const char *want; /* the kept packages */
} subset_cases[] = {
	/* its dependents up to the top, its dependencies down, not its siblings */
	{ "a>b:i a>c:i b>d:b c>e:i", "a", 'b', "ROOT a b d" },
	{ "a>b:i a>c:i b>d:b c>e:i", "a", 'e', "ROOT a c e" },
	/* an install cycle through it */
	{ "a>b:i b>c:i c>b:i c>d:k", "a", 'c', "ROOT a b c d" },
	/* a package nothing reaches: the root stays */
	{ "a>b:i", "a", 'e', "ROOT e" },
};

static void test_subset(void)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(subset_cases); i++) {
		struct depgraph g;
		struct buf got = BUF_INIT;
		unsigned char *keep;
		size_t t = (size_t)(subset_cases[i].target - 'a' + 1);

		make(&g, subset_cases[i].edges, subset_cases[i].top);
		keep = xcalloc(g.n, 1);
		depgraph_subset(&g, &t, 1, keep);
		for (j = 0; j < g.n; j++)
			if (keep[j])
				buf_addf(&got, "%s%s", got.len ? " " : "", j == DEPGRAPH_ROOT ? "ROOT" : g.nodes[j].name);
		is_str(got.s, subset_cases[i].want, "subset around %c of '%s'", subset_cases[i].target,
		       subset_cases[i].edges);
		if (i == 0) {
			buf_reset(&got);
			depgraph_dot(&g, keep, &got);
			is_str(got.s,
			       "digraph wbgen {\n"
			       "\tnode [shape=box];\n"
			       "\tn0 [label=\"top-level requirements\" shape=ellipse];\n"
			       "\tn1 [label=\"a==1.0\"];\n"
			       "\tn2 [label=\"b==1.0\"];\n"
			       "\tn4 [label=\"d==1.0\" style=dashed];\n"
			       "\tn0 -> n1 [label=\"a\" class=\"toplevel\" style=bold];\n"
			       "\tn1 -> n2 [label=\"b\" class=\"install\"];\n"
			       "\tn2 -> n4 [label=\"d\" class=\"build-system\" style=dashed color=blue fontcolor=blue];\n"
			       "}\n",
			       "the subset as DOT: only the edges between kept packages");
		}
		buf_release(&got);
		free(keep);
		depgraph_release(&g);
	}
}

/* the root node's first lines, as fromager and wbgen write them */
#define ROOT_HEAD \
	"{\n" \
	"  \"\": {\n" \
	"    \"download_url\": \"\",\n" \
	"    \"pre_built\": false,\n" \
	"    \"version\": \"0\",\n" \
	"    \"canonicalized_name\": \"\",\n"

/* fromager's shape: no "constraint", edges in file order, a duplicate requirement of one package */
static const char fromager_graph[] =
	ROOT_HEAD
	"    \"edges\": [\n"
	"      {\n"
	"        \"key\": \"keyring==25.6.0\",\n"
	"        \"req_type\": \"toplevel\",\n"
	"        \"req\": \"keyring\"\n"
	"      }\n"
	"    ]\n"
	"  },\n"
	"  \"keyring==25.6.0\": {\n"
	"    \"download_url\": \"https://example.org/keyring-25.6.0.tar.gz\",\n"
	"    \"pre_built\": false,\n"
	"    \"version\": \"25.6.0\",\n"
	"    \"canonicalized_name\": \"keyring\",\n"
	"    \"edges\": [\n"
	"      {\n"
	"        \"key\": \"setuptools==80.8.0\",\n"
	"        \"req_type\": \"build-system\",\n"
	"        \"req\": \"setuptools>=61.2\"\n"
	"      },\n"
	"      {\n"
	"        \"key\": \"setuptools==80.8.0\",\n"
	"        \"req_type\": \"build-backend\",\n"
	"        \"req\": \"setuptools\"\n"
	"      },\n"
	"      {\n"
	"        \"key\": \"jaraco-classes==3.4.0\",\n"
	"        \"req_type\": \"install\",\n"
	"        \"req\": \"jaraco.classes\"\n"
	"      }\n"
	"    ]\n"
	"  },\n"
	"  \"setuptools==80.8.0\": {\n"
	"    \"download_url\": \"https://example.org/setuptools-80.8.0.tar.gz\",\n"
	"    \"pre_built\": true,\n"
	"    \"version\": \"80.8.0\",\n"
	"    \"canonicalized_name\": \"setuptools\",\n"
	"    \"edges\": []\n"
	"  },\n"
	"  \"jaraco-classes==3.4.0\": {\n"
	"    \"download_url\": \"https://example.org/jaraco.classes-3.4.0.tar.gz\",\n"
	"    \"pre_built\": false,\n"
	"    \"version\": \"3.4.0\",\n"
	"    \"canonicalized_name\": \"jaraco-classes\",\n"
	"    \"edges\": [\n"
	"      {\n"
	"        \"key\": \"setuptools==80.8.0\",\n"
	"        \"req_type\": \"build-system\",\n"
	"        \"req\": \"setuptools>=56\"\n"
	"      }\n"
	"    ]\n"
	"  }\n"
	"}";

/* Load text into g; 0, or -1 with the message in err. */
static int load_text(struct depgraph *g, const char *text, struct buf *err)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	int rc;

	if (!doc)
		BUG("test JSON: %s: %s", jerr.text, text);
	depgraph_init(g);
	rc = depgraph_from_json(g, doc, "f.json", err);
	json_decref(doc);
	return rc;
}

static void test_graph_json(void)
{
	struct depgraph g;
	struct buf err = BUF_INIT, out = BUF_INIT;
	json_t *doc;

	ok(load_text(&g, fromager_graph, &err) == 0, "fromager's graph.json loads (%s)", err.s);
	is_int((long long)g.n, 4, "the root and three packages");
	is_str(g.nodes[2].key, "setuptools==80.8.0", "nodes in the file's order");
	ok(g.nodes[2].pre_built && !g.nodes[1].pre_built, "pre_built");
	ok(g.nodes[1].constraint == NULL, "no constraint key, no constraint");
	is_int((long long)g.nodes[2].nin, 3, "three edges into setuptools");
	is_int((long long)depgraph_find_key(&g, "jaraco-classes==3.4.0"), 3, "found by key");
	doc = depgraph_to_json(&g, NULL);
	jsonw_add(&out, doc);
	json_decref(doc);
	is_str(out.s, fromager_graph, "written back byte for byte");
	buf_reset(&out);
	depgraph_dot(&g, NULL, &out);
	is_str(out.s,
	       "digraph wbgen {\n"
	       "\tnode [shape=box];\n"
	       "\tn0 [label=\"top-level requirements\" shape=ellipse];\n"
	       "\tn1 [label=\"keyring==25.6.0\"];\n"
	       "\tn2 [label=\"setuptools==80.8.0\" shape=parallelogram style=dashed];\n"
	       "\tn3 [label=\"jaraco-classes==3.4.0\"];\n"
	       "\tn0 -> n1 [label=\"keyring\" class=\"toplevel\" style=bold];\n"
	       "\tn1 -> n2 [label=\"setuptools>=61.2\" class=\"build-system\" style=dashed color=blue fontcolor=blue];\n"
	       "\tn1 -> n2 [label=\"setuptools\" class=\"build-backend\" style=dotted color=purple fontcolor=purple];\n"
	       "\tn1 -> n3 [label=\"jaraco.classes\" class=\"install\"];\n"
	       "\tn3 -> n2 [label=\"setuptools>=56\" class=\"build-system\" style=dashed color=blue fontcolor=blue];\n"
	       "}\n",
	       "DOT: node styles, edge labels and styles");
	depgraph_release(&g);
	buf_release(&out);

	/* names and versions from the keys when the fields are missing; quotes escaped in DOT */
	ok(load_text(&g,
		     "{\"\": {\"edges\": [{\"key\": \"a==1\", \"req_type\": \"toplevel\", \"req\": \"a; x == \\\"y\\\"\"}]},"
		     " \"a==1\": {}}",
		     &err) == 0,
	   "a minimal graph.json loads (%s)", err.s);
	is_str(g.nodes[1].name, "a", "name from the key");
	is_str(g.nodes[1].version, "1", "version from the key");
	is_str(g.nodes[0].version, "0", "the root's version");
	{
		size_t *found, n = depgraph_find_name(&g, "A", &found);

		ok(n == 1 && found[0] == 1, "found by name after normalisation");
		free(found);
		ok(depgraph_find_name(&g, "", &found) == 0 && !found, "the root has no name to find");
	}
	buf_reset(&out);
	depgraph_dot(&g, NULL, &out);
	ok(strstr(out.s, "[label=\"a; x == \\\"y\\\"\" class=\"toplevel\"") != NULL, "DOT: quotes escaped");
	depgraph_release(&g);
	buf_release(&out);
	buf_release(&err);
}

static const char plan_json[] =
	"{\"wbgen_plan\": 1, \"target\": null, \"index_urls\": [],"
	" \"toplevel\": [{\"req\": \"App[all]\", \"origin\": \"requirements.txt:3\", \"name\": \"app\"}],"
	" \"packages\": ["
	"  {\"name\": \"app\", \"version\": \"1.0\", \"constraint\": null, \"sdist\": {\"url\": \"https://x/app-1.0.tar.gz\"},"
	"   \"pre_built\": false, \"edges\": [{\"key\": \"colors==1.2\", \"req_type\": \"install\", \"req\": \"colors>=1\"}]},"
	"  {\"name\": \"colors\", \"version\": \"1.2\", \"constraint\": \"colors<2\", \"sdist\": null,"
	"   \"wheel\": {\"url\": \"https://x/colors-1.2-py3-none-any.whl\"}, \"pre_built\": true, \"edges\": []}"
	" ]}";

static void test_plan_json(void)
{
	struct depgraph g;
	struct buf err = BUF_INIT, out = BUF_INIT;
	json_t *doc;

	ok(load_text(&g, plan_json, &err) == 0, "a plan.json loads (%s)", err.s);
	is_str(g.edges[g.nodes[0].out[0]].origin, "requirements.txt:3", "a top-level requirement's origin");
	doc = depgraph_to_json(&g, NULL);
	jsonw_add(&out, doc);
	json_decref(doc);
	is_str(out.s,
	       ROOT_HEAD
	       "    \"constraint\": \"\",\n"
	       "    \"edges\": [\n"
	       "      {\n"
	       "        \"key\": \"app==1.0\",\n"
	       "        \"req_type\": \"toplevel\",\n"
	       "        \"req\": \"App[all]\"\n"
	       "      }\n"
	       "    ]\n"
	       "  },\n"
	       "  \"app==1.0\": {\n"
	       "    \"download_url\": \"https://x/app-1.0.tar.gz\",\n"
	       "    \"pre_built\": false,\n"
	       "    \"version\": \"1.0\",\n"
	       "    \"canonicalized_name\": \"app\",\n"
	       "    \"constraint\": \"\",\n"
	       "    \"edges\": [\n"
	       "      {\n"
	       "        \"key\": \"colors==1.2\",\n"
	       "        \"req_type\": \"install\",\n"
	       "        \"req\": \"colors>=1\"\n"
	       "      }\n"
	       "    ]\n"
	       "  },\n"
	       "  \"colors==1.2\": {\n"
	       "    \"download_url\": \"https://x/colors-1.2-py3-none-any.whl\",\n"
	       "    \"pre_built\": true,\n"
	       "    \"version\": \"1.2\",\n"
	       "    \"canonicalized_name\": \"colors\",\n"
	       "    \"constraint\": \"colors<2\",\n"
	       "    \"edges\": []\n"
	       "  }\n"
	       "}",
	       "plan.json as graph.json");
	depgraph_release(&g);
	buf_release(&out);
	buf_release(&err);
}

static const struct {
	const char *json, *err;
} bad[] = {
	{ "[]", "f.json: neither a wbgen plan.json (no \"wbgen_plan\") nor a graph.json (no root \"\")" },
	{ "{\"a==1\": {}}", "f.json: neither a wbgen plan.json (no \"wbgen_plan\") nor a graph.json (no root \"\")" },
	{ "{\"\": []}", "f.json: '' is not an object" },
	{ "{\"\": {}, \"a==1\": {\"version\": 1}}", "f.json: 'a==1': 'version' is not a string" },
	{ "{\"\": {}, \"a==1\": {\"pre_built\": \"no\"}}", "f.json: 'a==1': 'pre_built' is not a boolean" },
	{ "{\"\": {}, \"a\": {}}", "f.json: 'a': not NAME==VERSION, and no canonicalized_name and version" },
	{ "{\"\": {\"edges\": {}}}", "f.json: '': 'edges' is not an array" },
	{ "{\"\": {\"edges\": [{\"key\": \"b==1\", \"req_type\": \"toplevel\", \"req\": \"b\"}]}}",
	  "f.json: '': edges[0]: 'b==1' is not a package of the graph" },
	{ "{\"\": {\"edges\": [{\"key\": \"a==1\", \"req_type\": \"runtime\", \"req\": \"a\"}]}, \"a==1\": {}}",
	  "f.json: '': edges[0]: unknown req_type 'runtime'" },
	{ "{\"\": {\"edges\": [{\"key\": \"a==1\", \"req_type\": \"install\"}]}, \"a==1\": {}}",
	  "f.json: '': edges[0]: 'req' is missing" },
	{ "{\"\": {\"edges\": [7]}}", "f.json: '': edges[0] is not an object" },
	{ "{\"wbgen_plan\": 2}", "f.json: unknown plan format (wbgen_plan is not 1)" },
	{ "{\"wbgen_plan\": 1, \"toplevel\": []}", "f.json: the plan: 'packages' is missing" },
	{ "{\"wbgen_plan\": 1, \"toplevel\": [], \"packages\": [{\"name\": \"a\"}]}",
	  "f.json: packages[0]: 'version' is missing" },
	{ "{\"wbgen_plan\": 1, \"toplevel\": [], \"packages\": [{\"name\": \"a\", \"version\": \"1\", \"sdist\": 3}]}",
	  "f.json: packages[0]: 'sdist' is not an object" },
	{ "{\"wbgen_plan\": 1, \"toplevel\": [{\"name\": \"b\", \"req\": \"b\"}], \"packages\": []}",
	  "f.json: toplevel[0]: 'b' is not a package of the plan" },
	{ "{\"wbgen_plan\": 1, \"toplevel\": [], \"packages\": [{\"name\": \"a\", \"version\": \"1\"}]}",
	  "f.json: packages[0] (a==1): 'edges' is missing" },
	{ "{\"wbgen_plan\": 1, \"toplevel\": [], \"packages\": [{\"name\": \"a\", \"version\": \"1\", \"edges\": []},"
	  " {\"name\": \"a\", \"version\": \"1\", \"edges\": []}]}",
	  "package 'a==1' is listed twice in f.json" },
};

static void test_bad(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct depgraph g;
		struct buf err = BUF_INIT;

		ok(load_text(&g, bad[i].json, &err) < 0 && g.n == 0, "refused: %s", bad[i].json);
		is_str(err.s, bad[i].err, "... with the message");
		buf_release(&err);
	}
}

int main(void)
{
	plan_no_plan();
	test_why();
	test_subset();
	test_graph_json();
	test_plan_json();
	test_bad();
	return done_testing();
}
