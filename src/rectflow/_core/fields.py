"""Field checks for the model: each field holds what its annotation says, or the line that set it
raises :class:`~rectflow.errors.InvalidFieldError`.

A :class:`Spec` says what a field accepts twice over: as a quick Python expression (``type(v) is
str``) that is compiled, for all of a class's fields at once, into the class's
``__attrs_post_init__`` — one call and a chain of ``type() is`` tests per object built — and as
an exact test with the error to raise, run only when the quick test fails. The quick test never
accepts what the exact one refuses (it is the exact one's fast path); the exact one may accept
more (an instance of a subclass of a model class).

Assignment goes through :func:`on_set`, the ``on_setattr`` hook of every model class: it checks
the one field assigned, and refuses any assignment while :func:`seal` is in force (guards run
there, so a guard sees the case but cannot change it). rectflow's own hot paths (firing,
replaying), whose values are already known good, set states with ``object.__setattr__``.

Nothing is converted: a ``str`` where an enum is expected, or a ``datetime.date`` where a
:class:`FuzzyDate` is, raises with the fix (``ItemState("open")``, ``FuzzyDate.of(day)``), so
that the value a host program holds is the value rectflow saves and compares.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import enum
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, NoReturn, Self, SupportsIndex, TypeVar

import attrs

from rectflow._core.dates import FuzzyDate, Period
from rectflow.errors import InvalidFieldError, OwnedFieldError, SealedCaseError

__all__ = [
    "BOOL",
    "DAY",
    "FUZZY",
    "INT",
    "NATURAL",
    "PERIOD",
    "POSITIVE",
    "STRINGS",
    "TEXT",
    "Spec",
    "checked",
    "counts",
    "fast_init",
    "find_invalid",
    "force",
    "instance",
    "ledger_append",
    "list_of",
    "member",
    "on_set",
    "one_of",
    "optional",
    "owned",
    "owned_list",
    "seal",
    "tuple_of",
    "unseal",
]

C = TypeVar("C", bound=type)


@attrs.frozen
class Spec:
    """What one field accepts.

    Attributes:
        quick: a Python expression over ``{v}`` that is true only for acceptable values.
        accepts: the exact test.
        expected: what the field holds, as an error message says it (``a str``).
        fix: how to make a refused value right (a function of the value).
        names: the objects ``quick`` refers to, by the names it uses.
        element: for a list, the class of its elements.
        nested: the value is a model object or a list of them (``find_invalid`` goes in).
    """

    quick: str
    accepts: Callable[[Any], bool]
    expected: str
    fix: Callable[[Any], str]
    names: Mapping[str, object] = attrs.field(factory=dict)
    element: type | None = None
    nested: bool = False


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"


def _fixed(text: str) -> Callable[[Any], str]:
    return lambda _value: text


def _all_str(values: tuple[Any, ...]) -> bool:
    for value in values:  # noqa: SIM110 - faster than all() over a generator
        if type(value) is not str:
            return False
    return True


def _text_fix(value: object) -> str:
    if isinstance(value, str):  # a subclass (a StrEnum member, a markup string)
        return f"pass a plain str: str({value!r})"
    return "pass a str"


TEXT = Spec("type({v}) is str", lambda v: type(v) is str, "a str", _text_fix)
INT = Spec(
    "type({v}) is int",
    lambda v: type(v) is int,
    "an int",
    _fixed("pass a whole number (an int, not a bool or a str)"),
)
NATURAL = Spec(
    "(type({v}) is int and {v} >= 0)",
    lambda v: type(v) is int and v >= 0,
    "an int of 0 or more",
    _fixed("pass a whole number of 0 or more"),
)
POSITIVE = Spec(
    "(type({v}) is int and {v} >= 1)",
    lambda v: type(v) is int and v >= 1,
    "an int of 1 or more",
    _fixed("pass a whole number of 1 or more"),
)
BOOL = Spec("type({v}) is bool", lambda v: type(v) is bool, "a bool", _fixed("pass True or False"))
STRINGS = Spec(
    "(type({v}) is tuple and (not {v} or _all_str({v})))",
    lambda v: type(v) is tuple and all(type(x) is str for x in v),
    "a tuple of str",
    lambda v: (
        "pass a tuple of strings, e.g. tuple(values)"
        if isinstance(v, list | set | frozenset)
        else 'pass a tuple of strings, e.g. ("a", "b")'
    ),
    {"_all_str": _all_str},
)


def _day_fix(value: object) -> str:
    if isinstance(value, dt.datetime):
        return "pass the day alone: value.date()"
    if isinstance(value, str):
        return f"pass datetime.date.fromisoformat({value!r})"
    if isinstance(value, FuzzyDate):
        return "pass an exact day: value.earliest or value.latest, whichever is meant"
    return "pass a datetime.date"


DAY = Spec(
    "type({v}) is _date",
    lambda v: type(v) is dt.date,
    "a datetime.date",
    _day_fix,
    {"_date": dt.date},
)


def _fuzzy_fix(value: object) -> str:
    if type(value) is dt.date:
        return f"pass FuzzyDate.of({value!r}) for an exact day"
    if isinstance(value, str):
        return f"pass FuzzyDate.parse({value!r})"
    return "pass a FuzzyDate (FuzzyDate.of(day), FuzzyDate.parse(text), or FuzzyDate(year, …))"


FUZZY = Spec(
    "type({v}) is _FuzzyDate",
    lambda v: type(v) is FuzzyDate,
    "a FuzzyDate",
    _fuzzy_fix,
    {"_FuzzyDate": FuzzyDate},
)
PERIOD = Spec(
    "type({v}) is _Period",
    lambda v: type(v) is Period,
    "a Period",
    _fixed("pass Period(start, end) with FuzzyDate ends"),
    {"_Period": Period},
)


def slot_setters(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """The slots' own setters of ``cls``'s fields ``names``, in that order: what the hot paths
    store a field with when the value is known good (no ``on_setattr`` hook, no name lookup)."""
    return tuple(vars(cls)[name].__set__ for name in names)


def optional(spec: Spec) -> Spec:
    """``spec``, or ``None``."""
    return Spec(
        f"({{v}} is None or {spec.quick})",
        lambda v: v is None or spec.accepts(v),
        f"{spec.expected} or None",
        spec.fix,
        spec.names,
        spec.element,
        spec.nested,
    )


def instance(cls: type) -> Spec:
    """An instance of ``cls`` (a model class)."""
    name = f"_{cls.__name__}"
    return Spec(
        f"type({{v}}) is {name}",
        lambda v: isinstance(v, cls),
        _a(cls.__name__),
        _fixed(f"pass {_a(cls.__name__)}(...)"),
        {name: cls},
        nested=True,
    )


def member(cls: type[enum.Enum]) -> Spec:
    """A member of the enum ``cls`` (not its value: ``ItemState.OPEN``, not ``"open"``)."""
    name = f"_{cls.__name__}"
    allowed = ", ".join(str(m.value) for m in cls)
    values = {m.value: m for m in cls}

    def fix(value: object) -> str:
        found = values.get(value) if isinstance(value, str | int) else None
        if found is not None:
            return f"pass {cls.__name__}.{found.name} (or {cls.__name__}({value!r}))"
        return f"pass one of {cls.__name__}'s members"

    return Spec(
        f"type({{v}}) is {name}",
        lambda v: type(v) is cls,
        f"{_a(cls.__name__)} ({allowed})",
        fix,
        {name: cls},
    )


def one_of(values: Collection[str], what: str) -> Spec:
    """A str among ``values``."""
    name = f"_{what}_values"
    allowed = frozenset(values)
    return Spec(
        f"(type({{v}}) is str and {{v}} in {name})",
        lambda v: type(v) is str and v in allowed,
        f"one of {', '.join(values)}",
        _fixed(f"pass one of {', '.join(values)}"),
        {name: allowed},
    )


def list_of(cls: type, *, owned: bool = False) -> Spec:
    """A list of ``cls`` instances (an :class:`OwnedList` when ``owned``: the events own it)."""
    name = f"_list_of_{cls.__name__}"
    kind = OwnedList if owned else SealableList

    def every(values: list[Any]) -> bool:
        for value in values:  # noqa: SIM110 - faster than all() over a generator
            if type(value) is not cls:
                return False
        return True

    return Spec(
        f"(type({{v}}) is _{kind.__name__} and {name}({{v}}))",
        lambda v: isinstance(v, list) and all(isinstance(x, cls) for x in v),
        f"a list of {cls.__name__}",
        _fixed(f"pass a list of {cls.__name__} objects"),
        {name: every, f"_{kind.__name__}": kind},
        cls,
        nested=True,
    )


def tuple_of(cls: type) -> Spec:
    """A tuple of ``cls`` instances (immutable records, e.g. evidence)."""
    name = f"_tuple_of_{cls.__name__}"

    def every(values: tuple[Any, ...]) -> bool:
        for value in values:  # noqa: SIM110 - faster than all() over a generator
            if type(value) is not cls:
                return False
        return True

    def fix(value: object) -> str:
        if isinstance(value, list | tuple) and any(isinstance(x, str) for x in value):
            return f"pass {cls.__name__} records, e.g. ({cls.__name__}('the title'),)"
        return f"pass a tuple of {cls.__name__} records"

    return Spec(
        f"(type({{v}}) is tuple and (not {{v}} or {name}({{v}})))",
        lambda v: type(v) is tuple and all(isinstance(x, cls) for x in v),
        f"a tuple of {cls.__name__}",
        fix,
        {name: every},
        cls,
        nested=True,
    )


def counts(key: type[enum.Enum]) -> Spec:
    """A dict from ``key`` members to ints (counts by state)."""

    def ok(value: object) -> bool:
        if not isinstance(value, dict):
            return False
        return all(type(k) is key and type(n) is int for k, n in value.items())

    return Spec(
        "_counts_ok({v})",
        ok,
        f"a dict of {key.__name__} to int",
        _fixed(f"pass {{{key.__name__}.COMPLETED: 3, …}}: members as keys, ints as values"),
        {"_counts_ok": ok},
    )


# -- classes -----------------------------------------------------------------------------------

_SPECS = "__rectflow_specs__"  # the class attribute holding a class's specs by field name
_QUICK = "__rectflow_quick__"  # the class attribute holding the quick test of a whole object
# The class attribute holding the check at construction as ``checked`` wrote it: the post-init
# function, its test (an expression over ``self``) and the names the test uses; ``fast_init``
# writes the test into its constructor instead of calling the function.
_CHECK = "__rectflow_check__"
_NESTED = "__rectflow_nested__"  # the fields holding model objects or lists of them


def _specs(cls: type) -> dict[str, Spec]:
    specs: dict[str, Spec] = getattr(cls, _SPECS, {})
    return specs


def _alias(name: str) -> str:
    return name.removeprefix("_")


def refuse(owner: object, name: str, value: object, spec: Spec) -> NoReturn:
    """Raise the :class:`InvalidFieldError` for ``value`` in field ``name`` of ``owner``."""
    raise InvalidFieldError(
        type(owner).__name__, _alias(name), value, spec.expected, spec.fix(value)
    )


def _explain(owner: object) -> None:
    """Raise for the first field of ``owner`` that its spec refuses (the quick test failed)."""
    for name, spec in _specs(type(owner)).items():
        value = getattr(owner, name)
        if not spec.accepts(value):
            refuse(owner, name, value, spec)


def checked(**specs: Spec) -> Callable[[C], C]:
    """Give a class (before ``attrs.define`` makes it) a ``__attrs_post_init__`` checking
    ``specs``, its fields by attribute name; ``on_set`` then checks assignments."""

    def decorate(cls: C) -> C:
        names: dict[str, object] = {"_explain": _explain}
        tests = []
        for field, spec in specs.items():
            names.update(spec.names)
            tests.append(spec.quick.format(v=f"self.{field}"))
        test = " and ".join(tests)
        # The test is written out twice, so that building an object costs one call, not two.
        source = (
            "def __attrs_post_init__(self):\n"
            f"    if not ({test}):\n"
            "        _explain(self)\n"
            "def quick(self):\n"
            f"    return {test}\n"
        )
        exec(source, names)  # noqa: S102 - a fixed template over our own field names
        # Class attributes: attrs copies them into the slotted class it makes.
        cls.__attrs_post_init__ = names["__attrs_post_init__"]  # type: ignore[attr-defined]
        setattr(cls, _CHECK, (names["__attrs_post_init__"], test, dict(names)))
        setattr(cls, _SPECS, dict(specs))
        setattr(cls, _QUICK, staticmethod(names["quick"]))  # type: ignore[arg-type]
        setattr(cls, _NESTED, tuple(name for name, spec in specs.items() if spec.nested))
        return cls

    return decorate


_FEW_FIELDS = 4
"""Up to this many fields, ``fast_init`` stores them through their slots' setters."""


