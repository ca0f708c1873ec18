"""diff-requirements: PEP 508 requirements and markers of wbgen (tests/marker-probe) against
python3-packaging 23.0 (packaging.requirements.Requirement, packaging.markers.Marker).

Three categories, each one TAP test: requirement parsing (acceptance, every parsed field, str()
and the syntax error messages with their columns), marker parsing (str() or the error) and marker
evaluation against generated environments. Inputs are generated from a fixed seed.
"""
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difflib_tap  # noqa: E402

from packaging._parser import parse_marker as _unused  # noqa: E402,F401
from packaging._parser import _parse_marker  # noqa: E402
from packaging._tokenizer import DEFAULT_RULES, ParserSyntaxError, Tokenizer  # noqa: E402
import packaging.markers  # noqa: E402
from packaging.markers import Marker  # noqa: E402
from packaging.requirements import Requirement  # noqa: E402

# packaging 23.0's str(Marker) drops the parentheses of a doubly parenthesised group nested in a
# larger expression ("a and ((b or c))" becomes "a and b or c", which means something else).
# pypa/packaging#1316 (2026) fixed it by unwrapping such a group in its parent's place; the
# reference here is packaging 23.0 with that fix, which is what wbgen implements.
_format_marker_23 = packaging.markers._format_marker


def _format_marker_fixed(marker, first=True):
    if isinstance(marker, list) and len(marker) == 1 and isinstance(marker[0], (list, tuple)):
        return _format_marker_fixed(marker[0], first)
    return _format_marker_23(marker, first)


packaging.markers._format_marker = _format_marker_fixed

# packaging 23.0 PEP 503-normalises the value compared with 'extra' in the first comparison of the
# top level only, so str(Marker('(extra == "A")')) is 'extra == "A"', which parses to 'extra == "a"'
# (found by wbgen's fuzz-marker). Upstream normalises every comparison of 'extra' with a value, at
# any depth (pypa/packaging#1246, 2026, after the top-level change of pypa/packaging#845's fix);
# the reference here is packaging 23.0 with that _normalize_extra_values, as wbgen implements it.
from packaging._parser import Value, Variable  # noqa: E402
import packaging.requirements  # noqa: E402


def _normalize_extras_fixed(result):
    if isinstance(result, list):
        return [_normalize_extras_fixed(r) for r in result]
    if not isinstance(result, tuple):
        return result
    lhs, op, rhs = result
    if isinstance(lhs, Variable) and lhs.value == "extra" and isinstance(rhs, Value):
        rhs = Value(packaging.markers.canonicalize_name(rhs.value))
    elif isinstance(rhs, Variable) and rhs.value == "extra" and isinstance(lhs, Value):
        lhs = Value(packaging.markers.canonicalize_name(lhs.value))
    return lhs, op, rhs


def _normalize_extra_values_fixed(results):
    return [_normalize_extras_fixed(r) for r in results]


packaging.markers._normalize_extra_values = _normalize_extra_values_fixed
packaging.requirements._normalize_extra_values = _normalize_extra_values_fixed

rng = random.Random(int(os.environ.get("WBGEN_DIFF_SEED", "508")))

VARS = ["python_version", "python_full_version", "os_name", "sys_platform", "platform_release",
        "platform_system", "platform_version", "platform_machine", "platform_python_implementation",
        "implementation_name", "implementation_version"]
LEGACY = ["os.name", "sys.platform", "platform.version", "platform.machine",
          "platform.python_implementation", "python_implementation", "platform.release"]


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def quote(s):
    return "'" + "".join("\\x%02x" % ord(c) if ord(c) < 0x20 or c == "\x7f" else c for c in s) + "'"


def syntax_message(what, s, e):
    msg = e.message[0].lower() + e.message[1:]
    start, end = e.span
    text = "%s at column %d" % (msg, end + 1)
    if start < end:
        text += " (from column %d)" % (start + 1)
    return "ERROR\t" + esc("invalid %s %s: %s" % (what, quote(s), text))


def as_bytes(answer):
    """A lone surrogate from a \\ud800 escape is stored by wbgen in its generalised UTF-8 form
    (what Python's "surrogatepass" gives), which the probe's output decodes to escaped bytes."""
    return answer.encode("utf-8", "surrogatepass").decode("utf-8", "surrogateescape")


