"""Policy files: strict TOML loading, dumping, the shipped presets and ``policy init``.

The layout (docs/policies.md)::

    schema = 1
    name = "xuncha"
    description = "..."

    [calendar]
    name = "weekdays"          # or a plugin's calendar, e.g. "cn"
    unknown_years = "error"    # or "weekdays"
    schedules = ["cn-2027.toml"]  # optional: years the calendar does not know yet

    [rules."deadline.report"]
    enabled = true
    level = "error"
    basis = "..."
    source = "rule"            # or "practice"

    [rules."deadline.report".options]
    period = { value = "2 months", basis = "...", source = "rule" }   # or a bare value

    [escalation]               # optional: the escalation ladder (docs/agenda.md)
    office = "区委巡察办"
    basis = "..."
    source = "practice"

    [[escalation.levels]]
    name = "green"
    label = "绿色预警"
    starts = -20               # days from the approved due date (negative: before it)
    recipients = ["person"]

Loading is strict: an unknown key, rule code or option is an error that names the file, the key
path and the line, and lists what is known. Dumping writes the same layout, so
``loads_policy(dumps_policy(p)) == p``.
"""

from __future__ import annotations

import difflib
import enum
import inspect
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import tomli_w

from rectflow._core.report import Level
from rectflow._i18n import N_, Msg, Words, toml_message, translate
from rectflow._inputs import read_input
from rectflow._rules.calendar import Duration
from rectflow._rules.ladder import ROLES, EscalationLevel, Ladder, LadderError
from rectflow._rules.plugins import Plugins, plugin_manager
from rectflow._rules.policy import CalendarSettings, Policy, build_options, shown
from rectflow._rules.rules import OptionSetting, Rule, RuleSettings, Source
from rectflow._rules.schedules import YearSchedule, load_schedule
from rectflow._textio import decode_utf8
from rectflow.errors import PolicyError

__all__ = [
    "CALENDAR_KEYS",
    "ESCALATION_KEYS",
    "LEVEL_KEYS",
    "OPTION_KEYS",
    "RULE_KEYS",
    "SCHEMA",
    "TOP_KEYS",
    "documented_attributes",
    "dumps_policy",
    "init_policy_text",
    "load_named_policy",
    "load_policy",
    "loads_policy",
    "policy",
    "validate_policy",
]

SCHEMA = 1
TOP_KEYS = ("schema", "name", "description", "calendar", "rules", "escalation")
CALENDAR_KEYS = ("name", "unknown_years", "schedules")
ESCALATION_KEYS = ("unit_head", "office", "basis", "source", "levels")
LEVEL_KEYS = ("name", "label", "starts", "recipients")
RULE_KEYS = ("enabled", "level", "basis", "source", "options")
OPTION_KEYS = ("value", "basis", "source")
UNKNOWN_YEARS = ("error", "weekdays")


# -- key paths and lines ------------------------------------------------------------------------

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_KEY_PART = re.compile(r"\s*(?:([A-Za-z0-9_-]+)|\"((?:[^\"\\]|\\.)*)\"|'([^']*)')\s*")


def _keypath(parts: Iterable[str]) -> str:
    """A key path as TOML writes it: ``rules."deadline.report".options.period``."""
    return ".".join(p if _BARE.match(p) else _quote(p) for p in parts)


def _quote(text: str) -> str:
    return tomli_w.dumps({"k": text})[4:-1]


def _split_keys(text: str) -> tuple[str, ...] | None:
    """The parts of a dotted TOML key, or None when ``text`` is not one."""
    parts: list[str] = []
    position = 0
    while True:
        match = _KEY_PART.match(text, position)
        if match is None:
            return None
        parts.append(next(group for group in match.groups() if group is not None))
        position = match.end()
        if position == len(text):
            return tuple(parts)
        if text[position] != ".":
            return None
        position += 1


_HEADER = re.compile(r"^\s*\[(?!\[)\s*(.+?)\s*\]\s*(?:#.*)?$")
_KEY_LINE = re.compile(
    r"^\s*((?:[A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*')"
    r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*'))*)\s*="
)


