"""Bad case files: each gets its documented error, exit code 2 from the CLI with one line and no
traceback, and no file is touched.

The inputs are made here, from one good file: wrong types, unknown enum values, duplicate ids,
impossible dates, invalid UTF-8, truncations at every byte, deep nesting, a 100 MB value.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow import load_case, loads_case
from rectflow._cli.main import main
from rectflow.errors import CaseFileError

GOOD = """\
schema = 1
version = 1
id = "c1"
inspected_body = "某医院党委"
feedback_on = 2024-03-28
state = "feedback_received"

[[categories]]
id = "1"

[[categories.problems]]
id = "1.1"
kind = "specific"

[[categories.problems.measures]]
id = "1.1.1"
due_on = 2024-06-30
responsibility = { department = "办公室" }
tags = ["procurement"]

[[categories.problems.measures]]
id = "1.1.2"
due_on = 2024-07-31

[[disclosures]]
published_on = "2024-05"
scope = "public"
contacts = [{ kind = "phone", value = "0763-1234567" }]

[[reviews]]
on = 2024-09-01
kind = "follow_up"
"""
LEDGER = GOOD[GOOD.index("[[categories]]") : GOOD.index("[[disclosures]]")]
M1 = "categories[0].problems[0].measures[0]"
M2 = "categories[0].problems[0].measures[1]"


def changed(old: str, new: str) -> bytes:
    """The good file with its first ``old`` replaced by ``new``."""
    assert old in GOOD
    return GOOD.replace(old, new, 1).encode("utf-8")


def cut_after(text: str) -> bytes:
    """The good file's bytes up to the end of the first ``text``."""
    data = GOOD.encode()
    return data[: data.index(text.encode()) + len(text.encode())]


def nested(depth: int, opening: str, closing: str, inner: str = "") -> bytes:
    """The good file with a key holding ``depth`` nested arrays or inline tables."""
    return (GOOD + f"\nx = {opening * depth}{inner}{closing * depth}\n").encode()


