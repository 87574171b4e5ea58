"""Rules and how they are applied: calendars, policies and their files, the plugin manager, the
hook specifications, check contexts and the check runner; the shipped presets (``presets/``).

Stands on :mod:`rectflow._core` and :mod:`rectflow.errors`; the built-in checks
(:mod:`rectflow.checks`) are found by the plugin manager at run time, never imported here at
module level.
"""
