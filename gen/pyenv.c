/* pyenv.c: the target interpreter (see pyenv.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "pyenv.h"
#include "run_command.h"

/* Printed as one JSON line by the interpreter. It mirrors packaging 23.0's
 * markers.default_environment() and gathers what tags.sys_tags() looks at; it runs on
 * Python 2.7 too (started there with -E -s since 2.7 has no -I). Bump QUERY_VERSION
 * with any change: it is part of the cache key. */
#define QUERY_VERSION 3
static const char query_script[] =
	"import sys\n"
	"if sys.path and sys.path[0] in ('', '.'):\n"
	"    del sys.path[0]\n"
	"import json, os, platform, struct, sysconfig\n"
	"def fullver(i):\n"
	"    v = '%d.%d.%d' % (i[0], i[1], i[2])\n"
	"    if i[3] != 'final':\n"
	"        v += i[3][0] + str(i[4])\n"
	"    return v\n"
	"def tri(v):\n"
	"    return None if v is None else bool(v)\n"
	"def elf(path):\n"
	"    try:\n"
	"        f = open(path, 'rb')\n"
	"    except (OSError, IOError):\n"
	"        return None\n"
	"    try:\n"
	"        h = f.read(16)\n"
	"        if len(h) < 16 or h[:4] != b'\\x7fELF':\n"
	"            return None\n"
	"        c, d = bytearray(h[4:6])\n"
	"        e = {(1, 1): '<HHIIIIIHHH', (1, 2): '>HHIIIIIHHH',\n"
	"             (2, 1): '<HHIQQQIHHH', (2, 2): '>HHIQQQIHHH'}.get((c, d))\n"
	"        if e is None:\n"
	"            return None\n"
	"        p = e[0] + ('IIIIIIII' if c == 1 else 'IIQQQQQQ')\n"
	"        i = (0, 1, 4) if c == 1 else (0, 2, 5)\n"
	"        b = f.read(struct.calcsize(e))\n"
	"        if len(b) != struct.calcsize(e):\n"
	"            return None\n"
	"        x = struct.unpack(e, b)\n"
	"        r = {'class': c, 'data': d, 'machine': x[1], 'flags': x[6], 'interp': None}\n"
	"        for n in range(x[9]):\n"
	"            f.seek(x[4] + x[8] * n)\n"
	"            b = f.read(struct.calcsize(p))\n"
	"            if len(b) != struct.calcsize(p):\n"
	"                continue\n"
	"            y = struct.unpack(p, b)\n"
	"            if y[i[0]] != 3:\n"
	"                continue\n"
	"            f.seek(y[i[1]])\n"
	"            r['interp'] = f.read(y[i[2]]).decode('utf-8', 'replace').strip('\\0')\n"
	"            break\n"
	"        return r\n"
	"    except Exception:\n"
	"        return None\n"
	"    finally:\n"
	"        f.close()\n"
	"def musl(e):\n"
	"    import re, subprocess\n"
	"    ld = e and e['interp']\n"
	"    if not ld or 'musl' not in ld:\n"
	"        return None\n"
	"    try:\n"
	"        p = subprocess.Popen([ld], stderr=subprocess.PIPE, universal_newlines=True)\n"
	"        err = p.communicate()[1]\n"
	"    except OSError:\n"
	"        return None\n"
	"    l = [n for n in (n.strip() for n in err.splitlines()) if n]\n"
	"    if len(l) < 2 or l[0][:4] != 'musl':\n"
	"        return None\n"
	"    m = re.match(r'Version (\\d+)\\.(\\d+)', l[1])\n"
	"    return m and [int(m.group(1)), int(m.group(2))]\n"
	"def glibc():\n"
	"    try:\n"
	"        s = os.confstr('CS_GNU_LIBC_VERSION')\n"
	"        assert s is not None\n"
	"        _, v = s.rsplit()\n"
	"        if v:\n"
	"            return v\n"
	"    except (AssertionError, AttributeError, OSError, ValueError):\n"
	"        pass\n"
	"    try:\n"
	"        import ctypes\n"
	"        g = ctypes.CDLL(None).gnu_get_libc_version\n"
	"    except (ImportError, OSError, AttributeError):\n"
	"        return None\n"
	"    g.restype = ctypes.c_char_p\n"
	"    v = g()\n"
	"    if not isinstance(v, str):\n"
	"        v = v.decode('ascii')\n"
	"    return v\n"
	"def manylinux(arch):\n"
	"    try:\n"
	"        import _manylinux as m\n"
	"    except ImportError:\n"
	"        return None\n"
	"    r = {'answers': None}\n"
	"    for k in ('manylinux1', 'manylinux2010', 'manylinux2014'):\n"
	"        r[k] = tri(getattr(m, k + '_compatible')) if hasattr(m, k + '_compatible') else None\n"
	"    if hasattr(m, 'manylinux_compatible'):\n"
	"        g = glibc()\n"
	"        try:\n"
	"            top = int(g.split('.')[0]) if g else 2\n"
	"        except ValueError:\n"
	"            top = 2\n"
	"        r['answers'] = [[a, b, tri(m.manylinux_compatible(a, b, arch))]\n"
	"                        for a in range(2, max(top, 2) + 1) for b in range(51)]\n"
	"    return r\n"
	"def target():\n"
	"    for p in (getattr(sys, '_base_executable', None), sys.executable):\n"
	"        if p:\n"
	"            r = os.path.realpath(p)\n"
	"            if os.path.isfile(r) and os.access(r, os.X_OK):\n"
	"                return r\n"
	"    return None\n"
	"def main():\n"
	"    impl = getattr(sys, 'implementation', None)\n"
	"    cv = sysconfig.get_config_var\n"
	"    try:\n"
	"        from importlib.machinery import EXTENSION_SUFFIXES as sfx\n"
	"    except ImportError:\n"
	"        import imp\n"
	"        sfx = [s[0] for s in imp.get_suffixes() if s[2] == imp.C_EXTENSION]\n"
	"    mac = platform.mac_ver()\n"
	"    mv = mac[0]\n"
	"    if mv.split('.')[:2] == ['10', '16']:\n"
	"        import subprocess\n"
	"        mv = subprocess.Popen([sys.executable, '-sS', '-c', 'import platform; print(platform.mac_ver()[0])'],\n"
	"                              env={'SYSTEM_VERSION_COMPAT': '0'}, stdout=subprocess.PIPE,\n"
	"                              universal_newlines=True).communicate()[0].strip()\n"
	"    plat = sysconfig.get_platform()\n"
	"    is32 = sys.maxsize <= 2 ** 32\n"
	"    linux = plat.replace('.', '_').replace('-', '_')\n"
	"    if is32:\n"
	"        linux = {'linux_x86_64': 'linux_i686', 'linux_aarch64': 'linux_armv7l'}.get(linux, linux)\n"
	"    e = elf(sys.executable)\n"
	"    vp = '/@wbgen@'\n"
	"    sch = 'venv' if 'venv' in sysconfig.get_scheme_names() else ('posix_prefix' if os.name == 'posix' else 'nt')\n"
	"    ps = sysconfig.get_paths(sch, vars={'base': vp, 'platbase': vp, 'installed_base': vp, 'installed_platbase': vp})\n"
	"    rel = dict((k, ps[k][len(vp) + 1:] if ps.get(k, '').startswith(vp + '/') else ('' if ps.get(k) == vp else None))\n"
	"               for k in ('purelib', 'platlib', 'scripts', 'data', 'include'))\n"
	"    if sch != 'venv':\n"
	"        rel['include'] = 'include'\n"
	"    venv = {'base_executable': getattr(sys, '_base_executable', None) or sys.executable,\n"
	"            'real_executable': os.path.realpath(sys.executable),\n"
	"            'base_prefix': getattr(sys, 'base_prefix', sys.prefix), 'prefix': sys.prefix,\n"
	"            'version': '%d.%d.%d' % tuple(sys.version_info[:3]),\n"
	"            'version_short': '%d.%d' % tuple(sys.version_info[:2]),\n"
	"            'lib64': sys.maxsize > 2 ** 32 and os.name == 'posix' and sys.platform != 'darwin',\n"
	"            'scheme': sch, 'paths': rel}\n"
	"    ext = cv('EXT_SUFFIX')\n"
	"    out = {\n"
	"        'wbgen_query': 1,\n"
	"        'executable': sys.executable,\n"
	"        'target': target(),\n"
	"        'markers': {\n"
	"            'implementation_name': impl.name if impl else '',\n"
	"            'implementation_version': fullver(impl.version) if impl else '0',\n"
	"            'os_name': os.name,\n"
	"            'platform_machine': platform.machine(),\n"
	"            'platform_release': platform.release(),\n"
	"            'platform_system': platform.system(),\n"
	"            'platform_version': platform.version(),\n"
	"            'python_full_version': platform.python_version(),\n"
	"            'platform_python_implementation': platform.python_implementation(),\n"
	"            'python_version': '.'.join(platform.python_version_tuple()[:2]),\n"
	"            'sys_platform': sys.platform,\n"
	"        },\n"
	"        'tags': {\n"
	"            'impl_name': impl.name if impl else platform.python_implementation().lower(),\n"
	"            'version': list(sys.version_info[:2]),\n"
	"            'py_version_nodot': cv('py_version_nodot'),\n"
	"            'py_debug': tri(cv('Py_DEBUG')),\n"
	"            'has_gettotalrefcount': hasattr(sys, 'gettotalrefcount'),\n"
	"            'ext_d_pyd': '_d.pyd' in sfx,\n"
	"            'with_pymalloc': tri(cv('WITH_PYMALLOC')),\n"
	"            'unicode_size': cv('Py_UNICODE_SIZE'),\n"
	"            'maxunicode_wide': sys.maxunicode == 0x10FFFF,\n"
	"            'ext_suffix': ext if isinstance(ext, str) else None,\n"
	"            'system': platform.system(),\n"
	"            'platform': plat,\n"
	"            'is_32bit': is32,\n"
	"            'glibc_version': glibc(),\n"
	"            'musl': musl(e),\n"
	"            'elf': e and dict((k, e[k]) for k in ('class', 'data', 'machine', 'flags')),\n"
	"            'mac_version': mv,\n"
	"            'mac_arch': mac[2],\n"
	"            'manylinux_module': manylinux(linux.split('_', 1)[-1]),\n"
	"        },\n"
	"        'soabi': cv('SOABI'),\n"
	"        'abiflags': getattr(sys, 'abiflags', None),\n"
	"        'pointer_size': struct.calcsize('P'),\n"
	"        'venv': venv,\n"
	"    }\n"
	"    sys.stdout.write(json.dumps(out, sort_keys=True) + '\\n')\n"
	"main()\n";

