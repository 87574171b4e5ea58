"""The editing commands: each records one event and saves the file; every refusal is one line,
exit 2, the file untouched byte for byte; ``--on today`` is the one read of the clock;
``rectflow log`` tells the history in words and as JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import rectflow
from rectflow import (
    AccountabilityForm,
    Case,
    Category,
    Evidence,
    EvidenceKind,
    FuzzyDate,
    Grade,
    ItemState,
    Measure,
    Problem,
    ProblemKind,
    Responsibility,
    fire,
)
from rectflow._casefile.files import load_case, save_case
from rectflow._cli import _dates, _editing, _source, edit
from rectflow._cli.main import main
from rectflow._core.events import Event
from rectflow._rules.plugins import plugin_manager
from rectflow.errors import OwnedFieldError

D = dt.date


def small_case() -> Case:
    """Problem 1.1 with a measure due 2021-04-30 (张三 / 办公室) and one without a deadline;
    problem 1.2 without measures."""
    return Case(
        "edit-2021",
        inspected_body="某某局党组",
        feedback_on=FuzzyDate.parse("2021-03-01"),
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
                                Responsibility(leader="张三", department="办公室"),
                                D(2021, 4, 30),
                            ),
                            Measure("1.1.2", "开展专题学习"),
                        ],
                    ),
                    Problem("1.2", "制度执行不严"),
                ],
            )
        ],
    )


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """The small case saved as a case file."""
    path = tmp_path / "case.toml"
    save_case(small_case(), path)
    return path


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests read English unless they say otherwise, whatever the machine's locale."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``rectflow`` as a person does: ``main`` turns mistakes into one line and exit 2."""
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


def last(path: Path) -> Event:
    return load_case(path).events[-1]


# -- each command records one event ------------------------------------------------------------


