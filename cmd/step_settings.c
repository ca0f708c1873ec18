/* step_settings.c: the build side of a package's settings in the phases (see step_settings.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "settings/settings.h"
#include "sha256.h"
#include "step_settings.h"
#include "util.h"

int step_settings_refresh(const char *pkgf, json_t *pkg, char **args, size_t nargs, struct buf *err)
{
	const char *file = NULL, *dir = NULL, *patches = NULL, *variant = NULL;
	const char *name = json_string_value(json_object_get(pkg, "name"));
	const char *version = json_string_value(json_object_get(pkg, "version"));
	struct settings s;
	char *t = NULL;
	size_t i;
	int r = -1;

	for (i = 0; i + 1 < nargs; i += 2) {
		if (strcmp(args[i], "--settings-file") == 0)
			file = args[i + 1];
		else if (strcmp(args[i], "--settings-dir") == 0)
			dir = args[i + 1];
		else if (strcmp(args[i], "--patches-dir") == 0)
			patches = args[i + 1];
		else if (strcmp(args[i], "--variant") == 0)
			variant = args[i + 1];
		else
			break;
	}
	if (i != nargs || !file || !dir || !patches || !variant || !name || !version) {
		buf_adds(err, "settings: expected --settings-file F --settings-dir D --patches-dir P --variant V");
		return -1;
	}
	settings_init(&s);
	if (settings_load(&s, file, dir, patches, variant, err) < 0 ||
	    settings_pkg_json(&s, name, version, pkg, err) < 0)
		goto out;
	/* the same text as makefile_pkg_json's */
	t = json_dumps(pkg, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!t)
		die("out of memory");
	{
		struct buf b = BUF_INIT;

		buf_adds(&b, t);
		buf_addch(&b, '\n');
		if (file_equals(pkgf, b.s, b.len)) {
			if (utimensat(AT_FDCWD, pkgf, NULL, 0) < 0)
				die("cannot touch '%s':", pkgf);
		} else if (write_file(pkgf, b.s, b.len, WRITE_NOSYNC) < 0) {
			die("cannot write '%s':", pkgf);
		}
		buf_release(&b);
	}
	r = 0;
out:
	free(t);
	settings_release(&s);
	return r;
}

int step_patches_check(json_t *pkg, struct buf *err)
{
	json_t *patches = json_object_get(pkg, "patches"), *p;
	struct buf sha = BUF_INIT;
	size_t i;
	int r = 0;

	json_array_foreach(patches, i, p) {
		const char *path = json_string_value(json_object_get(p, "path"));
		const char *want = json_string_value(json_object_get(p, "sha256"));

		buf_setlen(&sha, 0);
		if (!path || !want) {
			buf_addf(err, "pkg.json: patch %zu has no path or sha256 (run wbgen resolve again)", i);
			r = -1;
		} else if (sha256_file_hex(path, &sha) < 0) {
			buf_addf(err, "cannot read the patch '%s': %s", path, strerror(errno));
			r = -1;
		} else if (strcmp(sha.s, want) != 0) {
			buf_addf(err, "the patch '%s' changed since pkg.json was written (run make again)", path);
			r = -1;
		}
		if (r)
			break;
	}
	buf_release(&sha);
	return r;
}

