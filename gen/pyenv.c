/* pyenv.c: placeholder, written by the module owner. */
#include "pyenv.h"
typedef int pyenv_placeholder;
