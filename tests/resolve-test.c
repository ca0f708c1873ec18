/* resolve-test.c: the resolver, driven in-process over file:// indexes that e2e/fixtures/mkindex.py
 * builds at the start (the scenarios resolve, basic, tree and backtrack), for a fixed target
 * (CPython 3.11 on x86_64 Linux). The chosen versions and the edges are checked, not only success:
 * the newest version that fits, constraints, pre-releases (PEP 440), yanked files (PEP 592),
 * requires-python, markers and extras (PEP 508), build requirements (static and found at build
 * time), choices revised in later rounds, cycles, conflicts and their messages, and PEP 691 JSON
 * pages against PEP 503 HTML ones. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discovered.h"
#include "fetch.h"
#include "fixture.h"
#include "fsutil.h"
#include "index.h"
#include "plan.h"
#include "pyenv.h"
#include "reqfile/reqfile.h"
#include "resolve/resolve.h"
#include "sha256.h"
#include "tap.h"

static char *tmpdir;
static struct pyenv target;
static struct fetcher fetcher;

static const char *const scenarios[] = { "resolve.json", "basic.json", "tree.py", "backtrack.json" };

/* A pyenv_query answer: CPython 3.11.2 on x86_64 Linux with glibc 2.36. */
static const char target_answer[] =
	"{\"markers\": {\"python_version\": \"3.11\", \"python_full_version\": \"3.11.2\", \"os_name\": \"posix\","
	" \"sys_platform\": \"linux\", \"platform_release\": \"6.1.0\", \"platform_system\": \"Linux\","
	" \"platform_version\": \"#1 SMP\", \"platform_machine\": \"x86_64\","
	" \"platform_python_implementation\": \"CPython\", \"implementation_name\": \"cpython\","
	" \"implementation_version\": \"3.11.2\"},"
	" \"tags\": {\"impl_name\": \"cpython\", \"version\": [3, 11], \"py_version_nodot\": \"311\","
	" \"py_debug\": false,"
	" \"with_pymalloc\": true, \"maxunicode_wide\": true, \"ext_suffix\": \".cpython-311-x86_64-linux-gnu.so\","
	" \"system\": \"Linux\", \"platform\": \"linux-x86_64\", \"glibc_version\": \"2.36\","
	" \"elf\": {\"class\": 2, \"data\": 1, \"machine\": 62, \"flags\": 0}}}";

/* ---- the fixtures */

static char *index_dir(const char *index)
{
	return xasprintf("%s/%s", tmpdir, index);
}

/* Replace the one occurrence of old in the file at path by new. */
static void replace_in_file(const char *path, const char *old, const char *new)
{
	struct buf b = BUF_INIT, out = BUF_INIT;
	const char *at;

	if (buf_read_file(&b, path) < 0)
		die("cannot read '%s':", path);
	at = strstr(b.s, old);
	if (!at || strstr(at + 1, old))
		BUG("'%s' is not in '%s' once", old, path);
	buf_add(&out, b.s, (size_t)(at - b.s));
	buf_adds(&out, new);
	buf_adds(&out, at + strlen(old));
	fixture_write(path, out.s);
	buf_release(&b);
	buf_release(&out);
}

/* As e2e/resolve-rules.sh and e2e/resolve-bad.sh do: rp-pkginfo 2.0's requires-python only in its
 * PKG-INFO (the index pages no longer say it), and the sdist of corrupt 1.0 garbage whose digest
 * the pages give. */
static void patch_resolve_index(void)
{
	char *dir = index_dir("resolve"), *p, *q, *sdist;
	struct buf old = BUF_INIT, new = BUF_INIT;

	p = xasprintf("%s/simple/rp-pkginfo/index.html", dir);
	q = xasprintf("%s/simple/rp-pkginfo/index.json", dir);
	replace_in_file(p, " data-requires-python=\"&gt;=3.99\"", "");
	replace_in_file(q, "\"requires-python\": \">=3.99\"", "\"requires-python\": null");
	free(p);
	free(q);
	sdist = xasprintf("%s/packages/corrupt/corrupt-1.0.tar.gz", dir);
	if (sha256_file_hex(sdist, &old) < 0)
		die("cannot read '%s':", sdist);
	fixture_write(sdist, "\x1f\x8b\x08this is not a gzip stream");
	if (sha256_file_hex(sdist, &new) < 0)
		die("cannot read '%s':", sdist);
	p = xasprintf("%s/simple/corrupt/index.html", dir);
	q = xasprintf("%s/simple/corrupt/index.json", dir);
	replace_in_file(p, old.s, new.s);
	replace_in_file(q, old.s, new.s);
	free(p);
	free(q);
	free(sdist);
	free(dir);
	buf_release(&old);
	buf_release(&new);
}