void pyenv_init(struct pyenv *pe)
{
	memset(pe, 0, sizeof(*pe));
	tag_list_init(&pe->tags);
}

void pyenv_release(struct pyenv *pe)
{
	size_t i;

	free(pe->executable);
	free(pe->realpath);
	free(pe->target);
	free(pe->note);
	free(pe->version);
	for (i = 0; i < MV__COUNT; i++)
		free(pe->markers.values[i]);
	tag_list_release(&pe->tags);
	if (pe->answer)
		json_decref(pe->answer);
	pyenv_init(pe);
}

static int is_exec_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* path made absolute against the current directory (symbolic links kept); allocated. */
static char *absolute_path(const char *path)
{
	char *cwd, *r;

	if (path[0] == '/')
		return xstrdup(path);
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return xstrdup(path);
	r = xasprintf("%s/%s", cwd, path);
	free(cwd);
	return r;
}

int pyenv_find(const char *python, struct buf *out, struct buf *err)
{
	const char *path, *p, *e;
	struct stat st;

	if (!*python) {
		buf_addf(err, "empty python interpreter name");
		return -1;
	}
	if (strchr(python, '/')) {
		if (stat(python, &st) != 0) {
			buf_addf(err, "python interpreter '%s' not found: %s", python, strerror(errno));
			return -1;
		}
		if (!S_ISREG(st.st_mode) || access(python, X_OK) != 0) {
			buf_addf(err, "python interpreter '%s' is not an executable file", python);
			return -1;
		}
		buf_adds(out, python);
		return 0;
	}
	path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = e + 1) {
		size_t mark = out->len;

		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		if (e == p)
			buf_addch(out, '.');
		else
			buf_add(out, p, e - p);
		buf_addf(out, "/%s", python);
		if (is_exec_file(out->s))
			return 0;
		buf_setlen(out, mark);
		if (!*e)
			break;
	}
	buf_addf(err, "python interpreter '%s' not found on PATH", python);
	return -1;
}

