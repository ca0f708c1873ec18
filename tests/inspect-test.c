/* inspect-test.c: what resolve learns from an sdist without unpacking it: the build system
 * (pyproject.toml, PEP 517/518 defaults), the install requirements and where they came from
 * (PEP 643 PKG-INFO, PEP 621 [project], wheel metadata), requires-python, build_dir, and errors. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "inspect.h"
#include "tap.h"

static char *tmpdir;

#define PKG_INFO_21 "Metadata-Version: 2.1\nName: Foo\nVersion: 1.0\nRequires-Dist: ignored\n\n"
#define PKG_INFO_22 "Metadata-Version: 2.2\nName: Foo\nVersion: 1.0\nRequires-Python: >=3.8\n" \
	"Requires-Dist: bar>=1\nRequires-Dist: baz; extra == \"x\"\nProvides-Extra: x\n\n"
#define PKG_INFO_22_DYN "Metadata-Version: 2.2\nName: Foo\nVersion: 1.0\nDynamic: requires-dist\n" \
	"Requires-Dist: ignored\n\n"
#define TINY_BS "[build-system]\nrequires = [\"tinybuild>=1\", \"cython\"]\nbuild-backend = \"tinybuild\"\n" \
	"backend-path = [\".\", \"tools\"]\n"
#define PROJECT_DEPS "dep-a | dep-b; os_name == 'nt' | speedup[fast] | foo[fast][all] | extra-b[all]"
#define PROJECT "[project]\nname = \"foo\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\n" \
	"dependencies = [\"dep-a\", \"dep-b; os_name == 'nt'\"]\n" \
	"[project.optional-dependencies]\nfast = [\"speedup\"]\nall = [\"foo[fast]\", \"extra-b\"]\n"

struct icase {
	const char *what;
	const char *pkg_info, *pyproject; /* NULL: absent */
	const char *build_dir;             /* for sdist_inspect_in, NULL: sdist_inspect */
	/* expected */
	const char *build_requires;        /* joined with " | " */
	const char *backend, *backend_path;
	int has_pyproject, build_system_default;
	const char *deps_source;
	const char *deps;                  /* "req[extra]" joined with " | " */
	const char *requires_python;
	const char *name, *version;
};

/* l's items joined with " | " (a new string) */
static char *joined(const struct strlist *l)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < l->n; i++)
		buf_addf(&b, "%s%s", i ? " | " : "", l->v[i]);
	return buf_detach(&b, NULL);
}

static char *deps_joined(const struct sdist_info *si)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < si->ndeps; i++)
		buf_addf(&b, "%s%s%s%s%s", i ? " | " : "", si->deps[i].req, si->deps[i].extra ? "[" : "",
			 si->deps[i].extra ? si->deps[i].extra : "", si->deps[i].extra ? "]" : "");
	return buf_detach(&b, NULL);
}

/* An sdist foo-1.0.tar.gz holding PKG-INFO and pyproject.toml (at build_dir) when given. */
static char *write_sdist(const char *name, const char *pkg_info, const char *pyproject, const char *pyproject_at)
{
	char *path = xasprintf("%s/%s", tmpdir, name), *pp = xasprintf("foo-1.0/%s", pyproject_at);
	struct fixture_member m[4];
	size_t n = 0;

	m[n++] = (struct fixture_member){ "foo-1.0", NULL };
	m[n++] = (struct fixture_member){ "foo-1.0/foo/__init__.py", "" };
	if (pkg_info)
		m[n++] = (struct fixture_member){ "foo-1.0/PKG-INFO", pkg_info };
	if (pyproject)
		m[n++] = (struct fixture_member){ pp, pyproject };
	fixture_archive(path, m, n);
	free(pp);
	return path;
}

static void check(const struct icase *c, const char *path)
{
	struct sdist_info si;
	struct buf err = BUF_INIT;
	char *s;
	int r;

	sdist_info_init(&si);
	r = c->build_dir ? sdist_inspect_in(path, c->build_dir, &si, &err) : sdist_inspect(path, &si, &err);
	if (!is_int(r, 0, "%s: inspected", c->what)) {
		diag("%s", err.s);
		goto out;
	}
	is_str(si.topdir, "foo-1.0", "%s: top directory", c->what);
	s = joined(&si.build_requires);
	is_str(s, c->build_requires, "%s: build requirements", c->what);
	free(s);
	is_str(si.build_backend, c->backend, "%s: backend", c->what);
	s = joined(&si.backend_path);
	is_str(s, c->backend_path, "%s: backend-path", c->what);
	free(s);
	is_int(si.has_pyproject, c->has_pyproject, "%s: has pyproject.toml", c->what);
	is_int(si.build_system_default, c->build_system_default, "%s: PEP 518 default build system", c->what);
	is_str(deps_source_name(si.deps_source), c->deps_source, "%s: install requirements from", c->what);
	s = deps_joined(&si);
	is_str(s, c->deps, "%s: install requirements", c->what);
	free(s);
	is_str(si.requires_python, c->requires_python, "%s: requires-python", c->what);
	is_str(si.name, c->name, "%s: name", c->what);
	is_str(si.version, c->version, "%s: version", c->what);
out:
	sdist_info_release(&si);
	ok(si.topdir == NULL && si.ndeps == 0 && si.build_requires.n == 0, "%s: released", c->what);
	buf_release(&err);
}

