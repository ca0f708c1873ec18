/* reqfile.c: requirements and constraints files in pip's syntax (see reqfile.h): lines, includes and
 * entries; the options of a line are parsed in reqfile_opts.c. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "reqfile/reqfile.h"
#include "reqfile/reqfile_int.h"
#include "utf8.h"

/* The files being read, outermost first, to detect include cycles. */
struct include_stack {
	char **real; /* realpath() of each, or NULL when it has none */
	char **name; /* as opened */
	size_t nr, alloc, alloc_name;
};

/* ---- text helpers */

/* Python's str.isspace() for one code point. */
static int uni_isspace(unsigned long c)
{
	return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	       c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Length of the whitespace character at p, or 0 (the text is valid UTF-8). */
static size_t space_at(const char *p, const char *end)
{
	unsigned long cp;
	size_t n;

	if (p >= end)
		return 0;
	n = utf8_decode((const unsigned char *)p, (size_t)(end - p), &cp);
	return n && uni_isspace(cp) ? n : 0;
}

/* Length of the line break at p as str.splitlines() sees it ("\r\n" is one), or 0. */
static size_t break_at(const char *p, const char *end)
{
	unsigned long cp;
	size_t n;

	if (p >= end)
		return 0;
	if (*p == '\r')
		return p + 1 < end && p[1] == '\n' ? 2 : 1;
	n = utf8_decode((const unsigned char *)p, (size_t)(end - p), &cp);
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
	unsigned long cp;
	size_t n = utf8_decode((const unsigned char *)p, (size_t)(end - p), &cp);

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
			rc = reqfile_fail(c, "unsupported requirement", text,
					  "local paths cannot be resolved from an index");
		else
			rc = reqfile_fail(c, "cannot parse requirement", s.s, detail); /* the columns are of s */
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
		return reqfile_fail(c, "unsupported requirement", text, "a URL needs a project name ('name @ url')");
	if (is_archive_name(text))
		return reqfile_fail(c, "unsupported requirement", text,
				    "local archives cannot be resolved from an index");
	if (parse_requirement(c, text, &req)) {
		requirement_release(&req);
		return -1;
	}
	if (c->constraint && (req.nextras || req.url)) {
		reqfile_fail(c, "invalid constraint", text, req.nextras ? "constraints cannot have extras" :
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
		return reqfile_fail(c, "remote requirements files are not supported", path, NULL);
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
	if (reqfile_parse_options(c, opts ? opts : "", &lo))
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
		reqfile_fail(c, "several -r/-c on one line", line, NULL);
		goto out;
	}
	if (lo.includes.n && lo.count > 1) {
		reqfile_fail(c, "-r/-c must be alone on its line", line, NULL);
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
		unsigned long cp;
		size_t n = utf8_decode((const unsigned char *)p, (size_t)(end - p), &cp);

		if (!n)
			return reqfile_fail(c, "invalid UTF-8 in requirements file", NULL, NULL);
		if (!cp)
			return reqfile_fail(c, "NUL byte in requirements file", NULL, NULL);
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
	const char *special = NULL;
	struct stat st;
	char *real;
	size_t i;
	int rc;

	real = realpath(path, NULL);
	/* a device (/dev/zero) or a directory is no requirements file; a pipe (/dev/stdin) is */
	if (real && stat(real, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		free(real);
		real = NULL;
		special = S_ISDIR(st.st_mode) ? "a directory" : "not a regular file";
	}
	if (!real || buf_read_file(&text, path)) {
		const char *why = special ? special : strerror(errno);

		free(real);
		buf_release(&text);
		if (from)
			return reqfile_fail(from, "cannot open requirements file", path, why);
		buf_reset(err);
		buf_adds(err, "cannot open requirements file ");
		reqfile_add_quoted(err, path);
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
			reqfile_fail(from, "requirements files include each other", NULL, cycle.s);
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
		reqfile_add_quoted(err, path);
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
