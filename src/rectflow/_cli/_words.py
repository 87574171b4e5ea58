"""An event in words, English or Chinese, and as JSON: what ``rectflow log`` and every editing
command print.

The user-facing strings of the editing commands live here, in one table of English msgids; their
Chinese is in the gettext catalogue (:mod:`rectflow._i18n`). Chinese labels of triggers, kinds,
forms and grades are domain vocabulary and come from :mod:`rectflow._core.labels`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from rectflow._core.events import DataValue
from rectflow._core.kinds import AccountabilityForm, EvidenceKind, Grade
from rectflow._core.labels import (
    ACCOUNTABILITY_FORM_ZH,
    EVIDENCE_KIND_ZH,
    GRADE_ZH,
    TRIGGER_ZH,
)
from rectflow._core.model import Event
from rectflow._i18n import N_, Words

__all__ = ["LOG_FORMAT", "LOG_VERSION", "TRIGGER_EN", "WORDS", "event_json", "event_line"]

LOG_FORMAT: Final = "rectflow.log"
LOG_VERSION: Final = 1

# What each trigger means, in English words (the Chinese ones are labels.TRIGGER_ZH).
TRIGGER_EN: Final[Mapping[str, str]] = {
    # case
    "adopt_plan": "plan adopted",
    "start_centralised": "centralised rectification started",
    "submit_report": "report submitted",
    "disclose": "progress disclosed",
    "close_public_period": "public period closed",
    "continue_rectification": "continuing rectification",
    "review": "reviewed",
    "close_case": "case closed",
    "reopen_case": "case reopened",
    "start_second_rectification": "second rectification started",
    # items
    "start": "work started",
    "mark_basically_completed": "basically completed",
    "mark_long_term": "made long-term",
    "complete": "completed",
    "submit": "submitted for acceptance",
    "accept": "accepted",
    "reject": "rejected",
    "close": "closed",
    "reopen": "reopened",
    # edits
    "add_measure": "measure added",
    "add_problem": "problem added",
    "assign": "responsibility assigned",
    "set_due": "deadline set",
    "extend": "deadline extended",
    "edit_text": "text edited",
    "add_evidence": "evidence added",
    "accountability": "accountability recorded",
    "evaluate": "evaluated",
}

# Every sentence the editing commands and the log say; the Chinese is in the catalogue.
WORDS = Words(
    {
        "case": N_("the case"),
        "by": N_(" by {actor}"),
        "late": N_(" (recorded {day})"),
        "sep": N_(" — "),
        "head": N_("#{seq} {on}{late} {target}: {words} ({trigger}){by}"),
        "note": N_("note: {note}"),
        "none": N_("none"),
        "saved": N_("saved {path}"),
        "no events": N_("no events"),
        "assign": N_("responsibility {old} → {new}"),
        "set_due": N_("due {due}"),
        "extend": N_("due {old} → {new}, approved by {approver}{role}, reason: {reason}"),
        "role": N_(" ({role})"),
        "edit_text": N_("text “{old}” → “{new}”"),
        "add_evidence": N_("evidence “{title}” ({details})"),
        "kind": N_("{kind}"),
        "dated": N_("dated {day}"),
        "reference": N_("reference {reference}"),
        "public": N_("public"),
        "add_problem": N_("in category {category}"),
        "new_category": N_("in new category {category} “{title}”"),
        "accountability": N_("{form} {zh}: {people} people"),
        "evaluate": N_("grade {grade} {zh}"),
        "score": N_("score {score}"),
        "evaluated_by": N_("by {by}"),
        "list_sep": N_(", "),
    }
)

_CLIP = 40


def _clip(text: str) -> str:
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"


def _str(data: Mapping[str, DataValue], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def _who(data: Mapping[str, DataValue], prefix: str, words: Mapping[str, str]) -> str:
    names = [_str(data, prefix + name) for name in ("leader", "department", "person")]
    return " / ".join(n for n in names if n) or words["none"]


def _score(value: DataValue | None) -> str:
    return f"{value:g}" if isinstance(value, int | float) and not isinstance(value, bool) else ""


def change(event: Event, lang: str) -> str:
    """What an edit changed, in words (empty for a fired trigger and an added measure)."""
    w = WORDS[lang]
    d = event.data
    trigger = event.trigger
    if trigger == "assign":
        return w["assign"].format(old=_who(d, "previous_", w), new=_who(d, "", w))
    if trigger == "set_due":
        return w["set_due"].format(due=_str(d, "due_on"))
    if trigger == "extend":
        role = _str(d, "role")
        return w["extend"].format(
            old=_str(d, "previous_due_on"),
            new=_str(d, "due_on"),
            approver=_str(d, "approver") or "",
            role=w["role"].format(role=role) if role else "",
            reason=_str(d, "reason") or "",
        )
    if trigger == "edit_text":
        return w["edit_text"].format(
            old=_clip(_str(d, "previous_text") or ""), new=_clip(_str(d, "text") or "")
        )
    if trigger == "add_evidence":
        kind = EvidenceKind(_str(d, "kind") or EvidenceKind.DOCUMENT.value)
        details = [w["kind"].format(kind=kind.value if lang == "en" else EVIDENCE_KIND_ZH[kind])]
        if d.get("dated") is not None:
            details.append(w["dated"].format(day=_str(d, "dated")))
        if d.get("reference") is not None:
            details.append(w["reference"].format(reference=_str(d, "reference")))
        if d.get("public") is True:
            details.append(w["public"])
        return w["add_evidence"].format(
            title=_str(d, "title") or "", details=w["list_sep"].join(details)
        )
    if trigger == "add_problem":
        if d.get("new_category") is True:
            return w["new_category"].format(
                category=_str(d, "category"), title=_str(d, "category_title") or ""
            )
        return w["add_problem"].format(category=_str(d, "category"))
    if trigger == "accountability":
        form = AccountabilityForm(_str(d, "form") or AccountabilityForm.OTHER.value)
        return w["accountability"].format(
            form=form.value, zh=ACCOUNTABILITY_FORM_ZH[form], people=_str(d, "people")
        )
    if trigger == "evaluate":
        grade = Grade(_str(d, "grade") or Grade.FAIR.value)
        parts = [w["evaluate"].format(grade=grade.value, zh=GRADE_ZH[grade])]
        if _score(d.get("score")):
            parts.append(w["score"].format(score=_score(d.get("score"))))
        if d.get("by") is not None:
            parts.append(w["evaluated_by"].format(by=_str(d, "by")))
        return w["list_sep"].join(parts)
    return ""


def trigger_words(trigger: str, lang: str) -> str:
    """The trigger in words: English, or the Chinese label (the name itself when unknown)."""
    table = TRIGGER_ZH if lang == "zh" else TRIGGER_EN
    return table.get(trigger, trigger)


def event_line(event: Event, lang: str) -> str:
    """One line for one event: its number, day (and recorded day when late), target, what
    happened, who, what an edit changed and the note."""
    w = WORDS[lang]
    head = w["head"].format(
        seq=event.seq,
        on=event.on,
        late=w["late"].format(day=event.recorded_on) if event.recorded_on is not None else "",
        target=w["case"] if event.target == "case" else event.target,
        words=trigger_words(event.trigger, lang),
        trigger=event.trigger,
        by=w["by"].format(actor=event.actor) if event.actor else "",
    )
    parts = [head]
    said = change(event, lang)
    if said:
        parts.append(said)
    if event.note:
        parts.append(w["note"].format(note=event.note))
    return w["sep"].join(parts)


def _plain(value: DataValue) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def event_json(event: Event) -> dict[str, Any]:
    """An event as the ``rectflow.log`` JSON form writes it (docs/cli.md, ``rectflow log``)."""
    return {
        "seq": event.seq,
        "on": event.on.isoformat(),
        "recorded_on": event.recorded_on.isoformat() if event.recorded_on else None,
        "trigger": event.trigger,
        "words_en": trigger_words(event.trigger, "en"),
        "words_zh": trigger_words(event.trigger, "zh"),
        "target": event.target,
        "actor": event.actor,
        "note": event.note,
        "data": {key: _plain(value) for key, value in event.data.items()},
        "change_en": change(event, "en") or None,
        "change_zh": change(event, "zh") or None,
    }
