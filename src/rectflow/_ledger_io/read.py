"""Read a ledger workbook (台账) into a case: the layout offices keep, with its messy parts.

:func:`import_ledger` finds the ledger sheet (``--sheet``, else the first named 问题清单,
任务清单, 责任清单 or 台账, else the first whose header it recognises), the header row below any
title lines (the first of the top 30 rows naming at least three known columns, 问题描述 or
整改措施 among them), and reads each row below it:

* a cell inside a merged range reads as the range's first cell (a problem's 问题描述 merged down
  its measures; a category's 问题类别 down its problems);
* a blank row is skipped; so is a total row (合计, 总计, 小计) and a category row
  (``二、作风建设方面`` alone on its row), which starts a category;
* a problem starts where its 问题描述 starts: a merged range's first row, or a written cell whose
  序号 and text differ from the row above's (a blank 问题描述 continues the problem above); a
  category likewise from 问题类别; with rectflow's id columns (类别编号, 问题编号, 措施编号) the ids
  decide;
* a row with a 整改措施 (or a 措施编号) is a measure; a problem whose only row has none is a
  problem tracked without measures, and that row's columns are its own;
* text is stripped of surrounding white space (full-width spaces too); 序号 and dates may be in
  full-width digits; 完成时限 is read by :mod:`~rectflow._ledger_io.deadlines`;
* 完成情况 gives the state in office words (:data:`~rectflow._ledger_io.columns.STATE_WORDS`),
  and 销号情况 已销号 makes an item closed (待验收 submitted). As the notice importer does, a
  stated state is where the item *starts* (``initial_state``): no event is invented, the case
  replays to itself; a blank 完成情况 is a state no one stated (``state_known`` off), never
  "unfinished";
* 佐证材料 is one piece of evidence per line;
* 整改进展 and 预警等级 are not kept (the case records progress as events; the level is computed),
  and columns it does not know are ignored, each with a warning.

A cell that cannot be read raises :class:`~rectflow._ledger_io.errors.LedgerError` naming the
file, sheet, cell and column, the reason and the fix; nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from rectflow._core.fields import force
from rectflow._core.labels import PROBLEM_KIND_ZH
from rectflow._core.model import (
    Case,
    Category,
    Classification,
    Evidence,
    ItemState,
    Measure,
    Problem,
    ProblemKind,
    Responsibility,
)
from rectflow._i18n import N_, Msg, translate
from rectflow._ledger_io.columns import (
    CLASSIFICATION_ZH,
    HEADINGS,
    STATE_WORDS,
    Column,
    heading_key,
)
from rectflow._ledger_io.deadlines import DeadlineError, normalise, read_deadline
from rectflow._ledger_io.errors import LedgerError, cell_name, require_openpyxl

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = ["LedgerImport", "LedgerWarning", "import_ledger"]

SHEET_NAMES = ("问题清单", "任务清单", "责任清单", "整改台账", "台账")
HEADER_SEARCH_ROWS = 30
_BY_HEADING = {heading_key(h): column for column, hs in HEADINGS.items() for h in hs}
_TOTAL = re.compile(r"^(?:合计|总计|小计|共计)")
_CATEGORY_ROW = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]\s*(.+)$")
_SPACE = " \t\r\n\u3000\u00a0"
BLANK_WORDS = frozenset({"无", "暂无", "/", "／", "-", "—", "——", "－", "\\", "空", "N/A", "n/a"})
"""What a cell of responsibility, deadline, state, sign-off or evidence writes for nothing."""
_KIND_BY_LABEL = {label: kind for kind, label in PROBLEM_KIND_ZH.items()} | {
    kind.value: kind for kind in ProblemKind
}
_CLASS_BY_LABEL = (
    {label: c for c, label in CLASSIFICATION_ZH.items()}
    | {c.value: c for c in Classification}
    | {"涉密": Classification.CONFIDENTIAL, "不公开": Classification.INTERNAL}
)
_CLOSED_WORDS = ("已销号", "已对账销号", "销号", "是")
_SUBMITTED_WORDS = ("待验收", "已报请销号", "报请销号", "申请销号")
_OPEN_SIGN_OFF = ("未销号", "否", "未")
_DONE = frozenset({ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED})
_TITLE_SUFFIX = re.compile(r"(?:巡视|巡察|检查)?(?:反馈)?(?:意见|问题)?整改(?:落实)?(?:工作)?台账$")


@attrs.frozen
class LedgerWarning:
    """Something the importer read but wants a person to look at.

    Attributes:
        sheet: the sheet.
        row: the 1-based row, or ``None`` for the sheet as a whole.
        column: the 1-based column, or ``None``.
        message: what was read and how.
    """

    sheet: str
    row: int | None
    column: int | None
    message: str

    def where(self) -> str:
        """``问题清单!F12``, ``问题清单!12`` or ``问题清单``."""
        if self.row is None:
            return self.sheet
        return cell_name(self.sheet, self.row, self.column)


@attrs.frozen
class LedgerImport:
    """What :func:`import_ledger` read.

    Attributes:
        cases: the cases read: one, or one per inspected body of a round's ledger (a
            被巡察单位 column), in the order they appear.
        sheet: the sheet read.
        header_row: the row of its header.
        columns: each column read: its 1-based index, heading and what it holds.
        warnings: what wants a look, with its cell.
        rows: how many rows were read as ledger rows.
    """

    cases: tuple[Case, ...]
    sheet: str
    header_row: int
    columns: tuple[tuple[int, str, Column], ...]
    warnings: tuple[LedgerWarning, ...]
    rows: int

    @property
    def case(self) -> Case:
        """The one case read; a round's ledger of several bodies has :attr:`cases` instead."""
        if len(self.cases) != 1:
            raise LedgerError(
                None,
                Msg(
                    "the ledger holds {count} inspected bodies' cases, not one",
                    count=len(self.cases),
                ),
                N_(
                    "read LedgerImport.cases (rectflow ledger import writes one file per case "
                    "into an -o folder)"
                ),
            )
        return self.cases[0]


