/* venv.c: `wbgen venv`: a virtual environment for the target interpreter, made in C. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "pyenv.h"
#include "venv.h"
#include "util.h"

const char usage_venv[] =
	"usage: wbgen venv [--python PATH] [--cache-dir DIR] [--no-cache] DIR\n"
	"\n"
	"Create a virtual environment at DIR (which must not exist) the way\n"
	"`python -m venv --without-pip DIR` does on POSIX, without running venv: pyvenv.cfg,\n"
	"bin/python links to the base interpreter, an empty site-packages. It is built in a\n"
	"temporary directory beside DIR and renamed into place.\n"
	"\n"
	"  --python PATH     the base interpreter (default: python3 on PATH, else " WBGEN_PYTHON3 ")\n"
	"  --cache-dir DIR   where interpreter answers are cached\n"
	"                    (default: $XDG_CACHE_HOME/wbgen or ~/.cache/wbgen)\n"
	"  --no-cache        ask the interpreter even if an answer is cached; cache nothing\n";

int cmd_venv(int argc, char **argv)
{
	const struct command *self = command_find("venv");
	const char *python = NULL, *cache_dir = NULL, *dir = NULL, *v;
	struct buf err = BUF_INIT, dflt = BUF_INIT;
	int no_cache = 0, i, missing = 0, ret = EXIT_FAILURE_USER;
	struct venv_facts f;
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
		} else if (missing) {
			error("venv: option '%s' needs a value", argv[i]);
			return EXIT_USAGE;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return command_bad_option(self, argv[i]);
		} else if (!dir) {
			dir = argv[i];
		} else {
			error("venv: unexpected argument '%s' (see 'wbgen help venv')", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!dir) {
		error("venv: no environment directory given (see 'wbgen help venv')");
		return EXIT_USAGE;
	}
	if (no_cache)
		cache_dir = NULL;
	else if (!cache_dir && pyenv_default_cache_dir(&dflt) == 0)
		cache_dir = dflt.s;
	if (pyenv_load(&pe, python, cache_dir, &err)) {
		error("venv: %s", err.s);
		goto out;
	}
	if (venv_facts_from_answer(pe.answer, &f, &err) || venv_create(&f, dir, &err))
		error("venv: %s", err.s);
	else
		ret = EXIT_OK;
	pyenv_release(&pe);
out:
	buf_release(&err);
	buf_release(&dflt);
	return ret;
}