def fast_init(cls: C) -> C:
    """Give an attrs class (after ``attrs.define`` or ``attrs.frozen`` made it) an ``__init__``
    that stores its fields as plain attribute assignments, with the same parameters, defaults,
    converters and closing ``__attrs_post_init__`` (the :func:`checked` test) as attrs' own.

    attrs' ``__init__`` stores each field through a bound ``object.__setattr__`` (the class's
    own ``__setattr__`` is the ``on_setattr`` hook, or refuses for a frozen class): a call per
    field, which made building a measure cost seven times a plain slotted object. This one
    turns the new object, for the stores alone, into an instance of a twin subclass with
    the same slots and the plain ``object.__setattr__``, and back. An instance of a subclass
    of ``cls`` is built by attrs' ``__init__`` as before, and so is a class with a field this
    does not handle (a validator, a keyword-only field, a factory taking ``self``, a field
    left out of ``__init__`` with a converter or no default): for those ``cls`` is returned
    unchanged. A test holds each class so built to
    attrs' own constructor, field for field, error for error.

    A class of a few fields (a :class:`~rectflow.Responsibility`) has them stored through its
    slots' own setters instead, which bypass a frozen class's ``__setattr__`` and cost less than
    changing the class twice. The :func:`checked` test is written into the constructor, not
    called (a Python call per object saved).
    """
    fields = attrs.fields(cls)
    for field in fields:
        default = field.default
        if (
            (not field.init and (field.converter is not None or default is attrs.NOTHING))
            or field.kw_only
            or field.validator is not None
            or (isinstance(default, attrs.Factory) and default.takes_self)  # type: ignore[arg-type]
            or field.alias is None
        ):
            return cls
    twin = type(
        f"_{cls.__name__}Building",
        (cls,),
        {"__slots__": (), "__setattr__": object.__setattr__, "__module__": cls.__module__},
    )
    names: dict[str, Any] = {
        "_cls": cls,
        "_twin": twin,
        "_attrs_init": cls.__init__,  # type: ignore[misc]
        "_set": object.__setattr__,
        "_post": getattr(cls, "__attrs_post_init__", None),
        "_NOTHING": attrs.NOTHING,
    }
    params: list[str] = []
    stores: list[tuple[str, str]] = []  # each field's name and the expression of its value
    for field in fields:
        alias, name = field.alias, field.name
        default = field.default
        value = alias
        if not field.init:  # no parameter: the default, always (no converter: see above)
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                names[f"_factory_{name}"] = default.factory
                value = f"_factory_{name}()"
            else:
                names[f"_default_{name}"] = default
                value = f"_default_{name}"
        elif default is attrs.NOTHING:
            params.append(alias)
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            names[f"_factory_{name}"] = default.factory
            params.append(f"{alias}=_NOTHING")
            value = f"({alias} if {alias} is not _NOTHING else _factory_{name}())"
        else:
            names[f"_default_{name}"] = default
            params.append(f"{alias}=_default_{name}")
        if field.converter is not None:
            names[f"_convert_{name}"] = field.converter
            value = f"_convert_{name}({value})"
        stores.append((name, value))
    aliases = ", ".join(field.alias for field in fields if field.init)
    post = "    _post(self)\n" if names["_post"] is not None else ""
    check = cls.__dict__.get(_CHECK)
    if check is not None and check[0] is names["_post"]:
        _, test, test_names = check
        if not set(test_names) & set(names):  # checked's names are its specs', never these
            names.update(test_names)
            post = f"    if not ({test}):\n        _explain(self)\n"
    if len(stores) <= _FEW_FIELDS:
        names.update(
            (f"_slot_{name}", cls.__dict__[name].__set__)  # the slot's member descriptor
            for name, _ in stores
        )
        body = "".join(f"    _slot_{name}(self, {value})\n" for name, value in stores)
    else:
        body = (
            "    _set(self, '__class__', _twin)\n"
            "    try:\n"
            + "".join(f"        self.{name} = {value}\n" for name, value in stores)
            + "    finally:\n"
            "        self.__class__ = _cls\n"
        )
    source = (
        f"def __init__(self, {', '.join(params)}):\n"
        "    if type(self) is not _cls:\n"
        f"        return _attrs_init(self, {aliases})\n"
        f"{body}"
        f"{post}"
    )
    exec(source, names)  # noqa: S102 - a fixed template over the class's own field names
    init = names["__init__"]
    init.__rectflow_attrs_init__ = names["_attrs_init"]  # attrs' own, for the tests
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__  # type: ignore[misc]
    init.__annotations__ = dict(cls.__init__.__annotations__)  # type: ignore[misc]
    cls.__init__ = init  # type: ignore[misc]
    return cls


