# install.sh: `wbgen venv` and `wbgen install` against `python -m venv --without-pip` and
# `pip install --no-deps` (with and without --no-compile) of the same wheels (Debian's setuptools and pip wheels, plus
# wheels made here with zipfile: .data directories, scripts, entry points, an executable file,
# Root-Is-Purelib false), and hostile wheels that must be refused with nothing written. Installing
# over an installed distribution (another version, the same wheel) must leave what
# `pip install --force-reinstall` leaves; an installed RECORD leading outside the env is refused.
#
# Expected differences between the two installs (everything else must be byte-identical, modes too):
#   - paths: the environment's own path (in shebangs, pyvenv.cfg's command) is replaced by ENV;
#   - bin/activate* (venv's activation scripts: wbgen venv writes none);
#   - INSTALLER says "wbgen" instead of "pip"; pip also writes REQUESTED and direct_url.json;
#   - RECORD: compared as a set of rows without those files' rows;
#   - .pyc files: their code objects compared, not their bytes (marshal's output depends on the
#     compiling process's reference counts, the header on when the .py file was written; a
#     separate check reads the header).
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"

PY=${REF_PYTHON:-/usr/bin/python3}
export XDG_CACHE_HOME="$TMP/cache"
WHEELS=/usr/share/python-wheels
PIPWHL=$(ls "$WHEELS"/pip-*.whl 2>/dev/null | head -n 1 || true)
STWHL=$(ls "$WHEELS"/setuptools-*.whl 2>/dev/null | head -n 1 || true)
export PY TMP
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1

# ---- helpers: a wheel maker and a tree comparer
cat >"$TMP/mkwheel.py" <<'EOF'
import base64, hashlib, sys, zipfile

def rec(data):
    d = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    return 'sha256=%s,%d' % (d, len(data))

def wheel(path, dist, files, purelib=True, wheel_version='1.0', record_extra=(), unlisted=(), tamper=None,
          modes=None, dos=False, deflate=False):
    """files: [(name, bytes)]; modes: {name: unix mode}; unlisted: names left out of RECORD."""
    di = '%s.dist-info' % dist
    files = list(files) + [
        ('%s/METADATA' % di, ('Metadata-Version: 2.1\nName: %s\nVersion: %s\n' % tuple(dist.split('-'))).encode()),
        ('%s/WHEEL' % di, ('Wheel-Version: %s\nGenerator: mkwheel\nRoot-Is-Purelib: %s\nTag: py3-none-any\n'
                           % (wheel_version, 'true' if purelib else 'false')).encode()),
    ]
    lines = ['%s,%s' % (n, rec(tamper if tamper and n == tamper[0] and False else d))
             for n, d in files if n not in unlisted]
    if tamper:
        lines = [l if not l.startswith(tamper[0] + ',') else '%s,%s' % (tamper[0], rec(tamper[1])) for l in lines]
    lines += list(record_extra) + ['%s/RECORD,,' % di]
    files.append(('%s/RECORD' % di, ('\n'.join(lines) + '\n').encode()))
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for n, d in files:
            zi = zipfile.ZipInfo(n, (2020, 1, 1, 0, 0, 0))
            zi.create_system = 0 if dos else 3
            zi.external_attr = 0x20 if dos else ((modes or {}).get(n, 0o100644)) << 16
            if deflate:
                zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, d)

out, kind = sys.argv[1], sys.argv[2]
demo = [
    ('demo/__init__.py', b'def main():\n    print("demo-main")\n    return 0\n'
                         b'class Cli:\n    @staticmethod\n    def run():\n        print("demo-run")\n'),
    ('demo/tool.sh', b'#!/bin/sh\necho tool\n'),
    ('demo-1.0.data/scripts/demo-py', b'#!python -u\nimport demo\ndemo.main()\n'),
    ('demo-1.0.data/scripts/demo-sh', b'#!/bin/sh\necho demo-sh\n'),
    ('demo-1.0.data/scripts/demo-noexec', b'#!python\nprint(1)\n'),
    ('demo-1.0.data/data/share/demo/readme.txt', b'hello\n'),
    ('demo-1.0.data/headers/demo.h', b'#define DEMO 1\n'),
    ('demo-1.0.data/platlib/demo_plat.py', b'X = 1\n'),
    ('demo-1.0.dist-info/entry_points.txt', b'[console_scripts]\ndemo-cli = demo:main\ndemo-run = demo:Cli.run\n'
                                            b'\n[gui_scripts]\ndemo-gui = demo:main [gui]\n'),
]
modes = {'demo/tool.sh': 0o100755, 'demo-1.0.data/scripts/demo-py': 0o100755,
         'demo-1.0.data/scripts/demo-sh': 0o100755}
