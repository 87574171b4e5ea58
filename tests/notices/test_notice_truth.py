"""Issue 9, section 1: a rendered notice states only what is true and public.

Unknown is not unfinished; stated counts are rendered as stated; one predicate decides what is
public; a missing field leaves its clause out; HTML is a whole document; Markdown is escaped.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Accountability,
    AccountabilityForm,
    Case,
    Category,
    Classification,
    Contact,
    ContactKind,
    Disclosure,
    DisclosureScope,
    Evidence,
    FuzzyDate,
    Inspection,
    InspectionKind,
    ItemState,
    Measure,
    Period,
    Problem,
    StatedCount,
)
from rectflow._core.fields import force
from rectflow._core.public import (
    is_counted_in_public,
    is_public_evidence,
    is_public_problem,
    public_accountability_counts,
)


def unknown_case() -> Case:
    """A ledger whose items state no state, as an imported notice gives one."""
    measures = [Measure(f"1.1.{n}", f"措施{n}", state_known=False) for n in (1, 2)]
    return Case(
        "unknown",
        "中共某某医院委员会",
        Inspection(InspectionKind.XUNCHA, "市委", "市委第二巡察组", "八届市委第四轮"),
        feedback_on=FuzzyDate(2024, 3, 28),
        categories=[
            Category(
                "1",
                "关于党建工作方面",
                [
                    Problem("1.1", "学习制度执行不严格", measures=measures),
                    Problem("1.2", "档案管理不规范", state_known=False),
                ],
            )
        ],
    )


# -- unknown is not unfinished -----------------------------------------------------------------


def test_an_item_whose_state_is_unknown_is_never_printed_as_unfinished() -> None:
    """No （未完成） and no "未完成 N" for items whose state no one has stated."""
    text = rectflow.render_notice(unknown_case())
    assert ("未完成" in text, "1.学习制度执行不严格\n" in text, "一是措施1\n" in text) == (
        False,
        True,
        True,
    )


def test_counts_of_unknown_items_name_the_total_and_no_state() -> None:
    """Without stated counts, the summary counts the items and puts none in a state."""
    text = rectflow.render_notice(unknown_case())
    assert "具体问题2个；整改措施2条。" in text


def test_a_known_state_beside_unknown_ones_is_still_printed() -> None:
    """A measure completed by an event says so; its problem stays without a state word."""
    case = unknown_case()
    rectflow.fire(case, "start", item="1.1.1", on=dt.date(2024, 4, 1))
    rectflow.fire(case, "complete", item="1.1.1", on=dt.date(2024, 5, 1))
    text = rectflow.render_notice(case)
    assert (
        "一是措施1（已完成）" in text,
        "二是措施2\n" in text,
        "1.学习制度执行不严格\n" in text,
        "整改措施2条，已完成1条。" in text,
    ) == (True, True, True, True)


def test_stated_counts_are_rendered_as_stated() -> None:
    """234 of 263 measures completed, as the case states, not 0 of the 2 it lists."""
    case = unknown_case()
    case.stated_counts = [
        StatedCount("measures", 263, {ItemState.COMPLETED: 234, ItemState.IN_PROGRESS: 29}),
    ]
    text = rectflow.render_notice(case)
    assert ("整改措施263条，已完成234条，正在推进29条。" in text, "整改措施2条" in text) == (
        True,
        False,
    )


def test_the_rendered_seed_002_says_what_the_notice_says(seed_text: dict[str, str]) -> None:
    """Seed 002 states 234 of 263 measures completed: its rendering says so and calls no key
    problem unfinished."""
    text = rectflow.render_notice(rectflow.parse_notice(seed_text["002"]).case)
    assert (
        "重点问题14个，已完成7个，基本完成7个" in text,
        "整改措施263条，已完成234条，正在推进29条" in text,
        "未完成" in text,
    ) == (True, True, False)


def test_an_unknown_problem_derives_from_its_measures_unless_a_known_one_is_reopened() -> None:
    """Unknown when a measure is, known when all are, or when a known one is reopened."""
    problem = Problem(
        "1.1",
        measures=[Measure("1.1.1", state_known=False), Measure("1.1.2", state=ItemState.OPEN)],
    )
    unknown = problem.state_known
    # States set directly: the derivation is under test, not how the measures got there.
    force(problem.measures[1], "state", ItemState.REOPENED)
    reopened = problem.state_known
    force(problem.measures[1], "state", ItemState.COMPLETED)
    force(problem.measures[0], "state_known", True)
    assert (unknown, reopened, problem.state_known) == (False, True, True)


def test_firing_an_event_on_an_unknown_item_makes_its_state_known_and_replay_agrees() -> None:
    """The event's effect includes knowing the state, so replay reproduces it."""
    case = unknown_case()
    rectflow.fire(case, "start", item="1.2", on=dt.date(2024, 4, 1))
    rectflow.fire(case, "start", item="1.1.2", on=dt.date(2024, 4, 1))
    item, measure = case.item("1.2"), case.item("1.1.2")
    assert (item.state_known, measure.state_known, rectflow.replay(case) == case) == (
        True,
        True,
        True,
    )


