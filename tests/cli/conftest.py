"""The command line's tests run in English whatever the machine's locale: a command without
``--lang`` answers in the locale's language (``LANG=zh_CN.UTF-8`` → Chinese), so every test here
starts from ``LANG=C.UTF-8``; a test about the locale sets its own."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """``LANG=C.UTF-8`` with ``LC_ALL`` and ``LC_MESSAGES`` unset."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
