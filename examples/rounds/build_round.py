"""Build a round from the example cases in Python, save its round file, print its roll-up by body.

    python examples/rounds/build_round.py out/round.toml --as-of 2025-06-30

The round takes the five seed-based cases and the synthetic one (examples/cases/*.toml); each
team is the one its case names (a case naming none is covered by no team, and
``rectflow round check`` says so). The saved file lists the case files relative to itself, so
``rectflow stats out/round.toml --by body`` and ``rectflow round status out/round.toml`` read it.
examples/rounds/demo-round.toml is the same round written by hand, with a team for every body.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import rectflow

CASES = Path(__file__).resolve().parent.parent / "cases"


def build_round(folder: Path) -> rectflow.Round:
    """The round of the example cases, its case files listed relative to ``folder``."""
    paths = sorted(CASES.glob("*.toml"))
    cases = [rectflow.load_case(path) for path in paths]
    teams: dict[str, list[str]] = {}
    for case in cases:
        if case.inspection.team is not None:
            teams.setdefault(case.inspection.team, []).append(case.inspected_body)
    return rectflow.Round(
        id="demo-round",
        name="示例巡察轮次（五份真实通报与一个合成案例）",
        inspecting_body="示例巡察机构",
        number=1,
        teams=tuple(rectflow.Team(name, bodies=tuple(bodies)) for name, bodies in teams.items()),
        case_files=tuple(os.path.relpath(path, folder) for path in paths),
    ).with_cases(cases)


def main() -> None:
    """Save the round file and print the roll-up by body as of the day given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="the round file to write")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    round_ = build_round(args.output.resolve().parent)
    rectflow.save_round(round_, args.output, force=args.force)
    result = rectflow.rollup(round_, as_of=args.as_of, by="body")
    print(f"{round_.name}: {result.cases} cases, as of {result.as_of}")
    print(f"  problems {result.problems.total}, completion rate {result.problems.completion}")
    items = result.items
    print(f"  items {items.total}, overdue {items.overdue}, on time {items.on_time}")
    for group in result.groups:
        problems = group.problems
        assert problems is not None  # split by body
        print(
            f"  {group.key}: problems {problems.total} (not stated {problems.unknown}), "
            f"completion {problems.completion}, overdue items {group.items.overdue}"
        )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
