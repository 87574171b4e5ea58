"""Benchmark: nothing quadratic. Each path that once was, timed at N and 2N; prints JSON.

    .venv/bin/python bench/growth.py [--size 4000] [--repeats 5]

For each path the work at size N and at 2N is timed in CPU time (``time.process_time``: other
processes on a shared machine do not count), the two sizes interleaved and repeated, the median
kept; ``growth`` is time(2N) / time(N): about 2 when the path is linear, about 4 when quadratic.
Target (issue 14): at most 2.3 for every path.

* ``guarded_walk``: N measures walked start → complete → submit under the xuncha preset's guards
  (each guard asked a measure's problem by scanning the ledger: quadratic);
* ``guarded_accept``: N submitted measures accepted by the inspecting office under the xuncha
  preset's guards (``acceptance.independent`` searched the whole log for who did the work on
  every ``accept``);
* ``refused_close``: N ``close`` refused by the guards on a case of N measures (the refusal
  named the measure's place by scanning the ledger);
* ``unknown_items``: N fires naming an item the case does not have, on a case of N measures
  (each miss rebuilt the whole id index);
* ``add_measure``: N measures added to one problem (the id index was rebuilt twice per call);
* ``load_added``: loading a case file whose problem has N added measures (its list was rebuilt
  once per replayed addition);
* ``notice_surrogates``: importing a notice of N lines, each with an undecodable character
  (lines were counted from the start of the text for each one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from lifecycle import Pools, build, case_sizes, draw

import rectflow
from rectflow import Case, Category, FuzzyDate, Measure, Problem, add_measure, fire
from rectflow.errors import RectflowError

TARGET_GROWTH = 2.3
DAY = dt.date(2021, 6, 1)


def one_case(measures: int, seed: int = 1) -> Case:
    """One case of ``measures`` measures: bench/lifecycle.py's cases merged into one ledger."""
    pools = Pools(random.Random(seed))
    parts = build(draw(case_sizes(measures), pools))
    case = parts[0]
    categories = list(case.categories)
    for number, part in enumerate(parts[1:], start=2):
        for category in part.categories:
            for problem in category.problems:
                rectflow._core.fields.force(problem, "id", f"{number}-{problem.id}")
                for measure in problem.measures:
                    rectflow._core.fields.force(measure, "id", f"{number}-{measure.id}")
            rectflow._core.fields.force(category, "id", f"{number}-{category.id}")
            categories.append(category)
    rectflow._core.fields.force(case, "categories", categories)
    case.reindex()
    return case


def _started(case: Case) -> dt.date:
    start = case.feedback_on.earliest if case.feedback_on is not None else DAY
    fire(case, "adopt_plan", on=start + dt.timedelta(days=20))
    fire(case, "start_centralised", on=start + dt.timedelta(days=21))
    return start


def guarded_walk(size: int) -> Callable[[], Any]:
    case = one_case(size)
    guards = rectflow.guards(rectflow.plugin_manager(load_entry_points=False), "xuncha")
    start = _started(case)
    ids = [m.id for m in case.measures()]

    def run() -> None:
        for step, trigger in enumerate(("start", "complete", "submit")):
            day = start + dt.timedelta(days=30 + 30 * step)
            for item in ids:
                fire(case, trigger, item=item, on=day, actor="办公室", guards=guards)

    return run


def guarded_accept(size: int) -> Callable[[], Any]:
    case = one_case(size)
    guards = rectflow.guards(rectflow.plugin_manager(load_entry_points=False), "xuncha")
    start = _started(case)
    ids = [m.id for m in case.measures()]
    for step, trigger in enumerate(("start", "complete", "submit")):
        for item in ids:
            on = start + dt.timedelta(days=30 + step)
            if trigger == "submit":  # evidence.close: an acceptance needs evidence on file
                proof = rectflow.Evidence(
                    f"{item} 整改报告", kind=rectflow.EvidenceKind.DOCUMENT, on=on
                )
                rectflow.add_evidence(case, item, proof, on=on, actor="办公室")
            fire(case, trigger, item=item, on=on, actor="办公室")
    day = start + dt.timedelta(days=60)

    def run() -> None:
        for item in ids:
            fire(case, "accept", item=item, on=day, actor="巡察办", guards=guards)

    return run


