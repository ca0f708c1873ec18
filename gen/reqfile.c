/* reqfile.c: placeholder, written by the module owner. */
#include "reqfile.h"
typedef int reqfile_placeholder;
