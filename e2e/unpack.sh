# unpack.sh: `wbgen unpack`: good sdists of every format, each kind of hostile archive (refused with
# nothing written outside the work area and no temporary directory left), patches, --force.
. "${WBGEN_SRCDIR:-.}/e2e/lib.sh"

PY=${REF_PYTHON:-python3}
A=$TMP/archives
W=$TMP/work      # where the commands write
O=$TMP/outside   # what a hostile archive aims at
mkdir -p "$A" "$W" "$O"
echo precious >"$O/precious"

# The archives are written by Python's tarfile and zipfile, not by libarchive.
cat >"$TMP/mk.py" <<'PYEOF'
import io, sys, tarfile, zipfile

MT = 1000000000

def tar(path, members, mode="w:gz"):
    with tarfile.open(path, mode, format=tarfile.GNU_FORMAT) as t:
        for m in members:
            name, kind = m[0], m[1]
            ti = tarfile.TarInfo(name)
            ti.mtime = MT
            data = None
            if kind == "dir":
                ti.type, ti.mode = tarfile.DIRTYPE, m[2] if len(m) > 2 else 0o755
            elif kind == "file":
                data = m[2] if isinstance(m[2], bytes) else m[2].encode()
                ti.size, ti.mode = len(data), m[3] if len(m) > 3 else 0o644
            elif kind == "sym":
                ti.type, ti.linkname = tarfile.SYMTYPE, m[2]
            elif kind == "hard":
                ti.type, ti.linkname = tarfile.LNKTYPE, m[2]
            elif kind == "chr":
                ti.type, ti.devmajor, ti.devminor = tarfile.CHRTYPE, 1, 3
            elif kind == "fifo":
                ti.type = tarfile.FIFOTYPE
            elif kind == "zeros":
                ti.size, ti.mode = m[2], 0o644
                data = b"\0" * m[2]
            t.addfile(ti, io.BytesIO(data) if data is not None else None)

