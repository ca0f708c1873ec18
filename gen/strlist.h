/* strlist.h: a growable list of owned strings. */
#ifndef WBGEN_STRLIST_H
#define WBGEN_STRLIST_H

#include <stddef.h>

struct strlist {
	char **v;
	size_t n, alloc;
};

#define STRLIST_INIT { NULL, 0, 0 }

/* Set up an empty list (no allocation). */
void strlist_init(struct strlist *l);
/* Free the strings and the array. */
void strlist_release(struct strlist *l);
/* Append a copy of s. */
void strlist_add(struct strlist *l, const char *s);
/* Append s, taking ownership of it. */
void strlist_add_owned(struct strlist *l, char *s);
/* Index of the first string equal to s, or -1. */
long strlist_find(const struct strlist *l, const char *s);
/* Sort with strcmp (byte order, so the result does not depend on the locale). */
void strlist_sort(struct strlist *l);

#endif
