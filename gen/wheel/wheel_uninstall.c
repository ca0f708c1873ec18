/* wheel_uninstall.c: replacing a distribution already installed in the environment, as
 * pip install --no-deps --force-reinstall does (see wheel_int.h).
 *
 * The order, chosen so that the environment never holds neither distribution and a retry after an
 * interruption finishes the job (wheel_install() drives it):
 *   1. every new wheel is extracted, verified and staged (nothing in the environment changes);
 *   2. every installed .dist-info named like a new wheel is found and its RECORD read; a path that
 *      leaves the environment refuses the whole install, still with nothing changed;
 *   3. the old files outside the .dist-info are removed, except those the new wheels install
 *      (the rename in 4 replaces them in one step), with the __pycache__ entries of old .py files;
 *   4. the new files outside the .dist-info are moved in;
 *   5. the old .dist-info files are removed, again except those the new wheel replaces (the same
 *      version keeps its directory throughout);
 *   6. the new .dist-info is moved in.
 * Until 5 the old RECORD is still there, so a retry removes what is left of the old files; after 5
 * only the new files are left and a retry installs them again. After 3 and 5 the directories that
 * held removed files are removed when nothing but files being replaced is left in them: what pip's
 * compress_for_rename does (it removes such a directory whole, then the install recreates the
 * directories the new files need). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "names.h"
#include "wheel/wheel_int.h"
#include "util.h"

void removal_init(struct removal *rm)
{
	memset(rm, 0, sizeof(*rm));
	strlist_init(&rm->keep);
}

void removal_release(struct removal *rm)
{
	size_t i;

	for (i = 0; i < rm->n; i++) {
		free(rm->v[i].distinfo);
		strlist_release(&rm->v[i].files);
	}
	free(rm->v);
	strlist_release(&rm->keep);
	removal_init(rm);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_kept(const struct removal *rm, const char *rel)
{
	return rm->keep.n && bsearch(&rel, rm->keep.v, rm->keep.n, sizeof(*rm->keep.v), cmp_str) != NULL;
}

static int inside(const char *realroot, const char *p)
{
	size_t n = strlen(realroot);

	return strncmp(p, realroot, n) == 0 && (p[n] == '\0' || p[n] == '/' || (n == 1 && realroot[0] == '/'));
}

/* The directory holding root/rel must resolve inside the environment (a symbolic link may not
 * lead out); a missing one is fine, nothing can be removed there. */
static int check_parent(const char *root, const char *realroot, const char *rel, const char *row,
			const char *record, struct buf *err)
{
	struct buf dir = BUF_INIT;
	const char *slash = strrchr(rel, '/');
	char *real;
	int ret = 0;

	buf_addf(&dir, "%s/%.*s", root, slash ? (int)(slash - rel) : 0, rel);
	real = realpath(dir.s, NULL);
	if (!real) {
		if (errno != ENOENT && errno != ENOTDIR) {
			buf_addf(err, "cannot resolve '%s' (listed in '%s'): %s", dir.s, record, strerror(errno));
			ret = -1;
		}
	} else if (!inside(realroot, real)) {
		buf_addf(err, "'%s' (listed in '%s') leads outside the environment, to '%s'", row, record, real);
		ret = -1;
	}
	free(real);
	buf_release(&dir);
	return ret;
}

/* Read the RECORD of the installed distribution lib/name into a new entry of rm. */
static int read_old(struct removal *rm, const struct wheel_env *env, const char *realroot, const char *lib,
		    const char *name, struct buf *err)
{
	struct buf path = BUF_INIT, text = BUF_INIT, e = BUF_INIT, rel = BUF_INIT;
	struct record r;
	struct old_dist *od;
	size_t i;
	int ret = -1;

	record_init(&r);
	GROW(rm->v, rm->alloc, rm->n + 1);
	od = &rm->v[rm->n++];
	od->distinfo = xasprintf("%s%s%s", lib, lib[0] ? "/" : "", name);
	strlist_init(&od->files);
	buf_addf(&path, "%s/%s/RECORD", env->root, od->distinfo);
	if (buf_read_file(&text, path.s)) {
		buf_addf(err, "cannot replace the installed '%s': cannot read '%s': %s", name, path.s, strerror(errno));
		goto out;
	}
	if (record_parse(text.s, text.len, &r, &e)) {
		buf_addf(err, "%s: %s", path.s, e.s);
		goto out;
	}
	for (i = 0; i < r.nr; i++) {
		buf_reset(&rel);
		if (wheel_record_target(env->root, lib, r.v[i].path, &rel)) {
			buf_addf(err, "'%s' (listed in '%s') is outside the environment", r.v[i].path, path.s);
			goto out;
		}
		if (check_parent(env->root, realroot, rel.s, r.v[i].path, path.s, err))
			goto out;
		strlist_add(&od->files, rel.s);
	}
	ret = 0;
out:
	record_release(&r);
	buf_release(&path);
	buf_release(&text);
	buf_release(&e);
	buf_release(&rel);
	return ret;
}

