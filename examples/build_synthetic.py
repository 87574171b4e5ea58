"""Build the bundled synthetic case in code and walk it through its whole lifecycle.

The case is fictional: 中共虹桥市第一人民医院委员会 after a 巡察 by 市委第五巡察组. The script
declares the ledger (categories, problems, measures with responsibilities, due dates, tags and
evidence), then fires every trigger through ``rectflow.fire`` in date order, so the event log is
written by the library rather than by hand: plan, centralised rectification, report, disclosure
with a public period, continued rectification, an assessment, closing, a follow-up review (回头看)
that reopens two measures and adds new ones, and the work after it.

Run it to regenerate ``examples/cases/synthetic-hongqiao-first-people-hospital.toml``::

    python examples/build_synthetic.py [OUT.toml]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import attrs

import rectflow as rf

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "cases" / "synthetic-hongqiao-first-people-hospital.toml"

BODY = "中共虹桥市第一人民医院委员会"
FEEDBACK = dt.date(2024, 3, 15)
PLAN_ADOPTED = dt.date(2024, 3, 22)
FOLLOW_UP = dt.date(2025, 3, 18)  # the 回头看 that finds two items rebounding
NEW_MEASURES = dt.date(2025, 3, 20)  # measures added after it

# Who answers for what (fictional people).
SECRETARY = ("周文清(党委书记)", "党委办公室", "陈立")
PRESIDENT = ("林海(院长)", "院长办公室", "赵敏")
MEDICAL = ("郑敏(副院长)", "医务部", "刘洋")
LOGISTICS = ("何志远(副院长)", "招标采购办公室、纪委办公室", "马骏")
DISCIPLINE = ("孙立(纪委书记)", "纪委办公室", "黄悦")
FINANCE = ("王青(总会计师)", "财务科", "吴婷")
PERSONNEL = ("周文清(党委书记)", "组织人事部", "许静")


Work = list[tuple[dt.date, str]]
Ledger = list[tuple[str, str, list[tuple[rf.Problem, list[tuple[rf.Measure, Work]]]]]]


def steps(text: str) -> Work:
    """``"2024-03-25 start, 2024-04-22 complete"`` -> ``[(date, trigger), ...]``."""
    out = []
    for part in text.split(","):
        day, trigger = part.split()
        out.append((dt.date.fromisoformat(day), trigger))
    return out


def structured(entry: str, department: str) -> rf.Evidence:
    """Evidence as an office files it: "院发〔2024〕15号 采购管理办法(修订)" is a document with its
    number as the reference, "2024-04-22 党委会会议纪要" minutes of that day; minutes and ledgers
    are their own kinds. All of it is internal (public = False)."""
    head, _, title = entry.partition(" ")
    number, on = None, None
    if title and "号" in head:
        number = head
    elif title and head[:4].isdigit() and len(head) == 10:  # "2024-04-22 党委会会议纪要"
        on = dt.date.fromisoformat(head)
    else:
        title = entry
    kind = rf.EvidenceKind.DOCUMENT
    if "纪要" in title or title.endswith("记录"):
        kind = rf.EvidenceKind.MINUTES
    elif "台账" in title or "清单" in title:
        kind = rf.EvidenceKind.LEDGER
    return rf.Evidence(title, kind, on, number, added_by=department)


def measure(
    mid: str,
    text: str,
    who: tuple[str, str, str],
    due: dt.date,
    work: str,
    *,
    tags: tuple[str, ...] = (),
    evidence: tuple[str, ...] = (),
    added_on: dt.date = PLAN_ADOPTED,
) -> tuple[rf.Measure, Work]:
    """A measure of the ledger and the work to fire on it."""
    leader, department, person = who
    return (
        rf.Measure(
            mid,
            text,
            rf.Responsibility(leader, department, person),
            due,
            evidence=tuple(structured(e, department) for e in evidence),
            tags=tags,
            added_on=added_on,
        ),
        steps(work),
    )


# The ledger: category -> problem -> measures with the work done on each, in any order (the
# events are fired in date order below).
def ledger() -> Ledger:
    """The ledger, built afresh on every call (firing changes its states)."""
    return [
        (
            "1",
            "党的领导与医院高质量发展",
            [
                (
                    rf.Problem("1.1", "党委把方向管大局作用发挥不够", rf.ProblemKind.KEY),
                    [
                        measure(
                            "1.1.1",
                            "修订党委会议事规则和“三重一大”事项清单",
                            SECRETARY,
                            dt.date(2024, 4, 30),
                            "2024-03-25 start, 2024-04-22 complete, 2024-06-28 close",
                            tags=("institution-building",),
                            evidence=(
                                "院党发〔2024〕6号 党委会议事规则(修订)",
                                "2024-04-22 党委会会议纪要",
                            ),
                        ),
                        measure(
                            "1.1.2",
                            "建立党委书记和院长定期沟通制度",
                            PRESIDENT,
                            dt.date(2024, 4, 30),
                            "2024-03-26 start, 2024-04-18 complete, 2024-06-28 close",
                            tags=("institution-building",),
                            evidence=("院党发〔2024〕7号 书记院长定期沟通制度",),
                        ),
                    ],
                ),
                (
                    rf.Problem("1.2", "重点学科建设推进缓慢", parent="1.1", tags=("reform",)),
                    [
                        measure(
                            "1.2.1",
                            "制定重点学科三年建设规划",
                            MEDICAL,
                            dt.date(2024, 5, 10),
                            "2024-03-28 start, 2024-05-08 complete, 2024-07-15 close",
                            evidence=("院发〔2024〕21号 重点学科建设规划(2024-2026)",),
                        ),
                        measure(
                            "1.2.2",
                            "分期建设智慧医院信息平台",
                            MEDICAL,
                            dt.date(2025, 12, 31),
                            "2024-04-01 start, 2024-05-09 mark_long_term",
                            tags=("reform",),
                        ),
                    ],
                ),
                (
                    rf.Problem("1.3", "意识形态阵地管理不严"),
                    [
                        measure(
                            "1.3.1",
                            "建立院内讲座论坛备案台账",
                            SECRETARY,
                            dt.date(2024, 4, 15),
                            "2024-03-25 start, 2024-04-12 complete, 2024-06-28 close",
                            evidence=("讲座论坛备案台账(2024年4月起)",),
                        ),
                        measure(
                            "1.3.2",
                            "修订网站和公众号信息发布审核办法",
                            SECRETARY,
                            dt.date(2024, 5, 10),
                            "2024-03-27 start, 2024-05-06 complete, 2024-07-15 close",
                            tags=("institution-building",),
                            evidence=("院办发〔2024〕9号 信息发布三审三校办法",),
                        ),
                    ],
                ),
            ],
        ),
        (
            "2",
            "全面从严治党与廉政风险防控",
            [
                (
                    rf.Problem(
                        "2.1", "药品耗材采购存在廉政风险", rf.ProblemKind.KEY, tags=("procurement",)
                    ),
                    [
                        measure(
                            "2.1.1",
                            "修订采购管理办法,实行采管分离",
                            LOGISTICS,
                            dt.date(2024, 4, 30),
                            "2024-03-25 start, 2024-04-25 complete, 2024-06-28 close",
                            tags=("procurement", "institution-building"),
                            evidence=("院发〔2024〕15号 采购管理办法(修订)",),
                        ),
                        measure(
                            "2.1.2",
                            "清理拆分采购,规范小额采购",
                            LOGISTICS,
                            dt.date(2024, 5, 10),
                            "2024-03-26 start, 2024-05-09 complete, 2024-07-15 close, "
                            "2025-03-20 start, 2025-06-10 complete, 2025-06-30 close",
                            tags=("procurement",),
                            evidence=(
                                "2024-05-09 拆分采购专项清理报告",
                                "2025-06-10 回头看整改复查报告",
                            ),
                        ),
                        measure(
                            "2.1.3",
                            "与供应商签订廉洁承诺并开展约谈",
                            DISCIPLINE,
                            dt.date(2024, 5, 10),
                            "2024-04-02 start, 2024-04-30 complete, 2024-06-28 close",
                            tags=("procurement",),
                            evidence=("廉洁承诺书汇编(86家供应商)", "2024-04-30 集体约谈记录"),
                        ),
                        measure(
                            "2.1.4",
                            "上线采购合同线上审批和拆分预警",
                            LOGISTICS,
                            dt.date(2025, 4, 30),
                            "2025-03-20 start, 2025-04-28 complete, 2025-05-20 close",
                            tags=("procurement", "institution-building"),
                            added_on=NEW_MEASURES,
                            evidence=("采购合同线上审批系统验收单",),
                        ),
                        measure(
                            "2.1.5",
                            "复查近三年小额采购",
                            DISCIPLINE,
                            dt.date(2025, 6, 15),
                            "2025-03-25 start",
                            tags=("procurement",),
                            added_on=NEW_MEASURES,
                        ),
                    ],
                ),
                (
                    rf.Problem("2.2", "公务接待和用车不规范"),
                    [
                        measure(
                            "2.2.1",
                            "清理规范公务接待和公务用车",
                            FINANCE,
                            dt.date(2024, 4, 30),
                            "2024-03-25 start, 2024-04-20 complete, 2024-06-28 close",
                            evidence=("公务接待清理台账", "公务用车管理规定(修订)"),
                        ),
                        measure(
                            "2.2.2",
                            "对相关责任人提醒谈话并问责",
                            DISCIPLINE,
                            dt.date(2024, 4, 15),
                            "2024-03-25 start, 2024-04-10 complete, 2024-06-28 close",
                            tags=("accountability",),
                            evidence=("提醒谈话记录(3人)",),
                        ),
                    ],
                ),
            ],
        ),
        (
            "3",
            "组织建设与干部队伍",
            [
                (
                    rf.Problem("3.1", "党支部组织生活不规范"),
                    [
                        measure(
                            "3.1.1",
                            "开展党支部书记轮训",
                            PERSONNEL,
                            dt.date(2024, 5, 10),
                            "2024-04-08 start, 2024-05-07 complete, 2024-07-15 close",
                            tags=("training",),
                            evidence=("2024年支部书记轮训签到表",),
                        ),
                        measure(
                            "3.1.2",
                            "建立组织生活督导检查制度",
                            PERSONNEL,
                            dt.date(2024, 6, 30),
                            "2024-04-10 start, 2024-05-10 mark_basically_completed, "
                            "2024-06-25 complete, 2024-07-15 close",
                            tags=("institution-building",),
                            evidence=("院党发〔2024〕11号 组织生活督导办法",),
                        ),
                    ],
                ),
                (
                    rf.Problem("3.2", "干部选拔任用程序执行不严"),
                    [
                        measure(
                            "3.2.1",
                            "修订中层干部选拔任用实施办法",
                            PERSONNEL,
                            dt.date(2024, 5, 31),
                            "2024-03-28 start, 2024-05-28 complete, 2024-07-15 close",
                            tags=("institution-building",),
                            evidence=("院党发〔2024〕13号 中层干部选拔任用办法",),
                        ),
                        measure(
                            "3.2.2",
                            "自查近三年干部选任工作",
                            PERSONNEL,
                            dt.date(2024, 5, 10),
                            "2024-03-28 start, 2024-05-06 complete, 2024-07-15 close",
                            evidence=("干部选任自查报告",),
                        ),
                    ],
                ),
                (
                    rf.Problem("3.3", "干部人事档案管理不规范"),
                    [
                        measure(
                            "3.3.1",
                            "补齐干部人事档案缺失材料",
                            PERSONNEL,
                            dt.date(2024, 8, 31),
                            "2024-04-01 start, 2024-05-10 mark_basically_completed, "
                            "2024-08-28 complete, 2024-09-10 close",
                            evidence=("档案补充材料清单(112卷)",),
                        ),
                        measure(
                            "3.3.2",
                            "建立档案材料定期审核机制",
                            PERSONNEL,
                            dt.date(2024, 6, 30),
                            "2024-04-15 start, 2024-06-20 complete, 2024-07-15 close, "
                            "2025-03-25 start",
                            tags=("institution-building",),
                            evidence=("档案审核工作规程",),
                        ),
                        measure(
                            "3.3.3",
                            "逐人复核新入职人员档案",
                            PERSONNEL,
                            dt.date(2025, 5, 31),
                            "2025-04-01 start",
                            added_on=NEW_MEASURES,
                        ),
                    ],
                ),
            ],
        ),
        (
            "4",
            "巡察审计问题整改与财经纪律",
            [
                (
                    rf.Problem("4.1", "审计发现问题整改不到位"),
                    [
                        measure(
                            "4.1.1",
                            "逐项销号审计问题清单",
                            FINANCE,
                            dt.date(2024, 5, 10),
                            "2024-03-25 start, 2024-05-10 complete, 2024-07-15 close",
                            evidence=("审计问题整改销号表",),
                        ),
                        measure(
                            "4.1.2",
                            "追回多付工程款",
                            FINANCE,
                            dt.date(2024, 6, 30),
                            "2024-04-03 start, 2024-06-18 complete, 2024-07-15 close",
                            tags=("accountability",),
                            evidence=("银行回单(追回款项)",),
                        ),
                    ],
                ),
                (
                    rf.Problem("4.2", "专项资金管理不规范"),
                    [
                        measure(
                            "4.2.1",
                            "修订专项资金管理办法",
                            FINANCE,
                            dt.date(2024, 5, 10),
                            "2024-03-27 start, 2024-05-08 complete, 2024-07-15 close",
                            tags=("institution-building",),
                            evidence=("院发〔2024〕19号 专项资金管理办法",),
                        ),
                        measure(
                            "4.2.2",
                            "开展专项资金绩效自评",
                            FINANCE,
                            dt.date(2024, 12, 31),
                            "2024-05-15 start, 2024-10-08 complete, 2024-10-12 close",
                            evidence=("2024年专项资金绩效自评报告",),
                        ),
                    ],
                ),
                (
                    rf.Problem("4.3", "科室绩效二次分配不规范", rf.ProblemKind.EXTENDED),
                    [
                        measure(
                            "4.3.1",
                            "制定科室绩效二次分配指导意见",
                            PRESIDENT,
                            dt.date(2024, 6, 30),
                            "2024-04-15 start, 2024-06-26 complete, 2024-07-15 close",
                            tags=("institution-building",),
                            evidence=("院发〔2024〕27号 二次分配指导意见",),
                        ),
                        measure(
                            "4.3.2",
                            "按季度抽查科室二次分配",
                            FINANCE,
                            dt.date(2025, 12, 31),
                            "2024-07-01 start, 2024-09-30 mark_long_term",
                        ),
                    ],
                ),
            ],
        ),
    ]


# Problem clues (问题线索) have no measures: they are fired on directly. Neither is published.
def clues() -> list[tuple[rf.Problem, str, str]]:
    """The clues and the work on each, with who handles it (built afresh on every call)."""
    return [
        (
            rf.Problem(
                "2.3",
                "问题线索(已移交院纪委)",
                rf.ProblemKind.CLUE,
                rf.Classification.INTERNAL,
                transferred_on=dt.date(2024, 3, 20),
            ),
            "2024-03-20 start, 2024-07-30 complete",
            "纪委办公室",
        ),
        (
            rf.Problem(
                "2.4",
                "问题线索(已移交市纪委监委)",
                rf.ProblemKind.CLUE,
                rf.Classification.CONFIDENTIAL,
                transferred_on=dt.date(2024, 3, 18),
            ),
            "2024-03-18 start, 2024-09-12 complete",
            "市纪委监委",
        ),
    ]


# The case's own lifecycle: (trigger, day, actor, note).
CASE_STEPS = [
    ("adopt_plan", PLAN_ADOPTED, "院党委", "党委会审议通过整改方案"),
    ("start_centralised", dt.date(2024, 3, 25), "院党委", "召开整改动员部署会"),
    ("submit_report", dt.date(2024, 5, 13), "院党委", "向市委报送整改情况报告"),
    ("disclose", dt.date(2024, 5, 15), "党委办公室", "在医院网站和院内公示栏公开,公示15天"),
    ("close_public_period", dt.date(2024, 5, 30), "党委办公室", None),
    ("continue_rectification", dt.date(2024, 5, 31), "院党委", "转入常态化整改"),
    ("review", dt.date(2024, 6, 7), "市委巡察办", "整改评估:良好"),
    ("close_case", dt.date(2024, 10, 31), "市委巡察办", "集中整改和持续整改事项全部销号或转长期"),
    ("reopen_case", FOLLOW_UP, "市委巡察办", "回头看发现2.1.2、3.3.2反弹回潮"),
]
REOPENED = {"2.1.2": "部分科室仍以拆分方式规避集中采购", "3.3.2": "新入职人员档案材料仍不齐全"}


def build() -> rf.Case:
    """The synthetic case, its ledger declared and its whole event log fired."""
    case = rf.Case(
        id="synthetic-hongqiao-first-people-hospital",
        inspected_body=BODY,
        inspection=rf.Inspection(
            rf.InspectionKind.XUNCHA,
            body="中共虹桥市委",
            team="市委第五巡察组",
            round="十届市委第三轮",
            onsite=rf.Period(
                rf.FuzzyDate.of(dt.date(2023, 11, 6)), rf.FuzzyDate.of(dt.date(2024, 1, 5))
            ),
        ),
        feedback_on=rf.FuzzyDate.of(FEEDBACK),
        plan=rf.Plan(rf.FuzzyDate.of(PLAN_ADOPTED), f"{BODY}巡察反馈意见整改方案"),
        leading_group=rf.LeadingGroup("巡察整改工作领导小组", SECRETARY[0]),
        centralised=rf.Period(
            rf.FuzzyDate.of(dt.date(2024, 3, 25)), rf.FuzzyDate.of(dt.date(2024, 5, 10))
        ),
        report_on=rf.FuzzyDate.of(dt.date(2024, 5, 13)),
        milestones=[rf.Milestone("巡察整改专题民主生活会", rf.FuzzyDate.of(dt.date(2024, 4, 26)))],
        disclosures=[
            rf.Disclosure(
                rf.FuzzyDate.of(dt.date(2024, 5, 15)),
                rf.DisclosureScope.DUAL,
                channel="医院官方网站、院内公示栏",
                public_period=rf.Period(
                    rf.FuzzyDate.of(dt.date(2024, 5, 15)), rf.FuzzyDate.of(dt.date(2024, 5, 29))
                ),
                contacts=[
                    rf.Contact(rf.ContactKind.PHONE, "0000-88123456"),
                    rf.Contact(rf.ContactKind.EMAIL, "xczg@hqfph.example.org"),
                    rf.Contact(rf.ContactKind.POSTAL_ADDRESS, "虹桥市健康路1号第一人民医院行政楼"),
                    rf.Contact(rf.ContactKind.PO_BOX, "虹桥市105号邮政信箱"),
                ],
                title=f"{BODY}关于市委第五巡察组巡察整改进展情况的通报",
                signed_by=BODY,
            )
        ],
        reviews=[
            rf.Review(
                dt.date(2024, 6, 7),
                rf.ReviewKind.ASSESSMENT,
                by="市委巡察办",
                grade="良好",
                outcomes=[rf.ReviewOutcome(pid) for pid in ("1.1", "1.3", "2.2")],
            ),
            rf.Review(
                FOLLOW_UP,
                rf.ReviewKind.FOLLOW_UP,
                by="市委巡察办",
                outcomes=[
                    *(rf.ReviewOutcome(mid, "reopened", note) for mid, note in REOPENED.items()),
                    rf.ReviewOutcome("2.2", "confirmed"),
                ],
            ),
        ],
    )
    # Work to fire: (day, declaration order, trigger, item or None, actor, note).
    work: list[tuple[dt.date, int, str, str | None, str | None, str | None]] = []
    for case_trigger, day, who, why in CASE_STEPS:
        work.append((day, len(work), case_trigger, None, who, why))
    for mid, reason in REOPENED.items():
        work.append((FOLLOW_UP, len(work), "reopen", mid, "市委巡察办", reason))
    # The ledger as the plan adopted it: built whole, then handed to the case (its lists are
    # the events' to change from then on: rf.add_problem, rf.add_measure).
    categories: list[rf.Category] = []
    for cid, title, problems in ledger():
        kept: list[rf.Problem] = []
        for problem, measures in problems:
            for m, plan in measures:
                department = m.responsibility.department if m.responsibility else None
                for day, trigger in plan:
                    work.append((day, len(work), trigger, m.id, department, None))
            kept.append(attrs.evolve(problem, measures=[m for m, _ in measures]))
        categories.append(rf.Category(cid, title, kept))
    handled = list(categories[1].problems)
    for clue, handling, handler in clues():
        handled.append(clue)
        for day, trigger in steps(handling):
            work.append((day, len(work), trigger, clue.id, handler, None))
    categories[1] = rf.Category(categories[1].id, categories[1].title, handled)
    case = attrs.evolve(case, categories=categories)
    # Fire in date order; on the same day, in the order declared above.
    for day, _, trigger, item, actor, note in sorted(work, key=lambda w: (w[0], w[1])):
        rf.fire(case, trigger, item=item, on=day, actor=actor, note=note)
    return case


def main(argv: list[str]) -> None:
    """Write the case to ``argv[0]`` (default: the bundled example)."""
    out = Path(argv[0]) if argv else DEFAULT_OUT
    case = build()
    # A file written from scratch: dumps_case gives its text. (save_case is for writing back a
    # case that was loaded: it checks the version on disk first; embed.py shows it.)
    out.write_text(rf.dumps_case(case), encoding="utf-8")
    print(f"{out}: {len(case.events)} events, the last on {case.last_event_on}; {case.state.value}")


if __name__ == "__main__":
    main(sys.argv[1:])
