"""The ledger workbook's columns: what each holds, the headings offices write for it, its width.

The twelve columns offices keep (序号 … 销号情况) come first, in their usual order; rectflow's
own columns follow them (预警等级, written on export and ignored on import, then the ids, the
kind and the classification that make a re-import exact). A workbook from elsewhere needs only
some of the office columns: the importer finds them by their headings, written in any of the
ways :data:`HEADINGS` lists.
"""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import Final

from rectflow._core.kinds import Classification, ItemState
from rectflow._core.labels import ITEM_STATE_ZH, NOTICE_STATE_WORDS

__all__ = [
    "CLASSIFICATION_ZH",
    "HEADINGS",
    "OFFICE_COLUMNS",
    "RECTFLOW_COLUMNS",
    "STATE_WORDS",
    "WIDTHS",
    "Column",
    "heading_key",
]


class Column(enum.StrEnum):
    """A column of the ledger sheet (问题清单), by what it holds."""

    BODY = "body"  # 被巡察单位: a round's ledger names the inspected body on each row
    NUMBER = "number"  # 序号: the problem's running number
    CATEGORY = "category"  # 问题类别: the category's title
    PROBLEM = "problem"  # 问题描述: the problem's title
    MEASURE = "measure"  # 整改措施: the measure's text
    LEADER = "leader"  # 责任领导
    DEPARTMENT = "department"  # 责任部门
    PERSON = "person"  # 责任人
    DUE = "due"  # 完成时限
    PROGRESS = "progress"  # 整改进展: the latest recorded step (export only)
    STATE = "state"  # 完成情况
    EVIDENCE = "evidence"  # 佐证材料: one title a line
    SIGN_OFF = "sign_off"  # 销号情况
    LEVEL = "level"  # 预警等级: the ladder's level as of the export day (export only)
    CATEGORY_ID = "category_id"  # 类别编号
    PROBLEM_ID = "problem_id"  # 问题编号
    MEASURE_ID = "measure_id"  # 措施编号
    KIND = "kind"  # 问题性质
    CLASSIFICATION = "classification"  # 公开属性
    CASE_ID = "case_id"  # 案例编号: a round's ledger names each row's case


OFFICE_COLUMNS: Final = (
    Column.NUMBER,
    Column.CATEGORY,
    Column.PROBLEM,
    Column.MEASURE,
    Column.LEADER,
    Column.DEPARTMENT,
    Column.PERSON,
    Column.DUE,
    Column.PROGRESS,
    Column.STATE,
    Column.EVIDENCE,
    Column.SIGN_OFF,
)
"""The columns offices keep, in their usual order."""

RECTFLOW_COLUMNS: Final = (
    Column.LEVEL,
    Column.CATEGORY_ID,
    Column.PROBLEM_ID,
    Column.MEASURE_ID,
    Column.KIND,
    Column.CLASSIFICATION,
)
"""rectflow's own columns, written after the office ones."""

# Each column's headings: the first is the one the exporter writes.
HEADINGS: Final = MappingProxyType(
    {
        Column.BODY: ("被巡察单位", "被巡视单位", "被巡察党组织", "单位名称"),
        Column.NUMBER: ("序号", "编号", "问题序号"),
        Column.CATEGORY: ("问题类别", "问题类型", "类别", "问题分类", "方面", "问题方面"),
        Column.PROBLEM: (
            "问题描述",
            "问题",
            "存在问题",
            "反馈问题",
            "问题表现",
            "具体问题",
            "问题内容",
            "巡察反馈问题",
            "巡视反馈问题",
        ),
        Column.MEASURE: ("整改措施", "整改举措", "措施", "具体措施", "整改任务"),
        Column.LEADER: ("责任领导", "牵头领导", "分管领导", "责任校领导", "责任院领导"),
        Column.DEPARTMENT: ("责任部门", "责任单位", "牵头部门", "责任科室", "牵头单位"),
        Column.PERSON: ("责任人", "具体责任人", "经办人", "主办人"),
        Column.DUE: ("完成时限", "整改时限", "完成时间", "时限", "整改期限"),
        Column.PROGRESS: ("整改进展", "进展情况", "整改进度", "工作进展"),
        Column.STATE: ("完成情况", "整改情况", "完成状态", "整改状态", "是否完成"),
        Column.EVIDENCE: ("佐证材料", "佐证", "支撑材料", "证明材料"),
        Column.SIGN_OFF: ("销号情况", "是否销号", "销号"),
        Column.LEVEL: ("预警等级", "预警"),
        Column.CATEGORY_ID: ("类别编号",),
        Column.PROBLEM_ID: ("问题编号",),
        Column.MEASURE_ID: ("措施编号",),
        Column.KIND: ("问题性质",),
        Column.CLASSIFICATION: ("公开属性",),
        Column.CASE_ID: ("案例编号",),
    }
)

WIDTHS: Final = MappingProxyType(
    {
        Column.BODY: 18,
        Column.NUMBER: 6,
        Column.CATEGORY: 14,
        Column.PROBLEM: 40,
        Column.MEASURE: 44,
        Column.LEADER: 10,
        Column.DEPARTMENT: 12,
        Column.PERSON: 10,
        Column.DUE: 13,
        Column.PROGRESS: 30,
        Column.STATE: 10,
        Column.EVIDENCE: 26,
        Column.SIGN_OFF: 9,
        Column.LEVEL: 10,
        Column.CATEGORY_ID: 8,
        Column.PROBLEM_ID: 9,
        Column.MEASURE_ID: 10,
        Column.KIND: 12,
        Column.CLASSIFICATION: 9,
        Column.CASE_ID: 16,
    }
)
"""Column widths in characters (a CJK character is about two)."""

CLASSIFICATION_ZH: Final = MappingProxyType(
    {
        Classification.PUBLIC: "公开",
        Classification.INTERNAL: "内部",
        Classification.CONFIDENTIAL: "保密",
    }
)


def _state_words() -> dict[str, ItemState]:
    words: dict[str, ItemState] = {}
    for state, label in ITEM_STATE_ZH.items():
        words[label] = state
    for state, said in NOTICE_STATE_WORDS.items():
        for word in said:
            words.setdefault(word, state)
    extra = {
        "已办结": ItemState.COMPLETED,
        "完成": ItemState.COMPLETED,
        "推进中": ItemState.IN_PROGRESS,
        "进行中": ItemState.IN_PROGRESS,
        "持续整改": ItemState.IN_PROGRESS,
        "未开始": ItemState.OPEN,
        "已报请销号": ItemState.SUBMITTED,
        "报请销号": ItemState.SUBMITTED,
        "销号": ItemState.CLOSED,
    }
    for word, state in extra.items():
        words.setdefault(word, state)
    return words


STATE_WORDS: Final = MappingProxyType(_state_words())
"""The words of the 完成情况 column and the state each means: the labels rectflow writes
(:data:`~rectflow._core.labels.ITEM_STATE_ZH`), the words notices use
(:data:`~rectflow._core.labels.NOTICE_STATE_WORDS`, so 未完成 is ``open`` as a notice reads it)
and a few more offices write (已办结, 推进中, 已报请销号)."""


def heading_key(text: str) -> str:
    """A heading as it is compared: without white space (``完成\\n时限``) or a trailing colon."""
    return "".join(text.split()).rstrip(":：")