def refused_close(size: int) -> Callable[[], Any]:
    case = one_case(size)
    guards = rectflow.guards(rectflow.plugin_manager(load_entry_points=False), "xuncha")
    start = _started(case)
    ids = [m.id for m in case.measures()]
    for step, trigger in enumerate(("start", "complete")):
        for item in ids:
            fire(case, trigger, item=item, on=start + dt.timedelta(days=30 + step))
    day = start + dt.timedelta(days=60)

    def run() -> None:
        for item in ids:
            try:
                fire(case, "close", item=item, on=day, guards=guards)
            except rectflow.errors.TransitionNotAllowed:
                continue
            raise AssertionError("close was not refused under acceptance.required")

    return run


def unknown_items(size: int) -> Callable[[], Any]:
    case = one_case(size)
    start = _started(case)
    missing = [f"no-such-{n}" for n in range(size)]
    day = start + dt.timedelta(days=30)

    def run() -> None:
        for item in missing:
            try:
                fire(case, "start", item=item, on=day)
            except rectflow.errors.UnknownItemError:
                continue
            raise AssertionError("an unknown item was found")

    return run


def added_measures(size: int) -> Callable[[], Case]:
    case = Case(
        "growth",
        feedback_on=FuzzyDate.of(DAY),
        categories=[Category("1", "方面", [Problem("1.1", "问题", measures=[Measure("1.1.1")])])],
    )

    def run() -> Case:
        for n in range(size):
            add_measure(case, "1.1", Measure(f"1.1.{n + 2}", "措施"), on=DAY)
        return case

    return run


def load_added(size: int) -> Callable[[], Any]:
    text = rectflow.dumps_case(added_measures(size)())
    return lambda: rectflow.loads_case(text)


def notice_surrogates(size: int) -> Callable[[], Any]:
    line = "一、整改落实情况\udcff说明，已完成整改。\n"
    text = "关于巡察整改进展情况的通报\n" + line * size
    return lambda: rectflow.parse_notice(text)


PATHS: dict[str, Callable[[int], Callable[[], Any]]] = {
    "guarded_walk": guarded_walk,
    "guarded_accept": guarded_accept,
    "refused_close": refused_close,
    "unknown_items": unknown_items,
    "add_measure": added_measures,
    "load_added": load_added,
    "notice_surrogates": notice_surrogates,
}


def cpu(prepare: Callable[[int], Callable[[], Any]], size: int) -> float:
    run = prepare(size)  # set-up is not timed
    gc.collect()
    start = time.process_time()
    run()
    return time.process_time() - start


def growth(name: str, size: int, repeats: int) -> dict[str, Any]:
    prepare = PATHS[name]
    small: list[float] = []
    large: list[float] = []
    for _ in range(repeats):
        small.append(cpu(prepare, size))
        large.append(cpu(prepare, 2 * size))
    n, two_n = statistics.median(small), statistics.median(large)
    return {
        "n": size,
        "cpu_s_n": round(n, 4),
        "cpu_s_2n": round(two_n, 4),
        "growth": round(two_n / n, 2),
        "met": two_n / n <= TARGET_GROWTH,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4000, help="N (the larger size is 2N)")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds (median)")
    parser.add_argument("--only", nargs="*", choices=sorted(PATHS), help="these paths only")
    args = parser.parse_args(argv)
    if args.size < 1 or args.repeats < 1:
        parser.error("--size and --repeats must be at least 1")
    try:
        paths = {name: growth(name, args.size, args.repeats) for name in args.only or PATHS}
    except RectflowError as error:
        raise SystemExit(f"a path failed: {error}") from None
    figures = {
        "target_growth": TARGET_GROWTH,
        "paths": paths,
        "all_met": all(p["met"] for p in paths.values()),
        "environment": {
            "python": platform.python_version(),
            "rectflow": rectflow.__version__,
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
    }
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
