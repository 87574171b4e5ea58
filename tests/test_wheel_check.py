""".ci/wheel_check.py fails on a wheel or sdist that lacks a file, an entry point, or ships junk.

The full check (a fresh venv, the CLI and entry points) runs in ``make wheel-check``; these tests
hold its offline half to failing when it should, on small distributions built here by hand.
"""

from __future__ import annotations

import importlib.util
import io
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = """\
[project]
name = "demo-pkg"
version = "1.2.0"

[project.scripts]
demo = "demo_pkg.cli:main"

[project.entry-points.pytest11]
demo = "demo_pkg.fixtures"
"""
SOURCES = {
    "demo_pkg/__init__.py": "",
    "demo_pkg/py.typed": "",
    "demo_pkg/presets/strict.toml": "name = 'strict'\n",
    "demo_pkg/templates/notice.txt.j2": "{{ case }}\n",
}
ENTRY_POINTS = (
    "[console_scripts]\ndemo = demo_pkg.cli:main\n\n[pytest11]\ndemo = demo_pkg.fixtures\n"
)


def load_wheel_check() -> ModuleType:
    """The script as a module (it lives in .ci/, not in a package)."""
    spec = importlib.util.spec_from_file_location("wheel_check", REPO / ".ci" / "wheel_check.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wheel_check = load_wheel_check()


def make_project(tmp_path: Path) -> Any:
    """A project directory with its sources, and the Project the check sees for it."""
    root = tmp_path / "demo-pkg"
    for name, text in SOURCES.items():
        path = root / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "dist").mkdir()
    return wheel_check.Project(root, "demo_pkg", tmp_path / "dist")


def write_wheel(project: Any, *, leave_out: str = "", entry_points: str = ENTRY_POINTS) -> None:
    """The project's wheel with every source file but ``leave_out``."""
    with zipfile.ZipFile(project.wheel, "w") as wheel:
        for name, text in SOURCES.items():
            if name != leave_out:
                wheel.writestr(name, text)
        wheel.writestr("demo_pkg-1.2.0.dist-info/entry_points.txt", entry_points)


def write_sdist(project: Any, *, leave_out: str = "", extra: tuple[str, ...] = ()) -> None:
    """The project's sdist with pyproject, README, PKG-INFO and the sources, plus ``extra``."""
    names = ["pyproject.toml", "README.md", "PKG-INFO"]
    names += [f"src/{name}" for name in SOURCES if name != leave_out]
    with tarfile.open(project.sdist, "w:gz") as sdist:
        for name in (*names, *extra):
            info = tarfile.TarInfo(f"demo_pkg-1.2.0/{name}")
            sdist.addfile(info, io.BytesIO(b""))


def test_a_complete_wheel_and_sdist_pass(tmp_path: Path) -> None:
    """Every source file, both entry points and a clean sdist: both checks report success."""
    project = make_project(tmp_path)
    write_wheel(project)
    write_sdist(project)
    assert "4 files" in wheel_check.check_wheel(project)
    assert "all 4 source files" in wheel_check.check_sdist(project)


@pytest.mark.parametrize("missing", ["demo_pkg/presets/strict.toml", "demo_pkg/py.typed"])
def test_a_wheel_without_a_preset_or_py_typed_fails_naming_the_file(
    tmp_path: Path, missing: str
) -> None:
    """A data file left out of the wheel is named in the failure."""
    project = make_project(tmp_path)
    write_wheel(project, leave_out=missing)
    with pytest.raises(wheel_check.CheckError, match=missing):
        wheel_check.check_wheel(project)


def test_a_wheel_without_a_declared_entry_point_fails(tmp_path: Path) -> None:
    """pyproject.toml declares a pytest11 entry point the wheel's metadata lacks."""
    project = make_project(tmp_path)
    write_wheel(project, entry_points="[console_scripts]\ndemo = demo_pkg.cli:main\n")
    with pytest.raises(wheel_check.CheckError, match="pytest11"):
        wheel_check.check_wheel(project)


def test_an_sdist_without_the_templates_fails(tmp_path: Path) -> None:
    """A template left out of the sdist is named in the failure."""
    project = make_project(tmp_path)
    write_sdist(project, leave_out="demo_pkg/templates/notice.txt.j2")
    with pytest.raises(wheel_check.CheckError, match=r"notice\.txt\.j2"):
        wheel_check.check_sdist(project)


def test_an_sdist_with_a_cache_in_it_fails(tmp_path: Path) -> None:
    """Caches and build output must not ride along in the sdist."""
    project = make_project(tmp_path)
    write_sdist(project, extra=(".import_linter_cache/rectflow.meta.json",))
    with pytest.raises(wheel_check.CheckError, match="import_linter_cache"):
        wheel_check.check_sdist(project)


def test_missing_distributions_say_to_run_make_dist(tmp_path: Path) -> None:
    """With nothing built, the failure says how to build it."""
    project = make_project(tmp_path)
    with pytest.raises(wheel_check.CheckError, match="make dist"):
        wheel_check.check_wheel(project)
