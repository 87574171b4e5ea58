"""``rectflow check``, ``policy`` and ``due``: outputs, exit codes and the issue's examples."""

from __future__ import annotations

import datetime as dt
import json
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
        f"clean ({path}) as of 2024-05-10, policy xuncha: 0 errors, 0 warnings, 0 infos\n"
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


def test_text_output_is_grouped_by_case_worst_first_in_english_or_chinese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each case a block; errors before warnings; --lang zh uses the Chinese words."""
    _, out, _ = run(capsys, "check", str(SEED_001), str(SEED_003), "--policy", "xuncha")
    blocks = out.strip().split("\n\n")
    assert [b.split(" ", 1)[0] for b in blocks] == [
        "seed-001-qingyuan-people-hospital",
        "seed-003-zibo-tcm-hospital",
    ]
    levels = [line.split()[0] for line in blocks[0].splitlines()[1:] if line.startswith("  ")]
    assert levels == sorted(levels, key=["error", "warning", "info", "note:"].index)
    _, zh, _ = run(capsys, "check", str(SEED_001), "--policy", "xuncha", "--lang", "zh")
    assert "截至" in zh.splitlines()[0]
    assert zh.splitlines()[1].split()[0] in {"错误", "警告", "提示"}


def test_disable_takes_a_plugin_out_of_the_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--disable NAME and RECTFLOW_DISABLE=NAME both drop the plugin's violations."""
    args = ("check", str(SEED_001), "--policy", "xuncha", "--format", "json")
    _, out, _ = run(capsys, *args)
    assert any(
        v["code"].startswith("disclosure.")
        for v in cases_json(out)["seed-001-qingyuan-people-hospital"]["violations"]
    )  # type: ignore[attr-defined]
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
