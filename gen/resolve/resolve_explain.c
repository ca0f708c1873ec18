/* resolve_explain.c: the words of a failed resolution: where a requirement came from, why no
 * version of a project fits, which choices do not settle. */
#include <stdlib.h>

#include "resolve/resolve_int.h"

/* ---- describing where a requirement came from */

const char *resolve_chosen_version(const struct proj *p)
{
	return p->chosen >= 0 ? p->c[p->chosen].vstr : "?";
}

void resolve_add_chain(const struct resolver *r, long di, struct buf *out)
{
	size_t guard = 0;

	while (di >= 0 && guard++ < r->np + 1) {
		const struct demand *d = &r->d[di];
		const struct proj *p;

		if (d->parent < 0) {
			buf_adds(out, d->origin);
			return;
		}
		p = &r->p[d->parent];
		buf_addf(out, "%s %s [%s] <- ", p->name, resolve_chosen_version(p), req_type_name(d->type));
		di = p->via;
	}
	buf_adds(out, "...");
}

/* "'foo>=1' (from bar 1.0 [install] <- requirements.txt:3)" */
static void describe_demand(const struct resolver *r, size_t di, struct buf *out)
{
	buf_addf(out, "'%s' (from ", r->d[di].req->text);
	resolve_add_chain(r, (long)di, out);
	buf_addch(out, ')');
}

/* ---- why no version fits */

static void list_versions(const struct resolver *r, const struct proj *p, const struct specset *s, struct buf *out)
{
	size_t i, shown = 0;

	if (!p->nc) {
		buf_adds(out, "; the index lists no usable files");
		return;
	}
	buf_adds(out, "; available:");
	for (i = 0; i < p->nc && shown < 20; i++, shown++) {
		const struct cand *c = &p->c[i];
		const struct dist_file *f = resolve_cand_file(p, c);

		buf_addf(out, "%s %s (", i ? "," : "", c->vstr);
		if (!f && c->cooldown & 1)
			buf_addf(out, "uploaded less than %ld days ago, min_release_age", p->set.min_age_days);
		else if (!f && c->cooldown & 2)
			buf_addf(out, "no upload time on the index, which min_release_age needs");
		else if (!f && p->set.pre_built)
			buf_adds(out, c->foreign_wheels ? "pre-built: no wheel for the target's tags" : "pre-built: no wheel");
		else if (!f && !p->set.include_sdists && !p->set.include_wheels)
			buf_adds(out, "include_sdists and include_wheels are both false");
		else if (!f && !p->set.include_sdists)
			buf_adds(out, c->foreign_wheels ? "no wheel for the target's tags, include_sdists is false"
							: "no wheel, include_sdists is false");
		else if (!f)
			buf_adds(out, "no sdist");
		else if (!c->rp_ok)
			buf_addf(out, "requires-python %s",
				 f->requires_python ? f->requires_python : c->pkginfo_rp ? c->pkginfo_rp : "?");
		else if (f->yanked)
			buf_addf(out, "yanked%s%s", *f->yanked_reason ? ": " : "", f->yanked_reason);
		else if (!specset_contains(s, &c->v, 1))
			buf_adds(out, "does not match");
		else if (version_is_prerelease(&c->v) && !r->o->pre)
			buf_adds(out, "pre-release");
		else
			buf_adds(out, "excluded");
		buf_addch(out, ')');
	}
	if (i < p->nc)
		buf_addf(out, " and %zu more", p->nc - i);
}

void resolve_explain_failure(const struct resolver *r, const struct proj *p, struct buf *out)
{
	size_t i, j;
	struct specset s;

	/* one requirement alone (with the constraints) that matches nothing */
	for (i = 0; i < p->ndem; i++) {
		if (resolve_choose(r, p, &p->dem[i], 1, 1, NULL) >= 0)
			continue;
		specset_init(&s);
		resolve_merge_specs(r, p, &p->dem[i], 1, 1, &s);
		if (resolve_choose(r, p, &p->dem[i], 1, 0, NULL) >= 0 && p->ncons) {
			const struct reqfile_entry *con = p->cons[0];

			for (j = 0; j < p->ncons; j++)
				if (resolve_choose(r, p, &p->dem[i], 1, 1, p->cons[j]) < 0) {
					con = p->cons[j];
					break;
				}
			buf_adds(out, "requirement ");
			describe_demand(r, p->dem[i], out);
			buf_addf(out, " conflicts with the constraint '%s' (%s:%zu)", con->text, con->file, con->line);
		} else {
			buf_addf(out, "no version of '%s' satisfies ", p->name);
			describe_demand(r, p->dem[i], out);
			list_versions(r, p, &s, out);
		}
		specset_release(&s);
		return;
	}
	/* two requirements that no single version satisfies */
	for (i = 0; i < p->ndem; i++)
		for (j = i + 1; j < p->ndem; j++) {
			size_t two[2] = { p->dem[i], p->dem[j] };

			if (resolve_choose(r, p, two, 2, 1, NULL) >= 0)
				continue;
			buf_addf(out, "conflicting requirements on '%s': ", p->name);
			describe_demand(r, two[0], out);
			buf_adds(out, " and ");
			describe_demand(r, two[1], out);
			return;
		}
	buf_addf(out, "no version of '%s' satisfies all of:", p->name);
	for (i = 0; i < p->ndem; i++) {
		buf_adds(out, i ? ", " : " ");
		describe_demand(r, p->dem[i], out);
	}
}

/* ---- choices that do not settle */

void resolve_unsettled(struct resolver *r, struct buf *err)
{
	struct strlist names = STRLIST_INIT;
	size_t i;

	for (i = 0; i < r->np; i++)
		if (r->p[i].changes > 2)
			strlist_add(&names, r->p[i].name);
	strlist_sort(&names);
	buf_addf(err, "the resolution did not settle after %d rounds: the choice of", r->o->max_rounds);
	for (i = 0; i < names.n && i < 10; i++)
		buf_addf(err, "%s '%s'", i ? "," : "", names.v[i]);
	if (names.n > 10)
		buf_addf(err, " and %zu more", names.n - 10);
	buf_adds(err, " keeps changing; add a constraint to settle it");
	strlist_release(&names);
}
