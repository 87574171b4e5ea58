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
from pathlib import Path

import attrs

from rectflow._core.fields import force, ledger_append
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
    STATE_WORDS,
    Column,
)
from rectflow._ledger_io.deadlines import DeadlineError, normalise, read_deadline
from rectflow._ledger_io.errors import LedgerError, cell_name
from rectflow._ledger_io.sheet import (
    HEADER_SEARCH_ROWS,
    SPACE,
    Grid,
    Sheet,
    cell_at,
    find_header,
    merged_origins,
    open_workbook,
    pick_sheet,
    read_grid,
    second_header,
    text_of,
)

__all__ = ["LedgerImport", "LedgerWarning", "import_ledger"]

_TOTAL = re.compile(r"^(?:合计|总计|小计|共计)")
_CATEGORY_ROW = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]\s*(.+)$")
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


def _same_category(heading: str, title: str) -> bool:
    """Whether a 问题类别 cell names the category a heading row named: the same words, with or
    without the closing 方面 (a heading 一、党的建设方面 over rows whose cell says 党的建设)."""
    return heading.removesuffix("方面") == title.removesuffix("方面")


class _Reader:
    def __init__(
        self,
        sheet: Sheet,
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
        return text_of(self.raw(row, column))

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
        heading = text_of(cell_at(self.sheet.grid, self.header, index)) if index else None
        return self.sheet.error(row, index, heading, reason, fix)

    # -- rows -----------------------------------------------------------------------------------

    def read(self) -> None:
        last_row = len(self.sheet.grid)
        for row in range(self.header + 1, last_row + 1):
            texts = [text_of(self.sheet.value(row, index)) for index in self.columns]
            filled = [t for t in texts if t]
            if not filled:
                continue
            if _TOTAL.match(filled[0].replace(" ", "")):
                self.warn(row, None, Msg("a total row ({text}): skipped", text=filled[0]))
                continue
            if len(set(filled)) == 1 and (heading := _CATEGORY_ROW.match(filled[0])):
                # "二、作风建设方面" alone on its row (often merged across it) starts a category.
                self._category_row(row, heading[1].strip(SPACE))
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
            if (how, what) == key or (
                key[0] == "title" and _same_category(current.title, title) and how != "id"
            ):
                return current
            # A category row (二、…方面) names the category of the rows under it; the first row's
            # key (a merged 问题类别 range, say) is the category's from then on, so that the next
            # row of the same range stays in it.
            if (
                how == "row"
                and not current.problems
                and not given
                and (not title or _same_category(current.title, title))
            ):
                body.categories[-1] = (current, key)
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
        ledger_append(category.problems, problem)
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
        ledger_append(problem.measures, measure)

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
        if isinstance(raw, str) and text_of(raw) in BLANK_WORDS:
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
                    text=text_of(raw),
                    how=deadline.year_from,
                    zh={"how": translate("zh", deadline.year_from)},
                ),
            )
        if deadline.day is not None:
            self.last_due = deadline.day
        state, known = self._state(row)
        evidence = tuple(
            Evidence(line.strip(SPACE))
            for line in self.text(row, Column.EVIDENCE).splitlines()
            if line.strip(SPACE) and line.strip(SPACE) not in BLANK_WORDS
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
            text = text_of(value)
            if text and _TITLE_SUFFIX.search(text):
                return _TITLE_SUFFIX.sub("", text).strip(SPACE)
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
    workbook = open_workbook(path)
    try:
        name = pick_sheet(workbook, path, sheet)
        grid = read_grid(workbook, name)
        origin = merged_origins(path, workbook, name)
        identifier = workbook.properties.identifier
    finally:
        workbook.close()
    found = find_header(grid)
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
    header, columns, unknown = second_header(grid, origin, *found)
    reader = _Reader(Sheet(path, grid, name, origin), header, columns, default_year)
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
            (index, text_of(cell_at(grid, header, index)), column)
            for index, column in columns.items()
        ),
        tuple(reader.warnings),
        reader.rows,
    )
