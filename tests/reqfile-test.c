/* reqfile-test.c: unit tests for gen/reqfile/reqfile.c, on fixture files written to a temporary directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reqfile/reqfile.h"
#include "tap.h"

#define H256 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H256_UPPER "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"

/* One line per entry, "TEXT|FILE:LINE|r-or-c|HASHES", then the options. */
static void dump(const struct reqset *set, struct buf *out)
{
	size_t i, k;

	buf_reset(out);
	for (i = 0; i < set->nr; i++) {
		const struct reqfile_entry *e = &set->entries[i];

		buf_addf(out, "%s|%s:%zu|%c|", e->text, e->file, e->line, e->constraint ? 'c' : 'r');
		for (k = 0; k < e->hashes.n; k++)
			buf_addf(out, "%s%s", k ? "," : "", e->hashes.v[k]);
		buf_addch(out, '\n');
	}
	if (set->index_url)
		buf_addf(out, "index=%s\n", set->index_url);
	for (k = 0; k < set->extra_index_urls.n; k++)
		buf_addf(out, "extra=%s\n", set->extra_index_urls.v[k]);
	for (k = 0; k < set->trusted_hosts.n; k++)
		buf_addf(out, "host=%s\n", set->trusted_hosts.v[k]);
	for (k = 0; k < set->no_binary.n; k++)
		buf_addf(out, "no-binary=%s\n", set->no_binary.v[k]);
	if (set->pre)
		buf_adds(out, "pre\n");
	if (set->require_hashes)
		buf_adds(out, "require-hashes\n");
	if (set->prefer_binary)
		buf_adds(out, "prefer-binary\n");
}

/* The input escaped for a test name (one line); a static buffer reused by each call. */
static const char *esc(const char *s)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	for (; *s; s++) {
		if (*s == '\n')
			buf_adds(&b, "\\n");
		else if ((unsigned char)*s < 0x20 || *s == '#')
			buf_addf(&b, "\\x%02x", (unsigned char)*s);
		else
			buf_addch(&b, *s);
	}
	return b.s;
}