def generic_error(got):
    """A non-syntax error (bad URL, specifier or string literal): only the kind is compared."""
    if got.startswith("ERROR\t") and " at column " not in got:
        return "ERROR"
    return got


# ---- generators

def pick(seq):
    return seq[rng.randrange(len(seq))]


def ws():
    return pick(["", "", "", " ", " ", "  ", "\t", " \t "])


NAME_PARTS = ["foo", "Foo", "bar", "a", "x1", "requests", "Django", "zope.interface", "typing_extensions",
              "my-pkg", "A.B_C-d", "1abc", "9", "ñame", "foo_", "_foo", "foo-", ".foo", "foo..bar", "f@o"]
EXTRA_NAMES = ["test", "Test", "doc", "socks", "a", "b", "Foo_Bar", "foo-bar", "foo.bar", "x1", "s3",
               "_bad", "bad-", "1", "c--d"]
VERSIONS = ["1", "1.0", "1.0.0", "2.7", "3.8", "3.10.1", "1.0a1", "1.0b2", "1.0rc1", "1.0c1", "1.0.post1",
            "1.0.dev1", "1.0-1", "1!2.0", "v1.0", "V1.0", "1.0+local", "1.0+abc.7", "1.0.*", "1.*",
            "1.0a1.*", "1.0-ALPHA-1", "1.0_post_2", "1.0.DEV", "01.02", "1.0+", "1.0.", "abc", "",
            "1.0 ", " 1.0", "1.0pre", "1.0preview2", "1.0r", "1.0rev3", "1.0alph"]
OPS = ["==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", "<>", "=>", "~", "!"]
URLS = ["https://example.com/foo-1.0.tar.gz", "http://h/x.whl#sha256=abc", "file:///tmp/foo",
        "file:/tmp/foo", "file://host/foo", "file:foo", "FILE:///tmp/x", "file:///x?", "file:///x#",
        "file:///x?q#f", "file:////x", "file://", "file:///a;b", "git+https://github.com/a/b@v1.0#egg=x",
        "http://[::1]/x", "http://[::1]:8080/x", "http://[1.2.3.4]/x", "http://[v1.x]/y", "http://[v1]/y",
        "http://[::1/x", "http://::1]/x", "http://u@[::ffff:1.2.3.4]/x", "http://[fe80::1%eth0]/x",
        "http://[1:2:3:4:5:6:7:8]/", "http://[1:2:3:4:5:6:7]/", "http://[::1:2:3:4:5:6:7]/",
        "http://[1::2::3]/", "http://[:1::2]/", "http://[1.2.3.04]/", "http://a[b]@host/",
        "http://[::1]x/", "/abs/path", "rel/path", "http:///nohost", "foo:bar", "c:\\path\\x",
        "svn+ssh://host/repo", "x+y-z.w://h/p", "1http://h/", "https://h/p?q=1;x", "\x01http://h/x",
        "https://h/a\rb", "https://", "h://x", "@", "https://h/x,y"]


def gen_url():
    """URLs built from parts, to exercise the scheme, netloc, IPv6 and file URL rules."""
    scheme = pick(["https", "http", "file", "FILE", "File", "git+https", "x.y-z+w", "1ab", "", "a_b", "h"])
    host = pick(["", "example.com", "h", "u:p@h", "[::1]", "[::1]:80", "[1:2:3:4:5:6:7:8]", "[1::2::3]",
                 "[::ffff:1.2.3.4]", "[::ffff:1.2.3.256]", "[1.2.3.4]", "[v1.x]", "[v1.]", "[vz.x]",
                 "[fe80::1%eth0]", "[fe80::1%]", "[::1]x", "x[::1]", "[::1", "::1]", "a[b]@h", "[:1::2]",
                 "[1::]", "[::]", "[1:2:3:4:5:6:7::]", "[1:2:3:4:5:6:7:8:9]", "[12345::1]", "[g::1]",
                 "localhost:8080", "h:", "[::1]@h", "u@[::1]:x"])
    path = pick(["", "/", "/p", "/a/b.whl", "p", "//p", "///p", "/a;b", "/a b"])
    tail = pick(["", "", "?", "#", "?q", "#f", "?q#f", "#f?q", "?#", "?q=1&r=2#sha256=ab"])
    r = rng.random()
    if r < 0.7:
        url = scheme + "://" + host + path + tail
    elif r < 0.85:
        url = scheme + ":" + path + tail
    else:
        url = scheme + ":/" + host + path + tail
    if rng.random() < 0.05:
        url = pick(["\x01", "\x1f", "\r", "\x7f"]).encode().decode("unicode_escape") + url
    if rng.random() < 0.05:
        i = rng.randrange(len(url) + 1)
        url = url[:i] + pick(["\r", "\n", "\x0b"]).encode().decode("unicode_escape") + url[i:]
    return url


