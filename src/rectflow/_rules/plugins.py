"""The plugin manager: the built-in checks and the ``rectflow`` entry points, crash-proof.

:func:`plugin_manager` builds a :class:`Plugins`: a pluggy manager with the hook specifications,
the core plugin (the ``weekdays`` calendar and the shipped policy presets), every built-in check
module from :data:`rectflow.checks.BUILTIN_CHECKS` (named ``rectflow.checks.<module>``), then the
third-party plugins of the ``rectflow`` entry-point group. Nothing is built or loaded at import
time.

A plugin must not take a check down, nor silence it. :class:`Plugins` therefore calls every
hook implementation on its own, through :mod:`rectflow._rules.isolation`: whatever it raises
(``SystemExit`` and ``GeneratorExit`` included; ``KeyboardInterrupt`` goes through, it is the
user's) or returns in the wrong shape becomes a ``plugin.crashed`` violation (level error)
naming the plugin, and the other plugins still run. A plugin that fails to load, whose rule
declarations, presets or calendar names are broken, or whose calendar lookup crashes, is
reported the same way in every report; a plugin's calendar answers through
:class:`~rectflow._rules.isolation.PluginCalendar`, so its failures are blamed on it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs
import pluggy

from rectflow._core.report import Level, Violation
from rectflow._i18n import Msg
from rectflow._rules import hookspecs
from rectflow._rules.calendar import Calendar, WeekdayCalendar
from rectflow._rules.isolation import (
    CRASHED,
    DISABLE_ENV,
    Broken,
    PluginCalendar,
    calendar_problem,
    crash,
    is_interrupt,
    names_problem,
    preset_problem,
    raised,
    rule_problem,
    violation_problem,
    well_formed,
)
from rectflow._rules.presets import shipped_presets
from rectflow._rules.rules import GUARD_SPEAKS, GUARDED_TRIGGERS, Rule
from rectflow.errors import (
    NoWorkingDayError,
    PluginError,
    PolicyError,
    UnknownCalendarError,
    UnknownYearError,
)

if TYPE_CHECKING:
    import datetime as dt

    from rectflow._core.events import Event
    from rectflow._core.lifecycle import Transition
    from rectflow._core.model import Case
    from rectflow._rules.context import CheckContext
    from rectflow._rules.ladder import EscalationNotice

__all__ = [
    "CORE_PLUGIN",
    "CRASHED",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "Plugins",
    "builtin_checks",
    "entry_point_names",
    "plugin_manager",
]

ENTRY_POINT_GROUP = hookspecs.PROJECT
CORE_PLUGIN = "rectflow.core"
BUILTIN_PREFIX = "rectflow.checks."
CONFLICT = "plugin.conflict"
# What a crash in each hook costs, said in its violation (a check's: "its checks did not run").
_OUTCOMES = {
    "rectflow_rules": ("its rules were not declared", "其规则未声明"),
    "rectflow_policy_presets": ("none of its presets is offered", "其预设均未提供"),
    "rectflow_calendar_names": ("its calendar names were not listed", "其日历名称未列出"),
    "rectflow_event_recorded": ("it was not told of the event", "其未收到该事件"),
    "rectflow_escalation_notices": ("it did not deliver the notices", "其未送达提醒"),
}
_USER_ERRORS = (PolicyError, UnknownYearError)


BUILTIN_CHECKS_MODULE = "rectflow.checks"
"""The module whose ``BUILTIN_CHECKS`` lists the built-in check plugins."""


class _Core:
    """The core's own plugin: the ``weekdays`` calendar and the shipped presets."""

    @hookspecs.hookimpl(trylast=True)
    def rectflow_calendar(self, name: str) -> Calendar | None:
        return WeekdayCalendar() if name == "weekdays" else None

    @hookspecs.hookimpl
    def rectflow_calendar_names(self) -> Iterable[str]:
        return ("weekdays",)

    @hookspecs.hookimpl
    def rectflow_policy_presets(self) -> Iterable[tuple[str, str]]:
        return shipped_presets()


