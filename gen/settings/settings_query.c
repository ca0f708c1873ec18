/* settings_query.c: the effective settings of one package version: variants, templates, env
 * expansion, changelog and build tag, patch files, the canonical JSON form. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "names.h"
#include "settings/settings.h"
#include "version.h"

extern char **environ;

/* ---- string.Template.substitute and fromager's ${VAR:-default} */

/* Where a template looks names up. */
struct tlookup {
	const struct settings_kvlist *vars;     /* first */
	char *const *environ_;                  /* then (NULL: none) */
	const char *hidden;                     /* a name environ_ must not supply (or NULL) */
	const struct settings_kvlist *defaults; /* last (or NULL) */
};

static const char *tlookup_get(const struct tlookup *t, const char *name, size_t len)
{
	char *const *e;
	size_t i;

	for (i = 0; t->vars && i < t->vars->n; i++)
		if (strlen(t->vars->v[i].key) == len && !memcmp(t->vars->v[i].key, name, len))
			return t->vars->v[i].value;
	if (!(t->hidden && strlen(t->hidden) == len && !memcmp(t->hidden, name, len)))
		for (e = t->environ_; e && *e; e++)
			if (!strncmp(*e, name, len) && (*e)[len] == '=')
				return *e + len + 1;
	for (i = 0; t->defaults && i < t->defaults->n; i++)
		if (strlen(t->defaults->v[i].key) == len && !memcmp(t->defaults->v[i].key, name, len))
			return t->defaults->v[i].value;
	return NULL;
}

/* Python's Template idpattern, (?a:[_a-z][_a-z0-9]*) with IGNORECASE. */
static size_t ident_len(const char *p)
{
	size_t n = 0;

	if (!(ascii_isalpha(p[0]) || p[0] == '_'))
		return 0;
	while (ascii_isalnum(p[n]) || p[n] == '_')
		n++;
	return n;
}

static int substitute(const char *tmpl, const struct tlookup *t, const char *what, struct buf *out,
		      struct buf *err)
{
	const char *p = tmpl, *name, *v;
	size_t len;

	while (*p) {
		if (*p != '$') {
			buf_addch(out, *p++);
			continue;
		}
		if (p[1] == '$') {
			buf_addch(out, '$');
			p += 2;
			continue;
		}
		if (p[1] == '{') {
			name = p + 2;
			len = ident_len(name);
			if (!len || name[len] != '}')
				goto invalid;
			p = name + len + 1;
		} else {
			name = p + 1;
			len = ident_len(name);
			if (!len)
				goto invalid;
			p = name + len;
		}
		v = tlookup_get(t, name, len);
		if (!v) {
			buf_addf(err, "undefined %s '%.*s' referenced in '%s'", what, (int)len, name, tmpl);
			return -1;
		}
		buf_adds(out, v);
	}
	return 0;
invalid:
	buf_addf(err, "invalid placeholder at column %zu of '%s'", (size_t)(p - tmpl) + 1, tmpl);
	return -1;
}

static void replace_all(struct buf *b, const char *from, size_t flen, const char *to)
{
	struct buf out = BUF_INIT;
	const char *p = b->s, *q;

	while ((q = strstr(p, from)) && flen) {
		buf_add(&out, p, (size_t)(q - p));
		buf_adds(&out, to);
		p = q + flen;
	}
	buf_adds(&out, p);
	buf_release(b);
	*b = out;
}

/* fromager's substitute_template: ${name:-default} (not after a '$') gives name a default when it
 * is not defined, then string.Template.substitute. */
static int substitute_env(const char *value, struct tlookup *t, struct buf *out, struct buf *err)
{
	struct settings_kvlist defaults;
	struct buf rewritten = BUF_INIT;
	const char *p;
	int r;

	settings_kvlist_init(&defaults);
	buf_adds(&rewritten, value);
	for (p = value; *p; p++) {
		const char *name, *q, *def = NULL;
		size_t len, dlen = 0;

		if (p[0] != '$' || p[1] != '{' || (p > value && p[-1] == '$'))
			continue;
		name = q = p + 2;
		while (ascii_isalnum(*q) || *q == '_')
			q++;
		len = (size_t)(q - name);
		if (!len)
			continue;
		if (q[0] == ':' && q[1] == '-') {
			def = q + 2;
			dlen = strcspn(def, "}:");
			q = def + dlen;
		}
		if (*q != '}')
			continue;
		if (def) {
			char *key = xstrndup(name, len), *dv = xstrndup(def, dlen), *match, *to;

			if (!tlookup_get(t, name, len) && !settings_kvlist_get(&defaults, key))
				settings_kvlist_set(&defaults, key, dv);
			match = xstrndup(p, (size_t)(q + 1 - p));
			to = xasprintf("${%s}", key);
			replace_all(&rewritten, match, strlen(match), to);
			free(key);
			free(dv);
			free(match);
			free(to);
		}
		p = q;
	}
	t->defaults = &defaults;
	r = substitute(rewritten.s, t, "environment variable", out, err);
	t->defaults = NULL;
	buf_release(&rewritten);
	settings_kvlist_release(&defaults);
	return r;
}

