"""The ledger's public functions: :func:`export_ledger` (a case or a round to a workbook or a
CSV) and, re-exported beside it, :func:`~rectflow._ledger_io.read.import_ledger`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from rectflow._casefile.files import check_output, write_output
from rectflow._core.model import Case
from rectflow._i18n import N_, Msg
from rectflow._ledger_io.errors import LedgerError
from rectflow._ledger_io.export import FORMATS, ledger_bytes
from rectflow._ledger_io.read import LedgerImport, LedgerWarning, import_ledger
from rectflow._ledger_io.summary import summary_writer
from rectflow._rounds.model import Round
from rectflow._rounds.rollup import Grouping, rollup
from rectflow._rules.policy import Policy

__all__ = ["LedgerImport", "LedgerWarning", "export_ledger", "import_ledger", "ledger_format"]


def ledger_format(path: Path) -> str:
    """``xlsx`` or ``csv``, from the file's suffix; refuses any other."""
    file_format = path.suffix.lower().lstrip(".")
    if file_format not in FORMATS:
        raise LedgerError(
            path,
            Msg("the suffix {suffix!r} names no ledger format", suffix=path.suffix or "(none)"),
            N_("name the file .xlsx (a workbook) or .csv"),
        )
    return file_format


def export_ledger(
    source: Case | Round | Sequence[Case],
    path: Path | str,
    *,
    as_of: dt.date,
    policy: Policy | None = None,
    public: bool = False,
    force: bool = False,
    summary: bool = True,
) -> Path:
    """Write the ledger (台账) of a case or a round to ``path``: an ``.xlsx`` workbook or a CSV.

    The workbook has the 问题清单 sheet (one row per measure, the office columns and rectflow's),
    the 统计汇总 sheet (the roll-up of :func:`rectflow.rollup`: by department for a case, by body
    for a round) and the 工作留痕 sheet (the events); the CSV is the 问题清单 alone, UTF-8 with a
    byte-order mark. docs/ledger.md shows the layout.

    Args:
        source: a case, a round (its loaded cases; a 被巡察单位 column is added) or cases.
        path: the file; its suffix (``.xlsx``, ``.csv``) gives the format. Written atomically; an
            existing file is replaced only with ``force``; never anything but a regular file.
        as_of: the day the ledger stands on: states as they stood then, levels (红/黄/绿) as the
            escalation ladder puts items then. Required: nothing reads the clock.
        policy: the policy whose escalation ladder gives the levels (the default ladder without).
        public: write only what may be published (rectflow's one public predicate): public items,
            states as published, public evidence, departments but no one's name, no work trail and
            no internal columns. A full internal ledger is the default.
        force: replace an existing file.
        summary: add the 统计汇总 sheet (xlsx only).

    Returns:
        The path written.

    Raises:
        LedgerError: an unknown suffix, or a text an .xlsx cell cannot hold; nothing was written.
        CaseFileError: the path is refused (it exists and ``force`` is off, or it is not a
            regular file); nothing was written.
    """
    path = Path(path)
    file_format = ledger_format(path)
    check_output(path, force=force)
    title = None
    bodies = None
    if isinstance(source, Round):
        cases = list(source.cases)
        title = f"{source.name}反馈问题整改台账"
        bodies = True
    elif isinstance(source, Case):
        cases = [source]
    else:
        cases = list(source)
    writer = None
    if summary and file_format == "xlsx":
        ladder = policy.escalation if policy is not None else None
        by: Grouping = "body" if len(cases) > 1 or isinstance(source, Round) else "department"
        rolled = rollup(
            source if isinstance(source, Round) else cases, as_of=as_of, by=by, ladder=ladder
        )
        # The roll-up counts internal items too: a public ledger has no summary sheet.
        writer = None if public else summary_writer(rolled)
    data = ledger_bytes(
        cases,
        file_format,
        as_of=as_of,
        policy=policy,
        public=public,
        title=title,
        bodies=bodies,
        summary=writer,
    )
    write_output(path, data, force=force)
    return path
