"""Write a case's (or several cases') ledger as an Excel workbook or a CSV file.

The workbook is laid out the way offices keep a ledger (docs/ledger.md):

* **问题清单**: a title line, the day it stands on, then a header of the twelve office columns
  (序号 … 销号情况) and rectflow's own (预警等级, ids, kind, classification); one row per measure,
  a problem's cells (序号, 问题描述 …) merged down its measures and a category's (问题类别)
  down its problems; dates as dates (``yyyy-mm-dd``); the 预警等级 and 完成时限 cells filled red,
  yellow or green by the level of the escalation ladder the item stands on that day; header
  frozen, text wrapped, A4 landscape with the header repeated on every printed page;
* **统计汇总**: the roll-up (when a roll-up is given);
* **工作留痕**: the events (the work trail), one per row.

The CSV is the 问题清单 alone, one row per measure, UTF-8 with a byte-order mark (so Excel opens
it as UTF-8), dates as ``YYYY-MM-DD``.

A full internal ledger is the default. ``public=True`` writes only what may be published (see
:func:`~rectflow._ledger_io.rows.ledger_rows`) and leaves out the work trail and the internal
columns.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rectflow._core.labels import INSPECTION_KIND_ZH, TRIGGER_ZH
from rectflow._core.model import Case, Problem
from rectflow._i18n import N_, Msg
from rectflow._ledger_io.columns import (
    HEADINGS,
    OFFICE_COLUMNS,
    RECTFLOW_COLUMNS,
    WIDTHS,
    Column,
)
from rectflow._ledger_io.errors import LedgerError, column_letter, require_openpyxl
from rectflow._ledger_io.rows import LedgerRow, ledger_rows
from rectflow._rules.policy import Policy

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "EVENTS_SHEET",
    "FORMATS",
    "LEDGER_SHEET",
    "SUMMARY_SHEET",
    "SummaryWriter",
    "ledger_bytes",
    "ledger_columns",
]

LEDGER_SHEET = "问题清单"
SUMMARY_SHEET = "统计汇总"
EVENTS_SHEET = "工作留痕"
FORMATS = ("xlsx", "csv")

DATE_FORMAT = "yyyy-mm-dd"
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_FIRST_DAY = dt.date(1900, 3, 1)  # Excel's days before it are off by one (its 1900 leap day)
_FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE"}
_HEADER_FILL = "D9E1F2"
# The office columns a problem's rows share (merged down its measures), and a category's.
_PROBLEM_COLUMNS = frozenset(
    {
        Column.NUMBER,
        Column.PROBLEM,
        Column.PROBLEM_ID,
        Column.KIND,
        Column.CLASSIFICATION,
    }
)
_CATEGORY_COLUMNS = frozenset({Column.CATEGORY, Column.CATEGORY_ID})
_PUBLIC_LEFT_OUT = frozenset(
    {Column.LEADER, Column.PERSON, Column.PROGRESS, Column.CLASSIFICATION, Column.CASE_ID}
)
_EVENT_HEADINGS = (
    "序号",
    "被巡察单位",
    "日期",
    "录入日期",
    "事项编号",
    "事项",
    "操作",
    "操作人",
    "说明",
    "变更内容",
)

SummaryWriter = Callable[["Worksheet"], None]
"""Fills the 统计汇总 sheet (the roll-up's own table)."""


def ledger_columns(*, bodies: bool, public: bool) -> tuple[Column, ...]:
    """The columns written, in order: the office ones, then rectflow's (a round's ledger starts
    with 被巡察单位; a public one leaves out names, progress and the internal columns)."""
    columns = ((Column.BODY,) if bodies else ()) + OFFICE_COLUMNS + RECTFLOW_COLUMNS
    columns += (Column.CASE_ID,)
    return tuple(c for c in columns if not public or c not in _PUBLIC_LEFT_OUT)


def _title(cases: Sequence[Case], title: str | None) -> str:
    if title is not None:
        return title
    if len(cases) == 1:
        case = cases[0]
        kind = INSPECTION_KIND_ZH[case.inspection.kind]
        return f"{case.inspected_body}{kind}反馈问题整改台账"
    return "巡察反馈问题整改台账"


def _as_of_line(as_of: dt.date) -> str:
    return f"截至{as_of.year}年{as_of.month}月{as_of.day}日"


def _check_text(text: str, where: str) -> None:
    """Refuse text a workbook cannot hold (rather than write a file Excel will not open)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415 - the extra, lazily

    bad = ILLEGAL_CHARACTERS_RE.search(text)
    if bad is not None:
        raise LedgerError(
            None,
            Msg(
                "{where} holds the control character {char!r} (U+{code:04X}), which an .xlsx "
                "cell cannot hold",
                where=where,
                char=bad.group(0),
                code=ord(bad.group(0)),
            ),
            N_("remove it from the case (rectflow edit-text), or export to CSV"),
        )
    if len(text) > 32767:
        raise LedgerError(
            None,
            Msg(
                "{where} is {length} characters long; an Excel cell holds at most 32,767",
                where=where,
                length=len(text),
            ),
            N_("shorten the text, or export to CSV"),
        )


def _set(ws: Worksheet, row: int, column: int, value: object, where: str) -> Cell:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        _check_text(value, where)
        cell.value = value
        cell.data_type = "s"  # text, even when it starts with "=" (never a formula)
    elif isinstance(value, dt.date):
        if value < _FIRST_DAY:
            raise LedgerError(
                None,
                Msg(
                    "{where} is {day}, before 1900-03-01, the first day a workbook holds right",
                    where=where,
                    day=str(value),
                ),
                N_("correct the date, or export to CSV"),
            )
        cell.value = value
    else:
        cell.value = value  # type: ignore[assignment]  # the running number
    return cell  # type: ignore[return-value]  # a cell written before any merge: never merged


def _where(row: LedgerRow, column: Column) -> str:
    item = row.problem.id if row.measure is None else row.measure.id
    return f"item {item}'s {HEADINGS[column][0]}"


def _add_styles(workbook: Workbook) -> None:
    """The workbook's named styles: a cell refers to one by name (cheap), instead of carrying
    its own font, border, fill and alignment objects (openpyxl hashes each, per cell)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side  # noqa: PLC0415

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    looks = {
        "text": (Alignment(vertical="top", wrap_text=True), None),
        "centre": (Alignment(horizontal="center", vertical="top", wrap_text=True), None),
        "date": (Alignment(horizontal="center", vertical="top"), DATE_FORMAT),
    }
    for name, (alignment, number_format) in looks.items():
        for colour in (None, *_FILLS):
            style = NamedStyle(f"rectflow-{name}" + (f"-{colour}" if colour else ""))
            style.alignment = alignment
            style.border = border
            if number_format is not None:
                style.number_format = number_format
            if colour is not None:
                style.fill = PatternFill("solid", fgColor=_FILLS[colour])
            workbook.add_named_style(style)
    header = NamedStyle("rectflow-header")
    header.font = Font(bold=True)
    header.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header.border = border
    workbook.add_named_style(header)
    title = NamedStyle("rectflow-title")
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    workbook.add_named_style(title)
    day = NamedStyle("rectflow-day")
    day.alignment = Alignment(horizontal="right")
    workbook.add_named_style(day)


def _style(column: Column, value: object, colour: str | None) -> str:
    if isinstance(value, dt.date):
        name = "date"
    elif column in (Column.NUMBER, Column.DUE, Column.STATE, Column.SIGN_OFF, Column.LEVEL):
        name = "centre"
    else:
        name = "text"
    coloured = colour is not None and column in (Column.LEVEL, Column.DUE)
    return f"rectflow-{name}" + (f"-{colour}" if coloured else "")


def _merge_runs(ws: Worksheet, column: int, runs: list[tuple[int, int]]) -> None:
    """Merge each run of rows in ``column``: the cells below the first become merged cells with
    the first's style. (``ws.merge_cells`` recomputes borders and scans every range already
    merged at each call: quadratic in a ledger's thousands of merges.)"""
    from openpyxl.cell.cell import MergedCell  # noqa: PLC0415
    from openpyxl.worksheet.cell_range import CellRange  # noqa: PLC0415

    letter = column_letter(column)
    for first, last in runs:
        if last == first:
            continue
        ws.merged_cells.ranges.add(CellRange(f"{letter}{first}:{letter}{last}"))
        for row in range(first + 1, last + 1):
            old = ws._cells[row, column]
            merged = MergedCell(ws, row, column)
            merged._style = copy.copy(old._style)  # type: ignore[attr-defined,union-attr]
            ws._cells[row, column] = merged


def _runs(keys: list[object], first_row: int) -> list[tuple[int, int]]:
    """The row spans of equal consecutive keys."""
    runs: list[tuple[int, int]] = []
    for offset, key in enumerate(keys):
        row = first_row + offset
        if runs and keys[offset - 1] == key:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _write_ledger_sheet(
    ws: Worksheet,
    rows: list[LedgerRow],
    columns: tuple[Column, ...],
    title: str,
    as_of: dt.date,
) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties  # noqa: PLC0415

    last = column_letter(len(columns))
    ws.merge_cells(f"A1:{last}1")
    _set(ws, 1, 1, title, "the title").style = "rectflow-title"
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    _set(ws, 2, 1, _as_of_line(as_of), "the day line").style = "rectflow-day"
    header = 3
    for index, column in enumerate(columns, start=1):
        _set(ws, header, index, HEADINGS[column][0], "a heading").style = "rectflow-header"
        ws.column_dimensions[column_letter(index)].width = WIDTHS[column]
    first = header + 1
    for offset, row in enumerate(rows):
        number = first + offset
        for index, column in enumerate(columns, start=1):
            value = row.body if column is Column.BODY else row.values[column]
            cell = _set(ws, number, index, value, _where(row, column))
            cell.style = _style(column, value, row.colour)
    for index, column in enumerate(columns, start=1):
        if column in _PROBLEM_COLUMNS:
            keys: list[object] = [(r.body, r.category.id, r.problem.id, r.number) for r in rows]
        elif column in _CATEGORY_COLUMNS:
            keys = [(r.body, id(r.category)) for r in rows]
        elif column in (Column.BODY, Column.CASE_ID):
            keys = [r.values[Column.CASE_ID] for r in rows]
        else:
            continue
        _merge_runs(ws, index, _runs(keys, first))
    ws.freeze_panes = f"A{first}"
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if rows:
        ws.auto_filter.ref = f"A{header}:{last}{first + len(rows) - 1}"


def _event_change(data: Any) -> str:
    return "；".join(f"{key}={value}" for key, value in data.items())


def _write_events_sheet(ws: Worksheet, cases: Sequence[Case], as_of: dt.date) -> None:
    for index, heading in enumerate(_EVENT_HEADINGS, start=1):
        _set(ws, 1, index, heading, "a heading").style = "rectflow-header"
    for letter, width in zip("ABCDEFGHIJ", (6, 18, 12, 12, 10, 36, 16, 12, 30, 30), strict=True):
        ws.column_dimensions[letter].width = width
    number = 1
    for case in cases:
        for event in case.events:
            if event.on > as_of:
                continue
            number += 1
            if event.target == "case":
                text = "整体工作"
            else:
                try:
                    item = case.item(event.target)
                except LookupError:
                    item = None
                text = (
                    "" if item is None else item.title if isinstance(item, Problem) else item.text
                )
            values: tuple[object, ...] = (
                event.seq,
                case.inspected_body,
                event.on,
                event.recorded_on or event.on,
                event.target,
                text,
                TRIGGER_ZH.get(event.trigger, event.trigger),
                event.actor or "",
                event.note or "",
                _event_change(event.data),
            )
            for index, value in enumerate(values, start=1):
                where = f"event #{event.seq}'s {_EVENT_HEADINGS[index - 1]}"
                cell = _set(ws, number, index, value, where)
                cell.style = "rectflow-date" if isinstance(value, dt.date) else "rectflow-text"
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _workbook(
    cases: Sequence[Case],
    *,
    as_of: dt.date,
    policy: Policy | None,
    public: bool,
    title: str | None,
    bodies: bool,
    summary: SummaryWriter | None,
) -> Workbook:
    require_openpyxl()
    from openpyxl import Workbook  # noqa: PLC0415 - the extra, lazily

    rows = _rows(cases, as_of=as_of, policy=policy, public=public)
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None  # noqa: S101 - a new workbook has its sheet
    ws.title = LEDGER_SHEET
    _add_styles(workbook)
    columns = ledger_columns(bodies=bodies, public=public)
    _write_ledger_sheet(ws, rows, columns, _title(cases, title), as_of)
    if summary is not None:
        summary(workbook.create_sheet(SUMMARY_SHEET))
    if not public:
        _write_events_sheet(workbook.create_sheet(EVENTS_SHEET), cases, as_of)
    # The same case on the same day gives the same file: no clock in its properties.
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "rectflow"
    workbook.properties.title = _title(cases, title)
    if len(cases) == 1:  # names the case even when its ledger has no row
        workbook.properties.identifier = cases[0].id
    return workbook


def _rows(
    cases: Sequence[Case], *, as_of: dt.date, policy: Policy | None, public: bool
) -> list[LedgerRow]:
    rows: list[LedgerRow] = []
    for case in cases:
        start = rows[-1].number + 1 if rows else 1
        rows.extend(ledger_rows(case, as_of=as_of, policy=policy, public=public, start=start))
    return rows


_FORMULA_START = re.compile(r"^(?:[=+@\t\r]|-(?![\s\d]))")


def _csv_text(value: object) -> str:
    """A CSV cell's text, with a leading apostrophe when Excel would run it as a formula
    (``=…``, ``+…``, ``@…``, ``-…`` but ``- `` and ``-1``): a CSV cell has no "text" type, so
    this is the only way to keep ``=HYPERLINK(…)`` in a measure's text from being run."""
    text = str(value)
    return "'" + text if _FORMULA_START.match(text) else text


def _csv_bytes(
    cases: Sequence[Case], *, as_of: dt.date, policy: Policy | None, public: bool, bodies: bool
) -> bytes:
    columns = ledger_columns(bodies=bodies, public=public)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([HEADINGS[c][0] for c in columns])
    for row in _rows(cases, as_of=as_of, policy=policy, public=public):
        line = []
        for column in columns:
            value = row.body if column is Column.BODY else row.values[column]
            line.append(value.isoformat() if isinstance(value, dt.date) else _csv_text(value))
        writer.writerow(line)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def ledger_bytes(
    cases: Sequence[Case],
    file_format: str,
    *,
    as_of: dt.date,
    policy: Policy | None = None,
    public: bool = False,
    title: str | None = None,
    bodies: bool | None = None,
    summary: SummaryWriter | None = None,
) -> bytes:
    """The ledger of ``cases`` as the bytes of an ``xlsx`` or ``csv`` file (see the module).

    ``bodies`` adds the 被巡察单位 column (by default when there is more than one case).
    """
    if type(as_of) is not dt.date:
        raise TypeError(f"as_of must be a datetime.date, not {type(as_of).__name__}: {as_of!r}")
    with_bodies = len(cases) > 1 if bodies is None else bodies
    if file_format == "csv":
        return _csv_bytes(cases, as_of=as_of, policy=policy, public=public, bodies=with_bodies)
    if file_format != "xlsx":
        raise ValueError(f"unknown ledger format {file_format!r}: give one of {FORMATS}")
    workbook = _workbook(
        cases,
        as_of=as_of,
        policy=policy,
        public=public,
        title=title,
        bodies=with_bodies,
        summary=summary,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _stamped(buffer.getvalue(), as_of)


def _stamped(data: bytes, as_of: dt.date) -> bytes:
    """The workbook's zip with every entry dated ``as_of`` (openpyxl dates them by the clock):
    the same case on the same day gives the same bytes."""
    out = io.BytesIO()
    stamp = (max(as_of.year, 1980), as_of.month, as_of.day, 0, 0, 0)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(entry)
            if entry.filename == "docProps/core.xml":
                # openpyxl writes the clock's time as the last modification; say the day.
                content = _MODIFIED.sub(
                    rb"\g<1>" + f"{as_of.isoformat()}T00:00:00Z".encode() + rb"\g<2>", content
                )
            target.writestr(info, content)
    return out.getvalue()
