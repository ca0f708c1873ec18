/* tags.h: placeholder, written by the module owner. */
#ifndef WBGEN_TAGS_H
#define WBGEN_TAGS_H
#endif
