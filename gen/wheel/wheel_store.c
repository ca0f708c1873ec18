/* wheel_store.c: the wheel store, entries shared by the environments of a build (see wheel.h).
 *
 * STORE/<layout key>/<sha256 of the wheel file>/ is an entry (wheel_entry.c), immutable once made.
 * It is made in STORE/<key>/.tmp-PID-XXXXXX and renamed to its name when complete, so a reader sees
 * a whole entry or none; when two installs make the same entry at once the second rename fails
 * and that install uses the first one's entry (a lock per entry, STORE/<key>/.lock-SHA256, makes a
 * second maker wait for the first rather than do the same work; the locks are taken in the order
 * of the entries' names, so two installs cannot wait for each other). A temporary directory whose process is gone (a
 * killed install) is removed by the next install that uses the store. An entry found damaged (its
 * MANIFEST incomplete, a file missing or changed since) is moved aside, removed, and made again. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "sha256.h"
#include "wheel/wheel_int.h"
#include "util.h"

/* Remove the temporary entries of installs that were killed, once per process. */
static void remove_stale(const char *store)
{
	static int done;

	if (!done++)
		wheel_remove_dead(store, ".tmp-", ".damaged-");
}

/* Move the damaged entry edir out of the way and remove it (another install may do the same). */
static void discard(const char *store, const char *edir)
{
	char *aside = xasprintf("%s/.damaged-%ld-XXXXXX", store, (long)getpid());

	if (mkdtemp(aside) && rename(edir, aside) == 0)
		wheel_remove_tree(aside);
	else
		rmdir(aside);
	free(aside);
}

int wheel_store_find(const char *store, const struct wheel_env *env, struct wheel_job *j, char **edir,
		     char **final, int *lock, struct buf *err)
{
	struct buf sha = BUF_INIT, why = BUF_INIT;
	char *lockf = NULL;
	int ret = -1;

	free(*edir);
	*edir = NULL;
	if (!*final) {
		if (sha256_file_hex(j->path, &sha) < 0) {
			buf_addf(err, "cannot read '%s': %s", j->path, strerror(errno));
			goto out;
		}
		*final = xasprintf("%s/%s", store, sha.s);
	}
	remove_stale(store);
	if (lock) {
		if (mkdir_p(store, 0755) < 0) {
			buf_addf(err, "cannot create the wheel store '%s': %s", store, strerror(errno));
			goto out;
		}
		/* one maker of an entry at a time: the others wait for it instead of compiling it too */
		lockf = xasprintf("%s/.lock-%s", store, *final + strlen(store) + 1);
		*lock = open(lockf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (*lock < 0 || flock(*lock, LOCK_EX) < 0) {
			buf_addf(err, "cannot lock '%s': %s", lockf, strerror(errno));
			goto out;
		}
	}
	if (path_exists(*final)) {
		if (wheel_entry_load(j, env, *final, 1, &why) == 0) {
			*edir = xstrdup(*final);
			ret = 1;
			goto out;
		}
		warn("the wheel store's entry %s of '%s' is damaged: %s; it is made again", *final, j->path, why.s);
		discard(store, *final);
	}
	if (!lock) {
		ret = 0;
		goto out;
	}
	*edir = xasprintf("%s/.tmp-%ld-XXXXXX", store, (long)getpid());
	if (!mkdtemp(*edir)) {
		buf_addf(err, "cannot create a directory in the wheel store '%s': %s", store, strerror(errno));
		free(*edir);
		*edir = NULL;
		goto out;
	}
	ret = 0;
out:
	buf_release(&sha);
	buf_release(&why);
	free(lockf);
	return ret;
}

int wheel_store_publish(const struct wheel_env *env, struct wheel_job *j, char **edir, const char *final,
			struct buf *err)
{
	struct buf why = BUF_INIT;
	int ret = -1;

	if (rename(*edir, final) == 0) {
		free(*edir);
		*edir = xstrdup(final);
		return 0;
	}
	if (errno != EEXIST && errno != ENOTEMPTY) {
		buf_addf(err, "cannot rename '%s' to '%s': %s", *edir, final, strerror(errno));
		return -1;
	}
	/* made meanwhile by another install: that one is used, ours goes */
	wheel_remove_tree(*edir);
	free(*edir);
	*edir = xstrdup(final);
	if (wheel_entry_load(j, env, final, 1, &why) < 0)
		buf_addf(err, "the wheel store's entry %s of '%s', made meanwhile, is damaged: %s", final, j->path,
			 why.s);
	else
		ret = 0;
	buf_release(&why);
	return ret;
}
