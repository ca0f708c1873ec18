/* pyenv.h: the target interpreter. It is asked once (a small script run with `python -I -c`) for its
 * PEP 508 marker environment and the facts that decide its compatibility tags; the answer is cached as
 * JSON, keyed by the interpreter's real path, size and modification time, so later runs spawn no Python.
 * The answer's "target" is the real interpreter (the real path of sys._base_executable, else of
 * sys.executable): a venv's python, a shim or a wrapper script are resolved to what they run.
 * The answer's "venv" object holds what venv.c needs: sys._base_executable, realpath(sys.executable),
 * base_prefix, the version, whether venv makes lib64, and the venv scheme's purelib, platlib, scripts,
 * data and include paths relative to the environment (sysconfig's "venv" scheme, else posix_prefix). */
#ifndef WBGEN_PYENV_H
#define WBGEN_PYENV_H

#include <jansson.h>

#include "buf.h"
#include "marker.h"
#include "tags.h"

struct pyenv {
	char *executable;         /* the interpreter as given, found (PATH lookup, symlinks kept) */
	char *realpath;           /* its real path (the cache key) */
	char *target;             /* what runs: the real interpreter that executable runs (no wrapper,
				   * no venv, no symlink), else executable made absolute (see note) */
	char *note;               /* why target is executable as given, or NULL */
	char *version;            /* python_full_version, e.g. "3.11.2" */
	struct marker_env markers;
	struct tag_list tags;     /* supported tags, most preferred first */
	json_t *answer;           /* the query script's answer (owned reference) */
	int from_cache;           /* the answer came from the cache */
};


/* Set up an empty pyenv (no allocation). */
void pyenv_init(struct pyenv *pe);
/* Free everything pe owns; it is empty afterwards. */
void pyenv_release(struct pyenv *pe);
/* Describe the interpreter 'python' (a name looked up on PATH, or a path containing '/').
 * python NULL means python3 on PATH, else the python3 configure found (WBGEN_PYTHON3).
 * cache_dir: where answers are cached (created if needed), NULL for no cache. "#!" wrappers such as
 * pyenv shims may run a different interpreter each time: their answers are never cached.
 * pe->target is the real interpreter; when it is another file than python's real path, it is asked
 * too (through the cache) and kept only if it runs on its own with the same markers and tags.
 * Returns 0, or -1 with a one-line message in err (pe is then empty). */
int pyenv_load(struct pyenv *pe, const char *python, const char *cache_dir, struct buf *err);
/* Fill pe's markers, version and tags from a query answer (borrowed; pe takes its own reference).
 * Returns 0, or -1 with a message in err. */
int pyenv_from_answer(struct pyenv *pe, json_t *answer, struct buf *err);
/* The query answer of an interpreter at path, by running it (no cache). New reference or NULL with err set. */
json_t *pyenv_query(const char *path, struct buf *err);
/* Find python (a name on PATH or a path with '/'), checking that it is an executable file; the path goes
 * to out. Returns 0, or -1 with a message in err. */
int pyenv_find(const char *python, struct buf *out, struct buf *err);
/* The cache file for the interpreter at path under cache_dir (appended to out), from its real path,
 * size and mtime. Returns 0, or -1 with a message in err (the interpreter cannot be stat'ed). */
int pyenv_cache_path(const char *cache_dir, const char *path, struct buf *out, struct buf *err);
/* The default cache directory ($XDG_CACHE_HOME/wbgen or ~/.cache/wbgen) appended to out; -1 when
 * neither variable is usable. */
int pyenv_default_cache_dir(struct buf *out);
/* Fill f from the "tags" object of a query answer; strings are borrowed from answer, *answers (the
 * _manylinux answers, if any) is allocated and must be freed by the caller. Returns 0, or -1 with err. */
int pyenv_tag_facts(json_t *answer, struct tag_facts *f, struct tag_glibc_answer **answers, struct buf *err);
/* A JSON description of pe: executable (the target), given, version, markers, tags, and note when
 * there is one. New reference. */
json_t *pyenv_to_json(const struct pyenv *pe);

#endif
