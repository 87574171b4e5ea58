"""From an agenda run's notices to one Chinese e-mail per recipient.

The notices are grouped by recipient: by name, or by role for a recipient the case names no one
for (the configuration's ``[roles]`` gives that role's address). Every name and role must have an
address before anything is composed: a missing one is an error listing all of them, so a run
never warns some people and silently skips others.

Each message lists the recipient's items in the agenda's order (most urgent first): the level's
label, the inspected body, the item and its text, the approved deadline (and the original one
when it was extended), how many days remain or have passed, the recipient's role and the case.
Its ``Date`` is the agenda's day, never the clock; its ``Message-ID`` is derived from what it
says, so the same agenda gives the same message.

Every word a recipient reads is in this module's tables and templates (``ROLE_ZH``, ``_zh_*``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING, Final

import attrs

from rectflow_notify_email._config import EmailConfig
from rectflow_notify_email._errors import ConfigError

if TYPE_CHECKING:
    from rectflow import EscalationNotice

__all__ = ["CHINA_TIME", "ROLE_ZH", "Letter", "address_of", "compose_messages", "letters"]

ROLE_ZH: Final[Mapping[str, str]] = {
    "person": "主办人",
    "leader": "分管领导",
    "department": "主办单位",
    "unit_head": "主要负责人",
    "office": "巡察办",
}
"""How a recipient's role reads in a message."""
# Roles that are people, greeted as 同志; a unit or an office is addressed by its name alone.
_PEOPLE: Final = frozenset({"person", "leader", "unit_head"})
# A post in brackets after a name, half- or full-width: 何志远(副院长), 周文清（党委书记）.
_TITLE: Final = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
CHINA_TIME: Final = dt.timezone(dt.timedelta(hours=8), "CST")
"""The zone of a message's ``Date``: the agenda's day begins at midnight China Standard Time."""


@attrs.frozen
class Letter:
    """What one recipient is told: the notices that name them, with the roles they hold in each.

    Attributes:
        name: the recipient's name, or ``None`` for a role the case names no one for.
        role: that role, when ``name`` is ``None``.
        address: where the message goes.
        items: each notice with the recipient's roles in it, in the agenda's order.
    """

    name: str | None
    role: str | None
    address: Address
    items: tuple[tuple[EscalationNotice, tuple[str, ...]], ...]

    @property
    def addressee(self) -> str:
        """The name the message greets and is addressed to (``张三``, or a role's label)."""
        if self.name is not None:
            return self.name
        return ROLE_ZH.get(str(self.role), str(self.role))

    @property
    def to(self) -> Address:
        """The ``To`` address, with the addressee as its display name."""
        return Address(self.addressee, self.address.username, self.address.domain)


def letters(notices: Iterable[EscalationNotice], config: EmailConfig) -> list[Letter]:
    """Group the notices by recipient and find each recipient's address.

    Recipients come in the order they first appear in the notices; a notice naming the same
    person twice (two roles) is listed once in their letter, with both roles.

    Raises:
        ConfigError: some recipients have no address in the configuration (all are named).
    """
    grouped: dict[tuple[str, str], dict[int, tuple[EscalationNotice, list[str]]]] = {}
    for index, notice in enumerate(notices):
        for recipient in notice.recipients:
            key = (
                ("name", recipient.name) if recipient.name is not None else ("role", recipient.role)
            )
            entry = grouped.setdefault(key, {}).setdefault(index, (notice, []))
            if recipient.role not in entry[1]:
                entry[1].append(recipient.role)
    resolved: dict[tuple[str, str], Address] = {}
    missing_names: list[str] = []
    missing_roles: list[str] = []
    for kind, value in grouped:
        found_address = (
            address_of(value, config.addresses) if kind == "name" else config.roles.get(value)
        )
        if found_address is not None:
            resolved[kind, value] = found_address
        else:
            (missing_names if kind == "name" else missing_roles).append(value)
    if missing_names or missing_roles:
        raise ConfigError(
            _missing(missing_names, missing_roles),
            config.source,
            zh=_missing_zh(missing_names, missing_roles),
        )
    found = []
    for (kind, value), items in grouped.items():
        address = resolved[kind, value]
        found.append(
            Letter(
                name=value if kind == "name" else None,
                role=value if kind == "role" else None,
                address=address,
                items=tuple((notice, tuple(roles)) for notice, roles in items.values()),
            )
        )
    return found


def address_of(name: str, addresses: Mapping[str, Address]) -> Address | None:
    """The address for ``name``: under the name itself, else under it without a trailing title.

    Cases often write a leader with their post, ``何志远(副院长)``; ``"何志远"`` in
    ``[addresses]`` serves them too (the exact name wins when both are there).
    """
    if name in addresses:
        return addresses[name]
    bare = _TITLE.sub("", name)
    return addresses.get(bare) if bare and bare != name else None


