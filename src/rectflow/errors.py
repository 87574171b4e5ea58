"""Every error rectflow raises on purpose, under one root: :class:`RectflowError`.

Each error carries its data as attributes, and its message says what went wrong, the offending
value, why, and how to fix it. Catch :class:`RectflowError` to handle all of them; the command line
turns them into one line on standard error and exit code 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectflow._i18n import Msg

if TYPE_CHECKING:
    from rectflow._violation import Violation

__all__ = [
    "CaseExistsError",
    "CaseFileError",
    "ConflictError",
    "DateRangeError",
    "EventOrderError",
    "InvalidDateError",
    "InvalidFieldError",
    "MissingDateError",
    "MissingExtraError",
    "MissingReasonError",
    "NoWorkingDayError",
    "NoticeParseError",
    "OwnedFieldError",
    "PluginError",
    "PolicyError",
    "RectflowError",
    "SealedCaseError",
    "StoreConflictError",
    "StoreError",
    "StoreNotInitialisedError",
    "StoreSchemaError",
    "StoreUnavailableError",
    "TransitionNotAllowed",
    "UnknownCalendarError",
    "UnknownCaseError",
    "UnknownFormatError",
    "UnknownItemError",
    "UnknownTriggerError",
    "UnknownYearError",
]


class RectflowError(Exception):
    """The root of every error rectflow raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take their data, not their message, so the default pickling (calling the
        # class with ``args``) would fail; rebuild from the message and the attributes instead,
        # so errors cross process boundaries (multiprocessing, pytest-xdist) intact.
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[RectflowError], args: tuple[Any, ...]) -> RectflowError:
    error = cls.__new__(cls, *args)
    error.args = args
    return error


# A message is read on one line: a value quoted in it (a 10 MB string, a 10 MB key) is clipped.
_MESSAGE_PART_LIMIT = 240


def _clip(text: str, limit: int = _MESSAGE_PART_LIMIT) -> str:
    """``text`` shortened in the middle to about ``limit`` characters, saying how much was cut.

    The ends are kept: a message's beginning says what is wrong and its end often lists the
    allowed values.
    """
    if len(text) <= limit:
        return text
    head, tail = limit * 2 // 3, limit // 3
    return f"{text[:head]}…({len(text) - head - tail} characters)…{text[-tail:]}"


def _free(text: str) -> Msg:
    """A reason or a fix given by the raiser, clipped, as a message the command line can say
    again in Chinese (when it is a :class:`~rectflow._i18n.Msg`, or a catalogued msgid).

    A :class:`~rectflow._i18n.Msg` is built from clipped parts already: it is clipped only
    past four times the limit (a reason inside a reason inside a reason), so it stays sayable.
    """
    if isinstance(text, Msg) and len(text) <= 4 * _MESSAGE_PART_LIMIT:
        return text
    return Msg.of(_clip(text))


# The messages below are Msg: their str() is the English, and the command line says them again
# in Chinese from their msgid and fields (rectflow._cli._errors).


class InvalidDateError(RectflowError, ValueError):
    """A date or period that cannot be read or cannot exist.

    Attributes:
        value: the text or value that was given.
        reason: why it is not a date.
    """

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(
            Msg(
                "{value} is not a valid date: {reason}",
                value=_clip(repr(value)),
                reason=_free(reason),
            )
        )


class InvalidFieldError(RectflowError, TypeError, ValueError):
    """A model object given a value its field does not hold (at construction or assignment).

    Raised at the line that built or changed the object, so a program without a type checker
    learns of the mistake there, not when the case is checked or saved. It is a ``TypeError``
    and a ``ValueError``, as a wrong type or an out-of-range value would be.

    Attributes:
        owner: the class, e.g. ``Measure``.
        field: the field, e.g. ``state``.
        value: the value given.
        expected: what the field holds.
        fix: how to make it right.
    """

    def __init__(self, owner: str, field: str, value: object, expected: str, fix: str) -> None:
        self.owner = owner
        self.field = field
        self.value = value
        self.expected = expected
        self.fix = fix
        super().__init__(
            Msg(
                "{owner}.{field}: expected {expected}, got {type} {value}; {fix}",
                owner=owner,
                field=field,
                expected=Msg.of(expected),
                type=type(value).__name__,
                value=_clip(repr(value)),
                fix=_free(fix),
            )
        )


