"""The renderer: the genre of the seeds, public content only, escaped HTML."""

from __future__ import annotations

import datetime as dt

import pytest

import rectflow
from rectflow import (
    Accountability,
    AccountabilityForm,
    Case,
    Category,
    Classification,
    Contact,
    ContactKind,
    Disclosure,
    Evidence,
    EvidenceKind,
    FuzzyDate,
    Inspection,
    InspectionKind,
    ItemState,
    LeadingGroup,
    Measure,
    Period,
    Plan,
    Problem,
    ProblemKind,
    Responsibility,
    Review,
    ReviewOutcome,
    StatedCount,
)
from rectflow._core.fields import force
from rectflow.errors import UnknownFormatError

SECRETS = (
    "王秘密",
    "线索内容",
    "内部问题",
    "机密问题",
    "证据文件",
    "李组长",
    "复核人",
    "操作人",
    "问责备注",
    "党纪处分",
    "问责经办人",
)


def example_case() -> Case:
    """A case with public items and, beside them, everything a notice must not show."""
    case = Case(
        id="example",
        inspected_body="中共某某医院委员会",
        inspection=Inspection(
            InspectionKind.XUNCHA,
            "市委",
            "市委第二巡察组",
            "八届市委第四轮",
            Period(FuzzyDate(2023, 9, 8), FuzzyDate(2023, 12, 27)),
        ),
        feedback_on=FuzzyDate(2024, 3, 28),
        plan=Plan(FuzzyDate(2024, 4, 20), "巡察整改工作方案"),
        leading_group=LeadingGroup("巡察整改工作领导小组", head="李组长"),
        disclosures=[
            Disclosure(
                published_on=FuzzyDate(2025, 4, 7),
                public_period=Period(FuzzyDate(2025, 4, 7), FuzzyDate(2025, 5, 6)),
                contacts=[
                    Contact(ContactKind.PHONE, "0000-1234567"),
                    Contact(ContactKind.EMAIL, "office@example.org"),
                ],
                signed_by="中共某某医院委员会",
            )
        ],
        reviews=[Review(dt.date(2025, 9, 1), by="复核人", outcomes=[ReviewOutcome("1.1")])],
        stated_counts=[StatedCount("specific", 99, {ItemState.COMPLETED: 99})],
        categories=[
            Category(
                "1",
                "关于党建工作方面",
                [
                    Problem(
                        "1.1",
                        "学习制度执行不严格",
                        ProblemKind.KEY,
                        measures=[
                            Measure(
                                "1.1.1",
                                "修订学习制度",
                                Responsibility("院长", "办公室", "王秘密"),
                                state=ItemState.COMPLETED,
                                evidence=(
                                    Evidence("证据文件", EvidenceKind.MINUTES, reference="档案1"),
                                ),
                                initial_state=ItemState.COMPLETED,
                            ),
                            Measure("1.1.2", "每月检查学习记录"),
                        ],
                    ),
                    Problem(
                        "1.2",
                        "档案管理不规范",
                        state=ItemState.LONG_TERM,
                        parent="1.1",
                        tags=("reform",),
                        initial_state=ItemState.LONG_TERM,
                    ),
                    Problem("1.3", "内部问题", classification=Classification.INTERNAL),
                    Problem("1.4", "机密问题", classification=Classification.CONFIDENTIAL),
                    Problem(
                        "1.5",
                        "线索内容",
                        ProblemKind.CLUE,
                        classification=Classification.CONFIDENTIAL,
                    ),
                ],
            )
        ],
    )
    rectflow.fire(case, "adopt_plan", on=dt.date(2024, 4, 20), actor="操作人")
    on = dt.date(2024, 6, 1)
    records = [
        Accountability(
            AccountabilityForm.ADMONISHING_TALK, 2, on=on, problem="1.1", note="问责备注"
        ),
        Accountability(AccountabilityForm.CRITICISM, 5, on=on, note="问责备注：王秘密等"),
        # Answers the clue: held back, its count too.
        Accountability(AccountabilityForm.PARTY_SANCTION, 1, on=on, problem="1.5"),
    ]
    for record in records:
        rectflow.record_accountability(case, record, actor="问责经办人")
    return case


