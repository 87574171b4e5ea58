"""Violations and reports: what a check or a guard found, and how it is shown.

A :class:`Violation` has a stable code, a level and a place in the case; a :class:`Report` holds
one case's violations, worst first, and renders them as text (English or Chinese) or JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import attrs

from rectflow._core.labels import LEVEL_ZH
from rectflow._violation import Level, Violation

__all__ = ["Level", "Report", "Violation", "render_json", "render_text"]


def _sorted(violations: Iterable[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(violations, key=Violation.sort_key))


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@attrs.frozen
class Report:
    """What checking one case found.

    Attributes:
        case: the case's id.
        as_of: the date the case was judged at.
        policy: the policy's name.
        violations: worst first, then by place and code (sorted on construction).
        caveats: what the reader must know about the dates computed (e.g. that working days
            were counted Monday-Friday without public holidays).
        file: the case file, when the case came from one.
    """

    case: str
    as_of: dt.date
    policy: str
    violations: tuple[Violation, ...] = attrs.field(default=(), converter=_sorted)
    caveats: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    file: str | None = None

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The error-level violations."""
        return tuple(v for v in self.violations if v.level is Level.ERROR)

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """The warning-level violations."""
        return tuple(v for v in self.violations if v.level is Level.WARNING)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings and infos do not fail a check)."""
        return not self.errors

    def counts(self) -> dict[Level, int]:
        """How many violations of each level (every level present, worst first)."""
        counts = dict.fromkeys(Level, 0)
        for violation in self.violations:
            counts[violation.level] += 1
        return counts

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON form of the report (``rectflow check --format json``, one case).

        ``lang="zh"`` puts the Chinese message in ``message``.
        """
        return {
            "case": self.case,
            "file": self.file,
            "as_of": self.as_of.isoformat(),
            "policy": self.policy,
            "violations": [
                {
                    "code": v.code,
                    "level": v.level.value,
                    "where": v.where,
                    "message": v.message_zh if lang == "zh" and v.message_zh else v.message,
                    "hint": v.hint,
                    "due": _iso(v.due),
                    "actual": _iso(v.actual),
                    "basis": v.basis,
                    "plugin": v.plugin,
                }
                for v in self.violations
            ],
            "caveats": list(self.caveats),
        }

    def to_text(self, lang: str = "en") -> str:
        """The report as text: a heading line, then one line per violation, worst first."""
        zh = lang == "zh"
        counts = self.counts()
        file = f" ({self.file})" if self.file else ""
        if zh:
            tally = ",".join(f"{counts[level]} 条{LEVEL_ZH[level]}" for level in Level)
            head = f"{self.case}{file} 截至 {self.as_of},规则集 {self.policy}:{tally}"
        else:
            tally = ", ".join(_plural(counts[level], level.value) for level in Level)
            head = f"{self.case}{file} as of {self.as_of}, policy {self.policy}: {tally}"
        lines = [head]
        lines.extend("  " + _line(v, zh) for v in self.violations)
        if not self.violations:
            lines.append("  未发现问题" if zh else "  no violations")
        lines.extend(("  注:" if zh else "  note: ") + caveat for caveat in self.caveats)
        return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _line(v: Violation, zh: bool) -> str:
    level = LEVEL_ZH[v.level] if zh else v.level.value
    message = v.message_zh if zh and v.message_zh else v.message
    facts = []
    if v.due is not None:
        facts.append(f"{'期限' if zh else 'due'} {v.due}")
    if v.actual is not None:
        facts.append(f"{'实际' if zh else 'actual'} {v.actual}")
    if v.basis:
        facts.append(f"{'依据' if zh else 'basis'} {v.basis}")
    if v.plugin and not v.plugin.startswith("rectflow."):
        facts.append(f"{'插件' if zh else 'plugin'} {v.plugin}")
    # Chinese level words are two characters wide each, like the widest English word.
    text = f"{level} " if zh else f"{level:<7} "
    text += f"{v.code}  {v.where}: {message}"
    if facts:
        text += f" [{'; '.join(facts)}]"
    if v.hint:
        text += f" {'建议' if zh else 'hint'}: {v.hint}"
    return text


def render_text(reports: Iterable[Report], lang: str = "en") -> str:
    """Several reports as text, one block per case, separated by a blank line."""
    return "\n\n".join(report.to_text(lang) for report in reports)


def render_json(reports: Iterable[Report], lang: str = "en") -> str:
    """Several reports as ``{"cases": [...]}`` (see :meth:`Report.to_dict`)."""
    document = {"cases": [report.to_dict(lang) for report in reports]}
    return json.dumps(document, ensure_ascii=False, indent=2)
