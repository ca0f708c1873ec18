/* wheel_install.c: install wheel files into an environment (see wheel.h).
 *
 * Each wheel is extracted into STAGE/rawN/ (wheel_extract.c), every member hashed on the way; it is checked against
 * RECORD, then each file is moved to STAGE/tree/<its place in the environment>, scripts rewritten,
 * console scripts, INSTALLER and RECORD written. Only when every wheel is staged are the files renamed
 * into the environment, the .dist-info directories last: a package is visible to importlib.metadata
 * only once all its files are in place, and a retry after an interruption simply overwrites. A
 * distribution already installed under a new wheel's name is replaced in between (wheel_uninstall.c
 * describes the order: its files are removed only once the new ones are staged). The
 * staging directory is ROOT/.wbgen-install-PID-XXXXXX; one left by a killed install is removed by the
 * next install into the environment once process PID is gone. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "names.h"
#include "sha256.h"
#include "strlist.h"
#include "wheel/wheel_int.h"
#include "util.h"

void wheel_env_release(struct wheel_env *env)
{
	free(env->root);
	free(env->python);
	free(env->purelib);
	free(env->platlib);
	free(env->scripts);
	free(env->data);
	free(env->include);
	free(env->version_short);
	memset(env, 0, sizeof(*env));
}

static void job_release(struct wheel_job *j)
{
	size_t i;

	for (i = 0; i < j->nm; i++)
		free(j->m[i].name);
	free(j->m);
	for (i = 0; i < j->ni; i++) {
		free(j->inst[i].dest);
		free(j->inst[i].hash);
	}
	free(j->inst);
	wheel_job_files_release(j);
	free(j->raw);
	free(j->distinfo);
	free(j->datadir);
	memset(j, 0, sizeof(*j));
}

/* The wheel's filename must parse, and its .dist-info directory must be named after its project. */
static int check_distinfo_name(const struct wheel_job *j, struct buf *err)
{
	const char *base = strrchr(j->path, '/');
	struct wheel_name wn;
	struct buf e = BUF_INIT;
	char *want, *got;
	int ret = 0;

	if (wheel_name_parse(base ? base + 1 : j->path, &wn, &e)) {
		buf_adds(err, e.s);
		buf_release(&e);
		return -1;
	}
	want = name_canonicalize(wn.name);
	got = xstrndup(j->distinfo, strcspn(j->distinfo, "-"));
	if (name_cmp(got, want) != 0) {
		buf_addf(err, "'%s': its .dist-info directory '%s' is not named after '%s'", j->path, j->distinfo, wn.name);
		ret = -1;
	}
	free(want);
	free(got);
	wheel_name_release(&wn);
	buf_release(&e);
	return ret;
}

/* The one .dist-info directory, WHEEL's version and Root-Is-Purelib. */
static int read_wheel_file(struct wheel_job *j, const struct wheel_env *env, struct buf *err)
{
	struct buf text = BUF_INIT, name = BUF_INIT;
	const char *p, *version = NULL;
	int purelib = 0, ret = -1;
	size_t i;

	for (i = 0; i < j->nm; i++) {
		const char *slash = strchr(j->m[i].name, '/');
		size_t len = slash ? (size_t)(slash - j->m[i].name) : 0;

		if (len < 11 || strncmp(slash - 10, ".dist-info", 10) != 0)
			continue;
		if (!j->distinfo) {
			j->distinfo = xstrndup(j->m[i].name, len);
		} else if (strlen(j->distinfo) != len || strncmp(j->distinfo, j->m[i].name, len) != 0) {
			buf_addf(err, "'%s' has more than one .dist-info directory", j->path);
			goto out;
		}
	}
	if (!j->distinfo) {
		buf_addf(err, "'%s' has no .dist-info directory", j->path);
		goto out;
	}
	if (check_distinfo_name(j, err))
		goto out;
	j->datadir = xasprintf("%.*s.data", (int)(strlen(j->distinfo) - 10), j->distinfo);
	buf_addf(&name, "%s/WHEEL", j->distinfo);
	if (!wheel_job_member(j, name.s)) {
		buf_addf(err, "'%s' has no %s", j->path, name.s);
		goto out;
	}
	if (wheel_read_member(j, name.s, &text, err))
		goto out;
	for (p = text.s; *p;) {
		const char *nl = strchr(p, '\n'), *e = nl ? nl : p + strlen(p);

		if (starts_with(p, "Wheel-Version:")) {
			version = p + 14;
			while (*version == ' ' || *version == '\t')
				version++;
		} else if (starts_with(p, "Root-Is-Purelib:")) {
			const char *v = p + 16;

			while (*v == ' ' || *v == '\t')
				v++;
			purelib = ascii_strncasecmp(v, "true", 4) == 0 && (e - v == 4 || (e - v == 5 && v[4] == '\r'));
		}
		p = nl ? nl + 1 : e;
	}
	if (!version) {
		buf_addf(err, "'%s' has no Wheel-Version in %s", j->path, name.s);
		goto out;
	}
	if (!starts_with(version, "1.") && !(version[0] == '1' && (version[1] == '\n' || !version[1]))) {
		buf_addf(err, "'%s' has Wheel-Version %.*s; only 1.x is supported", j->path,
			 (int)strcspn(version, "\r\n"), version);
		goto out;
	}
	if (!starts_with(version, "1.0"))
		warn("'%s' has Wheel-Version %.*s, newer than 1.0", j->path, (int)strcspn(version, "\r\n"), version);
	j->libdir = purelib ? env->purelib : env->platlib;
	ret = 0;
out:
	buf_release(&text);
	buf_release(&name);
	return ret;
}

