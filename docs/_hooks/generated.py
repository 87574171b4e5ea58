"""MkDocs hooks (``hooks:`` in mkdocs.yml): what the site shows is drawn from the code.

* **Lifecycle diagrams.** A page marks a diagram with ``<!-- rectflow diagram KIND -->`` …
  ``<!-- /rectflow diagram -->``; the build replaces what lies between with the Mermaid fence of
  :func:`rectflow.mermaid` (what ``rectflow diagram KIND`` prints), so the site cannot show a
  stale lifecycle. The copy kept between the markers is for readers of the Markdown on GitHub,
  which runs no hooks: when it differs from the code the build warns (and ``--strict`` fails).
* **The architecture's facts.** ``<!-- rectflow rooms -->``, ``<!-- rectflow layers -->`` and
  ``<!-- rectflow contracts -->`` (each closed by ``<!-- /rectflow NAME -->``) become the module
  tree of ``src/rectflow/``, a Mermaid drawing of the room layers and the import-linter
  contracts, read from the source and from ``pyproject.toml``. What lies between the markers in
  the Markdown is only a note for GitHub readers.
* **API coverage.** Every name in ``rectflow.__all__`` must have an entry (``::: rectflow.NAME``,
  or its public module's ``:::``) on a page under ``reference/``; a missing one is a warning.

Warnings go through MkDocs' logger, so ``mkdocs build --strict`` turns each into a failure.
"""

from __future__ import annotations

import re
import textwrap
import tomllib
from pathlib import Path
from typing import Any

from mkdocs.plugins import get_plugin_logger

import rectflow
import rectflow.errors

log = get_plugin_logger("rectflow-docs")

DIAGRAM = re.compile(
    r"<!-- rectflow diagram (?P<kind>[\w-]+) -->\n(?P<body>.*?)<!-- /rectflow diagram -->",
    re.DOTALL,
)
GENERATED = re.compile(
    r"<!-- rectflow (?P<what>rooms|layers|contracts) -->\n.*?<!-- /rectflow (?P=what) -->",
    re.DOTALL,
)
PACKAGE = Path(rectflow.__file__).resolve().parent
WIDTH = 76  # what a code block on a page of the theme shows without scrolling
ENTRY = re.compile(r"^::: (?P<path>[\w.]+)\s*$", re.MULTILINE)
# Public modules whose ``:::`` entry documents the names rectflow re-exports from them.
PUBLIC_MODULES = {"rectflow.errors": rectflow.errors.__all__}
# Documented in prose on the reference index, not as an object.
UNDOCUMENTED = {"__version__"}


def fence(kind: str) -> str:
    """The Mermaid fence of one lifecycle, exactly as ``rectflow diagram KIND`` prints it."""
    return f"```mermaid\n{rectflow.mermaid(kind)}```\n"


def contracts(config: Any) -> list[dict[str, Any]]:
    """The import-linter contracts of the project's pyproject.toml, in their order."""
    pyproject = Path(config.config_file_path).resolve().parent / "pyproject.toml"
    with pyproject.open("rb") as file:
        found: list[dict[str, Any]] = tomllib.load(file)["tool"]["importlinter"]["contracts"]
    return found


def room_layers(config: Any) -> list[list[str]]:
    """The rooms of the first whole-package layers contract, top layer first."""
    for contract in contracts(config):
        if contract["type"] == "layers" and not contract.get("containers"):
            return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]
    log.warning("pyproject.toml: no layers contract over the whole package")
    return []


def rooms(config: Any) -> str:
    """The module tree of src/rectflow/: the public files, then each room, top layer first."""
    order = [name.removeprefix("rectflow.") for layer in room_layers(config) for name in layer]
    packages = sorted(
        (path for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()),
        key=lambda path: (order.index(path.name) if path.name in order else len(order), path.name),
    )
    files = sorted(path.name for path in PACKAGE.iterdir() if path.is_file())
    lines = [
        "src/rectflow/",
        textwrap.fill("  ".join(files), width=WIDTH, initial_indent="  ", subsequent_indent="  "),
    ]
    for package in packages:
        modules = sorted(path.stem for path in package.glob("*.py") if path.stem != "__init__")
        folders = sorted(
            f"{path.name}/"
            for path in package.iterdir()
            if path.is_dir() and not path.name.startswith(("_", "."))
        )
        text = ", ".join(modules) + ("; " if modules and folders else "") + ", ".join(folders)
        lines.append(
            textwrap.fill(
                text,
                width=WIDTH,
                initial_indent=f"  {package.name + '/':<12} ",
                subsequent_indent=" " * 15,
                break_on_hyphens=False,
            )
        )
    return "```text\n" + "\n".join(lines) + "\n```\n"