def _env_disabled() -> tuple[str, ...]:
    raw = os.environ.get(DISABLE_ENV, "")
    return tuple(name.strip() for name in raw.split(",") if name.strip())


@attrs.define
class Plugins:
    """rectflow's plugin manager: pluggy's, with crash containment and the lookups rectflow needs.

    Build it with :func:`plugin_manager`. ``manager`` is the underlying
    :class:`pluggy.PluginManager` for anything else pluggy offers.

    Attributes:
        manager: the pluggy plugin manager.
        disabled: the plugin names that were not registered (argument and environment).
        problems: ``plugin.crashed`` violations from loading and lookups (an entry point that
            fails to import or exits, broken presets or calendar names, a calendar lookup that
            crashes); every report repeats them, and ``rectflow due`` and ``rectflow policy``
            print them as warnings.
        dormant: the rules of disabled built-in checks: a policy may still configure them (the
            presets do), they just do not run.
    """

    manager: pluggy.PluginManager
    disabled: tuple[str, ...] = ()
    problems: list[Violation] = attrs.field(factory=list)
    dormant: dict[str, Rule] = attrs.field(factory=dict)
    _rules: dict[str, Rule] | None = attrs.field(default=None, init=False, repr=False)
    _owners: dict[str, str] = attrs.field(factory=dict, init=False, repr=False)
    _rule_problems: list[Violation] = attrs.field(factory=list, init=False, repr=False)
    # Which plugin provided each calendar handed out: a calendar's failure is blamed on it.
    _calendar_owners: dict[str, str] = attrs.field(factory=dict, init=False, repr=False)
    # Per hook: pluggy's implementations as last seen, and the order and argument names to call
    # them in; rebuilt whenever the implementations change (a plugin registered or removed), so
    # a guarded fire does not sort them again.
    _orders: dict[str, tuple[list[Any], list[_Call]]] = attrs.field(
        factory=dict, init=False, repr=False
    )
    # Per trigger: the guard order it was made from (``_orders``), and the guards that judge
    # that trigger (``_guards_for``).
    _guard_calls: dict[str, tuple[list[_Call], list[_GuardCall]]] = attrs.field(
        factory=dict, init=False, repr=False
    )

    # -- registration -------------------------------------------------------------------------

    def register(self, plugin: object, name: str | None = None) -> str:
        """Register a plugin object (a module, a class instance) and return its name.

        A name in :attr:`disabled` is not registered (and returned all the same).
        """
        name = name or self.manager.get_canonical_name(plugin)
        if name in self.disabled:
            return name
        self.manager.register(plugin, name=name)
        self._rules = None
        return name

    def unregister(self, name: str) -> None:
        """Remove the plugin registered as ``name``."""
        self.manager.unregister(name=name)
        self._rules = None

    def names(self) -> tuple[str, ...]:
        """The names of the registered plugins, sorted."""
        # pluggy lists a blocked name with ``None`` as its plugin.
        pairs = self.manager.list_name_plugin()
        return tuple(sorted(name for name, plugin in pairs if plugin is not None))

    # -- declarations -------------------------------------------------------------------------

    @property
    def rules(self) -> Mapping[str, Rule]:
        """Every rule the registered plugins declare, by code (read once, then cached)."""
        return self._declared()[0]

    @property
    def known_rules(self) -> Mapping[str, Rule]:
        """The rules a policy may configure: the registered plugins' and the dormant ones."""
        return {**self.dormant, **self._declared()[0]}

    def rule_owner(self, code: str) -> str | None:
        """The name of the plugin that declares the rule ``code``."""
        self._declared()
        return self._owners.get(code)

    def _declared(self) -> tuple[dict[str, Rule], list[Violation]]:
        if self._rules is None:
            rules: dict[str, Rule] = {}
            self._owners = {}
            problems: list[Violation] = []
            for plugin, result in self._each("rectflow_rules", {}, problems):
                for rule in result:
                    code = rule.code if isinstance(rule, Rule) else None
                    if isinstance(code, str) and code in rules and self._owners[code] != plugin:
                        # Ignored whatever its shape: the conflict is what the author must hear.
                        problems.append(self._conflict(code, plugin))
                    elif (broken := rule_problem(rule)) is not None:
                        ignored = ("that rule was ignored", "该规则已忽略")
                        problems.append(crash(plugin, "rectflow_rules", broken, outcome=ignored))
                    else:
                        rules[rule.code] = rule
                        self._owners[rule.code] = plugin
            self._rules = dict(sorted(rules.items()))
            self._rule_problems = problems
        return self._rules, self._rule_problems

    def _conflict(self, code: str, plugin: str) -> Violation:
        first = self._owners[code]
        return Violation(
            code=CONFLICT,
            level=Level.ERROR,
            where="case",
            message=f"plugin {plugin!r} declares rule {code!r}, already declared by {first!r}; "
            f"{plugin!r}'s declaration was ignored",
            message_zh=f"插件 {plugin!r} 声明的规则 {code!r} 已由 {first!r} 声明,已忽略",
            hint=Msg(
                "rule codes are never reused: rename the rule in {plugin!r}, or disable one "
                "of the two plugins",
                plugin=plugin,
            ),
            plugin=plugin,
        )

    def calendar_names(self) -> tuple[str, ...]:
        """The calendar names the registered plugins provide, sorted."""
        names: set[str] = set()
        crashes: list[Violation] = []
        for plugin, result in self._each("rectflow_calendar_names", {}, crashes):
            broken = names_problem(result)
            if broken is not None:
                outcome = _OUTCOMES["rectflow_calendar_names"]
                crashes.append(crash(plugin, "rectflow_calendar_names", broken, outcome=outcome))
                continue
            names.update(result)
        self._remember(crashes)
        return tuple(sorted(names))

    def calendar(self, name: str, *, isolated: bool = False) -> Calendar:
        """The calendar called ``name``, from the first plugin that provides it.

        Implementations are asked in pluggy's order for a first-result hook (the core's
        ``weekdays`` last). One that raises or returns something that is not a calendar is
        reported as crashed in every report (:attr:`problems`) and the next is asked, so a broken
        calendar plugin never takes the built-in calendar down with it.

        Args:
            name: the calendar's name.
            isolated: wrap a plugin's calendar in a
                :class:`~rectflow._rules.isolation.PluginCalendar`, so that what it raises or
                answers wrongly is a :class:`~rectflow.errors.PluginError` naming the plugin (the
                checks, guards and ``rectflow due`` ask for this).

        Raises:
            UnknownCalendarError: no plugin provides it (the error lists the known names).
            PluginError: a plugin that would have provided it crashed, and no other did.
        """
        crashes: list[Violation] = []
        hook = f"rectflow_calendar({name!r})"
        outcome = ("its calendars were not used", "其日历未被使用")
        for impl in reversed(self.manager.hook.rectflow_calendar.get_hookimpls()):
            if impl.hookwrapper or impl.wrapper:
                continue
            plugin = impl.plugin_name
            try:
                found = impl.function(*({"name": name}[arg] for arg in impl.argnames))
                broken = None if found is None else calendar_problem(found, name)
            except BaseException as error:  # a plugin's bug must not stop the run
                if is_interrupt(error):
                    raise
                found, broken = None, raised(error)
            if broken is not None:
                crashes.append(crash(plugin, hook, broken, outcome=outcome))
            elif found is not None:
                self._remember(crashes)
                if plugin == CORE_PLUGIN or not isolated:
                    return cast("Calendar", found)
                self._calendar_owners[name] = plugin
                return PluginCalendar(found, plugin, getattr(found, "name", name))
        self._remember(crashes)
        if crashes:
            first = crashes[0]
            raise PluginError(
                str(first.plugin),
                hook,
                Msg(
                    "failed ({message}), and no other plugin provides calendar {name!r}",
                    message=first.message,
                    name=name,
                    zh={"message": first.message_zh},
                ),
            )
        raise UnknownCalendarError(name, self.calendar_names())

    def presets(self) -> dict[str, str]:
        """Policy presets by name (the TOML text); a later plugin's preset of the same name wins
        over the core's. A plugin returning anything but ``(name, text)`` pairs of str is
        reported as crashed and none of its presets is offered."""
        presets: dict[str, str] = {}
        crashes: list[Violation] = []
        # get_hookimpls() lists implementations in registration order: later plugins win.
        for plugin, result in self._each("rectflow_policy_presets", {}, crashes):
            broken = next(filter(None, map(preset_problem, result)), None)
            if broken is not None:
                outcome = _OUTCOMES["rectflow_policy_presets"]
                crashes.append(crash(plugin, "rectflow_policy_presets", broken, outcome=outcome))
                continue
            presets.update((name, text) for name, text in result)
        self._remember(crashes)
        return dict(sorted(presets.items()))

    def _remember(self, crashes: Iterable[Violation]) -> None:
        """Keep load-time crashes for every report (each once)."""
        self.problems.extend(found for found in crashes if found not in self.problems)

    # -- running ------------------------------------------------------------------------------

    def check_case(self, case: Case, context: CheckContext) -> list[Violation]:
        """Every plugin's violations for ``case``, each naming its plugin, crashes included."""
        found: list[Violation] = [*self.problems, *self._declared()[1]]
        kwargs = {"case": case, "context": context}
        for plugin, result in self._each("rectflow_check_case", kwargs, found):
            found.extend(self._stamped(plugin, "rectflow_check_case", result, found))
        return found

    def guard_transition(
        self, case: Case, transition: Transition, context: CheckContext
    ) -> list[Violation]:
        """Every plugin's violations for a pending transition; a crash is a blocking error."""
        return self._guard_with(self._guards_for(transition.trigger), case, transition, context)

    def _guard_with(
        self,
        calls: list[_GuardCall],
        case: Case,
        transition: Transition,
        context: CheckContext,
    ) -> list[Violation]:
        """:meth:`guard_transition` over ``calls`` (:meth:`_guards_for`'s list for the trigger,
        or :func:`speaking`'s part of it)."""
        found: list[Violation] = []
        hook = "rectflow_guard_transition"
        # ``_each`` inlined, over the implementations that judge this trigger (built-in guards
        # that return nothing for it are left out once, per trigger): a guard runs on every
        # fire, and most guards have nothing to say.
        if not calls:
            return found
        where = "case" if transition.target == "case" else transition.target
        everything = (case, transition, context)
        for function, plugin, picks in calls:
            context.reporter = plugin
            args = list(everything) if picks is None else [everything[i] for i in picks]
            result = self._call(function, plugin, args, hook, found, where)
            if result:
                found.extend(self._stamped(plugin, hook, result, found, where))
        return found

    def _guards_for(self, trigger: str) -> list[_GuardCall]:
        """The guard implementations to call for ``trigger``, in :meth:`_order`'s order, each
        with the positions of its arguments in ``(case, transition, context)`` (``None`` for
        all three in that order); kept per trigger while the implementations stay the same."""
        order = self._order("rectflow_guard_transition")
        known = self._guard_calls.get(trigger)
        if known is not None and known[0] is order:
            return known[1]
        position = {"case": 0, "transition": 1, "context": 2}
        calls = [
            (
                function,
                plugin,
                None if argnames == _GUARD_ARGS else tuple(position[a] for a in argnames),
            )
            for function, plugin, argnames, speaks_for in order
            if speaks_for is None or trigger in speaks_for
        ]
        self._guard_calls[trigger] = (order, calls)
        return calls

    def event_recorded(self, case: Case, event: Event) -> list[Violation]:
        """Tell every plugin of an event just recorded (``rectflow_event_recorded``).

        Each implementation is called alone; what one raises is a ``plugin.crashed`` violation
        naming it and the others are still called. What they return is ignored.

        Returns:
            The crashes (empty when every plugin took the event).
        """
        return self._tell("rectflow_event_recorded", {"case": case, "event": event})

    def escalation_notices(
        self, notices: Sequence[EscalationNotice], as_of: dt.date
    ) -> list[Violation]:
        """Hand an agenda run's notices to every plugin (``rectflow_escalation_notices``).

        Called once per run that asks for delivery, with the notices as a tuple (an empty one
        too). Each implementation is called alone; what one raises is a ``plugin.crashed``
        violation naming it and the others are still called.

        Returns:
            The crashes (empty when every plugin took the notices).
        """
        kwargs = {"notices": tuple(notices), "as_of": as_of}
        return self._tell("rectflow_escalation_notices", kwargs)

    def _tell(self, hook: str, kwargs: Mapping[str, Any]) -> list[Violation]:
        """Call each implementation of a notification hook alone; return the crashes.

        Nothing a plugin raises here is the user's to fix (nothing of theirs is read), so
        every exception but ``KeyboardInterrupt`` is the plugin's crash.
        """
        crashes: list[Violation] = []
        caller = getattr(self.manager.hook, hook)
        for impl in sorted(caller.get_hookimpls(), key=_third_party):
            if impl.hookwrapper or impl.wrapper:
                continue
            try:
                impl.function(*(kwargs[arg] for arg in impl.argnames))
            except BaseException as error:  # a host's delivery bug must not stop the command
                if is_interrupt(error):
                    raise
                crashes.append(
                    crash(impl.plugin_name, hook, raised(error), outcome=_OUTCOMES[hook])
                )
        return crashes

    def _each(
        self,
        hook: str,
        kwargs: Mapping[str, Any],
        crashes: list[Violation],
        where: str = "case",
    ) -> Iterable[tuple[str, list[Any]]]:
        """Call each implementation of ``hook`` alone; yield (plugin, its results as a list).

        A crash (in the call or while iterating its result; anything raised but
        ``KeyboardInterrupt``, ``SystemExit`` included) is appended to ``crashes`` and that
        plugin yields nothing; so does a result that is a string or not iterable. A
        :class:`~rectflow.errors.PolicyError` or :class:`~rectflow.errors.UnknownYearError` is
        the user's to fix and propagates. A plugin's calendar failing inside the call is
        reported against the calendar's plugin. Wrappers are skipped: each implementation runs
        on its own. rectflow's own plugins run first, whatever ``tryfirst``/``trylast`` say: a
        plugin that changes the case or the context it is handed cannot hide anything from the
        built-in checks, nor claim a built-in rule code first.
        """
        context = kwargs.get("context")
        for function, plugin, argnames, _ in self._order(hook):
            if context is not None:
                context.reporter = plugin
            items = self._call(
                function, plugin, [kwargs[arg] for arg in argnames], hook, crashes, where
            )
            if items is not None:
                yield plugin, items

    def _call(
        self,
        function: Callable[..., Any],
        plugin: str,
        args: list[Any],
        hook: str,
        crashes: list[Violation],
        where: str,
    ) -> list[Any] | None:
        """One implementation's results as a list, or ``None`` when it crashed (``_each``)."""
        try:
            result = function(*args)
            if type(result) is list:
                return result if not result else list(result)
            if isinstance(result, str | bytes):
                raise Broken(
                    Msg(
                        "returned {type} {value!r}, not a list",
                        type=type(result).__name__,
                        value=result[:40],
                    )
                )
            return list(result) if result is not None else []
        except _USER_ERRORS:
            # The user's policy or calendar, not the plugin, is wrong: say so (exit 2).
            raise
        except (PluginError, NoWorkingDayError) as error:
            crashes.append(self._calendar_crash(plugin, hook, error, where))
            return None
        except BaseException as error:  # a plugin's bug must not stop or silence the run
            if is_interrupt(error):
                raise
            outcome = _OUTCOMES.get(hook)
            if outcome is None:
                crashes.append(crash(plugin, hook, raised(error), where))
            else:
                crashes.append(crash(plugin, hook, raised(error), where, outcome))
            return None

    def _order(self, hook: str) -> list[_Call]:
        """The implementations of ``hook`` to call, rectflow's own first (wrappers left out):
        (function, plugin name, argument names, the triggers a built-in guard speaks for or
        ``None``), sorted once per set of implementations."""
        impls = getattr(self.manager.hook, hook).get_hookimpls()
        known = self._orders.get(hook)
        if known is not None and known[0] == impls:  # the same HookImpl objects: no change
            return known[1]
        order = [
            (impl.function, impl.plugin_name, tuple(impl.argnames), _speaks_for(impl))
            for impl in sorted(impls, key=_third_party)
            if not (impl.hookwrapper or impl.wrapper)
        ]
        self._orders[hook] = (impls, order)
        return order

    def _calendar_crash(
        self, caller: str, hook: str, error: PluginError | NoWorkingDayError, where: str
    ) -> Violation:
        """A calendar that failed while ``caller`` counted with it: the calendar's crash."""
        if isinstance(error, PluginError):
            culprit, failed_in, problem = error.plugin, error.hook, error.problem
        else:
            culprit = self._calendar_owners.get(error.calendar, caller)
            failed_in = f"calendar {error.calendar!r}"
            problem = f"gave no working day in the {error.longest} days after {error.after}"
        if culprit == caller:
            return crash(caller, failed_in, problem, where)
        outcome = (
            f"the checks of {caller!r} did not run ({hook})",
            f"{caller!r} 的检查未执行({hook})",
        )
        return crash(culprit, failed_in, problem, where, outcome)

    @staticmethod
    def _stamped(
        plugin: str,
        hook: str,
        result: Sequence[Any],
        crashes: list[Violation],
        where: str = "case",
    ) -> list[Violation]:
        """The plugin's violations, each naming it; any malformed one drops them all."""
        stamped: list[Violation] = []
        for item in result:
            if type(item) is Violation and well_formed(item):
                stamped.append(item if item.plugin == plugin else _with_plugin(item, plugin))
                continue
            broken = violation_problem(item)
            if broken is not None:
                crashes.append(crash(plugin, hook, broken, where))
                return []
            # A well-formed subclass becomes a plain Violation: it cannot redefine blocking.
            stamped.append(_with_plugin(item, plugin))
        return stamped


