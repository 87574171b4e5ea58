"""How a host system uses rectflow: load a case, fire a trigger on an item, save, list what is late.

A ledger system that embeds rectflow does the same four things as this script: it reads a case
file, records what happened to one of its items (the library checks the transition and appends
the event), writes the case back atomically, and asks what is overdue as of a day.

    python examples/embed.py [CASE.toml] [--out COPY.toml] [--item ID] [--trigger NAME]
                             [--on YYYY-MM-DD] [--as-of YYYY-MM-DD]

CASE defaults to the bundled synthetic case. The changed case is written to ``--out`` or to a
temporary folder, never over the bundled example. The trigger is fired ``--on`` a day, by
default the case's last event date (for a case without events, the latest date it states); the
overdue list is judged ``--as-of`` a day, by default the day fired. Like rectflow itself, the
script never reads the clock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

import rectflow as rf
from rectflow.errors import RectflowError

HERE = Path(__file__).resolve().parent
DEFAULT_CASE = HERE / "cases" / "synthetic-hongqiao-first-people-hospital.toml"

# The triggers this script prefers, in order, when none is given: finish what is under way,
# otherwise start what is open.
PREFERRED = ("complete", "start")


def pick_item(case: rf.Case, as_of: dt.date) -> str:
    """The first overdue item, else the first item some preferred trigger applies to."""
    late = rf.overdue(case, as_of)
    if late:
        return late[0].id
    for problem in case.problems():
        items: list[rf.Problem | rf.Measure] = (
            [*problem.measures] if problem.measures else [problem]
        )
        for item in items:
            if set(PREFERRED) & set(rf.allowed_triggers(case, item.id)):
                return item.id
    raise SystemExit(f"{case.id}: no item is open or under way")


def pick_trigger(case: rf.Case, item: str) -> str:
    """A preferred trigger the lifecycle allows on the item now."""
    allowed = rf.allowed_triggers(case, item)
    for trigger in PREFERRED:
        if trigger in allowed:
            return trigger
    raise SystemExit(f"{item}: none of {', '.join(PREFERRED)} is allowed (allowed: {allowed})")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run; a rectflow error ends the script with its message."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", type=Path, default=DEFAULT_CASE)
    parser.add_argument("--out", type=Path, help="where to save the changed case")
    parser.add_argument("--item", help="the problem or measure to fire on")
    parser.add_argument("--trigger", help="the trigger to fire (e.g. start, complete, close)")
    parser.add_argument("--on", type=dt.date.fromisoformat, help="the day fired (YYYY-MM-DD)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="judge lateness (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    try:
        run(args)
    except RectflowError as error:
        # Every rectflow error says what, where and how to fix it: show it to the user as is.
        # Nothing was saved: a refused trigger changes nothing, a failed save keeps the old file.
        raise SystemExit(f"error: {error}") from None


def run(args: argparse.Namespace) -> None:
    """Load, fire, save a copy, list what is overdue."""
    # 1. Load. A malformed file raises CaseFileError naming the file, key path and line; loading
    # also replays the event log and checks every stored state against it.
    case = rf.load_case(args.case)

    # The days: given, or taken from the case itself (never the clock).
    last, why = rf.default_as_of(case)
    on = args.on or last
    as_of = args.as_of or on
    print(f"{case.inspected_body} ({case.id}): {case.state.value}")
    print(f"fired on {on}, overdue as of {as_of}; the default day is {why}")

    # 2. Fire. The lifecycle checks the trigger against the item's state (TransitionNotAllowed
    # names the item, its state and the triggers allowed there) and appends the event.
    # The item is picked as the case stands on the day it is fired (as of an earlier day, an
    # item may have been late that has been finished since).
    item = args.item or pick_item(case, on)
    trigger = args.trigger or pick_trigger(case, item)
    before = case.item(item).state
    event = rf.fire(case, trigger, item=item, on=on, actor="embed.py", note="example run")
    after = case.item(item).state
    print(f"fired {trigger} on {item}: {before.value} -> {after.value} (event #{event.seq})")

    # 3. Save to a copy, atomically; the bundled example stays as it is. save_case refuses
    # (ConflictError) when the file on disk is not the version this case was loaded from.
    if args.out is not None:
        out = args.out
    else:
        out = Path(tempfile.mkdtemp(prefix="rectflow-embed-")) / args.case.name
    if out.resolve() == args.case.resolve():
        raise SystemExit("refusing to overwrite the case that was read; give another --out")
    rf.save_case(case, out)
    print(f"saved to {out} (version {case.version})")

    # 4. What is overdue: past its due date, and not completed, closed or long-term.
    late = rf.overdue(case, as_of)
    print(f"overdue as of {as_of}: {len(late)}")
    for entry in late:
        what = entry.text if isinstance(entry, rf.Measure) else entry.title
        who = ""
        if isinstance(entry, rf.Measure) and entry.responsibility is not None:
            r = entry.responsibility
            who = " / ".join(x for x in (r.department, r.person) if x)
        print(f"  {entry.id}  due {entry.due_on}  {entry.state.value}  {who}  {what}")


if __name__ == "__main__":
    main()
