"""The domain: fuzzy dates, the model, its Chinese labels, the lifecycles, status and reports.

Everything else in rectflow stands on this room. It imports nothing of rectflow but
:mod:`rectflow.errors`; inside it, modules point down the list
``diagram | status → lifecycle → report → labels → model → dates``.
"""
