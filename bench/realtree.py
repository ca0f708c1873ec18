#!/usr/bin/python3
"""realtree.py: a real tree of pure-Python distributions, rebuilt as sdists from Debian 12's
python3-* packages, for bench/realtree.sh.

usage:
  realtree.py make PKGLIST DEBDIR OUTDIR
      extract every DEBDIR/NAME_*.deb named in PKGLIST (one Debian package a line, '#'
      comments), find the distributions in usr/lib/python3/dist-packages/, keep those whose
      install requirements close within the set (markers evaluated for CPython 3.11 on
      Linux), and write OUTDIR (must not exist; built beside it, then renamed):
        index/            PEP 503 pages (with #sha256=) and PEP 691 JSON, packages/*.tar.gz
        requirements.txt  the distributions no other one depends on
        expected.json     per distribution: name, version, backend, Requires-Dist, deb
        dropped.txt       what was left out, and why
  realtree.py check EXPECTED WHEELDIR...
      compare the wheels' METADATA (name, version, Requires-Dist) with EXPECTED
  realtree.py bound PLANDIR WHEELDIR WORK
      for each package of PLANDIR/build-order.json: a venv holding its build requirements
      (pip-installed, byte-compiled, shared by packages needing the same set) and ONE process
      running get_requires_for_build_wheel then build_wheel in the unpacked sdist, timed
      alone; writes WORK/bound.tsv (name, version, seconds) and prints the sum
  realtree.py serial-order PLANDIR
      one line per package in build order: NAME VERSION SDIST BACKEND BACKEND-PATH REQ==V...
      (BACKEND-PATH comma-separated, or -; the build requirements, found ones included, from
      PLANDIR/Makefile after a build)

The sdists are reproducible: members sorted, mtime 2020-01-01, uid/gid 0, no user names,
gzip mtime 0 (mkindex.py's tar_bytes). Each gets a pyproject.toml that makes the real
backend build a wheel with Debian's metadata: setuptools ([project] + [tool.setuptools]),
flit_core ([project] + [tool.flit.module]), hatchling ([project] + wheel target packages),
poetry-core 1.4 ([tool.poetry]). The backends themselves are rebuilt from their Debian
packages and build themselves (backend-path), as upstream does: flit_core ["."],
setuptools ["."] (mkindex.py's debian_setuptools_tree), hatchling ["src"], poetry-core
["src"]. wheel 0.38.4 is built with flit_core (as wheel >= 0.40 is upstream): with
setuptools it would be a cycle (setuptools' get_requires_for_build_wheel asks for wheel).
"""

import email.parser
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "e2e", "fixtures"))
import mkindex  # noqa: E402
from packaging.markers import Marker  # noqa: E402
from packaging.requirements import Requirement  # noqa: E402
from packaging.utils import canonicalize_name  # noqa: E402
from packaging.version import InvalidVersion, Version  # noqa: E402

DIST = "usr/lib/python3/dist-packages"
ENV = {"implementation_name": "cpython", "implementation_version": "3.11.2", "os_name": "posix",
    "platform_machine": "x86_64", "platform_python_implementation": "CPython",
    "platform_release": "", "platform_system": "Linux", "platform_version": "",
    "python_full_version": "3.11.2", "python_version": "3.11", "sys_platform": "linux"}
BACKENDS = {  # kind: (build-system requires, build-backend)
    "setuptools": (["setuptools>=61", "wheel"], "setuptools.build_meta"),
    "flit": (["flit_core>=3.4,<4"], "flit_core.buildapi"),
    "hatchling": (["hatchling>=1.8"], "hatchling.build"),
    "poetry": (["poetry-core>=1.0"], "poetry.core.masonry.api"),
}
# the backends and what they need, built from their Debian packages in their own way
SPECIAL = {"setuptools", "wheel", "flit-core", "hatchling", "poetry-core"}


def q(s):
    return json.dumps(s)


def qlist(items):
    return "[" + ", ".join(q(i) for i in items) + "]"


# ---- reading Debian's metadata

def parse_requires_txt(text):
    """egg-info requires.txt -> Requires-Dist strings."""
    out, extra, marker = [], None, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[([^:\]]*)(?::(.*))?\]", line)
        if m:
            extra, marker = m.group(1) or None, m.group(2)
            continue
        parts = []
        if marker:
            parts.append("(%s)" % marker)
        if extra:
            parts.append('extra == "%s"' % extra)
        out.append(line + ("; " + " and ".join(parts) if parts else ""))
    return out


