"""The model's fast constructors (``fields.fast_init``) build what attrs' own ``__init__`` builds.

Measure, Problem and Case store their fields as plain assignments on a twin class instead of a
call of ``object.__setattr__`` per field, Responsibility through its slots' setters; the
parameters, defaults, converters and the check at
construction must stay attrs' own. Each is held here to attrs' ``__init__`` over random
arguments, right and wrong: the same fields, or the same error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectflow import (
    Category,
    Evidence,
    FuzzyDate,
    ItemState,
    Measure,
    Plan,
    Problem,
    ProblemKind,
    Responsibility,
)
from rectflow._core import model
from rectflow._core.fields import fast_init, seal, unseal
from rectflow._core.model import Case
from rectflow.errors import RectflowError

FAST = [Measure, Problem, Case, Responsibility]

VALUES: list[Any] = [
    None,
    "",
    "1.1",
    "文本",
    0,
    7,
    True,
    False,
    1.5,
    dt.date(2024, 3, 1),
    dt.datetime(2024, 3, 1, 12),
    FuzzyDate(2024, 3),
    ItemState.OPEN,
    ItemState.CLOSED,
    ProblemKind.KEY,
    (),
    ("标签",),
    ("a", 1),
    [],
    ["x"],
    {},
    Responsibility("王伟", "办公室", "李强"),
    (Evidence("纪要"),),
    Plan(FuzzyDate(2024, 4)),
    b"bytes",
]


def _values(cls: type) -> st.SearchStrategy[Any]:
    """Pool values, and a few built per draw (lists of the model's items)."""
    built: list[st.SearchStrategy[Any]] = [st.sampled_from(VALUES)]
    if cls is Problem:
        built.append(st.lists(st.builds(Measure, st.sampled_from(["1.1.1", "1.1.2"])), max_size=2))
    if cls is Case:
        built.append(st.lists(st.builds(Category, st.sampled_from(["1", "2"])), max_size=2))
    return st.one_of(built)


def _fields(obj: object) -> list[tuple[str, type, Any]]:
    return [
        (f.name, type(getattr(obj, f.name)), getattr(obj, f.name)) for f in attrs.fields(type(obj))
    ]


def _attrs_built(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> object:
    obj = object.__new__(cls)
    cls.__init__.__rectflow_attrs_init__(obj, *args, **kwargs)  # type: ignore[misc]
    return obj


def _outcome(build: Any) -> tuple[str, Any]:
    try:
        obj = build()
    except (RectflowError, TypeError, ValueError) as error:
        return "error", (type(error), str(error))
    return "built", (type(obj), _fields(obj))


@pytest.mark.parametrize("cls", FAST, ids=lambda c: c.__name__)
def test_the_fast_classes_have_the_fast_constructor(cls: type) -> None:
    """fast_init took each (a field it cannot handle would have left attrs' __init__), with the
    check written in (no call of __attrs_post_init__), and a class of few fields stores them
    through its slots' setters."""
    assert hasattr(cls.__init__, "__rectflow_attrs_init__")
    called = cls.__init__.__code__.co_names
    assert "_post" not in called
    assert "_explain" in called
    assert ("_slot_leader" in called) == (cls is Responsibility)


@pytest.mark.parametrize("cls", FAST, ids=lambda c: c.__name__)
@given(data=st.data())
@settings(max_examples=150, deadline=None)
def test_a_fast_constructor_builds_what_attrs_builds(cls: type, data: st.DataObject) -> None:
    """Random arguments, by name and by position, right and wrong: the same fields of the same
    types, or the same error with the same message."""
    fields = [f for f in attrs.fields(cls) if f.init]
    given_names = data.draw(st.lists(st.sampled_from([f.alias for f in fields]), unique=True))
    kwargs = {name: data.draw(_values(cls), label=name) for name in given_names}
    if "id" not in kwargs and data.draw(st.booleans(), label="id given"):
        kwargs["id"] = data.draw(st.sampled_from(["1.1", "", 5]))
    positional = data.draw(st.integers(0, 3), label="positional")
    args: tuple[Any, ...] = ()
    order = [f.alias for f in fields]
    if all(name in kwargs for name in order[:positional]):
        args = tuple(kwargs.pop(name) for name in order[:positional])
    fast = _outcome(lambda: cls(*args, **kwargs))
    slow = _outcome(lambda: _attrs_built(cls, args, kwargs))
    assert fast == slow


def test_defaults_and_factories_are_fresh_and_converted() -> None:
    """Each object gets its own lists, converted as attrs converts them (owned, sealable)."""
    first, second = Problem("1.1"), Problem("1.2")
    assert first.measures is not second.measures
    assert type(first.measures) is type(_attrs_built(Problem, ("1.3",), {}).measures)  # type: ignore[attr-defined]
    assert Case("a").categories is not Case("b").categories
    assert type(Measure("1.1.1")) is Measure


def test_a_subclass_is_built_by_attrs_own_constructor() -> None:
    """A plain subclass of a model class keeps its own class and attrs' checks."""

    class Mine(Measure):
        __slots__ = ()

    built = Mine("1.1.1", "文本")
    assert type(built) is Mine
    assert _fields(built) == _fields(Measure("1.1.1", "文本"))
    with pytest.raises(RectflowError):
        Mine(5)


def test_building_under_a_seal_is_allowed_as_before() -> None:
    """A guard may build new objects (nothing of the case changes); assigning stays refused."""
    token = seal()
    try:
        measure = Measure("1.1.1", "文本")
        with pytest.raises(RectflowError):
            measure.text = "改"
    finally:
        unseal(token)
    assert measure.text == "文本"


def test_a_class_with_a_validator_keeps_attrs_constructor() -> None:
    """fast_init leaves a class alone when it has what it does not handle."""

    @attrs.define(slots=True)
    class Validated:
        n: int = attrs.field(validator=attrs.validators.instance_of(int))

    before = Validated.__init__
    assert fast_init(Validated) is Validated
    assert Validated.__init__ is before


def test_the_model_module_builds_its_fast_classes() -> None:
    """The classes FAST lists are the model's classes built by fast_init."""
    built = sorted(
        name
        for name in dir(model)
        if isinstance(getattr(model, name), type)
        and attrs.has(getattr(model, name))
        and hasattr(getattr(model, name).__init__, "__rectflow_attrs_init__")
    )
    assert built == sorted(cls.__name__ for cls in FAST)
