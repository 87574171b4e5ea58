"""Bad policy files: each gets its PolicyError saying where, exit code 2 from the CLI with one
line and no traceback, and neither the policy nor the case file is touched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow import load_policy, loads_policy
from rectflow._cli.main import main
from rectflow.errors import PolicyError

BUILTINS = rectflow.plugin_manager(load_entry_points=False)

GOOD = """\
schema = 1
name = "hospital"
description = "某医院的整改规则"

[calendar]
name = "weekdays"
unknown_years = "error"

[rules."deadline.report"]
enabled = true
level = "error"
basis = "条例 (2015) 第二十七条"
source = "rule"

[rules."deadline.report".options]
within = { value = "2 months", basis = "条例", source = "rule" }

[rules."disclosure.timing".options]
after = "report"
within = "3 months"

[rules."disclosure.contacts".options]
required = ["phone", "email"]

[rules."responsibility.assigned".options]
require = ["department"]
"""
CASE = """\
schema = 1
id = "c1"
feedback_on = 2024-03-28
"""
REPORT = 'rules."deadline.report"'
TIMING = 'rules."disclosure.timing".options'


def changed(old: str, new: str) -> bytes:
    """The good policy with its first ``old`` replaced by ``new``."""
    assert old in GOOD
    return GOOD.replace(old, new, 1).encode("utf-8")


def nested(depth: int, opening: str, closing: str, inner: str = "") -> bytes:
    """The good policy with an option value ``depth`` arrays or inline tables deep."""
    value = f"{opening * depth}{inner}{closing * depth}"
    return GOOD.replace('within = "3 months"', f"within = {value}").encode()


def bad(data: bytes, key_path: str, line: int | None, reason: str) -> Any:
    """One bad policy with what its error must say."""
    return (data, key_path, line, reason)


# (file bytes, key path, line, a fragment of the reason)
BAD_POLICIES = {
    # wrong types
    "an integer name": bad(changed('name = "hospital"', "name = 5"), "name", 2, "not a string"),
    "a word for a boolean": bad(
        changed("enabled = true", 'enabled = "yes"'), f"{REPORT}.enabled", 10, "true or false"
    ),
    "a number for a level": bad(
        changed('level = "error"', "level = 1"), f"{REPORT}.level", 11, "not allowed"
    ),
    "a number for a period": bad(
        changed('within = "3 months"', "within = 3"), f"{TIMING}.within", 20, "can't read"
    ),
    "a string for a table": bad(
        changed('[calendar]\nname = "weekdays"\nunknown_years = "error"\n', 'calendar = "x"\n'),
        "calendar",
        5,
        "not a table",
    ),
    # unknown words
    "an unknown level": bad(
        changed('level = "error"', 'level = "fatal"'), f"{REPORT}.level", 11, "'fatal'"
    ),
    "an unknown source": bad(
        changed('source = "rule"\n\n', 'source = "law"\n\n'), f"{REPORT}.source", 13, "'law'"
    ),
    "an unknown calendar fallback": bad(
        changed('unknown_years = "error"', 'unknown_years = "maybe"'),
        "calendar.unknown_years",
        7,
        "'maybe'",
    ),
    "an unknown anchor": bad(
        changed('after = "report"', 'after = "report_day"'),
        f"{TIMING}.after",
        19,
        "report_day",
    ),
    "an unknown role": bad(
        changed('require = ["department"]', 'require = ["boss"]'),
        'rules."responsibility.assigned".options.require',
        26,
        "boss",
    ),
    "an unknown rule": bad(
        changed('[rules."disclosure.contacts".options]', '[rules."disclosure.contact".options]'),
        'rules."disclosure.contact"',
        22,
        "unknown rule 'disclosure.contact'",
    ),
    "an unknown option": bad(
        changed('after = "report"', 'afterwards = "report"'),
        f"{TIMING}.afterwards",
        19,
        "unknown option 'afterwards'",
    ),
    "an unknown key": bad(changed("description = ", "descr = "), "descr", 3, "unknown key"),
    "an unsupported schema": bad(changed("schema = 1", "schema = 2"), "schema", 1, "schema 2"),
    "an empty name": bad(changed('name = "hospital"', 'name = "  "'), "name", 2, "empty"),
    "an option table without its value": bad(
        changed('{ value = "2 months", basis = "条例", source = "rule" }', '{ basis = "条例" }'),
        f"{REPORT}.options.within",
        16,
        "no 'value'",
    ),
    "an empty file": bad(b"", "", None, "'schema' is missing"),
    # duplicates
    "a duplicate key": bad(
        changed('name = "hospital"', 'name = "hospital"\nname = "clinic"'), "", 3, "not valid TOML"
    ),
    "a rule's options twice": bad(
        changed('[rules."disclosure.contacts".options]', f"[{TIMING}]"), "", 22, "twice"
    ),
    # dates and periods
    "2024-02-30 as a TOML date": bad(
        changed('within = "3 months"', "within = 2024-02-30"), "", 20, "Invalid date"
    ),
    "2024-02-30 for a period": bad(
        changed('within = "3 months"', 'within = "2024-02-30"'), f"{TIMING}.within", 20, "period"
    ),
    "a period in moons": bad(
        changed('within = "3 months"', 'within = "3 moons"'), f"{TIMING}.within", 20, "3 moons"
    ),
    "a negative period": bad(
        changed('within = "3 months"', 'within = "-3 months"'), f"{TIMING}.within", 20, "-3"
    ),
    # bytes
    "a 0xff byte": bad(GOOD.encode().replace(b"hospital", b"hos\xffpital"), "", 2, "not UTF-8"),
    "GBK-encoded Chinese": bad(GOOD.encode("gbk"), "", 3, "reads as GB18030"),
    "a NUL byte": bad(changed('"hospital"', '"hos\x00pital"'), "", 2, "Illegal character"),
    # deep nesting
    "5000 nested arrays": bad(nested(5000, "[", "]"), "", None, "deeply"),
    "3000 nested inline tables": bad(nested(3000, "{a = ", "}", "1"), "", None, "deeply"),
    "400 nested arrays for a period": bad(nested(400, "[", "]"), f"{TIMING}.within", 20, "…("),
}


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


def params() -> list[Any]:
    """The bad policies as parameters (name, bytes, key path, line, reason)."""
    return [pytest.param(name, *case, id=name) for name, case in sorted(BAD_POLICIES.items())]


def test_the_good_policy_loads_and_checks_a_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base of every bad policy is itself fine, through the API and the command line."""
    (tmp_path / "policy.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "case.toml").write_text(CASE, encoding="utf-8")
    assert load_policy(tmp_path / "policy.toml", plugins=BUILTINS).name == "hospital"
    code, out, err = cli(
        ["check", str(tmp_path / "case.toml"), "--policy", str(tmp_path / "policy.toml")],
        capsys,
    )
    assert (code, err) == (0, "")
    assert "policy hospital" in out


@pytest.mark.parametrize(("name", "data", "key_path", "line", "reason"), params())
def test_a_bad_policy_gets_a_policy_error_saying_where(
    name: str, data: bytes, key_path: str, line: int | None, reason: str, tmp_path: Path
) -> None:
    """load_policy raises PolicyError naming the file, the key path, the line and the reason."""
    path = tmp_path / "policy.toml"
    path.write_bytes(data)
    with pytest.raises(PolicyError) as caught:
        load_policy(path, plugins=BUILTINS)
    error = caught.value
    assert (error.source, error.key_path, error.line) == (str(path), key_path, line)
    assert reason in error.reason
    assert error.fix


@pytest.mark.parametrize(("name", "data", "key_path", "line", "reason"), params())
def test_every_command_exits_2_with_one_line_and_touches_no_file(
    name: str,
    data: bytes,
    key_path: str,
    line: int | None,
    reason: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """check --policy, policy show and policy init --from each print one line on stderr and
    exit 2; the policy and the case file keep their bytes and modification times."""
    policy = tmp_path / "policy.toml"
    policy.write_bytes(data)
    case = tmp_path / "case.toml"
    case.write_text(CASE, encoding="utf-8")
    before = snapshot(tmp_path)
    for args in (
        ["check", str(case), "--policy", str(policy), "--as-of", "2024-06-01"],
        ["policy", "show", str(policy)],
        ["policy", "init", "--from", str(policy)],
    ):
        code, out, err = cli(args, capsys)
        assert (code, out) == (2, ""), args
        assert err.startswith(f"rectflow: error: {policy}")
        assert err.count("\n") == 1
        assert "Traceback" not in err
    assert snapshot(tmp_path) == before


@given(st.integers(0, len(GOOD.encode()) - 1))
def test_every_truncation_of_a_good_policy_loads_or_says_where_it_is_wrong(cut: int) -> None:
    """A policy cut at any byte loads as far as it is one, or raises PolicyError; nothing else."""
    try:
        text = GOOD.encode()[:cut].decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        loads_policy(text, source="cut.toml", plugins=BUILTINS)
    except PolicyError as error:
        failed = error
    else:
        return
    assert failed.source == "cut.toml"


@pytest.mark.slow
def test_a_100_mb_value_where_a_level_belongs_is_refused_in_one_line(tmp_path: Path) -> None:
    """A 100 MB string as a rule's level: exit 2, one line, no traceback, the file untouched."""
    path = tmp_path / "policy.toml"
    chunk = b"x" * (1 << 20)
    with path.open("wb") as out:
        out.write(b'schema = 1\nname = "p"\n\n[rules."deadline.report"]\nlevel = "')
        for _ in range(100):
            out.write(chunk)
        out.write(b'"\n')
    before = (path.stat().st_size, path.stat().st_mtime_ns)
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        done = subprocess.run(
            [Path(sys.executable).with_name("rectflow"), "policy", "show", path],
            stdout=subprocess.PIPE,
            stderr=stderr,
            check=False,
            timeout=600,
        )
    newlines, start = 0, b""
    with errors.open("rb") as stream:
        while block := stream.read(1 << 20):
            start = start or block[:200]
            newlines += block.count(b"\n")
    assert (done.returncode, done.stdout, newlines) == (2, b"", 1)
    assert start.startswith(f"rectflow: error: {path}:5: {REPORT}.level".encode())
    assert (path.stat().st_size, path.stat().st_mtime_ns) == before


def test_an_error_about_a_huge_value_stays_a_short_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The one line a person reads is short whatever the value: the value is clipped."""
    path = tmp_path / "policy.toml"
    path.write_text(
        f'schema = 1\nname = "p"\n\n[rules."deadline.report"]\nlevel = "{"x" * 1_000_000}"\n',
        encoding="utf-8",
    )
    code, _, err = cli(["policy", "show", str(path)], capsys)
    assert code == 2
    assert len(err) < 1000
    with pytest.raises(PolicyError) as caught:
        load_policy(path, plugins=BUILTINS)
    assert caught.value.reason.endswith("…(1000000 characters) is not allowed here")
    assert len(caught.value.reason) < 200


def test_an_option_outside_its_allowed_words_lists_them() -> None:
    """A value outside an option's Literal names the option and lists the allowed words."""
    with pytest.raises(PolicyError) as caught:
        loads_policy(
            changed('require = ["department"]', 'require = ["department", "boss"]').decode(),
            source="p.toml",
            plugins=BUILTINS,
        )
    error = caught.value
    assert error.key_path == 'rules."responsibility.assigned".options.require'
    assert "unknown error" not in error.reason
    assert error.fix == "use one of: any, leader, department, person"


def test_a_string_where_an_array_belongs_is_refused_not_split_into_characters() -> None:
    """``require = "department"`` is not the list of its characters: the fix writes the array."""
    with pytest.raises(PolicyError) as caught:
        loads_policy(
            changed('require = ["department"]', 'require = "department"').decode(),
            source="p.toml",
            plugins=BUILTINS,
        )
    error = caught.value
    assert error.key_path == 'rules."responsibility.assigned".options.require'
    assert error.reason == "'department' is a string, not an array"
    assert error.fix == 'write an array: require = ["department"]'


def test_an_optional_option_says_it_may_be_left_out() -> None:
    """An ``int | None`` option's fix reads as words, not as a Python annotation."""
    text = 'schema = 1\nname = "p"\n[rules."deadline.extensions".options]\nmax_extensions = "two"\n'
    with pytest.raises(PolicyError) as caught:
        loads_policy(text, source="p.toml", plugins=BUILTINS)
    assert caught.value.fix == "write an integer, or leave the option out"
