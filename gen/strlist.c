/* strlist.c: a list of owned strings (see strlist.h). */
#include <stdlib.h>
#include <string.h>

#include "strlist.h"
#include "util.h"

void strlist_init(struct strlist *l)
{
	l->v = NULL;
	l->n = l->alloc = 0;
}

void strlist_release(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	strlist_init(l);
}

void strlist_add_owned(struct strlist *l, char *s)
{
	GROW(l->v, l->alloc, l->n + 1);
	l->v[l->n++] = s;
}

void strlist_add(struct strlist *l, const char *s)
{
	strlist_add_owned(l, xstrdup(s));
}

long strlist_find(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return (long)i;
	return -1;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *l)
{
	if (l->n > 1)
		QSORT(l->v, l->n, cmp);
}