_SEALED: contextvars.ContextVar[bool] = contextvars.ContextVar("rectflow_sealed", default=False)


def _refuse_in_place(container: object) -> None:
    if _SEALED.get():
        what = "a table of the case" if isinstance(container, dict) else "a list of the case"
        raise SealedCaseError(what, "")


class SealableList(list[Any]):
    """The lists of the model: a plain list, except that changing it in place raises
    :class:`SealedCaseError` while :func:`seal` is in force (reading costs nothing extra)."""

    __slots__ = ()

    def append(self, value: Any) -> None:
        _refuse_in_place(self)
        super().append(value)

    def extend(self, values: Iterable[Any]) -> None:
        _refuse_in_place(self)
        super().extend(values)

    def insert(self, index: SupportsIndex, value: Any) -> None:
        _refuse_in_place(self)
        super().insert(index, value)

    def remove(self, value: Any) -> None:
        _refuse_in_place(self)
        super().remove(value)

    def pop(self, index: SupportsIndex = -1) -> Any:
        _refuse_in_place(self)
        return super().pop(index)

    def clear(self) -> None:
        _refuse_in_place(self)
        super().clear()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        _refuse_in_place(self)
        super().sort(*args, **kwargs)

    def reverse(self) -> None:
        _refuse_in_place(self)
        super().reverse()

    def __setitem__(self, index: Any, value: Any) -> None:
        _refuse_in_place(self)
        super().__setitem__(index, value)

    def __delitem__(self, index: Any) -> None:
        _refuse_in_place(self)
        super().__delitem__(index)

    def __iadd__(self, values: Iterable[Any]) -> Self:  # type: ignore[misc]
        _refuse_in_place(self)
        return super().__iadd__(values)

    def __imul__(self, times: SupportsIndex) -> Self:
        _refuse_in_place(self)
        return super().__imul__(times)