int wheel_is_record_file(const struct wheel_job *j, const char *name)
{
	size_t n = strlen(j->distinfo);

	return strncmp(name, j->distinfo, n) == 0 && name[n] == '/' &&
		(strcmp(name + n + 1, "RECORD") == 0 || strcmp(name + n + 1, "RECORD.jws") == 0 ||
		 strcmp(name + n + 1, "RECORD.p7s") == 0);
}

static int verify_record(struct wheel_job *j, struct buf *err)
{
	struct record r;
	struct buf text = BUF_INIT, name = BUF_INIT, e = BUF_INIT;
	size_t i;
	int ret = -1;

	record_init(&r);
	buf_addf(&name, "%s/RECORD", j->distinfo);
	if (!wheel_job_member(j, name.s)) {
		buf_addf(err, "'%s' has no %s", j->path, name.s);
		goto out;
	}
	if (wheel_read_member(j, name.s, &text, err))
		goto out;
	if (record_parse(text.s, text.len, &r, &e)) {
		buf_addf(err, "%s: %s", j->path, e.s);
		goto out;
	}
	for (i = 0; i < j->nm; i++) {
		const struct record_entry *re;

		if (wheel_is_record_file(j, j->m[i].name))
			continue;
		re = record_find(&r, j->m[i].name);
		if (!re) {
			buf_addf(err, "%s: '%s' is not listed in RECORD", j->path, j->m[i].name);
			goto out;
		}
		if (record_check(re, j->m[i].hash, j->m[i].size, &e)) {
			buf_addf(err, "%s: %s", j->path, e.s);
			goto out;
		}
	}
	for (i = 0; i < r.nr; i++) {
		if (!wheel_job_member(j, r.v[i].path) && strcmp(r.v[i].path, name.s) != 0) {
			buf_addf(err, "%s: RECORD lists '%s', which is not in the wheel", j->path, r.v[i].path);
			goto out;
		}
	}
	ret = 0;
out:
	record_release(&r);
	buf_release(&text);
	buf_release(&name);
	buf_release(&e);
	return ret;
}

static void add_installed(struct wheel_job *j, char *dest, const char *hash, unsigned long long size, int distinfo)
{
	GROW(j->inst, j->ai, j->ni + 1);
	j->inst[j->ni].dest = dest;
	j->inst[j->ni].hash = xstrdup(hash);
	j->inst[j->ni].size = size;
	j->inst[j->ni].distinfo = distinfo;
	j->ni++;
}

static void hash_b64(const void *data, size_t len, struct buf *out)
{
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_SIZE];

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, d);
	sha256_b64url(d, out);
}

/* The directory make_parents() made last. */
static struct buf last_parent = BUF_INIT;

/* Forget the directory made last (directories may have been removed since). */
static void make_parents_reset(void)
{
	buf_release(&last_parent);
}