def _line_of(text: str, path: Sequence[str]) -> int | None:
    """The 1-based line where ``path`` is written in ``text`` (or its nearest parent's line).

    A table written only through its sub-tables (``[rules."x".options]`` without
    ``[rules."x"]``) is found at its first sub-table's header.
    """
    path = tuple(path)
    while path:
        found = _find_line(text, path)
        if found is None:
            found = _find_line(text, path, within=True)
        if found is not None:
            return found
        path = path[:-1]
    return None


def _level_line(text: str, index: int, key: str | None) -> int | None:
    """The line of ``[[escalation.levels]]`` number ``index`` (0-based), or of its ``key``."""
    seen = -1
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            if inside:
                break
            if re.match(r"^\[\[\s*escalation\s*\.\s*levels\s*\]\]", stripped):
                seen += 1
                if seen == index:
                    if key is None:
                        return number
                    inside = True
            continue
        if inside and re.match(rf"^{re.escape(key or '')}\s*=", stripped):
            return number
    return _line_of(text, ("escalation", "levels"))


def _find_line(text: str, path: tuple[str, ...], *, within: bool = False) -> int | None:
    """The line of ``path``'s header or key, or with ``within`` of a header below it."""
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header is not None:
            table = _split_keys(header[1]) or ()
            if table == path or (within and table[: len(path)] == path):
                return number
            continue
        if within:
            continue
        key = _KEY_LINE.match(line)
        if key is None:
            continue
        full = table + (_split_keys(key[1]) or ())
        if full == path:
            return number
        # An inline table on this line holding the rest of the path.
        if full == path[: len(full)] and len(path) == len(full) + 1:
            inner = re.escape(path[-1]) if _BARE.match(path[-1]) else re.escape(_quote(path[-1]))
            if re.search(rf"[{{,]\s*{inner}\s*=", line[key.end() :]):
                return number
    return None


# -- reading -------------------------------------------------------------------------------------


