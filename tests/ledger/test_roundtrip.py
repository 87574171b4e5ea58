"""Export then import gives back the ledger (docs/ledger.md, "The round trip").

**The ledger** of a case is, in order: its categories that hold a problem (id, title); each
category's problems (id, title, kind, classification); each problem's measures (id, text, the
responsibility that answers for it — its own, else its problem's —, deadline, state when stated
(else "not stated"), evidence titles); and, for a problem tracked without measures, its own
responsibility, deadline, state and evidence titles. Texts compare without surrounding white space.
Not carried: event logs (the import starts each item where the ledger says it stands, without
events), tags, evidence other than its title, parents, a clue's transfer date, everything of the
case outside the ledger but its id and inspected body.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

pytest.importorskip("openpyxl")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import Case, Problem, Responsibility

REPO = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2040, 1, 1)  # after every date the strategies draw: the ledger as it stands


def _who(own: Responsibility | None, problem: Problem) -> Responsibility | None:
    who = own or problem.responsibility
    return None if who is None or who.is_empty() else who


def ledger(case: Case) -> list[Any]:
    """The ledger of ``case`` as the module docstring defines it."""
    found: list[Any] = []
    for category in case.categories:
        problems = []
        for problem in category.problems:
            measures = [
                (
                    m.id,
                    m.text.strip(),
                    _who(m.responsibility, problem),
                    m.due_on,
                    m.state if m.state_known else None,
                    tuple(e.title.strip() for e in m.evidence),
                )
                for m in problem.measures
            ]
            own = None
            if not problem.measures:
                own = (
                    _who(None, problem),
                    problem.due_on,
                    problem.own_state if problem.own_state_known else None,
                    tuple(e.title.strip() for e in problem.evidence),
                )
            problems.append(
                (
                    problem.id,
                    problem.title.strip(),
                    problem.kind,
                    problem.classification,
                    measures,
                    own,
                )
            )
        if problems:
            found.append((category.id, category.title.strip(), problems))
    return found


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    case=st.one_of(rs.cases(allow_imported=True), rs.cases(with_events=True), rs.supervised_cases())
)
def test_export_then_import_gives_back_the_ledger(case: Case, tmp_path: Path) -> None:
    """Any valid case, worked through events (the supervision loop's too) or imported in any
    state, comes back from its workbook with the same ledger, id and inspected body, and
    replays to itself."""
    path = tmp_path / "ledger.xlsx"
    rectflow.export_ledger(case, path, as_of=AS_OF, force=True)
    back = rectflow.import_ledger(path).case
    assert ledger(back) == ledger(case)
    assert (back.id, back.inspected_body) == (case.id, case.inspected_body)
    assert rectflow.replay(back) == back


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=rs.cases(with_events=True, max_events=16), offset=st.integers(0, 400))
def test_a_ledger_written_as_of_a_day_gives_back_the_ledger_of_that_day(
    case: Case, offset: int, tmp_path: Path
) -> None:
    """Exported as of a day, the workbook gives back the case as it stood that day."""
    assert case.feedback_on is not None
    day = case.feedback_on.latest + dt.timedelta(days=offset)
    path = tmp_path / "then.xlsx"
    rectflow.export_ledger(case, path, as_of=day, force=True)
    back = rectflow.import_ledger(path).case
    assert ledger(back) == ledger(rectflow.case_as_of(case, day))


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    drawn=st.lists(
        rs.cases(allow_imported=True, min_problems=1, max_problems=3), min_size=2, max_size=3
    )
)
def test_several_cases_come_back_one_per_case(drawn: list[Case], tmp_path: Path) -> None:
    """A ledger of several cases (a round's), each with a problem, gives back each case's
    ledger, in order."""
    cases = [attrs.evolve(case, id=f"case-{n}") for n, case in enumerate(drawn)]
    path = tmp_path / "round.xlsx"
    rectflow.export_ledger(cases, path, as_of=AS_OF, force=True)
    back = rectflow.import_ledger(path).cases
    assert [c.id for c in back] == [c.id for c in cases]
    assert [ledger(c) for c in back] == [ledger(c) for c in cases]


def test_the_example_round_comes_back_from_its_workbook(tmp_path: Path) -> None:
    """The demo round (five seed-based cases and the synthetic one) re-imports to the same
    ledgers as they stood on the day it was written: what ``make demo`` writes."""
    round_ = rectflow.load_round(REPO / "examples" / "rounds" / "demo-round.toml")
    path = tmp_path / "round.xlsx"
    day = dt.date(2025, 6, 1)
    rectflow.export_ledger(round_, path, as_of=day)
    back = rectflow.import_ledger(path).cases
    assert [(c.id, c.inspected_body) for c in back] == [
        (c.id, c.inspected_body) for c in round_.cases
    ]
    assert [ledger(c) for c in back] == [ledger(rectflow.case_as_of(c, day)) for c in round_.cases]
