"""diff-names: wbgen's filenames, tags and target interpreter vs packaging 23.0.

Categories: wheel filenames, sdist filenames (generated and mutated) against
packaging.utils; built filenames against canonicalize_name + Version; compressed tag
sets against packaging.tags.parse_tag; tag lists computed from interpreter facts
against packaging.tags.sys_tags() with those facts patched in; the tags and marker
environment of /usr/bin/python3 and of every pyenv interpreter that can import
packaging 23.0 against the real thing.
"""
import glob
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import types
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difflib_tap as t  # noqa: E402

import packaging  # noqa: E402
from packaging import _manylinux, _musllinux, markers, tags, utils  # noqa: E402
from packaging.version import InvalidVersion, Version  # noqa: E402


def non_ascii(s):
    return any(ord(c) > 127 for c in s)


def known_non_ascii(i, got, want):
    # Deliberate: wbgen accepts ASCII filenames only (project names are ASCII, PEP 508);
    # packaging's \w, \d and str.lower() also accept other Unicode letters and digits.
    return got == "error" and want != "error" and non_ascii(i)


# ---- wheel filenames

def ref_wheel(f):
    try:
        name, ver, build, tagset = utils.parse_wheel_filename(f)
    except (utils.InvalidWheelFilename, InvalidVersion):
        return "error"
    b = "%d,%s" % build if build else ""
    return "ok\t%s\t%s\t%s\t%s" % (name, ver, b, ",".join(sorted(str(x) for x in tagset)))


NAMES = ["foo", "Foo_Bar", "foo.bar", "a", "", "_", "foo__bar", "foo+bar", "x1", "Zope.Interface",
         "foo_.bar", "1"]
VERSIONS = ["1.0", "1.0.post1", "2!1.0", "1.0+local.1", "1.0a1", "v1.0", "1.0.dev", "abc", "", "1..0",
            "1.0+", " 1.0", "1.0RC1", "01.02", "1.0_1"]
BUILDS = [None, "1", "007", "1abc", "abc", "", "1_x", "12345678901234567890123"]
TAGS = ["py3-none-any", "py2.py3-none-any", "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
        "PY3-None-ANY", "py3.-none-any", "..-.-."]
ALPHABET = "-_.a1+!Wx "


def mutate(rng, s):
    i = rng.randrange(len(s) + 1)
    op = rng.randrange(3)
    c = rng.choice(ALPHABET)
    if op == 0 or not s:
        return s[:i] + c + s[i:]
    i = min(i, len(s) - 1)
    if op == 1:
        return s[:i] + s[i + 1:]
    return s[:i] + c + s[i + 1:]


def wheel_inputs(rng):
    out = []
    for n in NAMES:
        for v in VERSIONS:
            for b in BUILDS:
                for tg in TAGS:
                    out.append("-".join([n, v] + ([b] if b is not None else []) + [tg]) + ".whl")
    valid = [f for f in out if ref_wheel(f) != "error"]
    for _ in range(3000):
        f = rng.choice(valid)
        for _ in range(rng.randrange(1, 3)):
            f = mutate(rng, f)
        out.append(f)
    out += ["foo-1.0-py3-none-any.WHL", "foo-1.0-py3-none-any.zip", ".whl", "-.whl", "----.whl", "-----.whl",
            "------.whl", "foo-1.0-py3-none-any.whl.whl", "foo-1.0-\u0661-py3-none-any.whl",
            "caf\u00e9-1.0-py3-none-any.whl", "foo-1.0-py3-none-\u00c9.whl", "foo-\u0661.0-py3-none-any.whl"]
    return out


# ---- sdist filenames

def ref_sdist(f):
    try:
        name, ver = utils.parse_sdist_filename(f)
    except (utils.InvalidSdistFilename, InvalidVersion):
        return "error"
    return "ok\t%s\t%s" % (name, ver)


def sdist_inputs(rng):
    out = []
    for n in NAMES + ["python-dateutil", "foo-bar-baz"]:
        for v in VERSIONS + ["1.0-1", "1.0-post1"]:
            for ext in [".tar.gz", ".zip", ".tar.bz2", ".tgz", ".TAR.GZ", ".tar.gz.zip", ""]:
                out.append(n + "-" + v + ext)
    valid = [f for f in out if ref_sdist(f) != "error"]
    for _ in range(2000):
        f = rng.choice(valid)
        for _ in range(rng.randrange(1, 3)):
            f = mutate(rng, f)
        out.append(f)
    out += [".tar.gz", "-.tar.gz", "foo.zip", "-1.0.zip", "caf\u00e9-1.0.tar.gz", "foo-\u0661.0.zip"]
    return out


