/* names.c: placeholder, written by the module owner. */
#include "names.h"
typedef int names_placeholder;
