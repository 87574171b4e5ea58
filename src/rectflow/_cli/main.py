"""The ``rectflow`` command line: one group, commands from the modules beside it.

A user's mistake (a bad file, an unknown trigger, an illegal transition, a bad option) prints one
line on standard error and exits with 2; ``--debug`` shows the traceback as well. Exit 1 is kept
for "the check found errors".
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import click
import click.core
import click.exceptions
import click.formatting
import click.parser
import click.types

from rectflow._cli._console import speak_to_any_terminal
from rectflow._i18n import LANGS, N_, Msg, Words, default_lang, translate, translation
from rectflow.errors import RectflowError

__all__ = ["cli", "main"]

USER_ERROR = 2

# What main() itself says; the Chinese is in the catalogue.
WORDS = Words(
    {
        "undecodable": N_(
            "argument {position} ({shown}) is not UTF-8 text (byte {byte} at offset {offset}); "
            "give file names and values as UTF-8 (rename the file, or set a UTF-8 locale)"
        ),
        "aborted": N_("aborted"),
    }
)


# click's own messages (a usage error, a bad value), by their msgids in click 8: click says them
# through ``gettext`` with no domain of its own, so main() hands click rectflow's catalogue while a
# command runs (_click_speaks). A message missing here stays English.
CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Did you mean {possibility}?"),
    N_("(Did you mean one of: {possibilities}?)"),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} requires {nargs} arguments."),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("{value!r} is not {choice}."),
    N_("{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."),
    # ... whose {number_type} is the type's name (_CLICK_TYPE_NAMES)
    N_("integer"),
    N_("integer range"),
    N_("float"),
    N_("float range"),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} does not match the format {format}."),
    N_("{value!r} does not match the formats {formats}."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("Could not open file {filename!r}: {message}"),
    # ... and the words of a help page (--help), and the help of the options click adds.
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("(dynamic)"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
)
_CLICK_MODULES: tuple[ModuleType, ...] = (
    click.core,
    click.decorators,  # the --help option's help, made when a command first needs it
    click.exceptions,
    click.formatting,
    click.parser,
    click.types,
)

# The number types' names, which click puts in "{value!r} is not a valid {number_type}." as they
# are (a class attribute, not a msgid): said through the catalogue while _click_speaks runs.
_CLICK_TYPE_NAMES: tuple[type[click.ParamType[Any]], ...] = (
    click.types.IntParamType,
    click.types.IntRange,
    click.types.FloatParamType,
    click.types.FloatRange,
)


@contextmanager
def _click_speaks(lang: str) -> Iterator[None]:
    """click's messages in ``lang`` while the block runs (its modules' ``_`` and ``ngettext``
    are swapped for the catalogue's, and put back after)."""
    tr = translation(lang)

    def ngettext(singular: str, plural: str, n: int) -> str:
        # The catalogue has no plural forms: Chinese says both alike, English is click's own.
        return tr.gettext(singular if n == 1 else plural)

    saved = [
        (module, vars(module).get("_"), vars(module).get("ngettext")) for module in _CLICK_MODULES
    ]
    names = [(kind, vars(kind)["name"]) for kind in _CLICK_TYPE_NAMES]
    for module, said, plural in saved:
        if said is not None:
            module._ = tr.gettext  # type: ignore[attr-defined]
        if plural is not None:
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for kind, name in names:
        kind.name = tr.gettext(name)
    try:
        yield
    finally:
        for kind, name in names:
            kind.name = name
        for module, said, plural in saved:
            if said is not None:
                module._ = said  # type: ignore[attr-defined]
            if plural is not None:
                module.ngettext = plural  # type: ignore[attr-defined]


class _Formatter(click.formatting.HelpFormatter):
    """click's help formatter, with Chinese punctuation where the words are Chinese: a usage
    prefix that ends in a full-width colon is not followed by a space (``用法：rectflow …``,
    not ``用法： rectflow …``), and a Chinese heading ends in a full-width colon (``选项：``)."""

    def write_heading(self, heading: str) -> None:
        if heading and heading[-1] > "\u2e7f":  # a CJK heading (选项, 命令)
            self.write(f"{'':>{self.current_indent}}{heading}：\n")
        else:
            super().write_heading(heading)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            # click.formatting's gettext: the catalogue's while _click_speaks runs.
            said: str = vars(click.formatting)["_"]("Usage:")
            prefix = said if said.endswith("：") else f"{said} "
        super().write_usage(prog, args, prefix)


def _help_text(text: str) -> str:
    """A help text as click shows it and as the catalogue holds it (rectflow._babel_help)."""
    return inspect.cleandoc(text).partition("\f")[0].strip()


