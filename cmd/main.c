/* main.c: dispatch to the subcommand named by argv[1]. main only dispatches; it also
 * checks that stdout was written and closed without error, so no command has to. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "util.h"

const struct command commands[] = {
	{ "help", cmd_help, "show help for wbgen or one of its commands", usage_help },
	{ "resolve", cmd_resolve, "resolve requirements into a plan, downloading and inspecting the sdists", usage_resolve },
	{ "why", cmd_why, "show every chain of requirements that brings a package into the plan", usage_why },
	{ "graph", cmd_graph, "print the plan's dependency graph (Graphviz DOT, graph.json, a subset)", usage_graph },
	{ "report", cmd_report, "draw a make run's timeline from the build's trace (HTML, SVG, Chrome trace)", usage_report },
	{ "target", cmd_target, "describe the target Python interpreter (markers, tags)", usage_target },
	{ "venv", cmd_venv, "create a virtual environment for the target interpreter (no pip)", usage_venv },
	{ "unpack", cmd_unpack, "extract an sdist safely into a new directory and apply patches", usage_unpack },
	{ "install", cmd_install, "install wheel files into a virtual environment (no dependencies)", usage_install },
	{ "hook", cmd_hook, "run one PEP 517 hook in a build environment", usage_hook },
	{ "build-wheel", cmd_build_wheel, "build one wheel from a source tree into a wheel directory", usage_build_wheel },
	{ "publish", cmd_publish, "add wheels to a static PEP 503 mirror", usage_publish },
	{ "step", cmd_step, "run one phase of the generated Makefile (its recipes)", usage_step },
	{ NULL, NULL, NULL, NULL },
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
