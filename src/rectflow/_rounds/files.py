"""Round files: a round in TOML, read strictly and written with tomli-w.

A round file says who inspected, when, with which teams, and lists the case files of the bodies
inspected (paths relative to the round file) or, for cases kept in a store, their ids::

    schema = 1
    id = "hongqiao-10-3"
    name = "十届市委第三轮巡察"
    inspecting_body = "中共虹桥市委"
    kind = "xuncha"
    number = 3
    cases = ["../cases/a.toml", "../cases/b.toml"]

    [onsite]
    start = 2023-11-06
    end = "2024-01?"

    [[teams]]
    name = "市委第五巡察组"
    leader = "张某"
    bodies = ["中共虹桥市第一人民医院委员会"]

Loading is strict, as for case files and policies: an unknown key, a wrong type, a bad date, a
missing case file is a :class:`RoundFileError` naming the file, the line, the key path, what is
wrong and how to fix it; nothing is half-loaded. ``loads_round(dumps_round(r)) == r``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import tomli_w

from rectflow._casefile.files import load_case, write_output
from rectflow._casefile.locate import KeyPath, format_key_path, locate
from rectflow._core.dates import FuzzyDate, Period
from rectflow._core.kinds import InspectionKind
from rectflow._i18n import N_, Msg
from rectflow._inputs import read_input
from rectflow._rounds.model import Round, Team
from rectflow._textio import decode_utf8
from rectflow.errors import CaseFileError, InvalidDateError

__all__ = [
    "ROUND_SCHEMA",
    "RoundFileError",
    "dumps_round",
    "is_round_file",
    "load_round",
    "loads_round",
    "round_case_paths",
    "round_from_document",
    "round_json",
    "save_round",
]

ROUND_SCHEMA: Final = 1
"""The ``schema`` a round file is written with and the one it must say."""

_TOP_KEYS = (
    "schema",
    "id",
    "name",
    "inspecting_body",
    "kind",
    "number",
    "onsite",
    "teams",
    "cases",
    "store_cases",
)
_ONSITE_KEYS = ("start", "end")
_TEAM_KEYS = ("name", "leader", "bodies")


class RoundFileError(CaseFileError):
    """A round file that cannot be read or written as it is (a kind of
    :class:`~rectflow.errors.CaseFileError`: the same ``path``, ``key_path``, ``line``,
    ``reason`` and ``fix``); nothing was loaded or written."""


# Keys a case file has and a round file never does, and keys only a round file has: a case file
# given where a round is wanted is said to be one, not refused for its first unknown key.
_CASE_FILE_KEYS = frozenset({"categories", "events", "feedback_on", "inspected_body", "state"})
_ROUND_ONLY = frozenset({"cases", "store_cases", "teams", "inspecting_body"})


class _Reader:
    """Reads one round document, raising :class:`RoundFileError` where it is wrong."""

    def __init__(self, text: str | None, source: Path | str | None) -> None:
        self.text = text
        self.source = source

    def error(self, path: KeyPath, reason: str, fix: str) -> RoundFileError:
        line = None if self.text is None else locate(self.text, path)
        return RoundFileError(self.source, format_key_path(path), reason, fix, line)

    def table(self, value: object, path: KeyPath, known: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.error(
                path,
                Msg("expected a table, got {got}", got=_type(value)),
                N_("write it as a [table] or an inline { key = value } table"),
            )
        for key in value:
            if key not in known:
                raise self.error(
                    (*path, key),
                    Msg("unknown key {key!r}", key=key),
                    Msg("use one of: {known} (docs/rounds.md)", known=", ".join(known)),
                )
        return value

    def text_value(self, data: Mapping[str, Any], key: str, path: KeyPath) -> str:
        value = data.get(key)
        if value is None:
            raise self.error(
                path,
                Msg("{key} is missing", key=key),
                Msg('add {key} = "…"', key=key),
            )
        return self.string(value, (*path, key))

    def string(self, value: object, path: KeyPath) -> str:
        if type(value) is not str or not value.strip():
            raise self.error(
                path,
                Msg("expected non-empty text, got {got}", got=_type(value)),
                N_('write it as a quoted string: "…"'),
            )
        return value

    def strings(self, value: object, path: KeyPath) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.error(
                path,
                Msg("expected a list of strings, got {got}", got=_type(value)),
                N_('write it as a list: ["a", "b"]'),
            )
        found = tuple(self.string(item, (*path, i)) for i, item in enumerate(value))
        seen: dict[str, int] = {}
        for i, item in enumerate(found):
            if item in seen:
                raise self.error(
                    (*path, i),
                    Msg(
                        "{item!r} is listed twice (also at [{first}])", item=item, first=seen[item]
                    ),
                    N_("list each one once"),
                )
            seen[item] = i
        return found

    def date(self, value: object, path: KeyPath) -> FuzzyDate:
        if type(value) is dt.date:
            return FuzzyDate.of(value)
        reason: str = Msg("expected a date, got {got}", got=_type(value))
        if type(value) is str:
            try:
                return FuzzyDate.parse(value)
            except InvalidDateError as refused:
                reason = str(refused)
        raise self.error(path, reason, _DATE_FIX)

    def onsite(self, value: object, path: KeyPath) -> Period:
        data = self.table(value, path, _ONSITE_KEYS)
        if "start" not in data:
            raise self.error(
                path, N_("the on-site period has no start"), N_("add start = YYYY-MM-DD")
            )
        start = self.date(data["start"], (*path, "start"))
        end = None if "end" not in data else self.date(data["end"], (*path, "end"))
        try:
            return Period(start, end)
        except InvalidDateError as error:
            raise self.error(
                path, str(error), N_("make the end fall on or after the start")
            ) from None

    def teams(self, value: object, path: KeyPath) -> tuple[Team, ...]:
        if not isinstance(value, list):
            raise self.error(
                path,
                Msg("expected a list of teams, got {got}", got=_type(value)),
                N_("write each team as a [[teams]] table"),
            )
        teams: list[Team] = []
        names: dict[str, int] = {}
        for i, item in enumerate(value):
            where = (*path, i)
            data = self.table(item, where, _TEAM_KEYS)
            name = self.text_value(data, "name", where)
            if name in names:
                raise self.error(
                    (*where, "name"),
                    Msg(
                        "team {name!r} is listed twice (also teams[{first}])",
                        name=name,
                        first=names[name],
                    ),
                    N_("list each team once, with all the bodies it covered"),
                )
            names[name] = i
            leader = (
                None if "leader" not in data else self.string(data["leader"], (*where, "leader"))
            )
            bodies = (
                () if "bodies" not in data else self.strings(data["bodies"], (*where, "bodies"))
            )
            teams.append(Team(name, leader, bodies))
        return tuple(teams)

    def round(self, data: Mapping[str, Any]) -> Round:
        if (
            isinstance(data, dict)
            and _CASE_FILE_KEYS & data.keys()
            and not _ROUND_ONLY & data.keys()
        ):
            raise self.error(
                (),
                N_("this is a case file, not a round file"),
                N_(
                    "give a round file (docs/rounds.md), or run the case's own command "
                    "(rectflow status, check or agenda)"
                ),
            )
        data = self.table(data, (), _TOP_KEYS)
        schema = data.get("schema")
        if schema != ROUND_SCHEMA or type(schema) is not int:
            raise self.error(
                ("schema",),
                Msg("unsupported schema {schema!r}", schema=schema),
                Msg(
                    "write schema = {schema} at the top (this rectflow reads round files of "
                    "schema {schema})",
                    schema=ROUND_SCHEMA,
                ),
            )
        kind = InspectionKind.XUNCHA
        if "kind" in data:
            try:
                kind = InspectionKind(data["kind"])
            except ValueError:
                raise self.error(
                    ("kind",),
                    Msg("unknown inspection kind {kind!r}", kind=data["kind"]),
                    Msg("use one of: {known}", known=", ".join(k.value for k in InspectionKind)),
                ) from None
        number = data.get("number")
        if number is not None and (type(number) is not int or number < 1):
            raise self.error(
                ("number",),
                Msg("expected the round's number (1 or more), got {got}", got=_type(number)),
                N_("write it as a whole number, e.g. number = 3 for 第三轮"),
            )
        onsite = None if "onsite" not in data else self.onsite(data["onsite"], ("onsite",))
        teams = () if "teams" not in data else self.teams(data["teams"], ("teams",))
        cases = () if "cases" not in data else self.strings(data["cases"], ("cases",))
        stored = (
            () if "store_cases" not in data else self.strings(data["store_cases"], ("store_cases",))
        )
        return Round(
            id=self.text_value(data, "id", ()),
            name=self.text_value(data, "name", ()),
            inspecting_body=self.text_value(data, "inspecting_body", ()),
            kind=kind,
            number=number,
            onsite=onsite,
            teams=teams,
            case_files=cases,
            store_cases=stored,
        )


_DATE_FIX = N_(
    'write a TOML date (2023-11-06) or a fuzzy date as a string ("2023-11", "2023-11-上旬", "2023")'
)


def _type(value: object) -> str:
    if isinstance(value, str):
        return f"{value!r}" if len(value) <= 40 else "a long text"
    if isinstance(value, bool | int | float | dt.date):
        return f"{type(value).__name__} {value}"
    return type(value).__name__


def loads_round(text: str, *, source: Path | str | None = None) -> Round:
    """A round from round-file text; its cases are not loaded (:attr:`Round.cases` is empty).

    Args:
        text: the TOML text.
        source: the file it came from, named in errors.

    Raises:
        RoundFileError: TOML syntax, an unknown key, a wrong type, a bad date or period, a
            missing required key, a team or a case listed twice, an unsupported ``schema``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = re.search(r"at line (\d+)", message)
        raise RoundFileError(
            source,
            "",
            Msg("not valid TOML: {message}", message=message),
            N_("correct the syntax there (strings need quotes, tables [name], arrays [a, b])"),
            int(where[1]) if where else None,
        ) from None
    return _Reader(text, source).round(data)


