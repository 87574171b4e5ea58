"""``rectflow check``, ``policy`` and ``due``: outputs, exit codes and the issue's examples."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

import rectflow
from rectflow import (
    Case,
    Contact,
    ContactKind,
    Disclosure,
    FuzzyDate,
    InspectionKind,
    Period,
    Plan,
    Review,
    ReviewKind,
    Violation,
)
from rectflow._casefile.files import load_case, save_case
from rectflow._cli.check import _nothing, _progress
from rectflow._cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
SEED_001 = EXAMPLES / "seed-001-qingyuan-people-hospital.toml"
SEED_003 = EXAMPLES / "seed-003-zibo-tcm-hospital.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cases_json(out: str) -> dict[str, dict[str, object]]:
    """The JSON output by case id."""
    return {case["case"]: case for case in json.loads(out)["cases"]}


def violations(case: dict[str, object], code: str) -> list[dict[str, str]]:
    """The case's violations of one code."""
    return [v for v in case["violations"] if v["code"] == code]  # type: ignore[attr-defined]


# -- the "done means" -------------------------------------------------------------------


def test_seed_001_disclosure_timing_cites_the_presets_parameter_and_its_public_period_passes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Feedback 2024-03-28, published 2025-04-07: under xuncha the disclosure is late (3 months
    after the centralised period, itself 3 months after feedback: due 2024-09-27), a warning that
    cites the preset's `within`; the 2025-04-07..2025-05-06 public period is no error."""
    paths = sorted(str(p) for p in EXAMPLES.glob("*.toml"))
    code, out, _ = run(capsys, "check", *paths, "--policy", "xuncha", "--format", "json")
    assert code == 1  # other examples have errors
    seed = cases_json(out)["seed-001-qingyuan-people-hospital"]
    preset = rectflow.policy("xuncha").rules["disclosure.timing"]
    (timing,) = violations(seed, "disclosure.timing")
    assert (timing["level"], timing["due"], timing["actual"], timing["where"]) == (
        "warning",
        "2024-09-27",
        "2025-04-07",
        "disclosures[0]",
    )
    assert timing["basis"] == preset.options["within"].basis
    assert violations(seed, "disclosure.public-period") == []
    assert seed["policy"] == "xuncha"


