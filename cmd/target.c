/* target.c: placeholder for `wbgen target`, written with gen/pyenv.c. */
#include <stdio.h>
#include "cmds.h"
#include "util.h"

const char usage_target[] = "usage: wbgen target [--python PATH]\n";

int cmd_target(int argc, char **argv)
{
	return error("target: not written yet");
}
