"""The dashboard's words, English and Chinese side by side.

The report is a document with a fixed vocabulary, like a notice: both languages live here, so a
page is never half translated whatever catalogue is installed, and the states' Chinese comes from
the one label table (``rectflow._core.labels``). The command's own messages (its refusals) go
through the gettext catalogue like every other command's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from rectflow._core.kinds import ItemState, ProblemKind
from rectflow._core.labels import ITEM_STATE_ZH, PROBLEM_KIND_ZH
from rectflow._rules.ladder import ROLE_LABELS

__all__ = ["LANGS", "WORDS", "grouping_word", "kind_word", "role_word", "state_word"]

LANGS: Final = ("zh", "en")
"""The languages a report is written in (Chinese first: the offices read Chinese)."""

_PAIRS: Final[Mapping[str, tuple[str, str]]] = {
    "dashboard": ("Rectification dashboard", "整改工作数据看板"),
    "round_title": ("{name}: rectification progress", "{name}整改进展"),
    "case_title": ("{body}: rectification progress", "{body}整改进展"),
    "as_of": ("As of {day}", "截至{day}"),
    "internal": (
        "Internal: for supervision work only, not for publication",
        "内部资料　仅供督导工作使用，不得公开",
    ),
    "internal_note": (
        "This dashboard shows every item, internal and confidential ones included; a public "
        "text is made with rectflow render, which keeps to what may be published.",
        "本看板包含全部事项（含内部、涉密事项）；对外公开请使用 rectflow render 生成的通报，"
        "其中仅含可公开的内容。",
    ),
    "cases": ("{count} inspected bodies", "被巡察单位 {count} 个"),
    "policy": ("Warning levels: {name}", "预警规则：{name}"),
    "problems": ("Problems", "反馈问题"),
    "items": ("Rectification items", "整改事项"),
    "unit_items": ("", "项"),
    "problems_rate": ("Problems completed", "问题完成率"),
    "items_rate": ("Items completed", "事项完成率"),
    "list_sep": (", ", "、"),
    "clause_sep": ("; ", "；"),
    "of_problems": ("problems", "个问题"),
    "of_items": ("items", "项事项"),
    "unknown_count": ("{count} with no stated state", "状态未载明{count}"),
    "on_time": ("On-time rate", "按期完成率"),
    "overdue": ("Overdue", "逾期未完成"),
    "escalated": ("On a warning level", "处于预警"),
    "completed": ("completed", "已完成"),
    "basically": ("basically completed", "基本完成"),
    "long_term": ("long-term", "长期坚持"),
    "unfinished": ("unfinished", "未完成"),
    "unknown": ("state not stated", "状态未载明"),
    "no_rate": ("none to rate", "无可计算事项"),
    "rate_of": ("{numerator} of {denominator} items", "{numerator}/{denominator} 项"),
    "rate_basis": (
        "Counted out of completed + basically completed + unfinished items; long-term items "
        "({long_term}) and items whose state is not stated ({unknown}) are outside the rate.",
        "分母为已完成、基本完成、未完成事项之和；长期坚持事项（{long_term}项）和状态未载明事项"
        "（{unknown}项）不计入。",
    ),
    "on_time_basis": (
        "Completed by the approved deadline, out of items with a deadline completed on a known "
        "day plus overdue items.",
        "按批准时限完成的事项占有时限且完成日期可考的已完成事项与逾期事项之和的比例。",
    ),
    "problems_detail": (
        "{completed} completed, {basically} basically completed, {unfinished} unfinished",
        "已完成{completed}个、基本完成{basically}个、未完成{unfinished}个",
    ),
    "items_detail": (
        "{completed} completed, {basically} basically completed, {long_term} long-term, "
        "{unfinished} unfinished",
        "已完成{completed}项、基本完成{basically}项、长期坚持{long_term}项、未完成{unfinished}项",
    ),
    "overdue_detail": ("items past their approved deadline", "超过批准时限仍未完成的事项"),
    "escalated_detail": ("items on a level of the ladder", "处于预警等级的事项"),
    "by_body": ("Completion by inspected body", "各被巡察单位整改完成情况"),
    "by_department": ("Completion by responsible unit", "各责任单位整改完成情况"),
    "by_leader": ("Completion by leader in charge", "各分管领导整改完成情况"),
    "by_kind": ("Completion by kind of problem", "各类问题整改完成情况"),
    "by_category": ("Completion by area", "各方面问题整改完成情况"),
    "unnamed": ("(not recorded)", "（未载明）"),
    "chart_unit": ("items", "项"),
    "no_items": ("No rectification item to count yet.", "暂无可统计的整改事项。"),
    "levels": ("Warning levels", "预警等级分布"),
    "levels_none": ("No item stands on a warning level.", "当前没有处于预警等级的事项。"),
    "burndown": ("Progress month by month", "逐月整改进展"),
    "burndown_note": (
        "Each bar is the roll-up as it stood at the end of the month (the last one: the report's "
        "day); items added later appear from the month they were added.",
        "每根柱为当月月末的统计（最后一根为统计截止日）；后续新增的事项自新增当月起计入。",
    ),
    "overdue_table": ("Overdue items", "逾期未完成事项"),
    "warned_table": ("Due soon: warnings before the deadline", "临期预警事项"),
    "none_overdue": ("No item is overdue.", "没有逾期未完成的事项。"),
    "none_warned": ("No item is warned before its deadline.", "没有临期预警的事项。"),
    "col_body": ("Inspected body", "被巡察单位"),
    "col_item": ("Item", "编号"),
    "col_text": ("Measure", "整改事项"),
    "col_who": ("Responsible", "责任单位/责任人"),
    "col_due": ("Deadline", "完成时限"),
    "col_late": ("Days late", "逾期天数"),
    "col_left": ("Days left", "剩余天数"),
    "col_extended": ("Extensions", "延期次数"),
    "col_level": ("Level", "预警等级"),
    "col_told": ("Told", "提醒对象"),
    "days": ("{days}", "{days}天"),
    "extended_from": ("originally {day}", "原定{day}"),
    "footer": (
        "Made by rectflow {version} from the case files' event logs, as they stood on {day}. "
        "Figures are defined in docs/stats.md.",
        "由 rectflow {version} 根据各案件事件记录生成，反映{day}时的情况；各项指标的口径见 "
        "docs/stats.md。",
    ),
}

WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    lang: {key: pair[position] for key, pair in _PAIRS.items()}
    for position, lang in enumerate(("en", "zh"))
}
"""``WORDS[lang][key]``: each phrase of the page in ``en`` or ``zh``."""


def state_word(state: ItemState, lang: str) -> str:
    """An item state's name: the label table's Chinese, or the state's English words."""
    return ITEM_STATE_ZH[state] if lang == "zh" else state.value.replace("_", " ")


def kind_word(kind: str, lang: str) -> str:
    """A problem kind's name (a roll-up's ``kind`` group key is the kind's value)."""
    try:
        member = ProblemKind(kind)
    except ValueError:
        return kind
    return PROBLEM_KIND_ZH[member] if lang == "zh" else member.value.replace("_", " ")


def role_word(role: str, lang: str) -> str:
    """A ladder role's name for people (主办人, 分管领导 …)."""
    en, zh = ROLE_LABELS.get(role, (role, role))
    return zh if lang == "zh" else en


def grouping_word(by: str, lang: str) -> str:
    """The heading of the completion chart broken down ``by`` a grouping."""
    return WORDS[lang][f"by_{by}"]
