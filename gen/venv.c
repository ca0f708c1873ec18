/* venv.c: virtual environments without running venv (see venv.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "sha256.h"
#include "venv.h"
#include "util.h"

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Non-zero when version_short ("3.11") is at least major.minor. */
static int version_at_least(const char *version_short, long want_major, long want_minor)
{
	const char *dot = strchr(version_short, '.');
	char *major_s;
	long major, minor;
	int ok;

	if (!dot)
		return 0;
	major_s = xstrndup(version_short, (size_t)(dot - version_short));
	ok = parse_int_range(major_s, 0, 1000, &major) == 0 && parse_int_range(dot + 1, 0, 1000, &minor) == 0;
	free(major_s);
	return ok && (major > want_major || (major == want_major && minor >= want_minor));
}

int venv_facts_from_answer(json_t *answer, struct venv_facts *f, struct buf *err)
{
	json_t *v = json_object_get(answer, "venv"), *p = json_object_get(v, "paths");

	memset(f, 0, sizeof(*f));
	f->executable = jstr(answer, "executable");
	f->base_executable = jstr(v, "base_executable");
	f->real_executable = jstr(v, "real_executable");
	f->version = jstr(v, "version");
	f->version_short = jstr(v, "version_short");
	f->purelib = jstr(p, "purelib");
	f->platlib = jstr(p, "platlib");
	f->scripts = jstr(p, "scripts");
	f->data = jstr(p, "data");
	f->include = jstr(p, "include");
	f->impl_name = jstr(json_object_get(answer, "tags"), "impl_name");
	f->nodot = jstr(json_object_get(answer, "tags"), "py_version_nodot");
	f->lib64 = json_is_true(json_object_get(v, "lib64"));
	if (!f->executable || !f->base_executable || !f->real_executable || !f->version || !f->version_short ||
	    !f->purelib || !f->platlib || !f->scripts || !f->data || !f->include || f->base_executable[0] != '/') {
		buf_adds(err, "the interpreter's answer lacks the facts a virtual environment needs");
		return -1;
	}
	if (!version_at_least(f->version_short, 3, 3)) {
		buf_addf(err, "python %s has no virtual environments (3.3 or newer needed)", f->version);
		return -1;
	}
	f->gitignore = version_at_least(f->version_short, 3, 13);
	if (!wheel_path_safe(f->purelib, 0) || !wheel_path_safe(f->platlib, 0) || !wheel_path_safe(f->scripts, 0) ||
	    (f->data[0] && !wheel_path_safe(f->data, 0)) || !wheel_path_safe(f->include, 0)) {
		buf_addf(err, "the interpreter's venv scheme is not relative to the environment (purelib '%s')",
			 f->purelib);
		return -1;
	}
	return 0;
}

void venv_layout_key(const struct venv_facts *f, struct buf *out)
{
	const char *ver = f->nodot ? f->nodot : f->version_short, *impl = f->impl_name ? f->impl_name : "python";
	const char *parts[] = { impl, ver, f->purelib, f->platlib, f->scripts, f->data, f->include };
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_SIZE];
	struct buf hex = BUF_INIT;
	size_t i;

	sha256_init(&c);
	for (i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		sha256_update(&c, parts[i], strlen(parts[i]) + 1);
	sha256_final(&c, d);
	sha256_hex(d, &hex);
	buf_addf(out, "%s-%s-%.12s", impl, ver, hex.s);
	buf_release(&hex);
}

