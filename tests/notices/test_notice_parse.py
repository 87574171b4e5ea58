"""The importer on small notices of our own, one style of the genre at a time."""

from __future__ import annotations

import pytest

import rectflow
from rectflow import (
    CaseState,
    Contact,
    ContactKind,
    FuzzyDate,
    ItemState,
    Period,
    ProblemKind,
    StatedCount,
)
from rectflow.errors import NoticeParseError

TITLE = "中共某某医院委员会关于市委第二轮巡察整改进展情况的通报"
PREAMBLE = (
    "根据市委统一部署，2023年3月6日至5月10日，市委第一巡察组对中共某某医院委员会开展了巡察。"
    "2023年6月20日，市委第一巡察组向中共某某医院委员会反馈了巡察意见。现将巡察整改进展情况予以公布。"
)
ORGANISATIONAL = (
    "一、履行巡察整改主体责任情况\n院党委成立了巡察整改工作领导小组，每周研究整改工作。"
)
LEDGER = """二、巡察整改任务落实情况
（一）关于党建工作方面
1.学习制度执行不严格
整改措施及进展：一是修订学习制度；二是每月检查学习记录。
2.档案管理不规范
整改措施及进展：一是补齐档案。
（二）关于财务管理方面
1.报销审核不严
整改措施及进展：一是修订报销办法。"""
CLOSING = """三、下一步打算
（一）巩固整改成果。持续推进。
欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0000-1234567；电子邮箱：office@example.org。
中共某某医院委员会
2024年1月8日"""


def notice(
    *,
    title: str = TITLE,
    preamble: str = PREAMBLE,
    organisational: str = ORGANISATIONAL,
    ledger: str = LEDGER,
    closing: str = CLOSING,
) -> str:
    return "\n".join(part for part in (title, "", preamble, organisational, ledger, closing))


def parse(text: str) -> rectflow.ParseResult:
    return rectflow.parse_notice(text)


def ledger_shape(case: rectflow.Case) -> list[list[tuple[str, int]]]:
    """Each category's problems as (title, number of measures)."""
    return [[(p.title, len(p.measures)) for p in c.problems] for c in case.categories]


def test_a_plain_notice_is_read_whole() -> None:
    """Title, preamble, organisational part, ledger, next steps, invitation and signature."""
    result = parse(notice())
    case = result.case
    assert (
        "中共某某医院委员会",
        "市委第一巡察组",
        "市委第二轮",
        Period(FuzzyDate(2023, 3, 6), FuzzyDate(2023, 5, 10)),
        FuzzyDate(2023, 6, 20),
        "巡察整改工作领导小组",
        [["学习制度执行不严格", "档案管理不规范"], ["报销审核不严"]],
        FuzzyDate(2024, 1, 8),
        CaseState.DISCLOSED,
        [],
    ) == (
        case.inspected_body,
        case.inspection.team,
        case.inspection.round,
        case.inspection.onsite,
        case.feedback_on,
        case.leading_group.name if case.leading_group else None,
        [[p.title for p in c.problems] for c in case.categories],
        case.disclosures[0].published_on,
        case.state,
        result.unread,
    )


def test_ascii_punctuation_reads_like_full_width() -> None:
    """， ： ； （ ） and , : ; ( ) give the same case."""
    ascii_text = notice().translate(str.maketrans("，：；（）", ",:;()"))
    assert parse(notice()).case == parse(ascii_text).case


def test_measures_inline_or_one_paragraph_each_are_the_same() -> None:
    """ "一是…；二是…" in one paragraph, or 一是 and 二是 each opening a paragraph."""
    split = LEDGER.replace("一是修订学习制度；二是", "\n一是修订学习制度；\n二是")
    split = split.replace("整改措施及进展：\n", "整改措施及进展：")
    assert ledger_shape(parse(notice()).case) == ledger_shape(parse(notice(ledger=split)).case)


def test_a_paragraph_continuing_a_measure_joins_it() -> None:
    """A paragraph without 一是/二是 after a measure continues that measure."""
    ledger = LEDGER.replace("二是每月检查学习记录。", "二是每月检查学习记录。\n年底前完成复查。")
    measure = parse(notice(ledger=ledger)).case.categories[0].problems[0].measures[1]
    assert measure.text == "每月检查学习记录\n年底前完成复查"


