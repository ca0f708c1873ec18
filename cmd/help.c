/* help.c: `wbgen help [COMMAND]` and the top-level usage. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "parse_options.h"
#include "util.h"

static const char usage_help[] =
	"usage: wbgen help [COMMAND]\n"
	"\n"
	"Show the list of commands, or the usage of COMMAND.\n";

static void usage_top(FILE *f)
{
	const struct command *c;

	fprintf(f, "usage: wbgen [--version] [--help] COMMAND [ARGS]\n"
		   "\n"
		   "Build a whole Python dependency tree from source, with GNU make as the scheduler.\n"
		   "\n"
		   "Commands:\n");
	for (c = commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fprintf(f, "\n"
		   "Exit status: 0 success, 1 failure (bad input, failed build step), 2 usage error.\n"
		   "'wbgen help COMMAND' shows the options of one command.\n");
}

int cmd_help(int argc, char **argv)
{
	struct opt_list args = OPT_LIST_INIT;
	struct option options[] = {
		OPT_ARGUMENTS(&args, 1, NULL, NULL),
		OPT_END(),
	};
	const struct command *c = NULL;
	int ret = EXIT_OK;

	if (parse_options(argc, argv, usage_help, options, 0, &ret) < 0)
		return ret;
	if (args.n)
		c = command_find(args.v[0]);
	if (!args.n)
		usage_top(stdout);
	else if (!c) {
		error("help: '%s' is not a wbgen command (see 'wbgen --help')", args.v[0]);
		ret = EXIT_USAGE;
	}
	parse_options_release(options);
	if (c) {
		/* the usage comes from the command's own table */
		const char *av[] = { c->name, "--help", NULL };

		ret = c->fn(2, (char **)av);
	}
	return ret;
}

const struct command *command_find(const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int close_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE)
			error("write error on standard output:");
		return status ? status : EXIT_FAILURE_USER;
	}
	return status;
}
