/* parse_options.h: a command's options as a table (after git's parse-options.h).
 *
 * A command declares its options as an array of struct option ended by OPT_END(), whose entries
 * point into a struct of its own, and parse_options() fills that struct from argv before the
 * command allocates anything. The same table makes the usage (NAME --help, `wbgen help NAME`):
 * the command's synopsis and description, then a row per entry that has help, in table order.
 *
 * Long options take their value as "--name VALUE" or "--name=VALUE", short ones as "-n VALUE" or
 * "-nVALUE"; a value may begin with '-'. "--" ends the options, "-" alone is an argument, "--help"
 * and "-h" print the usage. Names are never abbreviated, short options never bundled.
 *
 * Values are borrowed from argv, which outlives the command. The only allocations are the arrays of
 * OPTION_LIST and OPTION_ARGUMENTS entries: parse_options() frees them itself when the command is
 * over (--help or a usage error), else the command frees them with parse_options_release().
 */
#ifndef WBGEN_PARSE_OPTIONS_H
#define WBGEN_PARSE_OPTIONS_H

#include <stdio.h>

/* The values of a repeatable option, or the arguments, in order (borrowed from argv). */
struct opt_list {
	const char **v;
	size_t n, alloc;
};

#define OPT_LIST_INIT { NULL, 0, 0 }

enum parse_opt_type {
	OPTION_END,
	OPTION_TEXT,      /* not an option: help is a paragraph of the usage, printed as it is */
	OPTION_ARGUMENTS, /* the arguments that are not options, into a struct opt_list: at most max of them
	                   * (0: any number); a row of the usage (argh, help) when help is set */
	OPTION_BOOL,      /* int: set to 1 */
	OPTION_STRING,    /* const char *: the value */
	OPTION_INTEGER,   /* long: the value, a whole number from min to max */
	OPTION_LIST,      /* struct opt_list: each value, in order (a repeatable option) */
	OPTION_CALLBACK,  /* callback(opt, value) checks and stores the value */
};

struct option {
	enum parse_opt_type type;
	int short_name;         /* 'r' for -r, or 0 */
	const char *long_name;  /* "requirement" for --requirement, or NULL */
	void *value;            /* where the value goes (see the types) */
	const char *argh;       /* the value's name in the usage ("FILE"); NULL: the option takes no value */
	const char *help;       /* the usage row; each '\n' goes on under the first line's text */
	long min, max;          /* OPTION_INTEGER: the range; OPTION_ARGUMENTS: max */
	/* Rejects a value with -1 after one line on stderr, else returns 0. It checks the value of an
	 * OPTION_STRING or OPTION_LIST before it is stored; an OPTION_CALLBACK's stores it. */
	int (*callback)(const struct option *opt, const char *arg);
};

/* The entries of a table. OPT_TYPED(T, v) is v, a warning when v is not a T (a wrong target type). */
#define OPT_TYPED(T, v) (1 ? (v) : (T)NULL)
#define OPT_ENTRY(t, s, l, v, a, h, mn, mx, cb) { (t), (s), (l), (v), (a), (h), (mn), (mx), (cb) }
#define OPT_END() OPT_ENTRY(OPTION_END, 0, NULL, NULL, NULL, NULL, 0, 0, NULL)
#define OPT_TEXT(h) OPT_ENTRY(OPTION_TEXT, 0, NULL, NULL, NULL, (h), 0, 0, NULL)
#define OPT_ARGUMENTS(v, mx, a, h) \
	OPT_ENTRY(OPTION_ARGUMENTS, 0, NULL, OPT_TYPED(struct opt_list *, v), (a), (h), 0, (mx), NULL)
#define OPT_BOOL(s, l, v, h) OPT_ENTRY(OPTION_BOOL, (s), (l), OPT_TYPED(int *, v), NULL, (h), 0, 0, NULL)
#define OPT_STRING(s, l, v, a, h) OPT_STRING_CHECK(s, l, v, a, h, NULL)
#define OPT_STRING_CHECK(s, l, v, a, h, cb) \
	OPT_ENTRY(OPTION_STRING, (s), (l), OPT_TYPED(const char **, v), (a), (h), 0, 0, (cb))
#define OPT_INTEGER(s, l, v, a, mn, mx, h) \
	OPT_ENTRY(OPTION_INTEGER, (s), (l), OPT_TYPED(long *, v), (a), (h), (mn), (mx), NULL)
#define OPT_LIST(s, l, v, a, h) OPT_LIST_CHECK(s, l, v, a, h, NULL)
#define OPT_LIST_CHECK(s, l, v, a, h, cb) \
	OPT_ENTRY(OPTION_LIST, (s), (l), OPT_TYPED(struct opt_list *, v), (a), (h), 0, 0, (cb))
#define OPT_CALLBACK(s, l, v, a, h, cb) OPT_ENTRY(OPTION_CALLBACK, (s), (l), (v), (a), (h), 0, 0, (cb))

/* Stop at the first argument that is not an option (after "--" when it ends the options): what
 * follows is the command's to read, options of another program included (`wbgen step run make -k`). */
#define PARSE_OPT_STOP_AT_NON_OPTION 1u

/* Parse argv[1..argc) into the values of opts; argv[0] is the command's name, for messages. Returns
 * the index of the first argument left to the command: argc, or with PARSE_OPT_STOP_AT_NON_OPTION
 * the first that is not an option. Returns -1 when the command is over, with *status its exit
 * status: EXIT_OK after --help (the usage on stdout), EXIT_USAGE after a usage error (one line on
 * stderr naming the option or the argument). */
int parse_options(int argc, char **argv, const char *usage, const struct option *opts, unsigned flags,
		  int *status);
/* Free the arrays that parse_options() grew for the table's lists and arguments (no-op when empty). */
void parse_options_release(const struct option *opts);
/* Print usage (the synopsis and description), then the table's rows and paragraphs, to f. */
void usage_with_options(const char *usage, const struct option *opts, FILE *f);

#endif
