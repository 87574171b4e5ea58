"""An error the user made, in the language they read: the text after ``rectflow: error:``.

The errors keep their English ``str()`` for the API; the command line says them again from
their attributes through the catalogue (:mod:`rectflow._i18n`), so that a Chinese user reads
the whole line in Chinese. An error that has no template here, or whose free-text reason, fix
or hint is not in the catalogue, is said as it is, in English (a line half in one language and
half in the other reads worse than either).
"""

from __future__ import annotations

from rectflow._core.labels import CASE_STATE_ZH, ITEM_STATE_ZH, TRIGGER_ZH
from rectflow._i18n import N_, Words, catalogued, translate
from rectflow.errors import (
    CaseFileError,
    ConflictError,
    EventOrderError,
    MissingReasonError,
    OwnedFieldError,
    PolicyError,
    RectflowError,
    StoreError,
    TransitionNotAllowed,
    UnknownCalendarError,
    UnknownItemError,
    UnknownTriggerError,
    _clip,  # a line a person reads is clipped in Chinese as in English
)

__all__ = ["WORDS", "error_text"]

# Every sentence of an error message, by key; the Chinese is in the catalogue.
WORDS = Words(
    {
        "the case": N_("the case"),
        "item": N_("item {item}"),
        "list_sep": N_(", "),
        "none": N_("none"),
        "where": N_("{where}: {reason}; {fix}"),
        "conflict": N_(
            "the file was changed by another writer (loaded version {expected}, now {found})"
        ),
        "conflict_fix": N_("load the file again, re-apply the change, and save"),
        "owned_field": N_("{what} is changed only by an event, never assigned: {fix}"),
        "owned_list": N_("{what} is changed only by an event, never changed in place: {fix}"),
        "missing_reason": N_("{what} needs a reason: {fix}"),
        "unknown_item": N_(
            "case {case!r} has no problem or measure {item!r}; "
            "`rectflow status CASE --items` lists the ids"
        ),
        "unknown_trigger": N_("unknown {lifecycle} trigger {trigger!r} (known: {known})"),
        "lifecycle_case": N_("case"),
        "lifecycle_item": N_("item"),
        "not_allowed": N_("can't {trigger} {what}: it is {state}"),
        "blocked": N_("{head}, and a blocking rule forbids it: {rules}"),
        "blocked_rule": N_("{code}: {message} ({hint})"),
        "blocked_rule_bare": N_("{code}: {message}"),
        "because": N_("{head}; {reason}"),
        "allowed": N_("{head}; allowed there: {allowed}"),
        "order": N_("{event}{trigger} on {what} dated {on}: {said}"),
        "event_seq": N_("event #{seq} "),
        "order_recorded": N_(
            "its recorded_on is before the day it happened; recorded_on is the day the event "
            "was entered in the log, on or after its date: leave it out for an event recorded "
            "as it happened"
        ),
        "order_feedback": N_(
            "it is before the case's feedback ({bound}); history starts at the feedback: "
            "correct the event's date, or the case's feedback_on"
        ),
        "order_target": N_(
            "it is before an earlier event of the same target ({bound}); date it {bound} or "
            "later: the log is append-only"
        ),
        "order_log": N_(
            "it is before an event already in the log (recorded {bound}); if it is being "
            "recorded late, say so: give recorded_on ({bound} or later; "
            "`--recorded-on` on the command line)"
        ),
        "unknown_calendar": N_(
            "no calendar named {name!r} (known: {known}); use one of those, or install the "
            "plugin that provides it (China's statutory holidays: rectflow-cn-workdays, "
            "calendar 'cn')"
        ),
    }
)


# Constant words the core hands to its errors (it does not import the catalogue's markers for
# them): repeated here as msgids, so the line is said in Chinese. Each must stay equal to the
# text where it is raised; one that drifts is said in English (tests/cli/test_cli_zh_complete.py).
CORE_TEXT = (
    N_("as-of date"),  # MissingDateError.what, _core/status.py
    N_("give one (`--as-of YYYY-MM-DD`, or `as_of=` in Python)"),  # its fix
)


class _UntranslatedError(Exception):
    """A free-text part of the error has no translation: say the error in English."""


def _said(lang: str, text: str) -> str:
    """``text`` (a reason, a fix, a hint given by the raiser) in ``lang``, when catalogued
    (a :class:`~rectflow._i18n.Msg` with every part of it, or a msgid)."""
    if not catalogued(lang, text):
        raise _UntranslatedError(text)
    return translate(lang, text)


def _what(target: str, lang: str) -> str:
    w = WORDS[lang]
    return w["the case"] if target == "case" else w["item"].format(item=target)


def _trigger(trigger: str) -> str:
    return f"{trigger}（{TRIGGER_ZH[trigger]}）" if trigger in TRIGGER_ZH else trigger


