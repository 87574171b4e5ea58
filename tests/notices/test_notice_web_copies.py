"""Importing notices as web pages copy them: no silent misreads (issue 9, section 1).

The notices here are written for these tests in the style of real web copies: ASCII punctuation,
page chrome (breadcrumbs, 发布时间/来源/浏览次数, 字号, 打印本页/关闭窗口), aggregate round
figures, organisational sub-headings, and a whole notice run together without line breaks.
"""

from __future__ import annotations

import rectflow
from rectflow import ItemState, StatedCount

TITLE = "中共东林县人民医院委员会关于县委第二轮巡察整改进展情况的通报"
BODY = "中共东林县人民医院委员会"
PREAMBLE = (
    "根据县委统一部署,2023年10月9日至11月30日,县委第一巡察组对中共东林县人民医院委员会开展了"
    "巡察。2024年1月5日,县委第一巡察组向中共东林县人民医院委员会反馈了巡察意见。"
    "现将巡察整改进展情况予以公布。"
)
ORGANISATIONAL = [
    "一、履行巡察整改主体责任情况",
    "(一)强化组织领导。医院党委成立了巡察整改工作领导小组,党委书记任组长。",
    "(二)压实整改责任。逐条制定整改措施,明确责任领导和完成时限。",
]
ROUND_FIGURES = "县委巡察组反馈的120个问题,已完成整改112个,基本完成并持续整改问题5个,未完成3个。"
LEDGER = [
    "二、巡察反馈问题整改落实情况",
    ROUND_FIGURES,
    "(一)关于党的建设方面",
    "1.理论学习不够深入。整改措施:一是修订党委理论学习中心组学习制度;二是每月开展一次专题学习。",
    "(二)关于医院管理方面",
    "1.药品采购管理不严格。整改措施:一是完善药品遴选制度;二是开展专项检查。",
]
CLOSING = [
    "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话:0000-1234567;电子邮箱:dl@example.cn。",
    BODY,
    "2024年6月28日",
]


def web_copy(*, head: list[str], organisational: list[str] = ORGANISATIONAL) -> str:
    return "\n".join([*head, PREAMBLE, *organisational, *LEDGER, *CLOSING, "打印本页 关闭窗口"])


def categories(result: rectflow.ParseResult) -> list[str]:
    return [c.title for c in result.case.categories]


# -- page chrome -------------------------------------------------------------------------------


def test_page_metadata_between_the_title_and_the_body_does_not_cost_the_title() -> None:
    """发布时间/来源/浏览次数 and 字号/打印 lines after the title: the title and body are read."""
    text = web_copy(
        head=[
            "首页 > 工作动态 > 巡察整改",
            TITLE,
            "发布时间：2024-07-01 10:30 来源：东林县人民医院 浏览次数：",
            "【字号：大 中 小】 打印本页 关闭窗口",
        ]
    )
    result = rectflow.parse_notice(text)
    case = result.case
    assert (
        case.disclosures[0].title,
        case.inspected_body,
        case.inspection.round,
        result.unread,
    ) == (TITLE, BODY, "县委第二轮", [])


def test_the_title_names_the_body_when_there_is_no_signature() -> None:
    """With the chrome after the title and no signature, the body still comes from the title."""
    text = "\n".join(
        ["首页 > 工作动态", TITLE, "发布时间：2024-07-01 来源：东林县人民医院 浏览次数：128",
         PREAMBLE, *LEDGER]
    )  # fmt: skip
    result = rectflow.parse_notice(text)
    assert (result.case.inspected_body, result.case.disclosures[0].published_on) == (
        BODY,
        rectflow.FuzzyDate(2024, 7, 1),
    )


def test_a_metadata_line_that_starts_with_a_date_is_not_the_body() -> None:
    """ "2024年07月01日 来源：…" is chrome, not the preamble: no unplaced-date complaint."""
    text = web_copy(head=[TITLE, "2024年07月01日 来源：东林县人民医院 浏览次数：356"])
    result = rectflow.parse_notice(text)
    assert (result.case.disclosures[0].title, result.unread) == (TITLE, [])


def test_text_between_the_title_and_the_body_that_is_not_chrome_is_reported() -> None:
    """A stray line after the title is unread, and the title is still the title."""
    text = web_copy(head=[TITLE, "", "（此件公开发布）", "发布时间：2024-07-01"])
    result = rectflow.parse_notice(text)
    assert (result.case.disclosures[0].title, [u.text for u in result.unread]) == (
        TITLE,
        ["（此件公开发布）"],
    )


def test_the_no_body_warning_is_true_about_the_title() -> None:
    """A title that names no body is not called missing; a missing title is."""
    preamble = "根据县委统一部署,2023年10月9日至11月30日,县委第一巡察组开展了巡察。"
    with_title = rectflow.parse_notice("关于巡察整改进展情况的通报\n" + preamble)
    without = rectflow.parse_notice(preamble)
    assert (
        [w.message for w in with_title.warnings if "inspected body" in w.message],
        [w.message for w in without.warnings if "inspected body" in w.message],
    ) == (
        [
            "no inspected body: the title names none (nothing before 关于) and the notice has "
            "no signature"
        ],
        ["no inspected body: the notice has neither a title nor a signature"],
    )


# -- round figures -----------------------------------------------------------------------------


