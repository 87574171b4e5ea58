"""The Chinese labels staff read (states, triggers, kinds, forms…) use full-width punctuation, as
the catalogue's sentences do: an ASCII comma or bracket among Chinese reads as a typo."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rectflow._core import labels

_CJK = re.compile(r"[\u4e00-\u9fff]")
_HALF_WIDTH = re.compile(r"[,;:()?!]")


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, tuple | list | frozenset | set):
        return [text for item in value for text in _texts(item)]
    return []


def test_every_chinese_label_uses_full_width_punctuation() -> None:
    tables = {
        name: value
        for name, value in vars(labels).items()
        if name.isupper() and isinstance(value, Mapping)
    }
    assert len(tables) >= 10  # the module's tables were found
    found = [
        f"{name}: {text!r}"
        for name, table in tables.items()
        for text in _texts(table)
        if _CJK.search(text) and _HALF_WIDTH.search(text)
    ]
    assert not found, "half-width punctuation in Chinese labels:\n" + "\n".join(found)
