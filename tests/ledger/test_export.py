"""The workbook and the CSV as a person reads them: the layout docs/ledger.md shows."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("openpyxl")

from openpyxl import load_workbook

import rectflow
from rectflow import (
    Case,
    Category,
    Classification,
    Evidence,
    ItemState,
    LedgerError,
    Measure,
    Problem,
    Responsibility,
)
from rectflow.errors import CaseFileError

REPO = Path(__file__).resolve().parents[2]
SYNTHETIC = REPO / "examples" / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
THREE_COLOUR = REPO / "examples" / "policies" / "jiangjin-three-colour.toml"
OFFICE = [
    "序号",
    "问题类别",
    "问题描述",
    "整改措施",
    "责任领导",
    "责任部门",
    "责任人",
    "完成时限",
    "整改进展",
    "完成情况",
    "佐证材料",
    "销号情况",
]


def small_case() -> Case:
    """Two problems: one with two measures (one due soon, one late), one without measures."""
    who = Responsibility("张书记", "党委办公室", "李四")
    return Case(
        id="small",
        inspected_body="中共某某医院委员会",
        categories=[
            Category(
                "1",
                "党的领导方面",
                [
                    Problem(
                        "1.1",
                        "学习不深入",
                        measures=[
                            Measure(
                                "1.1.1",
                                "=修订学习制度",  # text, never a formula
                                who,
                                dt.date(2024, 6, 30),
                                state=ItemState.IN_PROGRESS,
                                initial_state=ItemState.IN_PROGRESS,
                                evidence=(Evidence("制度文件"), Evidence("会议纪要", public=True)),
                            ),
                            Measure(
                                "1.1.2",
                                "建立台账",
                                who,
                                dt.date(2024, 5, 31),
                                state=ItemState.OPEN,
                            ),
                        ],
                    ),
                    Problem(
                        "1.2",
                        "内部问题",
                        classification=Classification.INTERNAL,
                        state=ItemState.COMPLETED,
                        initial_state=ItemState.COMPLETED,
                    ),
                ],
            )
        ],
    )


def test_the_ledger_sheet_is_laid_out_as_offices_keep_it(tmp_path: Path) -> None:
    """Title, day line, the twelve office columns then rectflow's; merged problem cells; dates as
    dates; frozen header; A4 landscape with the header repeated."""
    path = rectflow.export_ledger(small_case(), tmp_path / "l.xlsx", as_of=dt.date(2024, 6, 20))
    wb = load_workbook(path)
    assert wb.sheetnames == ["问题清单", "统计汇总", "工作留痕"]
    ws = wb["问题清单"]
    assert ws["A1"].value == "中共某某医院委员会巡察反馈问题整改台账"
    assert ws["A2"].value == "截至2024年6月20日"
    header = [c.value for c in ws[3]]
    assert header[:12] == OFFICE
    assert header[12:] == [
        "预警等级",
        "类别编号",
        "问题编号",
        "措施编号",
        "问题性质",
        "公开属性",
        "案例编号",
    ]
    assert "A4:A5" in {str(r) for r in ws.merged_cells.ranges}  # 序号 down problem 1.1's rows
    assert "C4:C5" in {str(r) for r in ws.merged_cells.ranges}  # 问题描述 likewise
    assert "B4:B6" in {str(r) for r in ws.merged_cells.ranges}  # 问题类别 down the category
    assert ws["D4"].value == "=修订学习制度"
    assert ws["D4"].data_type == "s"
    assert ws["H4"].value == dt.datetime(2024, 6, 30)
    assert ws["H4"].number_format == "yyyy-mm-dd"
    assert ws["K4"].value == "制度文件\n会议纪要"
    assert ws["K4"].alignment.wrap_text
    assert [ws["J4"].value, ws["L4"].value] == ["正在推进", "未销号"]
    assert ws["J6"].value == "已完成"  # problem 1.2 tracked without measures
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.column_dimensions["C"].width == 40


def test_levels_are_filled_by_the_ladder_as_of_the_day(tmp_path: Path) -> None:
    """Under the three-colour policy, on 2024-06-20 measure 1.1.1 (due in 10 days) is yellow and
    1.1.2 (late) is red; a done item has no fill."""
    policy = rectflow.load_policy(THREE_COLOUR)
    path = rectflow.export_ledger(
        small_case(), tmp_path / "l.xlsx", as_of=dt.date(2024, 6, 20), policy=policy
    )
    ws = load_workbook(path)["问题清单"]
    assert [ws["M4"].value, ws["M5"].value, ws["M6"].value] == ["黄色预警", "红色预警", None]
    assert ws["M4"].fill.fgColor.rgb.endswith("FFEB9C")
    assert ws["H5"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["M6"].fill.fill_type is None


def test_the_summary_sheet_holds_the_rollups_figures(tmp_path: Path) -> None:
    """统计汇总 says what rectflow.rollup says, nothing counted again."""
    case = rectflow.load_case(SYNTHETIC)
    day = dt.date(2025, 6, 1)
    path = rectflow.export_ledger(case, tmp_path / "l.xlsx", as_of=day)
    ws = load_workbook(path)["统计汇总"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r[0]}
    rolled = rectflow.rollup(case, as_of=day, by="department")
    items = rolled.items
    assert rows["整改事项"][:7] == (
        items.total,
        items.completed,
        items.basically_completed,
        items.long_term,
        items.unfinished,
        items.unknown,
        items.overdue,
    )
    assert rows["整改事项"][8] == f"{items.completion.numerator}/{items.completion.denominator}"
    assert rows["整改事项"][7] == pytest.approx(float(items.completion.fraction or 0))
    for group in rolled.groups:
        assert rows[group.key or "（未填写）"][0] == group.items.total


def test_the_work_trail_lists_the_events_up_to_the_day(tmp_path: Path) -> None:
    """工作留痕: one row per event on or before the day, trigger in Chinese."""
    case = rectflow.load_case(SYNTHETIC)
    day = dt.date(2024, 6, 30)
    path = rectflow.export_ledger(case, tmp_path / "l.xlsx", as_of=day)
    ws = load_workbook(path)["工作留痕"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(1 for e in case.events if e.on <= day)
    first = next(iter(case.events))
    assert rows[0][0] == first.seq
    assert rows[0][2] == dt.datetime.combine(first.on, dt.time())


def test_a_public_ledger_holds_only_what_may_be_published(tmp_path: Path) -> None:
    """No internal problem, no one's name, no internal evidence, no work trail, no summary."""
    path = rectflow.export_ledger(
        small_case(), tmp_path / "p.xlsx", as_of=dt.date(2024, 6, 20), public=True
    )
    wb = load_workbook(path)
    assert wb.sheetnames == ["问题清单"]
    ws = wb["问题清单"]
    header = [c.value for c in ws[3]]
    assert "责任领导" not in header
    assert "责任人" not in header
    values = [c.value for row in ws.iter_rows(min_row=4) for c in row]
    assert "内部问题" not in values
    assert "张书记" not in values
    assert "会议纪要" in values  # the public piece of evidence
    assert "制度文件" not in " ".join(str(v) for v in values)


