/* step_stamp.h: the phases' targets (stamps) and the fingerprints of their inputs. A stamp is a
 * text file of "key value" lines, the first "fingerprint FP" (a sha256 hex of what the phase was
 * made from); others name what it made (wheel.stamp: "wheel FILE", "sha256 HEX", "dynamic 1";
 * discover.stamp and deps.stamp: "requires REQ" ...; the environment phases: "ID FILE SHA256" per
 * wheel installed). A phase whose stamp records the fingerprint of its inputs only touches it. */
#ifndef WBGEN_STEP_STAMP_H
#define WBGEN_STEP_STAMP_H

#include <jansson.h>

#include "buf.h"
#include "strlist.h"

/* The fingerprint of parts (NULL-terminated): the sha256 hex of each followed by a NUL, into out
 * (replacing its contents). */
void step_fingerprint(struct buf *out, const char *const *parts);
/* The fingerprint of what the unpack phase makes: the sdist's sha256 and the patches. */
void step_unpack_fingerprint(json_t *pkg, struct buf *out);
/* The text of the file at path, "" when it cannot be read (a part of a fingerprint). Newly
 * allocated. */
char *step_read_text(const char *path);
/* Write the stamp target: "fingerprint FP\n" then extra (NULL: nothing). Atomic always; flushed to
 * disk (sync) only when a torn copy after a power loss would not simply make its phase run again:
 * wheel.stamp, which the phases of other packages read. Dies when it cannot. */
void step_stamp_write(const char *target, const char *fp, const char *extra, int sync);
/* Non-zero when the stamp target records fingerprint fp: it is then touched (make sees it newer
 * than its prerequisites). */
int step_stamp_fresh(const char *target, const char *fp);
/* The value of the "key value" line of the stamp file at path (newly allocated). -1 when the
 * file or the key is missing. */
int step_stamp_get(const char *path, const char *key, char **value);
/* The NAME-VERSION ids of the "ID FILE SHA256" lines of stamp (those not in not, when non-NULL),
 * added to out as "NAME==VERSION", out sorted. Nothing when stamp cannot be read. */
void step_stamp_pins(const char *stamp, const struct strlist *not, struct strlist *out);
/* Non-zero when the file a is newer than b (or b is missing). */
int step_newer(const char *a, const char *b);

#endif
