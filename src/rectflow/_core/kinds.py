"""The model's vocabularies: kinds of inspection and problem, classifications, the states of
cases and items, disclosure scopes, contact kinds and review kinds (string enums, so they read
and write as their values).
"""

from __future__ import annotations

import enum

__all__ = [
    "AccountabilityForm",
    "CaseState",
    "Classification",
    "ContactKind",
    "DisclosureScope",
    "EvidenceKind",
    "Grade",
    "InspectionKind",
    "ItemState",
    "ProblemKind",
    "ReviewKind",
]


class InspectionKind(enum.StrEnum):
    """巡视 (by central and provincial committees), 巡察 (city, county, institution) or other."""

    XUNSHI = "xunshi"
    XUNCHA = "xuncha"
    OTHER = "other"


class ProblemKind(enum.StrEnum):
    """What a ledger problem is (GLOSSARY.md)."""

    KEY = "key"  # 重点问题
    SPECIFIC = "specific"  # 具体问题
    RECOMMENDATION = "recommendation"  # 整改意见
    EXTENDED = "extended"  # 举一反三整改事项
    REFORM = "reform"  # 推动改革促进发展整改事项
    CLUE = "clue"  # 问题线索: transferred, never published


class Classification(enum.StrEnum):
    """Who may read an item: everyone, the party organisation, or the named few."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"


class ItemState(enum.StrEnum):
    """The states of a problem or measure (the item lifecycle)."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"  # 正在推进
    BASICALLY_COMPLETED = "basically_completed"  # 基本完成
    LONG_TERM = "long_term"  # 长期坚持
    COMPLETED = "completed"  # 已完成
    SUBMITTED = "submitted"  # 报请销号: completion claimed, waiting for acceptance
    CLOSED = "closed"  # 对账销号 (verified, with evidence)
    REOPENED = "reopened"  # 反弹回潮, found again by a review


class CaseState(enum.StrEnum):
    """The states of a case (the case lifecycle)."""

    FEEDBACK_RECEIVED = "feedback_received"
    PLAN_ADOPTED = "plan_adopted"
    CENTRALISED = "centralised"
    REPORTED = "reported"
    DISCLOSED = "disclosed"  # public period open
    PUBLIC_PERIOD_CLOSED = "public_period_closed"
    CONTINUING = "continuing"  # 持续/深化整改
    REVIEWED = "reviewed"  # 回头看 / assessment done
    CLOSED = "closed"


class DisclosureScope(enum.StrEnum):
    """To whom a disclosure goes: inside the party, to society, or both (双公开)."""

    INNER = "inner"
    PUBLIC = "public"
    DUAL = "dual"


class ContactKind(enum.StrEnum):
    """A channel for the public to supervise the rectification."""

    PHONE = "phone"
    EMAIL = "email"
    POSTAL_ADDRESS = "postal_address"
    PO_BOX = "po_box"


class ReviewKind(enum.StrEnum):
    """回头看 (follow-up review) or 整改评估 (assessment)."""

    FOLLOW_UP = "follow_up"
    ASSESSMENT = "assessment"


class EvidenceKind(enum.StrEnum):
    """What a piece of evidence (佐证材料) is."""

    DOCUMENT = "document"  # 文件 (a notice, a rule issued, a report)
    MINUTES = "minutes"  # 会议纪要 / 会议记录
    PHOTO = "photo"  # 照片
    SYSTEM_RECORD = "system_record"  # 系统记录 (a record in an information system)
    LEDGER = "ledger"  # 台账 / 清单
    OTHER = "other"


class AccountabilityForm(enum.StrEnum):
    """The forms of accountability (问责) real notices count."""

    REMINDER_TALK = "reminder_talk"  # 提醒谈话
    CRITICISM = "criticism"  # 批评教育
    ORDERED_EXAMINATION = "ordered_examination"  # 责令检查
    ADMONISHING_TALK = "admonishing_talk"  # 诫勉谈话
    ORGANISATIONAL = "organisational"  # 组织处理
    PARTY_SANCTION = "party_sanction"  # 党纪处分
    ADMINISTRATIVE_SANCTION = "administrative_sanction"  # 政务处分
    OTHER = "other"


class Grade(enum.StrEnum):
    """The grade of a rectification evaluation (整改评估等次), best first."""

    GOOD = "good"  # 好
    FAIRLY_GOOD = "fairly_good"  # 较好
    FAIR = "fair"  # 一般
    POOR = "poor"  # 差


# The model owns its lists and tables: each is converted to a sealable one (``fields``), a copy of
# the list given, so that ``fire`` can seal them while guards run. One named converter per field
# type keeps the constructors' static types exact.
