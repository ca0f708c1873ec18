"""The bundled example: a small tree that shows what wbgen does.

hello-app needs a library built with setuptools (greeting, setup.cfg), one built
with setuptools' [project] support (colors, with an extra), and one whose install
requirements are only known after a build (textwrap-plus). Its own backend,
app-backend, is built by tinybuild, a PEP 517 backend that bootstraps itself from
its own sdist (backend-path), the way flit_core and setuptools do. setuptools
itself (from Debian's python3-setuptools-whl) builds itself, with wheel.

Build it with: python3 e2e/fixtures/mkindex.py examples/scenario.py examples/index
"""

from scenario_kit import Projects, tb


def scenario():
    p = Projects()
    add = p.add

    add("tinybuild", tb("1.0", build="backend", backend="tinybuild"))
    add("app-backend", tb("1.0", build="backend", backend="tinybuild"), module="app_backend")
    add("wheel", {"version": "0.38.4", "build": "debian-wheel"})
    add("setuptools", {"version": "66.1.1", "build": "debian-setuptools"})
    add("greeting", tb("1.0", ["colors>=1.0"], build="setuptools-cfg"),
        tb("1.1", ["colors>=1.1"], build="setuptools-cfg"))
    add("colors", tb("1.0", build="setuptools-pyproject"),
        tb("1.2", build="setuptools-pyproject", extras={"fancy": ["textwrap-plus>=2"]}),
        tb("2.0b1", build="setuptools-pyproject"))
    add("textwrap-plus", tb("1.0"), tb("2.0", ["colors"], metadata_version="2.1"))
    add("hello-app", tb("0.9", ["greeting"], backend="app-backend"),
        tb("1.0", ["greeting>=1.1", "colors[fancy]", "textwrap-plus"], backend="app-backend"))
    return {"projects": p}
