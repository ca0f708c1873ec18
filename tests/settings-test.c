/* settings-test.c: fromager's settings files: every key, types, unknown keys, YAML errors, variants,
 * templates, env expansion, changelog and build tag, patch order, the canonical JSON form.
 * Fixtures are written into a temporary directory by the test itself. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "settings/settings.h"
#include "tap.h"

static char tmpdir[] = "/tmp/wbgen-settings-XXXXXX";
static int ncase;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void put(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);

	if (write_file(path, text, strlen(text), WRITE_NOSYNC) < 0)
		die("cannot write '%s':", path);
	free(path);
}

/* A fresh directory holding settings/ (files name=text, NULL-terminated pairs) and settings.yaml. */
static char *fixture(const char *global, const char *const *files)
{
	char *dir = xasprintf("%s/case%d", tmpdir, ++ncase);
	char *sdir = xasprintf("%s/settings", dir);

	if (mkdir_p(sdir, 0755) < 0)
		die("mkdir '%s':", sdir);
	if (global)
		put(dir, "settings.yaml", global);
	for (; files && files[0]; files += 2)
		put(sdir, files[0], files[1]);
	free(sdir);
	return dir;
}

static int load(struct settings *s, const char *dir, const char *variant, struct buf *err)
{
	char *gf = xasprintf("%s/settings.yaml", dir), *sd = xasprintf("%s/settings", dir);
	char *pd = xasprintf("%s/patches", dir);
	int r;

	settings_init(s);
	buf_reset(err);
	r = settings_load(s, gf, sd, pd, variant, err);
	free(gf);
	free(sd);
	free(pd);
	return r;
}

/* Load one package file foo.yaml; returns the settings loaded (caller releases). */
static int load_foo(struct settings *s, const char *yaml, const char *variant, struct buf *err)
{
	const char *files[] = { "foo.yaml", yaml, NULL };
	char *dir = fixture(NULL, files);
	int r = load(s, dir, variant, err);

	free(dir);
	return r;
}

