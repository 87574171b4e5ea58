"""The bundled examples: every case file loads and replays, the seed examples hold the facts their
notices state, the synthetic case runs the whole lifecycle, embed.py runs, and nothing is copied
from a seed notice."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import rectflow as rf

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = EXAMPLES / "cases"
CASE_FILES = sorted(CASES.glob("*.toml"))
SYNTHETIC = CASES / "synthetic-hongqiao-first-people-hospital.toml"
SEED_FILES = {p.name[5:8]: p for p in CASE_FILES if p.name.startswith("seed-")}


def _load(path: Path) -> rf.Case:
    return rf.load_case(path)


# -- every example --------------------------------------------------------------------------------


def test_there_is_one_example_per_seed_notice_and_the_synthetic_case() -> None:
    """examples/cases holds seed-000 … seed-004 and the synthetic case."""
    assert sorted(SEED_FILES) == ["000", "001", "002", "003", "004"]
    assert SYNTHETIC in CASE_FILES


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_example_loads_and_replays_to_itself(path: Path) -> None:
    """Replaying an example's event log from its initial states gives back the same case."""
    case = _load(path)
    assert case == rf.replay(case)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_example_survives_a_save_and_load(path: Path, tmp_path: Path) -> None:
    """Saving an example and loading it again gives the same case."""
    case = _load(path)
    copy = tmp_path / path.name
    rf.save_case(case, copy)
    reloaded = _load(copy)
    reloaded.version = case.version  # a save counts itself in the version
    assert case == reloaded


# -- the seed examples hold the facts of the issue-4 table -----------------------------------------


def _period(period: rf.Period | None) -> tuple[str, str | None] | None:
    if period is None:
        return None
    return str(period.start), None if period.end is None else str(period.end)


def _facts(case: rf.Case) -> dict[str, Any]:
    disclosure = case.disclosures[0]
    return {
        "body": case.inspected_body,
        "kind": case.inspection.kind.value,
        "inspecting_body": case.inspection.body,
        "team": case.inspection.team,
        "round": case.inspection.round,
        "onsite": _period(case.inspection.onsite),
        "feedback": None if case.feedback_on is None else str(case.feedback_on),
        "published": None if disclosure.published_on is None else str(disclosure.published_on),
        "signed_by": disclosure.signed_by,
        "public_period": _period(disclosure.public_period),
        "contacts": [(c.kind.value, c.value) for c in disclosure.contacts],
        "problems_per_category": [len(c.problems) for c in case.categories],
        "state": case.state.value,
    }


