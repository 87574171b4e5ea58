"""Round files: strict loading with where, why and how to fix; writing that reads back."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import InspectionKind, Round, RoundFileError, Team
from rectflow.errors import CaseFileError, InvalidFieldError

EXAMPLE = Path(__file__).parents[2] / "examples" / "rounds" / "demo-round.toml"

GOOD = """\
schema = 1
id = "r"
name = "十届市委第三轮巡察"
inspecting_body = "中共虹桥市委"
"""


def test_the_example_round_loads_its_six_cases() -> None:
    """examples/rounds/demo-round.toml lists the five seed-based cases and the synthetic one."""
    found = rectflow.load_round(EXAMPLE)
    assert [c.id for c in found.cases] == [
        "seed-000-tianjin-fourth-central-hospital",
        "seed-001-qingyuan-people-hospital",
        "seed-002-tianjin-health-commission",
        "seed-003-zibo-tcm-hospital",
        "seed-004-luzhou-tcm-hospital",
        "synthetic-hongqiao-first-people-hospital",
    ]
    assert all(found.team_of(c.inspected_body) is not None for c in found.cases)


def test_the_file_alone_can_be_loaded_without_its_cases() -> None:
    """``cases=False`` reads the round file only."""
    assert rectflow.load_round(EXAMPLE, cases=False).cases == ()


def test_a_minimal_round_file_takes_the_defaults() -> None:
    """id, name and inspecting body are required; the rest has defaults."""
    assert rectflow.loads_round(GOOD) == Round("r", "十届市委第三轮巡察", "中共虹桥市委")


@pytest.mark.parametrize(
    ("extra", "line", "key_path", "reason", "fix"),
    [
        ("nmber = 3\n", 5, "nmber", "unknown key 'nmber'", "use one of: schema, id, name"),
        ('number = "三"\n', 5, "number", "expected the round's number", "number = 3"),
        ('kind = "audit"\n', 5, "kind", "unknown inspection kind 'audit'", "xunshi, xuncha"),
        ('cases = ["a.toml", "a.toml"]\n', 5, "cases[1]", "listed twice", "once"),
        ('cases = "a.toml"\n', 5, "cases", "expected a list of strings", '["a", "b"]'),
        ('[onsite]\nstart = "2023-13"\n', 6, "onsite.start", "2023-13", "TOML date"),
        ("[onsite]\nend = 2024-01-01\n", 5, "onsite", "has no start", "start ="),
        (
            "[onsite]\nstart = 2024-02-01\nend = 2024-01-01\n",
            5,
            "onsite",
            "ends before it starts",
            "on or after",
        ),
        ('[[teams]]\nleader = "张"\n', 5, "teams[0]", "name is missing", 'name = "…"'),
        ('[[teams]]\nname = "组"\nmembers = 3\n', 7, "teams[0].members", "unknown key", "bodies"),
        (
            '[[teams]]\nname = "组"\n[[teams]]\nname = "组"\n',
            8,
            "teams[1].name",
            "listed twice",
            "once",
        ),
    ],
)
def test_a_wrong_round_file_is_refused_with_where_why_and_how(
    extra: str, line: int, key_path: str, reason: str, fix: str
) -> None:
    """Each mistake names the file, its line and key path, what is wrong and how to fix it."""
    with pytest.raises(RoundFileError) as refused:
        rectflow.loads_round(GOOD + extra, source="round.toml")
    error = refused.value
    assert (str(error.path), error.line, error.key_path) == ("round.toml", line, key_path)
    assert reason in error.reason
    assert fix in error.fix


def test_a_missing_schema_or_required_key_is_refused() -> None:
    """schema = 1 and the three names are required."""
    with pytest.raises(RoundFileError, match="unsupported schema None"):
        rectflow.loads_round(GOOD.replace("schema = 1\n", ""))
    with pytest.raises(RoundFileError, match="inspecting_body is missing"):
        rectflow.loads_round(GOOD.replace('inspecting_body = "中共虹桥市委"\n', ""))


def test_toml_syntax_errors_name_their_line() -> None:
    """A syntax error is a RoundFileError with the line tomllib gives."""
    with pytest.raises(RoundFileError) as refused:
        rectflow.loads_round(GOOD + "number = \n")
    assert refused.value.line == 5
    assert "not valid TOML" in refused.value.reason


def test_a_missing_case_file_names_the_entry_and_its_line(tmp_path: Path) -> None:
    """A listed case file that is not there is refused at ``cases[i]``, relative to the round."""
    round_file = tmp_path / "round.toml"
    round_file.write_text(GOOD + 'cases = [\n  "nowhere.toml",\n]\n', encoding="utf-8")
    with pytest.raises(RoundFileError) as refused:
        rectflow.load_round(round_file)
    assert (refused.value.key_path, refused.value.line) == ("cases[0]", 6)
    assert str(tmp_path / "nowhere.toml") in refused.value.reason


def test_a_broken_case_file_is_refused_naming_that_file(tmp_path: Path) -> None:
    """A case file that is not a valid case raises its own CaseFileError."""
    (tmp_path / "bad.toml").write_text("schema = 2\nid = 3\n", encoding="utf-8")
    round_file = tmp_path / "round.toml"
    round_file.write_text(GOOD + 'cases = ["bad.toml"]\n', encoding="utf-8")
    with pytest.raises(CaseFileError) as refused:
        rectflow.load_round(round_file)
    assert refused.value.path == tmp_path / "bad.toml"


def test_the_same_case_listed_under_two_paths_is_refused(tmp_path: Path) -> None:
    """One case id twice (a copy, a symlink) would be counted twice: refused at the second."""
    text = EXAMPLE.parent.parent.joinpath("cases", "seed-004-luzhou-tcm-hospital.toml").read_text(
        encoding="utf-8"
    )
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    (tmp_path / "b.toml").write_text(text, encoding="utf-8")
    round_file = tmp_path / "round.toml"
    round_file.write_text(GOOD + 'cases = ["a.toml", "b.toml"]\n', encoding="utf-8")
    with pytest.raises(RoundFileError, match=r"listed twice \(also cases\[0\]\)"):
        rectflow.load_round(round_file)


def test_a_round_is_checked_where_it_is_built() -> None:
    """Round and Team refuse wrong values as the model does: check, never convert."""
    with pytest.raises(InvalidFieldError, match=r"Round\.kind"):
        Round("r", "n", "b", kind="xuncha")  # type: ignore[arg-type]
    with pytest.raises(InvalidFieldError, match=r"Team\.bodies"):
        Team("t", bodies=["a"])  # type: ignore[arg-type]
    with pytest.raises(InvalidFieldError, match=r"Round\.number"):
        Round("r", "n", "b", number=0)


def test_save_round_writes_a_file_that_loads_back_and_never_overwrites(tmp_path: Path) -> None:
    """save_round writes what load_round reads; an existing file only with force."""
    found = rectflow.load_round(EXAMPLE, cases=False)
    target = tmp_path / "copy.toml"
    rectflow.save_round(found, target)
    assert rectflow.load_round(target, cases=False) == found
    with pytest.raises(CaseFileError, match="the file exists"):
        rectflow.save_round(found, target)
    rectflow.save_round(found, target, force=True)


# -- the round trip --------------------------------------------------------------------------

_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")

teams = st.builds(
    Team,
    name=_TEXT,
    leader=st.none() | _TEXT,
    bodies=st.lists(_TEXT, max_size=3, unique=True).map(tuple),
)

rounds = st.builds(
    Round,
    id=_TEXT,
    name=_TEXT,
    inspecting_body=_TEXT,
    kind=st.sampled_from(InspectionKind),
    number=st.none() | st.integers(1, 99),
    onsite=st.none() | rs.periods(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)),
    teams=st.lists(teams, max_size=3, unique_by=lambda t: t.name).map(tuple),
    case_files=st.lists(_TEXT, max_size=4, unique=True).map(tuple),
    store_cases=st.lists(_TEXT, max_size=3, unique=True).map(tuple),
)


@given(rounds)
def test_a_round_written_reads_back_equal(round_: Round) -> None:
    """loads_round(dumps_round(r)) == r for every round (its cases are listed, not written)."""
    assert rectflow.loads_round(rectflow.dumps_round(round_)) == round_


def test_the_example_script_builds_the_demo_round(tmp_path: Path) -> None:
    """examples/rounds/build_round.py builds the round of the same six cases as the hand-written
    demo-round.toml, and its saved file loads back to it."""
    spec = importlib.util.spec_from_file_location("build_round", EXAMPLE.parent / "build_round.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build_round(tmp_path)
    demo = rectflow.load_round(EXAMPLE)
    assert [c.id for c in built.cases] == [c.id for c in demo.cases]
    rectflow.save_round(built, tmp_path / "round.toml")
    assert rectflow.load_round(tmp_path / "round.toml") == built
    as_of = dt.date(2025, 6, 30)
    assert rectflow.rollup(built, as_of=as_of, by="body") == rectflow.rollup(
        demo, as_of=as_of, by="body"
    )


def test_a_case_file_given_for_a_round_is_said_to_be_one() -> None:
    """`rectflow round status CASE.toml`: the error says it is a case file and which commands
    take one, not that its first key is unknown to round files."""
    case_file = Path(__file__).parents[2] / "examples" / "cases"
    text = (case_file / "synthetic-hongqiao-first-people-hospital.toml").read_text("utf-8")
    with pytest.raises(RoundFileError) as refused:
        rectflow.loads_round(text, source="case.toml")
    assert refused.value.reason == "this is a case file, not a round file"
    assert "rectflow status" in refused.value.fix
    # a round file with a stray case key is still refused at that key
    with pytest.raises(RoundFileError) as stray:
        rectflow.loads_round(GOOD + 'state = "x"\n', source="round.toml")
    assert stray.value.key_path == "state"