# ---- built filenames

def ref_built(line):
    name, ver = line.split("\t")
    try:
        v = str(Version(ver))
    except InvalidVersion:
        return "error\terror"
    stem = utils.canonicalize_name(name).replace("-", "_") + "-" + v
    return "%s.tar.gz\t%s-py3-none-any.whl" % (stem, stem)


def built_inputs():
    names = ["foo", "Foo_Bar", "foo.bar", "Zope.Interface", "a-_.b", "FOO--Bar__baz"]
    return ["%s\t%s" % (n, v) for n in names for v in ["1.0", "1.0.0", "2!1.0a1", "1.0+Local.1", "v1.0-1", "1.0RC1"]]


# ---- compressed tag sets

def ref_expand(s):
    try:
        ts = tags.parse_tag(s)
    except ValueError:
        return "error"
    return ",".join(sorted(str(x) for x in ts))


def expand_inputs():
    base = ["py3-none-any", "py2.py3-none-any", "cp38.cp39-abi3.none-manylinux1_x86_64.linux_x86_64",
            "PY3-NONE-ANY", "a..b-.-c", "py3-none", "py3-none-any-x", "", "--", "a.a-b.b-c.c",
            "cp311-cp311-macosx_10_9_universal2.macosx_11_0_arm64"]
    return base


# ---- tags from facts

def elf_file(d, elf):
    """A file whose ELF header carries the given class, data, machine and flags."""
    path = os.path.join(d, "exe")
    with open(path, "wb") as f:
        if elf:
            c, e = elf["class"], elf["data"]
            f.write(b"\x7fELF" + bytes([c, e]) + b"\0" * 10)
            end = "<" if e == 1 else ">"
            fmt = end + ("HHIIIIIHHH" if c == 1 else "HHIQQQIHHH")
            f.write(struct.pack(fmt, 2, elf["machine"], 1, 0, 0, 0, elf["flags"], 0, 0, 0))
    return path
def sys_tags(facts, tmpdir):
    """list(packaging.tags.sys_tags()) for an interpreter described by facts (the query's 'tags' object)."""
    F = facts
    names = {"python": "py", "cpython": "cp", "pypy": "pp", "ironpython": "ip", "jython": "jy"}
    cfg = {"py_version_nodot": F["py_version_nodot"], "Py_DEBUG": F["py_debug"],
           "WITH_PYMALLOC": F["with_pymalloc"], "Py_UNICODE_SIZE": F["unicode_size"],
           "EXT_SUFFIX": F["ext_suffix"]}
    fsys = types.SimpleNamespace(version_info=tuple(F["version"]) + (0, "final", 0),
                                 maxunicode=0x10FFFF if F["maxunicode_wide"] else 0xFFFF,
                                 implementation=types.SimpleNamespace(name=F["impl_name"]),
                                 executable=elf_file(tmpdir, F["elf"]))
    if F["has_gettotalrefcount"]:
        fsys.gettotalrefcount = lambda: 0
    saved = {}

    def patch(mod, attr, val):
        saved[(mod, attr)] = getattr(mod, attr)
        setattr(mod, attr, val)

    patch(tags, "sys", fsys)
    patch(tags, "_get_config_var", lambda name, warn=False: cfg.get(name))
    patch(tags, "EXTENSION_SUFFIXES", [".cpython-x.so", "_d.pyd"] if F["ext_d_pyd"] else [".so"])
    patch(tags, "sysconfig", types.SimpleNamespace(get_platform=lambda: F["platform"]))
    patch(tags, "platform", types.SimpleNamespace(system=lambda: F["system"],
                                                  mac_ver=lambda: (F["mac_version"], ("", "", ""), F["mac_arch"])))
    saved_defaults = (tags._linux_platforms.__defaults__, tags._mac_arch.__defaults__)
    tags._linux_platforms.__defaults__ = (F["is_32bit"],)
    tags._mac_arch.__defaults__ = (F["is_32bit"],)
    g = F["glibc_version"]
    patch(_manylinux, "_get_glibc_version",
          lambda: (-1, -1) if g is None else _manylinux._parse_glibc_version(g))
    patch(_manylinux, "sys", fsys)
    m = F["musl"]
    patch(_musllinux, "_get_musl_version", lambda exe: _musllinux._MuslVersion(*m) if m else None)
    ml = F.get("manylinux_module")
    saved_mod = sys.modules.get("_manylinux")
    if ml is not None:
        mod = types.ModuleType("_manylinux")
        for k in ("manylinux1", "manylinux2010", "manylinux2014"):
            if ml.get(k) is not None:
                setattr(mod, k + "_compatible", ml[k])
        if ml.get("answers") is not None:
            ans = {(a, b): r for a, b, r in ml["answers"]}
            mod.manylinux_compatible = lambda a, b, arch: ans.get((a, b))
        sys.modules["_manylinux"] = mod
    try:
        return [str(t) for t in tags.sys_tags()]
    finally:
        for (mod, attr), val in saved.items():
            setattr(mod, attr, val)
        tags._linux_platforms.__defaults__, tags._mac_arch.__defaults__ = saved_defaults
        if ml is not None:
            if saved_mod is None:
                del sys.modules["_manylinux"]
            else:
                sys.modules["_manylinux"] = saved_mod


