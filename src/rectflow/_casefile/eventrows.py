"""Reading a case file's event log straight into the log's rows, when it is written as
``save_case`` writes it.

The event log is most of a big case file (five events a measure: 60 % of the text of a
10,000-measure file) and most of the time the TOML parser spends on it builds one table per
event, which the loader then takes apart into a row. :func:`loads_document` parses the text
before the first ``[[events]]`` line with the TOML parser, and reads the events after it with
one regular expression that accepts only the exact form the writer gives them: the keys in
the model's order, one ``key = value`` a line, strings double-quoted with TOML's escapes,
integers and finite floats in decimal, days as ``YYYY-MM-DD``, an optional ``[events.data]``
table of plain values. Each event read so becomes its row, with its ``data`` checked as the
loader checks it.

Anything else (a comment, other spacing, a key out of order or twice, a time, inf or nan in an
event, an invalid day, an unknown escape, a table after the log, CRLF line ends, an ``events``
key before the first ``[[events]]`` line, a seq below 1) is not guessed at: the events are then
parsed by the TOML parser, as before, and the loader's strict converter reads them and says
where and why one is wrong. So the document is the parser's, value for value, and every
refusal is the parser's or the converter's, with the same message and line
(``tests/casefile/test_event_rows.py`` holds the two readings equal, on written files and on
mutated ones).

Why reading the two parts apart gives the parser's document: TOML is read from the start, and
the line ``[[events]]`` outside a string begins an array-of-tables element whatever came
before; the text before it is a TOML document of its own that holds no ``events`` key (it is
refused otherwise), and the text after it defines nothing but that array. A ``[[events]]``
line inside a multi-line string leaves the text before it with an unclosed string, which the
parser refuses, and the whole text is then parsed as one.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rectflow._casefile.document import PlainRows, structure_event_data
from rectflow._core.events import EventRow
from rectflow._inputs import TOML_ERRORS, loads_toml

__all__ = ["loads_document"]

_HEADER = "[[events]]\n"

# A basic string's content: any character but a quote, a backslash and the control characters
# other than tab, or one of TOML 1.0's escapes (what the pinned parsers read).
_STRING = r'"((?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\(?:[btnfr"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*)"'
_DAY = r"([0-9]{4}-[0-9]{2}-[0-9]{2})"
_EVENT = re.compile(
    r"\[\[events\]\]\n"
    r"seq = ([1-9][0-9]{0,17})\n"  # beyond 18 digits the parser decides
    rf"trigger = {_STRING}\n"
    rf"target = {_STRING}\n"
    rf"on = {_DAY}\n"
    rf"(?:actor = {_STRING}\n)?"
    rf"(?:note = {_STRING}\n)?"
    rf"(?:recorded_on = {_DAY}\n)?"
    r"(?:\n\[events\.data\]\n((?:[A-Za-z0-9_-]+ = [^\n]*\n)*))?"
    r"\n*"
)
_DATA_LINE = re.compile(
    r"([A-Za-z0-9_-]+) = (?:"
    rf"{_STRING}"
    r"|(-?(?:0|[1-9][0-9]{0,17}))"  # an integer (a longer one: the parser decides)
    r"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+))"  # a finite float
    r"|(true|false)"
    rf"|{_DAY}"
    r")\n"
)
_ESCAPE = re.compile(r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_ESCAPED = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _NotPlainError(Exception):
    """The events are not written as the writer writes them: the parser reads them."""


def loads_document(text: str) -> dict[str, Any]:
    """``text`` parsed as :func:`rectflow._inputs.loads_toml` parses it, except that an event
    log written as ``save_case`` writes it comes back as a :class:`PlainRows` of the log's rows
    instead of a list of tables; raises what ``loads_toml`` raises."""
    if text.startswith(_HEADER):
        start = 0
    else:
        start = text.find("\n" + _HEADER) + 1
        if start == 0:
            return loads_toml(text)
    try:
        head = loads_toml(text[:start])
    except TOML_ERRORS:
        return loads_toml(text)  # the whole text decides (and a refusal says its own line)
    except RecursionError:
        return loads_toml(text)
    if "events" in head:
        return loads_toml(text)
    try:
        rows = _rows(text, start)
    except _NotPlainError:
        return loads_toml(text)
    head["events"] = rows
    return head


def _rows(text: str, start: int) -> PlainRows:
    rows: list[EventRow] = []
    append = rows.append
    days: dict[str, dt.date] = {}
    names: dict[str, str] = {}  # one string for each trigger, target and actor named again
    end = len(text)
    position = start
    match = _EVENT.match
    while position < end:
        found = match(text, position)
        if found is None:
            raise _NotPlainError
        position = found.end()
        seq, trigger, target, on, actor, note, recorded_on, data = found.groups()
        if data is None:
            pairs: tuple[tuple[str, Any], ...] = ()
        else:
            pairs = _data(data, days)
        append(
            (
                int(seq),
                _name(trigger, names),
                _name(target, names),
                _day(on, days),
                None if actor is None else _name(actor, names),
                None if note is None else _string(note),
                None if recorded_on is None else _day(recorded_on, days),
                pairs,
            )
        )
    return PlainRows(rows)


def _string(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return _ESCAPE.sub(_unescape, raw)


def _unescape(escape: re.Match[str]) -> str:
    simple, short, long = escape.groups()
    if simple is not None:
        return _ESCAPED[simple]
    code = int(short if short is not None else long, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _NotPlainError  # not a Unicode scalar value: the parser refuses it, with its line
    return chr(code)


def _name(raw: str, names: dict[str, str]) -> str:
    value = names.get(raw)
    if value is None:
        value = names[raw] = _string(raw)
    return value


def _day(raw: str, days: dict[str, dt.date]) -> dt.date:
    day = days.get(raw)
    if day is None:
        try:
            day = days[raw] = dt.date.fromisoformat(raw)
        except ValueError:
            raise _NotPlainError from None  # not a day (2021-02-30): the parser says so, and where
    return day


def _data(lines: str, days: dict[str, dt.date]) -> tuple[tuple[str, Any], ...]:
    table: dict[str, Any] = {}
    position = 0
    for line in _DATA_LINE.finditer(lines):
        if line.start() != position:
            raise _NotPlainError
        position = line.end()
        key, string, integer, number, boolean, day = line.groups()
        if key in table:
            raise _NotPlainError  # a key given twice: the parser refuses it
        if string is not None:
            table[key] = _string(string)
        elif integer is not None:
            table[key] = int(integer)
        elif number is not None:
            table[key] = float(number)  # what the parser makes of it (without underscores)
        elif boolean is not None:
            table[key] = boolean == "true"
        else:
            table[key] = _day(day, days)
    if position != len(lines):
        raise _NotPlainError
    try:
        return structure_event_data(table)
    except Exception:  # the converter refuses it, with its key path
        raise _NotPlainError from None
