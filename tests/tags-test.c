/* tags-test.c: compressed tag sets, rank lookups, and sys_tags() lists computed from hand-written
 * interpreter facts (expected values checked against packaging 23.0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tags.h"
#include "tap.h"

static void test_expand(void)
{
	static const struct {
		const char *in;
		int ok;
		const char *want; /* the expansion in order, joined by spaces */
	} t[] = {
		{ "py3-none-any", 1, "py3-none-any" },
		{ "py2.py3-none-any", 1, "py2-none-any py3-none-any" },
		{ "cp38.cp39-abi3.none-manylinux1_x86_64.linux_x86_64", 1,
		  "cp38-abi3-manylinux1_x86_64 cp38-abi3-linux_x86_64 cp38-none-manylinux1_x86_64 cp38-none-linux_x86_64 "
		  "cp39-abi3-manylinux1_x86_64 cp39-abi3-linux_x86_64 cp39-none-manylinux1_x86_64 cp39-none-linux_x86_64" },
		{ "PY3-None-ANY", 1, "py3-none-any" },
		{ "a.A-b-c", 1, "a-b-c" },
		{ "a..b-x-y", 1, "a-x-y -x-y b-x-y" },
		{ "py3-none", 0, NULL },
		{ "py3-none-any-x", 0, NULL },
		{ "", 0, NULL },
	};
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct tag_list l = TAG_LIST_INIT;
		struct buf b = BUF_INIT;
		int r = tag_set_expand(t[i].in, &l);

		is_int(r == 0, t[i].ok, "expand '%s' %s", t[i].in, t[i].ok ? "succeeds" : "fails");
		if (!r) {
			for (j = 0; j < l.nr; j++)
				buf_addf(&b, "%s%s", j ? " " : "", l.v[j]);
			is_str(b.s, t[i].want, "expansion of '%s'", t[i].in);
		}
		buf_release(&b);
		tag_list_release(&l);
	}
}

static void test_rank(void)
{
	struct tag_list l = TAG_LIST_INIT;
	char name[64];
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		tag_list_add(&l, "cp311", i % 2 ? "abi3" : "cp311", name);
	}
	tag_list_add(&l, "cp311", "cp311", "p0"); /* a duplicate keeps its first rank */
	is_int(tag_list_rank(&l, "cp311-cp311-p0"), 0, "rank of the first tag");
	is_int(tag_list_rank(&l, "cp311-abi3-p999"), 999, "rank of the last tag");
	is_int(tag_list_rank(&l, "CP311-ABI3-P501"), 501, "rank lookups ignore case");
	is_int(tag_list_rank(&l, "cp311-abi3-p1000"), -1, "unknown tag has no rank");
	is_int(tag_list_rank(&l, "cp311-abi3-p0"), -1, "unknown combination has no rank");
	is_int((long)l.nr, 1001, "duplicates are kept in the list");
	ok(tag_list_rank(&l, "cp311-cp311-p2") < tag_list_rank(&l, "cp311-abi3-p3"), "p2 preferred to p3");
	ok(!(tag_list_rank(&l, "cp311-abi3-p3") < tag_list_rank(&l, "cp311-cp311-p2")), "p3 not preferred to p2");
	is_int(tag_list_best_rank(&l, "cp311-cp311.abi3-p7.p4"), 4, "best rank of a compressed set");
	is_int(tag_list_best_rank(&l, "cp311-none-p7"), -1, "unsupported compressed set");
	is_int(tag_list_best_rank(&l, "cp311-abi3"), -1, "malformed compressed set");
	tag_list_release(&l);
	is_int(tag_list_rank(&l, "cp311-abi3-p1"), -1, "released list is empty");
}

static const struct tag_facts *base_facts(void)
{
	static struct tag_facts f;

	tag_facts_init(&f);
	f.impl_name = "cpython";
	f.major = 3;
	f.minor = 11;
	f.py_version_nodot = "311";
	f.py_debug = 0;
	f.with_pymalloc = 1;
	f.maxunicode_wide = 1;
	f.ext_suffix = ".cpython-311-x86_64-linux-gnu.so";
	f.system = "Linux";
	f.platform = "linux-x86_64";
	f.glibc_version = "2.36";
	f.elf_class = 2;
	f.elf_data = 1;
	f.elf_machine = 62;
	return &f;
}

