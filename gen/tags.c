/* tags.c: compatibility tags (see tags.h). The computation follows packaging 23.0's tags.py,
 * _manylinux.py and _musllinux.py function by function. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tags.h"

void tag_list_init(struct tag_list *l)
{
	memset(l, 0, sizeof(*l));
}

void tag_list_release(struct tag_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	free(l->slots);
	tag_list_init(l);
}

static uint64_t hash_tag(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++) {
		h ^= (unsigned char)ascii_tolower((unsigned char)*s);
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot holding tag s, or the empty slot where it would go. */
static size_t *find_slot(const struct tag_list *l, const char *s)
{
	size_t mask = l->nslots - 1, i = hash_tag(s) & mask;

	while (l->slots[i] && ascii_strcasecmp(l->v[l->slots[i] - 1], s) != 0)
		i = (i + 1) & mask;
	return &l->slots[i];
}

static void rehash(struct tag_list *l)
{
	size_t n = l->nslots ? l->nslots : 32, i;

	while (n / 2 <= l->nr) {
		if (n > SIZE_MAX / 2 / sizeof(*l->slots))
			xalloc_die("tag list too large");
		n *= 2;
	}
	free(l->slots);
	l->slots = xcalloc(n, sizeof(*l->slots));
	l->nslots = n;
	for (i = 0; i < l->nr; i++) {
		size_t *slot = find_slot(l, l->v[i]);

		if (!*slot)
			*slot = i + 1;
	}
}

static void tag_list_push(struct tag_list *l, char *tag)
{
	size_t *slot;

	GROW(l->v, l->alloc, l->nr + 1);
	l->v[l->nr++] = tag;
	if (l->nr * 2 > l->nslots)
		rehash(l);
	else if (!*(slot = find_slot(l, tag)))
		*slot = l->nr;
}

static char *tag_join(const char *interpreter, const char *abi, const char *platform)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_addf(&b, "%s-%s-%s", interpreter, abi, platform);
	for (i = 0; i < b.len; i++)
		b.s[i] = ascii_tolower((unsigned char)b.s[i]);
	return buf_detach(&b, NULL);
}

void tag_list_add(struct tag_list *l, const char *interpreter, const char *abi, const char *platform)
{
	tag_list_push(l, tag_join(interpreter, abi, platform));
}

long tag_list_rank(const struct tag_list *l, const char *tag)
{
	size_t slot;

	if (!l->nslots)
		return -1;
	slot = *find_slot(l, tag);
	return slot ? (long)(slot - 1) : -1;
}

/* Split s at sep into a NULL-terminated array of new strings (empty fields kept). */
static char **split(const char *s, int sep, size_t *n)
{
	char **v = NULL;
	size_t alloc = 0, nr = 0;
	const char *e;

	for (;;) {
		e = strchr(s, sep);
		GROW(v, alloc, nr + 2);
		v[nr++] = e ? xstrndup(s, e - s) : xstrdup(s);
		if (!e)
			break;
		s = e + 1;
	}
	v[nr] = NULL;
	*n = nr;
	return v;
}

static void free_split(char **v)
{
	char **p;

	for (p = v; *p; p++)
		free(*p);
	free(v);
}

int tag_set_expand(const char *compressed, struct tag_list *out)
{
	char **parts, **in, **ab, **pl;
	size_t np, ni, na, npl, i, j, k;

	parts = split(compressed, '-', &np);
	if (np != 3) {
		free_split(parts);
		return -1;
	}
	in = split(parts[0], '.', &ni);
	ab = split(parts[1], '.', &na);
	pl = split(parts[2], '.', &npl);
	for (i = 0; i < ni; i++)
		for (j = 0; j < na; j++)
			for (k = 0; k < npl; k++) {
				char *t = tag_join(in[i], ab[j], pl[k]);

				if (tag_list_rank(out, t) < 0)
					tag_list_push(out, t);
				else
					free(t);
			}
	free_split(in);
	free_split(ab);
	free_split(pl);
	free_split(parts);
	return 0;
}

long tag_list_best_rank(const struct tag_list *l, const char *compressed)
{
	struct tag_list set = TAG_LIST_INIT;
	long best = -1, r;
	size_t i;

	if (tag_set_expand(compressed, &set) == 0)
		for (i = 0; i < set.nr; i++) {
			r = tag_list_rank(l, set.v[i]);
			if (r >= 0 && (best < 0 || r < best))
				best = r;
		}
	tag_list_release(&set);
	return best;
}