static void test_errors(void)
{
	static const struct {
		const char *global, *file, *yaml, *want;
	} t[] = {
		{ NULL, "foo.yaml", "build_options:\n  exclusiv_build: true\n",
		  "settings/foo.yaml:2:3: unknown key 'build_options.exclusiv_build'" },
		{ NULL, "foo.yaml", "envv: {}\n", "foo.yaml:1:1: unknown key 'envv'" },
		{ NULL, "foo.yaml", "variants:\n  cpu:\n    pre_builts: true\n", "unknown key 'variants.cpu.pre_builts'" },
		{ NULL, "foo.yaml", "variants:\n  cpu:\n    versions:\n      '1.0': {envv: {}}\n",
		  "unknown key 'variants.cpu.versions.1.0.envv'" },
		{ NULL, "foo.yaml", "resolver_dist: {sdist_server: x}\n", "unknown key 'resolver_dist.sdist_server'" },
		{ NULL, "foo.yaml", "download_source: {uri: x}\n", "unknown key 'download_source.uri'" },
		{ NULL, "foo.yaml", "project_override: {remove: []}\n", "unknown key 'project_override.remove'" },
		{ "changelogs: {}\n", "foo.yaml", "", "settings.yaml:1:1: unknown key 'changelogs'" },
		{ "sbom: {owner: x}\n", "foo.yaml", "", "unknown key 'sbom.owner'" },
		/* YAML errors: file:line:column */
		{ NULL, "foo.yaml", "env: [a, b\n", "foo.yaml:2:1: did not find expected ',' or ']'" },
		{ NULL, "foo.yaml", "env:\n  A: 1\n B: 2\n", "foo.yaml:3:2:" },
		{ NULL, "foo.yaml", "env: {A: \"x}\n", "foo.yaml:2:1: found unexpected end of stream" },
		{ NULL, "foo.yaml", "env: {A: x}\n---\nenv: {}\n", "foo.yaml:2:1: expected a single document" },
		{ NULL, "foo.yaml", "env: {A: *nope}\n", "foo.yaml:1:10: found undefined alias 'nope'" },
		{ NULL, "foo.yaml", "env:\n  A: x\n  A: y\n", "foo.yaml:3:3: duplicate key 'A' (first at line 2)" },
		{ NULL, "foo.yaml", "env: !!python/object:os.system {}\n", "foo.yaml:1:6: unsupported tag" },
		{ "- a\n", "foo.yaml", "", "settings.yaml:1:1: expected a mapping at the top level, got a list" },
		{ NULL, "foo.yaml", "just text\n", "foo.yaml:1:1: expected a mapping at the top level, got a string" },
		/* wrong types */
		{ NULL, "foo.yaml", "build_options:\n  cpu_cores_per_job: two\n",
		  "foo.yaml:2:22: 'build_options.cpu_cores_per_job': expected an integer >= 1, got a string 'two'" },
		{ NULL, "foo.yaml", "build_options: {cpu_cores_per_job: 0}\n", "expected an integer >= 1, got an integer '0'" },
		{ NULL, "foo.yaml", "build_options: {cpu_cores_per_job: 1.5}\n", "expected an integer >= 1" },
		{ NULL, "foo.yaml", "build_options: {memory_per_job_gb: 0.05}\n",
		  "'build_options.memory_per_job_gb': expected a number >= 0.1" },
		{ NULL, "foo.yaml", "build_options: {exclusive_build: maybe}\n",
		  "'build_options.exclusive_build': expected a boolean, got a string 'maybe'" },
		{ NULL, "foo.yaml", "build_options: [exclusive_build]\n", "'build_options': expected a mapping, got a list" },
		{ NULL, "foo.yaml", "resolver_dist: {min_release_age: -1}\n", "'resolver_dist.min_release_age': expected an integer >= 0" },
		{ NULL, "foo.yaml", "resolver_dist: {include_wheels: [1]}\n", "expected a boolean, got a list" },
		{ NULL, "foo.yaml", "resolver_dist: {ignore_platform: true}\n", "'resolver_dist.ignore_platform' has no effect without 'include_wheels'" },
		{ NULL, "foo.yaml", "download_source: {url: 12}\n", "'download_source.url': expected a string, got an integer" },
		{ NULL, "foo.yaml", "download_source: {destination_filename: a/b.tar.gz}\n", "is not a file name" },
		{ NULL, "foo.yaml", "download_source: {destination_filename: 'a:b'}\n", "is not a file name" },
		{ NULL, "foo.yaml", "build_dir: /abs\n", "'build_dir': '/abs' is not a relative path" },
		{ NULL, "foo.yaml", "build_dir: sub/../../x\n", "'build_dir': 'sub/../../x' leaves the source tree" },
		{ NULL, "foo.yaml", "build_dir: true\n", "'build_dir': expected a string, got a boolean" },
		{ NULL, "foo.yaml", "config_settings: {setup-args: 3}\n", "'config_settings.setup-args': expected a string or a list of strings" },
		{ NULL, "foo.yaml", "config_settings: {a: [x, 1]}\n", "'config_settings.a[1]': expected a string, got an integer" },
		{ NULL, "foo.yaml", "changelog: {one: [x]}\n", "'changelog': invalid version 'one'" },
		{ NULL, "foo.yaml", "changelog: {'1.0': [x], '1.0.0': [y]}\n", "version '1.0.0' is the same as '1.0'" },
		{ NULL, "foo.yaml", "changelog: {'1.0': fixed}\n", "'changelog.1.0': expected a list of strings, got a string" },
		{ "changelog: {cpu: [{a: b}]}\n", "foo.yaml", "", "'changelog.cpu[0]': expected a string, got a mapping" },
		{ NULL, "foo.yaml", "project_override: {remove_build_requires: [-bad]}\n", "invalid project name '-bad'" },
		{ NULL, "foo.yaml", "project_override: {update_build_requires: ['foo>=']}\n", "'project_override.update_build_requires[0]':" },
		{ NULL, "foo.yaml", "env: {A: [1]}\n", "'env.A': expected a string, number or boolean, got a list" },
		{ NULL, "foo.yaml", "env: {A: }\n", "'env.A': expected a string, number or boolean, got null" },
		{ NULL, "foo.yaml", "env: {A: 0x10}\n", "'env.A': write the number '0x10' as a quoted string" },
		{ NULL, "foo.yaml", "env: {A: 1.5e+3}\n", "write the number '1.5e+3' as a quoted string" },
		{ NULL, "foo.yaml", "env: {A: 010}\n", "write the number '010' as a quoted string" },
		{ NULL, "foo.yaml", "env: {A: 1:30}\n", "write the number '1:30' as a quoted string" },
		{ NULL, "foo.yaml", "env: {A: 0.0000123}\n", "write the number '0.0000123' as a quoted string" },
		{ NULL, "foo.yaml", "variants: {cpu: {env: {B: \"$(id -u)\"}}}\n", "'variants.cpu.env.B': '$(id -u)': command substitution '$(' is not supported" },
		{ NULL, "foo.yaml", "env: {A: \"x$(date)\"}\n", "command substitution" },
		{ NULL, "foo.yaml", "source: {provider: pypi-sdist}\n", "'source': fromager's source resolvers are not supported by wbgen" },
		{ NULL, "foo.yaml", "variants: {cpu: {source: {}}}\n", "'variants.cpu.source': fromager's source resolvers" },
		{ NULL, "foo.yaml", "variants: {cpu: {pre_built: sometimes}}\n", "'variants.cpu.pre_built': expected a boolean" },
		{ NULL, "foo.yaml", "annotations: {a: [x]}\n", "'annotations.a': expected a string" },
		{ NULL, "foo.yaml", "git_options: {submodules: 2}\n", "'git_options.submodules': expected a boolean" },
		{ NULL, "-bad.yaml", "", "settings/-bad.yaml: file name '-bad' is not a valid project name" },
	};
	struct settings s;
	struct buf err = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		const char *files[] = { t[i].file, t[i].yaml, NULL };
		char *dir = fixture(t[i].global, files);
		int r = load(&s, dir, "cpu", &err);

		ok(r < 0 && strstr(err.s, t[i].want) && !strchr(err.s, '\n'), "error %zu: %s (got: %s)", i, t[i].want,
		   r < 0 ? err.s : "success");
		settings_release(&s);
		free(dir);
	}

	/* two spellings of one project */
	{
		const char *files[] = { "Foo_Bar.yaml", "", "foo.bar.yaml", "", NULL };
		char *dir = fixture(NULL, files);
		int r = load(&s, dir, "cpu", &err);

		ok(r < 0 && strstr(err.s, "'foo-bar' is also configured by"), "one project, two files (%s)", err.s);
		settings_release(&s);
		free(dir);
	}
	buf_release(&err);
}

