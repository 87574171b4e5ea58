"""What the editing commands share: their options, how they read them, and the load → record
→ save → tell sequence, on a case file or on a case in a store (:mod:`rectflow._cli._source`).

Every refusal here is a :class:`~rectflow.errors.RectflowError` (one line, exit 2, in
``_cli.main``), raised before the case file is written: a required option left out is refused
in the same way rather than by click's usage message, so that it too is one line saying what to
give.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import click

from rectflow._cli._dates import DAY_OR_TODAY, LANGS, default_lang
from rectflow._cli._source import cases_from, store_option
from rectflow._cli._words import event_line
from rectflow._core.kinds import InspectionKind
from rectflow._core.lifecycle import Guard
from rectflow._core.model import Case, Event, Responsibility
from rectflow._i18n import N_, Msg, translate
from rectflow._rules.check import guards
from rectflow._rules.plugins import plugin_manager
from rectflow.errors import RectflowError

__all__ = [
    "CASE_ARG",
    "WHO",
    "Change",
    "apply_change",
    "day_given",
    "event_options",
    "lang_option",
    "optional",
    "parse_member",
    "parse_people",
    "parse_responsibility",
    "parse_score",
    "required",
]

# A case file's path, or with --store a case id: taken as given (not a click.Path, which would
# refuse an id that happens to name a folder).
CASE_ARG = click.STRING
WHO = ("leader", "department", "person")
E = TypeVar("E", bound=enum.Enum)

# An edit: given the loaded case and the guards, record one event and return it.
Change = Callable[[Case, Sequence[Guard]], Event]


# -- options shared by every command that records an event -------------------------------------


def lang_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default=default_lang,
        show_default="zh when the locale is zh_CN, else en",
        help="The language of what is printed.",
    )(f)


def event_options(*, guarded: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--on``, ``--recorded-on``, ``--actor``, ``--note``, ``--lang``, ``--store`` and, where
    the API consults guards, ``--policy`` and ``--no-guards``."""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        f = store_option(f)
        if guarded:
            f = click.option(
                "--no-guards",
                is_flag=True,
                help="Record it without consulting the rules (history as it happened).",
            )(f)
            f = click.option(
                "--policy",
                "policy_name",
                default=None,
                metavar="NAME|FILE",
                help="The policy whose rules guard the change (a preset or a policy file). "
                "Default: xunshi for a 巡视 case, xuncha otherwise.",
            )(f)
        f = lang_option(f)
        f = click.option("--note", default=None, help="A note kept with the event.")(f)
        f = click.option(
            "--actor", default=None, help="Who records it (a person or a department)."
        )(f)
        f = click.option(
            "--recorded-on",
            type=DAY_OR_TODAY,
            default=None,
            help="For a late recording: the day it is entered (--on stays the day it "
            "happened). Needed when --on is before an event already in the log.",
        )(f)
        return click.option(
            "--on",
            "on",
            type=DAY_OR_TODAY,
            default=None,
            help="Required. The day it happened: YYYY-MM-DD, or today (said explicitly: "
            "nothing defaults to the clock).",
        )(f)

    return decorate


def apply_change(
    given: str,
    change: Change,
    lang: str,
    store_url: str | None,
    *,
    policy_name: str | None = None,
    no_guards: bool = True,
) -> None:
    """Load the case (a file, or with ``store_url`` the stored case of that id), record the
    change, save it back version-checked, print the event and tell the plugins
    (``rectflow_event_recorded``); nothing is written when the change is refused."""
    with cases_from(store_url, lang) as source:
        case, where = source.load(given)
        plugins = plugin_manager()
        rules: Sequence[Guard] = ()
        if not no_guards:
            # The same default as `rectflow fire` and `rectflow check`: the kind's preset.
            default = "xunshi" if case.inspection.kind is InspectionKind.XUNSHI else "xuncha"
            rules = guards(plugins, policy_name or default)
        event = change(case, rules)
        source.save(case, where)
    click.echo(event_line(event, lang))
    click.echo(source.saved(case, where))
    # The event is on file: tell the host (notifications, tickets). A plugin's crash is said on
    # standard error and changes nothing: the event stays recorded, the exit code stays 0.
    for crash in plugins.event_recorded(case, event):
        message = crash.message_zh if lang == "zh" and crash.message_zh else crash.message
        click.echo(f"rectflow: warning: {crash.code}: {message}", err=True)