def _state(state: str) -> str:
    items = {s.value: label for s, label in ITEM_STATE_ZH.items()}
    cases = {s.value: label for s, label in CASE_STATE_ZH.items()}
    label = items.get(state) or cases.get(state)
    return f"{state}（{label}）" if label else state


def _where(source: str, line: int | None, key_path: str) -> str:
    where = source + (f":{line}" if line is not None else "")
    return f"{where}: {key_path}" if key_path else where


def _not_allowed(error: TransitionNotAllowed, lang: str) -> str:
    w = WORDS[lang]
    head = w["not_allowed"].format(
        trigger=_trigger(error.trigger),
        what=_what(error.target, lang),
        state=_state(error.state),
    )
    if error.violations:
        rules = "; " if lang == "en" else "；"
        said = rules.join(
            w["blocked_rule" if v.hint else "blocked_rule_bare"].format(
                code=v.code,
                message=v.message_zh or _said(lang, v.message),
                hint=_said(lang, v.hint) if v.hint else "",
            )
            for v in error.violations
        )
        return w["blocked"].format(head=head, rules=said)
    if error.reason:
        return w["because"].format(head=head, reason=_said(lang, error.reason))
    allowed = w["list_sep"].join(_trigger(t) for t in error.allowed) or w["none"]
    return w["allowed"].format(head=head, allowed=allowed)


def _order(error: EventOrderError, lang: str) -> str:
    w = WORDS[lang]
    rule = f"order_{error.rule}"
    said = w[rule].format(bound=error.bound) if rule in w else f"{error.reason}; {error.fix}"
    return w["order"].format(
        event=w["event_seq"].format(seq=error.seq) if error.seq is not None else "",
        trigger=_trigger(error.trigger),
        what=_what(error.target, lang),
        on=error.on,
        said=said,
    )


def error_text(error: RectflowError, lang: str) -> str:
    """What the command line says after ``rectflow: error:`` for ``error``, in ``lang``.

    English is the error's own ``str()``; Chinese is said again from its attributes.
    """
    if lang == "en":
        return str(error)
    try:
        return _chinese(error, lang)
    except _UntranslatedError:
        return str(error)


def _chinese(error: RectflowError, lang: str) -> str:
    w = WORDS[lang]
    if isinstance(error, StoreError):
        # A store's refusal (a conflict in it too: its reason says "the case", not "the file").
        key_path = error.key_path if isinstance(error, ConflictError) else ""
        return w["where"].format(
            where=_where(error.where, None, key_path),
            reason=_said(lang, error.reason),
            fix=_said(lang, error.fix),
        )
    if isinstance(error, ConflictError):
        reason = w["conflict"].format(expected=error.expected_version, found=error.found_version)
        return w["where"].format(
            where=_where(str(error.path), error.line, error.key_path),
            reason=reason,
            fix=w["conflict_fix"],
        )
    if isinstance(error, CaseFileError):
        source = str(error.path) if error.path is not None else "<case>"
        return w["where"].format(
            where=_where(source, error.line, _clip(error.key_path)),
            reason=_clip(_said(lang, error.reason)),
            fix=_clip(_said(lang, error.fix)),
        )
    if isinstance(error, PolicyError):
        return w["where"].format(
            where=_where(error.source, error.line, _clip(error.key_path)),
            reason=_clip(_said(lang, error.reason)),
            fix=_clip(_said(lang, error.fix)),
        )
    if isinstance(error, TransitionNotAllowed):
        return _not_allowed(error, lang)
    if isinstance(error, EventOrderError):
        return _order(error, lang)
    if isinstance(error, UnknownTriggerError):
        lifecycle = w["lifecycle_case"] if error.lifecycle == "case" else w["lifecycle_item"]
        return w["unknown_trigger"].format(
            lifecycle=lifecycle,
            trigger=error.trigger,
            known=w["list_sep"].join(_trigger(t) for t in error.known),
        )
    if isinstance(error, UnknownItemError):
        return w["unknown_item"].format(case=error.case_id, item=error.item_id)
    if isinstance(error, OwnedFieldError):
        key = "owned_field" if error.field else "owned_list"
        what = f"{error.owner}.{error.field}" if error.field else error.owner
        return w[key].format(what=what, fix=_said(lang, error.fix))
    if isinstance(error, MissingReasonError):
        return w["missing_reason"].format(what=_trigger(error.what), fix=_said(lang, error.fix))
    if isinstance(error, UnknownCalendarError):
        return w["unknown_calendar"].format(
            name=error.name, known=w["list_sep"].join(error.known) or w["none"]
        )
    # Any other error whose message is a Msg (errors.py builds them so) or a msgid: the command
    # line's own refusals, InvalidDateError, PluginError, NoticeParseError ...
    message = error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else ""
    return _said(lang, message) if message else str(error)
