"""The configuration file: the SMTP server, the sender and who has which address.

A TOML file whose path is in the ``RECTFLOW_NOTIFY_EMAIL_CONFIG`` environment variable::

    [smtp]
    host = "mail.example.org"
    port = 587                      # default: 25, 587 with starttls, 465 with ssl
    security = "starttls"           # "none" | "starttls" | "ssl"
    sender = "巡察办 <xuncha@example.org>"
    username = "xuncha@example.org" # optional: log in with it
    password_env = "XUNCHA_SMTP_PASSWORD"  # the variable holding the password (never the file)
    ca_file = "/etc/ssl/office-ca.pem"      # optional: trust a private CA
    timeout = 30                    # seconds, optional

    [addresses]                     # recipient name (as the case has it) → address
    "张三" = "zhangsan@example.org"

    [roles]                         # optional: for a recipient the case names no one for
    office = "xuncha@example.org"

    [message]                       # optional
    subject_prefix = "【巡察整改督办】"
    signature = "区委巡察办"

Loading is strict: an unknown table or key, a value of the wrong type, an address that is not
one, and a ``password`` key (passwords never go in the file) are refused with the file's path,
the key and what to write instead.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path
from typing import Any, Final, Literal, cast

import attrs

from rectflow._i18n import toml_message, translate
from rectflow._textio import decode_utf8
from rectflow_notify_email._errors import ConfigError

__all__ = [
    "CONFIG_ENV",
    "ROLES",
    "EmailConfig",
    "MessageSettings",
    "SmtpSettings",
    "config_from_environment",
    "load_config",
]

CONFIG_ENV: Final = "RECTFLOW_NOTIFY_EMAIL_CONFIG"
"""The environment variable holding the configuration file's path."""

Security = Literal["none", "starttls", "ssl"]
DEFAULT_PORTS: Final[Mapping[str, int]] = {"none": 25, "starttls": 587, "ssl": 465}
ROLES: Final = ("person", "leader", "department", "unit_head", "office")
"""The recipient roles of rectflow's escalation ladder (``[roles]`` keys)."""
DEFAULT_PREFIX: Final = "【巡察整改督办】"
# Builds the error for one complaint about the file (its path in front).
Fail = Callable[[str, str], ConfigError]  # the message in English, then in Chinese

_TABLES: Final = {
    "smtp": {
        "host",
        "port",
        "security",
        "sender",
        "username",
        "password_env",
        "ca_file",
        "timeout",
    },
    "addresses": None,  # any names
    "roles": set(ROLES),
    "message": {"subject_prefix", "signature"},
}


@attrs.frozen
class SmtpSettings:
    """How to reach the SMTP server and who the messages are from.

    Attributes:
        host: the server's name or address.
        port: its port.
        security: ``"none"`` (plain SMTP), ``"starttls"`` (upgrade to TLS, required) or
            ``"ssl"`` (TLS from the start). TLS certificates are verified.
        sender: the From address (with an optional display name).
        username: the login, or ``None`` not to log in.
        password: the password read from the environment variable the file names.
        ca_file: a CA bundle to trust instead of the system's, for a private server.
        timeout: seconds to wait for the server.
    """

    host: str
    port: int
    security: Security
    sender: Address
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    ca_file: Path | None = None
    timeout: float = 30.0


@attrs.frozen
class MessageSettings:
    """What the messages say besides the notices.

    Attributes:
        subject_prefix: the subject's opening, in brackets by custom.
        signature: a closing line naming the office that sends (none by default).
    """

    subject_prefix: str = DEFAULT_PREFIX
    signature: str | None = None


@attrs.frozen
class EmailConfig:
    """The whole configuration.

    Attributes:
        smtp: the server and sender.
        addresses: each recipient name (as the case names them) and its address.
        roles: addresses for recipients of a role the case names no one for.
        message: the subject prefix and signature.
        source: the file it was read from, for error messages.
    """

    smtp: SmtpSettings
    addresses: Mapping[str, Address] = attrs.field(factory=dict)
    roles: Mapping[str, Address] = attrs.field(factory=dict)
    message: MessageSettings = MessageSettings()
    source: str | None = None


