"""The command line on a ledger store, on SQLite and on a real PostgreSQL server: every command
that reads or changes a case takes ``--store URL`` (or ``RECTFLOW_STORE``) and a case id, and
``rectflow store init|upgrade|import|export|list|overdue`` runs the store itself.

The store fixtures are tests/store/conftest.py's (loaded from there, not copied); the
supervision story is tests/cli/test_cli_supervision_story.py's, told again on a store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from test_cli_supervision_story import (
    CASE,
    ITEM,
    assert_same_story,
    rectflow,
    story_steps,
    story_told_in_python,
    tell_the_story,
)

import rectflow as rf
from rectflow import strategies as rs
from rectflow._cli import _source
from rectflow._cli.main import main
from rectflow._store.tables import VERSION_TABLE, metadata
from rectflow.store import HEAD, Store
from rectflow.store import open as open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.toml"))
POLICY = ROOT / "examples" / "policies" / "jiangjin-three-colour.toml"
HOSPITAL = "synthetic-hongqiao-first-people-hospital"


def _store_fixtures() -> ModuleType:
    """tests/store/conftest.py as a module: its fixtures are used here, not copied."""
    path = ROOT / "tests" / "store" / "conftest.py"
    spec = importlib.util.spec_from_file_location("store_conftest_for_cli", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_fixtures = _store_fixtures()
pg_database = _fixtures.pg_database
store_url = _fixtures.store_url


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A RECTFLOW_STORE in the developer's shell must not change what these tests read."""
    monkeypatch.delenv(_source.STORE_ENV, raising=False)


def _made(url: str, files: list[Path], capsys: pytest.CaptureFixture[str]) -> str:
    assert rectflow(capsys, "store", "init", "--store", url)[0] == 0
    code, _, err = rectflow(capsys, "store", "import", *map(str, files), "--store", url)
    assert (code, err) == (0, "")
    return url


