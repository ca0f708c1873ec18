/* fuzz.h: helpers shared by the libFuzzer targets (tests/fuzz/fuzz-*.c, built by `make fuzz`). */
#ifndef WBGEN_FUZZ_H
#define WBGEN_FUZZ_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data[0..size) (the caller frees). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Split data at its first byte sep: *rest and *restlen get what follows (nothing when there is no sep),
 * and the head is returned as a new string. */
static inline char *fuzz_split(const uint8_t *data, size_t size, int sep, const uint8_t **rest, size_t *restlen)
{
	const uint8_t *cut = memchr(data, sep, size);
	size_t n = cut ? (size_t)(cut - data) : size;

	*rest = cut ? cut + 1 : data + size;
	*restlen = cut ? size - n - 1 : 0;
	return fuzz_str(data, n);
}

/* Non-zero when the PEP 508 text s[0..size) has no string literal whose value str() cannot write
 * back: packaging 23.0's str() puts a marker value between double quotes as it is, so a value
 * holding '"' (only possible in a '...' literal), or a decoded escape or NUL byte, does not re-parse
 * to itself (in the reference either). */
static inline int fuzz_pep508_round_trips(const char *s, size_t size)
{
	return strlen(s) == size && !strchr(s, '\\') && !(strchr(s, '\'') && strchr(s, '"'));
}

/* An invariant broke: report both sides and crash, which libFuzzer records as a finding. */
#define FUZZ_CHECK(cond, what, a, b) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz invariant failed: %s\n  first:  '%s'\n  second: '%s'\n", (what), (a), (b)); \
		abort(); \
	} \
} while (0)

#endif
