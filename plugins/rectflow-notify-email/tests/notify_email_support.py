"""The tests' support: a real SMTP server (aiosmtpd) on 127.0.0.1, notices, configurations.

(A module of its own, not conftest.py: rectflow's tests/conftest.py is imported as ``conftest``
too, so the tests import their helpers from here under a name nothing else takes.)

The server records every envelope it accepts; ``refuse`` makes it answer 550 to the given
addresses at RCPT, ``reject_data`` 554 to their message after DATA. TLS servers use a
certificate for 127.0.0.1 made by ``openssl`` for the test session, trusted through the
configuration's ``ca_file``.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import attrs
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from rectflow import EscalationNotice, Recipient

HOST = "127.0.0.1"
LOGIN = ("xuncha@example.org", "s3cret-Pa55")
PASSWORD_ENV = "TEST_NOTIFY_EMAIL_PASSWORD"  # noqa: S105  (a variable's name, not a password)
AS_OF = dt.date(2025, 6, 1)


@attrs.define
class Recorder:
    """An aiosmtpd handler keeping what it was sent, refusing some recipients."""

    envelopes: list[Envelope] = attrs.Factory(list)
    refuse: set[str] = attrs.Factory(set)
    reject_data: set[str] = attrs.Factory(set)

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook name)
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        """Refuse the addresses in ``refuse``, take the others."""
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: Any, session: Session, envelope: Envelope
    ) -> str:
        """Keep the envelope, unless it is for an address in ``reject_data``."""
        if self.reject_data.intersection(envelope.rcpt_tos):
            return "554 5.6.0 message content rejected"
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        """The received messages, parsed (headers decoded by the modern policy)."""
        return [
            email.message_from_bytes(env.original_content or b"", policy=email.policy.default)
            for env in self.envelopes
        ]


@attrs.frozen
class Server:
    """A running test server: where it listens and what it received."""

    port: int
    security: str
    recorder: Recorder = attrs.Factory(Recorder)


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _authenticate(
    server: Any, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        )
        == LOGIN
    )
    # handled=False: aiosmtpd answers 535 itself (with True it would leave the client waiting).
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and key for 127.0.0.1, made by ``openssl`` for the session."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: the TLS tests need it to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=x"]
    names = ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
    subprocess.run(  # noqa: S603  (openssl from PATH, arguments of our own)
        [openssl, *request, *names, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def _start(recorder: Recorder, security: str, **kwargs: Any) -> Iterator[Server]:
    port = free_port()
    controller = Controller(recorder, hostname=HOST, port=port, **kwargs)
    controller.start()
    try:
        yield Server(port=port, security=security, recorder=recorder)
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[Server]:
    """Plain SMTP, no login."""
    yield from _start(Recorder(), "none")


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


@pytest.fixture
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[Server]:
    """STARTTLS required, and a login (``LOGIN``) required over it."""
    yield from _start(
        Recorder(),
        "starttls",
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=_authenticate,
        auth_required=True,
        auth_require_tls=True,
    )


@pytest.fixture
def ssl_server(certificate: tuple[Path, Path]) -> Iterator[Server]:
    """TLS from the first byte (SMTPS), no login."""
    yield from _start(Recorder(), "ssl", ssl_context=_server_context(certificate))


ADDRESSES = {
    "张三": "zhangsan@example.org",
    "李四": "lisi@example.org",
    "采购中心": "caigou@example.org",
}


def config_text(
    server: Server,
    *,
    certificate: tuple[Path, Path] | None = None,
    login: bool = False,
    addresses: dict[str, str] | None = None,
    extra: str = "",
) -> str:
    """A configuration file's text for ``server``."""
    lines = [
        "[smtp]",
        f'host = "{HOST}"',
        f"port = {server.port}",
        f'security = "{server.security}"',
        'sender = "区委巡察办 <xuncha@example.org>"',
        "timeout = 10",
    ]
    if certificate is not None:
        lines.append(f'ca_file = "{certificate[0]}"')
    if login:
        lines += [f'username = "{LOGIN[0]}"', f'password_env = "{PASSWORD_ENV}"']
    lines.append("[addresses]")
    lines += [f'"{name}" = "{addr}"' for name, addr in (addresses or ADDRESSES).items()]
    return "\n".join(lines) + "\n" + extra


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write a configuration file and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "notify-email.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def notice(
    item: str,
    *,
    level: str = "yellow",
    label: str = "黄色预警",
    days: int = -10,
    due_on: dt.date = dt.date(2025, 6, 11),
    original_due_on: dt.date | None = None,
    recipients: tuple[Recipient, ...] = (Recipient("person", "张三"),),
    text: str = "完善药品耗材采购审批制度",
) -> EscalationNotice:
    """A notice as the agenda makes them, as of ``AS_OF``."""
    return EscalationNotice(
        case_id="hongqiao-2025",
        inspected_body="中共虹桥市第一人民医院委员会",
        item=item,
        text=text,
        level=level,
        label=label,
        as_of=AS_OF,
        due_on=due_on,
        original_due_on=original_due_on,
        days=days,
        recipients=recipients,
    )


@pytest.fixture
def notices() -> tuple[EscalationNotice, ...]:
    """Three notices: 张三 is told of all three (of one as leader too), 李四 and 采购中心 of one."""
    return (
        notice(
            "1.2.1",
            level="red",
            label="红色预警",
            days=12,
            due_on=dt.date(2025, 5, 20),
            original_due_on=dt.date(2025, 4, 30),
            recipients=(Recipient("person", "张三"), Recipient("department", "采购中心")),
            text="开展医用耗材集中采购专项检查",
        ),
        notice(
            "1.1.2",
            recipients=(Recipient("person", "张三"), Recipient("leader", "李四")),
        ),
        notice(
            "2.1.1",
            level="green",
            label="绿色预警",
            days=-20,
            due_on=dt.date(2025, 6, 21),
            recipients=(Recipient("person", "张三"), Recipient("leader", "张三")),
            text="修订科室绩效考核办法",
        ),
    )