static void test_inspect(void)
{
	static const struct icase t[] = {
		{ "no pyproject.toml, PKG-INFO 2.1", PKG_INFO_21, NULL, NULL,
		  DEFAULT_BUILD_REQUIRES, DEFAULT_BUILD_BACKEND, "", 0, 1, "dynamic", "", NULL, "Foo", "1.0" },
		{ "no pyproject.toml, PKG-INFO 2.2: its requirements", PKG_INFO_22, NULL, NULL,
		  DEFAULT_BUILD_REQUIRES, DEFAULT_BUILD_BACKEND, "", 0, 1, "pkg-info",
		  "bar>=1 | baz; extra == \"x\"", ">=3.8", "Foo", "1.0" },
		{ "PKG-INFO 2.2 with Requires-Dist dynamic", PKG_INFO_22_DYN, NULL, NULL,
		  DEFAULT_BUILD_REQUIRES, DEFAULT_BUILD_BACKEND, "", 0, 1, "dynamic", "", NULL, "Foo", "1.0" },
		{ "no PKG-INFO at all", NULL, NULL, NULL,
		  DEFAULT_BUILD_REQUIRES, DEFAULT_BUILD_BACKEND, "", 0, 1, "dynamic", "", NULL, NULL, NULL },
		{ "[build-system] and [project]", PKG_INFO_21, TINY_BS PROJECT, NULL,
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "pyproject",
		  PROJECT_DEPS, ">=3.9", "Foo", "1.0" },
		{ "PKG-INFO 2.2 wins over [project]", PKG_INFO_22, TINY_BS PROJECT, NULL,
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "pkg-info",
		  "bar>=1 | baz; extra == \"x\"", ">=3.8", "Foo", "1.0" },
		{ "PKG-INFO 2.2, Requires-Dist dynamic: [project]", PKG_INFO_22_DYN, TINY_BS PROJECT, NULL,
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "pyproject",
		  PROJECT_DEPS, ">=3.9", "Foo", "1.0" },
		{ "[project] with dynamic dependencies", PKG_INFO_21,
		  TINY_BS "[project]\nname = \"foo\"\ndynamic = [\"version\", \"dependencies\"]\n", NULL,
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "[project] with dynamic optional-dependencies", PKG_INFO_21,
		  TINY_BS "[project]\nname = \"foo\"\ndependencies = [\"a\"]\ndynamic = [\"optional-dependencies\"]\n",
		  NULL, "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "[project] without dependencies: none", PKG_INFO_21,
		  TINY_BS "[project]\nname = \"foo\"\ndynamic = [\"version\"]\n", NULL,
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "pyproject", "", NULL, "Foo", "1.0" },
		{ "[build-system] without build-backend: the legacy backend", PKG_INFO_21,
		  "[build-system]\nrequires = [\"setuptools\", \"wheel\"]\n", NULL,
		  "setuptools | wheel", DEFAULT_BUILD_BACKEND, "", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "[build-system] with empty requires", PKG_INFO_21,
		  "[build-system]\nrequires = []\nbuild-backend = \"flit_core.buildapi\"\n", NULL,
		  "", "flit_core.buildapi", "", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "pyproject.toml without [build-system]", PKG_INFO_21, "[tool.black]\nline-length = 100\n", NULL,
		  DEFAULT_BUILD_REQUIRES, DEFAULT_BUILD_BACKEND, "", 1, 1, "dynamic", "", NULL, "Foo", "1.0" },
		{ "requires-python: PKG-INFO's wins over [project]'s", PKG_INFO_22,
		  "[project]\nname = \"foo\"\nrequires-python = \">=3.9\"\n", NULL,
		  DEFAULT_BUILD_REQUIRES, DEFAULT_BUILD_BACKEND, "", 1, 1, "pkg-info",
		  "bar>=1 | baz; extra == \"x\"", ">=3.8", "Foo", "1.0" },
		{ "requires-python: [project]'s when PKG-INFO has none", PKG_INFO_22_DYN,
		  "[project]\nname = \"foo\"\nrequires-python = \">=3.9\"\n", NULL,
		  DEFAULT_BUILD_REQUIRES, DEFAULT_BUILD_BACKEND, "", 1, 1, "pyproject", "", ">=3.9", "Foo", "1.0" },
		/* fromager's build_dir: pyproject.toml from a sub-directory, PKG-INFO from the root */
		{ "build_dir", PKG_INFO_21, TINY_BS, "sub/dir",
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "build_dir with slashes around it", PKG_INFO_21, TINY_BS, "/sub/dir//",
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "build_dir '/': the root", PKG_INFO_21, TINY_BS, "/",
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "build_dir '': the root", PKG_INFO_21, TINY_BS, "",
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "build_dir naming '.' segments", PKG_INFO_21, TINY_BS, "./sub/./dir",
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "build_dir '.': the root", PKG_INFO_21, TINY_BS, ".",
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
		{ "build_dir with a double slash inside", PKG_INFO_21, TINY_BS, "sub//dir",
		  "tinybuild>=1 | cython", "tinybuild", ". | tools", 1, 0, "dynamic", "", NULL, "Foo", "1.0" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		const char *at = "pyproject.toml";
		char *name = xasprintf("case%zu.tar.gz", i), *path, *where = NULL;

		/* the sdist holds pyproject.toml where a normalised build_dir points */
		if (t[i].build_dir && strstr(t[i].build_dir, "sub"))
			at = where = xstrdup("sub/dir/pyproject.toml");
		path = write_sdist(name, t[i].pkg_info, t[i].pyproject, at);
		check(&t[i], path);
		free(path);
		free(name);
		free(where);
	}
}

static void test_build_dir_root_pyproject(void)
{
	/* a build_dir that holds no pyproject.toml: the root's is not used instead */
	char *path = write_sdist("rootonly.tar.gz", PKG_INFO_21, TINY_BS, "pyproject.toml");
	struct sdist_info si;
	struct buf err = BUF_INIT;

	sdist_info_init(&si);
	is_int(sdist_inspect_in(path, "sub", &si, &err), 0, "build_dir without a pyproject.toml: inspected");
	is_int(si.has_pyproject, 0, "... as having none");
	is_str(si.build_backend, DEFAULT_BUILD_BACKEND, "... the default backend");
	sdist_info_release(&si);
	buf_release(&err);
	free(path);
}

static void test_formats(void)
{
	static const char *const names[] = { "foo-1.0.tar.gz", "foo-1.0.zip", "foo-1.0.tar.bz2" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char *path = write_sdist(names[i], PKG_INFO_22, TINY_BS, "pyproject.toml");
		struct sdist_info si;
		struct buf err = BUF_INIT;

		sdist_info_init(&si);
		is_int(sdist_inspect(path, &si, &err), 0, "%s: inspected", names[i]);
		is_str(si.build_backend, "tinybuild", "%s: backend", names[i]);
		is_int((long long)si.ndeps, 2, "%s: requirements", names[i]);
		sdist_info_release(&si);
		buf_release(&err);
		free(path);
	}
}

static void test_errors(void)
{
	static const struct {
		const char *what, *pkg_info, *pyproject, *want;
	} t[] = {
		{ "a pyproject.toml that does not parse", NULL, "[build-system\nrequires = []\n", "pyproject.toml:1:" },
		{ "[build-system] not a table", NULL, "build-system = 1\n",
		  "pyproject.toml: [build-system] is not a table" },
		{ "[build-system] without requires", NULL, "[build-system]\nbuild-backend = \"flit_core.buildapi\"\n",
		  "pyproject.toml: [build-system] has no requires (PEP 518: the key is required once the table is there)" },
		{ "an empty [build-system]", NULL, "[build-system]\n",
		  "pyproject.toml: [build-system] has no requires (PEP 518: the key is required once the table is there)" },
		{ "requires not an array", NULL, "[build-system]\nrequires = \"setuptools\"\n",
		  "pyproject.toml: build-system.requires is not an array of strings" },
		{ "requires with a number", NULL, "[build-system]\nrequires = [\"a\", 1]\n",
		  "pyproject.toml: build-system.requires[1] is not a string" },
		{ "build-backend not a string", NULL, "[build-system]\nrequires = []\nbuild-backend = [\"x\"]\n",
		  "pyproject.toml: build-system.build-backend is not a string" },
		{ "backend-path not an array", NULL, "[build-system]\nrequires = []\nbackend-path = \".\"\n",
		  "pyproject.toml: build-system.backend-path is not an array of strings" },
		{ "[project] not a table", NULL, "project = \"foo\"\n", "pyproject.toml: [project] is not a table" },
		{ "dependencies not an array", NULL, "[project]\ndependencies = \"a\"\n",
		  "pyproject.toml: project.dependencies is not an array of strings" },
		{ "optional-dependencies not a table", NULL, "[project]\noptional-dependencies = [\"a\"]\n",
		  "pyproject.toml: project.optional-dependencies is not a table" },
		{ "an extra that is not an array", NULL, "[project.optional-dependencies]\nx = \"a\"\n",
		  "pyproject.toml: project.optional-dependencies.x is not an array of strings" },
		{ "a PKG-INFO that does not parse", "Metadata-Version: 9.0\nName: foo\n\n", NULL, "PKG-INFO: " },
	};
	struct buf err = BUF_INIT;
	struct sdist_info si;
	size_t i;
	char *path;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		char *name = xasprintf("bad%zu.tar.gz", i);

		path = write_sdist(name, t[i].pkg_info, t[i].pyproject, "pyproject.toml");
		sdist_info_init(&si);
		buf_reset(&err);
		is_int(sdist_inspect(path, &si, &err), -1, "%s: refused", t[i].what);
		ok(starts_with(err.s, t[i].want), "%s: says so", t[i].what);
		if (!starts_with(err.s, t[i].want))
			diag("got '%s', want '%s...'", err.s, t[i].want);
		sdist_info_release(&si);
		free(path);
		free(name);
	}
	path = xasprintf("%s/garbage.tar.gz", tmpdir);
	fixture_write(path, "this is not an archive\n");
	sdist_info_init(&si);
	buf_reset(&err);
	is_int(sdist_inspect(path, &si, &err), -1, "an archive that is none: refused");
	ok(strstr(err.s, "garbage.tar.gz") != NULL, "... naming it ('%s')", err.s);
	sdist_info_release(&si);
	free(path);
	path = xasprintf("%s/missing.tar.gz", tmpdir);
	sdist_info_init(&si);
	buf_reset(&err);
	is_int(sdist_inspect(path, &si, &err), -1, "a missing file: refused");
	sdist_info_release(&si);
	free(path);
	buf_release(&err);
}

/* PEP 658 metadata of a wheel replaces what the sdist said */
static void test_from_metadata(void)
{
	static const char meta[] = "Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nRequires-Dist: x>=1\n"
				   "Requires-Dist: y; extra == \"t\"\nProvides-Extra: t\n\n";
	char *path = write_sdist("meta.tar.gz", PKG_INFO_21, TINY_BS PROJECT, "pyproject.toml"), *s;
	struct sdist_info si;
	struct buf err = BUF_INIT;

	sdist_info_init(&si);
	is_int(sdist_inspect(path, &si, &err), 0, "metadata: inspected");
	is_int(sdist_info_deps_from_metadata(&si, meta, strlen(meta), DEPS_WHEEL_METADATA, &err), 0,
	       "metadata: taken");
	is_str(deps_source_name(si.deps_source), "wheel-metadata", "metadata: the source");
	s = deps_joined(&si);
	is_str(s, "x>=1 | y; extra == \"t\"", "metadata: the requirements replace [project]'s");
	free(s);
	is_int(sdist_info_deps_from_metadata(&si, "Name: foo\n\0", 11, DEPS_WHEEL_METADATA, &err), -1,
	       "metadata that does not parse: refused");
	ok(err.len > 0, "... with a reason");
	is_int((long long)si.ndeps, 2, "... the requirements stay");
	is_str(deps_source_name(si.deps_source), "wheel-metadata", "... and their source");
	sdist_info_release(&si);
	buf_release(&err);
	free(path);
	is_str(deps_source_name(DEPS_DYNAMIC), "dynamic", "deps_source_name(DEPS_DYNAMIC)");
	is_str(deps_source_name(DEPS_PKG_INFO), "pkg-info", "deps_source_name(DEPS_PKG_INFO)");
	is_str(deps_source_name(DEPS_PYPROJECT), "pyproject", "deps_source_name(DEPS_PYPROJECT)");
	is_str(deps_source_name(DEPS_WHEEL_METADATA), "wheel-metadata", "deps_source_name(DEPS_WHEEL_METADATA)");
}

int main(void)
{
	int ret;

	tmpdir = fixture_tmpdir("inspect-test");
	plan_no_plan();
	test_inspect();
	test_build_dir_root_pyproject();
	test_formats();
	test_errors();
	test_from_metadata();
	ret = done_testing();
	if (fixture_rmtree(tmpdir) != 0)
		diag("cannot remove %s", tmpdir);
	free(tmpdir);
	return ret;
}