def test_seed_001_public_period_fails_only_when_a_policy_demands_more_than_30_days(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """2025-04-07..2025-05-06 is 30 days counting its first day: at_least 30 passes, 31 fails."""
    for days, expected in ((30, []), (31, ["error"])):
        text = (
            f'schema = 1\nname = "strict-{days}"\n\n[rules."disclosure.public-period".options]\n'
            f'at_least = "{days} days"\n'
        )
        path = tmp_path / f"p{days}.toml"
        path.write_text(text, encoding="utf-8")
        _, out, _ = run(capsys, "check", str(SEED_001), "--policy", str(path), "--format", "json")
        seed = cases_json(out)["seed-001-qingyuan-people-hospital"]
        assert [v["level"] for v in violations(seed, "disclosure.public-period")] == expected


def test_seed_003_centralised_period_is_judged_against_the_preset(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """2020-12-03..2021-02-28: three months beginning 2020-12-03 run through 2021-03-02, so
    xuncha's 3 months pass; a 2-month policy (through 2021-02-02) reports it, with both dates."""
    _, out, _ = run(capsys, "check", str(SEED_003), "--policy", "xuncha", "--format", "json")
    seed = cases_json(out)["seed-003-zibo-tcm-hospital"]
    assert violations(seed, "deadline.centralised") == []
    path = tmp_path / "two.toml"
    path.write_text(
        'schema = 1\nname = "two"\n\n[rules."deadline.centralised".options]\n'
        'longest = { value = "2 months", basis = "a 2-month 专项巡察 (RULES.md #22)" }\n',
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "check", str(SEED_003), "--policy", str(path), "--format", "json")
    (long,) = violations(cases_json(out)["seed-003-zibo-tcm-hospital"], "deadline.centralised")
    assert (long["due"], long["actual"], long["where"]) == (
        "2021-02-02",
        "2021-02-28",
        "centralised",
    )
    assert long["basis"] == "a 2-month 专项巡察 (RULES.md #22)"
    assert "2021-02-02" in long["message"]


def test_a_crashing_plugin_is_reported_and_the_other_checks_still_report(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """plugin.crashed names the plugin and the exception; deadline.* findings are still there."""

    class Crasher:
        @rectflow.hookimpl
        def rectflow_check_case(self) -> Iterable[Violation]:
            raise RuntimeError("this plugin is broken")

    build = rectflow.plugin_manager

    def with_crasher(**kwargs: object) -> rectflow.Plugins:
        manager = build(**kwargs)  # type: ignore[arg-type]
        manager.register(Crasher(), name="crasher")
        return manager

    monkeypatch.setattr("rectflow._cli.check.plugin_manager", with_crasher)
    code, out, _ = run(capsys, "check", str(SEED_001), "--policy", "xuncha", "--format", "json")
    seed = cases_json(out)["seed-001-qingyuan-people-hospital"]
    (crash,) = violations(seed, "plugin.crashed")
    assert crash["plugin"] == "crasher"
    assert "RuntimeError: this plugin is broken" in crash["message"]
    assert violations(seed, "deadline.report")
    assert code == 1


# -- check ---------------------------------------------------------------------------------------


def clean_case() -> Case:
    """A 巡察 case that meets every xuncha deadline as of 2024-05-10."""
    return Case(
        "clean",
        inspection=rectflow.Inspection(kind=InspectionKind.XUNCHA),
        feedback_on=FuzzyDate.parse("2024-01-10"),
        plan=Plan(adopted_on=FuzzyDate.parse("2024-01-30")),
        centralised=Period(FuzzyDate.parse("2024-01-11"), FuzzyDate.parse("2024-04-09")),
        report_on=FuzzyDate.parse("2024-04-09"),
        disclosures=[
            Disclosure(
                published_on=FuzzyDate.parse("2024-05-10"),
                contacts=[
                    Contact(ContactKind.PHONE, "0000-0000000"),
                    Contact(ContactKind.EMAIL, "office@example.org"),
                ],
            )
        ],
        reviews=[Review(dt.date(2024, 4, 30), ReviewKind.ASSESSMENT)],
    )


def test_a_case_without_errors_exits_0_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Exit 0, one heading, `no violations`, the as-of date given."""
    path = tmp_path / "clean.toml"
    save_case(clean_case(), path)
    code, out, _ = run(capsys, "check", str(path), "--as-of", "2024-05-10")
    assert (code, out) == (
        0,
        "1 case: 0 errors, 0 warnings, 0 infos\n\n"
        "clean: 0 errors, 0 warnings, 0 infos\n"
        f"  as of 2024-05-10, policy xuncha, file {path}\n"
        "  no violations\n",
    )


def test_without_as_of_a_case_is_judged_at_its_default_as_of_day(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Never the clock: the case's last stated date (seed 001: the public period's end)."""
    case = load_case(SEED_001)
    _, out, _ = run(capsys, "check", str(SEED_001), "--format", "json")
    expected = rectflow.default_as_of(case)[0].isoformat()
    assert cases_json(out)["seed-001-qingyuan-people-hospital"]["as_of"] == expected


def test_the_policy_defaults_to_the_kind_of_inspection(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A 巡视 case is checked under xunshi, a 巡察 case under xuncha."""
    case = clean_case()
    case.inspection = rectflow.Inspection(kind=InspectionKind.XUNSHI)
    path = tmp_path / "xunshi.toml"
    save_case(case, path)
    _, out, _ = run(capsys, "check", str(path), str(SEED_001), "--format", "json")
    policies = {c: v["policy"] for c, v in cases_json(out).items()}
    assert policies == {"clean": "xunshi", "seed-001-qingyuan-people-hospital": "xuncha"}


def test_text_output_is_a_summary_then_a_block_per_case_worst_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The summary line, then each case a block; errors before warnings within a group; the
    rules' hints and bases once at the end; --lang zh uses the Chinese words."""
    _, out, _ = run(capsys, "check", str(SEED_001), str(SEED_003), "--policy", "xuncha")
    blocks = out.strip().split("\n\n")
    assert blocks[0] == "2 cases: 0 errors, 4 warnings, 4 infos"
    assert [b.split(":", 1)[0] for b in blocks[1:3]] == [
        "seed-001-qingyuan-people-hospital",
        "seed-003-zibo-tcm-hospital",
    ]
    lines = blocks[1].splitlines()
    assert lines[2] == "  whole case"
    levels = [line.split()[0] for line in lines[3:] if line.startswith("    ") and line[4] != " "]
    assert levels == ["warning", "warning", "info", "info"]
    assert blocks[3].startswith("rules:\n  deadline.evaluation\n")
    _, zh, _ = run(capsys, "check", str(SEED_001), "--policy", "xuncha", "--lang", "zh")
    assert zh.splitlines()[0] == "1个案件：错误0项，警告2项，提示2项"
    assert zh.splitlines()[3].startswith("  截至2025-05-06，规则集 xuncha")
    assert zh.splitlines()[5].split()[0] == "警告"
    assert "首次公开" in zh


def test_at_a_terminal_the_report_is_drawn_as_tables_and_in_a_pipe_it_is_plain_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piped: the plain text, no escape codes. At a terminal: rich tables coloured by level,
    no wider than the terminal, with the same summary, cases and items."""
    synthetic = str(EXAMPLES / "synthetic-hongqiao-first-people-hospital.toml")
    args = ("check", synthetic, str(SEED_001), "--policy", "xuncha")
    code, piped, _ = run(capsys, *args)
    assert code == 1
    assert "\x1b[" not in piped
    assert "  measure 2.1.5  复查近三年小额采购" in piped.splitlines()
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "90")
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    code, drawn, _ = run(capsys, *args)
    assert code == 1
    assert "\x1b[1;31merror" in drawn  # errors in bold red
    plain = re.sub(r"\x1b\[[0-9;]*m", "", drawn)
    assert (
        plain.splitlines()[0] == piped.splitlines()[0] == "2 cases: 3 errors, 2 warnings, 2 infos"
    )
    assert all(len(line) <= 90 for line in plain.splitlines() if line.isascii())
    assert "─" in plain
    for shown in ("measure 2.1.5", "复查近三年小额采购", "deadline.overdue", "whole case"):
        assert shown in plain
    assert plain != piped


def test_the_json_output_adds_a_summary_and_keeps_its_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--format json: the summary counts every case's findings; each violation names its item."""
    synthetic = str(EXAMPLES / "synthetic-hongqiao-first-people-hospital.toml")
    _, out, _ = run(
        capsys, "check", synthetic, str(SEED_001), "--policy", "xuncha", "--format", "json"
    )
    document = json.loads(out)
    assert document["summary"] == {"cases": 2, "error": 3, "warning": 2, "info": 2}
    overdue = violations(
        cases_json(out)["synthetic-hongqiao-first-people-hospital"], "deadline.overdue"
    )
    assert [v["item"] for v in overdue] == ["2.1.5", "3.3.2", "3.3.3"]
    assert set(overdue[0]) == {
        "code", "level", "where", "item", "message", "hint", "due", "actual", "basis", "plugin"
    }  # fmt: skip


def test_the_docs_show_the_report_the_command_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/checks.md's "Reading a check report": every line of its two samples (English and
    Chinese, `…` marking lines left out) is printed, in that order, by the command it shows."""
    docs = (EXAMPLES.parents[1] / "docs" / "checks.md").read_text(encoding="utf-8")
    section = docs.split("\n## Reading a check report\n", 1)[1].split("\n## ", 1)[0]
    samples = re.findall(r"```text\n(.*?)```", section, re.DOTALL)
    assert len(samples) == 2
    monkeypatch.chdir(EXAMPLES.parents[1])  # the files are named as from the checkout
    seed_000 = "examples/cases/seed-000-tianjin-fourth-central-hospital.toml"
    synthetic = "examples/cases/synthetic-hongqiao-first-people-hospital.toml"
    for lang, sample in zip(("en", "zh"), samples, strict=True):
        args = ("check", seed_000, synthetic, "--policy", "xunshi", "--lang", lang)
        code, out, _ = run(capsys, *args)
        assert code == 1
        printed = out.splitlines()
        shown = [
            line
            for line in sample.splitlines()
            if not line.startswith(("$", "    examples/")) and line.strip() != "…"
        ]
        at = 0
        for line in shown:
            assert line in printed[at:], line
            at = printed.index(line, at) + 1


# -- the examples' errors, explained --------------------------------------------------------------

README = EXAMPLES.parent / "README.md"
WHY = "## Why `rectflow check` finds errors in the examples"


def explained_errors() -> dict[str, dict[str, int]]:
    """examples/README.md's table: for each example, the errors it says the checks report."""
    text = README.read_text(encoding="utf-8")
    section = text.split(WHY, 1)[1].split("\n## ", 1)[0]
    found: dict[str, dict[str, int]] = {}
    for row in section.splitlines():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if not row.startswith("| `"):
            continue
        errors = {}
        if cells[1] != "none":
            for part in cells[1].split(", "):
                number, code = part.split(" ")
                errors[code.strip("`")] = int(number)
        found[cells[0].strip("`")] = errors
    return found


@pytest.mark.parametrize("policy", ["xunshi", "xuncha"])
def test_the_examples_readme_explains_every_error_the_demo_shows(
    capsys: pytest.CaptureFixture[str], policy: str
) -> None:
    """Every example case has a row, and its errors under each preset are the ones the row
    names, as many as it says: the demo's explanation is true."""
    paths = sorted(EXAMPLES.glob("*.toml"))
    _, out, _ = run(capsys, "check", *map(str, paths), "--policy", policy, "--format", "json")
    actual: dict[str, dict[str, int]] = {}
    for case_id, case in cases_json(out).items():
        errors: dict[str, int] = {}
        for v in case["violations"]:  # type: ignore[attr-defined]
            if v["level"] == "error":
                errors[v["code"]] = errors.get(v["code"], 0) + 1
        actual[case_id] = errors
    assert explained_errors() == actual


def test_make_demo_prints_the_explanation_before_the_checks() -> None:
    """`make demo-why` (which `make demo` runs before `rectflow check`) prints the README's
    section as plain text: every example with its errors and why, no table markup."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    root = EXAMPLES.parents[1]
    done = subprocess.run(
        [make, "-s", "--no-print-directory", "demo-why"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    for example, errors in explained_errors().items():
        summary = ", ".join(f"{n} {code}" for code, n in errors.items()) or "none"
        assert f"  {example}: {summary}\n" in out
    assert "|" not in out
    assert "`" not in out
    assert "Embedding" not in out
    recipe = (root / "Makefile").read_text(encoding="utf-8").split("\ndemo:", 1)[1]
    assert recipe.index("demo-why") < recipe.index("$(RECTFLOW) check")


def test_disable_takes_a_plugin_out_of_the_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--disable NAME and RECTFLOW_DISABLE=NAME both drop the plugin's violations."""
    args = ("check", str(SEED_001), "--policy", "xuncha", "--format", "json")
    _, out, _ = run(capsys, *args)
    found = cases_json(out)["seed-001-qingyuan-people-hospital"]["violations"]
    assert any(v["code"].startswith("disclosure.") for v in found)  # type: ignore[attr-defined]
    _, out, _ = run(capsys, *args, "--disable", "rectflow.checks.disclosure")
    found = cases_json(out)["seed-001-qingyuan-people-hospital"]["violations"]
    assert not any(v["code"].startswith("disclosure.") for v in found)  # type: ignore[attr-defined]
    monkeypatch.setenv("RECTFLOW_DISABLE", "rectflow.checks.deadline")
    _, out, _ = run(capsys, *args)
    found = cases_json(out)["seed-001-qingyuan-people-hospital"]["violations"]
    assert not any(v["code"].startswith("deadline.") for v in found)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--policy", "xunca"), "did you mean 'xuncha'?"),
        (("--disable", "no-such-plugin"), "no plugin named 'no-such-plugin'"),
        (("--as-of", "2024-02-30"), "2024-02-30"),
        (("--format", "yaml"), "yaml"),
    ],
)
def test_a_users_mistake_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    """Unknown preset, unknown plugin, impossible date, unknown format: exit 2, said plainly."""
    code, out, err = run(capsys, "check", str(SEED_001), *args)
    assert (code, out) == (2, "")
    assert message in err


def test_a_missing_case_file_or_a_bad_policy_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The file and the place are named."""
    code, _, err = run(capsys, "check", str(tmp_path / "absent.toml"))
    assert code == 2
    assert "absent.toml" in err
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\nname = "bad"\n[rules."deadline.reprot"]\n', encoding="utf-8")
    code, _, err = run(capsys, "check", str(SEED_001), "--policy", str(bad))
    assert code == 2
    assert f'{bad}:3: rules."deadline.reprot": unknown rule' in err


def test_the_progress_bar_appears_only_for_many_files_at_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Few files or a pipe: no bar (a no-op advance); many files at a terminal: a bar."""
    with _progress(10) as advance:
        assert advance is _nothing  # pytest's stderr is not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with _progress(2) as advance:
        assert advance is _nothing
    with _progress(10) as advance:
        assert advance is not _nothing
        advance()


# -- policy ---------------------------------------------------------------------------------------


def test_policy_list_names_the_presets_with_their_descriptions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One line per preset: name, tab, the first line of its description."""
    code, out, _ = run(capsys, "policy", "list")
    names = [line.split("\t")[0] for line in out.splitlines()]
    assert code == 0
    assert names == ["xuncha", "xunshi"]
    assert "2 months" in out.splitlines()[1]


def test_policy_show_prints_the_preset_with_its_citations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The shipped text, comments included; an unknown name is exit 2."""
    code, out, _ = run(capsys, "policy", "show", "xunshi")
    assert code == 0
    assert rectflow.loads_policy(out) == rectflow.policy("xunshi")
    assert "第二十七条" in out
    assert run(capsys, "policy", "show", "nope")[0] == 2


def test_policy_init_prints_a_complete_policy_that_loads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every registered rule appears; from a preset, its cited settings are kept."""
    code, out, _ = run(capsys, "policy", "init")
    policy = rectflow.loads_policy(out)
    assert code == 0
    assert policy.name == "my-policy"
    assert set(policy.rules) == set(rectflow.plugin_manager().rules)
    _, out, _ = run(capsys, "policy", "init", "--from", "xuncha", "--name", "county")
    county, xuncha = rectflow.loads_policy(out), rectflow.policy("xuncha")
    assert county.name == "county"
    for code_, settings in xuncha.rules.items():
        assert settings.options.items() <= county.rules[code_].options.items()
        assert (settings.basis, settings.source) == (
            county.rules[code_].basis,
            county.rules[code_].source,
        )


# -- due -------------------------------------------------------------------------------------------


def test_due_counts_working_days_with_chinas_holidays(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's example: 15 working days from 2024-09-30 under `cn` is 2024-10-25."""
    assert run(capsys, "due", "2024-09-30", "15 working days", "--calendar", "cn") == (
        0,
        "2024-10-25\n",
        "",
    )


def test_due_clamps_months_to_the_end_of_a_shorter_month(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """2024-01-31 + 1 month = 2024-02-29 (a leap year); no calendar caveat for months."""
    assert run(capsys, "due", "2024-01-31", "1 month") == (0, "2024-02-29\n", "")


def test_due_with_the_weekday_calendar_notes_that_holidays_were_not_considered(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The date on stdout, the caveat on stderr."""
    code, out, err = run(capsys, "due", "2024-09-30", "15 working days")
    assert (code, out) == (0, "2024-10-21\n")
    assert "public holidays were not considered" in err


def test_due_refuses_an_unreadable_period_and_an_unknown_year(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Exit 2 with the reason; with --unknown-years weekdays the guess is made and said."""
    code, _, err = run(capsys, "due", "2024-01-31", "2 fortnights")
    assert code == 2
    assert "can't read the period '2 fortnights'" in err
    code, _, err = run(capsys, "due", "2026-12-20", "15 working days", "--calendar", "cn")
    assert code == 2
    assert "no holiday schedule for 2027" in err
    code, out, err = run(
        capsys,
        "due",
        "2026-12-20",
        "15 working days",
        "--calendar",
        "cn",
        "--unknown-years",
        "weekdays",
    )
    assert code == 0
    assert out.strip().startswith("2027-01-")
    assert "2027" in err
    code, _, err = run(capsys, "due", "2024-01-31", "1 month", "--calendar", "mars")
    assert code == 2
    assert "known: cn, weekdays" in err
