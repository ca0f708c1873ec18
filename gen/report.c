/* report.c: the timeline as SVG, HTML and Chrome trace events (see report.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mirror.h"
#include "report.h"
#include "util.h"

#define LEFT 76      /* the slot labels */
#define PLOT 1000    /* the time axis, px */
#define TOP 92       /* the header */
#define ROW 22       /* a slot's row */
#define BAR 16

static const struct kind {
	const char *phase, *colour;
} kinds[] = {
	{ "settings", "#ffffb3" }, { "unpack", "#8dd3c7" }, { "build-system", "#80b1d3" },
	{ "discover", "#bebada" }, { "backend", "#b3de69" }, { "build", "#fb8072" },
	{ "deps", "#fdb462" }, { "publish", "#fccde5" }, { "prebuilt", "#d9d9d9" }, { "cached", "#bc80bd" },
};

static const char *colour(const char *phase)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strcmp(kinds[i].phase, phase) == 0)
			return kinds[i].colour;
	return "#cccccc";
}

/* "12.3 s", "2 min 5 s", "1 h 02 min" */
static void add_duration(struct buf *out, double s)
{
	long whole = (long)s;

	if (s < 60)
		buf_addf(out, "%.*f s", s < 10 ? 2 : 1, s);
	else if (s < 3600)
		buf_addf(out, "%ld min %02ld s", whole / 60, whole % 60);
	else
		buf_addf(out, "%ld h %02ld min", whole / 3600, whole / 60 % 60);
}

/* A tick step of 1, 2 or 5 times a power of ten giving at most about ten ticks. */
static double tick_step(double span)
{
	double step = 1e-3;

	while (span / step > 10) {
		if (span / (step * 2) <= 10)
			return step * 2;
		if (span / (step * 5) <= 10)
			return step * 5;
		step *= 10;
	}
	return step;
}

static double px(const struct timeline *tl, double t)
{
	return LEFT + (tl->wall > 0 ? (t - tl->t0) / tl->wall * PLOT : 0);
}

static double row_y(int slot)
{
	return TOP + slot * ROW + (ROW - BAR) / 2.0;
}

static void phase_label(struct buf *out, const struct trace_phase *p)
{
	struct buf t = BUF_INIT;

	buf_addf(&t, "%s %s %s", p->phase, p->name, p->version);
	html_escape_to(out, t.s);
	buf_release(&t);
}

static void bar(struct buf *out, const struct timeline *tl, const struct timeline_item *it)
{
	const struct trace_phase *p = it->ph;
	double x = px(tl, p->start), w = px(tl, p->end) - x;
	static const char *const style[] = {
		[TRACE_BUILT] = "", [TRACE_UP_TO_DATE] = " fill-opacity=\"0.35\"",
		[TRACE_DEFERRED] = " stroke=\"#555555\" stroke-dasharray=\"3 2\"",
		[TRACE_FAILED] = " stroke=\"#d62728\" stroke-width=\"2\"",
		[TRACE_CACHED] = "",
		[TRACE_KILLED] = " stroke=\"#000000\" stroke-dasharray=\"2 2\"",
	};

	buf_addf(out, "<rect class=\"phase%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"%s",
		 it->critical ? " critical" : "", x, row_y(it->slot), w < 0.5 ? 0.5 : w, BAR, colour(p->phase),
		 style[p->outcome]);
	buf_adds(out, " data-id=\"");
	html_escape_to(out, p->id);
	buf_adds(out, "\" data-phase=\"");
	html_escape_to(out, p->phase);
	buf_addf(out, "\" data-outcome=\"%s\" data-slot=\"%d\" data-pass=\"%ld\" data-start=\"%.6f\" data-dur=\"%.6f\">",
		 trace_outcome_name(p->outcome), it->slot, p->pass, p->start - tl->t0, p->end - p->start);
	buf_adds(out, "<title>");
	phase_label(out, p);
	buf_addf(out, ": ");
	add_duration(out, p->end - p->start);
	buf_addf(out, " from ");
	add_duration(out, p->start - tl->t0);
	buf_addf(out, ", %s, CPU %.2f s user + %.2f s system, peak memory %.1f MiB%s</title></rect>\n",
		 trace_outcome_name(p->outcome), p->user, p->sys, (double)p->maxrss_kb / 1024,
		 it->critical ? ", on the critical path" : "");
}

