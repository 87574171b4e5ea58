"""A ledger workbook's sheet as the reader sees it: its values row by row, its merged cells
resolved to their first cell, the ledger sheet and its header row found.

The workbook is read with openpyxl in read-only mode (streamed: time and memory linear in its
cells); the merged ranges, which that mode does not give, are read from the sheet's XML.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from rectflow._i18n import N_, Msg
from rectflow._ledger_io.columns import HEADINGS, Column, heading_key
from rectflow._ledger_io.errors import LedgerError, require_openpyxl

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = [
    "HEADER_SEARCH_ROWS",
    "SHEET_NAMES",
    "SPACE",
    "Grid",
    "Sheet",
    "cell_at",
    "find_header",
    "merged_origins",
    "open_workbook",
    "pick_sheet",
    "read_grid",
    "second_header",
    "text_of",
]

SHEET_NAMES = ("问题清单", "任务清单", "责任清单", "整改台账", "台账")
"""The names of a ledger sheet, in the order one is looked for."""

HEADER_SEARCH_ROWS = 30
"""How many rows from the top the header is looked for in."""

SPACE = " \t\r\n\u3000\u00a0"
"""The white space stripped from a cell's text (full-width and no-break spaces too)."""

_BY_HEADING = {heading_key(h): column for column, hs in HEADINGS.items() for h in hs}


def text_of(value: object) -> str:
    """A cell's value as stripped text ('' for an empty cell; 3.0 → '3')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip(SPACE)


Grid = list[tuple[object, ...]]
"""A sheet's values, row by row (row 1 first); rows may be of different lengths."""


def cell_at(grid: Grid, row: int, column: int) -> object:
    """The value at a 1-based row and column of ``grid`` (``None`` outside it)."""
    if row > len(grid):
        return None
    values = grid[row - 1]
    return values[column - 1] if column <= len(values) else None


@attrs.define
class Sheet:
    """A sheet's values with its merged cells resolved to their first cell."""

    path: Path
    grid: Grid
    name: str
    origin: dict[tuple[int, int], tuple[int, int]]

    def value(self, row: int, column: int) -> object:
        first_row, first_column = self.origin.get((row, column), (row, column))
        return cell_at(self.grid, first_row, first_column)

    def error(
        self, row: int, column: int | None, heading: str | None, reason: str, fix: str
    ) -> LedgerError:
        return LedgerError(
            self.path, reason, fix, sheet=self.name, row=row, column=column, heading=heading
        )


def open_workbook(path: Path) -> Workbook:
    """The workbook, read-only (streamed: memory and time linear in its cells)."""
    require_openpyxl()
    from openpyxl import load_workbook  # noqa: PLC0415 - the extra, lazily
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415 - likewise

    if not path.is_file():
        raise LedgerError(
            path,
            N_("no such file") if not path.exists() else N_("it is not a regular file"),
            N_("give the path of an .xlsx workbook"),
        )
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException:
        # openpyxl goes by the file name: a case file or a .xls is refused before it is read.
        raise LedgerError(
            path,
            N_("its name does not end in .xlsx or .xlsm, so it is not read as a workbook"),
            N_(
                "give the .xlsx workbook (in Excel or WPS: Save As, Excel Workbook); to make a "
                "case file from it, `rectflow ledger import BOOK.xlsx -o case.toml`"
            ),
        ) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise LedgerError(
            path,
            Msg(
                "it is not an .xlsx workbook openpyxl can read ({kind}: {error})",
                kind=type(error).__name__,
                error=str(error),
            ),
            N_(
                "save it from Excel or WPS as .xlsx (Excel Workbook); an old .xls must be saved "
                "again as .xlsx"
            ),
        ) from None


def read_grid(workbook: Workbook, name: str, rows: int | None = None) -> Grid:
    """The values of sheet ``name``, row by row (the first ``rows`` rows, or all)."""
    sheet = workbook[name]
    return [tuple(values) for values in sheet.iter_rows(max_row=rows, values_only=True)]


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def merged_origins(
    path: Path, workbook: Workbook, name: str
) -> dict[tuple[int, int], tuple[int, int]]:
    """Each merged cell's first cell, read from the sheet's XML (openpyxl's read-only mode does
    not give the merged ranges, and its full mode rebuilds borders per range: slow)."""
    sheet_path = getattr(workbook[name], "_worksheet_path", None)
    if not sheet_path:
        return {}
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(sheet_path)
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for match in _MERGE.finditer(xml):
        first_column, first_row = _column_number(match[1]), int(match[2])
        last_column, last_row = _column_number(match[3]), int(match[4])
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                origin[(row, column)] = (first_row, first_column)
    return origin


def find_header(grid: Grid) -> tuple[int, dict[int, Column], list[tuple[int, str]]] | None:
    """The header row, its known columns and its unknown headings, or ``None``."""
    for row in range(1, min(len(grid), HEADER_SEARCH_ROWS) + 1):
        known: dict[int, Column] = {}
        unknown: list[tuple[int, str]] = []
        for column, value in enumerate(grid[row - 1], start=1):
            text = text_of(value)
            if not text:
                continue
            found = _BY_HEADING.get(heading_key(text))
            if found is None or found in known.values():
                unknown.append((column, text))
            else:
                known[column] = found
        if len(known) >= 3 and {Column.PROBLEM, Column.MEASURE} & set(known.values()):
            return row, known, unknown
    return None


def second_header(
    grid: Grid,
    origin: dict[tuple[int, int], tuple[int, int]],
    header: int,
    known: dict[int, Column],
    unknown: list[tuple[int, str]],
) -> tuple[int, dict[int, Column], list[tuple[int, str]]]:
    """A header on two rows (``责任主体`` over 责任领导, 责任部门, 责任人; the other headings merged
    down both rows): the row below names columns too, and nothing else. Then it is the header's
    second row, its headings are added, and the data starts below it."""
    below = header + 1
    if below > len(grid):
        return header, known, unknown
    found: dict[int, Column] = {}
    for column, value in enumerate(grid[below - 1], start=1):
        text = text_of(value)
        if not text or origin.get((below, column), (below, column)) != (below, column):
            continue  # empty, or a heading above merged down into this row
        heading = _BY_HEADING.get(heading_key(text))
        if heading is None:
            return header, known, unknown  # a value: the row is data
        found[column] = heading
    if not found:
        return header, known, unknown
    columns = {c: h for c, h in known.items() if h not in found.values()} | found
    return below, dict(sorted(columns.items())), [(c, t) for c, t in unknown if c not in found]


def pick_sheet(workbook: Workbook, path: Path, name: str | None) -> str:
    names: list[str] = list(workbook.sheetnames)
    if name is not None:
        if name not in names:
            raise LedgerError(
                path,
                Msg(
                    "there is no sheet {name!r} (sheets: {sheets})",
                    name=name,
                    sheets=", ".join(names),
                ),
                N_("give one of those names to --sheet"),
            )
        return name
    for wanted in SHEET_NAMES:
        if wanted in names:
            return wanted
    for candidate in names:
        if find_header(read_grid(workbook, candidate, HEADER_SEARCH_ROWS)) is not None:
            return candidate
    raise LedgerError(
        path,
        Msg("no sheet has a ledger header (sheets: {sheets})", sheets=", ".join(names)),
        N_(
            "name the ledger sheet 问题清单, or give it with --sheet; its header row must name "
            "问题描述 or 整改措施 and at least two more columns (序号, 完成时限, 责任部门 …)"
        ),
    )
