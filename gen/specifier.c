/* specifier.c: placeholder, written by the module owner. */
#include "specifier.h"
typedef int specifier_placeholder;
