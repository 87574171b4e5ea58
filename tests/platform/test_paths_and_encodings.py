"""Files as Windows and domestic Linux users have them: Chinese names with spaces, CRLF line
ends, a UTF-8 byte-order mark, and GB18030 where a file should have been UTF-8."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    Category,
    Measure,
    Problem,
    RoundFileError,
    dumps_case,
    fire,
    load_case,
    save_case,
)
from rectflow._textio import GB18030, UTF_8, UTF_8_BOM, decode_notice, decode_utf8
from rectflow.errors import CaseFileError, PolicyError

ON = dt.date(2021, 5, 1)
BOM = b"\xef\xbb\xbf"
EXAMPLES = Path(__file__).parents[2] / "examples"


def windows_bytes(text: str) -> bytes:
    """``text`` as Notepad saves it: a byte-order mark, then UTF-8 with CRLF line ends."""
    return BOM + text.replace("\n", "\r\n").encode("utf-8")


def small_case() -> Case:
    """A case with one problem and two open measures named in Chinese."""
    measures = [Measure("1.1.1", text="建立 台账"), Measure("1.1.2", text="整改 销号")]
    problem = Problem("1.1", title="台账 不全", measures=measures)
    return Case("c1", inspected_body="某 医院", categories=[Category("1", problems=[problem])])


def line_of_first_non_utf8_byte(raw: bytes) -> int:
    """The line UTF-8 decoding fails on (GBK text can be valid UTF-8 for a while: 某 is C4 B3)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return raw.count(b"\n", 0, error.start) + 1
    raise AssertionError("valid UTF-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder named in Chinese with spaces, as Windows users name theirs."""
    made = tmp_path / "巡察 整改" / "第三轮 台账"
    made.mkdir(parents=True)
    return made


def test_a_case_file_with_a_bom_and_crlf_in_a_chinese_folder_loads_fires_and_saves(
    folder: Path,
) -> None:
    """The issue's acceptance: BOM + CRLF + 中文 path → load, fire, save, load again."""
    path = folder / "某医院 整改.toml"
    path.write_bytes(windows_bytes(dumps_case(small_case())))
    case = load_case(path)
    assert case == small_case()
    fire(case, "start", item="1.1.1", on=ON)
    save_case(case, path)
    again = load_case(path)
    assert (again.version, [e.trigger for e in again.events]) == (1, ["start"])
    saved = path.read_bytes()
    assert not saved.startswith(BOM)
    assert b"\r\n" not in saved
    assert sorted(p.name for p in folder.iterdir()) == ["某医院 整改.toml"]


def test_a_version_is_checked_in_a_file_with_a_bom(folder: Path) -> None:
    """The version on disk is read through the BOM: a saved-by-Notepad file saves again."""
    path = folder / "案例.toml"
    case = small_case()
    save_case(case, path)
    path.write_bytes(windows_bytes(path.read_text(encoding="utf-8")))
    loaded = load_case(path)
    fire(loaded, "start", item="1.1.2", on=ON)
    save_case(loaded, path)
    assert load_case(path).version == 2


def test_a_gbk_case_file_is_refused_saying_it_is_gb18030_and_how_to_convert(
    folder: Path,
) -> None:
    """TOML is UTF-8: a GBK file is not guessed at; the error names the line, the encoding it
    looks like and the conversion; the file is untouched."""
    path = folder / "旧 台账.toml"
    text = dumps_case(small_case())
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(CaseFileError) as raised:
        load_case(path)
    error = raised.value
    assert (error.path, error.line) == (path, line_of_first_non_utf8_byte(text.encode("gbk")))
    assert "reads as GB18030 (GBK)" in error.reason
    assert "iconv -f GB18030 -t UTF-8" in error.fix
    assert path.read_bytes() == text.encode("gbk")


def test_a_policy_with_a_bom_and_crlf_at_a_chinese_path_reads_as_the_original(
    folder: Path,
) -> None:
    """A policy saved by Notepad reads as the same policy."""
    original = EXAMPLES / "policies" / "jiangjin-three-colour.toml"
    path = folder / "江津 三色 预警.toml"
    path.write_bytes(windows_bytes(original.read_text(encoding="utf-8")))
    assert rectflow.load_policy(path) == rectflow.load_policy(original)


def test_policy_show_prints_a_notepad_saved_policy_without_its_byte_order_mark(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`policy show` of a policy saved with a BOM and CRLF prints its text as the original's:
    the mark is not text (printed, it is a stray character, `?` on a GBK terminal)."""
    original = EXAMPLES / "policies" / "jiangjin-three-colour.toml"
    path = folder / "江津 三色 预警.toml"
    path.write_bytes(windows_bytes(original.read_text(encoding="utf-8")))
    code, out, err = run(capsys, "policy", "show", str(path))
    assert (code, err) == (0, "")
    assert out == original.read_text(encoding="utf-8")


def test_a_gbk_policy_is_refused_with_its_line_and_the_conversion(folder: Path) -> None:
    """A GBK policy is a PolicyError naming the line of the first Chinese byte."""
    original = EXAMPLES / "policies" / "jiangjin-three-colour.toml"
    text = original.read_text(encoding="utf-8")
    path = folder / "策略.toml"
    path.write_bytes(text.encode("gb18030"))
    with pytest.raises(PolicyError) as raised:
        rectflow.load_policy(path)
    expected = line_of_first_non_utf8_byte(text.encode("gb18030"))
    assert (raised.value.source, raised.value.line) == (str(path), expected)
    assert "GB18030" in raised.value.reason


ROUND = """\
schema = 1
id = "r"
name = "十届市委第三轮巡察"
inspecting_body = "中共虹桥市委"
"""


def test_a_round_file_with_a_bom_and_crlf_at_a_chinese_path_loads(folder: Path) -> None:
    """A round file saved by Notepad reads as the same round; a GBK one is refused."""
    path = folder / "第三轮 巡察.toml"
    path.write_bytes(windows_bytes(ROUND))
    assert rectflow.load_round(path, cases=False) == rectflow.loads_round(ROUND)
    path.write_bytes(ROUND.encode("gbk"))
    with pytest.raises(RoundFileError, match="reads as GB18030") as raised:
        rectflow.load_round(path, cases=False)
    assert raised.value.line == 3


SCHEDULE = """\
schema = 1
calendar = "cn"
year = 2099

[notice]
title = "虚构:2099年部分节假日安排(测试用)"
issuer = "测试办公室"
url = "https://example.invalid/made-up-2099"
date = 2098-11-02

[[holidays]]
name = "元旦(虚构)"
off = ["2099-01-01..2099-01-03"]
"""


def test_a_schedule_file_at_a_chinese_path_with_a_bom_and_crlf_loads(folder: Path) -> None:
    """A schedule saved by Notepad in a Chinese folder reads as the same schedule."""
    path = folder / "2099年 节假日.toml"
    path.write_bytes(windows_bytes(SCHEDULE))
    found = rectflow.load_schedule(path)
    assert found == rectflow.loads_schedule(SCHEDULE, source=str(path))


def test_a_ledger_workbook_round_trips_through_a_chinese_path_with_spaces(folder: Path) -> None:
    """export_ledger writes, and import_ledger reads, 台账 files whose path is Chinese."""
    pytest.importorskip("openpyxl")
    case = small_case()
    path = rectflow.export_ledger(case, folder / "整改 台账 2021.xlsx", as_of=ON)
    assert path.name == "整改 台账 2021.xlsx"
    read = rectflow.import_ledger(path, case_id="c1", default_year=2021)
    assert [m.id for m in read.cases[0].measures()] == ["1.1.1", "1.1.2"]


def test_a_notice_is_read_as_utf8_or_gb18030_and_says_which() -> None:
    """Notices are detected: UTF-8 (a BOM dropped) silently, GB18030 with a note naming it."""

    def refuse(reason: str, fix: str, line: int | None) -> Exception:
        return ValueError(reason, fix, line)

    text = "关于巡察整改进展情况的通报\r\n一、整改情况\r\n"
    assert decode_notice(text.encode("utf-8"), refuse) == (text, UTF_8)
    assert decode_notice(BOM + text.encode("utf-8"), refuse) == (text, UTF_8_BOM)
    read = decode_notice(text.encode("gb18030"), refuse)
    assert read == (text, GB18030)
    assert read.note("通报.txt") == "通报.txt: not UTF-8; read as GB18030 (GBK)"
    assert decode_notice(text.encode("utf-8"), refuse).note("通报.txt") is None
    with pytest.raises(ValueError, match="neither UTF-8 nor GB18030"):
        decode_notice(b"\xff\xff", refuse)


# -- properties --------------------------------------------------------------------------------


@given(text=st.text(), bom=st.booleans())
def test_any_utf8_text_decodes_to_itself_with_or_without_a_bom(text: str, bom: bool) -> None:
    """decode_utf8 gives the text back, drops exactly one leading BOM, and names the encoding."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates are not text a file can hold
        return

    def refuse(reason: str, fix: str, line: int | None) -> Exception:
        raise AssertionError(reason)

    if bom:
        expected = (text, UTF_8_BOM)
    elif text.startswith("\ufeff"):  # the text's own BOM is taken for the file's
        expected = (text[1:], UTF_8_BOM)
    else:
        expected = (text, UTF_8)
    assert decode_utf8((BOM if bom else b"") + raw, refuse) == expected


@given(
    head=st.text(max_size=20).map(lambda t: t.encode("utf-8", "replace")),
    bad=st.binary(min_size=1, max_size=8).filter(lambda b: not _is_utf8(b)),
    bom=st.booleans(),
)
def test_a_bad_byte_is_named_where_it_is_in_the_file_with_or_without_a_bom(
    head: bytes, bad: bytes, bom: bool
) -> None:
    """decode_utf8's refusal names the file's first byte that is not UTF-8, its offset in the
    file (a BOM counted) and its line, as decoding the whole file finds them."""
    raw = (BOM if bom else b"") + head + bad

    def refuse(reason: str, fix: str, line: int | None) -> Exception:
        return ValueError(reason, line)

    with pytest.raises(ValueError, match="not UTF-8 text") as caught:
        decode_utf8(raw, refuse)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16's byte-order mark: said as such
        assert "it is UTF-16" in caught.value.args[0]
        return
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start
    reason, line = caught.value.args
    assert f"byte {raw[offset]:#04x} at offset {offset})" in reason
    assert line == raw.count(b"\n", 0, offset) + 1


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=rs.cases(), bom=st.booleans(), crlf=st.booleans())
def test_any_case_file_loads_equal_with_a_bom_and_crlf_from_a_chinese_path(
    tmp_path_factory: pytest.TempPathFactory, case: Case, bom: bool, crlf: bool
) -> None:
    """A case file in any mix of BOM and line ends, in a Chinese folder, loads to the case."""
    folder = tmp_path_factory.mktemp("整改 台账")
    text = dumps_case(case)
    if crlf:
        text = text.replace("\n", "\r\n")
    path = folder / "案例 文件.toml"
    path.write_bytes((BOM if bom else b"") + text.encode("utf-8"))
    assert load_case(path) == case


# -- notices read by the command line ----------------------------------------------------------

ROUND_FILE = str(EXAMPLES / "rounds" / "demo-round.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command line in this process, as the ``rectflow`` script runs it."""
    from rectflow._cli.main import main

    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_round_notice_saved_by_windows_at_a_chinese_path_is_read_and_gbk_is_said(
    folder: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    """`round import` reads a round's notice with a BOM and CRLF, or in GB18030 with a warning
    naming the encoding; the figures are those of the UTF-8 notice."""
    made = folder / "通报.txt"
    code, _, _ = run(
        capsys, "round", "render", ROUND_FILE, "--as-of", "2025-06-30", "-o", str(made)
    )
    assert code == 0
    text = made.read_text(encoding="utf-8")
    notice = folder / f"第三轮 通报 {encoding}.txt"
    notice.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    code, out, err = run(capsys, "round", "import", str(notice), "--lang", "en")
    assert code == 0
    assert json.loads(out)["problems"]["total"] == 187
    if encoding == "gb18030":
        assert err == f"rectflow: warning: {notice}: not UTF-8; read as GB18030 (GBK)\n"
    else:
        assert err == ""


def test_a_notice_neither_utf8_nor_gb18030_is_refused_with_its_line(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`import` names the file, the bad byte and its line; nothing is written."""
    notice = folder / "坏 通报.txt"
    notice.write_bytes(b"notice\nline two\n\xff\xff\n")
    code, out, err = run(capsys, "import", str(notice), "--lang", "en")
    assert (code, out) == (2, "")
    assert err == (
        f"rectflow: error: line 3: {notice}: neither UTF-8 nor GB18030 text (byte 0xff at "
        "offset 16); save it as UTF-8 text\n"
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_case_file_or_notice_is_refused_saying_it_is_utf16_and_how_to_save_it(
    folder: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    """What Notepad's "Unicode" and Windows PowerShell 5.1's `>` write (UTF-16, a byte-order
    mark first) is named as UTF-16 in one line with how to save it as UTF-8 (it was "byte
    0xff at offset 0"); nothing is written."""
    mark = b"\xfe\xff" if encoding == "utf-16-be" else b""
    case = folder / "旧 台账 unicode.toml"
    case.write_bytes(mark + dumps_case(small_case()).replace("\n", "\r\n").encode(encoding))
    notice = folder / "旧 通报 unicode.txt"
    notice.write_bytes(mark + "某医院党委关于巡察整改进展情况的通报\r\n".encode(encoding))
    before = case.read_bytes(), notice.read_bytes()
    said = (
        "not UTF-8 text: it is UTF-16 (it starts with UTF-16's byte-order mark), and this file "
        "must be UTF-8; save it as UTF-8: in Notepad, Save As with the encoding UTF-8 (Windows "
        "PowerShell 5.1's `>` writes UTF-16: pipe to `Set-Content -Encoding UTF8 FILE` instead)"
    )
    code, out, err = run(
        capsys, "fire", str(case), "start", "--item", "1.1.1", "--on", "2021-05-01", "--lang", "en"
    )
    assert (code, out, err) == (2, "", f"rectflow: error: {case}:1: {said}\n")
    code, out, err = run(capsys, "import", str(notice), "--lang", "en")
    assert (code, out, err) == (2, "", f"rectflow: error: line 1: {notice}: {said}\n")
    code, _, err = run(capsys, "status", str(case), "--lang", "zh")
    assert (code, err.count("\n"), "UTF-16" in err) == (2, 1, True)
    assert (case.read_bytes(), notice.read_bytes()) == before


@pytest.fixture
def windows_round(folder: Path) -> Path:
    """The example round and its cases copied under a Chinese folder, every file with a BOM
    and CRLF line ends, as a Windows office would have them."""
    for kind in ("cases", "rounds"):
        (folder / kind).mkdir()
        for source in (EXAMPLES / kind).glob("*.toml"):
            text = source.read_text(encoding="utf-8")
            (folder / kind / source.name).write_bytes(windows_bytes(text))
    return folder / "rounds" / "demo-round.toml"


def test_stats_and_the_ledger_of_a_round_saved_by_windows_are_those_of_the_original(
    windows_round: Path, capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    """`stats ROUND` and `ledger export ROUND` take a round file with a BOM for a round (not a
    case) and give what the UTF-8 originals give."""
    pytest.importorskip("openpyxl")
    stats = ("stats", "--as-of", "2025-06-30", "--format", "json")
    ours, original = run(capsys, *stats, str(windows_round)), run(capsys, *stats, ROUND_FILE)
    assert (ours[0], ours[2]) == (original[0], original[2]) == (0, "")
    said, expected = json.loads(ours[1]), json.loads(original[1])
    assert (said.pop("files"), expected.pop("files")) == ([str(windows_round)], [ROUND_FILE])
    assert said == expected
    out = folder / "第三轮 台账.xlsx"
    code, _, err = run(
        capsys, "ledger", "export", str(windows_round), "-o", str(out), "--as-of", "2025-06-30"
    )
    assert (code, err) == (0, "")
    read = rectflow.import_ledger(out)
    assert len(read.cases) == 6


EMAIL_CONFIG = """\
[smtp]
host = "mail.example.org"
port = 2587
security = "starttls"
sender = "区委巡察办 <xuncha@example.org>"

[addresses]
"张三" = "zhangsan@example.org"
"""


def test_the_email_plugins_configuration_saved_by_notepad_loads(folder: Path) -> None:
    """The notify-email plugin's TOML with a BOM and CRLF, at a Chinese path, reads as UTF-8's."""
    email = pytest.importorskip("rectflow_notify_email")
    plain, notepad = folder / "邮件 设置.toml", folder / "邮件 设置 (记事本).toml"
    plain.write_text(EMAIL_CONFIG, encoding="utf-8")
    notepad.write_bytes(windows_bytes(EMAIL_CONFIG))
    said, expected = email.load_config(notepad, environ={}), email.load_config(plain, environ={})
    assert attrs.evolve(said, source=expected.source) == expected


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("gbk", "not UTF-8 text: it reads as GB18030 (GBK)"),
        ("utf-16", "not UTF-8 text: it is UTF-16"),
    ],
)
def test_the_email_plugins_configuration_in_gbk_or_utf16_is_refused_saying_which(
    folder: Path, encoding: str, said: str
) -> None:
    """A configuration saved as GBK or as Notepad's "Unicode" is refused as case files are:
    the line, the encoding it is in, how to save it as UTF-8 (it was Python's codec error)."""
    email = pytest.importorskip("rectflow_notify_email")
    path = folder / "邮件 设置.toml"
    raw = EMAIL_CONFIG.replace("\n", "\r\n").encode(encoding)
    path.write_bytes(raw)
    line = line_of_first_non_utf8_byte(raw) if encoding == "gbk" else 1
    said = f"line {line}: {said}"
    with pytest.raises(email.ConfigError) as raised:
        email.load_config(path, environ={})
    message = str(raised.value)
    assert (message.startswith(said), "save it as UTF-8" in message, str(path) in message) == (
        True,
        True,
        True,
    )


def test_a_gbk_notices_encoding_is_one_of_its_warnings_on_stderr_and_in_json(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`import` of a GB18030 notice says so among the notice's warnings, and --format json
    keeps it in "warnings"; a UTF-8 notice with a BOM has no such warning."""
    text = "某医院党委关于巡察整改进展情况的通报\r\n一、整改工作总体情况\r\n"
    notice = folder / "旧 通报.txt"
    notice.write_bytes(text.encode("gb18030"))
    code, out, err = run(capsys, "import", str(notice), "--format", "json", "--lang", "en")
    assert code == 0
    said = f"{notice}: not UTF-8; read as GB18030 (GBK)"
    assert json.loads(out)["warnings"][0] == {"line": None, "message": said}
    assert f"notice: warning: {said}\n" in err
    notice.write_bytes(BOM + text.encode("utf-8"))
    code, out, err = run(capsys, "import", str(notice), "--format", "json", "--lang", "en")
    assert code == 0
    assert "GB18030" not in out + err
