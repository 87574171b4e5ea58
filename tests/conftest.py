"""Shared test set-up: hypothesis profiles and the seed notices.

Profiles: ``default`` (quick, for a developer's loop) and ``ci`` (thorough; ``.ci/run`` selects it
with ``HYPOTHESIS_PROFILE=ci``). Seeds are read from ``../shared/seeds`` (or ``RECTFLOW_SEEDS``);
when absent, seed tests skip with the reason, unless ``RECTFLOW_REQUIRE_SEEDS=1`` makes them fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("RECTFLOW_SEEDS", REPO.parent / "shared" / "seeds"))


def seed_paths() -> list[Path]:
    """The seed notices, sorted by name (000_…, 001_…)."""
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of seed notices; skips (or fails under RECTFLOW_REQUIRE_SEEDS=1) if absent."""
    if not seed_paths():
        reason = f"seed notices not found in {SEEDS} (set RECTFLOW_SEEDS to their folder)"
        if os.environ.get("RECTFLOW_REQUIRE_SEEDS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return SEEDS


@pytest.fixture(scope="session")
def seed_text(seeds_dir: Path) -> dict[str, str]:
    """Each seed's text by its three-digit number: ``seed_text["002"]``."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from ``LANG=C.UTF-8`` with ``LC_ALL`` and ``LC_MESSAGES`` unset: a
    command or a report without ``--lang`` answers in the locale's language
    (``LANG=zh_CN.UTF-8`` → Chinese), and the suite must not depend on the machine's. A test
    about the locale sets its own."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
