"""``rectflow status``, ``fire`` and ``diagram``: output, files written, and user mistakes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectflow import (
    Accountability,
    AccountabilityForm,
    Case,
    Category,
    Disclosure,
    Evaluation,
    Evidence,
    FuzzyDate,
    Grade,
    ItemState,
    Measure,
    Problem,
    Responsibility,
    add_evidence,
    evaluate,
    extend,
    fire,
    mermaid,
    record_accountability,
    rejections,
    status,
)
from rectflow._casefile.files import load_case, save_case
from rectflow._cli import case as _cli_case
from rectflow._cli.main import cli, main
from rectflow.errors import OwnedFieldError

DUE = dt.date(2021, 4, 30)
RECTFLOW = Path(sys.executable).parent / "rectflow"


def ledger_case() -> Case:
    """A case with events: one measure late, one done, one long-term, one problem without
    measures late, one not yet due."""
    case = Case(
        "qy-2021",
        inspected_body="某某医院党委",
        feedback_on=FuzzyDate.parse("2021-01-05"),
        categories=[
            Category(
                "1",
                "党的领导",
                [
                    Problem(
                        "1.1",
                        "学习不深入",
                        measures=[
                            Measure(
                                "1.1.1",
                                "完善学习制度",
                                Responsibility("王伟", "党委办公室", "李娜"),
                                DUE,
                            ),
                            Measure("1.1.2", "专题学习", due_on=DUE),
                            Measure("1.1.3", "长效机制", due_on=DUE),
                        ],
                    ),
                    Problem("1.2", "台账不全", due_on=DUE),
                    Problem("1.3", "制度缺失", due_on=dt.date(2021, 12, 31)),
                ],
            )
        ],
    )
    fire(case, "adopt_plan", on=dt.date(2021, 2, 1), actor="党委")
    fire(case, "start", item="1.1.1", on=dt.date(2021, 2, 3))
    for trigger in ("start", "complete"):
        fire(case, trigger, item="1.1.2", on=dt.date(2021, 3, 1))
    for trigger in ("start", "mark_long_term"):
        fire(case, trigger, item="1.1.3", on=dt.date(2021, 3, 1))
    fire(case, "start", item="1.2", on=dt.date(2021, 5, 20))
    return case


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """The ledger case saved as a case file."""
    path = tmp_path / "qy.toml"
    save_case(ledger_case(), path)
    return path


@pytest.fixture
def quiet_case_file(tmp_path: Path) -> Path:
    """A case without events whose latest stated date is a month-precision disclosure."""
    path = tmp_path / "quiet.toml"
    case = Case(
        "quiet",
        inspected_body="某某局党组",
        feedback_on=FuzzyDate.parse("2021-01-05"),
        disclosures=[Disclosure(published_on=FuzzyDate.parse("2021-06"))],
        categories=[Category("1", "", [Problem("1.1", due_on=dt.date(2021, 5, 1))])],
    )
    save_case(case, path)
    return path


def supervised_case() -> Case:
    """The ledger case, supervised: 1.1.1's deadline extended (and missed again), 1.1.2
    submitted, rejected and submitted again, accountability recorded, an evaluation of 一般."""
    case = ledger_case()
    extend(case, "1.1.1", dt.date(2021, 5, 25), approver="领导小组", reason="待上级文件",
           on=dt.date(2021, 5, 20))  # fmt: skip
    fire(case, "submit", item="1.1.2", on=dt.date(2021, 5, 20))
    fire(case, "reject", item="1.1.2", on=dt.date(2021, 5, 21), note="缺少学习记录")
    fire(case, "complete", item="1.1.2", on=dt.date(2021, 5, 24))
    fire(case, "submit", item="1.1.2", on=dt.date(2021, 5, 25))
    for form, people in (
        (AccountabilityForm.CRITICISM, 5),
        (AccountabilityForm.ADMONISHING_TALK, 2),
    ):
        record_accountability(case, Accountability(form, people, on=dt.date(2021, 5, 26)))
    evaluate(case, Evaluation(dt.date(2021, 5, 31), Grade.FAIR, score=78.5, by="巡察办"))
    return case


@pytest.fixture
def supervised_file(tmp_path: Path) -> Path:
    """The supervised case saved as a case file."""
    path = tmp_path / "supervised.toml"
    save_case(supervised_case(), path)
    return path


def run(*args: str) -> tuple[int, str, str]:
    """Run the command line as ``main`` does (error handling included) in-process."""
    runner = CliRunner()
    result = runner.invoke(cli, list(args), catch_exceptions=True)
    return result.exit_code, result.stdout, result.stderr


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``rectflow._cli.main.main``, which turns user mistakes into one line and exit 2."""
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


