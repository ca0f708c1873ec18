/* target.c: `wbgen target`: describe the target interpreter (marker environment, supported tags). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "pyenv.h"
#include "util.h"

const char usage_target[] =
	"usage: wbgen target [--python PATH] [--cache-dir DIR] [--no-cache] [--json]\n"
	"\n"
	"Print the PEP 508 marker environment and the supported wheel tags (most preferred\n"
	"first) of the target Python interpreter: what was given (--python) and the executable\n"
	"that is used, the real interpreter it runs: a venv's python stands for its base\n"
	"interpreter, a shim or wrapper script (pyenv, asdf, conda) for the interpreter it starts,\n"
	"symbolic links resolved. `wbgen resolve` records that executable; no build phase runs\n"
	"the one given. When it cannot be used on its own, the given one is, with a note.\n"
	"\n"
	"  --python PATH     the interpreter (default: python3 on PATH, else " WBGEN_PYTHON3 ")\n"
	"  --cache-dir DIR   where interpreter answers are cached\n"
	"                    (default: $XDG_CACHE_HOME/wbgen or ~/.cache/wbgen)\n"
	"  --no-cache        ask the interpreter even if an answer is cached; cache nothing\n"
	"  --json            print one JSON object instead of text\n";

int cmd_target(int argc, char **argv)
{
	const struct command *self = command_find("target");
	const char *python = NULL, *cache_dir = NULL, *v;
	struct buf err = BUF_INIT, dflt = BUF_INIT;
	int no_cache = 0, json = 0, i, missing = 0, ret = EXIT_OK;
	struct pyenv pe;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			command_usage(self, 0);
			return EXIT_OK;
		} else if ((v = option_value(argc, argv, &i, "--python", &missing)) != NULL) {
			python = v;
		} else if ((v = option_value(argc, argv, &i, "--cache-dir", &missing)) != NULL) {
			cache_dir = v;
		} else if (strcmp(argv[i], "--no-cache") == 0) {
			no_cache = 1;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (missing) {
			error("target: option '%s' needs a value", argv[i]);
			return EXIT_USAGE;
		} else if (argv[i][0] == '-') {
			return command_bad_option(self, argv[i]);
		} else {
			error("target: unexpected argument '%s' (see 'wbgen help target')", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (no_cache)
		cache_dir = NULL;
	else if (!cache_dir && pyenv_default_cache_dir(&dflt) == 0)
		cache_dir = dflt.s;

	if (pyenv_load(&pe, python, cache_dir, &err)) {
		error("%s", err.s);
		buf_release(&err);
		buf_release(&dflt);
		return EXIT_FAILURE_USER;
	}
	if (json) {
		json_t *o = pyenv_to_json(&pe);

		if (json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
			error("target: cannot write the JSON output");
			ret = EXIT_FAILURE_USER;
		}
		putchar('\n');
		json_decref(o);
	} else {
		size_t k;

		printf("given: %s\n", pe.executable);
		printf("executable: %s\n", pe.target);
		if (pe.note)
			printf("note: %s\n", pe.note);
		printf("version: %s\n", pe.version);
		printf("markers:\n");
		for (k = 0; k < MV__COUNT; k++)
			printf("  %s: %s\n", marker_var_name(k), pe.markers.values[k]);
		printf("tags:\n");
		for (k = 0; k < pe.tags.nr; k++)
			printf("  %s\n", pe.tags.v[k]);
	}
	pyenv_release(&pe);
	buf_release(&err);
	buf_release(&dflt);
	return ret;
}
