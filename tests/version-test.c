/* version-test.c: PEP 440 versions (parsing, normalisation, ordering, properties). */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "version.h"

/* input -> str(Version(input)), or NULL when packaging rejects it */
static const struct {
	const char *in, *want;
} parse_cases[] = {
	{ "1.0", "1.0" },
	{ "1", "1" },
	{ "01.002.0003", "1.2.3" },
	{ "v1.0", "1.0" },
	{ "V1.0", "1.0" },
	{ "  1.0\t", "1.0" },
	{ "\x1c" "1.0\x1f", "1.0" },           /* Python's str.isspace() includes these */
	{ "\xc2\xa0" "1.0\xe3\x80\x80", "1.0" }, /* U+00A0 and U+3000 too */
	{ "1!2.0", "1!2.0" },
	{ "0!2.0", "2.0" },
	{ "007!1.0", "7!1.0" },
	{ "1.0a1", "1.0a1" },
	{ "1.0A1", "1.0a1" },
	{ "1.0alpha1", "1.0a1" },
	{ "1.0.alpha.1", "1.0a1" },
	{ "1.0-alpha-1", "1.0a1" },
	{ "1.0_alpha_1", "1.0a1" },
	{ "1.0beta2", "1.0b2" },
	{ "1.0c3", "1.0rc3" },
	{ "1.0pre4", "1.0rc4" },
	{ "1.0preview5", "1.0rc5" },
	{ "1.0-RC1", "1.0rc1" },
	{ "1.0a", "1.0a0" },
	{ "1.0rc", "1.0rc0" },
	{ "1.0a-", "1.0a0" },
	{ "1.0a-1", "1.0a1" },
	{ "1.0.post1", "1.0.post1" },
	{ "1.0post1", "1.0.post1" },
	{ "1.0-post-1", "1.0.post1" },
	{ "1.0.post", "1.0.post0" },
	{ "1.0-1", "1.0.post1" },
	{ "1.0-0", "1.0.post0" },
	{ "1.0.rev2", "1.0.post2" },
	{ "1.0r3", "1.0.post3" },
	{ "1.0-r", "1.0.post0" },
	{ "1.0.dev1", "1.0.dev1" },
	{ "1.0dev", "1.0.dev0" },
	{ "1.0-dev-2", "1.0.dev2" },
	{ "1.0.DEV3", "1.0.dev3" },
	{ "1.0a1.post2.dev3", "1.0a1.post2.dev3" },
	{ "1.0a1-2.dev3", "1.0a1.post2.dev3" },
	{ "1.0+abc.5", "1.0+abc.5" },
	{ "1.0+ABC-5_x", "1.0+abc.5.x" },
	{ "1.0+007", "1.0+7" },
	{ "1.0+0", "1.0+0" },
	{ "1.0.99999999999999999999999", "1.0.99999999999999999999999" },
	{ "99999999999999999999999999!0.000000000000000000000000001", "99999999999999999999999999!0.1" },
	{ "", NULL },
	{ " ", NULL },
	{ "v", NULL },
	{ "vv1.0", NULL },
	{ "1.0-", NULL },
	{ "1.0.", NULL },
	{ ".1.0", NULL },
	{ "1..0", NULL },
	{ "1.0+", NULL },
	{ "1.0+abc.", NULL },
	{ "1.0+abc..1", NULL },
	{ "1.0+a+b", NULL },
	{ "1.0.*", NULL },
	{ "1.0a1a2", NULL },
	{ "1.0.post1.a1", NULL },
	{ "1.0.dev1.post1", NULL },
	{ "1.0-1-1", NULL },
	{ "1.0alph", NULL },
	{ "1.0rcc", NULL },
	{ "1!", NULL },
	{ "!1.0", NULL },
	{ "1.0 1", NULL },
	{ "foo", NULL },
	{ "1.0~rc1", NULL },
	{ "\xc4\xb0", NULL },
	{ "1.0+\xe2\x84\xaa", NULL }, /* packaging accepts the Kelvin sign as 'k': an ASCII-only refusal */
};

/* strictly increasing (the ordering examples of PEP 440 and packaging's own tests) */
static const char *const ordered[] = {
	"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
	"1.0b2.post345.dev456", "1.0b2.post345", "1.0b2-346", "1.0c1.dev456", "1.0c1", "1.0rc2", "1.0c3",
	"1.0", "1.0+abc", "1.0+0", "1.0+1", "1.0.post456.dev34", "1.0.post456", "1.1.dev1",
	"1.2+123abc", "1.2+123abc456", "1.2+abc", "1.2+abc123", "1.2+abc123def", "1.2+1234.abc",
	"1.2+123456", "1.2.r32+123456", "1.2.rev33+123456",
	"1.10", "1.10.0.1", "1.99999999999999999999999", "1.100000000000000000000000", "2",
	"1!1.0.dev456", "1!1.0a1", "1!1.0", "1!1.0+5", "1!1.0.post1", "1!2.0", "2!0.1",
	"99999999999999999999!0",
};

/* equal under version_cmp (both orders) */
static const struct {
	const char *a, *b;
} equal_cases[] = {
	{ "1.0", "1.0.0" },
	{ "1", "1.0.0.0.0" },
	{ "0", "0.0" },
	{ "0!1.0", "1.0" },
	{ "1.0c1", "1.0rc1" },
	{ "1.0-1", "1.0.post1" },
	{ "1.0.dev", "1.0.dev0" },
	{ "1.0+ABC", "1.0+abc" },
	{ "1.0+1-a", "1.0+1.a" },
	{ "1.0+01", "1.0+1" },
	{ "1.0.99999999999999999999999", "1.0.099999999999999999999999" },
	{ "1.0.0+x", "1.0+x" },
};

