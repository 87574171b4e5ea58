"""Mermaid state diagrams of the lifecycles, labelled in Chinese and English."""

from __future__ import annotations

from typing import Any

from rectflow._core.labels import CASE_STATE_ZH, ITEM_STATE_ZH, TRIGGER_ZH
from rectflow._core.lifecycle import CASE_LIFECYCLE, ITEM_LIFECYCLE, Lifecycle

__all__ = ["mermaid"]


def mermaid(kind: str) -> str:
    """The ``stateDiagram-v2`` source of the ``case`` or ``item`` lifecycle.

    States read "中文<br/>english"; edges read "trigger 中文". The diagram is drawn from the
    transitions machine itself, so it cannot drift from what :func:`rectflow.fire` allows.
    """
    lifecycle: Lifecycle[Any]
    zh: dict[str, str]
    if kind == "case":
        lifecycle = CASE_LIFECYCLE
        zh = {s.value: label for s, label in CASE_STATE_ZH.items()}
    elif kind == "item":
        lifecycle = ITEM_LIFECYCLE
        zh = {s.value: label for s, label in ITEM_STATE_ZH.items()}
    else:
        raise ValueError(f"unknown lifecycle {kind!r} (known: case, item)")
    lines = ["stateDiagram-v2", f"    %% rectflow {lifecycle.name} lifecycle"]
    for state in lifecycle.states:
        lines.append(f'    state "{zh[state.value]}<br/>{state.value}" as {state.value}')
    lines.append(f"    [*] --> {lifecycle.initial.value}")
    for (source, trigger), dest in sorted(
        lifecycle.table.items(),
        key=lambda kv: (lifecycle.states.index(kv[0][0]), lifecycle.triggers.index(kv[0][1])),
    ):
        lines.append(f"    {source.value} --> {dest.value}: {trigger} {TRIGGER_ZH[trigger]}")
    for end in sorted(lifecycle.ends, key=lifecycle.states.index):
        lines.append(f"    {end.value} --> [*]")
    return "\n".join(lines) + "\n"
