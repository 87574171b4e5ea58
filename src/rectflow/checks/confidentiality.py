"""Confidentiality: nothing internal or confidential appears in a public disclosure's text.

A disclosure to the public (scope ``public`` or ``dual``) whose ``text`` is kept is searched for
what the ledger holds back from the public. ``rectflow._core.public`` decides what is held back:
the same predicates the rendered notices are projected with.

* ``clues``: the titles of problem clues (问题线索 are never published: kind ``clue`` or a
  ``clue`` tag);
* ``classified``: the titles of the other problems held back: classified ``internal`` or
  ``confidential``, or tagged so;
* ``persons``: the names of responsible persons (``responsibility.person``);
* ``leaders``: the names of responsible leaders (off by default: leaders are often named);
* ``evidence``: the titles and references of the evidence (佐证材料) of measures and problems
  that may not be published: evidence is internal unless marked ``public = true``, and even
  then when the item it proves is held back;
* ``accountability``: the notes of accountability records (问责 is published only as counts by
  form, never one by one).

A secret matches when it appears verbatim in the text; secrets shorter than ``min_length``
characters are ignored (a one-character name would match everywhere). A leak is reported once
per disclosure and secret, naming the items that hold it; the message shows at most a short
prefix of the secret, never the secret itself. Partial or paraphrased leaks are not found.

The rule below gives its options (with units and defaults), its level and basis, and a PASS
and a FAIL example: complete case files (docs/case-file.md), checked as of the date given
(tests/checks/test_check_docs.py checks them).

Rules
=====

confidentiality.leak
    Nothing held back (as above) appears in the text of a public or dual disclosure.

    * ``secrets``: a list of ``clues``, ``classified``, ``persons``, ``leaders``, ``evidence``,
      ``accountability``; default ``["clues", "classified", "persons", "evidence",
      "accountability"]``.
    * ``min_length``: characters; default ``2``.
    * Level: error. Basis: disclosure is the rule and secrecy the exception (条例 (2015)
      第三十二条 释义: 以公开为原则、以不公开为例外; RULES.md #7, #31).

    PASS (as of 2024-12-01)::

        schema = 1
        id = "nothing-leaked"
        feedback_on = 2024-03-28

        [[disclosures]]
        published_on = 2024-11-20
        scope = "public"
        text = "共反馈问题12个，已完成整改10个，正在推进2个。"

        [[categories]]
        id = "9"

        [[categories.problems]]
        id = "9.1"
        kind = "clue"
        classification = "confidential"
        title = "某科室收受回扣线索"

    FAIL (as of 2024-12-01; the clue's title is in the text)::

        schema = 1
        id = "clue-leaked"
        feedback_on = 2024-03-28

        [[disclosures]]
        published_on = 2024-11-20
        scope = "public"
        text = "共反馈问题12个。关于某科室收受回扣线索，已移交处理。"

        [[categories]]
        id = "9"

        [[categories.problems]]
        id = "9.1"
        kind = "clue"
        classification = "confidential"
        title = "某科室收受回扣线索"
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from rectflow._core.model import Case, Evidence, Measure, Problem
from rectflow._core.public import (
    is_clue,
    is_public_disclosure,
    is_public_evidence,
    is_public_problem,
)
from rectflow._core.report import Level, Violation
from rectflow._i18n import N_, Msg
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.rules import Rule
from rectflow.checks._where import ids_text, short_prefix

__all__ = ["RULES", "LeakOptions", "Secret", "rectflow_check_case", "rectflow_rules"]

Secret = Literal["clues", "classified", "persons", "leaders", "evidence", "accountability"]
_SECRETS = ("clues", "classified", "persons", "leaders", "evidence", "accountability")

_KIND_TEXT = {
    "clues": ("the title of clue", "问题线索标题"),
    "classified": ("the title of classified problem", "非公开问题标题"),
    "persons": ("the name of the responsible person of", "责任人姓名"),
    "leaders": ("the name of the responsible leader of", "责任领导姓名"),
    "evidence": ("an evidence reference of", "佐证材料"),
    "accountability": ("an accountability note on", "问责记录"),
}


def _valid_secrets(
    _: object, __: attrs.Attribute[tuple[Secret, ...]], value: tuple[str, ...]
) -> None:
    unknown = [s for s in value if s not in _SECRETS]
    if unknown:
        raise ValueError(
            Msg(
                "unknown secret kind(s) {unknown}: use {known}",
                unknown=unknown,
                known=", ".join(_SECRETS),
            )
        )


@attrs.frozen
class LeakOptions:
    """Options of ``confidentiality.leak``.

    Attributes:
        secrets: what to look for (``clues``, ``classified``, ``persons``, ``leaders``,
            ``evidence``, ``accountability``).
        min_length: secrets shorter than this many characters are ignored.
    """

    secrets: tuple[Secret, ...] = attrs.field(
        default=("clues", "classified", "persons", "evidence", "accountability"),
        converter=tuple,
        validator=_valid_secrets,
    )
    min_length: int = attrs.field(default=2, validator=attrs.validators.ge(1))


LEAK = Rule(
    "confidentiality.leak",
    Level.ERROR,
    LeakOptions,
    N_("Nothing internal or confidential appears in a public disclosure's text."),
    basis="条例 (2015) 第三十二条 释义: 以公开为原则、以不公开为例外 (secrets are the exception)",
)

RULES: tuple[Rule, ...] = (LEAK,)


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The confidentiality rules."""
    return RULES


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Search every public disclosure's text for what the ledger holds back."""
    texts = [
        (index, d.text)
        for index, d in enumerate(case.disclosures)
        if d.text and is_public_disclosure(d)
    ]
    if not texts or not context.enabled(LEAK.code):
        return []
    options = context.options(LEAK.code, LeakOptions)
    # Two passes: the distinct secrets first (cheap set additions per measure), then, only for
    # the few found in a text, which items hold them.
    secrets = _secrets(case, options)
    found: list[Violation] = []
    for index, text in texts:
        present = _present(text, secrets)
        if present:
            holders = _holders(case, options, present)
            found.extend(_leak(context, index, kind, secret, holders) for kind, secret in present)
    return found


