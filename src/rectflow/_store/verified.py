"""The cases a store has loaded and verified, kept so that the next ``get`` of an unchanged case
does not structure, replay and check the same document again.

A stored case is verified when it is loaded (DESIGN.md, invariant 5): its document structured
by the case-file loader, its log replayed and every state checked, the events after the
document replayed onto it. All of that is a function of what the database holds for the case:
its row (version, event count, events in the document), its document's text and the rows of the
events after the document. :class:`VerifiedCases` keeps, for the most recently loaded cases,
exactly those inputs beside the case they gave (pickled: each ``get`` unpickles a case of its
own, which the caller may change). A ``get`` still reads all of them from the database; when
every one equals the kept one, the verification would give the same case again, and the kept
case is returned. Anything changed in the database (by a writer, or behind rectflow's back)
differs from what was kept, and the case is loaded and verified in full, as a case file is: a
tampered document or log is still refused.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Final

from rectflow._core.model import Case

__all__ = ["KEPT_VERIFIED", "Inputs", "VerifiedCases", "later_rows"]

KEPT_VERIFIED: Final = 32
"""How many verified cases a store keeps (the most recently loaded)."""

Inputs = tuple[int, int, int | None, str, tuple[tuple[Any, ...], ...]]
"""What a load reads for a case: its version, its event count, the events its document holds
(``None``: all), its document's text and the rows of the events after the document."""


class VerifiedCases:
    """The most recently verified cases, by id, each with the database's inputs that gave it."""

    def __init__(self, size: int = KEPT_VERIFIED) -> None:
        self._size = size
        self._kept: OrderedDict[str, tuple[Inputs, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, case_id: str, inputs: Inputs) -> Case | None:
        """A case of its own, when ``inputs`` are exactly those the kept case was verified
        from; ``None`` otherwise."""
        with self._lock:
            found = self._kept.get(case_id)
            if found is None or found[0] != inputs:
                return None
            self._kept.move_to_end(case_id)
            blob = found[1]
        case: Case = pickle.loads(blob)  # noqa: S301 - pickled by this process, below
        return case

    def keep(self, case_id: str, inputs: Inputs, case: Case) -> None:
        """Keep ``case``, just verified from ``inputs`` (a case that cannot be pickled, such
        as one holding a plugin's object, is not kept)."""
        try:
            blob = pickle.dumps(case, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        with self._lock:
            self._kept[case_id] = (inputs, blob)
            self._kept.move_to_end(case_id)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)


def later_rows(rows: Sequence[Any]) -> tuple[tuple[Any, ...], ...]:
    """The rows of the events after a document, as values to compare."""
    return tuple(tuple(row) for row in rows)
