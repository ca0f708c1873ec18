/* unpack.c: `wbgen unpack`: extract an sdist safely and atomically, then apply patches. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "parse_options.h"
#include "unpack/unpack.h"
#include "util.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char usage[] =
	"usage: wbgen unpack [--patch FILE]... [--force] [--log FILE] [LIMITS] SDIST DESTDIR\n"
	"\n"
	"Extract the single top-level directory of SDIST (tar.gz, tar.bz2, tar.xz or zip) so that its\n"
	"content lands in DESTDIR (the archive's directory name does not matter), then apply the patches\n"
	"in the order given with 'patch -p1 --batch --forward --no-backup-if-mismatch -i FILE' run in\n"
	"the tree. It is all done in a temporary directory .DESTNAME.unpack-XXXXXX beside DESTDIR and\n"
	"renamed into place at the end: on failure DESTDIR is untouched and nothing is left behind\n"
	"(a killed run may leave the temporary directory, never a partial DESTDIR).\n"
	"\n";

static const char usage_end[] =
	"A SIZE takes a K, M or G suffix (powers of 1024); a limit of 0 is no limit.\n"
	"\n"
	"Refused: absolute names, '..' components, members outside the top-level directory, names that\n"
	"are not UTF-8 or hold control characters, names differing only in ASCII case, links leaving the\n"
	"tree (symbolic links are kept when relative, with their '..' first and not climbing out; hard\n"
	"links must name an earlier file), devices, FIFOs, sockets. A repeated file name: the last one\n"
	"wins; a repeated directory merges. Files become 0644, or 0755 when owner-executable;\n"
	"directories 0755; setuid, setgid and sticky bits are dropped. Files keep the archive's mtimes,\n"
	"DESTDIR itself gets the current time. Nothing is ever written through a symbolic link.\n";

/* A size with an optional K, M or G suffix (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
	size_t len = strlen(s);
	unsigned shift = 0;
	char *num;
	int r;

	if (len > 1) {
		switch (s[len - 1]) {
		case 'K': case 'k': shift = 10; break;
		case 'M': case 'm': shift = 20; break;
		case 'G': case 'g': shift = 30; break;
		}
	}
	num = xstrndup(s, shift ? len - 1 : len);
	r = parse_u64(num, out);
	free(num);
	if (r < 0 || (shift && *out > (UINT64_MAX >> shift)))
		return -1;
	*out <<= shift;
	return 0;
}

/* --max-files N, --max-ratio N: a number into the uint64_t limit. */
static int parse_limit(const struct option *opt, const char *arg)
{
	if (parse_u64(arg, opt->value) < 0)
		return error("unpack: bad value '%s' for --%s (see 'wbgen help unpack')", arg, opt->long_name);
	return 0;
}

/* --max-file-size SIZE, --max-size SIZE: a size into the uint64_t limit. */
static int parse_size_limit(const struct option *opt, const char *arg)
{
	if (parse_size(arg, opt->value) < 0)
		return error("unpack: bad value '%s' for --%s (see 'wbgen help unpack')", arg, opt->long_name);
	return 0;
}

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
	unpack_interrupted = 1;
}

/* SIGINT, SIGTERM and SIGHUP stop the extraction, which removes its temporary directory; the
 * signal is then raised again so that make sees the command killed by it. */
static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

int cmd_unpack(int argc, char **argv)
{
	struct unpack_options o;
	struct opt_list patches = OPT_LIST_INIT, args = OPT_LIST_INIT;
	struct option options[] = {
		OPT_LIST(0, "patch", &patches, "FILE", "apply FILE (repeatable; a patch that fails fails the command)"),
		OPT_BOOL(0, "force", &o.force,
			 "replace DESTDIR if it exists (in one rename); without it an existing\n"
			 "DESTDIR is an error"),
		OPT_STRING(0, "log", &o.log, "FILE", "write patch's output to FILE instead of printing it on failure"),
		OPT_CALLBACK(0, "max-files", &o.limits.max_files, "N",
			     "refuse archives of more than N members (default " STR(UNPACK_DEFAULT_MAX_FILES) ")",
			     parse_limit),
		OPT_CALLBACK(0, "max-file-size", &o.limits.max_file_size, "SIZE",
			     "refuse a file larger than SIZE (default 1G)", parse_size_limit),
		OPT_CALLBACK(0, "max-size", &o.limits.max_total, "SIZE",
			     "refuse archives unpacking to more than SIZE in all (default 4G)", parse_size_limit),
		OPT_CALLBACK(0, "max-ratio", &o.limits.max_ratio, "N",
			     "refuse archives unpacking to more than N times their own size, once\n"
			     "past 64M (decompression bombs; default " STR(UNPACK_DEFAULT_MAX_RATIO) ")",
			     parse_limit),
		OPT_ARGUMENTS(&args, 2, NULL, NULL),
		OPT_TEXT(usage_end),
		OPT_END(),
	};
	struct buf err = BUF_INIT;
	int ret = EXIT_OK;

	unpack_options_init(&o);
	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
	if (args.n != 2) {
		error("unpack: expected SDIST and DESTDIR (see 'wbgen help unpack')");
		parse_options_release(options);
		return EXIT_USAGE;
	}
	o.patches = patches.v;
	o.npatches = patches.n;
	catch_signals();
	if (unpack_sdist(args.v[0], args.v[1], &o, &err) < 0) {
		error("%s", err.s);
		ret = EXIT_FAILURE_USER;
	}
	if (caught) {
		signal(caught, SIG_DFL);
		raise(caught);
	}
	buf_release(&err);
	parse_options_release(options);
	return ret;
}
