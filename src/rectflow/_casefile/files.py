"""Case files on disk: reading them, and saving them atomically under a version check.

A save never leaves a half-written file: the text goes to a temporary file in the same folder,
which is flushed, fsynced and renamed over the old one (a rename within a folder is atomic), and
the folder is fsynced so the rename itself survives a crash. Two writers of one file cannot lose
each other's updates: each holds an exclusive lock on a sidecar ``.<name>.lock`` while it
compares the ``version`` on disk with the version it loaded, and writes version + 1 (``lock``
says which lock each platform gets, and why no sidecar stays after a save). The
document itself is ``document``'s business, including :data:`SCHEMA_VERSION` (``1``, the
``schema`` key this rectflow reads and writes); ``docs/case-file.md`` describes it.

Nothing unreadable is written: the document is structured back with the strict loader before a
byte reaches the disk, so whatever is saved loads again. A path is followed through symlinks to
the file it names: that file is locked (by its resolved name, so a writer through a link and
one through the real path share the lock), replaced with its mode and owner kept, and the link
stays a link. Only regular files are read or replaced (never a device, a FIFO or a folder),
and none larger than :data:`MAX_INPUT_BYTES`.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import re
import stat
import tomllib
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import tomli_w

from rectflow._casefile.document import (
    SCHEMA_VERSION,
    structure_case,
    structure_located,
    unstructure_case,
)
from rectflow._casefile.eventrows import loads_document
from rectflow._casefile.locate import KeyPath, format_key_path
from rectflow._casefile.lock import locked
from rectflow._core.fields import find_invalid
from rectflow._core.model import Case
from rectflow._i18n import N_, Msg, toml_message
from rectflow._inputs import MAX_INPUT_BYTES, TOML_ERRORS, kind_of, read_input
from rectflow._textio import decode_utf8
from rectflow.errors import CaseFileError, ConflictError, RectflowError

__all__ = [
    "MAX_INPUT_BYTES",
    "SCHEMA_VERSION",
    "check_output",
    "dumps_case",
    "dumps_new_case",
    "load_case",
    "loads_case",
    "save_case",
    "structure_case",
    "unstructure_case",
    "write_output",
]

_SOURCE = Path | str | None


def dumps_case(case: Case) -> str:
    """The case as case-file text (TOML, ``schema = 1``).

    Raises:
        CaseFileError: the case could not be loaded back (a wrong type put in a list, a
            duplicate id, a stored state its events do not lead to, a string that is not text,
            …); ``key_path`` says where. Nothing is returned that :func:`loads_case` refuses.
    """
    return _checked_text(case, None, None)


def dumps_new_case(case: Case) -> str:
    """The text :func:`save_case` writes for ``case`` as a new file (``version`` + 1)."""
    return _checked_text(case, None, case.version + 1)


def _checked_text(case: Case, path: Path | None, version: int | None) -> str:
    """The text of ``case`` (with ``version`` when given), refused unless the loader reads it.

    The document is structured back by the same strict loader ``loads_case`` uses, so any
    value, id, reference or state it would refuse is refused here, with its key path. TOML
    writes and reads back every value that passes (strings, integers, dates, arrays, tables),
    so loading the text gives the same case; only text that is not Unicode (lone surrogates)
    is left to find, and :func:`_not_text` finds it.
    """
    # A value put in behind the model's checks (a list appended to, object.__setattr__) might
    # be written as something else (a str where a tuple belongs becomes its characters).
    found = find_invalid(case)
    if found is not None:
        key_path, error = found
        raise CaseFileError(
            path,
            format_key_path(key_path),
            Msg("the case cannot be written as it is: {error}", error=Msg.of(str(error))),
            N_("correct the value; nothing was written"),
        )
    document = unstructure_case(case)
    if version is not None:
        document["version"] = version
    try:
        structure_located(document, path, None)
    except CaseFileError as refused:
        raise _unwritable(path, refused.key_path, refused.reason, refused.fix) from None
    where = _not_text(document, ())
    if where is not None:
        raise CaseFileError(
            path,
            format_key_path(where),
            N_(
                "the case cannot be written: this string holds a lone surrogate (text decoded "
                "from bytes that were not UTF-8), which no UTF-8 file can hold"
            ),
            N_("replace it with the text meant (decode the bytes with the right encoding)"),
        )
    return tomli_w.dumps(document)


def _unwritable(
    path: Path | None, where: str, reason: str, fix: str | None = None
) -> CaseFileError:
    """The error for a case the loader would refuse."""
    return CaseFileError(
        path,
        where,
        Msg(
            "the case cannot be written as it is (loading it back would fail): {reason}",
            reason=Msg.of(reason),
        ),
        Msg(
            "{fix}; nothing was written",
            fix=Msg.of(fix) if fix else Msg.of(N_("correct the value")),
        ),
    )


def _not_text(value: object, path: KeyPath) -> KeyPath | None:
    """The key path of the first string (or key) under ``value`` that UTF-8 cannot encode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _not_text(key, (*path, str(key))) or _not_text(item, (*path, str(key)))
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _not_text(item, (*path, index))
            if found is not None:
                return found
    return None


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
    text = text.removeprefix("\ufeff")  # a byte-order mark read as text
    return structure_located(_parsed(text, source), source, text)


