"""The error hierarchy: one root, data as attributes, messages that say where, why and how."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest

import rectflow.errors
from rectflow import Level, Violation
from rectflow.errors import (
    CaseFileError,
    ConflictError,
    InvalidDateError,
    NoticeParseError,
    PolicyError,
    RectflowError,
    TransitionNotAllowed,
    UnknownItemError,
    UnknownTriggerError,
    UnknownYearError,
)


def error_classes() -> list[type[BaseException]]:
    """Every exception class that ``rectflow.errors`` exports."""
    return [
        obj
        for name in rectflow.errors.__all__
        if inspect.isclass(obj := getattr(rectflow.errors, name)) and issubclass(obj, BaseException)
    ]


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.__name__)
def test_every_error_is_a_rectflow_error(cls: type[BaseException]) -> None:
    """Catching RectflowError catches every error rectflow raises on purpose."""
    assert issubclass(cls, RectflowError)


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.__name__)
def test_every_error_documents_its_attributes(cls: type[BaseException]) -> None:
    """Each error class has a docstring; those taking data list it under ``Attributes``."""
    doc = inspect.getdoc(cls) or ""
    assert doc
    takes_data = cls is not RectflowError
    assert takes_data == ("Attributes:" in doc)


def test_errors_module_exports_are_sorted() -> None:
    """``rectflow.errors.__all__`` is sorted and names only what the module defines."""
    assert sorted(rectflow.errors.__all__) == rectflow.errors.__all__
    assert all(hasattr(rectflow.errors, name) for name in rectflow.errors.__all__)


def test_invalid_date_error_carries_value_and_reason() -> None:
    """It is also a ValueError, so callers catching ValueError keep working."""
    error = InvalidDateError("2021-02-30", "2021-02 has 28 days")
    assert (error.value, error.reason, isinstance(error, ValueError)) == (
        "2021-02-30",
        "2021-02 has 28 days",
        True,
    )
    assert str(error) == "'2021-02-30' is not a valid date: 2021-02 has 28 days"


def test_unknown_item_error_says_how_to_list_the_ids() -> None:
    """The message names the case and the id, and the command that lists ids."""
    error = UnknownItemError("9.9", "qy-hospital")
    assert (error.item_id, error.case_id) == ("9.9", "qy-hospital")
    assert str(error) == (
        "case 'qy-hospital' has no problem or measure '9.9'; "
        "`rectflow status CASE --items` lists the ids"
    )


def test_unknown_trigger_error_lists_the_known_triggers() -> None:
    """The message lists every trigger of that lifecycle."""
    error = UnknownTriggerError("fly", "item", ["start", "close"])
    assert (error.trigger, error.lifecycle, error.known) == ("fly", "item", ("start", "close"))
    assert str(error) == "unknown item trigger 'fly' (known: start, close)"


def test_transition_not_allowed_names_target_state_trigger_and_allowed() -> None:
    """The STYLE.md example message, and the data behind it."""
    error = TransitionNotAllowed("12.3", "in_progress", "close", ["complete", "mark_long_term"])
    assert (error.target, error.state, error.trigger, error.allowed, error.violations) == (
        "12.3",
        "in_progress",
        "close",
        ("complete", "mark_long_term"),
        (),
    )
    assert str(error) == (
        "can't close item 12.3: it is in_progress; allowed there: complete, mark_long_term"
    )


def test_transition_not_allowed_with_nothing_allowed_says_none() -> None:
    """An item with no allowed trigger says so rather than listing nothing."""
    error = TransitionNotAllowed("case", "closed", "adopt_plan", [])
    assert str(error) == "can't adopt_plan the case: it is closed; allowed there: none"


def test_transition_not_allowed_by_a_rule_names_the_rule_and_the_fix() -> None:
    """A guard's violations replace the allowed list with what forbids it and how to pass."""
    violation = Violation(
        "evidence.closure", Level.ERROR, "m[1]", "no evidence", hint="attach a document"
    )
    error = TransitionNotAllowed("1", "completed", "close", ["close", "reopen"], [violation])
    assert error.violations == (violation,)
    assert str(error) == (
        "can't close item 1: it is completed, and a blocking rule forbids it: "
        "evidence.closure: no evidence (attach a document)"
    )