static void setup(void)
{
	struct fetch_options fo;
	struct buf err = BUF_INIT;
	json_t *answer;
	size_t i;

	if (access(fixture_python(), X_OK) != 0)
		skip_all("no Python to build the fixture indexes with (set INDEX_PYTHON)");
	tmpdir = fixture_tmpdir("resolve-test");
	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		char *name = xstrndup(scenarios[i], strcspn(scenarios[i], ".")), *dir = index_dir(name);

		if (fixture_index(scenarios[i], dir) < 0)
			die("cannot build the index of the scenario '%s'", scenarios[i]);
		free(name);
		free(dir);
	}
	answer = json_loads(target_answer, 0, NULL);
	pyenv_init(&target);
	if (!answer || pyenv_from_answer(&target, answer, &err) < 0)
		BUG("the target: %s", err.s);
	json_decref(answer);
	fetch_options_default(&fo);
	fo.max_parallel = 4;
	fetcher_init(&fetcher, &fo);
	buf_release(&err);
}

/* ---- resolving */

/* Resolve the requirements file text reqs (and constraints cons, may be NULL) against the file://
 * index of the scenario named index. The plan is set up here; the caller releases it. */
static int run(const char *index, const char *reqs, const char *cons, int pre, const struct discovered *disc,
	       struct plan *plan, struct buf *err)
{
	struct resolve_options o;
	struct reqset r, c;
	char *outdir = xasprintf("%s/out-%s", tmpdir, index);
	int rc = -1;

	resolve_options_init(&o);
	strlist_add_owned(&o.index_urls, xasprintf("file://%s/%s/simple/", tmpdir, index));
	o.target = &target;
	o.outdir = outdir;
	o.fetcher = &fetcher;
	o.discovered = disc;
	reqset_init(&r);
	reqset_init(&c);
	plan_init(plan);
	buf_reset(err);
	if (reqset_load_text(&r, reqs, strlen(reqs), "requirements.txt", 0, err) == 0 &&
	    (!cons || reqset_load_text(&c, cons, strlen(cons), "constraints.txt", 1, err) == 0)) {
		o.pre = pre || r.pre;
		rc = resolve(&o, &r, &c, plan, err);
	}
	reqset_release(&r);
	reqset_release(&c);
	resolve_options_release(&o);
	free(outdir);
	return rc;
}

/* The plan's name==version, in its order (by name), separated by spaces. */
static char *pins(const struct plan *p)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < p->n; i++)
		buf_addf(&b, "%s%s==%s", i ? " " : "", p->pkgs[i].name, p->pkgs[i].version);
	return buf_detach(&b, NULL);
}

static const struct plan_pkg *pkg(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->pkgs[i].name, name))
			return &p->pkgs[i];
	return NULL;
}

/* The edges of package name: "to==version type requirement", sorted, separated by ", ". NULL when the
 * plan has no such package. */
