/* install.c: `wbgen install`: install wheel files into an environment, in C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "fsutil.h"
#include "parse_options.h"
#include "pyenv.h"
#include "venv.h"
#include "wheel/wheel.h"
#include "util.h"

static const char usage[] =
	"usage: wbgen install --env DIR [--store DIR [--copy]] [--no-compile] [--record-installer NAME]\n"
	"                     [--cache-dir DIR] [--no-cache] WHEEL...\n"
	"\n"
	"Install the given wheel files (no dependencies are looked at) into the virtual\n"
	"environment DIR following the binary distribution format: every file checked against\n"
	"RECORD, .data directories spread, #!python shebangs rewritten, console and GUI scripts\n"
	"made from entry_points.txt, the .py files byte-compiled with the environment's python (as\n"
	"pip does), INSTALLER and a new RECORD written. Everything is staged\n"
	"inside DIR first and moved into place only when all the wheels are good. A\n"
	"distribution already installed (any version, found by its normalised name) is\n"
	"replaced as by `pip install --no-deps --force-reinstall`: the files its RECORD\n"
	"lists are removed (a RECORD path leading outside DIR refuses the install). The\n"
	"environment's layout comes from one (cached) query of DIR/bin/python.\n"
	"\n";

int cmd_install(int argc, char **argv)
{
	const char *envdir = NULL, *installer = "wbgen", *cache_dir = NULL, *store = NULL;
	struct wheel_install_opts o = { NULL, NULL, 0 };
	struct opt_list wheels = OPT_LIST_INIT;
	int no_cache = 0, no_compile = 0, ret = EXIT_FAILURE_USER;
	struct option options[] = {
		OPT_STRING(0, "env", &envdir, "DIR", "the environment (made by `wbgen venv` or `python -m venv`)"),
		OPT_STRING(0, "store", &store, "DIR",
			   "a wheel store: each wheel is extracted, checked and compiled once,\n"
			   "in DIR/KEY/SHA256/ (KEY: the interpreter's kind and layout), and its\n"
			   "files are hard-linked into the environment (docs/file-formats.md)"),
		OPT_BOOL(0, "copy", &o.copy, "with --store: copy the files instead of linking them"),
		OPT_BOOL(0, "no-compile", &no_compile, "write no .pyc files (not with --store)"),
		OPT_STRING(0, "record-installer", &installer, "NAME", "the INSTALLER file's content (default: wbgen)"),
		OPT_PYENV_CACHE(&cache_dir, &no_cache),
		OPT_ARGUMENTS(&wheels, 0, NULL, NULL),
		OPT_END(),
	};
	struct buf err = BUF_INIT, dflt = BUF_INIT, py = BUF_INIT;
	char *store_dir = NULL;
	struct venv_facts f;
	struct wheel_env env;
	struct pyenv pe;

	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
	if (!envdir || !wheels.n) {
		error("install: %s (see 'wbgen help install')", envdir ? "no wheel given" : "--env DIR is required");
		ret = EXIT_USAGE;
		goto out;
	}
	if (!installer[0] || strpbrk(installer, "\r\n")) {
		error("install: bad --record-installer value '%s'", installer);
		ret = EXIT_USAGE;
		goto out;
	}
	if (store && (no_compile || !*store)) {
		error("install: %s (see 'wbgen help install')", *store ? "--store compiles: no --no-compile with it"
								     : "--store wants a directory");
		ret = EXIT_USAGE;
		goto out;
	}
	if (no_cache)
		cache_dir = NULL;
	else if (!cache_dir && pyenv_default_cache_dir(&dflt) == 0)
		cache_dir = dflt.s;
	buf_addf(&py, "%s/bin/python", envdir);
	if (pyenv_load(&pe, py.s, cache_dir, &err)) {
		error("install: environment '%s': %s", envdir, err.s);
		goto out;
	}
	if (venv_facts_from_answer(pe.answer, &f, &err) || venv_wheel_env(&f, envdir, installer, &env, &err)) {
		error("install: %s", err.s);
		pyenv_release(&pe);
		goto out;
	}
	if (!no_compile)
		o.python = env.python;
	if (store) {
		struct buf key = BUF_INIT;
		char *abs = path_absolute(store);

		if (!abs)
			die("cannot get the current directory:");
		venv_layout_key(&f, &key);
		store_dir = xasprintf("%s/%s", abs, key.s);
		o.store = store_dir;
		free(abs);
		buf_release(&key);
	}
	if (wheel_install(&env, wheels.v, wheels.n, &o, &err))
		error("install: %s", err.s);
	else
		ret = EXIT_OK;
	wheel_env_release(&env);
	pyenv_release(&pe);
out:
	free(store_dir);
	parse_options_release(options);
	buf_release(&err);
	buf_release(&dflt);
	buf_release(&py);
	return ret;
}
