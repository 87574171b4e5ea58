"""What may be published: the one definition of "public" that every reader of it shares.

The confidentiality checks (what must not appear in a public text) and the public projection that
every notice is rendered from (what does appear) ask these functions, so the two can never
disagree. An item is held back when anything marks it so:

* its kind: a problem clue (问题线索) is never published;
* a tag: ``clue``, ``internal`` or ``confidential`` on a problem or a measure (a tag flags a kind
  as :meth:`Problem.counts_as` reads it, and a classification as plainly);
* its classification: ``internal`` or ``confidential``;
* for a disclosure and its contact channels, title and signer: a scope other than ``public`` or
  ``dual`` (an inner-party disclosure is not for society).

A measure is public only under a public problem, and a category only when one of its problems is.
"""

from __future__ import annotations

from rectflow._core.model import (
    Category,
    Classification,
    Disclosure,
    DisclosureScope,
    Measure,
    Problem,
    ProblemKind,
)

__all__ = [
    "HELD_BACK_TAGS",
    "PUBLIC_SCOPES",
    "is_clue",
    "is_public_category",
    "is_public_disclosure",
    "is_public_measure",
    "is_public_problem",
    "last_public_disclosure",
]

HELD_BACK_TAGS = frozenset(
    {ProblemKind.CLUE.value, Classification.INTERNAL.value, Classification.CONFIDENTIAL.value}
)
"""Tags that hold an item back from the public, whatever its kind and classification say."""

PUBLIC_SCOPES = frozenset({DisclosureScope.PUBLIC, DisclosureScope.DUAL})
"""The disclosure scopes that reach society."""


def is_clue(problem: Problem) -> bool:
    """True for a problem clue (问题线索): its kind, or a ``clue`` tag."""
    return problem.counts_as(ProblemKind.CLUE)


def is_public_problem(problem: Problem) -> bool:
    """True when the problem may be published: classified public, not a clue, no held-back tag."""
    return (
        problem.classification is Classification.PUBLIC
        and problem.kind is not ProblemKind.CLUE
        and HELD_BACK_TAGS.isdisjoint(problem.tags)
    )


def is_public_measure(measure: Measure, problem: Problem) -> bool:
    """True when the measure may be published: its problem is public and no tag holds it back."""
    return is_public_problem(problem) and HELD_BACK_TAGS.isdisjoint(measure.tags)


def is_public_category(category: Category) -> bool:
    """True when the category's title may be published: one of its problems is public (a
    category whose problems are all held back is held back with them; an empty one says
    nothing)."""
    return any(is_public_problem(p) for p in category.problems)


def is_public_disclosure(disclosure: Disclosure) -> bool:
    """True when the disclosure reaches society (scope ``public`` or ``dual``): its contact
    channels, title and signer may be published, its text is searched for leaks."""
    return disclosure.scope in PUBLIC_SCOPES


def last_public_disclosure(disclosures: list[Disclosure]) -> Disclosure | None:
    """The latest-listed disclosure that reaches society, or ``None``."""
    return next((d for d in reversed(disclosures) if is_public_disclosure(d)), None)