/* mkdir_parents(path), skipped when path's directory is the one made last (files come sorted: most
 * share their directory with the file before them). */
static int make_parents(const char *path)
{
	struct buf *last = &last_parent;
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (n && last->len == n && memcmp(last->s, path, n) == 0)
		return 0;
	if (mkdir_parents(path) < 0)
		return -1;
	buf_reset(last);
	buf_add(last, path, n);
	return 0;
}

/* Claim STAGE/tree/dest for j: an error when another wheel (or file) already took it. */
static int claim(const struct wheel_job *j, const char *tree, const char *dest, struct buf *path, struct buf *err)
{
	struct stat st;

	buf_reset(path);
	buf_addf(path, "%s/%s", tree, dest);
	if (lstat(path->s, &st) == 0) {
		buf_addf(err, "%s: '%s' is installed by another wheel too", j->path, dest);
		return -1;
	}
	if (make_parents(path->s)) {
		buf_addf(err, "cannot create the directory of '%s': %s", path->s, strerror(errno));
		return -1;
	}
	return 0;
}

/* Write a generated file of j to STAGE/tree/dest and list it. */
static int stage_new(struct wheel_job *j, const char *tree, char *dest, const struct buf *data, int exec,
		     int distinfo, struct buf *err)
{
	struct buf path = BUF_INIT, h = BUF_INIT;
	int ret = -1;

	if (claim(j, tree, dest, &path, err) || wheel_write_new(path.s, data->s, data->len, exec, err)) {
		free(dest);
		goto out;
	}
	hash_b64(data->s, data->len, &h);
	add_installed(j, dest, h.s, data->len, distinfo);
	ret = 0;
out:
	buf_release(&path);
	buf_release(&h);
	return ret;
}

char *wheel_member_dest(const struct wheel_job *j, const struct wheel_env *env, const char *name, int *script,
			 struct buf *err)
{
	size_t dl = strlen(j->datadir);
	const char *key, *rest;

	*script = 0;
	if (strncmp(name, j->datadir, dl) != 0 || name[dl] != '/')
		return xasprintf("%s%s%s", j->libdir, j->libdir[0] ? "/" : "", name);
	key = name + dl + 1;
	rest = strchr(key, '/');
	if (!rest) {
		buf_addf(err, "%s: '%s' is not inside a .data category directory", j->path, name);
		return NULL;
	}
	rest++;
#define CATEGORY(k) ((size_t)(rest - key) == sizeof(k) && strncmp(key, k "/", sizeof(k)) == 0)
	if (CATEGORY("scripts")) {
		*script = 1;
		return xasprintf("%s%s%s", env->scripts, env->scripts[0] ? "/" : "", rest);
	}
	if (CATEGORY("purelib"))
		return xasprintf("%s%s%s", env->purelib, env->purelib[0] ? "/" : "", rest);
	if (CATEGORY("platlib"))
		return xasprintf("%s%s%s", env->platlib, env->platlib[0] ? "/" : "", rest);
	if (CATEGORY("data"))
		return xasprintf("%s%s%s", env->data, env->data[0] ? "/" : "", rest);
	if (CATEGORY("headers"))
		return xasprintf("include/site/python%s/%.*s/%s", env->version_short,
				 (int)strcspn(j->distinfo, "-"), j->distinfo, rest);
#undef CATEGORY
	buf_addf(err, "%s: unknown .data category in '%s'", j->path, name);
	return NULL;
}

/* The console and GUI scripts of j's entry_points.txt (read from its entry edir). */
static int stage_scripts(struct wheel_job *j, const struct wheel_env *env, const char *edir, const char *tree,
			 struct buf *err)
{
	struct entry_points eps;
	struct buf name = BUF_INIT, text = BUF_INIT, e = BUF_INIT, script = BUF_INIT;
	size_t i;
	int ret = -1;

