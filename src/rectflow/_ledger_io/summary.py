"""The 统计汇总 sheet: a roll-up (:func:`rectflow.rollup`) as offices tabulate it.

Every figure is the roll-up's own (docs/stats.md defines them); nothing is counted here. The sheet
holds, under a title line with the day:

* the totals: problems (问题) and items (整改事项: measures, and problems tracked without
  measures), each with 总数, 已完成, 基本完成, 长期坚持, 未完成, 状态未知, 逾期, the completion
  rate (a percentage cell) and its numerator/denominator, the on-time rate, 驳回 and 延期;
* the same for each group (by body for a round, by department for a case);
* the items on each level of the escalation ladder, each filled with its colour;
* accountability (问责) by form;
* the definitions of the rates, with their denominators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rectflow._core.kinds import ProblemKind
from rectflow._core.labels import ACCOUNTABILITY_FORM_ZH, PROBLEM_KIND_ZH
from rectflow._ledger_io.errors import column_letter
from rectflow._ledger_io.export import SummaryWriter
from rectflow._ledger_io.rows import level_colour
from rectflow._rounds.rollup import Rate, Rollup, Tally

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["TALLY_HEADINGS", "summary_writer"]

TALLY_HEADINGS = (
    "总数",
    "已完成",
    "基本完成",
    "长期坚持",
    "未完成",
    "状态未知",
    "逾期",
    "完成率",
    "完成率口径",
    "按期完成率",
    "驳回",
    "延期",
)
"""The columns of a tally row, after the row's name."""

_GROUP_NAMES = {
    "body": "被巡察单位",
    "department": "责任部门",
    "leader": "责任领导",
    "kind": "问题性质",
    "category": "问题类别",
}
_FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE"}
DEFINITIONS = (
    "口径说明：",
    "已完成 = 已完成 + 待验收（报请销号）+ 已销号；未完成 = 待整改 + 正在推进 + 反弹回潮；"
    "状态未知（无人说明其状态的事项）单列，不计为未完成。",
    "完成率 = 已完成 ÷（已完成 + 基本完成 + 未完成）；长期坚持和状态未知不计入分母。",
    "按期完成率（整改事项）= 按期完成的事项 ÷（有完成时限且完成日期可知的已完成事项 + 逾期事项）；"
    "完成时限为截至统计日经批准延期后的时限。",
    "整改事项 = 整改措施，以及未分解措施的问题本身。详见 rectflow 文档 docs/stats.md。",
)


def _rate_value(rate: Rate | None) -> float | str:
    if rate is None or rate.fraction is None:
        return "—"
    return float(rate.fraction)


def _rate_text(rate: Rate | None) -> str:
    if rate is None:
        return "—"
    return f"{rate.numerator}/{rate.denominator}"


def _tally_values(tally: Tally) -> list[int | float | str]:
    return [
        tally.total,
        tally.completed,
        tally.basically_completed,
        tally.long_term,
        tally.unfinished,
        tally.unknown,
        tally.overdue,
        _rate_value(tally.completion),
        _rate_text(tally.completion),
        _rate_value(tally.on_time),
        tally.rejections,
        tally.extensions,
    ]


def _group_name(by: str, key: str | None) -> str:
    if key is None:
        return "（未填写）"
    if by == "kind":
        return PROBLEM_KIND_ZH.get(ProblemKind(key), key)
    return key


def summary_writer(rollup: Rollup) -> SummaryWriter:
    """A writer of the 统计汇总 sheet for ``rollup`` (give it to the workbook export)."""

    def write(ws: Worksheet) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415 - the extra

        bold = Font(bold=True)
        as_of = rollup.as_of
        title = f"统计汇总（截至{as_of.year}年{as_of.month}月{as_of.day}日）"
        if rollup.round_name:
            title = f"{rollup.round_name} {title}"
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
        ws.column_dimensions["A"].width = 24
        for index in range(2, len(TALLY_HEADINGS) + 2):
            ws.column_dimensions[column_letter(index)].width = 11
        row = 3

        def header(first: str) -> None:
            nonlocal row
            for index, text in enumerate((first, *TALLY_HEADINGS), start=1):
                cell = ws.cell(row=row, column=index, value=text)
                cell.font = bold
                cell.fill = PatternFill("solid", fgColor="D9E1F2")
                cell.alignment = Alignment(horizontal="center", wrap_text=True)
            row += 1

        def tally_row(name: str, tally: Tally) -> None:
            nonlocal row
            ws.cell(row=row, column=1, value=name).data_type = "s"
            for index, value in enumerate(_tally_values(tally), start=2):
                cell = ws.cell(row=row, column=index, value=value)
                if isinstance(value, float):
                    cell.number_format = "0.00%"
            row += 1

        header("总体")
        tally_row("问题", rollup.problems)
        tally_row("整改事项", rollup.items)
        row += 1
        if rollup.by is not None and rollup.groups:
            header(f"按{_GROUP_NAMES[rollup.by]}（整改事项）")
            for group in rollup.groups:
                tally_row(_group_name(rollup.by, group.key), group.items)
            row += 1
        levels = rollup.items.levels or {}
        ws.cell(row=row, column=1, value="预警等级（整改事项）").font = bold
        ws.cell(row=row, column=2, value="事项数").font = bold
        row += 1
        for level in rollup.ladder.levels:
            name = ws.cell(row=row, column=1, value=level.label)
            name.data_type = "s"
            name.fill = PatternFill("solid", fgColor=_FILLS[level_colour(level, rollup.ladder)])
            ws.cell(row=row, column=2, value=levels.get(level.name, 0))
            row += 1
        row += 1
        ws.cell(row=row, column=1, value="问责（人次）").font = bold
        row += 1
        if not rollup.accountability:
            ws.cell(row=row, column=1, value="无")
            row += 1
        for form, people in rollup.accountability.items():
            ws.cell(row=row, column=1, value=ACCOUNTABILITY_FORM_ZH[form])
            ws.cell(row=row, column=2, value=people)
            row += 1
        row += 1
        for line in DEFINITIONS:
            cell = ws.cell(row=row, column=1, value=line)
            cell.alignment = Alignment(wrap_text=False)
            row += 1
        ws.freeze_panes = "B4"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4

    return write
