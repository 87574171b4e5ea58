"""The plugin's errors: a configuration that cannot be used, and mail that did not go out.

Raised inside the ``rectflow_escalation_notices`` hook, either one becomes a ``plugin.crashed``
violation naming the plugin (rectflow isolates every hook call), so the message is written to be
read on one line by the person who ran ``rectflow agenda --notify``: what is wrong, and how to
fix it.
"""

from __future__ import annotations

__all__ = ["ConfigError", "DeliveryError", "NotifyEmailError"]


class NotifyEmailError(Exception):
    """Base class of the plugin's errors."""


class ConfigError(NotifyEmailError):
    """The configuration is missing, unreadable or invalid, or lacks an address.

    Attributes:
        source: the configuration file concerned, or ``None`` when there is none.
        translations: the message in Chinese (``{"zh": …}``), which rectflow says under
            ``--lang zh`` or a ``zh_CN`` locale.
    """

    def __init__(self, message: str, source: str | None = None, *, zh: str) -> None:
        # The message first: rectflow clips a crash's text, and the fix matters more than where.
        super().__init__(f"{message} (in {source})" if source else message)
        self.source = source
        self.translations = {"zh": f"{zh}（见 {source}）" if source else zh}


class DeliveryError(NotifyEmailError):
    """The SMTP server could not be reached, refused the login, or refused some messages.

    Attributes:
        sent: the recipients (``名字 <address>``) whose message the server accepted.
        failed: the recipients whose message was not accepted, each with the reason.
        translations: the message in Chinese (``{"zh": …}``), which rectflow says under
            ``--lang zh`` or a ``zh_CN`` locale.
    """

    def __init__(
        self,
        message: str,
        sent: tuple[str, ...] = (),
        failed: tuple[tuple[str, str], ...] = (),
        *,
        zh: str,
    ) -> None:
        super().__init__(message)
        self.sent = sent
        self.failed = failed
        self.translations = {"zh": zh}
