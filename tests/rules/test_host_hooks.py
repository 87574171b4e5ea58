"""The host's hooks: told of each recorded event and of an agenda's notices, isolated like all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import rectflow
from rectflow._casefile.files import load_case
from rectflow._cli.main import main
from rectflow._core.events import Event
from rectflow._rules.agenda import EscalationNotice, Recipient
from rectflow._rules.plugins import plugin_manager

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
CASE = EXAMPLES / "synthetic-hongqiao-first-people-hospital.toml"
AS_OF = dt.date(2025, 6, 1)


def _manager(*plugins: tuple[str, object]) -> rectflow.Plugins:
    manager = plugin_manager(builtins=lambda: (), load_entry_points=False)
    for name, plugin in plugins:
        manager.register(plugin, name=name)
    return manager


def _notice(item: str = "1.1", level: str = "red") -> EscalationNotice:
    return EscalationNotice(
        case_id="c",
        inspected_body="某医院",
        item=item,
        text="整改措施",
        level=level,
        label="红色预警",
        as_of=AS_OF,
        due_on=dt.date(2025, 5, 30),
        original_due_on=None,
        days=2,
        recipients=(Recipient("department", "医务部"), Recipient("unit_head", None)),
    )


class EventRecorder:
    """Keeps what it is told."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int]] = []

    @rectflow.hookimpl
    def rectflow_event_recorded(self, case: rectflow.Case, event: Event) -> None:
        self.seen.append((case.id, event.seq))


class NoticeRecorder:
    """Keeps the notices and the day it is handed."""

    def __init__(self) -> None:
        self.seen: list[tuple[tuple[EscalationNotice, ...], dt.date]] = []

    @rectflow.hookimpl
    def rectflow_escalation_notices(
        self, notices: tuple[EscalationNotice, ...], as_of: dt.date
    ) -> None:
        self.seen.append((notices, as_of))


class Crasher:
    """Raises in both hooks, SystemExit included."""

    @rectflow.hookimpl
    def rectflow_event_recorded(self) -> None:
        raise SystemExit(3)

    @rectflow.hookimpl
    def rectflow_escalation_notices(self) -> None:
        raise RuntimeError("SMTP server said no")


def test_hook_rectflow_event_recorded_is_told_of_the_event_with_its_case() -> None:
    """event_recorded hands the case and the event to each plugin and reports no crash."""
    case = load_case(CASE)
    recorder = EventRecorder()
    manager = _manager(("recorder", recorder))
    event = case.events[-1]
    assert manager.event_recorded(case, event) == []
    assert [(case.id, event.seq)] == recorder.seen


def test_hook_rectflow_event_recorded_crash_is_reported_and_the_others_still_told() -> None:
    """A plugin raising (SystemExit too) is a plugin.crashed naming it; the next is still told."""
    case = load_case(CASE)
    recorder = EventRecorder()
    manager = _manager(("crasher", Crasher()), ("recorder", recorder))
    crashes = manager.event_recorded(case, case.events[-1])
    assert [(v.code, v.plugin) for v in crashes] == [("plugin.crashed", "crasher")]
    assert "rectflow_event_recorded" in crashes[0].message
    assert "SystemExit" in crashes[0].message
    assert len(recorder.seen) == 1


def test_hook_rectflow_escalation_notices_gets_the_notices_as_a_tuple_and_the_day() -> None:
    """escalation_notices passes the notices as a tuple (a list given is turned into one)."""
    recorder = NoticeRecorder()
    manager = _manager(("recorder", recorder))
    notices = [_notice("1.1"), _notice("2.1", "yellow")]
    assert manager.escalation_notices(notices, AS_OF) == []
    assert [(tuple(notices), AS_OF)] == recorder.seen


def test_hook_rectflow_escalation_notices_crash_is_reported_not_raised() -> None:
    """A delivery plugin that raises is a plugin.crashed violation; the other still delivers."""
    recorder = NoticeRecorder()
    manager = _manager(("crasher", Crasher()), ("recorder", recorder))
    crashes = manager.escalation_notices((), AS_OF)
    assert [v.plugin for v in crashes] == ["crasher"]
    assert "SMTP server said no" in crashes[0].message
    assert "其未送达提醒" in crashes[0].message_zh
    assert recorder.seen == [((), AS_OF)]


