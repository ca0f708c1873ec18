"""diff-pep508: the lexical layer of PEP 508 (gen/pep508.c through tests/marker-probe) against
python3-packaging 23.0's tokenizer rules and ast.literal_eval.

Two categories, each one TAP test: quoted strings (packaging's QUOTED_STRING token, then
ast.literal_eval of it: the value, its end, or an error) and identifiers (packaging's IDENTIFIER
token at a position: its end, or none). Inputs are generated from a fixed seed, over ASCII and
non-ASCII characters whose class for the regex \\b wbgen knows exactly (gen/pep508.h: outside
a few ranges of spaces, punctuation and symbols, it takes any other character for a letter).
"""
import ast
import os
import random
import re
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difflib_tap  # noqa: E402

from packaging._tokenizer import DEFAULT_RULES  # noqa: E402

rng = random.Random(int(os.environ.get("WBGEN_DIFF_SEED", "508")))
# compiled as packaging's Tokenizer does
QUOTED = re.compile(DEFAULT_RULES["QUOTED_STRING"])
IDENTIFIER = re.compile(DEFAULT_RULES["IDENTIFIER"])

# word characters (letters, digits, '_') and others; the non-ASCII ones are exact in wbgen's table
WORDS = list("abzAZ019_") + ["\u00e9", "\u00df", "\u03b1", "\u00aa", "\u00b2", "\u0661", "\u4e2d"]
OTHERS = list(" \t-.'\"\\[]();,@<>=!~*+#/:") + ["\u00a0", "\u00b7", "\u2003", "\u20ac", "\U0001F600", "\u3000"]


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def as_bytes(s):
    """A lone surrogate (from a \\ud800 escape) in wbgen's generalised UTF-8, as the probe writes it."""
    return s.encode("utf-8", "surrogatepass").decode("utf-8", "surrogateescape")


def pick(seq):
    return seq[rng.randrange(len(seq))]


def nbytes(s):
    return len(s.encode("utf-8", "surrogatepass"))


# ---- quoted strings

ESCAPES = ["\\", "\\\\", "\\'", '\\"', "\\x", "\\x4", "\\x41", "\\xzz", "\\u", "\\u00e9", "\\u12", "\\ud800",
           "\\U0001F600", "\\U00110000", "\\U0000004", "\\0", "\\7", "\\101", "\\777", "\\8", "\\9", "\\n",
           "\\t", "\\r", "\\a", "\\b", "\\f", "\\v", "\\q", "\\ ", "\\\n", "\\\r\n", "\\\r", "\n", "\r",
           "\\N{", "\\Nx", "\\N{DASH}", "\\N{EN DASH}", "\\\u00e9"]


def gen_string():
    q = pick(["'", '"'])
    body = ""
    for _ in range(rng.randrange(0, 6)):
        r = rng.random()
        if r < 0.4:
            body += pick(ESCAPES)
        elif r < 0.8:
            body += pick(WORDS)
        else:
            body += pick(OTHERS)
    s = q + body
    r = rng.random()
    if r < 0.85:
        s += q
    elif r < 0.9:
        s += "'" if q == '"' else '"'
    if rng.random() < 0.3:
        s += pick([" and x", "'", '"', " ", ")"])
    return s


def ref_string(s):
    m = QUOTED.match(s, 0)
    if not m:
        return "NONE"
    token = m.group(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v = ast.literal_eval(token)
    except Exception:
        return "ERROR"
    return as_bytes("OK\t" + esc(v) + "\t%d" % nbytes(token))


def check_strings():
    inputs = set(["''", '""', "'abc'", "'a\\'b'", "'\\x41'", "'\\N{DASH}'", "'a\nb'", "'x", "x", ""])
    while len(inputs) < 6000:
        inputs.add(gen_string())
    inputs = sorted(i for i in inputs if "\x00" not in i)
    want = [ref_string(i) for i in inputs]
    got = difflib_tap.run_probe("marker-probe", ["string"], [esc(s) for s in inputs])

    def known(i, g, w):
        # named escapes: wbgen has no table of Unicode names and refuses them (gen/pep508.h)
        return g == "ERROR" and w.startswith("OK\t") and "\\N{" in i

    counts = {k: sum(1 for w in want if w.split("\t")[0] == k) for k in ("OK", "ERROR", "NONE")}
    print("# strings: reference OK %(OK)d, ERROR %(ERROR)d, NONE %(NONE)d" % counts)
    difflib_tap.compare("quoted strings", inputs, got, want, known)


# ---- identifiers

def gen_ident_case():
    prefix = "".join(pick(WORDS + OTHERS) for _ in range(rng.randrange(0, 3)))
    body = ""
    for _ in range(rng.randrange(0, 8)):
        r = rng.random()
        if r < 0.6:
            body += pick(WORDS)
        elif r < 0.8:
            body += pick(list("._-"))
        else:
            body += pick(OTHERS)
    return prefix, body


def ref_ident(prefix, body):
    s = prefix + body
    m = IDENTIFIER.match(s, len(prefix))
    if not m:
        return "NONE"
    return "%d" % nbytes(s[:m.end()])


def check_identifiers():
    cases = set([("", "foo"), ("", "foo-"), ("x", "foo"), (" ", "foo_"), ("", "foo\u00e9"), ("", "foo-\u00e9"),
                 ("", "\u00e9"), ("", "")])
    while len(cases) < 6000:
        cases.add(gen_ident_case())
    cases = sorted(cases)
    want = [ref_ident(p, b) for p, b in cases]
    lines = ["%d\t%s" % (nbytes(p), esc(p + b)) for p, b in cases]
    got = difflib_tap.run_probe("marker-probe", ["ident"], lines)
    print("# identifiers: %d found by the reference, %d not" % (sum(1 for w in want if w != "NONE"),
                                                              sum(1 for w in want if w == "NONE")))
    difflib_tap.compare("identifiers", [p + b for p, b in cases], got, want)


check_strings()
check_identifiers()
difflib_tap.done()
