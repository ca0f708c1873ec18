/* makefile.h: the generated build — OUTDIR/Makefile and the per-package input files its rules
 * depend on (OUTDIR/work/NAME-VERSION/pkg.json), written from a plan by `wbgen resolve`.
 * docs/makefile.md describes the result; rules/wbgen.mk holds the rules the Makefile includes. */
#ifndef WBGEN_MAKEFILE_H
#define WBGEN_MAKEFILE_H

#include "buf.h"
#include "plan.h"
#include "strlist.h"

struct settings;

struct makefile_opts {
	const char *wbgen;    /* absolute path of the wbgen binary (discovery runs its resolve again) */
	const char *step;     /* absolute path of wbgen-step, the program the recipes run */
	const char *datadir;  /* absolute directory of wbgen.mk and pep517_hook.py */
	const char *python;   /* the target interpreter's real executable (the build environments' base) */
	const struct settings *settings; /* per-package settings (gen/settings/settings.h), or NULL */
	/* with settings: where they were read (absolute) and the variant, for the rules that refresh
	 * pkg.json when a settings or patch file changes (NULL: no such rules) */
	const char *settings_file, *settings_dir, *patches_dir, *variant;
	const char *python_given; /* the interpreter as given, when not python (a comment), or NULL */
	/* the launcher of the heavy phases (WBGEN_LAUNCHER: "srun") and srun's extra options
	 * (WBGEN_SRUN_FLAGS, separated by spaces), docs/cluster.md; NULL: none */
	const char *launcher, *srun_flags;
	/* the shared build cache (wbgen resolve --build-cache: a directory or a URL, docs/makefile.md)
	 * and the target interpreter's identity in its keys (cache_python_identity); NULL: no cache,
	 * and the Makefile is what it is without one */
	const char *build_cache, *cache_python;
};

/* Phases per package: unpack, build-system, discover, backend, build, publish, and deps when the
 * install requirements are dynamic. */
size_t makefile_phases(const struct plan_pkg *k);
/* The build closure lists of package i: sys = the install closures of its build-system
 * requirements; backend = those of its build-backend requirements, minus sys; install = its own
 * install closure without itself. Each is a sorted list of "NAME-VERSION" (appended to). */
void makefile_closures(const struct plan *p, size_t i, struct strlist *sys, struct strlist *backend,
		       struct strlist *install);
/* The Makefile's text for plan p (order is plan_build_order's; NULL means plan order). 0, or -1 with
 * err when a settings file's path cannot be made absolute (the current directory is gone). */
int makefile_text(const struct plan *p, const size_t *order, const struct makefile_opts *o, struct buf *out,
		  struct buf *err);
/* Append the content of work/NAME-VERSION/pkg.json for package i: what its phases need (sdist,
 * build backend, interpreter, the install requirements its wheel must declare, the build side of
 * its settings). 0, or -1 with err (a settings template or a patch directory). */
int makefile_pkg_json(const struct plan *p, size_t i, const struct makefile_opts *o, struct buf *out,
		      struct buf *err);
/* With a build cache: the content of work/NAME-VERSION/cache.inputs for package i (the target
 * interpreter's identity, the ids of sys and backend: what its key depends on besides pkg.json and
 * the keys of those), appended to out. */
void makefile_cache_inputs(const struct plan *p, size_t i, const struct makefile_opts *o, struct buf *out);
/* Write outdir/Makefile and every package's work/NAME-VERSION/pkg.json (and cache.inputs with a
 * build cache), each atomically and only
 * when its content changed (so make sees an unchanged plan as unchanged), without fsync (the caller
 * flushes them before it writes what says they are complete). Returns 0 or -1 with err. */
int makefile_write(const struct plan *p, const char *outdir, const struct makefile_opts *o, struct buf *err);

#endif
