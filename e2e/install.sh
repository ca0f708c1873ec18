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
test_expect_success "same layout, links and pyvenv.cfg as python -m venv" \
	'sed -i "s|$TMP/rv|ENV|" "$TMP/ev/pyvenv.cfg" "$TMP/rv/pyvenv.cfg"; "$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$TMP/ev" "$TMP/rv"; rc=$?;
	 sed -i "s|ENV|$TMP/rv|" "$TMP/rv/pyvenv.cfg"; sed -i "s|ENV|$TMP/ev|" "$TMP/ev/pyvenv.cfg"; exit $rc'
test_expect_success "pyvenv.cfg keys in venv's order" \
	'cut -d" " -f1 "$TMP/ev/pyvenv.cfg" | tr "\n" " " | grep -qx "home include-system-site-packages version executable command "'
ok "the venv python: sys.prefix is the env, no base site-packages" "$TMP/ev/bin/python" -c '
import sys, site
assert sys.prefix == sys.argv[1], (sys.prefix, sys.argv[1])
assert sys.prefix != sys.base_prefix
assert not any(p.endswith(("site-packages", "dist-packages")) and not p.startswith(sys.argv[1]) for p in sys.path), sys.path
assert any(p.startswith(sys.argv[1]) and p.endswith("site-packages") for p in sys.path), sys.path' "$TMP/ev"
fails 1 "an existing DIR is refused" "$WBGEN" venv --python "$PY" "$TMP/ev"
test_expect_success "the refusal is one line naming DIR" \
	'"$WBGEN" venv --python "$PY" "$TMP/ev" 2>&1 | { read -r l; ! read -r _ &&
	case $l in *"$TMP/ev"*"already exists"*) true;; *) false;; esac; }'
test_expect_success "no temporary directory left beside DIR" '! ls -a "$TMP" | grep -q wbgen-tmp'

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
	test_expect_success "pyenv $v: same as python -m venv" '"$py" -m venv --without-pip "$TMP/pr$v" &&
		sed -i "s|$TMP/pe$v|ENV|" "$TMP/pe$v/pyvenv.cfg"; sed -i "s|$TMP/pr$v|ENV|" "$TMP/pr$v/pyvenv.cfg"; "$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$TMP/pe$v" "$TMP/pr$v"'
	test_expect_success "pyenv $v: wbgen install + console script" \
		'"$WBGEN" install --env "$TMP/pe$v" "$TMP/w"/demo-1.0-py3-none-any.whl &&
		"$TMP/pe$v/bin/demo-cli" | grep -qx demo-main'
done
if command -v python3 >/dev/null && head -c 2 "$(command -v python3)" | grep -q '#!'; then
	test_expect_success "python3 on PATH is a wrapper: the env links to the real interpreter" \
		'"$WBGEN" venv --python python3 "$TMP/shim" && t=$(readlink -f "$TMP/shim/bin/python") && head -c 4 "$t" | grep -q ELF &&
		 "$TMP/shim/bin/python" -c "import sys; assert sys.prefix == sys.argv[1]" "$TMP/shim"'
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
	test_expect_success "same files, contents and modes as pip" \
		'sed -i "s|$TMP/rv|ENV|" "$TMP/ev/pyvenv.cfg" "$TMP/rv/pyvenv.cfg";
		"$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$TMP/ev" "$TMP/rv"; rc=$?; sed -i "s|ENV|$TMP/rv|" "$TMP/rv/pyvenv.cfg"; sed -i "s|ENV|$TMP/ev|" "$TMP/ev/pyvenv.cfg"
		exit $rc'
	ok "installed packages import" "$TMP/ev/bin/python" -c 'import setuptools, pip, demo, demo_plat, platdemo, pkg_resources'
	test_expect_success "console scripts run (pip)" '"$TMP/ev/bin/pip" --version | grep -q "^pip "'
	test_expect_success "pip sees the wbgen-installed distributions" \
		'"$TMP/ev/bin/python" -m pip list --format=freeze 2>/dev/null | grep -qx "demo==1.0"'
	test_expect_success "pip check finds the RECORD usable (show -f)" \
		'"$TMP/ev/bin/python" -m pip show -f demo 2>/dev/null | grep -q "bin/demo-cli"'