def config_from_environment(environ: Mapping[str, str] | None = None) -> EmailConfig:
    """The configuration named by ``RECTFLOW_NOTIFY_EMAIL_CONFIG``.

    Args:
        environ: the environment to read (``os.environ`` when ``None``); the password variable
            is read from it too.

    Raises:
        ConfigError: the variable is unset or empty, or the file is unreadable or invalid.
    """
    environ = os.environ if environ is None else environ
    path = environ.get(CONFIG_ENV, "").strip()
    if not path:
        raise ConfigError(
            f"{CONFIG_ENV} is not set, so nothing was sent: set it to the path of the "
            "plugin's TOML configuration",
            zh=f"未设置环境变量 {CONFIG_ENV}，未发送任何邮件：请将其设为本插件 TOML 配置文件的路径",
        )
    return load_config(Path(path), environ)


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> EmailConfig:
    """Read and check a configuration file.

    Args:
        path: the TOML file.
        environ: where ``password_env`` is looked up (``os.environ`` when ``None``).

    Raises:
        ConfigError: the file is unreadable or invalid; the message names the key and the fix.
    """
    environ = os.environ if environ is None else environ
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"no such file (named by {CONFIG_ENV}): create it or correct the variable",
            source,
            zh=f"文件不存在（由 {CONFIG_ENV} 指定）：请创建该文件或更正该环境变量",
        ) from None
    except OSError as error:
        raise ConfigError(
            f"cannot read it ({error})", source, zh=f"无法读取该文件（{error}）"
        ) from None
    # rectflow's one decoder: a BOM (Notepad) is dropped; GB18030 and UTF-16 are refused saying
    # which they are, on which line, and how to save the file as UTF-8.
    text = decode_utf8(
        raw,
        lambda why, fix, line: ConfigError(
            f"line {line}: {why}; {fix}",
            source,
            zh=f"第{line}行：{translate('zh', why)}；{translate('zh', fix)}",
        ),
    )
    try:
        data = tomllib.loads(text.text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"not valid TOML ({error})",
            source,
            zh=f"不是有效的 TOML（{translate('zh', toml_message(str(error)))}）",
        ) from None
    return _parse(data, source, environ)


def _parse(data: Mapping[str, Any], source: str, environ: Mapping[str, str]) -> EmailConfig:
    def fail(message: str, zh: str) -> ConfigError:
        return ConfigError(message, source, zh=zh)

    for table, value in data.items():
        if table not in _TABLES:
            known = ", ".join(f"[{name}]" for name in _TABLES)
            raise fail(
                f"unknown table [{table}] (known: {known})",
                f"未知的表 [{table}]（可用：{known}）",
            )
        if not isinstance(value, dict):
            raise fail(
                f"{table} must be a table: write [{table}] above its keys",
                f"{table} 应为表：请在其各键之上写 [{table}]",
            )
        keys = _TABLES[table]
        if table == "smtp" and "password" in value:
            raise fail(
                "[smtp] password: passwords never go in the file; put it in an environment "
                'variable and name that variable with password_env = "…"',
                "[smtp] password：密码不得写在文件中；请把密码放在环境变量里，"
                '并用 password_env = "…" 写出该变量名',
            )
        unknown = sorted(set(value) - keys) if keys is not None else []
        if keys is not None and unknown:
            raise fail(
                f"[{table}] unknown key {unknown[0]!r} (known: {', '.join(sorted(keys))})",
                f"[{table}] 未知的键 {unknown[0]!r}（可用：{', '.join(sorted(keys))}）",
            )
    if "smtp" not in data:
        raise fail(
            'no [smtp] table: add one with at least host and sender = "name <address>"',
            '缺少 [smtp] 表：请添加，至少写出 host 和 sender = "名字 <地址>"',
        )
    return EmailConfig(
        smtp=_smtp(data["smtp"], fail, environ),
        addresses=_addresses(data.get("addresses", {}), "addresses", fail),
        roles=_addresses(data.get("roles", {}), "roles", fail),
        message=_message(data.get("message", {}), fail),
        source=source,
    )


def _text(table: Mapping[str, Any], key: str, where: str, fail: Fail) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise fail(
            f"[{where}] {key} must be a non-empty string, not {value!r}",
            f"[{where}] {key} 应为非空字符串，实为 {value!r}",
        )
    return value.strip()


