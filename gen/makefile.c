/* makefile.c: write the build's Makefile and per-package inputs from a plan (see makefile.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jsonw.h"
#include "makefile.h"
#include "settings/settings.h"
#include "util.h"

size_t makefile_phases(const struct plan_pkg *k)
{
	if (k->pre_built)
		return 2; /* prebuilt, publish */
	return 6 + (k->info.deps_source == DEPS_DYNAMIC);
}

static char *pkg_id(const struct plan_pkg *k)
{
	return xasprintf("%s-%s", k->name, k->version);
}

/* Closure walks over one plan share their scratch arrays: a walk bumps gen instead of clearing. */
struct walk {
	const struct plan *p;
	size_t *stamp, gen;      /* stamp[i] == gen: i reached in this walk */
	size_t *todo, atodo;
	size_t *got, ngot, agot; /* what this walk reached, in order */
};

static void walk_init(struct walk *w, const struct plan *p)
{
	memset(w, 0, sizeof(*w));
	w->p = p;
	w->stamp = xcalloc(p->n + 1, sizeof(*w->stamp));
}

static void walk_release(struct walk *w)
{
	free(w->stamp);
	free(w->todo);
	free(w->got);
}

static void walk_start(struct walk *w)
{
	w->gen++;
	w->ngot = 0;
}

/* Add start's install closure (start included) to the walk. */
static void walk_closure(struct walk *w, size_t start)
{
	size_t ntodo = 0, j;

	if (w->stamp[start] == w->gen)
		return;
	GROW(w->todo, w->atodo, 1);
	w->todo[ntodo++] = start;
	w->stamp[start] = w->gen;
	while (ntodo > 0) {
		size_t i = w->todo[--ntodo];
		const struct plan_pkg *k = &w->p->pkgs[i];

		GROW(w->got, w->agot, w->ngot + 1);
		w->got[w->ngot++] = i;
		for (j = 0; j < k->nedges; j++) {
			size_t t = k->edges[j].to;

			if (k->edges[j].type != REQ_INSTALL || w->stamp[t] == w->gen)
				continue;
			w->stamp[t] = w->gen;
			GROW(w->todo, w->atodo, ntodo + 1);
			w->todo[ntodo++] = t;
		}
	}
}

/* The walk's packages as sorted "NAME-VERSION" strings, leaving out skip and those in not; those
 * with dynamic install requirements also in dyn (when not NULL). */
static void walk_ids(const struct walk *w, size_t skip, const struct strlist *not, struct strlist *out,
		     struct strlist *dyn)
{
	size_t i;

	for (i = 0; i < w->ngot; i++) {
		const struct plan_pkg *k = &w->p->pkgs[w->got[i]];
		char *id;

		if (w->got[i] == skip)
			continue;
		id = pkg_id(k);
		if (not && strlist_find(not, id) >= 0) {
			free(id);
			continue;
		}
		if (dyn && k->info.deps_source == DEPS_DYNAMIC)
			strlist_add(dyn, id);
		strlist_add_owned(out, id);
	}
	strlist_sort(out);
	if (dyn)
		strlist_sort(dyn);
}

/* A package's closures (makefile_closures), and the dynamic packages of sys and backend in sysdyn and
 * backdyn when not NULL. */
static void closures(struct walk *w, size_t i, struct strlist *sys, struct strlist *backend,
		     struct strlist *install, struct strlist *sysdyn, struct strlist *backdyn)
{
	const struct plan_pkg *k = &w->p->pkgs[i];
	size_t j;

	walk_start(w);
	for (j = 0; j < k->nedges; j++)
		if (k->edges[j].type == REQ_BUILD_SYSTEM)
			walk_closure(w, k->edges[j].to);
	walk_ids(w, (size_t)-1, NULL, sys, sysdyn);
	walk_start(w);
	for (j = 0; j < k->nedges; j++)
		if (k->edges[j].type == REQ_BUILD_BACKEND)
			walk_closure(w, k->edges[j].to);
	walk_ids(w, (size_t)-1, sys, backend, backdyn);
	if (install) {
		walk_start(w);
		walk_closure(w, i);
		walk_ids(w, i, NULL, install, NULL);
	}
}

