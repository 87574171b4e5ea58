"""Render a case as a published rectification notice: plain text, Markdown or HTML.

The notice is of the genre the seeds show: the title, a preamble telling the dated steps, the
organisational paragraph, the numbered ledger with each item's state in the notice's words and
summary counts computed from it, the invitation to supervise with the contact channels and the
public period, and the signature. Only the case's :func:`~rectflow.public_projection` is
rendered, so internal and confidential items, people's names and evidence cannot appear; the HTML
template escapes everything it is given. Accountability (问责) appears only as counts of people by
form in the organisational paragraph ("…共问责7人，其中批评教育5人、诫勉谈话2人。"), from
:func:`rectflow._core.public.public_accountability_counts`: never a record, a note or a problem.
An item submitted for acceptance is written 已完成 (its completion is claimed), never 未完成.

The wording is fixed so that :func:`rectflow.parse_notice` reads the text back: each heading and
measure is one line ending with its state in brackets ("一是…（已完成）").
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Literal

import attrs

from rectflow._core.labels import (
    CONTACT_WORDS,
    COUNT_SUBJECT_WORDS,
    INSPECTION_KIND_ZH,
    KIND_FLAG_ZH,
    MEASURE_LEADS,
    NOTICE_STATE_WORDS,
    PROBLEM_KIND_ZH,
)
from rectflow._core.model import Case, ItemState, Measure, Problem, ProblemKind, StatedCount
from rectflow._core.public import public_accountability_counts, public_state
from rectflow._notices.accountability import accountability_sentence
from rectflow._notices.dates import write_date, write_period
from rectflow._notices.public import public_projection
from rectflow._notices.text import cn_numeral
from rectflow.errors import UnknownFormatError

if TYPE_CHECKING:
    import jinja2

__all__ = ["FORMATS", "NoticeFormat", "render_notice"]

NoticeFormat = Literal["text", "markdown", "html"]
"""The formats :func:`render_notice` writes."""

FORMATS: tuple[NoticeFormat, ...] = ("text", "markdown", "html")
"""Every format :func:`render_notice` writes, the default first."""

_TEMPLATES = {"text": "notice.txt.j2", "markdown": "notice.md.j2", "html": "notice.html.j2"}
_HTML_FRAGMENT = "notice.article.html.j2"
# Problems are counted in 个; measures and recommendations in 条 ("整改意见4条").
_PROBLEM_SUBJECTS = (frozenset(k.value for k in ProblemKind) | {"problems"}) - {
    ProblemKind.RECOMMENDATION.value
}


def _word(state: ItemState) -> str:
    return NOTICE_STATE_WORDS[public_state(state)][0]


@attrs.frozen(slots=True)
class ItemView:
    """A ledger item as printed: its heading line, the measures' lead and the measure lines."""

    heading: str
    lead: str | None
    measures: tuple[str, ...]
    depth: int


@attrs.frozen(slots=True)
class CategoryView:
    """A category as printed: its heading line and its items."""

    heading: str
    items: tuple[ItemView, ...]


@attrs.frozen(slots=True)
class NoticeView:
    """Everything a template prints, as finished lines of text (templates only lay them out)."""

    title: str
    preamble: str
    organisational_heading: str
    organisational: str
    ledger_heading: str
    summary: str | None
    categories: tuple[CategoryView, ...]
    invitation: str
    signer: str | None
    signed_on: str | None


def _preamble(case: Case, kind: str) -> str:
    """The dated steps, each a sentence; a clause whose field is missing is left out.

    The projection names a team only beside the inspected body, so "…组对…开展了" never lacks
    its object.
    """
    body = case.inspected_body
    inspection = case.inspection
    team = inspection.team
    parts: list[str] = []
    if inspection.body or inspection.onsite:
        clauses = [f"根据{inspection.body}统一部署"] if inspection.body else []
        if inspection.onsite is not None:
            clauses.append(write_period(inspection.onsite))
            if body:
                clauses.append(f"{team or ''}对{body}开展了{kind}")
                team = None  # named once, where it first acts (the on-site period)
            else:
                clauses.append(f"开展了{kind}")
        else:
            clauses.append(f"对{body}开展了{kind}" if body else f"开展了{kind}")
        parts.append("，".join(clauses) + "。")
    if case.feedback_on is not None:
        if team and body:
            parts.append(f"{write_date(case.feedback_on)}，{team}向{body}反馈了{kind}意见。")
        else:
            parts.append(f"{write_date(case.feedback_on)}，{body}收到了{kind}反馈意见。")
    plan = case.plan
    if plan is not None:
        named = f"《{plan.title}》" if plan.title else "整改方案"
        if plan.adopted_on is not None:
            parts.append(f"{write_date(plan.adopted_on)}，{body}研究通过了{named}。")
        else:
            parts.append(f"{body}研究制定了{named}。")
    if case.centralised is not None:
        parts.append(f"{write_period(case.centralised)}，{body}开展了集中整改。")
    if case.report_on is not None:
        parts.append(f"{write_date(case.report_on)}，{body}报送了{kind}整改情况报告。")
    parts.extend(f"{write_date(m.on)}，召开了{m.name}。" for m in case.milestones)
    parts.append(f"现将{kind}整改进展情况予以公布。")
    return "".join(parts)


