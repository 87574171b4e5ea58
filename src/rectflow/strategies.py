"""Hypothesis strategies for rectflow's model: property-test your own rules and plugins.

Installed with the ``strategies`` extra (``pip install -e '.[strategies]'`` from a clone, or the
built wheel with ``[strategies]``: README, Install); this module and
the private ones it loads are the only ones that import hypothesis. The strategies follow
hypothesis's own style: plural names, keyword-only arguments with defaults,
``min_size``/``max_size``, and :class:`hypothesis.errors.InvalidArgument` for impossible
combinations. They shrink to small, readable examples: ids ``1``, ``1.1``, ``1.1.1``, short
Chinese or ASCII titles, exact dates at the lower bound, absent optional fields.

Every case they build is valid: it saves and loads as a case file, its dates are consistent
(nothing before the feedback date, no period ending before it starts) and its states follow
from its event log. ``st.from_type(rectflow.Case)`` works too, through hypothesis's entry point.

:func:`policies` draws valid policies, :func:`from_policy` cases that a policy accepts, and
:func:`workflow_test` is the stateful harness for workflow rules and plugins (docs/testing.md).

Example::

    from hypothesis import given
    import rectflow
    import rectflow.strategies as rs

    @given(rs.cases(with_events=True))
    def test_replay_gives_back_the_case(case):
        assert rectflow.replay(case) == case

:func:`event_sequences` draws :class:`Step` lists: triggers fired and edits recorded through
the public API (``step.apply(case)``); :func:`supervised_cases` draws cases worked through the
supervision loop (deadlines extended, submissions rejected and accepted, accountability, an
evaluation).
"""

from __future__ import annotations

from rectflow._testing.accepted import from_policy
from rectflow._testing.harness import workflow_test
from rectflow._testing.policies import durations, policies
from rectflow._testing.strategies import (
    Step,
    cases,
    categories,
    event_sequences,
    fuzzy_dates,
    ledgers,
    measures,
    periods,
    problems,
)
from rectflow._testing.supervised import supervised_cases

__all__ = [
    "Step",
    "cases",
    "categories",
    "durations",
    "event_sequences",
    "from_policy",
    "fuzzy_dates",
    "ledgers",
    "measures",
    "periods",
    "policies",
    "problems",
    "supervised_cases",
    "workflow_test",
]
