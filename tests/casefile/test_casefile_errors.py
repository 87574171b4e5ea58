"""Strict loading: every kind of mistake in a case file names the file, key path, line and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectflow import load_case, loads_case, structure_case
from rectflow.errors import CaseFileError

GOOD = """\
schema = 1
version = 3
id = "c"
state = "plan_adopted"
feedback_on = 2021-01-05

[inspection]
kind = "xuncha"
onsite = { start = "2020-08-early", end = "2020-09" }

[[categories]]
id = "1"
title = "党的领导方面"

[[categories.problems]]
id = "1.1"
state = "open"
measures = [
    { id = "1.1.1", state = "open" },
    { id = "1.1.2", state = "open", due_on = 2021-03-01 },
]

[[categories]]
id = "2"

[[categories.problems]]
id = "2.1"
state = "in_progress"

[[categories.problems.measures]]
id = "2.1.1"
state = "in_progress"
due_on = 2021-03-01

[[categories.problems.measures]]
id = "2.1.2"
state = "open"
due_on = 2021-03-02
responsibility = { leader = "张三" }

[[events]]
seq = 1
trigger = "adopt_plan"
target = "case"
on = 2021-01-06

[[events]]
seq = 2
trigger = "start"
target = "2.1.1"
on = 2021-01-07
"""


def broken(old: str, new: str) -> str:
    """GOOD with the first ``old`` replaced by ``new`` (which must be there to replace)."""
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    """The 1-based line where ``fragment`` first appears in ``text``."""
    return text[: text.index(fragment)].count("\n") + 1


def error_for(text: str) -> CaseFileError:
    """The CaseFileError loading ``text`` as ``case.toml`` raises."""
    with pytest.raises(CaseFileError) as caught:
        loads_case(text, source="case.toml")
    return caught.value


def test_the_good_file_loads() -> None:
    """The base document of these tests is valid, so each test breaks exactly one thing."""
    case = loads_case(GOOD)
    assert (case.version, len(case.events), case.item("2.1.1").state.value) == (
        3,
        2,
        "in_progress",
    )


def test_a_toml_syntax_error_gives_its_line() -> None:
    """tomllib's line is kept, and the message says it is not valid TOML."""
    text = broken("due_on = 2021-03-02", "due_on = 2021-03-02 oops")
    error = error_for(text)
    assert (error.key_path, error.line) == ("", line_of(text, "oops"))
    assert "not valid TOML" in str(error)
    assert str(error).startswith(f"case.toml:{error.line}: ")


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("schema = 1\n", "", "no schema key"),
        ("schema = 1\n", "schema = 3\n", "unsupported schema 3"),
        ("schema = 1\n", "schema = 0\n", "unsupported schema 0"),
        ("schema = 1\n", 'schema = "1"\n', "unsupported schema '1'"),
    ],
)
def test_a_missing_or_unsupported_schema_is_refused(old: str, new: str, reason: str) -> None:
    """Schemas 1 (migrated) and 2 are read; the reason names them and the fix the one to write."""
    error = error_for(broken(old, new))
    assert error.key_path == "schema"
    assert reason in error.reason
    assert "schema = 2" in error.fix


def test_an_unknown_key_is_named_with_the_known_ones() -> None:
    """A misspelt key in a measure gives its key path, line and the measure's keys."""
    text = broken('id = "2.1.2"\n', 'id = "2.1.2"\ndue_date = 2021-01-01\n')
    error = error_for(text)
    assert error.key_path == "categories[1].problems[0].measures[1].due_date"
    assert error.line == line_of(text, "due_date")
    assert "known: id, text, responsibility, due_on, state" in error.reason


def test_an_unknown_top_level_key_lists_schema_among_the_known_ones() -> None:
    """The top level knows schema as well as the case's own keys."""
    error = error_for(broken("version = 3\n", "version = 3\nowner = 1\n"))
    assert error.key_path == "owner"
    assert "known: schema, id, inspected_body" in error.reason


