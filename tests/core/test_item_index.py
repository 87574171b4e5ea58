"""The id index is never stale and a miss costs no rebuild (issue 14, target 4).

Every change to a ledger's lists or ids is counted (``rectflow._core.fields``: ``force`` and
``ledger_append``, the only ways in); ``Case.item`` and ``Case.problem_of`` trust a hit while no
change but additions was counted, and a miss while nothing was. The property below drives public
edits, loads, copies and a host's own ``force`` on two cases that share their categories, and
after every step requires the index to answer exactly what a scan of the ledger answers.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rectflow
from rectflow import Case, Category, FuzzyDate, Measure, Problem, add_measure, fire
from rectflow._core.fields import force
from rectflow._core.model import ItemIndex
from rectflow.errors import RectflowError, UnknownItemError

DAY = dt.date(2021, 6, 1)


def ledger(n_problems: int = 3, n_measures: int = 2) -> list[Category]:
    return [
        Category(
            "1",
            "方面",
            [
                Problem(
                    f"1.{p}", "问题", measures=[Measure(f"1.{p}.{m}") for m in range(n_measures)]
                )
                for p in range(n_problems)
            ],
        )
    ]


def new_case(case_id: str, categories: list[Category] | None = None) -> Case:
    return Case(case_id, feedback_on=FuzzyDate.of(DAY), categories=categories or ledger())


def scanned(case: Case) -> dict[str, Problem | Measure]:
    found: dict[str, Problem | Measure] = {}
    for problem in case.problems():
        found.setdefault(problem.id, problem)
        for measure in problem.measures:
            found.setdefault(measure.id, measure)
    return found


def parents(case: Case) -> dict[str, Problem]:
    return {m.id: p for p in case.problems() for m in p.measures}


def assert_index_is_a_scan(case: Case, probes: set[str]) -> None:
    """``item`` and ``problem_of`` answer for every probe what a scan of the ledger answers."""
    items, owners = scanned(case), parents(case)
    for item_id in sorted(probes | set(items)):
        if item_id in items:
            assert case.item(item_id) is items[item_id], item_id
        else:
            with pytest.raises(UnknownItemError):
                case.item(item_id)
        if item_id in owners:
            assert case.problem_of(item_id) is owners[item_id], item_id
        else:
            with pytest.raises(UnknownItemError):
                case.problem_of(item_id)


# -- operations: public edits, loads, copies, a host's own force --------------------------------

Op = tuple[str, int, int]


def apply(op: Op, cases: list[Case], probes: set[str], serial: list[int]) -> None:
    kind, which, k = op
    case = cases[which % len(cases)]
    problems = list(case.problems())
    measures = list(case.measures())
    serial[0] += 1
    fresh = f"n{serial[0]}"
    probes.add(fresh)
    try:
        if kind == "fire" and measures:
            fire(case, "start", item=measures[k % len(measures)].id, on=DAY)
        elif kind == "fire_unknown":
            fire(case, "start", item=fresh, on=DAY)
        elif kind == "add_measure" and problems:
            add_measure(case, problems[k % len(problems)].id, Measure(fresh), on=DAY)
        elif kind == "add_problem":
            category = "1" if k % 2 else f"c{serial[0]}"
            title = None if category == "1" else "新方面"
            rectflow.add_problem(
                case, category, Problem(fresh, measures=[Measure(f"{fresh}.1")]), on=DAY,
                category_title=title,
            )  # fmt: skip
            probes.add(f"{fresh}.1")
        elif kind == "replay":
            cases[which % len(cases)] = rectflow.replay(case)
        elif kind == "as_of":
            view = rectflow.case_as_of(case, DAY - dt.timedelta(days=1))
            assert_index_is_a_scan(view, probes)
        elif kind == "load":
            cases[which % len(cases)] = rectflow.loads_case(rectflow.dumps_case(case))
        elif kind == "deepcopy":
            cases[which % len(cases)] = copy.deepcopy(case)
        elif kind == "pickle":
            cases[which % len(cases)] = pickle.loads(pickle.dumps(case))  # noqa: S301 - ours
        elif kind == "remove" and problems:
            # A host's own tooling taking a problem out (no event records it): no reindex call.
            problem = problems[k % len(problems)]
            for category in case.categories:
                if problem in category.problems:
                    force(category, "problems", [p for p in category.problems if p is not problem])
        elif kind == "move" and measures and len(problems) > 1:
            measure = measures[k % len(measures)]
            source = case.problem_of(measure.id)
            dest = next(p for p in problems if p is not source)
            force(source, "measures", [m for m in source.measures if m is not measure])
            force(dest, "measures", [*dest.measures, measure])
        elif kind == "rename" and measures:
            force(measures[k % len(measures)], "id", fresh)
        elif kind == "reorder" and problems:
            problem = problems[k % len(problems)]
            force(problem, "measures", list(reversed(problem.measures)))
    except RectflowError:
        pass  # a refused edit (a taken id, a derived problem …) changes nothing


OPS = st.tuples(
    st.sampled_from(
        [
            "fire", "fire_unknown", "add_measure", "add_problem", "replay", "as_of", "load",
            "deepcopy", "pickle", "remove", "move", "rename", "reorder",
        ]
    ),
    st.integers(0, 1),
    st.integers(0, 20),
)  # fmt: skip


@given(ops=st.lists(OPS, max_size=25), look_first=st.booleans())
@settings(max_examples=150, deadline=None)
def test_the_index_answers_what_a_scan_answers(ops: list[Op], look_first: bool) -> None:
    """After any sequence of edits, loads, copies and forced changes, on two cases that share
    their categories (an addition to one is in the other too), every id is found, or not, as a
    scan of each ledger finds it, and each measure's problem is the scan's."""
    shared = ledger()
    cases = [new_case("a", shared), new_case("b", shared)]
    probes = {"nowhere"}
    if look_first:
        for case in cases:
            case.item("1.0")
            case.problem_of("1.0.0")
    serial = [0]
    for op in ops:
        apply(op, cases, probes, serial)
        for case in cases:
            assert_index_is_a_scan(case, probes)


# -- a miss costs no rebuild ----------------------------------------------------------------------


def counting_reindex(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    reindex = Case.reindex

    def counted(self: Case) -> Any:
        calls.append(1)
        return reindex(self)

    monkeypatch.setattr(Case, "reindex", counted)
    return calls


def test_unknown_ids_do_not_rebuild_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """500 unknown ids through item, problem_of and fire: the index is built once."""
    case = new_case("a")
    calls = counting_reindex(monkeypatch)
    for n in range(500):
        with pytest.raises(UnknownItemError):
            case.item(f"x{n}")
        with pytest.raises(UnknownItemError):
            case.problem_of(f"x{n}")
        with pytest.raises(UnknownItemError):
            fire(case, "start", item=f"x{n}", on=DAY)
    assert len(calls) == 1


def test_an_addition_elsewhere_costs_a_hit_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measures added to another case leave this case's hits trusted (no rebuild); a miss after
    them rebuilds once, then is final again."""
    case, other = new_case("a"), new_case("b")
    case.item("1.0.0")
    other.item("1.0.0")
    calls = counting_reindex(monkeypatch)
    for n in range(50):
        add_measure(other, "1.0", Measure(f"x{n}"), on=DAY)
        assert case.item("1.1.1").id == "1.1.1"
        assert other.item(f"x{n}").id == f"x{n}"
    assert calls == []
    for _ in range(3):
        with pytest.raises(UnknownItemError):
            case.item("x1")
    assert len(calls) == 1


def test_a_forced_removal_is_followed_without_reindex() -> None:
    """A problem taken out with force (a host's own tooling) is unknown at once, its measures
    too, though the index had found them before."""
    case = new_case("a")
    assert case.item("1.1.0").id == "1.1.0"
    category = case.categories[0]
    force(category, "problems", [p for p in category.problems if p.id != "1.1"])
    for gone in ("1.1", "1.1.0"):
        with pytest.raises(UnknownItemError):
            case.item(gone)
    with pytest.raises(UnknownItemError):
        case.problem_of("1.1.0")


def test_a_pickled_index_is_rebuilt() -> None:
    """An index read back from a pickle (perhaps from another process) is not trusted."""
    case = new_case("a")
    case.item("1.0")
    back = pickle.loads(pickle.dumps(case))  # noqa: S301 - our own bytes
    index = back._index
    assert isinstance(index, ItemIndex)
    assert not index.is_current()
    assert back.item("1.0") is back.categories[0].problems[0]