class SealedCaseError(RectflowError, AttributeError):
    """A guard tried to change the case it was shown; nothing was changed.

    Guards see the case and the transition; they never change them (``fire`` runs them with
    every model object sealed against assignment).

    Attributes:
        owner: the class of the object, e.g. ``Measure``, or ``a list of the case``.
        field: the field it tried to set (empty for a list or table changed in place).
    """

    def __init__(self, owner: str, field: str) -> None:
        self.owner = owner
        self.field = field
        what = f"{owner}.{field}" if field else Msg.of(owner)
        super().__init__(
            Msg(
                "{what} cannot be changed while guards run: a guard reads the case and "
                "returns violations, it never changes it; return a violation instead",
                what=what,
            )
        )


class OwnedFieldError(RectflowError, AttributeError):
    """A field the events own was assigned, or a list they own changed in place; nothing changed.

    Every change to progress is an event (DESIGN.md, invariant 1): the state, the text, the
    responsibility, the due date, the evidence of an item, and the ledger's lists change only
    through the event API (``rectflow.fire``, ``rectflow.assign``, ``rectflow.extend`` …), so
    that the log is the whole history and replaying it gives the case back.

    Attributes:
        owner: the class of the object, e.g. ``Measure``, or ``a list of the ledger``.
        field: the field assigned (empty for a list changed in place).
        fix: the event API that makes the change.
    """

    def __init__(self, owner: str, field: str, fix: str) -> None:
        self.owner = owner
        self.field = field
        self.fix = fix
        what = f"{owner}.{field}" if field else owner
        how = "assigned" if field else "changed in place"
        super().__init__(f"{what} is changed only by an event, never {how}: {fix}")


class MissingReasonError(RectflowError, ValueError):
    """An event that needs a reason (a rejection, an extension) was given none; nothing changed.

    Attributes:
        what: the event, e.g. ``reject``.
        fix: how to give the reason.
    """

    def __init__(self, what: str, fix: str) -> None:
        self.what = what
        self.fix = fix
        super().__init__(f"{what} needs a reason: {fix}")


class UnknownItemError(RectflowError, KeyError):
    """An item id that is not in the case's ledger.

    Attributes:
        item_id: the id that was asked for.
        case_id: the case searched.
    """

    def __init__(self, item_id: str, case_id: str) -> None:
        self.item_id = item_id
        self.case_id = case_id
        super().__init__(item_id)

    def __str__(self) -> str:
        return (
            f"case {self.case_id!r} has no problem or measure {self.item_id!r}; "
            "`rectflow status CASE --items` lists the ids"
        )


class UnknownTriggerError(RectflowError, ValueError):
    """A trigger name that no lifecycle defines.

    Attributes:
        trigger: the name given.
        lifecycle: ``"case"`` or ``"item"``.
        known: the triggers that lifecycle defines.
    """

    def __init__(self, trigger: str, lifecycle: str, known: Sequence[str]) -> None:
        self.trigger = trigger
        self.lifecycle = lifecycle
        self.known = tuple(known)
        super().__init__(
            f"unknown {lifecycle} trigger {trigger!r} (known: {', '.join(self.known)})"
        )


class TransitionNotAllowed(RectflowError):  # noqa: N818 - the name users know from state machines
    """A trigger fired where the lifecycle or a blocking rule does not allow it; nothing changed.

    Attributes:
        target: the item id, or ``"case"`` for the case itself.
        state: the state the target is in.
        trigger: the trigger that was fired.
        allowed: the triggers allowed in that state.
        violations: the blocking violations when a guard forbade it (empty when the lifecycle
            itself has no such transition).
        reason: a short explanation when neither of the above applies.
        seq: the event's sequence number when replaying a log refused it.
    """

    def __init__(
        self,
        target: str,
        state: str,
        trigger: str,
        allowed: Sequence[str],
        violations: Sequence[Violation] = (),
        reason: str | None = None,
        seq: int | None = None,
    ) -> None:
        self.seq = seq
        self.target = target
        self.state = state
        self.trigger = trigger
        self.allowed = tuple(allowed)
        self.violations = tuple(violations)
        self.reason = reason
        super().__init__(self._message())

    def _message(self) -> str:
        what = "the case" if self.target == "case" else f"item {self.target}"
        head = f"can't {self.trigger} {what}: it is {self.state}"
        if self.violations:
            rules = "; ".join(f"{v.code}: {v.message} ({v.hint})" for v in self.violations)
            return f"{head}, and a blocking rule forbids it: {rules}"
        if self.reason:
            return f"{head}; {self.reason}"
        allowed = ", ".join(self.allowed) if self.allowed else "none"
        return f"{head}; allowed there: {allowed}"


