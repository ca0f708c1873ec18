/* marker.c: placeholder, written by the module owner. */
#include "marker.h"
typedef int marker_placeholder;
