/* sharedfs-test.c: the mount that holds a path (mountinfo lines as Linux writes them, escapes,
 * longest prefix, mounts over mounts), the verdicts on real-world NFS, Lustre, FUSE and local
 * mounts, and the probe in a real directory. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "sharedfs.h"
#include "tap.h"

#define ROOT "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw,discard\n"

static const struct {
	const char *mountinfo, *path;
	const char *fstype, *point; /* NULL: no mount found */
	enum sharedfs_verdict verdict;
	const char *why; /* a part of why, or NULL */
} cases[] = {
	{ ROOT "61 22 0:52 / /shared rw,relatime shared:33 - nfs4 nas:/export rw,vers=4.2,rsize=1048576,"
	       "wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=10.0.0.5,"
	       "local_lock=none,addr=10.0.0.1\n",
	  "/shared/out", "nfs4", "/shared", SHAREDFS_OK, NULL },
	{ ROOT "61 22 0:52 / /shared rw,relatime - nfs nas:/export rw,vers=3,hard,proto=tcp,mountproto=udp,"
	       "local_lock=flock,addr=10.0.0.1\n",
	  "/shared/out", "nfs", "/shared", SHAREDFS_REFUSED, "local_lock=flock" },
	{ ROOT "61 22 0:52 / /shared rw,relatime - nfs nas:/export rw,vers=3,nolock,proto=tcp,"
	       "local_lock=all,addr=10.0.0.1\n",
	  "/shared/out", "nfs", "/shared", SHAREDFS_REFUSED, "local_lock=all" },
	{ ROOT "61 22 0:52 / /shared rw,relatime - nfs nas:/export rw,vers=3,nolock,proto=tcp\n",
	  "/shared/out", "nfs", "/shared", SHAREDFS_REFUSED, "nolock" },
	{ ROOT "70 22 0:60 / /lustre rw,relatime - lustre 10.0.0.2@o2ib:/scratch rw,localflock,lazystatfs\n",
	  "/lustre/u/o", "lustre", "/lustre", SHAREDFS_REFUSED, "localflock" },
	{ ROOT "70 22 0:60 / /lustre rw,relatime - lustre 10.0.0.2@o2ib:/scratch rw,noflock,lazystatfs\n",
	  "/lustre/u/o", "lustre", "/lustre", SHAREDFS_REFUSED, "noflock" },
	{ ROOT "70 22 0:60 / /lustre rw,relatime - lustre 10.0.0.2@o2ib:/scratch rw,flock,lazystatfs\n",
	  "/lustre/u/o", "lustre", "/lustre", SHAREDFS_OK, NULL },
	{ ROOT "80 22 0:70 / /gpfs rw,relatime - gpfs gpfs1 rw\n", "/gpfs/o", "gpfs", "/gpfs", SHAREDFS_OK, NULL },
	{ ROOT "81 22 0:71 / /ceph rw - ceph 10.0.0.3:6789:/ rw,name=admin\n", "/ceph/o", "ceph", "/ceph",
	  SHAREDFS_OK, NULL },
	{ ROOT "90 22 0:80 / /home/u/remote rw,nosuid,nodev,relatime,user_id=0,group_id=0 - fuse.sshfs "
	       "u@host:/data rw,user_id=0,group_id=0\n",
	  "/home/u/remote/o", "fuse.sshfs", "/home/u/remote", SHAREDFS_REFUSED, "local to each node" },
	{ ROOT "91 22 0:81 / /s3 rw - fuse.s3fs s3fs rw\n", "/s3/o", "fuse.s3fs", "/s3", SHAREDFS_REFUSED,
	  "rename" },
	{ ROOT, "/work/o", "ext4", "/", SHAREDFS_LOCAL, "local file system (ext4)" },
	{ ROOT "30 22 0:25 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw,size=1g\n", "/tmp/o", "tmpfs", "/tmp",
	  SHAREDFS_LOCAL, "tmpfs" },
	/* the longest mount point that is a parent: /sharedx is not under /shared */
	{ ROOT "61 22 0:52 / /shared rw - nfs4 nas:/e rw,local_lock=none\n", "/sharedx/o", "ext4", "/",
	  SHAREDFS_LOCAL, NULL },
	/* the mount point itself */
	{ ROOT "61 22 0:52 / /shared rw - nfs4 nas:/e rw,local_lock=none\n", "/shared", "nfs4", "/shared",
	  SHAREDFS_OK, NULL },
	/* a mount over a mount: the later one */
	{ ROOT "61 22 0:52 / /shared rw - nfs4 nas:/e rw,local_lock=none\n"
	       "62 61 0:53 / /shared rw - tmpfs tmpfs rw\n",
	  "/shared/o", "tmpfs", "/shared", SHAREDFS_LOCAL, NULL },
	/* escapes: a space (\040) in the mount point */
	{ ROOT "63 22 0:54 / /mnt/my\\040share rw - nfs4 nas:/e rw,local_lock=flock\n", "/mnt/my share/o",
	  "nfs4", "/mnt/my share", SHAREDFS_REFUSED, NULL },
	/* optional fields before the separator, more than one */
	{ ROOT "64 22 0:55 / /opt rw shared:4 master:2 - nfs4 nas:/o rw,local_lock=none\n", "/opt/o", "nfs4",
	  "/opt", SHAREDFS_OK, NULL },
	/* a line without the separator or cut short is skipped */
	{ ROOT "65 22 0:56 / /bad rw shared:4 nfs4 nas:/o rw\n66 22 0:57 / /cut rw - nfs4\n", "/bad/o", "ext4",
	  "/", SHAREDFS_LOCAL, NULL },
	{ ROOT "66 22 0:57 / /cut rw - nfs4\n", "/cut/o", "ext4", "/", SHAREDFS_LOCAL, NULL },
	/* an unknown type is given the benefit of the doubt (the probe still runs) */
	{ ROOT "67 22 0:58 / /b rw - beegfs beegfs_nodev rw,cfgFile=/etc/beegfs/beegfs-client.conf\n", "/b/o",
	  "beegfs", "/b", SHAREDFS_OK, NULL },
	{ "", "/x", NULL, NULL, SHAREDFS_OK, NULL },
	{ "garbage\n", "/x", NULL, NULL, SHAREDFS_OK, NULL },
};

