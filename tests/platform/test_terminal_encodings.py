"""The command line on a GBK or ASCII terminal: it says what the encoding can hold and never
crashes, through the real ``rectflow`` console script, on pipes and on a terminal (rich)."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow._cli._console import DEGRADE

RECTFLOW = shutil.which("rectflow", path=str(Path(sys.executable).parent)) or "rectflow"
TITLE = "台账 ✓ 问题 😀"
TEXT = "落实 ✓ 整改 → 销号 😀"
AS_OF = "2021-01-01"


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """A case whose titles hold characters GBK lacks (✓, an emoji) beside one it has (→)."""
    measures = [rectflow.Measure("1.1.1", text=TEXT)]
    problem = rectflow.Problem("1.1", title=TITLE, measures=measures)
    case = rectflow.Case("c1", categories=[rectflow.Category("1", problems=[problem])])
    path = tmp_path / "巡察 整改" / "某医院 台账.toml"
    path.parent.mkdir()
    rectflow.save_case(case, path)
    return path


def environment(encoding: str) -> dict[str, str]:
    """The environment of a terminal speaking ``encoding``, as PYTHONIOENCODING says it."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONUTF8", "LC_ALL"}}
    return env | {"PYTHONIOENCODING": encoding, "COLUMNS": "100", "LANG": "C.UTF-8"}


def rectflow_cli(encoding: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The console script, its output to pipes in ``encoding``."""
    return subprocess.run(
        [RECTFLOW, *args], capture_output=True, env=environment(encoding), timeout=120, check=False
    )


SLOW = pytest.mark.slow  # each run of the console script is a Python start-up


@pytest.mark.parametrize(
    "encoding", ["gbk", pytest.param("gb18030", marks=SLOW), pytest.param("cp936", marks=SLOW)]
)
def test_chinese_status_on_a_gbk_pipe_is_gbk_with_what_gbk_lacks_replaced(
    case_file: Path, encoding: str
) -> None:
    """status --items --lang zh: exit 0, GBK bytes; ✓ becomes v, an emoji ?, → stays (GBK has
    it), and GB18030 (which has every character) keeps them all."""
    done = rectflow_cli(
        encoding, "status", str(case_file), "--items", "--lang", "zh", "--as-of", AS_OF
    )
    assert (done.returncode, done.stderr) == (0, b"")
    out = done.stdout.decode(encoding)
    assert "待整改" in out
    if encoding == "gb18030":
        assert (TITLE in out, TEXT in out) == (True, True)
    else:
        assert ("台账 v 问题 ?" in out, "落实 v 整改 → 销号 ?" in out) == (True, True)


def test_chinese_output_on_an_ascii_pipe_exits_normally(case_file: Path) -> None:
    """PYTHONIOENCODING=ascii: exit 0, nothing on stderr, and the output degrades as on a GBK
    stream (click, left to itself, writes UTF-8 behind a stream that says ASCII): ASCII bytes
    only, full-width punctuation as its ASCII form, → as ->, the rest a question mark."""
    done = rectflow_cli(
        "ascii", "status", str(case_file), "--items", "--lang", "zh", "--as-of", AS_OF
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.isascii()
    out = done.stdout.decode("ascii")
    assert (
        "  ????  1.1.1  ???    ?? v ?? -> ?? ?" in out
    )  # 整改措施 1.1.1 待整改 落实 ✓ 整改 → 销号 😀


@pytest.mark.parametrize("encoding", ["gbk", pytest.param("ascii", marks=SLOW)])
def test_a_users_mistake_in_chinese_on_a_gbk_or_ascii_terminal_is_one_line_and_exit_2(
    case_file: Path, encoding: str
) -> None:
    """An unknown trigger with --lang zh: one error line, exit 2, no traceback, the file as it
    was."""
    before = case_file.read_bytes()
    done = rectflow_cli(
        encoding, "fire", str(case_file), "nosuch", "--item", "1.1.1", "--on", AS_OF, "--lang", "zh"
    )
    err = done.stderr.decode(encoding)
    assert (done.returncode, done.stdout, len(err.splitlines())) == (2, b"", 1)
    said = "rectflow: error: 未知的事项操作 'nosuch'"
    assert err.startswith(said if encoding == "gbk" else "rectflow: error: ??????? 'nosuch'")
    assert "Traceback" not in err
    assert case_file.read_bytes() == before


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
def test_fire_and_log_in_chinese_on_a_gbk_or_ascii_pipe_exit_normally(
    case_file: Path, encoding: str
) -> None:
    """A change saved and its history printed in Chinese: both exit 0 with nothing on stderr."""
    fired = rectflow_cli(
        encoding, "fire", str(case_file), "start", "--item", "1.1.1", "--on", AS_OF, "--lang", "zh"
    )
    logged = rectflow_cli(encoding, "log", str(case_file), "--lang", "zh")
    assert [(fired.returncode, fired.stderr), (logged.returncode, logged.stderr)] == [
        (0, b""),
        (0, b""),
    ]
    assert rectflow.load_case(case_file).version == 2


def rectflow_on_a_terminal(encoding: str, *args: str) -> tuple[int, bytes, bytes]:
    """The console script with a pseudo-terminal as standard output (so rich draws tables)."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [RECTFLOW, *args], stdout=slave, stderr=subprocess.PIPE, env=environment(encoding)
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed: Linux says EIO
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.stderr is not None
    err = process.stderr.read()
    process.stderr.close()
    return process.wait(timeout=120), b"".join(chunks), err


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="a pseudo-terminal is POSIX's")
@pytest.mark.parametrize("encoding", ["gbk", pytest.param("ascii", marks=SLOW)])
def test_rich_tables_on_a_gbk_or_ascii_terminal_degrade_and_exit_normally(
    case_file: Path, encoding: str
) -> None:
    """At a terminal status draws rich tables: with ASCII lines, GBK text where the terminal is
    GBK, ``?`` for what it cannot show; exit 0, nothing on stderr."""
    code, out, err = rectflow_on_a_terminal(
        encoding, "status", str(case_file), "--items", "--lang", "zh", "--as-of", AS_OF
    )
    assert (code, err) == (0, b"")
    said = out.decode(encoding)
    assert "+-" in said or "|" in said  # rich's ASCII box for a non-UTF-8 terminal
    if encoding == "gbk":
        assert "落实 v 整改 → 销号 ?" in said
    else:
        assert "?? v ?? -> ?? ?" in said


