/* names.h: placeholder, written by the module owner. */
#ifndef WBGEN_NAMES_H
#define WBGEN_NAMES_H
#endif
