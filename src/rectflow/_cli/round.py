"""``rectflow round status|check|agenda|render|import``: a round file from the shell.

``status``, ``check`` and ``agenda`` run the very commands of one case (``rectflow status``,
``rectflow check``, ``rectflow agenda``) over every case file the round lists, with the same
options and output; ``check`` also warns when the round's teams and its cases do not cover each
other. ``render`` writes the round's progress notice (public content only, as of a given day);
``import`` reads such a notice into a round summary, with what it could not read listed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

from rectflow._casefile.files import write_output
from rectflow._cli._source import STORE_ENV, cases_from, store_option
from rectflow._cli.agenda import agenda_command
from rectflow._cli.case import DAY, status_command
from rectflow._cli.check import check_command
from rectflow._i18n import LANGS, N_, Words, default_lang, translate
from rectflow._inputs import read_input, read_stream
from rectflow._rounds.files import load_round, round_case_paths
from rectflow._rounds.model import Round
from rectflow._rounds.notice import ROUND_NOTICE_FORMATS, parse_round_notice, render_round_notice
from rectflow._rounds.summary import round_summary
from rectflow._textio import decode_notice
from rectflow.errors import NoticeParseError, RectflowError

__all__ = ["COMMANDS"]

WORDS = Words(
    {
        "no_files": N_(
            "the round lists no cases: list its case files (cases = [...], relative to the round "
            "file), or its cases in a store (store_cases = [...], with --store URL)"
        ),
        "uncovered": N_("round {id}: no team lists {body}, which case {case} inspects"),
        "caseless": N_(
            "round {id}: team {team} lists {body}, but no case of the round inspects it"
        ),
        "unread": N_("{n} piece(s) not read:"),
        "unread_line": N_("  line {line}: {text} ({reason})"),
        "written": N_("wrote {path}"),
    }
)

_FORWARD = {"ignore_unknown_options": True, "allow_extra_args": True}
_ROUND = click.Path(dir_okay=False, path_type=Path)


def _store_of(options: tuple[str, ...]) -> str | None:
    """The store the forwarded options name (``--store URL``; the last one given), else
    ``$RECTFLOW_STORE``; ``None`` (or ``""``): the round's cases are files."""
    found = os.environ.get(STORE_ENV)
    for i, option in enumerate(options):
        if option == "--store" and i + 1 < len(options):
            found = options[i + 1]
        elif option.startswith("--store="):
            found = option[len("--store=") :]
    return found or None


def _forward(
    command: click.Command, path: Path, options: tuple[str, ...], lang: str, *, check: bool = False
) -> None:
    """Run a case command over the round's cases (case files, or ids in the store), with the
    options given after ROUND; ``check``: warn first where its teams and cases differ."""
    with cases_from(_store_of(options), lang) as source:
        found, cases, stored = source.round_cases(str(path), load=check)
        if check:
            for warning in coverage_warnings(found, lang):
                click.echo(f"rectflow: warning: {warning}", err=True)
    if not cases:
        raise RectflowError(WORDS["en"]["no_files"])
    # Case files are read as files even when a store is set (--store "" wins, being last).
    args = [*cases, *options] if stored else [*cases, *options, "--store", ""]
    command.main(args=args, prog_name=f"rectflow round {command.name}", standalone_mode=False)


def _lang_of(options: tuple[str, ...]) -> str:
    for i, option in enumerate(options):
        if option == "--lang" and i + 1 < len(options) and options[i + 1] in LANGS:
            return options[i + 1]
        if option.startswith("--lang=") and option[7:] in LANGS:
            return option[7:]
    return default_lang()


def coverage_warnings(round_: Round, lang: str = "en") -> list[str]:
    """Where the round's teams and its loaded cases do not cover each other."""
    w = WORDS[lang]
    bodies = {case.inspected_body for case in round_.cases}
    said = [
        w["uncovered"].format(id=round_.id, body=case.inspected_body or "?", case=case.id)
        for case in round_.cases
        if round_.teams and round_.team_of(case.inspected_body) is None
    ]
    said += [
        w["caseless"].format(id=round_.id, team=team.name, body=body)
        for team in round_.teams
        for body in team.bodies
        if body not in bodies
    ]
    return said


@click.group("round")
def round_group() -> None:
    """Work on a round: its round file lists the case files of the bodies it inspected
    (docs/rounds.md); with --store URL (or RECTFLOW_STORE), ROUND may be a round's id in the
    store, and a round file's store_cases are read from it."""


