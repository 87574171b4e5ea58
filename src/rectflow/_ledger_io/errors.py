"""What the ledger reader and writer refuse: a cell that cannot be read, a value that cannot be
written, a missing extra. Each error says where (file, sheet, row, column and its heading), why,
and how to fix it; nothing was written when one is raised.
"""

from __future__ import annotations

from pathlib import Path

from rectflow._i18n import Msg, translate
from rectflow.errors import RectflowError

__all__ = ["LedgerError", "cell_name", "column_letter", "require_openpyxl"]


def column_letter(column: int) -> str:
    """The spreadsheet letter(s) of a 1-based column: 1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_name(sheet: str, row: int, column: int | None) -> str:
    """``问题清单!F12`` (or ``问题清单!12`` for a whole row)."""
    return f"{sheet}!{column_letter(column) if column else ''}{row}"


class LedgerError(RectflowError, ValueError):
    """A ledger workbook that cannot be read, or a case that cannot be written as one.

    The message reads ``台账.xlsx: 问题清单!F12 (完成时限): <reason>; fix: <fix>``.

    Attributes:
        path: the workbook (or CSV) file, when there is one.
        sheet: the sheet, when the error is in one.
        row: the 1-based row, when the error is in one.
        column: the 1-based column, when the error is in one.
        heading: the column's heading, when known.
        reason: what is wrong.
        fix: how to put it right.
    """

    def __init__(
        self,
        path: Path | str | None,
        reason: str,
        fix: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: int | None = None,
        heading: str | None = None,
    ) -> None:
        self.path = None if path is None else Path(path)
        self.sheet = sheet
        self.row = row
        self.column = column
        # A heading broken over lines in its cell (完成\n时限) is said on one line.
        heading = " ".join(heading.split()) if heading else heading
        self.heading = heading
        self.reason = reason
        self.fix = fix
        where = where_zh = str(path) if path is not None else "<ledger>"
        if sheet is not None:
            place = cell_name(sheet, row, column) if row is not None else sheet
            where += f": {place}"
            where_zh += f"：{place}"
        if heading:
            where += f" ({heading})"
            where_zh += f"（{heading}）"
        super().__init__(
            Msg(
                "{where}: {reason}; fix: {fix}",
                where=where,
                reason=reason,
                fix=fix,
                zh={
                    "where": where_zh,
                    "reason": translate("zh", reason),
                    "fix": translate("zh", fix),
                },
            )
        )


def require_openpyxl() -> None:
    """Refuse, in one line, when the ``excel`` extra is not installed."""
    try:
        import openpyxl  # noqa: F401, PLC0415 - the extra is imported only when a workbook is used
    except ImportError:
        raise RectflowError(
            Msg(
                "the Excel ledger needs openpyxl, which is not installed: "
                'pip install "rectflow[excel]"'
            )
        ) from None