def test_web_page_chrome_before_the_title_is_skipped() -> None:
    """Breadcrumbs, 发布时间/来源/浏览次数 and 索引号/成文日期 blocks are not read as text."""
    chrome = "\n".join(
        [
            "首页 > 信息公开 > 通知公告",
            "索引号：11120000-2024-00001  成文日期：2024-01-09",
            "发布时间：2024-01-09 来源：本院 浏览次数：321",
            "",
        ]
    )
    result = parse(chrome + notice())
    assert (result.case.disclosures[0].title, result.unread) == (TITLE, [])


def test_the_pages_publication_date_stands_in_for_a_missing_signature_date_with_a_warning() -> None:
    """No date under the signature: the 发布时间 is used, and a warning says so."""
    text = "发布时间：2024-01-09 来源：本院\n" + notice(closing=CLOSING.rsplit("\n", 1)[0])
    result = parse(text)
    warned = [w for w in result.warnings if "发布时间" in w.message]
    assert (FuzzyDate(2024, 1, 9), 1) == (result.case.disclosures[0].published_on, len(warned))


def test_word_bookmark_debris_before_a_heading_is_ignored() -> None:
    """ "[bookmark: _GoBack]2.…" is still problem 2."""
    ledger = LEDGER.replace("2.档案管理不规范", "[bookmark: _GoBack]2.档案管理不规范")
    assert ledger_shape(parse(notice()).case) == ledger_shape(parse(notice(ledger=ledger)).case)


def test_a_title_split_over_two_lines_is_joined() -> None:
    """The body on one line and "关于…的通报" on the next."""
    title = "中共某某医院委员会\n关于市委第二轮巡察整改进展情况的通报"
    case = parse(notice(title=title)).case
    assert (case.disclosures[0].title, case.inspected_body) == (TITLE, "中共某某医院委员会")


def test_without_a_title_the_body_comes_from_the_signature() -> None:
    """A notice that starts with its preamble names its body in the signature."""
    case = parse(notice(title="")).case
    assert (case.inspected_body, case.disclosures[0].title) == ("中共某某医院委员会", None)


def test_organisational_and_next_step_sections_are_not_categories() -> None:
    """主体责任 and 下一步打算 sections hold （一） headings that are not ledger categories."""
    organisational = "一、党委落实主体责任情况\n（一）强化组织领导。召开专题会议。"
    case = parse(notice(organisational=organisational)).case
    assert [c.title for c in case.categories] == ["关于党建工作方面", "关于财务管理方面"]


def test_categories_may_be_top_level_sections_numbering_problems_across_them() -> None:
    """一、…方面 holding 1., 2., then 二、…方面 holding 3. (the 003 style)."""
    ledger = "\n".join(
        [
            "二、党建工作方面",
            "1.学习制度执行不严格",
            "整改措施及进展：一是修订学习制度。",
            "三、财务管理方面",
            "2.报销审核不严",
            "整改措施及进展：一是修订报销办法；二是开展自查。",
        ]
    )
    result = parse(notice(ledger=ledger))
    assert (
        ledger_shape(result.case),
        [w for w in result.warnings if "number" in w.message],
    ) == ([[("学习制度执行不严格", 1)], [("报销审核不严", 2)]], [])


def test_groups_that_carry_measures_are_problems_with_sub_problems() -> None:
    """（一） headings with "整改落实情况:" of their own are problems (the 004 style)."""
    ledger = "\n".join(
        [
            "二、巡察反馈问题整改落实情况",
            "（一）党建工作有差距",
            "1.学习不深入。",
            "整改落实情况：一是制定学习计划；二是开展研讨。",
            "2.记录不完整。",
            "整改落实情况：一是补齐记录。",
            "（二）采购管理不规范",
            "未严格执行采购制度。",
            "整改落实情况：一是修订采购办法。",
        ]
    )
    [category] = parse(notice(ledger=ledger)).case.categories
    assert [(p.id, p.title, p.parent, len(p.measures)) for p in category.problems] == [
        ("1.1", "党建工作有差距", None, 0),
        ("1.2", "学习不深入", "1.1", 2),
        ("1.3", "记录不完整", "1.1", 1),
        ("1.4", "采购管理不规范", None, 1),
    ]


SEED_STYLE_LEDGER = "\n".join(
    [
        "二、巡视反馈意见相关整改事项落实情况",
        "本轮巡视共指出重点问题2个，已完成整改1个，基本完成1个；具体问题3个，目前已完成整改3个。",
        "（一）关于履职方面问题",
        "1.关于履职不到位的问题和整改意见",
        "（1）针对制度不健全问题（此问题属于“推动改革促进发展”整改事项），进行了以下整改。"
        "一是修订制度。二是开展培训。",
        "针对“举一反三”整改事项1部分单位制度滞后，进行了以下整改。一是梳理制度。",
        "（2）针对督导不到位问题，进行了以下整改。督导全覆盖。"
        "针对“举一反三”整改事项2督导频次不够，3督导记录不全，进行了以下整改。一是增加督导。",
        "2.关于队伍建设的问题和整改意见",
        "（3）针对培训不足问题，进行了以下整改：一是制定培训计划。",
    ]
)