def test_an_unknown_key_in_an_inline_table_is_found() -> None:
    """Inline tables are located too."""
    text = broken('{ leader = "张三" }', '{ leader = "张三", boss = "x" }')
    error = error_for(text)
    assert error.key_path == "categories[1].problems[0].measures[1].responsibility.boss"
    assert error.line == line_of(text, "boss")
    assert "known: leader, department, person" in error.reason


@pytest.mark.parametrize(
    ("old", "new", "key_path", "expected"),
    [
        ('id = "2.1.1"', "id = 211", "categories[1].problems[0].measures[0].id", "a string"),
        ("version = 3", 'version = "3"', "version", "an integer"),
        ("version = 3", "version = true", "version", "an integer"),
        ("on = 2021-01-06", 'on = "Jan 6"', "events[0].on", "a date"),
        ("on = 2021-01-06", "on = 2021-01-06T10:00:00", "events[0].on", "a date"),
        ("feedback_on = 2021-01-05", "feedback_on = 2021", "feedback_on", "a date"),
        ('kind = "xuncha"', "kind = []", "inspection.kind", "unknown value"),
        ('[inspection]\nkind = "xuncha"\n', 'inspection = "x"\n[other]\n', "inspection", "table"),
        (
            "due_on = 2021-03-02\n",
            'due_on = 2021-03-02\ntags = "a"\n',
            "categories[1].problems[0].measures[1].tags",
            "an array",
        ),
    ],
)
def test_a_wrong_type_names_the_expected_one(
    old: str, new: str, key_path: str, expected: str
) -> None:
    """Strings stay strings, integers integers, dates dates: nothing is coerced."""
    error = error_for(broken(old, new))
    assert error.key_path == key_path
    assert expected in error.reason
    assert error.line is not None


@pytest.mark.parametrize(
    ("old", "new", "key_path", "allowed"),
    [
        ('state = "plan_adopted"', 'state = "adopted"', "state", "feedback_received, plan_adopted"),
        (
            '{ id = "1.1.2", state = "open"',
            '{ id = "1.1.2", state = "done"',
            "categories[0].problems[0].measures[1].state",
            "open, in_progress, basically_completed",
        ),
        ('kind = "xuncha"', 'kind = "audit"', "inspection.kind", "xunshi, xuncha, other"),
    ],
)
def test_an_unknown_enum_value_lists_the_allowed_ones(
    old: str, new: str, key_path: str, allowed: str
) -> None:
    """States and kinds outside their enum name every allowed value."""
    text = broken(old, new)
    error = error_for(text)
    assert (error.key_path, error.line) == (key_path, line_of(text, new))
    assert allowed in error.reason


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ('"2021-13"', "month 13"),
        ('"2024-02-30"', "2024-02 has 29 days"),
        ('"2021-06-begin"', "expected YYYY"),
        ('"next week"', "expected YYYY"),
    ],
)
def test_a_bad_or_impossible_fuzzy_date_is_refused(value: str, why: str) -> None:
    """Date strings must be one of the fuzzy forms and a real day; the fix lists the forms."""
    text = broken("feedback_on = 2021-01-05", f"feedback_on = {value}")
    error = error_for(text)
    assert (error.key_path, error.line) == ("feedback_on", line_of(text, value))
    assert why in error.reason
    assert '"2021-06-early"' in error.fix


def test_an_impossible_toml_date_is_a_syntax_error() -> None:
    """2024-02-30 written bare is refused by TOML itself, with its line."""
    text = broken("due_on = 2021-03-02", "due_on = 2024-02-30")
    error = error_for(text)
    assert error.line == line_of(text, "2024-02-30")


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    """The on-site period's key path is named, and the fix says which end to correct."""
    text = broken('end = "2020-09"', 'end = "2020-07"')
    error = error_for(text)
    assert (error.key_path, error.line) == ("inspection.onsite", line_of(text, "onsite"))
    assert "ends before it starts" in error.reason
    assert "`end`" in error.fix


