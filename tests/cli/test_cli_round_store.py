"""The round and roll-up commands on a ledger store, on SQLite and on a real PostgreSQL server:
``rectflow store import ROUND.toml`` stores a round with its case files, and ``round
status|check|agenda``, ``stats``, ``report`` and ``ledger export`` address it (or a case) by
id with ``--store``, giving the very figures and bytes the same files give.

The store fixtures are tests/store/conftest.py's (loaded from there, not copied).
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rectflow._cli import _source
from rectflow._cli.main import main
from rectflow._rounds.files import load_round
from rectflow.store import Rounds
from rectflow.store import open as open_store

ROOT = Path(__file__).resolve().parents[2]
ROUND_FILE = ROOT / "examples" / "rounds" / "demo-round.toml"
CASES = sorted((ROOT / "examples" / "cases").glob("*.toml"))
POLICY = ROOT / "examples" / "policies" / "jiangjin-three-colour.toml"
HOSPITAL = "synthetic-hongqiao-first-people-hospital"
AS_OF = ("--as-of", "2025-06-08")


def _store_fixtures() -> ModuleType:
    """tests/store/conftest.py as a module: its fixtures are used here, not copied."""
    path = ROOT / "tests" / "store" / "conftest.py"
    spec = importlib.util.spec_from_file_location("store_conftest_for_round_cli", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# pygal (the dashboard's charts, imported by `rectflow report`) installs an import hook without
# find_spec; a later command in the same process imports modules through it and Python warns.
# Two commands in one process only happen in tests (as in test_cli_zh_complete.py): ignored.
pytestmark = pytest.mark.filterwarnings("ignore:PluginImportFixer.find_spec:ImportWarning")

_fixtures = _store_fixtures()
pg_database = _fixtures.pg_database
store_url = _fixtures.store_url


def rectflow(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line as a person would (errors are one line and exit 2)."""
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A RECTFLOW_STORE in the developer's shell must not change what these tests read."""
    monkeypatch.delenv(_source.STORE_ENV, raising=False)


