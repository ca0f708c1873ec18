/* inspect.h: what a build needs to know about an sdist, read in place (no unpacking):
 * the build system from pyproject.toml (PEP 517/518 defaults when absent) and the install
 * requirements when they are static (PEP 643 PKG-INFO, or PEP 621 [project]). */
#ifndef WBGEN_INSPECT_H
#define WBGEN_INSPECT_H

#include "buf.h"
#include "strlist.h"

/* Where the static install requirements came from. */
enum deps_source {
	DEPS_DYNAMIC = 0,   /* unknown until the package is built */
	DEPS_PKG_INFO,      /* PKG-INFO, Metadata-Version >= 2.2, Requires-Dist not dynamic */
	DEPS_PYPROJECT,     /* [project].dependencies, not dynamic */
	DEPS_WHEEL_METADATA /* PEP 658 metadata of a wheel of the same version */
};

/* One install requirement; 'extra' is set for [project.optional-dependencies] entries
 * (the requirement applies when that extra is requested), NULL otherwise. */
struct dep {
	char *req;
	char *extra;
};

struct sdist_info {
	char *topdir;            /* the archive's top-level directory */
	char *name, *version;    /* from PKG-INFO (NULL when it has none) */
	char *requires_python;   /* from PKG-INFO or [project], or NULL */
	/* build system */
	int has_pyproject;
	int build_system_default; /* no [build-system] table: PEP 518 default used */
	struct strlist build_requires;
	char *build_backend;     /* never NULL after a successful inspection */
	struct strlist backend_path;
	/* install requirements */
	enum deps_source deps_source;
	struct dep *deps;
	size_t ndeps, alloc;
};

#define DEFAULT_BUILD_REQUIRES "setuptools>=40.8.0"
#define DEFAULT_BUILD_BACKEND "setuptools.build_meta:__legacy__"

/* Set up an empty info (no allocation). */
void sdist_info_init(struct sdist_info *si);
/* Free the contents. */
void sdist_info_release(struct sdist_info *si);
/* Read the sdist at path. Returns 0, or -1 with a one-line reason in err (unreadable
 * archive, pyproject.toml or PKG-INFO that does not parse or has the wrong types). */
int sdist_inspect(const char *path, struct sdist_info *si, struct buf *err);
/* sdist_inspect with pyproject.toml read from the sub-directory build_dir of the tree (fromager's
 * build_dir setting; NULL, "" or ".": the root; empty and "." segments count for nothing). PKG-INFO
 * stays at the root. */
int sdist_inspect_in(const char *path, const char *build_dir, struct sdist_info *si, struct buf *err);
/* Take the install requirements from core metadata text (a wheel's METADATA, PEP 658):
 * sets deps and deps_source = src when Requires-Dist is usable. Returns 0 or -1 with err. */
int sdist_info_deps_from_metadata(struct sdist_info *si, const char *text, size_t len, enum deps_source src,
				  struct buf *err);
/* Name of a deps_source for the plan ("pkg-info", "pyproject", "wheel-metadata", "dynamic"). */
const char *deps_source_name(enum deps_source s);

#endif
