"""The plugin as rectflow calls it: the hook through the plugin manager, and its crashes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import rectflow_notify_email
from notify_email_support import AS_OF, Server, config_text, notice

import rectflow
from rectflow import EscalationNotice, Recipient

ENV = rectflow_notify_email.CONFIG_ENV


@pytest.fixture
def plugins() -> rectflow.Plugins:
    """Only this plugin, registered as its entry point registers it."""
    manager = rectflow.plugin_manager(builtins=lambda: (), load_entry_points=False)
    manager.register(rectflow_notify_email, name="notify-email")
    return manager


def test_the_hook_delivers_the_run_s_notices(
    plugins: rectflow.Plugins,
    smtp_server: Server,
    write_config: Callable[[str], Path],
    notices: tuple[EscalationNotice, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Plugins.escalation_notices: no crash, one message per recipient at the server."""
    monkeypatch.setenv(ENV, str(write_config(config_text(smtp_server))))
    assert plugins.escalation_notices(notices, AS_OF) == []
    assert [env.rcpt_tos[0] for env in smtp_server.recorder.envelopes] == [
        "zhangsan@example.org",
        "caigou@example.org",
        "lisi@example.org",
    ]


def test_without_a_configuration_it_is_a_crash_naming_the_plugin(
    plugins: rectflow.Plugins,
    notices: tuple[EscalationNotice, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An installed, unconfigured plugin never passes for delivery: plugin.crashed, error."""
    monkeypatch.delenv(ENV, raising=False)
    (crash,) = plugins.escalation_notices(notices, AS_OF)
    assert (crash.code, crash.level, crash.plugin) == (
        "plugin.crashed",
        rectflow.Level.ERROR,
        "notify-email",
    )
    assert f"raised ConfigError: {ENV} is not set, so nothing was sent" in crash.message
    assert "rectflow_escalation_notices" in crash.message


def test_a_recipient_without_an_address_crashes_before_anything_is_sent(
    plugins: rectflow.Plugins,
    smtp_server: Server,
    write_config: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """王五 has no address: the crash names him, and 张三 is not sent his message either."""
    monkeypatch.setenv(ENV, str(write_config(config_text(smtp_server))))
    notices = (
        notice("1.1.1"),
        notice("1.1.2", recipients=(Recipient("person", "王五"),)),
    )
    (crash,) = plugins.escalation_notices(notices, AS_OF)
    assert "raised ConfigError: no e-mail address for 王五: add them under [addresses]" in (
        crash.message
    )
    assert smtp_server.recorder.envelopes == []


def test_a_broken_configuration_is_checked_even_without_notices(
    plugins: rectflow.Plugins,
    write_config: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An empty agenda still reads the configuration: the mistake shows on the first run."""
    monkeypatch.setenv(ENV, str(write_config('[smtp]\nhost = "h.example.org"\n')))
    (crash,) = plugins.escalation_notices((), AS_OF)
    assert "raised ConfigError: [smtp] sender is missing" in crash.message


def test_installed_it_loads_by_entry_point_and_can_be_disabled_by_name() -> None:
    """`pip install` registers it as notify-email; `--disable notify-email` takes it out."""
    assert "notify-email" in rectflow.plugin_manager().names()
    assert "notify-email" not in rectflow.plugin_manager(disable=["notify-email"]).names()