@pytest.fixture
def stored(store_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """A store made from the shell: init, then the example round imported with its six case
    files; its URL."""
    assert rectflow(capsys, "store", "init", "--store", store_url)[0] == 0
    code, out, err = rectflow(
        capsys, "store", "import", str(ROUND_FILE), "--store", store_url, "--lang", "en"
    )
    assert (code, err) == (0, "")
    assert (
        out.splitlines()[-1]
        == "imported round demo-round (示例巡察轮次（五份真实通报与一个合成案例）): 6 case(s)"
    )
    return store_url


def _without(data: Any, *keys: str) -> Any:
    """The JSON with the keys that say where it was read from taken out, at every depth."""
    if isinstance(data, dict):
        return {k: _without(v, *keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [_without(v, *keys) for v in data]
    return data


# -- the same figures from the store as from the files ------------------------------------------


@pytest.mark.parametrize("by", ["body", "department", "kind"])
def test_stats_of_a_stored_round_equal_those_of_its_files(
    stored: str, capsys: pytest.CaptureFixture[str], by: str
) -> None:
    """`stats ROUND-ID --store` gives the JSON, CSV and text of `stats ROUND.toml`, but the
    sources it names."""
    runs = {}
    for fmt in ("json", "csv", "text"):
        common = ("--by", by, *AS_OF, "--format", fmt, "--lang", "zh")
        from_store = rectflow(capsys, "stats", "demo-round", "--store", stored, *common)
        from_files = rectflow(capsys, "stats", str(ROUND_FILE), *common)
        assert (from_store[0], from_store[2], from_files[0], from_files[2]) == (0, "", 0, "")
        runs[fmt] = (from_store[1], from_files[1])
    store_json, file_json = (json.loads(text) for text in runs["json"])
    assert store_json["files"] == ["demo-round"]
    assert _without(store_json, "files") == _without(file_json, "files")
    assert store_json["round"]["id"] == "demo-round"
    assert runs["csv"][0] == runs["csv"][1]
    assert runs["text"][0] == runs["text"][1]


def test_a_report_and_a_ledger_from_the_store_are_the_bytes_of_the_files(
    stored: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`report` and `ledger export` (.xlsx and .csv) of the stored round, and of one stored
    case, are byte for byte those of the files."""
    policy = ("--policy", str(POLICY))
    for subject, path in (("demo-round", ROUND_FILE), (HOSPITAL, CASES[-1])):
        store_page = rectflow(capsys, "report", subject, "--store", stored, *AS_OF, *policy)
        file_page = rectflow(capsys, "report", str(path), *AS_OF, *policy)
        assert store_page[0] == file_page[0] == 0
        assert store_page[1] == file_page[1]
        assert "<svg" in store_page[1]
        for suffix in (".xlsx", ".csv"):
            from_store = tmp_path / f"store-{subject}{suffix}"
            from_files = tmp_path / f"files-{subject}{suffix}"
            assert (
                rectflow(
                    capsys,
                    "ledger",
                    "export",
                    subject,
                    "--store",
                    stored,
                    *AS_OF,
                    "-o",
                    str(from_store),
                )[0]
                == 0
            )
            assert (
                rectflow(capsys, "ledger", "export", str(path), *AS_OF, "-o", str(from_files))[0]
                == 0
            )
            assert from_store.read_bytes() == from_files.read_bytes()


def test_round_status_check_and_agenda_of_a_stored_round_match_the_files(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`round status|check|agenda ROUND-ID --store` judge the stored cases as the files' are
    judged: the same status JSON (but where each case was read), findings and agenda."""
    from_store = rectflow(
        capsys, "round", "status", "demo-round", "--store", stored, *AS_OF, "--format", "json"
    )
    from_files = rectflow(capsys, "round", "status", str(ROUND_FILE), *AS_OF, "--format", "json")
    assert from_store[0] == from_files[0] == 0
    store_status, file_status = json.loads(from_store[1]), json.loads(from_files[1])
    assert [s["case"] for s in store_status] == [case.id for case in load_round(ROUND_FILE).cases]
    assert {s["store"] for s in store_status} == {open_store(stored).url}
    assert _without(store_status, "file", "store") == _without(file_status, "file", "store")
    check_store = rectflow(
        capsys, "round", "check", "demo-round", "--store", stored, *AS_OF, "--format", "json"
    )
    check_files = rectflow(capsys, "round", "check", str(ROUND_FILE), *AS_OF, "--format", "json")
    assert check_store[0] == check_files[0]
    assert check_store[2] == check_files[2]  # the coverage warnings
    assert _without(json.loads(check_store[1]), "file") == _without(
        json.loads(check_files[1]), "file"
    )
    agenda = ("--as-of", "2025-06-08", "--policy", str(POLICY), "--lang", "zh")
    agenda_store = rectflow(capsys, "round", "agenda", "demo-round", "--store", stored, *agenda)
    agenda_files = rectflow(capsys, "round", "agenda", str(ROUND_FILE), *agenda)
    assert agenda_store == agenda_files
    assert agenda_store[0] == 0


def test_a_stored_round_s_progress_notice_is_the_files_notice(
    stored: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`round render ROUND-ID --store` writes the notice `round render ROUND.toml` writes, in
    every format, to standard output and to -o."""
    for fmt in ("text", "markdown", "html"):
        common = (*AS_OF, "--format", fmt)
        from_store = rectflow(capsys, "round", "render", "demo-round", "--store", stored, *common)
        assert from_store == rectflow(capsys, "round", "render", str(ROUND_FILE), *common)
        assert from_store[0] == 0
    out = tmp_path / "notice.txt"
    code, _, _ = rectflow(
        capsys, "round", "render", "demo-round", "--store", stored, *AS_OF, "-o", str(out)
    )
    assert code == 0
    assert (
        out.read_text(encoding="utf-8")
        == rectflow(capsys, "round", "render", str(ROUND_FILE), *AS_OF)[1]
    )


def test_a_round_file_of_store_cases_reads_them_from_the_store(
    stored: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round file whose store_cases name stored cases is rolled up from --store (here through
    RECTFLOW_STORE) as the stored round is; its case files, a round status reads as files even
    with a store set; without a store its store cases are said to be left out."""
    ids = [case.id for case in load_round(ROUND_FILE).cases]
    by_id = tmp_path / "by-id.toml"
    by_id.write_text(
        'schema = 1\nid = "by-id"\nname = "按编号"\ninspecting_body = "示例巡察机构"\n'
        f"store_cases = {json.dumps(ids)}\n",
        encoding="utf-8",
    )
    common = ("--by", "body", *AS_OF, "--format", "json")
    monkeypatch.setenv(_source.STORE_ENV, stored)
    code, out, err = rectflow(capsys, "stats", str(by_id), *common)
    assert (code, err) == (0, "")
    stored_round = json.loads(rectflow(capsys, "stats", "demo-round", *common)[1])
    assert _without(json.loads(out), "files", "round") == _without(stored_round, "files", "round")
    code, out, _ = rectflow(capsys, "round", "status", str(by_id), *AS_OF, "--format", "json")
    assert (code, len(json.loads(out))) == (0, 6)
    code, out, _ = rectflow(capsys, "round", "status", str(ROUND_FILE), *AS_OF, "--format", "json")
    assert {s["file"] for s in json.loads(out)} == {
        str(ROUND_FILE.parent / p) for p in load_round(ROUND_FILE).case_files
    }
    monkeypatch.delenv(_source.STORE_ENV)
    code, out, err = rectflow(capsys, "stats", str(by_id), *common, "--lang", "en")
    assert code == 2
    assert (
        "round by-id: 6 case(s) are listed by store id (store_cases) and no store is given" in err
    )
    assert "Traceback" not in err


def test_stats_of_a_whole_store_equal_those_of_all_its_case_files(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`stats --store URL` with no CASE rolls up every stored case: the figures of every case
    file given together."""
    common = ("--by", "department", *AS_OF, "--format", "json")
    code, out, err = rectflow(capsys, "stats", "--store", stored, *common)
    assert (code, err) == (0, "")
    whole = json.loads(out)
    from_files = json.loads(rectflow(capsys, "stats", *map(str, CASES), *common)[1])
    assert whole["files"] == [path.stem for path in CASES]
    assert _without(whole, "files") == _without(from_files, "files")


def test_a_stored_round_is_exported_and_imported_again_as_it_was(
    stored: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`store export-round ID -o DIR` writes the round file and its case files; imported into a
    new store they give the same round, cases and roll-up; `store rounds` and `store list
    --in-round` list it."""
    out_dir = tmp_path / "exported"
    code, out, err = rectflow(
        capsys,
        "store",
        "export-round",
        "demo-round",
        "-o",
        str(out_dir),
        "--store",
        stored,
        "--lang",
        "en",
    )
    assert (code, err) == (0, "")
    assert out.strip().endswith(f"to {out_dir / 'demo-round.toml'}, with 6 case file(s) beside it")
    again = f"sqlite:///{tmp_path / 'again.db'}"
    assert rectflow(capsys, "store", "init", "--store", again)[0] == 0
    assert (
        rectflow(capsys, "store", "import", str(out_dir / "demo-round.toml"), "--store", again)[0]
        == 0
    )
    with open_store(stored) as first, open_store(again) as second:
        assert Rounds(second).get("demo-round") == Rounds(first).get("demo-round")
        assert list(Rounds(second).get("demo-round").cases) == list(
            Rounds(first).get("demo-round").cases
        )
    common = ("--by", "body", *AS_OF, "--format", "csv")
    assert rectflow(capsys, "stats", "demo-round", "--store", again, *common) == rectflow(
        capsys, "stats", "demo-round", "--store", stored, *common
    )
    code, out, _ = rectflow(capsys, "store", "rounds", "--store", stored, "--format", "json")
    [listed] = json.loads(out)["rounds"]
    assert (listed["id"], listed["cases"]) == (
        "demo-round",
        [c.id for c in load_round(ROUND_FILE).cases],
    )
    code, out, _ = rectflow(
        capsys, "store", "list", "--in-round", "demo-round", "--store", stored, "--format", "json"
    )
    assert len(json.loads(out)["cases"]) == 6
    code, out, _ = rectflow(
        capsys, "store", "export-round", "demo-round", "-o", str(out_dir), "--store", stored
    )
    assert code == 2
    assert "exists" in out + _


# -- mistakes -------------------------------------------------------------------------------------


def test_mistakes_on_a_store_are_one_line_and_exit_2(
    stored: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An unknown round, a case given as a round, a round file mixing case files and store
    cases, an import of a round already stored: one line each, exit 2, nothing changed."""
    mixed = tmp_path / "mixed.toml"
    mixed.write_text(
        'schema = 1\nid = "mixed"\nname = "混合"\ninspecting_body = "某"\n'
        f'cases = ["{CASES[0]}"]\nstore_cases = ["{HOSPITAL}"]\n',
        encoding="utf-8",
    )
    for args, said in (
        (("round", "status", "nosuch"), "no round 'nosuch' in the store"),
        (("round", "agenda", HOSPITAL, *AS_OF), f"{HOSPITAL} is a case, not a round"),
        (("round", "check", str(mixed)), "round mixed lists both case files and store cases"),
        (("stats", "nosuch"), "no case 'nosuch' in the store"),
        (("store", "export-round", "nosuch", "-o", str(tmp_path / "x")), "no round 'nosuch'"),
        (("store", "import", str(ROUND_FILE)), "already holds a round 'demo-round'"),
        (("store", "import", *map(str, CASES[:1])), "already holds a case"),
    ):
        code, out, err = rectflow(capsys, *args, "--store", stored, "--lang", "en")
        assert code == 2, (args, out, err)
        assert said in err, (args, err)
        assert len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err
    with open_store(stored) as store:
        assert (len(store.cases()), [r.id for r in Rounds(store).all()]) == (6, ["demo-round"])


def test_a_stored_round_is_removed_and_its_cases_stay(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`store remove-round ID` removes the round, not its cases; then the round file imports
    again over the stored cases only when it lists them as store_cases (here: refused)."""
    code, out, err = rectflow(
        capsys, "store", "remove-round", "demo-round", "--store", stored, "--lang", "en"
    )
    assert (code, err) == (0, "")
    assert out.startswith("removed round demo-round from ")
    with open_store(stored) as store:
        assert (len(store.cases()), Rounds(store).all()) == (6, [])
    code, _, err = rectflow(capsys, "store", "remove-round", "demo-round", "--store", stored)
    assert code == 2
    assert "no round 'demo-round'" in err


def test_the_listing_an_unknown_round_points_to_runs(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fix of an unknown round names the command that lists the rounds, and it runs."""
    code, _, err = rectflow(capsys, "round", "status", "nosuch", "--store", stored, "--lang", "en")
    assert code == 2
    listing = re.search(r"`rectflow ([^`]+)` lists the rounds", err)
    assert listing is not None, err
    code, out, err = rectflow(capsys, *listing.group(1).split(), "--store", stored, "--lang", "en")
    assert (code, err) == (0, "")
    assert "demo-round" in out