/* A single file, read as req.txt: the expected dump, or the expected error when it starts with '!'. */
static const struct {
	const char *in;
	int constraint;
	const char *want;
} single[] = {
	{ "", 0, "" },
	{ "\n\n   \n# only comments\n", 0, "" },
	{ "foo\nbar>=1.0\n", 0, "foo|req.txt:1|r|\nbar>=1.0|req.txt:2|r|\n" },
	{ "foo\r\nbar\rbaz\fqux\vend", 0,
	  "foo|req.txt:1|r|\nbar|req.txt:2|r|\nbaz|req.txt:3|r|\nqux|req.txt:4|r|\nend|req.txt:5|r|\n" },
	{ "\xef\xbb\xbf" "foo\n", 0, "foo|req.txt:1|r|\n" },
	{ "foo # comment\n  bar  \t# comment\n#baz\n", 0, "foo|req.txt:1|r|\nbar|req.txt:2|r|\n" },
	{ "foo#notacomment\n", 0, "!cannot parse requirement 'foo#notacomment': expected end or semicolon (after name and no valid version specifier) at column 4 (req.txt:1)" },
	{ "foo ==1.0\xc2\xa0# after a no-break space\n", 0, "foo ==1.0|req.txt:1|r|\n" },
	{ "foo \\\n  >=1.0 \\\n  ; python_version < '3.12'\nbar\n", 0,
	  "foo   >=1.0   ; python_version < '3.12'|req.txt:1|r|\nbar|req.txt:4|r|\n" },
	{ "foo \\\n# comment\nbar\n", 0, "foo|req.txt:1|r|\nbar|req.txt:3|r|\n" },
	{ "# comment \\\nfoo\n", 0, "foo|req.txt:2|r|\n" },
	{ "foo\\\\\\\n==1\n", 0, "foo==1|req.txt:1|r|\n" },
	{ "\\foo\\\n", 0, "foo|req.txt:1|r|\n" },
	{ "foo \\\n\nbar\n", 0, "foo|req.txt:1|r|\nbar|req.txt:3|r|\n" },
	{ "foo==1.0 \\\n    --hash=sha256:" H256 " \\\n    --hash sha256:" H256_UPPER "\n", 0,
	  "foo==1.0|req.txt:1|r|sha256:" H256 ",sha256:" H256 "\n" },
	{ "foo --hash=sha512:" H256 H256 " --hash=sha384:" H256 "0123456789abcdef0123456789abcdef\n", 0,
	  "foo|req.txt:1|r|sha512:" H256 H256 ",sha384:" H256 "0123456789abcdef0123456789abcdef\n" },
	{ "foo --hash=md5:abc\n", 0,
	  "!unsupported hash algorithm in --hash 'md5:abc': use sha256, sha384 or sha512 (req.txt:1)" },
	{ "foo --hash=sha256:abc\n", 0, "!malformed digest in --hash 'sha256:abc' (req.txt:1)" },
	{ "foo --hash=sha256\n", 0, "!malformed --hash 'sha256': expected ALGORITHM:HEXDIGEST (req.txt:1)" },
	{ "--hash=sha256:" H256 "\n", 0, "!--hash without a requirement 'sha256:" H256 "' (req.txt:1)" },
	{ "foo --pre\n", 0, "!option not allowed on a requirement line '--pre' (req.txt:1)" },
	{ "foo -r other.txt\n", 0, "!option not allowed on a requirement line '-r' (req.txt:1)" },
	{ "-i https://a.example/simple\n--extra-index-url https://b.example\n--extra https://c.example\n", 0,
	  "index=https://a.example/simple\nextra=https://b.example\nextra=https://c.example\n" },
	{ "--extra-index-url https://b.example\n--index-url=https://a.example\n", 0, "index=https://a.example\n" },
	{ "--extra-index-url https://b.example -i https://a.example\n", 0,
	  "index=https://a.example\nextra=https://b.example\n" },
	{ "-ihttps://a.example\n--pypi-url https://p.example\n", 0, "index=https://p.example\n" },
	{ "--pre\n--prefer-binary\n--require-hashes\n--trusted-host h.example\n--no-binary :all:\n", 0,
	  "host=h.example\nno-binary=:all:\npre\nrequire-hashes\nprefer-binary\n" },
	{ "-i 'https://a.example/with space'\n", 0, "index=https://a.example/with space\n" },
	{ "-i \"https://a.example\n", 0,
	  "!cannot split options '-i \"https://a.example': no closing quotation (req.txt:1)" },
	{ "--req x\n", 0, "!ambiguous option '--req': --requirement, --require-hashes (req.txt:1)" },
	{ "--bogus\n", 0, "!unknown option '--bogus' (req.txt:1)" },
	{ "-x\n", 0, "!unknown option '-x' (req.txt:1)" },
	{ "--pre=yes\n", 0, "!option takes no value '--pre' (req.txt:1)" },
	{ "\n-i\n", 0, "!option needs a value '-i' (req.txt:2)" },
	{ "--pre extra\n", 0, "!unexpected argument 'extra' (req.txt:1)" },
	{ "--pre -- x\n", 0, "!unexpected argument 'x' (req.txt:1)" },
	{ "-e .\n", 0, "!unsupported option '-e': editable installs cannot be built from an index (req.txt:1)" },
	{ "--find-links=x\n", 0, "!unsupported option '--find-links': wbgen only reads package indexes (req.txt:1)" },
	{ "--only-binary :all:\n", 0, "!unsupported option '--only-binary': wbgen builds every wheel from source (req.txt:1)" },
	{ "--no-index\n", 0, "!unsupported option '--no-index': wbgen resolves from a package index (req.txt:1)" },
	{ "--global-option=x\n", 0, "!unsupported option '--global-option': setup.py options are not supported (req.txt:1)" },
	{ "https://x.example/foo-1.0.tar.gz\n", 0,
	  "!unsupported requirement 'https://x.example/foo-1.0.tar.gz': a URL needs a project name ('name @ url') (req.txt:1)" },
	{ "git+https://x.example/foo\n", 0,
	  "!unsupported requirement 'git+https://x.example/foo': a URL needs a project name ('name @ url') (req.txt:1)" },
	{ "dist/foo-1.0.tar.gz\n", 0,
	  "!unsupported requirement 'dist/foo-1.0.tar.gz': local archives cannot be resolved from an index (req.txt:1)" },
	{ "./src\n", 0, "!unsupported requirement './src': local paths cannot be resolved from an index (req.txt:1)" },
	{ "foo @ https://x.example/foo-1.0.tar.gz\n", 0, "foo @ https://x.example/foo-1.0.tar.gz|req.txt:1|r|\n" },
	{ "foo;\nbar ; \n", 0, "foo;|req.txt:1|r|\nbar ;|req.txt:2|r|\n" },
	{ "foo ; os_name == 'nt' junk\n", 0,
	  "!cannot parse requirement 'foo ; os_name == 'nt' junk': expected end of dependency specifier at column 23 (req.txt:1)" },
	{ "foo;os_name=='nt' junk\n", 0,
	  "!cannot parse requirement 'foo ; os_name=='nt' junk': expected end of dependency specifier at column 21 (req.txt:1)" },
	{ "foo>=\n", 0, "!cannot parse requirement 'foo>=': expected end or semicolon (after name and no valid version specifier) at column 4 (req.txt:1)" },
	{ "foo==1.0\nbar[x]>=2\n", 1, "!invalid constraint 'bar[x]>=2': constraints cannot have extras (req.txt:2)" },
	{ "foo @ https://x.example/f.tar.gz\n", 1,
	  "!invalid constraint 'foo @ https://x.example/f.tar.gz': constraints cannot be direct references (req.txt:1)" },
	{ "foo==1.0 ; python_version < '3.9'\n", 1, "foo==1.0 ; python_version < '3.9'|req.txt:1|c|\n" },
	{ "foo\n\xff\n", 0, "!invalid UTF-8 in requirements file (req.txt:2)" },
	{ "foo\n\nbar\0\n", 10, "!NUL byte in requirements file (req.txt:3)" },
	{ "-r http://x.example/r.txt\n", 0, "!remote requirements files are not supported 'http://x.example/r.txt' (req.txt:1)" },
};

