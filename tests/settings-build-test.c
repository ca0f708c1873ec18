/* settings-build-test.c: the build side of per-package settings: fromager's job count, pkg.json's
 * settings keys, and the wheel's name with a build tag. */
#include <stdlib.h>
#include <string.h>

#include "settings/settings.h"
#include "tap.h"
#include "wheel/wheel.h"

static void jobs(void)
{
	static const struct {
		long cores;
		double mem;
		long cpus;
		double avail;
		long max_jobs, want;
	} cases[] = {
		{ 1, 1.0, 8, 64.0, -1, 8 },      /* defaults: every CPU */
		{ 2, 1.0, 8, 64.0, -1, 4 },      /* cpus // cores per job */
		{ 3, 1.0, 8, 64.0, -1, 2 },
		{ 16, 1.0, 8, 64.0, -1, 1 },     /* at least 1 */
		{ 1, 4.0, 8, 10.0, -1, 2 },      /* free // memory per job */
		{ 1, 100.0, 8, 10.0, -1, 1 },    /* at least 1 */
		{ 1, 1.0, 8, 64.0, 3, 3 },       /* make -j3 (fromager's --jobs) */
		{ 1, 1.0, 2, 64.0, 16, 2 },
		{ 1, 1.0, 8, -1.0, -1, 8 },      /* unknown memory does not limit */
		{ 2, 2.5, 16, 12.0, 6, 4 },      /* min(8, 4, 6) */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		is_int(settings_parallel_jobs(cases[i].cores, cases[i].mem, cases[i].cpus, cases[i].avail,
					      cases[i].max_jobs),
		       cases[i].want, "jobs: %ld cores/job, %.1f GiB/job, %ld CPUs, %.1f GiB, -j%ld", cases[i].cores,
		       cases[i].mem, cases[i].cpus, cases[i].avail, cases[i].max_jobs);
	ok(settings_cpu_count() >= 1, "at least one CPU");
}

static void names(void)
{
	static const struct {
		const char *in, *build, *want;
	} cases[] = {
		{ "foo-1.0-py3-none-any.whl", "1", "foo-1.0-1-py3-none-any.whl" },
		{ "foo-1.0-2-py3-none-any.whl", "3", "foo-1.0-3-py3-none-any.whl" },
		{ "foo-1.0-2abc-py3-none-any.whl", NULL, "foo-1.0-py3-none-any.whl" },
		{ "foo-1.0-py3-none-any.whl", "", "foo-1.0-py3-none-any.whl" },
		{ "Foo_Bar-2.0.post1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "12",
		  "Foo_Bar-2.0.post1-12-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl" },
		{ "not-a-wheel.tar.gz", "1", NULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = wheel_name_with_build(cases[i].in, cases[i].build);

		is_str(got, cases[i].want, "build tag %s on %s", cases[i].build ? cases[i].build : "(none)", cases[i].in);
		free(got);
	}
}

static void pkg_json(void)
{
	struct buf err = BUF_INIT;
	json_t *v = json_object();

	ok(settings_pkg_json(NULL, "foo", "1.0", v, &err) == 0, "without settings");
	ok(json_is_null(json_object_get(v, "settings")), "... settings is null");
	is_int(json_integer_value(json_object_get(v, "build_tag")), 0, "... no build tag");
	is_int(json_integer_value(json_object_get(v, "cpu_cores_per_job")), 1, "... one core per job");
	ok(json_is_false(json_object_get(v, "exclusive_build")), "... not exclusive");
	ok(json_array_size(json_object_get(v, "patches")) == 0 && json_object_size(json_object_get(v, "config_settings")) == 0,
	   "... no patches, no config settings");
	json_decref(v);
	buf_release(&err);
}

int main(void)
{
	plan_no_plan();
	jobs();
	names();
	pkg_json();
	return done_testing();
}