struct tag_case {
	const char *what;
	struct tag_facts f;
	long count;
	const char *head;  /* the first tags, space separated */
	const char *plats; /* the platforms of the most preferred interpreter-abi pair, space separated */
	const char *full;  /* the whole list, when short enough to write down */
};

static void check_case(const struct tag_case *c)
{
	struct tag_list l = TAG_LIST_INIT;
	struct buf err = BUF_INIT, b = BUF_INIT;
	size_t i, n, prefix;

	if (!ok(tags_compute(&c->f, &l, &err) == 0, "%s: tags computed", c->what)) {
		diag("%s", err.s);
		return;
	}
	is_int((long)l.nr, c->count, "%s: number of tags", c->what);
	n = 1;
	for (i = 0; c->head[i]; i++)
		n += c->head[i] == ' ';
	for (i = 0; i < n && i < l.nr; i++)
		buf_addf(&b, "%s%s", i ? " " : "", l.v[i]);
	is_str(b.s, c->head, "%s: first tags", c->what);
	buf_reset(&b);
	prefix = strrchr(l.v[0], '-') - l.v[0] + 1;
	for (i = 0; i < l.nr; i++)
		if (strncmp(l.v[i], l.v[0], prefix) == 0)
			buf_addf(&b, "%s%s", b.len ? " " : "", l.v[i] + prefix);
	is_str(b.s, c->plats, "%s: platforms", c->what);
	if (c->full) {
		buf_reset(&b);
		for (i = 0; i < l.nr; i++)
			buf_addf(&b, "%s%s", i ? " " : "", l.v[i]);
		is_str(b.s, c->full, "%s: whole list", c->what);
	}
	for (i = 0; i < l.nr; i++)
		if (tag_list_rank(&l, l.v[i]) != (long)i)
			break;
	is_int((long)i, (long)l.nr, "%s: every tag ranks at its position (no duplicates)", c->what);
	is_str(l.v[l.nr - 1], c->f.major == 2 ? "py20-none-any" : "py30-none-any", "%s: last tag", c->what);
	buf_release(&b);
	buf_release(&err);
	tag_list_release(&l);
}

#define ML(a) "manylinux_2_" #a "_x86_64"
#define ML_17_5 ML(17) " manylinux2014_x86_64 " ML(16) " " ML(15) " " ML(14) " " ML(13) " " ML(12) \
	" manylinux2010_x86_64 " ML(11) " " ML(10) " " ML(9) " " ML(8) " " ML(7) " " ML(6) " " ML(5) \
	" manylinux1_x86_64"

