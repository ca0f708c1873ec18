/* utf8-test.c: strict UTF-8 decoding, validation, encoding and printable text. */
#include <string.h>

#include "tap.h"
#include "utf8.h"

/* Sequences are given with their length, as they may hold NUL bytes. */
static const struct {
	const char *s;
	size_t n;
	size_t want; /* length of the valid sequence, 0 when invalid */
	unsigned long cp;
} decode_cases[] = {
	/* one byte */
	{ "\x00", 1, 1, 0x00 },
	{ "A", 1, 1, 0x41 },
	{ "\x7f", 1, 1, 0x7f },
	{ "", 0, 0, 0 },
	/* stray continuation bytes and never-valid leads */
	{ "\x80", 1, 0, 0 },
	{ "\xbf", 1, 0, 0 },
	{ "\xc0\x80", 2, 0, 0 },
	{ "\xc1\xbf", 2, 0, 0 },
	{ "\xf5\x80\x80\x80", 4, 0, 0 },
	{ "\xf8\x88\x80\x80\x80", 5, 0, 0 },
	{ "\xfe", 1, 0, 0 },
	{ "\xff", 1, 0, 0 },
	/* two bytes */
	{ "\xc2\x80", 2, 2, 0x80 },
	{ "\xc3\xa9", 2, 2, 0xe9 },
	{ "\xdf\xbf", 2, 2, 0x7ff },
	{ "\xc2", 1, 0, 0 },
	{ "\xc2\x41", 2, 0, 0 },
	{ "\xc2\xc0", 2, 0, 0 },
	{ "\xc2\x80", 1, 0, 0 },
	/* three bytes */
	{ "\xe0\xa0\x80", 3, 3, 0x800 },
	{ "\xe0\x9f\xbf", 3, 0, 0 },   /* overlong U+07FF */
	{ "\xe0\x80\x80", 3, 0, 0 },   /* overlong U+0000 */
	{ "\xe1\x80\x80", 3, 3, 0x1000 },
	{ "\xec\xbf\xbf", 3, 3, 0xcfff },
	{ "\xed\x9f\xbf", 3, 3, 0xd7ff },
	{ "\xed\xa0\x80", 3, 0, 0 },   /* U+D800 */
	{ "\xed\xbf\xbf", 3, 0, 0 },   /* U+DFFF */
	{ "\xee\x80\x80", 3, 3, 0xe000 },
	{ "\xef\xbf\xbd", 3, 3, 0xfffd },
	{ "\xef\xbf\xbf", 3, 3, 0xffff },
	{ "\xe2\x82", 2, 0, 0 },
	{ "\xe2\x82\xac", 2, 0, 0 },
	{ "\xe2\x82\xac", 3, 3, 0x20ac },
	{ "\xe2\x82\x41", 3, 0, 0 },
	{ "\xe2\x41\xac", 3, 0, 0 },
	/* four bytes */
	{ "\xf0\x90\x80\x80", 4, 4, 0x10000 },
	{ "\xf0\x8f\xbf\xbf", 4, 0, 0 }, /* overlong U+FFFF */
	{ "\xf0\x80\x80\x80", 4, 0, 0 },
	{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
	{ "\xf3\xbf\xbf\xbf", 4, 4, 0xfffff },
	{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
	{ "\xf4\x90\x80\x80", 4, 0, 0 }, /* U+110000 */
	{ "\xf7\xbf\xbf\xbf", 4, 0, 0 },
	{ "\xf0\x9f\x98", 3, 0, 0 },
	{ "\xf0\x9f\x98\x80", 3, 0, 0 },
	{ "\xf0\x9f\x98\x41", 4, 0, 0 },
	{ "\xf0\x9f\x41\x80", 4, 0, 0 },
	/* only the first character counts */
	{ "ab", 2, 1, 0x61 },
	{ "\xc3\xa9\xff", 3, 2, 0xe9 },
};

static void test_decode(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(decode_cases); i++) {
		unsigned long cp = 0x12345678;
		size_t n = utf8_decode((const unsigned char *)decode_cases[i].s, decode_cases[i].n, &cp);

		is_int((long long)n, (long long)decode_cases[i].want, "decode length, case %zu", i);
		is_int((long long)cp, decode_cases[i].want ? (long long)decode_cases[i].cp : 0x12345678,
		       "decode code point, case %zu", i);
	}
}

/* Every code point round-trips, surrogates aside, which are encoded but not decoded. */
static void test_round_trip(void)
{
	struct buf b = BUF_INIT;
	unsigned long cp, got, bad = 0, count[5] = { 0 };
	size_t n;

	for (cp = 0; cp <= 0x10ffff; cp++) {
		buf_reset(&b);
		buf_add_utf8(&b, cp);
		n = utf8_decode((const unsigned char *)b.s, b.len, &got);
		if (cp >= 0xd800 && cp <= 0xdfff) {
			if (n != 0 || b.len != 3)
				bad++;
			continue;
		}
		if (n != b.len || got != cp)
			bad++;
		count[b.len]++;
	}
	is_int((long long)bad, 0, "every code point round-trips");
	is_int((long long)count[1], 0x80, "one-byte encodings");
	is_int((long long)count[2], 0x800 - 0x80, "two-byte encodings");
	is_int((long long)count[3], 0x10000 - 0x800 - 0x800, "three-byte encodings");
	is_int((long long)count[4], 0x110000 - 0x10000, "four-byte encodings");
	buf_reset(&b);
	buf_add_utf8(&b, 0xd800);
	is_str(b.s, "\xed\xa0\x80", "a surrogate is encoded as its three bytes");
	buf_release(&b);
}

/* Every lead and second byte, the rest continuation bytes: what decodes is the encoding of its
 * code point (no other form), and the valid count matches the code point count. */
static void test_all_prefixes(void)
{
	struct buf b = BUF_INIT;
	unsigned char s[4] = { 0, 0, 0x80, 0x80 };
	unsigned long cp, valid = 0, bad = 0;
	unsigned c, d;
	size_t n;

	for (c = 0; c < 256; c++) {
		for (d = 0; d < 256; d++) {
			s[0] = (unsigned char)c;
			s[1] = (unsigned char)d;
			n = utf8_decode(s, sizeof(s), &cp);
			if (!n)
				continue;
			valid++;
			buf_reset(&b);
			buf_add_utf8(&b, cp);
			if (b.len != n || memcmp(b.s, s, n) != 0)
				bad++;
		}
	}
	is_int((long long)bad, 0, "only shortest forms decode");
	/* by lead: ASCII with any second byte; C2..DF; E0, E1..EC + EE..EF, ED; F0, F1..F3, F4 */
	is_int((long long)valid, 128 * 256 + 30 * 64 + (32 + 14 * 64 + 32) + (48 + 3 * 64 + 16), "valid prefixes");
	buf_release(&b);
}

static const struct {
	const char *s;
	size_t n;
	size_t want;
} invalid_cases[] = {
	{ "", 0, 0 },
	{ "abc", 3, 3 },
	{ "a\0b", 3, 3 },
	{ "caf\xc3\xa9", 5, 5 },
	{ "caf\xc3", 4, 3 },
	{ "caf\xc3\xa9\x80", 6, 5 },
	{ "\xed\xa0\x80z", 4, 0 },
	{ "ok \xf4\x90\x80\x80", 7, 3 },
	{ "ok \xf0\x9f\x98\x80!", 8, 8 },
	{ "ok \xf0\x9f\x98", 6, 3 },
	{ "x\xc0\xaf", 3, 1 },
	{ "\xe2\x82\xac\xe2\x82", 5, 3 },
};

static void test_invalid_at(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(invalid_cases); i++)
		is_int((long long)utf8_invalid_at((const unsigned char *)invalid_cases[i].s, invalid_cases[i].n),
		       (long long)invalid_cases[i].want, "invalid_at, case %zu", i);
}

