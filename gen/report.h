/* report.h: a make run's timeline (gen/timeline.h) as a picture and as a trace for other tools.
 *
 * report_svg: a self-contained SVG: a row per job slot, each phase a bar coloured by its kind (its
 * outcome in the bar's style and tooltip), the critical path drawn through its bars, the time axis,
 * and a header with the wall time beside the bound, the idle slot time and the critical path.
 * report_html: a page with that SVG inline, the figures as a table, the critical path and the
 * slowest packages and phases. Every figure is also in a data-value attribute (seconds) and every
 * bar carries data-id, data-phase, data-outcome, data-slot, data-start (seconds after the run
 * began) and data-dur, so that tests and scripts read them without parsing the text. The output is
 * well-formed XML as well as HTML.
 * report_chrome: the Chrome trace-event JSON format (complete events, one thread per slot), which
 * Perfetto and chrome://tracing open. */
#ifndef WBGEN_REPORT_H
#define WBGEN_REPORT_H

#include <jansson.h>

#include "buf.h"
#include "timeline.h"

/* title: what the picture is of (the output directory, say). */
void report_svg(const struct timeline *tl, const char *title, struct buf *out);
void report_html(const struct timeline *tl, const char *title, struct buf *out);
/* New reference. */
json_t *report_chrome(const struct timeline *tl);

#endif
