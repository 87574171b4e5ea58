"""Benchmark: build, fire, replay, memory and case files at ledger scale; prints one JSON object.

    .venv/bin/python bench/lifecycle.py --measures 500000 [--sample-cases 20] [--seed 1]

A synthetic ledger of ``N`` measures (250 per case: 5 categories x 10 problems x 5 measures, each
measure with a responsible leader, department and person and a due date) is built, then every
measure is walked through five events with the public ``rectflow.fire``:

    start -> mark_basically_completed -> complete -> close (销号) -> reopen (反弹回潮)

which visits every item state but ``long_term`` and ends with the review's way back, the path that
tests most of the lifecycle; each case also gets four case events (plan, centralised, report,
disclosure). Then every case's log is replayed from its initial states.

Figures (all from the same run):

* ``build_*``: building the ledger's objects from field values drawn beforehand (as a loader has
  them after parsing); nothing per item for the machines.
* ``fire_*``: every event through ``rectflow.fire`` (lookup, guard-free transition, event append).
* ``replay_*``: ``replay_in_place`` on every case (what loading a case file does).
* ``bytes_per_measure``: a second build and walk of the same ledger under ``tracemalloc``, all-in
  (cases, problems, measures, responsibilities, states, events, the id index), divided by the
  number of measures. Repeated strings and dates come from shared pools, as a loader interning
  them would share them; texts and ids are one string per item.
* ``toml_*`` vs ``raw_*``: ``save_case`` / ``load_case`` on a sample of cases against raw
  ``tomli_w.dumps`` / ``tomllib.loads`` of the very same documents (the unstructured case and the
  saved file), interleaved and repeated, the median kept for each. ``toml_dump_s`` is the whole
  durable save (version check under a lock, temporary file, fsync, rename, folder fsync);
  ``toml_dump_encode_s`` is its in-memory part alone (``dumps_case``), to show what the disk adds.
* ``naive_transitions_*``: the textbook alternative on a 10,000-item sample: one
  ``transitions.Machine`` per item, fired through its bound trigger methods; bytes are the machine
  and its model per item, domain data not included.

* ``walk_ratio``, ``fire_ratio``, ``build_ratio``: the walk against the same walk on plain attrs
  objects with a dict table and a tuple log (issue 14), in ``--walk-rounds`` rounds interleaved
  with the baseline's (B R B R … B); each round is paired with the mean of the baseline rounds
  beside it, and the median of the paired ratios is given (each round's under ``walk_rounds``):
  on a shared machine one unpaired run can land anywhere in a wide band.

GC stays on, as in a host process. Targets (issue 2) are reported under ``targets``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import tomllib
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import tomli_w
import transitions

import rectflow
from rectflow import (
    ITEM_LIFECYCLE,
    Case,
    Category,
    FuzzyDate,
    Inspection,
    InspectionKind,
    Measure,
    Plan,
    Problem,
    Responsibility,
    fire,
)
from rectflow._casefile.files import dumps_case, load_case, save_case, unstructure_case
from rectflow._core.lifecycle import replay_in_place

CATEGORIES, PROBLEMS, MEASURES = 5, 10, 5
PER_CASE = CATEGORIES * PROBLEMS * MEASURES
WALK = ("start", "mark_basically_completed", "complete", "close", "reopen")
WALK_ROUNDS = 3
CASE_WALK = ("adopt_plan", "start_centralised", "submit_report", "disclose")
NAIVE_ITEMS = 10_000
TARGETS = {
    "build_us_per_measure": 5.0,
    "fire_us_per_event": 8.0,
    "replay_us_per_event": 1.0,
    "bytes_per_measure": 2048.0,
    "load_ratio": 1.5,
    "dump_ratio": 1.5,
}

# Issue 14: the walk (build + fires) and the fires alone against the plain baseline, in CPU time
# of the same run; a fire under the xuncha preset's guards against an unguarded one.
TARGETS_ISSUE14 = {
    "walk_ratio": 1.5,
    "fire_ratio": 2.0,
    "guarded_ratio": 2.0,
    "bytes_per_measure": 1200.0,
}
GUARDED_CASES = 20
GUARDED_WALK = ("start", "mark_basically_completed", "complete", "submit")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
DEPARTMENTS = (
    "党委办公室", "组织部", "宣传部", "纪委办公室", "人事处", "财务处", "审计处", "后勤保障处",
    "医务部", "护理部", "信息中心", "采购中心", "基建办", "工会", "团委", "科研处",
    "教学办", "质控办", "院感办", "保卫处", "设备处", "药学部", "门诊部", "资产管理处",
)  # fmt: skip
VERBS = ("建立健全", "严格落实", "深入开展", "全面梳理", "持续完善", "规范", "加强", "强化")
TOPICS = (
    "三重一大决策制度", "党委理论学习中心组学习", "意识形态工作责任制", "选人用人工作",
    "基层党组织建设", "中央八项规定精神", "医药购销领域廉洁风险防控", "财务报销审核",
    "物资采购招标管理", "干部人事档案审核", "巡察整改台账", "专项资金使用管理",
)  # fmt: skip
TITLES = (
    "学习贯彻不够深入", "主体责任落实不到位", "制度执行不严格", "监督检查不够有力",
    "作风建设有差距", "廉洁风险防控存在薄弱环节", "选人用人不够规范", "基层党建存在短板",
)  # fmt: skip


class Pools:
    """Shared strings and dates: one object per distinct value, as an interning loader keeps."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.leaders = [s + g for s in SURNAMES[:6] for g in GIVEN[:4]]
        self.persons = [s + g + h for s in SURNAMES for g in GIVEN[:8] for h in GIVEN[8:12]]
        self.departments = list(DEPARTMENTS)
        self.base = dt.date(2021, 3, 1)
        self.days = [self.base + dt.timedelta(days=n) for n in range(1500)]

    def day(self, offset: int) -> dt.date:
        return self.days[offset]


