/* settings_types.c: the settings' key = value lists (see settings.h), and typed reading of YAML nodes
 * for the settings schema, errors naming the file, the position and the key path (see settings_int.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "settings/settings_int.h"
#include "version.h"

/* ---- kv lists */

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

/* ---- errors */

int sy_fail(struct sctx *c, const struct ynode *n, const char *fmt, ...)
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

/* ---- typed access to nodes */

int sy_absent(const struct ynode *n)
{
	return !n || (n->kind == YN_SCALAR && n->type == YS_NULL);
}

const char *sy_kind_name(const struct ynode *n)
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

int sy_want_map(struct sctx *c, const struct ynode *n, const char *path)
{
	if (n->kind != YN_MAP)
		return sy_fail(c, n, "'%s': expected a mapping, got %s", path, sy_kind_name(n));
	return 0;
}

/* Every key of m must be a string in allowed; the first other one is the error. */
int sy_check_keys(struct sctx *c, const struct ynode *m, const char *path, const char *const *allowed)
{
	size_t i, j;

	for (i = 0; i < m->n; i += 2) {
		const struct ynode *k = m->kids[i];

		if (k->kind != YN_SCALAR || k->type != YS_STR)
			return sy_fail(c, k, "'%s': keys must be strings", *path ? path : "top level");
		for (j = 0; allowed[j]; j++)
			if (!strcmp(k->text, allowed[j]))
				break;
		if (!allowed[j])
			return sy_fail(c, k, "unknown key '%s%s%s'", path, *path ? "." : "", k->text);
	}
	return 0;
}

char *sy_subpath(const char *path, const char *key)
{
	return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
}

int sy_get_str(struct sctx *c, const struct ynode *n, const char *path, char **out)
{
	if (sy_absent(n))
		return 0;
	if (n->kind != YN_SCALAR || n->type != YS_STR)
		return sy_fail(c, n, "'%s': expected a string, got %s", path, sy_kind_name(n));
	free(*out);
	*out = xstrdup(n->text);
	return 0;
}

/* pydantic's lax booleans: YAML booleans, 0 and 1, and its strings. */
int sy_get_bool(struct sctx *c, const struct ynode *n, const char *path, int *out)
{
	static const char *const yes[] = { "1", "true", "t", "yes", "y", "on" };
	static const char *const no[] = { "0", "false", "f", "no", "n", "off" };
	size_t i;

	if (sy_absent(n))
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
	return sy_fail(c, n, "'%s': expected a boolean, got %s%s%s%s", path, sy_kind_name(n),
		    n->kind == YN_SCALAR ? " '" : "", n->kind == YN_SCALAR ? n->text : "",
		    n->kind == YN_SCALAR ? "'" : "");
}

int sy_get_long(struct sctx *c, const struct ynode *n, const char *path, long min, long *out)
{
	if (sy_absent(n))
		return 0;
	if (n->kind != YN_SCALAR || (n->type != YS_INT && n->type != YS_STR) || strchr(n->text, '_') ||
	    parse_int_range(n->text, min, 1000000000L, out) < 0)
		return sy_fail(c, n, "'%s': expected an integer >= %ld, got %s%s%s%s", path, min, sy_kind_name(n),
			    n->kind == YN_SCALAR ? " '" : "", n->kind == YN_SCALAR ? n->text : "",
			    n->kind == YN_SCALAR ? "'" : "");
	return 0;
}

int sy_get_double(struct sctx *c, const struct ynode *n, const char *path, double min, double *out)
{
	char *end;
	double d;

	if (sy_absent(n))
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
	return sy_fail(c, n, "'%s': expected a number >= %g, got %s%s%s%s", path, min, sy_kind_name(n),
		    n->kind == YN_SCALAR ? " '" : "", n->kind == YN_SCALAR ? n->text : "",
		    n->kind == YN_SCALAR ? "'" : "");
}