SEED_FACTS: dict[str, dict[str, Any]] = {
    "000": {
        "body": "天津市第四中心医院党委",
        "kind": "xuncha",
        "inspecting_body": "市卫生健康委党委",
        "team": "市卫生健康委党委巡察组",
        "round": "第三轮",
        "onsite": None,
        "feedback": "2023-12-19",
        "published": None,
        "signed_by": None,
        "public_period": None,
        "contacts": [("phone", "26249115"), ("email", "sd4zxyydwbgs@tj.gov.cn")],
        "problems_per_category": [4, 4, 2],
        "state": "disclosed",
    },
    "001": {
        "body": "中共清远市人民医院委员会",
        "kind": "xuncha",
        "inspecting_body": "市委",
        "team": "市委第二巡察组",
        "round": "八届市委第四轮",
        "onsite": ("2023-09-08", "2023-12-27"),
        "feedback": "2024-03-28",
        "published": "2025-04-07",
        "signed_by": "中共清远市人民医院委员会",
        "public_period": ("2025-04-07", "2025-05-06"),
        "contacts": [
            ("phone", "0763-3113806"),
            ("postal_address", "广东省清远市清城区银泉北路35号清远市人民医院办公楼"),
            ("email", "qsrydwbgs@163.com"),
        ],
        "problems_per_category": [4, 3, 4, 3],
        "state": "disclosed",
    },
    "002": {
        "body": "中共天津市卫生健康委员会委员会",
        "kind": "xunshi",
        "inspecting_body": "市委",
        "team": None,
        "round": "十二届市委第三轮第一批",
        "onsite": None,
        "feedback": None,
        "published": "2024-09-04",
        "signed_by": "中共天津市卫生健康委员会委员会",
        "public_period": None,
        "contacts": [("phone", "63081160"), ("email", "swjwxcbsjc@tj.gov.cn")],
        # key + specific + extended problems in each of the four categories
        "problems_per_category": [5 + 18 + 26, 4 + 13 + 16, 3 + 8 + 10, 2 + 6 + 6],
        "state": "disclosed",
    },
    "003": {
        "body": "中共淄博市中医医院委员会",
        "kind": "xuncha",
        "inspecting_body": "市委",
        "team": "市委第三巡察组",
        "round": None,
        "onsite": ("2020-08-early", "2020-10-early"),
        "feedback": "2020-12-03?",
        "published": "2021-06",
        "signed_by": "中共淄博市中医医院委员会",
        "public_period": None,
        "contacts": [
            ("phone", "0533-6433016"),
            ("postal_address", "淄博市周村区新建中路75号"),
            ("email", "zbszyyydb@163.com"),
        ],
        "problems_per_category": [4, 4, 4, 3],
        "state": "disclosed",
    },
    "004": {
        "body": "中共泸州市中医医院委员会",
        "kind": "xuncha",
        "inspecting_body": "市委",
        "team": "市委第四巡察组",
        "round": None,
        "onsite": ("2024-10-10", "2024-11-08"),
        "feedback": "2025-01-15",
        "published": "2025-10-17",
        "signed_by": "中共泸州市中医医院委员会",
        "public_period": None,
        "contacts": [
            ("phone", "0830-2362209"),
            ("po_box", "泸州市纳溪区杏林路80号"),
            ("email", "rose4499@163.com"),
        ],
        # nine groups and their 2 + 3 + 2 + 2 + 2 sub-problems, in one category
        "problems_per_category": [9 + 11],
        "state": "disclosed",
    },
}


@pytest.mark.parametrize("seed", sorted(SEED_FACTS))
def test_a_seed_example_holds_the_facts_its_notice_states(seed: str) -> None:
    """Bodies, inspection, dates with their precision, contacts and ledger shape match the table."""
    assert SEED_FACTS[seed] == _facts(_load(SEED_FILES[seed]))


@pytest.mark.parametrize("seed", sorted(SEED_FACTS))
def test_the_names_and_channels_of_a_seed_example_appear_in_its_notice(
    seed: str, seed_text: dict[str, str]
) -> None:
    """The body, team, round and every contact value are written in the notice itself."""
    case = _load(SEED_FILES[seed])
    text = seed_text[seed]
    names = [case.inspection.team, case.inspection.round]
    names += [c.value for d in case.disclosures for c in d.contacts]
    missing = [n for n in names if n is not None and n not in text]
    assert missing == []
    # Seed 000 names its body in the title only, the others sign with it.
    assert case.inspected_body in text


def test_seed_000_keeps_its_plan_and_a_milestone_with_an_inferred_year() -> None:
    """Plan adopted 2024-01-17; the democratic life meeting on 4月25日 is 2024 by inference."""
    case = _load(SEED_FILES["000"])
    assert case.plan is not None
    assert str(case.plan.adopted_on) == "2024-01-17"
    assert [str(m.on) for m in case.milestones] == ["2024-04-25?"]
    assert case.milestones[0].on.inferred


def test_seed_003_keeps_its_centralised_period_and_fuzzy_dates() -> None:
    """Centralised 2020-12-03 .. 2021-02-28; on-site by dekad; published to the month."""
    case = _load(SEED_FILES["003"])
    assert _period(case.centralised) == ("2020-12-03", "2021-02-28")
    onsite = case.inspection.onsite
    published = case.disclosures[0].published_on
    assert onsite is not None
    assert onsite.end is not None
    assert published is not None
    assert (onsite.start.earliest, onsite.end.latest) == (
        dt.date(2020, 8, 1),
        dt.date(2020, 10, 10),
    )
    assert published.precision == rf.Precision.MONTH
    assert [str(n) for n in range(1, 16)] == [p.id for p in case.problems()]


