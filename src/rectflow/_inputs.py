"""Reading what a user gives rectflow: regular files of a bounded size, and standard input.

Case files, notices and policy files are read through :func:`read_input`, which refuses a FIFO, a
device, a folder or a socket without waiting on it, and a file larger than
:data:`MAX_INPUT_BYTES` before reading it (rather than reading until memory runs out). Each caller
names its own error (a case file's ``CaseFileError``, a policy's ``PolicyError``), so this module
imports nothing of rectflow but its catalogue words (:mod:`rectflow._i18n`) and sits below every
other room.
"""

from __future__ import annotations

import errno
import os
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from rectflow._i18n import N_, Msg, translate

__all__ = [
    "MAX_INPUT_BYTES",
    "TOML_ERRORS",
    "kind_of",
    "loads_toml",
    "read_input",
    "read_stream",
    "toml_parser",
]

MAX_INPUT_BYTES = 128 * 1024 * 1024
"""The largest case file, notice or policy file rectflow reads (128 MiB): a larger one is refused
before it is read, rather than read until memory runs out. A real case file of 500 measures is
about 0.2 MiB."""

# The operating system's reasons a file cannot be opened, in Chinese (the English is strerror).
_ERRNO_ZH = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "操作不被允许",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ELOOP: "符号链接层数过多",
    errno.ENAMETOOLONG: "文件名过长",
}


def read_input(
    path: Path | str,
    error: Callable[[str, str], Exception],
    *,
    limit: int = MAX_INPUT_BYTES,
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    A FIFO, a device, a folder or a socket is refused without waiting on it (it is opened
    non-blocking, then looked at); so is a file larger than ``limit``, before it is read.

    Args:
        path: the file.
        error: makes the error to raise from a reason and a fix (each kind of input names its
            own error: a case file's :class:`~rectflow.errors.CaseFileError`, a policy's
            ``PolicyError``, …).
        limit: the largest size read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as failure:
        reason = failure.strerror or str(failure)
        raise error(
            Msg(
                "cannot read the file: {reason}",
                reason=reason,
                zh={"reason": _ERRNO_ZH.get(failure.errno or 0, reason)},
            ),
            N_("check the path and permissions"),
        ) from None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            kind = kind_of(found.st_mode)
            raise error(
                Msg("not a regular file (a {kind})", kind=kind, zh={"kind": translate("zh", kind)}),
                N_("give the path of a file"),
            )
        if found.st_size > limit:
            raise error(_too_large(found.st_size, limit), "split it, or give the right file")
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb") as handle:  # noqa: PTH123 - a descriptor, not a path
        # The size it has, and one byte more: a read of ``limit + 1`` bytes would allocate a
        # buffer of that size (128 MiB) for every file, however small.
        raw = handle.read(found.st_size + 1)
        if len(raw) > found.st_size:  # it grew since: read on, up to the limit
            raw += handle.read(limit + 1 - len(raw))
    if len(raw) > limit:  # it grew while being read
        raise error(_too_large(len(raw), limit), "split it, or give the right file")
    return raw


def read_stream(
    stream: BinaryIO, error: Callable[[str, str], Exception], *, limit: int = MAX_INPUT_BYTES
) -> bytes:
    """At most ``limit`` bytes of a stream (standard input); a longer one is refused."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise error(_too_large(len(raw), limit, at_least=True), "give a smaller input")
    return raw


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    mib = 1024 * 1024
    more = "more than " if at_least else ""
    return (
        f"it is {more}{size / mib:.1f} MiB, larger than the {limit / mib:.0f} MiB rectflow reads "
        "(MAX_INPUT_BYTES)"
    )


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words (``folder``, ``FIFO``, …)."""
    kinds = (
        (stat.S_ISDIR, N_("folder")),
        (stat.S_ISFIFO, N_("FIFO")),
        (stat.S_ISCHR, N_("character device")),
        (stat.S_ISBLK, N_("block device")),
        (stat.S_ISSOCK, N_("socket")),
    )
    return next((name for test, name in kinds if test(mode)), N_("special file"))


# -- parsing TOML ------------------------------------------------------------------------------


def _compiled_tomli() -> Any:
    """The ``tomli`` module when it is installed compiled (the ``fast`` extra: its wheels are
    built with mypyc), else ``None``. A pure-Python tomli is no faster than ``tomllib``, which
    is the same parser, so it is not used."""
    try:
        import tomli  # noqa: PLC0415 - optional
        import tomli._parser  # noqa: PLC0415
    except ImportError:
        return None
    compiled = str(getattr(tomli._parser, "__file__", "")).endswith((".so", ".pyd"))
    return tomli if compiled else None


_TOMLI = _compiled_tomli()

TOML_ERRORS: tuple[type[ValueError], ...] = (
    (tomllib.TOMLDecodeError,)
    if _TOMLI is None
    else (tomllib.TOMLDecodeError, _TOMLI.TOMLDecodeError)
)
"""What :func:`loads_toml` raises for text that is not TOML (either parser's error)."""


def toml_parser() -> tuple[Callable[[str], dict[str, Any]], str]:
    """The TOML parser case files are read with, and its name: the compiled ``tomli`` (about 2.5
    times faster on a big case file) when ``rectflow[fast]`` installed it, else the standard
    library's ``tomllib``. Both parse the same text to the same document and refuse the same
    text with the same message (tests/casefile/test_toml_parsers.py): the extra pins tomli
    below 2.3, which began reading TOML 1.1."""
    if _TOMLI is not None:
        return _TOMLI.loads, "tomli"
    return tomllib.loads, "tomllib"


def loads_toml(text: str) -> dict[str, Any]:
    """``text`` parsed by :func:`toml_parser`'s parser; raises one of :data:`TOML_ERRORS` (or
    ``RecursionError`` for nesting too deep to read), as ``tomllib.loads`` does.

    Where the compiled parser runs out of stack (it recurses in C), the standard library's
    decides, so both give the same answer on the same text whatever is installed."""
    if _TOMLI is not None:
        try:
            return _TOMLI.loads(text)  # type: ignore[no-any-return]
        except RecursionError:
            pass
    return tomllib.loads(text)
