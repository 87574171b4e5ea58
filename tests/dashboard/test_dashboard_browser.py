"""The dashboard in a real browser: headless Chromium opens the report, nothing is requested and
nothing complains, the charts are there and sized, a screenshot and a PDF are kept under ``out/``.

Chromium is driven over its DevTools pipe (``chromium_cdp``). Without a Chromium on PATH the
tests skip, unless ``RECTFLOW_REQUIRE_BROWSER=1`` (CI sets it) makes that a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium_cdp import Chromium, Page, chromium_binary

import rectflow
from rectflow._cli.main import main

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "out"
ROUND_FILE = REPO / "examples" / "rounds" / "demo-round.toml"
THREE_COLOUR = REPO / "examples" / "policies" / "jiangjin-three-colour.toml"
# A4 at 96 CSS pixels an inch, less the page's margins (@page: 12 mm top, 14 mm bottom, 11 mm
# either side): the box a chart must fit in to print whole.
A4_POINTS = (595.28, 841.89)
PRINT_WIDTH = round((210 - 22) / 25.4 * 96)
PRINT_HEIGHT = round((297 - 26) / 25.4 * 96)


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    """A headless Chromium for the module; skipped (or failed in CI) when there is none."""
    binary = chromium_binary()
    if binary is None:
        reason = "chromium is not installed (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("RECTFLOW_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RECTFLOW_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with Chromium(binary) as running:
        yield running


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo round's report in Chinese, written by the command line as a user would."""
    path = tmp_path_factory.mktemp("report") / "round.html"
    code = main(
        [
            "report",
            str(ROUND_FILE),
            "-o",
            str(path),
            "--as-of",
            "2025-06-08",
            "--policy",
            str(THREE_COLOUR),
            "--lang",
            "zh",
        ]
    )
    assert code in (None, 0)
    return path


@pytest.fixture(scope="module")
def opened(browser: Chromium, report: Path) -> Iterator[Page]:
    """The report open in a 1280-pixel-wide page."""
    with browser.page(width=1280, height=900) as page:
        page.open(report.as_uri())
        yield page


def test_the_report_requests_nothing_and_logs_no_error(opened: Page, report: Path) -> None:
    """The only request is the file itself; no console error or warning, no exception."""
    assert opened.requests == [report.as_uri()]
    assert opened.console == []


