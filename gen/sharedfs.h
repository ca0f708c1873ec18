/* sharedfs.h: can a directory's file system hold an OUTDIR that cluster nodes share (docs/cluster.md)?
 *
 * Two sources: what its mount says (/proc/self/mountinfo: the file system type and options, for
 * what no probe on one machine can see, such as an NFS mount whose flock() is local to each
 * client), and a probe in the directory itself (flock, rename over a file, a hard link). The
 * verdict is SHAREDFS_OK, SHAREDFS_LOCAL (a local file system: only this machine sees it, which
 * is fine when the nodes are this machine or this machine serves it) or SHAREDFS_REFUSED, with
 * one line saying why. */
#ifndef WBGEN_SHAREDFS_H
#define WBGEN_SHAREDFS_H

#include "buf.h"

enum sharedfs_verdict { SHAREDFS_OK, SHAREDFS_LOCAL, SHAREDFS_REFUSED };

/* One line of mountinfo, unescaped (each string owned). options: the mount's options, a comma,
 * then the super block's (where NFS keeps local_lock= and Lustre flock/localflock). */
struct sharedfs_mount {
	char *point, *fstype, *source, *options;
};

/* The mount in mountinfo (its text) that holds path (absolute, symbolic links resolved): the
 * last mounted of the longest mount point that is path or a parent of it. 0 with *m set, or -1
 * when no line fits. */
int sharedfs_find_mount(const char *mountinfo, const char *path, struct sharedfs_mount *m);
/* Free m's strings. */
void sharedfs_mount_release(struct sharedfs_mount *m);
/* What m's type and options say (why: one line, set for LOCAL and REFUSED). */
enum sharedfs_verdict sharedfs_judge(const struct sharedfs_mount *m, struct buf *why);
/* Probe dir (a file of its own, removed after): flock(), rename() over a file; REFUSED with why
 * when one fails. A hard link that fails is no reason (the wheel store copies then). */
enum sharedfs_verdict sharedfs_probe(const char *dir, struct buf *why);
/* Both on dir: the mount (from /proc/self/mountinfo; unknown when it cannot be read), then the
 * probe; why names the mount ("TYPE SOURCE on POINT"). */
enum sharedfs_verdict sharedfs_check(const char *dir, struct buf *why);

#endif
