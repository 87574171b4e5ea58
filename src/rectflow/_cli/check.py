"""``rectflow check``, ``rectflow policy`` and ``rectflow due``: validators from the shell.

``check`` exits 0 when no case has an error, 1 when one has, 2 for a user's mistake (a bad file,
an unknown policy, plugin or date). Text output starts with a summary line and is grouped by case
and item, one short line per violation (docs/checks.md, "Reading a check report"): rich tables
when standard output is a terminal, plain text otherwise; ``--format json`` is for programs. A
progress bar goes to standard error when many files are checked and standard error is a
terminal. With ``--store URL`` the CASEs are ids in that store (none: every case in it).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from rectflow._cli._source import cases_from, store_option
from rectflow._cli.case import DAY
from rectflow._core.model import Case, InspectionKind
from rectflow._core.report import Report, render_json, render_rich, render_text
from rectflow._core.status import default_as_of
from rectflow._i18n import LANGS, N_, Msg, default_lang, translate
from rectflow._rules.calendar import Duration, WeekdayFallback, add_duration
from rectflow._rules.check import Checker
from rectflow._rules.plugins import (
    BUILTIN_PREFIX,
    Plugins,
    builtin_checks,
    entry_point_names,
    plugin_manager,
)
from rectflow._rules.policy_file import init_policy_text, load_named_policy
from rectflow._rules.schedules import load_schedule, with_schedules

__all__ = ["COMMANDS"]

CHECK_ERRORS = 1
# Below this many files a progress bar is noise.
PROGRESS_FROM = 5

# The first line of each built-in preset's description (its TOML ``description``), as the
# English msgid ``policy list`` says in Chinese; a preset whose line is not here stays English
# (tests/cli/test_cli_zh_complete.py fails then).
PRESET_SUMMARIES = (
    N_(
        "巡察整改 (a typical city/county regime): plan within 1 month of feedback, 3 months of "
        "centralised rectification with the report at its end, evaluation within 1 month after "
        "it, clues handled within 6 months (at most a year), disclosure within 3 months after "
        "the centralised period (practice: a warning); no public period unless you set one."
    ),
    N_(
        "巡视整改: report within 2 months of feedback (条例 2015 art. 27), clues reported on "
        "within 3 months (art. 29), disclosure 以适当方式 (art. 32) and, as central practice, "
        "about 7-8 months after feedback."
    ),
)

_LANG = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the text and the messages.",
)

_DISABLE = click.option(
    "--disable",
    "disable",
    multiple=True,
    metavar="PLUGIN",
    help="Do not load this plugin (repeatable); also RECTFLOW_DISABLE=a,b.",
)


def _plugins(disable: Sequence[str]) -> Plugins:
    """The plugin manager, refusing a --disable name that names no plugin."""
    if disable:
        known = {*_builtin_names(), *entry_point_names()}
        for name in disable:
            if name not in known:
                raise click.BadParameter(
                    Msg(
                        "no plugin named {name!r} (known: {known})",
                        name=name,
                        known=", ".join(sorted(known)),
                    ),
                    param_hint="--disable",
                )
    return plugin_manager(disable=disable)


def _warn(plugins: Plugins, lang: str | None = None) -> None:
    """Say on standard error which plugins crashed (a check report lists them itself), in
    ``lang`` (default: the locale's)."""
    lang = lang or default_lang()
    for problem in plugins.problems:
        message = problem.message_zh if lang == "zh" and problem.message_zh else problem.message
        hint = translate(lang, problem.hint)
        click.echo(f"rectflow: warning: {message}{'；' if lang == 'zh' else '; '}{hint}", err=True)


def _builtin_names() -> list[str]:
    return [BUILTIN_PREFIX + m.__name__.rsplit(".", 1)[-1] for m in builtin_checks()]


def _default_policy(case: Case) -> str:
    """The preset for the kind of inspection when no --policy is given."""
    return "xunshi" if case.inspection.kind is InspectionKind.XUNSHI else "xuncha"


def _nothing() -> None:
    return None


def _use_rich() -> bool:
    """Rich tables only for a person at a terminal; plain text for pipes and files."""
    return sys.stdout.isatty()


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A rich progress bar on standard error (yields its advance), or a no-op for few files or
    when standard error is not a terminal."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield _nothing
        return
    from rich.console import Console  # noqa: PLC0415 - only for a person at a terminal
    from rich.progress import Progress  # noqa: PLC0415

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("checking", total=total)
        yield lambda: bar.advance(task)


@click.command("check")
@click.argument("cases", nargs=-1, metavar="CASE...")
@click.option(
    "--policy",
    "policy_name",
    metavar="NAME|FILE",
    help="A preset (rectflow policy list) or a policy file. Default: xunshi for a 巡视 case, "
    "xuncha otherwise.",
)
@click.option("--as-of", "as_of", type=DAY, help="Judge at this day (default: as `status` does).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the report.",
)
@_DISABLE
@store_option
def check_command(
    cases: tuple[str, ...],
    policy_name: str | None,
    as_of: dt.date | None,
    fmt: str,
    lang: str,
    disable: tuple[str, ...],
    store_url: str | None,
) -> None:
    """Check CASE files (or, with --store, stored cases; no CASE: every one in the store)
    against a policy; exit 1 when any has an error.

    The text starts with a summary line, then each case: its own findings, then its items in
    ledger order, one line per violation; each rule's hint and basis and the calendar's caveats
    come once at the end. At a terminal it is drawn as tables.
    """
    plugins = _plugins(disable)
    checkers: dict[str, Checker] = {}
    if policy_name is not None:
        checkers[policy_name] = Checker(plugins, load_named_policy(policy_name, plugins))
    reports: list[Report] = []
    loaded: list[Case | None] = []
    with cases_from(store_url, lang) as source:
        names = source.names(cases)
        with _progress(len(names)) as advance:
            for given in names:
                case, where = source.load(given)
                name = policy_name or _default_policy(case)
                if name not in checkers:
                    checkers[name] = Checker(plugins, load_named_policy(name, plugins))
                day = as_of if as_of is not None else default_as_of(case)[0]
                reports.append(checkers[name].check(case, day, file=str(where)))
                loaded.append(case)
                advance()
    if fmt == "json":
        click.echo(render_json(reports, lang))
    elif _use_rich():
        from rich.console import Console  # noqa: PLC0415 - only for a person at a terminal

        render_rich(reports, Console(), lang, loaded)
    else:
        click.echo(render_text(reports, lang, loaded))
    if any(not report.ok for report in reports):
        sys.exit(CHECK_ERRORS)


@click.group("policy")
def policy_group() -> None:
    """List, show and start policies (docs/policies.md)."""


@policy_group.command("list")
@_LANG
@_DISABLE
def policy_list(lang: str, disable: tuple[str, ...]) -> None:
    """The presets the installed plugins provide, with their descriptions."""
    plugins = _plugins(disable)
    for name in plugins.presets():
        description = load_named_policy(name, plugins).description.strip()
        first = translate(lang, description.splitlines()[0]) if description else ""
        click.echo(f"{name}\t{first}" if first else name)
    _warn(plugins, lang)


@policy_group.command("show")
@click.argument("name", metavar="NAME|FILE")
@_LANG
@_DISABLE
def policy_show(name: str, lang: str, disable: tuple[str, ...]) -> None:
    """Print a preset's (or a policy file's) TOML, after checking that it loads."""
    plugins = _plugins(disable)
    load_named_policy(name, plugins)
    presets = plugins.presets()
    # A byte-order mark (Notepad's) is not text: printed, it is a stray character.
    text = presets[name] if name in presets else Path(name).read_text(encoding="utf-8-sig")
    click.echo(text, nl=not text.endswith("\n"))
    _warn(plugins, lang)


@policy_group.command("init")
@click.option("--from", "base", metavar="NAME|FILE", help="Start from this preset or file.")
@click.option("--name", default="my-policy", show_default=True, help="The new policy's name.")
@_LANG
@_DISABLE
def policy_init(base: str | None, name: str, lang: str, disable: tuple[str, ...]) -> None:
    """Print a complete, commented policy: every rule and option (redirect it to a file)."""
    plugins = _plugins(disable)
    policy = load_named_policy(base, plugins) if base is not None else None
    text = init_policy_text(
        policy, plugins.known_rules, name=name, calendars=plugins.calendar_names(), lang=lang
    )
    click.echo(text, nl=False)
    _warn(plugins, lang)


@click.command("due")
@click.argument("start", metavar="FROM", type=DAY)
@click.argument("period")
@click.option(
    "--calendar",
    default="weekdays",
    show_default=True,
    help="The working-day calendar (weekdays, or a plugin's: cn).",
)
@click.option(
    "--unknown-years",
    type=click.Choice(["error", "weekdays"]),
    default="error",
    show_default=True,
    help="A year the calendar has no schedule for: an error, or Monday-Friday.",
)
@click.option(
    "--schedule",
    "schedules",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A schedule file for a year the calendar does not know (repeatable; docs/policies.md).",
)
@_LANG
@_DISABLE
def due_command(
    start: dt.date,
    period: str,
    calendar: str,
    unknown_years: str,
    schedules: tuple[Path, ...],
    lang: str,
    disable: tuple[str, ...],
) -> None:
    """Print the last on-time day of PERIOD after FROM ("2 months", "15 working days")."""
    duration = Duration.parse(period)
    plugins = _plugins(disable)
    found = plugins.calendar(calendar, isolated=True)
    _warn(plugins, lang)
    found = with_schedules(found, [load_schedule(path) for path in schedules])
    if unknown_years == "weekdays":
        found = WeekdayFallback(found)
    due = add_duration(start, duration, found)
    click.echo(due.on.isoformat())
    if due.caveat:
        note = N_("note: {caveat}")
        click.echo(translate(lang, note).format(caveat=translate(lang, due.caveat)), err=True)


COMMANDS: list[click.Command] = [check_command, policy_group, due_command]
