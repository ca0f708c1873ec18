/* install.c: `wbgen install`: install wheel files into an environment, in C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "fsutil.h"
#include "pyenv.h"
#include "venv.h"
#include "wheel/wheel.h"
#include "util.h"

const char usage_install[] =
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
	"\n"
	"  --env DIR                the environment (made by `wbgen venv` or `python -m venv`)\n"
	"  --store DIR              a wheel store: each wheel is extracted, checked and compiled once,\n"
	"                           in DIR/KEY/SHA256/ (KEY: the interpreter's kind and layout), and its\n"
	"                           files are hard-linked into the environment (docs/file-formats.md)\n"
	"  --copy                   with --store: copy the files instead of linking them\n"
	"  --no-compile             write no .pyc files (not with --store)\n"
	"  --record-installer NAME  the INSTALLER file's content (default: wbgen)\n"
	"  --cache-dir DIR          where interpreter answers are cached\n"
	"                           (default: $XDG_CACHE_HOME/wbgen or ~/.cache/wbgen)\n"
	"  --no-cache               ask the interpreter even if an answer is cached; cache nothing\n";

int cmd_install(int argc, char **argv)
{
	const struct command *self = command_find("install");
	const char *envdir = NULL, *installer = "wbgen", *cache_dir = NULL, *v;
	const char **wheels = xcalloc((size_t)argc, sizeof(*wheels));
	struct buf err = BUF_INIT, dflt = BUF_INIT, py = BUF_INIT;
	const char *store = NULL;
	struct wheel_install_opts o = { NULL, NULL, 0 };
	char *store_dir = NULL;
	int no_cache = 0, no_compile = 0, i, missing = 0, ret = EXIT_FAILURE_USER;
	size_t n = 0;
	struct venv_facts f;
	struct wheel_env env;
	struct pyenv pe;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			command_usage(self, 0);
			ret = EXIT_OK;
			goto out;
		} else if ((v = option_value(argc, argv, &i, "--env", &missing)) != NULL) {
			envdir = v;
		} else if ((v = option_value(argc, argv, &i, "--record-installer", &missing)) != NULL) {
			installer = v;
		} else if ((v = option_value(argc, argv, &i, "--cache-dir", &missing)) != NULL) {
			cache_dir = v;
		} else if ((v = option_value(argc, argv, &i, "--store", &missing)) != NULL) {
			store = v;
		} else if (strcmp(argv[i], "--copy") == 0) {
			o.copy = 1;
		} else if (strcmp(argv[i], "--no-compile") == 0) {
			no_compile = 1;
		} else if (strcmp(argv[i], "--no-cache") == 0) {
			no_cache = 1;
		} else if (missing) {
			error("install: option '%s' needs a value", argv[i]);
			ret = EXIT_USAGE;
			goto out;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			ret = command_bad_option(self, argv[i]);
			goto out;
		} else {
			wheels[n++] = argv[i];
		}
	}
	if (!envdir || !n) {
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
	if (wheel_install(&env, wheels, n, &o, &err))
		error("install: %s", err.s);
	else
		ret = EXIT_OK;
	wheel_env_release(&env);
	pyenv_release(&pe);
out:
	free(store_dir);
	free(wheels);
	buf_release(&err);
	buf_release(&dflt);
	buf_release(&py);
	return ret;
}
