"""Findings: what a check or a guard reports, as data (:class:`Violation` and its :class:`Level`).

They live at the bottom of the house, beside :mod:`rectflow.errors`, so that an error can carry
the violations that caused it; :mod:`rectflow._core.report` groups and renders them.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

__all__ = ["Level", "Violation"]


class Level(enum.StrEnum):
    """How serious a violation is; ``error`` blocks a guarded transition."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for error, 1 for warning, 2 for info: sort by it to put the worst first."""
        return _RANK[self]


_RANK = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


@attrs.frozen(slots=True)
class Violation:
    """One finding of a check or a guard.

    Attributes:
        code: stable, dotted and kebab-case, never reused (``deadline.report``).
        level: error, warning or info.
        where: a path into the case (``case``, ``problems[2.1].measures[2.1.3]``,
            ``disclosures[0]``).
        message: what is wrong, in English.
        message_zh: the same in Chinese.
        hint: how to make it pass.
        due: the deadline, where one applies.
        actual: the date that missed it (or the as-of date for something not yet done).
        basis: the document and article, or the practice, the rule comes from.
        plugin: the plugin that reported it (filled in by the plugin manager).
    """

    code: str
    level: Level
    where: str
    message: str
    message_zh: str = ""
    hint: str = ""
    due: dt.date | None = None
    actual: dt.date | None = None
    basis: str | None = None
    plugin: str | None = None

    @property
    def blocking(self) -> bool:
        """True when a guard reporting it forbids the transition."""
        return self.level is Level.ERROR

    def sort_key(self) -> tuple[int, str, str, str]:
        """Worst first, then by place and code: a stable order whatever the ledger order."""
        return (self.level.rank, self.where, self.code, self.message)
