/* step_main.c: wbgen-step, the program the generated Makefile's recipes run: `wbgen step` without the
 * rest of wbgen. It links neither the resolver nor libcurl (and the libraries libcurl loads), so the
 * start-up paid by every phase of every package is a third of wbgen's. Its command table holds the
 * commands of cmd/commands.def marked BOTH: step, and those the phases run in their children
 * (cmd/step.c). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "util.h"

const struct command commands[] = {
#define COMMAND_WBGEN(id, name, summary)
#define COMMAND_BOTH COMMAND_ENTRY
#define COMMAND(id, name, programs, summary) COMMAND_##programs(id, name, summary)
#include "commands.def"
	{ NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	static char name[] = "step";

	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("wbgen-step %s\n", PACKAGE_VERSION);
		return close_stdout(EXIT_OK);
	}
	argv[0] = name; /* the command's name in its messages, as in `wbgen step` */
	return close_stdout(cmd_step(argc, argv));
}