static const struct {
	const char *in;
	int pre, post, dev;
	const char *public, *base;
} props[] = {
	{ "1.0", 0, 0, 0, "1.0", "1.0" },
	{ "1.0a1", 1, 0, 0, "1.0a1", "1.0" },
	{ "1.0.dev1", 1, 0, 1, "1.0.dev1", "1.0" },
	{ "1.0.post1", 0, 1, 0, "1.0.post1", "1.0" },
	{ "1.0.post1.dev2", 1, 1, 1, "1.0.post1.dev2", "1.0" },
	{ "1!1.0rc1+local.1", 1, 0, 0, "1!1.0rc1", "1!1.0" },
	{ "2.0.0+abc", 0, 0, 0, "2.0.0", "2.0.0" },
};

static char *fmt(const char *s, void (*f)(const struct version *, struct buf *))
{
	struct version v;
	struct buf b = BUF_INIT;

	if (version_parse(s, &v))
		return NULL;
	f(&v, &b);
	version_release(&v);
	return buf_detach(&b, NULL);
}

static int cmp_str(const char *a, const char *b)
{
	struct version va, vb;
	int r;

	if (version_parse(a, &va) || version_parse(b, &vb))
		BUG("test version '%s' or '%s' does not parse", a, b);
	r = version_cmp(&va, &vb);
	version_release(&va);
	version_release(&vb);
	return (r > 0) - (r < 0);
}

static void strip_zeros(const struct version *v, struct buf *out)
{
	version_format_canonical(v, 1, out);
}

int main(void)
{
	size_t i, j;
	int bad;

	plan_no_plan();
	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		char *got = fmt(parse_cases[i].in, version_format);

		is_str(got, parse_cases[i].want, "parse '%s'", parse_cases[i].in);
		free(got);
	}
	{
		struct version v;

		ok(version_parse_n("1.0x", 3, &v) == 0 && v.nrelease == 2, "version_parse_n stops at len");
		version_release(&v);
		version_release(&v);
		ok(v.nrelease == 0 && v.store == NULL, "release twice is safe");
		ok(version_parse("1.0-", &v) == -1 && v.store == NULL, "failed parse leaves nothing to free");
	}

	bad = 0;
	for (i = 0; i < ARRAY_SIZE(ordered); i++)
		for (j = 0; j < ARRAY_SIZE(ordered); j++) {
			int want = (i > j) - (i < j);

			if (cmp_str(ordered[i], ordered[j]) != want) {
				diag("cmp('%s', '%s') != %d", ordered[i], ordered[j], want);
				bad++;
			}
		}
	ok(!bad, "ordering of %zu versions, every pair in both orders", ARRAY_SIZE(ordered));
	for (i = 0; i < ARRAY_SIZE(equal_cases); i++) {
		is_int(cmp_str(equal_cases[i].a, equal_cases[i].b), 0, "'%s' == '%s'", equal_cases[i].a,
		       equal_cases[i].b);
		is_int(cmp_str(equal_cases[i].b, equal_cases[i].a), 0, "'%s' == '%s'", equal_cases[i].b,
		       equal_cases[i].a);
	}
	is_int(cmp_str("1.0+abc", "1.0"), 1, "a local version sorts after its public version");
	is_int(cmp_str("1.0", "1.0+abc"), -1, "... and the other way round");

	for (i = 0; i < ARRAY_SIZE(props); i++) {
		struct version v;
		char *pub, *base;

		if (version_parse(props[i].in, &v))
			BUG("'%s' does not parse", props[i].in);
		is_int(version_is_prerelease(&v), props[i].pre, "is_prerelease '%s'", props[i].in);
		is_int(version_is_postrelease(&v), props[i].post, "is_postrelease '%s'", props[i].in);
		is_int(version_is_devrelease(&v), props[i].dev, "is_devrelease '%s'", props[i].in);
		pub = fmt(props[i].in, version_format_public);
		base = fmt(props[i].in, version_format_base);
		is_str(pub, props[i].public, "public '%s'", props[i].in);
		is_str(base, props[i].base, "base_version '%s'", props[i].in);
		free(pub);
		free(base);
		version_release(&v);
	}

	{
		char *c;

		c = fmt("1.0.0.0", strip_zeros);
		is_str(c, "1", "canonicalize_version strips trailing zeros");
		free(c);
		c = fmt("0.0", strip_zeros);
		is_str(c, "0", "canonicalize_version keeps one component");
		free(c);
		c = fmt("1!1.0.10.0rc1+X", strip_zeros);
		is_str(c, "1!1.0.10rc1+x", "canonicalize_version with epoch, pre and local");
		free(c);
	}
	{
		struct version a, b;
		struct buf s = BUF_INIT;

		version_parse("1!2.0rc1.post2.dev3+Ab.7", &a);
		version_copy(&b, &a);
		version_release(&a);
		version_format(&b, &s);
		is_str(s.s, "1!2.0rc1.post2.dev3+ab.7", "version_copy is independent of its source");
		buf_release(&s);
		version_release(&b);
	}
	return done_testing();
}
