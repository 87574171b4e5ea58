"""Issue 10's walk: the synthetic example through an approved extension, a rejected acceptance,
a second submission accepted with structured evidence, accountability, and an evaluation of 一般
that the check turns into a second-rectification requirement (examples/supervise.py)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import rectflow as rf
from rectflow.errors import CaseFileError, OwnedFieldError

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "supervise.py"
D = dt.date
ITEM = "2.1.5"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("supervise", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def walked() -> rf.Case:
    module = _module()
    case: rf.Case = module.walk(rf.load_case(module.CASE))
    return case


def test_the_extension_keeps_the_original_and_moves_the_deadline(walked: rf.Case) -> None:
    """The item is due on the approved day; the original, the approver and the reason stay."""
    (ext,) = rf.extensions(walked, ITEM)
    assert walked.item(ITEM).due_on == ext.due_on == D(2025, 8, 31)
    assert (ext.previous_due_on, ext.approver, ext.role) == (
        D(2025, 6, 15),
        "市委巡察工作领导小组",
        "领导小组",
    )
    assert rf.item_facts(walked)[ITEM].original_due_on == D(2025, 6, 15)
    assert rf.due_on_as_of(walked, ITEM, D(2025, 6, 30)) == D(2025, 6, 15)
    assert rf.due_on_as_of(walked, ITEM, D(2025, 7, 1)) == D(2025, 8, 31)


def test_the_rejection_is_a_round_of_acceptance_not_a_rebound(walked: rf.Case) -> None:
    """One rejection, then accepted and closed; no reopen was recorded for the item."""
    assert rf.rejections(walked, ITEM) == 1
    assert walked.item(ITEM).state is rf.ItemState.CLOSED
    assert rf.last_reached(walked, ITEM, rf.ItemState.CLOSED) == D(2025, 8, 12)
    states = [state for _, state in rf.state_history(walked, ITEM)]
    assert rf.ItemState.REOPENED not in states[-6:]
    assert states[-6:] == [
        rf.ItemState.COMPLETED,
        rf.ItemState.SUBMITTED,
        rf.ItemState.IN_PROGRESS,
        rf.ItemState.COMPLETED,
        rf.ItemState.SUBMITTED,
        rf.ItemState.CLOSED,
    ]


def test_the_evidence_is_structured_and_internal(walked: rf.Case) -> None:
    """The evidence added carries its kind, day, reference and who filed it."""
    evidence = walked.item(ITEM).evidence[-1]
    assert (evidence.kind, evidence.on, evidence.reference, evidence.added_by) == (
        rf.EvidenceKind.LEDGER,
        D(2025, 8, 5),
        "档案 2025-ZG-031",
        "招标采购办公室",
    )
    assert evidence.public is False


def test_every_step_is_an_event_and_the_case_replays_and_round_trips(
    walked: rf.Case, tmp_path: Path
) -> None:
    """Replay gives the case back; the file holds it all and loads equal."""
    assert rf.replay(walked) == walked
    path = tmp_path / "walked.toml"
    path.write_text(rf.dumps_case(walked), encoding="utf-8")
    assert rf.load_case(path) == walked
    kinds = {e.trigger for e in walked.events}
    assert {"extend", "submit", "reject", "accept", "add_evidence"} <= kinds
    assert {"accountability", "evaluate"} <= kinds


def test_as_of_a_day_before_the_walk_the_case_is_as_it_stood(walked: rf.Case) -> None:
    """On 2025-06-30 the item was in progress, due on its original day, and overdue."""
    before = rf.case_as_of(walked, D(2025, 6, 30))
    assert before.item(ITEM).state is rf.ItemState.IN_PROGRESS
    assert before.item(ITEM).due_on == D(2025, 6, 15)
    assert before.item(ITEM).evidence == rf.load_case(_module().CASE).item(ITEM).evidence
    assert (before.accountability, before.evaluations) == ([], [])
    assert ITEM in [item.id for item in rf.overdue(walked, D(2025, 6, 30))]


def test_the_fields_the_events_own_cannot_be_changed_around_them(walked: rf.Case) -> None:
    """Assigning the deadline back, or appending evidence records, is refused."""
    with pytest.raises(OwnedFieldError):
        walked.item(ITEM).due_on = D(2025, 6, 15)
    with pytest.raises(OwnedFieldError):
        walked.accountability.clear()


def test_a_hand_edited_deadline_is_refused_on_load(walked: rf.Case) -> None:
    """A file whose due date was moved by hand, around its extension event, does not load."""
    text = rf.dumps_case(walked).replace("due_on = 2025-08-31", "due_on = 2025-09-30", 1)
    with pytest.raises(CaseFileError) as raised:
        rf.loads_case(text)
    assert "disagrees with the events" in raised.value.reason
    assert raised.value.key_path.endswith(".due_on")


def test_the_evaluation_of_fair_requires_a_second_rectification(walked: rf.Case) -> None:
    """As of 2025-10-20 the xuncha policy reports the missing second rectification; the case
    trigger answers it."""
    report = rf.check(walked, policy="xuncha", as_of=D(2025, 10, 20))
    found = [v for v in report.violations if v.code == "evaluation.second-rectification"]
    assert [v.level for v in found] == [rf.Level.ERROR]
    case = rf.loads_case(rf.dumps_case(walked))
    rf.fire(
        case,
        "start_second_rectification",
        on=D(2025, 9, 15),
        actor="院党委",
        recorded_on=D(2025, 10, 21),
    )
    assert case.state is rf.CaseState.CENTRALISED
    again = rf.check(case, policy="xuncha", as_of=D(2025, 10, 21))
    assert not [v for v in again.violations if v.code == "evaluation.second-rectification"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_notice_publishes_accountability_only_as_counts(walked: rf.Case, fmt: str) -> None:
    """诫勉谈话2人 and 批评教育5人 are stated; the note and the records are not."""
    notice = rf.render_notice(walked, fmt)
    assert "诫勉谈话2人" in notice
    assert "批评教育5人" in notice
    assert "供应商管理失职" not in notice
    assert "供应商库清理前后对比表" not in notice  # internal evidence


def test_the_example_script_runs_and_says_what_happened(tmp_path: Path) -> None:
    """python examples/supervise.py prints the extension, the rejection, the counts and the
    check before and after the second rectification, and writes a file that loads."""
    out = tmp_path / "walked.toml"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "2.1.5: due 2025-06-15, extended to 2025-08-31 by 市委巡察工作领导小组"
    assert lines[1] == "2.1.5: 1 rejection(s), accepted 2025-08-12"
    assert lines[2] == "accountability: criticism 5, admonishing_talk 2"
    assert lines[3].startswith("error: evaluation.second-rectification: ")
    assert lines[4] == "after start_second_rectification: 0 such violation(s); case centralised"
    assert rf.load_case(out).state is rf.CaseState.CENTRALISED