def test_a_round_level_sentence_is_read_as_stated() -> None:
    """120 problems: 112 completed, 5 basically completed, 3 unfinished (never total 5, open 3)."""
    result = rectflow.parse_notice(web_copy(head=[TITLE]))
    assert result.case.stated_counts == [
        StatedCount(
            "problems",
            120,
            {ItemState.COMPLETED: 112, ItemState.BASICALLY_COMPLETED: 5, ItemState.OPEN: 3},
        )
    ]


def test_round_figures_with_the_subject_first_and_several_subjects_are_read() -> None:
    """ "反馈问题36个,已完成整改30个,…;共制定整改措施90条,已完成80条,正在推进10条"."""
    line = "反馈问题36个,已完成整改30个,基本完成4个;共制定整改措施90条,已完成80条,正在推进10条。"
    text = "\n".join([TITLE, PREAMBLE, "二、巡察反馈问题整改落实情况", line, *LEDGER[2:]])
    assert rectflow.parse_notice(text).case.stated_counts == [
        StatedCount("problems", 36, {ItemState.COMPLETED: 30, ItemState.BASICALLY_COMPLETED: 4}),
        StatedCount("measures", 90, {ItemState.COMPLETED: 80, ItemState.IN_PROGRESS: 10}),
    ]


def test_figures_that_add_up_to_more_than_their_total_are_left_unread_with_a_warning() -> None:
    """12 problems of which 30 completed is a misreading: not stored, reported instead."""
    line = "反馈的12个问题,已完成整改30个。"
    text = "\n".join([TITLE, PREAMBLE, "二、巡察反馈问题整改落实情况", line, *LEDGER[2:]])
    result = rectflow.parse_notice(text)
    assert (
        result.case.stated_counts,
        [u.text for u in result.unread],
        len([w for w in result.warnings if "not read" in w.message]),
    ) == ([], ["反馈的12个问题，已完成整改30个"], 1)


# -- organisational sub-headings ---------------------------------------------------------------


def test_organisational_sub_headings_are_not_ledger_categories() -> None:
    """ "一、整改工作开展情况 (一)强化组织领导…": no category, and the leading group is read."""
    organisational = [
        "一、整改工作开展情况",
        "(一)强化组织领导。医院党委成立了巡察整改工作领导小组。",
        "(二)压实整改责任。逐条明确责任。",
    ]
    result = rectflow.parse_notice(web_copy(head=[TITLE], organisational=organisational))
    assert (categories(result), result.case.leading_group) == (
        ["关于党的建设方面", "关于医院管理方面"],
        rectflow.LeadingGroup("巡察整改工作领导小组"),
    )


def test_numbered_points_of_the_organisational_section_are_not_problems() -> None:
    """ "一、…主体责任… (一)加强组织领导 1.… 2.…" states no measure: it is not a ledger."""
    organisational = [
        "一、履行巡察整改主体责任情况",
        "(一)加强组织领导",
        "1.成立巡察整改工作领导小组,党委书记任组长。",
        "2.召开专题会议研究部署整改工作。",
    ]
    result = rectflow.parse_notice(web_copy(head=[TITLE], organisational=organisational))
    assert (categories(result), sum(1 for _ in result.case.problems())) == (
        ["关于党的建设方面", "关于医院管理方面"],
        2,
    )


def test_a_ledger_group_with_no_problem_under_it_is_reported_not_made_a_category() -> None:
    """A （三） under the ledger that numbers nothing is unread, never an empty category."""
    ledger_tail = ["(三)关于其他方面", "持续巩固整改成果。"]
    text = "\n".join([TITLE, PREAMBLE, *LEDGER, *ledger_tail, *CLOSING])
    result = rectflow.parse_notice(text)
    assert (categories(result), [u.text for u in result.unread]) == (
        ["关于党的建设方面", "关于医院管理方面"],
        ["(三)关于其他方面"],
    )


# -- no line breaks ----------------------------------------------------------------------------


def test_a_notice_run_together_without_line_breaks_is_read_part_by_part() -> None:
    """The whole body in one paragraph: steps, sections, counts, ledger and channels are read."""
    flat = " ".join([PREAMBLE, *ORGANISATIONAL, *LEDGER, CLOSING[0]])
    result = rectflow.parse_notice("\n".join([TITLE, flat, *CLOSING[1:]]))
    case = result.case
    assert (
        case.feedback_on,
        case.inspection.team,
        categories(result),
        [len(p.measures) for p in case.problems()],
        case.stated_counts[0].total,
        [c.value for c in case.disclosures[0].contacts],
        result.unread,
    ) == (
        rectflow.FuzzyDate(2024, 1, 5),
        "县委第一巡察组",
        ["关于党的建设方面", "关于医院管理方面"],
        [2, 2],
        120,
        ["0000-1234567", "dl@example.cn"],
        [],
    )


# -- unknown states ----------------------------------------------------------------------------


def test_items_without_a_state_word_are_imported_as_state_unknown_and_rendered_so() -> None:
    """No state word: state_known is off, and the rendering says 未完成 only as stated."""
    result = rectflow.parse_notice(web_copy(head=[TITLE]))
    case = result.case
    rendered = rectflow.render_notice(case)
    assert (
        {m.state_known for m in case.measures()},
        {p.state_known for p in case.problems()},
        rendered.count("未完成"),
        "问题120个，已完成112个，基本完成5个，未完成3个。" in rendered,
    ) == ({False}, {False}, 1, True)