void makefile_closures(const struct plan *p, size_t i, struct strlist *sys, struct strlist *backend,
		       struct strlist *install)
{
	struct strlist s = STRLIST_INIT, b = STRLIST_INIT;
	struct walk w;
	size_t j;

	walk_init(&w, p);
	closures(&w, i, &s, &b, install, NULL, NULL);
	for (j = 0; sys && j < s.n; j++)
		strlist_add(sys, s.v[j]);
	for (j = 0; backend && j < b.n; j++)
		strlist_add(backend, b.v[j]);
	strlist_release(&s);
	strlist_release(&b);
	walk_release(&w);
}

/* A line of words folded before column 110 (" \\" and a tab), never before its first word: the
 * variables' lists and the rules' prerequisites. */
struct line {
	struct buf *out, word;
	size_t col, nwords;
};

static void line_start(struct line *l, struct buf *out, const char *fmt, ...) ATTR_PRINTF(3, 4);
static void line_start(struct line *l, struct buf *out, const char *fmt, ...)
{
	size_t len0 = out->len;
	va_list ap;

	l->out = out;
	buf_init(&l->word);
	l->nwords = 0;
	va_start(ap, fmt);
	buf_vaddf(out, fmt, ap);
	va_end(ap);
	l->col = out->len - len0;
}

static void line_word(struct line *l, const char *fmt, ...) ATTR_PRINTF(2, 3);
static void line_word(struct line *l, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&l->word);
	va_start(ap, fmt);
	buf_vaddf(&l->word, fmt, ap);
	va_end(ap);
	if (l->col + l->word.len + 1 > 110 && l->nwords > 0) {
		buf_adds(l->out, " \\\n\t");
		l->col = 8;
	}
	buf_addch(l->out, ' ');
	buf_add(l->out, l->word.s, l->word.len);
	l->col += l->word.len + 1;
	l->nwords++;
}

/* Each of the list's words in fmt (one %s). */
static void line_words(struct line *l, const char *fmt, const struct strlist *list)
{
	size_t j;

	for (j = 0; j < list->n; j++)
		line_word(l, fmt, list->v[j]);
}

static void line_end(struct line *l)
{
	buf_addch(l->out, '\n');
	buf_release(&l->word);
}

/* "NAME := a b c" with long lists folded after the name. */
static void add_list_var(struct buf *out, const char *id, const char *var, const struct strlist *l)
{
	struct line line;

	line_start(&line, out, "%s.%s :=", id, var);
	line_words(&line, "%s", l);
	line_end(&line);
}

/* "a 1.0, b 2.0" from NAME-VERSION ids (the version is after the last '-' of the name part:
 * canonical names may hold '-', versions never do). */
static void add_human_list(struct buf *out, const struct plan *p, const struct strlist *l)
{
	size_t j, shown = l->n > 12 ? 10 : l->n;

	(void)p;
	for (j = 0; j < shown; j++) {
		const char *dash = strrchr(l->v[j], '-');

		buf_addf(out, "%s%.*s %s", j ? ", " : "", (int)(dash - l->v[j]), l->v[j], dash + 1);
	}
	if (shown < l->n)
		buf_addf(out, " and %zu more", l->n - shown);
}

/* "P.settings := FILE" when P has a settings file (any spelling of its name); the other files whose
 * change may change P's settings (the global file, the directories, the patches) follow from its
 * name (wbgen-settings-files, in the Makefile's header). */
static int settings_var(struct buf *out, const char *id, const char *name, const struct makefile_opts *o,
			struct buf *err)
{
	const struct settings_package *sp = settings_find(o->settings, name);
	char *f;