def test_seed_002_states_its_summary_counts_apart_from_the_ledger() -> None:
    """Key 7+7, specific 34+11, 4 recommendations, extended 50+8, reform 5+3, measures 234+29."""
    case = _load(SEED_FILES["002"])
    expected = [
        ("key", 14, {"completed": 7, "basically_completed": 7}),
        ("specific", 45, {"completed": 34, "basically_completed": 11}),
        ("recommendation", 4, {"completed": 4}),
        ("extended", 58, {"completed": 50, "basically_completed": 8}),
        ("reform", 8, {"completed": 5, "basically_completed": 3}),
        ("measures", 263, {"completed": 234, "in_progress": 29}),
    ]
    actual = [
        (s.subject, s.total, {k.value: n for k, n in s.by_state.items()})
        for s in case.stated_counts
    ]
    assert expected == actual
    for subject, total, by_state in actual:
        assert total == sum(by_state.values()), subject


def test_seed_002_nests_specific_problems_under_key_ones_and_extended_items_under_those() -> None:
    """K1-K14, S1-S45 (each under a K), E1-E58 (each under an S, 25 and 51 included)."""
    case = _load(SEED_FILES["002"])
    by_kind: dict[str, list[str]] = {}
    for problem in case.problems():
        by_kind.setdefault(problem.kind.value, []).append(problem.id)
    assert [f"K{n}" for n in range(1, 15)] == by_kind["key"]
    assert [f"S{n}" for n in range(1, 46)] == by_kind["specific"]
    assert [f"E{n}" for n in range(1, 59)] == sorted(by_kind["extended"], key=lambda i: int(i[1:]))
    kinds = {p.id: p.kind for p in case.problems()}
    parents = Counter(
        (p.kind.value, kinds[p.parent].value) for p in case.problems() if p.parent is not None
    )
    assert dict(parents) == {("specific", "key"): 45, ("extended", "specific"): 58}


def test_seed_002_flags_as_many_reform_problems_as_the_notice_does(
    seed_text: dict[str, str],
) -> None:
    """Seven problems carry the reform tag, one per "推动改革促进发展" flag in the notice."""
    case = _load(SEED_FILES["002"])
    flagged = [p.id for p in case.problems() if p.counts_as(rf.ProblemKind.REFORM)]
    flags_in_text = len(re.findall(r"此问题属于“推动改革促进发展”整改事项", seed_text["002"]))
    assert flagged == ["S5", "S7", "E11", "S8", "S10", "S13", "S16"]
    assert flags_in_text == len(flagged)


def test_seed_002_numbers_as_many_specific_problems_as_the_notice() -> None:
    """The notice's (1)…(45) headings are the 45 specific problems."""
    case = _load(SEED_FILES["002"])
    assert sum(p.kind is rf.ProblemKind.SPECIFIC for p in case.problems()) == 45


def test_seed_004_gives_five_of_its_nine_groups_sub_problems() -> None:
    """Groups 1, 2, 4, 7 and 8 have 2, 3, 2, 2 and 2 sub-problems; 3, 5, 6 and 9 stand alone."""
    case = _load(SEED_FILES["004"])
    groups = [p.id for p in case.problems() if p.parent is None]
    subs = Counter(p.parent for p in case.problems() if p.parent is not None)
    assert [str(n) for n in range(1, 10)] == groups
    assert dict(subs) == {"1": 2, "2": 3, "4": 2, "7": 2, "8": 2}


# -- the synthetic case ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic() -> rf.Case:
    """The bundled synthetic case."""
    return _load(SYNTHETIC)


def test_the_synthetic_case_goes_through_every_case_state(synthetic: rf.Case) -> None:
    """Walking its case events from the initial state visits all nine case states."""
    state = synthetic.initial_state
    visited = [state]
    for event in synthetic.events:
        if event.target == "case":
            state = rf.CASE_LIFECYCLE.table[(state, event.trigger)]
            visited.append(state)
    assert set(rf.CaseState) == set(visited)
    assert synthetic.state == state


