"""The issue-14 benchmarks keep running: each prints its figures beside its same-run baseline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def run(script: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def test_the_case_file_benchmark_prints_status_beside_the_parse() -> None:
    """Two small sizes: status, parse, conversion and memory for each, and the growth."""
    figures = run("casefile.py", "--sizes", "100", "200", "--repeats", "1")
    assert [size["measures"] for size in figures["sizes"]] == [100, 200]
    for size in figures["sizes"]:
        for key in ("status_s", "parse_s", "convert_s", "file_bytes", "peak_mib"):
            assert size[key] > 0, key
    assert figures["parser"] == "tomli"
    assert figures["growth"] > 0


def test_the_growth_benchmark_times_every_path_at_n_and_2n() -> None:
    """Every path that once was quadratic, with its two CPU times and their ratio."""
    figures = run("growth.py", "--size", "60", "--repeats", "1")
    assert set(figures["paths"]) == {
        "guarded_walk", "guarded_accept", "refused_close", "unknown_items", "add_measure",
        "load_added", "notice_surrogates",
    }  # fmt: skip
    for path in figures["paths"].values():
        for key in ("cpu_s_n", "cpu_s_2n", "growth"):
            assert path[key] > 0, key


@pytest.mark.slow
def test_the_cli_benchmark_prints_each_command_beside_python_pass() -> None:
    """One round: python -c pass, the import, the dependency floor, --version, --help, status
    and check; each target says how it stands against the floor."""
    figures = run("cli.py", "--rounds", "1")
    assert set(figures["median_ms"]) == {
        "python_pass", "import_rectflow", "floor_model", "floor_cli", "version", "help",
        "status", "check",
    }  # fmt: skip
    assert set(figures["ratios"]) == set(figures["median_ms"]) - {"python_pass"}
    assert set(figures["targets"]) == {"status", "check"}
    for target in figures["targets"].values():
        assert target["over_floor_cli"] > 0
        assert target["headroom_over_floor_cli"] == round(6.0 - figures["ratios"]["floor_cli"], 2)


def test_the_lifecycle_benchmark_prints_the_plain_baseline_and_the_guarded_fire() -> None:
    """The walk beside the plain-attrs dict-table walk, and guarded beside unguarded fires."""
    figures = run(
        "lifecycle.py", "--measures", "500", "--sample-cases", "1", "--repeats", "1",
        "--naive-items", "20", "--walk-rounds", "3",
    )  # fmt: skip
    # the walk's ratios are the medians of three rounds, each paired with its baselines
    rounds = figures["walk_rounds"]
    assert len(rounds) == 3
    for name in ("walk_ratio", "fire_ratio", "build_ratio"):
        # (the figure is printed to 4 places, each round's to 3)
        assert abs(figures[name] - sorted(r[name] for r in rounds)[1]) <= 0.0006, name
    for key in (
        "baseline_build_cpu_s", "baseline_fire_cpu_s", "walk_ratio", "fire_ratio",
        "guarded_fire_us", "unguarded_fire_us", "guarded_ratio",
    ):  # fmt: skip
        assert figures[key] > 0, key
    assert set(figures["targets_issue14"]) == {
        "walk_ratio", "fire_ratio", "guarded_ratio", "bytes_per_measure",
    }  # fmt: skip
