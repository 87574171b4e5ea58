"""Real messages to a real SMTP server (aiosmtpd on 127.0.0.1): what arrives, and what fails."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from notify_email_support import AS_OF, LOGIN, PASSWORD_ENV, Server, config_text, free_port, notice
from rectflow_notify_email import (
    DeliveryError,
    compose_messages,
    deliver,
    load_config,
)

from rectflow import EscalationNotice, Recipient


def _send(
    path: Path, notices: tuple[EscalationNotice, ...], environ: dict[str, str] | None = None
) -> tuple[str, ...]:
    config = load_config(path, environ or {})
    return deliver(compose_messages(notices, AS_OF, config), config.smtp)


def test_each_recipient_gets_one_message_in_chinese(
    smtp_server: Server,
    write_config: Callable[[str], Path],
    notices: tuple[EscalationNotice, ...],
) -> None:
    """Three notices for 张三, 采购中心 and 李四: three messages, one envelope recipient each."""
    sent = _send(write_config(config_text(smtp_server)), notices)
    received = smtp_server.recorder.envelopes
    assert [env.rcpt_tos for env in received] == [
        ["zhangsan@example.org"],
        ["caigou@example.org"],
        ["lisi@example.org"],
    ]
    assert {env.mail_from for env in received} == {"xuncha@example.org"}
    assert sent == (
        "张三 <zhangsan@example.org>",
        "采购中心 <caigou@example.org>",
        "李四 <lisi@example.org>",
    )
    zhang, caigou, li = smtp_server.recorder.messages()
    assert zhang["Subject"] == "【巡察整改督办】3项整改任务提醒（截至2025年6月1日）"
    assert caigou["Subject"] == "【巡察整改督办】1项整改任务提醒（截至2025年6月1日）"
    assert str(zhang["To"]) == "张三 <zhangsan@example.org>"
    assert str(zhang["From"]) == "区委巡察办 <xuncha@example.org>"
    assert zhang["Date"] == "Sun, 01 Jun 2025 00:00:00 +0800"
    assert zhang["Date"].datetime == dt.datetime(
        2025, 6, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert zhang["Message-ID"].startswith("<rectflow.20250601.")
    assert zhang["Message-ID"].endswith("@example.org>")
    assert len({m["Message-ID"] for m in (zhang, caigou, li)}) == 3
    assert zhang["Auto-Submitted"] == "auto-generated"
    assert zhang.get_content_type() == "text/plain"
    assert zhang.get_content_charset() == "utf-8"
    body = zhang.get_content()
    assert body.startswith("张三同志：\n\n截至2025年6月1日，以下3项巡察整改任务需要您关注：\n")
    assert (
        "1. 【红色预警】中共虹桥市第一人民医院委员会 整改事项 1.2.1\n"
        "   内容：开展医用耗材集中采购专项检查\n"
        "   整改时限：2025年5月20日（已延期，原整改时限2025年4月30日），已逾期12天\n"
        "   您的身份：主办人\n"
        "   案卷：hongqiao-2025\n"
    ) in body
    assert "2. 【黄色预警】中共虹桥市第一人民医院委员会 整改事项 1.1.2\n" in body
    assert "   整改时限：2025年6月11日，距整改时限还有10天\n" in body
    assert "3. 【绿色预警】中共虹桥市第一人民医院委员会 整改事项 2.1.1\n" in body
    assert "   您的身份：主办人、分管领导\n" in body
    assert body.index("1.2.1") < body.index("1.1.2") < body.index("2.1.1")
    assert caigou.get_content().startswith("采购中心：\n")  # a unit is not a 同志
    li_body = li.get_content()
    assert "1. 【黄色预警】中共虹桥市第一人民医院委员会 整改事项 1.1.2\n" in li_body
    assert "1.2.1" not in li_body
    assert "   您的身份：分管领导\n" in li_body


def test_the_same_agenda_gives_the_same_messages(
    smtp_server: Server, write_config: Callable[[str], Path], notices: tuple[EscalationNotice, ...]
) -> None:
    """Nothing depends on the clock: a second run sends byte-identical messages."""
    path = write_config(config_text(smtp_server))
    _send(path, notices)
    _send(path, notices)
    first, second = (
        [env.original_content for env in smtp_server.recorder.envelopes[i : i + 3]] for i in (0, 3)
    )
    assert first == second


def test_no_notice_sends_nothing_and_opens_no_connection(
    write_config: Callable[[str], Path],
) -> None:
    """An agenda with nothing on it: no message, and no server needed (none is listening)."""
    path = write_config(config_text(Server(port=free_port(), security="none")))
    assert _send(path, ()) == ()


def test_starttls_with_a_login_delivers(
    starttls_server: Server,
    certificate: tuple[Path, Path],
    write_config: Callable[[str], Path],
    notices: tuple[EscalationNotice, ...],
) -> None:
    """The server requires STARTTLS and AUTH; the certificate is trusted through ca_file."""
    path = write_config(config_text(starttls_server, certificate=certificate, login=True))
    sent = _send(path, notices, {PASSWORD_ENV: LOGIN[1]})
    assert len(sent) == 3
    assert [env.rcpt_tos for env in starttls_server.recorder.envelopes] == [
        ["zhangsan@example.org"],
        ["caigou@example.org"],
        ["lisi@example.org"],
    ]


def test_a_wrong_password_is_a_clear_error_and_nothing_is_sent(
    starttls_server: Server,
    certificate: tuple[Path, Path],
    write_config: Callable[[str], Path],
    notices: tuple[EscalationNotice, ...],
) -> None:
    """535 from the server: the error names the server and the login, and says nothing went."""
    path = write_config(config_text(starttls_server, certificate=certificate, login=True))
    with pytest.raises(DeliveryError) as raised:
        _send(path, notices, {PASSWORD_ENV: "wrong"})
    message = str(raised.value)
    assert message.startswith(
        f"SMTP server 127.0.0.1:{starttls_server.port} (starttls) refused the login of "
        f"{LOGIN[0]}: 535"
    )
    assert message.endswith("nothing was sent")
    assert raised.value.translations["zh"].startswith(
        f"SMTP 服务器 127.0.0.1:{starttls_server.port} (starttls) 拒绝了 {LOGIN[0]} 的登录：535"
    )
    assert starttls_server.recorder.envelopes == []


def test_an_untrusted_certificate_is_refused(
    starttls_server: Server,
    write_config: Callable[[str], Path],
    notices: tuple[EscalationNotice, ...],
) -> None:
    """Without ca_file the self-signed certificate fails verification: nothing is sent."""
    path = write_config(config_text(starttls_server, login=True))
    with pytest.raises(DeliveryError, match=r"CERTIFICATE_VERIFY_FAILED.*; nothing was sent$"):
        _send(path, notices, {PASSWORD_ENV: LOGIN[1]})
    assert starttls_server.recorder.envelopes == []


def test_starttls_asked_of_a_server_without_it_is_refused(
    smtp_server: Server, write_config: Callable[[str], Path], notices: tuple[EscalationNotice, ...]
) -> None:
    """security = "starttls" never falls back to clear text."""
    plain = Server(port=smtp_server.port, recorder=smtp_server.recorder, security="starttls")
    with pytest.raises(DeliveryError, match="does not offer STARTTLS"):
        _send(write_config(config_text(plain)), notices)
    assert smtp_server.recorder.envelopes == []


def test_implicit_tls_delivers(
    ssl_server: Server,
    certificate: tuple[Path, Path],
    write_config: Callable[[str], Path],
    notices: tuple[EscalationNotice, ...],
) -> None:
    """security = "ssl" (SMTPS): TLS from the first byte."""
    sent = _send(write_config(config_text(ssl_server, certificate=certificate)), notices)
    assert len(sent) == len(ssl_server.recorder.envelopes) == 3
    assert ssl_server.recorder.messages()[0]["Subject"].startswith("【巡察整改督办】3项")


def test_a_refused_recipient_does_not_stop_the_others(
    smtp_server: Server, write_config: Callable[[str], Path], notices: tuple[EscalationNotice, ...]
) -> None:
    """550 for 采购中心: 张三 and 李四 still get theirs; the error says who did and who did not."""
    smtp_server.recorder.refuse.add("caigou@example.org")
    with pytest.raises(DeliveryError) as raised:
        _send(write_config(config_text(smtp_server)), notices)
    assert [env.rcpt_tos for env in smtp_server.recorder.envelopes] == [
        ["zhangsan@example.org"],
        ["lisi@example.org"],
    ]
    error = raised.value
    assert str(error) == (
        "1 of 3 e-mails not sent, first to 采购中心 <caigou@example.org>: recipient refused: "
        "550 5.1.1 mailbox unavailable; sent: 张三 <zhangsan@example.org>, 李四 <lisi@example.org>"
    )
    assert error.translations["zh"] == (
        "3 封邮件中有 1 封未发出，第一封发给 采购中心 <caigou@example.org>：收件人被拒绝："
        "550 5.1.1 mailbox unavailable；"
        "已发出：张三 <zhangsan@example.org>、李四 <lisi@example.org>"
    )
    assert error.sent == ("张三 <zhangsan@example.org>", "李四 <lisi@example.org>")
    assert error.failed == (
        ("采购中心 <caigou@example.org>", "recipient refused: 550 5.1.1 mailbox unavailable"),
    )


def test_a_message_rejected_after_data_does_not_stop_the_others(
    smtp_server: Server, write_config: Callable[[str], Path], notices: tuple[EscalationNotice, ...]
) -> None:
    """554 for 张三's message (the first): 采购中心 and 李四 still get theirs."""
    smtp_server.recorder.reject_data.add("zhangsan@example.org")
    with pytest.raises(DeliveryError) as raised:
        _send(write_config(config_text(smtp_server)), notices)
    assert [env.rcpt_tos for env in smtp_server.recorder.envelopes] == [
        ["caigou@example.org"],
        ["lisi@example.org"],
    ]
    assert raised.value.failed == (
        ("张三 <zhangsan@example.org>", "554 5.6.0 message content rejected"),
    )
    assert str(raised.value).startswith("1 of 3 e-mails not sent, first to 张三 <zhangsan@")


