"""``rectflow report``: a case's or a round's dashboard as one self-contained HTML file.

The file (``-o report.html``, a new file unless ``--force``, written atomically; standard output
without ``-o``) works offline: its charts are inline SVG drawn at build time, it has no script and
requests nothing, and it prints on A4 (docs/dashboard.md). The day is given (``--as-of``, or
``--as-of today`` said explicitly); the warning levels come from ``--policy``'s escalation ladder,
as for ``rectflow agenda``. The dashboard is internal: it shows every item.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rectflow._casefile.files import check_output, write_output
from rectflow._cli._dates import DAY_OR_TODAY, default_lang
from rectflow._cli._source import Cases, cases_from, store_option
from rectflow._core.model import Case, InspectionKind
from rectflow._dashboard.page import render_dashboard
from rectflow._dashboard.words import LANGS
from rectflow._i18n import N_, Words
from rectflow._rounds.model import Round
from rectflow._rounds.rollup import GROUPINGS, Grouping
from rectflow._rules.plugins import plugin_manager
from rectflow._rules.policy_file import load_named_policy
from rectflow.errors import RectflowError

__all__ = ["COMMANDS", "load_subject"]

# What the command says; the Chinese is in the catalogue.
WORDS = Words(
    {
        "missing": N_(
            "--as-of is missing: give the day the dashboard is as of, --as-of YYYY-MM-DD or "
            "--as-of today (nothing defaults to the clock)"
        ),
        "written": N_("dashboard written to {path} ({size} bytes, as of {as_of})"),
        "suffix": N_(
            "{path}: the dashboard is one HTML page, and the name's suffix {suffix} says "
            "otherwise; name it .html (to make a PDF, open the page in a browser and print it "
            "to PDF)"
        ),
    }
)


def load_subject(
    path: Path | str, source: Cases | None = None
) -> tuple[Case | Round, tuple[Path, ...]]:
    """The case or the round (its cases loaded) that ``path`` names (with ``source``'s store,
    an id too), told apart as ``rectflow stats`` tells them, and every file it was read from
    (which the output must never replace)."""
    found = (source if source is not None else Cases(None)).subject(str(path))
    return found.value, found.files


def _cases(subject: Case | Round) -> tuple[Case, ...]:
    return subject.cases if isinstance(subject, Round) else (subject,)


@click.command("report")
@click.argument("source", metavar="CASE|ROUND")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the HTML here (a new file, unless --force) instead of standard output.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--as-of",
    "as_of",
    type=DAY_OR_TODAY,
    default=None,
    help="Required. The day: YYYY-MM-DD, or today (said explicitly: nothing defaults to the "
    "clock). Every case is judged as it stood then.",
)
@click.option(
    "--policy",
    "policy_name",
    default=None,
    metavar="NAME|FILE",
    help="The policy whose [escalation] ladder gives the warning levels (a preset or a policy "
    "file), as for rectflow agenda. Default: xunshi when every case is a 巡视 case, else xuncha.",
)
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default=None,
    help="What the completion chart is broken down by. Default: body for a round, department "
    "for a case.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the page.",
)
@store_option
def report_command(
    source: str,
    output: Path | None,
    force: bool,
    as_of: dt.date | None,
    policy_name: str | None,
    by: Grouping | None,
    lang: str,
    store_url: str | None,
) -> None:
    """Write the dashboard of a CASE file or a ROUND file as one self-contained HTML page.

    Headline figures (completion rates with their denominators, overdue items, warnings),
    completion by body or department, the warning levels, the progress month by month, and the
    overdue and warned items. Charts are inline SVG: the page works offline and prints on A4.
    It is an internal document: every item is shown.
    """
    if as_of is None:
        raise RectflowError(WORDS[lang]["missing"])
    if output is not None:  # refused before anything is read, as after
        if output.suffix and output.suffix.lower() not in (".html", ".htm"):
            # -o report.pdf would get HTML under a PDF's name: refused, nothing written.
            raise RectflowError(
                WORDS[lang]["suffix"].format(path=output, suffix=repr(output.suffix))
            )
        check_output(output, force=force, inputs=(source,))
    with cases_from(store_url, lang) as cases:
        subject, inputs = load_subject(source, cases)
    plugins = plugin_manager()
    if policy_name is None:
        xunshi = all(c.inspection.kind is InspectionKind.XUNSHI for c in _cases(subject))
        policy_name = "xunshi" if xunshi else "xuncha"
    policy = load_named_policy(policy_name, plugins)
    page = render_dashboard(subject, as_of=as_of, policy=policy, by=by, lang=lang)
    if output is None:
        click.echo(page, nl=False)
        return
    data = page.encode("utf-8")
    write_output(output, data, force=force, inputs=inputs)
    click.echo(
        WORDS[lang]["written"].format(path=output, size=len(data), as_of=as_of.isoformat()),
        err=True,
    )


COMMANDS: list[click.Command] = [report_command]
"""The commands this module adds to ``rectflow``."""
