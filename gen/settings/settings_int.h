/* settings_int.h: internal to the settings module (included only by the .c files of gen/settings/ and by its
 * unit test). settings_yaml.c: a YAML document (libyaml) as a small tree of nodes with positions, and the
 * YAML 1.1 resolution of plain scalars as PyYAML's safe_load does it (null, bool, int, float, str);
 * settings_types.c: typed reading of those nodes for the settings schema. settings.c reads and checks the
 * files with them; settings_query.c (the effective settings of a version, env expansion, patches, the
 * canonical JSON form) and settings_build.c (pkg.json's build side, job counts) need only settings.h. */
#ifndef WBGEN_SETTINGS_INT_H
#define WBGEN_SETTINGS_INT_H

#include <stddef.h>

#include "buf.h"
#include "settings/settings.h"
#include "strlist.h"

/* settings_yaml.c */

enum ynode_kind { YN_SCALAR, YN_SEQ, YN_MAP };

/* What a scalar resolves to. */
enum yscalar {
	YS_STR,       /* quoted, !!str, or a plain scalar that is none of the below */
	YS_NULL,      /* ~, null, empty */
	YS_BOOL,      /* yes/no/true/false/on/off in YAML 1.1's three spellings */
	YS_INT,       /* decimal: [-+]?(0|[1-9][0-9_]*) */
	YS_INT_OTHER, /* binary, 0-octal, hex, sexagesimal */
	YS_FLOAT      /* with a dot, .inf, .nan */
};

struct ynode {
	enum ynode_kind kind;
	char *text;               /* scalars: the value (owned) */
	enum yscalar type;        /* scalars */
	int bool_value;           /* YS_BOOL */
	unsigned long line, col;  /* 1-based position of the node's start */
	struct ynode **kids;      /* sequences: items; mappings: key, value, key, value ... (borrowed) */
	size_t n, alloc;
};

/* A loaded document: owns every node. */
struct ydoc {
	struct ynode **all;
	size_t n, alloc;
	struct ynode *root;       /* NULL for an empty document */
};

/* Set up an empty document (no allocation). */
void ydoc_init(struct ydoc *d);
/* Parse text[0..len) (one document at most; aliases allowed, duplicate keys refused). Returns 0, or
 * -1 with "PATH:LINE:COL: message" in err. */
int ydoc_parse(struct ydoc *d, const char *path, const char *text, size_t len, struct buf *err);
/* Free every node. */
void ydoc_release(struct ydoc *d);
/* The value of key in mapping m, or NULL. */
struct ynode *ynode_get(const struct ynode *m, const char *key);

/* settings_types.c: typed reading for the settings schema. Each sy_get_* leaves *out alone when
 * the node is absent (NULL or null) and returns 0; -1 with "FILE:LINE:COL: 'key.path': reason" in c->err. */

/* Where errors are reported: the file being read. */
struct sctx {
	const char *file;
	struct buf *err;
};

/* Append "FILE:LINE:COL: " (n may be NULL: "FILE: ") and the message to c->err; returns -1. */
ATTR_PRINTF(3, 4) int sy_fail(struct sctx *c, const struct ynode *n, const char *fmt, ...);
/* Non-zero when n is missing or null. */
int sy_absent(const struct ynode *n);
/* "a mapping", "a list", "a string", ... for messages. */
const char *sy_kind_name(const struct ynode *n);
/* -1 unless n is a mapping. */
int sy_want_map(struct sctx *c, const struct ynode *n, const char *path);
/* Every key of mapping m is a string in the NULL-terminated allowed list; else "unknown key 'path.key'". */
int sy_check_keys(struct sctx *c, const struct ynode *m, const char *path, const char *const *allowed);
/* "path.key" (or "key" at the top), newly allocated. */
char *sy_subpath(const char *path, const char *key);
/* A string (replaces *out, which is owned). */
int sy_get_str(struct sctx *c, const struct ynode *n, const char *path, char **out);
/* A boolean as pydantic reads it leniently. */
int sy_get_bool(struct sctx *c, const struct ynode *n, const char *path, int *out);
/* A decimal integer >= min. */
int sy_get_long(struct sctx *c, const struct ynode *n, const char *path, long min, long *out);
/* A number >= min. */
int sy_get_double(struct sctx *c, const struct ynode *n, const char *path, double min, double *out);
/* A list of strings, appended to out. */
int sy_get_strlist(struct sctx *c, const struct ynode *n, const char *path, struct strlist *out);
/* A mapping of strings to strings, set into out. */
int sy_get_strmap(struct sctx *c, const struct ynode *n, const char *path, struct settings_kvlist *out);
/* fromager's env mapping (values converted as fromager does, "$(" refused), set into out. */
int sy_get_env(struct sctx *c, const struct ynode *n, const char *path, struct settings_kvlist *out);
/* A changelog: keys are versions (versions != 0) or variant names, values lists of strings. */
int sy_get_changelog(struct sctx *c, const struct ynode *n, const char *path, int versions,
		     struct settings_changelog *out);

#endif
