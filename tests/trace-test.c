/* trace-test.c: the build's trace (gen/trace.c): concurrent appenders, torn and foreign lines,
 * reading from an offset, phases that never ended; its timeline (gen/timeline.c): slots, the
 * critical path through the Makefile's prerequisites, the bound; and the report's figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "report.h"
#include "tap.h"
#include "timeline.h"
#include "trace.h"

static char dir[] = "/tmp/wbgen-trace-test.XXXXXX";

static char *tpath(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void add_line(const char *path, const char *line)
{
	struct buf b = BUF_INIT;

	buf_read_file(&b, path);
	buf_adds(&b, line);
	if (write_file(path, b.s, b.len, WRITE_NOSYNC) < 0)
		BUG("cannot write %s", path);
	buf_release(&b);
}

/* Eight processes append 400 records each, some longer than a pipe's atomic size: every record
 * comes back whole. */
static void test_concurrent(void)
{
	char *path = tpath("concurrent.jsonl");
	struct trace t;
	struct buf err = BUF_INIT;
	int k, bad = 0, status;
	size_t i, count[8] = { 0 };

	for (k = 0; k < 8; k++) {
		pid_t pid = fork();

		if (pid == 0) {
			int j;

			for (j = 0; j < 400; j++) {
				json_t *deps = json_array();
				json_t *rec;
				int d;

				/* up to about 9 KB of deps: more than PIPE_BUF */
				for (d = 0; d < (j % 7) * 50; d++)
					json_array_append_new(deps, json_string("some-long-package-name-1.0"));
				rec = json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:f, s:f, s:s, s:f, s:f, s:i, s:o}", "ev",
						"phase", "run", "r1", "pass", 1, "id", "p-1.0", "phase", "build", "pid",
						k * 1000 + j, "start", 1.0 + j, "end", 2.0 + j, "outcome", "built", "user", 0.5,
						"sys", 0.25, "maxrss_kb", 1024, "deps", deps);
				if (trace_append(path, rec) < 0)
					_exit(1);
				json_decref(rec);
			}
			_exit(0);
		}
	}
	for (k = 0; k < 8; k++) {
		wait(&status);
		bad |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	ok(!bad, "eight appenders ran");
	trace_init(&t);
	is_int(trace_load(&t, path, 0, &err), 0, "the trace loads");
	is_int((long long)t.n, 3200, "every record is there");
	is_int((long long)t.skipped, 0, "none torn");
	for (i = 0; i < t.n; i++) {
		long j = t.ph[i].pid % 1000;

		count[t.ph[i].pid / 1000]++;
		if (t.ph[i].deps.n != (size_t)((j % 7) * 50) || t.ph[i].outcome != TRACE_BUILT)
			bad = 1;
	}
	ok(!bad, "each record whole, its deps all there");
	for (k = 0; k < 8; k++)
		is_int((long long)count[k], 400, "appender %d: 400 records", k);
	trace_release(&t);
	buf_release(&err);
	free(path);
}

static const char *const sample[] = {
	"{\"ev\":\"run\",\"run\":\"r1\",\"start\":100.0,\"jobs\":2,\"goals\":\"all\"}\n",
	"{\"ev\":\"begin\",\"run\":\"r1\",\"pass\":1,\"id\":\"a-1.0\",\"name\":\"a\",\"version\":\"1.0\",\"phase\":\"build\",\"pid\":10,\"start\":101.0}\n",
	"{\"ev\":\"begin\",\"run\":\"r1\",\"pass\":1,\"id\":\"b-2.0\",\"name\":\"b\",\"version\":\"2.0\",\"phase\":\"build\",\"pid\":11,\"start\":101.5}\n",
	"not a record\n",
	"{\"ev\":\"phase\",\"run\":\"r1\",\"pass\":1,\"id\":\"a-1.0\",\"name\":\"a\",\"version\":\"1.0\",\"phase\":\"build\",\"pid\":10,"
	"\"start\":101.0,\"end\":104.0,\"outcome\":\"built\",\"user\":2.5,\"sys\":0.5,\"maxrss_kb\":2048,\"deps\":[\"x-1\"]}\n",
	"{\"ev\":\"phase\",\"run\":\"r1\",\"pass\":1,\"id\":\"c-1.0\",\"phase\":\"build\",\"pid\":12,\"start\":1,\"end\":2,\"outcome\":\"exploded\"}\n",
	"{\"ev\":\"pass\",\"run\":\"r1\",\"pass\":1,\"end\":106.0,\"status\":0}\n",
	"{\"ev\":\"run\",\"run\":\"r2\",\"start\":200.0,\"jobs\":0,\"goals\":\"b\"}\n",
	"{\"ev\":\"run-end\",\"run\":\"r2\",\"end\":201.0,\"status\":2}\n",
	"{\"ev\":\"phase\",\"run\":\"r2\",\"pa", /* torn: no newline */
};

