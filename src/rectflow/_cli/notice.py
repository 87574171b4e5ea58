"""``rectflow import`` and ``rectflow render``: notices from and to case files.

``import`` reads a published notice (a file, or ``-`` for standard input) into a draft case and
writes it as a case file (TOML) or as JSON with what could not be read; the unread pieces and the
warnings also go to standard error, one per line. ``render`` writes a case file's public
projection as a notice. Files given with ``-o`` are written atomically (temporary file, then
rename), so a crash never leaves half a file, under the rules of every output
(``files.write_output``): a new file unless ``--force``, never the command's own input, never
anything but a regular file, through a symlink to its target. Inputs must be regular files (or
``-``) of at most ``MAX_INPUT_BYTES``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import click

from rectflow._casefile.files import (
    check_output,
    dumps_case,
    dumps_new_case,
    save_case,
    unstructure_case,
    write_output,
)
from rectflow._cli._source import cases_from, store_option
from rectflow._core.labels import ACCOUNTABILITY_WORDS
from rectflow._i18n import LANGS, N_, Msg, Words, default_lang, translate
from rectflow._inputs import read_input, read_stream
from rectflow._notices.parse import ParseResult, parse_notice
from rectflow._notices.render import FORMATS, NoticeFormat, render_notice
from rectflow._notices.text import ParseWarning
from rectflow._textio import decode_notice
from rectflow.errors import NoticeParseError

__all__ = ["COMMANDS", "WORDS", "import_json"]

# What import says on standard error besides the parser's own messages; Chinese in the catalogue.
WORDS = Words(
    {
        "unread": N_("line {line}: not read: {reason}: {text}"),
        "warning_line": N_("line {line}: warning: {message}"),
        "warning_notice": N_("notice: warning: {message}"),
        "counts": N_(
            "notice: accountability counts read but not kept in the case file (it records each "
            "decision with its date): {counts}; --format json keeps them"
        ),
    }
)

_LANG = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the messages (the notice and the case file are as they are).",
)


def _read_notice(source: str) -> tuple[str, str | None]:
    """The notice's text, and a note when it was not UTF-8."""
    if source == "-":
        name = "<stdin>"
        raw = read_stream(sys.stdin.buffer, _notice_error(name))
    else:
        name = source
        raw = read_input(source, _notice_error(name))
    # UTF-8 (a byte-order mark dropped), else GB18030, said in a warning; else refused.
    read = decode_notice(raw, lambda reason, fix, line: _notice_error(name, line)(reason, fix))
    return read.text, read.note(name)


def _notice_error(name: str, line: int | None = None) -> Callable[[str, str], NoticeParseError]:
    return lambda reason, fix: NoticeParseError(
        Msg("{name}: {reason}; {fix}", name=name, reason=Msg.of(reason), fix=Msg.of(fix)), line
    )


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")  # pragma: no cover


def import_json(result: ParseResult) -> str:
    """The JSON ``rectflow import --format json`` writes: the case as the case-file schema
    defines it, plus the unread pieces, the warnings and the accountability counts the notice
    states (by form's value); dates as ISO strings."""
    document: dict[str, Any] = {
        "case": unstructure_case(result.case),
        "unread": [{"line": u.line, "text": u.text, "reason": u.reason} for u in result.unread],
        "warnings": [{"line": w.line, "message": w.message} for w in result.warnings],
        "accountability": {form.value: n for form, n in result.accountability.items()},
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _report(result: ParseResult, *, as_json: bool, lang: str) -> None:
    w = WORDS[lang]
    for unread in result.unread:
        reason = translate(lang, unread.reason)
        click.echo(w["unread"].format(line=unread.line, reason=reason, text=unread.text), err=True)
    for warning in result.warnings:
        message = translate(lang, warning.message)
        if warning.line is not None:
            click.echo(w["warning_line"].format(line=warning.line, message=message), err=True)
        else:
            click.echo(w["warning_notice"].format(message=message), err=True)
    if result.accountability and not as_json:
        # A case file records accountability decision by decision, with dates: counts alone
        # have no place in it, so they are named rather than dropped silently.
        counts = "、".join(
            f"{ACCOUNTABILITY_WORDS[form][0]}{n}人" for form, n in result.accountability.items()
        )
        click.echo(w["counts"].format(counts=counts), err=True)


@click.command("import")
@click.argument("notice", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (a new file, unless --force) instead of standard output.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["toml", "json"]),
    default="toml",
    show_default=True,
    help="A case file (TOML), or JSON with the unread pieces, warnings and accountability counts.",
)
@click.option("--id", "case_id", help="The case's id (default: derived from body and date).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@_LANG
def import_command(
    notice: str,
    output: Path | None,
    output_format: str,
    case_id: str | None,
    force: bool,
    lang: str,
) -> None:
    """Import a published rectification notice (NOTICE.txt, or - for standard input).

    What could not be read, and the warnings, are listed on standard error with their lines.
    """
    if output is not None:  # refused before the notice is read, as after
        check_output(output, force=force, inputs=(notice,))
    text, note = _read_notice(notice)
    result = parse_notice(text, case_id=case_id)
    if note:  # the encoding it was read in is a warning: said below, kept by --format json
        result.warnings.insert(0, ParseWarning(None, note))
    as_json = output_format == "json"
    _report(result, as_json=as_json, lang=lang)
    if output is None:
        click.echo(import_json(result) if as_json else dumps_case(result.case), nl=False)
    elif as_json:
        write_output(output, import_json(result).encode("utf-8"), force=force, inputs=(notice,))
    elif output.exists():
        # --force over an existing file, whatever version it holds: the text save_case would
        # write for a new file, replacing the old one atomically.
        text = dumps_new_case(result.case)
        write_output(output, text.encode("utf-8"), force=True, inputs=(notice,))
    else:
        save_case(result.case, output)  # a new file: locked, atomic, version 1


@click.command("render")
@click.argument("case_file", metavar="CASE")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Plain text as published, Markdown (escaped), or an HTML document (escaped).",
)
@click.option(
    "--fragment",
    is_flag=True,
    help="With --format html: only the <article> element, to embed in a page of your own.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (a new file, unless --force) instead of standard output.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@_LANG
@store_option
def render_command(
    case_file: str,
    output_format: str,
    fragment: bool,
    output: Path | None,
    force: bool,
    lang: str,
    store_url: str | None,
) -> None:
    """Render the CASE file (or, with --store, the stored case) as a published notice: its
    public part only.

    Internal and confidential items, people's names and evidence never appear; an item whose
    state the case does not know gets no state word.
    """
    # --lang is for the messages: main() says a refusal in it; the notice is Chinese anyway.
    if fragment and output_format != "html":
        raise click.UsageError(
            Msg("--fragment needs --format html (text and Markdown have no page)")
        )
    # -o never names the case file read (a stored case has none).
    inputs = () if store_url else (case_file,)
    if output is not None:  # refused before anything is read, as after
        check_output(output, force=force, inputs=inputs)
    with cases_from(store_url, lang) as source:
        case, _ = source.load(case_file)
    text = render_notice(case, cast("NoticeFormat", output_format), fragment=fragment)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_output(output, text.encode("utf-8"), force=force, inputs=inputs)


COMMANDS: list[click.Command] = [import_command, render_command]
"""The commands this module adds to ``rectflow``."""
