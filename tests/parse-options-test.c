/* parse-options-test.c: cmd/parse_options: option forms, values, errors, arguments and the usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "../cmd/parse_options.h"
#include "tap.h"

/* What the test table fills. */
static struct values {
	int flag;
	const char *name, *checked;
	long num;
	unsigned bits;
	struct opt_list list, args;
} val;

static int check_no_x(const struct option *opt, const char *arg)
{
	if (strchr(arg, 'x'))
		return error("t: --%s '%s' has an x", opt->long_name, arg);
	return 0;
}

static int set_bit(const struct option *opt, const char *arg)
{
	if (strlen(arg) != 1 || arg[0] < '0' || arg[0] > '7')
		return error("t: bad bit '%s'", arg);
	*(unsigned *)opt->value |= 1u << (arg[0] - '0');
	return 0;
}

static const char usage[] = "usage: t [options] [A [B]]\n\n";

static const struct option options[] = {
	OPT_BOOL('f', "flag", &val.flag, "a switch"),
	OPT_STRING('n', "name", &val.name, "NAME", "a name\nover two lines"),
	OPT_STRING_CHECK(0, "checked", &val.checked, "S", "no x in it", check_no_x),
	OPT_INTEGER(0, "num", &val.num, "N", 1, 10, "a number"),
	OPT_LIST('l', "list", &val.list, "V", "repeatable"),
	OPT_CALLBACK(0, "bit", &val.bits, "B", "a bit to set", set_bit),
	OPT_STRING('C', NULL, &val.name, "DIR", "short only"),
	OPT_BOOL(0, "a-rather-long-option-name", &val.flag, "past the column"),
	OPT_ARGUMENTS(&val.args, 2, "A", "an argument"),
	OPT_TEXT("\nThe end.\n"),
	OPT_END(),
};

static void list_text(struct buf *b, const char *what, const struct opt_list *l)
{
	size_t i;

	if (!l->n)
		return;
	buf_addf(b, " %s=", what);
	for (i = 0; i < l->n; i++)
		buf_addf(b, "%s%s", i ? "," : "", l->v[i]);
}

/* The values as one line, for comparing. */
static void values_text(struct buf *b)
{
	buf_reset(b);
	buf_addf(b, "flag=%d name=%s checked=%s num=%ld bits=%u", val.flag, val.name ? val.name : "-",
		 val.checked ? val.checked : "-", val.num, val.bits);
	list_text(b, "list", &val.list);
	list_text(b, "args", &val.args);
}

/* Read what was written to fd since it was redirected to f, then put saved back. */
static void capture_end(FILE *f, int fd, int saved, struct buf *out)
{
	char chunk[512];
	size_t n;

	fflush(fd == 1 ? stdout : stderr);
	dup2(saved, fd);
	close(saved);
	rewind(f);
	buf_reset(out);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	fclose(f);
}

/* Parse the words of line (space-separated; "t" goes first) with flags: the result, the status, and
 * what went to stdout and stderr. The values point into a static copy of line, valid until the next run. */
