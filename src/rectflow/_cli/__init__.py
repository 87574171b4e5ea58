"""The ``rectflow`` command line: ``main`` (the group, error handling) and one module per command
group (``case``, ``check``, ``notice``).

The top of the house: it may import every room, and nothing imports it.
"""