def test_the_detector_fires_on_a_request_and_a_console_error(
    browser: Chromium, tmp_path: Path
) -> None:
    """A page with a remote image and a console.error is caught on both counts."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><img src="http://example.invalid/x.png">'
        '<script>console.error("injected")</script>',
        encoding="utf-8",
    )
    with browser.page() as page:
        page.open(bad.as_uri())
        assert "http://example.invalid/x.png" in page.requests
        assert "console.error: injected" in page.console


def test_the_charts_are_drawn_and_sized(opened: Page) -> None:
    """Three SVG charts, each at least 300 pixels wide and 150 high, with shapes in them."""
    charts = opened.evaluate(
        """[...document.querySelectorAll('svg.pygal-chart')].map(svg => {
             const box = svg.getBoundingClientRect();
             return {id: svg.id, width: box.width, height: box.height,
                     shapes: svg.querySelectorAll('rect, path').length,
                     texts: svg.querySelectorAll('text').length};
           })"""
    )
    assert [c["id"] for c in charts] == [
        "chart-rf-completion",
        "chart-rf-levels",
        "chart-rf-months",
    ]
    for chart in charts:
        assert chart["width"] >= 300, chart
        assert chart["height"] >= 150, chart
        assert chart["shapes"] > 3, chart
        assert chart["texts"] > 3, chart


def test_chinese_text_is_laid_out_in_a_chinese_font(opened: Page) -> None:
    """A Chinese heading is wider than the same count of narrow glyphs: no tofu boxes."""
    widths = opened.evaluate(
        """(() => {
             const probe = (text) => {
               const span = document.createElement('span');
               span.textContent = text;
               span.style.fontSize = '20px';
               document.body.appendChild(span);
               const width = span.getBoundingClientRect().width;
               span.remove();
               return width;
             };
             return [probe('整改完成情况'), probe('iiiiii')];
           })()"""
    )
    chinese, narrow = widths
    assert chinese > 3 * narrow
    assert 100 <= chinese <= 130  # six glyphs of one em each


def test_a_screenshot_of_the_report_is_kept_under_out(opened: Page) -> None:
    """out/dashboard.png: the whole page, 1280 pixels wide."""
    OUT.mkdir(exist_ok=True)
    width, height = opened.screenshot(OUT / "dashboard.png")
    data = (OUT / "dashboard.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert width == 1280
    assert height > 1200


def _print_layout(browser: Chromium, path: Path) -> list[dict[str, object]]:
    """The chart panels' boxes when ``path`` is laid out for print at A4's printable width."""
    with browser.page(width=PRINT_WIDTH, height=PRINT_HEIGHT) as page:
        page.send("Emulation.setEmulatedMedia", {"media": "print"})
        page.open(path.as_uri())
        assert page.console == []
        panels: list[dict[str, object]] = page.evaluate(
            """[...document.querySelectorAll('section.chart-panel')].map(s => {
                 const box = s.getBoundingClientRect();
                 return {id: s.id, width: box.width, height: box.height,
                         avoid: getComputedStyle(s).breakInside};
               })"""
        )
    return panels


def _fits(panels: list[dict[str, object]]) -> None:
    for panel in panels:
        assert isinstance(panel["width"], float | int)
        assert isinstance(panel["height"], float | int)
        assert panel["width"] <= PRINT_WIDTH, panel
        assert 0 < panel["height"] < PRINT_HEIGHT, panel
        assert panel["avoid"] == "avoid", panel


def test_every_chart_fits_on_a_printed_a4_page(browser: Chromium, report: Path) -> None:
    """In print layout at A4's width, each chart panel is shorter than A4's printable height,
    so page-break avoidance keeps it whole."""
    panels = _print_layout(browser, report)
    assert [p["id"] for p in panels] == ["completion", "levels", "months"]
    _fits(panels)


def test_a_round_of_forty_bodies_still_prints_each_chart_whole(
    browser: Chromium, tmp_path: Path
) -> None:
    """Forty inspected bodies: the completion chart's bars thin out to stay within a page."""
    cases = [
        rectflow.Case(
            id=f"body-{number:02d}",
            inspected_body=f"中共虹桥市第{number}中心医院委员会",
            feedback_on=rectflow.FuzzyDate.of(dt.date(2024, 3, 1)),
            categories=[
                rectflow.Category(
                    id="1",
                    title="党的建设",
                    problems=[
                        rectflow.Problem(id="1.1", title="问题", due_on=dt.date(2024, 9, 30))
                    ],
                )
            ],
        )
        for number in range(1, 41)
    ]
    big = rectflow.Round(id="r40", name="第四十轮巡察", inspecting_body="市委", cases=tuple(cases))
    path = tmp_path / "forty.html"
    path.write_text(rectflow.render_dashboard(big, as_of=dt.date(2025, 6, 8)), encoding="utf-8")
    panels = _print_layout(browser, path)
    assert [p["id"] for p in panels] == ["completion", "levels", "months"]
    _fits(panels)


def test_the_report_prints_to_an_a4_pdf_kept_under_out(opened: Page) -> None:
    """out/dashboard.pdf: A4 pages (595 x 842 points), more than one."""
    OUT.mkdir(exist_ok=True)
    pdf = opened.pdf(OUT / "dashboard.pdf")
    assert pdf.startswith(b"%PDF-")
    boxes = {
        (round(float(w), 0), round(float(h), 0))
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    }
    assert boxes == {(round(A4_POINTS[0]), round(A4_POINTS[1]))}
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages >= 2
