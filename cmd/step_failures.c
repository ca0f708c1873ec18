/* step_failures.c: failures.json, the failures of a run (see step_state.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "fsutil.h"
#include "step_state.h"
#include "step_trace.h"
#include "utf8.h"
#include "util.h"

#define FAILURES "failures.json"

json_t *step_failures_load(void)
{
	json_t *v = json_load_file(FAILURES, 0, NULL), *a = json_object_get(v, "failures");

	if (json_is_array(a)) {
		json_incref(a);
		json_decref(v);
		return a;
	}
	json_decref(v);
	return json_array();
}

void step_failures_write(json_t *a)
{
	json_t *v = json_pack("{s:O}", "failures", a);
	char *t = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct buf b = BUF_INIT;

	buf_adds(&b, t);
	buf_addch(&b, '\n');
	if (write_file(FAILURES, b.s, b.len, 0) < 0)
		die("cannot write '%s':", FAILURES);
	buf_release(&b);
	free(t);
	json_decref(v);
}

void step_record_failure(const char *name, const char *version, const char *phase, const char *log, int status,
			 const char *msg, const char *launcher)
{
	int fd = step_lock("logs/.lock");
	json_t *a = step_failures_load(), *out = json_array(), *e;
	struct step_counts c;
	size_t i;

	step_trace_outcome(TRACE_FAILED);
	json_array_foreach(a, i, e)
		if (strcmp(json_string_value(json_object_get(e, "name")) ?: "", name) != 0 ||
		    strcmp(json_string_value(json_object_get(e, "phase")) ?: "", phase) != 0)
			json_array_append(out, e);
	e = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "name", name, "version", version, "phase", phase, "log", log,
		      "status", status, "message", msg, "run", getenv("WBGEN_INNER") ?: "");
	if (launcher)
		json_object_set_new(e, "launcher", json_string(launcher));
	json_array_append_new(out, e);
	step_failures_write(out);
	step_counts_read(&c);
	c.failed++;
	step_counts_write(&c);
	json_decref(a);
	json_decref(out);
	close(fd);
}

int step_failed_in_run(const char *name, const char *phase)
{
	const char *run = getenv("WBGEN_INNER");
	int fd, found = 0;
	json_t *a, *e;
	size_t i;

	if (!run || !*run)
		return 0;
	fd = step_lock("logs/.lock");
	a = step_failures_load();
	close(fd);
	json_array_foreach(a, i, e)
		if (strcmp(json_string_value(json_object_get(e, "name")) ?: "", name) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "phase")) ?: "", phase) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "run")) ?: "", run) == 0)
			found = 1;
	json_decref(a);
	return found;
}

void step_tail(const char *path, int n, struct buf *out)
{
	struct buf b = BUF_INIT;
	size_t start;
	int lines = 0;

	if (buf_read_file(&b, path) < 0 || b.len == 0) {
		buf_release(&b);
		return;
	}
	start = b.len;
	if (b.s[start - 1] == '\n')
		start--;
	while (start > 0 && lines < n) {
		start--;
		if (b.s[start] == '\n')
			lines++;
	}
	if (b.s[start] == '\n')
		start++;
	while (start < b.len) {
		char *nl = memchr(b.s + start, '\n', b.len - start);
		size_t end = nl ? (size_t)(nl - b.s) : b.len;

		buf_adds(out, "    ");
		buf_add_printable(out, b.s + start, end - start);
		buf_addch(out, '\n');
		start = end + 1;
	}
	buf_release(&b);
}