if kind == 'demo':
    wheel(out + '/demo-1.0-py3-none-any.whl', 'demo-1.0', demo, modes=modes)
elif kind == 'demo2':
    # version 2, spelt DEMO (the same normalised name): tool.sh and the data file gone, two modules new
    gone = ('demo/tool.sh', 'demo-1.0.data/data/share/demo/readme.txt')
    d2 = [(n.replace('demo-1.0.', 'DEMO-2.0.'), d) for n, d in demo if n not in gone]
    d2 += [('demo/extra.py', b'E = 1\n'), ('demo/sub/new.py', b'N = 2\n')]
    wheel(out + '/DEMO-2.0-py3-none-any.whl', 'DEMO-2.0', d2,
          modes={k.replace('demo-1.0.', 'DEMO-2.0.'): v for k, v in modes.items()})
elif kind == 'plat':
    wheel(out + '/platdemo-2.0-py3-none-any.whl', 'platdemo-2.0', [('platdemo/__init__.py', b'Y = 2\n')],
          purelib=False)
elif kind == 'dos':
    wheel(out + '/dosdemo-1.0-py3-none-any.whl', 'dosdemo-1.0', [('dosdemo/__init__.py', b'Z = 3\n'),
          ('dosdemo-1.0.data/scripts/dosdemo', b'#!python\nprint(3)\n')], dos=True)
elif kind == 'dup':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b''), ('bad/__init__.py', b'')])
elif kind == 'misnamed':
    wheel(out + '/other-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b'')])
elif kind == 'mismatch':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b'x = 1\n')],
          tamper=('bad/__init__.py', b'x = 2\n'))
elif kind == 'unlisted':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b''), ('bad/sneaky.py', b'')],
          unlisted=('bad/sneaky.py',))
elif kind == 'dotdot':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b''), ('../../../evil.py', b'')])
elif kind == 'datadotdot':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad-1.0.data/data/../../../evil.py', b'')])
elif kind == 'absolute':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b''), (sys.argv[3], b'evil')])
elif kind == 'symlink':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b''), ('bad/link', sys.argv[3].encode())],
          modes={'bad/link': 0o120777})
elif kind == 'version2':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b'')], wheel_version='2.0')
elif kind == 'missing':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b'')],
          record_extra=('bad/gone.py,sha256=AAAA,1',))
elif kind == 'conflict':
    wheel(out + '/clash-1.0-py3-none-any.whl', 'clash-1.0', [('demo/__init__.py', b'')])
elif kind == 'badentry':
    wheel(out + '/bad-1.0-py3-none-any.whl', 'bad-1.0', [('bad/__init__.py', b''),
          ('bad-1.0.dist-info/entry_points.txt', b'[console_scripts]\n../x = bad:main\n')])
elif kind == 'setuid':
    wheel(out + '/modes-1.0-py3-none-any.whl', 'modes-1.0', [('modes/__init__.py', b''), ('modes/suid', b'x'),
          ('modes/sgid', b'x'), ('modes/ww', b'x'), ('modes-1.0.data/scripts/suid-script', b'#!/bin/sh\n')],
          modes={'modes/suid': 0o104755, 'modes/sgid': 0o102777, 'modes/ww': 0o100666,
                 'modes-1.0.data/scripts/suid-script': 0o106755})
elif kind == 'special':
    wheel(out + '/special-1.0-py3-none-any.whl', 'special-1.0', [('special/__init__.py', b''), ('special/fifo', b''),
          ('special/dev', b'')], modes={'special/fifo': 0o010644, 'special/dev': 0o020644})
elif kind == 'case':
    wheel(out + '/casey-1.0-py3-none-any.whl', 'casey-1.0', [('casey/__init__.py', b''), ('casey/README', b'a'),
          ('casey/readme', b'b')])
elif kind == 'many':
    wheel(out + '/many-1.0-py3-none-any.whl', 'many-1.0', [('many/__init__.py', b'')] +
          [('many/m%04d.py' % i, b'X = %d\n' % i) for i in range(3000)])
elif kind == 'bomb':
    wheel(out + '/bomb-1.0-py3-none-any.whl', 'bomb-1.0', [('bomb/__init__.py', b''), ('bomb/zeros', bytes(80 << 20))],
          deflate=True)
else:
    sys.exit('unknown kind ' + kind)
EOF


mkdir "$TMP/w"
for k in demo plat dos; do "$PY" "$TMP/mkwheel.py" "$TMP/w" $k; done

