/* resolve.c: `wbgen resolve`: requirements in, plan and fromager-compatible files out. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "cmds.h"
#include "fetch.h"
#include "discovered.h"
#include "fsutil.h"
#include "cache.h"
#include "datadir.h"
#include "makefile.h"
#include "parse_options.h"
#include "plan.h"
#include "pyenv.h"
#include "reqfile/reqfile.h"
#include "resolve/resolve.h"
#include "settings/settings.h"
#include "sharedfs.h"
#include "sha256.h"
#include "url.h"
#include "utf8.h"
#include "util.h"

#define DEFAULT_INDEX_URL "https://pypi.org/simple/"

static const char usage[] =
	"usage: wbgen resolve [REQ...] [-r FILE]... [-c FILE]... [--index-url URL]\n"
	"                     [--extra-index-url URL]... [--python PATH] [-o OUTDIR]\n"
	"                     [--cache-dir DIR] [--jobs N] [--pre] [--offline] [-v]\n"
	"                     [--settings-file FILE] [--settings-dir DIR] [--patches-dir DIR]\n"
	"                     [--variant NAME] [--min-release-age DAYS]\n"
	"                     [--launcher slurm [--srun-option OPT]...] [--build-cache DIR|URL]\n"
	"\n"
	"Resolve the requirements against the package index, download and verify the sdists,\n"
	"and write the plan into OUTDIR: plan.json, graph.json, build-order.json,\n"
	"constraints.txt, sdists-repo/downloads/, and the build: OUTDIR/Makefile (run make -jN in\n"
	"OUTDIR), work/NAME-VERSION/pkg.json and resolve-args.json (the arguments of this run, used\n"
	"when the build discovers requirements and resolves again).\n"
	"\n";

static const char usage_end[] =
	"\n"
	"Requirements that building found (OUTDIR/discovered.json: what get_requires_for_build_wheel\n"
	"returned, install requirements of packages whose metadata was dynamic) are planned as if\n"
	"they had been known up front.\n"
	"\n"
	"Credentials for private indexes come from the URL or a netrc file ($NETRC or\n"
	"~/.netrc); they are never printed. As in pip, a --hash on any requirement (or\n"
	"--require-hashes) turns on hash-checking mode: every sdist of the plan, build\n"
	"requirements included, must match a sha256 --hash given for its project.\n";

/* --build-cache as the Makefile says it: a directory made absolute, a URL without credentials
 * (netrc gives them, or WBGEN_BUILD_CACHE at make time). NULL after an error (a character make
 * cannot take). */
static char *build_cache_arg(const char *arg)
{
	char *r = cache_is_url(arg) ? url_without_credentials(arg) : path_absolute(arg);

	if (!r)
		die("cannot get the current directory:");
	if (!*arg || r[strcspn(r, " \t\n$#\\;'\"")]) {
		error("resolve: --build-cache: '%s' holds a character a Makefile cannot take (space, $, #, quotes)", arg);
		free(r);
		return NULL;
	}
	return r;
}

/* The command line of a resolve (values borrowed from argv). */
struct resolve_args {
	struct opt_list reqs, req_files, cons_files, extra_urls;
	const char *index_url, *python, *outdir, *cache_dir;
	const char *settings_file, *settings_dir, *patches_dir, *variant;
	const char *launcher;     /* "slurm", "none" or NULL */
	struct opt_list srun_options;
	const char *build_cache;  /* --build-cache, or NULL */
	long jobs, min_age;
	int pre, offline, verbose;
};

static int check_launcher(const struct option *opt, const char *arg)
{
	(void)opt;
	if (strcmp(arg, "slurm") == 0 || strcmp(arg, "none") == 0)
		return 0;
	return error("resolve: --launcher wants slurm or none, not '%s'", arg);
}

/* With a launcher, OUTDIR is shared by the nodes: refuse a file system that cannot be, and say
 * when it is a local one (docs/cluster.md). */