def test_a_due_date_before_the_feedback_date_is_refused() -> None:
    """A deadline cannot come before the feedback that starts the clock."""
    text = broken("due_on = 2021-03-02", "due_on = 2020-12-31")
    error = error_for(text)
    assert error.key_path == "categories[1].problems[0].measures[1].due_on"
    assert error.line == line_of(text, "2020-12-31")
    assert "before the feedback date 2021-01-05" in error.reason


def test_a_problem_due_before_the_feedback_date_is_refused() -> None:
    """A problem tracked without measures has its deadline checked the same way."""
    text = broken('id = "2.1"\n', 'id = "2.1"\ndue_on = 2020-01-01\n')
    error = error_for(text)
    assert (error.key_path, error.line) == (
        "categories[1].problems[0].due_on",
        line_of(text, "2020-01-01"),
    )
    assert "problem 2.1 is due on 2020-01-01" in error.reason


def test_a_duplicate_id_names_both_places() -> None:
    """A measure reusing a problem's id is a duplicate: they share one namespace."""
    text = broken('id = "2.1.2"', 'id = "1.1"')
    error = error_for(text)
    assert error.key_path == "categories[1].problems[0].measures[1].id"
    assert error.line == line_of(text, 'id = "1.1"\nstate = "open"\ndue_on')
    assert "first used at categories[0].problems[0].id" in error.reason


def test_a_duplicate_category_id_is_refused() -> None:
    """Categories need distinct ids too."""
    error = error_for(broken('id = "2"\n', 'id = "1"\n'))
    assert error.key_path == "categories[1].id"
    assert "first used at categories[0].id" in error.reason


def test_a_parent_that_is_not_a_problem_is_refused() -> None:
    """parent must name a problem of the case."""
    error = error_for(broken('id = "2.1"\n', 'id = "2.1"\nparent = "1.1.1"\n'))
    assert error.key_path == "categories[1].problems[0].parent"


def test_events_must_be_numbered_one_to_n() -> None:
    """A gap or repeat in seq names the event and its expected number."""
    text = broken("seq = 2", "seq = 3")
    error = error_for(text)
    assert (error.key_path, error.line) == ("events[1].seq", line_of(text, "seq = 3"))
    assert "this one is 2" in error.fix


def test_an_event_the_lifecycle_does_not_allow_names_the_event_and_state() -> None:
    """An event log that does not replay points at the first refused event."""
    text = broken('trigger = "start"', 'trigger = "close"')
    error = error_for(text)
    assert error.key_path == "events[1]"
    assert error.line == line_of(text, "seq = 2") - 1
    assert "event #2 'close' on 2.1.1 is not allowed from state open" in error.reason
    assert "allowed there: start" in error.reason


def test_an_event_on_an_unknown_item_or_trigger_is_refused() -> None:
    """Targets must be items of the ledger or "case"; triggers must exist."""
    error = error_for(broken('target = "2.1.1"', 'target = "9.9"'))
    assert error.key_path == "events[1].target"
    error = error_for(broken('trigger = "start"', 'trigger = "begin"'))
    assert error.key_path == "events[1].trigger"
    assert "known: start, mark_basically_completed" in error.reason


@pytest.mark.parametrize(
    ("old", "new", "key_path"),
    [
        ('state = "plan_adopted"', 'state = "reported"', "state"),
        (
            'id = "2.1"\nstate = "in_progress"',
            'id = "2.1"\nstate = "open"',
            "categories[1].problems[0].state",
        ),
        (
            'id = "2.1.2"\nstate = "open"',
            'id = "2.1.2"\nstate = "completed"',
            "categories[1].problems[0].measures[1].state",
        ),
    ],
)
def test_a_stored_state_that_the_events_do_not_lead_to_is_refused(
    old: str, new: str, key_path: str
) -> None:
    """States are checked against a replay of the event log from the initial states."""
    error = error_for(broken(old, new))
    assert error.key_path == key_path
    assert "disagrees with the events" in error.reason
    assert "initial_state" in error.fix