@attrs.define
class _Reader:
    """Reads one policy document, raising PolicyError with the key path and the line."""

    text: str
    source: str
    rules: Mapping[str, Rule] | None

    def fail(self, path: Sequence[str], reason: str, fix: str) -> PolicyError:
        return PolicyError(self.source, _keypath(path), reason, fix, _line_of(self.text, path))

    def only(self, table: Mapping[str, Any], known: Sequence[str], path: Sequence[str]) -> None:
        for key in table:
            if key not in known:
                raise self.fail(
                    (*path, key),
                    Msg("unknown key {key}", key=shown(key)),
                    Msg("use one of: {known}", known=", ".join(known)),
                )

    def typed(self, value: Any, kind: type | tuple[type, ...], path: Sequence[str]) -> Any:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            names = Msg.of(_TOML_NAMES.get(kinds[0], kinds[0].__name__))
            for other in kinds[1:]:
                said = Msg.of(_TOML_NAMES.get(other, other.__name__))
                names = Msg("{first} or {second}", first=names, second=said)
            raise self.fail(
                path,
                Msg("{value} is not {names}", value=shown(value), names=names),
                Msg("write {names} here", names=names),
            )
        return value

    def choice(self, value: Any, choices: Sequence[str], path: Sequence[str]) -> str:
        if value not in choices:
            raise self.fail(
                path,
                Msg("{value} is not allowed here", value=shown(value)),
                Msg("use one of: {known}", known=", ".join(choices)),
            )
        return str(value)

    def read(self) -> Policy:
        try:
            document = tomllib.loads(self.text)
        except RecursionError:  # tomllib recurses into nested inline tables and arrays
            raise PolicyError(
                self.source,
                "",
                N_("the document nests inline tables or arrays too deeply to read"),
                N_("a policy needs only a few levels: remove the deep nesting"),
            ) from None
        except tomllib.TOMLDecodeError as error:
            line = re.search(r"line (\d+)", str(error))
            raise PolicyError(
                self.source,
                "",
                Msg("not valid TOML ({error})", error=toml_message(str(error))),
                N_("fix the syntax at that place (https://toml.io)"),
                int(line[1]) if line else None,
            ) from error
        self.only(document, TOP_KEYS, ())
        if "schema" not in document:
            raise self.fail(
                (),
                N_("the key 'schema' is missing"),
                Msg("add `schema = {schema}` on top", schema=SCHEMA),
            )
        if document["schema"] != SCHEMA or isinstance(document["schema"], bool):
            raise self.fail(
                ("schema",),
                Msg("schema {schema} is not supported", schema=shown(document["schema"])),
                Msg("this rectflow reads schema = {schema}", schema=SCHEMA),
            )
        if "name" not in document:
            raise self.fail(
                (), N_("the key 'name' is missing"), N_('add `name = "my-policy"` on top')
            )
        name = self.typed(document["name"], str, ("name",))
        if not name.strip():
            raise self.fail(("name",), N_("the name is empty"), N_("give the policy a name"))
        description = self.typed(document.get("description", ""), str, ("description",))
        calendar = self.calendar(document.get("calendar", {}))
        rules_table = self.typed(document.get("rules", {}), dict, ("rules",))
        rules = {code: self.rule(code, table) for code, table in rules_table.items()}
        escalation = None if "escalation" not in document else self.escalation(document)
        return Policy(name, description, calendar, rules, escalation)

    def escalation(self, document: Mapping[str, Any]) -> Ladder:
        """The ``[escalation]`` table and its ``[[escalation.levels]]``, read strictly."""
        path = ("escalation",)
        table = self.typed(document["escalation"], dict, path)
        self.only(table, ESCALATION_KEYS, path)
        levels = table.get("levels")
        example = N_(
            'add [[escalation.levels]] tables, each with name = "green", label = "绿色预警", '
            'starts = -20 and recipients = ["person"]'
        )
        if not isinstance(levels, list) or not levels:
            raise self.fail((*path, "levels"), N_("the ladder has no levels"), example)
        read = tuple(self.level(index, entry) for index, entry in enumerate(levels))
        optional = {
            key: None if key not in table else self.typed(table[key], str, (*path, key))
            for key in ("unit_head", "office", "basis")
        }
        source = table.get("source")
        try:
            return Ladder(
                read,
                unit_head=optional["unit_head"],
                office=optional["office"],
                basis=optional["basis"],
                source=None
                if source is None
                else Source(self.choice(source, [x.value for x in Source], (*path, "source"))),
            )
        except LadderError as error:
            index_key = re.match(r"levels\[(\d+)\]\.(\w+)", error.key)
            line = (
                _level_line(self.text, int(index_key[1]), index_key[2])
                if index_key is not None
                else _line_of(self.text, (*path, "levels"))
            )
            raise PolicyError(
                self.source, f"escalation.{error.key}", error.reason, error.fix, line
            ) from error

    def level(self, index: int, entry: Any) -> EscalationLevel:
        """One ``[[escalation.levels]]`` table."""
        where = f"escalation.levels[{index}]"

        def fail(key: str | None, reason: str, fix: str) -> PolicyError:
            key_path = where if key is None else f"{where}.{key}"
            return PolicyError(
                self.source, key_path, reason, fix, _level_line(self.text, index, key)
            )

        if not isinstance(entry, dict):
            raise fail(
                None,
                Msg("{value} is not a table", value=shown(entry)),
                N_("write each level as [[escalation.levels]]"),
            )
        for key in entry:
            if key not in LEVEL_KEYS:
                raise fail(
                    key,
                    Msg("unknown key {key}", key=shown(key)),
                    Msg("use one of: {known}", known=", ".join(LEVEL_KEYS)),
                )
        for key in LEVEL_KEYS:
            if key not in entry:
                raise fail(
                    None,
                    Msg("the key {key!r} is missing", key=key),
                    Msg("give the level its {key}", key=key),
                )
        for key in ("name", "label"):
            if not isinstance(entry[key], str):
                raise fail(
                    key,
                    Msg("{value} is not a string", value=shown(entry[key])),
                    N_("write a string here"),
                )
        starts = entry["starts"]
        if not isinstance(starts, int) or isinstance(starts, bool):
            raise fail(
                "starts",
                Msg("{value} is not an integer", value=shown(starts)),
                N_(
                    "write the day the level starts: -20 is 20 days before the due date, 1 the "
                    "first day late"
                ),
            )
        recipients = entry["recipients"]
        if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
            raise fail(
                "recipients",
                Msg("{value} is not a list of roles", value=shown(recipients)),
                Msg(
                    'write a list, e.g. recipients = ["person", "leader"] (roles: {roles})',
                    roles=", ".join(ROLES),
                ),
            )
        return EscalationLevel(entry["name"], entry["label"], starts, tuple(recipients))

    def calendar(self, table: Any) -> CalendarSettings:
        path = ("calendar",)
        self.typed(table, dict, path)
        self.only(table, CALENDAR_KEYS, path)
        name = self.typed(table.get("name", "weekdays"), str, (*path, "name"))
        unknown = self.choice(
            table.get("unknown_years", "error"), UNKNOWN_YEARS, (*path, "unknown_years")
        )
        return CalendarSettings(name, unknown, self.schedules(table.get("schedules", [])))

    def schedules(self, value: Any) -> tuple[YearSchedule, ...]:
        """The schedule files ``[calendar] schedules`` names, read strictly.

        A relative path is relative to the policy file's folder (to the working folder for a
        policy read from text); each schedule keeps the path it was found at, which is what
        :func:`dumps_policy` writes back.
        """
        path = ("calendar", "schedules")
        fix = N_('write a list of schedule files, e.g. schedules = ["cn-2027.toml"]')
        if not isinstance(value, list):
            raise self.fail(path, Msg("{value} is not a list", value=shown(value)), fix)
        base = Path(self.source).parent
        found: list[YearSchedule] = []
        for index, entry in enumerate(value):
            where = f"{_keypath(path)}[{index}]"
            if not isinstance(entry, str) or not entry.strip():
                raise PolicyError(
                    self.source,
                    where,
                    Msg("{value} is not a file name", value=shown(entry)),
                    fix,
                    _line_of(self.text, path),
                )
            file = base / entry
            if not file.is_file():
                raise PolicyError(
                    self.source,
                    where,
                    Msg("the schedule file {file!r} does not exist", file=str(file)),
                    N_("write its path relative to the policy file's folder, or an absolute path"),
                    _line_of(self.text, path),
                )
            found.append(load_schedule(file))
        return tuple(found)

    def rule(self, code: str, table: Any) -> RuleSettings:
        path = ("rules", code)
        if self.rules is not None and code not in self.rules:
            raise self.fail(
                path,
                Msg("unknown rule {code}", code=shown(code)),
                _known_rules_fix(code, self.rules),
            )
        self.typed(table, dict, path)
        self.only(table, RULE_KEYS, path)
        level = table.get("level")
        source = table.get("source")
        options_table = self.typed(table.get("options", {}), dict, (*path, "options"))
        settings = RuleSettings(
            enabled=self.typed(table.get("enabled", True), bool, (*path, "enabled")),
            level=None
            if level is None
            else Level(self.choice(level, [x.value for x in Level], (*path, "level"))),
            basis=None
            if "basis" not in table
            else self.typed(table["basis"], str, (*path, "basis")),
            source=None
            if source is None
            else Source(self.choice(source, [x.value for x in Source], (*path, "source"))),
            options={
                name: self.option((*path, "options", name), value)
                for name, value in options_table.items()
            },
        )
        if self.rules is not None:
            self.check_options(code, self.rules[code], settings)
        return settings

    def option(self, path: tuple[str, ...], value: Any) -> OptionSetting:
        if not (isinstance(value, dict) and any(key in value for key in OPTION_KEYS)):
            return OptionSetting(value)
        self.only(value, OPTION_KEYS, path)
        if "value" not in value:
            raise self.fail(
                path,
                N_("the option's table has no 'value'"),
                N_('write `{ value = ..., basis = "...", source = "rule" }` or a bare value'),
            )
        source = value.get("source")
        return OptionSetting(
            value["value"],
            None if "basis" not in value else self.typed(value["basis"], str, (*path, "basis")),
            None
            if source is None
            else Source(self.choice(source, [x.value for x in Source], (*path, "source"))),
        )

    def check_options(self, code: str, rule: Rule, settings: RuleSettings) -> None:
        try:
            build_options(code, rule.options, settings, source=self.source)
        except PolicyError as error:
            prefix = f'rules."{code}".options.'  # as build_options writes it
            name = error.key_path[len(prefix) :] if error.key_path.startswith(prefix) else ""
            path = ("rules", code, "options", *((name,) if name else ()))
            raise PolicyError(
                self.source, error.key_path, error.reason, error.fix, _line_of(self.text, path)
            ) from error


