/* makefile-test.c: build-environment closures, the Makefile's text and pkg.json of hand-made plans. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "fsutil.h"
#include "makefile.h"
#include "tap.h"

/* A plan of packages a..(n-1) at 1.0 and edges "x>y:t" (t: i install, b build-system, k
 * build-backend), separated by spaces. Packages named in 'dyn' have dynamic install requirements. */
static void make(struct plan *p, size_t n, const char *edges, const char *dyn)
{
	size_t i;
	const char *s;

	plan_init(p);
	p->pkgs = xcalloc(n + 1, sizeof(*p->pkgs));
	p->n = p->alloc = n;
	for (i = 0; i < n; i++) {
		struct plan_pkg *k = &p->pkgs[i];

		k->name = xasprintf("%c", (int)('a' + i));
		k->version = xstrdup("1.0");
		k->sdist_filename = xasprintf("%s-1.0.tar.gz", k->name);
		k->sdist_url = xasprintf("https://example.org/%s", k->sdist_filename);
		k->sdist_sha256 = xstrdup("00");
		k->sdist_path = xasprintf("sdists-repo/downloads/%s", k->sdist_filename);
		sdist_info_init(&k->info);
		k->info.build_backend = xstrdup("be:x");
		k->info.deps_source = strchr(dyn, 'a' + (int)i) ? DEPS_DYNAMIC : DEPS_PYPROJECT;
	}
	for (s = edges; *s;) {
		struct plan_pkg *k = &p->pkgs[s[0] - 'a'];

		GROW(k->edges, k->alloc, k->nedges + 1);
		k->edges[k->nedges].to = (size_t)(s[2] - 'a');
		k->edges[k->nedges].type = s[4] == 'i' ? REQ_INSTALL : s[4] == 'b' ? REQ_BUILD_SYSTEM : REQ_BUILD_BACKEND;
		k->edges[k->nedges].req = xasprintf("%c", s[2]);
		k->nedges++;
		s += 5;
		while (*s == ' ')
			s++;
	}
}

static char *joined(const struct strlist *l)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < l->n; i++)
		buf_addf(&b, "%s%s", i ? " " : "", l->v[i]);
	return buf_detach(&b, NULL);
}

static void check_closures(const char *edges, size_t n, size_t who, const char *sys, const char *backend,
			   const char *install)
{
	struct plan p;
	struct strlist s = STRLIST_INIT, b = STRLIST_INIT, i = STRLIST_INIT;
	char *js, *jb, *ji;

	make(&p, n, edges, "");
	makefile_closures(&p, who, &s, &b, &i);
	js = joined(&s);
	jb = joined(&b);
	ji = joined(&i);
	is_str(js, sys, "%s: build-system closure of %c", edges, (int)('a' + who));
	is_str(jb, backend, "%s: backend closure of %c", edges, (int)('a' + who));
	is_str(ji, install, "%s: install closure of %c", edges, (int)('a' + who));
	free(js);
	free(jb);
	free(ji);
	strlist_release(&s);
	strlist_release(&b);
	strlist_release(&i);
	plan_release(&p);
}

static int contains(const struct buf *b, const char *s)
{
	return strstr(b->s, s) != NULL;
}

