"""A griffe extension (mkdocs.yml, mkdocstrings' ``extensions``): Sphinx roles become links.

rectflow's docstrings cross-reference with Sphinx roles (``:func:`rectflow.fire```,
``:class:`~rectflow.errors.PolicyError```, ``:meth:`due```), which read well in ``help()`` and
in an editor. Markdown knows none of them, so the API reference would show the role as text.
This extension rewrites each role, once griffe has loaded the package, into an mkdocs-autorefs
link to the object it names, resolved in the docstring's own scope the way Python would (a bare
``:func:`ledgers``` in ``rectflow._testing.strategies`` is that module's ``ledgers``):

* a name that resolves inside rectflow becomes an optional autoref, so it links wherever the
  site documents the object (under its public or its canonical path) and reads as plain code
  where the site does not (a private helper);
* a name outside rectflow (``unittest.TestCase``) becomes plain code;
* a name that resolves nowhere is a mistake in the docstring: griffe logs a warning, which
  ``mkdocs build --strict`` turns into a failure.

It also turns reST's literal-block marker (a line ending in ``::``) into a plain colon, since the
indented block after it is already a code block in Markdown.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import griffe

logger = griffe.get_logger("rectflow-docs.sphinx_roles")

ROLE = re.compile(
    r":(?:func|class|mod|meth|attr|data|exc|obj|const):`(?P<tilde>~?)(?P<name>[\w.]+)`"
)
LITERAL_MARKER = re.compile(r"(?<=\S)::$", re.MULTILINE)
ROOT = "rectflow"


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx cross-reference roles in every docstring of the loaded package."""

    def on_package(self, *, pkg: griffe.Module, **_: Any) -> None:
        """Walk the package once it is loaded, when every name in it can be resolved."""
        if pkg.path == ROOT:
            self._rewrite(pkg)

    def _rewrite(self, obj: griffe.Object) -> None:
        if obj.docstring is not None:
            text = ROLE.sub(lambda match: self._link(obj, match), obj.docstring.value)
            obj.docstring.value = LITERAL_MARKER.sub(":", text)
        for member in obj.members.values():
            if isinstance(member, griffe.Object):  # an alias's docstring is its target's
                self._rewrite(member)

    def _link(self, obj: griffe.Object, match: re.Match[str]) -> str:
        name = match["name"]
        title = name.rsplit(".", 1)[-1] if match["tilde"] else name
        code = f"<code>{escape(title)}</code>"
        path = self._resolve(obj, name)
        if path is None:
            logger.warning(
                "%s: the docstring names `%s`, which nothing in scope defines; write its full "
                "dotted path (`rectflow.…`) in the role",
                obj.path,
                name,
            )
            return code
        if path != ROOT and not path.startswith(f"{ROOT}."):
            return code
        try:
            obj.modules_collection[path]
        except (KeyError, griffe.AliasResolutionError):
            logger.warning("%s: the docstring names `%s`, which does not exist", obj.path, path)
            return code
        return f'<autoref identifier="{escape(path)}" optional>{code}</autoref>'

    @staticmethod
    def _resolve(obj: griffe.Object, name: str) -> str | None:
        """The full path ``name`` means inside ``obj``, or None when nothing defines it."""
        if name == ROOT or name.startswith(f"{ROOT}."):
            return name
        first, _, rest = name.partition(".")
        try:
            base = obj.resolve(first)
        except griffe.NameResolutionError:
            # A dotted name that is not imported here (``unittest.TestCase``) names the outside.
            return name if rest else None
        return f"{base}.{rest}" if rest else base