def zipit(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for m in members:
            zi = zipfile.ZipInfo(m[0], (2001, 9, 9, 1, 46, 40))
            if m[1] == "dir":
                zi.external_attr = (0o40755 << 16) | 0x10
                z.writestr(zi, b"")
            else:
                zi.external_attr = (m[3] if len(m) > 3 else 0o100644) << 16
                zi.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(zi, m[2])

good = [
    ("foo-1.0", "dir", 0o775),
    ("foo-1.0/setup.py", "file", "print('setup')\n", 0o4775),
    ("foo-1.0/PKG-INFO", "file", "Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n", 0o444),
    ("foo-1.0/foo/__init__.py", "file", "value = 1\n"),
    ("foo-1.0/foo/data", "dir"),
    ("foo-1.0/foo/data/LICENSE", "sym", "../../LICENSE"),
    ("foo-1.0/LICENSE", "file", "MIT\n"),
    ("foo-1.0/COPYING", "hard", "foo-1.0/LICENSE"),
    ("foo-1.0/docs/readme.txt", "file", "first\n"),
    ("foo-1.0/docs/readme.txt", "file", "second\n"),
]
T = "foo-1.0/"
hostile = {
    "absolute": [("foo-1.0", "dir"), ("/tmp/wbgen-absolute-evil", "file", "x")],
    "dotdot": [("foo-1.0", "dir"), ("foo-1.0/../../outside/evil", "file", "x")],
    "symlink-abs": [(T + "evil", "sym", sys.argv[3] + "/precious")],
    "symlink-up": [(T + "a/evil", "sym", "../../outside")],
    "symlink-mid": [(T + "a/b", "dir"), (T + "a/evil", "sym", "b/../../x")],
    "through-link": [(T + "l", "sym", "."), (T + "l/x", "file", "x")],
    "link-then-write": [(T + "esc", "sym", "foo"), (T + "esc", "dir")],
    "hardlink-out": [(T + "evil", "hard", "/etc/passwd")],
    "hardlink-up": [(T + "x", "file", "x"), (T + "evil", "hard", "other/x")],
    "device": [(T + "null", "chr")],
    "fifo": [(T + "pipe", "fifo")],
    "case": [(T + "README", "file", "a"), (T + "readme", "file", "b")],
    "case-dir": [(T + "Pkg/a.py", "file", "a"), (T + "pkg/b.py", "file", "b")],
    "two-tops": [(T + "a", "file", "a"), ("bar-1.0/b", "file", "b")],
    "no-top": [("setup.py", "file", "x")],
    "control": [(T + "bad\x1bname", "file", "x")],
    "bomb": [(T + "zeros", "zeros", 80 << 20)],
    "many": [(T + "f%05d" % i, "file", "") for i in range(3000)],
    "dir-vs-file": [(T + "x", "file", "x"), (T + "x", "dir")],
}

def zipraw(path, members):
    """members: (name, data, unix mode with type bits)"""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data, mode in members:
            zi = zipfile.ZipInfo(name, (2001, 9, 9, 1, 46, 40))
            zi.create_system = 3
            zi.external_attr = mode << 16
            z.writestr(zi, data)

zhostile = {
    "zip-absolute": [("foo-1.0/a", "x", 0o100644), ("/tmp/wbgen-absolute-evil", "x", 0o100644)],
    "zip-dotdot": [("foo-1.0/a", "x", 0o100644), ("foo-1.0/../../outside/evil", "x", 0o100644)],
    "zip-symlink-up": [(T + "evil", "../../outside", 0o120777)],
    "zip-symlink-abs": [(T + "evil", sys.argv[3], 0o120777)],
    "zip-fifo": [(T + "pipe", "", 0o010644)],
    "zip-device": [(T + "null", "", 0o020644)],
    "zip-case": [(T + "README", "a", 0o100644), (T + "readme", "b", 0o100644)],
    "zip-many": [(T + "f%05d" % i, "", 0o100644) for i in range(3000)],
}

kind, out = sys.argv[1], sys.argv[2]
if kind == "good":
    tar(out, good)
elif kind == "good-bz2":
    tar(out, good, "w:bz2")
elif kind == "good-xz":
    tar(out, good, "w:xz")
elif kind == "good-zip":
    zipit(out, [("foo-1.0/", "dir"), ("foo-1.0/setup.py", "file", "print('setup')\n", 0o100755),
                ("foo-1.0/PKG-INFO", "file", "Metadata-Version: 2.1\n"),
                ("foo-1.0/foo/__init__.py", "file", "value = 1\n")])
elif kind == "notutf8":
    with tarfile.open(out, "w:gz", format=tarfile.GNU_FORMAT, encoding="latin-1") as t:
        ti = tarfile.TarInfo("foo-1.0/caf\xe9")
        t.addfile(ti, io.BytesIO(b""))
elif kind == "zip-bomb":
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        zi = zipfile.ZipInfo(T + "zeros", (2001, 9, 9, 1, 46, 40))
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, b"\0" * (80 << 20))
elif kind == "modes":
    # setuid, setgid and sticky bits on files and directories, world-writable modes
    tar(out, [("foo-1.0", "dir", 0o3777), ("foo-1.0/sgid", "dir", 0o2775), ("foo-1.0/sgid/run", "file", "x", 0o6777),
              ("foo-1.0/suid", "file", "x", 0o4755), ("foo-1.0/ww", "file", "x", 0o666), ("foo-1.0/sticky", "dir", 0o1777)])
elif kind == "zip-modes":
    zipraw(out, [("foo-1.0/", "", 0o43777), ("foo-1.0/suid", "x", 0o104755), ("foo-1.0/sgid", "x", 0o102777),
                 ("foo-1.0/ww", "x", 0o100666)])
elif kind in zhostile:
    zipraw(out, zhostile[kind])
else:
    tar(out, hostile[kind])
PYEOF

mk() { "$PY" "$TMP/mk.py" "$1" "$2" "$O"; }
for k in good good-bz2 good-xz; do mk "$k" "$A/$k.tar"; done
mk good-zip "$A/good.zip"

# fails, keeping the command's stderr in $E (the next assertion replaces $TMP/err)
E=$TMP/last.err
export E
refused() {
	fails "$@"
	cp "$TMP/err" "$E"
}

# The state of the file system outside the destination: the work area and the outside directory.
# The mtime of work itself is left out: the temporary directory beside DESTDIR changes it.
snap() { (cd "$TMP" && find work outside -path "work/$1" -prune -o -printf '%p %y %m %s %T@ %l\n' | sort | sed 's/^\(work d [0-9]* [0-9]*\) [0-9.]*/\1/'); }
# No temporary directory is left beside the destinations.
no_temp() { ! ls -A "$W" | grep -q 'unpack-'; }