def split_extra(req):
    """Requirement -> (extra or None, Requirement without the extra clause), or None."""
    if req.marker is None:
        return None, req
    text = str(req.marker)
    pat = r'extra == "([^"]+)"'
    m = re.fullmatch(pat, text) or re.fullmatch(r"\((.*)\) and " + pat, text) or \
        re.fullmatch(r"(.*) and " + pat, text) or re.fullmatch(pat + r" and (.*)", text)
    if "extra" not in text:
        return None, req
    if m is None:
        raise ValueError("cannot split the extra out of %r" % text)
    groups = m.groups()
    if len(groups) == 1:
        extra, rest = groups[0], None
    elif text.startswith("extra"):
        extra, rest = groups
    else:
        rest, extra = groups
    if rest and "extra" in rest:
        raise ValueError("two extras in %r" % text)
    r = Requirement(str(req).split(";")[0])
    if rest:
        r.marker = Marker(rest)
    return str(canonicalize_name(extra)), r


def req_key(text):
    """A Requirement-Dist string as a comparable tuple."""
    extra, r = split_extra(Requirement(text))
    return (canonicalize_name(r.name), tuple(sorted(canonicalize_name(e) for e in r.extras)),
        str(r.specifier), str(r.marker) if r.marker else "", extra or "")


def read_entry_points(text):
    eps, group = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            group = line.strip("[]").strip()
            eps.setdefault(group, {})
        elif group and "=" in line:
            k, v = line.split("=", 1)
            eps[group][k.strip()] = v.strip()
    return {g: e for g, e in eps.items() if e}


def scan_deb(deb, xdir):
    """The distributions in one extracted .deb: list of dicts (files excluded)."""
    root = os.path.join(xdir, DIST)
    out = []
    if not os.path.isdir(root):
        return out, "no %s" % DIST
    entries = sorted(os.listdir(root))
    infos = [e for e in entries if e.endswith((".dist-info", ".egg-info"))]
    payload = [e for e in entries if not e.endswith((".dist-info", ".egg-info", ".pth"))
        and e != "__pycache__"]
    for dirpath, _, files in os.walk(xdir):
        if any(f.endswith(".so") or ".so." in f for f in files):
            return out, "has compiled code (%s)" % os.path.relpath(dirpath, xdir)
    for info in infos:
        p = os.path.join(root, info)
        d = {"deb": deb, "info": info}
        if info.endswith(".dist-info"):
            meta = open(os.path.join(p, "METADATA"), encoding="utf-8").read()
            wheel = open(os.path.join(p, "WHEEL"), encoding="utf-8").read() \
                if os.path.exists(os.path.join(p, "WHEEL")) else ""
            m = re.search(r"^Generator: *(\S+)", wheel, re.M)
            gen = m.group(1) if m else ""
            d["generator"] = gen
            d["backend"] = {"bdist_wheel": "setuptools", "flit": "flit", "hatchling": "hatchling",
                "poetry-core": "poetry", "poetry": "poetry"}.get(gen)
            tops = set()
            if os.path.exists(os.path.join(p, "RECORD")):
                for line in open(os.path.join(p, "RECORD"), encoding="utf-8"):
                    first = line.split(",")[0].split("/")[0]
                    if first in payload or first + ".py" in payload:
                        tops.add(first if first in payload else first + ".py")
                    elif first.endswith(".py") and first in payload:
                        tops.add(first)
            tl = os.path.join(p, "top_level.txt")
            if not tops and os.path.exists(tl):
                tops = set(open(tl).read().split())
            eps = os.path.join(p, "entry_points.txt")
            d["entry_points"] = read_entry_points(open(eps).read()) if os.path.exists(eps) else {}
            reqs = None
        else:
            if os.path.isdir(p):
                meta = open(os.path.join(p, "PKG-INFO"), encoding="utf-8").read()
                rt = os.path.join(p, "requires.txt")
                reqs = parse_requires_txt(open(rt).read()) if os.path.exists(rt) else []
                tl = os.path.join(p, "top_level.txt")
                tops = set(open(tl).read().split()) if os.path.exists(tl) else set()
                eps = os.path.join(p, "entry_points.txt")
                d["entry_points"] = read_entry_points(open(eps).read()) if os.path.exists(eps) else {}
            else:
                meta, reqs, tops, d["entry_points"] = open(p, encoding="utf-8").read(), [], set(), {}
            d["backend"], d["generator"] = "setuptools", "egg-info"
        msg = email.parser.Parser().parsestr(meta)
        d["name"] = msg["Name"]
        d["version"] = msg["Version"]
        d["summary"] = (msg["Summary"] or "").strip() or d["name"]
        d["author"] = (msg["Author"] or msg["Maintainer"] or "").strip()
        d["requires_python"] = (msg["Requires-Python"] or "").strip()
        d["requires_dist"] = reqs if reqs is not None else list(msg.get_all("Requires-Dist") or [])
        d["provides_extra"] = list(msg.get_all("Provides-Extra") or [])
        d["metadata"] = meta
        # the payload: top_level names mapped to what is there
        found = set()
        for t in tops:
            t = t.replace("\\", "/").split("/")[0]
            if t in payload:
                found.add(t)
            elif t + ".py" in payload:
                found.add(t + ".py")
        d["tops"] = sorted(found)
        out.append(d)
    if len(out) == 1 and not out[0]["tops"]:
        out[0]["tops"] = payload
    return out, None