# ---- wbgen venv against python -m venv
ok "wbgen venv (Debian python3)" "$WBGEN" venv --python "$PY" "$TMP/ev"
ok "python -m venv --without-pip" "$PY" -m venv --without-pip "$TMP/rv"
ok "same layout, links and pyvenv.cfg as python -m venv" sh -c \
	'sed -i "s|$2|ENV|" "$1/pyvenv.cfg" "$2/pyvenv.cfg"; "$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$1" "$2"; rc=$?;
	 sed -i "s|ENV|$2|" "$2/pyvenv.cfg"; sed -i "s|ENV|$1|" "$1/pyvenv.cfg"; exit $rc' - "$TMP/ev" "$TMP/rv"
ok "pyvenv.cfg keys in venv's order" sh -c \
	'cut -d" " -f1 "$1/pyvenv.cfg" | tr "\n" " " | grep -qx "home include-system-site-packages version executable command "' \
	- "$TMP/ev"
ok "the venv python: sys.prefix is the env, no base site-packages" "$TMP/ev/bin/python" -c '
import sys, site
assert sys.prefix == sys.argv[1], (sys.prefix, sys.argv[1])
assert sys.prefix != sys.base_prefix
assert not any(p.endswith(("site-packages", "dist-packages")) and not p.startswith(sys.argv[1]) for p in sys.path), sys.path
assert any(p.startswith(sys.argv[1]) and p.endswith("site-packages") for p in sys.path), sys.path' "$TMP/ev"
fails 1 "an existing DIR is refused" "$WBGEN" venv --python "$PY" "$TMP/ev"
ok "the refusal is one line naming DIR" sh -c '"$WBGEN" venv --python "$1" "$2" 2>&1 | { read -r l; ! read -r _ &&
	case $l in *"$2"*"already exists"*) true;; *) false;; esac; }' - "$PY" "$TMP/ev"
ok "no temporary directory left beside DIR" sh -c '! ls -a "$1" | grep -q wbgen-tmp' - "$TMP"

# pyenv interpreters: every Python 3 gets a working venv; 3.11 and later (whose venv writes
# pyvenv.cfg's executable and command keys) must match python -m venv exactly
for py in /root/.pyenv/versions/3.*/bin/python3; do
	[ -x "$py" ] || continue
	v=$(basename "$(dirname "$(dirname "$py")")")
	ok "pyenv $v: wbgen venv" "$WBGEN" venv --python "$py" "$TMP/pe$v"
	ok "pyenv $v: sys.prefix is the env, no base site-packages" "$TMP/pe$v/bin/python" -c '
import sys
assert sys.prefix == sys.argv[1], (sys.prefix, sys.argv[1])
assert not any(p.endswith("site-packages") and not p.startswith(sys.argv[1]) for p in sys.path), sys.path' "$TMP/pe$v"
	case $v in 3.[0-9].*|3.10.*) continue;; esac
	ok "pyenv $v: same as python -m venv" sh -c '"$1" -m venv --without-pip "$3" &&
		sed -i "s|$2|ENV|" "$2/pyvenv.cfg"; sed -i "s|$3|ENV|" "$3/pyvenv.cfg"; "$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$2" "$3"' \
		- "$py" "$TMP/pe$v" "$TMP/pr$v"
	ok "pyenv $v: wbgen install + console script" sh -c '"$WBGEN" install --env "$1" "$2"/demo-1.0-py3-none-any.whl &&
		"$1/bin/demo-cli" | grep -qx demo-main' - "$TMP/pe$v" "$TMP/w"
done
if command -v python3 >/dev/null && head -c 2 "$(command -v python3)" | grep -q '#!'; then
	ok "python3 on PATH is a wrapper: the env links to the real interpreter" sh -c \
		'"$WBGEN" venv --python python3 "$1" && t=$(readlink -f "$1/bin/python") && head -c 4 "$t" | grep -q ELF &&
		 "$1/bin/python" -c "import sys; assert sys.prefix == sys.argv[1]" "$1"' - "$TMP/shim"
fi
if [ -x /root/.pyenv/versions/2.7.18/bin/python ]; then
	fails 1 "python 2.7 has no venv: refused" "$WBGEN" venv --python /root/.pyenv/versions/2.7.18/bin/python "$TMP/p27"
fi