	if (!sp)
		return 0;
	f = path_absolute(sp->file);
	if (!f) {
		buf_addf(err, "cannot make '%s' absolute: cannot get the current directory: %s", sp->file,
			 strerror(errno));
		return -1;
	}
	buf_addf(out, "%s.settings := %s\n", id, f);
	free(f);
	return 0;
}

/* The closures of a package block, with the dynamic packages among sys and backend: the build
 * environments wait for their deps stamps (their install closures are known then). */
struct block {
	struct strlist sys, backend, install, sysdyn, backdyn;
};

/* "TARGET: the wheels and deps stamps of env... | their mirror stamps" for an environment phase. */
static void env_rule(struct line *l, const struct strlist *env, const struct strlist *dyn)
{
	size_t j;

	line_words(l, "work/%s/wheel.stamp", env);
	line_words(l, "work/%s/deps.stamp", dyn);
	for (j = 0; j < env->n; j++)
		line_word(l, j ? "mirror/%s.stamp" : "| mirror/%s.stamp", env->v[j]);
	line_end(l);
}

/* "work/P/TARGET: work/P/A work/P/B", folded. */
static void pair_rule(struct buf *out, const char *id, const char *target, const char *a, const char *b)
{
	struct line l;

	line_start(&l, out, "work/%s/%s:", id, target);
	line_word(&l, "work/%s/%s", id, a);
	line_word(&l, "work/%s/%s", id, b);
	line_end(&l);
}

/* P's targets and their prerequisites, for the make that builds (WBGEN_BUILD): the recipes are
 * wbgen.mk's, one static pattern rule per phase. */
static void package_rules(struct buf *out, const struct plan_pkg *k, const char *id, const struct block *b,
			  const struct makefile_opts *o)
{
	struct line l;

	buf_adds(out, "ifdef WBGEN_BUILD\n");
	if (o->build_cache) {
		/* its key: from pkg.json, the sdist and the keys of its build environment's wheels */
		line_start(&l, out, "work/%s/cache.key:", id);
		line_word(&l, "work/%s/pkg.json", id);
		line_word(&l, "work/%s/cache.inputs", id);
		if (!k->pre_built)
			line_word(&l, "%s", k->sdist_path);
		line_words(&l, "work/%s/cache.key", &b->sys);
		line_words(&l, "work/%s/cache.key", &b->backend);
		line_end(&l);
	}
	if (k->pre_built) {
		line_start(&l, out, "work/%s/wheel.stamp:", id);
		line_word(&l, "%s", k->sdist_path);
		line_word(&l, "work/%s/pkg.json", id);
		line_end(&l);
	} else {
		if (o->settings && o->settings_file) {
			char *under = xstrdup(k->name), *c;

			for (c = under; *c; c++)
				if (*c == '-')
					*c = '_';
			buf_addf(out, "work/%s/pkg.json: $(call wbgen-settings-files,%s,%s)\n", id, id, under);
			free(under);
		}
		if (o->build_cache)
			buf_addf(out, "ifndef %s.cached\n", id);
		line_start(&l, out, "work/%s/src.stamp:", id);
		line_word(&l, "%s", k->sdist_path);
		line_word(&l, "work/%s/pkg.json", id);
		line_end(&l);
		line_start(&l, out, "work/%s/build-system.stamp:", id);
		line_word(&l, "work/%s/pkg.json", id);
		env_rule(&l, &b->sys, &b->sysdyn);
		pair_rule(out, id, "discover.stamp", "src.stamp", "build-system.stamp");
		line_start(&l, out, "work/%s/backend.stamp:", id);
		line_word(&l, "work/%s/discover.stamp", id);
		line_word(&l, "work/%s/build-system.stamp", id);
		env_rule(&l, &b->backend, &b->backdyn);
		if (o->build_cache) {
			/* a hit's wheel comes from the cache: its build chain is left out (docs/makefile.md) */
			buf_addf(out, "work/%s/wheel.stamp: work/%s/src.stamp work/%s/backend.stamp work/%s/cache.key\n"
				 "else\nwork/%s/wheel.stamp: work/%s/cache.key\nendif\n", id, id, id, id, id, id);
		} else {
			pair_rule(out, id, "wheel.stamp", "src.stamp", "backend.stamp");
		}
		if (k->info.deps_source == DEPS_DYNAMIC)
			buf_addf(out, "work/%s/deps.stamp: work/%s/wheel.stamp\n", id, id);
	}
	buf_addf(out, "mirror/%s.stamp: work/%s/wheel.stamp\nendif\n", id, id);
}

