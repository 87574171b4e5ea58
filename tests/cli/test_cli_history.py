"""The command line keeps history forward in time and asks about the past: ``fire --on`` before
an earlier event is one line and exit 2, ``--recorded-on`` records late, ``status --as-of``
shows the case as it stood."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from rectflow import Case, Category, FuzzyDate, Measure, Problem
from rectflow._casefile.files import load_case, save_case
from rectflow._cli.main import main

SYNTHETIC = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "cases"
    / "synthetic-hongqiao-first-people-hospital.toml"
)


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """A case with measures 1.1.1 and 1.1.2, feedback 2024-03-15, and no events."""
    path = tmp_path / "case.toml"
    problem = Problem("1.1", measures=[Measure("1.1.1"), Measure("1.1.2")])
    case = Case(
        "cli-history",
        feedback_on=FuzzyDate.of(dt.date(2024, 3, 15)),
        categories=[Category("1", problems=[problem])],
    )
    save_case(case, path)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``rectflow ARGS`` as the installed command runs it (errors: one line, exit 2)."""
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


def fire(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, str, str]:
    """``rectflow fire PATH ARGS --no-guards`` (the rules are not what these tests are about)."""
    return run(capsys, "fire", str(path), *args, "--no-guards")


def test_fire_dated_before_an_earlier_event_of_the_item_exits_2_with_one_line(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """complete before start: one line naming both dates, nothing written."""
    assert fire(capsys, case_file, "start", "--item", "1.1.1", "--on", "2024-06-01")[0] == 0
    before = case_file.read_bytes()
    code, _, err = fire(capsys, case_file, "complete", "--item", "1.1.1", "--on", "2024-05-20")
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "dated 2024-05-20" in err
    assert "event #1 'start' on 1.1.1 (2024-06-01)" in err
    assert case_file.read_bytes() == before


def test_fire_dated_before_the_feedback_exits_2(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An event before the feedback is the user's mistake: exit 2, one line."""
    code, _, err = fire(capsys, case_file, "adopt_plan", "--on", "2024-03-01")
    assert code == 2
    assert "before the case's feedback (2024-03-15)" in err
    assert len(err.splitlines()) == 1


def test_fire_recorded_on_records_an_older_event_late(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --recorded-on a back-dated event is refused with the way to record it late;
    with it, the event is saved with both days and said so."""
    fire(capsys, case_file, "start", "--item", "1.1.1", "--on", "2024-06-01")
    code, _, err = fire(capsys, case_file, "start", "--item", "1.1.2", "--on", "2024-05-01")
    assert code == 2
    assert "--recorded-on" in err
    code, out, _ = fire(
        capsys,
        case_file,
        *("start", "--item", "1.1.2", "--on", "2024-05-01", "--recorded-on", "2024-06-02"),
    )
    assert code == 0
    assert "#2 2024-05-01 (recorded 2024-06-02) start" in out
    event = load_case(case_file).events[-1]
    assert (event.on, event.recorded_on) == (dt.date(2024, 5, 1), dt.date(2024, 6, 2))


def test_status_as_of_1_july_2024_shows_the_synthetic_case_as_it_stood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """3.3.2 (completed 2024-06-20, reopened in 2025) is completed and not overdue on
    2024-07-01; the measures added in 2025 are not counted."""
    path = tmp_path / SYNTHETIC.name
    shutil.copy(SYNTHETIC, path)
    code, out, _ = run(
        capsys, "status", "--as-of", "2024-07-01", "--items", "--format", "json", str(path)
    )
    assert code == 0
    [shown] = json.loads(out)
    items = {item["id"]: item for item in shown["items"]}
    assert items["3.3.2"]["state"] == "completed"
    assert "3.3.3" not in items
    assert shown["overdue"] == []
    assert shown["state"] == "reviewed"
    assert sum(shown["measures"].values()) == 23