static void test_load(void)
{
	char *path = tpath("sample.jsonl");
	struct trace t;
	struct buf err = BUF_INIT;
	const struct trace_run *r;
	struct stat st;
	size_t i;
	off_t mid = 0;

	for (i = 0; i < ARRAY_SIZE(sample); i++) {
		add_line(path, sample[i]);
		if (i == 6 && stat(path, &st) == 0)
			mid = st.st_size;
	}
	trace_init(&t);
	is_int(trace_load(&t, path, 0, &err), 0, "sample loads");
	is_int((long long)t.skipped, 3, "a foreign line, an unknown outcome and a torn tail skipped");
	is_int((long long)t.n, 2, "two phases");
	is_str(t.ph[0].id, "a-1.0", "the first began first");
	is_int(t.ph[0].outcome, TRACE_BUILT, "... and ended built");
	ok(t.ph[0].end == 104.0 && t.ph[0].user == 2.5 && t.ph[0].sys == 0.5 && t.ph[0].maxrss_kb == 2048,
	   "... its times, CPU and memory");
	is_int((long long)t.ph[0].deps.n, 1, "... its deps");
	is_int(t.ph[1].outcome, TRACE_KILLED, "the second never ended: killed");
	ok(t.ph[1].end == 106.0, "... ending at its run's last record");
	is_str(t.ph[1].name, "b", "... named from its begin record");
	is_int((long long)t.nruns, 2, "two runs");
	r = trace_run_find(&t, "r1");
	ok(r && r->status == -1 && r->jobs == 2 && r->passes == 1 && r->end == 106.0, "r1: no end record, -j2, one pass");
	r = trace_run_find(&t, NULL);
	ok(r && strcmp(r->run, "r2") == 0 && r->status == 2 && r->jobs == 0, "the last run: r2, -j, status 2");
	ok(!trace_run_find(&t, "r3"), "no r3");
	is_int(trace_load(&t, path, mid, &err), 0, "loading from an offset");
	is_int((long long)t.nruns, 1, "... sees the later run only");
	is_int((long long)t.n, 0, "... and no phase");
	is_int(trace_load(&t, path, mid - 3, &err), 0, "an offset inside a line");
	is_int((long long)t.nruns, 1, "... starts at the next line");
	free(path);
	path = tpath("missing.jsonl");
	is_int(trace_load(&t, path, 0, &err), -1, "a missing trace is an error");
	ok(strstr(err.s, "missing.jsonl") != NULL, "... naming the file");
	trace_release(&t);
	buf_release(&err);
	free(path);
}

/* A build of two packages: b's environment installs a's wheel. */
static const char *const build[] = {
	"{\"ev\":\"run\",\"run\":\"R\",\"start\":0.0,\"jobs\":2,\"goals\":\"all\"}\n",
	"%s\"a-1.0\",\"phase\":\"unpack\",\"pid\":1,\"start\":0.0,\"end\":1.0%s[]}\n",
	"%s\"b-1.0\",\"phase\":\"unpack\",\"pid\":2,\"start\":0.0,\"end\":0.5%s[]}\n",
	"%s\"a-1.0\",\"phase\":\"build-system\",\"pid\":3,\"start\":0.0,\"end\":2.0%s[]}\n",
	"%s\"a-1.0\",\"phase\":\"discover\",\"pid\":4,\"start\":2.0,\"end\":2.5%s[]}\n",
	"%s\"a-1.0\",\"phase\":\"backend\",\"pid\":5,\"start\":2.5,\"end\":3.0%s[]}\n",
	"%s\"a-1.0\",\"phase\":\"build\",\"pid\":6,\"start\":3.0,\"end\":6.0%s[]}\n",
	"%s\"a-1.0\",\"phase\":\"publish\",\"pid\":7,\"start\":6.0,\"end\":6.5%s[]}\n",
	"%s\"b-1.0\",\"phase\":\"build-system\",\"pid\":8,\"start\":6.5,\"end\":7.0%s[\"a-1.0\"]}\n",
	"%s\"b-1.0\",\"phase\":\"discover\",\"pid\":9,\"start\":7.0,\"end\":7.5%s[]}\n",
	"%s\"b-1.0\",\"phase\":\"backend\",\"pid\":10,\"start\":7.5,\"end\":7.6%s[]}\n",
	"%s\"b-1.0\",\"phase\":\"build\",\"pid\":11,\"start\":7.6,\"end\":9.6%s[]}\n",
	"%s\"b-1.0\",\"phase\":\"publish\",\"pid\":12,\"start\":9.6,\"end\":10.0%s[]}\n",
	/* a slow, unrelated phase overlapping the others: a third slot */
	"%s\"c-1.0\",\"phase\":\"unpack\",\"pid\":13,\"start\":0.5,\"end\":1.5%s[]}\n",
	"{\"ev\":\"run-end\",\"run\":\"R\",\"end\":10.0,\"status\":0}\n",
};

