"""The issue's acceptance table: what each published seed notice must import as.

The seeds are read from ``../shared/seeds`` through the ``seed_text`` fixture (skipped when they
are absent, failing under ``RECTFLOW_REQUIRE_SEEDS=1``); their text is not copied here. The
expected values are facts the notices state (dates, counts, names), as listed in issue 4.
"""

from __future__ import annotations

from collections import Counter

import pytest

import rectflow
from rectflow import (
    CaseState,
    Contact,
    ContactKind,
    FuzzyDate,
    InspectionKind,
    ItemState,
    Period,
    ProblemKind,
    StatedCount,
)
from rectflow._core.labels import INSPECTION_KIND_ZH


@pytest.fixture(scope="module")
def imported(seed_text: dict[str, str]) -> dict[str, rectflow.ParseResult]:
    """Each seed's import, by its number."""
    return {number: rectflow.parse_notice(text) for number, text in seed_text.items()}


def day(text: str) -> FuzzyDate:
    return FuzzyDate.parse(text)


def problems_per_category(result: rectflow.ParseResult) -> list[int]:
    return [len(c.problems) for c in result.case.categories]


def roots_and_children(category: rectflow.Category) -> list[int]:
    """For each top-level problem, how many problems hang under it."""
    children = Counter(p.parent for p in category.problems if p.parent is not None)
    return [children[p.id] for p in category.problems if p.parent is None]


# -- body, kind, team and round ---------------------------------------------------------------

BODIES = {
    "000": "天津市第四中心医院党委",
    "001": "中共清远市人民医院委员会",
    "002": "中共天津市卫生健康委员会委员会",
    "003": "中共淄博市中医医院委员会",
    "004": "中共泸州市中医医院委员会",
}


@pytest.mark.parametrize(("seed", "body"), BODIES.items())
def test_the_inspected_body_comes_from_the_title_or_else_the_signature(
    imported: dict[str, rectflow.ParseResult], seed: str, body: str
) -> None:
    """The body is read from the title (000, 001, 003) or the signature (002, 004)."""
    assert body == imported[seed].case.inspected_body


@pytest.mark.parametrize(
    ("seed", "kind"),
    [
        ("000", InspectionKind.XUNCHA),
        ("001", InspectionKind.XUNCHA),
        ("002", InspectionKind.XUNSHI),
        ("003", InspectionKind.XUNCHA),
        ("004", InspectionKind.XUNCHA),
    ],
)
def test_the_inspection_kind_is_read(
    imported: dict[str, rectflow.ParseResult], seed: str, kind: InspectionKind
) -> None:
    """巡视 or 巡察, from the title or the preamble."""
    assert kind == imported[seed].case.inspection.kind


@pytest.mark.parametrize(
    ("seed", "team", "round_with_kind"),
    [
        ("000", None, "市卫生健康委党委第三轮巡察"),
        ("001", "市委第二巡察组", "八届市委第四轮巡察"),
        ("002", None, "十二届市委第三轮第一批巡视"),
        ("003", "市委第三巡察组", None),
        ("004", "市委第四巡察组", None),
    ],
)
def test_the_team_and_round_are_read(
    imported: dict[str, rectflow.ParseResult],
    seed: str,
    team: str | None,
    round_with_kind: str | None,
) -> None:
    """The team (市委第二巡察组) and the round (八届市委第四轮), as the table gives them."""
    inspection = imported[seed].case.inspection
    read_round = inspection.round and inspection.round + INSPECTION_KIND_ZH[inspection.kind]
    assert (team, round_with_kind) == (inspection.team, read_round)


# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "onsite"),
    [
        ("000", None),
        ("001", Period(day("2023-09-08"), day("2023-12-27"))),
        ("002", None),
        ("003", Period(day("2020-08-early"), day("2020-10-early"))),
        ("004", Period(day("2024-10-10"), day("2024-11-08"))),
    ],
)
def test_the_on_site_period_is_read(
    imported: dict[str, rectflow.ParseResult], seed: str, onsite: Period | None
) -> None:
    """ "2023年9月8日至12月27日" and "2020年8月上旬至2020年10月上旬"."""
    assert onsite == imported[seed].case.inspection.onsite


