"""The README's first screen and its Python example stay true."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_first_screen_gives_the_two_set_up_commands() -> None:
    """`make demo` and `make test` appear within the README's first 25 lines."""
    first_screen = "\n".join(README.splitlines()[:25])
    assert "make demo" in first_screen
    assert "make test" in first_screen


def test_the_host_system_example_runs(tmp_path: Path) -> None:
    """The README's Python example runs as written against the bundled example case."""
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block is not None
    code = block.group(1).replace("examples/cases/", f"{REPO}/examples/cases/")
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    overdue = {
        line.split()[0]
        for line in done.stdout.splitlines()
        if re.fullmatch(r"\d+\.\d+\.\d+ \d{4}-\d{2}-\d{2}", line)
    }
    # 2.1.5 was completed on the day, so only the two older ones are still overdue.
    assert {"3.3.2", "3.3.3"} == overdue
    assert (tmp_path / "hongqiao.toml").exists()


def test_the_readme_gives_the_windows_install_steps_in_powershell() -> None:
    """Under "On Windows", a table gives each set-up step in a POSIX shell and in PowerShell:
    the PowerShell column makes the environment, installs rectflow and runs it through
    `.venv\\Scripts\\` (no POSIX path or command), and the section links docs/platforms.md."""
    section = README.split("### On Windows", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ") and "`" in line
    ]
    posix = [row[1].strip("`") for row in rows]
    powershell = [row[2].strip("`") for row in rows]
    assert any("-m venv .venv" in step for step in powershell)
    assert '.venv\\Scripts\\python -m pip install -e ".[cli]"' in powershell
    assert any(step.startswith(".venv\\Scripts\\rectflow ") for step in powershell)
    assert all("/bin/" not in step and "source " not in step for step in powershell)
    assert all(".venv/bin/" in step or "venv .venv" in step for step in posix)
    assert "docs/platforms.md" in section
