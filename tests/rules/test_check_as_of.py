"""check(case, as_of=d) judges the case as it stood on d, and its paths point into the case."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import rectflow
from rectflow import Disclosure, FuzzyDate, check

D = dt.date
PLUGINS = rectflow.plugin_manager(load_entry_points=False)
SYNTHETIC = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "cases"
    / "synthetic-hongqiao-first-people-hospital.toml"
)


def test_check_as_of_a_past_day_does_not_call_a_finished_measure_overdue() -> None:
    """On 2024-07-01, 3.3.2 (due 06-30) had been completed on 06-20: not overdue then."""
    case = rectflow.load_case(SYNTHETIC)
    report = check(case, policy="xuncha", as_of=D(2024, 7, 1), plugins=PLUGINS)
    late = [v.where for v in report.violations if v.code == "deadline.overdue"]
    assert "problems[3.3].measures[3.3.2]" not in late


def test_a_disclosure_published_after_the_day_is_not_counted_and_paths_stay_true() -> None:
    """Before its publication a disclosure does not count; a path to a later one names its index
    in the case, not in the shortened view."""
    case = rectflow.load_case(SYNTHETIC)
    published = case.disclosures[0].published_on
    assert published == FuzzyDate.of(D(2024, 5, 15))
    # A first entry published later, then the real one: the view keeps only index 1.
    case.disclosures.insert(0, Disclosure(FuzzyDate.of(D(2024, 12, 1)), contacts=[]))
    case.disclosures[1].contacts = []
    before = copy.deepcopy(case)
    report = check(case, policy="xuncha", as_of=D(2024, 7, 1), plugins=PLUGINS)
    assert before == case  # the view judged left the case alone
    contacts = [v.where for v in report.violations if v.code == "disclosure.contacts"]
    assert contacts == ["disclosures[1].contacts"]
    later = check(case, policy="xuncha", as_of=D(2024, 12, 2), plugins=PLUGINS)
    assert sorted(v.where for v in later.violations if v.code == "disclosure.contacts") == [
        "disclosures[0].contacts",
        "disclosures[1].contacts",
    ]