def test_a_public_ledger_keeps_a_public_problem_whose_measures_are_held_back(
    tmp_path: Path,
) -> None:
    """A public problem whose only measure is internal is one row of its own (as the notices
    show it), and the 序号 run on without a gap that would point at something held back; a
    submission reads 已完成 and an unstated state is left blank."""
    who = Responsibility("张书记", "党委办公室", "李四")
    case = Case(
        id="held",
        inspected_body="某单位",
        categories=[
            Category(
                "1",
                "甲类",
                [
                    Problem(
                        "1.1",
                        "公开问题一",
                        measures=[Measure("1.1.1", "内部措施", who, tags=("internal",))],
                    ),
                    Problem(
                        "1.2",
                        "公开问题二",
                        measures=[
                            Measure(
                                "1.2.1",
                                "报请销号的措施",
                                who,
                                state=ItemState.SUBMITTED,
                                initial_state=ItemState.SUBMITTED,
                            ),
                            Measure("1.2.2", "未说明的措施", who, state_known=False),
                        ],
                    ),
                ],
            )
        ],
    )
    path = rectflow.export_ledger(case, tmp_path / "p.csv", as_of=dt.date(2024, 6, 20), public=True)
    rows = list(csv.DictReader(path.read_text("utf-8-sig").splitlines()))
    assert [(r["序号"], r["问题描述"], r["整改措施"]) for r in rows] == [
        ("1", "公开问题一", ""),
        ("2", "公开问题二", "报请销号的措施"),
        ("2", "公开问题二", "未说明的措施"),
    ]
    assert "内部措施" not in path.read_text("utf-8-sig")
    assert [(r["完成情况"], r["销号情况"]) for r in rows[1:]] == [("已完成", "未销号"), ("", "")]


