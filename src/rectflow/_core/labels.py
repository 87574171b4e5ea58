"""The one table of Chinese labels: states, triggers, kinds and the words notices use.

The importer, the renderer, the diagrams and ``--lang zh`` output all read from here, so a label
is changed in one place.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from types import MappingProxyType
from typing import Final

from rectflow._core.dates import Dekad
from rectflow._core.kinds import (
    AccountabilityForm,
    CaseState,
    ContactKind,
    EvidenceKind,
    Grade,
    InspectionKind,
    ItemState,
    ProblemKind,
    ReviewKind,
)

__all__ = [
    "ACCOUNTABILITY_FORM_ZH",
    "ACCOUNTABILITY_WORDS",
    "CASE_STATE_ZH",
    "CONTACT_WORDS",
    "CONTACT_ZH",
    "COUNT_SUBJECT_WORDS",
    "DEKAD_ZH",
    "EVIDENCE_KIND_ZH",
    "GRADE_ZH",
    "INSPECTION_KIND_ZH",
    "ITEM_STATE_ZH",
    "KIND_FLAG_ZH",
    "LEVEL_ZH",
    "MEASURE_LEADS",
    "NOTICE_SECTION_WORDS",
    "NOTICE_STATE_WORDS",
    "PROBLEM_KIND_ZH",
    "REVIEW_KIND_ZH",
    "TRIGGER_ZH",
    "display_width",
]

ITEM_STATE_ZH: Final = MappingProxyType(
    {
        ItemState.OPEN: "待整改",
        ItemState.IN_PROGRESS: "正在推进",
        ItemState.BASICALLY_COMPLETED: "基本完成",
        ItemState.LONG_TERM: "长期坚持",
        ItemState.COMPLETED: "已完成",
        # The state a submission (报请销号) leaves the item in: waiting for acceptance.
        ItemState.SUBMITTED: "待验收",
        ItemState.CLOSED: "已销号",
        ItemState.REOPENED: "反弹回潮",
    }
)

CASE_STATE_ZH: Final = MappingProxyType(
    {
        CaseState.FEEDBACK_RECEIVED: "已反馈",
        CaseState.PLAN_ADOPTED: "整改方案已制定",
        CaseState.CENTRALISED: "集中整改",
        CaseState.REPORTED: "已报送整改报告",
        CaseState.DISCLOSED: "已公开（公示期内）",
        CaseState.PUBLIC_PERIOD_CLOSED: "公示期满",
        CaseState.CONTINUING: "持续整改",
        CaseState.REVIEWED: "已回头看/评估",
        CaseState.CLOSED: "整改完成",
    }
)

TRIGGER_ZH: Final = MappingProxyType(
    {
        # case
        "adopt_plan": "制定整改方案",
        "start_centralised": "开展集中整改",
        "submit_report": "报送整改报告",
        "disclose": "公开整改进展",
        "close_public_period": "公示期满",
        "continue_rectification": "转入持续整改",
        "review": "回头看/评估",
        "close_case": "整改完成",
        "reopen_case": "重新整改",
        "start_second_rectification": "二次整改",
        # items
        "start": "开始整改",
        "mark_basically_completed": "基本完成",
        "mark_long_term": "转为长期坚持",
        "complete": "完成整改",
        "submit": "报请销号",
        "accept": "验收通过（销号）",
        "reject": "驳回",
        "close": "对账销号",
        "reopen": "反弹回潮，重新整改",
        # edits: events that change what the events own without changing a state
        "add_measure": "新增整改措施",
        "add_problem": "新增问题",
        "assign": "明确责任",
        "set_due": "确定整改时限",
        "extend": "延期（调整整改时限）",
        "edit_text": "修改内容",
        "add_evidence": "补充佐证材料",
        "accountability": "问责",
        "evaluate": "整改评估",
    }
)

# The words a notice uses for an item's state, first the one the renderer writes.
NOTICE_STATE_WORDS: Final = MappingProxyType(
    {
        ItemState.COMPLETED: ("已完成", "已完成整改", "完成整改", "已落实", "已整改"),
        ItemState.BASICALLY_COMPLETED: ("基本完成", "基本完成整改"),
        ItemState.IN_PROGRESS: ("正在推进", "持续推进", "正在整改", "整改中"),
        ItemState.LONG_TERM: ("长期坚持", "需长期整改", "长期整改"),
        ItemState.CLOSED: ("已销号", "已对账销号"),
        ItemState.OPEN: ("未完成", "待整改"),
        ItemState.REOPENED: ("反弹回潮",),
    }
)

PROBLEM_KIND_ZH: Final = MappingProxyType(
    {
        ProblemKind.KEY: "重点问题",
        ProblemKind.SPECIFIC: "具体问题",
        ProblemKind.RECOMMENDATION: "整改意见",
        ProblemKind.EXTENDED: "举一反三整改事项",
        ProblemKind.REFORM: "推动改革促进发展整改事项",
        ProblemKind.CLUE: "问题线索",
    }
)

INSPECTION_KIND_ZH: Final = MappingProxyType(
    {InspectionKind.XUNSHI: "巡视", InspectionKind.XUNCHA: "巡察", InspectionKind.OTHER: "检查"}
)

CONTACT_ZH: Final = MappingProxyType(
    {
        ContactKind.PHONE: "联系电话",
        ContactKind.EMAIL: "电子邮箱",
        ContactKind.POSTAL_ADDRESS: "通信地址",
        ContactKind.PO_BOX: "邮政信箱",
    }
)

REVIEW_KIND_ZH: Final = MappingProxyType(
    {ReviewKind.FOLLOW_UP: "回头看", ReviewKind.ASSESSMENT: "整改评估"}
)

EVIDENCE_KIND_ZH: Final = MappingProxyType(
    {
        EvidenceKind.DOCUMENT: "文件",
        EvidenceKind.MINUTES: "会议纪要",
        EvidenceKind.PHOTO: "照片",
        EvidenceKind.SYSTEM_RECORD: "系统记录",
        EvidenceKind.LEDGER: "台账",
        EvidenceKind.OTHER: "其他材料",
    }
)

# Also the words a notice states its counts in ("诫勉谈话2人、批评教育5人"), so in the order
# real notices list them: the lighter forms first.
ACCOUNTABILITY_FORM_ZH: Final = MappingProxyType(
    {
        AccountabilityForm.REMINDER_TALK: "提醒谈话",
        AccountabilityForm.CRITICISM: "批评教育",
        AccountabilityForm.ORDERED_EXAMINATION: "责令检查",
        AccountabilityForm.ADMONISHING_TALK: "诫勉谈话",
        AccountabilityForm.ORGANISATIONAL: "组织处理",
        AccountabilityForm.PARTY_SANCTION: "党纪处分",
        AccountabilityForm.ADMINISTRATIVE_SANCTION: "政务处分",
        AccountabilityForm.OTHER: "其他",
    }
)

GRADE_ZH: Final = MappingProxyType(
    {Grade.GOOD: "好", Grade.FAIRLY_GOOD: "较好", Grade.FAIR: "一般", Grade.POOR: "差"}
)

DEKAD_ZH: Final = MappingProxyType({Dekad.EARLY: "上旬", Dekad.MID: "中旬", Dekad.LATE: "下旬"})

# Keyed by the level's value: rectflow.Level is a StrEnum, and _report imports this table.
LEVEL_ZH: Final = MappingProxyType({"error": "错误", "warning": "警告", "info": "提示"})

# -- notices: the words the importer reads and the renderer writes (first = what it writes) ----

# The flag a notice puts after a problem that also counts as another kind:
# "(此问题属于“推动改革促进发展”整改事项)".
KIND_FLAG_ZH: Final = MappingProxyType(
    {ProblemKind.REFORM: "推动改革促进发展", ProblemKind.EXTENDED: "举一反三"}
)

# Accountability as a notice counts it ("诫勉谈话2人、批评教育5人"): each form's words, first
# the one the renderer writes; ``其他`` alone would read as any "other", so the notice says more.
ACCOUNTABILITY_WORDS: Final = MappingProxyType(
    {
        AccountabilityForm.REMINDER_TALK: ("提醒谈话",),
        AccountabilityForm.CRITICISM: ("批评教育",),
        AccountabilityForm.ORDERED_EXAMINATION: ("责令检查", "责令作出书面检查"),
        AccountabilityForm.ADMONISHING_TALK: ("诫勉谈话", "诫勉"),
        AccountabilityForm.ORGANISATIONAL: ("组织处理",),
        AccountabilityForm.PARTY_SANCTION: ("党纪处分",),
        AccountabilityForm.ADMINISTRATIVE_SANCTION: ("政务处分",),
        AccountabilityForm.OTHER: ("以其他方式问责",),
    }
)

CONTACT_WORDS: Final = MappingProxyType(
    {
        ContactKind.PHONE: ("联系电话", "监督电话", "举报电话", "电话"),
        ContactKind.EMAIL: ("电子邮箱", "电子信箱", "电子邮件", "邮箱"),
        ContactKind.POSTAL_ADDRESS: ("通信地址", "通讯地址", "邮政地址", "邮寄地址", "地址"),
        ContactKind.PO_BOX: ("邮政信箱", "信箱"),
    }
)

# Summary counts ("重点问题14个,已完成整改7个"): a StatedCount subject's words.
COUNT_SUBJECT_WORDS: Final = MappingProxyType(
    {
        ProblemKind.KEY.value: ("重点问题",),
        ProblemKind.SPECIFIC.value: ("具体问题",),
        ProblemKind.RECOMMENDATION.value: ("整改意见",),
        ProblemKind.EXTENDED.value: ("举一反三整改事项", "举一反三问题"),
        ProblemKind.REFORM.value: ("推动改革促进发展整改事项",),
        ProblemKind.CLUE.value: ("问题线索",),
        "problems": ("问题",),
        "measures": ("整改措施", "措施"),
    }
)

# What introduces a problem's measures ("整改措施及进展：一是…二是…").
MEASURE_LEADS: Final = (
    "整改措施及进展",
    "整改落实情况",
    "整改措施",
    "整改进展",
    "整改情况",
    "进行了以下整改",
    "进行以下整改",
    "进行了整改",
)

# Words in a top-level heading (一、…) that say what the section is.
NOTICE_SECTION_WORDS: Final = MappingProxyType(
    {
        "organisational": ("主体责任", "第一责任人", "总体情况", "履责情况", "组织领导"),
        "ledger": ("任务落实情况", "落实情况", "整改事项", "整改任务", "反馈问题", "反馈意见"),
        "next_steps": ("下一步", "下步", "下阶段", "打算"),
    }
)


def display_width(text: str) -> int:
    """Columns ``text`` takes where it is shown (a terminal, a chart label): a Chinese or other
    wide or full-width character takes two, any other one.

    The one measure of a label's width: the command line's columns, the report's wrapping and
    the dashboard's margins all use it, so they agree on how wide a Chinese label is.
    """
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_columns(
    rows: Sequence[Sequence[str]], *, indent: str = "  ", right_from: int | None = None
) -> list[str]:
    """``rows`` as lines of plain-text columns two spaces apart, each column as wide as its
    widest cell as a terminal shows it (:func:`display_width`); cells from column
    ``right_from`` on are right-aligned (figures), the others left-aligned; no trailing space.
    """
    # Each cell's width is measured once: a big case repeats its states, people and days in
    # thousands of rows, and measuring a Chinese cell looks at every character.
    known: dict[str, int] = {}

    def width(cell: str) -> int:
        found = known.get(cell)
        if found is None:
            found = known[cell] = display_width(cell)
        return found

    cell_widths = [[width(cell) for cell in row] for row in rows]
    widths = [max(row[i] for row in cell_widths) for i in range(len(rows[0]))]
    right = len(widths) if right_from is None else right_from
    return [
        indent
        + "  ".join(
            cell + " " * (w - had) if i < right else " " * (w - had) + cell
            for i, (cell, had, w) in enumerate(zip(row, row_widths, widths, strict=True))
        ).rstrip()
        for row, row_widths in zip(rows, cell_widths, strict=True)
    ]
