/* settings.c: reading and checking fromager's settings files (the schema is docs/settings.md). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "requirement.h"
#include "settings.h"
#include "settings_yaml.h"
#include "version.h"

/* Where errors are reported: the file being read. */
struct sctx {
	const char *file;
	struct buf *err;
};

ATTR_PRINTF(3, 4) static int fail(struct sctx *c, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	if (n)
		buf_addf(c->err, "%s:%lu:%lu: ", c->file, n->line, n->col);
	else
		buf_addf(c->err, "%s: ", c->file);
	va_start(ap, fmt);
	buf_vaddf(c->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- kv lists and changelogs */

void settings_kvlist_init(struct settings_kvlist *l)
{
	l->v = NULL;
	l->n = l->alloc = 0;
}

void settings_kvlist_release(struct settings_kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	settings_kvlist_init(l);
}

const char *settings_kvlist_get(const struct settings_kvlist *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return l->v[i].value;
	return NULL;
}

void settings_kvlist_set(struct settings_kvlist *l, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key)) {
			free(l->v[i].value);
			l->v[i].value = xstrdup(value);
			return;
		}
	GROW(l->v, l->alloc, l->n + 1);
	l->v[l->n].key = xstrdup(key);
	l->v[l->n].value = xstrdup(value);
	l->n++;
}

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

/* ---- typed access to nodes */

static int absent(const struct ynode *n)
{
	return !n || (n->kind == YN_SCALAR && n->type == YS_NULL);
}

static const char *kind_name(const struct ynode *n)
{
	if (n->kind == YN_MAP)
		return "a mapping";
	if (n->kind == YN_SEQ)
		return "a list";
	switch (n->type) {
	case YS_NULL: return "null";
	case YS_BOOL: return "a boolean";
	case YS_INT: case YS_INT_OTHER: return "an integer";
	case YS_FLOAT: return "a number";
	default: return "a string";
	}
}

static int want_map(struct sctx *c, const struct ynode *n, const char *path)
{
	if (n->kind != YN_MAP)
		return fail(c, n, "'%s': expected a mapping, got %s", path, kind_name(n));
	return 0;
}

/* Every key of m must be a string in allowed; the first other one is the error. */
static int check_keys(struct sctx *c, const struct ynode *m, const char *path, const char *const *allowed)
{
	size_t i, j;

	for (i = 0; i < m->n; i += 2) {
		const struct ynode *k = m->kids[i];

		if (k->kind != YN_SCALAR || k->type != YS_STR)
			return fail(c, k, "'%s': keys must be strings", *path ? path : "top level");
		for (j = 0; allowed[j]; j++)
			if (!strcmp(k->text, allowed[j]))
				break;
		if (!allowed[j])
			return fail(c, k, "unknown key '%s%s%s'", path, *path ? "." : "", k->text);
	}
	return 0;
}

static char *subpath(const char *path, const char *key)
{
	return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
}

static int get_str(struct sctx *c, const struct ynode *n, const char *path, char **out)
{
	if (absent(n))
		return 0;
	if (n->kind != YN_SCALAR || n->type != YS_STR)
		return fail(c, n, "'%s': expected a string, got %s", path, kind_name(n));
	free(*out);
	*out = xstrdup(n->text);
	return 0;
}

/* pydantic's lax booleans: YAML booleans, 0 and 1, and its strings. */
static int get_bool(struct sctx *c, const struct ynode *n, const char *path, int *out)
{
	static const char *const yes[] = { "1", "true", "t", "yes", "y", "on" };
	static const char *const no[] = { "0", "false", "f", "no", "n", "off" };
	size_t i;

	if (absent(n))
		return 0;
	if (n->kind == YN_SCALAR && n->type == YS_BOOL) {
		*out = n->bool_value;
		return 0;
	}
	if (n->kind == YN_SCALAR && (n->type == YS_STR || n->type == YS_INT)) {
		for (i = 0; i < ARRAY_SIZE(yes); i++) {
			if (!ascii_strcasecmp(n->text, yes[i])) {
				*out = 1;
				return 0;
			}
			if (!ascii_strcasecmp(n->text, no[i])) {
				*out = 0;
				return 0;
			}
		}
	}
	return fail(c, n, "'%s': expected a boolean, got %s%s%s%s", path, kind_name(n),
		    n->kind == YN_SCALAR ? " '" : "", n->kind == YN_SCALAR ? n->text : "",
		    n->kind == YN_SCALAR ? "'" : "");
}

