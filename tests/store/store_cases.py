"""Cases for the store's tests: small ledgers built through the public API."""

from __future__ import annotations

import datetime as dt

import rectflow as rf

FEEDBACK = dt.date(2024, 3, 1)


def ledger(case_id: str = "case-1", measures: int = 4, *, body: str = "中共某县委") -> rf.Case:
    """A case whose plan is adopted, with one problem of ``measures`` open measures, each with
    a department and a deadline set by events (``m1`` … due 2024-06-01, 06-02, …)."""
    problem = rf.Problem(
        "p1",
        title="问题一",
        measures=[rf.Measure(f"m{i}", text=f"措施{i}") for i in range(1, measures + 1)],
    )
    case = rf.Case(
        case_id,
        inspected_body=body,
        feedback_on=rf.FuzzyDate.of(FEEDBACK),
        categories=[rf.Category("c1", title="一", problems=[problem])],
    )
    rf.fire(case, "adopt_plan", on=dt.date(2024, 3, 10))
    for i in range(1, measures + 1):
        department = "办公室" if i % 2 else "财务科"
        rf.assign(case, f"m{i}", rf.Responsibility(department=department), on=dt.date(2024, 3, 11))
        due = dt.date(2024, 6, 1) + dt.timedelta(days=i - 1)
        rf.set_due(case, f"m{i}", due, on=dt.date(2024, 3, 11))
    return case
