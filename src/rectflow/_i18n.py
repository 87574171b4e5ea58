"""The words users read, in English or Chinese, through gettext catalogues.

Every user-facing message is written in English in the source and marked for extraction
(``N_("…")`` in a table translated where it is said, ``Msg("…", field=…)`` for a message with
fields, such as a violation's hint or a calendar caveat); its Chinese lives in
``rectflow/locale/zh_CN/LC_MESSAGES/rectflow.po``, compiled to ``rectflow.mo`` beside it
(``make catalogues`` extracts, updates and compiles them with Babel; both files are committed and
built into the wheel). English is the msgid itself, so English needs no catalogue.

The language is ``en`` or ``zh``: given by ``--lang``, or else read from the locale
(:func:`default_lang`).

A plugin has words rectflow's catalogue cannot hold (a holiday's name, where its data comes
from). It hands them as a ``str`` whose text is the English and which carries the other
languages itself, in an attribute ``translations`` (a mapping of language to text, e.g.
``{"zh": "春节"}``): :func:`translate` says such a text in those words. The plugin needs
nothing of rectflow's for it (a ``str`` subclass of its own), and a host that only reads the
English sees a plain ``str``.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
import re
from collections.abc import Iterator, Mapping
from typing import Final

__all__ = [
    "CATALOGUE",
    "DOMAIN",
    "LANGS",
    "NP_",
    "N_",
    "Msg",
    "Words",
    "catalogued",
    "default_lang",
    "toml_message",
    "translate",
    "translated",
    "translation",
]

DOMAIN: Final = "rectflow"
LANGS: Final = ("en", "zh")
# The compiled Chinese catalogue, inside the package.
CATALOGUE: Final = f"locale/zh_CN/LC_MESSAGES/{DOMAIN}.mo"


def N_(message: str) -> str:  # noqa: N802 - the marker name gettext tools know
    """Mark ``message`` for extraction without translating it (a table entry said later)."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802 - as N_
    """Mark ``message`` for extraction in ``context`` (a msgctxt): for an English phrase that
    another table says with other Chinese words."""
    return (context, message)


class Msg(str):
    """An English message made from a msgid and its fields, that can be said again in Chinese.

    It *is* the English text (a ``str``: compared, printed and serialised as one), and keeps
    the msgid and the fields, so :func:`translate` can fill the translated msgid instead.
    ``zh`` gives fields their Chinese values (a duration, a name) when said in Chinese.
    ``Msg`` is an extraction keyword: its first argument is a msgid.
    """

    template: str
    fields: dict[str, object]
    fields_zh: dict[str, object]
    literal: bool
    translations: Mapping[str, str]

    def __new__(
        cls, template: str, /, *, zh: Mapping[str, object] | None = None, **fields: object
    ) -> Msg:
        made = super().__new__(cls, template.format(**fields))
        made.template = template
        made.fields = fields
        made.fields_zh = {**fields, **(zh or {})}
        made.literal = False
        made.translations = {}
        return made

    @classmethod
    def of(cls, text: str) -> Msg:
        """``text`` as a message: itself when it is a :class:`Msg`, else a message whose msgid
        is ``text`` as it is, without fields (braces in it are literal).

        For free text handed to an error (a reason, a fix): when its English is a msgid of the
        catalogue (a constant marked ``N_`` where it is written), it is said in Chinese too; a
        plugin's text that carries its own ``translations`` keeps them.
        """
        if isinstance(text, Msg):
            return text
        made = super().__new__(cls, text)
        made.template = str.__str__(text)
        made.fields = {}
        made.fields_zh = {}
        made.literal = True
        made.translations = _own_translations(text)
        return made

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as the message and its parts (plugins run in other processes, perhaps).
        return (
            _msg,
            (self.template, self.fields, self.fields_zh, self.literal, dict(self.translations)),
        )