_TOML_NAMES: dict[type, str] = {
    str: N_("a string"),
    bool: N_("true or false"),
    dict: N_("a table"),
    int: N_("an integer"),
}


def _known_rules_fix(code: str, rules: Mapping[str, Rule]) -> str:
    close = difflib.get_close_matches(code, list(rules), n=1)
    known = ", ".join(sorted(rules)) or "(none)"
    said = (
        N_(
            "did you mean {close!r}? known rules: {known} (a plugin's rules are known only while "
            "it is installed and not disabled)"
        )
        if close
        else N_(
            "known rules: {known} (a plugin's rules are known only while it is installed and "
            "not disabled)"
        )
    )
    return Msg(said, close=close[0] if close else "", known=known)


def validate_policy(policy: Policy, rules: Mapping[str, Rule], *, source: str) -> None:
    """Check a policy built in code against the declared rules, as loading a file would.

    Raises:
        PolicyError: an unknown rule code (with a did-you-mean), option name or value.
    """
    for code, settings in policy.rules.items():
        rule = rules.get(code)
        if rule is None:
            raise PolicyError(
                source,
                _keypath(("rules", code)),
                Msg("unknown rule {code}", code=shown(code)),
                _known_rules_fix(code, rules),
            )
        build_options(code, rule.options, settings, source=source)