def _first_sentence(text: str) -> str:
    """A command's line in its group's list, from its Chinese help: the first sentence, to its
    first full-width semicolon or colon outside parentheses (when that leaves a phrase, not a
    word), and without its parentheses when it is still long."""
    first = text.split("\n\n", 1)[0].replace("\n", "").split("。", 1)[0]
    depth = 0
    for index, char in enumerate(first):
        depth += (char == "（") - (char == "）")
        if depth == 0 and char in "；：" and index >= 8:
            first = first[:index]
            break
    if len(first) > 36:
        first = re.sub(r"（[^（）]*）", "", first)
    return first


@contextmanager
def _help_speaks(lang: str) -> Iterator[None]:
    """Every command's help, short help, epilog and option help in ``lang`` while the block
    runs.

    click reads them from docstrings and ``help=`` strings, written in English; the catalogue
    holds their Chinese by the English text (extracted by rectflow._babel_help). They are set
    on the commands and options for the run and put back after, so main() can run again in
    another language in the same process. A text the catalogue lacks stays English. The usage
    line's prefix loses click's space after a full-width colon.
    """
    if lang == "en":
        yield
        return
    tr = translation(lang)
    saved: list[tuple[object, str, object]] = []

    def say(owner: object, attribute: str, value: object) -> None:
        saved.append((owner, attribute, getattr(owner, attribute)))
        setattr(owner, attribute, value)

    def walk(command: click.Command) -> None:
        if command.help:
            said = tr.gettext(_help_text(command.help))
            if said != _help_text(command.help):
                say(command, "help", said)
                if not command.short_help:
                    say(command, "short_help", _first_sentence(said))
        if command.short_help:
            said = tr.gettext(_help_text(command.short_help))
            if said != _help_text(command.short_help):
                say(command, "short_help", said)
        if command.epilog:  # a Msg (fire's list of triggers) or a plain text
            said = translate(lang, command.epilog)
            if said != command.epilog:
                say(command, "epilog", said)
        for param in command.params:
            for attribute in ("help", "show_default"):
                text = getattr(param, attribute, None)
                if isinstance(text, str) and text:
                    said = tr.gettext(_help_text(text))
                    if said != _help_text(text):
                        say(param, attribute, said)
        # The --help option is made (and kept) the first time a command needs it: made again
        # in this run, its help is click's msgid said through the catalogue (_click_speaks).
        say(command, "_help_option", None)
        if isinstance(command, click.Group):
            for child in command.commands.values():
                walk(child)

    say(click.Context, "formatter_class", _Formatter)
    walk(cli)
    try:
        yield
    finally:
        for owner, attribute, value in reversed(saved):
            setattr(owner, attribute, value)


def _lang(args: list[str]) -> str:
    """The language a run's errors are said in: its ``--lang``, else the locale's."""
    for position, arg in enumerate(args):
        if arg == "--lang" and position + 1 < len(args) and args[position + 1] in LANGS:
            return args[position + 1]
        if arg.startswith("--lang=") and arg.removeprefix("--lang=") in LANGS:
            return arg.removeprefix("--lang=")
    return default_lang()


