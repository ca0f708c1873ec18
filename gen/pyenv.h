/* pyenv.h: placeholder, written by the module owner. */
#ifndef WBGEN_PYENV_H
#define WBGEN_PYENV_H
#endif
