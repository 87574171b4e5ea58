"""The dashboard page without a browser: self-contained, its charts drawing the roll-up's figures,
everything escaped, the same bytes for the same figures."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from page_parts import (
    bar_parts,
    chart_ids,
    chart_values,
    external_references,
    printed_values,
)

import rectflow
import rectflow.strategies as rs
from rectflow._dashboard.figures import month_ends
from rectflow._dashboard.page import level_colours
from rectflow._rounds.files import load_round
from rectflow._rounds.model import Round
from rectflow._rounds.rollup import Tally, rollup

REPO = Path(__file__).resolve().parents[2]
ROUND_FILE = REPO / "examples" / "rounds" / "demo-round.toml"
SYNTHETIC = REPO / "examples" / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
THREE_COLOUR = REPO / "examples" / "policies" / "jiangjin-three-colour.toml"
AS_OF = dt.date(2025, 6, 8)
PARTS = {
    "zh": ("已完成", "基本完成", "长期坚持", "未完成", "状态未载明"),
    "en": ("completed", "basically completed", "long-term", "unfinished", "state not stated"),
}


def _parts(tally: Tally) -> tuple[int, ...]:
    return (
        tally.completed,
        tally.basically_completed,
        tally.long_term,
        tally.unfinished,
        tally.unknown,
    )


def _drawn(html: str, chart: str, lang: str, bars: int) -> dict[str, list[int]]:
    """A stacked chart's series by part, every part present (an empty part is not drawn)."""
    drawn = {name: [round(v) for v in values] for name, values in chart_values(html, chart).items()}
    return {name: drawn.get(name, [0] * bars) for name in PARTS[lang]}


@pytest.fixture(scope="module")
def demo_round() -> Round:
    """The example round over the five seed-based cases and the synthetic one."""
    return load_round(ROUND_FILE)


@pytest.fixture(scope="module")
def three_colour() -> rectflow.Policy:
    """The 江津区 three-colour ladder (green, yellow, red)."""
    return rectflow.load_policy(THREE_COLOUR)


@pytest.fixture(scope="module")
def round_page(demo_round: Round, three_colour: rectflow.Policy) -> str:
    """The demo round's dashboard in Chinese as of 2025-06-08 under the three-colour ladder."""
    return rectflow.render_dashboard(demo_round, as_of=AS_OF, policy=three_colour, lang="zh")


def test_the_page_refers_to_nothing_outside_itself(round_page: str) -> None:
    """No src, href or CSS url() that is not data: or #, no script, link, frame or handler."""
    assert external_references(round_page) == []


def test_the_reference_finder_finds_what_would_fetch_or_run() -> None:
    """The finder itself fails a page with a remote image, a script, a link or a CSS url()."""
    page = (
        '<img src="http://example.invalid/x.png"><script>console.error(1)</script>'
        '<link rel="stylesheet" href="s.css"><div style="background: url(//cdn.invalid/b.png)">'
        '<svg><image xlink:href="https://example.invalid/i.png"/></svg>'
        "<style>@import 'https://fonts.invalid/f.css';</style>"
        '<img src="data:image/png;base64,AA=="><a href="#top">top</a>'
    )
    assert external_references(page) == [
        "<img src='http://example.invalid/x.png'>",
        "<script> element",
        "<link> element",
        "<link href='s.css'>",
        "<div style> url(//cdn.invalid/b.png)",
        "<image xlink:href='https://example.invalid/i.png'>",
        "<style> @import https://fonts.invalid/f.css",
    ]


def test_the_page_has_three_charts_drawn_by_pygal_as_inline_svg(round_page: str) -> None:
    """Completion by body, the warning levels and the months, each an <svg> in the page."""
    assert chart_ids(round_page) == ["rf-completion", "rf-levels", "rf-months"]
    assert round_page.count("pygal-chart") == 3