_KINDS = _SECRETS


def _items(case: Case, options: LeakOptions) -> Iterator[tuple[str, str, str]]:
    """``(kind, secret, item id)`` for everything held back, unstripped and unfiltered (an
    accountability note's "item" is its problem, or ``case``)."""
    wanted = set(options.secrets)
    clues, classified = "clues" in wanted, "classified" in wanted
    persons, leaders, evidence = "persons" in wanted, "leaders" in wanted, "evidence" in wanted
    for category in case.categories:
        for problem in category.problems:
            if clues and is_clue(problem):
                yield "clues", problem.title, problem.id
            elif classified and not is_clue(problem) and not is_public_problem(problem):
                yield "classified", problem.title, problem.id
            if evidence:
                for text in _evidence_secrets(problem.evidence, problem):
                    yield "evidence", text, problem.id
            if not (persons or leaders or evidence):
                continue
            for measure in problem.measures:
                who = measure.responsibility
                if who is not None:
                    if persons and who.person:
                        yield "persons", who.person, measure.id
                    if leaders and who.leader:
                        yield "leaders", who.leader, measure.id
                if evidence:
                    for text in _evidence_secrets(measure.evidence, problem, measure):
                        yield "evidence", text, measure.id
    if "accountability" in wanted:
        for record in case.accountability:
            if record.note:
                yield "accountability", record.note, record.problem or "the case"


def _evidence_secrets(
    evidence: tuple[Evidence, ...], problem: Problem, measure: Measure | None = None
) -> Iterator[str]:
    """The titles and references of the evidence of ``measure`` (or of ``problem`` itself)
    that may not be published (:func:`rectflow._core.public.is_public_evidence`)."""
    for record in evidence:
        if not is_public_evidence(record, problem, measure):
            yield record.title
            if record.reference:
                yield record.reference


