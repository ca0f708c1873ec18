/* settings.c: reading and checking fromager's settings files (the schema is docs/settings.md). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "requirement.h"
#include "settings/settings.h"
#include "settings/settings_int.h"
#include "version.h"

/* ---- changelogs */

static void changelog_release(struct settings_changelog *cl)
{
	size_t i;

	for (i = 0; i < cl->n; i++) {
		free(cl->v[i].key);
		strlist_release(&cl->v[i].entries);
	}
	free(cl->v);
	cl->v = NULL;
	cl->n = cl->alloc = 0;
}

static void variant_release(struct settings_variant *v)
{
	size_t i;

	free(v->name);
	free(v->wheel_server_url);
	settings_kvlist_release(&v->env);
	settings_kvlist_release(&v->annotations);
	for (i = 0; i < v->nversions; i++) {
		free(v->versions[i].version);
		free(v->versions[i].wheel_server_url);
		settings_kvlist_release(&v->versions[i].env);
		settings_kvlist_release(&v->versions[i].annotations);
	}
	free(v->versions);
}

static void package_init(struct settings_package *p)
{
	memset(p, 0, sizeof(*p));
	p->include_sdists = 1;
	p->use_pypi_org_metadata = -1;
	p->min_release_age = -1;
	p->cpu_cores_per_job = 1;
	p->memory_per_job_gb = 1.0;
}

static void package_release(struct settings_package *p)
{
	size_t i;

	free(p->name);
	free(p->file);
	free(p->build_dir);
	settings_kvlist_release(&p->env);
	settings_kvlist_release(&p->annotations);
	free(p->purl);
	free(p->url);
	free(p->destination_filename);
	free(p->sdist_server_url);
	for (i = 0; i < p->nconfig; i++) {
		free(p->config[i].key);
		strlist_release(&p->config[i].values);
	}
	free(p->config);
	changelog_release(&p->changelog);
	strlist_release(&p->update_build_requires);
	strlist_release(&p->remove_build_requires);
	strlist_release(&p->requires_external);
	for (i = 0; i < p->nvariants; i++)
		variant_release(&p->variants[i]);
	free(p->variants);
}

void settings_init(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	package_init(&s->defaults);
}

void settings_release(struct settings *s)
{
	size_t i;

	free(s->variant);
	free(s->patches_dir);
	changelog_release(&s->changelog);
	for (i = 0; i < s->npkgs; i++)
		package_release(&s->pkgs[i]);
	free(s->pkgs);
	settings_init(s);
}

/* ---- sections */

static int read_version_override(struct sctx *c, const struct ynode *k, const struct ynode *n, const char *path,
				 struct settings_variant *var)
{
	static const char *const keys[] = { "annotations", "env", "wheel_server_url", "pre_built", NULL };
	struct settings_version_override *o;
	char *sub;
	int r = 0;

	if (k->kind != YN_SCALAR || k->type != YS_STR)
		return sy_fail(c, k, "'%s': keys must be quoted versions", path);
	GROW(var->versions, var->aversions, var->nversions + 1);
	o = &var->versions[var->nversions++];
	memset(o, 0, sizeof(*o));
	o->version = xstrdup(k->text);
	o->pre_built = -1;
	sub = xasprintf("%s.%s", path, k->text);
	if (sy_absent(n))
		goto out;
	if (sy_want_map(c, n, sub) < 0 || sy_check_keys(c, n, sub, keys) < 0) {
		r = -1;
		goto out;
	}
	{
		char *p1 = sy_subpath(sub, "annotations"), *p2 = sy_subpath(sub, "env");
		char *p3 = sy_subpath(sub, "wheel_server_url"), *p4 = sy_subpath(sub, "pre_built");

		if (sy_get_strmap(c, ynode_get(n, "annotations"), p1, &o->annotations) < 0 ||
		    sy_get_env(c, ynode_get(n, "env"), p2, &o->env) < 0 ||
		    sy_get_str(c, ynode_get(n, "wheel_server_url"), p3, &o->wheel_server_url) < 0 ||
		    sy_get_bool(c, ynode_get(n, "pre_built"), p4, &o->pre_built) < 0)
			r = -1;
		free(p1);
		free(p2);
		free(p3);
		free(p4);
	}
out:
	free(sub);
	return r;
}