static int check_shared(const char *outdir, struct buf *err)
{
	struct buf why = BUF_INIT;
	enum sharedfs_verdict v = sharedfs_check(outdir, &why);

	if (v == SHAREDFS_REFUSED)
		buf_addf(err, "'%s' cannot be the OUTDIR of a build on a cluster: %s (docs/cluster.md)", outdir,
			 why.s);
	else if (v == SHAREDFS_LOCAL)
		fprintf(stderr, "wbgen: warning: OUTDIR '%s': %s\n", outdir, why.s);
	buf_release(&why);
	return v == SHAREDFS_REFUSED ? -1 : 0;
}

/* One srun option, written into the Makefile as it is (docs/cluster.md). */
static int check_srun_option(const struct option *opt, const char *arg)
{
	(void)opt;
	if (*arg && !arg[strcspn(arg, " \t\n\\$#'\"`;")])
		return 0;
	return error("resolve: --srun-option wants one option without spaces or quotes, not '%s'", arg);
}

static void add_index(struct strlist *l, const char *url)
{
	if (ends_with(url, "/"))
		strlist_add(l, url);
	else
		strlist_add_owned(l, xasprintf("%s/", url));
}

/* A failed run must not leave the previous run's plan looking current: the plan goes
 * first (its presence means the other files are complete), then the others. A successful
 * run rewrites only the files whose content changed, so make sees unchanged ones as such. */
