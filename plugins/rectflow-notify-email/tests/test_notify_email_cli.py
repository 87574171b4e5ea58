"""End to end: `rectflow agenda EXAMPLE --as-of 2025-06-01 --notify` mails the test server.

The installed plugin is loaded by its entry point in a separate ``rectflow`` process, as a user
runs it; the recipients are read off the same agenda's JSON, so the test follows the example
case and the policy rather than restating them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from notify_email_support import Server, config_text
from rectflow_notify_email import CONFIG_ENV

RECTFLOW = Path(sys.executable).parent / "rectflow"
EXAMPLE = (
    Path(__file__).resolve().parents[3]
    / "examples"
    / "cases"
    / "synthetic-hongqiao-first-people-hospital.toml"
)
AGENDA = ("agenda", str(EXAMPLE), "--as-of", "2025-06-01")


def _rectflow(*args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("RECTFLOW_")}
    if config is not None:
        env[CONFIG_ENV] = str(config)
    return subprocess.run(  # noqa: S603  (the venv's rectflow, arguments of our own)
        [str(RECTFLOW), *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.fixture(scope="module")
def agenda() -> dict[str, Any]:
    """The example's agenda as of 2025-06-01, as JSON (it has notices: the test needs some)."""
    done = _rectflow(*AGENDA, "--format", "json")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    assert data["notices"], "the example has no notice as of 2025-06-01"
    return data


def _expected(agenda: dict[str, Any]) -> dict[str, list[str]]:
    """Each recipient name → the items of the notices naming them, in the agenda's order."""
    expected: dict[str, list[str]] = {}
    for notice in agenda["notices"]:
        for recipient in notice["recipients"]:
            items = expected.setdefault(recipient["name"], [])
            if notice["item"] not in items:
                items.append(notice["item"])
    return expected


def _addresses(names: list[str]) -> dict[str, str]:
    return {name: f"r{index}@example.org" for index, name in enumerate(names)}


def test_agenda_notify_delivers_one_message_per_recipient(
    agenda: dict[str, Any], smtp_server: Server, write_config: Callable[[str], Path]
) -> None:
    """Every recipient of the agenda gets one message listing exactly their items."""
    expected = _expected(agenda)
    addresses = _addresses(list(expected))
    config = write_config(config_text(smtp_server, addresses=addresses))
    done = _rectflow(*AGENDA, "--notify", config=config)
    assert done.returncode == 0, done.stderr
    assert "plugin.crashed" not in done.stderr
    received = {
        env.rcpt_tos[0]: message
        for env, message in zip(
            smtp_server.recorder.envelopes, smtp_server.recorder.messages(), strict=True
        )
    }
    assert sorted(received) == sorted(addresses.values())
    for name, items in expected.items():
        message = received[addresses[name]]
        assert (
            message["Subject"] == f"【巡察整改督办】{len(items)}项整改任务提醒（截至2025年6月1日）"
        )
        assert message["Date"] == "Sun, 01 Jun 2025 00:00:00 +0800"
        body = message.get_content()
        listed = [line.rsplit(" ", 1)[1] for line in body.splitlines() if "】" in line]
        assert listed == items
        assert "中共虹桥市第一人民医院委员会" in body


def test_without_notify_nothing_is_sent(
    smtp_server: Server, write_config: Callable[[str], Path], agenda: dict[str, Any]
) -> None:
    """The plugin is installed and configured, yet a plain agenda run sends nothing."""
    config = write_config(config_text(smtp_server, addresses=_addresses(list(_expected(agenda)))))
    for extra in ((), ("--format", "json")):
        done = _rectflow(*AGENDA, *extra, config=config)
        assert done.returncode == 0, done.stderr
    assert smtp_server.recorder.envelopes == []


def test_a_missing_address_is_reported_by_the_cli_and_nothing_is_sent(
    smtp_server: Server, write_config: Callable[[str], Path], agenda: dict[str, Any]
) -> None:
    """One recipient left out of [addresses]: the agenda still prints, a plugin.crashed line
    names the plugin and the person, and nobody is mailed."""
    first, *others = list(_expected(agenda))
    config = write_config(config_text(smtp_server, addresses=_addresses(others)))
    done = _rectflow(*AGENDA, "--notify", config=config)
    assert "中共虹桥市第一人民医院委员会" in done.stdout
    assert "plugin.crashed" in done.stderr
    assert "'notify-email' raised ConfigError: no e-mail address for " + first in done.stderr
    assert smtp_server.recorder.envelopes == []


def test_a_missing_address_is_reported_in_chinese_under_lang_zh(
    smtp_server: Server, write_config: Callable[[str], Path], agenda: dict[str, Any]
) -> None:
    """Under --lang zh the plugin's complaint is said in Chinese, as the rest of the run."""
    first, *others = list(_expected(agenda))
    config = write_config(config_text(smtp_server, addresses=_addresses(others)))
    done = _rectflow(*AGENDA, "--notify", "--lang", "zh", config=config)
    (line,) = [line for line in done.stderr.splitlines() if "plugin.crashed" in line]
    assert f"抛出了 ConfigError：{first} 没有电子邮件地址：请在 [addresses] 中添加" in line
    assert "no e-mail address" not in line
    assert smtp_server.recorder.envelopes == []
