/* build_wheel.c: `wbgen build-wheel`: build_wheel into a private directory, one wheel moved into WHEELDIR. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cmds.h"
#include "fsutil.h"
#include "hook.h"
#include "hook_args.h"
#include "marker.h"
#include "metadata.h"
#include "mirror.h"
#include "specifier.h"
#include "names.h"
#include "parse_options.h"
#include "requirement.h"
#include "strlist.h"
#include "util.h"
#include "version.h"
#include "wheel/wheel.h"

static const char usage[] =
	"usage: wbgen build-wheel --env DIR --src SRCDIR [--backend B] [--backend-path P]...\n"
	"                         [--config-setting K=V]... [--log FILE] [--expect NAME==VERSION]\n"
	"                         [--expect-requires FILE] [--metadata-dir DIR]\n"
	"                         [--check-requires FILE [--requires-out FILE]]\n"
	"                         [--build-tag N] [--dist-info-file NAME=FILE]...\n"
	"                         --out WHEELDIR\n"
	"\n"
	"Run the build_wheel hook into a private empty directory inside WHEELDIR, check that exactly\n"
	"one wheel came out, that its filename parses and agrees with its METADATA (and with\n"
	"--expect), then move it into WHEELDIR atomically and print its filename on stdout.\n"
	"When WHEELDIR already holds a file of that name: identical bytes keep the old file (and its\n"
	"mtime, so make sees nothing new); different bytes replace it atomically, with a note on stderr.\n"
	"The private directory is WHEELDIR/.wbgen-build.PID.*, locked (flock) while in use; one left by a\n"
	"killed run is removed by the next build-wheel into WHEELDIR.\n"
	"\n";

/* The options of build-wheel besides the hook's. */
struct build_args {
	const char *out, *expect, *expect_requires, *requires_out, *build_tag;
	struct opt_list dist_files;
};

static int check_build_tag(const struct option *opt, const char *arg)
{
	if (!*arg || arg[strspn(arg, "0123456789")])
		return error("build-wheel: --build-tag '%s' is not a number", arg);
	return 0;
}

static int check_dist_info_file(const struct option *opt, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || memchr(arg, '/', (size_t)(eq - arg)) || !eq[1])
		return error("build-wheel: --dist-info-file '%s' is not NAME=FILE", arg);
	return 0;
}

/* One install requirement of the plan: the keys (see req_key) a Requires-Dist line may have for it. */
struct expected_req {
	char *text;  /* the "req" string */
	char *extra; /* the "extra" string, or NULL */
	struct strlist keys;
};

/* The plan's install requirements (--expect-requires); checked is 0 when the file says null. */
struct expected_reqs {
	int checked;
	struct expected_req *v;
	size_t n, alloc;
};

/* Canonicalise the value of an 'extra == "X"' comparison that begins the formatted marker m
 * (followed by its end or " and ") or ends it (after " and "), as PEP 685 compares extras. */
static void normalize_extra_text(struct buf *m)
{
	static const char head[] = "extra == \"", tail[] = " and extra == \"";
	struct buf out = BUF_INIT;
	const char *s = m->s, *q, *v = NULL, *vend = NULL;

	if (starts_with(s, head)) {
		q = strchr(s + strlen(head), '"');
		if (q && (!q[1] || starts_with(q + 1, " and "))) {
			v = s + strlen(head);
			vend = q;
		}
	}
	if (!v && m->len && s[m->len - 1] == '"') {
		for (q = s + m->len - 1; q > s && q[-1] != '"'; q--)
			;
		if ((size_t)(q - s) >= strlen(tail) && strncmp(q - strlen(tail), tail, strlen(tail)) == 0) {
			v = q;
			vend = s + m->len - 1;
		}
	}
	if (!v)
		return;
	buf_add(&out, s, (size_t)(v - s));
	name_canonicalize_to(&out, v, (size_t)(vend - v));
	buf_adds(&out, vend);
	buf_setlen(m, 0);
	buf_add(m, out.s, out.len);
	buf_release(&out);
}

/* Append r's comparison key without its marker: canonical name, sorted canonical extras, the
 * specifier set, the URL, then " ;" (the caller appends the marker text). */
