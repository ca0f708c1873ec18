/* requirement.h: placeholder, written by the module owner. */
#ifndef WBGEN_REQUIREMENT_H
#define WBGEN_REQUIREMENT_H
#endif
