"""The save lock (filelock): one writer at a time with each kind of lock, and no lock file left."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
import threading
from pathlib import Path

import filelock
import pytest

from rectflow import Case, Category, Measure, Problem, fire, load_case, save_case
from rectflow._casefile import files, lock
from rectflow.errors import CaseFileError, ConflictError

ON = dt.date(2021, 1, 1)

WRITERS = 3
EACH = 12

WRITER = """
import datetime, pathlib, sys, time
import rectflow
from rectflow._casefile import files, lock
from rectflow.errors import ConflictError
path, prefix, kind, writers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
real = lock.locked
lock.locked = lambda target, shown: real(target, shown, kind=kind)
import rectflow._casefile.files as files
files.locked = lock.locked
folder = pathlib.Path(path).parent
(folder / f"ready-{prefix}").touch()
while len(list(folder.glob("ready-*"))) < writers:
    time.sleep(0.001)
for n in range(1, EACH + 1):
    while True:
        case = rectflow.load_case(path)
        rectflow.fire(case, "start", item=f"{prefix}{n}", on=datetime.date(2021, 1, 1))
        try:
            rectflow.save_case(case, path)
            break
        except ConflictError:
            pass
""".replace("EACH", str(EACH))


def ledger(prefixes: str, each: int) -> Case:
    """A case with measures ``a1``…, ``b1``…, one per event each writer will fire."""
    measures = [Measure(f"{who}{n}") for who in prefixes for n in range(1, each + 1)]
    return Case("c", categories=[Category("1", problems=[Problem("p", measures=measures)])])


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["unix", "soft"])
def test_concurrent_writers_lose_no_event_with_either_lock_and_leave_no_lock_file(
    tmp_path: Path, kind: str
) -> None:
    """Three processes load-fire-save one file through flock or the soft lock: every event
    lands once, in sequence, and no sidecar or temporary is left."""
    folder = tmp_path / "台账 文件夹"
    folder.mkdir()
    path = folder / "整改 台账.toml"
    prefixes = "abc"[:WRITERS]
    save_case(ledger(prefixes, EACH), path)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), who, kind, str(WRITERS)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in prefixes
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert (writer.returncode, err) == (0, "")
    case = load_case(path)
    assert [e.seq for e in case.events] == list(range(1, WRITERS * EACH + 1))
    assert sorted(e.target for e in case.events) == sorted(
        f"{who}{n}" for who in prefixes for n in range(1, EACH + 1)
    )
    assert case.version == WRITERS * EACH + 1
    left = sorted(p.name for p in folder.iterdir() if not p.name.startswith("ready-"))
    assert left == ["整改 台账.toml"]


def test_a_refused_save_leaves_no_lock_file(tmp_path: Path) -> None:
    """A save refused for a version conflict removes its sidecar lock as a normal one does."""
    path = tmp_path / "case.toml"
    save_case(ledger("a", 2), path)
    ours, theirs = load_case(path), load_case(path)
    fire(theirs, "start", item="a1", on=ON)
    save_case(theirs, path)
    fire(ours, "start", item="a2", on=ON)
    with pytest.raises(ConflictError):
        save_case(ours, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]


def test_the_lock_is_held_during_the_save_and_named_after_the_file(tmp_path: Path) -> None:
    """While a save runs, ``.<name>.lock`` exists beside the file and another lock on it waits."""
    path = tmp_path / "case.toml"
    seen: list[bool] = []
    with lock.locked(path, path):
        sidecar = tmp_path / ".case.toml.lock"
        other = filelock.UnixFileLock(sidecar, fallback_to_soft=False)
        with pytest.raises(filelock.Timeout):
            other.acquire(timeout=0.05)
        seen.append(sidecar.exists())
    assert (seen, list(tmp_path.iterdir())) == ([True], [])


def test_a_soft_lock_left_by_a_killed_writer_is_a_clear_error_that_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A soft lock file that stays (its writer was killed) makes a save wait, then fail saying
    which file to remove; the case file is unchanged and the left lock is not removed."""
    monkeypatch.setattr(lock, "LOCK_TIMEOUT", 0.2)
    monkeypatch.setattr(lock, "lock_kind", lambda: "soft")
    path = tmp_path / "case.toml"
    save_case(ledger("a", 1), path)
    before = path.read_bytes()
    left = tmp_path / ".case.toml.lock"
    left.write_text("", encoding="utf-8")
    case = load_case(path)
    fire(case, "start", item="a1", on=ON)
    with pytest.raises(CaseFileError) as raised:
        save_case(case, path)
    assert raised.value.path == path
    assert str(left) in raised.value.reason
    assert "remove the lock file" in raised.value.fix
    assert (path.read_bytes(), left.exists(), case.version) == (before, True, 1)
    left.unlink()
    save_case(case, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]


