"""Output any terminal can take: a GBK or ASCII terminal gets what it can show, never a crash.

A Windows console speaks UTF-8 to Python, but output redirected to a file or a pipe is written in
the locale's code page (cp936, that is GBK, on a Chinese Windows), a Kylin or UOS terminal may be
GB18030, and ``PYTHONIOENCODING`` or ``LANG=C`` can make it ASCII. Python's streams then raise
``UnicodeEncodeError`` on the first character the encoding lacks (a ``✓``, a ``→``; every Chinese
character in ASCII) and the command dies half-way. :func:`speak_to_any_terminal` makes standard
output and standard error replace what their encoding cannot hold instead: a few symbols by
their ASCII look-alikes (``→`` as ``->``, ``…`` as ``...``), full-width punctuation by its
ASCII form (``（`` as ``(``), anything else by ``?``. rich sees the stream's encoding and draws
its tables with ASCII lines where it is not UTF-8. A UTF-8 stream is left as it is.
"""

from __future__ import annotations

import codecs
import io
import sys
import unicodedata

__all__ = ["ASCII", "DEGRADE", "degrade", "speak_to_any_terminal"]

DEGRADE = "rectflow.degrade"
"""The name of the codec error handler that replaces what an encoding cannot hold."""

# Symbols rectflow's messages use, and their ASCII look-alikes (NFKC gives the rest where it can).
_LOOK_ALIKES = {
    "→": "->",
    "←": "<-",
    "…": "...",
    "—": "--",
    "–": "-",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "✓": "v",
    "✔": "v",
    "✗": "x",
    "✘": "x",
    "·": ".",
    "、": ",",
    "。": ".",
    "《": "<",
    "》": ">",
    "【": "[",
    "】": "]",
    "〔": "[",
    "〕": "]",
    "÷": "/",
    "×": "x",
    "¶": "P",
}


def degrade(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: each character the encoding lacks becomes its look-alike, its
    compatibility form (NFKC: full-width ``（`` is ``(``) or ``?``, whichever it can encode."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    said = []
    for char in error.object[error.start : error.end]:
        said.append(_replacement(char, error.encoding))
    return "".join(said), error.end


def _replacement(char: str, encoding: str) -> str:
    for candidate in (_LOOK_ALIKES.get(char), unicodedata.normalize("NFKC", char)):
        if candidate and candidate != char:
            try:
                candidate.encode(encoding)
            except UnicodeEncodeError:
                continue
            return candidate
    return "?"


codecs.register_error(DEGRADE, degrade)

ASCII = "rectflow_ascii"
"""ASCII under another name. click takes a stream that says ``ascii`` for a misconfigured
locale and writes UTF-8 to its bytes behind it; a stream that says this name is left alone, so
what rectflow prints to an ASCII terminal degrades like everything else."""


def _find_ascii(name: str) -> codecs.CodecInfo | None:
    if name != ASCII:
        return None
    ascii_ = codecs.lookup("ascii")
    return codecs.CodecInfo(
        ascii_.encode,
        ascii_.decode,
        name=ASCII,
        incrementalencoder=ascii_.incrementalencoder,
        incrementaldecoder=ascii_.incrementaldecoder,
        streamwriter=ascii_.streamwriter,
        streamreader=ascii_.streamreader,
    )


codecs.register(_find_ascii)


def speak_to_any_terminal() -> None:
    """Make standard output and standard error degrade (see the module) unless they are UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):  # a test's capture, or already replaced
            continue
        name = codecs.lookup(stream.encoding).name
        if name.startswith("utf"):
            continue
        if name == "ascii":
            stream.reconfigure(encoding=ASCII, errors=DEGRADE)
        else:
            stream.reconfigure(errors=DEGRADE)