def _rules_of(plugins: Plugins | None, rules: Mapping[str, Rule] | None) -> Mapping[str, Rule]:
    if rules is not None:
        return rules
    if plugins is None:
        plugins = plugin_manager()
    return plugins.known_rules


def loads_policy(
    text: str,
    *,
    source: str = "<policy>",
    plugins: Plugins | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> Policy:
    """Read a policy from TOML text, strictly.

    Rule codes and options are checked against ``rules`` (default: the rules the plugins
    declare; a default plugin manager is built when neither is given).

    Args:
        text: the TOML document.
        source: the file path or preset name, for errors.
        plugins: the plugin manager whose rules the policy may configure.
        rules: the rules, when you have them without a plugin manager.

    Raises:
        PolicyError: naming the source, the key path and the line, what is wrong and the fix.
    """
    return _Reader(text, source, _rules_of(plugins, rules)).read()


def load_policy(
    path: str | Path, *, plugins: Plugins | None = None, rules: Mapping[str, Rule] | None = None
) -> Policy:
    """Read a policy file (see :func:`loads_policy`)."""
    path = Path(path)
    # A regular file of at most MAX_INPUT_BYTES: never a FIFO waited on, never read unbounded.
    raw = read_input(
        path,
        lambda reason, fix: PolicyError(
            str(path), "", Msg("can't read the file ({reason})", reason=Msg.of(reason)), fix
        ),
    )
    # UTF-8, a byte-order mark dropped; GB18030 refused with how to convert it.
    text = decode_utf8(
        raw, lambda reason, fix, line: PolicyError(str(path), "", reason, fix, line)
    ).text
    return loads_policy(text, source=str(path), plugins=plugins, rules=rules)


def load_named_policy(name_or_path: str | Path, plugins: Plugins | None = None) -> Policy:
    """A preset by name, or a policy file by path (see :func:`policy`)."""
    if plugins is None:
        plugins = plugin_manager()
    presets = plugins.presets()
    key = str(name_or_path)
    if key in presets:
        return loads_policy(presets[key], source=f"preset {key}", plugins=plugins)
    path = Path(name_or_path)
    if path.exists() or path.suffix == ".toml":
        return load_policy(path, plugins=plugins)
    close = difflib.get_close_matches(key, list(presets), n=1)
    said = (
        N_("did you mean {close!r}? presets: {presets}; or give a policy file's path")
        if close
        else N_("presets: {presets}; or give a policy file's path")
    )
    raise PolicyError(
        key,
        "",
        N_("no preset of that name and no such file"),
        Msg(said, close=close[0] if close else "", presets=", ".join(presets) or "(none)"),
    )


def policy(name_or_path: str | Path, plugins: Plugins | None = None) -> Policy:
    """A policy by preset name (``"xunshi"``, ``"xuncha"``, a plugin's) or by file path.

    Raises:
        PolicyError: no such preset or file, or a file that does not load strictly.
    """
    return load_named_policy(name_or_path, plugins)


# -- writing -------------------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    """One TOML value on one line (inline tables and arrays included)."""
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_keypath((str(k),))} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, enum.Enum):
        return _toml_value(value.value)
    if isinstance(value, Duration):
        return _quote(str(value))
    return tomli_w.dumps({"k": value})[4:-1]


