"""The command line with misbehaving plugins and dates at the edge of the range.

A plugin that calls ``sys.exit``, a calendar plugin that raises, a calendar that answers
nonsense: ``rectflow check`` reports the plugin and exits 1, guarded ``rectflow fire`` and
``rectflow due`` keep working with the built-in calendar, and a date past 9999-12-31 is one line
and exit 2, never a traceback or a silent exit 0.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import rectflow
from rectflow import Case, FuzzyDate, Violation
from rectflow._casefile.files import load_case, save_case
from rectflow._cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
SEED_001 = EXAMPLES / "seed-001-qingyuan-people-hospital.toml"

RAISING_CALENDAR = """
import rectflow

@rectflow.hookimpl
def rectflow_calendar(name):
    raise RuntimeError("the holiday table is missing")

@rectflow.hookimpl
def rectflow_calendar_names():
    return ("broken",)
"""

NONSENSE_CALENDAR = """
import rectflow

class Nonsense:
    name = "nonsense"

    def is_working_day(self, day):
        return "maybe"

    def caveat(self, first, last):
        return None

@rectflow.hookimpl
def rectflow_calendar(name):
    return Nonsense() if name == "nonsense" else None

@rectflow.hookimpl
def rectflow_calendar_names():
    return ("nonsense",)
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process as the `rectflow` script does."""
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def plugin_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for plugin modules; they are forgotten after the test."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    before = set(sys.modules)
    yield folder
    for name in set(sys.modules) - before:
        del sys.modules[name]


def install(monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, source: str) -> None:
    """Install a plugin module as the entry point `name`, beside the real ones."""
    module = "rectflow_test_" + name.replace("-", "_")
    (folder / f"{module}.py").write_text(source, encoding="utf-8")
    real = importlib.metadata.entry_points
    extra = importlib.metadata.EntryPoint(name=name, value=module, group="rectflow")

    def entry_points(**selection: str) -> object:
        found = real(**selection)
        return [*found, extra] if selection.get("group") == "rectflow" else found

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


def crashes(out: str) -> list[dict[str, str]]:
    """The plugin.crashed violations of every case in a JSON report."""
    return [
        v for case in json.loads(out)["cases"] for v in case["violations"]
        if v["code"] == "plugin.crashed"
    ]  # fmt: skip


# -- SystemExit -------------------------------------------------------------------------------


def test_check_with_a_plugin_calling_sys_exit_reports_it_and_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """sys.exit(0) in a check used to end `rectflow check` silently with exit 0."""

    class Quitter:
        @rectflow.hookimpl
        def rectflow_check_case(self) -> Iterable[Violation]:
            sys.exit(0)

    build = rectflow.plugin_manager

    def with_quitter(**kwargs: object) -> rectflow.Plugins:
        manager = build(**kwargs)  # type: ignore[arg-type]
        manager.register(Quitter(), name="quitter")
        return manager

    monkeypatch.setattr("rectflow._cli.check.plugin_manager", with_quitter)
    code, out, _ = run(capsys, "check", str(SEED_001), "--policy", "xuncha", "--format", "json")
    assert code == 1
    (crash,) = crashes(out)
    assert crash["plugin"] == "quitter"
    assert "raised SystemExit: 0 in rectflow_check_case" in crash["message"]
    assert "deadline.report" in out


def test_an_entry_point_exiting_at_import_is_reported_and_due_still_answers(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, plugin_modules: Path
) -> None:
    """A plugin package that calls sys.exit when imported is named; the commands carry on."""
    install(monkeypatch, plugin_modules, "quits", "import sys\nsys.exit('not today')\n")
    code, out, _ = run(capsys, "check", str(SEED_001), "--policy", "xuncha", "--format", "json")
    assert code == 1
    (crash,) = crashes(out)
    assert (crash["plugin"], "raised SystemExit: not today" in crash["message"]) == ("quits", True)
    code, out, err = run(capsys, "due", "2024-01-31", "1 month")
    assert (code, out) == (0, "2024-02-29\n")
    assert "rectflow: warning: plugin 'quits' raised SystemExit: not today" in err


# -- a raising calendar plugin ----------------------------------------------------------------


def test_a_raising_calendar_plugin_leaves_check_working_and_is_reported(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, plugin_modules: Path
) -> None:
    """The xuncha preset counts with `weekdays`: every check still runs; the plugin is named."""
    install(monkeypatch, plugin_modules, "broken-calendar", RAISING_CALENDAR)
    code, out, _ = run(capsys, "check", str(SEED_001), "--policy", "xuncha", "--format", "json")
    assert code == 1
    (crash,) = crashes(out)
    assert crash["plugin"] == "broken-calendar"
    assert "RuntimeError: the holiday table is missing" in crash["message"]
    assert "deadline.report" in out


def test_a_raising_calendar_plugin_does_not_stop_a_guarded_fire(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    plugin_modules: Path,
    tmp_path: Path,
) -> None:
    """The guards run with `weekdays`; the event is recorded and saved."""
    install(monkeypatch, plugin_modules, "broken-calendar", RAISING_CALENDAR)
    path = tmp_path / "case.toml"
    save_case(Case("c", feedback_on=FuzzyDate.parse("2024-01-05")), path)
    code, out, err = run(capsys, "fire", str(path), "adopt_plan", "--on", "2024-01-20")
    assert (code, err) == (0, "")
    assert out.endswith(f"saved {path}\n")
    assert load_case(path).state is rectflow.CaseState.PLAN_ADOPTED


def test_a_raising_calendar_plugin_does_not_stop_due_with_the_builtin_calendar(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, plugin_modules: Path
) -> None:
    """`due` answers with `weekdays` and warns about the plugin on standard error."""
    install(monkeypatch, plugin_modules, "broken-calendar", RAISING_CALENDAR)
    code, out, err = run(capsys, "due", "2024-09-30", "15 working days")
    assert (code, out) == (0, "2024-10-21\n")
    assert "plugin 'broken-calendar' raised RuntimeError: the holiday table is missing" in err
    assert "public holidays were not considered" in err


def test_due_with_the_calendar_of_a_crashing_plugin_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, plugin_modules: Path
) -> None:
    """Asking for the broken plugin's own calendar: exit 2, the plugin and how to disable it."""
    install(monkeypatch, plugin_modules, "broken-calendar", RAISING_CALENDAR)
    code, out, err = run(capsys, "due", "2024-09-30", "15 working days", "--calendar", "broken")
    assert (code, out) == (2, "")
    last = err.splitlines()[-1]
    assert last.startswith("rectflow: error: plugin 'broken-calendar' failed")
    assert "no other plugin provides calendar 'broken'" in last
    assert "Traceback" not in err