# -- cells ------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell's value as stripped text ('' for an empty cell; 3.0 → '3')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip(_SPACE)


Grid = list[tuple[object, ...]]
"""A sheet's values, row by row (row 1 first); rows may be of different lengths."""


def _cell(grid: Grid, row: int, column: int) -> object:
    """The value at a 1-based row and column of ``grid`` (``None`` outside it)."""
    if row > len(grid):
        return None
    values = grid[row - 1]
    return values[column - 1] if column <= len(values) else None


def _width(grid: Grid) -> int:
    return max((len(values) for values in grid), default=0)


@attrs.define
class _Sheet:
    """A sheet's values with its merged cells resolved to their first cell."""

    path: Path
    grid: Grid
    name: str
    origin: dict[tuple[int, int], tuple[int, int]]

    def value(self, row: int, column: int) -> object:
        first_row, first_column = self.origin.get((row, column), (row, column))
        return _cell(self.grid, first_row, first_column)

    def error(
        self, row: int, column: int | None, heading: str | None, reason: str, fix: str
    ) -> LedgerError:
        return LedgerError(
            self.path, reason, fix, sheet=self.name, row=row, column=column, heading=heading
        )


def _open(path: Path) -> Workbook:
    """The workbook, read-only (streamed: memory and time linear in its cells)."""
    require_openpyxl()
    from openpyxl import load_workbook  # noqa: PLC0415 - the extra, lazily

    if not path.is_file():
        raise LedgerError(
            path,
            N_("no such file") if not path.exists() else N_("it is not a regular file"),
            N_("give the path of an .xlsx workbook"),
        )
    try:
        return load_workbook(path, read_only=True, data_only=True)
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


def _grid(workbook: Workbook, name: str, rows: int | None = None) -> Grid:
    sheet = workbook[name]
    return [tuple(values) for values in sheet.iter_rows(max_row=rows, values_only=True)]


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _merged(path: Path, workbook: Workbook, name: str) -> dict[tuple[int, int], tuple[int, int]]:
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


def _header(grid: Grid) -> tuple[int, dict[int, Column], list[tuple[int, str]]] | None:
    """The header row, its known columns and its unknown headings, or ``None``."""
    for row in range(1, min(len(grid), HEADER_SEARCH_ROWS) + 1):
        known: dict[int, Column] = {}
        unknown: list[tuple[int, str]] = []
        for column, value in enumerate(grid[row - 1], start=1):
            text = _text(value)
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


