"""The testing kit's internals: the hypothesis strategies (``drawing``, ``strategies``,
``policies``, ``accepted``), the stateful harness, the hypothesis entry-point hook and the pytest
plugin. Public through :mod:`rectflow.strategies` and the ``pytest11``/``hypothesis`` entry points.

May import every room below it; nothing in rectflow imports it except :mod:`rectflow.strategies`.
"""
