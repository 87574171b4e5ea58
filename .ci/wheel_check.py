"""Checks the built distributions the way a user meets them: installed from dist/, not the checkout.

Run by ``make wheel-check`` after ``make dist`` (and so by ``make test``)::

    .venv/bin/python .ci/wheel_check.py [--dist dist] [--keep]

1. Every file under each project's ``src/<package>/`` (modules, templates, presets, ``py.typed``)
   is in its wheel and its sdist, every entry point its pyproject.toml declares is in the
   wheel's metadata, and the sdist carries no caches or virtual environments.
2. A fresh venv in a temporary directory gets the rectflow wheel with its ``cli`` and
   ``strategies`` extras, the plugin wheels and pytest, with every dependency from the package
   index pip is configured with (no ``-e``, no source tree: everything runs from the temporary
   directory, with ``PYTHONPATH`` unset and the current directory kept off ``sys.path``).
3. From that venv: the packages import from its site-packages and carry ``py.typed``; the
   ``rectflow`` command runs (version, status, a preset, an HTML notice, working days in China,
   a plugin's rule, a refusal in Chinese from the zh_CN catalogue); pytest loads the fixtures
   through the ``pytest11`` entry point (and does not without it); hypothesis runs rectflow's
   hook through its entry point and ``st.from_type`` draws valid cases and policies.

Prints one line per check; exits 1 with the failures listed when any fails. ``--keep`` leaves
the temporary directory (its path is printed) for a look after a failure.
"""

from __future__ import annotations

import argparse
import configparser
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# (project directory, import package); rectflow first: the plugins depend on it.
PROJECTS = (
    (REPO, "rectflow"),
    (REPO / "plugins" / "rectflow-cn-workdays", "rectflow_cn_workdays"),
    (REPO / "plugins" / "rectflow-example-rules", "rectflow_example_rules"),
    (REPO / "plugins" / "rectflow-notify-email", "rectflow_notify_email"),
)
EXAMPLE_CASE = REPO / "examples" / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
# What must never be shipped in an sdist: caches, environments, build output, CI plumbing.
SDIST_JUNK = {
    ".import_linter_cache",
    ".hypothesis",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".venv",
    "__pycache__",
    "dist",
    "site",
    "out",
    ".ci",
    ".git",
}


class CheckError(Exception):
    """One check's failure; its message says what was expected and what was found."""


def fail_unless(condition: bool, message: str) -> None:
    """Raise CheckError with ``message`` unless ``condition`` holds (asserts vanish under -O)."""
    if not condition:
        raise CheckError(message)


class Project:
    """One distribution: its pyproject.toml, the files it must ship and its built artifacts."""

    def __init__(self, root: Path, package: str, dist: Path) -> None:
        meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        self.root = root
        self.package = package
        self.name: str = meta["name"]
        self.version: str = meta["version"]
        stem = f"{self.name.replace('-', '_')}-{self.version}"
        self.wheel = dist / f"{stem}-py3-none-any.whl"
        self.sdist = dist / f"{stem}.tar.gz"
        self.sdist_root = stem
        self.entry_points: dict[str, set[str]] = {
            group: set(entries) for group, entries in meta.get("entry-points", {}).items()
        }
        if "scripts" in meta:
            self.entry_points["console_scripts"] = set(meta["scripts"])

    def source_files(self) -> list[str]:
        """Every file under src/<package>, relative to src/, without bytecode."""
        src = self.root / "src"
        return sorted(
            path.relative_to(src).as_posix()
            for path in (src / self.package).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        )


