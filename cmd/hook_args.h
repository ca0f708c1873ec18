/* hook_args.h: the options `wbgen hook` and `wbgen build-wheel` share (cmd/hook.c): entries of their
 * option tables that fill a struct hook_opts. */
#ifndef WBGEN_HOOK_ARGS_H
#define WBGEN_HOOK_ARGS_H

#include "hook.h"
#include "parse_options.h"

/* A hook's options and the lists behind its arrays (values borrowed from argv). */
struct hook_args {
	struct hook_opts o;
	struct opt_list backend_path, config, setenv;
};

/* The table entries of the shared options and the paragraphs after them, filling a (a struct
 * hook_args *); the lists are freed with the table (parse_options_release()). */
#define OPT_HOOK_ARGS(a) \
	OPT_STRING(0, "env", &(a)->o.env, "DIR", "the build environment (a venv); DIR/bin/python runs the hook"), \
	OPT_STRING(0, "src", &(a)->o.src, "SRCDIR", "the unpacked source tree, the hook's working directory"), \
	OPT_STRING(0, "backend", &(a)->o.backend, "B", \
		   "build-backend \"mod:obj.attr\" (default: setuptools.build_meta:__legacy__)"), \
	OPT_LIST(0, "backend-path", &(a)->backend_path, "P", "a backend-path entry, relative to SRCDIR (repeatable)"), \
	OPT_LIST_CHECK(0, "config-setting", &(a)->config, "K=V", \
		       "a config setting (repeatable; a repeated K gives a list)", hook_check_config), \
	OPT_LIST_CHECK(0, "setenv", &(a)->setenv, "NAME=VALUE", \
		       "set NAME in the hook's environment (repeatable; after the clean\n" \
		       "environment below, so it overrides it)", hook_check_setenv), \
	OPT_STRING(0, "log", &(a)->o.log, "FILE", "append the hook's stdout and stderr to FILE (default: to stderr)"), \
	OPT_STRING_CHECK(0, "source-date-epoch", &(a)->o.source_date_epoch, "N", \
			 "SOURCE_DATE_EPOCH when the caller has none (default 315532800)", hook_check_epoch), \
	OPT_BOOL(0, "jobserver", &(a)->o.jobserver, \
		 "pass make's jobserver on to the build (use in a '+' recipe);\n" \
		 "by default MAKEFLAGS is dropped and an inner make runs serially"), \
	OPT_TEXT(HOOK_ARGS_HELP)

#define HOOK_ARGS_HELP \
	"\n" \
	"The hook runs in a fresh process with stdin from /dev/null and a clean environment: PATH\n" \
	"(ENV/bin first), locale, TZ, compiler variables and those named in WBGEN_PASSENV are kept;\n" \
	"HOME and TMPDIR are private and removed afterwards; SOURCE_DATE_EPOCH, PYTHONHASHSEED=0,\n" \
	"PYTHONDONTWRITEBYTECODE=1 and PYTHONNOUSERSITE=1 are set. The helper is\n" \
	"$WBGEN_PKGDATADIR/pep517_hook.py.\n" \
	"\n" \
	"On Linux the hook runs without the network: in a network namespace of its own, with only a\n" \
	"loopback interface (as root directly, else inside a user namespace mapping your uid). Set\n" \
	"WBGEN_BUILD_NETWORK=1 to let builds reach the network. Where the kernel refuses the namespace,\n" \
	"one warning line goes to the log and the build runs with the network.\n" \
	"\n" \
	"The environment DIR is read-only for the hook (Linux): it runs in a mount namespace of its own\n" \
	"where DIR is bind-mounted read-only, also with WBGEN_BUILD_NETWORK=1; writing, creating or\n" \
	"removing a file there fails with EROFS. The source tree, the output directory, HOME and\n" \
	"TMPDIR stay writable. Where the kernel refuses, one warning line goes to the log.\n"

/* Set up a's options and empty lists (no allocation). */
void hook_args_init(struct hook_args *a);
/* After parse_options(): point a->o's arrays at the lists. */
void hook_args_finish(struct hook_args *a);
/* The checks of --config-setting (KEY=VALUE), --setenv (NAME=VALUE), --source-date-epoch (seconds). */
int hook_check_config(const struct option *opt, const char *arg);
int hook_check_setenv(const struct option *opt, const char *arg);
int hook_check_epoch(const struct option *opt, const char *arg);

#endif
