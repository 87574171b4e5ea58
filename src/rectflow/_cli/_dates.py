"""The day a command is told, ``today`` included, and the language it answers in.

Nothing in rectflow reads the clock on its own: a command that records an event takes its day
as ``--on YYYY-MM-DD``, and ``--on today`` is the explicit way to say "the day I run this".
:func:`today` is the one place the command line reads the clock, and only for that word.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

import click

from rectflow._cli.case import DAY

__all__ = ["DAY_OR_TODAY", "LANGS", "TODAY", "default_lang", "today"]

TODAY = "today"
LANGS = ("en", "zh")

if TYPE_CHECKING:
    # click 8.2+ types ParamType as generic; older releases do not (see _cli.case).
    _ParamType = click.ParamType[dt.date, Any]
else:
    _ParamType = click.ParamType


def today() -> dt.date:
    """The clock's day: read only when a user writes ``today`` for a date."""
    return dt.date.today()


class _DayOrToday(_ParamType):
    """A day written ``YYYY-MM-DD``, or the word ``today`` (the clock's day, said explicitly)."""

    name = "YYYY-MM-DD|today"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.strip().lower() == TODAY:
            return today()
        return DAY.convert(value, param, ctx)


DAY_OR_TODAY = _DayOrToday()


def default_lang() -> str:
    """``zh`` when the locale says Chinese (``zh_CN``, ``zh_CN.UTF-8`` …), else ``en``.

    The locale is read the way POSIX programs read it for messages: ``LC_ALL``, then
    ``LC_MESSAGES``, then ``LANG``; the first that is set decides.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.startswith("zh_CN") else "en"
    return "en"