class EventOrderError(RectflowError):
    """An event dated where history cannot have it; nothing changed.

    History runs forward: an event is never dated before an earlier event of its target or
    before the case's feedback, and the log is written forward, so an event dated before one
    already recorded says when it was recorded (``recorded_on``). docs/lifecycle.md gives the
    rules. (Work before the plan's adoption is a policy rule, ``history.after-plan``, whose guard
    refuses it with :class:`TransitionNotAllowed`.)

    Attributes:
        target: the item id, or ``"case"``.
        trigger: the trigger (or ``add_measure``).
        on: the day the event is dated.
        bound: the day it may not precede.
        rule: which rule it breaks: ``recorded`` (recorded before it happened), ``feedback``,
            ``target`` (before an earlier event of its target) or ``log`` (dated before an
            event recorded earlier, without saying it is a late recording).
        reason: why, e.g. ``it is before event #12 'complete' on 1.1.1 (2024-06-20)``.
        fix: how to make it right.
        seq: the event's sequence number, when it is in a log (loading, replaying).
    """

    def __init__(
        self,
        target: str,
        trigger: str,
        on: object,
        bound: object,
        rule: str,
        reason: str,
        fix: str,
        seq: int | None = None,
    ) -> None:
        self.target = target
        self.trigger = trigger
        self.on = on
        self.bound = bound
        self.rule = rule
        self.reason = reason
        self.fix = fix
        self.seq = seq
        what = "the case" if target == "case" else f"item {target}"
        event = f"event #{seq} " if seq is not None else ""
        super().__init__(f"{event}{trigger!r} on {what} dated {on}: {_clip(reason)}; {_clip(fix)}")


