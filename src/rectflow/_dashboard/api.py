"""The dashboard's entrance: :func:`render_dashboard`, which imports the page's machinery (the
roll-ups, the agenda, the templates, the charts) only when a dashboard is drawn, so that
``import rectflow`` stays light."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from rectflow._core.model import Case
    from rectflow._rounds.model import Round
    from rectflow._rounds.rollup import Grouping
    from rectflow._rules.policy import Policy

__all__ = ["render_dashboard"]


def render_dashboard(
    subject: Case | Round,
    *,
    as_of: dt.date,
    policy: Policy | None = None,
    by: Grouping | None = None,
    lang: str = "zh",
) -> str:
    """A case's or a round's dashboard as one self-contained HTML page (an internal document).

    The page shows the roll-up as of ``as_of`` (:func:`rectflow.rollup`: problems and items by
    state, the completion and on-time rates with their denominators, the overdue items), the
    completion broken down by body (a round) or by responsible unit (a case), how many items
    stand on each level of the policy's escalation ladder, the roll-up at the end of each month
    up to the day, the overdue items and the warnings before a deadline (:func:`rectflow.agenda`).
    The charts are inline SVG drawn by pygal; the page requests nothing, runs no script and
    prints on A4 (docs/dashboard.md).

    It is internal: every item is shown, internal and confidential ones included, with the
    names of the people responsible. Publish with :func:`rectflow.render_notice` instead.

    Args:
        subject: a case, or a round with its cases loaded (:func:`rectflow.load_round`).
        as_of: the day; every case is judged as it stood then (never the clock).
        policy: the policy whose ``escalation`` ladder gives the warning levels
            (:data:`rectflow.DEFAULT_LADDER` without one).
        by: what the completion chart is broken down by (``body``, ``department``, ``leader``,
            ``kind``, ``category``); ``body`` for a round and ``department`` for a case by
            default.
        lang: ``zh`` (the default) or ``en``.

    Raises:
        TypeError: ``as_of`` is not a date, or the subject is neither a case nor a round.
        ValueError: ``by`` or ``lang`` is not one of those listed.
    """
    from rectflow._dashboard import page  # noqa: PLC0415 - drawn on demand, see above

    return page.render_dashboard(subject, as_of=as_of, policy=policy, by=by, lang=lang)