_Call = tuple[Callable[..., Any], str, tuple[str, ...], frozenset[str] | None]
"""How ``Plugins`` calls one hook implementation: function, plugin, arguments, triggers."""
_GuardCall = tuple[Callable[..., Any], str, tuple[int, ...] | None]
"""How ``Plugins`` calls one guard: function, plugin, the positions of its arguments in
``_GUARD_ARGS`` (``None``: all three, in that order)."""
_GUARD_ARGS = ("case", "transition", "context")


def _speaks_for(impl: Any) -> frozenset[str] | None:
    """The triggers a built-in guard declared (``rules.guards_only``); ``None`` for any other
    implementation, which is always called."""
    if _third_party(impl):
        return None
    triggers: frozenset[str] | None = getattr(impl.function, GUARDED_TRIGGERS, None)
    return triggers


def speaking(calls: list[_GuardCall], context: CheckContext) -> list[_GuardCall]:
    """``calls`` without the built-in guards that declared (``rules.guards_when``) they say
    nothing under ``context``'s policy. A third-party guard is always kept, and so is a guard
    whose declaration raises (the guard's own call then says what is wrong, as before)."""
    kept: list[_GuardCall] = []
    for call in calls:
        function, plugin, _ = call
        speaks: Callable[[CheckContext], bool] | None = getattr(function, GUARD_SPEAKS, None)
        if speaks is not None and _builtin(plugin) and _declared_silent(speaks, context):
            continue
        kept.append(call)
    return kept


