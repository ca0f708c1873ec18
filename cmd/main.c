/* main.c: dispatch to the subcommand named by argv[1]. main only dispatches; it also
 * checks that stdout was written and closed without error, so no command has to. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "util.h"

const struct command commands[] = {
#define COMMAND_WBGEN COMMAND_ENTRY
#define COMMAND_BOTH COMMAND_ENTRY
#define COMMAND(id, name, programs, summary) COMMAND_##programs(id, name, summary)
#include "commands.def"
	{ NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		cmd_help(1, argv);
		return close_stdout(EXIT_USAGE);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return close_stdout(cmd_help(1, argv));
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("wbgen %s\n", PACKAGE_VERSION);
		return close_stdout(EXIT_OK);
	}
	if (argv[1][0] == '-') {
		error("unknown option '%s' (see 'wbgen --help')", argv[1]);
		return EXIT_USAGE;
	}
	cmd = command_find(argv[1]);
	if (!cmd) {
		error("'%s' is not a wbgen command (see 'wbgen --help')", argv[1]);
		return EXIT_USAGE;
	}
	return close_stdout(cmd->fn(argc - 1, argv + 1));
}