# A measure as a loader has it after parsing: id, text, leader, department, person, due date.
# Rows nest tuples only, so that the garbage collector soon stops tracking them and the build
# is timed against a heap that holds the ledger alone.
MeasureRow = tuple[str, str, str, str, str, dt.date]
ProblemRow = tuple[str, str, tuple[MeasureRow, ...]]
CategoryRow = tuple[str, str, tuple[ProblemRow, ...]]
CaseRow = tuple[str, str, str, str, dt.date, dt.date, tuple[CategoryRow, ...]]


def draw_case(n: int, measures: int, pools: Pools) -> CaseRow:
    """The field values of case ``n`` with ``measures`` measures (250 in a full case).

    Drawing them is kept apart from building the objects, so ``build_s`` times what a loader
    does with parsed values, not the random generator.
    """
    rng = pools.rng
    feedback = rng.randrange(0, 300)
    categories: list[CategoryRow] = []
    made = 0
    for k in range(1, CATEGORIES + 1):
        problems: list[ProblemRow] = []
        for p in range(1, PROBLEMS + 1):
            if made >= measures:
                break
            items: list[MeasureRow] = []
            for m in range(1, MEASURES + 1):
                if made >= measures:
                    break
                made += 1
                items.append(
                    (
                        f"{k}.{p}.{m}",
                        f"{rng.choice(VERBS)}{rng.choice(TOPICS)}，第{n}-{k}.{p}.{m}项整改措施",
                        rng.choice(pools.leaders),
                        rng.choice(pools.departments),
                        rng.choice(pools.persons),
                        pools.day(feedback + rng.randrange(30, 400)),
                    )
                )
            problems.append((f"{k}.{p}", rng.choice(TITLES), tuple(items)))
        categories.append((str(k), f"第{k}方面", tuple(problems)))
    return (
        f"bench-{n:05d}",
        f"第{n}号被巡察单位党委",
        f"市委第{n % 8 + 1}巡察组",
        f"第{n % 4 + 1}轮",
        pools.day(feedback),
        pools.day(feedback + 20),
        tuple(categories),
    )


def build_case(row: CaseRow) -> Case:
    """The case, its inspection, plan and ledger, built from its field values."""
    case_id, body, team, round_, feedback, plan_on, categories = row
    return Case(
        case_id,
        inspected_body=body,
        inspection=Inspection(InspectionKind.XUNCHA, "市委", team, round_),
        feedback_on=FuzzyDate.of(feedback),
        plan=Plan(FuzzyDate.of(plan_on), "巡察反馈意见整改方案"),
        categories=[
            Category(
                category_id,
                title,
                [
                    Problem(
                        problem_id,
                        problem_title,
                        measures=[
                            Measure(
                                measure_id, text, Responsibility(leader, department, person), due
                            )
                            for measure_id, text, leader, department, person, due in measures
                        ],
                    )
                    for problem_id, problem_title, measures in problems
                ],
            )
            for category_id, title, problems in categories
        ],
    )