def test_assign_replaces_the_parts_given_and_keeps_the_others(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--person`` adds the person; the leader and the department stay."""
    code, out, err = run(
        capsys, "assign", str(case_file), "1.1.1", "--person", "王五", "--on", "2021-05-01",
        "--actor", "办公室",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "#1 2021-05-01 1.1.1: responsibility assigned (assign) by 办公室 — responsibility "
        "张三 / 办公室 → 张三 / 办公室 / 王五",
        f"saved {case_file}",
    ]
    assert load_case(case_file).item("1.1.1").responsibility == Responsibility(
        "张三", "办公室", "王五"
    )


def test_assign_clear_removes_the_responsibility(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--clear`` records an assign to no one."""
    code, out, _ = run(capsys, "assign", str(case_file), "1.1.1", "--clear", "--on", "2021-05-01")
    assert code == 0
    assert "responsibility 张三 / 办公室 → none" in out
    assert load_case(case_file).item("1.1.1").responsibility is None


def test_set_due_then_extend_keep_the_original_deadline_on_record(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A deadline set, then moved by an approved extension with a role."""
    path = str(case_file)
    code, out, _ = run(capsys, "set-due", path, "1.1.2", "2021-05-31", "--on", "2021-04-01")
    assert code == 0
    assert out.splitlines()[0] == "#1 2021-04-01 1.1.2: deadline set (set_due) — due 2021-05-31"
    code, out, _ = run(
        capsys, "extend", path, "1.1.2", "2021-06-30", "--approver", "县委巡察工作领导小组",
        "--role", "领导小组", "--reason", "需待年度审计", "--on", "2021-05-20",
        "--actor", "巡察办", "--note", "会议研究同意",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == (
        "#2 2021-05-20 1.1.2: deadline extended (extend) by 巡察办 — due 2021-05-31 → "
        "2021-06-30, approved by 县委巡察工作领导小组 (领导小组), reason: 需待年度审计 — "
        "note: 会议研究同意"
    )
    case = load_case(case_file)
    assert case.item("1.1.2").due_on == D(2021, 6, 30)
    (ext,) = rectflow.extensions(case, "1.1.2")
    assert (ext.previous_due_on, ext.due_on, ext.approver, ext.role, ext.reason) == (
        D(2021, 5, 31),
        D(2021, 6, 30),
        "县委巡察工作领导小组",
        "领导小组",
        "需待年度审计",
    )


def test_edit_text_changes_a_measure_text_and_a_problem_title(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both kinds of item; the event keeps the text before."""
    path = str(case_file)
    assert run(capsys, "edit-text", path, "1.1.2", "开展专题学习三次", "--on", "2021-04-01")[0] == 0
    code, out, _ = run(capsys, "edit-text", path, "1.2", "制度执行不严格", "--on", "2021-04-02")
    assert code == 0
    assert "text “制度执行不严” → “制度执行不严格”" in out
    case = load_case(case_file)
    measure, problem = case.item("1.1.2"), case.item("1.2")
    assert isinstance(measure, Measure)
    assert isinstance(problem, Problem)
    assert (measure.text, problem.title) == (
        "开展专题学习三次",
        "制度执行不严格",
    )
    assert case.events[0].data["previous_text"] == "开展专题学习"


def test_evidence_add_takes_the_kind_by_its_chinese_name(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--kind 会议纪要`` is minutes; the actor is who added it."""
    code, out, _ = run(
        capsys, "evidence", "add", str(case_file), "1.1.1", "--title", "党组会会议纪要",
        "--kind", "会议纪要", "--dated", "2021-04-20", "--reference", "档案 2021-07",
        "--public", "--on", "2021-04-21", "--actor", "办公室",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0].endswith(
        "evidence “党组会会议纪要” (minutes, dated 2021-04-20, reference 档案 2021-07, public)"
    )
    assert load_case(case_file).item("1.1.1").evidence == (
        Evidence(
            "党组会会议纪要", EvidenceKind.MINUTES, D(2021, 4, 20), "档案 2021-07", "办公室", True
        ),
    )


def test_problem_add_with_a_new_category_and_measure_add_to_it(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review's finding joins the ledger with its category, then gets a measure."""
    path = str(case_file)
    code, out, _ = run(
        capsys, "problem", "add", path, "2", "2.1", "--title", "整改不到位",
        "--category-title", "回头看发现的问题", "--kind", "重点问题", "--on", "2021-06-01",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == (
        "#1 2021-06-01 2.1: problem added (add_problem) — in new category 2 “回头看发现的问题”"
    )
    code, out, _ = run(
        capsys, "measure", "add", path, "2.1", "2.1.1", "--text", "逐项销号",
        "--due", "2021-07-31", "--department", "办公室", "--on", "2021-06-02",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == "#2 2021-06-02 2.1.1: measure added (add_measure)"
    case = load_case(case_file)
    problem = case.item("2.1")
    measure = case.item("2.1.1")
    assert isinstance(problem, Problem)
    assert (problem.kind, case.categories[-1].title) == (ProblemKind.KEY, "回头看发现的问题")
    assert measure == Measure(
        "2.1.1",
        "逐项销号",
        Responsibility(department="办公室"),
        D(2021, 7, 31),
        added_on=D(2021, 6, 2),
    )
    assert rectflow.replay(case) == case


def test_accountability_add_takes_the_form_by_a_notice_word(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``诫勉`` (a notice's word) is admonishing_talk; recorded on the problem."""
    code, out, _ = run(
        capsys, "accountability", "add", str(case_file), "--form", "诫勉", "--people", "2",
        "--problem", "1.1", "--on", "2021-06-01", "--note", "学习制度落实不力", "--lang", "zh",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines() == [
        "#1 2021-06-01 1.1：问责；诫勉谈话2人；备注：学习制度落实不力",
        f"已保存 {case_file}",
    ]
    assert rectflow.accountability_counts(load_case(case_file)) == {
        AccountabilityForm.ADMONISHING_TALK: 2
    }


def test_evaluate_records_the_grade_score_and_evaluator(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--grade 较好`` is fairly_good."""
    code, out, _ = run(
        capsys, "evaluate", str(case_file), "--grade", "较好", "--score", "88",
        "--by", "县委巡察办", "--on", "2021-09-01",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == (
        "#1 2021-09-01 the case: evaluated (evaluate) — grade fairly_good 较好, score 88, "
        "by 县委巡察办"
    )
    evaluation = load_case(case_file).evaluations[-1]
    assert (evaluation.grade, evaluation.score, evaluation.by) == (
        Grade.FAIRLY_GOOD,
        88.0,
        "县委巡察办",
    )


# -- the day -----------------------------------------------------------------------------------


def test_on_today_reads_the_clock_in_one_place(
    case_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--on today`` and ``--recorded-on today`` are the day ``_dates.today`` says."""
    monkeypatch.setattr(_dates, "today", lambda: D(2021, 7, 9))
    path = str(case_file)
    assert run(capsys, "set-due", path, "1.1.2", "2021-08-31", "--on", "today")[0] == 0
    assert last(case_file).on == D(2021, 7, 9)
    code, out, _ = run(
        capsys, "assign", path, "1.1.2", "--person", "李四", "--on", "2021-07-01",
        "--recorded-on", "TODAY",
    )  # fmt: skip
    assert code == 0
    assert (last(case_file).on, last(case_file).recorded_on) == (D(2021, 7, 1), D(2021, 7, 9))
    assert out.startswith("#2 2021-07-01 (recorded 2021-07-09) 1.1.2: responsibility assigned")


def test_without_on_nothing_defaults_to_the_clock(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Leaving ``--on`` out is refused with what to write."""
    before = case_file.read_bytes()
    code, out, err = run(capsys, "set-due", str(case_file), "1.1.2", "2021-08-31")
    assert (code, out, err) == (
        2,
        "",
        "rectflow: error: --on is missing: give the day it happened: --on YYYY-MM-DD, or --on "
        "today (nothing defaults to the clock)\n",
    )
    assert case_file.read_bytes() == before


def test_chinese_is_the_default_under_a_zh_cn_locale(
    case_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``LANG=zh_CN.UTF-8`` answers in Chinese without ``--lang``."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, out, _ = run(
        capsys, "set-due", str(case_file), "1.1.2", "2021-08-31", "--on", "2021-07-01"
    )
    assert code == 0
    assert out.splitlines() == [
        "#1 2021-07-01 1.1.2：确定整改时限；整改时限2021-08-31",
        f"已保存 {case_file}",
    ]


# -- refusals ----------------------------------------------------------------------------------

ON = ("--on", "2021-05-01")

REFUSALS = [
    (("set-due", "{f}", "1.1.2", "2021-02-30", *ON), "'2021-02-30' is not a valid date: DATE"),
    (
        ("set-due", "{f}", "1.1.2", "2021-08-31", "--on", "yesterday"),
        "'yesterday' is not a valid date: --on",
    ),
    (
        ("assign", "{f}", "9.9", "--person", "王五", *ON),
        "case 'edit-2021' has no problem or measure",
    ),
    (("assign", "{f}", "1.1.1", *ON), "say who answers for the item: give --leader"),
    (("assign", "{f}", "1.1.1", "--clear", "--person", "王五", *ON), "--clear removes the whole"),
    (("assign", "{f}", "1.1.1", "--person", " ", *ON), "--person is blank: give it a value"),
    (
        ("assign", "{f}", "1.1.1", "--leader", "张三", *ON),
        "item '1.1.1' already has this responsibility",
    ),
    (
        ("set-due", "{f}", "1.1.1", "2021-08-31", *ON),
        "item '1.1.1' is already due on 2021-04-30: a deadline moves only by an approved "
        "extension: rectflow extend CASE 1.1.1",
    ),
    (
        ("extend", "{f}", "1.1.1", "2021-04-01", "--approver", "A", "--reason", "R", *ON),
        "an extension moves the deadline of '1.1.1' later than 2021-04-30, not to 2021-04-01",
    ),
    (
        ("extend", "{f}", "1.1.2", "2021-08-31", "--approver", "A", "--reason", "R", *ON),
        "item '1.1.2' has no deadline to extend: set one with rectflow set-due CASE 1.1.2",
    ),
    (
        ("extend", "{f}", "1.1.1", "2021-08-31", "--approver", "A", *ON),
        "--reason is missing: give why the deadline moves",
    ),
    (
        ("extend", "{f}", "1.1.1", "2021-08-31", "--approver", " ", "--reason", "R", *ON),
        "--approver is blank: give who approved",
    ),
    (("edit-text", "{f}", "1.1.2", "开展专题学习", *ON), "item '1.1.2' already reads so"),
    (
        ("evidence", "add", "{f}", "1.1.1", "--title", "纪要", "--kind", "video", *ON),
        "--kind 'video' is not known: give one of document (文件)",
    ),
    (("evidence", "add", "{f}", "1.1.1", *ON), "--title is missing: give what it is"),
    (
        ("measure", "add", "{f}", "1.1", "1.1.1", "--text", "重复", *ON),
        "case 'edit-2021' already has an item '1.1.1'",
    ),
    (
        ("measure", "add", "{f}", "1.1.1", "1.1.1.1", "--text", "子措施", *ON),
        "can't add_measure item 1.1.1",
    ),
    (
        ("problem", "add", "{f}", "9", "9.1", "--title", "新问题", *ON),
        "case 'edit-2021' has no problem or measure '9'",
    ),
    (
        ("problem", "add", "{f}", "1", "1.2", "--title", "重复", *ON),
        "case 'edit-2021' already has an item '1.2'",
    ),
    (
        ("accountability", "add", "{f}", "--form", "记过", "--people", "1", *ON),
        "--form '记过' is not known",
    ),
    (
        ("accountability", "add", "{f}", "--form", "批评教育", "--people", "0", *ON),
        "--people '0' is not a number of people",
    ),
    (
        (
            "accountability",
            "add",
            "{f}",
            "--form",
            "批评教育",
            "--people",
            "1",
            "--problem",
            "1.1.1",
            *ON,
        ),
        "'1.1.1' is a measure; accountability names the problem",
    ),
    (
        ("evaluate", "{f}", "--grade", "excellent", *ON),
        "--grade 'excellent' is not known: give one of good (好)",
    ),
    (
        ("evaluate", "{f}", "--grade", "一般", "--score", "101", *ON),
        "--score '101' is not a score out of 100",
    ),
    (("evaluate", "{f}", *ON), "--grade is missing: give the grade"),
    (
        ("set-due", "{f}", "1.1.2", "2021-08-31", "--policy", "nope", *ON),
        "nope: no preset of that name and no such file",
    ),
    (
        ("set-due", "{f}", "1.1.2", "2021-08-31", "--on", "2021-02-01"),
        "'set_due' on item 1.1.2 dated 2021-02-01: it is before the case's feedback",
    ),
    (("log", "{f}", "--item", "9.9"), "case 'edit-2021' has no problem or measure '9.9'"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[m[:40] for _, m in REFUSALS])
def test_a_refusal_is_one_line_exit_2_and_the_file_is_untouched(
    case_file: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    """Bad dates, unknown items, edits that change nothing or break a rule of the model."""
    before = case_file.read_bytes()
    code, out, err = run(capsys, *(a.format(f=case_file) for a in args))
    assert (code, out) == (2, "")
    assert err.startswith("rectflow: error: ")
    assert message.lower() in err.lower()
    assert len(err.splitlines()) == 1
    assert case_file.read_bytes() == before


def test_an_event_dated_before_the_item_history_is_refused_unless_recorded_late(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """EventOrderError: one line saying to give --recorded-on; with it, the edit is recorded."""
    case = load_case(case_file)
    fire(case, "start", item="1.1.1", on=D(2021, 5, 10))
    save_case(case, case_file)
    before = case_file.read_bytes()
    extend = ("extend", str(case_file), "1.1.1", "2021-06-30", "--approver", "巡察办",
              "--reason", "延期", "--on", "2021-05-01")  # fmt: skip
    code, _, err = run(capsys, *extend)
    assert code == 2
    assert "recorded-on" in err
    assert len(err.splitlines()) == 1
    assert case_file.read_bytes() == before
    code, _, _ = run(capsys, *extend, "--recorded-on", "2021-05-11")
    assert code == 0
    assert (last(case_file).on, last(case_file).recorded_on) == (D(2021, 5, 1), D(2021, 5, 11))


def test_an_owned_field_error_is_one_line(
    case_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field the events own assigned around them (by a plugin or a guard) is one line."""

    def assigns(*_args: object, **_kwargs: object) -> None:
        raise OwnedFieldError("Measure", "responsibility", "rectflow.assign(…)")

    monkeypatch.setattr(edit, "assign", assigns)
    before = case_file.read_bytes()
    code, _, err = run(capsys, "assign", str(case_file), "1.1.1", "--person", "王五", *ON)
    assert (code, err) == (
        2,
        "rectflow: error: Measure.responsibility is changed only by an event, never assigned: "
        "rectflow.assign(…)\n",
    )
    assert case_file.read_bytes() == before


def test_a_concurrent_save_is_refused_and_the_other_writer_kept(
    case_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves the file between our load and our save: ours is refused (one line, exit
    2), theirs stays."""
    real_load = load_case

    def load_then_someone_saves(path: Path) -> Case:
        ours = real_load(path)
        theirs = real_load(path)
        fire(theirs, "start", item="1.1.2", on=D(2021, 5, 2))
        save_case(theirs, path)
        return ours

    monkeypatch.setattr(_source, "load_case", load_then_someone_saves)
    code, out, err = run(capsys, "set-due", str(case_file), "1.1.2", "2021-08-31", *ON)
    assert (code, out) == (2, "")
    assert err.startswith("rectflow: error: ")
    assert "version" in err
    assert len(err.splitlines()) == 1
    saved = load_case(case_file)
    assert ([e.trigger for e in saved.events], saved.item("1.1.2").due_on) == (["start"], None)
    assert saved.item("1.1.2").state is ItemState.IN_PROGRESS


# -- the host is told --------------------------------------------------------------------------


class Told:
    """A host plugin that keeps what it is told, and one that crashes."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int, str]] = []

    @rectflow.hookimpl
    def rectflow_event_recorded(self, case: Case, event: Event) -> None:
        self.seen.append((case.id, event.seq, event.trigger))


class Crashes:
    @rectflow.hookimpl
    def rectflow_event_recorded(self, case: Case, event: Event) -> None:
        raise RuntimeError("ticket system down")


def test_the_host_is_told_of_each_recorded_event_and_a_crash_is_a_warning(
    case_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``rectflow_event_recorded`` after the save; a crashing plugin is said on stderr, the
    event stays recorded and the exit code is 0."""
    told = Told()

    def manager() -> rectflow.Plugins:
        plugins = plugin_manager(load_entry_points=False)
        plugins.register(told, name="host")
        plugins.register(Crashes(), name="flaky")
        return plugins

    monkeypatch.setattr(_editing, "plugin_manager", manager)
    code, _, err = run(capsys, "set-due", str(case_file), "1.1.2", "2021-08-31", *ON)
    assert code == 0
    assert told.seen == [("edit-2021", 1, "set_due")]
    assert err.startswith("rectflow: warning: plugin.crashed: ")
    assert "flaky" in err
    assert last(case_file).trigger == "set_due"
    code, _, _ = run(capsys, "set-due", str(case_file), "1.1.1", "2021-08-31", *ON)
    assert code == 2
    assert told.seen == [("edit-2021", 1, "set_due")]  # a refusal tells no one


# -- log ---------------------------------------------------------------------------------------


@pytest.fixture
def logged_file(case_file: Path) -> Path:
    """The small case with an extension, a rejection and a late recording."""
    case = load_case(case_file)
    rectflow.extend(
        case, "1.1.1", D(2021, 6, 30), approver="县委巡察工作领导小组", reason="需待年度审计",
        on=D(2021, 4, 20), actor="巡察办",
    )  # fmt: skip
    fire(case, "start", item="1.1.2", on=D(2021, 5, 1))
    fire(case, "complete", item="1.1.2", on=D(2021, 5, 10))
    fire(case, "submit", item="1.1.2", on=D(2021, 5, 11), actor="办公室")
    fire(case, "reject", item="1.1.2", on=D(2021, 5, 12), actor="巡察办", note="记录不全")
    fire(case, "start", item="1.1.1", on=D(2021, 4, 25), recorded_on=D(2021, 5, 13))
    save_case(case, case_file)
    return case_file


def test_log_tells_each_event_in_one_line(
    logged_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Number, day, recorded day when late, target, what happened, who, change, note."""
    code, out, _ = run(capsys, "log", str(logged_file), "--lang", "en")
    assert code == 0
    assert out.splitlines() == [
        "#1 2021-04-20 1.1.1: deadline extended (extend) by 巡察办 — due 2021-04-30 → "
        "2021-06-30, approved by 县委巡察工作领导小组, reason: 需待年度审计",
        "#2 2021-05-01 1.1.2: work started (start)",
        "#3 2021-05-10 1.1.2: completed (complete)",
        "#4 2021-05-11 1.1.2: submitted for acceptance (submit) by 办公室",
        "#5 2021-05-12 1.1.2: rejected (reject) by 巡察办 — note: 记录不全",
        "#6 2021-04-25 (recorded 2021-05-13) 1.1.1: work started (start)",
    ]


def test_log_in_chinese_for_one_item(logged_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--item`` keeps the item's events; the Chinese labels are labels.py's."""
    code, out, _ = run(capsys, "log", str(logged_file), "--item", "1.1.1", "--lang", "zh")
    assert code == 0
    assert out.splitlines() == [
        "#1 2021-04-20 1.1.1：延期（调整整改时限），经办：巡察办；整改时限2021-04-30 → "
        "2021-06-30，批准：县委巡察工作领导小组，理由：需待年度审计",
        "#6 2021-04-25（2021-05-13补记） 1.1.1：开始整改",
    ]


def test_log_of_a_problem_includes_its_measures_and_an_empty_log_says_so(
    logged_file: Path, case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A problem's history is its measures' too; an item without events says "no events"."""
    _, out, _ = run(capsys, "log", str(logged_file), "--item", "1.1")
    assert [line.split()[0] for line in out.splitlines()] == [f"#{n}" for n in range(1, 7)]
    _, out, _ = run(capsys, "log", str(logged_file), "--item", "1.2")
    assert out == "no events\n"


def test_log_as_json_is_the_versioned_rectflow_log_form(
    logged_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``format``/``version``, the case, the item and every event with its data as JSON."""
    code, out, _ = run(capsys, "log", str(logged_file), "--item", "1.1.1", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {k: v for k, v in data.items() if k != "events"} == {
        "format": "rectflow.log",
        "version": 1,
        "file": str(logged_file),
        "case": "edit-2021",
        "item": "1.1.1",
    }
    assert data["events"] == [
        {
            "seq": 1,
            "on": "2021-04-20",
            "recorded_on": None,
            "trigger": "extend",
            "words_en": "deadline extended",
            "words_zh": "延期（调整整改时限）",
            "target": "1.1.1",
            "actor": "巡察办",
            "note": None,
            "data": {
                "approver": "县委巡察工作领导小组",
                "due_on": "2021-06-30",
                "previous_due_on": "2021-04-30",
                "reason": "需待年度审计",
            },
            "change_en": "due 2021-04-30 → 2021-06-30, approved by 县委巡察工作领导小组, "
            "reason: 需待年度审计",
            "change_zh": "整改时限2021-04-30 → 2021-06-30，批准：县委巡察工作领导小组，"
            "理由：需待年度审计",
        },
        {
            "seq": 6,
            "on": "2021-04-25",
            "recorded_on": "2021-05-13",
            "trigger": "start",
            "words_en": "work started",
            "words_zh": "开始整改",
            "target": "1.1.1",
            "actor": None,
            "note": None,
            "data": {},
            "change_en": None,
            "change_zh": None,
        },
    ]
