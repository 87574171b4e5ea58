"""A ledger as offices really keep it (merged cells, Chinese dates, blank rows, a title, a total
row, unknown columns, full-width digits, stray white space) imports with the documented result;
a cell that cannot be read is refused naming its sheet, row and column, and nothing is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("openpyxl")

from openpyxl import Workbook

import rectflow
from rectflow import ItemState, LedgerError, import_ledger
from rectflow._i18n import Msg

HEADER = [
    "序号",
    "问题类别",
    "问题\n描述",  # a heading broken over two lines
    "整改措施",
    "责任领导",
    "责任部门",
    "责任人",
    "完成时限",
    "整改进展",
    "完成情况",
    "佐证材料",
    "销号情况",
    "备注",  # a column rectflow does not know
]


def messy_workbook(path: Path) -> Path:
    """The workbook a district office might send: written here with openpyxl, cell by cell."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "说明"  # a cover sheet before the ledger
    first["A1"] = "填表说明：请按时更新"
    ws = wb.create_sheet("问题清单")
    ws.merge_cells("A1:M1")
    ws["A1"] = "中共某某区人民医院委员会巡察反馈问题整改台账"
    ws["A2"] = "填报单位：党委办公室        填报日期：2024年7月1日"
    ws.append(HEADER)  # row 3
    rows = [
        # row 4-6: problem 1, three measures, 序号/类别/描述 merged down (4:6)
        [
            "１",
            " 党的领导方面 ",
            "  理论学习中心组学习不深入　",
            "修订中心组学习制度",
            "张书记",
            "党委办公室",
            "李四",
            "2024年6月底",
            "已印发制度",
            "已完成",
            "学习制度（2024年修订）\n党委会纪要",
            "已销号",
            "无",
        ],
        [
            None,
            None,
            None,
            "建立学习台账",
            "张书记",
            "党委办公室",
            "李四",
            "6月30日前",
            "",
            "基本完成",
            "",
            "",
            "",
        ],
        [
            None,
            None,
            None,
            "每季度开展专题研讨",
            "张书记",
            "党委办公室",
            "王五",
            "长期坚持",
            "",
            "长期坚持",
            "",
            "",
            "",
        ],
        # row 7: a blank separator row
        [None] * 13,
        # row 8-9: problem 2 (merged 8:9), category carried by the merge of B4:B9
        [
            "2",
            None,
            "意识形态工作责任制落实不到位",
            "制定意识形态工作责任清单",
            "张书记",
            "宣传科",
            "赵六",
            "2024年底前",
            "",
            "正在推进",
            "",
            "未销号",
            "",
        ],
        [
            None,
            None,
            None,
            "开展意识形态风险排查",
            "张书记",
            "宣传科",
            "赵六",
            dt.datetime(2024, 9, 15),
            "",
            "",
            "",
            "",
            "",
        ],
        # row 10: a category row spanning the sheet, then problem 3 tracked without measures
        ["二、作风建设方面"] + [None] * 12,
        [
            "3",
            None,
            "公务接待管理不规范",
            None,
            "刘院长",
            "院办",
            "孙七",
            "立行立改",
            "",
            "已完成",
            "接待清单",
            "待验收",
            "",
        ],
        # row 12: problem 4, no merge, 完成情况 blank: no one stated its state
        [
            "４",
            "作风建设方面",
            "会议费报销手续不全",
            "规范会议费报销流程",
            "刘院长",
            "财务科",
            "周八",
            "２０２４年９月",
            "",
            "",
            "",
            "",
            "",
        ],
        # row 13: its second measure, 问题描述 left blank (the problem above continues)
        [
            None,
            None,
            None,
            "开展会议费专项检查",
            "刘院长",
            "财务科",
            "—",  # 无, —, / say "nobody" or "nothing"
            "2024.10.31",
            "",
            "未完成",
            "无",
            "/",
            "",
        ],
        [None] * 13,
        ["合计", None, "4个问题", "8项措施"] + [None] * 9,
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A4:A6")
    ws.merge_cells("B4:B9")
    ws.merge_cells("C4:C6")
    ws.merge_cells("A8:A9")
    ws.merge_cells("C8:C9")
    ws.merge_cells("A10:M10")
    wb.save(path)
    return path


def test_a_messy_office_workbook_imports_with_the_documented_result(tmp_path: Path) -> None:
    """Merged cells, Chinese dates, a title, a cover sheet, blank and total rows are read as
    docs/ledger.md says."""
    result = import_ledger(messy_workbook(tmp_path / "台账.xlsx"))
    case = result.case
    assert (result.sheet, result.header_row) == ("问题清单", 3)
    assert case.id == "台账"
    assert case.inspected_body == "中共某某区人民医院委员会"
    assert [(c.id, c.title) for c in case.categories] == [
        ("1", "党的领导方面"),
        ("2", "作风建设方面"),
    ]
    problems = {p.id: p for p in case.problems()}
    assert {pid: p.title for pid, p in problems.items()} == {
        "1.1": "理论学习中心组学习不深入",
        "1.2": "意识形态工作责任制落实不到位",
        "2.1": "公务接待管理不规范",
        "2.2": "会议费报销手续不全",
    }
    first = problems["1.1"].measures
    assert [m.id for m in first] == ["1.1.1", "1.1.2", "1.1.3"]
    assert [m.due_on for m in first] == [dt.date(2024, 6, 30), dt.date(2024, 6, 30), None]
    assert first[2].tags == ("长期坚持",)
    assert [m.state for m in first] == [
        ItemState.CLOSED,
        ItemState.BASICALLY_COMPLETED,
        ItemState.LONG_TERM,
    ]
    assert [e.title for e in first[0].evidence] == ["学习制度（2024年修订）", "党委会纪要"]
    assert first[0].responsibility == rectflow.Responsibility("张书记", "党委办公室", "李四")
    second = problems["1.2"].measures
    assert [m.due_on for m in second] == [dt.date(2024, 12, 31), dt.date(2024, 9, 15)]
    assert second[0].state is ItemState.IN_PROGRESS
    assert not second[1].state_known  # a blank 完成情况 is not "unfinished"
    own = problems["2.1"]
    assert own.measures == []
    assert (own.own_state, own.due_on, own.tags) == (ItemState.SUBMITTED, None, ("立行立改",))
    assert own.responsibility == rectflow.Responsibility("刘院长", "院办", "孙七")
    last = problems["2.2"].measures
    assert [m.due_on for m in last] == [dt.date(2024, 9, 30), dt.date(2024, 10, 31)]
    assert [(m.state_known, m.state) for m in last] == [
        (False, ItemState.OPEN),
        (True, ItemState.OPEN),
    ]
    assert (last[1].evidence, last[1].responsibility) == (
        (),
        rectflow.Responsibility("刘院长", "财务科", None),
    )
    # No event is invented: every item starts where the ledger says it stands.
    assert len(case.events) == 0
    assert rectflow.replay(case) == case
    said = {(w.where(), w.message.split(":")[0]) for w in result.warnings}
    assert ("问题清单!M3", "unknown column '备注'") in said
    assert ("问题清单!15", "a total row (合计)") in said
    assert any(w.where() == "问题清单!H5" and "year 2024" in w.message for w in result.warnings)


def test_the_imported_case_saves_and_loads_back(tmp_path: Path) -> None:
    """What the importer builds is a valid case file."""
    case = import_ledger(messy_workbook(tmp_path / "台账.xlsx")).case
    rectflow.save_case(case, tmp_path / "case.toml")
    assert rectflow.load_case(tmp_path / "case.toml") == case


def _refused(tmp_path: Path, cell: str, value: str | int) -> LedgerError:
    path = messy_workbook(tmp_path / "台账.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["问题清单"][cell] = value
    wb.save(path)
    with pytest.raises(LedgerError) as refused:
        import_ledger(path)
    return refused.value


def test_an_unreadable_deadline_names_its_sheet_row_and_column(tmp_path: Path) -> None:
    """``问题清单!H12 (完成时限)``: the reason and the fix follow."""
    error = _refused(tmp_path, "H12", "尽快")
    assert (error.sheet, error.row, error.column, error.heading) == ("问题清单", 12, 8, "完成时限")
    assert str(error).startswith(f"{tmp_path / '台账.xlsx'}: 问题清单!H12 (完成时限): '尽快'")
    assert "fix: write a date" in str(error)


def test_a_heading_broken_over_lines_is_said_on_one_line(tmp_path: Path) -> None:
    """``整改\n时限`` in the header cell: the error stays one line (``(整改 时限)``)."""
    path = messy_workbook(tmp_path / "台账.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["问题清单"]["H3"] = "整改\n时限"
    wb["问题清单"]["H12"] = "2024年13月"
    wb.save(path)
    with pytest.raises(LedgerError) as refused:
        import_ledger(path)
    assert refused.value.heading == "整改 时限"
    assert "\n" not in str(refused.value)
    assert "问题清单!H12 (整改 时限): '2024年13月' has month 13" in str(refused.value)


def test_an_unknown_state_word_is_refused_at_its_cell(tmp_path: Path) -> None:
    """A 完成情况 that names no state rectflow reads is not guessed."""
    error = _refused(tmp_path, "J8", "差不多")
    assert (error.row, error.column, error.heading) == (8, 10, "完成情况")


def test_an_impossible_date_is_refused_at_its_cell(tmp_path: Path) -> None:
    """2024年2月30日 does not exist."""
    error = _refused(tmp_path, "H13", "2024年2月30日")
    assert (error.row, error.column) == (13, 8)
    assert "does not exist" in error.reason


def test_a_number_in_the_deadline_column_is_refused(tmp_path: Path) -> None:
    """A bare number is not a date (it may be an Excel serial formatted as a number)."""
    error = _refused(tmp_path, "H12", 45473)
    assert "is a number, not a date" in error.reason


def test_a_measure_without_a_problem_above_it_is_refused(tmp_path: Path) -> None:
    """The first ledger row must say its problem."""
    path = tmp_path / "bare.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "问题描述", "整改措施", "完成时限"])
    ws.append([None, None, "一项措施", "2024年6月"])
    wb.save(path)
    with pytest.raises(LedgerError) as refused:
        import_ledger(path)
    assert (refused.value.row, refused.value.column, refused.value.heading) == (2, 2, "问题描述")


def test_a_workbook_without_a_ledger_header_is_refused(tmp_path: Path) -> None:
    """No sheet names 问题描述 or 整改措施 and two more columns."""
    path = tmp_path / "none.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "电话"])
    wb.save(path)
    with pytest.raises(LedgerError, match="no sheet has a ledger header"):
        import_ledger(path)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    """A text file named .xlsx says how to save a real one."""
    path = tmp_path / "fake.xlsx"
    path.write_text("序号,问题描述\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"not an \.xlsx workbook"):
        import_ledger(path)


def test_a_sheet_that_does_not_exist_lists_the_sheets(tmp_path: Path) -> None:
    """--sheet with a wrong name names the ones there are."""
    path = messy_workbook(tmp_path / "台账.xlsx")
    with pytest.raises(LedgerError, match=r"sheets: 说明, 问题清单"):
        import_ledger(path, sheet="任务清单")


def test_a_year_less_deadline_with_nothing_above_takes_the_given_year(tmp_path: Path) -> None:
    """``6月30日前`` on the first row needs --year (or is refused)."""
    path = tmp_path / "year.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "问题描述", "整改措施", "完成时限"])
    ws.append([1, "问题", "措施", "6月30日前"])
    wb.save(path)
    with pytest.raises(LedgerError, match="no deadline with a year is above it"):
        import_ledger(path)
    case = import_ledger(path, default_year=2025).case
    assert next(case.measures()).due_on == dt.date(2025, 6, 30)


def test_a_merged_category_cell_under_a_category_row_keeps_its_problem_whole(
    tmp_path: Path,
) -> None:
    """``一、党的建设方面`` on its own row, then a problem whose 问题类别 (blank), 序号 and 问题描述
    are merged down its three measures: one category, one problem with three measures (the merged
    问题类别 split the problem in two, its second half in a category without a title)."""
    path = tmp_path / "rows.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "问题类别", "问题描述", "整改措施", "完成时限"])
    ws.append(["一、党的建设方面"])
    ws.merge_cells("A2:E2")
    ws.append([1, None, "决策制度执行不严格", "修订决策办法", "2024年6月底"])
    ws.append([None, None, None, "开展专项培训", "2024年5月31日"])
    ws.append([None, None, None, "建立决策台账", "长期坚持"])
    for column in "ABC":
        ws.merge_cells(f"{column}3:{column}5")
    ws.append([2, None, "组织生活不规范", "规范三会一课", "2024年9月30日前"])
    ws.append(["二、党风廉政建设方面"])
    ws.append([3, None, "耗材采购监管不到位", "清理供应商目录", "2024年下半年"])
    ws.append([None, None, None, "退回违规款项", "立行立改"])
    for column in "ABC":
        ws.merge_cells(f"{column}8:{column}9")
    wb.save(path)
    case = import_ledger(path).case
    assert [(c.id, c.title) for c in case.categories] == [
        ("1", "党的建设方面"),
        ("2", "党风廉政建设方面"),
    ]
    assert [(p.id, p.title, [m.text for m in p.measures]) for p in case.problems()] == [
        ("1.1", "决策制度执行不严格", ["修订决策办法", "开展专项培训", "建立决策台账"]),
        ("1.2", "组织生活不规范", ["规范三会一课"]),
        ("2.1", "耗材采购监管不到位", ["清理供应商目录", "退回违规款项"]),
    ]


def test_a_category_cell_that_names_its_heading_without_fang_mian_stays_in_it(
    tmp_path: Path,
) -> None:
    """Under ``一、党的建设方面`` the rows' 问题类别 cells say ``党的建设`` (merged down one
    problem's measures, then plain): the heading's category, not an empty one beside a second."""
    path = tmp_path / "short.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "问题类别", "问题描述", "整改措施", "完成时限"])
    ws.append(["一、党的建设方面"])
    ws.merge_cells("A2:E2")
    ws.append([1, "党的建设", "三重一大制度执行不严", "修订议事规则", "2024年6月底"])
    ws.append([None, None, None, "逐项复核近三年决策", "2024年9月30日"])
    for column in "ABC":
        ws.merge_cells(f"{column}3:{column}4")
    ws.append([2, "党的建设", "组织生活不规范", "建立台账", "长期坚持"])
    ws.append([3, "党风廉政建设", "采购监管不到位", "清理供应商", "立行立改"])
    wb.save(path)
    case = import_ledger(path).case
    assert [(c.id, c.title) for c in case.categories] == [
        ("1", "党的建设方面"),
        ("2", "党风廉政建设"),
    ]
    assert [p.id for p in case.problems()] == ["1.1", "1.2", "2.1"]


CELL_TEXT = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(
        ["2024年6月底", "6月30日前", "长期坚持", "已完成", "已销号", "合计", "二、方面"]
    ),
    st.integers(-5, 50000),
    st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)),
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(CELL_TEXT, min_size=6, max_size=6), min_size=1, max_size=6))
def test_any_cells_import_or_are_refused_at_a_cell(
    cells: list[list[object]], tmp_path: Path
) -> None:
    """Whatever the cells hold, the import gives a valid case or a LedgerError naming a row:
    never another exception."""
    path = tmp_path / "fuzz.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "问题描述", "整改措施", "完成时限", "完成情况", "销号情况"])
    for row in cells:
        ws.append([_illegal_free(value) for value in row])
    wb.save(path)
    refused: LedgerError | None = None
    try:
        result = import_ledger(path)
    except LedgerError as error:
        refused = error
    if refused is not None:
        assert (refused.sheet, refused.row is not None and refused.row >= 2) == ("Sheet", True)
        return
    for case in result.cases:
        assert rectflow.replay(case) == case
        assert rectflow.loads_case(rectflow.dumps_case(case)) == case