/* ---- running the query */

/* Run path with args, collecting stdout and stderr; *status is the wait status. */
static int run_capture(const char *path, char *const argv[], struct buf *out, struct buf *errout, int *status,
		       struct buf *err)
{
	struct child_process cp;

	child_process_init(&cp);
	cp.argv = (const char *const *)argv;
	cp.no_stdin = 1;
	if (pipe_command(&cp, out, errout) < 0) {
		if (cp.pid < 0)
			buf_addf(err, "cannot run python interpreter '%s': %s", path, strerror(errno));
		else
			buf_addf(err, "cannot wait for python interpreter '%s': %s", path, strerror(errno));
		return -1;
	}
	*status = cp.status;
	return 0;
}

/* The last non-empty line of s (for error messages), into out. */
static void last_line(const char *s, struct buf *out)
{
	const char *end = s + strlen(s), *start;

	while (end > s && ascii_isspace((unsigned char)end[-1]))
		end--;
	for (start = end; start > s && start[-1] != '\n'; start--)
		;
	buf_add(out, start, end - start);
}

json_t *pyenv_query(const char *path, struct buf *err)
{
	char *argv_i[] = { (char *)path, "-I", "-c", (char *)query_script, NULL };
	char *argv_es[] = { (char *)path, "-E", "-s", "-c", (char *)query_script, NULL };
	struct buf out = BUF_INIT, errout = BUF_INIT;
	json_error_t jerr;
	json_t *answer;
	int status;

	if (run_capture(path, argv_i, &out, &errout, &status, err))
		goto fail;
	/* Python 2 has no -I: "Unknown option: -I", exit status 2 */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2 && strstr(errout.s, "-I")) {
		buf_reset(&out);
		buf_reset(&errout);
		if (run_capture(path, argv_es, &out, &errout, &status, err))
			goto fail;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status))
			buf_addf(err, "python interpreter '%s' failed (exit status %d)", path, WEXITSTATUS(status));
		else
			buf_addf(err, "python interpreter '%s' killed by signal %d", path,
				 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		if (errout.len) {
			buf_adds(err, ": ");
			last_line(errout.s, err);
		}
		goto fail;
	}
	answer = json_loadb(out.s, out.len, 0, &jerr);
	if (!answer || !json_is_object(answer) || json_integer_value(json_object_get(answer, "wbgen_query")) != 1) {
		buf_addf(err, "bad output from python interpreter '%s': %s", path,
			 answer ? "not a query answer" : jerr.text);
		if (answer)
			json_decref(answer);
		goto fail;
	}
	buf_release(&out);
	buf_release(&errout);
	return answer;
