"""The dashboard's charts: pygal draws them at build time into inline SVG.

Why pygal (the ``report`` extra, pyproject.toml): it is pure Python (about 1 MB, no numpy, no
compiled code), writes SVG natively, and its text stays text, so Chinese labels are drawn by the
reader's own fonts (every Chinese desktop has one) and stay selectable and searchable. Its
defaults reach for the network and the clock, and both are switched off here:

* ``js=[]``, and every ``<script>`` it still writes (a config blob for its tooltips) is removed:
  the page runs no script and requests nothing;
* its font family is a list of local fonts (no ``googlefont:`` web font);
* the comments it writes (``… on <today's date>``, its home page) are removed, and each chart's
  id is fixed instead of a random ``uuid4``: the same figures give the same bytes.

Each chart keeps its values in the ``<desc class="value">`` elements pygal writes beside every
bar and slice, which is how the tests compare what is drawn with the roll-up's figures.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import attrs

from rectflow._core.labels import display_width
from rectflow._i18n import N_
from rectflow.errors import RectflowError

__all__ = [
    "FONT_FAMILY",
    "Series",
    "donut_chart",
    "horizontal_stacked_chart",
    "ink",
    "stacked_bar_chart",
]

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"Hiragino Sans GB", "WenQuanYi Micro Hei", SimHei, "Helvetica Neue", Arial, sans-serif'
)
"""Local fonts only, Chinese first: nothing is downloaded (no web font)."""

_SVG = "{http://www.w3.org/2000/svg}"


@attrs.frozen
class Series:
    """One series of a chart: its name in the legend, its colour and its values."""

    name: str
    colour: str
    values: tuple[int, ...]


def _pygal() -> Any:
    """pygal, imported when a chart is drawn: the ``report`` extra is optional, and nothing else
    in rectflow needs it."""
    try:
        import pygal  # noqa: PLC0415 - optional dependency, imported on first use
        import pygal.style  # noqa: PLC0415 - as above
    except ImportError:
        raise RectflowError(
            N_(
                "the dashboard draws its charts with pygal, which is not installed; install the "
                "report extra: pip install 'rectflow[report]'"
            )
        ) from None
    _drop_pygal_import_hook()
    return pygal


def _drop_pygal_import_hook() -> None:
    """Take pygal's ``PluginImportFixer`` (a finder for ``pygal.maps.*`` plugins, which the
    dashboard does not draw) off ``sys.meta_path``: it has no ``find_spec``, so every import that
    reaches it afterwards in the host's process warns (an ``ImportWarning``, an error under
    ``-W error``)."""
    sys.meta_path[:] = [
        finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"
    ]


_VALUE_FONT_SIZE = 14
"""The size of the values printed on bars (``value_font_size`` in :func:`_style`)."""


def _style(colours: Sequence[str], value_colours: Sequence[str]) -> Any:
    return _pygal().style.Style(
        font_family=FONT_FAMILY,
        background="transparent",
        plot_background="transparent",
        foreground="#334155",
        foreground_strong="#0f172a",
        foreground_subtle="#cbd5e1",
        opacity="1",
        opacity_hover="1",
        transition="none",
        colors=tuple(colours),
        value_colors=tuple(value_colours),
        guide_stroke_dasharray="0",
        major_guide_stroke_dasharray="0",
        guide_stroke_color="#e2e8f0",
        major_guide_stroke_color="#cbd5e1",
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        value_font_size=_VALUE_FONT_SIZE,
        value_label_font_size=13,
        no_data_font_size=20,
    )


def _cjk_allowance(labels: Sequence[str], font_size: int) -> int:
    """The extra left margin labels need beyond pygal's estimate (0.6 em a character, right for
    Latin text, too little for Chinese, which is 1 em wide)."""
    if not labels:
        return 0
    widest = max(labels, key=display_width)
    real = 0.5 * font_size * display_width(widest) + 4
    estimated = 0.6 * font_size * len(widest)
    return max(0, round(real - estimated))


def _local(tag: object) -> str:
    """An element's tag without its namespace ('' for a comment, whose tag is a function)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _value_fits(extent: float, text: str, along: str) -> bool:
    """Whether a value printed on a bar part fits inside it: along the bar (``width``, a
    horizontal bar) the text's width, about 0.6 em a digit; across it (``height``) one line."""
    if along == "width":
        return extent >= 0.6 * _VALUE_FONT_SIZE * len(text) + 4
    return extent >= _VALUE_FONT_SIZE + 2


def _drop_crowded_values(root: ET.Element, along: str) -> None:
    """Remove the printed value of every bar part too small to hold it (a stack of 22, 2 and 4
    drew ``2`` and ``4`` over each other on slivers of the bar). The value stays in the part's
    ``<desc class="value">`` and in the page's tables; only the overprinted text goes."""
    bars: dict[str, list[ET.Element]] = {}
    texts: dict[str, list[tuple[ET.Element, ET.Element]]] = {}
    # The filter sees the tags with or without the SVG namespace: match their local names.
    for group in root.iter():
        name = group.get("class") or ""
        if _local(group.tag) != "g" or not name.startswith("series "):
            continue
        rects = [e for e in group.iter() if _local(e.tag) == "rect"]
        if rects:
            bars[name] = rects
        printed = [(group, e) for e in group.iter() if _local(e.tag) == "text"]
        if printed:
            texts[name] = printed
    for name, printed in texts.items():
        rects = bars.get(name, [])
        if len(rects) != len(printed):
            continue  # not the bar-and-value layout this reads: leave it as pygal drew it
        for rect, (group, text) in zip(rects, printed, strict=True):
            value = text.text or ""
            if value and not _value_fits(float(rect.get(along) or 0), value, along):
                group.remove(text)


