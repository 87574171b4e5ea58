"""Case documents: the cattrs converter between a :class:`Case` and its TOML-ready dict.

One converter (un)structures the model with generated functions — no per-class dict code — and
hooks for fuzzy dates, enums, the event log and strict scalars (``5`` never becomes ``"5"``
here). Structuring is strict: any mistake becomes a :class:`~rectflow.errors.CaseFileError`
naming the key path, the line (when the source text is known) and the fix; it replays the
event log and checks every stored state against it. ``files`` reads and writes them;
``docs/case-file.md`` documents the schema.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NoReturn, get_args, get_origin

import attrs
import cattrs
from cattrs import cols
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from rectflow._casefile.locate import KeyPath, format_key_path, locate
from rectflow._core.dates import FuzzyDate
from rectflow._core.edits import (
    ACCOUNTABILITY,
    ADD_PROBLEM,
    DATE_KEYS,
    EVALUATE,
    ITEM_EDITS,
    data_problem,
)
from rectflow._core.events import EventData, EventRow
from rectflow._core.fields import force
from rectflow._core.history import check_log
from rectflow._core.lifecycle import ADD_MEASURE, CASE_LIFECYCLE, ITEM_LIFECYCLE, replay_in_place
from rectflow._core.model import (
    COUNT_SUBJECTS,
    Case,
    Disclosure,
    Event,
    EventLog,
    Inspection,
    ItemIndex,
    Measure,
    Problem,
    Review,
    ReviewOutcome,
    StatedCount,
)
from rectflow._i18n import N_, Msg
from rectflow.errors import (
    CaseFileError,
    EventOrderError,
    InvalidDateError,
    TransitionNotAllowed,
)

__all__ = [
    "READABLE_SCHEMAS",
    "SCHEMA_VERSION",
    "migrate_document",
    "structure_case",
    "structure_located",
    "unstructure_case",
]

SCHEMA_VERSION = 2
"""The case-file schema this rectflow writes (the document's ``schema`` key)."""

READABLE_SCHEMAS = (1, 2)
"""The schemas this rectflow reads: older ones are migrated in memory (:func:`migrate_document`)
and written as :data:`SCHEMA_VERSION` only when the case is saved."""

_FUZZY_FORMS = N_(
    'an exact day as a TOML date (2021-06-30), or a string: "2021", "2021-06", '
    '"2021-06-early" / "-mid" / "-late", "2021-06-30", with a trailing "?" when the year '
    'was inferred ("2021-06-30?")'
)
_OUTCOMES = ("confirmed", "reopened")
_SOURCE = Path | str | None


class _InvalidValueError(Exception):
    """A value of the wrong type or outside its allowed set (raised inside cattrs hooks)."""

    def __init__(self, reason: str, fix: str) -> None:
        self.reason = reason
        self.fix = Msg.of(fix)
        super().__init__(reason)


# The names of TOML's types, as the messages say them.
_TYPE_NAMES = {
    str: N_("a string"),
    int: N_("an integer"),
    float: N_("a float"),
    bool: N_("a boolean"),
    dict: N_("a table"),
    list: N_("an array"),
    dt.date: N_("a date"),
    dt.datetime: N_("a date-time"),
}


def _write(what: str) -> Msg:
    """``write <what>``, the fix for a value of the wrong type."""
    return Msg("write {what}", what=Msg.of(what))


def _type_name(value: object) -> str:
    name = _TYPE_NAMES.get(type(value))
    return Msg.of(name) if name is not None else type(value).__name__


def _wrong_type(expected: str, value: object, fix: str) -> _InvalidValueError:
    shown = repr(value) if isinstance(value, str) else str(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return _InvalidValueError(
        Msg(
            "expected {expected}, found {found} {shown}",
            expected=Msg.of(expected),
            found=_type_name(value),
            shown=shown,
        ),
        fix,
    )


# -- scalar hooks ------------------------------------------------------------------------------


def _structure_str(value: object, _: object) -> str:
    if type(value) is not str:
        raise _wrong_type(N_("a string"), value, N_('quote it: "..."'))
    return value


def _structure_int(value: object, _: object) -> int:
    if type(value) is not int:
        raise _wrong_type(N_("an integer"), value, N_("write a whole number without quotes"))
    return value


def _structure_bool(value: object, _: object) -> bool:
    if type(value) is not bool:
        raise _wrong_type(N_("a boolean"), value, N_("write true or false without quotes"))
    return value


def _structure_day(value: object, _: object) -> dt.date:
    if type(value) is dt.date:
        return value
    if type(value) is str:  # JSON documents carry dates as ISO strings
        with contextlib.suppress(ValueError):
            if len(value) == 10:
                return dt.date.fromisoformat(value)
    raise _wrong_type(
        N_("a date"), value, N_("write a day as a TOML date without quotes: 2021-06-30")
    )


def _structure_fuzzy(value: object, _: object) -> FuzzyDate:
    if type(value) is dt.date:
        return FuzzyDate.of(value)
    if type(value) is str:
        return FuzzyDate.parse(value)
    raise _wrong_type(N_("a date"), value, _write(_FUZZY_FORMS))


def _unstructure_fuzzy(value: FuzzyDate) -> dt.date | str:
    if value.is_exact:
        return dt.date(value.year, value.month, value.day)  # type: ignore[arg-type]
    return str(value)


def _structure_enum(value: object, cl: type[enum.Enum]) -> enum.Enum:
    try:
        return cl(value)
    except (ValueError, TypeError):
        allowed = ", ".join(str(member.value) for member in cl)
        raise _InvalidValueError(
            Msg("unknown value {value!r} (allowed: {allowed})", value=value, allowed=allowed),
            N_("use one of the allowed values"),
        ) from None


def _structure_subject(value: object, _: object) -> str:
    subject = _structure_str(value, _)
    if subject not in COUNT_SUBJECTS:
        raise _InvalidValueError(
            Msg(
                "unknown subject {subject!r} (allowed: {allowed})",
                subject=subject,
                allowed=", ".join(COUNT_SUBJECTS),
            ),
            N_("use a problem kind, problems or measures"),
        )
    return subject


def _structure_outcome(value: object, _: object) -> str:
    outcome = _structure_str(value, _)
    if outcome not in _OUTCOMES:
        raise _InvalidValueError(
            Msg(
                "unknown outcome {outcome!r} (allowed: {allowed})",
                outcome=outcome,
                allowed=", ".join(_OUTCOMES),
            ),
            N_("use one of the allowed values"),
        )
    return outcome


# -- the converter -----------------------------------------------------------------------------

# Fields written even when they hold their default: states and kinds read better spelled out.
_KEEP = override(omit_if_default=False)
_OVERRIDES: dict[type, dict[str, Any]] = {
    Case: {"state": _KEEP, "version": _KEEP},
    Inspection: {"kind": _KEEP},
    Problem: {"kind": _KEEP, "classification": _KEEP, "_state": _KEEP},
    Measure: {"state": _KEEP},
    Disclosure: {"scope": _KEEP},
    Review: {"kind": _KEEP},
    ReviewOutcome: {"outcome": override(omit_if_default=False, struct_hook=_structure_outcome)},
    StatedCount: {"subject": override(struct_hook=_structure_subject)},
}


def _is_list(cl: Any) -> bool:
    return get_origin(cl) is list


def _is_tuple(cl: Any) -> bool:
    return get_origin(cl) is tuple and get_args(cl)[1:] == (...,)


def _is_dict(cl: Any) -> bool:
    return get_origin(cl) is dict


def _known_keys(cl: type) -> list[str]:
    keys = [a.alias for a in attrs.fields(cl) if a.init]
    return ["schema", *keys] if cl is Case else keys


def _strict_container(
    kind: type, factory: Callable[[Any, cattrs.Converter], Callable[[Any, Any], Any]], name: str
) -> Callable[[Any, cattrs.Converter], Callable[[Any, Any], Any]]:
    """Wrap a cattrs collection factory so that only the TOML type it expects gets in."""

    def make(cl: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
        inner: Callable[[Any, Any], Any] = factory(cl, converter)

        def structure(value: Any, _: Any) -> Any:
            if type(value) is not kind:
                raise _wrong_type(name, value, _write(name))
            return inner(value, cl)

        return structure

    return make


def _class_factory(cl: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cl, converter, **_OVERRIDES.get(cl, {})
    )
    header = Msg("a table ({keys})", keys=", ".join(_known_keys(cl)))

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            raise _wrong_type(N_("a table"), value, _write(header))
        return inner(value, cl)

    return structure


def _class_unstructure_factory(cl: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    inner: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cl, converter, _cattrs_omit_if_default=True, **_OVERRIDES.get(cl, {})
    )
    if cl is not Problem:
        return inner

    def unstructure_problem(problem: Problem) -> dict[str, Any]:
        data = inner(problem)
        if problem.measures:  # the file carries the state derived from the measures
            data["state"] = problem.state.value
        return data

    return unstructure_problem


def _event_log_structure(_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], EventLog]:
    events = converter.get_structure_hook(list[Event])

    def structure(value: Any, _: Any) -> EventLog:
        if type(value) is PlainRows:  # read straight into rows (eventrows): a copy, to append to
            return EventLog._of_rows(list(value.rows))
        rows = _plain_rows(value)
        if rows is not None:
            return EventLog._of_rows(rows)
        return EventLog(events(value, list[Event]))

    return structure


class PlainRows:
    """An event log read straight into the log's rows by :mod:`rectflow._casefile.eventrows`,
    each row as :func:`_plain_rows` would have made it from the parser's tables (its data
    through :func:`structure_event_data`); the converter takes the rows as they are."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[EventRow]) -> None:
        self.rows = rows


def structure_event_data(table: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """An event's ``data`` table as the log's pairs, checked as the converter checks it."""
    return _structure_data(table, None)._pairs


_EVENT_KEYS = frozenset(field.name for field in attrs.fields(Event))
_NO_DATA = object()


def _plain_rows(value: object) -> list[EventRow] | None:
    """The log's rows straight from an array of event tables when every one is plainly right
    (each key an Event field, every value of its field's type, a day a TOML date), which is
    what ``save_case`` writes; ``None`` for anything else, which the converter then reads and
    refuses with the key path. Building a checked :class:`Event` per table, for the log to
    take it apart again, cost more than the rest of loading a big case file."""
    if type(value) is not list:
        return None
    rows: list[EventRow] = []
    append = rows.append
    day = dt.date
    keys = _EVENT_KEYS
    for item in value:
        if type(item) is not dict or not keys.issuperset(item):
            return None
        seq = item.get("seq")
        trigger = item.get("trigger")
        target = item.get("target")
        on = item.get("on")
        actor = item.get("actor")
        note = item.get("note")
        recorded_on = item.get("recorded_on")
        if (
            type(seq) is not int
            or seq < 1
            or type(trigger) is not str
            or type(target) is not str
            or type(on) is not day
            or (actor is not None and type(actor) is not str)
            or (note is not None and type(note) is not str)
            or (recorded_on is not None and type(recorded_on) is not day)
        ):
            return None
        data = item.get("data", _NO_DATA)
        if data is _NO_DATA:
            pairs: tuple[tuple[str, Any], ...] = ()
        else:
            try:
                pairs = _structure_data(data, None)._pairs
            except Exception:
                return None
        append((seq, trigger, target, on, actor, note, recorded_on, pairs))
    return rows


def _event_log_unstructure(_: Any, converter: cattrs.Converter) -> Callable[[EventLog], Any]:
    event = converter.get_unstructure_hook(Event)
    return lambda log: [event(e) for e in log]


def _enum_value(member: enum.Enum) -> Any:
    return member.value


_DATA_TYPES = (str, int, float, bool, dt.date)


def _structure_data(value: object, _: object) -> EventData:
    if type(value) is not dict:
        raise _wrong_type(N_("a table"), value, N_("write data = { key = value, … }"))
    value = {
        # A JSON copy of a case file writes days as text.
        key: _structure_day(item, None) if key in DATE_KEYS and type(item) is str else item
        for key, item in value.items()
    }
    for key, item in value.items():
        if type(item) not in _DATA_TYPES:
            raise _InvalidValueError(
                Msg("data.{key} holds {found}", key=key, found=_type_name(item)),
                N_("write text, a number, true/false or a date"),
            )
    return EventData(value)


def _unstructure_data(data: EventData) -> dict[str, Any]:
    return dict(data)


@functools.cache
def _converter() -> cattrs.Converter:
    """The case-file converter, built on first use (generating its functions takes a moment).

    Hooks for classes and collections are factories, so each function is generated when first
    needed, after every hook it relies on is registered.
    """
    converter = cattrs.Converter(
        forbid_extra_keys=True, detailed_validation=True, omit_if_default=True, use_alias=True
    )
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(dt.date, _structure_day)
    converter.register_structure_hook(FuzzyDate, _structure_fuzzy)
    converter.register_unstructure_hook(FuzzyDate, _unstructure_fuzzy)
    converter.register_structure_hook(EventData, _structure_data)
    converter.register_unstructure_hook(EventData, _unstructure_data)
    # Registered on StrEnum itself: the model's enums are strings, and the str hook would win.
    for base in (enum.Enum, enum.StrEnum):
        converter.register_structure_hook(base, _structure_enum)
        converter.register_unstructure_hook(base, _enum_value)
    converter.register_structure_hook_factory(
        _is_list, _strict_container(list, cols.list_structure_factory, "an array")
    )
    converter.register_structure_hook_factory(
        _is_tuple, _strict_container(list, cols.homogenous_tuple_structure_factory, "an array")
    )
    converter.register_structure_hook_factory(
        _is_dict, _strict_container(dict, cols.mapping_structure_factory, "a table of counts")
    )
    converter.register_structure_hook_factory(attrs.has, _class_factory)
    converter.register_unstructure_hook_factory(attrs.has, _class_unstructure_factory)
    converter.register_structure_hook_factory(lambda t: t is EventLog, _event_log_structure)
    converter.register_unstructure_hook_factory(lambda t: t is EventLog, _event_log_unstructure)
    return converter


# -- documents ---------------------------------------------------------------------------------


_HEAD = ("version", "id", "inspected_body", "state", "initial_state", "feedback_on", "report_on")


def unstructure_case(case: Case) -> dict[str, Any]:
    """The case as the TOML-ready document :func:`dumps_case` writes.

    Plain dicts, lists, strings, integers and dates, with ``None`` and empty collections left
    out; ``json.dumps(doc, default=str, ensure_ascii=False)`` writes it as JSON.
    """
    data: dict[str, Any] = _converter().unstructure(case, Case)
    # The keys a reader looks for first go first; tomli-w writes tables after them anyway.
    head = {"schema": SCHEMA_VERSION}
    for key in _HEAD:
        if key in data:
            head[key] = data.pop(key)
    return head | data


def structure_case(data: Mapping[str, Any], *, source: _SOURCE = None) -> Case:
    """A case from a document as :func:`unstructure_case` makes it, checked as strictly as a file.

    Args:
        data: the document (a table read from TOML or JSON).
        source: where it came from, named in errors.

    Raises:
        CaseFileError: the document is not a valid case (see :func:`loads_case`).
    """
    return structure_located(data, source, None)


# -- checking ----------------------------------------------------------------------------------


class _DocumentError(Exception):
    """A problem found in a document, before it is turned into a CaseFileError."""

    def __init__(self, path: KeyPath, reason: str, fix: str) -> None:
        self.path = path
        self.reason = reason
        self.fix = Msg.of(fix)
        super().__init__(reason)


def _raise(failure: _DocumentError, source: _SOURCE, text: _Text) -> NoReturn:
    if callable(text):
        text = text()
    line = locate(text, failure.path) if text is not None else None
    raise CaseFileError(
        source, format_key_path(failure.path), failure.reason, failure.fix, line
    ) from None


_Text = str | Callable[[], str | None] | None
"""The source text errors are located in: the text, a function that gives it when an error
needs it (None when it can no longer be had), or None."""


def structure_located(data: Mapping[str, Any], source: _SOURCE, text: _Text) -> Case:
    """:func:`structure_case`, with the source ``text`` to find lines for errors in."""
    try:
        case = _structure_checked(data)
        _check_ledger(case)
        _check_events(case)
    except _DocumentError as failure:
        _raise(failure, source, text)
    return case


def _structure_checked(data: Mapping[str, Any]) -> Case:
    if "schema" not in data:
        raise _DocumentError(
            ("schema",),
            N_("the document has no schema key"),
            Msg("add `schema = {schema}` as the first line", schema=SCHEMA_VERSION),
        )
    schema = data["schema"]
    if type(schema) is not int or schema not in READABLE_SCHEMAS:
        readable = Msg("{first} and {last}", first=READABLE_SCHEMAS[0], last=READABLE_SCHEMAS[-1])
        raise _DocumentError(
            ("schema",),
            Msg(
                "unsupported schema {schema!r} (this rectflow reads schemas {readable})",
                schema=schema,
                readable=readable,
            ),
            Msg(
                "write `schema = {schema}`, or upgrade rectflow to read a newer file",
                schema=SCHEMA_VERSION,
            ),
        )
    document = migrate_document(data)
    del document["schema"]
    try:
        case: Case = _converter().structure(document, Case)
    except BaseValidationError as error:
        raise _first_failure(error, (), Case) from None
    if case.version < 0:
        raise _DocumentError(("version",), N_("the version is negative"), N_("write `version = 0`"))
    return case


def migrate_document(data: Mapping[str, Any]) -> dict[str, Any]:
    """A case document of any readable schema as a document of :data:`SCHEMA_VERSION` (a new
    dict; ``data`` is not changed).

    Schema 1 (rectflow 0.1) to 2: evidence was a list of strings, each becoming an evidence
    table with that ``title`` (kind ``document``, internal, no date or reference): 0.1 kept no
    more, and the migration invents none. Nothing else differs: schema 2 only adds keys
    (evidence tables, problems' ``responsibility`` and ``evidence``, ``accountability``,
    ``evaluations``, events' ``data``) and states (``submitted``). The document's ``schema``
    becomes 2; the file on disk is rewritten only when the case is saved.
    """
    document = dict(data)
    if document.get("schema") == 1:
        categories = document.get("categories")
        if type(categories) is list:  # anything else is for the loader to refuse, where it is
            document["categories"] = [_migrate_category(c) for c in categories]
        document["schema"] = 2
    return document


def _migrate_category(category: Any) -> Any:
    if type(category) is not dict or type(category.get("problems")) is not list:
        return category
    problems = []
    for problem in category["problems"]:
        if type(problem) is dict and type(problem.get("measures")) is list:
            measures = [_migrate_measure(m) for m in problem["measures"]]
            problems.append({**problem, "measures": measures})
        else:
            problems.append(problem)
    return {**category, "problems": problems}


def _migrate_measure(measure: Any) -> Any:
    if type(measure) is not dict or type(measure.get("evidence")) is not list:
        return measure
    evidence = [{"title": e} if type(e) is str else e for e in measure["evidence"]]
    return {**measure, "evidence": evidence}


def _leaves(error: BaseException, path: KeyPath) -> Iterator[tuple[BaseException, KeyPath]]:
    """Each underlying error of a cattrs validation error, with its key path."""
    for inner in getattr(error, "exceptions", ()):
        where = path
        for note in getattr(inner, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                where = (*path, note.name.removeprefix("_"))
            elif isinstance(note, IterableValidationNote):
                where = (*path, note.index)
        if isinstance(inner, BaseValidationError):
            yield from _leaves(inner, where)
        else:
            yield inner, where


def _first_failure(error: BaseValidationError, path: KeyPath, cl: type) -> _DocumentError:
    leaves = list(_leaves(error, path))
    inner, where = leaves[0]
    more = len(leaves) - 1
    if isinstance(inner, ForbiddenExtraKeysError):
        extra = sorted(inner.extra_fields)
        known = ", ".join(_known_keys(inner.cl))
        return _DocumentError(
            (*where, extra[0]),
            _more(
                Msg(
                    "unknown key {keys} (known: {known})",
                    keys=", ".join(map(repr, extra)),
                    known=known,
                ),
                more,
            ),
            N_("remove it or correct its spelling"),
        )
    if isinstance(inner, KeyError):
        key = str(inner.args[0]) if inner.args else "?"
        return _DocumentError(
            (*where,),
            _more(Msg("required key {key!r} is missing", key=key), more),
            Msg("add `{key} = ...`", key=key),
        )
    if isinstance(inner, _InvalidValueError):
        return _DocumentError(where, _more(inner.reason, more), inner.fix)
    if isinstance(inner, InvalidDateError):
        if inner.reason == "the period ends before it starts":
            return _DocumentError(
                where,
                _more(Msg("the period {value} ends before it starts", value=inner.value), more),
                N_("make `end` no earlier than `start`, or correct the dates"),
            )
        return _DocumentError(where, _more(inner.args[0], more), _write(_FUZZY_FORMS))
    return _DocumentError(
        where,
        _more(Msg("{kind}: {error}", kind=type(inner).__name__, error=str(inner)), more),
        N_("correct the value"),
    )


def _more(reason: str, more: int) -> str:
    """``reason``, saying how many more problems the document has after it, if any."""
    if not more:
        return reason
    return Msg("{reason} ({more} more problem(s) after this one)", reason=Msg.of(reason), more=more)


def _check_ledger(case: Case) -> None:
    """Unique ids (one namespace for problems and measures), known references, due dates."""
    index: dict[str, Problem | Measure] = ItemIndex()
    places: dict[str, KeyPath] = {}
    category_places: dict[str, KeyPath] = {}
    earliest = case.feedback_on.earliest if case.feedback_on is not None else None
    for c, category in enumerate(case.categories):
        here: KeyPath = ("categories", c)
        _claim(category_places, category.id, (*here, "id"), "category")
        for p, problem in enumerate(category.problems):
            at: KeyPath = (*here, "problems", p)
            _claim(places, problem.id, (*at, "id"), "item")
            index[problem.id] = problem
            _check_due(problem, at, earliest, case)
            for m, measure in enumerate(problem.measures):
                spot: KeyPath = (*at, "measures", m)
                _claim(places, measure.id, (*spot, "id"), "item")
                index[measure.id] = measure
                _check_due(measure, spot, earliest, case)
    for c, category in enumerate(case.categories):
        for p, problem in enumerate(category.problems):
            parent = problem.parent
            if parent is not None and type(index.get(parent)) is not Problem:
                raise _DocumentError(
                    ("categories", c, "problems", p, "parent"),
                    Msg("parent {parent!r} is not a problem of this case", parent=parent),
                    N_("name the id of the problem it belongs under, or remove parent"),
                )
    for r, review in enumerate(case.reviews):
        for o, outcome in enumerate(review.outcomes):
            if outcome.item not in index:
                raise _DocumentError(
                    ("reviews", r, "outcomes", o, "item"),
                    Msg("no problem or measure {item!r} in the ledger", item=outcome.item),
                    N_("name an id from [[categories.problems]] or their measures"),
                )
    case._index = index  # the one index of the case, built while checking


def _check_due(
    item: Problem | Measure, where: KeyPath, earliest: dt.date | None, case: Case
) -> None:
    if earliest is not None and item.due_on is not None and item.due_on < earliest:
        said = (
            N_("problem {id} is due on {due}, before the feedback date {feedback}")
            if isinstance(item, Problem)
            else N_("measure {id} is due on {due}, before the feedback date {feedback}")
        )
        raise _DocumentError(
            (*where, "due_on"),
            Msg(said, id=item.id, due=item.due_on, feedback=case.feedback_on),
            N_("a deadline runs from the feedback: correct due_on or feedback_on"),
        )


def _claim(places: dict[str, KeyPath], item_id: str, where: KeyPath, what: str) -> None:
    first = places.setdefault(item_id, where)
    if first is not where:
        said = (
            N_(
                "duplicate item id {id!r}, first used at {first} (problems and measures share "
                "one namespace)"
            )
            if what == "item"
            else N_("duplicate category id {id!r}, first used at {first}")
        )
        raise _DocumentError(
            where,
            Msg(said, id=item_id, first=format_key_path(first)),
            N_("give each its own id"),
        )


def _stored_states(case: Case) -> list[tuple[KeyPath, Any, Case | Problem | Measure]]:
    """The states as the document stores them, each with its key path and owner."""
    stored: list[tuple[KeyPath, Any, Case | Problem | Measure]] = [(("state",), case.state, case)]
    for c, category in enumerate(case.categories):
        for p, problem in enumerate(category.problems):
            at: KeyPath = ("categories", c, "problems", p)
            stored.append(((*at, "state"), problem.own_state, problem))
            for m, measure in enumerate(problem.measures):
                stored.append(((*at, "measures", m, "state"), measure.state, measure))
    return stored


_EDITS = frozenset({*ITEM_EDITS, ADD_PROBLEM, ACCOUNTABILITY, EVALUATE})
_CASE_EVENTS = (*CASE_LIFECYCLE.triggers, ACCOUNTABILITY, EVALUATE)
_ITEM_EVENTS = (*ITEM_LIFECYCLE.triggers, ADD_MEASURE, ADD_PROBLEM, ACCOUNTABILITY, *ITEM_EDITS)
_CASE_EVENT_SET = frozenset(_CASE_EVENTS)
_ITEM_EVENT_SET = frozenset(_ITEM_EVENTS)


def _check_events(case: Case) -> None:
    """Events numbered 1..n, on known targets, that replay to the stored states and fields."""
    index = case._index or {}
    # The log's rows, not Event objects: a big case file has tens of thousands of events.
    for i, (seq, trigger, target, _, _, _, _, pairs) in enumerate(case.events._raw()):
        if seq != i + 1:
            raise _DocumentError(
                ("events", i, "seq"),
                Msg("event {n} has seq = {seq}", n=i + 1, seq=seq),
                Msg("number the events 1, 2, 3, … in order (this one is {n})", n=i + 1),
            )
        on_case = target == "case"
        if not on_case and target not in index:
            raise _DocumentError(
                ("events", i, "target"),
                Msg("no problem or measure {item!r} in the ledger", item=target),
                N_('name an item id, or "case" for a case trigger'),
            )
        known = _CASE_EVENT_SET if on_case else _ITEM_EVENT_SET
        if trigger not in known:
            lifecycle = CASE_LIFECYCLE if on_case else ITEM_LIFECYCLE
            listed = _CASE_EVENTS if on_case else _ITEM_EVENTS
            raise _DocumentError(
                ("events", i, "trigger"),
                Msg(
                    N_("unknown case trigger {trigger!r} (known: {known})")
                    if lifecycle.name == "case"
                    else N_("unknown item trigger {trigger!r} (known: {known})"),
                    trigger=trigger,
                    known=", ".join(listed),
                ),
                N_("use one of the known triggers"),
            )
        if trigger in _EDITS:
            wrong = data_problem(trigger, EventData._of_pairs(pairs))
            if wrong is not None:
                key, reason = wrong
                raise _DocumentError(
                    ("events", i, "data", key) if key else ("events", i),
                    Msg("event #{seq}: {reason}", seq=seq, reason=Msg.of(reason)),
                    N_("give the event the data docs/case-file.md lists for it, or remove it"),
                )
        elif pairs:
            raise _DocumentError(
                ("events", i, "data"),
                Msg(
                    "event #{seq}: a {trigger!r} event carries no data",
                    seq=seq,
                    trigger=trigger,
                ),
                N_("remove its data table"),
            )
    try:
        check_log(case)
    except EventOrderError as refused:
        raise _order_failure(refused, case) from None
    stored = _stored_states(case)
    unknown = _stored_unknown(case)
    fields = _stored_fields(case)
    for problem in case.problems():
        if problem.measures:  # its own state is unused: keep the initial one, as replay does
            force(problem, "_state", problem.initial_state)
    try:
        replay_in_place(case)
    except TransitionNotAllowed as refused:
        raise _replay_failure(refused) from None
    for path, state, owner in stored:
        if owner.state is not state:
            raise _DocumentError(
                path,
                Msg(
                    "stored state {stored!r} disagrees with the events, which lead from the "
                    "initial state {initial!r} to {replayed!r}",
                    stored=state.value,
                    initial=owner.initial_state.value,
                    replayed=owner.state.value,
                ),
                Msg(
                    N_(
                        'write state = "{replayed}", or record the events that lead to '
                        "{stored!r} (an imported case that starts there sets initial_state)"
                    )
                    if owner is case
                    else N_(
                        'write state = "{replayed}", or record the events that lead to '
                        "{stored!r} (an imported item that starts there sets initial_state)"
                    ),
                    replayed=owner.state.value,
                    stored=state.value,
                ),
            )
    for path, value, owner, name in fields:
        replayed = getattr(owner, name)
        if replayed != value:
            raise _DocumentError(
                path,
                Msg(
                    "stored {key} disagrees with the events: they lead to {replayed}, "
                    "the file says {stored}",
                    key=path[-1],
                    replayed=_shown(replayed),
                    stored=_shown(value),
                ),
                Msg(
                    "every change of {key} is an event: write what the events lead to, or "
                    "record the event that makes the change (and give the value before it in its "
                    "data)",
                    key=path[-1],
                ),
            )
    for path, owner in unknown:
        if owner.own_state_known if isinstance(owner, Problem) else owner.state_known:
            raise _DocumentError(
                path,
                N_(
                    "state_known = false on an item the events fire on: an event says where it "
                    "stands"
                ),
                N_("remove state_known = false (the state is known once an event is recorded)"),
            )


def _shown(value: object) -> str:
    if isinstance(value, tuple | list):
        return Msg(N_("{n} entry") if len(value) == 1 else N_("{n} entries"), n=len(value))
    return repr(value)


_ITEM_FIELDS = ("responsibility", "due_on", "evidence")


def _stored_fields(case: Case) -> list[tuple[KeyPath, Any, Any, str]]:
    """The fields edits own, as the document stores them (only for a log that has edits)."""
    rows = case.events._raw()
    if not any(row[7] for row in rows):
        return []
    stored: list[tuple[KeyPath, Any, Any, str]] = [
        (("accountability",), list(case.accountability), case, "accountability"),
        (("evaluations",), list(case.evaluations), case, "evaluations"),
    ]
    for c, category in enumerate(case.categories):
        for p, problem in enumerate(category.problems):
            at: KeyPath = ("categories", c, "problems", p)
            stored.append(((*at, "title"), problem.title, problem, "title"))
            stored.extend(((*at, f), getattr(problem, f), problem, f) for f in _ITEM_FIELDS)
            for m, measure in enumerate(problem.measures):
                spot: KeyPath = (*at, "measures", m)
                stored.append(((*spot, "text"), measure.text, measure, "text"))
                stored.extend(((*spot, f), getattr(measure, f), measure, f) for f in _ITEM_FIELDS)
    return stored


def _stored_unknown(case: Case) -> list[tuple[KeyPath, Problem | Measure]]:
    """The items the document stores as ``state_known = false``, with their key paths."""
    unknown: list[tuple[KeyPath, Problem | Measure]] = []
    for c, category in enumerate(case.categories):
        for p, problem in enumerate(category.problems):
            at: KeyPath = ("categories", c, "problems", p)
            if not problem.own_state_known:
                unknown.append(((*at, "state_known"), problem))
            for m, measure in enumerate(problem.measures):
                if not measure.state_known:
                    unknown.append(((*at, "measures", m, "state_known"), measure))
    return unknown


def _order_failure(refused: EventOrderError, case: Case) -> _DocumentError:
    """The error for the first event dated where history cannot have it."""
    seq = refused.seq if refused.seq is not None else 1
    reason = Msg(
        N_("event #{seq} {trigger!r} on the case dated {on}: {reason}")
        if refused.target == "case"
        else N_("event #{seq} {trigger!r} on {target} dated {on}: {reason}"),
        seq=seq,
        trigger=refused.trigger,
        target=refused.target,
        on=refused.on,
        reason=Msg.of(refused.reason),
    )
    key = "on"
    fix: str
    if refused.rule == "recorded":
        key = "recorded_on"
        fix = Msg(
            "recorded_on is the day it was entered in the log: make it {on} or later",
            on=refused.on,
        )
    elif refused.rule == "feedback":
        fix = N_("history starts at the feedback: correct this event's on, or feedback_on")
    elif refused.rule == "target":
        fix = Msg(
            "correct its on ({bound} or later), or, if the events are listed out of "
            "order, list them in the order they were recorded and renumber seq",
            bound=refused.bound,
        )
    elif case.events[seq - 1].recorded_on is not None:
        key = "recorded_on"
        fix = Msg(
            "the log is written forward: make recorded_on {bound} or later", bound=refused.bound
        )
    else:
        fix = Msg(
            "if it happened on {on} and was recorded late, add recorded_on = <the day "
            "it was recorded, {bound} or later> to it; otherwise correct its on, or "
            "list the events in the order they were recorded and renumber seq",
            on=refused.on,
            bound=refused.bound,
        )
    return _DocumentError(("events", seq - 1, key), reason, fix)


def _replay_failure(refused: TransitionNotAllowed) -> _DocumentError:
    """The error for the first event the lifecycle refuses while replaying the log."""
    seq = refused.seq if refused.seq is not None else 1
    allowed = ", ".join(refused.allowed) or Msg.of(N_("none"))
    if refused.reason is not None and not refused.allowed:
        return _DocumentError(
            ("events", seq - 1),
            refused.reason,
            N_("correct or remove this event; the events before it decide where it starts"),
        )
    return _DocumentError(
        ("events", seq - 1),
        Msg(
            N_(
                "event #{seq} {trigger!r} on the case is not allowed from state {state} "
                "(allowed there: {allowed})"
            )
            if refused.target == "case"
            else N_(
                "event #{seq} {trigger!r} on {target} is not allowed from state {state} "
                "(allowed there: {allowed})"
            ),
            seq=seq,
            trigger=refused.trigger,
            target=refused.target,
            state=refused.state,
            allowed=allowed,
        ),
        N_("correct or remove this event; the events before it decide the state"),
    )