fail:
	buf_release(&out);
	buf_release(&errout);
	return NULL;
}

/* ---- the answer */

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int jtri(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return -1;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v))
		return *json_string_value(v) != 0;
	return 1;
}

static int jint(json_t *o, const char *key, int dflt)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < INT_MIN || json_integer_value(v) > INT_MAX)
		return dflt;
	return (int)json_integer_value(v);
}

static int jint_at(json_t *a, size_t i, int dflt)
{
	json_t *v = json_array_get(a, i);

	if (!json_is_integer(v) || json_integer_value(v) < -1 || json_integer_value(v) > 1000000)
		return dflt;
	return (int)json_integer_value(v);
}

int pyenv_tag_facts(json_t *answer, struct tag_facts *f, struct tag_glibc_answer **answers, struct buf *err)
{
	json_t *t = json_object_get(answer, "tags"), *v, *ml;
	size_t i;

	tag_facts_init(f);
	*answers = NULL;
	if (!json_is_object(t)) {
		buf_addf(err, "query answer without tag facts");
		return -1;
	}
	f->impl_name = jstr(t, "impl_name");
	v = json_object_get(t, "version");
	f->major = jint_at(v, 0, -1);
	f->minor = jint_at(v, 1, -1);
	f->py_version_nodot = jstr(t, "py_version_nodot");
	f->py_debug = jtri(t, "py_debug");
	f->has_gettotalrefcount = jtri(t, "has_gettotalrefcount") == 1;
	f->ext_d_pyd = jtri(t, "ext_d_pyd") == 1;
	f->with_pymalloc = jtri(t, "with_pymalloc");
	f->unicode_size = jint(t, "unicode_size", -1);
	f->maxunicode_wide = jtri(t, "maxunicode_wide") == 1;
	f->ext_suffix = jstr(t, "ext_suffix");
	f->system = jstr(t, "system");
	f->platform = jstr(t, "platform");
	f->is_32bit = jtri(t, "is_32bit") == 1;
	f->glibc_version = jstr(t, "glibc_version");
	v = json_object_get(t, "musl");
	if (json_is_array(v)) {
		f->musl_major = jint_at(v, 0, -1);
		f->musl_minor = jint_at(v, 1, -1);
		if (f->musl_minor < 0)
			f->musl_major = -1;
	}
	v = json_object_get(t, "elf");
	if (json_is_object(v)) {
		f->elf_class = jint(v, "class", 0);
		f->elf_data = jint(v, "data", 0);
		f->elf_machine = jint(v, "machine", 0);
		f->elf_flags = (unsigned long)json_integer_value(json_object_get(v, "flags"));
	}
	f->mac_version = jstr(t, "mac_version");
	f->mac_arch = jstr(t, "mac_arch");
	ml = json_object_get(t, "manylinux_module");
	if (json_is_object(ml)) {
		static const char *const legacy[3] = { "manylinux1", "manylinux2010", "manylinux2014" };
		json_t *a = json_object_get(ml, "answers");

		f->ml_module = 1;
		for (i = 0; i < 3; i++)
			f->ml_legacy[i] = jtri(ml, legacy[i]);
		if (json_is_array(a)) {
			f->ml_has_fn = 1;
			*answers = xreallocarray(NULL, json_array_size(a) + 1, sizeof(**answers));
			for (i = 0; i < json_array_size(a); i++) {
				json_t *e = json_array_get(a, i);
				json_t *r = json_array_get(e, 2);

				(*answers)[i].major = jint_at(e, 0, -1);
				(*answers)[i].minor = jint_at(e, 1, -1);
				(*answers)[i].result = json_is_null(r) || !r ? -1 : json_is_true(r) ||
					(json_is_integer(r) && json_integer_value(r) != 0);
			}
			f->ml_answers = *answers;
			f->ml_nanswers = json_array_size(a);
		}
	}
	return 0;
}

