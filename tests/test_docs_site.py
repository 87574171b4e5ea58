"""The documentation site's build hooks (docs/_hooks/) draw what the code says and complain.

``mkdocs build --strict`` in ``make test`` runs them on the real pages; these tests hold each
promise on its own, quickly, and with inputs the real pages never have (a stale diagram, an
unknown lifecycle, a docstring naming nothing).
"""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

import rectflow

pytest.importorskip("mkdocs", reason="the docs dependency group is not installed")
griffe = pytest.importorskip("griffe", reason="the docs dependency group is not installed")

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "docs" / "_hooks"
CONFIG = SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"))


def load(name: str) -> ModuleType:
    """One hook module, imported from its file as mkdocs imports it."""
    spec = importlib.util.spec_from_file_location(f"rectflow_docs_{name}", HOOKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generated = load("generated")
sphinx_roles = load("sphinx_roles")


def page(src_uri: str) -> SimpleNamespace:
    """A stand-in for an mkdocs page: the hooks read only its source path."""
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def render(markdown: str) -> str:
    """What the site would show for a page of this Markdown."""
    return str(generated.on_page_markdown(markdown, page("x.md"), CONFIG))


def test_a_stale_lifecycle_diagram_is_drawn_afresh_and_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The site shows ``rectflow.mermaid``'s diagram, and the stale copy is a build warning."""
    stale = "<!-- rectflow diagram item -->\n```mermaid\nold\n```\n<!-- /rectflow diagram -->\n"
    with caplog.at_level(logging.WARNING):
        shown = render(stale)
    assert f"```mermaid\n{rectflow.mermaid('item')}```\n" in shown
    assert "old" not in shown
    assert "not what `rectflow diagram item` prints" in caplog.text


def test_the_diagrams_on_the_lifecycle_page_are_current(caplog: pytest.LogCaptureFixture) -> None:
    """docs/lifecycle.md marks both diagrams, and its copies draw no warning."""
    text = (ROOT / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        shown = render(text)
    for kind in ("case", "item"):
        assert f"<!-- rectflow diagram {kind} -->\n```mermaid\n{rectflow.mermaid(kind)}" in shown
    assert caplog.text == ""


def test_an_unknown_lifecycle_marker_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    """A marker naming no lifecycle is left alone and named in a warning."""
    marked = "<!-- rectflow diagram items -->\nkept\n<!-- /rectflow diagram -->\n"
    with caplog.at_level(logging.WARNING):
        shown = render(marked)
    assert shown == marked
    assert "unknown lifecycle 'items'" in caplog.text


def test_the_module_tree_names_every_room_and_module() -> None:
    """The architecture page's tree lists each package of src/rectflow/ with its modules."""
    shown = render("<!-- rectflow rooms -->\nnote\n<!-- /rectflow rooms -->\n")
    assert "note" not in shown
    source = ROOT / "src" / "rectflow"
    for package in (path for path in source.iterdir() if (path / "__init__.py").is_file()):
        assert f"  {package.name}/" in shown
        for module in package.glob("*.py"):
            if module.stem != "__init__":
                assert re.search(rf"[ ,]{re.escape(module.stem)}[,;\n]", shown), module


def test_the_layer_drawing_follows_the_contract() -> None:
    """The layers drawn are the root layers contract's, top first, each pointing to the next."""
    shown = render("<!-- rectflow layers -->\n<!-- /rectflow layers -->\n")
    assert 'L0["_cli · _testing"]' in shown
    assert 'L1["_dashboard"]' in shown
    assert 'L8["_core"]' in shown
    assert "L0 --> L1" in shown


def test_every_contract_is_listed() -> None:
    """Each import-linter contract in pyproject.toml appears by name on the architecture page."""
    shown = render("<!-- rectflow contracts -->\n<!-- /rectflow contracts -->\n")
    for contract in generated.contracts(CONFIG):
        assert f"**{contract['name']}**" in shown


def test_every_public_name_has_a_reference_entry() -> None:
    """Each name in ``rectflow.__all__`` has a ``::: rectflow.NAME`` entry under docs/reference/."""
    entries = set()
    for path in (ROOT / "docs" / "reference").glob("*.md"):
        for match in generated.ENTRY.finditer(path.read_text(encoding="utf-8")):
            entries.add(match["path"].removeprefix("rectflow."))
            entries.update(generated.PUBLIC_MODULES.get(match["path"], ()))
    assert set(rectflow.__all__) - entries - generated.UNDOCUMENTED == set()


@pytest.fixture(scope="module")
def package() -> griffe.Module:
    """rectflow as the API reference loads it: read by griffe, with the roles extension."""
    extensions = griffe.load_extensions(sphinx_roles.SphinxRoles())
    loaded = griffe.load("rectflow", search_paths=[str(ROOT / "src")], extensions=extensions)
    assert isinstance(loaded, griffe.Module)
    return loaded


def test_roles_become_links_resolved_in_their_own_scope(package: griffe.Module) -> None:
    """A bare role links to what the name means where the docstring stands; a full one as is."""
    hook = package["_rules.hookspecs.rectflow_calendar_names"].docstring.value
    assert ":func:" not in hook
    assert (
        '<autoref identifier="rectflow._rules.hookspecs.rectflow_calendar" optional>'
        "<code>rectflow_calendar</code></autoref>"
    ) in hook
    runner = package["_rules.check"].docstring.value
    assert (
        '<autoref identifier="rectflow.Report" optional><code>rectflow.Report</code></autoref>'
    ) in runner


def test_a_role_outside_rectflow_becomes_plain_code(package: griffe.Module) -> None:
    """``:class:`unittest.TestCase``` is shown as code, with no link to a page that is not here."""
    docstring = package["_testing.harness"].docstring.value
    assert "<code>unittest.TestCase</code>" in docstring
    assert 'identifier="unittest' not in docstring


def test_a_role_naming_nothing_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    """A docstring naming an object that does not exist draws a warning, and stays code."""
    module = griffe.Module("rectflow")
    function = griffe.Function("f", docstring=griffe.Docstring("See :func:`nowhere`."))
    module.set_member("f", function)
    with caplog.at_level(logging.WARNING):
        sphinx_roles.SphinxRoles().on_package(pkg=module)
    assert function.docstring is not None
    assert function.docstring.value == "See <code>nowhere</code>."
    assert "`nowhere`, which nothing in scope defines" in caplog.text