def test_the_synthetic_event_log_is_numbered_and_in_date_order(synthetic: rf.Case) -> None:
    """Events are numbered 1..n and never go back in time."""
    days = [e.on for e in synthetic.events]
    assert list(range(1, len(synthetic.events) + 1)) == [e.seq for e in synthetic.events]
    assert sorted(days) == days


def test_the_follow_up_review_reopens_items_that_then_get_new_measures(
    synthetic: rf.Case,
) -> None:
    """Each reopened outcome has a reopen event that day and a measure added after it."""
    follow_ups = [r for r in synthetic.reviews if r.kind is rf.ReviewKind.FOLLOW_UP]
    assert len(follow_ups) == 1
    review = follow_ups[0]
    reopened = [o.item for o in review.outcomes if o.outcome == "reopened"]
    assert reopened
    reopen_events = [
        e.target for e in synthetic.events if e.trigger == "reopen" and e.on == review.on
    ]
    assert reopened == reopen_events
    for item in reopened:
        problem = synthetic.problem_of(item)
        added = [m.added_on for m in problem.measures if m.added_on and m.added_on > review.on]
        assert added, item
    # Work goes on after the review.
    assert synthetic.last_event_on is not None
    assert synthetic.last_event_on > review.on


def test_every_synthetic_measure_has_a_responsibility_a_due_date_and_its_evidence(
    synthetic: rf.Case,
) -> None:
    """Leader, department and person on every measure; evidence on every closed one."""
    measures = list(synthetic.measures())
    assert len(measures) >= 20
    unanswered = [
        m.id
        for m in measures
        if m.responsibility is None
        or None in (m.responsibility.leader, m.responsibility.department, m.responsibility.person)
        or m.due_on is None
    ]
    unproven = [m.id for m in measures if m.state is rf.ItemState.CLOSED and not m.evidence]
    assert (unanswered, unproven) == ([], [])
    assert {"procurement", "institution-building"} <= {t for m in measures for t in m.tags}


def test_the_synthetic_case_has_one_internal_and_one_confidential_clue(
    synthetic: rf.Case,
) -> None:
    """Problem clues are classified internal and confidential, each with a transfer date."""
    clues = [p for p in synthetic.problems() if p.kind is rf.ProblemKind.CLUE]
    assert [c.classification for c in clues] == [
        rf.Classification.INTERNAL,
        rf.Classification.CONFIDENTIAL,
    ]
    assert all(c.transferred_on is not None for c in clues)


def test_the_synthetic_case_discloses_with_a_public_period_and_every_contact_kind(
    synthetic: rf.Case,
) -> None:
    """Its disclosure has a public period and phone, e-mail, postal address and PO box."""
    (disclosure,) = synthetic.disclosures
    assert disclosure.public_period is not None
    assert set(rf.ContactKind) == {c.kind for c in disclosure.contacts}
    assert disclosure.published_on is not None
    assert synthetic.first_fired_on("disclose") == disclosure.published_on.earliest


def test_some_synthetic_measures_are_overdue_at_the_last_event(synthetic: rf.Case) -> None:
    """As of its last event, the measures past due and not done are listed as overdue."""
    as_of, _ = rf.default_as_of(synthetic)
    assert synthetic.last_event_on == as_of
    overdue = [item.id for item in rf.overdue(synthetic, as_of)]
    assert overdue == ["2.1.5", "3.3.2", "3.3.3"]


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_synthetic_rebuilds_the_bundled_case(synthetic: rf.Case) -> None:
    """examples/build_synthetic.py fires the same events into the same ledger as the file."""
    built = _module(EXAMPLES / "build_synthetic.py").build()
    built.version = synthetic.version
    assert synthetic == built


# -- embed.py --------------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / "embed.py"), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _listed(stdout: str) -> list[str]:
    """The item ids embed.py prints under its overdue heading."""
    return re.findall(r"^  (\S+)  due ", stdout, flags=re.MULTILINE)