def case_sizes(measures: int) -> list[int]:
    """Full cases of 250 measures, and a smaller last one for the remainder."""
    sizes = [PER_CASE] * (measures // PER_CASE)
    if measures % PER_CASE:
        sizes.append(measures % PER_CASE)
    return sizes


def draw(sizes: list[int], pools: Pools) -> list[CaseRow]:
    return [draw_case(n, size, pools) for n, size in enumerate(sizes)]


def build(rows: list[CaseRow]) -> list[Case]:
    return [build_case(row) for row in rows]


def walk(cases: list[Case], pools: Pools) -> int:
    """Fire the case and measure walks on every case; returns the number of events."""
    fired = 0
    for case in cases:
        start = case.feedback_on.earliest if case.feedback_on else pools.base
        offset = (start - pools.base).days
        ids = [m.id for m in case.measures()]
        for step, trigger in enumerate(CASE_WALK[:2]):
            fire(case, trigger, on=pools.day(offset + 20 + step), actor="市委巡察办")
        for step, trigger in enumerate(WALK):
            day = pools.day(offset + 30 + 60 * step)
            actor = pools.departments[step]
            for item in ids:
                fire(case, trigger, item=item, on=day, actor=actor)
        for step, trigger in enumerate(CASE_WALK[2:]):
            fire(case, trigger, on=pools.day(offset + 400 + step), actor="市委巡察办")
        fired += len(case.events)
    return fired


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


class Clocks:
    """Wall, CPU and garbage-collector time of one phase.

    Wall time is the figure; CPU time and the collector's share say how much of it other
    processes on the machine and CPython's cyclic GC (which walks every live container object)
    account for.
    """

    def __init__(self) -> None:
        self.gc_s = 0.0
        self._gc_started = 0.0

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_s += time.perf_counter() - self._gc_started

    def run(self, function: Callable[[], Any]) -> tuple[float, float, Any]:
        gc.callbacks.append(self._on_gc)
        try:
            cpu = time.process_time()
            wall, result = timed(function)
            cpu = time.process_time() - cpu
        finally:
            gc.callbacks.remove(self._on_gc)
        return wall, cpu, result


def traced_bytes(function: Callable[[], Any]) -> tuple[int, Any]:
    """Bytes still allocated after ``function`` returns (its result kept alive)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = function()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before, result


# -- the naive alternative ---------------------------------------------------------------------


class NaiveItem:
    """A model object for one transitions Machine per item (the textbook pattern)."""

    def __init__(self, measure: Measure) -> None:
        self.measure = measure


def naive_machine(model: NaiveItem) -> transitions.Machine:
    return transitions.Machine(
        model=model,
        states=[s.value for s in ITEM_LIFECYCLE.states],
        transitions=[
            {"trigger": t, "source": [s.value for s in sources], "dest": d.value}
            for t, sources, d in ITEM_LIFECYCLE.transitions
        ],
        initial=ITEM_LIFECYCLE.initial.value,
        auto_transitions=False,
    )


def naive(sample: list[Measure]) -> dict[str, float]:
    models = [NaiveItem(m) for m in sample]
    build_s, machines = timed(lambda: [naive_machine(model) for model in models])

    def fire_all() -> None:
        for model in models:
            for trigger in WALK:
                getattr(model, trigger)()

    fire_s, _ = timed(fire_all)
    if any(model.state != "reopened" for model in models):  # type: ignore[attr-defined]
        raise AssertionError("the naive walk did not end in reopened")
    machines.clear()
    fresh = [NaiveItem(m) for m in sample]
    size, kept = traced_bytes(lambda: [naive_machine(model) for model in fresh])
    kept.clear()
    return {
        "naive_items": len(sample),
        "naive_transitions_build_us_per_item": build_s / len(sample) * 1e6,
        "naive_transitions_fire_us_per_event": fire_s / (len(sample) * len(WALK)) * 1e6,
        "naive_transitions_bytes_per_item": size / len(sample),
    }


# -- the baseline: plain attrs objects, a dict table, a tuple log ------------------------------


def _plain(cls: type) -> type:
    """A plain attrs class with the same fields as ``cls`` and their defaults: no checks, no
    converters, no owned fields, no hooks."""
    fields: dict[str, Any] = {}
    for field in attrs.fields(cls):
        name = field.name.lstrip("_")
        if not field.init:
            fields[name] = attrs.field(default=field.default, init=False)
        elif field.default is attrs.NOTHING:
            fields[name] = attrs.field()
        else:
            fields[name] = attrs.field(default=field.default)
    return attrs.make_class(f"Plain{cls.__name__}", fields, slots=True, eq=False)


PlainCase = _plain(Case)
PlainCategory = _plain(Category)
PlainProblem = _plain(Problem)
PlainMeasure = _plain(Measure)
PlainResponsibility = _plain(Responsibility)
PlainInspection = _plain(Inspection)
PlainPlan = _plain(Plan)
PlainFuzzyDate = _plain(FuzzyDate)
PLAIN_ITEM_TABLE = {
    (source.value, trigger): dest.value
    for trigger, sources, dest in ITEM_LIFECYCLE.transitions
    for source in sources
}
PLAIN_CASE_TABLE = {
    (source.value, trigger): dest.value
    for trigger, sources, dest in rectflow.CASE_LIFECYCLE.transitions
    for source in sources
}


def plain_build_case(row: CaseRow) -> Any:
    """``build_case`` on the plain classes: the same objects, the same fields, no checks."""
    case_id, body, team, round_, feedback, plan_on, categories = row
    return PlainCase(
        case_id,
        inspected_body=body,
        inspection=PlainInspection("xuncha", "市委", team, round_),
        feedback_on=PlainFuzzyDate(feedback.year, feedback.month, feedback.day),
        plan=PlainPlan(
            PlainFuzzyDate(plan_on.year, plan_on.month, plan_on.day), "巡察反馈意见整改方案"
        ),
        categories=[
            PlainCategory(
                category_id,
                title,
                [
                    PlainProblem(
                        problem_id,
                        problem_title,
                        measures=[
                            PlainMeasure(
                                measure_id,
                                text,
                                PlainResponsibility(leader, department, person),
                                due,
                                state="open",
                            )
                            for measure_id, text, leader, department, person, due in measures
                        ],
                        state="open",
                    )
                    for problem_id, problem_title, measures in problems
                ],
            )
            for category_id, title, problems in categories
        ],
        state="feedback_received",
        events=[],
    )


def plain_fire(
    case: Any, trigger: str, *, item: str | None = None, on: dt.date, actor: str | None = None
) -> tuple[Any, ...]:
    """Fire on a plain case: the dict table says where to go, a tuple joins the log."""
    if item is None:
        target, table = case, PLAIN_CASE_TABLE
    else:
        index = case.index
        if index is None:
            index = case.index = {}
            for category in case.categories:
                for problem in category.problems:
                    index[problem.id] = problem
                    for measure in problem.measures:
                        index[measure.id] = measure
        target, table = index[item], PLAIN_ITEM_TABLE
    dest = table.get((target.state, trigger))
    if dest is None:
        raise ValueError(f"{trigger} is not allowed in {target.state}")
    target.state = dest
    row = (len(case.events) + 1, trigger, item or "case", on, actor, None, None, ())
    case.events.append(row)
    return row


def plain_walk(cases: list[Any], pools: Pools) -> int:
    """``walk`` on the plain cases."""
    fired = 0
    for case in cases:
        start = dt.date(case.feedback_on.year, case.feedback_on.month, case.feedback_on.day)
        offset = (start - pools.base).days
        ids = [m.id for c in case.categories for p in c.problems for m in p.measures]
        for step, trigger in enumerate(CASE_WALK[:2]):
            plain_fire(case, trigger, on=pools.day(offset + 20 + step), actor="市委巡察办")
        for step, trigger in enumerate(WALK):
            day = pools.day(offset + 30 + 60 * step)
            actor = pools.departments[step]
            for item in ids:
                plain_fire(case, trigger, item=item, on=day, actor=actor)
        for step, trigger in enumerate(CASE_WALK[2:]):
            plain_fire(case, trigger, on=pools.day(offset + 400 + step), actor="市委巡察办")
        fired += len(case.events)
    return fired


def plain_figures(sizes: list[int], seed: int) -> tuple[float, float]:
    """The baseline's build and fire CPU seconds on the same ledger (drawn from the same seed),
    the collector on, as for rectflow."""
    pools = Pools(random.Random(seed))
    rows = draw(sizes, pools)
    gc.collect()
    build_clocks, fire_clocks = Clocks(), Clocks()
    _, build_cpu_s, cases = build_clocks.run(lambda: [plain_build_case(row) for row in rows])
    rows.clear()
    _, fire_cpu_s, _ = fire_clocks.run(lambda: plain_walk(cases, pools))
    if any(
        m.state != "reopened" for c in cases for k in c.categories for p in k.problems
        for m in p.measures
    ):  # fmt: skip
        raise AssertionError("the baseline walk did not end in reopened")
    cases.clear()
    gc.collect()
    return build_cpu_s, fire_cpu_s


def guarded_walk(cases: list[Case], pools: Pools, guards: list[rectflow.Guard]) -> int:
    """The acceptance walk (start → … → submit, which the xuncha preset allows) on every case,
    through ``fire(..., guards=guards)``; returns the number of item events."""
    fired = 0
    for case in cases:
        start = case.feedback_on.earliest if case.feedback_on else pools.base
        offset = (start - pools.base).days
        for step, trigger in enumerate(CASE_WALK[:2]):
            fire(case, trigger, on=pools.day(offset + 20 + step), actor="市委巡察办")
        ids = [m.id for m in case.measures()]
        for step, trigger in enumerate(GUARDED_WALK):
            day = pools.day(offset + 30 + 60 * step)
            for item in ids:
                fire(case, trigger, item=item, on=day, actor="党委办公室", guards=guards)
        fired += len(ids) * len(GUARDED_WALK)
    return fired


def guarded_figures(n_cases: int, seed: int, repeats: int) -> dict[str, float]:
    """CPU µs per item fire with the xuncha preset's guards (rectflow's own checks, no
    third-party plugin) and without, interleaved over ``repeats`` rounds, medians."""
    guards = rectflow.guards(rectflow.plugin_manager(load_entry_points=False), "xuncha")
    with_guards: list[float] = []
    without: list[float] = []
    fired = 0
    for _ in range(repeats):
        for chosen, times in ((guards, with_guards), ([], without)):
            pools = Pools(random.Random(seed))
            cases = build(draw([PER_CASE] * n_cases, pools))
            gc.collect()
            start = time.process_time()
            fired = guarded_walk(cases, pools, chosen)
            times.append(time.process_time() - start)
    guarded_us = statistics.median(with_guards) / fired * 1e6
    unguarded_us = statistics.median(without) / fired * 1e6
    return {
        "guarded_fire_us": guarded_us,
        "unguarded_fire_us": unguarded_us,
        "guarded_ratio": guarded_us / unguarded_us,
    }


# -- case files --------------------------------------------------------------------------------


def read_and_parse(path: Path) -> dict[str, Any]:
    """What ``load_case`` does before its own work: read the file, parse the TOML."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def evenly(cases: list[Case], k: int) -> list[Case]:
    step = max(1, len(cases) // max(1, k))
    return cases[::step][:k]


def toml_figures(sample: list[Case], repeats: int) -> dict[str, float]:
    """Median over ``repeats`` interleaved rounds of ours vs raw, summed over the sample.

    The first round creates each file; later rounds save over it, as a host saving a changed
    case does (``save_case`` checks the version on disk under a lock, then writes atomically).
    """
    ours_dump: list[float] = []
    encode: list[float] = []
    raw_dump: list[float] = []
    ours_load: list[float] = []
    raw_load: list[float] = []
    for case in sample:
        case.version = 0  # new files in a new folder
    with tempfile.TemporaryDirectory(prefix="rectflow-bench-") as folder:
        paths = [Path(folder) / f"{case.id}.toml" for case in sample]
        docs = [unstructure_case(case) for case in sample]
        size = 0
        for _ in range(repeats):
            dump = enc = raw = load = raw_l = 0.0
            for case, doc, path in zip(sample, docs, paths, strict=True):
                dump += timed(functools.partial(save_case, case, path))[0]
                enc += timed(functools.partial(dumps_case, case))[0]
                raw += timed(functools.partial(tomli_w.dumps, doc))[0]
                load += timed(functools.partial(load_case, path))[0]
                raw_l += timed(functools.partial(read_and_parse, path))[0]
            ours_dump.append(dump)
            encode.append(enc)
            raw_dump.append(raw)
            ours_load.append(load)
            raw_load.append(raw_l)
        for case, path in zip(sample, paths, strict=True):
            size += path.stat().st_size
            if load_case(path) != case:
                raise AssertionError(f"{path.name} does not load back as the case it saved")
    dump_s, raw_dump_s = statistics.median(ours_dump), statistics.median(raw_dump)
    load_s, raw_load_s = statistics.median(ours_load), statistics.median(raw_load)
    return {
        "toml_sample_cases": len(sample),
        "toml_sample_bytes": size,
        "toml_dump_s": dump_s,
        "toml_dump_encode_s": statistics.median(encode),
        "toml_load_s": load_s,
        "raw_tomli_w_dump_s": raw_dump_s,
        "raw_tomllib_load_s": raw_load_s,
        "dump_ratio": dump_s / raw_dump_s,
        "load_ratio": load_s / raw_load_s,
    }


def measures_of(cases: list[Case]) -> Iterator[Measure]:
    for case in cases:
        yield from case.measures()


def run(
    measures: int,
    sample_cases: int,
    seed: int,
    repeats: int,
    naive_items: int = NAIVE_ITEMS,
    walk_rounds: int = WALK_ROUNDS,
) -> dict[str, Any]:
    began = time.perf_counter()
    sizes = case_sizes(measures)
    # The walk and its baseline, interleaved: B R B R … B. Each rectflow round is divided by the
    # mean of the baseline rounds on either side of it (load that drifts during the run weighs on
    # both alike), and the median of those paired ratios is the figure; the timings kept are the
    # medians of the rounds. Each round, rectflow's and the baseline's, starts from the same heap:
    # nothing of an earlier round alive.
    baselines = [plain_figures(sizes, seed)]
    walked: list[dict[str, float]] = []
    cases: list[Case] = []
    for _ in range(walk_rounds):
        pools = Pools(random.Random(seed))
        rows = draw(sizes, pools)
        gc.collect()  # settle the heap: the drawn rows are tuples the collector then stops tracking
        build_clocks, fire_clocks = Clocks(), Clocks()
        build_s, build_cpu_s, built = build_clocks.run(lambda: build(rows))  # noqa: B023
        rows.clear()
        cases.extend(built)
        del built
        fire_s, fire_cpu_s, fires = fire_clocks.run(lambda: walk(cases, pools))  # noqa: B023
        walked.append(
            {
                "build_s": build_s,
                "build_cpu_s": build_cpu_s,
                "build_gc_s": build_clocks.gc_s,
                "fire_s": fire_s,
                "fire_cpu_s": fire_cpu_s,
                "fire_gc_s": fire_clocks.gc_s,
            }
        )
        # the next baseline runs with nothing of this round alive, as the first one did (a live
        # ledger would weigh on its collector's full passes)
        cases.clear()
        gc.collect()
        baselines.append(plain_figures(sizes, seed))
    paired = []
    for index, round_ in enumerate(walked):
        plain_build = (baselines[index][0] + baselines[index + 1][0]) / 2
        plain_fire = (baselines[index][1] + baselines[index + 1][1]) / 2
        paired.append(
            {
                "walk_ratio": (round_["build_cpu_s"] + round_["fire_cpu_s"])
                / (plain_build + plain_fire),
                "fire_ratio": round_["fire_cpu_s"] / plain_fire,
                "build_ratio": round_["build_cpu_s"] / plain_build,
            }
        )
    timing = {name: statistics.median(r[name] for r in walked) for name in walked[0]}
    # The figures that follow take a ledger built and walked again, untimed.
    pools = Pools(random.Random(seed))
    cases.extend(build(draw(sizes, pools)))
    walk(cases, pools)
    build_s, build_cpu_s, fire_s, fire_cpu_s = (
        timing["build_s"],
        timing["build_cpu_s"],
        timing["fire_s"],
        timing["fire_cpu_s"],
    )

    def replay_all() -> None:
        for case in cases:
            replay_in_place(case)

    replay_s, _ = timed(replay_all)
    if any(m.state != "reopened" for m in measures_of(cases)):
        raise AssertionError("replay did not bring every measure back to reopened")
    sample = evenly(cases, sample_cases)
    files = toml_figures(sample, repeats)
    guarded = guarded_figures(min(len(sizes), GUARDED_CASES), seed, repeats)
    naive_sample = [m for _, m in zip(range(naive_items), measures_of(cases), strict=False)]
    naive_figures = naive(naive_sample)
    cases.clear()  # free the timed ledger before the traced one is built
    naive_sample.clear()
    sample.clear()
    gc.collect()
    plain_build_s = statistics.median(b for b, _ in baselines)
    plain_fire_s = statistics.median(f for _, f in baselines)

    # Memory: the same ledger again, built and walked under tracemalloc (timings above are
    # taken without it, since tracing slows every allocation).
    memory_pools = Pools(random.Random(seed))
    size, kept = traced_bytes(lambda: walk_built(sizes, memory_pools))
    kept.clear()

    figures: dict[str, Any] = {
        "measures": measures,
        "cases": len(sizes),
        "problems": sum((s + MEASURES - 1) // MEASURES for s in sizes),
        "build_s": build_s,
        "build_us_per_measure": build_s / measures * 1e6,
        "build_cpu_s": build_cpu_s,
        "build_gc_s": timing["build_gc_s"],
        "fires": fires,
        "fire_s": fire_s,
        "fire_us_per_event": fire_s / fires * 1e6,
        "fire_cpu_s": fire_cpu_s,
        "fire_gc_s": timing["fire_gc_s"],
        "replay_s": replay_s,
        "replay_us_per_event": replay_s / fires * 1e6,
        "bytes_per_measure": size / measures,
        "events_per_measure": len(WALK),
        **files,
        **naive_figures,
        "baseline_build_cpu_s": plain_build_s,
        "baseline_fire_cpu_s": plain_fire_s,
        # medians of the ratios paired per round (each round beside the baselines around it)
        "walk_ratio": statistics.median(r["walk_ratio"] for r in paired),
        "fire_ratio": statistics.median(r["fire_ratio"] for r in paired),
        "build_ratio": statistics.median(r["build_ratio"] for r in paired),
        "walk_rounds": [{name: round(value, 3) for name, value in r.items()} for r in paired],
        **guarded,
    }
    figures["targets"] = {
        name: {"target": limit, "value": round(figures[name], 3), "met": figures[name] <= limit}
        for name, limit in TARGETS.items()
    }
    figures["targets_issue14"] = {
        name: {"target": limit, "value": round(figures[name], 3), "met": figures[name] <= limit}
        for name, limit in TARGETS_ISSUE14.items()
    }
    figures["environment"] = {
        "python": platform.python_version(),
        "rectflow": rectflow.__version__,
        "transitions": transitions.__version__,
        "cpus": os.cpu_count(),
        "seed": seed,
        "toml_repeats": repeats,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    figures["total_s"] = time.perf_counter() - began
    return figures


def walk_built(sizes: list[int], pools: Pools) -> list[Case]:
    # Drawn, built and walked inside the traced call, so every string the ledger keeps is
    # counted; the drawn rows themselves are garbage once this returns.
    cases = build(draw(sizes, pools))
    walk(cases, pools)
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=500_000, help="ledger size (measures)")
    parser.add_argument(
        "--sample-cases", type=int, default=20, help="cases saved and loaded as TOML files"
    )
    parser.add_argument("--repeats", type=int, default=3, help="rounds of the TOML timings")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic ledger")
    parser.add_argument(
        "--walk-rounds",
        type=int,
        default=WALK_ROUNDS,
        help="rounds of the walk, each between two runs of the baseline (median of the ratios)",
    )
    parser.add_argument(
        "--naive-items", type=int, default=NAIVE_ITEMS, help="items of the one-Machine-per-item run"
    )
    args = parser.parse_args(argv)
    if min(args.measures, args.sample_cases, args.repeats, args.naive_items, args.walk_rounds) < 1:
        parser.error(
            "--measures, --sample-cases, --repeats, --naive-items and --walk-rounds must be at"
            " least 1"
        )
    figures = run(
        args.measures,
        args.sample_cases,
        args.seed,
        args.repeats,
        args.naive_items,
        args.walk_rounds,
    )
    json.dump(
        {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()},
        sys.stdout,
        ensure_ascii=False,
        indent=2,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