static int get_long(struct sctx *c, const struct ynode *n, const char *path, long min, long *out)
{
	if (absent(n))
		return 0;
	if (n->kind != YN_SCALAR || (n->type != YS_INT && n->type != YS_STR) || strchr(n->text, '_') ||
	    parse_int_range(n->text, min, 1000000000L, out) < 0)
		return fail(c, n, "'%s': expected an integer >= %ld, got %s%s%s%s", path, min, kind_name(n),
			    n->kind == YN_SCALAR ? " '" : "", n->kind == YN_SCALAR ? n->text : "",
			    n->kind == YN_SCALAR ? "'" : "");
	return 0;
}

static int get_double(struct sctx *c, const struct ynode *n, const char *path, double min, double *out)
{
	char *end;
	double d;

	if (absent(n))
		return 0;
	if (n->kind == YN_SCALAR && (n->type == YS_INT || n->type == YS_FLOAT || n->type == YS_STR) &&
	    !strchr(n->text, '_') && n->text[0] && !ascii_isspace(n->text[0])) {
		errno = 0;
		d = strtod(n->text, &end);
		if (!*end && !errno && isfinite(d) && d >= min && (ascii_isdigit(n->text[0]) || n->text[0] == '.' ||
								   n->text[0] == '+')) {
			*out = d;
			return 0;
		}
	}
	return fail(c, n, "'%s': expected a number >= %g, got %s%s%s%s", path, min, kind_name(n),
		    n->kind == YN_SCALAR ? " '" : "", n->kind == YN_SCALAR ? n->text : "",
		    n->kind == YN_SCALAR ? "'" : "");
}

static int get_strlist(struct sctx *c, const struct ynode *n, const char *path, struct strlist *out)
{
	size_t i;

	if (absent(n))
		return 0;
	if (n->kind != YN_SEQ)
		return fail(c, n, "'%s': expected a list of strings, got %s", path, kind_name(n));
	for (i = 0; i < n->n; i++) {
		const struct ynode *it = n->kids[i];

		if (it->kind != YN_SCALAR || it->type != YS_STR)
			return fail(c, it, "'%s[%zu]': expected a string, got %s", path, i, kind_name(it));
		strlist_add(out, it->text);
	}
	return 0;
}

/* Mapping of strings to strings (annotations). */
static int get_strmap(struct sctx *c, const struct ynode *n, const char *path, struct settings_kvlist *out)
{
	size_t i;

	if (absent(n))
		return 0;
	if (want_map(c, n, path) < 0)
		return -1;
	for (i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];

		if (k->kind != YN_SCALAR || k->type != YS_STR)
			return fail(c, k, "'%s': keys must be strings", path);
		if (v->kind != YN_SCALAR || v->type != YS_STR)
			return fail(c, v, "'%s.%s': expected a string, got %s", path, k->text, kind_name(v));
		settings_kvlist_set(out, k->text, v->text);
	}
	return 0;
}

/* A YAML float written as plain decimals, as Python's str(float) prints it; NULL when the form
 * is one whose Python spelling wbgen does not reproduce (exponents, .inf, too many digits). */
