"""pep517_hook.py: run ONE PEP 517 hook in this (fresh) process; wbgen's helper.

usage: python pep517_hook.py [--backend MOD[:OBJ.ATTR]] [--backend-path DIR]...
                             [--config-setting KEY=VALUE]... [--out-dir DIR]
                             [--metadata-directory DIR] [--check-requires FILE]
                             HOOK OUTFILE

Run with cwd = the source root (wbgen hook does that). Imports the backend
(default: the legacy setuptools.build_meta:__legacy__), with the backend-path
entries, relative to the source root and required to stay inside it,
prepended to sys.path; calls HOOK with the config settings (a repeated KEY
collects its values in a list, as pypa/build does); writes
{"hook": HOOK, "return": VALUE} to OUTFILE atomically (a temporary file in the
same directory, then os.replace).  PEP 517's defaults when the backend lacks an
optional hook: get_requires_* -> [] and {"default": true} added;
prepare_metadata_for_build_* -> "return": null, "unsupported": true.
--out-dir is the directory argument of build_wheel, build_sdist, build_editable
and prepare_metadata_for_build_* (required for them).

--check-requires FILE (build_wheel only): one process for both of a build's
hooks. FILE holds the requirements (a JSON list of strings) the build
environment was made for: get_requires_for_build_wheel is called first (PEP
517's order), its answer written as "requires"; when it is not that list (as
a multiset of strings), build_wheel is not called and OUTFILE says
{"hook": "build_wheel", "requires": [...], "mismatch": true, "return": null}.

Exit status 0, or 1 after a traceback and ONE final line on stderr,
"pep517_hook: HOOK failed: ...".  stdin is never read (it is replaced by
/dev/null).  Python 3.7+ compatible: no walrus, no f-string "=", no
importlib.metadata.
"""

import json
import os
import sys
import traceback

HOOKS = {
    # name: (takes a directory, optional, default)
    "get_requires_for_build_wheel": (False, True, []),
    "get_requires_for_build_sdist": (False, True, []),
    "get_requires_for_build_editable": (False, True, []),
    "prepare_metadata_for_build_wheel": (True, True, None),
    "prepare_metadata_for_build_editable": (True, True, None),
    "build_wheel": (True, False, None),
    "build_sdist": (True, False, None),
    "build_editable": (True, True, None),
}
LEGACY = "setuptools.build_meta:__legacy__"


class Failure(Exception):
    pass


def parse_args(argv):
    opts = {"backend": None, "backend_path": [], "config": {}, "out_dir": None,
            "metadata_directory": None, "check_requires": None}
    rest = []
    i = 0
    valued = {"--backend": "backend", "--backend-path": "backend_path",
              "--config-setting": "config", "--out-dir": "out_dir",
              "--metadata-directory": "metadata_directory",
              "--check-requires": "check_requires"}
    while i < len(argv):
        arg = argv[i]
        key, value = arg, None
        if arg.startswith("--") and "=" in arg:
            key, value = arg.split("=", 1)
        if key in valued:
            if value is None:
                i += 1
                if i >= len(argv):
                    raise Failure("option %s needs a value" % key)
                value = argv[i]
            dest = valued[key]
            if dest == "backend_path":
                opts[dest].append(value)
            elif dest == "config":
                k, eq, v = value.partition("=")
                if not eq or not k:
                    raise Failure("config setting %r is not KEY=VALUE" % value)
                old = opts["config"].get(k)
                if old is None:
                    opts["config"][k] = v
                elif isinstance(old, list):
                    old.append(v)
                else:
                    opts["config"][k] = [old, v]
            else:
                opts[dest] = value
        elif arg.startswith("--"):
            raise Failure("unknown option %r" % arg)
        else:
            rest.append(arg)
        i += 1
    if len(rest) != 2:
        raise Failure("expected HOOK OUTFILE, got %r" % (rest,))
    return opts, rest[0], rest[1]