def gen_escapes():
    """Random Python string escapes (no \\N{...} with a real name: see gen_string_value)."""
    out = ""
    for _ in range(rng.randrange(1, 5)):
        out += pick(["\\", "\\\\", "\\x", "\\u", "\\U", "\\0", "\\7", "\\8", "\\n", "\\N", "\\N{",
                     "\\N{}", "\\\n", "\\\r\n", "\\\r", "\\a", "\\z", "4", "1", "0", "f", "F", "g",
                     "00", "0041", "0001F600", "d800", "110000", "a", "é", " "])
    return out


def gen_version():
    v = pick(VERSIONS)
    if rng.random() < 0.1:
        v = v.upper()
    return v


def gen_clause():
    op = pick(OPS) if rng.random() < 0.15 else pick(OPS[:8])
    v = gen_version()
    if op == "===" and rng.random() < 0.3:
        v = pick(["foobar", "1.0-weird", "a,b", "x)y", "", "=1"])
    return op + pick(["", "", "", " ", " ", "\t", "\x0b", "\x0c", "\xa0", "\u2003", "\x1c"]) + v


def gen_specs():
    n = pick([1, 1, 1, 2, 2, 3])
    parts = [gen_clause() for _ in range(n)]
    s = ""
    for i, p in enumerate(parts):
        if i:
            s += ws() + pick([",", ",", ",", ",", ""]) + ws()
        s += p
    if rng.random() < 0.05:
        s += ","
    return s


def gen_string_value():
    base = pick(["3.8", "3.10", "2.7", "3.11.2", "3.12.0rc1", "3", "3.*", "3.8.*", "1!2.0", "3.8+loc",
                 "v3.8", "linux", "win32", "darwin", "posix", "nt", "CPython", "PyPy", "cpython",
                 "pypy", "x86_64", "aarch64", "AMD64", "Linux", "Windows", "Darwin", "test", "Foo_Bar",
                 "foo-bar", "doc.s", "", " 3.8 ", "a,b", "=3.8", ">3", "3.8;x", "3.8)", "5.15",
                 "python_version", "extra", "os_name", "lin", "nu", "7.3", "#1", "10", "3 .8"])
    r = rng.random()
    # Python escapes in marker strings (ast.literal_eval); named escapes (\N{...}) are left out:
    # wbgen has no Unicode name table and refuses them (a documented limitation).
    if r < 0.05:
        base = pick(["\\x33.8", "3\\u002e8", "\\\\d", "a\\tb", "\\d", "\\x3", "\\NX",
                     "l\\151nux", "\\U0001F600", "\\U00110000", "x\\\ny", "\\777", "\\'", '\\"'])
    elif r < 0.08:
        base = base + pick(["é", "\u00a0", "\x0b"])
    elif r < 0.12:
        base = gen_escapes()
    return base


def gen_quoted():
    v = gen_string_value()
    q = pick(["'", '"'])
    if q in v.replace("\\" + q, ""):
        q = "'" if q == '"' else '"'
    if rng.random() < 0.02:
        return q + v  # unterminated
    return q + v + q


def gen_operand(var_side):
    if var_side:
        r = rng.random()
        if r < 0.1:
            return pick(LEGACY)
        if r < 0.25:
            return "extra"
        return pick(VARS)
    return gen_quoted()


SENSIBLE = [
    (["python_version"], ["2.7", "3", "3.6", "3.8", "3.10", "3.11", "3.12", "3.*", "3.1*", "4"]),
    (["python_full_version", "implementation_version"],
     ["3.8.10", "3.11.2", "3.12.0rc1", "3.12.0", "3.11.*", "2.7.18", "7.3.11", "3.10.12"]),
    (["os_name", "os.name"], ["posix", "nt", "java", "pos"]),
    (["sys_platform", "sys.platform"], ["linux", "linux2", "win32", "darwin", "cygwin", "lin"]),
    (["platform_system"], ["Linux", "Windows", "Darwin", "Java"]),
    (["platform_machine", "platform.machine"], ["x86_64", "aarch64", "AMD64", "arm64", "i686", "86"]),
    (["platform_python_implementation", "implementation_name", "python_implementation"],
     ["CPython", "PyPy", "cpython", "pypy", "Jython"]),
    (["platform_release", "platform_version"], ["5.15", "10", "22.6.0", "SMP", "Debian"]),
    (["extra"], ["test", "Test", "doc", "Foo_Bar", "foo-bar", "foo.bar", ""]),
]


