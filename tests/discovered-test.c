/* discovered-test.c: requirements found at build time: adding, the JSON form, loading it back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discovered.h"
#include "tap.h"

int main(void)
{
	static const struct {
		const char *name, *version, *type, *req, *err; /* err: substring, NULL when valid */
	} add[] = {
		{ "Zeta_Pkg", "2.0.0", "install", "b>=1", NULL },
		{ "alpha", "1.0", "build-backend", "wheel", NULL },
		{ "alpha", "1.0", "build-sdist", "x; python_version < '3'", NULL },
		{ "alpha", "v1.0", "build-backend", "setuptools>=40", NULL },
		{ "-bad-", "1.0", "install", "b", "invalid project name" },
		{ "a", "one", "install", "b", "invalid version 'one'" },
		{ "a", "1", "runtime", "b", "unknown requirement type 'runtime'" },
		{ "a", "1", "install", "b>=", "invalid requirement" },
	};
	struct discovered d, back;
	struct buf err = BUF_INIT;
	char path[] = "/tmp/wbgen-discovered-XXXXXX";
	char *text, *text2;
	json_t *j;
	size_t i;
	int fd;

	plan_no_plan();
	discovered_init(&d);
	for (i = 0; i < ARRAY_SIZE(add); i++) {
		int r;

		buf_reset(&err);
		r = discovered_add(&d, add[i].name, add[i].version, add[i].type, add[i].req, &err);
		if (add[i].err)
			ok(r < 0 && strstr(err.s, add[i].err), "refused: %s (%s)", add[i].err, err.s);
		else
			ok(r == 0, "added %s %s %s '%s'", add[i].name, add[i].version, add[i].type, add[i].req);
	}
	is_int((long long)d.n, 4, "the valid entries only");
	is_str(d.v[0].name, "zeta-pkg", "names are canonical");
	is_str(d.v[3].version, "1.0", "versions are canonical");
	ok(discovered_answer(&d, "Zeta_Pkg", "2.0", "install", &err) == 0, "an answer recorded");
	ok(discovered_answer(&d, "beta", "1", "build-backend", &err) == 0, "an empty answer recorded");
	ok(discovered_answer(&d, "zeta-pkg", "2.0.0", "install", &err) == 0 && d.answered.n == 2, "once");
	buf_reset(&err);
	ok(discovered_answer(&d, "beta", "1", "sideways", &err) < 0 && err.len, "a bad type refused");
	ok(discovered_answered(&d, "zeta.pkg", "2", "install"), "answered: names and versions canonical");
	ok(!discovered_answered(&d, "zeta-pkg", "2", "build-backend"), "answered: per type");
	ok(!discovered_answered(&d, "alpha", "1.0", "build-backend"), "requirements alone are no answer");
	j = discovered_to_json(&d);
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	is_str(text,
	       "{\"wbgen_discovered\":1,\"requirements\":["
	       "{\"name\":\"alpha\",\"version\":\"1.0\",\"req_type\":\"build-backend\",\"req\":\"setuptools>=40\"},"
	       "{\"name\":\"alpha\",\"version\":\"1.0\",\"req_type\":\"build-backend\",\"req\":\"wheel\"},"
	       "{\"name\":\"alpha\",\"version\":\"1.0\",\"req_type\":\"build-sdist\",\"req\":\"x; python_version < '3'\"},"
	       "{\"name\":\"zeta-pkg\",\"version\":\"2.0.0\",\"req_type\":\"install\",\"req\":\"b>=1\"}],"
	       "\"answered\":[{\"name\":\"beta\",\"version\":\"1\",\"req_type\":\"build-backend\"},"
	       "{\"name\":\"zeta-pkg\",\"version\":\"2\",\"req_type\":\"install\"}]}",
	       "sorted JSON form");
	fd = mkstemp(path);
	ok(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) && close(fd) == 0, "written");
	discovered_init(&back);
	buf_reset(&err);
	ok(discovered_load(&back, path, &err) == 0, "loaded back: %s", err.s);
	j = discovered_to_json(&back);
	text2 = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	is_str(text2, text, "round trip");
	unlink(path);
	buf_reset(&err);
	ok(discovered_load(&back, path, &err) == 0 && back.n == 4, "a missing file adds nothing");
	ok(discovered_answered(&back, "beta", "1", "build-backend"), "answers loaded back");
	free(text);
	free(text2);
	discovered_release(&back);
	discovered_release(&d);
	buf_release(&err);
	return done_testing();
}
