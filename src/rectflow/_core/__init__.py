"""The domain: fuzzy dates, the model, its Chinese labels, the lifecycles, status and reports.

Everything else in rectflow stands on this room. It imports nothing of rectflow but
:mod:`rectflow.errors` (and its findings, ``rectflow._violation``); inside it, modules point
down the list
``diagram | status → asof → lifecycle → history | report → labels | public → model →
events | kinds → fields → dates``.
"""
