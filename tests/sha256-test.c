/* sha256-test.c: SHA-256 against the FIPS vectors and Python's hashlib output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"
#include "tap.h"

struct vec {
	const char *name;
	const unsigned char *msg; /* NULL: generated, see make_msg */
	size_t len;
	const char *hex;
	const char *b64;
};

static unsigned char *make_msg(int which, size_t *len)
{
	unsigned char *m;
	size_t i;

	if (which == 0) {
		*len = 1000000;
		m = xmalloc(*len);
		memset(m, 'a', *len);
	} else {
		*len = 768;
		m = xmalloc(*len);
		for (i = 0; i < *len; i++)
			m[i] = (unsigned char)(i & 255);
	}
	return m;
}

static void digest_chunked(const unsigned char *m, size_t len, size_t chunk, struct buf *hex, struct buf *b64)
{
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_SIZE];
	size_t off;

	sha256_init(&c);
	for (off = 0; off < len; off += chunk)
		sha256_update(&c, m + off, len - off < chunk ? len - off : chunk);
	sha256_final(&c, d);
	buf_reset(hex);
	buf_reset(b64);
	sha256_hex(d, hex);
	sha256_b64url(d, b64);
}

int main(void)
{
	static const struct vec v[] = {
		{ "empty", (const unsigned char *)"", 0,
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		  "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU" },
		{ "abc", (const unsigned char *)"abc", 3,
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		  "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0" },
		{ "448 bits", (const unsigned char *)"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		  "JI1qYdIGOLjlwCaTDD5gOaM85Flk_yFn9uzt1BnbBsE" },
		{ "million a", NULL, 0,
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
		  "zcduXJkU-5KBocfihNc-Z_GAmkiklyAOBG05zMcRLNA" },
		{ "bytes 0-255 x3", NULL, 1,
		  "f3a25aa93aa2fbba28d79260535bbd6a5eb0fc1c24a8b0f04e12b484c1dfe363",
		  "86JaqTqi-7oo15JgU1u9al6w_BwkqLDwThK0hMHf42M" },
	};
	static const size_t chunks[] = { 1, 3, 63, 64, 65, 1000, 1 << 20 };
	struct buf hex = BUF_INIT, b64 = BUF_INIT;
	size_t i, j;

	plan_no_plan();
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		const unsigned char *m = v[i].msg;
		unsigned char *owned = NULL;
		size_t len = v[i].len;

		if (!m)
			m = owned = make_msg((int)v[i].len, &len);
		for (j = 0; j < ARRAY_SIZE(chunks); j++) {
			digest_chunked(m, len, chunks[j], &hex, &b64);
			is_str(hex.s, v[i].hex, "%s, chunks of %zu: hex", v[i].name, chunks[j]);
			is_str(b64.s, v[i].b64, "%s, chunks of %zu: base64url", v[i].name, chunks[j]);
		}
		free(owned);
	}
	{
		char path[] = "/tmp/wbgen-sha256-XXXXXX";
		int fd = mkstemp(path);

		ok(fd >= 0 && write(fd, "abc", 3) == 3 && close(fd) == 0, "temp file written");
		buf_reset(&hex);
		ok(sha256_file_hex(path, &hex) == 0, "sha256_file_hex succeeds");
		is_str(hex.s, v[1].hex, "sha256_file_hex digest");
		unlink(path);
		ok(sha256_file_hex(path, &hex) < 0, "sha256_file_hex on a missing file fails");
	}
	ok(sha256_hex_valid(v[0].hex), "valid hex digest");
	ok(sha256_hex_valid("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"), "uppercase hex digest");
	ok(!sha256_hex_valid("e3b0"), "short digest rejected");
	ok(!sha256_hex_valid("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "non-hex rejected");
	ok(!sha256_hex_valid("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550"), "long digest rejected");
	buf_release(&hex);
	buf_release(&b64);
	return done_testing();
}