def _refuse_owned(container: object) -> None:
    _refuse_in_place(container)
    raise OwnedFieldError("a list of the ledger", "", _OWNED_LIST_FIX)


_OWNED_LIST_FIX = (
    "use rectflow.add_problem, rectflow.add_measure, rectflow.record_accountability or "
    "rectflow.evaluate (or pass the whole list when building the object, before its history "
    "begins)"
)


class OwnedList(SealableList):
    """A list the events own (the ledger's categories, problems and measures; accountability and
    evaluations): it reads and compares as a list and refuses every change in place with
    :class:`~rectflow.errors.OwnedFieldError` naming the event API to use. rectflow's own event
    API changes it through ``list``'s methods (``ledger_append(owned, x)``, which the id indexes
    follow)."""

    __slots__ = ()

    def append(self, value: Any) -> None:
        _refuse_owned(self)

    def extend(self, values: Iterable[Any]) -> None:
        _refuse_owned(self)

    def insert(self, index: SupportsIndex, value: Any) -> None:
        _refuse_owned(self)

    def remove(self, value: Any) -> None:
        _refuse_owned(self)

    def pop(self, index: SupportsIndex = -1) -> Any:
        _refuse_owned(self)

    def clear(self) -> None:
        _refuse_owned(self)

    def sort(self, *args: Any, **kwargs: Any) -> None:
        _refuse_owned(self)

    def reverse(self) -> None:
        _refuse_owned(self)

    def __setitem__(self, index: Any, value: Any) -> None:
        _refuse_owned(self)

    def __delitem__(self, index: Any) -> None:
        _refuse_owned(self)

    def __iadd__(self, values: Iterable[Any]) -> Self:  # type: ignore[misc]
        _refuse_owned(self)
        return self

    def __imul__(self, times: SupportsIndex) -> Self:
        _refuse_owned(self)
        return self

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        return (OwnedList, (list(self),))


