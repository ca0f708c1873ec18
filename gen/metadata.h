/* metadata.h: placeholder, written by the module owner. */
#ifndef WBGEN_METADATA_H
#define WBGEN_METADATA_H
#endif