def test_the_completion_chart_draws_the_roll_up_by_body(
    demo_round: Round, three_colour: rectflow.Policy, round_page: str
) -> None:
    """Each body's bar is that body's items by part, as rectflow.rollup(by='body') counts them."""
    ladder = three_colour.escalation
    expected = rollup(demo_round, as_of=AS_OF, by="body", ladder=ladder)
    bars = len(expected.groups)
    drawn = _drawn(round_page, "rf-completion", "zh", bars)
    # The first body is drawn at the top: the last drawn.
    by_body = [tuple(drawn[p][bars - 1 - i] for p in PARTS["zh"]) for i in range(bars)]
    assert by_body == [_parts(group.items) for group in expected.groups]
    for group in expected.groups:
        assert f">{group.key}<" in round_page


def test_every_value_printed_on_a_bar_fits_inside_its_part(round_page: str) -> None:
    """A body's bar of 22 completed, 2 long-term and 4 unfinished items beside one of 117: the
    slivers of 2 and 4 are too thin for their figures, which pygal printed across the slivers'
    edges, run together (``2 4``); a figure that does not fit its part is left off (its value
    stays in the chart's data and the page's tables). A digit is about 0.6 em (14 units) wide."""
    parts = bar_parts(round_page, "rf-completion")
    printed = printed_values(round_page, "rf-completion")
    for x, y, text in printed:
        half = 0.6 * 14 * len(text) / 2
        assert any(
            left <= x - half and x + half <= left + width and top <= y <= top + height
            for left, top, width, height in parts
        ), f"{text!r} printed at ({x:.1f}, {y:.1f}) spills out of its part of the bar"
    # Only what does not fit is left off: the bars of 117, 22 and 10 keep their figures.
    assert {"117", "22", "10"} <= {text for _, _, text in printed}


def test_the_levels_chart_draws_the_roll_up_s_levels(
    demo_round: Round, three_colour: rectflow.Policy, round_page: str
) -> None:
    """One slice per level of the ladder, its value the roll-up's count on that level."""
    ladder = three_colour.escalation
    assert ladder is not None
    expected = rollup(demo_round, as_of=AS_OF, ladder=ladder).items.levels
    assert expected is not None
    drawn = chart_values(round_page, "rf-levels")
    assert drawn == {level.label: [float(expected[level.name])] for level in ladder.levels}
    assert sum(expected.values()) > 0  # the demo has items on the ladder


def test_the_months_chart_draws_the_roll_up_as_of_each_month_end(
    demo_round: Round, three_colour: rectflow.Policy, round_page: str
) -> None:
    """Each bar is rectflow.rollup as of that month's last day (the last bar: the day itself)."""
    ladder = three_colour.escalation
    start = min(c.feedback_on.earliest for c in demo_round.cases if c.feedback_on is not None)
    days = month_ends(start, AS_OF)
    expected = [_parts(rollup(demo_round, as_of=d, ladder=ladder).items) for d in days]
    drawn = _drawn(round_page, "rf-months", "zh", len(days))
    assert [tuple(drawn[p][i] for p in PARTS["zh"]) for i in range(len(days))] == expected
    assert days[-1] == AS_OF


def test_the_headline_figures_are_the_roll_up_s_with_their_denominators(
    demo_round: Round, three_colour: rectflow.Policy, round_page: str
) -> None:
    """Completion rates as numerator/denominator and percentage, overdue and on-time figures."""
    totals = rollup(demo_round, as_of=AS_OF, ladder=three_colour.escalation)
    for kpi, tally in (("problems", totals.problems), ("items", totals.items)):
        card = re.search(rf'id="kpi-{kpi}">(.*?)</section>', round_page, re.S)
        assert card is not None
        rate = tally.completion
        assert f"{rate.percent}<small>%</small>" in card[1]
        assert f"<strong>{rate.numerator}/{rate.denominator}</strong>" in card[1]
    overdue = re.search(r'id="kpi-overdue">(.*?)</section>', round_page, re.S)
    assert overdue is not None
    assert f'<p class="value">{totals.items.overdue}<small>' in overdue[1]
    on_time = totals.items.on_time
    assert on_time is not None
    assert f"{on_time.percent}<small>%</small>" in round_page


