"""``rectflow agenda``: what is due or overdue on a day, at which level, for whom.

The day is given (``--as-of YYYY-MM-DD``, or ``--as-of today`` said explicitly); each case is
judged as it stood then. The text groups the notices by recipient (``--lang zh`` in Chinese);
``--format json`` prints :meth:`rectflow._rules.agenda.Agenda.to_dict` (docs/agenda.md). With
``--notify`` the notices are handed to the host's ``rectflow_escalation_notices`` plugins, once;
without it nothing is handed to anyone. The exit code is 0 whatever is due, and a delivery
plugin's crash is a warning on standard error.

With ``--store URL`` (or ``RECTFLOW_STORE``) the CASEs are ids of cases in that store, and with
no CASE at all the agenda is the store's: every case in it, one cross-case agenda.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import click

from rectflow._cli._dates import DAY_OR_TODAY, LANGS, default_lang
from rectflow._cli._source import cases_from, store_option
from rectflow._core.model import InspectionKind
from rectflow._i18n import N_, NP_, Words
from rectflow._rules.agenda import Agenda, agenda
from rectflow._rules.calendar import Duration, DurationError, Unit
from rectflow._rules.ladder import ROLE_LABELS, EscalationNotice, Recipient
from rectflow._rules.plugins import plugin_manager
from rectflow._rules.policy_file import load_named_policy
from rectflow.errors import RectflowError

__all__ = ["COMMANDS", "parse_within", "render_agenda"]

# Every user-facing string of the command, in English; the Chinese is in the catalogue.
WORDS = Words(
    {
        "head": N_(
            "Agenda as of {as_of} (policy {policy}{within}): {count} {items}, {late} overdue"
        ),
        "within": N_(", due within {days} days"),
        "nothing": N_("  nothing due or overdue"),
        "group": N_("{role} {name} ({count})"),
        "nobody": N_("(not named)"),
        "late": N_("{days} {unit} late"),
        "today": N_("due today"),
        "left": N_("{days} {unit} left"),
        "due": NP_("agenda", "due {due}"),
        "extended": N_("extended from {original}"),
        "notified": N_("notices handed to the rectflow_escalation_notices plugins"),
        "notified_failed": N_(
            "notices handed to the rectflow_escalation_notices plugins, but {count} of them "
            "failed (the warnings on standard error say which): some notices may not have "
            "been delivered"
        ),
        "missing": N_(
            "--as-of is missing: give the day, --as-of YYYY-MM-DD or --as-of today "
            "(nothing defaults to the clock)"
        ),
        "bad_within": N_(
            "--within {value!r} is not a number of calendar days: give e.g. 14d, "
            '14, "14 days" or 14天'
        ),
    }
)

_SHORT = re.compile(r"^\s*(\d{1,5})\s*d?\s*$")


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def parse_within(value: str, lang: str = "en") -> int:
    """``14d``, ``14``, ``"14 days"`` or ``14天`` as a number of calendar days.

    Raises:
        RectflowError: anything else (working days and months are refused: the ladder counts
            calendar days).
    """
    short = _SHORT.match(value)
    if short is not None:
        return int(short[1])
    try:
        period = Duration.parse(value)
    except DurationError:
        period = None
    if period is None or period.unit is not Unit.DAYS:
        raise RectflowError(WORDS[lang]["bad_within"].format(value=value))
    return period.amount


def _recipient(recipient: Recipient, lang: str) -> tuple[str, str]:
    words = WORDS[lang]
    role = ROLE_LABELS[recipient.role][1 if lang == "zh" else 0]
    return role, recipient.name if recipient.name is not None else words["nobody"]


def _when(notice: EscalationNotice, lang: str) -> str:
    words = WORDS[lang]
    days = abs(notice.days)
    unit = _plural(days, "day")
    if notice.days > 0:
        return words["late"].format(days=days, unit=unit)
    if notice.days == 0:
        return words["today"]
    return words["left"].format(days=days, unit=unit)


def _line(notice: EscalationNotice, lang: str) -> str:
    words = WORDS[lang]
    facts = [words["due"].format(due=notice.due_on), _when(notice, lang)]
    if notice.original_due_on is not None:
        facts.append(words["extended"].format(original=notice.original_due_on))
    body = notice.inspected_body or notice.case_id
    if lang == "zh":
        return f"  【{notice.label}】{body} {notice.item} {notice.text}：{'，'.join(facts)}"
    level = f"[{notice.level}: {notice.label}]"
    return f"  {level} {body} {notice.item} {notice.text}: {', '.join(facts)}"


def render_agenda(result: Agenda, lang: str) -> str:
    """The agenda as text: a summary line, then each recipient and their notices."""
    words = WORDS[lang]
    within = "" if result.within is None else words["within"].format(days=result.within)
    late = sum(1 for notice in result.notices if notice.days > 0)
    lines = [
        words["head"].format(
            as_of=result.as_of,
            policy=result.policy,
            within=within,
            count=len(result.notices),
            items=_plural(len(result.notices), "item"),
            late=late,
        )
    ]
    if not result.notices:
        lines.append(words["nothing"])
    for group in result.groups:
        role, name = _recipient(group.recipient, lang)
        lines.append(words["group"].format(role=role, name=name, count=len(group.notices)))
        lines.extend(_line(notice, lang) for notice in group.notices)
    if result.notified and result.problems:
        # A crashed delivery plugin is a warning, exit 0 (the agenda itself is right), but the
        # text must not say the notices went out as if nothing had happened.
        lines.append(words["notified_failed"].format(count=len(result.problems)))
    elif result.notified:
        lines.append(words["notified"])
    return "\n".join(lines)


@click.command("agenda")
@click.argument("cases", nargs=-1, metavar="CASE...")
@click.option(
    "--as-of",
    "as_of",
    type=DAY_OR_TODAY,
    default=None,
    help="Required. The day: YYYY-MM-DD, or today (said explicitly: nothing defaults to the "
    "clock).",
)
@click.option(
    "--within",
    default=None,
    metavar="DAYS",
    help='Only items due within this many calendar days (14d, 14, "14 days"), and late ones.',
)
@click.option(
    "--policy",
    "policy_name",
    default=None,
    metavar="NAME|FILE",
    help="The policy whose [escalation] ladder applies (a preset or a policy file). Default: "
    "xunshi when every case is a 巡视 case, else xuncha (neither has a ladder: the default one "
    "is used, docs/agenda.md).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the text.",
)
@click.option(
    "--notify",
    is_flag=True,
    help="Hand the notices to the installed rectflow_escalation_notices plugins (e-mail, "
    "DingTalk …). Without it nothing is handed to anyone.",
)
@store_option
def agenda_command(
    cases: tuple[str, ...],
    as_of: dt.date | None,
    within: str | None,
    policy_name: str | None,
    fmt: str,
    lang: str,
    notify: bool,
    store_url: str | None,
) -> None:
    """What is due or overdue in the CASE files on a day, at which level, for whom.

    With --store, the CASEs are case ids in the store; with --store and no CASE, every case in
    the store (the cross-case agenda). Each case is judged as it stood on --as-of. The levels
    and who is told come from the policy's escalation ladder; the text is grouped by recipient,
    most urgent first.
    """
    if as_of is None:
        raise RectflowError(WORDS[lang]["missing"])
    days = None if within is None else parse_within(within, lang)
    with cases_from(store_url, lang) as source:
        loaded = [case for case, _ in source.load_all(cases)]
    plugins = plugin_manager()
    if policy_name is None:
        xunshi = all(case.inspection.kind is InspectionKind.XUNSHI for case in loaded)
        policy_name = "xunshi" if xunshi else "xuncha"
    policy = load_named_policy(policy_name, plugins)
    result = agenda(loaded, as_of=as_of, policy=policy, within=days, plugins=plugins, notify=notify)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_agenda(result, lang))
    for problem in result.problems:
        message = problem.message_zh if lang == "zh" else problem.message
        click.echo(f"rectflow: warning: {problem.code}: {message}", err=True)


COMMANDS: list[click.Command] = [agenda_command]
