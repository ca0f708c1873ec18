/* publish.c: `wbgen publish`: add wheels to a static PEP 503 mirror. */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "mirror.h"
#include "parse_options.h"
#include "util.h"

static const char usage[] =
	"usage: wbgen publish --mirror MIRRORDIR [--pep658] WHEEL...\n"
	"\n"
	"Add each wheel to the static PEP 503 mirror MIRRORDIR: the wheel (hard-linked, or copied)\n"
	"goes to MIRRORDIR/simple/<name>/, whose index.html is rebuilt from the wheels there (sorted,\n"
	"#sha256= fragments, data-requires-python), then MIRRORDIR/simple/index.html. Each page is\n"
	"rewritten atomically under a flock of its directory's .lock, so publishes may run\n"
	"concurrently; an identical wheel published again changes nothing (mtimes included); a\n"
	"different wheel of the same filename replaces the old one, with a note on stderr.\n"
	"Use it with: pip install --index-url file://MIRRORDIR/simple/ NAME\n"
	"\n";

int cmd_publish(int argc, char **argv)
{
	const char *mirror = NULL;
	struct opt_list wheels = OPT_LIST_INIT;
	int pep658 = 0, ret = EXIT_OK;
	struct option options[] = {
		OPT_STRING(0, "mirror", &mirror, "MIRRORDIR", "the mirror's root (created if missing)"),
		OPT_BOOL(0, "pep658", &pep658,
			 "also write each wheel's METADATA as WHEEL.metadata, announced with\n"
			 "data-core-metadata (PEP 658/714). Off by default: pip 22.3 to 23.1\n"
			 "reject such a file when a requirement spells the name differently\n"
			 "(pypa/pip#12108)."),
		OPT_ARGUMENTS(&wheels, 0, NULL, NULL),
		OPT_END(),
	};
	struct buf err = BUF_INIT;
	size_t i;

	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
	if (!mirror || !wheels.n) {
		error("publish: --mirror and at least one WHEEL are required (see 'wbgen help publish')");
		parse_options_release(options);
		return EXIT_USAGE;
	}
	for (i = 0; i < wheels.n; i++) {
		enum mirror_action act;

		if (mirror_publish(mirror, wheels.v[i], pep658 ? MIRROR_PEP658 : 0, &act, &err) < 0) {
			error("%s", err.s);
			ret = EXIT_FAILURE_USER;
			continue;
		}
		if (act == MIRROR_REPLACED)
			fprintf(stderr, "wbgen: publish: replaced '%s' in the mirror, whose bytes differed\n", wheels.v[i]);
	}
	buf_release(&err);
	parse_options_release(options);
	return ret;
}