def test_the_overdue_table_lists_the_roll_up_s_overdue_items(
    demo_round: Round, three_colour: rectflow.Policy, round_page: str
) -> None:
    """One row per overdue item, with its days late."""
    totals = rollup(demo_round, as_of=AS_OF, ladder=three_colour.escalation)
    table = re.search(
        r'<section class="panel table-panel" id="overdue">(.*?)</section>', round_page, re.S
    )
    assert table is not None
    rows = re.findall(r'<td class="id">([^<]*)</td>', table[1])
    assert rows == [record.item.id for record in totals.overdue]
    assert rows  # the demo has overdue items
    for record in totals.overdue:
        assert f"{record.item.days_late}天" in table[1]


def test_the_warned_table_lists_the_agenda_s_notices_before_a_deadline(
    demo_round: Round, three_colour: rectflow.Policy, round_page: str
) -> None:
    """Each agenda notice on an item not yet late is a row, with its level's label."""
    notices = rectflow.agenda(demo_round.cases, as_of=AS_OF, policy=three_colour).notices
    early = [n for n in notices if n.days <= 0]
    table = re.search(r'id="warned">(.*?)</section>', round_page, re.S)
    assert table is not None
    assert re.findall(r'<td class="id">([^<]*)</td>', table[1]) == [n.item for n in early]
    for notice in early:
        assert notice.label in table[1]


def test_chinese_headings_come_first_under_lang_zh_and_english_under_en(
    demo_round: Round, round_page: str
) -> None:
    """The page's own words are Chinese under zh and English under en."""
    assert '<html lang="zh-CN">' in round_page
    assert "各被巡察单位整改完成情况" in round_page
    assert "内部资料" in round_page
    english = rectflow.render_dashboard(demo_round, as_of=AS_OF, lang="en")
    assert '<html lang="en">' in english
    assert "Completion by inspected body" in english
    assert "各被巡察单位整改完成情况" not in english


def test_the_same_figures_give_the_same_bytes(demo_round: Round) -> None:
    """No random chart id, no date of the run (pygal's comment): twice gives the same page."""
    first = rectflow.render_dashboard(demo_round, as_of=AS_OF)
    assert rectflow.render_dashboard(demo_round, as_of=AS_OF) == first
    assert "Generated with pygal" not in first


def test_hostile_names_and_texts_are_escaped_in_the_page_and_the_charts() -> None:
    """Markup in a body's name, a department or a measure's text is shown, never run."""
    case = rectflow.load_case(SYNTHETIC)
    hostile = '<script>alert("x")</script>'
    case.inspected_body = hostile
    on = case.last_event_on
    assert on is not None
    late = rectflow.overdue(case, on)
    assert late  # the synthetic case has overdue measures: their text is in the table
    rectflow.edit_text(case, late[0].id, '<img src=x onerror="alert(1)">', on=on)
    rectflow.assign(
        case,
        late[0].id,
        rectflow.Responsibility(department="</svg><script>alert(2)</script>"),
        on=on,
    )
    page = rectflow.render_dashboard(case, as_of=on, lang="en")
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert "<script" not in page
    assert "<img" not in page
    assert external_references(page) == []
    assert "&lt;script&gt;alert(" in page
    assert "&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page  # in the chart's labels
    assert chart_ids(page) == ["rf-completion", "rf-levels", "rf-months"] or chart_ids(page) == [
        "rf-completion",
        "rf-months",
    ]


def test_the_three_colour_ladder_is_drawn_in_its_own_colours(
    three_colour: rectflow.Policy,
) -> None:
    """green, yellow and red levels get green, yellow and red; the default ladder amber, red."""
    assert three_colour.escalation is not None
    assert level_colours(three_colour.escalation) == {
        "green": "#16a34a",
        "yellow": "#eab308",
        "red": "#dc2626",
    }
    assert level_colours(rectflow.DEFAULT_LADDER) == {"due-soon": "#facc15", "overdue": "#dc2626"}


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: rectflow.render_dashboard(c, as_of=dt.datetime(2025, 6, 8)), TypeError),
        (lambda c: rectflow.render_dashboard(c, as_of=AS_OF, by="team"), ValueError),  # type: ignore[arg-type]
        (lambda c: rectflow.render_dashboard(c, as_of=AS_OF, lang="fr"), ValueError),
        (lambda c: rectflow.render_dashboard([c], as_of=AS_OF), TypeError),  # type: ignore[arg-type]
    ],
)
def test_a_wrong_argument_is_refused_with_what_to_give(call: object, error: type) -> None:
    """A datetime, an unknown grouping or language, or a list instead of a case is refused."""
    case = rectflow.load_case(SYNTHETIC)
    with pytest.raises(error):
        call(case)  # type: ignore[operator]