static void test_missing(void)
{
	struct settings s;
	struct settings_effective e;
	struct buf err = BUF_INIT;
	char *nodir = xasprintf("%s/does-not-exist", tmpdir);

	settings_init(&s);
	ok(settings_load(&s, nodir, nodir, nodir, NULL, &err) == 0, "missing files and directories are empty settings");
	is_str(s.variant, "cpu", "default variant");
	ok(settings_effective(&s, "Foo", "1.0", &e, &err) == 0, "defaults for any package");
	ok(e.pkg == &s.defaults, "fromager's defaults");
	is_int(e.pkg->include_sdists, 1, "include_sdists defaults to true");
	is_int(e.pkg->include_wheels, 0, "include_wheels defaults to false");
	is_int(e.pkg->cpu_cores_per_job, 1, "cpu_cores_per_job defaults to 1");
	ok(e.pkg->memory_per_job_gb == 1.0, "memory_per_job_gb defaults to 1.0");
	is_int(e.pkg->min_release_age, -1, "min_release_age not set");
	is_int(e.build_tag, 0, "no build tag");
	ok(!e.url && !e.destination_filename && !e.pkg->build_dir, "no download_source, no build_dir");
	settings_effective_release(&e);
	settings_release(&s);

	/* empty files are empty settings */
	{
		const char *files[] = { "foo.yaml", "", "bar.yaml", "# only a comment\n", NULL };
		char *dir = fixture("", files);

		ok(load(&s, dir, "cpu", &err) == 0 && s.npkgs == 2, "empty files (%s)", err.s);
		ok(settings_find(&s, "FOO") && settings_find(&s, "bar"), "found by any spelling");
		ok(!settings_find(&s, "baz"), "not found");
		settings_release(&s);
		free(dir);
	}
	free(nodir);
	buf_release(&err);
}

static const char full_yaml[] =
	"# a package file with every key\n"
	"annotations: {team: core, tier: '1'}\n"
	"build_dir: python\n"
	"changelog:\n"
	"  '1.0':\n"
	"    - fixed the build\n"
	"    - rebuilt for openssl\n"
	"  2.0.0: [new compiler]\n"
	"config_settings:\n"
	"  setup-args: ['-Dsystem-freetype=true', '-Dsystem-qhull=true']\n"
	"  builddir: build\n"
	"env:\n"
	"  CFLAGS: '-O2'\n"
	"  USE_CUDA: false\n"
	"  JOBS: 4\n"
	"  RATIO: 1.50\n"
	"download_source:\n"
	"  url: https://example.test/${canonicalized_name}/v$version.tar.gz\n"
	"  destination_filename: ${canonicalized_name}-${version}.tar.gz\n"
	"resolver_dist:\n"
	"  sdist_server_url: https://sdist.test/simple/\n"
	"  include_sdists: false\n"
	"  include_wheels: yes\n"
	"  ignore_platform: 'true'\n"
	"  use_pypi_org_metadata: off\n"
	"  min_release_age: 7\n"
	"build_options:\n"
	"  build_ext_parallel: false\n"
	"  cpu_cores_per_job: 2\n"
	"  memory_per_job_gb: 0.5\n"
	"  exclusive_build: true\n"
	"git_options: {submodules: false, submodule_paths: []}\n"
	"project_override:\n"
	"  update_build_requires: ['setuptools>=68', 'numpy<2']\n"
	"  remove_build_requires: [Ninja, CMake_Build]\n"
	"  requires_external: [openssl-libs]\n"
	"purl: pkg:generic/foo\n"
	"variants:\n"
	"  cpu:\n"
	"    env: {CFLAGS: '${CFLAGS} -march=x86-64'}\n"
	"    annotations: {tier: '2'}\n"
	"  rocm:\n"
	"    pre_built: true\n"
	"    wheel_server_url: https://wheels.test/rocm/\n"
	"  cuda:\n"
	"    env: {CUDA: '1'}\n"
	"    versions:\n"
	"      '2.0.0': {pre_built: true, wheel_server_url: https://wheels.test/cuda2/, env: {V2: 'yes'}}\n"
	"      '1.0': {pre_built: true}\n";

