"""Finding the line of a key path in TOML text, for case-file error messages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given

import rectflow.strategies as rs
from rectflow import Case, dumps_case, unstructure_case
from rectflow._casefile.locate import KeyPath, _Scanner, format_key_path, locate

TEXT = """\
# a comment [not a table]
title = "x"  # trailing comment
"quoted key" = 1
a.b.c = 2
note = '''
[not.a.table]
id = "inside a string"
'''

[[items]]
id = "1"
[[items.parts]]
id = "1.1"
[[items.parts]]
id = "1.2"
list = [
    { id = "1.2.1" },
    { id = "1.2.2", deep = { x = 1 } },
]

[[items]]
id = "2"

[[items.parts]]
id = "2.1"

[items.meta]
owner = "me"
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("title",), 2),
        (("quoted key",), 3),
        (("a", "b", "c"), 4),
        (("note",), 5),
        (("items", 0), 10),
        (("items", 0, "parts", 1, "id"), 15),
        (("items", 0, "parts", 1, "list", 1), 18),
        (("items", 0, "parts", 1, "list", 1, "deep", "x"), 18),
        (("items", 1, "id"), 22),
        (("items", 1, "parts", 0, "id"), 25),
        (("items", 1, "meta", "owner"), 28),
        (("items", 1, "parts", 0, "missing"), 24),
        (("nowhere",), None),
    ],
)
def test_locate_follows_headers_arrays_and_inline_tables(
    path: KeyPath, expected: int | None
) -> None:
    """Array-of-tables occurrences are counted per parent; strings and comments are skipped."""
    assert locate(TEXT, path) == expected


def test_locate_gives_up_quietly_on_text_it_cannot_follow() -> None:
    """Text that is not TOML gives None rather than a wrong line."""
    assert locate("= = =\n", ("a",)) is None


def test_format_key_path_quotes_keys_that_are_not_bare() -> None:
    """Indices in brackets, dots between keys, odd keys quoted."""
    assert format_key_path(("categories", 1, "problems", 0, "id")) == "categories[1].problems[0].id"
    assert format_key_path(("by_state", "a b")) == 'by_state."a b"'


def leaves(node: Any, path: KeyPath = ()) -> Iterator[KeyPath]:
    """Every key path of a document down to its scalars."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list) and node:
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))
    else:
        yield path


@given(rs.cases(with_events=True, allow_imported=True))
def test_every_key_of_a_dumped_case_is_located_on_its_own_line(case: Case) -> None:
    """Whatever layout tomli-w chooses, each key path's line names that key."""
    text = dumps_case(case)
    lines = text.splitlines()
    found: dict[KeyPath, int] = {}
    for path, offset in _Scanner(text).items():  # what locate searches, gathered once
        found.setdefault(path, text.count("\n", 0, offset) + 1)
    for path in leaves(unstructure_case(case)):
        line = found.get(path)
        assert line is not None, path
        key = next(p for p in reversed(path) if isinstance(p, str))
        if isinstance(path[-1], str):
            assert f"{key} =" in lines[line - 1], (path, lines[line - 1])
