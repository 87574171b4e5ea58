"""Consistency: the summary counts a notice states equal what the ledger holds.

A notice states counts ("45 specific problems: 34 completed, 11 basically completed"); the case
keeps them apart from the ledger as ``stated_counts``. This module counts the ledger the same way
and reports every difference, one violation per mismatch.

What a subject counts:

* a problem kind (``key``, ``specific``, ``recommendation``, ``extended``, ``reform``,
  ``clue``): the problems of that kind *or flagged as it* by a tag (a specific problem tagged
  ``reform`` counts as a reform item too, as notices flag "此问题属于“推动改革促进发展”整改事项");
* ``problems``: every problem except clues (clues are never published, so no notice counts
  them among its problems);
* ``measures``: every measure of those problems.

What a stated state counts in the ledger (a problem's state is derived from its measures):

============================  ====================================================
stated state                  ledger states counted
============================  ====================================================
``completed`` (已完成)         ``completed``, ``submitted`` and ``closed`` (submission
                              for acceptance and closing follow completion)
``submitted`` (报请销号)       ``submitted``
``closed`` (已销号)            ``closed``
``basically_completed``       ``basically_completed``
``long_term`` (长期坚持)       ``long_term``
``in_progress`` (正在推进)     ``in_progress``, ``open`` and ``reopened`` (not yet settled)
``open`` (待整改)              ``open``
``reopened`` (反弹回潮)        ``reopened``
============================  ====================================================

The rule below gives its level and basis, and a PASS and a FAIL example: complete case files
(docs/case-file.md), checked as of the date given (tests/checks/test_check_docs.py checks them).

Rules
=====

consistency.count
    Every stated total and every stated per-state count equals the ledger's, by the table
    above, one violation per mismatch: "stated 58 extended items, the ledger holds 56".

    * No options.
    * Level: error. Basis: a notice reports its ledger (对账销号: the ledger is the record).

    PASS (as of 2024-07-01)::

        schema = 1
        id = "counts-agree"
        feedback_on = 2024-03-28
        stated_counts = [
            { subject = "specific", total = 2, by_state = { completed = 1, in_progress = 1 } },
        ]

        [[categories]]
        id = "1"
        problems = [
            { id = "1.1", initial_state = "closed", state = "closed" },
            { id = "1.2" },
        ]

    FAIL (as of 2024-07-01; the ledger holds 2, 1 of them completed)::

        schema = 1
        id = "counts-disagree"
        feedback_on = 2024-03-28
        stated_counts = [
            { subject = "specific", total = 3, by_state = { completed = 2 } },
        ]

        [[categories]]
        id = "1"
        problems = [
            { id = "1.1", initial_state = "closed", state = "closed" },
            { id = "1.2" },
        ]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

import attrs

from rectflow._core.labels import ITEM_STATE_ZH, PROBLEM_KIND_ZH
from rectflow._core.model import COUNT_SUBJECTS, Case, ItemState, ProblemKind
from rectflow._core.report import Level, Violation
from rectflow._i18n import N_, Msg
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.rules import Rule

__all__ = ["COUNTED_STATES", "RULES", "CountOptions", "rectflow_check_case", "rectflow_rules"]

_S = ItemState
COUNTED_STATES: Mapping[ItemState, frozenset[ItemState]] = MappingProxyType(
    {
        _S.COMPLETED: frozenset({_S.COMPLETED, _S.SUBMITTED, _S.CLOSED}),
        _S.SUBMITTED: frozenset({_S.SUBMITTED}),
        _S.CLOSED: frozenset({_S.CLOSED}),
        _S.BASICALLY_COMPLETED: frozenset({_S.BASICALLY_COMPLETED}),
        _S.LONG_TERM: frozenset({_S.LONG_TERM}),
        _S.IN_PROGRESS: frozenset({_S.IN_PROGRESS, _S.OPEN, _S.REOPENED}),
        _S.OPEN: frozenset({_S.OPEN}),
        _S.REOPENED: frozenset({_S.REOPENED}),
    }
)
"""A stated state -> the ledger states it counts (see the module docstring)."""

_NOUN = {
    ProblemKind.KEY.value: ("key problems", "重点问题"),
    ProblemKind.SPECIFIC.value: ("specific problems", "具体问题"),
    ProblemKind.RECOMMENDATION.value: ("recommendations", "整改意见"),
    ProblemKind.EXTENDED.value: ("extended items", "举一反三整改事项"),
    ProblemKind.REFORM.value: ("reform items", PROBLEM_KIND_ZH[ProblemKind.REFORM]),
    ProblemKind.CLUE.value: ("clues", "问题线索"),
    "problems": ("problems", "问题"),
    "measures": ("measures", "整改措施"),
}


@attrs.frozen
class CountOptions:
    """Options of ``consistency.count``: none."""


COUNT = Rule(
    "consistency.count",
    Level.ERROR,
    CountOptions,
    N_("Every stated summary count equals what the ledger holds, per subject and state."),
    basis="a notice reports its ledger (对账销号: the ledger is the record)",
)

RULES: tuple[Rule, ...] = (COUNT,)


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The consistency rules."""
    return RULES


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Check every stated count against the ledger."""
    if not case.stated_counts or not context.enabled(COUNT.code):
        return []
    return list(_check_counts(case, context))


def _tally(case: Case, subjects: set[str]) -> dict[str, Counter[ItemState | None]]:
    """Ledger states by subject, for the subjects stated (one pass over the ledger); an item
    whose state was never stated (``state_known = false``) is counted under ``None``."""
    tally: dict[str, Counter[ItemState | None]] = {subject: Counter() for subject in subjects}
    problem_subjects = subjects - {"measures"}
    measures = tally.get("measures")
    kinds = [kind for kind in ProblemKind if kind.value in problem_subjects]
    problems = tally.get("problems")
    clue = ProblemKind.CLUE
    for problem in case.problems():
        is_clue = problem.counts_as(clue)
        if measures is not None and not is_clue:
            measures.update(m.state if m.state_known else None for m in problem.measures)
        if not problem_subjects:
            continue
        state = problem.state if problem.state_known else None
        if problems is not None and not is_clue:
            problems[state] += 1
        for kind in kinds:
            if problem.counts_as(kind):
                tally[kind.value][state] += 1
    return tally


def _check_counts(case: Case, context: CheckContext) -> Iterator[Violation]:
    known = {subject for subject in {s.subject for s in case.stated_counts} if subject in _NOUN}
    tally = _tally(case, known)
    for stated in case.stated_counts:
        subject = stated.subject
        where = f"stated_counts[{subject}]"
        if subject not in known:
            yield context.violation(
                COUNT.code,
                where=where,
                message=f"a stated count of {subject!r}, which the ledger cannot count "
                f"(known subjects: {', '.join(COUNT_SUBJECTS)})",
                message_zh=f"无法核对的统计对象“{subject}”",
                hint=Msg("use one of: {subjects}", subjects=", ".join(COUNT_SUBJECTS)),
            )
            continue
        states = tally[subject]
        noun, noun_zh = _NOUN[subject]
        if stated.total is not None:
            held = states.total()
            if held != stated.total:
                yield context.violation(
                    COUNT.code,
                    where=where,
                    message=f"stated {stated.total} {noun}, the ledger holds {held}",
                    message_zh=f"通报称{noun_zh}{stated.total}个，台账为{held}个",
                    hint=Msg(
                        "correct the stated total of {noun}, or the ledger's items "
                        "(their kind and tags decide what they count as)",
                        noun=noun,
                        zh={"noun": noun_zh},
                    ),
                )
        for state, number in sorted(stated.by_state.items(), key=lambda item: item[0].value):
            counted = COUNTED_STATES[state]
            held = sum(states[s] for s in counted)
            unknown = states[None]
            # Items of unstated state may be in this state or not: a stated number between what
            # the known states hold and that plus the unknown ones cannot be contradicted.
            if held <= number <= held + unknown:
                continue
            besides = f", besides {unknown} of unstated state" if unknown else ""
            besides_zh = f"，另有{unknown}个状态未说明" if unknown else ""
            yield context.violation(
                COUNT.code,
                where=f"{where}.by_state[{state.value}]",
                message=f"stated {number} {state.value} {noun}, the ledger holds {held}{besides} "
                f"(counting {' or '.join(sorted(s.value for s in counted))})",
                message_zh=f"通报称{noun_zh}中“{ITEM_STATE_ZH[state]}”{number}个，台账为{held}个"
                f"{besides_zh}（统计口径：{'、'.join(ITEM_STATE_ZH[s] for s in sorted(counted))}）",
                hint=Msg(
                    "correct the stated number of {state} {noun}, or the ledger's states",
                    state=state.value,
                    noun=noun,
                    zh={"state": ITEM_STATE_ZH[state], "noun": noun_zh},
                ),
            )