static void header(struct buf *out, const struct timeline *tl, const char *title)
{
	double slots = (double)(tl->jobs > 0 ? tl->jobs : tl->nslots);

	buf_adds(out, "<text x=\"8\" y=\"20\" font-size=\"15\" font-weight=\"bold\">wbgen build: ");
	html_escape_to(out, title);
	buf_adds(out, "</text>\n<text x=\"8\" y=\"40\">wall time ");
	add_duration(out, tl->wall);
	buf_adds(out, ", bound ");
	add_duration(out, tl->bound);
	buf_addf(out, " (%s): %.2fx the bound</text>\n", tl->critical >= tl->bound ? "the critical path" : "work / -j",
		 tl->bound > 0 ? tl->wall / tl->bound : 0.0);
	buf_adds(out, "<text x=\"8\" y=\"58\">critical path ");
	add_duration(out, tl->critical);
	buf_addf(out, " (%zu phases), work ", tl->npath);
	add_duration(out, tl->work);
	if (tl->jobs > 0)
		buf_addf(out, " on -j%ld", tl->jobs);
	else
		buf_addf(out, " on %d slots (-j without a limit)", tl->nslots);
	buf_adds(out, ", idle slot time ");
	add_duration(out, tl->idle);
	buf_addf(out, " (%.0f%%)</text>\n", slots > 0 && tl->wall > 0 ? 100 * tl->idle / (slots * tl->wall) : 0.0);
}

static void legend(struct buf *out, double y)
{
	double x = LEFT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		buf_addf(out, "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			 "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n", x, y, kinds[i].colour, x + 16, y + 10,
			 kinds[i].phase);
		x += 24 + 7.2 * (double)strlen(kinds[i].phase);
	}
	buf_addf(out, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#d62728\" stroke-width=\"2\"/>"
		 "<text x=\"%.0f\" y=\"%.0f\">critical path</text>\n", x, y + 6, x + 18, y + 6, x + 22, y + 10);
}

void report_svg(const struct timeline *tl, const char *title, struct buf *out)
{
	int nrows = tl->nslots > 0 ? tl->nslots : 1, s;
	double h = TOP + nrows * ROW + 62, step = tick_step(tl->wall > 0 ? tl->wall : 1), t;
	size_t i;

	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" "
		 "font-family=\"sans-serif\" font-size=\"12\">\n", LEFT + PLOT + 24, h, LEFT + PLOT + 24, h);
	buf_addf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
	header(out, tl, title);
	for (t = 0; t <= tl->wall + 1e-9; t += step) {
		double x = px(tl, tl->t0 + t);

		buf_addf(out, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#e0e0e0\"/>"
			 "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666666\">%g s</text>\n",
			 x, TOP - 4, x, TOP + nrows * ROW, x, TOP + nrows * ROW + 14, t);
	}
	for (s = 0; s < nrows; s++)
		buf_addf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444444\">slot %d</text>\n", LEFT - 6,
			 row_y(s) + BAR - 4, s + 1);
	for (i = 0; i < tl->n; i++)
		bar(out, tl, &tl->items[i]);
	if (tl->npath) {
		buf_adds(out, "<polyline class=\"critical-path\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" "
			      "stroke-linejoin=\"round\" points=\"");
		for (i = 0; i < tl->npath; i++) {
			const struct timeline_item *it = &tl->items[tl->path[i]];
			double y = row_y(it->slot) + BAR / 2.0;

			buf_addf(out, "%s%.2f,%.1f %.2f,%.1f", i ? " " : "", px(tl, it->ph->start), y, px(tl, it->ph->end), y);
		}
		buf_adds(out, "\"/>\n");
	}
	legend(out, TOP + nrows * ROW + 30);
	buf_adds(out, "</svg>\n");
}

/* One figure of the table: its text and its value in seconds (or a count). */
static void figure(struct buf *out, const char *id, const char *name, double value, int seconds, const char *note)
{
	buf_addf(out, "<tr><th>%s</th><td id=\"%s\" data-value=\"%.6f\">", name, id, value);
	if (seconds)
		add_duration(out, value);
	else
		buf_addf(out, "%.0f", value);
	buf_addf(out, "</td><td>%s</td></tr>\n", note);
}