void tag_facts_init(struct tag_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->major = f->minor = -1;
	f->py_debug = f->with_pymalloc = f->unicode_size = -1;
	f->musl_major = f->musl_minor = -1;
	f->ml_legacy[0] = f->ml_legacy[1] = f->ml_legacy[2] = -1;
}

/* A list of owned strings. */
struct strlist {
	char **v;
	size_t nr, alloc;
};

static void strlist_push(struct strlist *l, char *s)
{
	GROW(l->v, l->alloc, l->nr + 1);
	l->v[l->nr++] = s;
}

static void strlist_release(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* packaging's _normalize_string: '.' and '-' become '_'. */
static char *normalize_string(const char *s)
{
	char *r = xstrdup(s), *p;

	for (p = r; *p; p++)
		if (*p == '.' || *p == '-')
			*p = '_';
	return r;
}

/* s with every occurrence of 'from' replaced by 'to' (str.replace). */
static char *replace_all(const char *s, const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(from);
	const char *p;

	while ((p = strstr(s, from)) != NULL) {
		buf_add(&b, s, p - s);
		buf_adds(&b, to);
		s = p + n;
	}
	buf_adds(&b, s);
	return buf_detach(&b, NULL);
}

/* ---- manylinux (PEP 600 and its predecessors), musllinux (PEP 656) */

static int have_compatible_abi(const struct tag_facts *f, const char *arch)
{
	static const char *const ok64[] = { "x86_64", "aarch64", "ppc64", "ppc64le", "s390x" };
	size_t i;

	if (strcmp(arch, "armv7l") == 0)
		return f->elf_class == 1 && f->elf_data == 1 && f->elf_machine == 40 &&
		       (f->elf_flags & 0xFF000000UL) == 0x05000000UL && (f->elf_flags & 0x400UL) == 0x400UL;
	if (strcmp(arch, "i686") == 0)
		return f->elf_class == 1 && f->elf_data == 1 && f->elf_machine == 3;
	for (i = 0; i < ARRAY_SIZE(ok64); i++)
		if (strcmp(arch, ok64[i]) == 0)
			return 1;
	return 0;
}

/* _parse_glibc_version: leading "N.M", else (-1, -1). Absurdly large numbers count as unparsable. */
static void parse_glibc(const char *s, int *major, int *minor)
{
	long v[2] = { 0, 0 };
	int i;

	*major = *minor = -1;
	if (!s)
		return;
	for (i = 0; i < 2; i++) {
		if (!ascii_isdigit((unsigned char)*s))
			return;
		for (; ascii_isdigit((unsigned char)*s); s++) {
			v[i] = v[i] * 10 + (*s - '0');
			if (v[i] > 100000)
				return;
		}
		if (i == 0 && *s++ != '.')
			return;
	}
	*major = (int)v[0];
	*minor = (int)v[1];
}

static int is_compatible(const struct tag_facts *f, int gmaj, int gmin, int major, int minor)
{
	size_t i;

	if (gmaj < major || (gmaj == major && gmin < minor))
		return 0;
	if (!f->ml_module)
		return 1;
	if (f->ml_has_fn) {
		for (i = 0; i < f->ml_nanswers; i++)
			if (f->ml_answers[i].major == major && f->ml_answers[i].minor == minor)
				return f->ml_answers[i].result != 0;
		return 1;
	}
	if (major == 2 && minor == 5 && f->ml_legacy[0] >= 0)
		return f->ml_legacy[0];
	if (major == 2 && minor == 12 && f->ml_legacy[1] >= 0)
		return f->ml_legacy[1];
	if (major == 2 && minor == 17 && f->ml_legacy[2] >= 0)
		return f->ml_legacy[2];
	return 1;
}

static const char *legacy_manylinux(int major, int minor)
{
	if (major != 2)
		return NULL;
	return minor == 17 ? "manylinux2014" : minor == 12 ? "manylinux2010" : minor == 5 ? "manylinux1" : NULL;
}

static void manylinux_platforms(const struct tag_facts *f, const char *lnx, const char *arch,
				struct strlist *out)
{
	int too_old_minor = 16, gmaj, gmin, maj, min_minor, max_minor, m;
	const char *legacy;
	char *tag;

	if (!have_compatible_abi(f, arch))
		return;
	if (strcmp(arch, "x86_64") == 0 || strcmp(arch, "i686") == 0)
		too_old_minor = 4;
	parse_glibc(f->glibc_version, &gmaj, &gmin);
	/* the current glibc, then every older major version up to its (guessed) last minor 50 */
	for (maj = gmaj; maj >= 2 || maj == gmaj; maj--) {
		max_minor = maj == gmaj ? gmin : 50;
		min_minor = maj == 2 ? too_old_minor : -1;
		for (m = max_minor; m > min_minor; m--) {
			if (is_compatible(f, gmaj, gmin, maj, m)) {
				tag = xasprintf("manylinux_%d_%d", maj, m);
				strlist_push(out, replace_all(lnx, "linux", tag));
				free(tag);
			}
			legacy = legacy_manylinux(maj, m);
			if (legacy && is_compatible(f, gmaj, gmin, maj, m))
				strlist_push(out, replace_all(lnx, "linux", legacy));
		}
		if (maj < 2)
			break;
	}
}

static int linux_platforms(const struct tag_facts *f, struct strlist *out, struct buf *err)
{
	char *lnx = normalize_string(f->platform);
	const char *arch;
	int m;

	if (f->is_32bit) {
		if (strcmp(lnx, "linux_x86_64") == 0) {
			free(lnx);
			lnx = xstrdup("linux_i686");
		} else if (strcmp(lnx, "linux_aarch64") == 0) {
			free(lnx);
			lnx = xstrdup("linux_armv7l");
		}
	}
	arch = strchr(lnx, '_');
	if (!arch) {
		buf_addf(err, "cannot find the architecture in platform '%s'", f->platform);
		free(lnx);
		return -1;
	}
	arch++;
	manylinux_platforms(f, lnx, arch, out);
	if (f->musl_major >= 0)
		for (m = f->musl_minor; m >= 0; m--)
			strlist_push(out, xasprintf("musllinux_%d_%d_%s", f->musl_major, m, arch));
	strlist_push(out, lnx);
	return 0;
}

/* ---- macOS */

static int ver_lt(int amaj, int amin, int bmaj, int bmin)
{
	return amaj < bmaj || (amaj == bmaj && amin < bmin);
}

static void mac_binary_formats(int maj, int min, const char *arch, struct strlist *out)
{
	static const char *const universal[] = { "x86_64", "i386", "ppc64", "ppc", "intel" };
	struct strlist l = { NULL, 0, 0 };
	size_t i;

	strlist_push(&l, xstrdup(arch));
	if (strcmp(arch, "x86_64") == 0) {
		if (ver_lt(maj, min, 10, 4))
			goto none;
		strlist_push(&l, xstrdup("intel"));
		strlist_push(&l, xstrdup("fat64"));
		strlist_push(&l, xstrdup("fat32"));
	} else if (strcmp(arch, "i386") == 0) {
		if (ver_lt(maj, min, 10, 4))
			goto none;
		strlist_push(&l, xstrdup("intel"));
		strlist_push(&l, xstrdup("fat32"));
		strlist_push(&l, xstrdup("fat"));
	} else if (strcmp(arch, "ppc64") == 0) {
		if (ver_lt(10, 5, maj, min) || ver_lt(maj, min, 10, 4))
			goto none;
		strlist_push(&l, xstrdup("fat64"));
	} else if (strcmp(arch, "ppc") == 0) {
		if (ver_lt(10, 6, maj, min))
			goto none;
		strlist_push(&l, xstrdup("fat32"));
		strlist_push(&l, xstrdup("fat"));
	}
	if (strcmp(arch, "arm64") == 0 || strcmp(arch, "x86_64") == 0)
		strlist_push(&l, xstrdup("universal2"));
	for (i = 0; i < ARRAY_SIZE(universal); i++)
		if (strcmp(arch, universal[i]) == 0)
			strlist_push(&l, xstrdup("universal"));
	for (i = 0; i < l.nr; i++)
		strlist_push(out, xasprintf("macosx_%d_%d_%s", maj, min, l.v[i]));
none:
	strlist_release(&l);
}

static int mac_platforms(const struct tag_facts *f, struct strlist *out, struct buf *err)
{
	const char *arch = f->mac_arch ? f->mac_arch : "";
	const char *s = f->mac_version ? f->mac_version : "";
	long maj = 0, min = 0;
	int m;

	if (f->is_32bit)
		arch = starts_with(arch, "ppc") ? "ppc" : "i386";
	/* "MAJOR.MINOR[...]"; a lone "MAJOR" counts as MAJOR.0 */
	for (; ascii_isdigit((unsigned char)*s) && maj < 100000; s++)
		maj = maj * 10 + (*s - '0');
	if (*s == '.')
		for (s++; ascii_isdigit((unsigned char)*s) && min < 100000; s++)
			min = min * 10 + (*s - '0');
	if (s == f->mac_version || (*s && *s != '.')) {
		buf_addf(err, "cannot parse the macOS version '%s'", f->mac_version ? f->mac_version : "");
		return -1;
	}
	if (maj == 10)
		for (m = (int)min; m >= 0; m--)
			mac_binary_formats(10, m, arch, out);
	if (maj >= 11) {
		for (m = (int)maj; m > 10; m--)
			mac_binary_formats(m, 0, arch, out);
		for (m = 16; m > 3; m--)
			if (strcmp(arch, "x86_64") == 0)
				mac_binary_formats(10, m, arch, out);
			else
				strlist_push(out, xasprintf("macosx_10_%d_universal2", m));
	}
	return 0;
}

static int platform_tags(const struct tag_facts *f, struct strlist *out, struct buf *err)
{
	if (!f->platform) {
		buf_addf(err, "unknown platform (sysconfig.get_platform() missing)");
		return -1;
	}
	if (f->system && strcmp(f->system, "Darwin") == 0)
		return mac_platforms(f, out, err);
	if (f->system && strcmp(f->system, "Linux") == 0)
		return linux_platforms(f, out, err);
	strlist_push(out, normalize_string(f->platform));
	return 0;
}

/* ---- interpreters */

static const char *interpreter_name(const struct tag_facts *f)
{
	static const char *const short_names[][2] = {
		{ "python", "py" }, { "cpython", "cp" }, { "pypy", "pp" }, { "ironpython", "ip" }, { "jython", "jy" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(short_names); i++)
		if (strcmp(f->impl_name, short_names[i][0]) == 0)
			return short_names[i][1];
	return f->impl_name;
}

/* interpreter_version(): py_version_nodot, or major and minor run together. */
static char *interpreter_version(const struct tag_facts *f)
{
	if (f->py_version_nodot && *f->py_version_nodot)
		return xstrdup(f->py_version_nodot);
	return xasprintf("%d%d", f->major, f->minor);
}

static void cpython_abis(const struct tag_facts *f, int major, int minor, struct strlist *abis)
{
	const char *debug = "", *pymalloc = "", *ucs4 = "";
	int lt38 = ver_lt(major, minor, 3, 8);

	if (f->py_debug == 1 || (f->py_debug < 0 && (f->has_gettotalrefcount || f->ext_d_pyd)))
		debug = "d";
	if (lt38) {
		if (f->with_pymalloc != 0)
			pymalloc = "m";
		if (ver_lt(major, minor, 3, 3) &&
		    (f->unicode_size == 4 || (f->unicode_size < 0 && f->maxunicode_wide)))
			ucs4 = "u";
	}
	strlist_push(abis, xasprintf("cp%d%d%s%s%s", major, minor, debug, pymalloc, ucs4));
	if (!lt38 && *debug)
		strlist_push(abis, xasprintf("cp%d%d", major, minor));
}

static void add_product(struct tag_list *out, const char *interp, const char *abi, const struct strlist *plats)
{
	size_t i;

	for (i = 0; i < plats->nr; i++)
		tag_list_add(out, interp, abi, plats->v[i]);
}

static void cpython_tags(const struct tag_facts *f, const struct strlist *plats, struct tag_list *out)
{
	struct strlist abis = { NULL, 0, 0 };
	char *interp = xasprintf("cp%d%d", f->major, f->minor), *older;
	int abi3 = !ver_lt(f->major, f->minor, 3, 2);
	size_t i;
	int m;

	cpython_abis(f, f->major, f->minor, &abis);
	for (i = 0; i < abis.nr; i++)
		add_product(out, interp, abis.v[i], plats);
	if (abi3)
		add_product(out, interp, "abi3", plats);
	add_product(out, interp, "none", plats);
	if (abi3)
		for (m = f->minor - 1; m > 1; m--) {
			older = xasprintf("cp%d%d", f->major, m);
			add_product(out, older, "abi3", plats);
			free(older);
		}
	free(interp);
	strlist_release(&abis);
}

/* _generic_abi(): the ABI part of EXT_SUFFIX. */
static int generic_abis(const struct tag_facts *f, struct strlist *abis, struct buf *err)
{
	char **parts, **dash;
	const char *soabi;
	size_t n, nd;
	char *abi = NULL;
	int ret = 0;

	if (!f->ext_suffix || f->ext_suffix[0] != '.') {
		buf_addf(err, "invalid sysconfig.get_config_var('EXT_SUFFIX'): '%s'",
			 f->ext_suffix ? f->ext_suffix : "None");
		return -1;
	}
	parts = split(f->ext_suffix, '.', &n);
	if (n < 3) {
		cpython_abis(f, f->major, f->minor, abis);
		free_split(parts);
		return 0;
	}
	soabi = parts[1];
	dash = split(soabi, '-', &nd);
	if (starts_with(soabi, "cpython")) {
		if (nd < 2) {
			buf_addf(err, "cannot parse EXT_SUFFIX '%s'", f->ext_suffix);
			ret = -1;
		} else {
			abi = xasprintf("cp%s", dash[1]);
		}
	} else if (starts_with(soabi, "cp")) {
		abi = xstrdup(dash[0]);
	} else if (starts_with(soabi, "pypy")) {
		abi = nd < 2 ? xstrdup(dash[0]) : xasprintf("%s-%s", dash[0], dash[1]);
	} else if (starts_with(soabi, "graalpy")) {
		abi = nd < 2 ? xstrdup(dash[0]) : nd < 3 ? xasprintf("%s-%s", dash[0], dash[1]) :
			xasprintf("%s-%s-%s", dash[0], dash[1], dash[2]);
	} else if (*soabi) {
		abi = xstrdup(soabi);
	}
	if (abi) {
		strlist_push(abis, normalize_string(abi));
		free(abi);
	}
	free_split(dash);
	free_split(parts);
	return ret;
}

static int generic_tags(const struct tag_facts *f, const struct strlist *plats, struct tag_list *out,
			struct buf *err)
{
	struct strlist abis = { NULL, 0, 0 };
	char *v = interpreter_version(f), *interp = xasprintf("%s%s", interpreter_name(f), v);
	int has_none = 0;
	size_t i;

	free(v);
	if (generic_abis(f, &abis, err)) {
		free(interp);
		strlist_release(&abis);
		return -1;
	}
	for (i = 0; i < abis.nr; i++)
		has_none |= strcmp(abis.v[i], "none") == 0;
	if (!has_none)
		strlist_push(&abis, xstrdup("none"));
	for (i = 0; i < abis.nr; i++)
		add_product(out, interp, abis.v[i], plats);
	free(interp);
	strlist_release(&abis);
	return 0;
}

/* _py_interpreter_range(): pyXY, pyX, then pyX(Y-1) down to pyX0. */
static void py_range(const struct tag_facts *f, struct strlist *out)
{
	int m;

	strlist_push(out, xasprintf("py%d%d", f->major, f->minor));
	strlist_push(out, xasprintf("py%d", f->major));
	for (m = f->minor - 1; m >= 0; m--)
		strlist_push(out, xasprintf("py%d%d", f->major, m));
}

static void compatible_tags(const struct tag_facts *f, const char *interp, const struct strlist *plats,
			    struct tag_list *out)
{
	struct strlist vers = { NULL, 0, 0 };
	size_t i;

	py_range(f, &vers);
	for (i = 0; i < vers.nr; i++)
		add_product(out, vers.v[i], "none", plats);
	if (interp)
		tag_list_add(out, interp, "none", "any");
	for (i = 0; i < vers.nr; i++)
		tag_list_add(out, vers.v[i], "none", "any");
	strlist_release(&vers);
}

int tags_compute(const struct tag_facts *f, struct tag_list *out, struct buf *err)
{
	struct strlist plats = { NULL, 0, 0 };
	const char *name;
	char *interp = NULL, *v;
	int ret = 0;

	if (!f->impl_name || f->major < 0 || f->minor < 0) {
		buf_addf(err, "incomplete interpreter description (implementation or version missing)");
		return -1;
	}
	if (platform_tags(f, &plats, err)) {
		strlist_release(&plats);
		return -1;
	}
	name = interpreter_name(f);
	if (strcmp(name, "cp") == 0)
		cpython_tags(f, &plats, out);
	else
		ret = generic_tags(f, &plats, out, err);
	if (!ret) {
		if (strcmp(name, "pp") == 0) {
			interp = xstrdup("pp3");
		} else if (strcmp(name, "cp") == 0) {
			v = interpreter_version(f);
			interp = xasprintf("cp%s", v);
			free(v);
		}
		compatible_tags(f, interp, &plats, out);
	}
	free(interp);
	strlist_release(&plats);
	return ret;
}
