/* marker.h: PEP 508 environment markers. (Parser and evaluator: written by the module owner.)
 *
 * struct marker_env is the contract between gen/pyenv.c, which fills it once from the
 * target interpreter, and the marker evaluator. 'extra' is not part of it: the extras
 * requested for a package are passed at evaluation time.
 */
#ifndef WBGEN_MARKER_H
#define WBGEN_MARKER_H

enum marker_var {
	MV_PYTHON_VERSION,
	MV_PYTHON_FULL_VERSION,
	MV_OS_NAME,
	MV_SYS_PLATFORM,
	MV_PLATFORM_RELEASE,
	MV_PLATFORM_SYSTEM,
	MV_PLATFORM_VERSION,
	MV_PLATFORM_MACHINE,
	MV_PLATFORM_PYTHON_IMPLEMENTATION,
	MV_IMPLEMENTATION_NAME,
	MV_IMPLEMENTATION_VERSION,
	MV__COUNT
};

/* The marker variables of one interpreter; each value is an owned string (never NULL once filled). */
struct marker_env {
	char *values[MV__COUNT];
};

#endif