static void test_full(void)
{
	struct settings s;
	struct settings_effective e;
	struct buf err = BUF_INIT;
	const struct settings_package *p;

	ok(load_foo(&s, full_yaml, "cpu", &err) == 0, "every key loads (%s)", err.s);
	p = settings_find(&s, "foo");
	if (!p) {
		ok(0, "foo is loaded");
		settings_release(&s);
		return;
	}
	is_str(p->build_dir, "python", "build_dir");
	is_int((long long)p->nconfig, 2, "config_settings keys");
	ok(p->nconfig == 2 && p->config[0].is_list && p->config[0].values.n == 2 &&
	   !strcmp(p->config[0].values.v[1], "-Dsystem-qhull=true"), "config_settings list");
	ok(p->nconfig == 2 && !p->config[1].is_list && !strcmp(p->config[1].values.v[0], "build"),
	   "config_settings string");
	is_int((long long)p->env.n, 4, "env keys");
	is_str(settings_kvlist_get(&p->env, "USE_CUDA"), "0", "env: a boolean is 0 or 1");
	is_str(settings_kvlist_get(&p->env, "JOBS"), "4", "env: an integer");
	is_str(settings_kvlist_get(&p->env, "RATIO"), "1.5", "env: a float as Python prints it");
	is_str(p->sdist_server_url, "https://sdist.test/simple/", "resolver_dist.sdist_server_url");
	is_int(p->include_sdists, 0, "resolver_dist.include_sdists");
	is_int(p->include_wheels, 1, "resolver_dist.include_wheels (yes)");
	is_int(p->ignore_platform, 1, "resolver_dist.ignore_platform ('true')");
	is_int(p->use_pypi_org_metadata, 0, "resolver_dist.use_pypi_org_metadata (off)");
	is_int(p->min_release_age, 7, "resolver_dist.min_release_age");
	is_int(p->cpu_cores_per_job, 2, "build_options.cpu_cores_per_job");
	ok(p->memory_per_job_gb == 0.5, "build_options.memory_per_job_gb");
	is_int(p->exclusive_build, 1, "build_options.exclusive_build");
	is_int((long long)p->update_build_requires.n, 2, "project_override.update_build_requires");
	ok(p->remove_build_requires.n == 2 && !strcmp(p->remove_build_requires.v[0], "ninja") &&
	   !strcmp(p->remove_build_requires.v[1], "cmake-build"), "remove_build_requires canonicalised");
	is_str(p->requires_external.n ? p->requires_external.v[0] : NULL, "openssl-libs", "requires_external");
	is_str(p->purl, "pkg:generic/foo", "purl");
	is_int((long long)p->nvariants, 3, "variants");

	ok(settings_effective(&s, "Foo", "1.0.0", &e, &err) == 0, "effective cpu 1.0.0 (%s)", err.s);
	is_str(e.version, "1.0.0", "str(Version)");
	is_str(e.url, "https://example.test/foo/v1.0.0.tar.gz", "url template");
	is_str(e.destination_filename, "foo-1.0.0.tar.gz", "destination_filename template");
	is_int(e.pre_built, 0, "cpu is built");
	is_int(e.build_tag, 2, "build tag: two entries for 1.0 (1.0.0 == 1.0)");
	is_int((long long)e.env.n, 5, "env: package entries then the variant's");
	is_str(e.env.n == 5 ? e.env.v[4].value : NULL, "${CFLAGS} -march=x86-64", "variant entry last, unexpanded");
	is_str(settings_kvlist_get(&e.annotations, "tier"), "2", "variant annotation overrides");
	is_str(settings_kvlist_get(&e.annotations, "team"), "core", "package annotation kept");
	settings_effective_release(&e);
	settings_release(&s);

	ok(load_foo(&s, full_yaml, "rocm", &err) == 0, "rocm variant");
	ok(settings_effective(&s, "foo", "1.0", &e, &err) == 0, "effective rocm");
	is_int(e.pre_built, 1, "rocm: pre_built");
	is_str(e.wheel_server_url, "https://wheels.test/rocm/", "rocm: wheel_server_url");
	is_int(e.build_tag, 0, "pre-built wheels have no build tag");
	settings_effective_release(&e);
	settings_release(&s);

	ok(load_foo(&s, full_yaml, "cuda", &err) == 0, "cuda variant");
	ok(settings_effective(&s, "foo", "2.0", &e, &err) == 0, "effective cuda 2.0");
	is_int(e.pre_built, 0, "versions key '2.0.0' does not match str(Version) '2.0'");
	settings_effective_release(&e);
	ok(settings_effective(&s, "foo", "2.0.0", &e, &err) == 0, "effective cuda 2.0.0");
	is_int(e.pre_built, 1, "version-specific pre_built");
	is_str(e.wheel_server_url, "https://wheels.test/cuda2/", "version-specific wheel_server_url");
	is_str(e.env.n ? e.env.v[e.env.n - 1].key : NULL, "V2", "version-specific env last");
	settings_effective_release(&e);
	ok(settings_effective(&s, "foo", "3.0", &e, &err) == 0, "effective cuda 3.0");
	is_int(e.pre_built, 0, "no version entry: the variant's pre_built");
	is_int(e.build_tag, 0, "no changelog for 3.0");
	settings_effective_release(&e);
	ok(settings_effective(&s, "foo", "x y", &e, &err) < 0 && strstr(err.s, "invalid version 'x y'"),
	   "invalid version refused (%s)", err.s);
	settings_effective_release(&e);
	settings_release(&s);
	buf_release(&err);
}

