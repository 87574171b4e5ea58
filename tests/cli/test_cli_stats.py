"""``rectflow stats``: the roll-up of case files or a round file as text, JSON and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

import rectflow
from rectflow._cli.main import main

ROOT = Path(__file__).resolve().parents[2]
ROUND = str(ROOT / "examples" / "rounds" / "demo-round.toml")
HONGQIAO = str(ROOT / "examples" / "cases" / "synthetic-hongqiao-first-people-hospital.toml")
JIANGJIN = str(ROOT / "examples" / "policies" / "jiangjin-three-colour.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process as the `rectflow` script does."""
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_round_by_body_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    """The totals with their denominators, then one row per body, then the overdue items."""
    code, out, _ = run(
        capsys, "stats", ROUND, "--by", "body", "--as-of", "2025-06-30", "--lang", "en"
    )
    assert code == 0
    assert out.startswith("Roll-up as of 2025-06-30 (given): 6 case(s), round demo-round")
    assert (
        "189 in all: completed 9, basically completed 0, long-term 2, unfinished 2, "
        "state not stated 176" in out
    )
    assert "completion rate 9/11 = 81.82 %" in out
    assert "on-time rate 20/24 = 83.33 %" in out
    row = next(
        line for line in out.splitlines() if "中共虹桥市第一人民医院委员会" in line and "%" in line
    )
    assert row.split()[1:] == [
        "13",
        "9",
        "0",
        "2",
        "2",
        "0",
        "81.82%",
        "28",
        "3",
        "88.46%",
        "83.33%",
    ]
    assert "3.3.2: due 2024-06-30, 365 day(s) late" in out


def test_the_json_is_the_rollups_own_form(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json is Rollup.to_dict() with the files and the reason for the day."""
    code, out, _ = run(capsys, "stats", HONGQIAO, "--by", "department", "--format", "json")
    assert code == 0
    data = json.loads(out)
    case = rectflow.load_case(HONGQIAO)
    expected = rectflow.rollup(case, as_of=dt.date(2025, 6, 30), by="department").to_dict()
    assert {k: v for k, v in data.items() if k not in ("files", "as_of_reason")} == expected
    assert data["as_of_reason"].startswith("the latest of the cases' own days")
    assert data["files"] == [HONGQIAO]


def test_the_csv_has_a_total_row_and_a_row_per_group(capsys: pytest.CaptureFixture[str]) -> None:
    """--format csv: numerators, denominators and percentages, one row per group."""
    code, out, _ = run(
        capsys, "stats", ROUND, "--by", "kind", "--as-of", "2025-06-30", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["scope"] for r in rows] == ["total", "group", "group", "group", "group"]
    total = rows[0]
    assert (total["problems_total"], total["problems_completion_percent"]) == ("189", "81.82")
    assert (total["items_on_time_numerator"], total["items_on_time_denominator"]) == ("20", "24")
    assert sum(int(r["problems_total"]) for r in rows[1:]) == 189


def test_a_policy_ladder_counts_its_own_levels(capsys: pytest.CaptureFixture[str]) -> None:
    """--policy takes the levels from the policy's escalation ladder."""
    code, out, _ = run(
        capsys, "stats", HONGQIAO, "--policy", JIANGJIN, "--as-of", "2025-06-30", "--format", "json"
    )
    assert code == 0
    levels = [level["name"] for level in json.loads(out)["levels"]]
    policy = rectflow.load_policy(JIANGJIN)
    assert policy.escalation is not None
    assert levels == [level.name for level in policy.escalation.levels]


def test_a_users_mistake_is_one_line_and_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad grouping, a bad day or a broken file: one line on standard error, exit 2."""
    assert run(capsys, "stats", HONGQIAO, "--by", "person")[0] == 2
    code, _, err = run(capsys, "stats", HONGQIAO, "--as-of", "30/06/2025")
    assert (code, err.count("\n")) == (2, 1)
    broken = tmp_path / "broken.toml"
    broken.write_text(
        'schema = 1\nid = "r"\nname = "n"\ninspecting_body = "b"\nteams = 3\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "stats", str(broken))
    assert code == 2
    assert f"{broken}:5: teams: expected a list of teams, got int 3" in err
    empty = tmp_path / "empty.toml"
    empty.write_text('schema = 1\nid = "r"\nname = "n"\ninspecting_body = "b"\n', encoding="utf-8")
    code, _, err = run(capsys, "stats", str(empty))
    assert code == 2
    assert "no cases to count" in err


def test_a_bodys_stated_counts_are_printed_apart(capsys: pytest.CaptureFixture[str]) -> None:
    """By body, the counts a body's own notice states follow the table, marked as stated."""
    code, out, _ = run(
        capsys, "stats", ROUND, "--by", "body", "--as-of", "2025-06-30", "--lang", "en"
    )
    assert code == 0
    assert "As the bodies' own notices state them (kept apart from the counts above):" in out
    assert "measures 263 (completed 234, in_progress 29)" in out


def test_the_chinese_text_uses_full_width_punctuation(capsys: pytest.CaptureFixture[str]) -> None:
    """In Chinese the headings end in a full-width colon, as the catalogue's sentences do."""
    code, out, _ = run(
        capsys, "stats", ROUND, "--by", "body", "--as-of", "2025-06-30", "--lang", "zh"
    )
    assert code == 0
    headings = [line for line in out.splitlines() if line.rstrip().endswith(("：", ":"))]
    assert len(headings) >= 3  # problems, items, the grouping
    assert all(line.rstrip().endswith("：") for line in headings), headings