struct pkg_total {
	const char *id;
	double total, cpu, build;
	size_t phases;
};

static int by_total(const void *a, const void *b)
{
	const struct pkg_total *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->id, y->id);
}

static int by_dur(const void *a, const void *b)
{
	const struct timeline_item *x = *(const struct timeline_item *const *)a;
	const struct timeline_item *y = *(const struct timeline_item *const *)b;
	double dx = x->ph->end - x->ph->start, dy = y->ph->end - y->ph->start;

	if (dx != dy)
		return dx < dy ? 1 : -1;
	return x->ph->start < y->ph->start ? -1 : x->ph->start > y->ph->start;
}

static void slowest_packages(struct buf *out, const struct timeline *tl)
{
	struct pkg_total *v = xcalloc(tl->n + 1, sizeof(*v));
	size_t n = 0, i, k;

	for (i = 0; i < tl->n; i++) {
		const struct trace_phase *p = tl->items[i].ph;
		double d = p->end - p->start;

		for (k = 0; k < n && strcmp(v[k].id, p->id) != 0; k++)
			;
		if (k == n)
			v[n++].id = p->id;
		v[k].total += d;
		v[k].cpu += p->user + p->sys;
		v[k].phases++;
		if (strcmp(p->phase, "build") == 0)
			v[k].build += d;
	}
	QSORT(v, n, by_total);
	buf_adds(out, "<h2>Slowest packages</h2>\n<table id=\"packages\">\n"
		      "<tr><th>package</th><th>phases</th><th>time in its phases</th><th>of which build</th>"
		      "<th>CPU</th></tr>\n");
	for (i = 0; i < n && i < 15; i++) {
		buf_adds(out, "<tr><td>");
		html_escape_to(out, v[i].id);
		buf_addf(out, "</td><td>%zu</td><td data-value=\"%.6f\">", v[i].phases, v[i].total);
		add_duration(out, v[i].total);
		buf_addf(out, "</td><td data-value=\"%.6f\">", v[i].build);
		add_duration(out, v[i].build);
		buf_addf(out, "</td><td data-value=\"%.6f\">", v[i].cpu);
		add_duration(out, v[i].cpu);
		buf_adds(out, "</td></tr>\n");
	}
	buf_adds(out, "</table>\n");
	free(v);
}

static void phase_row(struct buf *out, const struct timeline *tl, const struct timeline_item *it)
{
	const struct trace_phase *p = it->ph;

	buf_adds(out, "<tr><td>");
	phase_label(out, p);
	buf_addf(out, "</td><td data-value=\"%.6f\">", p->start - tl->t0);
	add_duration(out, p->start - tl->t0);
	buf_addf(out, "</td><td data-value=\"%.6f\">", p->end - p->start);
	add_duration(out, p->end - p->start);
	buf_addf(out, "</td><td>%s</td><td data-value=\"%.6f\">", trace_outcome_name(p->outcome), p->user + p->sys);
	add_duration(out, p->user + p->sys);
	buf_addf(out, "</td><td data-value=\"%ld\">%.1f MiB</td></tr>\n", p->maxrss_kb, (double)p->maxrss_kb / 1024);
}

static const char phase_head[] =
	"<tr><th>phase</th><th>began</th><th>took</th><th>outcome</th><th>CPU</th><th>peak memory</th></tr>\n";