int main(void)
{
	struct makefile_opts o = { "/usr/bin/wbgen", "/usr/libexec/wbgen/wbgen-step", "/usr/share/wbgen", "/usr/bin/python3", NULL,
				    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct plan p;
	struct buf t = BUF_INIT, e = BUF_INIT;
	char dir[] = "/tmp/makefile-test.XXXXXX", *path;
	struct stat st1, st2;

	plan_no_plan();

	/* closures: the build-system requirement's install closure, not the package's own */
	check_closures("a>b:b", 2, 0, "b-1.0", "", "");
	check_closures("a>b:b b>c:i c>d:i", 4, 0, "b-1.0 c-1.0 d-1.0", "", "");
	check_closures("a>b:b a>e:i", 5, 0, "b-1.0", "", "e-1.0");
	check_closures("a>b:b b>c:b", 3, 0, "b-1.0", "", "");            /* b's build needs are not a's */
	check_closures("a>b:b a>c:k c>b:i c>d:i", 4, 0, "b-1.0", "c-1.0 d-1.0", "");
	check_closures("a>b:i b>a:i", 2, 0, "", "", "b-1.0");            /* install cycles are fine */
	check_closures("a>b:b a>c:b b>d:i c>d:i", 4, 0, "b-1.0 c-1.0 d-1.0", "", ""); /* a diamond */
	check_closures("a>b:k", 2, 0, "", "b-1.0", "");

	/* phases */
	make(&p, 2, "a>b:b", "b");
	ok(makefile_phases(&p.pkgs[0]) == 6, "a static package has 6 phases");
	ok(makefile_phases(&p.pkgs[1]) == 7, "a dynamic one has a deps phase too");

	/* the text */
	makefile_text(&p, NULL, &o, &t, &e);
	ok(contains(&t, "\nWBGEN := /usr/bin/wbgen\n"), "WBGEN names the binary");
	ok(contains(&t, "\nWBGEN_STEP := /usr/libexec/wbgen/wbgen-step\n"), "WBGEN_STEP the recipes' program");
	ok(contains(&t, "\nWBGEN_RULES := /usr/share/wbgen/wbgen.mk\n"), "the rules are included from the data dir");
	ok(contains(&t, "\nWBGEN_NPHASES := 13\n"), "the phase count is the sum");
	ok(contains(&t, "\na-1.0.sys := b-1.0\n"), "a's build environment");
	ok(contains(&t, "\nb-1.0.dynamic := 1\n"), "b is dynamic");
	ok(contains(&t, "\na-1.0.dynamic :=\n"), "a is not");
	ok(contains(&t, "\na-1.0.sdist := sdists-repo/downloads/a-1.0.tar.gz\n"), "the sdist");
	ok(contains(&t, "# needed by: a 1.0\n"), "b says who needs it");
	ok(contains(&t, "\ninclude $(WBGEN_RULES)\n"), "the rules are included at the end");
	ok(contains(&t, "\nWBGEN_BUILD := $(WBGEN_DRY)$(WBGEN_INNER)\n"), "the rules are for the make that builds");
	ok(contains(&t, "\na-1.0.dynamic :=\nifdef WBGEN_BUILD\nwork/a-1.0/src.stamp: "
		     "sdists-repo/downloads/a-1.0.tar.gz work/a-1.0/pkg.json\n"), "a's rules follow its variables");
	ok(contains(&t, "\nwork/a-1.0/build-system.stamp: work/a-1.0/pkg.json work/b-1.0/wheel.stamp "
		     "work/b-1.0/deps.stamp \\\n\t | mirror/b-1.0.stamp\n"),
	   "its environment waits for b's wheel, b's deps stamp (dynamic) and, order-only, b's publication");
	ok(contains(&t, "\nwork/a-1.0/discover.stamp: work/a-1.0/src.stamp work/a-1.0/build-system.stamp\n"
		     "work/a-1.0/backend.stamp: work/a-1.0/discover.stamp work/a-1.0/build-system.stamp\n"
		     "work/a-1.0/wheel.stamp: work/a-1.0/src.stamp work/a-1.0/backend.stamp\n"
		     "mirror/a-1.0.stamp: work/a-1.0/wheel.stamp\nendif\n\n"), "discover, backend, build, publish");
	ok(!contains(&t, "work/a-1.0/deps.stamp:"), "a static package has no deps target");
	ok(contains(&t, "\nwork/b-1.0/build-system.stamp: work/b-1.0/pkg.json\n"), "b's environment: nothing");
	ok(contains(&t, "\nwork/b-1.0/deps.stamp: work/b-1.0/wheel.stamp\nmirror/b-1.0.stamp:"), "b's deps target");
	ok(!contains(&t, "/pkg.json: $(call"), "no settings: no pkg.json rule");
	buf_setlen(&t, 0);
	{
		size_t order[] = { 1, 0 };

		makefile_text(&p, order, &o, &t, &e);
		ok(contains(&t, "WBGEN_PACKAGES := b-1.0 a-1.0\n"), "the packages in the given order");
	}

	/* with a build cache: keys, and the build chain of a hit left out */
	buf_setlen(&t, 0);
	o.build_cache = "/srv/cache";
	o.cache_python = "cpython 3.11.2 cp311 cp311-cp311-linux_x86_64 tags:0";
	makefile_text(&p, NULL, &o, &t, &e);
	ok(contains(&t, "\nWBGEN_BUILD_CACHE ?= /srv/cache\nWBGEN_CACHE_RULES := 1\n"), "cache: the variable, a default");
	ok(contains(&t, "ifneq ($(WBGEN_BUILD_CACHE),)\ninclude $(wildcard cache.mk)\n"), "cache: cache.mk included");
	ok(contains(&t, "\nwork/a-1.0/cache.key: work/a-1.0/pkg.json work/a-1.0/cache.inputs "
		     "sdists-repo/downloads/a-1.0.tar.gz \\\n\t work/b-1.0/cache.key\n"),
	   "cache: a's key from its inputs and b's key, not b's wheel");
	ok(contains(&t, "\nifndef a-1.0.cached\nwork/a-1.0/src.stamp: "), "cache: a's build chain unless a hit");
	ok(contains(&t, "\nwork/a-1.0/wheel.stamp: work/a-1.0/src.stamp work/a-1.0/backend.stamp work/a-1.0/cache.key\n"
		     "else\nwork/a-1.0/wheel.stamp: work/a-1.0/cache.key\nendif\n"), "cache: a hit's wheel from its key");
	buf_setlen(&t, 0);
	makefile_cache_inputs(&p, 0, &o, &t);
	is_str(t.s, "python cpython 3.11.2 cp311 cp311-cp311-linux_x86_64 tags:0\nsys b-1.0\nbackend\n",
	       "cache.inputs: the interpreter, sys, backend");
	o.build_cache = o.cache_python = NULL;
	buf_setlen(&t, 0);
	makefile_text(&p, NULL, &o, &t, &e);
	ok(!contains(&t, "cache"), "without a cache the Makefile never says cache");

	/* pkg.json */
	buf_setlen(&t, 0);
	ok(makefile_pkg_json(&p, 1, &o, &t, &e) == 0, "pkg.json without settings");
	ok(contains(&t, "\"install_requires\": null"), "a dynamic package's install_requires is null");
	ok(contains(&t, "\"settings\": null") && contains(&t, "\"build_tag\": 0") &&
	   contains(&t, "\"patches\": []") && contains(&t, "\"exclusive_build\": false"),
	   "without settings: fromager's defaults");
	ok(contains(&t, "\"python\": \"/usr/bin/python3\""), "the interpreter");
	buf_setlen(&t, 0);
	makefile_pkg_json(&p, 0, &o, &t, &e);
	ok(contains(&t, "\"install_requires\": []"), "a static one lists them (none here)");
	ok(contains(&t, "\"build_backend\": \"be:x\""), "the backend");

	/* writing: unchanged content keeps its mtime */
	if (!mkdtemp(dir))
		return 99;
	ok(makefile_write(&p, dir, &o, &e) == 0, "write %s", e.s);
	path = xasprintf("%s/Makefile", dir);
	ok(stat(path, &st1) == 0, "the Makefile is there");
	{
		struct timespec ts[2] = { { 1000000, 0 }, { 1000000, 0 } };

		utimensat(AT_FDCWD, path, ts, 0);
		stat(path, &st1);
	}
	ok(makefile_write(&p, dir, &o, &e) == 0, "write again");
	ok(stat(path, &st2) == 0 && st2.st_mtime == st1.st_mtime, "an unchanged Makefile keeps its mtime");
	free(path);
	path = xasprintf("%s/work/b-1.0/pkg.json", dir);
	ok(path_exists(path), "pkg.json per package");
	free(path);
	plan_release(&p);

	/* the backend's environment, long lines folded, a pre-built package */
	make(&p, 12, "a>b:b a>c:k c>d:i c>e:i c>f:i c>g:i c>h:i c>i:i c>j:i c>k:i c>l:i", "");
	p.pkgs[11].pre_built = 1;
	free(p.pkgs[11].sdist_path);
	p.pkgs[11].sdist_path = xstrdup("prebuilt/l-1.0-py3-none-any.whl");
	buf_setlen(&t, 0);
	makefile_text(&p, NULL, &o, &t, &e);
	ok(contains(&t, "\nwork/a-1.0/backend.stamp: work/a-1.0/discover.stamp work/a-1.0/build-system.stamp "
		     "work/c-1.0/wheel.stamp \\\n\t work/d-1.0/wheel.stamp "), "a's backend: c and its closure, folded");
	ok(contains(&t, " work/l-1.0/wheel.stamp | mirror/c-1.0.stamp "), "... then their mirror stamps");
	{
		const char *c = strstr(t.s, "\nwork/a-1.0/backend.stamp:"),
			   *end = c ? strstr(c + 1, "\nwork/a-1.0/wheel") : NULL;
		size_t col = 0, widest = 0;

		for (; c && c < end; c++, col++) {
			if (*c == '\n')
				col = 0;
			if (col > widest)
				widest = col;
		}
		ok(end && widest <= 110, "... within 110 columns (%zu)", widest);
	}
	ok(contains(&t, "\nifdef WBGEN_BUILD\nwork/l-1.0/wheel.stamp: prebuilt/l-1.0-py3-none-any.whl "
		     "work/l-1.0/pkg.json\nmirror/l-1.0.stamp: work/l-1.0/wheel.stamp\nendif\n"),
	   "a pre-built package: its wheel from the downloaded one, and its publication");
	plan_release(&p);

	/* a build cycle is refused */
	make(&p, 2, "a>b:b b>a:b", "");
	buf_setlen(&e, 0);
	ok(makefile_write(&p, dir, &o, &e) < 0 && strstr(e.s, "build cycle"), "a build cycle: %s", e.s);
	plan_release(&p);

	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			diag("could not remove %s", dir);
		free(cmd);
	}
	buf_release(&t);
	buf_release(&e);
	return done_testing();
}
