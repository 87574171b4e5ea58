"""Property-test a plugin with rectflow's stateful harness (docs/testing.md, runnable).

The plugin is the hospital's procurement rule from ``plugins/rectflow-example-rules``: a measure
tagged ``procurement`` must name the discipline committee (纪委) among its responsible
departments, and closing one that does not is blocked. The harness fires random triggers on
random items with the plugin's guards and checks, after every step, the harness's own
properties and the invariant below.

Two runs:

1. the plugin as shipped: the invariant holds;
2. a copy of the plugin whose guard was forgotten: the harness finds a sequence of triggers that
   closes such a measure, shrinks it, and prints it.

Run it with ``python examples/harness_example.py``; it exits 0 when both runs end as expected.
``tests/testing/test_harness.py`` runs it.
"""

from __future__ import annotations

import sys
import types
import unittest

from hypothesis import HealthCheck, Phase, settings

import rectflow
import rectflow.strategies as rs

try:
    import rectflow_example_rules as hospital
except ImportError:  # pragma: no cover - the plugin ships in plugins/, installed by `make test`
    sys.exit("install the example plugin first: pip install -e plugins/rectflow-example-rules")


def closed_procurement_measures_name_the_discipline_committee(
    case: rectflow.Case, report: rectflow.Report
) -> None:
    """No procurement measure is closed through ``close`` without the 纪委 responsible."""
    closed = {event.target for event in case.events if event.trigger == "close"}
    for measure in case.measures():
        if measure.id in closed and "procurement" in measure.tags:
            department = measure.responsibility.department if measure.responsibility else ""
            assert "纪委" in (department or ""), (
                f"measure {measure.id} was closed without the 纪委: {department!r}"
            )


def procurement_ledger(case: rectflow.Case) -> rectflow.Case:
    """Tag every measure ``procurement`` (the rule is about them) and give it evidence, so that
    only the rule under test, not ``evidence.close``, can stop a measure being closed."""
    for measure in case.measures():
        measure.tags = ("procurement", *measure.tags)
        if not measure.evidence and case.feedback_on is not None:
            rectflow.add_evidence(
                case, measure.id, rectflow.Evidence("院党委会纪要"), on=case.feedback_on.latest
            )
    return case


# Cases the policy accepts, small (a failure shrinks faster), every measure under the rule.
CASES = rs.from_policy("xuncha", min_problems=1, max_problems=2, max_measures=2).map(
    procurement_ledger
)
# Enough examples to find the forgotten guard every time, few enough to run in seconds.
SETTINGS = settings(
    max_examples=100,
    stateful_step_count=20,
    deadline=None,
    database=None,
    phases=[phase for phase in Phase if phase is not Phase.explain],
    suppress_health_check=[HealthCheck.too_slow],
)

TestHospitalRule = rs.workflow_test(
    plugins=[hospital],
    policy="xuncha",
    invariants=[closed_procurement_measures_name_the_discipline_committee],
    cases=CASES,
    settings=SETTINGS,
)


def _without_the_guard() -> types.ModuleType:
    """The plugin as it would be with its ``rectflow_guard_transition`` forgotten."""
    forgetful = types.ModuleType("forgetful_hospital_rules")
    forgetful.rectflow_rules = hospital.rectflow_rules  # type: ignore[attr-defined]
    forgetful.rectflow_check_case = hospital.rectflow_check_case  # type: ignore[attr-defined]
    return forgetful


TestForgottenGuard = rs.workflow_test(
    plugins=[_without_the_guard()],
    policy="xuncha",
    invariants=[closed_procurement_measures_name_the_discipline_committee],
    cases=CASES,
    settings=SETTINGS,
)


def run(test: type[unittest.TestCase]) -> unittest.TestResult:
    """Run one workflow test, printing unittest's report."""
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=0).run(test())
    sys.stdout.flush()
    return result


def main() -> int:
    """Run both tests; 0 when the shipped plugin passes and the forgetful one is caught."""
    print("1. the plugin as shipped")
    shipped = run(TestHospitalRule)
    print("2. the same plugin with its guard forgotten")
    forgotten = run(TestForgottenGuard)
    caught = [text for _, text in forgotten.failures if "closed without the 纪委" in text]
    if shipped.wasSuccessful() and caught:
        print("as expected: the shipped plugin holds, the forgotten guard was caught")
        return 0
    print("unexpected: see the reports above")
    return 1


if __name__ == "__main__":
    sys.exit(main())
