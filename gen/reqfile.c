/* reqfile.c: requirements and constraints files in pip's syntax (see reqfile.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reqfile.h"

/* The files being read, outermost first, to detect include cycles. */
struct include_stack {
	char **real; /* realpath() of each, or NULL when it has none */
	char **name; /* as opened */
	size_t nr, alloc, alloc_name;
};

/* What the options of one line ask for, applied once the whole line is parsed. */
struct line_opts {
	int is_requirement;
	size_t count;                /* options seen */
	struct strlist hashes;  /* --hash, on a requirement line */
	struct strlist includes; /* pairs: "r" or "c", path */
	char *index_url;             /* the line's last -i */
	struct strlist extra;   /* the line's --extra-index-url */
};

/* Where the line being handled comes from. */
struct ctx {
	struct reqset *set;
	struct include_stack *stack;
	const char *file;
	size_t line;
	int constraint;
	struct buf *err;
};

/* ---- text helpers */

/* Decode one UTF-8 character at p (strict); its length, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *p, const unsigned char *end, unsigned *cp)
{
	unsigned c = *p, lo = 0x80, hi = 0xbf, v;
	size_t n, k;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		v = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		v = c & 0x07;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else {
		return 0;
	}
	if ((size_t)(end - p) <= n)
		return 0;
	for (k = 1; k <= n; k++) {
		unsigned d = p[k];

		if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xbf))
			return 0;
		v = (v << 6) | (d & 0x3f);
	}
	*cp = v;
	return n + 1;
}

/* Python's str.isspace() for one code point. */
static int uni_isspace(unsigned c)
{
	return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	       c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Length of the whitespace character at p, or 0 (the text is valid UTF-8). */
static size_t space_at(const char *p, const char *end)
{
	unsigned cp;
	size_t n;

	if (p >= end)
		return 0;
	n = utf8_decode((const unsigned char *)p, (const unsigned char *)end, &cp);
	return n && uni_isspace(cp) ? n : 0;
}

/* Length of the line break at p as str.splitlines() sees it ("\r\n" is one), or 0. */
static size_t break_at(const char *p, const char *end)
{
	unsigned cp;
	size_t n;

	if (p >= end)
		return 0;
	if (*p == '\r')
		return p + 1 < end && p[1] == '\n' ? 2 : 1;
	n = utf8_decode((const unsigned char *)p, (const unsigned char *)end, &cp);
	if (!n)
		return 0;
	if (cp == '\n' || cp == 0x0b || cp == 0x0c || (cp >= 0x1c && cp <= 0x1e) || cp == 0x85 ||
	    cp == 0x2028 || cp == 0x2029)
		return n;
	return 0;
}

/* Length of the character at p (valid UTF-8). */
static size_t char_len(const char *p, const char *end)
{
	unsigned cp;
	size_t n = utf8_decode((const unsigned char *)p, (const unsigned char *)end, &cp);

	return n ? n : 1;
}

/* Remove Unicode whitespace at both ends of b (Python's str.strip()). */
static void strip_buf(struct buf *b)
{
	const char *p = b->s, *end = b->s + b->len, *last, *q;

	while (space_at(p, end))
		p += space_at(p, end);
	last = p;
	for (q = p; q < end; q += char_len(q, end)) {
		if (!space_at(q, end))
			last = q + char_len(q, end);
	}
	memmove(b->s, p, (size_t)(last - p));
	buf_setlen(b, (size_t)(last - p));
}

/* Append s for an error message, quoted, control characters as \xHH, long text cut. */
static void add_quoted(struct buf *b, const char *s)
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

/* Set the error: "MSG 'SUBJECT'[: DETAIL] (file:line)"; subject and detail may be NULL. */
static int fail(struct ctx *c, const char *msg, const char *subject, const char *detail)
{
	buf_reset(c->err);
	buf_adds(c->err, msg);
	if (subject) {
		buf_addch(c->err, ' ');
		add_quoted(c->err, subject);
	}
	if (detail)
		buf_addf(c->err, ": %s", detail);
	if (c->file)
		buf_addf(c->err, " (%s:%zu)", c->file, c->line);
	return -1;
}

/* ---- pip's line preprocessing */

/* Non-zero when the first non-blank character of line is '#' (pip's COMMENT_RE.match). */
static int is_comment_line(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (space_at(p, end))
		p += space_at(p, end);
	return p < end && *p == '#';
}

/* Remove the comment from b (pip's COMMENT_RE.sub), then strip it. */
static void remove_comment(struct buf *b)
{
	const char *p = b->s, *end = b->s + b->len, *run = NULL;

	while (p < end) {
		size_t n = space_at(p, end);

		if (n) {
			if (!run)
				run = p;
			p += n;
			continue;
		}
		if (*p == '#' && (p == b->s || run)) {
			buf_setlen(b, (size_t)((run ? run : p) - b->s));
			break;
		}
		run = NULL;
		p += char_len(p, end);
	}
	strip_buf(b);
}

/* Replace every "${NAME}" in b the way pip does: each match found in the original line, in
 * order, replaces all its occurrences in the current line when the variable is set and not empty. */
static void expand_env(struct buf *b)
{
	struct buf orig = BUF_INIT, out = BUF_INIT;
	const char *p;

	buf_add(&orig, b->s, b->len);
	for (p = strstr(orig.s, "${"); p; p = strstr(p, "${")) {
		const char *q = p + 2, *val;
		char *var, *name;
		size_t vlen;

		while ((*q >= 'A' && *q <= 'Z') || ascii_isdigit(*q) || *q == '_')
			q++;
		if (q == p + 2 || *q != '}') {
			p += 2;
			continue;
		}
		var = xstrndup(p, (size_t)(q + 1 - p));
		name = xstrndup(p + 2, (size_t)(q - p - 2));
		val = getenv(name);
		if (val && *val) {
			const char *s = b->s, *hit;

			vlen = strlen(var);
			buf_reset(&out);
			for (hit = strstr(s, var); hit; hit = strstr(s, var)) {
				buf_add(&out, s, (size_t)(hit - s));
				buf_adds(&out, val);
				s = hit + vlen;
			}
			buf_adds(&out, s);
			buf_reset(b);
			buf_add(b, out.s, out.len);
		}
		free(var);
		free(name);
		p = q + 1;
	}
	buf_release(&orig);
	buf_release(&out);
}

/* ---- options: pip's build_parser() table, optparse semantics */

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
		fail(c, "ambiguous option", name, all.s);
	else
		fail(c, "unknown option", name, NULL);
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
		return fail(c, "malformed --hash", value, "expected ALGORITHM:HEXDIGEST");
	for (i = 0; i < ARRAY_SIZE(algos); i++) {
		if (strlen(algos[i].algo) == (size_t)(colon - value) &&
		    !memcmp(algos[i].algo, value, (size_t)(colon - value)))
			break;
	}
	if (i == ARRAY_SIZE(algos))
		return fail(c, "unsupported hash algorithm in --hash", value, "use sha256, sha384 or sha512");
	if (!hex_digest_ok(colon + 1, algos[i].hexlen))
		return fail(c, "malformed digest in --hash", value, NULL);
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
		return fail(c, "unsupported option", as_written, o->refused);
	if (lo->is_requirement && o->id != OPT_HASH)
		return fail(c, "option not allowed on a requirement line", as_written, NULL);
	switch (o->id) {
	case OPT_HASH:
		if (!lo->is_requirement)
			return fail(c, "--hash without a requirement", value, NULL);
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
static int parse_options(struct ctx *c, const char *opts, struct line_opts *lo)
{
	struct strlist args = STRLIST_INIT;
	const char *why;
	size_t i;
	int rc = -1;

	if (shlex_split(opts, &args, &why)) {
		fail(c, "cannot split options", opts, why);
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
				fail(c, "unexpected argument", args.v[i + 1], NULL);
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
				fail(c, "option takes no value", name, NULL);
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
				fail(c, "unknown option", name, NULL);
				free(name);
				goto out;
			}
			if (arg[2])
				value = arg + 2;
		} else {
			fail(c, "unexpected argument", arg, NULL);
			goto out;
		}
		if (o->takes_value && !value) {
			if (i + 1 >= args.n) {
				fail(c, "option needs a value", name, NULL);
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

/* ---- requirement lines */

static const char *const url_schemes[] = {
	"http", "https", "file", "ftp",
	"bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file",
	"git+http", "git+https", "git+ssh", "git+git", "git+file",
	"hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
	"svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
};

static const char *const archive_exts[] = {
	".zip", ".whl", ".tar.bz2", ".tbz", ".tar.gz", ".tgz", ".tar", ".tar.xz", ".txz",
	".tlz", ".tar.lz", ".tar.lzma",
};

/* pip's is_url(): the text before the first ':' is a scheme pip downloads from. */
static int is_url(const char *s)
{
	const char *colon = strchr(s, ':');
	size_t i;

	if (!colon)
		return 0;
	for (i = 0; i < ARRAY_SIZE(url_schemes); i++) {
		if (strlen(url_schemes[i]) == (size_t)(colon - s) &&
		    !ascii_strncasecmp(url_schemes[i], s, (size_t)(colon - s)))
			return 1;
	}
	return 0;
}

/* pip's _looks_like_path(). */
static int looks_like_path(const char *s)
{
	return strchr(s, '/') != NULL || s[0] == '.';
}

/* Non-zero when pip would take the requirement text as a local archive file name. */
static int is_archive_name(const char *text)
{
	char *name = xstrndup(text, strcspn(text, ";"));
	size_t len, i;
	int ret = 0;
	const char *at;

	len = strlen(name);
	while (len && ascii_isspace(name[len - 1]))
		name[--len] = '\0';
	if (len && name[len - 1] == ']') {
		/* pip's _strip_extras(): "^(.+)(\[[^\]]+\])$" */
		char *open = strrchr(name, '[');

		if (open && open > name && open + 1 < name + len - 1 && strchr(open + 1, ']') == name + len - 1)
			*open = '\0';
	}
	for (i = 0; i < ARRAY_SIZE(archive_exts); i++) {
		size_t n = strlen(archive_exts[i]), l = strlen(name);

		if (l >= n && !ascii_strcasecmp(name + l - n, archive_exts[i]))
			ret = 1;
	}
	at = strchr(name, '@');
	if (ret && at) {
		char *before = xstrndup(name, (size_t)(at - name));

		if (!looks_like_path(before))
			ret = 0;
		free(before);
	}
	free(name);
	return ret;
}

/* Parse text as pip does: the marker split off at the first ';' (dropped when empty), then
 * "name_part ; marker" given to the PEP 508 parser. */
static int parse_requirement(struct ctx *c, const char *text, struct requirement *req)
{
	struct buf s = BUF_INIT, err = BUF_INIT;
	const char *semi = strchr(text, ';'), *detail;
	char *prefix;
	int rc = 0;

	if (semi) {
		struct buf marker = BUF_INIT;

		buf_adds(&marker, semi + 1);
		strip_buf(&marker);
		buf_add(&s, text, (size_t)(semi - text));
		strip_buf(&s);
		if (marker.len)
			buf_addf(&s, " ; %s", marker.s);
		buf_release(&marker);
	} else {
		buf_adds(&s, text);
	}
	if (requirement_parse(s.s, req, &err)) {
		prefix = xasprintf("invalid requirement '%s': ", s.s);
		detail = starts_with(err.s, prefix) ? err.s + strlen(prefix) : err.s;
		if (looks_like_path(s.s))
			rc = fail(c, "unsupported requirement", text, "local paths cannot be resolved from an index");
		else
			rc = fail(c, "cannot parse requirement", s.s, detail); /* the columns are of s */
		free(prefix);
	}
	buf_release(&s);
	buf_release(&err);
	return rc;
}

static int add_requirement(struct ctx *c, const char *text, struct strlist *hashes)
{
	struct reqfile_entry *e;
	struct requirement req;

	if (is_url(text))
		return fail(c, "unsupported requirement", text, "a URL needs a project name ('name @ url')");
	if (is_archive_name(text))
		return fail(c, "unsupported requirement", text, "local archives cannot be resolved from an index");
	if (parse_requirement(c, text, &req)) {
		requirement_release(&req);
		return -1;
	}
	if (c->constraint && (req.nextras || req.url)) {
		fail(c, "invalid constraint", text, req.nextras ? "constraints cannot have extras" :
		     "constraints cannot be direct references");
		requirement_release(&req);
		return -1;
	}
	GROW(c->set->entries, c->set->alloc, c->set->nr + 1);
	e = &c->set->entries[c->set->nr++];
	e->text = xstrdup(text);
	e->req = req;
	e->file = xstrdup(c->file);
	e->line = c->line;
	e->hashes = *hashes;
	hashes->v = NULL;
	hashes->n = hashes->alloc = 0;
	e->constraint = c->constraint;
	return 0;
}

/* ---- files */

static int load_file(struct reqset *set, struct include_stack *stack, const char *path,
		     int constraint, struct ctx *from, struct buf *err);
static int load_text(struct reqset *set, struct include_stack *stack, const char *text, size_t len,
		     const char *name, int constraint, struct buf *err);

/* pip's os.path.join(os.path.dirname(file), path). */
static char *join_relative(const char *file, const char *path)
{
	const char *slash = strrchr(file, '/');
	size_t dlen, k;

	if (path[0] == '/' || !slash)
		return xstrdup(path);
	dlen = (size_t)(slash - file) + 1;
	for (k = 0; k < dlen && file[k] == '/'; k++)
		;
	if (k < dlen) {
		while (file[dlen - 1] == '/')
			dlen--;
		return xasprintf("%.*s/%s", (int)dlen, file, path);
	}
	return xasprintf("%.*s%s", (int)dlen, file, path);
}

static int has_scheme(const char *s)
{
	return !ascii_strncasecmp(s, "http:", 5) || !ascii_strncasecmp(s, "https:", 6) ||
	       !ascii_strncasecmp(s, "file:", 5);
}

static int include(struct ctx *c, const char *kind, const char *path)
{
	char *joined;
	int rc;

	if (has_scheme(path))
		return fail(c, "remote requirements files are not supported", path, NULL);
	joined = join_relative(c->file, path);
	rc = load_file(c->set, c->stack, joined, kind[0] == 'c', c, c->err);
	free(joined);
	return rc;
}

/* Apply the index options of an option line as pip does: -i first, dropping the extra
 * index URLs gathered so far, then the line's --extra-index-url in order. */
static void commit_index_options(struct reqset *set, struct line_opts *lo)
{
	size_t i;

	if (lo->index_url) {
		free(set->index_url);
		set->index_url = lo->index_url;
		lo->index_url = NULL;
		strlist_release(&set->extra_index_urls);
	}
	for (i = 0; i < lo->extra.n; i++)
		strlist_add(&set->extra_index_urls, lo->extra.v[i]);
}

/* One logical line, comments removed and variables expanded. */
static int handle_line(struct ctx *c, const char *line)
{
	struct line_opts lo;
	const char *opts = NULL, *p;
	char *args = NULL;
	int rc = -1;

	memset(&lo, 0, sizeof(lo));
	/* pip's break_args_options(): the first space-separated token starting with '-' */
	for (p = line; *p; p++) {
		if (*p == '-' && (p == line || p[-1] == ' ')) {
			opts = p;
			break;
		}
	}
	if (opts && opts > line)
		args = xstrndup(line, (size_t)(opts - line - 1));
	else if (!opts)
		args = xstrdup(line);
	lo.is_requirement = args != NULL;
	if (parse_options(c, opts ? opts : "", &lo))
		goto out;
	if (args) {
		struct buf t = BUF_INIT;

		buf_adds(&t, args);
		strip_buf(&t);
		rc = add_requirement(c, t.s, &lo.hashes);
		buf_release(&t);
		goto out;
	}
	if (lo.includes.n > 2) {
		fail(c, "several -r/-c on one line", line, NULL);
		goto out;
	}
	if (lo.includes.n && lo.count > 1) {
		fail(c, "-r/-c must be alone on its line", line, NULL);
		goto out;
	}
	if (lo.includes.n) {
		rc = include(c, lo.includes.v[0], lo.includes.v[1]);
		goto out;
	}
	commit_index_options(c->set, &lo);
	rc = 0;
out:
	free(args);
	free(lo.index_url);
	strlist_release(&lo.hashes);
	strlist_release(&lo.includes);
	strlist_release(&lo.extra);
	return rc;
}

/* Refuse invalid UTF-8 and NUL bytes, naming the line. */
static int check_text(struct ctx *c, const char *p, const char *end)
{
	for (c->line = 1; p < end;) {
		unsigned cp;
		size_t n = utf8_decode((const unsigned char *)p, (const unsigned char *)end, &cp);

		if (!n)
			return fail(c, "invalid UTF-8 in requirements file", NULL, NULL);
		if (!cp)
			return fail(c, "NUL byte in requirements file", NULL, NULL);
		n = break_at(p, end);
		if (n) {
			c->line++;
			p += n;
		} else {
			p += char_len(p, end);
		}
	}
	return 0;
}

static int load_text(struct reqset *set, struct include_stack *stack, const char *text, size_t len,
		     const char *name, int constraint, struct buf *err)
{
	const char *p = text, *end = text + len;
	struct buf joined = BUF_INIT;
	struct ctx c = { set, stack, name, 0, constraint, err };
	size_t lineno = 0, first = 0;
	int in_cont = 0, rc = 0;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	if (check_text(&c, p, end))
		return -1;
	while (p < end || in_cont) {
		const char *s = p, *e;
		size_t n = 0;
		int last = p >= end;

		if (!last) {
			while (p < end && !break_at(p, end))
				p += char_len(p, end);
			n = break_at(p, end);
			e = p;
			p += n;
			lineno++;
		} else {
			e = s;
		}
		if (!last && (size_t)(e - s) && e[-1] == '\\' && !is_comment_line(s, (size_t)(e - s))) {
			/* pip's line.strip("\\") */
			while (s < e && *s == '\\')
				s++;
			while (e > s && e[-1] == '\\')
				e--;
			if (!in_cont)
				first = lineno;
			in_cont = 1;
			buf_add(&joined, s, (size_t)(e - s));
			continue;
		}
		if (last) {
			in_cont = 0;
		} else {
			if (!in_cont)
				first = lineno;
			if (is_comment_line(s, (size_t)(e - s)))
				buf_addch(&joined, ' ');
			buf_add(&joined, s, (size_t)(e - s));
			in_cont = 0;
		}
		c.line = first;
		remove_comment(&joined);
		expand_env(&joined);
		if (joined.len && handle_line(&c, joined.s)) {
			rc = -1;
			break;
		}
		buf_reset(&joined);
	}
	buf_release(&joined);
	return rc;
}

static void stack_push(struct include_stack *st, const char *name, char *real)
{
	GROW(st->real, st->alloc, st->nr + 1);
	GROW(st->name, st->alloc_name, st->nr + 1);
	st->real[st->nr] = real;
	st->name[st->nr] = xstrdup(name);
	st->nr++;
}

static void stack_pop(struct include_stack *st)
{
	st->nr--;
	free(st->real[st->nr]);
	free(st->name[st->nr]);
}

static void stack_release(struct include_stack *st)
{
	while (st->nr)
		stack_pop(st);
	free(st->real);
	free(st->name);
}

static int load_file(struct reqset *set, struct include_stack *stack, const char *path,
		     int constraint, struct ctx *from, struct buf *err)
{
	struct buf text = BUF_INIT;
	char *real;
	size_t i;
	int rc;

	real = realpath(path, NULL);
	if (!real || buf_read_file(&text, path)) {
		const char *why = strerror(errno);

		free(real);
		buf_release(&text);
		if (from)
			return fail(from, "cannot open requirements file", path, why);
		buf_reset(err);
		buf_adds(err, "cannot open requirements file ");
		add_quoted(err, path);
		buf_addf(err, ": %s", why);
		return -1;
	}
	for (i = 0; i < stack->nr; i++) {
		if (stack->real[i] && !strcmp(stack->real[i], real)) {
			struct buf cycle = BUF_INIT;
			size_t k;

			for (k = i; k < stack->nr; k++)
				buf_addf(&cycle, "%s -> ", stack->name[k]);
			buf_adds(&cycle, path);
			fail(from, "requirements files include each other", NULL, cycle.s);
			buf_release(&cycle);
			free(real);
			buf_release(&text);
			return -1;
		}
	}
	stack_push(stack, path, real);
	rc = load_text(set, stack, text.s, text.len, path, constraint, err);
	stack_pop(stack);
	buf_release(&text);
	return rc;
}

void reqset_init(struct reqset *set)
{
	memset(set, 0, sizeof(*set));
}

void reqset_release(struct reqset *set)
{
	size_t i;

	for (i = 0; i < set->nr; i++) {
		free(set->entries[i].text);
		requirement_release(&set->entries[i].req);
		free(set->entries[i].file);
		strlist_release(&set->entries[i].hashes);
	}
	free(set->entries);
	free(set->index_url);
	strlist_release(&set->extra_index_urls);
	strlist_release(&set->trusted_hosts);
	strlist_release(&set->no_binary);
	reqset_init(set);
}

int reqset_load(struct reqset *set, const char *path, int as_constraints, struct buf *err)
{
	struct include_stack stack = { NULL, NULL, 0, 0, 0 };
	int rc;

	buf_reset(err);
	if (has_scheme(path)) {
		buf_adds(err, "remote requirements files are not supported ");
		add_quoted(err, path);
		return -1;
	}
	rc = load_file(set, &stack, path, as_constraints, NULL, err);
	stack_release(&stack);
	return rc;
}

int reqset_load_text(struct reqset *set, const char *text, size_t len, const char *name,
		     int as_constraints, struct buf *err)
{
	struct include_stack stack = { NULL, NULL, 0, 0, 0 };
	int rc;

	buf_reset(err);
	stack_push(&stack, name, realpath(name, NULL));
	rc = load_text(set, &stack, text, len, name, as_constraints, err);
	stack_release(&stack);
	return rc;
}
