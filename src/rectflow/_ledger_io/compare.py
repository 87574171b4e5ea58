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

__all__ = ["ledger_differences", "ledger_entries"]

Entry = tuple[tuple[str, str, str], object]
"""``((case id, item, field), value)``."""


def _who(own: Responsibility | None, problem: Problem) -> str:
    who = own or problem.responsibility
    if who is None or who.is_empty():
        return "—"
    return "/".join(part or "—" for part in (who.leader, who.department, who.person))


def ledger_entries(case: Case) -> Iterator[Entry]:
    """The case's ledger as ``(case id, item, field) → value`` entries, in ledger order."""
    key = case.id
    yield (key, "case", "inspected body"), case.inspected_body
    position = 0
    for category in case.categories:
        if not category.problems:
            continue
        where = f"category {category.id}"
        yield (key, where, "title"), category.title.strip()
        yield (key, where, "position"), position
        position += 1
        for number, problem in enumerate(category.problems):
            item = f"problem {problem.id}"
            yield (key, item, "category"), category.id
            yield (key, item, "position"), number
            yield (key, item, "title"), problem.title.strip()
            yield (key, item, "kind"), problem.kind.value
            yield (key, item, "classification"), problem.classification.value
            if not problem.measures:
                yield (key, item, "responsibility"), _who(None, problem)
                yield (key, item, "due_on"), problem.due_on
                yield (
                    (key, item, "state"),
                    (problem.own_state.value if problem.own_state_known else "not stated"),
                )
                yield (key, item, "evidence"), tuple(e.title.strip() for e in problem.evidence)
            for index, measure in enumerate(problem.measures):
                item = f"measure {measure.id}"
                yield (key, item, "problem"), problem.id
                yield (key, item, "position"), index
                yield (key, item, "text"), measure.text.strip()
                yield (key, item, "responsibility"), _who(measure.responsibility, problem)
                yield (key, item, "due_on"), measure.due_on
                yield (
                    (key, item, "state"),
                    (measure.state.value if measure.state_known else "not stated"),
                )
                yield (key, item, "evidence"), tuple(e.title.strip() for e in measure.evidence)


def ledger_differences(
    expected: Sequence[Case], actual: Sequence[Case], *, limit: int = 20
) -> list[str]:
    """Where ``actual`` differs from ``expected`` on the ledger (at most ``limit`` lines, the
    last saying how many more); empty when the ledgers are the same."""
    lines: list[str] = []
    if [c.id for c in expected] != [c.id for c in actual]:
        lines.append(
            f"cases: {', '.join(c.id for c in expected)} expected, "
            f"{', '.join(c.id for c in actual)} read"
        )
    want = dict(entry for case in expected for entry in ledger_entries(case))
    got = dict(entry for case in actual for entry in ledger_entries(case))
    for key in [*want, *(k for k in got if k not in want)]:
        if want.get(key, _ABSENT) != got.get(key, _ABSENT):
            case_id, item, field = key
            lines.append(
                f"case {case_id}: {item} {field}: {_shown(want.get(key, _ABSENT))} expected, "
                f"{_shown(got.get(key, _ABSENT))} read"
            )
    if len(lines) > limit:
        lines = [*lines[:limit], f"… and {len(lines) - limit} more"]
    return lines


_ABSENT = object()


def _shown(value: object) -> str:
    return "(absent)" if value is _ABSENT else repr(value)
