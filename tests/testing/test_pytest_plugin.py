"""The pytest plugin: rectflow's fixtures reach a user's tests through the pytest11 entry point."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLE_RULES = "rectflow_example_rules"


def run(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    """Write ``source`` as a user's test module and run pytest on it in this process."""
    pytester.makepyfile(test_user=textwrap.dedent(source))
    return pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")


def test_the_plugin_is_declared_as_a_pytest11_entry_point() -> None:
    """The installed package names rectflow._testing.pytest_plugin in the pytest11 group."""
    found = {
        (e.name, e.value)
        for e in importlib.metadata.entry_points(group="pytest11")
        if e.value.startswith("rectflow")
    }
    assert found == {("rectflow", "rectflow._testing.pytest_plugin")}


def test_the_fixtures_are_listed_with_their_docstrings(pytester: pytest.Pytester) -> None:
    """`pytest --fixtures` shows the three fixtures and what each one gives."""
    result = pytester.runpytest_inprocess("--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "rectflow_case_factory*",
            "*Builds small valid cases*",
            "rectflow_policy*",
            "*Loads a policy by preset name*",
            "rectflow_plugins*",
            "*A fresh plugin manager*",
        ]
    )


def test_the_case_factory_builds_small_valid_cases_with_overrides(
    pytester: pytest.Pytester,
) -> None:
    """Defaults, ledger sizes, date text, field overrides and fresh ids per call."""
    result = run(
        pytester,
        """
        import datetime as dt
        import rectflow

        def test_defaults(rectflow_case_factory):
            case = rectflow_case_factory()
            assert case.id == "case-1"
            assert case.feedback_on == rectflow.FuzzyDate(2024, 3, 28)
            assert [m.id for m in case.measures()] == ["1.1.1"]
            (measure,) = case.measures()
            assert measure.due_on == dt.date(2024, 6, 26)
            assert measure.responsibility.department == "办公室"
            assert rectflow_case_factory().id == "case-2"

        def test_sizes_and_overrides(rectflow_case_factory):
            case = rectflow_case_factory(
                problems=2, measures=3, report_on="2024-05", inspected_body="某医院党委",
                id="mine",
            )
            assert [p.id for p in case.problems()] == ["1.1", "1.2"]
            assert [m.id for m in case.measures()][-1] == "1.2.3"
            assert case.report_on == rectflow.FuzzyDate(2024, 5)
            assert (case.inspected_body, case.id) == ("某医院党委", "mine")

        def test_closed_measures_get_evidence(rectflow_case_factory):
            minutes = rectflow.Evidence("会议纪要", rectflow.EvidenceKind.MINUTES)
            case = rectflow_case_factory(measure_state="closed", evidence=["纪要1号", minutes])
            titled = rectflow.Evidence("纪要1号")
            assert [m.evidence for m in case.measures()] == [(titled, minutes)]
            assert rectflow.replay(case) == case

        def test_an_impossible_case_is_refused(rectflow_case_factory):
            import pytest
            from rectflow.errors import CaseFileError
            with pytest.raises(CaseFileError, match="before the feedback date"):
                rectflow_case_factory(due_on=dt.date(2020, 1, 1))
        """,
    )
    result.assert_outcomes(passed=4)


def test_each_test_gets_a_fresh_plugin_manager_without_entry_points(
    pytester: pytest.Pytester,
) -> None:
    """A plugin registered in one test is gone in the next; installed entry points stay out."""
    result = run(
        pytester,
        """
        import rectflow

        class Always:
            @rectflow.hookimpl
            def rectflow_check_case(self, case, context):
                return []

        def test_register(rectflow_plugins):
            rectflow_plugins.register(Always(), "always")
            assert "always" in rectflow_plugins.names()

        def test_fresh(rectflow_plugins):
            names = rectflow_plugins.names()
            assert "always" not in names
            assert "example-rules" not in names
            assert "rectflow.checks.deadline" in names
        """,
    )
    result.assert_outcomes(passed=2)


def test_the_policy_loader_takes_a_preset_or_a_file_and_knows_registered_rules(
    pytester: pytest.Pytester,
) -> None:
    """A preset by name, a file by path, a plugin's rule once registered, errors as PolicyError."""
    pytest.importorskip(EXAMPLE_RULES)
    pytester.makefile(
        ".toml",
        hospital=textwrap.dedent(
            """\
            schema = 1
            name = "hospital"

            [rules."hospital.procurement-discipline".options]
            departments = ["纪委", "监察室"]
            """
        ),
    )
    result = run(
        pytester,
        """
        import pytest
        import rectflow_example_rules
        from rectflow.errors import PolicyError

        def test_preset(rectflow_policy):
            assert rectflow_policy("xuncha").name == "xuncha"

        def test_file_with_a_plugin_rule(rectflow_plugins, rectflow_policy):
            rectflow_plugins.register(rectflow_example_rules, "example-rules")
            policy = rectflow_policy("hospital.toml")
            options = policy.rules["hospital.procurement-discipline"].options
            assert options["departments"].value == ["纪委", "监察室"]

        def test_unknown_rule_without_the_plugin(rectflow_policy):
            with pytest.raises(PolicyError, match="unknown rule"):
                rectflow_policy("hospital.toml")
        """,
    )
    result.assert_outcomes(passed=3)


def test_loading_the_plugin_imports_neither_hypothesis_nor_the_strategies(tmp_path: Path) -> None:
    """The plugin module leaves hypothesis and rectflow.strategies unimported."""
    probe = (
        "import sys, rectflow._testing.pytest_plugin; "
        "print(sorted(m for m in ('hypothesis', 'rectflow.strategies', 'click', 'rich') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == "[]"
