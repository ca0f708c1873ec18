"""diff-metadata: gen/metadata.c against email.parser with the compat32 policy.

Inputs are generated from fragments (field lines, continuation lines, junk lines, line breaks,
bodies, invalid bytes) with a fixed seed. The reference answer is "error" where wbgen refuses
input on purpose (documented in gen/metadata.h: email.parser defects, an envelope "From " line,
no fields, NUL, invalid UTF-8, a bad or repeated Metadata-Version); otherwise the field names and
compat32 raw values in order, and the body.
"""
import email.parser
import email.policy
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difflib_tap as t  # noqa: E402

NAMES = ["Name", "Version", "Requires-Dist", "requires-dist", "a", "X-y_z.1", "Dynamic",
         "Metadata-Version", "Description", "Provides-Extra", "Weird!Name~", "From"]
SEPS = [":", ": ", ":\t", ":  \t ", "::", ": :"]
VALUES = ["foo", "", "  x  ", "\u00e4\u00f6", "a\x0cb", "a\u2028b", "x\x85y", "foo >=1 ; extra == 'a'",
          "2.1", "2.2", " 1.0", "3.0", "2.x", "2", "10.1", "2.1", "# comment", "a\tb\t", "\x1b[0m"]
EOLS = ["\n", "\r\n", "\r"]
CONT = [" x", "\tx", "   ", "        |y", "       |", " :z", " From x", "\t\t"]
JUNK = ["nocolon", "From x", ":v", "A b: c", "\u00c4: 1", "\x0bB: 1", "-", "From: real"]
BODIES = ["", "body", "line1\nline2\n", "\n", "From x\n", "A: 1\n", "\r\nx"]


def gen_case(rnd):
    lines = []
    for _ in range(rnd.randint(0, 6)):
        r = rnd.random()
        if r < 0.7 or not lines:
            lines.append(rnd.choice(NAMES) + rnd.choice(SEPS) + rnd.choice(VALUES))
        elif r < 0.95:
            lines.append(rnd.choice(CONT))
        else:
            lines.append(rnd.choice(JUNK))
    text = "".join(l + rnd.choice(EOLS) for l in lines)
    if rnd.random() < 0.1 and text:
        text = text.rstrip("\r\n")
    if rnd.random() < 0.5:
        text += rnd.choice(EOLS) + rnd.choice(BODIES)
    data = text.encode("utf-8")
    r = rnd.random()
    if r < 0.03:
        data += b"\xff"
    elif r < 0.05:
        data = data.replace(b"x", b"\x00", 1)
    elif r < 0.07:
        data = b"\xef\xbb\xbf" + data
    elif r < 0.09:
        data += b"\xed\xa0\x80"
    return data


def header_lines(s):
    """The lines email.parser looks at before the body (split like its NLCRE_crack)."""
    parts = re.split(r"(\r\n|\r|\n)", s)
    out = []
    for i in range(0, len(parts), 2):
        if parts[i] == "" and i + 1 < len(parts):
            break
        out.append(parts[i])
    return out


def version_ok(values):
    if len(values) > 1:
        return False
    for v in values:
        v = re.sub(r"[\r\n]", "", v).strip(" \t")
        m = re.fullmatch(r"([0-9]+)\.([0-9]+)", v)
        if not m or int(m.group(1)) > 2:
            return False
    return True


def reference(data):
    if b"\x00" in data:
        return "error"
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError:
        return "error"
    m = email.parser.Parser(policy=email.policy.compat32).parsestr(s)
    if m.defects or m.get_unixfrom() is not None or not m.items():
        return "error"
    if any(l.startswith("From ") for l in header_lines(s)):
        return "error"
    if not version_ok(m.get_all("Metadata-Version") or []):
        return "error"
    out = "ok"
    for k, v in m.items():
        out += " %s=%s" % (k.encode().hex(), v.encode().hex())
    return out + " body=" + m.get_payload().encode().hex()


FIXED = [b"", b"\n", b"A: 1", b"A: 1\n\nbody", b"\n\nA: 1", b" x\nA: 1\n", b"A: 1\n  \nB: 2\n",
         b"A: 1\r\n x\r\n\ty\r\n", b"A: 1\rB: 2\r\rbody", b"A:: 1\n", b"A: 1\n\n\n",
         b"Metadata-Version: 2.1\nMetadata-Version: 2.1\n", b"Metadata-Version: 2.1 \n",
         b"Metadata-Version:\n 2.2\n", b"From foo\nA: 1\n", b"A: 1\nFrom foo"]


def main():
    rnd = random.Random(20261126)
    cases = FIXED + [gen_case(rnd) for _ in range(4000)]
    got = t.run_probe("metadata-probe", [], [c.hex() for c in cases])
    want = [reference(c) for c in cases]
    ok_cases = [i for i, w in enumerate(want) if w != "error"]
    err_cases = [i for i, w in enumerate(want) if w == "error"]
    t.compare("accepted files (fields, raw values, body)", [cases[i] for i in ok_cases],
              [got[i] for i in ok_cases], [want[i] for i in ok_cases])
    t.compare("refused files", [cases[i] for i in err_cases],
              [got[i] for i in err_cases], [want[i] for i in err_cases])
    t.done()


main()
