/* hook.c: `wbgen hook`: run one PEP 517 hook in the environment's python; the options it shares
 * with `wbgen build-wheel` (hook_args.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "hook.h"
#include "hook_args.h"
#include "parse_options.h"
#include "util.h"

static const char usage[] =
	"usage: wbgen hook --env DIR --src SRCDIR [--backend B] [--backend-path P]...\n"
	"                  [--config-setting K=V]... [--out-dir DIR] [--log FILE] HOOK OUTFILE\n"
	"\n"
	"Run one PEP 517 hook (get_requires_for_build_wheel, prepare_metadata_for_build_wheel,\n"
	"build_wheel, build_sdist, get_requires_for_build_sdist, and the _editable ones) and write\n"
	"its result to OUTFILE (atomically) as JSON: {\"hook\": HOOK, \"return\": VALUE}, plus\n"
	"\"default\": true when the backend lacks an optional get_requires_* hook (VALUE is []) or\n"
	"\"unsupported\": true when it lacks prepare_metadata_* (VALUE is null).\n"
	"\n";

void hook_args_init(struct hook_args *a)
{
	struct opt_list empty = OPT_LIST_INIT;

	hook_opts_init(&a->o);
	a->backend_path = a->config = a->setenv = empty;
}

void hook_args_finish(struct hook_args *a)
{
	a->o.backend_path = a->backend_path.v;
	a->o.nr_backend_path = a->backend_path.n;
	a->o.config = a->config.v;
	a->o.nr_config = a->config.n;
	a->o.setenv = a->setenv.v;
	a->o.nr_setenv = a->setenv.n;
}

int hook_check_config(const struct option *opt, const char *arg)
{
	if (!strchr(arg, '=') || arg[0] == '=')
		return error("--config-setting '%s' is not KEY=VALUE", arg);
	return 0;
}

int hook_check_setenv(const struct option *opt, const char *arg)
{
	if (!strchr(arg, '=') || arg[0] == '=')
		return error("--setenv '%s' is not NAME=VALUE", arg);
	return 0;
}

int hook_check_epoch(const struct option *opt, const char *arg)
{
	uint64_t n;

	if (parse_u64(arg, &n) < 0)
		return error("--source-date-epoch '%s' is not a number of seconds", arg);
	return 0;
}

int cmd_hook(int argc, char **argv)
{
	struct hook_args a;
	struct opt_list args = OPT_LIST_INIT;
	struct option options[] = {
		OPT_STRING(0, "out-dir", &a.o.out_dir, "DIR",
			   "the directory argument of build_* and prepare_metadata_* hooks"),
		OPT_HOOK_ARGS(&a),
		OPT_ARGUMENTS(&args, 2, NULL, NULL),
		OPT_END(),
	};
	struct buf err = BUF_INIT;
	int ret = EXIT_OK;

	hook_args_init(&a);
	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
	hook_args_finish(&a);
	if (args.n != 2 || !a.o.env || !a.o.src) {
		error("hook: --env, --src, HOOK and OUTFILE are required (see 'wbgen help hook')");
		ret = EXIT_USAGE;
	} else if (!hook_name_valid(args.v[0])) {
		error("hook: unknown PEP 517 hook '%s'", args.v[0]);
		ret = EXIT_USAGE;
	} else if (!a.o.out_dir && (starts_with(args.v[0], "build_") || starts_with(args.v[0], "prepare_metadata_"))) {
		error("hook: %s needs --out-dir", args.v[0]);
		ret = EXIT_USAGE;
	} else if (hook_run(&a.o, args.v[0], args.v[1], &err) < 0) {
		error("%s", err.s);
		ret = EXIT_FAILURE_USER;
	}
	buf_release(&err);
	parse_options_release(options);
	return ret;
}
