"""Decoding the files users give rectflow: which bytes are which text, decided in one place.

Every reader of a user's file decodes through here (after :func:`rectflow._inputs.read_input`):

* TOML files (case files, policies, schedules, round files) are UTF-8, as the TOML
  specification says. A UTF-8 byte-order mark (what Notepad and Excel put first) is dropped;
  CRLF line endings are TOML's own business (it reads both). A file in GB18030/GBK is refused
  with a reason saying it looks like GB18030 and a fix saying how to convert it: guessing would
  make a case file that is saved back in another encoding than it was read.
* Notices (text copied from web pages and Word) are read as UTF-8 (a BOM dropped), else as
  GB18030, the superset of GBK and GB2312 that Chinese Windows saves in; the caller says which
  in a warning (:attr:`Decoded.note`).

Imports nothing of rectflow but its catalogue words, like :mod:`rectflow._inputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rectflow._i18n import N_, Msg

__all__ = [
    "BOM",
    "GB18030",
    "UTF_8",
    "UTF_8_BOM",
    "UTF_16_BOMS",
    "Decoded",
    "decode_notice",
    "decode_utf8",
]

UTF_8 = "UTF-8"
UTF_8_BOM = "UTF-8 with BOM"
GB18030 = "GB18030"
BOM = b"\xef\xbb\xbf"
# What Notepad's "Unicode" and Windows PowerShell 5.1's `>` and Out-File put first (LE), and BE.
UTF_16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Decoded(NamedTuple):
    """A file's text and the encoding it was read in (``UTF_8``, ``UTF_8_BOM`` or ``GB18030``)."""

    text: str
    encoding: str

    def note(self, name: str) -> Msg | None:
        """A warning when the file was read as anything but UTF-8 (a BOM is UTF-8 too)."""
        if self.encoding != GB18030:
            return None
        return Msg("{name}: not UTF-8; read as GB18030 (GBK)", name=name)


# Raises the reader's own error from a reason, a fix and the line of the bad byte.
Refuse = Callable[[str, str, int | None], Exception]


def decode_utf8(raw: bytes, refuse: Refuse) -> Decoded:
    """The UTF-8 text of ``raw`` (a BOM dropped), or ``refuse``'s error naming the bad byte.

    Text that is not UTF-8 but reads as GB18030 is said to be so, with how to convert it.
    """
    skip = len(BOM) if raw.startswith(BOM) else 0
    try:
        text = raw[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        # The error's place is in the bytes after the BOM; the file's is that plus the BOM.
        raise _not_utf8(raw, skip + error.start, refuse) from None
    return Decoded(text, UTF_8_BOM if skip else UTF_8)


def decode_notice(raw: bytes, refuse: Refuse) -> Decoded:
    """The text of a notice: UTF-8 (a BOM dropped), else GB18030; else ``refuse``'s error."""
    try:
        return decode_utf8(raw, _utf8_failed)
    except _NotUtf8Error:
        pass
    try:
        return Decoded(raw.decode("gb18030"), GB18030)
    except UnicodeDecodeError as error:
        utf16 = _utf16(raw, refuse)
        if utf16 is not None:
            raise utf16 from None
        raise refuse(
            Msg(
                "neither UTF-8 nor GB18030 text (byte {byte} at offset {offset})",
                byte=format(raw[error.start], "#04x"),
                offset=error.start,
            ),
            N_("save it as UTF-8 text"),
            raw.count(b"\n", 0, error.start) + 1,
        ) from None


class _NotUtf8Error(Exception):
    pass


def _utf8_failed(_reason: str, _fix: str, _line: int | None) -> Exception:
    return _NotUtf8Error()


def _utf16(raw: bytes, refuse: Refuse) -> Exception | None:
    """The refusal of UTF-16 text (its byte-order mark first, which is neither UTF-8 nor
    GB18030), saying what it is; ``None`` for anything else."""
    if not raw.startswith(UTF_16_BOMS):
        return None
    return refuse(
        N_(
            "not UTF-8 text: it is UTF-16 (it starts with UTF-16's byte-order mark), and this "
            "file must be UTF-8"
        ),
        N_(
            "save it as UTF-8: in Notepad, Save As with the encoding UTF-8 (Windows PowerShell "
            "5.1's `>` writes UTF-16: pipe to `Set-Content -Encoding UTF8 FILE` instead)"
        ),
        1,
    )


def _not_utf8(raw: bytes, offset: int, refuse: Refuse) -> Exception:
    """The refusal of ``raw``, whose first byte that is not UTF-8 is at ``offset``."""
    utf16 = _utf16(raw, refuse)
    if utf16 is not None:
        return utf16
    byte = format(raw[offset], "#04x")
    line = raw.count(b"\n", 0, offset) + 1
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return refuse(
            Msg("not UTF-8 text (byte {byte} at offset {offset})", byte=byte, offset=offset),
            N_("save it as UTF-8 text"),
            line,
        )
    return refuse(
        Msg(
            "not UTF-8 text: it reads as GB18030 (GBK), and this file must be UTF-8 "
            "(byte {byte} at offset {offset})",
            byte=byte,
            offset=offset,
        ),
        N_(
            "save it as UTF-8: in Notepad, Save As with the encoding UTF-8; or convert it with "
            "`iconv -f GB18030 -t UTF-8 FILE > NEW`"
        ),
        line,
    )
