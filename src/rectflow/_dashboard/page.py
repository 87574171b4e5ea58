"""The dashboard page: one self-contained HTML file, charts inline, nothing fetched.

:func:`render_dashboard` gathers the figures (``figures``), draws the charts (``charts``) and
fills one Jinja template with autoescaping on, so every name and text from a case file is
escaped; the charts are SVG that pygal's XML writer escaped in turn. The page has no script, no
external style sheet, image or font: everything it shows is in the file, and its ``@media print``
rules lay it out on A4 pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import jinja2
from markupsafe import Markup

from rectflow._core.model import Case, Responsibility
from rectflow._dashboard import charts
from rectflow._dashboard.figures import Figures, gather
from rectflow._dashboard.words import LANGS, WORDS, grouping_word, kind_word, role_word
from rectflow._rounds.model import Round
from rectflow._rounds.rollup import Grouping, Tally
from rectflow._rules.ladder import Ladder
from rectflow._rules.policy import Policy
from rectflow._version import __version__

__all__ = ["STATE_COLOURS", "level_colours", "render_dashboard", "render_figures"]

STATE_COLOURS = {
    "completed": "#1d4ed8",
    "basically": "#60a5fa",
    "long_term": "#a78bfa",
    "unfinished": "#f97316",
    "unknown": "#cbd5e1",
}
"""The colour of each part of a completion bar (blue for done: the warning colours are kept for
the warning levels)."""

_NAMED = (
    (("red", "红"), "#dc2626"),
    (("orange", "橙"), "#ea580c"),
    (("yellow", "黄"), "#eab308"),
    (("green", "绿"), "#16a34a"),
    (("blue", "蓝"), "#2563eb"),
)


_BEFORE = ("#facc15", "#f59e0b", "#ea580c")
_LATE = ("#dc2626", "#b91c1c", "#7f1d1d")


def level_colours(ladder: Ladder) -> dict[str, str]:
    """Each level's colour, by name: its colour word (red, 黄 …), else by where it starts:
    ambers before the deadline, deepening reds once late."""
    colours: dict[str, str] = {}
    before = late = 0
    for level in ladder.levels:
        words = f"{level.name} {level.label}".lower()
        named = next((c for names, c in _NAMED if any(n in words for n in names)), None)
        if named is not None:
            colours[level.name] = named
        elif level.starts <= 0:
            colours[level.name] = _BEFORE[min(before, len(_BEFORE) - 1)]
            before += 1
        else:
            colours[level.name] = _LATE[min(late, len(_LATE) - 1)]
            late += 1
    return colours


_PARTS = ("completed", "basically", "long_term", "unfinished", "unknown")


def _parts(tally: Tally) -> dict[str, int]:
    return {
        "completed": tally.completed,
        "basically": tally.basically_completed,
        "long_term": tally.long_term,
        "unfinished": tally.unfinished,
        "unknown": tally.unknown,
    }


def _used_parts(tallies: Sequence[Tally]) -> list[str]:
    """The parts any tally has (an empty part is left out of the legend), at least one."""
    used = [p for p in _PARTS if any(_parts(t)[p] for t in tallies)]
    return used or ["completed"]


def _group_label(key: str | None, by: Grouping, lang: str) -> str:
    if key is None:
        return WORDS[lang]["unnamed"]
    return kind_word(key, lang) if by == "kind" else key


def _state_series(tallies: Sequence[Tally], lang: str) -> list[charts.Series]:
    """One series a part (completed, basically …) with a value a tally, the unused left out."""
    parts = [_parts(t) for t in tallies]
    return [
        charts.Series(WORDS[lang][p], STATE_COLOURS[p], tuple(counts[p] for counts in parts))
        for p in _used_parts(tallies)
    ]


def _completion_chart(figures: Figures, lang: str) -> str:
    groups = figures.totals.groups
    labels = [_group_label(g.key, figures.by, lang) for g in groups]
    series = _state_series([g.items for g in groups], lang)
    return charts.horizontal_stacked_chart(
        "rf-completion", grouping_word(figures.by, lang), labels, series
    )


def _levels_chart(figures: Figures, lang: str) -> str:
    levels = figures.totals.items.levels or {}
    colours = level_colours(figures.ladder)
    slices = [
        charts.Series(level.label, colours[level.name], (levels.get(level.name, 0),))
        for level in figures.ladder.levels
    ]
    return charts.donut_chart("rf-levels", WORDS[lang]["levels"], slices)


def _month_label(day: dt.date, last: bool) -> str:
    return day.isoformat() if last else f"{day.year}-{day.month:02d}"


def _months_chart(figures: Figures, lang: str) -> str:
    labels = [
        _month_label(day, number == len(figures.months) - 1)
        for number, (day, _) in enumerate(figures.months)
    ]
    series = _state_series([tally for _, tally in figures.months], lang)
    return charts.stacked_bar_chart("rf-months", WORDS[lang]["burndown"], labels, series)


def _who(responsibility: Responsibility | None) -> str:
    if responsibility is None:
        return ""
    named = [responsibility.department, responsibility.person]
    if not any(named):
        named = [responsibility.leader]
    return " / ".join(n for n in named if n)


def _day(day: dt.date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _context(figures: Figures, lang: str) -> dict[str, Any]:
    words = WORDS[lang]
    totals = figures.totals
    items, problems = totals.items, totals.problems
    colours = level_colours(figures.ladder)
    levels = {level.name: level for level in figures.ladder.levels}
    if figures.title_kind == "round":
        title = words["round_title"].format(name=figures.name)
    else:
        title = words["case_title"].format(body=figures.name)
    return {
        "lang": lang,
        "w": words,
        "title": title,
        "inspecting_body": figures.inspecting_body,
        "as_of": words["as_of"].format(day=_day(figures.as_of, lang)),
        "cases": words["cases"].format(count=totals.cases) if figures.title_kind == "round" else "",
        "policy": words["policy"].format(name=figures.policy),
        "problems": problems,
        "items": items,
        "escalated": sum((items.levels or {}).values()),
        "completion_title": grouping_word(figures.by, lang),
        "completion_chart": Markup(_completion_chart(figures, lang))  # noqa: S704 - pygal's escaped SVG
        if items.total
        else "",
        "levels_chart": Markup(_levels_chart(figures, lang))  # noqa: S704 - as above
        if items.total
        else "",
        "months_chart": Markup(_months_chart(figures, lang))  # noqa: S704 - as above
        if any(tally.total for _, tally in figures.months)
        else "",
        "level_rows": [
            (level.label, colours[level.name], (items.levels or {}).get(level.name, 0))
            for level in figures.ladder.levels
        ],
        "overdue": figures.overdue,
        "warned": figures.warned,
        "colours": colours,
        "ink": {name: charts.ink(colour) for name, colour in colours.items()},
        "levels": levels,
        "who": _who,
        "day": lambda d: _day(d, lang),
        "role": lambda r: role_word(r, lang),
        "footer": words["footer"].format(version=__version__, day=_day(figures.as_of, lang)),
    }


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("rectflow._dashboard", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_figures(figures: Figures, *, lang: str = "zh") -> str:
    """The page of figures already gathered (:func:`rectflow._dashboard.figures.gather`)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: give one of {', '.join(LANGS)}")
    template = _environment().get_template("dashboard.html.j2")
    return template.render(_context(figures, lang))


def render_dashboard(
    subject: Case | Round,
    *,
    as_of: dt.date,
    policy: Policy | None = None,
    by: Grouping | None = None,
    lang: str = "zh",
) -> str:
    """The page :func:`rectflow.render_dashboard` returns (its documentation is there)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: give one of {', '.join(LANGS)}")
    figures = gather(subject, as_of=as_of, policy=policy, by=by)
    return render_figures(figures, lang=lang)
