"""A round's progress notice (本轮巡察整改进展情况通报), rendered and read back.

:func:`render_round_notice` writes a :class:`~rectflow._rounds.summary.RoundSummary` in the genre
of the district-round notices: a title, the preamble (who deployed the round, the on-site
period, how many teams and bodies, the day the figures stand at), the overall figures (problems
fed back, completed, basically completed, long-term, not completed, not stated, the completion
rate with its fraction), the measures' figures, the problems by kind, accountability counted by
form, one line per inspected body, and the invitation to supervise. It writes what the summary
states and nothing else: a figure the summary leaves ``None`` is not written, a count of unknown
states is written as 整改情况未说明, never as 未完成.

:func:`parse_round_notice` reads such a notice, copied from a web page or typed by hand
(full-width or ASCII punctuation, full-width digits, web-page chrome before the title and after
the invitation), back into a summary. It never guesses: each sentence and clause it cannot read
goes to :attr:`RoundSummary.unread` with its line and the reason, and a figure stated twice keeps
the first and sends the second there. ``parse_round_notice(render_round_notice(s)) == s``.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

import attrs
import jinja2

from rectflow._core.dates import FuzzyDate, Period
from rectflow._core.kinds import ProblemKind
from rectflow._core.labels import PROBLEM_KIND_ZH
from rectflow._i18n import N_, Msg
from rectflow._notices.accountability import accountability_sentence, read_accountability
from rectflow._notices.dates import YearContext, read_dates, read_iso_date, write_date, write_period
from rectflow._notices.text import Line, Unread, cn_number, cn_numeral, sentences, split_lines
from rectflow._rounds.summary import BodyFigures, RoundFigures, RoundSummary
from rectflow.errors import NoticeParseError, UnknownFormatError

__all__ = ["ROUND_NOTICE_FORMATS", "parse_round_notice", "render_round_notice"]

RoundNoticeFormat = Literal["text", "markdown", "html"]
ROUND_NOTICE_FORMATS: tuple[RoundNoticeFormat, ...] = ("text", "markdown", "html")

_GENERIC_NAME = "巡察"
_OVERALL = "一、整改总体情况"
_BY_BODY = "二、各单位整改情况"
_INVITATION = "欢迎广大干部群众对巡察整改落实情况进行监督。"
_PROBLEMS_LEAD = "本轮巡察"
_PROBLEMS_BARE = "问题整改情况："
_MEASURES_LEAD = "整改措施方面"
_KINDS_LEAD = "反馈问题中"
# Recommendations are counted in 条, other problems in 个 (as the case notices do).
_KIND_UNIT = {k: ("条" if k is ProblemKind.RECOMMENDATION else "个") for k in ProblemKind}


# -- rendering ---------------------------------------------------------------------------------


def _clauses(figures: RoundFigures, unit: str, total: str, rate: str) -> list[str]:
    said = []
    if figures.total is not None:
        said.append(f"{total}{figures.total}{unit}")
    for value, word in (
        (figures.completed, "已完成"),
        (figures.basically_completed, "基本完成"),
        (figures.long_term, "需长期坚持"),
        (figures.unfinished, "尚未完成"),
        (figures.unknown, "整改情况未说明"),
    ):
        if value is not None:
            said.append(f"{word}{value}{unit}")
    if figures.rate_percent is not None:
        fraction = ""
        if figures.rate_numerator is not None and figures.rate_denominator is not None:
            fraction = f"（{figures.rate_numerator}/{figures.rate_denominator}）"
        said.append(f"{rate}{figures.rate_percent}%{fraction}")
    return said


def _title(summary: RoundSummary) -> str:
    return f"关于{summary.round_name or _GENERIC_NAME}整改进展情况的通报"


def _preamble(summary: RoundSummary) -> list[str]:
    parts = []
    if summary.inspecting_body is not None:
        parts.append(f"根据{summary.inspecting_body}统一部署")
    if summary.onsite is not None:
        parts.append(write_period(summary.onsite))
    teams = "" if summary.teams is None else f"{summary.teams}个巡察组"
    bodies = "" if summary.bodies_count is None else f"对{summary.bodies_count}个单位党组织"
    parts.append(f"{teams}{bodies}开展了巡察")
    second = "各被巡察单位党组织认真履行整改主体责任，现将整改进展情况通报如下。"
    if summary.as_of is not None:
        second = f"截至{write_date(FuzzyDate.of(summary.as_of))}，{second}"
    return ["，".join(parts) + "。", second]


def _overall(summary: RoundSummary) -> list[str]:
    lines = []
    said = _clauses(summary.problems, "个", "共反馈问题", "整改完成率")
    if said:
        head = (
            _PROBLEMS_LEAD
            if summary.problems.total is not None
            else _PROBLEMS_LEAD + _PROBLEMS_BARE
        )
        lines.append(head + "，".join(said) + "。")
    said = _clauses(summary.measures, "条", "共制定整改措施", "整改措施完成率")
    if said:
        lines.append(f"{_MEASURES_LEAD}，" + "，".join(said) + "。")
    if summary.kinds:
        kinds = "、".join(
            f"{PROBLEM_KIND_ZH[k]}{n}{_KIND_UNIT[k]}" for k, n in summary.kinds.items()
        )
        lines.append(f"{_KINDS_LEAD}，{kinds}。")
    sentence = accountability_sentence(summary.accountability)
    if sentence is not None:
        lines.append(sentence)
    return lines


def _body_line(number: int, body: BodyFigures) -> str:
    said = _clauses(body.problems, "个", "反馈问题", "整改完成率")
    tail = "：" + "，".join(said) if said else ""
    return f"（{cn_numeral(number)}）{body.body}{tail}。"


@attrs.frozen
class _View:
    title: str
    preamble: list[str]
    overall: list[str]
    bodies: list[str]
    invitation: str
    overall_heading: str = _OVERALL
    bodies_heading: str = _BY_BODY


def _view(summary: RoundSummary) -> _View:
    return _View(
        _title(summary),
        _preamble(summary),
        _overall(summary),
        [_body_line(n, b) for n, b in enumerate(summary.bodies, 1)],
        _INVITATION,
    )


_TEXT = """{{ v.title }}