# ---- good archives
ok "tar.gz unpacks" "$WBGEN" unpack "$A/good.tar" "$W/gz/src"
ok "the content lands in DESTDIR" test -f "$W/gz/src/setup.py" -a -f "$W/gz/src/foo/__init__.py"
test_expect_success "no temporary directory is left" '! ls -A "$W/gz" | grep -q unpack-'
test_expect_success "file modes: 0755 for owner-exec (setuid dropped), 0644 otherwise" \
	'test "$(stat -c %a "$W/gz/src/setup.py") = 755" && test "$(stat -c %a "$W/gz/src/PKG-INFO") = 644" && test "$(stat -c %a "$W/gz/src/foo/__init__.py") = 644"'
test_expect_success "directory modes are 0755" \
	'test "$(stat -c %a "$W/gz/src") = 755" && test "$(stat -c %a "$W/gz/src/foo/data") = 755"'
test_expect_success "files keep the archive's mtime" 'test "$(stat -c %Y "$W/gz/src/setup.py")" = 1000000000'
test_expect_success "listed directories keep the archive's mtime" \
	'test "$(stat -c %Y "$W/gz/src/foo/data")" = 1000000000'
test_expect_success "DESTDIR itself is newer than the sdist" 'test "$W/gz/src" -nt "$A/good.tar"'
test_expect_success "an in-tree symlink is kept" \
	'test "$(readlink "$W/gz/src/foo/data/LICENSE")" = ../../LICENSE && test "$(cat "$W/gz/src/foo/data/LICENSE")" = MIT'
test_expect_success "a hard link to an earlier file is kept" \
	'test "$(stat -c %i "$W/gz/src/COPYING")" = "$(stat -c %i "$W/gz/src/LICENSE")"'
test_expect_success "a repeated file: the last one wins" 'test "$(cat "$W/gz/src/docs/readme.txt")" = second'
test_expect_success "tar.bz2 unpacks the same tree" \
	'"$WBGEN" unpack "$A/good-bz2.tar" "$W/bz2" && diff -r "$W/gz/src" "$W/bz2"'
test_expect_success "tar.xz unpacks the same tree" \
	'"$WBGEN" unpack "$A/good-xz.tar" "$W/xz" && diff -r "$W/gz/src" "$W/xz"'
test_expect_success "zip unpacks" \
	'"$WBGEN" unpack "$A/good.zip" "$W/zip" && test "$(stat -c %a "$W/zip/setup.py")" = 755 &&
	test "$(stat -c %a "$W/zip/PKG-INFO")" = 644 && test "$(cat "$W/zip/foo/__init__.py")" = "value = 1"'
test_expect_success "a DESTDIR with a trailing slash" \
	'"$WBGEN" unpack "$A/good.tar" "$W/slash/" && test -f "$W/slash/setup.py"'
test_expect_success "a relative DESTDIR in the current directory" \
	'cd "$W" && "$WBGEN" unpack "$A/good.tar" rel && test -f rel/setup.py'

# ---- the sdists of the project's fixture index: the same files as Python's tarfile and zipfile extract
. "${WBGEN_SRCDIR:-.}/e2e/index.sh"
IDX=$(index_build basic)
n=0
for sd in $(find "$IDX/packages" -name '*.tar.gz' -o -name '*.tar.bz2' -o -name '*.zip' | sort); do
	n=$((n + 1))
	test_expect_success "fixture $(basename "$sd") unpacks as Python extracts it" '
		"$WBGEN" unpack "$sd" "$TMP/fx-$n/ours" && "$PY" -c "