static double figure(const char *html, const char *id)
{
	char *key = xasprintf("id=\"%s\" data-value=\"", id);
	const char *p = strstr(html, key);
	double v = p ? strtod(p + strlen(key), NULL) : -1;

	free(key);
	return v;
}

static void test_timeline(void)
{
	char *path = tpath("build.jsonl");
	struct trace t;
	struct timeline tl;
	struct buf err = BUF_INIT, html = BUF_INIT;
	size_t i;
	int overlap = 0;

	for (i = 0; i < ARRAY_SIZE(build); i++) {
		char *line = xasprintf(build[i], "{\"ev\":\"phase\",\"run\":\"R\",\"pass\":1,\"id\":",
				       ",\"outcome\":\"built\",\"user\":0.1,\"sys\":0.1,\"maxrss_kb\":100,\"deps\":");

		add_line(path, line);
		free(line);
	}
	trace_init(&t);
	is_int(trace_load(&t, path, 0, &err), 0, "the build's trace loads");
	timeline_build(&tl, &t, trace_run_find(&t, "R"));
	is_int((long long)tl.n, 13, "13 phases");
	is_int(tl.nslots, 3, "three at once at most: three slots");
	for (i = 0; i < tl.n; i++) {
		size_t k;

		for (k = i + 1; k < tl.n; k++)
			if (tl.items[i].slot == tl.items[k].slot && tl.items[k].ph->start < tl.items[i].ph->end - 1e-9 &&
			    tl.items[i].ph->start < tl.items[k].ph->end - 1e-9)
				overlap = 1;
	}
	ok(!overlap, "no two phases at once on a slot");
	ok(tl.wall == 10.0, "wall 10 s");
	ok(tl.work > 12.49 && tl.work < 12.51, "work 12.5 s");
	/* build-system a 2 + discover .5 + backend .5 + build 3 + publish .5 + b's build-system .5 +
	 * discover .5 + backend .1 + build 2 + publish .4 = 10 */
	ok(tl.critical > 9.99 && tl.critical < 10.01, "critical path 10 s (got %g)", tl.critical);
	is_int((long long)tl.npath, 10, "... through ten phases");
	is_str(tl.items[tl.path[0]].ph->phase, "build-system", "... from a's build-system");
	is_str(tl.items[tl.path[5]].ph->id, "b-1.0", "... through b's environment, which installs a's wheel");
	is_str(tl.items[tl.path[9]].ph->phase, "publish", "... to b's publish");
	ok(tl.bound == tl.critical, "bound: the critical path (work / 2 is 6.25 s)");
	ok(tl.idle > 7.49 && tl.idle < 7.51, "idle: 2 x 10 - 12.5 = 7.5 s");
	report_html(&tl, "test <&>", &html);
	ok(figure(html.s, "wall") == 10.0 && figure(html.s, "critical") == 10.0, "the report's figures");
	ok(figure(html.s, "slots") == 3 && figure(html.s, "phases-built") == 13, "... its counts");
	ok(strstr(html.s, "test &lt;&amp;&gt;") && !strstr(html.s, "test <&>"), "... the title escaped");
	timeline_release(&tl);
	trace_release(&t);
	buf_release(&err);
	buf_release(&html);
	free(path);
}

int main(void)
{
	plan_no_plan();
	if (!mkdtemp(dir))
		BUG("mkdtemp");
	test_concurrent();
	test_load();
	test_timeline();
	if (remove_tree(dir) < 0)
		diag("could not remove %s", dir);
	return done_testing();
}