def _read_round(path: Path) -> tuple[Round, str]:
    raw = read_input(path, lambda reason, fix: RoundFileError(path, "", reason, fix))
    # UTF-8, a byte-order mark dropped; GB18030 refused with how to convert it.
    text = decode_utf8(
        raw, lambda reason, fix, line: RoundFileError(path, "", reason, fix, line)
    ).text
    return loads_round(text, source=path), text


def _case_paths(path: Path, found: Round, text: str) -> list[Path]:
    reader = _Reader(text, path)
    paths = []
    for i, name in enumerate(found.case_files):
        case_path = case_file_path(path, name)
        if not case_path.is_file():
            raise reader.error(
                ("cases", i),
                Msg("no case file at {path}", path=str(case_path)),
                N_("give the case file's path relative to the round file (or remove the entry)"),
            )
        paths.append(case_path)
    return paths


def round_case_paths(path: Path | str) -> tuple[Round, list[Path]]:
    """The round in a round file (its cases not loaded) and the paths of its case files.

    Raises:
        RoundFileError: the round file cannot be read or is not a valid round, or a case file
            it lists does not exist (the error names the ``cases[i]`` entry and its line).
    """
    path = Path(path)
    found, text = _read_round(path)
    return found, _case_paths(path, found, text)


def load_round(path: Path | str, *, cases: bool = True) -> Round:
    """The round in a round file, with its case files loaded (paths relative to the round file).

    Args:
        path: the round file.
        cases: load the case files into :attr:`Round.cases` (``False``: only the file).

    Raises:
        RoundFileError: the round file cannot be read or is not a valid round, a case file
            it lists does not exist (the error names the ``cases[i]`` entry and its line), or
            two entries hold the same case.
        CaseFileError: a case file it lists is not a valid case (the error names that file).
    """
    path = Path(path)
    found, text = _read_round(path)
    if not cases:
        return found
    loaded = [load_case(case_path) for case_path in _case_paths(path, found, text)]
    reader = _Reader(text, path)
    ids: dict[str, int] = {}
    for i, case in enumerate(loaded):
        if case.id in ids:
            raise reader.error(
                ("cases", i),
                Msg(
                    "case {id!r} is listed twice (also cases[{first}])",
                    id=case.id,
                    first=ids[case.id],
                ),
                N_("list each case once"),
            )
        ids[case.id] = i
    return found.with_cases(loaded)