static void test_templates(void)
{
	static const struct {
		const char *url, *version, *want; /* want: result, or "!" + error substring */
	} t[] = {
		{ "https://h/${canonicalized_name}/${version}/x.tgz", "1.0", "https://h/my-pkg/1.0/x.tgz" },
		{ "https://h/$canonicalized_name-$version.zip", "01.2.0", "https://h/my-pkg-1.2.0.zip" },
		{ "https://h/$$version", "1.0", "https://h/$version" },
		{ "https://h/${version}", "1.0RC1", "https://h/1.0rc1" },
		{ "https://h/${version}", NULL, "!undefined template variable 'version'" },
		{ "https://h/${dist_name}", "1.0", "!undefined template variable 'dist_name'" },
		{ "https://h/${version", "1.0", "!invalid placeholder at column 11 of 'https://h/${version'" },
		{ "https://h/$", "1.0", "!invalid placeholder" },
		{ "https://h/${version:-1}", "1.0", "!invalid placeholder" },
	};
	struct settings s;
	struct settings_effective e;
	struct buf err = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		char *yaml = xasprintf("download_source:\n  url: '%s'\n", t[i].url);
		const char *files[] = { "My_Pkg.yaml", yaml, NULL };
		char *dir = fixture(NULL, files);
		int r;

		if (load(&s, dir, "cpu", &err) < 0) {
			ok(0, "template %zu loads: %s", i, err.s);
		} else {
			buf_reset(&err);
			r = settings_effective(&s, "my.pkg", t[i].version, &e, &err);
			if (t[i].want[0] == '!')
				ok(r < 0 && strstr(err.s, t[i].want + 1) && starts_with(err.s, "my-pkg: download_source: "),
				   "template '%s': %s (%s)", t[i].url, t[i].want + 1, err.s);
			else
				is_str(r == 0 ? e.url : err.s, t[i].want, "template '%s' with %s", t[i].url, t[i].version);
			settings_effective_release(&e);
		}
		settings_release(&s);
		free(dir);
		free(yaml);
	}
	buf_release(&err);
}

static void kv_join(const struct settings_kvlist *l, struct buf *out)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		buf_addf(out, "%s%s=%s", i ? ";" : "", l->v[i].key, l->v[i].value);
}