/* ---- the effective settings */

static void kv_append(struct settings_kvlist *l, const struct settings_kvlist *from)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		GROW(l->v, l->alloc, l->n + 1);
		l->v[l->n].key = xstrdup(from->v[i].key);
		l->v[l->n].value = xstrdup(from->v[i].value);
		l->n++;
	}
}

static int expand_template(const char *tmpl, const struct settings_effective *e, char **out, struct buf *err)
{
	struct settings_kvlist vars;
	struct tlookup t = { NULL, NULL, NULL, NULL };
	struct buf b = BUF_INIT;
	int r;

	if (!tmpl)
		return 0;
	settings_kvlist_init(&vars);
	settings_kvlist_set(&vars, "canonicalized_name", e->name);
	if (e->version)
		settings_kvlist_set(&vars, "version", e->version);
	t.vars = &vars;
	r = substitute(tmpl, &t, "template variable", &b, err);
	settings_kvlist_release(&vars);
	if (r < 0) {
		buf_release(&b);
		return -1;
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

static const struct settings_variant *find_variant(const struct settings_package *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nvariants; i++)
		if (!strcmp(p->variants[i].name, name))
			return &p->variants[i];
	return NULL;
}

int settings_effective(const struct settings *s, const char *name, const char *version,
		       struct settings_effective *e, struct buf *err)
{
	const struct settings_package *p = settings_find(s, name);
	const struct settings_variant *var;
	const struct settings_version_override *o = NULL;
	struct version v;
	size_t i;

	memset(e, 0, sizeof(*e));
	strlist_init(&e->changelog);
	e->name = name_canonicalize(name);
	e->variant = xstrdup(s->variant ? s->variant : "cpu");
	e->pkg = p = p ? p : &s->defaults;
	version_init(&v);
	if (version) {
		struct buf b = BUF_INIT;

		if (version_parse(version, &v) < 0) {
			buf_addf(err, "%s: invalid version '%s'", e->name, version);
			version_release(&v);
			return -1;
		}
		version_format(&v, &b);
		e->version = buf_detach(&b, NULL);
	}

	var = find_variant(p, e->variant);
	if (var) {
		e->pre_built = var->pre_built;
		e->wheel_server_url = var->wheel_server_url;
		for (i = 0; e->version && i < var->nversions; i++)
			if (!strcmp(var->versions[i].version, e->version))
				o = &var->versions[i];
		if (o && o->pre_built >= 0)
			e->pre_built = o->pre_built;
		if (o && o->wheel_server_url)
			e->wheel_server_url = o->wheel_server_url;
	}

	kv_append(&e->env, &p->env);
	if (var)
		kv_append(&e->env, &var->env);
	if (o)
		kv_append(&e->env, &o->env);
	for (i = 0; i < p->annotations.n; i++)
		settings_kvlist_set(&e->annotations, p->annotations.v[i].key, p->annotations.v[i].value);
	for (i = 0; var && i < var->annotations.n; i++)
		settings_kvlist_set(&e->annotations, var->annotations.v[i].key, var->annotations.v[i].value);

	/* changelog: the global entries of the variant, then the version's (local label ignored) */
	for (i = 0; i < s->changelog.n; i++)
		if (!strcmp(s->changelog.v[i].key, e->variant)) {
			size_t j;

			for (j = 0; j < s->changelog.v[i].entries.n; j++)
				strlist_add(&e->changelog, s->changelog.v[i].entries.v[j]);
		}
	for (i = 0; version && i < p->changelog.n; i++) {
		struct version k;
		size_t j;

		version_init(&k);
		if (version_parse(p->changelog.v[i].key, &k) == 0 && !version_has_local(&k) &&
		    version_cmp_public(&k, &v) == 0)
			for (j = 0; j < p->changelog.v[i].entries.n; j++)
				strlist_add(&e->changelog, p->changelog.v[i].entries.v[j]);
		version_release(&k);
	}
	e->build_tag = e->pre_built ? 0 : (int)e->changelog.n;
	version_release(&v);

	if (expand_template(p->url, e, &e->url, err) < 0 ||
	    expand_template(p->destination_filename, e, &e->destination_filename, err) < 0) {
		struct buf msg = BUF_INIT;

		buf_addf(&msg, "%s: download_source: %s", e->name, err->s);
		buf_release(err);
		*err = msg;
		return -1;
	}
	return 0;
}

void settings_effective_release(struct settings_effective *e)
{
	free(e->name);
	free(e->version);
	free(e->variant);
	free(e->url);
	free(e->destination_filename);
	strlist_release(&e->changelog);
	settings_kvlist_release(&e->env);
	settings_kvlist_release(&e->annotations);
	memset(e, 0, sizeof(*e));
}

int settings_env_expand(const struct settings_effective *e, char *const *environ_,
			const struct settings_kvlist *base, struct settings_kvlist *out, struct buf *err)
{
	struct settings_kvlist vars;
	struct tlookup t;
	size_t i;
	int r = 0;

	settings_kvlist_init(&vars);
	if (e->version)
		settings_kvlist_set(&vars, "__version__", e->version);
	for (i = 0; base && i < base->n; i++)
		settings_kvlist_set(&vars, base->v[i].key, base->v[i].value);
	t.vars = &vars;
	t.environ_ = environ_ ? environ_ : environ;
	t.hidden = "__version__";
	t.defaults = NULL;
	for (i = 0; i < e->env.n && r == 0; i++) {
		struct buf b = BUF_INIT;

		r = substitute_env(e->env.v[i].value, &t, &b, err);
		if (r == 0) {
			settings_kvlist_set(out, e->env.v[i].key, b.s);
			settings_kvlist_set(&vars, e->env.v[i].key, b.s);
		} else {
			struct buf msg = BUF_INIT;

			buf_addf(&msg, "%s: env '%s': %s", e->name, e->env.v[i].key, err->s);
			buf_release(err);
			*err = msg;
		}
		buf_release(&b);
	}
	settings_kvlist_release(&vars);
	return r;
}

/* ---- patches */

struct patchfile {
	char *path;
	const char *base;   /* into path */
	int group;          /* 0/1: unversioned dir / its variant folder, 2/3: versioned */
	size_t seq;
};

struct patchlist {
	struct patchfile *v;
	size_t n, alloc;
};

static int add_patches(struct patchlist *l, const char *dir, int group, struct buf *err)
{
	struct strlist names = STRLIST_INIT;
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t i;

	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		buf_addf(err, "cannot open directory '%s': %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)))
		if (ends_with(de->d_name, ".patch"))
			strlist_add(&names, de->d_name);
	closedir(d);
	strlist_sort(&names);
	for (i = 0; i < names.n; i++) {
		struct stat st;
		char *path = xasprintf("%s/%s", dir, names.v[i]);

		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		GROW(l->v, l->alloc, l->n + 1);
		l->v[l->n].path = path;
		l->v[l->n].base = strrchr(path, '/') + 1;
		l->v[l->n].group = group;
		l->v[l->n].seq = l->n;
		l->n++;
	}
	strlist_release(&names);
	return 0;
}

static int cmp_patch(const void *a, const void *b)
{
	const struct patchfile *x = a, *y = b;
	int c = strcmp(x->base, y->base);

	if (c)
		return c;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int add_dir(struct patchlist *l, const char *patches_dir, const char *entry, int group,
		   const char *variant, struct buf *err)
{
	char *dir = xasprintf("%s/%s", patches_dir, entry);
	char *vdir = xasprintf("%s/%s", dir, variant);
	int r = add_patches(l, dir, group, err) < 0 || add_patches(l, vdir, group + 1, err) < 0 ? -1 : 0;

	free(dir);
	free(vdir);
	return r;
}

int settings_patches(const struct settings *s, const char *name, const char *version,
		     struct strlist *out, struct buf *err)
{
	struct patchlist l = { NULL, 0, 0 };
	struct strlist entries = STRLIST_INIT;
	struct version want;
	char *mod, *q;
	DIR *d;
	struct dirent *de;
	size_t i, mlen;
	int r = 0;

	if (!s->patches_dir)
		return 0;
	version_init(&want);
	if (version_parse(version, &want) < 0) {
		buf_addf(err, "%s: invalid version '%s'", name, version);
		version_release(&want);
		return -1;
	}
	/* fromager's override module name: the canonical name with '_' for '-' */
	mod = name_canonicalize(name);
	for (q = mod; *q; q++)
		if (*q == '-')
			*q = '_';
	mlen = strlen(mod);
	d = opendir(s->patches_dir);
	if (!d) {
		if (errno != ENOENT) {
			buf_addf(err, "cannot open directory '%s': %s", s->patches_dir, strerror(errno));
			r = -1;
		}
		goto out;
	}
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, mod, mlen) && (de->d_name[mlen] == '\0' || de->d_name[mlen] == '-'))
			strlist_add(&entries, de->d_name);
	closedir(d);
	strlist_sort(&entries);
	for (i = 0; i < entries.n && r == 0; i++) {
		const char *e = entries.v[i];
		struct version v;

		if (e[mlen] == '\0') {
			r = add_dir(&l, s->patches_dir, e, 0, s->variant, err);
			continue;
		}
		version_init(&v);
		if (version_parse(e + mlen + 1, &v) == 0 && version_cmp_public(&v, &want) == 0 &&
		    !version_has_local(&v))
			r = add_dir(&l, s->patches_dir, e, 2, s->variant, err);
		version_release(&v);
	}
	if (r == 0) {
		if (l.n > 1)
			QSORT(l.v, l.n, cmp_patch);
		for (i = 0; i < l.n; i++)
			strlist_add(out, l.v[i].path);
	}
out:
	for (i = 0; i < l.n; i++)
		free(l.v[i].path);
	free(l.v);
	strlist_release(&entries);
	free(mod);
	version_release(&want);
	return r;
}

/* ---- canonical JSON */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strlist_json(const struct strlist *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; l && i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The same object with its keys inserted in byte order (steals o). */
static json_t *sorted(json_t *o)
{
	json_t *out = json_object(), *v;
	const char **keys = xreallocarray(NULL, json_object_size(o) + 1, sizeof(*keys));
	const char *k;
	size_t i, n = 0;

	json_object_foreach(o, k, v)
		keys[n++] = k;
	QSORT(keys, n, cmp_key);
	for (i = 0; i < n; i++)
		json_object_set(out, keys[i], json_object_get(o, keys[i]));
	free(keys);
	json_decref(o);
	return out;
}

json_t *settings_effective_json(const struct settings_effective *e, const struct strlist *patches)
{
	const struct settings_package *p = e->pkg;
	json_t *o = json_object(), *x;
	size_t i;

	x = json_object();
	for (i = 0; i < e->annotations.n; i++)
		json_object_set_new(x, e->annotations.v[i].key, json_string(e->annotations.v[i].value));
	json_object_set_new(o, "annotations", sorted(x));
	json_object_set_new(o, "build_dir", str_or_null(p->build_dir));
	json_object_set_new(o, "build_options",
			    json_pack("{s:i, s:b, s:f}", "cpu_cores_per_job", (json_int_t)p->cpu_cores_per_job,
				      "exclusive_build", p->exclusive_build, "memory_per_job_gb",
				      p->memory_per_job_gb));
	json_object_set_new(o, "build_tag", json_integer(e->build_tag));
	json_object_set_new(o, "changelog", strlist_json(&e->changelog));
	x = json_object();
	for (i = 0; i < p->nconfig; i++)
		json_object_set_new(x, p->config[i].key,
				    p->config[i].is_list ? strlist_json(&p->config[i].values)
							 : json_string(p->config[i].values.v[0]));
	json_object_set_new(o, "config_settings", sorted(x));
	json_object_set_new(o, "download_source",
			    json_pack("{s:o, s:o}", "destination_filename", str_or_null(e->destination_filename),
				      "url", str_or_null(e->url)));
	x = json_array();
	for (i = 0; i < e->env.n; i++)
		json_array_append_new(x, json_pack("[s, s]", e->env.v[i].key, e->env.v[i].value));
	json_object_set_new(o, "env", x);
	json_object_set_new(o, "name", json_string(e->name));
	if (patches)
		json_object_set_new(o, "patches", strlist_json(patches));
	json_object_set_new(o, "pre_built", json_boolean(e->pre_built));
	json_object_set_new(o, "project_override",
			    json_pack("{s:o, s:o, s:o}", "remove_build_requires",
				      strlist_json(&p->remove_build_requires), "requires_external",
				      strlist_json(&p->requires_external), "update_build_requires",
				      strlist_json(&p->update_build_requires)));
	json_object_set_new(o, "resolver_dist",
			    json_pack("{s:b, s:b, s:b, s:o, s:o, s:o}", "ignore_platform", p->ignore_platform,
				      "include_sdists", p->include_sdists, "include_wheels", p->include_wheels,
				      "min_release_age",
				      p->min_release_age < 0 ? json_null() : json_integer(p->min_release_age),
				      "sdist_server_url", str_or_null(p->sdist_server_url), "use_pypi_org_metadata",
				      p->use_pypi_org_metadata < 0 ? json_null()
								   : json_boolean(p->use_pypi_org_metadata)));
	json_object_set_new(o, "variant", json_string(e->variant));
	json_object_set_new(o, "version", str_or_null(e->version));
	json_object_set_new(o, "wheel_server_url", str_or_null(e->wheel_server_url));
	return o;
}