static int package_block(struct buf *out, const struct plan *p, size_t i, struct walk *w,
			 const struct strlist *users_of, const struct makefile_opts *o, struct buf *err)
{
	const struct plan_pkg *k = &p->pkgs[i];
	struct block b = { STRLIST_INIT, STRLIST_INIT, STRLIST_INIT, STRLIST_INIT, STRLIST_INIT };
	const struct strlist *users = &users_of[i];
	char *id = pkg_id(k);
	size_t len0 = out->len;
	int r = 0;

	closures(w, i, &b.sys, &b.backend, &b.install, &b.sysdyn, &b.backdyn);
	buf_addf(out, "# ---- %s %s ", k->name, k->version);
	while (out->len - len0 < 100)
		buf_addch(out, '-');
	if (k->pre_built) {
		/* settings pre_built: the wheel resolve downloaded, published as it is */
		buf_addf(out, "\n# pre-built wheel %s (settings pre_built): not built here\n",
			 k->sdist_filename);
	} else {
		buf_addf(out, "\n# sdist %s; backend %s", k->sdist_filename, k->info.build_backend);
		if (k->info.backend_path.n)
			buf_adds(out, " (in-tree)");
		buf_adds(out, "\n");
	}
	if (b.sys.n) {
		buf_adds(out, "# build environment: ");
		add_human_list(out, p, &b.sys);
		if (b.backend.n) {
			buf_adds(out, "; and for its backend: ");
			add_human_list(out, p, &b.backend);
		}
		buf_adds(out, "\n");
	}
	if (k->info.deps_source == DEPS_DYNAMIC)
		buf_adds(out, "# install requirements: dynamic, read from the built wheel\n");
	if (users->n) {
		buf_adds(out, "# needed by: ");
		add_human_list(out, p, users);
		buf_adds(out, "\n");
	}
	buf_addf(out, "%s.name := %s\n%s.version := %s\n%s.%s := %s\n", id, k->name, id, k->version, id,
		 k->pre_built ? "prebuilt" : "sdist", k->sdist_path);
	add_list_var(out, id, "sys", &b.sys);
	add_list_var(out, id, "backend", &b.backend);
	add_list_var(out, id, "install", &b.install);
	if (o->settings && o->settings_file)
		r = settings_var(out, id, k->name, o, err);
	buf_addf(out, "%s.dynamic :=%s\n", id, k->info.deps_source == DEPS_DYNAMIC ? " 1" : "");
	package_rules(out, k, id, &b, o);
	buf_addch(out, '\n');
	free(id);
	strlist_release(&b.sys);
	strlist_release(&b.backend);
	strlist_release(&b.install);
	strlist_release(&b.sysdyn);
	strlist_release(&b.backdyn);
	return r;
}

int makefile_text(const struct plan *p, const size_t *order, const struct makefile_opts *o, struct buf *out,
		  struct buf *err)
{
	struct strlist *users;
	struct walk w;
	size_t i, j, nphases = 0, col;
	int r = 0;