# -- commands, imported when they run ----------------------------------------------------------
#
# Each command module (``rectflow._cli.<module>``) defines its click commands and lists them in
# ``COMMANDS``. The group below imports a module only when one of its commands is invoked, so
# ``rectflow status`` does not pay for the other commands' modules (nor what only they import:
# rich for tables at a terminal, the store's SQLAlchemy …). ``rectflow --help`` lists every
# command from this table without importing any: the text is the first sentence of the
# command's help, which click shortens as it would the command's own (tests/cli/test_cli_lazy.py
# checks the table against the modules).
#
# To register a new command module, add one entry: "module": {"command": "the first sentence
# of its help", ...} — every command its ``COMMANDS`` lists. A command left out of the table is not
# reachable; a help text that drifts from the command's fails the test.
COMMAND_MODULES: Mapping[str, Mapping[str, str]] = {
    "case": {
        "status": (
            "Show where each CASE file (or stored case; with --store and no CASE, "
            "every case in the store) stands: its state, items by state, what is "
            "overdue and by how many days, what waits for acceptance, rejections, "
            "extensions, accountability by form and the latest evaluation."
        ),
        "fire": (
            "Apply TRIGGER to the CASE file or stored case (or one of its items), "
            "record the event, save the case."
        ),
        "diagram": (
            "Print the Mermaid state diagram of the case or item lifecycle (Chinese and English)."
        ),
    },
    "check": {
        "check": (
            "Check CASE files (or, with --store, stored cases; no CASE: every one "
            "in the store) against a policy; exit 1 when any has an error."
        ),
        "policy": "List, show and start policies (docs/policies.md).",
        "due": ('Print the last on-time day of PERIOD after FROM ("2 months", "15 working days").'),
    },
    "notice": {
        "import": "Import a published rectification notice (NOTICE.txt, or - for standard input).",
        "render": (
            "Render the CASE file (or, with --store, the stored case) as a "
            "published notice: its public part only."
        ),
    },
    "calendar": {
        "calendar": "Working-day calendars: what a year's holidays are, and where they come from.",
    },
    "edit": {
        "assign": "Say who answers for ITEM (明确责任): an assign event.",
        "set-due": "Set the deadline (整改时限) of an ITEM that has none to DATE: a set_due event.",
        "extend": (
            "Record an approved extension (延期) of ITEM's deadline to NEW_DATE: an extend event."
        ),
        "edit-text": (
            "Change a measure's text or a problem's title to NEW_TEXT: an edit_text"
            " event that keeps both."
        ),
        "evidence": "Evidence (佐证材料) on file for an item.",
        "measure": "Measures (整改措施) of a problem.",
        "problem": "Problems (问题) in the ledger.",
        "accountability": "Accountability (问责): internal; published only as counts by form.",
        "evaluate": (
            "Record a graded evaluation of the case's rectification (整改评估), dated "
            "--on: an evaluate event."
        ),
        "log": (
            "Print the history of the CASE file (or stored case), or of one item: "
            "one line per event with its number, day (and the day it was recorded, "
            "when late), what happened, who, what an edit changed (due 2025-06-15 →"
            " 2025-08-31, approved by …) and the note."
        ),
    },
    "agenda": {
        "agenda": "What is due or overdue in the CASE files on a day, at which level, for whom.",
    },
    "report": {
        "report": (
            "Write the dashboard of a CASE file or a ROUND file as one self-contained HTML page."
        ),
    },
    "ledger": {
        "ledger": "The Excel ledger (台账) of a case or a round, both ways (docs/ledger.md).",
    },
    "round": {
        "round": (
            "Work on a round: its round file lists the case files of the bodies it "
            "inspected (docs/rounds.md); with --store URL (or RECTFLOW_STORE), "
            "ROUND may be a round's id in the store, and a round file's store_cases"
            " are read from it."
        ),
    },
    "stats": {
        "stats": (
            "Roll up CASE files or a ROUND file: totals by state, completed / "
            "basically completed / unfinished, completion and on-time rates with "
            "their denominators, overdue items, levels, rejections, extensions and "
            "accountability (docs/stats.md)."
        ),
    },
    "store": {
        "store": "A ledger store of many cases: SQLite or PostgreSQL (docs/cli-store.md).",
    },
}
"""Command module (under ``rectflow._cli``) -> its commands -> the first sentence of each one's
help (all that click's short help shows)."""