static const struct {
	unsigned long cp;
	const char *want;
} encode_cases[] = {
	{ 0x41, "A" },
	{ 0x7f, "\x7f" },
	{ 0x80, "\xc2\x80" },
	{ 0x7ff, "\xdf\xbf" },
	{ 0x800, "\xe0\xa0\x80" },
	{ 0xdfff, "\xed\xbf\xbf" },
	{ 0xfffd, "\xef\xbf\xbd" },
	{ 0xffff, "\xef\xbf\xbf" },
	{ 0x10000, "\xf0\x90\x80\x80" },
	{ 0x10ffff, "\xf4\x8f\xbf\xbf" },
};

static void test_encode(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(encode_cases); i++) {
		buf_reset(&b);
		buf_add_utf8(&b, encode_cases[i].cp);
		is_str(b.s, encode_cases[i].want, "encode U+%04lX", encode_cases[i].cp);
	}
	buf_reset(&b);
	buf_add_utf8(&b, 0);
	ok(b.len == 1 && b.s[0] == '\0', "encode U+0000 as one NUL byte");
	buf_release(&b);
}

static const struct {
	const char *s;
	size_t n;
	const char *want;
} printable_cases[] = {
	{ "", 0, "" },
	{ "plain text", 10, "plain text" },
	{ "a\nb\tc\rd", 7, "a\\x0ab\\x09c\\x0dd" },
	{ "nul\0here", 8, "nul\\x00here" },
	{ "del\x7f", 4, "del\\x7f" },
	{ "\x1f \x20", 3, "\\x1f  " },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "\xc2\x85", 2, "\xc2\x85" }, /* C1 controls are valid UTF-8 and kept */
	{ "bad\xff", 4, "bad\\xff" },
	{ "\xc0\xaf", 2, "\\xc0\\xaf" },
	{ "\xed\xa0\x80", 3, "\\xed\\xa0\\x80" },
	{ "\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80" },
	{ "cut\xe2\x82", 5, "cut\\xe2\\x82" },
	{ "\xe2\x82\n", 3, "\\xe2\\x82\\x0a" },
	{ "\xc3\xa9\x80\xc3\xa9", 5, "\xc3\xa9\\x80\xc3\xa9" },
};

static void test_printable(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(printable_cases); i++) {
		buf_reset(&b);
		buf_adds(&b, ">");
		buf_add_printable(&b, printable_cases[i].s, printable_cases[i].n);
		is_str(b.s + 1, printable_cases[i].want, "printable, case %zu", i);
		ok(b.s[0] == '>', "printable appends, case %zu", i);
	}
	buf_release(&b);
}

int main(void)
{
	plan_no_plan();
	test_decode();
	test_round_trip();
	test_all_prefixes();
	test_invalid_at();
	test_encode();
	test_printable();
	return done_testing();
}