void report_html(const struct timeline *tl, const char *title, struct buf *out)
{
	const struct timeline_item **v = xcalloc(tl->n + 1, sizeof(*v));
	size_t i, count[TRACE_KILLED + 1] = { 0 };
	double cpu = 0;
	char when[64] = "";
	time_t t0 = (time_t)tl->t0;
	struct tm tm;

	for (i = 0; i < tl->n; i++) {
		count[tl->items[i].ph->outcome]++;
		cpu += tl->items[i].ph->user + tl->items[i].ph->sys;
		v[i] = &tl->items[i];
	}
	if (gmtime_r(&t0, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>wbgen build: ");
	html_escape_to(out, title);
	buf_adds(out, "</title>\n<style>\nbody { font-family: sans-serif; margin: 1em 2em; }\n"
		      "table { border-collapse: collapse; margin-bottom: 1em; }\n"
		      "th, td { text-align: left; padding: 2px 10px; border-bottom: 1px solid #ddd; }\n"
		      "td[data-value] { text-align: right; }\nrect.phase:hover { stroke: #000000; }\n</style>\n"
		      "</head>\n<body>\n<h1>wbgen build: ");
	html_escape_to(out, title);
	buf_addf(out, "</h1>\n<p>The make run that began %s. Each bar is one phase on the job slot it ran in "
		      "(hover for its figures); the red line is the critical path, the heaviest chain of phases "
		      "through the build's prerequisites.</p>\n", when);
	report_svg(tl, title, out);
	buf_adds(out, "<h2>Figures</h2>\n<table id=\"summary\">\n");
	figure(out, "wall", "wall time", tl->wall, 1, "from the run's start to its end");
	figure(out, "bound", "bound", tl->bound, 1, "the larger of the critical path and the work divided by -j: "
						     "no schedule can end sooner");
	figure(out, "critical", "critical path", tl->critical, 1, "the heaviest chain of phases (see below)");
	figure(out, "work", "work", tl->work, 1, "the phases' durations added up");
	figure(out, "cpu", "CPU time", cpu, 1, "user and system time of the phases' processes");
	figure(out, "jobs", "jobs (-j)", (double)tl->jobs, 0, tl->jobs > 0 ? "make's -j" : "no limit (-j)");
	figure(out, "slots", "slots used", (double)tl->nslots, 0, "the most phases that ran at once");
	figure(out, "idle", "idle slot time", tl->idle, 1, "slots times wall time, minus the work");
	figure(out, "phases", "phases", (double)tl->n, 0, "");
	for (i = 0; i <= TRACE_KILLED; i++) {
		char id[32];

		snprintf(id, sizeof(id), "phases-%s", trace_outcome_name((enum trace_outcome)i));
		figure(out, id, trace_outcome_name((enum trace_outcome)i), (double)count[i], 0, "");
	}
	buf_adds(out, "</table>\n<h2>Critical path</h2>\n<table id=\"critical-path\">\n");
	buf_adds(out, phase_head);
	for (i = 0; i < tl->npath; i++)
		phase_row(out, tl, &tl->items[tl->path[i]]);
	buf_adds(out, "</table>\n");
	slowest_packages(out, tl);
	QSORT(v, tl->n, by_dur);
	buf_adds(out, "<h2>Slowest phases</h2>\n<table id=\"slowest\">\n");
	buf_adds(out, phase_head);
	for (i = 0; i < tl->n && i < 15; i++)
		phase_row(out, tl, v[i]);
	buf_adds(out, "</table>\n</body>\n</html>\n");
	free(v);
}

static json_int_t us(double seconds)
{
	return (json_int_t)(seconds * 1e6 + 0.5);
}

json_t *report_chrome(const struct timeline *tl)
{
	json_t *ev = json_array();
	size_t i;
	int s;

	for (s = 0; s < tl->nslots; s++) {
		char name[32];

		snprintf(name, sizeof(name), "slot %d", s + 1);
		json_array_append_new(ev, json_pack("{s:s, s:s, s:i, s:i, s:{s:s}}", "name", "thread_name", "ph", "M",
						    "pid", 1, "tid", s + 1, "args", "name", name));
	}
	for (i = 0; i < tl->n; i++) {
		const struct trace_phase *p = tl->items[i].ph;
		char *name = xasprintf("%s %s %s", p->phase, p->name, p->version);

		json_array_append_new(ev, json_pack("{s:s, s:s, s:s, s:I, s:I, s:i, s:i, s:{s:s, s:s, s:I, s:f, s:f, s:I, s:b}}",
						    "name", name, "cat", p->phase, "ph", "X", "ts",
						    us(p->start), "dur",
						    us(p->end - p->start), "pid", 1, "tid",
						    tl->items[i].slot + 1, "args", "id", p->id, "outcome",
						    trace_outcome_name(p->outcome), "pass", (json_int_t)p->pass, "user",
						    p->user, "sys", p->sys, "maxrss_kb", (json_int_t)p->maxrss_kb,
						    "critical", tl->items[i].critical));
		free(name);
	}
	return json_pack("{s:o, s:s}", "traceEvents", ev, "displayTimeUnit", "ms");
}