static void test_single(void)
{
	struct buf err = BUF_INIT, got = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(single); i++) {
		struct reqset set;
		/* a constraint value above 1 is the length of an input holding a NUL */
		size_t len = single[i].constraint > 1 ? (size_t)single[i].constraint : strlen(single[i].in);
		int rc;

		reqset_init(&set);
		rc = reqset_load_text(&set, single[i].in, len, "req.txt", single[i].constraint == 1, &err);
		if (single[i].want[0] == '!') {
			is_int(rc, -1, "refused: '%s'", esc(single[i].in));
			is_str(err.s, single[i].want + 1, "error for '%s'", esc(single[i].in));
		} else {
			is_int(rc, 0, "accepted: '%s'", esc(single[i].in));
			if (rc)
				diag("error: %s", err.s);
			dump(&set, &got);
			is_str(got.s, single[i].want, "result of '%s'", esc(single[i].in));
		}
		reqset_release(&set);
	}
	buf_release(&err);
	buf_release(&got);
}

static void test_env(void)
{
	static const char in[] = "${WBGEN_T_NAME}==${WBGEN_T_VER}\n${WBGEN_T_EMPTY}x\n-i ${WBGEN_T_URL}\n"
				 "${WBGEN_T_UNSET}y\n${lower}z\n${WBGEN_T_NAME} # ${WBGEN_T_NAME}\n";
	struct buf err = BUF_INIT, got = BUF_INIT;
	struct reqset set;

	setenv("WBGEN_T_NAME", "demo", 1);
	setenv("WBGEN_T_VER", "2.0", 1);
	setenv("WBGEN_T_EMPTY", "", 1);
	setenv("WBGEN_T_URL", "https://env.example/simple", 1);
	setenv("lower", "nope", 1);
	unsetenv("WBGEN_T_UNSET");
	reqset_init(&set);
	/* "${WBGEN_T_EMPTY}x" stays as written and does not parse */
	is_int(reqset_load_text(&set, in, strlen(in), "env.txt", 0, &err), -1, "unexpanded variable refused");
	is_str(err.s, "cannot parse requirement '${WBGEN_T_EMPTY}x': expected package name at the start of "
		      "dependency specifier at column 1 (env.txt:2)", "unset or empty variables stay as written");
	dump(&set, &got);
	is_str(got.s, "demo==2.0|env.txt:1|r|\n", "variables expanded before the error");
	reqset_release(&set);
	reqset_init(&set);
	{
		static const char in2[] = "${WBGEN_T_NAME}==${WBGEN_T_VER}\n-i ${WBGEN_T_URL}\n"
					  "${WBGEN_T_NAME}[x] # ${WBGEN_T_NAME}\n";

		is_int(reqset_load_text(&set, in2, strlen(in2), "env.txt", 0, &err), 0, "variables expanded");
		dump(&set, &got);
		is_str(got.s, "demo==2.0|env.txt:1|r|\ndemo[x]|env.txt:3|r|\nindex=https://env.example/simple\n",
		       "expanded entries and index");
		if (set.nr == 2) {
			is_str(set.entries[1].req.canonical_name, "demo", "entry parsed");
			is_int((long long)set.entries[1].req.nextras, 1, "extras parsed");
		}
	}
	reqset_release(&set);
	buf_release(&err);
	buf_release(&got);
}