def gen_sensible_item():
    names, values = pick(SENSIBLE)
    var, value = pick(names), pick(values)
    if var in ("python_version", "python_full_version", "implementation_version"):
        op = pick(["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in"])
    else:
        op = pick(["==", "!=", "in", "not in", "<", ">="])
    q = pick(["'", '"'])
    if rng.random() < 0.8:
        return var + " " + op + " " + q + value + q
    return q + value + q + " " + op + " " + var


def gen_item():
    if rng.random() < 0.5:
        return gen_sensible_item()
    op = pick(["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in", "not  in", "not\tin",
               "not", "=", "in"])
    r = rng.random()
    if r < 0.7:
        lhs, rhs = gen_operand(True), gen_operand(False)
    elif r < 0.9:
        lhs, rhs = gen_operand(False), gen_operand(True)
    elif r < 0.95:
        lhs, rhs = gen_operand(True), gen_operand(True)
    else:
        lhs, rhs = gen_operand(False), gen_operand(False)
    sep1 = pick([" ", " ", "", "\t"]) if op[0] in "=!<>~" else pick([" ", " ", " ", ""])
    sep2 = pick([" ", " ", "", "\t"]) if op[0] in "=!<>~" else pick([" ", " ", " ", ""])
    return lhs + sep1 + op + sep2 + rhs


def gen_marker(depth=0):
    n = pick([1, 1, 2, 2, 3])
    out = ""
    for i in range(n):
        if i:
            out += pick([" and ", " or ", " and ", " or ", "and ", " or", " AND ", "  and\t"])
        if depth < 3 and rng.random() < 0.3:
            inner = gen_marker(depth + 1)
            if rng.random() < 0.2:
                inner = "(" + ws() + inner + ws() + ")"
            out += "(" + ws() + inner + ws() + ")"
        else:
            out += gen_item()
    return out


def gen_extras():
    n = pick([0, 1, 1, 2, 3])
    names = [pick(EXTRA_NAMES) for _ in range(n)]
    seps = [ws() + pick([",", ",", ",", ""]) + ws() for _ in range(n)]
    s = "[" + ws()
    for i, e in enumerate(names):
        if i:
            s += seps[i]
        s += e
    if rng.random() < 0.05:
        s += ","
    s += ws() + ("]" if rng.random() > 0.03 else "")
    return s


def gen_name():
    if rng.random() < 0.8:
        return pick(NAME_PARTS[:9])
    return pick(NAME_PARTS)


def gen_requirement():
    s = ws() + gen_name()
    if rng.random() < 0.3:
        s += ws() + gen_extras()
    r = rng.random()
    if r < 0.15:
        s += ws() + "@" + ws() + (pick(URLS) if rng.random() < 0.5 else gen_url())
        if rng.random() < 0.4:
            s += pick([" ", " ", "\t", ""]) + ";" + ws() + gen_marker()
    elif r < 0.85:
        specs = gen_specs()
        if rng.random() < 0.3:
            specs = "(" + ws() + specs + ws() + pick([")", ")", ")", ""])
        s += ws() + specs
        if rng.random() < 0.3:
            s += ws() + ";" + ws() + gen_marker()
    elif rng.random() < 0.5:
        s += ws() + ";" + ws() + gen_marker()
    s += ws()
    if rng.random() < 0.01:
        s += "\n"
    return s


MUTATION_CHARS = " \t;,[]()@<>=!~'\"a1.-_*+#/:\\é\x0b\n\r\xa0"


def mutate(s):
    if not s:
        return s
    i = rng.randrange(len(s))
    r = rng.random()
    if r < 0.35:
        return s[:i] + s[i + 1:]
    if r < 0.7:
        return s[:i] + pick(MUTATION_CHARS) + s[i:]
    if r < 0.85:
        return s[:i] + s[i] + s[i:]
    if i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s