def test_state_known_false_survives_save_and_load_and_is_written_only_when_false() -> None:
    """The file says state_known = false for the unknown items only; loading gives them back."""
    case = unknown_case()
    text = rectflow.dumps_case(case)
    assert (text.count("state_known = false"), rectflow.loads_case(text) == case) == (3, True)


def test_a_file_marking_an_item_with_events_as_unknown_is_refused() -> None:
    """An event says where an item stands: state_known = false beside one is a contradiction."""
    case = unknown_case()
    rectflow.fire(case, "start", item="1.2", on=dt.date(2024, 4, 1))
    text = rectflow.dumps_case(case).replace(
        'title = "档案管理不规范"', 'title = "档案管理不规范"\nstate_known = false'
    )
    with pytest.raises(rectflow.errors.CaseFileError, match=r"problems\[1\]\.state_known"):
        rectflow.loads_case(text)


def test_status_counts_unknown_items_apart_and_overdue_never_calls_them_late() -> None:
    """Neither open nor late: an unknown state is counted as such."""
    case = unknown_case()
    # Deadlines as an imported ledger carries them (no set_due event: it came with them).
    force(case.item("1.1.1"), "due_on", dt.date(2024, 4, 30))
    force(case.item("1.2"), "due_on", dt.date(2024, 4, 30))
    found = rectflow.status(case, dt.date(2024, 9, 1))
    assert (
        dict(found.problems),
        dict(found.measures),
        found.problems_unknown,
        found.measures_unknown,
        found.overdue,
        rectflow.overdue(case, dt.date(2024, 9, 1)),
    ) == ({}, {}, 2, 2, (), [])


# -- one definition of public ------------------------------------------------------------------


def test_a_problem_tagged_clue_internal_or_confidential_is_not_public() -> None:
    """Kind, tag and classification all hold a problem back, as the checks read them."""
    held = [
        Problem("1", kind=rectflow.ProblemKind.CLUE),
        Problem("2", tags=("clue",)),
        Problem("3", tags=("internal",)),
        Problem("4", tags=("confidential",)),
        Problem("5", classification=Classification.INTERNAL),
        Problem("6", classification=Classification.CONFIDENTIAL),
    ]
    assert ([is_public_problem(p) for p in held], is_public_problem(Problem("7"))) == (
        [False] * 6,
        True,
    )


def test_evidence_is_public_only_when_marked_so_and_its_item_is_public() -> None:
    """``public=True`` on evidence of a public item; anything else is held back."""
    marked, internal = Evidence("制度文件", public=True), Evidence("会议纪要")
    public_problem = Problem("1", measures=[Measure("1.1"), Measure("1.2", tags=("internal",))])
    held = Problem("2", classification=Classification.INTERNAL, measures=[Measure("2.1")])
    a, b = public_problem.measures
    assert [
        is_public_evidence(marked, public_problem),
        is_public_evidence(marked, public_problem, a),
        is_public_evidence(internal, public_problem, a),
        is_public_evidence(marked, public_problem, b),
        is_public_evidence(marked, held, held.measures[0]),
        is_public_evidence(marked, held),
    ] == [True, True, False, False, False, False]


