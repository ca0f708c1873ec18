/* reqfile_opts.c: the errors and the options of a requirements file line (see reqfile_int.h): pip's
 * build_parser() table, split like shlex.split() and parsed with optparse semantics. */
#include <stdlib.h>
#include <string.h>

#include "reqfile/reqfile_int.h"

/* ---- errors */

void reqfile_add_quoted(struct buf *b, const char *s)
{
	size_t i;

	buf_addch(b, '\'');
	for (i = 0; s[i] && i < 200; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\x%02x", c);
		else
			buf_addch(b, c);
	}
	if (s[i])
		buf_adds(b, "...");
	buf_addch(b, '\'');
}

int reqfile_fail(struct ctx *c, const char *msg, const char *subject, const char *detail)
{
	buf_reset(c->err);
	buf_adds(c->err, msg);
	if (subject) {
		buf_addch(c->err, ' ');
		reqfile_add_quoted(c->err, subject);
	}
	if (detail)
		buf_addf(c->err, ": %s", detail);
	if (c->file)
		buf_addf(c->err, " (%s:%zu)", c->file, c->line);
	return -1;
}

/* ---- options */

enum opt_id {
	OPT_INDEX_URL, OPT_EXTRA_INDEX_URL, OPT_NO_INDEX, OPT_CONSTRAINT, OPT_REQUIREMENT,
	OPT_EDITABLE, OPT_FIND_LINKS, OPT_NO_BINARY, OPT_ONLY_BINARY, OPT_PREFER_BINARY,
	OPT_REQUIRE_HASHES, OPT_PRE, OPT_TRUSTED_HOST, OPT_USE_FEATURE, OPT_INSTALL_OPTION,
	OPT_GLOBAL_OPTION, OPT_HASH,
};

static const struct option_def {
	const char *name; /* long name, with the dashes */
	char short_name;
	int takes_value;
	enum opt_id id;
	const char *refused; /* why wbgen refuses it, or NULL */
} options[] = {
	{ "--index-url", 'i', 1, OPT_INDEX_URL, NULL },
	{ "--pypi-url", 0, 1, OPT_INDEX_URL, NULL },
	{ "--extra-index-url", 0, 1, OPT_EXTRA_INDEX_URL, NULL },
	{ "--no-index", 0, 0, OPT_NO_INDEX, "wbgen resolves from a package index" },
	{ "--constraint", 'c', 1, OPT_CONSTRAINT, NULL },
	{ "--requirement", 'r', 1, OPT_REQUIREMENT, NULL },
	{ "--editable", 'e', 1, OPT_EDITABLE, "editable installs cannot be built from an index" },
	{ "--find-links", 'f', 1, OPT_FIND_LINKS, "wbgen only reads package indexes" },
	{ "--no-binary", 0, 1, OPT_NO_BINARY, NULL },
	{ "--only-binary", 0, 1, OPT_ONLY_BINARY, "wbgen builds every wheel from source" },
	{ "--prefer-binary", 0, 0, OPT_PREFER_BINARY, NULL },
	{ "--require-hashes", 0, 0, OPT_REQUIRE_HASHES, NULL },
	{ "--pre", 0, 0, OPT_PRE, NULL },
	{ "--trusted-host", 0, 1, OPT_TRUSTED_HOST, NULL },
	{ "--use-feature", 0, 1, OPT_USE_FEATURE, "pip features do not apply to wbgen" },
	{ "--install-option", 0, 1, OPT_INSTALL_OPTION, "setup.py options are not supported" },
	{ "--global-option", 0, 1, OPT_GLOBAL_OPTION, "setup.py options are not supported" },
	{ "--hash", 0, 1, OPT_HASH, NULL },
};

/* Split s the way shlex.split(s) does (POSIX mode, no comments). Returns 0, or -1 with *why set. */
static int shlex_split(const char *s, struct strlist *out, const char **why)
{
	struct buf tok = BUF_INIT;
	int in_token = 0;
	char quote = 0;

	for (;;) {
		char ch = *s;

		if (!ch) {
			if (quote) {
				*why = "no closing quotation";
				buf_release(&tok);
				return -1;
			}
			break;
		}
		s++;
		if (quote) {
			if (ch == quote) {
				quote = 0;
			} else if (quote == '"' && ch == '\\') {
				if (!*s) {
					*why = "no escaped character";
					buf_release(&tok);
					return -1;
				}
				if (*s != '"' && *s != '\\')
					buf_addch(&tok, '\\');
				buf_addch(&tok, *s++);
			} else {
				buf_addch(&tok, ch);
			}
		} else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			if (in_token) {
				strlist_add(out, tok.s);
				buf_reset(&tok);
				in_token = 0;
			}
		} else if (ch == '\\') {
			if (!*s) {
				*why = "no escaped character";
				buf_release(&tok);
				return -1;
			}
			buf_addch(&tok, *s++);
			in_token = 1;
		} else if (ch == '\'' || ch == '"') {
			quote = ch;
			in_token = 1;
		} else {
			buf_addch(&tok, ch);
			in_token = 1;
		}
	}
	if (in_token)
		strlist_add(out, tok.s);
	buf_release(&tok);
	return 0;
}

/* Find the long option 'name' (with dashes), exact or a unique prefix as optparse allows. */
static const struct option_def *match_long(struct ctx *c, const char *name)
{
	const struct option_def *found = NULL;
	struct buf all = BUF_INIT;
	size_t i, n = 0, len = strlen(name);

	for (i = 0; i < ARRAY_SIZE(options); i++) {
		if (!strcmp(options[i].name, name))
			return &options[i];
	}
	for (i = 0; i < ARRAY_SIZE(options); i++) {
		if (!strncmp(options[i].name, name, len)) {
			found = &options[i];
			buf_addf(&all, "%s%s", n++ ? ", " : "", options[i].name);
		}
	}
	if (n == 1) {
		buf_release(&all);
		return found;
	}
	if (n)
		reqfile_fail(c, "ambiguous option", name, all.s);
	else
		reqfile_fail(c, "unknown option", name, NULL);
	buf_release(&all);
	return NULL;
}

