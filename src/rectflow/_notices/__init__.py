"""Published notices (整改进展情况通报): text → case (``parse`` and the readers it calls: ``text``,
``dates``, ``front``, ``ledger``, ``closing``) and case → notice (``public``, ``render`` and the
Jinja2 ``templates/``).

Stands on :mod:`rectflow._core` and :mod:`rectflow.errors`.
"""
