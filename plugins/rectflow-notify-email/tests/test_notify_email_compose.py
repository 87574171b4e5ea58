"""Composing the messages: who gets which notices, the wording, and the missing addresses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from notify_email_support import AS_OF, notice
from rectflow_notify_email import ConfigError, compose_messages, load_config

from rectflow import EscalationNotice, Recipient

CONFIG = """
[smtp]
host = "mail.example.org"
sender = "区委巡察办 <xuncha@example.org>"
[addresses]
"张三" = "zhangsan@example.org"
"李四" = "lisi@example.org"
"采购中心" = "caigou@example.org"
"""


@pytest.fixture
def config_path(write_config: Callable[[str], Path]) -> Path:
    """A configuration knowing 张三, 李四 and 采购中心."""
    return write_config(CONFIG)


def test_recipients_without_an_address_are_all_named_and_nothing_is_composed(
    config_path: Path,
) -> None:
    """王五 and 赵六 unknown, nobody named for the office: one error listing all three."""
    notices = (
        notice("1.1.1", recipients=(Recipient("person", "王五"), Recipient("office", None))),
        notice("1.1.2", recipients=(Recipient("person", "张三"), Recipient("leader", "赵六"))),
    )
    with pytest.raises(ConfigError) as raised:
        compose_messages(notices, AS_OF, load_config(config_path, {}))
    assert str(raised.value) == (
        "no e-mail address for 王五, 赵六: add them under [addresses]; nobody is named for role "
        "office in the case: give the role an address under [roles], or name someone in the "
        f"case; nothing was sent (in {config_path})"
    )


def test_a_deadline_today_and_an_extension_to_the_same_day_read_plainly(config_path: Path) -> None:
    """days = 0 is 今天到期; an original deadline equal to the current one is not an extension."""
    item = notice("3.1.1", days=0, due_on=AS_OF, original_due_on=AS_OF)
    (message,) = compose_messages((item,), AS_OF, load_config(config_path, {}))
    body = message.get_content()
    assert "   整改时限：2025年6月1日，今天到期\n" in body
    assert "已延期" not in body


def test_the_prefix_and_signature_come_from_the_config(
    write_config: Callable[[str], Path],
) -> None:
    """[message] subject_prefix and signature; the signature closes the body."""
    path = write_config(
        CONFIG + '[message]\nsubject_prefix = "【督办】"\nsignature = "区委巡察办"\n'
    )
    (message,) = compose_messages((notice("1.1.1"),), AS_OF, load_config(path, {}))
    assert message["Subject"] == "【督办】1项整改任务提醒（截至2025年6月1日）"
    assert message.get_content().endswith("\n\n区委巡察办\n")


def test_the_message_id_follows_the_content_not_the_clock(config_path: Path) -> None:
    """Same notices, same id; another day or another text, another id; Date is the as-of day."""
    config = load_config(config_path, {})

    def first(notices: tuple[EscalationNotice, ...], as_of: dt.date = AS_OF) -> tuple[str, str]:
        message = compose_messages(notices, as_of, config)[0]
        return str(message["Message-ID"]), str(message["Date"])

    one = first((notice("1.1.1"),))
    assert one == first((notice("1.1.1"),))
    assert one[0] != first((notice("1.1.1", text="另一项措施"),))[0]
    later = first((notice("1.1.1"),), dt.date(2025, 6, 2))
    assert later[0] != one[0]
    assert later[1] == "Mon, 02 Jun 2025 00:00:00 +0800"


def test_a_run_without_notices_composes_nothing(config_path: Path) -> None:
    """No notice, no message (and no address needed)."""
    assert compose_messages((), AS_OF, load_config(config_path, {})) == []


def test_a_name_with_its_post_finds_the_bare_name_s_address(
    write_config: Callable[[str], Path],
) -> None:
    """何志远(副院长) is reached under "何志远" (an exact entry wins), greeted without the post."""
    path = write_config(
        CONFIG + '"何志远" = "hezhiyuan@example.org"\n"周文清" = "zhou@example.org"\n'
        '"周文清（党委书记）" = "shuji@example.org"\n'
    )
    notices = (
        notice("1.1.1", recipients=(Recipient("leader", "何志远(副院长)"),)),
        notice("1.1.2", recipients=(Recipient("leader", "周文清（党委书记）"),)),
    )
    he, zhou = compose_messages(notices, AS_OF, load_config(path, {}))
    assert str(he["To"]) == '"何志远(副院长)" <hezhiyuan@example.org>'  # RFC 5322 quotes ()
    assert he.get_content().startswith("何志远同志：\n")
    assert str(zhou["To"]) == "周文清（党委书记） <shuji@example.org>"
    with pytest.raises(ConfigError, match=r"^no e-mail address for 何志远: add them"):
        compose_messages(
            (notice("1.1.1", recipients=(Recipient("leader", "何志远"),)),),
            AS_OF,
            load_config(write_config(CONFIG + '"何志远(副院长)" = "h@example.org"\n'), {}),
        )
