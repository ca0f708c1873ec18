/* jsonw.h: JSON text of a jansson value, byte for byte what json_dumps(v, JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) writes, but straight into a struct buf: jansson's dumper checks every
 * array and object for reference loops through a hash table and writes through a callback, which
 * made most of the cost of the plan files at 10,000 packages. */
#ifndef WBGEN_JSONW_H
#define WBGEN_JSONW_H

#include <jansson.h>

#include "buf.h"

/* Append v (an array or an object, borrowed) to out as json_dumps(v, JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) would write it, without a final newline. Values jansson formats with its own
 * rules (real numbers) are left to json_dumps() itself. Dies when out of memory. The value must not
 * contain itself. */
void jsonw_add(struct buf *out, const json_t *v);

#endif