/* Trees of files: the files to write (name, contents; NULL ends), the file to load, the result. */
static const struct {
	const char *files[8];
	const char *load;
	int constraint;
	const char *want;
} trees[] = {
	{ { "a.txt", "foo\n-r sub/b.txt\nbar\n", "sub/b.txt", "-c c.txt\nbaz[x]>=2\n", "sub/c.txt", "qux<3\n", NULL },
	  "a.txt", 0,
	  "foo|a.txt:1|r|\nqux<3|sub/c.txt:1|c|\nbaz[x]>=2|sub/b.txt:2|r|\nbar|a.txt:3|r|\n" },
	{ { "a.txt", "-c sub/c.txt\n", "sub/c.txt", "-r ../a2.txt\n", "a2.txt", "foo[x]\n", NULL },
	  "a.txt", 0, "foo[x]|sub/../a2.txt:1|r|\n" },
	{ { "a.txt", "--requirement=b.txt\n--constraint b.txt\n", "b.txt", "foo==1\n", NULL },
	  "a.txt", 0, "foo==1|b.txt:1|r|\nfoo==1|b.txt:1|c|\n" },
	{ { "a.txt", "-r a.txt\n", NULL }, "a.txt", 0,
	  "!requirements files include each other: a.txt -> a.txt (a.txt:1)" },
	{ { "a.txt", "foo\n-r sub/b.txt\n", "sub/b.txt", "\n\n-c ../a.txt\n", NULL }, "a.txt", 0,
	  "!requirements files include each other: a.txt -> sub/b.txt -> sub/../a.txt (sub/b.txt:3)" },
	{ { "a.txt", "-r missing.txt\n", NULL }, "a.txt", 0,
	  "!cannot open requirements file 'missing.txt': No such file or directory (a.txt:1)" },
	{ { NULL }, "absent.txt", 0, "!cannot open requirements file 'absent.txt': No such file or directory" },
	{ { NULL }, "/dev/zero", 0, "!cannot open requirements file '/dev/zero': not a regular file" },
	{ { NULL }, "/", 0, "!cannot open requirements file '/': a directory" },
	{ { "a.txt", "-r b.txt -r c.txt\n", "b.txt", "", "c.txt", "", NULL }, "a.txt", 0,
	  "!several -r/-c on one line '-r b.txt -r c.txt' (a.txt:1)" },
	{ { "a.txt", "--pre -r b.txt\n", "b.txt", "", NULL }, "a.txt", 0,
	  "!-r/-c must be alone on its line '--pre -r b.txt' (a.txt:1)" },
	{ { "a.txt", "-rb.txt\n-r b.txt\n", "b.txt", "foo\n", NULL }, "a.txt", 1,
	  "foo|b.txt:1|r|\nfoo|b.txt:1|r|\n" },
	{ { "a.txt", "-r b.txt\n", "b.txt", "foo @ https://x.example/f.tar.gz\n", NULL }, "a.txt", 1,
	  "foo @ https://x.example/f.tar.gz|b.txt:1|r|\n" },
	{ { "a.txt", "-c b.txt\n", "b.txt", "-e .\n", NULL }, "a.txt", 0,
	  "!unsupported option '-e': editable installs cannot be built from an index (b.txt:1)" },
};

