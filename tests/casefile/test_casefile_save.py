"""Saving case files: atomic replacement, version checks between writers, crash safety."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import rectflow._casefile.files
from rectflow import Case, Category, Measure, Problem, fire, load_case, save_case
from rectflow.errors import CaseFileError, ConflictError

D = dt.date


def ledger_case(measures: int = 3) -> Case:
    """A case with one problem and ``measures`` open measures ``m1``, ``m2``, …."""
    problem = Problem("p", measures=[Measure(f"m{n}") for n in range(1, measures + 1)])
    return Case("c", categories=[Category("1", problems=[problem])])


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A case file saved once (version 1)."""
    path = tmp_path / "case.toml"
    save_case(ledger_case(), path)
    return path


def test_a_new_file_is_written_with_version_one_and_no_lock_file_stays(tmp_path: Path) -> None:
    """The first save writes version 1, bumps the case, and leaves only the case file."""
    case = ledger_case()
    path = tmp_path / "case.toml"
    save_case(case, path)
    assert case.version == 1
    assert load_case(path).version == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]


def test_a_case_with_a_version_cannot_create_a_new_file(tmp_path: Path) -> None:
    """A new file needs version 0: a case loaded elsewhere is a conflict, and nothing is written."""
    case = ledger_case()
    case.version = 4
    with pytest.raises(ConflictError) as caught:
        save_case(case, tmp_path / "case.toml")
    assert (caught.value.expected_version, caught.value.found_version) == (4, 0)
    assert not (tmp_path / "case.toml").exists()


def test_the_second_of_two_writers_from_the_same_load_gets_a_conflict(saved: Path) -> None:
    """Two loads of version 1: the first save wins, the second is refused and writes nothing."""
    first, second = load_case(saved), load_case(saved)
    fire(first, "start", item="m1", on=D(2021, 1, 1))
    fire(second, "start", item="m2", on=D(2021, 1, 1))
    save_case(first, saved)
    before = saved.read_bytes()
    with pytest.raises(ConflictError, match="loaded version 1, now 2"):
        save_case(second, saved)
    assert saved.read_bytes() == before
    assert second.version == 1
    assert [e.target for e in load_case(saved).events] == ["m1"]


def test_saving_again_after_a_save_needs_no_reload(saved: Path) -> None:
    """The saved case carries the new version, so the same writer can save again."""
    case = load_case(saved)
    fire(case, "start", item="m1", on=D(2021, 1, 1))
    save_case(case, saved)
    fire(case, "start", item="m2", on=D(2021, 1, 2))
    save_case(case, saved)
    assert (load_case(saved).version, len(load_case(saved).events)) == (3, 2)


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.replace failing: the old file is intact, the version unchanged, the temp removed."""
    before = saved.read_bytes()
    case = load_case(saved)
    fire(case, "start", item="m1", on=D(2021, 1, 1))

    def refuse(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(CaseFileError, match="No space left on device"):
        save_case(case, saved)
    assert saved.read_bytes() == before
    assert case.version == 1
    assert leftovers(saved.parent) == []


def test_a_write_that_fails_halfway_leaves_the_old_file(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file gets half the text, then the disk fills: nothing else changes."""
    before = saved.read_bytes()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, fd: int, mode: str) -> None:
            self.file = real_fdopen(fd, mode)

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *_: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            self.file.write(data[: len(data) // 2])
            self.file.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(rectflow._casefile.files.os, "fdopen", HalfWriter)
    case = load_case(saved)
    with pytest.raises(CaseFileError):
        save_case(case, saved)
    assert saved.read_bytes() == before
    assert leftovers(saved.parent) == []
    assert load_case(saved).version == 1


def test_an_interrupt_during_fsync_removes_the_temporary(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a KeyboardInterrupt mid-write cleans up and leaves the old file."""
    before = saved.read_bytes()

    def interrupt(_: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        save_case(load_case(saved), saved)
    assert saved.read_bytes() == before
    assert leftovers(saved.parent) == []


def test_the_old_file_keeps_its_permissions(saved: Path) -> None:
    """A file made group-readable only stays so after a save replaces it."""
    saved.chmod(0o640)
    save_case(load_case(saved), saved)
    assert saved.stat().st_mode & 0o777 == 0o640


def test_a_saved_file_that_cannot_be_read_is_not_overwritten(saved: Path) -> None:
    """Garbage on disk has no version to check: the save refuses and leaves it for repair."""
    saved.write_text("this is [not toml", encoding="utf-8")
    with pytest.raises(CaseFileError, match="cannot check the saved file's version"):
        save_case(ledger_case(), saved)
    assert saved.read_text(encoding="utf-8") == "this is [not toml"


def test_the_version_is_found_past_a_multiline_string_that_looks_like_a_table(
    tmp_path: Path,
) -> None:
    """A hand-written top-level string holding a "[header]" line does not hide the version."""
    path = tmp_path / "case.toml"
    path.write_text(
        'schema = 1\nid = "c"\ninspected_body = """\n[not a table]\n"""\nversion = 2\n',
        encoding="utf-8",
    )
    case = load_case(path)
    assert case.version == 2
    save_case(case, path)
    assert load_case(path).version == 3


KILLED_WRITER = """
import os, sys, time
import rectflow
path = sys.argv[1]
case = rectflow.load_case(path)
rectflow.fire(case, "start", item="m1", on=__import__("datetime").date(2021, 1, 1))
def hang(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = hang
rectflow.save_case(case, path)
"""


@pytest.mark.slow
def test_a_writer_killed_mid_write_leaves_the_old_file_loadable(saved: Path) -> None:
    """SIGKILL while the temporary file is being synced: the old file is whole and loads."""
    before = saved.read_bytes()
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(saved)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    assert writer.stdout.readline() == "writing\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL
    assert saved.read_bytes() == before
    assert load_case(saved).version == 1
    assert len(leftovers(saved.parent)) == 1  # what the killed writer left behind
    save_case(load_case(saved), saved)  # the next save clears it
    assert leftovers(saved.parent) == []


CONCURRENT_WRITER = """
import datetime, pathlib, sys, time
import rectflow
from rectflow.errors import ConflictError
path, prefix = sys.argv[1], sys.argv[2]
# Start together: each writer marks itself ready and waits for the other.
folder = pathlib.Path(path).parent
(folder / f"ready-{prefix}").touch()
while len(list(folder.glob("ready-*"))) < 2:
    time.sleep(0.001)
conflicts = 0
for n in range(1, 21):
    while True:
        case = rectflow.load_case(path)
        rectflow.fire(case, "start", item=f"{prefix}{n}", on=datetime.date(2021, 1, 1))
        try:
            rectflow.save_case(case, path)
            break
        except ConflictError:
            conflicts += 1
print(conflicts)
"""


@pytest.mark.slow
def test_two_processes_saving_one_file_lose_no_event(tmp_path: Path) -> None:
    """Each of two writers fires 20 events with load-fire-save, retrying on conflict: 40 land."""
    path = tmp_path / "case.toml"
    measures = [Measure(f"{who}{n}") for who in "ab" for n in range(1, 21)]
    save_case(
        Case("c", categories=[Category("1", problems=[Problem("p", measures=measures)])]), path
    )
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_WRITER, str(path), who],
            stdout=subprocess.PIPE,
            text=True,
        )
        for who in "ab"
    ]
    for writer in writers:
        writer.communicate(timeout=300)
        assert writer.returncode == 0
    case = load_case(path)
    assert sorted(e.target for e in case.events) == sorted(m.id for m in measures)
    assert [e.seq for e in case.events] == list(range(1, 41))
    assert case.version == 41