static char *python_float_str(const char *text)
{
	struct buf b = BUF_INIT, ip = BUF_INIT, fp = BUF_INIT;
	const char *p = text, *dot;
	size_t i, lead = 0, sig;
	int neg = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	dot = strchr(p, '.');
	if (!dot || strpbrk(p, "eEiInN:"))
		return NULL;
	for (; p < dot; p++)
		if (*p != '_')
			buf_addch(&ip, *p);
	for (p = dot + 1; *p; p++)
		if (*p != '_')
			buf_addch(&fp, *p);
	for (i = 0; i + 1 < ip.len && ip.s[i] == '0'; i++)
		;
	if (!ip.len)
		buf_addch(&ip, '0'), i = 0;
	while (fp.len && fp.s[fp.len - 1] == '0')
		buf_setlen(&fp, fp.len - 1);
	if (!fp.len)
		buf_addch(&fp, '0');
	/* significant digits and magnitude: Python switches to exponents below 1e-4 and from 1e16 */
	if (!strcmp(ip.s + i, "0")) {
		while (lead < fp.len && fp.s[lead] == '0')
			lead++;
		sig = lead == fp.len ? 0 : fp.len - lead;
		if (sig && lead > 3)
			goto no;
	} else {
		sig = ip.len - i + (strcmp(fp.s, "0") ? fp.len : 0);
		if (ip.len - i > 16)
			goto no;
	}
	if (sig > 15)
		goto no;
	buf_addf(&b, "%s%s.%s", neg ? "-" : "", ip.s + i, fp.s);
	buf_release(&ip);
	buf_release(&fp);
	return buf_detach(&b, NULL);
no:
	buf_release(&ip);
	buf_release(&fp);
	return NULL;
}

/* fromager's env values: strings (stripped, no "$("), booleans as 1/0, numbers as Python prints them. */
static int env_value(struct sctx *c, const struct ynode *v, const char *path, char **out)
{
	const char *p;
	struct buf b = BUF_INIT;

	if (v->kind != YN_SCALAR || v->type == YS_NULL)
		return fail(c, v, "'%s': expected a string, number or boolean, got %s", path, kind_name(v));
	switch (v->type) {
	case YS_BOOL:
		*out = xstrdup(v->bool_value ? "1" : "0");
		return 0;
	case YS_INT:
		p = v->text;
		if (*p == '+')
			p++;
		if (!strcmp(p, "-0"))
			p = "0";
		for (; *p; p++)
			if (*p != '_')
				buf_addch(&b, *p);
		*out = buf_detach(&b, NULL);
		return 0;
	case YS_FLOAT:
		*out = python_float_str(v->text);
		if (*out)
			return 0;
		/* fall through */
	case YS_INT_OTHER:
		return fail(c, v, "'%s': write the number '%s' as a quoted string", path, v->text);
	default:
		break;
	}
	if (strstr(v->text, "$("))
		return fail(c, v, "'%s': '%s': command substitution '$(' is not supported", path, v->text);
	for (p = v->text; ascii_isspace(*p); p++)
		;
	buf_adds(&b, p);
	buf_rtrim(&b);
	*out = buf_detach(&b, NULL);
	return 0;
}

static int get_env(struct sctx *c, const struct ynode *n, const char *path, struct settings_kvlist *out)
{
	size_t i;

	if (absent(n))
		return 0;
	if (want_map(c, n, path) < 0)
		return -1;
	for (i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i];
		char *sub, *value = NULL;
		int r;

		if (k->kind != YN_SCALAR || k->type != YS_STR)
			return fail(c, k, "'%s': keys must be strings", path);
		sub = xasprintf("%s.%s", path, k->text);
		r = env_value(c, n->kids[i + 1], sub, &value);
		free(sub);
		if (r < 0)
			return -1;
		settings_kvlist_set(out, k->text, value);
		free(value);
	}
	return 0;
}

/* A changelog: KEY -> list of strings; keys are versions (package files) or variants (global). */
static int get_changelog(struct sctx *c, const struct ynode *n, const char *path, int versions,
			 struct settings_changelog *out)
{
	size_t i, j;

	if (absent(n))
		return 0;
	if (want_map(c, n, path) < 0)
		return -1;
	for (i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i];
		struct settings_log *log;
		char *sub;
		int r;

