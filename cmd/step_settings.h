/* step_settings.h: the build side of a package's settings in the phases of `wbgen step`
 * (pkg.json's "settings", "patches", "config_settings", "env", "build_dir", "build_tag",
 * "exclusive_build", "cpu_cores_per_job", "memory_per_job_gb"; docs/settings.md). */
#ifndef WBGEN_STEP_SETTINGS_H
#define WBGEN_STEP_SETTINGS_H

#include <jansson.h>

#include "buf.h"
#include "strlist.h"

/* Recompute the settings keys of pkg (read from pkgf) with the settings that args name
 * (--settings-file F --settings-dir D --patches-dir P --variant V) and rewrite pkgf when they
 * changed, else touch it (make saw a settings file newer than it). 0, or -1 with err. */
int step_settings_refresh(const char *pkgf, json_t *pkg, char **args, size_t nargs, struct buf *err);
/* Check that every patch of pkg still has the sha256 pkg.json records. 0, or -1 with err naming it. */
int step_patches_check(json_t *pkg, struct buf *err);
/* The directory the hooks run in: src, or src/BUILD_DIR (newly allocated); NULL with err when
 * build_dir leaves the tree. */
char *step_build_dir(json_t *pkg, const char *src, struct buf *err);
/* Append to args the hook options of pkg's settings: --config-setting K=V per value, --setenv
 * for MAX_JOBS, CMAKE_BUILD_PARALLEL_LEVEL, MAKEFLAGS and the package's env expanded (fromager's
 * get_extra_environ) with env the build environment. 0, or -1 with err. */
int step_settings_hook_args(json_t *pkg, const char *env, struct strlist *args, struct buf *err);
/* The jobs the package's own build may run: fromager's parallel_jobs() with make's -jN (from
 * MAKEFLAGS) as its --jobs. */
long step_parallel_jobs(json_t *pkg);
/* Non-zero when the make running us has the one-letter flag c (B for -B, --always-make). */
int step_make_flag(char c);
/* Take the build lock of OUTDIR: shared, or exclusive for an exclusive_build package (waits
 * for every other build to end, and keeps new ones from starting). The descriptor to close. */
int step_build_lock(int exclusive);

#endif