@round_group.command("status", context_settings=_FORWARD)
@click.argument("round_file", type=_ROUND, metavar="ROUND")
@click.argument("options", nargs=-1, type=click.UNPROCESSED, metavar="[STATUS OPTIONS]")
def round_status(round_file: Path, options: tuple[str, ...]) -> None:
    """`rectflow status` over every case file of ROUND (same options: --as-of, --items,
    --format, --lang)."""
    _forward(status_command, round_file, options, _lang_of(options))


@round_group.command("check", context_settings=_FORWARD)
@click.argument("round_file", type=_ROUND, metavar="ROUND")
@click.argument("options", nargs=-1, type=click.UNPROCESSED, metavar="[CHECK OPTIONS]")
def round_check(round_file: Path, options: tuple[str, ...]) -> None:
    """`rectflow check` over every case file of ROUND (same options and exit codes), and a
    warning for each body no team lists and each team's body without a case."""
    _forward(check_command, round_file, options, _lang_of(options), check=True)


@round_group.command("agenda", context_settings=_FORWARD)
@click.argument("round_file", type=_ROUND, metavar="ROUND")
@click.argument("options", nargs=-1, type=click.UNPROCESSED, metavar="[AGENDA OPTIONS]")
def round_agenda(round_file: Path, options: tuple[str, ...]) -> None:
    """`rectflow agenda` over every case file of ROUND (same options; --as-of is required)."""
    _forward(agenda_command, round_file, options, _lang_of(options))


@round_group.command("render")
@click.argument("round_file", type=_ROUND, metavar="ROUND")
@click.option(
    "--as-of",
    "as_of",
    type=DAY,
    required=True,
    help="The day the figures stand at (截至…); the clock is never read.",
)
@click.option(
    "--format", "fmt", type=click.Choice(ROUND_NOTICE_FORMATS), default="text", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (default: standard output).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, hidden=True)
@store_option
def round_render(
    round_file: Path,
    as_of: dt.date,
    fmt: str,
    output: Path | None,
    force: bool,
    lang: str,
    store_url: str | None,
) -> None:
    """Write ROUND's progress notice (本轮巡察整改进展情况通报) as of a day: public content
    only, an unstated state written 整改情况未说明, never 未完成."""
    with cases_from(store_url, lang) as source:
        if source.store is None:
            found = load_round(round_file)
        else:  # a stored round's id, or a round file (its store_cases read from the store)
            found = source.round_cases(str(round_file), load=True)[0]
    text = render_round_notice(round_summary(found, as_of=as_of), fmt)  # type: ignore[arg-type]
    if output is None:
        click.echo(text, nl=False)
        return
    inputs = [round_file]
    if round_file.is_file():
        inputs += round_case_paths(round_file)[1]
    write_output(output, text.encode("utf-8"), force=force, inputs=inputs)
    click.echo(WORDS[lang]["written"].format(path=output), err=True)


@round_group.command("import")
@click.argument("notice", type=click.Path(dir_okay=False, allow_dash=True), metavar="NOTICE|-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="json",
    show_default=True,
    help="json: the summary (docs/rounds.md); text: what was not read.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
)
def round_import(notice: str, fmt: str, lang: str) -> None:
    """Read a round's progress notice (a text file, or - for standard input) into its stated
    figures; what is not read is listed, never guessed."""

    def refuse(reason: str, fix: str) -> RectflowError:
        return NoticeParseError(f"{notice}: {reason}; {fix}")

    raw = read_stream(sys.stdin.buffer, refuse) if notice == "-" else read_input(notice, refuse)
    # UTF-8 (a byte-order mark dropped), else GB18030, said in a warning; else refused.
    read = decode_notice(raw, lambda reason, fix, _line: refuse(reason, fix))
    note = read.note("<stdin>" if notice == "-" else notice)
    if note is not None:
        click.echo(f"rectflow: warning: {translate(lang, note)}", err=True)
    summary = parse_round_notice(read.text)
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return
    w = WORDS[lang]
    click.echo(json.dumps(summary.to_dict() | {"unread": len(summary.unread)}, ensure_ascii=False))
    if summary.unread:
        click.echo(w["unread"].format(n=len(summary.unread)))
        for piece in summary.unread:
            click.echo(
                w["unread_line"].format(
                    line=piece.line, text=piece.text, reason=translate(lang, piece.reason)
                )
            )


COMMANDS: list[click.Command] = [round_group]