{% for p in v.preamble %}{{ p }}
{% endfor %}
{{ v.overall_heading }}
{% for p in v.overall %}{{ p }}
{% endfor %}
{% if v.bodies %}{{ v.bodies_heading }}
{% for p in v.bodies %}{{ p }}
{% endfor %}{% endif %}
{{ v.invitation }}
"""

_MARKDOWN = """# {{ v.title | md }}

{% for p in v.preamble %}{{ p | md }}

{% endfor %}## {{ v.overall_heading | md }}

{% for p in v.overall %}{{ p | md }}

{% endfor %}{% if v.bodies %}## {{ v.bodies_heading | md }}

{% for p in v.bodies %}{{ p | md }}

{% endfor %}{% endif %}{{ v.invitation | md }}
"""

_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ v.title }}</title>
<style>
body { margin: 2em auto; max-width: 42em; padding: 0 1em; color: #000; background: #fff;
  font-family: "FangSong", "STFangsong", "SimSun", "Songti SC", serif; font-size: 16pt;
  line-height: 1.75; }
h1 { font-family: "SimHei", "Heiti SC", sans-serif; font-size: 22pt; text-align: center;
  font-weight: normal; }
h2 { font-family: "SimHei", "Heiti SC", sans-serif; font-size: 16pt; font-weight: normal; }
p { margin: 0; text-indent: 2em; }
@media print { body { margin: 0; max-width: none; } }
</style>
</head>
<body>
<article>
<h1>{{ v.title }}</h1>
{% for p in v.preamble %}<p>{{ p }}</p>
{% endfor %}<h2>{{ v.overall_heading }}</h2>
{% for p in v.overall %}<p>{{ p }}</p>
{% endfor %}{% if v.bodies %}<h2>{{ v.bodies_heading }}</h2>
{% for p in v.bodies %}<p>{{ p }}</p>
{% endfor %}{% endif %}<p>{{ v.invitation }}</p>
</article>
</body>
</html>
"""

