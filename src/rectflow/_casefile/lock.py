"""The save lock: one writer of a file at a time, on every platform, and no lock file left behind.

A writer holds an exclusive lock on the sidecar ``.<name>.lock`` beside the (resolved) file while
it checks the version on disk and replaces the file. The lock is filelock's, chosen per platform:

* POSIX with ``fcntl``: :class:`filelock.UnixFileLock`, an ``flock`` on the sidecar. The kernel
  drops it when its holder dies, so a killed writer never blocks the next one. The holder
  removes the sidecar before it lets go; a writer that was waiting on the removed file sees it
  has no name any more and locks the file now at that name (filelock checks ``st_nlink``), so
  removing it cannot let two writers in at once.
* Windows: :class:`filelock.WindowsFileLock`, ``LockFileEx`` on the sidecar; Windows drops it
  when its holder dies, and filelock removes the sidecar on release. A sidecar another writer
  has open at that moment cannot be removed (Windows keeps open files); that writer removes it
  when it is done.
* Anywhere else (no ``fcntl``, or a file system without ``flock``, such as some network
  shares): :class:`filelock.SoftFileLock`, whose lock is the sidecar's existence (created with
  ``O_EXCL``, removed on release). A writer killed while holding it leaves the sidecar, and
  later saves wait :data:`LOCK_TIMEOUT` seconds and then say to remove it.

After a save, refused or not, no sidecar stays (on Windows: once no other writer has it open).
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import filelock

from rectflow._i18n import N_, Msg
from rectflow.errors import CaseFileError

__all__ = ["LOCK_TIMEOUT", "LockKind", "lock_kind", "lock_path", "locked"]

LOCK_TIMEOUT = 60.0
"""Seconds a save waits for another writer's lock before it gives up (a save holds it for
milliseconds; a longer wait means a writer hung, or a soft lock left by one that was killed)."""

LockKind = Literal["unix", "windows", "soft"]


def _filelock() -> ModuleType:
    """filelock, imported at the first save: it imports fcntl where there is one, and
    ``import rectflow`` imports nothing POSIX-only."""
    with warnings.catch_warnings():
        # Off Windows and without fcntl filelock warns at import; the soft lock is what rectflow
        # chooses there, on purpose (lock_kind), and docs/platforms.md says so.
        warnings.filterwarnings("ignore", "only soft file lock is available", UserWarning)
        return importlib.import_module("filelock")


def lock_kind() -> LockKind:
    """The kind of lock this platform gets (see the module's docstring)."""
    if sys.platform == "win32":
        return "windows"
    # filelock's FileLock is its UnixFileLock exactly when fcntl.flock is there.
    module = _filelock()
    chosen: type[filelock.BaseFileLock] = module.FileLock
    return "unix" if chosen is module.UnixFileLock else "soft"


def lock_path(path: Path) -> Path:
    """The sidecar lock file of ``path``: ``.<name>.lock`` in the same folder."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def locked(path: Path, shown: Path, *, kind: LockKind | None = None) -> Iterator[None]:
    """Hold the exclusive save lock of the resolved file ``path`` (``shown`` is named in errors).

    Raises:
        CaseFileError: the lock was not had within :data:`LOCK_TIMEOUT` seconds; nothing was
            written.
        OSError: the sidecar could not be created (the folder is not writable).
    """
    sidecar = lock_path(path)
    kind = lock_kind() if kind is None else kind
    lock = _lock(sidecar, kind)
    try:
        _acquire(lock, sidecar, shown)
    except OSError as error:
        if kind != "unix" or error.errno != errno.ENOSYS:
            raise
        # This file system has no flock (some network shares): the lock is the file's existence.
        kind = "soft"
        lock = _lock(sidecar, kind)
        _acquire(lock, sidecar, shown)
    try:
        yield
    finally:
        try:
            if kind == "unix":
                # Removed while held: a writer waiting on it finds it nameless and tries again.
                # One that cannot be removed (a folder that forbids it) stays, and does no harm.
                with contextlib.suppress(OSError):
                    sidecar.unlink()
        finally:
            lock.release()


def _lock(sidecar: Path, kind: LockKind) -> filelock.BaseFileLock:
    module = _filelock()
    lock: filelock.BaseFileLock
    if kind == "windows":
        lock = module.WindowsFileLock(sidecar)
    elif kind == "unix":
        lock = module.UnixFileLock(sidecar, fallback_to_soft=False)
    else:
        lock = module.SoftFileLock(sidecar)
    return lock


def _acquire(lock: filelock.BaseFileLock, sidecar: Path, shown: Path) -> None:
    try:
        lock.acquire(timeout=LOCK_TIMEOUT)
    except _filelock().Timeout:
        raise CaseFileError(
            shown,
            "",
            Msg(
                "another writer has held its lock {lock} for {seconds:g} s",
                lock=str(sidecar),
                seconds=LOCK_TIMEOUT,
            ),
            N_(
                "wait for it and save again; if no rectflow is writing this file (a killed "
                "writer can leave a soft lock behind), remove the lock file and save again"
            ),
        ) from None
