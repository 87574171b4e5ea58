"""A round's progress notice both ways: rendered from public figures only, read back from messy
copies without guessing, and the round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import AccountabilityForm, FuzzyDate, Period, ProblemKind, Round
from rectflow._core.public import is_public_problem
from rectflow._rounds.notice import parse_round_notice, render_round_notice
from rectflow._rounds.summary import BodyFigures, RoundFigures, RoundSummary, round_summary
from rectflow.errors import NoticeParseError, UnknownFormatError

EXAMPLE = Path(__file__).parents[2] / "examples" / "rounds" / "demo-round.toml"
AS_OF = dt.date(2025, 6, 30)

MESSY = """\
首页 > 巡察工作 > 通知公告
关于十届区委第三轮巡察整改进展情况的通报
发布时间：2025-07-02  浏览次数：123
【字体：大 中 小】
根据区委统一部署, 2024年3月至2024年5月, 4个巡察组对12个单位党组织开展了巡察.
截至２０２５年６月３０日, 各被巡察单位党组织认真履行整改主体责任, 现将整改进展情况通报如下.
一、整改总体情况
本轮巡察共反馈问题１２０个,已完成整改112个,基本完成5个,尚未完成3个,整改完成率为93.33％。
各单位均建立了整改台账。
反馈问题中, 重点问题20个、具体问题100个、问题线索3个。
严肃追责问责，共问责7人，其中批评教育5人、诫勉谈话2人。
二、各单位整改情况
(一)区卫生健康局：反馈问题15个，已完成15个，整改完成率100%。
（二）区教育局：反馈问题10个,已完成8个，正在推进2个，整改完成率80.00%（8/10）,另有1个问题正在核实。
欢迎广大干部群众对巡察整改落实情况进行监督。
中共某某区委巡察工作领导小组办公室
2025年7月1日
【打印本页】【关闭窗口】
"""


@pytest.fixture(scope="module")
def demo() -> Round:
    """The example round with its six cases."""
    return rectflow.load_round(EXAMPLE)


def test_a_messy_web_copy_is_read_into_its_stated_figures() -> None:
    """ASCII punctuation, full-width digits and page chrome: the figures stated are read."""
    summary = parse_round_notice(MESSY)
    assert summary.round_name == "十届区委第三轮巡察"
    assert (summary.inspecting_body, summary.teams, summary.bodies_count) == ("区委", 4, 12)
    assert summary.onsite == Period(FuzzyDate(2024, 3), FuzzyDate(2024, 5))
    assert summary.as_of == AS_OF
    assert summary.problems == RoundFigures(
        total=120, completed=112, basically_completed=5, unfinished=3, rate_percent="93.33"
    )
    assert summary.accountability == {
        AccountabilityForm.CRITICISM: 5,
        AccountabilityForm.ADMONISHING_TALK: 2,
    }
    assert summary.bodies == (
        BodyFigures("区卫生健康局", RoundFigures(total=15, completed=15, rate_percent="100")),
        BodyFigures(
            "区教育局",
            RoundFigures(
                total=10,
                completed=8,
                unfinished=2,
                rate_percent="80.00",
                rate_numerator=8,
                rate_denominator=10,
            ),
        ),
    )


def test_what_a_messy_copy_says_beyond_the_figures_goes_to_unread() -> None:
    """Nothing is guessed: a sentence, a clause or a count that is not a round figure is kept in
    ``unread`` with its line, and a clue count (never public) is not taken as a kind."""
    summary = parse_round_notice(MESSY)
    unread = {(u.line, u.text) for u in summary.unread}
    assert unread == {
        (9, "各单位均建立了整改台账。"),
        (10, "问题线索3个"),
        (14, "另有1个问题正在核实"),
    }
    assert summary.kinds == {ProblemKind.KEY: 20, ProblemKind.SPECIFIC: 100}


def test_a_figure_stated_twice_keeps_the_first() -> None:
    """A second statement of the same figures is not merged: it goes to unread."""
    text = "本轮巡察共反馈问题10个，已完成8个。\n本轮巡察共反馈问题12个。\n"
    summary = parse_round_notice(text)
    assert summary.problems == RoundFigures(total=10, completed=8)
    assert [u.line for u in summary.unread] == [2]


def test_basically_completed_and_going_on_is_read_as_basically_completed() -> None:
    """``基本完成并持续推进5个``, the words of the issue's own example (120 fed back, 112
    completed, 5 basically completed and continuing, 3 unfinished): basically completed, not
    left unread; a clause it does not read still goes to unread."""
    text = (
        "本轮巡察共反馈问题120个，已完成112个，基本完成并持续推进5个，尚未完成3个，"
        "整改完成率93.33%，追回资金35.6万元。\n"
    )
    summary = parse_round_notice(text)
    assert summary.problems == RoundFigures(
        total=120, completed=112, basically_completed=5, unfinished=3, rate_percent="93.33"
    )
    assert [u.text for u in summary.unread] == ["追回资金35.6万元"]


def test_a_text_that_is_not_a_round_notice_is_refused() -> None:
    """Without a title or any figure there is nothing to import."""
    with pytest.raises(NoticeParseError, match="not a round's progress notice"):
        parse_round_notice("今天天气很好。\n")


def test_the_demo_round_notice_counts_public_items_only(demo: Round) -> None:
    """The synthetic case's two clues are neither shown nor counted, and the seed cases whose
    notices state no item's state are written 整改情况未说明, never 未完成 nor 已完成0个."""
    summary = round_summary(demo, as_of=AS_OF)
    text = render_round_notice(summary)
    assert (
        "本轮巡察共反馈问题187个，已完成7个，需长期坚持2个，尚未完成2个，整改情况未说明176个"
        in text
    )
    assert "（一）天津市第四中心医院党委：反馈问题10个，整改情况未说明10个。" in text
    assert "问题线索" not in text
    internal = rectflow.rollup(demo, as_of=AS_OF)
    assert internal.problems.total == 189  # the two clues are counted internally


