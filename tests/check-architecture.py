"""check-architecture: docs/architecture.md's module table against the objects (TAP).

The modules are derived from the objects' paths, never listed here: gen/NAME.o is the module
NAME, every object under gen/DIR/ belongs to the module DIR, and cmd/ (both programs) is one
module, cmd. A module depends on another when one of its objects has an undefined symbol that
an object of the other defines; symbols no module defines (libc, sanitizer runtimes) are left
out, except those of the libraries named in LIBRARIES, found by their prefixes.

Tests: the table parses; each row's "depends on" column is exactly what the objects use (a
diff per module otherwise), and names only modules whose rows come before it; there is no cycle between modules (a cycle lives inside one
module's folder, or nowhere); only cmd/ calls die() (gen/ outside util returns errors); the
sources include wbgen's headers by their path under gen/ ("util.h", "resolve/resolve.h"), and
a folder's internal header (gen/DIR/DIR_int.h) only from that folder and from tests/.

The objects: WBGEN_OBJECTS (set by make check: automake's object lists of libgen.a and both
programs, relative to the build directory, the current directory), else the arguments, else
every gen/ and cmd/ object whose source exists under the source tree. The table:
$WBGEN_SRCDIR/docs/architecture.md. With --print, print the table with the column derived
from the objects instead (to paste after a change), and exit.
"""
import glob
import os
import re
import subprocess
import sys

# the libraries a row may name, and the prefixes of their symbols
LIBRARIES = {
    "libcurl": ("curl_",),
    "libarchive": ("archive_",),
    "jansson": ("json_", "jansson_"),
    "libyaml": ("yaml_",),
}
# named in a row for the reader, not checked (every module uses it)
UNCHECKED = {"libc"}
DEFINED = set("ABCDGIRSTVWiu")
UNDEFINED = set("Uvw")
HEADER = ["module", "concept", "depends on"]
DIE = {"die", "die_code"}

_n = 0
_failed = 0


def ok(good, name, diag=()):
    global _n, _failed
    _n += 1
    if not good:
        _failed += 1
    print("%s %d - %s" % ("ok" if good else "not ok", _n, name))
    for line in diag:
        print("# " + line)


def srcdir():
    d = os.environ.get("WBGEN_SRCDIR")
    return d if d else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def module_of(obj):
    """The module an object belongs to, or None (tests/ and anything else outside gen/ and cmd/)."""
    parts = os.path.normpath(obj).split(os.sep)
    if parts[0] == "gen" and len(parts) == 2:
        return os.path.splitext(parts[1])[0]
    if parts[0] == "gen" and len(parts) > 2:
        return parts[1]
    if parts[0] == "cmd":
        return "cmd"
    return None


def objects(argv):
    listed = os.environ.get("WBGEN_OBJECTS", "").split() or argv
    if listed:
        return sorted(set(o for o in listed if module_of(o)))
    src = srcdir()
    found = glob.glob("gen/**/*.o", recursive=True) + glob.glob("cmd/*.o")
    return sorted(o for o in found if os.path.exists(os.path.join(src, o[:-2] + ".c")))


def symbols(objs):
    """{object: (defined set, undefined set)} from one nm run."""
    nm = os.environ.get("NM") or "nm"
    p = subprocess.run([nm, "-P", "-A"] + objs, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, check=False)
    if p.returncode != 0:
        print("Bail out! %s failed: %s" % (nm, p.stderr.strip()))
        sys.exit(1)
    syms = {o: (set(), set()) for o in objs}
    for line in p.stdout.splitlines():
        head, _, rest = line.partition(": ")
        f = rest.split()
        if head not in syms or len(f) < 2:
            continue
        if f[1] in DEFINED:
            syms[head][0].add(f[0])
        elif f[1] in UNDEFINED:
            syms[head][1].add(f[0])
    return syms


