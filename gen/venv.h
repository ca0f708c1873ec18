/* venv.h: virtual environments made in C the way `python -m venv --without-pip` makes them on POSIX
 * (CPython 3.11's layout and pyvenv.cfg), from one query of the base interpreter (pyenv.h). */
#ifndef WBGEN_VENV_H
#define WBGEN_VENV_H

#include <jansson.h>

#include "buf.h"
#include "wheel/wheel.h"

/* What venv needs from the interpreter (strings borrowed from the query answer). */
struct venv_facts {
	const char *executable;      /* sys.executable as started (the "command" line) */
	const char *base_executable; /* sys._base_executable: bin/<its name> links to it */
	const char *real_executable; /* realpath(sys.executable): pyvenv.cfg's "executable" */
	const char *version;         /* "3.11.2" */
	const char *version_short;   /* "3.11" */
	const char *purelib, *platlib, *scripts, *data, *include; /* venv scheme, relative */
	const char *impl_name;       /* "cpython" (NULL when the interpreter does not say) */
	const char *nodot;           /* "311" (NULL when the interpreter does not say) */
	int lib64;                   /* make lib64 -> lib */
	int gitignore;               /* write .gitignore (venv does since 3.13) */
};

/* Fill f from a pyenv query answer (borrowed). Returns 0, or -1 with a message in err. */
int venv_facts_from_answer(json_t *answer, struct venv_facts *f, struct buf *err);
/* Append the wheel store's key for environments of f to out: the implementation, its version and a
 * digest of the layout ("cpython-311-0123456789ab"): entries laid out and byte-compiled for one
 * interpreter serve every interpreter with that key. */
void venv_layout_key(const struct venv_facts *f, struct buf *out);
/* Append the pyvenv.cfg text for an environment at the absolute path dir to out. */
void venv_cfg_text(const struct venv_facts *f, const char *dir, struct buf *out);
/* Create the environment at dir (which must not exist): built in a temporary directory beside it,
 * then renamed into place. Returns 0, or -1 with a one-line message in err (nothing left behind). */
int venv_create(const struct venv_facts *f, const char *dir, struct buf *err);
/* Fill env (root, python, scheme paths) for the environment at dir from f; installer is borrowed.
 * Returns 0, or -1 with err when dir is not a directory. */
int venv_wheel_env(const struct venv_facts *f, const char *dir, const char *installer, struct wheel_env *env,
		   struct buf *err);

#endif
