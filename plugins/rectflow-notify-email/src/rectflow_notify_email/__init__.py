"""E-mail for rectflow's escalation notices: one message in Chinese per recipient.

A rectflow plugin (entry point ``notify-email``) implementing ``rectflow_escalation_notices``.
rectflow calls it only when delivery is asked for (``rectflow agenda --notify``, or
:func:`rectflow.agenda` with ``notify=True``); it never sends anything otherwise, and importing
it does nothing.

On each such run it reads the configuration named by ``RECTFLOW_NOTIFY_EMAIL_CONFIG`` (a TOML
file: the SMTP server, the sender, each recipient's address; see the README), groups the notices
by recipient, and sends each recipient one message through one SMTP connection. Anything that
stops it (no configuration, an invalid one, a recipient without an address, a server that
refuses) raises a :class:`NotifyEmailError` with a one-line message; rectflow reports it as a
``plugin.crashed`` violation naming ``notify-email``. Addresses are all checked before anything
is sent.

In Python, without rectflow's plugin manager::

    config = load_config(Path("notify-email.toml"))
    deliver(compose_messages(notices, as_of, config), config.smtp)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import rectflow
from rectflow_notify_email._compose import ROLE_ZH, compose_messages
from rectflow_notify_email._config import (
    CONFIG_ENV,
    EmailConfig,
    MessageSettings,
    SmtpSettings,
    config_from_environment,
    load_config,
)
from rectflow_notify_email._deliver import deliver
from rectflow_notify_email._errors import ConfigError, DeliveryError, NotifyEmailError

if TYPE_CHECKING:
    from rectflow import EscalationNotice

__all__ = [
    "CONFIG_ENV",
    "ROLE_ZH",
    "ConfigError",
    "DeliveryError",
    "EmailConfig",
    "MessageSettings",
    "NotifyEmailError",
    "SmtpSettings",
    "compose_messages",
    "config_from_environment",
    "deliver",
    "load_config",
    "rectflow_escalation_notices",
]


@rectflow.hookimpl
def rectflow_escalation_notices(notices: tuple[EscalationNotice, ...], as_of: dt.date) -> None:
    """Send each recipient of the run's notices one e-mail.

    The configuration is read (and checked) on every run, even one without notices, so a broken
    setup shows on the first ``--notify`` run rather than on the day of the first red notice.

    Raises:
        ConfigError: no configuration, an invalid one, or a recipient without an address
            (nothing is sent).
        DeliveryError: the server could not be reached or refused some messages.
    """
    config = config_from_environment()
    deliver(compose_messages(notices, as_of, config), config.smtp)