int pyenv_from_answer(struct pyenv *pe, json_t *answer, struct buf *err)
{
	json_t *m = json_object_get(answer, "markers");
	struct tag_glibc_answer *answers = NULL;
	struct tag_facts f;
	size_t i;
	int ret;

	if (!json_is_object(m)) {
		buf_addf(err, "query answer without markers");
		return -1;
	}
	for (i = 0; i < MV__COUNT; i++) {
		const char *s = jstr(m, marker_var_name(i));

		if (!s) {
			buf_addf(err, "query answer without marker '%s'", marker_var_name(i));
			return -1;
		}
	}
	if (pyenv_tag_facts(answer, &f, &answers, err))
		return -1;
	ret = tags_compute(&f, &pe->tags, err);
	free(answers);
	if (ret)
		return -1;
	for (i = 0; i < MV__COUNT; i++) {
		free(pe->markers.values[i]);
		pe->markers.values[i] = xstrdup(jstr(m, marker_var_name(i)));
	}
	free(pe->version);
	pe->version = xstrdup(pe->markers.values[MV_PYTHON_FULL_VERSION]);
	if (pe->answer)
		json_decref(pe->answer);
	pe->answer = json_incref(answer);
	return 0;
}

/* ---- the cache */

/* A "#!" script (a pyenv shim, a wrapper) may run a different interpreter each time: never cached. */
static int is_script(const char *path)
{
	char magic[2];
	int fd = open(path, O_RDONLY | O_CLOEXEC), script;

	if (fd < 0)
		return 1;
	script = read(fd, magic, 2) != 2 || (magic[0] == '#' && magic[1] == '!');
	close(fd);
	return script;
}

