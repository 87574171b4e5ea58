"""Confidentiality: nothing internal or confidential appears in a public disclosure's text.

A disclosure to the public (scope ``public`` or ``dual``) whose ``text`` is kept is searched for
what the ledger holds back from the public:

* ``clues``: the titles of problem clues (问题线索 are never published);
* ``classified``: the titles of problems classified ``internal`` or ``confidential``;
* ``persons``: the names of responsible persons (``responsibility.person``);
* ``leaders``: the names of responsible leaders (off by default: leaders are often named);
* ``evidence``: the evidence references of measures.

A secret matches when it appears verbatim in the text; secrets shorter than ``min_length``
characters are ignored (a one-character name would match everywhere). A leak is reported once
per disclosure and secret, naming the items that hold it; the message shows at most a short
prefix of the secret, never the secret itself. Partial or paraphrased leaks are not found.

The rule below gives its options (with units and defaults), its level and basis, and a PASS
and a FAIL example: complete case files (docs/case-file.md), checked as of the date given
(tests/test_check_docs.py checks them).

Rules
=====

confidentiality.leak
    Nothing held back (as above) appears in the text of a public or dual disclosure.

    * ``secrets``: a list of ``clues``, ``classified``, ``persons``, ``leaders``, ``evidence``;
      default ``["clues", "classified", "persons", "evidence"]``.
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

from rectflow._context import CheckContext
from rectflow._model import Case, Classification, DisclosureScope, ProblemKind
from rectflow._report import Level, Violation
from rectflow._rules import Rule
from rectflow.checks._where import ids_text, short_prefix
from rectflow.hookspecs import hookimpl

__all__ = ["RULES", "LeakOptions", "Secret", "rectflow_check_case", "rectflow_rules"]

Secret = Literal["clues", "classified", "persons", "leaders", "evidence"]
_SECRETS = ("clues", "classified", "persons", "leaders", "evidence")
_KIND_TEXT = {
    "clues": ("the title of clue", "问题线索标题"),
    "classified": ("the title of classified problem", "非公开问题标题"),
    "persons": ("the name of the responsible person of", "责任人姓名"),
    "leaders": ("the name of the responsible leader of", "责任领导姓名"),
    "evidence": ("an evidence reference of", "佐证材料"),
}


def _valid_secrets(
    _: object, __: attrs.Attribute[tuple[Secret, ...]], value: tuple[str, ...]
) -> None:
    unknown = [s for s in value if s not in _SECRETS]
    if unknown:
        raise ValueError(f"unknown secret kind(s) {unknown}: use {', '.join(_SECRETS)}")


@attrs.frozen
class LeakOptions:
    """Options of ``confidentiality.leak``.

    Attributes:
        secrets: what to look for (``clues``, ``classified``, ``persons``, ``leaders``,
            ``evidence``).
        min_length: secrets shorter than this many characters are ignored.
    """

    secrets: tuple[Secret, ...] = attrs.field(
        default=("clues", "classified", "persons", "evidence"),
        converter=tuple,
        validator=_valid_secrets,
    )
    min_length: int = attrs.field(default=2, validator=attrs.validators.ge(1))


LEAK = Rule(
    "confidentiality.leak",
    Level.ERROR,
    LeakOptions,
    "Nothing internal or confidential appears in a public disclosure's text.",
    basis="条例 (2015) 第三十二条 释义: 以公开为原则、以不公开为例外 (secrets are the exception)",
)

RULES: tuple[Rule, ...] = (LEAK,)

_TO_PUBLIC = (DisclosureScope.PUBLIC, DisclosureScope.DUAL)


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
        if d.text and d.scope in _TO_PUBLIC
    ]
    if not texts or not context.enabled(LEAK.code):
        return []
    options = context.options(LEAK.code, LeakOptions)
    secrets = _secrets(case, options)
    if not secrets:
        return []
    found: list[Violation] = []
    for index, text in texts:
        found.extend(_leaks(context, index, text, secrets))
    return found


# (secret kind, secret) -> the ids of the items that hold it
_Secrets = dict[tuple[str, str], set[str]]


def _secrets(case: Case, options: LeakOptions) -> _Secrets:
    """Everything to look for, with the items that hold it (one pass over the ledger)."""
    wanted = set(options.secrets)
    shortest = options.min_length
    secrets: _Secrets = {}

    def add(kind: str, secret: str | None, item: str) -> None:
        if secret is not None:
            secret = secret.strip()
            if len(secret) >= shortest:
                secrets.setdefault((kind, secret), set()).add(item)

    clues, classified = "clues" in wanted, "classified" in wanted
    persons, leaders, evidence = "persons" in wanted, "leaders" in wanted, "evidence" in wanted
    public = Classification.PUBLIC
    for problem in case.problems():
        if clues and problem.counts_as(ProblemKind.CLUE):
            add("clues", problem.title, problem.id)
        elif classified and problem.classification is not public:
            add("classified", problem.title, problem.id)
        if not (persons or leaders or evidence):
            continue
        for measure in problem.measures:
            who = measure.responsibility
            if who is not None:
                if persons:
                    add("persons", who.person, measure.id)
                if leaders:
                    add("leaders", who.leader, measure.id)
            if evidence:
                for reference in measure.evidence:
                    add("evidence", reference, measure.id)
    return secrets


# Past this many secrets of one length, one set of the text's substrings of that length is
# cheaper than searching the text once per secret.
_MANY = 256


def _found(text: str, secrets: _Secrets) -> list[tuple[str, str]]:
    """The secrets that occur in ``text``: linear in the text and the number of secrets."""
    by_length: dict[int, list[str]] = {}
    for _, secret in secrets:
        by_length.setdefault(len(secret), []).append(secret)
    present: set[str] = set()
    for length, group in by_length.items():
        if len(group) < _MANY:
            present.update(secret for secret in group if secret in text)
        else:
            window = {text[i : i + length] for i in range(len(text) - length + 1)}
            present.update(secret for secret in group if secret in window)
    return sorted(key for key in secrets if key[1] in present)


def _leaks(context: CheckContext, index: int, text: str, secrets: _Secrets) -> Iterator[Violation]:
    for kind, secret in _found(text, secrets):
        what, what_zh = _KIND_TEXT[kind]
        ids = ids_text(secrets[kind, secret])
        prefix = short_prefix(secret)
        yield context.violation(
            LEAK.code,
            where=f"disclosures[{index}]",
            message=f"the public text of disclosure #{index + 1} contains {what} {ids} "
            f"(it begins {prefix!r})",
            message_zh=f"第{index + 1}项公开记录的公开文本含有{what_zh}（{ids}，以“{prefix}”开头）",
            hint="remove it from the disclosure's text, or reclassify the item if it may be public",
        )
