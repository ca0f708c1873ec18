/* wheel_entry.c: a wheel laid out for installation, once (see wheel_int.h).
 *
 * An entry is a directory E holding E/tree/ (every file of the wheel where it goes relative to an
 * environment's root, byte-compiled), E/scripts/ (the "#!python" scripts, whose first line depends on
 * the environment), and E/MANIFEST, the list of both with each file's hash, size and mtime, written
 * last. What depends on the environment (those scripts, console-script launchers, INSTALLER, RECORD)
 * is written per install by wheel_install.c; everything else is moved (a private entry) or hard-linked
 * (an entry of the wheel store) into the environment.
 *
 * MANIFEST, one record a line, the path last (with '%', '\n' and '\r' percent-escaped):
 *     wbgen-wheel-entry 1
 *     wheel demo-1.0-py3-none-any.whl
 *     distinfo demo-1.0.dist-info
 *     libdir lib/python3.11/site-packages
 *     f SIZE MTIME_NS HASH PATH     a file of tree/ (HASH "-": none, a .pyc)
 *     x SIZE MTIME_NS EXEC PATH     a "#!python" script: scripts/PATH, installed at PATH
 *     end
 * A manifest without its "end" line, a file missing or not of its recorded size and mtime: the entry
 * is damaged and is not used. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "run_command.h"
#include "wheel/wheel_int.h"
#include "util.h"

void wheel_job_files_release(struct wheel_job *j)
{
	size_t i;

	for (i = 0; i < j->nf; i++) {
		free(j->f[i].path);
		free(j->f[i].hash);
	}
	free(j->f);
	j->f = NULL;
	j->nf = j->af = 0;
}

static void add_file(struct wheel_job *j, int kind, const char *path, const char *hash, unsigned long long size,
		     long long mtime, int exec)
{
	struct entry_file *f;

	GROW(j->f, j->af, j->nf + 1);
	f = &j->f[j->nf++];
	f->kind = kind;
	f->path = xstrdup(path);
	f->hash = xstrdup(hash ? hash : "");
	f->size = size;
	f->mtime = mtime;
	f->exec = exec;
}

/* Lay the extracted members of j (in j->raw) out in edir: tree/ and scripts/ (see above). */
int wheel_entry_lay(struct wheel_job *j, const struct wheel_env *env, const char *edir, struct buf *err)
{
	struct buf src = BUF_INIT, dst = BUF_INIT, data = BUF_INIT;
	size_t i;
	int ret = -1;

	for (i = 0; i < j->nm; i++) {
		const struct member *m = &j->m[i];
		int script;
		char *dest;

		if (wheel_is_record_file(j, m->name))
			continue;
		dest = wheel_member_dest(j, env, m->name, &script, err);
		if (!dest)
			goto out;
		buf_reset(&src);
		buf_addf(&src, "%s/%s", j->raw, m->name);
		buf_reset(&data);
		/* as pip: only "#!python" is rewritten, and the mode comes from the zip alone */
		script = script && buf_read_file(&data, src.s) == 0 && data.len >= 8 && memcmp(data.s, "#!python", 8) == 0;
		buf_reset(&dst);
		buf_addf(&dst, "%s/%s/%s", edir, script ? "scripts" : "tree", dest);
		if (path_exists(dst.s)) {
			buf_addf(err, "%s: '%s' is installed by two of its members", j->path, dest);
			free(dest);
			goto out;
		}
		if (mkdir_parents(dst.s) || rename(src.s, dst.s)) {
			buf_addf(err, "cannot move '%s' to '%s': %s", src.s, dst.s, strerror(errno));
			free(dest);
			goto out;
		}
		add_file(j, script ? 'x' : 'f', dest, m->hash, m->size, 0, m->exec);
		free(dest);
	}
	ret = 0;
out:
	buf_release(&src);
	buf_release(&dst);
	buf_release(&data);
	return ret;
}