@pytest.mark.parametrize(
    ("seed", "feedback"),
    [
        ("000", day("2023-12-19")),
        ("001", day("2024-03-28")),
        ("002", None),
        ("003", day("2020-12-03?")),
        ("004", day("2025-01-15")),
    ],
)
def test_the_feedback_date_is_read(
    imported: dict[str, rectflow.ParseResult], seed: str, feedback: FuzzyDate | None
) -> None:
    """Seed 003's "12月3日" takes 2020 from the date before it and is marked inferred."""
    assert feedback == imported[seed].case.feedback_on


def test_seed_003_warns_how_it_inferred_the_feedback_year(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """The inferred year comes with a warning on its line that says where the year came from."""
    [warning] = [w for w in imported["003"].warnings if "12月3日" in w.message]
    assert (warning.line, "2020" in warning.message) == (3, True)


def test_seed_000_reads_the_plan_and_the_democratic_life_meeting(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """Plan adopted 2024-01-17; the 专题民主生活会 on 4月25日, year 2024 inferred."""
    case = imported["000"].case
    assert case.plan is not None
    [meeting] = case.milestones
    assert (day("2024-01-17"), day("2024-04-25?"), True) == (
        case.plan.adopted_on,
        meeting.on,
        "专题民主生活会" in meeting.name,
    )


def test_seed_003_reads_the_centralised_period(imported: dict[str, rectflow.ParseResult]) -> None:
    """Centralised rectification 2020-12-03 to 2021-02-28."""
    assert Period(day("2020-12-03"), day("2021-02-28")) == imported["003"].case.centralised


@pytest.mark.parametrize(
    ("seed", "published", "public_period"),
    [
        ("000", None, None),
        ("001", day("2025-04-07"), Period(day("2025-04-07"), day("2025-05-06"))),
        ("002", day("2024-09-04"), None),
        ("003", day("2021-06"), None),
        ("004", day("2025-10-17"), None),
    ],
)
def test_the_signature_date_and_public_period_are_read(
    imported: dict[str, rectflow.ParseResult],
    seed: str,
    published: FuzzyDate | None,
    public_period: Period | None,
) -> None:
    """Seed 003 is signed "2021年6月": a month-precision date; only 001 gives a 公开期限."""
    [disclosure] = imported[seed].case.disclosures
    assert (published, public_period) == (disclosure.published_on, disclosure.public_period)


# -- contacts ---------------------------------------------------------------------------------

PHONE, EMAIL = ContactKind.PHONE, ContactKind.EMAIL


@pytest.mark.parametrize(
    ("seed", "contacts"),
    [
        ("000", [(PHONE, "26249115"), (EMAIL, "sd4zxyydwbgs@tj.gov.cn")]),
        (
            "001",
            [
                (PHONE, "0763-3113806"),
                (ContactKind.POSTAL_ADDRESS, "广东省清远市清城区银泉北路35号清远市人民医院办公楼"),
                (EMAIL, "qsrydwbgs@163.com"),
            ],
        ),
        ("002", [(PHONE, "63081160"), (EMAIL, "swjwxcbsjc@tj.gov.cn")]),
        (
            "003",
            [
                (PHONE, "0533-6433016"),
                (ContactKind.POSTAL_ADDRESS, "淄博市周村区新建中路75号"),
                (EMAIL, "zbszyyydb@163.com"),
            ],
        ),
        (
            "004",
            [
                (PHONE, "0830-2362209"),
                (ContactKind.PO_BOX, "泸州市纳溪区杏林路80号"),
                (EMAIL, "rose4499@163.com"),
            ],
        ),
    ],
)
def test_the_contact_channels_are_read(
    imported: dict[str, rectflow.ParseResult],
    seed: str,
    contacts: list[tuple[ContactKind, str]],
) -> None:
    """Phone, e-mail, postal address or PO box, with or without a colon after the label."""
    expected = [Contact(kind, value) for kind, value in contacts]
    assert expected == imported[seed].case.disclosures[0].contacts


@pytest.mark.parametrize("seed", list(BODIES))
def test_every_seed_is_a_published_disclosure_that_replays(
    imported: dict[str, rectflow.ParseResult], seed: str
) -> None:
    """The case is ``disclosed``, starts there, and every item starts where it stands."""
    case = imported[seed].case
    items = [*case.problems(), *case.measures()]
    assert (
        case.state,
        case.initial_state,
        [i.id for i in items if i.initial_state is not i.state],
        rectflow.replay(case) == case,
    ) == (CaseState.DISCLOSED, CaseState.DISCLOSED, [], True)


# -- ledgers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "shape"),
    [
        ("000", [4, 4, 2]),
        ("001", [4, 3, 4, 3]),
        ("003", [4, 4, 4, 3]),
    ],
)
def test_the_categories_hold_the_numbered_problems(
    imported: dict[str, rectflow.ParseResult], seed: str, shape: list[int]
) -> None:
    """000: （一） categories behind "[bookmark: …]" debris too; 003: 一、 categories."""
    assert shape == problems_per_category(imported[seed])


def test_seed_003_numbers_its_problems_across_categories(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """Problems 1–15 run on across the four categories, and no numbering gap is warned."""
    gaps = [w for w in imported["003"].warnings if "number" in w.message]
    assert (problems_per_category(imported["003"]), gaps) == ([4, 4, 4, 3], [])


def test_seed_004_has_nine_problem_groups_five_with_sub_problems(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """（一）–（九) are problems; five hold 2 + 3 + 2 + 2 + 2 numbered sub-problems."""
    [category] = imported["004"].case.categories
    assert roots_and_children(category) == [2, 3, 0, 2, 0, 0, 2, 2, 0]


def test_seed_002_counts_categories_key_specific_and_extended_items(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """4 categories; 14 key problems; 45 specific problems; 58 extended items."""
    case = imported["002"].case
    kinds = Counter(p.kind for p in case.problems())
    assert (
        len(case.categories),
        kinds[ProblemKind.KEY],
        kinds[ProblemKind.SPECIFIC],
        kinds[ProblemKind.EXTENDED],
    ) == (4, 14, 45, 58)


def test_seed_002_reads_extended_items_25_and_51_written_inline(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """ "…整改事项24…,25…" gives two items, titled by their own text, and a warning."""
    extended = [p for p in imported["002"].case.problems() if p.kind is ProblemKind.EXTENDED]
    titles = [p.title for p in extended]
    together = [w.message for w in imported["002"].warnings if "written together" in w.message]
    assert (
        len(titles),
        titles[24].startswith("对落实意识形态责任制相关要求"),
        titles[50].startswith("对卫生健康行业社会组织"),
        len(together),
    ) == (58, True, True, 2)


def test_seed_002_flags_seven_problems_as_reform_items(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """ "(此问题属于“推动改革促进发展”整改事项)" tags seven problems ``reform``."""
    flagged = [p for p in imported["002"].case.problems() if "reform" in p.tags]
    assert len(flagged) == 7


def test_seed_002_specific_problems_hang_under_key_ones_and_extended_items_under_them(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """Every specific problem's parent is a key problem; every extended item's a specific one."""
    case = imported["002"].case
    kind_of = {p.id: p.kind for p in case.problems()}
    parents = Counter((p.kind, kind_of.get(p.parent or "")) for p in case.problems())
    assert dict(parents) == {
        (ProblemKind.KEY, None): 14,
        (ProblemKind.SPECIFIC, ProblemKind.KEY): 45,
        (ProblemKind.EXTENDED, ProblemKind.SPECIFIC): 58,
    }


def test_seed_002_keeps_the_stated_counts_apart_from_the_ledger(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """The summary counts, as stated, including 4 recommendations and 263 measures."""
    done, basic, going = (
        ItemState.COMPLETED,
        ItemState.BASICALLY_COMPLETED,
        ItemState.IN_PROGRESS,
    )
    assert [
        StatedCount("key", 14, {done: 7, basic: 7}),
        StatedCount("specific", 45, {done: 34, basic: 11}),
        StatedCount("recommendation", 4, {done: 4}),
        StatedCount("extended", 58, {done: 50, basic: 8}),
        StatedCount("reform", 8, {done: 5, basic: 3}),
        StatedCount("measures", 263, {done: 234, going: 29}),
    ] == imported["002"].case.stated_counts


def test_seed_002_measures_are_numbered_under_their_problem(
    imported: dict[str, rectflow.ParseResult],
) -> None:
    """Measures read from 一是…二是… get ids problem id + position: 1.2.1, 1.2.2, …"""
    problem = imported["002"].case.categories[0].problems[1]
    assert [m.id for m in problem.measures] == ["1.2.1", "1.2.2", "1.2.3"]


@pytest.mark.parametrize("seed", list(BODIES))
def test_the_importer_reads_every_part_of_every_seed(
    imported: dict[str, rectflow.ParseResult], seed: str
) -> None:
    """Nothing of the seeds is left unread (the report to the lead lists this per seed)."""
    assert imported[seed].unread == []