def test_a_server_that_is_down_is_a_clear_error(
    write_config: Callable[[str], Path], notices: tuple[EscalationNotice, ...]
) -> None:
    """Connection refused: the error names the server and says nothing was sent."""
    port = free_port()
    path = write_config(config_text(Server(port=port, security="none")))
    with pytest.raises(DeliveryError) as raised:
        _send(path, notices)
    message = str(raised.value)
    assert message.startswith(f"cannot send through SMTP server 127.0.0.1:{port} (none): ")
    assert "refused" in message.lower()
    assert message.endswith("; nothing was sent")
    zh = raised.value.translations["zh"]
    assert zh.startswith(f"无法通过 SMTP 服务器 127.0.0.1:{port} (none) 发送：")
    assert zh.endswith("；未发送任何邮件")


def test_a_nameless_recipient_is_reached_through_its_role(
    smtp_server: Server, write_config: Callable[[str], Path]
) -> None:
    """The case names no 主要负责人: [roles] unit_head gives the address, greeted by the role."""
    path = write_config(
        config_text(smtp_server, extra='[roles]\nunit_head = "yuanzhang@example.org"\n')
    )
    _send(path, (notice("1.1.1", recipients=(Recipient("unit_head", None),)),))
    (message,) = smtp_server.recorder.messages()
    assert str(message["To"]) == "主要负责人 <yuanzhang@example.org>"
    assert message.get_content().startswith("主要负责人：\n")
    assert os.environ.get(PASSWORD_ENV) is None  # the tests never leak the password variable
