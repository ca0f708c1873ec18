/* inspect.c: sdist inspection without unpacking (see inspect.h). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "inspect.h"
#include "metadata.h"
#include "toml/toml.h"
#include "unpack/unpack.h"

void sdist_info_init(struct sdist_info *si)
{
	memset(si, 0, sizeof(*si));
}

static void deps_clear(struct sdist_info *si)
{
	size_t i;

	for (i = 0; i < si->ndeps; i++) {
		free(si->deps[i].req);
		free(si->deps[i].extra);
	}
	free(si->deps);
	si->deps = NULL;
	si->ndeps = si->alloc = 0;
	si->deps_source = DEPS_DYNAMIC;
}

void sdist_info_release(struct sdist_info *si)
{
	free(si->topdir);
	free(si->name);
	free(si->version);
	free(si->requires_python);
	strlist_release(&si->build_requires);
	free(si->build_backend);
	strlist_release(&si->backend_path);
	deps_clear(si);
	sdist_info_init(si);
}

const char *deps_source_name(enum deps_source s)
{
	switch (s) {
	case DEPS_PKG_INFO:
		return "pkg-info";
	case DEPS_PYPROJECT:
		return "pyproject";
	case DEPS_WHEEL_METADATA:
		return "wheel-metadata";
	case DEPS_DYNAMIC:
		break;
	}
	return "dynamic";
}

static void dep_add(struct sdist_info *si, const char *req, const char *extra)
{
	GROW(si->deps, si->alloc, si->ndeps + 1);
	si->deps[si->ndeps].req = xstrdup(req);
	si->deps[si->ndeps].extra = extra ? xstrdup(extra) : NULL;
	si->ndeps++;
}

/* A TOML array of strings into l; -1 with err when it is something else. */
static int string_array(json_t *a, struct strlist *l, const char *what, struct buf *err)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a)) {
		buf_addf(err, "%s is not an array of strings", what);
		return -1;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			buf_addf(err, "%s[%zu] is not a string", what, i);
			return -1;
		}
		strlist_add(l, json_string_value(v));
	}
	return 0;
}

static int dynamic_has(json_t *project, const char *field)
{
	json_t *dyn = json_object_get(project, "dynamic"), *v;
	size_t i;

	json_array_foreach(dyn, i, v)
		if (json_is_string(v) && ascii_strcasecmp(json_string_value(v), field) == 0)
			return 1;
	return 0;
}

static int read_pyproject(struct sdist_info *si, const struct buf *text, int want_deps, struct buf *err)
{
	struct toml_error terr;
	json_t *doc = toml_parse(text->s, text->len, &terr), *bs, *project;
	int r = -1;

	if (!doc) {
		buf_addf(err, "pyproject.toml:%d:%d: %s", terr.line, terr.column, terr.msg);
		return -1;
	}
	bs = json_object_get(doc, "build-system");
	if (bs && !json_is_object(bs)) {
		buf_adds(err, "pyproject.toml: [build-system] is not a table");
		goto out;
	}
	if (bs && !json_object_get(bs, "requires")) {
		/* PEP 518: "If the table is specified but is missing required fields then the tool
		 * should consider it an error" (pip refuses such an sdist too) */
		buf_adds(err, "pyproject.toml: [build-system] has no requires (PEP 518: the key is required "
			 "once the table is there)");
		goto out;
	}
	if (bs) {
		if (string_array(json_object_get(bs, "requires"), &si->build_requires, "pyproject.toml: build-system.requires",
				 err) < 0)
			goto out;
	} else {
		/* PEP 518: no [build-system] table means the setuptools default */
		si->build_system_default = 1;
		strlist_add(&si->build_requires, DEFAULT_BUILD_REQUIRES);
	}
	if (json_object_get(bs, "build-backend")) {
		json_t *be = json_object_get(bs, "build-backend");

		if (!json_is_string(be)) {
			buf_adds(err, "pyproject.toml: build-system.build-backend is not a string");
			goto out;
		}
		si->build_backend = xstrdup(json_string_value(be));
	}
	if (json_object_get(bs, "backend-path") &&
	    string_array(json_object_get(bs, "backend-path"), &si->backend_path, "pyproject.toml: build-system.backend-path",
			 err) < 0)
		goto out;
	project = json_object_get(doc, "project");
	if (project && !json_is_object(project)) {
		buf_adds(err, "pyproject.toml: [project] is not a table");
		goto out;
	}
	if (project && json_is_string(json_object_get(project, "requires-python")) && !si->requires_python)
		si->requires_python = xstrdup(json_string_value(json_object_get(project, "requires-python")));
	if (want_deps && project && !dynamic_has(project, "dependencies") && !dynamic_has(project, "optional-dependencies")) {
		struct strlist l = STRLIST_INIT;
		json_t *opt = json_object_get(project, "optional-dependencies"), *arr;
		const char *extra;
		size_t i;

		if (json_object_get(project, "dependencies") &&
		    string_array(json_object_get(project, "dependencies"), &l, "pyproject.toml: project.dependencies", err) < 0) {
			strlist_release(&l);
			goto out;
		}
		for (i = 0; i < l.n; i++)
			dep_add(si, l.v[i], NULL);
		strlist_release(&l);
		if (opt && !json_is_object(opt)) {
			buf_adds(err, "pyproject.toml: project.optional-dependencies is not a table");
			goto out;
		}
		json_object_foreach(opt, extra, arr) {
			char *what = xasprintf("pyproject.toml: project.optional-dependencies.%s", extra);
			int rr = string_array(arr, &l, what, err);

			free(what);
			if (rr < 0) {
				strlist_release(&l);
				goto out;
			}
			for (i = 0; i < l.n; i++)
				dep_add(si, l.v[i], extra);
			strlist_release(&l);
		}
		si->deps_source = DEPS_PYPROJECT;
	}
	r = 0;
out:
	json_decref(doc);
	return r;
}

