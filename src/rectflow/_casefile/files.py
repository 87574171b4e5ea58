"""Case files on disk: reading them, and saving them atomically under a version check.

A save never leaves a half-written file: the text goes to a temporary file in the same folder,
which is flushed, fsynced and renamed over the old one (a rename within a folder is atomic), and
the folder is fsynced so the rename itself survives a crash. Two writers of one file cannot lose
each other's updates: each holds an exclusive ``flock`` on a sidecar ``.<name>.lock`` while it
compares the ``version`` on disk with the version it loaded, and writes version + 1. The
document itself is ``document``'s business, including :data:`SCHEMA_VERSION` (``1``, the
``schema`` key this rectflow reads and writes); ``docs/case-file.md`` describes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import re
import secrets
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import tomli_w

from rectflow._casefile.document import (
    SCHEMA_VERSION,
    structure_case,
    structure_located,
    unstructure_case,
)
from rectflow._core.model import Case
from rectflow.errors import CaseFileError, ConflictError

__all__ = [
    "SCHEMA_VERSION",
    "dumps_case",
    "load_case",
    "loads_case",
    "save_case",
    "structure_case",
    "unstructure_case",
]

_SOURCE = Path | str | None


def dumps_case(case: Case) -> str:
    """The case as case-file text (TOML, ``schema = 1``)."""
    return tomli_w.dumps(unstructure_case(case))


def loads_case(text: str, *, source: _SOURCE = None) -> Case:
    """A case from case-file text.

    Loading replays the event log from the initial states and checks that every stored state
    agrees with it.

    Args:
        text: the TOML text.
        source: the file it came from, named in errors.

    Raises:
        CaseFileError: a TOML syntax error, a missing or unsupported ``schema``, an unknown
            key, a wrong type, an unknown state or kind, a bad or impossible date, a period
            ending before it starts, a due date before the feedback date, a duplicate id, an
            event log out of sequence or not allowed by the lifecycle, or a stored state the
            events do not lead to. Its ``key_path``, ``line`` and ``fix`` say where and how.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = re.search(r"at line (\d+)", message)
        if where is not None:
            line: int | None = int(where[1])
        elif "at end of document" in message:  # a file cut short: the error is on its last line
            line = text.rstrip("\n").count("\n") + 1
        else:
            line = None
        raise CaseFileError(
            source,
            "",
            f"not valid TOML: {message}",
            "correct the syntax there (strings need quotes, tables [name], arrays [a, b])",
            line,
        ) from None
    except RecursionError:  # tomllib recurses into nested inline tables and arrays
        raise CaseFileError(
            source,
            "",
            "the document nests inline tables or arrays too deeply to read",
            "a case file needs only a few levels: remove the deep nesting",
        ) from None
    return structure_located(data, source, text)


def load_case(path: Path | str) -> Case:
    """The case in a case file (see :func:`loads_case` for what is checked)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CaseFileError(
            path, "", f"cannot read the file: {error.strerror}", "check the path and permissions"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise CaseFileError(
            path,
            "",
            f"not UTF-8 text (byte {raw[error.start]:#04x} at offset {error.start})",
            "save the file as UTF-8",
            line,
        ) from None
    return loads_case(text, source=path)


# -- saving ------------------------------------------------------------------------------------

_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def save_case(case: Case, path: Path | str) -> None:
    """Write the case to ``path`` atomically, checking that no one else saved it meanwhile.

    Under an exclusive lock on ``.<name>.lock`` beside the file, the ``version`` on disk must
    equal ``case.version`` (a new file needs version 0). The case is written with version + 1
    to a temporary file in the same folder, flushed and fsynced, renamed over the old file
    (whose permissions it keeps), and the folder is fsynced; then ``case.version`` is
    incremented. An error at any point leaves the old file as it was and removes the temporary
    file; a writer killed mid-write leaves the old file intact too, and the next save removes
    the temporary file it left behind.

    Raises:
        ConflictError: the file's version is not ``case.version``; nothing was written.
        CaseFileError: the file on disk cannot be read, or the folder cannot be written.
    """
    path = Path(path)
    document = unstructure_case(case)
    document["version"] = case.version + 1
    data = tomli_w.dumps(document).encode("utf-8")
    try:
        with _locked(path):
            found = _version_on_disk(path)
            if found != case.version:
                raise ConflictError(path, case.version, found)
            _remove_stale_temporaries(path)
            _write_atomically(path, data)
            case.version += 1
            _fsync_folder(path.parent)
    except OSError as error:
        raise CaseFileError(
            path,
            "",
            f"cannot write the file: {error.strerror or error}",
            "check that the folder exists and is writable; the old file is unchanged",
        ) from None


def _version_on_disk(path: Path) -> int:
    """The ``version`` of the file at ``path``; 0 when there is no file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return 0
    except UnicodeDecodeError as error:
        raise _unreadable(path, f"it is not UTF-8 text ({error.reason})") from None
    # Top-level keys come before the first table header, so parsing that part alone is enough;
    # when the cut falls inside a multi-line string it does not parse, and the whole file is read.
    header = _HEADER.search(text)
    try:
        data = tomllib.loads(text[: header.start()] if header else text)
    except tomllib.TOMLDecodeError:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise _unreadable(path, f"it is not valid TOML ({error})") from None
    version = data.get("version", 0)
    if type(version) is not int:
        raise _unreadable(path, f"its version {version!r} is not an integer")
    return version


def _unreadable(path: Path, why: str) -> CaseFileError:
    return CaseFileError(
        path,
        "version",
        f"cannot check the saved file's version: {why}",
        "repair or move the file (`rectflow status` names the problem), then save again",
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the sidecar ``.<name>.lock`` next to ``path``.

    The lock file stays: removing it while another writer waits on it would let a third writer
    lock a new file of the same name at the same time.
    """
    with path.with_name(f".{path.name}.lock").open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _remove_stale_temporaries(path: Path) -> None:
    # Every writer holds the lock while its temporary file exists, so any found now is stale.
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            # 0o666 less the umask, as for any new file; an existing file's mode is copied below.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:  # pragma: no cover - a 48-bit random name collided
            continue
        break
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileNotFoundError):
            temp.chmod(stat.S_IMODE(path.stat().st_mode))
        os.replace(temp, path)  # noqa: PTH105 - tests patch os.replace to simulate a crash
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