static void req_key_head(const struct requirement *r, struct buf *out)
{
	struct strlist ex = STRLIST_INIT;
	size_t i;

	buf_adds(out, r->canonical_name);
	for (i = 0; i < r->nextras; i++) {
		char *c = name_canonicalize(r->extras[i]);

		if (strlist_find(&ex, c) < 0)
			strlist_add_owned(&ex, c);
		else
			free(c);
	}
	strlist_sort(&ex);
	buf_addch(out, '[');
	for (i = 0; i < ex.n; i++)
		buf_addf(out, "%s%s", i ? "," : "", ex.v[i]);
	buf_adds(out, "] ");
	specset_format(&r->spec, out);
	if (r->url)
		buf_addf(out, " @ %s", r->url);
	buf_adds(out, " ;");
	strlist_release(&ex);
}

/* Add to keys the key of r with the marker text m (NULL or "": none), after parsing and
 * formatting m and normalising its extra comparison. Returns 0, or -1 when m does not parse. */
static int add_key(struct strlist *keys, const struct requirement *r, const char *m)
{
	struct buf k = BUF_INIT, t = BUF_INIT;
	struct marker *mk = NULL;

	req_key_head(r, &k);
	if (m && *m) {
		if (marker_parse(m, &mk, NULL) < 0) {
			buf_release(&k);
			return -1;
		}
		marker_format(mk, &t);
		marker_free(mk);
		normalize_extra_text(&t);
		buf_addf(&k, " %s", t.s);
	}
	if (strlist_find(keys, k.s) < 0)
		strlist_add(keys, k.s);
	buf_release(&k);
	buf_release(&t);
	return 0;
}

/* The keys a Requires-Dist line may have for the plan's requirement r under extra (NULL: none):
 * its own marker, or with an extra the forms backends write for optional dependencies
 * ('(M) and extra == "E"', 'extra == "E" and (M)', and 'M and extra == "E"' when M has no 'or'). */
static int expected_keys(struct strlist *keys, const struct requirement *r, const char *extra)
{
	struct buf m = BUF_INIT, t = BUF_INIT;
	char *e;
	int ret = 0;

	if (r->marker)
		marker_format(r->marker, &m);
	if (!extra)
		ret = add_key(keys, r, m.s);
	e = extra ? name_canonicalize(extra) : NULL;
	if (e && !m.len) {
		buf_addf(&t, "extra == \"%s\"", e);
		ret = add_key(keys, r, t.s);
	} else if (e) {
		buf_addf(&t, "(%s) and extra == \"%s\"", m.s, e);
		ret |= add_key(keys, r, t.s);
		buf_setlen(&t, 0);
		buf_addf(&t, "extra == \"%s\" and (%s)", e, m.s);
		ret |= add_key(keys, r, t.s);
		if (!strstr(m.s, " or ")) {
			buf_setlen(&t, 0);
			buf_addf(&t, "%s and extra == \"%s\"", m.s, e);
			ret |= add_key(keys, r, t.s);
		}
	}
	free(e);
	buf_release(&m);
	buf_release(&t);
	return ret;
}

static void expected_reqs_release(struct expected_reqs *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		free(x->v[i].text);
		free(x->v[i].extra);
		strlist_release(&x->v[i].keys);
	}
	free(x->v);
	memset(x, 0, sizeof(*x));
}

/* Read FILE (JSON: null, or an array of {"req": S, "extra": E?}) into x. Returns 0, or -1 with
 * a one-line message in err. */