	for (i = 0; i < p->n; i++)
		nphases += makefile_phases(&p->pkgs[i]);
	buf_adds(out,
		 "# The build of the plan in this directory (plan.json): a wheel for every package, from its sdist.\n"
		 "# Written by `wbgen resolve`, which rewrites it: change the requirements, not this file.\n"
		 "#\n"
		 "#   make -j8       build every wheel and publish it to the mirror wheels-repo/simple/ (goal 'all')\n"
		 "#   make NAME      one package's wheel and the wheels of its install requirements, with what they\n"
		 "#                  need to build\n"
		 "#   make -k        keep going after a failure: build everything that does not depend on it\n"
		 "#   make V=1       show the commands; make -n: what would run; make -q: is everything built?\n"
		 "#   make help      the goals and the packages; make clean: remove what was built (not the sdists)\n"
		 "#\n"
		 "# Each package has a block below, \"# ---- NAME VERSION\": its variables, then its targets with\n"
		 "# their prerequisites, one line per phase (unpack src.stamp, build-system, discover, backend,\n"
		 "# build wheel.stamp, deps for dynamic packages, publish mirror/NAME-VERSION.stamp); the recipes\n"
		 "# are in $(WBGEN_RULES), described in wbgen's docs/makefile.md. `make -n NAME` prints the\n"
		 "# commands that would build NAME. A package's files are in work/NAME-VERSION/, the output of\n"
		 "# its phases in logs/NAME-VERSION/PHASE.log, its wheel in wheels-repo/downloads/.\n"
		 "#   .sys      its build environment: its build-system requirements and their install closure\n"
		 "#   .backend  added for its backend: what get_requires_for_build_wheel asked for, with closure\n"
		 "#   .install  its install closure: the other wheels `make NAME` builds\n"
		 "#   .dynamic  1 when its install requirements are only known from its built wheel\n\n");
	buf_addf(out, "WBGEN := %s\nWBGEN_STEP := %s\nWBGEN_RULES := %s/wbgen.mk\nWBGEN_PKGDATADIR := %s\n",
		 o->wbgen, o->step, o->datadir, o->datadir);
	if (o->python_given && strcmp(o->python_given, o->python) != 0 && !strchr(o->python_given, '\n'))
		buf_addf(out, "# the interpreter that --python %s runs: the phases run it directly\n",
			 o->python_given);
	buf_addf(out, "WBGEN_PYTHON := %s\n", o->python);
	buf_addf(out, "WBGEN_NPHASES := %zu\n", nphases);
	if (o->launcher)
		buf_addf(out, "# the heavy phases run as cluster jobs (make WBGEN_LAUNCHER= runs them here)\n"
			 "WBGEN_LAUNCHER := %s\nWBGEN_SRUN_FLAGS := %s\n", o->launcher, o->srun_flags ? o->srun_flags : "");
	if (o->build_cache)
		buf_addf(out, "# the shared build cache (wbgen resolve --build-cache; make WBGEN_BUILD_CACHE= turns it off)\n"
			 "WBGEN_BUILD_CACHE ?= %s\nWBGEN_CACHE_RULES := 1\n", o->build_cache);
	if (o->settings && o->settings_file)
		buf_addf(out, "WBGEN_SETTINGS_FILE := %s\nWBGEN_SETTINGS_DIR := %s\nWBGEN_PATCHES_DIR := %s\n"
			 "WBGEN_VARIANT := %s\n", o->settings_file, o->settings_dir, o->patches_dir, o->variant);
	buf_addch(out, '\n');
	buf_adds(out, "# The packages, in build order: each after everything its build needs.\nWBGEN_PACKAGES :=");
	col = 17;
	for (i = 0; i < p->n; i++) {
		const struct plan_pkg *k = &p->pkgs[order ? order[i] : i];
		size_t width = strlen(k->name) + strlen(k->version) + 2;

		if (col + width > 110) {
			buf_adds(out, " \\\n\t");
			col = 8;
		}
		buf_addf(out, " %s-%s", k->name, k->version);
		col += width;
	}
	buf_adds(out, "\n\n");
	buf_adds(out,
		 "# The make you type runs `wbgen step run`, which runs make again to build (WBGEN_INNER); make -n,\n"
		 "# -q and -t run nothing (WBGEN_DRY) and need no outer make. Only the make that builds reads the\n"
		 "# packages' rules (ifdef WBGEN_BUILD): the outer make reads their variables only.\n"
		 "wbgen-flags := $(firstword -$(MAKEFLAGS))\n"
		 "WBGEN_DRY := $(if $(strip $(foreach f,n q t,$(findstring $(f),$(wbgen-flags)))),1)\n"
		 "WBGEN_BUILD := $(WBGEN_DRY)$(WBGEN_INNER)\n");
	if (o->build_cache)
		buf_adds(out,
			 "# With the cache, the packages whose wheel comes from it (P.cached := 1), found by the\n"
			 "# make you typed (`wbgen step run`) before it runs the inner make (make -n: the last run's).\n"
			 "ifneq ($(WBGEN_BUILD),)\nifneq ($(WBGEN_BUILD_CACHE),)\ninclude $(wildcard cache.mk)\nendif\nendif\n");
	if (o->settings && o->settings_file)
		buf_adds(out,
			 "# The files whose change may change the settings of package $(1) named $(2) (- as _): its\n"
			 "# settings file, the global file, the settings directory (a file added), the patches directory,\n"
			 "# and its patches and their variant folders, looked for only when the patches directory is\n"
			 "# there (each look costs make a system call per package). When one is newer than its pkg.json,\n"
			 "# the settings are recomputed.\n"
			 "wbgen-settings-global := $(wildcard $(WBGEN_SETTINGS_FILE) $(WBGEN_SETTINGS_DIR) $(WBGEN_PATCHES_DIR))\n"
			 "wbgen-settings-files = $(wildcard $($(1).settings)) $(wbgen-settings-global) \\\n"
			 "\t$(if $(filter $(WBGEN_PATCHES_DIR),$(wbgen-settings-global)),$(wildcard $(foreach d,\\\n"
			 "\t\t$(WBGEN_PATCHES_DIR)/$(2) $(WBGEN_PATCHES_DIR)/$(2)-*,$(d)/*.patch $(d)/$(WBGEN_VARIANT) \\\n"
			 "\t\t$(d)/$(WBGEN_VARIANT)/*.patch $(d))))\n");
	buf_addch(out, '\n');
	/* who needs each package (any edge), from one pass over the edges */
	users = xcalloc(p->n + 1, sizeof(*users));
	for (i = 0; i < p->n; i++) {
		const struct plan_pkg *k = &p->pkgs[i];
		char *id = pkg_id(k);

		for (j = 0; j < k->nedges; j++) {
			struct strlist *u = &users[k->edges[j].to];

			if (k->edges[j].to != i && (u->n == 0 || strcmp(u->v[u->n - 1], id) != 0))
				strlist_add(u, id);
		}
		free(id);
	}
	for (i = 0; i < p->n; i++)
		strlist_sort(&users[i]);
	walk_init(&w, p);
	for (i = 0; i < p->n && r == 0; i++)
		r = package_block(out, p, order ? order[i] : i, &w, users, o, err);
	walk_release(&w);
	for (i = 0; i < p->n; i++)
		strlist_release(&users[i]);
	free(users);
	buf_adds(out, "include $(WBGEN_RULES)\n");
	return r;
}

