"""``rectflow stats``: the roll-up of case files or a round file, as text, JSON or CSV.

Every case is judged on one day: ``--as-of``, or else the latest of the cases' own default days
(what ``rectflow status`` would use for each; the clock is never read), said in the output.
``--format json`` prints :meth:`rectflow.Rollup.to_dict` (``rectflow.stats`` v1, docs/stats.md)
with the command line's ``as_of_reason`` and ``files``; ``--format csv`` one row for the totals
and one per group. docs/stats.md defines every figure.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from rectflow._cli._source import Cases, cases_from, store_option
from rectflow._cli.case import DAY, as_of_reason
from rectflow._core.labels import (
    ACCOUNTABILITY_FORM_ZH,
    COUNT_SUBJECT_WORDS,
    ITEM_STATE_ZH,
    PROBLEM_KIND_ZH,
    text_columns,
)
from rectflow._core.model import Case, ProblemKind, StatedCount
from rectflow._core.status import default_as_of
from rectflow._i18n import LANGS, N_, NP_, Words, default_lang
from rectflow._rounds.model import Round
from rectflow._rounds.rollup import GROUPINGS, Rate, Rollup, Tally, rollup
from rectflow._rules.plugins import plugin_manager
from rectflow._rules.policy_file import load_named_policy
from rectflow.errors import RectflowError

__all__ = ["COMMANDS", "load_sources", "render_rollup", "rollup_csv"]

_NO_CASES = N_("no cases to count: the round file lists none; list its case files in cases = [...]")
_NO_SOURCE = N_(
    "give a CASE or a ROUND: a case or round file, or an id with --store URL (with a store and "
    "none given, every case in it)"
)

# What `rectflow stats` prints, in English; the Chinese is in the catalogue.
WORDS = Words(
    {
        "head": N_("Roll-up as of {as_of} ({reason}): {cases} case(s){round}"),
        "round": N_(", round {id} {name}"),
        "given": N_("given"),
        "latest": N_("the latest of the cases' own days ({why})"),
        "problems": N_("Problems"),
        "items": N_("Items (measures, and problems tracked without measures)"),
        "states": N_(
            "{total} in all: completed {completed}, basically completed {basic}, long-term "
            "{long}, unfinished {unfinished}, state not stated {unknown}"
        ),
        "completion": N_(
            "completion rate {rate} (completed / completed + basically completed + unfinished)"
        ),
        "on_time": N_(
            "on-time rate {rate} (completed by the deadline / deadlines met or missed); "
            "completed on an unknown day {unknown}"
        ),
        "overdue": N_("overdue {n}; levels: {levels}"),
        "supervision": N_("rejections {rejections}, extensions {extensions}"),
        "accountability": N_("accountability: {forms}"),
        "no_accountability": N_("accountability: none recorded"),
        "by": N_("By {by}:"),
        "body": NP_("stats", "body"),
        "department": NP_("stats", "department"),
        "leader": NP_("stats", "leader"),
        "kind": NP_("stats", "kind"),
        "category": NP_("stats", "category"),
        "not named": NP_("stats", "(not recorded)"),
        "col_problems": NP_("stats", "problems"),
        "col_completed": NP_("stats", "completed"),
        "col_basic": NP_("stats", "basically"),
        "col_long": NP_("stats", "long-term"),
        "col_unfinished": NP_("stats", "unfinished"),
        "col_unknown": NP_("stats", "unknown"),
        "col_rate": NP_("stats", "rate"),
        "col_items": NP_("stats", "items"),
        "col_overdue": NP_("stats", "overdue"),
        "col_item_rate": NP_("stats", "item rate"),
        "col_on_time": NP_("stats", "on time"),
        "stated": N_("As the bodies' own notices state them (kept apart from the counts above):"),
        "stated_line": N_("  {body}: {counts}"),
        "overdue_list": N_("Overdue items:"),
        "overdue_line": N_("{body} {id}: due {due}, {days} day(s) late{extended}"),
        "extended": N_(" (extended {n} time(s) from {original})"),
    }
)


def load_sources(
    paths: Sequence[Path | str], source: Cases | None = None
) -> tuple[list[Case], Round | None]:
    """The cases of the given case and round files (or, with ``source``'s store, stored rounds
    and cases by id), and the round when exactly one round is given alone."""
    source = source if source is not None else Cases(None)
    cases: list[Case] = []
    rounds: list[Round] = []
    for path in paths:
        found = source.subject(str(path)).value
        if isinstance(found, Round):
            rounds.append(found)
            cases.extend(found.cases)
        else:
            cases.append(found)
    only = rounds[0] if len(rounds) == 1 and len(paths) == 1 else None
    return cases, only


def _day(cases: Sequence[Case], as_of: dt.date | None, lang: str) -> tuple[dt.date, str]:
    w = WORDS[lang]
    if as_of is not None:
        return as_of, w["given"]
    days = [(default_as_of(case), case) for case in cases]
    (day, why), case = max(days, key=lambda d: d[0][0])
    colon = "：" if lang == "zh" else ": "
    return day, w["latest"].format(why=f"{case.id}{colon}{as_of_reason(case, why, lang)}")


def _rate(rate: Rate | None) -> str:
    return "—" if rate is None else str(rate)


def _short_rate(rate: Rate | None) -> str:
    if rate is None or rate.percent is None:
        return "—"
    return f"{rate.percent}%"


def _key(key: str | None, by: str, lang: str) -> str:
    if key is None:
        return WORDS[lang]["not named"]
    if by == "kind" and lang == "zh":
        return PROBLEM_KIND_ZH.get(ProblemKind(key), key)
    return key


def _stated(counts: Sequence[StatedCount], lang: str) -> str:
    """Stated counts as written: ``measures 263 (completed 234, in_progress 29)``, or in Chinese
    ``整改措施263（已完成234，正在推进29）``."""
    parts = []
    for count in counts:
        total = "" if count.total is None else str(count.total)
        if lang == "zh":
            states = "，".join(f"{ITEM_STATE_ZH[s]}{n}" for s, n in count.by_state.items())
            subject = COUNT_SUBJECT_WORDS[count.subject][0]
            parts.append(f"{subject}{total}" + (f"（{states}）" if states else ""))
        else:
            states = ", ".join(f"{s.value} {n}" for s, n in count.by_state.items())
            parts.append(f"{count.subject} {total}".rstrip() + (f" ({states})" if states else ""))
    return ("；" if lang == "zh" else "; ").join(parts)


def _tally_lines(tally: Tally, rollup_: Rollup, lang: str) -> list[str]:
    w = WORDS[lang]
    lines = [
        w["states"].format(
            total=tally.total,
            completed=tally.completed,
            basic=tally.basically_completed,
            long=tally.long_term,
            unfinished=tally.unfinished,
            unknown=tally.unknown,
        ),
        w["completion"].format(rate=_rate(tally.completion)),
    ]
    if tally.on_time is not None:
        lines.append(w["on_time"].format(rate=_rate(tally.on_time), unknown=tally.on_time_unknown))
    if tally.levels is not None:
        sep = "，" if lang == "zh" else ", "
        levels = sep.join(
            f"{lv.label} {tally.levels.get(lv.name, 0)}" for lv in rollup_.ladder.levels
        )
        lines.append(w["overdue"].format(n=tally.overdue, levels=levels))
    lines.append(w["supervision"].format(rejections=tally.rejections, extensions=tally.extensions))
    return ["  " + line for line in lines]


def render_rollup(result: Rollup, reason: str, lang: str) -> str:
    """The roll-up as text: the totals, each group as a row, then the overdue items."""
    w = WORDS[lang]
    colon = "：" if lang == "zh" else ":"
    round_ = (
        ""
        if result.round_id is None
        else w["round"].format(id=result.round_id, name=result.round_name)
    )
    lines = [
        w["head"].format(as_of=result.as_of, reason=reason, cases=result.cases, round=round_),
        w["problems"] + colon,
        *_tally_lines(result.problems, result, lang),
        w["items"] + colon,
        *_tally_lines(result.items, result, lang),
    ]
    if result.accountability:
        sep = "、" if lang == "zh" else ", "
        forms = sep.join(
            f"{ACCOUNTABILITY_FORM_ZH[f] if lang == 'zh' else f.value} {n}"
            for f, n in result.accountability.items()
        )
        lines.append(w["accountability"].format(forms=forms))
    else:
        lines.append(w["no_accountability"])
    if result.by is not None:
        lines.append(w["by"].format(by=w[result.by]))
        header = [w[result.by]] + [
            w[k]
            for k in (
                "col_problems",
                "col_completed",
                "col_basic",
                "col_long",
                "col_unfinished",
                "col_unknown",
                "col_rate",
                "col_items",
                "col_overdue",
                "col_item_rate",
                "col_on_time",
            )
        ]
        rows = [header]
        for group in result.groups:
            p = group.problems
            items = group.items
            problem_cells = (
                ["—"] * 7
                if p is None
                else [
                    str(p.total),
                    str(p.completed),
                    str(p.basically_completed),
                    str(p.long_term),
                    str(p.unfinished),
                    str(p.unknown),
                    _short_rate(p.completion),
                ]
            )
            rows.append(
                [
                    _key(group.key, result.by, lang),
                    *problem_cells,
                    str(items.total),
                    str(items.overdue),
                    _short_rate(items.completion),
                    _short_rate(items.on_time),
                ]
            )
        lines.extend(text_columns(rows, right_from=1))
        stated = [group for group in result.groups if group.stated]
        if stated:
            lines.append(w["stated"])
            lines.extend(
                w["stated_line"].format(body=group.key, counts=_stated(group.stated, lang))
                for group in stated
            )
    if result.overdue:
        lines.append(w["overdue_list"])
        for record in result.overdue:
            item = record.item
            extended = (
                w["extended"].format(n=item.extensions, original=item.original_due_on)
                if item.extensions
                else ""
            )
            lines.append(
                "  "
                + w["overdue_line"].format(
                    body=record.inspected_body or record.case_id,
                    id=item.id,
                    due=item.due_on,
                    days=item.days_late,
                    extended=extended,
                )
            )
    return "\n".join(lines)


def _csv_tally(prefix: str, tally: Tally | None, levels: Sequence[str]) -> dict[str, Any]:
    keys = [
        "total",
        "completed",
        "basically_completed",
        "long_term",
        "unfinished",
        "state_unknown",
        "overdue",
        "completion_numerator",
        "completion_denominator",
        "completion_percent",
    ]
    if prefix == "items":
        keys += ["on_time_numerator", "on_time_denominator", "on_time_percent", "on_time_unknown"]
        keys += [f"level_{name}" for name in levels]
    keys += ["rejections", "extensions"]
    if tally is None:
        return {f"{prefix}_{k}": "" for k in keys}
    values: dict[str, Any] = {
        "total": tally.total,
        "completed": tally.completed,
        "basically_completed": tally.basically_completed,
        "long_term": tally.long_term,
        "unfinished": tally.unfinished,
        "state_unknown": tally.unknown,
        "overdue": tally.overdue,
        "completion_numerator": tally.completion.numerator,
        "completion_denominator": tally.completion.denominator,
        "completion_percent": tally.completion.percent or "",
        "rejections": tally.rejections,
        "extensions": tally.extensions,
    }
    if prefix == "items":
        on_time = tally.on_time or Rate(0, 0)
        values |= {
            "on_time_numerator": on_time.numerator,
            "on_time_denominator": on_time.denominator,
            "on_time_percent": on_time.percent or "",
            "on_time_unknown": tally.on_time_unknown,
        }
        for name in levels:
            values[f"level_{name}"] = (tally.levels or {}).get(name, 0)
    return {f"{prefix}_{k}": values[k] for k in keys}


def rollup_csv(result: Rollup) -> str:
    """The roll-up as CSV: a header, a ``total`` row, then a ``group`` row per group (columns
    in docs/stats.md); rates as numerator, denominator and percentage."""
    levels = [level.name for level in result.ladder.levels]
    rows = [
        {
            "scope": "total",
            "by": result.by or "",
            "key": "",
            **_csv_tally("problems", result.problems, levels),
            **_csv_tally("items", result.items, levels),
        }
    ]
    for group in result.groups:
        rows.append(
            {
                "scope": "group",
                "by": result.by or "",
                "key": "" if group.key is None else group.key,
                **_csv_tally("problems", group.problems, levels),
                **_csv_tally("items", group.items, levels),
            }
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@click.command("stats")
@click.argument("sources", nargs=-1, metavar="CASE|ROUND...")
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default=None,
    help="Break the counts down by inspected body, department, leader, kind or category.",
)
@click.option(
    "--as-of",
    "as_of",
    type=DAY,
    default=None,
    help="Judge every case at this day. Default: the latest of the cases' own days "
    "(as `status` takes them); the clock is never read.",
)
@click.option(
    "--policy",
    "policy_name",
    default=None,
    metavar="NAME|FILE",
    help="The policy whose escalation ladder the levels are counted on (default: the "
    "default ladder, docs/agenda.md).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text for people, json (docs/stats.md) or csv for programs.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the text (json and csv are the same in both).",
)
@store_option
def stats_command(
    sources: tuple[str, ...],
    by: str | None,
    as_of: dt.date | None,
    policy_name: str | None,
    fmt: str,
    lang: str,
    store_url: str | None,
) -> None:
    """Roll up CASE files or a ROUND file: totals by state, completed / basically completed /
    unfinished, completion and on-time rates with their denominators, overdue items, levels,
    rejections, extensions and accountability (docs/stats.md).

    An item whose state no notice or event stated is counted apart, never as unfinished.
    """
    with cases_from(store_url, lang) as source:
        if not sources and source.store is None:
            raise RectflowError(_NO_SOURCE)
        given = sources or tuple(source.names(()))
        cases, round_ = load_sources(given, source)
    if not cases:
        raise RectflowError(_NO_CASES)
    day, reason = _day(cases, as_of, lang)
    ladder = None
    if policy_name is not None:
        ladder = load_named_policy(policy_name, plugin_manager()).escalation
    counted: Case | Round | list[Case] = round_ if round_ is not None else cases
    result = rollup(counted, as_of=day, by=by, ladder=ladder)  # type: ignore[arg-type]
    if fmt == "json":
        data = result.to_dict()
        data["as_of_reason"] = _day(cases, as_of, "en")[1]
        data["files"] = [str(path) for path in given]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(rollup_csv(result), nl=False)
    else:
        click.echo(render_rollup(result, reason, lang))


COMMANDS: list[click.Command] = [stats_command]
