/* cmds.h: the subcommand table. Each command is one file in cmd/ exporting
 * int cmd_NAME(int argc, char **argv) (argv[0] is the command name); its return
 * value is the exit status (see enum wbgen_exit in util.h). */
#ifndef WBGEN_CMDS_H
#define WBGEN_CMDS_H

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary; /* one line, for `wbgen --help` */
	const char *usage;   /* full usage text, for `wbgen help NAME` and NAME --help */
};

/* The table, terminated by a NULL name. */
extern const struct command commands[];

/* Find a command by name, or NULL. */
const struct command *command_find(const char *name);
/* Print the usage text of cmd to stdout (for --help) or stderr. */
void command_usage(const struct command *cmd, int to_stderr);
/* Report an unknown option of cmd in one line and return EXIT_USAGE. */
int command_bad_option(const struct command *cmd, const char *opt);

/* The value of option 'name' given as "--name VALUE" or "--name=VALUE" at argv[*i] (advancing *i
 * past the value); NULL when argv[*i] is not that option, with *missing set when the value is absent. */
const char *option_value(int argc, char **argv, int *i, const char *name, int *missing);

int cmd_help(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_target(int argc, char **argv);
int cmd_unpack(int argc, char **argv);

extern const char usage_help[];
extern const char usage_target[];
extern const char usage_resolve[];
extern const char usage_unpack[];

#endif
