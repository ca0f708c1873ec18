/* build_wheel.c: `wbgen build-wheel`: build_wheel into a private directory, one wheel moved into WHEELDIR. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cmds.h"
#include "fsutil.h"
#include "hook.h"
#include "metadata.h"
#include "mirror.h"
#include "names.h"
#include "strlist.h"
#include "util.h"
#include "version.h"

const char usage_build_wheel[] =
	"usage: wbgen build-wheel --env DIR --src SRCDIR [--backend B] [--backend-path P]...\n"
	"                         [--config-setting K=V]... [--log FILE] [--expect NAME==VERSION]\n"
	"                         [--metadata-dir DIR]\n"
	"                         --out WHEELDIR\n"
	"\n"
	"Run the build_wheel hook into a private empty directory inside WHEELDIR, check that exactly\n"
	"one wheel came out, that its filename parses and agrees with its METADATA (and with\n"
	"--expect), then move it into WHEELDIR atomically and print its filename on stdout.\n"
	"When WHEELDIR already holds a file of that name: identical bytes keep the old file (and its\n"
	"mtime, so make sees nothing new); different bytes replace it atomically, with a note on stderr.\n"
	"The private directory is WHEELDIR/.wbgen-build.PID.*; one left by a killed run is removed by\n"
	"the next build-wheel into WHEELDIR once PID is gone.\n"
	"\n"
	"  --out WHEELDIR         where the wheel goes (created if missing)\n"
	"  --expect NAME==VERSION fail unless METADATA's Name and Version are these (compared\n"
	"                         normalised)\n"
	"  --metadata-dir DIR     the .dist-info directory made by prepare_metadata_for_build_wheel,\n"
	"                         passed to build_wheel as metadata_directory\n"
	HOOK_OPTIONS_HELP;

/* Check the built wheel at path: its filename, METADATA, and the expectation. */
static int check_wheel(const char *path, const char *base, const char *expect, struct buf *err)
{
	struct wheel_name wn = { 0 };
	struct buf md = BUF_INIT, e = BUF_INIT;
	struct metadata m;
	struct version va, vb;
	const char *name, *ver;
	int ret = -1, have_m = 0;

	if (wheel_name_parse(base, &wn, &e) < 0) {
		buf_addf(err, "the backend made a wheel with a bad filename: %s", e.s);
		goto out;
	}
	if (wheel_metadata_read(path, &md, &e) < 0) {
		buf_addf(err, "%s", e.s);
		goto out;
	}
	if (metadata_parse(md.s, md.len, &m, &e) < 0) {
		buf_addf(err, "bad METADATA in '%s': %s", base, e.s);
		goto out;
	}
	have_m = 1;
	name = metadata_get(&m, "Name");
	ver = metadata_get(&m, "Version");
	if (!name || !ver) {
		buf_addf(err, "METADATA of '%s' lacks Name or Version", base);
		goto out;
	}
	version_init(&va);
	version_init(&vb);
	if (name_cmp(name, wn.name) != 0 || version_parse(ver, &va) || version_parse(wn.version, &vb) ||
	    version_cmp(&va, &vb) != 0) {
		buf_addf(err, "wheel '%s' holds METADATA for '%s %s'", base, name, ver);
		version_release(&va);
		version_release(&vb);
		goto out;
	}
	version_release(&vb);
	if (expect) {
		const char *eq = strstr(expect, "==");
		char *ename = eq ? xstrndup(expect, (size_t)(eq - expect)) : NULL;

		version_init(&vb);
		if (!eq || !*ename || version_parse(eq + 2, &vb)) {
			buf_addf(err, "--expect '%s' is not NAME==VERSION", expect);
		} else if (name_cmp(ename, name) != 0 || version_cmp(&va, &vb) != 0) {
			buf_addf(err, "built '%s %s' ('%s'), expected '%s'", name, ver, base, expect);
		} else {
			ret = 0;
		}
		free(ename);
		version_release(&vb);
	} else {
		ret = 0;
	}
	version_release(&va);
out:
	if (have_m)
		metadata_release(&m);
	wheel_name_release(&wn);
	buf_release(&md);
	buf_release(&e);
	return ret;
}

/* Remove the private directories that killed build-wheel processes left in WHEELDIR
 * (".wbgen-build.PID.XXXXXX" whose PID no longer runs). */
static void remove_stale(const char *out)
{
	DIR *d = opendir(out);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *p = de->d_name;
		char num[24];
		size_t n = 0;
		long pid;

		if (!starts_with(p, ".wbgen-build."))
			continue;
		for (p += strlen(".wbgen-build."); ascii_isdigit((unsigned char)*p) && n < sizeof(num) - 1; p++)
			num[n++] = *p;
		num[n] = 0;
		if (*p != '.' || parse_int_range(num, 1, 0x7fffffff, &pid) < 0)
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
			char *path = xasprintf("%s/%s", out, de->d_name);

			remove_tree(path);
			free(path);
		}
	}
	closedir(d);
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

