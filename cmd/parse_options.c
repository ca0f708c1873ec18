/* parse_options.c: a command's options as a table: parsing argv and printing the usage. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_options.h"
#include "util.h"

/* A usage row's text starts two columns after the widest option, unless that is wider than this. */
#define USAGE_HEAD_MAX 24

static void list_add(struct opt_list *l, const char *s)
{
	GROW(l->v, l->alloc, l->n + 1);
	l->v[l->n++] = s;
}

/* The option's name for messages: "--jobs", else "-j". */
static void opt_name(const struct option *o, char *buf, size_t size)
{
	if (o->long_name)
		snprintf(buf, size, "--%s", o->long_name);
	else
		snprintf(buf, size, "-%c", o->short_name);
}

/* Store the value arg (NULL for a switch) of option o; -1 after a message when it is rejected. */
static int take(const char *cmd, const struct option *o, const char *arg)
{
	char name[64];

	if ((o->type == OPTION_STRING || o->type == OPTION_LIST) && o->callback && o->callback(o, arg) < 0)
		return -1;
	switch (o->type) {
	case OPTION_BOOL:
		*(int *)o->value = 1;
		return 0;
	case OPTION_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPTION_LIST:
		list_add(o->value, arg);
		return 0;
	case OPTION_CALLBACK:
		return o->callback(o, arg);
	case OPTION_INTEGER:
		if (parse_int_range(arg, o->min, o->max, o->value) == 0)
			return 0;
		opt_name(o, name, sizeof(name));
		if (o->max == LONG_MAX)
			return error("%s: %s wants a number, not '%s'", cmd, name, arg);
		return error("%s: %s wants a number from %ld to %ld, not '%s'", cmd, name, o->min, o->max, arg);
	default:
		BUG("option type %d takes no value", (int)o->type);
	}
}

/* The entry of the option argv[i] names ("--name", "--name=VALUE", "-n", "-nVALUE"), or NULL; *inline
 * is the value given with it, or NULL. */
static const struct option *find(const struct option *opts, const char *a, const char **inline_value)
{
	const struct option *o;

	*inline_value = NULL;
	if (a[1] == '-') {
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);

		for (o = opts; o->type != OPTION_END; o++)
			if (o->long_name && strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0) {
				*inline_value = eq ? eq + 1 : NULL;
				return o;
			}
		return NULL;
	}
	for (o = opts; o->type != OPTION_END; o++)
		if (o->short_name && o->short_name == (unsigned char)a[1]) {
			if (!a[2])
				return o;
			if (!o->argh)
				return NULL; /* no bundling: "-vq" is not an option */
			*inline_value = a + 2;
			return o;
		}
	return NULL;
}

static const struct option *find_type(const struct option *opts, enum parse_opt_type t)
{
	for (; opts->type != OPTION_END; opts++)
		if (opts->type == t)
			return opts;
	return NULL;
}

/* Parse one option argv[*i], advancing *i past a separate value; -1 after a message. */
static int parse_one(int argc, char **argv, int *i, const struct option *opts)
{
	const char *a = argv[*i], *cmd = argv[0], *v;
	const struct option *o = find(opts, a, &v);

	if (!o)
		return error("%s: unknown option '%s' (see 'wbgen help %s')", cmd, a, cmd);
	if (!o->argh) {
		if (v)
			return error("%s: option '--%s' takes no value", cmd, o->long_name);
		return take(cmd, o, NULL);
	}
	if (!v) {
		if (*i + 1 >= argc)
			return error("%s: option '%s' needs a value", cmd, a);
		v = argv[++*i];
	}
	return take(cmd, o, v);
}

int parse_options(int argc, char **argv, const char *usage, const struct option *opts, unsigned flags,
		  int *status)
{
	const struct option *args = find_type(opts, OPTION_ARGUMENTS);
	int i, only_args = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_args || a[0] != '-' || !a[1]) {
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION)
				return i;
			if (!args || (args->max && ((struct opt_list *)args->value)->n == (size_t)args->max)) {
				error("%s: unexpected argument '%s' (see 'wbgen help %s')", argv[0], a, argv[0]);
				goto usage_error;
			}
			list_add(args->value, a);
		} else if (strcmp(a, "--") == 0) {
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION)
				return i + 1;
			only_args = 1;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage_with_options(usage, opts, stdout);
			parse_options_release(opts);
			*status = EXIT_OK;
			return -1;
		} else if (parse_one(argc, argv, &i, opts) < 0) {
			goto usage_error;
		}
	}
	return argc;
usage_error:
	parse_options_release(opts);
	*status = EXIT_USAGE;
	return -1;
}

void parse_options_release(const struct option *opts)
{
	for (; opts->type != OPTION_END; opts++)
		if (opts->type == OPTION_LIST || opts->type == OPTION_ARGUMENTS) {
			struct opt_list *l = opts->value;

			free(l->v);
			l->v = NULL;
			l->n = l->alloc = 0;
		}
}

/* The left column of a row: "-r, --requirement FILE", "--pre", "-C OUTDIR", "REQ"; its width. */
static int head(const struct option *o, char *buf, size_t size)
{
	const char *argh = o->argh ? o->argh : "", *sp = o->argh ? " " : "";

	if (o->type == OPTION_ARGUMENTS)
		return snprintf(buf, size, "%s", argh);
	if (o->short_name && o->long_name)
		return snprintf(buf, size, "-%c, --%s%s%s", o->short_name, o->long_name, sp, argh);
	if (o->short_name)
		return snprintf(buf, size, "-%c%s%s", o->short_name, sp, argh);
	return snprintf(buf, size, "--%s%s%s", o->long_name, sp, argh);
}

void usage_with_options(const char *usage, const struct option *opts, FILE *f)
{
	const struct option *o;
	char left[128];
	int col = 0, w;

	for (o = opts; o->type != OPTION_END; o++) {
		if (o->type == OPTION_TEXT || !o->help)
			continue;
		w = head(o, left, sizeof(left));
		if (w <= USAGE_HEAD_MAX && w > col)
			col = w;
	}
	col += 4; /* two spaces before the left column, two after */
	fputs(usage, f);
	for (o = opts; o->type != OPTION_END; o++) {
		const char *h = o->help, *nl;

		if (!h)
			continue;
		if (o->type == OPTION_TEXT) {
			fputs(h, f);
			continue;
		}
		w = 2 + head(o, left, sizeof(left));
		fprintf(f, "  %s%*s", left, w + 2 > col ? 2 : col - w, "");
		while ((nl = strchr(h, '\n')) != NULL) {
			fprintf(f, "%.*s\n%*s", (int)(nl - h), h, col, "");
			h = nl + 1;
		}
		fprintf(f, "%s\n", h);
	}
}