BASE = {"impl_name": "cpython", "version": [3, 11], "py_version_nodot": "311", "py_debug": False,
        "has_gettotalrefcount": False, "ext_d_pyd": False, "with_pymalloc": True, "unicode_size": None,
        "maxunicode_wide": True, "ext_suffix": ".cpython-311-x86_64-linux-gnu.so", "system": "Linux",
        "platform": "linux-x86_64", "is_32bit": False, "glibc_version": "2.36", "musl": None,
        "elf": {"class": 2, "data": 1, "machine": 62, "flags": 0}, "mac_version": "", "mac_arch": "",
        "manylinux_module": None}

ELF_I386 = {"class": 1, "data": 1, "machine": 3, "flags": 0}
ELF_ARMHF = {"class": 1, "data": 1, "machine": 40, "flags": 0x05000400}
ELF_ARMSF = {"class": 1, "data": 1, "machine": 40, "flags": 0x05000000}

FACT_CASES = [
    {},
    {"version": [3, 12], "py_version_nodot": "312"},
    {"version": [3, 13], "py_version_nodot": "313"},
    {"version": [3, 4], "py_version_nodot": "34", "glibc_version": "2.17", "platform": "linux-aarch64"},
    {"version": [3, 7], "py_version_nodot": "37"},
    {"version": [3, 7], "py_version_nodot": "37", "py_debug": True},
    {"version": [3, 7], "py_version_nodot": "37", "with_pymalloc": None},
    {"version": [3, 7], "py_version_nodot": "37", "with_pymalloc": False},
    {"version": [3, 8], "py_version_nodot": "38", "py_debug": True},
    {"version": [3, 8], "py_version_nodot": "38", "py_debug": None, "has_gettotalrefcount": True},
    {"version": [3, 9], "py_version_nodot": "39", "py_debug": None, "ext_d_pyd": True},
    {"version": [3, 10], "py_version_nodot": None},
    {"version": [3, 10], "py_version_nodot": "3_10"},
    {"version": [2, 7], "py_version_nodot": "27", "unicode_size": 4},
    {"version": [2, 7], "py_version_nodot": "27", "unicode_size": 2},
    {"version": [2, 7], "py_version_nodot": "27", "unicode_size": None, "maxunicode_wide": False},
    {"version": [3, 2], "py_version_nodot": "32", "unicode_size": None},
    {"version": [3, 1], "py_version_nodot": "31"},
    {"glibc_version": None},
    {"glibc_version": "2.5"},
    {"glibc_version": "2.4"},
    {"glibc_version": "2.17"},
    {"glibc_version": "2.20-2014.11"},
    {"glibc_version": "3.1"},
    {"glibc_version": "junk"},
    {"glibc_version": "2"},
    {"platform": "linux-aarch64", "glibc_version": "2.31"},
    {"platform": "linux-aarch64", "glibc_version": "2.16"},
    {"platform": "linux-aarch64", "is_32bit": True, "elf": ELF_ARMHF},
    {"platform": "linux-aarch64", "is_32bit": True, "elf": ELF_ARMSF},
    {"platform": "linux-armv7l", "elf": ELF_ARMHF, "glibc_version": "2.28"},
    {"platform": "linux-i686", "elf": ELF_I386},
    {"platform": "linux-i686", "elf": None},
    {"platform": "linux-x86_64", "is_32bit": True, "elf": ELF_I386},
    {"platform": "linux-x86_64", "is_32bit": True, "elf": {"class": 1, "data": 2, "machine": 3, "flags": 0}},
    {"platform": "linux-ppc64le"}, {"platform": "linux-s390x"}, {"platform": "linux-riscv64"},
    {"platform": "linux-ppc64"}, {"platform": "linux-mips.be"},
    {"glibc_version": None, "musl": [1, 2]},
    {"glibc_version": None, "musl": [1, 1], "platform": "linux-aarch64"},
    {"system": "Darwin", "platform": "macosx-13.0-arm64", "mac_version": "13.4.1", "mac_arch": "arm64"},
    {"system": "Darwin", "platform": "macosx-11.0-x86_64", "mac_version": "12.6", "mac_arch": "x86_64"},
    {"system": "Darwin", "platform": "macosx-10.9-x86_64", "mac_version": "10.15.7", "mac_arch": "x86_64"},
    {"system": "Darwin", "platform": "macosx-10.9-x86_64", "mac_version": "10.15.7", "mac_arch": "x86_64",
     "is_32bit": True},
    {"system": "Darwin", "platform": "macosx-10.3-ppc", "mac_version": "10.5", "mac_arch": "ppc64"},
    {"system": "Darwin", "platform": "macosx-10.3-ppc", "mac_version": "10.5", "mac_arch": "ppc64",
     "is_32bit": True},
    {"system": "Darwin", "platform": "macosx-10.3-ppc", "mac_version": "10.3", "mac_arch": "i386"},
    {"system": "Darwin", "platform": "macosx-11.0-arm64", "mac_version": "11.0", "mac_arch": "arm64"},
    {"system": "Windows", "platform": "win-amd64", "ext_suffix": ".cp311-win_amd64.pyd"},
    {"system": "Windows", "platform": "win32", "is_32bit": True},
    {"system": "FreeBSD", "platform": "freebsd-13.2-RELEASE-amd64"},
    {"impl_name": "pypy", "version": [3, 9], "py_version_nodot": "39",
     "ext_suffix": ".pypy39-pp73-x86_64-linux-gnu.so"},
    {"impl_name": "pypy", "version": [3, 10], "py_version_nodot": "310", "ext_suffix": ".pypy310-pp73.so",
     "glibc_version": None},
    {"impl_name": "graalpy", "version": [3, 10], "py_version_nodot": "310",
     "ext_suffix": ".graalpy-38-native-x86_64-darwin.dylib"},
    {"impl_name": "pyston", "version": [3, 8], "py_version_nodot": "38",
     "ext_suffix": ".pyston-23-x86_64-linux-gnu.so"},
    {"impl_name": "ironpython", "version": [3, 4], "py_version_nodot": "34", "ext_suffix": ".pyd"},
    {"impl_name": "jython", "version": [2, 7], "py_version_nodot": "27", "ext_suffix": ".so",
     "system": "Java", "platform": "java1.8.0_332"},
    {"impl_name": "weird", "version": [3, 11], "py_version_nodot": "311", "ext_suffix": ".none.so"},
    {"impl_name": "pypy", "version": [3, 9], "py_version_nodot": "39", "ext_suffix": "..so"},
    {"manylinux_module": {"manylinux1": False, "manylinux2010": None, "manylinux2014": True, "answers": None}},
    {"manylinux_module": {"manylinux1": None, "manylinux2010": False, "manylinux2014": False, "answers": None}},
    {"manylinux_module": {"manylinux1": True, "manylinux2010": True, "manylinux2014": True,
                          "answers": [[2, m, m % 3 == 0 if m % 5 else None] for m in range(51)]}},
]