def _smtp(table: Mapping[str, Any], fail: Fail, environ: Mapping[str, str]) -> SmtpSettings:
    host = _text(table, "host", "smtp", fail)
    if host is None:
        raise fail(
            '[smtp] host is missing: the SMTP server\'s name, e.g. host = "mail.example.org"',
            '[smtp] 缺少 host：SMTP 服务器的名称，如 host = "mail.example.org"',
        )
    security = table.get("security", "starttls")
    if security not in DEFAULT_PORTS:
        raise fail(
            f'[smtp] security must be "none", "starttls" or "ssl", not {security!r}',
            f'[smtp] security 应为 "none"、"starttls" 或 "ssl"，实为 {security!r}',
        )
    port = table.get("port", DEFAULT_PORTS[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise fail(
            f"[smtp] port must be a whole number from 1 to 65535, not {port!r}",
            f"[smtp] port 应为 1 至 65535 之间的整数，实为 {port!r}",
        )
    timeout = table.get("timeout", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise fail(
            f"[smtp] timeout must be a positive number of seconds, not {timeout!r}",
            f"[smtp] timeout 应为正数（秒），实为 {timeout!r}",
        )
    sender_text = _text(table, "sender", "smtp", fail)
    if sender_text is None:
        raise fail(
            '[smtp] sender is missing: the From address, e.g. sender = "巡察办 <x@example.org>"',
            '[smtp] 缺少 sender：发件人地址，如 sender = "巡察办 <x@example.org>"',
        )
    sender = _address(sender_text, "[smtp] sender", fail, display=True)
    username = _text(table, "username", "smtp", fail)
    password_env = _text(table, "password_env", "smtp", fail)
    password = None
    if username is not None:
        if security == "none":
            raise fail(
                '[smtp] username with security = "none" would send the password in clear text: '
                'use security = "starttls" or "ssl"',
                '[smtp] 在 security = "none" 时设置 username 会以明文发送密码：'
                '请使用 security = "starttls" 或 "ssl"',
            )
        if password_env is None:
            raise fail(
                "[smtp] username is set but password_env is not: name the environment variable "
                'that holds the password, e.g. password_env = "RECTFLOW_SMTP_PASSWORD"',
                "[smtp] 设置了 username 但没有 password_env：请写出存放密码的环境变量名，"
                '如 password_env = "RECTFLOW_SMTP_PASSWORD"',
            )
        password = environ.get(password_env)
        if not password:
            raise fail(
                f"[smtp] password_env names {password_env}, which is not set: export it with "
                "the SMTP password before running rectflow",
                f"[smtp] password_env 指定的环境变量 {password_env} 未设置：请在运行 rectflow "
                "之前用 export 设置 SMTP 密码",
            )
        if not (password.isascii() and username.isascii()):
            # smtplib encodes AUTH as ASCII: it would fail later, with a less useful message.
            raise fail(
                f"[smtp] the login or the password in {password_env} has non-ASCII characters, "
                "which Python's smtplib cannot send: use an ASCII password",
                f"[smtp] 登录名或 {password_env} 中的密码含有非 ASCII 字符，Python 的 smtplib "
                "无法发送：请使用仅含 ASCII 字符的密码",
            )
    elif password_env is not None:
        raise fail(
            "[smtp] password_env is set but username is not: add the login as username",
            "[smtp] 设置了 password_env 但没有 username：请用 username 写出登录名",
        )
    ca_text = _text(table, "ca_file", "smtp", fail)
    ca_file = Path(ca_text) if ca_text is not None else None
    if ca_file is not None and not ca_file.is_file():
        raise fail(
            f"[smtp] ca_file {ca_text!r} is not a file: give the path of a PEM CA bundle",
            f"[smtp] ca_file {ca_text!r} 不是文件：请给出 PEM 格式 CA 证书文件的路径",
        )
    return SmtpSettings(
        host=host,
        port=port,
        security=cast("Security", security),
        sender=sender,
        username=username,
        password=password,
        ca_file=ca_file,
        timeout=float(timeout),
    )


def _address(text: str, where: str, fail: Fail, *, display: bool = False) -> Address:
    """An address, ``名字 <user@host>`` when ``display``, else ``user@host`` alone."""
    try:
        if display and "<" in text:
            name, _, rest = text.rpartition("<")
            spec = rest.removesuffix(">").strip()
            address = Address(display_name=name.strip().strip('"'), addr_spec=spec)
        else:
            address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError) as error:
        raise fail(
            f"{where} {text!r} is not an e-mail address ({error})",
            f"{where} {text!r} 不是电子邮件地址（{error}）",
        ) from None
    if not address.username or not address.domain or "." not in address.domain:
        raise fail(
            f"{where} {text!r} is not an e-mail address like user@example.org",
            f"{where} {text!r} 不是 user@example.org 这样的电子邮件地址",
        )
    return address


def _addresses(table: Mapping[str, Any], where: str, fail: Fail) -> dict[str, Address]:
    found: dict[str, Address] = {}
    for name, value in table.items():
        if not isinstance(value, str):
            raise fail(
                f'[{where}] "{name}" must be an address string, not {value!r}',
                f'[{where}] "{name}" 应为地址字符串，实为 {value!r}',
            )
        found[name] = _address(value.strip(), f'[{where}] "{name}"', fail)
    return found


def _message(table: Mapping[str, Any], fail: Fail) -> MessageSettings:
    prefix = table.get("subject_prefix", DEFAULT_PREFIX)
    if not isinstance(prefix, str):
        raise fail(
            f"[message] subject_prefix must be a string, not {prefix!r}",
            f"[message] subject_prefix 应为字符串，实为 {prefix!r}",
        )
    return MessageSettings(
        subject_prefix=prefix, signature=_text(table, "signature", "message", fail)
    )