# ---- wbgen install against pip install
if [ -n "$PIPWHL" ] && [ -n "$STWHL" ]; then
	set -- "$STWHL" "$PIPWHL" "$TMP/w/demo-1.0-py3-none-any.whl" "$TMP/w/platdemo-2.0-py3-none-any.whl" \
		"$TMP/w/dosdemo-1.0-py3-none-any.whl"
	ok "wbgen install: setuptools, pip, demo, platdemo, dosdemo (a zip made on DOS: no modes)" "$WBGEN" install \
		--no-compile --env "$TMP/ev" "$@"
	ok "pip install --no-deps --no-compile of the same wheels" \
		"$TMP/rv/bin/python" "$PIPWHL/pip" install -q --no-deps --no-compile --no-index "$@"
	ok "same files, contents and modes as pip" sh -c 'sed -i "s|$2|ENV|" "$1/pyvenv.cfg" "$2/pyvenv.cfg";
		"$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$1" "$2"; rc=$?; sed -i "s|ENV|$2|" "$2/pyvenv.cfg"; sed -i "s|ENV|$1|" "$1/pyvenv.cfg"
		exit $rc' - "$TMP/ev" "$TMP/rv"
	ok "installed packages import" "$TMP/ev/bin/python" -c 'import setuptools, pip, demo, demo_plat, platdemo, pkg_resources'
	ok "console scripts run (pip)" sh -c '"$1/bin/pip" --version | grep -q "^pip "' - "$TMP/ev"
	ok "pip sees the wbgen-installed distributions" sh -c \
		'"$1/bin/python" -m pip list --format=freeze 2>/dev/null | grep -qx "demo==1.0"' - "$TMP/ev"
	ok "pip check finds the RECORD usable (show -f)" sh -c \
		'"$1/bin/python" -m pip show -f demo 2>/dev/null | grep -q "bin/demo-cli"' - "$TMP/ev"
else
	ok "wbgen install: demo, platdemo" "$WBGEN" install --env "$TMP/ev" "$TMP/w"/*.whl
fi
ok "console scripts (module:func, module:Cls.method, gui)" sh -c \
	'"$1/bin/demo-cli" | grep -qx demo-main && "$1/bin/demo-run" | grep -qx demo-run && "$1/bin/demo-gui" | grep -qx demo-main' \
	- "$TMP/ev"
ok "#!python rewritten to the env's python" sh -c 'head -n 1 "$1/bin/demo-py" | grep -qx "#!$1/bin/python" &&
	"$1/bin/demo-py" | grep -qx demo-main' - "$TMP/ev"
ok "other scripts kept as they are" sh -c '"$1/bin/demo-sh" | grep -qx demo-sh' - "$TMP/ev"
ok "a script not executable in the zip stays so (as pip does)" sh -c '! test -x "$1/bin/demo-noexec" &&
	head -n 1 "$1/bin/demo-noexec" | grep -qx "#!$1/bin/python"' - "$TMP/ev"
ok "the executable bit comes from the zip" sh -c 'test -x "$1"/lib/python3*/site-packages/demo/tool.sh &&
	! test -x "$1"/lib/python3*/site-packages/demo/__init__.py' - "$TMP/ev"
ok ".data: data, headers, platlib" sh -c 'test -f "$1/share/demo/readme.txt" && test -f "$1"/include/site/python3*/demo/demo.h &&
	test -f "$1"/lib/python3*/site-packages/demo_plat.py' - "$TMP/ev"
ok "INSTALLER says wbgen" sh -c 'grep -qx wbgen "$1"/lib/python3*/site-packages/demo-1.0.dist-info/INSTALLER' - "$TMP/ev"
ok "RECORD lists the scripts with hashes, and itself without" sh -c \
	'r=$(echo "$1"/lib/python3*/site-packages/demo-1.0.dist-info/RECORD);
	 grep -q "^../../../bin/demo-cli,sha256=" "$r" && grep -qx "demo-1.0.dist-info/RECORD,," "$r" &&
	 grep -q "^../../../share/demo/readme.txt,sha256=" "$r"' - "$TMP/ev"
ok "RECORD verifies against the installed files" "$TMP/ev/bin/python" -c '
import base64, csv, hashlib, os, sys, glob
sp = glob.glob(sys.argv[1] + "/lib/python3*/site-packages")[0]
for rec in glob.glob(sp + "/*.dist-info/RECORD"):
    for path, h, size in csv.reader(open(rec)):
        p = os.path.normpath(os.path.join(sp, path))
        assert os.path.exists(p), p
        if h:
            d = base64.urlsafe_b64encode(hashlib.sha256(open(p, "rb").read()).digest()).rstrip(b"=").decode()
            assert h == "sha256=" + d and int(size) == os.path.getsize(p), p' "$TMP/ev"