import sys, tarfile, zipfile
f, d = sys.argv[1], sys.argv[2]
(zipfile.ZipFile(f) if f.endswith(\".zip\") else tarfile.open(f)).extractall(d)" "$sd" "$TMP/fx-$n/ref" &&
		diff -r "$TMP/fx-$n/ref"/* "$TMP/fx-$n/ours"'
done
ok "the fixture index has sdists" test "$n" -gt 5

# ---- an existing DESTDIR, --force
before=$(snap gz/src)
refused 1 "an existing DESTDIR is refused" "$WBGEN" unpack "$A/good-xz.tar" "$W/gz/src"
test_expect_success "the refusal says so and suggests --force" 'grep -q "already exists (use --force" "$E"'
after=$(snap gz/src)
ok "the existing tree is untouched" test "$after" = "$before"
echo stale >"$W/gz/src/stale"
ok "--force replaces the tree" "$WBGEN" unpack --force "$A/good.tar" "$W/gz/src"
test_expect_success "the old tree is gone, the new one in place" \
	'! test -e "$W/gz/src/stale" && test -f "$W/gz/src/setup.py"'
test_expect_success "no temporary directory is left after --force" '! ls -A "$W/gz" | grep -q unpack-'
ln -s "$O" "$W/victim"
before=$(snap victim)
refused 1 "a DESTDIR that is a symlink is refused without --force" "$WBGEN" unpack "$A/good.tar" "$W/victim"
ok "--force replaces the symlink itself" "$WBGEN" unpack --force "$A/good.tar" "$W/victim"
test_expect_success "... and not its target" \
	'! test -L "$W/victim" && test -f "$W/victim/setup.py" && ! test -e "$O/setup.py" &&
	test "$(cat "$O/precious")" = precious'

# ---- hostile archives: refused, naming the member, nothing written outside DESTDIR
hostile() {
	kind=$1
	want=$2
	shift 2
	mk "$kind" "$A/$kind.tar"
	before=$(snap "h-$kind")
	refused 1 "hostile '$kind' is refused" "$WBGEN" unpack "$@" "$A/$kind.tar" "$W/h-$kind"
	test_expect_success "hostile '$kind': the error says '$want'" \
		'test "$(wc -l <"$E")" -eq 1 && grep -q -e "$want" "$E"'
	after=$(snap "h-$kind")
	test_expect_success "hostile '$kind': nothing changed outside, DESTDIR not made, no temporary left" \
		'test "$after" = "$before" && ! test -e "$W/h-$kind" && ! ls -A "$W" | grep -q unpack-'
}
hostile absolute "absolute name"
ok "nothing was written at the absolute path" test ! -e /tmp/wbgen-absolute-evil
hostile dotdot "a '..' component"
hostile symlink-abs "an absolute link target"
hostile symlink-up "a link target outside the tree"
hostile symlink-mid "'..' after a name"
hostile through-link "'foo-1.0/l/x'.*'l' is not a directory"
hostile link-then-write "a non-directory of the same name"
hostile hardlink-out "hard link to '/etc/passwd'"
hostile hardlink-up "hard link to 'other/x'"
hostile device "a device file"
hostile fifo "a FIFO"
hostile case "differs only in case from 'README'"
hostile case-dir "differs only in case from 'Pkg'"
hostile two-tops "outside the top-level directory 'foo-1.0'"
hostile no-top "not inside a top-level directory"
hostile control "bad\\\\x1bname'.*a control character"
hostile notutf8 "caf\\\\xe9'.*not valid UTF-8"
hostile bomb "decompression bomb"
hostile many "more than 2000 members" --max-files 2000
hostile dir-vs-file "a non-directory of the same name"
# the same attacks in zip archives
hostile zip-absolute "absolute name"
hostile zip-dotdot "a '..' component"
hostile zip-symlink-up "a link target outside the tree"
hostile zip-symlink-abs "an absolute link target"
# libarchive reads a zip member with FIFO mode bits as a regular file: whatever it is, never a FIFO
mk zip-fifo "$A/zip-fifo.tar"
"$WBGEN" unpack "$A/zip-fifo.tar" "$W/zfifo" 2>/dev/null || true
test_expect_success "a zip member with FIFO mode bits never makes a FIFO" '! find "$W" -type p | grep -q .'
rm -rf "$W/zfifo"
hostile zip-device "a device file"
hostile zip-case "differs only in case from 'README'"
hostile zip-bomb "decompression bomb"
hostile zip-many "more than 2000 members" --max-files 2000
test_expect_success "thousands of files within the limit unpack (zip)" \
	'"$WBGEN" unpack "$A/zip-many.tar" "$W/zmany" && test "$(ls "$W/zmany" | wc -l)" -eq 3000'
rm -rf "$W/zmany"
# setuid, setgid, sticky and world-writable modes are never restored
for k in modes zip-modes; do
	mk "$k" "$A/$k.tar"
	ok "$k: unpacks" "$WBGEN" unpack "$A/$k.tar" "$W/$k"
	test_expect_success "$k: no setuid, setgid, sticky or group/world-writable mode anywhere" \
		'test -z "$(find "$W/$k" -perm /7022 -printf "%m %p\n")"'
	test_expect_success "$k: the executable bit survives as 0755" 'test "$(stat -c %a "$W/$k/suid")" = 755'
done
test_expect_success "modes: directories are 0755" \
	'test "$(stat -c %a "$W/modes/sgid")" = 755 && test "$(stat -c %a "$W/modes/sticky")" = 755 &&
	test "$(stat -c %a "$W/modes/sgid/run")" = 755'
mk good "$A/limits.tar"
for lim in "--max-file-size 10:larger than 10 bytes" "--max-size=20:more than 20 bytes" \
	"--max-ratio=1:more than 1 times"; do
	opt=${lim%%:*}
	want=${lim#*:}
	# --max-ratio only bites past 64M: the bomb archive with the ratio limit lowered
	if [ "$opt" = "--max-ratio=1" ]; then
		refused 1 "$opt refuses the bomb" "$WBGEN" unpack $opt "$A/bomb.tar" "$W/lim"
	else
		refused 1 "$opt refuses" "$WBGEN" unpack $opt "$A/limits.tar" "$W/lim"
	fi
	ok "$opt: the error says '$want'" grep -q "$want" "$E"
done
refused 1 "WBGEN_UNPACK_LIMITS=files=2000 lowers the default" env WBGEN_UNPACK_LIMITS=files=2000 "$WBGEN" unpack "$A/many.tar" "$W/envlim"
ok "... saying so" grep -q "more than 2000 members" "$E"
ok "... and an option overrides it" env WBGEN_UNPACK_LIMITS="files=2000" "$WBGEN" unpack --max-files 5000 "$A/many.tar" "$W/envlim"
rm -rf "$W/envlim"
test_expect_success "0 disables a limit: 3000 files unpack with --max-files 0" \
	'"$WBGEN" unpack --max-files 0 "$A/many.tar" "$W/many" &&
	test "$(ls "$W/many" | wc -l)" -eq 3000'
test_expect_success "--max-ratio 0 lets the bomb through" \
	'"$WBGEN" unpack --max-ratio 0 "$A/bomb.tar" "$W/bomb" && test "$(stat -c %s "$W/bomb/zeros")" -eq 83886080'
rm -rf "$W/bomb" "$W/many"
head -c 300 "$A/good.tar" >"$TMP/cut.tar.gz"
refused 1 "a corrupt archive is refused" "$WBGEN" unpack "$TMP/cut.tar.gz" "$W/cut"
test_expect_success "... and leaves nothing" '! test -e "$W/cut" && ! ls -A "$W" | grep -q unpack-'
refused 1 "a missing archive is refused" "$WBGEN" unpack "$A/nope.tar.gz" "$W/nope"

# ---- patches
P=$TMP/patches
mkdir -p "$P"
cat >"$P/1-value.patch" <<'PEOF'
--- a/foo/__init__.py
+++ b/foo/__init__.py
@@ -1 +1 @@
-value = 1
+value = 2
PEOF
cat >"$P/2-value.patch" <<'PEOF'
--- a/foo/__init__.py
+++ b/foo/__init__.py
@@ -1 +1,2 @@
-value = 2
+value = 3
+patched = True
PEOF
cat >"$P/bad.patch" <<'PEOF'
--- a/setup.py
+++ b/setup.py
@@ -1 +1 @@
-this line is not there
+neither is this one
PEOF
ok "two patches apply in order" "$WBGEN" unpack --patch "$P/1-value.patch" --patch="$P/2-value.patch" "$A/good.tar" "$W/p"
test_expect_success "both changes are there" 'test "$(cat "$W/p/foo/__init__.py")" = "value = 3
patched = True"'
test_expect_success "no .orig or .rej files are left" '! find "$W/p" -name "*.orig" -o -name "*.rej" | grep -q .'
test_expect_success "relative patch paths are taken from the current directory" \
	'cd "$P" && "$WBGEN" unpack --patch 1-value.patch "$A/good.tar" "$W/prel" &&
	grep -q "value = 2" "$W/prel/foo/__init__.py"'
before=$(snap p-rev)
refused 1 "patches in the wrong order fail" "$WBGEN" unpack --patch "$P/2-value.patch" --patch "$P/1-value.patch" "$A/good.tar" "$W/p-rev"
ok "the failure names the failing patch file" grep -q "^wbgen: patch '$P/2-value.patch' does not apply to '$A/good.tar'" "$E"
ok "the failure shows patch's output" grep -q "^  .*FAILED" "$E"
after=$(snap p-rev)
test_expect_success "a failed patch leaves no DESTDIR and no temporary" \
	'test "$before" = "$after" && ! test -e "$W/p-rev" && ! ls -A "$W" | grep -q unpack-'
refused 1 "a patch that does not apply fails" "$WBGEN" unpack --patch "$P/1-value.patch" --patch "$P/bad.patch" "$A/good.tar" "$W/p-bad"
ok "... naming it" grep -q "patch '$P/bad.patch' does not apply" "$E"
refused 1 "an already applied patch fails (--forward)" "$WBGEN" unpack --patch "$P/1-value.patch" --patch "$P/1-value.patch" "$A/good.tar" "$W/p-twice"
ok "... saying it was previously applied" grep -q "previously applied" "$E"
refused 1 "--log: a failing patch" "$WBGEN" unpack --log "$TMP/patch.log" --patch "$P/bad.patch" "$A/good.tar" "$W/p-log"
test_expect_success "--log: the error is one line naming the log" \
	'test "$(wc -l <"$E")" -eq 1 && grep -q "see .$TMP/patch.log." "$E"'
ok "--log: the log holds patch's output" grep -q "FAILED" "$TMP/patch.log"
refused 1 "a missing patch file fails before unpacking" "$WBGEN" unpack --patch "$P/nope.patch" "$A/good.tar" "$W/p-missing"
test_expect_success "... naming it" 'grep -q "cannot read patch .$P/nope.patch." "$E" && ! test -e "$W/p-missing"'
test_expect_success "--force with patches replaces a patched tree" \
	'"$WBGEN" unpack --force --patch "$P/1-value.patch" "$A/good.tar" "$W/p" &&
	test "$(cat "$W/p/foo/__init__.py")" = "value = 2"'

# ---- SIGTERM while a patch runs (a fake patch that waits): the temporary directory goes, the
# command dies of the signal, as make expects
mkdir -p "$TMP/fakebin"
printf '#!/bin/sh\n: >"$UNPACK_MARK"\nexec sleep 60\n' >"$TMP/fakebin/patch"
chmod +x "$TMP/fakebin/patch"
before=$(snap intr)
UNPACK_MARK=$TMP/mark PATH="$TMP/fakebin:$PATH" "$WBGEN" unpack --patch "$P/1-value.patch" "$A/good.tar" "$W/intr" \
	2>"$TMP/intr.err" &
pid=$!
i=0
while [ ! -e "$TMP/mark" ] && [ "$i" -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
after=$(snap intr)
ok "SIGTERM during a patch: the command dies of SIGTERM" test "$rc" -eq 143
ok "... saying it was interrupted" grep -q "interrupted while applying patch" "$TMP/intr.err"
test_expect_success "... leaving no DESTDIR and no temporary" \
	'test "$before" = "$after" && ! test -e "$W/intr" && ! ls -A "$W" | grep -q unpack-'

# ---- usage
refused 2 "no arguments" "$WBGEN" unpack
refused 2 "one argument" "$WBGEN" unpack "$A/good.tar"
refused 2 "three arguments" "$WBGEN" unpack "$A/good.tar" "$W/x" "$W/y"
refused 2 "unknown option" "$WBGEN" unpack --frob "$A/good.tar" "$W/x"
refused 2 "--patch without a value" "$WBGEN" unpack "$A/good.tar" "$W/x" --patch
refused 2 "a bad limit" "$WBGEN" unpack --max-files lots "$A/good.tar" "$W/x"
ok "a bad limit names the option" grep -q "bad value 'lots' for --max-files" "$E"
test_expect_success "--help shows usage" '"$WBGEN" unpack --help | grep -q "^usage: wbgen unpack"'
test_expect_success "nothing was ever written outside the work area" \
	'test "$(ls -A "$O")" = precious && test "$(cat "$O/precious")" = precious'

done_testing