def test_the_demo_round_notice_reads_back_to_its_summary(demo: Round) -> None:
    """parse_round_notice(render_round_notice(summary)) == summary, with nothing unread."""
    summary = round_summary(demo, as_of=AS_OF)
    assert parse_round_notice(render_round_notice(summary)) == summary


def test_html_and_markdown_escape_what_they_are_given() -> None:
    """Names are escaped in HTML and Markdown; an unknown format is refused."""
    summary = RoundSummary(
        round_name="<b>第*一*轮</b>", bodies=(BodyFigures("a&b", RoundFigures(1)),)
    )
    html = render_round_notice(summary, "html")
    assert "&lt;b&gt;第*一*轮&lt;/b&gt;" in html
    assert "a&amp;b" in html
    assert "\\<b\\>第\\*一\\*轮\\<\\/b\\>" in render_round_notice(summary, "markdown")
    with pytest.raises(UnknownFormatError):
        render_round_notice(summary, "pdf")  # type: ignore[arg-type]


# -- the round trip ------------------------------------------------------------------------------

# Names as offices write them, without the punctuation, digits and phrases the genre uses as
# markers (a name may hold anything else; see docs/rounds.md on what a notice cannot say).
_NAME = st.text(
    st.sampled_from("市委区县第一二三四五六轮届医院党组机关局卫生健康中心学校公司甲乙"),
    min_size=1,
    max_size=10,
)
_COUNT = st.integers(0, 100_000)


@st.composite
def _figures(draw: st.DrawFn) -> RoundFigures:
    rate = draw(st.none() | st.tuples(st.integers(0, 100), st.integers(0, 99)))
    fraction = draw(st.none() | st.tuples(_COUNT, _COUNT)) if rate else None
    return RoundFigures(
        total=draw(st.none() | _COUNT),
        completed=draw(st.none() | _COUNT),
        basically_completed=draw(st.none() | _COUNT),
        long_term=draw(st.none() | _COUNT),
        unfinished=draw(st.none() | _COUNT),
        unknown=draw(st.none() | _COUNT),
        rate_percent=None if rate is None else f"{rate[0]}.{rate[1]:02d}",
        rate_numerator=None if fraction is None else fraction[0],
        rate_denominator=None if fraction is None else fraction[1],
    )


def _plain(period: Period) -> Period:
    end = period.end
    return Period(
        attrs.evolve(period.start, inferred=False),
        None if end is None else attrs.evolve(end, inferred=False),
    )


_KINDS = [k for k in ProblemKind if k is not ProblemKind.CLUE]

summaries = st.builds(
    RoundSummary,
    round_name=st.none() | _NAME.filter(lambda n: n != "巡察"),
    inspecting_body=st.none() | _NAME,
    onsite=st.none() | rs.periods(min_value=dt.date(2000, 1, 1)).map(_plain),
    teams=st.none() | st.integers(1, 99),
    bodies_count=st.none() | st.integers(1, 999),
    as_of=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31)),
    problems=_figures(),
    measures=_figures(),
    kinds=st.dictionaries(st.sampled_from(_KINDS), st.integers(1, 999)).map(
        lambda d: {k: d[k] for k in _KINDS if k in d}
    ),
    accountability=st.dictionaries(st.sampled_from(AccountabilityForm), st.integers(1, 99)).map(
        lambda d: {f: d[f] for f in AccountabilityForm if f in d}
    ),
    bodies=st.lists(st.builds(BodyFigures, _NAME, _figures()), max_size=4).map(tuple),
)


@given(summaries)
def test_every_summary_reads_back_from_its_notice(summary: RoundSummary) -> None:
    """parse_round_notice(render_round_notice(s)) == s for every summary a notice can state."""
    assert parse_round_notice(render_round_notice(summary)) == summary


@given(st.lists(rs.supervised_cases(max_problems=3), min_size=1, max_size=3), st.data())
def test_a_rounds_notice_reads_back_to_its_summary(
    cases: list[rectflow.Case], data: st.DataObject
) -> None:
    """For rounds of random supervised cases, as of a day in their logs, the notice reads back
    to the summary it was rendered from, and states no more problems than the public has."""
    for number, case in enumerate(cases, 1):
        case.inspected_body = f"被巡察单位{'甲乙丙'[number - 1]}"
    days = sorted({e.on for case in cases for e in case.events}) or [AS_OF]
    day = data.draw(st.sampled_from(days), label="day")
    round_ = Round("r", "第一轮巡察", "区委").with_cases(cases)
    summary = round_summary(round_, as_of=day)
    assert parse_round_notice(render_round_notice(summary)) == summary
    # Counted with the one public predicate itself, not with the projection the summary uses.
    public = sum(
        is_public_problem(problem)
        for case in cases
        for problem in rectflow.case_as_of(case, day).problems()
    )
    assert summary.problems.total == public
