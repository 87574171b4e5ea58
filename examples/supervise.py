"""Supervision (督办) through the public API: the bundled synthetic case taken once round the loop.

An approved extension (延期), a rejected acceptance (驳回), a second submission accepted with
structured evidence (报请销号 → 验收 → 销号), accountability (问责) and an evaluation of 一般 that
the ``xuncha`` policy turns into a second-rectification requirement (二次整改), answered by the
case trigger ``start_second_rectification``. Every step is an event; the bundled file is not
changed (pass a path to write the result there).

    python examples/supervise.py [OUT.toml]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import rectflow as rf

HERE = Path(__file__).resolve().parent
CASE = HERE / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
D = dt.date

ITEM = "2.1.5"  # 供应商库管理: due 2025-06-15, in progress on the day of the last event
PROBLEM = "2.1"
OFFICE = "市委巡察办"
DOER = "招标采购办公室"


def walk(case: rf.Case) -> rf.Case:
    """Take ``case`` round the supervision loop (in place) and return it."""
    rf.extend(
        case,
        ITEM,
        D(2025, 8, 31),
        approver="市委巡察工作领导小组",
        role="领导小组",
        reason="供应商资质复核需待年度审计结果",
        on=D(2025, 7, 1),
        actor=OFFICE,
    )
    rf.fire(case, "complete", item=ITEM, on=D(2025, 7, 20), actor=DOER)
    rf.fire(case, "submit", item=ITEM, on=D(2025, 7, 21), actor=DOER)
    rf.fire(case, "reject", item=ITEM, on=D(2025, 7, 25), actor=OFFICE, note="缺少整改前后对比材料")
    rf.add_evidence(
        case,
        ITEM,
        rf.Evidence(
            "供应商库清理前后对比表",
            rf.EvidenceKind.LEDGER,
            D(2025, 8, 5),
            reference="档案 2025-ZG-031",
        ),
        on=D(2025, 8, 6),
        actor=DOER,
    )
    rf.fire(case, "complete", item=ITEM, on=D(2025, 8, 6), actor=DOER)
    rf.fire(case, "submit", item=ITEM, on=D(2025, 8, 7), actor=DOER)
    rf.fire(case, "accept", item=ITEM, on=D(2025, 8, 12), actor=OFFICE, note="对账销号")
    rf.record_accountability(
        case,
        rf.Accountability(
            rf.AccountabilityForm.ADMONISHING_TALK,
            2,
            on=D(2025, 8, 20),
            problem=PROBLEM,
            note="供应商管理失职",
        ),
        actor="院纪委",
    )
    rf.record_accountability(
        case,
        rf.Accountability(rf.AccountabilityForm.CRITICISM, 5, on=D(2025, 8, 20), problem=PROBLEM),
        actor="院纪委",
    )
    rf.evaluate(
        case,
        rf.Evaluation(D(2025, 9, 10), rf.Grade.FAIR, 74.5, by="市纪委监委、市委组织部、市委巡察办"),
        actor=OFFICE,
    )
    return case


def main(argv: list[str]) -> None:
    """Walk the bundled case, print what the log and the checks say, and save if asked."""
    case = walk(rf.load_case(CASE))
    ext = rf.extensions(case, ITEM)[0]
    print(f"{ITEM}: due {ext.previous_due_on}, extended to {ext.due_on} by {ext.approver}")
    accepted = rf.last_reached(case, ITEM, rf.ItemState.CLOSED)
    print(f"{ITEM}: {rf.rejections(case, ITEM)} rejection(s), accepted {accepted}")
    counts = rf.accountability_counts(case)
    print("accountability:", ", ".join(f"{form.value} {n}" for form, n in counts.items()))
    # A month and more after the evaluation of 一般, nothing has been done about it:
    report = rf.check(case, policy="xuncha", as_of=D(2025, 10, 20))
    second = [v for v in report.violations if v.code == "evaluation.second-rectification"]
    for violation in second:
        print(f"{violation.level.value}: {violation.code}: {violation.message}")
    # The hospital had started it on 15 September; the office enters it late, on 21 October.
    rf.fire(
        case,
        "start_second_rectification",
        on=D(2025, 9, 15),
        actor="院党委",
        recorded_on=D(2025, 10, 21),
    )
    again = rf.check(case, policy="xuncha", as_of=D(2025, 10, 20))
    left = [v for v in again.violations if v.code == "evaluation.second-rectification"]
    print(
        f"after start_second_rectification: {len(left)} such violation(s); case {case.state.value}"
    )
    assert rf.replay(case) == case
    if argv:
        Path(argv[0]).write_text(rf.dumps_case(case), encoding="utf-8")
        print(f"written to {argv[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
