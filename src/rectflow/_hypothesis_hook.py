"""Registers rectflow's strategies with hypothesis, so ``st.from_type(rectflow.Case)`` works.

Hypothesis calls :func:`_hypothesis_setup_hook` through the ``hypothesis`` entry-point group
when it is imported; rectflow itself never imports this module.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each model type a user is likely to ask for by type."""
    # Imported here, not at the top: hypothesis loads this module while it is itself importing.
    from hypothesis import strategies as st  # noqa: PLC0415

    from rectflow import strategies as rs  # noqa: PLC0415
    from rectflow._dates import FuzzyDate, Period  # noqa: PLC0415
    from rectflow._model import Case, Category, Measure, Problem  # noqa: PLC0415

    st.register_type_strategy(Case, rs.cases())
    st.register_type_strategy(Category, rs.categories())
    st.register_type_strategy(Problem, rs.problems())
    st.register_type_strategy(Measure, rs.measures())
    st.register_type_strategy(FuzzyDate, rs.fuzzy_dates())
    st.register_type_strategy(Period, rs.periods())
