/* unpack.c: `wbgen unpack`: extract an sdist safely and atomically, then apply patches. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cmds.h"
#include "unpack/unpack.h"
#include "util.h"

#define STR_(x) #x
#define STR(x) STR_(x)

const char usage_unpack[] =
	"usage: wbgen unpack [--patch FILE]... [--force] [--log FILE] [LIMITS] SDIST DESTDIR\n"
	"\n"
	"Extract the single top-level directory of SDIST (tar.gz, tar.bz2, tar.xz or zip) so that its\n"
	"content lands in DESTDIR (the archive's directory name does not matter), then apply the patches\n"
	"in the order given with 'patch -p1 --batch --forward --no-backup-if-mismatch -i FILE' run in\n"
	"the tree. It is all done in a temporary directory .DESTNAME.unpack-XXXXXX beside DESTDIR and\n"
	"renamed into place at the end: on failure DESTDIR is untouched and nothing is left behind\n"
	"(a killed run may leave the temporary directory, never a partial DESTDIR).\n"
	"\n"
	"  --patch FILE         apply FILE (repeatable; a patch that fails fails the command)\n"
	"  --force              replace DESTDIR if it exists (in one rename); without it an existing\n"
	"                       DESTDIR is an error\n"
	"  --log FILE           write patch's output to FILE instead of printing it on failure\n"
	"  --max-files N        refuse archives of more than N members (default " STR(UNPACK_DEFAULT_MAX_FILES) ")\n"
	"  --max-file-size SIZE refuse a file larger than SIZE (default 1G)\n"
	"  --max-size SIZE      refuse archives unpacking to more than SIZE in all (default 4G)\n"
	"  --max-ratio N        refuse archives unpacking to more than N times their own size, once\n"
	"                       past 64M (decompression bombs; default " STR(UNPACK_DEFAULT_MAX_RATIO) ")\n"
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
	const struct command *self = command_find("unpack");
	const char **patches = NULL, *args[2], *v;
	size_t npatches = 0, alloc = 0, nargs = 0;
	struct unpack_options o;
	struct buf err = BUF_INIT;
	int i, missing = 0, only_args = 0, ret = EXIT_OK;

	unpack_options_init(&o);
	for (i = 1; i < argc; i++) {
		uint64_t *limit = NULL;
		const char *optname = NULL;
		int size = 0;

		if (only_args) {
			if (nargs == 2) {
				error("unpack: unexpected argument '%s' (see 'wbgen help unpack')", argv[i]);
				free(patches);
				return EXIT_USAGE;
			}
			args[nargs++] = argv[i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			command_usage(self, 0);
			free(patches);
			return EXIT_OK;
		} else if ((v = option_value(argc, argv, &i, "--patch", &missing)) != NULL) {
			GROW(patches, alloc, npatches + 1);
			patches[npatches++] = v;
		} else if ((v = option_value(argc, argv, &i, "--log", &missing)) != NULL) {
			o.log = v;
		} else if (strcmp(argv[i], "--force") == 0) {
			o.force = 1;
		} else if ((v = option_value(argc, argv, &i, "--max-files", &missing)) != NULL) {
			limit = &o.limits.max_files;
			optname = "--max-files";
		} else if ((v = option_value(argc, argv, &i, "--max-file-size", &missing)) != NULL) {
			limit = &o.limits.max_file_size;
			optname = "--max-file-size";
			size = 1;
		} else if ((v = option_value(argc, argv, &i, "--max-size", &missing)) != NULL) {
			limit = &o.limits.max_total;
			optname = "--max-size";
			size = 1;
		} else if ((v = option_value(argc, argv, &i, "--max-ratio", &missing)) != NULL) {
			limit = &o.limits.max_ratio;
			optname = "--max-ratio";
		} else if (missing) {
			error("unpack: option '%s' needs a value", argv[i]);
			free(patches);
			return EXIT_USAGE;
		} else if (strcmp(argv[i], "--") == 0) {
			only_args = 1;
		} else if (argv[i][0] == '-' && argv[i][1] && !only_args) {
			free(patches);
			return command_bad_option(self, argv[i]);
		} else if (nargs == 2) {
			error("unpack: unexpected argument '%s' (see 'wbgen help unpack')", argv[i]);
			free(patches);
			return EXIT_USAGE;
		} else {
			args[nargs++] = argv[i];
		}
		if (limit && (size ? parse_size(v, limit) : parse_u64(v, limit)) < 0) {
			error("unpack: bad value '%s' for %s (see 'wbgen help unpack')", v, optname);
			free(patches);
			return EXIT_USAGE;
		}
	}
	if (nargs != 2) {
		error("unpack: expected SDIST and DESTDIR (see 'wbgen help unpack')");
		free(patches);
		return EXIT_USAGE;
	}
	o.patches = patches;
	o.npatches = npatches;
	catch_signals();
	if (unpack_sdist(args[0], args[1], &o, &err) < 0) {
		error("%s", err.s);
		ret = EXIT_FAILURE_USER;
	}
	if (caught) {
		signal(caught, SIG_DFL);
		raise(caught);
	}
	buf_release(&err);
	free(patches);
	return ret;
}
