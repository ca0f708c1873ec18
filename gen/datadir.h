/* datadir.h: where wbgen's data files are (rules/: pep517_hook.py, wbgen.mk). */
#ifndef WBGEN_DATADIR_H
#define WBGEN_DATADIR_H

/* The directory of wbgen's data files: $WBGEN_PKGDATADIR, else rules/ beside the running binary
 * when that holds wbgen.mk (a build tree), else the compile-time pkgdatadir. Newly allocated. */
char *wbgen_datadir(void);

#endif
