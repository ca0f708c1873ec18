/* resolve_settings.c: what fromager's per-package settings change in a resolution (docs/settings.md,
 * "What the resolver does with them"): the index of a project, which files make a version a
 * candidate, the release-age cooldown, and the build requirements after project_override. */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "requirement.h"
#include "resolve/resolve_int.h"
#include "settings/settings.h"

static char *with_slash(const char *url)
{
	size_t n = strlen(url);

	return n && url[n - 1] == '/' ? xstrdup(url) : xasprintf("%s/", url);
}

void resolve_proj_settings(const struct resolver *r, struct proj *p)
{
	const struct settings *s = r->o->settings;
	const struct settings_package *sp = s ? settings_find(s, p->name) : NULL;
	struct proj_settings *ps = &p->set;
	size_t i;

	memset(ps, 0, sizeof(*ps));
	ps->include_sdists = 1;
	ps->min_age_days = r->o->min_release_age;
	if (!sp)
		return;
	ps->include_sdists = sp->include_sdists;
	ps->include_wheels = sp->include_wheels;
	ps->ignore_platform = sp->ignore_platform;
	if (sp->min_release_age >= 0)
		ps->min_age_days = sp->min_release_age;
	ps->download_url = sp->url != NULL;
	/* fromager's pbi.pre_built and wheel_server_url: the variant's, not a version's */
	for (i = 0; i < sp->nvariants; i++)
		if (!strcmp(sp->variants[i].name, s->variant ? s->variant : "cpu")) {
			ps->pre_built = sp->variants[i].pre_built;
			if (ps->pre_built && sp->variants[i].wheel_server_url)
				ps->index_url = with_slash(sp->variants[i].wheel_server_url);
		}
	if (!ps->pre_built && sp->sdist_server_url)
		ps->index_url = with_slash(sp->sdist_server_url);
}

void resolve_proj_settings_release(struct proj_settings *ps)
{
	free(ps->index_url);
	ps->index_url = NULL;
}

/* ---- the release-age cooldown */

int resolve_cooldown(const struct resolver *r, const struct proj *p, const struct dist_file *f)
{
	long long t;

	if (p->set.min_age_days <= 0)
		return 0;
	if (!f->upload_time || index_upload_time(f->upload_time, &t) < 0)
		return 2;
	return r->now - t < (long long)p->set.min_age_days * 86400 ? 1 : 0;
}

/* ---- project_override: [build-system] requires as fromager's PyprojectFix rewrites them */

static char *req_name(const char *text)
{
	struct requirement q;
	struct buf e = BUF_INIT;
	char *n = NULL;

	requirement_init(&q);
	if (requirement_parse(text, &q, &e) == 0)
		n = xstrdup(q.canonical_name);
	requirement_release(&q);
	buf_release(&e);
	return n;
}

/* Set the entry of name in names/texts to text (replacing in place), else append. */
static void req_map_set(struct strlist *names, struct strlist *texts, char *name, const char *text)
{
	long i = strlist_find(names, name);

	if (i >= 0) {
		free(texts->v[i]);
		texts->v[i] = xstrdup(text);
		free(name);
		return;
	}
	strlist_add_owned(names, name);
	strlist_add(texts, text);
}

int resolve_override_build_requires(const struct resolver *r, const struct proj *p, struct sdist_info *info)
{
	const struct settings_package *sp = r->o->settings ? settings_find(r->o->settings, p->name) : NULL;
	struct strlist names = STRLIST_INIT, texts = STRLIST_INIT;
	size_t i;
	long k;

	if (!sp || (!sp->update_build_requires.n && !sp->remove_build_requires.n))
		return 0;
	/* fromager always puts setuptools in, then the file's requires (none when the sdist has no
	 * [build-system] requires), removes, then updates by name */
	req_map_set(&names, &texts, xstrdup("setuptools"), "setuptools");
	for (i = 0; !info->build_system_default && i < info->build_requires.n; i++) {
		char *n = req_name(info->build_requires.v[i]);

		if (!n) {
			buf_addf(r->err, "%s %s: build requirement '%s' does not parse", p->name,
				 resolve_chosen_version(p), info->build_requires.v[i]);
			goto fail;
		}
		req_map_set(&names, &texts, n, info->build_requires.v[i]);
	}
	for (i = 0; i < sp->remove_build_requires.n; i++) {
		char *n = name_canonicalize(sp->remove_build_requires.v[i]);

		if ((k = strlist_find(&names, n)) >= 0) {
			free(names.v[k]);
			free(texts.v[k]);
			memmove(&names.v[k], &names.v[k + 1], (names.n - (size_t)k - 1) * sizeof(*names.v));
			memmove(&texts.v[k], &texts.v[k + 1], (texts.n - (size_t)k - 1) * sizeof(*texts.v));
			names.n--;
			texts.n--;
		}
		free(n);
	}
	for (i = 0; i < sp->update_build_requires.n; i++) {
		char *n = req_name(sp->update_build_requires.v[i]);

		if (!n) {
			buf_addf(r->err, "%s: project_override.update_build_requires: '%s' is not a requirement (%s)",
				 p->name, sp->update_build_requires.v[i], sp->file);
			goto fail;
		}
		req_map_set(&names, &texts, n, sp->update_build_requires.v[i]);
	}
	strlist_sort(&texts);
	strlist_release(&info->build_requires);
	info->build_requires = texts;
	info->build_system_default = 0;
	strlist_release(&names);
	return 0;
fail:
	strlist_release(&names);
	strlist_release(&texts);
	return -1;
}
