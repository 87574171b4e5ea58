"""Edit events in a case file: their data is checked before replay, with the key path, the line
and the fix; an edit whose value before does not chain is refused naming the event."""

from __future__ import annotations

import datetime as dt

import pytest

import rectflow as rf
from rectflow.errors import CaseFileError

D = dt.date


def walked() -> str:
    """A small case with one of each edit, as dumps_case writes it."""
    case = rf.Case(
        "edits",
        feedback_on=rf.FuzzyDate.of(D(2024, 3, 1)),
        categories=[
            rf.Category(
                "1", "方面", [rf.Problem("1.1", "问题", measures=[rf.Measure("1.1.1", "措施")])]
            )
        ],
    )
    rf.assign(case, "1.1.1", rf.Responsibility(department="办公室"), on=D(2024, 3, 5))
    rf.set_due(case, "1.1.1", D(2024, 6, 30), on=D(2024, 3, 5))
    rf.extend(case, "1.1.1", D(2024, 8, 31), approver="领导小组", reason="跨季度", on=D(2024, 6, 1))
    rf.record_accountability(
        case, rf.Accountability(rf.AccountabilityForm.CRITICISM, 2, on=D(2024, 6, 2))
    )
    rf.evaluate(case, rf.Evaluation(D(2024, 9, 1), rf.Grade.GOOD, 91))
    return rf.dumps_case(case)


def error(text: str) -> CaseFileError:
    with pytest.raises(CaseFileError) as raised:
        rf.loads_case(text, source="edits.toml")
    return raised.value


def test_the_walked_case_loads() -> None:
    """The unbroken file reads back."""
    assert rf.loads_case(walked()).item("1.1.1").due_on == D(2024, 8, 31)


@pytest.mark.parametrize(
    ("old", "new", "key_path", "reason"),
    [
        ('reason = "跨季度"\n', "", "events[2].data.reason", "needs reason (text)"),
        ("due_on = 2024-08-31\nprevious", 'due_on = "soon"\nprevious', "events[2].data",
         "'soon'"),
        ('form = "criticism"', 'form = "scolding"', "events[3].data.form", "not one of"),
        ('grade = "good"', "grade = 5", "events[4].data.grade", "not text"),
        ("people = 2", "people = 0", "events[3].data.people", "not a whole number"),
    ],
)  # fmt: skip
def test_bad_edit_data_is_refused_at_its_key_with_its_line(
    old: str, new: str, key_path: str, reason: str
) -> None:
    """A missing or wrong value in an edit's data names the event, the key and the line (the
    last occurrence is the event's: the records above it say the same)."""
    text = walked()
    at = text.rindex(old)
    broken = text[:at] + new + text[at + len(old) :]
    found = error(broken)
    assert found.key_path == key_path
    assert reason in found.reason
    assert found.line is not None


def test_an_edit_without_its_data_is_refused() -> None:
    """An ``assign`` event whose data table was deleted says it has none."""
    text = walked()
    start = text.index("[events.data]")
    end = text.index("[[events]]", start)
    found = error(text[:start] + text[end:])
    assert found.key_path == "events[0]"
    assert "records what it changed in data" in found.reason


def test_a_trigger_with_data_is_refused() -> None:
    """Data belongs to edits: a state trigger carrying a data table is a mistake."""
    text = walked() + '\n[[events]]\nseq = 6\ntrigger = "start"\ntarget = "1.1.1"\n'
    text += 'on = 2024-09-02\n\n[events.data]\nnote = "x"\n'
    found = error(text)
    assert found.key_path == "events[5].data"
    assert "carries no data" in found.reason


def test_a_hand_moved_value_before_is_refused_naming_the_event() -> None:
    """The extension says the deadline was 2024-07-31 before it, but set_due made it 06-30."""
    text = walked().replace("previous_due_on = 2024-06-30", "previous_due_on = 2024-07-31", 1)
    found = error(text)
    assert found.key_path == "events[2]"
    assert "says due_on was datetime.date(2024, 7, 31) before it" in found.reason