static int hex_digest_ok(const char *s, size_t want)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (!ascii_isdigit(s[i]) && !(ascii_tolower(s[i]) >= 'a' && ascii_tolower(s[i]) <= 'f'))
			return 0;
	}
	return i == want;
}

/* Check --hash's ALGO:DIGEST and store it, lowercased, in *hashes. */
static int add_hash(struct ctx *c, const char *value, struct strlist *hashes)
{
	static const struct {
		const char *algo;
		size_t hexlen;
	} algos[] = { { "sha256", 64 }, { "sha384", 96 }, { "sha512", 128 } };
	const char *colon = strchr(value, ':');
	size_t i;

	if (!colon)
		return reqfile_fail(c, "malformed --hash", value, "expected ALGORITHM:HEXDIGEST");
	for (i = 0; i < ARRAY_SIZE(algos); i++) {
		if (strlen(algos[i].algo) == (size_t)(colon - value) &&
		    !memcmp(algos[i].algo, value, (size_t)(colon - value)))
			break;
	}
	if (i == ARRAY_SIZE(algos))
		return reqfile_fail(c, "unsupported hash algorithm in --hash", value, "use sha256, sha384 or sha512");
	if (!hex_digest_ok(colon + 1, algos[i].hexlen))
		return reqfile_fail(c, "malformed digest in --hash", value, NULL);
	{
		char *h = xstrdup(value), *p;

		for (p = h; *p; p++)
			*p = (char)ascii_tolower(*p);
		strlist_add(hashes, h);
		free(h);
	}
	return 0;
}

/* One option with its value (NULL when it takes none). */
static int apply_option(struct ctx *c, const struct option_def *o, const char *as_written,
			const char *value, struct line_opts *lo)
{
	struct reqset *set = c->set;

	lo->count++;
	if (o->refused)
		return reqfile_fail(c, "unsupported option", as_written, o->refused);
	if (lo->is_requirement && o->id != OPT_HASH)
		return reqfile_fail(c, "option not allowed on a requirement line", as_written, NULL);
	switch (o->id) {
	case OPT_HASH:
		if (!lo->is_requirement)
			return reqfile_fail(c, "--hash without a requirement", value, NULL);
		return add_hash(c, value, &lo->hashes);
	case OPT_INDEX_URL:
		free(lo->index_url);
		lo->index_url = xstrdup(value);
		return 0;
	case OPT_EXTRA_INDEX_URL:
		strlist_add(&lo->extra, value);
		return 0;
	case OPT_TRUSTED_HOST:
		strlist_add(&set->trusted_hosts, value);
		return 0;
	case OPT_NO_BINARY:
		strlist_add(&set->no_binary, value);
		return 0;
	case OPT_PRE:
		set->pre = 1;
		return 0;
	case OPT_REQUIRE_HASHES:
		set->require_hashes = 1;
		return 0;
	case OPT_PREFER_BINARY:
		set->prefer_binary = 1;
		return 0;
	case OPT_REQUIREMENT:
	case OPT_CONSTRAINT:
		strlist_add(&lo->includes, o->id == OPT_CONSTRAINT ? "c" : "r");
		strlist_add(&lo->includes, value);
		return 0;
	default:
		BUG("option %s not handled", o->name);
	}
}

/* Parse the options of one line like optparse into *lo. */
int reqfile_parse_options(struct ctx *c, const char *opts, struct line_opts *lo)
{
	struct strlist args = STRLIST_INIT;
	const char *why;
	size_t i;
	int rc = -1;

	if (shlex_split(opts, &args, &why)) {
		reqfile_fail(c, "cannot split options", opts, why);
		goto out;
	}
	for (i = 0; i < args.n; i++) {
		const char *arg = args.v[i];
		const struct option_def *o = NULL;
		const char *value = NULL;
		char *name = NULL;
		int r;

		if (!strcmp(arg, "--")) {
			if (i + 1 < args.n) {
				reqfile_fail(c, "unexpected argument", args.v[i + 1], NULL);
				goto out;
			}
			break;
		}
		if (starts_with(arg, "--")) {
			const char *eq = strchr(arg, '=');

			name = eq ? xstrndup(arg, (size_t)(eq - arg)) : xstrdup(arg);
			o = match_long(c, name);
			if (!o) {
				free(name);
				goto out;
			}
			if (eq && !o->takes_value) {
				reqfile_fail(c, "option takes no value", name, NULL);
				free(name);
				goto out;
			}
			if (eq)
				value = eq + 1;
		} else if (arg[0] == '-' && arg[1]) {
			size_t k;

			name = xstrndup(arg, 2);
			for (k = 0; k < ARRAY_SIZE(options); k++) {
				if (options[k].short_name == arg[1])
					o = &options[k];
			}
			if (!o) {
				reqfile_fail(c, "unknown option", name, NULL);
				free(name);
				goto out;
			}
			if (arg[2])
				value = arg + 2;
		} else {
			reqfile_fail(c, "unexpected argument", arg, NULL);
			goto out;
		}
		if (o->takes_value && !value) {
			if (i + 1 >= args.n) {
				reqfile_fail(c, "option needs a value", name, NULL);
				free(name);
				goto out;
			}
			value = args.v[++i];
		}
		r = apply_option(c, o, name, value, lo);
		free(name);
		if (r)
			goto out;
	}
	rc = 0;
out:
	strlist_release(&args);
	return rc;
}
