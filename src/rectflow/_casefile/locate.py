"""Finding the line of a key path in a TOML text, for error messages.

``tomllib`` keeps no positions, so when a case file is wrong we scan its text once more and note
where each table, key and array element starts, following ``[table]`` and ``[[array]]`` headers
(counting the occurrences of each array of tables), dotted keys, inline tables and multi-line
arrays. Only error paths call this; it answers ``None`` rather than guess when the text is not
shaped as expected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

__all__ = ["KeyPath", "format_key_path", "locate"]

KeyPath = tuple[str | int, ...]
"""A path into a TOML document: keys and array indices, e.g. ``("categories", 1, "id")``."""

_BARE = re.compile(r"[A-Za-z0-9_-]+")
# Unrolled loops ("normal* (special normal*)*"): linear and fast on long strings.
_BASIC = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_ML_BASIC = re.compile(r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""("{0,2})', re.DOTALL)
_ML_LITERAL = re.compile(r"'''[^']*(?:'(?!'')[^']*)*'''('{0,2})", re.DOTALL)
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}[^,\]}\s#]*")
_SCALAR = re.compile(r"[^,\]}\s#]+")
_SPACE = re.compile(r"[ \t]*")
_BLANK = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_BARE_PART = re.compile(r"[A-Za-z0-9_-]+\Z")


class _ShapeError(Exception):
    """The text is not shaped as the scanner expects."""


def format_key_path(path: KeyPath) -> str:
    """``("categories", 1, "problems", 0, "id")`` -> ``categories[1].problems[0].id``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _BARE_PART.match(part) else json.dumps(part, ensure_ascii=False)
            text += f".{name}" if text else name
    return text


def locate(text: str, path: KeyPath) -> int | None:
    """The 1-based line where ``path`` (or its deepest enclosing table or key) is written."""
    best: int | None = None
    best_depth = 0
    try:
        for found, offset in _Scanner(text).items():
            if found == path:
                return text.count("\n", 0, offset) + 1
            if best_depth < len(found) < len(path) and path[: len(found)] == found:
                best, best_depth = offset, len(found)
    except (_ShapeError, IndexError):
        pass
    return None if best is None else text.count("\n", 0, best) + 1


class _Scanner:
    """Walks a TOML text and yields ``(key path, offset)`` for everything that has a key path."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        # How many elements each array of tables has so far, by its concrete path.
        self.arrays: dict[KeyPath, int] = {}

    def items(self) -> Iterator[tuple[KeyPath, int]]:
        text = self.text
        table: KeyPath = ()
        while True:
            self._blank()
            if self.pos >= len(text):
                return
            start = self.pos
            if text.startswith("[[", start):
                self.pos += 2
                parts = self._key()
                self._expect("]]")
                parent = self._resolve(parts[:-1])
                yield from ((parent[:depth], start) for depth in range(1, len(parent) + 1))
                array = (*parent, parts[-1])
                index = self.arrays.get(array, 0)
                self.arrays[array] = index + 1
                if index == 0:
                    yield array, start
                table = (*array, index)
                yield table, start
            elif text.startswith("[", start):
                self.pos += 1
                parts = self._key()
                self._expect("]")
                table = self._resolve(parts)
                yield from ((table[:depth], start) for depth in range(1, len(table) + 1))
            else:
                yield from self._pair(table)

    def _resolve(self, parts: KeyPath) -> KeyPath:
        """A header's dotted name, with the latest element of each array of tables on the way."""
        concrete: KeyPath = ()
        for part in parts:
            concrete = (*concrete, part)
            count = self.arrays.get(concrete)
            if count:
                concrete = (*concrete, count - 1)
        return concrete

    def _pair(self, table: KeyPath) -> Iterator[tuple[KeyPath, int]]:
        start = self.pos
        parts = self._key()
        for depth in range(1, len(parts) + 1):
            yield (*table, *parts[:depth]), start
        self._expect("=")
        yield from self._value((*table, *parts))

    def _key(self) -> KeyPath:
        parts: list[str | int] = []
        while True:
            self._space()
            parts.append(self._key_part())
            self._space()
            if not self.text.startswith(".", self.pos):
                return tuple(parts)
            self.pos += 1

    def _key_part(self) -> str:
        text, pos = self.text, self.pos
        for pattern in (_BARE, _BASIC, _LITERAL):
            match = pattern.match(text, pos)
            if match:
                self.pos = match.end()
                raw = match.group()
                if pattern is _BARE:
                    return raw
                if pattern is _LITERAL:
                    return raw[1:-1]
                try:
                    return str(json.loads(raw))
                except ValueError:  # a TOML escape JSON lacks (\e, \U); close enough
                    return raw[1:-1]
        raise _ShapeError(pos)

    def _value(self, path: KeyPath) -> Iterator[tuple[KeyPath, int]]:
        self._space()
        text, pos = self.text, self.pos
        char = text[pos]
        if char == "[":
            self.pos += 1
            index = 0
            while True:
                self._blank()
                if text.startswith("]", self.pos):
                    self.pos += 1
                    return
                yield (*path, index), self.pos
                yield from self._value((*path, index))
                self._blank()
                if text.startswith(",", self.pos):
                    self.pos += 1
                index += 1
        if char == "{":
            self.pos += 1
            while True:
                self._space()
                if text.startswith("}", self.pos):
                    self.pos += 1
                    return
                yield from self._pair(path)
                self._space()
                if text.startswith(",", self.pos):
                    self.pos += 1
        for pattern in (_ML_BASIC, _ML_LITERAL, _BASIC, _LITERAL, _DATETIME, _SCALAR):
            match = pattern.match(text, pos)
            if match:
                self.pos = match.end()
                return
        raise _ShapeError(pos)

    def _expect(self, token: str) -> None:
        self._space()
        if not self.text.startswith(token, self.pos):
            raise _ShapeError(self.pos)
        self.pos += len(token)

    def _space(self) -> None:
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos

    def _blank(self) -> None:
        match = _BLANK.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
