"""The rendering property: nothing held back reaches any output (issue 9, section 1).

Every field the public may not read gets a unique marker string: problems held back by kind
(clue), by tag (clue, internal, confidential) or by classification, their measures, measures
tagged so under public problems, the titles of categories whose problems are all held back,
people's names, evidence not marked public (its title, reference and who added it),
accountability records (their notes; only counts by form are published), inner disclosures
(title, signer, channel, contacts, text), reviews and event actors and notes. No marker may
appear in text, Markdown or HTML output.

The markers go into fields the events own with ``force``: what matters here is what is rendered
from a field, not the history that put the value there.
"""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Accountability,
    AccountabilityForm,
    Case,
    Classification,
    Contact,
    ContactKind,
    Disclosure,
    DisclosureScope,
    Evidence,
    EvidenceKind,
    Problem,
    ProblemKind,
    Responsibility,
)
from rectflow._core.fields import force
from rectflow._core.public import is_public_problem, public_accountability_counts
from rectflow._notices.render import NoticeFormat

# Characters no strategy draws, so a marker can only come from where it was planted.
_MARK = "㊙"

FORMATS: tuple[NoticeFormat, ...] = ("text", "markdown", "html")

_HOLDS = st.sampled_from(
    [
        ("kind", ProblemKind.CLUE),
        ("tag", "clue"),
        ("tag", "internal"),
        ("tag", "confidential"),
        ("classification", Classification.INTERNAL),
        ("classification", Classification.CONFIDENTIAL),
    ]
)


class _Markers:
    """Unique marker strings, and every one handed out."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self.planted: list[str] = []

    def __call__(self) -> str:
        marker = f"{_MARK}{next(self._numbers)}{_MARK}"
        self.planted.append(marker)
        return marker


def _hold_back(problem: Problem, how: tuple[str, object]) -> None:
    field, value = how
    if field == "kind":
        problem.kind = value  # type: ignore[assignment]
        problem.classification = Classification.CONFIDENTIAL
    elif field == "tag":
        problem.tags = (*problem.tags, str(value))
    else:
        problem.classification = value  # type: ignore[assignment]


def _internal_evidence(mark: _Markers) -> Evidence:
    """Evidence not marked public: nothing of it may be published."""
    return Evidence(mark(), EvidenceKind.MINUTES, reference=mark(), added_by=mark())


def _plant(case: Case, data: st.DataObject) -> list[str]:
    """Hold items back at random and put markers in every non-public field."""
    mark = _Markers()
    for category in case.categories:
        for problem in category.problems:
            if data.draw(st.booleans(), label=f"hold back {problem.id}"):
                _hold_back(problem, data.draw(_HOLDS, label=f"how {problem.id}"))
            force(problem, "evidence", (_internal_evidence(mark),))
            for measure in problem.measures:
                force(measure, "responsibility", Responsibility(mark(), mark(), mark()))
                force(measure, "evidence", (_internal_evidence(mark),))
                if not is_public_problem(problem):
                    force(measure, "text", mark())
                elif data.draw(st.booleans(), label=f"tag {measure.id}"):
                    tag = data.draw(st.sampled_from(["clue", "internal", "confidential"]))
                    measure.tags = (*measure.tags, tag)
                    force(measure, "text", mark())
            if not is_public_problem(problem):
                force(problem, "title", mark())
        if category.problems and not any(is_public_problem(p) for p in category.problems):
            category.title = mark()
    if case.leading_group is not None:
        case.leading_group.head = mark()
    inner = Disclosure(
        scope=DisclosureScope.INNER,
        channel=mark(),
        contacts=[Contact(ContactKind.PHONE, mark()), Contact(ContactKind.EMAIL, mark())],
        title=mark(),
        signed_by=mark(),
        text=mark(),
    )
    at = data.draw(st.integers(0, len(case.disclosures)), label="inner disclosure at")
    case.disclosures.insert(at, inner)
    for review in case.reviews:
        review.by = mark()
    problems = [None, *(p.id for p in case.problems())]
    records = [
        Accountability(
            data.draw(st.sampled_from(AccountabilityForm), label="form"),
            data.draw(st.integers(1, 30), label="people"),
            on=dt.date(2020, 1, 1),
            problem=data.draw(st.sampled_from(problems), label="answers"),
            note=mark(),
        )
        for _ in range(data.draw(st.integers(0, 4), label="accountability records"))
    ]
    force(case, "accountability", [*case.accountability, *records])
    return mark.planted


@given(rs.cases(allow_imported=True, with_events=False), st.data())
def test_nothing_held_back_reaches_text_markdown_or_html(case: Case, data: st.DataObject) -> None:
    """No marker planted in a non-public field appears in any format."""
    planted = _plant(case, data)
    leaked = {
        fmt: [m for m in planted if m in rectflow.render_notice(case, fmt)] for fmt in FORMATS
    }
    assert leaked == {fmt: [] for fmt in FORMATS}
    # Accountability reaches the notice as counts, exactly those of the records the public
    # predicate counts (none answering a held-back problem).
    read = rectflow.parse_notice(rectflow.render_notice(case)).accountability
    assert public_accountability_counts(case) == read


@given(rs.cases(with_events=True, max_events=6), st.data())
def test_nothing_held_back_reaches_the_output_of_a_case_with_events(
    case: Case, data: st.DataObject
) -> None:
    """Events' actors and notes are never published either."""
    planted = _plant(case, data)
    mark = _Markers()
    for item in [None, *(p.id for p in case.problems()), *(m.id for m in case.measures())]:
        allowed = rectflow.allowed_triggers(case, item)
        if allowed:
            rectflow.fire(
                case, allowed[0], item=item, on=dt.date(2099, 12, 31), actor=mark(), note=mark()
            )
    rendered = [rectflow.render_notice(case, fmt) for fmt in FORMATS]
    assert [m for m in [*planted, *mark.planted] if any(m in r for r in rendered)] == []
