"""``rectflow calendar show``: a year's holidays and make-up days, and where they come from.

The schedules written here are for MADE-UP years and say so; they are no official schedule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rectflow._cli.main import main

EXAMPLE_2026 = (
    Path(__file__).resolve().parents[2] / "plugins" / "rectflow-cn-workdays" / "examples"
) / "cn-2026.toml"

MADE_UP_2099 = """\ufeff# 虚构的2099年安排:仅供测试,不是任何官方通知。
schema = 1
calendar = "cn"
year = 2099

[notice]
title = "虚构:2099年部分节假日安排(测试用)"
issuer = "测试办公室"
date = 2098-11-02
url = "https://example.invalid/made-up-2099"

# 元旦(虚构):1月1日(周四)至3日(周六)放假,1月4日(周日)上班。
[[holidays]]
name = "元旦(虚构)"
off = ["2099-01-01..2099-01-03"]
work = [2099-01-04]
""".replace("\n", "\r\n")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def made_up(tmp_path: Path) -> Path:
    """The made-up 2099 schedule for `cn`, as a file with a BOM and CRLF line ends."""
    path = tmp_path / "cn-2099-made-up.toml"
    path.write_bytes(MADE_UP_2099.encode("utf-8"))
    return path


def test_a_year_the_package_knows_lists_its_holidays_and_make_up_days(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """2024 under `cn`: from the package, National Day off, 29 Sep and 12 Oct worked."""
    code, out, err = run(capsys, "calendar", "show", "2024", "--calendar", "cn")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("calendar 'cn', 2024: from the chinesecalendar package ")
    assert lines[0].endswith("(it knows 2004-2026)")
    assert "  2024-10-01 Tue  National Day" in lines
    worked = lines[lines.index("weekend days that are working days (8):") + 1 :]
    assert "  2024-09-29 Sun  National Day" in worked
    assert "  2024-10-12 Sat  National Day" in worked


def test_a_user_supplied_year_in_text_names_the_file_and_the_notice(
    capsys: pytest.CaptureFixture[str], made_up: Path
) -> None:
    """The whole output for the made-up 2099: one source line, the two lists."""
    code, out, err = run(
        capsys, "calendar", "show", "2099", "--calendar", "cn", "--schedule", str(made_up)
    )
    assert (code, err) == (0, "")
    assert out == (
        f"calendar 'cn', 2099: from the schedule file {made_up}, copied from "
        "虚构:2099年部分节假日安排(测试用) (测试办公室, 2098-11-02, "
        "https://example.invalid/made-up-2099)\n"
        "weekdays that are not working days (2):\n"
        "  2099-01-01 Thu  元旦(虚构)\n"
        "  2099-01-02 Fri  元旦(虚构)\n"
        "weekend days that are working days (1):\n"
        "  2099-01-04 Sun  元旦(虚构)\n"
    )


def test_a_user_supplied_year_in_json(capsys: pytest.CaptureFixture[str], made_up: Path) -> None:
    """The JSON form: the format, the source with its notice, the days with their labels."""
    code, out, _ = run(
        capsys,
        "calendar",
        "show",
        "2099",
        "--calendar",
        "cn",
        "--schedule",
        str(made_up),
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out) == {
        "format": "rectflow.calendar-year v1",
        "calendar": "cn",
        "year": 2099,
        "source": {
            "kind": "schedule",
            "file": str(made_up),
            "override": False,
            "notice": {
                "title": "虚构:2099年部分节假日安排(测试用)",
                "issuer": "测试办公室",
                "number": None,
                "date": "2098-11-02",
                "url": "https://example.invalid/made-up-2099",
            },
        },
        "non_working_weekdays": [
            {"date": "2099-01-01", "weekday": "Thu", "label": "元旦(虚构)"},
            {"date": "2099-01-02", "weekday": "Fri", "label": "元旦(虚构)"},
        ],
        "working_weekends": [{"date": "2099-01-04", "weekday": "Sun", "label": "元旦(虚构)"}],
    }


def test_a_year_nobody_knows_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Neither the package nor a schedule: one line saying how to supply the year."""
    code, out, err = run(capsys, "calendar", "show", "2099", "--calendar", "cn")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith(
        "rectflow: error: calendar 'cn' has no holiday schedule for 2099 (it knows 2004-2026)"
    )
    assert "--schedule FILE" in err