def _parsed(text: str, source: _SOURCE) -> dict[str, Any]:
    """The document in case-file ``text`` (no byte-order mark), or a :class:`CaseFileError`
    naming the line."""
    try:
        data = loads_document(text)
    except TOML_ERRORS as error:
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
            Msg("not valid TOML: {message}", message=toml_message(message)),
            N_("correct the syntax there (strings need quotes, tables [name], arrays [a, b])"),
            line,
        ) from None
    except RecursionError:  # tomllib recurses into nested inline tables and arrays
        raise CaseFileError(
            source,
            "",
            N_("the document nests inline tables or arrays too deeply to read"),
            N_("a case file needs only a few levels: remove the deep nesting"),
        ) from None
    return data


def load_case(path: Path | str) -> Case:
    """The case in a case file (see :func:`loads_case` for what is checked).

    Raises:
        CaseFileError: the file cannot be read, is not a regular file, is larger than
            :data:`MAX_INPUT_BYTES`, is not UTF-8 (a byte-order mark is dropped; GB18030 is
            refused with how to convert it), or is not a valid case.
    """
    path = Path(path)
    raw = read_input(path, _case_file_error(path))
    digest = _fingerprint(raw)
    text = decode_utf8(raw, lambda reason, fix, line: CaseFileError(path, "", reason, fix, line))
    del raw  # the text is all that is read from now on: a big file\'s bytes need not wait
    data = _parsed(text.text.removeprefix("\ufeff"), path)
    # Nor need its text wait while the model is built (a str of Chinese text takes twice the
    # bytes of its ASCII): an error found in the document reads the file again for its line.
    del text
    return structure_located(data, path, functools.partial(_text_again, path, digest))


def _text_again(path: Path, digest: tuple[int, int]) -> str | None:
    """The text of ``path`` if its bytes are still those hashed to ``digest``, else None (a
    file changed since it was read has no trustworthy line for the error)."""
    try:
        raw = read_input(path, _case_file_error(path))
    except CaseFileError:
        return None
    if _fingerprint(raw) != digest:
        return None
    return raw.decode("utf-8").removeprefix("\ufeff")


def _fingerprint(raw: bytes) -> tuple[int, int]:
    """Enough to tell a file's bytes from changed ones (a CRC: cheap to import and to compute;
    it guards only where an error's line is said to be)."""
    return len(raw), zlib.crc32(raw)


# -- reading -----------------------------------------------------------------------------------


def _case_file_error(path: Path) -> Callable[[str, str], RectflowError]:
    return lambda reason, fix: CaseFileError(path, "", reason, fix)


# -- saving ------------------------------------------------------------------------------------

_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def save_case(case: Case, path: Path | str) -> None:
    """Write the case to ``path`` atomically, checking that no one else saved it meanwhile.

    The case is first checked as :func:`dumps_case` checks it (nothing the loader would refuse
    is written). A symlink is followed to its target, which is what is locked and replaced; the
    link stays. Under an exclusive lock on ``.<name>.lock`` beside the target (removed again
    when the save ends, saved or refused), the ``version``
    on disk must equal ``case.version`` (a new file needs version 0). The case is written with
    version + 1 to a temporary file in the target's folder, flushed and fsynced, given the old
    file's mode and owner, renamed over it, and the folder is fsynced; then ``case.version`` is
    incremented. An error at any point leaves the old file as it was and removes the temporary
    file; a writer killed mid-write leaves the old file intact too, and the next save removes
    the temporary file it left behind.

    Raises:
        ConflictError: the file's version is not ``case.version``; nothing was written.
        CaseFileError: the case could not be loaded back (``key_path`` says where), the path
            names something other than a regular file, the file on disk cannot be read, or
            the folder cannot be written; nothing was written.
    """
    path = Path(path)
    data = _checked_text(case, path, case.version + 1).encode("utf-8")
    try:
        target = _target(path)
        with locked(target, path):
            found = _version_on_disk(target)
            if found != case.version:
                raise ConflictError(path, case.version, found)
            _remove_stale_temporaries(target)
            _write_atomically(target, data)
            case.version = case.version + 1
            _fsync_folder(target.parent)
    except OSError as error:
        raise CaseFileError(
            path,
            "",
            Msg("cannot write the file: {error}", error=Msg.of(error.strerror or str(error))),
            N_("check that the folder exists and is writable; the old file is unchanged"),
        ) from None


