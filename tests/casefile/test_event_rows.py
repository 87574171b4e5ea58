"""The event log read straight into rows (rectflow._casefile.eventrows) gives the parser's
document, value for value, or leaves the text to the parser: on saved cases, on drawn event
tables with any text in them, on mutated files, and through `rectflow status` on a big file,
whose output and refusals stay byte for byte what the parser's reading gives (issue 14)."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow._casefile import document, eventrows
from rectflow._casefile.document import PlainRows
from rectflow._cli.main import cli
from rectflow._core.labels import display_width, text_columns
from rectflow._inputs import TOML_ERRORS, loads_toml
from rectflow.errors import CaseFileError

BENCH = Path(__file__).resolve().parents[2] / "bench"

CASES = st.one_of(
    rs.cases(max_problems=3, max_measures=2, with_events=True, max_events=6, allow_imported=True),
    rs.supervised_cases(max_problems=2, max_measures=2, max_rejections=1),
)


def reading(parse: Any, text: str) -> tuple[str, Any]:
    """What ``parse`` makes of ``text``: its refusal's words, or the document with the events
    as the log's rows wherever the loader would take rows."""
    try:
        doc = parse(text)
    except TOML_ERRORS as error:
        return "refused", str(error)
    except RecursionError:
        return "too deep", ""
    events = doc.get("events")
    if type(events) is PlainRows:
        # What the direct reading gives are rows the converter's own fast path also takes.
        return "document", {**doc, "events": ("rows", events.rows)}
    rows = document._plain_rows(events) if "events" in doc else None
    return "document", {**doc, "events": ("rows", rows)} if rows is not None else doc


def assert_read_alike(text: str) -> tuple[str, Any]:
    direct = reading(eventrows.loads_document, text)
    assert direct == reading(loads_toml, text)
    return direct


@given(case=CASES)
@settings(max_examples=60, deadline=None)
def test_a_saved_case_reads_to_the_parsers_document_and_case(case: rectflow.Case) -> None:
    """What dumps_case writes is read directly when it writes the log as an array of tables
    (tomli-w writes a log whose every event fits on a line as one inline array: the parser
    reads that), to the same case."""
    text = rectflow.dumps_case(case)
    doc = eventrows.loads_document(text)
    assert (type(doc.get("events")) is PlainRows) == ("\n[[events]]\n" in text)
    assert_read_alike(text)
    assert rectflow.loads_case(text) == case


ANY_TEXT = st.one_of(
    st.text(max_size=6),
    st.text(alphabet='"\\\n\r\t\x00\x7f#[]= 整改', max_size=6),
    st.sampled_from(["\n[[events]]\n", "'''", '"""', "\\u0041", "a\n\n[events.data]\nx = 1"]),
)
DATA_VALUES = st.one_of(
    ANY_TEXT,
    st.integers(),
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.dates(),
    st.floats(allow_nan=False),
    st.datetimes(),
)


@st.composite
def event_tables(draw: st.DrawFn) -> dict[str, Any]:
    """An event table, mostly as save_case writes one, with any text and values in it."""
    table: dict[str, Any] = {
        "seq": draw(st.one_of(st.integers(1, 10**6), st.integers(-2, 2), st.just(10**19))),
        "trigger": draw(st.one_of(st.sampled_from(["start", "extend", "accept"]), ANY_TEXT)),
        "target": draw(st.one_of(st.sampled_from(["case", "1.1", "1.1.1"]), ANY_TEXT)),
        "on": draw(st.one_of(st.dates(), st.datetimes(), ANY_TEXT)),
    }
    for key in ("actor", "note"):
        if draw(st.booleans()):
            table[key] = draw(ANY_TEXT)
    if draw(st.booleans()):
        table["recorded_on"] = draw(st.dates())
    if draw(st.booleans()):
        table["data"] = draw(
            st.dictionaries(
                st.one_of(st.sampled_from(["due_on", "reason", "people", "x-1"]), ANY_TEXT),
                DATA_VALUES,
                max_size=3,
            )
        )
    return table


def written(tables: list[dict[str, Any]], head: str, multiline: bool) -> str:
    doc = {"schema": 2, "id": "c", "inspected_body": head, "events": tables}
    return tomli_w.dumps(doc, multiline_strings=multiline)


@given(
    tables=st.lists(event_tables(), min_size=1, max_size=4),
    head=ANY_TEXT,
    multiline=st.booleans(),
)
@settings(max_examples=400, deadline=None)
def test_drawn_event_tables_read_to_the_parsers_document(
    tables: list[dict[str, Any]], head: str, multiline: bool
) -> None:
    """Any text, escape, value or day in an event, written by tomli-w (multi-line strings too):
    read directly to the parser's document, or left to the parser."""
    assert_read_alike(written(tables, head, multiline))


