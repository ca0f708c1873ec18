/* help.c: `wbgen help [COMMAND]` and the top-level usage. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "util.h"

const char usage_help[] =
	"usage: wbgen help [COMMAND]\n"
	"\n"
	"Show the list of commands, or the usage of COMMAND.\n";

void command_usage(const struct command *cmd, int to_stderr)
{
	fputs(cmd->usage, to_stderr ? stderr : stdout);
}

int command_bad_option(const struct command *cmd, const char *opt)
{
	error("%s: unknown option '%s' (see 'wbgen help %s')", cmd->name, opt, cmd->name);
	return EXIT_USAGE;
}

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
	const struct command *c;

	if (argc < 2) {
		usage_top(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		error("help: too many arguments");
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_help, stdout);
		return EXIT_OK;
	}
	c = command_find(argv[1]);
	if (!c) {
		error("help: '%s' is not a wbgen command (see 'wbgen --help')", argv[1]);
		return EXIT_USAGE;
	}
	command_usage(c, 0);
	return EXIT_OK;
}

/* The value of option 'name' given as "--name VALUE" or "--name=VALUE"; NULL when argv[*i] is not it. */
const char *option_value(int argc, char **argv, int *i, const char *name, int *missing)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
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