int makefile_pkg_json(const struct plan *p, size_t i, const struct makefile_opts *o, struct buf *out,
		      struct buf *err)
{
	const struct plan_pkg *k = &p->pkgs[i];
	json_t *v = json_object(), *a;
	size_t j;

	json_object_set_new(v, "wbgen_pkg", json_integer(1));
	json_object_set_new(v, "name", json_string(k->name));
	json_object_set_new(v, "version", json_string(k->version));
	json_object_set_new(v, "sdist", json_string(k->sdist_path));
	json_object_set_new(v, "sdist_sha256", json_string(k->sdist_sha256));
	json_object_set_new(v, "python", json_string(o->python));
	json_object_set_new(v, "build_backend",
			    k->info.build_backend ? json_string(k->info.build_backend) : json_null());
	a = json_array();
	for (j = 0; j < k->info.backend_path.n; j++)
		json_array_append_new(a, json_string(k->info.backend_path.v[j]));
	json_object_set_new(v, "backend_path", a);
	if (k->info.deps_source == DEPS_DYNAMIC) {
		json_object_set_new(v, "install_requires", json_null());
	} else {
		a = json_array();
		for (j = 0; j < k->info.ndeps; j++) {
			json_t *d = json_object();

			json_object_set_new(d, "req", json_string(k->info.deps[j].req));
			if (k->info.deps[j].extra)
				json_object_set_new(d, "extra", json_string(k->info.deps[j].extra));
			json_array_append_new(a, d);
		}
		json_object_set_new(v, "install_requires", a);
	}
	if (k->pre_built) {
		/* settings pre_built: `wbgen step prebuilt` takes this wheel */
		json_object_set_new(v, "pre_built", json_true());
		json_object_set_new(v, "wheel", json_string(k->sdist_path));
		json_object_set_new(v, "wheel_sha256", json_string(k->sdist_sha256));
	}
	if (settings_pkg_json(o->settings, k->name, k->version, v, err) < 0) {
		json_decref(v);
		return -1;
	}
	jsonw_add(out, v);
	buf_addch(out, '\n');
	json_decref(v);
	return 0;
}

