"""The gettext catalogues: every message the source marks has its Chinese, and the compiled
catalogue rectflow reads is the one the .po says.

The msgids are extracted from the real source tree as ``make catalogues`` extracts them (babel.cfg:
rectflow's extractor, which adds the command line's help texts to Babel's Python extraction; the
keywords ``_``, ``N_``, ``Msg``, and ``NP_`` with a msgctxt), so a new user-facing message or help
text without a zh_CN translation fails here, and so does a .po edited without ``make catalogues``
compiling it.
"""

from __future__ import annotations

import inspect
import io
import json
import pickle
import re
import tomllib
from pathlib import Path

import click
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from rectflow._babel_help import clean, help_texts
from rectflow._cli.main import load_every_command
from rectflow._i18n import CATALOGUE, Msg, catalogued, toml_message, translate

# Every command's module loaded: the lazy group holds only what has been looked up, and a walk
# of a partly loaded tree would test fewer commands without failing.
cli = load_every_command()
ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "rectflow"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "rectflow.po"
MO = PACKAGE / CATALOGUE

KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NP_": ((1, "c"), 2), "Msg": None}
# A placeholder of str.format: {name}, {name!r}, {name:spec}; {{ and }} are literal braces.
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:![rsa])?(?::[^}]*)?\}")
# Half-width punctuation a Chinese sentence must not use (outside placeholders and `code`).
HALF_WIDTH = re.compile(r"[,;:()]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _not_hidden(path: str) -> bool:
    """Every package directory (``_cli``, ``_core`` …) but caches and dot-directories."""
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


def extracted() -> dict[tuple[str | None, str], str]:
    """Every (msgctxt, msgid) the source marks, with where it is."""
    found: dict[tuple[str | None, str], str] = {}
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    for filename, lineno, message, _comments, context in extract_from_dir(
        PACKAGE,
        method_map=method_map,
        options_map=options_map,
        keywords=KEYWORDS,
        directory_filter=_not_hidden,
    ):
        assert isinstance(message, str), f"{filename}:{lineno}: plural messages are not used"
        found.setdefault((context, message), f"src/rectflow/{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO.open("rb") as po:
        return read_po(po, locale="zh_CN")


@pytest.fixture(scope="module")
def marked() -> dict[tuple[str | None, str], str]:
    return extracted()


def test_the_extractor_finds_the_cli_messages(marked: dict[tuple[str | None, str], str]) -> None:
    """The extraction reaches the underscore packages (a default filter would skip _cli)."""
    places = {where.split(":")[0] for where in marked.values()}
    assert {
        "src/rectflow/_cli/main.py",
        "src/rectflow/_cli/_errors.py",
        "src/rectflow/_cli/_words.py",
        "src/rectflow/_cli/agenda.py",
    } <= places
    assert len(marked) >= 60


def test_every_marked_message_has_a_chinese_translation(
    marked: dict[tuple[str | None, str], str], catalog: Catalog
) -> None:
    """A msgid in the source without a non-empty, non-fuzzy zh_CN msgstr fails, named."""
    missing = []
    for (context, message), where in sorted(marked.items(), key=lambda kv: kv[1]):
        entry = catalog.get(message, context=context)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{where}: {message!r}")
    assert not missing, "untranslated (run `make catalogues` and translate the .po):\n" + (
        "\n".join(missing)
    )


def test_the_catalogue_holds_nothing_the_source_no_longer_says(
    marked: dict[tuple[str | None, str], str], catalog: Catalog
) -> None:
    """An entry no source marks is stale (``make catalogues`` drops it)."""
    stale = [
        repr(entry.id) for entry in catalog if entry.id and (entry.context, entry.id) not in marked
    ]
    assert not stale, f"stale entries in {PO.name}: {', '.join(stale)}"
    assert not catalog.obsolete


def test_the_header_is_not_fuzzy(catalog: Catalog) -> None:
    """A fuzzy header makes gettext tools skip the catalogue's charset."""
    assert not catalog.fuzzy
    assert catalog.charset.lower() == "utf-8"


def test_translations_use_only_the_placeholders_of_their_msgid(catalog: Catalog) -> None:
    """A translation may leave a placeholder out, never bring one the code does not pass."""
    wrong = []
    for entry in catalog:
        if not entry.id:
            continue
        assert isinstance(entry.id, str)
        assert isinstance(entry.string, str)
        extra = set(PLACEHOLDER.findall(entry.string)) - set(PLACEHOLDER.findall(entry.id))
        if extra:
            wrong.append(f"{entry.id!r} → {entry.string!r}: {sorted(extra)}")
    assert not wrong, "\n".join(wrong)


def test_chinese_sentences_use_full_width_punctuation(catalog: Catalog) -> None:
    """：，；（） in Chinese text; ASCII only inside placeholders, `code` and option names."""
    wrong = []
    for entry in catalog:
        text = entry.string
        if not entry.id or not isinstance(text, str) or not CJK.search(text):
            continue
        prose = PLACEHOLDER.sub("", re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"", "", text))
        if HALF_WIDTH.search(prose):
            wrong.append(f"{entry.id!r} → {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_committed_mo_is_the_po_compiled(catalog: Catalog) -> None:
    """The .mo rectflow reads is what ``pybabel compile`` makes of the .po, byte for byte."""
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    assert MO.read_bytes() == compiled.getvalue(), (
        f"{MO.name} is stale against {PO.name}: run `make catalogues`"
    )


def test_a_message_reads_in_chinese_and_english() -> None:
    """The runtime lookup: the catalogue in the package for zh, the msgid itself for en."""
    assert translate("zh", "aborted") == "已中止"
    assert translate("en", "aborted") == "aborted"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        translate("fr", "aborted")


def test_a_message_with_fields_is_english_text_and_says_itself_again_in_chinese() -> None:
    """``Msg`` is the English ``str`` (equal, JSON, pickled whole) and fills the translated msgid,
    with the Chinese values of its fields where it has them."""
    hint = Msg(
        "publish within {within} after {anchor}",
        within="20 working days",
        anchor="feedback",
        zh={"within": "20个工作日", "anchor": "反馈"},
    )
    assert hint == "publish within 20 working days after feedback"
    assert json.dumps({"hint": hint}) == '{"hint": "publish within 20 working days after feedback"}'
    assert translate("en", hint) == hint
    assert translate("zh", hint) == "请在反馈后20个工作日内公开"
    again = pickle.loads(pickle.dumps(hint))  # noqa: S301 - our own bytes, just made
    assert isinstance(again, Msg)
    assert translate("zh", again) == "请在反馈后20个工作日内公开"


def test_a_message_not_in_the_catalogue_is_said_as_it_is() -> None:
    """A plugin's own hint (not catalogued) stays English under zh; empty stays empty."""
    assert translate("zh", "ask the plugin's authors") == "ask the plugin's authors"
    assert translate("zh", "") == ""


# -- messages made from other libraries' words: the English stays theirs ----------------------


@given(st.text(max_size=60))
def test_a_toml_error_is_the_same_english_and_said_whole_in_chinese_when_known(
    text: str,
) -> None:
    """toml_message gives tomllib's message back unchanged as English; when it knows the
    message, the Chinese has every part translated (no English left but the data)."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        said = toml_message(message)
        assert said == message
        if isinstance(said, Msg):
            assert catalogued("zh", said)
            assert translate("zh", said) != message


def test_the_known_toml_errors_are_recognised() -> None:
    """Each kind of TOML mistake a person makes is one toml_message knows."""
    for text in ("x = [", "x =", "[a", "[[a", 'x = "a', "x = 1\nx = 2", "x = 2024-02-30", "= 1"):
        with pytest.raises(tomllib.TOMLDecodeError) as caught:
            tomllib.loads(text)
        assert isinstance(toml_message(str(caught.value)), Msg), str(caught.value)


@given(st.text(max_size=80))
def test_msg_of_any_text_is_that_text_and_survives_pickling(text: str) -> None:
    """Msg.of keeps free text as it is (braces too), pickles whole, and is said in Chinese
    only when its text is a msgid."""
    made = Msg.of(text)
    assert made == text
    again = pickle.loads(pickle.dumps(made))  # noqa: S301 - our own bytes, just made
    assert again == text
    assert translate("zh", again) == translate("zh", text)


def test_a_message_inside_a_message_is_said_in_chinese_only_when_all_of_it_is_catalogued() -> None:
    """A Msg field that is a Msg is translated too; catalogued() is false when any part is not."""
    known = Msg(
        "{reason} ({more} more problem(s) after this one)", reason=Msg.of("aborted"), more=2
    )
    assert catalogued("zh", known)
    assert translate("zh", known) == "已中止（其后还有 2 处问题）"
    unknown = Msg("{reason} ({more} more problem(s) after this one)", reason=Msg.of("zzz"), more=2)
    assert not catalogued("zh", unknown)
    assert catalogued("en", unknown)


# -- the command line's help texts ---------------------------------------------------------------


def _runtime_help_texts() -> dict[str, str]:
    """Every help text click shows for rectflow, as click holds it, with the command it is of."""
    found: dict[str, str] = {}

    def walk(command: click.Command, path: str) -> None:
        for text in (command.help, command.short_help):
            if text:
                found.setdefault(clean(text), path)
        for param in command.params:
            for text in (getattr(param, "help", None), getattr(param, "show_default", None)):
                if isinstance(text, str) and text:
                    found.setdefault(clean(text), f"{path} {param.name}")
        if isinstance(command, click.Group):
            for name, child in command.commands.items():
                walk(child, f"{path} {name}")

    walk(cli, "rectflow")
    return found


def test_every_help_text_click_shows_is_extracted_as_click_shows_it(
    marked: dict[tuple[str | None, str], str],
) -> None:
    """The extractor reads help texts from the source as click holds them at run time (the
    docstring cleaned, cut at a form feed): every one of them is a msgid, so it has Chinese."""
    missing = [
        f"{where}: {text[:70]!r}"
        for text, where in _runtime_help_texts().items()
        if (None, text) not in marked
    ]
    assert not missing, "help texts the extractor does not see (an f-string?):\n" + "\n".join(
        missing
    )


@given(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=60),
    st.integers(min_value=0, max_value=8),
)
def test_a_docstring_is_extracted_as_click_cleans_it(text: str, indent: int) -> None:
    """Any docstring, indented any way: the extractor's text is inspect.cleandoc's, cut at a
    form feed, the same text click shows."""
    body = "\n".join(" " * indent + line for line in text.replace('"', "'").splitlines() or [""])
    source = (
        "import click\n\n@click.command()\ndef go():\n"
        f'    """{body.replace(chr(92), "/")}\n    """\n'
    )
    try:
        compile(source, "<test>", "exec")
    except SyntaxError:
        return
    namespace: dict[str, object] = {}
    exec(source, namespace)  # noqa: S102 - our own generated source
    command = namespace["go"]
    assert isinstance(command, click.Command)
    expected = inspect.cleandoc(command.help or "").partition("\f")[0].strip()
    found = [found_text for _, found_text in help_texts(source)]
    assert found == ([expected] if expected else [])
