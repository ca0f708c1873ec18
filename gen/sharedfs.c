/* sharedfs.c: an OUTDIR's file system, judged for sharing between nodes (see sharedfs.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "sharedfs.h"
#include "util.h"

/* Local file systems: only this machine sees them (unless it serves them to the nodes). */
static const char *const local_types[] = {
	"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "ramfs", "overlay", "zfs", "f2fs", "jfs",
	"reiserfs", "bcachefs",
};

/* File systems whose flock() is local to each client, or which have no atomic rename. */
static const struct {
	const char *type, *why;
} refused_types[] = {
	{ "fuse.sshfs", "its flock() is local to each node" },
	{ "fuse.s3fs", "its flock() is local to each node and its rename() is a copy" },
	{ "fuse.gcsfuse", "its flock() is local to each node and its rename() is a copy" },
	{ "fuse.goofys", "its flock() is local to each node and its rename() is a copy" },
	{ "fuse.mountpoint-s3", "it cannot rename() or lock" },
	{ "fuse.rclone", "its flock() is local to each node and its rename() is a copy" },
	{ "fuse.blobfuse2", "its flock() is local to each node" },
};

/* The next field of a mountinfo line, unescaped (\040 and the like): a new string, or NULL at
 * the end of the line. */
static char *field(const char **p)
{
	const char *s = *p;
	struct buf b = BUF_INIT;

	while (*s == ' ')
		s++;
	if (!*s || *s == '\n')
		return NULL;
	while (*s && *s != ' ' && *s != '\n') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			buf_addch(&b, (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			buf_addch(&b, *s++);
		}
	}
	*p = s;
	return buf_detach(&b, NULL);
}