def fact_inputs(rng):
    cases = [dict(BASE, **c) for c in FACT_CASES]
    # random combinations: three cases merged, later ones overriding (each case is coherent)
    for _ in range(200):
        c = dict(BASE)
        for x in rng.sample(FACT_CASES, 3):
            c.update(x)
        cases.append(c)
    return cases


def ref_facts(c, d):
    """The tag list, or "error" when packaging raises (wbgen must then fail too; messages differ)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return json.dumps(sys_tags(c, d), separators=(",", ":"))
    except (SystemError, ValueError, IndexError):
        return "error"


# ---- real interpreters

REF_CODE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from packaging import tags, markers
print(json.dumps({"markers": markers.default_environment(), "tags": [str(t) for t in tags.sys_tags()]}))
"""


def interpreter_reference(py, pkgdir):
    """(markers, tags) from packaging 23.0 run inside interpreter py, or None when it cannot run it."""
    if py == sys.executable or os.path.realpath(py) == os.path.realpath(sys.executable):
        return markers.default_environment(), [str(x) for x in tags.sys_tags()]
    p = subprocess.run([py, "-E", "-s", "-c", REF_CODE, pkgdir], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, check=False)
    if p.returncode != 0:
        return None
    d = json.loads(p.stdout)
    return d["markers"], d["tags"]


