"""Benchmark: how long the command line takes to answer, against ``python -c pass``; prints JSON.

    .venv/bin/python bench/cli.py [--rounds 15] [--case examples/cases/<one>.toml]

Each round runs, one after the other (interleaved, so a busy machine weighs on all alike):

* ``python -c pass``: the interpreter's own start, the same-run baseline;
* ``python -c "import rectflow"``: the library's import;
* the dependency floor: ``python -c "import attrs, cattrs, transitions, tomllib"`` (the libraries
  the project chose for the model, its conversion, the lifecycles and reading TOML: any command
  that loads a case file imports them) and the same with ``click`` (the command line's own), so
  the ratio of a command can be read against what no code of ours can go below;
* ``rectflow --version``, ``rectflow --help``;
* ``rectflow status CASE`` and ``rectflow check CASE`` on one example case file.

The figure of each is the median wall time over the rounds; ``ratios`` divides each by the
baseline's (issue 14: status and check at most 6 x ``python -c pass``). The median CPU time
(user + system, of the child) and its ratios are printed beside them: on a shared machine a
busy neighbour stretches the wall time of a long run more than that of a short one, and the
CPU time is what a change to the code moves. Before timing, the package
is byte-compiled (as installing a wheel does), so the runs measure an installed rectflow, not the
compiler: ``PYTHONDONTWRITEBYTECODE`` would otherwise make every run compile every module again.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import rectflow

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASE = ROOT / "examples" / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
TARGET_RATIO = 6.0
FLOOR_MODEL = ("attrs", "cattrs", "transitions", "tomllib")
"""What loading a case file cannot do without: the model, its conversion, the lifecycles, TOML."""


def commands(case: Path) -> dict[str, list[str]]:
    """What is timed: name -> argv (``rectflow`` as this interpreter's ``-m`` would be slower to
    resolve than the console script, so the script beside the interpreter is used)."""
    python = sys.executable
    script = str(Path(python).with_name("rectflow"))
    return {
        "python_pass": [python, "-c", "pass"],
        "import_rectflow": [python, "-c", "import rectflow"],
        "floor_model": [python, "-c", f"import {', '.join(FLOOR_MODEL)}"],
        "floor_cli": [python, "-c", f"import {', '.join((*FLOOR_MODEL, 'click'))}"],
        "version": [script, "--version"],
        "help": [script, "--help"],
        "status": [script, "status", str(case)],
        "check": [script, "check", str(case)],
    }


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The wall time and the CPU time (user + system) of one run."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        argv, check=False, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    # check exits 1 when the case has errors (the examples do on purpose); 2 is a mistake.
    if done.returncode not in (0, 1):
        raise SystemExit(f"{argv[1:]} failed ({done.returncode}): {done.stderr.decode()[-400:]}")
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (median kept)")
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE, help="the case file timed")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    compileall.compile_dir(Path(rectflow.__file__).parent, quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("LANG", "C.UTF-8")
    timed = commands(args.case)
    for argv_ in timed.values():  # warm the file cache
        run_once(argv_, env)
    walls: dict[str, list[float]] = {name: [] for name in timed}
    cpus: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(args.rounds):
        for name, argv_ in timed.items():
            wall, cpu = run_once(argv_, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    median = {name: statistics.median(values) for name, values in walls.items()}
    base = median["python_pass"]
    ratios = {name: value / base for name, value in median.items() if name != "python_pass"}
    cpu_median = {name: statistics.median(values) for name, values in cpus.items()}
    cpu_base = cpu_median["python_pass"]
    cpu_ratios = {
        name: value / cpu_base for name, value in cpu_median.items() if name != "python_pass"
    }
    figures = {
        "rounds": args.rounds,
        "case": str(args.case.relative_to(ROOT) if args.case.is_relative_to(ROOT) else args.case),
        "median_ms": {name: round(value * 1000, 1) for name, value in median.items()},
        "ratios": {name: round(value, 2) for name, value in ratios.items()},
        "cpu_median_ms": {name: round(value * 1000, 1) for name, value in cpu_median.items()},
        "cpu_ratios": {name: round(value, 2) for name, value in cpu_ratios.items()},
        "targets": {
            name: {
                "target": TARGET_RATIO,
                "value": round(ratios[name], 2),
                "met": ratios[name] <= TARGET_RATIO,
                # what is left for the target once the libraries are imported
                "headroom_over_floor_cli": round(TARGET_RATIO - ratios["floor_cli"], 2),
                "over_floor_cli": round(median[name] / median["floor_cli"], 2),
            }
            for name in ("status", "check")
        },
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