# -- status ------------------------------------------------------------------------------------


def test_status_prints_body_state_counts_as_of_and_overdue(case_file: Path) -> None:
    """Plain text (not a terminal): each fact on its own line, the overdue items listed."""
    code, out, _ = run("status", str(case_file))
    assert code == 0
    lines = out.splitlines()
    assert lines[:7] == [
        f"file:           {case_file}",
        "inspected body: 某某医院党委",
        "case:           qy-2021: plan_adopted 整改方案已制定",
        "problems:       3 (open 待整改 1, in_progress 正在推进 2)",
        "measures:       3 (in_progress 正在推进 1, long_term 长期坚持 1, completed 已完成 1)",
        "as of:          2021-05-20 (the case's last event: #7 start on 1.2)",
        "overdue:        2 item(s)",
    ]
    assert "measure  1.1.1" in lines[7]
    assert "due 2021-04-30, 20 days late" in lines[7]
    assert "王伟 / 党委办公室 / 李娜" in lines[7]
    assert "problem  1.2" in lines[8]
    assert len(lines) == 9


def test_status_as_of_a_given_day_says_it_was_given(case_file: Path) -> None:
    """``--as-of`` replaces the default day; before the due day nothing is late."""
    code, out, _ = run("status", str(case_file), "--as-of", "2021-04-30")
    assert code == 0
    assert "as of:          2021-04-30 (given)" in out
    assert "overdue:        none" in out


def test_status_of_a_case_without_events_uses_its_latest_stated_date(
    quiet_case_file: Path,
) -> None:
    """No events: the latest date the case states, taken at its first day, and why."""
    code, out, _ = run("status", str(quiet_case_file))
    assert code == 0
    assert (
        "as of:          2021-06-01 (no events; the latest date the case states: "
        "disclosures[0].published_on = 2021-06 (taken as its first day, 2021-06-01))"
    ) in out
    assert "problem  1.1" in out


def test_status_of_several_cases_prints_each(case_file: Path, quiet_case_file: Path) -> None:
    """One block per case, in the order given, separated by a blank line."""
    code, out, _ = run("status", str(case_file), str(quiet_case_file))
    assert code == 0
    blocks = out.split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [
        f"file:           {case_file}",
        f"file:           {quiet_case_file}",
    ]


def test_status_shows_the_supervision_lines(supervised_file: Path) -> None:
    """Awaiting acceptance, rejections, extensions, accountability and the evaluation, and the
    overdue line of an extended item with its original deadline."""
    code, out, _ = run("status", str(supervised_file), "--as-of", "2021-06-01")
    assert code == 0
    lines = out.splitlines()
    assert lines[5:12] == [
        "as of:               2021-06-01 (given)",
        "awaiting acceptance: 1 item(s) 待验收",
        "rejections:          1 驳回",
        "extensions:          1 延期",
        "accountability:      7 people (criticism 批评教育 5, admonishing_talk 诫勉谈话 2)",
        "evaluation:          2021-05-31 fair 一般 (score 78.5, by 巡察办)",
        "overdue:             2 item(s)",
    ]
    assert "due 2021-05-25, 7 days late (originally 2021-04-30, 32 days; extended 1x)" in lines[12]