def optional(value: str | None, option: str) -> str | None:
    """An option's text, stripped; a blank one is refused (say it or leave it out)."""
    if value is None:
        return None
    if not value.strip():
        raise RectflowError(
            Msg("{option} is blank: give it a value, or leave the option out", option=option)
        )
    return value.strip()


# What a required option says, in the refusal that asks for it.
_NEEDED = {
    "--on": N_(
        "the day it happened: --on YYYY-MM-DD, or --on today (nothing defaults to the clock)"
    ),
    "--approver": N_('who approved the extension: --approver "…"'),
    "--reason": N_('why the deadline moves: --reason "…"'),
    "--title": N_('what it is: --title "…"'),
    "--text": N_('what is to be done: --text "…"'),
    "--form": N_("the form: --form 诫勉谈话 (or admonishing_talk, criticism …)"),
    "--people": N_("how many people: --people N"),
    "--grade": N_("the grade: --grade 一般 (or good, fairly_good, fair, poor, 好, 较好, 差)"),
    "NEW_TEXT": N_("the new text as the third argument"),
    "MEASURE_ID": N_("the new measure's id"),
    "PROBLEM_ID": N_("the new problem's id"),
}


def _needed(option: str, missing: bool) -> Msg:
    """The refusal of a required option left out (or blank), saying what to give."""
    needed = _NEEDED[option]
    template = (
        N_("{option} is missing: give {needed}")
        if missing
        else N_("{option} is blank: give {needed}")
    )
    return Msg(template, option=option, needed=needed, zh={"needed": translate("zh", needed)})


def required(value: str | None, option: str) -> str:
    """A required option's text: missing or blank is refused, saying what to give."""
    if value is None or not value.strip():
        raise RectflowError(_needed(option, missing=value is None))
    return value.strip()


def day_given(on: dt.date | None) -> dt.date:
    if on is None:
        raise RectflowError(_needed("--on", missing=True))
    return on


def parse_people(value: str | None) -> int:
    text = required(value, "--people")
    if not text.isdigit() or int(text) < 1:
        raise RectflowError(
            Msg(
                "--people {value!r} is not a number of people: give a whole number from 1, "
                "e.g. --people 2",
                value=value,
            )
        )
    return int(text)


def parse_score(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        score = float(value)
    except ValueError:
        score = -1.0
    if not 0 <= score <= 100:
        raise RectflowError(
            Msg(
                "--score {value!r} is not a score out of 100: give a number from 0 to 100, e.g. "
                "--score 74.5, or leave it out",
                value=value,
            )
        )
    return score


def parse_member(
    value: str, kind: type[E], words: Mapping[E, str | tuple[str, ...]], option: str
) -> E:
    """The member named by its value or by one of its Chinese words."""
    text = value.strip()
    for member in kind:
        said = words[member]
        names = (str(member.value), *((said,) if isinstance(said, str) else said))
        if text in names or text.lower() == str(member.value):
            return member
    known = ", ".join(f"{m.value} ({w if isinstance(w, str) else w[0]})" for m, w in words.items())
    known_zh = "，".join(
        f"{m.value}（{w if isinstance(w, str) else w[0]}）" for m, w in words.items()
    )
    raise RectflowError(
        Msg(
            "{option} {value!r} is not known: give one of {known}",
            option=option,
            value=value,
            known=known,
            zh={"known": known_zh},
        )
    )


def parse_responsibility(
    leader: str | None, department: str | None, person: str | None
) -> Responsibility | None:
    values = {
        name: optional(value, f"--{name}")
        for name, value in zip(WHO, (leader, department, person), strict=True)
    }
    found = Responsibility(**values)
    return None if found.is_empty() else found
