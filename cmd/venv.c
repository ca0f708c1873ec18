/* venv.c: `wbgen venv`: a virtual environment for the target interpreter, made in C. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "parse_options.h"
#include "pyenv.h"
#include "venv.h"
#include "util.h"

static const char usage[] =
	"usage: wbgen venv [--python PATH] [--cache-dir DIR] [--no-cache] DIR\n"
	"\n"
	"Create a virtual environment at DIR (which must not exist) the way\n"
	"`python -m venv --without-pip DIR` does on POSIX, without running venv: pyvenv.cfg,\n"
	"bin/python links to the base interpreter, an empty site-packages. It is built in a\n"
	"temporary directory beside DIR and renamed into place.\n"
	"\n";

int cmd_venv(int argc, char **argv)
{
	const char *python = NULL, *cache_dir = NULL, *dir;
	struct opt_list args = OPT_LIST_INIT;
	int no_cache = 0, ret = EXIT_FAILURE_USER;
	struct option options[] = {
		OPT_STRING(0, "python", &python, "PATH",
			   "the base interpreter (default: python3 on PATH, else " WBGEN_PYTHON3 ")"),
		OPT_PYENV_CACHE(&cache_dir, &no_cache),
		OPT_ARGUMENTS(&args, 1, NULL, NULL),
		OPT_END(),
	};
	struct buf err = BUF_INIT, dflt = BUF_INIT;
	struct venv_facts f;
	struct pyenv pe;

	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
	if (!args.n) {
		error("venv: no environment directory given (see 'wbgen help venv')");
		parse_options_release(options);
		return EXIT_USAGE;
	}
	dir = args.v[0];
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
	parse_options_release(options);
	return ret;
}