# ---- reference answers

def ref_requirement(s):
    try:
        r = Requirement(s)
    except Exception as e:
        cause = e.__cause__ if e.__cause__ is not None else e
        if isinstance(cause, ParserSyntaxError):
            return syntax_message("requirement", s, cause)
        return "ERROR"
    fields = [("name", r.name), ("extras", ",".join(sorted(r.extras))), ("spec", str(r.specifier)),
              ("url", r.url if r.url else "-"), ("marker", str(r.marker) if r.marker else "-"),
              ("str", str(r))]
    return as_bytes("OK\t" + "\t".join(k + "=" + esc(v) for k, v in fields))


def marker_has_trailing_text(s):
    """packaging 23.0's Marker() stops after a complete expression and ignores the rest
    (fixed in packaging 23.2, pypa/packaging#687); wbgen rejects such text."""
    t = Tokenizer(s, rules=DEFAULT_RULES)
    try:
        _parse_marker(t)
    except Exception:
        return False
    t.consume("WS")
    return not t.check("END", peek=True)


def ref_marker(s):
    try:
        m = Marker(s)
    except Exception as e:
        cause = e.__cause__ if e.__cause__ is not None else e
        if isinstance(cause, ParserSyntaxError):
            return syntax_message("marker", s, cause)
        return "ERROR"
    return as_bytes("OK\t" + esc(str(m)))


def ref_eval(marker, extra, env):
    try:
        m = Marker(marker)
        d = dict(zip(VARS, env))
        d["extra"] = extra
        return "True" if m.evaluate(d) else "False"
    except Exception:
        return "ERROR"


def _ascii_canonicalize(name):
    return "".join(c.lower() if c.isascii() else c for c in re.sub(r"[-_.]+", "-", name))


def split_unicode_case(inputs, reference):
    """Answers of reference() for inputs, without the inputs whose answer depends on lowercasing
    non-ASCII letters in extra names (wbgen, like gen/names.c, lowercases ASCII only)."""
    real = packaging.markers.canonicalize_name
    kept, want, skipped = [], [], 0
    for i in inputs:
        w = reference(i)
        packaging.markers.canonicalize_name = _ascii_canonicalize
        try:
            w2 = reference(i)
        finally:
            packaging.markers.canonicalize_name = real
        if w != w2:
            skipped += 1
            continue
        kept.append(i)
        want.append(w)
    if skipped:
        print("# %d inputs left out: non-ASCII letters in extra names" % skipped)
    return kept, want


# ---- the three categories

def check_requirements():
    inputs = set()
    fixed = ["foo", "foo>=1.0", "foo (>=1.0)", "foo[bar]>=1", "foo @ https://h/x", "foo@https://h/x ; os_name=='a'",
             "foo; python_version<'3'", "Foo_Bar[Baz,baz]  ==1.0.*", "foo===", "foo===a,b", "foo=== ,>1",
             "foo>=1,", "foo>=1,,<2", "foo\n", "foo @ http://x\n", "foo[]", "foo[a b]", "foo[a,]", "foo(>=1",
             "foo (>=1) ; extra == 'Foo_Bar'", "foo; extra == 'Foo_Bar' and extra == 'Foo_Bar'", "",
             "  ", "foo ; ", "foo; os_name == 'a' garbage", "foo-é", "foo>=1.0+abc", "foo~=1", "foo==1.0+abc",
             "name ; (os_name == 'a' or os_name == 'b') and python_version >= '3'",
             "name ; ((os_name == 'a' or os_name == 'b')) and python_version >= '3'"]
    inputs.update(fixed)
    while len(inputs) < 4000:
        inputs.add(gen_requirement())
    base = sorted(inputs)
    for s in base:
        for _ in range(2):
            inputs.add(mutate(s))
    inputs, want = split_unicode_case(sorted(i for i in inputs if "\x00" not in i), ref_requirement)
    got = difflib_tap.run_probe("marker-probe", ["req"], [esc(s) for s in inputs])
    got = [generic_error(g) if w == "ERROR" else g for g, w in zip(got, want)]
    ok = sum(1 for w in want if w.startswith("OK"))
    print("# requirements: %d accepted by the reference, %d rejected" % (ok, len(want) - ok))
    difflib_tap.compare("requirements", inputs, got, want)