# Every ASCII punctuation character is escaped (CommonMark lets each be), as case notices do.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


@functools.cache
def _templates() -> dict[str, jinja2.Template]:
    plain = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701 - text, not HTML
    plain.filters["md"] = lambda text: _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    html = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return {
        "text": plain.from_string(_TEXT),
        "markdown": plain.from_string(_MARKDOWN),
        "html": html.from_string(_HTML),
    }


def render_round_notice(summary: RoundSummary, format: RoundNoticeFormat = "text") -> str:
    """The round's progress notice: ``text`` (the genre as published), ``markdown`` or ``html``
    (a complete UTF-8 page with no external resource; everything escaped).

    Only what ``summary`` states is written (see the module docstring); compute the summary of a
    round with :func:`rectflow.round_summary`, which counts public content only.

    Raises:
        UnknownFormatError: an unknown format.
    """
    templates = _templates()
    if format not in templates:
        raise UnknownFormatError(format, ROUND_NOTICE_FORMATS)
    return templates[format].render(v=_view(summary))


# -- reading -----------------------------------------------------------------------------------

# Half-width punctuation as the full-width the patterns expect (never "." : it is a decimal point).
_FULL_WIDTH = str.maketrans(
    {
        ",": "，",
        ";": "；",
        ":": "：",
        "(": "（",
        ")": "）",
        "％": "%",
        "／": "/",
        "!": "！",
        "?": "？",
    }
)
# Web-page chrome around a notice's text (publication data, font and print buttons).
_CHROME = re.compile(
    r"^(?:发布时间|发布日期|来源|信息来源|浏览次数|阅读次数|点击数|【|字号|字体|分享到|打印|关闭)"
)
_TITLE = re.compile(r"关于(.+?)整改(?:工作)?进展情况的通报")
_BODY_LINE = re.compile(r"^（([〇零一二三四五六七八九十百千]+)）\s*(.+?)\s*$")
_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_N = r"\s*(\d{1,7})\s*"
_RATE = re.compile(
    r"^(?:整改)?(?:措施)?(?:整改)?完成率\s*(?:为|达到?|是)?\s*(\d{1,3}(?:\.\d{1,4})?)\s*%"
    r"(?:\s*（\s*(\d{1,7})\s*/\s*(\d{1,7})\s*）)?$"
)


def _figure_patterns(unit: str) -> list[tuple[str, re.Pattern[str]]]:
    u = f"[{unit}]"
    return [
        (
            "total",
            re.compile(
                rf"^(?:共|累计)?(?:反馈(?:问题)?|梳理(?:问题)?|发现问题|制定(?:整改)?措施|"
                rf"制定整改措施|问题|整改措施|措施){_N}{u}$"
            ),
        ),
        (
            "completed",
            re.compile(rf"^(?:已完成(?:整改)?|已整改完成|已整改到位|完成整改|已落实){_N}{u}$"),
        ),
        # 基本完成并持续推进 (basically completed, the work going on) is still 基本完成.
        ("basically_completed", re.compile(rf"^基本完成(?:整改)?(?:并持续推进)?{_N}{u}$")),
        ("long_term", re.compile(rf"^(?:需)?长期(?:坚持|整改){_N}{u}$")),
        ("unfinished", re.compile(rf"^(?:尚未完成|未完成|正在推进|持续推进|正在整改){_N}{u}$")),
        ("unknown", re.compile(rf"^整改情况未说明{_N}{u}$")),
    ]


_PROBLEM_FIGURES = _figure_patterns("个项")
_MEASURE_FIGURES = _figure_patterns("条项")
_KIND_BY_WORD = {
    word: kind for kind, word in PROBLEM_KIND_ZH.items() if kind is not ProblemKind.CLUE
}
_KIND = re.compile(
    "(" + "|".join(sorted(map(re.escape, _KIND_BY_WORD), key=len, reverse=True)) + rf"){_N}[个条项]"
)


