"""Acceptance: an item is struck off (销号) by an acceptance, and not by those who did the work.

A completed item is submitted for acceptance (报请销号, ``submit``) and then accepted (验收,
``accept`` → closed) or rejected (驳回, ``reject`` → back in progress, with the reason). The
``close`` trigger, 0.1's path, strikes a completed item off with no acceptance recorded; where
the office accepts items, ``acceptance.required`` refuses it. An acceptance is only worth its
name when someone other than the people who did the work gives it: ``acceptance.independent``
requires the acceptor to be named and to differ from them.

A rejection is a round of acceptance, not a rebound (反弹回潮): no rule here or in
:mod:`rectflow.checks.evidence` treats it as a reopening.

Each rule below gives its options, its level and basis, and a PASS and a FAIL example: complete
case files (docs/case-file.md), checked as of the date given (tests/checks/test_check_docs.py
checks every example).

Rules
=====

acceptance.required
    No item is closed by the ``close`` trigger: it is submitted for acceptance (``submit``) and
    accepted (``accept``). Each item closed so is reported once, at its latest ``close`` event.
    The rule also guards ``close``: at level error it is refused and nothing changes. Items
    imported as closed, with no ``close`` event, are not judged.

    The rule's own level is warning, so that a policy written for 0.1 (which does not name it)
    keeps ``close`` working and is told of each use; a policy that requires acceptance sets
    ``level = "error"``, and ``close`` is then refused. The shipped presets leave it off: the
    sources show items struck off against the ledger (对账销号) but no written acceptance step.

    * No options.
    * Level: warning (at error, blocks ``close``). Basis: practice: supervision platforms review
      an item (复核) before it is struck off (办结; RULES.md #44); 报请销号 → 验收 → 销号
      (issue 10).

    PASS (as of 2024-08-01)::

        schema = 2
        id = "submitted-and-accepted"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "closed"
        measures = [{ id = "1.1.1", initial_state = "completed", state = "closed" }]

        [[events]]
        seq = 1
        trigger = "submit"
        target = "1.1.1"
        on = 2024-07-11
        actor = "张某"

        [[events]]
        seq = 2
        trigger = "accept"
        target = "1.1.1"
        on = 2024-07-20
        actor = "县委巡察办 李某"

    FAIL (as of 2024-08-01; closed with no acceptance)::

        schema = 2
        id = "closed-without-acceptance"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "closed"
        measures = [{ id = "1.1.1", initial_state = "completed", state = "closed" }]

        [[events]]
        seq = 1
        trigger = "close"
        target = "1.1.1"
        on = 2024-07-20
        actor = "张某"

acceptance.independent
    Every acceptance (``accept``) names who accepted (its ``actor``), and that is neither anyone
    who completed or submitted the item (the actors of its ``complete`` and ``submit`` events
    before it) nor the item's responsible person (``responsibility.person`` as it stood at the
    acceptance). One violation per acceptance, giving every reason. The rule also guards
    ``accept``: such an acceptance is refused (at the rule's level; an error blocks) and nothing
    changes.

    * No options.
    * Level: error (blocks ``accept``). Basis: practice: the review (复核) before 办结 is a node
      of its own, by the supervising office (RULES.md #44; 五方会审, #29); the acceptor differs
      from the doer (issue 10).

    PASS (as of 2024-08-01)::

        schema = 2
        id = "accepted-by-the-office"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "closed"

        [[categories.problems.measures]]
        id = "1.1.1"
        initial_state = "in_progress"
        state = "closed"
        responsibility = { department = "门诊部", person = "张某" }

        [[events]]
        seq = 1
        trigger = "complete"
        target = "1.1.1"
        on = 2024-07-10
        actor = "张某"

        [[events]]
        seq = 2
        trigger = "submit"
        target = "1.1.1"
        on = 2024-07-11
        actor = "王某"

        [[events]]
        seq = 3
        trigger = "accept"
        target = "1.1.1"
        on = 2024-07-20
        actor = "县委巡察办 李某"

    FAIL (as of 2024-08-01; the person who submitted it accepted it)::

        schema = 2
        id = "accepted-by-the-doer"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "closed"

        [[categories.problems.measures]]
        id = "1.1.1"
        initial_state = "in_progress"
        state = "closed"
        responsibility = { department = "门诊部", person = "张某" }

        [[events]]
        seq = 1
        trigger = "complete"
        target = "1.1.1"
        on = 2024-07-10
        actor = "张某"

        [[events]]
        seq = 2
        trigger = "submit"
        target = "1.1.1"
        on = 2024-07-11
        actor = "王某"

        [[events]]
        seq = 3
        trigger = "accept"
        target = "1.1.1"
        on = 2024-07-20
        actor = "王某"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from rectflow._core.edits import ASSIGN
from rectflow._core.events import EventRow, RowScan
from rectflow._core.lifecycle import Transition
from rectflow._core.model import Case, Measure, Problem
from rectflow._core.report import Level, Violation
from rectflow._i18n import N_
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.rules import Rule, guards_only, guards_when
from rectflow.checks._where import item_words, measure_where, problem_where

__all__ = [
    "RULES",
    "IndependentOptions",
    "RequiredOptions",
    "rectflow_check_case",
    "rectflow_guard_transition",
    "rectflow_rules",
]


@attrs.frozen
class RequiredOptions:
    """Options of ``acceptance.required``: none."""


@attrs.frozen
class IndependentOptions:
    """Options of ``acceptance.independent``: none."""


REQUIRED = Rule(
    "acceptance.required",
    Level.WARNING,
    RequiredOptions,
    N_("Items are closed by an acceptance (submit, then accept), not by close."),
    basis="practice: an item is reviewed (复核) before it is struck off (办结; RULES.md #44)",
    blocking_triggers=("close",),
)
INDEPENDENT = Rule(
    "acceptance.independent",
    Level.ERROR,
    IndependentOptions,
    N_("The acceptor is named and did not do, submit or answer for the work."),
    basis="practice: the review (复核) before 办结 is the supervising office's (RULES.md #44)",
    blocking_triggers=("accept",),
)

RULES: tuple[Rule, ...] = (REQUIRED, INDEPENDENT)

# The triggers whose actors did the work, with what the message calls them.
_DOERS = {"complete": ("completed", "完成"), "submit": ("submitted", "报请销号")}


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The acceptance rules."""
    return RULES


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Report items closed without acceptance and acceptances by those who did the work."""
    required, independent = context.enabled(REQUIRED.code), context.enabled(INDEPENDENT.code)
    if not (required or independent) or not case.events:
        return []
    places = _places(case)
    found: list[Violation] = []
    if required:
        found.extend(_check_required(case, context, places))
    if independent:
        found.extend(_check_independent(case, context, places))
    return found


def _places(case: Case) -> dict[str, tuple[str, Problem | Measure]]:
    """Each item in the ledger by id: its path and the item."""
    places: dict[str, tuple[str, Problem | Measure]] = {}
    for problem in case.problems():
        places[problem.id] = (problem_where(problem.id), problem)
        for measure in problem.measures:
            places[measure.id] = (measure_where(problem.id, measure.id), measure)
    return places


def _check_required(
    case: Case, context: CheckContext, places: dict[str, tuple[str, Problem | Measure]]
) -> Iterator[Violation]:
    closed: dict[str, dt.date] = {}
    for row in case.events._raw():  # rectflow's own hot loop: rows, not Event objects
        if row[1] == "close" and row[2] in places:
            closed[row[2]] = row[3]  # the log is in order: the latest wins
    for item_id, on in closed.items():
        where, item = places[item_id]
        what, what_zh = item_words(item)
        yield context.violation(
            REQUIRED.code,
            where=where,
            message=f"{what} was closed on {on} without an acceptance: closed by close, not "
            "submitted (submit) and accepted (accept)",
            message_zh=f"{what_zh}于{on}直接销号，未经报请销号和验收",
            hint=N_(
                "submit completed items for acceptance (fire submit) and have them accepted "
                "(fire accept) or rejected (fire reject)"
            ),
            actual=on,
        )


@attrs.frozen(slots=True)
class _Acceptance:
    """One ``accept`` event, with what the log said of its item up to it.

    Attributes:
        item: the item's id.
        on: the day it was accepted.
        actor: who accepted it.
        did: the actors of the item's ``complete`` and ``submit`` events before it, each with
            the first trigger they fired.
        assigned: whether an ``assign`` event on the item came before it.
        person: the responsible person after that assign (when ``assigned``).
    """

    item: str
    on: dt.date
    actor: str | None
    did: dict[str, str]
    assigned: bool
    person: str | None


def _check_independent(
    case: Case, context: CheckContext, places: dict[str, tuple[str, Problem | Measure]]
) -> Iterator[Violation]:
    doers: dict[str, dict[str, str]] = {}  # item -> actor -> what they did (first found)
    person: dict[str, str | None] = {}  # item -> responsible person after its latest assign
    first_person: dict[str, str | None] = {}  # item -> the person before its first assign
    accepted: list[_Acceptance] = []
    for row in case.events._raw():  # rectflow's own hot loop: rows, not Event objects
        trigger, target = row[1], row[2]
        if target not in places:
            continue
        if trigger in _DOERS and row[4] is not None:
            doers.setdefault(target, {}).setdefault(row[4], trigger)
        elif trigger == ASSIGN:
            data = dict(row[7])
            first_person.setdefault(target, _text(data.get("previous_person")))
            person[target] = _text(data.get("person"))
        elif trigger == "accept":
            did = dict(doers.get(target, {}))
            accepted.append(
                _Acceptance(target, row[3], row[4], did, target in person, person.get(target))
            )
    for acceptance in accepted:
        where, item = places[acceptance.item]
        own = item.responsibility.person if item.responsibility is not None else None
        # Without an assign before the acceptance, the person is the one before the first
        # assign, or (with none at all) the item's own.
        responsible = (
            acceptance.person if acceptance.assigned else first_person.get(acceptance.item, own)
        )
        found = _dependent(
            context, where, item, acceptance.on, acceptance.actor, acceptance.did, responsible
        )
        if found is not None:
            yield found


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _dependent(
    context: CheckContext,
    where: str,
    item: Problem | Measure,
    on: dt.date,
    actor: str | None,
    did: dict[str, str],
    responsible: str | None,
    *,
    refusing: bool = False,
) -> Violation | None:
    """The violation of one acceptance by ``actor`` (or, ``refusing``, the refusal of one about
    to be fired), or ``None`` when it is independent."""
    what, what_zh = item_words(item)
    if refusing:
        done, done_zh = f"{what} can't be accepted on {on}", f"{what_zh}不能于{on}验收"
    else:
        done, done_zh = f"{what} was accepted on {on}", f"{what_zh}于{on}验收"
    if actor is None:
        return context.violation(
            INDEPENDENT.code,
            where=where,
            message=f"{done} with no acceptor named: an acceptance names who accepted",
            message_zh=f"{done_zh}，未记录验收人",
            hint=N_("record who accepted it (the actor of the accept event)"),
            actual=on,
        )
    reasons: list[str] = []
    reasons_zh: list[str] = []
    if actor in did:
        en, zh = _DOERS[did[actor]]
        reasons.append(f"who {en} it")
        reasons_zh.append(f"{zh}人")
    if responsible is not None and actor == responsible:
        reasons.append("its responsible person")
        reasons_zh.append("责任人")
    if not reasons:
        return None
    return context.violation(
        INDEPENDENT.code,
        where=where,
        message=f"{done} by {actor}, {' and '.join(reasons)}: the acceptor must be someone else",
        message_zh=f"{done_zh}，验收人{actor}即为{'、'.join(reasons_zh)}，验收应由他人进行",
        hint=N_(
            "have the supervising office (or another person) accept it, and record them as "
            "the actor"
        ),
        actual=on,
    )


@hookimpl
@guards_only("close", "accept")
@guards_when(lambda context: context.enabled(REQUIRED.code) or context.enabled(INDEPENDENT.code))
def rectflow_guard_transition(
    case: Case, transition: Transition, context: CheckContext
) -> Iterable[Violation]:
    """Refuse ``close`` under ``acceptance.required``, and an ``accept`` by no one named or by
    someone who did, submitted or answers for the work under ``acceptance.independent``."""
    item = transition.item
    if item is None:
        return []
    if transition.trigger == "close" and context.enabled(REQUIRED.code):
        return [_refuse_close(case, context, item)]
    if transition.trigger != "accept" or not context.enabled(INDEPENDENT.code):
        return []
    did = _doers(case.events._raw()).get(item.id, {}) if transition.actor is not None else {}
    responsible = item.responsibility.person if item.responsibility is not None else None
    found = _dependent(
        context,
        _where(case, item),
        item,
        transition.on,
        transition.actor,
        did,
        responsible,
        refusing=True,
    )
    return [] if found is None else [found]


def _doer(found: dict[str, dict[str, str]], row: EventRow) -> dict[str, dict[str, str]]:
    if row[1] in _DOERS and row[4] is not None:
        found.setdefault(row[2], {}).setdefault(row[4], row[1])
    return found


_doers = RowScan(dict, _doer)
"""Who completed or submitted each item in the rows (item -> actor -> the first trigger each
fired), kept from one ``accept`` to the next: the whole log was searched on every accept,
quadratic in a walk."""


def _where(case: Case, item: Problem | Measure) -> str:
    if isinstance(item, Problem):
        return problem_where(item.id)
    return measure_where(case.problem_of(item.id).id, item.id)


def _refuse_close(case: Case, context: CheckContext, item: Problem | Measure) -> Violation:
    what, what_zh = item_words(item)
    return context.violation(
        REQUIRED.code,
        where=_where(case, item),
        message=f"{what} can't be closed without an acceptance: submit it for acceptance, then "
        "accept it",
        message_zh=f"{what_zh}不能直接销号：应先报请销号，经验收后销号",
        hint=N_("fire submit, then accept (or reject, with the reason)"),
    )