def subprocess_env() -> dict[str, str]:
    """The environment for the venv's processes: no checkout on the path, no local settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"PYTHONPATH", "PYTHONHOME", "PYTHONOPTIMIZE", "VIRTUAL_ENV", "HYPOTHESIS_PROFILE"}
        and not key.startswith("RECTFLOW_")
    }
    env["PYTHONSAFEPATH"] = "1"  # `python -c` must not put the current directory on sys.path
    env["PYTHONIOENCODING"] = "utf-8"
    return env


class Venv:
    """The fresh venv the wheels go into, and a way to run its programs from the temp dir."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.path = tmp / "venv"
        self.bin = self.path / "bin"
        self.env = subprocess_env()

    def run(self, *args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a program of the venv (``rectflow``, ``python``, ``pytest``) in the temp dir."""
        program, *rest = args
        done = subprocess.run(
            [str(self.bin / str(program)), *map(str, rest)],
            cwd=self.tmp,
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        if ok:
            fail_unless(
                done.returncode == 0,
                f"`{' '.join(map(str, args))}` exited {done.returncode}:\n"
                f"{done.stdout[-2000:]}{done.stderr[-2000:]}",
            )
        return done


# --- the distributions themselves ---------------------------------------------------------


def check_wheel(project: Project) -> str:
    """The wheel holds every source file and every declared entry point."""
    fail_unless(project.wheel.is_file(), f"{project.wheel} is missing: run `make dist` first")
    with zipfile.ZipFile(project.wheel) as wheel:
        names = set(wheel.namelist())
        info = f"{project.name.replace('-', '_')}-{project.version}.dist-info"
        entry_text = wheel.read(f"{info}/entry_points.txt").decode() if project.entry_points else ""
    missing = [path for path in project.source_files() if path not in names]
    fail_unless(not missing, f"{project.wheel.name} lacks {missing}: fix [tool.hatch.build]")
    if project.package == "rectflow":
        catalogue = "rectflow/locale/zh_CN/LC_MESSAGES/rectflow.mo"
        fail_unless(
            catalogue in names,
            f"{project.wheel.name} lacks the Chinese catalogue {catalogue}: run `make catalogues`",
        )
    parser = configparser.ConfigParser(delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep names' case
    parser.read_string(entry_text)
    for group, names_declared in project.entry_points.items():
        shipped = set(parser[group]) if parser.has_section(group) else set()
        fail_unless(
            names_declared <= shipped,
            f"{project.wheel.name}: entry points {sorted(names_declared - shipped)} of group "
            f"{group!r} are declared in pyproject.toml but not in the wheel's entry_points.txt",
        )
    extras = [p for p in project.source_files() if not p.endswith(".py")]
    return f"{len(project.source_files())} files incl. {', '.join(extras)}"


def check_sdist(project: Project) -> str:
    """The sdist holds pyproject, README and every source file, and no caches or venvs."""
    fail_unless(project.sdist.is_file(), f"{project.sdist} is missing: run `make dist` first")
    with tarfile.open(project.sdist) as sdist:
        members = sdist.getnames()
    root = project.sdist_root
    present = {name.removeprefix(f"{root}/") for name in members}
    wanted = ["pyproject.toml", "README.md", "PKG-INFO"] + [
        f"src/{path}" for path in project.source_files()
    ]
    missing = [path for path in wanted if path not in present]
    fail_unless(not missing, f"{project.sdist.name} lacks {missing}: fix [tool.hatch.build]")
    junk = sorted(
        name
        for name in members
        if SDIST_JUNK.intersection(Path(name).parts[1:]) or name.endswith(".pyc")
    )
    fail_unless(not junk, f"{project.sdist.name} ships {junk[:8]}: exclude them from the sdist")
    return f"{len(members)} members, all {len(wanted) - 3} source files"


# --- the installed wheels ------------------------------------------------------------------


def install(venv: Venv, projects: list[Project]) -> str:
    """A fresh venv gets the wheels (rectflow with its extras) and pytest, deps from the index."""
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(venv.path)], capture_output=True, text=True, check=False
    )
    fail_unless(made.returncode == 0, f"`python -m venv` failed:\n{made.stdout}{made.stderr}")
    rectflow, *plugins = projects
    venv.run(
        "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",  # bytecode for what the checks import only, written as they run
        f"{rectflow.wheel}[cli,strategies]",
        *(plugin.wheel for plugin in plugins),
        "pytest",
    )
    listed = json.loads(venv.run("python", "-m", "pip", "list", "--format=json").stdout)
    versions = {entry["name"]: entry["version"] for entry in listed}
    return ", ".join(f"{name} {versions.get(name, '?')}" for name in ("click", "hypothesis"))


IMPORT_PROBE = """
import importlib, importlib.resources, json, sys, sysconfig
out = {"site": sysconfig.get_paths()["purelib"], "packages": {}}
for name in sys.argv[1:]:
    module = importlib.import_module(name)
    files = importlib.resources.files(name)
    out["packages"][name] = [module.__file__, files.joinpath("py.typed").is_file()]
print(json.dumps(out))
"""


def check_imports(venv: Venv, projects: list[Project]) -> str:
    """Each package imports from the venv's site-packages, not the checkout, with py.typed."""
    probe = json.loads(
        venv.run("python", "-c", IMPORT_PROBE, *(p.package for p in projects)).stdout
    )
    site = Path(probe["site"]).resolve()
    for name, (file, typed) in probe["packages"].items():
        fail_unless(
            Path(file).resolve().is_relative_to(site),
            f"{name} was imported from {file}, not from the venv's {site}: the checkout leaks in",
        )
        fail_unless(typed, f"{name} is installed without py.typed: type checkers will ignore it")
    return f"{', '.join(probe['packages'])} from {site}, each with py.typed"


def check_cli(venv: Venv, projects: list[Project]) -> str:
    """The `rectflow` command: version, status, a preset, an HTML notice, both plugins at work."""
    rectflow = projects[0]
    version = venv.run("rectflow", "--version").stdout.strip()
    fail_unless(
        version == f"rectflow, version {rectflow.version}",
        f"`rectflow --version` printed {version!r}, pyproject.toml says {rectflow.version}",
    )
    case = venv.tmp / EXAMPLE_CASE.name
    shutil.copyfile(EXAMPLE_CASE, case)
    status = venv.run("rectflow", "status", case.name).stdout
    fail_unless(
        "中共虹桥市第一人民医院委员会" in status and "overdue:" in status,
        f"`rectflow status {case.name}` did not show the case:\n{status}",
    )
    preset = venv.run("rectflow", "policy", "show", "xuncha").stdout
    fail_unless(
        'name = "xuncha"' in preset,
        f"`rectflow policy show xuncha` did not print the preset (presets not in the wheel?):\n"
        f"{preset[:500]}",
    )
    html = venv.run("rectflow", "render", case.name, "--format", "html").stdout
    fail_unless(
        '<article class="rectflow-notice"' in html and "<h1>中共虹桥市第一人民医院委员会" in html,
        f"`rectflow render --format html` did not render the template:\n{html[:500]}",
    )
    due = venv.run("rectflow", "due", "2024-09-30", "15 working days", "--calendar", "cn")
    fail_unless(
        due.stdout.strip() == "2024-10-25",
        f"`rectflow due 2024-09-30 '15 working days' --calendar cn` printed {due.stdout!r}, "
        "expected 2024-10-25 (the National Day holiday and the 10-12 make-up day, "
        "from the rectflow-cn-workdays wheel)",
    )
    init = venv.run("rectflow", "policy", "init").stdout
    fail_unless(
        '[rules."hospital.procurement-discipline"]' in init,
        "`rectflow policy init` lacks the rectflow-example-rules wheel's rule: "
        "its `rectflow` entry point was not loaded",
    )
    # The zh_CN catalogue from the wheel: a refusal in Chinese, chosen by --lang and by LANG.
    expected = "rectflow: error: 缺少 --as-of"
    saved = venv.env
    try:
        for chosen, locale in ((("--lang", "zh"), "C"), ((), "zh_CN.UTF-8")):
            venv.env = {k: v for k, v in saved.items() if k not in {"LC_ALL", "LC_MESSAGES"}}
            venv.env["LANG"] = locale
            refused = venv.run("rectflow", "agenda", case.name, *chosen, ok=False)
            fail_unless(
                refused.returncode == 2 and refused.stderr.startswith(expected),
                f"`LANG={locale} rectflow agenda {case.name} {' '.join(chosen)}` said "
                f"{refused.stderr!r}, not {expected!r}… (the zh_CN catalogue not in the wheel?)",
            )
    finally:
        venv.env = saved
    return "--version, status, policy show xuncha, render --format html, due --calendar cn → " + (
        f"{due.stdout.strip()}, policy init (example-rules' rule), agenda refusal in Chinese"
    )


FIXTURE_TESTS = '''
"""Throwaway: rectflow's pytest fixtures, reached only through the pytest11 entry point."""

import datetime as dt

import rectflow


def test_the_case_factory_builds_the_ledger_asked_for(rectflow_case_factory):
    """problems=2, measures=3 gives measures 1.1.1 ... 1.2.3."""
    case = rectflow_case_factory(problems=2, measures=3)
    assert isinstance(case, rectflow.Case)
    ids = [m.id for c in case.categories for p in c.problems for m in p.measures]
    assert ids == ["1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2", "1.2.3"]


def test_the_policy_fixture_loads_a_preset_from_the_wheel(rectflow_policy):
    """The xuncha preset's TOML is read from the installed package."""
    assert rectflow_policy("xuncha").name == "xuncha"


def test_the_checks_run_on_a_factory_case(rectflow_case_factory, rectflow_policy, rectflow_plugins):
    """The built-in checks run under a preset against the fixture's plugin manager."""
    report = rectflow.check(
        rectflow_case_factory(),
        policy=rectflow_policy("xunshi"),
        as_of=dt.date(2024, 4, 1),
        plugins=rectflow_plugins,
    )
    assert report.policy == "xunshi"
'''


def check_pytest_plugin(venv: Venv, _projects: list[Project]) -> str:
    """pytest finds the fixtures through the pytest11 entry point, and not without it."""
    test_file = venv.tmp / "test_wheel_fixtures.py"
    test_file.write_text(FIXTURE_TESTS, encoding="utf-8")
    common = ("-q", "-p", "no:cacheprovider", "--rootdir", venv.tmp, test_file.name)
    done = venv.run("pytest", *common)
    fail_unless("3 passed" in done.stdout, f"expected 3 passed:\n{done.stdout[-2000:]}")
    # The control: with the entry point's plugin blocked, the same fixtures are unknown.
    blocked = venv.run("pytest", "-p", "no:rectflow", *common, ok=False)
    fail_unless(
        blocked.returncode != 0 and "fixture 'rectflow_case_factory' not found" in blocked.stdout,
        "with `-p no:rectflow` the fixtures still resolved: they do not come from the pytest11 "
        f"entry point named rectflow:\n{blocked.stdout[-1500:]}",
    )
    return "3 fixture tests passed; with -p no:rectflow the fixtures are not found"


HYPOTHESIS_PROBE = """
import sys, warnings
import rectflow
def need(ok, why):
    if not ok:
        sys.exit(why)
hook = "rectflow._testing.hypothesis_hook"
need(hook not in sys.modules, "rectflow imported its hypothesis hook itself")
from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning
need(hook in sys.modules, "importing hypothesis did not run rectflow's entry-point hook")
warnings.simplefilter("ignore", NonInteractiveExampleWarning)
case = st.from_type(rectflow.Case).example()
need(isinstance(case, rectflow.Case), f"st.from_type(rectflow.Case) drew a {type(case)}")
text = rectflow.dumps_case(case)
need(rectflow.dumps_case(rectflow.loads_case(text)) == text, "a drawn case does not round-trip")
policy = st.from_type(rectflow.Policy).example()
need(isinstance(policy, rectflow.Policy), f"st.from_type(rectflow.Policy) drew a {type(policy)}")
print(case.id, len(case.categories), policy.name)
"""


def check_hypothesis_hook(venv: Venv, _projects: list[Project]) -> str:
    """Importing hypothesis runs rectflow's hook; st.from_type draws a valid Case and Policy."""
    drawn = venv.run("python", "-c", HYPOTHESIS_PROBE).stdout.split()
    return f"hook loaded by hypothesis; from_type drew case {drawn[0]} (round-trips), a policy"


# --- the run -------------------------------------------------------------------------------


def timed(label: str, check: Callable[[], str], failures: list[str]) -> bool:
    """Run one check, print ``ok``/``FAIL`` with its details and time; True when it passed."""
    start = time.perf_counter()
    try:
        detail = check()
    except CheckError as failure:
        print(f"FAIL {label}: {failure}", flush=True)
        failures.append(f"{label}: {str(failure).splitlines()[0]}")
        return False
    print(f"ok   {label} ({time.perf_counter() - start:.1f} s): {detail}", flush=True)
    return True


@contextmanager
def workdir(keep: bool) -> Iterator[Path]:
    """A temporary directory outside the checkout; removed afterwards unless ``keep``."""
    tmp = Path(tempfile.mkdtemp(prefix="rectflow-wheel-check-"))
    try:
        yield tmp
    finally:
        if keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Check the distributions in --dist; 0 when all is well, 1 with the failures listed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="default: dist/")
    parser.add_argument("--keep", action="store_true", help="keep the temporary venv and files")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    projects = [Project(root, package, args.dist.resolve()) for root, package in PROJECTS]
    failures: list[str] = []
    for project in projects:
        timed(f"wheel {project.wheel.name}", partial(check_wheel, project), failures)
        timed(f"sdist {project.sdist.name}", partial(check_sdist, project), failures)
    if not failures:
        with workdir(args.keep) as tmp:
            venv = Venv(tmp)
            if timed(
                "fresh venv + pip install of the wheels", partial(install, venv, projects), failures
            ):
                for label, check in (
                    ("installed packages", check_imports),
                    ("rectflow CLI", check_cli),
                    ("pytest11 entry point", check_pytest_plugin),
                    ("hypothesis entry point", check_hypothesis_hook),
                ):
                    timed(label, partial(check, venv, projects), failures)
    elapsed = time.perf_counter() - start
    if failures:
        print(f"\nwheel check FAILED ({len(failures)}) in {elapsed:.0f} s:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print(f"wheel check passed in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