static void write_file(const char *name, const char *text)
{
	FILE *f;
	char *dir = xstrdup(name), *slash = strrchr(dir, '/');

	if (slash) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	free(dir);
	f = fopen(name, "w");
	if (!f || fputs(text, f) == EOF || fclose(f))
		die("cannot write fixture '%s':", name);
}

static void test_trees(void)
{
	struct buf err = BUF_INIT, got = BUF_INIT;
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(trees); i++) {
		struct reqset set;
		int rc;

		for (k = 0; trees[i].files[k]; k += 2)
			write_file(trees[i].files[k], trees[i].files[k + 1]);
		reqset_init(&set);
		rc = reqset_load(&set, trees[i].load, trees[i].constraint, &err);
		if (trees[i].want[0] == '!') {
			is_int(rc, -1, "tree %zu refused", i);
			is_str(err.s, trees[i].want + 1, "tree %zu error", i);
		} else {
			is_int(rc, 0, "tree %zu accepted", i);
			if (rc)
				diag("error: %s", err.s);
			dump(&set, &got);
			is_str(got.s, trees[i].want, "tree %zu result", i);
		}
		reqset_release(&set);
		for (k = 0; trees[i].files[k]; k += 2)
			unlink(trees[i].files[k]);
		rmdir("sub");
	}
	buf_release(&err);
	buf_release(&got);
}

static void test_append(void)
{
	struct buf err = BUF_INIT;
	struct reqset set;

	reqset_init(&set);
	is_int(reqset_load_text(&set, "foo\n-i https://a\n", 17, "one.txt", 0, &err), 0, "first file");
	is_int(reqset_load_text(&set, "bar\n", 4, "two.txt", 1, &err), 0, "second file appends");
	is_int((long long)set.nr, 2, "two entries");
	if (set.nr == 2) {
		is_str(set.entries[1].file, "two.txt", "second entry's file");
		is_int(set.entries[1].constraint, 1, "second entry is a constraint");
		is_str(set.entries[0].req.name, "foo", "first entry parsed");
	}
	is_str(set.index_url, "https://a", "options kept across loads");
	reqset_release(&set);
	ok(set.nr == 0 && set.index_url == NULL, "release empties the set");
	buf_release(&err);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/wbgen-reqfile-XXXXXX", tmp && *tmp ? tmp : "/tmp");

	plan_no_plan();
	if (!mkdtemp(dir) || chdir(dir))
		die("cannot make a temporary directory '%s':", dir);
	test_single();
	test_env();
	test_trees();
	test_append();
	if (chdir("/") || rmdir(dir))
		diag("cannot remove '%s'", dir);
	free(dir);
	return done_testing();
}
