"""The agenda: what is due or overdue on a day, at which level of the ladder, for whom.

The notice types are defined beside the ladder (``rectflow._rules.ladder``, below the hook
specifications that name them); this module is where users and host plugins take them from.
"""

from __future__ import annotations

from rectflow._rules.ladder import EscalationNotice, Recipient

__all__ = ["EscalationNotice", "Recipient"]