ok "no staging directory left in the env" sh -c '! ls -a "$1" | grep -q wbgen-install' - "$TMP/ev"
ok "a retry over an installed wheel succeeds" "$WBGEN" install --env "$TMP/ev" "$TMP/w/demo-1.0-py3-none-any.whl"
# an install killed while moving files in: some files in place, no .dist-info, a staging directory left
"$WBGEN" venv --python "$PY" "$TMP/iv"
"$WBGEN" venv --python "$PY" "$TMP/fv"
"$WBGEN" install --env "$TMP/fv" "$TMP/w/demo-1.0-py3-none-any.whl"
"$WBGEN" install --env "$TMP/iv" "$TMP/w/demo-1.0-py3-none-any.whl"
rm -rf "$TMP"/iv/lib/python3*/site-packages/demo-1.0.dist-info "$TMP/iv/bin/demo-cli"
echo partial >"$TMP/iv/bin/demo-py"
mkdir -p "$TMP/iv/.wbgen-install-2147483646-abcdef/tree" "$TMP/iv/.wbgen-install-$$-abcdef/tree"
ok "interrupted install: the retry succeeds" "$WBGEN" install --env "$TMP/iv" "$TMP/w/demo-1.0-py3-none-any.whl"
ok "the staging directory of a dead process is removed, a live one's kept" sh -c \
	'test ! -e "$1/.wbgen-install-2147483646-abcdef" && test -d "$1/.wbgen-install-$2-abcdef"' - "$TMP/iv" $$
rm -rf "$TMP/iv/.wbgen-install-$$-abcdef"
ok "interrupted install: the env is then the same as a clean install" sh -c 'sed -i "s|$2|ENV|" "$1/pyvenv.cfg" "$2/pyvenv.cfg";
	"$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$1" "$2"; rc=$?; sed -i "s|ENV|$2|" "$2/pyvenv.cfg"; sed -i "s|ENV|$1|" "$1/pyvenv.cfg"
	exit $rc' - "$TMP/iv" "$TMP/fv"
ok "--record-installer" sh -c '"$WBGEN" venv --python "$PY" "$1" && "$WBGEN" install --env "$1" --record-installer=pip "$2" &&
	grep -qx pip "$1"/lib/python3*/site-packages/demo-1.0.dist-info/INSTALLER' - "$TMP/ri" "$TMP/w/demo-1.0-py3-none-any.whl"

# ---- byte-code: compiled at install as pip compiles (its default), or not at all with --no-compile
"$WBGEN" venv --python "$PY" "$TMP/cw"
"$PY" -m venv --without-pip "$TMP/cp"
set -- "$TMP/w/demo-1.0-py3-none-any.whl" "$TMP/w/platdemo-2.0-py3-none-any.whl"
[ -n "$STWHL" ] && set -- "$STWHL" "$@"
ok "wbgen install compiles" "$WBGEN" install --env "$TMP/cw" "$@"
ok "every .py has a valid .pyc, listed in RECORD" "$TMP/cw/bin/python" "$WBGEN_SRCDIR/e2e/fixtures/pycheck.py" "$TMP/cw"
ok "the scripts are not compiled (as pip)" sh -c '! test -e "$1/bin/__pycache__"' - "$TMP/cw"
if [ -n "$PIPWHL" ]; then
	ok "pip install --no-deps (compiling) of the same wheels" \
		"$TMP/cp/bin/python" "$PIPWHL/pip" install -q --no-deps --no-index "$@"
	ok "compiled: same files, contents, byte-code and modes as pip" sh -c 'sed -i "s|$2|ENV|" "$1/pyvenv.cfg" "$2/pyvenv.cfg";
		"$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$1" "$2"; rc=$?; sed -i "s|ENV|$2|" "$2/pyvenv.cfg";
		sed -i "s|ENV|$1|" "$1/pyvenv.cfg"; exit $rc' - "$TMP/cw" "$TMP/cp"
fi
touch "$TMP/cw.mark"
ok "the compiled packages import without writing byte-code" sh -c 'env -u PYTHONDONTWRITEBYTECODE "$1/bin/python" -c "import demo, demo_plat" &&
	! find "$1" -name "*.pyc" -newer "$2" | grep -q .' - "$TMP/cw" "$TMP/cw.mark"
"$WBGEN" venv --python "$PY" "$TMP/nw"
ok "--no-compile writes no byte-code" sh -c '"$WBGEN" install --no-compile --env "$1" "$2" && ! find "$1" -name "*.pyc" | grep -q .' \
	- "$TMP/nw" "$TMP/w/demo-1.0-py3-none-any.whl"
fails 2 "--store with --no-compile: a usage error" "$WBGEN" install --no-compile --store "$TMP/st" --env "$TMP/nw" \
	"$TMP/w/demo-1.0-py3-none-any.whl"