void venv_cfg_text(const struct venv_facts *f, const char *dir, struct buf *out)
{
	const char *slash = strrchr(f->base_executable, '/');

	buf_addf(out, "home = %.*s\n", (int)(slash == f->base_executable ? 1 : slash - f->base_executable),
		 f->base_executable);
	buf_adds(out, "include-system-site-packages = false\n");
	buf_addf(out, "version = %s\n", f->version);
	buf_addf(out, "executable = %s\n", f->real_executable);
	buf_addf(out, "command = %s -m venv --without-pip %s\n", f->executable, dir);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* The absolute form of dir (its parent resolved, created if missing) into out. */
static int absolute_dir(const char *dir, struct buf *out, struct buf *err)
{
	struct buf parent = BUF_INIT;
	const char *base;
	char *real;
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	buf_add(&parent, dir, n);
	base = strrchr(parent.s, '/');
	if (base)
		buf_setlen(&parent, base == parent.s ? 1 : (size_t)(base - parent.s));
	else
		buf_reset(&parent);
	base = base ? dir + (base - parent.s) + 1 : dir;
	if (!n || (n == 1 && dir[0] == '/') || (dir + n - base == 1 && base[0] == '.') ||
	    (dir + n - base == 2 && base[0] == '.' && base[1] == '.')) {
		buf_addf(err, "'%s' already exists", dir);
		buf_release(&parent);
		return -1;
	}
	if (parent.len && mkdir_p(parent.s, 0777)) {
		buf_addf(err, "cannot create '%s': %s", parent.s, strerror(errno));
		buf_release(&parent);
		return -1;
	}
	real = realpath(parent.len ? parent.s : ".", NULL);
	if (!real) {
		buf_addf(err, "cannot resolve '%s': %s", parent.len ? parent.s : ".", strerror(errno));
		buf_release(&parent);
		return -1;
	}
	buf_addf(out, "%s%s%.*s", real, strcmp(real, "/") ? "/" : "", (int)(dir + n - base), base);
	free(real);
	buf_release(&parent);
	return 0;
}

static int make_dir(const char *tmp, const char *rel, struct buf *err)
{
	char *p = xasprintf("%s/%s", tmp, rel);
	int ret = 0;

	if (mkdir_p(p, 0777)) {
		buf_addf(err, "cannot create '%s': %s", p, strerror(errno));
		ret = -1;
	}
	free(p);
	return ret;
}

static int make_link(const char *tmp, const char *rel, const char *target, struct buf *err)
{
	char *p = xasprintf("%s/%s", tmp, rel);
	int ret = 0;

	if (symlink(target, p)) {
		buf_addf(err, "cannot create the symlink '%s': %s", p, strerror(errno));
		ret = -1;
	}
	free(p);
	return ret;
}

static int populate(const struct venv_facts *f, const char *tmp, const char *abs, struct buf *err)
{
	struct buf cfg = BUF_INIT, name = BUF_INIT;
	const char *exename = strrchr(f->base_executable, '/') + 1;
	char *path, *major;
	size_t k;
	int ret = -1;

	if (make_dir(tmp, f->scripts, err) || make_dir(tmp, f->include, err) || make_dir(tmp, f->purelib, err))
		goto out;
	if (f->lib64) {
		path = xasprintf("%s/lib64", tmp);
		if (!path_exists(path) && make_link(tmp, "lib64", "lib", err)) {
			free(path);
			goto out;
		}
		free(path);
	}
	/* bin/<exename> -> the base executable; python, pythonX, pythonX.Y -> exename */
	buf_addf(&name, "%s/%s", f->scripts, exename);
	if (make_link(tmp, name.s, f->base_executable, err))
		goto out;
	major = xstrndup(f->version_short, strcspn(f->version_short, "."));
	for (k = 0; k < 3; k++) {
		buf_reset(&name);
		buf_addf(&name, "%s/python%s", f->scripts, k == 0 ? "" : k == 1 ? major : f->version_short);
		path = xasprintf("%s/%s", tmp, name.s);
		if (!path_exists(path) && make_link(tmp, name.s, exename, err)) {
			free(path);
			free(major);
			goto out;
		}
		free(path);
	}
	free(major);
	if (f->gitignore) {
		static const char text[] = "# Created by venv; see https://docs.python.org/3/library/venv.html\n*\n";

		path = xasprintf("%s/.gitignore", tmp);
		if (write_file_atomic(path, text, sizeof(text) - 1)) {
			buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
			free(path);
			goto out;
		}
		free(path);
	}
	venv_cfg_text(f, abs, &cfg);
	path = xasprintf("%s/pyvenv.cfg", tmp);
	if (write_file_atomic(path, cfg.s, cfg.len)) {
		buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
		free(path);
		goto out;
	}
	free(path);
	ret = 0;
out:
	buf_release(&cfg);
	buf_release(&name);
	return ret;
}

int venv_create(const struct venv_facts *f, const char *dir, struct buf *err)
{
	struct buf abs = BUF_INIT;
	struct stat st;
	char *tmp = NULL;
	mode_t mask;
	int ret = -1;

	if (lstat(dir, &st) == 0 || errno != ENOENT) {
		buf_addf(err, "'%s' already exists", dir);
		return -1;
	}
	if (absolute_dir(dir, &abs, err))
		goto out;
	tmp = xasprintf("%s.wbgen-tmp-XXXXXX", abs.s);
	if (!mkdtemp(tmp)) {
		buf_addf(err, "cannot create a temporary directory beside '%s': %s", dir, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	mask = umask(022);
	umask(mask);
	if (chmod(tmp, 0777 & ~mask)) {
		buf_addf(err, "cannot chmod '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (populate(f, tmp, abs.s, err))
		goto out;
	if (lstat(abs.s, &st) == 0) {
		buf_addf(err, "'%s' already exists", dir);
		goto out;
	}
	if (rename(tmp, abs.s)) {
		buf_addf(err, "cannot rename '%s' to '%s': %s", tmp, abs.s, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	ret = 0;
out:
	if (tmp) {
		nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(tmp);
	}
	buf_release(&abs);
	return ret;
}

int venv_wheel_env(const struct venv_facts *f, const char *dir, const char *installer, struct wheel_env *env,
		   struct buf *err)
{
	char *real = realpath(dir, NULL);
	struct stat st;

	memset(env, 0, sizeof(*env));
	if (!real || stat(real, &st) || !S_ISDIR(st.st_mode)) {
		buf_addf(err, "environment '%s' is not a directory", dir);
		free(real);
		return -1;
	}
	env->root = real;
	env->python = xasprintf("%s/%s/python", real, f->scripts);
	env->purelib = xstrdup(f->purelib);
	env->platlib = xstrdup(f->platlib);
	env->scripts = xstrdup(f->scripts);
	env->data = xstrdup(f->data);
	env->include = xstrdup(f->include);
	env->version_short = xstrdup(f->version_short);
	env->installer = installer;
	return 0;
}
