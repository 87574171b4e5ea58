"""Sending the composed messages through one SMTP connection (stdlib ``smtplib``).

TLS (``starttls`` or ``ssl``) verifies the server's certificate and name, against the system's
CAs or the configuration's ``ca_file``. A message the server refuses does not stop the others:
each recipient is tried, then one :class:`DeliveryError` says who got theirs and who did not.
A server that cannot be reached, refuses the login or hangs up stops the run the same way.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage

from rectflow_notify_email._config import SmtpSettings
from rectflow_notify_email._errors import DeliveryError

__all__ = ["deliver"]


def deliver(messages: Sequence[EmailMessage], smtp: SmtpSettings) -> tuple[str, ...]:
    """Send each message to its ``To`` address; nothing is opened when there is none.

    Args:
        messages: the messages, each with one ``To`` address.
        smtp: the server, the security, the login.

    Returns:
        The recipients (``To`` headers) the server accepted, in order.

    Raises:
        DeliveryError: the server could not be reached or refused the login (nothing was sent),
            or it refused some messages or hung up (the error lists who got theirs).
    """
    if not messages:
        return ()
    server = f"{smtp.host}:{smtp.port} ({smtp.security})"
    try:
        client = _connect(smtp)
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(
            f"SMTP server {server} refused the login of {smtp.username}: {_reply(error)}; "
            "check username and the password variable; nothing was sent",
            zh=f"SMTP 服务器 {server} 拒绝了 {smtp.username} 的登录：{_reply(error)}；"
            "请检查 username 和存放密码的环境变量；未发送任何邮件",
        ) from None
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(
            f"cannot send through SMTP server {server}: {_reason(error)}; nothing was sent",
            zh=f"无法通过 SMTP 服务器 {server} 发送：{_reason(error)}；未发送任何邮件",
        ) from None
    sent: list[str] = []
    failed: list[tuple[str, str]] = []
    with client:
        for index, message in enumerate(messages):
            to = str(message["To"])
            try:
                client.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                failed.append((to, _reason(error)))
            except (OSError, smtplib.SMTPException) as error:
                failed.append((to, _reason(error)))
                failed.extend((str(rest["To"]), "not tried") for rest in messages[index + 1 :])
                break
            else:
                sent.append(to)
    if failed:
        first, reason = failed[0]
        raise DeliveryError(
            f"{len(failed)} of {len(messages)} e-mails not sent, first to {first}: {reason}; "
            f"sent: {', '.join(sent) or 'none'}",
            tuple(sent),
            tuple(failed),
            zh=f"{len(messages)} 封邮件中有 {len(failed)} 封未发出，第一封发给 {first}："
            f"{_reason_zh(reason)}；"
            f"已发出：{'、'.join(sent) or '无'}",
        )
    return tuple(sent)


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    """An open, greeted (and logged-in) connection; the caller closes it."""
    if smtp.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=_tls(smtp)
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        client.ehlo()
        if smtp.security == "starttls":
            if not client.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError(
                    'the server does not offer STARTTLS (security = "starttls")'
                )
            client.starttls(context=_tls(smtp))
            client.ehlo()
        if smtp.username is not None and smtp.password is not None:
            client.login(smtp.username, smtp.password)
    except BaseException:
        client.close()
        raise
    return client


def _tls(smtp: SmtpSettings) -> ssl.SSLContext:
    cafile = None if smtp.ca_file is None else str(smtp.ca_file)
    return ssl.create_default_context(cafile=cafile)


def _reply(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}".strip()


def _reason(error: BaseException) -> str:
    """The server's reply or the network's complaint, on one line."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()), (0, b""))
        return f"recipient refused: {code} {_text(reply)}".strip()
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error)
    return " ".join((str(error) or type(error).__name__).split())


def _reason_zh(reason: str) -> str:
    """:func:`_reason`'s words in Chinese (the server's own reply is quoted as it came)."""
    if reason == "not tried":
        return "未尝试发送"
    refused = "recipient refused: "
    if reason.startswith(refused):
        return f"收件人被拒绝：{reason.removeprefix(refused)}"
    return reason


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