# -- the error handler -------------------------------------------------------------------------

ENCODINGS = ["ascii", "gbk", "gb2312", "gb18030", "latin-1", "cp1252", "utf-8"]


@given(text=st.text(), encoding=st.sampled_from(ENCODINGS))
def test_any_text_encodes_in_any_terminal_encoding_keeping_what_it_can(
    text: str, encoding: str
) -> None:
    """Encoding never raises; every character the encoding holds comes back as it was, the
    others as something the encoding holds."""
    if codecs.lookup(encoding).name == "utf-8":
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    said = text.encode(encoding, errors=DEGRADE).decode(encoding)
    kept = [c for c in text if _holds(encoding, c)]
    assert [c for c in said if c in kept or _holds(encoding, c)] == list(said)
    if len(kept) == len(text):
        assert said == text


def _holds(encoding: str, char: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("开始 → 完成…", "ascii", "?? -> ??..."),
        ("（可用：start，close）", "ascii", "(??:start,close)"),
        ("✓ 已销号", "gbk", "v 已销号"),
        ("“整改”—完成", "latin-1", '"??"--??'),
        ("😀", "gbk", "?"),
    ],
)
def test_symbols_become_their_ascii_look_alikes_and_the_rest_a_question_mark(
    text: str, encoding: str, expected: str
) -> None:
    """→ is ->, … is ..., full-width punctuation its ASCII form (NFKC), anything else ?."""
    assert text.encode(encoding, errors=DEGRADE).decode(encoding) == expected
