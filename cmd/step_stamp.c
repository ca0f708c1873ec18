/* step_stamp.c: stamps and fingerprints (see step_stamp.h). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "sha256.h"
#include "step_stamp.h"
#include "util.h"

void step_fingerprint(struct buf *out, const char *const *parts)
{
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_SIZE];

	sha256_init(&c);
	for (; *parts; parts++)
		sha256_update(&c, *parts, strlen(*parts) + 1);
	sha256_final(&c, d);
	buf_setlen(out, 0);
	sha256_hex(d, out);
}

void step_unpack_fingerprint(json_t *pkg, struct buf *out)
{
	const char *sdist = json_string_value(json_object_get(pkg, "sdist_sha256"));
	char *patches = json_dumps(json_object_get(pkg, "patches"), JSON_COMPACT | JSON_ENCODE_ANY);
	const char *parts[] = { sdist ? sdist : "", patches, NULL };

	step_fingerprint(out, parts);
	free(patches);
}

char *step_read_text(const char *path)
{
	struct buf b = BUF_INIT;

	if (buf_read_file(&b, path) < 0) {
		buf_release(&b);
		return xstrdup("");
	}
	return buf_detach(&b, NULL);
}

void step_stamp_write(const char *target, const char *fp, const char *extra, int sync)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "fingerprint %s\n%s", fp, extra ? extra : "");
	if (write_file(target, b.s, b.len, sync ? 0 : WRITE_NOSYNC) < 0)
		die("cannot write '%s':", target);
	buf_release(&b);
}

int step_stamp_fresh(const char *target, const char *fp)
{
	char *old = NULL;
	int same = step_stamp_get(target, "fingerprint", &old) == 0 && strcmp(old, fp) == 0;

	free(old);
	if (!same)
		return 0;
	if (utimensat(AT_FDCWD, target, NULL, 0) < 0)
		die("cannot touch '%s':", target);
	return 1;
}

int step_stamp_get(const char *path, const char *key, char **value)
{
	struct buf b = BUF_INIT;
	size_t klen = strlen(key);
	char *p;

	*value = NULL;
	if (buf_read_file(&b, path) < 0) {
		buf_release(&b);
		return -1;
	}
	for (p = b.s; *p; ) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		/* "key value", or "# key value" in a makefile fragment */
		if (p[0] == '#' && p[1] == ' ') {
			p += 2;
			len -= 2;
		}
		if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			*value = xstrndup(p + klen + 1, len - klen - 1);
			break;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	buf_release(&b);
	return *value ? 0 : -1;
}

void step_stamp_pins(const char *stamp, const struct strlist *not, struct strlist *out)
{
	struct buf b = BUF_INIT;
	char *line, *next;

	if (buf_read_file(&b, stamp) < 0)
		return;
	for (line = b.s; line && *line; line = next) {
		char *sp = strchr(line, ' '), *dash;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!sp || starts_with(line, "fingerprint ") || !strchr(sp + 1, ' '))
			continue;
		*sp = '\0';
		dash = strrchr(line, '-');
		if (!dash || (not && strlist_find(not, line) >= 0))
			continue;
		strlist_add_owned(out, xasprintf("%.*s==%s", (int)(dash - line), line, dash + 1));
	}
	strlist_sort(out);
	buf_release(&b);
}

int step_newer(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(b, &sb) < 0)
		return 1;
	if (stat(a, &sa) < 0)
		return 0;
	return sa.st_mtim.tv_sec > sb.st_mtim.tv_sec ||
	       (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec);
}
