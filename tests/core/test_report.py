"""Reports: sorted violations, errors and ok; the text for people (grouped by case and item, a
summary line first, nothing the grouping says repeated), the tables at a terminal, and JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

import rectflow
from rectflow import Case, Category, Level, Measure, Problem, ProblemKind, Report, Violation
from rectflow._core.report import (
    TITLE_WIDTH,
    item_of,
    render_json,
    render_rich,
    render_text,
    summary_line,
)

AS_OF = dt.date(2025, 5, 6)
HOLIDAYS = "working days counted Monday-Friday; public holidays were not considered"
HOLIDAYS_ZH = "工作日按周一至周五计算，未考虑法定节假日"  # from the zh_CN catalogue

LATE = Violation(
    code="deadline.report",
    level=Level.ERROR,
    where="report_on",
    message="no report: due by 2024-06-28",
    message_zh="未报送整改报告:应于2024-06-28前报送",
    hint="submit the report and record report_on",
    due=dt.date(2024, 6, 28),
    actual=AS_OF,
    basis="定远县 巡察工作制度",
    plugin="rectflow.checks.deadline",
)
SLOW = Violation(
    code="disclosure.timing",
    level=Level.WARNING,
    where="disclosures[0]",
    message="the first disclosure is late",
    message_zh="首次公开晚于期限",
    hint="publish within 3 months",
    due=dt.date(2024, 9, 27),
    actual=dt.date(2025, 4, 7),
    basis="practice",
    plugin="rectflow.checks.disclosure",
)
NOTE = Violation("hospital.note", Level.INFO, "case", "fyi", plugin="example-rules")


def _report(*violations: Violation, caveats: tuple[str, ...] = ()) -> Report:
    return Report("seed-001", AS_OF, "xuncha", violations, caveats, "cases/seed-001.toml")


def _overdue(problem: str, measure: str, due: dt.date, level: Level = Level.ERROR) -> Violation:
    """A deadline.overdue finding worded as the built-in check words it."""
    days = (AS_OF - due).days
    return Violation(
        code="deadline.overdue",
        level=level,
        where=f"problems[{problem}].measures[{measure}]",
        message=f"measure {measure} is overdue: due {due}, still in_progress as of {AS_OF} "
        f"({days} days late)",
        message_zh=f"整改措施{measure}已逾期：完成时限{due}，截至{AS_OF}仍为“正在推进”（逾期{days}天）",
        hint="complete the measure, or record an approved extension (rectflow.extend)",
        due=due,
        actual=AS_OF,
        basis="the case's own rectification plan",
        plugin="rectflow.checks.deadline",
    )


def _ledger() -> Case:
    """Problems held out of numeric order: 3 before 1 (ledger order is the notice's)."""
    return Case(
        "hospital",
        categories=[
            Category(
                "一",
                problems=[
                    Problem(
                        "3",
                        title="采购管理不规范，小额采购未经集体研究" * 3,
                        measures=[Measure("3.1", text="修订采购办法"), Measure("3.2", text="复查")],
                    ),
                    Problem(
                        "1",
                        title="档案管理混乱",
                        measures=[Measure("1.1", text="逐人复核档案")],
                    ),
                    Problem("1.9", title="线索", kind=ProblemKind.CLUE),
                ],
            )
        ],
    )


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# -- the model -------------------------------------------------------------------------------------


def test_violations_are_sorted_worst_first_whatever_order_they_came_in() -> None:
    """Errors, then warnings, then infos; then by place and code."""
    assert _report(NOTE, SLOW, LATE).violations == (LATE, SLOW, NOTE)


@given(st.permutations([LATE, SLOW, NOTE, Violation("a.b", Level.ERROR, "case", "m")]))
def test_the_order_of_a_report_does_not_depend_on_the_order_found(
    found: list[Violation],
) -> None:
    """Any permutation of the same violations gives the same report."""
    assert _report(*found) == _report(LATE, SLOW, NOTE, Violation("a.b", Level.ERROR, "case", "m"))


def test_ok_means_no_error_and_warnings_do_not_fail() -> None:
    """A report with warnings only is ok; one error is not."""
    assert _report(SLOW, NOTE).ok
    assert not _report(SLOW, LATE).ok
    assert _report(SLOW, LATE).errors == (LATE,)
    assert _report(SLOW, LATE).warnings == (SLOW,)
    assert _report(LATE, SLOW, NOTE).counts() == {Level.ERROR: 1, Level.WARNING: 1, Level.INFO: 1}


def test_a_path_names_the_item_it_is_about_or_none_for_the_case() -> None:
    """The innermost problem or measure of a path; the case's own fields name no item."""
    assert item_of("problems[2.1].measures[2.1.3]") == "2.1.3"
    assert item_of("problems[2.1].measures[2.1.3].evidence[0]") == "2.1.3"
    assert item_of("problems[2.3]") == "2.3"
    assert [item_of(w) for w in ("case", "report_on", "disclosures[0]", "problems")] == [
        None,
        None,
        None,
        None,
    ]


# -- the summary line ------------------------------------------------------------------------------


def _tally_reports() -> list[Report]:
    """3 cases holding 12 errors, 40 warnings and 5 infos between them."""
    made = [
        Violation(f"r.{level.value}", level, f"disclosures[{n}]", "m")
        for level, count in ((Level.ERROR, 12), (Level.WARNING, 40), (Level.INFO, 5))
        for n in range(count)
    ]
    return [Report(f"c{k}", AS_OF, "xuncha", made[k::3]) for k in range(3)]


def test_the_summary_line_comes_first_in_english() -> None:
    """`3 cases: 12 errors, 40 warnings, 5 infos`; singular words for one."""
    reports = _tally_reports()
    assert summary_line(reports) == "3 cases: 12 errors, 40 warnings, 5 infos"
    assert render_text(reports).splitlines()[0] == "3 cases: 12 errors, 40 warnings, 5 infos"
    assert _report(LATE, NOTE).to_text().splitlines()[0] == "1 case: 1 error, 0 warnings, 1 info"


def test_the_summary_line_comes_first_in_chinese() -> None:
    """`3个案件：错误12项，警告40项，提示5项`."""
    reports = _tally_reports()
    assert render_text(reports, "zh").splitlines()[0] == "3个案件：错误12项，警告40项，提示5项"
    assert _report().to_text("zh").splitlines()[0] == "1个案件：错误0项，警告0项，提示0项"


# -- grouping and ordering ---------------------------------------------------------------------


def test_the_cases_own_findings_come_first_then_items_in_ledger_order() -> None:
    """Problem 3's measures before problem 1's (the ledger's order, not the ids'); each item
    once, with its id and its title, however many findings it has."""
    report = Report(
        "hospital",
        AS_OF,
        "xuncha",
        [
            _overdue("1", "1.1", dt.date(2025, 4, 1)),
            _overdue("3", "3.2", dt.date(2025, 4, 2), Level.WARNING),
            _overdue("3", "3.1", dt.date(2025, 4, 3)),
            Violation("evidence.dated", Level.INFO, "problems[3].measures[3.1].evidence[0]", "x"),
            NOTE,
            LATE,
        ],
    )
    lines = report.to_text(case=_ledger()).splitlines()
    body = lines[: lines.index("rules:")]
    headings = [line.strip() for line in body if line.startswith("  ") and line[2] != " "]
    assert headings == [
        "as of 2025-05-06, policy xuncha",
        "whole case",
        "measure 3.1  修订采购办法",
        "measure 3.2  复查",
        "measure 1.1  逐人复核档案",
    ]
    under = lines[lines.index("  measure 3.1  修订采购办法") + 1 :][:2]
    assert [line.split()[:2] for line in under] == [
        ["error", "deadline.overdue"],
        ["info", "evidence.dated"],
    ]
    assert under[1].endswith("evidence[0]: x")
    case_lines = lines[lines.index("  whole case") + 1 :][:2]
    assert [line.split()[1] for line in case_lines] == ["deadline.report", "hospital.note"]


def test_a_problem_is_named_by_its_kind_and_its_title_is_clipped() -> None:
    """A clue is a clue; a long title is cut to TITLE_WIDTH columns with an ellipsis."""
    report = Report(
        "hospital",
        AS_OF,
        "xuncha",
        [
            Violation("deadline.clue", Level.WARNING, "problems[1.9]", "clue 1.9 is late"),
            Violation("x.y", Level.ERROR, "problems[3]", "problem 3 is bad"),
        ],
    )
    lines = report.to_text(case=_ledger()).splitlines()
    (problem,) = [line for line in lines if line.startswith("  problem 3  ")]
    title = problem.removeprefix("  problem 3  ")
    assert title.endswith("…")
    assert _display_width(title) <= TITLE_WIDTH
    assert "采购管理不规范" in title
    assert "  clue 1.9  线索" in lines
    zh = report.to_text("zh", case=_ledger()).splitlines()
    assert "  问题线索1.9  线索" in zh
    assert any(line.startswith("  问题3  采购管理不规范") for line in zh)


def test_without_the_case_items_are_named_by_id_in_natural_order() -> None:
    """No titles to show: 2.9 before 2.10, and the kind read off the path."""
    report = Report(
        "c",
        AS_OF,
        "xuncha",
        [_overdue("2", "2.10", dt.date(2025, 1, 1)), _overdue("2", "2.9", dt.date(2025, 1, 2))],
    )
    lines = report.to_text().splitlines()
    assert lines.index("  measure 2.9") < lines.index("  measure 2.10")


def test_each_line_says_level_code_and_message_without_what_the_heading_says() -> None:
    """`measure 1.1 is overdue ... as of <as-of>` reads `overdue ...` under `measure 1.1`."""
    text = Report("c", AS_OF, "xuncha", [_overdue("1", "1.1", dt.date(2025, 4, 1))]).to_text()
    line = (
        "    error    deadline.overdue  overdue: due 2025-04-01, still in_progress (35 days late)"
    )
    assert line in text.splitlines()
    zh = Report("c", AS_OF, "xuncha", [_overdue("1", "1.1", dt.date(2025, 4, 1))]).to_text("zh")
    line = "    错误  deadline.overdue  已逾期：完成时限2025-04-01，仍为“正在推进”（逾期35天）"
    assert line in zh.splitlines()


@pytest.mark.parametrize(
    ("where", "message", "shown"),
    [
        (
            "problems[3].measures[3.1]",
            "measure 3.1 (problem 3) was closed on 2025-01-02",
            "was closed on 2025-01-02",
        ),
        ("problems[1.9]", "clue 1.9 is still open", "still open"),
        ("problems[3]", "problem 3: no measure", "no measure"),
        ("problems[3].measures[3.1]", "整改措施3.1，未提供佐证材料", "未提供佐证材料"),
        # Another item's name, or the item named later, is kept.
        ("problems[3].measures[3.1]", "measure 3.10 is late", "measure 3.10 is late"),
        ("problems[3].measures[3.1]", "整改措施3.10已逾期", "整改措施3.10已逾期"),
        (
            "problems[3].measures[3.1]",
            "close on measure 3.1 is early",
            "close on measure 3.1 is early",
        ),
        ("problems[3].measures[3.1]", "measure 3.1", "measure 3.1"),  # nothing would be left
    ],
)
def test_the_item_a_message_begins_with_is_left_to_the_heading(
    where: str, message: str, shown: str
) -> None:
    """Only the group's own item, only at the start, and never the whole message."""
    text = Report("c", AS_OF, "xuncha", [Violation("x.y", Level.ERROR, where, message)]).to_text()
    (line,) = [line for line in text.splitlines() if "x.y" in line]
    assert line.split("x.y  ", 1)[1] == shown


def test_dates_are_not_repeated() -> None:
    """The due and actual dates appear once (in the message); the as-of date once per case,
    in its heading, however many findings were judged at it."""
    found = [_overdue("1", "1.1", dt.date(2025, 4, 1)), _overdue("3", "3.1", dt.date(2025, 3, 1))]
    for lang in ("en", "zh"):
        text = Report("hospital", AS_OF, "xuncha", [*found, LATE, SLOW]).to_text(lang, _ledger())
        assert text.count(str(AS_OF)) == 1, text
        for day in ("2025-04-01", "2025-03-01", "2024-06-28", "2024-09-27"):
            assert text.count(day) == 1, (lang, day, text)
        # A date the message does not give is shown once, beside it.
        assert text.count("2025-04-07") == 1


def test_a_date_the_message_does_not_give_is_shown_beside_it() -> None:
    """A plugin's message without its dates: [due …; actual …], never the as-of date."""
    quiet = Violation("x.y", Level.ERROR, "case", "late", due=dt.date(2025, 1, 1), actual=AS_OF)
    other = attrs.evolve(quiet, actual=dt.date(2025, 2, 1))
    assert "late [due 2025-01-01]" in _report(quiet).to_text()
    assert "late [due 2025-01-01; actual 2025-02-01]" in _report(other).to_text()
    assert "late [期限 2025-01-01; 实际 2025-02-01]" in _report(other).to_text("zh")


def test_calendar_caveats_come_once_at_the_end_of_the_whole_report() -> None:
    """Two cases whose deadlines share the weekday caveat: the messages lose their notes, and
    the caveat is printed once, last, in English and in Chinese."""
    noted = attrs.evolve(
        LATE,
        message=f"{LATE.message} (note: {HOLIDAYS})",
        message_zh=f"{LATE.message_zh}(注:{HOLIDAYS})",
    )
    reports = [
        Report(name, AS_OF, "xuncha", [noted], [HOLIDAYS], f"{name}.toml") for name in ("a", "b")
    ]
    text = render_text(reports)
    assert text.count(HOLIDAYS) == 1
    assert text.splitlines()[-1] == f"note: {HOLIDAYS}"
    assert "(note:" not in text
    zh = render_text(reports, "zh")
    assert zh.count(HOLIDAYS_ZH) == 1
    assert zh.splitlines()[-1] == f"注：{HOLIDAYS_ZH}"
    assert "(注:" not in zh


def test_hints_and_bases_come_once_per_rule_at_the_end() -> None:
    """Three overdue measures share one hint and one basis: each is printed once, under its
    rule, in Chinese from the zh_CN catalogue."""
    found = [_overdue("1", m, dt.date(2025, 4, 1)) for m in ("1.1", "1.2", "1.3")]
    english = "complete the measure, or record an approved extension (rectflow.extend)"
    chinese = "请完成该措施，或记录经批准的延期（`rectflow.extend`）"
    for lang, rules, fix, hint, basis in (
        ("en", "rules:", "fix: ", english, "basis: "),
        ("zh", "规则说明：", "建议：", chinese, "依据："),
    ):
        lines = Report("c", AS_OF, "xuncha", found).to_text(lang).splitlines()
        at = lines.index(rules)
        assert lines[at:] == [
            rules,
            "  deadline.overdue",
            f"    {fix}{hint}",
            f"    {basis}the case's own rectification plan",
        ]
        assert sum(hint in line for line in lines) == 1


def test_the_chinese_text_uses_the_chinese_messages_and_headings() -> None:
    """--lang zh: 错误/警告/提示, message_zh, 截至/规则集/文件, 案件整体."""
    lines = _report(LATE, SLOW).to_text("zh").splitlines()
    assert lines[:4] == [
        "1个案件：错误1项，警告1项，提示0项",
        "",
        "seed-001：错误1项，警告1项，提示0项",
        "  截至2025-05-06，规则集 xuncha，文件 cases/seed-001.toml",
    ]
    assert lines[4] == "  案件整体"
    assert lines[5].split() == [
        "错误",
        "deadline.report",
        "report_on：未报送整改报告:应于2024-06-28前报送",
    ]
    assert lines[6].split()[:2] == ["警告", "disclosure.timing"]


def test_a_clean_report_says_so() -> None:
    """No violations: the heading, then a line saying none were found."""
    assert _report().to_text().splitlines()[2:] == [
        "seed-001: 0 errors, 0 warnings, 0 infos",
        "  as of 2025-05-06, policy xuncha, file cases/seed-001.toml",
        "  no violations",
    ]
    assert _report().to_text("zh").splitlines()[-1] == "  未发现问题"


def test_a_third_party_plugin_is_named_on_its_lines() -> None:
    """Built-in checks are not named; another plugin's findings say where they come from."""
    assert "fyi [plugin example-rules]" in _report(NOTE).to_text()
    assert "plugin rectflow" not in _report(LATE).to_text()


def test_several_reports_render_one_block_per_case_after_the_summary() -> None:
    """The summary, then a block per case, each after a blank line."""
    other = Report("seed-003", AS_OF, "xuncha")
    blocks = render_text([_report(LATE), other]).split("\n\n")
    assert [block.splitlines()[0] for block in blocks[:3]] == [
        "2 cases: 1 error, 0 warnings, 0 infos",
        "seed-001: 1 error, 0 warnings, 0 infos",
        "seed-003: 0 errors, 0 warnings, 0 infos",
    ]


def test_the_cases_given_must_match_the_reports() -> None:
    """One case (or None) per report."""
    with pytest.raises(ValueError, match="1 reports but 2 cases"):
        render_text([_report(LATE)], cases=[None, None])


# -- long lines ----------------------------------------------------------------------------------


def test_long_messages_wrap_under_their_message_column() -> None:
    """No line wider than the width (CJK counts two columns); continuation lines start where
    the message started; no word is split and no line starts with a closing mark."""
    english = "the centralised period has no end; " * 8
    chinese = "集中整改期未记录结束日期，最迟应于2024-03-18结束，" * 6
    report = Report(
        "c",
        AS_OF,
        "xuncha",
        [
            Violation("deadline.centralised", Level.WARNING, "centralised", english, chinese),
            Violation("x.long", Level.INFO, "case", "a" * 150),
        ],
    )
    # The message column is 20 columns or more: the widths leave it 28, 68 and 30.
    for lang, width in (("en", 100), ("zh", 100), ("en", 60), ("zh", 62)):
        lines = report.to_text(lang, width=width).splitlines()
        assert all(_display_width(line) <= width for line in lines), (lang, width)
        start = lines.index(next(line for line in lines if "deadline.centralised" in line))
        first = lines[start]
        code_end = first.index("deadline.centralised") + len("deadline.centralised")
        column = _display_width(first[: first.index("centralised", code_end)])
        following = list(lines[start + 1 :])
        wrapped = following[: next(i for i, x in enumerate(following) if "x.long" in x)]
        assert wrapped, (lang, width)
        for line in wrapped:
            assert line[:column].strip() == ""
            assert line[column] not in "，。）：; "
        if lang == "en":
            words = " ".join(line.strip() for line in [first, *wrapped]).split()
            shown = {*english.split(), "warning", "deadline.centralised", "centralised:"}
            assert set(words) <= shown
    # A word longer than a line is cut, never run past the width.
    long_line = [line for line in report.to_text(width=60).splitlines() if "aaaa" in line]
    assert "".join(line.strip() for line in long_line).endswith("a" * 150)


def test_the_tables_wrap_long_findings_within_the_console() -> None:
    """At a terminal: tables no wider than the console, every word of a long finding kept."""
    long = Violation("deadline.centralised", Level.WARNING, "centralised", "word " * 60)
    console = Console(file=io.StringIO(), force_terminal=True, width=70, color_system=None)
    render_rich([Report("c", AS_OF, "xuncha", [long])], console, "en")
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert all(len(line) <= 70 for line in out.splitlines())
    assert out.count("word") == 60


# -- tables at a terminal ------------------------------------------------------------------------


def test_the_tables_show_the_summary_the_groups_and_colour_by_level() -> None:
    """The summary first; per case a table with the item's label and title before its
    findings; errors in red, warnings in yellow; the same words as the text."""
    console = Console(file=io.StringIO(), force_terminal=True, width=100, color_system="standard")
    report = Report(
        "hospital",
        AS_OF,
        "xuncha",
        [
            _overdue("1", "1.1", dt.date(2025, 4, 1)),
            _overdue("3", "3.1", dt.date(2025, 4, 3), Level.WARNING),
            LATE,
        ],
        [HOLIDAYS],
        "hospital.toml",
    )
    render_rich([report], console, "en", [_ledger()])
    raw = console.file.getvalue()  # type: ignore[attr-defined]
    plain = re.sub(r"\x1b\[[0-9;]*m", "", raw)
    lines = plain.splitlines()
    assert lines[0] == "1 case: 2 errors, 1 warning, 0 infos"
    assert "\x1b[1;31merror" in raw  # bold red
    assert "\x1b[33mwarning" in raw  # yellow
    order = [plain.index(x) for x in ("whole case", "measure 3.1", "measure 1.1", "rules")]
    assert order == sorted(order)
    assert "修订采购办法" in plain
    assert plain.count(str(AS_OF)) == 1
    assert plain.count(HOLIDAYS) == 1
    assert lines[-1].strip() == f"note: {HOLIDAYS}"
    console = Console(file=io.StringIO(), force_terminal=True, width=100, color_system=None)
    render_rich([report], console, "zh", [_ledger()])
    zh = console.file.getvalue()  # type: ignore[attr-defined]
    assert zh.splitlines()[0] == "1个案件：错误2项，警告1项，提示0项"
    assert "整改措施3.1" in zh
    assert "已逾期：完成时限2025-04-03" in zh


def test_a_clean_case_at_a_terminal_says_so() -> None:
    """No table for a case without findings: a line saying none were found."""
    console = Console(file=io.StringIO(), force_terminal=True, width=80, color_system=None)
    render_rich([_report()], console, "zh")
    assert console.file.getvalue().splitlines()[-1] == "未发现问题"  # type: ignore[attr-defined]


# -- JSON ------------------------------------------------------------------------------------------


def test_the_json_keeps_every_existing_key_and_value() -> None:
    """The keys rectflow 0.x printed are there with the same values; the added ones are
    `summary`, a case's `counts` and a violation's `item`."""
    document = json.loads(render_json([_report(LATE)]))
    (case,) = document["cases"]
    (violation,) = case.pop("violations")
    assert violation.pop("item") is None
    assert violation == {
        "code": "deadline.report",
        "level": "error",
        "where": "report_on",
        "message": "no report: due by 2024-06-28",
        "hint": "submit the report and record report_on",
        "due": "2024-06-28",
        "actual": "2025-05-06",
        "basis": "定远县 巡察工作制度",
        "plugin": "rectflow.checks.deadline",
    }
    assert case.pop("counts") == {"error": 1, "warning": 0, "info": 0}
    assert case == {
        "case": "seed-001",
        "file": "cases/seed-001.toml",
        "as_of": "2025-05-06",
        "policy": "xuncha",
        "caveats": [],
    }
    assert document.pop("summary") == {"cases": 1, "error": 1, "warning": 0, "info": 0}
    assert list(document) == ["cases"]


def test_the_json_keeps_messages_whole_and_names_the_item() -> None:
    """JSON is not the text: dates and caveat notes stay in the message; item is the id."""
    overdue = _overdue("1", "1.1", dt.date(2025, 4, 1))
    noted = attrs.evolve(overdue, message=f"{overdue.message} (note: {HOLIDAYS})")
    (violation,) = json.loads(render_json([_report(noted)]))["cases"][0]["violations"]
    assert violation["message"] == noted.message
    assert violation["item"] == "1.1"


def test_the_json_form_in_chinese_carries_the_chinese_message() -> None:
    """--lang zh --format json: message is message_zh."""
    document = json.loads(render_json([_report(LATE)], "zh"))
    assert document["cases"][0]["violations"][0]["message"] == LATE.message_zh


def test_several_reports_in_json_list_every_case_and_sum_them() -> None:
    """Every case, in order; the summary adds up their counts."""
    document = json.loads(render_json([_report(LATE), Report("seed-003", AS_OF, "xuncha")]))
    assert [c["case"] for c in document["cases"]] == ["seed-001", "seed-003"]
    assert document["summary"] == {"cases": 2, "error": 1, "warning": 0, "info": 0}


def test_check_fills_the_report_from_the_case_the_policy_and_the_date() -> None:
    """check() names the case, the as-of date and the policy; the file when given."""
    manager = rectflow.plugin_manager(builtins=lambda: (), load_entry_points=False)
    report = rectflow.check(
        rectflow.Case(id="c"),
        policy=rectflow.Policy("mine"),
        as_of=AS_OF,
        plugins=manager,
        file="c.toml",
    )
    assert report == Report("c", AS_OF, "mine", (), (), "c.toml")


def test_the_chinese_json_gives_hints_and_caveats_from_the_catalogue() -> None:
    """``to_dict("zh")``: the Chinese message, and the hint and caveat in Chinese; English
    JSON unchanged."""
    found = [_overdue("1", "1.1", dt.date(2025, 4, 1))]
    report = Report("c", AS_OF, "xuncha", found, caveats=(HOLIDAYS,))
    zh, en = report.to_dict("zh"), report.to_dict()
    assert zh["violations"][0]["hint"] == "请完成该措施，或记录经批准的延期（`rectflow.extend`）"
    assert zh["caveats"] == [HOLIDAYS_ZH]
    assert en["violations"][0]["hint"] == found[0].hint
    assert en["caveats"] == [HOLIDAYS]