static char *edges(const struct plan *p, const char *name)
{
	const struct plan_pkg *k = pkg(p, name);
	struct strlist l = STRLIST_INIT;
	struct buf b = BUF_INIT;
	size_t i;

	if (!k)
		return NULL;
	for (i = 0; i < k->nedges; i++) {
		const struct plan_pkg *to = &p->pkgs[k->edges[i].to];

		strlist_add_owned(&l, xasprintf("%s==%s %s %s", to->name, to->version, req_type_name(k->edges[i].type),
						k->edges[i].req));
	}
	strlist_sort(&l);
	for (i = 0; i < l.n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", l.v[i]);
	strlist_release(&l);
	return buf_detach(&b, NULL);
}

/* A test: the edges of package name are want. */
static void is_edges(const struct plan *p, const char *name, const char *want, const char *what)
{
	char *s = edges(p, name);

	is_str(s, want, "%s", what);
	free(s);
}

struct rcase {
	const char *what;
	const char *index;  /* the scenario's name */
	const char *reqs;   /* requirements.txt */
	const char *cons;   /* constraints.txt, or NULL */
	int pre;            /* --pre */
	const char *want;   /* the whole plan (pins()), or NULL when resolving fails */
	const char *error;  /* then the message, or its start when it ends in "..." */
};

static void check_case(const struct rcase *c)
{
	struct plan plan;
	struct buf err = BUF_INIT;
	int r = run(c->index, c->reqs, c->cons, c->pre, NULL, &plan, &err);

	if (c->want) {
		char *got = pins(&plan);

		if (!ok(r == 0, "%s: resolves", c->what))
			diag("%s", err.s);
		is_str(got, c->want, "%s: the plan", c->what);
		free(got);
	} else {
		size_t n = strlen(c->error);
		int prefix = n > 3 && !strcmp(c->error + n - 3, "...");

		ok(r < 0 && plan.n == 0, "%s: fails", c->what);
		if (prefix && !ok(!strncmp(err.s, c->error, n - 3), "%s: the message starts '%.*s'", c->what,
				  (int)(n - 3), c->error))
			diag("got '%s'", err.s);
		else if (!prefix)
			is_str(err.s, c->error, "%s: the message", c->what);
		ok(!strchr(err.s, '\n'), "%s: one line", c->what);
	}
	plan_release(&plan);
	buf_release(&err);
}

#define TB " tinybuild==1.0"

static const struct rcase cases[] = {
	/* the newest version that fits; PEP 440 pre-releases only when asked for or nothing else fits */
	{ "the newest: 1.10 above 1.2, the pre-release left out", "resolve", "hv", NULL, 0, "hv==1.10" TB, NULL },
	{ "a specifier caps it", "resolve", "hv<1.10", NULL, 0, "hv==1.2" TB, NULL },
	{ "one version meets every requirement on it", "resolve", "hv>=1\nhv<1.5\nhv!=1.0", NULL, 0, "hv==1.2" TB,
	  NULL },
	{ "a specifier naming a pre-release admits them", "resolve", "hv>=2.0a1", NULL, 0, "hv==2.0b1" TB, NULL },
	{ "a pre-release when it is the only match", "resolve", "hv>1.10", NULL, 0, "hv==2.0b1" TB, NULL },
	{ "a pre-release pinned", "resolve", "hv==2.0b1", NULL, 0, "hv==2.0b1" TB, NULL },
	{ "2.0b1 is below 2: nothing matches >=2", "resolve", "hv>=2", NULL, 0, NULL,
	  "no version of 'hv' satisfies 'hv>=2' (from requirements.txt:1); available: 2.0b1 (does not match), "
	  "1.10 (does not match), 1.2 (does not match), 1.0 (does not match), 0.9 (does not match)" },
	{ "only pre-releases exist: the newest", "resolve", "only-pre", NULL, 0, "only-pre==1.0b2" TB, NULL },
	{ "--pre: pre-releases everywhere", "resolve", "hv", NULL, 1, "hv==2.0b1" TB, NULL },
	{ "--pre in the requirements file", "resolve", "--pre\nhv", NULL, 0, "hv==2.0b1" TB, NULL },
	{ "a dependency naming a pre-release gets it", "resolve", "pre-user", NULL, 0,
	  "hv==2.0b1 pre-user==1.0" TB, NULL },
	{ "... with another requirement on it", "resolve", "pre-user\nhv>=1", NULL, 0, "hv==2.0b1 pre-user==1.0" TB,
	  NULL },
	/* constraints */
	{ "a constraint lowers the choice", "resolve", "hv", "hv<1.5\n# a comment\nunrelated-project==9", 0,
	  "hv==1.2" TB, NULL },
	{ "constraints combine", "resolve", "hv", "hv<1.5\nhv!=1.2", 0, "hv==1.0" TB, NULL },
	{ "constraints apply to dependencies", "resolve", "hv-user", "hv<1.5", 0, "hv==1.2 hv-user==1.0" TB, NULL },
	{ "a constraint whose marker is false does not apply", "resolve", "hv", "hv<1.5; python_version < \"3\"", 0,
	  "hv==1.10" TB, NULL },
	{ "a constraint pins a version", "resolve", "hv", "hv==0.9", 0, "hv==0.9" TB, NULL },
	{ "a dependency that contradicts a constraint", "resolve", "pre-user", "hv<1.5", 0, NULL,
	  "requirement 'hv>=2.0b1' (from pre-user 1.0 [install] <- requirements.txt:1) conflicts with the "
	  "constraint 'hv<1.5' (constraints.txt:1)" },
	{ "a constraint that excludes every version", "resolve", "hv", "hv>=5", 0, NULL,
	  "requirement 'hv' (from requirements.txt:1) conflicts with the constraint 'hv>=5' (constraints.txt:1)" },
	/* requires-python */
	{ "requires-python on the index", "resolve", "rp", NULL, 0, "rp==1.0" TB, NULL },
	{ "requires-python on an HTML-only page", "resolve", "rp-html", NULL, 0, "rp-html==1.0" TB, NULL },
	{ "requires-python only in PKG-INFO: the next version", "resolve", "rp-pkginfo", NULL, 0,
	  "rp-pkginfo==1.0" TB, NULL },
	{ "requires-python only in PKG-INFO excludes a pinned version", "resolve", "rp-pkginfo==2.0", NULL, 0, NULL,
	  "no version of 'rp-pkginfo' satisfies 'rp-pkginfo==2.0' (from requirements.txt:1); available: "
	  "2.0 (requires-python >=3.99), 1.0 (does not match)" },
	{ "requires-python excludes a pinned version", "resolve", "rp==2.0", NULL, 0, NULL,
	  "no version of 'rp' satisfies 'rp==2.0' (from requirements.txt:1); available: 2.0 (requires-python >=3.99), "
	  "1.0 (does not match)" },
	/* yanked files (PEP 592), versions without an sdist */
	{ "a yanked file is skipped", "resolve", "yk", NULL, 0, "tinybuild==1.0 yk==1.0", NULL },
	{ "a yanked file pinned with ==", "resolve", "yk==2.0", NULL, 0, "tinybuild==1.0 yk==2.0", NULL },
	{ "a yanked file pinned with ===", "resolve", "yk===2.0", NULL, 0, "tinybuild==1.0 yk==2.0", NULL },
	{ "a yanked file pinned by a constraint", "resolve", "yk", "yk==2.0", 0, "tinybuild==1.0 yk==2.0", NULL },
	{ "a yanked file is not taken by >=", "resolve", "yk>=2", NULL, 0, NULL,
	  "no version of 'yk' satisfies 'yk>=2' (from requirements.txt:1); available: 2.0 (yanked: do not use), "
	  "1.0 (does not match)" },
	{ "a yanked file is not taken by ==2.*", "resolve", "yk==2.*", NULL, 0, NULL,
	  "no version of 'yk' satisfies 'yk==2.*' (from requirements.txt:1); available: 2.0 (yanked: do not use), "
	  "1.0 (does not match)" },
	{ "a yanked file pinned with == and fewer digits", "resolve", "yk==2", NULL, 0, "tinybuild==1.0 yk==2.0",
	  NULL },
	{ "a version without an sdist is skipped", "resolve", "nosd", NULL, 0, "nosd==1.0" TB, NULL },
	{ "a version with only a wheel", "resolve", "nosd>=2", NULL, 0, NULL,
	  "no version of 'nosd' satisfies 'nosd>=2' (from requirements.txt:1); available: 2.0 (no sdist), "
	  "1.0 (does not match)" },
	/* markers and extras (PEP 508) */
	{ "a false marker drops a requirement", "resolve", "hv\ndep-w; sys_platform == \"win32\"", NULL, 0,
	  "hv==1.10" TB, NULL },
	{ "a top-level marker on 'extra' is false", "resolve", "hv\ndep-w; extra == \"x\"", NULL, 0, "hv==1.10" TB,
	  NULL },
	{ "a true marker keeps it", "resolve", "dep-w; sys_platform == \"linux\" and python_version >= \"3.11\"", NULL,
	  0, "dep-w==1.0" TB, NULL },
	{ "an extra pulls its requirements", "resolve", "ext[a]", NULL, 0, "dep-a==1.0 ext==1.0" TB, NULL },
	{ "extras of extras", "resolve", "ext[all]", NULL, 0, "dep-a==1.0 dep-b==1.0 ext==1.0" TB, NULL },
	{ "an extra whose requirement has a false marker", "resolve", "ext[win]", NULL, 0, "ext==1.0" TB, NULL },
	{ "no extras, no extra requirements", "resolve", "ext", NULL, 0, "ext==1.0" TB, NULL },
	{ "extras asked for by a dependency", "resolve", "ext-user", NULL, 0, "dep-a==1.0 ext==1.0 ext-user==1.0" TB,
	  NULL },
	{ "extras by a name not normalised", "resolve", "EXT[A]", NULL, 0, "dep-a==1.0 ext==1.0" TB, NULL },
	{ "[project] optional-dependencies", "resolve", "ext-pp[x]", NULL, 0, "dep-c==1.0 ext-pp==1.0" TB, NULL },
	{ "extras of two requirements merge", "resolve", "ext-pp[x]\next-pp[y]", NULL, 0,
	  "dep-c==1.0 dep-w==1.0 ext-pp==1.0" TB, NULL },
	{ "an unknown extra is ignored", "resolve", "ext[nosuch]", NULL, 0, "ext==1.0" TB, NULL },
	/* where install requirements come from; build systems */
	{ "install requirements: PKG-INFO, [project], wheel metadata, dynamic", "resolve",
	  "src-pkginfo\nsrc-pyproject\nsrc-wheel\nsrc-dyn", NULL, 0,
	  "dep-a==1.0 dep-b==1.0 dep-c==1.0 src-dyn==1.0 src-pkginfo==1.0 src-pyproject==1.0 src-wheel==1.0" TB, NULL },
	{ "build systems: defaults and build requirements", "resolve", "bs-setup-py\nbs-nobackend\nbs-notable", NULL,
	  0, "bs-nobackend==1.0 bs-notable==1.0 bs-setup-py==1.0 dep-a==1.0 dep-b==1.0 setuptools==70.0" TB, NULL },
	{ "a build cycle resolves (the build order refuses it)", "resolve", "bc-a", NULL, 0,
	  "bc-a==1.0 bc-b==1.0" TB, NULL },
	/* failures */
	{ "two pins conflict", "resolve", "hv==1.0\nhv==1.2", NULL, 0, NULL,
	  "conflicting requirements on 'hv': 'hv==1.0' (from requirements.txt:1) and 'hv==1.2' (from "
	  "requirements.txt:2)" },
	{ "a conflict names both requirements and their chains", "resolve", "cf-a\ncf-b", NULL, 0, NULL,
	  "conflicting requirements on 'shared': 'shared<2' (from cf-a 1.0 [install] <- requirements.txt:1) and "
	  "'shared>=2' (from cf-c 1.0 [install] <- cf-b 1.0 [install] <- requirements.txt:2)" },
	{ "an unknown project", "resolve", "no-such-project", NULL, 0, NULL,
	  "no such project 'no-such-project' on the index (requirements.txt:1)" },
	{ "an unknown project among known ones", "resolve", "hv\nno-such-project", NULL, 0, NULL,
	  "no such project 'no-such-project' on the index (requirements.txt:2)" },
	{ "a direct URL requirement", "resolve", "dep-a @ https://example.invalid/x.tar.gz", NULL, 0, NULL,
	  "'dep-a @ https://example.invalid/x.tar.gz': direct URL requirements are not supported, wbgen builds from "
	  "an index (requirements.txt:1)" },
	{ "a direct URL in a package's requirements", "resolve", "url-dep", NULL, 0, NULL,
	  "'dep-a @ https://example.invalid/dep_a-1.0.tar.gz': direct URL requirements are not supported, wbgen "
	  "builds from an index (url-dep 1.0)" },
	{ "a malformed requirement in an sdist's metadata", "resolve", "bad-req", NULL, 0, NULL,
	  "bad-req 1.0: install requirement: ..." },
	{ "a pyproject.toml that does not parse", "resolve", "bad-toml", NULL, 0, NULL,
	  "bad-toml 1.0: sdist 'bad_toml-1.0.tar.gz': pyproject.toml:..." },
	{ "a corrupt sdist", "resolve", "corrupt", NULL, 0, NULL, "corrupt 1.0: sdist 'corrupt-1.0.tar.gz': ..." },
	{ "choices that never settle name the project", "resolve", "osc-p", NULL, 0, NULL,
	  "the resolution did not settle after 100 rounds: the choice of 'osc-p' keeps changing..." },
	{ "names with dots and underscores, a zip sdist", "resolve", "Dotted_Name.X", NULL, 0, "dotted-name-x==1.0" TB,
	  NULL },
	/* the basic scenario: odd sdists, an HTML-only page */
	{ "basic: foo.bar[fast] and zope.thing", "basic", "foo.bar[fast]\nzope.thing", NULL, 0,
	  "foo-bar==1.1 six-ish==1.0 speedup==2.0" TB " zope-thing==4.1", NULL },
	{ "basic: a pinned yanked version, a bz2 sdist", "basic", "six_ish==1.5\nwin-only", NULL, 0,
	  "six-ish==1.5" TB " win-only==0.1", NULL },
	{ "basic: --pre picks foo.bar 2.0rc1, whose six-ish>=2.0 nothing satisfies", "basic", "foo.bar", NULL, 1,
	  NULL, "no version of 'six-ish' satisfies 'six-ish>=2.0' (from foo-bar 2.0rc1 [install] <- "
	  "requirements.txt:1); "
	  "available: 2.0.dev1 (does not match), 1.5 (yanked), 1.0 (does not match)" },
	{ "basic: --pre takes a dev release", "basic", "six-ish", NULL, 1, "six-ish==2.0.dev1" TB, NULL },
	{ "basic: one project by three spellings", "basic", "foo.bar\nFOO_BAR<1.1\nfoo-Bar!=0.1", NULL, 0,
	  "foo-bar==1.0 six-ish==1.0" TB, NULL },
	{ "basic: a legacy HTML-only page", "basic", "legacy-page", NULL, 0, "legacy-page==0.9" TB, NULL },
	/* the tree scenario: a diamond, an install cycle */
	{ "tree: a diamond where only 1.x fits both sides", "tree", "diamond-top", NULL, 0,
	  "diamond-bottom==1.1 diamond-left==1.0 diamond-right==1.0 diamond-top==1.0 lib-06==1.1 lib-08==1.1 "
	  "lib-10==1.1 lib-11==1.1 lib-12==1.1 lib-13==1.1 lib-14==1.1" TB, NULL },
	{ "tree: an install cycle", "tree", "cycle-a", NULL, 0, "cycle-a==1.0 cycle-b==1.0 cycle-c==1.0" TB, NULL },
	/* choices revised in a later round */
	{ "a choice brought down by a requirement found later", "backtrack", "bt-top", NULL, 0,
	  "bt-a==1.0 bt-b==1.0 bt-c==1.5 bt-d==1.0 bt-top==1.0" TB, NULL },
	{ "... alone, the newest", "backtrack", "bt-c", NULL, 0, "bt-c==2.0 bt-e==1.0" TB, NULL },
	{ "a choice raised to a pre-release by a requirement found later", "backtrack", "pr-top", NULL, 0,
	  "pr-top==1.0 pr-x==2.0rc1 pr-y==1.0" TB, NULL },
	{ "... alone, the final release", "backtrack", "pr-x", NULL, 0, "pr-x==1.0" TB, NULL },
	{ "a dead end left when a choice comes down", "backtrack", "dead-top", NULL, 0,
	  "dead-a==1.0 dead-b==1.0 dead-c==1.5 dead-d==1.0 dead-top==1.0" TB, NULL },
	{ "an extra no longer asked for after a choice comes down", "backtrack", "ex-top", NULL, 0,
	  "ex-a==1.0 ex-b==1.0 ex-c==1.5 ex-d==1.0 ex-lib==1.0 ex-top==1.0" TB, NULL },
	{ "... asked for", "backtrack", "ex-c==2.0", NULL, 0, "ex-big==1.0 ex-c==2.0 ex-lib==1.0" TB, NULL },
	{ "... the dead end alone", "backtrack", "dead-c", NULL, 0, NULL,
	  "no version of 'dead-e' satisfies 'dead-e>=5' (from dead-c 2.0 [install] <- requirements.txt:1); "
	  "available: 1.0 (does not match)" },
};

/* ---- what else the plan says */

static void test_plan_details(void)
{
	struct plan plan;
	struct buf err = BUF_INIT;
	const struct plan_pkg *k;
	char *s;

	run("resolve", "hv", "hv<1.5\nhv!=1.2", 0, NULL, &plan, &err);
	k = pkg(&plan, "hv");
	is_str(k ? k->constraint : NULL, "hv!=1.2,<1.5", "two constraint lines make one constraint in the plan");
	is_int((long long)plan.ntop, 1, "one top-level requirement");
	is_str(plan.ntop ? plan.top[0].origin : NULL, "requirements.txt:1", "... with its origin");
	is_str(plan.ntop ? plan.pkgs[plan.top[0].to].name : NULL, "hv", "... pointing at hv");
	if (k) {
		char *url = xasprintf("file://%s/resolve/packages/hv/hv-1.0.tar.gz", tmpdir);
		char *path = xasprintf("%s/out-resolve/sdists-repo/downloads/hv-1.0.tar.gz", tmpdir);
		struct buf hex = BUF_INIT;

		is_str(k->sdist_filename, "hv-1.0.tar.gz", "the sdist's name");
		is_str(k->sdist_url, url, "... its URL, without the fragment");
		is_str(k->sdist_path, "sdists-repo/downloads/hv-1.0.tar.gz", "... where it was put");
		ok(sha256_file_hex(path, &hex) == 0 && k->sdist_sha256 && !strcmp(hex.s, k->sdist_sha256),
		   "... the file, with the digest in the plan");
		is_str(k->index_sha256, k->sdist_sha256, "... which is the index's");
		is_str(k->source_type, "sdist", "... an sdist from the index");
		free(url);
		free(path);
		buf_release(&hex);
	}
	plan_release(&plan);

	run("resolve", "ext[all]", NULL, 0, NULL, &plan, &err);
	is_edges(&plan, "ext", "dep-a==1.0 install dep-a; extra == \"a\", dep-b==1.0 install dep-b; extra == \"all\", "
		 "tinybuild==1.0 build-system tinybuild", "ext[all]: no edge to itself");
	k = pkg(&plan, "ext");
	s = k ? xasprintf("%s %s", k->extras.n > 0 ? k->extras.v[0] : "", k->extras.n > 1 ? k->extras.v[1] : "") : NULL;
	is_str(s, "a all", "... the extras asked of it");
	free(s);
	plan_release(&plan);

	run("resolve", "src-pkginfo\nsrc-pyproject\nsrc-wheel\nsrc-dyn\nrp-pkginfo", NULL, 0, NULL, &plan, &err);
	{
		static const char *const src[][2] = { { "src-pkginfo", "pkg-info" }, { "src-pyproject", "pyproject" },
						     { "src-wheel", "wheel-metadata" }, { "src-dyn", "dynamic" } };
		size_t i;

		for (i = 0; i < ARRAY_SIZE(src); i++) {
			k = pkg(&plan, src[i][0]);
			is_str(k ? deps_source_name(k->info.deps_source) : NULL, src[i][1],
			       "%s: install requirements from", src[i][0]);
		}
	}
	is_edges(&plan, "src-wheel", "dep-c==1.0 install dep-c, tinybuild==1.0 build-system tinybuild",
		 "src-wheel: the wheel's requirement");
	is_edges(&plan, "src-dyn", "tinybuild==1.0 build-system tinybuild", "src-dyn: no install requirement known");
	k = pkg(&plan, "rp-pkginfo");
	is_str(k ? k->info.requires_python : NULL, ">=3", "rp-pkginfo: requires-python from PKG-INFO");
	plan_release(&plan);

	run("resolve", "bs-setup-py\nbs-nobackend\ntinybuild", NULL, 0, NULL, &plan, &err);
	k = pkg(&plan, "bs-setup-py");
	ok(k && k->info.build_system_default && !strcmp(k->info.build_backend, DEFAULT_BUILD_BACKEND),
	   "no pyproject.toml: the PEP 517 default backend");
	is_edges(&plan, "bs-setup-py", "setuptools==70.0 build-system setuptools>=40.8.0",
		 "... and PEP 518's build requirement");
	is_edges(&plan, "bs-nobackend", "dep-a==1.0 build-system dep-a, tinybuild==1.0 build-system tinybuild",
		 "[build-system] requires are edges");
	is_edges(&plan, "setuptools", "tinybuild==1.0 build-system tinybuild",
		 "a build requirement's own build requirement");
	is_edges(&plan, "tinybuild", "", "a self-bootstrapping backend needs nothing");
	k = pkg(&plan, "tinybuild");
	ok(k && k->info.backend_path.n == 1 && !strcmp(k->info.backend_path.v[0], "."), "... it has backend-path");
	plan_release(&plan);

	run("resolve", "bc-a", NULL, 0, NULL, &plan, &err);
	{
		size_t *order = plan_build_order(&plan, &err);

		ok(order == NULL, "a build cycle: no build order");
		is_str(err.s, "build cycle: bc-a 1.0 builds with bc-b 1.0; bc-b 1.0 builds with bc-a 1.0",
		       "... naming it");
		free(order);
	}
	plan_release(&plan);

	run("tree", "diamond-top\ncycle-a", NULL, 0, NULL, &plan, &err);
	is_edges(&plan, "diamond-left", "diamond-bottom==1.1 install diamond-bottom>=1.0, tinybuild==1.0 build-system "
		 "tinybuild", "diamond: the left side");
	is_edges(&plan, "diamond-right", "diamond-bottom==1.1 install diamond-bottom<2, tinybuild==1.0 build-system "
		 "tinybuild", "diamond: the right side");
	is_edges(&plan, "cycle-c", "cycle-a==1.0 install cycle-a, tinybuild==1.0 build-system tinybuild",
		 "install cycle: c -> a");
	{
		size_t *order = plan_build_order(&plan, &err);

		ok(order != NULL, "an install cycle has a build order");
		free(order);
	}
	plan_release(&plan);

	run("backtrack", "bt-top", NULL, 0, NULL, &plan, &err);
	is_edges(&plan, "bt-a", "bt-c==1.5 install bt-c, tinybuild==1.0 build-system tinybuild",
		 "revised: bt-a -> bt-c 1.5");
	is_edges(&plan, "bt-d", "bt-c==1.5 install bt-c<2, tinybuild==1.0 build-system tinybuild",
		 "revised: bt-d -> bt-c 1.5");
	is_edges(&plan, "bt-c", "tinybuild==1.0 build-system tinybuild", "revised: bt-c 1.5 needs no bt-e");
	plan_release(&plan);
	run("backtrack", "ex-top", NULL, 0, NULL, &plan, &err);
	k = pkg(&plan, "ex-lib");
	is_int(k ? (long long)k->extras.n : -1, 0, "revised: no extra asked of ex-lib any more");
	plan_release(&plan);
	buf_release(&err);
}

/* Requirements found when building (discovered.json) are planned like the others. */
static void test_discovered(void)
{
	static const char *const add[][4] = {
		{ "dyn-build", "1.0", "build-backend", "build-helper>=1" },
		{ "dyn-build", "1.0", "build-sdist", "build-helper<9; python_version >= \"3\"" },
		{ "dyn-build", "0.9", "build-backend", "no-such-project" },           /* another version */
		{ "dyn-deps", "1.0", "install", "lib-07" },
		{ "dyn-deps", "1.0", "install", "lib-14; sys_platform == \"win32\"" }, /* a false marker */
		{ "cycle-a", "1.0", "install", "no-such-project" },                   /* static: ignored */
	};
	struct discovered d;
	struct plan plan;
	struct buf err = BUF_INIT;
	size_t i;

	discovered_init(&d);
	for (i = 0; i < ARRAY_SIZE(add); i++)
		if (discovered_add(&d, add[i][0], add[i][1], add[i][2], add[i][3], &err) < 0)
			BUG("%s", err.s);
	ok(run("tree", "dyn-build\ndyn-deps\ncycle-a", NULL, 0, NULL, &plan, &err) == 0 &&
	   !pkg(&plan, "build-helper") && !pkg(&plan, "lib-07"),
	   "without what building found: neither build-helper nor lib-07");
	plan_release(&plan);
	if (!ok(run("tree", "dyn-build\ndyn-deps\ncycle-a", NULL, 0, &d, &plan, &err) == 0, "with it: resolves"))
		diag("%s", err.s);
	is_edges(&plan, "dyn-build", "build-helper==1.1 build-backend build-helper>=1, build-helper==1.1 build-sdist "
		 "build-helper<9; python_version >= \"3\", lib-09==1.1 install lib-09, tinybuild==1.0 build-system "
		 "tinybuild", "dynamic build requirements: build-backend and build-sdist edges");
	is_edges(&plan, "dyn-deps", "lib-07==1.1 install lib-07, tinybuild==1.0 build-system tinybuild",
		 "dynamic install requirements, a false marker left out");
	plan_release(&plan);
	discovered_release(&d);
	buf_release(&err);
}

/* ---- PEP 691 JSON and PEP 503 HTML pages */

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same_page(const struct project_page *h, const struct project_page *j, struct buf *why)
{
	size_t i;

	if (h->nfiles != j->nfiles) {
		buf_addf(why, "%zu files in HTML, %zu in JSON", h->nfiles, j->nfiles);
		return 0;
	}
	for (i = 0; i < h->nfiles; i++) {
		const struct dist_file *a = &h->files[i], *b = &j->files[i];

		if (!same(a->filename, b->filename) || !same(a->url, b->url) || !same(a->sha256, b->sha256) ||
		    !same(a->requires_python, b->requires_python) || a->yanked != b->yanked ||
		    !same(a->yanked_reason, b->yanked_reason) || a->has_metadata != b->has_metadata ||
		    !same(a->metadata_sha256, b->metadata_sha256)) {
			buf_addf(why, "file %zu ('%s') differs", i, a->filename);
			return 0;
		}
	}
	return 1;
}

/* A file:// index is read through its index.html pages; the JSON pages of the same index must give
 * the resolver the same files, so that it chooses the same over HTTP, where JSON is preferred. */
static void test_json_html(void)
{
	size_t i, pages = 0, files = 0, bad = 0;

	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		char *name = xstrndup(scenarios[i], strcspn(scenarios[i], ".")), *simple;
		DIR *dir;
		struct dirent *e;

		simple = xasprintf("%s/%s/simple", tmpdir, name);
		dir = opendir(simple);
		if (!dir)
			die("cannot open '%s':", simple);
		while ((e = readdir(dir)) != NULL) {
			char *html = xasprintf("%s/%s/index.html", simple, e->d_name);
			char *json = xasprintf("%s/%s/index.json", simple, e->d_name);
			char *url = xasprintf("file://%s", html);
			struct buf hb = BUF_INIT, jb = BUF_INIT, err = BUF_INIT;
			struct project_page h, j;

			project_page_init(&h);
			project_page_init(&j);
			if (e->d_name[0] != '.' && path_exists(json)) {
				pages++;
				if (buf_read_file(&hb, html) < 0 || buf_read_file(&jb, json) < 0)
					die("cannot read the pages of '%s':", e->d_name);
				if (index_parse_html(&h, hb.s, hb.len, url, &err) < 0 ||
				    index_parse_json(&j, jb.s, jb.len, url, &err) < 0 || !same_page(&h, &j, &err)) {
					bad++;
					diag("%s/%s: %s", name, e->d_name, err.s);
				}
				files += h.nfiles;
			}
			project_page_release(&h);
			project_page_release(&j);
			buf_release(&hb);
			buf_release(&jb);
			buf_release(&err);
			free(html);
			free(json);
			free(url);
		}
		closedir(dir);
		free(simple);
		free(name);
	}
	ok(bad == 0 && pages > 50, "JSON and HTML pages give the same files (%zu pages, %zu files)", pages, files);
}

int main(void)
{
	size_t i;
	int ret;

	setup();
	plan_no_plan();
	test_json_html();
	patch_resolve_index();
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(&cases[i]);
	test_plan_details();
	test_discovered();
	ret = done_testing();
	fetcher_release(&fetcher);
	pyenv_release(&target);
	if (fixture_rmtree(tmpdir) != 0)
		diag("cannot remove %s", tmpdir);
	free(tmpdir);
	return ret;
}
