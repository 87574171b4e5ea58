"""bench/lifecycle.py keeps running: a small ledger through every phase, one JSON object out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "lifecycle.py"

KEYS = {
    "measures", "cases", "build_s", "build_us_per_measure", "fires", "fire_s",
    "fire_us_per_event", "replay_us_per_event", "bytes_per_measure", "toml_dump_s",
    "toml_load_s", "raw_tomli_w_dump_s", "raw_tomllib_load_s", "load_ratio", "dump_ratio",
    "naive_transitions_build_us_per_item", "naive_transitions_fire_us_per_event",
    "naive_transitions_bytes_per_item",
}  # fmt: skip


def test_the_benchmark_prints_every_figure_for_a_small_ledger() -> None:
    """600 measures (two full cases and a partial one): the issue's figures, all positive."""
    done = subprocess.run(
        [sys.executable, str(BENCH), "--measures", "600", "--sample-cases", "2",
         "--repeats", "1", "--naive-items", "50"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    figures = json.loads(done.stdout)
    assert set(figures) >= KEYS
    assert (figures["measures"], figures["cases"], figures["fires"]) == (600, 3, 600 * 5 + 3 * 4)
    assert all(figures[key] > 0 for key in KEYS)
    assert set(figures["targets"]) == {
        "build_us_per_measure",
        "fire_us_per_event",
        "replay_us_per_event",
        "bytes_per_measure",
        "load_ratio",
        "dump_ratio",
    }


def test_the_check_benchmark_runs_on_a_small_ledger() -> None:
    """bench/check.py builds its ledger through the model (the events own most fields, so a
    benchmark that assigned them would stop running): it must keep printing its figures."""
    done = subprocess.run(
        [sys.executable, str(BENCH.parent / "check.py"), "--measures", "2000", "--repeats", "1"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    figures = json.loads(done.stdout)
    assert figures["measures"] == 2000
    assert figures["check_us_per_measure"] > 0
    assert figures["violations_by_code"]["deadline.overdue"] > 0
    assert set(figures["targets"]) == {"check_us_per_measure", "growth"}