def _option_line(name: str, setting: OptionSetting) -> str:
    value = setting.value
    if setting.basis is None and setting.source is None and not isinstance(value, Mapping):
        return f"{_keypath((name,))} = {_toml_value(value)}"
    table: dict[str, Any] = {"value": value}
    if setting.basis is not None:
        table["basis"] = setting.basis
    if setting.source is not None:
        table["source"] = setting.source.value
    return f"{_keypath((name,))} = {_toml_value(table)}"


def _rule_lines(code: str, settings: RuleSettings) -> list[str]:
    lines = [f"[{_keypath(('rules', code))}]", f"enabled = {_toml_value(settings.enabled)}"]
    for key in ("level", "basis", "source"):
        value = getattr(settings, key)
        if value is not None:
            lines.append(f"{key} = {_toml_value(value)}")
    if settings.options:
        lines += ["", f"[{_keypath(('rules', code, 'options'))}]"]
        lines += [_option_line(name, s) for name, s in settings.options.items()]
    return lines


def _head_lines(policy: Policy) -> list[str]:
    return [
        f"schema = {SCHEMA}",
        f"name = {_toml_value(policy.name)}",
        f"description = {_toml_value(policy.description)}",
        "",
        "[calendar]",
        f"name = {_toml_value(policy.calendar.name)}",
        f"unknown_years = {_toml_value(policy.calendar.unknown_years)}",
        *_schedules_lines(policy.calendar.schedules),
    ]


def _schedules_lines(schedules: Sequence[YearSchedule]) -> list[str]:
    if not schedules:
        return []
    unsaved = [schedule.year for schedule in schedules if not schedule.path]
    if unsaved:
        raise ValueError(
            f"the schedule for {unsaved[0]} was built in code and has no file for the policy to "
            "name: write it with dumps_schedule(), and load it with load_schedule()"
        )
    return [f"schedules = {_toml_value([schedule.path for schedule in schedules])}"]


def _escalation_lines(ladder: Ladder) -> list[str]:
    lines = ["[escalation]"]
    for key in ("unit_head", "office", "basis", "source"):
        value = getattr(ladder, key)
        if value is not None:
            lines.append(f"{key} = {_toml_value(value)}")
    for level in ladder.levels:
        lines += [
            "",
            "[[escalation.levels]]",
            f"name = {_toml_value(level.name)}",
            f"label = {_toml_value(level.label)}",
            f"starts = {_toml_value(level.starts)}",
            f"recipients = {_toml_value(list(level.recipients))}",
        ]
    return lines


def dumps_policy(policy: Policy) -> str:
    """The policy as a TOML document in the layout :func:`loads_policy` reads."""
    lines = _head_lines(policy)
    for code, settings in policy.rules.items():
        lines += ["", *_rule_lines(code, settings)]
    if policy.escalation is not None:
        lines += ["", *_escalation_lines(policy.escalation)]
    return "\n".join(lines) + "\n"


# The comments of `rectflow policy init`, by key; the Chinese is in the catalogue (--lang zh).
_INIT_WORDS = Words(
    {
        "header": N_(
            "# A rectflow policy (docs/policies.md): which rules run, at which level, with which "
            "options,\n# and where each parameter comes from.\n#\n# Periods are written "
            '"N days" (calendar days), "N working days" (counted with [calendar]) or\n# '
            '"N months" (the same day N months later, or that month\'s last day: 2024-01-31 + 1 '
            "month =\n# 2024-02-29). A period starts the day after its start date, and its due "
            "date is the last day\n# that is still on time (inclusive).\n#\n# An option is a "
            'bare value, or { value = ..., basis = "document, article", source = "rule" }\n# '
            'where source is "rule" (a written rule) or "practice" (common practice).\n'
        ),
        "calendar": N_(
            "# name: the working-day calendar ({calendars})\n"
            "# unknown_years: error (a date in a year the calendar has no schedule for is an\n"
            "# error) or weekdays (count Monday-Friday there, and every result says so)\n"
            "# schedules: optional list of schedule files (relative to this file) for years the\n"
            "# calendar does not know yet, each copied from the official notice (docs/policies.md)"
        ),
        "default_level": N_("# default level: {level}"),
        "basis": N_("# basis: {basis}"),
        "not_set": N_("(not set)"),
        "ladder": N_("# The escalation ladder (docs/agenda.md)"),
        "period_help": N_("{help}; a period: {unit}"),
        "period": N_("a period: {unit}"),
        "units": N_('"N days", "N working days" or "N months"'),
    }
)


