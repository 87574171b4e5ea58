"""``rectflow agenda``: the day given (today said explicitly), text by recipient in Chinese or
English, the documented JSON, and --notify handing the notices to the host's plugins."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import rectflow
from rectflow._casefile.files import load_case, save_case
from rectflow._cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "examples" / "cases"
HONGQIAO = str(CASES / "synthetic-hongqiao-first-people-hospital.toml")
JIANGJIN = str(ROOT / "examples" / "policies" / "jiangjin-three-colour.toml")

RECORDING_PLUGIN = """
import json, os
import rectflow

@rectflow.hookimpl
def rectflow_escalation_notices(notices, as_of):
    with open(os.environ["AGENDA_OUT"], "a", encoding="utf-8") as out:
        out.write(json.dumps({"as_of": as_of.isoformat(),
                              "items": [n.item for n in notices]}) + "\\n")
"""

CRASHING_PLUGIN = """
import rectflow

@rectflow.hookimpl
def rectflow_escalation_notices(notices, as_of):
    raise ConnectionRefusedError("smtp.example.org:25 refused")
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process as the `rectflow` script does."""
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def plugin_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for plugin modules; they are forgotten after the test."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    before = set(sys.modules)
    yield folder
    for name in set(sys.modules) - before:
        del sys.modules[name]


def install(monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, source: str) -> None:
    """Install a plugin module as the only `rectflow` entry point: the test's plugin alone
    decides what --notify does, whatever delivery plugins the environment has installed."""
    module = "rectflow_test_" + name.replace("-", "_")
    (folder / f"{module}.py").write_text(source, encoding="utf-8")
    real = importlib.metadata.entry_points
    extra = importlib.metadata.EntryPoint(name=name, value=module, group="rectflow")

    def entry_points(**selection: str) -> object:
        found = real(**selection)
        return [extra] if selection.get("group") == "rectflow" else found

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


ZH = """\
截至 2025-06-08 的督办清单（规则集 jiangjin-three-colour）：共 4 项，其中逾期 3 项
主办人 黄悦（1 项）
  【黄色预警】中共虹桥市第一人民医院委员会 2.1.5 复查近三年小额采购：完成时限 2025-06-15，还剩 7 天
分管领导 孙立(纪委书记)（1 项）
  【黄色预警】中共虹桥市第一人民医院委员会 2.1.5 复查近三年小额采购：完成时限 2025-06-15，还剩 7 天
主办单位 招标采购办公室（1 项）
  【红色预警】中共虹桥市第一人民医院委员会 2.1.2 清理拆分采购,规范小额采购：完成时限 2024-05-10，已逾期 394 天
主办单位 纪委办公室（1 项）
  【红色预警】中共虹桥市第一人民医院委员会 2.1.2 清理拆分采购,规范小额采购：完成时限 2024-05-10，已逾期 394 天
主办单位 组织人事部（2 项）
  【红色预警】中共虹桥市第一人民医院委员会 3.3.2 建立档案材料定期审核机制：完成时限 2024-06-30，已逾期 343 天
  【红色预警】中共虹桥市第一人民医院委员会 3.3.3 逐人复核新入职人员档案：完成时限 2025-05-31，已逾期 8 天
主要负责人 周文清(党委书记)（3 项）
  【红色预警】中共虹桥市第一人民医院委员会 2.1.2 清理拆分采购,规范小额采购：完成时限 2024-05-10，已逾期 394 天
  【红色预警】中共虹桥市第一人民医院委员会 3.3.2 建立档案材料定期审核机制：完成时限 2024-06-30，已逾期 343 天
  【红色预警】中共虹桥市第一人民医院委员会 3.3.3 逐人复核新入职人员档案：完成时限 2025-05-31，已逾期 8 天
"""  # noqa: E501 - the lines are what a staff member reads


def test_the_chinese_agenda_is_grouped_by_recipient(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang zh: the summary, then each recipient with their notices, colour first."""
    args = ("agenda", HONGQIAO, "--as-of", "2025-06-08", "--policy", JIANGJIN, "--lang", "zh")
    code, out, err = run(capsys, *args)
    assert (code, out, err) == (0, ZH, "")