static void test_env(void)
{
	static const struct {
		const char *yaml, *version, *want; /* want: K=V;... or "!" + error substring */
	} t[] = {
		{ "env: {A: '${T_HOME}'}", NULL, "A=/home/t" },
		{ "env: {A: '$T_HOME/x'}", NULL, "A=/home/t/x" },
		{ "env: {A: '${NOPE:-dflt}'}", NULL, "A=dflt" },
		{ "env: {A: '${T_HOME:-dflt}'}", NULL, "A=/home/t" },
		{ "env: {A: '${T_EMPTY:-dflt}'}", NULL, "A=" },
		{ "env: {A: '${NOPE:-}x'}", NULL, "A=x" },
		{ "env: {A: '${NOPE:-one} ${NOPE:-two} ${NOPE}'}", NULL, "A=one one one" },
		{ "env: {A: x, B: '${A}y', A2: '$A$B'}", NULL, "A=x;B=xy;A2=xxy" },
		{ "env: {A: '1'}\nvariants: {cpu: {env: {A: '${A}2', B: '${A}'}}}", NULL, "A=12;B=12" },
		{ "env: {V: '${__version__}'}", "1.0.0", "V=1.0.0" },
		{ "env: {V: 'v${__version__}'}", "2.0.post1", "V=v2.0.post1" },
		{ "env: {V: '${__version__}'}", NULL, "!undefined environment variable '__version__'" },
		{ "env: {J: '-j${MAX_JOBS}', M: '${MAKEFLAGS}'}", NULL, "J=-j4;M=-j4" },
		{ "env: {D: '$$HOME', E: 'a$$'}", NULL, "D=$HOME;E=a$" },
		{ "env: {D: '$${NOPE:-d}'}", NULL, "D=${NOPE:-d}" },
		{ "env: {D: '${NOPE:-a:b}'}", NULL, "!invalid placeholder" },
		{ "env: {D: '${NOPE}'}", NULL, "!foo: env 'D': undefined environment variable 'NOPE' referenced in '${NOPE}'" },
		{ "env: {D: '${T_HOME'}", NULL, "!invalid placeholder at column 1 of '${T_HOME'" },
		{ "env: {D: 'a $ b'}", NULL, "!invalid placeholder at column 3" },
		{ "env: {D: '`id -u`'}", NULL, "D=`id -u`" },
		{ "env: &e {A: x, B: y}\nvariants: {cpu: {env: *e}}", NULL, "A=x;B=y" },
		{ "env: {A: !!str 010, B: !!str true, C: \"3\"}", NULL, "A=010;B=true;C=3" },
		{ "env: {N: 3, B: true, F: 1.50, Z: -0, G: 0.000100, S: '  x  '}", NULL, "N=3;B=1;F=1.5;Z=0;G=0.0001;S=x" },
		{ "env: {A: 1_000, B: .5, C: 1e3, D: '010', E: +7, F: -2.250, G: off}", NULL, "A=1000;B=0.5;C=1e3;D=010;E=7;F=-2.25;G=0" },
	};
	char *environ_[] = { "T_HOME=/home/t", "T_EMPTY=", "__version__=stale", "MAX_JOBS=99", NULL };
	struct settings_kvlist base, out;
	struct settings s;
	struct settings_effective e;
	struct buf err = BUF_INIT, got = BUF_INIT;
	size_t i;

	settings_kvlist_init(&base);
	settings_kvlist_set(&base, "MAX_JOBS", "4");
	settings_kvlist_set(&base, "MAKEFLAGS", "-j4");
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int r;

		if (load_foo(&s, t[i].yaml, "cpu", &err) < 0 || settings_effective(&s, "foo", t[i].version, &e, &err) < 0) {
			ok(0, "env %zu loads: %s", i, err.s);
			settings_release(&s);
			continue;
		}
		settings_kvlist_init(&out);
		buf_reset(&err);
		buf_reset(&got);
		r = settings_env_expand(&e, environ_, &base, &out, &err);
		if (t[i].want[0] == '!') {
			ok(r < 0 && strstr(err.s, t[i].want + 1), "env case %zu: %s (%s)", i, t[i].want + 1,
			   r < 0 ? err.s : "success");
		} else {
			kv_join(&out, &got);
			is_str(r == 0 ? got.s : err.s, t[i].want, "env case %zu", i);
		}
		settings_kvlist_release(&out);
		settings_effective_release(&e);
		settings_release(&s);
	}

	/* the process environment when none is given */
	if (setenv("WBGEN_SETTINGS_TEST", "from-env", 1) == 0 &&
	    load_foo(&s, "env: {A: '${WBGEN_SETTINGS_TEST}'}", "cpu", &err) == 0 &&
	    settings_effective(&s, "foo", NULL, &e, &err) == 0) {
		settings_kvlist_init(&out);
		ok(settings_env_expand(&e, NULL, NULL, &out, &err) == 0, "process environment");
		is_str(settings_kvlist_get(&out, "A"), "from-env", "process environment value");
		settings_kvlist_release(&out);
		settings_effective_release(&e);
	} else {
		ok(0, "process environment fixture: %s", err.s);
	}
	settings_release(&s);
	settings_kvlist_release(&base);
	buf_release(&got);
	buf_release(&err);
}