@attrs.define
class _Reading:
    """A summary being read: each figure once, what is not read noted."""

    fields: dict[str, object] = attrs.Factory(dict)
    unread: list[Unread] = attrs.Factory(list)

    def skip(self, line: int, text: str, reason: str) -> None:
        self.unread.append(Unread(line, text if len(text) <= 200 else text[:199] + "…", reason))

    def set(self, key: str, value: object, line: int, text: str) -> None:
        if key in self.fields:
            self.skip(
                line, text, Msg("{key} is stated twice; the first statement is kept", key=key)
            )
        else:
            self.fields[key] = value


def _read_figures(clauses: list[str], line: int, reading: _Reading, unit: str) -> RoundFigures:
    """The figures of a sentence's clauses; an unread clause is noted, a repeated one too."""
    patterns = _PROBLEM_FIGURES if unit == "个" else _MEASURE_FIGURES
    found: dict[str, object] = {}
    for clause in clauses:
        text = clause.strip()
        if not text:
            continue
        rate = _RATE.match(text)
        if rate is not None:
            if "rate_percent" in found:
                reading.skip(line, text, N_("a second completion rate in one statement: not read"))
                continue
            found["rate_percent"] = rate[1]
            if rate[2] is not None:
                found["rate_numerator"], found["rate_denominator"] = int(rate[2]), int(rate[3])
            continue
        for key, pattern in patterns:
            match = pattern.match(text)
            if match is not None:
                if key in found:
                    reading.skip(
                        line, text, Msg("{key} is stated twice in one statement: not read", key=key)
                    )
                else:
                    found[key] = int(match[1])
                break
        else:
            reading.skip(
                line,
                text,
                N_(
                    "not a figure of a round notice (反馈问题X个, 已完成X个, 基本完成X个, "
                    "需长期坚持X个, 尚未完成X个, 整改情况未说明X个, 整改完成率X%)"
                ),
            )
    return RoundFigures(**found)  # type: ignore[arg-type]


_CLAUSE = re.compile(r"[，；、]")


def _split(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(text.rstrip("。")) if c.strip()]


def _preamble_sentence(sentence: str, line: int, reading: _Reading) -> None:
    deployed = re.search(r"根据(.+?)(?:的)?统一部署", sentence)
    if deployed:
        reading.set("inspecting_body", deployed[1].strip(), line, sentence)
    teams = re.search(rf"{_N}个巡察组", sentence)
    if teams:
        reading.set("teams", int(teams[1]), line, sentence)
    bodies = re.search(rf"对{_N}个(?:单位|部门)", sentence)
    if bodies:
        reading.set("bodies_count", int(bodies[1]), line, sentence)
    for found in read_dates(sentence, YearContext()):
        value = found.value
        if value is None:
            reading.skip(line, found.text, found.reason or N_("not a date"))
        elif isinstance(value, Period):
            reading.set("onsite", value, line, sentence)
        elif "自" in sentence and "起" in sentence:
            reading.set("onsite", Period(value, None), line, sentence)
        else:
            reading.skip(line, found.text, N_("a single day where the on-site period was expected"))
        break