		if (k->kind != YN_SCALAR || k->type == YS_NULL)
			return fail(c, k, "'%s': keys must be %s", path, versions ? "versions" : "variant names");
		if (versions) {
			struct version v, w;

			version_init(&v);
			if (version_parse(k->text, &v) < 0) {
				version_release(&v);
				return fail(c, k, "'%s': invalid version '%s'", path, k->text);
			}
			for (j = 0; j < out->n; j++) {
				version_init(&w);
				if (version_parse(out->v[j].key, &w) == 0 && version_cmp(&v, &w) == 0) {
					version_release(&w);
					version_release(&v);
					return fail(c, k, "'%s': version '%s' is the same as '%s'", path, k->text,
						    out->v[j].key);
				}
				version_release(&w);
			}
			version_release(&v);
		} else if (k->type != YS_STR) {
			return fail(c, k, "'%s': keys must be variant names", path);
		}
		GROW(out->v, out->alloc, out->n + 1);
		log = &out->v[out->n++];
		log->key = xstrdup(k->text);
		strlist_init(&log->entries);
		sub = xasprintf("%s.%s", path, k->text);
		r = get_strlist(c, n->kids[i + 1], sub, &log->entries);
		free(sub);
		if (r < 0)
			return -1;
	}
	return 0;
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
		return fail(c, k, "'%s': keys must be quoted versions", path);
	GROW(var->versions, var->aversions, var->nversions + 1);
	o = &var->versions[var->nversions++];
	memset(o, 0, sizeof(*o));
	o->version = xstrdup(k->text);
	o->pre_built = -1;
	sub = xasprintf("%s.%s", path, k->text);
	if (absent(n))
		goto out;
	if (want_map(c, n, sub) < 0 || check_keys(c, n, sub, keys) < 0) {
		r = -1;
		goto out;
	}
	{
		char *p1 = subpath(sub, "annotations"), *p2 = subpath(sub, "env");
		char *p3 = subpath(sub, "wheel_server_url"), *p4 = subpath(sub, "pre_built");

		if (get_strmap(c, ynode_get(n, "annotations"), p1, &o->annotations) < 0 ||
		    get_env(c, ynode_get(n, "env"), p2, &o->env) < 0 ||
		    get_str(c, ynode_get(n, "wheel_server_url"), p3, &o->wheel_server_url) < 0 ||
		    get_bool(c, ynode_get(n, "pre_built"), p4, &o->pre_built) < 0)
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
		return fail(c, k, "'variants': keys must be variant names");
	GROW(p->variants, p->avariants, p->nvariants + 1);
	var = &p->variants[p->nvariants++];
	memset(var, 0, sizeof(*var));
	var->name = xstrdup(k->text);
	path = xasprintf("variants.%s", k->text);
	if (absent(n)) {
		r = 0;
		goto out;
	}
	if (want_map(c, n, path) < 0 || check_keys(c, n, path, keys) < 0)
		goto out;
	if (ynode_get(n, "source")) {
		fail(c, ynode_get(n, "source"), "'%s.source': fromager's source resolvers are not supported by wbgen",
		     path);
		goto out;
	}
	{
		char *p1 = subpath(path, "annotations"), *p2 = subpath(path, "env");
		char *p3 = subpath(path, "wheel_server_url"), *p4 = subpath(path, "pre_built");
		int bad = get_strmap(c, ynode_get(n, "annotations"), p1, &var->annotations) < 0 ||
			  get_env(c, ynode_get(n, "env"), p2, &var->env) < 0 ||
			  get_str(c, ynode_get(n, "wheel_server_url"), p3, &var->wheel_server_url) < 0 ||
			  get_bool(c, ynode_get(n, "pre_built"), p4, &var->pre_built) < 0;

		free(p1);
		free(p2);
		free(p3);
		free(p4);
		if (bad)
			goto out;
	}
	vs = ynode_get(n, "versions");
	if (!absent(vs)) {
		char *vp = subpath(path, "versions");
		int bad = want_map(c, vs, vp) < 0;

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

	if (absent(n))
		return 0;
	if (want_map(c, n, "config_settings") < 0)
		return -1;
	for (i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];
		struct settings_config *cs;
		char *sub;
		int r;

		if (k->kind != YN_SCALAR || k->type != YS_STR)
			return fail(c, k, "'config_settings': keys must be strings");
		GROW(p->config, p->aconfig, p->nconfig + 1);
		cs = &p->config[p->nconfig++];
		cs->key = xstrdup(k->text);
		strlist_init(&cs->values);
		cs->is_list = v->kind == YN_SEQ;
		sub = xasprintf("config_settings.%s", k->text);
		if (cs->is_list) {
			r = get_strlist(c, v, sub, &cs->values);
		} else if (v->kind == YN_SCALAR && v->type == YS_STR) {
			strlist_add(&cs->values, v->text);
			r = 0;
		} else {
			r = fail(c, v, "'%s': expected a string or a list of strings, got %s", sub, kind_name(v));
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

	if (check_keys(c, root, "", top) < 0)
		return -1;
	if (ynode_get(root, "source"))
		return fail(c, ynode_get(root, "source"),
			    "'source': fromager's source resolvers are not supported by wbgen (use download_source)");
	if (get_strmap(c, ynode_get(root, "annotations"), "annotations", &p->annotations) < 0 ||
	    get_str(c, ynode_get(root, "build_dir"), "build_dir", &p->build_dir) < 0 ||
	    get_changelog(c, ynode_get(root, "changelog"), "changelog", 1, &p->changelog) < 0 ||
	    read_config_settings(c, ynode_get(root, "config_settings"), p) < 0 ||
	    get_env(c, ynode_get(root, "env"), "env", &p->env) < 0 ||
	    get_str(c, ynode_get(root, "purl"), "purl", &p->purl) < 0)
		return -1;
	if (p->build_dir) {
		const char *s = p->build_dir, *seg;

		n = ynode_get(root, "build_dir");
		if (s[0] == '/')
			return fail(c, n, "'build_dir': '%s' is not a relative path", s);
		for (seg = s; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL)
			if (starts_with(seg, "..") && (seg[2] == '/' || seg[2] == '\0'))
				return fail(c, n, "'build_dir': '%s' leaves the source tree", s);
	}

	n = ynode_get(root, "download_source");
	if (!absent(n)) {
		if (want_map(c, n, "download_source") < 0 || check_keys(c, n, "download_source", ds) < 0 ||
		    get_str(c, ynode_get(n, "url"), "download_source.url", &p->url) < 0 ||
		    get_str(c, ynode_get(n, "destination_filename"), "download_source.destination_filename",
			    &p->destination_filename) < 0)
			return -1;
		if (p->destination_filename && (strpbrk(p->destination_filename, ":/") ||
						!strcmp(p->destination_filename, ".") ||
						!strcmp(p->destination_filename, "..") || !*p->destination_filename))
			return fail(c, ynode_get(n, "destination_filename"),
				    "'download_source.destination_filename': '%s' is not a file name",
				    p->destination_filename);
	}

	n = ynode_get(root, "resolver_dist");
	if (!absent(n)) {
		if (want_map(c, n, "resolver_dist") < 0 || check_keys(c, n, "resolver_dist", rd) < 0 ||
		    get_str(c, ynode_get(n, "sdist_server_url"), "resolver_dist.sdist_server_url",
			    &p->sdist_server_url) < 0 ||
		    get_bool(c, ynode_get(n, "include_sdists"), "resolver_dist.include_sdists", &p->include_sdists) < 0 ||
		    get_bool(c, ynode_get(n, "include_wheels"), "resolver_dist.include_wheels", &p->include_wheels) < 0 ||
		    get_bool(c, ynode_get(n, "ignore_platform"), "resolver_dist.ignore_platform",
			     &p->ignore_platform) < 0 ||
		    get_bool(c, ynode_get(n, "use_pypi_org_metadata"), "resolver_dist.use_pypi_org_metadata",
			     &p->use_pypi_org_metadata) < 0 ||
		    get_long(c, ynode_get(n, "min_release_age"), "resolver_dist.min_release_age", 0,
			     &p->min_release_age) < 0)
			return -1;
		if (p->ignore_platform && !p->include_wheels)
			return fail(c, ynode_get(n, "ignore_platform"),
				    "'resolver_dist.ignore_platform' has no effect without 'include_wheels'");
	}

	n = ynode_get(root, "build_options");
	if (!absent(n) &&
	    (want_map(c, n, "build_options") < 0 || check_keys(c, n, "build_options", bo) < 0 ||
	     get_bool(c, ynode_get(n, "build_ext_parallel"), "build_options.build_ext_parallel",
		      &p->build_ext_parallel) < 0 ||
	     get_long(c, ynode_get(n, "cpu_cores_per_job"), "build_options.cpu_cores_per_job", 1,
		      &p->cpu_cores_per_job) < 0 ||
	     get_double(c, ynode_get(n, "memory_per_job_gb"), "build_options.memory_per_job_gb", 0.1,
			&p->memory_per_job_gb) < 0 ||
	     get_bool(c, ynode_get(n, "exclusive_build"), "build_options.exclusive_build", &p->exclusive_build) < 0))
		return -1;

	n = ynode_get(root, "git_options");
	if (!absent(n)) {
		struct strlist ignored = STRLIST_INIT;
		int sub = 0, r;

		r = want_map(c, n, "git_options") < 0 || check_keys(c, n, "git_options", go) < 0 ||
		    get_bool(c, ynode_get(n, "submodules"), "git_options.submodules", &sub) < 0 ||
		    get_strlist(c, ynode_get(n, "submodule_paths"), "git_options.submodule_paths", &ignored) < 0;
		strlist_release(&ignored);
		if (r)
			return -1;
	}

	n = ynode_get(root, "project_override");
	if (!absent(n)) {
		if (want_map(c, n, "project_override") < 0 || check_keys(c, n, "project_override", po) < 0 ||
		    get_strlist(c, ynode_get(n, "update_build_requires"), "project_override.update_build_requires",
				&p->update_build_requires) < 0 ||
		    get_strlist(c, ynode_get(n, "remove_build_requires"), "project_override.remove_build_requires",
				&p->remove_build_requires) < 0 ||
		    get_strlist(c, ynode_get(n, "requires_external"), "project_override.requires_external",
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
				fail(c, ynode_get(n, "update_build_requires")->kids[i],
				     "'project_override.update_build_requires[%zu]': %s", i, why.s);
				buf_release(&why);
				return -1;
			}
			buf_release(&why);
		}
		for (i = 0; i < p->remove_build_requires.n; i++) {
			char *name = p->remove_build_requires.v[i];

			if (!name_is_valid(name, strlen(name)))
				return fail(c, ynode_get(n, "remove_build_requires")->kids[i],
					    "'project_override.remove_build_requires[%zu]': invalid project name '%s'", i,
					    name);
			p->remove_build_requires.v[i] = name_canonicalize(name);
			free(name);
		}
	}

	n = ynode_get(root, "variants");
	if (!absent(n)) {
		if (want_map(c, n, "variants") < 0)
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
	if (r == 0 && d->root && d->root->kind != YN_MAP && !absent(d->root))
		r = fail(c, d->root, "expected a mapping at the top level, got %s", kind_name(d->root));
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
	if (absent(d.root)) {
		r = 0;
		goto out;
	}
	if (check_keys(&c, d.root, "", top) < 0 ||
	    get_changelog(&c, ynode_get(d.root, "changelog"), "changelog", 0, &s->changelog) < 0)
		goto out;
	n = ynode_get(d.root, "sbom");
	if (!absent(n)) {
		struct strlist ignored = STRLIST_INIT;
		char *str = NULL;
		int bad = want_map(&c, n, "sbom") < 0 || check_keys(&c, n, "sbom", sb) < 0 ||
			  get_str(&c, ynode_get(n, "supplier"), "sbom.supplier", &str) < 0 ||
			  get_str(&c, ynode_get(n, "namespace"), "sbom.namespace", &str) < 0 ||
			  get_strlist(&c, ynode_get(n, "creators"), "sbom.creators", &ignored) < 0;

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
		fail(&c, NULL, "file name '%.*s' is not a valid project name", (int)stem, fname);
		goto out;
	}
	{
		struct buf nb = BUF_INIT;

		name_canonicalize_to(&nb, fname, stem);
		p.name = buf_detach(&nb, NULL);
	}
	for (i = 0; i < s->npkgs; i++)
		if (!strcmp(s->pkgs[i].name, p.name)) {
			fail(&c, NULL, "'%s' is also configured by '%s'", p.name, s->pkgs[i].file);
			goto out;
		}
	if (read_yaml(&c, p.file, &d) < 0)
		goto out;
	if (!absent(d.root) && read_sections(&c, d.root, &p) < 0)
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
	qsort(files.v, files.n, sizeof(*files.v), cmp_str);
	for (i = 0; i < files.n && r == 0; i++)
		r = load_package(s, settings_dir, files.v[i], err);
	strlist_release(&files);
	if (s->npkgs > 1)
		qsort(s->pkgs, s->npkgs, sizeof(*s->pkgs), cmp_pkg);
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