# ---- installing over an installed distribution: as pip install --no-deps --force-reinstall
"$PY" "$TMP/mkwheel.py" "$TMP/w" demo2
V1="$TMP/w/demo-1.0-py3-none-any.whl"
V2="$TMP/w/DEMO-2.0-py3-none-any.whl"
"$WBGEN" venv --python "$PY" "$TMP/uw"
"$PY" -m venv --without-pip "$TMP/up"
same_as_pip() {
	[ -n "$PIPWHL" ] || return 0
	ok "$1: the same tree as pip --force-reinstall" sh -c 'sed -i "s|$2|ENV|" "$1/pyvenv.cfg" "$2/pyvenv.cfg";
		"$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$1" "$2"; rc=$?; sed -i "s|ENV|$2|" "$2/pyvenv.cfg"; sed -i "s|ENV|$1|" "$1/pyvenv.cfg"
		exit $rc' - "$TMP/uw" "$TMP/up"
}
step() {
	ok "$1: wbgen install" "$WBGEN" install --no-compile --env "$TMP/uw" "$2"
	if [ -n "$PIPWHL" ]; then
		ok "$1: pip install --force-reinstall" "$TMP/up/bin/python" "$PIPWHL/pip" install -q --no-deps --no-compile \
			--no-index --force-reinstall "$2"
	fi
	same_as_pip "$1"
	ok "$1: RECORD verifies, and every file of the distribution is in it" "$TMP/uw/bin/python" -c '
import base64, csv, glob, hashlib, os, sys
sp = glob.glob(sys.argv[1] + "/lib/python3*/site-packages")[0]
recs = glob.glob(sp + "/*.dist-info/RECORD")
assert len(recs) == 1, recs
listed = set()
for path, h, size in csv.reader(open(recs[0])):
    p = os.path.normpath(os.path.join(sp, path))
    listed.add(p)
    if h:
        d = base64.urlsafe_b64encode(hashlib.sha256(open(p, "rb").read()).digest()).rstrip(b"=").decode()
        assert h == "sha256=" + d and int(size) == os.path.getsize(p), p
for d, dirs, files in os.walk(sp):
    for f in files:
        assert os.path.join(d, f) in listed, os.path.join(d, f)' "$TMP/uw"
}
compile_both() {
	for e in "$TMP/uw" "$TMP/up"; do "$e/bin/python" -m compileall -q "$e"/lib/python3*/site-packages; done
}
step "v1" "$V1"
compile_both
ok "v1: byte-code written" sh -c 'test -d "$1"/lib/python3*/site-packages/demo/__pycache__' - "$TMP/uw"
step "v2 over v1 (a file gone, two new, __pycache__ of the old)" "$V2"
ok "v2 over v1: the old files, their directories and byte-code are gone" sh -c 'sp=$(echo "$1"/lib/python3*/site-packages);
	test ! -e "$sp/demo/tool.sh" && test ! -e "$1/share/demo" && test ! -e "$sp/demo-1.0.dist-info" &&
	test ! -e "$sp/demo/__pycache__" && test ! -e "$sp/__pycache__" && test -f "$sp/demo/sub/new.py" &&
	test -f "$sp/DEMO-2.0.dist-info/RECORD" && "$1/bin/demo-cli" | grep -qx demo-main' - "$TMP/uw"
step "v2 again" "$V2"
compile_both
step "v2 once more, over byte-code" "$V2"
step "v1 over v2 (a downgrade)" "$V1"
ok "v1 over v2: the new files are gone" sh -c 'sp=$(echo "$1"/lib/python3*/site-packages);
	test ! -e "$sp/demo/sub" && test ! -e "$sp/demo/extra.py" && test ! -e "$sp/DEMO-2.0.dist-info" &&
	test -f "$1/share/demo/readme.txt"' - "$TMP/uw"
ok "no staging directory left" sh -c '! ls -a "$1" | grep -q wbgen-install' - "$TMP/uw"

# a RECORD of the installed distribution pointing outside the environment: refused, nothing removed
"$WBGEN" venv --python "$PY" "$TMP/ov"
"$WBGEN" install --env "$TMP/ov" "$V1"
OREC=$(echo "$TMP"/ov/lib/python3*/site-packages/demo-1.0.dist-info/RECORD)
cp "$OREC" "$TMP/orec"
echo outside >"$TMP/outside.txt"
ln -s "$TMP" "$(dirname "$(dirname "$OREC")")/outlink"
# every entry, and the size and mtime of everything but directories (whose mtimes move when the
# installer's staging directory comes and goes, which writes nothing)
osnap() {
	(cd "$TMP" && find ov outside.txt \( -type d -printf '%y %m %p\n' \) -o -printf '%y %m %s %T@ %p %l\n' | sort) \
		>"$TMP/osnap.$1"
}
for row in ../../../../outside.txt "$TMP/outside.txt" outlink/outside.txt ../../../../ov-not/x; do
	{ cat "$TMP/orec"; echo "$row,,"; } >"$OREC"
	osnap before
	fails 1 "RECORD row '$row' leaving the env: refused" "$WBGEN" install --env "$TMP/ov" "$V2"
	cp "$TMP/err" "$TMP/rerr"
	ok "RECORD row '$row': one line naming it" sh -c 'test $(wc -l <"$1") = 1 && grep -qF "'"'"'$2'"'"'" "$1"' - "$TMP/rerr" "$row"
	osnap after
	ok "RECORD row '$row': nothing removed or written" cmp "$TMP/osnap.before" "$TMP/osnap.after"
