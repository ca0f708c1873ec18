/* discovered.c: requirements found at build time (see discovered.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discovered.h"
#include "names.h"

void discovered_init(struct discovered *d)
{
	memset(d, 0, sizeof(*d));
}

void discovered_release(struct discovered *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].name);
		free(d->v[i].version);
		version_release(&d->v[i].v);
		requirement_release(&d->v[i].req);
	}
	free(d->v);
	strlist_release(&d->answered);
	discovered_init(d);
}

static int type_from_name(const char *s, enum req_type *t)
{
	if (strcmp(s, "build-backend") == 0)
		*t = REQ_BUILD_BACKEND;
	else if (strcmp(s, "build-sdist") == 0)
		*t = REQ_BUILD_SDIST;
	else if (strcmp(s, "install") == 0)
		*t = REQ_INSTALL;
	else
		return -1;
	return 0;
}

/* Check an entry's name and type and parse its version into v (set up here; the caller releases it
 * on success). 0, or -1 with err. */
static int entry_check(const char *name, const char *version, const char *type, struct version *v,
		       enum req_type *t, struct buf *err)
{
	if (!name_is_valid(name, strlen(name))) {
		buf_addf(err, "invalid project name '%s'", name);
		return -1;
	}
	if (type_from_name(type, t) < 0) {
		buf_addf(err, "unknown requirement type '%s' (build-backend, build-sdist or install)", type);
		return -1;
	}
	version_init(v);
	if (version_parse(version, v) < 0) {
		buf_addf(err, "invalid version '%s' of '%s'", version, name);
		version_release(v);
		return -1;
	}
	return 0;
}

int discovered_add(struct discovered *d, const char *name, const char *version, const char *type,
		   const char *req, struct buf *err)
{
	struct discovered_req *e;
	struct version v;
	struct buf b = BUF_INIT;
	enum req_type t;

	if (entry_check(name, version, type, &v, &t, err) < 0)
		return -1;
	GROW(d->v, d->alloc, d->n + 1);
	e = &d->v[d->n];
	requirement_init(&e->req);
	if (requirement_parse(req, &e->req, err) < 0) {
		requirement_release(&e->req);
		version_release(&v);
		return -1;
	}
	version_format(&v, &b);
	e->v = v; /* moved */
	e->version = buf_detach(&b, NULL);
	e->name = name_canonicalize(name);
	e->type = t;
	d->n++;
	return 0;
}

int discovered_load(struct discovered *d, const char *path, struct buf *err)
{
	json_error_t jerr;
	json_t *root, *reqs, *e;
	size_t i;
	int rc = -1;

	root = json_load_file(path, 0, &jerr);
	if (!root) {
		FILE *f = fopen(path, "r");

		if (!f && errno == ENOENT)
			return 0;
		if (f)
			fclose(f);
		buf_addf(err, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	reqs = json_object_get(root, "requirements");
	if (!json_is_array(reqs)) {
		buf_addf(err, "%s: no 'requirements' array", path);
		goto out;
	}
	json_array_foreach(reqs, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *version = json_string_value(json_object_get(e, "version"));
		const char *type = json_string_value(json_object_get(e, "req_type"));
		const char *req = json_string_value(json_object_get(e, "req"));
		struct buf why = BUF_INIT;

		if (!name || !version || !type || !req) {
			buf_addf(err, "%s: requirement %zu lacks a string name, version, req_type or req", path, i);
			goto out;
		}
		if (discovered_add(d, name, version, type, req, &why) < 0) {
			buf_addf(err, "%s: requirement %zu: %s", path, i, why.s);
			buf_release(&why);
			goto out;
		}
		buf_release(&why);
	}
	/* optional: written since the one-process build (docs/file-formats.md) */
	json_array_foreach(json_object_get(root, "answered"), i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *version = json_string_value(json_object_get(e, "version"));
		const char *type = json_string_value(json_object_get(e, "req_type"));
		struct buf why = BUF_INIT;

		if (!name || !version || !type || discovered_answer(d, name, version, type, &why) < 0) {
			buf_addf(err, "%s: answered %zu: %s", path, i, why.len ? why.s : "lacks a string name, version or req_type");
			buf_release(&why);
			goto out;
		}
		buf_release(&why);
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct discovered_req *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (!c)
		c = strcmp(x->version, y->version);
	if (!c)
		c = (int)x->type - (int)y->type;
	if (!c)
		c = strcmp(x->req.text, y->req.text);
	return c;
}

/* "NAME VERSION TYPE", canonical, into out; -1 with err on a bad name, version or type. */
static int answer_key(const char *name, const char *version, const char *type, struct buf *out, struct buf *err)
{
	struct version v;
	enum req_type t;
	char *canon;

	if (entry_check(name, version, type, &v, &t, err) < 0)
		return -1;
	canon = name_canonicalize(name);
	buf_addf(out, "%s ", canon);
	/* 2.0 and 2.0.0 are one version */
	version_format_canonical(&v, 1, out);
	buf_addf(out, " %s", type);
	free(canon);
	version_release(&v);
	return 0;
}

int discovered_answer(struct discovered *d, const char *name, const char *version, const char *type,
		      struct buf *err)
{
	struct buf k = BUF_INIT;

	if (answer_key(name, version, type, &k, err) < 0) {
		buf_release(&k);
		return -1;
	}
	if (strlist_find(&d->answered, k.s) < 0) {
		strlist_add_owned(&d->answered, buf_detach(&k, NULL));
		strlist_sort(&d->answered);
	}
	buf_release(&k);
	return 0;
}

int discovered_answered(const struct discovered *d, const char *name, const char *version, const char *type)
{
	struct buf k = BUF_INIT, err = BUF_INIT;
	int r = answer_key(name, version, type, &k, &err) == 0 && strlist_find(&d->answered, k.s) >= 0;

	buf_release(&k);
	buf_release(&err);
	return r;
}

json_t *discovered_to_json(const struct discovered *d)
{
	struct discovered_req *v = xcalloc(d->n + 1, sizeof(*v));
	json_t *a = json_array();
	size_t i;

	if (d->n)
		memcpy(v, d->v, d->n * sizeof(*v));
	QSORT(v, d->n, entry_cmp);
	for (i = 0; i < d->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "name", v[i].name, "version", v[i].version,
						   "req_type", req_type_name(v[i].type), "req", v[i].req.text));
	free(v);
	{
		json_t *ans = json_array();

		for (i = 0; i < d->answered.n; i++) {
			const char *k = d->answered.v[i], *sp1 = strchr(k, ' '), *sp2 = strrchr(k, ' ');

			json_array_append_new(ans, json_pack("{s:s%, s:s%, s:s}", "name", k, (size_t)(sp1 - k), "version",
							     sp1 + 1, (size_t)(sp2 - sp1 - 1), "req_type", sp2 + 1));
		}
		return json_pack("{s:i, s:o, s:o}", "wbgen_discovered", 1, "requirements", a, "answered", ans);
	}
}