static void test_sys_tags(void)
{
	struct tag_case c;

	c = (struct tag_case){ "cpython 3.4 aarch64 glibc 2.17", *base_facts(), 40,
			      "cp34-cp34m-manylinux_2_17_aarch64",
			      "manylinux_2_17_aarch64 manylinux2014_aarch64 linux_aarch64",
			      "cp34-cp34m-manylinux_2_17_aarch64 cp34-cp34m-manylinux2014_aarch64 cp34-cp34m-linux_aarch64 "
			      "cp34-abi3-manylinux_2_17_aarch64 cp34-abi3-manylinux2014_aarch64 cp34-abi3-linux_aarch64 "
			      "cp34-none-manylinux_2_17_aarch64 cp34-none-manylinux2014_aarch64 cp34-none-linux_aarch64 "
			      "cp33-abi3-manylinux_2_17_aarch64 cp33-abi3-manylinux2014_aarch64 cp33-abi3-linux_aarch64 "
			      "cp32-abi3-manylinux_2_17_aarch64 cp32-abi3-manylinux2014_aarch64 cp32-abi3-linux_aarch64 "
			      "py34-none-manylinux_2_17_aarch64 py34-none-manylinux2014_aarch64 py34-none-linux_aarch64 "
			      "py3-none-manylinux_2_17_aarch64 py3-none-manylinux2014_aarch64 py3-none-linux_aarch64 "
			      "py33-none-manylinux_2_17_aarch64 py33-none-manylinux2014_aarch64 py33-none-linux_aarch64 "
			      "py32-none-manylinux_2_17_aarch64 py32-none-manylinux2014_aarch64 py32-none-linux_aarch64 "
			      "py31-none-manylinux_2_17_aarch64 py31-none-manylinux2014_aarch64 py31-none-linux_aarch64 "
			      "py30-none-manylinux_2_17_aarch64 py30-none-manylinux2014_aarch64 py30-none-linux_aarch64 "
			      "cp34-none-any py34-none-any py3-none-any py33-none-any py32-none-any py31-none-any "
			      "py30-none-any" };
	c.f.minor = 4;
	c.f.py_version_nodot = "34";
	c.f.glibc_version = "2.17";
	c.f.platform = "linux-aarch64";
	check_case(&c);

	c = (struct tag_case){ "cpython 3.11 x86_64 glibc 2.36", *base_facts(), 914,
			      "cp311-cp311-manylinux_2_36_x86_64 cp311-cp311-manylinux_2_35_x86_64",
			      ML(36) " " ML(35) " " ML(34) " " ML(33) " " ML(32) " " ML(31) " " ML(30) " " ML(29) " "
			      ML(28) " " ML(27) " " ML(26) " " ML(25) " " ML(24) " " ML(23) " " ML(22) " " ML(21) " "
			      ML(20) " " ML(19) " " ML(18) " " ML_17_5 " linux_x86_64", NULL };
	check_case(&c);

	c = (struct tag_case){ "pypy 3.9 glibc 2.17", *base_facts(), 233,
			      "pp39-pypy39_pp73-manylinux_2_17_x86_64 pp39-pypy39_pp73-manylinux2014_x86_64",
			      ML_17_5 " linux_x86_64", NULL };
	c.f.impl_name = "pypy";
	c.f.minor = 9;
	c.f.py_version_nodot = "39";
	c.f.ext_suffix = ".pypy39-pp73-x86_64-linux-gnu.so";
	c.f.glibc_version = "2.17";
	check_case(&c);

	c = (struct tag_case){ "cpython 3.12 musl 1.2 aarch64", *base_facts(), 123,
			      "cp312-cp312-musllinux_1_2_aarch64",
			      "musllinux_1_2_aarch64 musllinux_1_1_aarch64 musllinux_1_0_aarch64 linux_aarch64", NULL };
	c.f.minor = 12;
	c.f.py_version_nodot = "312";
	c.f.platform = "linux-aarch64";
	c.f.glibc_version = NULL;
	c.f.musl_major = 1;
	c.f.musl_minor = 2;
	check_case(&c);

	c = (struct tag_case){ "cpython 3.11 macOS 13 arm64", *base_facts(), 489,
			      "cp311-cp311-macosx_13_0_arm64 cp311-cp311-macosx_13_0_universal2",
			      "macosx_13_0_arm64 macosx_13_0_universal2 macosx_12_0_arm64 macosx_12_0_universal2 "
			      "macosx_11_0_arm64 macosx_11_0_universal2 macosx_10_16_universal2 macosx_10_15_universal2 "
			      "macosx_10_14_universal2 macosx_10_13_universal2 macosx_10_12_universal2 "
			      "macosx_10_11_universal2 macosx_10_10_universal2 macosx_10_9_universal2 "
			      "macosx_10_8_universal2 macosx_10_7_universal2 macosx_10_6_universal2 "
			      "macosx_10_5_universal2 macosx_10_4_universal2", NULL };
	c.f.system = "Darwin";
	c.f.platform = "macosx-11.0-arm64";
	c.f.mac_version = "13.4.1";
	c.f.mac_arch = "arm64";
	check_case(&c);

	c = (struct tag_case){ "cpython 3.11 macOS 10.15 x86_64", *base_facts(), 1814,
			      "cp311-cp311-macosx_10_15_x86_64 cp311-cp311-macosx_10_15_intel "
			      "cp311-cp311-macosx_10_15_fat64 cp311-cp311-macosx_10_15_fat32 "
			      "cp311-cp311-macosx_10_15_universal2 cp311-cp311-macosx_10_15_universal "
			      "cp311-cp311-macosx_10_14_x86_64", NULL, NULL };
	c.f.system = "Darwin";
	c.f.platform = "macosx-10.9-x86_64";
	c.f.mac_version = "10.15.7";
	c.f.mac_arch = "x86_64";
	{
		/* 12 macOS releases 10.15 .. 10.4, six binary formats each */
		static const char *const fmts[] = { "x86_64", "intel", "fat64", "fat32", "universal2", "universal" };
		struct buf b = BUF_INIT;
		int m;
		size_t k;

		for (m = 15; m >= 4; m--)
			for (k = 0; k < ARRAY_SIZE(fmts); k++)
				buf_addf(&b, "%smacosx_10_%d_%s", b.len ? " " : "", m, fmts[k]);
		c.plats = b.s;
		check_case(&c);
		buf_release(&b);
	}

	c = (struct tag_case){ "cpython 3.10 windows", *base_facts(), 36, "cp310-cp310-win_amd64", "win_amd64",
			      "cp310-cp310-win_amd64 cp310-abi3-win_amd64 cp310-none-win_amd64 cp39-abi3-win_amd64 "
			      "cp38-abi3-win_amd64 cp37-abi3-win_amd64 cp36-abi3-win_amd64 cp35-abi3-win_amd64 "
			      "cp34-abi3-win_amd64 cp33-abi3-win_amd64 cp32-abi3-win_amd64 py310-none-win_amd64 "
			      "py3-none-win_amd64 py39-none-win_amd64 py38-none-win_amd64 py37-none-win_amd64 "
			      "py36-none-win_amd64 py35-none-win_amd64 py34-none-win_amd64 py33-none-win_amd64 "
			      "py32-none-win_amd64 py31-none-win_amd64 py30-none-win_amd64 cp310-none-any py310-none-any "
			      "py3-none-any py39-none-any py38-none-any py37-none-any py36-none-any py35-none-any "
			      "py34-none-any py33-none-any py32-none-any py31-none-any py30-none-any" };
	c.f.minor = 10;
	c.f.py_version_nodot = "310";
	c.f.system = "Windows";
	c.f.platform = "win-amd64";
	check_case(&c);

	c = (struct tag_case){ "32-bit cpython on x86_64 glibc 2.28", *base_facts(), 714,
			      "cp311-cp311-manylinux_2_28_i686",
			      "manylinux_2_28_i686 manylinux_2_27_i686 manylinux_2_26_i686 manylinux_2_25_i686 "
			      "manylinux_2_24_i686 manylinux_2_23_i686 manylinux_2_22_i686 manylinux_2_21_i686 "
			      "manylinux_2_20_i686 manylinux_2_19_i686 manylinux_2_18_i686 manylinux_2_17_i686 "
			      "manylinux2014_i686 manylinux_2_16_i686 manylinux_2_15_i686 manylinux_2_14_i686 "
			      "manylinux_2_13_i686 manylinux_2_12_i686 manylinux2010_i686 manylinux_2_11_i686 "
			      "manylinux_2_10_i686 manylinux_2_9_i686 manylinux_2_8_i686 manylinux_2_7_i686 "
			      "manylinux_2_6_i686 manylinux_2_5_i686 manylinux1_i686 linux_i686", NULL };
	c.f.is_32bit = 1;
	c.f.elf_class = 1;
	c.f.elf_machine = 3;
	c.f.glibc_version = "2.28";
	check_case(&c);

	c = (struct tag_case){ "armv7l soft-float: no manylinux", *base_facts(), 39,
			      "cp311-cp311-linux_armv7l cp311-abi3-linux_armv7l cp311-none-linux_armv7l",
			      "linux_armv7l", NULL };
	c.f.platform = "linux-armv7l";
	c.f.elf_class = 1;
	c.f.elf_machine = 40;
	c.f.elf_flags = 0x05000000UL;
	check_case(&c);
	c.what = "armv7l hard-float: manylinux";
	c.f.elf_flags = 0x05000400UL;
	c.head = "cp311-cp311-manylinux_2_36_armv7l";
	c.plats = "manylinux_2_36_armv7l manylinux_2_35_armv7l manylinux_2_34_armv7l manylinux_2_33_armv7l "
		  "manylinux_2_32_armv7l manylinux_2_31_armv7l manylinux_2_30_armv7l manylinux_2_29_armv7l "
		  "manylinux_2_28_armv7l manylinux_2_27_armv7l manylinux_2_26_armv7l manylinux_2_25_armv7l "
		  "manylinux_2_24_armv7l manylinux_2_23_armv7l manylinux_2_22_armv7l manylinux_2_21_armv7l "
		  "manylinux_2_20_armv7l manylinux_2_19_armv7l manylinux_2_18_armv7l manylinux_2_17_armv7l "
		  "manylinux2014_armv7l linux_armv7l";
	c.count = 25 * 22 + 14; /* 12 interpreter-abi pairs and 13 pyXY on 22 platforms, 14 for "any" */
	check_case(&c);

	c = (struct tag_case){ "debug cpython 3.8, glibc 3.1", *base_facts(), 1051,
			      "cp38-cp38d-manylinux_3_1_x86_64 cp38-cp38d-manylinux_3_0_x86_64 "
			      "cp38-cp38d-manylinux_2_50_x86_64", NULL, NULL };
	c.f.minor = 8;
	c.f.py_version_nodot = "38";
	c.f.py_debug = 1;
	c.f.glibc_version = "3.1";
	{
		struct buf b = BUF_INIT;
		int m;

		buf_adds(&b, "manylinux_3_1_x86_64 manylinux_3_0_x86_64");
		for (m = 50; m > 17; m--)
			buf_addf(&b, " " ML(%d), m);
		buf_adds(&b, " " ML_17_5 " linux_x86_64");
		c.plats = b.s;
		check_case(&c);
		buf_release(&b);
	}

	c = (struct tag_case){ "cpython 2.7 wide unicode, 32-bit windows", *base_facts(), 21, "cp27-cp27mu-win32",
			      "win32",
			      "cp27-cp27mu-win32 cp27-none-win32 py27-none-win32 py2-none-win32 py26-none-win32 "
			      "py25-none-win32 py24-none-win32 py23-none-win32 py22-none-win32 py21-none-win32 "
			      "py20-none-win32 cp27-none-any py27-none-any py2-none-any py26-none-any py25-none-any "
			      "py24-none-any py23-none-any py22-none-any py21-none-any py20-none-any" };
	c.f.major = 2;
	c.f.minor = 7;
	c.f.py_version_nodot = "27";
	c.f.unicode_size = 4;
	c.f.with_pymalloc = -1;
	c.f.system = "Windows";
	c.f.platform = "win32";
	c.f.is_32bit = 1;
	check_case(&c);
}