static int run(const char *line, unsigned flags, int *status, struct buf *out, struct buf *err)
{
	static char words[256];
	char *argv[16], *p;
	int argc = 0, r, saved_out, saved_err;
	FILE *fo = tmpfile(), *fe = tmpfile();

	if (!fo || !fe || strlen(line) >= sizeof(words))
		BUG("cannot run '%s'", line);
	memcpy(words, line, strlen(line) + 1);
	argv[argc++] = (char *)"t";
	for (p = words; *p && argc < 15;) {
		argv[argc++] = p;
		p += strcspn(p, " ");
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	memset(&val, 0, sizeof(val));
	*status = -1;
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	if (saved_out < 0 || saved_err < 0 || dup2(fileno(fo), 1) < 0 || dup2(fileno(fe), 2) < 0)
		BUG("cannot redirect the output");
	r = parse_options(argc, argv, usage, options, flags, status);
	capture_end(fo, 1, saved_out, out);
	capture_end(fe, 2, saved_err, err);
	return r;
}

/* Options that parse: the index returned (argc: 1 + the words) and the values. */
static void test_values(void)
{
	static const struct {
		const char *line;
		unsigned flags;
		int ret;
		const char *values;
	} cases[] = {
		{ "", 0, 1, "flag=0 name=- checked=- num=0 bits=0" },
		{ "--flag", 0, 2, "flag=1 name=- checked=- num=0 bits=0" },
		{ "-f", 0, 2, "flag=1 name=- checked=- num=0 bits=0" },
		{ "--name x", 0, 3, "flag=0 name=x checked=- num=0 bits=0" },
		{ "--name=x", 0, 2, "flag=0 name=x checked=- num=0 bits=0" },
		{ "--name=", 0, 2, "flag=0 name= checked=- num=0 bits=0" },
		{ "--name=a=b", 0, 2, "flag=0 name=a=b checked=- num=0 bits=0" },
		{ "-n x", 0, 3, "flag=0 name=x checked=- num=0 bits=0" },
		{ "-nx", 0, 2, "flag=0 name=x checked=- num=0 bits=0" },
		{ "--name -f", 0, 3, "flag=0 name=-f checked=- num=0 bits=0" },
		{ "--name a --name b", 0, 5, "flag=0 name=b checked=- num=0 bits=0" },
		{ "-C dir", 0, 3, "flag=0 name=dir checked=- num=0 bits=0" },
		{ "--checked ok", 0, 3, "flag=0 name=- checked=ok num=0 bits=0" },
		{ "--num 1", 0, 3, "flag=0 name=- checked=- num=1 bits=0" },
		{ "--num=10", 0, 2, "flag=0 name=- checked=- num=10 bits=0" },
		{ "--bit 1 --bit=3", 0, 4, "flag=0 name=- checked=- num=0 bits=10" },
		{ "--list a -l b --list=c -ld", 0, 7, "flag=0 name=- checked=- num=0 bits=0 list=a,b,c,d" },
		{ "a", 0, 2, "flag=0 name=- checked=- num=0 bits=0 args=a" },
		{ "a --flag b", 0, 4, "flag=1 name=- checked=- num=0 bits=0 args=a,b" },
		{ "-", 0, 2, "flag=0 name=- checked=- num=0 bits=0 args=-" },
		{ "--", 0, 2, "flag=0 name=- checked=- num=0 bits=0" },
		{ "-- --flag -h", 0, 4, "flag=0 name=- checked=- num=0 bits=0 args=--flag,-h" },
		{ "--flag run -x", PARSE_OPT_STOP_AT_NON_OPTION, 2, "flag=1 name=- checked=- num=0 bits=0" },
		{ "-- --flag", PARSE_OPT_STOP_AT_NON_OPTION, 2, "flag=0 name=- checked=- num=0 bits=0" },
		{ "--flag", PARSE_OPT_STOP_AT_NON_OPTION, 2, "flag=1 name=- checked=- num=0 bits=0" },
	};
	struct buf got = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	size_t i;
	int status, r;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		r = run(cases[i].line, cases[i].flags, &status, &out, &err);
		values_text(&got);
		is_int(r, cases[i].ret, "'%s': returns %d", cases[i].line, cases[i].ret);
		is_str(got.s, cases[i].values, "'%s': the values", cases[i].line);
		is_str(err.s, "", "'%s': no message", cases[i].line);
		parse_options_release(options);
		ok(!val.list.v && !val.list.n && !val.args.v && !val.args.n, "'%s': the lists released", cases[i].line);
	}
	buf_release(&got);
	buf_release(&out);
	buf_release(&err);
}