int cmd_build_wheel(int argc, char **argv)
{
	const struct command *self = command_find("build-wheel");
	const char *out = NULL, *expect = NULL, *v, *returned = NULL;
	struct hook_opts o;
	struct buf err = BUF_INIT, res = BUF_INIT;
	struct strlist wheels = STRLIST_INIT;
	char *scratch = NULL, *wdir = NULL, *result = NULL, *built = NULL, *dst = NULL;
	size_t abp = 0, acs = 0;
	int i, missing = 0, r, ret = EXIT_FAILURE_USER;
	json_t *j = NULL;
	DIR *d;
	struct dirent *de;

	hook_opts_init(&o);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			command_usage(self, 0);
			hook_opts_free(&o);
			return EXIT_OK;
		}
		r = hook_option(argc, argv, &i, &o, &abp, &acs, &missing);
		if (r < 0) {
			hook_opts_free(&o);
			return EXIT_USAGE;
		}
		if (r)
			continue;
		if ((v = option_value(argc, argv, &i, "--out", &missing)) != NULL) {
			out = v;
		} else if ((v = option_value(argc, argv, &i, "--metadata-dir", &missing)) != NULL) {
			o.metadata_dir = v;
		} else if ((v = option_value(argc, argv, &i, "--expect", &missing)) != NULL) {
			expect = v;
		} else if (missing) {
			error("build-wheel: option '%s' needs a value", argv[i]);
			hook_opts_free(&o);
			return EXIT_USAGE;
		} else if (argv[i][0] == '-') {
			hook_opts_free(&o);
			return command_bad_option(self, argv[i]);
		} else {
			error("build-wheel: unexpected argument '%s' (see 'wbgen help build-wheel')", argv[i]);
			hook_opts_free(&o);
			return EXIT_USAGE;
		}
	}
	if (!o.env || !o.src || !out) {
		error("build-wheel: --env, --src and --out are required (see 'wbgen help build-wheel')");
		hook_opts_free(&o);
		return EXIT_USAGE;
	}
	if (expect && !strstr(expect, "==")) {
		error("build-wheel: --expect '%s' is not NAME==VERSION", expect);
		hook_opts_free(&o);
		return EXIT_USAGE;
	}
	if (mkdir_p(out, 0755) < 0) {
		error("build-wheel: cannot make '%s':", out);
		goto out;
	}
	/* the private directory sits in WHEELDIR so that the final rename stays on one file system */
	remove_stale(out);
	scratch = xasprintf("%s/.wbgen-build.%ld.XXXXXX", out, (long)getpid());
	if (!mkdtemp(scratch)) {
		error("build-wheel: cannot make a directory in '%s':", out);
		free(scratch);
		scratch = NULL;
		goto out;
	}
	wdir = xasprintf("%s/wheel", scratch);
	result = xasprintf("%s/result.json", scratch);
	if (mkdir(wdir, 0755) < 0) {
		error("build-wheel: cannot make '%s':", wdir);
		goto out;
	}
	o.out_dir = wdir;
	if (hook_run(&o, "build_wheel", result, &err) < 0) {
		error("%s", err.s);
		goto out;
	}
	if (buf_read_file(&res, result) < 0) {
		error("build-wheel: cannot read '%s':", result);
		goto out;
	}
	j = json_loadb(res.s, res.len, 0, NULL);
	returned = j ? json_string_value(json_object_get(j, "return")) : NULL;
	if (!returned) {
		error("build-wheel: the build_wheel hook in '%s' returned no filename", o.src);
		goto out;
	}
	d = opendir(wdir);
	if (!d) {
		error("build-wheel: cannot list '%s':", wdir);
		goto out;
	}
	while ((de = readdir(d)) != NULL)
		if (ends_with(de->d_name, ".whl"))
			strlist_add(&wheels, de->d_name);
	closedir(d);
	strlist_sort(&wheels);
	if (wheels.n != 1) {
		error("build-wheel: build_wheel in '%s' made %zu wheels, expected exactly one%s%s", o.src,
		      wheels.n, wheels.n ? ": " : "", wheels.n ? wheels.v[0] : "");
		goto out;
	}
	if (strcmp(wheels.v[0], returned) != 0) {
		error("build-wheel: build_wheel in '%s' returned '%s' but made '%s'", o.src, returned, wheels.v[0]);
		goto out;
	}
	built = xasprintf("%s/%s", wdir, wheels.v[0]);
	if (check_wheel(built, wheels.v[0], expect, &err) < 0) {
		error("build-wheel: %s", err.s);
		goto out;
	}
	dst = xasprintf("%s/%s", out, wheels.v[0]);
	if (files_identical(built, dst)) {
		fprintf(stderr, "wbgen: build-wheel: '%s' is unchanged, keeping the existing file\n", dst);
	} else {
		int existed = path_exists(dst);

		if (fsync_path(built, O_RDONLY) < 0 || rename(built, dst) < 0) {
			error("build-wheel: cannot move '%s' to '%s':", built, dst);
			goto out;
		}
		fsync_path(out, O_RDONLY | O_DIRECTORY);
		if (existed)
			fprintf(stderr, "wbgen: build-wheel: replaced '%s', whose bytes differed\n", dst);
	}
	printf("%s\n", wheels.v[0]);
	ret = EXIT_OK;
out:
	if (scratch && remove_tree(scratch) < 0)
		warn("build-wheel: cannot remove '%s':", scratch);
	if (j)
		json_decref(j);
	strlist_release(&wheels);
	buf_release(&err);
	buf_release(&res);
	free(scratch);
	free(wdir);
	free(result);
	free(built);
	free(dst);
	hook_opts_free(&o);
	return ret;
}
