"""Commands of the ``rectflow`` command line (filled in by its issue)."""

from __future__ import annotations

import click

__all__ = ["COMMANDS"]

COMMANDS: list[click.Command] = []