def _msg(
    template: str,
    fields: dict[str, object],
    fields_zh: dict[str, object],
    literal: bool = False,
    translations: Mapping[str, str] | None = None,
) -> Msg:
    if not literal:
        return Msg(template, zh=fields_zh, **fields)
    made = Msg.of(template)
    made.translations = dict(translations or {})
    return made


def _own_translations(text: str) -> Mapping[str, str]:
    """The languages a plugin's text carries itself (its ``translations``), or none."""
    found = getattr(text, "translations", None)
    if not isinstance(found, Mapping):
        return {}
    return {
        lang: said
        for lang, said in found.items()
        if isinstance(lang, str) and isinstance(said, str) and said
    }


def default_lang() -> str:
    """``zh`` when the locale says Chinese (``zh_CN``, ``zh_CN.UTF-8`` …), else ``en``.

    The locale is read the way POSIX programs read it for messages: ``LC_ALL``, then
    ``LC_MESSAGES``, then ``LANG``; the first that is set decides.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.startswith("zh_CN") else "en"
    return "en"


@functools.cache
def translation(lang: str) -> gettext.NullTranslations:
    """The translations for ``lang``: the zh_CN catalogue for ``zh``, the msgids for ``en``.

    Raises:
        ValueError: ``lang`` is neither ``en`` nor ``zh``.
    """
    if lang == "en":
        return gettext.NullTranslations()
    if lang == "zh":
        # importlib.resources (and the pathlib, tempfile, shutil … it brings) only for Chinese.
        from importlib import resources  # noqa: PLC0415

        data = resources.files("rectflow").joinpath(CATALOGUE).read_bytes()
        return gettext.GNUTranslations(io.BytesIO(data))
    raise ValueError(f"unknown language {lang!r}: give one of {', '.join(LANGS)}")


def translate(lang: str, message: str) -> str:
    """``message`` (an English msgid, or a :class:`Msg`) in ``lang``; an empty one stays empty.

    A field of a :class:`Msg` that is itself a :class:`Msg` (a reason inside a reason, a type's
    name inside "expected {expected}") is said in ``lang`` too.
    """
    if not message:
        return message
    if lang != "en":
        own = _own_translations(message).get(lang)
        if own is not None:
            return own
    if isinstance(message, Msg):
        if lang == "en":
            return str.__str__(message)
        said = translation(lang).gettext(message.template)
        if message.literal:
            return said
        fields = {
            name: translate(lang, value) if isinstance(value, Msg) else value
            for name, value in message.fields_zh.items()
        }
        return said.format(**fields)
    return translation(lang).gettext(message)


def catalogued(lang: str, message: str) -> bool:
    """Whether ``message`` can be said whole in ``lang``: English always, and a plugin's text
    that carries ``lang`` in its own ``translations``; otherwise its msgid
    (a :class:`Msg`'s template, and that of every :class:`Msg` among its fields) is in the
    catalogue. An empty message is said whole in any language."""
    if lang == "en" or not message or lang in _own_translations(message):
        return True
    msgid = message.template if isinstance(message, Msg) else str.__str__(message)
    # gettext hands back the very msgid object when the catalogue has no entry for it.
    if translation(lang).gettext(msgid) is msgid:
        return False
    if isinstance(message, Msg):
        return all(
            catalogued(lang, value)
            for value in message.fields_zh.values()
            if isinstance(value, Msg)
        )
    return True


def translated(lang: str, table: Mapping[str, str | tuple[str, str]]) -> dict[str, str]:
    """A table of msgids by key (a msgid, or a msgctxt and a msgid), every msgid in ``lang``."""
    tr = translation(lang)
    return {
        key: tr.gettext(message) if isinstance(message, str) else tr.pgettext(*message)
        for key, message in table.items()
    }


class Words(Mapping[str, Mapping[str, str]]):
    """A table of msgids by key, read by language: ``words[lang][key]`` (translated once)."""

    def __init__(self, table: Mapping[str, str | tuple[str, str]]) -> None:
        self._table = dict(table)
        self._by_lang: dict[str, dict[str, str]] = {}

    def __getitem__(self, lang: str) -> Mapping[str, str]:
        if lang not in LANGS:
            raise KeyError(lang)
        if lang not in self._by_lang:
            self._by_lang[lang] = translated(lang, self._table)
        return self._by_lang[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)


# tomllib's messages (Python 3.11-3.13), so that a TOML syntax error is said in Chinese too: each
# is a pattern over the message and the msgid it is said with. The place tomllib adds, "(at line
# L, column C)" or "(at end of document)", is kept apart. A message not here stays English. The
# patterns are compiled (and kept) by ``re`` when a message is first said, not at import: a
# command that reads good files never needs them.
_TOML_PLACE: Final = (
    r"^(?P<what>.*) \("
    r"(?:at line (?P<line>\d+), column (?P<column>\d+)|(?P<end>at end of document))\)$"
)
_TOML_MESSAGES: Final = (
    (r"Invalid value", N_("Invalid value")),
    (r"Invalid statement", N_("Invalid statement")),
    (r"Unterminated string", N_("Unterminated string")),
    (r"Unclosed array", N_("Unclosed array")),
    (r"Unclosed inline table", N_("Unclosed inline table")),
    (r"Invalid date or datetime", N_("Invalid date or datetime")),
    (r"Invalid hex value", N_("Invalid hex value")),
    (r"Cannot overwrite a value", N_("Cannot overwrite a value")),
    (
        r"Escaped character is not a Unicode scalar value",
        N_("Escaped character is not a Unicode scalar value"),
    ),
    (
        r"Expected '=' after a key in a key/value pair",
        N_("Expected '=' after a key in a key/value pair"),
    ),
    (
        r"Expected ']' at the end of a table declaration",
        N_("Expected ']' at the end of a table declaration"),
    ),
    (
        r"Expected ']]' at the end of an array declaration",
        N_("Expected ']]' at the end of an array declaration"),
    ),
    (
        r"Expected newline or end of document after a statement",
        N_("Expected newline or end of document after a statement"),
    ),
    (
        r"Invalid initial character for a key part",
        N_("Invalid initial character for a key part"),
    ),
    (r"Unescaped '\\\\' in a string", N_("Unescaped '\\' in a string")),
    (r"Illegal character (?P<char>.+)", N_("Illegal character {char}")),
    (r"Found invalid character (?P<char>.+)", N_("Found invalid character {char}")),
    (r"Expected (?P<expected>'.*')", N_("Expected {expected}")),
    (r"Cannot declare (?P<key>.+) twice", N_("Cannot declare {key} twice")),
    (r"Cannot redefine namespace (?P<key>.+)", N_("Cannot redefine namespace {key}")),
    (
        r"Cannot mutate immutable namespace (?P<key>.+)",
        N_("Cannot mutate immutable namespace {key}"),
    ),
    (
        r"Duplicate inline table key (?P<key>.+)",
        N_("Duplicate inline table key {key}"),
    ),
)


def toml_message(message: str) -> str:
    """tomllib's ``message`` as a :class:`Msg` (the same English) when it is one rectflow knows,
    so the command line can say it in Chinese; else ``message`` as it is."""
    place = re.match(_TOML_PLACE, message, re.DOTALL)
    what = place["what"] if place else message
    for pattern, msgid in _TOML_MESSAGES:
        found = re.fullmatch(pattern, what)
        if found is None:
            continue
        fields: dict[str, object] = {**found.groupdict()}
        said = Msg(msgid, zh=None, **fields)
        if place is None:
            return said
        if place["end"]:
            return Msg("{what} (at end of document)", what=said)
        return Msg(
            "{what} (at line {line}, column {column})",
            what=said,
            line=place["line"],
            column=place["column"],
        )
    return message
