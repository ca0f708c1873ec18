/* hook.c: `wbgen hook`: run one PEP 517 hook in the environment's python. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "hook.h"
#include "util.h"

const char usage_hook[] =
	"usage: wbgen hook --env DIR --src SRCDIR [--backend B] [--backend-path P]...\n"
	"                  [--config-setting K=V]... [--out-dir DIR] [--log FILE] HOOK OUTFILE\n"
	"\n"
	"Run one PEP 517 hook (get_requires_for_build_wheel, prepare_metadata_for_build_wheel,\n"
	"build_wheel, build_sdist, get_requires_for_build_sdist, and the _editable ones) and write\n"
	"its result to OUTFILE (atomically) as JSON: {\"hook\": HOOK, \"return\": VALUE}, plus\n"
	"\"default\": true when the backend lacks an optional get_requires_* hook (VALUE is []) or\n"
	"\"unsupported\": true when it lacks prepare_metadata_* (VALUE is null).\n"
	"\n"
	"  --out-dir DIR          the directory argument of build_* and prepare_metadata_* hooks\n"
	HOOK_OPTIONS_HELP;

static void push(const char ***arr, size_t *nr, size_t *alloc, const char *v)
{
	GROW(*arr, *alloc, *nr + 1);
	(*arr)[(*nr)++] = v;
}

int hook_option(int argc, char **argv, int *i, struct hook_opts *o, size_t *alloc_bp, size_t *alloc_cs,
		int *missing)
{
	const char *v;

	*missing = 0;
	if ((v = option_value(argc, argv, i, "--env", missing)) != NULL)
		o->env = v;
	else if ((v = option_value(argc, argv, i, "--src", missing)) != NULL)
		o->src = v;
	else if ((v = option_value(argc, argv, i, "--backend", missing)) != NULL)
		o->backend = v;
	else if ((v = option_value(argc, argv, i, "--backend-path", missing)) != NULL)
		push(&o->backend_path, &o->nr_backend_path, alloc_bp, v);
	else if ((v = option_value(argc, argv, i, "--config-setting", missing)) != NULL) {
		if (!strchr(v, '=') || v[0] == '=') {
			error("config setting '%s' is not KEY=VALUE", v);
			return -1;
		}
		push(&o->config, &o->nr_config, alloc_cs, v);
	} else if ((v = option_value(argc, argv, i, "--setenv", missing)) != NULL) {
		if (!strchr(v, '=') || v[0] == '=') {
			error("--setenv '%s' is not NAME=VALUE", v);
			return -1;
		}
		o->setenv = xreallocarray((void *)o->setenv, o->nr_setenv + 1, sizeof(*o->setenv));
		o->setenv[o->nr_setenv++] = v;
	} else if ((v = option_value(argc, argv, i, "--log", missing)) != NULL)
		o->log = v;
	else if ((v = option_value(argc, argv, i, "--source-date-epoch", missing)) != NULL) {
		uint64_t n;

		if (parse_u64(v, &n) < 0) {
			error("--source-date-epoch '%s' is not a number of seconds", v);
			return -1;
		}
		o->source_date_epoch = v;
	} else if (strcmp(argv[*i], "--jobserver") == 0)
		o->jobserver = 1;
	else
		return 0;
	return 1;
}

void hook_opts_free(struct hook_opts *o)
{
	free(o->backend_path);
	free(o->config);
	free((void *)o->setenv);
}

int cmd_hook(int argc, char **argv)
{
	const struct command *self = command_find("hook");
	const char *args[2], *v;
	struct hook_opts o;
	struct buf err = BUF_INIT;
	size_t abp = 0, acs = 0;
	int i, nargs = 0, missing = 0, r, ret = EXIT_OK;

	hook_opts_init(&o);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			command_usage(self, 0);
			hook_opts_free(&o);
			return EXIT_OK;
		}
		r = hook_option(argc, argv, &i, &o, &abp, &acs, &missing);
		if (r < 0) {
			hook_opts_free(&o);
			return EXIT_USAGE;
		}
		if (r)
			continue;
		if ((v = option_value(argc, argv, &i, "--out-dir", &missing)) != NULL) {
			o.out_dir = v;
		} else if (missing) {
			error("hook: option '%s' needs a value", argv[i]);
			hook_opts_free(&o);
			return EXIT_USAGE;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			hook_opts_free(&o);
			return command_bad_option(self, argv[i]);
		} else if (nargs < 2) {
			args[nargs++] = argv[i];
		} else {
			error("hook: unexpected argument '%s' (see 'wbgen help hook')", argv[i]);
			hook_opts_free(&o);
			return EXIT_USAGE;
		}
	}
	if (nargs != 2 || !o.env || !o.src) {
		error("hook: --env, --src, HOOK and OUTFILE are required (see 'wbgen help hook')");
		hook_opts_free(&o);
		return EXIT_USAGE;
	}
	if (!hook_name_valid(args[0])) {
		error("hook: unknown PEP 517 hook '%s'", args[0]);
		hook_opts_free(&o);
		return EXIT_USAGE;
	}
	if (!o.out_dir && (starts_with(args[0], "build_") || starts_with(args[0], "prepare_metadata_"))) {
		error("hook: %s needs --out-dir", args[0]);
		hook_opts_free(&o);
		return EXIT_USAGE;
	}
	if (hook_run(&o, args[0], args[1], &err) < 0) {
		error("%s", err.s);
		ret = EXIT_FAILURE_USER;
	}
	buf_release(&err);
	hook_opts_free(&o);
	return ret;
}
