"""Registers rectflow's strategies with hypothesis, so ``st.from_type(rectflow.Case)`` works.

Hypothesis calls :func:`_hypothesis_setup_hook` through the ``hypothesis`` entry-point group
when it is imported; rectflow itself never imports this module.
"""

from __future__ import annotations

from typing import Any


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each model type a user is likely to ask for by type."""
    # Imported here, not at the top: hypothesis loads this module while it is itself importing.
    from hypothesis import strategies as st  # noqa: PLC0415

    from rectflow._core.dates import FuzzyDate, Period  # noqa: PLC0415
    from rectflow._core.model import Case, Category, Measure, Problem  # noqa: PLC0415
    from rectflow._rules.policy import Policy  # noqa: PLC0415

    def deferred(name: str) -> st.SearchStrategy[Any]:
        # The strategies import hypothesis: when a user imports it first, this hook runs
        # while that module is still half-built, so the strategy is looked up on first use.
        def build() -> st.SearchStrategy[Any]:
            from rectflow._testing import policies, strategies  # noqa: PLC0415

            module = policies if name == "policies" else strategies
            strategy: st.SearchStrategy[Any] = getattr(module, name)()
            return strategy

        return st.deferred(build)

    st.register_type_strategy(Case, deferred("cases"))
    st.register_type_strategy(Category, deferred("categories"))
    st.register_type_strategy(Problem, deferred("problems"))
    st.register_type_strategy(Measure, deferred("measures"))
    st.register_type_strategy(FuzzyDate, deferred("fuzzy_dates"))
    st.register_type_strategy(Period, deferred("periods"))
    st.register_type_strategy(Policy, deferred("policies"))
