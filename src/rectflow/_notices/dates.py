"""Dates as notices write them, read and written: 2023年9月8日, 8月上旬, 2021年6月, 12月3日.

Reading finds every date or period in a sentence and says, for each, what it is: a
:class:`~rectflow.FuzzyDate`, a :class:`~rectflow.Period`, or text that looks like a date but
cannot be read with confidence (``2024717日至830日`` lost its 年 and 月). A date without a year
("12月3日") takes the year of the date written before it in the notice and is marked
``inferred``; the reading says how, so the importer can warn. Nothing here guesses silently.

Every pattern is anchored or bounded (no nested quantifier over a long span), so reading is linear
in the length of the text.
"""

from __future__ import annotations

import re

import attrs

from rectflow._core.dates import Dekad, FuzzyDate, Period
from rectflow._core.labels import DEKAD_ZH
from rectflow._i18n import Msg
from rectflow.errors import InvalidDateError

__all__ = [
    "DateReading",
    "YearContext",
    "read_dates",
    "read_iso_date",
    "write_date",
    "write_period",
]

_DEKAD_BY_CHAR = {DEKAD_ZH[d][0]: d for d in Dekad}  # 上 中 下
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}

# One date: a year with optional month and day or dekad; or, without a year, a month with a day
# or a dekad (a bare "6月" is too often a count of months to read as a date).
_DATE = (
    r"(?:(?P<{p}y>\d{{4}})年(?:(?P<{p}m>\d{{1,2}})月(?:(?P<{p}d>\d{{1,2}})[日号]"
    r"|(?P<{p}k>[上中下])旬)?)?"
    r"|(?P<{p}m2>\d{{1,2}})月(?:(?P<{p}d2>\d{{1,2}})[日号]|(?P<{p}k2>[上中下])旬))"
)
_END = (
    r"(?:(?P<ey>\d{4})年(?:(?P<em>\d{1,2})月(?:(?P<ed>\d{1,2})[日号]|(?P<ek>[上中下])旬)?)?"
    r"|(?P<em2>\d{1,2})月(?:(?P<ed2>\d{1,2})[日号]|(?P<ek2>[上中下])旬)?)"
)
# Text that looks like a date but lost its markers, tried before the proper forms: a "day" of
# three or more digits ("2024717日", "2024年717日"; but "120日内" is a duration), a digit run
# before 年 longer than a year, or a day without its 日 ("2024年7月17").
_GARBLED = (
    r"(?P<garbled>(?:\d{4}年)?\d{3,12}[日号](?!内)(?:(?:至|到|—|－|-|~|～)(?:\d{1,8}[年月日号]){1,3})?"
    r"|\d{5,12}年)"
    r"|(?P<noday>\d{4}年\d{1,2}月\d{1,2}(?![日号\d]))"
)
_CN_DATE = (
    r"(?P<cny>[〇零一二三四五六七八九]{4})年(?P<cnm>[一二三四五六七八九十]{1,3})月"
    r"(?:(?P<cnd>[一二三四五六七八九十]{1,3})日)?"
)
_PATTERN = re.compile(
    r"(?<![\d〇零一二三四五六七八九十])(?:"
    + _GARBLED
    + r"|"
    + _CN_DATE
    + r"|(?P<open>自)?(?:"
    + _DATE.format(p="s")
    + r")(?:(?P<to>至|到|—|－|~|～)(?:"
    + _END
    + r")(?P<until>止)?|(?P<from>起))?"
    r")(?!\d)"
)
_ISO = re.compile(r"(?<!\d)(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?!\d)")


@attrs.define(slots=True)
class YearContext:
    """The last date read, from which a date without a year takes its year.

    Attributes:
        last: the latest date read so far, in reading order.
    """

    last: FuzzyDate | None = None

    def remember(self, date: FuzzyDate) -> None:
        """Make ``date`` the one later year-less dates are read against."""
        self.last = date


@attrs.frozen(slots=True)
class DateReading:
    """A date or period found in a sentence, or text that looks like one and could not be read.

    Attributes:
        start: where it starts in the sentence.
        end: where it ends.
        text: the text as written.
        value: the date or period; ``None`` when it could not be read.
        reason: why it could not be read (when ``value`` is ``None``).
        note: how a missing year was supplied, when it was inferred.
    """

    start: int
    end: int
    text: str
    value: FuzzyDate | Period | None
    reason: str | None = None
    note: str | None = None


def _cn_int(text: str) -> int:
    """A Chinese numeral up to 99: 四, 十, 十二, 二十, 三十一."""
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else -1
    tens, _, units = text.partition("十")
    value = (_CN_DIGITS[tens] if tens else 1) * 10
    return value + (_CN_DIGITS[units] if units else 0)


def _splits(digits: str) -> list[tuple[int, int]]:
    """The (month, day) pairs a run of 2-4 digits can mean."""
    pairs = []
    for cut in (1, 2):
        month, day = digits[:cut], digits[cut:]
        if 1 <= len(day) <= 2 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            pairs.append((int(month), int(day)))
    return pairs