# (file bytes, key path, line, a fragment of the reason)
BAD_FILES = {
    # wrong types
    "an integer id": (changed('id = "c1"', "id = 5"), "id", 3, "expected a string"),
    "an integer date": (
        changed("feedback_on = 2024-03-28", "feedback_on = 5"),
        "feedback_on",
        5,
        "expected a date",
    ),
    "a word for a due date": (
        changed("due_on = 2024-06-30", 'due_on = "soon"'),
        f"{M1}.due_on",
        17,
        "expected a date",
    ),
    "a string version": (changed("version = 1", 'version = "1"'), "version", 2, "an integer"),
    "a float version": (changed("version = 1", "version = 1.5"), "version", 2, "an integer"),
    "a string for a list": (
        changed('tags = ["procurement"]', 'tags = "procurement"'),
        f"{M1}.tags",
        19,
        "expected an array",
    ),
    "numbers for evidence": (
        changed('tags = ["procurement"]', "evidence = [1, 2]"),
        f"{M1}.evidence[0]",
        19,
        "expected a table",
    ),
    "a boolean id": (changed('id = "1.1.2"', "id = true"), f"{M2}.id", 22, "a boolean"),
    "a string for the ledger": (
        changed(LEDGER, 'categories = "x"\n\n'),
        "categories",
        8,
        "expected an array",
    ),
    # unknown enum values and keys
    "an unknown case state": (
        changed('state = "feedback_received"', 'state = "finished"'),
        "state",
        6,
        "unknown value 'finished'",
    ),
    "an unknown problem kind": (
        changed('kind = "specific"', 'kind = "major"'),
        "categories[0].problems[0].kind",
        13,
        "unknown value 'major'",
    ),
    "an unknown disclosure scope": (
        changed('scope = "public"', 'scope = "world"'),
        "disclosures[0].scope",
        27,
        "allowed: inner, public, dual",
    ),
    "an unknown contact kind": (
        changed('kind = "phone"', 'kind = "fax"'),
        "disclosures[0].contacts[0].kind",
        28,
        "unknown value 'fax'",
    ),
    "an unknown review kind": (
        changed('kind = "follow_up"', 'kind = "audit"'),
        "reviews[0].kind",
        32,
        "unknown value 'audit'",
    ),
    "an unknown key": (
        changed('kind = "specific"', 'kind = "specific"\nseverity = "high"'),
        "categories[0].problems[0].severity",
        14,
        "unknown key 'severity'",
    ),
    "an unsupported schema": (changed("schema = 1", "schema = 3"), "schema", 1, "schema 3"),
    "no schema": (changed("schema = 1\n", ""), "schema", None, "no schema"),
    "an empty file": (b"", "schema", None, "no schema"),
    # duplicates
    "a duplicate measure id": (
        changed('id = "1.1.2"', 'id = "1.1.1"'),
        f"{M2}.id",
        22,
        "duplicate item id '1.1.1'",
    ),
    "a measure with its problem's id": (
        changed('id = "1.1.2"', 'id = "1.1"'),
        f"{M2}.id",
        22,
        "problems and measures share one namespace",
    ),
    "a duplicate key": (changed('id = "c1"', 'id = "c1"\nid = "c2"'), "", 4, "not valid TOML"),
    # impossible dates
    "2024-02-30 as a TOML date": (
        changed("on = 2024-09-01", "on = 2024-02-30"),
        "",
        31,
        "Invalid date",
    ),
    "2023-02-29 as a TOML date": (
        changed("feedback_on = 2024-03-28", "feedback_on = 2023-02-29"),
        "",
        5,
        "Invalid date",
    ),
    "2024-06-31 as a TOML date": (
        changed("due_on = 2024-07-31", "due_on = 2024-06-31"),
        "",
        23,
        "Invalid date",
    ),
    "2024-02-30 as text": (
        changed('published_on = "2024-05"', 'published_on = "2024-02-30"'),
        "disclosures[0].published_on",
        26,
        "2024-02 has 29 days",
    ),
    "month 13": (
        changed('published_on = "2024-05"', 'published_on = "2024-13"'),
        "disclosures[0].published_on",
        26,
        "month 13",
    ),
    "an unreadable fuzzy date": (
        changed('published_on = "2024-05"', 'published_on = "2024-05-sometime"'),
        "disclosures[0].published_on",
        26,
        "not a valid date",
    ),
    # bytes that are not UTF-8 text, and characters TOML forbids
    "a 0xff byte": (GOOD.encode().replace(b'"c1"', b'"c\xff1"'), "", 3, "not UTF-8"),
    "a cut multi-byte character": (cut_after("某")[:-2], "", 4, "not UTF-8"),
    "GBK-encoded Chinese": (GOOD.encode("gbk"), "", 4, "not UTF-8"),
    "UTF-16": (GOOD.encode("utf-16"), "", 1, "not UTF-8"),
    "binary garbage": (bytes(range(256)) * 4, "", 2, "not UTF-8"),
    "a NUL byte": (changed('id = "c1"', 'id = "c\x001"'), "", 3, "Illegal character"),
    "a control character": (changed('id = "c1"', 'id = "c\x071"'), "", 3, "Illegal character"),
    "a lone surrogate escape": (
        changed('id = "c1"', 'id = "c\\ud800"'),
        "",
        3,
        "not a Unicode scalar value",
    ),
    # truncation: tomllib reports the end of the document without a line (notes/h3-to-h1.md)
    "a file cut inside a string": pytest.param(cut_after("某医院"), "", 4, "Unterminated string"),
    "a file cut inside a table header": pytest.param(
        cut_after("[[categories.pro"), "", 11, "Expected ']]'"
    ),
    "a file cut inside a key": pytest.param(cut_after("due_o"), "", 17, "at end of document"),
    # deep nesting
    "5000 nested arrays": (nested(5000, "[", "]"), "", None, "too deeply"),
    "3000 nested inline tables": (nested(3000, "{a = ", "}", "1"), "", None, "too deeply"),
    "a 20000-part table header": (
        (GOOD + "\n[" + ".".join(["a"] * 20000) + "]\n").encode(),
        "a",
        34,
        "unknown key 'a'",
    ),
}


def _params() -> list[object]:
    """The bad inputs as parameters, keeping the marks some of them carry."""
    found: list[object] = []
    for name in sorted(BAD_FILES):
        marks = getattr(BAD_FILES[name], "marks", ())
        found.append(pytest.param(name, id=name, marks=marks))
    return found


def _entry(name: str) -> tuple[bytes, str, int | None, str]:
    entry = BAD_FILES[name]
    data, key_path, line, reason = getattr(entry, "values", entry)
    return data, key_path, line, reason


@pytest.fixture
def bad_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The bad input named by the test's parameter, written to ``case.toml``."""
    path = tmp_path / "case.toml"
    path.write_bytes(_entry(request.param)[0])
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the folder with its bytes and modification time (nanoseconds)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    try:
        main(args)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    else:
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def commands(path: Path) -> list[list[str]]:
    """The commands that read a case file: status, check, and fire (which would write it)."""
    return [
        ["status", str(path)],
        ["check", str(path), "--as-of", "2024-10-01"],
        ["fire", str(path), "start", "--item", "1.1.1", "--on", "2024-05-01"],
    ]