	entry_points_init(&eps);
	buf_addf(&name, "%s/tree/%s%s%s/entry_points.txt", edir, j->libdir, j->libdir[0] ? "/" : "", j->distinfo);
	if (buf_read_file(&text, name.s) < 0) {
		if (errno == ENOENT) {
			ret = 0;
		} else {
			buf_addf(err, "cannot read '%s': %s", name.s, strerror(errno));
		}
		goto out;
	}
	if (entry_points_parse(text.s, &eps, &e)) {
		buf_addf(err, "%s: %s", j->path, e.s);
		goto out;
	}
	for (i = 0; i < eps.nr; i++) {
		const struct entry_point *ep = &eps.v[i];

		if (strcmp(ep->group, "console_scripts") != 0 && strcmp(ep->group, "gui_scripts") != 0)
			continue;
		if (!wheel_path_safe(ep->name, 0) || strchr(ep->name, '/')) {
			buf_addf(err, "%s: unsafe script name '%s' in entry_points.txt", j->path, ep->name);
			goto out;
		}
		buf_reset(&script);
		if (wheel_launcher(env->python, ep, &script, &e)) {
			buf_addf(err, "%s: %s", j->path, e.s);
			goto out;
		}
		if (stage_new(j, tree, xasprintf("%s%s%s", env->scripts, env->scripts[0] ? "/" : "", ep->name),
			      &script, 1, 0, err))
			goto out;
	}
	ret = 0;
out:
	entry_points_release(&eps);
	buf_release(&name);
	buf_release(&text);
	buf_release(&e);
	buf_release(&script);
	return ret;
}