# ---- writing sdists

def read_tree(root, tops):
    files = {}
    for t in tops:
        p = os.path.join(root, t)
        if os.path.isfile(p):
            files[t] = open(p, "rb").read()
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames[:] = sorted(x for x in dirnames if x != "__pycache__")
            for fn in sorted(filenames):
                if fn.endswith((".pyc", ".pyo")):
                    continue
                full = os.path.join(dirpath, fn)
                if os.path.islink(full):
                    full = os.path.realpath(full)
                    if not os.path.isfile(full):
                        continue
                files[os.path.relpath(os.path.join(dirpath, fn), root)] = open(full, "rb").read()
    return files


def split_reqs(d):
    """(dependencies, {extra: [reqs]}) as PEP 508 strings, the extra clause taken out."""
    deps, extras = [], {}
    for text in d["requires_dist"]:
        extra, r = split_extra(Requirement(text))
        if extra is None:
            deps.append(str(r))
        else:
            extras.setdefault(extra, []).append(str(r))
    for e in d["provides_extra"]:
        extras.setdefault(str(canonicalize_name(e)), [])
    return deps, extras


def packages_of(files):
    """Dotted names of every directory holding files (namespace packages included)."""
    pk = set()
    for path in files:
        parts = path.split("/")[:-1]
        if parts and all(p.isidentifier() for p in parts):
            pk.add(".".join(parts))
    return sorted(pk)


def project_table(d, deps, extras, dynamic=()):
    lines = ["[project]", "name = " + q(d["name"])]
    if "version" not in dynamic:
        lines.append("version = " + q(d["version"]))
    lines.append("description = " + q(d["summary"].splitlines()[0]))
    if d["requires_python"]:
        lines.append("requires-python = " + q(d["requires_python"]))
    lines.append("dependencies = " + qlist(deps))
    if dynamic:
        lines.append("dynamic = " + qlist(dynamic))
    eps = dict(d["entry_points"])
    for group, key in (("console_scripts", "scripts"), ("gui_scripts", "gui-scripts")):
        if group in eps:
            lines += ["", "[project.%s]" % key]
            lines += ["%s = %s" % (q(k), q(v)) for k, v in sorted(eps.pop(group).items())]
    for group in sorted(eps):
        lines += ["", "[project.entry-points.%s]" % q(group)]
        lines += ["%s = %s" % (q(k), q(v)) for k, v in sorted(eps[group].items())]
    if extras:
        lines += ["", "[project.optional-dependencies]"]
        lines += ["%s = %s" % (q(e), qlist(extras[e])) for e in sorted(extras)]
    return lines


def poetry_dep(r, optional=False):
    t = {"version": str(r.specifier) or "*"}
    if r.marker:
        t["markers"] = str(r.marker)
    if r.extras:
        t["extras"] = sorted(r.extras)
    if optional:
        t["optional"] = True
    if len(t) == 1:
        return q(t["version"])
    return "{" + ", ".join("%s = %s" % (k, qlist(v) if isinstance(v, list) else
        ("true" if v is True else q(v))) for k, v in t.items()) + "}"