def test_status_in_chinese(supervised_file: Path) -> None:
    """``--lang zh``: the same facts in Chinese, keys and values, columns aligned as a terminal
    shows Chinese (two columns a character)."""
    code, out, _ = run("status", str(supervised_file), "--as-of", "2021-06-01", "--lang", "zh")
    assert code == 0
    assert out.splitlines()[1:] == [
        "被巡察单位： 某某医院党委",
        "案件：       qy-2021：整改方案已制定",
        "问题：       3个（待整改1个，正在推进2个）",
        "整改措施：   3条（正在推进1条，长期坚持1条，待验收1条）",
        "截至：       2021-06-01（指定日期）",
        "待验收：     1项",
        "驳回：       1次",
        "延期：       1次",
        "问责：       共7人（批评教育5人、诫勉谈话2人）",
        "整改评估：   2021-05-31 一般（78.5分，巡察办）",
        "逾期：       2项",
        "  整改措施  1.1.1  正在推进  时限2021-05-25（原时限2021-04-30，延期1次），逾期7天  "
        "王伟 / 党委办公室 / 李娜",
        "  问题      1.2    正在推进  时限2021-04-30，逾期32天",
    ]


def test_status_in_chinese_names_the_last_event_when_no_day_is_given(case_file: Path) -> None:
    """Without --as-of the Chinese text says the day is the last event's, in Chinese."""
    code, out, _ = run("status", str(case_file), "--lang", "zh")
    assert code == 0
    assert "截至：       2021-05-20（最后一个事件：#7 开始整改（1.2））" in out