def test_accountability_is_counted_in_public_unless_it_answers_a_held_back_problem() -> None:
    """A record on the case or on a public problem counts; one on a clue, or on no problem the
    case has, does not; the counts add people by form."""
    case = Case(
        "c",
        categories=[
            Category("1", "", [Problem("1.1"), Problem("1.2", kind=rectflow.ProblemKind.CLUE)])
        ],
    )
    on = dt.date(2024, 6, 1)
    records = [
        Accountability(AccountabilityForm.CRITICISM, 3, on=on),
        Accountability(AccountabilityForm.CRITICISM, 2, on=on, problem="1.1"),
        Accountability(AccountabilityForm.PARTY_SANCTION, 1, on=on, problem="1.2"),
        Accountability(AccountabilityForm.REMINDER_TALK, 4, on=on, problem="9.9"),
    ]
    # Records as a file holds them (a record naming a missing problem cannot be recorded).
    force(case, "accountability", records)
    assert (
        [is_counted_in_public(r, case) for r in records],
        public_accountability_counts(case),
    ) == ([True, True, False, False], {AccountabilityForm.CRITICISM: 5})


def test_a_problem_tagged_clue_is_left_out_of_the_notice() -> None:
    """The renderer used to read only ``kind``; a ``clue`` tag holds the problem back too."""
    case = unknown_case()
    clue = Problem("1.3", "某科室收受回扣线索", tags=("clue",))
    force(case.categories[0], "problems", [*case.categories[0].problems, clue])  # as imported
    assert "收受回扣" not in rectflow.render_notice(case)


def test_an_inner_disclosure_s_channels_and_signer_are_never_published() -> None:
    """The last disclosure is internal: the notice takes the last public one's channels."""
    case = unknown_case()
    case.disclosures = [
        Disclosure(FuzzyDate(2024, 9, 1), contacts=[Contact(ContactKind.PHONE, "0000-1111111")]),
        Disclosure(
            FuzzyDate(2024, 9, 2),
            DisclosureScope.INNER,
            contacts=[
                Contact(ContactKind.PHONE, "内线8888"),
                Contact(ContactKind.EMAIL, "inner@example.org"),
            ],
            title="内部通报标题",
            signed_by="内部签发人",
        ),
    ]
    text = rectflow.render_notice(case)
    assert (
        "0000-1111111" in text,
        "内线8888" in text,
        "inner@example.org" in text,
        "内部签发人" in text,
        "2024年9月1日" in text,
    ) == (True, False, False, False, True)


def test_a_category_whose_problems_are_all_internal_prints_no_title() -> None:
    """Holding back every problem of a category holds back its title as well."""
    case = unknown_case()
    internal = Category("2", "关于内部事项方面", [Problem("2.1", "内部问题", tags=("internal",))])
    force(case, "categories", [*case.categories, internal])  # as imported
    text = rectflow.render_notice(case)
    assert ("关于内部事项方面" in text, "（二）" in text) == (False, False)


# -- graceful sentences ------------------------------------------------------------------------


def test_a_missing_body_leaves_its_clauses_out() -> None:
    """No "…巡察组对开展了巡察", no title that starts with 关于."""
    case = Case(
        "bodiless",
        inspection=Inspection(
            InspectionKind.XUNCHA,
            "市委",
            "市委第二巡察组",
            "八届市委第四轮",
            Period(FuzzyDate(2023, 9, 8), FuzzyDate(2023, 12, 27)),
        ),
        feedback_on=FuzzyDate(2024, 3, 28),
    )
    text = rectflow.render_notice(case)
    first = text.splitlines()[0]
    assert (
        first,
        "对开展" in text,
        "组对" in text,
        "2023年9月8日至2023年12月27日，开展了巡察。" in text,
        "向反馈" in text,
    ) == ("巡察整改进展情况的通报", False, False, True, False)


