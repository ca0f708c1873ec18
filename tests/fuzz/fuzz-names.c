/* fuzz-names.c: project names and wheel and sdist filenames (gen/names.h). Input: a filename,
 * optionally followed by a newline and a project name for the legacy sdist rules. A filename that
 * parses is rebuilt from its parts (wheel_filename, sdist_filename), and that parses to the same parts. */
#include "fuzz.h"
#include "names.h"

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void check_wheel(const char *file, const struct wheel_name *w)
{
	struct wheel_name w2;
	struct buf err = BUF_INIT;
	char *again = wheel_filename(w->name, w->version, w->build, w->tags);

	FUZZ_CHECK(again != NULL, "wheel_filename", file, "(NULL)");
	FUZZ_CHECK(wheel_name_parse(again, &w2, &err) == 0, "wheel reparse", again, err.s);
	FUZZ_CHECK(same(w->name, w2.name) && same(w->version, w2.version) && same(w->build, w2.build) &&
		   same(w->tags, w2.tags), "wheel parts", file, again);
	FUZZ_CHECK(wheel_build_cmp(w, &w2) == 0 && wheel_build_cmp(&w2, w) == 0, "build_cmp", file, again);
	wheel_name_release(&w2);
	buf_release(&err);
	free(again);
}

static void check_sdist(const char *file, const struct sdist_name *s)
{
	struct sdist_name s2;
	struct buf err = BUF_INIT;
	char *again = sdist_filename(s->name, s->version);

	FUZZ_CHECK(again != NULL, "sdist_filename", file, "(NULL)");
	FUZZ_CHECK(sdist_name_parse(again, NULL, &s2, &err) == 0, "sdist reparse", again, err.s);
	FUZZ_CHECK(same(s->name, s2.name) && same(s->version, s2.version), "sdist parts", file, again);
	sdist_name_release(&s2);
	buf_release(&err);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	size_t restlen;
	char *file = fuzz_split(data, size, '\n', &rest, &restlen), *project = fuzz_str(rest, restlen), *c;
	struct wheel_name w;
	struct sdist_name s;
	struct buf err = BUF_INIT, esc = BUF_INIT;

	if (wheel_name_parse(file, &w, &err) == 0)
		check_wheel(file, &w);
	wheel_name_release(&w);
	buf_reset(&err);
	if (sdist_name_parse(file, NULL, &s, &err) == 0)
		check_sdist(file, &s);
	sdist_name_release(&s);
	buf_reset(&err);
	if (sdist_name_parse(file, project, &s, &err) == 0) {
		FUZZ_CHECK(name_cmp(s.name, project) == 0, "sdist project", file, project);
		check_sdist(file, &s);
	}
	sdist_name_release(&s);
	c = name_canonicalize(project);
	FUZZ_CHECK(name_cmp(c, project) == 0 && name_cmp(project, c) == 0, "canonicalize", project, c);
	FUZZ_CHECK(name_is_valid(project, strlen(project)) <= 1, "name_is_valid", project, c);
	dist_name_escape_to(&esc, project);
	free(c);
	free(file);
	free(project);
	buf_release(&err);
	buf_release(&esc);
	return 0;
}
