"""The Babel extractor ``make catalogues`` uses (babel.cfg): the msgids of the Python source,
and the help texts of the command line as click shows them (and the options' help that
``rectflow policy init`` writes as comments, from the rules' options classes).

click takes a command's help from its function's docstring and an option's from ``help=``;
neither is a gettext call, so Babel's Python extractor does not see them. This one yields
them too, each exactly as click holds it at run time (``inspect.cleandoc`` of the text, up to a
``\\f``), so ``rectflow --help`` under the Chinese locale finds its words in the catalogue
(``rectflow._cli.main`` says the help through it). Only ``pybabel`` and the catalogue tests
import this module; rectflow itself never does.
"""

from __future__ import annotations

import ast
import inspect
import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any, cast

from babel.messages.extract import extract_python

from rectflow._rules.policy_file import documented_attributes

__all__ = ["extract", "help_texts"]

# Calls whose ``help=`` / ``short_help=`` is a help text (click.option, @group.command …).
_HELP_CALLS = frozenset(
    {
        "option",
        "argument",
        "Option",
        "Argument",
        "command",
        "group",
        "Command",
        "Group",
        "version_option",
        "help_option",
    }
)
_COMMANDS = frozenset({"command", "group", "Command", "Group"})
# The keywords whose text a help page shows (show_default: the words standing for a default).
_HELP_KEYWORDS = ("help", "short_help", "show_default")
_COMMENT = "click help"


def clean(text: str) -> str:
    """``text`` as click shows it: dedented and trimmed, cut at a form feed."""
    return inspect.cleandoc(text).partition("\f")[0].strip()


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def help_texts(source: str) -> Iterator[tuple[int, str]]:
    """Every click help text in ``source``, with its line: ``help=``, ``short_help=`` and a
    ``show_default=`` text of a click call, and the docstring of a function decorated as a
    command without ``help=``."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in _HELP_CALLS:
            for keyword in node.keywords:
                text = _constant(keyword.value) if keyword.arg in _HELP_KEYWORDS else None
                if text and clean(text):
                    yield keyword.value.lineno, clean(text)
        if isinstance(node, ast.ClassDef) and node.name.endswith("Options"):
            # A rule's options class: its Attributes entries are the options' comments in
            # `rectflow policy init` (rectflow._rules.policy_file.documented_attributes).
            docstring = ast.get_docstring(node, clean=False)
            for text in documented_attributes(docstring or "").values():
                yield node.lineno, text
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            commands = [
                d
                for d in node.decorator_list
                if isinstance(d, ast.Call | ast.Attribute | ast.Name) and _name(d) in _COMMANDS
            ]
            helped = any(
                k.arg == "help" for d in commands if isinstance(d, ast.Call) for k in d.keywords
            )
            docstring = ast.get_docstring(node, clean=False)
            if commands and not helped and docstring and clean(docstring):
                yield node.lineno, clean(docstring)


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[tuple[Any, ...]]:
    """Babel's Python extraction of ``fileobj``, then its click help texts: each a (line,
    function, message, comments), the function empty for a help text (no keyword, no msgctxt)."""
    data = fileobj.read()
    yield from extract_python(io.BytesIO(data), keywords, comment_tags, cast("Any", options))
    encoding = str(options.get("encoding", "utf-8"))
    for line, text in help_texts(data.decode(encoding)):
        yield line, "", text, [_COMMENT]
