"""Where a violation is: paths into a case, and item ids in a stable, natural order.

Paths follow the validators contract: ``case``, ``feedback_on``, ``plan``, ``report_on``,
``centralised``, ``disclosures[0]``, ``stated_counts[specific]``, ``problems[2.1]``,
``problems[2.1].measures[2.1.3]``. Problems are addressed by id, not by position, so a path does
not change when the ledger is reordered.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable

from rectflow._core.model import Measure, Problem

__all__ = ["id_key", "ids_text", "item_words", "measure_where", "problem_where", "short_prefix"]

_DIGITS = re.compile(r"(\d+)")


def problem_where(problem_id: str) -> str:
    """The path of a problem: ``problems[2.1]``."""
    return f"problems[{problem_id}]"


def measure_where(problem_id: str, measure_id: str) -> str:
    """The path of a measure: ``problems[2.1].measures[2.1.3]``."""
    return f"problems[{problem_id}].measures[{measure_id}]"


def item_words(item: Problem | Measure) -> tuple[str, str]:
    """How a message names an item, in English and in Chinese (``measure 2.1.3``,
    ``整改措施2.1.3``)."""
    if isinstance(item, Problem):
        return f"problem {item.id}", f"问题{item.id}"
    return f"measure {item.id}", f"整改措施{item.id}"


def id_key(item_id: str) -> tuple[tuple[int, int, str], ...]:
    """Sort ids naturally (``2.9`` before ``2.10``), whatever order the ledger holds them in."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in _DIGITS.split(item_id)
        if part
    )


def _dotted_key(item_id: str) -> tuple[int, ...]:
    return tuple(map(int, item_id.split(".")))


def ids_text(ids: Iterable[str], limit: int = 5) -> str:
    """``2.1, 2.3, 3.1`` in natural order; past ``limit`` ids, ``… and N more``."""
    unique = set(ids)
    # Ledger ids are nearly always dotted numbers, which sort by a plain tuple of ints.
    dotted = all(part.isdigit() for item in unique for part in item.split("."))
    shown = ", ".join(heapq.nsmallest(limit, unique, key=_dotted_key if dotted else id_key))
    rest = len(unique) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def short_prefix(secret: str) -> str:
    """At most four characters and never more than half of ``secret``, then an ellipsis.

    Confidential text is named by a prefix only, so a report never repeats what it protects.
    """
    keep = min(4, len(secret) // 2)
    return f"{secret[:keep]}…"