def test_the_text_notice_has_the_parts_of_the_genre_in_order() -> None:
    """Title, preamble, organisational part, ledger with summary, invitation, signature."""
    text = rectflow.render_notice(example_case())
    markers = [
        "中共某某医院委员会关于八届市委第四轮巡察整改进展情况的通报",
        "2023年9月8日至2023年12月27日，市委第二巡察组对中共某某医院委员会开展了巡察。",
        "2024年3月28日",
        "研究通过了《巡察整改工作方案》",
        "予以公布。",
        "一、巡察整改主体责任落实情况",
        "成立了巡察整改工作领导小组",
        "严肃追责问责，共问责7人，其中批评教育5人、诫勉谈话2人。",
        "二、巡察整改任务落实情况",
        "（一）关于党建工作方面",
        "1.重点问题：学习制度执行不严格（正在推进）",
        "整改措施及进展：",
        "一是修订学习制度（已完成）",
        "二是每月检查学习记录（未完成）",
        "（1）档案管理不规范（此问题属于“推动改革促进发展”整改事项）（长期坚持）",
        "欢迎广大干部群众对巡察整改落实情况进行监督。",
        "公开期限：2025年4月7日至2025年5月6日。",
        "联系电话：0000-1234567；电子邮箱：office@example.org。",
        "中共某某医院委员会\n2025年4月7日",
    ]
    positions = [text.find(marker) for marker in markers]
    assert ([], positions) == ([m for m, p in zip(markers, positions, strict=True) if p < 0],
                               sorted(positions))  # fmt: skip


def test_summary_counts_are_the_stated_ones_when_the_case_states_counts() -> None:
    """The case states 99 specific problems, all completed: the notice says so, and no more."""
    text = rectflow.render_notice(example_case())
    assert (
        "具体问题99个，已完成99个。" in text,
        "重点问题1个" in text,
        "整改措施2条" in text,
    ) == (True, False, False)


def test_summary_counts_are_computed_from_the_ledger_when_none_are_stated() -> None:
    """Without stated counts the notice counts what its public ledger holds."""
    case = example_case()
    case.stated_counts = []
    text = rectflow.render_notice(case)
    summary = "重点问题1个，正在推进1个；具体问题1个，长期坚持1个；推动改革促进发展整改事项1个，长期坚持1个；整改措施2条，未完成1条，已完成1条。"  # noqa: E501 - one line of the notice
    assert summary in text


@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_nothing_internal_or_confidential_appears_in_any_format(format: str) -> None:
    """Internal and confidential problems, clues, names, evidence and event actors never appear."""
    rendered = rectflow.render_notice(example_case(), format)  # type: ignore[arg-type]
    assert [secret for secret in SECRETS if secret in rendered] == []


def test_html_escapes_everything_it_is_given() -> None:
    """Markup in any field comes out as text, never as markup."""
    case = example_case()
    case.categories[0].title = "<script>alert('x')</script>"
    # A text with markup, set directly: what is rendered matters here, not its history.
    force(case.categories[0].problems[0].measures[0], "text", 'a & b <img src="x">')
    case.disclosures[0].contacts.append(Contact(ContactKind.EMAIL, "<b>@example.org"))
    rendered = rectflow.render_notice(case, "html")
    assert (
        "<script>" in rendered,
        "<img" in rendered,
        "<b>" in rendered,
        "&lt;script&gt;alert(" in rendered,
        "a &amp; b &lt;img" in rendered,
    ) == (False, False, False, True, True)


def test_the_html_fragment_is_one_article_with_the_notice_s_parts() -> None:
    """One ``<article>``: an h1 title, h2 sections, h3 categories, a paragraph per line."""
    rendered = rectflow.render_notice(example_case(), "html", fragment=True)
    assert (
        rendered.startswith('<article class="rectflow-notice" lang="zh-CN">'),
        rendered.count("<h1>"),
        rendered.count("<h2>"),
        rendered.count("<h3>"),
    ) == (True, 1, 2, 1)