static int read_variant(struct sctx *c, const struct ynode *k, const struct ynode *n, struct settings_package *p)
{
	static const char *const keys[] = { "annotations", "env", "wheel_server_url", "pre_built", "versions",
					    "source", NULL };
	struct settings_variant *var;
	const struct ynode *vs;
	char *path;
	size_t i;
	int r = -1;

	if (k->kind != YN_SCALAR || k->type != YS_STR)
		return sy_fail(c, k, "'variants': keys must be variant names");
	GROW(p->variants, p->avariants, p->nvariants + 1);
	var = &p->variants[p->nvariants++];
	memset(var, 0, sizeof(*var));
	var->name = xstrdup(k->text);
	path = xasprintf("variants.%s", k->text);
	if (sy_absent(n)) {
		r = 0;
		goto out;
	}
	if (sy_want_map(c, n, path) < 0 || sy_check_keys(c, n, path, keys) < 0)
		goto out;
	if (ynode_get(n, "source")) {
		sy_fail(c, ynode_get(n, "source"), "'%s.source': fromager's source resolvers are not supported by wbgen",
		     path);
		goto out;
	}
	{
		char *p1 = sy_subpath(path, "annotations"), *p2 = sy_subpath(path, "env");
		char *p3 = sy_subpath(path, "wheel_server_url"), *p4 = sy_subpath(path, "pre_built");
		int bad = sy_get_strmap(c, ynode_get(n, "annotations"), p1, &var->annotations) < 0 ||
			  sy_get_env(c, ynode_get(n, "env"), p2, &var->env) < 0 ||
			  sy_get_str(c, ynode_get(n, "wheel_server_url"), p3, &var->wheel_server_url) < 0 ||
			  sy_get_bool(c, ynode_get(n, "pre_built"), p4, &var->pre_built) < 0;

		free(p1);
		free(p2);
		free(p3);
		free(p4);
		if (bad)
			goto out;
	}
	vs = ynode_get(n, "versions");
	if (!sy_absent(vs)) {
		char *vp = sy_subpath(path, "versions");
		int bad = sy_want_map(c, vs, vp) < 0;

		for (i = 0; !bad && i < vs->n; i += 2)
			bad = read_version_override(c, vs->kids[i], vs->kids[i + 1], vp, var) < 0;
		free(vp);
		if (bad)
			goto out;
	}
	r = 0;
out:
	free(path);
	return r;
}