def _garbled_reason(text: str) -> str:
    """Why a garbled date is not read, with the readings it might have had."""
    runs = re.findall(r"\d+", text)
    readings: list[str] = []
    if runs and len(runs[0]) >= 5:
        year, rest = runs[0][:4], runs[0][4:]
        readings = [f"{year}-{m:02d}-{d:02d}" for m, d in _splits(rest)]
        runs = runs[1:]
    elif len(runs) > 1 and len(runs[0]) == 4:
        readings = [f"{runs[0]}-{m:02d}-{d:02d}" for m, d in _splits(runs[1])]
        runs = runs[2:]
    if readings and runs:
        ends = [f"{m:02d}-{d:02d}" for m, d in _splits(runs[0])]
        readings = [f"{r} to {' or '.join(ends) or '?'}" for r in readings]
    if readings:
        return Msg(
            "garbled date {text!r}: the 年/月/日 markers are missing, so year, month and day "
            "cannot be told apart (it may mean {readings}); write it as e.g. 2024年7月17日",
            text=text,
            readings=" or ".join(readings),
            zh={"readings": "或".join(readings)},
        )
    return Msg(
        "garbled date {text!r}: the 年/月/日 markers are missing, so year, month and day "
        "cannot be told apart; write it as e.g. 2024年7月17日",
        text=text,
    )


def _infer_year(month: int, context: YearContext) -> tuple[int, str] | None:
    """The year for a year-less date in ``month``, and how it was found."""
    last = context.last
    if last is None:
        return None
    year = last.year
    note = Msg("year {year} taken from the date before it ({last})", year=year, last=last)
    if last.month is not None and month < last.month:
        year += 1
        note = Msg(
            "year {year} inferred: the month comes before that of the date before it ({last})",
            year=year,
            last=last,
        )
    return year, note


def _make(
    year: int, month: str | None, day: str | None, dekad: str | None, *, inferred: bool = False
) -> FuzzyDate:
    return FuzzyDate(
        year,
        int(month) if month else None,
        int(day) if day else None,
        _DEKAD_BY_CHAR[dekad] if dekad else None,
        inferred=inferred,
    )


def _read_one(match: re.Match[str], context: YearContext) -> DateReading:
    text = match.group(0)
    start, end = match.span()
    if match["garbled"]:
        return DateReading(start, end, text, None, _garbled_reason(text))
    if match["noday"]:
        return DateReading(
            start,
            end,
            text,
            None,
            Msg("{text!r} has a day without 日; write it as {text}日", text=text),
        )
    if match["cny"]:
        year = int("".join(str(_CN_DIGITS[c]) for c in match["cny"]))
        month = _cn_int(match["cnm"])
        day = _cn_int(match["cnd"]) if match["cnd"] else None
        if month < 1 or (match["cnd"] and (day is None or day < 1)):
            return DateReading(start, end, text, None, Msg("{text!r} is not a date", text=text))
        return DateReading(start, end, text, FuzzyDate(year, month, day))
    note = None
    if match["sy"]:
        first = _make(int(match["sy"]), match["sm"], match["sd"], match["sk"])
    else:
        inferred = _infer_year(int(match["sm2"]), context)
        if inferred is None:
            return DateReading(
                start,
                end,
                text,
                None,
                Msg(
                    "{text!r} has no year and no date with a year comes before it; "
                    "write the year (e.g. 2024年{text})",
                    text=text,
                ),
            )
        year, note = inferred
        first = _make(year, match["sm2"], match["sd2"], match["sk2"], inferred=True)
    if match["from"]:
        return DateReading(start, end, text, Period(first), note=note)
    if not match["to"]:
        return DateReading(start, end, text, first, note=note)
    if match["ey"]:
        last = _make(int(match["ey"]), match["em"], match["ed"], match["ek"])
    else:
        # "2023年9月8日至12月27日": the end is in the start's year, or the next one when its
        # month comes earlier. That is how the period is written, not a guess, so not inferred.
        month = int(match["em2"])
        year = first.year + (1 if first.month is not None and month < first.month else 0)
        last = _make(year, match["em2"], match["ed2"], match["ek2"], inferred=first.inferred)
    return DateReading(start, end, text, Period(first, last), note=note)


def read_dates(sentence: str, context: YearContext) -> list[DateReading]:
    """Every date, period or garbled date in ``sentence``, in order.

    Year-less dates take their year from ``context``, which each date read updates. A date that
    cannot exist (2023年2月30日) or a period that ends before it starts comes back unread, with
    the reason.
    """
    readings = []
    for match in _PATTERN.finditer(sentence):
        try:
            reading = _read_one(match, context)
        except InvalidDateError as error:
            text = match.group(0)
            reason = f"{text!r} is not a date: {error.reason}"
            reading = DateReading(match.start(), match.end(), text, None, reason)
        value = reading.value
        if isinstance(value, Period):
            context.remember(value.end or value.start)
        elif value is not None:
            context.remember(value)
        readings.append(reading)
    return readings


def read_iso_date(text: str) -> FuzzyDate | None:
    """The first ``2024-09-05`` / ``2024/9/5`` / ``2024年9月5日`` day in ``text``, if valid."""
    match = _ISO.search(text)
    if match is None:
        return None
    try:
        return FuzzyDate(int(match[1]), int(match[2]), int(match[3]))
    except InvalidDateError:
        return None


def write_date(date: FuzzyDate) -> str:
    """A date as a notice writes it, always with its year: 2020年8月上旬, 2021年6月, 2021年."""
    if date.month is None:
        return f"{date.year}年"
    if date.day is not None:
        return f"{date.year}年{date.month}月{date.day}日"
    if date.dekad is not None:
        return f"{date.year}年{date.month}月{DEKAD_ZH[date.dekad]}"
    return f"{date.year}年{date.month}月"


def write_period(period: Period) -> str:
    """A period as a notice writes it: 2023年9月8日至2023年12月27日, or 自2025年4月7日起."""
    if period.end is None:
        return f"自{write_date(period.start)}起"
    return f"{write_date(period.start)}至{write_date(period.end)}"