MUTATIONS = [
    "",
    " ",
    "\n",
    "\r",
    "#",
    "# [[events]]\n",
    '"',
    "'''",
    '"""',
    "\\",
    "[[events]]\n",
    "seq = 1\n",
    "on = 2021-02-30\n",
    "x = 1.5\n",
    "[other]\n",
    "events = []\n",
    "[events.data]\n",
    "\t",
]


@given(
    tables=st.lists(event_tables(), min_size=1, max_size=3),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 3), st.sampled_from(MUTATIONS)),
        min_size=1,
        max_size=3,
    ),
)
@settings(max_examples=400, deadline=None)
def test_mutated_files_read_alike_or_are_refused_alike(
    tables: list[dict[str, Any]], edits: list[tuple[float, int, str]]
) -> None:
    """A file changed anywhere (a character cut, a comment, a key, a header, a quote put in):
    the same document, or the same refusal in the same words (with its line)."""
    text = written(tables, "整改", multiline=False)
    for where, cut, put in edits:
        at = int(where * len(text))
        text = text[:at] + put + text[at + cut :]
    assert_read_alike(text)


EVENT = '[[events]]\nseq = 1\ntrigger = "start"\ntarget = "case"\non = 2021-03-01\n'


@pytest.mark.parametrize(
    ("text", "direct"),
    [
        ("schema = 2\n" + EVENT, True),
        (EVENT, True),
        ("schema = 2\n" + EVENT + "\n" + EVENT.replace("seq = 1", "seq = 2"), True),
        ("schema = 2\n" + EVENT + '\n[events.data]\nreason = "a\\"b\\u6574"\nn = -3\n', True),
        # a [[events]] line in a multi-line string: the text before it is not a document
        ('schema = 2\nnote = """\n' + EVENT + '"""\n', False),
        ("schema = 2\nnote = '''\n" + EVENT + "'''\n" + EVENT, False),
        ("events = []\n" + EVENT, False),  # refused by the parser: events is already an array
        ("[[ events ]]\nseq = 9\n" + EVENT, False),
        ("schema = 2\n" + EVENT + "# a comment\n", False),
        ("schema = 2\n" + EVENT + "[plan]\ntitle = 'x'\n", False),
        ("schema = 2\n" + EVENT.replace("2021-03-01", "2021-02-30"), False),
        ("schema = 2\n" + EVENT.replace("2021-03-01", "2021-03-01T08:00:00"), False),
        ("schema = 2\n" + EVENT.replace("seq = 1", "seq = 0"), False),
        ("schema = 2\n" + EVENT.replace("seq = 1", "seq = 01"), False),
        ("schema = 2\n" + EVENT.replace('"start"', '"\\ud800"'), False),
        ("schema = 2\n" + EVENT.replace('"start"', '"\\e"'), False),
        ("schema = 2\n" + EVENT.replace("\n", "\r\n"), False),
        ("schema = 2\n" + EVENT + "\n[events.data]\nx = 1\nx = 2\n", False),
        ("schema = 2\n" + EVENT + "\n[events.data]\nx = 1.5\ny = -2e-05\n", True),
        ("schema = 2\n" + EVENT + "\n[events.data]\nx = inf\n", False),
        ("schema = 2\n" + EVENT + "\n[events.data]\nx = 1_000\n", False),
        ("schema = 2\n" + EVENT + "\n[events.data]\nx = [1]\n", False),
        ("schema = 2\n" + EVENT + "trigger = 'again'\n", False),
    ],
)
def test_what_is_read_directly_and_what_is_left_to_the_parser(text: str, direct: bool) -> None:
    """Only the writer's own form is read directly; each near miss goes to the parser."""
    assert_read_alike(text)
    try:
        doc = eventrows.loads_document(text)
    except TOML_ERRORS:
        assert not direct
        return
    assert (type(doc.get("events")) is PlainRows) is direct


@given(case=rs.cases(max_problems=2, max_measures=2, with_events=True, max_events=4))
@settings(max_examples=20, deadline=None)
def test_a_directly_read_log_is_the_cases_own_copy(case: rectflow.Case) -> None:
    """Two cases structured from one document do not share rows (fire appends to them)."""
    text = rectflow.dumps_case(case)
    doc = eventrows.loads_document(text)
    first = document.structure_located(doc, None, text)
    second = document.structure_located(doc, None, text)
    assert first.events._raw() is not second.events._raw()
    assert first == second == case


