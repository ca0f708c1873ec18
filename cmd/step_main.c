/* step_main.c: wbgen-step, the program the generated Makefile's recipes run: `wbgen step` without the
 * rest of wbgen. It links neither the resolver nor libcurl (and the libraries libcurl loads), so the
 * start-up paid by every phase of every package is a third of wbgen's. Its command table holds the
 * commands the phases run in their children (cmd/step.c). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "util.h"

const struct command commands[] = {
	{ "step", cmd_step, "run one phase of the generated Makefile (its recipes)", usage_step },
	{ "venv", cmd_venv, "create a virtual environment for the target interpreter (no pip)", usage_venv },
	{ "unpack", cmd_unpack, "extract an sdist safely into a new directory and apply patches", usage_unpack },
	{ "install", cmd_install, "install wheel files into a virtual environment (no dependencies)", usage_install },
	{ "hook", cmd_hook, "run one PEP 517 hook in a build environment", usage_hook },
	{ "build-wheel", cmd_build_wheel, "build one wheel from a source tree into a wheel directory", usage_build_wheel },
	{ "publish", cmd_publish, "add wheels to a static PEP 503 mirror", usage_publish },
	{ NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("wbgen-step %s\n", PACKAGE_VERSION);
		return close_stdout(EXIT_OK);
	}
	return close_stdout(cmd_step(argc, argv));
}
