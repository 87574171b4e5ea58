"""MkDocs hooks (``hooks:`` in mkdocs.yml): what the site shows is drawn from the code.

* **Lifecycle diagrams.** A page marks a diagram with ``<!-- rectflow diagram KIND -->`` …
  ``<!-- /rectflow diagram -->``; the build replaces what lies between with the Mermaid fence of
  :func:`rectflow.mermaid` (what ``rectflow diagram KIND`` prints), so the site cannot show a
  stale lifecycle. The copy kept between the markers is for readers of the Markdown on GitHub,
  which runs no hooks: when it differs from the code the build warns (and ``--strict`` fails).
* **API coverage.** Every name in ``rectflow.__all__`` must have an entry (``::: rectflow.NAME``,
  or its public module's ``:::``) on a page under ``reference/``; a missing one is a warning.

Warnings go through MkDocs' logger, so ``mkdocs build --strict`` turns each into a failure.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import get_plugin_logger

import rectflow
import rectflow.errors

log = get_plugin_logger("rectflow-docs")

DIAGRAM = re.compile(
    r"<!-- rectflow diagram (?P<kind>[\w-]+) -->\n(?P<body>.*?)<!-- /rectflow diagram -->",
    re.DOTALL,
)
ENTRY = re.compile(r"^::: (?P<path>[\w.]+)\s*$", re.MULTILINE)
# Public modules whose ``:::`` entry documents the names rectflow re-exports from them.
PUBLIC_MODULES = {"rectflow.errors": rectflow.errors.__all__}
# Documented in prose on the reference index, not as an object.
UNDOCUMENTED = {"__version__"}


def fence(kind: str) -> str:
    """The Mermaid fence of one lifecycle, exactly as ``rectflow diagram KIND`` prints it."""
    return f"```mermaid\n{rectflow.mermaid(kind)}```\n"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Replace each marked diagram with the one drawn from the lifecycle now."""
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

    return DIAGRAM.sub(draw, markdown)


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