def test_status_at_a_terminal_in_chinese_draws_tables(
    supervised_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rich tables take the Chinese headings too."""
    monkeypatch.setattr(_cli_case, "_use_rich", lambda: True)
    code, out, _ = run("status", str(supervised_file), "--items", "--lang", "zh")
    assert code == 0
    for text in ("被巡察单位", "截至2021-05-31逾期事项", "全部事项", "待验收", "问责"):
        assert text in out


def test_status_items_lists_every_problem_and_measure(case_file: Path) -> None:
    """``--items`` adds every ledger line with its state, due date and title or text."""
    code, out, _ = run("status", str(case_file), "--items")
    assert code == 0
    listed = out.split("items:\n", 1)[1].splitlines()
    assert [line.split()[1] for line in listed] == ["1.1", "1.1.1", "1.1.2", "1.1.3", "1.2", "1.3"]
    assert "完善学习制度" in listed[1]


def test_status_json_is_one_array_of_objects(case_file: Path, quiet_case_file: Path) -> None:
    """``--format json`` gives programs the same facts, with days late per overdue item."""
    code, out, _ = run("status", str(case_file), str(quiet_case_file), "--format", "json")
    assert code == 0
    first, second = json.loads(out)
    keys = ("format", "version", "case", "state", "as_of", "as_of_reason", "file")
    assert {k: first[k] for k in keys} == {
        "format": "rectflow.status",
        "version": 1,
        "case": "qy-2021",
        "state": "plan_adopted",
        "as_of": "2021-05-20",
        "as_of_reason": "the case's last event: #7 start on 1.2",
        "file": str(case_file),
    }
    assert {k: n for k, n in first["measures"].items() if n} == {
        "in_progress": 1,
        "long_term": 1,
        "completed": 1,
    }
    assert [(o["id"], o["kind"], o["days_late"], o["extensions"]) for o in first["overdue"]] == [
        ("1.1.1", "measure", 20, 0),
        ("1.2", "problem", 20, 0),
    ]
    assert first["overdue"][0]["responsibility"] == {
        "leader": "王伟",
        "department": "党委办公室",
        "person": "李娜",
    }
    assert (second["case"], second["as_of"], "items" in second) == ("quiet", "2021-06-01", False)


def test_status_json_is_to_dict_with_the_file(case_file: Path) -> None:
    """Each object is ``CaseStatus.to_dict()`` (docs/status-json.md) and ``file``."""
    _, out, _ = run("status", str(case_file), "--format", "json")
    [shown] = json.loads(out)
    expected = {**status(load_case(case_file)).to_dict(), "file": str(case_file)}
    assert expected == shown


def test_status_json_with_items_lists_the_ledger(case_file: Path) -> None:
    """With ``--items`` the JSON carries every item and its state."""
    _, out, _ = run("status", str(case_file), "--format", "json", "--items")
    [report] = json.loads(out)
    assert [(i["id"], i["state"]) for i in report["items"]] == [
        ("1.1", "in_progress"),
        ("1.1.1", "in_progress"),
        ("1.1.2", "completed"),
        ("1.1.3", "long_term"),
        ("1.2", "in_progress"),
        ("1.3", "open"),
    ]


def test_status_at_a_terminal_draws_tables(
    case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For a person at a terminal the same facts come as rich tables."""
    monkeypatch.setattr(_cli_case, "_use_rich", lambda: True)
    code, out, _ = run("status", str(case_file), "--items")
    assert code == 0
    for text in ("inspected body", "某某医院党委", "overdue as of 2021-05-20", "1.1.1", "items"):
        assert text in out
    assert "│" in out or "┃" in out  # drawn as a table, not plain columns


# -- fire --------------------------------------------------------------------------------------


def test_fire_applies_the_trigger_and_saves_the_file(case_file: Path) -> None:
    """The event is printed, and the saved file holds the new state and the event."""
    code, out, _ = run(
        "fire", str(case_file), "complete", "--item", "1.1.1", "--on", "2021-05-21",
        "--actor", "党委办公室", "--note", "制度已印发",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines() == [
        "#8 2021-05-21 complete 完成整改 on 1.1.1 by 党委办公室 (制度已印发): now completed 已完成",
        f"saved {case_file}",
    ]
    saved = load_case(case_file)
    assert saved.item("1.1.1").state is ItemState.COMPLETED
    assert (saved.events[-1].trigger, saved.events[-1].actor, saved.events[-1].note) == (
        "complete",
        "党委办公室",
        "制度已印发",
    )


def test_fire_without_an_item_moves_the_case(case_file: Path) -> None:
    """Case triggers take no ``--item``."""
    code, out, _ = run("fire", str(case_file), "start_centralised", "--on", "2021-05-21")
    assert code == 0
    assert out.startswith(
        "#8 2021-05-21 start_centralised 开展集中整改 on the case: now centralised"
    )


def test_fire_is_guarded_by_the_rules(case_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Closing a measure without evidence is refused by the evidence rule; nothing is written."""
    run("fire", str(case_file), "complete", "--item", "1.1.1", "--on", "2021-05-21")
    before = case_file.read_bytes()
    code, _, err = run_main(
        capsys, "fire", str(case_file), "close", "--item", "1.1.1", "--on", "2021-05-22"
    )
    assert code == 2
    assert err.startswith(
        "rectflow: error: can't close item 1.1.1: it is completed, and a blocking rule forbids it"
    )
    assert "evidence" in err
    assert len(err.splitlines()) == 1
    assert case_file.read_bytes() == before


def test_fire_without_guards_records_what_happened(case_file: Path) -> None:
    """``--no-guards`` applies a trigger the rules would refuse (history as it was)."""
    run("fire", str(case_file), "complete", "--item", "1.1.1", "--on", "2021-05-21")
    code, out, _ = run(
        "fire", str(case_file), "close", "--item", "1.1.1", "--on", "2021-05-22", "--no-guards"
    )
    assert code == 0
    assert load_case(case_file).item("1.1.1").state is ItemState.CLOSED
    assert "now closed 已销号" in out


def test_fire_walks_a_measure_through_submission_rejection_and_acceptance(
    supervised_file: Path,
) -> None:
    """报请销号 → 驳回 → 报请销号 → 验收通过: each trigger printed, the file saved each time;
    acceptance is guarded (evidence on file, an acceptor named)."""
    case = load_case(supervised_file)
    add_evidence(case, "1.1.2", Evidence("学习记录"), on=dt.date(2021, 6, 1), actor="办公室")
    save_case(case, supervised_file)
    steps = [
        ("reject", "--note", "记录不全", "--actor", "纪委办公室"),
        ("complete", "--actor", "办公室"),
        ("submit", "--actor", "办公室"),
        ("accept", "--actor", "纪委办公室"),
    ]
    printed = []
    for trigger, *options in steps:
        code, out, _ = run(
            "fire", str(supervised_file), trigger, "--item", "1.1.2", "--on", "2021-06-02",
            *options,
        )  # fmt: skip
        assert code == 0
        printed.append(out.splitlines()[0].split(": now ")[1])
    saved = load_case(supervised_file)
    assert (printed, saved.item("1.1.2").state, rejections(saved, "1.1.2")) == (
        ["in_progress 正在推进", "completed 已完成", "submitted 待验收", "closed 已销号"],
        ItemState.CLOSED,
        2,
    )


def test_fire_start_second_rectification_sends_the_case_back_to_centralised(
    supervised_file: Path,
) -> None:
    """After the report, 二次整改 goes back to the centralised period."""
    for trigger in ("start_centralised", "submit_report", "start_second_rectification"):
        code, out, _ = run("fire", str(supervised_file), trigger, "--on", "2021-06-02")
        assert code == 0
    assert out.startswith(
        "#18 2021-06-02 start_second_rectification 二次整改 on the case: now centralised"
    )


def test_a_rejection_without_a_reason_exits_2_with_one_line_saying_to_give_it(
    supervised_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``reject`` without ``--note`` (or with a blank one): one line, exit 2, nothing written."""
    before = supervised_file.read_bytes()
    for note in ([], ["--note", "  "]):
        code, out, err = run_main(
            capsys, "fire", str(supervised_file), "reject", "--item", "1.1.2",
            "--on", "2021-06-02", *note,
        )  # fmt: skip
        assert (code, out, err) == (
            2,
            "",
            'rectflow: error: reject needs a reason: give it with --note "…" (why the '
            "submission is sent back: what is missing or wrong)\n",
        )
    assert supervised_file.read_bytes() == before


def test_an_owned_field_error_exits_2_with_one_line(
    case_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OwnedFieldError (a plugin or a guard assigning what the events own) is a mistake
    reported in one line, like every RectflowError, not a traceback."""

    def assigns(*_args: object, **_kwargs: object) -> None:
        raise OwnedFieldError("Measure", "due_on", "rectflow.extend(…)")

    monkeypatch.setattr(_cli_case, "fire", assigns)
    code, _, err = run_main(capsys, "fire", str(case_file), "adopt_plan", "--on", "2021-05-21")
    assert (code, err) == (
        2,
        "rectflow: error: Measure.due_on is changed only by an event, never assigned: "
        "rectflow.extend(…)\n",
    )


def test_fire_with_an_unknown_policy_exits_2(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A policy that does not exist is a mistake named in one line; nothing is written."""
    before = case_file.read_bytes()
    code, _, err = run_main(
        capsys, "fire", str(case_file), "adopt_plan", "--on", "2021-05-21", "--policy", "nope"
    )
    assert code == 2
    assert "nope" in err
    assert len(err.splitlines()) == 1
    assert case_file.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["close", "--item", "1.1.1"],
            "rectflow: error: can't close item 1.1.1: it is in_progress; allowed there: "
            "mark_basically_completed, mark_long_term, complete",
        ),
        (["fly", "--item", "1.1.1"], "rectflow: error: unknown item trigger 'fly' (known: start"),
        (["start", "--item", "9.9"], "rectflow: error: case 'qy-2021' has no problem or measure"),
        (["close_case"], "rectflow: error: can't close_case the case: it is plan_adopted"),
    ],
)
def test_a_refused_fire_exits_2_with_one_line_and_leaves_the_file(
    case_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """Illegal, unknown trigger or unknown item: one line on stderr, exit 2, file untouched."""
    before = case_file.read_bytes()
    code, out, err = run_main(capsys, "fire", str(case_file), *args, "--on", "2021-05-21")
    assert (code, out) == (2, "")
    assert err.startswith(message)
    assert len(err.splitlines()) == 1
    assert case_file.read_bytes() == before


@pytest.mark.parametrize("day", ["2021-13-01", "2021-02-30", "21-5-1", "yesterday", "20210501"])
def test_a_bad_date_exits_2_with_one_line(
    case_file: Path, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    """Dates are written YYYY-MM-DD and must exist; anything else is named and refused."""
    before = case_file.read_bytes()
    code, _, err = run_main(capsys, "fire", str(case_file), "adopt_plan", "--on", day)
    assert code == 2
    assert err.startswith(f"rectflow: error: {day!r} is not a valid date: --on")
    assert len(err.splitlines()) == 1
    assert case_file.read_bytes() == before


def test_status_with_a_bad_as_of_exits_2(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same rule for ``--as-of``."""
    code, _, err = run_main(capsys, "status", str(case_file), "--as-of", "2021-6-1")
    assert (code, err) == (
        2,
        "rectflow: error: '2021-6-1' is not a valid date: --as-of expects a day written "
        "YYYY-MM-DD\n",
    )


def test_a_missing_case_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path that does not exist is named."""
    missing = tmp_path / "nope.toml"
    code, _, err = run_main(capsys, "status", str(missing))
    assert code == 2
    assert str(missing) in err
    assert len(err.splitlines()) == 1


def test_a_malformed_case_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Broken TOML is a user's mistake: one line naming the file, no traceback."""
    broken = tmp_path / "broken.toml"
    broken.write_text('schema = 1\nid = "x\n', encoding="utf-8")
    code, _, err = run_main(capsys, "status", str(broken))
    assert code == 2
    assert str(broken) in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


# -- diagram and help --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["case", "item"])
def test_diagram_prints_the_mermaid_source(kind: str) -> None:
    """``rectflow diagram KIND`` prints exactly :func:`rectflow.mermaid`."""
    code, out, _ = run("diagram", kind)
    assert (code, out) == (0, mermaid(kind))


def test_diagram_shows_acceptance_and_the_second_rectification() -> None:
    """The new triggers are edges of the diagrams, with their Chinese labels."""
    _, item, _ = run("diagram", "item")
    _, case, _ = run("diagram", "case")
    assert [
        "completed --> submitted: submit 报请销号" in item,
        "submitted --> closed: accept 验收通过（销号）" in item,
        "submitted --> in_progress: reject 驳回" in item,
        'state "待验收<br/>submitted" as submitted' in item,
        "reviewed --> centralised: start_second_rectification 二次整改" in case,
    ] == [True] * 5


def test_diagram_of_an_unknown_kind_is_a_usage_error() -> None:
    """Only ``case`` and ``item`` exist."""
    code, _, err = run("diagram", "problem")
    assert code == 2
    assert "'problem' is not one of 'case', 'item'" in err


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("status", ["--as-of", "--items", "--format"]),
        ("status", ["--lang"]),
        (
            "fire",
            [
                "--item",
                "--on",
                "--actor",
                "--note",
                "--policy",
                "--no-guards",
                "reopen",
                "submit",
                "accept",
                "reject",
                "start_second_rectification",
            ],
        ),
        ("diagram", ["case|item"]),
    ],
)
def test_every_command_has_help(command: str, options: list[str]) -> None:
    """``--help`` describes each option (fire's lists the triggers too)."""
    code, out, _ = run(command, "--help")
    assert code == 0
    for option in options:
        assert option in out


# -- the installed command ---------------------------------------------------------------------


@pytest.mark.skipif(not RECTFLOW.exists(), reason="the rectflow script is not installed here")
def test_the_installed_command_exits_0_2_and_hides_tracebacks_unless_debug(
    case_file: Path,
) -> None:
    """As a user runs it: 0 on success, 2 and one line on a mistake, a traceback with --debug."""

    def real(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(RECTFLOW), *args], capture_output=True, text=True, timeout=60, check=False
        )

    ok = real("status", str(case_file))
    assert (ok.returncode, ok.stderr) == (0, "")
    assert "qy-2021" in ok.stdout
    mistake = real("fire", str(case_file), "close", "--item", "1.1.1", "--on", "2021-05-21")
    assert mistake.returncode == 2
    assert mistake.stderr.startswith("rectflow: error: can't close item 1.1.1")
    assert "Traceback" not in mistake.stderr
    debug = real(
        "--debug", "fire", str(case_file), "close", "--item", "1.1.1", "--on", "2021-05-21"
    )
    assert debug.returncode == 2
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1].startswith("rectflow: error: can't close")
