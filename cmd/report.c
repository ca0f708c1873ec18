/* report.c: `wbgen report`: a make run's timeline from the build's trace, as a page, a picture or
 * Chrome trace events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "fsutil.h"
#include "parse_options.h"
#include "report.h"
#include "timeline.h"
#include "trace.h"
#include "util.h"

static const char usage[] =
	"usage: wbgen report [-C OUTDIR] [--format html|svg|chrome] [-o FILE] [--run RUN | --list]\n"
	"\n"
	"Show a make run of the build in OUTDIR (default: the current directory) from its trace,\n"
	"OUTDIR/logs/trace.jsonl, which every phase appends to: a row per job slot with each phase a\n"
	"bar coloured by its kind, the critical path drawn, the wall time beside the bound (the larger\n"
	"of the critical path and the work divided by -j), the idle slot time, the slowest packages and\n"
	"phases. The run is the last one that ran a phase, unless --run names another. `make report` in\n"
	"OUTDIR runs this command.\n"
	"\n";

enum format { FMT_HTML, FMT_SVG, FMT_CHROME };

struct report_opts {
	const char *dir, *out, *run;
	enum format format;
	int list;
};

/* --format F: the enum format named F. */
static int parse_format(const struct option *opt, const char *arg)
{
	static const char *const names[] = { "html", "svg", "chrome" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(arg, names[i]) == 0) {
			*(enum format *)opt->value = (enum format)i;
			return 0;
		}
	return error("report: unknown format '%s' (html, svg or chrome)", arg);
}

static size_t run_phases(const struct trace *t, const char *run)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		n += strcmp(t->ph[i].run, run) == 0;
	return n;
}

static void list_runs(const struct trace *t)
{
	size_t i;

	for (i = 0; i < t->nruns; i++) {
		const struct trace_run *r = &t->runs[i];
		time_t s = (time_t)r->start;
		struct tm tm;
		char when[32] = "?";
		char status[32] = "killed";

		if (gmtime_r(&s, &tm))
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (r->status >= 0)
			snprintf(status, sizeof(status), "status %d", r->status);
		printf("%s  %s  %.1f s  %zu phases  -j%ld  %s\n", *r->run ? r->run : "(outside a run)", when,
		       r->end - r->start, run_phases(t, r->run), r->jobs, status);
	}
}

/* The run to show: the one named, else the last that ran a phase. */
static const struct trace_run *pick_run(const struct trace *t, const char *run, const char *path)
{
	const struct trace_run *r;
	size_t i;

	if (run) {
		r = trace_run_find(t, run);
		if (!r)
			error("report: '%s' has no run '%s' (see --list)", path, run);
		return r;
	}
	for (i = t->nruns; i-- > 0;)
		if (run_phases(t, t->runs[i].run) > 0)
			return &t->runs[i];
	error("report: no run in '%s' ran a phase (run make in the output directory first)", path);
	return NULL;
}

static int write_out(const char *path, const struct buf *b)
{
	if (strcmp(path, "-") == 0) {
		fwrite(b->s, 1, b->len, stdout);
		return 0;
	}
	if (write_file(path, b->s, b->len, WRITE_NOSYNC) < 0)
		return error("report: cannot write '%s':", path);
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const char *const names[] = { "report.html", "report.svg", "trace.json" };
	struct report_opts o = { ".", NULL, NULL, FMT_HTML, 0 };
	struct option options[] = {
		OPT_STRING('C', NULL, &o.dir, "OUTDIR", "the build's output directory"),
		OPT_CALLBACK(0, "format", &o.format, "F",
			     "html (default: the picture inline with the figures and tables), svg (the\n"
			     "picture alone), chrome (Chrome trace events, for Perfetto or chrome://tracing)",
			     parse_format),
		OPT_STRING('o', NULL, &o.out, "FILE",
			   "where to write (- for stdout); default OUTDIR/report.html, report.svg or\n"
			   "trace.json"),
		OPT_STRING(0, "run", &o.run, "RUN", "the run named RUN (as --list shows them)"),
		OPT_BOOL(0, "list", &o.list,
			 "list the runs of the trace: name, start (UTC), wall time, phases run, -j, status"),
		OPT_END(),
	};
	struct trace t;
	struct timeline tl;
	struct buf err = BUF_INIT, out = BUF_INIT;
	const struct trace_run *r;
	char *path, *dest, *title;
	int ret;

	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
	if (o.list && o.run) {
		error("report: --list and --run do not go together");
		return EXIT_USAGE;
	}
	path = xasprintf("%s/%s", o.dir, TRACE_FILE);
	trace_init(&t);
	if (trace_load(&t, path, 0, &err) < 0) {
		error("report: %s (run make in the output directory first)", err.s);
		ret = EXIT_FAILURE_USER;
		goto out;
	}
	if (t.skipped)
		warn("report: '%s': %zu line%s that %s not a record (cut short?) skipped", path, t.skipped,
		     t.skipped == 1 ? "" : "s", t.skipped == 1 ? "is" : "are");
	if (o.list) {
		list_runs(&t);
		ret = EXIT_OK;
		goto out;
	}
	r = pick_run(&t, o.run, path);
	if (!r) {
		ret = EXIT_FAILURE_USER;
		goto out;
	}
	timeline_build(&tl, &t, r);
	title = path_absolute(o.dir);
	if (!title)
		die("cannot get the current directory:");
	if (ends_with(title, "/.") && strlen(title) > 2)
		title[strlen(title) - 2] = '\0';
	if (o.format == FMT_CHROME) {
		json_t *j = report_chrome(&tl);
		char *s = json_dumps(j, JSON_COMPACT);

		buf_adds(&out, s);
		buf_addch(&out, '\n');
		free(s);
		json_decref(j);
	} else if (o.format == FMT_SVG) {
		report_svg(&tl, title, &out);
	} else {
		report_html(&tl, title, &out);
	}
	dest = o.out ? xstrdup(o.out) : xasprintf("%s/%s", o.dir, names[o.format]);
	ret = write_out(dest, &out) < 0 ? EXIT_FAILURE_USER : EXIT_OK;
	if (ret == EXIT_OK && strcmp(dest, "-") != 0)
		fprintf(stderr, "wbgen: wrote %s: run %s, %zu phases, wall %.1f s, bound %.1f s\n", dest, r->run, tl.n,
			tl.wall, tl.bound);
	free(dest);
	free(title);
	timeline_release(&tl);
out:
	free(path);
	trace_release(&t);
	buf_release(&err);
	buf_release(&out);
	return ret;
}