def test_due_with_a_calendar_answering_nonsense_is_one_line_naming_the_plugin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, plugin_modules: Path
) -> None:
    """A calendar saying "maybe" is not read as a working day: exit 2, the plugin named."""
    install(monkeypatch, plugin_modules, "nonsense-calendar", NONSENSE_CALENDAR)
    code, out, err = run(capsys, "due", "2024-09-30", "1 working day", "--calendar", "nonsense")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "rectflow: error: plugin 'nonsense-calendar' returned 'maybe' for 2024-10-01, not a bool "
        "in Calendar.is_working_day of calendar 'nonsense'; report it to the plugin's authors; "
        "meanwhile disable it with `--disable nonsense-calendar` or "
        "RECTFLOW_DISABLE=nonsense-calendar"
    ]


# -- the edges of the date range --------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "period"),
    [
        ("9999-12-31", "1 day"),
        ("9999-12-31", "1 working day"),
        ("2024-01-31", "99999 months"),
        ("9999-12-01", "1 month"),
    ],
)
def test_due_past_the_last_day_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], start: str, period: str
) -> None:
    """No OverflowError traceback: the period, the start and why."""
    code, out, err = run(capsys, "due", start, period)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"rectflow: error: can't count {period} from {start}: the day would fall outside "
        "0001-01-01..9999-12-31, the days a date can hold; check the date and the period"
    ]


def test_check_of_a_case_on_the_last_day_under_huge_periods_reports_and_does_not_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Feedback 9999-12-01 and every period 99999 months: a report, no plugin.crashed."""
    case = tmp_path / "late.toml"
    save_case(Case("late", feedback_on=FuzzyDate.parse("9999-12-01")), case)
    policy = tmp_path / "huge.toml"
    policy.write_text(
        'schema = 1\nname = "huge"\n'
        '[rules."deadline.plan".options]\nwithin = "99999 months"\n'
        '[rules."deadline.report".options]\nwithin = "99999 working days"\n'
        '[rules."deadline.due-soon".options]\nwithin = "99999 days"\n',
        encoding="utf-8",
    )
    as_of = dt.date.max.isoformat()
    code, out, err = run(
        capsys, "check", str(case), "--policy", str(policy), "--as-of", as_of, "--format", "json"
    )
    assert err == ""
    assert code in (0, 1)
    assert crashes(out) == []
    (report,) = json.loads(out)["cases"]
    assert any("falls after 9999-12-31" in caveat for caveat in report["caveats"])


def test_policy_list_with_a_presets_plugin_of_the_wrong_shape_lists_the_rest_and_warns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, plugin_modules: Path
) -> None:
    """A preset hook returning a dict used to crash `policy list` with a traceback."""
    source = (
        "import rectflow\n\n@rectflow.hookimpl\ndef rectflow_policy_presets():\n"
        "    return {'hospital': 'schema = 1'}\n"
    )
    install(monkeypatch, plugin_modules, "dict-presets", source)
    code, out, err = run(capsys, "policy", "list")
    assert code == 0
    assert {line.split("\t")[0] for line in out.splitlines()} >= {"xuncha", "xunshi"}
    assert err.splitlines()[0].startswith(
        "rectflow: warning: plugin 'dict-presets' returned 'hospital', which is not a "
        "(name, toml_text) pair in rectflow_policy_presets; none of its presets is offered"
    )
