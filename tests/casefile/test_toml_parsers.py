"""Case files read the same with the compiled tomli (``rectflow[fast]``) as with tomllib, and the
loader's fast paths (event rows straight from the tables, the file read at its size) change no
answer (issue 14)."""

from __future__ import annotations

import datetime as dt
import tomllib
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import EventLog
from rectflow._casefile import document
from rectflow._casefile.document import structure_located
from rectflow._inputs import _TOMLI, TOML_ERRORS, loads_toml, read_input, toml_parser
from rectflow.errors import CaseFileError

CASES = st.one_of(
    rs.cases(max_problems=3, max_measures=2, with_events=True, max_events=6, allow_imported=True),
    rs.supervised_cases(max_problems=2, max_measures=2, max_rejections=1),
)


def test_the_compiled_tomli_is_the_parser_when_installed() -> None:
    """The dev environment installs the fast extra's tomli, compiled: it is the one used."""
    assert _TOMLI is tomli
    assert toml_parser() == (tomli.loads, "tomli")


@given(case=CASES)
@settings(max_examples=40, deadline=None)
def test_both_parsers_read_a_saved_case_to_the_same_document_and_case(case: rectflow.Case) -> None:
    """tomli and tomllib parse a saved case alike, and the documents make equal cases."""
    text = rectflow.dumps_case(case)
    fast, stdlib = tomli.loads(text), tomllib.loads(text)
    assert fast == stdlib
    assert structure_located(fast, None, text) == structure_located(stdlib, None, text) == case


BAD_TOML = [
    "schema = 2\nid = ",
    "schema = 2\nid = 'x\n",
    "schema = 2\nid = 'x'\nid = 'y'\n",
    "schema = 2\n[inspection\n",
    "schema = 2\nid = 'x' trailing\n",
    'schema = 2\nid = "\\e"\n',  # TOML 1.1's escape: refused by both (the extra pins tomli < 2.3)
    "schema = 2\nx = {a = 1,}\n",  # TOML 1.1's trailing comma
    "schema = 2\nx = 12:30\n",  # TOML 1.1's time without seconds
    "a = " + "[" * 3000 + "]" * 3000,  # too deep for both
]


@pytest.mark.parametrize("text", BAD_TOML)
def test_both_parsers_refuse_the_same_text_with_the_same_message(text: str) -> None:
    """What one refuses the other refuses, in the same words (messages carry the line)."""
    outcomes = []
    for parse in (tomli.loads, tomllib.loads):
        try:
            parse(text)
        except TOML_ERRORS as error:
            outcomes.append(("TOMLDecodeError", str(error)))
        except RecursionError:
            outcomes.append(("RecursionError", ""))
        else:
            outcomes.append(("parsed", ""))
    assert outcomes[0] == outcomes[1] != ("parsed", "")


