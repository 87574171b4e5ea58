"""The supervision story of issue 10, told from the command line alone, ends where
``examples/supervise.py`` ends in Python: the same events, the same fields."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

import rectflow as rf
from rectflow._casefile.files import load_case
from rectflow._cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CASE = EXAMPLES / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
ITEM = "2.1.5"
OFFICE = "市委巡察办"
DOER = "招标采购办公室"
SECOND = "evaluation.second-rectification"


def supervise_example() -> ModuleType:
    """``examples/supervise.py`` as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("supervise_example", EXAMPLES / "supervise.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rectflow(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line as a person would (``main``: errors are one line and exit 2)."""
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """A copy of the bundled synthetic case."""
    path = tmp_path / "hospital.toml"
    shutil.copyfile(CASE, path)
    return path


def story_steps(case: str) -> list[tuple[str, ...]]:
    """The story's editing commands, on CASE: a case file's path, or a stored case's id (the
    store given after them, tests/cli/test_cli_store.py)."""
    return [
        ("extend", case, ITEM, "2025-08-31", "--approver", "市委巡察工作领导小组",
         "--role", "领导小组", "--reason", "供应商资质复核需待年度审计结果",
         "--on", "2025-07-01", "--actor", OFFICE),
        ("fire", case, "complete", "--item", ITEM, "--on", "2025-07-20", "--actor", DOER),
        ("fire", case, "submit", "--item", ITEM, "--on", "2025-07-21", "--actor", DOER),
        ("fire", case, "reject", "--item", ITEM, "--on", "2025-07-25", "--actor", OFFICE,
         "--note", "缺少整改前后对比材料"),
        ("evidence", "add", case, ITEM, "--title", "供应商库清理前后对比表", "--kind", "台账",
         "--dated", "2025-08-05", "--reference", "档案 2025-ZG-031",
         "--on", "2025-08-06", "--actor", DOER),
        ("fire", case, "complete", "--item", ITEM, "--on", "2025-08-06", "--actor", DOER),
        ("fire", case, "submit", "--item", ITEM, "--on", "2025-08-07", "--actor", DOER),
        ("fire", case, "accept", "--item", ITEM, "--on", "2025-08-12", "--actor", OFFICE,
         "--note", "对账销号"),
        ("accountability", "add", case, "--form", "诫勉谈话", "--people", "2",
         "--problem", "2.1", "--on", "2025-08-20", "--note", "供应商管理失职",
         "--actor", "院纪委"),
        ("accountability", "add", case, "--form", "criticism", "--people", "5",
         "--problem", "2.1", "--on", "2025-08-20", "--actor", "院纪委"),
        ("evaluate", case, "--grade", "一般", "--score", "74.5",
         "--by", "市纪委监委、市委组织部、市委巡察办", "--on", "2025-09-10", "--actor", OFFICE),
    ]  # fmt: skip


def tell_the_story(
    capsys: pytest.CaptureFixture[str], case: str, saved: list[str], *where: str
) -> None:
    """Run the story's commands on CASE (``where``: ``--store URL`` for a stored case); each
    says the line of ``saved`` in turn last; the check finds the second rectification due,
    and its late recording answers it."""
    for step, said in zip(story_steps(case), saved, strict=True):
        lang = () if step[0] == "fire" else ("--lang", "en")
        code, out, err = rectflow(capsys, *step, *where, *lang)
        assert (code, err) == (0, ""), step
        assert out.splitlines()[-1] == said

    check = ("check", case, "--policy", "xuncha", "--as-of", "2025-10-20", *where)
    code, out, _ = rectflow(capsys, *check)
    assert code == 1
    assert SECOND in out

    code, out, _ = rectflow(
        capsys, "fire", case, "start_second_rectification", "--on", "2025-09-15",
        "--recorded-on", "2025-10-21", "--actor", "院党委", *where,
    )  # fmt: skip
    assert code == 0
    assert "now centralised" in out
    _, out, _ = rectflow(capsys, *check)
    assert SECOND not in out


def story_told_in_python() -> rf.Case:
    """The same story in Python: examples/supervise.py's walk() and its late recording."""
    expected: rf.Case = supervise_example().walk(rf.load_case(CASE))
    rf.fire(
        expected,
        "start_second_rectification",
        on=dt.date(2025, 9, 15),
        actor="院党委",
        recorded_on=dt.date(2025, 10, 21),
    )
    return expected


def assert_same_story(told: rf.Case, expected: rf.Case) -> None:
    """The case the commands left equals the Python walk's, event for event (one save per
    command: 12 versions on)."""
    assert told.version == expected.version + 12
    assert list(told.events) == list(expected.events)
    told.version = expected.version
    assert told == expected
    assert rf.dumps_case(told) == rf.dumps_case(expected)
    assert rf.replay(told) == told


def test_the_supervision_loop_from_the_command_line_equals_the_python_walk(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Extension, completion, submission, rejection with a reason, evidence, a second
    submission accepted, accountability, an evaluation of 一般 that the xuncha check turns into
    a second-rectification requirement, answered by ``start_second_rectification``: every step
    a command, and the file ends equal to what ``walk()`` makes of the case in Python."""
    path = str(case_file)
    tell_the_story(capsys, path, [f"saved {path}"] * len(story_steps(path)))
    assert_same_story(load_case(case_file), story_told_in_python())


def test_the_story_reads_back_in_the_log_of_the_item(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``rectflow log --item`` tells the extension, the rejection's reason and the acceptance."""
    path = str(case_file)
    rectflow(
        capsys, "extend", path, ITEM, "2025-08-31", "--approver", "市委巡察工作领导小组",
        "--reason", "供应商资质复核需待年度审计结果", "--on", "2025-07-01", "--actor", OFFICE,
    )  # fmt: skip
    rectflow(capsys, "fire", path, "complete", "--item", ITEM, "--on", "2025-07-20")
    rectflow(capsys, "fire", path, "submit", "--item", ITEM, "--on", "2025-07-21")
    rectflow(
        capsys, "fire", path, "reject", "--item", ITEM, "--on", "2025-07-25",
        "--note", "缺少整改前后对比材料",
    )  # fmt: skip
    code, out, _ = rectflow(capsys, "log", path, "--item", ITEM, "--lang", "en")
    assert code == 0
    assert out.splitlines()[-4:] == [
        f"#94 2025-07-01 {ITEM}: deadline extended (extend) by {OFFICE} — due 2025-06-15 → "
        "2025-08-31, approved by 市委巡察工作领导小组, reason: 供应商资质复核需待年度审计结果",
        f"#95 2025-07-20 {ITEM}: completed (complete)",
        f"#96 2025-07-21 {ITEM}: submitted for acceptance (submit)",
        f"#97 2025-07-25 {ITEM}: rejected (reject) — note: 缺少整改前后对比材料",
    ]