def inside(path, root):
    path = os.path.normcase(os.path.realpath(path))
    root = os.path.normcase(os.path.realpath(root))
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def load_backend(spec, backend_path):
    root = os.getcwd()
    paths = []
    for entry in backend_path:
        if os.path.isabs(entry):
            raise Failure("backend-path entry %r is not relative to the source root" % entry)
        full = os.path.abspath(os.path.join(root, entry))
        if not inside(full, root):
            raise Failure("backend-path entry %r leaves the source root" % entry)
        paths.append(full)
    sys.path[:0] = paths
    mod_name, _, obj_path = spec.partition(":")
    mod_name = mod_name.strip()
    if not mod_name:
        raise Failure("invalid backend %r" % spec)
    import importlib
    try:
        obj = importlib.import_module(mod_name)
    except ImportError as e:
        raise Failure("cannot import the backend %r: %s" % (mod_name, e))
    if paths:
        where = getattr(obj, "__file__", None) or ""
        if not any(inside(where, p) for p in paths):
            raise Failure("backend %r was not loaded from backend-path (found at %r)" % (mod_name, where))
    for part in filter(None, obj_path.strip().split(".")):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise Failure("backend %r has no attribute %r" % (spec, part))
    return obj


def write_json(path, data):
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    tmp = "%s.tmp.%d" % (path, os.getpid())
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def run(argv):
    opts, hook_name, outfile = parse_args(argv)
    if hook_name not in HOOKS:
        raise Failure("unknown hook %r" % hook_name)
    takes_dir, optional, default = HOOKS[hook_name]
    if takes_dir and not opts["out_dir"]:
        raise Failure("hook %s needs --out-dir" % hook_name)
    outfile = os.path.abspath(outfile)
    backend = load_backend(opts["backend"] or LEGACY, opts["backend_path"])
    hook = getattr(backend, hook_name, None)
    result = {"hook": hook_name}
    if opts["check_requires"]:
        if hook_name != "build_wheel":
            raise Failure("--check-requires goes with build_wheel only")
        with open(opts["check_requires"], encoding="utf-8") as f:
            expected = json.load(f)
        get = getattr(backend, "get_requires_for_build_wheel", None)
        requires = get(opts["config"]) if get is not None else []
        if not isinstance(requires, (list, tuple)) or not all(isinstance(r, str) for r in requires):
            raise Failure("get_requires_for_build_wheel returned %r, not a list of strings" % (requires,))
        result["requires"] = list(requires)
        if sorted(requires) != sorted(expected):
            result["mismatch"] = True
            result["return"] = None
            write_json(outfile, result)
            return
    if hook is None:
        if not optional:
            raise Failure("the backend has no %s hook" % hook_name)
        result["return"] = default
        if default is None:
            result["unsupported"] = True
        else:
            result["default"] = True
    else:
        config = opts["config"]
        if hook_name in ("build_wheel", "build_editable"):
            value = hook(os.path.abspath(opts["out_dir"]), config,
                         opts["metadata_directory"] and os.path.abspath(opts["metadata_directory"]))
        elif takes_dir:
            value = hook(os.path.abspath(opts["out_dir"]), config)
        else:
            value = hook(config)
        if hook_name.startswith("get_requires_"):
            if not isinstance(value, (list, tuple)) or not all(isinstance(r, str) for r in value):
                raise Failure("%s returned %r, not a list of strings" % (hook_name, value))
            value = list(value)
        elif not isinstance(value, str):
            raise Failure("%s returned %r, not a string" % (hook_name, value))
        result["return"] = value
    write_json(outfile, result)


def main():
    # Never read stdin (PEP 517): /dev/null on descriptor 0, and no new descriptor left open.
    try:
        fd = os.open(os.devnull, os.O_RDONLY)
        if fd != 0:
            os.dup2(fd, 0)
            os.close(fd)
    except OSError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    hook_name = sys.argv[1:] and [a for a in sys.argv[1:] if a in HOOKS][:1]
    label = hook_name[0] if hook_name else "hook"
    try:
        run(sys.argv[1:])
    except Failure as e:
        sys.stdout.flush()
        sys.stderr.write("pep517_hook: %s failed: %s\n" % (label, e))
        return 1
    except BaseException as e:
        if isinstance(e, SystemExit) and e.code in (None, 0):
            e = RuntimeError("the backend called sys.exit(0)")
        sys.stdout.flush()
        traceback.print_exc()
        msg = str(e).strip().splitlines()
        sys.stderr.write("pep517_hook: %s failed: %s%s\n"
                         % (label, type(e).__name__, (": " + msg[-1]) if msg else ""))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
