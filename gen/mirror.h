/* mirror.h: a static PEP 503 "simple" mirror of wheels, safe under concurrent publishers.
 *
 * Layout (one directory per project, self-contained, servable by any web server or file://):
 *   MIRROR/simple/index.html                 the root page: one link per project, "<name>/"
 *   MIRROR/simple/<canonical>/index.html     the project page: one link per wheel, sorted by
 *                                            filename, "FILE#sha256=HEX" relative hrefs,
 *                                            data-requires-python, and data-dist-info-metadata /
 *                                            data-core-metadata (PEP 658/714) for FILE.metadata
 *   MIRROR/simple/<canonical>/FILE.whl       the wheel (a hard link to the published file when
 *                                            the file system allows, else a copy)
 *   MIRROR/simple/<canonical>/FILE.whl.metadata   its METADATA, extracted (PEP 658), only with
 *                                            MIRROR_PEP658: pip 22.3 to 23.1 (Debian 12 has 23.0.1)
 *                                            reject a .metadata file whose Name is spelt otherwise
 *                                            than the requirement asking for it (pypa/pip#12108),
 *                                            so a mirror for those pips must not announce them
 *   MIRROR/.locks/p-<canonical>.lock, MIRROR/.locks/root.lock   flock(2) lock files (outside
 *                                      what the mirror serves)
 *
 * Concurrency: a publisher takes an exclusive flock on the project's lock, puts the wheel in
 * place (temporary name + rename), then rebuilds the project page from the directory listing
 * (every *.whl present, hashed afresh) and writes it atomically; then it does the same for the
 * root page under root.lock. Because each page is rebuilt from what is on disk under the lock,
 * no publisher can lose another's entry, and a reader (or a publisher killed at any moment) never
 * sees a half-written page: at worst a wheel is present but not yet listed, until the next
 * publish of that project. Pages and metadata files are rewritten only when their bytes change,
 * so re-publishing an identical wheel touches nothing (mtimes included).
 */
#ifndef WBGEN_MIRROR_H
#define WBGEN_MIRROR_H

#include <stddef.h>

#include "buf.h"

/* One file of a project page. Strings borrowed from the caller. */
struct mirror_file {
	const char *filename;        /* the wheel's basename */
	const char *sha256;          /* lowercase hex digest of the wheel */
	const char *requires_python; /* Requires-Python of its METADATA, NULL when none */
	const char *metadata_sha256; /* hex digest of FILE.metadata, NULL when there is none */
};

/* Append the PEP 503 page of project 'name' listing files[0..nr) (in filename order, whatever
 * the order given) to out. */
void mirror_project_page(struct buf *out, const char *name, const struct mirror_file *files, size_t nr);
/* Append the root page listing the projects names[0..nr) (sorted bytewise, whatever the order
 * given) to out. */
void mirror_root_page(struct buf *out, const char *const *names, size_t nr);
/* Append s to out with &, <, >, " and ' escaped for HTML text and attribute values. */
void html_escape_to(struct buf *out, const char *s);
/* Append s to out percent-encoded for a relative URL path segment (unreserved, '+' and '!' kept). */
void url_path_escape_to(struct buf *out, const char *s);

/* Read the METADATA file of the wheel at path (the only top-level *.dist-info/METADATA) into out.
 * Returns 0, or -1 with a one-line message in err. */
int wheel_metadata_read(const char *path, struct buf *out, struct buf *err);
/* Non-zero when files a and b both exist and hold the same bytes. */
int files_identical(const char *a, const char *b);

/* What mirror_publish did with the wheel. */
enum mirror_action { MIRROR_ADDED, MIRROR_UNCHANGED, MIRROR_REPLACED };
/* Flags of mirror_publish. */
enum mirror_flags {
	MIRROR_PEP658 = 1 /* also write FILE.metadata (then announced by the page) */
};
/* Publish the wheel at 'wheel' into the mirror rooted at 'mirror' (see above): under the
 * project's lock, put it in place, then rewrite the project page and the root page. Returns 0
 * with *action set, or -1 with a one-line message in err. */
int mirror_publish(const char *mirror, const char *wheel, unsigned flags, enum mirror_action *action,
		   struct buf *err);

#endif
