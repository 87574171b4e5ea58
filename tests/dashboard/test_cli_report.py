"""``rectflow report``: a case's or a round's dashboard written to a file or standard output,
the day required, mistakes refused in one line with exit 2, nothing written over an input."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from page_parts import chart_ids, external_references

from rectflow._cli.main import main

ROOT = Path(__file__).resolve().parents[2]
ROUND_FILE = ROOT / "examples" / "rounds" / "demo-round.toml"
CASE_FILE = ROOT / "examples" / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
THREE_COLOUR = ROOT / "examples" / "policies" / "jiangjin-three-colour.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process as the ``rectflow`` script does."""
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_round_s_report_is_written_to_the_file_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """-o writes one self-contained page with its three charts and says so on stderr."""
    out = tmp_path / "round.html"
    code, stdout, stderr = run(
        capsys, "report", str(ROUND_FILE), "-o", str(out), "--as-of", "2025-06-08",
        "--policy", str(THREE_COLOUR), "--lang", "zh",
    )  # fmt: skip
    assert (code, stdout) == (0, "")
    page = out.read_text(encoding="utf-8")
    size = len(page.encode())
    assert stderr == f"数据看板已写入 {out}（{size} 字节，统计截至 2025-06-08）\n"
    assert external_references(page) == []
    assert chart_ids(page) == ["rf-completion", "rf-levels", "rf-months"]
    assert "示例巡察轮次" in page
    assert "绿色预警" in page


def test_a_case_s_report_goes_to_standard_output_without_o(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A case file gives its own page, broken down by responsible unit."""
    code, stdout, _ = run(capsys, "report", str(CASE_FILE), "--as-of", "2025-06-08", "--lang", "en")
    assert code == 0
    assert stdout.startswith("<!DOCTYPE html>")
    assert "Completion by responsible unit" in stdout
    assert "中共虹桥市第一人民医院委员会: rectification progress" in stdout


def test_by_breaks_the_completion_chart_down_another_way(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--by kind groups the round's items by the kind of their problem."""
    code, stdout, _ = run(
        capsys, "report", str(ROUND_FILE), "--as-of", "2025-06-08", "--by", "kind", "--lang", "zh"
    )
    assert code == 0
    assert "各类问题整改完成情况" in stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--lang", "en"],
            "rectflow: error: --as-of is missing: give the day the dashboard is as of, "
            "--as-of YYYY-MM-DD or --as-of today (nothing defaults to the clock)\n",
        ),
        (["--as-of", "2025-06-31"], "2025-06-31"),
        (["--as-of", "2025-06-08", "--policy", "no-such-policy"], "no-such-policy"),
        (["--as-of", "2025-06-08", "--by", "team"], "team"),
    ],
)
def test_a_mistake_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """A missing day, an impossible day, an unknown policy or grouping: no traceback, exit 2."""
    code, stdout, stderr = run(capsys, "report", str(CASE_FILE), *args)
    assert (code, stdout) == (2, "")
    assert message in stderr
    assert "Traceback" not in stderr


def test_debug_shows_the_traceback_of_a_mistake(capsys: pytest.CaptureFixture[str]) -> None:
    """--debug adds the traceback; the exit code stays 2."""
    code, _, stderr = run(capsys, "--debug", "report", str(CASE_FILE), "--lang", "en")
    assert code == 2
    assert "Traceback" in stderr


def test_an_existing_file_is_replaced_only_with_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Without --force an existing output is refused and left as it was."""
    out = tmp_path / "report.html"
    out.write_text("keep me", encoding="utf-8")
    code, _, stderr = run(capsys, "report", str(CASE_FILE), "-o", str(out), "--as-of", "2025-06-08")
    assert code == 2
    assert "--force" in stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    code, _, _ = run(
        capsys, "report", str(CASE_FILE), "-o", str(out), "--as-of", "2025-06-08", "--force"
    )
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("name", ["report.pdf", "report.PNG", "看板.xlsx"])
def test_an_output_named_for_another_format_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    """``-o report.pdf`` would hold HTML under a PDF's name: one line, exit 2, nothing written;
    .html, .HTM and a name without a suffix are written."""
    out = tmp_path / name
    code, stdout, stderr = run(
        capsys, "report", str(CASE_FILE), "-o", str(out), "--as-of", "2025-06-08", "--lang", "en"
    )
    assert (code, stdout) == (2, "")
    assert stderr.count("\n") == 1
    assert "name it .html" in stderr
    assert not out.exists()
    for good in ("report.html", "report.HTM", "看板"):
        code, _, _ = run(
            capsys, "report", str(CASE_FILE), "-o", str(tmp_path / good), "--as-of", "2025-06-08"
        )
        assert code == 0
        assert (tmp_path / good).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_round_s_case_file_is_never_written_over(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Naming one of the round's case files as the output is refused, even with --force."""
    case_copy = tmp_path / "case.toml"
    case_copy.write_bytes(CASE_FILE.read_bytes())
    round_file = tmp_path / "round.toml"
    round_file.write_text(
        'schema = 1\nid = "r"\nname = "第一轮"\ninspecting_body = "市委"\ncases = ["case.toml"]\n',
        encoding="utf-8",
    )
    before = case_copy.read_bytes()
    code, _, stderr = run(
        capsys, "report", str(round_file), "-o", str(case_copy), "--as-of", "2025-06-08", "--force"
    )
    assert code == 2
    assert "Traceback" not in stderr
    assert case_copy.read_bytes() == before


def test_a_broken_round_file_is_refused_naming_the_entry(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A round listing a missing case file: the round file's error, one line, exit 2."""
    round_file = tmp_path / "round.toml"
    round_file.write_text(
        'schema = 1\nid = "r"\nname = "第一轮"\ninspecting_body = "市委"\ncases = ["gone.toml"]\n',
        encoding="utf-8",
    )
    code, _, stderr = run(capsys, "report", str(round_file), "--as-of", "2025-06-08")
    assert code == 2
    assert "gone.toml" in stderr
    assert "cases[0]" in stderr


def test_without_pygal_the_report_says_which_extra_to_install(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The charting library is an extra: its absence is one line naming rectflow[report]."""
    monkeypatch.setitem(sys.modules, "pygal", None)  # import pygal now raises ImportError
    monkeypatch.setitem(sys.modules, "pygal.style", None)
    code, stdout, stderr = run(capsys, "report", str(CASE_FILE), "--as-of", "2025-06-08")
    assert (code, stdout) == (2, "")
    assert "pip install 'rectflow[report]'" in stderr
    assert "Traceback" not in stderr
