/* settings_build.c: the build side of a package's settings, as pkg.json carries them, and the
 * number of jobs its own build may run (docs/settings.md, "What the build uses"). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "settings/settings.h"
#include "sha256.h"
#include "util.h"

/* Keys of the canonical JSON form that do not change what is built from the plan's sdist: they
 * choose the version or the sdist (whose sha256 pkg.json already holds), say the wheel is not
 * built at all, or are free metadata. Editing them must not rebuild anything. */
static const char *const resolver_only[] = {
	"annotations", "download_source", "pre_built", "resolver_dist", "wheel_server_url",
};

static void set_defaults(json_t *pkg)
{
	json_object_set_new(pkg, "settings", json_null());
	json_object_set_new(pkg, "patches", json_array());
	json_object_set_new(pkg, "config_settings", json_object());
	json_object_set_new(pkg, "env", json_array());
	json_object_set_new(pkg, "build_dir", json_null());
	json_object_set_new(pkg, "build_tag", json_integer(0));
	json_object_set_new(pkg, "exclusive_build", json_false());
	json_object_set_new(pkg, "cpu_cores_per_job", json_integer(1));
	json_object_set_new(pkg, "memory_per_job_gb", json_real(1.0));
}

int settings_pkg_json(const struct settings *s, const char *name, const char *version, json_t *pkg,
		      struct buf *err)
{
	struct settings_effective e;
	struct strlist patches = STRLIST_INIT;
	json_t *j, *pl, *pn;
	struct buf sha = BUF_INIT;
	size_t i;
	int r = -1;

	if (!s) {
		set_defaults(pkg);
		return 0;
	}
	memset(&e, 0, sizeof(e));
	if (settings_effective(s, name, version, &e, err) < 0 || settings_patches(s, name, version, &patches, err) < 0)
		goto out;
	j = settings_effective_json(&e, NULL);
	for (i = 0; i < ARRAY_SIZE(resolver_only); i++)
		json_object_del(j, resolver_only[i]);
	pl = json_array();
	pn = json_array();
	for (i = 0; i < patches.n; i++) {
		char *abs = path_absolute(patches.v[i]);
		const char *base;

		if (!abs) {
			buf_addf(err, "%s: cannot get the current directory: %s", name, strerror(errno));
			json_decref(j);
			json_decref(pl);
			json_decref(pn);
			goto out;
		}
		base = strrchr(abs, '/') + 1;
		buf_setlen(&sha, 0);
		if (sha256_file_hex(abs, &sha) < 0) {
			buf_addf(err, "%s: cannot read the patch '%s': %s", name, abs, strerror(errno));
			free(abs);
			json_decref(j);
			json_decref(pl);
			json_decref(pn);
			goto out;
		}
		json_array_append_new(pl, json_pack("{s:s, s:s}", "path", abs, "sha256", sha.s));
		json_array_append_new(pn, json_pack("{s:s, s:s}", "file", base, "sha256", sha.s));
		free(abs);
	}
	/* after "name", where the canonical form has it; the file names only: moving the overrides
	 * directory changes nothing that is built */
	json_object_set_new(j, "patches", pn);
	json_object_set_new(pkg, "settings", j);
	json_object_set_new(pkg, "patches", pl);
	json_object_set(pkg, "config_settings", json_object_get(j, "config_settings"));
	json_object_set(pkg, "env", json_object_get(j, "env"));
	json_object_set(pkg, "build_dir", json_object_get(j, "build_dir"));
	json_object_set(pkg, "build_tag", json_object_get(j, "build_tag"));
	j = json_object_get(j, "build_options");
	json_object_set(pkg, "exclusive_build", json_object_get(j, "exclusive_build"));
	json_object_set(pkg, "cpu_cores_per_job", json_object_get(j, "cpu_cores_per_job"));
	json_object_set(pkg, "memory_per_job_gb", json_object_get(j, "memory_per_job_gb"));
	r = 0;
out:
	settings_effective_release(&e);
	strlist_release(&patches);
	buf_release(&sha);
	return r;
}

long settings_cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && (n = CPU_COUNT(&set)) > 0)
		return n;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

double settings_available_gib(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	double kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (starts_with(line, "MemAvailable:")) {
			kib = strtod(line + strlen("MemAvailable:"), NULL);
			break;
		}
	fclose(f);
	return kib < 0 ? -1 : kib / (1024.0 * 1024.0);
}

long settings_parallel_jobs(long cpu_cores_per_job, double memory_per_job_gb, long cpus, double avail_gib,
			    long max_jobs)
{
	long by_cpu, by_mem, n;

	if (cpu_cores_per_job < 1)
		cpu_cores_per_job = 1;
	by_cpu = cpus / cpu_cores_per_job;
	if (by_cpu < 1)
		by_cpu = 1;
	/* int(max(1.0, free // per_job)); unknown memory does not limit */
	if (avail_gib < 0 || memory_per_job_gb <= 0) {
		by_mem = by_cpu;
	} else {
		double q = avail_gib / memory_per_job_gb;

		by_mem = q >= (double)LONG_MAX ? LONG_MAX : (long)q;
		if (by_mem < 1)
			by_mem = 1;
	}
	n = by_cpu < by_mem ? by_cpu : by_mem;
	if (max_jobs < 1)
		max_jobs = cpus;
	return n < max_jobs ? n : max_jobs;
}