/* Python run by wheel_entries_compile: compile each listed source (NUL-separated pairs "path",
 * "ddir": the directory named in the code objects, "" for the file's own) as pip does at install,
 * timestamp-checked, and list the .pyc files written. */
static const char compile_py[] =
	"import compileall, os, sys, warnings\n"
	"warnings.filterwarnings('ignore')\n"
	"kw = {}\n"
	"if sys.version_info >= (3, 7):\n"
	"    import py_compile\n"
	"    kw['invalidation_mode'] = py_compile.PycInvalidationMode.TIMESTAMP\n"
	"from importlib.util import cache_from_source\n"
	"with open(sys.argv[1], 'rb') as f:\n"
	"    items = f.read().split(b'\\0')\n"
	"done = []\n"
	"for i in range(0, len(items) - 1, 2):\n"
	"    p, d = os.fsdecode(items[i]), os.fsdecode(items[i + 1]) or None\n"
	"    if compileall.compile_file(p, ddir=d, force=True, quiet=2, **kw):\n"
	"        c = cache_from_source(p)\n"
	"        if os.path.exists(c):\n"
	"            done.append(os.fsencode(c))\n"
	"with open(sys.argv[2] + '.tmp', 'wb') as f:\n"
	"    f.write(b''.join(c + b'\\0' for c in done))\n"
	"os.rename(sys.argv[2] + '.tmp', sys.argv[2])\n";

static int run_python(const char *python, const char *in, const char *out, struct buf *err)
{
	const char *argv[] = { python, "-E", "-s", "-S", "-c", compile_py, in, out, NULL };
	struct child_process cp;
	int r;

	child_process_init(&cp);
	cp.argv = argv;
	cp.no_stdin = 1;
	cp.no_stdout = 1;
	/* killed with us: a killed install leaves no compiler writing into the store */
	cp.die_with_parent = 1;
	if (start_command(&cp) < 0) {
		buf_addf(err, "cannot run '%s': %s", python, strerror(errno));
		return -1;
	}
	r = finish_command(&cp);
	if (r < 0) {
		buf_addf(err, "waiting for '%s': %s", python, strerror(errno));
		return -1;
	}
	if (r != 0) {
		buf_addf(err, "byte-compiling with '%s' failed (status %d)", python, r);
		return -1;
	}
	return 0;
}

int wheel_entries_compile(struct wheel_job **jobs, const char *const *edirs, size_t n, const char *python,
			  const char *final_root, const char *scratch, struct buf *err)
{
	struct buf list = BUF_INIT, got = BUF_INIT;
	char *in = xasprintf("%s/compile.in", scratch), *out = xasprintf("%s/compile.out", scratch);
	size_t i, k, total = 0, tl;
	const char *p;
	int ret = -1;

	for (i = 0; i < n; i++) {
		struct wheel_job *j = jobs[i];
		size_t ll = strlen(j->libdir);

		for (k = 0; k < j->nf; k++) {
			const char *rel = j->f[k].path;

			/* pip compiles the .py files it installed into the wheel's lib directory */
			if (j->f[k].kind != 'f' || !ends_with(rel, ".py") ||
			    (ll && (strncmp(rel, j->libdir, ll) != 0 || rel[ll] != '/')))
				continue;
			buf_addf(&list, "%s/tree/%s", edirs[i], rel);
			buf_addch(&list, '\0');
			if (final_root) {
				const char *slash = strrchr(rel, '/');

				buf_addf(&list, "%s/%.*s", final_root, slash ? (int)(slash - rel) : 0, rel);
			}
			buf_addch(&list, '\0');
			total++;
		}
	}
	if (!total) {
		ret = 0;
		goto out;
	}
	if (write_file(in, list.s, list.len, WRITE_NOSYNC) < 0) {
		buf_addf(err, "cannot write '%s': %s", in, strerror(errno));
		goto out;
	}
	if (run_python(python, in, out, err) || buf_read_file(&got, out) < 0) {
		if (!err->len)
			buf_addf(err, "cannot read '%s': %s", out, strerror(errno));
		goto out;
	}
	/* each .pyc back to its entry: "EDIR/tree/REL" */
	for (p = got.s; p < got.s + got.len; p += tl + 1) {
		tl = strlen(p);
		for (i = 0; i < n; i++) {
			size_t el = strlen(edirs[i]);

			if (strncmp(p, edirs[i], el) == 0 && starts_with(p + el, "/tree/")) {
				add_file(jobs[i], 'f', p + el + 6, NULL, 0, 0, 0);
				break;
			}
		}
	}
	ret = 0;
out:
	unlink(in);
	unlink(out);
	free(in);
	free(out);
	buf_release(&list);
	buf_release(&got);
	return ret;
}

