/* cmds.h: the subcommand table. Each command is one file in cmd/ exporting
 * int cmd_NAME(int argc, char **argv) (argv[0] is the command name); its return
 * value is the exit status (see enum wbgen_exit in util.h). */
#ifndef WBGEN_CMDS_H
#define WBGEN_CMDS_H

#include <stddef.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary; /* one line, for `wbgen --help` */
	const char *usage;   /* full usage text, for `wbgen help NAME` and NAME --help */
};

/* The table, terminated by a NULL name. */
extern const struct command commands[];

/* Find a command by name in the table, or NULL (cmd/help.c, shared by both programs). */
const struct command *command_find(const char *name);
/* Flush and close stdout; a write error makes a zero status EXIT_FAILURE_USER. Returns the status. */
int close_stdout(int status);
/* Print the usage text of cmd to stdout (for --help) or stderr. */
void command_usage(const struct command *cmd, int to_stderr);
/* Report an unknown option of cmd in one line and return EXIT_USAGE. */
int command_bad_option(const struct command *cmd, const char *opt);

/* The value of option 'name' given as "--name VALUE" or "--name=VALUE" at argv[*i] (advancing *i
 * past the value); NULL when argv[*i] is not that option, with *missing set when the value is absent. */
const char *option_value(int argc, char **argv, int *i, const char *name, int *missing);

int cmd_help(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_build_wheel(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_target(int argc, char **argv);
int cmd_venv(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_unpack(int argc, char **argv);
int cmd_step(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_graph(int argc, char **argv);

extern const char usage_help[];
extern const char usage_hook[];
extern const char usage_build_wheel[];
extern const char usage_publish[];
extern const char usage_step[];
extern const char usage_report[];

/* The options `wbgen hook` and `wbgen build-wheel` share (cmd/hook.c). */
#define HOOK_OPTIONS_HELP \
	"  --env DIR              the build environment (a venv); DIR/bin/python runs the hook\n" \
	"  --src SRCDIR           the unpacked source tree, the hook's working directory\n" \
	"  --backend B            build-backend \"mod:obj.attr\" (default: setuptools.build_meta:__legacy__)\n" \
	"  --backend-path P       a backend-path entry, relative to SRCDIR (repeatable)\n" \
	"  --config-setting K=V   a config setting (repeatable; a repeated K gives a list)\n" \
	"  --setenv NAME=VALUE    set NAME in the hook's environment (repeatable; after the clean\n" \
	"                         environment below, so it overrides it)\n" \
	"  --log FILE             append the hook's stdout and stderr to FILE (default: to stderr)\n" \
	"  --source-date-epoch N  SOURCE_DATE_EPOCH when the caller has none (default 315532800)\n" \
	"  --jobserver            pass make's jobserver on to the build (use in a '+' recipe);\n" \
	"                         by default MAKEFLAGS is dropped and an inner make runs serially\n" \
	"\n" \
	"The hook runs in a fresh process with stdin from /dev/null and a clean environment: PATH\n" \
	"(ENV/bin first), locale, TZ, compiler variables and those named in WBGEN_PASSENV are kept;\n" \
	"HOME and TMPDIR are private and removed afterwards; SOURCE_DATE_EPOCH, PYTHONHASHSEED=0,\n" \
	"PYTHONDONTWRITEBYTECODE=1 and PYTHONNOUSERSITE=1 are set. The helper is\n" \
	"$WBGEN_PKGDATADIR/pep517_hook.py.\n" \
	"\n" \
	"On Linux the hook runs without the network: in a network namespace of its own, with only a\n" \
	"loopback interface (as root directly, else inside a user namespace mapping your uid). Set\n" \
	"WBGEN_BUILD_NETWORK=1 to let builds reach the network. Where the kernel refuses the namespace,\n" \
	"one warning line goes to the log and the build runs with the network.\n" \
	"\n" \
	"The environment DIR is read-only for the hook (Linux): it runs in a mount namespace of its own\n" \
	"where DIR is bind-mounted read-only, also with WBGEN_BUILD_NETWORK=1; writing, creating or\n" \
	"removing a file there fails with EROFS. The source tree, the output directory, HOME and\n" \
	"TMPDIR stay writable. Where the kernel refuses, one warning line goes to the log.\n"

struct hook_opts;
/* Parse one of the shared hook options at argv[*i] into o (arrays grown with *alloc_bp and
 * *alloc_cs; values borrowed from argv): 1 when consumed, 0 when not one of them (*missing set when
 * its value is absent), -1 after reporting a bad value. */
int hook_option(int argc, char **argv, int *i, struct hook_opts *o, size_t *alloc_bp, size_t *alloc_cs,
		int *missing);
/* Free the arrays hook_option() grew. */
void hook_opts_free(struct hook_opts *o);
extern const char usage_target[];
extern const char usage_resolve[];
extern const char usage_venv[];
extern const char usage_install[];
extern const char usage_unpack[];
extern const char usage_why[];
extern const char usage_graph[];

#endif