else
	ok "wbgen install: demo, platdemo" "$WBGEN" install --env "$TMP/ev" "$TMP/w"/*.whl
fi
test_expect_success "console scripts (module:func, module:Cls.method, gui)" \
	'"$TMP/ev/bin/demo-cli" | grep -qx demo-main && "$TMP/ev/bin/demo-run" | grep -qx demo-run && "$TMP/ev/bin/demo-gui" | grep -qx demo-main'
test_expect_success "#!python rewritten to the env's python" \
	'head -n 1 "$TMP/ev/bin/demo-py" | grep -qx "#!$TMP/ev/bin/python" &&
	"$TMP/ev/bin/demo-py" | grep -qx demo-main'
test_expect_success "other scripts kept as they are" '"$TMP/ev/bin/demo-sh" | grep -qx demo-sh'
test_expect_success "a script not executable in the zip stays so (as pip does)" '! test -x "$TMP/ev/bin/demo-noexec" &&
	head -n 1 "$TMP/ev/bin/demo-noexec" | grep -qx "#!$TMP/ev/bin/python"'
test_expect_success "the executable bit comes from the zip" \
	'test -x "$TMP/ev"/lib/python3*/site-packages/demo/tool.sh &&
	! test -x "$TMP/ev"/lib/python3*/site-packages/demo/__init__.py'
test_expect_success ".data: data, headers, platlib" \
	'test -f "$TMP/ev/share/demo/readme.txt" && test -f "$TMP/ev"/include/site/python3*/demo/demo.h &&
	test -f "$TMP/ev"/lib/python3*/site-packages/demo_plat.py'
test_expect_success "INSTALLER says wbgen" \
	'grep -qx wbgen "$TMP/ev"/lib/python3*/site-packages/demo-1.0.dist-info/INSTALLER'
test_expect_success "RECORD lists the scripts with hashes, and itself without" \
	'r=$(echo "$TMP/ev"/lib/python3*/site-packages/demo-1.0.dist-info/RECORD);
	 grep -q "^../../../bin/demo-cli,sha256=" "$r" && grep -qx "demo-1.0.dist-info/RECORD,," "$r" &&
	 grep -q "^../../../share/demo/readme.txt,sha256=" "$r"'
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
test_expect_success "no staging directory left in the env" '! ls -a "$TMP/ev" | grep -q wbgen-install'
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
test_expect_success "the staging directory of a dead process is removed, a live one's kept" \
	'test ! -e "$TMP/iv/.wbgen-install-2147483646-abcdef" && test -d "$TMP/iv/.wbgen-install-$$-abcdef"'
rm -rf "$TMP/iv/.wbgen-install-$$-abcdef"
test_expect_success "interrupted install: the env is then the same as a clean install" \
	'sed -i "s|$TMP/fv|ENV|" "$TMP/iv/pyvenv.cfg" "$TMP/fv/pyvenv.cfg";
	"$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$TMP/iv" "$TMP/fv"; rc=$?; sed -i "s|ENV|$TMP/fv|" "$TMP/fv/pyvenv.cfg"; sed -i "s|ENV|$TMP/iv|" "$TMP/iv/pyvenv.cfg"
	exit $rc'
test_expect_success "--record-installer" \
	'"$WBGEN" venv --python "$PY" "$TMP/ri" && "$WBGEN" install --env "$TMP/ri" --record-installer=pip "$TMP/w/demo-1.0-py3-none-any.whl" &&
	grep -qx pip "$TMP/ri"/lib/python3*/site-packages/demo-1.0.dist-info/INSTALLER'