def case_file_path(round_file: Path | str, listed: str) -> Path:
    """Where a case file a round file lists is: relative to the round file's folder."""
    return Path(round_file).parent / listed


def _date(value: FuzzyDate) -> dt.date | str:
    if value.is_exact:
        return value.earliest
    return str(value)


def _document(round_: Round) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema": ROUND_SCHEMA,
        "id": round_.id,
        "name": round_.name,
        "inspecting_body": round_.inspecting_body,
        "kind": round_.kind.value,
    }
    if round_.number is not None:
        data["number"] = round_.number
    if round_.case_files:
        data["cases"] = list(round_.case_files)
    if round_.store_cases:
        data["store_cases"] = list(round_.store_cases)
    if round_.onsite is not None:
        onsite: dict[str, Any] = {"start": _date(round_.onsite.start)}
        if round_.onsite.end is not None:
            onsite["end"] = _date(round_.onsite.end)
        data["onsite"] = onsite
    teams = []
    for team in round_.teams:
        entry: dict[str, Any] = {"name": team.name}
        if team.leader is not None:
            entry["leader"] = team.leader
        if team.bodies:
            entry["bodies"] = list(team.bodies)
        teams.append(entry)
    if teams:
        data["teams"] = teams
    return data


def round_json(round_: Round) -> dict[str, Any]:
    """What a round file says of ``round_`` but its cases, as JSON (dates as text): the
    round's description a store keeps beside its list of cases."""
    data = _document(round_)
    del data["schema"]
    data.pop("cases", None)
    data.pop("store_cases", None)
    if "onsite" in data:
        data["onsite"] = {key: str(value) for key, value in data["onsite"].items()}
    return data


