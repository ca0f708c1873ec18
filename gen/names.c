/* names.c: project names (see names.h). */
#include <stdlib.h>
#include <string.h>

#include "names.h"

static int is_sep(int c)
{
	return c == '-' || c == '_' || c == '.';
}

int name_is_valid(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || !ascii_isalnum((unsigned char)name[0]) || !ascii_isalnum((unsigned char)name[len - 1]))
		return 0;
	for (i = 0; i < len; i++)
		if (!ascii_isalnum((unsigned char)name[i]) && !is_sep(name[i]))
			return 0;
	return 1;
}

void name_canonicalize_to(struct buf *out, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (is_sep(name[i])) {
			while (i + 1 < len && is_sep(name[i + 1]))
				i++;
			buf_addch(out, '-');
		} else {
			buf_addch(out, ascii_tolower((unsigned char)name[i]));
		}
	}
}

char *name_canonicalize(const char *name)
{
	struct buf b = BUF_INIT;

	name_canonicalize_to(&b, name, strlen(name));
	return buf_detach(&b, NULL);
}

int name_cmp(const char *a, const char *b)
{
	char *ca = name_canonicalize(a), *cb = name_canonicalize(b);
	int r = strcmp(ca, cb);

	free(ca);
	free(cb);
	return r;
}
