"""``rectflow ledger export|import``: the Excel ledger (台账) of a case or a round, both ways.

``export`` writes a case file's (or a round file's) ledger as an ``.xlsx`` workbook or a
``.csv`` as it stood on ``--as-of`` (required: nothing reads the clock). ``import`` reads a
workbook into a case file (or, for a round's ledger of several bodies, one case file per body
into an ``-o`` folder); ``--dry-run`` says what would be imported and writes nothing. Outputs are
written atomically, never over an existing file without ``--force`` (``files.write_output``).
A user's mistake (a cell that cannot be read, a missing extra) is one line and exit 2.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import click

from rectflow._casefile.files import (
    check_output,
    dumps_case,
    dumps_new_case,
    save_case,
    write_output,
)
from rectflow._cli._dates import DAY_OR_TODAY, LANGS, default_lang
from rectflow._cli._source import Cases, cases_from, store_option
from rectflow._core.asof import case_as_of
from rectflow._core.labels import ITEM_STATE_ZH
from rectflow._core.model import Case
from rectflow._i18n import N_, Msg, Words, translate
from rectflow._ledger_io.api import LedgerImport, export_ledger, import_ledger, ledger_format
from rectflow._ledger_io.compare import ledger_differences
from rectflow._rounds.model import Round
from rectflow._rules.plugins import plugin_manager
from rectflow._rules.policy_file import load_named_policy
from rectflow.errors import RectflowError

__all__ = ["COMMANDS", "describe_import"]

WORDS = Words(
    {
        "missing_as_of": N_(
            "ledger export needs --as-of YYYY-MM-DD (or --as-of today): the ledger is "
            "written as it stood on that day, and rectflow never reads the clock on its own"
        ),
        "written": N_("wrote {path}: {problems} problems, {rows} rows, as of {as_of}"),
        "dry_run": N_("dry run: nothing written"),
        "read": N_("{path}: sheet {sheet}, header on row {header}, {rows} ledger rows read"),
        "case": N_(
            "case {case_id} ({body}): {categories} categories, {problems} problems, "
            "{measures} measures"
        ),
        "states": N_("  states: {states}"),
        "unstated": N_("not stated"),
        "warning": N_("{where}: warning: {message}"),
        "same": N_(
            "same ledger as {source}: {cases} case(s), {problems} problems, {measures} measures"
        ),
        "different": N_("the ledger differs from {source}'s ({count} difference(s)):"),
    }
)


def _count_rows(source: Case | Round) -> tuple[int, int]:
    cases = source.cases if isinstance(source, Round) else (source,)
    problems = sum(1 for case in cases for _ in case.problems())
    rows = sum(max(1, len(p.measures)) for case in cases for p in case.problems())
    return problems, rows


@click.group("ledger")
def ledger_group() -> None:
    """The Excel ledger (台账) of a case or a round, both ways (docs/ledger.md)."""


@ledger_group.command("export")
@click.argument("source", metavar="CASE|ROUND")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: .xlsx (a workbook) or .csv (the 问题清单, UTF-8 with a BOM).",
)
@click.option(
    "--as-of",
    "as_of",
    type=DAY_OR_TODAY,
    default=None,
    help="Required. The day the ledger stands on: YYYY-MM-DD, or today (said explicitly).",
)
@click.option(
    "--policy",
    "policy_name",
    default=None,
    metavar="NAME|FILE",
    help="The policy whose [escalation] ladder colours the levels (default: the default ladder).",
)
@click.option(
    "--public",
    is_flag=True,
    help="Only what may be published: public items, no names, no work trail. Default: the full "
    "internal ledger.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the messages (the workbook is in Chinese).",
)
@store_option
def export_command(
    source: str,
    output: Path,
    as_of: dt.date | None,
    policy_name: str | None,
    public: bool,
    force: bool,
    lang: str,
    store_url: str | None,
) -> None:
    """Write the ledger of SOURCE (a case file or a round file) to -o FILE.xlsx or FILE.csv."""
    words = WORDS[lang]
    if as_of is None:
        raise RectflowError(words["missing_as_of"])
    ledger_format(output)
    check_output(output, force=force, inputs=(source,))
    with cases_from(store_url, lang) as cases:
        subject = cases.subject(source)
    check_output(output, force=force, inputs=subject.files)
    loaded = subject.value
    policy = None if policy_name is None else load_named_policy(policy_name, plugin_manager())
    export_ledger(loaded, output, as_of=as_of, policy=policy, public=public, force=force)
    problems, rows = _count_rows(loaded)
    click.echo(words["written"].format(path=output, problems=problems, rows=rows, as_of=as_of))


def describe_import(result: LedgerImport, path: Path, lang: str) -> list[str]:
    """What ``--dry-run`` prints: the sheet, then each case with its items counted by state."""
    words = WORDS[lang]
    lines = [
        words["read"].format(
            path=path, sheet=result.sheet, header=result.header_row, rows=result.rows
        )
    ]
    for case in result.cases:
        problems = list(case.problems())
        measures = list(case.measures())
        lines.append(
            words["case"].format(
                case_id=case.id,
                body=case.inspected_body or "—",
                categories=len(case.categories),
                problems=len(problems),
                measures=len(measures),
            )
        )
        states: Counter[str] = Counter()
        units = [(m.state, m.state_known) for p in problems for m in p.measures] + [
            (p.own_state, p.own_state_known) for p in problems if not p.measures
        ]
        for state, known in units:
            label = ITEM_STATE_ZH[state] if lang == "zh" else state.value
            states[label if known else words["unstated"]] += 1
        said = ("，" if lang == "zh" else ", ").join(f"{k} {v}" for k, v in states.items())
        lines.append(words["states"].format(states=said or "—"))
    return lines


@ledger_group.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The case file to write (a folder for a round's ledger of several bodies); standard "
    "output without it.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be imported; write nothing.")
@click.option("--force", is_flag=True, help="Replace the output file(s) if they exist.")
@click.option("--sheet", default=None, help="The sheet to read (default: 问题清单 or the like).")
@click.option("--id", "case_id", default=None, help="The case's id (default: the file's name).")
@click.option("--body", default=None, help="The inspected body (default: from the title line).")
@click.option(
    "--against",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Check that the workbook gives back the ledger of this case or round file (as of "
    "--as-of): exit 1 listing the differences, before anything is written.",
)
@click.option(
    "--as-of",
    "as_of",
    type=DAY_OR_TODAY,
    default=None,
    help="With --against: the day the workbook was exported as of (default: the case as it "
    "stands).",
)
@click.option(
    "--year",
    type=click.IntRange(1, 9999),
    default=None,
    metavar="YEAR",
    help="The year of a deadline written without one (6月30日前) when none above gives it.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the messages.",
)
def import_command(
    workbook: Path,
    output: Path | None,
    dry_run: bool,
    force: bool,
    sheet: str | None,
    case_id: str | None,
    body: str | None,
    against: Path | None,
    as_of: dt.date | None,
    year: int | None,
    lang: str,
) -> None:
    """Read a ledger WORKBOOK (.xlsx) into a case file.

    Warnings (unknown columns, total rows skipped, years supplied) go to standard error with
    their cells; a cell that cannot be read stops the import, naming its sheet, row and column.
    """
    words = WORDS[lang]
    result = import_ledger(
        workbook, sheet=sheet, case_id=case_id, inspected_body=body, default_year=year
    )
    for warning in result.warnings:
        message = translate(lang, warning.message)
        click.echo(words["warning"].format(where=warning.where(), message=message), err=True)
    if against is not None:
        _check_against(result, against, as_of, lang)
    if dry_run:
        click.echo("\n".join(describe_import(result, workbook, lang)))
        click.echo(words["dry_run"])
        return
    if output is None:
        for case in result.cases:
            click.echo(dumps_case(case), nl=False)
        return
    if len(result.cases) == 1 and not output.is_dir():
        _write_case(result.cases[0], output, workbook, force)
        return
    if not output.is_dir():
        raise RectflowError(
            Msg(
                "the ledger holds {count} inspected bodies' cases: give -o a folder (one case "
                "file per body is written into it)",
                count=len(result.cases),
            )
        )
    targets = [output / f"{case.id}.toml" for case in result.cases]
    for target in targets:  # refused before any is written
        check_output(target, force=force, inputs=(workbook,))
    for case, target in zip(result.cases, targets, strict=True):
        _write_case(case, target, workbook, force)


def _check_against(result: LedgerImport, source: Path, as_of: dt.date | None, lang: str) -> None:
    """Compare the workbook's ledger with the source's (as of the day): same, or exit 1."""
    loaded = Cases(None).subject(str(source)).value
    cases = list(loaded.cases) if isinstance(loaded, Round) else [loaded]
    if as_of is not None:
        cases = [case_as_of(case, as_of) for case in cases]
    differences = ledger_differences(cases, result.cases)
    if differences:
        click.echo(WORDS[lang]["different"].format(source=source, count=len(differences)))
        for line in differences:
            click.echo(f"  {translate(lang, line)}")
        raise SystemExit(1)
    problems = sum(1 for case in cases for _ in case.problems())
    measures = sum(1 for case in cases for _ in case.measures())
    click.echo(
        WORDS[lang]["same"].format(
            source=source, cases=len(cases), problems=problems, measures=measures
        )
    )


def _write_case(case: Case, output: Path, workbook: Path, force: bool) -> None:
    check_output(output, force=force, inputs=(workbook,))
    if output.exists():
        write_output(output, dumps_new_case(case).encode("utf-8"), force=True, inputs=(workbook,))
    else:
        save_case(case, output)


COMMANDS: list[click.Command] = [ledger_group]
"""The commands this module adds to ``rectflow``."""