@given(first=st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)), length=st.integers(0, 1200))
def test_month_ends_are_the_last_days_of_months_up_to_the_day(first: dt.date, length: int) -> None:
    """Every month's last day from the first day's month, none skipped, before the day, then
    the day; the latest MAX_MONTHS of them."""
    last = first + dt.timedelta(days=length)
    days = month_ends(first, last)
    assert days[-1] == last
    assert 1 <= len(days) <= 18
    for day in days[:-1]:
        assert (day + dt.timedelta(days=1)).day == 1
        assert day < last
    for earlier, later in itertools.pairwise(days):  # each in the month after the one before
        following = earlier + dt.timedelta(days=1)
        assert (later.year, later.month) == (following.year, following.month)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    assert len(days) == min(months, 18)


@settings(max_examples=15)
@given(case=rs.cases(with_events=True, max_events=10), lang=st.sampled_from(["zh", "en"]))
def test_any_case_s_page_is_self_contained_and_draws_its_roll_up(
    case: rectflow.Case, lang: str
) -> None:
    """For any valid case: no external reference, and the completion chart is the roll-up."""
    as_of, _ = rectflow.default_as_of(case) if case.events else (dt.date(2027, 1, 1), "")
    page = rectflow.render_dashboard(case, as_of=as_of, lang=lang)
    assert external_references(page) == []
    expected = rollup(case, as_of=as_of, by="department")
    bars = len(expected.groups)
    if bars:
        drawn = _drawn(page, "rf-completion", lang, bars)
        by_group = [tuple(drawn[p][bars - 1 - i] for p in PARTS[lang]) for i in range(bars)]
        assert by_group == [_parts(group.items) for group in expected.groups]


class _Text(HTMLParser):
    """The text of the page's <h1>, as a browser shows it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.heading = ""
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = self._in or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in = self._in and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self._in:
            self.heading += data


@settings(max_examples=20)
@given(
    body=st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'/"),
        min_size=1,
        max_size=40,
    ).filter(str.strip)
)
def test_any_body_name_is_shown_as_written_and_never_parsed_as_markup(body: str) -> None:
    """Whatever a body is called, the page shows exactly that name and refers to nothing."""
    case = rectflow.Case(
        id="c",
        inspected_body=body,
        feedback_on=rectflow.FuzzyDate.of(dt.date(2025, 5, 1)),
        categories=[
            rectflow.Category(
                id="1",
                title=body,
                problems=[rectflow.Problem(id="1.1", title=body, due_on=dt.date(2025, 6, 1))],
            )
        ],
    )
    page = rectflow.render_dashboard(case, as_of=AS_OF, by="category", lang="en")
    assert external_references(page) == []
    assert chart_values(page, "rf-completion") == {"unfinished": [1.0]}
    parser = _Text()
    parser.feed(page)
    assert parser.heading == f"{body}: rectification progress"
    assert chart_ids(page)[0] == "rf-completion"


def test_a_case_with_nothing_to_count_says_so_instead_of_drawing_empty_charts() -> None:
    """No items: no chart, the empty-state line in the page's language, no pygal 'No data'."""
    empty = rectflow.Case(id="c0", inspected_body="某单位")
    page = rectflow.render_dashboard(empty, as_of=AS_OF, lang="zh")
    assert chart_ids(page) == []
    assert page.count("暂无可统计的整改事项。") == 2
    assert "No data" not in page
    assert external_references(page) == []


def test_drawing_a_page_leaves_no_finder_that_makes_later_imports_warn(round_page: str) -> None:
    """pygal's ``pygal.maps`` finder (no ``find_spec``) is taken off ``sys.meta_path``, so a
    host's later failed import raises ``ModuleNotFoundError`` without an ``ImportWarning``."""
    import sys
    import warnings

    assert "PluginImportFixer" not in {type(finder).__name__ for finder in sys.meta_path}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ModuleNotFoundError):
            __import__("rectflow_no_such_module_anywhere")