static int read_config_settings(struct sctx *c, const struct ynode *n, struct settings_package *p)
{
	size_t i;

	if (sy_absent(n))
		return 0;
	if (sy_want_map(c, n, "config_settings") < 0)
		return -1;
	for (i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];
		struct settings_config *cs;
		char *sub;
		int r;

		if (k->kind != YN_SCALAR || k->type != YS_STR)
			return sy_fail(c, k, "'config_settings': keys must be strings");
		GROW(p->config, p->aconfig, p->nconfig + 1);
		cs = &p->config[p->nconfig++];
		cs->key = xstrdup(k->text);
		strlist_init(&cs->values);
		cs->is_list = v->kind == YN_SEQ;
		sub = xasprintf("config_settings.%s", k->text);
		if (cs->is_list) {
			r = sy_get_strlist(c, v, sub, &cs->values);
		} else if (v->kind == YN_SCALAR && v->type == YS_STR) {
			strlist_add(&cs->values, v->text);
			r = 0;
		} else {
			r = sy_fail(c, v, "'%s': expected a string or a list of strings, got %s", sub, sy_kind_name(v));
		}
		free(sub);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int read_sections(struct sctx *c, const struct ynode *root, struct settings_package *p)
{
	static const char *const top[] = { "annotations", "build_dir", "changelog", "config_settings", "env",
					   "download_source", "purl", "resolver_dist", "build_options",
					   "git_options", "project_override", "source", "variants", NULL };
	static const char *const ds[] = { "url", "destination_filename", NULL };
	static const char *const rd[] = { "sdist_server_url", "include_sdists", "include_wheels",
					  "ignore_platform", "use_pypi_org_metadata", "min_release_age", NULL };
	static const char *const bo[] = { "build_ext_parallel", "cpu_cores_per_job", "memory_per_job_gb",
					  "exclusive_build", NULL };
	static const char *const go[] = { "submodules", "submodule_paths", NULL };
	static const char *const po[] = { "update_build_requires", "remove_build_requires", "requires_external",
					  NULL };
	const struct ynode *n;
	size_t i;

	if (sy_check_keys(c, root, "", top) < 0)
		return -1;
	if (ynode_get(root, "source"))
		return sy_fail(c, ynode_get(root, "source"),
			    "'source': fromager's source resolvers are not supported by wbgen (use download_source)");
	if (sy_get_strmap(c, ynode_get(root, "annotations"), "annotations", &p->annotations) < 0 ||
	    sy_get_str(c, ynode_get(root, "build_dir"), "build_dir", &p->build_dir) < 0 ||
	    sy_get_changelog(c, ynode_get(root, "changelog"), "changelog", 1, &p->changelog) < 0 ||
	    read_config_settings(c, ynode_get(root, "config_settings"), p) < 0 ||
	    sy_get_env(c, ynode_get(root, "env"), "env", &p->env) < 0 ||
	    sy_get_str(c, ynode_get(root, "purl"), "purl", &p->purl) < 0)
		return -1;
	if (p->build_dir) {
		const char *s = p->build_dir, *seg;

		n = ynode_get(root, "build_dir");
		if (s[0] == '/')
			return sy_fail(c, n, "'build_dir': '%s' is not a relative path", s);
		for (seg = s; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL)
			if (starts_with(seg, "..") && (seg[2] == '/' || seg[2] == '\0'))
				return sy_fail(c, n, "'build_dir': '%s' leaves the source tree", s);
	}

	n = ynode_get(root, "download_source");
	if (!sy_absent(n)) {
		if (sy_want_map(c, n, "download_source") < 0 || sy_check_keys(c, n, "download_source", ds) < 0 ||
		    sy_get_str(c, ynode_get(n, "url"), "download_source.url", &p->url) < 0 ||
		    sy_get_str(c, ynode_get(n, "destination_filename"), "download_source.destination_filename",
			    &p->destination_filename) < 0)
			return -1;
		if (p->destination_filename && (strpbrk(p->destination_filename, ":/") ||
						!strcmp(p->destination_filename, ".") ||
						!strcmp(p->destination_filename, "..") || !*p->destination_filename))
			return sy_fail(c, ynode_get(n, "destination_filename"),
				    "'download_source.destination_filename': '%s' is not a file name",
				    p->destination_filename);
	}

	n = ynode_get(root, "resolver_dist");
	if (!sy_absent(n)) {
		if (sy_want_map(c, n, "resolver_dist") < 0 || sy_check_keys(c, n, "resolver_dist", rd) < 0 ||
		    sy_get_str(c, ynode_get(n, "sdist_server_url"), "resolver_dist.sdist_server_url",
			    &p->sdist_server_url) < 0 ||
		    sy_get_bool(c, ynode_get(n, "include_sdists"), "resolver_dist.include_sdists", &p->include_sdists) < 0 ||
		    sy_get_bool(c, ynode_get(n, "include_wheels"), "resolver_dist.include_wheels", &p->include_wheels) < 0 ||
		    sy_get_bool(c, ynode_get(n, "ignore_platform"), "resolver_dist.ignore_platform",
			     &p->ignore_platform) < 0 ||
		    sy_get_bool(c, ynode_get(n, "use_pypi_org_metadata"), "resolver_dist.use_pypi_org_metadata",
			     &p->use_pypi_org_metadata) < 0 ||
		    sy_get_long(c, ynode_get(n, "min_release_age"), "resolver_dist.min_release_age", 0,
			     &p->min_release_age) < 0)
			return -1;
		if (p->ignore_platform && !p->include_wheels)
			return sy_fail(c, ynode_get(n, "ignore_platform"),
				    "'resolver_dist.ignore_platform' has no effect without 'include_wheels'");
	}

	n = ynode_get(root, "build_options");
	if (!sy_absent(n) &&
	    (sy_want_map(c, n, "build_options") < 0 || sy_check_keys(c, n, "build_options", bo) < 0 ||
	     sy_get_bool(c, ynode_get(n, "build_ext_parallel"), "build_options.build_ext_parallel",
		      &p->build_ext_parallel) < 0 ||
	     sy_get_long(c, ynode_get(n, "cpu_cores_per_job"), "build_options.cpu_cores_per_job", 1,
		      &p->cpu_cores_per_job) < 0 ||
	     sy_get_double(c, ynode_get(n, "memory_per_job_gb"), "build_options.memory_per_job_gb", 0.1,
			&p->memory_per_job_gb) < 0 ||
	     sy_get_bool(c, ynode_get(n, "exclusive_build"), "build_options.exclusive_build", &p->exclusive_build) < 0))
		return -1;

	n = ynode_get(root, "git_options");
	if (!sy_absent(n)) {
		struct strlist ignored = STRLIST_INIT;
		int sub = 0, r;

		r = sy_want_map(c, n, "git_options") < 0 || sy_check_keys(c, n, "git_options", go) < 0 ||
		    sy_get_bool(c, ynode_get(n, "submodules"), "git_options.submodules", &sub) < 0 ||
		    sy_get_strlist(c, ynode_get(n, "submodule_paths"), "git_options.submodule_paths", &ignored) < 0;
		strlist_release(&ignored);
		if (r)
			return -1;
	}

	n = ynode_get(root, "project_override");
	if (!sy_absent(n)) {
		if (sy_want_map(c, n, "project_override") < 0 || sy_check_keys(c, n, "project_override", po) < 0 ||
		    sy_get_strlist(c, ynode_get(n, "update_build_requires"), "project_override.update_build_requires",
				&p->update_build_requires) < 0 ||
		    sy_get_strlist(c, ynode_get(n, "remove_build_requires"), "project_override.remove_build_requires",
				&p->remove_build_requires) < 0 ||
		    sy_get_strlist(c, ynode_get(n, "requires_external"), "project_override.requires_external",
				&p->requires_external) < 0)
			return -1;
		for (i = 0; i < p->update_build_requires.n; i++) {
			struct requirement req;
			struct buf why = BUF_INIT;
			int r;

			requirement_init(&req);
			r = requirement_parse(p->update_build_requires.v[i], &req, &why);
			requirement_release(&req);
			if (r < 0) {
				sy_fail(c, ynode_get(n, "update_build_requires")->kids[i],
				     "'project_override.update_build_requires[%zu]': %s", i, why.s);
				buf_release(&why);
				return -1;
			}
			buf_release(&why);
		}
		for (i = 0; i < p->remove_build_requires.n; i++) {
			char *name = p->remove_build_requires.v[i];

			if (!name_is_valid(name, strlen(name)))
				return sy_fail(c, ynode_get(n, "remove_build_requires")->kids[i],
					    "'project_override.remove_build_requires[%zu]': invalid project name '%s'", i,
					    name);
			p->remove_build_requires.v[i] = name_canonicalize(name);
			free(name);
		}
	}

	n = ynode_get(root, "variants");
	if (!sy_absent(n)) {
		if (sy_want_map(c, n, "variants") < 0)
			return -1;
		for (i = 0; i < n->n; i += 2)
			if (read_variant(c, n->kids[i], n->kids[i + 1], p) < 0)
				return -1;
	}
	return 0;
}

/* ---- files */

static int read_yaml(struct sctx *c, const char *path, struct ydoc *d)
{
	struct buf text = BUF_INIT;
	int r;

	if (buf_read_file(&text, path) < 0) {
		buf_addf(c->err, "cannot read '%s': %s", path, strerror(errno));
		buf_release(&text);
		return -1;
	}
	r = ydoc_parse(d, path, text.s, text.len, c->err);
	buf_release(&text);
	if (r == 0 && d->root && d->root->kind != YN_MAP && !sy_absent(d->root))
		r = sy_fail(c, d->root, "expected a mapping at the top level, got %s", sy_kind_name(d->root));
	return r;
}

static int load_global(struct settings *s, const char *file, struct buf *err)
{
	static const char *const top[] = { "changelog", "pre_built", "packages", "sbom", NULL };
	static const char *const sb[] = { "supplier", "namespace", "creators", NULL };
	struct sctx c = { file, err };
	struct ydoc d;
	const struct ynode *n;
	int r = -1;

	if (access(file, F_OK) < 0 && errno == ENOENT)
		return 0;
	ydoc_init(&d);
	if (read_yaml(&c, file, &d) < 0)
		goto out;
	if (sy_absent(d.root)) {
		r = 0;
		goto out;
	}
	if (sy_check_keys(&c, d.root, "", top) < 0 ||
	    sy_get_changelog(&c, ynode_get(d.root, "changelog"), "changelog", 0, &s->changelog) < 0)
		goto out;
	n = ynode_get(d.root, "sbom");
	if (!sy_absent(n)) {
		struct strlist ignored = STRLIST_INIT;
		char *str = NULL;
		int bad = sy_want_map(&c, n, "sbom") < 0 || sy_check_keys(&c, n, "sbom", sb) < 0 ||
			  sy_get_str(&c, ynode_get(n, "supplier"), "sbom.supplier", &str) < 0 ||
			  sy_get_str(&c, ynode_get(n, "namespace"), "sbom.namespace", &str) < 0 ||
			  sy_get_strlist(&c, ynode_get(n, "creators"), "sbom.creators", &ignored) < 0;

		free(str);
		strlist_release(&ignored);
		if (bad)
			goto out;
	}
	r = 0;
out:
	ydoc_release(&d);
	return r;
}

static int load_package(struct settings *s, const char *dir, const char *fname, struct buf *err)
{
	struct settings_package p;
	struct sctx c;
	struct ydoc d;
	size_t stem = strlen(fname) - strlen(".yaml"), i;
	int r = -1;

	package_init(&p);
	p.file = xasprintf("%s/%s", dir, fname);
	c.file = p.file;
	c.err = err;
	ydoc_init(&d);
	if (!name_is_valid(fname, stem)) {
		sy_fail(&c, NULL, "file name '%.*s' is not a valid project name", (int)stem, fname);
		goto out;
	}
	{
		struct buf nb = BUF_INIT;

		name_canonicalize_to(&nb, fname, stem);
		p.name = buf_detach(&nb, NULL);
	}
	for (i = 0; i < s->npkgs; i++)
		if (!strcmp(s->pkgs[i].name, p.name)) {
			sy_fail(&c, NULL, "'%s' is also configured by '%s'", p.name, s->pkgs[i].file);
			goto out;
		}
	if (read_yaml(&c, p.file, &d) < 0)
		goto out;
	if (!sy_absent(d.root) && read_sections(&c, d.root, &p) < 0)
		goto out;
	GROW(s->pkgs, s->apkgs, s->npkgs + 1);
	s->pkgs[s->npkgs++] = p;
	r = 0;
out:
	if (r < 0)
		package_release(&p);
	ydoc_release(&d);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_pkg(const void *a, const void *b)
{
	return strcmp(((const struct settings_package *)a)->name, ((const struct settings_package *)b)->name);
}

int settings_load(struct settings *s, const char *settings_file, const char *settings_dir,
		  const char *patches_dir, const char *variant, struct buf *err)
{
	struct strlist files = STRLIST_INIT;
	DIR *dir;
	struct dirent *de;
	size_t i;
	int r = 0;

	s->variant = xstrdup(variant ? variant : "cpu");
	s->patches_dir = patches_dir ? xstrdup(patches_dir) : NULL;
	if (settings_file && load_global(s, settings_file, err) < 0)
		return -1;
	if (!settings_dir)
		return 0;
	dir = opendir(settings_dir);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		buf_addf(err, "cannot open directory '%s': %s", settings_dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(dir)))
		if (ends_with(de->d_name, ".yaml"))
			strlist_add(&files, de->d_name);
	closedir(dir);
	if (files.n > 1)
		QSORT(files.v, files.n, cmp_str);
	for (i = 0; i < files.n && r == 0; i++)
		r = load_package(s, settings_dir, files.v[i], err);
	strlist_release(&files);
	if (s->npkgs > 1)
		QSORT(s->pkgs, s->npkgs, cmp_pkg);
	return r;
}

const struct settings_package *settings_find(const struct settings *s, const char *name)
{
	char *canon = name_canonicalize(name);
	size_t lo = 0, hi = s->npkgs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(canon, s->pkgs[mid].name);

		if (!c) {
			free(canon);
			return &s->pkgs[mid];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	free(canon);
	return NULL;
}
