/* reqfile.h: placeholder, written by the module owner. */
#ifndef WBGEN_REQFILE_H
#define WBGEN_REQFILE_H
#endif