# -- a big file through `rectflow status` ------------------------------------------------------


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bench/casefile.py's case file, of 600 measures walked through five events each."""
    sys.path.insert(0, str(BENCH))
    try:
        bench = importlib.import_module("casefile")
    finally:
        sys.path.remove(str(BENCH))
    path: Path = bench.big_case_file(600, tmp_path_factory.mktemp("big"), 7)
    return path


def _status(args: list[str], monkeypatch: pytest.MonkeyPatch, direct: bool) -> tuple[int, str]:
    with monkeypatch.context() as patch:
        if not direct:  # the reading before issue 14: the parser's tables for the whole file
            patch.setattr("rectflow._casefile.files.loads_document", loads_toml)
        done = CliRunner().invoke(cli, ["status", *args])
    return done.exit_code, done.output


@pytest.mark.parametrize(
    "args", [[], ["--items"], ["--lang", "zh"], ["--lang", "zh", "--items"], ["--format", "json"]]
)
def test_status_of_a_big_file_is_byte_for_byte_the_parsers(
    big_file: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert type(eventrows.loads_document(big_file.read_text("utf-8"))["events"]) is PlainRows
    new = _status([*args, str(big_file)], monkeypatch, direct=True)
    old = _status([*args, str(big_file)], monkeypatch, direct=False)
    assert new == old
    assert new[0] == 0
    assert new[1].count("\n") > 600 if "--items" in args else True


TAMPERINGS = [
    # (what is replaced, by what): a stored state, an event's trigger, its day, its seq, data
    ('state = "reopened"', 'state = "closed"'),
    ('trigger = "reopen"', 'trigger = "reopened"'),
    ('trigger = "reopen"\ntarget = "1-1.1.1"', 'trigger = "reopen"\ntarget = "1-9.9.9"'),
    ("seq = 2001\n", "seq = 2002\n"),
    ("on = 20", "on = 19"),
    ('actor = "', 'actor = 5\nnote = "'),
]


@pytest.mark.parametrize(("old", "new"), TAMPERINGS)
def test_a_tampered_big_file_is_refused_with_the_same_error(
    big_file: Path, old: str, new: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Structured, replayed and verified as before: a tampered file is refused, saying where,
    in the same words, whichever reading took its events."""
    text = big_file.read_text("utf-8")
    at = text.rindex(old)  # the last one: in the event log for the events' keys
    tampered = tmp_path / "tampered.toml"
    tampered.write_text(text[:at] + new + text[at + len(old) :], "utf-8")
    refusals = []
    for direct in (True, False):
        with monkeypatch.context() as patch:
            if not direct:
                patch.setattr("rectflow._casefile.files.loads_document", loads_toml)
            with pytest.raises(CaseFileError) as caught:
                rectflow.load_case(tampered)
        error = caught.value
        refusals.append((error.key_path, error.line, str(error)))
    assert refusals[0] == refusals[1]
    assert refusals[0][1] is not None


# -- the status's columns ----------------------------------------------------------------------


CELLS = st.text(alphabet="ab 1-整改（）·é\u3000", max_size=6)


TABLES = st.integers(1, 4).flatmap(
    lambda n: st.lists(st.lists(CELLS, min_size=n, max_size=n), min_size=1, max_size=6)
)


@given(rows=TABLES, right_from=st.none() | st.integers(0, 4))
@settings(max_examples=200, deadline=None)
def test_columns_pad_each_cell_to_its_columns_widest(
    rows: list[list[str]], right_from: int | None
) -> None:
    """Each cell padded to the widest of its column as a terminal shows it (CJK two), on the
    right of the cells before ``right_from`` and on the left of those from it on."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = len(widths) if right_from is None else right_from

    def pad(cell: str, column: int) -> str:
        space = " " * (widths[column] - display_width(cell))
        return cell + space if column < right else space + cell

    expected = ["  " + "  ".join(pad(c, i) for i, c in enumerate(row)).rstrip() for row in rows]
    assert text_columns(rows, right_from=right_from) == expected


def test_a_status_day_is_a_day() -> None:
    """The directly read days are dates, shared where equal (one object per day)."""
    doc = eventrows.loads_document(
        "schema = 2\n" + EVENT + "\n" + EVENT.replace("seq = 1", "seq = 2")
    )
    first, second = doc["events"].rows
    assert first[3] == dt.date(2021, 3, 1)
    assert first[3] is second[3]
