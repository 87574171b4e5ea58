"""The plugin manager: the built-in checks and the ``rectflow`` entry points, crash-proof.

:func:`plugin_manager` builds a :class:`Plugins`: a pluggy manager with the hook specifications,
the core plugin (the ``weekdays`` calendar and the shipped policy presets), every built-in check
module from :data:`rectflow.checks.BUILTIN_CHECKS` (named ``rectflow.checks.<module>``), then the
third-party plugins of the ``rectflow`` entry-point group. Nothing is built or loaded at import
time.

A plugin that raises must not take a check down. :class:`Plugins` therefore calls the check and
guard implementations one by one: an exception becomes a ``plugin.crashed`` violation (level
error) naming the plugin and the exception, and the other plugins still run. A plugin that fails
to load, or whose rule declarations raise, is reported the same way in every report.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from rectflow._core.report import Level, Violation
from rectflow._rules import hookspecs
from rectflow._rules.calendar import Calendar, WeekdayCalendar
from rectflow._rules.presets import shipped_presets
from rectflow._rules.rules import Rule
from rectflow.errors import PolicyError, UnknownCalendarError, UnknownYearError

if TYPE_CHECKING:
    from rectflow._core.lifecycle import Transition
    from rectflow._core.model import Case
    from rectflow._rules.context import CheckContext

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
DISABLE_ENV = "RECTFLOW_DISABLE"
CORE_PLUGIN = "rectflow.core"
BUILTIN_PREFIX = "rectflow.checks."
CRASHED = "plugin.crashed"
CONFLICT = "plugin.conflict"
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


def _crash(plugin: str, hook: str, error: BaseException, where: str = "case") -> Violation:
    what = f"{type(error).__name__}: {error}"
    return Violation(
        code=CRASHED,
        level=Level.ERROR,
        where=where,
        message=f"plugin {plugin!r} raised {what} in {hook}; its checks did not run",
        message_zh=f"插件 {plugin!r} 在 {hook} 中出错({what}),其检查未执行",
        hint=(
            f"report it to the plugin's authors; meanwhile disable it with `--disable {plugin}` "
            f"or {DISABLE_ENV}={plugin}"
        ),
        plugin=plugin,
    )


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
        problems: ``plugin.crashed`` violations from loading (an entry point that fails to
            import, a ``rectflow_rules`` that raises); every report repeats them.
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
                    if not isinstance(rule, Rule):
                        problems.append(
                            _crash(plugin, "rectflow_rules", TypeError(f"{rule!r} is not a Rule"))
                        )
                    elif rule.code in rules and self._owners[rule.code] != plugin:
                        problems.append(self._conflict(rule.code, plugin))
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
            hint=f"rule codes are never reused: rename the rule in {plugin!r}, or disable one "
            "of the two plugins",
            plugin=plugin,
        )

    def calendar_names(self) -> tuple[str, ...]:
        """The calendar names the registered plugins provide, sorted."""
        names: set[str] = set()
        for _, result in self._each("rectflow_calendar_names", {}, []):
            names.update(str(name) for name in result)
        return tuple(sorted(names))

    def calendar(self, name: str) -> Calendar:
        """The calendar called ``name``.

        Raises:
            UnknownCalendarError: no plugin provides it (the error lists the known names).
        """
        found: Calendar | None = self.manager.hook.rectflow_calendar(name=name)
        if found is None:
            raise UnknownCalendarError(name, self.calendar_names())
        return found

    def presets(self) -> dict[str, str]:
        """Policy presets by name (the TOML text); a later plugin's preset of the same name wins
        over the core's."""
        presets: dict[str, str] = {}
        crashes: list[Violation] = []
        # get_hookimpls() lists implementations in registration order: later plugins win.
        for _, result in self._each("rectflow_policy_presets", {}, crashes):
            presets.update((str(name), str(text)) for name, text in result)
        self.problems.extend(crash for crash in crashes if crash not in self.problems)
        return dict(sorted(presets.items()))

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
        found: list[Violation] = []
        kwargs = {"case": case, "transition": transition, "context": context}
        where = "case" if transition.target == "case" else transition.target
        for plugin, result in self._each("rectflow_guard_transition", kwargs, found, where):
            found.extend(self._stamped(plugin, "rectflow_guard_transition", result, found))
        return found

    def _each(
        self,
        hook: str,
        kwargs: Mapping[str, Any],
        crashes: list[Violation],
        where: str = "case",
    ) -> Iterable[tuple[str, list[Any]]]:
        """Call each implementation of ``hook`` alone; yield (plugin, its results as a list).

        A crash (in the call or while iterating its result) is appended to ``crashes`` and that
        plugin yields nothing; a :class:`~rectflow.errors.PolicyError` or
        :class:`~rectflow.errors.UnknownYearError` is the user's to fix and propagates. Wrappers
        are skipped: each implementation runs on its own.
        """
        caller = getattr(self.manager.hook, hook)
        context = kwargs.get("context")
        for impl in caller.get_hookimpls():
            if impl.hookwrapper or impl.wrapper:
                continue
            if context is not None:
                context.reporter = impl.plugin_name
            try:
                result = impl.function(*(kwargs[arg] for arg in impl.argnames))
                items = list(result) if result is not None else []
            except _USER_ERRORS:
                # The user's policy or calendar, not the plugin, is wrong: say so (exit 2).
                raise
            except Exception as error:  # a plugin's bug must not stop the run
                crashes.append(_crash(impl.plugin_name, hook, error, where))
                continue
            yield impl.plugin_name, items

    @staticmethod
    def _stamped(
        plugin: str, hook: str, result: Sequence[Any], crashes: list[Violation]
    ) -> list[Violation]:
        stamped: list[Violation] = []
        for item in result:
            if type(item) is not Violation and not isinstance(item, Violation):
                crashes.append(_crash(plugin, hook, TypeError(f"{item!r} is not a Violation")))
                return []
            stamped.append(item if item.plugin == plugin else _with_plugin(item, plugin))
        return stamped


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
    for entry in sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
    ):
        if entry.name in seen or plugins.manager.has_plugin(entry.name):
            continue
        seen.add(entry.name)
        if plugins.manager.is_blocked(entry.name):
            continue
        try:
            plugins.register(entry.load(), name=entry.name)
        except Exception as error:  # a broken plugin must not stop the run
            plugins.problems.append(_crash(entry.name, f"loading entry point {entry.value}", error))


def entry_point_names() -> tuple[str, ...]:
    """The names of the installed ``rectflow`` entry points (loaded or not), sorted."""
    return tuple(sorted({e.name for e in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}))