def _clean(chart_id: str, fit_values: str | None = None) -> Any:
    """An xml filter: no scripts, no comments (their tag is a function, not a name), and the
    accessible name's reference (see the module docstring); with ``fit_values`` (``width`` for
    horizontal bars, ``height`` for vertical ones) no value printed on a part too small for it."""

    def clean(root: ET.Element) -> ET.Element:
        for parent in root.iter():
            for child in list(parent):
                if not isinstance(child.tag, str) or child.tag in ("script", f"{_SVG}script"):
                    parent.remove(child)
        if fit_values is not None:
            _drop_crowded_values(root, fit_values)
        root.set("role", "img")
        root.set("aria-labelledby", f"{chart_id}-title")
        return root

    return clean


def _ticks(series: Sequence[Series]) -> list[int]:
    """Whole-number ticks for a stacked count axis: 0 to the tallest stack, in steps of 1, 2 or
    5 times a power of ten, at most ten steps (pygal would tick 0.1, 0.2 … for small counts)."""
    top = max((sum(values) for values in zip(*(s.values for s in series), strict=True)), default=0)
    top = max(top, 1)
    step = 1
    while top / step > 10:
        for factor in (2, 5, 10):
            if top / (step * factor) <= 10:
                step *= factor
                break
        else:
            step *= 10
    return list(range(0, -(-top // step) * step + 1, step))


def _config(series: Sequence[Series], **options: Any) -> dict[str, Any]:
    return {
        "style": _style([s.colour for s in series], [ink(s.colour) for s in series]),
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": True,
        "print_zeroes": False,
        "truncate_label": -1,
        "truncate_legend": -1,
        "margin": 12,
        "spacing": 12,
        "classes": ["pygal-chart", "rf-chart"],
        **options,
    }


def _render(chart: Any, chart_id: str, title: str, fit_values: str | None = None) -> str:
    chart.uuid = chart_id
    chart.add_xml_filter(_clean(chart_id, fit_values))
    svg: str = chart.render(is_unicode=True)
    # The accessible name the aria-labelledby above points at, as the SVG's own <title>.
    return svg.replace(
        "<title>Pygal</title>", f'<title id="{chart_id}-title">{_xml(title)}</title>'
    )


def ink(colour: str) -> str:
    """White on a dark fill, near-black on a light one (the values printed on bars)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if 0.299 * red + 0.587 * green + 0.114 * blue < 150 else "#0f172a"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def horizontal_stacked_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 660,
) -> str:
    """Bars side by side, one per label (a body, a department), each stacked from the series.

    Args:
        chart_id: the SVG's id (unique in the page; letters, digits and dashes).
        title: the chart's accessible name (the page shows its own heading).
        labels: the bars' names, top to bottom.
        series: the stacked parts, each with one value per label.
        width: the drawing's width in SVG units (it scales to the page).
    """
    # 38 units a bar, thinner for many (down to the 16 a 13-unit label needs), so that a round
    # of 40 bodies still prints on one A4 page.
    step = max(16.0, min(38.0, 760 / max(1, len(labels))))
    height = round(110 + step * max(1, len(labels)))
    chart = _pygal().HorizontalStackedBar(
        **_config(
            series,
            width=width,
            height=height,
            margin_left=12 + _cjk_allowance(labels, 13),
            show_x_guides=True,
            show_y_guides=False,
        )
    )
    chart.y_labels = _ticks(series)
    # HorizontalBar draws the first label at the bottom: reversed, the first is on top.
    chart.x_labels = list(reversed(labels))
    for part in series:
        chart.add(part.name, list(reversed(part.values)))
    return _render(chart, chart_id, title, fit_values="width")


def donut_chart(chart_id: str, title: str, slices: Sequence[Series], *, width: int = 420) -> str:
    """A ring of slices, one per series (its single value), e.g. items by warning level.

    Args:
        chart_id: the SVG's id.
        title: the chart's accessible name.
        slices: one series per slice, each with one value.
        width: the drawing's width in SVG units.
    """
    chart = _pygal().Pie(
        **_config(
            slices,
            width=width,
            height=round(width * 0.85),
            inner_radius=0.5,
            legend_at_bottom_columns=min(3, max(1, len(slices))),
        )
    )
    for part in slices:
        chart.add(part.name, list(part.values))
    return _render(chart, chart_id, title)


def stacked_bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 1000,
    print_values: bool = False,
) -> str:
    """Vertical bars, one per label (a month end), each stacked from the series.

    Args:
        chart_id: the SVG's id.
        title: the chart's accessible name.
        labels: the bars' names, left to right.
        series: the stacked parts, each with one value per label.
        width: the drawing's width in SVG units.
        print_values: write each part's value on it (crowded when there are many bars).
    """
    chart = _pygal().StackedBar(
        **_config(
            series,
            width=width,
            height=400,
            print_values=print_values,
            x_label_rotation=-35 if len(labels) > 8 else 0,
            show_x_guides=False,
            show_y_guides=True,
        )
    )
    chart.y_labels = _ticks(series)
    chart.x_labels = list(labels)
    for part in series:
        chart.add(part.name, list(part.values))
    return _render(chart, chart_id, title, fit_values="height")
