/* hook-test.c: the hook child's environment, make's jobserver descriptors and the read-only environment. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "hook.h"
#include "tap.h"

static const char *get(char **env, const char *name)
{
	size_t n = strlen(name);

	for (; *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

static void test_env(void)
{
	char *parent[] = {
		"PATH=/usr/bin:/bin", "HOME=/home/me", "TMPDIR=/var/tmp", "LANG=C.UTF-8", "LC_ALL=C",
		"PYTHONPATH=/evil", "PIP_INDEX_URL=http://x", "MAKEFLAGS= -j8 --jobserver-auth=3,4",
		"MFLAGS=-j8", "MAKELEVEL=1", "CC=gcc", "SECRET=1", "MINE=yes", "WBGEN_PASSENV=MINE OTHER",
		"VIRTUAL_ENV=/old", "NOEQUALS", NULL,
	};
	static const struct {
		const char *name, *value; /* NULL: absent */
		int jobserver;
	} t[] = {
		{ "PATH", "/env/bin:/usr/bin:/bin", 0 },
		{ "HOME", "/priv/home", 0 },
		{ "TMPDIR", "/priv/tmp", 0 },
		{ "LANG", "C.UTF-8", 0 },
		{ "LC_ALL", "C", 0 },
		{ "PYTHONPATH", NULL, 0 },
		{ "PIP_INDEX_URL", NULL, 0 },
		{ "SECRET", NULL, 0 },
		{ "MINE", "yes", 0 },
		{ "CC", "gcc", 0 },
		{ "VIRTUAL_ENV", "/env", 0 },
		{ "SOURCE_DATE_EPOCH", "315532800", 0 },
		{ "PYTHONHASHSEED", "0", 0 },
		{ "PYTHONDONTWRITEBYTECODE", "1", 0 },
		{ "PYTHONNOUSERSITE", "1", 0 },
		{ "MAKEFLAGS", NULL, 0 },
		{ "MFLAGS", NULL, 0 },
		{ "MAKELEVEL", NULL, 0 },
		{ "MAKEFLAGS", " -j8 --jobserver-auth=3,4", 1 },
		{ "MFLAGS", "-j8", 1 },
		{ "MAKELEVEL", "1", 1 },
		{ "PATH", "/env/bin:/usr/bin:/bin", 1 },
	};
	struct hook_opts o;
	size_t i;

	hook_opts_init(&o);
	o.env = "/env";
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		char **env;

		o.jobserver = t[i].jobserver;
		env = hook_env_build(parent, &o, "/priv/home", "/priv/tmp");
		is_str(get(env, t[i].name), t[i].value, "%s with jobserver=%d", t[i].name, t[i].jobserver);
		hook_env_free(env);
	}
	{
		char *p2[] = { "SOURCE_DATE_EPOCH=42", NULL };
		char *p3[] = { "SOURCE_DATE_EPOCH=", NULL };
		char **env;

		o.source_date_epoch = "7";
		env = hook_env_build(p2, &o, "/h", "/t");
		is_str(get(env, "SOURCE_DATE_EPOCH"), "42", "the caller's SOURCE_DATE_EPOCH wins");
		is_str(get(env, "PATH"), "/env/bin", "PATH without a parent PATH");
		hook_env_free(env);
		env = hook_env_build(p3, &o, "/h", "/t");
		is_str(get(env, "SOURCE_DATE_EPOCH"), "7", "an empty one gives way to the option");
		is_str(get(env, "GIT_CEILING_DIRECTORIES"), NULL, "no source tree: no git ceiling");
		hook_env_free(env);
		o.src = "/out/work/p-1.0/src";
		env = hook_env_build(p3, &o, "/h", "/t");
		is_str(get(env, "GIT_CEILING_DIRECTORIES"), "/out/work/p-1.0", "git looks no higher than the source tree");
		hook_env_free(env);
	}
}

static void test_jobserver(void)
{
	static const struct {
		const char *in;
		int ret, r, w;
	} t[] = {
		{ " -j8 --jobserver-auth=3,4", 0, 3, 4 },
		{ "-j --jobserver-fds=5,6 -j", 0, 5, 6 },
		{ "--jobserver-fds=5,6 --jobserver-auth=7,8", 0, 7, 8 },
		{ "--jobserver-auth=7,8 --jobserver-auth=9,10", 0, 9, 10 },
		{ "-j4 --jobserver-auth=fifo:/tmp/GMfifo1", -1, 0, 0 },
		{ "-j4", -1, 0, 0 },
		{ "--jobserver-auth=3", -1, 0, 0 },
		{ "--jobserver-auth=3,", -1, 0, 0 },
		{ "--jobserver-auth=99999999,4", -1, 0, 0 },
		{ "", -1, 0, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int fds[2] = { 0, 0 };
		int r = hook_jobserver_fds(t[i].in, fds);

		is_int(r, t[i].ret, "jobserver in '%s'", t[i].in);
		if (r == 0 && t[i].ret == 0)
			ok(fds[0] == t[i].r && fds[1] == t[i].w, "descriptors of '%s'", t[i].in);
	}
	is_int(hook_jobserver_fds(NULL, (int[2]){ 0, 0 }), -1, "no MAKEFLAGS");
}

static void test_names(void)
{
	ok(hook_name_valid("build_wheel") && hook_name_valid("get_requires_for_build_wheel") &&
	   hook_name_valid("prepare_metadata_for_build_wheel") && hook_name_valid("build_sdist"),
	   "the PEP 517 hooks are known");
	ok(!hook_name_valid("build") && !hook_name_valid("") && !hook_name_valid("build_wheel "),
	   "others are not");
}

static void test_locked_flags(void)
{
	static const struct {
		unsigned long st, ms;
	} t[] = {
		{ 0, 0 },
		{ ST_RDONLY, 0 },
		{ ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC },
		{ ST_NOSUID | ST_NODEV | ST_NOEXEC, MS_NOSUID | MS_NODEV | MS_NOEXEC },
		{ ST_RDONLY | ST_NOSUID | ST_NODEV, MS_NOSUID | MS_NODEV },
		{ ST_NOATIME | ST_NODIRATIME | ST_RELATIME | ST_SYNCHRONOUS | ST_MANDLOCK, 0 },
		{ ST_NOATIME | ST_NOEXEC, MS_NOEXEC },
#if defined(ST_NOSYMFOLLOW) && defined(MS_NOSYMFOLLOW)
		{ ST_NOSYMFOLLOW | ST_NODEV, MS_NOSYMFOLLOW | MS_NODEV },
#endif
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		ok(hook_locked_mount_flags(t[i].st) == t[i].ms, "locked flags of st_flags %#lx: %#lx", t[i].st, t[i].ms);
}

static void test_env_protected(void)
{
	int first = hook_env_protected();

	ok(first == 0 || first == 1, "hook_env_protected answers 0 or 1 (%d)", first);
	ok(hook_env_protected() == first, "... the same the second time (cached)");
	/* unshare(1) makes the same namespaces; where it can, the probe must succeed */
	if (system("unshare -m true 2>/dev/null") == 0 || system("unshare -U -r -m true 2>/dev/null") == 0)
		ok(first == 1, "a mount namespace can be made here: hooks get a read-only environment");
	else
		diag("no mount namespace here (unshare -m fails): hook_env_protected() is %d", first);
}

int main(void)
{
	plan_no_plan();
	test_env();
	test_jobserver();
	test_names();
	test_locked_flags();
	test_env_protected();
	return done_testing();
}
