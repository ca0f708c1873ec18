/* version.h: placeholder, written by the module owner. */
#ifndef WBGEN_VERSION_H
#define WBGEN_VERSION_H
#endif