char *step_build_dir(json_t *pkg, const char *src, struct buf *err)
{
	const char *bd = json_string_value(json_object_get(pkg, "build_dir")), *p;

	if (!bd)
		return xstrdup(src);
	/* fromager makes an absolute build_dir relative to the tree */
	while (*bd == '/')
		bd++;
	for (p = bd; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			buf_addf(err, "build_dir '%s' leaves the source tree", bd);
			return NULL;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return *bd ? xasprintf("%s/%s", src, bd) : xstrdup(src);
}

int step_make_flag(char c)
{
	const char *m = getenv("MAKEFLAGS");
	size_t n;

	/* the first word holds the one-letter flags, without a dash ("Bk -j2 ..."), unless empty */
	if (!m || *m == '-' || *m == ' ')
		return 0;
	n = strcspn(m, " ");
	return memchr(m, c, n) != NULL;
}

/* make's -jN from MAKEFLAGS: N, or -1 (no -j, or -j without a number). */
static long make_jobs(void)
{
	const char *m = getenv("MAKEFLAGS"), *p;
	long n;

	for (p = m; p && (p = strstr(p, "-j")) != NULL; p += 2) {
		const char *q = p + 2;
		char num[16];
		size_t k = 0;

		if (p != m && p[-1] != ' ')
			continue;
		while (ascii_isdigit((unsigned char)*q) && k < sizeof(num) - 1)
			num[k++] = *q++;
		num[k] = 0;
		if (k && (*q == ' ' || !*q) && parse_int_range(num, 1, 1000000, &n) == 0)
			return n;
	}
	return -1;
}

long step_parallel_jobs(json_t *pkg)
{
	json_t *c = json_object_get(pkg, "cpu_cores_per_job"), *m = json_object_get(pkg, "memory_per_job_gb");

	return settings_parallel_jobs(json_is_integer(c) ? (long)json_integer_value(c) : 1,
				      json_is_number(m) ? json_number_value(m) : 1.0, settings_cpu_count(),
				      settings_available_gib(), make_jobs());
}

static void add_setenv(struct strlist *args, const char *k, const char *v)
{
	strlist_add(args, "--setenv");
	strlist_add_owned(args, xasprintf("%s=%s", k, v));
}

int step_settings_hook_args(json_t *pkg, const char *env, struct strlist *args, struct buf *err)
{
	json_t *cs = json_object_get(pkg, "config_settings"), *v, *pairs = json_object_get(pkg, "env"), *pr;
	struct settings_kvlist base, out;
	struct settings_effective e;
	const char *key, *path = getenv("PATH");
	char *jobs, *abs;
	size_t i, j;
	int r;

	json_object_foreach(cs, key, v) {
		if (json_is_string(v)) {
			strlist_add(args, "--config-setting");
			strlist_add_owned(args, xasprintf("%s=%s", key, json_string_value(v)));
		}
		json_array_foreach(v, j, pr) {
			strlist_add(args, "--config-setting");
			strlist_add_owned(args, xasprintf("%s=%s", key, json_string_value(pr)));
		}
	}
	settings_kvlist_init(&base);
	settings_kvlist_init(&out);
	memset(&e, 0, sizeof(e));
	jobs = xasprintf("%ld", step_parallel_jobs(pkg));
	abs = path_absolute(env);
	if (!abs)
		die("cannot get the current directory:");
	{
		char *mf = xasprintf("-j%s", jobs), *p = xasprintf("%s/bin%s%s", abs, path ? ":" : "", path ? path : "");

		settings_kvlist_set(&base, "MAKEFLAGS", mf);
		settings_kvlist_set(&base, "CMAKE_BUILD_PARALLEL_LEVEL", jobs);
		settings_kvlist_set(&base, "MAX_JOBS", jobs);
		for (i = 0; i < base.n; i++)
			add_setenv(args, base.v[i].key, base.v[i].value);
		settings_kvlist_set(&base, "PATH", p);
		settings_kvlist_set(&base, "VIRTUAL_ENV", abs);
		free(mf);
		free(p);
	}
	e.name = xstrdup(json_string_value(json_object_get(pkg, "name")));
	e.version = xstrdup(json_string_value(json_object_get(pkg, "version")));
	json_array_foreach(pairs, i, pr) {
		const char *k = json_string_value(json_array_get(pr, 0)), *val = json_string_value(json_array_get(pr, 1));

		/* appended, not set: a repeated key is expanded again in order */
		if (k && val) {
			GROW(e.env.v, e.env.alloc, e.env.n + 1);
			e.env.v[e.env.n].key = xstrdup(k);
			e.env.v[e.env.n].value = xstrdup(val);
			e.env.n++;
		}
	}
	r = settings_env_expand(&e, NULL, &base, &out, err);
	for (i = 0; r == 0 && i < out.n; i++)
		add_setenv(args, out.v[i].key, out.v[i].value);
	settings_effective_release(&e);
	settings_kvlist_release(&base);
	settings_kvlist_release(&out);
	free(jobs);
	free(abs);
	return r;
}

static int open_lock(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		die("cannot open '%s':", path);
	return fd;
}

int step_build_lock(int exclusive)
{
	int gate = open_lock(".wbgen-build.gate"), fd = open_lock(".wbgen-build.lock");

	/* the gate keeps new builds from starting while an exclusive one waits for the running ones */
	while (flock(gate, LOCK_EX) < 0)
		if (errno != EINTR)
			die("cannot lock '.wbgen-build.gate':");
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
		if (errno != EINTR)
			die("cannot lock '.wbgen-build.lock':");
	close(gate);
	return fd;
}
