"""The day a command is told, ``today`` included, and the language it answers in
(``default_lang``, from :mod:`rectflow._i18n`).

Nothing in rectflow reads the clock on its own: a command that records an event takes its day
as ``--on YYYY-MM-DD``, and ``--on today`` is the explicit way to say "the day I run this".
:func:`today` is the one place the command line reads the clock, and only for that word.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from rectflow._cli.case import DAY
from rectflow._i18n import LANGS, default_lang

__all__ = ["DAY_ARGUMENT", "DAY_OR_TODAY", "LANGS", "TODAY", "default_lang", "today"]

TODAY = "today"

if TYPE_CHECKING:
    # click 8.2+ types ParamType as generic; older releases do not (see _cli.case).
    _ParamType = click.ParamType[dt.date, Any]
else:
    _ParamType = click.ParamType


def today() -> dt.date:
    """The clock's day: read only when a user writes ``today`` for a date."""
    return dt.date.today()


class _Day(_ParamType):
    """A day written ``YYYY-MM-DD`` (or, where allowed, the word ``today``): anything else is
    the user's mistake, one line naming the option or the argument (``DATE``) and exit 2."""

    def __init__(self, *, allow_today: bool) -> None:
        self.allow_today = allow_today
        self.name = "YYYY-MM-DD|today" if allow_today else "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if self.allow_today and isinstance(value, str) and value.strip().lower() == TODAY:
            return today()
        if isinstance(param, click.Argument):
            # Named as --help shows it (DATE, NEW_DATE), not by its Python name.
            return DAY.convert(value, _Named(param.human_readable_name), ctx)
        return DAY.convert(value, param, ctx)


class _Named(click.Option):
    """Only a name for the refusal's message."""

    def __init__(self, name: str) -> None:
        super().__init__([f"--{name.lower()}"])
        self.opts = [name]


DAY_OR_TODAY = _Day(allow_today=True)
DAY_ARGUMENT = _Day(allow_today=False)