def test_a_missing_on_site_period_names_no_team_and_no_empty_clause() -> None:
    """Without an on-site period: "根据市委统一部署，对…开展了巡察。", the team where it reports."""
    text = rectflow.render_notice(unknown_case())
    assert (
        "根据市委统一部署，对中共某某医院委员会开展了巡察。" in text,
        "市委第二巡察组向中共某某医院委员会反馈了巡察意见。" in text,
        "，，" in text,
    ) == (True, True, False)


def test_html_is_a_complete_print_friendly_document_without_external_requests() -> None:
    """doctype, UTF-8, lang, an inline style; no link, script or remote URL."""
    html = rectflow.render_notice(unknown_case(), "html")
    assert (
        html.startswith('<!doctype html>\n<html lang="zh-CN">'),
        '<meta charset="utf-8">' in html,
        "<style>" in html and "@media print" in html,
        "<title>中共某某医院委员会关于八届市委第四轮巡察整改进展情况的通报</title>" in html,
        html.rstrip().endswith("</html>"),
        any(tag in html for tag in ("<link", "<script", "http://", "https://", "@import")),
    ) == (True, True, True, True, True, False)


def test_the_html_fragment_is_what_the_document_wraps() -> None:
    """fragment=True gives the <article> alone, the same one the document holds."""
    case = unknown_case()
    fragment = rectflow.render_notice(case, "html", fragment=True)
    assert (fragment.startswith("<article"), fragment in rectflow.render_notice(case, "html")) == (
        True,
        True,
    )


@pytest.mark.parametrize(
    ("written", "escaped"),
    [
        ("a&amp;b", "a\\&amp\\;b"),  # an entity would print as "&"
        ("x\n===", "x \\=\\=\\="),  # a setext underline (lines are joined, and = escaped)
        ("列|表", "列\\|表"),  # a table cell
        ("见<b>x</b>", "见\\<b\\>x\\<\\/b\\>"),  # raw HTML
        ("[链接](http://x)", "\\[链接\\]\\(http\\:\\/\\/x\\)"),  # a link
    ],
)
def test_markdown_escapes_what_markdown_would_interpret(written: str, escaped: str) -> None:
    """User text comes out of Markdown as written: entities, underlines, tables, HTML, links."""
    case = unknown_case()
    # A text set directly: what the renderer makes of it matters here, not its history.
    force(case.categories[0].problems[0].measures[0], "text", written)
    assert escaped in rectflow.render_notice(case, "markdown")


# -- the round trip with unknown states --------------------------------------------------------


@given(rs.cases(allow_imported=True), st.data())
def test_a_case_with_unknown_states_reads_back_as_its_projection(
    case: Case, data: st.DataObject
) -> None:
    """Items whose state is not stated render without a state word and read back unstated."""
    for item in [*case.problems(), *case.measures()]:
        if data.draw(st.booleans(), label=f"unknown {item.id}"):
            # Made unknown as an import leaves an item (no event says where it stands).
            own = "_" if isinstance(item, Problem) else ""
            force(item, f"{own}state_known", False)
            force(item, f"{own}state", ItemState.OPEN)
            item.initial_state = ItemState.OPEN
    result = rectflow.parse_notice(rectflow.render_notice(case))
    assert (result.case, result.unread) == (rectflow.public_projection(case), [])


def test_the_deadline_check_never_calls_an_item_of_unknown_state_overdue() -> None:
    """deadline.overdue skips a measure whose state is not stated, and reports a known one."""
    case = unknown_case()
    for measure in case.measures():
        force(measure, "due_on", dt.date(2024, 4, 30))  # as an imported ledger carries them
    rectflow.fire(case, "start", item="1.1.2", on=dt.date(2024, 4, 1))
    report = rectflow.check(case, policy="xuncha", as_of=dt.date(2024, 9, 1))
    late = [v.where for v in report.violations if v.code == "deadline.overdue"]
    assert (any("1.1.1" in w for w in late), any("1.1.2" in w for w in late)) == (False, True)