def main():
    rng = random.Random(425)

    ins = wheel_inputs(rng)
    t.compare("wheel filenames", ins, t.run_probe("names-probe", ["wheel"], ins), [ref_wheel(f) for f in ins],
              known=known_non_ascii)

    ins = sdist_inputs(rng)
    t.compare("sdist filenames", ins, t.run_probe("names-probe", ["sdist"], ins), [ref_sdist(f) for f in ins],
              known=known_non_ascii)

    # with the project name known, every name the strict rule finds must be found the same way
    ins = [f for f in sdist_inputs(rng) if ref_sdist(f) != "error" and not non_ascii(f)]
    lines = ["%s\t%s" % (ref_sdist(f).split("\t")[1], f) for f in ins]
    got = [g.rsplit("\t", 1)[0] for g in t.run_probe("names-probe", ["sdist-project"], lines)]
    t.compare("sdist filenames with the project name known", lines, got, [ref_sdist(f) for f in ins])

    ins = built_inputs()
    t.compare("built filenames", ins, t.run_probe("names-probe", ["filename"], ins), [ref_built(x) for x in ins])

    ins = expand_inputs()
    t.compare("compressed tag sets", ins, t.run_probe("names-probe", ["expand"], ins),
              [ref_expand(x) for x in ins])

    d = tempfile.mkdtemp(prefix="wbgen-diff-names.")
    try:
        cases = fact_inputs(rng)
        ins = [json.dumps(c, sort_keys=True) for c in cases]
        got = ["error" if g.startswith("error") else g for g in t.run_probe("names-probe", ["facts"], ins)]
        t.compare("tag lists from interpreter facts", ins, got, [ref_facts(c, d) for c in cases])

        pkgdir = os.path.join(d, "lib")
        shutil.copytree(os.path.dirname(packaging.__file__), os.path.join(pkgdir, "packaging"))
        pythons = ["/usr/bin/python3"] + sorted(glob.glob("/root/.pyenv/versions/*/bin/python"))
        mk_in, mk_got, mk_want, tg_in, tg_got, tg_want = [], [], [], [], [], []
        for py in pythons:
            ref = interpreter_reference(py, pkgdir)
            if ref is None:
                print("# %s cannot run packaging 23.0: skipped" % py)
                continue
            ans = t.run_probe("names-probe", ["python"], [py])[0]
            if ans.startswith("error"):
                got_m, got_t = ans, ans
            else:
                j = json.loads(ans)
                got_m, got_t = j["markers"], j["tags"]
            mk_in.append(py)
            mk_got.append(got_m)
            mk_want.append(ref[0])
            tg_in.append(py)
            tg_got.append(got_t)
            tg_want.append(ref[1])
            print("# %s: %d tags" % (py, len(ref[1])))
        t.compare("marker environments of real interpreters", mk_in, mk_got, mk_want)
        t.compare("tag lists of real interpreters", tg_in, tg_got, tg_want, show=3)
    finally:
        shutil.rmtree(d)
    t.done()


main()
