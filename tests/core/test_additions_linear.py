"""Adding items stays linear: the event API keeps the id index current instead of rebuilding it,
and replay puts back a problem's or a category's list once, not once per addition (both were
quadratic: 4,000 additions took 4.3 times as long as 2,000)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import rectflow as rf
from rectflow._core import lifecycle

D = dt.date(2024, 1, 10)


def grown(n: int) -> rf.Case:
    case = rf.Case("c", feedback_on=rf.FuzzyDate.of(D), categories=[rf.Category("1")])
    for i in range(n):
        rf.add_problem(case, "1", rf.Problem(f"1.{i}", measures=[rf.Measure(f"1.{i}.1")]), on=D)
        rf.add_measure(case, f"1.{i}", rf.Measure(f"1.{i}.2"), on=D)
    return case


def test_additions_do_not_rebuild_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """200 problems and 200 measures added: the index is built once, then kept current."""
    calls: list[int] = []
    reindex = rf.Case.reindex

    def counted(self: rf.Case) -> Any:
        calls.append(1)
        return reindex(self)

    monkeypatch.setattr(rf.Case, "reindex", counted)
    case = grown(200)
    assert len(calls) == 1
    assert case.item("1.199.2").id == "1.199.2"


def test_replay_settles_each_list_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replaying 50 additions to one problem and 50 problems to one category sets each list of
    the ledger a bounded number of times (withheld, then put back once), in ledger order."""
    case = rf.Case(
        "c", feedback_on=rf.FuzzyDate.of(D), categories=[rf.Category("1", "", [rf.Problem("1.0")])]
    )
    for i in range(50):
        rf.add_measure(case, "1.0", rf.Measure(f"1.0.{i}"), on=D)
        rf.add_problem(case, "1", rf.Problem(f"1.{i + 1}"), on=D)
    sets: list[str] = []
    force = lifecycle.force

    def counted(owner: Any, name: str, value: Any) -> None:
        if name in ("measures", "problems", "categories"):
            sets.append(name)
        force(owner, name, value)

    monkeypatch.setattr(lifecycle, "force", counted)
    lifecycle.replay_in_place(case)
    assert sorted(sets) == ["measures", "measures", "problems", "problems"]
    assert [m.id for m in case.item("1.0").measures] == [f"1.0.{i}" for i in range(50)]  # type: ignore[union-attr]
    assert rf.replay(case) == case