class CaseFileError(RectflowError):
    """A case file that cannot be read or written as it is; the file was not changed.

    Attributes:
        path: the file (``None`` for a string that did not come from a file).
        key_path: where in the document, e.g. ``categories[0].problems[2].state``.
        line: the 1-based line in the file, where it could be found.
        reason: what is wrong.
        fix: how to make it right.
    """

    def __init__(
        self,
        path: Path | str | None,
        key_path: str,
        reason: str,
        fix: str,
        line: int | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.key_path = key_path
        self.reason = reason
        self.fix = fix
        self.line = line
        super().__init__(self._message())

    def _message(self) -> str:
        where = str(self.path) if self.path is not None else "<case>"
        if self.line is not None:
            where += f":{self.line}"
        if self.key_path:
            where += f": {_clip(self.key_path)}"
        return f"{where}: {_clip(self.reason)}; {_clip(self.fix)}"


class ConflictError(CaseFileError):
    """Another writer saved the case file since it was loaded; nothing was written.

    Attributes:
        expected_version: the version this writer loaded.
        found_version: the version now on disk.
    """

    def __init__(self, path: Path | str, expected_version: int, found_version: int) -> None:
        self.expected_version = expected_version
        self.found_version = found_version
        super().__init__(
            path,
            "version",
            Msg(
                "the file was changed by another writer (loaded version {expected}, now {found})",
                expected=expected_version,
                found=found_version,
            ),
            Msg.of("load the file again, re-apply the change, and save"),
        )


class PolicyError(RectflowError):
    """A policy file or preset that cannot be used as it is.

    Attributes:
        source: the file path or preset name.
        key_path: where in the policy, e.g. ``checks.deadline.report.period``.
        reason: what is wrong.
        fix: how to make it right.
        line: the 1-based line, where it could be found.
    """

    def __init__(
        self, source: str, key_path: str, reason: str, fix: str, line: int | None = None
    ) -> None:
        self.source = source
        self.key_path = key_path
        self.reason = reason
        self.fix = fix
        self.line = line
        where = source + (f":{line}" if line is not None else "")
        if key_path:
            where += f": {_clip(key_path)}"
        super().__init__(f"{where}: {_clip(reason)}; {_clip(fix)}")


class UnknownYearError(RectflowError):
    """A working-day calendar was asked about a year it has no schedule for.

    Attributes:
        calendar: the calendar's name.
        year: the year asked about.
        known: the first and last years it knows.
    """

    def __init__(self, calendar: str, year: int, known: tuple[int, int]) -> None:
        self.calendar = calendar
        self.year = year
        self.known = known
        super().__init__(
            Msg(
                "calendar {calendar!r} has no holiday schedule for {year} "
                "(it knows {first}-{last}); copy the State Council's notice for {year} into a "
                "schedule file and give it (`--schedule FILE`, or the policy's [calendar] "
                "schedules), update the calendar package, or set "
                '`unknown_years = "weekdays"` in the policy\'s [calendar] table to accept a '
                "Monday-Friday guess",
                calendar=calendar,
                year=year,
                first=known[0],
                last=known[1],
            )
        )


class DateRangeError(RectflowError, ValueError):
    """A date that would fall outside the days a date can hold (0001-01-01 to 9999-12-31).

    Raised when a period is counted past the last day (``9999-12-31`` + 1 day, ``"99999
    months"``) or before the first; it is also a ``ValueError``, as the standard library's
    complaint would have been.

    Attributes:
        start: the day counted from.
        period: the period counted, as text (``"99999 months"``).
    """

    def __init__(self, start: object, period: str) -> None:
        self.start = start
        self.period = period
        super().__init__(
            Msg(
                "can't count {period} from {start}: the day would fall outside "
                "0001-01-01..9999-12-31, the days a date can hold; check the date and the period",
                period=_clip(period),
                start=start,
            )
        )


class NoWorkingDayError(RectflowError):
    """A working-day calendar that goes too long without a working day to count with.

    Such a calendar would push every working-day deadline past 9999-12-31 and so silence the
    deadline checks; in a check it is a ``plugin.crashed`` of the calendar's plugin.

    Attributes:
        calendar: the calendar's name.
        after: the last working day (or the day counted from) before the gap.
        longest: the most days in a row without a working day that a calendar may have.
    """

    def __init__(self, calendar: str, after: object, longest: int) -> None:
        self.calendar = calendar
        self.after = after
        self.longest = longest
        super().__init__(
            Msg(
                "calendar {calendar!r} has no working day in the {longest} days after {after}: "
                "it cannot count working days; fix the calendar or choose another",
                calendar=calendar,
                longest=longest,
                after=after,
            )
        )


class PluginError(RectflowError):
    """A plugin broke its contract where rectflow could not turn it into a violation.

    For example a plugin's calendar that raises or answers something else than a bool when
    ``rectflow due`` asks it about a day, or the only plugin providing the calendar a policy
    names crashing when asked for it. In a check or a guard the same failure is a
    ``plugin.crashed`` violation instead.

    Attributes:
        plugin: the plugin's name (what ``--disable`` takes).
        hook: the hook or method it failed in, e.g. ``Calendar.is_working_day(2024-10-01)``.
        problem: what it did, e.g. ``raised RuntimeError: boom``.
    """

    def __init__(self, plugin: str, hook: str, problem: str) -> None:
        self.plugin = plugin
        self.hook = hook
        self.problem = problem
        super().__init__(
            Msg(
                "plugin {plugin!r} {problem} in {hook}; report it to the plugin's authors; "
                "meanwhile disable it with `--disable {plugin}` or RECTFLOW_DISABLE={plugin}",
                plugin=plugin,
                problem=_free(problem),
                hook=_clip(hook),
            )
        )


class UnknownCalendarError(RectflowError, LookupError):
    """A working-day calendar name that no installed plugin provides.

    Attributes:
        name: the name asked for.
        known: the names the installed plugins provide.
    """

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(
            f"no calendar named {name!r} (known: {', '.join(self.known) or 'none'}); "
            "use one of those, or install the plugin that provides it "
            "(China's statutory holidays: rectflow-cn-workdays, calendar 'cn')"
        )


class NoticeParseError(RectflowError):
    """A text that is not a rectification notice at all.

    Attributes:
        reason: why it could not be read.
        line: the 1-based line where reading stopped, if any.
    """

    def __init__(self, reason: str, line: int | None = None, **details: Any) -> None:
        self.reason = reason
        self.line = line
        self.details = details
        super().__init__(
            Msg("line {line}: {reason}", line=line, reason=Msg.of(reason))
            if line is not None
            else Msg.of(reason)
        )


class MissingDateError(RectflowError):
    """A date that was needed, not given, and not found in the case (the clock is never read).

    Attributes:
        what: the date that was needed, e.g. ``as-of date``.
        case_id: the case that was searched for one.
        fix: how to give it.
    """

    def __init__(self, what: str, case_id: str, fix: str) -> None:
        self.what = what
        self.case_id = case_id
        self.fix = fix
        super().__init__(
            Msg(
                "no {what} for case {case!r}: it has no events and states no date; {fix}",
                what=Msg.of(what),
                case=case_id,
                fix=Msg.of(fix),
            )
        )


class UnknownFormatError(RectflowError, ValueError):
    """An output format that is not one of those offered (e.g. for a rendered notice).

    Attributes:
        format: the format asked for.
        known: the formats offered.
    """

    def __init__(self, format: str, known: Sequence[str]) -> None:
        self.format = format
        self.known = tuple(known)
        super().__init__(
            Msg(
                "unknown format {format!r}; choose one of {known}",
                format=format,
                known=", ".join(self.known),
            )
        )


# -- the ledger store (rectflow.store) ---------------------------------------------------------


class MissingExtraError(RectflowError, ImportError):
    """An optional part of rectflow was used without the extra that installs its libraries.

    Attributes:
        extra: the extra to install, e.g. ``store``.
        module: the missing library, e.g. ``sqlalchemy``.
    """

    def __init__(self, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            Msg(
                "this needs {module}, which rectflow installs with an extra: "
                'pip install "rectflow[{extra}]"',
                module=module,
                extra=extra,
            )
        )


class StoreError(RectflowError):
    """A ledger store that cannot do what was asked; nothing in it was changed.

    Attributes:
        where: the store (its URL, without a password) or a case in it (``store:<case id>``).
        reason: what is wrong.
        fix: how to make it right.
    """

    def __init__(self, where: str, reason: str, fix: str) -> None:
        self.where = where
        self.reason = reason
        self.fix = fix
        super().__init__(f"{where}: {_clip(reason)}; {_clip(fix)}")


class StoreUnavailableError(StoreError):
    """The store's database cannot be reached, refused the operation, or stayed locked by
    another writer; any change under way was rolled back.

    Attributes:
        where: the store (its URL, without a password).
        reason: what the database said, in words.
        fix: how to make it right (start the server, retry when the other writer is done …).
    """


class StoreNotInitialisedError(StoreError):
    """The database holds no rectflow tables: the store was never initialised.

    Attributes:
        where: the store (its URL, without a password).
        reason: that the tables are missing.
        fix: ``rectflow store init --store URL`` (or ``Store.init()``).
    """

    def __init__(self, where: str) -> None:
        super().__init__(
            where,
            Msg("the database has no rectflow tables (the store was never initialised)"),
            Msg("run `rectflow store init --store URL` (or Store.init()) once, then retry"),
        )


class StoreSchemaError(StoreError):
    """The store's tables are at another schema revision than this rectflow's.

    Attributes:
        found: the revision the database is at.
        head: the newest revision this rectflow knows.
        newer: the database is newer than this rectflow (upgrade rectflow, not the store).
    """

    def __init__(self, where: str, found: str, head: str, *, newer: bool) -> None:
        self.found = found
        self.head = head
        self.newer = newer
        if newer:
            super().__init__(
                where,
                Msg(
                    "the store is at schema revision {found}, newer than this rectflow knows "
                    "(its newest is {head}): a newer rectflow upgraded it",
                    found=found,
                    head=head,
                ),
                Msg("use that newer rectflow (pip install -U rectflow); nothing was changed"),
            )
        else:
            super().__init__(
                where,
                Msg(
                    "the store is at schema revision {found}, older than this rectflow's {head}",
                    found=found,
                    head=head,
                ),
                Msg("run `rectflow store upgrade --store URL` (or Store.upgrade()), then retry"),
            )


class UnknownCaseError(StoreError, KeyError):
    """A case id the store does not hold.

    Attributes:
        case_id: the id asked for.
    """

    def __init__(self, where: str, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(
            where,
            Msg("no case {case_id} in the store", case_id=repr(case_id)),
            Msg("`rectflow store list` lists the cases; `rectflow store import` adds one"),
        )

    def __str__(self) -> str:
        return str(self.args[0])


class CaseExistsError(StoreError):
    """A case was added under an id the store already holds; nothing was written.

    Attributes:
        case_id: the id.
    """

    def __init__(self, where: str, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(
            where,
            Msg("the store already holds a case {case_id}", case_id=repr(case_id)),
            Msg("give the new case another id, or change the stored one instead of adding it"),
        )


class StoreConflictError(ConflictError, StoreError):
    """Another writer changed the case in the store since it was loaded; nothing was written.

    The same :class:`ConflictError` as a case file's: load the case again, re-apply the change
    and save (``Store.apply(..., retries=N)`` does that).

    Attributes:
        case_id: the case.
        expected_version: the version this writer loaded.
        found_version: the version the store now holds.
    """

    def __init__(self, where: str, case_id: str, expected_version: int, found_version: int) -> None:
        self.case_id = case_id
        self.expected_version = expected_version
        self.found_version = found_version
        self.where = where
        self.path = Path(where)
        self.key_path = "version"
        self.line = None
        self.reason = Msg(
            "the case was changed by another writer (loaded version {expected}, now {found})",
            expected=expected_version,
            found=found_version,
        )
        self.fix = Msg("load the case again, re-apply the change, and save")
        RectflowError.__init__(self, f"{where}: version: {self.reason}; {self.fix}")