int sdist_info_deps_from_metadata(struct sdist_info *si, const char *text, size_t len, enum deps_source src,
				  struct buf *err)
{
	struct metadata md;
	const char **v = NULL;
	size_t n, i;

	metadata_init(&md);
	if (metadata_parse(text, len, &md, err) < 0) {
		metadata_release(&md);
		return -1;
	}
	deps_clear(si);
	n = metadata_get_all(&md, "Requires-Dist", &v);
	for (i = 0; i < n; i++)
		dep_add(si, v[i], NULL);
	free(v);
	si->deps_source = src;
	metadata_release(&md);
	return 0;
}

int sdist_inspect(const char *path, struct sdist_info *si, struct buf *err)
{
	return sdist_inspect_in(path, NULL, si, err);
}

int sdist_inspect_in(const char *path, const char *build_dir, struct sdist_info *si, struct buf *err)
{
	struct buf out[2] = { BUF_INIT, BUF_INIT }, pp = BUF_INIT;
	const char *names[2] = { "PKG-INFO", "pyproject.toml" };
	int found[2], r = -1, pkginfo_deps = 0;
	struct metadata md;

	metadata_init(&md);
	/* fromager's build_dir, relative to the tree even when absolute; the archive names its members
	 * without empty or "." segments */
	while (build_dir && *build_dir) {
		size_t n = strcspn(build_dir, "/");

		if (n && !(n == 1 && build_dir[0] == '.')) {
			buf_add(&pp, build_dir, n);
			buf_addch(&pp, '/');
		}
		build_dir += n + (build_dir[n] == '/');
	}
	if (pp.len) {
		buf_adds(&pp, "pyproject.toml");
		names[1] = pp.s;
	}
	if (unpack_read_top_members(path, names, 2, out, found, &si->topdir, err) < 0)
		goto out;
	if (found[0]) {
		struct buf merr = BUF_INIT;

		if (metadata_parse(out[0].s, out[0].len, &md, &merr) < 0) {
			buf_addf(err, "PKG-INFO: %s", merr.s);
			buf_release(&merr);
			goto out;
		}
		buf_release(&merr);
		if (metadata_get(&md, "Name"))
			si->name = xstrdup(metadata_get(&md, "Name"));
		if (metadata_get(&md, "Version"))
			si->version = xstrdup(metadata_get(&md, "Version"));
		if (metadata_get(&md, "Requires-Python"))
			si->requires_python = xstrdup(metadata_get(&md, "Requires-Python"));
		if (metadata_version_at_least(&md, 2, 2) && !metadata_is_dynamic(&md, "Requires-Dist"))
			pkginfo_deps = 1;
	}
	if (found[1]) {
		si->has_pyproject = 1;
		if (read_pyproject(si, &out[1], !pkginfo_deps, err) < 0)
			goto out;
	} else {
		si->build_system_default = 1;
		strlist_add(&si->build_requires, DEFAULT_BUILD_REQUIRES);
	}
	if (!si->build_backend)
		si->build_backend = xstrdup(DEFAULT_BUILD_BACKEND);
	if (pkginfo_deps) {
		const char **v = NULL;
		size_t n = metadata_get_all(&md, "Requires-Dist", &v), i;

		deps_clear(si);
		for (i = 0; i < n; i++)
			dep_add(si, v[i], NULL);
		free(v);
		si->deps_source = DEPS_PKG_INFO;
	}
	r = 0;
out:
	metadata_release(&md);
	buf_release(&out[0]);
	buf_release(&out[1]);
	buf_release(&pp);
	return r;
}