def test_key_specific_and_extended_items_are_read_in_the_002_style() -> None:
    """1. key problems over （1） specific ones over "针对“举一反三”整改事项N" extended items,
    with several extended items in one sentence and one starting mid-paragraph."""
    case = parse(notice(ledger=SEED_STYLE_LEDGER)).case
    assert [(p.id, p.kind, p.parent, p.title, p.tags) for p in case.problems()] == [
        ("1.1", ProblemKind.KEY, None, "关于履职不到位的问题和整改意见", ()),
        ("1.2", ProblemKind.SPECIFIC, "1.1", "制度不健全问题", ("reform",)),
        ("1.3", ProblemKind.EXTENDED, "1.2", "部分单位制度滞后", ()),
        ("1.4", ProblemKind.SPECIFIC, "1.1", "督导不到位问题", ()),
        ("1.5", ProblemKind.EXTENDED, "1.4", "督导频次不够", ()),
        ("1.6", ProblemKind.EXTENDED, "1.4", "督导记录不全", ()),
        ("1.7", ProblemKind.KEY, None, "关于队伍建设的问题和整改意见", ()),
        ("1.8", ProblemKind.SPECIFIC, "1.7", "培训不足问题", ()),
    ]


def test_measures_follow_their_lead_whatever_it_is() -> None:
    """ "进行了以下整改。一是…二是…", a lead without ordinals (one measure), "…整改：一是…"."""
    case = parse(notice(ledger=SEED_STYLE_LEDGER)).case
    assert {p.id: [m.text for m in p.measures] for p in case.problems() if p.measures} == {
        "1.2": ["修订制度", "开展培训"],
        "1.3": ["梳理制度"],
        "1.4": ["督导全覆盖"],
        "1.5": ["增加督导"],
        "1.8": ["制定培训计划"],
    }


def test_summary_counts_are_stated_counts_kept_apart_from_the_ledger() -> None:
    """ "重点问题2个，已完成整改1个" becomes a StatedCount, whatever the ledger holds."""
    case = parse(notice(ledger=SEED_STYLE_LEDGER)).case
    assert [
        StatedCount("key", 2, {ItemState.COMPLETED: 1, ItemState.BASICALLY_COMPLETED: 1}),
        StatedCount("specific", 3, {ItemState.COMPLETED: 3}),
    ] == case.stated_counts


def test_states_are_read_from_the_notice_s_words() -> None:
    """ "（已完成）" after a heading or measure, "现已全部完成整改"; else not stated, warned."""
    ledger = "\n".join(
        [
            "二、巡察整改任务落实情况",
            "（一）关于党建工作方面",
            "1.学习制度执行不严格（长期坚持）",
            "2.档案管理不规范",
            "整改措施及进展：",
            "一是补齐档案（基本完成）",
            "二是建立台账，现已全部完成整改。",
            "三是开展培训。",
        ]
    )
    result = parse(notice(ledger=ledger))
    first, second = result.case.categories[0].problems
    warned = [w.message for w in result.warnings if "no state" in w.message]
    assert (
        first.state,
        [(m.state, m.state_known) for m in second.measures],
        second.state_known,
        warned,
    ) == (
        ItemState.LONG_TERM,
        [
            (ItemState.BASICALLY_COMPLETED, True),
            (ItemState.COMPLETED, True),
            (ItemState.OPEN, False),
        ],
        False,
        [
            "1 ledger item(s) have no state in the notice's words; their state is recorded as "
            "not stated (state_known = false), not as unfinished"
        ],
    )


def test_every_imported_item_starts_where_it_stands() -> None:
    """No events: initial states equal states, so replay gives the case back."""
    case = parse(notice(ledger=SEED_STYLE_LEDGER)).case
    assert rectflow.replay(case) == case


