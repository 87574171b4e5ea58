"""text_columns: the one way the command line lays out plain-text tables."""

from __future__ import annotations

from rectflow._core.labels import display_width, text_columns


def test_columns_line_up_as_a_terminal_shows_chinese() -> None:
    """A Chinese character is two columns wide: the next column starts at the same place."""
    lines = text_columns([["单位", "问题"], ["财务科", "3"], ["x", "12"]])
    assert lines == ["  单位    问题", "  财务科  3", "  x       12"]
    starts = {display_width(line[: line.rindex("  ") + 2]) for line in lines}
    assert len(starts) == 1


def test_figures_are_right_aligned_from_the_given_column() -> None:
    """Cells from right_from on are right-aligned; no line ends in a space."""
    lines = text_columns(
        [["单位", "问题", "率"], ["财务科", "3", "100.00%"]], right_from=1, indent=""
    )
    assert lines == ["单位    问题       率", "财务科     3  100.00%"]
    assert all(line == line.rstrip() for line in lines)
