"""Writers that die or race: `rectflow fire` killed mid-write leaves the old file loadable, and two
`rectflow fire` processes on one file never lose an event (both land, or one is told of the
conflict with the versions)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rectflow import Case, Category, Measure, Problem, load_case, save_case

RECTFLOW = Path(sys.executable).with_name("rectflow")
ON = "2024-05-01"


def ledger(tmp_path: Path, measures: list[str]) -> Path:
    """A case file (saved once: version 1) with one problem holding ``measures``, all open."""
    path = tmp_path / "case.toml"
    problem = Problem("1.1", measures=[Measure(m) for m in measures])
    save_case(Case("c1", feedback_on=None, categories=[Category("1", problems=[problem])]), path)
    return path


def temporaries(folder: Path) -> list[str]:
    """The temporary files a save left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def fire_args(path: Path, item: str) -> list[str]:
    """The arguments of `rectflow fire` starting ``item``."""
    return ["fire", str(path), "start", "--item", item, "--on", ON]


# `rectflow fire` with os.fsync replaced: it says when it got there, then waits to be killed.
STALLED_FIRE = """
import os, sys, time
from rectflow._cli.main import main

def stall(fd):
    print("writing", flush=True)
    time.sleep(3600)

os.fsync = stall
main(sys.argv[1:])
"""


@pytest.mark.slow
def test_fire_killed_while_writing_leaves_the_old_file_and_the_next_fire_lands(
    tmp_path: Path,
) -> None:
    """SIGKILL while the new text sits unsynced in the temporary file: the case file keeps its
    bytes and loads; the next `rectflow fire` saves (version 2) and clears the leftover."""
    path = ledger(tmp_path, ["m1", "m2"])
    before = path.read_bytes()
    writer = subprocess.Popen(
        [sys.executable, "-c", STALLED_FIRE, *fire_args(path, "m1")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline() == "writing\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert load_case(path).version == 1
    assert len(temporaries(tmp_path)) == 1
    done = subprocess.run(
        [RECTFLOW, *fire_args(path, "m2")], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
    case = load_case(path)
    assert (case.version, [e.target for e in case.events]) == (2, ["m2"])
    assert temporaries(tmp_path) == []


@pytest.mark.slow
def test_fire_killed_at_random_moments_never_leaves_a_broken_file(tmp_path: Path) -> None:
    """Kill `rectflow fire` after a random delay, again and again: the file always loads, and
    holds each event either whole or not at all."""
    items = [f"m{n}" for n in range(1, 13)]
    path = ledger(tmp_path, [*items, "last"])
    draw = random.Random(20240501)  # noqa: S311 - reproducible kill times, not secrets
    landed: list[str] = []
    for item in items:
        writer = subprocess.Popen(
            [RECTFLOW, *fire_args(path, item)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(draw.uniform(0.02, 0.3))
        writer.send_signal(signal.SIGKILL)
        _, err = writer.communicate(timeout=60)
        assert b"Traceback" not in err
        case = load_case(path)
        if len(case.events) > len(landed):
            landed.append(item)
        assert [e.target for e in case.events] == landed
        assert case.version == 1 + len(landed)
    done = subprocess.run(
        [RECTFLOW, *fire_args(path, "last")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert [e.target for e in load_case(path).events] == [*landed, "last"]
    assert temporaries(tmp_path) == []
    print(f"{len(landed)} of {len(items)} killed writers had saved")


# `rectflow fire`, imported and waiting for a start signal, so that two of them read, fire and
# write the file at the same moment.
RACING_FIRE = """
import pathlib, sys, time
from rectflow._cli.main import main

ready, go = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ready.touch()
while not go.exists():
    time.sleep(0.0005)
main(sys.argv[3:])
"""


def race(path: Path, round_: int, items: tuple[str, str]) -> list[tuple[str, int, str]]:
    """Start two `rectflow fire` on ``path`` together; (item, exit code, stderr) of each."""
    folder = path.parent / f"round-{round_}"
    folder.mkdir()
    go = folder / "go"
    writers = [
        (
            item,
            subprocess.Popen(
                [sys.executable, "-c", RACING_FIRE, folder / item, go, *fire_args(path, item)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for item in items
    ]
    deadline = time.monotonic() + 60
    while not all((folder / item).exists() for item in items):
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.01)
    go.touch()
    results = []
    for item, writer in writers:
        _, err = writer.communicate(timeout=60)
        results.append((item, writer.returncode, err))
    return results


@pytest.mark.slow
def test_two_fire_processes_on_one_file_never_lose_an_event(tmp_path: Path) -> None:
    """Ten rounds of two simultaneous `rectflow fire`: each round both land, or one lands and
    the other exits 2 with one line naming the versions; the file holds exactly the events that
    landed, numbered 1..n, at version 1 + n."""
    rounds = [(f"a{n}", f"b{n}") for n in range(10)]
    path = ledger(tmp_path, [item for pair in rounds for item in pair])
    landed: list[str] = []
    conflicts = 0
    for number, pair in enumerate(rounds):
        results = race(path, number, pair)
        assert sorted(code for _, code, _ in results) in ([0, 0], [0, 2]), results
        for item, code, err in results:
            if code == 0:
                assert err == ""
                landed.append(item)
                continue
            conflicts += 1
            assert err.count("\n") == 1
            assert err.startswith(f"rectflow: error: {path}: version: the file was changed by ")
            assert "loaded version" in err
            assert "Traceback" not in err
        case = load_case(path)
        assert sorted(e.target for e in case.events) == sorted(landed)
    case = load_case(path)
    assert [e.seq for e in case.events] == list(range(1, len(landed) + 1))
    assert case.version == 1 + len(landed)
    assert temporaries(tmp_path) == []
    # Both outcomes are allowed; the count is reported for whoever reads the log.
    print(f"{conflicts} conflict(s) in {len(rounds)} rounds")