class SealableDict(dict[Any, Any]):
    """The tables of the model (counts by state): a plain dict that refuses changes while
    :func:`seal` is in force."""

    __slots__ = ()

    def __setitem__(self, key: Any, value: Any) -> None:
        _refuse_in_place(self)
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        _refuse_in_place(self)
        super().__delitem__(key)

    def update(self, *args: Any, **kwargs: Any) -> None:
        _refuse_in_place(self)
        super().update(*args, **kwargs)

    def pop(self, *args: Any) -> Any:
        _refuse_in_place(self)
        return super().pop(*args)

    def popitem(self) -> tuple[Any, Any]:
        _refuse_in_place(self)
        return super().popitem()

    def clear(self) -> None:
        _refuse_in_place(self)
        super().clear()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        _refuse_in_place(self)
        return super().setdefault(key, default)

    def __ior__(self, other: Any) -> Self:  # type: ignore[misc]
        _refuse_in_place(self)
        return super().__ior__(other)


T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


def sealable_list(value: list[T]) -> list[T]:
    """The converter of the model's list fields: a list becomes a :class:`SealableList` (a
    copy: the model owns its lists); anything else is left for the field's check to refuse."""
    if type(value) is list:
        return SealableList(value)
    return value


def sealable_dict(value: dict[K, V]) -> dict[K, V]:
    """The converter of the model's tables: a dict becomes a :class:`SealableDict` (a copy)."""
    if type(value) is dict:
        return SealableDict(value)
    return value