def round_from_document(
    data: Mapping[str, Any], store_cases: Sequence[str], *, source: str | None = None
) -> Round:
    """The round :func:`round_json` described, its cases being ``store_cases`` (ids).

    Raises:
        RoundFileError: the description is not a valid round (named by ``source``).
    """
    document = {**data, "schema": ROUND_SCHEMA}
    if store_cases:
        document["store_cases"] = list(store_cases)
    return _Reader(None, source).round(document)


def is_round_file(path: Path | str) -> bool:
    """Whether ``path`` holds a round file rather than a case file: it says who inspected
    (``inspecting_body``) or lists ``store_cases``, or lists ``cases`` without ``categories``.
    A file that cannot be read as TOML is not one (the case-file loader says what is wrong)."""
    try:
        raw = Path(path).read_bytes()
        data = tomllib.loads(raw.decode("utf-8-sig"))  # a BOM as load_round reads it
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return (
        "inspecting_body" in data
        or "store_cases" in data
        or (isinstance(data.get("cases"), list) and "categories" not in data)
    )


def dumps_round(round_: Round) -> str:
    """The round-file text of ``round_`` (its cases are listed, not written).

    Raises:
        RoundFileError: the round holds something a round file cannot say (an empty name).
    """
    text = tomli_w.dumps(_document(round_), multiline_strings=False)
    if loads_round(text) != round_:  # nothing unreadable is written (DESIGN invariant 5)
        raise RoundFileError(
            None,
            "",
            "the round does not read back as written",
            "give every name, body and path as non-empty text",
        )
    return text


def save_round(round_: Round, path: Path | str, *, force: bool = False) -> None:
    """Write ``round_`` to a round file, atomically; an existing file only with ``force``.

    Raises:
        RoundFileError: the round cannot be written as a round file.
        CaseFileError: the path is refused (exists without ``force``, not a regular file).
    """
    write_output(path, dumps_round(round_).encode("utf-8"), force=force)
