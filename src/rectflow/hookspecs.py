"""The plugin contract: every hook rectflow calls, typed and documented.

Plugins implement hooks with :data:`hookimpl` (also exported as ``rectflow.hookimpl``) and are
found through the ``rectflow`` entry-point group. The built-in checks are plugins of exactly the
same kind. docs/hooks.md gives each hook its signature and an example.

The specifications are defined in ``rectflow._rules.hookspecs``, beside the plugin manager that
calls them; this module is their public name.
"""

from __future__ import annotations

from rectflow._rules.hookspecs import (
    PROJECT,
    hookimpl,
    hookspec,
    rectflow_calendar,
    rectflow_calendar_names,
    rectflow_check_case,
    rectflow_escalation_notices,
    rectflow_event_recorded,
    rectflow_guard_transition,
    rectflow_policy_presets,
    rectflow_rules,
)

__all__ = [
    "PROJECT",
    "hookimpl",
    "hookspec",
    "rectflow_calendar",
    "rectflow_calendar_names",
    "rectflow_check_case",
    "rectflow_escalation_notices",
    "rectflow_event_recorded",
    "rectflow_guard_transition",
    "rectflow_policy_presets",
    "rectflow_rules",
]
