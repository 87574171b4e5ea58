"""rectflow's version, read from the installed package's metadata.

The ``Version:`` line of ``rectflow-*.dist-info/METADATA`` is read straight from the first
``sys.path`` entry that holds it (the distribution ``importlib.metadata`` would find), because
importing ``importlib.metadata`` costs more than a quick command of the CLI takes altogether;
``importlib.metadata`` is the fallback for any other layout (an egg, a zip).
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["__version__"]

_PREFIX = "rectflow-"
_SUFFIX = ".dist-info"


def _from_dist_info() -> str | None:
    """The version in the first ``rectflow-*.dist-info`` found along ``sys.path``, or ``None``."""
    for entry in sys.path:
        try:
            found = sorted(Path(entry or ".").iterdir())
        except OSError:  # a zip, a missing folder
            continue
        for path in found:
            if not (path.name.startswith(_PREFIX) and path.name.endswith(_SUFFIX)):
                continue
            try:
                with (path / "METADATA").open(encoding="utf-8") as metadata:
                    for line in metadata:
                        if line.startswith("Version:"):
                            return line.partition(":")[2].strip()
                        if not line.strip():  # the headers end at the first blank line
                            break
            except OSError:
                continue
    return None


def _version() -> str:
    found = _from_dist_info()
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("rectflow")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0+unknown"


__version__ = _version()