@pytest.fixture
def stored(store_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """A store made from the shell (init, then the synthetic hospital imported); its URL."""
    return _made(store_url, [CASE], capsys)


@pytest.fixture
def stored_all(store_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """A store made from the shell with every example imported; its URL."""
    return _made(store_url, EXAMPLES, capsys)


def _open(url: str) -> Store:
    return open_store(url)


# -- the story -----------------------------------------------------------------------------------


def test_the_supervision_story_on_a_store_equals_the_python_walk(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The story of test_cli_supervision_story, every command given the case id and --store:
    each saves the stored case one version on, and the store ends holding what ``walk()``
    makes of the case in Python."""
    with _open(stored) as store:
        start = store.get(HOSPITAL).version
        url = store.url
    saved = [
        f"saved {HOSPITAL} in the store {url} (version {start + n})"
        for n in range(1, len(story_steps(HOSPITAL)) + 1)
    ]
    tell_the_story(capsys, HOSPITAL, saved, "--store", stored)
    with _open(stored) as store:
        told = store.get(HOSPITAL)
    assert_same_story(told, story_told_in_python())


def test_the_story_reads_back_from_the_store_in_the_log_and_status(
    stored: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``log`` and ``status`` read the stored case by id (here through RECTFLOW_STORE), and say
    the store where a file's path would be."""
    monkeypatch.setenv(_source.STORE_ENV, stored)
    rectflow(capsys, "fire", HOSPITAL, "complete", "--item", ITEM, "--on", "2025-07-20")
    code, out, err = rectflow(capsys, "log", HOSPITAL, "--item", ITEM, "--lang", "en")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"#94 2025-07-20 {ITEM}: completed (complete)"
    code, out, _ = rectflow(capsys, "log", HOSPITAL, "--format", "json")
    data = json.loads(out)
    assert (data["file"], data["store"], data["case"]) == (None, _open(stored).url, HOSPITAL)
    code, out, _ = rectflow(capsys, "status", HOSPITAL, "--format", "json", "--as-of", "2025-07-20")
    [status] = json.loads(out)
    assert (status["file"], status["store"], status["case"]) == (None, _open(stored).url, HOSPITAL)
    code, out, _ = rectflow(capsys, "status", HOSPITAL, "--lang", "en")
    assert out.splitlines()[0].split() == ["store:", _open(stored).url]


def test_status_and_agenda_with_a_store_and_no_case_read_every_stored_case(
    stored_all: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --store and no CASE, ``status`` and ``agenda`` judge every case in the store: the
    agenda is the one the example files give, word for word, in Chinese."""
    code, out, _ = rectflow(capsys, "status", "--store", stored_all, "--format", "json")
    assert code == 0
    assert sorted(s["case"] for s in json.loads(out)) == sorted(p.stem for p in EXAMPLES)
    common = ("--as-of", "2025-06-08", "--policy", str(POLICY), "--lang", "zh")
    code, from_store, err = rectflow(capsys, "agenda", "--store", stored_all, *common)
    assert (code, err) == (0, "")
    _, from_files, _ = rectflow(capsys, "agenda", *map(str, EXAMPLES), *common)
    assert from_store == from_files
    assert "截至 2025-06-08 的督办清单" in from_store


def test_every_editing_command_changes_the_stored_case(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """assign, set-due, edit-text, measure add and problem add (the story has the others) each
    record their event in the store, one version on."""
    s = ("--store", stored, "--lang", "en")
    steps = [
        ("assign", HOSPITAL, ITEM, "--person", "赵六", "--on", "2025-07-01"),
        ("edit-text", HOSPITAL, ITEM, "复查近三年全部小额采购", "--on", "2025-07-03"),
        ("measure", "add", HOSPITAL, "2.1", "2.1.9", "--text", "建立采购台账",
         "--on", "2025-07-04"),
        ("set-due", HOSPITAL, "2.1.9", "2025-09-30", "--on", "2025-07-04"),
        ("problem", "add", HOSPITAL, "3", "3.9", "--title", "新发现的问题", "--on", "2025-07-05"),
    ]  # fmt: skip
    with _open(stored) as store:
        before = store.get(HOSPITAL)
    for step in steps:
        code, _, err = rectflow(capsys, *step, *s)
        assert (code, err) == (0, ""), step
    with _open(stored) as store:
        after = store.get(HOSPITAL)
    assert after.version == before.version + len(steps)
    assert [e.trigger for e in after.events[len(before.events) :]] == [
        "assign",
        "edit_text",
        "add_measure",
        "set_due",
        "add_problem",
    ]
    assert after.item(ITEM).responsibility == rf.Responsibility(
        leader=before.item(ITEM).responsibility.leader,  # type: ignore[union-attr]
        department=before.item(ITEM).responsibility.department,  # type: ignore[union-attr]
        person="赵六",
    )
    added = after.item("2.1.9")
    assert isinstance(added, rf.Measure)
    assert added.text == "建立采购台账"
    assert after.item("2.1.9").due_on == dt.date(2025, 9, 30)


# -- store init, upgrade, import, export, list, overdue -------------------------------------------


def test_store_init_then_upgrade_from_the_previous_revision(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store brought to 0001 (through the API) upgrades from the shell: 0001 → the newest
    revision, and a second upgrade has nothing to do."""
    with _open(store_url) as store:
        store.upgrade("0001")
        url = store.url
    code, out, err = rectflow(capsys, "store", "upgrade", "--store", store_url, "--lang", "en")
    assert (code, err, out) == (0, "", f"store {url}: schema revision 0001 → {HEAD}\n")
    code, out, _ = rectflow(capsys, "store", "upgrade", "--store", store_url, "--lang", "en")
    assert out == f"store {url}: already at schema revision {HEAD}, nothing to do\n"


def test_store_import_says_how_many_and_list_shows_them(
    stored_all: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The import stored every example; list (text and json) shows each with its state and
    events, and its filters narrow it."""
    _, out, _ = rectflow(capsys, "store", "list", "--store", stored_all, "--format", "json")
    data = json.loads(out)
    assert (data["format"], data["version"]) == ("rectflow.store.list", 1)
    assert [c["case"] for c in data["cases"]] == sorted(p.stem for p in EXAMPLES)
    hospital = next(c for c in data["cases"] if c["case"] == HOSPITAL)
    assert (hospital["state"], hospital["events"], hospital["last_event_on"]) == (
        "continuing",
        93,
        "2025-06-30",
    )
    _, out, _ = rectflow(capsys, "store", "list", "--store", stored_all, "--kind", "xunshi")
    assert [line.split()[0] for line in out.splitlines()] == ["seed-002-tianjin-health-commission"]
    _, out, _ = rectflow(
        capsys, "store", "list", "--store", stored_all, "--state", "closed", "--lang", "en"
    )
    assert out == f"no cases in {_open(stored_all).url}\n"


def test_store_import_is_all_or_none(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad file among good ones: exit 2, one line naming the file, and nothing stored."""
    rectflow(capsys, "store", "init", "--store", store_url)
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\nid = "x"\nnonsense = true\n', encoding="utf-8")
    code, out, err = rectflow(
        capsys, "store", "import", str(EXAMPLES[0]), str(bad), "--store", store_url
    )
    assert (code, out) == (2, "")
    assert err.startswith("rectflow: error: ")
    assert str(bad) in err
    assert len(err.splitlines()) == 1
    with _open(store_url) as store:
        assert store.cases() == []


def test_importing_an_id_already_stored_is_refused(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second import of a case is one line saying the store already holds it."""
    code, _, err = rectflow(capsys, "store", "import", str(CASE), "--store", stored)
    assert code == 2
    assert f"already holds a case '{HOSPITAL}'" in _one_line(err)


def test_store_export_then_import_round_trips_every_example(
    stored_all: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each example exported from the store is the case file's case, byte for byte as
    ``dumps_case`` writes it; standard output is the same text; an existing file needs
    --force."""
    for path in EXAMPLES:
        out_file = tmp_path / f"{path.stem}.toml"
        code, out, err = rectflow(
            capsys, "store", "export", path.stem, "-o", str(out_file), "--store", stored_all,
            "--lang", "en",
        )  # fmt: skip
        assert (code, err) == (0, "")
        assert out.startswith(f"exported {path.stem} (version ")
        expected = rf.dumps_case(rf.load_case(path))
        assert out_file.read_text(encoding="utf-8") == expected
        _, printed, _ = rectflow(capsys, "store", "export", path.stem, "--store", stored_all)
        assert printed == expected
    code, _, err = rectflow(
        capsys, "store", "export", HOSPITAL, "-o", str(tmp_path / f"{HOSPITAL}.toml"),
        "--store", stored_all,
    )  # fmt: skip
    assert code == 2
    assert "--force" in err
    code, _, _ = rectflow(
        capsys, "store", "export", HOSPITAL, "-o", str(tmp_path / f"{HOSPITAL}.toml"),
        "--store", stored_all, "--force",
    )  # fmt: skip
    assert code == 0


@pytest.fixture(scope="module")
def sqlite_url() -> Iterator[str]:
    """One SQLite store for the property's examples (each example empties it first)."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'ledger.db'}"
        with _open(url) as store:
            store.init()
        yield url


def _run(*args: str) -> tuple[int, str]:
    """``main`` with its output caught (hypothesis examples cannot use capsys), and its code."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as done:
            code = done.code
    assert err.getvalue() == "", (args, err.getvalue())
    return int(code or 0), out.getvalue()


def _without_where(text: str) -> list[dict[str, object]]:
    """A JSON document (or array of them) without the keys that say where the case was."""
    data = json.loads(text)
    return [
        {k: v for k, v in d.items() if k not in ("file", "store")}
        for d in (data if isinstance(data, list) else [data])
    ]


@settings(max_examples=max(1, settings().max_examples // 3))
@given(case=rs.supervised_cases())
def test_any_case_file_reads_the_same_from_the_store_and_exports_back_byte_for_byte(
    sqlite_url: str, case: rf.Case
) -> None:
    """For any valid case: after ``store import`` of its file, ``status`` and ``log`` of its id
    with --store say what they say of the file (but where it is), and ``store export`` gives
    the file back byte for byte."""
    with _open(sqlite_url) as store, store.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
    at = ("--store", sqlite_url)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.toml"
        source.write_text(rf.dumps_case(case), encoding="utf-8")
        back = Path(folder) / "out.toml"
        assert _run("store", "import", str(source), *at)[0] == 0
        for command in (
            ("status", "--as-of", "2030-01-01", "--items", "--format", "json"),
            ("log", "--format", "json"),
        ):
            code, from_file = _run(command[0], str(source), *command[1:])
            assert code == 0
            code, from_store = _run(command[0], case.id, *command[1:], *at)
            assert code == 0
            assert _without_where(from_store) == _without_where(from_file)
        assert _run("store", "export", case.id, "-o", str(back), *at)[0] == 0
        assert back.read_bytes() == source.read_bytes()


def test_store_overdue_answers_the_cross_case_questions(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``store overdue`` lists what the API's overdue gives and counts what overdue_by gives,
    as of a day; --within gives what falls due."""
    day = dt.date(2025, 6, 8)
    with _open(stored) as store:
        late = store.overdue(day)
        by_department = store.overdue_by(day, "department")
        soon = store.due_within(day, 14)
    _, out, _ = rectflow(
        capsys, "store", "overdue", "--as-of", "2025-06-08", "--store", stored, "--format", "json"
    )
    data = json.loads(out)
    assert [(i["case"], i["item"], i["days_late"]) for i in data["items"]] == [
        (i.case_id, i.item_id, i.days_late) for i in late
    ]
    assert len(late) == 3
    _, out, _ = rectflow(
        capsys, "store", "overdue", "--as-of", "2025-06-08", "--by", "department",
        "--store", stored, "--format", "json",
    )  # fmt: skip
    assert {c["key"]: c["count"] for c in json.loads(out)["counts"]} == by_department
    _, out, _ = rectflow(
        capsys, "store", "overdue", "--as-of", "2025-06-08", "--by", "department",
        "--store", stored, "--lang", "en",
    )  # fmt: skip
    assert out.splitlines()[0].endswith(": 3 item(s), by department")
    assert out.splitlines()[1:] == [
        f"  {key}: {count}"
        for key, count in sorted(by_department.items(), key=lambda kv: (-kv[1], kv[0] or ""))
    ]
    _, out, _ = rectflow(
        capsys, "store", "overdue", "--as-of", "2025-06-08", "--within", "14",
        "--store", stored, "--lang", "en",
    )  # fmt: skip
    assert [line.split()[2] for line in out.splitlines()[1:]] == [i.item_id for i in soon]
    assert ITEM in [i.item_id for i in soon]


# -- which case is meant ---------------------------------------------------------------------------


def test_with_a_store_a_file_of_that_name_is_refused_saying_how_to_read_it(
    stored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --store, CASE is an id: a case file of that name is not read, the refusal says how
    to read it (--store "") or store it; --store "" over RECTFLOW_STORE reads the file."""
    monkeypatch.chdir(tmp_path)
    Path("mine.toml").write_bytes(CASE.read_bytes())
    code, out, err = rectflow(capsys, "status", "mine.toml", "--store", stored, "--lang", "en")
    assert (code, out) == (2, "")
    assert "no case 'mine.toml' in the store, but 'mine.toml' is a case file" in err
    assert "`rectflow store import mine.toml`" in err
    monkeypatch.setenv(_source.STORE_ENV, stored)
    code, out, err = rectflow(capsys, "status", "mine.toml", "--store", "", "--lang", "en")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split() == ["file:", "mine.toml"]


def test_an_id_that_is_also_a_file_reads_the_store_and_warns(
    stored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored case's id that also names a file in the folder: the stored case is read, and a
    warning says the file was not."""
    monkeypatch.chdir(tmp_path)
    Path(HOSPITAL).write_text("not a case", encoding="utf-8")
    code, out, err = rectflow(capsys, "log", HOSPITAL, "--store", stored, "--lang", "en")
    assert code == 0
    assert len(out.splitlines()) == 93
    assert err == (
        f"rectflow: warning: {HOSPITAL} is read from the store {_open(stored).url}, not from the "
        'file of that name (--store "" reads the file)\n'
    )


# -- errors ------------------------------------------------------------------------------------


def _one_line(err: str) -> str:
    assert err.startswith("rectflow: error: ")
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err
    return err


def test_an_unknown_case_id_is_one_line_and_changes_nothing(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """fire on an id the store does not hold: exit 2, one line naming it and `store list`."""
    code, out, err = rectflow(
        capsys, "fire", "nope", "start", "--item", ITEM, "--on", "2025-07-01", "--store", stored
    )
    assert (code, out) == (2, "")
    assert "no case 'nope' in the store" in _one_line(err)
    assert "rectflow store list" in err


def test_a_refused_change_writes_nothing_to_the_store(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trigger the item's state does not allow: exit 2, one line, the stored case as it was."""
    with _open(stored) as store:
        before = store.get(HOSPITAL)
    code, _, err = rectflow(
        capsys, "fire", HOSPITAL, "accept", "--item", ITEM, "--on", "2025-07-01",
        "--store", stored,
    )  # fmt: skip
    assert code == 2
    assert "can't accept" in _one_line(err)
    with _open(stored) as store:
        assert store.get(HOSPITAL) == before


def test_a_second_writer_meanwhile_is_a_conflict_said_as_for_a_file(
    stored: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer saves the case between the command's load and its save: exit 2, one line
    saying to load again and re-apply, and only the other writer's event is stored."""
    real_save = _source.Cases.save

    def save_after_another(self: _source.Cases, case: rf.Case, where: _source.Where) -> None:
        with _open(stored) as other:
            other.edit_text(
                HOSPITAL, "3.3.3", "另一写入者的修改", on=dt.date(2025, 7, 1), actor="别人"
            )
        real_save(self, case, where)

    monkeypatch.setattr(_source.Cases, "save", save_after_another)
    with _open(stored) as store:
        before = store.get(HOSPITAL)
    code, out, err = rectflow(
        capsys, "fire", HOSPITAL, "complete", "--item", ITEM, "--on", "2025-07-20",
        "--store", stored, "--lang", "en",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert "changed by another writer" in _one_line(err)
    assert "load the case again, re-apply the change, and save" in err
    with _open(stored) as store:
        after = store.get(HOSPITAL)
    assert after.version == before.version + 1
    assert [e.actor for e in after.events[len(before.events) :]] == ["别人"]


def test_no_case_and_no_store_asks_for_one(capsys: pytest.CaptureFixture[str]) -> None:
    """status without a CASE and without a store: one line saying what to give."""
    code, _, err = rectflow(capsys, "status", "--lang", "en")
    assert code == 2
    assert "give at least one CASE" in _one_line(err)


def test_store_commands_need_a_store(capsys: pytest.CaptureFixture[str]) -> None:
    """`rectflow store list` with neither --store nor RECTFLOW_STORE: one line naming both."""
    code, _, err = rectflow(capsys, "store", "list", "--lang", "en")
    assert code == 2
    assert "--store URL" in _one_line(err)
    assert "RECTFLOW_STORE" in err


def test_a_sqlite_file_that_does_not_exist_is_refused_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped SQLite path leaves no empty database behind; `store init` is named."""
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    code, _, err = rectflow(capsys, "status", "x", "--store", url, "--lang", "en")
    assert code == 2
    assert "there is no database file" in _one_line(err)
    assert "rectflow store init" in err
    assert list(tmp_path.iterdir()) == []


def test_an_uninitialised_store_says_to_run_store_init(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database without rectflow's tables: one line naming `rectflow store init`."""
    if store_url.startswith("sqlite"):
        sa.create_engine(store_url).connect().close()  # an empty database file
    code, _, err = rectflow(capsys, "store", "list", "--store", store_url, "--lang", "en")
    assert code == 2
    assert "never initialised" in _one_line(err)
    assert "rectflow store init" in err


def test_a_store_newer_than_this_rectflow_is_refused(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store at a revision this rectflow does not know: one line, and a fire changes
    nothing."""
    with _open(stored) as store, store.engine.begin() as connection:
        connection.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '0099'"))
    code, _, err = rectflow(
        capsys, "fire", HOSPITAL, "complete", "--item", ITEM, "--on", "2025-07-20",
        "--store", stored, "--lang", "en",
    )  # fmt: skip
    assert code == 2
    assert "newer than this rectflow knows" in _one_line(err)
    code, _, err = rectflow(capsys, "store", "upgrade", "--store", stored, "--lang", "en")
    assert code == 2
    assert "newer than this rectflow knows" in _one_line(err)


def test_an_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A PostgreSQL URL where nothing listens: one line saying the connection failed."""
    url = "postgresql://postgres@127.0.0.1:1/nothing?connect_timeout=2"
    code, _, err = rectflow(capsys, "log", "x", "--store", url, "--lang", "en")
    assert code == 2
    assert "the database connection failed" in _one_line(err)


def test_a_missing_extra_is_the_one_line_install_hint(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without SQLAlchemy installed, --store says which extra to install."""
    real = importlib.util.find_spec

    def find_spec(name: str, *args: object, **kwargs: object) -> object:
        return None if name == "sqlalchemy" else real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    code, _, err = rectflow(capsys, "log", "x", "--store", "sqlite:///x.db", "--lang", "en")
    assert code == 2
    assert 'pip install "rectflow[store]"' in _one_line(err)


def test_debug_shows_the_traceback_of_a_store_error(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--debug adds the traceback to the one line."""
    code, _, err = rectflow(capsys, "--debug", "log", "nope", "--store", stored)
    assert code == 2
    assert "Traceback" in err
    assert err.splitlines()[-1].startswith("rectflow: error: ")


def test_the_store_commands_and_their_errors_speak_chinese_under_lang_zh(
    stored_all: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--lang zh: the store's lines and its refusals (an unknown id, a file that is not the
    stored case, a database never initialised) are said in Chinese, whole."""
    url = _open(stored_all).url
    code, out, _ = rectflow(
        capsys, "store", "list", "--store", stored_all, "--kind", "xunshi", "--lang", "zh"
    )
    assert "巡视" in out
    assert "版本 0，事件 0 个" in out
    code, out, _ = rectflow(
        capsys, "store", "overdue", "--as-of", "2025-06-08", "--by", "department",
        "--store", stored_all, "--lang", "zh",
    )  # fmt: skip
    assert out.splitlines()[0] == f"截至 2025-06-08，{url} 中逾期 3 项，按责任部门统计"
    code, _, err = rectflow(capsys, "log", "nope", "--store", stored_all, "--lang", "zh")
    assert code == 2
    assert "存储中没有案件 'nope'" in _one_line(err)
    monkeypatch.chdir(tmp_path)
    Path("mine.toml").write_bytes(CASE.read_bytes())
    code, _, err = rectflow(capsys, "log", "mine.toml", "--store", stored_all, "--lang", "zh")
    assert code == 2
    assert "存储中没有案件 'mine.toml'，但 'mine.toml' 是一个案件文件" in _one_line(err)
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    sa.create_engine(empty).connect().close()
    code, _, err = rectflow(capsys, "store", "list", "--store", empty, "--lang", "zh")
    assert code == 2
    assert "存储尚未初始化" in _one_line(err)


def test_check_and_render_of_stored_cases_are_those_of_the_files(
    stored_all: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` with --store and no CASE checks every stored case as the files check (JSON,
    but for where each came from); ``render`` of a stored case is the file's notice, and its
    -o is written."""
    common = ("--policy", "xuncha", "--as-of", "2025-06-08", "--format", "json", "--lang", "en")
    code, from_store, _ = rectflow(capsys, "check", "--store", stored_all, *common)
    file_code, from_files, _ = rectflow(capsys, "check", *map(str, EXAMPLES), *common)
    assert code == file_code == 1
    store_report, file_report = json.loads(from_store), json.loads(from_files)
    url = _open(stored_all).url
    assert [c.pop("file") for c in store_report["cases"]] == [f"{url} {p.stem}" for p in EXAMPLES]
    for c in file_report["cases"]:
        del c["file"]
    assert store_report == file_report
    expected = rectflow(capsys, "render", str(CASE), "--format", "markdown")[1]
    code, out, err = rectflow(
        capsys, "render", HOSPITAL, "--format", "markdown", "--store", stored_all
    )
    assert (code, err, out) == (0, "", expected)
    notice = tmp_path / "notice.md"
    code, _, _ = rectflow(
        capsys, "render", HOSPITAL, "--format", "markdown", "-o", str(notice), "--store", stored_all
    )
    assert code == 0
    assert notice.read_text(encoding="utf-8") == expected