def _second_header(
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
        text = _text(value)
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


def _pick_sheet(workbook: Workbook, path: Path, name: str | None) -> str:
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
        if _header(_grid(workbook, candidate, HEADER_SEARCH_ROWS)) is not None:
            return candidate
    raise LedgerError(
        path,
        Msg("no sheet has a ledger header (sheets: {sheets})", sheets=", ".join(names)),
        N_(
            "name the ledger sheet 问题清单, or give it with --sheet; its header row must name "
            "问题描述 or 整改措施 and at least two more columns (序号, 完成时限, 责任部门 …)"
        ),
    )


# -- the reader -------------------------------------------------------------------------------


@attrs.define
class _Problem:
    problem: Problem
    category: Category
    number: str
    key: object
    own_row: int | None = None


@attrs.define
class _Body:
    name: str
    case_id: str = ""
    categories: list[tuple[Category, tuple[str, object]]] = attrs.Factory(list)
    problems: list[_Problem] = attrs.Factory(list)
    ids: dict[str, int] = attrs.Factory(dict)


class _Reader:
    def __init__(
        self,
        sheet: _Sheet,
        header: int,
        columns: dict[int, Column],
        default_year: int | None,
    ) -> None:
        self.sheet = sheet
        self.header = header
        self.columns = columns
        self.at = {column: index for index, column in columns.items()}
        self.default_year = default_year
        self.warnings: list[LedgerWarning] = []
        self.bodies: list[_Body] = []
        self.last_due: dt.date | None = None
        self.rows = 0
        self.progress = 0

    # -- cells ----------------------------------------------------------------------------------

    def warn(self, row: int | None, column: Column | None, message: str) -> None:
        index = None if column is None else self.at.get(column)
        self.warnings.append(LedgerWarning(self.sheet.name, row, index, message))

    def raw(self, row: int, column: Column) -> object:
        index = self.at.get(column)
        return None if index is None else self.sheet.value(row, index)

    def text(self, row: int, column: Column) -> str:
        return _text(self.raw(row, column))

    def field(self, row: int, column: Column) -> str:
        """A cell's text, blank when it says there is nothing (无, /, —)."""
        text = self.text(row, column)
        return "" if text in BLANK_WORDS else text

    def origin(self, row: int, column: Column) -> tuple[int, int] | None:
        """The first cell of the merged range holding this cell, or ``None`` when unmerged."""
        index = self.at.get(column)
        if index is None or (row, index) not in self.sheet.origin:
            return None
        return self.sheet.origin[(row, index)]

    def fail(self, row: int, column: Column, reason: str, fix: str) -> LedgerError:
        index = self.at.get(column)
        heading = _text(_cell(self.sheet.grid, self.header, index)) if index else None
        return self.sheet.error(row, index, heading, reason, fix)

    # -- rows -----------------------------------------------------------------------------------

    def read(self) -> None:
        last_row = len(self.sheet.grid)
        for row in range(self.header + 1, last_row + 1):
            texts = [_text(self.sheet.value(row, index)) for index in self.columns]
            filled = [t for t in texts if t]
            if not filled:
                continue
            if _TOTAL.match(filled[0].replace(" ", "")):
                self.warn(row, None, Msg("a total row ({text}): skipped", text=filled[0]))
                continue
            if len(set(filled)) == 1 and (heading := _CATEGORY_ROW.match(filled[0])):
                # "二、作风建设方面" alone on its row (often merged across it) starts a category.
                self._category_row(row, heading[1].strip(_SPACE))
                continue
            self.rows += 1
            self._row(row)

    def _body(self, row: int) -> _Body:
        name = self.text(row, Column.BODY)
        case_id = self.text(row, Column.CASE_ID)
        current = self.bodies[-1] if self.bodies else None
        if (
            current is None
            or (case_id and case_id != current.case_id)
            or (not case_id and name and name != current.name)
        ):
            self.bodies.append(_Body(name, case_id))
        return self.bodies[-1]

    def _category_row(self, row: int, title: str) -> None:
        body = self._body(row)
        body.categories.append((Category(str(len(body.categories) + 1), title), ("row", row)))

    def _category(self, row: int, body: _Body) -> Category:
        given = self.text(row, Column.CATEGORY_ID)
        title = self.text(row, Column.CATEGORY)
        origin = self.origin(row, Column.CATEGORY)
        key: tuple[str, object]
        if given:
            key = ("id", given)
        elif origin is not None:
            key = ("merged", origin)
        elif title:
            key = ("title", title)
        elif body.categories:
            return body.categories[-1][0]
        else:
            key = ("title", "")
        if body.categories:
            current, (how, what) = body.categories[-1]
            if (how, what) == key or (key[0] == "title" and current.title == title and how != "id"):
                return current
            # A category row (二、…方面) names the category of the rows under it.
            if how == "row" and not current.problems and not given and title in ("", current.title):
                return current
        category = Category(given or str(len(body.categories) + 1), title)
        body.categories.append((category, key))
        return category

    def _problem(self, row: int, body: _Body, category: Category) -> _Problem:
        given = self.text(row, Column.PROBLEM_ID)
        title = self.text(row, Column.PROBLEM)
        number = normalise(self.text(row, Column.NUMBER))
        origin = self.origin(row, Column.PROBLEM)
        current = body.problems[-1] if body.problems else None
        if given:
            key: object = ("id", given)
        elif origin is not None:
            key = ("merged", origin)
        elif title:
            key = ("text", number, title)
        elif current is not None and current.category is category:
            return current
        else:
            raise self.fail(
                row,
                Column.PROBLEM,
                N_("the row has no 问题描述 and no problem above it in its category"),
                N_(
                    "write the problem's description in 问题描述 (or merge its cell down over the "
                    "rows of its measures)"
                ),
            )
        if current is not None and current.key == key and current.category is category:
            return current
        kind = self._kind(row)
        classification = self._classification(row)
        problem_id = given or f"{category.id}.{len(category.problems) + 1}"
        self._claim(body, problem_id, row, Column.PROBLEM_ID)
        problem = Problem(problem_id, title, kind=kind, classification=classification)
        list.append(category.problems, problem)
        opened = _Problem(problem, category, number, key)
        body.problems.append(opened)
        return opened

    def _claim(self, body: _Body, item_id: str, row: int, column: Column) -> None:
        if item_id in body.ids:
            first = body.ids[item_id]
            raise self.fail(
                row,
                column,
                Msg(
                    "the id {item!r} is already the id of the item on row {first}",
                    item=item_id,
                    first=first,
                ),
                N_(
                    "give each problem and measure its own id, or clear the id columns to let "
                    "rectflow number them"
                ),
            )
        body.ids[item_id] = row

    def _kind(self, row: int) -> ProblemKind:
        text = self.text(row, Column.KIND)
        if not text:
            return ProblemKind.SPECIFIC
        kind = _KIND_BY_LABEL.get(text)
        if kind is None:
            raise self.fail(
                row,
                Column.KIND,
                Msg("{text!r} is not a kind of problem", text=text),
                Msg(
                    "write one of {kinds}, or leave it blank",
                    kinds="、".join(PROBLEM_KIND_ZH.values()),
                ),
            )
        return kind

    def _classification(self, row: int) -> Classification:
        text = self.text(row, Column.CLASSIFICATION)
        if not text:
            return Classification.PUBLIC
        found = _CLASS_BY_LABEL.get(text)
        if found is None:
            raise self.fail(
                row,
                Column.CLASSIFICATION,
                Msg("{text!r} is not a classification", text=text),
                N_("write 公开, 内部 or 保密, or leave it blank"),
            )
        return found

    def _row(self, row: int) -> None:
        body = self._body(row)
        category = self._category(row, body)
        opened = self._problem(row, body, category)
        problem = opened.problem
        measure_id = self.text(row, Column.MEASURE_ID)
        text = self.text(row, Column.MEASURE)
        if self.text(row, Column.PROGRESS):
            self.progress += 1
        fields = self._fields(row)
        if not measure_id and not text:
            if problem.measures or opened.own_row is not None:
                self.warn(
                    row,
                    Column.MEASURE,
                    Msg(
                        "a row of problem {problem} without 整改措施 after its first row: "
                        "its cells were not read",
                        problem=problem.id,
                    ),
                )
                return
            opened.own_row = row
            _own(problem, *fields)
            return
        if opened.own_row is not None:
            self.warn(
                opened.own_row,
                Column.MEASURE,
                Msg(
                    "problem {problem}'s first row has no 整改措施 but rows with measures follow: "
                    "that row's deadline, responsibility, state and evidence were not kept",
                    problem=problem.id,
                ),
            )
            opened.own_row = None
            _own(problem, None, None, ItemState.OPEN, True, (), ())
        measure_id = measure_id or f"{problem.id}.{len(problem.measures) + 1}"
        self._claim(body, measure_id, row, Column.MEASURE_ID)
        who, due, state, known, evidence, tags = fields
        measure = Measure(
            measure_id,
            text,
            responsibility=who,
            due_on=due,
            state=state,
            evidence=evidence,
            tags=tags,
            initial_state=state,
            state_known=known,
        )
        list.append(problem.measures, measure)

    def _fields(
        self, row: int
    ) -> tuple[
        Responsibility | None,
        dt.date | None,
        ItemState,
        bool,
        tuple[Evidence, ...],
        tuple[str, ...],
    ]:
        who = Responsibility(
            self.field(row, Column.LEADER) or None,
            self.field(row, Column.DEPARTMENT) or None,
            self.field(row, Column.PERSON) or None,
        )
        raw = self.raw(row, Column.DUE)
        if isinstance(raw, str) and _text(raw) in BLANK_WORDS:
            raw = None
        try:
            deadline = read_deadline(raw, context=self.last_due, default_year=self.default_year)
        except DeadlineError as error:
            raise self.fail(row, Column.DUE, error.reason, error.fix) from None
        if deadline.year_from is not None:
            self.warn(
                row,
                Column.DUE,
                Msg(
                    "{text!r} has no year: {how}",
                    text=_text(raw),
                    how=deadline.year_from,
                    zh={"how": translate("zh", deadline.year_from)},
                ),
            )
        if deadline.day is not None:
            self.last_due = deadline.day
        state, known = self._state(row)
        evidence = tuple(
            Evidence(line.strip(_SPACE))
            for line in self.text(row, Column.EVIDENCE).splitlines()
            if line.strip(_SPACE) and line.strip(_SPACE) not in BLANK_WORDS
        )
        tags = (deadline.tag,) if deadline.tag else ()
        return (None if who.is_empty() else who), deadline.day, state, known, evidence, tags

    def _state(self, row: int) -> tuple[ItemState, bool]:
        written = normalise(self.field(row, Column.STATE)).strip("。.")
        state: ItemState | None = None
        if written:
            state = STATE_WORDS.get(written)
            if state is None:
                for word in sorted(STATE_WORDS, key=len, reverse=True):
                    if word in written:
                        state = STATE_WORDS[word]
                        break
            if state is None:
                raise self.fail(
                    row,
                    Column.STATE,
                    Msg("{text!r} is not a state rectflow reads", text=written),
                    N_(
                        "write 已完成, 基本完成, 正在推进, 长期坚持, 未完成, 待验收 or 已销号 "
                        "(or leave it blank when no one has said)"
                    ),
                )
        sign_off = normalise(self.field(row, Column.SIGN_OFF))
        if sign_off:
            if sign_off in _CLOSED_WORDS or sign_off.startswith("已销号"):
                if state is not None and state not in _DONE:
                    self.warn(
                        row,
                        Column.SIGN_OFF,
                        Msg(
                            "销号情况 says {sign_off} but 完成情况 says {state}: "
                            "read as closed (已销号)",
                            sign_off=sign_off,
                            state=written,
                        ),
                    )
                state = ItemState.CLOSED
            elif sign_off in _SUBMITTED_WORDS:
                if state is None or state is ItemState.COMPLETED:
                    state = ItemState.SUBMITTED
            elif sign_off not in _OPEN_SIGN_OFF:
                raise self.fail(
                    row,
                    Column.SIGN_OFF,
                    Msg("{text!r} is not a sign-off rectflow reads", text=sign_off),
                    N_("write 已销号, 待验收 or 未销号, or leave it blank"),
                )
        if state is None:
            return ItemState.OPEN, False
        return state, True


def _own(
    problem: Problem,
    who: Responsibility | None,
    due: dt.date | None,
    state: ItemState,
    known: bool,
    evidence: tuple[Evidence, ...],
    tags: tuple[str, ...],
) -> None:
    """Give a problem tracked without measures its row's fields, as it starts (no event)."""
    force(problem, "responsibility", who)
    force(problem, "due_on", due)
    force(problem, "evidence", evidence)
    force(problem, "_state", state)
    force(problem, "_state_known", known)
    problem.tags = tags
    problem.initial_state = state


def _title_body(grid: Grid, header: int) -> str:
    """The inspected body a title line above the header names (``某某医院巡察反馈问题整改台账``)."""
    for values in grid[: header - 1]:
        for value in values:
            text = _text(value)
            if text and _TITLE_SUFFIX.search(text):
                return _TITLE_SUFFIX.sub("", text).strip(_SPACE)
    return ""


def import_ledger(
    path: Path | str,
    *,
    sheet: str | None = None,
    case_id: str | None = None,
    inspected_body: str | None = None,
    default_year: int | None = None,
) -> LedgerImport:
    """Read a ledger workbook into a draft case (or one per inspected body of a round's ledger).

    Args:
        path: the ``.xlsx`` file.
        sheet: the sheet to read (by default the one named 问题清单, 任务清单, 责任清单, 整改台账
            or 台账, else the first with a ledger header).
        case_id: the id of the case (by default the file's name without its suffix; with
            several bodies, that and ``-1``, ``-2`` …).
        inspected_body: the inspected body (by default what the title line names).
        default_year: the year of a deadline written without one (6月30日前) when no deadline
            above it gives one.

    Returns:
        The cases with the sheet, header row, columns and warnings.

    Raises:
        LedgerError: the file is not a workbook, has no ledger sheet, or a cell cannot be read;
            the error names the sheet, the cell and its column's heading.
    """
    path = Path(path)
    workbook = _open(path)
    try:
        name = _pick_sheet(workbook, path, sheet)
        grid = _grid(workbook, name)
        origin = _merged(path, workbook, name)
        identifier = workbook.properties.identifier
    finally:
        workbook.close()
    found = _header(grid)
    if found is None:
        raise LedgerError(
            path,
            Msg(
                "no header row in the first {rows} rows names 问题描述 or 整改措施 "
                "and two more known columns",
                rows=HEADER_SEARCH_ROWS,
            ),
            N_(
                "write the header (序号, 问题类别, 问题描述, 整改措施, 责任领导, 责任部门, 责任人, "
                "完成时限, 整改进展, 完成情况, 佐证材料, 销号情况) in one row above the ledger"
            ),
            sheet=name,
        )
    header, columns, unknown = _second_header(grid, origin, *found)
    reader = _Reader(_Sheet(path, grid, name, origin), header, columns, default_year)
    for index, heading in unknown:
        reader.warnings.append(
            LedgerWarning(
                name, header, index, Msg("unknown column {heading!r}: ignored", heading=heading)
            )
        )
    reader.read()
    if reader.progress:
        reader.warn(
            None,
            None,
            Msg(
                "整改进展 of {count} row(s) not kept: the case records progress as events "
                "(rectflow fire … --note); the export writes the latest one",
                count=reader.progress,
            ),
        )
    body_name = inspected_body if inspected_body is not None else _title_body(grid, header)
    base = case_id or identifier or path.stem
    cases = []
    bodies = reader.bodies or [_Body(body_name)]
    for number, body in enumerate(bodies, start=1):
        cases.append(
            Case(
                id=body.case_id or (base if len(bodies) == 1 else f"{base}-{number}"),
                inspected_body=body.name or body_name,
                categories=[category for category, _ in body.categories],
            )
        )
    return LedgerImport(
        tuple(cases),
        name,
        header,
        tuple(
            (index, _text(_cell(grid, header, index)), column) for index, column in columns.items()
        ),
        tuple(reader.warnings),
        reader.rows,
    )
