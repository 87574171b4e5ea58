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

Supervision adds three rules (issue 10):

* **accountability** (问责) is published only as counts of people by form
  (:func:`public_accountability_counts`), never a record, its note or the problem it names; a
  record that answers a held-back problem is not counted either (its count could point at it);
* **evidence** (佐证材料) is internal unless marked ``public=True`` and its item is public
  (:func:`is_public_evidence`);
* an item **submitted for acceptance** (报请销号) is published as completed (已完成): its
  completion is claimed, and the acceptor's answer is internal (:func:`public_state`).
"""

from __future__ import annotations

from rectflow._core.model import (
    Accountability,
    AccountabilityForm,
    Case,
    Category,
    Classification,
    Disclosure,
    DisclosureScope,
    Evidence,
    ItemState,
    Measure,
    Problem,
    ProblemKind,
)
from rectflow.errors import UnknownItemError

__all__ = [
    "HELD_BACK_TAGS",
    "PUBLIC_SCOPES",
    "is_clue",
    "is_counted_in_public",
    "is_public_category",
    "is_public_disclosure",
    "is_public_evidence",
    "is_public_measure",
    "is_public_problem",
    "last_public_disclosure",
    "public_accountability_counts",
    "public_state",
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


def public_state(state: ItemState) -> ItemState:
    """The state a public text states for an item in ``state``: a submission for acceptance
    (``submitted``, 报请销号) as ``completed`` (已完成: the completion is claimed; whether the
    acceptor accepts or rejects it is internal), every other state as itself."""
    return ItemState.COMPLETED if state is ItemState.SUBMITTED else state


def is_public_evidence(
    evidence: Evidence, problem: Problem, measure: Measure | None = None
) -> bool:
    """True when a piece of evidence of ``measure`` (or, without one, of ``problem`` itself) may
    be named in public: it is marked ``public=True`` and the item it proves is public
    (:func:`is_public_measure`, :func:`is_public_problem`)."""
    if not evidence.public:
        return False
    return is_public_problem(problem) if measure is None else is_public_measure(measure, problem)


def is_counted_in_public(record: Accountability, case: Case) -> bool:
    """True when an accountability record may be counted in a public text (a record itself is
    never shown): it answers no problem, or a public one. A record answering a clue or an
    internal or confidential problem is held back with that problem, count and all (and so is
    one naming a problem the case does not have)."""
    if record.problem is None:
        return True
    try:
        problem = case.item(record.problem)
    except UnknownItemError:  # a record naming no problem of the case: held back, to be safe
        return False
    return isinstance(problem, Problem) and is_public_problem(problem)


def public_accountability_counts(case: Case) -> dict[AccountabilityForm, int]:
    """How many people were held to account, by form, as a public notice may state it
    ("诫勉谈话2人、批评教育5人"): the people of the records :func:`is_counted_in_public`
    allows, forms in :class:`~rectflow.AccountabilityForm` order, zeros left out."""
    counts = dict.fromkeys(AccountabilityForm, 0)
    for record in case.accountability:
        if is_counted_in_public(record, case):
            counts[record.form] += record.people
    return {form: n for form, n in counts.items() if n}