static int expected_reqs_load(struct expected_reqs *x, const char *file, struct buf *err)
{
	json_error_t je;
	json_t *j = json_load_file(file, JSON_DECODE_ANY, &je), *it;
	struct buf e = BUF_INIT;
	size_t i;
	int ret = -1;

	memset(x, 0, sizeof(*x));
	if (!j) {
		buf_addf(err, "--expect-requires '%s': %s", file, je.text);
		return -1;
	}
	if (json_is_null(j)) {
		ret = 0;
		goto out;
	}
	if (!json_is_array(j)) {
		buf_addf(err, "--expect-requires '%s': not an array or null", file);
		goto out;
	}
	x->checked = 1;
	json_array_foreach(j, i, it) {
		json_t *jr = json_object_get(it, "req"), *je2 = json_object_get(it, "extra");
		struct expected_req *er;
		struct requirement r;
		int bad;

		if (!json_is_string(jr) || (je2 && !json_is_null(je2) && !json_is_string(je2))) {
			buf_addf(err, "--expect-requires '%s': entry %zu is not {\"req\": string, \"extra\": string}",
				 file, i);
			goto out;
		}
		GROW(x->v, x->alloc, x->n + 1);
		er = &x->v[x->n++];
		er->text = xstrdup(json_string_value(jr));
		er->extra = json_is_string(je2) ? xstrdup(json_string_value(je2)) : NULL;
		strlist_init(&er->keys);
		if (requirement_parse(er->text, &r, &e) < 0) {
			buf_addf(err, "--expect-requires '%s': %s", file, e.s);
			requirement_release(&r);
			goto out;
		}
		bad = er->extra && !name_is_valid(er->extra, strlen(er->extra));
		if (!bad)
			bad = expected_keys(&er->keys, &r, er->extra) < 0;
		requirement_release(&r);
		if (bad) {
			buf_addf(err, "--expect-requires '%s': bad extra '%s' of '%s'", file,
				 er->extra ? er->extra : "", er->text);
			goto out;
		}
	}
	ret = 0;
out:
	json_decref(j);
	buf_release(&e);
	return ret;
}

/* Compare METADATA's Requires-Dist lines with the plan's, as sets; on the first difference put
 * "'NAME VERSION': ..." in err and return -1. */
static int check_requires(const struct metadata *m, const char *name, const char *ver,
			  const struct expected_reqs *x, struct buf *err)
{
	const char **rd = NULL;
	size_t n = metadata_get_all(m, "Requires-Dist", &rd), i, k;
	struct strlist keys = STRLIST_INIT;
	struct buf e = BUF_INIT, mt = BUF_INIT;
	int ret = -1;

	for (i = 0; i < n; i++) {
		struct requirement r;
		struct buf key = BUF_INIT;

		if (requirement_parse(rd[i], &r, &e) < 0) {
			buf_addf(err, "'%s %s': bad Requires-Dist in METADATA: %s", name, ver, e.s);
			requirement_release(&r);
			goto out;
		}
		req_key_head(&r, &key);
		if (r.marker) {
			buf_setlen(&mt, 0);
			marker_format(r.marker, &mt);
			normalize_extra_text(&mt);
			buf_addf(&key, " %s", mt.s);
		}
		strlist_add_owned(&keys, buf_detach(&key, NULL));
		requirement_release(&r);
	}
	for (i = 0; i < x->n; i++) {
		for (k = 0; k < x->v[i].keys.n; k++)
			if (strlist_find(&keys, x->v[i].keys.v[k]) >= 0)
				break;
		if (k == x->v[i].keys.n) {
			buf_addf(err, "'%s %s': the wheel's METADATA lacks the requirement '%s'", name, ver,
				 x->v[i].text);
			if (x->v[i].extra)
				buf_addf(err, " (extra '%s')", x->v[i].extra);
			buf_adds(err, " of the plan");
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < x->n; j++)
			if (strlist_find(&x->v[j].keys, keys.v[i]) >= 0)
				break;
		if (j == x->n) {
			buf_addf(err, "'%s %s': the wheel's METADATA has the requirement '%s', which the plan lacks",
				 name, ver, rd[i]);
			goto out;
		}
	}
	ret = 0;
out:
	free(rd);
	strlist_release(&keys);
	buf_release(&e);
	buf_release(&mt);
	return ret;
}

