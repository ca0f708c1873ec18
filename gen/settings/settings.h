/* settings.h: fromager-compatible per-package settings (overrides/settings/<name>.yaml, the global
 * overrides/settings.yaml) and patch files (overrides/patches/); the schema and every difference
 * from fromager are in docs/settings.md.
 *
 * settings_load reads and checks everything once; settings_effective then answers for one
 * (canonical name, version) in the loaded variant. All strings are owned by their struct.
 */
#ifndef WBGEN_SETTINGS_H
#define WBGEN_SETTINGS_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "strlist.h"

/* An ordered list of key = value strings (env, annotations). */
struct settings_kv {
	char *key, *value;
};
struct settings_kvlist {
	struct settings_kv *v;
	size_t n, alloc;
};

/* Changelog: per version (package files) or per variant (the global file), in file order. */
struct settings_log {
	char *key;
	struct strlist entries;
};
struct settings_changelog {
	struct settings_log *v;
	size_t n, alloc;
};

/* One config_settings key: a string or a list of strings. */
struct settings_config {
	char *key;
	int is_list;
	struct strlist values;  /* one value when !is_list */
};

/* variants.NAME.versions.VERSION (version-specific overrides of a variant). */
struct settings_version_override {
	char *version;          /* as written; matched against str(Version) exactly, as fromager does */
	int pre_built;          /* -1: not set */
	char *wheel_server_url;
	struct settings_kvlist env, annotations;
};

struct settings_variant {
	char *name;
	int pre_built;
	char *wheel_server_url;
	struct settings_kvlist env, annotations;
	struct settings_version_override *versions;
	size_t nversions, aversions;
};

/* One overrides/settings/<name>.yaml, with fromager's defaults for what it leaves out. */
struct settings_package {
	char *name;                      /* canonical */
	char *file;                      /* where it was read */
	char *build_dir;                 /* NULL: the sdist's root */
	struct settings_kvlist env, annotations;
	char *purl;
	char *url, *destination_filename; /* download_source templates, NULL unset */
	char *sdist_server_url;          /* resolver_dist */
	int include_sdists, include_wheels, ignore_platform;
	int use_pypi_org_metadata;       /* -1: not set */
	long min_release_age;            /* days; -1: not set (inherit the global setting) */
	struct settings_config *config;  /* config_settings, in file order */
	size_t nconfig, aconfig;
	struct settings_changelog changelog;
	int build_ext_parallel, exclusive_build;
	long cpu_cores_per_job;
	double memory_per_job_gb;
	struct strlist update_build_requires, remove_build_requires, requires_external;
	struct settings_variant *variants;
	size_t nvariants, avariants;
};

struct settings {
	char *variant;
	char *patches_dir;               /* NULL: no patches */
	struct settings_changelog changelog; /* the global file's: per variant */
	struct settings_package *pkgs;   /* sorted by name */
	size_t npkgs, apkgs;
	struct settings_package defaults; /* fromager's defaults, for packages without a file */
};

/* The settings of one package version in the loaded variant. Strings owned, pkg borrowed. */
struct settings_effective {
	char *name, *version, *variant;  /* canonical name, str(Version), variant */
	const struct settings_package *pkg; /* its file, or fromager's defaults */
	int pre_built;
	const char *wheel_server_url;    /* borrowed from pkg; NULL unset */
	char *url, *destination_filename; /* templates expanded; NULL unset */
	struct strlist changelog;        /* the global variant's entries, then the version's */
	int build_tag;                   /* 0: none */
	struct settings_kvlist env;      /* package, variant, then version entries, unexpanded, in order */
	struct settings_kvlist annotations; /* package keys overridden by the variant's, then the version's */
};

/* Set up empty settings (no allocation). */
void settings_init(struct settings *s);
/* Free everything. */
void settings_release(struct settings *s);
/* Read settings_file (fromager's global settings.yaml) and settings_dir/<name>.yaml for variant;
 * patches_dir is remembered for settings_patches. A missing file or directory is empty. Returns 0, or
 * -1 with one line in err naming the file (and line:column or the key path). */
int settings_load(struct settings *s, const char *settings_file, const char *settings_dir,
		  const char *patches_dir, const char *variant, struct buf *err);
/* The loaded file of a package (any spelling of the name), or NULL. */
const struct settings_package *settings_find(const struct settings *s, const char *name);

/* Fill e for (name, version); version may be NULL (templates then lack $version). -1 with err on
 * an invalid version or a template naming an unknown variable. Release e in both cases. */
int settings_effective(const struct settings *s, const char *name, const char *version,
		       struct settings_effective *e, struct buf *err);
/* Free e's contents. */
void settings_effective_release(struct settings_effective *e);
/* Expand e's env as fromager does: ${VAR}, $VAR, ${VAR:-default}, $$, looking up base (added first,
 * e.g. MAX_JOBS), then environ (NULL: the process's), __version__ and the earlier keys. Appends
 * the package's keys to out (a later key replaces an earlier one in place). -1 with err on an
 * undefined variable or an invalid placeholder. */
int settings_env_expand(const struct settings_effective *e, char *const *environ_,
			const struct settings_kvlist *base, struct settings_kvlist *out, struct buf *err);
/* The patch files for (name, version) in fromager's order, as paths under patches_dir: appended to
 * out. -1 with err when the directory cannot be read. */
int settings_patches(const struct settings *s, const char *name, const char *version,
		     struct strlist *out, struct buf *err);
/* The canonical JSON form of e (keys sorted; env as [key, value] pairs in order), a new
 * reference; patches (may be NULL) are listed as given. */
json_t *settings_effective_json(const struct settings_effective *e, const struct strlist *patches);

/* The build side of (name, version)'s settings as pkg.json carries them (docs/file-formats.md):
 * sets "settings" (the canonical JSON form without the keys that do not change the build, patches
 * as file names with their sha256), "patches" (absolute paths and sha256), "config_settings", "env"
 * (unexpanded pairs), "build_dir", "build_tag", "exclusive_build", "cpu_cores_per_job" and
 * "memory_per_job_gb" in pkg (borrowed). s NULL: the defaults, "settings" null. -1 with err. */
int settings_pkg_json(const struct settings *s, const char *name, const char *version, json_t *pkg,
		      struct buf *err);
/* The CPUs this process may run on (at least 1). */
long settings_cpu_count(void);
/* MemAvailable in GiB, or -1 when unknown. */
double settings_available_gib(void);
/* fromager's parallel_jobs(): min(cpus // cores per job, available memory // memory per job,
 * max_jobs), each at least 1; avail_gib < 0 does not limit, max_jobs < 1 means cpus. */
long settings_parallel_jobs(long cpu_cores_per_job, double memory_per_job_gb, long cpus, double avail_gib,
			    long max_jobs);

/* Set up an empty list (no allocation). */
void settings_kvlist_init(struct settings_kvlist *l);
/* Free the strings and the array. */
void settings_kvlist_release(struct settings_kvlist *l);
/* Set key to value (copies): replaces the value in place when key is present, else appends. */
void settings_kvlist_set(struct settings_kvlist *l, const char *key, const char *value);
/* The value of key, or NULL. */
const char *settings_kvlist_get(const struct settings_kvlist *l, const char *key);

#endif