def _missing(names: Sequence[str], roles: Sequence[str]) -> str:
    parts = []
    if names:
        parts.append(f"no e-mail address for {', '.join(names)}: add them under [addresses]")
    if roles:
        parts.append(
            f"nobody is named for role {', '.join(roles)} in the case: give the role an "
            "address under [roles], or name someone in the case"
        )
    return "; ".join(parts) + "; nothing was sent"


def _missing_zh(names: Sequence[str], roles: Sequence[str]) -> str:
    parts = []
    if names:
        parts.append(f"{'、'.join(names)} 没有电子邮件地址：请在 [addresses] 中添加")
    if roles:
        zh_roles = "、".join(ROLE_ZH.get(role, role) for role in roles)
        parts.append(
            f"案件中没有指定{zh_roles}（{', '.join(roles)}）：请在 [roles] 中为该角色给出地址，"
            "或在案件中写明其人"
        )
    return "；".join(parts) + "；未发送任何邮件"


def compose_messages(
    notices: Sequence[EscalationNotice], as_of: dt.date, config: EmailConfig
) -> list[EmailMessage]:
    """One message per recipient of the notices, in Chinese, ready to send.

    Args:
        notices: the agenda run's notices, most urgent first.
        as_of: the agenda's day: the subject says it and the ``Date`` header is its midnight in
            China Standard Time.
        config: the sender, the addresses and the message settings.

    Returns:
        The messages, in the order the recipients first appear (none when there is no notice).

    Raises:
        ConfigError: some recipients have no address.
    """
    return [_message(letter, as_of, config) for letter in letters(notices, config)]


def _message(letter: Letter, as_of: dt.date, config: EmailConfig) -> EmailMessage:
    subject = _zh_subject(config.message.subject_prefix, len(letter.items), as_of)
    body = _zh_body(letter, as_of, config.message.signature)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.smtp.sender
    message["To"] = letter.to
    message["Date"] = format_datetime(dt.datetime.combine(as_of, dt.time(0), CHINA_TIME))
    digest = hashlib.sha256(f"{letter.address}\n{subject}\n{body}".encode()).hexdigest()[:24]
    message["Message-ID"] = f"<rectflow.{as_of:%Y%m%d}.{digest}@{config.smtp.sender.domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    message.set_content(body, charset="utf-8")
    return message


# --- the words -----------------------------------------------------------------------------


def _zh_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _zh_subject(prefix: str, count: int, as_of: dt.date) -> str:
    return f"{prefix}{count}项整改任务提醒（截至{_zh_date(as_of)}）"


def _zh_days(days: int) -> str:
    if days < 0:
        return f"距整改时限还有{-days}天"
    if days == 0:
        return "今天到期"
    return f"已逾期{days}天"


def _zh_item(number: int, notice: EscalationNotice, roles: Sequence[str]) -> str:
    due = f"整改时限：{_zh_date(notice.due_on)}"
    if notice.original_due_on is not None and notice.original_due_on != notice.due_on:
        due += f"（已延期，原整改时限{_zh_date(notice.original_due_on)}）"
    lines = [
        f"{number}. 【{notice.label}】{notice.inspected_body} 整改事项 {notice.item}",
        f"   内容：{notice.text}",
        f"   {due}，{_zh_days(notice.days)}",
        f"   您的身份：{'、'.join(ROLE_ZH.get(role, role) for role in roles)}",
        f"   案卷：{notice.case_id}",
    ]
    return "\n".join(lines)


def _zh_body(letter: Letter, as_of: dt.date, signature: str | None) -> str:
    people = any(role in _PEOPLE for _, roles in letter.items for role in roles)
    addressee = _TITLE.sub("", letter.addressee) or letter.addressee  # 何志远, not 何志远(副院长)
    greeting = f"{addressee}{'同志' if letter.name is not None and people else ''}："
    items = "\n\n".join(
        _zh_item(number, notice, roles) for number, (notice, roles) in enumerate(letter.items, 1)
    )
    closing = [
        "请按时限推进整改，及时报送整改进展和佐证材料；确需延期的，请按程序申请。",
        "",
        f"本邮件由 rectflow 根据整改台账生成，数据截至{_zh_date(as_of)}。",
    ]
    if signature:
        closing += ["", signature]
    return "\n".join(
        [
            greeting,
            "",
            f"截至{_zh_date(as_of)}，以下{len(letter.items)}项巡察整改任务需要您关注：",
            "",
            items,
            "",
            *closing,
            "",
        ]
    )