def poetry_table(d, deps, extras, tops, src=None):
    author = d["author"] or "Unknown"
    lines = ["[tool.poetry]", "name = " + q(d["name"]), "version = " + q(d["version"]),
        "description = " + q(d["summary"].splitlines()[0]),
        "authors = " + qlist(["%s <unknown@localhost>" % re.sub(r"[<>,]", " ", author).strip()])]
    pk = []
    for t in tops:
        item = {"include": t}
        if src:
            item["from"] = src
        pk.append("{" + ", ".join("%s = %s" % (k, q(v)) for k, v in item.items()) + "}")
    lines.append("packages = [" + ", ".join(pk) + "]")
    lines += ["", "[tool.poetry.dependencies]", "python = " + q(d["requires_python"] or "*")]
    seen = set()
    for text in deps:
        r = Requirement(text)
        n = canonicalize_name(r.name)
        if n in seen:
            continue
        seen.add(n)
        lines.append("%s = %s" % (q(r.name), poetry_dep(r)))
    ex = {}
    for e in sorted(extras):
        for text in extras[e]:
            r = Requirement(text)
            n = canonicalize_name(r.name)
            ex.setdefault(e, []).append(r.name)
            if n in seen:
                continue
            seen.add(n)
            lines.append("%s = %s" % (q(r.name), poetry_dep(r, optional=True)))
    if ex:
        lines += ["", "[tool.poetry.extras]"]
        lines += ["%s = %s" % (q(e), qlist(ex[e])) for e in sorted(ex)]
    eps = dict(d["entry_points"])
    if "console_scripts" in eps:
        lines += ["", "[tool.poetry.scripts]"]
        lines += ["%s = %s" % (q(k), q(v)) for k, v in sorted(eps.pop("console_scripts").items())]
    for group in sorted(eps):
        lines += ["", "[tool.poetry.plugins.%s]" % q(group)]
        lines += ["%s = %s" % (q(k), q(v)) for k, v in sorted(eps[group].items())]
    return lines


def build_system(requires, backend, path=None):
    lines = ["[build-system]", "requires = " + qlist(requires), "build-backend = " + q(backend)]
    if path:
        lines.append("backend-path = " + qlist(path))
    return lines + [""]


def sdist_tree(d, root):
    """{path: bytes} of the sdist (without the top directory), and the backend it uses."""
    deps, extras = split_reqs(d)
    canon = canonicalize_name(d["name"])
    kind = d["backend"]
    files = read_tree(root, d["tops"])
    if canon == "setuptools":
        files = mkindex.debian_setuptools_tree()
        return files, "setuptools (itself)"
    if canon in ("flit-core", "wheel"):
        kind = "flit"
    if canon == "hatchling":
        files = {"src/" + k: v for k, v in files.items()}
        text = build_system([r for r in deps if "python_version" not in r], "hatchling.ouroboros", ["src"])
        text += project_table(d, deps, extras)
        text += ["", "[tool.hatch.build.targets.wheel]", 'packages = ["src/hatchling"]']
        backend = "hatchling (itself)"
    elif canon == "poetry-core":
        files = {"src/" + k: v for k, v in files.items()}
        text = build_system([], "poetry.core.masonry.api", ["src"])
        text += poetry_table(d, deps, extras, d["tops"], src="src")
        backend = "poetry-core (itself)"
    elif kind == "flit":
        mods = [t[:-3] if t.endswith(".py") else t for t in d["tops"]]
        if len(mods) != 1 or (not mods[0].endswith(".py") and not d["tops"][0].endswith(".py")
                and d["tops"][0] + "/__init__.py" not in files):
            raise ValueError("flit_core wants one module or package, not %s" % d["tops"])
        if canon == "flit-core":
            text = build_system([], "flit_core.buildapi", ["."])
        else:
            text = build_system(*BACKENDS["flit"])
        text += project_table(d, deps, extras)
        text += ["", "[tool.flit.module]", "name = " + q(mods[0])]
        backend = "flit_core (itself)" if canon == "flit-core" else "flit_core"
    elif kind == "hatchling":
        text = build_system(*BACKENDS["hatchling"])
        text += project_table(d, deps, extras)
        text += ["", "[tool.hatch.build.targets.wheel]", "only-include = " + qlist(d["tops"])]
        backend = "hatchling"
    elif kind == "poetry":
        text = build_system(*BACKENDS["poetry"])
        text += poetry_table(d, deps, extras, d["tops"])
        backend = "poetry-core"
    elif kind == "setuptools":
        text = build_system(*BACKENDS["setuptools"])
        text += project_table(d, deps, extras)
        mods = sorted(t[:-3] for t in d["tops"] if t.endswith(".py"))
        pk = packages_of(files)
        text += ["", "[tool.setuptools]", "packages = " + qlist(pk), "py-modules = " + qlist(mods),
            "include-package-data = false"]
        if pk:
            text += ["", "[tool.setuptools.package-data]", '"*" = ["*", ".*"]']
        backend = "setuptools"
    else:
        raise ValueError("unknown build backend (WHEEL Generator: %s)" % d["generator"])
    files["pyproject.toml"] = ("\n".join(text) + "\n").encode()
    files["PKG-INFO"] = d["metadata"].encode()
    return files, backend


