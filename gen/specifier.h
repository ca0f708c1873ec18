/* specifier.h: placeholder, written by the module owner. */
#ifndef WBGEN_SPECIFIER_H
#define WBGEN_SPECIFIER_H
#endif
