/* version.c: placeholder, written by the module owner. */
#include "version.h"
typedef int version_placeholder;