def test_embed_fires_saves_a_copy_and_lists_what_is_overdue(tmp_path: Path) -> None:
    """embed.py leaves the bundled case alone, writes the copy, and prints the overdue list."""
    before = SYNTHETIC.read_bytes()
    out = tmp_path / "case.toml"
    run = _run("--out", str(out))
    assert (run.returncode, run.stderr) == (0, "")
    assert before == SYNTHETIC.read_bytes()
    saved = _load(out)
    assert len(_load(SYNTHETIC).events) + 1 == len(saved.events)
    assert saved.events[-1].on == dt.date(2025, 6, 30)
    assert "overdue as of 2025-06-30" in run.stdout
    assert [m.id for m in rf.overdue(saved, dt.date(2025, 6, 30))] == _listed(run.stdout)


def test_embed_takes_the_as_of_date_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --as-of, the overdue list is the one for that day, not for the last event's."""
    out = tmp_path / "case.toml"
    _module(EXAMPLES / "embed.py").main(["--out", str(out), "--as-of", "2025-06-01"])
    printed = capsys.readouterr().out
    saved = _load(out)
    assert "overdue as of 2025-06-01" in printed
    assert _listed(printed) == [m.id for m in rf.overdue(saved, dt.date(2025, 6, 1))]
    assert _listed(printed) != [m.id for m in rf.overdue(saved, dt.date(2025, 6, 30))]


def test_embed_works_on_a_case_without_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On an imported seed case it starts the first open item on the latest stated date."""
    out = tmp_path / "case.toml"
    _module(EXAMPLES / "embed.py").main([str(SEED_FILES["001"]), "--out", str(out)])
    saved = _load(out)
    (event,) = saved.events
    assert (event.trigger, event.target, event.on) == ("start", "1.1", dt.date(2025, 5, 6))
    assert "overdue as of 2025-05-06: 0" in capsys.readouterr().out


def test_embed_reports_a_refused_trigger_and_saves_nothing(tmp_path: Path) -> None:
    """An illegal trigger ends embed.py with the lifecycle's message; no file is written."""
    out = tmp_path / "case.toml"
    embed = _module(EXAMPLES / "embed.py")
    with pytest.raises(SystemExit) as ended:
        embed.main(["--item", "1.1.1", "--trigger", "start", "--out", str(out)])
    message = str(ended.value)
    assert message.startswith("error: ")
    assert all(word in message for word in ("1.1.1", "closed", "reopen")), message
    assert not out.exists()


# -- nothing copied from the seeds -----------------------------------------------------------------

RUN = 41  # more than 40 consecutive characters
_FULL_WIDTH = str.maketrans("，：；（）！？“”", ',:;()!?""')


def _normalise(text: str) -> str:
    """Punctuation in one width and no whitespace, so a copy cannot hide behind either."""
    return re.sub(r"\s+", "", text.translate(_FULL_WIDTH))


@pytest.fixture(scope="module")
def seed_runs(seed_text: dict[str, str]) -> set[str]:
    """Every run of RUN characters in the seed notices."""
    runs: set[str] = set()
    for text in seed_text.values():
        flat = _normalise(text)
        runs.update(flat[i : i + RUN] for i in range(len(flat) - RUN + 1))
    return runs


def _copied(text: str, runs: set[str]) -> list[str]:
    flat = _normalise(text)
    return [flat[i : i + RUN] for i in range(len(flat) - RUN + 1) if flat[i : i + RUN] in runs]


def test_the_copy_detector_finds_a_sentence_taken_from_a_seed(
    seed_text: dict[str, str], seed_runs: set[str]
) -> None:
    """A seed paragraph pasted into a title is caught, whatever its punctuation width."""
    pasted = seed_text["003"][200:300].replace("，", ",")
    assert _copied(f'title = "{pasted}"', seed_runs)


def test_no_example_copies_more_than_40_characters_of_a_seed(seed_runs: set[str]) -> None:
    """No line of any example file shares a run of more than 40 characters with a seed."""
    files = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in {".toml", ".py", ".md"})
    assert files
    copied = [
        (path.relative_to(EXAMPLES).as_posix(), number, run[0])
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (run := _copied(line, seed_runs))
    ]
    assert copied == []