def test_markdown_escapes_its_punctuation_and_keeps_the_lines() -> None:
    """Markdown metacharacters in the text are escaped; headings and items are there."""
    case = example_case()
    # A title with markup, set directly: what is rendered matters here, not its history.
    force(case.categories[0].problems[0], "title", "*强调* _下划线_ [链接](x)")
    rendered = rectflow.render_notice(case, "markdown")
    assert (
        rendered.startswith("# 中共某某医院委员会关于八届市委第四轮巡察整改进展情况的通报"),
        "\\*强调\\* \\_下划线\\_ \\[链接\\]\\(x\\)" in rendered,
        "### （一）关于党建工作方面" in rendered,
    ) == (True, True, True)


def test_an_unknown_format_is_refused_with_the_known_ones() -> None:
    """An UnknownFormatError names the formats there are."""
    with pytest.raises(UnknownFormatError, match="text, markdown, html"):
        rectflow.render_notice(example_case(), "pdf")  # type: ignore[arg-type]


def test_rendering_does_not_change_the_case() -> None:
    """The renderer reads the case; its ledger, states and events stay as they were."""
    case = example_case()
    before = rectflow.dumps_case(case)
    rectflow.render_notice(case)
    assert before == rectflow.dumps_case(case)


def test_the_public_projection_drops_what_a_notice_cannot_carry() -> None:
    """No private problems, clues, names, evidence, reviews, accountability records or events;
    counts as stated."""
    public = rectflow.public_projection(example_case())
    problems = list(public.problems())
    assert (
        ["1.1", "1.2"],
        None,
        (),
        None,
        [],
        [],
        0,
        [StatedCount("specific", 99, {ItemState.COMPLETED: 99})],
        rectflow.CaseState.DISCLOSED,
    ) == (
        [p.id for p in problems],
        problems[0].measures[0].responsibility,
        problems[0].measures[0].evidence,
        public.leading_group.head if public.leading_group else "no group",
        public.reviews,
        public.accountability,
        len(public.events),
        public.stated_counts[:1],
        public.state,
    )


@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_accountability_is_published_as_counts_by_form_and_nothing_else(format: str) -> None:
    """The counts line is there in every format; the notes, the actor, the problems the records
    answer and the record answering a clue (党纪处分) are not."""
    rendered = rectflow.render_notice(example_case(), format)  # type: ignore[arg-type]
    counts = ("共问责7人", "批评教育5人", "诫勉谈话2人")
    assert ([c for c in counts if c not in rendered], []) == (
        [],
        [s for s in ("问责备注", "问责经办人", "党纪处分", "王秘密") if s in rendered],
    )


def test_a_case_without_accountability_has_no_counts_line() -> None:
    """No record, or only records answering held-back problems: nothing about 问责."""
    case = example_case()
    force(case, "accountability", case.accountability[2:])  # only the clue's record left
    assert "问责" not in rectflow.render_notice(case)


def test_a_submitted_item_is_published_as_completed_never_as_unfinished() -> None:
    """报请销号 claims completion: the measure reads 已完成 and counts among the completed."""
    case = example_case()
    case.stated_counts = []
    rectflow.fire(case, "submit", item="1.1.1", on=dt.date(2024, 7, 1))
    text = rectflow.render_notice(case)
    assert (
        "一是修订学习制度（已完成）" in text,
        "整改措施2条，未完成1条，已完成1条。" in text,
        rectflow.public_projection(case).categories[0].problems[0].measures[0].state,
    ) == (True, True, ItemState.COMPLETED)


def test_submitted_counts_a_case_states_are_published_among_the_completed() -> None:
    """A stated count of submitted items is added to the completed ones: both read 已完成."""
    case = example_case()
    case.stated_counts = [
        StatedCount("measures", 10, {ItemState.COMPLETED: 4, ItemState.SUBMITTED: 3})
    ]
    public = rectflow.public_projection(case)
    assert public.stated_counts == [StatedCount("measures", 10, {ItemState.COMPLETED: 7})]
    assert "整改措施10条，已完成7条。" in rectflow.render_notice(case)


def test_the_importer_reads_the_counts_back() -> None:
    """``parse_notice`` gives the rendered counts back by form, apart from the case."""
    result = rectflow.parse_notice(rectflow.render_notice(example_case()))
    assert (result.accountability, result.case.accountability, result.unread) == (
        {AccountabilityForm.CRITICISM: 5, AccountabilityForm.ADMONISHING_TALK: 2},
        [],
        [],
    )