done
cp "$TMP/orec" "$OREC"
ok "the same RECORD, back in order: replaced" "$WBGEN" install --env "$TMP/ov" "$V2"
ok "the symbolic link and what it leads to are left alone" sh -c 'test -L "$1"/lib/python3*/site-packages/outlink &&
	grep -qx outside "$2/outside.txt"' - "$TMP/ov" "$TMP"
rm -f "$TMP"/ov/lib/python3*/site-packages/DEMO-2.0.dist-info/RECORD
fails 1 "an installed distribution without RECORD: refused" "$WBGEN" install --env "$TMP/ov" "$V1"
cp "$TMP/err" "$TMP/rerr"
ok "without RECORD: the error says so" grep -q "DEMO-2.0.dist-info/RECORD" "$TMP/rerr"

# ---- hostile wheels: refused in one line, nothing written (inside the env or outside)
"$WBGEN" venv --python "$PY" "$TMP/hv"
snapshot() { (cd "$TMP" && find hv | sort; ls -a "$TMP" | grep -v "^snap\.") >"$TMP/snap.$1"; }
hostile() {
	kind=$1
	msg=$2
	rm -rf "$TMP/bad"
	mkdir "$TMP/bad"
	"$PY" "$TMP/mkwheel.py" "$TMP/bad" "$kind" "${3:-}"
	snapshot before
	fails 1 "hostile $kind: refused" "$WBGEN" install --env "$TMP/hv" "$TMP"/bad/*.whl
	ok "hostile $kind: one line saying '$msg'" sh -c '"$WBGEN" install --env "$1" "$2"/bad/*.whl 2>&1 |
		{ read -r l; ! read -r _ && case $l in "wbgen: "*"$3"*) true;; *) echo "$l"; false;; esac; }' - "$TMP/hv" "$TMP" "$msg"
	snapshot after
	ok "hostile $kind: nothing written" cmp "$TMP/snap.before" "$TMP/snap.after"
}
hostile mismatch "RECORD hash mismatch for 'bad/__init__.py'"
hostile unlisted "'bad/sneaky.py' is not listed in RECORD"
hostile missing "RECORD lists 'bad/gone.py', which is not in the wheel"
hostile dotdot "unsafe path '../../../evil.py'"
hostile datadotdot "unsafe path 'bad-1.0.data/data/../../../evil.py'"
hostile absolute "unsafe path '$TMP/abs-evil'" "$TMP/abs-evil"
ok "absolute: nothing at the absolute path" test ! -e "$TMP/abs-evil"
hostile symlink "'bad/link' in" "/etc/passwd"
hostile dup "'bad/__init__.py' appears twice"
hostile misnamed "directory 'bad-1.0.dist-info' is not named after 'other'"
hostile version2 "Wheel-Version 2.0; only 1.x is supported"
hostile badentry "unsafe script name '../x'"
# modes, special files, names differing in case, thousands of files
"$WBGEN" venv --python "$PY" "$TMP/mv"
for k in setuid special case many; do "$PY" "$TMP/mkwheel.py" "$TMP/w" $k; done
ok "a wheel with setuid, setgid and world-writable modes installs" "$WBGEN" install --env "$TMP/mv" "$TMP/w/modes-1.0-py3-none-any.whl"
ok "... with none of those bits (the executable bit kept)" sh -c 'sp=$(echo "$1"/lib/python3*/site-packages);
	test -z "$(find "$1" ! -type l -perm /7022 -printf "%m %p\n")" && test -x "$sp/modes/suid" && test -x "$1/bin/suid-script" &&
	! test -x "$sp/modes/ww"' - "$TMP/mv"
snapshot() { (cd "$TMP" && find hv | sort; ls -a "$TMP" | grep -v "^snap\.") >"$TMP/snap.$1"; }
"$WBGEN" install --env "$TMP/mv" "$TMP/w/special-1.0-py3-none-any.whl" 2>"$TMP/special.err" || true
ok "FIFO and device mode bits in a wheel never make a FIFO or a device" sh -c \
	'! find "$1" -type p -o -type c -o -type b | grep -q .' - "$TMP/mv"
