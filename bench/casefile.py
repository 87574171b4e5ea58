"""Benchmark: big case files through ``rectflow status``; prints one JSON object.

    .venv/bin/python bench/casefile.py [--sizes 10000 50000] [--repeats 3]

For each size a single case of that many measures (bench/lifecycle.py's ledger: 5 measures per
problem, 10 problems per category, each measure with a responsible leader, department and person
and a due date) is walked through bench/lifecycle.py's five events per measure and saved as one
case file. Then, interleaved and repeated (the median kept):

* ``status_s``: what ``rectflow status FILE`` does, in process (read, parse, build the case,
  replay and check its log, compute the status), in CPU time;
* ``parse_s``: reading and parsing the same file with the parser rectflow uses (the compiled
  ``tomli`` when the ``fast`` extra is installed, else ``tomllib``): the same-run baseline;
* ``convert_s``: ``structure_located`` alone on the parsed document (the model conversion,
  replay and checks): issue 14 wants it at most 1.3 x the parse;
* ``read_s``: what the loader reads the text into (``rectflow._casefile.eventrows``: the parser
  for the text before the event log, the log straight into its rows when it is written as
  ``save_case`` writes it), beside ``parse_s``;
* ``stdlib_parse_s``: ``tomllib`` on the same text, to show what the faster parser gains;
* ``peak_mib``: the peak memory of one ``load_case`` under ``tracemalloc``, beside the file size.

Targets (issue 14): status of 10,000 measures at most 1.5 s and of 50,000 at most 7 s on the
machine it was set on, peak memory at most 3 x the file size plus the model, conversion at most
1.3 x the parse. A ``growth`` figure divides the time per measure at the largest size by that at
the smallest (linear: about 1; quadratic would double with every doubling).
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from lifecycle import CATEGORIES, MEASURES, Pools, build_case, draw_case, walk

import rectflow
from rectflow import load_case, save_case, status
from rectflow._casefile.document import structure_located

try:
    from rectflow._casefile.eventrows import loads_document
except ImportError:  # rectflow before the event log was read straight into rows
    from rectflow._inputs import loads_toml as loads_document

try:
    from rectflow._inputs import toml_parser
except ImportError:  # rectflow before issue 14: the standard library's parser only

    def toml_parser() -> tuple[Callable[[str], dict[str, Any]], str]:
        return tomllib.loads, "tomllib"


PROBLEMS_PER_CATEGORY = 10
TARGET_S = {10_000: 1.5, 50_000: 7.0}
TARGET_CONVERT_RATIO = 1.3
TARGET_PEAK_RATIO = 3.0


def big_case_file(measures: int, folder: Path, seed: int) -> Path:
    """One case of ``measures`` measures, walked through five events each, saved in ``folder``."""
    pools = Pools(random.Random(seed))
    # lifecycle.draw_case makes 250 measures a case; a big case is several of them merged.
    per_case = CATEGORIES * PROBLEMS_PER_CATEGORY * MEASURES
    parts = [draw_case(n, min(per_case, measures - n * per_case), pools)
             for n in range((measures + per_case - 1) // per_case)]  # fmt: skip
    first = parts[0]
    offset = (first[4] - pools.base).days  # every due date after the first part's feedback
    rng = pools.rng
    categories = []
    for part_no, part in enumerate(parts):
        for category_id, title, problems in part[6]:
            categories.append(
                (
                    f"{part_no + 1}-{category_id}",
                    title,
                    tuple(
                        (
                            f"{part_no + 1}-{problem_id}",
                            problem_title,
                            tuple(
                                (
                                    f"{part_no + 1}-{m[0]}",
                                    *m[1:5],
                                    pools.day(offset + rng.randrange(30, 400)),
                                )
                                for m in items
                            ),
                        )
                        for problem_id, problem_title, items in problems
                    ),
                )
            )
    rows = (*first[:6], tuple(categories))
    case = build_case(rows)
    walk([case], pools)
    path = folder / f"case-{measures}.toml"
    save_case(case, path)
    return path


def cpu(function: Callable[[], Any]) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


def figures_for(path: Path, measures: int, repeats: int, as_of: Any) -> dict[str, Any]:
    parse = toml_parser()[0]
    text = path.read_text(encoding="utf-8")

    def run_status() -> None:
        status(load_case(path), as_of=as_of)

    def run_parse() -> None:
        parse(path.read_text(encoding="utf-8"))

    document = parse(text)

    def run_convert() -> None:
        structure_located(document, path, text)

    def run_stdlib() -> None:
        tomllib.loads(text)

    def run_read() -> None:
        loads_document(text)

    runs: dict[str, list[float]] = {
        "status": [],
        "parse": [],
        "convert": [],
        "stdlib": [],
        "read": [],
    }
    for _ in range(repeats):
        for name, function in (
            ("status", run_status),
            ("parse", run_parse),
            ("convert", run_convert),
            ("stdlib", run_stdlib),
            ("read", run_read),
        ):
            gc.collect()
            runs[name].append(cpu(function))
    median = {name: statistics.median(values) for name, values in runs.items()}
    gc.collect()
    tracemalloc.start()
    kept = load_case(path)
    _, peak = tracemalloc.get_traced_memory()
    model = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    size = path.stat().st_size
    return {
        "measures": measures,
        "events": measures * 5 + 4,
        "file_bytes": size,
        "status_s": round(median["status"], 3),
        "parse_s": round(median["parse"], 3),
        "convert_s": round(median["convert"], 3),
        "stdlib_parse_s": round(median["stdlib"], 3),
        "read_s": round(median["read"], 3),
        "read_vs_parse": round(median["read"] / median["parse"], 2),
        "convert_ratio": round(median["convert"] / median["parse"], 2),
        "status_vs_parse": round(median["status"] / median["parse"], 2),
        "peak_mib": round(peak / 2**20, 1),
        "model_mib": round(model / 2**20, 1),
        "peak_over_file_plus_model": round((peak - model) / size, 2),
        "us_per_measure": round(median["status"] / measures * 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeats", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if min(args.sizes) < 1 or args.repeats < 1:
        parser.error("--sizes and --repeats must be at least 1")
    sizes = sorted(set(args.sizes))
    results = []
    with tempfile.TemporaryDirectory(prefix="rectflow-bench-") as folder:
        for size in sizes:
            path = big_case_file(size, Path(folder), args.seed)
            case = load_case(path)
            as_of = case.last_event_on
            del case
            results.append(figures_for(path, size, args.repeats, as_of))
            path.unlink()
    name, _ = toml_parser()[1], None
    figures: dict[str, Any] = {
        "parser": name,
        "sizes": results,
        "targets": {
            f"status_{r['measures']}_s": {
                "target": TARGET_S[r["measures"]],
                "value": r["status_s"],
                "met": r["status_s"] <= TARGET_S[r["measures"]],
            }
            for r in results
            if r["measures"] in TARGET_S
        }
        | {
            f"convert_ratio_{r['measures']}": {
                "target": TARGET_CONVERT_RATIO,
                "value": r["convert_ratio"],
                "met": r["convert_ratio"] <= TARGET_CONVERT_RATIO,
            }
            for r in results
        }
        | {
            f"peak_{r['measures']}": {
                "target": TARGET_PEAK_RATIO,
                "value": r["peak_over_file_plus_model"],
                "met": r["peak_over_file_plus_model"] <= TARGET_PEAK_RATIO,
            }
            for r in results
        },
        "environment": {
            "python": platform.python_version(),
            "rectflow": rectflow.__version__,
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
    }
    if len(results) > 1:
        figures["growth"] = round(results[-1]["us_per_measure"] / results[0]["us_per_measure"], 2)
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