def _declared_silent(speaks: Callable[[CheckContext], bool], context: CheckContext) -> bool:
    """Whether a guard's declaration says it is silent; not when the declaration raises."""
    try:
        return not speaks(context)
    except Exception:  # the guard's own call reports what is wrong
        return False


def _builtin(plugin_name: str) -> bool:
    """Whether the plugin is rectflow's own (its guards' declarations are honoured)."""
    return plugin_name == CORE_PLUGIN or plugin_name.startswith(BUILTIN_PREFIX)


def _third_party(impl: Any) -> bool:
    """The sort key that puts rectflow's own plugins first (sorted() keeps pluggy's order)."""
    return not _builtin(impl.plugin_name)


def _with_plugin(v: Violation, plugin: str) -> Violation:
    # The constructor directly: attrs.evolve costs several times more, per violation.
    return Violation(
        v.code, v.level, v.where, v.message, v.message_zh, v.hint, v.due, v.actual, v.basis, plugin
    )


def builtin_checks() -> Sequence[Any]:
    """The built-in check modules (imported on first use, never at import time).

    They are loaded by module name, the way an entry point is: the checks stand on this room
    (hook specifications, contexts, rules), so this room must not import them back.
    """
    module = importlib.import_module(BUILTIN_CHECKS_MODULE)
    return tuple(module.BUILTIN_CHECKS)


