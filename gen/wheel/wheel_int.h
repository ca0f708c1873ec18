/* wheel_int.h: internal to the wheel module (included only by the .c files of gen/wheel/ and by its unit
 * test): what its files share. wheel_install.c installs (wheel.h's wheel_install); wheel_extract.c reads a
 * wheel's zip into a staging directory; wheel_entry.c lays a wheel out once as an entry; wheel_store.c
 * shares entries between environments; wheel_uninstall.c removes what an installed distribution's RECORD
 * lists; wheel.c (entry points, paths, RECORD targets) and wheel_amend.c (a built wheel's build tag) need
 * nothing from here. */
#ifndef WBGEN_WHEEL_INT_H
#define WBGEN_WHEEL_INT_H

#include <sys/types.h>

#include "buf.h"
#include "strlist.h"
#include "wheel/wheel.h"

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

/* A file of a wheel entry (wheel_entry.c). */
struct entry_file {
	int kind;                 /* 'f': tree/PATH; 'x': a "#!python" script, scripts/PATH */
	char *path;               /* relative to the environment root */
	char *hash;               /* RECORD's sha256 (URL-safe base64), "" for a .pyc */
	unsigned long long size;
	long long mtime;          /* nanoseconds, as the entry's MANIFEST records it */
	int exec;                 /* 'x': executable in the zip */
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
	struct entry_file *f;     /* the entry's files (wheel_entry.c) */
	size_t nf, af;
};

/* wheel_extract.c */

/* The process umask (read without changing it for good). */
mode_t wheel_umask(void);
/* Remove the tree at path (symlinks not followed); errors are ignored. */
void wheel_remove_tree(const char *path);
/* Remove the directories in dir named PREFIX + PID + "-..." (prefix, or prefix2 when not NULL)
 * whose process PID is gone: what killed installs left. */
void wheel_remove_dead(const char *dir, const char *prefix, const char *prefix2);
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

/* wheel_install.c */

/* Non-zero when name is j's RECORD (or its signature). */
int wheel_is_record_file(const struct wheel_job *j, const char *name);
/* Where member name of j goes (relative to the root), newly allocated; *script set for the
 * .data/scripts ones. NULL with err set when it cannot go anywhere. */
char *wheel_member_dest(const struct wheel_job *j, const struct wheel_env *env, const char *name, int *script,
			struct buf *err);

/* wheel_entry.c (the layout and its MANIFEST are described there) */

/* Free j's list of entry files. */
void wheel_job_files_release(struct wheel_job *j);
/* Move the members of j, extracted into j->raw and verified, to edir/tree and edir/scripts, listing
 * them in j->f. Returns 0, or -1 with err. */
int wheel_entry_lay(struct wheel_job *j, const struct wheel_env *env, const char *edir, struct buf *err);
/* Byte-compile the .py files in the lib directory of jobs[i]'s entry edirs[i] with one run of
 * python, adding each .pyc written to jobs[i]->f. final_root: the code objects name the file where
 * it is installed under final_root (a private entry), NULL: where it is (the store). scratch: a
 * directory for the file lists. Returns 0, or -1 with err. */
int wheel_entries_compile(struct wheel_job **jobs, const char *const *edirs, size_t n, const char *python,
			  const char *final_root, const char *scratch, struct buf *err);
/* Write edir/MANIFEST for j (each file's size and mtime taken now). Returns 0, or -1 with err. */
int wheel_entry_finish(struct wheel_job *j, const char *edir, struct buf *err);
/* Read edir/MANIFEST into j (j->f, distinfo, datadir, libdir: one of env's); with check, every file
 * must be there with its recorded size and mtime. Returns 0, or -1 with what is wrong in err. */
int wheel_entry_load(struct wheel_job *j, const struct wheel_env *env, const char *edir, int check,
		     struct buf *err);
/* Copy src to the new file dst with src's mode and mtime. Returns 0, or -1 with err. */
int wheel_copy_file(const char *src, const char *dst, struct buf *err);

/* How an entry's files get into an environment's staging tree. */
enum wheel_place { WHEEL_MOVE, WHEEL_LINK, WHEEL_COPY };

/* wheel_store.c */

/* The entry of j's wheel in store (*final, computed when NULL: STORE/SHA256). Returns 1 with *edir
 * = *final when it is there and whole (j loaded from it); a damaged one is reported and removed.
 * When it is missing: without lock, 0; with lock, the entry's lock is taken first (its descriptor
 * in *lock, to close once the entry is published), and 0 comes with *edir a new temporary
 * directory of the store to make it in, unless another install made it meanwhile (1). -1 with err. */
int wheel_store_find(const char *store, const struct wheel_env *env, struct wheel_job *j, char **edir,
		     char **final, int *lock, struct buf *err);
/* Rename the finished entry *edir to final (*edir becomes final); when another install made it
 * meanwhile, ours is removed and j loaded from theirs. Returns 0, or -1 with err. */
int wheel_store_publish(const struct wheel_env *env, struct wheel_job *j, char **edir, const char *final,
			struct buf *err);

/* wheel_uninstall.c */

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