# ---- the closure

def closes(dists):
    """Drop, until nothing changes, every distribution with an unmet install requirement."""
    dropped = {}
    while True:
        bad = {}
        for n, d in dists.items():
            deps, extras = split_reqs(d)
            for text in deps:
                r = Requirement(text)
                if r.marker and not r.marker.evaluate(dict(ENV, extra="")):
                    continue
                m = canonicalize_name(r.name)
                if m not in dists:
                    bad[n] = "needs %s (not in the set)" % text
                    break
                if not r.specifier.contains(dists[m]["version"], prereleases=True):
                    bad[n] = "needs %s (the set has %s)" % (text, dists[m]["version"])
                    break
                for e in r.extras:
                    for t2 in split_reqs(dists[m])[1].get(str(canonicalize_name(e)), []):
                        r2 = Requirement(t2)
                        if r2.marker and not r2.marker.evaluate(dict(ENV, extra="")):
                            continue
                        if canonicalize_name(r2.name) not in dists:
                            bad[n] = "needs %s, so %s (not in the set)" % (text, t2)
        if not bad:
            return dropped
        for n, why in bad.items():
            dropped[n] = why
            del dists[n]


def deps_of(d, dists):
    """The distributions D's install requirements name (with their extras' requirements)."""
    out = set()
    for text in split_reqs(d)[0]:
        r = Requirement(text)
        if r.marker and not r.marker.evaluate(dict(ENV, extra="")):
            continue
        m = canonicalize_name(r.name)
        out.add(m)
        for e in r.extras:
            for t2 in split_reqs(dists[m])[1].get(str(canonicalize_name(e)), []):
                r2 = Requirement(t2)
                if not r2.marker or r2.marker.evaluate(dict(ENV, extra="")):
                    out.add(canonicalize_name(r2.name))
    return out