def test_a_missing_required_key_points_at_its_table() -> None:
    """A measure without an id is found at its [[...]] header."""
    text = broken(
        '[[categories.problems.measures]]\nid = "2.1.1"\n', "[[categories.problems.measures]]\n"
    )
    error = error_for(text)
    assert error.key_path == "categories[1].problems[0].measures[0].id"
    assert error.line == line_of(text, "[[categories.problems.measures]]")
    assert "required key 'id' is missing" in error.reason


def test_several_mistakes_are_counted_in_the_first_message() -> None:
    """The first mistake is described, and the count of the others is given."""
    error = error_for(broken('kind = "xuncha"', 'kind = "a"\nbody = 1'))
    assert "1 more problem(s)" in error.reason


def test_errors_from_a_dict_have_no_line_but_a_key_path() -> None:
    """structure_case (no text) still names the key path."""
    with pytest.raises(CaseFileError) as caught:
        structure_case({"schema": 1, "id": "c", "categories": [{"id": 1}]})
    assert (caught.value.key_path, caught.value.line) == ("categories[0].id", None)


def test_load_case_names_the_file_and_refuses_bad_utf8(tmp_path: Path) -> None:
    """A file that is not UTF-8 gets the line of the bad byte; a missing file says so."""
    path = tmp_path / "case.toml"
    path.write_bytes(GOOD.encode() + b'note = "\xff"\n')
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    assert (caught.value.path, caught.value.line) == (path, GOOD.count("\n") + 1)
    assert "UTF-8" in caught.value.reason
    with pytest.raises(CaseFileError, match="cannot read"):
        load_case(tmp_path / "missing.toml")


@pytest.mark.parametrize("nested", ["{a=" * 3000 + "1" + "}" * 3000, "[" * 3000 + "]" * 3000])
def test_absurdly_deep_nesting_is_a_case_file_error(nested: str) -> None:
    """Thousands of nested inline tables or arrays get an error, not a RecursionError."""
    error = error_for(f'schema = 1\nid = "c"\nx = {nested}\n')
    assert "too deeply" in error.reason


def test_an_unknown_table_header_is_found_on_its_line() -> None:
    """A [table] the schema does not know is located by its header, even a dotted one."""
    text = GOOD + "\n[extra.deeper]\nx = 1\n"
    error = error_for(text)
    assert (error.key_path, error.line) == ("extra", line_of(text, "[extra.deeper]"))


def test_a_file_error_found_after_parsing_names_its_line(tmp_path: Path) -> None:
    """load_case drops a big file's text while the model is built and reads the file again
    for the line of an error found then: the line is the one loads_case gives."""
    text = "\ufeff" + GOOD.replace('id = "1.1"', 'id = "1.1"\nsurprise = 1', 1)
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    assert caught.value.line == error_for(text).line == line_of(text, "surprise")
    assert caught.value.key_path == "categories[0].problems[0].surprise"


def test_a_file_changed_before_its_error_is_located_gets_no_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the file's bytes changed between the read and the error, a line read from the new
    bytes could point anywhere: the error keeps its key path and names no line."""
    from rectflow._inputs import read_input

    path = tmp_path / "case.toml"
    path.write_text(GOOD.replace('id = "1.1"', 'id = "1.1"\nsurprise = 1', 1), encoding="utf-8")
    reads: list[bytes] = []

    def read_then_change(where: Path, error: object) -> bytes:
        reads.append(read_input(where, error))  # type: ignore[arg-type]
        if len(reads) == 1:
            path.write_text("\n" * 50 + path.read_text(encoding="utf-8"), encoding="utf-8")
        return reads[-1]

    monkeypatch.setattr("rectflow._casefile.files.read_input", read_then_change)
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    assert len(reads) == 2
    assert caught.value.key_path == "categories[0].problems[0].surprise"
    assert caught.value.line is None
