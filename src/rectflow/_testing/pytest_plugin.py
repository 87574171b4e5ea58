"""rectflow's pytest plugin: fixtures for testing your own rules, plugins and case handling.

pytest loads it through the ``pytest11`` entry point whenever rectflow is installed:

* ``rectflow_plugins``: a fresh plugin manager with the built-in checks (entry points are not
  loaded, so a test sees only what it registers: ``rectflow_plugins.register(my_plugin)``);
* ``rectflow_case_factory``: builds small valid cases, ``rectflow_case_factory(measures=3,
  report_on="2024-05-20")``;
* ``rectflow_policy``: loads a policy by preset name or file path, against ``rectflow_plugins``
  (so your plugin's rules may be configured once it is registered).

Loading the plugin costs pytest nothing: rectflow is imported when a fixture is first used, and
hypothesis never.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from rectflow._core.model import Case, Evidence
    from rectflow._rules.plugins import Plugins
    from rectflow._rules.policy import Policy

__all__ = [
    "CaseFactory",
    "rectflow_case_factory",
    "rectflow_plugins",
    "rectflow_policy",
]

_FEEDBACK = "2024-03-28"
# How long after the feedback a factory-made measure is due: within a typical plan's period.
_DUE_AFTER = dt.timedelta(days=90)


@pytest.fixture
def rectflow_plugins() -> Plugins:
    """A fresh plugin manager: the built-in checks, no entry points (register yours on it)."""
    from rectflow._rules.plugins import plugin_manager  # noqa: PLC0415 - loads on first use

    return plugin_manager(load_entry_points=False)


def _fuzzy(value: object) -> Any:
    """A date field's value: a FuzzyDate from text (``"2024-06"``) or a day; others unchanged."""
    from rectflow._core.dates import FuzzyDate  # noqa: PLC0415

    if isinstance(value, str):
        return FuzzyDate.parse(value)
    if type(value) is dt.date:
        return FuzzyDate.of(value)
    return value


class CaseFactory:
    """Builds small valid cases; the fixture ``rectflow_case_factory`` is one of these.

    Call it with keyword overrides::

        case = rectflow_case_factory()                        # one problem with one measure
        case = rectflow_case_factory(problems=2, measures=3)  # 1.1, 1.2 with 1.1.1 … 1.2.3
        case = rectflow_case_factory(report_on="2024-05-20", inspected_body="某医院党委")

    ``problems`` and ``measures`` give the size of the ledger (one category ``1``); each
    measure has a responsible department and is due 90 days after the feedback (``due_on``
    overrides that). ``measure_state`` starts every measure in that state (an imported case;
    ``evidence`` is then given to closed ones: :class:`rectflow.Evidence` records, or titles
    that become documents). Every other keyword is a :class:`rectflow.Case`
    field; date fields take ``"2024-06"``-style text or a ``datetime.date``. Ids are ``case-1``,
    ``case-2``, … within a test unless ``id`` is given. The case is checked as a case file is on
    loading, so an impossible one raises :class:`rectflow.errors.CaseFileError`.
    """

    _DATES = ("feedback_on", "report_on")

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def __call__(
        self,
        *,
        problems: int = 1,
        measures: int = 1,
        due_on: dt.date | None = None,
        measure_state: str = "open",
        evidence: Sequence[str | Evidence] = ("会议纪要",),
        **fields: Any,
    ) -> Case:
        from rectflow._casefile.document import (  # noqa: PLC0415
            structure_case,
            unstructure_case,
        )
        from rectflow._core.model import (  # noqa: PLC0415
            Case,
            Category,
            Evidence,
            ItemState,
            Measure,
            Problem,
            Responsibility,
        )

        for name in self._DATES:
            if name in fields:
                fields[name] = _fuzzy(fields[name])
        feedback = fields.setdefault("feedback_on", _fuzzy(_FEEDBACK))
        state = ItemState(measure_state)
        due = due_on if due_on is not None else feedback.latest + _DUE_AFTER
        if "categories" not in fields:
            fields["categories"] = [
                Category(
                    "1",
                    "整改",
                    [
                        Problem(
                            f"1.{p}",
                            f"问题{p}",
                            measures=[
                                Measure(
                                    id=f"1.{p}.{m}",
                                    text=f"措施{m}",
                                    responsibility=Responsibility(department="办公室"),
                                    due_on=due,
                                    state=state,
                                    evidence=tuple(
                                        e if isinstance(e, Evidence) else Evidence(e)
                                        for e in evidence
                                    )
                                    if state is ItemState.CLOSED
                                    else (),
                                    initial_state=state,
                                )
                                for m in range(1, measures + 1)
                            ],
                        )
                        for p in range(1, problems + 1)
                    ],
                )
            ]
        fields.setdefault("id", f"case-{next(self._ids)}")
        case = Case(**fields)
        # Through the case-file document and back: checked exactly as a loaded file is.
        return structure_case(unstructure_case(case))


@pytest.fixture
def rectflow_case_factory() -> CaseFactory:
    """Builds small valid cases with keyword overrides (see :class:`CaseFactory`)."""
    return CaseFactory()


@pytest.fixture
def rectflow_policy(rectflow_plugins: Plugins) -> Callable[[str | Path], Policy]:
    """Loads a policy by preset name (``"xuncha"``) or file path, against ``rectflow_plugins``.

    Register your plugin on ``rectflow_plugins`` first and the policy may configure its rules.
    A policy that does not load raises :class:`rectflow.errors.PolicyError`.
    """
    from rectflow._rules.policy_file import policy  # noqa: PLC0415

    def load(name_or_path: str | Path) -> Policy:
        return policy(name_or_path, rectflow_plugins)

    return load
