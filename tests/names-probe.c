/* names-probe.c: exposes names, tags and pyenv to tests/diff-names.py, one request per line.
 *
 *   names-probe wheel          FILENAME          -> ok<TAB>name<TAB>version<TAB>build<TAB>tags | error
 *   names-probe sdist          FILENAME          -> ok<TAB>name<TAB>version | error
 *   names-probe sdist-project  PROJECT<TAB>FILE  -> ok<TAB>name<TAB>version<TAB>ext | error
 *   names-probe filename       NAME<TAB>VERSION  -> sdist filename<TAB>wheel filename (tags py3-none-any)
 *   names-probe expand         COMPRESSED TAGS   -> the sorted tags joined by ',' | error
 *   names-probe facts          JSON tag facts    -> JSON list of tags | error: MESSAGE
 *   names-probe python         INTERPRETER PATH  -> JSON {"markers", "tags"} | error: MESSAGE
 *
 * build is "" without a build tag, else "NUMBER,REST"; tags are sorted and joined by ','. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "names.h"
#include "pyenv.h"
#include "tags.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_sorted(struct tag_list *l)
{
	size_t i;

	QSORT(l->v, l->nr, cmp_str);
	for (i = 0; i < l->nr; i++)
		printf("%s%s", i ? "," : "", l->v[i]);
}

static void print_json_line(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);

	puts(s ? s : "error: cannot encode");
	free(s);
}

static void do_line(const char *mode, char *line)
{
	struct buf err = BUF_INIT;
	char *tab = strchr(line, '\t');

	if (strcmp(mode, "wheel") == 0) {
		struct wheel_name w;
		struct tag_list l = TAG_LIST_INIT;

		if (wheel_name_parse(line, &w, &err) || tag_set_expand(w.tags, &l)) {
			puts("error");
		} else {
			printf("ok\t%s\t%s\t", w.name, w.version);
			if (w.build_num)
				printf("%s,%s", w.build_num, w.build_rest);
			putchar('\t');
			print_sorted(&l);
			putchar('\n');
		}
		tag_list_release(&l);
		wheel_name_release(&w);
	} else if (strcmp(mode, "sdist") == 0 || strcmp(mode, "sdist-project") == 0) {
		const char *project = NULL, *file = line;
		struct sdist_name s;

		if (strcmp(mode, "sdist-project") == 0) {
			if (!tab)
				BUG("no tab in '%s'", line);
			*tab = '\0';
			project = line;
			file = tab + 1;
		}
		if (sdist_name_parse(file, project, &s, &err))
			puts("error");
		else if (project)
			printf("ok\t%s\t%s\t%s\n", s.name, s.version, s.ext);
		else
			printf("ok\t%s\t%s\n", s.name, s.version);
		sdist_name_release(&s);
	} else if (strcmp(mode, "filename") == 0) {
		char *sd, *wh;

		if (!tab)
			BUG("no tab in '%s'", line);
		*tab = '\0';
		sd = sdist_filename(line, tab + 1);
		wh = wheel_filename(line, tab + 1, NULL, "py3-none-any");
		printf("%s\t%s\n", sd ? sd : "error", wh ? wh : "error");
		free(sd);
		free(wh);
	} else if (strcmp(mode, "expand") == 0) {
		struct tag_list l = TAG_LIST_INIT;

		if (tag_set_expand(line, &l)) {
			puts("error");
		} else {
			print_sorted(&l);
			putchar('\n');
		}
		tag_list_release(&l);
	} else if (strcmp(mode, "facts") == 0) {
		json_t *facts = json_loads(line, 0, NULL), *answer = json_object();
		struct tag_glibc_answer *answers = NULL;
		struct tag_list l = TAG_LIST_INIT;
		struct tag_facts f;
		json_t *out = json_array();
		size_t i;

		if (!facts)
			BUG("bad facts '%s'", line);
		json_object_set_new(answer, "tags", facts);
		if (pyenv_tag_facts(answer, &f, &answers, &err) || tags_compute(&f, &l, &err)) {
			printf("error: %s\n", err.s);
		} else {
			for (i = 0; i < l.nr; i++)
				json_array_append_new(out, json_string(l.v[i]));
			print_json_line(out);
		}
		free(answers);
		json_decref(out);
		json_decref(answer);
		tag_list_release(&l);
	} else if (strcmp(mode, "python") == 0) {
		struct pyenv pe;

		if (pyenv_load(&pe, line, NULL, &err)) {
			printf("error: %s\n", err.s);
		} else {
			json_t *j = pyenv_to_json(&pe);

			print_json_line(j);
			json_decref(j);
			pyenv_release(&pe);
		}
	} else {
		BUG("unknown mode '%s'", mode);
	}
	buf_release(&err);
}

int main(int argc, char **argv)
{
	struct buf line = BUF_INIT;
	int c;

	if (argc != 2) {
		fprintf(stderr, "usage: names-probe MODE < requests\n");
		return 2;
	}
	for (;;) {
		c = getchar();
		if (c == EOF || c == '\n') {
			if (c == EOF && !line.len)
				break;
			do_line(argv[1], line.s);
			buf_reset(&line);
			if (c == EOF)
				break;
			continue;
		}
		buf_addch(&line, c);
	}
	buf_release(&line);
	return fflush(stdout) == 0 ? 0 : 1;
}