def owned_list(value: list[T]) -> list[T]:
    """The converter of the list fields the events own: a list becomes an :class:`OwnedList`
    (a copy); anything else is left for the field's check to refuse."""
    if type(value) is list or type(value) is SealableList:
        return OwnedList(value)
    return value


_OWNED = "__rectflow_owned__"  # the class attribute: field name -> the event API that changes it


def owned(**fields: str) -> Callable[[C], C]:
    """Mark fields of a model class (before ``attrs.define`` makes it) as owned by the events:
    set when the object is built, then changed only through the event API each names."""

    def decorate(cls: C) -> C:
        setattr(cls, _OWNED, dict(fields))
        return cls

    return decorate


def force(owner: Any, name: str, value: Any) -> None:
    """Set a field, owned or not, checking the value: rectflow's own event API and builders
    (importers, the testing kit) use it; nothing else should. Setting a list of the ledger or
    an item's id tells the id indexes (:func:`ledger_changed`)."""
    spec = _specs(type(owner)).get(name)
    if spec is not None and not spec.accepts(value):
        refuse(owner, name, value, spec)
    field = getattr(attrs.fields(type(owner)), name)
    if field.converter is not None:
        value = field.converter(value)
    structural = name in STRUCTURE.get(type(owner), ())
    before = getattr(owner, name) if structural else None
    object.__setattr__(owner, name, value)
    if structural:
        _structure_set(before, value)


# -- the ledger's versions -----------------------------------------------------------------------
#
# A case's id index (``rectflow._core.model.ItemIndex``) is a cache of its ledger, and the ledger's
# lists and ids change only through ``force`` and ``ledger_append`` (the lists refuse every other
# change, the ids are owned). Both count what they do in two process-wide counters, and an index
# remembers the counts it was built at:
#
# * ``GROWN`` counts additions (an item appended to a list of the ledger): an index built before
#   one may miss an id, but what it finds is still right;
# * ``CHANGED`` counts everything else (an item removed or moved, an id changed): an index built
#   before one may be wrong about any id.
#
# So a look-up that finds its id trusts the index while ``CHANGED`` has not moved, and a miss is
# final while neither has: the answer is the scan's, in O(1), without a rebuild per miss. The
# counters are process-wide rather than per case because an item object may sit in two cases'
# ledgers (two cases built from the same categories); an addition to one case costs the other
# cases a rebuild only when one of them then misses.

