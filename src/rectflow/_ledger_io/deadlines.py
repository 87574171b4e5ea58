"""The 完成时限 column: deadlines as offices write them, read to a day, and written back.

A measure's deadline in rectflow is a day (``Measure.due_on``): the last day the work may be
done. Ledgers write it many ways; each is read to the last day it allows:

* a date cell, or ``2024-06-30`` · ``2024/6/30`` · ``2024.6.30`` · ``2024年6月30日`` → that day;
* a month: ``2024年6月`` · ``2024年6月底`` · ``2024年6月末`` → its last day (2024-06-30);
* a dekad: ``2024年6月上旬`` / ``中旬`` / ``下旬`` → its last day (the 10th, the 20th, the end);
* a year: ``2024年底`` · ``2024年年底`` · ``2024年末`` · ``2024年`` → 31 December;
* half years and quarters: ``2024年上半年`` → 30 June, ``2024年下半年`` → 31 December,
  ``2024年第三季度`` / ``2024年三季度`` → 30 September;
* with ``前`` / ``之前`` / ``以前`` / ``止`` / ``完成`` after it (``2024年6月30日前``);
* Chinese numerals: ``二〇二四年六月底``; full-width digits: ``２０２４年６月``;
* without a year (``6月30日前``, ``6月底``): the year of the deadline read above it in the
  sheet (a warning says so), or the year the caller gives; otherwise the cell is refused;
* words with no day: ``长期坚持`` (and 长期, 持续推进, 常态化推进) is long-term work: no deadline,
  tagged ``长期坚持``; ``立行立改`` (and 立即整改, 即知即改) is immediate rectification: no
  deadline, tagged ``立行立改``.

Anything else is refused with the reason, so the importer can name the cell.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Final

import attrs

from rectflow._i18n import N_, Msg

__all__ = [
    "IMMEDIATE",
    "LONG_TERM",
    "Deadline",
    "DeadlineError",
    "normalise",
    "read_deadline",
]

LONG_TERM: Final = "长期坚持"
"""The tag of a measure whose 完成时限 is long-term work (no deadline)."""

IMMEDIATE: Final = "立行立改"
"""The tag of a measure whose 完成时限 is immediate rectification (no deadline)."""

_LONG_WORDS = ("长期坚持", "长期整改", "长期推进", "持续推进", "常态化推进", "常态化", "长期")
_IMMEDIATE_WORDS = ("立行立改", "立即整改", "即知即改", "立查立改", "立即")

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．／－：", "0123456789./-:")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})年")
_CN_SMALL = re.compile(r"([一二三四五六七八九十]{1,3})(?=[月日号])")
_SUFFIX = re.compile(r"(?:之前|以前|前|止|为止|完成|内|底前|末前)+$")

_EXACT = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")
_MONTH = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(上旬|中旬|下旬|底|末|份)?")
_YEAR = re.compile(r"(\d{4})年?(年底|年末|底|末|全年)?")
_HALF = re.compile(r"(\d{4})年(上半年|下半年)")
_QUARTER = re.compile(r"(\d{4})年(?:第)?([一二三四1-4])季度(?:末|底)?")

_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DEKAD_END = {"上旬": 10, "中旬": 20}


class DeadlineError(ValueError):
    """A 完成时限 that cannot be read; ``reason`` says why and ``fix`` how to write it."""

    def __init__(self, reason: str, fix: str) -> None:
        self.reason = reason
        self.fix = fix
        super().__init__(f"{reason}; {fix}")


@attrs.frozen
class Deadline:
    """What a 完成时限 cell says.

    Attributes:
        day: the last day the work may be done, or ``None`` (long-term, immediate, blank).
        tag: ``长期坚持`` or ``立行立改`` when the cell says so, else ``None``.
        year_from: when the text had no year, where it was taken from (for a warning).
    """

    day: dt.date | None = None
    tag: str | None = None
    year_from: str | None = None


def normalise(text: str) -> str:
    """The text with full-width digits and punctuation made ASCII and white space removed."""
    return "".join(text.translate(_FULL_WIDTH).split())


def _cn_small(text: str) -> str:
    """A Chinese numeral from 一 to 三十一 as digits (十 → 10, 十二 → 12, 二十一 → 21)."""
    if "十" not in text:
        return _CN_DIGIT.get(text, text) if len(text) == 1 else text
    tens, _, units = text.partition("十")
    value = (int(_CN_DIGIT[tens]) if tens else 1) * 10 + (int(_CN_DIGIT[units]) if units else 0)
    return str(value)


def _arabic(text: str) -> str:
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[c] for c in m[1]) + "年", text)
    return _CN_SMALL.sub(lambda m: _cn_small(m[1]), text)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DeadlineError(
            Msg(
                "{text!r} is not a date ({year}-{month}-{day} does not exist)",
                text=text,
                year=year,
                month=month,
                day=day,
            ),
            N_("write a day that exists, e.g. 2024年6月30日"),
        ) from None


def _check_month(month: int, text: str) -> None:
    if not 1 <= month <= 12:
        raise DeadlineError(
            Msg("{text!r} has month {month}", text=text, month=month),
            N_("write a month from 1 to 12"),
        )


def _year(
    written: str | None, month: int, context: dt.date | None, default_year: int | None
) -> tuple[int, str | None]:
    if written:
        return int(written), None
    if context is not None:
        year = context.year + (1 if month < context.month else 0)
        return year, Msg(
            "year {year} taken from the deadline above it ({above})", year=year, above=str(context)
        )
    if default_year is not None:
        return default_year, Msg("year {year} as given", year=default_year)
    raise DeadlineError(
        N_("it has no year and no deadline with a year is above it"),
        N_("write the year (e.g. 2024年6月30日), or give the year to assume (--year)"),
    )


def read_deadline(
    value: object, *, context: dt.date | None = None, default_year: int | None = None
) -> Deadline:
    """Read a 完成时限 cell's value (a date, a datetime or text) as a :class:`Deadline`.

    Args:
        value: the cell's value; ``None`` or blank text is no deadline.
        context: the deadline read above it, which a year-less one takes its year from (the
            next year when its month comes earlier).
        default_year: the year for a year-less deadline with no ``context``.

    Raises:
        DeadlineError: the value is not a deadline; its ``reason`` and ``fix`` say why and how.
    """
    if value is None:
        return Deadline()
    if isinstance(value, dt.datetime):
        return Deadline(value.date())
    if isinstance(value, dt.date):
        return Deadline(value)
    if isinstance(value, bool) or not isinstance(value, str):
        raise DeadlineError(
            Msg("{value!r} is a number, not a date", value=value),
            N_("format the cell as a date, or write the deadline as text (2024年6月30日)"),
        )
    text = _arabic(normalise(value))
    if not text:
        return Deadline()
    tag = None
    if any(word in text for word in _LONG_WORDS):
        tag = LONG_TERM
    elif any(word in text for word in _IMMEDIATE_WORDS):
        tag = IMMEDIATE
    for word in (*_LONG_WORDS, *_IMMEDIATE_WORDS):
        text = text.replace(word, "")
    text = text.strip("，,；;、。()（）")
    if not text:
        return Deadline(None, tag)
    day, year_from = _read_day(_SUFFIX.sub("", text), value, context, default_year)
    return Deadline(day, tag, year_from)


def _read_day(
    text: str, original: str, context: dt.date | None, default_year: int | None
) -> tuple[dt.date, str | None]:
    # A period ("2024年6月至12月") is due at its end.
    for cut in ("至", "到", "~", "～", "—"):
        if cut in text:
            text = text.rsplit(cut, 1)[1]
            if "年" not in text and (match := re.match(r"\d{4}年", original.strip())):
                text = match[0] + text
    if m := _EXACT.fullmatch(text):
        _check_month(int(m[2]), original)
        return _day(int(m[1]), int(m[2]), int(m[3]), original), None
    if m := _DAY.fullmatch(text):
        month = int(m[2])
        _check_month(month, original)
        year, note = _year(m[1], month, context, default_year)
        return _day(year, month, int(m[3]), original), note
    if m := _MONTH.fullmatch(text):
        month = int(m[2])
        _check_month(month, original)
        year, note = _year(m[1], month, context, default_year)
        end = _DEKAD_END.get(m[3] or "")
        return (_day(year, month, end, original) if end else _month_end(year, month)), note
    if m := _HALF.fullmatch(text):
        return dt.date(
            int(m[1]), 6 if m[2] == "上半年" else 12, 30 if m[2] == "上半年" else 31
        ), None
    if m := _QUARTER.fullmatch(text):
        return _month_end(int(m[1]), _QUARTERS[m[2]] * 3), None
    if m := _YEAR.fullmatch(text):
        return dt.date(int(m[1]), 12, 31), None
    raise DeadlineError(
        Msg("{text!r} is not a deadline rectflow reads", text=original.strip()),
        N_(
            "write a date (2024年6月30日, 2024-06-30, 2024年6月底, 2024年底前) "
            "or 长期坚持 / 立行立改"
        ),
    )