def _secrets(case: Case, options: LeakOptions) -> dict[str, set[str]]:
    """The distinct secrets of each kind, stripped, at least ``min_length`` long."""
    # The same walk as _items, inlined: a set addition per name and reference, no generator.
    wanted = set(options.secrets)
    raw: dict[str, set[str]] = {kind: set() for kind in _KINDS}
    titles = raw["clues"].add, raw["classified"].add
    person, leader, evidence = raw["persons"].add, raw["leaders"].add, raw["evidence"].add
    clues, classified = "clues" in wanted, "classified" in wanted
    persons, leaders, references = "persons" in wanted, "leaders" in wanted, "evidence" in wanted
    for category in case.categories:
        for problem in category.problems:
            if clues and is_clue(problem):
                titles[0](problem.title)
            elif classified and not is_clue(problem) and not is_public_problem(problem):
                titles[1](problem.title)
            if references and problem.evidence:
                for text in _evidence_secrets(problem.evidence, problem):
                    evidence(text)
            if not (persons or leaders or references):
                continue
            for measure in problem.measures:
                who = measure.responsibility
                if who is not None:
                    if persons and who.person:
                        person(who.person)
                    if leaders and who.leader:
                        leader(who.leader)
                if references and measure.evidence:
                    for text in _evidence_secrets(measure.evidence, problem, measure):
                        evidence(text)
    if "accountability" in wanted:
        raw["accountability"].update(r.note for r in case.accountability if r.note)
    shortest = options.min_length
    return {
        kind: {s for s in (secret.strip() for secret in secrets) if len(s) >= shortest}
        for kind, secrets in raw.items()
    }


def _holders(
    case: Case, options: LeakOptions, present: list[tuple[str, str]]
) -> dict[tuple[str, str], set[str]]:
    """The ids of the items holding each secret found."""
    holders: dict[tuple[str, str], set[str]] = {key: set() for key in present}
    for kind, secret, item in _items(case, options):
        ids = holders.get((kind, secret.strip()))
        if ids is not None:
            ids.add(item)
    return holders


# Past this many candidates of one length, one set of the text's substrings of that length is
# cheaper than searching the text once per candidate.
_MANY = 256


def _present(text: str, secrets: dict[str, set[str]]) -> list[tuple[str, str]]:
    """The ``(kind, secret)`` pairs that occur in ``text``, sorted: linear in text and secrets."""
    # A secret can only occur if its first and last two characters do: a set lookup each rules
    # out nearly every name and reference before the text is searched.
    grams = {text[i : i + 2] for i in range(len(text) - 1)}
    by_length: dict[int, set[str]] = {}
    for group in secrets.values():
        for secret in group:
            if len(secret) < 2 or (secret[:2] in grams and secret[-2:] in grams):
                by_length.setdefault(len(secret), set()).add(secret)
    present: set[str] = set()
    for length, candidates in by_length.items():
        if len(candidates) < _MANY:
            present.update(secret for secret in candidates if secret in text)
        else:
            window = {text[i : i + length] for i in range(len(text) - length + 1)}
            present.update(candidates & window)
    return sorted((kind, s) for kind, group in secrets.items() for s in group & present)


def _leak(
    context: CheckContext,
    index: int,
    kind: str,
    secret: str,
    holders: dict[tuple[str, str], set[str]],
) -> Violation:
    what, what_zh = _KIND_TEXT[kind]
    ids = ids_text(holders[kind, secret])
    prefix = short_prefix(secret)
    return context.violation(
        LEAK.code,
        where=f"disclosures[{index}]",
        message=f"the public text of disclosure #{index + 1} contains {what} {ids} "
        f"(it begins {prefix!r})",
        message_zh=f"第{index + 1}项公开记录的公开文本含有{what_zh}（{ids}，以“{prefix}”开头）",
        hint=N_("remove it from the disclosure's text, or reclassify the item if it may be public"),
    )