/* cache.inputs of package i, with the walk w. */
static void cache_inputs(struct walk *w, size_t i, const struct makefile_opts *o, struct buf *out)
{
	struct strlist sys = STRLIST_INIT, backend = STRLIST_INIT;
	struct line l;

	closures(w, i, &sys, &backend, NULL, NULL, NULL);
	buf_addf(out, "python %s\n", o->cache_python ? o->cache_python : "");
	line_start(&l, out, "sys");
	line_words(&l, "%s", &sys);
	line_end(&l);
	line_start(&l, out, "backend");
	line_words(&l, "%s", &backend);
	line_end(&l);
	strlist_release(&sys);
	strlist_release(&backend);
}

void makefile_cache_inputs(const struct plan *p, size_t i, const struct makefile_opts *o, struct buf *out)
{
	struct walk w;

	walk_init(&w, p);
	cache_inputs(&w, i, o, out);
	walk_release(&w);
}

int makefile_write(const struct plan *p, const char *outdir, const struct makefile_opts *o, struct buf *err)
{
	struct buf text = BUF_INIT, berr = BUF_INIT;
	size_t *order, i;
	struct walk w;
	char *path;
	int r = 0;

	order = plan_build_order(p, &berr);
	if (!order) {
		buf_addf(err, "%s", berr.s);
		buf_release(&berr);
		return -1;
	}
	walk_init(&w, p);
	for (i = 0; i < p->n && r == 0; i++) {
		const struct plan_pkg *k = &p->pkgs[i];

		buf_setlen(&text, 0);
		if (makefile_pkg_json(p, i, o, &text, err) < 0) {
			r = -1;
			break;
		}
		path = xasprintf("%s/work/%s-%s/pkg.json", outdir, k->name, k->version);
		if (write_file(path, text.s, text.len, WRITE_IF_CHANGED | WRITE_NOSYNC) < 0) {
			buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
			r = -1;
		}
		free(path);
		if (r == 0 && o->build_cache) {
			buf_setlen(&text, 0);
			cache_inputs(&w, i, o, &text);
			path = xasprintf("%s/work/%s-%s/cache.inputs", outdir, k->name, k->version);
			if (write_file(path, text.s, text.len, WRITE_IF_CHANGED | WRITE_NOSYNC) < 0) {
				buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
				r = -1;
			}
			free(path);
		}
	}
	if (r == 0) {
		buf_setlen(&text, 0);
		r = makefile_text(p, order, o, &text, err);
		path = xasprintf("%s/Makefile", outdir);
		if (r == 0 && write_file(path, text.s, text.len, WRITE_IF_CHANGED | WRITE_NOSYNC) < 0) {
			buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
			r = -1;
		}
		free(path);
	}
	walk_release(&w);
	free(order);
	buf_release(&text);
	buf_release(&berr);
	return r;
}