def cmd_make(pkglist, debdir, out):
    names = []
    for line in open(pkglist):
        line = line.split("#")[0].strip()
        if line:
            names.append(line)
    out = os.path.abspath(out)
    tmp = "%s.tmp-%d" % (out, os.getpid())
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    xroot = os.path.join(tmp, "x")
    dists, dropped, roots = {}, {}, {}
    for name in names:
        debs = sorted(glob.glob(os.path.join(debdir, name + "_*.deb")))
        if not debs:
            dropped[name] = "no .deb (apt-get download failed?)"
            continue
        x = os.path.join(xroot, name)
        os.makedirs(x)
        subprocess.run(["dpkg-deb", "-x", debs[-1], x], check=True)
        found, why = scan_deb(name, x)
        if why:
            if name != "python3-setuptools-whl":  # its wheel is setuptools' source, below
                dropped[name] = why
            continue
        for d in found:
            canon = str(canonicalize_name(d["name"]))
            try:
                Version(d["version"])
            except InvalidVersion:
                dropped[canon] = "version %r is not PEP 440" % d["version"]
                continue
            if canon not in SPECIAL and d["backend"] is None:
                dropped[canon] = "unknown build backend (WHEEL Generator: %s)" % d["generator"]
                continue
            # an empty directory, or a file that is not a module (python3-pycparser ships an
            # "ast"), is not part of what the backends build
            d["tops"] = [t for t in d["tops"] if read_tree(os.path.join(x, DIST), [t]) and
                (t.endswith(".py") or os.path.isdir(os.path.join(x, DIST, t)))]
            if not d["tops"] and canon != "setuptools":
                dropped[canon] = "no files found"
                continue
            if canon in dists:
                continue
            try:
                split_reqs(d)
            except ValueError as e:
                dropped[canon] = str(e)
                continue
            dists[canon] = d
            roots[canon] = os.path.join(x, DIST)
    if "setuptools" in dists:
        whl = glob.glob(os.path.join(xroot, "*", "usr/share/python-wheels/setuptools-*.whl"))
        mkindex.SETUPTOOLS_WHEEL = whl[0]
    elif os.path.isdir(os.path.join(xroot, "python3-setuptools-whl")):
        whl = glob.glob(os.path.join(xroot, "python3-setuptools-whl", "usr/share/python-wheels/setuptools-*.whl"))
        mkindex.SETUPTOOLS_WHEEL = whl[0]
        dists["setuptools"] = {"deb": "python3-setuptools-whl", "name": "setuptools", "version": "66.1.1",
            "requires_dist": [], "provides_extra": [], "backend": "setuptools", "generator": "self",
            "tops": [], "entry_points": {}, "requires_python": ">=3.7", "summary": "setuptools",
            "author": "", "metadata": ""}
        roots["setuptools"] = None
    # Debian 12 has no python3-editables; hatchling imports it only to build editable wheels
    if "hatchling" in dists and "editables" not in dists:
        d = dists["hatchling"]
        d["requires_dist"] = [r for r in d["requires_dist"] if canonicalize_name(Requirement(r).name) != "editables"]
        dropped["editables"] = "not in Debian 12: dropped from hatchling's Requires-Dist (build_editable only)"
    # sdists first (a distribution the backend cannot take is dropped before the closure)
    trees = {}
    for canon, d in sorted(dists.items()):
        try:
            trees[canon] = sdist_tree(d, roots[canon])
        except (ValueError, KeyError) as e:
            dropped[canon] = str(e)
    for canon in list(dists):
        if canon not in trees:
            del dists[canon]
    dropped.update(closes(dists))
    needed = set()
    for canon, d in dists.items():
        needed |= deps_of(d, dists) - {canon}
    # build the index with mkindex.py's pieces
    idx = os.path.join(tmp, "index")
    os.makedirs(os.path.join(idx, "simple"))
    expected, root_links = {}, []
    for canon in sorted(dists):
        d = dists[canon]
        files, backend = trees[canon]
        if canon == "setuptools":
            d = dict(d, version="66.1.1")
            meta = email.parser.Parser().parsestr(files["PKG-INFO"].decode())
            # mkindex.py's setup.cfg for setuptools has no extras_require (docs, testing)
            d["requires_dist"] = [r for r in meta.get_all("Requires-Dist") or [] if "extra ==" not in r]
        top = "%s-%s" % (mkindex.dist_name(d["name"]), d["version"])
        data = mkindex.tar_bytes(top, files, "gz")
        os.makedirs(os.path.join(idx, "packages", canon))
        f = mkindex.add_file(idx, canon, top + ".tar.gz", data)
        f.update(version=d["version"], yanked=False, kind="sdist")
        if d["requires_python"]:
            f["requires-python"] = d["requires_python"]
        pdir = os.path.join(idx, "simple", canon)
        os.makedirs(pdir)
        mkindex.write_text(os.path.join(pdir, "index.html"),
            mkindex.html_page("Links for " + canon, [mkindex.file_anchor(f)]))
        page = {"meta": {"api-version": "1.1"}, "name": canon, "versions": [d["version"]],
            "files": [mkindex.file_json(f)]}
        mkindex.write_text(os.path.join(pdir, "index.json"), json.dumps(page, indent=1, sort_keys=True) + "\n")
        root_links.append((canon, d["name"]))
        expected[canon] = {"name": d["name"], "version": d["version"], "backend": backend, "deb": d["deb"],
            "requires_dist": d["requires_dist"], "sdist": top + ".tar.gz", "files": len(files),
            "tops": sorted(t[:-3] if t.endswith(".py") else t for t in d["tops"])}
    mkindex.write_text(os.path.join(idx, "simple", "index.html"), mkindex.html_page("Simple index",
        ['<a href="%s/">%s</a>' % (c, mkindex.html.escape(n)) for c, n in root_links]))
    mkindex.write_text(os.path.join(idx, "simple", "index.json"), json.dumps(
        {"meta": {"api-version": "1.1"}, "projects": [{"name": n} for _, n in root_links]},
        indent=1, sort_keys=True) + "\n")
    with open(os.path.join(tmp, "requirements.txt"), "w") as fh:
        for canon in sorted(set(dists) - needed):
            fh.write("%s==%s\n" % (dists[canon]["name"], dists[canon]["version"]))
    with open(os.path.join(tmp, "expected.json"), "w") as fh:
        json.dump(expected, fh, indent=1, sort_keys=True)
    with open(os.path.join(tmp, "dropped.txt"), "w") as fh:
        for n in sorted(dropped):
            fh.write("%s: %s\n" % (n, dropped[n]))
    shutil.rmtree(xroot)
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    by = {}
    for e in expected.values():
        by[e["backend"]] = by.get(e["backend"], 0) + 1
    print("realtree: %d distributions (%s), %d dropped (%s)" % (len(expected),
        ", ".join("%s %d" % kv for kv in sorted(by.items())), len(dropped),
        os.path.join(out, "dropped.txt")), file=sys.stderr)


