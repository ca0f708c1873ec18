/* requirement.c: placeholder, written by the module owner. */
#include "requirement.h"
typedef int requirement_placeholder;
