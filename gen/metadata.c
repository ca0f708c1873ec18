/* metadata.c: placeholder, written by the module owner. */
#include "metadata.h"
typedef int metadata_placeholder;