int sy_get_strlist(struct sctx *c, const struct ynode *n, const char *path, struct strlist *out)
{
	size_t i;

	if (sy_absent(n))
		return 0;
	if (n->kind != YN_SEQ)
		return sy_fail(c, n, "'%s': expected a list of strings, got %s", path, sy_kind_name(n));
	for (i = 0; i < n->n; i++) {
		const struct ynode *it = n->kids[i];

		if (it->kind != YN_SCALAR || it->type != YS_STR)
			return sy_fail(c, it, "'%s[%zu]': expected a string, got %s", path, i, sy_kind_name(it));
		strlist_add(out, it->text);
	}
	return 0;
}

/* Mapping of strings to strings (annotations). */
int sy_get_strmap(struct sctx *c, const struct ynode *n, const char *path, struct settings_kvlist *out)
{
	size_t i;

	if (sy_absent(n))
		return 0;
	if (sy_want_map(c, n, path) < 0)
		return -1;
	for (i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];

		if (k->kind != YN_SCALAR || k->type != YS_STR)
			return sy_fail(c, k, "'%s': keys must be strings", path);
		if (v->kind != YN_SCALAR || v->type != YS_STR)
			return sy_fail(c, v, "'%s.%s': expected a string, got %s", path, k->text, sy_kind_name(v));
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
		return sy_fail(c, v, "'%s': expected a string, number or boolean, got %s", path, sy_kind_name(v));
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
		return sy_fail(c, v, "'%s': write the number '%s' as a quoted string", path, v->text);
	default:
		break;
	}
	if (strstr(v->text, "$("))
		return sy_fail(c, v, "'%s': '%s': command substitution '$(' is not supported", path, v->text);
	for (p = v->text; ascii_isspace(*p); p++)
		;
	buf_adds(&b, p);
	buf_rtrim(&b);
	*out = buf_detach(&b, NULL);
	return 0;
}

int sy_get_env(struct sctx *c, const struct ynode *n, const char *path, struct settings_kvlist *out)
{
	size_t i;

	if (sy_absent(n))
		return 0;
	if (sy_want_map(c, n, path) < 0)
		return -1;
	for (i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i];
		char *sub, *value = NULL;
		int r;

		if (k->kind != YN_SCALAR || k->type != YS_STR)
			return sy_fail(c, k, "'%s': keys must be strings", path);
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
int sy_get_changelog(struct sctx *c, const struct ynode *n, const char *path, int versions,
			 struct settings_changelog *out)
{
	size_t i, j;

	if (sy_absent(n))
		return 0;
	if (sy_want_map(c, n, path) < 0)
		return -1;
	for (i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i];
		struct settings_log *log;
		char *sub;
		int r;

		if (k->kind != YN_SCALAR || k->type == YS_NULL)
			return sy_fail(c, k, "'%s': keys must be %s", path, versions ? "versions" : "variant names");
		if (versions) {
			struct version v, w;

			version_init(&v);
			if (version_parse(k->text, &v) < 0) {
				version_release(&v);
				return sy_fail(c, k, "'%s': invalid version '%s'", path, k->text);
			}
			for (j = 0; j < out->n; j++) {
				version_init(&w);
				if (version_parse(out->v[j].key, &w) == 0 && version_cmp(&v, &w) == 0) {
					version_release(&w);
					version_release(&v);
					return sy_fail(c, k, "'%s': version '%s' is the same as '%s'", path, k->text,
						    out->v[j].key);
				}
				version_release(&w);
			}
			version_release(&v);
		} else if (k->type != YS_STR) {
			return sy_fail(c, k, "'%s': keys must be variant names", path);
		}
		GROW(out->v, out->alloc, out->n + 1);
		log = &out->v[out->n++];
		log->key = xstrdup(k->text);
		strlist_init(&log->entries);
		sub = xasprintf("%s.%s", path, k->text);
		r = sy_get_strlist(c, n->kids[i + 1], sub, &log->entries);
		free(sub);
		if (r < 0)
			return -1;
	}
	return 0;
}