class SaysItInChineseError(Exception):
    """A plugin's error that carries its Chinese itself (``translations``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.translations = {"zh": "邮件服务器拒绝登录；请检查用户名和密码变量"}


def test_a_crash_the_plugin_says_in_chinese_is_said_in_chinese() -> None:
    """A plugin's exception with its own ``translations`` is said in Chinese in the crash's
    Chinese message (rectflow's catalogue cannot hold a plugin's words); the English stays."""

    class Refused:
        @rectflow.hookimpl
        def rectflow_escalation_notices(self) -> None:
            raise SaysItInChineseError("the SMTP server refused the login")

    (crash,) = _manager(("mailer", Refused())).escalation_notices((), AS_OF)
    assert "the SMTP server refused the login" in crash.message
    assert "邮件服务器拒绝登录；请检查用户名和密码变量" in crash.message_zh
    assert "refused" not in crash.message_zh


class _BrokenWords(dict[str, str]):
    """A plugin's translations whose own methods crash."""

    def items(self) -> Any:
        raise RuntimeError("broken translations")


class BrokenTranslationsError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.translations = _BrokenWords(zh="不会用到")


def test_translations_that_crash_leave_the_crash_said_in_english() -> None:
    """Reading a plugin's translations runs plugin code: when it raises, the crash is still
    reported (in English), nothing escapes the isolation."""

    class Refused:
        @rectflow.hookimpl
        def rectflow_escalation_notices(self) -> None:
            raise BrokenTranslationsError("the SMTP server refused the login")

    (crash,) = _manager(("mailer", Refused())).escalation_notices((), AS_OF)
    assert "the SMTP server refused the login" in crash.message
    assert "不会用到" not in crash.message_zh


def test_a_value_returned_by_a_notification_hook_is_ignored() -> None:
    """Returning something (even a non-iterable) from a notification hook is not a crash."""

    class Chatty:
        @rectflow.hookimpl
        def rectflow_escalation_notices(self) -> object:
            return 42

    assert _manager(("chatty", Chatty())).escalation_notices((), AS_OF) == []


def test_an_escalation_notice_is_json_ready_with_iso_dates() -> None:
    """EscalationNotice.to_dict gives plain data: ISO dates, recipients as role/name pairs."""
    expected = {
        "case_id": "c",
        "inspected_body": "某医院",
        "item": "1.1",
        "text": "整改措施",
        "level": "red",
        "label": "红色预警",
        "as_of": "2025-06-01",
        "due_on": "2025-05-30",
        "original_due_on": None,
        "days": 2,
        "recipients": [
            {"role": "department", "name": "医务部"},
            {"role": "unit_head", "name": None},
        ],
    }
    assert expected == _notice().to_dict()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _with(monkeypatch: pytest.MonkeyPatch, name: str, plugin: object) -> None:
    """`rectflow fire` builds its plugin manager with ``plugin`` registered too."""
    build = rectflow.plugin_manager

    def manager(**kwargs: Any) -> rectflow.Plugins:
        plugins = build(**kwargs)
        plugins.register(plugin, name=name)
        return plugins

    monkeypatch.setattr("rectflow._cli.case.plugin_manager", manager)


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(CASE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


FIRE = ("fire", "complete", "--item", "2.1.5", "--on", "2025-07-02")


def test_hook_rectflow_event_recorded_is_called_by_rectflow_fire_after_saving(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`rectflow fire` tells the plugins of the event it recorded, once, after the file is saved."""
    recorder = EventRecorder()
    _with(monkeypatch, "recorder", recorder)
    path = _copy(tmp_path)
    code, out, err = _run(capsys, FIRE[0], str(path), *FIRE[1:])
    assert (code, err) == (0, "")
    saved = load_case(path)
    assert recorder.seen == [(saved.id, saved.events[-1].seq)]
    assert saved.events[-1].trigger == "complete"
    assert out.splitlines()[-1] == f"saved {path}"


def test_a_crashing_event_hook_leaves_the_event_recorded_and_exit_0(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A plugin raising SystemExit in rectflow_event_recorded: one warning line, no traceback,
    the event saved, exit 0."""
    _with(monkeypatch, "crasher", Crasher())
    path = _copy(tmp_path)
    before = len(load_case(path).events)
    code, _, err = _run(capsys, FIRE[0], str(path), *FIRE[1:])
    assert code == 0
    [line] = err.strip().splitlines()
    assert line.startswith("rectflow: warning: plugin.crashed: plugin 'crasher' raised SystemExit")
    assert len(load_case(path).events) == before + 1