/* Check the built wheel at path: its filename, METADATA, and the expectations. */
static int check_wheel(const char *path, const char *base, const char *expect,
		       const struct expected_reqs *x, struct buf *err)
{
	struct wheel_name wn = { 0 };
	struct buf md = BUF_INIT, e = BUF_INIT;
	struct metadata m;
	struct version va, vb;
	const char *name, *ver;
	int ret = -1, have_m = 0;

	if (wheel_name_parse(base, &wn, &e) < 0) {
		buf_addf(err, "the backend made a wheel with a bad filename: %s", e.s);
		goto out;
	}
	if (wheel_metadata_read(path, &md, &e) < 0) {
		buf_addf(err, "%s", e.s);
		goto out;
	}
	if (metadata_parse(md.s, md.len, &m, &e) < 0) {
		buf_addf(err, "bad METADATA in '%s': %s", base, e.s);
		goto out;
	}
	have_m = 1;
	name = metadata_get(&m, "Name");
	ver = metadata_get(&m, "Version");
	if (!name || !ver) {
		buf_addf(err, "METADATA of '%s' lacks Name or Version", base);
		goto out;
	}
	version_init(&va);
	version_init(&vb);
	if (name_cmp(name, wn.name) != 0 || version_parse(ver, &va) || version_parse(wn.version, &vb) ||
	    version_cmp(&va, &vb) != 0) {
		buf_addf(err, "wheel '%s' holds METADATA for '%s %s'", base, name, ver);
		version_release(&va);
		version_release(&vb);
		goto out;
	}
	version_release(&vb);
	if (expect) {
		const char *eq = strstr(expect, "==");
		char *ename = eq ? xstrndup(expect, (size_t)(eq - expect)) : NULL;

		version_init(&vb);
		if (!eq || !*ename || version_parse(eq + 2, &vb)) {
			buf_addf(err, "--expect '%s' is not NAME==VERSION", expect);
		} else if (name_cmp(ename, name) != 0 || version_cmp(&va, &vb) != 0) {
			buf_addf(err, "built '%s %s' ('%s'), expected '%s'", name, ver, base, expect);
		} else {
			ret = 0;
		}
		free(ename);
		version_release(&vb);
	} else {
		ret = 0;
	}
	version_release(&va);
	if (ret == 0 && x->checked)
		ret = check_requires(&m, name, ver, x, err);
out:
	if (have_m)
		metadata_release(&m);
	wheel_name_release(&wn);
	buf_release(&md);
	buf_release(&e);
	return ret;
}

/* Remove the private directories that killed build-wheel processes left in WHEELDIR. Each
 * running build-wheel holds a flock on its directory for its whole life (PIDs are reused: the
 * lock says whether its owner is gone). */
static void remove_stale(const char *out)
{
	DIR *d = opendir(out);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char *path;
		int fd;

		if (starts_with(de->d_name, ".wbgen-new.")) {
			/* killed between mkdtemp and the rename (microseconds): by its PID */
			long pid = strtol(de->d_name + strlen(".wbgen-new."), NULL, 10);

			path = xasprintf("%s/%s", out, de->d_name);
			if (pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH)
				remove_tree(path);
			free(path);
			continue;
		}
		if (!starts_with(de->d_name, ".wbgen-build."))
			continue;
		path = xasprintf("%s/%s", out, de->d_name);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			remove_tree(path);
		if (fd >= 0)
			close(fd);
		free(path);
	}
	closedir(d);
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* Give the built wheel the build tag and the .dist-info files (NAME=FILE): the amended wheel, made
 * in scratch, replaces *built and its filename *name. Returns 0, or -1 after a message. */
static int amend(const char *scratch, const char *build_tag, const struct opt_list *files, char **built,
		 char **name)
{
	struct wheel_addition *adds = xcalloc(files->n + 1, sizeof(*adds));
	struct buf *texts = xcalloc(files->n + 1, sizeof(*texts)), err = BUF_INIT;
	char *newname = wheel_name_with_build(*name, build_tag), *amended;
	size_t k;
	int bad = !newname;

	for (k = 0; k < files->n && !bad; k++) {
		const char *eq = strchr(files->v[k], '=');

		if (buf_read_file(&texts[k], eq + 1) < 0) {
			error("build-wheel: cannot read '%s':", eq + 1);
			bad = 1;
		}
		adds[k].name = xstrndup(files->v[k], (size_t)(eq - files->v[k]));
		adds[k].data = texts[k].s ? texts[k].s : "";
		adds[k].len = texts[k].len;
	}
	amended = newname ? xasprintf("%s/%s", scratch, newname) : NULL;
	if (!bad && wheel_amend(*built, amended, build_tag, adds, files->n, &err) < 0) {
		error("build-wheel: %s", err.s);
		bad = 1;
	}
	for (k = 0; k < files->n; k++) {
		free((char *)adds[k].name);
		buf_release(&texts[k]);
	}
	free(texts);
	free(adds);
	buf_release(&err);
	if (bad) {
		free(newname);
		free(amended);
		return -1;
	}
	free(*built);
	*built = amended;
	free(*name);
	*name = newname;
	return 0;
}