@pytest.mark.parametrize("text", BAD_TOML)
def test_a_case_file_is_refused_alike_with_either_parser(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """loads_case says the same (key path, line, reason) with tomli and with tomllib alone."""
    refusals = []
    for parser in (tomli, None):
        monkeypatch.setattr("rectflow._inputs._TOMLI", parser)
        with pytest.raises(CaseFileError) as caught:
            rectflow.loads_case(text)
        refusals.append((caught.value.key_path, caught.value.line, str(caught.value)))
    assert refusals[0] == refusals[1]


class _Exhausted:
    """A parser that runs out of stack, as a compiled one may on deep text."""

    TOMLDecodeError = tomli.TOMLDecodeError

    @staticmethod
    def loads(text: str) -> dict[str, Any]:
        raise RecursionError


def test_where_the_compiled_parser_runs_out_of_stack_tomllib_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """loads_toml falls back to tomllib on a RecursionError: the answer is tomllib's."""
    monkeypatch.setattr("rectflow._inputs._TOMLI", _Exhausted)
    assert loads_toml("a = [[1]]\n") == {"a": [[1]]}
    with pytest.raises(RecursionError):
        loads_toml("a = " + "[" * 3000 + "]" * 3000)


EVENT_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "seq": st.one_of(st.integers(-2, 5), st.just("1"), st.just(True)),
    "trigger": st.one_of(st.sampled_from(["start", "extend", "adopt_plan"]), st.just(3)),
    "target": st.one_of(st.sampled_from(["case", "1.1", "1.1.1"]), st.none()),
    "on": st.one_of(
        st.dates(dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        st.just("2021-06-30"),
        st.just(dt.datetime(2021, 6, 30, 8, 0)),
    ),
    "actor": st.one_of(st.none(), st.text(max_size=3), st.just(5)),
    "note": st.one_of(st.none(), st.text(max_size=3)),
    "recorded_on": st.one_of(st.none(), st.dates(dt.date(2021, 1, 1), dt.date(2021, 12, 31))),
    "data": st.one_of(
        st.dictionaries(
            st.sampled_from(["due_on", "reason", "n"]),
            st.one_of(st.text(max_size=3), st.integers(), st.dates(), st.just([1])),
            max_size=2,
        ),
        st.just("x"),
    ),
    "extra": st.just(1),
}


@st.composite
def event_tables(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.sets(st.sampled_from(sorted(EVENT_VALUES))))
    return {key: draw(EVENT_VALUES[key]) for key in keys}


@given(tables=st.lists(event_tables(), max_size=4))
@settings(max_examples=300, deadline=None)
def test_event_rows_read_directly_equal_the_converters_or_defer_to_it(
    tables: list[dict[str, Any]],
) -> None:
    """The fast path's rows are exactly the converter's log; what it does not take, the
    converter reads (or refuses, saying where)."""
    converter = document._converter()
    try:
        expected: EventLog | None = converter.structure(tables, EventLog)
    except Exception:
        expected = None
    rows = document._plain_rows(tables)
    if rows is not None:
        assert expected is not None
        assert EventLog._of_rows(rows) == expected


def test_reading_a_small_file_allocates_about_its_size(tmp_path: Path) -> None:
    """read_input reads the file's size (plus one byte), not a buffer of the 128 MiB limit."""
    path = tmp_path / "small.toml"
    path.write_bytes(b"schema = 2\n" * 100)
    tracemalloc.start()
    try:
        raw = read_input(path, lambda reason, fix: ValueError(reason))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert raw == path.read_bytes()
    assert peak < 1024 * 1024


@st.composite
def saved_event_tables(draw: st.DrawFn) -> dict[str, Any]:
    """An event table as save_case writes one."""
    table: dict[str, Any] = {
        "seq": draw(st.integers(1, 10**6)),
        "trigger": draw(st.sampled_from(["start", "extend", "adopt_plan", "accept"])),
        "target": draw(st.sampled_from(["case", "1.1", "1.1.1"])),
        "on": draw(st.dates(dt.date(2021, 1, 1), dt.date(2021, 12, 31))),
    }
    for key in ("actor", "note"):
        if draw(st.booleans()):
            table[key] = draw(st.text(max_size=4))
    if draw(st.booleans()):
        table["recorded_on"] = draw(st.dates(dt.date(2021, 1, 1), dt.date(2022, 12, 31)))
    if draw(st.booleans()):
        data: dict[str, Any] = draw(
            st.dictionaries(
                st.sampled_from(["reason", "approver", "people"]),
                st.one_of(st.text(max_size=3), st.integers(), st.booleans()),
                max_size=3,
            )
        )
        if draw(st.booleans()):
            data["due_on"] = draw(st.dates())  # a day is a TOML date in a saved file
        table["data"] = data
    return table


@given(tables=st.lists(saved_event_tables(), max_size=6))
@settings(max_examples=200, deadline=None)
def test_saved_event_tables_take_the_fast_path_to_the_converters_log(
    tables: list[dict[str, Any]],
) -> None:
    """Tables as a saved file has them are read directly, to the very log the converter makes."""
    rows = document._plain_rows(tables)
    assert rows is not None
    assert EventLog._of_rows(rows) == document._converter().structure(tables, EventLog)
