/* plan-test.c: the build order, constraints.txt and graph.json of hand-made plans. */
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "tap.h"

/* A plan from a table: package names (already sorted) and edges "from>to:t" where t is
 * i (install) or b (build-system), separated by spaces; the top-level packages likewise. */
static void make(struct plan *p, const char *const *names, const char *edges, const char *top)
{
	size_t n = 0, i;
	const char *s;

	plan_init(p);
	while (names[n])
		n++;
	p->pkgs = xcalloc(n + 1, sizeof(*p->pkgs));
	p->n = p->alloc = n;
	for (i = 0; i < n; i++) {
		struct plan_pkg *k = &p->pkgs[i];

		k->name = xstrdup(names[i]);
		k->version = xstrdup("1.0");
		k->sdist_filename = xasprintf("%s-1.0.tar.gz", names[i]);
		k->sdist_url = xasprintf("https://example.org/%s-1.0.tar.gz", names[i]);
		k->sdist_sha256 = xstrdup("00");
		k->sdist_path = xasprintf("sdists-repo/downloads/%s-1.0.tar.gz", names[i]);
		sdist_info_init(&k->info);
		k->info.build_backend = xstrdup("x");
	}
	for (s = edges; *s;) {
		size_t a = (size_t)(s[0] - 'a'), b = (size_t)(s[2] - 'a');
		struct plan_pkg *k = &p->pkgs[a];

		GROW(k->edges, k->alloc, k->nedges + 1);
		k->edges[k->nedges].to = b;
		k->edges[k->nedges].type = s[4] == 'i' ? REQ_INSTALL : REQ_BUILD_SYSTEM;
		k->edges[k->nedges].req = xstrdup(names[b]);
		k->nedges++;
		s += 5;
		while (*s == ' ')
			s++;
	}
	for (s = top; *s; s++) {
		if (*s == ' ')
			continue;
		GROW(p->top, p->atop, p->ntop + 1);
		p->top[p->ntop].to = (size_t)(*s - 'a');
		p->top[p->ntop].req = xstrdup(names[*s - 'a']);
		p->top[p->ntop].origin = xstrdup("test");
		p->ntop++;
	}
}

static const char *const abcde[] = { "a", "b", "c", "d", "e", NULL };

/* The build order as "name name ...", or "error: MESSAGE". */
static char *order_of(const struct plan *p)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	size_t *o = plan_build_order(p, &err), i;

	if (!o) {
		buf_addf(&out, "error: %s", err.s);
	} else {
		for (i = 0; i < p->n; i++)
			buf_addf(&out, "%s%s", i ? " " : "", p->pkgs[o[i]].name);
	}
	free(o);
	buf_release(&err);
	return buf_detach(&out, NULL);
}

static const struct {
	const char *edges, *top, *order, *constraints;
} cases[] = {
	/* no edges: by name */
	{ "", "a", "a b c d e", "a==1.0\n" },
	/* a build chain: a needs b needs c needs d */
	{ "a>b:b b>c:b c>d:b", "a", "d c b a e", "a==1.0\n" },
	/* a build requirement's install closure comes first: a builds with b, b installs c and d */
	{ "a>b:b b>c:i c>d:i", "a", "b c d a e", "a==1.0\n" },
	/* and what builds the closure before that: d builds with e */
	{ "a>b:b b>c:i c>d:i d>e:b", "a", "b c e d a", "a==1.0\n" },
	/* install cycles are fine; constraints follow install edges */
	{ "a>b:i b>c:i c>a:i", "a", "a b c d e", "a==1.0\nb==1.0\nc==1.0\n" },
	/* a diamond */
	{ "a>b:i a>c:i b>d:i c>d:i d>e:b", "a", "a b c e d", "a==1.0\nb==1.0\nc==1.0\nd==1.0\n" },
	/* build-only packages are not constraints */
	{ "a>b:b b>c:i", "a", "b c a d e", "a==1.0\n" },
	/* a build cycle */
	{ "a>b:b b>a:b", "a", "error: build cycle: a 1.0 builds with b 1.0; b 1.0 builds with a 1.0", "a==1.0\n" },
	/* a package in its own build closure: a builds with b, b installs a */
	{ "a>b:b b>a:i", "a", "error: build cycle: a 1.0 builds with b 1.0, which installs a 1.0", "a==1.0\n" },
	/* a longer cycle through install closures */
	{ "a>b:b b>c:i c>d:b d>a:i", "e",
	  "error: build cycle: a 1.0 builds with b 1.0, which installs c 1.0; c 1.0 builds with d 1.0, which installs a 1.0",
	  "e==1.0\n" },
	/* several tops */
	{ "b>c:i", "d b", "a b c d e", "b==1.0\nc==1.0\nd==1.0\n" },
};

int main(void)
{
	size_t i;

	plan_no_plan();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct plan p;
		struct buf c = BUF_INIT;
		char *o;

		make(&p, abcde, cases[i].edges, cases[i].top);
		o = order_of(&p);
		is_str(o, cases[i].order, "build order of '%s'", cases[i].edges);
		plan_constraints_txt(&p, &c);
		is_str(c.s, cases[i].constraints, "constraints of '%s' from '%s'", cases[i].edges, cases[i].top);
		free(o);
		buf_release(&c);
		plan_release(&p);
	}
	{
		struct plan p;
		json_t *g, *b;
		size_t *o;
		struct buf err = BUF_INIT;
		char *text;

		make(&p, abcde, "a>b:b b>c:i", "a");
		g = plan_graph_json(&p);
		text = json_dumps(json_object_get(g, ""), JSON_COMPACT | JSON_PRESERVE_ORDER);
		is_str(text, "{\"download_url\":\"\",\"pre_built\":false,\"version\":\"0\",\"canonicalized_name\":\"\","
			     "\"constraint\":\"\",\"edges\":[{\"key\":\"a==1.0\",\"req_type\":\"toplevel\",\"req\":\"a\"}]}",
		       "graph.json root node");
		free(text);
		text = json_dumps(json_object_get(g, "b==1.0"), JSON_COMPACT | JSON_PRESERVE_ORDER);
		is_str(text, "{\"download_url\":\"https://example.org/b-1.0.tar.gz\",\"pre_built\":false,\"version\":\"1.0\","
			     "\"canonicalized_name\":\"b\",\"constraint\":\"\",\"edges\":[{\"key\":\"c==1.0\","
			     "\"req_type\":\"install\",\"req\":\"c\"}]}",
		       "graph.json node");
		free(text);
		is_int((long long)json_object_size(g), 6, "graph.json: the root and every package");
		json_decref(g);
		o = plan_build_order(&p, &err);
		b = plan_build_order_json(&p, o);
		text = json_dumps(json_array_get(b, 0), JSON_COMPACT | JSON_PRESERVE_ORDER);
		is_str(text, "{\"type\":\"build-system\",\"req\":\"b\",\"constraint\":\"\",\"dist\":\"b\",\"version\":\"1.0\","
			     "\"prebuilt\":false,\"source_url\":\"https://example.org/b-1.0.tar.gz#sha256=00\","
			     "\"source_url_type\":\"sdist\"}",
		       "build-order.json entry: brought in by a build-system edge");
		free(text);
		text = json_dumps(json_array_get(b, 2), JSON_COMPACT | JSON_PRESERVE_ORDER);
		ok(text && strstr(text, "\"type\":\"toplevel\",\"req\":\"a\"") != NULL, "build-order.json: a top-level entry");
		free(text);
		json_decref(b);
		free(o);
		buf_release(&err);
		plan_release(&p);
	}
	return done_testing();
}
