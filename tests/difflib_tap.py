"""difflib_tap: shared plumbing for the differential tests (tests/diff-*.py).

A differential test generates inputs, feeds them to a C probe (tests/*-probe, one
request per line on stdin, one answer per line on stdout), computes the same answers
with the reference implementation, and reports one TAP test per category with the
number of cases compared and the disagreements (the first few shown as diagnostics).

Known reference bugs are listed by the caller with a reason; a disagreement that is
not on that list fails the test.
"""
import os
import subprocess
import sys

_n = 0
_failed = 0


def probe_path(name):
    """Absolute path of the probe program tests/NAME built by make check."""
    d = os.environ.get("WBGEN_TESTS_BUILDDIR")
    if not d:
        d = os.path.join(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(d, name)


def run_probe(name, args, lines):
    """Run probe NAME with ARGS, one request per line; return the answer lines.

    Requests must not contain newlines (escape them first). The probe must print
    exactly one line per request."""
    data = "".join(l + "\n" for l in lines).encode("utf-8", "surrogateescape")
    p = subprocess.run([probe_path(name)] + list(args), input=data,
                       stdout=subprocess.PIPE, check=False)
    if p.returncode != 0:
        bail("probe %s %s exited %d" % (name, " ".join(args), p.returncode))
    out = p.stdout.decode("utf-8", "surrogateescape").split("\n")
    if out and out[-1] == "":
        out.pop()
    if len(out) != len(lines):
        bail("probe %s %s answered %d lines for %d requests" % (name, " ".join(args), len(out), len(lines)))
    return out


def bail(msg):
    print("Bail out! " + msg)
    sys.exit(1)


def compare(category, inputs, got, want, known=None, show=10):
    """One TAP test: inputs[i] -> got[i] must equal want[i] unless known(input) gives a reason."""
    global _n, _failed
    _n += 1
    bad = []
    excused = 0
    for i, g, w in zip(inputs, got, want):
        if g != w:
            if known is not None and known(i, g, w):
                excused += 1
                continue
            bad.append((i, g, w))
    status = "ok" if not bad else "not ok"
    print("%s %d - %s: %d cases compared, %d disagreements, %d known reference bugs"
          % (status, _n, category, len(inputs), len(bad), excused))
    for i, g, w in bad[:show]:
        print("#   input %r: wbgen %r, reference %r" % (i, g, w))
    if bad:
        _failed += 1
    return not bad


def done():
    print("1..%d" % _n)
    sys.exit(1 if _failed else 0)