class LazyGroup(click.Group):
    """A click group that imports a command's module when the command is looked up to run, and
    lists every command (``--help``) from :data:`COMMAND_MODULES` without importing any."""

    def __init__(self, *args: Any, modules: Mapping[str, Mapping[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.modules = modules
        self.module_of = {name: module for module, names in modules.items() for name in names}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.module_of})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        module = self.module_of.get(cmd_name)
        if command is None and module is not None:
            loaded = importlib.import_module(f"rectflow._cli.{module}")
            for each in loaded.COMMANDS:
                self.add_command(each)
            command = self.commands.get(cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Stand-ins carrying the table's help: the listing imports nothing.
        stand_ins = {
            name: click.Command(name, help=help_text)
            for names in self.modules.values()
            for name, help_text in names.items()
        }
        listed = {**stand_ins, **self.commands}
        width = formatter.width - 6 - max(len(name) for name in listed)
        rows = [(name, listed[name].get_short_help_str(width)) for name in sorted(listed)]
        if rows:
            # click.core's gettext, as click's own listing says it (the catalogue's while
            # _click_speaks runs).
            with formatter.section(vars(click.core)["_"]("Commands")):
                formatter.write_dl(rows)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: click's own option and words, but the version is read from the installed
    dist-info when asked (rectflow._version), not through ``importlib.metadata``, whose import
    alone takes longer than a quick command."""
    if not value or ctx.resilient_parsing:
        return
    from rectflow._version import __version__  # noqa: PLC0415 - only --version reads it

    said: str = vars(click.decorators)["_"]("%(prog)s, version %(version)s")
    click.echo(said % {"prog": "rectflow", "package": "rectflow", "version": __version__})
    ctx.exit()


@click.group(
    cls=LazyGroup,
    modules=COMMAND_MODULES,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help=vars(click.decorators)["_"]("Show the version and exit."),
)
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="The language of every command's text, messages and help (a command's own --lang "
    "wins); default: the locale's.",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, lang: str | None) -> None:
    """Track and check the rectification after a party inspection (巡视/巡察整改).

    Case files are TOML (docs/case-file.md). Dates are never read from the clock: give them.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    if lang is not None:
        # `rectflow --lang zh CMD`: the default of every command's --lang (main() has already
        # said the help and the errors in it).
        ctx.default_map = _lang_defaults(cli, lang)


def _lang_defaults(group: click.Group, lang: str) -> dict[str, Any]:
    """click's default map giving ``lang`` to the --lang of every command under ``group``."""
    return {
        name: _lang_defaults(command, lang) if isinstance(command, click.Group) else {"lang": lang}
        for name, command in group.commands.items()
    }


def _load_for(args: list[str]) -> None:
    """Import the module of the command ``args`` name before a run in another language than
    English, so that ``_help_speaks`` (which walks the loaded commands) says its help in it;
    with no command named (``rectflow --help``), every module, for the list. An English run
    imports a command's module only when click looks the command up."""
    name: str | None = None
    values = iter(args)
    for arg in values:
        if arg == "--lang":
            next(values, None)
        elif not arg.startswith("-"):
            name = arg
            break
    if name is None:
        if "--version" in args:
            return
        load_every_command()
    elif isinstance(cli, LazyGroup) and name in cli.module_of:
        cli.get_command(click.Context(cli), name)


def load_every_command() -> click.Group:
    """Import every command's module, so that ``cli.commands`` holds the whole tree (for what
    walks it: the Chinese help of ``rectflow --help``, the catalogue's tests); returns ``cli``."""
    for names in COMMAND_MODULES.values():
        cli.get_command(click.Context(cli), next(iter(names)))
    return cli


def _undecodable(args: list[str], lang: str = "en") -> str | None:
    """The message for the first argument that is not UTF-8 text, or ``None``.

    Python hands undecodable bytes of ``argv`` over as lone surrogates (``surrogateescape``);
    such an argument would end up in a file name or a case file that no UTF-8 reader reads.
    """
    for position, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as error:
            raw = os.fsencode(arg)
            offset = len(os.fsencode(arg[: error.start]))
            shown = raw.decode("utf-8", errors="backslashreplace")
            return WORDS[lang]["undecodable"].format(
                position=position, shown=shown, byte=f"{raw[offset]:#04x}", offset=offset
            )
    return None


def main(argv: list[str] | None = None) -> Any:
    """Run the command line; returns (or exits with) its exit code."""
    speak_to_any_terminal()  # a GBK or ASCII terminal gets what it can show, never a crash
    args = sys.argv[1:] if argv is None else argv
    lang = _lang(args)
    refused = _undecodable(args, lang)
    if refused is not None:
        click.echo(f"rectflow: error: {refused}", err=True)
        sys.exit(USER_ERROR)
    debug = "--debug" in args
    if lang != "en":  # the help is said in another language: the commands it walks are loaded
        _load_for(args)
    try:
        with _click_speaks(lang), _help_speaks(lang):
            return cli.main(args=args, prog_name="rectflow", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as mistake:
        if isinstance(mistake.message, Msg):  # rectflow's own words for a bad value
            # click declares message Final; it is only read by show(), after this.
            setattr(mistake, "message", translate(lang, mistake.message))  # noqa: B010
        with _click_speaks(lang), _help_speaks(lang):
            mistake.show()
        sys.exit(USER_ERROR)
    except click.exceptions.Abort:
        click.echo(f"rectflow: {WORDS[lang]['aborted']}", err=True)
        sys.exit(USER_ERROR)
    except RectflowError as mistake:
        if debug:
            import traceback  # noqa: PLC0415 - only --debug shows one

            traceback.print_exc()
        # The words of every error (and the labels they use) only when one is said.
        from rectflow._cli._errors import error_text  # noqa: PLC0415

        click.echo(f"rectflow: error: {error_text(mistake, lang)}", err=True)
        sys.exit(USER_ERROR)
    except OSError as mistake:
        # A file that cannot be read or written is the user's to fix, not a bug.
        if debug:
            import traceback  # noqa: PLC0415 - only --debug shows one

            traceback.print_exc()
        click.echo(f"rectflow: error: {mistake}", err=True)
        sys.exit(USER_ERROR)
