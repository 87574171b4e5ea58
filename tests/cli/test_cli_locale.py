"""The language a command answers in: ``--lang``, else the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``; ``zh_CN…`` → Chinese), for the text and for the one-line refusals, which the command
line says again in Chinese from the zh_CN catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rectflow._cli._errors import error_text
from rectflow._cli.main import main
from rectflow.errors import CaseFileError

ROOT = Path(__file__).resolve().parents[2]
HONGQIAO = ROOT / "examples" / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
AS_OF = ("--as-of", "2025-06-08")


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run ``rectflow`` as a person does: ``main`` turns mistakes into one line and exit 2."""
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / HONGQIAO.name
    shutil.copyfile(HONGQIAO, path)
    return path


# The first line of each command's text in each language (the example case as of 2025-06-08).
FIRST_LINES = {
    "status": ("file:           ", "文件：       "),
    "check": ("1 case: 3 errors, 1 warning, 0 infos", "1个案件：错误3项，警告1项，提示0项"),
    "agenda": (
        "Agenda as of 2025-06-08 (policy xuncha): 4 items, 3 overdue",
        "截至 2025-06-08 的督办清单（规则集 xuncha）：共 4 项，其中逾期 3 项",
    ),
    "log": (
        "#1 2024-03-18 2.4: work started (start) by 市纪委监委",
        "#1 2024-03-18 2.4：开始整改，经办：市纪委监委",
    ),
}


@pytest.mark.parametrize("command", sorted(FIRST_LINES))
@pytest.mark.parametrize(
    ("variable", "value", "chinese"),
    [
        ("LANG", "zh_CN.UTF-8", True),
        ("LANG", "C", False),
        ("LANG", "en_US.UTF-8", False),
        ("LC_ALL", "zh_CN.UTF-8", True),
        ("LC_MESSAGES", "zh_CN", True),
    ],
)
def test_the_locale_chooses_the_language_without_lang(
    case: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    variable: str,
    value: str,
    chinese: bool,
) -> None:
    """``LANG=zh_CN.UTF-8`` (or LC_ALL, LC_MESSAGES) prints Chinese, ``LANG=C`` English."""
    monkeypatch.setenv(variable, value)
    args = (command, case) if command == "log" else (command, case, *AS_OF)
    code, out, _ = run(capsys, *args)
    assert code in (0, 1)
    expected = FIRST_LINES[command][1 if chinese else 0]
    assert out.splitlines()[0].startswith(expected)


@pytest.mark.parametrize("command", sorted(FIRST_LINES))
def test_lang_wins_over_the_locale(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """``--lang en`` under a Chinese locale is English, ``--lang zh`` under ``C`` Chinese."""
    for lang, locale, index in (("en", "zh_CN.UTF-8", 0), ("zh", "C", 1)):
        monkeypatch.setenv("LANG", locale)
        args = (command, case) if command == "log" else (command, case, *AS_OF)
        _, out, _ = run(capsys, *args, "--lang", lang)
        assert out.splitlines()[0].startswith(FIRST_LINES[command][index])


REFUSALS = [
    (
        ("fire", "{case}", "start", "--item", "9.9", "--on", "2025-06-08"),
        "case 'synthetic-hongqiao-first-people-hospital' has no problem or measure '9.9'; "
        "`rectflow status CASE --items` lists the ids",
        "案件 'synthetic-hongqiao-first-people-hospital' 中没有编号为 '9.9' 的问题或措施；"
        "`rectflow status CASE --items` 可列出全部编号",
    ),
    (
        ("fire", "{case}", "bogus", "--on", "2025-06-08"),
        "unknown case trigger 'bogus' (known: adopt_plan, start_centralised",
        "未知的案件操作 'bogus'（可用：adopt_plan（制定整改方案），"
        "start_centralised（开展集中整改）",
    ),
    (
        ("fire", "{case}", "close_case", "--on", "2025-06-08"),
        "can't close_case the case: it is continuing; allowed there: disclose, review, "
        "start_second_rectification",
        "案件无法执行“close_case（整改完成）”：当前状态为“continuing（持续整改）”；"
        "该状态下可执行：disclose（公开整改进展），review（回头看/评估），"
        "start_second_rectification（二次整改）",
    ),
    (
        ("fire", "{case}", "close", "--item", "2.4", "--on", "2025-06-08"),
        "'close' on item 2.4 dated 2025-06-08: it is before event #93 'close' on 2.1.2",
        "事项2.4的“close（对账销号）”事件（日期 2025-06-08）：早于日志中已有的事件"
        "（登记于 2025-06-30）；如系补记，请注明登记日期 recorded_on（2025-06-30 或之后；"
        "命令行选项 `--recorded-on`）",
    ),
    (
        # Every editing command takes --recorded-on: the fix names the option, not `fire`.
        ("assign", "{case}", "2.4", "--department", "办公室", "--on", "2025-06-08"),
        "'assign' on item 2.4 dated 2025-06-08: it is before event #93 'close' on 2.1.2 "
        "(2025-06-30), which is already in the log; if it happened on 2025-06-08 and is being "
        "recorded late, say so: give recorded_on (the day it is entered, 2025-06-30 or later; "
        "`--recorded-on` on the command line)",
        "事项2.4的“assign（明确责任）”事件（日期 2025-06-08）：早于日志中已有的事件"
        "（登记于 2025-06-30）；如系补记，请注明登记日期 recorded_on（2025-06-30 或之后；"
        "命令行选项 `--recorded-on`）",
    ),
    (
        ("extend", "{case}", "2.4", "2025-09-01", "--on", "2025-07-01"),
        '--approver is missing: give who approved the extension: --approver "…"',
        '缺少 --approver：请给出延期的批准人：--approver "…"',
    ),
    (
        ("evaluate", "{case}", "--grade", "meh", "--on", "2025-07-01"),
        "--grade 'meh' is not known: give one of good (好), fairly_good (较好), fair (一般), "
        "poor (差)",
        "--grade 'meh' 无法识别：请使用以下之一：good（好），fairly_good（较好），fair（一般），"
        "poor（差）",
    ),
    (
        ("agenda", "{case}"),
        "--as-of is missing: give the day, --as-of YYYY-MM-DD or --as-of today",
        "缺少 --as-of：请给出日期，--as-of YYYY-MM-DD 或 --as-of today（不会默认读取系统时钟）",
    ),
]


@pytest.mark.parametrize(("args", "english", "chinese"), REFUSALS)
def test_refusals_are_said_in_the_locale_language(
    case: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    english: str,
    chinese: str,
) -> None:
    """The one-line refusal, exit 2, in English under ``C`` and in Chinese under zh_CN; the
    file is not changed."""
    before = case.read_bytes()
    argv = [arg.format(case=case) for arg in args]
    for locale, expected in (("C", english), ("zh_CN.UTF-8", chinese)):
        monkeypatch.setenv("LANG", locale)
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, "")
        assert err.startswith(f"rectflow: error: {expected}"), err
        assert err.count("\n") == 1
    assert case.read_bytes() == before