def test_transition_not_allowed_with_a_reason_gives_it() -> None:
    """A reason explains refusals that are neither the table's nor a rule's."""
    error = TransitionNotAllowed("1.1", "open", "start", [], reason="fire it on its measures")
    assert error.reason == "fire it on its measures"
    assert str(error) == "can't start item 1.1: it is open; fire it on its measures"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"path": Path("case.toml"), "key_path": "categories[0].id", "line": 7},
            "case.toml:7: categories[0].id: bad; do this",
        ),
        ({"path": "case.toml", "key_path": ""}, "case.toml: bad; do this"),
        ({"path": None, "key_path": "schema"}, "<case>: schema: bad; do this"),
    ],
)
def test_case_file_error_says_file_line_key_reason_and_fix(
    kwargs: dict[str, object], message: str
) -> None:
    """Where (file, line, key path), why and how to fix it, each also an attribute."""
    error = CaseFileError(reason="bad", fix="do this", **kwargs)  # type: ignore[arg-type]
    assert str(error) == message
    assert (error.reason, error.fix, error.key_path) == ("bad", "do this", kwargs["key_path"])
    assert error.path == (None if kwargs["path"] is None else Path(str(kwargs["path"])))


def test_conflict_error_is_a_case_file_error_with_both_versions() -> None:
    """A concurrent writer's save is reported with the versions and the way out."""
    error = ConflictError("case.toml", 3, 4)
    assert isinstance(error, CaseFileError)
    assert (error.expected_version, error.found_version, error.key_path) == (3, 4, "version")
    assert "loaded version 3, now 4" in str(error)
    assert "load the file again" in str(error)


def test_policy_error_says_source_line_key_reason_and_fix() -> None:
    """Same shape as a case file error, for policies."""
    error = PolicyError("p.toml", "checks.deadlines", 'unknown option "grace_day"', "use x", 3)
    assert (error.source, error.key_path, error.line) == ("p.toml", "checks.deadlines", 3)
    assert str(error) == 'p.toml:3: checks.deadlines: unknown option "grace_day"; use x'


def test_unknown_year_error_says_which_years_are_known_and_the_way_out() -> None:
    """A calendar without that year's schedule names the years it has and the setting."""
    error = UnknownYearError("cn", 2031, (2004, 2026))
    assert (error.calendar, error.year, error.known) == ("cn", 2031, (2004, 2026))
    assert "2004-2026" in str(error)
    assert "unknown_years" in str(error)
    # The way the user can take today, without waiting for a release: the year's schedule.
    assert "`--schedule FILE`, or the policy's [calendar] schedules" in str(error)


def test_notice_parse_error_carries_line_and_details() -> None:
    """The line where reading stopped, and any details, are attributes."""
    error = NoticeParseError("no title", line=1, found="空")
    assert (error.reason, error.line, error.details) == ("no title", 1, {"found": "空"})
    assert str(error) == "line 1: no title"


SAMPLES = [
    InvalidDateError(dt.date(2021, 1, 1), "why"),
    UnknownItemError("9.9", "c"),
    UnknownTriggerError("fly", "item", ["start"]),
    TransitionNotAllowed("1", "open", "close", ["start"], reason="r"),
    CaseFileError("case.toml", "schema", "bad", "fix", 3),
    ConflictError("case.toml", 1, 2),
    PolicyError("p.toml", "k", "bad", "fix"),
    UnknownYearError("cn", 2031, (2004, 2026)),
    NoticeParseError("no title", line=1, found="x"),
]


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_errors_pickle_with_their_message_and_attributes(error: RectflowError) -> None:
    """Errors cross process boundaries (multiprocessing, xdist) with message and data intact."""
    import pickle

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own data, just pickled
    assert (type(copy), str(copy), vars(copy)) == (type(error), str(error), vars(error))