static void test_changelog(void)
{
	static const char global[] = "changelog:\n  cpu: [new glibc]\n  rocm: [rocm 6, rocm 6.1]\npre_built: {cpu: [x]}\npackages: {}\n";
	static const char pkg[] = "changelog:\n  '1.0': [a, b]\n  '2.0': [c]\n  '3.0+local': [d]\n"
				  "variants: {cuda: {pre_built: true}}\n";
	static const struct {
		const char *name, *version, *variant;
		int tag;
	} t[] = {
		{ "foo", "1.0", "cpu", 3 },
		{ "foo", "1.0.0", "cpu", 3 },
		{ "foo", "1.0+build.7", "cpu", 3 },
		{ "foo", "1.0.post1", "cpu", 1 },
		{ "foo", "2.0", "rocm", 3 },
		{ "foo", "3.0", "cpu", 1 },
		{ "foo", "3.0+local", "cpu", 1 },
		{ "foo", "1.0", "cuda", 0 },
		{ "foo", "1.0", "other", 2 },
		{ "bar", "1.0", "cpu", 1 },
		{ "bar", "1.0", "other", 0 },
	};
	const char *files[] = { "foo.yaml", pkg, NULL };
	char *dir = fixture(global, files);
	struct settings s;
	struct settings_effective e;
	struct buf err = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		if (load(&s, dir, t[i].variant, &err) < 0 ||
		    settings_effective(&s, t[i].name, t[i].version, &e, &err) < 0) {
			ok(0, "changelog %zu: %s", i, err.s);
		} else {
			is_int(e.build_tag, t[i].tag, "build tag of %s %s (%s)", t[i].name, t[i].version, t[i].variant);
			is_int((long long)e.changelog.n, t[i].tag ? t[i].tag : (long long)e.changelog.n,
			       "changelog entries of %s %s (%s)", t[i].name, t[i].version, t[i].variant);
			settings_effective_release(&e);
		}
		settings_release(&s);
	}
	ok(load(&s, dir, "rocm", &err) == 0 && settings_effective(&s, "foo", "2.0", &e, &err) == 0 &&
	   e.changelog.n == 3 && !strcmp(e.changelog.v[0], "rocm 6") && !strcmp(e.changelog.v[2], "c"),
	   "global entries first, then the version's");
	settings_effective_release(&e);
	settings_release(&s);
	free(dir);
	buf_release(&err);
}

static void test_patches(void)
{
	static const char *const layout[] = {
		"foo_bar/0001-a.patch", "foo_bar/0003-c.patch", "foo_bar/notes.txt", "foo_bar/cpu/0002-b.patch",
		"foo_bar/rocm/0009-r.patch", "foo_bar-1.0/0002-b.patch", "foo_bar-1.0/0000-z.patch",
		"foo_bar-1.0/cpu/0001-a.patch", "foo_bar-2.0/x.patch", "foo_bar-baz-1.0/zz.patch",
		"foo_bar-1.0+local/l.patch", "foo-bar-1.0/dash.patch", "foo_barx/no.patch",
		"foo_bar-1.0/0004-d.patch/inner.patch",
	};
	static const struct {
		const char *name, *version, *variant, *want;
	} t[] = {
		{ "foo-bar", "1.0", "cpu",
		  "foo_bar-1.0/0000-z.patch foo_bar/0001-a.patch foo_bar-1.0/cpu/0001-a.patch foo_bar/cpu/0002-b.patch "
		  "foo_bar-1.0/0002-b.patch foo_bar/0003-c.patch" },
		{ "Foo.Bar", "1.0.0+x", "rocm",
		  "foo_bar-1.0/0000-z.patch foo_bar/0001-a.patch foo_bar-1.0/0002-b.patch foo_bar/0003-c.patch "
		  "foo_bar/rocm/0009-r.patch" },
		{ "foo_bar", "2.0", "cpu", "foo_bar/0001-a.patch foo_bar/cpu/0002-b.patch foo_bar/0003-c.patch foo_bar-2.0/x.patch" },
		{ "foo-bar", "3.0", "none", "foo_bar/0001-a.patch foo_bar/0003-c.patch" },
		{ "other", "1.0", "cpu", "" },
	};
	char *dir = xasprintf("%s/patchcase", tmpdir), *pdir = xasprintf("%s/patches", dir);
	struct settings s;
	struct strlist got;
	struct buf err = BUF_INIT, text = BUF_INIT;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(layout); i++)
		put(pdir, layout[i], "--- a\n+++ b\n");
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		settings_init(&s);
		if (settings_load(&s, NULL, NULL, pdir, t[i].variant, &err) < 0)
			ok(0, "load: %s", err.s);
		strlist_init(&got);
		buf_reset(&text);
		if (settings_patches(&s, t[i].name, t[i].version, &got, &err) < 0)
			buf_addf(&text, "error: %s", err.s);
		for (j = 0; j < got.n; j++)
			buf_addf(&text, "%s%s", j ? " " : "",
				 starts_with(got.v[j], pdir) ? got.v[j] + strlen(pdir) + 1 : got.v[j]);
		is_str(text.s, t[i].want, "patches of %s %s (%s)", t[i].name, t[i].version, t[i].variant);
		strlist_release(&got);
		settings_release(&s);
	}
	settings_init(&s);
	strlist_init(&got);
	ok(settings_load(&s, NULL, NULL, NULL, NULL, &err) == 0 && settings_patches(&s, "foo-bar", "1.0", &got, &err) == 0 &&
	   got.n == 0, "no patches directory");
	ok(settings_patches(&s, "foo-bar", "not a version", &got, &err) == 0, "no directory: nothing to check");
	settings_release(&s);
	settings_init(&s);
	ok(settings_load(&s, NULL, NULL, pdir, NULL, &err) == 0 &&
	   settings_patches(&s, "foo-bar", "not a version", &got, &err) < 0 && strstr(err.s, "invalid version"),
	   "invalid version refused");
	settings_release(&s);
	strlist_release(&got);
	buf_release(&text);
	buf_release(&err);
	free(pdir);
	free(dir);
}