def test_an_unknown_key_is_refused_in_chinese_with_the_known_keys(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case-file reason built from fields (Msg) is said in Chinese, the key and the known
    keys as they are."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    case.write_text("bogus_top = 1\n" + case.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run(capsys, "status", case)
    assert code == 2
    assert err.startswith(
        f"rectflow: error: {case}:1: bogus_top：未知的键 'bogus_top'（可用：schema"
    )
    assert err.rstrip().endswith("；请删除该键或更正拼写")


def test_a_refusal_with_english_free_text_stays_english_under_zh() -> None:
    """A reason the catalogue does not hold (a plugin's, a caller's own) is not half
    translated: the whole line is English."""
    error = CaseFileError("case.toml", "id", "the id is taken by the host's registry", "rename")
    assert error_text(error, "zh") == str(error)
    assert (
        error_text(error, "zh") == "case.toml: id: the id is taken by the host's registry; rename"
    )


@pytest.mark.parametrize(
    ("name", "english", "chinese"),
    [
        (
            "nope.toml",
            "cannot read the file: No such file or directory; check the path and permissions",
            "无法读取文件：文件不存在；请检查路径和权限",
        ),
        (
            "bad.toml",
            "not valid TOML: Invalid value (at end of document); correct the syntax there",
            "不是有效的 TOML：值无效（位于文档末尾）；请更正该处语法",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_the_locale_language(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    english: str,
    chinese: str,
) -> None:
    """The common case-file refusals (a missing file, TOML syntax) from the catalogue."""
    (tmp_path / "bad.toml").write_text("x = [\n", encoding="utf-8")
    path = tmp_path / name
    where = f"{path}:1" if name == "bad.toml" else str(path)
    for locale, said, colon in (("C", english, ": "), ("zh_CN.UTF-8", chinese, "：")):
        monkeypatch.setenv("LANG", locale)
        code, _, err = run(capsys, "status", path)
        assert code == 2
        assert err.startswith(f"rectflow: error: {where}{colon}{said}"), err


def test_calendar_show_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """``calendar show --lang zh``: the heading, the lists and the weekdays in Chinese."""
    code, out, _ = run(capsys, "calendar", "show", "2025", "--lang", "zh")
    assert code == 0
    assert out.splitlines() == [
        "日历 'weekdays'，2025 年，数据来源：周一至周五（核心日历，未考虑法定节假日）",
        "周一至周五中的休息日（0 天）：",
        "  （无）",
        "周末中的调休上班日（0 天）：",
        "  （无）",
    ]


def test_fire_speaks_the_locale_language(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``fire`` under ``LANG=zh_CN.UTF-8``: the event and the new state in Chinese; a missing
    reason is refused in Chinese, saying what to give."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    fired = ("fire", case, "complete", "--item", "3.3.2", "--on", "2025-07-01")
    code, out, _ = run(capsys, *fired, "--actor", "许静", "--note", "已建立")
    assert (code, out.splitlines()) == (
        0,
        [
            "#94 2025-07-01 3.3.2：完成整改，经办：许静（备注：已建立）；当前状态：已完成",
            f"已保存 {case}",
        ],
    )
    code, _, err = run(capsys, "fire", case, "reject", "--item", "3.3.2", "--on", "2025-07-02")
    assert (code, err) == (
        2,
        'rectflow: error: “reject（驳回）”须说明理由：请用 --note "…" 说明'
        "（驳回的理由：缺少什么或有何错误）\n",
    )


@pytest.mark.parametrize(
    ("locale", "note"),
    [
        ("C", "note: working days counted Monday-Friday; public holidays were not considered"),
        ("zh_CN.UTF-8", "注：工作日按周一至周五计算，未考虑法定节假日"),
    ],
)
def test_due_says_the_calendar_caveat_in_the_locale_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, locale: str, note: str
) -> None:
    """The caveat of the core's weekdays calendar, on standard error, from the catalogue."""
    monkeypatch.setenv("LANG", locale)
    assert run(capsys, "due", "2025-01-01", "10 working days") == (0, "2025-01-15\n", note + "\n")