STRUCTURE: dict[type, frozenset[str]] = {}
"""Per model class, the fields an id index depends on (filled in by ``rectflow._core.model``)."""

GROWN = [0]
"""Additions to any ledger so far (see above); read as ``GROWN[0]``."""

CHANGED = [0]
"""Other changes to the structure of any ledger so far; read as ``CHANGED[0]``."""


def ledger_grown() -> int:
    """Count an addition to a ledger; returns the new count."""
    GROWN[0] += 1
    return GROWN[0]


def ledger_changed() -> None:
    """Count a change to a ledger's structure that is not a plain addition."""
    CHANGED[0] += 1


def ledger_append(items: list[Any], value: Any) -> None:
    """Append an item to one of the ledger's lists (which refuse ``append``), counted as an
    addition: rectflow's importers and event API add items through this and nothing else."""
    list.append(items, value)
    ledger_grown()


def _structure_set(before: Any, after: Any) -> None:
    """Count a field an index depends on going from ``before`` to ``after``: a list that only
    gained items is an addition; one that lost or replaced any, or a new id, is a change; the
    same items in another order are neither (an index does not keep the order)."""
    if type(after) is str or type(before) is str:
        if after != before:
            ledger_changed()
        return
    kept = {id(item) for item in before} if before is not None else set()
    now = {id(item) for item in after}
    if not kept <= now:
        ledger_changed()
    elif len(now) > len(kept):
        ledger_grown()


def on_set(owner: Any, attribute: attrs.Attribute[Any], value: Any) -> Any:
    """The ``on_setattr`` hook of the model classes: refuse while sealed, refuse a field the
    events own, check the value."""
    if _SEALED.get():
        raise SealedCaseError(type(owner).__name__, _alias(attribute.name))
    api = getattr(owner, _OWNED, {}).get(attribute.name)
    if api is not None:
        raise OwnedFieldError(type(owner).__name__, _alias(attribute.name), api)
    spec = _specs(type(owner)).get(attribute.name)
    if spec is not None and not spec.accepts(value):
        refuse(owner, attribute.name, value, spec)
    converter = attribute.converter
    if converter is not None:
        return converter(value)  # type: ignore[operator]  # plain functions only in the model
    return value


def seal() -> contextvars.Token[bool]:
    """From now on (in this thread or task), no attribute of any model object can be assigned;
    :func:`unseal` with the token ends it. A pair of calls, not a context manager: ``fire``
    seals once per guarded transition, where a generator-based ``with`` costs more than the
    seal itself."""
    return _SEALED.set(True)


def unseal(token: contextvars.Token[bool]) -> None:
    """End the :func:`seal` that gave ``token``."""
    _SEALED.reset(token)


# -- finding what is wrong in a whole case ----------------------------------------------------

KeyPath = tuple[str | int, ...]


def find_invalid(obj: object, path: KeyPath = ()) -> tuple[KeyPath, InvalidFieldError] | None:
    """The first field anywhere under ``obj`` (a model object) that its spec refuses.

    Walks nested model objects, and lists of them, by the names a case file uses; it finds
    what was put in place behind the checks (a list appended to, ``object.__setattr__``).
    """
    cls = type(obj)
    quick: Callable[[object], bool] | None = getattr(cls, _QUICK, None)
    if quick is None:
        return None
    if not quick(obj):
        for name, spec in _specs(cls).items():
            value = getattr(obj, name)
            if not spec.accepts(value):
                here = (*path, _alias(name))
                try:
                    refuse(obj, name, value, spec)
                except InvalidFieldError as error:
                    return _narrow(here, value, spec.element), error
    nested: tuple[str, ...] = getattr(cls, _NESTED)
    for name in nested:
        value = getattr(obj, name)
        if isinstance(value, list):
            for index, element in enumerate(value):
                found = find_invalid(element, (*path, _alias(name), index))
                if found is not None:
                    return found
        elif value is not None:
            found = find_invalid(value, (*path, _alias(name)))
            if found is not None:
                return found
    return None


def _narrow(path: KeyPath, value: object, element: type | None) -> KeyPath:
    """The path to the first offending element, when a list holds something of the wrong type."""
    if element is not None and isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, element):
                return (*path, index)
    return path
