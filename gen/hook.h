/* hook.h: running one PEP 517 hook through rules/pep517_hook.py in a fresh process.
 *
 * The child is started with fork and execve (no shell): ENV/bin/python HELPER ARGS, cwd = the source
 * tree, stdin = /dev/null, stdout and stderr appended to the log file (or both to our stderr when
 * there is no log, so that wbgen's own stdout stays clean). Its environment is built from scratch:
 *
 *   kept from the caller: PATH (with ENV/bin put first), LANG, LANGUAGE, LC_*, TZ, USER, LOGNAME,
 *     the compiler variables CC CXX CPP CFLAGS CXXFLAGS CPPFLAGS LDFLAGS LDSHARED AR ARFLAGS
 *     PKG_CONFIG PKG_CONFIG_PATH, and every variable named in WBGEN_PASSENV (space-separated);
 *   set: VIRTUAL_ENV=ENV; HOME and TMPDIR to two private directories made for this run and
 *     removed after it (no ~/.pydistutils.cfg, pip.conf or stray temp files leak in or out);
 *     SOURCE_DATE_EPOCH: the caller's when set, else hook_opts.source_date_epoch when set,
 *     else 315532800 (1980-01-01, the oldest date a zip can hold), so that backends that honour
 *     it build byte-identical wheels from the same source; PYTHONHASHSEED=0;
 *     PYTHONDONTWRITEBYTECODE=1 (the source tree and the environment stay as they were);
 *     PYTHONNOUSERSITE=1; GIT_CEILING_DIRECTORIES=the source tree's parent (git finds no repository
 *     around the sdist's tree: backends that list files through git take the tree as it is);
 *   dropped: everything else, PYTHONPATH, PYTHONHOME, PIP_* and the make variables included;
 *   then hook_opts.setenv (the package's env settings, MAX_JOBS ...) replaces or adds variables.
 *
 * The network: on Linux the child enters a network namespace of its own before exec (as root
 * directly, else inside a user namespace mapping the caller's uid and gid to themselves), with only
 * a loopback interface: a build cannot reach the network, the index wbgen downloads from included.
 * WBGEN_BUILD_NETWORK=1 in wbgen's environment turns this off. Where the kernel refuses (no user
 * namespaces, a seccomp policy), one warning line goes to the log and the build runs as it is.
 *
 * The environment is read-only: on Linux the child also enters a mount namespace of its own (inside
 * the user namespace above when there is one, else directly as root, else in a new user namespace),
 * makes every mount private (nothing propagates back to the caller's namespace) and bind-mounts ENV
 * onto itself read-only, keeping the nosuid/nodev/noexec flags of the mount beneath (the kernel
 * locks them in a user namespace). Opening a file of ENV for writing, creating, removing or renaming
 * one there fails with EROFS, so a build cannot change files that other packages' environments
 * share through hard links. It needs no write to ENV: Python reads pyvenv.cfg and the modules, and
 * PYTHONDONTWRITEBYTECODE=1 is set. The source tree, the output directories, the log and the
 * private HOME and TMPDIR stay writable. This is independent of WBGEN_BUILD_NETWORK, and there is no
 * switch to turn it off (hook_env_protected() would have to follow it). Where the kernel refuses,
 * or the remount leaves ENV writable (checked with statfs), one warning line goes to the log,
 * `wbgen: warning: cannot make the build's environment read-only (STEP: ERROR); ...`, and the build
 * runs as it is. Mounts inside ENV (none in a venv wbgen makes) stay as they were.
 *
 * make's jobserver: by default MAKEFLAGS, MFLAGS and MAKELEVEL are not passed and the jobserver's
 * pipe descriptors named in MAKEFLAGS (--jobserver-auth=R,W) are closed in the child, so a
 * backend's inner make runs serially instead of multiplying the -j budget with its own. With
 * jobserver set, MAKEFLAGS/MFLAGS/MAKELEVEL are passed on unchanged (the recipe must then be a
 * '+' recipe for make to keep the descriptors open) and the inner make shares the budget.
 */
#ifndef WBGEN_HOOK_H
#define WBGEN_HOOK_H

#include <stddef.h>

#include "buf.h"

struct hook_opts {
	const char *env;           /* the environment (a venv): ENV/bin/python runs the hook */
	const char *src;           /* the source tree, the child's cwd */
	const char *backend;       /* "mod:obj.attr", NULL for the legacy setuptools default */
	const char **backend_path; /* relative to src, nr_backend_path of them */
	size_t nr_backend_path;
	const char **config;       /* "KEY=VALUE" config settings, nr_config of them */
	size_t nr_config;
	const char **setenv;       /* "KEY=VALUE" set in the child's environment last (the package's
	                            * settings), nr_setenv of them; a later KEY replaces an earlier */
	size_t nr_setenv;
	const char *out_dir;       /* directory argument of build_* and prepare_metadata_* hooks */
	const char *metadata_dir;  /* build_wheel's metadata_directory (prepare_metadata's output), or NULL */
	const char *check_requires; /* build_wheel: a JSON list of the requirements the environment was made
	                            * for; get_requires_for_build_wheel runs first in the same process and
	                            * build_wheel only when it answers that (pep517_hook.py), or NULL */
	const char *log;           /* log file (appended to), NULL: the child's output goes to stderr */
	const char *helper;        /* pep517_hook.py, NULL: hook_helper_path() */
	const char *source_date_epoch; /* default when the caller has none, NULL: 315532800 */
	int jobserver;             /* pass make's jobserver on (see above) */
};

/* Set up default options (no allocation). */
void hook_opts_init(struct hook_opts *o);
/* The helper script: wbgen_datadir()/pep517_hook.py. Newly allocated (caller frees). */
char *hook_helper_path(void);
/* Non-zero when name is a PEP 517 hook the helper knows. */
int hook_name_valid(const char *name);
/* Run hook 'name' with options o, its JSON result written by the helper to outfile.
 * Returns 0, or -1 with a one-line message in err (the hook's own last line of output quoted
 * when there is a log). */
int hook_run(const struct hook_opts *o, const char *name, const char *outfile, struct buf *err);
/* Non-zero when WBGEN_BUILD_NETWORK=1: hooks run with the network. */
int hook_network_allowed(void);
/* Non-zero when hooks get a read-only environment on this machine (see above): tried once, in a
 * forked child (a mount namespace, the bind mount and the read-only remount of a temporary directory,
 * and a file that cannot be made in it), the answer kept for the life of the process. Environments
 * that share files with others (hard links) are safe only when it is non-zero. */
int hook_env_protected(void);
/* The MS_ mount flags (MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOSYMFOLLOW) that a read-only bind
 * remount must pass to keep the flags statvfs's f_flag (ST_) shows on the mount beneath. */
unsigned long hook_locked_mount_flags(unsigned long st_flags);
/* Build the child's environment (see above) from environ-style 'parent' into a NULL-terminated,
 * newly allocated array of newly allocated strings (free with hook_env_free), or NULL with errno
 * set when o->src cannot be made absolute. home/tmp are the private directories; exposed for the
 * tests. */
char **hook_env_build(char *const *parent, const struct hook_opts *o, const char *home, const char *tmp);
/* Free an array made by hook_env_build. */
void hook_env_free(char **env);
/* The jobserver descriptors named by MAKEFLAGS's --jobserver-auth=R,W or --jobserver-fds=R,W:
 * 0 with fds[0..1] set, or -1 when there are none (a fifo: jobserver is not a descriptor). */
int hook_jobserver_fds(const char *makeflags, int fds[2]);

#endif
