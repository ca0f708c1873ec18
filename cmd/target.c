/* target.c: `wbgen target`: describe the target interpreter (marker environment, supported tags). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "parse_options.h"
#include "pyenv.h"
#include "util.h"

static const char usage[] =
	"usage: wbgen target [--python PATH] [--cache-dir DIR] [--no-cache] [--json]\n"
	"\n"
	"Print the PEP 508 marker environment and the supported wheel tags (most preferred\n"
	"first) of the target Python interpreter: what was given (--python) and the executable\n"
	"that is used, the real interpreter it runs: a venv's python stands for its base\n"
	"interpreter, a shim or wrapper script (pyenv, asdf, conda) for the interpreter it starts,\n"
	"symbolic links resolved. `wbgen resolve` records that executable; no build phase runs\n"
	"the one given. When it cannot be used on its own, the given one is, with a note.\n"
	"\n";

int cmd_target(int argc, char **argv)
{
	const char *python = NULL, *cache_dir = NULL;
	int no_cache = 0, json = 0, ret = EXIT_OK;
	struct option options[] = {
		OPT_STRING(0, "python", &python, "PATH",
			   "the interpreter (default: python3 on PATH, else " WBGEN_PYTHON3 ")"),
		OPT_PYENV_CACHE(&cache_dir, &no_cache),
		OPT_BOOL(0, "json", &json, "print one JSON object instead of text"),
		OPT_END(),
	};
	struct buf err = BUF_INIT, dflt = BUF_INIT;
	struct pyenv pe;

	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
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
