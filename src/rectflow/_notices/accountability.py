"""Accountability (问责) in a notice: counts of people by form, written and read back.

A published notice never names a record of accountability, the people or the problem it
answered; it states how many people were held to account in each form, in the organisational
part: "严肃追责问责，共问责7人，其中批评教育5人、诫勉谈话2人。" The renderer writes that
sentence from :func:`rectflow._core.public.public_accountability_counts`; the importer reads such
counts back (:attr:`rectflow.ParseResult.accountability`), the first count of each form only (a
notice that states a form twice, overall and for one unit, would otherwise be counted twice).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rectflow._core.labels import ACCOUNTABILITY_WORDS
from rectflow._core.model import AccountabilityForm
from rectflow._notices.text import Line

__all__ = ["accountability_sentence", "read_accountability"]

_FORM_BY_WORD = {word: form for form, words in ACCOUNTABILITY_WORDS.items() for word in words}
# A form's word, then the number of people: "诫勉谈话2人", "批评教育 5 名". Longest words first
# (诫勉谈话 before 诫勉); bounded, so linear in the line.
_COUNT = re.compile(
    "("
    + "|".join(re.escape(w) for w in sorted(_FORM_BY_WORD, key=len, reverse=True))
    + r")\s{0,3}(\d{1,6})\s{0,3}[人名]"
)


def accountability_sentence(counts: Mapping[AccountabilityForm, int]) -> str | None:
    """The sentence a notice states its accountability counts in, or ``None`` when there are
    none: "严肃追责问责，共问责7人，其中批评教育5人、诫勉谈话2人。" (forms in the order given)."""
    stated = [(form, n) for form, n in counts.items() if n > 0]
    if not stated:
        return None
    total = sum(n for _, n in stated)
    each = "、".join(f"{ACCOUNTABILITY_WORDS[form][0]}{n}人" for form, n in stated)
    return f"严肃追责问责，共问责{total}人，其中{each}。"


def read_accountability(lines: Iterable[Line]) -> dict[AccountabilityForm, int]:
    """The accountability counts the lines state, by form (the first count of each form),
    forms in :class:`~rectflow.AccountabilityForm` order; empty when they state none."""
    found: dict[AccountabilityForm, int] = {}
    for line in lines:
        for match in _COUNT.finditer(line.text):
            found.setdefault(_FORM_BY_WORD[match[1]], int(match[2]))
    return {form: found[form] for form in AccountabilityForm if found.get(form)}
