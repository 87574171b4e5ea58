"""``rectflow round``: status, check and agenda over a round's case files, its notice rendered and
read back, and a user's mistakes refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rectflow._cli.main import main

ROOT = Path(__file__).resolve().parents[2]
ROUND = str(ROOT / "examples" / "rounds" / "demo-round.toml")
CASES = ROOT / "examples" / "cases"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process as the `rectflow` script does."""
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_round_status_is_status_over_every_case_file(capsys: pytest.CaptureFixture[str]) -> None:
    """`round status ROUND --format json` prints exactly what `status` prints for its files."""
    code, out, _ = run(
        capsys, "round", "status", ROUND, "--as-of", "2025-06-30", "--format", "json"
    )
    assert code == 0
    files = sorted(str(p) for p in CASES.glob("*.toml"))
    _, direct, _ = run(capsys, "status", *files, "--as-of", "2025-06-30", "--format", "json")
    by_round = json.loads(out)
    assert [d["case"] for d in by_round] == [d["case"] for d in json.loads(direct)]
    assert [d["problems"] for d in by_round] == [d["problems"] for d in json.loads(direct)]


def test_round_agenda_needs_its_day_as_agenda_does(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --as-of the agenda refuses in one line (exit 2); with it, it lists the round."""
    code, _, err = run(capsys, "round", "agenda", ROUND)
    assert (code, err.count("\n")) == (2, 1)
    assert "--as-of is missing" in err
    code, out, _ = run(capsys, "round", "agenda", ROUND, "--as-of", "2025-06-30", "--lang", "en")
    assert code == 0
    assert out.startswith("Agenda as of 2025-06-30")
    assert "3 overdue" in out


def test_round_check_warns_about_uncovered_bodies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A team's body with no case, and a case no team lists, are warnings on standard error."""
    round_file = tmp_path / "round.toml"
    seed = CASES / "seed-004-luzhou-tcm-hospital.toml"
    round_file.write_text(
        f'schema = 1\nid = "r"\nname = "第一轮"\ninspecting_body = "市委"\ncases = ["{seed}"]\n'
        '[[teams]]\nname = "第一巡察组"\nbodies = ["某某局"]\n',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "round", "check", str(round_file), "--lang", "en")
    assert code in (0, 1)
    assert "no team lists 中共泸州市中医医院委员会" in err
    assert "team 第一巡察组 lists 某某局, but no case of the round inspects it" in err


def test_a_missing_round_or_case_file_is_one_line_and_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A round file listing a missing case names the entry and its line; no traceback."""
    round_file = tmp_path / "round.toml"
    round_file.write_text(
        'schema = 1\nid = "r"\nname = "n"\ninspecting_body = "b"\ncases = ["gone.toml"]\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "round", "status", str(round_file))
    assert (code, out) == (2, "")
    assert err.startswith(f"rectflow: error: {round_file}:5: cases[0]: no case file at ")
    assert "Traceback" not in err
    code, _, err = run(capsys, "round", "status", str(tmp_path / "nowhere.toml"))
    assert code == 2
    assert "cannot read the file" in err


def test_round_render_writes_the_public_notice_and_import_reads_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """render -o writes the notice (never over an input); import reads the same figures."""
    notice = tmp_path / "notice.txt"
    code, _, _ = run(capsys, "round", "render", ROUND, "--as-of", "2025-06-30", "-o", str(notice))
    assert code == 0
    text = notice.read_text(encoding="utf-8")
    assert "本轮巡察共反馈问题187个" in text
    code, _, err = run(capsys, "round", "render", ROUND, "--as-of", "2025-06-30", "-o", str(notice))
    assert code == 2
    assert "the file exists" in err
    code, out, _ = run(capsys, "round", "import", str(notice))
    assert code == 0
    summary = json.loads(out)
    assert (summary["format"], summary["problems"]["total"], summary["unread"]) == (
        "rectflow.round-summary",
        187,
        [],
    )
    assert summary["as_of"] == "2025-06-30"


def test_round_import_lists_what_it_did_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format text prints the figures and each unread piece with its line."""
    notice = tmp_path / "n.txt"
    notice.write_text("本轮巡察共反馈问题10个，已完成8个，另有2个正在核实。\n", encoding="utf-8")
    code, out, _ = run(capsys, "round", "import", str(notice), "--format", "text", "--lang", "en")
    assert code == 0
    assert "1 piece(s) not read:" in out
    assert "line 1: 另有2个正在核实" in out


def test_round_import_refuses_what_is_not_a_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A text with no title and no figure is refused in one line."""
    notice = tmp_path / "n.txt"
    notice.write_text("nothing here\n", encoding="utf-8")
    code, _, err = run(capsys, "round", "import", str(notice))
    assert code == 2
    assert "not a round's progress notice" in err