static int remove_outputs(const char *outdir, struct buf *err)
{
	static const char *const names[] = { "plan.json", "graph.json", "build-order.json", "constraints.txt",
					     "Makefile" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *path = xasprintf("%s/%s", outdir, names[i]);
		int r = unlink(path);

		if (r < 0 && errno != ENOENT) {
			buf_addf(err, "cannot remove '%s': %s", path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}

/* Who holds the build lock fd: a resolve records "resolve PID" in it while it runs (a make's
 * `wbgen step run` writes nothing); a dead PID is a killed resolve's. */
static const char *holder(int fd, const char *what)
{
	char text[64];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	uint64_t pid;
	const char *p;

	if (n <= 8)
		return what;
	text[n] = '\0';
	text[strcspn(text, "\n")] = '\0';
	if (!starts_with(text, "resolve ") || parse_u64(text + 8, &pid) || pid == 0 || pid > INT_MAX)
		return what;
	p = kill((pid_t)pid, 0) == 0 || errno == EPERM ? "another wbgen resolve" : what;
	return p;
}

/* Another resolve, or a build resolving what it discovered, holds OUTDIR: wait for it. A build's
 * own re-resolve runs with WBGEN_LOCK_HELD set (its parent holds the lock). */
static int lock_one(const char *outdir, const char *name, const char *what)
{
	char *path = xasprintf("%s/%s", outdir, name);
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die("cannot open '%s':", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			die("cannot lock '%s':", path);
		what = holder(fd, what);
		fprintf(stderr, "wbgen: waiting for %s in %s (%s)\n", what, outdir, path);
		while (flock(fd, LOCK_EX) < 0)
			if (errno != EINTR)
				die("cannot lock '%s':", path);
	}
	free(path);
	return fd;
}

/* The build's lock first (a make running there: `wbgen step run` holds it), then the resolve lock;
 * the build's own phases take only the second, so the order cannot deadlock. Returns the two
 * descriptors in fds (closed by the caller), or -1s when WBGEN_LOCK_HELD. */
static void lock_outdir(const char *outdir, int fds[2])
{
	fds[0] = fds[1] = -1;
	if (getenv("WBGEN_LOCK_HELD"))
		return;
	fds[0] = lock_one(outdir, ".wbgen-make.lock", "the make running");
	fds[1] = lock_one(outdir, ".wbgen.lock", "another wbgen resolve");
	{
		char *text = xasprintf("resolve %ld\n", (long)getpid());

		ssize_t n = -1;

		/* only for the messages of those who wait (holder()), cleared by unlock_outdir(): a
		 * failure (a full disk) changes nothing else and is not reported */
		if (ftruncate(fds[0], 0) == 0)
			n = pwrite(fds[0], text, strlen(text), 0);
		(void)n;
		free(text);
	}
}

/* Release what lock_outdir() took. */
static void unlock_outdir(int fds[2])
{
	if (fds[0] >= 0) {
		int r = ftruncate(fds[0], 0);

		(void)r;
		close(fds[0]);
	}
	if (fds[1] >= 0)
		close(fds[1]);
}

/* Remove the temporary files of the files only resolve writes (the plan files, the Makefile,
 * pkg.json, downloaded sdists and pre-built wheels). */
static void scan_stale_temps(const char *outdir)
{
	static const char *const pats[] = {
		"plan.json", "graph.json", "build-order.json", "constraints.txt", "Makefile", "resolve-args.json",
		".wbgen-resolved", "work/*/pkg.json", "sdists-repo/downloads/*", "prebuilt/*",
	};
	size_t i, k;

	for (i = 0; i < sizeof(pats) / sizeof(*pats); i++) {
		char *pat = xasprintf("%s/%s.tmp.??????", outdir, pats[i]);
		glob_t g;

		if (glob(pat, GLOB_NOSORT, NULL, &g) == 0) {
			for (k = 0; k < g.gl_pathc; k++)
				if (unlink(g.gl_pathv[k]) < 0 && errno != ENOENT)
					warn("cannot remove the stale temporary file '%s': %s", g.gl_pathv[k],
					     strerror(errno));
			globfree(&g);
		}
		free(pat);
	}
}

/* Remove the temporary files that a killed resolve left in OUTDIR: those of the files only resolve
 * writes (the plan files, the Makefile, pkg.json, downloaded sdists). Called under the OUTDIR lock,
 * so none of them belongs to a live writer. Only a resolve that did not finish leaves any, and it
 * left OUTDIR/.wbgen-resolving behind (created here, removed by resolving_done()): without it the
 * scan (a directory read per package) is skipped. */
static void remove_stale_temps(const char *outdir)
{
	char *mark = xasprintf("%s/.wbgen-resolving", outdir);
	int fd;

	if (path_exists(mark))
		scan_stale_temps(outdir);
	fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die("cannot create '%s':", mark);
	close(fd);
	free(mark);
}

/* The run is over (done or failed, its temporary files removed): no scan next time. */
static void resolving_done(const char *outdir)
{
	char *mark = xasprintf("%s/.wbgen-resolving", outdir);

	if (unlink(mark) < 0 && errno != ENOENT)
		warn("cannot remove '%s':", mark);
	free(mark);
}

/* resolve-args.json: this run's directory and arguments, so that a build can resolve again.
 * Credentials in URLs are left out, user name included (a re-resolve finds them in netrc). With a
 * min_release_age in force, also the "now" it was measured from (time, non-zero): a build's
 * re-resolve uses the same one, so a release that comes of age meanwhile does not change the plan. */
static int write_args(const char *outdir, int argc, char **argv, const char *cache_from_env, long long now,
		      struct buf *err)
{
	json_t *v = json_object(), *a = json_array();
	char *cwd = getcwd(NULL, 0), *t, *path = xasprintf("%s/resolve-args.json", outdir);
	struct buf b = BUF_INIT;
	int i, r = 0;

	if (!cwd)
		die("cannot get the current directory:");
	for (i = 1; i < argc; i++) {
		char *arg = strstr(argv[i], "://") ? url_without_credentials(argv[i]) : xstrdup(argv[i]);

		json_array_append_new(a, json_string(arg));
		free(arg);
	}
	if (cache_from_env) {
		/* the build's re-resolve keeps the cache whatever its environment says */
		char *arg = url_without_credentials(cache_from_env);

		json_array_append_new(a, json_string("--build-cache"));
		json_array_append_new(a, json_string(cache_is_url(cache_from_env) ? arg : cache_from_env));
		free(arg);
	}
	json_object_set_new(v, "cwd", json_string(cwd));
	json_object_set_new(v, "argv", a);
	if (now)
		json_object_set_new(v, "time", json_integer(now));
	t = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!t) {
		buf_adds(err, "resolve-args.json: an argument or the current directory is not UTF-8");
		r = -1;
	} else {
		buf_adds(&b, t);
		buf_addch(&b, '\n');
		if (write_file(path, b.s, b.len, WRITE_IF_CHANGED | WRITE_NOSYNC) < 0) {
			buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
			r = -1;
		}
	}
	free(t);
	free(cwd);
	free(path);
	buf_release(&b);
	json_decref(v);
	return r;
}

/* The Makefile, the packages' pkg.json and resolve-args.json. */
static int write_build(const struct plan *plan, const struct pyenv *pe, const struct settings *settings,
		       const char *const settings_paths[3], const char *const launch[2], const char *const cache[2],
		       const char *outdir, int argc, char **argv, long long now, struct buf *err)
{
	struct makefile_opts mo;
	struct buf ident = BUF_INIT;
	char *self = realpath("/proc/self/exe", NULL), *data = wbgen_datadir(), *datadir, *step;
	int r;

	if (!self)
		die("cannot find this program (/proc/self/exe):");
	datadir = path_absolute(data);
	step = xasprintf("%s-step", self);
	if (access(step, X_OK) < 0) {
		free(step);
		step = xstrdup(WBGEN_PKGLIBEXECDIR "/wbgen-step");
	}
	mo.wbgen = self;
	mo.step = step;
	mo.datadir = datadir;
	mo.python = pe->target;
	mo.python_given = pe->executable;
	mo.settings = settings;
	mo.settings_file = path_absolute(settings_paths[0]);
	mo.settings_dir = path_absolute(settings_paths[1]);
	mo.patches_dir = path_absolute(settings_paths[2]);
	if (!datadir || !mo.settings_file || !mo.settings_dir || !mo.patches_dir)
		die("cannot get the current directory:");
	mo.variant = settings->variant;
	mo.launcher = launch[0];
	mo.srun_flags = launch[1];
	mo.build_cache = cache[0];
	mo.cache_python = NULL;
	if (cache[0]) {
		cache_python_identity(pe->markers.values[MV_IMPLEMENTATION_NAME], pe->version, pe->tags.v, pe->tags.nr,
				      &ident);
		mo.cache_python = ident.s;
	}
	r = write_args(outdir, argc, argv, cache[1], now, err);
	if (r == 0)
		r = makefile_write(plan, outdir, &mo, err);
	free((char *)mo.settings_file);
	free((char *)mo.settings_dir);
	free((char *)mo.patches_dir);
	free(self);
	free(step);
	free(data);
	free(datadir);
	buf_release(&ident);
	return r;
}

/* The "now" of min_release_age when one is in force (else 0): $WBGEN_RESOLVE_TIME, set by a build's
 * re-resolve from resolve-args.json, else the current time. */
static long long release_age_now(long min_age, const struct settings *settings)
{
	const char *t = getenv("WBGEN_RESOLVE_TIME");
	uint64_t v;
	size_t i;
	int used = min_age > 0;

	for (i = 0; i < settings->npkgs && !used; i++)
		used = settings->pkgs[i].min_release_age > 0;
	if (!used)
		return 0;
	if (t && *t && parse_u64(t, &v) == 0 && v > 0 && v < (uint64_t)1 << 62)
		return (long long)v;
	return (long long)time(NULL);
}

/* Everything but plan.json and .wbgen-resolved is written without fsync: one syncfs() makes them
 * durable before plan.json says they are complete (skipped when this run put no file in place). */
static int write_plan(const struct plan *plan, const char *outdir, unsigned long placed0, struct buf *err)
{
	if (plan_write_companions(plan, outdir, err) < 0)
		return -1;
	if (fsutil_files_placed() != placed0 && fsutil_sync(outdir) < 0) {
		buf_addf(err, "cannot flush '%s' to disk: %s", outdir, strerror(errno));
		return -1;
	}
	return plan_write_plan(plan, outdir, err);
}

/* OUTDIR/.wbgen-resolved: the sha256 of the discovered.json this plan was made from, written
 * last. A build that finds it differs from discovered.json's (a resolve was interrupted) resolves
 * again. */
static int write_resolved_mark(const char *outdir, struct buf *err)
{
	char *dpath = xasprintf("%s/discovered.json", outdir), *mpath = xasprintf("%s/.wbgen-resolved", outdir);
	struct buf d = BUF_INIT;
	int r = 0;

	if (sha256_file_hex(dpath, &d) < 0)
		buf_adds(&d, "none");
	buf_addch(&d, '\n');
	if (write_file(mpath, d.s, d.len, WRITE_IF_CHANGED) < 0) {
		buf_addf(err, "cannot write '%s': %s", mpath, strerror(errno));
		r = -1;
	}
	free(dpath);
	free(mpath);
	buf_release(&d);
	return r;
}

int cmd_resolve(int argc, char **argv)
{
	struct resolve_args a = {
		.outdir = ".",
		.settings_file = "overrides/settings.yaml",
		.settings_dir = "overrides/settings",
		.patches_dir = "overrides/patches",
		.jobs = 16,
	};
	struct option options[] = {
		OPT_ARGUMENTS(&a.reqs, 0, "REQ", "a requirement (PEP 508), like 'requests>=2'"),
		OPT_LIST('r', "requirement", &a.req_files, "FILE", "requirements file (pip's syntax)"),
		OPT_LIST('c', "constraint", &a.cons_files, "FILE", "constraints file"),
		OPT_STRING('i', "index-url", &a.index_url, "URL",
			   "the package index (default: $WBGEN_INDEX_URL, the\n"
			   "requirements file's -i, else " DEFAULT_INDEX_URL ")"),
		OPT_LIST(0, "extra-index-url", &a.extra_urls, "URL", "another index whose files are merged in"),
		OPT_STRING(0, "python", &a.python, "PATH",
			   "the target interpreter (default: python3 on PATH); the build\n"
			   "runs the real interpreter it stands for (see 'wbgen help target')"),
		OPT_STRING('o', "output-dir", &a.outdir, "DIR", "where the outputs go (default: .)"),
		OPT_STRING(0, "cache-dir", &a.cache_dir, "DIR",
			   "HTTP, sdist and interpreter cache (default: $XDG_CACHE_HOME/wbgen)"),
		OPT_INTEGER('j', "jobs", &a.jobs, "N", 1, 256, "concurrent downloads (default: 16)"),
		OPT_BOOL(0, "pre", &a.pre, "allow pre-releases"),
		OPT_BOOL(0, "offline", &a.offline, "use only the cache and the sdists already downloaded"),
		OPT_BOOL('v', "verbose", &a.verbose, "progress on standard error"),
		OPT_STRING(0, "settings-file", &a.settings_file, "FILE",
			   "fromager's global settings (default: overrides/settings.yaml)"),
		OPT_STRING(0, "settings-dir", &a.settings_dir, "DIR",
			   "per-package settings, DIR/NAME.yaml (default: overrides/settings)"),
		OPT_STRING(0, "patches-dir", &a.patches_dir, "DIR",
			   "patches, DIR/NAME-VERSION/*.patch and DIR/NAME/*.patch\n"
			   "(default: overrides/patches)"),
		OPT_STRING(0, "variant", &a.variant, "NAME", "the settings' variant (default: $WBGEN_VARIANT, else cpu)"),
		OPT_INTEGER(0, "min-release-age", &a.min_age, "DAYS", 0, 1000000,
			    "skip files uploaded less than DAYS days ago (PEP 700 upload-time),\n"
			    "unless a package's resolver_dist.min_release_age says otherwise"),
		OPT_STRING_CHECK(0, "launcher", &a.launcher, "slurm",
				 "the build runs its heavy phases (those that run Python) as Slurm\n"
				 "jobs through srun, one task each, sized from the package's\n"
				 "job settings (docs/cluster.md; make WBGEN_LAUNCHER= runs them here)",
				 check_launcher),
		OPT_LIST_CHECK(0, "srun-option", &a.srun_options, "OPT",
			       "one more option for srun, like --partition=NAME (no spaces)", check_srun_option),
		OPT_STRING(0, "build-cache", &a.build_cache, "DIR|URL",
			   "the shared build cache: wheels whose inputs were built before\n"
			   "are taken from it, the others stored into it (a directory;\n"
			   "an http(s):// or file:// URL is read only; default:\n"
			   "$WBGEN_BUILD_CACHE; docs/makefile.md)"),
		OPT_TEXT(usage_end),
		OPT_END(),
	};
	const char *index_url, *variant, *outdir, *v, *launcher, *cache_env = NULL;
	char *build_cache = NULL;
	struct buf cli = BUF_INIT, err = BUF_INIT, cache = BUF_INIT, http = BUF_INIT, srun_flags = BUF_INIT;
	struct reqset reqs, cons;
	struct resolve_options ro;
	struct discovered disc;
	struct settings settings;
	struct fetch_options fo;
	struct fetcher fetcher;
	struct pyenv pe;
	struct plan plan;
	int ret = EXIT_FAILURE_USER, lockfd[2] = { -1, -1 }, marked = 0;
	unsigned long placed0 = fsutil_files_placed();
	size_t k;

	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
	launcher = a.launcher && strcmp(a.launcher, "slurm") == 0 ? "srun" : NULL;
	if (a.srun_options.n && !launcher) {
		error("resolve: --srun-option needs --launcher slurm");
		parse_options_release(options);
		return EXIT_USAGE;
	}
	if (!a.reqs.n && !a.req_files.n) {
		error("resolve: nothing to resolve: give requirements or -r FILE (see 'wbgen help resolve')");
		parse_options_release(options);
		return EXIT_USAGE;
	}
	outdir = a.outdir;
	if (!a.build_cache && (v = getenv("WBGEN_BUILD_CACHE")) && *v)
		a.build_cache = cache_env = v;
	if (a.build_cache && !(build_cache = build_cache_arg(a.build_cache))) {
		parse_options_release(options);
		return EXIT_USAGE;
	}
	for (k = 0; k < a.srun_options.n; k++)
		buf_addf(&srun_flags, "%s%s", k ? " " : "", a.srun_options.v[k]);
	for (k = 0; k < a.reqs.n; k++) {
		buf_adds(&cli, a.reqs.v[k]);
		buf_addch(&cli, '\n');
	}

	reqset_init(&reqs);
	reqset_init(&cons);
	discovered_init(&disc);
	settings_init(&settings);
	resolve_options_init(&ro);
	pyenv_init(&pe);
	plan_init(&plan);
	fetcher.multi = NULL;
	for (k = 0; k < a.req_files.n; k++)
		if (reqset_load(&reqs, a.req_files.v[k], 0, &err) < 0)
			goto fail;
	if (a.reqs.n && reqset_load_text(&reqs, cli.s, cli.len, "command line", 0, &err) < 0)
		goto fail;
	for (k = 0; k < a.cons_files.n; k++)
		if (reqset_load(&cons, a.cons_files.v[k], 1, &err) < 0)
			goto fail;
	variant = a.variant;
	if (!variant)
		variant = getenv("WBGEN_VARIANT");
	if (!variant || !*variant)
		variant = "cpu";
	if (settings_load(&settings, a.settings_file, a.settings_dir, a.patches_dir, variant, &err) < 0)
		goto fail;

	index_url = a.index_url;
	if (!index_url)
		index_url = getenv("WBGEN_INDEX_URL");
	if (!index_url || !*index_url)
		index_url = reqs.index_url;
	if (!index_url)
		index_url = DEFAULT_INDEX_URL;
	add_index(&ro.index_urls, index_url);
	for (k = 0; k < reqs.extra_index_urls.n; k++)
		add_index(&ro.index_urls, reqs.extra_index_urls.v[k]);
	for (k = 0; k < a.extra_urls.n; k++)
		add_index(&ro.index_urls, a.extra_urls.v[k]);

	if (a.cache_dir)
		buf_adds(&cache, a.cache_dir);
	else if (pyenv_default_cache_dir(&cache) < 0) {
		buf_adds(&err, "no cache directory: set XDG_CACHE_HOME or HOME, or give --cache-dir");
		goto fail;
	}
	if (pyenv_load(&pe, a.python, cache.s, &err) < 0)
		goto fail;
	if (pe.note)
		warn("%s", pe.note);
	buf_addf(&http, "%s", cache.s);

	fetch_options_default(&fo);
	fo.max_parallel = (int)a.jobs;
	fo.cache_dir = http.s;
	fo.offline = a.offline;
	fo.netrc = getenv("NETRC");
	/* the sdists are hard links of the cache's copies; copies with WBGEN_NO_HARDLINKS=1 */
	fo.copy_files = (v = getenv("WBGEN_NO_HARDLINKS")) && *v && strcmp(v, "0") != 0;
	if (fetcher_init(&fetcher, &fo) < 0)
		die("cannot initialise libcurl");

	if (mkdir_p(outdir, 0777) < 0) {
		buf_addf(&err, "cannot create '%s': %s", outdir, strerror(errno));
		goto fail;
	}
	if (launcher && check_shared(outdir, &err) < 0)
		goto fail;
	ro.pre = a.pre || reqs.pre;
	ro.target = &pe;
	ro.outdir = outdir;
	ro.fetcher = &fetcher;
	ro.verbose = a.verbose;
	ro.settings = &settings;
	ro.min_release_age = a.min_age;
	ro.now = release_age_now(a.min_age, &settings);
	/* before reading discovered.json: a make that holds OUTDIR may still add to it */
	lock_outdir(outdir, lockfd);
	remove_stale_temps(outdir);
	marked = 1;
	{
		char *dpath = xasprintf("%s/discovered.json", outdir);
		int r = discovered_load(&disc, dpath, &err);

		free(dpath);
		if (r < 0)
			goto fail;
		ro.discovered = &disc;
	}
	if (resolve(&ro, &reqs, &cons, &plan, &err) < 0 ||
	    write_build(&plan, &pe, &settings, (const char *const[]){ a.settings_file, a.settings_dir, a.patches_dir },
			(const char *const[]){ launcher, srun_flags.s }, (const char *const[]){ build_cache, cache_env },
			outdir, argc, argv, ro.now, &err) < 0 ||
	    write_plan(&plan, outdir, placed0, &err) < 0 || write_resolved_mark(outdir, &err) < 0)
		goto fail;
	{
		size_t dyn = 0;

		for (k = 0; k < plan.n; k++)
			dyn += plan.pkgs[k].info.deps_source == DEPS_DYNAMIC;
		fprintf(stderr, "wbgen: resolved %zu package%s (%zu with dynamic install requirements) into %s/plan.json\n",
			plan.n, plan.n == 1 ? "" : "s", dyn, outdir);
		if (!getenv("WBGEN_LOCK_HELD"))
			fprintf(stderr, "wbgen: build them with: make -C %s -j%ld\n", outdir, sysconf(_SC_NPROCESSORS_ONLN));
		if (a.verbose)
			fprintf(stderr, "wbgen: %lu requests, %lu transfers (%lu not modified), %llu bytes\n",
				fetcher.requests, fetcher.transfers, fetcher.not_modified, fetcher.bytes);
	}
	ret = EXIT_OK;
	goto done;
fail:
	{
		struct buf line = BUF_INIT, rm = BUF_INIT;

		/* messages quote index pages and archives: one printable line */
		buf_add_printable(&line, err.s, err.len);
		error("%s", line.s);
		if (remove_outputs(outdir, &rm) < 0)
			error("%s", rm.s);
		buf_release(&line);
		buf_release(&rm);
	}
done:
	if (marked)
		resolving_done(outdir);
	unlock_outdir(lockfd);
	if (fetcher.multi)
		fetcher_release(&fetcher);
	plan_release(&plan);
	pyenv_release(&pe);
	resolve_options_release(&ro);
	reqset_release(&reqs);
	reqset_release(&cons);
	discovered_release(&disc);
	settings_release(&settings);
	parse_options_release(options);
	buf_release(&cli);
	buf_release(&err);
	buf_release(&cache);
	buf_release(&http);
	buf_release(&srun_flags);
	free(build_cache);
	return ret;
}