static void test_abis(void)
{
	static const struct {
		int minor, debug, pymalloc, refcount;
		const char *want; /* the abis before abi3, space separated */
	} t[] = {
		{ 7, 0, 1, 0, "cp37m" }, { 7, 1, 1, 0, "cp37dm" }, { 7, 0, -1, 0, "cp37m" }, { 7, 0, 0, 0, "cp37" },
		{ 8, 1, 1, 0, "cp38d cp38" }, { 8, -1, 1, 1, "cp38d cp38" }, { 8, -1, 1, 0, "cp38" },
		{ 8, 0, 1, 1, "cp38" },
	};
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct tag_facts f = *base_facts();
		struct tag_list l = TAG_LIST_INIT;
		struct buf err = BUF_INIT, b = BUF_INIT;

		f.minor = t[i].minor;
		f.py_debug = t[i].debug;
		f.with_pymalloc = t[i].pymalloc;
		f.has_gettotalrefcount = t[i].refcount;
		f.system = "Windows";
		f.platform = "win-amd64";
		if (tags_compute(&f, &l, &err))
			BUG("%s", err.s);
		for (j = 0; j < l.nr && !strstr(l.v[j], "-abi3-"); j++) {
			size_t len = strchr(strchr(l.v[j], '-') + 1, '-') - strchr(l.v[j], '-') - 1;

			buf_addf(&b, "%s%.*s", j ? " " : "", (int)len, strchr(l.v[j], '-') + 1);
		}
		is_str(b.s, t[i].want, "abis of 3.%d debug=%d pymalloc=%d refcount=%d", t[i].minor, t[i].debug,
		       t[i].pymalloc, t[i].refcount);
		buf_release(&b);
		buf_release(&err);
		tag_list_release(&l);
	}
}

static void test_errors(void)
{
	struct tag_facts f = *base_facts();
	struct tag_list l = TAG_LIST_INIT;
	struct buf err = BUF_INIT;
	int r;

	f.impl_name = NULL;
	r = tags_compute(&f, &l, &err);
	ok(r < 0 && err.len, "no implementation: error '%s'", err.s);
	buf_reset(&err);
	f = *base_facts();
	f.impl_name = "pypy";
	f.ext_suffix = NULL;
	r = tags_compute(&f, &l, &err);
	ok(r < 0 && strstr(err.s, "EXT_SUFFIX"), "generic without EXT_SUFFIX: '%s'", err.s);
	buf_reset(&err);
	f = *base_facts();
	f.system = "Darwin";
	f.mac_version = "";
	r = tags_compute(&f, &l, &err);
	ok(r < 0 && strstr(err.s, "macOS"), "macOS without version: '%s'", err.s);
	buf_release(&err);
	tag_list_release(&l);
}

int main(void)
{
	plan_no_plan();
	test_expand();
	test_rank();
	test_sys_tags();
	test_abis();
	test_errors();
	return done_testing();
}