static void add_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '%' || *s == '\n' || *s == '\r')
			buf_addf(b, "%%%02X", (unsigned char)*s);
		else
			buf_addch(b, *s);
	}
}

static int unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '%') {
			unsigned v = 0;
			int i;

			for (i = 1; i <= 2; i++) {
				char c = s[i];

				if (!ascii_isdigit(c) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
					return -1;
				v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
			}
			*w++ = (char)v;
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return 0;
}

static long long mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

int wheel_entry_finish(struct wheel_job *j, const char *edir, struct buf *err)
{
	struct buf m = BUF_INIT, path = BUF_INIT;
	const char *base = strrchr(j->path, '/');
	char *mf = xasprintf("%s/MANIFEST", edir);
	size_t i;
	int ret = -1;

	buf_addf(&m, "wbgen-wheel-entry 1\nwheel %s\ndistinfo %s\nlibdir %s\n", base ? base + 1 : j->path, j->distinfo,
		 j->libdir);
	for (i = 0; i < j->nf; i++) {
		struct entry_file *f = &j->f[i];
		struct stat st;

		buf_reset(&path);
		buf_addf(&path, "%s/%s/%s", edir, f->kind == 'x' ? "scripts" : "tree", f->path);
		if (lstat(path.s, &st) < 0) {
			buf_addf(err, "cannot stat '%s': %s", path.s, strerror(errno));
			goto out;
		}
		f->size = (unsigned long long)st.st_size;
		f->mtime = mtime_ns(&st);
		if (f->kind == 'x')
			buf_addf(&m, "x %llu %lld %d ", f->size, f->mtime, f->exec);
		else
			buf_addf(&m, "f %llu %lld %s ", f->size, f->mtime, f->hash[0] ? f->hash : "-");
		add_escaped(&m, f->path);
		buf_addch(&m, '\n');
	}
	buf_adds(&m, "end\n");
	if (write_file(mf, m.s, m.len, WRITE_NOSYNC) < 0) {
		buf_addf(err, "cannot write '%s': %s", mf, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	buf_release(&m);
	buf_release(&path);
	free(mf);
	return ret;
}

/* Parse the numbers of a MANIFEST row: "SIZE MTIME X " before the path; 0, or -1. */
static int row_fields(char **p, unsigned long long *size, long long *mtime, char **third)
{
	char *end;

	errno = 0;
	*size = strtoull(*p, &end, 10);
	if (errno || end == *p || *end != ' ')
		return -1;
	*p = end + 1;
	*mtime = strtoll(*p, &end, 10);
	if (errno || end == *p || *end != ' ')
		return -1;
	*third = end + 1;
	end = strchr(*third, ' ');
	if (!end || end == *third)
		return -1;
	*end = '\0';
	*p = end + 1;
	return 0;
}

int wheel_entry_load(struct wheel_job *j, const struct wheel_env *env, const char *edir, int check,
		     struct buf *err)
{
	struct buf m = BUF_INIT, path = BUF_INIT;
	char *mf = xasprintf("%s/MANIFEST", edir), *line, *next;
	int ret = -1, ended = 0, n = 0;

	wheel_job_files_release(j);
	if (buf_read_file(&m, mf) < 0) {
		buf_addf(err, "no MANIFEST (%s)", strerror(errno));
		goto out;
	}
	for (line = m.s; *line && !ended; line = next, n++) {
		char *third, *p;
		unsigned long long size;
		long long mtime;

		next = strchr(line, '\n');
		if (!next)
			break;
		*next++ = '\0';
		if (n == 0) {
			if (strcmp(line, "wbgen-wheel-entry 1") != 0)
				break;
		} else if (starts_with(line, "wheel ")) {
			;
		} else if (starts_with(line, "distinfo ")) {
			free(j->distinfo);
			j->distinfo = xstrdup(line + 9);
		} else if (starts_with(line, "libdir ")) {
			/* the store's key holds the layout: the entry's libdir is one of env's */
			j->libdir = strcmp(line + 7, env->purelib) == 0 ? env->purelib
				    : strcmp(line + 7, env->platlib) == 0 ? env->platlib : NULL;
		} else if (strcmp(line, "end") == 0) {
			ended = 1;
		} else if ((line[0] == 'f' || line[0] == 'x') && line[1] == ' ') {
			struct stat st;
			long ex;

			p = line + 2;
			if (row_fields(&p, &size, &mtime, &third) || unescape(p) || !wheel_path_safe(p, 0))
				break;
			if (line[0] == 'x' && parse_int_range(third, 0, 1, &ex) < 0)
				break;
			add_file(j, line[0], p, line[0] == 'f' && strcmp(third, "-") != 0 ? third : NULL, size, mtime,
				 line[0] == 'x' ? (int)ex : 0);
			if (!check)
				continue;
			buf_reset(&path);
			buf_addf(&path, "%s/%s/%s", edir, line[0] == 'x' ? "scripts" : "tree", p);
			if (lstat(path.s, &st) < 0 || !S_ISREG(st.st_mode) || (unsigned long long)st.st_size != size ||
			    mtime_ns(&st) != mtime) {
				buf_addf(err, "'%s' %s", path.s,
					 lstat(path.s, &st) < 0 ? "is missing" : "was changed");
				goto out;
			}
		} else {
			break;
		}
	}
	if (!ended) {
		buf_addf(err, "its MANIFEST is truncated or malformed (line %d)", n);
		goto out;
	}
	if (!j->distinfo || !j->libdir) {
		buf_adds(err, "its MANIFEST lacks the .dist-info directory or has another layout");
		goto out;
	}
	free(j->datadir);
	j->datadir = xasprintf("%.*s.data", (int)(strlen(j->distinfo) - 10), j->distinfo);
	ret = 0;
out:
	if (ret < 0) {
		/* nothing of a damaged entry stays in j: it is made again from the wheel */
		wheel_job_files_release(j);
		free(j->distinfo);
		j->distinfo = NULL;
		j->libdir = NULL;
	}
	buf_release(&m);
	buf_release(&path);
	free(mf);
	return ret;
}

int wheel_copy_file(const char *src, const char *dst, struct buf *err)
{
	char *data = xmalloc(65536);
	struct stat st;
	struct timespec ts[2];
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, ret = -1;
	ssize_t n;

	if (in < 0 || fstat(in, &st) < 0) {
		buf_addf(err, "cannot read '%s': %s", src, strerror(errno));
		goto out;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777);
	if (out < 0)
		goto fail;
	while ((n = read(in, data, 65536)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(out, data, (size_t)n) < 0)
			goto fail;
	}
	/* the mode and the mtime the .pyc files were checked against */
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	if (fchmod(out, st.st_mode & 0777) < 0 || futimens(out, ts) < 0)
		goto fail;
	if (close(out) < 0) {
		out = -1;
		goto fail;
	}
	out = -1;
	ret = 0;
	goto out;
fail:
	buf_addf(err, "cannot copy '%s' to '%s': %s", src, dst, strerror(errno));
	unlink(dst);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	free(data);
	return ret;
}