int pyenv_default_cache_dir(struct buf *out)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (x && x[0] == '/') {
		buf_addf(out, "%s/wbgen", x);
		return 0;
	}
	if (home && *home) {
		buf_addf(out, "%s/.cache/wbgen", home);
		return 0;
	}
	return -1;
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n--) {
		h ^= *p++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The key of the interpreter at path: its real path, size, mtime and the query's version. */
static json_t *cache_key(const char *path, struct buf *err)
{
	char *real = realpath(path, NULL);
	struct stat st;
	json_t *key;

	if (!real || stat(real, &st) != 0) {
		buf_addf(err, "cannot find python interpreter '%s': %s", path, strerror(errno));
		free(real);
		return NULL;
	}
	key = json_pack("{s:s, s:I, s:I, s:I, s:i, s:I}", "realpath", real, "size", (json_int_t)st.st_size,
			"mtime", (json_int_t)st.st_mtim.tv_sec, "mtime_ns", (json_int_t)st.st_mtim.tv_nsec,
			"query_version", QUERY_VERSION,
			"query_hash", (json_int_t)(fnv1a(14695981039346656037ULL, query_script,
							 sizeof(query_script)) >> 1));
	free(real);
	if (!key)
		BUG("cannot build the cache key");
	return key;
}

static void cache_path_of(const char *cache_dir, json_t *key, struct buf *out)
{
	const char *real = jstr(key, "realpath");

	buf_addf(out, "%s/python-%016llx.json", cache_dir,
		 (unsigned long long)fnv1a(14695981039346656037ULL, real, strlen(real)));
}

int pyenv_cache_path(const char *cache_dir, const char *path, struct buf *out, struct buf *err)
{
	json_t *key = cache_key(path, err);

	if (!key)
		return -1;
	cache_path_of(cache_dir, key, out);
	json_decref(key);
	return 0;
}

/* The cached answer for key, or NULL (missing, stale or unreadable: all mean "ask again"). */
static json_t *cache_read(const char *file, json_t *key)
{
	json_t *doc = json_load_file(file, 0, NULL), *answer;

	if (!doc)
		return NULL;
	answer = json_object_get(doc, "answer");
	if (!json_equal(json_object_get(doc, "key"), key) || !json_is_object(answer)) {
		json_decref(doc);
		return NULL;
	}
	json_incref(answer);
	json_decref(doc);
	return answer;
}

static int mkdir_p(const char *dir)
{
	char *d = xstrdup(dir), *p;
	int ret = 0;

	for (p = d + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		{
			char c = *p;

			*p = '\0';
			if (mkdir(d, 0777) != 0 && errno != EEXIST)
				ret = -1;
			*p = c;
		}
		if (!*p || ret)
			break;
	}
	free(d);
	return ret;
}

/* Write the answer under key atomically (temp file + rename). */
static int cache_write(const char *cache_dir, const char *file, json_t *key, json_t *answer)
{
	json_t *doc = json_pack("{s:O, s:O}", "key", key, "answer", answer);
	char *tmp = xasprintf("%s.XXXXXX", file), *text;
	size_t len;
	int fd, ret = -1;

	if (mkdir_p(cache_dir) != 0)
		goto out;
	fd = mkstemp(tmp);
	if (fd < 0)
		goto out;
	text = json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(1));
	len = text ? strlen(text) : 0;
	if (text && write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0) {
		if (close(fd) == 0 && rename(tmp, file) == 0)
			ret = 0;
	} else {
		close(fd);
	}
	free(text);
	if (ret)
		unlink(tmp);
out:
	if (ret)
		warn("cannot write the interpreter cache '%s': %s", file, strerror(errno));
	free(tmp);
	json_decref(doc);
	return ret;
}

/* Fill pe (initialised) from the interpreter at path: its cached answer, else a query. */
static int load_answer(struct pyenv *pe, const char *path, const char *cache_dir, struct buf *err)
{
	struct buf file = BUF_INIT;
	json_t *key, *answer = NULL;
	int ret = -1;

	pe->executable = xstrdup(path);
	key = cache_key(path, err);
	if (!key)
		goto out;
	pe->realpath = xstrdup(jstr(key, "realpath"));
	if (cache_dir && is_script(path))
		cache_dir = NULL;
	if (cache_dir) {
		cache_path_of(cache_dir, key, &file);
		answer = cache_read(file.s, key);
		pe->from_cache = answer != NULL;
	}
	if (!answer) {
		answer = pyenv_query(path, err);
		if (!answer)
			goto out;
	}
	if (pyenv_from_answer(pe, answer, err)) {
		struct buf msg = BUF_INIT;

		buf_addf(&msg, "bad output from python interpreter '%s': %s", path, err->s);
		buf_reset(err);
		buf_add(err, msg.s, msg.len);
		buf_release(&msg);
		goto out;
	}
	if (cache_dir && !pe->from_cache)
		cache_write(cache_dir, file.s, key, answer);
	ret = 0;
out:
	if (answer)
		json_decref(answer);
	if (key)
		json_decref(key);
	buf_release(&file);
	return ret;
}