static int cmp_rows(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* INSTALLER and the new RECORD (rows sorted by path, as pip writes them). */
static int stage_record(struct wheel_job *j, const struct wheel_env *env, const char *tree, struct buf *err)
{
	struct buf data = BUF_INIT, rel = BUF_INIT;
	struct strlist rows = STRLIST_INIT;
	char size[32];
	size_t i;
	int ret = -1;

	buf_addf(&data, "%s\n", env->installer);
	if (stage_new(j, tree, xasprintf("%s%s%s/INSTALLER", j->libdir, j->libdir[0] ? "/" : "", j->distinfo), &data,
		      0, 1, err))
		goto out;
	for (i = 0; i < j->ni; i++) {
		buf_reset(&rel);
		wheel_relpath(j->libdir, j->inst[i].dest, &rel);
		buf_addch(&rel, '\0');
		/* a .pyc: no hash and no size, as pip writes it */
		snprintf(size, sizeof(size), "%llu", j->inst[i].size);
		if (j->inst[i].hash[0])
			buf_addf(&rel, "sha256=%s", j->inst[i].hash);
		buf_addch(&rel, '\0');
		if (j->inst[i].hash[0])
			buf_adds(&rel, size);
		strlist_add_owned(&rows, buf_detach(&rel, NULL));
	}
	buf_reset(&rel);
	buf_addf(&rel, "%s/RECORD", j->distinfo);
	buf_addch(&rel, '\0');
	buf_addch(&rel, '\0');
	strlist_add_owned(&rows, buf_detach(&rel, NULL));
	QSORT(rows.v, rows.n, cmp_rows);
	buf_reset(&data);
	for (i = 0; i < rows.n; i++) {
		const char *path = rows.v[i], *hash = path + strlen(path) + 1, *sz = hash + strlen(hash) + 1;

		record_add_row(&data, path, hash, sz);
	}
	if (stage_new(j, tree, xasprintf("%s%s%s/RECORD", j->libdir, j->libdir[0] ? "/" : "", j->distinfo), &data, 0,
		      1, err))
		goto out;
	ret = 0;
out:
	strlist_release(&rows);
	buf_release(&data);
	buf_release(&rel);
	return ret;
}

/* Move the staged files of j (its .dist-info ones when distinfo, the others otherwise) into the root. */
static int move_in(const struct wheel_job *j, const struct wheel_env *env, const char *tree, int distinfo,
		   struct buf *err)
{
	struct buf src = BUF_INIT, dst = BUF_INIT;
	size_t i;
	int ret = -1;

	for (i = 0; i < j->ni; i++) {
		if (j->inst[i].distinfo != distinfo)
			continue;
		buf_reset(&src);
		buf_addf(&src, "%s/%s", tree, j->inst[i].dest);
		buf_reset(&dst);
		buf_addf(&dst, "%s/%s", env->root, j->inst[i].dest);
		if (make_parents(dst.s)) {
			buf_addf(err, "cannot create the directory of '%s': %s", dst.s, strerror(errno));
			goto out;
		}
		if (rename(src.s, dst.s)) {
			buf_addf(err, "cannot install '%s': %s", dst.s, strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	buf_release(&src);
	buf_release(&dst);
	return ret;
}

/* Put the files of j's entry edir into STAGE/tree (a store entry's hard-linked, or copied with
 * WHEEL_COPY or where a link cannot be made; a private entry's moved), the "#!python" scripts
 * written for env; each listed in j->inst. */
static int place_files(struct wheel_job *j, const struct wheel_env *env, const char *edir, const char *tree,
		       enum wheel_place how, struct buf *err)
{
	struct buf src = BUF_INIT, dst = BUF_INIT, data = BUF_INIT, fixed = BUF_INIT, di = BUF_INIT;
	size_t i;
	int ret = -1;

	buf_addf(&di, "%s%s%s/", j->libdir, j->libdir[0] ? "/" : "", j->distinfo);
	for (i = 0; i < j->nf; i++) {
		const struct entry_file *f = &j->f[i];
		int distinfo = starts_with(f->path, di.s);

		buf_reset(&src);
		buf_addf(&src, "%s/%s/%s", edir, f->kind == 'x' ? "scripts" : "tree", f->path);
		if (f->kind == 'x') {
			buf_reset(&data);
			buf_reset(&fixed);
			if (buf_read_file(&data, src.s) < 0 || !wheel_fix_shebang(data.s, data.len, env->python, &fixed)) {
				buf_addf(err, "cannot read the script '%s'", src.s);
				goto out;
			}
			if (stage_new(j, tree, xstrdup(f->path), &fixed, f->exec, distinfo, err))
				goto out;
			continue;
		}
		if (claim(j, tree, f->path, &dst, err))
			goto out;
		if (how == WHEEL_MOVE ? rename(src.s, dst.s) < 0
				      : how == WHEEL_COPY || link(src.s, dst.s) < 0) {
			if (how == WHEEL_MOVE || (how == WHEEL_LINK && errno != EXDEV && errno != EPERM && errno != EMLINK)) {
				buf_addf(err, "cannot place '%s' at '%s': %s", src.s, dst.s, strerror(errno));
				goto out;
			}
			if (wheel_copy_file(src.s, dst.s, err))
				goto out;
		}
		add_installed(j, xstrdup(f->path), f->hash, f->size, distinfo);
	}
	ret = 0;
out:
	buf_release(&src);
	buf_release(&dst);
	buf_release(&data);
	buf_release(&fixed);
	buf_release(&di);
	return ret;
}

/* Make the entry of j in edir: the wheel extracted (into edir/raw), checked and laid out. */
/* Sort the indices idx[0..n) by names[idx[i]]. */
static const char *const *sort_names;

static int cmp_by_name(const void *a, const void *b)
{
	return strcmp(sort_names[*(const size_t *)a], sort_names[*(const size_t *)b]);
}

static void qsort_r_by_name(size_t *idx, size_t n, char *const *names)
{
	sort_names = (const char *const *)names;
	QSORT(idx, n, cmp_by_name);
	sort_names = NULL;
}

static int entry_make(struct wheel_job *j, const struct wheel_env *env, const char *edir, struct buf *err)
{
	int r;

	j->raw = xasprintf("%s/raw", edir);
	r = wheel_extract(j, err) || read_wheel_file(j, env, err) || verify_record(j, err) ||
	    wheel_entry_lay(j, env, edir, err);
	wheel_remove_tree(j->raw);
	return r ? -1 : 0;
}

int wheel_install(const struct wheel_env *env, const char *const *paths, size_t n,
		  const struct wheel_install_opts *o, struct buf *err)
{
	struct wheel_job *jobs = xcalloc(n ? n : 1, sizeof(*jobs)), **made = xcalloc(n ? n : 1, sizeof(*made));
	char **edirs = xcalloc(n ? n : 1, sizeof(*edirs)), **finals = xcalloc(n ? n : 1, sizeof(*finals));
	const char **madedirs = xcalloc(n ? n : 1, sizeof(*madedirs));
	size_t *missing = xcalloc(n ? n : 1, sizeof(*missing)), nmissing = 0, k;
	int *locks = xcalloc(n ? n : 1, sizeof(*locks));
	struct removal rm;
	char *stage = xasprintf("%s/.wbgen-install-%ld-XXXXXX", env->root, (long)getpid()), *tree = NULL;
	size_t i, nmade = 0;
	int ret = -1;

	if (o->store && !o->python)
		BUG("a wheel store without an interpreter to compile with");
	removal_init(&rm);
	wheel_remove_dead(env->root, ".wbgen-install-", NULL);
	if (!mkdtemp(stage)) {
		buf_addf(err, "cannot create a staging directory in '%s': %s", env->root, strerror(errno));
		free(stage);
		stage = NULL;
		goto out;
	}
	tree = xasprintf("%s/tree", stage);
	/* each wheel's entry: found in the store, else made (in the store's temporary directory, or
	 * privately in the staging directory) */
	for (i = 0; i < n; i++) {
		int found = 0;

		jobs[i].path = paths[i];
		locks[i] = -1;
		if (o->store && (found = wheel_store_find(o->store, env, &jobs[i], &edirs[i], &finals[i], NULL, err)) < 0)
			goto out;
		if (found)
			continue;
		if (!o->store)
			edirs[i] = xasprintf("%s/entry%zu", stage, i);
		missing[nmissing++] = i;
	}
	/* the store's missing entries locked in the order of their names (no two installs wait for
	 * each other), each looked for again once locked */
	if (o->store)
		qsort_r_by_name(missing, nmissing, finals);
	for (k = 0; k < nmissing; k++) {
		i = missing[k];
		if (o->store) {
			int found = wheel_store_find(o->store, env, &jobs[i], &edirs[i], &finals[i], &locks[i], err);

			if (found < 0)
				goto out;
			if (found)
				continue;
		}
		if (entry_make(&jobs[i], env, edirs[i], err))
			goto out;
		made[nmade] = &jobs[i];
		madedirs[nmade++] = edirs[i];
	}
	if (nmade && o->python &&
	    wheel_entries_compile(made, madedirs, nmade, o->python, o->store ? NULL : env->root, stage, err))
		goto out;
	for (i = 0; i < nmade; i++) {
		size_t at = (size_t)(made[i] - jobs);

		if (wheel_entry_finish(made[i], edirs[at], err) ||
		    (o->store && wheel_store_publish(env, made[i], &edirs[at], finals[at], err)))
			goto out;
	}
	/* published: another install waiting for an entry may take it */
	for (i = 0; i < n; i++)
		if (locks[i] > 0) {
			close(locks[i]);
			locks[i] = -1;
		}
	for (i = 0; i < n; i++)
		/* the scripts first: a private entry's files (entry_points.txt) are moved away */
		if (stage_scripts(&jobs[i], env, edirs[i], tree, err) ||
		    place_files(&jobs[i], env, edirs[i], tree, o->store ? (o->copy ? WHEEL_COPY : WHEEL_LINK) : WHEEL_MOVE,
				err) ||
		    stage_record(&jobs[i], env, tree, err))
			goto out;
	if (removal_plan(&rm, env, jobs, n, err) || removal_run(&rm, env, 0, err))
		goto out;
	make_parents_reset();
	for (i = 0; i < n; i++)
		if (move_in(&jobs[i], env, tree, 0, err))
			goto out;
	if (removal_run(&rm, env, 1, err))
		goto out;
	make_parents_reset();
	for (i = 0; i < n; i++)
		if (move_in(&jobs[i], env, tree, 1, err))
			goto out;
	ret = 0;
out:
	make_parents_reset();
	removal_release(&rm);
	if (stage)
		wheel_remove_tree(stage);
	for (i = 0; i < n; i++) {
		if (locks[i] > 0)
			close(locks[i]);
		/* an entry of the store not made to the end */
		if (o->store && edirs[i] && finals[i] && strcmp(edirs[i], finals[i]) != 0)
			wheel_remove_tree(edirs[i]);
		free(edirs[i]);
		free(finals[i]);
		job_release(&jobs[i]);
	}
	free(jobs);
	free(made);
	free(madedirs);
	free(missing);
	free(locks);
	free(edirs);
	free(finals);
	free(stage);
	free(tree);
	return ret;
}