def derive(syms):
    """({module: {dependency: (object, symbol)}}, {module: [objects]}): the modules' direct
    dependencies, each with one object and symbol that shows it."""
    mods = {}
    definer = {}
    for o, (defs, _) in syms.items():
        m = module_of(o)
        mods.setdefault(m, []).append(o)
        for s in defs:
            definer.setdefault(s, set()).add(m)
    deps = {m: {} for m in mods}
    for o in sorted(syms):
        m = module_of(o)
        for s in sorted(syms[o][1]):
            owners = definer.get(s)
            if owners:
                if len(owners) == 1 and m not in owners:
                    deps[m].setdefault(next(iter(owners)), (o, s))
                continue
            for lib, prefixes in LIBRARIES.items():
                if s.startswith(prefixes):
                    deps[m].setdefault(lib, (o, s))
    return deps, mods


def includes(src):
    """What breaks the include rule in the C sources of gen/, cmd/ and tests/."""
    wrong = []
    for top in ("gen", "cmd", "tests"):
        for d, _, files in os.walk(os.path.join(src, top)):
            rel = os.path.relpath(d, src)
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(rel, name)
                with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for m in re.finditer(r'^#\s*include\s+"([^"]+)"', text, re.M):
                    h = m.group(1)
                    in_gen = os.path.exists(os.path.join(src, "gen", h))
                    if h == "config.h" or (in_gen and not h.startswith(".")):
                        pass
                    elif top == "gen" or not os.path.exists(os.path.join(d, h)):
                        wrong.append('%s: #include "%s": not a path under gen/' % (path, h))
                        continue
                    parts = h.split("/")
                    if in_gen and parts[-1].endswith("_int.h") and top != "tests" and \
                            rel != os.path.join("gen", *parts[:-1]):
                        wrong.append('%s: #include "%s": internal to gen/%s/' % (path, h, "/".join(parts[:-1])))
    return wrong


def cells(line):
    line = line.strip()
    if not (line.startswith("|") and line.endswith("|")):
        return None
    # a "\|" inside a cell is text, not a column separator
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line[1:-1])]


def names_in(cell):
    """The names a "depends on" cell lists: comma-separated, notes in parentheses left out."""
    cell = re.sub(r"\([^)]*\)", "", cell)
    return [n.strip().strip("`").strip() for n in cell.split(",") if n.strip().strip("`").strip()]


def table(path):
    """[(module, concept cell, [names], line number, row)] of the table whose header is HEADER."""
    rows, inside = [], False
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            c = cells(line)
            if c is None:
                if inside:
                    break
                continue
            if not inside:
                inside = [x.lower() for x in c] == HEADER
                continue
            if set("".join(c)) <= set("-: "):
                continue
            if len(c) != 3:
                rows.append((None, None, None, i, line.rstrip("\n")))
                continue
            rows.append((c[0].strip("`"), c[1], names_in(c[2]), i, line.rstrip("\n")))
    return rows


def cycles(deps):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(deps.get(v, ())):
            if w not in deps:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(deps):
        if v not in index:
            visit(v)
    return out