/* Non-zero when a and b have the same marker environment and tags. */
static int same_target(const struct pyenv *a, const struct pyenv *b)
{
	size_t i;

	for (i = 0; i < MV__COUNT; i++)
		if (strcmp(a->markers.values[i], b->markers.values[i]) != 0)
			return 0;
	if (a->tags.nr != b->tags.nr)
		return 0;
	for (i = 0; i < a->tags.nr; i++)
		if (strcmp(a->tags.v[i], b->tags.v[i]) != 0)
			return 0;
	return 1;
}

/* pe->target: the answer's real interpreter when it runs on its own as the same interpreter (asked
 * once, through the cache, when it is another file than the one given), else the given path with
 * pe->note saying why. */
static void pick_target(struct pyenv *pe, const char *cache_dir)
{
	const char *t = jstr(pe->answer, "target");
	struct buf err = BUF_INIT;
	struct pyenv real;

	if (!t || !*t) {
		pe->note = xasprintf("python interpreter '%s' names no executable of its own (sys.executable "
				     "is empty): it is run as given", pe->executable);
	} else if (t[0] != '/' || !is_exec_file(t)) {
		pe->note = xasprintf("python interpreter '%s' names '%s' as its executable, which is not an "
				     "executable file: it is run as given", pe->executable, t);
	} else if (strcmp(t, pe->realpath) == 0) {
		pe->target = xstrdup(t);
	} else {
		pyenv_init(&real);
		if (load_answer(&real, t, cache_dir, &err))
			pe->note = xasprintf("python interpreter '%s' runs '%s', which does not run on its own "
					     "(%s): it is run as given", pe->executable, t, err.s);
		else if (!same_target(pe, &real))
			pe->note = xasprintf("python interpreter '%s' runs '%s', whose marker environment or tags "
					     "differ when run on its own: it is run as given", pe->executable, t);
		else
			pe->target = xstrdup(t);
		pyenv_release(&real);
	}
	if (!pe->target)
		pe->target = absolute_path(pe->executable);
	buf_release(&err);
}

int pyenv_load(struct pyenv *pe, const char *python, const char *cache_dir, struct buf *err)
{
	struct buf path = BUF_INIT;
	int ret = -1;

	pyenv_init(pe);
	if (!python) {
		struct buf found = BUF_INIT, ignored = BUF_INIT;

		python = pyenv_find("python3", &found, &ignored) == 0 ? "python3" : WBGEN_PYTHON3;
		buf_release(&found);
		buf_release(&ignored);
	}
	if (pyenv_find(python, &path, err) == 0 && load_answer(pe, path.s, cache_dir, err) == 0) {
		pick_target(pe, cache_dir);
		ret = 0;
	}
	if (ret)
		pyenv_release(pe);
	buf_release(&path);
	return ret;
}

json_t *pyenv_to_json(const struct pyenv *pe)
{
	json_t *o = json_object(), *m = json_object(), *t = json_array();
	const char *used;
	size_t i;

	for (i = 0; i < MV__COUNT; i++)
		json_object_set_new(m, marker_var_name(i),
				    pe->markers.values[i] ? json_string(pe->markers.values[i]) : json_null());
	for (i = 0; i < pe->tags.nr; i++)
		json_array_append_new(t, json_string(pe->tags.v[i]));
	used = pe->target ? pe->target : pe->executable;
	json_object_set_new(o, "executable", used ? json_string(used) : json_null());
	json_object_set_new(o, "given", pe->executable ? json_string(pe->executable) : json_null());
	json_object_set_new(o, "version", pe->version ? json_string(pe->version) : json_null());
	json_object_set_new(o, "markers", m);
	json_object_set_new(o, "tags", t);
	if (pe->note)
		json_object_set_new(o, "note", json_string(pe->note));
	return o;
}