def _illegal_free(value: object) -> object:
    """openpyxl refuses control characters in a cell: the fuzz leaves them out."""
    if isinstance(value, str):
        return "".join(c for c in value if c >= " " or c in "\n\t")
    return value


def test_a_header_on_two_rows_is_read(tmp_path: Path) -> None:
    """责任主体 over 责任领导, 责任部门, 责任人, the other headings merged down both rows."""
    path = tmp_path / "two.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "任务清单"
    ws.append(["序号", "问题描述", "整改措施", "责任主体", None, None, "完成时限"])
    ws.append([None, None, None, "责任领导", "责任部门", "责任人", None])
    ws.append([1, "问题", "措施", "张书记", "党办", "李四", "2024年6月底"])
    for column in "ABCG":
        ws.merge_cells(f"{column}1:{column}2")
    ws.merge_cells("D1:F1")
    wb.save(path)
    result = import_ledger(path)
    assert result.header_row == 2
    measure = next(result.case.measures())
    assert measure.responsibility == rectflow.Responsibility("张书记", "党办", "李四")
    assert measure.due_on == dt.date(2024, 6, 30)
    assert [w.message for w in result.warnings] == []


def test_the_error_is_ready_to_be_said_in_chinese(tmp_path: Path) -> None:
    """The message is a Msg: its English as shown, its place in full-width form for Chinese."""
    error = _refused(tmp_path, "H12", "尽快")
    message = error.args[0]
    assert isinstance(message, Msg)
    assert message.template == "{where}: {reason}; fix: {fix}"
    assert message.fields_zh["where"] == f"{tmp_path / '台账.xlsx'}：问题清单!H12（完成时限）"