def plugin_manager(
    *,
    disable: Iterable[str] = (),
    load_entry_points: bool = True,
    builtins: Callable[[], Sequence[Any]] = builtin_checks,
) -> Plugins:
    """Build rectflow's plugin manager.

    Registers the core plugin, the built-in checks (``rectflow.checks.deadline``, ...), then the
    ``rectflow`` entry points. A plugin named in ``disable`` or in the ``RECTFLOW_DISABLE``
    environment variable (comma-separated) is not registered; use the names
    :meth:`Plugins.names` lists (an entry point's name for a third-party plugin).

    Args:
        disable: plugin names not to register.
        load_entry_points: load third-party plugins from the ``rectflow`` entry-point group.
        builtins: the built-in check modules (tests may pass fewer).

    Returns:
        The :class:`Plugins`; build it once and pass it to :func:`rectflow.check` and
        :func:`rectflow.guards`.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    disabled = tuple(dict.fromkeys((*disable, *_env_disabled())))
    plugins = Plugins(manager, disabled)
    for name in disabled:
        manager.set_blocked(name)
    manager.register(_Core(), name=CORE_PLUGIN)
    for module in builtins():
        name = BUILTIN_PREFIX + module.__name__.rsplit(".", 1)[-1]
        if name in disabled:
            plugins.dormant.update((rule.code, rule) for rule in module.rectflow_rules())
        else:
            plugins.register(module, name=name)
    if load_entry_points:
        _load_entry_points(plugins)
    return plugins


def _load_entry_points(plugins: Plugins) -> None:
    """Load the ``rectflow`` entry points one by one: a broken plugin is reported, not fatal."""
    seen: set[str] = set()
    for entry in sorted(_entry_points(), key=lambda e: e.name):
        if entry.name in seen or plugins.manager.has_plugin(entry.name):
            continue
        seen.add(entry.name)
        if plugins.manager.is_blocked(entry.name):
            continue
        try:
            plugins.register(entry.load(), name=entry.name)
        except (
            BaseException
        ) as error:  # a broken plugin (even one calling sys.exit) must not stop the run
            if is_interrupt(error):
                raise
            hook = f"loading entry point {entry.value}"
            plugins.problems.append(crash(entry.name, hook, raised(error)))


def entry_point_names() -> tuple[str, ...]:
    """The names of the installed ``rectflow`` entry points (loaded or not), sorted."""
    return tuple(sorted({e.name for e in _entry_points()}))


def _entry_points() -> Any:
    """The ``rectflow`` entry points (importlib.metadata is imported when plugins are loaded,
    not with rectflow: it costs more than a command that needs no plugin takes)."""
    import importlib.metadata  # noqa: PLC0415

    return importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
