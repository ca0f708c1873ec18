/* cmds.h: the commands. Each is one file in cmd/ exporting int cmd_ID(int argc, char **argv)
 * (argv[0] is the command's name), listed in cmd/commands.def; its return value is the exit status
 * (see enum wbgen_exit in util.h). Each program's table is made from that list (cmd/main.c,
 * cmd/step_main.c). */
#ifndef WBGEN_CMDS_H
#define WBGEN_CMDS_H

#include "parse_options.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary; /* one line, for `wbgen --help` */
};

#define COMMAND(id, name, programs, summary) int cmd_##id(int argc, char **argv);
#include "commands.def"
#undef COMMAND

/* An entry of a program's table, for the COMMAND_WBGEN and COMMAND_BOTH a program defines. */
#define COMMAND_ENTRY(id, name, summary) { name, cmd_##id, summary },

/* The option table entries of the interpreter answers' cache (target, venv, install): --cache-dir
 * into dir (a const char **), --no-cache into no (an int *). */
#define OPT_PYENV_CACHE(dir, no) \
	OPT_STRING(0, "cache-dir", (dir), "DIR", \
		   "where interpreter answers are cached\n" \
		   "(default: $XDG_CACHE_HOME/wbgen or ~/.cache/wbgen)"), \
	OPT_BOOL(0, "no-cache", (no), "ask the interpreter even if an answer is cached; cache nothing")

/* The running program's table, terminated by a NULL name. */
extern const struct command commands[];

/* Find a command by name in the table, or NULL (cmd/help.c, shared by both programs). */
const struct command *command_find(const char *name);
/* Flush and close stdout; a write error makes a zero status EXIT_FAILURE_USER. Returns the status. */
int close_stdout(int status);

#endif