def check_marker_parse():
    inputs = set(["os_name == 'a'", "os_name == 'a' garbage", "(os_name == 'a')", "((os_name == 'a'))",
                  "'a' in extra", "extra == 'Foo_Bar'", "os_name == 'a' and extra == 'Foo_Bar'",
                  "os.name == 'a'", "platform.release == 'x'", "python_implementation == 'x'",
                  "os_name == \"a'b\"", "os_name=='a'and os_name=='b'", "os_name == 'a' andos_name == 'b'",
                  "os_name not in 'abc'", "os_name notin 'abc'", "os_name not\tin 'abc'", "", "(", "()",
                  "os_name == 'a' or (os_name == 'b'", "os_name == '\\x41'", "os_name == '\\\\'",
                  "os_name == 'abc\\'", "extra == extra", "'a' == 'b'", "os_name ~= python_version"])
    while len(inputs) < 3000:
        inputs.add(gen_marker())
    base = sorted(inputs)
    for s in base:
        inputs.add(mutate(s))
    inputs, want = split_unicode_case(sorted(i for i in inputs if "\x00" not in i), ref_marker)
    got = difflib_tap.run_probe("marker-probe", ["marker"], [esc(s) for s in inputs])
    got = [generic_error(g) if w == "ERROR" else g for g, w in zip(got, want)]

    def known(i, g, w):
        return (w.startswith("OK\t") and "expected end of marker expression" in g
                and marker_has_trailing_text(i))
    ok = sum(1 for w in want if w.startswith("OK"))
    print("# markers parse: %d accepted by the reference, %d rejected" % (ok, len(want) - ok))
    difflib_tap.compare("markers parse", inputs, got, want, known)


ENVS = [
    # python_version, python_full_version, os_name, sys_platform, platform_release, platform_system,
    # platform_version, platform_machine, platform_python_implementation, implementation_name,
    # implementation_version
    ["3.11", "3.11.2", "posix", "linux", "6.1.0-18-amd64", "Linux",
     "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)", "x86_64", "CPython", "cpython", "3.11.2"],
    ["2.7", "2.7.18", "posix", "linux2", "5.15", "Linux", "#1 SMP", "i686", "CPython", "cpython", "2.7.18"],
    ["3.8", "3.8.10", "nt", "win32", "10", "Windows", "10.0.19041", "AMD64", "CPython", "cpython", "3.8.10"],
    ["3.12", "3.12.0rc1", "posix", "darwin", "22.6.0", "Darwin",
     "Darwin Kernel Version 22.6.0", "arm64", "CPython", "cpython", "3.12.0rc1"],
    ["3.9", "3.9.16", "posix", "linux", "5.15.0-76-generic", "Linux", "#83-Ubuntu SMP", "aarch64", "PyPy",
     "pypy", "7.3.11"],
    ["3.10", "3.10.12+", "posix", "linux", "3.8", "Linux", "3.8", "x86_64", "CPython", "cpython", "3.10.12+"],
]
EXTRAS = ["", "test", "Foo_Bar", "doc", "foo-bar", "TEST"]


def check_marker_eval():
    markers = set()
    while len(markers) < 3000:
        m = gen_marker()
        if ref_marker(m).startswith("OK") and not marker_has_trailing_text(m):
            markers.add(m)
    markers = sorted(markers)
    cases = []
    for m in markers:
        for _ in range(3):
            env = list(pick(ENVS))
            if rng.random() < 0.2:
                j = rng.randrange(len(env))
                env[j] = pick(ENVS)[rng.randrange(len(env))]
            cases.append((m, pick(EXTRAS), tuple(env)))
    inputs, want = split_unicode_case(cases, lambda c: ref_eval(c[0], c[1], list(c[2])))
    lines = ["\t".join(esc(x) for x in [m, extra] + list(env)) for m, extra, env in inputs]
    got = difflib_tap.run_probe("marker-probe", ["eval"], lines)
    got = ["ERROR" if g.startswith("ERROR\t") else g for g in got]
    counts = {k: want.count(k) for k in ("True", "False", "ERROR")}
    print("# markers eval: reference True %(True)d, False %(False)d, ERROR %(ERROR)d" % counts)
    difflib_tap.compare("markers eval", inputs, got, want)


check_requirements()
check_marker_parse()
check_marker_eval()
difflib_tap.done()
