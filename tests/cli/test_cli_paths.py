"""Output and input paths of the command line: ``-o`` never replaces an existing file without
--force, never its own input, never anything but a regular file; inputs are regular files of a
bounded size; arguments that are not UTF-8 get one line and exit 2, and reach no file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from rectflow import Case, Category, Problem, load_case, save_case
from rectflow._cli.main import main
from rectflow._inputs import MAX_INPUT_BYTES

RECTFLOW = Path(sys.executable).with_name("rectflow")
NOTICE = "\n".join(
    [
        "中共某某医院委员会关于巡察整改进展情况的通报",
        "根据市委统一部署，市委第一巡察组对中共某某医院委员会开展了巡察。",
        "一、巡察整改任务落实情况",
        "（一）关于党建工作方面",
        "1.学习制度执行不严格",
        "整改措施及进展：一是修订学习制度（已完成）。",
        "中共某某医院委员会",
        "2024年1月8日",
    ]
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``rectflow`` in-process; user mistakes exit 2."""
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """A saved case with one public problem."""
    path = tmp_path / "case.toml"
    save_case(
        Case("c", categories=[Category("1", "党建", problems=[Problem("1.1", "学习")])]), path
    )
    return path


@pytest.fixture
def notice_file(tmp_path: Path) -> Path:
    """A short notice."""
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return path


def one_error_line(err: str) -> str:
    """The single line the CLI printed for a user's mistake."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("rectflow: error: "), err
    assert "Traceback" not in err
    return lines[0]


# -- render -o and import -o -------------------------------------------------------------------


def test_render_o_refuses_an_existing_file_without_force(
    capsys: pytest.CaptureFixture[str], case_file: Path, tmp_path: Path
) -> None:
    """As import -o does: exit 2 and the file untouched; with --force it is replaced."""
    out = tmp_path / "notice.txt"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "render", str(case_file), "-o", str(out))
    assert code == 2
    assert "--force" in one_error_line(err)
    assert out.read_text(encoding="utf-8") == "keep me"
    code, _, _ = run(capsys, "render", str(case_file), "-o", str(out), "--force")
    assert code == 0
    assert out.read_text(encoding="utf-8") != "keep me"


@pytest.mark.parametrize("via_link", [False, True])
def test_render_o_never_writes_over_its_own_input(
    capsys: pytest.CaptureFixture[str], case_file: Path, tmp_path: Path, via_link: bool
) -> None:
    """Not even with --force, and not through a symlink to the input."""
    out = case_file
    if via_link:
        out = tmp_path / "alias.toml"
        out.symlink_to(case_file)
    before = case_file.read_bytes()
    code, _, err = run(capsys, "render", str(case_file), "-o", str(out), "--force")
    assert code == 2
    assert "is the input" in one_error_line(err)
    assert case_file.read_bytes() == before


def test_import_o_never_writes_over_the_notice_it_reads(
    capsys: pytest.CaptureFixture[str], notice_file: Path
) -> None:
    """import NOTICE -o NOTICE --force would lose the notice: refused."""
    code, _, err = run(capsys, "import", str(notice_file), "-o", str(notice_file), "--force")
    assert code == 2
    assert "is the input" in one_error_line(err)
    assert notice_file.read_text(encoding="utf-8") == NOTICE


def special(tmp_path: Path, kind: str) -> Path:
    """A path that is not a regular file: a FIFO, a link to /dev/null, or a folder."""
    path = tmp_path / f"out-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-null-link":
        path.symlink_to("/dev/null")
    else:
        path.mkdir()
    return path


def still_special(path: Path, kind: str) -> bool:
    """The special path is what it was."""
    if kind == "fifo":
        return stat.S_ISFIFO(path.stat().st_mode)
    if kind == "dev-null-link":
        return path.is_symlink() and stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    return path.is_dir()


@pytest.mark.parametrize("kind", ["fifo", "dev-null-link", "folder"])
@pytest.mark.parametrize("command", ["render", "import"])
def test_o_never_replaces_what_is_not_a_regular_file(
    capsys: pytest.CaptureFixture[str],
    case_file: Path,
    notice_file: Path,
    tmp_path: Path,
    kind: str,
    command: str,
) -> None:
    """Even with --force (as root, /dev/null would otherwise become a regular file)."""
    out = special(tmp_path, kind)
    source = case_file if command == "render" else notice_file
    code, _, err = run(capsys, command, str(source), "-o", str(out), "--force")
    assert code == 2
    if kind != "folder":  # click itself refuses a folder, with its usage lines
        one_error_line(err)
    assert still_special(out, kind)


# -- inputs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["render", "import", "status"])
def test_an_input_that_is_a_fifo_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """A FIFO with no writer would block the read forever: refused instead, exit 2."""
    fifo = tmp_path / "input"
    os.mkfifo(fifo)
    code, _, err = run(capsys, command, str(fifo))
    assert code == 2
    assert "not a regular file" in one_error_line(err)


@pytest.mark.parametrize("command", ["render", "import"])
def test_an_input_larger_than_the_limit_is_refused_unread(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """A (sparse) file past MAX_INPUT_BYTES is refused by its size."""
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(MAX_INPUT_BYTES + 1)
    code, _, err = run(capsys, command, str(big))
    assert code == 2
    assert "MAX_INPUT_BYTES" in one_error_line(err)


def test_a_policy_file_that_is_a_fifo_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], case_file: Path, tmp_path: Path
) -> None:
    """check --policy FIFO: one line, exit 2."""
    fifo = tmp_path / "policy.toml"
    os.mkfifo(fifo)
    code, _, err = run(
        capsys, "check", str(case_file), "--policy", str(fifo), "--as-of", "2024-05-01"
    )
    assert code == 2
    assert "not a regular file" in one_error_line(err)


# -- arguments that are not UTF-8 ----------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_gets_one_line_and_no_file(tmp_path: Path) -> None:
    """import NOTICE -o b'\\xff.toml': exit 2, one line naming the byte, nothing written."""
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    output = os.fsencode(tmp_path) + b"/\xff.toml"
    done = subprocess.run(
        [RECTFLOW, b"import", os.fsencode(notice), b"-o", output],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    err = done.stderr.decode("utf-8")
    assert one_error_line(err).endswith("rename the file, or set a UTF-8 locale)")
    assert "0xff" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.txt"]


def test_an_actor_that_is_not_utf8_never_reaches_the_case_file(case_file: Path) -> None:
    """fire --actor b'\\xfe\\xff': exit 2, one line, the case file unchanged."""
    before = case_file.read_bytes()
    args = [RECTFLOW, "fire", case_file, "start", "--item", "1.1", "--on", "2024-05-01"]
    done = subprocess.run(
        [*args, b"--actor", b"\xfe\xff"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    one_error_line(done.stderr.decode("utf-8"))
    assert case_file.read_bytes() == before
    assert load_case(case_file).version == 1
