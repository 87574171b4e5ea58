"""``rectflow ledger export|import`` from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("openpyxl")

from openpyxl import Workbook

import rectflow
from rectflow._cli.main import main
from rectflow._ledger_io.errors import require_openpyxl
from rectflow.errors import RectflowError

REPO = Path(__file__).resolve().parents[2]
SYNTHETIC = REPO / "examples" / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
ROUND = REPO / "examples" / "rounds" / "demo-round.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``rectflow`` as the shell does: user mistakes exit 2 with one line."""
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


def test_export_writes_a_workbook_and_says_what(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ledger export CASE -o FILE.xlsx --as-of D``: one line naming the file and the counts."""
    out_file = tmp_path / "l.xlsx"
    code, out, err = run(
        capsys, "ledger", "export", str(SYNTHETIC), "-o", str(out_file), "--as-of", "2025-06-01"
    )
    assert (code, err) == (0, "")
    assert out == f"wrote {out_file}: 13 problems, 28 rows, as of 2025-06-01\n"
    assert out_file.read_bytes().startswith(b"PK")


def test_export_without_as_of_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No clock: --as-of is required; exit 2, one line, nothing written."""
    out_file = tmp_path / "l.xlsx"
    code, _, err = run(capsys, "ledger", "export", str(SYNTHETIC), "-o", str(out_file))
    assert code == 2
    assert err.count("\n") == 1
    assert "needs --as-of" in err
    assert not out_file.exists()


def test_export_of_a_round_file_writes_every_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A round file is told from a case file; its ledger has a 被巡察单位 column."""
    out_file = tmp_path / "round.xlsx"
    code, out, _ = run(
        capsys, "ledger", "export", str(ROUND), "-o", str(out_file), "--as-of", "2025-06-01"
    )
    assert code == 0
    assert "189 problems, 204 rows" in out
    result = rectflow.import_ledger(out_file)
    assert len(result.cases) == 6


def test_import_dry_run_says_what_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--dry-run: the sheet, the case and its states; no file."""
    book = tmp_path / "l.xlsx"
    run(capsys, "ledger", "export", str(SYNTHETIC), "-o", str(book), "--as-of", "2025-06-01")
    target = tmp_path / "case.toml"
    code, out, _ = run(capsys, "ledger", "import", str(book), "-o", str(target), "--dry-run")
    assert code == 0
    assert "sheet 问题清单, header on row 3, 28 ledger rows read" in out
    assert "4 categories, 13 problems, 26 measures" in out
    assert out.endswith("dry run: nothing written\n")
    assert not target.exists()


def test_import_writes_a_case_file_that_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o case.toml: a case file; again without --force is refused."""
    book = tmp_path / "l.xlsx"
    run(capsys, "ledger", "export", str(SYNTHETIC), "-o", str(book), "--as-of", "2025-06-01")
    target = tmp_path / "case.toml"
    code, _, err = run(capsys, "ledger", "import", str(book), "-o", str(target))
    assert code == 0
    assert "warning: 整改进展 of 28 row(s) not kept" in err
    case = rectflow.load_case(target)
    assert case.id == "synthetic-hongqiao-first-people-hospital"
    code, _, err = run(capsys, "ledger", "import", str(book), "-o", str(target))
    assert code == 2
    assert "pass --force" in err
    assert run(capsys, "ledger", "import", str(book), "-o", str(target), "--force")[0] == 0


def test_a_rounds_ledger_imports_into_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Several bodies: one case file per body in the -o folder; a file name is refused."""
    book = tmp_path / "round.xlsx"
    run(capsys, "ledger", "export", str(ROUND), "-o", str(book), "--as-of", "2025-06-01")
    code, _, err = run(capsys, "ledger", "import", str(book), "-o", str(tmp_path / "one.toml"))
    assert code == 2
    assert "give -o a folder" in err
    folder = tmp_path / "cases"
    folder.mkdir()
    assert run(capsys, "ledger", "import", str(book), "-o", str(folder))[0] == 0
    assert sorted(p.name for p in folder.glob("*.toml")) == sorted(
        f"{p.stem}.toml" for p in (REPO / "examples" / "cases").glob("*.toml")
    )


def test_a_bad_cell_is_one_line_naming_it_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2, ``file: sheet!cell (heading): reason; fix: …``, no traceback; --debug shows one."""
    book = tmp_path / "台账.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "问题清单"
    ws.append(["序号", "问题描述", "整改措施", "完成时限"])
    ws.append([1, "问题", "措施", "尽快"])
    wb.save(book)
    target = tmp_path / "case.toml"
    code, out, err = run(capsys, "ledger", "import", str(book), "-o", str(target))
    assert (code, out) == (2, "")
    assert err.startswith(
        f"rectflow: error: {book}: 问题清单!D2 (完成时限): '尽快' is not a deadline"
    )
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert not target.exists()
    code, _, err = run(capsys, "--debug", "ledger", "import", str(book), "-o", str(target))
    assert code == 2
    assert "Traceback" in err


def test_without_openpyxl_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing extra is one line: pip install "rectflow[excel]"."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(RectflowError, match=r'pip install "rectflow\[excel\]"'):
        require_openpyxl()


def test_against_checks_the_round_trip_of_a_round(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--against ROUND --as-of D``: the workbook gives back the round's ledger as of D (exit
    0); against the cases as they stand now, a later state change is found (exit 1)."""
    book = tmp_path / "round.xlsx"
    run(capsys, "ledger", "export", str(ROUND), "-o", str(book), "--as-of", "2025-06-01")
    code, out, _ = run(
        capsys,
        "ledger",
        "import",
        str(book),
        "--dry-run",
        "--against",
        str(ROUND),
        "--as-of",
        "2025-06-01",
    )
    assert code == 0
    assert out.startswith(f"same ledger as {ROUND}: 6 case(s), 189 problems, 26 measures\n")
    code, out, _ = run(capsys, "ledger", "import", str(book), "--against", str(ROUND))
    assert code == 1
    assert out.startswith(f"the ledger differs from {ROUND}'s (1 difference(s)):\n")
    assert "measure 2.1.2 state: 'closed' expected, 'in_progress' read" in out
    assert not list(tmp_path.glob("*.toml"))
