"""Reports: sorted violations, errors and ok, text (en/zh) and JSON renderings."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow import Level, Report, Violation
from rectflow._core.report import render_json, render_text

AS_OF = dt.date(2025, 5, 6)

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


def test_the_text_form_is_a_heading_then_one_line_per_violation_worst_first() -> None:
    """Each line: level, code, place, message, the dates and basis, the hint."""
    text = _report(SLOW, LATE, caveats=("holidays were not considered",)).to_text()
    lines = text.splitlines()
    assert lines[0] == (
        "seed-001 (cases/seed-001.toml) as of 2025-05-06, policy xuncha: "
        "1 error, 1 warning, 0 infos"
    )
    assert lines[1] == (
        "  error   deadline.report  report_on: no report: due by 2024-06-28 "
        "[due 2024-06-28; actual 2025-05-06; basis 定远县 巡察工作制度] "
        "hint: submit the report and record report_on"
    )
    assert lines[2].startswith("  warning disclosure.timing  disclosures[0]: ")
    assert lines[3] == "  note: holidays were not considered"
    assert len(lines) == 4


def test_a_third_party_plugin_is_named_on_its_lines() -> None:
    """Built-in checks are not named; another plugin's findings say where they come from."""
    assert "[plugin example-rules]" in _report(NOTE).to_text()
    assert "plugin rectflow" not in _report(LATE).to_text()


def test_the_chinese_text_uses_the_chinese_messages_and_level_words() -> None:
    """--lang zh: 错误/警告/提示 and message_zh."""
    text = _report(LATE, SLOW).to_text("zh")
    lines = text.splitlines()
    assert lines[0] == (
        "seed-001 (cases/seed-001.toml) 截至 2025-05-06,规则集 xuncha:1 条错误,1 条警告,0 条提示"
    )
    assert lines[1].startswith(
        "  错误 deadline.report  report_on: 未报送整改报告:应于2024-06-28前报送 [期限"
    )
    assert lines[2].startswith("  警告 disclosure.timing")


def test_a_clean_report_says_so() -> None:
    """No violations: one line saying none were found."""
    assert _report().to_text().splitlines()[1] == "  no violations"
    assert _report().to_text("zh").splitlines()[1] == "  未发现问题"


def test_the_json_form_has_exactly_the_documented_keys() -> None:
    """{"cases": [{"case", "file", "as_of", "policy", "violations": [...], "caveats"}]}."""
    document = json.loads(render_json([_report(LATE)]))
    assert document == {
        "cases": [
            {
                "case": "seed-001",
                "file": "cases/seed-001.toml",
                "as_of": "2025-05-06",
                "policy": "xuncha",
                "violations": [
                    {
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
                ],
                "caveats": [],
            }
        ]
    }


def test_the_json_form_in_chinese_carries_the_chinese_message() -> None:
    """--lang zh --format json: message is message_zh."""
    document = json.loads(render_json([_report(LATE)], "zh"))
    assert document["cases"][0]["violations"][0]["message"] == LATE.message_zh


def test_several_reports_render_one_block_per_case() -> None:
    """Text blocks are separated by a blank line; JSON lists every case."""
    other = Report("seed-003", AS_OF, "xuncha")
    assert render_text([_report(LATE), other]).count("\n\n") == 1
    assert [c["case"] for c in json.loads(render_json([_report(LATE), other]))["cases"]] == [
        "seed-001",
        "seed-003",
    ]


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