static void test_json(void)
{
	static const char yaml[] =
		"env: {B: '2', A: '1'}\nchangelog: {'1.0': [fixed]}\nconfig_settings: {z: x, a: [y]}\n"
		"download_source: {url: 'https://h/${version}.tgz'}\nannotations: {z: '1', a: '2'}\n";
	static const char want[] =
		"{\"annotations\":{\"a\":\"2\",\"z\":\"1\"},\"build_dir\":null,"
		"\"build_options\":{\"cpu_cores_per_job\":1,\"exclusive_build\":false,\"memory_per_job_gb\":1.0},"
		"\"build_tag\":1,\"changelog\":[\"fixed\"],\"config_settings\":{\"a\":[\"y\"],\"z\":\"x\"},"
		"\"download_source\":{\"destination_filename\":null,\"url\":\"https://h/1.0.tgz\"},"
		"\"env\":[[\"B\",\"2\"],[\"A\",\"1\"]],\"name\":\"foo\",\"patches\":[\"p/1.patch\"],\"pre_built\":false,"
		"\"project_override\":{\"remove_build_requires\":[],\"requires_external\":[],\"update_build_requires\":[]},"
		"\"resolver_dist\":{\"ignore_platform\":false,\"include_sdists\":true,\"include_wheels\":false,"
		"\"min_release_age\":null,\"sdist_server_url\":null,\"use_pypi_org_metadata\":null},"
		"\"variant\":\"cpu\",\"version\":\"1.0\",\"wheel_server_url\":null}";
	struct settings s;
	struct settings_effective e;
	struct strlist patches = STRLIST_INIT;
	struct buf err = BUF_INIT;
	json_t *j;
	char *text, *text2;

	strlist_add(&patches, "p/1.patch");
	if (load_foo(&s, yaml, NULL, &err) < 0 || settings_effective(&s, "foo", "1.0", &e, &err) < 0) {
		ok(0, "json fixture: %s", err.s);
		settings_release(&s);
		strlist_release(&patches);
		buf_release(&err);
		return;
	}
	j = settings_effective_json(&e, &patches);
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	text2 = json_dumps(j, JSON_COMPACT);
	is_str(text, want, "canonical JSON");
	is_str(text2, text, "keys are inserted in sorted order");
	free(text);
	free(text2);
	json_decref(j);
	settings_effective_release(&e);
	settings_release(&s);

	/* one change, one different fingerprint */
	if (load_foo(&s, "env: {B: '2', A: '1'}\nbuild_options: {exclusive_build: true}\n", NULL, &err) == 0 &&
	    settings_effective(&s, "foo", "1.0", &e, &err) == 0) {
		j = settings_effective_json(&e, NULL);
		ok(json_is_true(json_object_get(json_object_get(j, "build_options"), "exclusive_build")),
		   "exclusive_build in the JSON form");
		ok(!json_object_get(j, "patches"), "no patches key without patches");
		json_decref(j);
		settings_effective_release(&e);
	}
	settings_release(&s);
	strlist_release(&patches);
	buf_release(&err);
}

static void test_kvlist(void)
{
	struct settings_kvlist l;

	settings_kvlist_init(&l);
	settings_kvlist_set(&l, "A", "1");
	settings_kvlist_set(&l, "B", "2");
	settings_kvlist_set(&l, "A", "3");
	ok(l.n == 2 && !strcmp(l.v[0].key, "A") && !strcmp(l.v[0].value, "3"), "set replaces in place");
	is_str(settings_kvlist_get(&l, "B"), "2", "get");
	ok(!settings_kvlist_get(&l, "C"), "get: absent");
	settings_kvlist_release(&l);
	ok(l.n == 0 && !l.v, "released");
}

int main(void)
{
	int ret;

	if (!mkdtemp(tmpdir))
		die("mkdtemp:");
	plan_no_plan();
	test_kvlist();
	test_errors();
	test_missing();
	test_full();
	test_templates();
	test_env();
	test_changelog();
	test_patches();
	test_json();
	ret = done_testing();
	if (nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		diag("cannot remove %s", tmpdir);
	return ret;
}
