/* tags.c: placeholder, written by the module owner. */
#include "tags.h"
typedef int tags_placeholder;