def _version_on_disk(path: Path) -> int:
    """The ``version`` of the file at ``path``; 0 when there is no file yet."""
    if not path.exists():
        return 0
    raw = read_input(path, lambda reason, _fix: _unreadable(path, reason))
    text = decode_utf8(raw, lambda reason, _fix, _line: _unreadable(path, reason)).text
    # Top-level keys come before the first table header, so parsing that part alone is enough;
    # when the cut falls inside a multi-line string it does not parse, and the whole file is read.
    header = _HEADER.search(text)
    try:
        data = tomllib.loads(text[: header.start()] if header else text)
    except tomllib.TOMLDecodeError:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise _unreadable(
                path, Msg("it is not valid TOML ({error})", error=toml_message(str(error)))
            ) from None
    version = data.get("version", 0)
    if type(version) is not int:
        raise _unreadable(path, Msg("its version {version!r} is not an integer", version=version))
    return version


def _unreadable(path: Path, why: str) -> CaseFileError:
    return CaseFileError(
        path,
        "version",
        Msg("cannot check the saved file's version: {why}", why=Msg.of(why)),
        N_("repair or move the file (`rectflow status` names the problem), then save again"),
    )


def _target(path: Path) -> Path:
    """The file ``path`` names, through any symlinks; refused unless it is a regular file.

    A path that does not exist yet is a new file (a dangling link names its target).
    """
    target = Path(os.path.realpath(path))
    try:
        found = target.stat()
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(found.st_mode):
        raise CaseFileError(
            path,
            "",
            Msg(
                "not a regular file ({target} is a {kind}): rectflow replaces only regular files",
                target=target,
                kind=Msg.of(kind_of(found.st_mode)),
            ),
            N_("write to the path of a file"),
        )
    return target


def check_output(
    path: Path | str, *, force: bool = False, inputs: Iterable[Path | str] = ()
) -> Path:
    """The file an output to ``path`` would replace, or the error that refuses it.

    The rules of every output: an existing file is replaced only with ``force``; a symlink is
    followed and its target replaced (with its mode and owner), the link kept; nothing that is
    not a regular file is ever replaced (``/dev/null``, a FIFO, a folder); and none of
    ``inputs`` (the files the output was made from; ``-`` is standard input) is ever written
    over, ``force`` or not.

    Raises:
        CaseFileError: one of those rules refuses the path.
    """
    path = Path(path)
    target = _target(path)
    for source in inputs:
        if source != "-" and Path(os.path.realpath(source)) == target:
            raise CaseFileError(
                path,
                "",
                Msg(
                    "it is the input {source} itself, and writing would replace what is read",
                    source=source,
                ),
                N_("write to another path"),
            )
    if target.exists() and not force:
        raise CaseFileError(
            path,
            "",
            N_("the file exists, and writing would replace it"),
            N_("write to a new path, or pass --force to replace it"),
        )
    return target


def write_output(
    path: Path | str, data: bytes, *, force: bool = False, inputs: Iterable[Path | str] = ()
) -> None:
    """Write ``data`` to ``path`` atomically, as the command line's ``-o`` does, under the
    rules of :func:`check_output`.

    Raises:
        CaseFileError: one of those rules refuses the path, or the folder cannot be written;
            nothing was written.
    """
    path = Path(path)
    target = check_output(path, force=force, inputs=inputs)
    try:
        _write_atomically(target, data)
        _fsync_folder(target.parent)
    except OSError as error:
        raise CaseFileError(
            path,
            "",
            Msg("cannot write the file: {error}", error=Msg.of(error.strerror or str(error))),
            N_("check that the folder exists and is writable; nothing was changed"),
        ) from None


def _remove_stale_temporaries(path: Path) -> None:
    # Every writer holds the lock while its temporary file exists, so any found now is stale.
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    import secrets  # noqa: PLC0415 - hashlib and OpenSSL only for a save, not for every load

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
        _keep_mode_and_owner(temp, path)
        os.replace(temp, path)  # noqa: PTH105 - tests patch os.replace to simulate a crash
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _keep_mode_and_owner(temp: Path, path: Path) -> None:
    """Give ``temp`` the mode, and where permitted the owner and group, of the file at ``path``.

    On Windows a mode is only its read-only flag and a file has no POSIX owner (``st_uid`` and
    ``st_gid`` are 0, ``os.chown`` does not exist): the new file gets the folder's inherited
    access list, as any new file there does, and a read-only file is not replaced (Windows
    refuses the rename; the save fails with its reason and the old file stays).
    """
    try:
        old = path.stat()
    except FileNotFoundError:
        return
    temp.chmod(stat.S_IMODE(old.st_mode))
    new = temp.stat()
    if (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
        # Root may give the file back to its owner; anyone may keep a group they belong to.
        chown = getattr(os, "chown", None)  # POSIX only
        if chown is not None:
            with contextlib.suppress(PermissionError):
                chown(temp, old.st_uid, old.st_gid)
        # chown clears set-user/group-id bits: the mode once more.
        temp.chmod(stat.S_IMODE(old.st_mode))


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); Windows cannot open a folder as a file, and
    NTFS journals the rename itself."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