/* Usage errors: -1, EXIT_USAGE, one line naming the option or argument, the lists already freed. */
static void test_errors(void)
{
	static const struct {
		const char *line, *err;
	} cases[] = {
		{ "--frob", "wbgen: t: unknown option '--frob' (see 'wbgen help t')\n" },
		{ "--frob=1", "wbgen: t: unknown option '--frob=1' (see 'wbgen help t')\n" },
		{ "-x", "wbgen: t: unknown option '-x' (see 'wbgen help t')\n" },
		{ "--nam x", "wbgen: t: unknown option '--nam' (see 'wbgen help t')\n" },
		{ "-fn x", "wbgen: t: unknown option '-fn' (see 'wbgen help t')\n" },
		{ "--name", "wbgen: t: option '--name' needs a value\n" },
		{ "-l a -n", "wbgen: t: option '-n' needs a value\n" },
		{ "--flag=1", "wbgen: t: option '--flag' takes no value\n" },
		{ "--num 0", "wbgen: t: --num wants a number from 1 to 10, not '0'\n" },
		{ "--num=11", "wbgen: t: --num wants a number from 1 to 10, not '11'\n" },
		{ "--num x", "wbgen: t: --num wants a number from 1 to 10, not 'x'\n" },
		{ "--checked xy", "wbgen: t: --checked 'xy' has an x\n" },
		{ "--bit 9", "wbgen: t: bad bit '9'\n" },
		{ "-l a a b c", "wbgen: t: unexpected argument 'c' (see 'wbgen help t')\n" },
		{ "a -l b -- b c", "wbgen: t: unexpected argument 'c' (see 'wbgen help t')\n" },
	};
	struct buf out = BUF_INIT, err = BUF_INIT;
	size_t i;
	int status, r;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		r = run(cases[i].line, 0, &status, &out, &err);
		is_int(r, -1, "'%s': the command is over", cases[i].line);
		is_int(status, EXIT_USAGE, "'%s': a usage error", cases[i].line);
		is_str(err.s, cases[i].err, "'%s': the message", cases[i].line);
		is_str(out.s, "", "'%s': nothing on stdout", cases[i].line);
		ok(!val.list.v && !val.list.n && !val.args.v && !val.args.n, "'%s': the lists freed", cases[i].line);
	}
	r = run("--checked x", 0, &status, &out, &err);
	ok(r == -1 && !val.checked, "a rejected value is not stored");
	buf_release(&out);
	buf_release(&err);
}

static const char usage_text[] =
	"usage: t [options] [A [B]]\n"
	"\n"
	"  -f, --flag       a switch\n"
	"  -n, --name NAME  a name\n"
	"                   over two lines\n"
	"  --checked S      no x in it\n"
	"  --num N          a number\n"
	"  -l, --list V     repeatable\n"
	"  --bit B          a bit to set\n"
	"  -C DIR           short only\n"
	"  --a-rather-long-option-name  past the column\n"
	"  A                an argument\n"
	"\n"
	"The end.\n";

/* --help and -h anywhere: the usage made from the table on stdout, EXIT_OK, the lists freed. */
static void test_help(void)
{
	static const char *const lines[] = { "--help", "-h", "-l a --help --frob", "a b -h" };
	struct buf out = BUF_INIT, err = BUF_INIT;
	size_t i;
	int status, r;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		r = run(lines[i], 0, &status, &out, &err);
		is_int(r, -1, "'%s': the command is over", lines[i]);
		is_int(status, EXIT_OK, "'%s': exit status 0", lines[i]);
		is_str(out.s, usage_text, "'%s': the usage on stdout", lines[i]);
		is_str(err.s, "", "'%s': nothing on stderr", lines[i]);
		ok(!val.list.v && !val.args.v, "'%s': the lists freed", lines[i]);
	}
	r = run("--frob --help", 0, &status, &out, &err);
	ok(r == -1 && status == EXIT_USAGE && !out.len, "an error before --help wins");
	r = run("-- --help", 0, &status, &out, &err);
	ok(r == 3 && !out.len && val.args.n == 1, "--help after -- is an argument");
	parse_options_release(options);
	r = run("run --help", PARSE_OPT_STOP_AT_NON_OPTION, &status, &out, &err);
	ok(r == 1 && !out.len, "--help after the first argument is the command's, when it stops there");
	buf_release(&out);
	buf_release(&err);
}

int main(void)
{
	plan_no_plan();
	test_values();
	test_errors();
	test_help();
	return done_testing();
}
