"""Whether a workbook gives back the ledger of a case or a round: the round trip, checked.

The ledger (docs/ledger.md, "The round trip") is, per case: its categories that hold a problem
(id, title, position); its problems (id, title, kind, classification, category, position); its
measures (id, text, the responsibility that answers for it, deadline, state when stated,
evidence titles, problem, position); and, for a problem tracked without measures, its own
responsibility, deadline, state and evidence titles. Texts compare without surrounding white
space. :func:`ledger_differences` lists where two sets of cases differ on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rectflow._core.model import Case, Problem, Responsibility
from rectflow._i18n import N_, NP_, Msg, translate, translation

__all__ = ["ledger_differences", "ledger_entries"]

Entry = tuple[tuple[str, str, str], object]
"""``((case id, item, field), value)``."""


def _field(pair: tuple[str, str]) -> str:
    """A field's English name (its msgid in the ``ledger field`` context)."""
    return pair[1]


def _who(own: Responsibility | None, problem: Problem) -> str:
    who = own or problem.responsibility
    if who is None or who.is_empty():
        return "—"
    return "/".join(part or "—" for part in (who.leader, who.department, who.person))


def ledger_entries(case: Case) -> Iterator[Entry]:
    """The case's ledger as ``(case id, item, field) → value`` entries, in ledger order."""
    key = case.id
    yield (key, Msg("the case"), _field(NP_("ledger field", "inspected body"))), case.inspected_body
    position = 0
    for category in case.categories:
        if not category.problems:
            continue
        where = Msg("category {id}", id=category.id)
        yield (key, where, _field(NP_("ledger field", "title"))), category.title.strip()
        yield (key, where, _field(NP_("ledger field", "position"))), position
        position += 1
        for number, problem in enumerate(category.problems):
            item = Msg("problem {id}", id=problem.id)
            yield (key, item, _field(NP_("ledger field", "category"))), category.id
            yield (key, item, _field(NP_("ledger field", "position"))), number
            yield (key, item, _field(NP_("ledger field", "title"))), problem.title.strip()
            yield (key, item, _field(NP_("ledger field", "kind"))), problem.kind.value
            yield (
                (key, item, _field(NP_("ledger field", "classification"))),
                problem.classification.value,
            )
            if not problem.measures:
                yield (
                    (key, item, _field(NP_("ledger field", "responsibility"))),
                    _who(None, problem),
                )
                yield (key, item, _field(NP_("ledger field", "deadline"))), problem.due_on
                yield (
                    (key, item, _field(NP_("ledger field", "state"))),
                    (problem.own_state.value if problem.own_state_known else "not stated"),
                )
                yield (
                    (key, item, _field(NP_("ledger field", "evidence"))),
                    tuple(e.title.strip() for e in problem.evidence),
                )
            for index, measure in enumerate(problem.measures):
                item = Msg("measure {id}", id=measure.id)
                yield (key, item, _field(NP_("ledger field", "problem"))), problem.id
                yield (key, item, _field(NP_("ledger field", "position"))), index
                yield (key, item, _field(NP_("ledger field", "text"))), measure.text.strip()
                yield (
                    (key, item, _field(NP_("ledger field", "responsibility"))),
                    _who(measure.responsibility, problem),
                )
                yield (key, item, _field(NP_("ledger field", "deadline"))), measure.due_on
                yield (
                    (key, item, _field(NP_("ledger field", "state"))),
                    (measure.state.value if measure.state_known else "not stated"),
                )
                yield (
                    (key, item, _field(NP_("ledger field", "evidence"))),
                    tuple(e.title.strip() for e in measure.evidence),
                )


def ledger_differences(
    expected: Sequence[Case], actual: Sequence[Case], *, limit: int = 20
) -> list[str]:
    """Where ``actual`` differs from ``expected`` on the ledger (at most ``limit`` lines, the
    last saying how many more); empty when the ledgers are the same."""
    lines: list[str] = []
    if [c.id for c in expected] != [c.id for c in actual]:
        lines.append(
            Msg(
                "cases: {expected} expected, {read} read",
                expected=", ".join(c.id for c in expected),
                read=", ".join(c.id for c in actual),
            )
        )
    want = dict(entry for case in expected for entry in ledger_entries(case))
    got = dict(entry for case in actual for entry in ledger_entries(case))
    for key in [*want, *(k for k in got if k not in want)]:
        if want.get(key, _ABSENT) != got.get(key, _ABSENT):
            case_id, item, field = key
            lines.append(
                Msg(
                    "case {case}: {item} {field}: {expected} expected, {read} read",
                    case=case_id,
                    item=item,
                    field=field,
                    expected=_shown(want.get(key, _ABSENT)),
                    read=_shown(got.get(key, _ABSENT)),
                    zh={
                        "item": translate("zh", item),
                        "field": translation("zh").pgettext("ledger field", field),
                    },
                )
            )
    if len(lines) > limit:
        lines = [*lines[:limit], Msg("… and {count} more", count=len(lines) - limit)]
    return lines


_ABSENT = object()


def _shown(value: object) -> str:
    return N_("(absent)") if value is _ABSENT else repr(value)