static int already_planned(const struct removal *rm, const char *lib, const char *name)
{
	size_t i, ll = strlen(lib);

	for (i = 0; i < rm->n; i++) {
		const char *d = rm->v[i].distinfo;

		if (ll ? strncmp(d, lib, ll) == 0 && d[ll] == '/' && strcmp(d + ll + 1, name) == 0 : strcmp(d, name) == 0)
			return 1;
	}
	return 0;
}

/* Plan the removal of every .dist-info in lib named like job's distribution. */
static int find_in(struct removal *rm, const struct wheel_env *env, const char *realroot, const char *lib,
		   const struct wheel_job *j, struct buf *err)
{
	struct buf dir = BUF_INIT, got = BUF_INIT, want = BUF_INIT, path = BUF_INIT;
	DIR *d;
	struct dirent *de;
	int ret = -1;

	name_canonicalize_to(&want, j->distinfo, strcspn(j->distinfo, "-"));
	buf_addf(&dir, "%s%s%s", env->root, lib[0] ? "/" : "", lib);
	d = opendir(dir.s);
	if (!d) {
		if (errno == ENOENT) {
			ret = 0;
		} else {
			buf_addf(err, "cannot read '%s': %s", dir.s, strerror(errno));
		}
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct stat st;

		if (len <= 10 || !ends_with(de->d_name, ".dist-info"))
			continue;
		buf_reset(&got);
		name_canonicalize_to(&got, de->d_name, strcspn(de->d_name, "-"));
		if (strcmp(got.s, want.s) != 0 || already_planned(rm, lib, de->d_name))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir.s, de->d_name);
		if (lstat(path.s, &st) || !S_ISDIR(st.st_mode))
			continue;
		if (read_old(rm, env, realroot, lib, de->d_name, err))
			goto out;
	}
	ret = 0;
out:
	if (d)
		closedir(d);
	buf_release(&dir);
	buf_release(&got);
	buf_release(&want);
	buf_release(&path);
	return ret;
}

int removal_plan(struct removal *rm, const struct wheel_env *env, const struct wheel_job *jobs, size_t n,
		 struct buf *err)
{
	char *realroot = realpath(env->root, NULL);
	size_t i, k;
	int ret = -1;