int cmd_build_wheel(int argc, char **argv)
{
	struct build_args ba = { NULL, NULL, NULL, NULL, NULL, OPT_LIST_INIT };
	struct hook_args ha;
	struct hook_opts *o = &ha.o;
	struct option options[] = {
		OPT_STRING(0, "out", &ba.out, "WHEELDIR", "where the wheel goes (created if missing)"),
		OPT_STRING(0, "expect", &ba.expect, "NAME==VERSION",
			   "fail unless METADATA's Name and Version are these (compared\n"
			   "normalised)"),
		OPT_STRING(0, "expect-requires", &ba.expect_requires, "FILE",
			   "fail unless METADATA's Requires-Dist lines are, as a set, the\n"
			   "requirements in FILE: JSON, one package's install_requires from\n"
			   "plan.json (null: nothing checked). Compared after parsing: name,\n"
			   "extras, specifiers, URL, marker; an entry with \"extra\": E matches\n"
			   "'(M) and extra == \"E\"', 'extra == \"E\" and (M)', or 'M and\n"
			   "extra == \"E\"' when M has no 'or' (extras compared normalised).\n"
			   "A bad FILE exits 2 before anything is built"),
		OPT_STRING(0, "check-requires", &o->check_requires, "FILE",
			   "one process for both hooks: get_requires_for_build_wheel first, then\n"
			   "build_wheel only when its answer is the JSON list of requirement\n"
			   "strings in FILE (what the environment holds); else nothing is built\n"
			   "and the exit status is 3"),
		OPT_STRING(0, "requires-out", &ba.requires_out, "FILE",
			   "with --check-requires: get_requires_for_build_wheel's answer, as a\n"
			   "JSON list, into FILE"),
		OPT_STRING(0, "metadata-dir", &o->metadata_dir, "DIR",
			   "the .dist-info directory made by prepare_metadata_for_build_wheel,\n"
			   "passed to build_wheel as metadata_directory"),
		OPT_STRING_CHECK(0, "build-tag", &ba.build_tag, "N",
				 "give the wheel build tag N (digits): NAME-VERSION-N-TAGS.whl, and\n"
				 "'Build: N' in its WHEEL file (RECORD updated)", check_build_tag),
		OPT_LIST_CHECK(0, "dist-info-file", &ba.dist_files, "NAME=FILE",
			       "put FILE's content in the wheel's .dist-info as NAME\n"
			       "(repeatable; RECORD updated)", check_dist_info_file),
		OPT_HOOK_ARGS(&ha),
		OPT_END(),
	};
	const char *out, *returned = NULL;
	struct expected_reqs reqs = { 0 };
	struct buf err = BUF_INIT, res = BUF_INIT;
	struct strlist wheels = STRLIST_INIT;
	char *scratch = NULL, *wdir = NULL, *result = NULL, *built = NULL, *dst = NULL;
	int scratch_fd = -1;
	int ret = EXIT_FAILURE_USER;
	json_t *j = NULL;
	DIR *d;
	struct dirent *de;

	hook_args_init(&ha);
	if (parse_options(argc, argv, usage, options, 0, &ret) < 0)
		return ret;
	hook_args_finish(&ha);
	out = ba.out;
	ret = EXIT_USAGE;
	if (!o->env || !o->src || !out) {
		error("build-wheel: --env, --src and --out are required (see 'wbgen help build-wheel')");
		goto out;
	}
	if (ba.expect && !strstr(ba.expect, "==")) {
		error("build-wheel: --expect '%s' is not NAME==VERSION", ba.expect);
		goto out;
	}
	if (ba.expect_requires && expected_reqs_load(&reqs, ba.expect_requires, &err) < 0) {
		error("build-wheel: %s", err.s);
		goto out;
	}
	ret = EXIT_FAILURE_USER;
	if (mkdir_p(out, 0755) < 0) {
		error("build-wheel: cannot make '%s':", out);
		goto out;
	}
	/* the private directory sits in WHEELDIR so that the final rename stays on one file system */
	remove_stale(out);
	/* made under a name remove_stale() leaves alone, locked (until this process ends), then
	 * renamed: no other build-wheel can find it unlocked */
	scratch = xasprintf("%s/.wbgen-new.%ld.XXXXXX", out, (long)getpid());
	if (!mkdtemp(scratch)) {
		error("build-wheel: cannot make a directory in '%s':", out);
		free(scratch);
		scratch = NULL;
		goto out;
	}
	scratch_fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (scratch_fd < 0 || flock(scratch_fd, LOCK_EX) < 0) {
		error("build-wheel: cannot lock '%s':", scratch);
		goto out;
	}
	{
		char *named = xasprintf("%s/.wbgen-build.%s", out, scratch + strlen(out) + strlen("/.wbgen-new."));

		if (rename(scratch, named) < 0) {
			error("build-wheel: cannot rename '%s':", scratch);
			free(named);
			goto out;
		}
		free(scratch);
		scratch = named;
	}
	wdir = xasprintf("%s/wheel", scratch);
	result = xasprintf("%s/result.json", scratch);
	if (mkdir(wdir, 0755) < 0) {
		error("build-wheel: cannot make '%s':", wdir);
		goto out;
	}
	o->out_dir = wdir;
	if (hook_run(o, "build_wheel", result, &err) < 0) {
		error("%s", err.s);
		goto out;
	}
	if (buf_read_file(&res, result) < 0) {
		error("build-wheel: cannot read '%s':", result);
		goto out;
	}
	j = json_loadb(res.s, res.len, 0, NULL);
	if (ba.requires_out && json_is_array(json_object_get(j, "requires"))) {
		char *t = json_dumps(json_object_get(j, "requires"), 0);

		if (!t || write_file(ba.requires_out, t, strlen(t), WRITE_NOSYNC) < 0) {
			error("build-wheel: cannot write '%s':", ba.requires_out);
			free(t);
			goto out;
		}
		free(t);
	}
	if (json_is_true(json_object_get(j, "mismatch"))) {
		error("build-wheel: get_requires_for_build_wheel in '%s' asked for other requirements than %s: "
		      "nothing built", o->src, o->check_requires);
		ret = EXIT_MISMATCH;
		goto out;
	}
	returned = j ? json_string_value(json_object_get(j, "return")) : NULL;
	if (!returned) {
		error("build-wheel: the build_wheel hook in '%s' returned no filename", o->src);
		goto out;
	}
	d = opendir(wdir);
	if (!d) {
		error("build-wheel: cannot list '%s':", wdir);
		goto out;
	}
	while ((de = readdir(d)) != NULL)
		if (ends_with(de->d_name, ".whl"))
			strlist_add(&wheels, de->d_name);
	closedir(d);
	strlist_sort(&wheels);
	if (wheels.n != 1) {
		error("build-wheel: build_wheel in '%s' made %zu wheels, expected exactly one%s%s", o->src,
		      wheels.n, wheels.n ? ": " : "", wheels.n ? wheels.v[0] : "");
		goto out;
	}
	if (strcmp(wheels.v[0], returned) != 0) {
		error("build-wheel: build_wheel in '%s' returned '%s' but made '%s'", o->src, returned, wheels.v[0]);
		goto out;
	}
	built = xasprintf("%s/%s", wdir, wheels.v[0]);
	if (check_wheel(built, wheels.v[0], ba.expect, &reqs, &err) < 0) {
		error("build-wheel: %s", err.s);
		goto out;
	}
	if ((ba.build_tag || ba.dist_files.n) && amend(scratch, ba.build_tag, &ba.dist_files, &built, &wheels.v[0]) < 0)
		goto out;
	dst = xasprintf("%s/%s", out, wheels.v[0]);
	if (files_identical(built, dst)) {
		fprintf(stderr, "wbgen: build-wheel: '%s' is unchanged, keeping the existing file\n", dst);
	} else {
		int existed = path_exists(dst);

		if (fsync_path(built, O_RDONLY) < 0 || rename(built, dst) < 0) {
			error("build-wheel: cannot move '%s' to '%s':", built, dst);
			goto out;
		}
		fsync_path(out, O_RDONLY | O_DIRECTORY);
		if (existed)
			fprintf(stderr, "wbgen: build-wheel: replaced '%s', whose bytes differed\n", dst);
	}
	printf("%s\n", wheels.v[0]);
	ret = EXIT_OK;
out:
	if (scratch && remove_tree(scratch) < 0)
		warn("build-wheel: cannot remove '%s':", scratch);
	if (scratch_fd >= 0)
		close(scratch_fd);
	if (j)
		json_decref(j);
	strlist_release(&wheels);
	buf_release(&err);
	buf_release(&res);
	free(scratch);
	free(wdir);
	free(result);
	free(built);
	free(dst);
	expected_reqs_release(&reqs);
	parse_options_release(options);
	return ret;
}