def _summary(counts: list[StatedCount]) -> str | None:
    """The counts as stated: the projection keeps only counts with a total."""
    clauses = []
    for count in counts:
        unit = "个" if count.subject in _PROBLEM_SUBJECTS else "条"
        words = [f"{COUNT_SUBJECT_WORDS[count.subject][0]}{count.total}{unit}"]
        words += [f"{_word(s)}{n}{unit}" for s, n in count.by_state.items()]
        clauses.append("，".join(words))
    return "；".join(clauses) + "。" if clauses else None


def _state(item: Problem | Measure) -> str:
    """The bracketed state word, or nothing when no one has stated the item's state."""
    return f"（{_word(item.state)}）" if item.state_known else ""


def _item(problem: Problem, number: str, depth: int, *, named: bool = False) -> ItemView:
    specific = problem.kind is ProblemKind.SPECIFIC and not named
    lead = "" if specific else f"{PROBLEM_KIND_ZH[problem.kind]}："
    flags = "".join(
        f"（此问题属于“{KIND_FLAG_ZH[k]}”整改事项）"
        for k in KIND_FLAG_ZH
        if k.value in problem.tags
    )
    heading = f"{number}{lead}{problem.title}{flags}{_state(problem)}"
    measures = tuple(
        f"{cn_numeral(n)}是{m.text}{_state(m)}" for n, m in enumerate(problem.measures, 1)
    )
    return ItemView(heading, f"{MEASURE_LEADS[0]}：" if measures else None, measures, depth)


def _categories(case: Case) -> tuple[CategoryView, ...]:
    # Beside a stated count of key problems every heading names its kind ("具体问题：…"), so the
    # importer never takes the count's word for which problems are key.
    named = any(c.subject == ProblemKind.KEY.value for c in case.stated_counts)
    views = []
    for n, category in enumerate(case.categories, 1):
        items: list[ItemView] = []
        root = child = 0
        for problem in category.problems:
            if problem.parent is None:
                root, child = root + 1, 0
                # "1.5…" without a state word would read as a decimal: "1、5…" never does.
                mark = "、" if problem.title[:1].isdigit() and not problem.state_known else "."
                items.append(_item(problem, f"{root}{mark}", 0, named=named))
            else:
                child += 1
                items.append(_item(problem, f"（{child}）", 1, named=named))
        views.append(CategoryView(f"（{cn_numeral(n)}）{category.title}", tuple(items)))
    return tuple(views)


def _invitation(case: Case, kind: str) -> str:
    disclosure = case.disclosures[0]
    text = f"欢迎广大干部群众对{kind}整改落实情况进行监督。如有意见建议，请及时向我们反映。"
    if disclosure.public_period is not None:
        text += f"公开期限：{write_period(disclosure.public_period)}。"
    if disclosure.contacts:
        channels = [f"{CONTACT_WORDS[c.kind][0]}：{c.value}" for c in disclosure.contacts]
        text += "；".join(channels) + "。"
    return text


def notice_view(case: Case) -> NoticeView:
    """The finished lines of the notice of ``case``'s public projection."""
    public = public_projection(case)
    kind = INSPECTION_KIND_ZH[public.inspection.kind]
    disclosure = public.disclosures[0]
    group = public.leading_group.name if public.leading_group else None
    organisational = (
        f"{public.inspected_body}坚决履行{kind}整改主体责任，"
        + (f"成立了{group}，" if group else "")
        + "统筹推进整改工作。"
        + (accountability_sentence(public_accountability_counts(case)) or "")
    )
    return NoticeView(
        title=disclosure.title or "",
        preamble=_preamble(public, kind),
        organisational_heading=f"一、{kind}整改主体责任落实情况",
        organisational=organisational,
        ledger_heading=f"二、{kind}整改任务落实情况",
        summary=_summary(public.stated_counts),
        categories=_categories(public),
        invitation=_invitation(public, kind),
        signer=disclosure.signed_by,
        signed_on=write_date(disclosure.published_on) if disclosure.published_on else None,
    )


# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and any may start
# something (emphasis, links, HTML, entities with &, setext underlines with =, tables with |).
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_START_SPACE = re.compile(r"\n[ \t]+")


def _markdown(text: str) -> str:
    """Text that Markdown prints as written: its ASCII punctuation backslash-escaped, and no line
    inside it indented (an indented line would become code)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_START_SPACE.sub("\n", text))


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2  # noqa: PLC0415 - only rendering needs it: `import rectflow` stays light

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("rectflow._notices", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["md"] = _markdown
    return environment


def render_notice(case: Case, format: NoticeFormat = "text", *, fragment: bool = False) -> str:
    """Render the case as a published rectification notice.

    Only :func:`rectflow.public_projection` of the case is rendered: internal and confidential
    items, clues, people's names, evidence and events never appear; an item whose state was
    never stated gets no state word, one submitted for acceptance reads 已完成, and the counts
    are the case's stated counts when it has them. Accountability appears only as the number
    of people by form (:func:`rectflow._core.public.public_accountability_counts`).
    ``parse_notice`` reads the text format back to that projection and those counts.

    Args:
        case: the case.
        format: ``text`` (the genre as published), ``markdown`` (user text escaped) or
            ``html`` (a complete UTF-8 document, ``lang="zh-CN"``, with a small inline
            print-friendly style and no external resource; everything is escaped).
        fragment: for ``html``, only the ``<article>`` element, to embed in a page of one's
            own; text and Markdown are the same either way.

    Raises:
        UnknownFormatError: an unknown format.
    """
    if format not in _TEMPLATES:
        raise UnknownFormatError(format, FORMATS)
    name = _HTML_FRAGMENT if fragment and format == "html" else _TEMPLATES[format]
    return _environment().get_template(name).render(v=notice_view(case))