def documented_attributes(docstring: str) -> dict[str, str]:
    """Name -> its entry in a Google-style ``Attributes:`` section of ``docstring`` (cleaned as
    ``inspect.cleandoc`` cleans it), on one line. The help an option's comment gives in
    ``rectflow policy init``; rectflow._babel_help extracts the same entries as msgids."""
    lines = inspect.cleandoc(docstring).splitlines()
    found: dict[str, str] = {}
    inside, name = False, ""
    for line in lines:
        if line.strip() == "Attributes:":
            inside = True
            continue
        if not inside:
            continue
        entry = re.match(r"^    (\w+)(?: \(.*?\))?:\s*(.*)$", line)
        if entry is not None:
            name = entry[1]
            found[name] = entry[2].strip().replace("``", "")
        elif line.startswith("        ") and name:
            found[name] += " " + line.strip().replace("``", "")
        elif line.strip():
            break
    return found


def _documented(cls: type) -> dict[str, str]:
    """Option name -> its line in the options class's Google-style ``Attributes:`` section."""
    return documented_attributes(cls.__doc__ or "")


def _option_help(cls: type, field: attrs.Attribute[Any], lang: str = "en") -> str:
    helptext = field.metadata.get("help") or _documented(cls).get(field.name)
    said = translate(lang, str(helptext)) if helptext else ""
    kind = field.type
    if kind is Duration or kind == Duration | None:
        w = _INIT_WORDS[lang]
        unit = w["units"]
        if said:
            return w["period_help"].format(help=said.rstrip(".。"), unit=unit)
        return w["period"].format(unit=unit)
    return said if said else f"a {getattr(kind, '__name__', kind)}"


def _default_setting(field: attrs.Attribute[Any]) -> OptionSetting | None:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs' Factory is a class
        default = default.factory()
    if default is attrs.NOTHING or default is None:
        return None
    return OptionSetting(default)


def init_policy_text(
    base: Policy | None,
    rules: Mapping[str, Rule],
    *,
    name: str = "my-policy",
    calendars: Sequence[str] = ("weekdays",),
    lang: str = "en",
) -> str:
    """A complete, commented policy: every rule and every option, from ``base`` or defaults.

    Loading the text gives ``base`` with every rule and option spelled out. ``lang`` is the
    language of the comments (``zh``: the catalogue's Chinese where it has it; a plugin's own
    words stay as they are); the TOML itself is the same in both.
    """
    w = _INIT_WORDS[lang]
    base = base if base is not None else Policy(name, "")
    lines = [w["header"], *_head_lines(attrs.evolve(base, name=name))]
    at = lines.index("[calendar]") + 1
    lines[at:at] = w["calendar"].format(calendars=", ".join(calendars)).split("\n")
    for code, rule in rules.items():
        settings = base.rules.get(code, RuleSettings())
        options = dict(settings.options)
        fields = attrs.fields(attrs.resolve_types(rule.options))
        lines += [
            "",
            f"# {code}{'：' if lang == 'zh' else ': '}{translate(lang, rule.summary)}",
            w["default_level"].format(level=rule.level.value),
        ]
        if rule.basis:
            lines.append(w["basis"].format(basis=translate(lang, rule.basis)))
        lines.append(f"[{_keypath(('rules', code))}]")
        lines.append(f"enabled = {_toml_value(settings.enabled)}")
        lines.append(f"level = {_toml_value(settings.level or rule.level)}")
        for key in ("basis", "source"):
            value = getattr(settings, key)
            if value is not None:
                lines.append(f"{key} = {_toml_value(value)}")
        if not fields:
            continue
        lines += ["", f"[{_keypath(('rules', code, 'options'))}]"]
        for field in fields:
            lines.append(f"# {field.name}: {_option_help(rule.options, field, lang)}")
            setting = options.get(field.name) or _default_setting(field)
            if setting is None:
                lines.append(f"# {_keypath((field.name,))} = {w['not_set']}")
            else:
                lines.append(_option_line(field.name, setting))
    if base.escalation is not None:
        lines += [
            "",
            w["ladder"],
            *_escalation_lines(base.escalation),
        ]
    return "\n".join(lines) + "\n"