def test_the_good_file_loads_and_every_command_accepts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base of every bad input is itself fine: it loads, and status, check and fire run."""
    path = tmp_path / "case.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_case(path).id == "c1"
    for args in commands(path):
        code, _, err = cli(args, capsys)
        assert (code in (0, 1), err) == (True, "")
    assert len(load_case(path).events) == 1


@pytest.mark.parametrize("bad_file", _params(), indirect=True)
def test_a_bad_case_file_gets_a_case_file_error_saying_where(bad_file: Path) -> None:
    """load_case raises CaseFileError naming the file, the key path, the line and the reason."""
    _, key_path, line, reason = _entry(_name(bad_file))
    with pytest.raises(CaseFileError) as caught:
        load_case(bad_file)
    error = caught.value
    assert type(error) is CaseFileError
    assert (error.path, error.key_path, error.line) == (bad_file, key_path, line)
    assert reason in error.reason
    assert error.fix  # and it says how to fix it
    assert str(error).startswith(str(bad_file))


def _name(path: Path) -> str:
    """The parameter a bad file was written for (the file's bytes identify it)."""
    data = path.read_bytes()
    return next(name for name in BAD_FILES if _entry(name)[0] == data)


@pytest.mark.parametrize("bad_file", sorted(BAD_FILES), indirect=True)
def test_every_command_exits_2_with_one_line_and_touches_no_file(
    bad_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """status, check and fire each print one line on stderr, nothing on stdout, exit 2, and
    leave every file in the folder as it was (bytes and modification time)."""
    before = snapshot(bad_file.parent)
    for args in commands(bad_file):
        code, out, err = cli(args, capsys)
        assert (code, out) == (2, ""), args
        assert err.startswith(f"rectflow: error: {bad_file}")
        assert err.count("\n") == 1
        assert "Traceback" not in err
        assert snapshot(bad_file.parent) == before


@given(st.integers(0, len(GOOD.encode()) - 1))
def test_every_truncation_of_a_good_file_loads_or_says_where_it_is_wrong(cut: int) -> None:
    """A file cut at any byte (inside a character too) loads as far as it is a case, or raises
    CaseFileError; never anything else."""
    data = GOOD.encode()[:cut]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # load_case's own check, covered above with a cut character
    try:
        loads_case(text, source="cut.toml")
    except CaseFileError as error:
        failed = error
    else:
        return
    assert failed.path == Path("cut.toml")


def test_the_installed_command_hides_the_traceback_unless_debug(tmp_path: Path) -> None:
    """The real `rectflow` executable: one line and exit 2; --debug adds the traceback."""
    path = tmp_path / "case.toml"
    path.write_bytes(_entry("5000 nested arrays")[0])
    executable = Path(sys.executable).with_name("rectflow")
    plain = subprocess.run(
        [executable, "status", path], capture_output=True, text=True, check=False, timeout=60
    )
    assert (plain.returncode, plain.stdout, plain.stderr.count("\n")) == (2, "", 1)
    debug = subprocess.run(
        [executable, "--debug", "status", path],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert debug.returncode == 2
    assert "Traceback" in debug.stderr


HUGE = 100 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)


def write_huge(path: Path, head: bytes, tail: bytes) -> None:
    """``head``, 100 MB of ``x``, ``tail``: written a megabyte at a time."""
    with path.open("wb") as out:
        out.write(head)
        for _ in range(HUGE // len(CHUNK)):
            out.write(CHUNK)
        out.write(tail)


def first_line_and_count(path: Path) -> tuple[bytes, int]:
    """The first 200 bytes of a file and how many newlines it holds, read in chunks."""
    lines = 0
    with path.open("rb") as stream:
        start = stream.read(200)
        lines += start.count(b"\n")
        while chunk := stream.read(1 << 20):
            lines += chunk.count(b"\n")
    return start, lines


@pytest.mark.slow
def test_a_100_mb_value_where_a_state_belongs_is_refused_in_one_line(tmp_path: Path) -> None:
    """A 100 MB string as the case's state: exit 2, one line, no traceback, the file untouched."""
    path = tmp_path / "case.toml"
    head = b'schema = 1\nid = "c1"\nfeedback_on = 2024-03-28\nstate = "'
    write_huge(path, head, b'"\n')
    before = (path.stat().st_size, path.stat().st_mtime_ns)
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        done = subprocess.run(
            [Path(sys.executable).with_name("rectflow"), "status", path],
            stdout=subprocess.PIPE,
            stderr=stderr,
            check=False,
            timeout=600,
        )
    start, lines = first_line_and_count(errors)
    assert (done.returncode, done.stdout, lines) == (2, b"", 1)
    assert start.startswith(f"rectflow: error: {path}:4: state: unknown value".encode())
    assert (path.stat().st_size, path.stat().st_mtime_ns) == before


@pytest.mark.slow
def test_a_100_mb_text_value_loads(tmp_path: Path) -> None:
    """A 100 MB inspected body is valid, if odd: the case loads and its status prints."""
    path = tmp_path / "case.toml"
    write_huge(path, b'schema = 1\nid = "c1"\nfeedback_on = 2024-03-28\ninspected_body = "', b'"\n')
    case = load_case(path)
    assert (case.id, len(case.inspected_body)) == ("c1", HUGE)
    assert rectflow.replay(case) == case


@pytest.mark.parametrize("key", ["state", "feedback_on"])
def test_an_error_about_a_huge_value_stays_a_short_line(
    key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The one line a person reads is short whatever the value: the value is clipped."""
    path = tmp_path / "case.toml"
    path.write_text(f'schema = 1\nid = "c1"\n{key} = "{"x" * 1_000_000}"\n', encoding="utf-8")
    code, _, err = cli(["status", str(path)], capsys)
    assert code == 2
    assert len(err) < 1000
