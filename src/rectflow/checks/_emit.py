"""Violations in bulk: a rule's level and basis resolved once per run, not once per item.

The per-item rules (overdue measures, missing responsibilities, closures without evidence) may
report on a large share of a ledger of hundreds of thousands of measures.
:meth:`rectflow.CheckContext.violation` resolves the policy's level and basis on every call; an
:class:`Emitter` does it once. Use it only for violations whose dates come from the ledger (a
measure's own due date): those carry no calendar caveat, which ``CheckContext.violation`` would
otherwise add for a due date it computed.
"""

from __future__ import annotations

import datetime as dt

from rectflow._core.report import Level, Violation
from rectflow._rules.context import CheckContext

__all__ = ["Emitter"]


class Emitter:
    """Builds the violations of one rule under one context.

    Attributes:
        code: the rule's code.
        level: the level the policy gives the rule, unless the emitter was given another
            (an info note of a rule that otherwise reports errors).
        basis: the basis the policy cites for the rule (or for ``option``).
        plugin: the plugin reporting (``context.reporter``, set by the plugin manager).
    """

    __slots__ = ("basis", "code", "level", "plugin")

    def __init__(
        self,
        context: CheckContext,
        code: str,
        option: str | None = None,
        *,
        level: Level | None = None,
    ) -> None:
        self.code = code
        self.level = level if level is not None else context.level(code)
        self.basis = context.basis(code, option)
        self.plugin = context.reporter

    def __call__(
        self,
        where: str,
        message: str,
        message_zh: str,
        hint: str,
        due: dt.date | None = None,
        actual: dt.date | None = None,
    ) -> Violation:
        """One violation of the rule."""
        return Violation(
            self.code,
            self.level,
            where,
            message,
            message_zh,
            hint,
            due,
            actual,
            self.basis,
            self.plugin,
        )
