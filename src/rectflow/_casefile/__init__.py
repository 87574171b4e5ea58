"""TOML case files: the document converter (``document``), loading and atomic versioned saving
(``files``) under a save lock that works on every platform (``lock``), and key-path/line
location for error messages (``locate``).

Stands on :mod:`rectflow._core` and :mod:`rectflow.errors`.
"""
