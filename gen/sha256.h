/* sha256.h: SHA-256 (FIPS 180-4), for verifying downloads and wheel RECORD files. */
#ifndef WBGEN_SHA256_H
#define WBGEN_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SHA256_DIGEST_SIZE 32

struct sha256 {
	uint32_t h[8];
	uint64_t len;       /* bytes hashed so far */
	unsigned char block[64];
	size_t fill;        /* bytes in block */
};

/* Start a new digest. */
void sha256_init(struct sha256 *c);
/* Hash n more bytes. */
void sha256_update(struct sha256 *c, const void *data, size_t n);
/* Finish and write the 32-byte digest; c must be re-initialised before reuse. */
void sha256_final(struct sha256 *c, unsigned char out[SHA256_DIGEST_SIZE]);
/* Append the lowercase hex form of a digest to out. */
void sha256_hex(const unsigned char d[SHA256_DIGEST_SIZE], struct buf *out);
/* Append the URL-safe base64 form without padding (wheel RECORD files) to out. */
void sha256_b64url(const unsigned char d[SHA256_DIGEST_SIZE], struct buf *out);
/* Digest of a whole file as lowercase hex into out. Returns 0, or -1 with errno set. */
int sha256_file_hex(const char *path, struct buf *out);
/* Non-zero when s is 64 hex digits (either case). */
int sha256_hex_valid(const char *s);

#endif