# ---- checks

def cmd_check(expected_path, wheeldirs):
    import zipfile
    expected = json.load(open(expected_path))
    seen, bad = set(), []
    for wd in wheeldirs:
        for whl in sorted(glob.glob(os.path.join(wd, "*.whl"))):
            with zipfile.ZipFile(whl) as zf:
                name = [n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)][0]
                msg = email.parser.Parser().parsestr(zf.read(name).decode())
                members = {n.split("/")[0] for n in zf.namelist()}
            canon = str(canonicalize_name(msg["Name"]))
            e = expected.get(canon)
            if e is None:
                bad.append("%s: not in the tree" % os.path.basename(whl))
                continue
            seen.add(canon)
            lost = [t for t in e.get("tops", []) if t not in members and t + ".py" not in members]
            if lost:
                bad.append("%s: the wheel lacks %s" % (canon, ", ".join(lost)))
            if Version(msg["Version"]) != Version(e["version"]):
                bad.append("%s: version %s, expected %s" % (canon, msg["Version"], e["version"]))
            got = {req_key(t) for t in msg.get_all("Requires-Dist") or []}
            want = {req_key(t) for t in e["requires_dist"]}
            if e["backend"].startswith("poetry"):  # poetry rewrites specifiers and markers
                got = {(k[0], k[4]) for k in got}
                want = {(k[0], k[4]) for k in want}
            if got != want:
                bad.append("%s: Requires-Dist differs: missing %s, extra %s" % (canon,
                    sorted(want - got), sorted(got - want)))
    for canon in sorted(set(expected) - seen):
        bad.append("%s: no wheel" % canon)
    for b in bad:
        print("realtree check: " + b, file=sys.stderr)
    print("realtree check: %d wheels, %d distributions, %d problems" % (len(seen), len(expected), len(bad)),
        file=sys.stderr)
    return 1 if bad else 0


# ---- the plan, and the bound

def plan_order(plan):
    """[(name, version, sdist path, [build requirement==version])] in build order."""
    from urllib.parse import unquote, urlparse
    text = open(os.path.join(plan, "Makefile"), encoding="utf-8").read()
    need, ver = {}, {}
    for m in re.finditer(r"^(\S+)\.(sys|backend) := ?(.*)$", text, re.M):
        need.setdefault(m.group(1), []).extend(m.group(3).split())
    for m in re.finditer(r"^(\S+)\.(name|version) := (.*)$", text, re.M):
        ver.setdefault(m.group(1), {})[m.group(2)] = m.group(3)
    out = []
    for e in json.load(open(os.path.join(plan, "build-order.json"))):
        key = "%s-%s" % (e["dist"], e["version"])
        url = urlparse(e["source_url"])
        sdist = unquote(url.path)
        if url.scheme != "file":
            sdist = os.path.join(plan, "sdists-repo", "downloads", os.path.basename(sdist))
        reqs = ["%s==%s" % (ver[q_]["name"], ver[q_]["version"]) for q_ in need.get(key, [])]
        out.append((e["dist"], e["version"], sdist, reqs))
    return out


