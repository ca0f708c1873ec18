/* toml.h: placeholder, written by the module owner. */
#ifndef WBGEN_TOML_H
#define WBGEN_TOML_H
#endif