def _sentence(sentence: str, line: int, reading: _Reading) -> None:
    text = sentence.strip()
    if not text or text.startswith("欢迎"):
        return
    if "开展了巡察" in text or "统一部署" in text:
        _preamble_sentence(text, line, reading)
    elif text.startswith("截至"):
        day = read_iso_date(text)
        if day is None:
            reading.skip(line, text, N_("截至 without a day written 2025年6月30日 or 2025-06-30"))
        else:
            reading.set("as_of", day.earliest, line, text)
    elif "通报如下" in text:
        return  # the preamble's closing formula, with no figure
    elif text.startswith(_PROBLEMS_LEAD):
        rest = text.removeprefix(_PROBLEMS_LEAD).removeprefix(_PROBLEMS_BARE)
        reading.set("problems", _read_figures(_split(rest), line, reading, "个"), line, text)
    elif text.startswith((_MEASURES_LEAD, "共制定整改措施")):
        rest = text.removeprefix(_MEASURES_LEAD)
        reading.set("measures", _read_figures(_split(rest), line, reading, "条"), line, text)
    elif text.startswith(_KINDS_LEAD):
        kinds: dict[ProblemKind, int] = {}
        for clause in _split(text.removeprefix(_KINDS_LEAD)):
            match = _KIND.fullmatch(clause.strip())
            if match is None:
                reading.skip(
                    line, clause.strip(), N_("not a count of a kind of problem (重点问题X个)")
                )
            elif _KIND_BY_WORD[match[1]] in kinds:
                reading.skip(line, clause.strip(), N_("this kind is counted twice: not read"))
            else:
                kinds[_KIND_BY_WORD[match[1]]] = int(match[2])
        reading.set("kinds", {k: kinds[k] for k in ProblemKind if k in kinds}, line, text)
    elif "问责" in text:
        counts = read_accountability([Line(line, text)])
        if counts:
            reading.set("accountability", counts, line, text)
        else:
            reading.skip(line, text, N_("问责 without a count by form (诫勉谈话X人)"))
    else:
        reading.skip(line, text, N_("not a statement a round notice makes; not read"))


def _body(match: re.Match[str], line: int, reading: _Reading, bodies: list[BodyFigures]) -> None:
    number = cn_number(match[1])
    if number != len(bodies) + 1:
        reading.skip(
            line,
            match[0],
            Msg(
                "body （{number}） is out of order (expected {expected}); kept in place",
                number=match[1],
                expected=len(bodies) + 1,
            ),
        )
    rest = match[2].rstrip("。")
    name, _, said = rest.partition("：")
    if not name.strip():
        reading.skip(line, match[0], N_("a body's line without the body's name"))
        return
    bodies.append(BodyFigures(name.strip(), _read_figures(_split(said), line, reading, "个")))


def parse_round_notice(text: str) -> RoundSummary:
    """Read a round's progress notice into a :class:`RoundSummary`; what is not read is in its
    ``unread``, each piece with its line and the reason.

    Raises:
        NoticeParseError: the text is not a round notice at all: no title (关于…整改进展情况的通报)
            and no figure of one.
    """
    if not isinstance(text, str):
        raise NoticeParseError(
            Msg(
                "expected the notice as text (str), got {type}; decode bytes "
                "first, e.g. data.decode('utf-8')",
                type=type(text).__name__,
            )
        )
    lines = [Line(line.number, line.text.translate(_FULL_WIDTH)) for line in split_lines(text)]
    reading = _Reading()
    start = 0
    titled = False
    for index, line in enumerate(lines):
        title = _TITLE.search(line.text)
        if title is not None:
            name = title[1].strip()
            if name != _GENERIC_NAME:
                reading.fields["round_name"] = name
            start, titled = index + 1, True
            break
    bodies: list[BodyFigures] = []
    in_bodies = False
    for line in lines[start:]:
        if not line.text:
            continue
        if line.text.startswith("欢迎"):
            break  # the invitation closes the notice: what follows is signature and chrome
        if _CHROME.match(line.text):
            continue
        if _HEADING.match(line.text):
            in_bodies = "各单位" in line.text or "各被巡察单位" in line.text
            continue
        body = _BODY_LINE.match(line.text) if in_bodies else None
        if body is not None:
            _body(body, line.number, reading, bodies)
            continue
        for _, sentence in sentences(line.text):
            _sentence(sentence, line.number, reading)
    fields = reading.fields
    if not titled and not fields and not bodies:
        raise NoticeParseError(
            N_(
                "this is not a round's progress notice: no title (关于…整改进展情况的通报) and no "
                "figure (本轮巡察共反馈问题X个…)"
            ),
            line=None,
        )
    return RoundSummary(**fields, bodies=tuple(bodies), unread=tuple(reading.unread))  # type: ignore[arg-type]