def one_cycle(comp, deps):
    """A shortest cycle through comp's first module, as a list of modules ending where it starts."""
    start = comp[0]
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(deps[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w in comp and w not in prev:
                prev[w] = v
                queue.append(w)
    return comp + [start]


def fmt(names):
    return ", ".join(names) if names else "(nothing)"


def order(names, modules):
    """Modules first (the table's order), then libraries."""
    return sorted(names, key=lambda n: (n not in modules, modules.index(n) if n in modules else 0, n))


def layered(modules, deps):
    """modules reordered as little as possible so that each comes after what it depends on."""
    out, left = [], list(modules)
    while left:
        m = next((m for m in left if all(d in out or d not in left for d in deps.get(m, ()))), left[0])
        out.append(m)
        left.remove(m)
    return out


def print_table(rows, deps):
    modules = [r[0] for r in rows if r[0]] + sorted(m for m in deps if m not in [r[0] for r in rows])
    modules = layered(modules, deps)
    print("| module | concept | depends on |")
    print("|---|---|---|")
    for m in modules:
        row = next((r for r in rows if r[0] == m), None)
        concept = row[1].replace("|", "\\|") if row else "TODO"
        names = order([n for n in deps.get(m, {})], modules)
        if row:
            names += [n for n in row[2] if n in UNCHECKED]
        print("| `%s` | %s | %s |" % (m, concept, ", ".join(names) if names else "—"))


def main(argv):
    show = "--print" in argv
    argv = [a for a in argv if a != "--print"]
    doc = os.path.join(srcdir(), "docs", "architecture.md")
    objs = objects(argv)
    if not objs:
        print("Bail out! no objects of gen/ or cmd/ (run make first)")
        return 1
    syms = symbols(objs)
    deps, mods = derive(syms)
    rows = table(doc)
    if show:
        print_table([r for r in rows if r[0]], deps)
        return 0

    print("1..5")
    bad = ["%s:%d: not a row of three cells: %s" % (doc, r[3], r[4]) for r in rows if r[0] is None]
    rows = [r for r in rows if r[0]]
    seen = set()
    for r in rows:
        if r[0] in seen:
            bad.append("%s:%d: module '%s' has two rows" % (doc, r[3], r[0]))
        seen.add(r[0])
    if not rows:
        bad.append("%s: no table with the header | %s |" % (doc, " | ".join(HEADER)))
    ok(not bad, "docs/architecture.md has one table row per module (%d rows, %d modules in %d objects)"
       % (len(rows), len(mods), len(objs)), bad)

    modules = [r[0] for r in rows]
    diff = []
    for m in sorted(set(mods) - set(modules)):
        diff.append("module '%s' (%s) has no row; it depends on: %s"
                    % (m, " ".join(sorted(mods[m])), fmt(order(deps[m], modules))))
    for module, _, names, line, _ in rows:
        if module not in mods:
            diff.append("%s:%d: module '%s' has a row but no objects (gen/%s.o or gen/%s/*.o)"
                        % (doc, line, module, module, module))
            continue
        unknown = [n for n in names if n not in mods and n not in LIBRARIES and n not in UNCHECKED]
        documented = set(n for n in names if n not in UNCHECKED)
        actual = set(deps[module])
        if documented == actual and not unknown:
            continue
        diff.append("%s:%d: module '%s' depends on" % (doc, line, module))
        diff.append("    documented:      %s" % fmt(names))
        diff.append("    in the objects:  %s" % fmt(order(actual, modules)))
        for n in order(actual - documented, modules):
            o, s = deps[module][n]
            diff.append("  + %-14s %s uses %s" % (n, o, s))
        for n in order(documented - actual - set(unknown), modules):
            diff.append("  - %-14s documented, not used" % n)
        for n in unknown:
            diff.append("  ? %-14s neither a module nor a library (%s)" % (n, ", ".join(sorted(LIBRARIES))))
    for i, (module, _, names, line, _) in enumerate(rows):
        later = [n for n in names if n in modules[i + 1:]]
        if later:
            diff.append("%s:%d: module '%s' comes before what it depends on: %s" % (doc, line, module, ", ".join(later)))
    if diff:
        diff.append("(tests/check-architecture.py --print prints the table as the objects have it)")
    ok(not diff, "every module's dependencies are as docs/architecture.md documents them", diff)

    mdeps = {m: set(d for d in deps[m] if d in mods) for m in mods}
    loops = []
    for comp in cycles(mdeps):
        path = one_cycle(comp, mdeps)
        loops.append("cycle between modules: %s" % " -> ".join(path))
        for a, b in zip(path, path[1:]):
            o, s = deps[a][b]
            loops.append("    %s -> %s: %s uses %s" % (a, b, o, s))
    ok(not loops, "no cycle between modules", loops)

    dying = []
    for o in objs:
        m = module_of(o)
        if o.startswith("gen") and m != "util":
            for s in sorted(syms[o][1] & DIE):
                dying.append("%s (module %s) calls %s()" % (o, m, s))
    ok(not dying, "only cmd/ calls die(): gen/ returns its errors", dying)

    wrong = includes(srcdir())
    ok(not wrong, "headers are included by their path under gen/, internal ones from their folder", wrong)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
