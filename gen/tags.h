/* tags.h: PEP 425 compatibility tags: compressed tag sets, the ordered list of tags an interpreter
 * supports (as packaging.tags.sys_tags() of packaging 23.0 computes it), and tag ranks for wheel selection. */
#ifndef WBGEN_TAGS_H
#define WBGEN_TAGS_H

#include <stddef.h>

#include "buf.h"

/* An ordered list of tags "interpreter-abi-platform" (lowercase), with a hash index for rank lookups. */
struct tag_list {
	char **v;       /* owned strings, in order of preference (most preferred first) */
	size_t nr, alloc;
	size_t *slots;  /* open addressing: index + 1 into v, 0 for an empty slot */
	size_t nslots;  /* a power of two, or 0 */
};

#define TAG_LIST_INIT { NULL, 0, 0, NULL, 0 }

/* Set up an empty list (no allocation). */
void tag_list_init(struct tag_list *l);
/* Free the tags and the index; the list is empty afterwards. */
void tag_list_release(struct tag_list *l);
/* Append interpreter-abi-platform (lowercased); a duplicate is appended but ranks at its first position. */
void tag_list_add(struct tag_list *l, const char *interpreter, const char *abi, const char *platform);
/* Position (rank, 0 = most preferred) of the tag "interpreter-abi-platform" (case-insensitive), or -1. */
long tag_list_rank(const struct tag_list *l, const char *tag);
/* Expand a compressed tag set ("py2.py3-none-any") into its product, appended to out without
 * duplicates (like packaging.tags.parse_tag). Returns 0, or -1 when it has not exactly three parts. */
int tag_set_expand(const char *compressed, struct tag_list *out);
/* Best (lowest) rank in l of any tag of a compressed tag set, or -1 when none is supported
 * or the set is malformed. */
long tag_list_best_rank(const struct tag_list *l, const char *compressed);

/* One answer of a _manylinux.manylinux_compatible(major, minor, arch) call. */
struct tag_glibc_answer {
	int major, minor;
	int result; /* -1 None, 0 False, 1 True */
};

/* What sys_tags() looks at in the interpreter. Strings are borrowed; NULL means unset / None. */
struct tag_facts {
	const char *impl_name;        /* sys.implementation.name: "cpython", "pypy", ... */
	int major, minor;             /* sys.version_info[:2] */
	const char *py_version_nodot; /* sysconfig.get_config_var("py_version_nodot") */
	int py_debug;                 /* Py_DEBUG truthiness: -1 None, 0, 1 */
	int has_gettotalrefcount;     /* hasattr(sys, "gettotalrefcount") */
	int ext_d_pyd;                /* "_d.pyd" in importlib.machinery.EXTENSION_SUFFIXES */
	int with_pymalloc;            /* WITH_PYMALLOC truthiness: -1 None, 0, 1 */
	int unicode_size;             /* Py_UNICODE_SIZE: -1 None */
	int maxunicode_wide;          /* sys.maxunicode == 0x10FFFF */
	const char *ext_suffix;       /* EXT_SUFFIX when it is a string */
	const char *system;           /* platform.system() */
	const char *platform;         /* sysconfig.get_platform() */
	int is_32bit;                 /* sys.maxsize <= 2**32 */
	const char *glibc_version;    /* packaging's _glibc_version_string(): "2.36", NULL when not glibc */
	int musl_major, musl_minor;   /* the musl loader's version, -1 when not musl */
	int elf_class, elf_data, elf_machine; /* ELF header of sys.executable, elf_class 0 when unreadable */
	unsigned long elf_flags;
	const char *mac_version;      /* platform.mac_ver()[0] (the real version when it says 10.16) */
	const char *mac_arch;         /* platform.mac_ver()[2] */
	int ml_module;                /* a _manylinux module is importable */
	int ml_has_fn;                /* it has manylinux_compatible() */
	const struct tag_glibc_answer *ml_answers; /* that function's answers, for the versions asked */
	size_t ml_nanswers;
	int ml_legacy[3];             /* manylinux1/2010/2014_compatible attributes: -1 absent, else truthiness */
};

/* Set f to "nothing known": NULL strings, -1 for the tri-state and version fields, 0 elsewhere. */
void tag_facts_init(struct tag_facts *f);
/* Append to out the tags supported by the interpreter described by f, most preferred first, exactly
 * as list(packaging.tags.sys_tags()) (packaging 23.0) would. Returns 0, or -1 with a message in err. */
int tags_compute(const struct tag_facts *f, struct tag_list *out, struct buf *err);

#endif
