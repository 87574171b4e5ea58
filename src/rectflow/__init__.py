"""rectflow: the rectification lifecycle after a party inspection (巡视/巡察整改), executable.

The public API is re-exported here; everything in ``rectflow._*`` modules is private. Public
submodules: :mod:`rectflow.errors`, :mod:`rectflow.hookspecs`, :mod:`rectflow.strategies`.

``import rectflow`` loads none of it: each public name is imported from the module that defines
it the first time it is asked for (``rectflow.Case``, ``from rectflow import load_case``), so a
command that needs the case model does not pay for the notice parser, the renderer, the
dashboard or the workbook (issue 14). Type checkers and IDEs read the imports under
``TYPE_CHECKING`` below; ``_NAMES_BY_MODULE`` says the same to the interpreter, and
``tests/test_public_api.py`` keeps the two and ``__all__`` equal.
"""

from __future__ import annotations

import importlib

# ``typing.TYPE_CHECKING`` without importing typing (a third of a bare ``import rectflow``):
# mypy, pyright and the other checkers take any constant of that name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from rectflow._casefile.files import (
        SCHEMA_VERSION,
        dumps_case,
        load_case,
        loads_case,
        save_case,
        structure_case,
        unstructure_case,
    )
    from rectflow._core.asof import case_as_of
    from rectflow._core.dates import Dekad, FuzzyDate, Judgement, Period, Precision
    from rectflow._core.diagram import mermaid
    from rectflow._core.history import ADD_MEASURE
    from rectflow._core.lifecycle import (
        CASE_LIFECYCLE,
        ITEM_LIFECYCLE,
        Guard,
        Lifecycle,
        Transition,
        add_measure,
        allowed_triggers,
        fire,
        replay,
    )
    from rectflow._core.model import (
        Accountability,
        AccountabilityForm,
        Case,
        CaseState,
        Category,
        Classification,
        Contact,
        ContactKind,
        Disclosure,
        DisclosureScope,
        Evaluation,
        Event,
        EventData,
        EventLog,
        Evidence,
        EvidenceKind,
        Grade,
        Inspection,
        InspectionKind,
        ItemState,
        LeadingGroup,
        Measure,
        Milestone,
        Plan,
        Problem,
        ProblemKind,
        Responsibility,
        Review,
        ReviewKind,
        ReviewOutcome,
        StatedCount,
        derive_problem_state,
    )
    from rectflow._core.report import Level, Report, Violation
    from rectflow._core.status import CaseStatus, OverdueItem, default_as_of, overdue, status
    from rectflow._core.supervision import (
        Extension,
        ItemFacts,
        accountability_counts,
        add_evidence,
        add_problem,
        assign,
        due_on_as_of,
        edit_text,
        evaluate,
        extend,
        extensions,
        item_facts,
        last_reached,
        record_accountability,
        rejections,
        set_due,
        state_history,
    )
    from rectflow._dashboard.api import render_dashboard
    from rectflow._ledger_io.api import LedgerImport, LedgerWarning, export_ledger, import_ledger
    from rectflow._ledger_io.errors import LedgerError
    from rectflow._notices.parse import ParseResult, ParseWarning, Unread, parse_notice
    from rectflow._notices.public import public_projection
    from rectflow._notices.render import render_notice
    from rectflow._rounds.files import (
        RoundFileError,
        dumps_round,
        load_round,
        loads_round,
        save_round,
    )
    from rectflow._rounds.model import Round, Team
    from rectflow._rounds.notice import parse_round_notice, render_round_notice
    from rectflow._rounds.rollup import Rate, RolledOverdue, Rollup, RollupGroup, Tally, rollup
    from rectflow._rounds.summary import BodyFigures, RoundFigures, RoundSummary, round_summary
    from rectflow._rules.agenda import Agenda, EscalationNotice, Recipient, RecipientGroup, agenda
    from rectflow._rules.calendar import (
        Calendar,
        Due,
        Duration,
        DurationError,
        Unit,
        WeekdayCalendar,
        WeekdayFallback,
        add_duration,
        add_months,
    )
    from rectflow._rules.check import Checker, check, guards
    from rectflow._rules.context import CheckContext
    from rectflow._rules.ladder import DEFAULT_LADDER, EscalationLevel, Ladder, LadderError
    from rectflow._rules.plugins import Plugins, plugin_manager
    from rectflow._rules.policy import CalendarSettings, Policy
    from rectflow._rules.policy_file import dumps_policy, load_policy, loads_policy, policy
    from rectflow._rules.rules import OptionSetting, Rule, RuleSettings, Source
    from rectflow._rules.schedules import (
        ScheduledCalendar,
        ScheduleNotice,
        YearSchedule,
        dumps_schedule,
        load_schedule,
        loads_schedule,
        with_schedules,
    )
    from rectflow._version import __version__
    from rectflow.errors import RectflowError
    from rectflow.hookspecs import hookimpl

__all__ = [
    "ADD_MEASURE",
    "CASE_LIFECYCLE",
    "DEFAULT_LADDER",
    "ITEM_LIFECYCLE",
    "SCHEMA_VERSION",
    "Accountability",
    "AccountabilityForm",
    "Agenda",
    "BodyFigures",
    "Calendar",
    "CalendarSettings",
    "Case",
    "CaseState",
    "CaseStatus",
    "Category",
    "CheckContext",
    "Checker",
    "Classification",
    "Contact",
    "ContactKind",
    "Dekad",
    "Disclosure",
    "DisclosureScope",
    "Due",
    "Duration",
    "DurationError",
    "EscalationLevel",
    "EscalationNotice",
    "Evaluation",
    "Event",
    "EventData",
    "EventLog",
    "Evidence",
    "EvidenceKind",
    "Extension",
    "FuzzyDate",
    "Grade",
    "Guard",
    "Inspection",
    "InspectionKind",
    "ItemFacts",
    "ItemState",
    "Judgement",
    "Ladder",
    "LadderError",
    "LeadingGroup",
    "LedgerError",
    "LedgerImport",
    "LedgerWarning",
    "Level",
    "Lifecycle",
    "Measure",
    "Milestone",
    "OptionSetting",
    "OverdueItem",
    "ParseResult",
    "ParseWarning",
    "Period",
    "Plan",
    "Plugins",
    "Policy",
    "Precision",
    "Problem",
    "ProblemKind",
    "Rate",
    "Recipient",
    "RecipientGroup",
    "RectflowError",
    "Report",
    "Responsibility",
    "Review",
    "ReviewKind",
    "ReviewOutcome",
    "RolledOverdue",
    "Rollup",
    "RollupGroup",
    "Round",
    "RoundFigures",
    "RoundFileError",
    "RoundSummary",
    "Rule",
    "RuleSettings",
    "ScheduleNotice",
    "ScheduledCalendar",
    "Source",
    "StatedCount",
    "Tally",
    "Team",
    "Transition",
    "Unit",
    "Unread",
    "Violation",
    "WeekdayCalendar",
    "WeekdayFallback",
    "YearSchedule",
    "__version__",
    "accountability_counts",
    "add_duration",
    "add_evidence",
    "add_measure",
    "add_months",
    "add_problem",
    "agenda",
    "allowed_triggers",
    "assign",
    "case_as_of",
    "check",
    "default_as_of",
    "derive_problem_state",
    "due_on_as_of",
    "dumps_case",
    "dumps_policy",
    "dumps_round",
    "dumps_schedule",
    "edit_text",
    "evaluate",
    "export_ledger",
    "extend",
    "extensions",
    "fire",
    "guards",
    "hookimpl",
    "import_ledger",
    "item_facts",
    "last_reached",
    "load_case",
    "load_policy",
    "load_round",
    "load_schedule",
    "loads_case",
    "loads_policy",
    "loads_round",
    "loads_schedule",
    "mermaid",
    "overdue",
    "parse_notice",
    "parse_round_notice",
    "plugin_manager",
    "policy",
    "public_projection",
    "record_accountability",
    "rejections",
    "render_dashboard",
    "render_notice",
    "render_round_notice",
    "replay",
    "rollup",
    "round_summary",
    "save_case",
    "save_round",
    "set_due",
    "state_history",
    "status",
    "structure_case",
    "unstructure_case",
    "with_schedules",
]

# Where each public name is defined (the imports above, for the interpreter).
_NAMES_BY_MODULE: dict[str, tuple[str, ...]] = {
    "rectflow._casefile.files": (
        "SCHEMA_VERSION",
        "dumps_case",
        "load_case",
        "loads_case",
        "save_case",
        "structure_case",
        "unstructure_case",
    ),
    "rectflow._core.asof": ("case_as_of",),
    "rectflow._core.dates": ("Dekad", "FuzzyDate", "Judgement", "Period", "Precision"),
    "rectflow._core.diagram": ("mermaid",),
    "rectflow._core.history": ("ADD_MEASURE",),
    "rectflow._core.lifecycle": (
        "CASE_LIFECYCLE",
        "ITEM_LIFECYCLE",
        "Guard",
        "Lifecycle",
        "Transition",
        "add_measure",
        "allowed_triggers",
        "fire",
        "replay",
    ),
    "rectflow._core.model": (
        "Accountability",
        "AccountabilityForm",
        "Case",
        "CaseState",
        "Category",
        "Classification",
        "Contact",
        "ContactKind",
        "Disclosure",
        "DisclosureScope",
        "Evaluation",
        "Event",
        "EventData",
        "EventLog",
        "Evidence",
        "EvidenceKind",
        "Grade",
        "Inspection",
        "InspectionKind",
        "ItemState",
        "LeadingGroup",
        "Measure",
        "Milestone",
        "Plan",
        "Problem",
        "ProblemKind",
        "Responsibility",
        "Review",
        "ReviewKind",
        "ReviewOutcome",
        "StatedCount",
        "derive_problem_state",
    ),
    "rectflow._core.report": ("Level", "Report", "Violation"),
    "rectflow._core.status": ("CaseStatus", "OverdueItem", "default_as_of", "overdue", "status"),
    "rectflow._core.supervision": (
        "Extension",
        "ItemFacts",
        "accountability_counts",
        "add_evidence",
        "add_problem",
        "assign",
        "due_on_as_of",
        "edit_text",
        "evaluate",
        "extend",
        "extensions",
        "item_facts",
        "last_reached",
        "record_accountability",
        "rejections",
        "set_due",
        "state_history",
    ),
    "rectflow._dashboard.api": ("render_dashboard",),
    "rectflow._ledger_io.api": ("LedgerImport", "LedgerWarning", "export_ledger", "import_ledger"),
    "rectflow._ledger_io.errors": ("LedgerError",),
    "rectflow._notices.parse": ("ParseResult", "ParseWarning", "Unread", "parse_notice"),
    "rectflow._notices.public": ("public_projection",),
    "rectflow._notices.render": ("render_notice",),
    "rectflow._rounds.files": (
        "RoundFileError",
        "dumps_round",
        "load_round",
        "loads_round",
        "save_round",
    ),
    "rectflow._rounds.model": ("Round", "Team"),
    "rectflow._rounds.notice": ("parse_round_notice", "render_round_notice"),
    "rectflow._rounds.rollup": (
        "Rate",
        "RolledOverdue",
        "Rollup",
        "RollupGroup",
        "Tally",
        "rollup",
    ),
    "rectflow._rounds.summary": ("BodyFigures", "RoundFigures", "RoundSummary", "round_summary"),
    "rectflow._rules.agenda": (
        "Agenda",
        "EscalationNotice",
        "Recipient",
        "RecipientGroup",
        "agenda",
    ),
    "rectflow._rules.calendar": (
        "Calendar",
        "Due",
        "Duration",
        "DurationError",
        "Unit",
        "WeekdayCalendar",
        "WeekdayFallback",
        "add_duration",
        "add_months",
    ),
    "rectflow._rules.check": ("Checker", "check", "guards"),
    "rectflow._rules.context": ("CheckContext",),
    "rectflow._rules.ladder": ("DEFAULT_LADDER", "EscalationLevel", "Ladder", "LadderError"),
    "rectflow._rules.plugins": ("Plugins", "plugin_manager"),
    "rectflow._rules.policy": ("CalendarSettings", "Policy"),
    "rectflow._rules.policy_file": ("dumps_policy", "load_policy", "loads_policy", "policy"),
    "rectflow._rules.rules": ("OptionSetting", "Rule", "RuleSettings", "Source"),
    "rectflow._rules.schedules": (
        "ScheduledCalendar",
        "ScheduleNotice",
        "YearSchedule",
        "dumps_schedule",
        "load_schedule",
        "loads_schedule",
        "with_schedules",
    ),
    "rectflow._version": ("__version__",),
    "rectflow.errors": ("RectflowError",),
    "rectflow.hookspecs": ("hookimpl",),
}
_MODULE_OF: dict[str, str] = {
    name: module for module, names in _NAMES_BY_MODULE.items() for name in names
}
# The public submodules ``import rectflow`` used to bind as a side effect of importing the API:
# ``rectflow.errors.X`` after a bare ``import rectflow`` keeps working.
_SUBMODULES = frozenset({"errors", "hookspecs"})

if not TYPE_CHECKING:  # type checkers see the imports above, and a misspelt name stays an error

    def __getattr__(name: str) -> Any:
        """A public name, imported from its module on first use and kept (PEP 562)."""
        module = _MODULE_OF.get(name)
        if module is None:
            if name in _SUBMODULES:
                return importlib.import_module(f"rectflow.{name}")
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    """The public names as well as what is loaded, as an eager ``__init__`` would list them."""
    return sorted({*globals(), *__all__})