def test_the_csv_is_one_row_per_measure_with_a_bom(tmp_path: Path) -> None:
    """UTF-8 with a byte-order mark (Excel opens it as UTF-8), ISO dates."""
    path = rectflow.export_ledger(small_case(), tmp_path / "l.csv", as_of=dt.date(2024, 6, 20))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:12] == OFFICE
    assert len(rows) == 1 + 3
    assert rows[1][7] == "2024-06-30"


def test_a_csv_cell_excel_would_run_as_a_formula_is_kept_as_text(tmp_path: Path) -> None:
    """``=修订学习制度`` is written ``'=修订学习制度`` in the CSV (a text cell in the workbook)."""
    path = rectflow.export_ledger(small_case(), tmp_path / "l.csv", as_of=dt.date(2024, 6, 20))
    rows = list(csv.reader(path.read_bytes().decode("utf-8-sig").splitlines()))
    assert rows[1][3] == "'=修订学习制度"
    assert rows[2][3] == "建立台账"


def test_a_text_a_workbook_cannot_hold_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    """A control character names the item and field; the file is not created."""
    case = small_case()
    rectflow.edit_text(case, "1.1.2", "建立\x07台账", on=dt.date(2024, 6, 1))
    path = tmp_path / "bad.xlsx"
    with pytest.raises(LedgerError, match=r"item 1\.1\.2's 整改措施 holds the control character"):
        rectflow.export_ledger(case, path, as_of=dt.date(2024, 6, 20))
    assert not path.exists()


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    """The rules of every output: a new file unless force."""
    path = tmp_path / "l.xlsx"
    path.write_bytes(b"old")
    with pytest.raises(CaseFileError, match="the file exists"):
        rectflow.export_ledger(small_case(), path, as_of=dt.date(2024, 6, 20))
    assert path.read_bytes() == b"old"
    rectflow.export_ledger(small_case(), path, as_of=dt.date(2024, 6, 20), force=True)
    assert path.read_bytes().startswith(b"PK")


def test_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    """.xls (the old format) and others name the two that are written."""
    with pytest.raises(LedgerError, match=r"name the file \.xlsx"):
        rectflow.export_ledger(small_case(), tmp_path / "l.xls", as_of=dt.date(2024, 6, 20))


def test_the_same_case_on_the_same_day_gives_the_same_bytes(tmp_path: Path) -> None:
    """No clock in the workbook: its timestamps are the day it stands on."""
    one = rectflow.export_ledger(small_case(), tmp_path / "1.xlsx", as_of=dt.date(2024, 6, 20))
    two = rectflow.export_ledger(small_case(), tmp_path / "2.xlsx", as_of=dt.date(2024, 6, 20))
    assert one.read_bytes() == two.read_bytes()
