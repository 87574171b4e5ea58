"""rectflow: the rectification lifecycle after a party inspection (巡视/巡察整改), executable.

The public API is re-exported here; everything in ``rectflow._*`` modules is private. Public
submodules: :mod:`rectflow.errors`, :mod:`rectflow.hookspecs`, :mod:`rectflow.strategies`.
"""

from __future__ import annotations

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
from rectflow._core.dates import Dekad, FuzzyDate, Period, Precision
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
    Case,
    CaseState,
    Category,
    Classification,
    Contact,
    ContactKind,
    Disclosure,
    DisclosureScope,
    Event,
    EventLog,
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
from rectflow._core.status import CaseStatus, default_as_of, overdue, status
from rectflow._notices.parse import ParseResult, ParseWarning, Unread, parse_notice
from rectflow._notices.public import public_projection
from rectflow._notices.render import render_notice
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
from rectflow._rules.plugins import Plugins, plugin_manager
from rectflow._rules.policy import CalendarSettings, Policy
from rectflow._rules.policy_file import dumps_policy, load_policy, loads_policy, policy
from rectflow._rules.rules import OptionSetting, Rule, RuleSettings, Source
from rectflow._version import __version__
from rectflow.errors import RectflowError
from rectflow.hookspecs import hookimpl

__all__ = [
    "ADD_MEASURE",
    "CASE_LIFECYCLE",
    "ITEM_LIFECYCLE",
    "SCHEMA_VERSION",
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
    "Event",
    "EventLog",
    "FuzzyDate",
    "Guard",
    "Inspection",
    "InspectionKind",
    "ItemState",
    "LeadingGroup",
    "Level",
    "Lifecycle",
    "Measure",
    "Milestone",
    "OptionSetting",
    "ParseResult",
    "ParseWarning",
    "Period",
    "Plan",
    "Plugins",
    "Policy",
    "Precision",
    "Problem",
    "ProblemKind",
    "RectflowError",
    "Report",
    "Responsibility",
    "Review",
    "ReviewKind",
    "ReviewOutcome",
    "Rule",
    "RuleSettings",
    "Source",
    "StatedCount",
    "Transition",
    "Unit",
    "Unread",
    "Violation",
    "WeekdayCalendar",
    "WeekdayFallback",
    "__version__",
    "add_duration",
    "add_measure",
    "add_months",
    "allowed_triggers",
    "case_as_of",
    "check",
    "default_as_of",
    "derive_problem_state",
    "dumps_case",
    "dumps_policy",
    "fire",
    "guards",
    "hookimpl",
    "load_case",
    "load_policy",
    "loads_case",
    "loads_policy",
    "mermaid",
    "overdue",
    "parse_notice",
    "plugin_manager",
    "policy",
    "public_projection",
    "render_notice",
    "replay",
    "save_case",
    "status",
    "structure_case",
    "unstructure_case",
]
