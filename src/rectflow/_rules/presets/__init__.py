"""The policy presets shipped with rectflow: one TOML file each, beside this module."""

from __future__ import annotations

from importlib import resources

__all__ = ["shipped_presets"]


def shipped_presets() -> list[tuple[str, str]]:
    """The presets shipped with rectflow (package data): ``(name, toml_text)`` pairs."""
    folder = resources.files(__name__)
    return sorted(
        (entry.name.removesuffix(".toml"), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )
