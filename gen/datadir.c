/* datadir.c: where wbgen's data files are (see datadir.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "datadir.h"
#include "util.h"

char *wbgen_datadir(void)
{
	const char *dir = getenv("WBGEN_PKGDATADIR");
	char *self, *slash, *p;

	if (dir && *dir)
		return xstrdup(dir);
	/* run from its build tree (not installed): the rules beside the binary */
	self = realpath("/proc/self/exe", NULL);
	if (self && (slash = strrchr(self, '/'))) {
		*slash = '\0';
		p = xasprintf("%s/rules/wbgen.mk", self);
		if (access(p, R_OK) == 0) {
			free(p);
			p = xasprintf("%s/rules", self);
			free(self);
			return p;
		}
		free(p);
	}
	free(self);
	return xstrdup(WBGEN_PKGDATADIR);
}