def test_a_file_system_without_flock_falls_back_to_the_soft_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When flock says ENOSYS (some network shares), the save takes the soft lock and works."""
    real = filelock.UnixFileLock.acquire

    def no_flock(self: filelock.UnixFileLock, *args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS))

    monkeypatch.setattr(filelock.UnixFileLock, "acquire", no_flock)
    path = tmp_path / "case.toml"
    save_case(ledger("a", 1), path)
    monkeypatch.setattr(filelock.UnixFileLock, "acquire", real)
    assert (load_case(path).version, sorted(p.name for p in tmp_path.iterdir())) == (
        1,
        ["case.toml"],
    )


def test_each_platform_gets_its_kind_of_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows gets LockFileEx, POSIX with fcntl flock, anything else the soft lock."""
    monkeypatch.setattr(sys, "platform", "win32")
    assert lock.lock_kind() == "windows"
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(filelock, "FileLock", filelock.UnixFileLock)
    assert lock.lock_kind() == "unix"
    monkeypatch.setattr(filelock, "FileLock", filelock.SoftFileLock)
    assert lock.lock_kind() == "soft"


# -- what a save does where POSIX calls are missing --------------------------------------------


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="needs root to chown")
def test_a_save_without_chown_as_on_windows_replaces_the_file_and_keeps_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``os.chown`` missing (Windows), a save over a file someone else owns succeeds: its
    mode is kept, the owner is the writer's; with chown (POSIX, as root) the owner is kept."""
    path = tmp_path / "案例.toml"
    save_case(ledger("a", 1), path)
    os.chown(path, 12345, 12345)
    path.chmod(0o640)
    case = load_case(path)
    fire(case, "start", item="a1", on=ON)
    save_case(case, path)
    assert (path.stat().st_uid, oct(path.stat().st_mode & 0o777)) == (12345, "0o640")
    monkeypatch.delattr(os, "chown")
    again = load_case(path)
    save_case(again, path)
    assert (path.stat().st_uid, oct(path.stat().st_mode & 0o777)) == (os.geteuid(), "0o640")
    assert load_case(path).version == 3


def test_on_windows_the_folder_is_not_opened_to_be_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows cannot open a folder as a file: the folder's fsync is skipped there (NTFS
    journals the rename), and done on POSIX."""
    opened: list[str] = []
    real_open = os.open

    def watch(path: object, flags: int, *args: object) -> int:
        opened.append(str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", watch)
    files._fsync_folder(tmp_path)
    assert opened == [str(tmp_path)]
    monkeypatch.setattr(os, "name", "nt")
    files._fsync_folder(tmp_path)
    assert opened == [str(tmp_path)]


def test_threads_of_one_process_saving_one_file_lose_no_event(tmp_path: Path) -> None:
    """Four threads load-fire-save one file (each lock its own descriptor): 40 events land."""
    path = tmp_path / "case.toml"
    save_case(ledger("abcd", 10), path)
    failures: list[BaseException] = []

    def writer(prefix: str) -> None:
        try:
            for n in range(1, 11):
                while True:
                    case = load_case(path)
                    fire(case, "start", item=f"{prefix}{n}", on=ON)
                    try:
                        save_case(case, path)
                        break
                    except ConflictError:
                        continue
        except BaseException as failure:  # reported by the assertion below
            failures.append(failure)

    threads = [threading.Thread(target=writer, args=(who,)) for who in "abcd"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    case = load_case(path)
    assert (failures, [e.seq for e in case.events]) == ([], list(range(1, 41)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]
