/* publish.c: `wbgen publish`: add wheels to a static PEP 503 mirror. */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "mirror.h"
#include "util.h"

const char usage_publish[] =
	"usage: wbgen publish --mirror MIRRORDIR [--pep658] WHEEL...\n"
	"\n"
	"Add each wheel to the static PEP 503 mirror MIRRORDIR: the wheel (hard-linked, or copied)\n"
	"goes to MIRRORDIR/simple/<name>/, whose index.html is rebuilt from the wheels there (sorted,\n"
	"#sha256= fragments, data-requires-python), then MIRRORDIR/simple/index.html. Each page is\n"
	"rewritten atomically under a flock of its directory's .lock, so publishes may run\n"
	"concurrently; an identical wheel published again changes nothing (mtimes included); a\n"
	"different wheel of the same filename replaces the old one, with a note on stderr.\n"
	"Use it with: pip install --index-url file://MIRRORDIR/simple/ NAME\n"
	"\n"
	"  --mirror MIRRORDIR  the mirror's root (created if missing)\n"
	"  --pep658            also write each wheel's METADATA as WHEEL.metadata, announced with\n"
	"                      data-core-metadata (PEP 658/714). Off by default: pip 22.3 to 23.1\n"
	"                      reject such a file when a requirement spells the name differently\n"
	"                      (pypa/pip#12108).\n";

int cmd_publish(int argc, char **argv)
{
	const struct command *self = command_find("publish");
	const char *mirror = NULL, *v;
	struct buf err = BUF_INIT;
	int i, nwheels = 0, missing = 0, ret = EXIT_OK;
	unsigned flags = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			command_usage(self, 0);
			return EXIT_OK;
		} else if ((v = option_value(argc, argv, &i, "--mirror", &missing)) != NULL) {
			mirror = v;
		} else if (strcmp(argv[i], "--pep658") == 0) {
			flags |= MIRROR_PEP658;
		} else if (missing) {
			error("publish: option '%s' needs a value", argv[i]);
			return EXIT_USAGE;
		} else if (argv[i][0] == '-') {
			return command_bad_option(self, argv[i]);
		} else {
			nwheels++;
		}
	}
	if (!mirror || !nwheels) {
		error("publish: --mirror and at least one WHEEL are required (see 'wbgen help publish')");
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		enum mirror_action act;

		if (strcmp(argv[i], "--mirror") == 0 && i + 1 < argc) {
			i++;
			continue;
		}
		if (argv[i][0] == '-')
			continue;
		if (mirror_publish(mirror, argv[i], flags, &act, &err) < 0) {
			error("%s", err.s);
			ret = EXIT_FAILURE_USER;
			continue;
		}
		if (act == MIRROR_REPLACED)
			fprintf(stderr, "wbgen: publish: replaced '%s' in the mirror, whose bytes differed\n", argv[i]);
	}
	buf_release(&err);
	return ret;
}