ok "names differing only in case: both installed, as pip does on Linux" sh -c '"$WBGEN" install --env "$1" "$2" &&
	sp=$(echo "$1"/lib/python3*/site-packages) && test "$(cat "$sp/casey/README")" = a && test "$(cat "$sp/casey/readme")" = b' \
	- "$TMP/mv" "$TMP/w/casey-1.0-py3-none-any.whl"
ok "a wheel of 3,000 files installs" "$WBGEN" install --env "$TMP/mv" "$TMP/w/many-1.0-py3-none-any.whl"
ok "... every file listed in its RECORD" sh -c 'test "$(grep -c "^many/m[0-9]*.py,sha256=" "$1"/lib/python3*/site-packages/many-1.0.dist-info/RECORD)" -eq 3000' - "$TMP/mv"
# limits (those of sdists, gen/unpack/unpack.h; WBGEN_UNPACK_LIMITS overrides them)
"$PY" "$TMP/mkwheel.py" "$TMP/w" bomb
"$WBGEN" venv --python "$PY" "$TMP/lv"
(cd "$TMP" && find lv | sort) >"$TMP/lv.before"
fails 1 "a decompression bomb (80 MiB of zeros in 80 KiB): refused" "$WBGEN" install --env "$TMP/lv" "$TMP/w/bomb-1.0-py3-none-any.whl"
cp "$TMP/err" "$TMP/bomb.err"
ok "... one line saying so" sh -c 'test "$(wc -l <"$1")" -eq 1 && grep -q "decompression bomb" "$1"' - "$TMP/bomb.err"
ok "... nothing written" sh -c 'cd "$1" && find lv | sort | cmp -s - "$1/lv.before"' - "$TMP"
fails 1 "WBGEN_UNPACK_LIMITS=files=2000: a wheel of 3,001 files is refused" env WBGEN_UNPACK_LIMITS=files=2000 \
	"$WBGEN" install --env "$TMP/lv" "$TMP/w/many-1.0-py3-none-any.whl"
cp "$TMP/err" "$TMP/lim.err"
ok "... saying so" grep -q "more than 2000 files (WBGEN_UNPACK_LIMITS files)" "$TMP/lim.err"
fails 1 "WBGEN_UNPACK_LIMITS=file-size=10: a larger file is refused" env WBGEN_UNPACK_LIMITS=file-size=10 \
	"$WBGEN" install --env "$TMP/lv" "$TMP/w/demo-1.0-py3-none-any.whl"
ok "WBGEN_UNPACK_LIMITS=ratio=0: the bomb installs" sh -c 'WBGEN_UNPACK_LIMITS="ratio=0 bogus" "$1" install --env "$2" "$3" 2>"$2.err"' \
	- "$WBGEN" "$TMP/lv" "$TMP/w/bomb-1.0-py3-none-any.whl"
ok "... a bad item is ignored with a warning" grep -q "ignoring 'bogus' in WBGEN_UNPACK_LIMITS" "$TMP/lv.err"
rm -rf "$TMP/lv"
"$PY" "$TMP/mkwheel.py" "$TMP/w" conflict
snapshot before
fails 1 "two wheels writing one file: refused" "$WBGEN" install --env "$TMP/hv" "$TMP/w/demo-1.0-py3-none-any.whl" \
	"$TMP/w/clash-1.0-py3-none-any.whl"
snapshot after
cp "$TMP/err" "$TMP/conflict.err"
ok "the conflict error names the file" grep -q "demo/__init__.py' is installed by another wheel too" "$TMP/conflict.err"
ok "conflict: nothing written" cmp "$TMP/snap.before" "$TMP/snap.after"

# ---- usage
fails 2 "install without --env" "$WBGEN" install "$TMP/w/demo-1.0-py3-none-any.whl"
fails 2 "install without wheels" "$WBGEN" install --env "$TMP/hv"
fails 1 "install into a missing env" "$WBGEN" install --env "$TMP/nope" "$TMP/w/demo-1.0-py3-none-any.whl"
fails 1 "install of a missing wheel" "$WBGEN" install --env "$TMP/hv" "$TMP/w/nope-1.0-py3-none-any.whl"
cp "$TMP/w/demo-1.0-py3-none-any.whl" "$TMP/w/demo.zip"
fails 1 "a file not named like a wheel" "$WBGEN" install --env "$TMP/hv" "$TMP/w/demo.zip"
fails 2 "venv without DIR" "$WBGEN" venv
fails 2 "venv with an unknown option" "$WBGEN" venv --frobnicate x
ok "install --help" sh -c '"$WBGEN" install --help | grep -q "^usage: wbgen install"'
ok "venv --help" sh -c '"$WBGEN" venv --help | grep -q "^usage: wbgen venv"'

done_testing