def unpack(sdist, dest):
    with tarfile.open(sdist) as tf:
        tf.extractall(dest)  # our own sdists (Python 3.11.2 has no filter=)
    (top,) = os.listdir(dest)
    src = os.path.join(dest, top)
    import tomllib
    with open(os.path.join(src, "pyproject.toml"), "rb") as f:
        bs = tomllib.load(f)["build-system"]
    return src, bs["build-backend"], bs.get("backend-path", [])


def cmd_serial_order(plan):
    import tomllib
    for name, version, sdist, reqs in plan_order(plan):
        with tarfile.open(sdist) as tf:
            m = [x for x in tf.getmembers() if x.name.count("/") == 1 and x.name.endswith("/pyproject.toml")]
            bs = tomllib.load(tf.extractfile(m[0]))["build-system"]
        print(name, version, sdist, bs["build-backend"], ",".join(bs.get("backend-path", [])) or "-", *reqs)


BOTH_HOOKS = r"""
import importlib, json, sys
if sys.path and sys.path[0] in ("", "."):  # PEP 517: the source tree is not on sys.path
    del sys.path[0]
backend, path, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
sys.path[:0] = path
mod, _, obj = backend.partition(":")
b = importlib.import_module(mod)
for part in filter(None, obj.split(".")):
    b = getattr(b, part)
req = getattr(b, "get_requires_for_build_wheel", lambda config_settings=None: [])()
print(json.dumps({"requires": req, "wheel": b.build_wheel(out)}))
"""


def cmd_bound(plan, wheeldir, work):
    py = "/usr/bin/python3"
    work, wheeldir = os.path.abspath(work), os.path.abspath(wheeldir)
    envs = os.path.join(work, "bound-envs")
    os.makedirs(envs, exist_ok=True)
    rows, total = [], 0.0
    penv = dict(os.environ, PIP_CONFIG_FILE="/dev/null", PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1", PIP_ROOT_USER_ACTION="ignore", PIP_NO_CACHE_DIR="1")
    for name, version, sdist, reqs in plan_order(plan):
        key = re.sub(r"[^A-Za-z0-9_.=-]", "_", "+".join(sorted(reqs)) or "empty")
        key = key if len(key) < 200 else str(abs(hash(key)))
        env = os.path.join(envs, key)
        if not os.path.exists(os.path.join(env, "ok")):
            shutil.rmtree(env, ignore_errors=True)
            subprocess.run([py, "-m", "venv", "--without-pip", env], check=True)
            if reqs:
                subprocess.run([py, "-m", "pip", "--python", os.path.join(env, "bin", "python"), "install",
                    "--quiet", "--no-index", "--no-deps", "--find-links", wheeldir] + reqs,
                    check=True, env=penv)
            open(os.path.join(env, "ok"), "w").close()
        with tempfile.TemporaryDirectory(dir=work) as t:
            src, backend, path = unpack(sdist, os.path.join(t, "src"))
            os.makedirs(os.path.join(t, "out"))
            t0 = time.monotonic()
            p = subprocess.run([os.path.join(env, "bin", "python"), "-c", BOTH_HOOKS, backend,
                json.dumps([os.path.join(src, x) for x in path]), os.path.join(t, "out")],
                cwd=src, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ,
                SOURCE_DATE_EPOCH="315532800"))
            dt = time.monotonic() - t0
            if p.returncode:
                sys.stderr.write(p.stderr.decode(errors="replace")[-3000:])
                raise SystemExit("realtree bound: %s %s: the hooks failed" % (name, version))
        rows.append((name, version, dt))
        total += dt
    with open(os.path.join(work, "bound.tsv"), "w") as fh:
        fh.write("name\tversion\tseconds\n")
        for r in rows:
            fh.write("%s\t%s\t%.3f\n" % r)
    print("%.3f %d" % (total, len(rows)))


def main():
    a = sys.argv[1:]
    if a[:1] == ["make"] and len(a) == 4:
        cmd_make(*a[1:])
    elif a[:1] == ["check"] and len(a) >= 3:
        sys.exit(cmd_check(a[1], a[2:]))
    elif a[:1] == ["bound"] and len(a) == 4:
        cmd_bound(*a[1:])
    elif a[:1] == ["serial-order"] and len(a) == 2:
        cmd_serial_order(a[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