/* Whether mount point mp is path or a directory above it. */
static int holds(const char *mp, const char *path)
{
	size_t n = strlen(mp);

	if (strcmp(mp, "/") == 0)
		return path[0] == '/';
	return strncmp(mp, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Parse one line into m: 0, or -1 when it is not a mountinfo line. */
static int parse_line(const char *line, struct sharedfs_mount *m)
{
	const char *p = line;
	char *f[6] = { NULL }, *opt;
	size_t i;
	int r = -1;

	memset(m, 0, sizeof(*m));
	/* ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER */
	for (i = 0; i < 6; i++)
		if (!(f[i] = field(&p)))
			goto out;
	while ((opt = field(&p)) && strcmp(opt, "-") != 0)
		free(opt);
	if (!opt)
		goto out;
	free(opt);
	m->fstype = field(&p);
	m->source = field(&p);
	opt = field(&p);
	if (!m->fstype || !m->source || !opt) {
		free(opt);
		sharedfs_mount_release(m);
		goto out;
	}
	m->options = xasprintf("%s,%s", f[5], opt);
	free(opt);
	m->point = f[4];
	f[4] = NULL;
	r = 0;
out:
	for (i = 0; i < 6; i++)
		free(f[i]);
	return r;
}

int sharedfs_find_mount(const char *mountinfo, const char *path, struct sharedfs_mount *m)
{
	const char *line = mountinfo;
	struct sharedfs_mount cur;
	size_t best = 0;
	int found = -1;

	memset(m, 0, sizeof(*m));
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char *text = nl ? xstrndup(line, (size_t)(nl - line)) : xstrdup(line);

		/* later lines are mounted later: a mount over the same point hides the earlier one */
		if (parse_line(text, &cur) == 0) {
			if (holds(cur.point, path) && strlen(cur.point) >= best) {
				best = strlen(cur.point);
				sharedfs_mount_release(m);
				*m = cur;
				found = 0;
			} else {
				sharedfs_mount_release(&cur);
			}
		}
		free(text);
		line = nl ? nl + 1 : NULL;
	}
	return found;
}

void sharedfs_mount_release(struct sharedfs_mount *m)
{
	free(m->point);
	free(m->fstype);
	free(m->source);
	free(m->options);
	memset(m, 0, sizeof(*m));
}

/* Whether the comma-separated options hold opt (a whole option, or NAME=VALUE with opt NAME=VALUE). */
static int has_option(const char *options, const char *opt)
{
	size_t n = strlen(opt);
	const char *p = options;

	while (p && *p) {
		size_t len = strcspn(p, ",");

		if (len == n && strncmp(p, opt, n) == 0)
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

enum sharedfs_verdict sharedfs_judge(const struct sharedfs_mount *m, struct buf *why)
{
	size_t i;

	if (strcmp(m->fstype, "nfs") == 0 || strcmp(m->fstype, "nfs4") == 0) {
		const char *const node_local[] = { "local_lock=flock", "local_lock=all", "nolock" };

		for (i = 0; i < ARRAY_SIZE(node_local); i++)
			if (has_option(m->options, node_local[i])) {
				buf_addf(why, "its flock() is local to each node (mounted with %s): mount it "
					 "with local_lock=none and a lock manager, or NFSv4", node_local[i]);
				return SHAREDFS_REFUSED;
			}
		return SHAREDFS_OK;
	}
	if (strcmp(m->fstype, "lustre") == 0) {
		if (has_option(m->options, "localflock")) {
			buf_adds(why, "its flock() is local to each node (mounted with localflock): mount it with flock");
			return SHAREDFS_REFUSED;
		}
		if (has_option(m->options, "noflock")) {
			buf_adds(why, "it has no flock() (mounted with noflock): mount it with flock");
			return SHAREDFS_REFUSED;
		}
		return SHAREDFS_OK;
	}
	for (i = 0; i < ARRAY_SIZE(refused_types); i++)
		if (strcmp(m->fstype, refused_types[i].type) == 0) {
			buf_adds(why, refused_types[i].why);
			return SHAREDFS_REFUSED;
		}
	for (i = 0; i < ARRAY_SIZE(local_types); i++)
		if (strcmp(m->fstype, local_types[i]) == 0) {
			buf_addf(why, "it is a local file system (%s): nodes other than this machine see it "
				 "only if this machine serves it to them at the same path", m->fstype);
			return SHAREDFS_LOCAL;
		}
	return SHAREDFS_OK;
}

enum sharedfs_verdict sharedfs_probe(const char *dir, struct buf *why)
{
	char *a = xasprintf("%s/.wbgen-fsprobe-%ld-a", dir, (long)getpid());
	char *b = xasprintf("%s/.wbgen-fsprobe-%ld-b", dir, (long)getpid());
	char *c = xasprintf("%s/.wbgen-fsprobe-%ld-c", dir, (long)getpid());
	enum sharedfs_verdict v = SHAREDFS_OK;
	int fa = open(a, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int fb = open(b, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fa < 0 || fb < 0) {
		buf_addf(why, "cannot create a file in '%s': %s", dir, strerror(errno));
		v = SHAREDFS_REFUSED;
	} else if (flock(fa, LOCK_EX | LOCK_NB) < 0) {
		buf_addf(why, "flock() fails there: %s", strerror(errno));
		v = SHAREDFS_REFUSED;
	} else if (rename(a, b) < 0) {
		buf_addf(why, "rename() over a file fails there: %s", strerror(errno));
		v = SHAREDFS_REFUSED;
	} else if (link(b, c) == 0) {
		unlink(c);
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
	free(c);
	return v;
}

enum sharedfs_verdict sharedfs_check(const char *dir, struct buf *why)
{
	struct buf info = BUF_INIT;
	struct sharedfs_mount m;
	char *real = realpath(dir, NULL);
	enum sharedfs_verdict v = SHAREDFS_OK;

	if (real && buf_read_file(&info, "/proc/self/mountinfo") == 0 &&
	    sharedfs_find_mount(info.s, real, &m) == 0) {
		v = sharedfs_judge(&m, why);
		if (v != SHAREDFS_OK)
			buf_addf(why, " (%s %s on %s)", m.fstype, m.source, m.point);
		sharedfs_mount_release(&m);
	}
	if (v != SHAREDFS_REFUSED) {
		struct buf probe = BUF_INIT;

		if (sharedfs_probe(dir, &probe) == SHAREDFS_REFUSED) {
			buf_setlen(why, 0);
			buf_adds(why, probe.s);
			v = SHAREDFS_REFUSED;
		}
		buf_release(&probe);
	}
	buf_release(&info);
	free(real);
	return v;
}