# ---- byte-code: compiled at install as pip compiles (its default), or not at all with --no-compile
"$WBGEN" venv --python "$PY" "$TMP/cw"
"$PY" -m venv --without-pip "$TMP/cp"
set -- "$TMP/w/demo-1.0-py3-none-any.whl" "$TMP/w/platdemo-2.0-py3-none-any.whl"
[ -n "$STWHL" ] && set -- "$STWHL" "$@"
ok "wbgen install compiles" "$WBGEN" install --env "$TMP/cw" "$@"
ok "every .py has a valid .pyc, listed in RECORD" "$TMP/cw/bin/python" "$WBGEN_SRCDIR/e2e/fixtures/pycheck.py" "$TMP/cw"
test_expect_success "the scripts are not compiled (as pip)" '! test -e "$TMP/cw/bin/__pycache__"'
if [ -n "$PIPWHL" ]; then
	ok "pip install --no-deps (compiling) of the same wheels" \
		"$TMP/cp/bin/python" "$PIPWHL/pip" install -q --no-deps --no-index "$@"
	test_expect_success "compiled: same files, contents, byte-code and modes as pip" \
		'sed -i "s|$TMP/cp|ENV|" "$TMP/cw/pyvenv.cfg" "$TMP/cp/pyvenv.cfg";
		"$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$TMP/cw" "$TMP/cp"; rc=$?; sed -i "s|ENV|$TMP/cp|" "$TMP/cp/pyvenv.cfg";
		sed -i "s|ENV|$TMP/cw|" "$TMP/cw/pyvenv.cfg"; exit $rc'
fi
touch "$TMP/cw.mark"
test_expect_success "the compiled packages import without writing byte-code" \
	'env -u PYTHONDONTWRITEBYTECODE "$TMP/cw/bin/python" -c "import demo, demo_plat" &&
	! find "$TMP/cw" -name "*.pyc" -newer "$TMP/cw.mark" | grep -q .'
"$WBGEN" venv --python "$PY" "$TMP/nw"
test_expect_success "--no-compile writes no byte-code" \
	'"$WBGEN" install --no-compile --env "$TMP/nw" "$TMP/w/demo-1.0-py3-none-any.whl" && ! find "$TMP/nw" -name "*.pyc" | grep -q .'
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
	test_expect_success "$1: the same tree as pip --force-reinstall" \
		'sed -i "s|$TMP/up|ENV|" "$TMP/uw/pyvenv.cfg" "$TMP/up/pyvenv.cfg";
		"$PY" "$WBGEN_SRCDIR/e2e/fixtures/envcompare.py" "$TMP/uw" "$TMP/up"; rc=$?; sed -i "s|ENV|$TMP/up|" "$TMP/up/pyvenv.cfg"; sed -i "s|ENV|$TMP/uw|" "$TMP/uw/pyvenv.cfg"
		exit $rc'
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
test_expect_success "v1: byte-code written" 'test -d "$TMP/uw"/lib/python3*/site-packages/demo/__pycache__'
step "v2 over v1 (a file gone, two new, __pycache__ of the old)" "$V2"
test_expect_success "v2 over v1: the old files, their directories and byte-code are gone" \
	'sp=$(echo "$TMP/uw"/lib/python3*/site-packages);
	test ! -e "$sp/demo/tool.sh" && test ! -e "$TMP/uw/share/demo" && test ! -e "$sp/demo-1.0.dist-info" &&
	test ! -e "$sp/demo/__pycache__" && test ! -e "$sp/__pycache__" && test -f "$sp/demo/sub/new.py" &&
	test -f "$sp/DEMO-2.0.dist-info/RECORD" && "$TMP/uw/bin/demo-cli" | grep -qx demo-main'
step "v2 again" "$V2"
compile_both
step "v2 once more, over byte-code" "$V2"
step "v1 over v2 (a downgrade)" "$V1"
test_expect_success "v1 over v2: the new files are gone" 'sp=$(echo "$TMP/uw"/lib/python3*/site-packages);
	test ! -e "$sp/demo/sub" && test ! -e "$sp/demo/extra.py" && test ! -e "$sp/DEMO-2.0.dist-info" &&
	test -f "$TMP/uw/share/demo/readme.txt"'
test_expect_success "no staging directory left" '! ls -a "$TMP/uw" | grep -q wbgen-install'

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
	test_expect_success "RECORD row '$row': one line naming it" \
		'test $(wc -l <"$TMP/rerr") = 1 && grep -qF "$SQ$row$SQ" "$TMP/rerr"'
	osnap after
	ok "RECORD row '$row': nothing removed or written" cmp "$TMP/osnap.before" "$TMP/osnap.after"
