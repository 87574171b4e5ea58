"""Benchmark: the notice importer's speed at 10 KB, 1 MB and 10 MB; prints one JSON object.

    .venv/bin/python bench/notices.py [--repeat 3] [--seed 1]

Each notice is rendered by ``rectflow.render_notice`` from a synthetic case grown until its text
reaches the size: categories of problems (some with sub-problems, some key, extended or flagged as
reform items) and measures, with titles and measure texts varied from a vocabulary of ledger words
and every item state, and the dated preamble, contacts and signature of the genre. No seed text is
used. Each notice is parsed ``--repeat`` times (GC on, as in a host process) and the fastest run is
kept; the parse must give back the rendered case's public projection, so the figure is for a
correct import.

``adversarial`` times hostile notices (the shapes of tests/notices/test_notice_linear.py: long
runs of spaces after a heading, a comma and spaces before an unfinished lead, lone surrogates,
digits, brackets, bare headings, one huge line) at N and 2N in the same run, sizes interleaved,
fastest CPU time of ``--repeat`` kept, garbage collector paused: ``ratio`` is time(2N)/time(N),
near 2 for linear work and near 4 for quadratic; ``linear`` is true when every ratio is at most
2.5.

Figures per size: ``chars``, ``seconds``, ``chars_per_second``. ``linearity`` compares the time
per character of each size with that at 1 MB: a linear parser keeps the ratios near 1 (quadratic
work would make the 10 MB ratio near 10). ``linear`` is true when every ratio is within 0.5-2.
The same ratios with the garbage collector paused (``*_without_gc``) show the parser's own growth
apart from the collector's scans of the many objects a 10 MB ledger holds.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import sys
import time
from pathlib import Path

import rectflow
from rectflow import (
    Case,
    Category,
    Contact,
    ContactKind,
    Disclosure,
    FuzzyDate,
    Inspection,
    InspectionKind,
    ItemState,
    LeadingGroup,
    Measure,
    Period,
    Plan,
    Problem,
    ProblemKind,
)

SIZES = (("10KB", 10_000), ("1MB", 1_000_000), ("10MB", 10_000_000))

_SUBJECTS = ("学习制度", "议事决策", "采购管理", "财务报销", "档案管理", "干部选任", "意识形态",
             "医德医风", "合同管理", "党支部建设", "纪律作风", "专项资金")  # fmt: skip
_FAULTS = ("执行不严格", "落实不到位", "不够规范", "存在薄弱环节", "监督不够有力", "推进缓慢")
_ACTIONS = ("修订", "完善", "建立", "督促落实", "开展专项检查", "组织集中学习", "细化")
_OBJECTS = ("管理办法", "工作台账", "责任清单", "审批流程", "考核细则", "培训计划", "监督机制")
_TAILS = ("，每季度检查一次", "，纳入年度考核", "，形成长效机制", "，全院覆盖", "")


def _case(problem_count: int, rng: random.Random) -> Case:
    """A disclosed case of ``problem_count`` problems in categories of about twelve."""
    states = list(ItemState)
    categories: list[Category] = []
    made = 0
    while made < problem_count:
        number = len(categories) + 1
        problems: list[Problem] = []
        root: str | None = None
        for index in range(1, min(12, problem_count - made) + 1):
            pid = f"{number}.{index}"
            is_child = root is not None and rng.random() < 0.4
            kind = rng.choice((ProblemKind.SPECIFIC, ProblemKind.SPECIFIC, ProblemKind.KEY,
                               ProblemKind.EXTENDED))  # fmt: skip
            measures = []
            for m in range(1, rng.randint(0, 5) + 1):
                state = rng.choice(states)
                text = (
                    f"{rng.choice(_ACTIONS)}{rng.choice(_SUBJECTS)}{rng.choice(_OBJECTS)}"
                    f"{rng.choice(_TAILS)}"
                )
                measures.append(Measure(f"{pid}.{m}", text, state=state, initial_state=state))
            state = rng.choice(states)
            problems.append(
                Problem(
                    pid,
                    f"{rng.choice(_SUBJECTS)}{rng.choice(_FAULTS)}",
                    kind,
                    state=state,
                    initial_state=state,
                    parent=root if is_child else None,
                    measures=measures,
                    tags=("reform",) if rng.random() < 0.1 else (),
                )
            )
            if not is_child:
                root = pid
        made += len(problems)
        categories.append(Category(str(number), f"关于{rng.choice(_SUBJECTS)}方面", problems))
    return Case(
        "bench",
        "中共某某医院委员会",
        Inspection(
            InspectionKind.XUNCHA,
            "市委",
            "市委第二巡察组",
            "八届市委第四轮",
            Period(FuzzyDate(2023, 9, 8), FuzzyDate(2023, 12, 27)),
        ),
        feedback_on=FuzzyDate(2024, 3, 28),
        plan=Plan(FuzzyDate(2024, 4, 20), "巡察整改工作方案"),
        leading_group=LeadingGroup("巡察整改工作领导小组"),
        centralised=Period(FuzzyDate(2024, 4, 20), FuzzyDate(2024, 7, 20)),
        disclosures=[
            Disclosure(
                published_on=FuzzyDate(2025, 4, 7),
                public_period=Period(FuzzyDate(2025, 4, 7), FuzzyDate(2025, 5, 6)),
                contacts=[
                    Contact(ContactKind.PHONE, "0000-1234567"),
                    Contact(ContactKind.EMAIL, "office@example.org"),
                ],
            )
        ],
        categories=categories,
    )


def _notice(size: int, rng: random.Random) -> tuple[Case, str]:
    """A rendered notice of at least ``size`` characters, and its case."""
    problems = 4
    while True:
        case = _case(problems, rng)
        text = rectflow.render_notice(case)
        if len(text) >= size:
            return case, text
        # Grow in proportion (a little over), so a few renders reach any size.
        problems = max(problems + 1, int(problems * size / len(text) * 1.05))


def _time(text: str, repeat: int, *, collector: bool = True) -> tuple[float, rectflow.ParseResult]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        gc.collect()
        if not collector:
            gc.disable()
        try:
            start = time.perf_counter()
            result = rectflow.parse_notice(text)
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    assert result is not None
    return best, result


def _adversarial(repeat: int) -> dict[str, object]:
    """The same-run ratio time(2N)/time(N) of each hostile shape of the linearity test."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "notices"))
    import test_notice_linear as hostile  # the test's own shapes, not a copy of them

    shapes = {**hostile.HOSTILE, "extended items in one line":
              (hostile.extended_items_in_one_line, 600_000)}  # fmt: skip
    figures = {}
    for name, (make, size) in shapes.items():
        small, large = make(size), make(2 * size)
        best_small = best_large = float("inf")
        for _ in range(repeat):
            best_small = min(best_small, hostile.cpu_seconds(small))
            best_large = min(best_large, hostile.cpu_seconds(large))
        figures[name] = {
            "n": size,
            "seconds_n": round(best_small, 4),
            "seconds_2n": round(best_large, 4),
            "ratio": round(best_large / best_small, 2),
        }
    return {
        "shapes": figures,
        "linear": all(f["ratio"] <= hostile.LIMIT for f in figures.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="parses per size; fastest kept")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic ledger")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    sizes = []
    for label, size in SIZES:
        case, text = _notice(size, rng)
        seconds, result = _time(text, args.repeat)
        # The parser's own growth, without the collector's scans of the objects it has built.
        seconds_no_gc, _ = _time(text, args.repeat, collector=False)
        if result.case != rectflow.public_projection(case) or result.unread:
            print(f"{label}: the parse did not give back the rendered case", file=sys.stderr)
            return 1
        sizes.append(
            {
                "size": label,
                "chars": len(text),
                "problems": sum(1 for _ in case.problems()),
                "measures": sum(1 for _ in case.measures()),
                "seconds": round(seconds, 4),
                "chars_per_second": round(len(text) / seconds),
                "seconds_without_gc": round(seconds_no_gc, 4),
            }
        )
    per_char_1mb = sizes[1]["seconds"] / sizes[1]["chars"]
    ratios = {s["size"]: round((s["seconds"] / s["chars"]) / per_char_1mb, 2) for s in sizes}
    per_char_1mb_no_gc = sizes[1]["seconds_without_gc"] / sizes[1]["chars"]
    ratios_no_gc = {
        s["size"]: round((s["seconds_without_gc"] / s["chars"]) / per_char_1mb_no_gc, 2)
        for s in sizes
    }
    report = {
        "benchmark": "notice import (rectflow.parse_notice)",
        "python": platform.python_version(),
        "repeat": args.repeat,
        "sizes": sizes,
        "linearity": {
            "time_per_char_vs_1MB": ratios,
            "time_per_char_vs_1MB_without_gc": ratios_no_gc,
        },
        "linear": all(0.5 <= r <= 2 for r in ratios.values()),
        "adversarial": _adversarial(args.repeat),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