def test_contacts_public_period_and_a_signature_without_a_day_are_read() -> None:
    """电话 without a colon, 邮政信箱, 通讯地址, a 公开期限 and a month-only signature date."""
    closing = "\n".join(
        [
            "欢迎广大干部群众进行监督。公开期限：2024年1月8日至2月7日。"
            "联系方式：电话0000-7654321；邮政信箱：某市某区1号信箱；通讯地址：某市某路2号；"
            "电子邮箱office@example.org。",
            "中共某某医院委员会",
            "2024年1月",
        ]
    )
    disclosure = parse(notice(closing=closing)).case.disclosures[0]
    assert (
        [
            Contact(ContactKind.PHONE, "0000-7654321"),
            Contact(ContactKind.PO_BOX, "某市某区1号信箱"),
            Contact(ContactKind.POSTAL_ADDRESS, "某市某路2号"),
            Contact(ContactKind.EMAIL, "office@example.org"),
        ],
        Period(FuzzyDate(2024, 1, 8), FuzzyDate(2024, 2, 7)),
        FuzzyDate(2024, 1),
        "中共某某医院委员会",
    ) == (
        disclosure.contacts,
        disclosure.public_period,
        disclosure.published_on,
        disclosure.signed_by,
    )


def test_a_garbled_date_is_reported_on_its_line_and_not_guessed() -> None:
    """ "2024717日至830日" goes to the unread list; the centralised period stays unknown."""
    preamble = PREAMBLE + "\n2024717日至830日，院党委开展了集中整改。"
    result = parse(notice(preamble=preamble))
    [unread] = result.unread
    assert (
        unread.line,
        unread.text,
        "2024-07-17" in unread.reason,
        result.case.centralised,
    ) == (4, "2024717日至830日", True, None)


def test_a_date_whose_step_is_not_recognised_is_reported() -> None:
    """A dated sentence that is no step of the lifecycle is listed, not put anywhere."""
    preamble = PREAMBLE + "\n2023年8月1日，院党委组织了植树活动。"
    [unread] = parse(notice(preamble=preamble)).unread
    assert (unread.line, "not placed" in unread.reason) == (4, True)


def test_the_plan_centralised_period_report_and_meetings_are_placed_by_their_words() -> None:
    """通过《…方案》, …整改 over a period, 报送…报告, 召开…会."""
    preamble = PREAMBLE + (
        "\n2023年7月5日，院党委研究通过了《巡察整改工作方案》。"
        "2023年7月6日至9月30日，院党委开展了集中整改。"
        "10月8日，院党委报送了巡察整改情况报告。10月20日，召开了整改专题民主生活会。"
    )
    case = parse(notice(preamble=preamble)).case
    assert (
        rectflow.Plan(FuzzyDate(2023, 7, 5), "巡察整改工作方案"),
        Period(FuzzyDate(2023, 7, 6), FuzzyDate(2023, 9, 30)),
        FuzzyDate(2023, 10, 8, inferred=True),
        [rectflow.Milestone("整改专题民主生活会", FuzzyDate(2023, 10, 20, inferred=True))],
    ) == (case.plan, case.centralised, case.report_on, case.milestones)


def test_an_unknown_top_level_section_is_reported() -> None:
    """A 一、 section that is neither organisational, ledger nor next steps is listed."""
    ledger = LEDGER + "\n三、其他事项\n院内举办运动会。"
    closing = CLOSING.replace("三、下一步打算", "四、下一步打算")
    [unread] = parse(notice(ledger=ledger, closing=closing)).unread
    assert (unread.text, "does not recognise" in unread.reason) == ("三、其他事项", True)


def test_a_numbering_gap_is_warned() -> None:
    """Problem 3 after problem 1 at the same level is read, with a warning on its line."""
    ledger = LEDGER.replace("2.档案管理不规范", "3.档案管理不规范")
    result = parse(notice(ledger=ledger))
    assert [w.line for w in result.warnings if "missing or out of order" in w.message] == [10]


def test_the_case_id_is_derived_from_body_and_date_unless_given() -> None:
    """The same notice gets the same id; ``case_id`` overrides it."""
    assert (
        parse(notice()).case.id,
        "mine",
    ) == (
        rectflow.parse_notice(notice()).case.id,
        rectflow.parse_notice(notice(), case_id="mine").case.id,
    )


@pytest.mark.parametrize("text", ["", "   \n\n", "hello world", "今天天气很好。我们去公园散步。"])
def test_text_that_is_no_notice_raises_notice_parse_error(text: str) -> None:
    """Nothing of the genre in it: a NoticeParseError that says what was looked for."""
    with pytest.raises(NoticeParseError, match="not a rectification notice"):
        rectflow.parse_notice(text)


def test_bytes_are_refused_with_how_to_decode_them() -> None:
    """The importer takes text; bytes get a NoticeParseError saying to decode them."""
    with pytest.raises(NoticeParseError, match="decode"):
        rectflow.parse_notice(notice().encode())  # type: ignore[arg-type]