static void test_mounts(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sharedfs_mount m;
		struct buf why = BUF_INIT;
		int r = sharedfs_find_mount(cases[i].mountinfo, cases[i].path, &m);

		if (!cases[i].fstype) {
			is_int(r, -1, "case %zu: no mount holds %s", i, cases[i].path);
			continue;
		}
		if (!is_int(r, 0, "case %zu: a mount holds %s", i, cases[i].path))
			continue;
		is_str(m.fstype, cases[i].fstype, "case %zu: its type", i);
		is_str(m.point, cases[i].point, "case %zu: its mount point", i);
		is_int(sharedfs_judge(&m, &why), cases[i].verdict, "case %zu: the verdict (%s)", i, why.s);
		ok((cases[i].verdict == SHAREDFS_OK) == (why.len == 0), "case %zu: a why with each refusal", i);
		if (cases[i].why)
			ok(strstr(why.s, cases[i].why) != NULL, "case %zu: why names '%s': %s", i, cases[i].why,
			   why.s);
		buf_release(&why);
		sharedfs_mount_release(&m);
	}
}

static void test_probe(void)
{
	char tmpl[] = "/tmp/sharedfs-test.XXXXXX", tmpl2[] = "/tmp/sharedfs-test.XXXXXX";
	char *dir = mkdtemp(tmpl), *missing;
	struct buf why = BUF_INIT;
	enum sharedfs_verdict v;

	if (!ok(dir != NULL, "a temporary directory"))
		return;
	is_int(sharedfs_probe(dir, &why), SHAREDFS_OK, "the probe passes in a local directory (%s)", why.s);
	ok(rmdir(dir) == 0 || (remove_tree(dir), 0), "... and leaves no file behind");
	if (!ok((dir = mkdtemp(tmpl2)) != NULL, "another temporary directory"))
		return;
	buf_setlen(&why, 0);
	v = sharedfs_check(dir, &why);
	ok(v != SHAREDFS_REFUSED, "check: this machine's /tmp is not refused (%d: %s)", (int)v, why.s);
	ok((v == SHAREDFS_LOCAL) == (strstr(why.s, " on ") != NULL), "... a local verdict names the mount: %s",
	   why.s);
	missing = xasprintf("%s/no/such/dir", dir);
	buf_setlen(&why, 0);
	is_int(sharedfs_probe(missing, &why), SHAREDFS_REFUSED, "the probe refuses a directory it cannot write");
	ok(strstr(why.s, "cannot create a file in") != NULL, "... saying so: %s", why.s);
	free(missing);
	remove_tree(dir);
	buf_release(&why);
}

int main(void)
{
	plan_no_plan();
	test_mounts();
	test_probe();
	return done_testing();
}