def test_the_english_agenda_names_levels_days_and_extensions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--lang en with the default ladder; an extended measure says from which deadline."""
    case = tmp_path / "case.toml"
    loaded = load_case(HONGQIAO)
    rectflow.extend(
        loaded,
        "2.1.5",
        dt.date(2025, 6, 20),
        approver="孙立(纪委书记)",
        reason="需调取近三年全部采购凭证",
        on=dt.date(2025, 6, 12),
        recorded_on=dt.date(2025, 7, 1),
    )
    save_case(loaded, case)
    code, out, _ = run(capsys, "agenda", str(case), "--as-of", "2025-07-02", "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Agenda as of 2025-07-02 (policy xuncha): 3 items, 3 overdue"
    assert (
        "  [overdue: 逾期督办] 中共虹桥市第一人民医院委员会 2.1.5 复查近三年小额采购: "
        "due 2025-06-20, 12 days late, extended from 2025-06-15"
    ) in lines
    assert "person in charge 黄悦 (1)" in lines


def test_the_json_is_the_documented_example(capsys: pytest.CaptureFixture[str]) -> None:
    """The command docs/agenda.md names prints exactly its JSON example."""
    text = (ROOT / "docs" / "agenda.md").read_text(encoding="utf-8")
    match = re.search(r"```json\n(.*?)\n```", text, re.DOTALL)
    assert match is not None
    args = ("--as-of", "2025-06-08", "--within", "14d", "--policy", JIANGJIN, "--format", "json")
    code, out, _ = run(capsys, "agenda", HONGQIAO, *args)
    assert code == 0
    assert json.loads(out) == json.loads(match[1])
    assert out.rstrip("\n") == match[1]


def test_as_of_today_is_accepted_as_the_explicit_word(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--as-of today reads the clock's day (here 2025-06-08) and nothing else does."""
    monkeypatch.setattr("rectflow._cli._dates.today", lambda: dt.date(2025, 6, 8))
    today = run(capsys, "agenda", HONGQIAO, "--as-of", "today", "--format", "json")
    given = run(capsys, "agenda", HONGQIAO, "--as-of", "2025-06-08", "--format", "json")
    assert today == given
    assert json.loads(today[1])["as_of"] == "2025-06-08"


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        ((), "--as-of is missing: give the day, --as-of YYYY-MM-DD or --as-of today"),
        (("--as-of", "2025-13-01"), "--as-of"),
        (("--as-of", "2025-06-08", "--within", "2 months"), "--within '2 months' is not"),
    ],
)
def test_a_missing_or_bad_day_or_horizon_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], wanted: str
) -> None:
    """Exit 2, one line on standard error that says what to give, nothing on standard out."""
    code, out, err = run(capsys, "agenda", HONGQIAO, "--lang", "en", *args)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1
    assert wanted in err


def test_the_refusal_speaks_chinese_with_lang_zh(capsys: pytest.CaptureFixture[str]) -> None:
    """The missing day, refused in Chinese."""
    code, _, err = run(capsys, "agenda", HONGQIAO, "--lang", "zh")
    assert code == 2
    assert err.startswith("rectflow: error: 缺少 --as-of")


def test_within_keeps_the_near_and_the_late(capsys: pytest.CaptureFixture[str]) -> None:
    """As of 2025-05-28 2.1.5 is 18 days away: --within 14d leaves it out."""
    base = ("agenda", HONGQIAO, "--as-of", "2025-05-28", "--policy", JIANGJIN, "--format", "json")
    wide = json.loads(run(capsys, *base)[1])
    near = json.loads(run(capsys, *base, "--within", "14d")[1])
    assert [n["item"] for n in wide["notices"]] == ["2.1.2", "3.3.2", "3.3.3", "2.1.5"]
    assert [n["item"] for n in near["notices"]] == ["2.1.2", "3.3.2", "3.3.3"]


def test_notify_hands_the_notices_to_the_plugins_and_only_with_notify(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    plugin_modules: Path,
    tmp_path: Path,
) -> None:
    """Without --notify the installed plugin is never called; with it, once, with the notices."""
    delivered = tmp_path / "delivered.jsonl"
    monkeypatch.setenv("AGENDA_OUT", str(delivered))
    install(monkeypatch, plugin_modules, "recorder", RECORDING_PLUGIN)
    base = ("agenda", HONGQIAO, "--as-of", "2025-06-08", "--policy", JIANGJIN, "--lang", "zh")
    assert run(capsys, *base)[0] == 0
    assert not delivered.exists()
    code, out, err = run(capsys, *base, "--notify")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "提醒已交由插件送达（rectflow_escalation_notices）"
    calls = [json.loads(line) for line in delivered.read_text(encoding="utf-8").splitlines()]
    assert calls == [{"as_of": "2025-06-08", "items": ["2.1.2", "3.3.2", "3.3.3", "2.1.5"]}]


def test_a_crashing_delivery_plugin_is_reported_and_the_exit_code_unaffected(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, plugin_modules: Path
) -> None:
    """The agenda is printed, the crash is a plugin.crashed warning line, exit 0, no traceback."""
    install(monkeypatch, plugin_modules, "mailer", CRASHING_PLUGIN)
    code, out, err = run(capsys, "agenda", HONGQIAO, "--as-of", "2025-06-08", "--notify")
    assert code == 0
    assert out.startswith(("Agenda as of 2025-06-08", "截至 2025-06-08"))
    [line] = err.strip().splitlines()
    assert line.startswith("rectflow: warning: plugin.crashed: ")
    assert "'mailer'" in line
    assert "smtp.example.org:25 refused" in line
    assert "Traceback" not in err
