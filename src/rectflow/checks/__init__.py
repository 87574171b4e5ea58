"""The built-in checks: one plugin module per rule family.

Each module declares its rules (``RULES``), an options class per rule whose defaults are the
policy defaults, and the hooks ``rectflow_rules`` and ``rectflow_check_case`` (and
``rectflow_guard_transition`` where a rule blocks a trigger). The plugin manager registers them
under the names ``rectflow.checks.<module>``, exactly as it registers third-party plugins.
docs/checks.md documents every rule code.
"""

from __future__ import annotations

from types import ModuleType

from rectflow.checks import (
    acceptance,
    confidentiality,
    consistency,
    deadline,
    disclosure,
    evaluation,
    evidence,
    history,
    responsibility,
)

__all__ = ["BUILTIN_CHECKS"]

BUILTIN_CHECKS: tuple[ModuleType, ...] = (
    deadline,
    disclosure,
    consistency,
    responsibility,
    evidence,
    acceptance,
    confidentiality,
    history,
    evaluation,
)
"""The built-in check modules, in the order their rules are listed."""