def layers(config: Any) -> str:
    """The room layers as a Mermaid flowchart: an arrow means "may import"."""
    stack = room_layers(config)
    lines = ["```mermaid", "flowchart TB"]
    for number, layer in enumerate(stack):
        label = " · ".join(name.removeprefix("rectflow.") for name in layer)
        lines.append(f'    L{number}["{label}"]')
    lines.extend(f"    L{number} --> L{number + 1}" for number in range(len(stack) - 1))
    return "\n".join(lines) + "\n```\n"


def contract_list(config: Any) -> str:
    """Every import-linter contract: its name, and what it holds, as pyproject.toml says."""
    parts = []
    for contract in contracts(config):
        kind = contract["type"]
        if kind == "layers":
            where = ", ".join(f"`{name}`" for name in contract.get("containers", ()))
            within = f" within {where}" if where else ""
            body = "\n".join(contract["layers"])
            parts.append(
                f"**{contract['name']}** (layers{within}, top first):\n\n```text\n{body}\n```\n"
            )
        elif kind == "forbidden":
            sources = ", ".join(f"`{name}`" for name in contract["source_modules"])
            targets = ", ".join(f"`{name}`" for name in contract["forbidden_modules"])
            parts.append(f"**{contract['name']}**: {sources} may not import {targets}.\n")
        elif kind == "acyclic_siblings":
            roots = ", ".join(f"`{name}`" for name in contract["ancestors"])
            parts.append(f"**{contract['name']}**: no circle among the siblings under {roots}.\n")
        else:
            log.warning("pyproject.toml: contract type %r is not drawn on the site yet", kind)
            parts.append(f"**{contract['name']}** ({kind}): see `pyproject.toml`.\n")
    return "\n".join(parts)


def on_page_markdown(markdown: str, page: Any, config: Any, **_: Any) -> str:
    """Replace each marked diagram and fact with the one drawn from the code now."""
    where = page.file.src_uri

    def draw(match: re.Match[str]) -> str:
        kind = match["kind"]
        try:
            drawn = fence(kind)
        except ValueError as error:
            log.warning("%s: <!-- rectflow diagram %s -->: %s", where, kind, error)
            return match[0]
        if match["body"] != drawn:
            log.warning(
                "%s: the %s diagram between its markers is not what `rectflow diagram %s` "
                "prints; replace it with that output (the site shows the generated one)",
                where,
                kind,
                kind,
            )
        return f"<!-- rectflow diagram {kind} -->\n{drawn}<!-- /rectflow diagram -->"

    def generate(match: re.Match[str]) -> str:
        what = match["what"]
        drawn = {"rooms": rooms, "layers": layers, "contracts": contract_list}[what](config)
        return f"<!-- rectflow {what} -->\n{drawn}<!-- /rectflow {what} -->"

    return GENERATED.sub(generate, DIAGRAM.sub(draw, markdown))


def on_files(files: Any, **_: Any) -> Any:
    """Warn about each public name that no reference page documents."""
    documented: set[str] = set()
    for file in files.documentation_pages():
        if not file.src_uri.startswith("reference/"):
            continue
        for match in ENTRY.finditer(file.content_string):
            path = match["path"]
            documented.add(path.removeprefix("rectflow."))
            documented.update(PUBLIC_MODULES.get(path, ()))
    missing = sorted(set(rectflow.__all__) - documented - UNDOCUMENTED)
    if missing:
        log.warning(
            "reference/: no `::: rectflow.NAME` entry for %s; add each to the page of its group",
            ", ".join(missing),
        )
    return files
