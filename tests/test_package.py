"""The package's shape: its public names, no import cycle, modules of a readable size, and a
wheel that works outside the repository (an analyst's own suite of notebooks)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT

import analytics

PACKAGE = ROOT / "analytics"
MODULES = sorted(PACKAGE.rglob("*.py"))
#: Modules (paths under analytics/) allowed over the size limit because they are mostly data,
#: not logic. None today: the demo company's calibration and phrase banks are data modules of
#: their own (analytics/synthetic/parameters.py, phrasebook.py) and fit the limit.
DATA_MODULES: set[str] = set()
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_public_name_resolves_from_the_package():
    for name in analytics.__all__:
        assert getattr(analytics, name) is not None, name
    from analytics import open_log, prepare  # the way a notebook or a script writes it

    assert callable(prepare) and callable(open_log)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        analytics.nope  # noqa: B018


def test_module_level_imports_have_no_cycle():
    """Imports at module level between the package's own modules form a DAG (imports inside
    functions are deliberate lazy imports and do not count)."""
    names = {_module_name(p): p for p in MODULES}
    graph = {}
    for name, path in names.items():
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analytics"):
                deps.add(node.module)
                deps.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.startswith("analytics"))
        graph[name] = {d for d in deps if d in names and d != name}
    state, cycle = {}, []

    def visit(node, trail):
        state[node] = "open"
        for dep in sorted(graph[node]):
            if state.get(dep) == "open":
                cycle.append(trail + [node, dep])
            elif dep not in state:
                visit(dep, trail + [node])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert not cycle, " -> ".join(cycle[0])


def test_modules_stay_readable():
    long = {name: n for p in MODULES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
            and (name := p.relative_to(PACKAGE).as_posix()) not in DATA_MODULES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"



def test_the_readme_layout_shows_every_module_once():
    """The README's layout section is the package's tree, one line per module: a ``name.py``
    line is that module, a ``name/`` line is the subpackage (its ``__init__.py``)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("```\nanalytics/\n") + 4:]
    block = block[:block.index("```")].splitlines()[1:]
    listed, folders = [], []
    for line in block:
        if not line.startswith("  "):
            break  # notebooks/, data/ ...: the suite beside the package
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name = line.split()[0]
        folders[depth - 1:] = [name.rstrip("/")] if name.endswith("/") else []
        path = "/".join(folders[:depth - 1] + [name.rstrip("/")])
        if name.endswith(".py"):
            listed.append(path)
        elif (PACKAGE / path / "__init__.py").exists():
            listed.append(f"{path}/__init__.py")
    modules = sorted(p.relative_to(PACKAGE).as_posix() for p in MODULES)
    assert sorted(listed) == modules, {"not in the README": sorted(set(modules) - set(listed)),
                                       "not in analytics/": sorted(set(listed) - set(modules)),
                                       "twice": sorted({m for m in listed if listed.count(m) > 1})}


def test_every_module_has_its_test_module():
    """tests/ mirrors analytics/: analytics/metrics/response.py is tested by
    tests/metrics/test_response.py; a package's __init__.py by tests/<parent>/test_<package>.py
    when it holds more than re-exports (analytics/__init__.py: this file)."""
    missing = []
    for path in MODULES:
        module = path.relative_to(PACKAGE)
        if module.name in ("__init__.py", "__main__.py"):
            continue
        test = ROOT / "tests" / module.parent / f"test_{module.name}"
        if not test.is_file():
            missing.append(module.as_posix())
    assert not missing, sorted(missing)


@pytest.mark.slow
def test_the_wheel_renders_the_demo_in_a_folder_holding_only_the_suite(tmp_path):
    # Built from a copy of what the wheel is made of, so the checkout gets no build/ folder.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "analytics", source / "analytics",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--wheel",
                            "--outdir", str(dist), str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(dist.glob("support_analytics-*.whl"))
    shipped = set(zipfile.ZipFile(wheel).namelist())
    for data in ("analytics/resources/metrics.md", "analytics/resources/metrics.pt-BR.md",
                 "analytics/report/strings/pt-BR.toml",
                 "analytics/publish/templates/report/index.html.j2",
                 "analytics/resources/intents/model_en.json"):
        assert data in shipped, data

    # A fresh environment: the wheel in its own site-packages, the other dependencies seen
    # through a path entry to the project environment (whose editable install of this
    # checkout is not activated: .pth files inside a path entry are not processed), and
    # their data files (nbconvert's templates) through JUPYTER_PATH.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", "--target", str(site), str(wheel)], check=True)
    (site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    suite = tmp_path / "suite"
    shutil.copytree(ROOT / "notebooks", suite / "notebooks")
    shutil.copytree(ROOT / "data", suite / "data")
    where = subprocess.run([str(python), "-c", "import analytics; print(analytics.__file__)"],
                           cwd=suite, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site)), where
    run = subprocess.run([str(python), "-m", "analytics", "render", "--source", "demo",
                          "--period", "2026-10", "--only", "summary", "--output", "reports"],
                         cwd=suite, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    page = suite / "reports" / "demo" / "2026-10" / "summary.html"
    assert page.exists() and "Executive summary" in page.read_text(encoding="utf-8")
    for name in ("definitions.html", "definitions.pt-BR.html"):
        assert (suite / "reports" / name).exists(), name