done
cp "$TMP/orec" "$OREC"
ok "the same RECORD, back in order: replaced" "$WBGEN" install --env "$TMP/ov" "$V2"
test_expect_success "the symbolic link and what it leads to are left alone" \
	'test -L "$TMP/ov"/lib/python3*/site-packages/outlink &&
	grep -qx outside "$TMP/outside.txt"'
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
	test_expect_success "hostile $kind: one line saying '$msg'" \
		'"$WBGEN" install --env "$TMP/hv" "$TMP"/bad/*.whl 2>&1 |
		{ read -r l; ! read -r _ && case $l in "wbgen: "*"$msg"*) true;; *) echo "$l"; false;; esac; }'
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
test_expect_success "... with none of those bits (the executable bit kept)" \
	'sp=$(echo "$TMP/mv"/lib/python3*/site-packages);
	test -z "$(find "$TMP/mv" ! -type l -perm /7022 -printf "%m %p\n")" && test -x "$sp/modes/suid" && test -x "$TMP/mv/bin/suid-script" &&
	! test -x "$sp/modes/ww"'
snapshot() { (cd "$TMP" && find hv | sort; ls -a "$TMP" | grep -v "^snap\.") >"$TMP/snap.$1"; }
"$WBGEN" install --env "$TMP/mv" "$TMP/w/special-1.0-py3-none-any.whl" 2>"$TMP/special.err" || true
test_expect_success "FIFO and device mode bits in a wheel never make a FIFO or a device" \
	'! find "$TMP/mv" -type p -o -type c -o -type b | grep -q .'
test_expect_success "names differing only in case: both installed, as pip does on Linux" \
	'"$WBGEN" install --env "$TMP/mv" "$TMP/w/casey-1.0-py3-none-any.whl" &&
	sp=$(echo "$TMP/mv"/lib/python3*/site-packages) && test "$(cat "$sp/casey/README")" = a && test "$(cat "$sp/casey/readme")" = b'
ok "a wheel of 3,000 files installs" "$WBGEN" install --env "$TMP/mv" "$TMP/w/many-1.0-py3-none-any.whl"
test_expect_success "... every file listed in its RECORD" \
	'test "$(grep -c "^many/m[0-9]*.py,sha256=" "$TMP/mv"/lib/python3*/site-packages/many-1.0.dist-info/RECORD)" -eq 3000'
# limits (those of sdists, gen/unpack/unpack.h; WBGEN_UNPACK_LIMITS overrides them)
"$PY" "$TMP/mkwheel.py" "$TMP/w" bomb
"$WBGEN" venv --python "$PY" "$TMP/lv"
(cd "$TMP" && find lv | sort) >"$TMP/lv.before"
fails 1 "a decompression bomb (80 MiB of zeros in 80 KiB): refused" "$WBGEN" install --env "$TMP/lv" "$TMP/w/bomb-1.0-py3-none-any.whl"
cp "$TMP/err" "$TMP/bomb.err"
test_expect_success "... one line saying so" \
	'test "$(wc -l <"$TMP/bomb.err")" -eq 1 && grep -q "decompression bomb" "$TMP/bomb.err"'
test_expect_success "... nothing written" 'cd "$TMP" && find lv | sort | cmp -s - "$TMP/lv.before"'
fails 1 "WBGEN_UNPACK_LIMITS=files=2000: a wheel of 3,001 files is refused" env WBGEN_UNPACK_LIMITS=files=2000 \
	"$WBGEN" install --env "$TMP/lv" "$TMP/w/many-1.0-py3-none-any.whl"
cp "$TMP/err" "$TMP/lim.err"
ok "... saying so" grep -q "more than 2000 files (WBGEN_UNPACK_LIMITS files)" "$TMP/lim.err"
fails 1 "WBGEN_UNPACK_LIMITS=file-size=10: a larger file is refused" env WBGEN_UNPACK_LIMITS=file-size=10 \
	"$WBGEN" install --env "$TMP/lv" "$TMP/w/demo-1.0-py3-none-any.whl"
test_expect_success "WBGEN_UNPACK_LIMITS=ratio=0: the bomb installs" \
	'WBGEN_UNPACK_LIMITS="ratio=0 bogus" "$WBGEN" install --env "$TMP/lv" "$TMP/w/bomb-1.0-py3-none-any.whl" 2>"$TMP/lv.err"'
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
test_expect_success "install --help" '"$WBGEN" install --help | grep -q "^usage: wbgen install"'
test_expect_success "venv --help" '"$WBGEN" venv --help | grep -q "^usage: wbgen venv"'

done_testing