	if (!realroot) {
		buf_addf(err, "cannot resolve '%s': %s", env->root, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (find_in(rm, env, realroot, env->purelib, &jobs[i], err))
			goto out;
		if (strcmp(env->purelib, env->platlib) != 0 && find_in(rm, env, realroot, env->platlib, &jobs[i], err))
			goto out;
		for (k = 0; k < jobs[i].ni; k++)
			strlist_add(&rm->keep, jobs[i].inst[k].dest);
	}
	strlist_sort(&rm->keep);
	ret = 0;
out:
	free(realroot);
	return ret;
}

static void add_parent(struct strlist *dirs, const char *rel)
{
	const char *slash = strrchr(rel, '/');

	if (slash)
		strlist_add_owned(dirs, xstrndup(rel, (size_t)(slash - rel)));
}

/* Remove root/rel unless it is a directory (a RECORD may list one; pip leaves it too). */
static int remove_file(const char *root, const char *rel, struct buf *err)
{
	struct buf p = BUF_INIT;
	struct stat st;
	int ret = 0;

	buf_addf(&p, "%s/%s", root, rel);
	if (lstat(p.s, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(p.s) && errno != ENOENT) {
		buf_addf(err, "cannot remove '%s': %s", p.s, strerror(errno));
		ret = -1;
	}
	buf_release(&p);
	return ret;
}

/* The byte-code of the module file rel (DIR/NAME.py): DIR/__pycache__/NAME.*.pyc, and the
 * DIR/NAME.pyc and DIR/NAME.pyo of old Pythons, as pip's uninstall removes them. */
static int remove_pycache(const struct removal *rm, const char *root, const char *rel, struct strlist *dirs,
			  struct buf *err)
{
	const char *slash = strrchr(rel, '/'), *base = slash ? slash + 1 : rel;
	int dl = slash ? (int)(slash - rel) : 0;
	struct buf stem = BUF_INIT, pc = BUF_INIT, f = BUF_INIT;
	DIR *d;
	struct dirent *de;
	int ret = -1;

	buf_add(&stem, base, strlen(base) - 3);
	buf_addf(&f, "%.*s%s%s.pyc", dl, rel, slash ? "/" : "", stem.s);
	if (!is_kept(rm, f.s) && remove_file(root, f.s, err))
		goto out;
	buf_reset(&f);
	buf_addf(&f, "%.*s%s%s.pyo", dl, rel, slash ? "/" : "", stem.s);
	if (!is_kept(rm, f.s) && remove_file(root, f.s, err))
		goto out;
	buf_addch(&stem, '.');
	buf_addf(&pc, "%.*s%s__pycache__", dl, rel, slash ? "/" : "");
	buf_reset(&f);
	buf_addf(&f, "%s/%s", root, pc.s);
	d = opendir(f.s);
	if (d) {
		strlist_add(dirs, pc.s);
		while ((de = readdir(d)) != NULL) {
			if (!starts_with(de->d_name, stem.s) || !ends_with(de->d_name, ".pyc"))
				continue;
			buf_reset(&f);
			buf_addf(&f, "%s/%s", pc.s, de->d_name);
			if (!is_kept(rm, f.s) && remove_file(root, f.s, err)) {
				closedir(d);
				goto out;
			}
		}
		closedir(d);
	}
	ret = 0;
out:
	buf_release(&stem);
	buf_release(&pc);
	buf_release(&f);
	return ret;
}

/* Non-zero when everything below root/rel that is not a directory is a file being replaced. */
static int only_kept(const struct removal *rm, const char *root, struct buf *rel)
{
	struct buf p = BUF_INIT;
	struct dirent *de;
	DIR *d;
	int res = 1;

	buf_addf(&p, "%s/%s", root, rel->s);
	d = opendir(p.s);
	buf_release(&p);
	if (!d)
		return 0;
	while (res && (de = readdir(d)) != NULL) {
		size_t len = rel->len;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		buf_addf(rel, "/%s", de->d_name);
		buf_addf(&p, "%s/%s", root, rel->s);
		if (lstat(p.s, &st))
			res = 0;
		else if (S_ISDIR(st.st_mode))
			res = only_kept(rm, root, rel);
		else
			res = is_kept(rm, rel->s);
		buf_release(&p);
		buf_setlen(rel, len);
	}
	closedir(d);
	return res;
}

static int rmdir_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	return 0;
}

static int longer_first(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	return lx != ly ? (lx < ly ? 1 : -1) : strcmp(x, y);
}

/* Remove the directories in dirs (and the empty ones below them) that hold no file but replaced ones. */
static void prune(const struct removal *rm, const char *root, struct strlist *dirs)
{
	struct buf rel = BUF_INIT, p = BUF_INIT;
	size_t i;

	if (dirs->n)
		QSORT(dirs->v, dirs->n, longer_first);
	for (i = 0; i < dirs->n; i++) {
		if (i && strcmp(dirs->v[i], dirs->v[i - 1]) == 0)
			continue;
		buf_reset(&rel);
		buf_adds(&rel, dirs->v[i]);
		if (!only_kept(rm, root, &rel))
			continue;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", root, dirs->v[i]);
		nftw(p.s, rmdir_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	buf_release(&rel);
	buf_release(&p);
}

int removal_run(const struct removal *rm, const struct wheel_env *env, int distinfo, struct buf *err)
{
	struct strlist dirs = STRLIST_INIT;
	size_t i, k;
	int ret = -1;

	for (i = 0; i < rm->n; i++) {
		const struct old_dist *od = &rm->v[i];
		size_t dl = strlen(od->distinfo);

		for (k = 0; k < od->files.n; k++) {
			const char *f = od->files.v[k];

			if ((strncmp(f, od->distinfo, dl) == 0 && f[dl] == '/') != !!distinfo)
				continue;
			if (!is_kept(rm, f)) {
				if (remove_file(env->root, f, err))
					goto out;
				add_parent(&dirs, f);
			}
			if (ends_with(f, ".py") && !ends_with(f, "/.py") && strcmp(f, ".py") != 0 && remove_pycache(rm, env->root, f, &dirs, err))
				goto out;
		}
	}
	ret = 0;
out:
	prune(rm, env->root, &dirs);
	strlist_release(&dirs);
	return ret;
}
