/* wheel_impl.h: what wheel_install.c and wheel_extract.c share (not a public interface). */
#ifndef WBGEN_WHEEL_IMPL_H
#define WBGEN_WHEEL_IMPL_H

#include <sys/types.h>

#include "buf.h"
#include "strlist.h"
#include "wheel.h"

struct member {
	char *name;
	char hash[48];            /* sha256, URL-safe base64 without padding */
	unsigned long long size;
	int exec;
};

struct installed {
	char *dest;               /* relative to the environment root */
	char *hash;
	unsigned long long size;
	int distinfo;             /* moved in the last pass */
};

struct wheel_job {
	const char *path;
	char *raw;                /* STAGE/rawN */
	struct member *m;
	size_t nm, am;
	char *distinfo;           /* "name-1.0.dist-info" */
	char *datadir;            /* "name-1.0.data" */
	char *libdir;             /* purelib or platlib */
	struct installed *inst;
	size_t ni, ai;
};

/* The process umask (read without changing it for good). */
mode_t wheel_umask(void);
/* Remove the tree at path (symlinks not followed); errors are ignored. */
void wheel_remove_tree(const char *path);
/* The member called name of j (j->m is sorted once extracted), or NULL (borrowed). */
const struct member *wheel_job_member(const struct wheel_job *j, const char *name);
/* Write data to a new file at path (parents created; mode 0666 less the umask, exec adding +x as pip
 * does). Returns 0, or -1 with err. */
int wheel_write_new(const char *path, const void *data, size_t len, int exec, struct buf *err);
/* Extract the wheel j->path into j->raw with libarchive (the zip's central directory, so external
 * attributes give the executable bit), refusing unsafe names, links and duplicates; fills and sorts
 * j->m with each member's sha256 and size. Returns 0, or -1 with err. */
int wheel_extract(struct wheel_job *j, struct buf *err);
/* Read member name of j (from its extracted copy) into out. Returns 0, or -1 with err. */
int wheel_read_member(const struct wheel_job *j, const char *name, struct buf *out, struct buf *err);

/* A distribution found installed in the environment, to be replaced. */
struct old_dist {
	char *distinfo;           /* its .dist-info directory, relative to the root */
	struct strlist files;     /* what its RECORD lists, relative to the root, checked to stay inside */
};

struct removal {
	struct old_dist *v;
	size_t n, alloc;
	struct strlist keep;      /* every file the new wheels install (sorted): replaced by rename, not removed */
};

/* Set up an empty removal (no allocation). */
void removal_init(struct removal *rm);
/* Free everything rm owns. */
void removal_release(struct removal *rm);
/* Find in env the installed distributions named like the wheels jobs[0..n) (already staged) and
 * read their RECORDs into rm. Removes nothing. Returns 0, or -1 with err (no RECORD, a RECORD path
 * leaving the environment, directly or through a symbolic link). */
int removal_plan(struct removal *rm, const struct wheel_env *env, const struct wheel_job *jobs, size_t n,
		 struct buf *err);
/* Remove the planned files not in rm->keep: the old .dist-info directories' when distinfo, the
 * others (and the __pycache__ entries of their .py files) otherwise; then remove the directories
 * this left without files, as pip does. Returns 0, or -1 with err. */
int removal_run(const struct removal *rm, const struct wheel_env *env, int distinfo, struct buf *err);

#endif
