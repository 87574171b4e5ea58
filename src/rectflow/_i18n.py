"""The words users read, in English or Chinese, through gettext catalogues.

Every user-facing message is written in English in the source and marked for extraction
(``N_("…")`` in a table translated where it is said, ``Msg("…", field=…)`` for a message with
fields, such as a violation's hint or a calendar caveat); its Chinese lives in
``rectflow/locale/zh_CN/LC_MESSAGES/rectflow.po``, compiled to ``rectflow.mo`` beside it
(``make catalogues`` extracts, updates and compiles them with Babel; both files are committed and
built into the wheel). English is the msgid itself, so English needs no catalogue.

The language is ``en`` or ``zh``: given by ``--lang``, or else read from the locale
(:func:`default_lang`).
"""

from __future__ import annotations

import functools
import gettext
import io
import os
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Final

__all__ = [
    "CATALOGUE",
    "DOMAIN",
    "LANGS",
    "NP_",
    "N_",
    "Msg",
    "Words",
    "default_lang",
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

    def __new__(
        cls, template: str, /, *, zh: Mapping[str, object] | None = None, **fields: object
    ) -> Msg:
        made = super().__new__(cls, template.format(**fields))
        made.template = template
        made.fields = fields
        made.fields_zh = {**fields, **(zh or {})}
        return made

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as the message and its parts (plugins run in other processes, perhaps).
        return (_msg, (self.template, self.fields, self.fields_zh))


def _msg(template: str, fields: dict[str, object], fields_zh: dict[str, object]) -> Msg:
    return Msg(template, zh=fields_zh, **fields)


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
        data = resources.files("rectflow").joinpath(CATALOGUE).read_bytes()
        return gettext.GNUTranslations(io.BytesIO(data))
    raise ValueError(f"unknown language {lang!r}: give one of {', '.join(LANGS)}")


def translate(lang: str, message: str) -> str:
    """``message`` (an English msgid, or a :class:`Msg`) in ``lang``; an empty one stays empty."""
    if not message:
        return message
    if isinstance(message, Msg):
        if lang == "en":
            return str.__str__(message)
        fields = message.fields_zh if lang == "zh" else message.fields
        return translation(lang).gettext(message.template).format(**fields)
    return translation(lang).gettext(message)


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
