/* settings_yaml.h: a YAML document (libyaml) as a small tree of nodes with positions, and the
 * YAML 1.1 resolution of plain scalars as PyYAML's safe_load does it (null, bool, int, float, str).
 * Internal to the settings module.
 */
#ifndef WBGEN_SETTINGS_YAML_H
#define WBGEN_SETTINGS_YAML_H

#include <stddef.h>

#include "buf.h"

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

#endif