def test_the_package_json_source_and_the_weekday_calendar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A package year's source is the calendar's plugin; `weekdays` has no exceptions."""
    code, out, _ = run(capsys, "calendar", "show", "2024", "--calendar", "cn", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["source"]["kind"] == "calendar"
    assert document["source"]["plugin"] == "cn-workdays"
    assert len(document["non_working_weekdays"]) == 19
    code, out, _ = run(capsys, "calendar", "show", "2024")
    assert (code, out) == (
        0,
        "calendar 'weekdays', 2024: from Monday-Friday (the core calendar; public holidays "
        "not considered)\n"
        "weekdays that are not working days (0):\n  (none)\n"
        "weekend days that are working days (0):\n  (none)\n",
    )


def test_a_policys_calendar_table_supplies_the_calendar_and_its_schedules(
    capsys: pytest.CaptureFixture[str], made_up: Path, tmp_path: Path
) -> None:
    """`--policy`: the policy's calendar name and its schedules (relative to the policy)."""
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'schema = 1\nname = "p"\n\n[calendar]\nname = "cn"\nschedules = ["{made_up.name}"]\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "calendar", "show", "2099", "--policy", str(policy))
    assert (code, err) == (0, "")
    assert out.startswith(f"calendar 'cn', 2099: from the schedule file {made_up}, copied")
    # --calendar weekdays instead: the policy's cn schedules are not for it.
    code, out, _ = run(
        capsys, "calendar", "show", "2099", "--policy", str(policy), "--calendar", "weekdays"
    )
    assert (code, out.splitlines()[0]) == (
        0,
        "calendar 'weekdays', 2099: from Monday-Friday (the core calendar; public holidays "
        "not considered)",
    )


def test_the_real_2026_example_needs_its_override_and_shows_the_notice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The shipped example replaces the package's 2026 (it says override = true)."""
    code, out, _ = run(
        capsys, "calendar", "show", "2026", "--calendar", "cn", "--schedule", str(EXAMPLE_2026)
    )
    assert code == 0
    assert "国务院办公厅关于2026年部分节假日安排的通知 (国务院办公厅, 2025-11-04" in out
    assert "  2026-02-28 Sat  春节" in out


def test_a_bad_schedule_file_is_one_line_with_the_file_line_key_path_and_fix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A make-up day on a Monday: the file, line 16 (CRLF and a BOM), the key, the fix."""
    bad = tmp_path / "cn-2099-bad.toml"
    bad.write_bytes(MADE_UP_2099.replace("2099-01-04]", "2099-01-05]").encode("utf-8"))
    code, out, err = run(
        capsys, "calendar", "show", "2099", "--calendar", "cn", "--schedule", str(bad)
    )
    assert (code, out) == (2, "")
    assert err == (
        f"rectflow: error: {bad}:16: holidays[0].work[0]: 2099-01-05 is a Mon, not a weekend "
        "day; list only the Saturdays and Sundays the notice says are worked (调休上班); a "
        "weekday is a working day already\n"
    )


def test_a_schedule_for_a_known_year_without_override_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The 2026 example without its override: exit 2, the fix says `override = true`."""
    copy = tmp_path / "cn-2026.toml"
    copy.write_text(
        EXAMPLE_2026.read_text(encoding="utf-8").replace("override = true", ""),
        encoding="utf-8",
    )
    code, _, err = run(
        capsys, "calendar", "show", "2026", "--calendar", "cn", "--schedule", str(copy)
    )
    assert code == 2
    assert f"{copy}:9: year: calendar 'cn' already knows 2026" in err
    assert "override = true" in err


MADE_UP_2027 = """# 虚构的2027年安排,仅供测试:不是官方通知(2027年的通知发布后,应照通知抄写)。
# MADE-UP for this test; the real 2027 schedule must be copied from the State Council's notice.
schema = 1
calendar = "cn"
year = 2027

[notice]
title = "虚构:2027年部分节假日安排(测试用,非官方)"
issuer = "测试办公室"
date = 2026-11-02
url = "https://example.invalid/made-up-2027"

[[holidays]]
name = "虚构假日"
off = ["2027-01-01..2027-01-03"]
work = [2027-01-09]
"""


def test_due_counts_from_the_packages_last_year_across_a_user_supplied_year(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """2026-12-20 + 15 working days with a made-up 2027 (1 Jan off, Saturday 9 Jan worked):
    9 January 2027; the note names the file and its notice."""
    schedule = tmp_path / "cn-2027-made-up.toml"
    schedule.write_text(MADE_UP_2027, encoding="utf-8")
    args = ("due", "2026-12-20", "15 working days", "--calendar", "cn")
    code, out, err = run(capsys, *args, "--schedule", str(schedule))
    assert (code, out) == (0, "2027-01-09\n")
    assert err == (
        f"note: 2027 counted with the schedule file {schedule}, copied from "
        "虚构:2027年部分节假日安排(测试用,非官方) (测试办公室, 2026-11-02, "
        "https://example.invalid/made-up-2027)\n"
    )
